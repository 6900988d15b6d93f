//! Stage 2, check: turn the raw files into validated [`model`] types and
//! collect every problem (not just the first), each with file, line and field.
//!
//! Two kinds of rule live here: shape rules (a count is a whole number, a
//! date is a date, a figure has the keys its kind needs) and arithmetic rules
//! (a stated total is the sum of its parts, a stated rate is numerator over
//! denominator at the stated precision). Arithmetic uses [`crate::model::num`].

pub(crate) mod findings;
pub(crate) mod prose;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Pos, Rule, Sources};
use crate::input::{LoadedOffice, Src, YearSrc};
use crate::model::num;
use crate::model::raw::{self, N, Text};
use crate::model::shape;
use crate::model::*;
use crate::validate::findings::{At, Findings};

/// Validate one office: the office as far as it could be understood (so
/// that reconcile can still report on the rest), and its findings.
pub(crate) fn check_office(src: &LoadedOffice) -> (Option<Office>, Vec<Diagnostic>) {
    let mut c = Checker {
        sources: &src.sources,
        f: Findings::default(),
        rejected: BTreeSet::new(),
    };
    let office = c.office(src);
    (office, c.f.list)
}

struct Checker<'a> {
    sources: &'a Sources,
    f: Findings,
    /// Labels of the current year's figures that were rejected: citing
    /// them is not a second finding.
    rejected: BTreeSet<String>,
}

/// A total that breakdowns are checked against: where it is, what to call
/// it in a message, and the unit of its money or value.
#[derive(Clone, Copy)]
struct Whole<'p> {
    file: &'p Path,
    field: &'p str,
    name: &'p str,
    units: Units<'p>,
}

/// A breakdown part's figures as a [`raw::Tally`], not yet validated.
fn raw_tally(p: &raw::Part) -> raw::Tally {
    raw::Tally {
        households: p.households,
        persons: p.persons,
        amount: p.amount,
        count: p.count,
        value: p.value,
    }
}

/// What prints of a total and its breakdowns, so that no two printed
/// figures contradict each other. Where the parts were acknowledged (`ack`)
/// not to add up to the stated total, the total prints as the sum of the
/// first breakdown's parts — the computed figure, as a rate prints as
/// computed — and a later breakdown that adds up to something else is not
/// printed (its parts cannot be cited). Without `ack` such data never
/// reaches print: the mismatch stops the build.
fn printable(
    mut total: Tally,
    breakdowns: Vec<Breakdown>,
    units: Units,
) -> (Tally, Vec<Breakdown>) {
    type Get = fn(&mut Tally) -> &mut Option<N>;
    let dims: [Get; 5] = [
        |t| &mut t.households,
        |t| &mut t.persons,
        |t| &mut t.amount,
        |t| &mut t.count,
        |t| &mut t.value,
    ];
    // A breakdown's sum in one dimension, when every part gives it.
    let sum = |b: &Breakdown, get: Get| -> Option<Decimal> {
        let mut parts: Vec<Tally> = b.parts.iter().map(|p| p.in_units_of(units)).collect();
        let values: Option<Vec<Decimal>> = parts.iter_mut().map(|t| get(t).map(|n| n.v)).collect();
        values.filter(|v| !v.is_empty()).map(|v| v.iter().sum())
    };
    let mut first = true;
    let mut kept = Vec::new();
    for b in breakdowns {
        if b.subset {
            kept.push(b);
            continue;
        }
        let mut agrees = true;
        for get in dims {
            let (Some(whole), Some(s)) = (*get(&mut total), sum(&b, get)) else {
                continue;
            };
            if whole.v != s {
                if first {
                    *get(&mut total) = Some(N { v: s, ..whole });
                } else {
                    agrees = false;
                }
            }
        }
        first = false;
        if agrees {
            kept.push(b);
        }
    }
    (total, kept)
}

/// A part's own units (`unit: 笔、万元`): its money unit, when it is not the
/// whole's, and its unit of count or value, when it is not the whole's.
fn part_units(p: &raw::Part, whole: Units) -> (Option<String>, Option<String>) {
    let mut amount = None;
    let mut count = None;
    for u in p.unit.iter().flat_map(|t| t.s.split(['、', ','])) {
        let u = u.trim();
        if u.is_empty() {
            continue;
        }
        if is_money(u) {
            amount = (u != whole.amount).then(|| u.to_string());
        } else {
            count = (u != whole.count).then(|| u.to_string());
        }
    }
    (amount, count)
}

/// A breakdown part's figures as written, before validation.
fn unchecked(p: &raw::Part) -> Tally {
    Tally {
        households: p.households,
        persons: p.persons,
        amount: p.amount,
        count: p.count,
        value: p.value,
    }
}

/// What report.yaml says of the year's report (or, for a year of plan.yaml
/// alone, that there is none).
struct Head {
    has_report: bool,
    title: String,
    kind: DocKind,
    issued: Option<NaiveDate>,
    as_of: Option<NaiveDate>,
    intro: Prose,
    overview: Option<Prose>,
    reconstructed: Option<String>,
    illustrative: Option<String>,
    closing: Option<Prose>,
    tables: bool,
    file: std::path::PathBuf,
    chapters: Option<Vec<Chapter>>,
    /// Fields of work named by chapters (`measures:`): chapter, title, where.
    named_measures: Vec<(usize, String, Pos)>,
}

