//! Stage 3, metrics: pure arithmetic on validated data. No I/O, no
//! formatting decisions beyond the citation texts, which are built here once
//! so the narrative, the tables and the charts all read the same numbers.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::model::cite::{Builtin, CiteTable, Headline, Name, Part};
use crate::model::num;
use crate::model::*;

/// A 户/人 pair of computed numbers; `None` where the data has no such figure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sum2 {
    pub(crate) households: Option<Decimal>,
    pub(crate) persons: Option<Decimal>,
}

impl Sum2 {
    pub(crate) fn of(p: &Pair) -> Sum2 {
        Sum2 {
            households: p.households.map(|n| n.v),
            persons: p.persons.map(|n| n.v),
        }
    }
}

/// Sum of all confirmed exits up to the report year (each dimension only if
/// every year gives it).
/// The exits by year added up (none where a year lacks the dimension).
pub(crate) fn exits_by_year(reg: &Register) -> Sum2 {
    let sum = |get: fn(&Pair) -> Option<crate::model::raw::N>| {
        reg.exits
            .iter()
            .map(|e| get(&e.pair).map(|n| n.v))
            .sum::<Option<Decimal>>()
            .filter(|_| !reg.exits.is_empty())
    };
    Sum2 {
        households: sum(|p| p.households),
        persons: sum(|p| p.persons),
    }
}

fn cumulative_exits(reg: &Register) -> Sum2 {
    // A source that gives exits to date and no years (累计风险消除).
    if let (true, Some(c)) = (reg.exits.is_empty(), &reg.cumulative) {
        return Sum2::of(c);
    }
    exits_by_year(reg)
}

/// Net change from dynamic management (added − removed), per dimension.
fn net_adjustment(reg: &Register) -> Sum2 {
    let net = |get: fn(&Pair) -> Option<crate::model::raw::N>| {
        let mut any = false;
        let mut total = Decimal::ZERO;
        for a in &reg.adjustments {
            if let Some(n) = get(&a.added) {
                any = true;
                total += n.v;
            }
            if let Some(n) = get(&a.removed) {
                any = true;
                total -= n.v;
            }
        }
        any.then_some(total)
    };
    Sum2 {
        households: net(|p| p.households),
        persons: net(|p| p.persons),
    }
}

/// The rate a figure implies, in %, unrounded.
pub(crate) fn figure_rate(kind: &FigureKind) -> Option<Decimal> {
    match kind {
        FigureKind::Ratio {
            numerator,
            denominator,
            ..
        } => num::percent(numerator.v, denominator.v),
        FigureKind::Plan { value, plan } => num::percent(value.v, plan.v),
        FigureKind::Triple { should, done, .. } => num::percent(done.v, should.v),
        _ => None,
    }
}

/// A figure's rate as it prints, in %: computed and rounded at the
/// figure's precision; as the office stated it where a mismatch was
/// acknowledged (`ack`: 原文如此).
pub(crate) fn printed_rate(fig: &Figure) -> Option<Decimal> {
    match (&fig.ack, fig.stated) {
        (Some(_), Some(stated)) => Some(stated.v),
        _ => figure_rate(&fig.kind).map(|r| num::round(r, fig.precision)),
    }
}

/// A figure's rate as it prints: `98.84%`, or the acknowledged `98.86%` as
/// the office wrote it.
pub(crate) fn rate_text(fig: &Figure) -> Option<String> {
    let r = printed_rate(fig)?;
    Some(match (&fig.ack, fig.stated) {
        (Some(_), Some(_)) => format!("{}%", num::written(r)),
        _ => pct(r, fig.precision),
    })
}

/// 未 of an 应/已/未 figure as it prints: as stated, else 应 − 已.
pub(crate) fn printed_undone(should: raw::N, done: raw::N, undone: Option<raw::N>) -> Decimal {
    undone.map_or(should.v - done.v, |u| u.v)
}

/// The special funds' total as it prints: as the office states it (it
/// agrees with the parts at its own precision, or the build stops), else
/// the sum at the funds' precision; one amount, one way of writing it.
pub(crate) fn printed_special_total(
    sp: &Special,
    st: &SpecialTotals,
    prec: u32,
) -> Option<Decimal> {
    sp.stated_total
        .map(|n| n.v)
        .or_else(|| st.total.map(|t| num::round(t, prec).normalize()))
}

