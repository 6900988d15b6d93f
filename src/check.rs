//! Stage 2, check: turn the raw files into validated [`model`] types and
//! collect every problem (not just the first), each with file, line and field.
//!
//! Two kinds of rule live here: shape rules (a count is a whole number, a
//! date is a date, a figure has the keys its kind needs) and arithmetic rules
//! (a stated total is the sum of its parts, a stated rate is numerator over
//! denominator at the stated precision). Arithmetic uses [`crate::num`].

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Pos, Sources};
use crate::load::{Loaded, OfficeSrc, Src, YearSrc};
use crate::model::*;
use crate::num;
use crate::raw::{self, N, Text};

/// The validated offices and every finding.
#[derive(Debug)]
pub struct Checked {
    pub offices: Vec<Office>,
    pub diags: Vec<Diagnostic>,
}

/// Validate everything loaded. Offices with errors are still returned as far
/// as they could be understood, so later checks can report more.
pub fn check(loaded: &Loaded) -> Checked {
    let mut c = Checker {
        sources: &loaded.sources,
        diags: loaded.diags.clone(),
    };
    let offices = loaded.offices.iter().filter_map(|o| c.office(o)).collect();
    Checked {
        offices,
        diags: c.diags,
    }
}

/// Validate one office, as [`check`] does for all: the office as far as it
/// could be understood, and its findings.
pub fn check_office(src: &OfficeSrc, sources: &Sources) -> (Option<Office>, Vec<Diagnostic>) {
    let mut c = Checker {
        sources,
        diags: Vec::new(),
    };
    let office = c.office(src);
    (office, c.diags)
}

struct Checker<'a> {
    sources: &'a Sources,
    diags: Vec<Diagnostic>,
}

/// A total that breakdowns are checked against: where it is, what to call
/// it in a message, and the unit of its money or value.
#[derive(Clone, Copy)]
struct Whole<'p> {
    file: &'p Path,
    field: &'p str,
    name: &'p str,
    unit: &'p str,
}

/// Years between the first recorded exit and the report year (exclusive)
/// that have no exits: the likeliest cause of a register that does not close.
fn missing_exit_years(reg: &Register, year: i32) -> Vec<i32> {
    let Some(first) = reg.exits.iter().map(|e| e.year).min() else {
        return Vec::new();
    };
    (first..year)
        .filter(|y| !reg.exits.iter().any(|e| e.year == *y))
        .collect()
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

/// Where a finding goes: a file and a field path inside it.
#[derive(Clone, Copy)]
struct At<'p> {
    file: &'p Path,
    field: &'p str,
}

