//! Breakdowns of a total (the register's remaining, a figure's total):
//! each part validated, each partition against the whole, and what prints.

use std::path::Path;

use rust_decimal::Decimal;

use crate::diag::Rule;
use crate::model::num;
use crate::model::raw::{self, N};
use crate::model::*;
use crate::validate::Checker;
use crate::validate::findings::At;

impl Checker<'_> {
    /// Parts of a partition must add up, so each is in the whole's units:
    /// a money unit converts (元, 万元, 亿元), another unit does not
    /// (93笔 cannot be added to 户).
    fn unaddable_units(&mut self, at: At, parts: &[Part], raw: &[raw::Part], units: Units) {
        for (p, r) in parts.iter().zip(raw) {
            let pos = r.unit.as_ref().map_or(r.name.at, |u| u.at);
            let bad_money = p
                .amount_unit
                .as_deref()
                .filter(|u| money_factor(u).is_none() || money_factor(units.amount).is_none());
            let bad_count = p
                .count_unit
                .as_deref()
                .filter(|_| p.tally.count.is_some() || p.tally.value.is_some());
            for own in [bad_money, bad_count].into_iter().flatten() {
                self.error(
                    Rule::BreakdownUnit,
                    at,
                    pos,
                    format!("分项“{}”的单位“{own}”不是总数的单位，不能相加", p.name),
                    Some("单位不同的分项不是总数的一部分：改用与总数相同的单位，或写 subset: true 表示“其中”"),
                );
            }
        }
    }

    /// Validate breakdowns of a total and check each against it.
    pub(crate) fn breakdowns(
        &mut self,
        whole: Whole,
        raw: &[raw::Breakdown],
        total: &Tally,
        ack: Option<&str>,
    ) -> Vec<Breakdown> {
        raw.iter()
            .enumerate()
            .map(|(i, b)| {
                let f = format!("{}.breakdowns[{i}]", whole.field);
                let at = At {
                    file: whole.file,
                    field: &f,
                };
                self.breakdown(at, whole, b, total, ack)
            })
            .collect()
    }

    /// One breakdown: its parts, and in each dimension the total gives, a
    /// partition's sum against it or a subset's (其中) parts under it.
    fn breakdown(
        &mut self,
        at: At,
        whole: Whole,
        b: &raw::Breakdown,
        total: &Tally,
        ack: Option<&str>,
    ) -> Breakdown {
        let units = whole.units;
        let parts: Vec<Part> = b
            .parts
            .iter()
            .map(|p| {
                let (amount_unit, count_unit) = part_units(p, units);
                Part {
                    name: p.name.s.trim().to_string(),
                    tally: self.tally(at, &raw_tally(p)),
                    amount_unit,
                    count_unit,
                }
            })
            .collect();
        let subset = b.subset.unwrap_or(false);
        let own = b.ack.as_ref().map(|t| t.s.trim()).filter(|s| !s.is_empty());
        let ack = own.or(ack);
        if !subset {
            self.unaddable_units(at, &parts, &b.parts, units);
        }
        let split = Split {
            at,
            name: whole.name,
            raw: b,
            by: b.by.s.trim().to_string(),
            // Amounts in the whole's unit, exactly (327.6万元 = 0.03276亿元).
            in_whole: parts.iter().map(|p| p.in_units_of(units)).collect(),
            parts: &parts,
        };
        for dim in Dim::all(units) {
            let Some(tot) = (dim.get)(total) else {
                continue;
            };
            if subset {
                self.subset_parts(&split, dim, tot);
            } else {
                self.partition_sum(&split, dim, tot, ack);
            }
        }
        Breakdown {
            by: split.by,
            subset,
            parts,
        }
    }

    /// 其中: each part at most the whole; no sum.
    fn subset_parts(&mut self, split: &Split, dim: Dim, tot: N) {
        let Dim { unit, what, get } = dim;
        let parts = split
            .parts
            .iter()
            .zip(&split.in_whole)
            .zip(&split.raw.parts);
        for ((p, t), raw) in parts {
            if let Some(v) = get(t).filter(|v| v.v > tot.v) {
                self.error(
                    Rule::BreakdownSubset,
                    split.at,
                    raw.name.at,
                    format!(
                        "{}其中“{}”的{what} {}，超过总数 {}",
                        split.name,
                        p.name,
                        num::with_unit(v.v, unit),
                        num::with_unit(tot.v, unit),
                    ),
                    None,
                );
            }
        }
    }

    /// A partition: every part gives the dimension, and they add up to the
    /// whole.
    fn partition_sum(&mut self, split: &Split, dim: Dim, tot: N, ack: Option<&str>) {
        let Dim { unit, what, get } = dim;
        let Split { at, name, by, .. } = split;
        let given: Vec<Decimal> = split
            .in_whole
            .iter()
            .filter_map(|t| get(t).map(|n| n.v))
            .collect();
        // Written at all (a value that was written but rejected,
        // e.g. negative, is reported where it stands).
        let written = split
            .raw
            .parts
            .iter()
            .filter(|p| get(&unchecked(p)).is_some())
            .count();
        if written == 0 {
            return;
        }
        if written < split.parts.len() {
            self.error(
                Rule::BreakdownMissing,
                *at,
                split.raw.by.at,
                format!("按{by}的分项中有的缺少{what}"),
                Some("每个分项都要填写与总数相同的各项"),
            );
            return;
        }
        if given.len() < split.parts.len() {
            return;
        }
        let sum: Decimal = given.iter().sum();
        if sum != tot.v {
            self.f.mismatch(
                Rule::BreakdownSum,
                *at,
                split.raw.by.at,
                format!(
                    "{name}按{by}的分项{what}合计 {}，与总数 {}不符（差 {}）",
                    num::with_unit(sum, unit),
                    num::with_unit(tot.v, unit),
                    num::with_unit((sum - tot.v).abs(), unit),
                ),
                ack,
            );
        }
    }
}

