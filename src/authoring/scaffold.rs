//! `nianbao new`: the files to start an office or a year from, as text.
//! A new office gets a commented skeleton; a new year starts from the one
//! before (its unfinished projects carried over as 续建, its plan's targets
//! as the year's, its register carried forward). Every number still to be
//! filled is the placeholder [`PLACEHOLDER`], which `check` reports as a
//! blank at its line: a skeleton never publishes a blank. Returns texts;
//! reads and writes nothing (load reads the year before, site writes).

use std::fmt::Write as _;

use crate::analysis::metrics::{Sum2, pair_text};
use crate::input::{LoadedOffice, PLACEHOLDER as P};
use crate::model::cite::{Builtin, Name};
use crate::model::raw::{self, Figure, N, Text};
use crate::model::shape::named;
use crate::model::{Era, Labels, Status};

/// A file to write, relative to the data folder, and its text.
pub(crate) type NewFile = (String, String);

/// The skeletons of a new office's files, with `待填` ([`P`]) where a value
/// is to be filled and `{year}`, `{subject}` for the year and the register's
/// people.
const OFFICE: &str = include_str!("../../templates/skeletons/office.yaml");
const REGISTER: &str = include_str!("../../templates/skeletons/register.yaml");
const FUNDS: &str = include_str!("../../templates/skeletons/funds.yaml");
const PROJECTS: &str = include_str!("../../templates/skeletons/projects.yaml");
const MEASURES: &str = include_str!("../../templates/skeletons/measures.yaml");
const PROBLEMS: &str = include_str!("../../templates/skeletons/problems.yaml");

/// A skeleton with its year.
fn of_year(skeleton: &str, year: i32) -> String {
    skeleton.replace("{year}", &year.to_string())
}

/// The folder under the data folder that holds the JSON Schemas of the
/// files (`nianbao schema`); `input::discover` skips dot-folders.
pub(crate) const SCHEMA_DIR: &str = ".schema";

/// Each file with the line that tells an editor's YAML language server its
/// schema (`data/.schema/<kind>.schema.json`, relative to the file).
fn with_schema(files: Vec<NewFile>) -> Vec<NewFile> {
    files
        .into_iter()
        .map(|(path, text)| {
            let kind = path
                .rsplit('/')
                .next()
                .and_then(|n| n.strip_suffix(".yaml"))
                .unwrap_or("office");
            let up = "../".repeat(path.matches('/').count());
            let line =
                format!("# yaml-language-server: $schema={up}{SCHEMA_DIR}/{kind}.schema.json\n");
            (path, line + &text)
        })
        .collect()
}

/// office.yaml and a first year's files, for an office not yet there.
pub(crate) fn office(slug: &str, year: i32) -> Vec<NewFile> {
    with_schema(office_files(slug, year))
}

fn office_files(slug: &str, year: i32) -> Vec<NewFile> {
    let era = Era::of_year(year);
    let subject = match era {
        Era::Monitoring => "监测对象（防返贫监测）",
        Era::Campaign => "建档立卡贫困人口",
    };
    let dir = format!("{slug}/{year}");
    vec![
        (format!("{slug}/office.yaml"), OFFICE.to_string()),
        (
            format!("{dir}/report.yaml"),
            report_file(year, None, None, false, era),
        ),
        (
            format!("{dir}/register.yaml"),
            fresh_register(year, subject),
        ),
        (format!("{dir}/funds.yaml"), FUNDS.to_string()),
        (format!("{dir}/projects.yaml"), of_year(PROJECTS, year)),
        (format!("{dir}/measures.yaml"), MEASURES.to_string()),
        (format!("{dir}/problems.yaml"), of_year(PROBLEMS, year)),
        (format!("{dir}/plan.yaml"), plan_file(year, None)),
    ]
}

/// A year's files from the year before: what carries over, carried; every
/// figure of the new year a placeholder.
pub(crate) fn next_year(office: &LoadedOffice, year: i32, draft: bool) -> Vec<NewFile> {
    with_schema(next_year_files(office, year, draft))
}

