//! What three more transcribed documents wrote that the format could not
//! say, and the check gaps they showed (issue 26), on the real binary: one
//! test per item of the two lists.

use std::fs;
use std::path::Path;

mod common;
use common::{build, clean_in, nianbao, stderr, stdout};

/// Build `data` into `out`; the site must be written.
fn built(data: &Path, out: &Path) -> String {
    let o = build(data, out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stderr(&o)
}

fn check(data: &Path) -> String {
    stderr(&nianbao(&["check", "--data", data.to_str().unwrap()]))
}

fn summary(out: &Path) -> String {
    fs::read_to_string(out.join("office-a/2020/summary.md")).unwrap()
}

const REPORT: &str = "theme: 脱贫攻坚\nissued: 2020-12-20\nintro: |\n  ";

/// 未脱贫.户 → 724户, 未脱贫.人 → 1595人: documents write them apart.
#[test]
fn households_or_persons_of_a_figure_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let report = format!(
        "{REPORT}全县未脱贫{{{{ f[\"未脱贫.户\"] }}}}贫困户，共{{{{ f[\"未脱贫.人\"] }}}}；其中低保户{{{{ f[\"未脱贫.低保户.人\"] }}}}，资助{{{{ f[\"教育资助.人\"] }}}}。\n"
    );
    clean_in(&data, &[("2020/report.yaml", &report)]);
    let out = tmp.path().join("site");
    built(&data, &out);
    let md = summary(&out);
    assert!(
        md.contains("全县未脱贫121户贫困户，共425人；其中低保户250人，资助30人。"),
        "{md}"
    );
}

/// 目标.<名称>.<分项名> and 目标.<名称>.分子: a plan target's parts,
/// written once in plan.yaml and checked there.
#[test]
fn plan_targets_parts_are_citable_and_checked() {
    let plan = "tasks:
  - text: 五个一批：发展生产{{ f[\"目标.脱贫人口.发展生产\"] }}、易地搬迁{{ f[\"目标.脱贫人口.易地搬迁\"] }}，共{{ f[\"目标.脱贫人口\"] }}；产业资金不低于{{ f[\"目标.产业资金占比.分子\"] }}。
targets:
  - label: 脱贫人口
    unit: 人
    total: {persons: 425}
    breakdowns:
      - by: 五个一批
        parts:
          - {name: 发展生产, persons: 300}
          - {name: 易地搬迁, persons: 125}
  - {label: 产业资金占比, numerator: 60, denominator: 100, unit: 万元}
";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/plan.yaml", plan)]);
    let out = tmp.path().join("site");
    built(&data, &out);
    let md = fs::read_to_string(out.join("office-a/2020/plan.md")).unwrap();
    assert!(
        md.contains("五个一批：发展生产300人、易地搬迁125人，共425人；产业资金不低于60万元。"),
        "{md}"
    );
    // The parts are checked against the target.
    let wrong = plan.replace(
        "{name: 易地搬迁, persons: 125}",
        "{name: 易地搬迁, persons: 126}",
    );
    clean_in(&data, &[("2020/plan.yaml", &wrong)]);
    let found = check(&data);
    assert!(found.contains("错误[breakdown.sum]"), "{found}");
    assert!(found.contains("plan.yaml"), "{found}");
}

/// 3050万元以上 on a figure with parts; 突破 and the other new words.
#[test]
fn approx_on_a_total_and_more_words() {
    let measures = "measures:
  - title: 综合
    narrative: 投入资金{{ f[\"投入资金\"] }}，其中中央{{ f[\"投入资金.中央\"] }}；带动{{ f[\"带动\"] }}，贷款{{ f[\"贷款\"] }}。
    figures:
      - label: 投入资金
        unit: 万元
        approx: 以上
        total: {amount: 3050}
        breakdowns:
          - by: 来源
            parts:
              - {name: 中央, amount: 2000}
              - {name: 地方, amount: 1050}
      - {label: 带动, value: 1000, unit: 户, approx: 突破}
      - {label: 贷款, total: {households: 30, amount: 120}, unit: 万元, approx: 约}
";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/measures.yaml", measures)]);
    let out = tmp.path().join("site");
    built(&data, &out);
    let md = summary(&out);
    assert!(
        md.contains("投入资金3050万元以上，其中中央2000万元；带动突破1000户，贷款约30户120万元。"),
        "{md}"
    );
    // 多 on a total of two quantities has nowhere to go.
    let wrong = measures.replace("approx: 约}", "approx: 多}");
    clean_in(&data, &[("2020/measures.yaml", &wrong)]);
    assert!(check(&data).contains("approx 写的是“多”，无法使用"));
}

