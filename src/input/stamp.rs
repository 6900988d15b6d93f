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
