//! Roll-up: a county (or city) office that lists its townships (`units:` in
//! office.yaml) gets their sums as citable names (`下辖合计.…`), and where it
//! states the same figure itself, the figure is checked against the sum,
//! the finding naming each township's figure at its file and line. Pure:
//! the townships come checked, as models with their metrics.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::analysis::metrics::{Sum2, YearMetrics, pair_text};
use crate::diag::rule::Rule;
use crate::diag::{Diagnostic, Pos};
use crate::model::cite::{Labels, Name};
use crate::model::{Office, Pair, Year, money_factor};

/// A township as the county sums it.
pub(crate) struct Unit<'a> {
    pub(crate) office: &'a Office,
    pub(crate) metrics: &'a [YearMetrics],
}

/// One township's share of a sum: its name, value and where it is.
struct Share {
    name: String,
    text: String,
    file: PathBuf,
    pos: Pos,
}

/// A 户/人 figure of a register, read off a year, and its label.
type PairOf = fn(&Year) -> Option<(Pair, PathBuf)>;
type LabelOf = fn(&Labels) -> String;

/// The register figures that add up over townships, by their label.
fn pairs() -> [(LabelOf, PairOf); 3] {
    [
        (
            |l| l.baseline.clone(),
            |y| y.register.as_ref().map(|r| (r.baseline, r.file.clone())),
        ),
        (
            |l| l.remaining.clone(),
            |y| {
                let r = y.register.as_ref()?;
                r.remaining.as_ref().map(|x| (x.pair, r.file.clone()))
            },
        ),
        (
            |l| l.current.clone(),
            |y| {
                let r = y.register.as_ref()?;
                r.current.map(|c| (c, r.file.clone()))
            },
        ),
    ]
}

/// Put the townships' sums into each year's table, and check the
/// county's own figures against them.
pub(crate) fn roll_up(
    county: &Office,
    metrics: &mut [YearMetrics],
    units: &[Unit],
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (year, m) in county.years.iter().zip(metrics.iter_mut()) {
        let theirs: Vec<(&Office, &Year, &YearMetrics)> = units
            .iter()
            .filter_map(|u| {
                let i = u.office.years.iter().position(|y| y.year == year.year)?;
                Some((u.office, &u.office.years[i], u.metrics.get(i)?))
            })
            .collect();
        // Summed only over every township: a sum of some is no total.
        if theirs.is_empty() || theirs.len() != units.len() {
            continue;
        }
        let labels = m.cite.labels().clone();
        for (label, get) in pairs() {
            let label = label(&labels);
            let Some(parts) = theirs
                .iter()
                .map(|(o, y, _)| get(y).map(|(p, f)| (*o, p, f)))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let sum = add(parts.iter().map(|(_, p, _)| Sum2::of(p)));
            m.cite.put(Name::Rollup(&label), pair_text(sum));
            let shares: Vec<Share> = parts
                .iter()
                .map(|(o, p, f)| Share {
                    name: o.short_name.clone(),
                    text: pair_text(Sum2::of(p)),
                    file: f.clone(),
                    pos: p.persons.or(p.households).map_or(Pos::default(), |n| n.at),
                })
                .collect();
            if let Some((own, file)) = get(year) {
                let stated = Sum2::of(&own);
                if differs(stated, sum) {
                    let at = own
                        .persons
                        .or(own.households)
                        .map_or(Pos::default(), |n| n.at);
                    found.push(mismatch(
                        &label,
                        &pair_text(stated),
                        &pair_text(sum),
                        &shares,
                        &file,
                        at,
                    ));
                }
            }
        }
        let years: Vec<(&Office, &Year)> = theirs.iter().map(|(o, y, _)| (*o, *y)).collect();
        projects(year, m, &years, &mut found);
        funds(year, m, &theirs, &mut found);
    }
    found
}

