//! Every derivation agrees with itself and with what prints: its operands
//! give its result, and the name's printed text shows the result at its
//! precision (or, for an acknowledged figure, what the office published).
//! Part of the contradiction check: a build whose panels would explain a
//! figure other than the one printed stops.

use rust_decimal::Decimal;

use crate::analysis::metrics::YearMetrics;
use crate::model::provenance::{Derivation, Op, Role};
use crate::model::{Office, num};

/// Every name whose derivation disagrees with itself or with its text.
pub(crate) fn contradictions(office: &Office, metrics: &[YearMetrics]) -> Vec<String> {
    let mut out = Vec::new();
    for (year, m) in office.years.iter().zip(metrics) {
        for (key, found) in m.cite.derived() {
            let Some(how) = found.how else { continue };
            if let Some(why) = arithmetic(how).or_else(|| printed(found.text, how)) {
                out.push(format!(
                    "{} {} 年：“{key}”印为“{}”，其出处{why}",
                    office.slug, year.year, found.text
                ));
            }
        }
    }
    out
}

/// Whether the operands give the result.
fn arithmetic(d: &Derivation) -> Option<String> {
    let signed = |i: usize, pick: &dyn Fn(Role) -> bool| -> Decimal {
        d.operands
            .iter()
            .filter(|o| pick(o.role))
            .map(|o| {
                let v = o.values.get(i).copied().unwrap_or_default();
                if o.role == Role::Minus { -v } else { v }
            })
            .sum()
    };
    let first = d.result.first().copied()?;
    let expected = match d.op {
        Op::Sum => {
            let aligned = d.operands.iter().all(|o| o.values.len() == d.result.len());
            if !aligned || d.operands.is_empty() {
                return None;
            }
            for (i, r) in d.result.iter().enumerate() {
                let s = signed(i, &|role| role != Role::Over);
                if s != *r {
                    return Some(format!("各项之和为 {s}，结果却为 {r}"));
                }
            }
            return None;
        }
        Op::Ratio => num::percent(
            signed(0, &|r| r != Role::Over),
            signed(0, &|r| r == Role::Over),
        ),
        Op::Average { scale } => {
            let over = signed(0, &|r| r == Role::Over);
            (!over.is_zero()).then(|| signed(0, &|r| r != Role::Over) * scale / over)
        }
        Op::Change { points } => {
            let (a, b) = (d.operands.first()?.values[0], d.operands.get(1)?.values[0]);
            if points {
                Some(b - a)
            } else {
                num::percent(b - a, a)
            }
        }
        Op::Datum | Op::Count | Op::Stated => return None,
    };
    (expected != Some(first)).then(|| format!("算得 {first}，按其各项应为 {expected:?}"))
}

/// Whether the printed text shows the result.
fn printed(text: &str, d: &Derivation) -> Option<String> {
    let shown = numbers(text);
    let has = |v: Decimal| shown.iter().any(|p| *p == v || num::agrees(*p, v));
    let agrees = |r: Decimal| {
        let r = d.precision.map_or(r, |dp| num::round(r, dp));
        shown.iter().any(|p| *p == r || num::agrees(*p, r))
    };
    let published = || {
        d.ack
            .as_ref()
            .is_some_and(|a| numbers(&a.published).iter().all(|v| has(*v)))
    };
    let ok = match d.op {
        Op::Datum | Op::Stated => d.operands.iter().flat_map(|o| &o.values).all(|v| has(*v)),
        Op::Count => d.result.iter().all(|v| has(*v)),
        Op::Sum | Op::Ratio | Op::Average { .. } => {
            d.result.iter().all(|r| agrees(*r)) || published()
        }
        Op::Change { .. } => {
            let r = num::round(d.result[0], 1).abs();
            shown.iter().any(|p| p.abs() == r) || r.is_zero() && text.contains("持平")
        }
    };
    (!ok).then(|| format!("给出 {}", result_text(d)))
}

fn result_text(d: &Derivation) -> String {
    d.result
        .iter()
        .map(|r| match d.precision {
            Some(dp) => num::fixed(*r, dp),
            None => r.normalize().to_string(),
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// The numbers a text shows, in order (`724户1595人` → 724, 1595).
pub(crate) fn numbers(text: &str) -> Vec<Decimal> {
    let mut out = Vec::new();
    let mut run = String::new();
    let mut prev: Option<char> = None;
    for ch in text.chars().chain(std::iter::once(' ')) {
        let starts_negative =
            ch == '-' && run.is_empty() && !prev.is_some_and(|p| p.is_ascii_digit());
        if ch.is_ascii_digit() || ch == '.' && !run.is_empty() || starts_negative {
            run.push(ch);
        } else if !run.is_empty() {
            let t = run.trim_end_matches('.');
            if let Ok(v) = t.parse::<Decimal>() {
                out.push(v);
            }
            run.clear();
        }
        prev = Some(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_printed_texts() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(numbers("724户1595人"), vec![d("724"), d("1595")]);
        assert_eq!(numbers("由3.45%降低到1.15%"), vec![d("3.45"), d("1.15")]);
        assert_eq!(numbers("-5户-20人"), vec![d("-5"), d("-20")]);
        assert_eq!(numbers("3～5个。"), vec![d("3"), d("5")]);
        assert!(numbers("持平").is_empty());
    }
}
