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
    pub(crate) fn plan(&mut self, src: &Src<raw::PlanFile>, year: i32) -> Option<Plan> {
        let file = src.path.as_path();
        let p = &src.data;
        let plan_year = match p.year {
            Some(y) => {
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
            None => year + 1,
        };
        let kind = self.kind(file, p.kind.as_ref(), DocKind::PLAN, DocKind::Plan);
        let chapters = match &p.chapters {
            Some(c) => self.chapter_specs(file, c, shape::Builtin::PLAN_NAMES),
            None => Chapter::defaults(kind),
        };
        self.task_groups(file, &chapters, &p.tasks);
        Some(Plan {
            year: plan_year,
            title: {
                let own = crate::validate::report::lines(p.title_lines.as_ref());
                (!own.is_empty())
                    .then(|| own.concat())
                    .or_else(|| p.title.as_ref().map(|t| t.s.trim().to_string()))
            },
            title_lines: crate::validate::report::lines(p.title_lines.as_ref()),
            kind,
            theme: p
                .theme
                .as_ref()
                .map(|t| t.s.trim().to_string())
                .unwrap_or_default(),
            issued: self.dated(file, "issued", p.issued.as_ref(), year),
            chapters,
            closing: p.closing.as_ref().map(|t| self.prose(file, t)),
            tables: p.tables.unwrap_or(false),
            intro: p.intro.as_ref().map(|t| self.prose(file, t)),
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
