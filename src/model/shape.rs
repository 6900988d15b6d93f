//! The shape of a document: its kind (总结, 汇报, 情况报告, 总结及计划, 计划,
//! 工作方案) with its default title and chapters, the chapters nianbao fills
//! from the data, and the four levels of numbering (一、 （一） 1. （1）).
//! Every Chinese name of a kind or a chapter is written here.

/// What kind of document a year's report.yaml (or plan.yaml) makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum DocKind {
    #[default]
    Summary,
    Briefing,
    SituationReport,
    SummaryAndPlan,
    Plan,
    Programme,
}

impl DocKind {
    /// The kinds report.yaml takes, by name.
    pub(crate) const REPORT: &[(&str, DocKind)] = &[
        ("总结", DocKind::Summary),
        ("工作总结", DocKind::Summary),
        ("汇报", DocKind::Briefing),
        ("工作汇报", DocKind::Briefing),
        ("情况报告", DocKind::SituationReport),
        ("总结及计划", DocKind::SummaryAndPlan),
        ("总结暨计划", DocKind::SummaryAndPlan),
    ];

    /// The kinds plan.yaml takes, by name.
    pub(crate) const PLAN: &[(&str, DocKind)] = &[
        ("计划", DocKind::Plan),
        ("工作计划", DocKind::Plan),
        ("工作方案", DocKind::Programme),
        ("方案", DocKind::Programme),
        ("实施方案", DocKind::Programme),
    ];

    /// What the document is called in links (工作总结, 工作方案 …).
    pub(crate) fn name(self) -> &'static str {
        match self {
            DocKind::Summary | DocKind::SummaryAndPlan => "工作总结",
            DocKind::Briefing => "工作汇报",
            DocKind::SituationReport => "情况报告",
            DocKind::Plan => "工作计划",
            DocKind::Programme => "工作方案",
        }
    }

    /// The default title: `<简称><年>年<主题>工作总结` and its siblings.
    pub(crate) fn title(self, short: &str, year: i32, theme: &str) -> String {
        match self {
            DocKind::Summary => format!("{short}{year}年{theme}工作总结"),
            DocKind::Briefing => format!("{short}{year}年{theme}工作汇报"),
            DocKind::SituationReport => format!("{short}{year}年{theme}工作情况报告"),
            DocKind::SummaryAndPlan => {
                format!("{short}{year}年{theme}工作总结及{}年工作计划", year + 1)
            }
            DocKind::Plan => format!("{short}{year}年{theme}工作计划"),
            DocKind::Programme => format!("{short}{year}年{theme}工作方案"),
        }
    }

    /// The chapters of a kind when the office names none.
    pub(crate) fn default_chapters(self) -> &'static [Builtin] {
        match self {
            DocKind::Plan | DocKind::Programme => &[
                Builtin::Guiding,
                Builtin::Targets,
                Builtin::Tasks,
                Builtin::CarriedOver,
                Builtin::Phases,
                Builtin::Safeguards,
            ],
            _ => &[
                Builtin::Overview,
                Builtin::Works,
                Builtin::Problems,
                Builtin::NextSteps,
            ],
        }
    }
}

/// A chapter that nianbao fills from the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    /// The register (register.yaml) and report.yaml's overview.
    Overview,
    /// Funds and fields of work (funds.yaml, measures.yaml).
    Works,
    /// problems.yaml.
    Problems,
    /// The plan's tasks (plan.yaml).
    NextSteps,
    /// A plan's 指导思想.
    Guiding,
    /// A plan's 目标任务 (its targets against this year's figures).
    Targets,
    /// A plan's 重点工作 (its tasks, by group, with who is responsible).
    Tasks,
    /// A plan's 续建项目 (this year's unfinished projects).
    CarriedOver,
    /// A plan's 时间安排 (phases).
    Phases,
    /// A plan's 保障措施.
    Safeguards,
}

impl Builtin {
    /// The names `use:` takes for each, the first the usual one.
    pub(crate) const NAMES: &[(&str, Builtin)] = &[
        ("总体情况", Builtin::Overview),
        ("基本情况", Builtin::Overview),
        ("主要工作", Builtin::Works),
        ("主要工作及成效", Builtin::Works),
        ("主要做法", Builtin::Works),
        ("工作措施", Builtin::Works),
        ("存在问题", Builtin::Problems),
        ("存在的问题", Builtin::Problems),
        ("存在的主要问题", Builtin::Problems),
        ("下步计划", Builtin::NextSteps),
        ("下步工作计划", Builtin::NextSteps),
        ("下步打算", Builtin::NextSteps),
    ];