impl Checker<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn error(&mut self, at: At, pos: Pos, msg: impl Into<String>, hint: Option<&str>) {
        let mut d = Diagnostic::error(msg).at(at.file, pos).field(at.field);
        if let Some(h) = hint {
            d = d.hint(h);
        }
        self.push(d);
    }

    fn warn(&mut self, at: At, pos: Pos, msg: impl Into<String>, hint: Option<&str>) {
        let mut d = Diagnostic::warning(msg).at(at.file, pos).field(at.field);
        if let Some(h) = hint {
            d = d.hint(h);
        }
        self.push(d);
    }

    /// A stated figure that disagrees with the data: an error. When the data
    /// acknowledges it (`ack`), still an error, marked so; `build` goes on.
    fn mismatch(&mut self, at: At, pos: Pos, msg: String, ack: Option<&str>) {
        match ack {
            Some(why) => self.push(
                Diagnostic::error(msg)
                    .at(at.file, pos)
                    .field(at.field)
                    .acknowledged(why),
            ),
            None => self.error(
                at,
                pos,
                msg,
                Some("生成的文档一律使用计算值；请核对原始数据，改正所填的数字"),
            ),
        }
    }

    // ---------- office and year ----------

    fn office(&mut self, src: &OfficeSrc) -> Option<Office> {
        let Some(office) = &src.office else {
            if src.office_broken {
                return None;
            }
            let path = src.dir.join("office.yaml");
            self.push(
                Diagnostic::error(format!("单位“{}”缺少 office.yaml", src.slug))
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
                Diagnostic::warning(format!("单位“{}”还没有任何年度数据", src.slug))
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
        })
    }

    fn year(&mut self, src: &YearSrc, short_name: &str) -> Option<Year> {
        let f = &src.files;
        let Some(report) = &f.report else {
            if f.broken.iter().any(|n| n == "report.yaml") {
                return None;
            }
            let path = src.dir.join("report.yaml");
            self.push(
                Diagnostic::error(format!("{} 年度缺少 report.yaml", src.year))
                    .at(&path, Pos::default())
                    .hint("report.yaml 写明 theme（工作主题）、issued（成文日期）和 intro（导语）"),
            );
            return None;
        };
        let file = report.path.as_path();
        let r = &report.data;
        let at = |field| At { file, field };
        if let Some(y) = &r.year
            && y.v != Decimal::from(src.year)
        {
            self.error(
                at("year"),
                y.at,
                format!("year 写的是 {}，但文件夹是 {}", y.v, src.year),
                Some("删掉 year，或改成与文件夹一致的年份"),
            );
        }
        let theme = self.nonblank(at("theme"), &r.theme)?;
        let issued = self.date(at("issued"), &r.issued)?;
        let as_of = r.as_of.as_ref().and_then(|t| self.date(at("as_of"), t));
        for (field, d) in [("issued", Some(issued)), ("as_of", as_of)] {
            if let Some(d) = d {
                let y = chrono::Datelike::year(&d);
                if y < src.year || y > src.year + 1 {
                    let t = if field == "issued" {
                        &r.issued
                    } else {
                        r.as_of.as_ref().unwrap_or(&r.issued)
                    };
                    self.warn(
                        at(field),
                        t.at,
                        format!("日期 {} 不在 {} 年或次年", t.s.trim(), src.year),
                        Some("检查年份是否写错"),
                    );
                }
            }
        }
        let title = match &r.title {
            Some(t) => self.nonblank(at("title"), t)?,
            None => format!("{short_name}{}年{theme}工作总结", src.year),
        };
        let intro = self.prose(file, &r.intro);
        let overview = r.overview.as_ref().map(|t| self.prose(file, t));
        let register = f.register.as_ref().and_then(|s| self.register(s, src.year));
        let projects = f.projects.as_ref().map(|s| self.projects(s));
        let funds = f.funds.as_ref().map(|s| self.funds(s, projects.as_ref()));
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

        let year = Year {
            year: src.year,
            dir: src.dir.clone(),
            theme,
            title,
            as_of,
            issued,
            intro,
            overview,
            reconstructed: r.reconstructed.as_ref().map(|t| t.s.trim().to_string()),
            register,
            funds,
            projects,
            measures,
            problems,
            plan,
        };
        self.unique_labels(&year);
        Some(year)
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
                    Diagnostic::error(format!("指标名“{}”在本年度重复", fig.label))
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
            self.error(at, t.at, format!("“{}”不能为空", at.field), None);
            return None;
        }
        Some(s.to_string())
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
                at,
                n.at,
                format!("{what}不能为负数（写的是 {}）", n.v),
                None,
            );
            return None;
        }
        if !num::is_whole(n.v) {
            self.error(at, n.at, format!("{what}应为整数（写的是 {}）", n.v), None);
            return None;
        }
        Some(n)
    }

    /// Money or another measured quantity: not negative.
    fn amount(&mut self, at: At, n: Option<N>, what: &str) -> Option<N> {
        let n = n?;
        if n.v.is_sign_negative() && !n.v.is_zero() {
            self.error(
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
        Prose {
            text: t.s.clone(),
            file: file.to_path_buf(),
            first,
            block,
            indent,
        }
    }

    // ---------- register ----------

    fn register(&mut self, src: &Src<raw::RegisterFile>, year: i32) -> Option<Register> {
        let file = src.path.as_path();
        let r = &src.data;
        let at = |field| At { file, field };
        let label = |t: &Option<Text>, default: &str| {
            t.as_ref()
                .map(|t| t.s.trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| default.to_string())
        };
        let labels = Labels {
            subject: label(&r.labels.subject, "建档立卡贫困人口"),
            exit: label(&r.labels.exit, "脱贫"),
            village: label(&r.labels.village, "贫困村"),
            village_exit: label(&r.labels.village_exit, "出列"),
        };
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
            let Some(y) = self.count(at, Some(e.year), "年份") else {
                exits_ok = false;
                continue;
            };
            let y: i32 = y.v.try_into().unwrap_or(0);
            if y > year {
                self.error(
                    at,
                    e.year.at,
                    format!("{y} 年的脱贫数晚于报告年度 {year}"),
                    Some("尚未核定的本年数字写在 planned 下"),
                );
                exits_ok = false;
                continue;
            }
            if !years_seen.insert(y) {
                self.error(at, e.year.at, format!("{y} 年出现了两次"), None);
                exits_ok = false;
                continue;
            }
            let villages = self.villages(at, &e.villages, y, &village_names, &mut exited_villages);
            exits.push(ExitYear {
                year: y,
                pair: self.pair(at, e.households, e.persons),
                villages,
                pos: e.year.at,
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
                    label: a.label.as_ref().map(|t| t.s.trim().to_string()),
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
                    unit: "",
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
            village_names,
            baseline,
            exits,
            adjustments,
            current,
            remaining,
            planned,
            targets,
            incidence,
        };
        self.register_arithmetic(&reg, year, exits_ok);
        Some(reg)
    }

    fn villages(
        &mut self,
        at: At,
        names: &[Text],
        year: i32,
        register: &[String],
        exited: &mut BTreeMap<String, i32>,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for t in names {
            let name = t.s.trim().to_string();
            if !register.is_empty() && !register.contains(&name) {
                self.error(
                    at,
                    t.at,
                    format!("出列村“{name}”不在建档立卡村名单（baseline.village_names）中"),
                    Some("检查村名是否写错，或补入名单"),
                );
            }
            if let Some(prev) = exited.insert(name.clone(), year) {
                self.error(
                    at,
                    t.at,
                    format!("“{name}”在 {prev} 年已出列，不能再次出列"),
                    None,
                );
            }
            out.push(name);
        }
        out
    }

    /// Baseline − exits + adjustments against the stated remaining, and the
    /// exits against the register.
    fn register_arithmetic(&mut self, reg: &Register, year: i32, exits_ok: bool) {
        let file = reg.file.as_path();
        let at = |field| At { file, field };
        let cum = crate::metrics::cumulative_exits(reg);
        for (what, base, done) in [
            ("户", reg.baseline.households, cum.households),
            ("人", reg.baseline.persons, cum.persons),
        ] {
            if let (Some(b), Some(d)) = (base, done)
                && d > b.v
            {
                self.error(
                    at("exits"),
                    b.at,
                    format!("累计脱贫 {d}{what} 超过建档立卡基数 {}{what}", b.v),
                    None,
                );
            }
        }
        let Some(rem) = &reg.remaining else { return };
        self.register_remaining(reg, rem);
        let net = crate::metrics::net_adjustment(reg);
        // Per dimension: baseline, cumulative exits, stated remaining, the gap
        // before adjustments and the gap after them.
        let mut dims = Vec::new();
        for (unit, base, done, net, stated) in [
            (
                "户",
                reg.baseline.households,
                cum.households,
                net.households,
                rem.pair.households,
            ),
            (
                "人",
                reg.baseline.persons,
                cum.persons,
                net.persons,
                rem.pair.persons,
            ),
        ] {
            if let (Some(b), Some(d), Some(s)) = (base, done, stated) {
                let gap = b.v - d - s.v;
                dims.push(Dim {
                    unit,
                    base: b.v,
                    done: d,
                    stated: s.v,
                    gap,
                    adjusted_gap: gap + net.unwrap_or_default(),
                    net,
                });
            }
        }
        // Exits beyond the baseline are reported above; a gap would only
        // repeat them.
        let over = dims.iter().any(|d| d.done > d.base);
        if !exits_ok || over || dims.iter().all(|d| d.adjusted_gap.is_zero()) {
            return;
        }
        let join = |f: fn(&Dim) -> Decimal| {
            dims.iter()
                .map(|d| format!("{}{}", f(d), d.unit))
                .collect::<String>()
        };
        let mut msg = format!(
            "建档立卡台账不闭合：基数 {} − 累计脱贫 {} = {}，填报未脱贫 {}，差 {}",
            join(|d| d.base),
            join(|d| d.done),
            join(|d| d.base - d.done),
            join(|d| d.stated),
            join(|d| d.gap),
        );
        let adjusted: Vec<_> = dims
            .iter()
            .filter(|d| d.net.is_some_and(|n| !n.is_zero()))
            .collect();
        if !adjusted.is_empty() {
            let adj: String = adjusted
                .iter()
                .map(|d| format!("{:+}{}", d.net.unwrap_or_default(), d.unit))
                .collect();
            msg += &format!(
                "；已填动态调整 {adj} 不能解释这一差额（计入后差 {}）",
                join(|d| d.adjusted_gap)
            );
        }
        let missing = missing_exit_years(reg, year);
        let mut hint = if missing.is_empty() {
            String::from("可能缺少某一年的脱贫数")
        } else {
            let years: Vec<String> = missing.iter().map(i32::to_string).collect();
            format!("exits 中没有 {} 年的脱贫数，可能漏填", years.join("、"))
        };
        hint += if reg.adjustments.is_empty() {
            "，或缺少动态管理（新识别、清理）的调整数；请在 exits 或 adjustments 中补齐。台账确实如此时可保留，生成的文档照实列出所填数字"
        } else {
            "，或缺少更早的动态管理调整；请在 exits 或 adjustments 中补齐。台账确实如此时可保留，生成的文档照实列出所填数字"
        };
        self.warn(at("remaining"), rem.pos, msg, Some(&hint));
    }

    /// The year's planned exits against the remaining, and the stated
    /// incidence (before and after the planned exits) against the register.
    fn register_remaining(&mut self, reg: &Register, rem: &Remaining) {
        let file = reg.file.as_path();
        let at = |field| At { file, field };
        if let Some(p) = &reg.planned {
            for (what, plan, left) in [
                ("户", p.pair.households, rem.pair.households),
                ("人", p.pair.persons, rem.pair.persons),
            ] {
                if let (Some(p), Some(l)) = (plan, left)
                    && p.v > l.v
                {
                    self.error(
                        at("planned"),
                        p.at,
                        format!(
                            "计划{}{} {}{what}，超过未{} {}{what}（多 {}{what}）",
                            reg.labels.exit,
                            if what == "户" { "户数" } else { "人数" },
                            p.v,
                            reg.labels.exit,
                            l.v,
                            p.v - l.v
                        ),
                        None,
                    );
                }
            }
        }
        let (Some(inc), Some(left)) = (&reg.incidence, rem.pair.persons) else {
            return;
        };
        let den = inc.denominator.v;
        self.stated_rate(
            at("incidence.stated"),
            inc.stated,
            num::percent(left.v, den),
            &format!(
                "贫困发生率（未{} {} 人 ÷ {} {den} 人）",
                reg.labels.exit, left.v, inc.denominator_label
            ),
            None,
        );
        let after = reg.planned.as_ref().and_then(|p| p.pair.persons);
        if let Some(s) = inc.stated_after {
            match after {
                // Already reported above.
                Some(p) if p.v > left.v => {}
                Some(p) => self.stated_rate(
                    at("incidence.stated_after"),
                    Some(s),
                    num::percent(left.v - p.v, den),
                    &format!(
                        "计划{}后贫困发生率（（{} − {}） 人 ÷ {den} 人）",
                        reg.labels.exit, left.v, p.v
                    ),
                    None,
                ),
                None => self.error(
                    at("incidence.stated_after"),
                    s.at,
                    "填了计划后的贫困发生率，但没有计划人数（planned.persons）可供核对",
                    Some("在 planned 下写明 persons"),
                ),
            }
        }
    }

    /// Validate breakdowns of a total and check each against it.
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
            unit: money,
        } = whole;
        let mut out = Vec::new();
        for (i, b) in raw.iter().enumerate() {
            let f = format!("{field}.breakdowns[{i}]");
            let at = At { file, field: &f };
            let parts: Vec<Part> = b
                .parts
                .iter()
                .map(|p| Part {
                    name: p.name.s.trim().to_string(),
                    tally: self.tally(at, &raw_tally(p)),
                    pos: p.name.at,
                })
                .collect();
            let by = b.by.s.trim().to_string();
            type Get = fn(&Tally) -> Option<N>;
            let dims: [(&str, &str, Get); 5] = [
                ("户", "户数", |t| t.households),
                ("人", "人数", |t| t.persons),
                (money, "金额", |t| t.amount),
                ("个", "个数", |t| t.count),
                (money, "数值", |t| t.value),
            ];
            for (unit, what, get) in dims {
                let Some(tot) = get(total) else { continue };
                let given: Vec<Decimal> = parts
                    .iter()
                    .filter_map(|p| get(&p.tally).map(|n| n.v))
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
                    self.mismatch(
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
            out.push(Breakdown { by, parts });
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
        ]
        .into_iter()
        .flatten()
        .collect();
        let pos = r.label.at;
        if groups.len() != 1 {
            let msg = if groups.is_empty() {
                format!("指标“{label}”没有数值")
            } else {
                format!(
                    "指标“{label}”同时写了 {}，无法判断类型",
                    groups.join(" 和 ")
                )
            };
            self.error(
                at,
                pos,
                msg,
                Some("每个指标只写一类：value（数值）、value+plan（计划完成）、numerator+denominator（比率）、should+done（应/已）、from+to（变化）、total+breakdowns（合计与分项）"),
            );
            return None;
        }
        let missing = |c: &mut Self, name: &str| {
            c.error(
                at,
                pos,
                format!("指标“{label}”缺少 {name}"),
                Some("比率要同时写 numerator 和 denominator；变化要同时写 from 和 to"),
            );
        };
        let unit = r.unit.as_ref().map(|t| t.s.trim().to_string());
        let unit_str = unit.as_deref().unwrap_or("");
        let kind = match groups[0] {
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
                    self.error(at, d.at, format!("指标“{label}”的分母为 0"), None);
                    return None;
                }
                if n.v > d.v {
                    self.error(
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
                        at,
                        d.at,
                        format!("指标“{label}”已完成 {} 大于应完成 {}", d.v, s.v),
                        Some("应/已/未指标的已完成数不能超过应完成数"),
                    );
                }
                if let (Some(u), Some(_)) = (u, r.done)
                    && s.v - d.v != u.v
                {
                    self.mismatch(
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
                    self.error(at, s.at, format!("指标“{label}”的应完成数为 0"), None);
                    return None;
                }
                FigureKind::Triple {
                    should: s,
                    done: d,
                    undone: u,
                }
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
                        unit: unit.as_deref().unwrap_or(""),
                    },
                    &r.breakdowns,
                    &total,
                    ack.as_deref(),
                );
                FigureKind::Total { total, breakdowns }
            }
            _ => match (r.value, r.plan) {
                (Some(v), None) => FigureKind::Value { value: v },
                (Some(v), Some(p)) => {
                    if p.v.is_zero() {
                        self.error(at, p.at, format!("指标“{label}”的计划数为 0"), None);
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
                self.error(at, p.at, "precision 应为 0 到 4 的整数", None);
                1
            }
            None => r.stated.map_or(1, |s| num::scale(s.v).max(1)),
        };
        let compare = r.compare.as_ref().and_then(|t| {
            let value = match t.s.trim() {
                "人" | "人数" | "persons" => Some(Compare::Persons),
                "户" | "户数" | "households" => Some(Compare::Households),
                "村" | "村数" | "villages" => Some(Compare::Villages),
                _ => None,
            };
            if !field.starts_with("targets[") {
                self.error(
                    at,
                    t.at,
                    "compare 只用于 plan.yaml 的 targets",
                    Some("删掉 compare"),
                );
                return None;
            }
            if value.is_none() {
                self.error(
                    at,
                    t.at,
                    format!("compare 写的是“{}”，无法识别", t.s.trim()),
                    Some("compare 写 人、户 或 村，表示与本年度建档立卡的减贫人数、户数或出列村数对照"),
                );
            }
            value
        });
        let fig = Figure {
            label,
            unit,
            note: r.note.as_ref().map(|t| t.s.trim().to_string()),
            kind,
            stated: r.stated,
            precision,
            ack,
            compare,
            loc: Loc {
                file: file.to_path_buf(),
                pos,
            },
        };
        self.figure_stated(at, &fig);
        Some(fig)
    }

    /// A stated rate against the computed one, at the stated precision.
    fn figure_stated(&mut self, at: At, fig: &Figure) {
        let Some(stated) = fig.stated else { return };
        let Some(computed) = crate::metrics::figure_rate(&fig.kind) else {
            self.error(
                at,
                stated.at,
                format!("指标“{}”没有可核对的比率，不应填写 stated", fig.label),
                Some("stated 用于比率、计划完成率和应/已指标"),
            );
            return;
        };
        self.stated_rate(
            at,
            Some(stated),
            Some(computed),
            &format!("指标“{}”", fig.label),
            fig.ack.as_deref(),
        );
    }

    fn figures(&mut self, file: &Path, field: &str, raw: &[raw::Figure]) -> Vec<Figure> {
        raw.iter()
            .enumerate()
            .filter_map(|(i, r)| self.figure(file, &format!("{field}[{i}]"), r))
            .collect()
    }

    // ---------- funds ----------

    fn funds(&mut self, src: &Src<raw::FundsFile>, projects: Option<&Projects>) -> Funds {
        let file = src.path.as_path();
        let f = &src.data;
        let at = |field| At { file, field };
        let precision = match f.precision {
            Some(p) if num::is_whole(p.v) && p.v >= Decimal::ZERO && p.v <= Decimal::from(6) => {
                p.v.try_into().unwrap_or(2)
            }
            Some(p) => {
                self.error(at("precision"), p.at, "precision 应为 0 到 6 的整数", None);
                2
            }
            None => 2,
        };
        let figures = self.figures(file, "figures", &f.figures);
        let money = f.unit.as_ref().map_or("万元", |t| t.s.trim());
        let special = f
            .special
            .as_ref()
            .map(|s| self.special(file, s, projects, money));
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

    fn special(
        &mut self,
        file: &Path,
        s: &raw::SpecialFunds,
        projects: Option<&Projects>,
        money: &str,
    ) -> Special {
        let at = |field| At { file, field };
        let sp = Special {
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
        };
        self.special_arithmetic(file, &sp, projects, money);
        sp
    }

    fn special_arithmetic(
        &mut self,
        file: &Path,
        sp: &Special,
        projects: Option<&Projects>,
        money: &str,
    ) {
        let at = |field| At { file, field };
        let m_ = |d: Decimal| num::with_unit(d, money);
        let m = crate::metrics::special_totals(sp, projects);
        // Each list of parts that claims to cover the whole against the total.
        for (field, parts) in [("batches", &sp.batches), ("by_source", &sp.by_source)] {
            if parts.is_empty() {
                continue;
            }
            let sum: Decimal = parts.iter().map(|p| p.amount.v).sum();
            if let Some(t) = sp.stated_total
                && !num::agrees(t.v, sum)
            {
                self.mismatch(
                    at(field),
                    t.at,
                    format!(
                        "{}合计 {}，与填报总额 {}不符（差 {}）",
                        part_name(field),
                        m_(sum),
                        m_(t.v),
                        m_((num::round(sum, num::scale(t.v)) - t.v).abs())
                    ),
                    None,
                );
            }
            let counts: Vec<Decimal> = parts
                .iter()
                .filter_map(|p| p.projects.map(|n| n.v))
                .collect();
            if let Some(t) = sp.stated_projects
                && counts.len() == parts.len()
            {
                let n: Decimal = counts.iter().sum();
                if n != t.v {
                    self.mismatch(
                        at(field),
                        t.at,
                        format!(
                            "{}项目合计 {} 个，与填报 {} 个不符（差 {} 个）",
                            part_name(field),
                            n,
                            t.v,
                            (n - t.v).abs()
                        ),
                        None,
                    );
                }
            }
        }
        // Without a stated total, the two lists are checked against each other.
        if sp.stated_total.is_none() && !sp.batches.is_empty() && !sp.by_source.is_empty() {
            let a: Decimal = sp.batches.iter().map(|p| p.amount.v).sum();
            let b: Decimal = sp.by_source.iter().map(|p| p.amount.v).sum();
            if a != b {
                self.error(
                    at("by_source"),
                    sp.by_source[0].amount.at,
                    format!(
                        "按来源合计 {}，与按批次合计 {}不符（差 {}）",
                        m_(b),
                        m_(a),
                        m_((b - a).abs())
                    ),
                    None,
                );
            }
        }
        // Category amounts cannot exceed the whole.
        let cat_sum: Decimal = sp.by_category.iter().map(|p| p.amount.v).sum();
        if let Some(total) = m.total
            && cat_sum > total
        {
            self.error(
                at("by_category"),
                sp.by_category[0].amount.at,
                format!(
                    "按类别合计 {}，超过资金总额 {}（多 {}）",
                    m_(cat_sum),
                    m_(total),
                    m_(cat_sum - total)
                ),
                None,
            );
        }
        // The project list against the batch and category amounts.
        if let Some(p) = projects.filter(|p| !p.list.is_empty() && !p.incomplete) {
            let batch_pairs = sp.batches.iter().map(|b| (b, "batches", "批次"));
            let cat_pairs = sp.by_category.iter().map(|b| (b, "by_category", "类别"));
            for (part, field, kind) in batch_pairs.chain(cat_pairs) {
                let of: Vec<&Project> = p
                    .list
                    .iter()
                    .filter(|x| {
                        if kind == "批次" {
                            x.batch.as_deref() == Some(part.name.as_str())
                        } else {
                            x.category == part.name
                        }
                    })
                    .collect();
                let sum: Decimal = of.iter().map(|x| x.budget.v).sum();
                if sum != part.amount.v {
                    self.error(
                        at(field),
                        part.amount.at,
                        format!(
                            "项目清单中{kind}“{}”的项目资金合计 {}，与此处 {}不符（差 {}）",
                            part.name,
                            m_(sum),
                            m_(part.amount.v),
                            m_((sum - part.amount.v).abs())
                        ),
                        Some("项目清单（projects.yaml）与资金表应出自同一套数据"),
                    );
                }
                if let Some(n) = part.projects
                    && Decimal::from(of.len()) != n.v
                {
                    self.error(
                        at(field),
                        n.at,
                        format!(
                            "项目清单中{kind}“{}”有 {} 个项目，此处写 {} 个（差 {} 个）",
                            part.name,
                            of.len(),
                            n.v,
                            (Decimal::from(of.len()) - n.v).abs()
                        ),
                        None,
                    );
                }
            }
            for (stated, computed, what) in [
                (sp.stated_start_rate, m.start_rate, "开工率"),
                (sp.stated_completion_rate, m.completion_rate, "竣工率"),
                (sp.stated_spending_rate, m.spending_rate, "支出进度"),
            ] {
                self.stated_rate(at("special"), stated, computed, what, None);
            }
        }
        if let Some(share) = m.industry_share {
            self.stated_rate(
                at("special"),
                sp.stated_industry_share,
                Some(share),
                "产业项目资金占比",
                None,
            );
            if share < sp.industry_min_share {
                let pos = sp
                    .stated_industry_share
                    .map(|n| n.at)
                    .or_else(|| sp.by_category.first().map(|p| p.amount.at))
                    .unwrap_or_default();
                self.warn(
                    at("special"),
                    pos,
                    format!(
                        "{}资金占比 {}%，低于要求的 {}%",
                        sp.industry_category,
                        num::fixed(share, 1),
                        sp.industry_min_share
                    ),
                    Some("产业发展资金占比应达到上级规定的比例"),
                );
            }
        }
    }

    /// A stated rate (in %) against the computed one, compared at the stated
    /// precision with half-up rounding.
    fn stated_rate(
        &mut self,
        at: At,
        stated: Option<N>,
        computed: Option<Decimal>,
        what: &str,
        ack: Option<&str>,
    ) {
        let (Some(s), Some(c)) = (stated, computed) else {
            return;
        };
        if !num::agrees(s.v, c) {
            let dp = num::scale(s.v);
            let diff = s.v - num::round(c, dp);
            let side = if diff.is_sign_negative() {
                "低"
            } else {
                "高"
            };
            let diff = diff.abs().normalize();
            self.mismatch(
                at,
                s.at,
                format!(
                    "{what}填报 {}%，按数据计算为 {}%（{}% 四舍五入；填报{side} {diff} 个百分点）",
                    s.v,
                    num::fixed(c, dp),
                    num::fixed(c, dp + 2),
                ),
                ack,
            );
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
                    at,
                    p.id.at,
                    format!("项目编号“{id}”重复"),
                    Some("每个项目的 id 须唯一"),
                );
            }
            let status = match p.status.s.trim() {
                "未开工" | "计划" | "planned" => Status::Planned,
                "在建" | "已开工" | "started" => Status::Started,
                "已完工" | "完工" | "竣工" | "已竣工" | "completed" => Status::Completed,
                other => {
                    self.error(
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
                    at,
                    s.at,
                    format!("项目“{id}”已支出 {} 超过安排资金 {}", s.v, budget.v),
                    None,
                );
            }
            let start = p.start.as_ref().and_then(|t| self.date(at, t));
            let end = p.end.as_ref().and_then(|t| self.date(at, t));
            if let (Some(s), Some(e)) = (start, end)
                && e < s
            {
                let pos = p.end.as_ref().map(|t| t.at).unwrap_or_default();
                self.error(
                    at,
                    pos,
                    format!("项目“{id}”完工日期 {e} 早于开工日期 {s}"),
                    None,
                );
            }
            if status == Status::Completed && p.end.is_none() {
                self.warn(
                    at,
                    p.status.at,
                    format!("项目“{id}”已完工但没有完工日期（end）"),
                    None,
                );
            }
            if status == Status::Planned && spent.is_some_and(|s| !s.v.is_zero()) {
                self.warn(at, p.status.at, format!("项目“{id}”未开工却已有支出"), None);
            }
            let beneficiaries = p
                .beneficiaries
                .as_ref()
                .map(|b| self.pair(at, b.households, b.persons))
                .unwrap_or_default();
            list.push(Project {
                id,
                name: p.name.s.trim().to_string(),
                category: p.category.s.trim().to_string(),
                town: p.town.as_ref().map(|t| t.s.trim().to_string()),
                village: p.village.as_ref().map(|t| t.s.trim().to_string()),
                batch: p.batch.as_ref().map(|t| t.s.trim().to_string()),
                budget,
                spent,
                status,
                start,
                end,
                beneficiaries,
            });
        }
        Projects {
            file: file.to_path_buf(),
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
        Some(Plan {
            year: plan_year,
            title: p.title.as_ref().map(|t| t.s.trim().to_string()),
            intro: p.intro.as_ref().map(|t| self.prose(file, t)),
            guiding: p.guiding.as_ref().map(|t| self.prose(file, t)),
            targets: self.figures(file, "targets", &p.targets),
            tasks: p
                .tasks
                .iter()
                .map(|t| Task {
                    text: self.prose(file, &t.text),
                    lead: t.lead.as_ref().map(|t| t.s.trim().to_string()),
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

fn part_name(field: &str) -> &'static str {
    match field {
        "batches" => "各批次",
        "by_source" => "各来源",
        _ => "各分项",
    }
}

/// One dimension (户 or 人) of the register reconciliation.
struct Dim {
    unit: &'static str,
    base: Decimal,
    done: Decimal,
    stated: Decimal,
    gap: Decimal,
    adjusted_gap: Decimal,
    net: Option<Decimal>,
}
