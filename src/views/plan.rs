//! The 计划 (next year's work plan) as a view for the templates: 指导思想,
//! 目标任务 (targets beside this year's achieved figures), 重点工作 with the
//! responsibility table, 续建项目 (this year's unfinished projects, carried
//! over with their remaining budget), 时间安排 and 保障措施. The 总结's
//! 下步工作计划 reads the same tasks.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::analysis::metrics::{RegisterMetrics, YearMetrics, pct};
use crate::model::cite::{Builtin, Name};
use crate::model::num;
use crate::model::shape;
use crate::model::{self, *};
use crate::views::escape::md_escape;
use crate::views::narrative::Rendered;
use crate::views::{self, Cell, Chapter, Item, SearchText, Section, Table, ViewBuilder, cn_date};

/// Everything the 计划 templates see.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PlanView {
    pub(crate) title: String,
    /// The title in its lines (GB/T 9704 7.3.3), for print and Word.
    pub(crate) title_lines: Vec<String>,
    pub(crate) office: String,
    pub(crate) office_slug: String,
    /// The report year (folder) and the year planned.
    pub(crate) year: i32,
    pub(crate) plan_year: i32,
    pub(crate) root: String,
    /// `plan` (for the shared breadcrumb template).
    pub(crate) kind: &'static str,
    /// Whether the year has a report to link to, and what it and this
    /// document are called in links.
    pub(crate) has_report: bool,
    pub(crate) doc_name: &'static str,
    pub(crate) report_name: &'static str,
    pub(crate) intro: Option<Rendered>,
    pub(crate) chapters: Vec<Chapter>,
    /// 结束语.
    pub(crate) closing: Option<Rendered>,
    pub(crate) signature: String,
    /// Stamped or not, and Word's faces.
    pub(crate) print: crate::model::Print,
    pub(crate) date: Option<String>,
    /// A draft (`build --drafts`): marked 草稿 on every page.
    pub(crate) draft: bool,
}

impl PlanView {
    /// The document's words, for the search index.
    pub(crate) fn search_text(&self) -> String {
        let mut t = SearchText::default();
        t.text(&self.title);
        if let Some(p) = &self.intro {
            t.prose(p);
        }
        for c in &self.chapters {
            c.search_text(&mut t);
        }
        if let Some(p) = &self.closing {
            t.prose(p);
        }
        t.finish()
    }
}

/// Whether the year's plan.yaml makes a document of its own. A year with a
/// report prints the plan's tasks as the report's 下步 chapter; a separate
/// 计划 is made only where the office wrote one: a year with no report, or
/// a plan with what only a 计划 prints (its title, kind or date, 指导思想,
/// targets, tasks in groups or with who is responsible, printed tables,
/// phases, safeguards, chapters of its own).
pub(crate) fn has_document(year: &Year) -> bool {
    let Some(p) = &year.plan else {
        return false;
    };
    let duties = p.tasks.iter().any(|t| {
        t.group.is_some()
            || t.lead.is_some()
            || t.deputy.is_some()
            || t.unit.is_some()
            || t.deadline.is_some()
    });
    !year.has_report
        || duties
        || p.tables
        || p.title.is_some()
        || p.issued.is_some()
        || p.kind != crate::model::DocKind::Plan
        || p.guiding.is_some()
        || !p.targets.is_empty()
        || !p.phases.is_empty()
        || !p.safeguards.is_empty()
        || p.chapters
            .iter()
            .any(|c| matches!(c, crate::model::Chapter::Own(_)))
}

