//! Validated data: what the check stage makes of the raw files. Every value
//! here has passed its checks; numbers keep their source position (`N`) so
//! later findings can still point at the line.

use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diag::Pos;
use crate::raw::N;

/// A place in a data file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loc {
    pub file: PathBuf,
    pub pos: Pos,
}

/// Prose written by the office (Markdown that may cite figures), with enough
/// of its position to map a line inside it back to the data file.
#[derive(Clone, Debug)]
pub struct Prose {
    pub text: String,
    pub file: PathBuf,
    /// Line and column of the prose's first character in the file.
    pub first: Pos,
    /// Whether it is a block scalar (`|`): then every line starts at `indent`.
    pub block: bool,
    pub indent: u32,
}

impl Prose {
    /// File position of a 1-based (line, column) inside the prose.
    pub fn map(&self, line: u32, col: u32) -> Pos {
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
pub struct Pair {
    pub households: Option<N>,
    pub persons: Option<N>,
}

#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub households: Option<N>,
    pub persons: Option<N>,
    pub amount: Option<N>,
    pub count: Option<N>,
    pub value: Option<N>,
}

#[derive(Clone, Debug)]
pub struct Part {
    pub name: String,
    pub tally: Tally,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct Breakdown {
    pub by: String,
    pub parts: Vec<Part>,
}

#[derive(Clone, Debug)]
pub struct Office {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub region: Option<String>,
    pub signature: String,
    pub years: Vec<Year>,
}

#[derive(Clone, Debug)]
pub struct Year {
    pub year: i32,
    pub dir: PathBuf,
    pub theme: String,
    pub title: String,
    pub as_of: Option<NaiveDate>,
    pub issued: NaiveDate,
    pub intro: Prose,
    pub overview: Option<Prose>,
    pub reconstructed: Option<String>,
    pub register: Option<Register>,
    pub funds: Option<Funds>,
    pub projects: Option<Projects>,
    pub measures: Vec<Measure>,
    pub problems: Option<Problems>,
    pub plan: Option<Plan>,
}

#[derive(Clone, Debug)]
pub struct Labels {
    pub subject: String,
    pub exit: String,
    pub village: String,
    pub village_exit: String,
}

#[derive(Clone, Debug)]
pub struct ExitYear {
    pub year: i32,
    pub pair: Pair,
    pub villages: Vec<String>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct Adjustment {
    pub label: Option<String>,
    pub added: Pair,
    pub removed: Pair,
}

#[derive(Clone, Debug)]
pub struct Remaining {
    pub pair: Pair,
    pub villages: Option<N>,
    pub breakdowns: Vec<Breakdown>,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub struct Planned {
    pub pair: Pair,
    pub villages: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Targets {
    pub villages: Option<N>,
    pub households: Option<N>,
    pub persons: Option<N>,
}

#[derive(Clone, Debug)]
pub struct Incidence {
    pub denominator: N,
    pub denominator_label: String,
    pub stated: Option<N>,
    pub stated_after: Option<N>,
}

#[derive(Clone, Debug)]
pub struct Register {
    pub file: PathBuf,
    pub labels: Labels,
    pub villages: Option<N>,
    pub village_names: Vec<String>,
    pub baseline: Pair,
    pub exits: Vec<ExitYear>,
    pub adjustments: Vec<Adjustment>,
    pub current: Option<Pair>,
    pub remaining: Option<Remaining>,
    pub planned: Option<Planned>,
    pub targets: Option<Targets>,
    pub incidence: Option<Incidence>,
}

/// What a figure is, decided by the keys it was given.
#[derive(Clone, Debug)]
pub enum FigureKind {
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
    /// Indicator triple: 应 / 已 / 未 and 率 = 已 / 应.
    Triple {
        should: N,
        done: N,
        undone: Option<N>,
    },
    /// 由 from 提高到 to.
    Change { from: N, to: N },
    /// A total with breakdowns.
    Total {
        total: Tally,
        breakdowns: Vec<Breakdown>,
    },
}

#[derive(Clone, Debug)]
pub struct Figure {
    pub label: String,
    pub unit: Option<String>,
    pub note: Option<String>,
    pub kind: FigureKind,
    pub stated: Option<N>,
    /// Decimals shown for the figure's computed rate.
    pub precision: u32,
    pub ack: Option<String>,
    /// Plan targets: the register figure of this year it is compared with.
    pub compare: Option<Compare>,
    pub loc: Loc,
}

/// Which of this year's register figures a plan target continues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    Persons,
    Households,
    Villages,
}

#[derive(Clone, Debug)]
pub struct FundPart {
    pub name: String,
    pub projects: Option<N>,
    pub amount: N,
}

#[derive(Clone, Debug)]
pub struct Special {
    pub label: String,
    pub stated_total: Option<N>,
    pub stated_projects: Option<N>,
    pub batches: Vec<FundPart>,
    pub by_category: Vec<FundPart>,
    pub by_source: Vec<FundPart>,
    pub stated_start_rate: Option<N>,
    pub stated_completion_rate: Option<N>,
    pub stated_spending_rate: Option<N>,
    pub industry_category: String,
    pub stated_industry_share: Option<N>,
    pub industry_min_share: Decimal,
}

#[derive(Clone, Debug)]
pub struct Funds {
    pub file: PathBuf,
    pub unit: String,
    pub precision: u32,
    pub title: String,
    pub narrative: Option<Prose>,
    pub figures: Vec<Figure>,
    pub special: Option<Special>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Planned,
    Started,
    Completed,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Planned => "未开工",
            Status::Started => "在建",
            Status::Completed => "已完工",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub category: String,
    pub town: Option<String>,
    pub village: Option<String>,
    pub batch: Option<String>,
    pub budget: N,
    pub spent: Option<N>,
    pub status: Status,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub beneficiaries: Pair,
}

#[derive(Clone, Debug)]
pub struct Projects {
    pub file: PathBuf,
    /// Some entries could not be read (and were reported): list sums are
    /// not checked against the funds.
    pub incomplete: bool,
    pub illustrative: Option<String>,
    pub list: Vec<Project>,
}

#[derive(Clone, Debug)]
pub struct Measure {
    pub title: String,
    pub heading: Option<String>,
    pub narrative: Option<Prose>,
    pub figures: Vec<Figure>,
}

#[derive(Clone, Debug)]
pub struct Problems {
    pub intro: Option<Prose>,
    pub items: Vec<Prose>,
}

#[derive(Clone, Debug)]
pub struct Task {
    pub text: Prose,
    pub lead: Option<String>,
    pub unit: Option<String>,
    pub deadline: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Phase {
    pub name: String,
    pub text: Option<Prose>,
    pub deadline: String,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub year: i32,
    pub title: Option<String>,
    pub intro: Option<Prose>,
    pub guiding: Option<Prose>,
    pub targets: Vec<Figure>,
    pub tasks: Vec<Task>,
    pub phases: Vec<Phase>,
    pub safeguards: Vec<Prose>,
}
