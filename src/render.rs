//! Stage 4, render: build view structs from the model and metrics, and turn
//! them into document strings with Tera. Writes nothing. One renderer per
//! output format, behind [`Renderer`].

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::charts::{Chart, YearCharts};
use crate::diag::Diagnostic;
use crate::metrics::{self, Sum2, YearMetrics, pair_text, pct};
use crate::model::*;
use crate::narrative::{self, Rendered};
use crate::num;
use crate::plan::PlanView;

/// The templates, compiled into the binary from `templates/`.
const TEMPLATES: [(&str, &str); 13] = [
    ("summary.html", include_str!("../templates/summary.html")),
    ("summary.md", include_str!("../templates/summary.md")),
    ("table.html", include_str!("../templates/table.html")),
    ("table.md", include_str!("../templates/table.md")),
    ("chart.html", include_str!("../templates/chart.html")),
    ("plan.html", include_str!("../templates/plan.html")),
    ("plan.md", include_str!("../templates/plan.md")),
    ("crumbs.html", include_str!("../templates/crumbs.html")),
    ("head.html", include_str!("../templates/head.html")),
    ("office.html", include_str!("../templates/office.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("chart.md", include_str!("../templates/chart.md")),
    ("index.html", include_str!("../templates/index.html")),
];

/// The stylesheet, written once to `static/style.css`.
pub const STYLE_CSS: &str = include_str!("../templates/style.css");
/// The search script, written once to `static/search.js`.
pub const SEARCH_JS: &str = include_str!("../templates/search.js");

#[derive(Clone, Debug, Serialize)]
pub struct Table {
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Per column: right-align (numbers).
    pub num: Vec<bool>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// `(一)`
    pub number: String,
    pub title: String,
    pub body: Option<Rendered>,
    pub tables: Vec<Table>,
    pub charts: Vec<ChartView>,
    /// Why a chart that would go here was left out.
    pub chart_notes: Vec<String>,
}

/// A chart as the templates see it: inline SVG for HTML, a file for
/// Markdown, and the numbers behind it as a table.
#[derive(Clone, Debug, Serialize)]
pub struct ChartView {
    /// Relative to the document, e.g. `charts/funds.svg`.
    pub file: String,
    /// Inline markup for HTML (no namespace attribute: HTML implies it).
    pub svg: String,
    /// The standalone SVG document written to `file`.
    #[serde(skip)]
    pub document: String,
    /// `图1 2017年脱贫进度`
    pub caption: String,
    pub alt: String,
    pub table: Table,
}

#[derive(Clone, Debug, Serialize)]
pub struct Item {
    /// `一是`, `（一）`, `1.`
    pub ordinal: String,
    /// A bold lead-in before the text, e.g. a phase and its deadline.
    pub name: Option<String>,
    pub text: Rendered,
    /// A trailing note, e.g. `（责任领导：…；责任单位：…）`.
    pub meta: Option<String>,
}

/// Everything the 总结 templates see.
#[derive(Clone, Debug, Serialize)]
pub struct SummaryView {
    pub title: String,
    pub office: String,
    pub office_slug: String,
    pub year: i32,
    /// Path from the document back to the site root, e.g. `../../`.
    pub root: String,
    /// `summary` (for the shared breadcrumb template).
    pub kind: &'static str,
    /// Whether the year has a 计划 to link to.
    pub has_plan: bool,
    pub notices: Vec<String>,
    pub intro: Rendered,
    pub overview_text: String,
    pub overview_extra: Option<Rendered>,
    pub overview_tables: Vec<Table>,
    pub overview_charts: Vec<ChartView>,
    pub overview_chart_notes: Vec<String>,
    pub sections: Vec<Section>,
    pub problems_intro: Option<Rendered>,
    pub problems: Vec<Item>,
    /// Top-level headings, numbered by which parts the year has.
    pub h_overview: String,
    pub h_works: String,
    pub h_problems: String,
    pub h_plan: String,
    pub plan_title: String,
    pub plan_intro: Option<Rendered>,
    pub plan_items: Vec<Item>,
    pub signature: String,
    pub date: String,
    pub as_of: Option<String>,
}

impl SummaryView {
    /// Every chart of the document, in order.
    pub fn charts(&self) -> impl Iterator<Item = &ChartView> {
        self.overview_charts
            .iter()
            .chain(self.sections.iter().flat_map(|s| s.charts.iter()))
    }
}

/// One output format of a document.
pub trait Renderer {
    /// File extension of the output, e.g. `html`.
    fn extension(&self) -> &'static str;
    fn render_summary(&self, view: &SummaryView) -> Result<String, Diagnostic>;
    fn render_plan(&self, view: &PlanView) -> Result<String, Diagnostic>;
}

/// Compiled templates shared by the renderers.
pub struct Templates {
    tera: tera::Tera,
}

impl Templates {
    pub fn new() -> Result<Templates, Diagnostic> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on([".html"]);
        tera.register_filter("md", |s: &str, _: tera::Kwargs, _: &tera::State| {
            md_escape(s)
        });
        tera.register_filter("cell", |s: &str, _: tera::Kwargs, _: &tera::State| {
            md_escape(s).replace('|', "\\|").replace('\n', " ")
        });
        tera.add_raw_templates(TEMPLATES)
            .map_err(|e| Diagnostic::error(format!("内置模板有误：{e}")))?;
        Ok(Templates { tera })
    }

    fn render(&self, name: &str, view: &impl Serialize) -> Result<String, Diagnostic> {
        let ctx = tera::Context::from_serialize(view)
            .map_err(|e| Diagnostic::error(format!("模板数据无法序列化：{e}")))?;
        self.tera
            .render(name, &ctx)
            .map_err(|e| Diagnostic::error(format!("渲染模板 {name} 失败：{e}")))
    }

    pub fn render_index(&self, view: &crate::pages::IndexView) -> Result<String, Diagnostic> {
        self.render("index.html", view)
    }

    pub fn render_office(&self, view: &crate::pages::OfficeView) -> Result<String, Diagnostic> {
        self.render("office.html", view)
    }

    pub fn render_search(&self) -> Result<String, Diagnostic> {
        self.render("search.html", &serde_json::json!({}))
    }
}

pub struct Html<'a>(pub &'a Templates);
pub struct Markdown<'a>(pub &'a Templates);

