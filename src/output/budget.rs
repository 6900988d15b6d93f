//! A time and memory budget for rendering templates: an office's own
//! templates are code, and a loop in one can hang a build or take every
//! byte of memory (`range` in `range`, `set_global s = s ~ s`).
//!
//! Tera 2 offers no fuel, no limits but its own on one `range`, and no
//! public AST to check loops in before use, so the budget is kept from
//! outside, in three ways:
//! - the hooks nianbao gives the templates check it as they run: `range`
//!   (elements counted over a whole document), the `md` and `cell` filters,
//!   and the writer the document is rendered into (its size capped), each
//!   ending the render with an error at the template's file:line:col;
//! - a watchdog thread sees every render under way: one past its time, or
//!   the process's memory grown past the budget while renders run, is
//!   cancelled (the hooks above then stop it);
//! - a render that goes on without calling a hook (a loop that only joins
//!   strings) cannot be stopped from outside a thread: the watchdog then
//!   ends the process with the Chinese message naming the template, as a
//!   kill would (the publish survives a kill: the old site stays).

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long one document may take to render.
const TIME: Duration = Duration::from_secs(10);

/// [`TIME`], or `NIANBAO_TEST_TEMPLATE_SECONDS` (tests/reliability.rs)
/// for a test that should not wait that long.
fn time() -> Duration {
    static T: OnceLock<Duration> = OnceLock::new();
    *T.get_or_init(|| {
        std::env::var("NIANBAO_TEST_TEMPLATE_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .map_or(TIME, Duration::from_secs)
    })
}
/// How much the process may grow while documents render.
const MEMORY: u64 = 512 * 1024 * 1024;
/// A cancelled render still running after this is ended with the process.
const GRACE: Duration = Duration::from_secs(2);
/// The largest document a template may write.
pub(super) const MAX_OUTPUT: usize = 64 * 1024 * 1024;
/// Elements `range` may give over one document.
const RANGE_TOTAL: i128 = 100_000;

/// What an error of a hook starts with: its message is nianbao's own,
/// already in Chinese.
pub(super) const OWN: &str = "nianbao:";

/// A render under way.
struct Render {
    /// The template rendered, as the user knows it (its path when it is
    /// the office's own).
    name: String,
    started: Instant,
    /// The process's memory when it started.
    rss: u64,
    cancelled: AtomicBool,
    /// Why it was cancelled, for the message.
    why: Mutex<Option<String>>,
}

/// The renders under way, and the watchdog's wake-up.
struct Active {
    renders: Mutex<Vec<Arc<Render>>>,
    wake: Condvar,
}

fn active() -> &'static Active {
    static ACTIVE: OnceLock<Active> = OnceLock::new();
    static WATCHDOG: OnceLock<()> = OnceLock::new();
    let a = ACTIVE.get_or_init(|| Active {
        renders: Mutex::new(Vec::new()),
        wake: Condvar::new(),
    });
    WATCHDOG.get_or_init(|| {
        let _ = std::thread::Builder::new()
            .name("nianbao-template-watchdog".into())
            .spawn(watch);
    });
    a
}

thread_local! {
    /// The render on this thread, and the `range` elements it has used.
    static CURRENT: RefCell<Option<(Arc<Render>, i128)>> = const { RefCell::new(None) };
}

/// A render registered with the watchdog for as long as it lives.
pub(super) struct Guard(Arc<Render>);

impl Guard {
    pub(super) fn begin(name: String) -> Guard {
        let r = Arc::new(Render {
            name,
            started: Instant::now(),
            rss: LAST_RSS.load(Ordering::Relaxed),
            cancelled: AtomicBool::new(false),
            why: Mutex::new(None),
        });
        let a = active();
        if let Ok(mut v) = a.renders.lock() {
            v.push(r.clone());
        }
        a.wake.notify_all();
        CURRENT.with(|c| *c.borrow_mut() = Some((r.clone(), 0)));
        Guard(r)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        CURRENT.with(|c| *c.borrow_mut() = None);
        if let Ok(mut v) = active().renders.lock() {
            v.retain(|r| !Arc::ptr_eq(r, &self.0));
        }
    }
}

/// The error a hook ends a render with.
fn stop(why: String) -> tera::Error {
    tera::Error::message(format!("{OWN}{why}"))
}

