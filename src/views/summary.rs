//! The 总结 as a view for the templates: 导语, 总体情况 (the register in a
//! paragraph and its tables), one section per field of work with its
//! figures and charts, 存在问题, 下步工作计划, 落款.

use serde::Serialize;

use crate::analysis::metrics::{self, Sum2, YearMetrics, pair_text, pct};
use crate::charts::YearCharts;
use crate::model::cite::{Builtin, Name};
use crate::model::num;
use crate::model::shape;
use crate::model::{self, *};
use crate::views::narrative::Rendered;
use crate::views::{
    self, Chapter, ChartView, Item, SearchText, Section, Table, ViewBuilder, chart_view, cn_date,
    cn_number,
};

/// Everything the 总结 templates see.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct SummaryView {
    pub(crate) title: String,
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
    pub fn charts(&self) -> impl Iterator<Item = &ChartView> {
        self.chapters.iter().flat_map(|c| {
            c.charts
                .iter()
                .chain(c.sections.iter().flat_map(|s| s.charts.iter()))
        })
    }
}

/// Reads one column of a tally.
type TallyGet = fn(&Tally) -> Option<crate::model::raw::N>;

fn opt(d: Option<rust_decimal::Decimal>) -> String {
    d.map_or_else(|| "—".into(), |v| v.normalize().to_string())
}