/// Totals of the special funds and the project list.
#[derive(Clone, Debug, Default)]
pub(crate) struct SpecialTotals {
    /// Sum of the batches (or sources, or projects); the stated total only
    /// when nothing else is given.
    pub(crate) total: Option<Decimal>,
    pub(crate) projects: Option<Decimal>,
    pub(crate) start_rate: Option<Decimal>,
    pub(crate) completion_rate: Option<Decimal>,
    pub(crate) spending_rate: Option<Decimal>,
    pub(crate) industry_share: Option<Decimal>,
}

fn special_totals(sp: &Special, projects: Option<&Projects>) -> SpecialTotals {
    let list = projects.map(|p| p.list.as_slice()).unwrap_or_default();
    let sum_parts = |parts: &[FundPart]| {
        (!parts.is_empty()).then(|| parts.iter().map(|p| p.amount.v).sum::<Decimal>())
    };
    let count_parts = |parts: &[FundPart]| {
        (!parts.is_empty())
            .then(|| {
                parts
                    .iter()
                    .map(|p| p.projects.map(|n| n.v))
                    .sum::<Option<Decimal>>()
            })
            .flatten()
    };
    let list_total = (!list.is_empty()).then(|| list.iter().map(|p| p.budget.v).sum::<Decimal>());
    let total = sum_parts(&sp.batches)
        .or_else(|| sum_parts(&sp.by_source))
        .or(list_total)
        .or(sp.stated_total.map(|n| n.v));
    let projects_n = count_parts(&sp.batches)
        .or_else(|| count_parts(&sp.by_source))
        .or_else(|| (!list.is_empty()).then(|| Decimal::from(list.len())))
        .or(sp.stated_projects.map(|n| n.v));
    let stats = ProjectStats::of(list);
    let industry_amount = sp
        .by_category
        .iter()
        .find(|p| p.name == sp.industry_category)
        .map(|p| p.amount.v)
        .or_else(|| {
            stats
                .by_category
                .iter()
                .find(|c| c.name == sp.industry_category)
                .map(|c| c.budget)
        });
    let industry_share = match (industry_amount, total) {
        (Some(a), Some(t)) => num::percent(a, t),
        _ => None,
    };
    SpecialTotals {
        total,
        projects: projects_n,
        start_rate: stats.start_rate(),
        completion_rate: stats.completion_rate(),
        spending_rate: stats.spending_rate(),
        industry_share,
    }
}

/// Counts and sums of a project list.
#[derive(Clone, Debug, Default)]
pub(crate) struct ProjectStats {
    pub(crate) total: usize,
    pub(crate) planned: usize,
    pub(crate) started: usize,
    pub(crate) completed: usize,
    pub(crate) budget: Decimal,
    /// Spent, summed over projects that give it.
    pub(crate) spent: Decimal,
    /// Budget of the projects that give `spent` (the base of 支出进度).
    pub(crate) spent_base: Decimal,
    pub(crate) by_category: Vec<CategoryStats>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct CategoryStats {
    pub(crate) name: String,
    pub(crate) count: usize,
    pub(crate) planned: usize,
    pub(crate) started: usize,
    pub(crate) completed: usize,
    pub(crate) budget: Decimal,
}

impl ProjectStats {
    fn of(list: &[Project]) -> ProjectStats {
        let mut s = ProjectStats::default();
        let mut cats: BTreeMap<&str, usize> = BTreeMap::new();
        for p in list {
            s.total += 1;
            s.budget += p.budget.v;
            if let Some(sp) = p.spent {
                s.spent += sp.v;
                s.spent_base += p.budget.v;
            }
            let idx = *cats.entry(p.category.as_str()).or_insert_with(|| {
                s.by_category.push(CategoryStats {
                    name: p.category.clone(),
                    ..CategoryStats::default()
                });
                s.by_category.len() - 1
            });
            let c = &mut s.by_category[idx];
            c.count += 1;
            c.budget += p.budget.v;
            match p.status {
                Status::Planned => {
                    s.planned += 1;
                    c.planned += 1;
                }
                Status::Started => {
                    s.started += 1;
                    c.started += 1;
                }
                Status::Completed => {
                    s.completed += 1;
                    c.completed += 1;
                }
            }
        }
        // Largest first; ties by name, so the order never depends on input order.
        s.by_category
            .sort_by(|a, b| b.budget.cmp(&a.budget).then_with(|| a.name.cmp(&b.name)));
        s
    }

