//! The citation table: every name a narrative may cite as `{{ f["名称"] }}`,
//! with the text it prints. The names are typed ([`Name`]); their Chinese
//! spelling, which follows the register's `labels` (脱贫 or 风险消除…), is
//! written here and nowhere else. Metrics fills the table; render, pages,
//! charts and plan read it through [`Name`], never by spelling a key.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::model::provenance::{Derivation, Source};

/// The era a register belongs to: the 建档立卡 register of the 脱贫攻坚
/// years, or the 防返贫监测 of 2021 onwards. It sets the default words of
/// every generated sentence, heading, chart label and citation name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Era {
    /// 脱贫攻坚 (to 2020): 建档立卡贫困人口, 脱贫, 贫困村, 出列.
    #[default]
    Campaign,
    /// 防返贫监测 (2021 onwards): 监测对象, 风险消除.
    Monitoring,
}

impl Era {
    /// The spellings `era:` accepts, each with its era.
    pub(crate) const SPELLINGS: &[(&str, Era)] = &[
        ("攻坚", Era::Campaign),
        ("脱贫攻坚", Era::Campaign),
        ("建档立卡", Era::Campaign),
        ("监测", Era::Monitoring),
        ("防返贫监测", Era::Monitoring),
        ("巩固衔接", Era::Monitoring),
    ];

    /// The era of a year whose data does not state one.
    pub(crate) fn of_year(year: i32) -> Era {
        if year >= 2021 {
            Era::Monitoring
        } else {
            Era::Campaign
        }
    }
}

/// The register's vocabulary: what the office calls the people, an exit,
/// a village and its exit, and the words generated around them. The
/// defaults follow the [`Era`]; `register.yaml`'s `labels` override any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Labels {
    pub(crate) era: Era,
    /// 建档立卡贫困人口 / 监测对象
    pub(crate) subject: String,
    /// 脱贫 / 风险消除
    pub(crate) exit: String,
    /// 贫困村 / 重点帮扶村
    pub(crate) village: String,
    /// 出列 / 退出
    pub(crate) village_exit: String,
    /// 未脱贫 / 未消除风险, or what the office calls those not yet out.
    pub(crate) remaining: String,
    /// 建档立卡基数 / 监测对象基数
    pub(crate) baseline: String,
    /// The register's villages at baseline: 建档立卡贫困村 / 重点帮扶村
    pub(crate) baseline_villages: String,
    /// The people of the register, as a whole: 建档立卡人口 / 监测对象
    pub(crate) population: String,
    /// 现有建档 / 现有监测对象
    pub(crate) current: String,
    /// The year's task: 减贫 / 风险消除 (目标减贫, 减贫任务完成率)
    pub(crate) reduction: String,
    /// An exit not yet confirmed: 预脱贫 / 计划风险消除
    pub(crate) planned: String,
    /// 贫困发生率 / 监测对象占比
    pub(crate) incidence: String,
    /// The funds in the trend chart: 专项扶贫资金 / 衔接资金
    pub(crate) funds: String,
    /// The vocabularies of past formats this register's names were spelt
    /// in (before the eras, every register spoke the campaign's words):
    /// a citation in one of them still finds its figure, with a warning
    /// naming today's spelling (see [`CiteTable::renamed`]).
    pub(crate) former: Vec<Labels>,
}

impl Default for Labels {
    /// The register's vocabulary before 2021.
    fn default() -> Labels {
        Labels::of_era(Era::Campaign)
    }
}

impl Labels {
    /// The vocabulary of an era.
    pub(crate) fn of_era(era: Era) -> Labels {
        match era {
            Era::Campaign => Labels::campaign("脱贫"),
            Era::Monitoring => Labels {
                era,
                subject: "监测对象".into(),
                exit: "风险消除".into(),
                village: "重点帮扶村".into(),
                village_exit: "退出".into(),
                remaining: "未消除风险".into(),
                baseline: "监测对象基数".into(),
                baseline_villages: "重点帮扶村".into(),
                population: "监测对象".into(),
                current: "现有监测对象".into(),
                reduction: "风险消除".into(),
                planned: "计划风险消除".into(),
                incidence: "监测对象占比".into(),
                funds: "衔接资金".into(),
                former: Vec::new(),
            },
        }
    }

