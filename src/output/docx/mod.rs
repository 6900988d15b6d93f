//! Word (.docx) in 公文 format (GB/T 9704-2012), from the same views as the
//! HTML and Markdown: A4 with the standard's margins and its 22 × 28 grid,
//! named styles (标题, 正文, 一级标题 … 四级标题, 落款, 成文日期) with East
//! Asian faces and outline levels, and a font table (`styles`), real tables
//! with a repeating header row, charts as Word's own charts (`chart`), the
//! 落款 placed for a stamped or an unstamped document, page numbers "— 1 —"
//! right on odd pages and left on even ones. The package is written with
//! fixed times and in a fixed order: two builds give the same bytes. Returns
//! bytes; writes nothing.

pub(crate) mod chart;
mod markdown;
mod styles;

use std::io::Write;

use crate::diag::{Failure, Internal};
use crate::model::Print;
use crate::output::docx::chart::half_chars as width;
use crate::output::docx::markdown::{md_blocks, own_table};
use crate::output::docx::styles::{BLOCK, CHAR, Faces};
use crate::views::narrative::Rendered;
use crate::views::plan::PlanView;
use crate::views::summary::SummaryView;
use crate::views::{Chapter, ChartView, Item, Table};

/// The 总结 (or 汇报, 情况报告 …) as a .docx.
pub(crate) fn summary(v: &SummaryView) -> Result<Vec<u8>, Failure> {
    let mut d = Doc::new(&v.print);
    d.draft(v.draft);
    d.title(&v.title_lines);
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
    let mut d = Doc::new(&v.print);
    d.draft(v.draft);
    d.title(&v.title_lines);
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

struct Doc {
    body: String,
    /// Chart parts for word/charts, in order (chart1.xml …).
    charts: Vec<String>,
    faces: Faces,
    /// Stamped after printing: the 落款 of 7.3.5.1, else of 7.3.5.2.
    seal: bool,
    /// Where a `w:keepNext` goes in the last paragraph, when the body
    /// ends with one (not a table).
    last: Option<usize>,
}

impl Doc {
    fn new(print: &Print) -> Doc {
        Doc {
            body: String::new(),
            charts: Vec::new(),
            faces: Faces::of(&print.fonts),
            seal: print.seal,
            last: None,
        }
    }

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

    /// The title, in its lines: each a run, a line break between them (the
    /// lines are broken by meaning; none is longer than the text block).
    fn title(&mut self, lines: &[String]) {
        self.body += "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>";
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                self.body += "<w:r><w:br/></w:r>";
            }
            self.body += &run(l, false);
        }
        self.body += "</w:p>";
        self.last = None;
    }

    fn para(&mut self, style: &str, runs: &[Run]) {
        self.para_with(style, "", runs);
    }

    /// A paragraph of `style`, with extra paragraph properties.
    fn para_with(&mut self, style: &str, ppr: &str, runs: &[Run]) {
        let id = style_id(style);
        self.body += &format!("<w:p><w:pPr><w:pStyle w:val=\"{id}\"/>");
        self.last = Some(self.body.len());
        self.body += &format!("{ppr}</w:pPr>");
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
        if !c.text.0.text.is_empty() {
            self.para("正文", &[Run::plain(&c.text.0.text)]);
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
        let widths = column_widths(t);
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
        let head: Vec<&str> = t.head.iter().map(String::as_str).collect();
        x += &table_row(t, &head, &widths, true);
        for r in &t.rows {
            let cells: Vec<&str> = r.iter().map(|c| c.text.as_str()).collect();
            x += &table_row(t, &cells, &widths, false);
        }
        x += "</w:tbl>";
        self.body += &x;
        self.last = None;
    }

    /// A chart as Word charts (one per group of bars), its note and its
    /// caption.
    fn chart(&mut self, c: &ChartView) {
        let parts = crate::output::docx::chart::parts(&c.chart);
        let last = parts.len().saturating_sub(1);
        for (i, part) in parts.into_iter().enumerate() {
            self.charts.push(part.xml);
            let n = self.charts.len();
            let (cx, cy) = (part.width, part.height);
            let alt = xml(&c.alt);
            // Only the last part keeps with the caption: a chart of several
            // parts moves to the next page part by part, never as a whole,
            // and leaves at most one part's height empty.
            let keep = if i < last {
                "<w:keepNext w:val=\"0\"/>"
            } else {
                ""
            };
            self.body += &format!(
                "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/>{keep}</w:pPr><w:r><w:drawing>\
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

    /// 落款 and 成文日期 where GB/T 9704-2012 7.3.5 puts them, as right
    /// indents (`Sign`), after a line left empty (two for a seal); kept on
    /// the page of the text's last paragraph, never on a page of their own.
    fn sign(&mut self, signature: &str, date: Option<&str>) {
        // `signature: false` and no date: no 落款 at all.
        if signature.is_empty() && date.is_none() {
            return;
        }
        if let Some(at) = self.last.take() {
            self.body.insert_str(at, "<w:keepNext/>");
        }
        let at = Sign::of(signature, date, self.seal);
        let ind = |twips: u32| format!("<w:ind w:right=\"{twips}\"/>");
        for _ in 0..at.gap {
            self.body += "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/><w:keepNext/></w:pPr></w:p>";
        }
        if !signature.is_empty() {
            self.para_with("落款", &ind(at.signature), &[Run::plain(signature)]);
        }
        if let Some(d) = date {
            self.para_with("成文日期", &ind(at.date), &[Run::plain(d)]);
        }
    }

    /// The zip: parts in a fixed order, each with the same fixed time. The
    /// parts that do not depend on the text come first, deflated once
    /// ([`shared_parts`]).
    fn package(self) -> Result<Vec<u8>, Failure> {
        let fail = |e: &dyn std::fmt::Display| Failure::Internal(Internal::Word(e.to_string()));
        let shared = shared_parts(&self.faces, self.charts.len());
        let shared =
            zip::ZipArchive::new(std::io::Cursor::new(shared.as_slice())).map_err(|e| fail(&e))?;
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.merge_archive(shared).map_err(|e| fail(&e))?;
        let opts = crate::output::zip_options();
        let mut put = |name: &str, bytes: &[u8]| -> Result<(), Failure> {
            z.start_file(name, opts).map_err(|e| fail(&e))?;
            z.write_all(bytes).map_err(|e| fail(&e))
        };
        put("word/document.xml", document(&self.body).as_bytes())?;
        for (i, chart) in self.charts.iter().enumerate() {
            put(&format!("word/charts/chart{}.xml", i + 1), chart.as_bytes())?;
        }
        Ok(z.finish().map_err(|e| fail(&e))?.into_inner())
    }
}

/// The parts of a Word file its text does not change: the same for every
/// document with these faces and this many charts. Each is deflated once
/// per run and copied into every file as it is (starting a deflate stream
/// for each of these eight small parts of 2,000 files was a third of the
/// packaging, 5 % of a full build).
fn shared_parts(faces: &Faces, charts: usize) -> std::sync::Arc<Vec<u8>> {
    type Made = Vec<((Faces, usize), std::sync::Arc<Vec<u8>>)>;
    static MADE: std::sync::Mutex<Made> = std::sync::Mutex::new(Vec::new());
    let mut made = MADE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, parts)) = made.iter().find(|(k, _)| k.0 == *faces && k.1 == charts) {
        return parts.clone();
    }
    let parts = std::sync::Arc::new(deflate_shared(faces, charts));
    made.push(((faces.clone(), charts), parts.clone()));
    parts
}

/// [`shared_parts`] as a zip (empty if it could not be made: then
/// [`Doc::package`] fails).
fn deflate_shared(faces: &Faces, charts: usize) -> Vec<u8> {
    let parts = [
        ("[Content_Types].xml", content_types(charts)),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("word/styles.xml", styles::styles(faces)),
        ("word/fontTable.xml", faces.table()),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/footer1.xml", footer("right", "w:right")),
        ("word/footer2.xml", footer("left", "w:left")),
        ("word/_rels/document.xml.rels", rels(charts)),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        let opts = crate::output::zip_options();
        if z.start_file(name, opts).is_err() || z.write_all(text.as_bytes()).is_err() {
            return Vec::new();
        }
    }
    z.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// Where the 署名 and the 成文日期 go: empty lines after the text, and
/// each one's distance from the right margin, in twips of the grid.
#[derive(Debug, PartialEq)]
struct Sign {
    gap: u32,
    signature: u32,
    date: u32,
}

impl Sign {
    fn of(signature: &str, date: Option<&str>, seal: bool) -> Sign {
        // Widths in half characters (a CJK character is 2, a digit 1);
        // distances in quarters, as centring may take half of a digit.
        let s = width(signature);
        let (gap, sig, date) = match (seal, date.map(width)) {
            // 7.3.5.1, stamped: the date four characters from the right,
            // the 署名 centred over it (both in the seal's lower half; its
            // top within a line of the text: two lines left empty).
            (true, Some(d)) => (2, (16 + d).saturating_sub(s), 16),
            (true, None) => (2, 16, 0),
            // 7.3.5.2, not stamped: after a line, the 署名 two characters
            // from the right, the date below it starting two characters to
            // the right of the 署名's first; a longer date two characters
            // from the right, the 署名 moved left to match.
            (false, Some(d)) if s >= d + 4 => (1, 8, 2 * (s - d)),
            (false, Some(d)) => (1, 2 * (8 + d - s), 8),
            (false, None) => (1, 8, 0),
        };
        Sign {
            gap,
            signature: styles::pitch(sig),
            date: styles::pitch(date),
        }
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

/// Columns as wide as their longest cell (up to 15 characters) and its
/// margins; the text block's width shared out so that short columns (状态,
/// 户数) keep what they need and long ones (names) wrap.
fn column_widths(t: &Table) -> Vec<u32> {
    let block = BLOCK.0;
    let cols = t.head.len().max(1);
    let need: Vec<u32> = (0..cols)
        .map(|i| {
            let head = t.head.get(i).map_or(0, |h| width(h).min(8));
            let cells = t
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| width(&c.text));
            cells.chain([head]).max().unwrap_or(4).clamp(4, 30) * CHAR / 2 + 240
        })
        .collect();
    let sum: u32 = need.iter().sum::<u32>().max(1);
    if sum <= block {
        return need.iter().map(|n| n + (block - sum) * n / sum).collect();
    }
    let share = block / cols as u32;
    let small: u32 = need.iter().filter(|n| **n <= share).sum();
    let large: u32 = need.iter().filter(|n| **n > share).sum::<u32>().max(1);
    let room = block.saturating_sub(small);
    need.iter()
        .map(|n| if *n <= share { *n } else { room * n / large })
        .collect()
}

/// A row of `t`: the header (centred, bold, repeated on each page) or a
/// row of cells, numbers right.
fn table_row(t: &Table, cells: &[&str], widths: &[u32], head: bool) -> String {
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

/// The body in its section: A4, the standard's margins, the grid.
fn document(body: &str) -> String {
    let (w, h) = styles::PAGE;
    let [top, bottom, left, right] = styles::MARGINS;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">\
         <w:body>{body}<w:sectPr>\
         <w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/>\
         <w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>\
         <w:pgSz w:w=\"{w}\" w:h=\"{h}\"/>\
         <w:pgMar w:top=\"{top}\" w:right=\"{right}\" w:bottom=\"{bottom}\" w:left=\"{left}\" w:header=\"851\" w:footer=\"1304\" w:gutter=\"0\"/>\
         <w:pgNumType w:start=\"1\"/>{grid}\
         </w:sectPr></w:body></w:document>",
        grid = styles::doc_grid(),
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
         <Relationship Id=\"rIdFonts\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>\
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
<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>\
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The 落款 of xx区 (13 characters) and of a short 署名, with and
    /// without a seal, in characters of the grid (315.9 twips).
    #[test]
    fn signatures_stamped_and_not() {
        let long = "xx区扶贫开发领导小组办公室";
        let short = "某县乡村振兴局";
        let date = Some("2017年12月20日"); // 7 characters
        let chars = |n: u32| styles::pitch(4 * n);
        // Stamped: the date 4 characters in; a 署名 centred over it.
        assert_eq!(
            Sign::of(short, date, true),
            Sign {
                gap: 2,
                signature: chars(4),
                date: chars(4)
            }
        );
        // 13 characters over 7: 3 characters out on each side.
        assert_eq!(Sign::of(long, date, true).signature, chars(1));
        // Not stamped: the 署名 2 characters in, the date 2 to the right of
        // its start; a date longer than the 署名 2 characters in.
        assert_eq!(
            Sign::of(long, date, false),
            Sign {
                gap: 1,
                signature: chars(2),
                date: chars(13 - 7)
            }
        );
        assert_eq!(
            Sign::of("某局", date, false),
            Sign {
                gap: 1,
                signature: chars(2 + 7 + 2 - 2),
                date: chars(2)
            }
        );
        // A 署名 far longer than the date stays within the block.
        assert_eq!(Sign::of(&"长".repeat(30), date, true).signature, 0);
    }

    #[test]
    fn widths_and_escapes() {
        assert_eq!(width("xx区扶贫办"), 2 + 2 * 4);
        assert_eq!(xml("a<b>&\"c\u{1}"), "a&lt;b&gt;&amp;&quot;c");
    }
}
