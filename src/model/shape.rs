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

/// The value of a Chinese numeral from 1 to 99 (一, 十, 十二, 二十三).
fn cn_value(s: &str) -> Option<usize> {
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i / 3 + 1);
    let cs: Vec<char> = s.chars().collect();
    match cs[..] {
        ['十'] => Some(10),
        [a] => digit(a),
        ['十', b] => Some(10 + digit(b)?),
        [a, '十'] => Some(digit(a)? * 10),
        [a, '十', b] => Some(digit(a)? * 10 + digit(b)?),
        _ => None,
    }
}

/// The GB/T 9704 level (1 一、 2 （一） 3 1. 4 （1）) and the value of the
/// number a line of the office's starts with, bold or not
/// (`**（三）扶贫屯级道路建设工作。**…` → (2, 3)).
pub(crate) fn leading_number(line: &str) -> Option<(usize, usize)> {
    let t = line.trim_start().trim_start_matches(['*', '_', '#', ' ']);
    let numerals = |c: char| "一二三四五六七八九十".contains(c);
    if let Some(rest) = t.strip_prefix(['（', '(']) {
        let inner: String = rest
            .chars()
            .take_while(|c| *c != '）' && *c != ')')
            .collect();
        let closed = rest[inner.len()..].starts_with(['）', ')']);
        if !closed || inner.is_empty() {
            return None;
        }
        if inner.chars().all(numerals) {
            return Some((2, cn_value(&inner)?));
        }
        if inner.chars().all(|c| c.is_ascii_digit()) && inner.len() <= 3 {
            return Some((4, inner.parse().ok()?));
        }
        return None;
    }
    let cn: String = t.chars().take_while(|c| numerals(*c)).collect();
    if !cn.is_empty() {
        return t[cn.len()..]
            .starts_with('、')
            .then(|| cn_value(&cn).map(|v| (1, v)))
            .flatten();
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let after = t[digits.len()..].chars().next();
    let decimal = t[digits.len()..]
        .chars()
        .nth(1)
        .is_some_and(|c| c.is_ascii_digit());
    if !digits.is_empty()
        && digits.len() <= 3
        && matches!(after, Some('.' | '、' | '．'))
        && !decimal
    {
        return Some((3, digits.parse().ok()?));
    }
    None
}

/// The numbers the office's text puts at the start of its paragraphs, by
/// level: the highest at each of the four levels (0 where it has none).
pub(crate) fn own_numbers(md: &str) -> [usize; 4] {
    let mut top = [0; 4];
    for line in md.lines() {
        if let Some((level, n)) = leading_number(line) {
            top[level - 1] = top[level - 1].max(n);
        }
    }
    top
}

/// How nianbao counts items (problems, tasks): 一是, 二是 …, or, where the
/// items' own text already counts that way inside (（一）住房方面。一是……二是……),
/// by the next level that none of them uses: （一）, then 1., then （1）.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ordinals {
    /// 一是, 二是
    Is,
    /// （一）, 1., （1）: a GB/T 9704 level.
    Level(usize),
}

impl Ordinals {
    /// This way of counting, or, when some of `texts` count that way
    /// themselves, the first after it that none of them uses.
    pub(crate) fn or_free(self, texts: &[&str]) -> Ordinals {
        let uses = |mark: &dyn Fn(&str) -> bool| texts.iter().any(|t| mark(t));
        let from = match self {
            Ordinals::Is if !uses(&|t| counts_with_is(t)) => return Ordinals::Is,
            Ordinals::Is => 2,
            Ordinals::Level(l) => l,
        };
        for level in from..=4 {
            let probe = number(level, 1);
            let alt = probe.replace('（', "(").replace('）', ")");
            if !uses(&|t| t.contains(&probe) || (level != 3 && t.contains(&alt))) {
                return Ordinals::Level(level);
            }
        }
        Ordinals::Level(4)
    }

    /// The ordinal of the `n`-th item (from 1).
    pub(crate) fn of(self, n: usize) -> String {
        match self {
            Ordinals::Is => format!("{}是", cn_number(n)),
            Ordinals::Level(l) => number(l, n),
        }
    }

    /// The ordinals of items with these texts: counted this way (or the
    /// first free one after it, [`Ordinals::or_free`]), none before an item
    /// that starts with a count of its own (一是, 其一, （一）, 1.).
    pub(crate) fn of_items(self, texts: &[&str]) -> Vec<String> {
        let style = self.or_free(texts);
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if counts_itself(t) {
                    String::new()
                } else {
                    style.of(i + 1)
                }
            })
            .collect()
    }
}