    fn campaign(exit: &str) -> Labels {
        Labels {
            era: Era::Campaign,
            subject: "建档立卡贫困人口".into(),
            exit: exit.into(),
            village: "贫困村".into(),
            village_exit: "出列".into(),
            remaining: format!("未{exit}"),
            baseline: "建档立卡基数".into(),
            baseline_villages: "建档立卡贫困村".into(),
            population: "建档立卡人口".into(),
            current: "现有建档".into(),
            reduction: "减贫".into(),
            planned: format!("预{exit}"),
            incidence: "贫困发生率".into(),
            funds: "专项扶贫资金".into(),
            former: Vec::new(),
        }
    }

    /// The vocabulary of the format before the eras (to December 2026):
    /// the campaign's words, with the office's own `exit` and the four
    /// other labels that format had (subject, village, village_exit,
    /// remaining) over them.
    pub(crate) fn before_eras(
        exit: Option<&str>,
        subject: Option<&str>,
        village: Option<&str>,
        village_exit: Option<&str>,
        remaining: Option<&str>,
    ) -> Labels {
        let mut l = Labels::campaign(exit.unwrap_or("脱贫"));
        for (field, value) in [
            (&mut l.subject, subject),
            (&mut l.village, village),
            (&mut l.village_exit, village_exit),
            (&mut l.remaining, remaining),
        ] {
            if let Some(v) = value {
                *field = v.to_string();
            }
        }
        l.baseline_villages = format!("建档立卡{}", l.village);
        l
    }
}

/// Declares the built-in figures and the list of them all, from one list.
macro_rules! builtins {
    ($($variant:ident),* $(,)?) => {
        /// Built-in figures (computed from the register, funds and projects).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) enum Builtin {
            $($variant,)*
        }

        impl Builtin {
            pub(crate) const ALL: &[Builtin] = &[$(Builtin::$variant,)*];
        }
    };
}

builtins! {
    Year,
    BaselineVillages,
    Baseline,
    Cumulative,
    CumulativeShare,
    NetAdjustment,
    Current,
    Monitored,
    Pending,
    Remaining,
    RemainingVillages,
    ThisYear,
    ThisYearVillages,
    ThisYearPlanned,
    ThisYearPlannedVillages,
    TargetVillages,
    TargetReduction,
    TargetRate,
    VillageTargetRate,
    Incidence,
    IncidenceAfter,
    SpecialFunds,
    Projects,
    StartRate,
    CompletionRate,
    SpendingRate,
    CompletedProjects,
    StartedProjects,
    PlannedProjects,
}

impl Builtin {
    fn key(self, l: &Labels) -> String {
        let (exit, village, vexit, rem) = (&l.exit, &l.village, &l.village_exit, &l.remaining);
        match self {
            Builtin::Year => "年度".into(),
            Builtin::BaselineVillages => l.baseline_villages.clone(),
            Builtin::Baseline => l.baseline.clone(),
            Builtin::Cumulative => format!("累计{exit}"),
            Builtin::CumulativeShare => format!("累计{exit}比例"),
            Builtin::NetAdjustment => "动态调整净增".into(),
            Builtin::Current => l.current.clone(),
            Builtin::Monitored => format!("累计纳入{}", l.population),
            Builtin::Pending => format!("拟识别{}", l.subject),
            Builtin::Remaining => rem.clone(),
            Builtin::RemainingVillages => format!("未{vexit}{village}"),
            Builtin::ThisYear => format!("本年{exit}"),
            Builtin::ThisYearVillages => format!("本年{exit}村数"),
            Builtin::ThisYearPlanned => format!("本年{}", l.planned),
            Builtin::ThisYearPlannedVillages => format!("本年{}村数", l.planned),
            Builtin::TargetVillages => format!("目标{vexit}{village}数"),
            Builtin::TargetReduction => format!("目标{}", l.reduction),
            Builtin::TargetRate => format!("{}任务完成率", l.reduction),
            Builtin::VillageTargetRate => format!("{vexit}任务完成率"),
            Builtin::Incidence => l.incidence.clone(),
            Builtin::IncidenceAfter => format!("计划{exit}后{}", l.incidence),
            Builtin::SpecialFunds => "专项资金".into(),
            Builtin::Projects => "项目个数".into(),
            Builtin::StartRate => "开工率".into(),
            Builtin::CompletionRate => "竣工率".into(),
            Builtin::SpendingRate => "支出进度".into(),
            Builtin::CompletedProjects => "完工项目".into(),
            Builtin::StartedProjects => "在建项目".into(),
            Builtin::PlannedProjects => "未开工项目".into(),
        }
    }

