//! Rebuilds: nothing changed → the site is left alone; one file changed →
//! only its office is rebuilt, and the site is byte for byte what a full
//! build of the same data writes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

/// Every file of a site but the build state (which records times).
fn site(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = common::files(dir);
    files.retain(|p, _| !p.ends_with("state.json"));
    files
}

fn build(data: &Path, out: &Path) -> String {
    let (code, err) = build_any(data, out);
    assert_eq!(code, Some(0), "{err}");
    err
}

/// A build's exit code and what it said.
fn build_any(data: &Path, out: &Path) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["build", "--data"])
        .arg(data)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn rebuilds_redo_only_what_changed_and_match_a_full_build() {
    // Two of the sample offices: seed 000 and seed 001.
    let (tmp, data) = sample(&["xx-qu", "tongxin-zhen"]);
    let out = tmp.path().join("output");
    let first = build(&data, &out);
    assert!(first.contains("已生成 12 份文档"), "{first}");

    // Nothing changed: the site is not touched, findings are still shown.
    let before = fs::metadata(out.join("index.html"))
        .unwrap()
        .modified()
        .unwrap();
    let again = build(&data, &out);
    assert!(again.contains("数据没有变化"), "{again}");
    assert!(
        again.contains("6 个错误（其中 6 个已说明）、3 个警告"),
        "{again}"
    );
    assert!(
        again.contains("填报 162.8%"),
        "the acknowledged finding is shown again: {again}"
    );
    assert_eq!(
        fs::metadata(out.join("index.html"))
            .unwrap()
            .modified()
            .unwrap(),
        before
    );

    // One figure changed: one office rebuilt, the other carried over.
    let buckets = inodes(&out.join("search/0"));
    let measures = data.join("xx-qu/2017/measures.yaml");
    replace_in(&measures, "value: 11, unit: 次", "value: 12, unit: 次");
    let third = build(&data, &out);
    assert!(
        third.contains("重建 1 个单位，沿用 1 个未变的单位"),
        "{third}"
    );
    let summary = fs::read_to_string(out.join("xx-qu/2017/summary.md")).unwrap();
    assert!(
        summary.contains("研究扶贫工作会议12次"),
        "the change is in the document"
    );
    // The search buckets no changed key falls in are the same files (here
    // 4 of 8; the end of this test checks that they hold what a full build
    // writes). Before, every bucket of the partition was written again.
    let now = inodes(&out.join("search/0"));
    let kept = buckets.iter().filter(|(f, i)| now.get(*f) == Some(i));
    assert!(kept.count() > 0, "{buckets:?} → {now:?}");

    // An edit that keeps the file's size and modification time (as `cp -p`,
    // `touch -r` or a restored backup do) is still an edit.
    let kept = fs::metadata(&measures).unwrap().modified().unwrap();
    replace_in(&measures, "value: 12, unit: 次", "value: 14, unit: 次");
    fs::File::options()
        .write(true)
        .open(&measures)
        .unwrap()
        .set_modified(kept)
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(10));
    let same_size = build(&data, &out);
    assert!(same_size.contains("重建 1 个单位"), "{same_size}");
    let summary = fs::read_to_string(out.join("xx-qu/2017/summary.md")).unwrap();
    assert!(summary.contains("研究扶贫工作会议14次"), "{summary}");
    replace_in(&measures, "value: 14, unit: 次", "value: 12, unit: 次");

    // A file of an unchanged office that went missing from the site makes
    // that office rebuild rather than fail.
    fs::remove_file(out.join("tongxin-zhen/2020/summary.md")).unwrap();
    replace_in(&measures, "value: 12, unit: 次", "value: 13, unit: 次");
    let fourth = build(&data, &out);
    assert!(fourth.contains("已生成 12 份文档"), "{fourth}");
    assert!(out.join("tongxin-zhen/2020/summary.md").is_file());

    // And the result is what a full build of the same data writes.
    let fresh = tmp.path().join("fresh");
    build(&data, &fresh);
    let (a, b) = (site(&out), site(&fresh));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{} differs from a full build",
            path.display()
        );
    }
}

/// Write `to` in place of `from` in a data file (which must hold it).
fn replace_in(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} holds no “{from}”", path.display());
    fs::write(path, text.replace(from, to)).unwrap();
}

/// Each file of a folder with its inode.
fn inodes(dir: &Path) -> BTreeMap<PathBuf, u64> {
    use std::os::unix::fs::MetadataExt;
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| (e.path(), e.metadata().unwrap().ino()))
        .collect()
}

/// When the build state beside the site was last saved.
fn built_at(state: &Path) -> std::time::SystemTime {
    fs::metadata(state).unwrap().modified().unwrap()
}

/// A data folder holding a copy of the sample's xx-qu, in a folder of its own.
fn xx_qu() -> (tempfile::TempDir, PathBuf) {
    sample(&["xx-qu"])
}

/// A data folder holding copies of these sample offices.
fn sample(offices: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    for office in offices {
        let from = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
        common::copy_tree(&from.join(office), &data.join(office));
    }
    (tmp, data)
}

#[test]
fn a_no_change_build_saves_the_stamps_it_had_to_read_again() {
    let (tmp, data) = xx_qu();
    let out = tmp.path().join("output");
    let state = tmp.path().join(".output.state");
    build(&data, &out);
    let first = built_at(&state);
    // The data was written just before that build: its stamps cannot be
    // trusted (a coarse clock may hide an edit), so the next build reads the
    // files. Once they are older than the slack, that build saves its own
    // stamps, and the one after it trusts them.
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let again = build(&data, &out);
    assert!(again.contains("数据没有变化"), "{again}");
    let second = built_at(&state);
    assert!(second > first, "the state was not refreshed");
    let saved = fs::read(&state).unwrap();
    let third = build(&data, &out);
    assert!(third.contains("数据没有变化"), "{third}");
    assert_eq!(fs::read(&state).unwrap(), saved, "nothing to refresh");
}