    /// 开工率: started or completed over all.
    pub(crate) fn start_rate(&self) -> Option<Decimal> {
        num::percent(
            Decimal::from(self.started + self.completed),
            Decimal::from(self.total),
        )
    }

    /// 竣工率: completed over all.
    pub(crate) fn completion_rate(&self) -> Option<Decimal> {
        num::percent(Decimal::from(self.completed), Decimal::from(self.total))
    }

    /// 支出进度: spent over budget, over the projects that report spending.
    pub(crate) fn spending_rate(&self) -> Option<Decimal> {
        num::percent(self.spent, self.spent_base)
    }
}

/// Register metrics for one year.
#[derive(Clone, Debug, Default)]
pub(crate) struct RegisterMetrics {
    pub(crate) cumulative: Sum2,
    pub(crate) net: Sum2,
    /// Cumulative exits over the baseline, persons, in %.
    pub(crate) progress: Option<Decimal>,
    /// This year's exits: confirmed, or else planned (预脱贫).
    pub(crate) this_year: Option<Sum2>,
    pub(crate) this_year_planned: bool,
    pub(crate) this_year_villages: usize,
    pub(crate) villages_exited: usize,
    /// Completion of the year's targets, in %.
    pub(crate) target_persons: Option<Decimal>,
    pub(crate) target_households: Option<Decimal>,
    pub(crate) target_villages: Option<Decimal>,
    /// 贫困发生率 from the stated remaining over the stated denominator.
    pub(crate) incidence: Option<Decimal>,
    /// 贫困发生率 once the year's planned exits are out.
    pub(crate) incidence_after: Option<Decimal>,
    /// Decimals to show it with: the stated figure's, else 2.
    pub(crate) incidence_precision: u32,
}

/// Everyone added by dynamic management, per dimension.
pub(crate) fn added_by_adjustments(reg: &Register) -> Sum2 {
    let sum = |get: fn(&Pair) -> Option<crate::model::raw::N>| {
        reg.adjustments
            .iter()
            .filter_map(|a| get(&a.added).map(|n| n.v))
            .reduce(|a, b| a + b)
    };
    Sum2 {
        households: sum(|p| p.households),
        persons: sum(|p| p.persons),
    }
}

/// The share of the register that is out. A monitored population grows by
/// those identified each year, so in the monitoring era the share is of all
/// ever monitored (baseline and added); before, of the baseline.
fn progress(reg: &Register, cumulative: Sum2) -> Option<Decimal> {
    let base = reg.baseline.persons?.v;
    let whole = match reg.labels.era {
        crate::model::cite::Era::Campaign => base,
        crate::model::cite::Era::Monitoring => {
            base + added_by_adjustments(reg).persons.unwrap_or_default()
        }
    };
    num::percent(cumulative.persons?, whole)
}

fn register_metrics(reg: &Register, year: i32) -> RegisterMetrics {
    let cumulative = cumulative_exits(reg);
    let confirmed = reg
        .exits
        .iter()
        .find(|e| e.year == year && e.from.is_none());
    let (this_year, planned, villages) = match (confirmed, &reg.planned) {
        (Some(e), _) => (Some(Sum2::of(&e.pair)), false, e.villages.count),
        (None, Some(p)) => (Some(Sum2::of(&p.pair)), true, p.villages.count),
        (None, None) => (None, false, 0),
    };
    let rate = |done: Option<Decimal>, target: Option<crate::model::raw::N>| match (done, target) {
        (Some(d), Some(t)) => num::percent(d, t.v),
        _ => None,
    };
    let targets = reg.targets.clone().unwrap_or_default();
    let villages_done = (this_year.is_some()).then(|| Decimal::from(villages));
    RegisterMetrics {
        cumulative,
        net: net_adjustment(reg),
        progress: progress(reg, cumulative),
        this_year,
        this_year_planned: planned,
        this_year_villages: villages,
        villages_exited: reg.exits.iter().map(|e| e.villages.count).sum(),
        target_persons: rate(this_year.and_then(|t| t.persons), targets.persons),
        target_households: rate(this_year.and_then(|t| t.households), targets.households),
        target_villages: rate(villages_done, targets.villages),
        incidence: match (
            &reg.incidence,
            reg.remaining.as_ref().and_then(|r| r.pair.persons),
        ) {
            (Some(i), Some(p)) => num::percent(p.v, i.denominator.v),
            _ => None,
        },
        incidence_after: match (
            &reg.incidence,
            reg.remaining.as_ref().and_then(|r| r.pair.persons),
            reg.planned.as_ref().and_then(|p| p.pair.persons),
        ) {
            (Some(i), Some(left), Some(p)) if p.v <= left.v => {
                num::percent(left.v - p.v, i.denominator.v)
            }
            _ => None,
        },
        incidence_precision: reg
            .incidence
            .as_ref()
            .and_then(|i| i.stated)
            .map_or(2, |s| num::scale(s.v)),
    }
}

/// One category's share of the special funds.
#[derive(Clone, Debug)]
pub(crate) struct Share {
    pub(crate) name: String,
    pub(crate) amount: Decimal,
    pub(crate) projects: Option<usize>,
    pub(crate) share: Decimal,
}

/// Funds by category: from the project list when there is one, else from
/// `by_category` — shares of the special-funds total.
fn category_shares(sp: &Special, projects: Option<&Projects>, total: Decimal) -> Vec<Share> {
    let stats = projects.map(|p| ProjectStats::of(&p.list));
    let mut shares: Vec<Share> = match stats.filter(|s| s.total > 0) {
        Some(s) => s
            .by_category
            .iter()
            .map(|c| Share {
                name: c.name.clone(),
                amount: c.budget,
                projects: Some(c.count),
                share: num::percent(c.budget, total).unwrap_or_default(),
            })
            .collect(),
        None => sp
            .by_category
            .iter()
            .map(|c| Share {
                name: c.name.clone(),
                amount: c.amount.v,
                projects: c
                    .projects
                    .and_then(|n| usize::try_from(n.v.trunc().mantissa()).ok()),
                share: num::percent(c.amount.v, total).unwrap_or_default(),
            })
            .collect(),
    };
    shares.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.name.cmp(&b.name)));
    shares
}

