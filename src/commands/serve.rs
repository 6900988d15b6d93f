//! `nianbao serve`: build, serve the site on loopback, rebuild on every
//! change under data/ (and the office's templates/), and reload the open
//! page. The page also shows the current findings (an overlay), as the
//! terminal does. HTTP is tiny_http's and watching is notify's; this module
//! only maps a request to a file of the built site (reading nothing else)
//! and adds the small live script to HTML pages.

use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::commands::args::{Report, SiteArgs};
use crate::commands::build::{build_at, built_line};
use crate::commands::report::{Kind, exit_code, finish};
use crate::diag::{self, Failure, Internal, Op, Style, Usage};
use crate::paths::Paths;
use crate::{Options, Outcome};

/// Where the live script and the state of the last build are served.
const LIVE_JS: &str = "/__nianbao/live.js";
const STATUS: &str = "/__nianbao/status";

/// The last build, as the open pages poll it.
#[derive(Default)]
struct State {
    /// Counts builds: a page reloads when it changes.
    build: u64,
    /// JSON: the build number, whether it published, and its findings.
    json: String,
}

pub(crate) fn run(site: SiteArgs, port: u16, bind: IpAddr, style: Style) -> ExitCode {
    let opts = site.options(false);
    let report = Report::text();
    let print = |outcome: &Outcome| {
        finish(outcome, &report, style, Kind::Build, |summary| {
            built_line(outcome, &opts.out, summary)
        });
    };
    let served = Paths::of_site(&opts.data, &opts.out, opts.templates.as_deref())
        .and_then(|paths| serve(&paths, &opts, SocketAddr::new(bind, port), &print));
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("{}", diag::escape_controls(&f.message()));
            ExitCode::from(exit_code(&Outcome::failed(f), Kind::Build, false))
        }
    }
}

/// Serve until the process is stopped. `report` prints a build's outcome
/// to the terminal (the command line's own printing).
fn serve(
    paths: &Paths,
    opts: &Options,
    addr: SocketAddr,
    report: &(dyn Fn(&Outcome) + Sync),
) -> Result<(), Failure> {
    let server = tiny_http::Server::http(addr).map_err(|e| {
        Failure::Usage(Usage::Bind {
            addr: addr.to_string(),
            why: e.to_string(),
        })
    })?;
    let state = Arc::new(Mutex::new(State::default()));
    rebuild(paths, opts, &state, report);
    let bound = server
        .server_addr()
        .to_ip()
        .map_or_else(|| addr.to_string(), |a| a.to_string());
    eprintln!(
        "正在预览：http://{bound}/ （改动 data 或 templates 后自动重新生成并刷新页面；按 Ctrl+C 停止）"
    );
    let (changes, _watcher) = watch(paths)?;
    std::thread::scope(|s| {
        let state = &state;
        s.spawn(move || {
            // A save is several events: the debouncer hands them over
            // together, and one build follows.
            while let Ok(paths_changed) = changes.recv() {
                if relevant(&paths_changed, &paths.out) {
                    rebuild(paths, opts, state, report);
                }
            }
        });
        for request in server.incoming_requests() {
            respond(request, &paths.out, state);
        }
    });
    Ok(())
}

/// The changes under the data and the templates in use, debounced: one
/// batch of paths per burst of events (notify-debouncer-full).
type Watcher = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

fn watch(paths: &Paths) -> Result<(mpsc::Receiver<Vec<PathBuf>>, Watcher), Failure> {
    let (tx, rx) = mpsc::channel();
    let mut debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(60),
        None,
        move |events: notify_debouncer_full::DebounceEventResult| {
            let Ok(events) = events else { return };
            let changed: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
                .flat_map(|e| e.event.paths)
                .collect();
            if !changed.is_empty() {
                let _ = tx.send(changed);
            }
        },
    )
    .map_err(|e| Failure::Internal(Internal::Watch(e.to_string())))?;
    for dir in paths.watched() {
        debouncer
            .watch(&dir, notify::RecursiveMode::Recursive)
            .map_err(|e| Failure::io(Op::Watch, &dir, std::io::Error::other(e.to_string())))?;
    }
    Ok((rx, debouncer))
}

/// A change worth a build: not in the output, not an editor's temporary
/// file.
fn relevant(paths: &[PathBuf], out: &Path) -> bool {
    paths.iter().any(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        !p.starts_with(out)
            && !name.starts_with(".")
            && !name.ends_with('~')
            && !name.ends_with(".swp")
    })
}

fn rebuild(
    paths: &Paths,
    opts: &Options,
    state: &Mutex<State>,
    report: &(dyn Fn(&Outcome) + Sync),
) {
    let outcome = build_at(paths, opts);
    report(&outcome);
    let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
    s.build += 1;
    s.json = status_json(s.build, &outcome);
}

fn status_json(build: u64, outcome: &Outcome) -> String {
    let findings = diag::json_value(&outcome.diags, &outcome.sources);
    let failure = outcome.failure.as_ref().map(Failure::message);
    serde_json::json!({
        "build": build,
        "published": outcome.published || outcome.unchanged,
        "failure": failure,
        "summary": diag::Counts::of(&outcome.diags).describe(),
        "report": findings,
    })
    .to_string()
}

