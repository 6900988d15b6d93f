//! Stage 7, site: write the rendered files to `output/` atomically.
//!
//! The site is written into a fresh folder beside `output/` and swapped in
//! only when every file is written, in one step: on Linux the two folders
//! are exchanged by `renameat2(RENAME_EXCHANGE)`, so a reader finds either
//! the whole old site or the whole new one, never no `output/` at all;
//! elsewhere two renames (the old site aside, the new one in). A failed or
//! interrupted build leaves the previous site as it was. When most offices
//! are unchanged, only what was rebuilt is staged and moved in, one office
//! folder at a time, journaled so that it can be undone (`journal`).
//!
//! nianbao only replaces a folder it made itself (it carries a marker
//! file), never one that holds the data, and a kernel lock on a file beside
//! the output (released by the kernel when the process dies) keeps two
//! builds from publishing at once. `--out` may be a symbolic link: the site
//! is published into the folder it points to, and the link stays.

mod journal;
pub(crate) mod state;

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Failure, Internal, Op, Refusal, Usage};

/// Marks an output folder as nianbao's own.
pub(crate) const MARKER: &str = ".nianbao-site";

/// Space the new site needs beyond the size of the last one (which it
/// replaces only at the end, so both exist for a moment).
const SPARE_BYTES: u64 = 16 * 1024 * 1024;

/// A relative path with only normal components: nothing can climb out.
fn is_safe(rel: &Path) -> bool {
    rel.components().all(|c| matches!(c, Component::Normal(_))) && rel.components().next().is_some()
}

pub(crate) fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().to_string());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// Clean up after a killed build when this build publishes nothing (the
/// data did not change): only if no other build holds the lock.
pub(crate) fn tidy(out: &Path) -> Vec<String> {
    let mut notes = Vec::new();
    if let Ok(_lock) = take_lock(&sibling(out, "lock")) {
        let _ = recover(out, &mut notes);
    }
    notes
}

/// Holds the lock for the duration of a publish: a kernel lock on a file
/// beside the output. The file stays; the lock goes with the process.
struct Lock(#[allow(dead_code)] fs::File);

fn take_lock(path: &Path) -> Result<Lock, Failure> {
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Failure::io(Op::CreateLock, path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(Lock(file)),
        Err(fs::TryLockError::WouldBlock) => {
            Err(Failure::Refused(Refusal::Locked(path.to_path_buf())))
        }
        Err(fs::TryLockError::Error(e)) => Err(Failure::io(Op::Lock, path, e)),
    }
}

/// Clean up after a build that was killed or failed, under the lock (so no
/// other build is using them): a half-written new site or an old one set
/// aside is removed, and an old site that was moved aside but never
/// replaced is put back. Only folders carrying nianbao's marker (or empty
/// ones) are touched. What cannot be removed is reported, not fatal.
fn recover(out: &Path, notes: &mut Vec<String>) -> Result<(), Failure> {
    if journal::recover(out)? {
        notes.push("上次构建在更新站点时中断，已恢复为之前的站点".into());
    }
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return Ok(());
    };
    let name = name.to_string_lossy();
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = file.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let path = entry.path();
        let ours = path.join(MARKER).is_file();
        let empty = fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none());
        if !(rest.starts_with("old-") || rest.starts_with("tmp-")) || !(ours || empty) {
            continue;
        }
        if rest.starts_with("old-") && ours && !out.exists() {
            fs::rename(&path, out).map_err(|e| Failure::io(Op::RestoreOldSite, &path, e))?;
        } else if let Err(e) = fs::remove_dir_all(&path) {
            notes.push(format!(
                "无法删除上次构建留下的“{}”：{}；请手工删除",
                path.display(),
                crate::diag::io_reason(&e)
            ));
        }
    }
    Ok(())
}

