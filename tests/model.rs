//! What real offices write (issue 12), on the real binary: figures keep
//! their own units; numbers left out of pasted text are found.

use std::fs;

mod common;
use common::{build, clean_in, nianbao, stderr};

const MEASURES: &str = r#"measures:
  - title: 综合
    narrative: 新增小额贷款{{ f["新增小额贷款"] }}，其中12月{{ f["新增小额贷款.12月"] }}；培训{{ f["培训"] }}。
    figures:
      - label: 新增小额贷款
        unit: 亿元
        total: {households: 3171, amount: 1.33}
        breakdowns:
          - by: 月份
            parts:
              - {name: 12月, households: 93, amount: 0.03276}
              - {name: 其他月份, households: 3078, amount: 1.29724}
      - {label: 培训, total: {count: 47384}, unit: 人次}
"#;

/// A total in 亿元 prints in 亿元 (not the funds' 万元), a count in 人次
/// prints in 人次 (not 个), in the text, the tables and the messages.
#[test]
fn figures_keep_their_units() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/measures.yaml", MEASURES)]);
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = fs::read_to_string(out.join("office-a/2020/summary.md")).unwrap();
    assert!(
        md.contains("新增小额贷款3171户1.33亿元，其中12月93户0.03276亿元；培训47384人次。"),
        "{md}"
    );
    assert!(md.contains("金额（亿元）"), "{md}");
    assert!(md.contains("数量（人次）") || !md.contains("个数"), "{md}");

    // A part that does not add up is reported in the figure's unit.
    let wrong = MEASURES.replace("amount: 1.29724", "amount: 1.3");
    clean_in(&data, &[("2020/measures.yaml", &wrong)]);
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("分项金额合计 1.33276 亿元，与总数 1.33 亿元不符（差 0.00276 亿元）"),
        "{}",
        stderr(&o)
    );
}

