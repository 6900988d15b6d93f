//! The 总结 as a view for the templates: 导语, 总体情况 (the register in a
//! paragraph and its tables), one section per field of work with its
//! figures and charts, 存在问题, 下步工作计划, 落款.

use serde::Serialize;

use crate::analysis::consistency;
use crate::analysis::metrics::{self, Sum2, YearMetrics, pair_text, pct};
use crate::analysis::provenance::made;
use crate::charts::YearCharts;
use crate::diag::rule::Rule;
use crate::model::cite::{Builtin, CiteTable, Headline, Name};
use crate::model::num;
use crate::model::shape;
use crate::model::{self, *};
use crate::views::narrative::Rendered;
use crate::views::{
    self, Cell, Chapter, ChartView, Generated, Item, SearchText, Section, Table, ViewBuilder,
    chart_view, cn_date,
};

/// Everything the 总结 templates see.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct SummaryView {
    pub(crate) title: String,
    /// The title in its lines (GB/T 9704 7.3.3), for print and Word.
    pub(crate) title_lines: Vec<String>,
    pub(crate) office: String,
    pub(crate) office_slug: String,
    pub(crate) year: i32,
    /// Path from the document back to the site root, e.g. `../../`.
    pub(crate) root: String,
    /// `summary` (for the shared breadcrumb template).
    pub(crate) kind: &'static str,
    /// Whether the year has a 计划 to link to, and what it and this
    /// document are called in links.
    pub(crate) has_plan: bool,
    pub(crate) doc_name: &'static str,
    pub(crate) plan_name: &'static str,
    pub(crate) notices: Vec<String>,
    pub(crate) intro: Rendered,
    /// 一、二、…: the chapters, in the office's order.
    pub(crate) chapters: Vec<Chapter>,
    /// 结束语.
    pub(crate) closing: Option<Rendered>,
    pub(crate) signature: String,
    /// Stamped or not, and Word's faces.
    pub(crate) print: crate::model::Print,
    pub(crate) date: Option<String>,
    pub(crate) as_of: Option<String>,
    /// A draft (`build --drafts`): marked 草稿 on every page.
    pub(crate) draft: bool,
}

impl SummaryView {
    /// The document's words, for the search index.
    pub(crate) fn search_text(&self) -> String {
        let mut t = SearchText::default();
        t.text(&self.title);
        for n in &self.notices {
            t.text(n);
        }
        t.prose(&self.intro);
        for c in &self.chapters {
            c.search_text(&mut t);
        }
        if let Some(p) = &self.closing {
            t.prose(p);
        }
        t.finish()
    }

    /// Every chart of the document, in order.
    pub(crate) fn charts(&self) -> impl Iterator<Item = &ChartView> {
        self.chapters.iter().flat_map(|c| {
            c.charts
                .iter()
                .chain(c.sections.iter().flat_map(|s| s.charts.iter()))
        })
    }
}

/// A figure in a table cell: `—` when there is none.
fn opt(d: Option<rust_decimal::Decimal>) -> String {
    d.map_or_else(|| "—".into(), |v| v.normalize().to_string())
}

/// Build the 总结's view. Errors are narrative citation problems.
pub(crate) fn summary_view(
    office: &Office,
    (year, m): (&Year, &YearMetrics),
    charts: &YearCharts,
) -> SummaryView {
    let mut b = ViewBuilder::new(&m.cite, year);
    let intro = b.prose(&year.intro, false);
    let prints = |which| model::Chapter::tables_print(&year.chapters, which, year.tables);
    b.printing(prints(shape::Builtin::Overview));
    let mut overview = overview_chapter(&mut b, office, year, m, &intro);
    // The fields of work, funds first, each a （一） section of its chapter.
    b.printing(prints(shape::Builtin::Works));
    let mut funds = funds_section(&mut b, year, m);
    let mut works = measure_sections(&mut b, year);
    let mut placed = place_charts(year, charts, &mut overview, funds.as_mut());
    let mut parts = Parts {
        overview: Some(overview),
        funds,
        works: &mut works,
        problems: problems_chapter(&b, year),
        next_steps: next_steps_chapter(&b, year),
    };
    let chapters = views::chapters(
        &mut b,
        &year.chapters,
        year.kind,
        |_, which, spec| {
            let (measures, text) = match spec {
                model::Chapter::Builtin { measures, text, .. } => {
                    (measures.as_deref(), text.as_ref())
                }
                model::Chapter::Own(_) => (None, None),
            };
            parts.take(which, measures, views::counted_to(text, 2))
        },
        |i| take_placed(&mut placed, i),
    );
    SummaryView {
        title: year.title.clone(),
        title_lines: views::title_lines(&year.title, &year.title_lines, office),
        office: office.name.clone(),
        office_slug: office.slug.clone(),
        year: year.year,
        root: "../../".into(),
        kind: "summary",
        has_plan: crate::views::plan::has_document(year),
        doc_name: year.kind.name(),
        plan_name: year.plan.as_ref().map_or("", |p| p.kind.name()),
        notices: notices(year),
        intro,
        chapters,
        closing: year.closing.as_ref().map(|p| b.prose(p, false)),
        signature: office.signature.clone(),
        print: office.print.clone(),
        date: year.issued.map(cn_date),
        as_of: year.as_of.map(cn_date),
        draft: year.draft,
    }
}

/// 说明 above the text: reconstructed or illustrative data.
fn notices(year: &Year) -> Vec<String> {
    let mut notices = Vec::new();
    if let Some(r) = &year.reconstructed {
        notices.push(format!("说明：本年度数据系回推重建。{r}"));
    }
    if let Some(ill) = &year.illustrative {
        notices.push(format!("说明：文中部分数字为示意。{ill}"));
    }
    if let Some(ill) = year.projects.as_ref().and_then(|p| p.illustrative.as_ref()) {
        notices.push(format!("说明：项目清单为示意数据。{ill}"));
    }
    notices
}

