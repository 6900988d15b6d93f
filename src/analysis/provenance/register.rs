//! The register's figures (建档立卡 / 防返贫监测): the data as written, the
//! sums of the exit years and adjustments, and the rates made from them.

use rust_decimal::Decimal;

use super::{cited, number, pair, put, ratio, sum2_values};
use crate::analysis::metrics::RegisterMetrics;
use crate::diag::rule::Rule;
use crate::model::cite::{Builtin, CiteTable, Name};
use crate::model::provenance::{Derivation, Op, Operand, Role};
use crate::model::{Era, Register};

fn b(which: Builtin) -> Name<'static> {
    Name::Builtin(which)
}

pub(super) fn annotate(c: &mut CiteTable, y: i32, reg: &Register, rm: &RegisterMetrics) {
    let f = &reg.file;
    let l = c.labels().clone();
    if let Some(v) = reg.villages {
        let o = number(&l.baseline_villages, format!("{}个", v.v), v, f);
        put(
            c,
            b(Builtin::BaselineVillages),
            datum(y, o, &[Rule::RegisterVillages]),
        );
    }
    if let Some(o) = pair(&l.baseline, &reg.baseline, f) {
        let checks = [Rule::RegisterOverBaseline, Rule::RegisterGap];
        put(c, b(Builtin::Baseline), datum(y, o, &checks));
    }
    for e in &reg.exits {
        let span = e.span();
        if let Some(o) = pair(c.key(Name::ExitOf(&span)), &e.pair, f) {
            let checks = [Rule::RegisterExitYear, Rule::RegisterGap];
            put(c, Name::ExitOf(&span), datum(y, o, &checks));
        }
    }
    cumulative(c, y, reg, rm);
    net(c, y, reg, rm);
    if let Some(o) = reg.current.as_ref().and_then(|p| pair(&l.current, p, f)) {
        put(c, b(Builtin::Current), datum(y, o, &[Rule::RegisterGap]));
    }
    remaining(c, y, reg);
    this_year(c, y, reg, rm);
    targets(c, y, reg, rm);
    incidence(c, y, reg, rm);
}

fn datum(y: i32, o: Operand, checks: &[Rule]) -> Derivation {
    Derivation::datum(y, o).checked_by(checks)
}

/// 累计脱贫 as the sum of the exit years, and its share of the register.
fn cumulative(c: &mut CiteTable, y: i32, reg: &Register, rm: &RegisterMetrics) {
    let f = &reg.file;
    let parts: Vec<Operand> = reg
        .exits
        .iter()
        .filter_map(|e| {
            let span = e.span();
            let o = pair(c.key(Name::ExitOf(&span)), &e.pair, f)?;
            Some(cited(c, o, Name::ExitOf(&span)))
        })
        .collect();
    let checks = [Rule::RegisterOverBaseline, Rule::RegisterGap];
    let sum = Derivation::of(y, Op::Sum, parts, sum2_values(rm.cumulative)).checked_by(&checks);
    put(c, b(Builtin::Cumulative), sum);
    let (Some(done), Some(base)) = (rm.cumulative.persons, reg.baseline.persons) else {
        return;
    };
    let l = c.labels().clone();
    let done = Operand::new(
        c.key(b(Builtin::Cumulative)),
        format!("{done}人"),
        vec![done],
    );
    let mut ops = vec![cited(c, done, b(Builtin::Cumulative))];
    let base = number(&l.baseline, format!("{}人", base.v), base, f).role(Role::Over);
    ops.push(cited(c, base, b(Builtin::Baseline)));
    if l.era == Era::Monitoring {
        for a in &reg.adjustments {
            if let Some(n) = a.added.persons {
                ops.push(number("动态调整新增", format!("{}人", n.v), n, f).role(Role::Over));
            }
        }
    }
    if let Some(d) = ratio(y, ops, 1) {
        put(c, b(Builtin::CumulativeShare), d.checked_by(&checks));
    }
}

