//! Derivations of figures nianbao prints that have no name in the citation
//! table, so that no text can cite them: the projects a 计划 carries over,
//! villages that left, the project list's counts by category and status, a
//! fund part's projects, the households target rate, a monitored register's
//! 历年新识别, the funds chart's 其他 and a source's share. Made with the
//! view that prints them, they open on the web page and are listed in the
//! 核对表 like every other figure.

use std::path::Path;

use rust_decimal::Decimal;

use super::count;
use crate::analysis::metrics::RegisterMetrics;
use crate::diag::rule::Rule;
use crate::model::cite::{Builtin, CiteTable, Name};
use crate::model::num;
use crate::model::provenance::{Derivation, Op, Operand, Role, Source};
use crate::model::{ExitYear, Project, Register, Status, Year};

/// What a printed figure opens on the web page: the derivation of a name of
/// the citation table, or one made for a figure no text can cite.
#[derive(Clone, Debug)]
pub(crate) enum Opens {
    Name(String),
    Made(std::sync::Arc<Made>),
}

/// A figure without a name: what it is, as printed, and how it is made.
#[derive(Clone, Debug)]
pub(crate) struct Made {
    pub(crate) label: String,
    pub(crate) printed: String,
    pub(crate) how: Derivation,
}

/// The projects not completed this year, carried over: how many, of which
/// started and not yet, their budget and what they still need; and what
/// each still needs, in the order given.
pub(crate) struct CarriedOver {
    pub(crate) count: Made,
    pub(crate) started: Made,
    pub(crate) not_started: Made,
    pub(crate) budget: Made,
    pub(crate) remaining: Made,
    pub(crate) left: Vec<Made>,
}

/// What a project still needs: its budget less what it has spent, never
/// below nothing.
pub(crate) fn still_needed(p: &Project) -> Decimal {
    (p.budget.v - p.spent.map_or(Decimal::ZERO, |s| s.v)).max(Decimal::ZERO)
}

/// The carried-over figures of `open` (the year's projects not completed),
/// money in `unit` at `prec` decimals.
pub(crate) fn carried_over(
    year: &Year,
    open: &[&Project],
    (unit, prec): (&str, u32),
) -> CarriedOver {
    let y = year.year;
    let list = year.dir.join("projects.yaml");
    let money = |d: Decimal| format!("{}{unit}", num::amount(d, prec));
    let counted = |label: &str, pick: &dyn Fn(&Project) -> bool| {
        let n = open.iter().filter(|p| pick(p)).count();
        let lines = open.iter().filter(|p| pick(p)).map(|p| p.line);
        let how = count(y, label, n, "个", Source::spanning(&list, lines))
            .checked_by(&[Rule::ProjectStatus]);
        Made {
            label: label.to_string(),
            printed: format!("{n}个"),
            how,
        }
    };
    let left: Vec<Made> = open
        .iter()
        .map(|p| project_left(y, p, &list, &money))
        .collect();
    let budget: Decimal = open.iter().map(|p| p.budget.v).sum();
    let budgets = open
        .iter()
        .map(|p| super::number(&p.name, money(p.budget.v), p.budget, &list))
        .collect();
    let remaining: Decimal = open.iter().map(|p| still_needed(p)).sum();
    let lefts = left
        .iter()
        .zip(open)
        .map(|(m, p)| {
            let v = m.how.result[0];
            Operand::new(&p.name, m.printed.clone(), vec![v]).at(Source::at(&list, p.line, 2))
        })
        .collect();
    CarriedOver {
        count: counted("未完工项目", &|_| true),
        started: counted("在建项目", &|p| p.status == Status::Started),
        not_started: counted("未开工项目", &|p| p.status != Status::Started),
        budget: Made {
            label: "未完工项目安排资金".into(),
            printed: money(budget),
            how: Derivation::of(y, Op::Sum, budgets, vec![budget]).rounded(prec),
        },
        remaining: Made {
            label: "未完工项目尚需资金".into(),
            printed: money(remaining),
            how: Derivation::of(y, Op::Sum, lefts, vec![remaining])
                .rounded(prec)
                .noted("各项目安排资金减已支出（超支的按0计）之和"),
        },
        left,
    }
}