impl Renderer for Html<'_> {
    fn extension(&self) -> &'static str {
        "html"
    }
    fn render_summary(&self, view: &SummaryView) -> Result<String, Diagnostic> {
        self.0.render("summary.html", view)
    }
    fn render_plan(&self, view: &PlanView) -> Result<String, Diagnostic> {
        self.0.render("plan.html", view)
    }
}

impl Renderer for Markdown<'_> {
    fn extension(&self) -> &'static str {
        "md"
    }
    fn render_summary(&self, view: &SummaryView) -> Result<String, Diagnostic> {
        let text = self.0.render("summary.md", view)?;
        Ok(tidy_markdown(&text))
    }
    fn render_plan(&self, view: &PlanView) -> Result<String, Diagnostic> {
        let text = self.0.render("plan.md", view)?;
        Ok(tidy_markdown(&text))
    }
}

/// Collapse the blank-line runs templates leave behind.
fn tidy_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blanks = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blanks += 1;
            continue;
        }
        if blanks > 0 && !out.is_empty() {
            out.push('\n');
        }
        blanks = 0;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Escape text so Markdown shows it literally (names, labels from data).
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '{' | '}' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn chart_view(c: &Chart, n: usize) -> ChartView {
    let mut v = chart_view_at(c, "");
    v.caption = format!("图{n} {}", c.title);
    v.table.caption = format!("图{n}数据");
    v
}

