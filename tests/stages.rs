//! The pipeline's promises, on the real binary: one `check` lists every
//! finding of every kind, once, with its rule; citation names follow the
//! register's labels; `nianbao names` lists what can be cited; the command
//! line speaks Chinese; and each stage uses only the stages before it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::Command;

mod common;
use common::{nianbao, root, stderr, stdout};

/// The clean rule-fixture base in a temporary folder, with some files
/// replaced.
fn clean_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::clean_in(tmp.path(), files);
    tmp
}

const MEASURES: &str = r#"measures:
  - title: 综合
    narrative: |
      培训{{ f["培训次数"] }}，规划{{ f["规划项目"] }}，
      小额信贷完成计划的{{ f[“小额信贷.完成率”] }}。
    figures:
      - {label: 培训, value: 12, unit: 次}
      - {label: 规划项目, value: , unit: 个}
      - {label: 小额信贷, value: 150, plan: 100, unit: 万元, stated: 150}
      - {label: 医保参保率, should: 1000, done: 990, undone: 10, unit: 人, stated: 99.1}
      - label: 教育资助
        unit: 万元
        total: {persons: 30, amount: 6.5}
        breakdowns:
          - by: 学段
            parts:
              - {name: 小学, persons: 21, amount: 4}
              - {name: 初中, persons: 10, amount: 2.5}
"#;

const PLAN: &str = r#"targets:
  - {label: 产业项目, value: 10, plan: 20, unit: 个, stated: 40}
tasks:
  - text: 新增{{ f["小额贷款"] }}，完成{{ f["规划项目"] }}。
  - text: 巩固{{ f["本年预脱贫"] }}。
"#;

const PROBLEMS: &str = r#"problems:
  - 尚有{{ f["未脱贫人数"] }}。
  - 产业基础薄弱{% if x %}。
"#;

