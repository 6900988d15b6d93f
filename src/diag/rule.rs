//! Every rule a data finding can come from, with its id (shown in text and
//! JSON, and listed in the README's rule table) and what it checks. One
//! enum, so a finding cannot name a rule that does not exist.

use serde::{Deserialize, Serialize};

macro_rules! rules {
    ($($variant:ident = $id:literal, $what:literal;)*) => {
        /// A rule of the data: where a finding comes from.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub(crate) enum Rule {
            $($variant,)*
        }

        impl Rule {
            /// Every rule, in the order of the README's table.
            #[cfg(test)]
            pub(crate) const ALL: &[Rule] = &[$(Rule::$variant,)*];

            /// The id, e.g. `register.gap`.
            pub(crate) fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)*
                }
            }

            /// What the rule checks, in Chinese (the README's table).
            #[cfg(test)]
            pub(crate) fn what(self) -> &'static str {
                match self {
                    $(Rule::$variant => $what,)*
                }
            }
        }
    };
}

rules! {
    DataFolder = "data.folder", "数据目录存在且至少有一个单位";
    FolderName = "folder.name", "单位文件夹名只用小写字母、数字、-、_；年度文件夹为四位年份";
    FolderIgnored = "folder.ignored", "数据目录中不认识的文件夹和放错位置的 YAML 文件（警告）";
    FileUnknown = "file.unknown", "年度文件夹里只认 report、register、funds、projects、measures、problems、plan 七个文件";
    FileRead = "file.read", "文件可读、是普通文件（不是链接、设备或管道）、不超过 8 MiB";
    FileEncoding = "file.encoding", "文件是 UTF-8 编码";
    FileEmpty = "file.empty", "文件不是空的";
    YamlSyntax = "yaml.syntax", "YAML 语法正确（缩进、冒号、引号、括号）";
    YamlKey = "yaml.key", "没有未知的键、重复的键，必填的键都在";
    YamlType = "yaml.type", "每个键的值是它应有的类型（单个值、列表或映射）";
    YamlLimit = "yaml.limit", "嵌套深度和别名展开不超过安全上限";
    TextControl = "text.control", "文字中没有控制字符（换行、制表符除外）和改变文字方向的字符";
    TextInvisible = "text.invisible", "单位名称、简称、落款中没有零宽字符";
    TextNesting = "text.nesting", "文字中引用（>）和列表的嵌套不超过 16 层";
    Number = "value.number", "数字只用阿拉伯数字，不用全角、千位分隔符、科学计数法";
    Blank = "value.blank", "没有留空的值（`amount:`、`{count: , amount: }`、`- `、`~`、占位的“待填”），一次全部列出";
    Negative = "value.negative", "人数、户数、金额不为负数";
    Whole = "value.whole", "人数、户数、个数为整数";
    HouseholdsOverPersons = "value.households", "户数不大于人数";
    Date = "date.invalid", "日期有效（如 2017年12月20日 或 2017-12-20）";
    DateRange = "date.range", "成文日期和截止日期在报告年度或次年（警告）";
    OfficeFile = "office.file", "每个单位有 office.yaml";
    OfficeYears = "office.years", "单位至少有一个年度（警告）";
    RollupUnit = "rollup.unit", "office.yaml 的 units 所列下辖单位都在数据目录中，不是本单位，也不反过来把本单位列为下辖";
    RollupSum = "rollup.sum", "本级填的台账、项目数字与下辖单位之和相符（各单位都有该年度、该项数字时核对）";
    ImportCell = "import.cell", "导入的表格（nianbao import）每个单元格可读：表头、必填列、金额、日期、状态、合计行";
    YearEmpty = "year.empty", "年度文件夹里还没有数据时，作为草稿报告，不发布（警告）";
    FieldValue = "field.value", "有固定写法的键取可用的值：office.yaml 的 level，register.yaml 的 era";
    ReportFile = "report.file", "每个年度有 report.yaml";
    ReportYear = "report.year", "report.yaml 的 year 与文件夹一致";
    LabelDuplicate = "figure.label", "指标名在一个年度内唯一";
    LabelShadows = "citation.shadow", "指标名不与内置指标名相同（与按资金类别生成的名称相同时为警告）";
    FigureShape = "figure.shape", "每个指标只写一类数值，且写全";
    FigureZero = "figure.zero", "分母、应完成数、计划数不为 0";
    FigureOver = "figure.over", "比率不超过 100%，已完成、未完成不超过应完成";
    FigureRate = "figure.rate", "所填比率（stated）等于分子÷分母，按所填小数位四舍五入";
    FigureUnchecked = "figure.unchecked", "只有所填比率、没有分子分母的指标照印，列为无法核对（警告）";
    FigureNoRate = "figure.no-rate", "只有比率、计划完成和应/已指标才能填 stated";
    FigureTriple = "figure.triple", "应 − 已 = 未";
    FigureBound = "figure.bound", "写了界限（at_least 不低于、at_most 不高于）的指标达到它";
    FigureOption = "figure.option", "precision、compare、approx、scale 的值可用";
    BreakdownMissing = "breakdown.missing", "分项与总数填写同样的项（户、人、金额……）";
    BreakdownSum = "breakdown.sum", "每一种分法的分项合计等于总数";
    BreakdownUnit = "breakdown.unit", "分项的单位与总数不同时：货币单位（元、万元、亿元）换算后相加；其他单位（笔、人次……）不能相加";
    BreakdownSubset = "breakdown.subset", "“其中”（subset: true）的每一项不超过总数";
    RegisterVillages = "register.villages", "村数与村名单一致；出列村在名单中且不重复出列；建档立卡村数 − 已出列 = 尚有（警告）";
    RegisterExitYear = "register.exit-year", "历年脱贫的年份不晚于报告年度、不重复";
    RegisterOverBaseline = "register.over-baseline", "累计脱贫不超过建档立卡基数";
    RegisterGap = "register.gap", "基数 − 累计脱贫 + 动态调整 = 未脱贫（警告，指出可能漏填的年份）";
    RegisterTotals = "register.totals", "现有、累计纳入的监测对象与 基数 + 动态调整 相符，所填累计退出与历年退出之和相符（警告，写明差额）";
    RegisterPlanned = "register.planned", "计划脱贫不超过未脱贫";
    RegisterIncidence = "register.incidence", "所填贫困发生率（含计划脱贫后）等于未脱贫人数÷分母";
    FundsPrecision = "funds.precision", "金额小数位 precision 为 0 到 6 的整数";
    FundsUnit = "funds.unit", "资金单位 unit 是 nianbao 认识的货币单位：元、万元、亿元";
    FundsTotal = "funds.total", "批次、来源合计等于所填总额和项目个数；两种分法互相一致";
    FundsCategories = "funds.categories", "按类别合计不超过资金总额";
    FundsProjects = "funds.projects", "项目清单按批次、类别的资金与个数等于资金表";
    FundsRate = "funds.rate", "所填开工率、竣工率、支出进度、产业资金占比等于按项目清单计算的值";
    FundsIndustryShare = "funds.industry-share", "产业发展资金占比不低于下限（默认 55%，警告）";
    ProjectId = "project.id", "项目编号不重复";
    ProjectStatus = "project.status", "项目状态为 已完工、在建、未开工 之一";
    ProjectDates = "project.dates", "完工日期不早于开工日期；已完工项目有完工日期（警告）";
    ProjectSpending = "project.spending", "支出不超过安排资金、未开工项目没有支出（警告）";
    PlanYear = "plan.year", "计划年度为报告年度或次年";
    TextRepeated = "text.repeated", "文中没有重复出现的句子（15 字以上，警告）";
    TextBlank = "text.blank", "文字中的单位和量词前面有数字（“项目个，投资资金万元”是漏填）";
    CitationSyntax = "citation.syntax", "文字中只有 {{ f[\"指标名\"] }} 形式的引用，引号为半角";
    FormatOld = "format.old", "旧格式的写法（改了名的引用名称、键和值，只有方案的年度的旧写法）仍然可用，警告并指出新写法（nianbao migrate 改写）";
    CitationUnknown = "citation.unknown", "文字引用的指标存在（名称见 nianbao names）";
}

#[cfg(test)]
mod tests {
    use super::Rule;

    /// The README's rule table lists every rule, as `| id | what |`, in
    /// this order: the table and the enum cannot drift apart.
    #[test]
    fn the_readme_lists_every_rule() {
        let readme = include_str!("../../README.md");
        let rows: Vec<&str> = readme
            .lines()
            .filter(|l| {
                l.strip_prefix("| `")
                    .and_then(|rest| rest.split_once("` |"))
                    .is_some_and(|(id, _)| {
                        id.contains('.')
                            && id
                                .bytes()
                                .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'-')
                    })
            })
            .collect();
        let expected: Vec<String> = Rule::ALL
            .iter()
            .map(|r| format!("| `{}` | {} |", r.id(), r.what()))
            .collect();
        assert_eq!(rows, expected);
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
    }
}