/// What one project still needs: its budget less what it has spent.
fn project_left(y: i32, p: &Project, list: &Path, money: &dyn Fn(Decimal) -> String) -> Made {
    let mut ops = vec![super::number("安排资金", money(p.budget.v), p.budget, list)];
    if let Some(s) = p.spent {
        ops.push(super::number("已支出", money(s.v), s, list).role(Role::Minus));
    }
    let v = still_needed(p);
    let mut how = Derivation::of(y, Op::Sum, ops, vec![v]);
    if p.spent.is_some_and(|s| s.v > p.budget.v) {
        how = how.noted("已支出超过安排资金，尚需资金按0计");
    }
    Made {
        label: format!("{}尚需资金", p.name),
        printed: money(v),
        how,
    }
}

/// A number as the data writes it (`label`, printed `printed`, at `n` of
/// `file`), checked by `checks`.
pub(crate) fn datum(
    year: i32,
    (label, printed): (String, String),
    (n, file): (crate::model::raw::N, &Path),
    checks: &[Rule],
) -> Made {
    let o = Operand::new(&label, printed.clone(), vec![n.v]).at(super::at(file, n));
    Made {
        label,
        printed,
        how: Derivation::datum(year, o).checked_by(checks),
    }
}

/// The villages that left in one year of the register (`2016年出列4个`),
/// counted from their names where it names them; `None` when none left.
pub(crate) fn villages_of(year: i32, reg: &Register, e: &ExitYear) -> Option<Made> {
    let n = e.villages.count;
    let line = e
        .pair
        .households
        .or(e.pair.persons)
        .map_or(0, |x| x.at.line);
    let at = Source::at(&reg.file, line, 2);
    let label = format!(
        "{}年{}{}",
        e.span(),
        reg.labels.village_exit,
        reg.labels.village
    );
    let mut how = count(year, &label, n, "个", at).checked_by(&[Rule::RegisterVillages]);
    if !e.villages.names.is_empty() {
        how = how.noted(format!("按村名单：{}", e.villages.names.join("、")));
    }
    (n > 0).then(|| Made {
        label,
        printed: format!("{n}个"),
        how,
    })
}

/// The villages that left in all the register's years.
pub(crate) fn villages_exited(year: i32, reg: &Register) -> Made {
    let parts: Vec<Operand> = reg
        .exits
        .iter()
        .filter_map(|e| villages_of(year, reg, e))
        .map(|m| {
            let at = m.how.operands.first().and_then(|o| o.at.clone());
            let o = Operand::new(m.label, m.printed, m.how.result.clone());
            match at {
                Some(at) => o.at(at),
                None => o,
            }
        })
        .collect();
    let n: Decimal = parts.iter().map(|o| o.values[0]).sum();
    Made {
        label: format!("已{}{}", reg.labels.village_exit, reg.labels.village),
        printed: format!("{n}个"),
        how: Derivation::of(year, Op::Sum, parts, vec![n]).checked_by(&[Rule::RegisterVillages]),
    }
}

/// How many projects of the list are of `category` (all when `None`) and
/// in `status` (any when `None`).
pub(crate) fn projects_in(
    year: &Year,
    category: Option<&str>,
    status: Option<Status>,
) -> Option<Made> {
    let list = year.projects.as_ref()?;
    let pick = |p: &&Project| {
        category.is_none_or(|c| p.category == c) && status.is_none_or(|s| p.status == s)
    };
    let n = list.list.iter().filter(pick).count();
    let lines = list.list.iter().filter(pick).map(|p| p.line);
    let at = Source::spanning(&year.dir.join("projects.yaml"), lines);
    let mut which: Vec<String> = Vec::new();
    which.extend(category.map(|c| format!("类别为“{c}”")));
    which.extend(status.map(|s| format!("状态为“{}”", s.label())));
    let label = match which.is_empty() {
        true => "的项目".to_string(),
        false => format!("{}的项目", which.join("、")),
    };
    Some(Made {
        label: format!("项目清单中{label}"),
        printed: format!("{n}个"),
        how: count(year.year, &format!("项目清单中{label}"), n, "个", at)
            .checked_by(&[Rule::ProjectStatus]),
    })
}

/// How far this year's exits met the households target (the targets
/// table's 户数 row; the register's named rate, of persons, is
/// [`Builtin::TargetRate`]).
pub(crate) fn households_target_rate(
    c: &CiteTable,
    y: i32,
    (reg, rm): (&Register, &RegisterMetrics),
) -> Option<Made> {
    let goal = reg.targets.as_ref()?.households?;
    let done = rm.this_year?.households?;
    let rate = rm.target_households?;
    let done_name = Name::Builtin(if rm.this_year_planned {
        Builtin::ThisYearPlanned
    } else {
        Builtin::ThisYear
    });
    let target = Name::Builtin(Builtin::TargetReduction);
    let d = Operand::new(c.key(done_name), format!("{done}户"), vec![done]);
    let g = super::number(c.key(target), format!("{}户", goal.v), goal, &reg.file);
    let ops = vec![
        super::cited(c, d, done_name),
        super::cited(c, g.role(Role::Over), target),
    ];
    Some(Made {
        label: format!("{}户数完成率", reg.labels.reduction),
        printed: crate::analysis::metrics::pct(rate, 1),
        how: super::ratio(y, ops, 1)?,
    })
}