/// A site being written: files go into a fresh folder beside `out` as they
/// are rendered (from any thread), and [`Publisher::commit`] swaps it in.
/// Dropped without a commit, the folder is removed and `out` is untouched.
pub(crate) struct Publisher {
    out: PathBuf,
    tmp: PathBuf,
    committed: bool,
    /// Only what was rebuilt is staged and moved into `out` (`journal`);
    /// unchanged files stay where they are.
    in_place: bool,
    /// What the previous site took.
    previous_bytes: u64,
    /// Folders already made in the new site (saves a mkdir per file).
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// What the user should know that is not a failure.
    pub(crate) notes: Vec<String>,
    /// Bytes written so far (the next build's estimate of the space needed).
    written: std::sync::atomic::AtomicU64,
    _lock: Lock,
}

impl Publisher {
    /// Take the lock, clean up after a killed build, check that `out` is
    /// ours to replace and that there is room, and create the folder the
    /// new site is written to. `out` must be [`resolve`]d.
    pub(crate) fn begin(
        out: &Path,
        previous_bytes: u64,
        in_place: bool,
    ) -> Result<Publisher, Failure> {
        let Some(parent) = out.parent().filter(|_| out.file_name().is_some()) else {
            return Err(Failure::Refused(Refusal::Unusable(out.to_path_buf())));
        };
        fs::create_dir_all(parent).map_err(|e| Failure::io(Op::CreateDir, parent, e))?;
        let lock = take_lock(&sibling(out, "lock"))?;
        let mut notes = Vec::new();
        recover(out, &mut notes)?;
        check_usable(out)?;
        check_space(parent, previous_bytes)?;
        let tmp = sibling(out, &format!("tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| Failure::io(Op::CleanUp, &tmp, e))?;
        }
        fs::create_dir(&tmp).map_err(|e| Failure::io(Op::CreateDir, &tmp, e))?;
        if let Err(e) = mark_ours(&tmp) {
            let _ = fs::remove_dir_all(&tmp);
            return Err(Failure::io(Op::Write, &tmp.join(MARKER), e));
        }
        Ok(Publisher {
            out: out.to_path_buf(),
            tmp,
            committed: false,
            in_place: in_place && out.join(MARKER).is_file(),
            previous_bytes,
            made: Default::default(),
            notes,
            written: Default::default(),
            _lock: lock,
        })
    }

    /// Write one file of the new site (`rel` must stay inside it).
    pub(crate) fn write(&self, rel: &Path, content: &[u8]) -> Result<(), Failure> {
        let mut file = self.create(rel)?;
        let path = self.tmp.join(rel);
        file.write_all(content)
            .map_err(|e| Failure::io(Op::Write, &path, e))?;
        self.count(content.len() as u64);
        test_hooks::slow_down();
        Ok(())
    }

    /// Create one file of the new site to write into piece by piece.
    pub(crate) fn create(&self, rel: &Path) -> Result<fs::File, Failure> {
        let path = self.target(rel)?;
        let open = || {
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
        };
        // A file already there may be a hard link into the previous site
        // (an office whose reuse was abandoned): never write through it.
        let file = match open() {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                fs::remove_file(&path).and_then(|()| open())
            }
            other => other,
        };
        file.map_err(|e| Failure::io(Op::Create, &path, e))
    }

    /// Mark the new site with the id of the state that describes it
    /// (`state::State::id`), so that the next build takes the right state
    /// even when this one is killed between the swap and saving the state.
    pub(crate) fn mark(&self, id: &str) -> Result<(), Failure> {
        let path = self.tmp.join(MARKER);
        fs::write(&path, format!("nianbao\n{id}\n")).map_err(|e| Failure::io(Op::Write, &path, e))
    }

    /// Carry a file of the previous site over unchanged: a hard link where
    /// the file system allows, else a copy.
    pub(crate) fn reuse(&self, rel: &Path) -> Result<(), Failure> {
        if self.in_place {
            return Ok(());
        }
        self.link(rel)
    }

    /// The published file `rel` into the new site: a hard link where the
    /// file system allows, else a copy. In place too: for a file in a
    /// folder that is staged as a whole.
    pub(crate) fn link(&self, rel: &Path) -> Result<(), Failure> {
        let path = self.target(rel)?;
        let from = self.published(rel);
        fs::hard_link(&from, &path)
            .or_else(|_| fs::copy(&from, &path).map(|_| ()))
            .map_err(|e| Failure::io(Op::Reuse, &from, e))
    }