/// A year-on-year comparison of one headline figure.
#[derive(Clone, Debug)]
pub(crate) struct Yoy {
    pub(crate) which: Headline,
    pub(crate) label: String,
    pub(crate) prev: String,
    pub(crate) cur: String,
    /// e.g. 增长7.3% / 下降0.5% / 提高1.2个百分点 / 持平
    pub(crate) change: String,
    /// Last year's and this year's numbers (for the derivation).
    pub(crate) values: (Decimal, Decimal),
    pub(crate) is_rate: bool,
}

/// How a figure changed: relative for quantities, in 个百分点 for rates.
fn change_text(prev: Decimal, cur: Decimal, is_rate: bool) -> String {
    if is_rate {
        let d = num::round(cur - prev, 1);
        return if d.is_zero() {
            "持平".into()
        } else if d > Decimal::ZERO {
            format!("提高{}个百分点", num::fixed(d, 1))
        } else {
            format!("下降{}个百分点", num::fixed(-d, 1))
        };
    }
    match num::percent(cur - prev, prev) {
        None => "上年为0".into(),
        Some(p) => {
            let p = num::round(p, 1);
            if p.is_zero() {
                "持平".into()
            } else if p > Decimal::ZERO {
                format!("增长{}%", num::fixed(p, 1))
            } else {
                format!("下降{}%", num::fixed(-p, 1))
            }
        }
    }
}

/// Everything computed for one office-year.
#[derive(Clone, Debug, Default)]
pub(crate) struct YearMetrics {
    pub(crate) register: Option<RegisterMetrics>,
    pub(crate) special: Option<SpecialTotals>,
    pub(crate) projects: Option<ProjectStats>,
    pub(crate) shares: Vec<Share>,
    pub(crate) yoy: Vec<Yoy>,
    /// Every name the narrative may cite, with its text; tables and charts
    /// print the same texts.
    pub(crate) cite: CiteTable,
}

impl YearMetrics {
    /// A figure's text as the narrative cites it, so that tables and charts
    /// print exactly what the text says; `fallback` when it is not there.
    pub(crate) fn text_of(&self, name: Name, fallback: impl FnOnce() -> String) -> String {
        self.cite
            .get(name)
            .map_or_else(fallback, ToString::to_string)
    }
}

/// A headline number of a year, compared year on year.
struct HeadlineValue {
    which: Headline,
    value: Option<Decimal>,
    unit: &'static str,
    is_rate: bool,
}

