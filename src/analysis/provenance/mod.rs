//! The derivation of every figure in the citation table (see
//! [`crate::model::provenance`]): put beside the texts metrics wrote, from
//! the same data and the same metrics, after the table is filled. Nothing
//! here decides what prints; [`check`] makes sure the derivations agree
//! with what does, and consistency stops the build when one does not.

mod check;
mod figures;
mod funds;
pub(crate) mod made;
mod register;

pub(crate) use check::contradictions;
pub(crate) use figures::headline_names;

use crate::diag::{Diagnostic, Severity};

use std::path::Path;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::analysis::metrics::{self, YearMetrics};
use crate::model::cite::{CiteTable, Name};
use crate::model::provenance::{Derivation, Op, Operand, Role, Source};
use crate::model::raw::N;
use crate::model::{Pair, Prose, Tally, Units, Year};

/// Put the derivation of every name of `year`'s table beside its text,
/// and where the office's text cites each name (`cites`). `prev`: the year
/// before.
fn annotate(
    c: &mut CiteTable,
    (year, m): (&Year, &YearMetrics),
    prev: Option<(&Year, &YearMetrics)>,
    cites: &[(String, Source)],
) {
    let y = year.year;
    if let (Some(reg), Some(rm)) = (&year.register, &m.register) {
        register::annotate(c, y, reg, rm);
    }
    if let Some(s) = &m.special {
        funds::annotate(c, year, m, s);
    }
    funds::project_counts(c, year, m);
    let money_unit = year.money_unit();
    for fig in year.figures() {
        figures::annotate(c, y, fig, money_unit, Name::Figure(&fig.label));
    }
    for target in year.plan.iter().flat_map(|p| p.targets.iter()) {
        figures::annotate(c, y, target, money_unit, Name::Target(&target.label));
    }
    for yoy in &m.yoy {
        figures::headline_change(c, (year, prev), yoy);
    }
    if let Some((p, pm)) = prev {
        for (key, how) in pm.cite.own_derivations() {
            c.explain(Name::LastYear(key), how.clone());
        }
        figures::figure_changes(c, year, p, &pm.cite);
    }
    c.clear_cited();
    for (key, at) in cites {
        c.cite_at(key, at.clone());
    }
    c.number_rows();
}

/// The derivations of an office's years, year by year (a `上年.…` name
/// takes last year's), of every name: the documents open the figures of
/// their tables, charts and sentences as well as those the texts cite. Put
/// when the office is rendered, from its final table (the roll-up's names
/// and their derivations are in it), and dropped with it: the derivations
/// of every office are never held at once.
pub(crate) fn annotate_office(office: &crate::model::Office, metrics: &mut [YearMetrics]) {
    for (i, year) in office.years.iter().enumerate() {
        if i >= metrics.len() {
            break;
        }
        let cites = today(citations(year), &metrics[i].cite);
        let (before, rest) = metrics.split_at_mut(i);
        let m = &mut rest[0];
        let prev = i
            .checked_sub(1)
            .map(|j| (&office.years[j], &before[j]))
            .filter(|(p, _)| p.year == year.year - 1);
        let mut cite = std::mem::take(&mut m.cite);
        annotate(&mut cite, (year, m), prev, &cites);
        m.cite = cite;
    }
}

/// Citations of names a past format spelt, under today's spelling.
fn today(mut cites: Vec<(String, Source)>, c: &CiteTable) -> Vec<(String, Source)> {
    for (key, _) in &mut cites {
        if let Some(k) = c.renamed(key) {
            *key = k.to_string();
        }
    }
    cites
}

/// Every citation of the year's texts: the name and where it is.
fn citations(year: &Year) -> Vec<(String, Source)> {
    let mut out = Vec::new();
    for prose in year.proses() {
        let mut cursor = crate::model::prose::Cursor::default();
        for t in crate::model::prose::tokens(&prose.text) {
            let Ok(key) = t.key else { continue };
            let (line, col) = cursor.advance(&prose.text, t.at);
            out.push((key.to_string(), at_prose(prose, line, col)));
        }
    }
    out
}

