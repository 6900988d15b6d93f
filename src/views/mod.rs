//! View structs shared by the documents' views (总结, 计划, office page):
//! tables, sections, items and charts as the templates see them, and the
//! builder that numbers tables and fills in narrative citations.

pub(crate) mod emphasis;
pub(crate) mod escape;
pub(crate) mod narrative;
pub(crate) mod pages;
pub(crate) mod plan;
pub(crate) mod provenance;
pub(crate) mod summary;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::analysis::provenance::made::{Made, Opens};
use crate::charts::Chart;
use crate::model::cite::CiteTable;
use crate::model::shape;

use crate::model::{Block, Prose};
use narrative::Rendered;

#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub(crate) caption: String,
    pub(crate) head: Vec<String>,
    pub(crate) rows: Vec<Vec<Cell>>,
    /// Per column: right-align (numbers).
    pub(crate) num: Vec<bool>,
    /// Part of the document (the office chose it, or it is the chapter's
    /// content); otherwise a generated table for the web page only, set
    /// apart and never printed.
    pub(crate) printed: bool,
}

/// Templates see a table's `rows` as their texts, as they always have (an
/// office's own `table.html` keeps working), and its `cells` with the
/// figures they open.
impl Serialize for Table {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let texts: Vec<Vec<&str>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect();
        let mut t = s.serialize_struct("Table", 6)?;
        t.serialize_field("caption", &self.caption)?;
        t.serialize_field("head", &self.head)?;
        t.serialize_field("rows", &texts)?;
        t.serialize_field("cells", &self.rows)?;
        t.serialize_field("num", &self.num)?;
        t.serialize_field("printed", &self.printed)?;
        t.end()
    }
}

/// A paragraph nianbao writes: templates see its `text` as plain text, as
/// they always have, and `said` with the figures it opens.
#[derive(Clone, Debug, Default)]
pub(crate) struct Generated(pub(crate) Cell);

impl Serialize for Generated {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut t = s.serialize_struct("Generated", 2)?;
        t.serialize_field("text", &self.0.text)?;
        t.serialize_field("said", &self.0)?;
        t.end()
    }
}

/// A table cell, or a run of a sentence nianbao writes: its text, and the
/// figure it shows by its name in the citation table. The web page opens
/// the figure at its 核对表 row (`f`, numbered once the document is
/// assembled, [`number_figures`]); print, Markdown and Word show the text
/// alone.
#[derive(Clone, Debug, Default)]
pub(crate) struct Cell {
    pub(crate) text: String,
    pub(crate) opens: Option<Opens>,
    pub(crate) f: Option<u32>,
    /// A text of several figures in its runs (their texts make `text`).
    pub(crate) runs: Vec<Cell>,
}

/// Templates see a cell's row `f` and its `html`: the text escaped, each
/// figure in `<span data-f=行>` (made once here, not by a template for
/// every cell); its plain text is the table's `rows`.
impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut html = String::with_capacity(self.text.len() + 32);
        self.html(&mut html);
        let mut t = s.serialize_struct("Cell", 2)?;
        t.serialize_field("f", &self.f)?;
        t.serialize_field("html", &html)?;
        t.end()
    }
}

impl Cell {
    /// The text of the figure named `key`: one to open, when it shows a
    /// number (a dash says there is none).
    pub(crate) fn fig(text: impl Into<String>, key: Option<String>) -> Cell {
        Cell::opening(text.into(), key.map(Opens::Name))
    }

    /// The text of a figure that has no name, made with the view.
    pub(crate) fn made(text: impl Into<String>, made: Made) -> Cell {
        Cell::opening(text.into(), Some(Opens::Made(std::sync::Arc::new(made))))
    }

    fn opening(text: String, opens: Option<Opens>) -> Cell {
        let opens = opens.filter(|_| text.bytes().any(|b| b.is_ascii_digit()));
        Cell {
            text,
            opens,
            ..Cell::default()
        }
    }

