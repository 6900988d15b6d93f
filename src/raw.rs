//! The data format as typed by office staff: one struct per YAML file, every
//! scalar with its line and column. Unknown keys are errors everywhere, so a
//! misspelt key never silently drops a figure. See `docs/数据格式.md`.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

use crate::diag::Pos;
use crate::num;

fn pos_of<T>(s: &Spanned<T>) -> Pos {
    Pos {
        line: s.referenced.line() as u32,
        col: s.referenced.column() as u32,
    }
}

/// A number with its position. Parsed from the scalar's text, never via f64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct N {
    pub v: Decimal,
    pub at: Pos,
}

struct NumText(Decimal);

impl<'de> Deserialize<'de> for NumText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = NumText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("一个数字")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NumText, E> {
                num::parse(v).map(NumText).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<NumText, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<NumText, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<NumText, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for N {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<NumText>::deserialize(d)?;
        Ok(N {
            at: pos_of(&s),
            v: s.value.0,
        })
    }
}

/// A string with its position.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Text {
    pub s: String,
    pub at: Pos,
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<String>::deserialize(d)?;
        Ok(Text {
            at: pos_of(&s),
            s: s.value,
        })
    }
}

/// `data/<office>/office.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeFile {
    /// 全称, e.g. xx区扶贫开发领导小组办公室
    pub name: Text,
    /// 简称 used in titles, e.g. xx区扶贫办
    pub short_name: Option<Text>,
    /// 地区, e.g. xx区 (used in prose: “全区”)
    pub region: Option<Text>,
    /// 层级: 区县 / 乡镇 / 部门
    pub level: Option<Text>,
    /// 落款 when it differs from the name
    pub signature: Option<Text>,
}

/// `report.yaml`: the year's document settings and opening prose.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportFile {
    pub year: Option<N>,
    /// 工作主题, e.g. 脱贫攻坚 / 巩固拓展脱贫攻坚成果 — used in the default title
    pub theme: Text,
    pub title: Option<Text>,
    /// 数据截至日期
    pub as_of: Option<Text>,
    /// 成文日期
    pub issued: Text,
    /// 导语 (Markdown, may cite figures)
    pub intro: Text,
    /// Extra prose for 一、总体情况
    pub overview: Option<Text>,
    /// Set when the year's data was reconstructed, with how
    pub reconstructed: Option<Text>,
}

/// 户/人 (and village) counts, any of which may be given.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct Count {
    pub households: Option<N>,
    pub persons: Option<N>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub villages: Option<N>,
    pub village_names: Option<Vec<Text>>,
    pub households: Option<N>,
    pub persons: Option<N>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exit {
    pub year: N,
    pub households: Option<N>,
    pub persons: Option<N>,
    #[serde(default)]
    pub villages: Vec<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    pub label: Option<Text>,
    pub added: Option<Count>,
    pub removed: Option<Count>,
}

/// A named part of a total (户/人/金额/个数/数值).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub name: Text,
    pub households: Option<N>,
    pub persons: Option<N>,
    pub amount: Option<N>,
    pub count: Option<N>,
    pub value: Option<N>,
}

