//! Word (.docx) in 公文 format (GB/T 9704-2012), from the same views as the
//! HTML and Markdown: A4 with the standard's margins, named styles (标题,
//! 正文, 一级标题 … 四级标题, 落款, 成文日期) with East Asian fonts and outline
//! levels, real tables with a repeating header row, charts as Word's own charts
//! (`docx_chart`), page numbers "— 1 —" right on odd pages
//! and left on even ones. The package is written with fixed times and in a
//! fixed order: two builds give the same bytes. Returns bytes; writes nothing.

pub(crate) mod chart;

use std::io::Write;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diag::{Failure, Internal};
use crate::output::docx::chart::half_chars as width;
use crate::views::narrative::Rendered;
use crate::views::plan::PlanView;
use crate::views::summary::SummaryView;
use crate::views::{Chapter, ChartView, Item, Table};

/// Twips in a character of 正文 (3号, 16 pt).
const CHAR: u32 = 320;
/// The text block's width: 156 mm, in twips.
const BLOCK_TWIPS: u32 = 8844;

/// The 总结 (or 汇报, 情况报告 …) as a .docx.
pub(crate) fn summary(v: &SummaryView) -> Result<Vec<u8>, Failure> {
    let mut d = Doc::default();
    d.draft(v.draft);
    d.title(&v.title);
    for n in &v.notices {
        d.para("正文", &[Run::plain(n)]);
    }
    d.prose(&v.intro);
    d.chapters(&v.chapters);
    if let Some(c) = &v.closing {
        d.prose(c);
    }
    d.sign(&v.signature, v.date.as_deref());
    d.package()
}

/// The 计划 (or 工作方案) as a .docx.
pub(crate) fn plan(v: &PlanView) -> Result<Vec<u8>, Failure> {
    let mut d = Doc::default();
    d.draft(v.draft);
    d.title(&v.title);
    if let Some(i) = &v.intro {
        d.prose(i);
    }
    d.chapters(&v.chapters);
    if let Some(c) = &v.closing {
        d.prose(c);
    }
    d.sign(&v.signature, v.date.as_deref());
    d.package()
}

/// A run of text: bold or not.
struct Run<'a> {
    text: std::borrow::Cow<'a, str>,
    bold: bool,
}

