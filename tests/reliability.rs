//! Reliability on the real binary: no data lost, bounded work on hostile
//! files, links that cannot leave the site, an atomic publish under a
//! kernel lock, I/O failures in Chinese, rebuilds that see every edit.

use std::fs;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod common;
use common::{build, clean_in, nianbao, root, stderr};

/// Item 1: An output folder that holds, equals or lies inside the data folder is
/// refused before any work, and the data stays.
#[test]
fn the_data_folder_is_never_replaced_or_written_into() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let data = root().join("data");
    assert_eq!(build(&data, &site).status.code(), Some(0));
    // The data copied into the site, then built from there into the site.
    let inner = site.join("data");
    common::copy_tree(&data, &inner);
    let before = common::files(&inner);
    let o = build(&inner, &site);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("包含数据目录"), "{}", stderr(&o));
    assert_eq!(common::files(&inner), before, "the data changed");

    // The site inside the data folder, or the data folder itself.
    let data_copy = tmp.path().join("data");
    common::copy_tree(&data, &data_copy);
    let before = common::files(&data_copy);
    for out in [
        data_copy.join("site"),
        data_copy.clone(),
        data_copy.join("xx-qu/."),
    ] {
        let o = build(&data_copy, &out);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}: {}",
            out.display(),
            stderr(&o)
        );
        assert!(stderr(&o).contains("用法错误"), "{}", stderr(&o));
    }
    assert_eq!(common::files(&data_copy), before, "the data changed");

    // Through a link to the data folder too.
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&data_copy, &link).unwrap();
    let o = build(&data_copy, &link.join("out"));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(common::files(&data_copy), before);
}

/// Item 2: 40,000 bad citations on one line: checked quickly in bounded memory,
/// with at most 20 of them printed and the rest counted.
#[test]
fn forty_thousand_bad_citations_on_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let line = "{{ f[\"无此指标\"] }}".repeat(40_000);
    let report = format!("theme: 脱贫攻坚\nissued: 2020-12-20\nintro: '{line}'\n");
    clean_in(tmp.path(), &[("2020/report.yaml", &report)]);
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["check", "--data", tmp.path().to_str().unwrap()])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (o, peak_kib) = wait_with_peak(child);
    let elapsed = started.elapsed();
    eprintln!("40,000 citations: {elapsed:?}, peak {peak_kib} KiB");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(err.matches("错误[citation.unknown]").count(), 20);
    assert!(
        err.contains("另有 39980 条 [citation.unknown] 发现未列出"),
        "{}",
        &err[..2000.min(err.len())]
    );
    assert!(err.ends_with("检查完毕：40000 个错误、0 个警告。\n"));
    assert!(err.len() < 200_000, "{} bytes of output", err.len());
    // The issue's bounds are for the release binary; a debug build gets
    // five times the time.
    let limit = if cfg!(debug_assertions) { 10 } else { 2 };
    assert!(elapsed < Duration::from_secs(limit), "{elapsed:?}");
    assert!(peak_kib < 200 * 1024, "peak {peak_kib} KiB");
}

/// Wait for a child and read its peak resident memory (KiB) from the
/// kernel (`wait4`), so other tests' processes do not count.
fn wait_with_peak(mut child: std::process::Child) -> (Output, u64) {
    use std::io::Read;
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stderr.read_to_end(&mut buf).unwrap();
        buf
    });
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: a plain system call on our own child, with valid pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid);
    let stderr = reader.join().unwrap();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let status = std::os::unix::process::ExitStatusExt::from_raw(code << 8);
    (
        Output {
            status,
            stdout: Vec::new(),
            stderr,
        },
        usage.ru_maxrss as u64,
    )
}

