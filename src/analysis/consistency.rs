//! No contradiction between two printed figures: run on every office-year
//! of every build, between metrics and render, over the values that print
//! (never over printed text: a unit is whatever the office wrote, digits
//! included). Each printed total equals the sum of its printed parts, each
//! printed rate its printed numerator ÷ denominator at the printed
//! precision, 应 − 已 = 未, the project rates and category shares follow
//! from the printed counts and amounts, and a share the office states is of
//! the same base as the one nianbao prints for it. The values are the ones
//! the citation table, the tables and the charts print from
//! (`metrics::printed_rate`, `printed_undone`, `printed_special_total`).
//!
//! A figure the office acknowledged (`ack`: 原文如此) prints as published and
//! is left out: its parts are known not to agree, and nianbao prints nothing
//! of its own beside it. The data's own mismatches are findings of `check`
//! long before this; what fails here is nianbao's own arithmetic or
//! formatting, so it is an internal error.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

use crate::analysis::metrics::{self, RegisterMetrics, YearMetrics};
use crate::model::cite::{Builtin, Name, Part};
use crate::model::num;
use crate::model::{Figure, FigureKind, Office, Register, Tally, Units, Year, money_factor};

/// A number as it prints, with its unit (`%` for rates).
#[derive(Clone, Debug, PartialEq)]
struct Q {
    v: Decimal,
    unit: String,
}

impl fmt::Display for Q {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.v, self.unit)
    }
}

fn q(v: Decimal, unit: &str) -> Q {
    Q {
        v,
        unit: unit.to_string(),
    }
}

/// What a citable name prints, as numbers: `292人24.28万元` is two.
type Shown = Vec<Q>;

fn show(s: &[Q]) -> String {
    s.iter().map(ToString::to_string).collect()
}

/// Every contradiction among the printed figures of an office's years.
pub(crate) fn contradictions(office: &Office, metrics: &[YearMetrics]) -> Vec<String> {
    let mut out = Vec::new();
    for (year, m) in office.years.iter().zip(metrics) {
        let mut say = |what: String| out.push(format!("{} {} 年：{what}", office.slug, year.year));
        let mut p = printed(year, m);
        if let Some((key, shown)) = planted() {
            p.0.insert(key.to_string(), shown.clone());
        }
        figures(year, m, &p, &mut say);
        projects(m, &p, &mut say);
        shares(year, m, &p, &mut say);
    }
    out.extend(crate::analysis::provenance::contradictions(office, metrics));
    out
}

/// Whether the register closes: baseline − cumulative exits + adjustments
/// equals the stated remaining in every dimension the register gives in
/// full. One that does not (`register.gap`) may lack a year's exits, so no
/// cumulative figure of it is printed.
pub(crate) fn register_closes(reg: &Register, rm: &RegisterMetrics) -> bool {
    let Some(rem) = &reg.remaining else {
        return true;
    };
    let none_yet = |d: Option<Decimal>| d.or_else(|| reg.exits.is_empty().then_some(Decimal::ZERO));
    [
        (
            reg.baseline.households,
            none_yet(rm.cumulative.households),
            rm.net.households,
            rem.pair.households,
        ),
        (
            reg.baseline.persons,
            none_yet(rm.cumulative.persons),
            rm.net.persons,
            rem.pair.persons,
        ),
    ]
    .into_iter()
    .all(|(base, done, net, left)| match (base, done, left) {
        (Some(b), Some(d), Some(l)) => b.v - d + net.unwrap_or_default() == l.v,
        _ => true,
    })
}

/// `NIANBAO_TEST_PLANT=<名称>=<数值单位…>` (tests/shape.rs): the check sees
/// that name print those numbers (`11人2.5万元`), so a test can plant a
/// contradiction into a real build and see it stopped. The only text read
/// here is this test input.
fn planted() -> Option<&'static (String, Shown)> {
    static PLANT: std::sync::OnceLock<Option<(String, Shown)>> = std::sync::OnceLock::new();
    PLANT
        .get_or_init(|| {
            let v = std::env::var("NIANBAO_TEST_PLANT").ok()?;
            let (k, t) = v.split_once('=')?;
            Some((k.to_string(), quantities(t)))
        })
        .as_ref()
}