/// Build the 计划 of a year that has plan data. Errors are narrative
/// citation problems.
pub(crate) fn plan_view(
    office: &Office,
    (year, plan): (&Year, &Plan),
    m: &YearMetrics,
) -> PlanView {
    let mut b = ViewBuilder::new(&m.cite, year);
    let intro = plan.intro.as_ref().map(|p| b.prose(p, false));
    let chapters = views::chapters(
        &mut b,
        &plan.chapters,
        plan.kind,
        |b, which, spec| {
            let group = match spec {
                model::Chapter::Builtin { group, .. } => group.as_deref(),
                model::Chapter::Own(_) => None,
            };
            builtin_part(b, year, plan, m, which, group)
        },
        |_| Vec::new(),
    );
    let title = plan
        .title
        .clone()
        .unwrap_or_else(|| plan.kind.title(&office.short_name, plan.year, &plan.theme));
    PlanView {
        title_lines: crate::views::title_lines(&title, &plan.title_lines, office),
        title,
        office: office.name.clone(),
        office_slug: office.slug.clone(),
        year: year.year,
        plan_year: plan.year,
        root: "../../".into(),
        kind: "plan",
        has_report: year.has_report,
        doc_name: plan.kind.name(),
        report_name: year.kind.name(),
        intro,
        chapters,
        closing: plan.closing.as_ref().map(|p| b.prose(p, false)),
        signature: office.signature.clone(),
        print: office.print.clone(),
        date: plan.issued.or(year.issued).map(cn_date),
        draft: year.draft,
    }
}

/// A part of the plan that nianbao fills from plan.yaml (empty when the
/// plan has none of it).
fn builtin_part(
    b: &mut ViewBuilder,
    year: &Year,
    plan: &Plan,
    m: &YearMetrics,
    which: shape::Builtin,
    group: Option<&str>,
) -> Chapter {
    let mut c = Chapter::default();
    // The targets table is the chapter; the others are generated beside
    // the office's text, printed when it asks for them.
    b.printing(
        which == shape::Builtin::Targets
            || model::Chapter::tables_print(&plan.chapters, which, plan.tables),
    );
    match which {
        shape::Builtin::Guiding => c.extra = plan.guiding.as_ref().map(|g| b.prose(g, false)),
        shape::Builtin::Targets if !plan.targets.is_empty() => {
            c.tables = vec![targets_table(b, year, plan, m.register.as_ref())];
        }
        shape::Builtin::Tasks if !plan.tasks.is_empty() => {
            let (items, sections, tables) = tasks(b, plan, group);
            (c.items, c.sections, c.tables) = (items, sections, tables);
        }
        shape::Builtin::CarriedOver => {
            if let Some((body, said, table)) = carried_over(b, year, plan) {
                c.extra = Some(body);
                c.extra_said = Some(said);
                c.tables = vec![table];
            }
        }
        shape::Builtin::Phases => c.items = phase_items(b, plan),
        shape::Builtin::Safeguards => c.items = safeguard_items(b, plan),
        _ => {}
    }
    c
}

/// 目标任务: each target, and where it continues a register figure, this
/// year's target, what was achieved (or planned) and the completion rate —
/// the same numbers as the 总结's table.
fn targets_table(
    b: &mut ViewBuilder,
    year: &Year,
    plan: &Plan,
    rm: Option<&RegisterMetrics>,
) -> Table {
    let targets = year.register.as_ref().and_then(|r| r.targets.as_ref());
    let compare = plan.targets.iter().any(|t| t.compare.is_some()) && rm.is_some();
    let mut rows = Vec::new();
    for t in &plan.targets {
        let mut row = vec![
            Cell::from(t.label.clone()),
            b.fig(Name::Target(&t.label), target_value(t)),
        ];
        if compare {
            let this_year = match (t.compare, rm, targets) {
                (Some(c), Some(rm), Some(tg)) => this_year_against(b, c, rm, tg),
                _ => ["—".into(), "—".into(), "—".into()],
            };
            row.extend(this_year);
        }
        rows.push(row);
    }
    let next = format!("{}年目标", plan.year);
    if compare {
        let planned = rm.is_some_and(|r| r.this_year_planned);
        let this_t = format!("{}年目标", year.year);
        let this_d = format!(
            "{}年{}",
            year.year,
            if planned { "预计完成" } else { "完成" }
        );
        b.table(
            "目标任务",
            &["指标", &next, &this_t, &this_d, "完成率"],
            rows,
            &[false, true, true, true, true],
        )
    } else {
        b.table("目标任务", &["指标", &next], rows, &[false, true])
    }
}

/// A target as written: its value and unit (a plan's target, not its rate).
fn target_value(t: &Figure) -> String {
    let unit = t.unit.as_deref().unwrap_or("");
    match &t.kind {
        FigureKind::Value { value } | FigureKind::Plan { value, .. } => {
            format!("{}{unit}", num::written(value.v))
        }
        _ => crate::analysis::metrics::figure_text(t, ""),
    }
}

