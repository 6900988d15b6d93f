//! Nothing private in the published site (issue 28): the build state, which
//! holds the texts of data files with findings and the data folder's path,
//! lives beside the site, not in it; a draft year reaches the site only with
//! `--drafts`; no comment of the data, no draft's text and no data path is in
//! any file of it.

use std::fs;
use std::path::Path;

mod common;
use common::{nianbao, stderr};

/// Every file of the site, as text (the .docx files unzipped).
fn site_texts(out: &Path) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for (path, bytes) in common::files(out) {
        let name = path.display().to_string();
        if name.ends_with(".docx") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for i in 0..zip.len() {
                let mut part = zip.by_index(i).unwrap();
                let mut s = String::new();
                let _ = std::io::Read::read_to_string(&mut part, &mut s);
                texts.push((format!("{name}!{}", part.name().unwrap_or_default()), s));
            }
        } else {
            texts.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    texts
}

/// What the data says that no document prints: every YAML comment of at
/// least eight characters. (An `ack:` reason is shown on the web page, with
/// the figure it explains: it is the office's own note for its reviewers.)
fn unprinted(data: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(data)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        for line in fs::read_to_string(entry.path()).unwrap().lines() {
            let comment = line.trim_start().strip_prefix('#').map(str::trim);
            if let Some(text) = comment.filter(|t| t.chars().count() >= 8) {
                out.push(text.to_string());
            }
        }
    }
    out
}

#[test]
fn the_site_holds_nothing_the_documents_do_not_print() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::copy_tree(&common::root().join("data"), &data);
    // A draft year with a sentence of its own.
    let o = nianbao(&[
        "new",
        "--data",
        data.to_str().unwrap(),
        "xx-qu",
        "2018",
        "--draft",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = data.join("xx-qu/2018/report.yaml");
    let text = fs::read_to_string(&report).unwrap();
    let secret = "草稿里尚未定稿的一句话：全区拟新增扶贫车间七个";
    fs::write(&report, format!("{text}\n# {secret}\n")).unwrap();
    let out = tmp.path().join("output");
    let o = common::build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        tmp.path().join(".output.state").is_file(),
        "the build state is kept beside the site"
    );
    let texts = site_texts(&out);
    let absolute = dunce::canonicalize(&data).unwrap().display().to_string();
    let mut leaks = Vec::new();
    for needle in unprinted(&data)
        .iter()
        .chain([&secret.to_string(), &absolute])
    {
        for (file, text) in &texts {
            if text.contains(needle.as_str()) {
                leaks.push(format!("{file}: {needle}"));
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    assert!(!out.join("xx-qu/2018").exists(), "a draft is not published");
}
