//! The data format as typed by office staff: one struct per YAML file, every
//! scalar with its line and column. Unknown keys are errors everywhere, so a
//! misspelt key never silently drops a figure. See `docs/数据格式.md`.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

use crate::diag::Pos;
use crate::model::num;

fn pos_of<T>(s: &Spanned<T>) -> Pos {
    Pos {
        line: s.referenced.line() as u32,
        col: s.referenced.column() as u32,
    }
}

/// A number with its position. Parsed from the scalar's text, never via f64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct N {
    pub(crate) v: Decimal,
    pub(crate) at: Pos,
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
pub(crate) struct Text {
    pub(crate) s: String,
    pub(crate) at: Pos,
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<String>::deserialize(d)?;
        if let Some(c) = s.value.chars().find(|c| is_hidden_control(*c)) {
            return Err(serde::de::Error::custom(format!(
                "文字中有控制字符 U+{:04X}",
                u32::from(c)
            )));
        }
        Ok(Text {
            at: pos_of(&s),
            s: s.value,
        })
    }
}

/// Characters no report text needs and that can hide or disguise what is
/// printed: control characters other than tab and line breaks (a YAML
/// escape such as `"\0"` or `"\e"` gives them), and those that change
/// the direction of the text around them.
pub(crate) fn is_hidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `data/<office>/office.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OfficeFile {
    /// 全称, e.g. xx区扶贫开发领导小组办公室
    pub(crate) name: Text,
    /// 简称 used in titles, e.g. xx区扶贫办
    pub(crate) short_name: Option<Text>,
    /// 地区, e.g. xx区 (used in prose: “全区”)
    pub(crate) region: Option<Text>,
    /// 层级: 省级 / 市级 / 区县 / 乡镇 / 部门 (checked; not printed)
    pub(crate) level: Option<Text>,
    /// 下辖单位: the folder names (under data/) of the townships (or
    /// counties) whose figures this office's add up
    #[serde(default)]
    pub(crate) units: Vec<Text>,
    /// 落款 when it differs from the name
    pub(crate) signature: Option<Text>,
    /// Whether the documents are stamped (GB/T 9704 7.3.5): true by default
    pub(crate) seal: Option<bool>,
    /// Word's faces where the office wants others than the shipped ones
    pub(crate) fonts: Option<Fonts>,
}

/// `fonts:` in office.yaml: a face for each of the standard's four.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fonts {
    pub(crate) fangsong: Option<Text>,
    pub(crate) kaiti: Option<Text>,
    pub(crate) heiti: Option<Text>,
    pub(crate) xiaobiaosong: Option<Text>,
}

/// `report.yaml`: the year's document settings and opening prose.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportFile {
    pub(crate) year: Option<N>,
    /// 工作主题, e.g. 脱贫攻坚 / 巩固拓展脱贫攻坚成果 — used in the default title
    pub(crate) theme: Text,
    pub(crate) title: Option<Text>,
    /// The title in the office's own lines (their concatenation is the
    /// title; it takes the place of `title`)
    pub(crate) title_lines: Option<Vec<Text>>,
    /// 数据截至日期
    pub(crate) as_of: Option<Text>,
    /// 成文日期
    pub(crate) issued: Option<Text>,
    /// 导语 (Markdown, may cite figures)
    pub(crate) intro: Text,
    /// Extra prose for 一、总体情况
    pub(crate) overview: Option<Text>,
    /// Set when the year's data was reconstructed, with how
    pub(crate) reconstructed: Option<Text>,
    /// Set when some figures are illustrative (示意), with which
    pub(crate) illustrative: Option<Text>,
    /// 总结 (default), 汇报, 情况报告, 总结及计划
    pub(crate) kind: Option<Text>,
    /// The chapters, in order (default: the kind's own)
    pub(crate) chapters: Option<Vec<Chapter>>,
    /// 结束语: a closing paragraph before the signature
    pub(crate) closing: Option<Text>,
    /// Whether the generated tables (主要指标, 分批次 …) are part of the
    /// document (default: no; the web page shows them apart)
    pub(crate) tables: Option<bool>,
    /// 草稿: checked, never published unless `build --drafts`
    pub(crate) draft: Option<bool>,
}

/// A chapter of a document: one nianbao fills from the data (`use:`), or
/// the office's own, with its text and sections.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Chapter {
    /// 总体情况, 主要工作, 存在问题, 下步计划 (report.yaml); 指导思想, 目标任务,
    /// 重点工作, 续建项目, 时间安排, 保障措施 (plan.yaml)
    #[serde(rename = "use")]
    pub(crate) builtin: Option<Text>,
    pub(crate) title: Option<Text>,
    pub(crate) text: Option<Text>,
    #[serde(default)]
    pub(crate) sections: Vec<Block>,
    /// With `use: 主要工作`: the fields of work (their `title`) it holds
    pub(crate) measures: Option<Vec<Text>>,
    /// With `use: 重点工作` (plan.yaml): the tasks of this group only, as a
    /// chapter titled by the group
    pub(crate) group: Option<Text>,
    /// With `use:`: whether the chapter's generated tables are printed
    pub(crate) tables: Option<bool>,
    /// The charts the chapter holds (进度, 资金, 项目): moved here from their
    /// default place; `[]` leaves out the chapter's own
    pub(crate) charts: Option<Vec<Text>>,
}

/// A section of an office's own chapter: （一）, then 1., then （1）.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Block {
    pub(crate) title: Option<Text>,
    pub(crate) text: Option<Text>,
    #[serde(default)]
    pub(crate) sections: Vec<Block>,
}

/// 户/人 (and village) counts, any of which may be given.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct Count {
    pub(crate) households: Option<N>,
    pub(crate) persons: Option<N>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Baseline {
    pub(crate) villages: Option<N>,
    pub(crate) village_names: Option<Vec<Text>>,
    pub(crate) households: Option<N>,
    pub(crate) persons: Option<N>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Exit {
    /// 2016, or a range written as published: 2014-2015
    pub(crate) year: Text,
    pub(crate) households: Option<N>,
    pub(crate) persons: Option<N>,
    #[serde(default)]
    pub(crate) villages: VillageList,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Adjustment {
    #[serde(rename = "label")]
    pub(crate) _label: Option<Text>,
    pub(crate) added: Option<Count>,
    pub(crate) removed: Option<Count>,
}

/// A named part of a total (户/人/金额/个数/数值).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct Part {
    pub(crate) name: Text,
    pub(crate) households: Option<N>,
    pub(crate) persons: Option<N>,
    pub(crate) amount: Option<N>,
    pub(crate) count: Option<N>,
    pub(crate) value: Option<N>,
    /// The part's own units when they are not the whole's: a money unit for
    /// its amount, another for its count or value, or both (`笔、万元`)
    pub(crate) unit: Option<Text>,
}

/// A total without a name.
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct Tally {
    pub(crate) households: Option<N>,
    pub(crate) persons: Option<N>,
    pub(crate) amount: Option<N>,
    pub(crate) count: Option<N>,
    pub(crate) value: Option<N>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct Breakdown {
    /// What the parts are by, e.g. 类型 / 户籍 / 学段
    pub(crate) by: Text,
    /// 其中: the parts are some of the whole, not all of it (each at most
    /// the total; they need not add up to it).
    #[serde(default)]
    pub(crate) subset: Option<bool>,
    pub(crate) parts: Vec<Part>,
    /// Why parts that do not add up to the whole are kept as published
    pub(crate) ack: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Remaining {
    pub(crate) households: Option<N>,
    pub(crate) persons: Option<N>,
    pub(crate) villages: Option<N>,
    #[serde(default)]
    pub(crate) breakdowns: Vec<Breakdown>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Planned {
    pub(crate) households: Option<N>,
    pub(crate) persons: Option<N>,
    #[serde(default)]
    pub(crate) villages: VillageList,
}

/// The villages that exited: their names (`[罗田村, 坑上村]`), or only how
/// many when the source does not name them (`villages: 42`).
#[derive(Debug, Default)]
pub(crate) enum VillageList {
    Names(Vec<Text>),
    Count(u64),
    #[default]
    None,
}

impl<'de> Deserialize<'de> for VillageList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = VillageList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("村名列表或村数")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<VillageList, A::Error> {
                let mut names = Vec::new();
                while let Some(t) = seq.next_element::<Text>()? {
                    names.push(t);
                }
                Ok(VillageList::Names(names))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<VillageList, E> {
                Ok(VillageList::Count(n))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<VillageList, E> {
                u64::try_from(n)
                    .map(VillageList::Count)
                    .map_err(|_| E::custom("村数不能为负数"))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<VillageList, E> {
                Err(E::custom("村数应为整数"))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<VillageList, E> {
                s.trim()
                    .parse::<u64>()
                    .map(VillageList::Count)
                    .map_err(|_| {
                        E::custom("出列村写村名列表（如 [罗田村, 坑上村]）或村数（如 42）")
                    })
            }
        }
        d.deserialize_any(Visit)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Targets {
    pub(crate) villages: Option<N>,
    pub(crate) households: Option<N>,
    pub(crate) persons: Option<N>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Incidence {
    /// 分母 as the office states it, e.g. 2014年底农业户籍人口
    pub(crate) denominator: N,
    pub(crate) denominator_label: Text,
    /// 贫困发生率 as stated, in %
    pub(crate) stated: Option<N>,
    /// 贫困发生率 after this year's planned exits, as stated, in %
    pub(crate) stated_after: Option<N>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct Labels {
    /// 对象, default 建档立卡贫困人口 (after 2021 e.g. 监测对象)
    pub(crate) subject: Option<Text>,
    /// 退出, default 脱贫 (e.g. 风险消除)
    pub(crate) exit: Option<Text>,
    /// 村, default 贫困村
    pub(crate) village: Option<Text>,
    /// 村退出, default 出列
    pub(crate) village_exit: Option<Text>,
    /// 未退出, default 未 + exit (e.g. 风险未消除)
    pub(crate) remaining: Option<Text>,
    /// 基数, default 建档立卡基数 (监测对象基数)
    pub(crate) baseline: Option<Text>,
    /// 基数中的村, default 建档立卡贫困村 (重点帮扶村)
    pub(crate) baseline_villages: Option<Text>,
    /// 人口总称, default 建档立卡人口 (监测对象)
    pub(crate) population: Option<Text>,
    /// 现有, default 现有建档 (现有监测对象)
    pub(crate) current: Option<Text>,
    /// 任务, default 减贫 (风险消除)
    pub(crate) reduction: Option<Text>,
    /// 未核定的退出, default 预脱贫 (计划风险消除)
    pub(crate) planned: Option<Text>,
    /// 发生率, default 贫困发生率 (监测对象占比)
    pub(crate) incidence: Option<Text>,
    /// 趋势图中的资金, default 专项扶贫资金 (衔接资金)
    pub(crate) funds: Option<Text>,
}

/// `register.yaml`: the register (建档立卡) and its exits.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegisterFile {
    /// 攻坚 (建档立卡, to 2020) or 监测 (防返贫监测, 2021 on); default by year
    pub(crate) era: Option<Text>,
    #[serde(default)]
    pub(crate) labels: Labels,
    pub(crate) baseline: Baseline,
    #[serde(default)]
    pub(crate) exits: Vec<Exit>,
    #[serde(default)]
    pub(crate) adjustments: Vec<Adjustment>,
    pub(crate) current: Option<Count>,
    /// Exits to date where the source gives no years (累计风险消除)
    pub(crate) cumulative: Option<Count>,
    /// Every object ever monitored, with its breakdowns by type
    pub(crate) monitored: Option<Remaining>,
    /// Objects pending identification (拟识别), not yet in the register
    pub(crate) pending: Option<Count>,
    pub(crate) remaining: Option<Remaining>,
    pub(crate) planned: Option<Planned>,
    pub(crate) targets: Option<Targets>,
    pub(crate) incidence: Option<Incidence>,
    /// Why the register, as published, keeps what `check` refuses
    /// (households above persons, parts that do not add up)
    pub(crate) ack: Option<Text>,
}

/// A figure of a field of work: its kind follows from the keys given.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct Figure {
    pub(crate) label: Text,
    pub(crate) unit: Option<Text>,
    pub(crate) note: Option<Text>,
    /// Plain value, or the achieved value of a plan figure
    pub(crate) value: Option<N>,
    /// Plan for `value` (完成计划的 N%)
    pub(crate) plan: Option<N>,
    /// Rate: numerator / denominator
    pub(crate) numerator: Option<N>,
    pub(crate) denominator: Option<N>,
    pub(crate) numerator_label: Option<Text>,
    pub(crate) denominator_label: Option<Text>,
    /// Indicator triple: 应 / 已 / 未
    pub(crate) should: Option<N>,
    pub(crate) done: Option<N>,
    pub(crate) undone: Option<N>,
    /// Change: 由 from 提高到 to
    pub(crate) from: Option<N>,
    pub(crate) to: Option<N>,
    /// A value as the source words it: 约, 近, 超过, 不低于, 不少于 before the
    /// number; 多, 余 between number and unit; 左右, 以上, 以下 after it
    pub(crate) approx: Option<Text>,
    /// Average or per-capita: sum × scale ÷ count (户均贷款, 人均纯收入)
    pub(crate) sum: Option<N>,
    pub(crate) count: Option<N>,
    pub(crate) scale: Option<N>,
    /// Total with one or more breakdowns
    pub(crate) total: Option<Tally>,
    #[serde(default)]
    pub(crate) breakdowns: Vec<Breakdown>,
    /// The rate (%) as the office stated it, checked against the computed one
    pub(crate) stated: Option<N>,
    /// Decimals for the computed rate (default: the stated one's, at least 1)
    pub(crate) precision: Option<N>,
    /// Why a published figure that `check` flags is kept as published
    pub(crate) ack: Option<Text>,
    /// Plan targets only: this year's register figure to set beside it
    /// (人 / 户 / 村)
    pub(crate) compare: Option<Text>,
    /// A threshold the figure must reach (不低于): its value, or its rate in %
    pub(crate) at_least: Option<N>,
    /// A ceiling the figure must not pass (不高于)
    pub(crate) at_most: Option<N>,
    /// The upper end of a range given as `value` to `max` (1～2个)
    pub(crate) max: Option<N>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FundPart {
    pub(crate) name: Text,
    pub(crate) projects: Option<N>,
    pub(crate) amount: N,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SpecialFunds {
    /// e.g. 中央、省、市、区财政专项扶贫资金
    pub(crate) label: Text,
    pub(crate) stated_total: Option<N>,
    pub(crate) stated_projects: Option<N>,
    #[serde(default)]
    pub(crate) batches: Vec<FundPart>,
    #[serde(default)]
    pub(crate) by_category: Vec<FundPart>,
    #[serde(default)]
    pub(crate) by_source: Vec<FundPart>,
    pub(crate) stated_start_rate: Option<N>,
    pub(crate) stated_completion_rate: Option<N>,
    pub(crate) stated_spending_rate: Option<N>,
    /// The 产业 category's name (default 产业发展) and its stated share
    pub(crate) industry_category: Option<Text>,
    pub(crate) stated_industry_share: Option<N>,
    /// Minimum 产业 share in % (default 55)
    pub(crate) industry_min_share: Option<N>,
}

/// `funds.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FundsFile {
    /// 资金单位, default 万元
    pub(crate) unit: Option<Text>,
    /// Decimals for computed amounts (default 2)
    pub(crate) precision: Option<N>,
    /// Section title in 二、主要工作及成效
    pub(crate) title: Option<Text>,
    pub(crate) narrative: Option<Text>,
    #[serde(default)]
    pub(crate) figures: Vec<Figure>,
    pub(crate) special: Option<SpecialFunds>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Project {
    pub(crate) id: Text,
    pub(crate) name: Text,
    pub(crate) category: Text,
    pub(crate) town: Option<Text>,
    pub(crate) village: Option<Text>,
    pub(crate) batch: Option<Text>,
    /// 资金来源, as the office's 项目库 gives it (kept, not printed)
    #[serde(rename = "source")]
    pub(crate) _source: Option<Text>,
    pub(crate) budget: N,
    pub(crate) spent: Option<N>,
    /// 未开工 / 在建 / 已完工
    pub(crate) status: Text,
    pub(crate) start: Option<Text>,
    pub(crate) end: Option<Text>,
    pub(crate) beneficiaries: Option<Count>,
}

/// `projects.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProjectsFile {
    /// Set when the list is illustrative, with why
    pub(crate) illustrative: Option<Text>,
    #[serde(default)]
    pub(crate) projects: Vec<Project>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Measure {
    /// 工作领域, e.g. 产业扶贫
    pub(crate) title: Text,
    /// Optional full heading, e.g. 坚持因地制宜,产业扶贫成效明显
    pub(crate) heading: Option<Text>,
    pub(crate) narrative: Option<Text>,
    #[serde(default)]
    pub(crate) figures: Vec<Figure>,
}

/// `measures.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MeasuresFile {
    pub(crate) measures: Vec<Measure>,
}