/// The special funds (专项资金, 衔接资金 …) over the townships' batches.
fn funds(
    year: &Year,
    m: &mut YearMetrics,
    theirs: &[(&Office, &Year, &YearMetrics)],
    found: &mut Vec<Diagnostic>,
) {
    let unit = year.money_unit().to_string();
    let Some(to) = money_factor(&unit) else {
        return;
    };
    let mut sum = Decimal::ZERO;
    let mut shares = Vec::new();
    for (o, y, their) in theirs {
        let Some(total) = their.special.as_ref().and_then(|s| s.total) else {
            return;
        };
        let amount = total * money_factor(y.money_unit()).unwrap_or(Decimal::ONE) / to;
        sum += amount;
        shares.push(Share {
            name: o.short_name.clone(),
            text: format!("{}{unit}", amount.normalize()),
            file: y.dir.join("funds.yaml"),
            pos: Pos::default(),
        });
    }
    m.cite.put(
        Name::Rollup("专项资金"),
        format!("{}{unit}", sum.normalize()),
    );
    if let Some(own) = m.special.as_ref().and_then(|s| s.total)
        && own != sum
    {
        let file = year.dir.join("funds.yaml");
        let stated = format!("{}{unit}", own.normalize());
        let total = format!("{}{unit}", sum.normalize());
        found.push(mismatch(
            "专项资金",
            &stated,
            &total,
            &shares,
            &file,
            Pos::default(),
        ));
    }
}

/// Project counts and money over the townships' lists.
fn projects(
    year: &Year,
    m: &mut YearMetrics,
    theirs: &[(&Office, &Year)],
    found: &mut Vec<Diagnostic>,
) {
    let unit = year.money_unit().to_string();
    let Some(to) = money_factor(&unit) else {
        return;
    };
    let mut count = 0usize;
    let mut budget = Decimal::ZERO;
    let mut shares = Vec::new();
    for (o, y) in theirs {
        let Some(p) = y.projects.as_ref().filter(|p| !p.incomplete) else {
            return;
        };
        let factor = money_factor(y.money_unit()).unwrap_or(Decimal::ONE) / to;
        let b: Decimal = p.list.iter().map(|x| x.budget.v * factor).sum();
        count += p.list.len();
        budget += b;
        shares.push(Share {
            name: o.short_name.clone(),
            text: format!("{}个、{}{unit}", p.list.len(), b.normalize()),
            file: y.dir.join("projects.yaml"),
            pos: Pos::default(),
        });
    }
    m.cite.put(Name::Rollup("项目个数"), format!("{count}个"));
    m.cite.put(
        Name::Rollup("项目资金"),
        format!("{}{unit}", budget.normalize()),
    );
    if let Some(own) = year.projects.as_ref().filter(|p| !p.incomplete) {
        let own_budget: Decimal = own.list.iter().map(|x| x.budget.v).sum();
        if own.list.len() != count || own_budget != budget {
            let file = year.dir.join("projects.yaml");
            let stated = format!("{}个、{}{unit}", own.list.len(), own_budget.normalize());
            let sum = format!("{count}个、{}{unit}", budget.normalize());
            found.push(mismatch(
                "项目",
                &stated,
                &sum,
                &shares,
                &file,
                Pos::default(),
            ));
        }
    }
}

fn add(parts: impl Iterator<Item = Sum2>) -> Sum2 {
    let mut s = Sum2 {
        households: Some(Decimal::ZERO),
        persons: Some(Decimal::ZERO),
    };
    for p in parts {
        s.households = s.households.zip(p.households).map(|(a, b)| a + b);
        s.persons = s.persons.zip(p.persons).map(|(a, b)| a + b);
    }
    s
}

/// Whether two 户/人 figures disagree in a dimension both give.
fn differs(a: Sum2, b: Sum2) -> bool {
    let d = |x: Option<Decimal>, y: Option<Decimal>| x.zip(y).is_some_and(|(x, y)| x != y);
    d(a.households, b.households) || d(a.persons, b.persons)
}

fn mismatch(
    what: &str,
    stated: &str,
    sum: &str,
    shares: &[Share],
    file: &Path,
    at: Pos,
) -> Diagnostic {
    let each: Vec<String> = shares
        .iter()
        .map(|s| {
            let line = if s.pos.line > 0 {
                format!(":{}", s.pos.line)
            } else {
                String::new()
            };
            format!(
                "{} {}（{}{line}）",
                s.name,
                s.text,
                crate::diag::display_path(&s.file)
            )
        })
        .collect();
    Diagnostic::error(
        Rule::RollupSum,
        format!("{what}填的是 {stated}，下辖单位合计 {sum}：{}", each.join("；")),
    )
    .at(file, at)
    .hint("改正这里或某个下辖单位的数字；若本级数字本就不是下辖单位之和，删去 office.yaml 中 units 里的相应单位")
}
