//! Decimal arithmetic for figures: parsing as typed by office staff, half-up
//! rounding at a stated precision, and Chinese-report formatting.
//!
//! Every figure is a [`Decimal`] parsed from the YAML scalar's text, so
//! `440.039` is exactly 440.039 and sums never drift.

use rust_decimal::{Decimal, RoundingStrategy};

/// Largest magnitude accepted for any figure: a trillion 万元 is already absurd,
/// and the bound keeps every later multiplication far from overflow.
const MAX_ABS: i64 = 1_000_000_000_000_000;
/// Most decimal places accepted in input.
const MAX_SCALE: u32 = 8;

/// Parse a number as written in a data file. Errors are Chinese sentences
/// that say what is wrong and what to write instead.
pub(crate) fn parse(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("数值为空，请填写阿拉伯数字".into());
    }
    let lower = t.to_ascii_lowercase();
    if matches!(
        lower.trim_start_matches(['+', '-']),
        ".nan" | "nan" | ".inf" | "inf" | "infinity"
    ) {
        return Err(format!("“{t}”不是有效数值，请填写阿拉伯数字"));
    }
    if t.chars().any(|c| ('０'..='９').contains(&c) || c == '．') {
        return Err(format!(
            "“{t}”含全角数字或小数点，请改用半角数字，如 1234.5"
        ));
    }
    if t.contains(',') || t.contains(',') {
        return Err(format!("“{t}”含千位分隔符，请去掉逗号，如 1234.5"));
    }
    if t.ends_with('%') || t.ends_with('%') {
        return Err(format!("“{t}”带有百分号，请只写数字（单位由字段决定）"));
    }
    let bytes = t.as_bytes();
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let well_formed = !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && body.bytes().filter(|&b| b == b'.').count() <= 1
        && body.bytes().any(|b| b.is_ascii_digit());
    if !well_formed {
        return Err(if bytes.iter().any(|b| !b.is_ascii()) {
            format!("“{t}”不是阿拉伯数字，请写成如 830 或 2531.2 的数字")
        } else if lower.contains('e') && body.bytes().any(|b| b.is_ascii_digit()) {
            format!("“{t}”是科学计数法，请写成普通数字")
        } else {
            format!("“{t}”不是数字，请写成如 830 或 2531.2 的数字")
        });
    }
    let scale = body.split_once('.').map_or(0, |(_, f)| f.len());
    if scale as u32 > MAX_SCALE {
        return Err(format!("“{t}”小数位过多（最多 {MAX_SCALE} 位）"));
    }
    let int_digits = body
        .split('.')
        .next()
        .unwrap_or("")
        .trim_start_matches('0')
        .len();
    if int_digits > 16 {
        return Err(format!("“{t}”数值过大，请检查是否多打了位数"));
    }
    let d: Decimal = t
        .parse()
        .map_err(|_| format!("“{t}”不是数字，请写成如 830 或 2531.2 的数字"))?;
    if d.abs() > Decimal::from(MAX_ABS) {
        return Err(format!("“{t}”数值过大，请检查是否多打了位数"));
    }
    Ok(d)
}

/// Round half up (四舍五入) at `dp` decimal places; for negative values the
/// half goes away from zero, as in Chinese official practice.
pub(crate) fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Number of decimal places as written (`162.8` → 1, `20` → 0).
pub(crate) fn scale(d: Decimal) -> u32 {
    d.scale()
}

/// `num / den × 100`, or `None` when the denominator is zero.
pub(crate) fn percent(num: Decimal, den: Decimal) -> Option<Decimal> {
    if den.is_zero() {
        return None;
    }
    num.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(den)
}

/// A value as written in the data (keeps its own decimals: `5.235` stays `5.235`).
pub(crate) fn written(d: Decimal) -> String {
    d.to_string()
}

/// Fixed decimals after half-up rounding: `fixed(162.87, 1)` → `162.9`.
pub(crate) fn fixed(d: Decimal, dp: u32) -> String {
    let mut r = round(d, dp);
    r.rescale(dp);
    r.to_string()
}

/// A computed amount: half-up at `dp` places, trailing zeros dropped, so it
/// reads like a figure an office would write (`2531.239` → `2531.24`,
/// `24.280` → `24.28`, `100.50` → `100.5`).
pub(crate) fn amount(d: Decimal, dp: u32) -> String {
    round(d, dp).normalize().to_string()
}

/// Whether a stated figure agrees with a computed one at the stated precision.
pub(crate) fn agrees(stated: Decimal, computed: Decimal) -> bool {
    round(computed, scale(stated)) == stated
}

/// A number for a message, with its unit after a space: `293 人`, `0.01 万元`.
pub(crate) fn with_unit(d: Decimal, unit: &str) -> String {
    if unit.is_empty() {
        d.normalize().to_string()
    } else {
        format!("{} {unit}", d.normalize())
    }
}

/// Whether a decimal is a whole number.
pub(crate) fn is_whole(d: Decimal) -> bool {
    d.fract().is_zero()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn parses_what_staff_type() {
        assert_eq!(parse("440.039").unwrap(), d("440.039"));
        assert_eq!(parse(" 12 ").unwrap(), d("12"));
        assert_eq!(parse("-3.5").unwrap(), d("-3.5"));
        assert_eq!(scale(parse("1013.70").unwrap()), 2);
    }

    #[test]
    fn rejects_with_a_reason() {
        for (input, needle) in [
            ("八百三十万", "不是阿拉伯数字"),
            ("1,234", "千位分隔符"),
            ("１２３", "全角"),
            (".nan", "不是有效数值"),
            ("-.inf", "不是有效数值"),
            ("1e400", "科学计数法"),
            ("52.2%", "百分号"),
            ("99999999999999999999", "过大"),
            ("1.123456789", "小数位过多"),
            ("1.2.3", "不是数字"),
            ("", "为空"),
        ] {
            let err = parse(input).unwrap_err();
            assert!(err.contains(needle), "{input}: {err}");
        }
    }

    #[test]
    fn rounds_half_up() {
        assert_eq!(fixed(d("162.8712"), 1), "162.9");
        assert_eq!(fixed(d("0.125"), 2), "0.13");
        assert_eq!(fixed(d("0.135"), 2), "0.14");
        assert_eq!(fixed(d("20"), 1), "20.0");
        assert_eq!(fixed(d("-0.125"), 2), "-0.13");
    }

    #[test]
    fn sums_do_not_drift() {
        let total = d("1013.7") + d("440.039") + d("896.4") + d("181.1");
        assert_eq!(total.to_string(), "2531.239");
        assert_eq!(amount(total, 2), "2531.24");
        assert_eq!(amount(d("5.235") + d("19.045"), 2), "24.28");
    }

    #[test]
    fn compares_at_stated_precision() {
        let computed = percent(d("1645"), d("1010")).unwrap();
        assert!(!agrees(d("162.8"), computed));
        assert!(agrees(d("162.9"), computed));
        assert!(agrees(d("20"), percent(d("447"), d("2235")).unwrap()));
        assert!(agrees(
            d("85.77"),
            percent(d("404.95"), d("472.11")).unwrap()
        ));
        assert_eq!(percent(d("1"), Decimal::ZERO), None);
    }
}
