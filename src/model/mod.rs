//! Validated data: what the check stage makes of the raw files. Every value
//! here has passed its checks; numbers keep their source position (`N`) so
//! later findings can still point at the line.

pub(crate) mod cite;
pub(crate) mod legacy;
pub(crate) mod num;
pub(crate) mod prose;
pub(crate) mod provenance;
pub(crate) mod raw;
pub(crate) mod shape;

use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub(crate) use crate::model::cite::{Era, Labels};
pub(crate) use crate::model::shape::DocKind;

/// A chapter of a document.
#[derive(Clone, Debug)]
pub(crate) enum Chapter {
    /// One nianbao fills from the data, under the office's title.
    Builtin {
        which: crate::model::shape::Builtin,
        title: String,
        /// Text of the office's before what is generated.
        text: Option<Prose>,
        /// `主要工作`: the fields of work it holds, by title (all by default).
        measures: Option<Vec<String>>,
        /// `重点工作`: the tasks of one group only.
        group: Option<String>,
        /// Whether its generated tables print (default: the document's).
        tables: Option<bool>,
        /// The charts it holds, where the office says (see [`Block::charts`]).
        charts: Option<Vec<crate::model::shape::ChartKey>>,
    },
    /// The office's own.
    Own(Block),
}

/// A titled text with sections below it (a chapter, （一）, 1., （1）).
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub(crate) title: Option<String>,
    pub(crate) text: Option<Prose>,
    pub(crate) blocks: Vec<Block>,
    /// A chapter's charts, where the office placed them: named ones come
    /// here from their default place; an empty list leaves out the ones a
    /// built-in chapter holds by default.
    pub(crate) charts: Option<Vec<crate::model::shape::ChartKey>>,
}

impl Chapter {
    /// The chapters of a kind when the office names none.
    pub(crate) fn defaults(kind: DocKind) -> Vec<Chapter> {
        kind.default_chapters()
            .iter()
            .map(|&which| Chapter::Builtin {
                which,
                title: String::new(),
                text: None,
                measures: None,
                group: None,
                tables: None,
                charts: None,
            })
            .collect()
    }

    /// Whether the generated tables of the built-in chapter `which` print:
    /// as its chapter says, else as the document says.
    pub(crate) fn tables_print(
        chapters: &[Chapter],
        which: crate::model::shape::Builtin,
        default: bool,
    ) -> bool {
        chapters
            .iter()
            .find_map(|c| match c {
                Chapter::Builtin {
                    which: w, tables, ..
                } if *w == which => Some(tables.unwrap_or(default)),
                _ => None,
            })
            .unwrap_or(default)
    }

    /// The charts the office placed in it, if it said.
    pub(crate) fn charts(&self) -> Option<&[crate::model::shape::ChartKey]> {
        match self {
            Chapter::Builtin { charts, .. } => charts.as_deref(),
            Chapter::Own(b) => b.charts.as_deref(),
        }
    }

    /// The office's texts in it.
    pub(crate) fn proses(&self) -> Vec<&Prose> {
        match self {
            Chapter::Builtin { text, .. } => text.iter().collect(),
            Chapter::Own(b) => b.proses(),
        }
    }
}

impl Block {
    /// Its texts and those of every section below it.
    pub(crate) fn proses(&self) -> Vec<&Prose> {
        let mut out: Vec<&Prose> = self.text.iter().collect();
        for b in &self.blocks {
            out.extend(b.proses());
        }
        out
    }
}
use crate::diag::Pos;
use crate::model::raw::N;

/// A place in a data file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Loc {
    pub(crate) file: PathBuf,
    pub(crate) pos: Pos,
}

/// Prose written by the office (Markdown that may cite figures), with enough
/// of its position to map a line inside it back to the data file.
#[derive(Clone, Debug)]
pub(crate) struct Prose {
    pub(crate) text: String,
    pub(crate) file: PathBuf,
    /// Line and column of the prose's first character in the file.
    pub(crate) first: Pos,
    /// Whether it is a block scalar (`|`): then every line starts at `indent`.
    pub(crate) block: bool,
    pub(crate) indent: u32,
}