    fn group(self) -> Group {
        match self {
            Builtin::Year => Group::General,
            Builtin::SpecialFunds
            | Builtin::Projects
            | Builtin::StartRate
            | Builtin::CompletionRate
            | Builtin::SpendingRate
            | Builtin::CompletedProjects
            | Builtin::StartedProjects
            | Builtin::PlannedProjects => Group::Funds,
            _ => Group::Register,
        }
    }
}

/// Headline figures compared year on year (`同比.<名称>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Headline {
    ReducedPersons,
    RemainingPersons,
    Incidence,
    SpecialFunds,
    Projects,
}

impl Headline {
    pub(crate) const ALL: [Headline; 5] = [
        Headline::ReducedPersons,
        Headline::RemainingPersons,
        Headline::Incidence,
        Headline::SpecialFunds,
        Headline::Projects,
    ];

    /// The figure's name in the comparison table and in `同比.<名称>`.
    pub(crate) fn label(self, l: &Labels) -> String {
        match self {
            Headline::ReducedPersons => format!("本年{}人数", l.reduction),
            Headline::RemainingPersons => format!("{}人口", l.remaining),
            Headline::Incidence => l.incidence.clone(),
            Headline::SpecialFunds => "专项资金".into(),
            Headline::Projects => "项目个数".into(),
        }
    }
}

/// A component of a figure: `名称.计划`, `名称.完成率`…
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Plan,
    Rate,
    Numerator,
    Denominator,
    Should,
    Done,
    Undone,
    From,
    To,
    AtLeast,
    AtMost,
}

impl Part {
    fn suffix(self) -> &'static str {
        match self {
            Part::Plan => "计划",
            Part::Rate => "完成率",
            Part::Numerator => "分子",
            Part::Denominator => "分母",
            Part::Should => "应",
            Part::Done => "已",
            Part::Undone => "未",
            Part::From => "原",
            Part::To => "现",
            Part::AtLeast => "下限",
            Part::AtMost => "上限",
        }
    }
}