/// 一、总体情况 as nianbao makes it: the office's text, or, where the office
/// left the chapter to nianbao, the register in a paragraph; the register's
/// tables and the year-on-year table. Its charts are placed later
/// ([`place_charts`]).
fn overview_chapter(
    b: &mut ViewBuilder,
    office: &Office,
    year: &Year,
    m: &YearMetrics,
    intro: &Rendered,
) -> Chapter {
    let extra = year.overview.as_ref().map(|p| b.prose(p, false));
    let (text, mut tables) = match (&year.register, &m.register) {
        (Some(reg), Some(rm)) => {
            // The office's own words are printed as written, with no
            // sentence of nianbao's among them; and nothing is said from a
            // register that does not close (`register.gap`).
            let text = if office_wrote_overview(year) || !consistency::register_closes(reg, rm) {
                Generated::default()
            } else {
                let own = own_overview_words(b, year, intro, extra.as_ref());
                let mut said = Said::new(b.cite(), year.year);
                register_paragraph(&mut said, (office, year), (reg, rm), &own);
                Generated(said.done())
            };
            (text, register_tables(b, year, reg, rm))
        }
        _ => (Generated::default(), Vec::new()),
    };
    tables.extend(yoy_table(b, year, m));
    Chapter {
        text,
        extra,
        tables,
        ..Chapter::default()
    }
}

/// Whether the office wrote the overview's text itself (`overview:`, or the
/// chapter's `text:`): then the chapter is the office's.
fn office_wrote_overview(year: &Year) -> bool {
    year.overview.is_some()
        || year.chapters.iter().any(|c| {
            matches!(
                c,
                model::Chapter::Builtin {
                    which: shape::Builtin::Overview,
                    text: Some(_),
                    ..
                }
            )
        })
}

/// What the office's own text around the overview says (its 导语, its
/// overview text and the overview chapter's text): the generated paragraph
/// does not say it again.
fn own_overview_words(
    b: &ViewBuilder,
    year: &Year,
    intro: &Rendered,
    extra: Option<&Rendered>,
) -> String {
    let mut own = intro.md.clone();
    own.extend(extra.map(|r| r.md.as_str()));
    for c in &year.chapters {
        if let model::Chapter::Builtin {
            which: shape::Builtin::Overview,
            text: Some(t),
            ..
        } = c
        {
            own += &b.prose(t, false).md;
        }
    }
    own
}

/// Whether a figure is new to the reader: the office's own text (`own`)
/// does not give it already.
fn untold(own: &str, figure: &str) -> bool {
    figure.is_empty() || !own.contains(figure)
}

/// A sentence nianbao writes, in runs: plain text, and the figures of the
/// year's citation table, each a run of its own to open on the web page.
struct Said<'a> {
    cite: &'a CiteTable,
    /// The year it is said of.
    year: i32,
    runs: Vec<Cell>,
}

impl<'a> Said<'a> {
    fn new(cite: &'a CiteTable, year: i32) -> Self {
        Said {
            cite,
            year,
            runs: Vec::new(),
        }
    }

    /// A figure that has no name, as `s`.
    fn made(&mut self, m: Option<made::Made>, s: impl Into<String>) -> &mut Self {
        self.runs.push(match m {
            Some(m) => Cell::made(s, m),
            None => Cell::from(s.into()),
        });
        self
    }

    fn text(&mut self, s: impl Into<String>) -> &mut Self {
        self.runs.push(Cell::from(s.into()));
        self
    }

    /// The figure `name` prints, as `s`.
    fn fig(&mut self, name: Name, s: impl Into<String>) -> &mut Self {
        self.runs.push(Cell::fig(s, Some(self.cite.key(name))));
        self
    }

    /// Where the text stands, to join clauses written after it.
    fn mark(&self) -> usize {
        self.runs.len()
    }

    /// Whether anything was written after `mark`.
    fn since(&self, mark: usize) -> bool {
        self.runs[mark..].iter().any(|r| !r.text.is_empty())
    }

    fn done(self) -> Cell {
        Cell::of_runs(self.runs)
    }
}

/// The clauses written by `write`, each after `sep`, and `end` after all
/// of them; nothing when none is.
fn clauses(
    s: &mut Said,
    (sep, end): (&str, &str),
    write: impl FnOnce(&mut Said, &mut dyn FnMut(&mut Said)),
) {
    let start = s.mark();
    let mut first = true;
    let mut next = |s: &mut Said| {
        if !first {
            s.text(sep);
        }
        first = false;
    };
    write(s, &mut next);
    if s.since(start) {
        s.text(end);
    }
}

/// The register in a paragraph of three sentences: where it started and
/// each year's exits; where it stands now; this year's targets. A clause
/// whose figure the office's own text gives is left out.
fn register_paragraph(
    s: &mut Said,
    (office, year): (&Office, &Year),
    (reg, rm): (&Register, &metrics::RegisterMetrics),
    own: &str,
) {
    clauses(s, ("；", "。"), |s, next| {
        history_clauses(s, next, office, reg, own)
    });
    clauses(s, ("，", "。"), |s, next| {
        standing_clauses(s, next, (year, reg, rm), own)
    });
    clauses(s, ("；", "。"), |s, next| {
        target_clauses(s, next, (year, reg, rm), own)
    });
}