impl<'a> Run<'a> {
    fn plain(text: &'a str) -> Run<'a> {
        Run {
            text: text.into(),
            bold: false,
        }
    }

    fn bold(text: &'a str) -> Run<'a> {
        Run {
            text: text.into(),
            bold: true,
        }
    }
}

#[derive(Default)]
struct Doc {
    body: String,
    /// Chart parts for word/charts, in order (chart1.xml …).
    charts: Vec<String>,
}

impl Doc {
    /// A draft's mark, where 公文 put their marks (密级, 紧急程度): top
    /// left, in 黑体.
    fn draft(&mut self, draft: bool) {
        if draft {
            self.para_with(
                "正文",
                "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>",
                &[Run::bold("草稿")],
            );
        }
    }

    fn title(&mut self, t: &str) {
        self.para("标题", &[Run::plain(t)]);
    }

    fn para(&mut self, style: &str, runs: &[Run]) {
        self.para_with(style, "", runs);
    }

    /// A paragraph of `style`, with extra paragraph properties.
    fn para_with(&mut self, style: &str, ppr: &str, runs: &[Run]) {
        let id = style_id(style);
        self.body += &format!("<w:p><w:pPr><w:pStyle w:val=\"{id}\"/>{ppr}</w:pPr>");
        for r in runs {
            self.body += &run(&r.text, r.bold);
        }
        self.body += "</w:p>";
    }

    fn chapters(&mut self, chapters: &[Chapter]) {
        for c in chapters {
            self.para("一级标题", &[Run::plain(&c.heading)]);
            self.chapter_body(c);
        }
    }

    fn chapter_body(&mut self, c: &Chapter) {
        if let Some(p) = &c.body {
            self.prose(p);
        }
        if !c.text.is_empty() {
            self.para("正文", &[Run::plain(&c.text)]);
        }
        if let Some(p) = &c.extra {
            self.prose(p);
        }
        for ch in &c.charts {
            self.chart(ch);
        }
        self.tables(&c.tables);
        for s in &c.sections {
            if !s.title.is_empty() {
                let head = format!("{}{}", s.number, s.title);
                self.para("二级标题", &[Run::plain(&head)]);
            }
            if let Some(b) = &s.body {
                self.prose(b);
            }
            for sub in &s.subs {
                if !sub.title.is_empty() {
                    let style = if sub.level == 3 {
                        "三级标题"
                    } else {
                        "四级标题"
                    };
                    self.para(
                        style,
                        &[Run::plain(&format!("{}{}", sub.number, sub.title))],
                    );
                }
                if let Some(b) = &sub.body {
                    self.prose(b);
                }
            }
            for ch in &s.charts {
                self.chart(ch);
            }
            for i in &s.items {
                self.item(i);
            }
            self.tables(&s.tables);
        }
        if let Some(p) = &c.items_intro {
            self.prose(p);
        }
        for i in &c.items {
            self.item(i);
        }
    }

    /// Only the tables that are part of the document (the web page's
    /// generated ones stay on the web page).
    fn tables(&mut self, tables: &[Table]) {
        for t in tables.iter().filter(|t| t.printed) {
            self.table(t);
        }
    }

    /// An item: its ordinal and lead-in, its text, its note, in one
    /// paragraph (or, for a text of several paragraphs, in its first and
    /// last: the view has put them there).
    fn item(&mut self, i: &Item) {
        if i.block {
            self.prose(&i.text);
            return;
        }
        let mut runs = vec![Run::plain(&i.ordinal)];
        if let Some(n) = &i.name {
            runs.push(Run {
                text: n.into(),
                bold: true,
            });
        }
        // A text of one paragraph (several are `block`, above).
        runs.extend(md_blocks(&i.text.md).into_iter().flat_map(|(_, r)| r));
        if let Some(m) = &i.meta {
            runs.push(Run::plain(m));
        }
        self.para("正文", &runs);
    }

    /// Office prose (Markdown): a paragraph of 正文 each; headings in it
    /// as 三级标题.
    fn prose(&mut self, r: &Rendered) {
        for (style, runs) in md_blocks(&r.md) {
            match style {
                // A table of the office's own, in its text: a Word table.
                "表格" => self.table(&own_table(&runs)),
                _ => self.para(style, &runs),
            }
        }
    }

    fn table(&mut self, t: &Table) {
        if !t.caption.is_empty() {
            self.para_with("表题", "", &[Run::plain(&t.caption)]);
        }
        // Columns as wide as their longest cell (up to 15 characters) and
        // its margins; the text block's width shared out so that short
        // columns (状态, 户数) keep what they need and long ones (names) wrap.
        let cols = t.head.len().max(1);
        let need: Vec<u32> = (0..cols)
            .map(|i| {
                let head = t.head.get(i).map_or(0, |h| width(h).min(8));
                let cells = t.rows.iter().filter_map(|r| r.get(i)).map(|c| width(c));
                cells.chain([head]).max().unwrap_or(4).clamp(4, 30) * CHAR / 2 + 240
            })
            .collect();
        let sum: u32 = need.iter().sum::<u32>().max(1);
        let widths: Vec<u32> = if sum <= BLOCK_TWIPS {
            need.iter()
                .map(|n| n + (BLOCK_TWIPS - sum) * n / sum)
                .collect()
        } else {
            let share = BLOCK_TWIPS / cols as u32;
            let small: u32 = need.iter().filter(|n| **n <= share).sum();
            let large: u32 = need.iter().filter(|n| **n > share).sum::<u32>().max(1);
            let room = BLOCK_TWIPS.saturating_sub(small);
            need.iter()
                .map(|n| if *n <= share { *n } else { room * n / large })
                .collect()
        };
        let mut x = String::from(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"Table\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:jc w:val=\"center\"/>\
             <w:tblBorders><w:top w:val=\"single\" w:sz=\"8\" w:color=\"000000\"/><w:left w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/>\
             <w:bottom w:val=\"single\" w:sz=\"8\" w:color=\"000000\"/><w:right w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/>\
             <w:insideH w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:color=\"000000\"/></w:tblBorders>\
             <w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\"/></w:tblPr><w:tblGrid>",
        );
        for w in &widths {
            x += &format!("<w:gridCol w:w=\"{w}\"/>");
        }
        x += "</w:tblGrid>";
        let row = |cells: &[String], head: bool| {
            let mut r = String::from("<w:tr>");
            if head {
                r += "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>";
            } else {
                r += "<w:trPr><w:cantSplit/></w:trPr>";
            }
            for (i, c) in cells.iter().enumerate() {
                let right = !head && t.num.get(i).copied().unwrap_or(false);
                let jc = if head {
                    "<w:jc w:val=\"center\"/>"
                } else if right {
                    "<w:jc w:val=\"right\"/>"
                } else {
                    ""
                };
                let width = widths.get(i).copied().unwrap_or(0);
                r += &format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>\
                     <w:p><w:pPr><w:pStyle w:val=\"TableText\"/>{jc}</w:pPr>{}</w:p></w:tc>",
                    run(c, head)
                );
            }
            r + "</w:tr>"
        };
        x += &row(&t.head, true);
        for r in &t.rows {
            x += &row(r, false);
        }
        x += "</w:tbl>";
        self.body += &x;
    }

    /// A chart as Word charts (one per group of bars), its note and its
    /// caption.
    fn chart(&mut self, c: &ChartView) {
        for part in crate::output::docx::chart::parts(&c.chart) {
            self.charts.push(part.xml);
            let n = self.charts.len();
            let (cx, cy) = (part.width, part.height);
            let alt = xml(&c.alt);
            self.body += &format!(
                "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r><w:drawing>\
                 <wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/>\
                 <wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"{n}\" name=\"图表{n}\" descr=\"{alt}\"/><wp:cNvGraphicFramePr/>\
                 <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">\
                 <c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"rIdChart{n}\"/>\
                 </a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
            );
        }
        if let Some(note) = &c.chart.note {
            self.para("图注", &[Run::plain(note)]);
        }
        self.para("图题", &[Run::plain(&c.caption)]);
    }

    /// 落款 and 成文日期 as the standard places them without a seal: the
    /// 署名 two characters from the right, the date on the next line starting
    /// two characters to the right of the 署名's first character; when the
    /// date is the longer, the date two characters from the right and the
    /// 署名 moved left to match.
    fn sign(&mut self, signature: &str, date: Option<&str>) {
        // Widths and indents in half characters: two characters are 4.
        let s = width(signature);
        let (sig_right, date_right) = match date.map(width) {
            // The date starts two characters right of the 署名's start.
            Some(d) if s >= d + 4 => (4, s - d),
            // The date is the longer: it sits two characters from the right.
            Some(d) => (8 + d - s, 4),
            None => (4, 0),
        };
        let ind = |half: u32| format!("<w:ind w:right=\"{}\"/>", half * CHAR / 2);
        self.body += "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr></w:p>";
        self.para_with("落款", &ind(sig_right), &[Run::plain(signature)]);
        if let Some(d) = date {
            self.para_with("成文日期", &ind(date_right), &[Run::plain(d)]);
        }
    }

    /// The zip: parts in a fixed order, each with the same fixed time.
    fn package(self) -> Result<Vec<u8>, Failure> {
        let fail = |e: &dyn std::fmt::Display| Failure::Internal(Internal::Word(e.to_string()));
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                // Fastest deflate: the parts are small XML; the default
                // level costs twice the time for a few percent.
                .compression_level(Some(1))
                .last_modified_time(zip::DateTime::default());
            let mut put = |name: &str, bytes: &[u8]| -> Result<(), Failure> {
                z.start_file(name, opts).map_err(|e| fail(&e))?;
                z.write_all(bytes).map_err(|e| fail(&e))
            };
            put(
                "[Content_Types].xml",
                content_types(self.charts.len()).as_bytes(),
            )?;
            put("_rels/.rels", ROOT_RELS.as_bytes())?;
            put("word/document.xml", document(&self.body).as_bytes())?;
            put("word/styles.xml", STYLES.as_bytes())?;
            put("word/settings.xml", SETTINGS.as_bytes())?;
            put("word/footer1.xml", footer("right", "w:right").as_bytes())?;
            put("word/footer2.xml", footer("left", "w:left").as_bytes())?;
            put(
                "word/_rels/document.xml.rels",
                rels(self.charts.len()).as_bytes(),
            )?;
            for (i, chart) in self.charts.iter().enumerate() {
                put(&format!("word/charts/chart{}.xml", i + 1), chart.as_bytes())?;
            }
            z.finish().map_err(|e| fail(&e))?;
        }
        Ok(buf.into_inner())
    }
}