/// 动态调整净增: added less removed, over every adjustment.
fn net(c: &mut CiteTable, y: i32, reg: &Register, rm: &RegisterMetrics) {
    let f = &reg.file;
    let mut ops = Vec::new();
    for a in &reg.adjustments {
        ops.extend(pair("动态调整新增", &a.added, f));
        ops.extend(pair("动态调整减少", &a.removed, f).map(|o| o.role(Role::Minus)));
    }
    if ops.is_empty() {
        return;
    }
    let d = Derivation::of(y, Op::Sum, ops, sum2_values(rm.net)).checked_by(&[Rule::RegisterGap]);
    put(c, b(Builtin::NetAdjustment), d);
}

/// 未脱贫, its villages and its parts.
fn remaining(c: &mut CiteTable, y: i32, reg: &Register) {
    let f = &reg.file;
    let Some(rem) = &reg.remaining else { return };
    let l = c.labels().clone();
    let mut checks = vec![Rule::RegisterGap, Rule::RegisterPlanned];
    if !rem.breakdowns.is_empty() {
        checks.push(Rule::BreakdownSum);
    }
    if let Some(o) = pair(&l.remaining, &rem.pair, f) {
        put(c, b(Builtin::Remaining), datum(y, o, &checks));
    }
    if let Some(v) = rem.villages {
        let o = number(
            c.key(b(Builtin::RemainingVillages)),
            format!("{}个", v.v),
            v,
            f,
        );
        put(
            c,
            b(Builtin::RemainingVillages),
            datum(y, o, &[Rule::RegisterVillages]),
        );
    }
    let units = crate::model::Units::of(None, "万元");
    for p in rem.breakdowns.iter().flat_map(|b| &b.parts) {
        let name = Name::RemainingPart(&p.name);
        let mut o = super::tally(c.key(name), &p.tally, units, f);
        if let Some(text) = c.get(name) {
            o.text = text.to_string();
        }
        put(c, name, datum(y, o, &[Rule::BreakdownSum]));
    }
}

/// This year's exits (confirmed, or planned) and its villages.
fn this_year(c: &mut CiteTable, y: i32, reg: &Register, rm: &RegisterMetrics) {
    let f = &reg.file;
    let confirmed = reg.exits.iter().find(|e| e.year == y && e.from.is_none());
    let (pair_name, villages_name) = if rm.this_year_planned {
        (Builtin::ThisYearPlanned, Builtin::ThisYearPlannedVillages)
    } else {
        (Builtin::ThisYear, Builtin::ThisYearVillages)
    };
    let (p, villages, rule) = match (confirmed, &reg.planned) {
        (Some(e), _) => (&e.pair, &e.villages, Rule::RegisterExitYear),
        (None, Some(p)) => (&p.pair, &p.villages, Rule::RegisterPlanned),
        (None, None) => return,
    };
    if let Some(o) = pair(c.key(b(pair_name)), p, f) {
        put(c, b(pair_name), datum(y, o, &[rule]));
    }
    let n = villages.count;
    let note = if villages.names.is_empty() {
        "按所填村数".to_string()
    } else {
        format!("按村名单：{}", villages.names.join("、"))
    };
    let line = p.households.or(p.persons).map_or(0, |n| n.at.line);
    let at = crate::model::provenance::Source::at(f, line, 2);
    let d = super::count(y, &c.key(b(villages_name)), n, "个", at)
        .checked_by(&[Rule::RegisterVillages])
        .noted(note);
    put(c, b(villages_name), d);
}