/// A total without a name.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    pub households: Option<N>,
    pub persons: Option<N>,
    pub amount: Option<N>,
    pub count: Option<N>,
    pub value: Option<N>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Breakdown {
    /// What the parts are by, e.g. 类型 / 户籍 / 学段
    pub by: Text,
    pub parts: Vec<Part>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remaining {
    pub households: Option<N>,
    pub persons: Option<N>,
    pub villages: Option<N>,
    #[serde(default)]
    pub breakdowns: Vec<Breakdown>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Planned {
    pub households: Option<N>,
    pub persons: Option<N>,
    #[serde(default)]
    pub villages: Vec<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub villages: Option<N>,
    pub households: Option<N>,
    pub persons: Option<N>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incidence {
    /// 分母 as the office states it, e.g. 2014年底农业户籍人口
    pub denominator: N,
    pub denominator_label: Text,
    /// 贫困发生率 as stated, in %
    pub stated: Option<N>,
    /// 贫困发生率 after this year's planned exits, as stated, in %
    pub stated_after: Option<N>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// 对象, default 建档立卡贫困人口 (after 2021 e.g. 监测对象)
    pub subject: Option<Text>,
    /// 退出, default 脱贫 (e.g. 风险消除)
    pub exit: Option<Text>,
    /// 村, default 贫困村
    pub village: Option<Text>,
    /// 村退出, default 出列
    pub village_exit: Option<Text>,
}

/// `register.yaml`: the register (建档立卡) and its exits.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterFile {
    #[serde(default)]
    pub labels: Labels,
    pub baseline: Baseline,
    #[serde(default)]
    pub exits: Vec<Exit>,
    #[serde(default)]
    pub adjustments: Vec<Adjustment>,
    pub current: Option<Count>,
    pub remaining: Option<Remaining>,
    pub planned: Option<Planned>,
    pub targets: Option<Targets>,
    pub incidence: Option<Incidence>,
}

/// A figure of a field of work: its kind follows from the keys given.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub label: Text,
    pub unit: Option<Text>,
    pub note: Option<Text>,
    /// Plain value, or the achieved value of a plan figure
    pub value: Option<N>,
    /// Plan for `value` (完成计划的 N%)
    pub plan: Option<N>,
    /// Rate: numerator / denominator
    pub numerator: Option<N>,
    pub denominator: Option<N>,
    pub numerator_label: Option<Text>,
    pub denominator_label: Option<Text>,
    /// Indicator triple: 应 / 已 / 未
    pub should: Option<N>,
    pub done: Option<N>,
    pub undone: Option<N>,
    /// Change: 由 from 提高到 to
    pub from: Option<N>,
    pub to: Option<N>,
    /// Total with one or more breakdowns
    pub total: Option<Tally>,
    #[serde(default)]
    pub breakdowns: Vec<Breakdown>,
    /// The rate (%) as the office stated it, checked against the computed one
    pub stated: Option<N>,
    /// Decimals for the computed rate (default: the stated one's, at least 1)
    pub precision: Option<N>,
    /// Why a published figure that `check` flags is kept as published
    pub ack: Option<Text>,
    /// Plan targets only: this year's register figure to set beside it
    /// (人 / 户 / 村)
    pub compare: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundPart {
    pub name: Text,
    pub projects: Option<N>,
    pub amount: N,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialFunds {
    /// e.g. 中央、省、市、区财政专项扶贫资金
    pub label: Text,
    pub stated_total: Option<N>,
    pub stated_projects: Option<N>,
    #[serde(default)]
    pub batches: Vec<FundPart>,
    #[serde(default)]
    pub by_category: Vec<FundPart>,
    #[serde(default)]
    pub by_source: Vec<FundPart>,
    pub stated_start_rate: Option<N>,
    pub stated_completion_rate: Option<N>,
    pub stated_spending_rate: Option<N>,
    /// The 产业 category's name (default 产业发展) and its stated share
    pub industry_category: Option<Text>,
    pub stated_industry_share: Option<N>,
    /// Minimum 产业 share in % (default 55)
    pub industry_min_share: Option<N>,
}

/// `funds.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundsFile {
    /// 资金单位, default 万元
    pub unit: Option<Text>,
    /// Decimals for computed amounts (default 2)
    pub precision: Option<N>,
    /// Section title in 二、主要工作及成效
    pub title: Option<Text>,
    pub narrative: Option<Text>,
    #[serde(default)]
    pub figures: Vec<Figure>,
    pub special: Option<SpecialFunds>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub id: Text,
    pub name: Text,
    pub category: Text,
    pub town: Option<Text>,
    pub village: Option<Text>,
    pub batch: Option<Text>,
    pub budget: N,
    pub spent: Option<N>,
    /// 未开工 / 在建 / 已完工
    pub status: Text,
    pub start: Option<Text>,
    pub end: Option<Text>,
    pub beneficiaries: Option<Count>,
}

/// `projects.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectsFile {
    /// Set when the list is illustrative, with why
    pub illustrative: Option<Text>,
    #[serde(default)]
    pub projects: Vec<Project>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// 工作领域, e.g. 产业扶贫
    pub title: Text,
    /// Optional full heading, e.g. 坚持因地制宜,产业扶贫成效明显
    pub heading: Option<Text>,
    pub narrative: Option<Text>,
    #[serde(default)]
    pub figures: Vec<Figure>,
}

/// `measures.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasuresFile {
    pub measures: Vec<Measure>,
}

/// `problems.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemsFile {
    pub intro: Option<Text>,
    pub problems: Vec<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub text: Text,
    /// 责任领导
    pub lead: Option<Text>,
    /// 责任单位
    pub unit: Option<Text>,
    /// 工作时限
    pub deadline: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub name: Text,
    pub text: Option<Text>,
    pub deadline: Text,
}

/// `plan.yaml`: next year's plan.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// Plan year, default the report year + 1
    pub year: Option<N>,
    /// Title of the 计划, default `<简称><年>年工作计划`
    pub title: Option<Text>,
    pub intro: Option<Text>,
    /// 指导思想
    pub guiding: Option<Text>,
    #[serde(default)]
    pub targets: Vec<Figure>,
    pub tasks: Vec<Task>,
    #[serde(default)]
    pub phases: Vec<Phase>,
    #[serde(default)]
    pub safeguards: Vec<Text>,
}