/// 全县建档立卡贫困人口…；2014年脱贫…: the register at its start, then
/// each year's exits with the villages that left.
fn history_clauses(
    s: &mut Said,
    next: &mut dyn FnMut(&mut Said),
    office: &Office,
    reg: &Register,
    own: &str,
) {
    let l = &reg.labels;
    let region = office.region.clone().unwrap_or_default();
    let base = pair_text(Sum2::of(&reg.baseline));
    if !base.is_empty() && untold(own, &base) {
        next(s);
        if l.era == Era::Monitoring {
            // A monitored population grows: its baseline, then those added.
            s.text(format!("{region}{}", l.baseline));
        } else if let Some(v) = reg.villages {
            s.text(format!("{region}{}", l.baseline_villages));
            s.fig(
                Name::Builtin(Builtin::BaselineVillages),
                format!("{}个", v.v),
            );
            s.text(format!("、{}", l.subject));
        } else {
            s.text(format!("{region}{}", l.subject));
        }
        s.fig(Name::Builtin(Builtin::Baseline), base);
        let added = pair_text(metrics::added_by_adjustments(reg));
        if l.era == Era::Monitoring && !added.is_empty() {
            s.text("，历年新识别");
            s.made(made::added(s.year, reg), added);
        }
    }
    for e in &reg.exits {
        let p = pair_text(Sum2::of(&e.pair));
        if !untold(own, &p) {
            continue;
        }
        next(s);
        let span = e.span();
        s.text(format!("{span}年{}", l.exit));
        s.fig(Name::ExitOf(&span), p);
        if e.villages.count > 0 {
            s.text("，");
            s.made(
                made::villages_of(s.year, reg, e),
                format!("{}个", e.villages.count),
            );
            s.text(format!("{}{}", l.village, l.village_exit));
            if !e.villages.names.is_empty() {
                s.text(format!("（{}）", e.villages.names.join("、")));
            }
        }
    }
}

/// 现有…，累计脱贫…，目前尚有…: the register now, those out so far and
/// those not yet out.
fn standing_clauses(
    s: &mut Said,
    next: &mut dyn FnMut(&mut Said),
    (year, reg, rm): (&Year, &Register, &metrics::RegisterMetrics),
    own: &str,
) {
    let l = &reg.labels;
    if let Some(c) = reg
        .current
        .as_ref()
        .filter(|c| untold(own, &pair_text(Sum2::of(c))))
    {
        next(s);
        s.text(current_words(l));
        s.fig(Name::Builtin(Builtin::Current), pair_text(Sum2::of(c)));
    }
    let cumulative = pair_text(rm.cumulative);
    if !cumulative.is_empty() && untold(own, &cumulative) {
        next(s);
        s.text(format!("累计{}", l.exit));
        s.fig(Name::Builtin(Builtin::Cumulative), cumulative);
        if let Some(p) = rm.progress {
            s.text(format!("，占{}的", l.population));
            s.fig(Name::Builtin(Builtin::CumulativeShare), pct(p, 1));
        }
    }
    if let Some(rem) = reg
        .remaining
        .as_ref()
        .filter(|r| untold(own, &pair_text(Sum2::of(&r.pair))))
    {
        next(s);
        remaining_clause(s, year, reg, rem, rm);
    }
}

/// 目前尚有贫困村…个、未脱贫人口…（其中：…），贫困发生率…: those not yet
/// out, by the register's first breakdown, and the incidence.
fn remaining_clause(
    s: &mut Said,
    year: &Year,
    reg: &Register,
    rem: &Remaining,
    rm: &metrics::RegisterMetrics,
) {
    let l = &reg.labels;
    s.text("目前");
    if let Some(v) = rem.villages {
        s.text(format!("尚有{}", l.village));
        s.fig(
            Name::Builtin(Builtin::RemainingVillages),
            format!("{}个", v.v),
        );
        s.text("、");
    }
    s.text(remaining_words(l));
    s.fig(
        Name::Builtin(Builtin::Remaining),
        pair_text(Sum2::of(&rem.pair)),
    );
    if let Some(bd) = rem.breakdowns.first() {
        s.text("（其中：");
        for (i, p) in bd.parts.iter().enumerate() {
            if i > 0 {
                s.text("，");
            }
            let units = Units::of(None, year.money_unit());
            s.text(p.name.clone());
            s.fig(
                Name::RemainingPart(&p.name),
                metrics::tally_text(&p.tally, units),
            );
        }
        s.text("）");
    }
    if let Some(i) = rm.incidence {
        let den = reg
            .incidence
            .as_ref()
            .map(|x| x.denominator_label.as_str())
            .unwrap_or("");
        s.text(format!("，{}", l.incidence));
        s.fig(Name::Builtin(Builtin::Incidence), pct(i, 2));
        s.text(format!("（以{den}计）"));
    }
}