/// Every empty value is reported, in one run, each with its line: in flow
/// mappings, at the end of a line, as a list item; none in English.
#[test]
fn every_blank_is_reported_at_once() {
    let funds = "unit: 万元
special:
  label: 财政专项扶贫资金
  stated_total:
  stated_projects: 4
  batches:
    - {name: 第一批, projects: 3, amount: }
    - {name: 第二批, projects: , amount: 30}
  by_source:
    - {name: 中央, amount: ~}
    - {name: 县级, amount: 40}
  by_category:
    -
    - {name: 基础设施, projects: 1, amount: 30}
";
    let measures = "measures:
  - title: 综合
    figures:
      - label: 住房安全
        total: {count: , amount: }
";
    let tmp = tempfile::tempdir().unwrap();
    clean_in(
        tmp.path(),
        &[("2020/funds.yaml", funds), ("2020/measures.yaml", measures)],
    );
    let o = nianbao(&[
        "check",
        "--format",
        "json",
        "--data",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let blanks: Vec<(String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "value.blank")
        .map(|f| {
            (
                f["message"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("“财政专项扶贫资金”的“stated_total”没有填写", 4),
        ("“第一批”的“amount”没有填写", 7),
        ("“第二批”的“projects”没有填写", 8),
        ("“中央”的“amount”没有填写", 10),
        ("“列表项”没有填写", 13),
        ("“住房安全”的“count”没有填写", 5),
        ("“住房安全”的“amount”没有填写", 5),
    ];
    for (message, line) in expected {
        assert!(
            blanks.iter().any(|(m, l)| m == message && *l == line),
            "{message} at line {line} missing from {blanks:?}"
        );
    }
    assert_eq!(blanks.len(), expected.len(), "{blanks:?}");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!text.contains("deserialize"), "English in: {text}");
}

/// A register with only its baseline: no sentence, caption or alt text
/// with a figure missing ("累计脱贫。").
#[test]
fn a_baseline_alone_prints_no_empty_figure() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let report = "theme: 脱贫攻坚\nissued: 2020-12-20\nintro: 现将2020年工作总结如下。\n";
    clean_in(
        &data,
        &[
            (
                "2020/register.yaml",
                "baseline:\n  villages: 3\n  households: 300\n  persons: 1000\n",
            ),
            ("2020/report.yaml", report),
        ],
    );
    fs::remove_dir_all(data.join("office-a/2019")).unwrap();
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for doc in ["summary.md", "summary.html", "exits.svg"] {
        let text = fs::read_to_string(out.join("office-a/2020").join(doc)).unwrap();
        for empty in ["累计脱贫。", "累计脱贫，", "未脱贫。", "未脱贫，", "户人"]
        {
            assert!(!text.contains(empty), "{empty} in {doc}:\n{text}");
        }
    }
}

/// Last year's figures, their changes, the funds by source and batch, and
/// the plan's targets can be cited, not copied by hand.
#[test]
fn last_year_sources_and_targets_are_citeable() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let measures_2020 = "measures:
  - title: 综合
    narrative: 培训{{ f[\"培训\"] }}（上年{{ f[\"上年.培训\"] }}，{{ f[\"同比.培训\"] }}），中央资金{{ f[\"资金来源.中央\"] }}，第二批{{ f[\"资金批次.第二批\"] }}，明年培训{{ f[\"目标.培训\"] }}；上年末未脱贫{{ f[\"上年.未脱贫\"] }}。
    figures:
      - {label: 培训, value: 12, unit: 次}
";
    let plan =
        "targets:\n  - {label: 培训, value: 15, unit: 次}\ntasks:\n  - text: 巩固脱贫成果。\n";
    clean_in(
        &data,
        &[
            ("2020/measures.yaml", measures_2020),
            ("2020/plan.yaml", plan),
        ],
    );
    fs::write(
        data.join("office-a/2019/measures.yaml"),
        "measures:\n  - title: 综合\n    figures:\n      - {label: 培训, value: 10, unit: 次}\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = fs::read_to_string(out.join("office-a/2020/summary.md")).unwrap();
    assert!(
        md.contains("培训12次（上年10次，增长20.0%），中央资金60万元，第二批30万元，明年培训15次；上年末未脱贫120户420人。"),
        "{md}"
    );
}

/// A real 2018 report: 2151户8066人, +189户714人 新识别, +21户91人 返贫,
/// −116户353人 清退, "现国办系统贫困人口为2191户8242人". The arithmetic gives
/// 2245户8518人: 54户276人 off, and said so although no exit is recorded.
#[test]
fn the_register_closes_without_exits_too() {
    let register = "baseline: {households: 2151, persons: 8066}
adjustments:
  - {label: 新识别, added: {households: 189, persons: 714}}
  - {label: 返贫, added: {households: 21, persons: 91}}
  - {label: 清退, removed: {households: 116, persons: 353}}
remaining: {households: 2191, persons: 8242}
";
    let report = "theme: 脱贫攻坚\nissued: 2018-12-20\nintro: 现将工作总结如下。\n";
    let tmp = tempfile::tempdir().unwrap();
    clean_in(
        tmp.path(),
        &[
            ("2020/register.yaml", register),
            ("2020/report.yaml", report),
        ],
    );
    fs::remove_dir_all(tmp.path().join("office-a/2019")).unwrap();
    let o = nianbao(&["check", "--data", tmp.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(err.contains("警告[register.gap]"), "{err}");
    assert!(err.contains("计入后差 54户276人"), "{err}");
}

/// 防返贫监测 (2021+): the monitored population grows by 新识别 every year,
/// so more can leave (风险消除) than the first year's count.
#[test]
fn a_monitored_population_that_grows_can_exit_more_than_its_baseline() {
    let register = "labels: {exit: 风险消除, subject: 监测对象}
baseline: {households: 662, persons: 2100}
exits:
  - {year: 2019, households: 400, persons: 1300}
  - {year: 2020, households: 415, persons: 1350}
adjustments:
  - {label: 2019年新识别, added: {households: 300, persons: 900}}
  - {label: 2020年新识别, added: {households: 200, persons: 700}}
remaining: {households: 347, persons: 1050}
";
    let report = "theme: 巩固拓展脱贫攻坚成果\nissued: 2020-12-20\nintro: 累计{{ f[\"累计风险消除\"] }}，{{ f[\"未风险消除\"] }}尚未消除风险。\n";
    let tmp = tempfile::tempdir().unwrap();
    clean_in(
        tmp.path(),
        &[
            ("2020/register.yaml", register),
            ("2020/report.yaml", report),
        ],
    );
    fs::remove_dir_all(tmp.path().join("office-a/2019")).unwrap();
    let o = nianbao(&["check", "--data", tmp.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(!err.contains("register.over-baseline"), "{err}");
    assert!(!err.contains("register.gap"), "{err}");
    // The summary sends the reader to the year's 核对表.
    assert!(
        err.ends_with(
            "检查完毕：0 个错误、0 个警告。核对表（nianbao build 生成）：output/office-a/2020/figures.html。\n"
        ),
        "{err}"
    );

    // More than the baseline and every addition: still an error, in the
    // office's words.
    let over = register.replace(
        "households: 415, persons: 1350",
        "households: 915, persons: 1350",
    );
    fs::write(tmp.path().join("office-a/2020/register.yaml"), over).unwrap();
    let o = nianbao(&["check", "--data", tmp.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("累计风险消除 1315户 超过建档立卡基数 662户与动态调整新增 500户 之和"),
        "{err}"
    );
}

/// Villages that exited without names: counted (`villages: 42`), in the
/// text, the table and the chart, and reconciled with those left.
#[test]
fn exits_may_count_villages_without_naming_them() {
    let register = "baseline: {villages: 50, households: 3000, persons: 10000}
exits:
  - {year: 2019, households: 1000, persons: 3500, villages: 42}
remaining: {villages: 8, households: 2000, persons: 6500}
";
    let report = "theme: 脱贫攻坚\nissued: 2020-12-20\ntables: true\nintro: 现将工作总结如下。\n";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(
        &data,
        &[
            ("2020/register.yaml", register),
            ("2020/report.yaml", report),
        ],
    );
    fs::remove_dir_all(data.join("office-a/2019")).unwrap();
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("register.villages"), "{}", stderr(&o));
    let md = fs::read_to_string(out.join("office-a/2020/summary.md")).unwrap();
    assert!(
        md.contains("2019年脱贫1000户3500人，42个贫困村出列"),
        "{md}"
    );
    assert!(md.contains("| 2019年 | 1000 | 3500 | 42个 |"), "{md}");
    let chart = fs::read_to_string(out.join("office-a/2020/exits.svg")).unwrap();
    assert!(chart.contains(">42个</text>"), "{chart}");

    // 50 − 42 is not 9.
    let wrong = register.replace("villages: 8,", "villages: 9,");
    clean_in(&data, &[("2020/register.yaml", &wrong)]);
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("建档立卡贫困村 50 个 − 已出列 42 个 = 8 个，填报尚有 9 个"),
        "{}",
        stderr(&o)
    );
}

/// 其中 that is not a partition ("贫困双重身份人员 122户395人", "其中12月新增
/// 93户"): each part at most the whole, no sum required; a part above the
/// whole is an error.
#[test]
fn subsets_need_not_add_up() {
    let measures = "measures:
  - title: 综合
    narrative: 其中12月{{ f[\"新增小额贷款.12月\"] }}。
    figures:
      - label: 新增小额贷款
        unit: 亿元
        total: {households: 3171, amount: 1.33}
        breakdowns:
          - by: 月份
            subset: true
            parts:
              - {name: 12月, households: 93, amount: 0.03276}
";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/measures.yaml", measures)]);
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = fs::read_to_string(out.join("office-a/2020/summary.md")).unwrap();
    assert!(md.contains("其中12月93户0.03276亿元。"), "{md}");
    assert!(md.contains("新增小额贷款（其中，按月份）"), "{md}");

    let over = measures.replace("households: 93,", "households: 3200,");
    clean_in(&data, &[("2020/measures.yaml", &over)]);
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert!(
        stderr(&o).contains(
            "错误[breakdown.subset]：指标“新增小额贷款”其中“12月”的户数 3200 户，超过总数 3171 户"
        ),
        "{}",
        stderr(&o)
    );
}

/// "2014-2015年脱贫96户475人": an exit over a range of years, as published,
/// in the text, the table, the chart and the names; the years it covers
/// are not missing.
#[test]
fn exits_may_cover_a_range_of_years() {
    let register = "baseline: {households: 300, persons: 1000}
exits:
  - {year: 2014-2015, households: 96, persons: 475}
  - {year: 2016, households: 100, persons: 300}
remaining: {households: 104, persons: 225}
";
    let report = "theme: 脱贫攻坚\nissued: 2016-12-20\ntables: true\nintro: 2014至2015年共{{ f[\"2014-2015年脱贫\"] }}。\n";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[]);
    fs::remove_dir_all(data.join("office-a/2019")).unwrap();
    fs::rename(data.join("office-a/2020"), data.join("office-a/2016")).unwrap();
    for f in [
        "funds.yaml",
        "projects.yaml",
        "measures.yaml",
        "plan.yaml",
        "problems.yaml",
    ] {
        fs::remove_file(data.join("office-a/2016").join(f)).unwrap();
    }
    fs::write(data.join("office-a/2016/register.yaml"), register).unwrap();
    fs::write(data.join("office-a/2016/report.yaml"), report).unwrap();
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("register."), "{}", stderr(&o));
    let md = fs::read_to_string(out.join("office-a/2016/summary.md")).unwrap();
    assert!(md.contains("2014至2015年共96户475人。"), "{md}");
    // Said once: the office's own text gives the figure, the overview not again.
    assert!(!md.contains("2014-2015年脱贫96户475人"), "{md}");
    assert!(md.contains("2016年脱贫100户300人"), "{md}");
    let chart = fs::read_to_string(out.join("office-a/2016/exits.svg")).unwrap();
    assert!(chart.contains("2014-2015年脱贫"), "{chart}");
    assert!(md.contains("| 2014-2015年 | 96 | 475 |"), "{md}");

    // A range that runs backwards is refused, with the year as written.
    let wrong = register.replace("2014-2015", "2015-2014");
    fs::write(data.join("office-a/2016/register.yaml"), wrong).unwrap();
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("年份“2015-2014”的起止年份颠倒或相同"),
        "{}",
        stderr(&o)
    );
}

/// 人均纯收入 = 42万元 ÷ 715人: averages and per-capita figures are
/// computed and checked; a rate given without numerator and denominator
/// ("贫困发生率0.7%") is printed as stated and listed as not checkable.
#[test]
fn averages_are_checked_and_stated_only_rates_listed() {
    let measures = "measures:
  - title: 综合
    narrative: 人均增收{{ f[\"人均增收\"] }}，户均贷款{{ f[\"户均贷款\"] }}，贫困发生率{{ f[\"贫困发生率（原文）\"] }}。
    figures:
      - {label: 人均增收, sum: 42, count: 715, scale: 10000, unit: 元, stated: 587}
      - {label: 户均贷款, sum: 13300, count: 3171, unit: 万元}
      - {label: 贫困发生率（原文）, stated: 0.7}
";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/measures.yaml", measures)]);
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("警告[figure.unchecked]：指标“贫困发生率（原文）”只有所填比率 0.7%，无法核对"),
        "{err}"
    );
    let md = fs::read_to_string(out.join("office-a/2020/summary.md")).unwrap();
    assert!(
        md.contains("人均增收587元，户均贷款4.19万元，贫困发生率0.7%。"),
        "{md}"
    );
    assert!(md.contains("42 × 10000 ÷ 715"), "{md}");
    let o = nianbao(&["check", "--strict", "--data", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "strict lists the unchecked rate");

    let wrong = measures.replace("stated: 587", "stated: 590");
    clean_in(&data, &[("2020/measures.yaml", &wrong)]);
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert!(
        stderr(&o).contains(
            "指标“人均增收”填报 590元，按数据计算为 587元（42 × 10000 ÷ 715 = 587.41，四舍五入）"
        ),
        "{}",
        stderr(&o)
    );
}

/// "70多万元", "约3000户", "4万元以上": a value worded as the source words it.
#[test]
fn approximate_values_keep_their_wording() {
    let measures = "measures:
  - title: 综合
    narrative: 投入{{ f[\"社会帮扶资金\"] }}，帮扶{{ f[\"帮扶户数\"] }}，村集体经济收入均达到{{ f[\"村集体经济收入\"] }}。
    figures:
      - {label: 社会帮扶资金, value: 70, unit: 万元, approx: 多}
      - {label: 帮扶户数, value: 3000, unit: 户, approx: 约}
      - {label: 村集体经济收入, value: 4, unit: 万元, approx: 以上}
";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/measures.yaml", measures)]);
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = fs::read_to_string(out.join("office-a/2020/summary.md")).unwrap();
    assert!(
        md.contains("投入70多万元，帮扶约3000户，村集体经济收入均达到4万元以上。"),
        "{md}"
    );

    let wrong = measures.replace("approx: 多}", "approx: 好几}");
    clean_in(&data, &[("2020/measures.yaml", &wrong)]);
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("approx 写的是“好几”，无法使用"),
        "{}",
        stderr(&o)
    );
}

/// A blank on a line does not hide another finding on that line: only
/// what its absence made of the figure is not reported twice.
#[test]
fn a_blank_hides_nothing_else_on_its_line() {
    let funds = "unit: 万元
special:
  label: 财政专项扶贫资金
  batches:
    - {name: 第一批, projects: , amount: -30}
";
    let tmp = tempfile::tempdir().unwrap();
    clean_in(tmp.path(), &[("2020/funds.yaml", funds)]);
    let o = nianbao(&["check", "--data", tmp.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("错误[value.blank]：“第一批”的“projects”没有填写"),
        "{err}"
    );
    assert!(err.contains("错误[value.negative]"), "{err}");
}

/// The campaign's words that a monitoring-era document may carry only where
/// the office's own text writes them.
const CAMPAIGN_WORDS: [&str; 7] = ["建档立卡", "脱贫", "贫困", "扶贫", "出列", "减贫", "预脱贫"];

/// The phrases of an office's own data that hold one of `words`: each run
/// of CJK characters around an occurrence in its YAML files.
fn own_phrases(dir: &std::path::Path, words: &[&str]) -> Vec<String> {
    let mut phrases = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            let runs = line.split(|c: char| c.is_ascii() || "，。、；：（）“”".contains(c));
            for run in runs.filter(|r| words.iter().any(|w| r.contains(w))) {
                phrases.push(run.to_string());
            }
        }
    }
    phrases.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
    phrases
}

/// The monitoring-era sample (data/shili-xian, two years): its documents,
/// charts and pages carry none of the campaign's words but where the
/// office's own data writes them (脱贫不稳定户 is a 2021+ risk type).
#[test]
fn the_monitoring_era_sample_has_none_of_the_campaign_words() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let data = common::root().join("data");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let own = own_phrases(&data.join("shili-xian"), &CAMPAIGN_WORDS);
    assert!(own.iter().any(|p| p == "脱贫不稳定户"), "{own:?}");
    let mut checked = 0;
    let townships = ["shili-dongxi", "shili-nanshan", "shili-beihe"];
    let files = std::iter::once("shili-xian")
        .chain(townships)
        .flat_map(|slug| walkdir::WalkDir::new(out.join(slug)));
    for entry in files {
        let path = entry.unwrap().into_path();
        if !path.is_file() {
            continue;
        }
        // A Word file's words are in its document part.
        let mut text = if path.extension().is_some_and(|e| e == "docx") {
            common::zip_part(&path, "word/document.xml")
        } else if path.extension().is_some_and(|e| e == "xlsx") {
            // A 核对表's words are in its sheet.
            common::zip_part(&path, "xl/worksheets/sheet1.xml")
        } else {
            fs::read_to_string(&path).unwrap()
        };
        for p in &own {
            text = text.replace(p.as_str(), "");
        }
        for w in CAMPAIGN_WORDS {
            assert!(!text.contains(w), "{} 含“{w}”", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 21, "{checked} files");
    let md = fs::read_to_string(out.join("shili-xian/2023/summary.md")).unwrap();
    for expected in [
        "示例县监测对象基数662户2210人，历年新识别325户1030人",
        "累计风险消除840户2681人，占监测对象的82.7%",
        "未消除风险的监测对象147户559人",
        "监测对象占比0.30%",
        "2023年目标任务为风险消除800人，完成目标的107.6%。",
        "用于产业发展的比例为66.4%，高于60%的要求",
        "计划新建村级帮扶车间1～2个",
    ] {
        assert!(md.contains(expected), "{expected}\n{md}");
    }
    // The generated tables are the web page's (set apart), not the document's.
    assert!(!md.contains("| 本年风险消除人数 |"), "{md}");
    let html = common::without_figure_marks(
        &fs::read_to_string(out.join("shili-xian/2023/summary.html")).unwrap(),
    );
    assert!(
        html.contains("<div class=\"data-table\"><table>\n<caption>主要指标同比</caption>"),
        "{html}"
    );
    assert!(html.contains("<th scope=\"row\">本年风险消除人数</th><td class=\"n\">820人</td><td class=\"n\">861人</td><td>增长5.0%</td>"), "{html}");
    // Said once: this year's exit is not told again after the years' list.
    assert_eq!(md.matches("2023年风险消除280户861人").count(), 1, "{md}");
    // The check of the sample gives no finding.
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert!(!stderr(&o).contains("shili-xian"), "{}", stderr(&o));
}

/// The era follows the year unless stated; an unknown era or level is an
/// error; every word can still be the office's own.
#[test]
fn the_era_is_stated_or_follows_the_year() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let register = "era: 监测
labels: {remaining: 风险未消除, incidence: 返贫风险发生率}
baseline: {households: 100, persons: 300}
exits:
  - {year: 2020, households: 40, persons: 100}
remaining: {households: 60, persons: 200}
incidence: {denominator: 10000, denominator_label: 农村人口}
";
    let report =
        "theme: 乡村振兴\nintro: |\n  现有{{ f[\"风险未消除\"] }}，{{ f[\"返贫风险发生率\"] }}。\n";
    clean_in(
        &data,
        &[
            ("2020/register.yaml", register),
            ("2020/report.yaml", report),
        ],
    );
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = fs::read_to_string(out.join("office-a/2020/summary.md")).unwrap();
    assert!(md.contains("现有60户200人，2.00%。"), "{md}");
    assert!(md.contains("监测对象基数100户300人"), "{md}");
    assert!(!md.contains("建档立卡"), "{md}");

    let bad = register.replace("era: 监测", "era: 2021年后");
    clean_in(&data, &[("2020/register.yaml", &bad)]);
    let office = fs::read_to_string(data.join("office-a/office.yaml")).unwrap();
    fs::write(
        data.join("office-a/office.yaml"),
        format!("{office}level: 县市\n"),
    )
    .unwrap();
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("错误[field.value]：不认识的时期“2021年后”"),
        "{err}"
    );
    // The format before the eras took any level: one it does not know is
    // a warning (the level is never printed), never an error (issue 26).
    assert!(
        err.contains("警告[field.value]：不认识的层级“县市”（层级不印入文档）"),
        "{err}"
    );
}

/// Thresholds (at_least / at_most) are checked at the printed precision;
/// a range prints as 1～2个 and its ends are checked.
#[test]
fn thresholds_and_ranges_are_checked() {
    let measures = r#"measures:
  - title: 综合
    narrative: 产业资金占比{{ f["产业资金占比"] }}（不低于{{ f["产业资金占比.下限"] }}），新建车间{{ f["车间"] }}。
    figures:
      - {label: 产业资金占比, numerator: 549, denominator: 1000, unit: 万元, at_least: 55}
      - {label: 车间, value: 1, max: 2, unit: 个, at_most: 3}
"#;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/measures.yaml", measures)]);
    let out = tmp.path().join("site");
    // 54.9% prints as 54.9%, below 55: an error.
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("错误[figure.bound]：指标“产业资金占比”为 54.9%，低于所写界限 55%"),
        "{err}"
    );
    assert_eq!(err.matches("[figure.bound]").count(), 1, "{err}");
    // 54.96% prints as 55.0% at one decimal: it reaches 55.
    let ok = measures.replace("numerator: 549,", "numerator: 549.6,");
    clean_in(&data, &[("2020/measures.yaml", &ok)]);
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = fs::read_to_string(out.join("office-a/2020/summary.md")).unwrap();
    assert!(
        md.contains("产业资金占比55.0%（不低于55%），新建车间1～2个。"),
        "{md}"
    );
    // A range whose upper end passes the ceiling; a range upside down.
    let high = measures
        .replace("numerator: 549,", "numerator: 600,")
        .replace(
            "max: 2, unit: 个, at_most: 3",
            "max: 4, unit: 个, at_most: 3",
        );
    clean_in(&data, &[("2020/measures.yaml", &high)]);
    let err = stderr(&nianbao(&["check", "--data", data.to_str().unwrap()]));
    assert!(err.contains("指标“车间”为 4个，高于所写界限 3个"), "{err}");
    let upside = measures.replace("value: 1, max: 2", "value: 3, max: 2");
    clean_in(&data, &[("2020/measures.yaml", &upside)]);
    let err = stderr(&nianbao(&["check", "--data", data.to_str().unwrap()]));
    assert!(err.contains("指标“车间”的范围 3～2 上限小于下限"), "{err}");
}