/// `ack` on a register's breakdown and on households above persons: a
/// register published so builds as published.
#[test]
fn ack_on_register_breakdowns_and_households_above_persons() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let base = fs::read_to_string(
        common::root().join("tests/fixtures/check/clean/office-a/2020/register.yaml"),
    )
    .unwrap();
    let published = base
        .replace(
            "{name: 低保户, households: 70,",
            "{name: 低保户, households: 72,",
        )
        .replace(
            "  breakdowns:\n    - by: 类型\n",
            "  breakdowns:\n    - by: 类型\n      ack: 原文分项合计为123户，如此发表\n",
        )
        .replace(
            "targets: {villages: 1, households: 121, persons: 425}",
            "targets: {villages: 1, households: 430, persons: 425}",
        );
    clean_in(&data, &[("2020/register.yaml", &published)]);
    let found = check(&data);
    assert!(found.contains("错误（已说明）[breakdown.sum]"), "{found}");
    assert!(found.contains("错误[value.households]"), "{found}");
    let out = tmp.path().join("site");
    assert_eq!(
        build(&data, &out).status.code(),
        Some(1),
        "households unacknowledged"
    );

    let acked = format!("ack: 原文目标430户425人，如此发表\n{published}");
    clean_in(&data, &[("2020/register.yaml", &acked)]);
    let found = check(&data);
    assert!(
        found.contains("错误（已说明）[value.households]"),
        "{found}"
    );
    built(&data, &out);
}

/// The monitoring register: all objects by type, 拟识别, and exits to date
/// without years; 现有 against 基数 + 调整.
#[test]
fn the_monitoring_register_says_what_documents_say() {
    let register = "era: 监测
baseline: {households: 2151, persons: 8066}
adjustments:
  - {label: 新识别, added: {households: 189, persons: 714}}
  - {label: 返贫, added: {households: 21, persons: 91}}
  - {label: 清理, removed: {households: 116, persons: 353}}
cumulative: {households: 1900, persons: 7000}
current: {households: 2191, persons: 8242}
monitored:
  households: 2245
  persons: 8518
  breakdowns:
    - by: 类型
      parts:
        - {name: 脱贫不稳定户, households: 1200, persons: 4500}
        - {name: 边缘易致贫户, households: 1000, persons: 3800}
        - {name: 突发严重困难户, households: 45, persons: 218}
pending: {households: 12, persons: 40}
remaining: {households: 345, persons: 1518}
";
    let report = format!(
        "{REPORT}累计纳入{{{{ f[\"累计纳入监测对象\"] }}}}，其中脱贫不稳定户{{{{ f[\"累计纳入监测对象.脱贫不稳定户\"] }}}}；累计{{{{ f[\"累计风险消除\"] }}}}，{{{{ f[\"未消除风险\"] }}}}；拟识别{{{{ f[\"拟识别监测对象.户\"] }}}}。\n"
    );
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(
        &data,
        &[
            ("2020/register.yaml", register),
            ("2020/report.yaml", &report),
            ("2020/plan.yaml", "tasks:\n  - text: 巩固。\n"),
        ],
    );
    let out = tmp.path().join("site");
    let said = built(&data, &out);
    let md = summary(&out);
    assert!(
        md.contains("累计纳入2245户8518人，其中脱贫不稳定户1200户4500人；累计1900户7000人，345户1518人；拟识别12户。"),
        "{md}"
    );
    // The report's 现有 2191户8242人 against 2151户8066人 + 189户714人 +
    // 21户91人 − 116户353人 = 2245户8518人: said, with the difference.
    assert!(
        said.contains("警告[register.totals]：现有监测对象 2191户8242人 与监测对象基数 + 动态调整 94户452人 = 2245户8518人 不符，差 -54户-276人"),
        "{said}"
    );
    assert!(!said.contains("累计纳入监测对象 2245户8518人 与"), "{said}");
    // Exits by year and a stated cumulative that disagree are said too.
    let both = register.replace(
        "cumulative:",
        "exits:\n  - {year: 2020, households: 1900, persons: 6999}\ncumulative:",
    );
    clean_in(&data, &[("2020/register.yaml", &both)]);
    assert!(
        check(&data).contains(
            "所填累计风险消除 1900户7000人 与历年风险消除之和 = 1900户6999人 不符，差 1人"
        ),
        "{}",
        check(&data)
    );
}

