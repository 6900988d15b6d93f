//! Counts, amounts, dates and the 户/人 pairs every file has: each checked
//! where it stands (not negative, whole, a real date).

use chrono::NaiveDate;

use crate::diag::Rule;
use crate::model::num;
use crate::model::raw::{self, N, Text};
use crate::model::*;
use crate::validate::Checker;
use crate::validate::findings::At;

impl Checker<'_> {
    pub(crate) fn nonblank(&mut self, at: At, t: &Text) -> Option<String> {
        let s = t.s.trim();
        if s.is_empty() {
            self.error(
                Rule::Blank,
                at,
                t.at,
                format!("“{}”不能为空", at.field),
                None,
            );
            return None;
        }
        Some(s.to_string())
    }

    /// A date, or a month alone (`2023-05`, `2023年5月`: the first of the
    /// month, and `true`), as project lists often have it.
    pub(crate) fn day_or_month(&mut self, at: At, t: &Text) -> Option<(NaiveDate, bool)> {
        let s = t.s.trim();
        // Only a text with one separator and no 日 can be a month (a full
        // date is not tried as one: four failed parses per date).
        let may_be_month = !s.ends_with('日') && s.matches(['-', '/', '.', '月']).count() == 1;
        let one = |f: &str, day: &str| NaiveDate::parse_from_str(&format!("{s}{day}"), f).ok();
        let month = may_be_month.then(|| {
            one("%Y-%m-%d", "-1")
                .or_else(|| one("%Y/%m/%d", "/1"))
                .or_else(|| one("%Y.%m.%d", ".1"))
                .or_else(|| one("%Y年%m月%d日", "1日"))
        });
        match month.flatten() {
            Some(d) => Some((d, true)),
            None => self.date(at, t).map(|d| (d, false)),
        }
    }

    pub(crate) fn date(&mut self, at: At, t: &Text) -> Option<NaiveDate> {
        let s = t.s.trim();
        let parsed = NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y年%m月%d日"))
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y.%m.%d"));
        match parsed {
            Ok(d) => Some(d),
            Err(_) => {
                self.error(
                    Rule::Date,
                    at,
                    t.at,
                    format!("“{s}”不是有效日期"),
                    Some("日期写成 2017-12-20 的形式"),
                );
                None
            }
        }
    }

    /// A count of 户/人/村/个: a whole number, not negative.
    pub(crate) fn count(&mut self, at: At, n: Option<N>, what: &str) -> Option<N> {
        let n = n?;
        if n.v.is_sign_negative() && !n.v.is_zero() {
            self.error(
                Rule::Negative,
                at,
                n.at,
                format!("{what}不能为负数（写的是 {}）", n.v),
                None,
            );
            return None;
        }
        if !num::is_whole(n.v) {
            self.error(
                Rule::Whole,
                at,
                n.at,
                format!("{what}应为整数（写的是 {}）", n.v),
                None,
            );
            return None;
        }
        Some(n)
    }

    /// Money or another measured quantity: not negative.
    pub(crate) fn amount(&mut self, at: At, n: Option<N>, what: &str) -> Option<N> {
        let n = n?;
        if n.v.is_sign_negative() && !n.v.is_zero() {
            self.error(
                Rule::Negative,
                at,
                n.at,
                format!("{what}不能为负数（写的是 {}）", n.v),
                None,
            );
            return None;
        }
        Some(n)
    }

    pub(crate) fn pair(&mut self, at: At, households: Option<N>, persons: Option<N>) -> Pair {
        let households = self.count(at, households, "户数");
        let persons = self.count(at, persons, "人数");
        if let (Some(h), Some(p)) = (households, persons)
            && h.v > p.v
        {
            let msg = format!("户数 {} 大于人数 {}", h.v, p.v);
            match self.ack.clone() {
                Some(why) => {
                    self.f.mismatch(Rule::HouseholdsOverPersons, at, h.at, msg, Some(&why))
                }
                None => self.error(
                    Rule::HouseholdsOverPersons,
                    at,
                    h.at,
                    msg,
                    Some("每户至少一人：检查户数和人数是否填反；原文确实如此发表时在 register.yaml 写 ack: 原因"),
                ),
            }
        }
        Pair {
            households,
            persons,
        }
    }

    pub(crate) fn tally(&mut self, at: At, t: &raw::Tally) -> Tally {
        let pair = self.pair(at, t.households, t.persons);
        Tally {
            households: pair.households,
            persons: pair.persons,
            amount: self.amount(at, t.amount, "金额"),
            count: self.count(at, t.count, "个数"),
            value: t.value,
        }
    }
}