/// 分管领导 beside 责任领导: in the task's line and in the table, whose
/// columns are the responsibilities some task has (no empty column).
#[test]
fn tasks_name_their_deputy_and_tables_have_no_empty_column() {
    let plan = "tables: true
tasks:
  - {text: 巩固成果。, lead: 县长, deputy: 副县长, deadline: 2021年6月}
  - {text: 发展产业。, deputy: 副县长}
";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/plan.yaml", plan)]);
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = fs::read_to_string(out.join("office-a/2020/plan.md")).unwrap();
    assert!(
        md.contains("（责任领导：县长；分管领导：副县长；工作时限：2021年6月）"),
        "{md}"
    );
    assert!(
        md.contains("| 序号 | 工作任务 | 责任领导 | 分管领导 | 工作时限 |"),
        "{md}"
    );
    assert!(md.contains("| 2 | 发展产业 | — | 副县长 | — |"), "{md}");
}

/// A part may have units of its own: a money unit converts exactly (其中
/// 12月93笔327.6万元 of 3171户1.33亿元), another unit cannot be added.
#[test]
fn parts_keep_their_own_units() {
    let measures = r#"measures:
  - title: 综合
    narrative: 新增贷款{{ f["新增贷款"] }}，其中12月{{ f["新增贷款.12月"] }}；资助{{ f["资助"] }}。
    figures:
      - label: 新增贷款
        unit: 亿元
        total: {households: 3171, amount: 1.33}
        breakdowns:
          - by: 月份
            subset: true
            parts:
              - {name: 12月, count: 93, amount: 327.6, unit: 笔、万元}
      - label: 资助
        unit: 万元
        total: {persons: 30, amount: 1.5}
        breakdowns:
          - by: 学段
            parts:
              - {name: 小学, persons: 20, amount: 5000, unit: 元}
              - {name: 中学, persons: 10, amount: 1}
"#;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/measures.yaml", measures)]);
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = fs::read_to_string(out.join("office-a/2020/summary.md")).unwrap();
    assert!(
        md.contains("新增贷款3171户1.33亿元，其中12月93笔327.6万元；资助30人1.5万元。"),
        "{md}"
    );
    assert!(md.contains("| 小学 | 20 | 5000元 |"), "{md}");
    // 5000元 + 1万元 = 1.5万元 exactly; 5001元 does not add up.
    let wrong = measures.replace("amount: 5000, unit: 元", "amount: 5001, unit: 元");
    clean_in(&data, &[("2020/measures.yaml", &wrong)]);
    let err = stderr(&nianbao(&["check", "--data", data.to_str().unwrap()]));
    assert!(
        err.contains("分项金额合计 1.5001 万元，与总数 1.5 万元不符"),
        "{err}"
    );
    // 笔 cannot be added to a total in 人 and 万元 (a partition, not 其中).
    let unaddable = measures.replace(
        "{name: 中学, persons: 10, amount: 1}",
        "{name: 中学, persons: 10, amount: 1, count: 3, unit: 笔}",
    );
    clean_in(&data, &[("2020/measures.yaml", &unaddable)]);
    let err = stderr(&nianbao(&["check", "--data", data.to_str().unwrap()]));
    assert!(
        err.contains("错误[breakdown.unit]：分项“中学”的单位“笔”不是总数的单位，不能相加"),
        "{err}"
    );
}

