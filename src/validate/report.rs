//! report.yaml: the year's report head (title, kind, dates, opening), and
//! the dates and kinds that report.yaml and plan.yaml share.

use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diag::{Pos, Rule};
use crate::input::{Src, YearSrc};
use crate::model::raw::{self, Text};
use crate::model::shape;
use crate::model::*;
use crate::validate::Checker;
use crate::validate::findings::At;

impl Checker<'_> {
    /// report.yaml: the report's title, dates, opening and chapters.
    pub(crate) fn report(
        &mut self,
        report: &Src<raw::ReportFile>,
        year: i32,
        short_name: &str,
    ) -> Option<Head> {
        let file = report.path.as_path();
        let r = &report.data;
        let at = |field| At { file, field };
        if let Some(y) = &r.year
            && y.v != Decimal::from(year)
        {
            self.error(
                Rule::ReportYear,
                at("year"),
                y.at,
                format!("year 写的是 {}，但文件夹是 {year}", y.v),
                Some("删掉 year，或改成与文件夹一致的年份"),
            );
        }
        let theme = self.nonblank(at("theme"), &r.theme)?;
        // A document published without a date has none: it is printed
        // without one, never with a made-up one.
        let issued = self.dated(file, "issued", r.issued.as_ref(), year);
        let as_of = self.dated(file, "as_of", r.as_of.as_ref(), year);
        let kind = self.kind(file, r.kind.as_ref(), DocKind::REPORT, DocKind::Summary);
        let title_lines = lines(r.title_lines.as_ref());
        let title = match &r.title {
            _ if !title_lines.is_empty() => title_lines.concat(),
            Some(t) => self.nonblank(at("title"), t)?,
            None => kind.title(short_name, year, &theme),
        };
        Some(Head {
            has_report: true,
            title,
            title_lines,
            kind,
            issued,
            as_of,
            intro: self.prose(file, &r.intro),
            overview: r.overview.as_ref().map(|t| self.prose(file, t)),
            reconstructed: r.reconstructed.as_ref().map(|t| t.s.trim().to_string()),
            illustrative: r.illustrative.as_ref().map(|t| t.s.trim().to_string()),
            closing: r.closing.as_ref().map(|t| self.prose(file, t)),
            tables: r.tables.unwrap_or(false),
            file: file.to_path_buf(),
            chapters: r
                .chapters
                .as_ref()
                .map(|c| self.chapter_specs(file, c, shape::Builtin::NAMES)),
            named_measures: r
                .chapters
                .iter()
                .flatten()
                .enumerate()
                .flat_map(|(i, c)| {
                    c.measures
                        .iter()
                        .flatten()
                        .map(move |t| (i, t.s.trim().to_string(), t.at))
                })
                .collect(),
        })
    }

    /// A date of the report (成文日期, 截至日期), in the report year or the next.
    pub(crate) fn dated(
        &mut self,
        file: &Path,
        field: &str,
        t: Option<&Text>,
        year: i32,
    ) -> Option<NaiveDate> {
        let t = t?;
        let at = At { file, field };
        let d = self.date(at, t)?;
        let y = chrono::Datelike::year(&d);
        if y < year || y > year + 1 {
            self.warn(
                Rule::DateRange,
                at,
                t.at,
                format!("日期 {} 不在 {year} 年或次年", t.s.trim()),
                Some("检查年份是否写错"),
            );
        }
        Some(d)
    }

    /// `kind:` of a report or a plan, by name.
    pub(crate) fn kind(
        &mut self,
        file: &Path,
        t: Option<&Text>,
        kinds: &[(&str, DocKind)],
        default: DocKind,
    ) -> DocKind {
        let Some(t) = t else { return default };
        shape::named(kinds, t.s.trim()).unwrap_or_else(|| {
            self.error(
                Rule::FieldValue,
                At {
                    file,
                    field: "kind",
                },
                t.at,
                format!("不认识的文档种类“{}”", t.s.trim()),
                Some(&format!("可写：{}", shape::spellings(kinds))),
            );
            default
        })
    }
}

/// What report.yaml says of the year's report (or, for a year of plan.yaml
/// alone, that there is none).
/// `title_lines`: the office's lines of a title, blank ones dropped.
pub(crate) fn lines(t: Option<&Vec<Text>>) -> Vec<String> {
    t.iter()
        .flat_map(|v| v.iter())
        .map(|l| l.s.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

pub(crate) struct Head {
    pub(crate) has_report: bool,
    pub(crate) title: String,
    /// The office's own lines of the title (`title_lines`), if it set them.
    pub(crate) title_lines: Vec<String>,
    pub(crate) kind: DocKind,
    pub(crate) issued: Option<NaiveDate>,
    pub(crate) as_of: Option<NaiveDate>,
    pub(crate) intro: Prose,
    pub(crate) overview: Option<Prose>,
    pub(crate) reconstructed: Option<String>,
    pub(crate) illustrative: Option<String>,
    pub(crate) closing: Option<Prose>,
    pub(crate) tables: bool,
    pub(crate) file: std::path::PathBuf,
    pub(crate) chapters: Option<Vec<Chapter>>,
    /// Fields of work named by chapters (`measures:`): chapter, title, where.
    pub(crate) named_measures: Vec<(usize, String, Pos)>,
}

impl Head {
    pub(crate) fn plan_only(src: &YearSrc) -> Head {
        let file = src.dir.join("plan.yaml");
        Head {
            has_report: false,
            title: String::new(),
            title_lines: Vec::new(),
            kind: DocKind::Summary,
            issued: None,
            as_of: None,
            intro: Prose {
                text: String::new(),
                file: file.clone(),
                first: Pos::default(),
                block: false,
                indent: 0,
            },
            overview: None,
            reconstructed: None,
            illustrative: None,
            closing: None,
            tables: false,
            file,
            chapters: Some(Vec::new()),
            named_measures: Vec::new(),
        }
    }
}