    /// A text in runs, each a figure or plain text.
    pub(crate) fn of_runs(runs: Vec<Cell>) -> Cell {
        let mut runs = runs;
        runs.retain(|r| !r.text.is_empty());
        match runs.len() {
            0 => Cell::default(),
            1 => runs.pop().unwrap_or_default(),
            _ => Cell {
                text: runs.iter().map(|r| r.text.as_str()).collect(),
                runs,
                ..Cell::default()
            },
        }
    }

    /// The cell on the web page: its text escaped, each figure to open in
    /// `<span data-f=行>` (which [`provenance::page_data`] reads).
    fn html(&self, out: &mut String) {
        if !self.runs.is_empty() {
            self.runs.iter().for_each(|r| r.html(out));
            return;
        }
        if let Some(f) = self.f {
            use std::fmt::Write as _;
            let _ = write!(out, "<span data-f={f}>");
        }
        escape::html_escape_into(out, &self.text);
        if self.f.is_some() {
            out.push_str("</span>");
        }
    }

    /// Number its figure (and its runs') as rows of `shown`: only a figure
    /// whose numbers are all in the text the name prints opens (a cell never
    /// opens a derivation of other figures than it shows).
    fn number(&mut self, shown: &provenance::Shown) {
        self.f = match &self.opens {
            Some(Opens::Name(k)) => shown
                .cite()
                .find(k)
                .filter(|found| provenance::agrees(&self.text, found.text))
                .and_then(|_| shown.row_of(k)),
            Some(Opens::Made(m)) => {
                provenance::agrees(&self.text, &m.printed).then(|| shown.row_made(m))
            }
            None => None,
        };
        for r in &mut self.runs {
            r.number(shown);
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            ..Cell::default()
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_string())
    }
}

impl PartialEq<&str> for Cell {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Section {
    /// `(一)`
    pub(crate) number: String,
    pub(crate) title: String,
    pub(crate) body: Option<Rendered>,
    pub(crate) tables: Vec<Table>,
    pub(crate) charts: Vec<ChartView>,
    /// The third and fourth levels below it (1., （1）), in order.
    pub(crate) subs: Vec<Sub>,
    /// Numbered items (a group's tasks: 1. 2. …).
    pub(crate) items: Vec<Item>,
}

/// A heading of the third or fourth level (1. or （1）) with its text.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Sub {
    /// 3 or 4.
    pub(crate) level: usize,
    pub(crate) number: String,
    pub(crate) title: String,
    pub(crate) body: Option<Rendered>,
}

/// A chapter (一、…): the office's text, what nianbao generates for it
/// (a paragraph, charts, tables), its sections and its items (一是…).
#[derive(Clone, Debug, Serialize, Default)]
pub(crate) struct Chapter {
    /// `一、总体情况`
    pub(crate) heading: String,
    /// The office's text before anything generated.
    pub(crate) body: Option<Rendered>,
    /// A generated paragraph (the register in words), in runs: each figure
    /// a run of its own.
    #[serde(flatten)]
    pub(crate) text: Generated,
    /// The office's text after the generated paragraph.
    pub(crate) extra: Option<Rendered>,
    /// `extra` in runs, where nianbao wrote it (a 计划's carried-over
    /// projects): its HTML is made again once its figures are numbered.
    #[serde(skip)]
    pub(crate) extra_said: Option<Cell>,
    pub(crate) charts: Vec<ChartView>,
    pub(crate) tables: Vec<Table>,
    pub(crate) sections: Vec<Section>,
    pub(crate) items_intro: Option<Rendered>,
    pub(crate) items: Vec<Item>,
}

impl Chapter {
    /// Whether it holds anything to print under its heading.
    fn is_empty(&self) -> bool {
        self.body.is_none()
            && self.text.0.text.is_empty()
            && self.extra.is_none()
            && self.charts.is_empty()
            && self.tables.is_empty()
            && self.sections.is_empty()
            && self.items.is_empty()
    }