/// Seed 003 exactly as published (tests/fixtures/seed-003-published): one
/// `check` names every blank — the 39 left in its text and the 23 empty
/// values of its figures, in all four YAML forms — each once, at its own
/// line and column, and `build` publishes nothing. The sentences it says
/// twice are pointed out too.
#[test]
fn seed_003_as_published_names_every_blank_at_once() {
    let data = common::root().join("tests/fixtures/seed-003-published");
    let o = nianbao(&[
        "check",
        "--data",
        data.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let count = |rule: &str| findings.iter().filter(|f| f["rule"] == rule).count();
    assert_eq!(count("text.blank"), 39, "{findings:?}");
    assert_eq!(count("value.blank"), 23, "{findings:?}");
    // The published report also says five of its sentences twice (warnings).
    assert_eq!(count("text.repeated"), 5, "{findings:?}");
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 62, "{findings:?}");
    let places: std::collections::BTreeSet<String> = errors
        .iter()
        .map(|f| format!("{}:{}:{}", f["file"], f["line"], f["column"]))
        .collect();
    assert_eq!(places.len(), 62);
    // The four forms of an empty value, each found.
    let funds: Vec<_> = findings
        .iter()
        .filter(|f| f["file"].as_str().unwrap().ends_with("funds.yaml"))
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert!(funds.contains(&6) && funds.contains(&7), "{funds:?}"); // `stated_total:`, `~`
    let text = fs::read_to_string(data.join("mou-xian/2019/funds.yaml")).unwrap();
    assert!(text.contains("projects: , amount: }"), "{text}");
    let measures = fs::read_to_string(data.join("mou-xian/2019/measures.yaml")).unwrap();
    assert!(measures.lines().any(|l| l.trim() == "-"), "{measures}");

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!out.join("mou-xian").exists());
}