/// A chart whose file lies under `dir` (relative to the page, `""` or
/// ending in `/`), captioned with its title.
pub fn chart_view_at(c: &Chart, dir: &str) -> ChartView {
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
pub fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Chinese numeral for 1..=99: 一, 十, 十一, 二十三.
pub fn cn_number(n: usize) -> String {
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

/// Builds a document's view (the 总结's here, the 计划's in `plan.rs`),
/// numbering its tables and collecting narrative errors instead of
/// stopping at one.
pub(crate) struct ViewBuilder<'a> {
    cite: &'a BTreeMap<String, String>,
    pub(crate) errors: Vec<Diagnostic>,
    tables: usize,
}

impl<'a> ViewBuilder<'a> {
    pub(crate) fn new(cite: &'a BTreeMap<String, String>) -> Self {
        ViewBuilder {
            cite,
            errors: Vec::new(),
            tables: 0,
        }
    }

    pub(crate) fn prose(&mut self, p: &Prose, inline: bool) -> Rendered {
        match narrative::render(p, self.cite, inline) {
            Ok(r) => r,
            Err(mut e) => {
                self.errors.append(&mut e);
                Rendered::default()
            }
        }
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

/// Reads one column of a tally.
type TallyGet = fn(&Tally) -> Option<crate::raw::N>;

fn opt(d: Option<rust_decimal::Decimal>) -> String {
    d.map_or_else(|| "—".into(), |v| v.normalize().to_string())
}

/// Build the 总结's view. Errors are narrative citation problems.
pub fn summary_view(
    office: &Office,
    year: &Year,
    m: &YearMetrics,
    charts: &YearCharts,
) -> Result<SummaryView, Vec<Diagnostic>> {
    let mut b = ViewBuilder::new(&m.cite);
    let money_unit = year.funds.as_ref().map_or("万元", |f| f.unit.as_str());
    let prec = year.funds.as_ref().map_or(2, |f| f.precision);

    let mut notices = Vec::new();
    if let Some(r) = &year.reconstructed {
        notices.push(format!("说明：本年度数据系回推重建。{r}"));
    }
    if let Some(ill) = year.projects.as_ref().and_then(|p| p.illustrative.as_ref()) {
        notices.push(format!("说明：项目清单为示意数据。{ill}"));
    }

    let intro = b.prose(&year.intro, false);
    let overview_extra = year.overview.as_ref().map(|p| b.prose(p, false));
    let (overview_text, overview_tables) = match (&year.register, &m.register) {
        (Some(reg), Some(rm)) => overview(&mut b, office, year, reg, rm),
        _ => (String::new(), Vec::new()),
    };
    let mut overview_tables = overview_tables;
    if !m.yoy.is_empty() {
        let rows = m
            .yoy
            .iter()
            .map(|y| {
                vec![
                    y.label.clone(),
                    y.prev.clone(),
                    y.cur.clone(),
                    y.change.clone(),
                ]
            })
            .collect();
        let prev = format!("{}年", year.year - 1);
        let cur = format!("{}年", year.year);
        overview_tables.push(b.table(
            "主要指标同比",
            &["指标", &prev, &cur, "同比"],
            rows,
            &[false, true, true, false],
        ));
    }

    let mut sections = Vec::new();
    if let Some(f) = &year.funds {
        let body = f.narrative.as_ref().map(|p| b.prose(p, false));
        let tables = funds_tables(&mut b, f, m, money_unit, prec);
        sections.push(Section {
            number: String::new(),
            title: f.title.clone(),
            body,
            tables,
            charts: Vec::new(),
            chart_notes: Vec::new(),
        });
    }
    for meas in &year.measures {
        let body = meas.narrative.as_ref().map(|p| b.prose(p, false));
        let tables = figure_tables(&mut b, &meas.title, &meas.figures, money_unit);
        sections.push(Section {
            number: String::new(),
            title: meas.heading.clone().unwrap_or_else(|| meas.title.clone()),
            body,
            tables,
            charts: Vec::new(),
            chart_notes: Vec::new(),
        });
    }
    // Charts, numbered in reading order: progress in the overview, funds and
    // projects in the funds section (or the overview when there is none).
    let mut figures = 0;
    let mut view = |c: &Chart| {
        figures += 1;
        chart_view(c, figures)
    };
    let mut overview_charts: Vec<ChartView> = charts.exits.iter().map(&mut view).collect();
    let mut overview_chart_notes: Vec<String> = charts.exits_note.iter().cloned().collect();
    let money_charts: Vec<ChartView> = [&charts.funds, &charts.projects]
        .into_iter()
        .flatten()
        .map(&mut view)
        .collect();
    let money_notes = charts.money_notes.clone();
    match sections.first_mut().filter(|_| year.funds.is_some()) {
        Some(s) => {
            s.charts = money_charts;
            s.chart_notes = money_notes;
        }
        None => {
            overview_charts.extend(money_charts);
            overview_chart_notes.extend(money_notes);
        }
    }
    for (i, s) in sections.iter_mut().enumerate() {
        s.number = format!("（{}）", cn_number(i + 1));
    }

    let (problems_intro, problems) = match &year.problems {
        Some(p) => (
            p.intro.as_ref().map(|x| b.prose(x, false)),
            p.items
                .iter()
                .enumerate()
                .map(|(i, x)| Item {
                    ordinal: format!("{}是", cn_number(i + 1)),
                    name: None,
                    text: b.prose(x, true),
                    meta: None,
                })
                .collect(),
        ),
        None => (None, Vec::new()),
    };
    let (plan_title, plan_intro, plan_items) = match &year.plan {
        Some(p) => (
            format!("{}年工作计划", p.year),
            p.intro.as_ref().map(|x| b.prose(x, false)),
            p.tasks
                .iter()
                .enumerate()
                .map(|(i, t)| Item {
                    ordinal: format!("{}是", cn_number(i + 1)),
                    name: None,
                    text: b.prose(&t.text, true),
                    meta: None,
                })
                .collect(),
        ),
        None => (String::new(), None, Vec::new()),
    };
    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    let mut n = 0;
    let mut heading = |present: bool, text: &str| {
        if !present {
            return String::new();
        }
        n += 1;
        format!("{}、{text}", cn_number(n))
    };
    let h_overview = heading(true, "总体情况");
    let h_works = heading(!sections.is_empty(), "主要工作及成效");
    let h_problems = heading(!problems.is_empty(), "存在问题");
    let h_plan = heading(!plan_items.is_empty(), "下步工作计划");
    Ok(SummaryView {
        h_overview,
        h_works,
        h_problems,
        h_plan,
        title: year.title.clone(),
        office: office.name.clone(),
        office_slug: office.slug.clone(),
        year: year.year,
        root: "../../".into(),
        kind: "summary",
        has_plan: year.plan.is_some(),
        notices,
        intro,
        overview_text,
        overview_extra,
        overview_tables,
        overview_charts,
        overview_chart_notes,
        sections,
        problems_intro,
        problems,
        plan_title,
        plan_intro,
        plan_items,
        signature: office.signature.clone(),
        date: cn_date(year.issued),
        as_of: year.as_of.map(cn_date),
    })
}

/// 一、总体情况: the register in a paragraph, and its tables.
fn overview(
    b: &mut ViewBuilder,
    office: &Office,
    year: &Year,
    reg: &Register,
    rm: &metrics::RegisterMetrics,
) -> (String, Vec<Table>) {
    let l = &reg.labels;
    let region = office.region.clone().unwrap_or_default();
    let mut parts = Vec::new();
    let mut head = format!("{region}{}", l.subject);
    if let Some(v) = reg.villages {
        head = format!("{region}建档立卡{}{}个、{}", l.village, v.v, l.subject);
    }
    let base = pair_text(Sum2::of(&reg.baseline));
    if !base.is_empty() {
        parts.push(format!("{head}{base}"));
    }
    for e in &reg.exits {
        let p = pair_text(Sum2::of(&e.pair));
        let mut s = format!("{}年{}{p}", e.year, l.exit);
        if !e.villages.is_empty() {
            s += &format!(
                "，{}个{}{}（{}）",
                e.villages.len(),
                l.village,
                l.village_exit,
                e.villages.join("、")
            );
        }
        parts.push(s);
    }
    let mut text = parts.join("；");
    if !text.is_empty() {
        text.push('。');
    }
    let mut s2 = Vec::new();
    if let Some(c) = &reg.current {
        s2.push(format!("现有建档人口{}", pair_text(Sum2::of(c))));
    }
    if rm.cumulative.persons.is_some() || rm.cumulative.households.is_some() {
        let mut s = format!("累计{}{}", l.exit, pair_text(rm.cumulative));
        if let Some(p) = rm.progress {
            s += &format!("，占建档立卡人口的{}", pct(p, 1));
        }
        s2.push(s);
    }
    if let Some(rem) = &reg.remaining {
        let mut s = String::from("目前");
        if let Some(v) = rem.villages {
            s += &format!("尚有{}{}个、", l.village, v.v);
        }
        s += &format!("未{}人口{}", l.exit, pair_text(Sum2::of(&rem.pair)));
        if let Some(bd) = rem.breakdowns.first() {
            let items: Vec<String> = bd
                .parts
                .iter()
                .map(|p| format!("{}{}", p.name, metrics::tally_text(&p.tally, "", "")))
                .collect();
            s += &format!("（其中：{}）", items.join("，"));
        }
        if let Some(i) = rm.incidence {
            let den = reg
                .incidence
                .as_ref()
                .map(|x| x.denominator_label.as_str())
                .unwrap_or("");
            s += &format!("，贫困发生率{}（以{den}计）", pct(i, 2));
        }
        s2.push(s);
    }
    if !s2.is_empty() {
        text += &s2.join("，");
        text.push('。');
    }
    let mut s3 = Vec::new();
    if let Some(t) = &reg.targets {
        let mut goals = Vec::new();
        if let Some(v) = t.villages {
            goals.push(format!("{}个村{}", v.v, l.village_exit));
        }
        let tp = pair_text(Sum2 {
            households: t.households.map(|n| n.v),
            persons: t.persons.map(|n| n.v),
        });
        if !tp.is_empty() {
            goals.push(format!("减贫{tp}"));
        }
        if !goals.is_empty() {
            s3.push(format!("{}年目标任务为{}", year.year, goals.join("、")));
        }
    }
    if let Some(t) = rm.this_year {
        let what = if rm.this_year_planned {
            "预脱贫"
        } else {
            &l.exit
        };
        let mut s = format!("{}年{what}{}", year.year, pair_text(t));
        if rm.this_year_villages > 0 {
            s += &format!(
                "，{}{}{}个",
                if rm.this_year_planned { "拟" } else { "" },
                l.village_exit,
                rm.this_year_villages
            );
        }
        if let Some(r) = rm.target_persons {
            s += &format!("，占减贫目标的{}", pct(r, 1));
        }
        s3.push(s);
    }
    if !s3.is_empty() {
        text += &s3.join("；");
        text.push('。');
    }

    let mut tables = Vec::new();
    if !reg.exits.is_empty() || rm.this_year.is_some() {
        let mut rows: Vec<Vec<String>> = reg
            .exits
            .iter()
            .map(|e| {
                vec![
                    format!("{}年", e.year),
                    opt(e.pair.households.map(|n| n.v)),
                    opt(e.pair.persons.map(|n| n.v)),
                    if e.villages.is_empty() {
                        "—".into()
                    } else {
                        e.villages.join("、")
                    },
                ]
            })
            .collect();
        rows.push(vec![
            "累计".into(),
            opt(rm.cumulative.households),
            opt(rm.cumulative.persons),
            if rm.villages_exited == 0 {
                "—".into()
            } else {
                format!("{}个", rm.villages_exited)
            },
        ]);
        if let (true, Some(t), Some(p)) = (rm.this_year_planned, rm.this_year, &reg.planned) {
            rows.push(vec![
                format!("{}年（预脱贫）", year.year),
                opt(t.households),
                opt(t.persons),
                if p.villages.is_empty() {
                    "—".into()
                } else {
                    p.villages.join("、")
                },
            ]);
        }
        tables.push(b.table(
            &format!("历年{}情况", l.exit),
            &[
                "年度",
                "户数",
                "人数",
                &format!("{}{}", l.village_exit, l.village),
            ],
            rows,
            &[false, true, true, false],
        ));
    }
    let mut reg_rows = Vec::new();
    let pair_row =
        |label: &str, p: Sum2| vec![label.to_string(), opt(p.households), opt(p.persons)];
    reg_rows.push(pair_row("建档立卡基数", Sum2::of(&reg.baseline)));
    if rm.net.households.is_some() || rm.net.persons.is_some() {
        reg_rows.push(pair_row("动态调整净增", rm.net));
    }
    if let Some(c) = &reg.current {
        reg_rows.push(pair_row("现有建档", Sum2::of(c)));
    }
    if let Some(rem) = &reg.remaining {
        reg_rows.push(pair_row(&format!("未{}", l.exit), Sum2::of(&rem.pair)));
        for bd in &rem.breakdowns {
            for p in &bd.parts {
                reg_rows.push(vec![
                    format!("  其中：{}", p.name),
                    opt(p.tally.households.map(|n| n.v)),
                    opt(p.tally.persons.map(|n| n.v)),
                ]);
            }
        }
    }
    tables.push(b.table(
        "建档立卡人口",
        &["项目", "户数", "人数"],
        reg_rows,
        &[false, true, true],
    ));
    if let Some(t) = &reg.targets {
        let mut rows = Vec::new();
        let done_label = if rm.this_year_planned {
            "预计完成"
        } else {
            "完成"
        };
        if let Some(v) = t.villages {
            rows.push(vec![
                format!("{}{}（个）", l.village, l.village_exit),
                v.v.to_string(),
                rm.this_year_villages.to_string(),
                rm.target_villages.map_or("—".into(), |r| pct(r, 1)),
            ]);
        }
        if let Some(v) = t.households {
            rows.push(vec![
                "减贫户数（户）".into(),
                v.v.to_string(),
                opt(rm.this_year.and_then(|x| x.households)),
                rm.target_households.map_or("—".into(), |r| pct(r, 1)),
            ]);
        }
        if let Some(v) = t.persons {
            rows.push(vec![
                "减贫人数（人）".into(),
                v.v.to_string(),
                opt(rm.this_year.and_then(|x| x.persons)),
                rm.target_persons.map_or("—".into(), |r| pct(r, 1)),
            ]);
        }
        if !rows.is_empty() {
            tables.push(b.table(
                "年度目标任务完成情况",
                &["指标", "目标", done_label, "完成率"],
                rows,
                &[false, true, true, true],
            ));
        }
    }
    (text, tables)
}

fn funds_tables(
    b: &mut ViewBuilder,
    f: &Funds,
    m: &YearMetrics,
    unit: &str,
    prec: u32,
) -> Vec<Table> {
    let mut tables = Vec::new();
    if let (Some(sp), Some(st)) = (&f.special, &m.special) {
        let parts_table = |b: &mut ViewBuilder, caption: &str, col: &str, parts: &[FundPart]| {
            let mut rows: Vec<Vec<String>> = parts
                .iter()
                .map(|p| {
                    vec![
                        p.name.clone(),
                        p.projects.map_or("—".into(), |n| n.v.to_string()),
                        num::written(p.amount.v),
                    ]
                })
                .collect();
            rows.push(vec![
                "合计".into(),
                opt(st.projects),
                st.total.map_or("—".into(), |t| num::amount(t, prec)),
            ]);
            b.table(
                caption,
                &[col, "项目（个）", &format!("资金（{unit}）")],
                rows,
                &[false, true, true],
            )
        };
        if !sp.batches.is_empty() {
            tables.push(parts_table(
                b,
                &format!("{}分批次安排", sp.label),
                "批次",
                &sp.batches,
            ));
        }
        if !sp.by_source.is_empty() {
            tables.push(parts_table(
                b,
                &format!("{}按来源", sp.label),
                "来源",
                &sp.by_source,
            ));
        }
        if !m.shares.is_empty() {
            let rows = m
                .shares
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        s.projects.map_or("—".into(), |n| n.to_string()),
                        num::amount(s.amount, prec),
                        pct(s.share, 1),
                    ]
                })
                .collect();
            tables.push(b.table(
                &format!("{}按类别", sp.label),
                &["类别", "项目（个）", &format!("资金（{unit}）"), "占比"],
                rows,
                &[false, true, true, true],
            ));
        }
    }
    if let Some(ps) = m.projects.as_ref().filter(|p| p.total > 0) {
        let rows = vec![vec![
            ps.total.to_string(),
            ps.completed.to_string(),
            ps.started.to_string(),
            ps.planned.to_string(),
            ps.start_rate()
                .map_or("—".into(), |r| m.text_of("开工率", || pct(r, 1))),
            ps.completion_rate()
                .map_or("—".into(), |r| m.text_of("竣工率", || pct(r, 1))),
            ps.spending_rate()
                .map_or("—".into(), |r| m.text_of("支出进度", || pct(r, 1))),
        ]];
        tables.push(b.table(
            "项目进度",
            &[
                "项目总数",
                "已完工",
                "在建",
                "未开工",
                "开工率",
                "竣工率",
                "支出进度",
            ],
            rows,
            &[true; 7],
        ));
    }
    tables.extend(figure_tables(b, &f.title, &f.figures, unit));
    tables
}