    pub(crate) fn search_text(&self, t: &mut SearchText) {
        t.text(&self.heading);
        for p in [&self.body, &self.extra].into_iter().flatten() {
            t.prose(p);
        }
        t.text(&self.text.0.text);
        self.charts.iter().for_each(|c| {
            t.chart(c);
        });
        self.tables.iter().for_each(|x| {
            t.table(x);
        });
        for s in &self.sections {
            t.text(&s.number).text(&s.title);
            if let Some(b) = &s.body {
                t.prose(b);
            }
            s.charts.iter().for_each(|c| {
                t.chart(c);
            });
            s.tables.iter().for_each(|x| {
                t.table(x);
            });
            for sub in &s.subs {
                t.text(&sub.number).text(&sub.title);
                if let Some(b) = &sub.body {
                    t.prose(b);
                }
            }
        }
        if let Some(p) = &self.items_intro {
            t.prose(p);
        }
        self.items.iter().for_each(|i| {
            t.item(i);
        });
    }
}

/// A chart as the templates see it: its SVG file (which the page shows as
/// an image and the Markdown links to), and the numbers behind it as a
/// table.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ChartView {
    /// Relative to the document (beside it), e.g. `funds.svg`.
    pub(crate) file: String,
    /// Size in px, for the page's `<img>`.
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// Inline markup (no namespace attribute: HTML implies it), for
    /// templates an office exported before the page showed the file.
    pub(crate) svg: String,
    /// The standalone SVG document written to `file`.
    #[serde(skip)]
    pub(crate) document: String,
    /// `图1 2017年脱贫进度`
    pub(crate) caption: String,
    pub(crate) alt: String,
    pub(crate) table: Table,
    /// The chart itself, for Word's own charts.
    #[serde(skip)]
    pub(crate) chart: Chart,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Item {
    /// `一是`, `（一）`, `1.`
    pub(crate) ordinal: String,
    /// A bold lead-in before the text, e.g. a phase and its deadline.
    pub(crate) name: Option<String>,
    pub(crate) text: Rendered,
    /// A trailing note, e.g. `（责任领导：…；责任单位：…）`.
    pub(crate) meta: Option<String>,
    /// The text is more than one paragraph: the ordinal, lead-in and note
    /// are inside its first and last paragraph, and the templates print it
    /// as it is (never a paragraph inside a paragraph).
    pub(crate) block: bool,
}

impl Item {
    pub(crate) fn new(
        ordinal: String,
        name: Option<String>,
        text: Rendered,
        meta: Option<String>,
    ) -> Item {
        let block = [
            "<p>",
            "<ul>",
            "<ol",
            "<blockquote>",
            "<h",
            "<table>",
            "<pre>",
            "<div",
        ]
        .iter()
        .any(|tag| text.html.starts_with(tag));
        if !block {
            return Item {
                ordinal,
                name,
                text,
                meta,
                block: false,
            };
        }
        let lead = format!(
            "{}{}",
            crate::views::escape::html_escape(&ordinal),
            name.as_deref()
                .map(|n| format!(
                    "<b class=\"lead\">{}</b>",
                    crate::views::escape::html_escape(n)
                ))
                .unwrap_or_default()
        );
        let mut html = match text.html.strip_prefix("<p>") {
            Some(rest) => format!("<p>{lead}{rest}"),
            None if lead.is_empty() => text.html.clone(),
            None => format!("<p>{lead}</p>\n{}", text.html),
        };
        if let Some(m) = &meta {
            let note = format!(
                "<span class=\"meta\">{}</span>",
                crate::views::escape::html_escape(m)
            );
            html = match html.strip_suffix("</p>") {
                Some(head) => format!("{head}{note}</p>"),
                None => format!("{html}\n<p>{note}</p>"),
            };
        }
        let md_name = name
            .as_deref()
            .map(|n| format!("**{}**", crate::views::escape::md_escape(n)))
            .unwrap_or_default();
        let md_meta = meta
            .as_deref()
            .map(crate::views::escape::md_escape)
            .unwrap_or_default();
        Item {
            ordinal: String::new(),
            name: None,
            text: Rendered {
                md: format!("{ordinal}{md_name}{}{md_meta}", text.md),
                html,
            },
            meta: None,
            block: true,
        }
    }
}