/// The completed copy (data/mou-xian): the same report with every blank
/// filled by a citation of an illustrative figure, said so at its head.
#[test]
fn seed_003_completed_fills_every_blank() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::copy_tree(
        &common::root().join("data/mou-xian"),
        &data.join("mou-xian"),
    );
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = fs::read_to_string(out.join("mou-xian/2019/summary.md")).unwrap();
    for expected in [
        "> 说明：文中部分数字为示意。",
        "规划深度贫困地区脱贫攻坚项目661个，投资资金81000万元；其中住房安全攻坚专项项目120个，投资资金18600万元",
        "截止目前已开工项目640个，已竣工项目598个，完成投资76320万元。",
        "落实社会保障扶贫攻坚专项资金3900万元",
        "## 五、经验做法",
    ] {
        assert!(md.contains(expected), "{expected}\n{md}");
    }
    assert!(!md.contains("项目个，"), "{md}");
}

/// Project dates may give a month alone (2023-05, 2023年5月), as project
/// lists often do; they are compared by month.
#[test]
fn project_dates_may_be_months() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[]);
    let path = data.join("office-a/2020/projects.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let start = text.find("start: ").unwrap();
    let date = &text[start + 7..start + 17];
    let month = &date[..7];
    fs::write(&path, text.replacen(date, month, 1)).unwrap();
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let later = format!("{}年12月", &date[..4]);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replacen(month, &later, 1)).unwrap();
    let err = stderr(&nianbao(&["check", "--data", data.to_str().unwrap()]));
    assert!(
        err.contains("错误[project.dates]：项目“P1”完工日期 2020-06-30 早于开工日期 2020-12-01"),
        "{err}"
    );
}

