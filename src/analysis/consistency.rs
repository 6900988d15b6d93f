//! No contradiction between two printed figures: run on every office-year
//! of every build, between metrics and render, over the texts that print
//! (the citation table, which the narrative, the tables and the charts all
//! print from). Each printed total equals the sum of its printed parts,
//! each printed rate equals its printed numerator ÷ denominator at the
//! printed precision, 应 − 已 = 未, and the project rates and category
//! shares follow from the printed counts and amounts. The data's own
//! mismatches are findings of `check` long before this; what fails here is
//! nianbao's own arithmetic or formatting, so it is an internal error.

use rust_decimal::Decimal;

use crate::analysis::metrics::{RegisterMetrics, YearMetrics};
use crate::model::cite::{Builtin, CiteTable, Name, Part};
use crate::model::num;
use crate::model::{FigureKind, Office, Register, Year, money_factor};

/// Every contradiction among the printed figures of an office's years.
pub(crate) fn contradictions(office: &Office, metrics: &[YearMetrics]) -> Vec<String> {
    let mut out = Vec::new();
    for (year, m) in office.years.iter().zip(metrics) {
        let mut say = |what: String| out.push(format!("{} {} 年：{what}", office.slug, year.year));
        let planted = planted().map(|(k, v)| m.cite.with_text(k, v));
        let cite = planted.as_ref().unwrap_or(&m.cite);
        figures(year, cite, &mut say);
        projects(cite, &mut say);
        shares(m, cite, &mut say);
    }
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

/// `NIANBAO_TEST_PLANT=<名称>=<文本>` (tests/shape.rs): the check sees that
/// name print as that text, so a test can plant a contradiction into a real
/// build and see it stopped.
fn planted() -> Option<(&'static str, &'static str)> {
    static PLANT: std::sync::OnceLock<Option<(String, String)>> = std::sync::OnceLock::new();
    PLANT
        .get_or_init(|| {
            let v = std::env::var("NIANBAO_TEST_PLANT").ok()?;
            let (k, t) = v.split_once('=')?;
            Some((k.to_string(), t.to_string()))
        })
        .as_ref()
        .map(|(k, t)| (k.as_str(), t.as_str()))
}

fn figures(year: &Year, cite: &CiteTable, say: &mut impl FnMut(String)) {
    let targets = year.plan.iter().flat_map(|p| p.targets.iter());
    for fig in year.figures().chain(targets) {
        let label = fig.label.as_str();
        let get = |n: Name| cite.get(n);
        let part = |p: Part| cite.get(Name::FigurePart(label, p));
        let result = match &fig.kind {
            FigureKind::Total { breakdowns, .. } => {
                let Some(total) = get(Name::Figure(label)) else {
                    continue;
                };
                breakdowns.iter().filter(|b| !b.subset).try_for_each(|b| {
                    let parts: Option<Vec<&str>> = b
                        .parts
                        .iter()
                        .map(|p| get(Name::FigureBreakdown(label, &p.name)))
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
                    (Some(v), Some(p), Some(r)) => rate_agrees(r, v, p),
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
fn projects(cite: &CiteTable, say: &mut impl FnMut(String)) {
    let b = |x: Builtin| cite.get(Name::Builtin(x));
    let (Some(all), Some(done), Some(started), Some(planned)) = (
        b(Builtin::Projects),
        b(Builtin::CompletedProjects),
        b(Builtin::StartedProjects),
        b(Builtin::PlannedProjects),
    ) else {
        return;
    };
    let n = |t: &str| single(t).map(|(v, _)| v);
    let (Some(a), Some(d), Some(s), Some(p)) = (n(all), n(done), n(started), n(planned)) else {
        return;
    };
    if d + s + p != a {
        say(format!(
            "项目个数 {all} 不等于已完工 {done}、在建 {started}、未开工 {planned} 之和"
        ));
    }
    let started_all = format!("{}个", (d + s).normalize());
    let checks = [
        (Builtin::StartRate, started_all.as_str(), "开工率"),
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

/// Each category's share against its printed amount and the printed total.
fn shares(m: &YearMetrics, cite: &CiteTable, say: &mut impl FnMut(String)) {
    let Some(total) = cite.get(Name::Builtin(Builtin::SpecialFunds)) else {
        return;
    };
    for sh in &m.shares {
        let (Some(amount), Some(share)) = (
            cite.get(Name::CategoryFunds(&sh.name)),
            cite.get(Name::CategoryShare(&sh.name)),
        ) else {
            continue;
        };
        if let Err(e) = rate_agrees(share, amount, total) {
            say(format!("“{}”的占比{e}", sh.name));
        }
    }
}

/// The numbers of a printed figure with the unit after each:
/// `292人24.28万元` → 292 人, 24.28 万元. A worded value (70多万元, 1～2个,
/// 由……提高到……) gives what it gives; callers use only plain ones.
fn quantities(text: &str) -> Vec<(Decimal, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if !c.is_ascii_digit() {
            chars.next();
            continue;
        }
        let mut number = String::new();
        while let Some(&c) = chars.peek().filter(|c| c.is_ascii_digit() || **c == '.') {
            number.push(c);
            chars.next();
        }
        let mut unit = String::new();
        while let Some(&c) = chars.peek().filter(|c| !c.is_ascii_digit()) {
            unit.push(c);
            chars.next();
        }
        if let Ok(v) = number.parse::<Decimal>() {
            out.push((v, unit));
        }
    }
    out
}

/// A figure that is one number and its unit (`30人`, `85.2%`).
fn single(text: &str) -> Option<(Decimal, String)> {
    let q = quantities(text);
    (q.len() == 1).then(|| q.into_iter().next()).flatten()
}

/// A money amount in 元, where the unit is a money unit nianbao converts.
fn in_yuan(v: Decimal, unit: &str) -> Option<Decimal> {
    money_factor(unit).map(|f| v * f)
}

/// The printed parts of a partition add up to the printed total, unit by
/// unit (money in any of 元, 万元, 亿元).
fn total_adds_up(total: &str, parts: &[&str]) -> Result<(), String> {
    let parts: Vec<Vec<(Decimal, String)>> = parts.iter().map(|p| quantities(p)).collect();
    for (whole, unit) in quantities(total) {
        let money = in_yuan(whole, &unit);
        let mut sum = Decimal::ZERO;
        for p in &parts {
            let found = p.iter().find_map(|(v, u)| match money {
                Some(_) => in_yuan(*v, u),
                None => (u == &unit).then_some(*v),
            });
            match found {
                Some(v) => sum += v,
                // A part without this unit: nothing to add up.
                None => return Ok(()),
            }
        }
        let expected = money.unwrap_or(whole);
        if sum != expected {
            return Err(format!(
                "印出的合计 {total} 与印出的分项之和不符（{unit}：分项合计 {}）",
                money
                    .map_or(sum, |_| sum / money_factor(&unit).unwrap_or(Decimal::ONE))
                    .normalize()
            ));
        }
    }
    Ok(())
}

/// A printed rate equals its printed numerator ÷ denominator, rounded half
/// up at the rate's printed precision.
fn rate_agrees(rate: &str, numerator: &str, denominator: &str) -> Result<(), String> {
    let (Some((r, pct)), Some((n, nu)), Some((d, du))) =
        (single(rate), single(numerator), single(denominator))
    else {
        return Ok(());
    };
    if pct != "%" {
        return Ok(());
    }
    let (n, d) = match (in_yuan(n, &nu), in_yuan(d, &du)) {
        (Some(a), Some(b)) => (a, b),
        _ => (n, d),
    };
    let Some(exact) = num::percent(n, d) else {
        return Ok(());
    };
    let dp = num::scale(r);
    if num::round(exact, dp) != r {
        return Err(format!(
            "印出的比率 {rate} 不等于印出的 {numerator} ÷ {denominator}（{}%）",
            num::fixed(exact, dp)
        ));
    }
    Ok(())
}

/// 应 − 已 = 未, as printed.
fn triple_agrees(should: &str, done: &str, undone: &str) -> Result<(), String> {
    let (Some((s, _)), Some((d, _)), Some((u, _))) = (single(should), single(done), single(undone))
    else {
        return Ok(());
    };
    if s - d != u {
        return Err(format!(
            "印出的应 {should} − 已 {done} 不等于印出的未 {undone}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A total and its parts: the real document's "未达标46户，其中……10户……3户
    /// ……22户……12户" is caught; parts in another money unit add up exactly.
    #[test]
    fn totals_and_parts() {
        assert!(total_adds_up("47户", &["10户", "3户", "22户", "12户"]).is_ok());
        let e = total_adds_up("46户", &["10户", "3户", "22户", "12户"]).unwrap_err();
        assert!(e.contains("分项合计 47"), "{e}");
        assert!(total_adds_up("292人24.28万元", &["200人20万元", "92人4.28万元"]).is_ok());
        assert!(total_adds_up("292人24.28万元", &["200人20万元", "92人4.2万元"]).is_err());
        assert!(total_adds_up("1.5万元", &["5000元", "1万元"]).is_ok());
        assert!(total_adds_up("1662户7805人", &["1613户7693人"]).is_err());
        // A part without the unit: nothing to add up in that unit.
        assert!(total_adds_up("30人", &["20人", "3笔"]).is_ok());
    }

    /// A rate against its numerator and denominator at its own precision.
    #[test]
    fn rates() {
        assert!(rate_agrees("21%", "206户", "1000户").is_ok());
        assert!(rate_agrees("20.6%", "206户", "1000户").is_ok());
        assert!(rate_agrees("20.7%", "206户", "1000户").is_err());
        assert!(rate_agrees("98.84%", "7091户", "7174户").is_ok());
        assert!(rate_agrees("98.86%", "7091户", "7174户").is_err());
        assert!(rate_agrees("52.2%", "1529万元", "2927万元").is_ok());
        assert!(rate_agrees("75.8%", "1918.6万元", "0.253124亿元").is_ok());
    }

    /// 应 − 已 = 未.
    #[test]
    fn triples() {
        assert!(triple_agrees("6419户", "6373户", "46户").is_ok());
        let e = triple_agrees("6419户", "6373户", "47户").unwrap_err();
        assert!(e.contains("不等于印出的未 47户"), "{e}");
    }

    #[test]
    fn quantities_of_printed_figures() {
        assert_eq!(
            quantities("3171户1.33亿元"),
            vec![
                (Decimal::from(3171), "户".to_string()),
                ("1.33".parse().unwrap(), "亿元".to_string())
            ]
        );
        assert_eq!(single("85.2%"), Some(("85.2".parse().unwrap(), "%".into())));
        assert_eq!(single("1～2个"), None);
    }
}
