//! The 计划: targets beside this year's figures and completion rates, the
//! projects carried over with their remaining budget, the responsibility
//! table and the phases — in both formats, plus snapshots.

use std::fs;
use std::path::PathBuf;

mod common;

/// The clean check fixture with the plan fixture as its 2020 plan.yaml.
fn build_plan() -> (tempfile::TempDir, String, String) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::copy_tree(&root.join("check/clean"), &data);
    fs::copy(
        root.join("plan/plan.yaml"),
        data.join("office-a/2020/plan.yaml"),
    )
    .unwrap();
    let out = tmp.path().join("output");
    let outcome = nianbao::build(&nianbao::Options {
        templates: None,
        data,
        out: out.clone(),
        strict: true,
        drafts: false,
    });
    assert!(outcome.published, "{:?}", outcome.diags);
    let md = fs::read_to_string(out.join("office-a/2020/plan.md")).unwrap();
    let html = fs::read_to_string(out.join("office-a/2020/plan.html")).unwrap();
    (tmp, md, html)
}

#[test]
fn targets_beside_this_years_figures() {
    let (_t, md, html) = build_plan();
    assert!(md.starts_with("# 甲县2021年巩固脱贫成果工作计划\n"));
    assert!(
        md.contains("| 指标 | 2021年目标 | 2020年目标 | 2020年预计完成 | 完成率 |"),
        "{md}"
    );
    assert!(
        md.contains("| 脱贫人口 | 425人 | 425人 | 425人 | 100.0% |"),
        "{md}"
    );
    assert!(md.contains("| 出列村 | 1个 | 1个 | 1个 | 100.0% |"), "{md}");
    // A target with no register counterpart has dashes, not blanks.
    assert!(
        md.contains("| 监测对象帮扶覆盖率 | 100% | — | — | — |"),
        "{md}"
    );
    assert!(html.contains("<h2>二、目标任务</h2>"), "{html}");
}

#[test]
fn unfinished_projects_are_carried_over_with_their_remaining_budget() {
    let (_t, md, _) = build_plan();
    assert!(
        md.contains("2020年未完工项目1个（在建1个、未开工0个），安排资金30万元，结转2021年续建，尚需资金10万元。"),
        "{md}"
    );
    assert!(
        md.contains("| 南村道路 | 基础设施 | — | 30 | 20 | 10 | 在建 |"),
        "{md}"
    );
}

#[test]
fn tasks_carry_their_responsibilities_and_phases_their_deadlines() {
    let (_t, md, html) = build_plan();
    assert!(
        md.contains("| 序号 | 工作任务 | 责任领导 | 责任单位 | 工作时限 |"),
        "{md}"
    );
    assert!(
        md.contains("| 1 | 开发地质灾害监测公益性岗位 | 局长 | 地质环境股 | 2021年 |"),
        "{md}"
    );
    assert!(
        md.contains("| 2 | 推进续建项目 | 分管副局长 | 项目办 | 2021年6月底前 |"),
        "{md}"
    );
    // The third task has no responsibilities: not in the table.
    assert!(!md.contains("| 3 |"), "{md}");
    // Citations work in the plan too (1 project under construction).
    assert!(md.contains("确保1个在建项目年内完工"), "{md}");
    assert!(
        md.contains("（责任领导：局长；责任单位：地质环境股；工作时限：2021年）"),
        "{md}"
    );
    assert!(
        // The phase's name in bold, its deadline after it: bold that every
        // Markdown reader sees, the same in HTML and Word.
        md.contains("1.**调查摸底阶段**（1月底前）摸清后进村存在的突出问题。"),
        "{md}"
    );
    assert!(md.contains("一是加强组织领导，压实工作责任。"), "{md}");
    for h in [
        "一、指导思想",
        "二、目标任务",
        "三、重点工作",
        "四、续建项目",
        "五、时间安排",
        "六、保障措施",
    ] {
        assert!(html.contains(&format!("<h2>{h}</h2>")), "{h}");
    }
    assert!(html.contains("<p class=\"sign-date\">2020年12月20日</p>"));
}

#[test]
fn snapshot_plan() {
    let (_t, md, html) = build_plan();
    insta::assert_snapshot!("plan_md", md);
    insta::assert_snapshot!("plan_html", html);
}