/// A file added to, renamed in or removed from a data folder between
/// rebuilds: the finding about it comes and goes with it, and the site is
/// what a full build writes.
#[test]
fn a_stray_file_is_found_as_it_comes_and_goes() {
    let (tmp, data) = xx_qu();
    let out = tmp.path().join("output");
    build(&data, &out);
    std::thread::sleep(std::time::Duration::from_millis(200));
    build(&data, &out);

    let stray = data.join("xx-qu/2017/funds-old.yaml");
    fs::write(&stray, "x: 1\n").unwrap();
    let (code, with) = build_any(&data, &out);
    assert_eq!(code, Some(1), "{with}");
    assert!(with.contains("不认识的数据文件“funds-old.yaml”"), "{with}");
    let problems = data.join("xx-qu/2017/problems.yaml");
    fs::rename(&problems, data.join("xx-qu/2017/problem.yaml")).unwrap();
    let (_, renamed) = build_any(&data, &out);
    assert!(renamed.contains("“problem.yaml”"), "{renamed}");
    assert!(renamed.contains("是否想命名为“problems.yaml”"), "{renamed}");
    fs::rename(data.join("xx-qu/2017/problem.yaml"), &problems).unwrap();
    fs::remove_file(&stray).unwrap();
    let without = build(&data, &out);
    assert!(!without.contains("funds-old.yaml"), "{without}");
    assert!(!without.contains("problem.yaml"), "{without}");
    let fresh = tmp.path().join("fresh");
    build(&data, &fresh);
    assert_eq!(site(&out), site(&fresh));
}

/// One office of three rebuilt with as many documents as before: the site is
/// published in place, and the search partition remakes only the buckets
/// of the keys that changed (`search::Buckets`). What it publishes is what
/// a full build writes.
#[test]
fn a_rebuilt_office_remakes_only_its_changed_search_buckets() {
    let (tmp, data) = sample(&["xx-qu", "tongxin-zhen", "fupin-zhen"]);
    let out = tmp.path().join("output");
    build(&data, &out);
    let measures = data.join("xx-qu/2017/measures.yaml");
    replace_in(&measures, "value: 11, unit: 次", "value: 7193, unit: 次");
    let again = build(&data, &out);
    assert!(
        again.contains("重建 1 个单位，沿用 2 个未变的单位"),
        "{again}"
    );
    let fresh = tmp.path().join("fresh");
    build(&data, &fresh);
    assert_eq!(site(&out), site(&fresh));
}

/// Charts lie beside their page since 2026-12 (they were in a `charts`
/// folder). A site first built since then has no such folder; a site
/// published before keeps a stub at each old path, which shows the chart
/// from there, through every later build.
#[test]
fn a_moved_chart_keeps_a_stub_where_it_was_published() {
    let (tmp, data) = sample(&["xx-qu", "tongxin-zhen"]);
    let out = tmp.path().join("output");
    build(&data, &out);
    let has_charts_folder = |site: &Path| {
        common::files(site)
            .keys()
            .any(|p| p.components().any(|c| c.as_os_str() == "charts"))
    };
    assert!(!has_charts_folder(&out));
    assert!(out.join("xx-qu/2017/funds.svg").is_file());
    assert!(out.join("xx-qu/trend.svg").is_file());

    // The site as an earlier version published it (and a new binary, which
    // does not trust the last build's state).
    let year = out.join("xx-qu/2017");
    fs::create_dir(year.join("charts")).unwrap();
    for name in ["funds", "exits", "projects"] {
        let svg = format!("{name}.svg");
        fs::rename(year.join(&svg), year.join("charts").join(&svg)).unwrap();
    }
    fs::create_dir(out.join("xx-qu/charts")).unwrap();
    fs::rename(
        out.join("xx-qu/trend.svg"),
        out.join("xx-qu/charts/trend.svg"),
    )
    .unwrap();
    fs::remove_file(tmp.path().join(".output.state")).unwrap();

    build(&data, &out);
    let stub = fs::read_to_string(year.join("charts/funds.svg")).unwrap();
    assert!(stub.contains("<image href=\"../funds.svg\""), "{stub}");
    assert!(stub.contains("<title>图2 2017年"), "{stub}");
    assert!(year.join("funds.svg").is_file());
    let trend = fs::read_to_string(out.join("xx-qu/charts/trend.svg")).unwrap();
    assert!(trend.contains("href=\"../trend.svg\""), "{trend}");
    // Only where a chart was: 2016 had no `charts` folder published.
    assert!(!out.join("xx-qu/2016/charts").exists());

    // Carried over while another office is rebuilt, and rebuilt for a
    // change of its own, the office keeps them; a site built afresh from
    // the same data has none.
    for changed in ["tongxin-zhen/2020/report.yaml", "xx-qu/2017/report.yaml"] {
        replace_in(&data.join(changed), "\n", "\n\n");
        let rebuilt = build(&data, &out);
        assert!(rebuilt.contains("重建 1 个单位"), "{rebuilt}");
        assert_eq!(
            fs::read_to_string(year.join("charts/funds.svg")).unwrap(),
            stub
        );
        assert!(out.join("xx-qu/charts/trend.svg").is_file());
    }
    let fresh = tmp.path().join("fresh");
    build(&data, &fresh);
    assert!(!has_charts_folder(&fresh));
    let (old, new) = (site(&out), site(&fresh));
    let extra: Vec<_> = old.keys().filter(|p| !new.contains_key(*p)).collect();
    assert_eq!(extra.len(), 4, "{extra:?}");
}
