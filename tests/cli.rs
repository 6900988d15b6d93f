//! End-to-end tests: run the real `nianbao` binary on the sample data and on
//! fixture trees, and check exit codes, messages and what lands in output/.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn nianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run nianbao")
}

fn build(data: &Path, out: &Path) -> Output {
    nianbao(&[
        "build",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn builds_the_sample_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let o = build(&root().join("data"), &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("已生成 4 份文档"), "{}", stderr(&o));
    for rel in [
        "index.html",
        "static/style.css",
        "xx-qu/2017/summary.html",
        "xx-qu/2017/summary.md",
        "xx-qu/2016/summary.html",
        "xx-qu/2016/summary.md",
    ] {
        assert!(out.join(rel).is_file(), "missing {rel}");
    }
    // No document carries a blank, a non-number or an unexpanded template.
    for rel in [
        "xx-qu/2017/summary.html",
        "xx-qu/2017/summary.md",
        "xx-qu/2016/summary.md",
    ] {
        let text = std::fs::read_to_string(out.join(rel)).unwrap();
        for bad in [
            "NaN",
            "inf%",
            "{{",
            "}}",
            "{%",
            "%}",
            "Infinity",
            "万元万元",
            "个个",
        ] {
            assert!(!text.contains(bad), "{rel} contains {bad:?}");
        }
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{rel} has an external URL"
        );
    }
}

#[test]
fn check_reports_the_two_seed_findings_and_nothing_else() {
    let o = nianbao(&["check", "--data", "data"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("警告: ").count(), 2, "{err}");
    assert_eq!(err.matches("错误: ").count(), 0, "{err}");
    assert!(err.contains("填报 162.8%,按数据计算为 162.9%"), "{err}");
    assert!(err.contains("data/xx-qu/2017/measures.yaml:66:17"), "{err}");
    assert!(err.contains("差 31户126人"), "{err}");
    assert!(err.contains("data/xx-qu/2017/register.yaml:17:15"), "{err}");
}

#[test]
fn valid_fixture_builds_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&root().join("tests/fixtures/valid"), &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("警告:"), "{}", stderr(&o));
    let md = std::fs::read_to_string(out.join("office-a/2020/summary.md")).unwrap();
    assert!(md.contains("累计脱贫100户350人"), "{md}");
}

/// Each invalid fixture: exit 1, the message, the file:line:col, nothing written.
#[test]
fn invalid_fixtures_fail_with_file_line_and_message() {
    let cases = [
        (
            "missing-field",
            "缺少必填的键“issued”",
            "office-a/2020/report.yaml:2:1",
        ),
        (
            "wrong-type",
            "“八百三十万”不是阿拉伯数字",
            "office-a/2020/register.yaml:3:12",
        ),
        (
            "unknown-key",
            "未知的键“amout”",
            "office-a/2020/funds.yaml:5:19",
        ),
        (
            "missing-citation",
            "引用的指标“专项资金总额”不存在",
            "office-a/2020/report.yaml:5:7",
        ),
        (
            "duplicate-key",
            "键“theme”重复出现",
            "office-a/2020/report.yaml:2:1",
        ),
    ];
    for (case, message, place) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let data = root().join("tests/fixtures").join(case);
        let o = build(&data, &out);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{case}: {err}");
        assert!(err.contains(message), "{case}: {err}");
        assert!(err.contains(place), "{case}: expected {place} in {err}");
        assert!(err.contains("未生成任何文件"), "{case}: {err}");
        assert!(!out.exists(), "{case}: output written despite errors");
    }
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let o = nianbao(&["check", "--data", "tests/fixtures/unknown-key"]);
    assert!(stderr(&o).contains("是否想写“amount”"), "{}", stderr(&o));
}

#[test]
fn failed_build_keeps_the_previous_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(
        build(&root().join("tests/fixtures/valid"), &out)
            .status
            .code(),
        Some(0)
    );
    let before = std::fs::read(out.join("office-a/2020/summary.html")).unwrap();
    assert_eq!(
        build(&root().join("tests/fixtures/wrong-type"), &out)
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        std::fs::read(out.join("office-a/2020/summary.html")).unwrap(),
        before
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(nianbao(&["frobnicate"]).status.code(), Some(2));
}