/// Build the 总结's view. Errors are narrative citation problems.
pub(crate) fn summary_view(
    office: &Office,
    year: &Year,
    m: &YearMetrics,
    charts: &YearCharts,
) -> SummaryView {
    let mut b = ViewBuilder::new(&m.cite);
    let money_unit = year.funds.as_ref().map_or("万元", |f| f.unit.as_str());
    let prec = year.funds.as_ref().map_or(2, |f| f.precision);

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

    let intro = b.prose(&year.intro, false);
    let overview_extra = year.overview.as_ref().map(|p| b.prose(p, false));
    let prints = |which| model::Chapter::tables_print(&year.chapters, which, year.tables);
    b.printing(prints(shape::Builtin::Overview));
    let (overview_text, overview_tables) = match (&year.register, &m.register) {
        (Some(reg), Some(rm)) => {
            // What the office's own text already says is not said again.
            let mut own = intro.md.clone();
            own.extend(overview_extra.iter().map(|r| r.md.as_str()));
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
            overview(&mut b, office, year, reg, rm, &own)
        }
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

    // The fields of work, funds first, each a （一） section of its chapter.
    b.printing(prints(shape::Builtin::Works));
    let funds_section = year.funds.as_ref().map(|f| Section {
        number: String::new(),
        title: f.title.clone(),
        body: f.narrative.as_ref().map(|p| b.prose(p, false)),
        tables: funds_tables(&mut b, f, m, money_unit, prec),
        charts: Vec::new(),
        subs: Vec::new(),
        items: Vec::new(),
    });
    let mut works: Vec<(String, Section)> = year
        .measures
        .iter()
        .map(|meas| {
            let section = Section {
                number: String::new(),
                title: meas.heading.clone().unwrap_or_else(|| meas.title.clone()),
                body: meas.narrative.as_ref().map(|p| b.prose(p, false)),
                tables: figure_tables(&mut b, &meas.title, &meas.figures, money_unit),
                charts: Vec::new(),
                subs: Vec::new(),
                items: Vec::new(),
            };
            (meas.title.clone(), section)
        })
        .collect();
    // Charts: each where a chapter of the office's places it (`charts:`),
    // else in its default place — progress in the overview, funds and
    // projects in the funds section (or the overview when there is none) —
    // unless the chapter holding it by default lists charts without it.
    // Numbered in reading order once the chapters are assembled.
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
    let mut overview_charts = Vec::new();
    let mut funds_section = funds_section;
    let mut placed: Vec<((usize, usize), ChartView)> = Vec::new();
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
        } else if k == shape::ChartKey::Progress || funds_section.is_none() {
            if kept_by(shape::Builtin::Overview, k) {
                overview_charts.push(v);
            }
        } else if let Some(s) = funds_section
            .as_mut()
            .filter(|_| kept_by(shape::Builtin::Works, k))
        {
            s.charts.push(v);
        }
    }
    let overview = Chapter {
        text: overview_text,
        extra: overview_extra,
        charts: overview_charts,
        tables: overview_tables,
        ..Chapter::default()
    };

    let problems = year.problems.as_ref().map(|p| Chapter {
        items_intro: p.intro.as_ref().map(|x| b.prose(x, false)),
        items: p
            .items
            .iter()
            .enumerate()
            .map(|(i, x)| {
                Item::new(
                    ordinal_unless_written(&x.text, i),
                    None,
                    b.prose(x, true),
                    None,
                )
            })
            .collect(),
        ..Chapter::default()
    });
    let next_steps = year.plan.as_ref().map(|p| Chapter {
        items_intro: p.intro.as_ref().map(|x| b.prose(x, false)),
        items: p
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                Item::new(
                    ordinal_unless_written(&t.text.text, i),
                    None,
                    b.prose(&t.text, true),
                    None,
                )
            })
            .collect(),
        ..Chapter::default()
    });

    let mut parts = Parts {
        overview: Some(overview),
        funds: funds_section,
        works: &mut works,
        problems,
        next_steps,
    };
    let chapters = views::chapters(
        &mut b,
        &year.chapters,
        year.kind,
        |_, which, spec| {
            let measures = match spec {
                model::Chapter::Builtin { measures, .. } => measures.as_deref(),
                model::Chapter::Own(_) => None,
            };
            parts.take(which, measures)
        },
        |i| {
            let (mut here, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut placed)
                .into_iter()
                .partition(|((at, _), _)| *at == i);
            placed = rest;
            // In the order the chapter lists them.
            here.sort_by_key(|((_, order), _)| *order);
            here.into_iter().map(|(_, v)| v).collect()
        },
    );
    SummaryView {
        title: year.title.clone(),
        office: office.name.clone(),
        office_slug: office.slug.clone(),
        year: year.year,
        root: "../../".into(),
        kind: "summary",
        has_plan: year.plan.is_some(),
        doc_name: year.kind.name(),
        plan_name: year.plan.as_ref().map_or("", |p| p.kind.name()),
        notices,
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
    /// fields of work (all that are left, when it names none).
    fn take(&mut self, which: shape::Builtin, measures: Option<&[String]>) -> Chapter {
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
                    s.number = if shape::numbered(&s.title) {
                        String::new()
                    } else {
                        shape::number(2, i + 1)
                    };
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

/// `一是`, `二是` … before the `i`-th item, unless the office's text already
/// starts with one of its own (一是, 其一, （一）, 1.): never "一是一是……".
fn ordinal_unless_written(text: &str, i: usize) -> String {
    let t = text.trim_start().trim_start_matches(['*', '#', ' ']);
    let numerals = "一二三四五六七八九十";
    let mut chars = t.chars();
    let first = chars.next().unwrap_or(' ');
    let second = chars.next().unwrap_or(' ');
    let own = (numerals.contains(first) && "是要则".contains(second))
        || (first == '其' && numerals.contains(second))
        || (matches!(first, '（' | '(') && numerals.contains(second))
        || (first.is_ascii_digit() && matches!(second, '.' | '、' | '．'));
    if own {
        String::new()
    } else {
        format!("{}是", cn_number(i + 1))
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

/// The villages of an exit in a table cell: their names, or how many.
fn village_cell(v: &Villages) -> String {
    match (v.names.is_empty(), v.count) {
        (false, _) => v.names.join("、"),
        (true, 0) => "—".into(),
        (true, n) => format!("{n}个"),
    }
}

/// 一、总体情况: the register in a paragraph, and its tables.
fn overview(
    b: &mut ViewBuilder,
    office: &Office,
    year: &Year,
    reg: &Register,
    rm: &metrics::RegisterMetrics,
    own: &str,
) -> (String, Vec<Table>) {
    let l = &reg.labels;
    // A clause whose figure the office's own text gives is left out.
    let new = |figure: &str| figure.is_empty() || !own.contains(figure);
    let region = office.region.clone().unwrap_or_default();
    let mut parts = Vec::new();
    let mut head = format!("{region}{}", l.subject);
    if let Some(v) = reg.villages {
        head = format!("{region}{}{}个、{}", l.baseline_villages, v.v, l.subject);
    }
    let mut base = pair_text(Sum2::of(&reg.baseline));
    if l.era == Era::Monitoring && !base.is_empty() {
        // A monitored population grows: its baseline, then those added.
        head = format!("{region}{}", l.baseline);
        let added = pair_text(metrics::added_by_adjustments(reg));
        if !added.is_empty() {
            base += &format!("，历年新识别{added}");
        }
    }
    if !base.is_empty() && new(&pair_text(Sum2::of(&reg.baseline))) {
        parts.push(format!("{head}{base}"));
    }
    for e in &reg.exits {
        let p = pair_text(Sum2::of(&e.pair));
        if !new(&p) {
            continue;
        }
        let mut s = format!("{}年{}{p}", e.span(), l.exit);
        if e.villages.count > 0 {
            s += &format!("，{}个{}{}", e.villages.count, l.village, l.village_exit);
            if !e.villages.names.is_empty() {
                s += &format!("（{}）", e.villages.names.join("、"));
            }
        }
        parts.push(s);
    }
    let mut text = parts.join("；");
    if !text.is_empty() {
        text.push('。');
    }
    let mut s2 = Vec::new();
    if let Some(c) = reg
        .current
        .as_ref()
        .filter(|c| new(&pair_text(Sum2::of(c))))
    {
        s2.push(format!("{}{}", current_words(l), pair_text(Sum2::of(c))));
    }
    let cumulative = pair_text(rm.cumulative);
    if !cumulative.is_empty() && new(&cumulative) {
        let mut s = format!("累计{}{}", l.exit, pair_text(rm.cumulative));
        if let Some(p) = rm.progress {
            s += &format!("，占{}的{}", l.population, pct(p, 1));
        }
        s2.push(s);
    }
    if let Some(rem) = reg
        .remaining
        .as_ref()
        .filter(|r| new(&pair_text(Sum2::of(&r.pair))))
    {
        let mut s = String::from("目前");
        if let Some(v) = rem.villages {
            s += &format!("尚有{}{}个、", l.village, v.v);
        }
        s += &format!("{}{}", remaining_words(l), pair_text(Sum2::of(&rem.pair)));
        if let Some(bd) = rem.breakdowns.first() {
            let items: Vec<String> = bd
                .parts
                .iter()
                .map(|p| {
                    let units = Units::of(None, year.money_unit());
                    format!("{}{}", p.name, metrics::tally_text(&p.tally, units))
                })
                .collect();
            s += &format!("（其中：{}）", items.join("，"));
        }
        if let Some(i) = rm.incidence {
            let den = reg
                .incidence
                .as_ref()
                .map(|x| x.denominator_label.as_str())
                .unwrap_or("");
            s += &format!("，{}{}（以{den}计）", l.incidence, pct(i, 2));
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
            goals.push(format!("{}{tp}", l.reduction));
        }
        if !goals.is_empty() && new(&tp) {
            s3.push(format!("{}年目标任务为{}", year.year, goals.join("、")));
        }
    }
    match rm.this_year {
        // A confirmed exit of this year was told with the other years: only
        // its share of the target is new (never the same figure twice).
        Some(_) if !rm.this_year_planned => {
            if let (Some(r), Some(goal)) = (rm.target_persons, s3.last_mut()) {
                *goal += &format!("，完成目标的{}", pct(r, 1));
            }
        }
        Some(t) if new(&pair_text(t)) => {
            let mut s = format!("{}年{}{}", year.year, l.planned, pair_text(t));
            if rm.this_year_villages > 0 {
                s += &format!("，拟{}{}个", l.village_exit, rm.this_year_villages);
            }
            if let Some(r) = rm.target_persons {
                s += &format!("，占{}目标的{}", l.reduction, pct(r, 1));
            }
            s3.push(s);
        }
        _ => {}
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
                    format!("{}年", e.span()),
                    opt(e.pair.households.map(|n| n.v)),
                    opt(e.pair.persons.map(|n| n.v)),
                    village_cell(&e.villages),
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
                format!("{}年（{}）", year.year, l.planned),
                opt(t.households),
                opt(t.persons),
                village_cell(&p.villages),
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
    reg_rows.push(pair_row(&l.baseline, Sum2::of(&reg.baseline)));
    if rm.net.households.is_some() || rm.net.persons.is_some() {
        reg_rows.push(pair_row("动态调整净增", rm.net));
    }
    if let Some(c) = &reg.current {
        reg_rows.push(pair_row(&l.current, Sum2::of(c)));
    }
    if let Some(rem) = &reg.remaining {
        reg_rows.push(pair_row(&l.remaining, Sum2::of(&rem.pair)));
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
        &l.population,
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
                format!("{}户数（户）", l.reduction),
                v.v.to_string(),
                opt(rm.this_year.and_then(|x| x.households)),
                rm.target_households.map_or("—".into(), |r| pct(r, 1)),
            ]);
        }
        if let Some(v) = t.persons {
            rows.push(vec![
                format!("{}人数（人）", l.reduction),
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
            ps.start_rate().map_or("—".into(), |r| {
                m.text_of(Name::Builtin(Builtin::StartRate), || pct(r, 1))
            }),
            ps.completion_rate().map_or("—".into(), |r| {
                m.text_of(Name::Builtin(Builtin::CompletionRate), || pct(r, 1))
            }),
            ps.spending_rate().map_or("—".into(), |r| {
                m.text_of(Name::Builtin(Builtin::SpendingRate), || pct(r, 1))
            }),
        ]];
        tables.push(b.table(
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
            FigureKind::Average { sum, count, scale } => {
                if *scale == rust_decimal::Decimal::ONE {
                    format!("{} ÷ {}", sum.v, count.v)
                } else {
                    format!("{} × {} ÷ {}", sum.v, scale.normalize(), count.v)
                }
            }
            FigureKind::StatedRate { .. } => "所填比率（无分子分母，未核对）".into(),
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
                    let units = Units::of(fig.unit.as_deref(), money_unit);
                    // A part in a unit of its own (327.6万元 of 1.33亿元, 93笔)
                    // carries its unit in the cell, and the heading none.
                    let mixed = |h: &str| {
                        bd.parts.iter().any(|p| match h {
                            "金额" => p.amount_unit.is_some(),
                            "个数" | "数值" => p.count_unit.is_some(),
                            _ => false,
                        })
                    };
                    let mut head = vec![bd.by.clone()];
                    head.extend(cols.iter().map(|(h, _)| match *h {
                        h if mixed(h) => h.to_string(),
                        "金额" => format!("金额（{}）", units.amount),
                        "个数" if units.count != "个" => format!("数量（{}）", units.count),
                        _ => h.to_string(),
                    }));
                    let rows = bd
                        .parts
                        .iter()
                        .map(|p| {
                            let own = p.units(units);
                            let mut r = vec![p.name.clone()];
                            r.extend(cols.iter().map(|(h, g)| {
                                let v = g(&p.tally).map(|n| n.v);
                                let unit = match *h {
                                    "金额" => own.amount,
                                    "个数" => own.count,
                                    _ => own.value,
                                };
                                match v {
                                    Some(v) if mixed(h) => format!("{}{unit}", num::written(v)),
                                    _ => opt(v),
                                }
                            }));
                            r
                        })
                        .collect();
                    let mut numcols = vec![false];
                    numcols.extend(cols.iter().map(|_| true));
                    let caption = if bd.subset {
                        format!("{}（其中，按{}）", fig.label, bd.by)
                    } else {
                        format!("{}（按{}）", fig.label, bd.by)
                    };
                    extra.push((caption, head, rows, numcols));
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
    use super::ordinal_unless_written;

    #[test]
    fn no_ordinal_before_the_office_own() {
        assert_eq!(ordinal_unless_written("脱贫成效需要巩固。", 0), "一是");
        assert_eq!(ordinal_unless_written("产业基础薄弱。", 1), "二是");
        for own in [
            "一是产业基础薄弱。",
            "二要加强培训。",
            "其一，资金缺口大。",
            "（一）产业",
            "1.产业",
        ] {
            assert_eq!(ordinal_unless_written(own, 0), "", "{own}");
        }
    }
}
