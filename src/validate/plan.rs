//! plan.yaml: the plan (工作方案) and its task groups.

use std::path::Path;

use crate::diag::{Pos, Rule};
use crate::input::Src;
use crate::model::raw::{self};
use crate::model::shape;
use crate::model::*;
use crate::validate::Checker;
use crate::validate::findings::At;

impl Checker<'_> {
    /// plan.yaml; `old` is the report.yaml of a plan-only year in the
    /// shape before `kind: 工作方案` (see [`old_plan_only`]): its title,
    /// theme, date, opening and closing are the plan's where plan.yaml has
    /// none, as that format had them.
    pub(crate) fn plan(
        &mut self,
        src: &Src<raw::PlanFile>,
        year: i32,
        old: Option<&Src<raw::ReportFile>>,
    ) -> Option<Plan> {
        let file = src.path.as_path();
        let p = &src.data;
        let o = old.map(|o| &o.data);
        let ofile = old.map_or(file, |o| o.path.as_path());
        let plan_year = self.plan_year(file, p, year);
        let kind = match (&p.kind, o.and_then(|o| o.title.as_ref())) {
            (None, Some(t)) if t.s.trim().ends_with("方案") => DocKind::Programme,
            _ => self.kind(file, p.kind.as_ref(), DocKind::PLAN, DocKind::Plan),
        };
        let theme = p.theme.as_ref().or(o.map(|o| &o.theme));
        let issued = match (&p.issued, o.and_then(|o| o.issued.as_ref())) {
            (None, Some(t)) => self.dated(ofile, "issued", Some(t), year),
            (t, _) => self.dated(file, "issued", t.as_ref(), year),
        };
        let intro = match (&p.intro, o) {
            (None, Some(o)) => Some(self.prose(ofile, &o.intro)),
            (t, _) => t.as_ref().map(|t| self.prose(file, t)),
        };
        let closing = match (&p.closing, o.and_then(|o| o.closing.as_ref())) {
            (None, Some(t)) => Some(self.prose(ofile, t)),
            (t, _) => t.as_ref().map(|t| self.prose(file, t)),
        };
        let chapters = match &p.chapters {
            Some(c) => self.chapter_specs(file, c, shape::Builtin::PLAN_NAMES),
            None => Chapter::defaults(kind),
        };
        self.task_groups(file, &chapters, &p.tasks);
        Some(Plan {
            year: plan_year,
            title: {
                let own = crate::validate::report::lines(p.title_lines.as_ref());
                (!own.is_empty()).then(|| own.concat()).or_else(|| {
                    p.title
                        .as_ref()
                        .or(o.and_then(|o| o.title.as_ref()))
                        .map(|t| t.s.trim().to_string())
                })
            },
            title_lines: crate::validate::report::lines(p.title_lines.as_ref()),
            kind,
            theme: theme.map(|t| t.s.trim().to_string()).unwrap_or_default(),
            issued,
            chapters,
            closing,
            tables: p.tables.or(o.and_then(|o| o.tables)).unwrap_or(false),
            intro,
            guiding: p.guiding.as_ref().map(|t| self.prose(file, t)),
            targets: self.figures(file, "targets", &p.targets),
            tasks: p
                .tasks
                .iter()
                .map(|t| Task {
                    text: self.prose(file, &t.text),
                    group: t.group.as_ref().map(|t| t.s.trim().to_string()),
                    lead: t.lead.as_ref().map(|t| t.s.trim().to_string()),
                    deputy: t.deputy.as_ref().map(|t| t.s.trim().to_string()),
                    unit: t.unit.as_ref().map(|t| t.s.trim().to_string()),
                    deadline: t.deadline.as_ref().map(|t| t.s.trim().to_string()),
                })
                .collect(),
            phases: p
                .phases
                .iter()
                .map(|ph| Phase {
                    name: ph.name.s.trim().to_string(),
                    text: ph.text.as_ref().map(|t| self.prose(file, t)),
                    deadline: ph.deadline.s.trim().to_string(),
                })
                .collect(),
            safeguards: p.safeguards.iter().map(|t| self.prose(file, t)).collect(),
        })
    }

    /// The plan's year: the report's or the next (the next when unsaid).
    fn plan_year(&mut self, file: &Path, p: &raw::PlanFile, year: i32) -> i32 {
        let Some(y) = p.year else { return year + 1 };
        let v: i32 = y.v.try_into().unwrap_or(0);
        if v != year && v != year + 1 {
            self.error(
                Rule::PlanYear,
                At {
                    file,
                    field: "year",
                },
                y.at,
                format!("计划年度 {} 应为 {year} 或 {}", y.v, year + 1),
                None,
            );
        }
        v
    }

    /// A chapter of one group's tasks names a group some task has.
    fn task_groups(&mut self, file: &Path, chapters: &[Chapter], tasks: &[raw::Task]) {
        for (i, c) in chapters.iter().enumerate() {
            let Chapter::Builtin { group: Some(g), .. } = c else {
                continue;
            };
            let known = tasks
                .iter()
                .any(|t| t.group.as_ref().is_some_and(|x| x.s.trim() == g));
            if !known {
                let field = format!("chapters[{i}].group");
                self.error(
                    Rule::FieldValue,
                    At {
                        file,
                        field: &field,
                    },
                    Pos::default(),
                    format!("没有 group 为“{g}”的任务"),
                    Some("tasks 中给任务写 group: 同一名称"),
                );
            }
        }
    }
}

/// A year in the shape of plan-only offices before `kind: 工作方案`
/// (December 2026): report.yaml held the 方案's title, theme, date and
/// opening, plan.yaml the rest, and nothing else was there. Such a year
/// makes its 方案 alone, as it meant to, not a 总结 of its opening.
pub(crate) fn old_plan_only(f: &crate::input::YearFiles) -> Option<&Src<raw::ReportFile>> {
    let r = f.report.as_ref()?;
    let d = &r.data;
    let titled = d
        .title
        .as_ref()
        .is_some_and(|t| t.s.trim().ends_with("方案") || t.s.trim().ends_with("工作计划"));
    let alone = f.plan.is_some()
        && f.register.is_none()
        && f.funds.is_none()
        && f.projects.is_none()
        && f.measures.is_none()
        && f.problems.is_none();
    let report_only = d.kind.is_none()
        && d.chapters.is_none()
        && d.overview.is_none()
        && d.reconstructed.is_none()
        && d.illustrative.is_none();
    (titled && alone && report_only).then_some(r)
}