/// Whether the render on this thread may go on.
pub(super) fn check() -> Result<(), tera::Error> {
    CURRENT.with(|c| match &*c.borrow() {
        Some((r, _)) if r.cancelled.load(Ordering::Relaxed) => {
            let why = r.why.lock().ok().and_then(|w| w.clone());
            Err(stop(why.unwrap_or_else(|| "渲染被中止".into())))
        }
        _ => Ok(()),
    })
}

/// Tera's `range`, its elements counted against the document's budget.
pub(super) fn range(kwargs: tera::Kwargs, _: &tera::State) -> Result<Vec<i128>, tera::Error> {
    check()?;
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(stop("range 的 step_by 不能是 0".into()));
    }
    let len = if (step > 0 && end > start) || (step < 0 && end < start) {
        (end.saturating_sub(start)
            .saturating_add(step - step.signum()))
            / step
    } else {
        0
    };
    let total = CURRENT.with(|c| match &mut *c.borrow_mut() {
        Some((_, used)) => {
            *used = used.saturating_add(len);
            *used
        }
        None => len,
    });
    if total > RANGE_TOTAL {
        return Err(stop(format!(
            "range 在一篇文档里合计最多给出 {RANGE_TOTAL} 个数，这里已要 {total} 个（循环套循环？）"
        )));
    }
    Ok((0..len).map(|i| start + i * step).collect())
}

/// A document being written: its bytes, within [`MAX_OUTPUT`]; every
/// write checks the budget.
#[derive(Default)]
pub(super) struct Capped(pub(super) Vec<u8>);

/// How much a render writes between two looks at the budget (a look at
/// every one of its many small writes was about 1 % of a build).
const CHECK_EVERY: usize = 16 * 1024;

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let (before, after) = (self.0.len(), self.0.len() + buf.len());
        let crossed = before / CHECK_EVERY != after / CHECK_EVERY;
        if after > MAX_OUTPUT || (crossed && check().is_err()) {
            return Err(std::io::ErrorKind::OutOfMemory.into());
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Why the render on this thread was cancelled, if it was.
pub(super) fn cancelled_why() -> Option<String> {
    CURRENT.with(|c| {
        let c = c.borrow();
        let (r, _) = c.as_ref()?;
        r.cancelled.load(Ordering::Relaxed).then_some(())?;
        r.why.lock().ok()?.clone()
    })
}

/// The process's resident memory as the watchdog last saw it: a render
/// takes it as its start (reading /proc for each of thousands of renders
/// cost about 2 % of a build). At most one tick old while renders run;
/// older only when none ran, which makes the baseline lower, never higher.
static LAST_RSS: AtomicU64 = AtomicU64::new(0);

/// The process's resident memory in bytes (Linux; elsewhere only time is
/// watched).
fn rss() -> Option<u64> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    // statm: sizes in pages, the second one resident.
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * page_size())
}

/// The size of a memory page, as statm counts them.
fn page_size() -> u64 {
    #[cfg(unix)]
    {
        rustix::param::page_size() as u64
    }
    #[cfg(not(unix))]
    {
        4096
    }
}

/// The watchdog: every 20 ms while renders run, cancel those past their
/// budget, and end the process when a cancelled one does not stop.
fn watch() {
    let a = active();
    loop {
        let renders: Vec<Arc<Render>> = {
            let Ok(mut v) = a.renders.lock() else { return };
            while v.is_empty() {
                v = match a.wake.wait(v) {
                    Ok(v) => v,
                    Err(_) => return,
                };
            }
            v.clone()
        };
        std::thread::sleep(Duration::from_millis(20));
        let now = rss();
        LAST_RSS.store(now.unwrap_or(0), Ordering::Relaxed);
        let base = renders.iter().map(|r| r.rss).min().unwrap_or(0);
        let grown = now.map_or(0, |n| n.saturating_sub(base));
        for r in &renders {
            let why = if r.started.elapsed() > time() {
                format!("渲染超过 {} 秒仍未完成（循环太多？）", time().as_secs())
            } else if grown > MEMORY {
                format!(
                    "渲染时占用的内存超过 {} MiB（文字成倍增长？）",
                    MEMORY / (1024 * 1024)
                )
            } else {
                continue;
            };
            if !r.cancelled.swap(true, Ordering::Relaxed)
                && let Ok(mut w) = r.why.lock()
            {
                *w = Some(why.clone());
            }
            let late = r.started.elapsed() > time() + GRACE;
            if late || grown > 2 * MEMORY {
                // Not stopped by its hooks: only the process can end it.
                eprintln!("模板错误：{}：{why}", r.name);
                std::process::exit(1);
            }
        }
    }
}