/// 2017年目标任务为…；2017年计划脱贫…: the year's targets, and what was
/// achieved (its share of the target) or is planned.
fn target_clauses(
    s: &mut Said,
    next: &mut dyn FnMut(&mut Said),
    (year, reg, rm): (&Year, &Register, &metrics::RegisterMetrics),
    own: &str,
) {
    let l = &reg.labels;
    let mut goal = false;
    if let Some(t) = &reg.targets {
        let tp = pair_text(Sum2 {
            households: t.households.map(|n| n.v),
            persons: t.persons.map(|n| n.v),
        });
        if (t.villages.is_some() || !tp.is_empty()) && untold(own, &tp) {
            next(s);
            goal = true;
            s.text(format!("{}年目标任务为", year.year));
            if let Some(v) = t.villages {
                s.fig(Name::Builtin(Builtin::TargetVillages), format!("{}个", v.v));
                s.text(format!("村{}", l.village_exit));
            }
            if !tp.is_empty() {
                if t.villages.is_some() {
                    s.text("、");
                }
                s.text(l.reduction.clone());
                s.fig(Name::Builtin(Builtin::TargetReduction), tp);
            }
        }
    }
    match rm.this_year {
        // A confirmed exit of this year was told with the other years: only
        // its share of the target is new (never the same figure twice).
        Some(_) if !rm.this_year_planned => {
            if let (Some(r), true) = (rm.target_persons, goal) {
                s.text("，完成目标的");
                s.fig(Name::Builtin(Builtin::TargetRate), pct(r, 1));
            }
        }
        Some(t) if untold(own, &pair_text(t)) => {
            next(s);
            s.text(format!("{}年{}", year.year, l.planned));
            s.fig(Name::Builtin(Builtin::ThisYearPlanned), pair_text(t));
            if rm.this_year_villages > 0 {
                s.text(format!("，拟{}", l.village_exit));
                s.fig(
                    Name::Builtin(Builtin::ThisYearPlannedVillages),
                    rm.this_year_villages.to_string(),
                );
                s.text("个");
            }
            if let Some(r) = rm.target_persons {
                s.text(format!("，占{}目标的", l.reduction));
                s.fig(Name::Builtin(Builtin::TargetRate), pct(r, 1));
            }
        }
        _ => {}
    }
}

/// 现有建档人口 / 现有监测对象: the current register in a sentence.
fn current_words(l: &Labels) -> String {
    if l.current.ends_with("建档") {
        format!("{}人口", l.current)
    } else {
        l.current.clone()
    }
}

/// 未脱贫人口 / 未消除风险的监测对象: those not yet out, in a sentence.
fn remaining_words(l: &Labels) -> String {
    match l.era {
        crate::model::cite::Era::Campaign => format!("{}人口", l.remaining),
        crate::model::cite::Era::Monitoring => format!("{}的{}", l.remaining, l.subject),
    }
}

/// The overview's tables of the register: the exits by year, the register
/// itself, and the year's targets.
fn register_tables(
    b: &mut ViewBuilder,
    year: &Year,
    reg: &Register,
    rm: &metrics::RegisterMetrics,
) -> Vec<Table> {
    let mut tables = Vec::new();
    if !reg.exits.is_empty() || rm.this_year.is_some() {
        tables.push(exits_table(b, year, reg, rm));
    }
    tables.push(register_table(b, reg, rm));
    tables.extend(targets_table(b, (year.year, reg), rm));
    tables
}

/// 历年脱贫情况: each year's exits, the cumulative, and this year's planned.
fn exits_table(
    b: &mut ViewBuilder,
    year: &Year,
    reg: &Register,
    rm: &metrics::RegisterMetrics,
) -> Table {
    let l = &reg.labels;
    let mut rows: Vec<Vec<Cell>> = reg
        .exits
        .iter()
        .map(|e| {
            let span = e.span();
            let name = Name::ExitOf(&span);
            let villages = match made::villages_of(year.year, reg, e) {
                Some(m) if e.villages.names.is_empty() => Cell::made(village_cell(&e.villages), m),
                _ => village_cell(&e.villages).into(),
            };
            vec![
                format!("{span}年").into(),
                b.fig(name, opt(e.pair.households.map(|n| n.v))),
                b.fig(name, opt(e.pair.persons.map(|n| n.v))),
                villages,
            ]
        })
        .collect();
    // A register that does not close may lack a year: no cumulative.
    if consistency::register_closes(reg, rm) {
        let name = Name::Builtin(Builtin::Cumulative);
        rows.push(vec![
            "累计".into(),
            b.fig(name, opt(rm.cumulative.households)),
            b.fig(name, opt(rm.cumulative.persons)),
            if rm.villages_exited == 0 {
                "—".into()
            } else {
                let exited = made::villages_exited(year.year, reg);
                Cell::made(format!("{}个", rm.villages_exited), exited)
            },
        ]);
    }
    if let (true, Some(t), Some(p)) = (rm.this_year_planned, rm.this_year, &reg.planned) {
        let name = Name::Builtin(Builtin::ThisYearPlanned);
        rows.push(vec![
            format!("{}年（{}）", year.year, l.planned).into(),
            b.fig(name, opt(t.households)),
            b.fig(name, opt(t.persons)),
            match p.villages.names.is_empty() {
                true => b.fig(
                    Name::Builtin(Builtin::ThisYearPlannedVillages),
                    village_cell(&p.villages),
                ),
                false => village_cell(&p.villages).into(),
            },
        ]);
    }
    b.table(
        &format!("历年{}情况", l.exit),
        &[
            "年度",
            "户数",
            "人数",
            &format!("{}{}", l.village_exit, l.village),
        ],
        rows,
        &[false, true, true, false],
    )
}

/// The villages of an exit in a table cell: their names, or how many.
fn village_cell(v: &Villages) -> String {
    match (v.names.is_empty(), v.count) {
        (false, _) => v.names.join("、"),
        (true, 0) => "—".into(),
        (true, n) => format!("{n}个"),
    }
}

