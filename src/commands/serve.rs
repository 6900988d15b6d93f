//! `nianbao serve`: a local preview. Build, serve the built site, rebuild on
//! every change under the data (and the office's templates), and reload the
//! open page, which also shows the current findings (an overlay), as the
//! terminal does.
//!
//! It is a preview for the office's own PC, not a web server: it serves
//! only the site it built (a folder nianbao made, refused as `build`
//! refuses it), only GET and HEAD, only to a Host that names this machine
//! (localhost, or the bound address: a page elsewhere cannot read it by DNS
//! rebinding), never a file reached through a link out of the site. HTTP is
//! hyper's (maintained; each connection on its own task, so a slow client
//! holds up no other; request heads bounded in size and time); watching is
//! notify's, debounced.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Request, Response, StatusCode};

use crate::commands::args::{Report, SiteArgs};
use crate::commands::build::{build_at, built_line};
use crate::commands::report::{Kind, exit_code, finish};
use crate::diag::{self, Failure, Internal, Op, Style, Usage};
use crate::paths::Paths;
use crate::{Options, Outcome, site};

/// Where the live script, the state of the last build and its findings are
/// served.
const LIVE_JS: &str = "/__nianbao/live.js";
const STATUS: &str = "/__nianbao/status";
const FINDINGS: &str = "/__nianbao/findings";

/// Findings the page lists (the terminal and `check` have them all).
const FINDINGS_SHOWN: usize = 200;

/// The last build, as the open pages poll it.
#[derive(Default)]
struct State {
    /// Counts builds: a page reloads when it changes.
    build: u64,
    /// JSON, small: the build number, whether it published, the counts.
    status: Bytes,
    /// JSON: the first findings, fetched once per build.
    findings: Bytes,
}

/// What every request is answered from.
struct Preview {
    /// The site folder, links resolved.
    out: PathBuf,
    /// The address served on: a Host naming it is this machine.
    bound: SocketAddr,
    state: Mutex<State>,
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
    // The folder `build` would refuse is refused before anything listens.
    site::check_usable(&paths.out)?;
    let listener = std::net::TcpListener::bind(addr)
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|e| {
            Failure::Usage(Usage::Bind {
                addr: addr.to_string(),
                why: diag::io_reason(&e),
            })
        })?;
    let bound = listener.local_addr().unwrap_or(addr);
    let preview = Arc::new(Preview {
        out: paths.out.clone(),
        bound,
        state: Mutex::new(State::default()),
    });
    rebuild(paths, opts, &preview, report);
    eprintln!(
        "正在预览：http://{bound}/ （改动 data 或 templates 后自动重新生成并刷新页面；按 Ctrl+C 停止）"
    );
    let (changes, _watcher) = watch(paths)?;
    std::thread::scope(|s| {
        let preview = &preview;
        s.spawn(move || {
            // A save is several events: the debouncer hands them over
            // together, and one build follows.
            while let Ok(changed) = changes.recv() {
                if relevant(&changed, &paths.out) {
                    rebuild(paths, opts, preview, report);
                }
            }
        });
        listen(listener, Arc::clone(preview))
    })
}

/// Accept connections, each answered on its own task.
fn listen(listener: std::net::TcpListener, preview: Arc<Preview>) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| Failure::Internal(Internal::Watch(e.to_string())))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Failure::Internal(Internal::Watch(e.to_string())))?;
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let preview = Arc::clone(&preview);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let answer = preview.respond(&req);
                    async move { Ok::<_, Infallible>(answer) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(Duration::from_secs(10))
                    .max_buf_size(64 * 1024)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    })
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

fn rebuild(paths: &Paths, opts: &Options, preview: &Preview, report: &(dyn Fn(&Outcome) + Sync)) {
    let outcome = build_at(paths, opts);
    report(&outcome);
    let mut s = preview.state.lock().unwrap_or_else(|e| e.into_inner());
    s.build += 1;
    let failure = outcome.failure.as_ref().map(Failure::message);
    let counts = diag::Counts::of(&outcome.diags);
    s.status = serde_json::json!({
        "build": s.build,
        "published": outcome.published || outcome.unchanged,
        "failure": failure,
        "summary": counts.describe(),
        "findings": outcome.diags.len(),
    })
    .to_string()
    .into();
    let shown = diag::JsonReport::of(&outcome.diags, &outcome.sources, FINDINGS_SHOWN);
    s.findings = serde_json::to_vec(&shown).unwrap_or_default().into();
}