/// The numbers of a planted figure with the unit after each:
/// `292人24.28万元` → 292 人, 24.28 万元.
fn quantities(text: &str) -> Shown {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while chars.peek().is_some() {
        let number: String =
            std::iter::from_fn(|| chars.next_if(|c| c.is_ascii_digit() || *c == '.')).collect();
        let unit: String = std::iter::from_fn(|| chars.next_if(|c| !c.is_ascii_digit())).collect();
        if let Ok(v) = number.parse::<Decimal>() {
            out.push(q(v, &unit));
        }
    }
    out
}

/// The printed numbers of every name a check reads, by the name's key.
struct Printed(BTreeMap<String, Shown>);

impl Printed {
    fn get(&self, m: &YearMetrics, name: Name) -> Option<&Shown> {
        self.0.get(&m.cite.key(name))
    }
}

/// What prints, as values: each figure and its parts, the projects, the
/// special funds and their categories.
fn printed(year: &Year, m: &YearMetrics) -> Printed {
    let mut p = Printed(BTreeMap::new());
    let mut put = |name: Name, shown: Shown| {
        if !shown.is_empty() {
            p.0.insert(m.cite.key(name), shown);
        }
    };
    let money_unit = year.money_unit();
    let targets = year.plan.iter().flat_map(|pl| pl.targets.iter());
    for fig in year.figures().chain(targets) {
        figure_values(fig, money_unit, &mut put);
    }
    let b = Name::Builtin;
    if let Some(ps) = m.projects.as_ref().filter(|ps| ps.total > 0) {
        put(
            b(Builtin::CompletedProjects),
            vec![q(ps.completed.into(), "个")],
        );
        put(
            b(Builtin::StartedProjects),
            vec![q(ps.started.into(), "个")],
        );
        put(
            b(Builtin::PlannedProjects),
            vec![q(ps.planned.into(), "个")],
        );
    }
    let funds = year.funds.as_ref();
    let sp = funds.and_then(|f| f.special.as_ref());
    let prec = funds.map_or(2, |f| f.precision);
    if let Some(st) = &m.special {
        if let Some(n) = st.projects {
            put(b(Builtin::Projects), vec![q(n, "个")]);
        }
        let dp = |stated: Option<crate::model::raw::N>| stated.map_or(1, |n| num::scale(n.v));
        for (k, v, stated) in [
            (
                Builtin::StartRate,
                st.start_rate,
                sp.and_then(|x| x.stated_start_rate),
            ),
            (
                Builtin::CompletionRate,
                st.completion_rate,
                sp.and_then(|x| x.stated_completion_rate),
            ),
        ] {
            if let Some(v) = v {
                put(b(k), vec![q(num::round(v, dp(stated)), "%")]);
            }
        }
        if let Some(t) = sp.and_then(|sp| metrics::printed_special_total(sp, st, prec)) {
            put(b(Builtin::SpecialFunds), vec![q(t, money_unit)]);
        }
    }
    for sh in &m.shares {
        let amount = num::round(sh.amount, prec).normalize();
        put(Name::CategoryFunds(&sh.name), vec![q(amount, money_unit)]);
        put(
            Name::CategoryShare(&sh.name),
            vec![q(num::round(sh.share, 1), "%")],
        );
    }
    p
}