    /// Link the published file `rel` into the new site when it already
    /// holds `content`, in place too (for a file in a folder that is
    /// staged as a whole): no new file to make. False when it must be
    /// written.
    pub(crate) fn keep_if_same(&self, rel: &Path, content: &[u8]) -> bool {
        let old = self.published(rel);
        let same = fs::metadata(&old).is_ok_and(|m| m.len() == content.len() as u64)
            && fs::read(&old).is_ok_and(|bytes| bytes == content);
        same && self.link(rel).is_ok()
    }

    fn target(&self, rel: &Path) -> Result<PathBuf, Failure> {
        if !is_safe(rel) {
            return Err(Failure::Internal(Internal::UnsafePath(rel.to_path_buf())));
        }
        let path = self.tmp.join(rel);
        if let Some(dir) = path.parent() {
            let known = self.made.lock().map(|m| m.contains(dir)).unwrap_or(false);
            if !known {
                fs::create_dir_all(dir).map_err(|e| Failure::io(Op::CreateDir, dir, e))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(dir.to_path_buf());
                }
            }
        }
        Ok(path)
    }

    /// Where a file of the previous site is.
    pub(crate) fn published(&self, rel: &Path) -> PathBuf {
        self.out.join(rel)
    }

    /// Count bytes written through [`Publisher::create`].
    pub(crate) fn count(&self, bytes: u64) {
        self.written
            .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    /// Bytes written so far.
    pub(crate) fn written(&self) -> u64 {
        self.written.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// About what the site takes after this build (in place: about what
    /// it took, since what was written replaced as much).
    pub(crate) fn site_bytes(&self) -> u64 {
        if self.in_place {
            self.previous_bytes.max(self.written())
        } else {
            self.written()
        }
    }

    /// Where a file or folder of the new site is staged.
    pub(crate) fn staged(&self, rel: &Path) -> PathBuf {
        self.tmp.join(rel)
    }

    /// Whether unchanged files stay where they are (`journal`).
    pub(crate) fn in_place(&self) -> bool {
        self.in_place
    }

    /// A file of the site as last published, if it is there.
    pub(crate) fn read_published(&self, rel: &Path) -> Option<String> {
        fs::read_to_string(self.published(rel)).ok()
    }

    /// A file of the new site as written, or (in place) as carried over.
    pub(crate) fn read_back(&self, rel: &Path) -> Result<String, Failure> {
        let staged = self.tmp.join(rel);
        let path = if self.in_place && !staged.exists() {
            self.out.join(rel)
        } else {
            staged
        };
        fs::read_to_string(&path).map_err(|e| Failure::io(Op::Read, &path, e))
    }

    /// Swap the new site in, in one step where the system allows, then
    /// remove the old one. What could not be removed is left in `notes`.
    pub(crate) fn commit(mut self, removed: &[PathBuf]) -> Result<Vec<String>, Failure> {
        test_hooks::kill_at("before-swap");
        if self.in_place {
            return self.commit_in_place(removed);
        }
        let old = swap(&self.tmp, &self.out)?;
        self.committed = true;
        test_hooks::kill_at("after-swap");
        if let Some(old) = old
            && let Err(e) = fs::remove_dir_all(&old)
        {
            self.notes.push(format!(
                "旧站点“{}”未能删除：{}；下次构建会再试",
                old.display(),
                crate::diag::io_reason(&e)
            ));
        }
        Ok(std::mem::take(&mut self.notes))
    }

    /// Move what was rebuilt into `out`, journaled (`journal`); the staging
    /// folder, then holding what it replaced, is removed.
    fn commit_in_place(mut self, removed: &[PathBuf]) -> Result<Vec<String>, Failure> {
        use journal;
        // The marker last: it names the state that describes the site.
        let last = ["index.html", crate::output::search::MANIFEST, MARKER];
        let j = journal::Journal {
            staging: self.tmp.clone(),
            steps: journal::steps(&self.tmp, removed, &last),
        };
        journal::write(&j, &self.out)?;
        journal::apply(&j, &self.out).inspect_err(|_| {
            let _ = fs::remove_file(journal::path(&self.out));
        })?;
        // Where the system has no exchange, the staging folder lost its
        // marker to `out`: mark it again, while the journal still guards
        // it, so that a build killed before removing it cleans it up.
        let _ = mark_ours(&self.tmp);
        let committed = journal::path(&self.out);
        fs::remove_file(&committed).map_err(|e| Failure::io(Op::Remove, &committed, e))?;
        self.committed = true;
        test_hooks::kill_at("after-swap");
        if let Err(e) = fs::remove_dir_all(&self.tmp) {
            self.notes.push(format!(
                "临时目录“{}”未能删除：{}；下次构建会再试",
                self.tmp.display(),
                crate::diag::io_reason(&e)
            ));
        }
        Ok(std::mem::take(&mut self.notes))
    }
}

/// Put nianbao's marker in `dir`: a folder [`recover`] may clean up.
fn mark_ours(dir: &Path) -> std::io::Result<()> {
    fs::write(dir.join(MARKER), "nianbao\n")
}

/// Whether `out` may be used as the site folder: absent, empty, or made by
/// nianbao (it holds the marker), and not a mount point.
pub(crate) fn check_usable(out: &Path) -> Result<(), Failure> {
    let Ok(meta) = fs::symlink_metadata(out) else {
        return Ok(());
    };
    let owned = out.join(MARKER).is_file();
    let empty = fs::read_dir(out).is_ok_and(|mut d| d.next().is_none());
    if !meta.is_dir() || (!owned && !empty) {
        return Err(Failure::Refused(Refusal::NotOurs(out.to_path_buf())));
    }
    if is_mount_point(out, &meta) {
        return Err(Failure::Refused(Refusal::MountPoint(out.to_path_buf())));
    }
    Ok(())
}

#[cfg(unix)]
fn is_mount_point(path: &Path, meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    path.parent()
        .and_then(|p| fs::metadata(p).ok())
        .is_some_and(|parent| parent.dev() != meta.dev())
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path, _: &fs::Metadata) -> bool {
    false
}

/// Refuse to start when the disk cannot hold the new site beside the old.
fn check_space(dir: &Path, previous_bytes: u64) -> Result<(), Failure> {
    let need = previous_bytes.saturating_add(SPARE_BYTES);
    match free_bytes(dir) {
        Some(free) if free < need => Err(Failure::Refused(Refusal::NoSpace {
            dir: dir.to_path_buf(),
            free,
            need,
        })),
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn free_bytes(dir: &Path) -> Option<u64> {
    let s = rustix::fs::statvfs(dir).ok()?;
    Some(s.f_bavail.saturating_mul(s.f_frsize))
}

#[cfg(not(unix))]
fn free_bytes(_: &Path) -> Option<u64> {
    None
}

/// Put the folder `new` at `out`. Returns where the old site now is, to be
/// removed. On Linux an existing `out` is exchanged with `new` in one step.
/// A folder that cannot be renamed because a file in it is open (Windows:
/// IIS or a browser holding a page) is tried again for a few seconds, then
/// left as it was.
fn swap(new: &Path, out: &Path) -> Result<Option<PathBuf>, Failure> {
    if !out.exists() {
        retry(|| rename(new, out)).map_err(|e| publish_failed(out, e))?;
        return Ok(None);
    }
    #[cfg(target_os = "linux")]
    {
        let exchange = || {
            test_hooks::busy()?;
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            renameat_with(CWD, new, CWD, out, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
        };
        let unsupported =
            [rustix::io::Errno::INVAL, rustix::io::Errno::NOSYS].map(|e| Some(e.raw_os_error()));
        match retry(exchange) {
            // `new` now holds the old site.
            Ok(()) => return Ok(Some(new.to_path_buf())),
            // A file system without the exchange: two renames instead.
            Err(e) if unsupported.contains(&e.raw_os_error()) => {}
            Err(e) => return Err(publish_failed(out, e)),
        }
    }
    let old = sibling(out, &format!("old-{}", std::process::id()));
    retry(|| rename(out, &old)).map_err(|e| publish_failed(out, e))?;
    if let Err(e) = retry(|| rename(new, out)) {
        let _ = fs::rename(&old, out);
        return Err(publish_failed(out, e));
    }
    Ok(Some(old))
}

fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    test_hooks::busy()?;
    fs::rename(from, to)
}

/// A rename tried again while the target is busy (`retry`).
pub(crate) fn rename_retrying(from: &Path, to: &Path) -> std::io::Result<()> {
    retry(|| rename(from, to))
}

pub(crate) fn kill_at(step: &str) {
    test_hooks::kill_at(step);
}

/// A folder held open by another program: access denied, or Windows'
/// sharing violation (32) and lock violation (33).
fn is_busy(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ResourceBusy
    ) || (cfg!(windows) && matches!(e.raw_os_error(), Some(32 | 33)))
}

/// Try again while the target is busy: 20 times over about 4 seconds.
fn retry(mut op: impl FnMut() -> std::io::Result<()>) -> std::io::Result<()> {
    let mut wait = std::time::Duration::from_millis(50);
    for _ in 0..19 {
        match op() {
            Err(e) if is_busy(&e) => {
                std::thread::sleep(wait);
                wait = (wait * 3 / 2).min(std::time::Duration::from_millis(500));
            }
            other => return other,
        }
    }
    op()
}

pub(crate) fn publish_failed(out: &Path, e: std::io::Error) -> Failure {
    if is_busy(&e) {
        Failure::Refused(Refusal::Busy {
            out: out.to_path_buf(),
            source: e,
        })
    } else {
        Failure::io(Op::Publish, out, e)
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Hooks for the interruption tests, each read once from the environment.
mod test_hooks {
    use std::sync::OnceLock;

    /// `NIANBAO_TEST_SLOW_WRITE_MS` (tests/cli.rs) widens the window in
    /// which a test kills a build mid-write.
    pub(super) fn slow_down() {
        static DELAY: OnceLock<Option<std::time::Duration>> = OnceLock::new();
        let delay = DELAY.get_or_init(|| {
            std::env::var("NIANBAO_TEST_SLOW_WRITE_MS")
                .ok()
                .and_then(|s| s.parse::<u64>().ok())
                .map(std::time::Duration::from_millis)
        });
        if let Some(d) = delay {
            std::thread::sleep(*d);
        }
    }

    /// `NIANBAO_TEST_BUSY_RENAMES=<n>` (tests/windows.rs): the first n
    /// renames of the publish fail as a folder held open on Windows does.
    pub(super) fn busy() -> std::io::Result<()> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static LEFT: OnceLock<AtomicU64> = OnceLock::new();
        let left = LEFT.get_or_init(|| {
            let n = std::env::var("NIANBAO_TEST_BUSY_RENAMES")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            AtomicU64::new(n)
        });
        match left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)) {
            Ok(_) => Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied)),
            Err(_) => Ok(()),
        }
    }

    /// `NIANBAO_TEST_KILL_AT=<step>` (tests/reliability.rs) ends the
    /// process at that step of the publish, as a kill would.
    pub(super) fn kill_at(step: &str) {
        static AT: OnceLock<Option<String>> = OnceLock::new();
        let at = AT.get_or_init(|| std::env::var("NIANBAO_TEST_KILL_AT").ok());
        if at.as_deref() == Some(step) {
            std::process::abort();
        }
    }
}

