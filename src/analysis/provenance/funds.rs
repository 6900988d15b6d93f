//! The funds' figures: the special funds as the sum of their batches (or
//! sources, or the project list), the project counts and rates from the
//! list, each category's funds and share.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::{at, cited, count, put, ratio};
use crate::analysis::metrics::{SpecialTotals, YearMetrics};
use crate::diag::rule::Rule;
use crate::model::cite::{Builtin, CiteTable, Name};
use crate::model::provenance::{Derivation, Op, Operand, Role, Source};
use crate::model::{FundPart, Project, Special, Status, Year, num};

fn b(which: Builtin) -> Name<'static> {
    Name::Builtin(which)
}

pub(super) fn annotate(c: &mut CiteTable, year: &Year, m: &YearMetrics, s: &SpecialTotals) {
    let Some(funds) = &year.funds else { return };
    let Some(sp) = &funds.special else { return };
    let f = &funds.file;
    let y = year.year;
    let list = projects_file(year);
    for part in &sp.by_source {
        let o = money(c, part, f, Name::Source(&part.name));
        put(
            c,
            Name::Source(&part.name),
            datum(y, o, &[Rule::FundsTotal]),
        );
    }
    for part in &sp.batches {
        let o = money(c, part, f, Name::Batch(&part.name));
        put(c, Name::Batch(&part.name), datum(y, o, &[Rule::FundsTotal]));
    }
    if let Some(total) = s.total {
        let d = total_of(c, year, sp, total, &list).rounded(funds.precision);
        put(
            c,
            b(Builtin::SpecialFunds),
            d.checked_by(&[Rule::FundsTotal]),
        );
    }
    if let Some(n) = s.projects {
        put(c, b(Builtin::Projects), projects_of(year, sp, n, &list));
    }
    rates(c, year, m, sp, &list);
    shares(c, year, m, sp, &list);
}

fn datum(y: i32, o: Operand, checks: &[Rule]) -> Derivation {
    Derivation::datum(y, o).checked_by(checks)
}

fn projects_file(year: &Year) -> PathBuf {
    year.dir.join("projects.yaml")
}

/// Where the project list writes the entries `pick` takes: from the first
/// one's line to the last one's (the file alone when it takes none).
fn entries(year: &Year, list: &Path, pick: impl Fn(&Project) -> bool) -> Source {
    let lines = year
        .projects
        .iter()
        .flat_map(|p| &p.list)
        .filter(|p| pick(p))
        .map(|p| p.line);
    Source::spanning(list, lines)
}

/// A batch's, source's or category's amount, as the table prints it.
fn money(c: &CiteTable, part: &FundPart, file: &Path, name: Name) -> Operand {
    let text = c
        .get(name)
        .map_or_else(|| part.amount.v.to_string(), str::to_string);
    Operand::new(c.key(name), text, vec![part.amount.v]).at(at(file, part.amount))
}

/// The special funds' total: the sum of the batches, else of the sources,
/// else of the project list, else as stated.
fn total_of(c: &CiteTable, year: &Year, sp: &Special, total: Decimal, list: &Path) -> Derivation {
    let y = year.year;
    let unit = year.money_unit();
    let f = year
        .funds
        .as_ref()
        .map(|f| f.file.clone())
        .unwrap_or_default();
    let parts = |parts: &[FundPart], batch: bool| -> Vec<Operand> {
        parts
            .iter()
            .map(|p| {
                let name = if batch {
                    Name::Batch(&p.name)
                } else {
                    Name::Source(&p.name)
                };
                cited(c, money(c, p, &f, name), name)
            })
            .collect()
    };
    if !sp.batches.is_empty() {
        return Derivation::of(y, Op::Sum, parts(&sp.batches, true), vec![total]);
    }
    if !sp.by_source.is_empty() {
        return Derivation::of(y, Op::Sum, parts(&sp.by_source, false), vec![total]);
    }
    if let Some(p) = year.projects.as_ref().filter(|p| !p.list.is_empty()) {
        let label = format!("项目清单{}个项目的安排资金", p.list.len());
        let o = Operand::new(label, format!("{}{unit}", total.normalize()), vec![total])
            .at(entries(year, list, |_| true));
        return Derivation::of(y, Op::Sum, vec![o], vec![total]).checked_by(&[Rule::FundsProjects]);
    }
    match sp.stated_total {
        Some(n) => {
            let o = Operand::new(&sp.label, format!("{}{unit}", n.v), vec![n.v]).at(at(&f, n));
            Derivation::datum(y, o)
        }
        None => Derivation::of(y, Op::Sum, Vec::new(), vec![total]),
    }
}