/// A name in the table.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Name<'a> {
    Builtin(Builtin),
    /// `2016年脱贫`, `2014-2015年脱贫` (the span of [`crate::model::ExitYear`])
    ExitOf(&'a str),
    /// `未脱贫.低保户`
    RemainingPart(&'a str),
    /// `累计纳入监测对象.脱贫不稳定户`
    MonitoredPart(&'a str),
    /// `<类别>资金`, `<类别>占比`, `<类别>项目`
    CategoryFunds(&'a str),
    CategoryShare(&'a str),
    CategoryProjects(&'a str),
    /// `同比.本年减贫人数`
    Change(Headline),
    /// `资金来源.中央`, `资金批次.第一批`
    Source(&'a str),
    Batch(&'a str),
    /// `上年.<名称>`: a name of last year's table.
    LastYear(&'a str),
    /// `同比.<指标名>`: an office figure against last year's of that name.
    FigureChange(&'a str),
    /// `目标.<名称>`: a target of plan.yaml.
    Target(&'a str),
    /// `下辖合计.<名称>`: the sum over the office's townships (`units:`).
    Rollup(&'a str),
    /// A figure of the office's own, by its label.
    Figure(&'a str),
    FigurePart(&'a str, Part),
    /// `名称.<分项名>`
    FigureBreakdown(&'a str, &'a str),
}

/// How `nianbao names` groups the names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Group {
    General,
    Register,
    Funds,
    Categories,
    Changes,
    Figures,
    Targets,
    LastYear,
    Rollup,
}

impl Group {
    /// The group's heading; the register's follows its era.
    pub(crate) fn title(self, l: &Labels) -> &'static str {
        match self {
            Group::General => "通用",
            Group::Register if l.era == Era::Monitoring => "内置：防返贫监测",
            Group::Register => "内置：建档立卡",
            Group::Funds => "内置：资金与项目",
            Group::Categories => "内置：资金来源、批次与各类别资金",
            Group::Changes => "内置：同比",
            Group::Figures => "指标（measures.yaml、funds.yaml 的 label 及其组成部分）",
            Group::Targets => "计划目标（plan.yaml 的 targets）",
            Group::LastYear => "上年（上一年度数据中的名称）",
            Group::Rollup => "下辖合计（office.yaml 的 units 所列单位之和）",
        }
    }
}

impl Name<'_> {
    /// The Chinese name, as the narrative writes it.
    pub(crate) fn key(&self, l: &Labels) -> String {
        match *self {
            Name::Builtin(b) => b.key(l),
            Name::ExitOf(span) => format!("{span}年{}", l.exit),
            Name::RemainingPart(p) => format!("{}.{p}", l.remaining),
            Name::MonitoredPart(p) => format!("累计纳入{}.{p}", l.population),
            Name::CategoryFunds(c) => format!("{c}资金"),
            Name::CategoryShare(c) => format!("{c}占比"),
            Name::CategoryProjects(c) => format!("{c}项目"),
            Name::Change(h) => format!("同比.{}", h.label(l)),
            Name::Source(n) => format!("资金来源.{n}"),
            Name::Batch(n) => format!("资金批次.{n}"),
            Name::LastYear(n) => format!("上年.{n}"),
            Name::FigureChange(n) => format!("同比.{n}"),
            Name::Target(n) => format!("目标.{n}"),
            Name::Rollup(n) => format!("下辖合计.{n}"),
            Name::Figure(label) => label.to_string(),
            Name::FigurePart(label, part) => format!("{label}.{}", part.suffix()),
            Name::FigureBreakdown(label, part) => format!("{label}.{part}"),
        }
    }

    fn group(&self) -> Group {
        match self {
            Name::Builtin(b) => b.group(),
            Name::ExitOf(_) | Name::RemainingPart(_) | Name::MonitoredPart(_) => Group::Register,
            Name::CategoryFunds(_) | Name::CategoryShare(_) | Name::CategoryProjects(_) => {
                Group::Categories
            }
            Name::Change(_) | Name::FigureChange(_) => Group::Changes,
            Name::Source(_) | Name::Batch(_) => Group::Categories,
            Name::LastYear(_) => Group::LastYear,
            Name::Target(_) => Group::Targets,
            Name::Rollup(_) => Group::Rollup,
            Name::Figure(_) | Name::FigurePart(..) | Name::FigureBreakdown(..) => Group::Figures,
        }
    }

    fn is_builtin(&self) -> bool {
        !matches!(self.group(), Group::Figures | Group::Targets)
    }
}

#[derive(Clone, Debug)]
struct Entry {
    text: String,
    group: Group,
    /// When it was put: listings follow the order metrics fills the table.
    order: usize,
    /// The households or the persons of another name (`未脱贫.户`): not
    /// listed by `nianbao names`, which says once that they are there.
    alone: bool,
    /// Where it comes from (see [`crate::model::provenance`]).
    how: Option<Arc<Derivation>>,
    /// Where the office's text cites it.
    cited: Vec<Source>,
    /// Its row in the 核对表, if the text cites it and it has a derivation.
    row: Option<u32>,
}

impl Entry {
    fn found(&self) -> Found<'_> {
        Found {
            text: &self.text,
            how: self.how.as_ref(),
            cited: &self.cited,
            row: self.row,
        }
    }
}

/// A name's entry as the narrative finds it: its text, derivation and
/// where the office's text cites it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Found<'a> {
    pub(crate) text: &'a str,
    pub(crate) how: Option<&'a Arc<Derivation>>,
    pub(crate) cited: &'a [Source],
    /// Its row in the 核对表 (the web page's figure refers to it).
    pub(crate) row: Option<u32>,
}

/// One office-year's citation table: the built-in names and the office's
/// own figures, kept apart so that neither can stand in for the other.
#[derive(Clone, Debug, Default)]
pub(crate) struct CiteTable {
    labels: Labels,
    builtins: BTreeMap<String, Entry>,
    figures: BTreeMap<String, Entry>,
    /// A built-in name as a past format spelt it → today's spelling.
    former: BTreeMap<String, String>,
    /// Entries put so far (listings follow this order).
    count: usize,
    /// The fixed built-in names under these labels, made at the first
    /// [`CiteTable::shadows_builtin`] (each made ~50 names per figure).
    fixed: std::sync::OnceLock<rustc_hash::FxHashSet<String>>,
}

impl CiteTable {
    pub(crate) fn new(labels: Labels) -> CiteTable {
        CiteTable {
            labels,
            ..CiteTable::default()
        }
    }

    pub(crate) fn labels(&self) -> &Labels {
        &self.labels
    }

    /// Record a name's text; an empty text is no figure.
    pub(crate) fn put(&mut self, name: Name, text: String) {
        if text.is_empty() {
            return;
        }
        let key = name.key(&self.labels);
        let group = name.group();
        let order = self.count;
        self.count += 1;
        // `未脱贫.户`, `未脱贫.人`: the households or the persons of a
        // figure alone, as documents write them apart (937户脱贫户).
        let alone: Vec<(String, String)> = households_and_persons(&text)
            .into_iter()
            .map(|(unit, part)| (format!("{key}.{unit}"), part))
            .collect();
        if name.is_builtin() {
            for old in &self.labels.former {
                let spelt = name.key(old);
                if spelt != key {
                    for (k, _) in &alone {
                        let suffix = &k[key.len()..];
                        self.former.insert(format!("{spelt}{suffix}"), k.clone());
                    }
                    self.former.insert(spelt, key.clone());
                }
            }
        }
        let map = if name.is_builtin() {
            &mut self.builtins
        } else {
            &mut self.figures
        };
        map.insert(
            key,
            Entry {
                text,
                group,
                order,
                alone: false,
                how: None,
                cited: Vec::new(),
                row: None,
            },
        );
        for (k, text) in alone {
            let order = self.count;
            self.count += 1;
            map.entry(k).or_insert(Entry {
                text,
                group,
                order,
                alone: true,
                how: None,
                cited: Vec::new(),
                row: None,
            });
        }
    }

    /// Record how a name's figure was made (a name not in the table is
    /// left alone).
    pub(crate) fn explain(&mut self, name: Name, how: Arc<Derivation>) {
        let key = name.key(&self.labels);
        let map = if name.is_builtin() {
            &mut self.builtins
        } else {
            &mut self.figures
        };
        if let Some(e) = map.get_mut(&key) {
            e.how = Some(how);
        }
    }

    /// Every derivation of the table, to be marked (see
    /// [`crate::analysis::provenance::note_findings`]).
    pub(crate) fn derivations_mut(&mut self) -> impl Iterator<Item = &mut Arc<Derivation>> {
        self.builtins
            .values_mut()
            .chain(self.figures.values_mut())
            .filter_map(|e| e.how.as_mut())
    }

    /// Note that the office's text cites `key` at `at`.
    pub(crate) fn cite_at(&mut self, key: &str, at: Source) {
        let key = match self.former.get(key) {
            Some(today) if !self.figures.contains_key(key) && !self.builtins.contains_key(key) => {
                today.clone()
            }
            _ => key.to_string(),
        };
        let entry = match self.figures.get_mut(&key) {
            Some(e) => Some(e),
            None => self.builtins.get_mut(&key),
        };
        if let Some(e) = entry
            && !e.cited.contains(&at)
        {
            e.cited.push(at);
        }
    }

    /// Number the rows of the 核对表: every name the text cites that has a
    /// derivation, in the order of its first citation (file, line); the
    /// web page's figures refer to their row. Citations are noted afresh.
    pub(crate) fn number_rows(&mut self) {
        let mut cited: Vec<(Source, usize, bool, String)> = Vec::new();
        for (builtin, map) in [(true, &mut self.builtins), (false, &mut self.figures)] {
            for (k, e) in map.iter_mut() {
                e.row = None;
                if let (Some(_), Some(first)) = (&e.how, e.cited.first()) {
                    cited.push((first.clone(), e.order, builtin, k.clone()));
                }
            }
        }
        cited.sort();
        for (row, (_, _, builtin, key)) in cited.into_iter().enumerate() {
            let map = if builtin {
                &mut self.builtins
            } else {
                &mut self.figures
            };
            if let Some(e) = map.get_mut(&key) {
                e.row = u32::try_from(row).ok();
            }
        }
    }

    /// Forget where the text cites each name (before noting it again).
    pub(crate) fn clear_cited(&mut self) {
        for e in self.builtins.values_mut().chain(self.figures.values_mut()) {
            e.cited.clear();
        }
    }

    /// A name as the narrative writes it, with its derivation (see
    /// [`CiteTable::lookup`]).
    pub(crate) fn find(&self, key: &str) -> Option<Found<'_>> {
        let e = self
            .figures
            .get(key)
            .or_else(|| self.builtins.get(key))
            .or_else(|| self.builtins.get(self.former.get(key)?))?;
        Some(e.found())
    }

    /// A name as [`CiteTable::find`] finds it, with its key as the table
    /// spells it (today's, for a former spelling).
    pub(crate) fn find_key(&self, key: &str) -> Option<(&str, Found<'_>)> {
        let (k, e) = self
            .figures
            .get_key_value(key)
            .or_else(|| self.builtins.get_key_value(key))
            .or_else(|| self.builtins.get_key_value(self.former.get(key)?))?;
        Some((k.as_str(), e.found()))
    }

    /// Every name with a derivation, in the order the table was filled.
    pub(crate) fn derived(&self) -> Vec<(&str, Found<'_>)> {
        let mut all: Vec<(&String, &Entry)> = self
            .builtins
            .iter()
            .chain(self.figures.iter())
            .filter(|(_, e)| e.how.is_some())
            .collect();
        all.sort_by_key(|(_, e)| e.order);
        all.into_iter()
            .map(|(k, e)| (k.as_str(), e.found()))
            .collect()
    }

    /// The rows of the 核对表, in order (see [`CiteTable::number_rows`]).
    pub(crate) fn rows(&self) -> Vec<(&str, Found<'_>)> {
        let mut all: Vec<(u32, &String, &Entry)> = self
            .builtins
            .iter()
            .chain(self.figures.iter())
            .filter_map(|(k, e)| Some((e.row?, k, e)))
            .collect();
        all.sort_by_key(|(row, _, _)| *row);
        all.into_iter()
            .map(|(_, k, e)| (k.as_str(), e.found()))
            .collect()
    }

    /// A name's text, if the year has it. Built-in names only find built-in
    /// figures, never an office figure that happens to share the spelling.
    pub(crate) fn get(&self, name: Name) -> Option<&str> {
        let map = if name.is_builtin() {
            &self.builtins
        } else {
            &self.figures
        };
        map.get(&name.key(&self.labels)).map(|e| e.text.as_str())
    }

    /// A name's spelling under this year's labels (for a label in a chart).
    pub(crate) fn key(&self, name: Name) -> String {
        name.key(&self.labels)
    }

    /// A name as the narrative writes it: the office's own figure first
    /// (one that takes a fixed built-in name stops the build, see
    /// [`CiteTable::shadows_builtin`]), then the built-ins.
    pub(crate) fn lookup(&self, key: &str) -> Option<&str> {
        self.figures
            .get(key)
            .or_else(|| self.builtins.get(key))
            .or_else(|| self.builtins.get(self.former.get(key)?))
            .map(|e| e.text.as_str())
    }

    /// Last year's old spellings as this year's, under `prefix`
    /// (`上年.未脱贫` for `上年.未消除风险`).
    pub(crate) fn take_former(&mut self, last: &CiteTable, prefix: &str) {
        for (old, new) in &last.former {
            self.former
                .entry(format!("{prefix}{old}"))
                .or_insert_with(|| format!("{prefix}{new}"));
        }
    }

    /// Today's spelling of a name a past format spelt `key`, when `key`
    /// is not a name of today's (see [`Labels::former`]).
    pub(crate) fn renamed(&self, key: &str) -> Option<&str> {
        if self.figures.contains_key(key) || self.builtins.contains_key(key) {
            return None;
        }
        self.former
            .get(key)
            .filter(|k| self.builtins.contains_key(k.as_str()))
            .map(String::as_str)
    }

    /// Every name of this year's own with its text (not those it took from
    /// the year before, `上年.…`).
    pub(crate) fn own_entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.builtins
            .iter()
            .chain(self.figures.iter())
            .filter(|(_, e)| e.group != Group::LastYear && !e.alone)
            .map(|(k, e)| (k.as_str(), e.text.as_str()))
    }

    /// Every name of this year's own with its derivation (for `上年.…`).
    pub(crate) fn own_derivations(&self) -> impl Iterator<Item = (&str, &Arc<Derivation>)> {
        self.builtins
            .iter()
            .chain(self.figures.iter())
            .filter(|(_, e)| e.group != Group::LastYear)
            .filter_map(|(k, e)| Some((k.as_str(), e.how.as_ref()?)))
    }

    /// Every name, for suggestions.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.builtins
            .keys()
            .chain(self.figures.keys())
            .map(String::as_str)
    }

    /// Every name with its text, grouped, for `nianbao names`.
    pub(crate) fn grouped(&self) -> Vec<(&'static str, Vec<(&str, &str)>)> {
        let mut entries: Vec<(&String, &Entry)> = self
            .builtins
            .iter()
            .chain(self.figures.iter())
            .filter(|(_, e)| !e.alone)
            .collect();
        entries.sort_by_key(|(_, e)| (e.group, e.order));
        let mut groups: Vec<(&'static str, Vec<(&str, &str)>)> = Vec::new();
        for (k, e) in entries {
            let title = e.group.title(&self.labels);
            if groups.last().is_none_or(|(t, _)| *t != title) {
                groups.push((title, Vec::new()));
            }
            if let Some((_, names)) = groups.last_mut() {
                names.push((k.as_str(), e.text.as_str()));
            }
        }
        groups
    }

    /// Whether an office figure named `key` would take a fixed built-in
    /// name (专项资金, 累计脱贫, 2016年脱贫, 同比.…), present this year or
    /// not: an error, since the reader could not tell which is meant. Also
    /// whether `key` is a name the year would have if its data were complete.
    pub(crate) fn shadows_builtin(&self, key: &str) -> bool {
        self.builtins
            .get(key)
            .is_some_and(|e| e.group != Group::Categories)
            || self.fixed_names().contains(key)
            || self.is_exit_year(key)
            || key
                .strip_prefix(self.labels.remaining.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
    }

    /// Every built-in name and every change of a headline, spelt under
    /// this year's labels.
    fn fixed_names(&self) -> &rustc_hash::FxHashSet<String> {
        self.fixed.get_or_init(|| {
            let builtins = Builtin::ALL.iter().map(|b| b.key(&self.labels));
            let changes = Headline::ALL
                .iter()
                .map(|h| Name::Change(*h).key(&self.labels));
            builtins.chain(changes).collect()
        })
    }

    /// Whether an office figure named `key` shares a name made from a
    /// funds category (`<类别>项目`…): the narrative's citation means the
    /// office's figure, and the office is told so.
    pub(crate) fn shares_category_name(&self, key: &str) -> bool {
        self.builtins
            .get(key)
            .is_some_and(|e| e.group == Group::Categories)
    }

    /// `2016年脱贫`, `2014-2015年脱贫`: an exit year's name.
    fn is_exit_year(&self, key: &str) -> bool {
        key.strip_suffix(self.labels.exit.as_str())
            .and_then(|y| y.strip_suffix('年'))
            .is_some_and(|y| {
                y.split('-')
                    .all(|part| part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit()))
            })
    }
}

/// The 户 and 人 of a text of several quantities (`724户1595人`,
/// `3171户1.33亿元`), each alone; none for a text of one quantity.
fn households_and_persons(text: &str) -> Vec<(&'static str, String)> {
    let mut quantities: Vec<(&str, &str)> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if digits == 0 {
            return Vec::new();
        }
        let unit_end = rest[digits..]
            .find(|c: char| c.is_ascii_digit())
            .map_or(rest.len(), |i| i + digits);
        quantities.push((&rest[..digits], &rest[digits..unit_end]));
        rest = &rest[unit_end..];
    }
    if quantities.len() < 2 {
        return Vec::new();
    }
    quantities
        .into_iter()
        .filter_map(|(n, unit)| match unit {
            "户" => Some(("户", format!("{n}户"))),
            "人" => Some(("人", format!("{n}人"))),
            _ => None,
        })
        .collect()
}

/// The figures on the index and the office page: the table's name and
/// the label shown beside it.
pub(crate) fn headline_names(year: i32, l: &Labels) -> [(Name<'static>, String); 8] {
    let exit = &l.exit;
    let b = Name::Builtin;
    [
        (b(Builtin::Cumulative), Builtin::Cumulative.key(l)),
        (Name::Builtin(Builtin::ThisYear), format!("{year}年{exit}")),
        (
            Name::Builtin(Builtin::ThisYearPlanned),
            format!("{year}年预{exit}"),
        ),
        (b(Builtin::Remaining), Builtin::Remaining.key(l)),
        (b(Builtin::TargetRate), Builtin::TargetRate.key(l)),
        (b(Builtin::SpecialFunds), Builtin::SpecialFunds.key(l)),
        (Name::Builtin(Builtin::Projects), "项目".into()),
        (Name::Builtin(Builtin::CompletionRate), "项目竣工率".into()),
    ]
}

/// The names of one office-year as `nianbao names` prints them.
pub(crate) fn listing(office: &str, slug: &str, year: i32, table: &CiteTable) -> String {
    use std::fmt::Write as _;
    let mut out = format!("== {office}（{slug}）{year} 年度：可引用的名称\n");
    let _ = writeln!(
        out,
        "（有户有人的名称后加 .户 或 .人，只引用户数或人数，如 {}.户）",
        table.labels().remaining
    );
    for (title, names) in table.grouped() {
        let _ = writeln!(out, "\n{title}");
        for (name, text) in names {
            let _ = writeln!(out, "  {name}  →  {text}");
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(exit: &str) -> Labels {
        Labels::campaign(exit)
    }

    #[test]
    fn names_follow_the_labels() {
        let l = labels("风险消除");
        for &b in Builtin::ALL {
            assert!(!b.key(&l).contains("脱贫"), "{:?}: {}", b, b.key(&l));
        }
        assert_eq!(Name::ExitOf("2023").key(&l), "2023年风险消除");
        assert_eq!(Name::Builtin(Builtin::ThisYear).key(&l), "本年风险消除");
        assert_eq!(Name::Builtin(Builtin::Remaining).key(&l), "未风险消除");
    }

    /// The monitoring era's names carry none of the campaign's words.
    #[test]
    fn monitoring_names_have_no_campaign_words() {
        let l = Labels::of_era(Era::Monitoring);
        let names = Builtin::ALL
            .iter()
            .map(|b| b.key(&l))
            .chain(Headline::ALL.iter().map(|h| h.label(&l)));
        for key in names {
            for word in ["建档立卡", "脱贫", "贫困", "扶贫", "减贫", "出列"] {
                assert!(!key.contains(word), "{key} 含“{word}”");
            }
        }
        assert_eq!(Name::Builtin(Builtin::Remaining).key(&l), "未消除风险");
        assert_eq!(
            Name::Builtin(Builtin::TargetRate).key(&l),
            "风险消除任务完成率"
        );
    }

    /// The households or the persons of a figure, cited alone.
    #[test]
    fn households_and_persons_alone() {
        let mut t = CiteTable::new(labels("脱贫"));
        t.put(Name::Builtin(Builtin::Remaining), "724户1595人".into());
        t.put(Name::Figure("新增小额贷款"), "3171户1.33亿元".into());
        t.put(Name::Figure("培训"), "47384人次".into());
        assert_eq!(t.lookup("未脱贫.户"), Some("724户"));
        assert_eq!(t.lookup("未脱贫.人"), Some("1595人"));
        assert_eq!(t.lookup("新增小额贷款.户"), Some("3171户"));
        assert_eq!(t.lookup("新增小额贷款.人"), None);
        assert_eq!(t.lookup("培训.人"), None);
        let mut l = Labels::of_era(Era::Monitoring);
        l.former
            .push(Labels::before_eras(None, None, None, None, None));
        let mut t = CiteTable::new(l);
        t.put(Name::Builtin(Builtin::Remaining), "147户559人".into());
        assert_eq!(t.renamed("未脱贫.人"), Some("未消除风险.人"));
        assert_eq!(t.lookup("未脱贫.人"), Some("559人"));

        // Next year, last year's old spellings under 上年.
        let mut next = CiteTable::new(Labels::of_era(Era::Monitoring));
        for (k, text) in t.own_entries() {
            next.put(Name::LastYear(k), text.to_string());
        }
        next.take_former(&t, "上年.");
        assert_eq!(next.renamed("上年.未脱贫"), Some("上年.未消除风险"));
        assert_eq!(next.lookup("上年.未脱贫.户"), Some("147户"));
    }

    #[test]
    fn an_office_figure_never_replaces_a_builtin() {
        let mut t = CiteTable::new(labels("脱贫"));
        t.put(Name::Builtin(Builtin::SpecialFunds), "400万元".into());
        t.put(Name::Figure("专项资金"), "1万元".into());
        assert_eq!(t.get(Name::Builtin(Builtin::SpecialFunds)), Some("400万元"));
        assert!(t.shadows_builtin("专项资金"));
        assert!(t.shadows_builtin("2016年脱贫"));
        t.put(Name::CategoryProjects("基础设施"), "12个".into());
        t.put(Name::Figure("基础设施项目"), "138个".into());
        assert!(!t.shadows_builtin("基础设施项目"));
        assert!(t.shares_category_name("基础设施项目"));
        assert_eq!(t.lookup("基础设施项目"), Some("138个"));
        assert_eq!(t.get(Name::CategoryProjects("基础设施")), Some("12个"));
        assert!(t.shadows_builtin("竣工率"));
        assert!(!t.shadows_builtin("培训"));

        // Absent built-in: the figure is there for the narrative, but the
        // typed accessor does not take it for the built-in.
        let mut t = CiteTable::new(labels("脱贫"));
        t.put(Name::Figure("专项资金"), "1万元".into());
        assert_eq!(t.get(Name::Builtin(Builtin::SpecialFunds)), None);
    }
}