fn headline_values(year: &Year, m: &YearMetrics) -> Vec<HeadlineValue> {
    let reg = m.register.as_ref();
    let persons_this = reg.and_then(|r| r.this_year).and_then(|t| t.persons);
    let remaining = year
        .register
        .as_ref()
        .and_then(|r| r.remaining.as_ref())
        .and_then(|r| r.pair.persons)
        .map(|n| n.v);
    let value = |which, value, unit, is_rate| HeadlineValue {
        which,
        value,
        unit,
        is_rate,
    };
    vec![
        value(Headline::ReducedPersons, persons_this, "人", false),
        value(Headline::RemainingPersons, remaining, "人", false),
        value(
            Headline::Incidence,
            reg.and_then(|r| r.incidence),
            "%",
            true,
        ),
        value(
            Headline::SpecialFunds,
            m.special.as_ref().and_then(|s| s.total),
            "",
            false,
        ),
        value(
            Headline::Projects,
            m.special.as_ref().and_then(|s| s.projects),
            "个",
            false,
        ),
    ]
}

/// Every year's metrics of an office, in the office's year order.
pub(crate) fn office_metrics(office: &Office) -> Vec<YearMetrics> {
    let mut out: Vec<YearMetrics> = Vec::with_capacity(office.years.len());
    for (i, year) in office.years.iter().enumerate() {
        let prev = i
            .checked_sub(1)
            .map(|j| (&office.years[j], &out[j]))
            .filter(|(p, _)| p.year == year.year - 1);
        let m = year_metrics(year, prev);
        out.push(m);
    }
    out
}

/// Compute one year's metrics; `prev` is the office's previous year, if any.
/// `prev`: the year before, with its metrics, when the office has it.
fn year_metrics(year: &Year, prev: Option<(&Year, &YearMetrics)>) -> YearMetrics {
    let mut m = base_metrics(year);
    if let Some((p, pm)) = prev {
        let money_unit = year.money_unit();
        let prec = year.funds.as_ref().map_or(2, |f| f.precision);
        let labels = year.labels();
        for (a, b) in headline_values(p, pm)
            .into_iter()
            .zip(headline_values(year, &m))
        {
            let (Some(pv), Some(cv)) = (a.value, b.value) else {
                continue;
            };
            let fmt = |v: Decimal| match (b.is_rate, b.unit) {
                (true, _) => format!("{}%", num::fixed(v, 2)),
                (false, "") => format!("{}{money_unit}", num::amount(v, prec)),
                (false, u) => format!("{}{u}", num::amount(v, prec)),
            };
            m.yoy.push(Yoy {
                which: b.which,
                label: b.which.label(&labels),
                prev: fmt(pv),
                cur: fmt(cv),
                change: change_text(pv, cv, b.is_rate),
                values: (pv, cv),
                is_rate: b.is_rate,
            });
        }
    }
    m.cite = citations(year, &m);
    if let Some((p, pm)) = prev {
        last_year_citations(&mut m.cite, year, p, &pm.cite);
    }
    m
}

/// Last year's names as `上年.<名称>`, and each office figure against last
/// year's of the same name as `同比.<名称>`: the figures an office would
/// otherwise copy by hand from last year's report.
fn last_year_citations(c: &mut CiteTable, year: &Year, prev: &Year, last: &CiteTable) {
    for (key, text) in last.own_entries() {
        c.put(Name::LastYear(key), text.to_string());
    }
    c.take_former(last, "上年.");
    for fig in year.figures() {
        let Some(old) = prev
            .figures()
            .find(|f| f.label == fig.label && f.unit == fig.unit)
        else {
            continue;
        };
        let change = match (figure_value(&old.kind), figure_value(&fig.kind)) {
            (Some((a, false)), Some((b, false))) => change_text(a, b, false),
            (Some((a, true)), Some((b, true))) => change_text(a, b, true),
            _ => continue,
        };
        c.put(Name::FigureChange(&fig.label), change);
    }
}

/// The number a figure stands for, and whether it is a rate (in %).
pub(crate) fn figure_value(kind: &FigureKind) -> Option<(Decimal, bool)> {
    match kind {
        FigureKind::Value { value } | FigureKind::Plan { value, .. } => Some((value.v, false)),
        FigureKind::Change { to, .. } => Some((to.v, false)),
        FigureKind::Ratio { .. } | FigureKind::Triple { .. } => {
            figure_rate(kind).map(|r| (r, true))
        }
        FigureKind::Average { .. } => average(kind).map(|a| (a, false)),
        FigureKind::StatedRate { stated } => Some((stated.v, true)),
        FigureKind::Total { .. } => None,
    }
}