/// A chart of a document, numbered `n`.
pub(crate) fn chart_view(c: &Chart, n: usize) -> ChartView {
    let mut v = chart_view_at(c);
    v.caption = format!("图{n} {}", c.title);
    v.table.caption = format!("图{n}数据");
    v
}

/// A chart whose file lies beside the page, captioned with its title.
pub(crate) fn chart_view_at(c: &Chart) -> ChartView {
    let document = c.svg();
    let (width, height) = c.size();
    ChartView {
        file: format!("{}.svg", c.name),
        width,
        height,
        svg: document.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1),
        document,
        caption: c.title.clone(),
        alt: c.desc.clone(),
        chart: c.clone(),
        table: Table {
            caption: format!("{}（数据）", c.title),
            head: vec!["分组".into(), "项目".into(), "数值".into()],
            rows: chart_rows(c),
            num: vec![false, false, false],
            // The chart's numbers, for the web page (in print the chart
            // carries them).
            printed: false,
        },
    }
}

/// The rows of a chart's table, each with the figure its text gives.
fn chart_rows(c: &Chart) -> Vec<Vec<Cell>> {
    c.table_rows()
        .into_iter()
        .map(|([group, label, text], runs)| {
            let said = match runs {
                [] => Cell::from(text),
                _ => Cell::of_runs(
                    runs.iter()
                        .map(|(t, o)| Cell::opening(t.clone(), o.clone()))
                        .collect(),
                ),
            };
            vec![group.into(), label.into(), said]
        })
        .collect()
}

/// Number the figures a document's tables, charts and sentences show, in
/// the order they appear, as rows of the year's 核对表 (`shown`).
pub(crate) fn number_figures(chapters: &mut [Chapter], shown: &provenance::Shown) {
    let table = |t: &mut Table| t.rows.iter_mut().flatten().for_each(|c| c.number(shown));
    for ch in chapters {
        ch.text.0.number(shown);
        if let (Some(said), Some(extra)) = (&mut ch.extra_said, &mut ch.extra) {
            said.number(shown);
            // As narrative::to_html writes a paragraph.
            let end = if extra.html.ends_with('\n') {
                "</p>\n"
            } else {
                "</p>"
            };
            let mut html = String::from("<p>");
            said.html(&mut html);
            html.push_str(end);
            extra.html = html;
        }
        ch.charts.iter_mut().for_each(|c| table(&mut c.table));
        ch.tables.iter_mut().for_each(table);
        for s in &mut ch.sections {
            s.charts.iter_mut().for_each(|c| table(&mut c.table));
            s.tables.iter_mut().for_each(table);
        }
    }
}

/// A document's title in lines: the office's own (`title_lines`), else
/// broken by meaning ([`shape::title_lines`]).
pub(crate) fn title_lines(
    title: &str,
    own: &[String],
    office: &crate::model::Office,
) -> Vec<String> {
    if !own.is_empty() {
        return own.to_vec();
    }
    let region = office.region.as_deref().unwrap_or("");
    shape::title_lines(title, &[&office.short_name, &office.name, region])
}

/// `2017年12月20日`
pub(crate) fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `一、总体情况`: a heading with the number of its level, unless the office
/// numbered it itself.
fn numbered_heading(level: usize, n: usize, title: &str) -> String {
    if shape::numbered(title) {
        title.to_string()
    } else {
        format!("{}{title}", shape::number(level, n))
    }
}