/// A figure's printed numbers, by name: the figure and each of its parts.
fn figure_values(fig: &Figure, money_unit: &str, put: &mut impl FnMut(Name, Shown)) {
    let label = fig.label.as_str();
    let unit = fig.unit.as_deref().unwrap_or("");
    let rate = || metrics::printed_rate(fig).map(|r| vec![q(r, "%")]);
    let part = |p: Part| Name::FigurePart(label, p);
    match &fig.kind {
        FigureKind::Total { total, breakdowns } => {
            let units = Units::of(fig.unit.as_deref(), money_unit);
            put(Name::Figure(label), tally(total, units));
            for p in breakdowns.iter().flat_map(|b| &b.parts) {
                put(
                    Name::FigureBreakdown(label, &p.name),
                    tally(&p.tally, p.units(units)),
                );
            }
        }
        FigureKind::Ratio {
            numerator,
            denominator,
            ..
        } => {
            put(Name::Figure(label), rate().unwrap_or_default());
            put(part(Part::Numerator), vec![q(numerator.v, unit)]);
            put(part(Part::Denominator), vec![q(denominator.v, unit)]);
        }
        FigureKind::Triple {
            should,
            done,
            undone,
        } => {
            put(Name::Figure(label), rate().unwrap_or_default());
            put(part(Part::Should), vec![q(should.v, unit)]);
            put(part(Part::Done), vec![q(done.v, unit)]);
            let u = metrics::printed_undone(*should, *done, *undone);
            put(part(Part::Undone), vec![q(u, unit)]);
        }
        FigureKind::Plan { value, plan } => {
            put(Name::Figure(label), vec![q(value.v, unit)]);
            put(part(Part::Plan), vec![q(plan.v, unit)]);
            put(part(Part::Rate), rate().unwrap_or_default());
        }
        _ => {}
    }
}

/// A tally's numbers in its units: `292人24.28万元`.
fn tally(t: &Tally, units: Units) -> Shown {
    [
        (t.households, "户"),
        (t.persons, "人"),
        (t.count, units.count),
        (t.value, units.value),
        (t.amount, units.amount),
    ]
    .into_iter()
    .filter_map(|(n, u)| n.map(|n| q(n.v, u)))
    .collect()
}