impl Head {
    fn plan_only(src: &YearSrc) -> Head {
        let file = src.dir.join("plan.yaml");
        Head {
            has_report: false,
            title: String::new(),
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

impl Checker<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.f.push(d);
    }

    fn error(&mut self, rule: Rule, at: At, pos: Pos, msg: impl Into<String>, hint: Option<&str>) {
        self.f.error(rule, at, pos, msg, hint);
    }

    fn warn(&mut self, rule: Rule, at: At, pos: Pos, msg: impl Into<String>, hint: Option<&str>) {
        self.f.warn(rule, at, pos, msg, hint);
    }

    // ---------- office and year ----------

    /// `level` is one of the levels an office can be at.
    fn level(&mut self, file: &Path, level: Option<&Text>) {
        const LEVELS: &[&str] = &[
            "省级", "省", "市级", "市", "州", "盟", "区县", "县级", "县", "区", "旗", "乡镇", "乡",
            "镇", "街道", "部门", "村",
        ];
        if let Some(t) = level.filter(|t| !LEVELS.contains(&t.s.trim())) {
            self.error(
                Rule::FieldValue,
                At {
                    file,
                    field: "level",
                },
                t.at,
                format!("不认识的层级“{}”", t.s.trim()),
                Some("写 省级、市级、区县、乡镇 或 部门（也可写 县级、县、区、乡、镇、街道）"),
            );
        }
    }

    fn office(&mut self, src: &LoadedOffice) -> Option<Office> {
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
        let short_name = office
            .data
            .short_name
            .as_ref()
            .map_or_else(|| name.clone(), |t| t.s.trim().to_string());
        let signature = office
            .data
            .signature
            .as_ref()
            .map_or_else(|| name.clone(), |t| t.s.trim().to_string());
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

    fn year(&mut self, src: &YearSrc, short_name: &str) -> Option<Year> {
        self.rejected.clear();
        let f = &src.files;
        let head = match &f.report {
            Some(report) => self.report(report, src.year, short_name)?,
            // A year of plan.yaml alone makes its plan and no 总结.
            None if f.plan.is_some() => Head::plan_only(src),
            None if f.count() == 0 && f.broken.is_empty() => {
                self.push(
                    Diagnostic::warning(
                        Rule::YearEmpty,
                        format!("{} 年度还没有数据，作为草稿，暂不发布", src.year),
                    )
                    .at(&src.dir, Pos::default())
                    .hint("在这个文件夹里写 report.yaml（总结）或 plan.yaml（计划）；nianbao new <单位> <年度> 可从上一年度生成"),
                );
                return None;
            }
            // A draft's report that does not read yet: reported already.
            None if f.draft => return None,
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
                return None;
            }
        };
        let register = f.register.as_ref().and_then(|s| self.register(s, src.year));
        let projects = f.projects.as_ref().map(|s| self.projects(s));
        let funds = f.funds.as_ref().map(|s| self.funds(s));
        let measures = f
            .measures
            .as_ref()
            .map(|s| self.measures(s))
            .unwrap_or_default();
        let problems = f.problems.as_ref().map(|s| Problems {
            intro: s.data.intro.as_ref().map(|t| self.prose(&s.path, t)),
            items: s
                .data
                .problems
                .iter()
                .map(|t| self.prose(&s.path, t))
                .collect(),
        });
        let plan = f.plan.as_ref().and_then(|s| self.plan(s, src.year));

        let chapters = self.chapters(&head, &measures);
        let year = Year {
            year: src.year,
            dir: src.dir.clone(),
            title: head.title,
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
        };
        self.unique_labels(&year);
        Some(year)
    }

    /// report.yaml: the report's title, dates, opening and chapters.
    fn report(
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
        let title = match &r.title {
            Some(t) => self.nonblank(at("title"), t)?,
            None => kind.title(short_name, year, &theme),
        };
        Some(Head {
            has_report: true,
            title,
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
    fn dated(
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
    fn kind(
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

    /// The chapters as written: each one nianbao fills (`use:`) or the
    /// office's own (a title with text and sections, four levels at most).
    fn chapter_specs(
        &mut self,
        file: &Path,
        raw: &[raw::Chapter],
        names: &[(&str, shape::Builtin)],
    ) -> Vec<Chapter> {
        let mut out = Vec::new();
        for (i, c) in raw.iter().enumerate() {
            let field = format!("chapters[{i}]");
            let at = At {
                file,
                field: &field,
            };
            let title = c
                .title
                .as_ref()
                .map(|t| t.s.trim().to_string())
                .filter(|t| !t.is_empty());
            let text = c.text.as_ref().map(|t| self.prose(file, t));
            match &c.builtin {
                Some(u) => {
                    let Some(which) = shape::named(names, u.s.trim()) else {
                        self.error(
                            Rule::FieldValue,
                            at,
                            u.at,
                            format!("不认识的内置章节“{}”", u.s.trim()),
                            Some(&format!(
                                "use 可写：{}；自己的章节写 title 和 text，不写 use",
                                shape::spellings(names)
                            )),
                        );
                        continue;
                    };
                    if !c.sections.is_empty() {
                        self.error(
                            Rule::FieldValue,
                            at,
                            u.at,
                            "内置章节由数据生成，不能再写 sections",
                            Some("另写一个自己的章节（title、text、sections）"),
                        );
                    }
                    let measures = c
                        .measures
                        .as_ref()
                        .map(|m| m.iter().map(|t| t.s.trim().to_string()).collect());
                    let group = c.group.as_ref().map(|t| t.s.trim().to_string());
                    if let Some(g) = c.group.as_ref().filter(|_| which != shape::Builtin::Tasks) {
                        self.error(
                            Rule::FieldValue,
                            at,
                            g.at,
                            "group 只用于 plan.yaml 的 use: 重点工作",
                            None,
                        );
                    }
                    out.push(Chapter::Builtin {
                        which,
                        title: title.or_else(|| group.clone()).unwrap_or_default(),
                        text,
                        measures,
                        group,
                        tables: c.tables,
                        charts: self.chart_keys(file, &field, c.charts.as_ref()),
                    });
                }
                None => {
                    let pos = c
                        .title
                        .as_ref()
                        .or(c.text.as_ref())
                        .map_or(Pos::default(), |t| t.at);
                    if title.is_none() {
                        self.error(
                            Rule::FieldValue,
                            at,
                            pos,
                            "章节没有 title，也没有 use",
                            Some("自己的章节写 title（标题）和 text；由数据生成的章节写 use，如 use: 存在问题"),
                        );
                        continue;
                    }
                    if c.measures.is_some() {
                        self.error(
                            Rule::FieldValue,
                            at,
                            pos,
                            "measures 只用于 use: 主要工作",
                            None,
                        );
                    }
                    let blocks = self.blocks(file, &field, &c.sections, 2);
                    let charts = self.chart_keys(file, &field, c.charts.as_ref());
                    out.push(Chapter::Own(Block {
                        title,
                        text,
                        blocks,
                        charts,
                    }));
                }
            }
        }
        out
    }

    /// A chapter's `charts:`, by name; an unknown name is an error.
    fn chart_keys(
        &mut self,
        file: &Path,
        field: &str,
        names: Option<&Vec<Text>>,
    ) -> Option<Vec<shape::ChartKey>> {
        let names = names?;
        let mut keys = Vec::new();
        for t in names {
            match shape::named(shape::ChartKey::NAMES, t.s.trim()) {
                Some(k) => keys.push(k),
                None => {
                    let f = format!("{field}.charts");
                    self.error(
                        Rule::FieldValue,
                        At { file, field: &f },
                        t.at,
                        format!("不认识的图“{}”", t.s.trim()),
                        Some(&format!(
                            "charts 可写：{}",
                            shape::spellings(shape::ChartKey::NAMES)
                        )),
                    );
                }
            }
        }
        Some(keys)
    }

    /// Sections of an office's chapter at `level` (2: （一）, 3: 1., 4: （1））.
    fn blocks(&mut self, file: &Path, field: &str, raw: &[raw::Block], level: usize) -> Vec<Block> {
        let mut out = Vec::new();
        for (i, b) in raw.iter().enumerate() {
            let f = format!("{field}.sections[{i}]");
            let at = At { file, field: &f };
            let pos = b
                .title
                .as_ref()
                .or(b.text.as_ref())
                .map_or(Pos::default(), |t| t.at);
            if level > 4 {
                self.error(
                    Rule::FieldValue,
                    at,
                    pos,
                    "章节最多四级（一、 （一） 1. （1））",
                    Some("把第五级并入上一级的文字"),
                );
                break;
            }
            let title = b
                .title
                .as_ref()
                .map(|t| t.s.trim().to_string())
                .filter(|t| !t.is_empty());
            if title.is_none() && b.text.is_none() {
                self.error(
                    Rule::FieldValue,
                    at,
                    pos,
                    "这一节没有 title，也没有 text",
                    None,
                );
                continue;
            }
            out.push(Block {
                title,
                text: b.text.as_ref().map(|t| self.prose(file, t)),
                blocks: self.blocks(file, &f, &b.sections, level + 1),
                charts: None,
            });
        }
        out
    }

    /// The year's chapters: the office's, or its kind's own; every field of
    /// work a chapter names must exist, and none may be named twice.
    fn chapters(&mut self, head: &Head, measures: &[Measure]) -> Vec<Chapter> {
        let Some(chapters) = &head.chapters else {
            return Chapter::defaults(head.kind);
        };
        let mut named = BTreeSet::new();
        for (i, m, pos) in &head.named_measures {
            let field = format!("chapters[{i}].measures");
            let at = At {
                file: &head.file,
                field: &field,
            };
            if !measures.iter().any(|x| &x.title == m) {
                self.error(
                    Rule::FieldValue,
                    at,
                    *pos,
                    format!("measures.yaml 中没有工作领域“{m}”"),
                    Some("写 measures.yaml 中某项工作的 title"),
                );
            } else if !named.insert(m.as_str()) {
                self.error(
                    Rule::FieldValue,
                    at,
                    *pos,
                    format!("工作领域“{m}”写了两次"),
                    None,
                );
            }
        }
        chapters.clone()
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

    /// Figure labels are citation names: two figures of one year may not
    /// share one.
    fn unique_labels(&mut self, year: &Year) {
        let mut seen: BTreeMap<&str, &Loc> = BTreeMap::new();
        let funds = year.funds.iter().flat_map(|f| f.figures.iter());
        let measures = year.measures.iter().flat_map(|m| m.figures.iter());
        for fig in funds.chain(measures) {
            if let Some(first) = seen.get(fig.label.as_str()) {
                self.push(
                    Diagnostic::error(
                        Rule::LabelDuplicate,
                        format!("指标名“{}”在本年度重复", fig.label),
                    )
                    .at(&fig.loc.file, fig.loc.pos)
                    .field("label")
                    .hint(format!(
                        "指标名用于在文字中引用，须唯一；另一处在 {}：{}",
                        first.file.display(),
                        first.pos.line
                    )),
                );
            } else {
                seen.insert(&fig.label, &fig.loc);
            }
        }
    }

    // ---------- scalars ----------

    fn nonblank(&mut self, at: At, t: &Text) -> Option<String> {
        let s = t.s.trim();
        if s.is_empty() {
            self.error(
                Rule::Blank,
                at,
                t.at,
                format!("“{}”不能为空", at.field),
                None,
            );
            return None;
        }
        Some(s.to_string())
    }

    /// A date, or a month alone (`2023-05`, `2023年5月`: the first of the
    /// month, and `true`), as project lists often have it.
    fn day_or_month(&mut self, at: At, t: &Text) -> Option<(NaiveDate, bool)> {
        let s = t.s.trim();
        let one = |f: &str, day: &str| NaiveDate::parse_from_str(&format!("{s}{day}"), f).ok();
        let month = one("%Y-%m-%d", "-1")
            .or_else(|| one("%Y/%m/%d", "/1"))
            .or_else(|| one("%Y.%m.%d", ".1"))
            .or_else(|| one("%Y年%m月%d日", "1日"));
        match month {
            Some(d) if !s.ends_with('日') && s.matches(['-', '/', '.', '月']).count() == 1 => {
                Some((d, true))
            }
            _ => self.date(at, t).map(|d| (d, false)),
        }
    }

    fn date(&mut self, at: At, t: &Text) -> Option<NaiveDate> {
        let s = t.s.trim();
        let parsed = NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y年%m月%d日"))
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y.%m.%d"));
        match parsed {
            Ok(d) => Some(d),
            Err(_) => {
                self.error(
                    Rule::Date,
                    at,
                    t.at,
                    format!("“{s}”不是有效日期"),
                    Some("日期写成 2017-12-20 的形式"),
                );
                None
            }
        }
    }

    /// A count of 户/人/村/个: a whole number, not negative.
    fn count(&mut self, at: At, n: Option<N>, what: &str) -> Option<N> {
        let n = n?;
        if n.v.is_sign_negative() && !n.v.is_zero() {
            self.error(
                Rule::Negative,
                at,
                n.at,
                format!("{what}不能为负数（写的是 {}）", n.v),
                None,
            );
            return None;
        }
        if !num::is_whole(n.v) {
            self.error(
                Rule::Whole,
                at,
                n.at,
                format!("{what}应为整数（写的是 {}）", n.v),
                None,
            );
            return None;
        }
        Some(n)
    }

    /// Money or another measured quantity: not negative.
    fn amount(&mut self, at: At, n: Option<N>, what: &str) -> Option<N> {
        let n = n?;
        if n.v.is_sign_negative() && !n.v.is_zero() {
            self.error(
                Rule::Negative,
                at,
                n.at,
                format!("{what}不能为负数（写的是 {}）", n.v),
                None,
            );
            return None;
        }
        Some(n)
    }

    fn pair(&mut self, at: At, households: Option<N>, persons: Option<N>) -> Pair {
        let households = self.count(at, households, "户数");
        let persons = self.count(at, persons, "人数");
        if let (Some(h), Some(p)) = (households, persons)
            && h.v > p.v
        {
            self.error(
                Rule::HouseholdsOverPersons,
                at,
                h.at,
                format!("户数 {} 大于人数 {}", h.v, p.v),
                Some("每户至少一人：检查户数和人数是否填反"),
            );
        }
        Pair {
            households,
            persons,
        }
    }

    fn tally(&mut self, at: At, t: &raw::Tally) -> Tally {
        let pair = self.pair(at, t.households, t.persons);
        Tally {
            households: pair.households,
            persons: pair.persons,
            amount: self.amount(at, t.amount, "金额"),
            count: self.count(at, t.count, "个数"),
            value: t.value,
        }
    }

    fn prose(&mut self, file: &Path, t: &Text) -> Prose {
        let mut first = t.at;
        let mut block = false;
        let mut indent = 0;
        if let Some(src) = self.sources.get(file) {
            let mut lines = src.lines().skip(t.at.line.saturating_sub(1) as usize);
            let line = lines.next().unwrap_or("");
            let col0 = t.at.col.saturating_sub(1) as usize;
            let before: String = line.chars().take(col0).collect();
            let rest: String = line.chars().skip(col0).collect();
            if rest.starts_with('|') || rest.starts_with('>') {
                // Span at the block indicator: content starts on the next line.
                block = true;
                let next = lines.find(|l| !l.trim().is_empty()).unwrap_or("");
                indent = (next.len() - next.trim_start().len()) as u32;
                first = Pos {
                    line: t.at.line + 1,
                    col: indent + 1,
                };
            } else if before.trim().is_empty() && t.s.contains('\n') {
                // Span at the first content line of a block scalar.
                block = true;
                indent = col0 as u32;
            } else if rest.starts_with('"') || rest.starts_with('\'') {
                first.col += 1;
            }
        }
        let mut prose = Prose {
            text: t.s.clone(),
            file: file.to_path_buf(),
            first,
            block,
            indent,
        };
        let (depth, line) = crate::validate::prose::nesting(&prose.text);
        if depth > crate::validate::prose::MAX_NESTING {
            self.push(
                Diagnostic::error(
                    Rule::TextNesting,
                    format!(
                        "文字中引用（>）或列表嵌套了 {depth} 层，超过上限 {} 层",
                        crate::validate::prose::MAX_NESTING
                    ),
                )
                .at(file, prose.map(line, 1))
                .hint("正文用不到这么深的层次；删掉多余的“>”或列表符号"),
            );
            prose.text.clear();
        }
        prose
    }

    // ---------- register ----------

    /// The register's vocabulary: its era's words (stated, or by year),
    /// with the office's own `labels` over them.
    fn labels(&mut self, src: &Src<raw::RegisterFile>, year: i32) -> Labels {
        let r = &src.data;
        let era = match &r.era {
            None => Era::of_year(year),
            Some(t) => shape::named(Era::SPELLINGS, t.s.trim()).unwrap_or_else(|| {
                self.error(
                    Rule::FieldValue,
                    At { file: src.path.as_path(), field: "era" },
                    t.at,
                    format!("不认识的时期“{}”", t.s.trim()),
                    Some(&format!(
                        "写 攻坚（建档立卡，2020 年及以前）或 监测（防返贫监测，2021 年起）；可用的写法：{}",
                        shape::spellings(Era::SPELLINGS)
                    )),
                );
                Era::of_year(year)
            }),
        };
        let given = |t: &Option<Text>| {
            t.as_ref()
                .map(|t| t.s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let mut l = Labels::of_era(era);
        if let Some(exit) = given(&r.labels.exit).filter(|e| *e != l.exit) {
            // Another word for an exit: the words made from it follow.
            l.remaining = format!("未{exit}");
            l.planned = match era {
                Era::Campaign => format!("预{exit}"),
                Era::Monitoring => format!("计划{exit}"),
            };
            l.exit = exit;
        }
        let rl = &r.labels;
        for (field, value) in [
            (&mut l.subject, &rl.subject),
            (&mut l.village, &rl.village),
            (&mut l.village_exit, &rl.village_exit),
            (&mut l.remaining, &rl.remaining),
            (&mut l.baseline, &rl.baseline),
            (&mut l.baseline_villages, &rl.baseline_villages),
            (&mut l.population, &rl.population),
            (&mut l.current, &rl.current),
            (&mut l.reduction, &rl.reduction),
            (&mut l.planned, &rl.planned),
            (&mut l.incidence, &rl.incidence),
            (&mut l.funds, &rl.funds),
        ] {
            if let Some(v) = given(value) {
                *field = v;
            }
        }
        l
    }

    fn register(&mut self, src: &Src<raw::RegisterFile>, year: i32) -> Option<Register> {
        let file = src.path.as_path();
        let r = &src.data;
        let at = |field| At { file, field };
        let labels = self.labels(src, year);
        let villages = self.count(at("baseline.villages"), r.baseline.villages, "村数");
        let baseline = self.pair(at("baseline"), r.baseline.households, r.baseline.persons);
        let village_names: Vec<String> = r
            .baseline
            .village_names
            .iter()
            .flatten()
            .map(|t| t.s.trim().to_string())
            .collect();
        if let (Some(v), false) = (villages, village_names.is_empty())
            && Decimal::from(village_names.len()) != v.v
        {
            self.error(
                Rule::RegisterVillages,
                at("baseline.village_names"),
                v.at,
                format!(
                    "村数 {} 与列出的村名 {} 个不符（差 {}）",
                    v.v,
                    village_names.len(),
                    (v.v - Decimal::from(village_names.len())).abs()
                ),
                None,
            );
        }

        let mut exits = Vec::new();
        let mut exited_villages: BTreeMap<String, i32> = BTreeMap::new();
        let mut years_seen = HashSet::new();
        // Cleared when an exit entry is rejected: the register cannot be
        // reconciled then, and the rejection is the finding.
        let mut exits_ok = true;
        for (i, e) in r.exits.iter().enumerate() {
            let field = format!("exits[{i}]");
            let at = At {
                file,
                field: &field,
            };
            let (from, y) = match exit_years(&e.year.s) {
                Ok(span) => span,
                Err(why) => {
                    self.error(
                        Rule::RegisterExitYear,
                        at,
                        e.year.at,
                        format!("年份“{}”{why}", e.year.s.trim()),
                        Some("写一个年份（如 2016），或原文的年份范围（如 2014-2015）"),
                    );
                    exits_ok = false;
                    continue;
                }
            };
            if y > year {
                self.error(
                    Rule::RegisterExitYear,
                    at,
                    e.year.at,
                    format!("{y} 年的脱贫数晚于报告年度 {year}"),
                    Some("尚未核定的本年数字写在 planned 下"),
                );
                exits_ok = false;
                continue;
            }
            let twice = (from.unwrap_or(y)..=y).find(|y| !years_seen.insert(*y));
            if let Some(twice) = twice {
                self.error(
                    Rule::RegisterExitYear,
                    at,
                    e.year.at,
                    format!("{twice} 年出现了两次"),
                    None,
                );
                exits_ok = false;
                continue;
            }
            let villages = self.villages(at, &e.villages, y, &village_names, &mut exited_villages);
            exits.push(ExitYear {
                year: y,
                from,
                pair: self.pair(at, e.households, e.persons),
                villages,
            });
        }
        exits.sort_by_key(|e| e.year);

        let adjustments = r
            .adjustments
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let field = format!("adjustments[{i}]");
                let at = At {
                    file,
                    field: &field,
                };
                let count = |c: &mut Self, x: &Option<raw::Count>| {
                    x.as_ref()
                        .map(|x| c.pair(at, x.households, x.persons))
                        .unwrap_or_default()
                };
                Adjustment {
                    added: count(self, &a.added),
                    removed: count(self, &a.removed),
                }
            })
            .collect();
        let current = r
            .current
            .as_ref()
            .map(|c| self.pair(at("current"), c.households, c.persons));
        let remaining = r.remaining.as_ref().map(|rem| {
            let pair = self.pair(at("remaining"), rem.households, rem.persons);
            let total = Tally {
                households: pair.households,
                persons: pair.persons,
                ..Tally::default()
            };
            let breakdowns = self.breakdowns(
                Whole {
                    file,
                    field: "remaining",
                    name: "未脱贫",
                    units: Units::of(None, ""),
                },
                &rem.breakdowns,
                &total,
                None,
            );
            Remaining {
                pair,
                villages: self.count(at("remaining.villages"), rem.villages, "村数"),
                breakdowns,
                pos: rem
                    .households
                    .or(rem.persons)
                    .map(|n| n.at)
                    .unwrap_or_default(),
            }
        });
        let planned = r.planned.as_ref().map(|p| {
            let villages = self.villages(
                at("planned.villages"),
                &p.villages,
                year,
                &village_names,
                &mut exited_villages,
            );
            Planned {
                pair: self.pair(at("planned"), p.households, p.persons),
                villages,
            }
        });
        let targets = r.targets.as_ref().map(|t| {
            let pair = self.pair(at("targets"), t.households, t.persons);
            Targets {
                villages: self.count(at("targets.villages"), t.villages, "村数"),
                households: pair.households,
                persons: pair.persons,
            }
        });
        let incidence = r.incidence.as_ref().and_then(|i| {
            let den = self.count(at("incidence.denominator"), Some(i.denominator), "人口数")?;
            if den.v.is_zero() {
                self.error(
                    Rule::FigureZero,
                    at("incidence.denominator"),
                    den.at,
                    "贫困发生率的分母不能为 0",
                    None,
                );
                return None;
            }
            Some(Incidence {
                denominator: den,
                denominator_label: i.denominator_label.s.trim().to_string(),
                stated: i.stated,
                stated_after: i.stated_after,
            })
        });
        let reg = Register {
            file: file.to_path_buf(),
            labels,
            villages,
            baseline,
            exits,
            adjustments,
            current,
            remaining,
            planned,
            targets,
            incidence,
            exits_complete: exits_ok,
            // The count agrees with the names where both are given (else
            // that is the finding, and the count is not reconciled again).
            villages_consistent: village_names.is_empty()
                || villages.is_none_or(|v| Decimal::from(village_names.len()) == v.v),
        };
        Some(reg)
    }

    fn villages(
        &mut self,
        at: At,
        list: &raw::VillageList,
        year: i32,
        register: &[String],
        exited: &mut BTreeMap<String, i32>,
    ) -> Villages {
        let names = match list {
            raw::VillageList::Names(names) => names.as_slice(),
            raw::VillageList::Count(n) => {
                return Villages {
                    names: Vec::new(),
                    count: usize::try_from(*n).unwrap_or(usize::MAX),
                };
            }
            raw::VillageList::None => &[],
        };
        let mut out = Vec::new();
        for t in names {
            let name = t.s.trim().to_string();
            if !register.is_empty() && !register.contains(&name) {
                self.error(
                    Rule::RegisterVillages,
                    at,
                    t.at,
                    format!("出列村“{name}”不在建档立卡村名单（baseline.village_names）中"),
                    Some("检查村名是否写错，或补入名单"),
                );
            }
            if let Some(prev) = exited.insert(name.clone(), year) {
                self.error(
                    Rule::RegisterVillages,
                    at,
                    t.at,
                    format!("“{name}”在 {prev} 年已出列，不能再次出列"),
                    None,
                );
            }
            out.push(name);
        }
        Villages {
            count: out.len(),
            names: out,
        }
    }

    /// Validate breakdowns of a total and check each against it.
    /// Parts of a partition must add up, so each is in the whole's units:
    /// a money unit converts (元, 万元, 亿元), another unit does not
    /// (93笔 cannot be added to 户).
    fn unaddable_units(&mut self, at: At, parts: &[Part], raw: &[raw::Part], units: Units) {
        for (p, r) in parts.iter().zip(raw) {
            let pos = r.unit.as_ref().map_or(r.name.at, |u| u.at);
            let bad_money = p
                .amount_unit
                .as_deref()
                .filter(|u| money_factor(u).is_none() || money_factor(units.amount).is_none());
            let bad_count = p
                .count_unit
                .as_deref()
                .filter(|_| p.tally.count.is_some() || p.tally.value.is_some());
            for own in [bad_money, bad_count].into_iter().flatten() {
                self.error(
                    Rule::BreakdownUnit,
                    at,
                    pos,
                    format!("分项“{}”的单位“{own}”不是总数的单位，不能相加", p.name),
                    Some("单位不同的分项不是总数的一部分：改用与总数相同的单位，或写 subset: true 表示“其中”"),
                );
            }
        }
    }

    fn breakdowns(
        &mut self,
        whole: Whole,
        raw: &[raw::Breakdown],
        total: &Tally,
        ack: Option<&str>,
    ) -> Vec<Breakdown> {
        let Whole {
            file,
            field,
            name,
            units,
        } = whole;
        let mut out = Vec::new();
        for (i, b) in raw.iter().enumerate() {
            let f = format!("{field}.breakdowns[{i}]");
            let at = At { file, field: &f };
            let parts: Vec<Part> = b
                .parts
                .iter()
                .map(|p| {
                    let (amount_unit, count_unit) = part_units(p, units);
                    Part {
                        name: p.name.s.trim().to_string(),
                        tally: self.tally(at, &raw_tally(p)),
                        amount_unit,
                        count_unit,
                    }
                })
                .collect();
            let subset = b.subset.unwrap_or(false);
            if !subset {
                self.unaddable_units(at, &parts, &b.parts, units);
            }
            // Amounts in the whole's unit, exactly (327.6万元 = 0.03276亿元).
            let in_whole: Vec<Tally> = parts.iter().map(|p| p.in_units_of(units)).collect();
            let by = b.by.s.trim().to_string();
            type Get = fn(&Tally) -> Option<N>;
            let dims: [(&str, &str, Get); 5] = [
                ("户", "户数", |t| t.households),
                ("人", "人数", |t| t.persons),
                (units.amount, "金额", |t| t.amount),
                (units.count, "个数", |t| t.count),
                (units.value, "数值", |t| t.value),
            ];
            for (unit, what, get) in dims {
                let Some(tot) = get(total) else { continue };
                if subset {
                    // 其中: each part at most the whole; no sum.
                    for ((p, t), raw) in parts.iter().zip(&in_whole).zip(&b.parts) {
                        if let Some(v) = get(t).filter(|v| v.v > tot.v) {
                            self.error(
                                Rule::BreakdownSubset,
                                at,
                                raw.name.at,
                                format!(
                                    "{name}其中“{}”的{what} {}，超过总数 {}",
                                    p.name,
                                    num::with_unit(v.v, unit),
                                    num::with_unit(tot.v, unit),
                                ),
                                None,
                            );
                        }
                    }
                    continue;
                }
                let given: Vec<Decimal> = in_whole
                    .iter()
                    .filter_map(|t| get(t).map(|n| n.v))
                    .collect();
                // Written at all (a value that was written but rejected,
                // e.g. negative, is reported where it stands).
                let written = b
                    .parts
                    .iter()
                    .filter(|p| get(&unchecked(p)).is_some())
                    .count();
                if written == 0 {
                    continue;
                }
                if written < parts.len() {
                    self.error(
                        Rule::BreakdownMissing,
                        at,
                        b.by.at,
                        format!("按{by}的分项中有的缺少{what}"),
                        Some("每个分项都要填写与总数相同的各项"),
                    );
                    continue;
                }
                if given.len() < parts.len() {
                    continue;
                }
                let sum: Decimal = given.iter().sum();
                if sum != tot.v {
                    self.f.mismatch(
                        Rule::BreakdownSum,
                        at,
                        b.by.at,
                        format!(
                            "{name}按{by}的分项{what}合计 {}，与总数 {}不符（差 {}）",
                            num::with_unit(sum, unit),
                            num::with_unit(tot.v, unit),
                            num::with_unit((sum - tot.v).abs(), unit),
                        ),
                        ack,
                    );
                }
            }
            out.push(Breakdown { by, subset, parts });
        }
        out
    }

    // ---------- figures ----------

    fn figure(&mut self, file: &Path, field: &str, r: &raw::Figure) -> Option<Figure> {
        let at = At { file, field };
        let label = self.nonblank(
            At {
                file,
                field: &format!("{field}.label"),
            },
            &r.label,
        )?;
        let ack = r.ack.as_ref().map(|t| t.s.trim().to_string());
        let has = |o: bool, name: &'static str| o.then_some(name);
        let groups: Vec<&str> = [
            has(
                r.numerator.is_some() || r.denominator.is_some(),
                "numerator/denominator",
            ),
            has(
                r.should.is_some() || r.done.is_some() || r.undone.is_some(),
                "should/done/undone",
            ),
            has(r.from.is_some() || r.to.is_some(), "from/to"),
            has(
                r.total.is_some() || !r.breakdowns.is_empty(),
                "total/breakdowns",
            ),
            has(r.value.is_some() || r.plan.is_some(), "value/plan"),
            has(
                r.sum.is_some() || r.count.is_some() || r.scale.is_some(),
                "sum/count",
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        let pos = r.label.at;
        // Only a stated rate: printed as stated, not checkable.
        let groups = match (groups.is_empty(), r.stated) {
            (true, Some(_)) => vec!["stated"],
            _ => groups,
        };
        if groups.len() != 1 {
            let msg = if groups.is_empty() {
                format!("指标“{label}”没有数值")
            } else {
                format!(
                    "指标“{label}”同时写了 {}，无法判断类型",
                    groups.join(" 和 ")
                )
            };
            self.error(Rule::FigureShape,
                at,
                pos,
                msg,
                Some("每个指标只写一类：value（数值）、value+plan（计划完成）、numerator+denominator（比率）、should+done（应/已）、from+to（变化）、total+breakdowns（合计与分项）"),
            );
            return None;
        }
        let missing = |c: &mut Self, name: &str| {
            c.error(
                Rule::FigureShape,
                at,
                pos,
                format!("指标“{label}”缺少 {name}"),
                Some("比率要同时写 numerator 和 denominator；变化要同时写 from 和 to"),
            );
        };
        let unit = r.unit.as_ref().map(|t| t.s.trim().to_string());
        let unit_str = unit.as_deref().unwrap_or("");
        let kind = match groups[0] {
            "stated" => {
                let stated = r.stated?;
                self.warn(
                    Rule::FigureUnchecked,
                    at,
                    stated.at,
                    format!("指标“{label}”只有所填比率 {}%，无法核对", stated.v),
                    Some("原文有分子、分母时写 numerator 和 denominator，nianbao 会算出并核对比率"),
                );
                FigureKind::StatedRate { stated }
            }
            "sum/count" => {
                let (Some(sum), Some(count)) = (r.sum, r.count) else {
                    missing(self, if r.sum.is_none() { "sum" } else { "count" });
                    return None;
                };
                let sum = self.amount(at, Some(sum), "合计")?;
                let count = self.amount(at, Some(count), "户数或人数")?;
                if count.v.is_zero() {
                    self.error(
                        Rule::FigureZero,
                        at,
                        count.at,
                        format!("指标“{label}”的 count 为 0"),
                        None,
                    );
                    return None;
                }
                let scale = match r.scale {
                    Some(s) if s.v > Decimal::ZERO => s.v,
                    Some(s) => {
                        self.error(
                            Rule::FigureOption,
                            at,
                            s.at,
                            "scale 应为正数（如 10000：万元换算为元）",
                            None,
                        );
                        return None;
                    }
                    None => Decimal::ONE,
                };
                FigureKind::Average { sum, count, scale }
            }
            "numerator/denominator" => {
                let (Some(n), Some(d)) = (r.numerator, r.denominator) else {
                    missing(
                        self,
                        if r.numerator.is_none() {
                            "numerator"
                        } else {
                            "denominator"
                        },
                    );
                    return None;
                };
                let n = self.amount(at, Some(n), "分子")?;
                let d = self.amount(at, Some(d), "分母")?;
                if d.v.is_zero() {
                    self.error(
                        Rule::FigureZero,
                        at,
                        d.at,
                        format!("指标“{label}”的分母为 0"),
                        None,
                    );
                    return None;
                }
                if n.v > d.v {
                    self.error(Rule::FigureOver,
                        at,
                        n.at,
                        format!(
                            "指标“{label}”的分子 {} 大于分母 {}，比率超过 100%",
                            n.v, d.v
                        ),
                        Some("比率是部分占整体，不能超过 100%；计划完成情况请写 value 与 plan，增减请写 from 与 to"),
                    );
                }
                FigureKind::Ratio {
                    numerator: n,
                    denominator: d,
                    numerator_label: r.numerator_label.as_ref().map(|t| t.s.trim().to_string()),
                    denominator_label: r.denominator_label.as_ref().map(|t| t.s.trim().to_string()),
                }
            }
            "should/done/undone" => {
                let Some(s) = r.should else {
                    missing(self, "should");
                    return None;
                };
                let s = self.amount(at, Some(s), "应")?;
                let u = self.amount(at, r.undone, "未");
                // 已 may be left out when 未 is given: it is 应 − 未.
                let d = match (r.done, u) {
                    (Some(d), _) => self.amount(at, Some(d), "已")?,
                    (None, Some(u)) if u.v <= s.v => N {
                        v: s.v - u.v,
                        at: u.at,
                    },
                    (None, Some(u)) => {
                        self.error(
                            Rule::FigureOver,
                            at,
                            u.at,
                            format!("指标“{label}”未完成 {} 大于应完成 {}", u.v, s.v),
                            None,
                        );
                        return None;
                    }
                    (None, None) => {
                        missing(self, "done 或 undone");
                        return None;
                    }
                };
                if d.v > s.v {
                    self.error(
                        Rule::FigureOver,
                        at,
                        d.at,
                        format!("指标“{label}”已完成 {} 大于应完成 {}", d.v, s.v),
                        Some("应/已/未指标的已完成数不能超过应完成数"),
                    );
                }
                if let (Some(u), Some(_)) = (u, r.done)
                    && s.v - d.v != u.v
                {
                    self.f.mismatch(
                        Rule::FigureTriple,
                        at,
                        u.at,
                        format!(
                            "指标“{label}”应 {} 减已 {} 为 {}，与所填未完成 {}不符（差 {}）",
                            s.v,
                            d.v,
                            s.v - d.v,
                            num::with_unit(u.v, unit_str),
                            num::with_unit((u.v - (s.v - d.v)).abs(), unit_str)
                        ),
                        ack.as_deref(),
                    );
                }
                if s.v.is_zero() {
                    self.error(
                        Rule::FigureZero,
                        at,
                        s.at,
                        format!("指标“{label}”的应完成数为 0"),
                        None,
                    );
                    return None;
                }
                FigureKind::Triple { should: s, done: d }
            }
            "from/to" => {
                let (Some(a), Some(b)) = (r.from, r.to) else {
                    missing(self, if r.from.is_none() { "from" } else { "to" });
                    return None;
                };
                FigureKind::Change { from: a, to: b }
            }
            "total/breakdowns" => {
                let Some(t) = &r.total else {
                    missing(self, "total");
                    return None;
                };
                let total = self.tally(at, t);
                let breakdowns = self.breakdowns(
                    Whole {
                        file,
                        field,
                        name: &format!("指标“{label}”"),
                        units: Units::of(unit.as_deref(), ""),
                    },
                    &r.breakdowns,
                    &total,
                    ack.as_deref(),
                );
                let (total, breakdowns) =
                    printable(total, breakdowns, Units::of(unit.as_deref(), ""));
                FigureKind::Total { total, breakdowns }
            }
            _ => match (r.value, r.plan) {
                (Some(v), None) => FigureKind::Value { value: v },
                (Some(v), Some(p)) => {
                    if p.v.is_zero() {
                        self.error(
                            Rule::FigureZero,
                            at,
                            p.at,
                            format!("指标“{label}”的计划数为 0"),
                            None,
                        );
                        return None;
                    }
                    FigureKind::Plan { value: v, plan: p }
                }
                _ => {
                    missing(self, "value");
                    return None;
                }
            },
        };
        let precision = match r.precision {
            Some(p) if num::is_whole(p.v) && p.v >= Decimal::ZERO && p.v <= Decimal::from(4) => {
                p.v.try_into().unwrap_or(1)
            }
            Some(p) => {
                self.error(
                    Rule::FigureOption,
                    at,
                    p.at,
                    "precision 应为 0 到 4 的整数",
                    None,
                );
                1
            }
            // An average prints as the office wrote it (587元, 4.19万元); a
            // rate with at least one decimal.
            None if matches!(kind, FigureKind::Average { .. }) => {
                r.stated.map_or(2, |s| num::scale(s.v))
            }
            // As the office wrote it (21% stays 21%, 100% stays 100%); one
            // decimal when nothing was stated.
            None => r.stated.map_or(1, |s| num::scale(s.v)),
        };
        let approx = r.approx.as_ref().and_then(|t| {
            let word = t.s.trim();
            let approx = Approx::of(word);
            if approx.is_none() || !matches!(kind, FigureKind::Value { .. }) {
                self.error(
                    Rule::FigureOption,
                    at,
                    t.at,
                    format!("approx 写的是“{word}”，无法使用"),
                    Some("approx 只用于单个数值（value），写 约、大约、近、超过、不低于、不少于、不高于、不超过、至少、最多、达到、逾、多、余、左右、以上、以下 或 以内"),
                );
            }
            approx.filter(|_| matches!(kind, FigureKind::Value { .. }))
        });
        let compare = r.compare.as_ref().and_then(|t| {
            let value = match t.s.trim() {
                "人" | "人数" | "persons" => Some(Compare::Persons),
                "户" | "户数" | "households" => Some(Compare::Households),
                "村" | "村数" | "villages" => Some(Compare::Villages),
                _ => None,
            };
            if !field.starts_with("targets[") {
                self.error(Rule::FigureOption,
                    at,
                    t.at,
                    "compare 只用于 plan.yaml 的 targets",
                    Some("删掉 compare"),
                );
                return None;
            }
            if value.is_none() {
                self.error(Rule::FigureOption,
                    at,
                    t.at,
                    format!("compare 写的是“{}”，无法识别", t.s.trim()),
                    Some("compare 写 人、户 或 村，表示与本年度建档立卡的减贫人数、户数或出列村数对照"),
                );
            }
            value
        });
        let max = self.range_max(at, &label, &kind, r.max);
        let fig = Figure {
            label,
            unit,
            note: r.note.as_ref().map(|t| t.s.trim().to_string()),
            at_least: r.at_least,
            at_most: r.at_most,
            max,
            kind,
            stated: r.stated,
            precision,
            ack,
            compare,
            loc: Loc {
                file: file.to_path_buf(),
                pos,
            },
            field: field.to_string(),
            approx,
        };
        Some(fig)
    }

    /// The upper end of a range (`value: 1, max: 2` → 1～2个): a plain value
    /// only, and not below it.
    fn range_max(&mut self, at: At, label: &str, kind: &FigureKind, max: Option<N>) -> Option<N> {
        let max = max?;
        let FigureKind::Value { value } = kind else {
            self.error(
                Rule::FigureOption,
                at,
                max.at,
                format!("指标“{label}”不是单个数值，不能写 max"),
                Some("max 与 value 一起写出范围，如 value: 1, max: 2 印为 1～2个"),
            );
            return None;
        };
        if max.v < value.v {
            self.error(
                Rule::FigureOption,
                at,
                max.at,
                format!("指标“{label}”的范围 {}～{} 上限小于下限", value.v, max.v),
                None,
            );
            return None;
        }
        Some(max)
    }

    fn figures(&mut self, file: &Path, field: &str, raw: &[raw::Figure]) -> Vec<Figure> {
        raw.iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let fig = self.figure(file, &format!("{field}[{i}]"), r);
                if fig.is_none() && !r.label.s.trim().is_empty() {
                    self.rejected.insert(r.label.s.trim().to_string());
                }
                fig
            })
            .collect()
    }

    // ---------- funds ----------

    fn funds(&mut self, src: &Src<raw::FundsFile>) -> Funds {
        let file = src.path.as_path();
        let f = &src.data;
        let at = |field| At { file, field };
        let precision = match f.precision {
            Some(p) if num::is_whole(p.v) && p.v >= Decimal::ZERO && p.v <= Decimal::from(6) => {
                p.v.try_into().unwrap_or(2)
            }
            Some(p) => {
                self.error(
                    Rule::FundsPrecision,
                    at("precision"),
                    p.at,
                    "precision 应为 0 到 6 的整数",
                    None,
                );
                2
            }
            None => 2,
        };
        let figures = self.figures(file, "figures", &f.figures);
        let special = f.special.as_ref().map(|s| self.special(file, s));
        Funds {
            file: file.to_path_buf(),
            unit: f
                .unit
                .as_ref()
                .map(|t| t.s.trim().to_string())
                .unwrap_or_else(|| "万元".into()),
            precision,
            title: f
                .title
                .as_ref()
                .map(|t| t.s.trim().to_string())
                .unwrap_or_else(|| "资金投入和项目建设".into()),
            narrative: f.narrative.as_ref().map(|t| self.prose(file, t)),
            figures,
            special,
        }
    }

    fn fund_parts(&mut self, file: &Path, field: &str, parts: &[raw::FundPart]) -> Vec<FundPart> {
        parts
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let f = format!("special.{field}[{i}]");
                let at = At { file, field: &f };
                Some(FundPart {
                    name: p.name.s.trim().to_string(),
                    projects: self.count(at, p.projects, "项目个数"),
                    amount: self.amount(at, Some(p.amount), "金额")?,
                })
            })
            .collect()
    }

    fn special(&mut self, file: &Path, s: &raw::SpecialFunds) -> Special {
        let at = |field| At { file, field };
        Special {
            label: s.label.s.trim().to_string(),
            stated_total: self.amount(at("special.stated_total"), s.stated_total, "资金总额"),
            stated_projects: self.count(
                at("special.stated_projects"),
                s.stated_projects,
                "项目个数",
            ),
            batches: self.fund_parts(file, "batches", &s.batches),
            by_category: self.fund_parts(file, "by_category", &s.by_category),
            by_source: self.fund_parts(file, "by_source", &s.by_source),
            stated_start_rate: s.stated_start_rate,
            stated_completion_rate: s.stated_completion_rate,
            stated_spending_rate: s.stated_spending_rate,
            industry_category: s
                .industry_category
                .as_ref()
                .map(|t| t.s.trim().to_string())
                .unwrap_or_else(|| "产业发展".into()),
            stated_industry_share: s.stated_industry_share,
            industry_min_share: s.industry_min_share.map_or(Decimal::from(55), |n| n.v),
        }
    }

    // ---------- projects ----------

    fn projects(&mut self, src: &Src<raw::ProjectsFile>) -> Projects {
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
                    incomplete = true;
                    continue;
                }
            };
            let Some(budget) = self.amount(at, Some(p.budget), "项目资金") else {
                incomplete = true;
                continue;
            };
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
            list.push(Project {
                name: p.name.s.trim().to_string(),
                category: p.category.s.trim().to_string(),
                town: p.town.as_ref().map(|t| t.s.trim().to_string()),
                village: p.village.as_ref().map(|t| t.s.trim().to_string()),
                batch: p.batch.as_ref().map(|t| t.s.trim().to_string()),
                budget,
                spent,
                status,
            });
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

    // ---------- measures, plan ----------

    fn measures(&mut self, src: &Src<raw::MeasuresFile>) -> Vec<Measure> {
        let file = src.path.as_path();
        src.data
            .measures
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let field = format!("measures[{i}]");
                let title = self.nonblank(
                    At {
                        file,
                        field: &field,
                    },
                    &m.title,
                )?;
                Some(Measure {
                    title,
                    heading: m.heading.as_ref().map(|t| t.s.trim().to_string()),
                    narrative: m.narrative.as_ref().map(|t| self.prose(file, t)),
                    figures: self.figures(file, &format!("{field}.figures"), &m.figures),
                })
            })
            .collect()
    }

    fn plan(&mut self, src: &Src<raw::PlanFile>, year: i32) -> Option<Plan> {
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
            title: p.title.as_ref().map(|t| t.s.trim().to_string()),
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
}

/// An exit's year: `2016`, or a range as published (`2014-2015`,
/// `2014—2015`, `2014至2015`): the first year of a range and the last.
fn exit_years(text: &str) -> Result<(Option<i32>, i32), &'static str> {
    let year = |s: &str| -> Result<i32, &'static str> {
        let s = s.trim().trim_end_matches('年');
        match s.parse::<i32>() {
            Ok(y) if (1978..=2100).contains(&y) && s.len() == 4 => Ok(y),
            _ => Err("不是年份"),
        }
    };
    let text = text.trim();
    match text.split_once(['-', '—', '–', '~', '～', '至', '到']) {
        None => Ok((None, year(text)?)),
        Some((a, b)) => {
            let (a, b) = (year(a)?, year(b)?);
            if a < b {
                Ok((Some(a), b))
            } else {
                Err("的起止年份颠倒或相同")
            }
        }
    }
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

/// Zero-width characters: invisible, so two names that look the same may
/// differ by them.
fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}'
    )
}