/// The register: baseline, net adjustment, current, remaining and its
/// breakdowns.
fn register_table(b: &mut ViewBuilder, reg: &Register, rm: &metrics::RegisterMetrics) -> Table {
    let l = &reg.labels;
    let mut rows = Vec::new();
    let pair_row = |label: &str, p: Sum2, which| {
        let name = Name::Builtin(which);
        vec![
            label.into(),
            b.fig(name, opt(p.households)),
            b.fig(name, opt(p.persons)),
        ]
    };
    rows.push(pair_row(
        &l.baseline,
        Sum2::of(&reg.baseline),
        Builtin::Baseline,
    ));
    if rm.net.households.is_some() || rm.net.persons.is_some() {
        rows.push(pair_row("动态调整净增", rm.net, Builtin::NetAdjustment));
    }
    if let Some(c) = &reg.current {
        rows.push(pair_row(&l.current, Sum2::of(c), Builtin::Current));
    }
    if let Some(rem) = &reg.remaining {
        rows.push(pair_row(
            &l.remaining,
            Sum2::of(&rem.pair),
            Builtin::Remaining,
        ));
        for bd in &rem.breakdowns {
            for p in &bd.parts {
                let name = Name::RemainingPart(&p.name);
                rows.push(vec![
                    format!("  其中：{}", p.name).into(),
                    b.fig(name, opt(p.tally.households.map(|n| n.v))),
                    b.fig(name, opt(p.tally.persons.map(|n| n.v))),
                ]);
            }
        }
    }
    b.table(
        &l.population,
        &["项目", "户数", "人数"],
        rows,
        &[false, true, true],
    )
}

/// 年度目标任务完成情况: each target, what was done (or is planned) and the
/// rate; `None` without targets.
fn targets_table(
    b: &mut ViewBuilder,
    (y, reg): (i32, &Register),
    rm: &metrics::RegisterMetrics,
) -> Option<Table> {
    let l = &reg.labels;
    let t = reg.targets.as_ref()?;
    let mut rows = Vec::new();
    let (done_label, done, done_villages) = if rm.this_year_planned {
        (
            "预计完成",
            Builtin::ThisYearPlanned,
            Builtin::ThisYearPlannedVillages,
        )
    } else {
        ("完成", Builtin::ThisYear, Builtin::ThisYearVillages)
    };
    let rate = |r: Option<rust_decimal::Decimal>, name: Option<Builtin>| match (r, name) {
        (Some(r), Some(n)) => b.fig(Name::Builtin(n), pct(r, 1)),
        (Some(r), None) => match made::households_target_rate(b.cite(), y, (reg, rm)) {
            Some(m) => Cell::made(pct(r, 1), m),
            None => pct(r, 1).into(),
        },
        (None, _) => "—".into(),
    };
    let reduction = Name::Builtin(Builtin::TargetReduction);
    if let Some(v) = t.villages {
        rows.push(vec![
            format!("{}{}（个）", l.village, l.village_exit).into(),
            b.fig(Name::Builtin(Builtin::TargetVillages), v.v.to_string()),
            b.fig(
                Name::Builtin(done_villages),
                rm.this_year_villages.to_string(),
            ),
            rate(rm.target_villages, Some(Builtin::VillageTargetRate)),
        ]);
    }
    if let Some(v) = t.households {
        rows.push(vec![
            format!("{}户数（户）", l.reduction).into(),
            b.fig(reduction, v.v.to_string()),
            b.fig(
                Name::Builtin(done),
                opt(rm.this_year.and_then(|x| x.households)),
            ),
            rate(rm.target_households, None),
        ]);
    }
    if let Some(v) = t.persons {
        rows.push(vec![
            format!("{}人数（人）", l.reduction).into(),
            b.fig(reduction, v.v.to_string()),
            b.fig(
                Name::Builtin(done),
                opt(rm.this_year.and_then(|x| x.persons)),
            ),
            rate(rm.target_persons, Some(Builtin::TargetRate)),
        ]);
    }
    if rows.is_empty() {
        return None;
    }
    Some(b.table(
        "年度目标任务完成情况",
        &["指标", "目标", done_label, "完成率"],
        rows,
        &[false, true, true, true],
    ))
}

/// 主要指标同比: each headline figure against last year's.
fn yoy_table(b: &mut ViewBuilder, year: &Year, m: &YearMetrics) -> Option<Table> {
    if m.yoy.is_empty() {
        return None;
    }
    let rows = m
        .yoy
        .iter()
        .map(|y| {
            let (prev, cur) = yoy_names(b.cite(), y.which);
            vec![
                y.label.clone().into(),
                Cell::fig(y.prev.clone(), prev),
                Cell::fig(y.cur.clone(), cur),
                b.fig(Name::Change(y.which), y.change.clone()),
            ]
        })
        .collect();
    let prev = format!("{}年", year.year - 1);
    let cur = format!("{}年", year.year);
    Some(b.table(
        "主要指标同比",
        &["指标", &prev, &cur, "同比"],
        rows,
        &[false, true, true, false],
    ))
}

/// The names of a 同比's two figures: last year's (`上年.…`) and this
/// year's, the first of the headline's names the year has.
fn yoy_names(c: &CiteTable, which: Headline) -> (Option<String>, Option<String>) {
    let keys: Vec<String> = crate::analysis::provenance::headline_names(which)
        .map(|n| c.key(n))
        .collect();
    let has = |k: &String| c.find(k).is_some();
    let prev = keys
        .iter()
        .map(|k| c.key(Name::LastYear(k)))
        .find(|k| has(k));
    let cur = keys.into_iter().find(|k| has(k));
    (prev, cur)
}

/// A field of work with its text and tables; its charts come later.
fn work_section(title: String, body: Option<Rendered>, tables: Vec<Table>) -> Section {
    Section {
        number: String::new(),
        title,
        body,
        tables,
        charts: Vec::new(),
        subs: Vec::new(),
        items: Vec::new(),
    }
}

/// The funds' section: its text, and the tables of the special funds, the
/// projects and the funds' figures.
fn funds_section(b: &mut ViewBuilder, year: &Year, m: &YearMetrics) -> Option<Section> {
    let f = year.funds.as_ref()?;
    let body = f.narrative.as_ref().map(|p| b.prose(p, false));
    let tables = funds_tables(b, (f, year), m);
    Some(work_section(f.title.clone(), body, tables))
}