/// The year's targets and how far they were met.
fn targets(c: &mut CiteTable, y: i32, reg: &Register, rm: &RegisterMetrics) {
    let f = &reg.file;
    let Some(t) = &reg.targets else { return };
    if let Some(v) = t.villages {
        let o = number(
            c.key(b(Builtin::TargetVillages)),
            format!("{}个", v.v),
            v,
            f,
        );
        put(c, b(Builtin::TargetVillages), datum(y, o, &[]));
    }
    let target = crate::model::Pair {
        households: t.households,
        persons: t.persons,
    };
    if let Some(o) = pair(c.key(b(Builtin::TargetReduction)), &target, f) {
        put(c, b(Builtin::TargetReduction), datum(y, o, &[]));
    }
    let done_name = if rm.this_year_planned {
        Builtin::ThisYearPlanned
    } else {
        Builtin::ThisYear
    };
    if let (Some(done), Some(goal)) = (rm.this_year.and_then(|s| s.persons), t.persons) {
        let d = Operand::new(c.key(b(done_name)), format!("{done}人"), vec![done]);
        let g = number(
            c.key(b(Builtin::TargetReduction)),
            format!("{}人", goal.v),
            goal,
            f,
        );
        let ops = vec![
            cited(c, d, b(done_name)),
            cited(c, g.role(Role::Over), b(Builtin::TargetReduction)),
        ];
        if let Some(d) = ratio(y, ops, 1) {
            put(c, b(Builtin::TargetRate), d);
        }
    }
    if let (Some(_), Some(goal)) = (rm.this_year, t.villages) {
        let n = Decimal::from(rm.this_year_villages);
        let vname = if rm.this_year_planned {
            Builtin::ThisYearPlannedVillages
        } else {
            Builtin::ThisYearVillages
        };
        let d = Operand::new(c.key(b(vname)), format!("{n}个"), vec![n]);
        let g = number(
            c.key(b(Builtin::TargetVillages)),
            format!("{}个", goal.v),
            goal,
            f,
        );
        let ops = vec![
            cited(c, d, b(vname)),
            cited(c, g.role(Role::Over), b(Builtin::TargetVillages)),
        ];
        if let Some(d) = ratio(y, ops, 1) {
            put(c, b(Builtin::VillageTargetRate), d);
        }
    }
}

/// 贫困发生率 (监测对象占比): the remaining over the stated denominator;
/// and once the year's planned exits are out.
fn incidence(c: &mut CiteTable, y: i32, reg: &Register, rm: &RegisterMetrics) {
    let f = &reg.file;
    let Some(i) = &reg.incidence else { return };
    let Some(left) = reg.remaining.as_ref().and_then(|r| r.pair.persons) else {
        return;
    };
    let l = c.labels().clone();
    let den_label = if i.denominator_label.is_empty() {
        "分母".to_string()
    } else {
        i.denominator_label.clone()
    };
    let den = || {
        number(
            &den_label,
            format!("{}人", i.denominator.v),
            i.denominator,
            f,
        )
    };
    let rem = number(&l.remaining, format!("{}人", left.v), left, f);
    let rem = cited(c, rem, b(Builtin::Remaining));
    let dp = rm.incidence_precision;
    let checks: &[Rule] = if i.stated.is_some() {
        &[Rule::RegisterIncidence]
    } else {
        &[]
    };
    let ops = vec![rem.clone(), den().role(Role::Over)];
    if let Some(d) = ratio(y, ops, dp) {
        put(c, b(Builtin::Incidence), d.checked_by(checks));
    }
    let Some(planned) = reg.planned.as_ref().and_then(|p| p.pair.persons) else {
        return;
    };
    let p = number(&l.planned, format!("{}人", planned.v), planned, f).role(Role::Minus);
    let p = cited(c, p, b(Builtin::ThisYearPlanned));
    let checks: &[Rule] = if i.stated_after.is_some() {
        &[Rule::RegisterIncidence, Rule::RegisterPlanned]
    } else {
        &[Rule::RegisterPlanned]
    };
    if let Some(d) = ratio(y, vec![rem, p, den().role(Role::Over)], dp) {
        put(c, b(Builtin::IncidenceAfter), d.checked_by(checks));
    }
}