fn next_year_files(office: &LoadedOffice, year: i32, draft: bool) -> Vec<NewFile> {
    let prev = office.years.iter().rev().find(|y| y.year < year);
    let f = prev.map(|y| &y.files);
    let from = prev.map(|y| y.year);
    let dir = format!("{}/{year}", office.slug);
    let report = f.and_then(|f| f.report.as_ref()).map(|s| &s.data);
    let register = f.and_then(|f| f.register.as_ref()).map(|r| &r.data);
    let era = register
        .and_then(|r| r.era.as_ref())
        .and_then(|e| named(Era::SPELLINGS, e.s.trim()))
        .unwrap_or_else(|| Era::of_year(year));
    let mut out = vec![(
        format!("{dir}/report.yaml"),
        report_file(year, report, from, draft, era),
    )];
    let targets = f
        .and_then(|f| f.plan.as_ref())
        .map(|p| p.data.targets.as_slice())
        .unwrap_or_default();
    let register = match register {
        Some(r) => carried_register(r, year, from.unwrap_or(year - 1), targets),
        None => fresh_register(year, "对象"),
    };
    out.push((format!("{dir}/register.yaml"), register));
    let funds = f.and_then(|f| f.funds.as_ref()).map(|f| &f.data);
    if let Some(funds) = funds {
        out.push((format!("{dir}/funds.yaml"), carried_funds(funds)));
    }
    // A project of a year whose funds come in batches names its batch.
    let batches = funds
        .and_then(|f| f.special.as_ref())
        .is_some_and(|s| !s.batches.is_empty());
    let projects = f
        .and_then(|f| f.projects.as_ref())
        .map(|p| p.data.projects.as_slice())
        .unwrap_or_default();
    out.push((
        format!("{dir}/projects.yaml"),
        carried_projects(projects, year, from, batches),
    ));
    if let Some(m) = f.and_then(|f| f.measures.as_ref()) {
        out.push((format!("{dir}/measures.yaml"), carried_measures(&m.data)));
    }
    out.push((format!("{dir}/problems.yaml"), of_year(PROBLEMS, year)));
    let plan = f.and_then(|f| f.plan.as_ref()).map(|p| &p.data);
    out.push((format!("{dir}/plan.yaml"), plan_file(year, plan)));
    out
}

