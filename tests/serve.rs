//! `nianbao serve` with a real HTTP client: a page is served, a change to
//! the data is seen in it within a second, and findings reach the page.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod common;

/// The server, stopped when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(url: &str) -> String {
    let mut r = ureq::get(url).call().expect(url);
    r.body_mut().read_to_string().unwrap()
}

/// Poll `url` until `done` holds of its body; how long it took.
fn wait_for(url: &str, done: impl Fn(&str) -> bool) -> Duration {
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(20) {
        if done(&get(url)) {
            return t0.elapsed();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{url} never showed the change");
}

/// Start `nianbao serve` on a free port; the server and its base URL.
fn start(data: &std::path::Path, out: &std::path::Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["serve", "--port", "0", "--data"])
        .arg(data)
        .arg("--out")
        .arg(out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("serve starts");
        if let Some(at) = line.find("http://127.0.0.1:") {
            let host = line[at + 7..].split('/').next().unwrap();
            return (server, format!("http://{host}"));
        }
    }
}

/// A raw request on its own connection; the status line and the rest.
fn raw(base: &str, request: &str) -> String {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.replace("{addr}", addr).as_bytes())
        .unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn serves_rebuilds_and_shows_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::shili(&data);
    let out = tmp.path().join("output");
    let (_server, base) = start(&data, &out);

    let page = format!("{base}/shili-xian/2023/summary.html");
    let html = get(&page);
    assert!(html.contains("12850"), "{html}");
    assert!(html.contains("<script src=\"/__nianbao/live.js\"></script></body>"));
    assert!(get(&format!("{base}/__nianbao/live.js")).contains("location.reload()"));
    let status = format!("{base}/__nianbao/status");
    let first: serde_json::Value = serde_json::from_str(&get(&status)).unwrap();
    assert_eq!(first["published"], true);

    // A figure changed in the data is in the page within a second.
    let measures = data.join("shili-xian/2023/measures.yaml");
    let text = std::fs::read_to_string(&measures).unwrap();
    assert!(text.contains("value: 12850"));
    std::fs::write(&measures, text.replace("value: 12850", "value: 12851")).unwrap();
    let took = wait_for(&page, |b| b.contains("12851"));
    eprintln!("the new figure was served after {took:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    // The page's script sees a new build (the state is set just after the
    // site is swapped in).
    let was = first["build"].as_u64().unwrap();
    wait_for(&status, |s| {
        let st: serde_json::Value = serde_json::from_str(s).unwrap();
        st["build"].as_u64().unwrap() > was
    });

    // A mistake: the page keeps the last good site, and the findings say
    // what and where.
    std::fs::write(&measures, text.replace("value: 12850", "value: 待填")).unwrap();
    wait_for(&status, |s| s.contains("\"published\":false"));
    let st: serde_json::Value = serde_json::from_str(&get(&status)).unwrap();
    assert_eq!(st["findings"], 1, "{st}");
    let findings: serde_json::Value =
        serde_json::from_str(&get(&format!("{base}/__nianbao/findings"))).unwrap();
    let f = &findings["findings"][0];
    assert_eq!(f["rule"], "value.blank", "{f}");
    assert!(
        f["file"].as_str().unwrap().ends_with("measures.yaml"),
        "{f}"
    );
    assert!(f["line"].as_u64().unwrap() > 0);
    assert!(get(&page).contains("12851"), "the previous site stays");

    // Nothing outside the site is served.
    let outside = ureq::get(&format!("{base}/../data/shili-xian/office.yaml")).call();
    assert!(
        outside.is_err()
            || !outside
                .unwrap()
                .body_mut()
                .read_to_string()
                .unwrap()
                .contains("name:")
    );
}

/// serve is a local preview (issue 28): only this machine's names as Host,
/// only GET, only the site's own files (no dot-folders, no link out of it),
/// one silent client blocks no other, a huge Content-Length is no harm.
#[test]
fn serve_is_a_local_preview_only() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::shili(&data);
    let out = tmp.path().join("output");
    let (_server, base) = start(&data, &out);
    let ok = "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n";
    assert!(raw(&base, ok).starts_with("HTTP/1.1 200"));
    let local = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    assert!(raw(&base, local).starts_with("HTTP/1.1 200"));
    // DNS rebinding: another name for this address.
    let evil = "GET / HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n";
    let r = raw(&base, evil);
    assert!(r.starts_with("HTTP/1.1 403"), "{r}");
    let no_host = "GET / HTTP/1.0\r\n\r\n";
    assert!(
        raw(&base, no_host).starts_with("HTTP/1.0 403") || raw(&base, no_host).contains(" 403 ")
    );
    let post = "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 100000000000\r\nConnection: close\r\n\r\nx";
    assert!(raw(&base, post).starts_with("HTTP/1.1 405"));
    let big = "GET / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 100000000000\r\nConnection: close\r\n\r\n";
    let _ = raw(&base, big);
    // The build's state is not served; nor a link that leads out.
    std::os::unix::fs::symlink("/etc", out.join("etc")).unwrap();
    for path in [
        "/.nianbao/state.json",
        "/.nianbao-site",
        "/etc/passwd",
        "/%2e%2e/data",
    ] {
        let req = format!("GET {path} HTTP/1.1\r\nHost: {{addr}}\r\nConnection: close\r\n\r\n");
        let r = raw(&base, &req);
        assert!(r.starts_with("HTTP/1.1 404"), "{path}: {r}");
    }
    // A client that connects and says nothing holds up nobody.
    let _silent = std::net::TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    let t0 = Instant::now();
    assert!(get(&format!("{base}/")).contains("<html"));
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
    // Still alive.
    assert!(get(&format!("{base}/__nianbao/status")).contains("\"build\""));
}

/// serve refuses the folders build refuses, before it listens; a port in
/// use is said in Chinese.
#[test]
fn serve_refuses_what_build_refuses() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::shili(&data);
    let foreign = tmp.path().join("home");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    for out in [foreign.as_path(), std::path::Path::new("/"), data.as_path()] {
        let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(["serve", "--port", "0", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            matches!(o.status.code(), Some(2 | 3)),
            "{}: {err}",
            out.display()
        );
        assert!(!err.contains("正在预览"), "{err}");
    }
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["serve", "--port", &port, "--data"])
        .arg(&data)
        .arg("--out")
        .arg(tmp.path().join("output"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("地址已被占用"), "{err}");
    assert!(!err.contains("os error"), "{err}");
}