fn figures(year: &Year, m: &YearMetrics, p: &Printed, say: &mut impl FnMut(String)) {
    let targets = year.plan.iter().flat_map(|pl| pl.targets.iter());
    for fig in year.figures().chain(targets) {
        // Printed as published, known not to agree (原文如此).
        if fig.ack.is_some() {
            continue;
        }
        let label = fig.label.as_str();
        let get = |n: Name| p.get(m, n);
        let part = |x: Part| p.get(m, Name::FigurePart(label, x));
        let result = match &fig.kind {
            FigureKind::Total { breakdowns, .. } => {
                let Some(total) = get(Name::Figure(label)) else {
                    continue;
                };
                breakdowns.iter().filter(|b| !b.subset).try_for_each(|b| {
                    let parts: Option<Vec<&Shown>> = b
                        .parts
                        .iter()
                        .map(|x| get(Name::FigureBreakdown(label, &x.name)))
                        .collect();
                    parts.map_or(Ok(()), |parts| total_adds_up(total, &parts))
                })
            }
            FigureKind::Ratio { .. } => match (
                get(Name::Figure(label)),
                part(Part::Numerator),
                part(Part::Denominator),
            ) {
                (Some(r), Some(n), Some(d)) => rate_agrees(r, n, d),
                _ => Ok(()),
            },
            FigureKind::Triple { .. } => {
                match (part(Part::Should), part(Part::Done), part(Part::Undone)) {
                    (Some(s), Some(d), Some(u)) => triple_agrees(s, d, u).and_then(|()| {
                        get(Name::Figure(label)).map_or(Ok(()), |r| rate_agrees(r, d, s))
                    }),
                    _ => Ok(()),
                }
            }
            FigureKind::Plan { .. } => {
                match (get(Name::Figure(label)), part(Part::Plan), part(Part::Rate)) {
                    (Some(v), Some(pl), Some(r)) => rate_agrees(r, v, pl),
                    _ => Ok(()),
                }
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            say(format!("指标“{label}”{e}"));
        }
    }
}

/// 开工率, 竣工率 and the project count against the printed counts.
fn projects(m: &YearMetrics, p: &Printed, say: &mut impl FnMut(String)) {
    let b = |x: Builtin| p.get(m, Name::Builtin(x));
    let (Some(all), Some(done), Some(started), Some(planned)) = (
        b(Builtin::Projects),
        b(Builtin::CompletedProjects),
        b(Builtin::StartedProjects),
        b(Builtin::PlannedProjects),
    ) else {
        return;
    };
    let (Some(a), Some(d), Some(s), Some(pl)) =
        (single(all), single(done), single(started), single(planned))
    else {
        return;
    };
    if d.v + s.v + pl.v != a.v {
        say(format!(
            "项目个数 {a} 不等于已完工 {d}、在建 {s}、未开工 {pl} 之和"
        ));
    }
    let started_all = vec![q(d.v + s.v, "个")];
    let checks = [
        (Builtin::StartRate, &started_all, "开工率"),
        (Builtin::CompletionRate, done, "竣工率"),
    ];
    for (rate, numerator, what) in checks {
        if let Some(r) = b(rate)
            && let Err(e) = rate_agrees(r, numerator, all)
        {
            say(format!("{what}{e}"));
        }
    }
}

/// Each category's share against its printed amount and the printed total;
/// the industry share the office states against the one printed for its
/// category (the same share of the same base).
fn shares(year: &Year, m: &YearMetrics, p: &Printed, say: &mut impl FnMut(String)) {
    let Some(total) = p.get(m, Name::Builtin(Builtin::SpecialFunds)) else {
        return;
    };
    for sh in &m.shares {
        let (Some(amount), Some(share)) = (
            p.get(m, Name::CategoryFunds(&sh.name)),
            p.get(m, Name::CategoryShare(&sh.name)),
        ) else {
            continue;
        };
        if let Err(e) = rate_agrees(share, amount, total) {
            say(format!("“{}”的占比{e}", sh.name));
        }
    }
    let sp = year.funds.as_ref().and_then(|f| f.special.as_ref());
    if let Some((sp, stated)) = sp.and_then(|sp| sp.stated_industry_share.map(|s| (sp, s)))
        && let Some(sh) = m.shares.iter().find(|s| s.name == sp.industry_category)
        && !num::agrees(stated.v, sh.share)
    {
        say(format!(
            "“{}”的占比原文为 {}%，印出的是另一个基数上的 {}%",
            sh.name,
            stated.v,
            num::fixed(sh.share, num::scale(stated.v))
        ));
    }
}

/// A figure that is one number and its unit (`30人`, `85.2%`).
fn single(s: &Shown) -> Option<&Q> {
    match s.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// A money amount in 元, where the unit is a money unit nianbao converts.
fn in_yuan(x: &Q) -> Option<Decimal> {
    money_factor(&x.unit).map(|f| x.v * f)
}

/// The printed parts of a partition add up to the printed total, unit by
/// unit (money in any of 元, 万元, 亿元).
fn total_adds_up(total: &Shown, parts: &[&Shown]) -> Result<(), String> {
    for whole in total {
        let money = in_yuan(whole);
        let mut sum = Decimal::ZERO;
        for p in parts {
            let found = p.iter().find_map(|x| match money {
                Some(_) => in_yuan(x),
                None => (x.unit == whole.unit).then_some(x.v),
            });
            match found {
                Some(v) => sum += v,
                // A part without this unit: nothing to add up.
                None => return Ok(()),
            }
        }
        if sum != money.unwrap_or(whole.v) {
            let factor = money_factor(&whole.unit);
            return Err(format!(
                "印出的合计 {} 与印出的分项之和不符（{}：分项合计 {}）",
                show(total),
                whole.unit,
                factor.map_or(sum, |f| sum / f).normalize()
            ));
        }
    }
    Ok(())
}

/// A printed rate equals its printed numerator ÷ denominator, rounded half
/// up at the rate's printed precision.
fn rate_agrees(rate: &Shown, numerator: &Shown, denominator: &Shown) -> Result<(), String> {
    let (Some(r), Some(n), Some(d)) = (single(rate), single(numerator), single(denominator)) else {
        return Ok(());
    };
    if r.unit != "%" {
        return Ok(());
    }
    let (nv, dv) = match (in_yuan(n), in_yuan(d)) {
        (Some(a), Some(b)) => (a, b),
        _ => (n.v, d.v),
    };
    let Some(exact) = num::percent(nv, dv) else {
        return Ok(());
    };
    let dp = num::scale(r.v);
    if num::round(exact, dp) != r.v {
        return Err(format!(
            "印出的比率 {r} 不等于印出的 {n} ÷ {d}（{}%）",
            num::fixed(exact, dp)
        ));
    }
    Ok(())
}

/// 应 − 已 = 未, as printed.
fn triple_agrees(should: &Shown, done: &Shown, undone: &Shown) -> Result<(), String> {
    let (Some(s), Some(d), Some(u)) = (single(should), single(done), single(undone)) else {
        return Ok(());
    };
    if s.v - d.v != u.v {
        return Err(format!("印出的应 {s} − 已 {d} 不等于印出的未 {u}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Shown {
        quantities(s)
    }

    /// A total and its parts: the real document's "未达标46户，其中……10户，无房3户
    /// ……22户……12户" is caught; parts in another money unit add up exactly.
    #[test]
    fn totals_and_parts() {
        let ok = |t: &str, ps: &[&str]| {
            let parts: Vec<Shown> = ps.iter().map(|p| v(p)).collect();
            let refs: Vec<&Shown> = parts.iter().collect();
            total_adds_up(&v(t), &refs)
        };
        assert!(ok("47户", &["10户", "3户", "22户", "12户"]).is_ok());
        let e = ok("46户", &["10户", "3户", "22户", "12户"]).unwrap_err();
        assert!(e.contains("分项合计 47"), "{e}");
        assert!(ok("292人24.28万元", &["200人20万元", "92人4.28万元"]).is_ok());
        assert!(ok("292人24.28万元", &["200人20万元", "92人4.2万元"]).is_err());
        assert!(ok("1.5万元", &["5000元", "1万元"]).is_ok());
        assert!(ok("1662户7805人", &["1613户7693人"]).is_err());
        // A part without the unit: nothing to add up in that unit.
        assert!(ok("30人", &["20人", "3笔"]).is_ok());
    }

    /// A rate against its numerator and denominator at its own precision.
    #[test]
    fn rates() {
        let r = |a: &str, b: &str, c: &str| rate_agrees(&v(a), &v(b), &v(c));
        assert!(r("21%", "206户", "1000户").is_ok());
        assert!(r("20.6%", "206户", "1000户").is_ok());
        assert!(r("20.7%", "206户", "1000户").is_err());
        assert!(r("98.84%", "7091户", "7174户").is_ok());
        assert!(r("98.86%", "7091户", "7174户").is_err());
        assert!(r("52.2%", "1529万元", "2927万元").is_ok());
        assert!(r("75.8%", "1918.6万元", "0.253124亿元").is_ok());
    }

    /// 应 − 已 = 未.
    #[test]
    fn triples() {
        assert!(triple_agrees(&v("6419户"), &v("6373户"), &v("46户")).is_ok());
        let e = triple_agrees(&v("6419户"), &v("6373户"), &v("47户")).unwrap_err();
        assert!(e.contains("不等于印出的未 47户"), "{e}");
    }

    /// A unit is the office's text, whatever it holds: the check reads the
    /// values, never digits out of a unit (issue 28: a unit of
    /// `<script>alert(1)</script>` and digits made it exit 4).
    #[test]
    fn units_are_never_read_for_numbers() {
        let unit = "<script>alert(1)</script>12";
        let total = vec![q(Decimal::new(2428, 2), unit)];
        let parts = [
            vec![q(Decimal::new(2000, 2), unit)],
            vec![q(Decimal::new(428, 2), unit)],
        ];
        let refs: Vec<&Shown> = parts.iter().collect();
        assert!(total_adds_up(&total, &refs).is_ok());
        let r = vec![q(Decimal::new(50, 0), "%")];
        assert!(rate_agrees(&r, &parts[0], &vec![q(Decimal::new(40, 0), unit)]).is_ok());
    }

    #[test]
    fn planted_quantities() {
        assert_eq!(
            quantities("3171户1.33亿元"),
            vec![
                q(Decimal::from(3171), "户"),
                q("1.33".parse().unwrap(), "亿元")
            ]
        );
        assert_eq!(quantities("85.2%"), vec![q("85.2".parse().unwrap(), "%")]);
    }
}