/// An average figure's value: sum × scale ÷ count, unrounded.
pub(crate) fn average(kind: &FigureKind) -> Option<Decimal> {
    match kind {
        FigureKind::Average { sum, count, scale } => {
            (!count.v.is_zero()).then(|| sum.v * scale / count.v)
        }
        _ => None,
    }
}

fn base_metrics(year: &Year) -> YearMetrics {
    let register = year
        .register
        .as_ref()
        .map(|r| register_metrics(r, year.year));
    let projects = year.projects.as_ref().map(|p| ProjectStats::of(&p.list));
    let special = year
        .funds
        .as_ref()
        .and_then(|f| f.special.as_ref())
        .map(|s| special_totals(s, year.projects.as_ref()));
    let shares = match (
        year.funds.as_ref().and_then(|f| f.special.as_ref()),
        special.as_ref().and_then(|s| s.total),
    ) {
        (Some(sp), Some(total)) if !total.is_zero() => {
            category_shares(sp, year.projects.as_ref(), total)
        }
        _ => Vec::new(),
    };
    YearMetrics {
        register,
        special,
        projects,
        shares,
        ..YearMetrics::default()
    }
}

/// `724户1595人`, `15人`; empty when neither is known.
pub(crate) fn pair_text(s: Sum2) -> String {
    let mut out = String::new();
    if let Some(h) = s.households {
        out += &format!("{}户", h.normalize());
    }
    if let Some(p) = s.persons {
        out += &format!("{}人", p.normalize());
    }
    out
}

pub(crate) fn pct(d: Decimal, dp: u32) -> String {
    format!("{}%", num::fixed(d, dp))
}

/// The text a figure shows: value with unit, rate, change, total.
pub(crate) fn figure_text(fig: &Figure, money_unit: &str) -> String {
    let unit = fig.unit.as_deref().unwrap_or("");
    match &fig.kind {
        FigureKind::Value { value } => match (&fig.approx, fig.max) {
            (_, Some(max)) => format!("{}～{}{unit}", num::written(value.v), num::written(max.v)),
            (Some(a), None) => a.word(&num::written(value.v), unit),
            (None, None) => format!("{}{unit}", num::written(value.v)),
        },
        FigureKind::Plan { value, .. } => format!("{}{unit}", num::written(value.v)),
        FigureKind::Ratio { .. } | FigureKind::Triple { .. } => rate_text(fig).unwrap_or_default(),
        FigureKind::Change { from, to } => {
            let verb = if to.v >= from.v {
                "提高到"
            } else {
                "降低到"
            };
            format!(
                "由{}{unit}{verb}{}{unit}",
                num::written(from.v),
                num::written(to.v)
            )
        }
        FigureKind::Total { total, .. } => {
            let text = tally_text(total, Units::of(fig.unit.as_deref(), money_unit));
            match fig.approx.as_ref().and_then(|a| a.around(&text)) {
                Some(worded) => worded,
                None => text,
            }
        }
        FigureKind::Average { .. } => average(&fig.kind).map_or_else(String::new, |a| {
            format!("{}{unit}", num::fixed(a, fig.precision))
        }),
        FigureKind::StatedRate { stated } => format!("{}%", stated.v),
    }
}

/// `292人24.28万元`.
pub(crate) fn tally_text(t: &Tally, units: Units) -> String {
    let mut out = String::new();
    if let Some(n) = t.households {
        out += &format!("{}户", n.v);
    }
    if let Some(n) = t.persons {
        out += &format!("{}人", n.v);
    }
    if let Some(n) = t.count {
        out += &format!("{}{}", n.v, units.count);
    }
    if let Some(n) = t.value {
        out += &format!("{}{}", n.v, units.value);
    }
    if let Some(n) = t.amount {
        out += &format!("{}{}", n.v, units.amount);
    }
    out
}

