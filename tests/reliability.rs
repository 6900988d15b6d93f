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
    let html = fs::read_to_string(doc.join("summary.html")).unwrap();
    let md = fs::read_to_string(doc.join("summary.md")).unwrap();
    for page in [&html, &md] {
        for tag in ["<script", "<img", "<iframe"] {
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
                    dest_url.starts_with("charts/"),
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