/// `problems.yaml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProblemsFile {
    pub(crate) intro: Option<Text>,
    pub(crate) problems: Vec<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Task {
    pub(crate) text: Text,
    /// 任务组, e.g. 扶贫专项 / 相关业务: consecutive tasks of a group are one
    /// （一） section
    pub(crate) group: Option<Text>,
    /// 责任领导
    pub(crate) lead: Option<Text>,
    /// 分管领导
    pub(crate) deputy: Option<Text>,
    /// 责任单位
    pub(crate) unit: Option<Text>,
    /// 工作时限
    pub(crate) deadline: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Phase {
    pub(crate) name: Text,
    pub(crate) text: Option<Text>,
    pub(crate) deadline: Text,
}

/// `plan.yaml`: next year's plan.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanFile {
    /// Plan year, default the report year + 1
    pub(crate) year: Option<N>,
    /// Title of the 计划, default `<简称><年>年工作计划`
    pub(crate) title: Option<Text>,
    /// The title in the office's own lines (as in report.yaml)
    pub(crate) title_lines: Option<Vec<Text>>,
    /// 计划 (default) or 工作方案
    pub(crate) kind: Option<Text>,
    /// 工作主题 for the default title (`<简称><年>年<主题>工作方案`)
    pub(crate) theme: Option<Text>,
    /// 成文日期 (default: report.yaml's)
    pub(crate) issued: Option<Text>,
    /// The chapters, in order (default: every part the plan has)
    pub(crate) chapters: Option<Vec<Chapter>>,
    /// 结束语
    pub(crate) closing: Option<Text>,
    /// Whether the generated tables (重点工作责任分工, 续建项目) are printed
    pub(crate) tables: Option<bool>,
    /// 草稿 (as in report.yaml)
    pub(crate) draft: Option<bool>,
    pub(crate) intro: Option<Text>,
    /// 指导思想
    pub(crate) guiding: Option<Text>,
    #[serde(default)]
    pub(crate) targets: Vec<Figure>,
    #[serde(default)]
    pub(crate) tasks: Vec<Task>,
    #[serde(default)]
    pub(crate) phases: Vec<Phase>,
    #[serde(default)]
    pub(crate) safeguards: Vec<Text>,
}