/// Build the citation table: every name a narrative may cite, with its text.
fn citations(year: &Year, m: &YearMetrics) -> CiteTable {
    let mut c = CiteTable::new(year.labels());
    c.put(Name::Builtin(Builtin::Year), format!("{}年", year.year));
    if let (Some(reg), Some(rm)) = (&year.register, &m.register) {
        register_citations(&mut c, reg, rm, year.money_unit());
    }
    if let Some(s) = &m.special {
        funds_citations(&mut c, year, m, s);
    }
    if let Some(p) = &m.projects
        && p.total > 0
    {
        c.put(b(Builtin::CompletedProjects), format!("{}个", p.completed));
        c.put(b(Builtin::StartedProjects), format!("{}个", p.started));
        c.put(b(Builtin::PlannedProjects), format!("{}个", p.planned));
    }
    let money_unit = year.money_unit();
    for fig in year.figures() {
        c.put(Name::Figure(&fig.label), figure_text(fig, money_unit));
        figure_parts(&mut c, fig, &fig.label, money_unit);
    }
    for target in year.plan.iter().flat_map(|p| p.targets.iter()) {
        c.put(Name::Target(&target.label), figure_text(target, money_unit));
        // 目标.<名称>.分子, 目标.<名称>.<分项名>: a target's parts are
        // written once, in plan.yaml, and checked there.
        let name = Name::Target(&target.label).key(c.labels());
        figure_parts(&mut c, target, &name, money_unit);
    }
    for y in &m.yoy {
        c.put(Name::Change(y.which), y.change.clone());
    }
    c
}

fn b(builtin: Builtin) -> Name<'static> {
    Name::Builtin(builtin)
}

fn register_citations(c: &mut CiteTable, reg: &Register, rm: &RegisterMetrics, money_unit: &str) {
    if let Some(v) = reg.villages {
        c.put(b(Builtin::BaselineVillages), format!("{}个", v.v));
    }
    c.put(b(Builtin::Baseline), pair_text(Sum2::of(&reg.baseline)));
    for e in &reg.exits {
        c.put(Name::ExitOf(&e.span()), pair_text(Sum2::of(&e.pair)));
    }
    c.put(b(Builtin::Cumulative), pair_text(rm.cumulative));
    if let Some(p) = rm.progress {
        c.put(b(Builtin::CumulativeShare), pct(p, 1));
    }
    c.put(b(Builtin::NetAdjustment), pair_text(rm.net));
    if let Some(cur) = &reg.current {
        c.put(b(Builtin::Current), pair_text(Sum2::of(cur)));
    }
    if let Some(m) = &reg.monitored {
        c.put(b(Builtin::Monitored), pair_text(Sum2::of(&m.pair)));
        for p in m.breakdowns.iter().flat_map(|b| &b.parts) {
            c.put(
                Name::MonitoredPart(&p.name),
                tally_text(&p.tally, Units::of(None, money_unit)),
            );
        }
    }
    if let Some(p) = &reg.pending {
        c.put(b(Builtin::Pending), pair_text(Sum2::of(p)));
    }
    if let Some(rem) = &reg.remaining {
        c.put(b(Builtin::Remaining), pair_text(Sum2::of(&rem.pair)));
        if let Some(v) = rem.villages {
            c.put(b(Builtin::RemainingVillages), format!("{}个", v.v));
        }
        for p in rem.breakdowns.iter().flat_map(|b| &b.parts) {
            c.put(
                Name::RemainingPart(&p.name),
                tally_text(&p.tally, Units::of(None, money_unit)),
            );
        }
    }
    if let Some(t) = rm.this_year {
        let (pair, villages) = if rm.this_year_planned {
            (Builtin::ThisYearPlanned, Builtin::ThisYearPlannedVillages)
        } else {
            (Builtin::ThisYear, Builtin::ThisYearVillages)
        };
        c.put(b(pair), pair_text(t));
        c.put(b(villages), format!("{}个", rm.this_year_villages));
    }
    if let Some(t) = &reg.targets {
        if let Some(v) = t.villages {
            c.put(b(Builtin::TargetVillages), format!("{}个", v.v));
        }
        let target = Sum2 {
            households: t.households.map(|n| n.v),
            persons: t.persons.map(|n| n.v),
        };
        c.put(b(Builtin::TargetReduction), pair_text(target));
    }
    if let Some(r) = rm.target_persons {
        c.put(b(Builtin::TargetRate), pct(r, 1));
    }
    if let Some(r) = rm.target_villages {
        c.put(b(Builtin::VillageTargetRate), pct(r, 1));
    }
    if let Some(i) = rm.incidence {
        c.put(b(Builtin::Incidence), pct(i, rm.incidence_precision));
    }
    if let Some(i) = rm.incidence_after {
        c.put(b(Builtin::IncidenceAfter), pct(i, rm.incidence_precision));
    }
}

