//! Stage 5, site: write the rendered files to `output/` atomically.
//!
//! The site is written into a fresh folder beside `output/` and swapped in
//! only when every file is written, so a failed or interrupted build leaves
//! the previous site as it was. nianbao only replaces a folder it made
//! itself (it carries a marker file), and a lock file keeps two builds from
//! publishing at once.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::diag::Failure;

/// Marks an output folder as nianbao's own.
pub(crate) const MARKER: &str = ".nianbao-site";

fn io_err(what: &str, path: &Path, e: &std::io::Error) -> Failure {
    Failure::io(what, path, e)
}

/// An output failure with what to do about it.
fn refused(message: String, hint: impl std::fmt::Display) -> Failure {
    Failure::Io(format!("{message}\n提示：{hint}"))
}

/// A relative path with only normal components: nothing can climb out.
fn is_safe(rel: &Path) -> bool {
    rel.components().all(|c| matches!(c, Component::Normal(_))) && rel.components().next().is_some()
}

/// Holds the lock for the duration of a publish.
struct Lock(PathBuf);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().to_string());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// Create the lock file with our process id. A lock left by a build that
/// was killed (its process is gone) is taken over; where that cannot be
/// told (no `/proc`), the lock stands.
fn take_lock(path: &Path) -> std::io::Result<Lock> {
    let create = || {
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map(|mut f| {
                let _ = writeln!(f, "{}", std::process::id());
                Lock(path.to_path_buf())
            })
    };
    match create() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let holder = fs::read_to_string(path).unwrap_or_default();
            let stale = holder.trim().parse::<u32>().is_ok_and(|pid| {
                Path::new("/proc/self").exists()
                    && !Path::new("/proc").join(pid.to_string()).exists()
            });
            if stale {
                fs::remove_file(path)?;
                create()
            } else {
                Err(e)
            }
        }
        other => other,
    }
}