/// A document's chapters in the office's order, numbered 一、二、… as they
/// print: a built-in one made by `fill` under the office's title (or its
/// kind's), with the office's text before it; the office's own as written.
/// A chapter with nothing to print is left out.
pub(crate) fn chapters(
    b: &mut ViewBuilder,
    specs: &[crate::model::Chapter],
    kind: crate::model::DocKind,
    mut fill: impl FnMut(&mut ViewBuilder, shape::Builtin, &crate::model::Chapter) -> Chapter,
    mut placed: impl FnMut(usize) -> Vec<ChartView>,
) -> Vec<Chapter> {
    let mut out: Vec<Chapter> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let (title, mut chapter) = match spec {
            crate::model::Chapter::Builtin {
                which, title, text, ..
            } => {
                let mut c = fill(b, *which, spec);
                c.body = text.as_ref().map(|p| b.prose(p, false));
                let t = if title.is_empty() {
                    which.title(kind).to_string()
                } else {
                    title.clone()
                };
                (t, c)
            }
            crate::model::Chapter::Own(block) => (
                block.title.clone().unwrap_or_default(),
                own_chapter(b, block),
            ),
        };
        // Charts the office placed here, after what the chapter has.
        chapter.charts.extend(placed(i));
        if !chapter.is_empty() {
            chapter.heading = numbered_heading(1, out.len() + 1, &title);
            out.push(chapter);
        }
    }
    renumber_charts(&mut out);
    out
}

/// 图1, 图2 … in reading order, wherever the charts ended up.
fn renumber_charts(chapters: &mut [Chapter]) {
    let mut n = 0;
    let all = chapters.iter_mut().flat_map(|c| {
        c.charts
            .iter_mut()
            .chain(c.sections.iter_mut().flat_map(|s| s.charts.iter_mut()))
    });
    for chart in all {
        n += 1;
        let title = chart
            .caption
            .split_once(' ')
            .map_or(chart.caption.clone(), |(_, t)| t.to_string());
        chart.caption = format!("图{n} {title}");
        chart.table.caption = format!("图{n}数据");
    }
}

/// The number nianbao gives a heading of `level` at `position` (from 1)
/// among its siblings: none where the office numbered the title itself, or
/// where the text under it counts at this level or above (its numbers would
/// collide); else the level's number, counted on from the numbers the text
/// above already uses at this level (`after`).
pub(crate) fn heading_number(
    level: usize,
    position: usize,
    after: usize,
    title: &str,
    body: Option<&str>,
) -> String {
    let collides =
        body.is_some_and(|b| shape::own_numbers(b)[..level.min(4)].iter().any(|n| *n > 0));
    if shape::numbered(title) || collides {
        String::new()
    } else {
        shape::number(level, after + position)
    }
}

/// The numbers the office's text already uses at `level`: nianbao's own
/// headings below it count on from there.
pub(crate) fn counted_to(text: Option<&crate::model::Prose>, level: usize) -> usize {
    match level {
        1..=4 => text.map_or(0, |p| shape::own_numbers(&p.text)[level - 1]),
        _ => 0,
    }
}

/// An office's own chapter: its text, its （一） sections, and below them
/// their 1. and （1） parts.
fn own_chapter(b: &mut ViewBuilder, block: &Block) -> Chapter {
    let mut c = Chapter {
        body: block.text.as_ref().map(|p| b.prose(p, false)),
        ..Chapter::default()
    };
    let after = counted_to(block.text.as_ref(), 2);
    for (i, s) in block.blocks.iter().enumerate() {
        let body_text = s.text.as_ref().map(|p| p.text.as_str());
        let Some(title) = &s.title else {
            // A section of text alone is a numbered paragraph (（一）……).
            if let Some(p) = &s.text {
                let ordinal = if shape::counts_itself(&p.text) {
                    String::new()
                } else {
                    shape::number(2, after + i + 1)
                };
                let text = b.prose(p, true);
                c.items.push(Item::new(ordinal, None, text, None));
            }
            continue;
        };
        let mut subs = Vec::new();
        own_subs(b, s, 3, &mut subs);
        c.sections.push(Section {
            number: heading_number(2, i + 1, after, title, body_text),
            title: title.clone(),
            body: s.text.as_ref().map(|p| b.prose(p, false)),
            tables: Vec::new(),
            charts: Vec::new(),
            subs,
            items: Vec::new(),
        });
    }
    c
}