/// The style id of a named style (ASCII ids, Chinese names).
fn style_id(name: &str) -> &'static str {
    match name {
        "标题" => "Title",
        "一级标题" => "Heading1",
        "二级标题" => "Heading2",
        "三级标题" => "Heading3",
        "四级标题" => "Heading4",
        "落款" => "Signature",
        "成文日期" => "Date",
        "表题" => "TableCaption",
        "图题" => "Caption",
        "图注" => "FigureNote",
        _ => "Normal",
    }
}

fn run(text: &str, bold: bool) -> String {
    let b = if bold {
        "<w:rPr><w:b/><w:bCs/></w:rPr>"
    } else {
        ""
    };
    format!(
        "<w:r>{b}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        xml(text)
    )
}

fn xml(s: &str) -> String {
    crate::views::escape::xml_text(s)
}

/// The blocks of a Markdown text: (style, runs).
fn md_blocks(md: &str) -> Vec<(&'static str, Vec<Run<'static>>)> {
    let mut out: Vec<(&'static str, Vec<Run<'static>>)> = Vec::new();
    let mut cur: Option<(&'static str, Vec<Run<'static>>)> = None;
    let mut bold = 0u32;
    let mut lists: Vec<Option<u64>> = Vec::new();
    let flush = |cur: &mut Option<(&'static str, Vec<Run<'static>>)>,
                 out: &mut Vec<(&'static str, Vec<Run<'static>>)>| {
        if let Some(c) = cur.take().filter(|(_, r)| !r.is_empty()) {
            out.push(c);
        }
    };
    for ev in Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES) {
        match ev {
            Event::Start(Tag::Paragraph) if cur.is_none() => {
                cur = Some(("正文", Vec::new()));
            }
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut cur, &mut out);
                cur = Some(("三级标题", Vec::new()));
            }
            Event::Start(Tag::List(start)) => {
                flush(&mut cur, &mut out);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut cur, &mut out);
                let mark = match lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}.");
                        *n += 1;
                        m
                    }
                    _ => "·".to_string(),
                };
                cur = Some((
                    "正文",
                    vec![Run {
                        text: mark.into(),
                        bold: false,
                    }],
                ));
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                flush(&mut cur, &mut out);
            }
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                let c = cur.get_or_insert(("正文", Vec::new()));
                if c.0 == "表格" {
                    // Into the cell opened last.
                    if let Some(cell) = c.1.last_mut() {
                        cell.text = format!("{}{t}", cell.text).into();
                    }
                } else {
                    c.1.push(Run {
                        text: t.into_string().into(),
                        bold: bold > 0,
                    });
                }
            }
            // A table: one block of runs, a run per cell and an empty run
            // between rows (see `own_table`).
            Event::Start(Tag::Table(_)) => {
                flush(&mut cur, &mut out);
                cur = Some(("表格", Vec::new()));
            }
            Event::Start(Tag::TableCell) => {
                if let Some(c) = cur.as_mut() {
                    c.1.push(Run {
                        text: "".into(),
                        bold: true,
                    });
                }
            }
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                if let Some(c) = cur.as_mut() {
                    c.1.push(Run {
                        text: "".into(),
                        bold: false,
                    });
                }
            }
            Event::End(TagEnd::Table) => flush(&mut cur, &mut out),
            _ => {}
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// A table of the office's text from its block of runs: a bold run opens
/// a cell, a plain empty one ends a row; the first row is the header.
fn own_table(runs: &[Run]) -> Table {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    for r in runs {
        if r.bold {
            row.push(r.text.to_string());
        } else {
            rows.push(std::mem::take(&mut row));
        }
    }
    let mut rows = rows.into_iter().filter(|r| !r.is_empty());
    let head = rows.next().unwrap_or_default();
    let rows: Vec<Vec<String>> = rows.collect();
    let num = (0..head.len())
        .map(|i| {
            rows.iter().all(|r| {
                r.get(i)
                    .is_some_and(|c| c.chars().next().is_some_and(|ch| ch.is_ascii_digit()))
            })
        })
        .collect();
    Table {
        caption: String::new(),
        head,
        rows,
        num,
        printed: true,
    }
}