/// Item 3: Every link form that leaves the site is text in the HTML and the
/// Markdown, and neither carries live HTML, images or frames; a unit with
/// a Markdown link stays text.
#[test]
fn no_link_leaves_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let measures = r#"measures:
  - title: 综合
    narrative: |
      [甲](//evil.example/x)，[乙][r]，<a href="&#47;&#47;evil.example">丙</a>，
      <a href="\\evil.example\x">丁</a>，<a href=" /\evil.example">戊</a>，
      <script>alert(1)</script><img src=x onerror=alert(1)><iframe src="//evil.example"></iframe>
      ![图](http://evil.example/a.png) 培训{{ f["培训"] }}。见 http://evil.example/z 或 www.evil.example。

      [r]: //evil.example
    figures:
      - {label: 培训, value: 12, unit: "[次](http://evil.example)"}
"#;
    clean_in(tmp.path(), &[("2020/measures.yaml", measures)]);
    let out = tmp.path().join("site");
    let data = tmp.path().join("data");
    fs::create_dir(&data).unwrap();
    fs::rename(tmp.path().join("office-a"), data.join("office-a")).unwrap();
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = out.join("office-a/2020");
    let html = common::without_chart_images(&common::without_figure_marks(
        &fs::read_to_string(doc.join("summary.html")).unwrap(),
    ));
    let md = fs::read_to_string(doc.join("summary.md")).unwrap();
    assert!(common::only_our_scripts(&html), "{html}");
    assert!(!md.contains("<script"), "{md}");
    for page in [&html, &md] {
        for tag in ["<img", "<iframe"] {
            assert!(!page.contains(tag), "{tag} in:\n{page}");
        }
    }
    for live in [
        "href=\"//",
        "href=\"http",
        "href=\"\\",
        "href=\" ",
        "evil.example\">",
    ] {
        assert!(!html.contains(live), "{live} in:\n{html}");
    }
    // The Markdown, read as a Markdown viewer reads it: no link or image
    // that leaves the site, no raw HTML but escaped text.
    use pulldown_cmark::{Event, Parser, Tag};
    for event in Parser::new(&md) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                assert!(
                    !dest_url.contains("evil"),
                    "a live link to {dest_url} in:\n{md}"
                )
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                assert!(
                    common::CHARTS
                        .iter()
                        .any(|c| *dest_url == *format!("{c}.svg")),
                    "an image {dest_url} in:\n{md}"
                )
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                assert!(
                    h.starts_with("<p align=\"right\">")
                        || h.starts_with("<br>")
                        || h.starts_with("</p>"),
                    "raw HTML {h} in:\n{md}"
                )
            }
            _ => {}
        }
    }
    assert!(md.contains("培训12\\[次\\](http\\://evil.example)"), "{md}");
    // A bare address is not linked by GitHub's renderer either.
    assert!(
        md.contains("见 http\\://evil.example/z 或 www\\.evil.example。"),
        "{md}"
    );
    assert!(html.contains("培训12[次](http://evil.example)"), "{html}");
}

/// Item 4: 100,000 `>` in a narrative are refused quickly, with the limit named.
#[test]
fn deep_nesting_is_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let report = format!(
        "theme: 脱贫攻坚\nissued: 2020-12-20\nintro: \"{}\"\n",
        ">".repeat(100_000)
    );
    clean_in(tmp.path(), &[("2020/report.yaml", &report)]);
    let started = Instant::now();
    let o = nianbao(&["check", "--data", tmp.path().to_str().unwrap()]);
    assert!(started.elapsed() < Duration::from_secs(if cfg!(debug_assertions) { 5 } else { 1 }));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o)
            .contains("错误[text.nesting]：文字中引用（>）或列表嵌套了 100000 层，超过上限 16 层"),
        "{}",
        stderr(&o)
    );
}

/// Item 5: A reader that keeps opening index.html during 20 publishes never
/// finds it missing (the swap is one step), and a kill at each step of the
/// publish leaves a whole site, old or new.
#[test]
fn the_site_is_never_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let (a, b) = (
        root().join("data"),
        root().join("tests/fixtures/check/clean"),
    );
    assert_eq!(build(&a, &out).status.code(), Some(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (reads, misses) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let reader = {
        let (stop, reads, misses, index) = (
            stop.clone(),
            reads.clone(),
            misses.clone(),
            out.join("index.html"),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match fs::read(&index) {
                    Ok(_) => reads.fetch_add(1, Ordering::Relaxed),
                    Err(_) => misses.fetch_add(1, Ordering::Relaxed),
                };
            }
        })
    };
    for i in 0..20 {
        // Alternate data folders: every build publishes a new site.
        let data = if i % 2 == 0 { &b } else { &a };
        let o = build(data, &out);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    stop.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    eprintln!(
        "20 publishes: {} reads of index.html, {} missing",
        reads.load(Ordering::Relaxed),
        misses.load(Ordering::Relaxed)
    );
    assert_eq!(misses.load(Ordering::Relaxed), 0, "index.html went missing");
    assert!(reads.load(Ordering::Relaxed) > 100, "the reader hardly ran");

    for step in ["before-swap", "after-swap"] {
        let before = fs::read_to_string(out.join("index.html")).unwrap();
        let o = common::build_killed_at(&b, &out, step);
        assert!(o.status.code().is_none(), "{step}: not killed");
        let after = fs::read_to_string(out.join("index.html")).unwrap();
        assert!(out.join(".nianbao-site").is_file(), "{step}");
        if step == "before-swap" {
            assert_eq!(before, after, "killed before the swap: the old site");
        } else {
            assert!(
                after.contains("甲县乡村振兴局"),
                "killed after the swap: the new site"
            );
        }
        // The next build cleans up and publishes.
        let o = build(&a, &out);
        assert_eq!(o.status.code(), Some(0), "{step}: {}", stderr(&o));
        let leftovers = common::leftovers(tmp.path(), &[".tmp-", ".old-"]);
        assert!(leftovers.is_empty(), "{step}: {leftovers:?}");
    }
}