/// The third and fourth levels of an office's section `parent`, in reading
/// order. A title that ends a sentence (1.履行党委主体责任。) is a run-in
/// heading: it leads its text's first paragraph, in bold, as written.
fn own_subs(b: &mut ViewBuilder, parent: &Block, level: usize, out: &mut Vec<Sub>) {
    let after = counted_to(parent.text.as_ref(), level);
    for (i, s) in parent.blocks.iter().enumerate() {
        let title = s.title.clone().unwrap_or_default();
        let body_text = s.text.as_ref().map(|p| p.text.as_str());
        let number = if s.title.is_none() {
            String::new()
        } else {
            heading_number(level, i + 1, after, &title, body_text)
        };
        let body = s.text.as_ref().map(|p| b.prose(p, false));
        out.push(if run_in(&title) {
            Sub {
                level,
                number: String::new(),
                title: String::new(),
                body: Some(lead_into(&format!("{number}{title}"), body)),
            }
        } else {
            Sub {
                level,
                number,
                title,
                body,
            }
        });
        own_subs(b, s, level + 1, out);
    }
}

/// A heading that ends a sentence: printed run-in, before its text.
fn run_in(title: &str) -> bool {
    title.trim_end().ends_with(['。', '！', '？', '；', '：'])
}

/// `lead` in bold at the start of the text's first paragraph (a paragraph
/// of its own when there is no text).
fn lead_into(lead: &str, body: Option<Rendered>) -> Rendered {
    let body = body.unwrap_or_default();
    let md_lead = format!("**{}**", escape::md_escape(lead));
    let md = format!("{md_lead}{}", body.md);
    let md = emphasis::normalise(&md, narrative::options()).into_owned();
    let html_lead = format!("<strong>{}</strong>", escape::html_escape(lead));
    let html = match body.html.strip_prefix("<p>") {
        Some(rest) => format!("<p>{html_lead}{rest}"),
        None => format!("<p>{html_lead}</p>{}", body.html),
    };
    Rendered { md, html }
}

/// Builds a document's view (the 总结's and the 计划's), numbering its
/// tables and filling in the narrative's citations.
pub(crate) struct ViewBuilder<'a> {
    cite: &'a CiteTable,
    /// The acknowledged figures, marked on the web page.
    marks: narrative::Marks,
    tables: usize,
    /// Whether the tables made now are part of the document.
    printing: bool,
}

impl<'a> ViewBuilder<'a> {
    pub(crate) fn new(cite: &'a CiteTable, year: &crate::model::Year) -> Self {
        ViewBuilder {
            cite,
            marks: ack_marks(year, cite),
            tables: 0,
            printing: true,
        }
    }

    /// The office's prose with its citations filled in (reconcile checked
    /// them).
    pub(crate) fn prose(&self, p: &Prose, inline: bool) -> Rendered {
        narrative::render(p, self.cite, &self.marks, inline)
    }

    /// A figure's cell: `text`, the figure `name` prints, opened at its
    /// 核对表 row (when it has a derivation).
    pub(crate) fn fig(&self, name: crate::model::cite::Name, text: impl Into<String>) -> Cell {
        Cell::fig(text, Some(self.cite.key(name)))
    }