impl Prose {
    /// File position of a 1-based (line, column) inside the prose.
    pub(crate) fn map(&self, line: u32, col: u32) -> Pos {
        let line_no = self.first.line + line.saturating_sub(1);
        let col = if self.block {
            self.indent + col
        } else if line <= 1 {
            self.first.col + col.saturating_sub(1)
        } else {
            col
        };
        Pos { line: line_no, col }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pair {
    pub(crate) households: Option<N>,
    pub(crate) persons: Option<N>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Tally {
    pub(crate) households: Option<N>,
    pub(crate) persons: Option<N>,
    pub(crate) amount: Option<N>,
    pub(crate) count: Option<N>,
    pub(crate) value: Option<N>,
}

#[derive(Clone, Debug)]
pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) tally: Tally,
    /// The part's own money unit, when not the whole's (327.6万元 of 1.33亿元).
    pub(crate) amount_unit: Option<String>,
    /// The part's own unit of count or value (93笔 of 3171户).
    pub(crate) count_unit: Option<String>,
}

impl Part {
    /// The part's figures with its amount in the whole's money unit, exactly;
    /// a count or value in another unit is left out (it cannot be compared).
    pub(crate) fn in_units_of(&self, whole: Units) -> Tally {
        let mut t = self.tally.clone();
        if let Some(own) = &self.amount_unit {
            t.amount = match (t.amount, money_factor(own), money_factor(whole.amount)) {
                (Some(a), Some(from), Some(to)) => Some(N {
                    v: a.v * from / to,
                    ..a
                }),
                _ => None,
            };
        }
        if self.count_unit.is_some() {
            t.count = None;
            t.value = None;
        }
        t
    }

