//! What office computers running Windows bring: files saved as "ANSI"
//! (GBK) or UTF-16 by Notepad, WPS and Excel; a web server or browser
//! holding a page of the site open while it is replaced. Run on Linux with
//! the native binary (the held-open folder through an injected failure),
//! and, when `NIANBAO_WINE_EXE` names a cross-built nianbao.exe, the same
//! cases through Wine (tests/windows/run.sh, run by .ci/run).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary under test: the native one, or nianbao.exe under Wine.
fn runner() -> Command {
    match std::env::var_os("NIANBAO_WINE_EXE") {
        Some(exe) => {
            let mut c = Command::new("wine");
            c.arg(exe).env("WINEDEBUG", "-all");
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_nianbao")),
    }
}

/// A path as the binary under test writes it: Wine sees the Linux file
/// system as drive Z:.
fn arg(p: &Path) -> String {
    if std::env::var_os("NIANBAO_WINE_EXE").is_some() {
        format!("Z:{}", p.display()).replace('/', "\\")
    } else {
        p.display().to_string()
    }
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = runner();
    c.args(args).current_dir(root());
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run nianbao")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn clean(dir: &Path) {
    common::copy_tree(&root().join("tests/fixtures/check/clean"), dir);
}

/// GBK ("ANSI" on Chinese Windows) and UTF-16 with a BOM are read, with a
/// warning that names the file; bytes that are neither stay an error.
#[test]
fn gbk_and_utf16_files_are_read_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean(&data);
    let report = "theme: 脱贫攻坚\nissued: 2020-12-20\nintro: 现将全年减贫{{ f[\"本年预脱贫\"] }}报告如下。\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(report);
    assert!(!bad);
    let path = data.join("office-a/2020/report.yaml");
    fs::write(&path, &gbk).unwrap();
    let mut utf16: Vec<u8> = vec![0xff, 0xfe];
    for unit in "name: 甲县乡村振兴局\nshort_name: 甲县\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    fs::write(data.join("office-a/office.yaml"), &utf16).unwrap();

    let out = tmp.path().join("site");
    let o = run(&["build", "--data", &arg(&data), "--out", &arg(&out)], &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("警告[file.encoding]"), "{err}");
    assert!(
        err.contains("是 GBK（GB18030） 编码") || err.contains("是 GBK（GB18030）编码"),
        "{err}"
    );
    assert!(err.contains("report.yaml"), "{err}");
    assert!(err.contains("是 UTF-16 编码"), "{err}");
    let summary = common::without_figure_marks(
        &fs::read_to_string(out.join("office-a/2020/summary.html")).unwrap(),
    );
    assert!(
        summary.contains("现将全年减贫121户425人报告如下。"),
        "{summary}"
    );

    // Latin-1 bytes are neither UTF-8 nor GBK: an error, as before.
    fs::write(&path, b"theme: caf\xe9\nissued: 2020-12-20\nintro: x\n").unwrap();
    let o = run(&["check", "--data", &arg(&data)], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("错误[file.encoding]"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("既不是 UTF-8 也不是 GBK"),
        "{}",
        stderr(&o)
    );
}

/// A page of the site held open while it is replaced (the rename of the
/// folder fails, as on Windows): tried again for a while; when it stays
/// busy, exit 3 in Chinese, and the previous site survives.
#[test]
fn a_site_held_open_survives() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let data = root().join("data");
    let build = |data: &Path, env: &[(&str, &str)]| {
        run(&["build", "--data", &arg(data), "--out", &arg(&out)], env)
    };
    assert_eq!(build(&data, &[]).status.code(), Some(0));

    // Busy for a moment: published after a few tries.
    let other = root().join("tests/fixtures/check/clean");
    let o = build(&other, &[("NIANBAO_TEST_BUSY_RENAMES", "3")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("甲县乡村振兴局")
    );

    // Busy for good: nothing replaced, a clear message.
    assert_eq!(build(&data, &[]).status.code(), Some(0));
    let before = common::files(&out);
    let o = build(&other, &[("NIANBAO_TEST_BUSY_RENAMES", "1000")]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("正被其他程序打开"), "{err}");
    assert!(err.contains("原有站点未改动"), "{err}");
    assert!(common::files(&out) == before, "the previous site changed");
    let leftovers = common::leftovers(tmp.path(), &[".tmp-"]).len();
    assert_eq!(leftovers, 0);
}

/// Paths, the lock and publishing through the binary under test: `--out`
/// holding the data refused; two builds at once take turns; a kill before
/// and after the swap leaves a whole site. (Under Wine this is the subset
/// of tests/reliability.rs and tests/hostile.rs that concerns Windows.)
#[test]
fn paths_lock_and_publish() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let data = tmp.path().join("data");
    common::copy_tree(&root().join("data"), &data);
    let build =
        |env: &[(&str, &str)]| run(&["build", "--data", &arg(&data), "--out", &arg(&out)], env);
    let o = build(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let line = stderr(&o).lines().last().unwrap_or_default().to_string();
    let shown = arg(&out);
    assert!(line.contains(&shown), "{line} should name {shown}");

    // The data folder is never the output, nor inside it.
    let before = common::files(&data);
    for bad in [tmp.path().to_path_buf(), data.clone(), data.join("site")] {
        let o = run(&["build", "--data", &arg(&data), "--out", &arg(&bad)], &[]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}: {}",
            bad.display(),
            stderr(&o)
        );
    }
    assert!(common::files(&data) == before);

    // Builds at once (after an edit, so that each one publishes): each
    // publishes or says another one is writing.
    let office = data.join("xx-qu/office.yaml");
    let text = fs::read_to_string(&office).unwrap();
    fs::write(&office, format!("{text}\n# 改过\n")).unwrap();
    let children: Vec<_> = (0..4)
        .map(|_| {
            runner()
                .args(["build", "--data", &arg(&data), "--out", &arg(&out)])
                .env("NIANBAO_TEST_SLOW_WRITE_MS", "5")
                .current_dir(root())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        let err = stderr(&o);
        assert!(
            o.status.code() == Some(0) || err.contains("另一个 nianbao 正在写入"),
            "{:?}: {err}",
            o.status.code()
        );
    }
    assert!(out.join("index.html").is_file());

    // A kill at each step of the publish leaves a whole site.
    for (i, step) in ["before-swap", "after-swap"].into_iter().enumerate() {
        let text = fs::read_to_string(&office).unwrap();
        fs::write(&office, format!("{text}\n# 第 {i} 次修改\n")).unwrap();
        let o = build(&[("NIANBAO_TEST_KILL_AT", step)]);
        assert_ne!(o.status.code(), Some(0), "{step}: not killed");
        assert!(out.join("index.html").is_file(), "{step}");
        assert!(out.join(".nianbao-site").is_file(), "{step}");
        let o = build(&[]);
        assert_eq!(o.status.code(), Some(0), "{step}: {}", stderr(&o));
    }
    let leftovers = common::leftovers(tmp.path(), &[".tmp-", ".old-"]);
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