fn respond(request: tiny_http::Request, out: &Path, state: &Mutex<State>) {
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let (status, kind, body) = match url.as_str() {
        STATUS => {
            let s = state.lock().unwrap_or_else(|e| e.into_inner());
            (200, "application/json; charset=utf-8", s.json.clone().into_bytes())
        }
        LIVE_JS => (200, "text/javascript; charset=utf-8", LIVE_SCRIPT.as_bytes().to_vec()),
        _ => match file_for(out, &url).and_then(|p| std::fs::read(&p).ok().map(|b| (p, b))) {
            Some((path, bytes)) => {
                let kind = content_type(&path);
                let bytes = if kind.starts_with("text/html") {
                    with_live_script(bytes)
                } else {
                    bytes
                };
                (200, kind, bytes)
            }
            None => (
                404,
                "text/html; charset=utf-8",
                with_live_script(
                    "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>找不到页面</title><body><p>找不到这个页面。<a href=\"/\">回到首页</a></p></body></html>"
                        .as_bytes()
                        .to_vec(),
                ),
            ),
        },
    };
    let header = |k: &str, v: &str| tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).ok();
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    for h in [
        header("Content-Type", kind),
        header("Cache-Control", "no-store"),
    ]
    .into_iter()
    .flatten()
    {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

/// The file of the site a URL names: `/` and folders are their index.html;
/// nothing outside the site (no `..`, no absolute part).
fn file_for(out: &Path, url: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(url)
        .decode_utf8()
        .ok()?;
    let rel = Path::new(decoded.trim_start_matches('/'));
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut path = out.join(rel);
    if decoded.ends_with('/') || path.is_dir() {
        path = path.join("index.html");
    }
    path.is_file().then_some(path)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        "md" => "text/markdown; charset=utf-8",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

/// A page with the live script before its `</body>`.
fn with_live_script(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_JS}\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

/// Polls the last build: reloads the page when a new one is done, and shows
/// its findings in a box at the foot of the page (open when the build did
/// not publish).
const LIVE_SCRIPT: &str = r#"(function () {
  var seen = null;
  function text(s) { return document.createTextNode(s); }
  function show(st) {
    var box = document.getElementById('nianbao-findings');
    if (box) box.remove();
    var r = st.report || { findings: [] };
    if (!st.failure && r.findings.length === 0) return;
    box = document.createElement('details');
    box.id = 'nianbao-findings';
    box.open = !st.published;
    box.style.cssText = 'position:fixed;left:8px;right:8px;bottom:8px;max-height:45vh;overflow:auto;z-index:9999;background:#fff;border:2px solid ' + (st.published ? '#b8860b' : '#b00') + ';padding:6px 10px;font:13px/1.5 sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3)';
    var head = document.createElement('summary');
    head.appendChild(text((st.published ? '已生成；' : '未生成（上一次的站点未改动）；') + '检查结果：' + st.summary));
    box.appendChild(head);
    if (st.failure) { var f = document.createElement('p'); f.appendChild(text(st.failure)); box.appendChild(f); }
    var list = document.createElement('ol');
    r.findings.forEach(function (d) {
      var li = document.createElement('li');
      var where = d.file ? d.file + (d.line ? ':' + d.line + ':' + d.column : '') + ' ' : '';
      li.appendChild(text((d.severity === 'error' ? '错误' : '警告') + (d.draft ? '（草稿）' : '') + ' ' + where + d.message + (d.hint ? '（' + d.hint + '）' : '')));
      list.appendChild(li);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }
  function poll() {
    fetch('/__nianbao/status', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (st) {
      if (seen !== null && st.build !== seen) { location.reload(); return; }
      seen = st.build;
      show(st);
    }).catch(function () {}).then(function () { setTimeout(poll, 300); });
  }
  poll();
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_stay_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        std::fs::write(dir.path().join("a/年.md"), "x").unwrap();
        assert_eq!(
            file_for(dir.path(), "/"),
            Some(dir.path().join("index.html"))
        );
        assert_eq!(
            file_for(dir.path(), "/a"),
            Some(dir.path().join("a/index.html"))
        );
        assert_eq!(
            file_for(dir.path(), "/a/%E5%B9%B4.md"),
            Some(dir.path().join("a/年.md"))
        );
        assert_eq!(file_for(dir.path(), "/../etc/passwd"), None);
        assert_eq!(file_for(dir.path(), "/a/%2e%2e/%2e%2e/x"), None);
        assert_eq!(file_for(dir.path(), "//etc/passwd"), None);
    }

    #[test]
    fn the_live_script_goes_before_the_end_of_the_body() {
        let html = with_live_script(b"<html><body><p>x</p></BODY></html>".to_vec());
        let html = String::from_utf8(html).unwrap();
        assert!(
            html.ends_with("<script src=\"/__nianbao/live.js\"></script></BODY></html>"),
            "{html}"
        );
    }
}
