//! office.yaml, and each year of the office put together from its files.

use std::path::Path;

use crate::diag::{Diagnostic, Pos, Rule};
use crate::input::{LoadedOffice, Src, YearSrc};
use crate::model::raw::{self, Text};
use crate::model::*;
use crate::validate::Checker;
use crate::validate::findings::At;
use crate::validate::report::Head;

impl Checker<'_> {
    /// `level` is one of the levels an office can be at. The format
    /// before the eras took any text here, and the level is never printed:
    /// a spelling of those days is told its name today, any other one is
    /// a warning, never an error.
    fn level(&mut self, file: &Path, level: Option<&Text>) {
        const LEVELS: &[&str] = &[
            "省级", "省", "市级", "市", "州", "盟", "区县", "县级", "县", "区", "旗", "乡镇", "乡",
            "镇", "街道", "部门", "村",
        ];
        let Some(t) = level.filter(|t| !LEVELS.contains(&t.s.trim())) else {
            return;
        };
        let at = At {
            file,
            field: "level",
        };
        let written = t.s.trim();
        let d = match crate::model::legacy::level(written) {
            Some(new) => crate::model::legacy::warning(
                format!("层级“{written}”现在写作“{new}”（旧写法仍可用）"),
                written,
                new,
            ),
            None => Diagnostic::warning(
                Rule::FieldValue,
                format!("不认识的层级“{written}”（层级不印入文档）"),
            )
            .hint("写 省级、市级、区县、乡镇 或 部门（也可写 县级、县、区、乡、镇、街道）"),
        };
        self.push(d.at(at.file, t.at).field(at.field));
    }

    pub(crate) fn office(&mut self, src: &LoadedOffice) -> Option<Office> {
        let Some(office) = &src.office else {
            if src.office_broken {
                return None;
            }
            let path = src.dir.join("office.yaml");
            self.push(
                Diagnostic::error(
                    Rule::OfficeFile,
                    format!("单位“{}”缺少 office.yaml", src.slug),
                )
                .at(&path, Pos::default())
                .hint("新建 office.yaml，至少写 name： 单位全称"),
            );
            return None;
        };
        let at = At {
            file: &office.path,
            field: "name",
        };
        let name = self.nonblank(at, &office.data.name)?;
        self.level(&office.path, office.data.level.as_ref());
        self.invisible(office);
        let short_name = office
            .data
            .short_name
            .as_ref()
            .map_or_else(|| name.clone(), |t| t.s.trim().to_string());
        // `signature: false`: a document with no 落款 at all (a 汇报 read
        // out at a meeting); the date, if any, still prints.
        let signature = match office.data.signature.as_ref().map(|t| t.s.trim()) {
            None => name.clone(),
            Some("false") => String::new(),
            Some(s) => s.to_string(),
        };
        let mut years: Vec<Year> = src
            .years
            .iter()
            .filter_map(|y| self.year(y, &short_name))
            .collect();
        years.sort_by_key(|y| y.year);
        if src.years.is_empty() {
            self.push(
                Diagnostic::warning(
                    Rule::OfficeYears,
                    format!("单位“{}”还没有任何年度数据", src.slug),
                )
                .at(&src.dir, Pos::default())
                .hint("新建年度文件夹，如 2017/report.yaml"),
            );
        }
        Some(Office {
            slug: src.slug.clone(),
            name,
            short_name,
            region: office.data.region.as_ref().map(|t| t.s.trim().to_string()),
            signature,
            years,
            units: office
                .data
                .units
                .iter()
                .map(|t| (t.s.trim().to_string(), t.at))
                .collect(),
            print: print(&office.data),
        })
    }

    /// A plan-only year in the shape before `kind: 工作方案` builds its
    /// 方案 alone, and is told where its report.yaml's keys go today.
    fn old_plan_only(&mut self, r: &Src<raw::ReportFile>) {
        let at = r.data.title.as_ref().map_or(r.data.theme.at, |t| t.at);
        self.push(
            Diagnostic::warning(
                Rule::FormatOld,
                "只有方案（计划）的年度的旧写法：现在不写 report.yaml，它的 title、theme、issued、intro 写在 plan.yaml 里，并写 kind: 工作方案（旧写法仍可用，只生成方案，不生成总结）",
            )
            .at(&r.path, at)
            .field("title")
            .rewrite("report.yaml", "plan.yaml")
            .hint("把这些键移到 plan.yaml，删掉 report.yaml；nianbao migrate 自动完成（原文件留作 .bak）"),
        );
    }

    /// A year of plan.yaml alone makes no 总结: what only a 总结 prints
    /// is checked and never printed, and the office is told so.
    fn unprinted(&mut self, src: &YearSrc) {
        let f = &src.files;
        let files = [
            ("measures.yaml", f.measures.is_some()),
            ("problems.yaml", f.problems.is_some()),
        ];
        for (name, present) in files {
            if present {
                self.push(
                    Diagnostic::warning(
                        Rule::ReportFile,
                        format!("{} 年度只有计划（plan.yaml），不生成总结：{name} 照常检查，但不印入任何文档", src.year),
                    )
                    .at(&src.dir.join(name), Pos::default())
                    .hint("要印出它，写 report.yaml（总结、汇报……）；只要计划时删掉这个文件"),
                );
            }
        }
    }

    /// No zero-width character in the office's names.
    fn invisible(&mut self, office: &Src<raw::OfficeFile>) {
        let names = [
            ("name", Some(&office.data.name)),
            ("short_name", office.data.short_name.as_ref()),
            ("signature", office.data.signature.as_ref()),
        ];
        for (field, t) in names {
            if let Some(t) = t.filter(|t| t.s.chars().any(is_zero_width)) {
                self.error(
                    Rule::TextInvisible,
                    At {
                        file: &office.path,
                        field,
                    },
                    t.at,
                    format!(
                        "“{field}”中有看不见的零宽字符，两个看起来相同的名称会被当成不同的单位"
                    ),
                    Some("删掉名称中的零宽字符（多半是从网页或 Word 复制带来的）"),
                );
            }
        }
    }

    /// The year's report head: report.yaml's, or none for a year of
    /// plan.yaml alone; a year without either is a draft or an error.
    fn head(&mut self, src: &YearSrc, short_name: &str) -> Option<Head> {
        let f = &src.files;
        match &f.report {
            Some(report) => self.report(report, src.year, short_name),
            // A year of plan.yaml alone makes its plan and no 总结.
            None if f.plan.is_some() => Some(Head::plan_only(src)),
            None if f.count() == 0 && f.broken.is_empty() => {
                self.push(
                    Diagnostic::warning(
                        Rule::YearEmpty,
                        format!("{} 年度还没有数据，作为草稿，暂不发布", src.year),
                    )
                    .at(&src.dir, Pos::default())
                    .hint("在这个文件夹里写 report.yaml（总结）或 plan.yaml（计划）；nianbao new <单位> <年度> 可从上一年度生成"),
                );
                None
            }
            // A draft's report that does not read yet: reported already.
            None if f.draft => None,
            None => {
                if !f
                    .broken
                    .iter()
                    .any(|n| n == "report.yaml" || n == "plan.yaml")
                {
                    self.push(
                        Diagnostic::error(
                            Rule::ReportFile,
                            format!("{} 年度缺少 report.yaml", src.year),
                        )
                        .at(&src.dir.join("report.yaml"), Pos::default())
                        .hint("report.yaml 写明 theme（工作主题）和 intro（导语），有成文日期时写 issued；只有计划（工作方案）的年度写 plan.yaml"),
                    );
                }
                None
            }
        }
    }

    fn year(&mut self, src: &YearSrc, short_name: &str) -> Option<Year> {
        self.rejected.clear();
        let f = &src.files;
        let old = crate::validate::plan::old_plan_only(f);
        let head = match old {
            Some(r) => {
                self.old_plan_only(r);
                Head::plan_only(src)
            }
            None => self.head(src, short_name)?,
        };
        let register = f.register.as_ref().and_then(|s| self.register(s, src.year));
        let projects = f.projects.as_ref().map(|s| self.projects(s));
        let funds = f.funds.as_ref().map(|s| self.funds(s));
        let measures = f
            .measures
            .as_ref()
            .map(|s| self.measures(s))
            .unwrap_or_default();
        let problems = f.problems.as_ref().map(|s| self.problems(s));
        let plan = f.plan.as_ref().and_then(|s| self.plan(s, src.year, old));

        let chapters = self.chapters(&head, &measures);
        if !head.has_report {
            self.unprinted(src);
        }
        let year = Year {
            year: src.year,
            dir: src.dir.clone(),
            title: head.title,
            title_lines: head.title_lines,
            as_of: head.as_of,
            issued: head.issued,
            intro: head.intro,
            overview: head.overview,
            reconstructed: head.reconstructed,
            illustrative: head.illustrative,
            has_report: head.has_report,
            draft: f.is_draft()
                || f.report.as_ref().and_then(|r| r.data.draft) == Some(true)
                || f.plan.as_ref().and_then(|p| p.data.draft) == Some(true),
            kind: head.kind,
            chapters,
            closing: head.closing,
            tables: head.tables,
            register,
            funds,
            projects,
            measures,
            problems,
            plan,
            rejected: std::mem::take(&mut self.rejected),
            unread: f.broken.clone(),
        };
        self.unique_labels(&year);
        Some(year)
    }
}

/// Characters that show nothing (zero-width, soft hyphen, fillers:
/// Unicode's Default_Ignorable_Code_Point, and the Hangul fillers that
/// print as blanks), so two names that look the same may differ by them.
fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// office.yaml's print settings: stamped unless `seal: false`; a face
/// named (not blank) in `fonts`.
fn print(o: &raw::OfficeFile) -> crate::model::Print {
    let f = o.fonts.as_ref();
    let face = |t: Option<&Text>| t.map(|t| t.s.trim().to_string()).filter(|s| !s.is_empty());
    crate::model::Print {
        seal: o.seal.unwrap_or(true),
        fonts: crate::model::Fonts {
            fangsong: face(f.and_then(|f| f.fangsong.as_ref())),
            kaiti: face(f.and_then(|f| f.kaiti.as_ref())),
            heiti: face(f.and_then(|f| f.heiti.as_ref())),
            xiaobiaosong: face(f.and_then(|f| f.xiaobiaosong.as_ref())),
        },
    }
}