/// The funds section's tables: the special funds by batch, by source and by
/// category, the projects' progress, and the funds' own figures.
fn funds_tables(b: &mut ViewBuilder, (f, year): (&Funds, &Year), m: &YearMetrics) -> Vec<Table> {
    let y = year.year;
    let mut tables = Vec::new();
    if let (Some(sp), Some(st)) = (&f.special, &m.special) {
        if !sp.batches.is_empty() {
            let caption = format!("{}分批次安排", sp.label);
            let col: PartsColumn = ("批次", |n| Name::Batch(n));
            tables.push(fund_parts_table(
                b,
                (f, y),
                st,
                (&caption, col),
                &sp.batches,
            ));
        }
        if !sp.by_source.is_empty() {
            let caption = format!("{}按来源", sp.label);
            let col: PartsColumn = ("来源", |n| Name::Source(n));
            tables.push(fund_parts_table(
                b,
                (f, y),
                st,
                (&caption, col),
                &sp.by_source,
            ));
        }
        if !m.shares.is_empty() {
            tables.push(category_table(b, f, sp, m));
        }
    }
    tables.extend(project_progress_table(b, year, m));
    tables.extend(figure_tables(b, &f.title, &f.figures, &f.unit));
    tables
}

/// A column of parts: its heading, and the name a part's amount has.
type PartsColumn<'a> = (&'a str, for<'n> fn(&'n str) -> Name<'n>);

/// The special funds in parts (batches or sources): projects and money of
/// each, and the total.
fn fund_parts_table(
    b: &mut ViewBuilder,
    (f, y): (&Funds, i32),
    st: &metrics::SpecialTotals,
    (caption, (col, name)): (&str, PartsColumn),
    parts: &[FundPart],
) -> Table {
    let mut rows: Vec<Vec<Cell>> = parts
        .iter()
        .map(|p| {
            let projects = p.projects.map_or("—".into(), |n| {
                let label = format!("{}项目数", p.name);
                let made = made::datum(
                    y,
                    (label, format!("{}个", n.v)),
                    (n, &f.file),
                    &[Rule::FundsTotal],
                );
                Cell::made(n.v.to_string(), made)
            });
            vec![
                p.name.clone().into(),
                projects,
                b.fig(name(&p.name), num::written(p.amount.v)),
            ]
        })
        .collect();
    let total = f
        .special
        .as_ref()
        .and_then(|sp| metrics::printed_special_total(sp, st, f.precision));
    rows.push(vec![
        "合计".into(),
        b.fig(Name::Builtin(Builtin::Projects), opt(st.projects)),
        b.fig(Name::Builtin(Builtin::SpecialFunds), opt(total)),
    ]);
    b.table(
        caption,
        &[col, "项目（个）", &format!("资金（{}）", f.unit)],
        rows,
        &[false, true, true],
    )
}

/// The special funds by category: projects, money and share of each.
fn category_table(b: &mut ViewBuilder, f: &Funds, sp: &Special, m: &YearMetrics) -> Table {
    let rows = m
        .shares
        .iter()
        .map(|s| {
            vec![
                s.name.clone().into(),
                b.fig(
                    Name::CategoryProjects(&s.name),
                    s.projects.map_or("—".into(), |n| n.to_string()),
                ),
                b.fig(
                    Name::CategoryFunds(&s.name),
                    num::amount(s.amount, f.precision),
                ),
                b.fig(Name::CategoryShare(&s.name), pct(s.share, 1)),
            ]
        })
        .collect();
    b.table(
        &format!("{}按类别", sp.label),
        &["类别", "项目（个）", &format!("资金（{}）", f.unit), "占比"],
        rows,
        &[false, true, true, true],
    )
}

/// 项目进度: the projects by status and the start, completion and spending
/// rates, as the text cites them; `None` without projects.
fn project_progress_table(b: &mut ViewBuilder, year: &Year, m: &YearMetrics) -> Option<Table> {
    let ps = m.projects.as_ref().filter(|p| p.total > 0)?;
    let rate = |r: Option<rust_decimal::Decimal>, which| {
        let name = Name::Builtin(which);
        r.map_or("—".into(), |r| b.fig(name, m.text_of(name, || pct(r, 1))))
    };
    let count = |n: usize, which| b.fig(Name::Builtin(which), n.to_string());
    let total = made::projects_in(year, None, None).filter(|l| l.how.result[0] == ps.total.into());
    let rows = vec![vec![
        match total {
            Some(t) => Cell::made(ps.total.to_string(), t),
            None => ps.total.to_string().into(),
        },
        count(ps.completed, Builtin::CompletedProjects),
        count(ps.started, Builtin::StartedProjects),
        count(ps.planned, Builtin::PlannedProjects),
        rate(ps.start_rate(), Builtin::StartRate),
        rate(ps.completion_rate(), Builtin::CompletionRate),
        rate(ps.spending_rate(), Builtin::SpendingRate),
    ]];
    Some(b.table(
        "项目进度",
        &[
            "项目总数",
            Status::Completed.label(),
            Status::Started.label(),
            Status::Planned.label(),
            "开工率",
            "竣工率",
            "支出进度",
        ],
        rows,
        &[true; 7],
    ))
}