fn document(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">\
         <w:body>{body}<w:sectPr>\
         <w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/>\
         <w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\" w:header=\"851\" w:footer=\"1304\" w:gutter=\"0\"/>\
         <w:pgNumType w:start=\"1\"/>\
         <w:docGrid w:type=\"lines\" w:linePitch=\"579\"/>\
         </w:sectPr></w:body></w:document>"
    )
}

/// A page-number footer: "— 1 —" in 4号 宋体, one character in from `side`.
fn footer(align: &str, side: &str) -> String {
    let field = "<w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:hAnsi=\"宋体\" w:eastAsia=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr>";
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:p><w:pPr><w:jc w:val=\"{align}\"/><w:ind {side}=\"280\"/></w:pPr>\
         {field}<w:t xml:space=\"preserve\">— </w:t></w:r>\
         {field}<w:fldChar w:fldCharType=\"begin\"/></w:r>\
         {field}<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         {field}<w:fldChar w:fldCharType=\"separate\"/></w:r>\
         {field}<w:t>1</w:t></w:r>\
         {field}<w:fldChar w:fldCharType=\"end\"/></w:r>\
         {field}<w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"
    )
}

fn rels(charts: usize) -> String {
    let mut r = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rIdFooterOdd\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
         <Relationship Id=\"rIdFooterEven\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/>",
    );
    for i in 1..=charts {
        r += &format!(
            "<Relationship Id=\"rIdChart{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" Target=\"charts/chart{i}.xml\"/>"
        );
    }
    r + "</Relationships>"
}