/// Item 6: Ten rounds of ten builds at once after an edit, over a lock file
/// left by a dead process: each build publishes or says another is writing;
/// the site is whole after every round and nothing is left behind.
#[test]
fn concurrent_builds_take_turns() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let data = tmp.path().join("data");
    common::copy_tree(&root().join("tests/fixtures/check/clean"), &data);
    let office = data.join("office-a/office.yaml");
    let text = fs::read_to_string(&office).unwrap();
    fs::write(tmp.path().join(".site.lock"), "999999\n").unwrap();
    for round in 0..10 {
        // A new edit each round, so that every build has something to publish.
        fs::write(&office, format!("{text}# 第 {round} 轮\n")).unwrap();
        let children: Vec<_> = (0..10)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_nianbao"))
                    .args([
                        "build",
                        "--data",
                        data.to_str().unwrap(),
                        "--out",
                        out.to_str().unwrap(),
                    ])
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut published = 0;
        let mut refused = 0;
        for c in children {
            let o = c.wait_with_output().unwrap();
            match o.status.code() {
                Some(0) => published += 1,
                Some(3) => {
                    assert!(
                        stderr(&o).contains("另一个 nianbao 正在写入"),
                        "{}",
                        stderr(&o)
                    );
                    refused += 1;
                }
                other => panic!("round {round}: exit {other:?}: {}", stderr(&o)),
            }
        }
        eprintln!("round {round}: {published} published, {refused} waited their turn");
        assert!(published >= 1, "round {round}: nobody published");
        assert!(out.join("index.html").is_file() && out.join(".nianbao-site").is_file());
        let leftovers = common::leftovers(tmp.path(), &[".tmp-"]).len();
        assert_eq!(leftovers, 0, "round {round}");
    }
}

/// Item 7: `--out` a link: the site goes into the folder it points to, the link
/// stays a link.
#[test]
fn a_linked_output_folder_stays_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("real-site");
    let link = tmp.path().join("site");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for _ in 0..2 {
        let o = build(&root().join("data"), &link);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(target.join("index.html").is_file());
    }
}

/// Item 8: A full disk is an output failure (exit 3) in Chinese, found before
/// the build where it can be, and the previous site stays.
#[test]
fn a_full_disk_is_exit_3_in_chinese() {
    let probe = Command::new("unshare")
        .args(["-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: cannot mount a tmpfs here (needs unshare and mount)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // A data set whose site is about 30 MB: the sample office 120 times.
    let data = tmp.path().join("data");
    for i in 0..120 {
        common::copy_tree(
            &root().join("data/xx-qu"),
            &data.join(format!("office-{i:02}")),
        );
    }
    let run = |size: &str| {
        let mnt = tmp.path().join(format!("mnt-{size}"));
        fs::create_dir_all(&mnt).unwrap();
        let script = format!(
            "mount -t tmpfs -o size={size} tmpfs '{m}' && exec '{bin}' build --data '{d}' --out '{m}/site'",
            m = mnt.display(),
            bin = env!("CARGO_BIN_EXE_nianbao"),
            d = data.display()
        );
        Command::new("unshare")
            .args(["-rm", "sh", "-c", &script])
            .output()
            .unwrap()
    };
    // Too small to start: refused before the build.
    let o = run("4m");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("所在的磁盘只剩"), "{}", stderr(&o));
    // Room to start, not to finish: the disk fills mid-build.
    let o = run("18m");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("磁盘已满"), "{err}");
    assert!(err.contains("原有站点未改动"), "{err}");
    assert!(!err.contains("No space"), "{err}");
}

/// Item 9: An edit that keeps the size and the modification time (`touch -r`)
/// within the clock's resolution is published, and a deleted page is put
/// back by a build that otherwise finds nothing changed.
#[test]
fn every_edit_is_published_and_missing_pages_restored() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = tmp.path().join("site");
    common::copy_tree(&root().join("tests/fixtures/check/clean"), &data);
    assert_eq!(build(&data, &out).status.code(), Some(0));
    let office = data.join("office-a/office.yaml");
    let text = fs::read_to_string(&office).unwrap();
    let stamp = fs::metadata(&office).unwrap().modified().unwrap();
    fs::write(&office, text.replace("甲县乡村振兴局", "乙县乡村振兴局")).unwrap();
    fs::File::options()
        .write(true)
        .open(&office)
        .unwrap()
        .set_modified(stamp)
        .unwrap();
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("数据没有变化"), "{}", stderr(&o));
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("乙县乡村振兴局"),
        "the edit was not published"
    );

    let o = build(&data, &out);
    assert!(stderr(&o).contains("数据没有变化"), "{}", stderr(&o));
    let page = out.join("office-a/2020/summary.html");
    let full = fs::read(&page).unwrap();
    fs::remove_file(&page).unwrap();
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("数据没有变化"), "{}", stderr(&o));
    assert_eq!(fs::read(&page).unwrap(), full, "the page was not restored");
}