    /// The names `use:` takes in plan.yaml.
    pub(crate) const PLAN_NAMES: &[(&str, Builtin)] = &[
        ("指导思想", Builtin::Guiding),
        ("目标任务", Builtin::Targets),
        ("工作目标", Builtin::Targets),
        ("重点工作", Builtin::Tasks),
        ("主要任务", Builtin::Tasks),
        ("工作举措", Builtin::Tasks),
        ("续建项目", Builtin::CarriedOver),
        ("时间安排", Builtin::Phases),
        ("实施步骤", Builtin::Phases),
        ("保障措施", Builtin::Safeguards),
        ("工作要求", Builtin::Safeguards),
    ];

    /// The chapter's default title in a document of `kind`.
    pub(crate) fn title(self, kind: DocKind) -> &'static str {
        let report = matches!(kind, DocKind::Briefing | DocKind::SituationReport);
        match (self, report) {
            (Builtin::Overview, false) => "总体情况",
            (Builtin::Overview, true) => "基本情况",
            (Builtin::Works, false) => "主要工作及成效",
            (Builtin::Works, true) => "主要做法",
            (Builtin::Problems, _) => "存在问题",
            (Builtin::NextSteps, false) => "下步工作计划",
            (Builtin::NextSteps, true) => "下步打算",
            (Builtin::Guiding, _) => "指导思想",
            (Builtin::Targets, _) => "目标任务",
            (Builtin::Tasks, _) => "重点工作",
            (Builtin::CarriedOver, _) => "续建项目",
            (Builtin::Phases, _) => "时间安排",
            (Builtin::Safeguards, _) => "保障措施",
        }
    }
}

/// Chinese numeral for 1..=99: 一, 十, 十一, 二十三.
pub(crate) fn cn_number(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[n - 10] }),
        20..=99 => format!(
            "{}十{}",
            D[n / 10],
            if n.is_multiple_of(10) { "" } else { D[n % 10] }
        ),
        _ => n.to_string(),
    }
}

/// A chart a chapter may hold (`charts: [进度, 资金]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ChartKey {
    /// 脱贫进度 / 风险消除进度 (the register).
    Progress,
    /// 资金结构 (funds by category and source).
    Funds,
    /// 项目进度 (the project list).
    Projects,
}

impl ChartKey {
    pub(crate) const NAMES: &[(&str, ChartKey)] = &[
        ("进度", ChartKey::Progress),
        ("脱贫进度", ChartKey::Progress),
        ("风险消除进度", ChartKey::Progress),
        ("资金", ChartKey::Funds),
        ("资金结构", ChartKey::Funds),
        ("项目", ChartKey::Projects),
        ("项目进度", ChartKey::Projects),
    ];
}

/// What a Chinese name in the data stands for, by a table of the names a
/// key takes (kinds, chapters, charts, eras).
pub(crate) fn named<T: Copy>(table: &[(&str, T)], s: &str) -> Option<T> {
    table.iter().find(|(w, _)| *w == s).map(|(_, v)| *v)
}

/// A table's names, for a message: `总结、汇报、……`.
pub(crate) fn spellings<T>(table: &[(&str, T)]) -> String {
    let names: Vec<&str> = table.iter().map(|(w, _)| *w).collect();
    names.join("、")
}

/// The number of the `n`-th heading (from 1) at `level` (1 to 4):
/// 一、 （一） 1. （1）.
pub(crate) fn number(level: usize, n: usize) -> String {
    match level {
        1 => format!("{}、", cn_number(n)),
        2 => format!("（{}）", cn_number(n)),
        3 => format!("{n}."),
        _ => format!("（{n}）"),
    }
}

/// Whether a title already starts with a number of its own (一、, （一）,
/// 1., （1）, 第一): the office numbered it, nianbao adds none.
pub(crate) fn numbered(title: &str) -> bool {
    let numerals = "一二三四五六七八九十";
    let t = title.trim_start();
    let mut c = t.chars();
    let (a, b) = (c.next().unwrap_or(' '), c.next().unwrap_or(' '));
    let after_digits = t
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .chars()
        .next();
    (numerals.contains(a) && b == '、')
        || (matches!(a, '（' | '(') && (numerals.contains(b) || b.is_ascii_digit()))
        || (a.is_ascii_digit() && matches!(after_digits, Some('.' | '、' | '．')))
        || (a == '第' && numerals.contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_levels_of_numbers() {
        assert_eq!(number(1, 3), "三、");
        assert_eq!(number(2, 11), "（十一）");
        assert_eq!(number(3, 2), "2.");
        assert_eq!(number(4, 1), "（1）");
    }

    #[test]
    fn an_office_s_own_numbers_are_seen() {
        for t in [
            "一、2021年工作总结",
            "（一）产业",
            "(2)就业",
            "1.住房",
            "12、教育",
            "第一部分",
        ] {
            assert!(numbered(t), "{t}");
        }
        for t in ["经验做法", "一是坚持", "十分重视", "2021年工作"] {
            assert!(!numbered(t), "{t}");
        }
    }
}