impl Preview {
    fn respond<B>(&self, req: &Request<B>) -> Response<Full<Bytes>> {
        if !matches!(*req.method(), Method::GET | Method::HEAD) {
            return answer(
                StatusCode::METHOD_NOT_ALLOWED,
                "text/plain; charset=utf-8",
                "只接受 GET 请求",
            );
        }
        let host = req
            .headers()
            .get(hyper::header::HOST)
            .and_then(|h| h.to_str().ok());
        if !host.is_some_and(|h| host_allowed(h, self.bound)) {
            return answer(
                StatusCode::FORBIDDEN,
                "text/plain; charset=utf-8",
                "预览只供本机访问",
            );
        }
        let (status, kind, body): (StatusCode, &str, Bytes) = match req.uri().path() {
            STATUS => (StatusCode::OK, JSON, self.state().status.clone()),
            FINDINGS => (StatusCode::OK, JSON, self.state().findings.clone()),
            LIVE_JS => (
                StatusCode::OK,
                "text/javascript; charset=utf-8",
                LIVE_SCRIPT.into(),
            ),
            path => match file_for(&self.out, path)
                .and_then(|p| std::fs::read(&p).ok().map(|b| (p, b)))
            {
                Some((file, bytes)) => {
                    let kind = content_type(&file);
                    let bytes = if kind.starts_with("text/html") {
                        with_live_script(bytes)
                    } else {
                        bytes
                    };
                    (StatusCode::OK, kind, bytes.into())
                }
                None => (
                    StatusCode::NOT_FOUND,
                    "text/html; charset=utf-8",
                    with_live_script(NOT_FOUND.as_bytes().to_vec()).into(),
                ),
            },
        };
        answer(status, kind, body)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

const JSON: &str = "application/json; charset=utf-8";

const NOT_FOUND: &str = "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>找不到页面</title><body><p>找不到这个页面。<a href=\"/\">回到首页</a></p></body></html>";

fn answer(status: StatusCode, kind: &str, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    let headers = r.headers_mut();
    if let Ok(v) = kind.parse() {
        headers.insert(hyper::header::CONTENT_TYPE, v);
    }
    headers.insert(
        hyper::header::CACHE_CONTROL,
        hyper::header::HeaderValue::from_static("no-store"),
    );
    headers.insert(
        hyper::header::X_CONTENT_TYPE_OPTIONS,
        hyper::header::HeaderValue::from_static("nosniff"),
    );
    r
}

/// Whether a Host header names this machine: a localhost name, or the
/// address served on (any IP address when bound to all of them, for the
/// office's network); never another name, which is how DNS rebinding
/// reaches a local server.
fn host_allowed(host: &str, bound: SocketAddr) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        Some((n, _)) if !n.ends_with(']') && n.contains(':') => (host, None),
        Some((n, p)) => (n, Some(p)),
        None => (host, None),
    };
    if port.is_some_and(|p| p != bound.port().to_string()) {
        return false;
    }
    let name = name.trim_start_matches('[').trim_end_matches(']');
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bound.ip() || bound.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// The file of the site a URL path names: `/` and folders are their
/// index.html; nothing outside the site (no `..`, no absolute part, no
/// dot-folder such as the build's own `.nianbao`), and nothing reached
/// through a link that leads out of it.
fn file_for(out: &Path, url: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(url)
        .decode_utf8()
        .ok()?;
    let rel = Path::new(decoded.trim_start_matches('/'));
    let normal =
        |c: Component| matches!(c, Component::Normal(n) if !n.to_string_lossy().starts_with('.'));
    if !rel.components().all(normal) {
        return None;
    }
    let mut path = out.join(rel);
    if decoded.ends_with('/') || path.is_dir() {
        path = path.join("index.html");
    }
    let real = dunce::canonicalize(&path).ok()?;
    (real.starts_with(out) && real.is_file()).then_some(real)
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

/// Polls the state of the last build (a few bytes): reloads the page when a
/// new one is done, and on the first poll fetches that build's findings and
/// shows them in a box at the foot of the page (open when the build did not
/// publish).
const LIVE_SCRIPT: &str = r#"(function () {
  var seen = null;
  function text(s) { return document.createTextNode(s); }
  function show(st, r) {
    var box = document.getElementById('nianbao-findings');
    if (box) box.remove();
    if (!st.failure && st.findings === 0) return;
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
    if (st.findings > r.findings.length) {
      var more = document.createElement('p');
      more.appendChild(text('另有 ' + (st.findings - r.findings.length) + ' 条，见终端或 nianbao check'));
      box.appendChild(more);
    }
    document.body.appendChild(box);
  }
  function poll() {
    fetch('/__nianbao/status', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (st) {
      if (seen !== null && st.build !== seen) { location.reload(); return; }
      if (seen === null) {
        seen = st.build;
        return fetch('/__nianbao/findings', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (r) { show(st, r); });
      }
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