/// Whether a text starts with a count of its own: 一是, 二要, 其一, or a
/// number of the four levels (一、 （一） 1. （1）).
pub(crate) fn counts_itself(text: &str) -> bool {
    let t = text.trim_start().trim_start_matches(['*', '#', ' ']);
    let numerals = "一二三四五六七八九十";
    let mut chars = t.chars();
    let first = chars.next().unwrap_or(' ');
    let second = chars.next().unwrap_or(' ');
    (numerals.contains(first) && "是要则".contains(second))
        || (first == '其' && numerals.contains(second))
        || leading_number(t).is_some()
}

/// Whether a text counts its own points with 一是 / 二是 / 其一 (at its start
/// or after a mark that ends a clause).
fn counts_with_is(text: &str) -> bool {
    ["一是", "二是", "其一", "其二"].iter().any(|w| {
        text.match_indices(w).any(|(i, _)| {
            text[..i]
                .trim_end_matches(['*', ' '])
                .chars()
                .next_back()
                .is_none_or(|c| "。；：，！？\n（(".contains(c))
        })
    })
}

/// The widest a title line may be, in ems of its 2号 face: 156 mm of text
/// block at 22 pt is 20 characters.
pub(crate) const TITLE_EMS: usize = 20;

/// A title's width in half-ems: CJK and full-width characters two, the
/// rest (digits, Latin) one.
fn half_ems(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Where a title may be broken: before 工作(总结, 计划 …) and before 及, 暨,
/// 关于; after a year (2017年); at either end of `words` (the office's short
/// name, the theme). Never inside a number, a year or one of `words`.
fn title_breaks(chars: &[char], words: &[&str]) -> Vec<usize> {
    let text: String = chars.iter().collect();
    let at = |i: usize| -> String { chars[i..].iter().collect() };
    let mut inside = vec![false; chars.len() + 1];
    let mut ends = std::collections::BTreeSet::new();
    for w in words.iter().filter(|w| !w.is_empty()) {
        for (b, _) in text.match_indices(w) {
            let start = text[..b].chars().count();
            let end = start + w.chars().count();
            (start + 1..end).for_each(|i| inside[i] = true);
            ends.extend([start, end]);
        }
    }
    (1..chars.len())
        .filter(|&i| {
            let rest = at(i);
            let digit = |k: usize| chars[k].is_ascii_digit();
            let year_before = chars[i - 1] == '年' && i >= 2 && digit(i - 2);
            let allowed = ends.contains(&i)
                || year_before
                || rest.starts_with(['及', '暨'])
                || rest.starts_with("关于")
                || (rest.starts_with("工作") && rest.chars().count() > 3);
            allowed && !inside[i] && !(digit(i) && digit(i - 1))
        })
        .collect()
}

/// A title's lines, broken by meaning (GB/T 9704-2012 7.3.3: words kept
/// whole, lines as even as possible): the fewest lines of at most
/// [`TITLE_EMS`] that its allowed breaks give, the most even of them. A
/// title that fits is one line; one with no break that fits is one line.
pub(crate) fn title_lines(title: &str, words: &[&str]) -> Vec<String> {
    let chars: Vec<char> = title.chars().collect();
    let max = TITLE_EMS * 2;
    if half_ems(title) <= max {
        return vec![title.to_string()];
    }
    let breaks = title_breaks(&chars, words);
    let line = |a: usize, b: usize| -> String { chars[a..b].iter().collect() };
    let mut best: Option<(usize, Vec<usize>)> = None;
    for n in 1..=3.min(breaks.len()) {
        for cut in combinations(&breaks, n) {
            let mut at = vec![0];
            at.extend(&cut);
            at.push(chars.len());
            let widths: Vec<usize> = at.windows(2).map(|w| half_ems(&line(w[0], w[1]))).collect();
            let (hi, lo) = (widths.iter().max(), widths.iter().min());
            let (Some(&hi), Some(&lo)) = (hi, lo) else {
                continue;
            };
            if hi <= max && best.as_ref().is_none_or(|(spread, _)| hi - lo < *spread) {
                best = Some((hi - lo, cut));
            }
        }
        if let Some((_, cut)) = best {
            let mut at = vec![0];
            at.extend(cut);
            at.push(chars.len());
            return at.windows(2).map(|w| line(w[0], w[1])).collect();
        }
    }
    vec![title.to_string()]
}

/// Every choice of `n` of `items`, in order.
fn combinations(items: &[usize], n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for (i, &x) in items.iter().enumerate() {
        for mut rest in combinations(&items[i + 1..], n - 1) {
            rest.insert(0, x);
            out.push(rest);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Five real titles, broken at word boundaries into even lines (the
    /// Word files printed "…2020年工作计 / 划" and "…2024 / 年工作计划").
    #[test]
    fn titles_break_by_meaning() {
        let t = |title: &str, words: &[&str]| title_lines(title, words);
        assert_eq!(
            t(
                "xx区扶贫办2017年脱贫攻坚工作总结及2018年工作计划",
                &["xx区扶贫办", "脱贫攻坚"]
            ),
            ["xx区扶贫办2017年脱贫攻坚", "工作总结及2018年工作计划"]
        );
        assert_eq!(
            t(
                "2023年扶贫办脱贫攻坚工作总结及2023年工作计划",
                &["扶贫办", "脱贫攻坚"]
            ),
            ["2023年扶贫办脱贫攻坚", "工作总结及2023年工作计划"]
        );
        assert_eq!(
            t("2020脱贫攻坚建设全面小康工作方案", &[]),
            ["2020脱贫攻坚建设全面小康工作方案"]
        );
        assert_eq!(
            t(
                "某某县乡村振兴局关于2024年巩固拓展脱贫攻坚成果工作情况的报告及2025年工作计划",
                &["某某县乡村振兴局", "巩固拓展脱贫攻坚成果"]
            ),
            [
                "某某县乡村振兴局关于2024年",
                "巩固拓展脱贫攻坚成果",
                "工作情况的报告及2025年工作计划"
            ]
        );
        assert_eq!(
            t(
                "马寨学区2018年教育扶贫教育脱贫工作开展情况总结及2019年工作计划",
                &["马寨学区", "教育扶贫"]
            ),
            [
                "马寨学区2018年教育扶贫教育脱贫",
                "工作开展情况总结及2019年工作计划"
            ]
        );
        for title in [
            "xx区扶贫办2017年脱贫攻坚工作总结及2018年工作计划",
            "某某县乡村振兴局关于2024年巩固拓展脱贫攻坚成果工作情况的报告及2025年工作计划",
        ] {
            for l in t(title, &[]) {
                assert!(!l.ends_with(char::is_numeric) || l.ends_with('年'), "{l}");
                assert!(half_ems(&l) <= 2 * TITLE_EMS, "{l}");
            }
        }
    }

    #[test]
    fn four_levels_of_numbers() {
        assert_eq!(number(1, 3), "三、");
        assert_eq!(number(2, 11), "（十一）");
        assert_eq!(number(3, 2), "2.");
        assert_eq!(number(4, 1), "（1）");
    }

    #[test]
    fn the_level_and_value_of_an_office_s_numbers() {
        assert_eq!(leading_number("一、工作目标任务"), Some((1, 1)));
        assert_eq!(leading_number("十二、其他"), Some((1, 12)));
        assert_eq!(
            leading_number("**（三）扶贫屯级道路建设工作。**今年"),
            Some((2, 3))
        );
        assert_eq!(leading_number("(二十一)x"), Some((2, 21)));
        assert_eq!(leading_number("**5.有安全饮水。**全镇"), Some((3, 5)));
        assert_eq!(leading_number("12、教育"), Some((3, 12)));
        assert_eq!(leading_number("（4）贫困户100%签约"), Some((4, 4)));
        for t in [
            "1.5万元",
            "2020年",
            "一是",
            "十分重视",
            "（其中：…）",
            "（一",
        ] {
            assert_eq!(leading_number(t), None, "{t}");
        }
        assert_eq!(
            own_numbers("前言\n\n**（一）甲。**正文\n\n**（三）丙。**\n1.子"),
            [0, 3, 1, 0]
        );
    }

    #[test]
    fn items_are_counted_by_a_way_their_text_does_not_use() {
        assert_eq!(
            Ordinals::Is.or_free(&["住房方面。", "医疗方面。"]),
            Ordinals::Is
        );
        let inner = "住房方面。难度很大。一是经济条件差。二是难找基地。";
        assert_eq!(
            Ordinals::Is.or_free(&[inner, "医疗方面。"]),
            Ordinals::Level(2)
        );
        assert_eq!(Ordinals::Level(2).of(5), "（五）");
        assert_eq!(Ordinals::Is.of(2), "二是");
        assert_eq!(
            Ordinals::Is.or_free(&["一是甲（一）乙", "x"]),
            Ordinals::Level(3)
        );
        // 是 inside a word is not a count.
        assert_eq!(Ordinals::Is.or_free(&["统一是必要的"]), Ordinals::Is);
    }

    #[test]
    fn no_ordinal_before_the_office_own() {
        assert_eq!(
            Ordinals::Is.of_items(&["脱贫成效需要巩固。", "产业基础薄弱。"]),
            ["一是", "二是"]
        );
        for own in [
            "一是产业基础薄弱。",
            "二要加强培训。",
            "其一，资金缺口大。",
            "（一）产业",
            "1.产业",
            "**（五）加强培训。**一是",
        ] {
            assert!(counts_itself(own), "{own}");
        }
        assert_eq!(
            Ordinals::Is.of_items(&["住房。一是甲。二是乙。", "（二）医疗。", "集体经济。"]),
            ["（一）", "", "（三）"]
        );
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