fn funds_citations(c: &mut CiteTable, year: &Year, m: &YearMetrics, s: &SpecialTotals) {
    let money_unit = year.money_unit();
    let prec = year.funds.as_ref().map_or(2, |f| f.precision);
    let sp = year.funds.as_ref().and_then(|f| f.special.as_ref());
    if let Some(t) = sp.and_then(|sp| printed_special_total(sp, s, prec)) {
        c.put(b(Builtin::SpecialFunds), format!("{t}{money_unit}"));
    }
    if let Some(n) = s.projects {
        c.put(b(Builtin::Projects), format!("{n}个"));
    }
    let dp = |stated: Option<crate::model::raw::N>| stated.map_or(1, |n| num::scale(n.v));
    for (k, v, stated) in [
        (
            Builtin::StartRate,
            s.start_rate,
            sp.and_then(|x| x.stated_start_rate),
        ),
        (
            Builtin::CompletionRate,
            s.completion_rate,
            sp.and_then(|x| x.stated_completion_rate),
        ),
        (
            Builtin::SpendingRate,
            s.spending_rate,
            sp.and_then(|x| x.stated_spending_rate),
        ),
    ] {
        if let Some(v) = v {
            c.put(b(k), pct(v, dp(stated)));
        }
    }
    if let Some(sp) = year.funds.as_ref().and_then(|f| f.special.as_ref()) {
        // As the office wrote them, as the tables print them: one amount,
        // one way of writing it.
        let money = |a: Decimal| format!("{}{money_unit}", num::written(a));
        for part in &sp.by_source {
            c.put(Name::Source(&part.name), money(part.amount.v));
        }
        for part in &sp.batches {
            c.put(Name::Batch(&part.name), money(part.amount.v));
        }
    }
    for sh in &m.shares {
        c.put(
            Name::CategoryFunds(&sh.name),
            format!("{}{money_unit}", num::amount(sh.amount, prec)),
        );
        c.put(Name::CategoryShare(&sh.name), pct(sh.share, 1));
        if let Some(n) = sh.projects {
            c.put(Name::CategoryProjects(&sh.name), format!("{n}个"));
        }
    }
}

/// The parts of a figure (`名称.计划`, `名称.分子`, `名称.<分项名>` …),
/// under `label`: the figure's own, or `目标.<名称>` for a plan target.
fn figure_parts(c: &mut CiteTable, fig: &Figure, label: &str, money_unit: &str) {
    let unit = fig.unit.as_deref().unwrap_or("");
    let rate = figure_value(&fig.kind).is_some_and(|(_, rate)| rate);
    for (p, bound) in [(Part::AtLeast, fig.at_least), (Part::AtMost, fig.at_most)] {
        if let Some(b) = bound {
            let u = if rate { "%" } else { unit };
            c.put(Name::FigurePart(label, p), format!("{}{u}", b.v));
        }
    }
    let mut part = |p: Part, v: Decimal| c.put(Name::FigurePart(label, p), format!("{v}{unit}"));
    match &fig.kind {
        FigureKind::Plan { plan, .. } => {
            part(Part::Plan, plan.v);
            if let Some(r) = rate_text(fig) {
                c.put(Name::FigurePart(label, Part::Rate), r);
            }
        }
        FigureKind::Ratio {
            numerator,
            denominator,
            ..
        } => {
            part(Part::Numerator, numerator.v);
            part(Part::Denominator, denominator.v);
        }
        FigureKind::Triple {
            should,
            done,
            undone,
        } => {
            part(Part::Should, should.v);
            part(Part::Done, done.v);
            part(Part::Undone, printed_undone(*should, *done, *undone));
        }
        FigureKind::Change { from, to } => {
            part(Part::From, from.v);
            part(Part::To, to.v);
        }
        FigureKind::Total { breakdowns, .. } => {
            for p in breakdowns.iter().flat_map(|b| &b.parts) {
                c.put(
                    Name::FigureBreakdown(label, &p.name),
                    tally_text(
                        &p.tally,
                        p.units(Units::of(fig.unit.as_deref(), money_unit)),
                    ),
                );
            }
        }
        FigureKind::Value { .. } | FigureKind::Average { .. } | FigureKind::StatedRate { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_of_rates_are_in_points() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(change_text(d("3.45"), d("1.15"), true), "下降2.3个百分点");
        assert_eq!(change_text(d("1721"), d("1595"), false), "下降7.3%");
        assert_eq!(change_text(d("100"), d("100"), false), "持平");
        assert_eq!(change_text(d("0"), d("5"), false), "上年为0");
    }
}