    /// The year's citation table.
    pub(crate) fn cite(&self) -> &'a CiteTable {
        self.cite
    }

    /// Whether the tables made from now on are part of the document
    /// (numbered 表1, 表2 … in print) or the web page's alone.
    pub(crate) fn printing(&mut self, on: bool) {
        self.printing = on;
    }

    /// A table without its rows of nothing but zeros and dashes (全镇计划购置
    /// 0户) and without columns that are empty in every row.
    pub(crate) fn table(
        &mut self,
        caption: &str,
        head: &[&str],
        rows: Vec<Vec<Cell>>,
        num: &[bool],
    ) -> Table {
        let caption = if self.printing {
            self.tables += 1;
            format!("表{} {caption}", self.tables)
        } else {
            caption.to_string()
        };
        let rows: Vec<Vec<Cell>> = rows
            .into_iter()
            .filter(|r| r.len() < 2 || !r[1..].iter().all(|c| is_nothing(&c.text)))
            .collect();
        let keep: Vec<bool> = (0..head.len())
            .map(|i| {
                i == 0
                    || rows
                        .iter()
                        .any(|r| r.get(i).is_some_and(|c| !c.text.trim().is_empty()))
            })
            .collect();
        fn pick<T>(cells: Vec<T>, keep: &[bool]) -> Vec<T> {
            cells
                .into_iter()
                .zip(keep)
                .filter(|(_, k)| **k)
                .map(|(c, _)| c)
                .collect()
        }
        Table {
            caption,
            head: pick(head.iter().map(|s| s.to_string()).collect(), &keep),
            num: pick(num.to_vec(), &keep),
            rows: rows.into_iter().map(|r| pick(r, &keep)).collect(),
            printed: self.printing,
        }
    }
}

/// The figures printed as published though nianbao computes otherwise
/// (`ack`: 原文如此), by citation key: the rate, the 未 or the total that
/// differs, with the office's note and what nianbao computes, for the web
/// page's mark.
fn ack_marks(year: &crate::model::Year, cite: &CiteTable) -> narrative::Marks {
    use crate::analysis::metrics::{figure_rate, printed_rate};
    use crate::model::FigureKind;
    use crate::model::cite::{Name, Part};
    let mut marks = narrative::Marks::new();
    for fig in year.figures().filter(|f| f.ack.is_some()) {
        let label = fig.label.as_str();
        let note = |computed: String| {
            let ack = fig.ack.as_deref().unwrap_or_default();
            let ack = ack
                .trim_start_matches("原文如此")
                .trim_start_matches([':', '：']);
            format!("原文如此：{ack}（按数据计算为{computed}）")
        };
        let unit = fig.unit.as_deref().unwrap_or("");
        if let (Some(stated), Some(r)) = (printed_rate(fig), figure_rate(&fig.kind))
            && crate::model::num::round(r, fig.precision) != stated
        {
            let computed = crate::analysis::metrics::pct(r, fig.precision);
            let at = match fig.kind {
                FigureKind::Plan { .. } => Name::FigurePart(label, Part::Rate),
                _ => Name::Figure(label),
            };
            marks.insert(cite.key(at), note(computed));
        }
        if let FigureKind::Triple {
            should,
            done,
            undone: Some(u),
        } = &fig.kind
            && should.v - done.v != u.v
        {
            let computed = format!("{}{unit}", should.v - done.v);
            marks.insert(
                cite.key(Name::FigurePart(label, Part::Undone)),
                note(computed),
            );
        }
    }
    marks
}

/// A cell that says nothing: empty, a dash, or a zero (0, 0户, 0.0%).
fn is_nothing(cell: &str) -> bool {
    let c = cell.trim();
    c.is_empty()
        || c == "—"
        || (c.starts_with('0')
            && c.trim_start_matches(['0', '.'])
                .chars()
                .all(|ch| !ch.is_ascii_digit()))
}