/// An undated 汇报 without a year in its title, and no 落款 at all.
#[test]
fn a_document_without_year_date_or_signature() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let report =
        "kind: 汇报\ntheme: 脱贫攻坚\ntitle: 甲县脱贫攻坚工作汇报\nintro: 现将有关情况汇报如下：\n";
    let office = "name: 甲县乡村振兴局\nshort_name: 甲县\nregion: 甲县\nsignature: false\n";
    clean_in(
        &data,
        &[("2020/report.yaml", report), ("office.yaml", office)],
    );
    let out = tmp.path().join("site");
    built(&data, &out);
    let md = summary(&out);
    assert!(md.starts_with("# 甲县脱贫攻坚工作汇报\n"), "{md}");
    assert!(!md.contains("| ---: |"), "no 落款 block: {md}");
    assert!(!md.contains("甲县乡村振兴局\n"), "{md}");
    let html = fs::read_to_string(out.join("office-a/2020/summary.html")).unwrap();
    assert!(!html.contains("class=\"sign"), "no empty 落款 block");
    assert!(!html.contains("年12月"), "no date");
}

/// A citation whose name ends in a unit is not a blank.
#[test]
fn a_cited_name_ending_in_a_unit_is_no_blank() {
    let measures = "measures:
  - title: 综合
    narrative: 开展主题教育培训宣传{{ f[\"主题教育培训宣传人次\"] }}，投入{{ f[\"宣传资金万元\"] }}。
    figures:
      - {label: 主题教育培训宣传人次, value: 1200, unit: 人次}
      - {label: 宣传资金万元, value: 3, unit: 万元}
";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/measures.yaml", measures)]);
    let found = check(&data);
    assert!(!found.contains("text.blank"), "{found}");
}

/// A figure that is there with its values left blank is reported at its
/// blanks, not also as 不存在 at every citation of it.
#[test]
fn a_blank_figure_is_not_also_missing_at_its_citations() {
    let measures = "measures:
  - title: 综合
    narrative: 资助{{ f[\"教育资助\"] }}，其中小学{{ f[\"教育资助.小学\"] }}；再次资助{{ f[\"教育资助\"] }}。
    figures:
      - label: 教育资助
        unit: 万元
        total: {persons: 待填, amount: 待填}
        breakdowns:
          - by: 学段
            parts:
              - {name: 小学, persons: 20, amount: 4}
";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/measures.yaml", measures)]);
    let found = check(&data);
    assert_eq!(found.matches("还是“待填”").count(), 2, "{found}");
    assert!(!found.contains("不存在"), "{found}");
}

/// One YAML syntax error: said once that the file's figures could not be
/// read, not a citation.unknown for each citation of them.
#[test]
fn an_unreadable_file_is_said_once() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let report = format!(
        "{REPORT}{}\n",
        (0..19)
            .map(|_| "培训{{ f[\"培训\"] }}，")
            .collect::<String>()
    );
    let measures =
        "measures:\n  - title: 综合\n    figures:\n      - {label: 培训, value: 12, unit: 次\n";
    clean_in(
        &data,
        &[
            ("2020/report.yaml", &report),
            ("2020/measures.yaml", measures),
        ],
    );
    let found = check(&data);
    assert!(found.contains("错误[yaml.syntax]"), "{found}");
    assert!(!found.contains("错误[citation.unknown]"), "{found}");
    assert_eq!(
        found
            .matches(
                "measures.yaml 没能读出来（见它的错误），其中的指标都无法引用：本年度文字中 19 处"
            )
            .count(),
        1,
        "{found}"
    );
}

/// measures.yaml in a year of plan.yaml alone is checked and never
/// printed: said.
#[test]
fn measures_of_a_plan_only_year_are_said_never_to_print() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[]);
    for f in [
        "report.yaml",
        "register.yaml",
        "funds.yaml",
        "projects.yaml",
        "problems.yaml",
    ] {
        fs::remove_file(data.join("office-a/2020").join(f)).unwrap();
    }
    fs::write(
        data.join("office-a/2020/measures.yaml"),
        "measures:\n  - title: 综合\n    narrative: 培训。\n",
    )
    .unwrap();
    let found = check(&data);
    assert!(
        found.contains("警告[report.file]：2020 年度只有计划（plan.yaml），不生成总结：measures.yaml 照常检查，但不印入任何文档"),
        "{found}"
    );
}

/// `nianbao names` heads the monitoring register's names by its era.
#[test]
fn names_head_the_register_by_its_era() {
    let root = common::root();
    let o = nianbao(&[
        "names",
        "--data",
        root.join("data").to_str().unwrap(),
        "shili-xian",
        "2023",
    ]);
    let listed = stdout(&o);
    assert!(listed.contains("\n内置：防返贫监测\n"), "{listed}");
    assert!(!listed.contains("建档立卡"), "{listed}");
    assert!(listed.contains("如 未消除风险.户）"), "{listed}");
    assert!(
        !listed.contains("  未消除风险.户  →"),
        "not listed one by one: {listed}"
    );
    let o = nianbao(&[
        "names",
        "--data",
        root.join("data").to_str().unwrap(),
        "xx-qu",
        "2017",
    ]);
    assert!(stdout(&o).contains("\n内置：建档立卡\n"));
}