/// Item 10: Control characters from YAML escapes and direction marks are refused
/// with file:line; zero-width characters in an office's name too; a file of
/// 10,000 projects is within the limits.
#[test]
fn hidden_characters_are_refused_and_big_files_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let report = "theme: \"脱贫\\x01攻坚\"\nissued: 2020-12-20\nintro: \"导语\\e[31m\"\n";
    clean_in(
        tmp.path(),
        &[
            ("2020/report.yaml", report),
            ("office.yaml", "name: \"甲县\u{200B}乡村振兴局\"\n"),
        ],
    );
    fs::write(
        tmp.path().join("office-a/2019/report.yaml"),
        "theme: 脱贫攻坚\nissued: 2019-12-20\nintro: \"导语\u{202E}倒序\"\n",
    )
    .unwrap();
    let o = nianbao(&["check", "--data", tmp.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("错误[text.control]：文字中有控制字符 U+0001"),
        "{err}"
    );
    assert!(err.contains("2020/report.yaml:1:"), "{err}");
    assert!(
        err.contains("错误[text.control]：文字中有控制字符 U+202E"),
        "{err}"
    );
    assert!(err.contains("错误[text.invisible]"), "{err}");
    assert!(
        !err.contains('\x1b'),
        "a raw escape reached the terminal: {err}"
    );

    let mut projects = String::from("projects:\n");
    for i in 0..10_000 {
        projects += &format!(
            "  - {{id: P{i}, name: 项目{i}, category: 产业发展, batch: 第一批, budget: 0.01, spent: 0.01, status: 已完工, start: 2020-03-01, end: 2020-06-30}}\n"
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    clean_in(tmp.path(), &[("2020/projects.yaml", &projects)]);
    let o = nianbao(&["check", "--data", tmp.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        !err.contains("yaml.limit"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(!err.contains("嵌套过深"), "{}", &err[..err.len().min(2000)]);
}

/// A pipe in the place of a data file: refused with its name, at once,
/// by `build` as by `check` (comparing contents for a rebuild never opens
/// it; opening a pipe would wait for a writer forever).
#[test]
fn a_pipe_for_a_data_file_never_hangs_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[]);
    let pipe = data.join("office-a/2020/problems.yaml");
    fs::remove_file(&pipe).unwrap();
    let made = Command::new("mkfifo").arg(&pipe).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    let out = tmp.path().join("site");
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args([
            "build",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the build hung on a pipe");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("problems.yaml”不是普通文件"),
        "{}",
        stderr(&o)
    );
}

/// A rebuild of one office is published in place (only what changed moves
/// into the site, journaled). Killed before the moves, during them or
/// after the last one but before the journal is removed, the previous site
/// comes back byte for byte at the next build; once committed, it stays.
#[test]
fn in_place_rebuild_killed_at_each_step_comes_back_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = tmp.path().join("site");
    common::copy_tree(&root().join("data"), &data);
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = common::files(&out);
    let office = data.join("xx-qu/office.yaml");
    let original = fs::read_to_string(&office).unwrap();
    let renamed = original.replacen("name: xx区", "name: xx新区", 1);
    assert_ne!(renamed, original);
    let kill = |step: &str| common::build_killed_at(&data, &out, step);
    for step in ["before-swap", "mid-swap"] {
        fs::write(&office, &renamed).unwrap();
        let o = kill(step);
        assert!(
            o.status.code().is_none(),
            "{step}: not killed: {}",
            stderr(&o)
        );
        if step == "mid-swap" {
            assert!(
                out.with_file_name(".site.journal").is_file(),
                "{step}: no journal"
            );
        }
        // The data as it was: the next build puts the old site back and
        // finds nothing to do.
        fs::write(&office, &original).unwrap();
        let o = build(&data, &out);
        assert_eq!(o.status.code(), Some(0), "{step}: {}", stderr(&o));
        assert!(
            common::files(&out) == before,
            "{step}: the site is not as it was"
        );
        assert!(!out.with_file_name(".site.journal").exists(), "{step}");
    }
    // Killed after the commit: the new site stays, and the next build
    // finds nothing left over.
    fs::write(&office, &renamed).unwrap();
    let o = kill("after-swap");
    assert!(o.status.code().is_none(), "after-swap: not killed");
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("xx新区"), "after-swap: the new site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("没有变化") || common::stdout(&o).contains("没有变化"),
        "{}",
        stderr(&o)
    );
    let leftovers = common::leftovers(tmp.path(), &[".tmp-", ".journal"]);
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// Issue 28: import never loses a row or a file, and stays bounded on
// hostile spreadsheets.

fn import(args: &[&str]) -> Output {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    nianbao(&all)
}

fn p(path: &std::path::Path) -> &str {
    path.to_str().unwrap()
}

/// shili-xian in a fresh data folder; its 2023 year folder.
fn shili_2023(dir: &std::path::Path) -> std::path::PathBuf {
    let data = dir.join("data");
    common::shili(&data);
    data.join("shili-xian/2023")
}

/// A CSV over 8 MiB is never cut: read whole (its last row's budget
/// intact), or refused naming the limit when the file it gives would be
/// over the limit build reads. Before: cut at 8 MiB, exit 0, the last
/// budget 1234 imported as 12.
#[test]
fn a_big_csv_is_imported_whole_or_refused_naming_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let to = shili_2023(tmp.path());
    fs::remove_file(to.join("projects.yaml")).unwrap();
    // Long 备注 (not imported): 9.6 MiB of sheet, a small projects.yaml.
    let mut csv = String::from("项目名称,项目类别,安排资金,状态,备注\n");
    let note = "说明".repeat(200);
    for i in 0..8_000 {
        csv += &format!("项目{i},产业发展,1,在建,{note}\n");
    }
    csv += "最后一个,产业发展,1234,在建,完\n";
    assert!(csv.len() > 9 << 20, "{}", csv.len());
    let sheet = tmp.path().join("大表.csv");
    fs::write(&sheet, &csv).unwrap();
    let o = import(&["projects", p(&sheet), "--to", p(&to)]);
    assert!(stderr(&o).contains("已导入 8001 行"), "{}", stderr(&o));
    let yaml = fs::read_to_string(to.join("projects.yaml")).unwrap();
    assert!(
        yaml.contains("name: 最后一个, category: 产业发展, budget: 1234, status: 在建"),
        "{}",
        &yaml[yaml.len() - 300..]
    );

    // Long names: the projects.yaml would be over 8 MiB; nothing written.
    let mut csv = String::from("项目名称,项目类别,安排资金,状态\n");
    let name = "村".repeat(300);
    for i in 0..10_000 {
        csv += &format!("{name}{i},产业发展,1,在建\n");
    }
    fs::write(&sheet, &csv).unwrap();
    let before = fs::read(to.join("projects.yaml")).unwrap();
    let o = import(&["projects", p(&sheet), "--to", p(&to), "--replace"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("超过 nianbao 读取数据文件的上限 8.0 MiB"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read(to.join("projects.yaml")).unwrap(), before);
    assert!(!to.join("projects.yaml.bak").exists());

    // Over the sheet limit: refused before reading, naming it.
    let huge = tmp.path().join("巨表.csv");
    let f = fs::File::create(&huge).unwrap();
    f.set_len(65 << 20).unwrap();
    let o = import(&["projects", p(&huge), "--to", p(&to), "--replace"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("超过导入的上限 64 MiB"),
        "{}",
        stderr(&o)
    );
}

/// A sheet cut inside its last character says so. Before: "既不是 UTF-8
/// 也不是 GBK".
#[test]
fn a_sheet_cut_inside_a_character_says_it_is_cut() {
    let tmp = tempfile::tempdir().unwrap();
    let to = shili_2023(tmp.path());
    let whole = "批次,金额（万元）\n第一批,3100\n第二批,1600\n甲村";
    for (name, bytes) in [
        ("utf8.csv", whole.as_bytes().to_vec()),
        ("gbk.csv", encoding_rs::GBK.encode(whole).0.into_owned()),
    ] {
        let sheet = tmp.path().join(name);
        fs::write(&sheet, &bytes[..bytes.len() - 1]).unwrap();
        let o = import(&["batches", p(&sheet), "--to", p(&to)]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("最后一个字符的中间断了"),
            "{name}: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains("既不是"), "{}", stderr(&o));
    }
}

/// The file import edits keeps its encoding (GBK, UTF-16 as build reads
/// them), its BOM, line ends, indentation and comments, and build reads it
/// back. Before: GBK and UTF-16 rewritten as U+FFFD, a 4-space funds.yaml
/// made a syntax error, a BOM + `exits:` on the first line a duplicate key.
#[test]
fn import_edits_the_file_in_its_own_encoding_and_indentation() {
    let tmp = tempfile::tempdir().unwrap();
    let to = shili_2023(tmp.path());
    let batches = tmp.path().join("批次.csv");
    fs::write(
        &batches,
        "批次,项目数,金额（万元）\n第一批,6,3100\n第二批,4,1600\n",
    )
    .unwrap();
    let exits = tmp.path().join("退出.csv");
    fs::write(
        &exits,
        "年度,户数,人数\n2021,300,1000\n2022,260,820\n2023,280,861\n",
    )
    .unwrap();
    let register = fs::read_to_string(to.join("register.yaml")).unwrap();
    let funds = fs::read_to_string(to.join("funds.yaml")).unwrap();
    let utf16 = |t: &str| -> Vec<u8> {
        [0xFF, 0xFE]
            .into_iter()
            .chain(t.encode_utf16().flat_map(u16::to_le_bytes))
            .collect()
    };
    // Every indentation doubled: a file indented by four spaces.
    let four: String = funds
        .lines()
        .map(|l| {
            let t = l.trim_start_matches(' ');
            format!("{}{t}\n", " ".repeat(2 * (l.len() - t.len())))
        })
        .collect();
    let bom_exits = {
        // `exits:` first, after a BOM.
        let (head, tail) = register.split_once("exits:\n").unwrap();
        let (list, rest) = tail.split_once("remaining:").unwrap();
        format!("\u{FEFF}exits:\n{list}{head}remaining:{rest}")
    };
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "exits",
            "register.yaml",
            encoding_rs::GBK.encode(&register).0.into_owned(),
        ),
        (
            "exits",
            "register.yaml",
            utf16(&register.replace('\n', "\r\n")),
        ),
        ("exits", "register.yaml", bom_exits.clone().into_bytes()),
        ("batches", "funds.yaml", four.clone().into_bytes()),
        (
            "batches",
            "funds.yaml",
            encoding_rs::GBK.encode(&four).0.into_owned(),
        ),
    ];
    for (what, file, bytes) in cases {
        fs::write(to.join(file), &bytes).unwrap();
        let sheet = if what == "exits" { &exits } else { &batches };
        let o = import(&[what, p(sheet), "--to", p(&to)]);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", stderr(&o));
        let after = fs::read(to.join(file)).unwrap();
        // The same sheet as the file had: the same bytes, encoding and all.
        assert_eq!(
            String::from_utf8_lossy(&after),
            String::from_utf8_lossy(&bytes),
            "{file}"
        );
        // The old file kept byte for byte, and build reads the new one.
        assert_eq!(fs::read(to.join(format!("{file}.bak"))).unwrap(), bytes);
        fs::remove_file(to.join(format!("{file}.bak"))).unwrap();
        let o = nianbao(&["check", "--data", p(to.parent().unwrap().parent().unwrap())]);
        assert!(!stderr(&o).contains("重复"), "{}", stderr(&o));
        assert!(!stderr(&o).contains("语法"), "{}", stderr(&o));
    }
    // New rows are written in the file's indentation and encoding.
    fs::write(
        &batches,
        "批次,项目数,金额（万元）\n第一批,6,3000\n第二批,4,1700\n",
    )
    .unwrap();
    fs::write(to.join("funds.yaml"), encoding_rs::GBK.encode(&four).0).unwrap();
    let o = import(&["batches", p(&batches), "--to", p(&to)]);
    assert!(stderr(&o).contains("已导入 2 行"), "{}", stderr(&o));
    let written = fs::read(to.join("funds.yaml")).unwrap();
    let (text, _, bad) = encoding_rs::GBK.decode(&written);
    assert!(!bad);
    assert!(
        text.contains("    batches:\n        - {name: 第一批, projects: 6, amount: 3000}\n        - {name: 第二批, projects: 4, amount: 1700}\n    by_source:"),
        "{text}"
    );
    assert!(text.starts_with("# 衔接推进乡村振兴补助资金"), "{text}");
}

/// Every import keeps the file it replaces under a new backup name:
/// `.bak`, `.bak.1`, `.bak.2`. Before: `--replace` twice overwrote the
/// `.bak`, and the original was gone.
#[test]
fn backups_are_numbered_and_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let to = shili_2023(tmp.path());
    let original = fs::read(to.join("projects.yaml")).unwrap();
    let sheet = tmp.path().join("项目.csv");
    let mut kept = vec![original];
    for budget in [10, 20, 30] {
        fs::write(
            &sheet,
            format!("项目名称,项目类别,安排资金,状态\n甲,产业发展,{budget},在建\n"),
        )
        .unwrap();
        let o = import(&["projects", p(&sheet), "--to", p(&to), "--replace"]);
        assert!(stderr(&o).contains("已导入 1 行"), "{}", stderr(&o));
        kept.push(fs::read(to.join("projects.yaml")).unwrap());
    }
    for (i, name) in [
        "projects.yaml.bak",
        "projects.yaml.bak.1",
        "projects.yaml.bak.2",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(fs::read(to.join(name)).unwrap(), kept[i], "{name}");
    }
}

/// A file nianbao would not read back is never written: here funds.yaml
/// has `special:` as a flow mapping, which the block edit cannot enter.
#[test]
fn a_file_that_would_not_read_back_is_not_written() {
    let tmp = tempfile::tempdir().unwrap();
    let to = shili_2023(tmp.path());
    let funds = "unit: 万元\nspecial: {label: 衔接资金, stated_total: 4700}\n";
    fs::write(to.join("funds.yaml"), funds).unwrap();
    let batches = tmp.path().join("批次.csv");
    fs::write(&batches, "批次,金额（万元）\n第一批,3100\n").unwrap();
    let o = import(&["batches", p(&batches), "--to", p(&to)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("未导入"), "{}", stderr(&o));
    assert!(stderr(&o).contains("读不回来"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(to.join("funds.yaml")).unwrap(), funds);
    assert!(!to.join("funds.yaml.bak").exists());
}

/// Hostile workbooks: a 1.6 KB .xlsx with a cell at XFD1048576, a zip
/// bomb, a file that is no zip, formula errors. Before: "memory allocation
/// of 549755813888 bytes failed" (exit 134); the bomb 4.6 GB in 31 s;
/// "Could not find EOCD"; `#REF!` "是空的".
#[test]
fn hostile_workbooks_are_bounded_and_told_in_chinese() {
    use rust_xlsxwriter::{Formula, Workbook};
    let tmp = tempfile::tempdir().unwrap();
    let to = shili_2023(tmp.path());
    let run = |sheet: &std::path::Path| {
        let started = Instant::now();
        let child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(["import", "projects", p(sheet), "--to", p(&to), "--replace"])
            .current_dir(root())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let (o, peak) = wait_with_peak(child);
        eprintln!(
            "{}: {:?}, peak {peak} KiB",
            sheet.display(),
            started.elapsed()
        );
        assert!(started.elapsed() < Duration::from_secs(20));
        assert!(peak < 400 * 1024, "peak {peak} KiB");
        o
    };
    let heads = ["项目名称", "项目类别", "安排资金", "状态"];
    // One cell far out.
    let far = tmp.path().join("远.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in heads.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["甲", "产业发展", "5", "在建"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_number(1_048_575, 16_383, 1).unwrap();
    book.save(&far).unwrap();
    assert!(fs::metadata(&far).unwrap().len() < 10_000);
    let o = run(&far);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("远.xlsx!Sheet1!B1048576：项目类别是空的"),
        "{}",
        stderr(&o)
    );

    // A zip bomb: 300 MiB of one byte in a few hundred KiB.
    let bomb = tmp.path().join("炸弹.xlsx");
    {
        let mut z = zip::ZipWriter::new(fs::File::create(&bomb).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..300 {
            std::io::Write::write_all(&mut z, &chunk).unwrap();
        }
        z.finish().unwrap();
    }
    let o = run(&bomb);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("超过导入的上限 100 MiB"),
        "{}",
        stderr(&o)
    );

    // Not a zip at all.
    let junk = tmp.path().join("坏.xlsx");
    fs::write(&junk, "这不是表格").unwrap();
    let o = run(&junk);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("文件已损坏"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("EOCD"), "{}", stderr(&o));

    // Formula errors are named as such.
    let errs = tmp.path().join("公式.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in heads.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "甲").unwrap();
    ws.write_string(1, 1, "产业发展").unwrap();
    ws.write_formula(1, 2, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    ws.write_string(1, 3, "在建").unwrap();
    book.save(&errs).unwrap();
    let o = run(&errs);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("公式.xlsx!Sheet1!C2：安排资金是公式出错的结果“#DIV/0!”"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("是空的"), "{}", stderr(&o));
    let csv = tmp.path().join("公式.csv");
    fs::write(
        &csv,
        "项目名称,项目类别,安排资金,状态\n#REF!,产业发展,3,在建\n",
    )
    .unwrap();
    let o = run(&csv);
    assert!(
        stderr(&o).contains("公式.csv!A2：项目名称是公式出错的结果“#REF!”"),
        "{}",
        stderr(&o)
    );
}

/// An office's templates are bounded in time and memory, and every error
/// in one is blamed on its file:line:col in Chinese with exit 1. Before:
/// two nested `range(end=100000)` hung, `set_global s = s ~ s` reached
/// 6 GB, a missing/outside/circular include or extends and `get_env`/`now`
/// were exit 4 "内部错误" with Tera's English and no place.
#[test]
fn templates_are_bounded_and_blamed_at_their_place() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::shili(&data);
    let dir = tmp.path().join("templates");
    fs::create_dir(&dir).unwrap();
    let site = tmp.path().join("site");
    let spin = format!(
        "{{% set x = \"{}\" %}}{{% for a in x %}}{{% for b in x %}}{{% for c in x %}}{{% for d in x %}}{{% endfor %}}{{% endfor %}}{{% endfor %}}{{% endfor %}}",
        "a".repeat(300)
    );
    let cases: Vec<(String, &str)> = vec![
        ("x\n{% include \"nope.html\" %}".into(), "summary.html:2:12：模板“nope.html”不存在"),
        ("x\n{% include \"../../etc/passwd\" %}".into(), "summary.html:2:12：模板“../../etc/passwd”在模板目录之外"),
        ("{% extends \"nope.html\" %}".into(), "summary.html:1:13：模板“nope.html”不存在"),
        ("{% extends \"summary.html\" %}".into(), "summary.html:1:4：模板的 extends 绕成了圈"),
        ("x\n{% include \"summary.html\" %}".into(), "summary.html:2:4：模板的 include 绕成了圈"),
        ("x\n{{ get_env(name=\"HOME\") }}".into(), "summary.html:2:4：模板不能用函数“get_env”"),
        ("{{ now() }}".into(), "summary.html:1:4：模板不能用函数“now”"),
        (
            "x\n{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}".into(),
            "summary.html:2:45：range 在一篇文档里合计最多给出 100000 个数",
        ),
        (
            "{% set_global s = \"ab\" %}{% for i in range(end=60) %}{% set_global s = s ~ s %}{% endfor %}".into(),
            // Which budget is spent first depends on the machine's load.
            "summary.html：渲染时占用的内存超过 512 MiB|summary.html：渲染超过 2 秒仍未完成",
        ),
        (spin, "summary.html：渲染超过 2 秒仍未完成"),
    ];
    for (template, expected) in cases {
        fs::write(dir.join("summary.html"), &template).unwrap();
        let started = Instant::now();
        let child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args([
                "build",
                "--data",
                p(&data),
                "--out",
                p(&site),
                "--templates",
                p(&dir),
            ])
            .env("NIANBAO_TEST_TEMPLATE_SECONDS", "2")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let (o, peak) = wait_with_peak(child);
        let elapsed = started.elapsed();
        eprintln!("{expected}: {elapsed:?}, peak {peak} KiB");
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{template}\n{err}");
        assert!(
            expected.split('|').any(|e| err.contains(e)),
            "{template}\n{err}"
        );
        assert!(!err.contains("内部错误"), "{err}");
        assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
        assert!(peak < 3 * 1024 * 1024, "peak {peak} KiB");
    }
}

/// `new` refuses what it cannot make into folders nianbao and Windows
/// read: an empty name, a Windows device name, a year that is no year
/// folder. Before: `new ''` panicked (index out of bounds, exit 101);
/// years 0, -1, 99999, 0999 and con, nul, aux, com1, lpt9 were written.
#[test]
fn new_refuses_empty_and_device_names_and_odd_years() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    fs::create_dir(&data).unwrap();
    let d = p(&data);
    for args in [
        vec!["new", "--data", d, "", "2023"],
        vec!["new", "--data", d, ""],
    ] {
        let o = nianbao(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("是空的"), "{}", stderr(&o));
    }
    for name in ["con", "nul", "aux", "com1", "lpt9"] {
        let o = nianbao(&["new", "--data", d, name, "2023"]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains("Windows 的设备名"), "{}", stderr(&o));
    }
    for year in ["0", "-1", "99999", "0999", "1977", "2101"] {
        let o = nianbao(&["new", "--data", d, "xx-qu", "--", year]);
        assert_ne!(o.status.code(), Some(0), "{year}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
    assert_eq!(fs::read_dir(&data).unwrap().count(), 0, "nothing written");
    let o = nianbao(&["new", "--data", d, "xx-qu", "0999"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("年度“999”不可用"), "{}", stderr(&o));

    // `check` names the same folders.
    common::clean_in(tmp.path(), &[]);
    fs::rename(tmp.path().join("office-a"), tmp.path().join("aux")).unwrap();
    let o = nianbao(&["check", "--data", p(tmp.path())]);
    assert!(stderr(&o).contains("[folder.name]"), "{}", stderr(&o));
    assert!(stderr(&o).contains("Windows 的设备名"), "{}", stderr(&o));
}

/// Characters that show nothing are found in an office's names. Before:
/// U+00AD, U+034F, U+115F, U+3164 passed `text.invisible`.
#[test]
fn every_invisible_character_in_a_name_is_found() {
    for c in ['\u{00AD}', '\u{034F}', '\u{115F}', '\u{3164}', '\u{200B}'] {
        let tmp = tempfile::tempdir().unwrap();
        let office = format!("name: 甲县乡村{c}振兴局\nshort_name: 甲县\nregion: 甲县\n");
        common::clean_in(tmp.path(), &[("office.yaml", &office)]);
        let o = nianbao(&["check", "--data", p(tmp.path())]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "U+{:04X}: {}",
            c as u32,
            stderr(&o)
        );
        assert!(
            stderr(&o).contains("[text.invisible]"),
            "U+{:04X}: {}",
            c as u32,
            stderr(&o)
        );
    }
}

/// `templates export` writes nothing through a link, even one to nothing.
/// Before: a dangling link in the folder was followed, and the template
/// written where it pointed, outside the folder.
#[test]
fn templates_export_never_writes_through_a_dangling_link() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("templates");
    fs::create_dir(&dir).unwrap();
    let outside = tmp.path().join("outside.html");
    std::os::unix::fs::symlink(&outside, dir.join("summary.html")).unwrap();
    let o = nianbao(&["templates", "export", p(&dir)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("summary.html"), "{}", stderr(&o));
    assert!(!outside.exists(), "written through the link");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
}

/// Every part of a .docx and a .xlsx says it was made by Unix, wherever it
/// was built, so Windows and Linux give the same bytes (tests/windows/run.sh
/// compares the two builds). Before: the zip crate wrote the host's system
/// (DOS on Windows) into "version made by".
#[test]
fn docx_and_xlsx_say_made_by_unix_wherever_built() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::clean_in(&data, &[]);
    let site = tmp.path().join("site");
    let o = build(&data, &site);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for file in ["summary.docx", "figures.xlsx"] {
        let zip = fs::read(site.join("office-a/2020").join(file)).unwrap();
        // Central directory headers: PK\1\2, then "version made by" (2
        // bytes: the version, then the system: 3 is Unix).
        let mut systems = Vec::new();
        for i in 0..zip.len() - 6 {
            if zip[i..i + 4] == *b"PK\x01\x02" {
                systems.push(zip[i + 5]);
            }
        }
        assert!(systems.len() >= 5, "{file}: {systems:?}");
        assert!(systems.iter().all(|&s| s == 3), "{file}: {systems:?}");
    }
}

/// A money unit is one nianbao knows, or an error at its line. Before:
/// `unit: "24.28<script>alert(1)</script>万元"` was accepted and the build
/// ended in exit 4 "内部错误：印出的数字相互矛盾".
#[test]
fn a_money_unit_must_be_one_nianbao_knows() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::clean_in(&data, &[]);
    let funds = data.join("office-a/2020/funds.yaml");
    let text = fs::read_to_string(&funds).unwrap();
    for unit in ["\"24.28<script>alert(1)</script>万元\"", "千元", "万"] {
        fs::write(
            &funds,
            text.replace("unit: 万元\n", &format!("unit: {unit}\n")),
        )
        .unwrap();
        let o = build(&data, &tmp.path().join("site"));
        assert_eq!(o.status.code(), Some(1), "{unit}: {}", stderr(&o));
        assert!(stderr(&o).contains("[funds.unit]"), "{}", stderr(&o));
        assert!(stderr(&o).contains("funds.yaml:1:7"), "{}", stderr(&o));
        assert!(!stderr(&o).contains("内部错误"), "{}", stderr(&o));
    }
}
