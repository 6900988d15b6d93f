//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses its own subset

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Copy every folder and file under `from` into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The project's root folder (tests run from anywhere).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the real binary in the project's root.
pub fn nianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .output()
        .expect("run nianbao")
}

/// `nianbao build --data <data> --out <out>`.
pub fn build(data: &Path, out: &Path) -> Output {
    nianbao(&[
        "build",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

/// A build that ends itself at `step` of the publish, as a kill would
/// (`NIANBAO_TEST_KILL_AT`).
pub fn build_killed_at(data: &Path, out: &Path, step: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args([
            "build",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .env("NIANBAO_TEST_KILL_AT", step)
        .output()
        .unwrap()
}

/// Names in `dir` containing any of `marks` (what a build may leave behind).
pub fn leftovers(dir: &Path, marks: &[&str]) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| marks.iter().any(|m| n.contains(m)))
        .collect()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The clean rule-fixture base (tests/fixtures/check/clean) in `dir`, with
/// some files of its office replaced.
pub fn clean_in(dir: &Path, files: &[(&str, &str)]) {
    copy_tree(&root().join("tests/fixtures/check/clean"), dir);
    for (rel, text) in files {
        fs::write(dir.join("office-a").join(rel), text).unwrap();
    }
}

/// The sample county shili-xian with the three townships it sums, in
/// `data` (the county alone names townships that are not there).
pub fn shili(data: &Path) {
    for slug in ["shili-xian", "shili-dongxi", "shili-nanshan", "shili-beihe"] {
        copy_tree(&root().join("data").join(slug), &data.join(slug));
    }
}

/// One part of a zip package (a .docx or .xlsx) as text.
pub fn zip_part(package: &Path, part: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(fs::File::open(package).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// A .docx's text: the runs of each paragraph of word/document.xml, one
/// paragraph a line, and the texts of its bold runs.
pub fn docx_text(docx: &Path) -> (String, Vec<String>) {
    let xml = zip_part(docx, "word/document.xml");
    let unescape = |t: &str| {
        t.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    };
    let mut text = String::new();
    let mut bold = Vec::new();
    for p in xml.split("</w:p>") {
        for r in p.split("</w:r>") {
            let Some(start) = r.find("<w:t") else {
                continue;
            };
            let t = &r[start..];
            let Some(open) = t.find('>') else { continue };
            let Some(close) = t.find("</w:t>") else {
                continue;
            };
            let run = unescape(&t[open + 1..close]);
            if r.contains("<w:b/>") {
                bold.push(run.clone());
            }
            text += &run;
        }
        text.push('\n');
    }
    (text, bold)
}

/// A web page without the marks of figures that open their provenance
/// (`<span data-f=行>…</span>`, issue 27): the text as it reads.
pub fn without_figure_marks(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<span data-f=") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let Some(open) = after.find('>') else {
            rest = after;
            break;
        };
        let inner = &after[open + 1..];
        let close = inner.find("</span>").unwrap_or(inner.len());
        out.push_str(&inner[..close]);
        rest = inner.get(close + "</span>".len()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The names of nianbao's chart files (`exits.svg` …).
pub const CHARTS: [&str; 4] = ["exits", "funds", "projects", "trend"];

/// `html` without the images of nianbao's own charts (`<img src="funds.svg"`
/// and the others, beside the page), so that a test can say no other image
/// is on a page.
pub fn without_chart_images(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<img ") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find('>').map_or(after.len(), |e| e + 1);
        let tag = &after[..end];
        let ours = CHARTS
            .iter()
            .any(|c| tag.starts_with(&format!("<img src=\"{c}.svg\"")));
        if !ours {
            out.push_str(tag);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Whether every script of a page is nianbao's own: static/figures.js and
/// the page's figures as JSON (no script of the office's text).
pub fn only_our_scripts(html: &str) -> bool {
    html.split("<script").skip(1).all(|s| {
        s.starts_with(" src=\"../../static/figures.js\" defer>")
            || s.starts_with(" type=\"application/json\" id=\"nianbao-figures\">")
    })
}