/// This year's target of the register figure a target continues, what was
/// achieved (or planned) and the rate, each opened at the name it prints.
fn this_year_against(b: &ViewBuilder, c: Compare, rm: &RegisterMetrics, tg: &Targets) -> [Cell; 3] {
    let this = rm.this_year;
    let (target, done, rate) = match c {
        Compare::Persons => (tg.persons, this.and_then(|s| s.persons), rm.target_persons),
        Compare::Households => (
            tg.households,
            this.and_then(|s| s.households),
            rm.target_households,
        ),
        Compare::Villages => (
            tg.villages,
            Some(Decimal::from(rm.this_year_villages)),
            rm.target_villages,
        ),
    };
    let planned = rm.this_year_planned;
    let (u, names) = match c {
        Compare::Persons => ("人", CompareNames::pair(planned, Some(Builtin::TargetRate))),
        Compare::Households => ("户", CompareNames::pair(planned, None)),
        Compare::Villages => ("个", CompareNames::villages(planned)),
    };
    let cell = |text: Option<String>, name: Option<Builtin>| match (text, name) {
        (Some(t), Some(n)) => b.fig(Name::Builtin(n), t),
        (Some(t), None) => t.into(),
        (None, _) => "—".into(),
    };
    [
        cell(
            target.map(|n| format!("{}{u}", n.v.normalize())),
            Some(names.target),
        ),
        cell(
            done.map(|d| format!("{}{u}", d.normalize())),
            Some(names.done),
        ),
        cell(rate.map(|r| pct(r, 1)), names.rate),
    ]
}

/// The names of this year's target, what was done and the rate, as the
/// year's table has them.
struct CompareNames {
    target: Builtin,
    done: Builtin,
    rate: Option<Builtin>,
}

impl CompareNames {
    fn pair(planned: bool, rate: Option<Builtin>) -> Self {
        CompareNames {
            target: Builtin::TargetReduction,
            done: if planned {
                Builtin::ThisYearPlanned
            } else {
                Builtin::ThisYear
            },
            rate,
        }
    }

    fn villages(planned: bool) -> Self {
        CompareNames {
            target: Builtin::TargetVillages,
            done: if planned {
                Builtin::ThisYearPlannedVillages
            } else {
                Builtin::ThisYearVillages
            },
            rate: Some(Builtin::VillageTargetRate),
        }
    }
}

/// The headings of a task's responsibilities, in [`duties`]' order.
const DUTIES: [&str; 4] = ["责任领导", "分管领导", "责任单位", "工作时限"];

/// The task's responsibilities, by heading: 责任领导, 分管领导, 责任单位, 工作时限.
fn duties(t: &Task) -> [(&'static str, &Option<String>); 4] {
    let values = [&t.lead, &t.deputy, &t.unit, &t.deadline];
    [0, 1, 2, 3].map(|k| (DUTIES[k], values[k]))
}

/// 重点工作: each task with its responsibilities after it, by group (a
/// （一） section of its own, its tasks numbered 1. 2. …) where the tasks
/// have groups; and a table of the tasks that have any responsibility, with
/// a column for each responsibility some task has.
fn tasks(
    b: &mut ViewBuilder,
    plan: &Plan,
    only: Option<&str>,
) -> (Vec<Item>, Vec<Section>, Vec<Table>) {
    let mut items = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut rows = Vec::new();
    let used = duties_used(plan);
    let chosen: Vec<(usize, &Task)> = plan
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| only.is_none_or(|g| t.group.as_deref() == Some(g)))
        .collect();
    // The tasks outside groups: （一）（二）…, or the next level where their
    // text counts that way itself.
    let loose: Vec<&str> = chosen
        .iter()
        .filter(|(_, t)| t.group.is_none() || only.is_some())
        .map(|(_, t)| t.text.text.as_str())
        .collect();
    let mut ordinals = shape::Ordinals::Level(2).of_items(&loose).into_iter();
    for (i, t) in chosen {
        let text = b.prose(&t.text, true);
        let meta = duty_note(t);
        if meta.is_some() {
            rows.push(duty_row(i, t, &text, &used));
        }
        match t.group.as_ref().filter(|_| only.is_none()) {
            Some(g) => add_to_group(&mut sections, g, text, meta),
            None => items.push(Item::new(
                ordinals.next().unwrap_or_default(),
                None,
                text,
                meta,
            )),
        }
    }
    // One group's chapter carries its duties in its lines; the table is the
    // whole plan's.
    if rows.is_empty() || only.is_some() {
        return (items, sections, Vec::new());
    }
    let table = duties_table(b, rows, &used);
    (items, sections, vec![table])
}

