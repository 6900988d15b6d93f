//! The year's work around the documents, on the real binary: `new` for an
//! office and for a year, drafts and empty year folders.

use std::fs;
use std::path::Path;

mod common;
use common::{build, copy_tree, nianbao, root, stderr, stdout};

/// Every placeholder in the files under `dir`: (file, line, column).
fn placeholders(dir: &Path) -> Vec<(String, u64, u64)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        // The data files; not the schemas `new` writes into data/.schema.
        if !e.file_type().is_file() || e.path().extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let text = fs::read_to_string(e.path()).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = if line.trim_start().starts_with('#') {
                ""
            } else {
                line.split(" #").next().unwrap()
            };
            for (at, _) in code.match_indices("待填") {
                let col = code[..at].chars().count() as u64 + 1;
                out.push((e.path().display().to_string(), i as u64 + 1, col));
            }
        }
    }
    out.sort();
    out
}

/// The findings of `nianbao check --format json` on `data`.
fn findings(data: &Path) -> (i32, Vec<serde_json::Value>) {
    let o = nianbao(&[
        "check",
        "--format",
        "json",
        "--data",
        data.to_str().unwrap(),
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let list = doc["findings"].as_array().unwrap().clone();
    (o.status.code().unwrap(), list)
}

fn at(f: &serde_json::Value) -> (String, u64, u64) {
    (
        f["file"].as_str().unwrap().to_string(),
        f["line"].as_u64().unwrap(),
        f["column"].as_u64().unwrap(),
    )
}

/// `nianbao build --drafts`.
fn build_drafts(data: &Path, out: &Path) -> std::process::Output {
    nianbao(&[
        "build",
        "--drafts",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

/// A report made a draft.
fn mark_draft(report: &Path) {
    let text = fs::read_to_string(report).unwrap();
    fs::write(report, format!("draft: true\n{text}")).unwrap();
}

#[test]
fn a_new_office_does_not_build_until_every_placeholder_is_filled() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    fs::create_dir(&data).unwrap();
    let o = nianbao(&[
        "new",
        "--data",
        data.to_str().unwrap(),
        "ceshi-xian",
        "2023",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in [
        "office.yaml",
        "2023/report.yaml",
        "2023/register.yaml",
        "2023/plan.yaml",
    ] {
        assert!(stderr(&o).contains(f), "{f}: {}", stderr(&o));
        assert!(data.join("ceshi-xian").join(f).is_file(), "{f}");
    }
    let holes = placeholders(&data);
    assert!(holes.len() > 25, "{holes:?}");

    // Each placeholder is one blank at its own line and column; nothing else.
    let (code, list) = findings(&data);
    assert_eq!(code, 1);
    assert!(list.iter().all(|f| f["rule"] == "value.blank"), "{list:#?}");
    let mut found: Vec<_> = list.iter().map(at).collect();
    found.sort();
    assert_eq!(found, holes);

    let out = tmp.path().join("output");
    let b = build(&data, &out);
    assert_eq!(b.status.code(), Some(1), "{}", stderr(&b));
    assert!(stderr(&b).contains("还是“待填”"), "{}", stderr(&b));
    assert!(!out.exists(), "a skeleton must never publish");

    // Nothing is ever replaced.
    let again = nianbao(&[
        "new",
        "--data",
        data.to_str().unwrap(),
        "ceshi-xian",
        "2023",
    ]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(stderr(&again).contains("不覆盖"), "{}", stderr(&again));
    let bad = nianbao(&["new", "--data", data.to_str().unwrap(), "../x"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

/// xx-qu alone (seed 000's 2016 and 2017), in `dir`.
fn xx_qu(dir: &Path) -> std::path::PathBuf {
    let data = dir.join("data");
    copy_tree(&root().join("data/xx-qu"), &data.join("xx-qu"));
    data
}

#[test]
fn a_new_year_carries_on_from_the_year_before() {
    let tmp = tempfile::tempdir().unwrap();
    let data = xx_qu(tmp.path());
    let o = nianbao(&["new", "--data", data.to_str().unwrap(), "xx-qu", "2018"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let year = data.join("xx-qu/2018");
    let read = |f: &str| fs::read_to_string(year.join(f)).unwrap();

    // 续建: exactly the 2017 projects not completed, budgets kept.
    let before = fs::read_to_string(data.join("xx-qu/2017/projects.yaml")).unwrap();
    let projects = read("projects.yaml");
    let mut unfinished = 0;
    for line in before.lines().filter(|l| l.contains("id: ")) {
        let id = line
            .split("id: ")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap();
        let carried = projects.contains(&format!("id: {id},"));
        let done = line.contains("status: 已完工");
        assert_eq!(carried, !done, "{id}");
        unfinished += usize::from(!done);
    }
    assert_eq!(unfinished, 12);
    assert!(projects.contains("name: 呈阳村香榧种植项目") && projects.contains("budget: 28.5"));
    assert!(projects.contains("续建：2017 年度未完工的 12 个项目"));

    // The 2017 plan's targets are 2018's; the register is carried forward.
    let register = read("register.yaml");
    assert!(
        register.contains("targets: {villages: 8, persons: 1300}"),
        "{register}"
    );
    assert!(register.contains("households: 2373") && register.contains("persons: 4800"));
    assert!(register.contains("{year: 2016, households: 838, persons: 1419"));
    assert!(register.contains("{year: 2017, households: 待填, persons: 待填}"));
    assert!(
        register.contains("671户1412人"),
        "the plan for 2017 as a hint"
    );
    assert!(read("report.yaml").contains("theme: 脱贫攻坚"));
    assert!(read("plan.yaml").contains("year: 2019"));
    // A field of work keeps its name and its figures' words.
    assert!(read("measures.yaml").contains("{label: 光伏项目, unit: 个, value: 待填}"));

    // Every finding is a placeholder of 2018, at its place; 2017 unchanged.
    let (_, list) = findings(&data);
    let in_2018: Vec<_> = list
        .iter()
        .filter(|f| f["file"].as_str().unwrap().contains("2018"))
        .collect();
    assert!(
        in_2018.iter().all(|f| f["rule"] == "value.blank"),
        "{in_2018:#?}"
    );
    let mut found: Vec<_> = in_2018.iter().map(|f| at(f)).collect();
    found.sort();
    assert_eq!(found, placeholders(&year));
    let b = build(&data, &tmp.path().join("output"));
    assert_eq!(b.status.code(), Some(1), "{}", stderr(&b));
}

#[test]
fn a_draft_year_neither_blocks_nor_becomes_the_latest() {
    let tmp = tempfile::tempdir().unwrap();
    let data = xx_qu(tmp.path());
    let o = nianbao(&[
        "new",
        "--data",
        data.to_str().unwrap(),
        "xx-qu",
        "2018",
        "--draft",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // An empty year folder is a draft too.
    fs::create_dir(data.join("xx-qu/2019")).unwrap();

    let (_, list) = findings(&data);
    let drafts: Vec<_> = list.iter().filter(|f| f["draft"] == true).collect();
    assert!(drafts.len() > 100, "{}", drafts.len());
    for f in &list {
        let file = f["file"].as_str().unwrap_or("");
        let in_draft = file.contains("2018") || file.contains("2019");
        assert_eq!(f["draft"] == true, in_draft, "{f:#}");
    }
    assert!(list.iter().any(|f| f["rule"] == "year.empty"));

    let out = tmp.path().join("output");
    let b = build(&data, &out);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert!(stderr(&b).contains("草稿中"), "{}", stderr(&b));
    assert!(out.join("xx-qu/2017/summary.html").is_file());
    assert!(!out.join("xx-qu/2018").exists());
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("xx-qu/2017/summary.html"), "{index}");

    // --drafts: a draft with blanks is still never published.
    let b = build_drafts(&data, &out);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert!(!out.join("xx-qu/2018").exists());
}

#[test]
fn a_finished_draft_is_published_with_drafts_marked_and_never_latest() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::shili(&data);
    mark_draft(&data.join("shili-xian/2023/report.yaml"));
    let out = tmp.path().join("output");

    let b = build(&data, &out);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert!(!out.join("shili-xian/2023").exists());
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("shili-xian/2022/summary.html"), "{index}");

    let b = build_drafts(&data, &out);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    let html = fs::read_to_string(out.join("shili-xian/2023/summary.html")).unwrap();
    assert!(
        html.contains("<body class=\"draft\">")
            && html.contains("<p class=\"draft-mark\">草稿</p>")
    );
    let md = fs::read_to_string(out.join("shili-xian/2023/summary.md")).unwrap();
    assert!(md.starts_with("**草稿**"), "{md}");
    let finished = fs::read_to_string(out.join("shili-xian/2022/summary.html")).unwrap();
    assert!(!finished.contains("草稿"));
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("shili-xian/2022/summary.html"),
        "the latest stays 2022"
    );
    let office = fs::read_to_string(out.join("shili-xian/index.html")).unwrap();
    assert!(office.contains("2023年（草稿）"), "{office}");
}

#[test]
fn a_draft_before_a_finished_year_leaves_that_year_as_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let data = xx_qu(tmp.path());
    mark_draft(&data.join("xx-qu/2016/report.yaml"));
    let out = tmp.path().join("output");
    let b = build(&data, &out);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert!(!out.join("xx-qu/2016").exists());
    let full = tmp.path().join("full");
    build(&xx_qu(&tmp.path().join("again")), &full);
    // 2017 prints exactly what it prints when 2016 is published, its
    // comparisons with 2016 (同比) included.
    for f in ["summary.md", "summary.html"] {
        let drafted = fs::read_to_string(out.join("xx-qu/2017").join(f)).unwrap();
        assert_eq!(
            drafted,
            fs::read_to_string(full.join("xx-qu/2017").join(f)).unwrap()
        );
        if f == "summary.html" {
            assert!(drafted.contains("同比"), "{drafted}");
        }
    }
}