/// The plain text of a document for the search index, gathered from its
/// view (not scraped back out of a rendered file): words only, whitespace
/// collapsed.
#[derive(Default)]
pub(crate) struct SearchText(String);

impl SearchText {
    pub(crate) fn text(&mut self, s: &str) -> &mut Self {
        // Copied in runs between whitespace, not a character at a time.
        let mut rest = s;
        while let Some((i, c)) = rest.char_indices().find(|(_, c)| c.is_whitespace()) {
            self.0.push_str(&rest[..i]);
            if !self.0.is_empty() && !self.0.ends_with(' ') {
                self.0.push(' ');
            }
            rest = &rest[i + c.len_utf8()..];
        }
        self.0.push_str(rest);
        if !self.0.ends_with(' ') {
            self.0.push(' ');
        }
        self
    }

    /// The words of the office's prose (its Markdown, without the markup).
    pub(crate) fn prose(&mut self, r: &Rendered) -> &mut Self {
        for event in pulldown_cmark::Parser::new(&r.md) {
            match event {
                pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => {
                    self.text(&t);
                }
                pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak => {
                    self.text(" ");
                }
                _ => {}
            }
        }
        self
    }

    pub(crate) fn table(&mut self, t: &Table) -> &mut Self {
        self.text(&t.caption);
        for cell in &t.head {
            self.text(cell);
        }
        for cell in t.rows.iter().flatten() {
            self.text(&cell.text);
        }
        self
    }

    pub(crate) fn chart(&mut self, c: &ChartView) -> &mut Self {
        self.text(&c.caption).table(&c.table)
    }

    pub(crate) fn item(&mut self, i: &Item) -> &mut Self {
        self.text(&i.ordinal);
        if let Some(n) = &i.name {
            self.text(n);
        }
        self.prose(&i.text);
        if let Some(m) = &i.meta {
            self.text(m);
        }
        self
    }

    pub(crate) fn finish(self) -> String {
        self.0.trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::shape::cn_number;
    use chrono::NaiveDate;

    /// Every text of `n` parts, each any of `parts` (`parts.len()ⁿ` texts),
    /// for tests that compare two ways of doing the same on all of them.
    pub(super) fn mixes(parts: &[&str], n: usize) -> Vec<String> {
        let mut mixes = vec![String::new()];
        for _ in 0..n {
            mixes = mixes
                .iter()
                .flat_map(|m| parts.iter().map(move |p| format!("{m}{p}")))
                .collect();
        }
        mixes
    }

    /// Search text keeps every other character and makes each run of
    /// whitespace (any kind) one space, one after each text: as a character
    /// at a time would, on every mix of four parts of a few kinds.
    #[test]
    fn search_text_collapses_whitespace() {
        let by_char = |texts: &[&str]| {
            let mut out = String::new();
            for s in texts {
                for c in s.chars() {
                    match c.is_whitespace() {
                        true if !out.is_empty() && !out.ends_with(' ') => out.push(' '),
                        true => {}
                        false => out.push(c),
                    }
                }
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            out
        };
        let parts = ["", " ", "a", "专项", "\u{3000}", "\n\t", "  x "];
        for m in &mixes(&parts, 4) {
            for texts in [vec![m.as_str()], vec![m.as_str(), " 乙", m.as_str()]] {
                let mut t = SearchText::default();
                for s in &texts {
                    t.text(s);
                }
                assert_eq!(t.0, by_char(&texts), "{texts:?}");
            }
        }
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(cn_number(1), "一");
        assert_eq!(cn_number(10), "十");
        assert_eq!(cn_number(12), "十二");
        assert_eq!(cn_number(20), "二十");
        assert_eq!(cn_number(34), "三十四");
    }

    #[test]
    fn dates_without_leading_zeros() {
        let d = NaiveDate::from_ymd_opt(2017, 9, 30).unwrap();
        assert_eq!(cn_date(d), "2017年9月30日");
    }
}