/// Which responsibilities (in [`DUTIES`]' order) some task of the plan has.
fn duties_used(plan: &Plan) -> Vec<bool> {
    (0..4)
        .map(|k| plan.tasks.iter().any(|t| duties(t)[k].1.is_some()))
        .collect()
}

/// `（责任领导：…；责任单位：…）` after a task; `None` when it has none.
fn duty_note(t: &Task) -> Option<String> {
    let meta: Vec<String> = duties(t)
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}：{v}")))
        .collect();
    (!meta.is_empty()).then(|| format!("（{}）", meta.join("；")))
}

/// The `i`-th task's row of the responsibility table: its number, its gist
/// and each responsibility some task has.
fn duty_row(i: usize, t: &Task, text: &Rendered, used: &[bool]) -> Vec<Cell> {
    let mut row = vec![Cell::from((i + 1).to_string()), gist(&text.md).into()];
    for (k, (_, v)) in duties(t).iter().enumerate() {
        if used[k] {
            row.push(v.as_deref().unwrap_or("—").into());
        }
    }
    row
}

/// A task of group `g` as the next item of its section, opening a new
/// （一） section when the group changes.
fn add_to_group(sections: &mut Vec<Section>, g: &str, text: Rendered, meta: Option<String>) {
    if sections.last().is_none_or(|s| s.title != g) {
        sections.push(Section {
            number: if shape::numbered(g) {
                String::new()
            } else {
                shape::number(2, sections.len() + 1)
            },
            title: g.to_string(),
            body: None,
            tables: Vec::new(),
            charts: Vec::new(),
            subs: Vec::new(),
            items: Vec::new(),
        });
    }
    if let Some(s) = sections.last_mut() {
        let ordinal = if shape::counts_itself(&text.md) {
            String::new()
        } else {
            format!("{}.", s.items.len() + 1)
        };
        s.items.push(Item::new(ordinal, None, text, meta));
    }
}

/// 重点工作责任分工: the tasks that have any responsibility, a column for
/// each responsibility some task has.
fn duties_table(b: &mut ViewBuilder, rows: Vec<Vec<Cell>>, used: &[bool]) -> Table {
    let mut head = vec!["序号", "工作任务"];
    head.extend(
        DUTIES
            .iter()
            .zip(used)
            .filter(|(_, u)| **u)
            .map(|(k, _)| *k),
    );
    let mut numeric = vec![true];
    numeric.resize(head.len(), false);
    b.table("重点工作责任分工", &head, rows, &numeric)
}

/// Projects not completed this year, carried over with their remaining
/// budget, in a sentence (its figures in runs, to open on the web page)
/// and a table; `None` when every project is finished or there is no list.
fn carried_over(b: &mut ViewBuilder, year: &Year, plan: &Plan) -> Option<(Rendered, Cell, Table)> {
    let projects = year.projects.as_ref()?;
    let open: Vec<&Project> = projects
        .list
        .iter()
        .filter(|p| p.status != Status::Completed)
        .collect();
    if open.is_empty() {
        return None;
    }
    let funds = year.funds.as_ref();
    let unit = funds.map_or("万元", |f| f.unit.as_str());
    let prec = funds.map_or(2, |f| f.precision);
    let made = crate::analysis::provenance::made::carried_over(year, &open, (unit, prec));
    let list = year.dir.join("projects.yaml");
    // A number of the list, as the table prints it: it opens its line.
    let datum = |p: &Project, what: &str, n: crate::model::raw::N| {
        let text = num::amount(n.v, prec);
        let label = (format!("{}{what}", p.name), format!("{text}{unit}"));
        let m = crate::analysis::provenance::made::datum(year.year, label, (n, &list), &[]);
        Cell::made(text, m)
    };
    let rows = open
        .iter()
        .zip(&made.left)
        .map(|(p, left)| {
            vec![
                p.name.clone().into(),
                p.category.clone().into(),
                p.village
                    .clone()
                    .or_else(|| p.town.clone())
                    .unwrap_or_else(|| "—".into())
                    .into(),
                datum(p, "安排资金", p.budget),
                p.spent.map_or("—".into(), |s| datum(p, "已支出", s)),
                Cell::made(num::amount(left.how.result[0], prec), left.clone()),
                Cell::from(p.status.label()),
            ]
        })
        .collect();
    let said = carried_over_sentence(year, plan, &made);
    let md = md_escape(&said.text);
    let body = Rendered {
        html: crate::views::narrative::to_html(&md, false),
        md,
    };
    let table = b.table(
        "续建项目",
        &[
            "项目名称",
            "类别",
            "地点",
            &format!("安排资金（{unit}）"),
            &format!("已支出（{unit}）"),
            &format!("尚需资金（{unit}）"),
            "状态",
        ],
        rows,
        &[false, false, false, true, true, true, false],
    );
    Some((body, said, table))
}

