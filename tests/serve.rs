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

#[test]
fn serves_rebuilds_and_shows_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::shili(&data);
    let out = tmp.path().join("output");
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["serve", "--port", "0", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let _server = Server(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let base = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("serve starts");
        if let Some(at) = line.find("http://127.0.0.1:") {
            let host = line[at + 7..].split('/').next().unwrap();
            break format!("http://{host}");
        }
    };

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
    wait_for(&status, |s| s.contains("value.blank"));
    let st: serde_json::Value = serde_json::from_str(&get(&status)).unwrap();
    assert_eq!(st["published"], false);
    let f = &st["report"]["findings"][0];
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