/// Mark the checks that warned on every derivation of the office's
/// years: a warning of one of its rules in the file of one of its numbers
/// (anywhere in the file for the register's rules, which concern the
/// register as a whole; else on the number's line).
pub(crate) fn note_findings(metrics: &mut [YearMetrics], findings: &[Diagnostic]) {
    let warnings: Vec<(&Diagnostic, Source)> = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .filter_map(|f| Some((f, Source::at(f.file.as_deref()?, f.pos.line, 2))))
        .collect();
    if warnings.is_empty() {
        return;
    }
    for m in metrics {
        for how in m.cite.derivations_mut() {
            let hits: Vec<crate::diag::rule::Rule> = warnings
                .iter()
                .filter(|(f, at)| {
                    let whole_file = f.rule.id().starts_with("register.");
                    how.checks.contains(&f.rule)
                        && how
                            .sources()
                            .any(|s| s.file == at.file && (whole_file || s.covers(at.line)))
                })
                .map(|(f, _)| f.rule)
                .collect();
            if !hits.is_empty() {
                let d = Arc::make_mut(how);
                for r in hits {
                    if !d.warned.contains(&r) {
                        d.warned.push(r);
                    }
                }
            }
        }
    }
}

fn at_prose(prose: &Prose, line: u32, col: u32) -> Source {
    Source::at(&prose.file, prose.map(line, col).line, 2)
}

/// Where a number of the year's own data is written.
pub(super) fn at(file: &Path, n: N) -> Source {
    Source::at(file, n.at.line, 2)
}

/// A derivation into the table, beside the name's text.
pub(super) fn put(c: &mut CiteTable, name: Name, d: Derivation) {
    c.explain(name, Arc::new(d));
}

/// One number of the data as an operand: `label`, printed `text`, written
/// at `n`, cited as `cited` if the table has that name.
pub(super) fn number(label: impl Into<String>, text: String, n: N, file: &Path) -> Operand {
    Operand::new(label, text, vec![n.v]).at(at(file, n))
}

/// A name's key, as an operand's citation.
pub(super) fn key(c: &CiteTable, name: Name) -> Option<String> {
    let k = c.key(name);
    c.find(&k).map(|_| k)
}

/// An operand cited as `name` when the table has it; one the data does
/// not write in one place (a sum, a count) at the lines of the name's own
/// derivation, when the table has that.
pub(super) fn cited(c: &CiteTable, mut o: Operand, name: Name) -> Operand {
    let Some(k) = key(c, name) else { return o };
    if o.at.is_none() {
        let how = c.find(&k).and_then(|f| f.how);
        o.at = how.and_then(|d| Source::span(d.sources()));
    }
    o.cited_as(k)
}

/// A 户/人 pair as an operand (none when it has neither).
pub(super) fn pair(label: impl Into<String>, p: &Pair, file: &Path) -> Option<Operand> {
    let first = p.households.or(p.persons)?;
    let values = [p.households, p.persons]
        .iter()
        .flatten()
        .map(|n| n.v)
        .collect();
    let text = metrics::pair_text(metrics::Sum2::of(p));
    Some(Operand::new(label, text, values).at(at(file, first)))
}

/// A 户/人 sum's values, in the order its text shows them.
pub(super) fn sum2_values(s: metrics::Sum2) -> Vec<Decimal> {
    [s.households, s.persons].into_iter().flatten().collect()
}

/// A tally (`292人24.28万元`) as an operand.
pub(super) fn tally(label: impl Into<String>, t: &Tally, units: Units, file: &Path) -> Operand {
    let values: Vec<Decimal> = [t.households, t.persons, t.count, t.value, t.amount]
        .iter()
        .flatten()
        .map(|n| n.v)
        .collect();
    let first = [t.households, t.persons, t.count, t.value, t.amount]
        .into_iter()
        .flatten()
        .next();
    let o = Operand::new(label, metrics::tally_text(t, units), values);
    match first {
        Some(n) => o.at(at(file, n)),
        None => o,
    }
}

/// A rate: the Plus operands (less the Minus ones) over the Over ones, × 100.
pub(super) fn ratio(y: i32, operands: Vec<Operand>, dp: u32) -> Option<Derivation> {
    let sum = |pick: &dyn Fn(Role) -> bool| -> Decimal {
        operands
            .iter()
            .filter(|o| pick(o.role))
            .map(|o| {
                let v = o.values.first().copied().unwrap_or_default();
                if o.role == Role::Minus { -v } else { v }
            })
            .sum()
    };
    let top = sum(&|r| r != Role::Over);
    let bottom = sum(&|r| r == Role::Over);
    let r = crate::model::num::percent(top, bottom)?;
    Some(Derivation::of(y, Op::Ratio, operands, vec![r]).rounded(dp))
}

/// A count of list entries, written `at` (`按项目清单统计`).
pub(super) fn count(y: i32, label: &str, n: usize, unit: &str, at: Source) -> Derivation {
    let v = Decimal::from(n);
    let o = Operand::new(label, format!("{n}{unit}"), vec![v]).at(at);
    Derivation::of(y, Op::Count, vec![o], vec![v])
}