/// One `check` on a tree with arithmetic errors, a blank and broken
/// citations in measures, plan and problems: every one reported, once,
/// with its rule; a citation of the blank figure is not a second finding.
#[test]
fn one_check_lists_every_finding_once() {
    let tmp = clean_with(&[
        ("2020/measures.yaml", MEASURES),
        ("2020/plan.yaml", PLAN),
        ("2020/problems.yaml", PROBLEMS),
    ]);
    let o = nianbao(&[
        "check",
        "--format",
        "json",
        "--data",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let got: Vec<(String, String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_string_lossy();
            (
                f["rule"].as_str().unwrap().to_string(),
                name.into_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("value.blank", "measures.yaml", 8),
        ("figure.rate", "measures.yaml", 10),
        ("breakdown.sum", "measures.yaml", 15),
        ("citation.unknown", "measures.yaml", 4),
        ("citation.syntax", "measures.yaml", 5),
        ("figure.rate", "plan.yaml", 2),
        ("citation.unknown", "plan.yaml", 4),
        ("citation.unknown", "problems.yaml", 2),
        ("citation.syntax", "problems.yaml", 3),
    ];
    let mut expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(r, f, l)| (r.to_string(), f.to_string(), *l))
        .collect();
    expected.sort();
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "{}", stderr(&o));
    assert_eq!(json["errors"], 9);

    // The text report says the same, with the rule beside each severity.
    let o = nianbao(&["check", "--data", tmp.path().to_str().unwrap()]);
    let text = stderr(&o);
    assert_eq!(
        text.matches("错误[citation.unknown]：").count(),
        3,
        "{text}"
    );
    assert_eq!(
        text.matches("引用的指标“小额贷款”不存在").count(),
        1,
        "{text}"
    );
    assert!(!text.contains("规划项目”不存在"), "{text}");
    // The errors stop the build: no 核对表 is named.
    assert!(text.ends_with("检查完毕：9 个错误、0 个警告。\n"), "{text}");
}

/// Citation names follow `labels`: every built-in name spelt with the
/// office's word, and the index shows as many headline figures as without.
#[test]
fn names_and_headlines_follow_the_labels() {
    let labelled =
        fs::read_to_string(root().join("tests/fixtures/check/clean/office-a/2020/register.yaml"))
            .unwrap();
    let labelled = format!("labels: {{exit: 风险消除, subject: 监测对象}}\n{labelled}");
    let report = "theme: 巩固拓展脱贫攻坚成果\nissued: 2020-12-20\nintro: 全年{{ f[\"本年预风险消除\"] }}，累计{{ f[\"累计风险消除\"] }}，尚有{{ f[\"未风险消除\"] }}。\n";
    let tmp = clean_with(&[
        ("2020/register.yaml", &labelled),
        ("2020/report.yaml", report),
    ]);
    let data = tmp.path().to_str().unwrap();

    let o = nianbao(&["names", "--data", data, "office-a", "2020"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let names: Vec<String> = stdout(&o)
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .split_once("  →  ")
                .map(|(n, _)| n.to_string())
        })
        .collect();
    assert!(names.len() > 30, "{names:?}");
    // Last year's names follow last year's labels (its register has none).
    for name in names.iter().filter(|n| !n.starts_with("上年.")) {
        assert!(!name.contains("脱贫"), "{name} does not follow the labels");
    }
    assert!(names.iter().any(|n| n == "上年.2019年脱贫"), "{names:?}");
    for expected in [
        "累计风险消除",
        "本年预风险消除",
        "未风险消除",
        "2019年风险消除",
        "计划风险消除后贫困发生率",
        "同比.未风险消除人口",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing: {names:?}"
        );
    }

    // The old names are gone, and say so.
    let old = report.replace("本年预风险消除", "本年预脱贫");
    fs::write(tmp.path().join("office-a/2020/report.yaml"), old).unwrap();
    let o = nianbao(&["check", "--data", data]);
    assert!(
        stderr(&o).contains("引用的指标“本年预脱贫”不存在"),
        "{}",
        stderr(&o)
    );
    fs::write(tmp.path().join("office-a/2020/report.yaml"), report).unwrap();

    // As many headline figures on the index as with the default labels.
    let headlines = |data: &Path| {
        let out = tempfile::tempdir().unwrap();
        let site = out.path().join("site");
        let o = nianbao(&[
            "build",
            "--data",
            data.to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let index = fs::read_to_string(site.join("index.html")).unwrap();
        index.matches("<dt>").count()
    };
    let plain = clean_with(&[]);
    let n = headlines(plain.path());
    assert!(n >= 6, "{n}");
    assert_eq!(headlines(tmp.path()), n);
}

/// `nianbao names` on the sample data: every group, with the values the
/// documents print (seed 000's figures).
#[test]
fn names_lists_the_sample_data() {
    let o = nianbao(&["names", "xx-qu", "2017"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for line in [
        "== xx区扶贫开发领导小组办公室（xx-qu）2017 年度：可引用的名称",
        "内置：建档立卡",
        "  累计脱贫  →  1618户3079人",
        "  未脱贫  →  724户1595人",
        "内置：资金与项目",
        "  专项资金  →  2531.2万元",
        "  竣工率  →  85%",
        "内置：资金来源、批次与各类别资金",
        "  产业发展占比  →  75.8%",
        "指标（measures.yaml、funds.yaml 的 label 及其组成部分）",
        "  新增扶贫小额信贷.完成率  →  162.8%",
    ] {
        assert!(out.contains(line), "{line:?} missing from:\n{out}");
    }
    insta::assert_snapshot!("names_xx_qu_2017", out);

    let o = nianbao(&["names", "nowhere"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("数据中没有单位“nowhere”"),
        "{}",
        stderr(&o)
    );
}

/// clap's own words are Chinese too: help, usage, errors and suggestions.
#[test]
fn the_command_line_speaks_chinese() {
    let o = nianbao(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    for english in [
        "Usage",
        "Print help",
        "Print version",
        "Commands:",
        "Options:",
    ] {
        assert!(!help.contains(english), "{english} in:\n{help}");
    }
    for chinese in ["用法：", "命令", "选项", "显示帮助", "names"] {
        assert!(help.contains(chinese), "{chinese} missing from:\n{help}");
    }
    for cmd in ["build", "check", "names"] {
        let o = nianbao(&[cmd, "--help"]);
        let help = stdout(&o);
        assert!(help.contains("数据目录"), "{help}");
        for english in ["Usage", "Options", "OPTIONS", "Arguments", "default:"] {
            assert!(!help.contains(english), "{english} in:\n{help}");
        }
    }

    let o = nianbao(&["biuld"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("错误：不认识的命令“biuld”"), "{err}");
    assert!(err.contains("是否想写“build”"), "{err}");
    assert!(err.is_ascii() || !err.contains("unrecognized"), "{err}");

    let o = nianbao(&["check", "--fromat", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("不认识的选项“--fromat”"), "{err}");
    assert!(err.contains("是否想写“--format”"), "{err}");

    let o = nianbao(&["check", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("“xml”"), "{}", stderr(&o));
    assert!(stderr(&o).contains("可用的值"), "{}", stderr(&o));
}

/// A finding in a 400-character narrative line shows a window of it, and
/// two findings on that line show it once; a Tab finding points at the Tab; NO_COLOR or a pipe gives
/// no colour codes.
#[test]
fn diagnostics_fit_a_terminal() {
    let long = "全年投入资金大量用于产业发展和基础设施建设，".repeat(20);
    let report = format!(
        "theme: 脱贫攻坚\nissued: 2020-12-20\nintro: {long}引用{{{{ f[\"培训次数\"] }}}}，再引用{{{{ f[\"培训天数\"] }}}}。\n"
    );
    let tmp = clean_with(&[("2020/report.yaml", &report)]);
    let o = nianbao(&["check", "--data", tmp.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(!err.contains('\x1b'), "{err}");
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    for line in err.lines() {
        assert!(width(line) <= 120, "{} columns: {line}", width(line));
    }
    // The line is shown once, cut to a window, for both findings on it.
    assert_eq!(err.matches("3 | ...").count(), 1, "{err}");
    assert!(err.contains("f[\"培训次数\"]"), "{err}");
    assert!(err.contains("report.yaml:3:469"), "{err}");

    // A Tab in the indentation: the finding names the line with the Tab.
    let tab = "unit: 万元\nspecial:\n\tlabel: 资金\n";
    let tmp = clean_with(&[("2020/funds.yaml", tab)]);
    let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check", "--data", tmp.path().to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(err.contains("缩进里有 Tab 字符"), "{err}");
    assert!(err.contains("funds.yaml:3:1"), "{err}");
    assert!(err.contains("3 |     label: 资金"), "{err}");
    assert!(!err.contains('\x1b'), "{err}");
}

/// The stages, in the order the data flows through them (DEVELOPERS.md
/// describes each folder). Code in one stage may use only the stages before
/// it, so the folders form no cycle and a newcomer reads them in this order.
/// The crate root (lib.rs, main.rs, pipeline.rs) ties them together.
const STAGES: [&str; 12] = [
    "diag",
    "paths",
    "model",
    "input",
    "validate",
    "analysis",
    "charts",
    "views",
    "output",
    "site",
    "authoring",
    "commands",
];

/// `crate::x` references from each folder of src/ go only to the stages
/// before it (tests may reach anywhere).
#[test]
fn stages_depend_only_on_earlier_stages() {
    let src = root().join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path().to_path_buf();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let name = first.trim_end_matches(".rs").to_string();
        if ["lib", "main", "pipeline"].contains(&name.as_str()) {
            continue;
        }
        assert!(
            STAGES.contains(&name.as_str()),
            "src/{name} is not a stage: add it to STAGES and DEVELOPERS.md"
        );
        let text = fs::read_to_string(&path).unwrap();
        // Test modules may reach anywhere; only the code itself counts.
        let code: String = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let deps = graph.entry(name.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let items: Vec<&str> = match rest.strip_prefix('{') {
                Some(list) => list[..list.find('}').unwrap_or(list.len())]
                    .split(',')
                    .collect(),
                None => vec![rest],
            };
            for item in items {
                let m: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                deps.insert(m);
            }
        }
        deps.remove(&name);
    }
    assert!(graph.len() >= 10, "{graph:?}");
    let rank = |m: &str| STAGES.iter().position(|s| *s == m);
    for (module, deps) in &graph {
        for d in deps {
            if let (Some(from), Some(to)) = (rank(module), rank(d)) {
                assert!(
                    to < from,
                    "src/{module} uses crate::{d}, a later stage: move the code into the stage it belongs to"
                );
            }
        }
    }
}

/// Paths are resolved once for every command: with `--data .` run inside
/// the data folder, `build` uses the templates beside the data folder (as
/// `serve` watches them; see `paths.rs` for every form of the path).
#[test]
fn data_given_as_dot_finds_the_templates_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::clean_in(&data, &[]);
    fs::create_dir(tmp.path().join("templates")).unwrap();
    fs::write(
        tmp.path().join("templates/style.css"),
        "/* 本单位的样式 */\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(args)
            .current_dir(&data)
            .output()
            .unwrap()
    };
    let o = run(&["check", "--data", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&["build", "--data", ".", "--out", "../output"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let css = fs::read_to_string(tmp.path().join("output/static/style.css")).unwrap();
    assert_eq!(css, "/* 本单位的样式 */\n");
}
