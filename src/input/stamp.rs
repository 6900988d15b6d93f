//! Stamps: what the file system says of a data file or folder without
//! reading it (size, modification and change times, inode), to tell that
//! it did not change since the last build — git's "racily clean" rule.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Nanoseconds since 1970.
pub(crate) fn since_epoch(t: std::time::SystemTime) -> Option<u128> {
    Some(t.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos())
}

/// What the file system says of a file, without reading it. Saved as a
/// list rather than an object (`["2017/funds.yaml",1257,…]`): at 10,000
/// reports the field names alone were 3.7 of the state's 17.8 MB, read by
/// every build and written by every one that changes something.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StampList", into = "StampList")]
pub(crate) struct Stamp {
    /// Relative to the office's folder (the state names the data folder
    /// once).
    path: PathBuf,
    len: u64,
    modified: u128,
    changed: u128,
    inode: u64,
}

/// An office's stamps: of its folders (the office's and its years', as
/// [`super::discover_since`] takes them) and of its files.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamps {
    pub(crate) folders: Vec<Stamp>,
    pub(crate) files: Vec<Stamp>,
}

/// A [`Stamp`] as the state saves it: path, length, modified, changed,
/// inode.
type StampList = (PathBuf, u64, u128, u128, u64);

impl From<StampList> for Stamp {
    fn from((path, len, modified, changed, inode): StampList) -> Stamp {
        Stamp {
            path,
            len,
            modified,
            changed,
            inode,
        }
    }
}

impl From<Stamp> for StampList {
    fn from(s: Stamp) -> StampList {
        (s.path, s.len, s.modified, s.changed, s.inode)
    }
}

impl Stamp {
    /// The stamp of `path`, named relative to `dir`.
    pub(crate) fn of(path: &Path, dir: &Path) -> Stamp {
        let meta = fs::metadata(path).ok();
        let nanos =
            |t: std::io::Result<std::time::SystemTime>| t.ok().and_then(since_epoch).unwrap_or(0);
        let (changed, inode) = meta.as_ref().map_or((0, 0), change_and_inode);
        Stamp {
            path: crate::paths::under(path, dir)
                .or_else(|| path.strip_prefix(dir).ok())
                .unwrap_or(path)
                .to_path_buf(),
            len: meta.as_ref().map_or(u64::MAX, fs::Metadata::len),
            modified: meta.as_ref().map_or(0, |m| nanos(m.modified())),
            changed,
            inode,
        }
    }

    /// The path, relative to the office's folder.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Touched so close to `since` that the file system's clock may hide an
    /// edit made after the stamp was taken. File systems that keep whole
    /// seconds (FAT's two, ext3, HFS+) write times without nanoseconds: 3 s
    /// of slack. One that keeps nanoseconds moves on with the kernel's clock
    /// tick (at most 10 ms): 50 ms. (3 s everywhere made every build within
    /// 3 s of a change, as after a copy or a `touch`, read every file again.)
    pub(crate) fn racy(&self, since: u128) -> bool {
        const COARSE: u128 = 3_000_000_000;
        const FINE: u128 = 50_000_000;
        let t = self.modified.max(self.changed);
        let slack = if t.is_multiple_of(1_000_000_000) {
            COARSE
        } else {
            FINE
        };
        t + slack >= since
    }
}

/// A folder to stamp many files in. On Linux it is held open (`O_PATH`) and
/// each stamp looks its file up from it: from the root, the kernel walked
/// the same five or six path components again for each of the 110,000
/// stamps of a rebuild at 10,000 reports, a quarter of its time.
pub(crate) struct Folder<'a> {
    path: &'a Path,
    #[cfg(target_os = "linux")]
    fd: Option<rustix::fd::OwnedFd>,
}