    /// The units the part is printed in: its own, else the whole's.
    pub(crate) fn units<'a>(&'a self, whole: Units<'a>) -> Units<'a> {
        let count = self.count_unit.as_deref();
        Units {
            value: count.unwrap_or(whole.value),
            count: count.unwrap_or(whole.count),
            amount: self.amount_unit.as_deref().unwrap_or(whole.amount),
        }
    }
}

/// How many 元 a money unit is: 元 1, 万元 10⁴, 亿元 10⁸ (else none).
pub(crate) fn money_factor(unit: &str) -> Option<Decimal> {
    match unit {
        "元" => Some(Decimal::ONE),
        "万元" => Some(Decimal::from(10_000)),
        "亿元" => Some(Decimal::from(100_000_000)),
        _ => None,
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Breakdown {
    pub(crate) by: String,
    /// 其中: some of the whole, not all of it.
    pub(crate) subset: bool,
    pub(crate) parts: Vec<Part>,
}

#[derive(Clone, Debug)]
pub(crate) struct Office {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) short_name: String,
    pub(crate) region: Option<String>,
    pub(crate) signature: String,
    pub(crate) years: Vec<Year>,
    /// 下辖单位 (`units:`): folder names, with where each is written.
    pub(crate) units: Vec<(String, crate::diag::Pos)>,
    pub(crate) print: Print,
}

/// How the office's documents are printed: stamped after printing or not
/// (GB/T 9704-2012 7.3.5.1 or 7.3.5.2: where the 署名 and date go), and
/// the faces the office names for Word (`None`: the default).
#[derive(Clone, Debug, serde::Serialize)]
pub(crate) struct Print {
    pub(crate) seal: bool,
    pub(crate) fonts: Fonts,
}

/// The faces an office names in place of the standard's four.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub(crate) struct Fonts {
    pub(crate) fangsong: Option<String>,
    pub(crate) kaiti: Option<String>,
    pub(crate) heiti: Option<String>,
    pub(crate) xiaobiaosong: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Year {
    pub(crate) year: i32,
    pub(crate) dir: PathBuf,
    pub(crate) title: String,
    /// The office's own lines of the title (`title_lines`), if it set them.
    pub(crate) title_lines: Vec<String>,
    pub(crate) as_of: Option<NaiveDate>,
    /// 成文日期, when the document has one.
    pub(crate) issued: Option<NaiveDate>,
    pub(crate) intro: Prose,
    pub(crate) overview: Option<Prose>,
    pub(crate) reconstructed: Option<String>,
    pub(crate) illustrative: Option<String>,
    pub(crate) register: Option<Register>,
    pub(crate) funds: Option<Funds>,
    pub(crate) projects: Option<Projects>,
    pub(crate) measures: Vec<Measure>,
    pub(crate) problems: Option<Problems>,
    pub(crate) plan: Option<Plan>,
    /// Whether the year has a report (report.yaml): a year of plan.yaml
    /// alone makes its plan and no 总结.
    pub(crate) has_report: bool,
    /// A draft (`draft: true`): published only by `build --drafts`, marked
    /// 草稿, and never the office's latest.
    pub(crate) draft: bool,
    pub(crate) kind: DocKind,
    /// The report's chapters, in order (the kind's own by default).
    pub(crate) chapters: Vec<Chapter>,
    /// 结束语, before the signature.
    pub(crate) closing: Option<Prose>,
    /// Whether generated tables print (`tables: true`); else the web page
    /// shows them apart.
    pub(crate) tables: bool,
    /// Labels of figures that were written but rejected by check: a
    /// citation of one is not reported again.
    pub(crate) rejected: std::collections::BTreeSet<String>,
    /// The year's files that could not be read (YAML syntax, a wrong key
    /// or type): their figures are missing, so citations are not checked.
    pub(crate) unread: Vec<String>,
}

impl Year {
    /// The unit money is written in (`funds.yaml`'s `unit`, else 万元).
    pub(crate) fn money_unit(&self) -> &str {
        self.funds.as_ref().map_or("万元", |f| f.unit.as_str())
    }

    /// The register's vocabulary (the defaults without a register).
    pub(crate) fn labels(&self) -> Labels {
        self.register.as_ref().map_or_else(
            || Labels::of_era(Era::of_year(self.year)),
            |r| r.labels.clone(),
        )
    }

    /// The office's own figures that the narrative may cite, in file order.
    pub(crate) fn figures(&self) -> impl Iterator<Item = &Figure> {
        let funds = self.funds.iter().flat_map(|f| f.figures.iter());
        let measures = self.measures.iter().flat_map(|m| m.figures.iter());
        funds.chain(measures)
    }

    /// Every text of the year that may cite figures.
    pub(crate) fn proses(&self) -> impl Iterator<Item = &Prose> {
        let chapters = self.chapters.iter().flat_map(Chapter::proses);
        let report = std::iter::once(&self.intro)
            .chain(self.overview.as_ref())
            .chain(chapters)
            .chain(self.closing.as_ref());
        let funds = self.funds.iter().flat_map(|f| f.narrative.as_ref());
        let measures = self.measures.iter().flat_map(|m| m.narrative.as_ref());
        let problems = self
            .problems
            .iter()
            .flat_map(|p| p.intro.iter().chain(p.items.iter()));
        let plan = self.plan.iter().flat_map(|p| {
            p.intro
                .iter()
                .chain(p.guiding.as_ref())
                .chain(p.tasks.iter().map(|t| &t.text))
                .chain(p.phases.iter().flat_map(|ph| ph.text.as_ref()))
                .chain(p.safeguards.iter())
                .chain(p.chapters.iter().flat_map(Chapter::proses))
                .chain(p.closing.as_ref())
        });
        report
            .chain(funds)
            .chain(measures)
            .chain(problems)
            .chain(plan)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct ExitYear {
    /// The year, or the last year of a range.
    pub(crate) year: i32,
    /// The first year of a range (`2014-2015年脱贫`).
    pub(crate) from: Option<i32>,
    pub(crate) pair: Pair,
    pub(crate) villages: Villages,
}

impl ExitYear {
    /// `2016` or `2014-2015`, as the year is written before 年.
    pub(crate) fn span(&self) -> String {
        match self.from {
            Some(from) => format!("{from}-{}", self.year),
            None => self.year.to_string(),
        }
    }

    /// Whether the entry covers `year`.
    pub(crate) fn covers(&self, year: i32) -> bool {
        (self.from.unwrap_or(self.year)..=self.year).contains(&year)
    }
}

/// Villages that exited (or are planned to): by name, or only counted.
#[derive(Clone, Debug, Default)]
pub(crate) struct Villages {
    pub(crate) names: Vec<String>,
    /// How many: the names', or the count the data gives instead.
    pub(crate) count: usize,
}

#[derive(Clone, Debug)]
pub(crate) struct Adjustment {
    pub(crate) added: Pair,
    pub(crate) removed: Pair,
}

#[derive(Clone, Debug)]
pub(crate) struct Remaining {
    pub(crate) pair: Pair,
    pub(crate) villages: Option<N>,
    pub(crate) breakdowns: Vec<Breakdown>,
    pub(crate) pos: Pos,
}

#[derive(Clone, Debug)]
pub(crate) struct Planned {
    pub(crate) pair: Pair,
    pub(crate) villages: Villages,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Targets {
    pub(crate) villages: Option<N>,
    pub(crate) households: Option<N>,
    pub(crate) persons: Option<N>,
}

#[derive(Clone, Debug)]
pub(crate) struct Incidence {
    pub(crate) denominator: N,
    pub(crate) denominator_label: String,
    pub(crate) stated: Option<N>,
    pub(crate) stated_after: Option<N>,
}

#[derive(Clone, Debug)]
pub(crate) struct Register {
    pub(crate) file: PathBuf,
    pub(crate) labels: Labels,
    pub(crate) villages: Option<N>,
    pub(crate) baseline: Pair,
    pub(crate) exits: Vec<ExitYear>,
    pub(crate) adjustments: Vec<Adjustment>,
    pub(crate) current: Option<Pair>,
    /// Exits to date as stated, for a source that gives no years.
    pub(crate) cumulative: Option<Pair>,
    /// Every object ever monitored, and its breakdowns by type.
    pub(crate) monitored: Option<Remaining>,
    /// Objects pending identification (拟识别).
    pub(crate) pending: Option<Pair>,
    pub(crate) remaining: Option<Remaining>,
    pub(crate) planned: Option<Planned>,
    pub(crate) targets: Option<Targets>,
    pub(crate) incidence: Option<Incidence>,
    /// Every exit entry was accepted: the register can be reconciled.
    pub(crate) exits_complete: bool,
    /// The village count agrees with the village names (where both are given).
    pub(crate) villages_consistent: bool,
}

/// What a figure is, decided by the keys it was given.
#[derive(Clone, Debug)]
pub(crate) enum FigureKind {
    /// A plain value with its unit.
    Value { value: N },
    /// An achieved value against a plan: 完成计划的 N%.
    Plan { value: N, plan: N },
    /// A rate: numerator / denominator.
    Ratio {
        numerator: N,
        denominator: N,
        numerator_label: Option<String>,
        denominator_label: Option<String>,
    },
    /// Indicator triple: 应 / 已 / 未 and 率 = 已 / 应; 未 as the office
    /// states it, when it does (it prints as stated: with `ack`, even where
    /// 应 − 已 is another number).
    Triple {
        should: N,
        done: N,
        undone: Option<N>,
    },
    /// 由 from 提高到 to.
    Change { from: N, to: N },
    /// An average or per-capita figure: sum × scale ÷ count.
    Average { sum: N, count: N, scale: Decimal },
    /// A rate the source gives with nothing to compute it from: printed as
    /// stated, and listed as not checkable.
    StatedRate { stated: N },
    /// A total with breakdowns.
    Total {
        total: Tally,
        breakdowns: Vec<Breakdown>,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct Figure {
    pub(crate) label: String,
    pub(crate) unit: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) kind: FigureKind,
    /// Thresholds: 不低于 / 不高于 (of the value, or of the rate in %).
    pub(crate) at_least: Option<N>,
    pub(crate) at_most: Option<N>,
    /// A value given as a range: `value`～`max`.
    pub(crate) max: Option<N>,
    pub(crate) stated: Option<N>,
    /// Decimals shown for the figure's computed rate.
    pub(crate) precision: u32,
    pub(crate) ack: Option<String>,
    /// Plan targets: the register figure of this year it is compared with.
    pub(crate) compare: Option<Compare>,
    pub(crate) loc: Loc,
    /// Its field path, e.g. `measures[2].figures[0]`.
    pub(crate) field: String,
    /// How the source words a value that is not exact (70多万元, 约70万元,
    /// 4万元以上).
    pub(crate) approx: Option<Approx>,
}

/// A word around a value that is not exact, and where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Approx {
    /// 约70万元, 不低于4万元
    Before(String),
    /// 70多万元
    Between(String),
    /// 70万元左右, 4万元以上
    After(String),
}

impl Approx {
    /// The word, if nianbao knows where it goes.
    pub(crate) fn of(word: &str) -> Option<Approx> {
        let w = word.to_string();
        match word {
            "约" | "近" | "超过" | "不低于" | "不少于" | "不高于" | "不超过" | "至少" | "最多"
            | "达到" | "逾" | "大约" | "突破" | "超" | "接近" | "将近" | "高达" | "累计达" => {
                Some(Approx::Before(w))
            }
            "多" | "余" => Some(Approx::Between(w)),
            "左右" | "以上" | "以下" | "以内" | "上下" => Some(Approx::After(w)),
            _ => None,
        }
    }

    /// A whole text of several quantities (`3050万元`, `3171户1.33亿元`)
    /// worded with it: before or after all of it; 多 and 余 only where the
    /// text is one quantity, between its number and unit.
    pub(crate) fn around(&self, text: &str) -> Option<String> {
        match self {
            Approx::Before(w) => Some(format!("{w}{text}")),
            Approx::After(w) => Some(format!("{text}{w}")),
            Approx::Between(w) => {
                let end = text
                    .char_indices()
                    .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
                    .map(|(i, _)| i)?;
                let (number, unit) = text.split_at(end);
                let more = unit.chars().any(|c| c.is_ascii_digit());
                (end > 0 && !more).then(|| format!("{number}{w}{unit}"))
            }
        }
    }

    /// `number` and `unit` worded with it.
    pub(crate) fn word(&self, number: &str, unit: &str) -> String {
        match self {
            Approx::Before(w) => format!("{w}{number}{unit}"),
            Approx::Between(w) => format!("{number}{w}{unit}"),
            Approx::After(w) => format!("{number}{unit}{w}"),
        }
    }
}

/// Which of this year's register figures a plan target continues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Compare {
    Persons,
    Households,
    Villages,
}

#[derive(Clone, Debug)]
pub(crate) struct FundPart {
    pub(crate) name: String,
    pub(crate) projects: Option<N>,
    pub(crate) amount: N,
}

#[derive(Clone, Debug)]
pub(crate) struct Special {
    pub(crate) label: String,
    pub(crate) stated_total: Option<N>,
    pub(crate) stated_projects: Option<N>,
    pub(crate) batches: Vec<FundPart>,
    pub(crate) by_category: Vec<FundPart>,
    pub(crate) by_source: Vec<FundPart>,
    pub(crate) stated_start_rate: Option<N>,
    pub(crate) stated_completion_rate: Option<N>,
    pub(crate) stated_spending_rate: Option<N>,
    pub(crate) industry_category: String,
    pub(crate) stated_industry_share: Option<N>,
    pub(crate) industry_min_share: Decimal,
}

#[derive(Clone, Debug)]
pub(crate) struct Funds {
    pub(crate) file: PathBuf,
    pub(crate) unit: String,
    pub(crate) precision: u32,
    pub(crate) title: String,
    pub(crate) narrative: Option<Prose>,
    pub(crate) figures: Vec<Figure>,
    pub(crate) special: Option<Special>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Status {
    Planned,
    Started,
    Completed,
}

impl Status {
    /// Every spelling [`Status::parse`] takes (for the schema's enum).
    pub(crate) const NAMES: &[&str] = &[
        "未开工",
        "计划",
        "planned",
        "在建",
        "已开工",
        "started",
        "已完工",
        "完工",
        "竣工",
        "已竣工",
        "completed",
    ];

    /// A status as written in the data, with the names offices use for it.
    pub(crate) fn parse(s: &str) -> Option<Status> {
        match s {
            "未开工" | "计划" | "planned" => Some(Status::Planned),
            "在建" | "已开工" | "started" => Some(Status::Started),
            "已完工" | "完工" | "竣工" | "已竣工" | "completed" => {
                Some(Status::Completed)
            }
            _ => None,
        }
    }

    /// How documents name it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Status::Planned => "未开工",
            Status::Started => "在建",
            Status::Completed => "已完工",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Project {
    /// The line its entry starts on (its `id`).
    pub(crate) line: u32,
    pub(crate) name: String,
    pub(crate) category: String,
    pub(crate) town: Option<String>,
    pub(crate) village: Option<String>,
    pub(crate) batch: Option<String>,
    pub(crate) budget: N,
    pub(crate) spent: Option<N>,
    pub(crate) status: Status,
}

#[derive(Clone, Debug)]
pub(crate) struct Projects {
    /// Some entries could not be read (and were reported): list sums are
    /// not checked against the funds.
    pub(crate) incomplete: bool,
    pub(crate) illustrative: Option<String>,
    pub(crate) list: Vec<Project>,
}

#[derive(Clone, Debug)]
pub(crate) struct Measure {
    pub(crate) title: String,
    pub(crate) heading: Option<String>,
    pub(crate) narrative: Option<Prose>,
    pub(crate) figures: Vec<Figure>,
}

#[derive(Clone, Debug)]
pub(crate) struct Problems {
    pub(crate) intro: Option<Prose>,
    pub(crate) items: Vec<Prose>,
}

#[derive(Clone, Debug)]
pub(crate) struct Task {
    pub(crate) text: Prose,
    pub(crate) group: Option<String>,
    pub(crate) lead: Option<String>,
    pub(crate) deputy: Option<String>,
    pub(crate) unit: Option<String>,
    pub(crate) deadline: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Phase {
    pub(crate) name: String,
    pub(crate) text: Option<Prose>,
    pub(crate) deadline: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub(crate) year: i32,
    pub(crate) title: Option<String>,
    /// The office's own lines of the title (`title_lines`), if it set them.
    pub(crate) title_lines: Vec<String>,
    pub(crate) kind: DocKind,
    pub(crate) theme: String,
    pub(crate) issued: Option<NaiveDate>,
    pub(crate) chapters: Vec<Chapter>,
    pub(crate) closing: Option<Prose>,
    pub(crate) tables: bool,
    pub(crate) intro: Option<Prose>,
    pub(crate) guiding: Option<Prose>,
    pub(crate) targets: Vec<Figure>,
    pub(crate) tasks: Vec<Task>,
    pub(crate) phases: Vec<Phase>,
    pub(crate) safeguards: Vec<Prose>,
}

/// The units a tally's numbers print with.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Units<'a> {
    pub(crate) value: &'a str,
    pub(crate) count: &'a str,
    pub(crate) amount: &'a str,
}

impl<'a> Units<'a> {
    /// A figure's own unit is the unit of its amounts when it is money
    /// (`1.33亿元`), else of its counts and values (`47384人次`, `12公里`);
    /// amounts are otherwise in the funds' unit.
    pub(crate) fn of(unit: Option<&'a str>, money_unit: &'a str) -> Units<'a> {
        match unit {
            Some(u) if is_money(u) => Units {
                value: u,
                count: "个",
                amount: u,
            },
            Some(u) => Units {
                value: u,
                count: u,
                amount: money_unit,
            },
            None => Units {
                value: "",
                count: "个",
                amount: money_unit,
            },
        }
    }
}

/// 元, 万元, 亿元: a unit of money.
pub(crate) fn is_money(unit: &str) -> bool {
    unit.ends_with('元')
}