/// 项目个数: the batches' (or sources') counts, else the list's entries,
/// else as stated.
fn projects_of(year: &Year, sp: &Special, n: Decimal, list: &Path) -> Derivation {
    let y = year.year;
    let f = year
        .funds
        .as_ref()
        .map(|f| f.file.clone())
        .unwrap_or_default();
    let counted = |parts: &[FundPart]| -> Option<Vec<Operand>> {
        if parts.is_empty() {
            return None;
        }
        parts
            .iter()
            .map(|p| {
                let k = p.projects?;
                Some(Operand::new(&p.name, format!("{}个", k.v), vec![k.v]).at(at(&f, k)))
            })
            .collect()
    };
    if let Some(ops) = counted(&sp.batches).or_else(|| counted(&sp.by_source)) {
        return Derivation::of(y, Op::Sum, ops, vec![n]).checked_by(&[Rule::FundsTotal]);
    }
    if let Some(p) = year.projects.as_ref().filter(|p| !p.list.is_empty()) {
        let at = entries(year, list, |_| true);
        return count(y, "项目清单中的项目", p.list.len(), "个", at)
            .checked_by(&[Rule::FundsProjects, Rule::ProjectId]);
    }
    match sp.stated_projects {
        Some(k) => {
            let o = Operand::new("项目个数", format!("{}个", k.v), vec![k.v]).at(at(&f, k));
            Derivation::datum(y, o)
        }
        None => Derivation::of(y, Op::Count, Vec::new(), vec![n]),
    }
    .checked_by(&[Rule::FundsTotal])
}

/// 开工率, 竣工率, 支出进度: from the project list.
fn rates(c: &mut CiteTable, year: &Year, m: &YearMetrics, sp: &Special, list: &Path) {
    let y = year.year;
    let Some(stats) = m.projects.as_ref().filter(|s| s.total > 0) else {
        return;
    };
    let unit = year.money_unit();
    let whole = |label: &str, v: Decimal, text: String, pick: &dyn Fn(&Project) -> bool| {
        Operand::new(label, text, vec![v]).at(entries(year, list, pick))
    };
    let n = |k: usize| Decimal::from(k);
    let total = whole(
        "项目总数",
        n(stats.total),
        format!("{}个", stats.total),
        &|_| true,
    );
    let cases = [
        (
            Builtin::StartRate,
            whole(
                "在建及已完工项目",
                n(stats.started + stats.completed),
                format!("{}个", stats.started + stats.completed),
                &|p| p.status != Status::Planned,
            ),
            total.clone(),
            sp.stated_start_rate,
        ),
        (
            Builtin::CompletionRate,
            whole(
                "已完工项目",
                n(stats.completed),
                format!("{}个", stats.completed),
                &|p| p.status == Status::Completed,
            ),
            total,
            sp.stated_completion_rate,
        ),
        (
            Builtin::SpendingRate,
            whole(
                "已报支出",
                stats.spent,
                format!("{}{unit}", stats.spent.normalize()),
                &|p| p.spent.is_some(),
            ),
            whole(
                "报支出项目的安排资金",
                stats.spent_base,
                format!("{}{unit}", stats.spent_base.normalize()),
                &|p| p.spent.is_some(),
            ),
            sp.stated_spending_rate,
        ),
    ];
    for (which, top, bottom, stated) in cases {
        let dp = stated.map_or(1, |s| num::scale(s.v));
        let checks: &[Rule] = if stated.is_some() {
            &[Rule::FundsRate, Rule::ProjectStatus]
        } else {
            &[Rule::ProjectStatus]
        };
        if let Some(d) = ratio(y, vec![top, bottom.role(Role::Over)], dp) {
            put(c, b(which), d.checked_by(checks).noted("按项目清单统计"));
        }
    }
}