/// A scalar as YAML: plain where that reads back as the same text, else
/// double-quoted (JSON's escapes are YAML's).
pub(crate) fn q(s: &str) -> String {
    let plain = !s.is_empty()
        && s != P
        && s.trim() == s
        && !s.chars().any(|c| {
            matches!(
                c,
                ':' | '#'
                    | '{'
                    | '}'
                    | '['
                    | ']'
                    | ','
                    | '&'
                    | '*'
                    | '!'
                    | '|'
                    | '>'
                    | '\''
                    | '"'
                    | '%'
                    | '@'
                    | '`'
                    | '\n'
                    | '\t'
                    | '\\'
            )
        })
        && !s.starts_with(['-', '?', '~', ' '])
        && s.parse::<f64>().is_err()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

fn t(s: &Text) -> String {
    q(s.s.trim())
}

fn n(v: &N) -> String {
    v.v.to_string()
}

/// A key of `keys` that was given, as a placeholder, in flow style.
fn holes(given: &[(&str, bool)]) -> String {
    given
        .iter()
        .filter(|(_, g)| *g)
        .map(|(k, _)| format!("{k}: {P}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn report_file(
    year: i32,
    prev: Option<&raw::ReportFile>,
    from: Option<i32>,
    draft: bool,
    era: Era,
) -> String {
    let mut s = match from {
        Some(y) => format!(
            "# {year} 年度报告设置（nianbao new 从 {y} 年度生成）。“{P}”处都要填上，填完之前不能生成站点。\n"
        ),
        None => format!(
            "# {year} 年度报告设置（nianbao new 生成）。“{P}”处都要填上，填完之前不能生成站点。\n"
        ),
    };
    let theme = prev.map_or_else(|| P.to_string(), |r| t(&r.theme));
    let _ = writeln!(
        s,
        "theme: {theme}          # 工作主题，用在默认标题里，如 巩固拓展脱贫攻坚成果"
    );
    if let Some(kind) = prev.and_then(|r| r.kind.as_ref()) {
        let _ = writeln!(
            s,
            "kind: {}            # 文种：总结、汇报、情况报告 或 总结及计划",
            t(kind)
        );
    }
    let _ = writeln!(
        s,
        "issued: {P}          # 成文日期，如 {year}-12-20；没有成文日期时删掉这一行"
    );
    let _ = writeln!(
        s,
        "as_of: {P}           # 数据截至日期，如 {year}-11-30；不写截至日期时删掉这一行"
    );
    if draft {
        s.push_str("draft: true          # 草稿：只检查，不发布；写完后删掉这一行\n");
    }
    if prev.and_then(|r| r.tables) == Some(true) {
        s.push_str("tables: true         # 生成的表格印入文档\n");
    }
    if prev.is_some_and(|r| r.chapters.is_some()) {
        s.push_str("# 上一年度自定了章节（chapters）；要沿用时从上一年度的 report.yaml 复制过来再改写文字\n");
    }
    // A name the year's register gives (累计脱贫, 累计风险消除).
    let cited = Name::Builtin(Builtin::Cumulative).key(&Labels::of_era(era));
    let _ = writeln!(
        s,
        "# 导语（Markdown）：文字里的数字都用引用，如 {{{{ f[\"{cited}\"] }}}}；上一年度的数字写 {{{{ f[\"上年.名称\"] }}}}，"
    );
    s.push_str("# 与上年相比写 {{ f[\"同比.名称\"] }}（nianbao names 列出全部名称）\n");
    let _ = writeln!(s, "intro: {P}");
    s
}

fn fresh_register(year: i32, subject: &str) -> String {
    of_year(REGISTER, year).replace("{subject}", subject)
}

/// The register carried forward: the base and every exit so far; the new
/// year's exits, what remains and the year's targets (the plan's, where
/// the year before planned this one) to fill.
fn carried_register(r: &raw::RegisterFile, year: i32, from: i32, targets: &[Figure]) -> String {
    let mut s = format!(
        "# {year} 年度台账（从 {from} 年度结转：基数、历年退出照抄；本年度的数字待填）。\n"
    );
    if let Some(era) = &r.era {
        let _ = writeln!(s, "era: {}", t(era));
    }
    let labels = labels(&r.labels);
    if !labels.is_empty() {
        let _ = writeln!(s, "labels: {{{labels}}}");
    }
    s.push_str("baseline:\n");
    let b = &r.baseline;
    if let Some(v) = &b.villages {
        let _ = writeln!(s, "  villages: {}", n(v));
    }
    if let Some(names) = &b.village_names {
        let _ = writeln!(s, "  village_names: [{}]", list(names));
    }
    for (k, v) in [("households", &b.households), ("persons", &b.persons)] {
        if let Some(v) = v {
            let _ = writeln!(s, "  {k}: {}", n(v));
        }
    }
    carried_exits(&mut s, r, year, from);
    let example = format!("{{label: {year}年新识别, added: {{households: 10, persons: 30}}}}");
    if r.adjustments.is_empty() {
        let _ = writeln!(s, "# adjustments: [{example}]   # 本年度的动态调整，有时写");
    } else {
        s.push_str("adjustments:\n");
        for a in &r.adjustments {
            let _ = writeln!(s, "  - {{{}}}", adjustment(a));
        }
        let _ = writeln!(s, "  # - {example}   # 本年度的动态调整接着写");
    }
    this_year(&mut s, r, targets);
    s
}

/// Every exit so far, and the next year's to fill: this one where the
/// register gives a year's own exits, else the year before (verified after
/// it ended).
fn carried_exits(s: &mut String, r: &raw::RegisterFile, year: i32, from: i32) {
    s.push_str("exits:\n");
    for e in &r.exits {
        let _ = writeln!(s, "  - {{{}}}", exit(e));
    }
    let next = if r.exits.iter().any(|e| e.year.s.trim() == from.to_string()) {
        year
    } else {
        from
    };
    let planned = r
        .planned
        .as_ref()
        .map(|p| {
            let c = pair_text(Sum2 {
                households: p.households.map(|n| n.v),
                persons: p.persons.map(|n| n.v),
            });
            format!("    # {from} 年计划：{c}，填核定数")
        })
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "  - {{year: {next}, households: {P}, persons: {P}}}{planned}"
    );
}

/// The year's own state, as the register before gave its keys: current,
/// remaining (with its breakdowns' parts), planned, targets, incidence.
fn this_year(s: &mut String, r: &raw::RegisterFile, targets: &[Figure]) {
    if r.current.is_some() {
        let _ = writeln!(s, "current: {{households: {P}, persons: {P}}}");
    }
    if let Some(rem) = &r.remaining {
        let _ = writeln!(s, "remaining:\n  households: {P}\n  persons: {P}");
        if rem.villages.is_some() {
            let _ = writeln!(s, "  villages: {P}");
        }
        breakdowns(s, "  ", &rem.breakdowns);
    }
    if r.planned.is_some() {
        let _ = writeln!(s, "planned: {{households: {P}, persons: {P}}}");
    }
    let goal = carried_targets(r.targets.as_ref(), targets);
    if !goal.is_empty() {
        let _ = writeln!(s, "targets: {{{goal}}}");
    }
    if let Some(i) = &r.incidence {
        let stated = [
            ("stated", i.stated.is_some()),
            ("stated_after", i.stated_after.is_some()),
        ];
        let rest = holes(&stated);
        let _ = writeln!(
            s,
            "incidence: {{denominator: {P}, denominator_label: {}{}{rest}}}",
            t(&i.denominator_label),
            if rest.is_empty() { "" } else { ", " }
        );
    }
}

/// The year's targets: the plan's (a target compared with the register's
/// 人, 户 or 村), else the keys the year before gave, to fill.
fn carried_targets(before: Option<&raw::Targets>, plan: &[Figure]) -> String {
    let mut keys: Vec<(&str, String)> = Vec::new();
    for f in plan {
        let key = match f.compare.as_ref().map(|c| c.s.trim()) {
            Some("人") => "persons",
            Some("户") => "households",
            Some("村") => "villages",
            _ => continue,
        };
        if let Some(v) = &f.value {
            keys.push((key, n(v)));
        }
    }
    if keys.is_empty()
        && let Some(b) = before
    {
        for (k, v) in [
            ("villages", &b.villages),
            ("households", &b.households),
            ("persons", &b.persons),
        ] {
            if v.is_some() {
                keys.push((k, P.to_string()));
            }
        }
    }
    keys.iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn labels(l: &raw::Labels) -> String {
    let all = [
        ("subject", &l.subject),
        ("exit", &l.exit),
        ("village", &l.village),
        ("village_exit", &l.village_exit),
        ("remaining", &l.remaining),
        ("baseline", &l.baseline),
        ("baseline_villages", &l.baseline_villages),
        ("population", &l.population),
        ("current", &l.current),
        ("reduction", &l.reduction),
        ("planned", &l.planned),
        ("incidence", &l.incidence),
        ("funds", &l.funds),
    ];
    all.iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {}", t(v))))
        .collect::<Vec<_>>()
        .join(", ")
}

fn list(names: &[Text]) -> String {
    names.iter().map(t).collect::<Vec<_>>().join(", ")
}

fn exit(e: &raw::Exit) -> String {
    let year = e.year.s.trim();
    let plain = year.chars().all(|c| c.is_ascii_digit() || c == '-');
    let mut parts = vec![format!(
        "year: {}",
        if plain { year.into() } else { q(year) }
    )];
    for (k, v) in [("households", &e.households), ("persons", &e.persons)] {
        if let Some(v) = v {
            parts.push(format!("{k}: {}", n(v)));
        }
    }
    match &e.villages {
        raw::VillageList::Names(names) => parts.push(format!("villages: [{}]", list(names))),
        raw::VillageList::Count(c) => parts.push(format!("villages: {c}")),
        raw::VillageList::None => {}
    }
    parts.join(", ")
}

fn adjustment(a: &raw::Adjustment) -> String {
    let mut parts = Vec::new();
    if let Some(l) = &a._label {
        parts.push(format!("label: {}", t(l)));
    }
    for (k, c) in [("added", &a.added), ("removed", &a.removed)] {
        if let Some(c) = c {
            let mut v = Vec::new();
            if let Some(h) = &c.households {
                v.push(format!("households: {}", n(h)));
            }
            if let Some(p) = &c.persons {
                v.push(format!("persons: {}", n(p)));
            }
            parts.push(format!("{k}: {{{}}}", v.join(", ")));
        }
    }
    parts.join(", ")
}

/// Breakdowns with their parts' names kept and their figures to fill.
fn breakdowns(s: &mut String, indent: &str, list: &[raw::Breakdown]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(s, "{indent}breakdowns:");
    for b in list {
        let _ = writeln!(s, "{indent}  - by: {}", t(&b.by));
        if b.subset == Some(true) {
            let _ = writeln!(s, "{indent}    subset: true");
        }
        let _ = writeln!(s, "{indent}    parts:");
        for p in &b.parts {
            let _ = writeln!(s, "{indent}      - {{{}}}", part(p));
        }
    }
}

fn part(p: &raw::Part) -> String {
    let mut out = format!("name: {}", t(&p.name));
    let rest = holes(&[
        ("households", p.households.is_some()),
        ("persons", p.persons.is_some()),
        ("amount", p.amount.is_some()),
        ("count", p.count.is_some()),
        ("value", p.value.is_some()),
    ]);
    if !rest.is_empty() {
        out = format!("{out}, {rest}");
    }
    if let Some(u) = &p.unit {
        let _ = write!(out, ", unit: {}", t(u));
    }
    out
}

/// A figure of last year with its words kept and its numbers to fill; a
/// change (由…提高到…) starts from where last year's ended.
fn figure(f: &Figure) -> String {
    let mut parts = vec![format!("label: {}", t(&f.label))];
    let words = [
        ("unit", &f.unit),
        ("numerator_label", &f.numerator_label),
        ("denominator_label", &f.denominator_label),
        ("approx", &f.approx),
    ];
    for (k, v) in words {
        if let Some(v) = v {
            parts.push(format!("{k}: {}", t(v)));
        }
    }
    if let Some(to) = &f.to {
        parts.push(format!("from: {}", n(to)));
        parts.push(format!("to: {P}"));
    }
    let numbers = holes(&[
        ("value", f.value.is_some()),
        ("plan", f.plan.is_some()),
        ("numerator", f.numerator.is_some()),
        ("denominator", f.denominator.is_some()),
        ("should", f.should.is_some()),
        ("done", f.done.is_some()),
        ("undone", f.undone.is_some()),
        ("sum", f.sum.is_some()),
        ("count", f.count.is_some()),
        ("max", f.max.is_some()),
        ("stated", f.stated.is_some()),
    ]);
    if !numbers.is_empty() {
        parts.push(numbers);
    }
    for (k, v) in [
        ("scale", &f.scale),
        ("precision", &f.precision),
        ("at_least", &f.at_least),
        ("at_most", &f.at_most),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}: {}", n(v)));
        }
    }
    if let Some(c) = &f.compare {
        parts.push(format!("compare: {}", t(c)));
    }
    if let Some(total) = &f.total {
        let keys = holes(&[
            ("households", total.households.is_some()),
            ("persons", total.persons.is_some()),
            ("amount", total.amount.is_some()),
            ("count", total.count.is_some()),
            ("value", total.value.is_some()),
        ]);
        parts.push(format!("total: {{{keys}}}"));
        let b: Vec<String> = f
            .breakdowns
            .iter()
            .map(|b| {
                let parts: Vec<String> =
                    b.parts.iter().map(|p| format!("{{{}}}", part(p))).collect();
                let subset = if b.subset == Some(true) {
                    ", subset: true"
                } else {
                    ""
                };
                format!(
                    "{{by: {}{subset}, parts: [{}]}}",
                    t(&b.by),
                    parts.join(", ")
                )
            })
            .collect();
        if !b.is_empty() {
            parts.push(format!("breakdowns: [{}]", b.join(", ")));
        }
    }
    format!("{{{}}}", parts.join(", "))
}

fn figures(s: &mut String, indent: &str, list: &[Figure]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(s, "{indent}figures:");
    for f in list {
        let _ = writeln!(s, "{indent}  - {}", figure(f));
    }
}

fn carried_funds(f: &raw::FundsFile) -> String {
    let mut s = String::from("# 资金（从上一年度结转名称和单位；本年度的金额待填）。\n");
    if let Some(u) = &f.unit {
        let _ = writeln!(s, "unit: {}", t(u));
    }
    if let Some(p) = &f.precision {
        let _ = writeln!(s, "precision: {}", n(p));
    }
    if let Some(title) = &f.title {
        let _ = writeln!(s, "title: {}", t(title));
    }
    if f.narrative.is_some() {
        let _ = writeln!(s, "narrative: {P}");
    }
    figures(&mut s, "", &f.figures);
    if let Some(sp) = &f.special {
        let _ = writeln!(s, "special:\n  label: {}", t(&sp.label));
        let stated = holes(&[
            ("stated_total", sp.stated_total.is_some()),
            ("stated_projects", sp.stated_projects.is_some()),
            ("stated_start_rate", sp.stated_start_rate.is_some()),
            (
                "stated_completion_rate",
                sp.stated_completion_rate.is_some(),
            ),
            ("stated_spending_rate", sp.stated_spending_rate.is_some()),
            ("stated_industry_share", sp.stated_industry_share.is_some()),
        ]);
        for kv in stated.split(", ").filter(|kv| !kv.is_empty()) {
            let _ = writeln!(s, "  {kv}");
        }
        if let Some(c) = &sp.industry_category {
            let _ = writeln!(s, "  industry_category: {}", t(c));
        }
        if let Some(m) = &sp.industry_min_share {
            let _ = writeln!(s, "  industry_min_share: {}", n(m));
        }
        let lists = [
            ("batches", &sp.batches),
            ("by_category", &sp.by_category),
            ("by_source", &sp.by_source),
        ];
        for (key, parts) in lists {
            if parts.is_empty() {
                continue;
            }
            let _ = writeln!(s, "  {key}:");
            let names: Vec<&raw::FundPart> = if key == "batches" {
                parts.iter().take(1).collect()
            } else {
                parts.iter().collect()
            };
            for p in names {
                let name = if key == "batches" {
                    P.to_string()
                } else {
                    t(&p.name)
                };
                let projects = if p.projects.is_some() {
                    format!(", projects: {P}")
                } else {
                    String::new()
                };
                let _ = writeln!(s, "    - {{name: {name}{projects}, amount: {P}}}");
            }
        }
    }
    s
}

/// A project line to fill, with its batch when the funds come in batches.
fn new_project(year: i32, batch: bool) -> String {
    let batch = if batch {
        format!("batch: {P}, ")
    } else {
        String::new()
    };
    format!(
        "  - {{id: {year}-001, name: {P}, category: {P}, village: {P}, {batch}budget: {P}, spent: {P}, status: {P}, start: {P}}}\n"
    )
}

/// The year before's unfinished projects, carried over as 续建: what the
/// project is stays; what it has spent and how far it is are to fill.
fn carried_projects(list: &[raw::Project], year: i32, from: Option<i32>, batches: bool) -> String {
    let mut s = format!(
        "# {year} 年度项目库。status 写 未开工、在建 或 已完工；已完工的写完工日期 end。\n\
         # 可从 Excel 导入：nianbao import projects 项目库.xlsx --to data/<单位>/{year}\n"
    );
    if batches {
        s.push_str("# batch 写资金批次的名称（funds.yaml 的 batches）。\n");
    }
    let carried: Vec<&raw::Project> = list
        .iter()
        .filter(|p| Status::parse(p.status.s.trim()) != Some(Status::Completed))
        .collect();
    if carried.is_empty() {
        s.push_str("projects:\n");
        s.push_str(&new_project(year, batches));
        return s;
    }
    let from = from.map_or_else(String::new, |y| format!("{y} 年度"));
    let _ = writeln!(
        s,
        "# 续建：{from}未完工的 {} 个项目结转到本年度。",
        carried.len()
    );
    s.push_str("projects:\n");
    for p in carried {
        let mut parts = vec![
            format!("id: {}", t(&p.id)),
            format!("name: {}", t(&p.name)),
            format!("category: {}", t(&p.category)),
        ];
        for (k, v) in [("town", &p.town), ("village", &p.village)] {
            if let Some(v) = v {
                parts.push(format!("{k}: {}", t(v)));
            }
        }
        if p.batch.is_some() {
            parts.push(format!("batch: {P}"));
        }
        parts.push(format!("budget: {}", n(&p.budget)));
        parts.push(format!("spent: {P}"));
        parts.push(format!("status: {P}"));
        if let Some(start) = &p.start {
            parts.push(format!("start: {}", t(start)));
        }
        if let Some(b) = &p.beneficiaries {
            let mut v = Vec::new();
            if let Some(h) = &b.households {
                v.push(format!("households: {}", n(h)));
            }
            if let Some(x) = &b.persons {
                v.push(format!("persons: {}", n(x)));
            }
            parts.push(format!("beneficiaries: {{{}}}", v.join(", ")));
        }
        let was = format!(
            "上年：{}，已支出 {}",
            t(&p.status),
            p.spent.as_ref().map_or("—".into(), n)
        );
        let _ = writeln!(s, "  - {{{}}}   # 续建；{was}", parts.join(", "));
    }
    s
}

fn carried_measures(m: &raw::MeasuresFile) -> String {
    let mut s = String::from(
        "# 主要工作（从上一年度结转工作领域和指标名称；文字和数字待填）。\n\
         measures:\n",
    );
    for x in &m.measures {
        let _ = writeln!(s, "  - title: {}", t(&x.title));
        if x.narrative.is_some() {
            let _ = writeln!(s, "    narrative: {P}");
        }
        figures(&mut s, "    ", &x.figures);
    }
    s
}

/// Next year's plan: its kind, targets' names and task groups from the
/// plan before, everything said to fill.
fn plan_file(year: i32, prev: Option<&raw::PlanFile>) -> String {
    let next = year + 1;
    let mut s = format!("# {next} 年工作计划。目标的数字和每项任务待填。\nyear: {next}\n");
    if let Some(k) = prev.and_then(|p| p.kind.as_ref()) {
        let _ = writeln!(s, "kind: {}", t(k));
    }
    if let Some(th) = prev.and_then(|p| p.theme.as_ref()) {
        let _ = writeln!(s, "theme: {}", t(th));
    }
    s.push_str("targets:\n");
    let targets = prev.map(|p| p.targets.as_slice()).unwrap_or_default();
    if targets.is_empty() {
        let _ = writeln!(
            s,
            "  - {{label: {P}, value: {P}, unit: {P}}}   # 目标：名称、数字、单位"
        );
    }
    for f in targets {
        let _ = writeln!(s, "  - {}", figure(f));
    }
    s.push_str("tasks:\n");
    let mut groups: Vec<&str> = prev
        .map(|p| {
            p.tasks
                .iter()
                .filter_map(|t| t.group.as_ref().map(|g| g.s.trim()))
                .collect()
        })
        .unwrap_or_default();
    groups.dedup();
    if groups.is_empty() {
        let _ = writeln!(s, "  - text: {P}                # 每项重点工作一条");
    }
    for g in groups {
        let _ = writeln!(s, "  - {{group: {}, text: {P}}}", q(g));
    }
    if prev.is_some_and(|p| p.tables == Some(true)) {
        s.push_str("tables: true\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The skeletons leave the placeholder where a value goes, and the
    /// report's example cites a name the year's register gives.
    #[test]
    fn skeletons_hold_placeholders_and_names_of_their_era() {
        for sk in [OFFICE, REGISTER, FUNDS, PROJECTS, MEASURES, PROBLEMS] {
            assert!(
                sk.contains(&format!(": {P}")) || sk.contains(&format!("- {P}")),
                "{sk}"
            );
            assert!(!sk.contains("{P}"), "{sk}");
        }
        let report = |year| {
            office("x", year)
                .into_iter()
                .find(|(f, _)| f.ends_with("report.yaml"))
                .unwrap()
                .1
        };
        assert!(
            report(2024).contains("f[\"累计风险消除\"]"),
            "{}",
            report(2024)
        );
        assert!(report(2017).contains("f[\"累计脱贫\"]"), "{}", report(2017));
        let files = office("x", 2024);
        let text = |name: &str| &files.iter().find(|(f, _)| f.ends_with(name)).unwrap().1;
        assert!(text("register.yaml").starts_with(
            "# yaml-language-server: $schema=../../.schema/register.schema.json\n# 2024 年度台账：监测对象（防返贫监测）"
        ));
        assert!(
            text("office.yaml")
                .starts_with("# yaml-language-server: $schema=../.schema/office.schema.json\n")
        );
        assert!(text("projects.yaml").contains("{id: 2024-001,"));
        assert!(
            !files
                .iter()
                .any(|(_, t)| t.contains("{year}") || t.contains("{subject}"))
        );
    }

    #[test]
    fn scalars_read_back() {
        assert_eq!(q("罗田村"), "罗田村");
        assert_eq!(q("a: b"), "\"a: b\"");
        assert_eq!(q("2017"), "\"2017\"");
        assert_eq!(q("true"), "\"true\"");
        assert_eq!(q(P), format!("\"{P}\""));
        assert_eq!(q("第一批#2"), "\"第一批#2\"");
    }
}