/// A breakdown being checked: where, of what, and its parts (as written,
/// validated, and in the whole's units).
struct Split<'a> {
    at: At<'a>,
    name: &'a str,
    raw: &'a raw::Breakdown,
    by: String,
    in_whole: Vec<Tally>,
    parts: &'a [Part],
}

/// One dimension of a tally a breakdown is checked in: its unit, what a
/// message calls it, and how to read it.
#[derive(Clone, Copy)]
struct Dim<'u> {
    unit: &'u str,
    what: &'static str,
    get: fn(&Tally) -> Option<N>,
}

impl<'u> Dim<'u> {
    fn all(units: Units<'u>) -> [Dim<'u>; 5] {
        let dim = |unit, what, get| Dim { unit, what, get };
        [
            dim("户", "户数", |t: &Tally| t.households),
            dim("人", "人数", |t| t.persons),
            dim(units.amount, "金额", |t| t.amount),
            dim(units.count, "个数", |t| t.count),
            dim(units.value, "数值", |t| t.value),
        ]
    }
}

/// A total that breakdowns are checked against: where it is, what to call
/// it in a message, and the unit of its money or value.
#[derive(Clone, Copy)]
pub(crate) struct Whole<'p> {
    pub(crate) file: &'p Path,
    pub(crate) field: &'p str,
    pub(crate) name: &'p str,
    pub(crate) units: Units<'p>,
}

/// A breakdown part's figures as a [`raw::Tally`], not yet validated.
fn raw_tally(p: &raw::Part) -> raw::Tally {
    raw::Tally {
        households: p.households,
        persons: p.persons,
        amount: p.amount,
        count: p.count,
        value: p.value,
    }
}

/// A part's own units (`unit: 笔、万元`): its money unit, when it is not the
/// whole's, and its unit of count or value, when it is not the whole's.
fn part_units(p: &raw::Part, whole: Units) -> (Option<String>, Option<String>) {
    let mut amount = None;
    let mut count = None;
    for u in p.unit.iter().flat_map(|t| t.s.split(['、', ','])) {
        let u = u.trim();
        if u.is_empty() {
            continue;
        }
        if is_money(u) {
            amount = (u != whole.amount).then(|| u.to_string());
        } else {
            count = (u != whole.count).then(|| u.to_string());
        }
    }
    (amount, count)
}

/// A breakdown part's figures as written, before validation.
fn unchecked(p: &raw::Part) -> Tally {
    Tally {
        households: p.households,
        persons: p.persons,
        amount: p.amount,
        count: p.count,
        value: p.value,
    }
}