/// Each field of work (measure) as a section, by its title.
fn measure_sections(b: &mut ViewBuilder, year: &Year) -> Vec<(String, Section)> {
    let money_unit = year.funds.as_ref().map_or("万元", |f| f.unit.as_str());
    year.measures
        .iter()
        .map(|meas| {
            let title = meas.heading.clone().unwrap_or_else(|| meas.title.clone());
            let body = meas.narrative.as_ref().map(|p| b.prose(p, false));
            let tables = figure_tables(b, &meas.title, &meas.figures, money_unit);
            (meas.title.clone(), work_section(title, body, tables))
        })
        .collect()
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
    let rows = figures
        .iter()
        .map(|fig| {
            vec![
                fig.label.clone().into(),
                b.fig(
                    Name::Figure(&fig.label),
                    metrics::figure_text(fig, money_unit),
                ),
                basis(fig).into(),
                fig.note.clone().unwrap_or_default().into(),
            ]
        })
        .collect();
    let mut out = vec![b.table(
        &format!("{title}主要指标"),
        &["指标", "数值", "计算依据", "说明"],
        rows,
        &[false, true, false, false],
    )];
    for fig in figures {
        if let FigureKind::Total { breakdowns, .. } = &fig.kind {
            for bd in breakdowns {
                out.push(breakdown_table(b, fig, bd, money_unit));
            }
        }
    }
    out
}