/// The figures of a section: one table of all, plus one per breakdown.
fn figure_tables(
    b: &mut ViewBuilder,
    title: &str,
    figures: &[Figure],
    money_unit: &str,
) -> Vec<Table> {
    if figures.is_empty() {
        return Vec::new();
    }
    let mut rows = Vec::new();
    let mut extra = Vec::new();
    for fig in figures {
        let unit = fig.unit.as_deref().unwrap_or("");
        let text = metrics::figure_text(fig, money_unit);
        let basis = match &fig.kind {
            FigureKind::Value { .. } => String::new(),
            FigureKind::Plan { plan, .. } => format!(
                "计划{}{unit}，完成{}",
                plan.v,
                metrics::figure_rate(&fig.kind).map_or("—".into(), |r| pct(r, fig.precision))
            ),
            FigureKind::Ratio {
                numerator,
                denominator,
                numerator_label,
                denominator_label,
                ..
            } => format!(
                "{}{}{unit} ÷ {}{}{unit}",
                numerator_label.as_deref().unwrap_or(""),
                numerator.v,
                denominator_label.as_deref().unwrap_or(""),
                denominator.v
            ),
            FigureKind::Triple { should, done, .. } => format!(
                "应{}{unit}，已{}{unit}，未{}{unit}",
                should.v,
                done.v,
                should.v - done.v
            ),
            FigureKind::Change { .. } => String::new(),
            FigureKind::Total { breakdowns, .. } => {
                for bd in breakdowns {
                    let mut cols: Vec<(&str, TallyGet)> = Vec::new();
                    let any = |get: TallyGet| bd.parts.iter().any(|p| get(&p.tally).is_some());
                    if any(|t| t.households) {
                        cols.push(("户数", |t| t.households));
                    }
                    if any(|t| t.persons) {
                        cols.push(("人数", |t| t.persons));
                    }
                    if any(|t| t.count) {
                        cols.push(("个数", |t| t.count));
                    }
                    if any(|t| t.value) {
                        cols.push(("数值", |t| t.value));
                    }
                    if any(|t| t.amount) {
                        cols.push(("金额", |t| t.amount));
                    }
                    let mut head = vec![bd.by.clone()];
                    head.extend(cols.iter().map(|(h, _)| {
                        if *h == "金额" {
                            format!("金额（{money_unit}）")
                        } else {
                            h.to_string()
                        }
                    }));
                    let rows = bd
                        .parts
                        .iter()
                        .map(|p| {
                            let mut r = vec![p.name.clone()];
                            r.extend(cols.iter().map(|(_, g)| opt(g(&p.tally).map(|n| n.v))));
                            r
                        })
                        .collect();
                    let mut numcols = vec![false];
                    numcols.extend(cols.iter().map(|_| true));
                    extra.push((format!("{}（按{}）", fig.label, bd.by), head, rows, numcols));
                }
                if breakdowns.is_empty() {
                    String::new()
                } else {
                    "见分项表".into()
                }
            }
        };
        rows.push(vec![
            fig.label.clone(),
            text,
            basis,
            fig.note.clone().unwrap_or_default(),
        ]);
    }
    let mut out = vec![b.table(
        &format!("{title}主要指标"),
        &["指标", "数值", "计算依据", "说明"],
        rows,
        &[false, true, false, false],
    )];
    for (caption, head, rows, numcols) in extra {
        let head: Vec<&str> = head.iter().map(String::as_str).collect();
        out.push(b.table(&caption, &head, rows, &numcols));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn markdown_escape() {
        assert_eq!(md_escape("a|b<c>"), "a\\|b\\<c\\>");
    }
}
