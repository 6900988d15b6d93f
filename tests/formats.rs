//! The data format as a contract (issue 26): the sample data as of each
//! past format, frozen from git history, keeps building with the same
//! findings and documents; old spellings are accepted with a warning and
//! `nianbao migrate` rewrites them into the same documents.
//!
//! - `tests/fixtures/formats/v1`: data/ at f1a52b5 (the format as first
//!   documented: xx-qu alone);
//! - `before-eras`: data/ at 841a2df^ (the last format before the eras);
//! - `today`: data/ at 5c305cd (the format before this issue);
//! - `county-2023`: a 2023 county and township written against the format
//!   before the eras (citing 建档立卡基数, 本年脱贫, 未风险消除…);
//! - `plan-only-old`: seed 002's 工作方案 in the shape before `kind:`.
//!
//! Each copy's findings and Markdown documents are in its `expected/`;
//! `NIANBAO_BLESS=1` rewrites them (review every change).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{build, copy_tree, nianbao, root, stderr, stdout};

fn formats() -> PathBuf {
    root().join("tests/fixtures/formats")
}

/// `check`'s findings as one line each: level, rule, file:line, message
/// (paths relative to the data folder).
fn findings(data: &Path) -> String {
    let out = nianbao(&[
        "check",
        "--format",
        "json",
        "--data",
        data.to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check's JSON");
    let prefix = format!("{}/", data.display());
    let mut lines = Vec::new();
    for f in json["findings"].as_array().unwrap() {
        let file = f["file"].as_str().unwrap_or("").replace(&prefix, "");
        lines.push(format!(
            "{} [{}] {}:{} {}",
            f["severity"].as_str().unwrap_or(""),
            f["rule"].as_str().unwrap_or(""),
            file,
            f["line"],
            f["message"].as_str().unwrap_or("")
        ));
    }
    lines.join("\n") + "\n"
}

/// Every Markdown document of a built site, by path under the site.
fn documents(out: &Path) -> Vec<(PathBuf, String)> {
    common::files(out)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "md"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// Build `data` and compare its findings and documents with `expected`.
fn compare(name: &str) {
    let dir = formats().join(name);
    let data = dir.join("data");
    let expected = dir.join("expected");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let built = build(&data, &out);
    assert!(built.status.success(), "{name}: {}", stderr(&built));
    let found = findings(&data);
    let docs = documents(&out);
    assert!(!docs.is_empty(), "{name}: no document");
    if std::env::var_os("NIANBAO_BLESS").is_some() {
        let _ = fs::remove_dir_all(&expected);
        fs::create_dir_all(&expected).unwrap();
        fs::write(expected.join("findings.txt"), &found).unwrap();
        for (p, text) in &docs {
            let to = expected.join(p);
            fs::create_dir_all(to.parent().unwrap()).unwrap();
            fs::write(to, text).unwrap();
        }
        return;
    }
    let want = fs::read_to_string(expected.join("findings.txt")).unwrap();
    assert_eq!(
        found, want,
        "{name}: findings differ from expected/findings.txt"
    );
    let want_docs: Vec<PathBuf> = common::files(&expected)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let got: Vec<&PathBuf> = docs.iter().map(|(p, _)| p).collect();
    assert_eq!(
        got,
        want_docs.iter().collect::<Vec<_>>(),
        "{name}: documents"
    );
    for (p, text) in &docs {
        let want = fs::read_to_string(expected.join(p)).unwrap();
        assert_eq!(text, &want, "{name}: {} differs", p.display());
    }
}

#[test]
fn the_first_documented_format_builds_as_expected() {
    compare("v1");
}

#[test]
fn the_format_before_the_eras_builds_as_expected() {
    compare("before-eras");
}

#[test]
fn the_format_before_issue_26_builds_as_expected() {
    compare("today");
}

#[test]
fn a_2023_county_of_the_format_before_the_eras_builds_with_warnings() {
    compare("county-2023");
    let found = findings(&formats().join("county-2023/data"));
    assert!(!found.lines().any(|l| l.starts_with("error")), "{found}");
    for (old, new) in [
        ("建档立卡基数", "监测对象基数"),
        ("本年脱贫", "本年风险消除"),
        ("未风险消除", "未消除风险"),
        ("县直部门", "部门"),
    ] {
        assert!(
            found
                .lines()
                .any(|l| l.contains("[format.old]") && l.contains(old) && l.contains(new)),
            "{old} → {new}: {found}"
        );
    }
    // Every warning names the file and line of the old spelling.
    assert!(
        found.contains("jiu-zhen/2023/report.yaml:5 名称“本年脱贫”已改为“本年风险消除”"),
        "{found}"
    );
}

#[test]
fn an_old_plan_only_office_builds_its_programme_alone() {
    compare("plan-only-old");
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    assert!(
        build(&formats().join("plan-only-old/data"), &old)
            .status
            .success()
    );
    let today = tmp.path().join("data");
    copy_tree(&root().join("data/zrzy-ju"), &today.join("zrzy-ju"));
    assert!(build(&today, &new).status.success());
    assert!(!old.join("zrzy-ju/2020/summary.md").exists());
    assert_eq!(
        fs::read(old.join("zrzy-ju/2020/plan.md")).unwrap(),
        fs::read(new.join("zrzy-ju/2020/plan.md")).unwrap(),
        "the old shape's 方案 is today's"
    );
}

/// Copy the old-format fixtures into one data folder.
fn old_data(to: &Path) {
    copy_tree(&formats().join("county-2023/data"), to);
    copy_tree(
        &formats().join("plan-only-old/data/zrzy-ju"),
        &to.join("zrzy-ju"),
    );
}

#[test]
fn migrate_rewrites_old_spellings_into_the_same_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    old_data(&data);
    let before = tmp.path().join("before");
    assert!(build(&data, &before).status.success());
    let comment = "# 当时文档说：未退出默认为“未”加 exit，如“未风险消除”";
    let register = fs::read_to_string(data.join("jiu-xian/2023/register.yaml")).unwrap();
    assert!(register.contains(comment));

    let out = nianbao(&["migrate", "--data", data.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("jiu-zhen/2023/report.yaml:5：本年脱贫 → 本年风险消除"),
        "{said}"
    );
    assert!(said.contains("office.yaml:6：县直部门 → 部门"), "{said}");
    assert!(said.contains("report.yaml 留作 report.yaml.bak"), "{said}");
    assert!(
        stderr(&out).contains("改写后还有 0 处旧写法"),
        "{}",
        stderr(&out)
    );

    // Comments and layout kept: only the words changed.
    let office = fs::read_to_string(data.join("jiu-xian/office.yaml")).unwrap();
    assert!(office.contains("level: 部门   # 当时 level 随便写，现在写 部门\n"));
    assert!(office.starts_with("# 一个 2023 年的县"));
    let report = fs::read_to_string(data.join("jiu-zhen/2023/report.yaml")).unwrap();
    let old = fs::read_to_string(data.join("jiu-zhen/2023/report.yaml.bak")).unwrap();
    assert_eq!(report.lines().count(), old.lines().count());
    assert!(report.contains("{{ f[\"本年风险消除\"] }}"));
    assert!(!data.join("zrzy-ju/2020/report.yaml").exists());
    let plan = fs::read_to_string(data.join("zrzy-ju/2020/plan.yaml")).unwrap();
    assert!(
        plan.starts_with("kind: 工作方案\n# 只有工作方案的年度"),
        "{plan}"
    );

    // The same documents, and no old spelling left.
    let after = tmp.path().join("after");
    let built = build(&data, &after);
    assert!(built.status.success());
    assert!(!stderr(&built).contains("format.old"), "{}", stderr(&built));
    assert!(stderr(&built).contains("0 个警告"), "{}", stderr(&built));
    assert_eq!(documents(&before), documents(&after));

    // Idempotent: a second run changes nothing and writes no .bak.
    let baks = |d: &Path| {
        common::files(d)
            .into_keys()
            .filter(|p| p.to_string_lossy().ends_with(".bak"))
            .count()
    };
    let n = baks(&data);
    let files = common::files(&data);
    let again = nianbao(&["migrate", "--data", data.to_str().unwrap()]);
    assert!(again.status.success());
    assert!(stderr(&again).contains("没有需要改写的旧写法"));
    assert_eq!(common::files(&data), files);
    assert_eq!(baks(&data), n);
}

#[test]
fn migrate_numbers_its_backups_and_refuses_a_dirty_work_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    old_data(&data);
    let report = data.join("jiu-zhen/2023/report.yaml");
    fs::write(data.join("jiu-zhen/2023/report.yaml.bak"), "earlier").unwrap();

    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@t", "-C"])
            .arg(tmp.path())
            .args(args)
            .output()
    };
    let Ok(init) = git(&["init", "-q"]) else {
        eprintln!("git is not installed: the refusal is not tested");
        return;
    };
    assert!(init.status.success());
    assert!(git(&["add", "-A"]).unwrap().status.success());
    assert!(git(&["commit", "-qm", "data"]).unwrap().status.success());
    fs::write(data.join("jiu-zhen/note.txt"), "uncommitted").unwrap();

    let refused = nianbao(&["migrate", "--data", data.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("未提交的改动"),
        "{}",
        stderr(&refused)
    );
    assert!(fs::read_to_string(&report).unwrap().contains("本年脱贫"));

    let forced = nianbao(&["migrate", "--force", "--data", data.to_str().unwrap()]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(
        fs::read_to_string(data.join("jiu-zhen/2023/report.yaml.bak")).unwrap(),
        "earlier",
        "an existing .bak is never overwritten"
    );
    let numbered = fs::read_to_string(data.join("jiu-zhen/2023/report.yaml.1.bak")).unwrap();
    assert!(numbered.contains("本年脱贫"));
    assert!(
        fs::read_to_string(&report)
            .unwrap()
            .contains("本年风险消除")
    );
}