/// 计算依据: how a figure was computed (plan and completion, numerator and
/// denominator, 应/已/未, sum and count), or where its parts are.
fn basis(fig: &Figure) -> String {
    let unit = fig.unit.as_deref().unwrap_or("");
    // An acknowledged figure prints as published; nothing computed from it
    // stands beside it (it would contradict it).
    if fig.ack.is_some() {
        return "原文如此".into();
    }
    match &fig.kind {
        FigureKind::Value { .. } | FigureKind::Change { .. } => String::new(),
        FigureKind::Plan { plan, .. } => format!(
            "计划{}{unit}，完成{}",
            plan.v,
            metrics::rate_text(fig).unwrap_or_else(|| "—".into())
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
        FigureKind::Triple {
            should,
            done,
            undone,
        } => format!(
            "应{}{unit}，已{}{unit}，未{}{unit}",
            should.v,
            done.v,
            metrics::printed_undone(*should, *done, *undone)
        ),
        FigureKind::Average { sum, count, scale } => {
            if *scale == rust_decimal::Decimal::ONE {
                format!("{} ÷ {}", sum.v, count.v)
            } else {
                format!("{} × {} ÷ {}", sum.v, scale.normalize(), count.v)
            }
        }
        FigureKind::StatedRate { .. } => "所填比率（无分子分母，未核对）".into(),
        FigureKind::Total { breakdowns, .. } if breakdowns.is_empty() => String::new(),
        FigureKind::Total { .. } => "见分项表".into(),
    }
}

/// Reads one column of a tally.
type TallyGet = fn(&Tally) -> Option<crate::model::raw::N>;

/// The columns a breakdown's parts fill, in order: 户数, 人数, 个数, 数值,
/// 金额.
fn tally_columns(bd: &Breakdown) -> Vec<(&'static str, TallyGet)> {
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
    cols
}

/// Whether a column has a part in a unit of its own (327.6万元 of 1.33亿元,
/// 93笔): then each cell carries its unit, and the heading none.
fn mixed_units(bd: &Breakdown, heading: &str) -> bool {
    bd.parts.iter().any(|p| match heading {
        "金额" => p.amount_unit.is_some(),
        "个数" | "数值" => p.count_unit.is_some(),
        _ => false,
    })
}

/// A total's breakdown as a table of its own: a row per part, a column per
/// tally some part has.
fn breakdown_table(b: &mut ViewBuilder, fig: &Figure, bd: &Breakdown, money_unit: &str) -> Table {
    let cols = tally_columns(bd);
    let units = Units::of(fig.unit.as_deref(), money_unit);
    let mut head = vec![bd.by.clone()];
    head.extend(cols.iter().map(|(h, _)| match *h {
        h if mixed_units(bd, h) => h.to_string(),
        "金额" => format!("金额（{}）", units.amount),
        "个数" if units.count != "个" => format!("数量（{}）", units.count),
        _ => h.to_string(),
    }));
    let rows = bd
        .parts
        .iter()
        .map(|p| breakdown_row(b, (fig, bd), p, &cols, units))
        .collect();
    let mut numcols = vec![false];
    numcols.extend(cols.iter().map(|_| true));
    let caption = if bd.subset {
        format!("{}（其中，按{}）", fig.label, bd.by)
    } else {
        format!("{}（按{}）", fig.label, bd.by)
    };
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    b.table(&caption, &head, rows, &numcols)
}

/// One part of a breakdown: its name, then its figure in each column.
fn breakdown_row(
    b: &ViewBuilder,
    (fig, bd): (&Figure, &Breakdown),
    p: &Part,
    cols: &[(&'static str, TallyGet)],
    units: Units,
) -> Vec<Cell> {
    let own = p.units(units);
    let name = Name::FigureBreakdown(&fig.label, &p.name);
    let mut r = vec![Cell::from(p.name.clone())];
    r.extend(cols.iter().map(|(h, g)| {
        let v = g(&p.tally).map(|n| n.v);
        let unit = match *h {
            "金额" => own.amount,
            "个数" => own.count,
            _ => own.value,
        };
        let text = match v {
            Some(v) if mixed_units(bd, h) => format!("{}{unit}", num::written(v)),
            _ => opt(v),
        };
        match v {
            Some(_) => b.fig(name, text),
            None => text.into(),
        }
    }));
    r
}

/// A chart the office placed in a chapter: (the chapter, its place in the
/// chapter's list), and the chart.
type Placed = ((usize, usize), ChartView);

/// Charts: each where a chapter of the office's places it (`charts:`),
/// else in its default place — progress in the overview, funds and
/// projects in the funds section (or the overview when there is none) —
/// unless the chapter holding it by default lists charts without it.
/// Returns the placed ones; all are numbered in reading order once the
/// chapters are assembled.
fn place_charts(
    year: &Year,
    charts: &YearCharts,
    overview: &mut Chapter,
    mut funds: Option<&mut Section>,
) -> Vec<Placed> {
    // The chapter that names a chart, and the chart's place in its list.
    let placed_at = |k| {
        year.chapters.iter().enumerate().find_map(|(i, c)| {
            let at = c.charts()?.iter().position(|x| *x == k)?;
            Some((i, at))
        })
    };
    let kept_by = |which: shape::Builtin, k| {
        year.chapters
            .iter()
            .find(|c| matches!(c, model::Chapter::Builtin { which: w, .. } if *w == which))
            .is_none_or(|c| c.charts().is_none_or(|l| l.contains(&k)))
    };
    let mut placed = Vec::new();
    let all = [
        (shape::ChartKey::Progress, &charts.exits),
        (shape::ChartKey::Funds, &charts.funds),
        (shape::ChartKey::Projects, &charts.projects),
    ];
    for (k, chart) in all {
        let Some(c) = chart else { continue };
        let v = chart_view(c, 0);
        if let Some(at) = placed_at(k) {
            placed.push((at, v));
        } else if k == shape::ChartKey::Progress || funds.is_none() {
            if kept_by(shape::Builtin::Overview, k) {
                overview.charts.push(v);
            }
        } else if let Some(s) = funds
            .as_deref_mut()
            .filter(|_| kept_by(shape::Builtin::Works, k))
        {
            s.charts.push(v);
        }
    }
    placed
}

/// The charts placed in chapter `i`, in the order the chapter lists them.
fn take_placed(placed: &mut Vec<Placed>, i: usize) -> Vec<ChartView> {
    let (mut here, rest): (Vec<_>, Vec<_>) = std::mem::take(placed)
        .into_iter()
        .partition(|((at, _), _)| *at == i);
    *placed = rest;
    here.sort_by_key(|((_, order), _)| *order);
    here.into_iter().map(|(_, v)| v).collect()
}

/// 存在问题: the office's problems, 一是, 二是 … (or counted another way
/// where their text counts with 一是 itself, [`shape::Ordinals`]).
fn problems_chapter(b: &ViewBuilder, year: &Year) -> Option<Chapter> {
    year.problems.as_ref().map(|p| {
        let texts: Vec<&str> = p.items.iter().map(|x| x.text.as_str()).collect();
        let ordinals = shape::Ordinals::Is.of_items(&texts);
        Chapter {
            items_intro: p.intro.as_ref().map(|x| b.prose(x, false)),
            items: p
                .items
                .iter()
                .zip(ordinals)
                .map(|(x, o)| Item::new(o, None, b.prose(x, true), None))
                .collect(),
            ..Chapter::default()
        }
    })
}

/// 下步工作计划: the plan's tasks, 一是, 二是 … (or another way, as the
/// problems).
fn next_steps_chapter(b: &ViewBuilder, year: &Year) -> Option<Chapter> {
    year.plan.as_ref().map(|p| {
        let texts: Vec<&str> = p.tasks.iter().map(|t| t.text.text.as_str()).collect();
        let ordinals = shape::Ordinals::Is.of_items(&texts);
        Chapter {
            items_intro: p.intro.as_ref().map(|x| b.prose(x, false)),
            items: p
                .tasks
                .iter()
                .zip(ordinals)
                .map(|(t, o)| Item::new(o, None, b.prose(&t.text, true), None))
                .collect(),
            ..Chapter::default()
        }
    })
}

/// What the built-in chapters are made of, each taken once.
struct Parts<'a> {
    overview: Option<Chapter>,
    funds: Option<Section>,
    works: &'a mut Vec<(String, Section)>,
    problems: Option<Chapter>,
    next_steps: Option<Chapter>,
}

impl Parts<'_> {
    /// A built-in chapter's content; `主要工作` takes the funds and the named
    /// fields of work (all that are left, when it names none), numbered
    /// （一）（二）… on from the numbers the chapter's text uses (`after`).
    fn take(
        &mut self,
        which: shape::Builtin,
        measures: Option<&[String]>,
        after: usize,
    ) -> Chapter {
        let taken = match which {
            shape::Builtin::Overview => self.overview.take(),
            shape::Builtin::Problems => self.problems.take(),
            shape::Builtin::NextSteps => self.next_steps.take(),
            shape::Builtin::Works => {
                let mut sections: Vec<Section> = self.funds.take().into_iter().collect();
                let mine = |t: &String| measures.is_none_or(|list| list.contains(t));
                let (take, keep): (Vec<_>, Vec<_>) = std::mem::take(self.works)
                    .into_iter()
                    .partition(|(t, _)| mine(t));
                *self.works = keep;
                sections.extend(take.into_iter().map(|(_, s)| s));
                // A field of work with nothing to print (its chart moved, its
                // tables the web page's) is not a heading alone.
                sections.retain(|s| {
                    s.body.is_some()
                        || !s.charts.is_empty()
                        || !s.subs.is_empty()
                        || !s.items.is_empty()
                        || s.tables.iter().any(|t| t.printed)
                });
                for (i, s) in sections.iter_mut().enumerate() {
                    let body = s.body.as_ref().map(|b| b.md.as_str());
                    s.number = views::heading_number(2, i + 1, after, &s.title, body);
                }
                Some(Chapter {
                    sections,
                    ..Chapter::default()
                })
            }
            // A plan's own parts are not in a report (check accepts only
            // the report's names there).
            _ => None,
        };
        taken.unwrap_or_default()
    }
}