/// Clean up after a build that was killed: a half-written new site is
/// removed; a previous site moved aside but not replaced is put back. Only
/// folders carrying nianbao's marker are touched.
fn recover(out: &Path) -> Result<(), Failure> {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return Ok(());
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
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
        if !path.join(MARKER).is_file() {
            continue;
        }
        if rest.starts_with("old-") && !out.exists() {
            fs::rename(&path, out).map_err(|e| io_err("恢复旧站点", &path, &e))?;
        } else if rest.starts_with("tmp-") || rest.starts_with("old-") {
            fs::remove_dir_all(&path).map_err(|e| io_err("清理中断构建留下的目录", &path, &e))?;
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
    /// Folders already made in the new site (saves a mkdir per file).
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    _lock: Lock,
}

impl Publisher {
    /// Take the lock, clean up after a killed build, check that `out` is
    /// ours to replace, and create the folder the new site is written to.
    pub(crate) fn begin(out: &Path) -> Result<Publisher, Failure> {
        let out = if out.as_os_str().is_empty() {
            Path::new(".")
        } else {
            out
        };
        if out.file_name().is_none() {
            return Err(refused(
                format!("输出目录“{}”不可用", out.display()),
                "用 --out 指定一个专用的输出文件夹，如 output",
            ));
        }
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| io_err("创建目录", parent, &e))?;
        }
        let lock_path = sibling(out, "lock");
        let lock = match take_lock(&lock_path) {
            Ok(lock) => lock,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(refused(
                    format!("另一个 nianbao 正在写入“{}”", out.display()),
                    format_args!(
                        "等它结束后再试；若确认没有别的构建在运行（上次被强行中断），删除“{}”",
                        lock_path.display()
                    ),
                ));
            }
            Err(e) => return Err(io_err("创建锁文件", &lock_path, &e)),
        };
        recover(out)?;
        if out.exists() {
            let owned = out.join(MARKER).is_file();
            let empty = fs::read_dir(out)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !out.is_dir() || (!owned && !empty) {
                return Err(refused(
                    format!(
                        "“{}”已存在且不是 nianbao 生成的站点，不会覆盖",
                        out.display()
                    ),
                    "换一个输出目录（--out），或先把这个文件夹移走",
                ));
            }
        }
        let tmp = sibling(out, &format!("tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| io_err("清理临时目录", &tmp, &e))?;
        }
        fs::create_dir_all(&tmp).map_err(|e| io_err("创建目录", &tmp, &e))?;
        fs::write(tmp.join(MARKER), "nianbao\n")
            .map_err(|e| io_err("写入", &tmp.join(MARKER), &e))?;
        Ok(Publisher {
            out: out.to_path_buf(),
            tmp,
            committed: false,
            made: Default::default(),
            _lock: lock,
        })
    }

    /// Write one file of the new site (`rel` must stay inside it).
    pub(crate) fn write(&self, rel: &Path, content: &[u8]) -> Result<(), Failure> {
        let mut file = self.create(rel)?;
        let path = self.tmp.join(rel);
        file.write_all(content)
            .map_err(|e| io_err("写入", &path, &e))?;
        slow_down_for_tests();
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
        file.map_err(|e| io_err("创建", &path, &e))
    }

    /// Carry a file of the previous site over unchanged: a hard link where
    /// the file system allows, else a copy.
    pub(crate) fn reuse(&self, rel: &Path) -> Result<(), Failure> {
        let path = self.target(rel)?;
        let from = self.out.join(rel);
        fs::hard_link(&from, &path)
            .or_else(|_| fs::copy(&from, &path).map(|_| ()))
            .map_err(|e| io_err("复用", &from, &e))
    }

    fn target(&self, rel: &Path) -> Result<PathBuf, Failure> {
        if !is_safe(rel) {
            return Err(Failure::Internal(format!(
                "拒绝写入不安全的路径“{}”",
                rel.display()
            )));
        }
        let path = self.tmp.join(rel);
        if let Some(dir) = path.parent() {
            let known = self.made.lock().map(|m| m.contains(dir)).unwrap_or(false);
            if !known {
                fs::create_dir_all(dir).map_err(|e| io_err("创建目录", dir, &e))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(dir.to_path_buf());
                }
            }
        }
        Ok(path)
    }

    /// Where the new site is being written (to read back what was written).
    pub(crate) fn staging(&self) -> &Path {
        &self.tmp
    }

    /// Swap the new site in: the old one aside, the new one in, the old one
    /// removed.
    pub(crate) fn commit(mut self) -> Result<(), Failure> {
        let out = self.out.clone();
        let old = sibling(&out, &format!("old-{}", std::process::id()));
        let had_old = out.exists();
        if had_old {
            fs::rename(&out, &old).map_err(|e| io_err("移开旧站点", &out, &e))?;
        }
        if let Err(e) = fs::rename(&self.tmp, &out) {
            if had_old {
                let _ = fs::rename(&old, &out);
            }
            return Err(io_err("发布站点到", &out, &e));
        }
        self.committed = true;
        if had_old {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// The interruption test (tests/cli.rs) sets `NIANBAO_TEST_SLOW_WRITE_MS`
/// to widen the window in which it kills a build mid-write. Read once.
fn slow_down_for_tests() {
    static DELAY: std::sync::OnceLock<Option<std::time::Duration>> = std::sync::OnceLock::new();
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
        let p = Publisher::begin(&out).unwrap();
        p.write(Path::new("a.txt"), b"1").unwrap();
        p.commit().unwrap();
        let p = Publisher::begin(&out).unwrap();
        p.write(Path::new("b.txt"), b"2").unwrap();
        p.commit().unwrap();
        assert!(!out.join("a.txt").exists());
        assert_eq!(fs::read_to_string(out.join("b.txt")).unwrap(), "2");

        // Dropped without a commit: nothing changes.
        let p = Publisher::begin(&out).unwrap();
        p.write(Path::new("c.txt"), b"3").unwrap();
        assert!(p.write(Path::new("../escape.txt"), b"x").is_err());
        drop(p);
        assert!(!out.join("c.txt").exists());
        assert!(!dir.path().join("escape.txt").exists());

        let foreign = dir.path().join("docs");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("keep.txt"), "mine").unwrap();
        let err = Publisher::begin(&foreign).err().unwrap();
        assert!(err.message().contains("不会覆盖"), "{err:?}");
        assert_eq!(
            fs::read_to_string(foreign.join("keep.txt")).unwrap(),
            "mine"
        );
    }
}