impl<'a> Folder<'a> {
    pub(crate) fn open(path: &'a Path) -> Folder<'a> {
        Folder {
            path,
            #[cfg(target_os = "linux")]
            fd: {
                use rustix::fs::{Mode, OFlags};
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::open(path, flags, Mode::empty()).ok()
            },
        }
    }

    pub(crate) fn path(&self) -> &Path {
        self.path
    }

    /// The stamp of `rel`, a path in this folder, as [`Stamp::of`] gives
    /// it.
    pub(crate) fn stamp(&self, rel: &Path) -> Stamp {
        #[cfg(target_os = "linux")]
        if let Some(s) = self.fd.as_ref().and_then(|fd| statx_stamp(fd, rel)) {
            return s;
        }
        Stamp::of(&self.path.join(rel), self.path)
    }

    /// The modification time of `rel`, a path in this folder, in
    /// nanoseconds.
    pub(crate) fn modified(&self, rel: &Path) -> Option<u128> {
        #[cfg(target_os = "linux")]
        if let Some(s) = self.fd.as_ref().and_then(|fd| statx_stamp(fd, rel)) {
            return Some(s.modified);
        }
        since_epoch(fs::metadata(self.path.join(rel)).ok()?.modified().ok()?)
    }
}

/// `statx` from the folder; `None` when it fails (a missing file, or a
/// kernel without `statx`: `std` then says what it says).
#[cfg(target_os = "linux")]
fn statx_stamp(fd: &rustix::fd::OwnedFd, rel: &Path) -> Option<Stamp> {
    use rustix::fs::{AtFlags, StatxFlags, StatxTimestamp};
    let flags = match rel.as_os_str().is_empty() {
        true => AtFlags::EMPTY_PATH,
        false => AtFlags::empty(),
    };
    let mask = StatxFlags::SIZE | StatxFlags::MTIME | StatxFlags::CTIME | StatxFlags::INO;
    let st = rustix::fs::statx(fd, rel, flags, mask).ok()?;
    let nanos = |t: StatxTimestamp| {
        u128::try_from(t.tv_sec)
            .ok()?
            .checked_mul(1_000_000_000)?
            .checked_add(u128::from(t.tv_nsec))
    };
    Some(Stamp {
        path: rel.to_path_buf(),
        len: st.stx_size,
        modified: nanos(st.stx_mtime).unwrap_or(0),
        changed: nanos(st.stx_ctime).unwrap_or(0),
        inode: st.stx_ino,
    })
}

#[cfg(unix)]
fn change_and_inode(m: &fs::Metadata) -> (u128, u64) {
    use std::os::unix::fs::MetadataExt;
    let ns = u128::try_from(m.ctime()).unwrap_or(0) * 1_000_000_000
        + u128::try_from(m.ctime_nsec()).unwrap_or(0);
    (ns, m.ino())
}

#[cfg(not(unix))]
fn change_and_inode(_: &fs::Metadata) -> (u128, u64) {
    (0, 0)
}

/// Whether an office's stamps now are those of the last build, none of them
/// racy, so its fingerprint can be kept without reading its files.
pub(crate) fn trusted(then: &[Stamp], now: &[Stamp], built_at: u128) -> bool {
    then == now && now.iter().all(|s| !s.racy(built_at) && s.changed != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(modified: u128) -> Stamp {
        Stamp {
            path: PathBuf::from("2020/funds.yaml"),
            len: 1,
            modified,
            changed: modified,
            inode: 1,
        }
    }

    #[test]
    fn racy_within_the_clock_of_the_file_system() {
        const S: u128 = 1_000_000_000;
        let build = 1_800_000_000 * S;
        // Whole seconds (FAT, ext3): an edit within 3 s may not show.
        assert!(stamp(build - 2 * S).racy(build));
        assert!(!stamp(build - 4 * S).racy(build));
        // Nanoseconds: only within the clock tick.
        assert!(stamp(build - 20_000_001).racy(build));
        assert!(!stamp(build - S / 10 - 1).racy(build));
        assert!(!stamp(build - 2 * S - 1).racy(build));
    }
}