/// The parts' types: the fixed parts and `charts` chart parts.
fn content_types(charts: usize) -> String {
    let mut t = String::from(CONTENT_TYPES);
    for i in 1..=charts {
        t += &format!(
            "<Override PartName=\"/word/charts/chart{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>"
        );
    }
    t + "</Types>"
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

/// Odd and even pages have footers of their own.
const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:evenAndOddHeaders/><w:defaultTabStop w:val=\"640\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>\
</w:settings>";

/// The named styles: 正文 3号 仿宋_GB2312 with a two-character first-line
/// indent and exact 29 pt lines (22 to the page); 标题 2号 方正小标宋简体
/// centred; 一级 黑体, 二级 楷体_GB2312, 三级 仿宋 bold, 四级 仿宋, each with
/// its outline level (Word's navigation pane); 落款 and 成文日期 right.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"仿宋_GB2312\" w:cs=\"Times New Roman\" w:hint=\"eastAsia\"/>\
<w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:line=\"579\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"正文\"/><w:qFormat/>\
<w:pPr><w:widowControl w:val=\"0\"/><w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:jc w:val=\"both\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"标题\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:spacing w:line=\"700\" w:lineRule=\"exact\" w:after=\"579\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"9\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"方正小标宋简体\" w:hAnsi=\"方正小标宋简体\" w:eastAsia=\"方正小标宋简体\" w:hint=\"eastAsia\"/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"一级标题\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:outlineLvl w:val=\"0\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"黑体\" w:hAnsi=\"黑体\" w:eastAsia=\"黑体\" w:hint=\"eastAsia\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"二级标题\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:outlineLvl w:val=\"1\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"楷体_GB2312\" w:hAnsi=\"楷体_GB2312\" w:eastAsia=\"楷体_GB2312\" w:hint=\"eastAsia\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"三级标题\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading4\"><w:name w:val=\"四级标题\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:outlineLvl w:val=\"3\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Signature\"><w:name w:val=\"落款\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"right\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Date\"><w:name w:val=\"成文日期\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"right\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableCaption\"><w:name w:val=\"表题\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:line=\"400\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"黑体\" w:hAnsi=\"黑体\" w:eastAsia=\"黑体\" w:hint=\"eastAsia\"/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"图题\"/><w:basedOn w:val=\"TableCaption\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"240\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"FigureNote\"><w:name w:val=\"图注\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Caption\"/>\
<w:pPr><w:keepNext/><w:spacing w:line=\"360\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr>\
<w:rPr><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Figure\"><w:name w:val=\"图\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Caption\"/>\
<w:pPr><w:keepNext/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"表格文字\"/><w:basedOn w:val=\"Normal\"/>\
<w:pPr><w:spacing w:line=\"360\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"left\"/></w:pPr>\
<w:rPr><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"Table\"><w:name w:val=\"表格\"/>\
<w:tblPr><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_escapes() {
        assert_eq!(width("xx区扶贫办"), 2 + 2 * 4);
        assert_eq!(xml("a<b>&\"c\u{1}"), "a&lt;b&gt;&amp;&quot;c");
    }

    /// A table in the office's text becomes a Word table of its cells.
    #[test]
    fn tables_in_the_text() {
        let b = md_blocks(
            "前言。\n\n| 学校 | 人数 |\n| --- | ---: |\n| 马寨小学 | 239 |\n| 剡河 | 45 |\n\n后记。",
        );
        assert_eq!(
            b.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            ["正文", "表格", "正文"]
        );
        let t = own_table(&b[1].1);
        assert_eq!(t.head, ["学校", "人数"]);
        assert_eq!(t.rows, [["马寨小学", "239"], ["剡河", "45"]]);
        assert_eq!(t.num, [false, true]);
    }

    #[test]
    fn markdown_paragraphs_and_bold() {
        let b = md_blocks("第一段**加粗**。\n\n第二段\n\n1. 甲\n2. 乙");
        assert_eq!(b.len(), 4);
        assert!(b[0].1.iter().any(|r| r.bold && r.text == "加粗"));
        assert_eq!(b[2].1[0].text, "1.");
    }
}