/// 2017年未完工项目12个（在建12个、未开工0个），安排资金…，结转2018年续建，
/// 尚需资金…。
fn carried_over_sentence(
    year: &Year,
    plan: &Plan,
    made: &crate::analysis::provenance::made::CarriedOver,
) -> Cell {
    let fig =
        |m: &crate::analysis::provenance::made::Made| Cell::made(m.printed.clone(), m.clone());
    Cell::of_runs(vec![
        format!("{}年未完工项目", year.year).into(),
        fig(&made.count),
        "（在建".into(),
        fig(&made.started),
        "、未开工".into(),
        fig(&made.not_started),
        "），安排资金".into(),
        fig(&made.budget),
        format!("，结转{}年续建，尚需资金", plan.year.max(year.year + 1)).into(),
        fig(&made.remaining),
        "。".into(),
    ])
}

/// 时间安排: each phase, 1. 2. …, its name in bold and its deadline after
/// it (`1.**调查摸底阶段**（1月底前）…`): bold that ends in a word, read the
/// same by every Markdown reader, HTML and Word.
fn phase_items(b: &ViewBuilder, plan: &Plan) -> Vec<Item> {
    plan.phases
        .iter()
        .enumerate()
        .map(|(i, ph)| {
            let text = ph
                .text
                .as_ref()
                .map(|t| b.prose(t, true))
                .unwrap_or_default();
            let deadline = format!("（{}）", ph.deadline);
            let html_deadline = crate::views::escape::html_escape(&deadline);
            let html = match text.html.strip_prefix("<p>") {
                Some(rest) => format!("<p>{html_deadline}{rest}"),
                None => format!("{html_deadline}{}", text.html),
            };
            let text = Rendered {
                md: format!("{}{}", md_escape(&deadline), text.md),
                html,
            };
            Item::new(format!("{}.", i + 1), Some(ph.name.clone()), text, None)
        })
        .collect()
}

/// 保障措施: each safeguard, 一是, 二是 …
fn safeguard_items(b: &ViewBuilder, plan: &Plan) -> Vec<Item> {
    let texts: Vec<&str> = plan.safeguards.iter().map(|s| s.text.as_str()).collect();
    let ordinals = shape::Ordinals::Is.of_items(&texts);
    plan.safeguards
        .iter()
        .zip(ordinals)
        .map(|(s, o)| Item::new(o, None, b.prose(s, true), None))
        .collect()
}

/// The gist of a task for the responsibility table: its first clause, as
/// plain text.
fn gist(md: &str) -> String {
    let plain: String = md.replace('\\', "").replace("**", "");
    let plain = plain.trim();
    let end = plain
        .char_indices()
        .find(|(_, c)| matches!(c, '。' | '；' | '，' | '：'))
        .map_or(plain.len(), |(i, _)| i);
    let first = &plain[..end];
    if first.chars().count() > 40 {
        first.chars().take(39).collect::<String>() + "…"
    } else {
        first.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::gist;

    #[test]
    fn gist_is_the_first_clause() {
        assert_eq!(gist("因户施策，确保住房保障达标。通过……"), "因户施策");
        assert_eq!(
            gist("2018年要完成剩余贫困人口脱贫；"),
            "2018年要完成剩余贫困人口脱贫"
        );
    }
}