/// Those the register's dynamic management added over the years (a
/// monitored population's 历年新识别).
pub(crate) fn added(y: i32, reg: &Register) -> Option<Made> {
    let ops: Vec<Operand> = reg
        .adjustments
        .iter()
        .filter_map(|a| super::pair("动态调整新增", &a.added, &reg.file))
        .collect();
    let sum = crate::analysis::metrics::added_by_adjustments(reg);
    let printed = crate::analysis::metrics::pair_text(sum);
    (!ops.is_empty() && !printed.is_empty()).then(|| Made {
        label: "历年新识别".into(),
        printed,
        how: Derivation::of(y, Op::Sum, ops, super::sum2_values(sum))
            .checked_by(&[Rule::RegisterGap]),
    })
}

/// A part of the special funds as a share of them (a source's in the
/// funds chart): `part` printed `text`, the figure of `name`.
pub(crate) fn share(
    c: &CiteTable,
    y: i32,
    (label, text, value, name): (String, String, Decimal, Name),
    total: Decimal,
) -> Option<Made> {
    let whole = Name::Builtin(Builtin::SpecialFunds);
    let part = super::cited(c, Operand::new(c.key(name), text, vec![value]), name);
    let all = Operand::new(c.key(whole), c.get(whole)?.to_string(), vec![total]).role(Role::Over);
    let how = super::ratio(y, vec![part, super::cited(c, all, whole)], 1)?;
    Some(Made {
        label,
        printed: crate::analysis::metrics::pct(how.result[0], 1),
        how,
    })
}

/// Categories folded into one (the funds chart's 其他): their funds, share
/// of the special funds and projects, each the sum of theirs; the
/// projects only when every one has them.
pub(crate) fn folded(
    c: &CiteTable,
    y: i32,
    parts: &[&crate::analysis::metrics::Share],
    (unit, prec, total): (&str, u32, Decimal),
) -> Option<[Option<Made>; 3]> {
    let funds: Vec<Operand> = parts
        .iter()
        .map(|s| {
            let name = Name::CategoryFunds(&s.name);
            let text = c
                .get(name)
                .map_or_else(|| s.amount.to_string(), str::to_string);
            super::cited(c, Operand::new(c.key(name), text, vec![s.amount]), name)
        })
        .collect();
    let amount: Decimal = parts.iter().map(|s| s.amount).sum();
    let printed = format!("{}{unit}", num::amount(amount, prec));
    let sum = Derivation::of(y, Op::Sum, funds, vec![amount])
        .rounded(prec)
        .checked_by(&[Rule::FundsCategories]);
    let at = Source::span(sum.sources());
    let mut other = Operand::new("其他（合并的类别）", printed.clone(), vec![amount]);
    other.at = at;
    let whole = Name::Builtin(Builtin::SpecialFunds);
    let all = Operand::new(c.key(whole), c.get(whole)?.to_string(), vec![total]).role(Role::Over);
    let share = super::ratio(y, vec![other, super::cited(c, all, whole)], 1).map(|how| Made {
        label: "其他占比".into(),
        printed: crate::analysis::metrics::pct(how.result[0], 1),
        how,
    });
    let projects = parts
        .iter()
        .map(|s| {
            let name = Name::CategoryProjects(&s.name);
            let n = Decimal::from(s.projects?);
            Some(super::cited(
                c,
                Operand::new(c.key(name), format!("{n}个"), vec![n]),
                name,
            ))
        })
        .collect::<Option<Vec<Operand>>>()
        .map(|ops| {
            let n: Decimal = ops.iter().map(|o| o.values[0]).sum();
            Made {
                label: "其他项目".into(),
                printed: format!("{n}个"),
                how: Derivation::of(y, Op::Sum, ops, vec![n]).checked_by(&[Rule::FundsProjects]),
            }
        });
    let amount = Made {
        label: "其他资金".into(),
        printed,
        how: sum,
    };
    Some([Some(amount), share, projects])
}
