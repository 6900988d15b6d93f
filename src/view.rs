//! View structs shared by the documents' views (总结, 计划, office page):
//! tables, sections, items and charts as the templates see them, and the
//! builder that numbers tables and fills in narrative citations.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::charts::Chart;
use crate::cite::CiteTable;
use crate::model::Prose;
use crate::narrative::{self, Rendered};

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Table {
    pub(crate) caption: String,
    pub(crate) head: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
    /// Per column: right-align (numbers).
    pub(crate) num: Vec<bool>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Section {
    /// `(一)`
    pub(crate) number: String,
    pub(crate) title: String,
    pub(crate) body: Option<Rendered>,
    pub(crate) tables: Vec<Table>,
    pub(crate) charts: Vec<ChartView>,
}

/// A chart as the templates see it: inline SVG for HTML, a file for
/// Markdown, and the numbers behind it as a table.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ChartView {
    /// Relative to the document, e.g. `charts/funds.svg`.
    pub(crate) file: String,
    /// Inline markup for HTML (no namespace attribute: HTML implies it).
    pub(crate) svg: String,
    /// The standalone SVG document written to `file`.
    #[serde(skip)]
    pub(crate) document: String,
    /// `图1 2017年脱贫进度`
    pub(crate) caption: String,
    pub(crate) alt: String,
    pub(crate) table: Table,
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
}

pub(crate) fn chart_view(c: &Chart, n: usize) -> ChartView {
    let mut v = chart_view_at(c, "");
    v.caption = format!("图{n} {}", c.title);
    v.table.caption = format!("图{n}数据");
    v
}

/// A chart whose file lies under `dir` (relative to the page, `""` or
/// ending in `/`), captioned with its title.
pub(crate) fn chart_view_at(c: &Chart, dir: &str) -> ChartView {
    let document = c.svg();
    ChartView {
        file: format!("{dir}charts/{}.svg", c.name),
        svg: document.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1),
        document,
        caption: c.title.clone(),
        alt: c.desc.clone(),
        table: Table {
            caption: format!("{}（数据）", c.title),
            head: vec!["分组".into(), "项目".into(), "数值".into()],
            rows: c.table_rows(),
            num: vec![false, false, false],
        },
    }
}

/// `2017年12月20日`
pub(crate) fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Chinese numeral for 1..=99: 一, 十, 十一, 二十三.
pub(crate) fn cn_number(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[n - 10] }),
        20..=99 => format!(
            "{}十{}",
            D[n / 10],
            if n.is_multiple_of(10) { "" } else { D[n % 10] }
        ),
        _ => n.to_string(),
    }
}

/// Builds a document's view (the 总结's and the 计划's), numbering its
/// tables and filling in the narrative's citations.
pub(crate) struct ViewBuilder<'a> {
    cite: &'a CiteTable,
    tables: usize,
}

impl<'a> ViewBuilder<'a> {
    pub(crate) fn new(cite: &'a CiteTable) -> Self {
        ViewBuilder { cite, tables: 0 }
    }

    /// The office's prose with its citations filled in (reconcile checked
    /// them).
    pub(crate) fn prose(&self, p: &Prose, inline: bool) -> Rendered {
        narrative::render(p, self.cite, inline)
    }

    pub(crate) fn table(
        &mut self,
        caption: &str,
        head: &[&str],
        rows: Vec<Vec<String>>,
        num: &[bool],
    ) -> Table {
        self.tables += 1;
        Table {
            caption: format!("表{} {caption}", self.tables),
            head: head.iter().map(|s| s.to_string()).collect(),
            rows,
            num: num.to_vec(),
        }
    }
}

/// The plain text of a document for the search index, gathered from its
/// view (not scraped back out of a rendered file): words only, whitespace
/// collapsed.
#[derive(Default)]
pub(crate) struct SearchText(String);

impl SearchText {
    pub(crate) fn text(&mut self, s: &str) -> &mut Self {
        for c in s.chars() {
            if c.is_whitespace() {
                if !self.0.is_empty() && !self.0.ends_with(' ') {
                    self.0.push(' ');
                }
            } else {
                self.0.push(c);
            }
        }
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
        for cell in t.head.iter().chain(t.rows.iter().flatten()) {
            self.text(cell);
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
    use chrono::NaiveDate;

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