/// 完工项目, 在建项目, 未开工项目: counted in the list.
pub(super) fn project_counts(c: &mut CiteTable, year: &Year, m: &YearMetrics) {
    let Some(p) = m.projects.as_ref().filter(|p| p.total > 0) else {
        return;
    };
    let list = projects_file(year);
    for (which, n, status, word) in [
        (
            Builtin::CompletedProjects,
            p.completed,
            Status::Completed,
            "已完工",
        ),
        (Builtin::StartedProjects, p.started, Status::Started, "在建"),
        (
            Builtin::PlannedProjects,
            p.planned,
            Status::Planned,
            "未开工",
        ),
    ] {
        let label = format!("项目清单中状态为“{word}”的项目");
        let at = entries(year, &list, |p| p.status == status);
        let d = count(year.year, &label, n, "个", at).checked_by(&[Rule::ProjectStatus]);
        put(c, b(which), d);
    }
}

/// Each category's funds, share of the special funds and projects.
fn shares(c: &mut CiteTable, year: &Year, m: &YearMetrics, sp: &Special, list: &Path) {
    let y = year.year;
    let Some(total) = m.special.as_ref().and_then(|s| s.total) else {
        return;
    };
    let from_list = m.projects.as_ref().is_some_and(|p| p.total > 0);
    let f = year
        .funds
        .as_ref()
        .map(|f| f.file.clone())
        .unwrap_or_default();
    let unit = year.money_unit();
    for sh in &m.shares {
        let name = Name::CategoryFunds(&sh.name);
        let text = c
            .get(name)
            .map_or_else(|| sh.amount.to_string(), str::to_string);
        let part = sp.by_category.iter().find(|p| p.name == sh.name);
        let amount = match (from_list, part) {
            (false, Some(p)) => {
                Derivation::datum(y, money(c, p, &f, name)).checked_by(&[Rule::FundsCategories])
            }
            _ => {
                let n = sh.projects.unwrap_or_default();
                let label = format!("项目清单中类别为“{}”的{n}个项目", sh.name);
                let at = entries(year, list, |p| p.category == sh.name);
                let o = Operand::new(label, text.clone(), vec![sh.amount]).at(at);
                Derivation::of(y, Op::Sum, vec![o], vec![sh.amount])
                    .checked_by(&[Rule::FundsProjects])
            }
        };
        let mut part_op = Operand::new(c.key(name), text, vec![sh.amount]);
        part_op.at = amount.sources().next().cloned();
        put(c, name, amount);
        let part_op = cited(c, part_op, name);
        let whole = Operand::new(
            c.key(b(Builtin::SpecialFunds)),
            c.get(b(Builtin::SpecialFunds))
                .map_or_else(|| format!("{total}{unit}"), str::to_string),
            vec![total],
        )
        .role(Role::Over);
        let whole = cited(c, whole, b(Builtin::SpecialFunds));
        if let Some(d) = ratio(y, vec![part_op, whole], 1) {
            put(
                c,
                Name::CategoryShare(&sh.name),
                d.checked_by(&[Rule::FundsCategories]),
            );
        }
        if let Some(n) = sh.projects {
            let pname = Name::CategoryProjects(&sh.name);
            let d = match (from_list, part.and_then(|p| p.projects)) {
                (false, Some(k)) => {
                    let o = Operand::new(c.key(pname), format!("{}个", k.v), vec![k.v]);
                    Derivation::datum(y, o.at(at(&f, k)))
                }
                _ => count(
                    y,
                    &format!("项目清单中类别为“{}”的项目", sh.name),
                    n,
                    "个",
                    entries(year, list, |p| p.category == sh.name),
                ),
            };
            put(c, pname, d.checked_by(&[Rule::FundsProjects]));
        }
    }
}