/// Write `files` (name, text) into `dir`, made if it is not there; the
/// number written. A file of that name already there is never replaced:
/// all of them are named and nothing is written.
pub(crate) fn export(dir: &Path, files: &[(&str, &str)]) -> Result<usize, Failure> {
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    create_new(dir, &files, "模板")
}

/// Write new files (a path relative to `dir` with its folders, and the
/// text) for `nianbao new`, `templates export` and `import`. A file
/// already there is never replaced: all of them are named and nothing is
/// written. `what` names the files in the message.
pub(crate) fn create_new(
    dir: &Path,
    files: &[(String, String)],
    what: &'static str,
) -> Result<usize, Failure> {
    if let Some((name, _)) = files.iter().find(|(n, _)| !is_safe(Path::new(n))) {
        return Err(Failure::Internal(Internal::UnsafePath(name.into())));
    }
    // Anything there is taken: a link too, even one to nothing (writing
    // through it would create its target, wherever it points).
    let taken: Vec<String> = files
        .iter()
        .filter(|(name, _)| fs::symlink_metadata(dir.join(name)).is_ok())
        .map(|(name, _)| name.clone())
        .collect();
    if !taken.is_empty() {
        return Err(Failure::Usage(Usage::NamesTaken {
            dir: dir.to_path_buf(),
            what,
            names: taken,
        }));
    }
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Failure::io(Op::CreateDir, parent, e))?;
        }
        // Created new: never through a link put there meanwhile.
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            .map_err(|e| Failure::io(Op::WriteFile, &path, e))?;
    }
    Ok(files.len())
}

