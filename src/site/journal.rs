//! Publishing a rebuild in place: when most offices are unchanged, only
//! what was rebuilt is moved into the published site, so a rebuild costs
//! what changed, not the size of the site.
//!
//! Every unit moves in one rename: an office's folder, a search partition's
//! folder, or one of the site's own files. On Linux a unit that is already
//! there is exchanged with the new one (`renameat2(RENAME_EXCHANGE)`), so a
//! reader finds the old office or the new one, never neither; elsewhere the
//! old unit is moved aside first (a moment without it). Offices go first,
//! then the search partitions, then the site's files with the index and the
//! build state last: a reader sees old and new offices side by side for the
//! milliseconds of the moves, each of them whole.
//!
//! Before the first move the steps are written to a journal beside the
//! output (with the inode of each new unit); what a unit replaced stays in
//! the staging folder. Removing the journal is the commit. A build that
//! fails during the moves undoes them at once; one that is killed is undone
//! by the next build (or check of the output) from the journal, which finds
//! from the file system which steps were done. Either way the previous
//! site comes back byte for byte.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::{Failure, Internal, Op};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Journal {
    /// The staging folder: the new units, then what they replaced.
    pub(crate) staging: PathBuf,
    pub(crate) steps: Vec<Step>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Step {
    /// Relative to the site (and to the staging folder).
    pub(crate) rel: PathBuf,
    /// Take the unit out of the site (an office no longer in the data).
    pub(crate) remove: bool,
    /// The new unit's inode (0 where there are none): after an exchange,
    /// the site holds it.
    pub(crate) inode: u64,
}

impl Journal {
    /// Where an old unit is moved aside (no exchange, or a removal).
    fn aside(&self, i: usize) -> PathBuf {
        self.staging.join(".aside").join(i.to_string())
    }
}

/// The units of a staging folder, in the order they move: office folders
/// (top-level folders other than the site's own), search partition folders
/// (`search/<p>`), then every other file, `index.html`, the manifest and
/// the build state last; then `removed`.
pub(crate) fn steps(staging: &Path, removed: &[PathBuf], last: &[&str]) -> Vec<Step> {
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    let own = ["static", "search", ".nianbao"];
    for e in list(staging) {
        let name = e.file_name().map(|n| n.to_string_lossy().to_string());
        let name = name.unwrap_or_default();
        if e.is_dir() && !own.contains(&name.as_str()) {
            dirs.push(PathBuf::from(&name));
        }
    }
    for e in list(&staging.join("search")) {
        if e.is_dir()
            && let Some(n) = e.file_name()
        {
            dirs.push(Path::new("search").join(n));
        }
    }
    for dir in [Path::new(""), Path::new("search")] {
        for e in list(&staging.join(dir)) {
            if e.is_file()
                && let Some(n) = e.file_name()
            {
                files.push(dir.join(n));
            }
        }
    }
    for dir in ["static", ".nianbao"] {
        for e in walkdir::WalkDir::new(staging.join(dir))
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file()
                && let Ok(rel) = e.path().strip_prefix(staging)
            {
                files.push(rel.to_path_buf());
            }
        }
    }
    files.sort_by_key(|f| {
        let at = last.iter().position(|l| Path::new(l) == f);
        (at.is_some(), at, f.clone())
    });
    dirs.sort();
    let moved = dirs.into_iter().chain(files).map(|rel| Step {
        inode: inode(&staging.join(&rel)),
        rel,
        remove: false,
    });
    let removals = removed.iter().map(|rel| Step {
        rel: rel.clone(),
        remove: true,
        inode: 0,
    });
    moved.chain(removals).collect()
}

fn list(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[cfg(unix)]
fn inode(p: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(p).map_or(0, |m| m.ino())
}

#[cfg(not(unix))]
fn inode(_: &Path) -> u64 {
    0
}

/// Carry out the journal's steps in `out`; on an error, undo those done.
pub(crate) fn apply(j: &Journal, out: &Path) -> Result<(), Failure> {
    for (i, s) in j.steps.iter().enumerate() {
        if let Err(e) = apply_step(j, i, s, out) {
            undo(j, out);
            return Err(super::publish_failed(&out.join(&s.rel), e));
        }
        if i == 0 {
            super::kill_at("mid-swap");
        }
    }
    Ok(())
}

fn apply_step(j: &Journal, i: usize, s: &Step, out: &Path) -> std::io::Result<()> {
    let dst = out.join(&s.rel);
    let new = j.staging.join(&s.rel);
    let there = fs::symlink_metadata(&dst).is_ok();
    if s.remove {
        if there {
            let aside = j.aside(i);
            fs::create_dir_all(aside.parent().unwrap_or(&j.staging))?;
            super::rename_retrying(&dst, &aside)?;
        }
        return Ok(());
    }
    if !there {
        if let Some(parent) = dst.parent() {
            fs::create_dir_all(parent)?;
        }
        return super::rename_retrying(&new, &dst);
    }
    if exchange(&new, &dst)? {
        return Ok(());
    }
    let aside = j.aside(i);
    fs::create_dir_all(aside.parent().unwrap_or(&j.staging))?;
    super::rename_retrying(&dst, &aside)?;
    super::rename_retrying(&new, &dst)
}

/// Exchange two paths in one step; `false` where the system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Undo whatever of the journal was done, last step first, finding from
/// the file system what was: an old unit aside goes back; a unit exchanged
/// (the site holds the new inode) is exchanged back; a new unit that had
/// nothing to replace goes back to the staging folder.
fn undo(j: &Journal, out: &Path) {
    for (i, s) in j.steps.iter().enumerate().rev() {
        let dst = out.join(&s.rel);
        let new = j.staging.join(&s.rel);
        let aside = j.aside(i);
        if fs::symlink_metadata(&aside).is_ok() {
            if !s.remove && fs::symlink_metadata(&dst).is_ok() {
                let _ = fs::rename(&dst, &new);
            }
            let _ = fs::rename(&aside, &dst);
        } else if !s.remove && s.inode != 0 && inode(&dst) == s.inode {
            if fs::symlink_metadata(&new).is_ok() {
                let _ = exchange(&new, &dst);
            } else {
                let _ = fs::rename(&dst, &new);
            }
        } else if !s.remove && fs::symlink_metadata(&new).is_err() && s.inode == 0 {
            // No inodes (Windows): a new unit in the site and none staged
            // was moved in where there was nothing.
            let _ = fs::rename(&dst, &new);
        }
    }
}

/// The journal's file, beside the output.
pub(crate) fn path(out: &Path) -> PathBuf {
    super::sibling(out, "journal")
}

pub(crate) fn write(j: &Journal, out: &Path) -> Result<(), Failure> {
    let p = path(out);
    let text =
        serde_json::to_vec(j).map_err(|e| Failure::Internal(Internal::State(e.to_string())))?;
    let tmp = super::sibling(out, "journal-new");
    fs::write(&tmp, text)
        .and_then(|()| fs::rename(&tmp, &p))
        .map_err(|e| Failure::io(Op::Write, &p, e))
}

/// A killed build's journal, undone; `true` if there was one.
pub(crate) fn recover(out: &Path) -> Result<bool, Failure> {
    let _ = fs::remove_file(super::sibling(out, "journal-new"));
    let p = path(out);
    let Ok(text) = fs::read(&p) else {
        return Ok(false);
    };
    if let Ok(j) = serde_json::from_slice::<Journal>(&text) {
        undo(&j, out);
    }
    fs::remove_file(&p).map_err(|e| Failure::io(Op::Remove, &p, e))?;
    Ok(true)
}
