//! projects.yaml: each project's id, status, money and dates.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::diag::Rule;
use crate::input::Src;
use crate::model::raw;
use crate::model::*;
use crate::validate::Checker;
use crate::validate::findings::At;

impl Checker<'_> {
    pub(crate) fn projects(&mut self, src: &Src<raw::ProjectsFile>) -> Projects {
        let file = src.path.as_path();
        let mut ids: BTreeSet<String> = BTreeSet::new();
        let mut list = Vec::new();
        // Set when a project could not be read: sums over the list would
        // then disagree with the funds for that reason alone.
        let mut incomplete = false;
        for (i, p) in src.data.projects.iter().enumerate() {
            let field = format!("projects[{i}]");
            let at = At {
                file,
                field: &field,
            };
            let id = p.id.s.trim().to_string();
            if !ids.insert(id.clone()) {
                self.error(
                    Rule::ProjectId,
                    at,
                    p.id.at,
                    format!("项目编号“{id}”重复"),
                    Some("每个项目的 id 须唯一"),
                );
            }
            match self.project(at, p, &id) {
                Some(project) => list.push(project),
                None => incomplete = true,
            }
        }
        Projects {
            incomplete,
            illustrative: src
                .data
                .illustrative
                .as_ref()
                .map(|t| t.s.trim().to_string()),
            list,
        }
    }

    /// One project; none when its status or its money cannot be read.
    fn project(&mut self, at: At, p: &raw::Project, id: &str) -> Option<Project> {
        let status = match Status::parse(p.status.s.trim()) {
            Some(status) => status,
            None => {
                let other = p.status.s.trim();
                self.error(
                    Rule::ProjectStatus,
                    at,
                    p.status.at,
                    format!("项目状态“{other}”无法识别"),
                    Some("status 写 未开工、在建 或 已完工"),
                );
                return None;
            }
        };
        let budget = self.amount(at, Some(p.budget), "项目资金")?;
        let spent = self.amount(at, p.spent, "已支出");
        if let Some(s) = spent
            && s.v > budget.v
        {
            self.warn(
                Rule::ProjectSpending,
                at,
                s.at,
                format!("项目“{id}”已支出 {} 超过安排资金 {}", s.v, budget.v),
                None,
            );
        }
        self.project_dates(at, p, id, status);
        if status == Status::Planned && spent.is_some_and(|s| !s.v.is_zero()) {
            self.warn(
                Rule::ProjectSpending,
                at,
                p.status.at,
                format!("项目“{id}”未开工却已有支出"),
                None,
            );
        }
        // Not printed yet, but checked like every 户/人 pair.
        if let Some(b) = &p.beneficiaries {
            self.pair(at, b.households, b.persons);
        }
        Some(Project {
            line: p.id.at.line,
            name: p.name.s.trim().to_string(),
            category: p.category.s.trim().to_string(),
            town: p.town.as_ref().map(|t| t.s.trim().to_string()),
            village: p.village.as_ref().map(|t| t.s.trim().to_string()),
            batch: p.batch.as_ref().map(|t| t.s.trim().to_string()),
            budget,
            spent,
            status,
        })
    }

    /// Start and end: dates or months, the end not before the start, and
    /// a completed project's end given.
    fn project_dates(&mut self, at: At, p: &raw::Project, id: &str, status: Status) {
        let start = p.start.as_ref().and_then(|t| self.day_or_month(at, t));
        let end = p.end.as_ref().and_then(|t| self.day_or_month(at, t));
        // A month alone (2023-05, 2023年5月) is compared by its month.
        let by_month = |(d, month): (NaiveDate, bool), other: bool| {
            let m = chrono::Datelike::month(&d);
            let y = chrono::Datelike::year(&d);
            if month || other {
                (y, m, 1)
            } else {
                (y, m, chrono::Datelike::day(&d))
            }
        };
        if let (Some(s), Some(e)) = (start, end)
            && by_month(e, s.1) < by_month(s, e.1)
        {
            let (s, e) = (s.0, e.0);
            let pos = p.end.as_ref().map(|t| t.at).unwrap_or_default();
            self.error(
                Rule::ProjectDates,
                at,
                pos,
                format!("项目“{id}”完工日期 {e} 早于开工日期 {s}"),
                None,
            );
        }
        if status == Status::Completed && p.end.is_none() {
            self.warn(
                Rule::ProjectDates,
                at,
                p.status.at,
                format!("项目“{id}”已完工但没有完工日期（end）"),
                None,
            );
        }
    }
}