/// Replace a data file with `bytes`, keeping the old one beside it as
/// `<name>.bak` (or the first of `.bak.1`, `.bak.2` … not there yet: a
/// backup is never overwritten) for `nianbao import`: never a lost file.
/// The new bytes are written to a temporary file first and renamed over
/// the old.
pub(crate) fn replace_keeping(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Failure::io(Op::CreateDir, parent, e))?;
    }
    let tmp = sibling(path, "new");
    fs::write(&tmp, bytes).map_err(|e| Failure::io(Op::WriteFile, &tmp, e))?;
    if path.exists() {
        let kept = backup(path);
        if kept.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        kept?;
    }
    rename(&tmp, path).map_err(|e| Failure::io(Op::WriteFile, path, e))
}

/// Copy `path` to a backup name not taken yet, created exclusively (two
/// imports at once never write the same one).
fn backup(path: &Path) -> Result<PathBuf, Failure> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut from = fs::File::open(path).map_err(|e| Failure::io(Op::Backup, path, e))?;
    for n in 0..10_000 {
        let bak = match n {
            0 => path.with_file_name(format!("{name}.bak")),
            n => path.with_file_name(format!("{name}.bak.{n}")),
        };
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&bak)
        {
            Ok(mut to) => {
                let copied = std::io::copy(&mut from, &mut to).and_then(|_| to.sync_all());
                return match copied {
                    Ok(()) => Ok(bak),
                    Err(e) => {
                        let _ = fs::remove_file(&bak);
                        Err(Failure::io(Op::Backup, &bak, e))
                    }
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Failure::io(Op::Backup, &bak, e)),
        }
    }
    let bak = path.with_file_name(format!("{name}.bak.10000"));
    Err(Failure::io(
        Op::Backup,
        &bak,
        std::io::ErrorKind::AlreadyExists.into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_unsafe_paths() {
        assert!(is_safe(Path::new("a/b.html")));
        assert!(!is_safe(Path::new("../x")));
        assert!(!is_safe(Path::new("/etc/x")));
        assert!(!is_safe(Path::new("")));
    }

    #[test]
    fn replaces_own_site_and_refuses_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let p = Publisher::begin(&out, 0, false).unwrap();
        p.write(Path::new("a.txt"), b"1").unwrap();
        p.commit(&[]).unwrap();
        let p = Publisher::begin(&out, 0, false).unwrap();
        p.write(Path::new("b.txt"), b"2").unwrap();
        p.commit(&[]).unwrap();
        assert!(!out.join("a.txt").exists());
        assert_eq!(fs::read_to_string(out.join("b.txt")).unwrap(), "2");

        // Dropped without a commit: nothing changes.
        let p = Publisher::begin(&out, 0, false).unwrap();
        p.write(Path::new("c.txt"), b"3").unwrap();
        assert!(p.write(Path::new("../escape.txt"), b"x").is_err());
        drop(p);
        assert!(!out.join("c.txt").exists());
        assert!(!dir.path().join("escape.txt").exists());

        let foreign = dir.path().join("docs");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("keep.txt"), "mine").unwrap();
        let err = Publisher::begin(&foreign, 0, false).err().unwrap();
        assert!(err.message().contains("不会覆盖"), "{err:?}");
        assert_eq!(
            fs::read_to_string(foreign.join("keep.txt")).unwrap(),
            "mine"
        );
    }
}