/// An acknowledged figure (原文如此) prints as published in all three
/// formats: a total beside parts that add up to more, both its breakdowns,
/// the stated 未 of a triple, the stated rate; nothing nianbao computes
/// from it (31, 10户, 90.0%) stands beside it; the web page marks it with
/// what nianbao computes; the contradiction check lets it through.
#[test]
fn acknowledged_figures_print_as_published() {
    let measures = r#"measures:
  - title: 综合
    narrative: 资助{{ f["资助"] }}，其中小学{{ f["资助.小学"] }}，中学{{ f["资助.中学"] }}；本县{{ f["资助.本县"] }}，外县{{ f["资助.外县"] }}。住房达标率{{ f["住房"] }}，未达标{{ f["住房.未"] }}。
    figures:
      - label: 资助
        ack: 原文如此
        total: {persons: 30}
        breakdowns:
          - by: 学段
            parts:
              - {name: 小学, persons: 20}
              - {name: 中学, persons: 11}
          - by: 户籍
            parts:
              - {name: 本县, persons: 25}
              - {name: 外县, persons: 4}
      - {label: 住房, should: 100, done: 90, undone: 9, unit: 户, stated: 90.9, ack: 原文如此：应100户、已90户}
"#;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/measures.yaml", measures)]);
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let published =
        "资助30人，其中小学20人，中学11人；本县25人，外县4人。住房达标率90.9%，未达标9户。";
    let md = fs::read_to_string(out.join("office-a/2020/summary.md")).unwrap();
    assert!(md.contains(published), "{md}");
    let (word, _) = common::docx_text(&out.join("office-a/2020/summary.docx"));
    assert!(word.contains(published), "{word}");
    let html = common::without_figure_marks(
        &fs::read_to_string(out.join("office-a/2020/summary.html")).unwrap(),
    );
    assert!(
        html.contains("住房达标率<mark title=\"原文如此：应100户、已90户（按数据计算为90.0%）\">90.9%</mark>，未达标<mark title=\"原文如此：应100户、已90户（按数据计算为10户）\">9户</mark>。"),
        "{html}"
    );
    for computed in ["资助31人", "未达标10户", "达标率90.0%"] {
        assert!(
            !md.contains(computed) && !word.contains(computed),
            "{computed}"
        );
    }
    // Both breakdowns print as published; their tables are the web page's.
    assert!(
        md.contains("| 中学 | 11 |") || !md.contains("| 小学 |"),
        "{md}"
    );
    assert!(html.contains("外县"), "{html}");
}
