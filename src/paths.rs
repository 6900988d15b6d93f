//! Every path a command uses, resolved once (as ripgrep turns its raw
//! arguments into validated ones): the data folder, the output folder, the
//! office's own templates and the build state. Commands take a [`Paths`]
//! and never join or canonicalize a path of their own, so `build`, `check`
//! and `serve` agree on every folder whatever the user typed (`--data .`,
//! `--data ..`, a relative or absolute path, a linked folder).

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::{Failure, Usage};

/// The build state's name beside the output folder (`.output.state` for
/// `output/`): outside the published site, since it holds the texts of
/// data files with findings (draft years included) and the data folder's
/// absolute path, which no reader of the site may see.
fn state_of(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().to_string());
    out.with_file_name(format!(".{name}.state"))
}

/// The folders of one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Paths {
    /// The data folder as the user wrote it: findings show their files
    /// under it, as typed (`data/xx-qu/2017/funds.yaml`).
    pub(crate) data: PathBuf,
    /// The same folder absolute, links resolved: what the state records and
    /// what the templates are found beside.
    pub(crate) data_real: PathBuf,
    /// The output folder absolute, links followed to the folder they name
    /// (the site goes where a link points; the link stays).
    pub(crate) out: PathBuf,
    /// The office's own templates: `--templates`, or `templates/` beside the
    /// data folder when there is one.
    pub(crate) templates: Option<PathBuf>,
    /// The build state of the site in `out`.
    pub(crate) state: PathBuf,
}

impl Paths {
    /// The paths of a command that reads the data only (`check`, `names`,
    /// `new`, `import`): no output folder is involved.
    pub(crate) fn of_data(data: &Path) -> Paths {
        Paths::of_data_in(&cwd(), data)
    }

    fn of_data_in(cwd: &Path, data: &Path) -> Paths {
        let data_real = resolve_in(cwd, data);
        let templates = beside(&data_real);
        let out = PathBuf::new();
        Paths {
            data: data.to_path_buf(),
            data_real,
            state: state_of(&out),
            out,
            templates,
        }
    }

    /// The paths of a build (`build`, `serve`): an output folder that would
    /// hold or replace the data, and a templates folder that is not there,
    /// are refused before any work.
    pub(crate) fn of_site(
        data: &Path,
        out: &Path,
        templates: Option<&Path>,
    ) -> Result<Paths, Failure> {
        Paths::of_site_in(&cwd(), data, out, templates)
    }

    fn of_site_in(
        cwd: &Path,
        data: &Path,
        out: &Path,
        templates: Option<&Path>,
    ) -> Result<Paths, Failure> {
        let mut paths = Paths::of_data_in(cwd, data);
        paths.out = resolve_in(cwd, out);
        paths.state = state_of(&paths.out);
        overlap(&paths.data_real, &paths.out)?;
        if let Some(dir) = templates {
            let dir = resolve_in(cwd, dir);
            if !dir.is_dir() {
                return Err(Failure::Usage(Usage::TemplatesDir(dir)));
            }
            paths.templates = Some(dir);
        }
        Ok(paths)
    }

    /// The folders whose changes `serve` rebuilds on: the data and the
    /// templates in use.
    pub(crate) fn watched(&self) -> Vec<PathBuf> {
        std::iter::once(self.data_real.clone())
            .chain(self.templates.clone())
            .collect()
    }
}

/// `templates/` beside a data folder, if there is one.
fn beside(data_real: &Path) -> Option<PathBuf> {
    let dir = data_real.parent()?.join("templates");
    dir.is_dir().then_some(dir)
}

/// Refuse an output folder that is, holds or lies inside the data folder:
/// replacing it would delete the data, and writing into it would mix the
/// site into the data.
fn overlap(data: &Path, out: &Path) -> Result<(), Failure> {
    use crate::diag::Overlap;
    let clash = if out == data {
        Overlap::Same
    } else if data.starts_with(out) {
        Overlap::HoldsData
    } else if out.starts_with(data) {
        Overlap::InsideData
    } else {
        return Ok(());
    };
    Err(Failure::Usage(Usage::OutOverlapsData {
        out: out.to_path_buf(),
        data: data.to_path_buf(),
        clash,
    }))
}

/// The working folder relative paths are taken from.
fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_default()
}

/// A path made absolute (from `cwd`) with its links resolved, even where
/// its last parts do not exist yet (an output folder not built, or a link
/// to one).
fn resolve_in(cwd: &Path, path: &Path) -> PathBuf {
    let joined = cwd.join(path);
    let mut absolute = std::path::absolute(&joined).unwrap_or(joined);
    // A link to a folder not made yet: follow it by hand (a few hops).
    for _ in 0..8 {
        let is_link = fs::symlink_metadata(&absolute).is_ok_and(|m| m.file_type().is_symlink());
        match fs::read_link(&absolute).ok().filter(|_| is_link) {
            Some(target) => {
                let base = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
                absolute = std::path::absolute(base.join(target)).unwrap_or(absolute);
            }
            None => break,
        }
    }
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = dunce::canonicalize(existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// `path` relative to `base` when `path` was made by joining onto `base`,
/// compared as bytes: `Path::starts_with` and `strip_prefix` go component
/// by component, which was a tenth of a rebuild with nothing to do at
/// 10,000 reports (100,000 paths). Not for paths from elsewhere (`a/./b`
/// is not under `a/b` here); a path that is not Unicode is compared by
/// components.
pub(crate) fn under<'a>(path: &'a Path, base: &Path) -> Option<&'a Path> {
    let (Some(p), Some(b)) = (path.to_str(), base.to_str()) else {
        return path.strip_prefix(base).ok();
    };
    let rest = p.strip_prefix(b)?;
    let sep = |c: char| c == '/' || (cfg!(windows) && c == '\\');
    if rest.is_empty() || b.ends_with(sep) {
        return Some(Path::new(rest));
    }
    rest.strip_prefix(sep).map(Path::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `build`, `check` and `serve` take their paths from `Paths`: whatever
    /// form the data folder is given in, they agree on the data, the
    /// templates beside it, the output and what `serve` watches.
    #[test]
    fn every_form_of_the_data_path_resolves_alike() {
        let tmp = tempfile::tempdir().unwrap();
        let root = dunce::canonicalize(tmp.path()).unwrap();
        fs::create_dir_all(root.join("data/sub")).unwrap();
        fs::create_dir_all(root.join("templates")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("data"), root.join("linked")).unwrap();
        let mut forms = vec![
            (root.join("data"), PathBuf::from(".")),
            (root.join("data/sub"), PathBuf::from("..")),
            (root.clone(), PathBuf::from("data")),
            (root.join("templates"), PathBuf::from("../data")),
            (PathBuf::from("/"), root.join("data")),
        ];
        if cfg!(unix) {
            forms.push((root.clone(), PathBuf::from("linked")));
        }
        for (cwd, data) in forms {
            let out = root.join("output");
            let checked = Paths::of_data_in(&cwd, &data);
            let built = Paths::of_site_in(&cwd, &data, &out, None).unwrap();
            let what = format!("--data {} in {}", data.display(), cwd.display());
            assert_eq!(checked.data_real, root.join("data"), "{what}");
            assert_eq!(built.data_real, checked.data_real, "{what}");
            assert_eq!(built.templates, Some(root.join("templates")), "{what}");
            assert_eq!(checked.templates, built.templates, "{what}");
            assert_eq!(built.out, out, "{what}");
            assert_eq!(built.state, root.join(".output.state"), "{what}");
            assert_eq!(
                built.watched(),
                [root.join("data"), root.join("templates")],
                "{what}"
            );
        }
    }

    #[test]
    fn an_output_folder_over_the_data_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = dunce::canonicalize(tmp.path()).unwrap();
        fs::create_dir_all(root.join("data/x")).unwrap();
        for out in ["data", ".", "data/x/site"] {
            let got = Paths::of_site_in(&root, Path::new("data"), Path::new(out), None);
            assert!(
                matches!(got, Err(Failure::Usage(Usage::OutOverlapsData { .. }))),
                "{out}"
            );
        }
        let missing = Paths::of_site_in(
            &root,
            Path::new("data"),
            Path::new("o"),
            Some(Path::new("t")),
        );
        assert!(matches!(
            missing,
            Err(Failure::Usage(Usage::TemplatesDir(_)))
        ));
    }

    #[test]
    fn under_is_strip_prefix_for_joined_paths() {
        let base = Path::new("data/xx-qu");
        for rel in ["", "2017", "2017/funds.yaml"] {
            let p = if rel.is_empty() {
                base.to_path_buf()
            } else {
                base.join(rel)
            };
            assert_eq!(under(&p, base), p.strip_prefix(base).ok(), "{rel}");
        }
        assert_eq!(under(Path::new("data/xx-qu2/a"), base), None);
        assert_eq!(under(Path::new("data/xx"), base), None);
        assert_eq!(
            under(Path::new("data/x/a"), Path::new("data/")),
            Some(Path::new("x/a"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_unicode_is_still_under_its_folder() {
        use std::os::unix::ffi::OsStrExt;
        let base = Path::new("data/xx-qu/2017");
        let odd = base.join(std::ffi::OsStr::from_bytes(b"\xff.yaml"));
        assert!(odd.to_str().is_none());
        assert_eq!(under(&odd, base), odd.strip_prefix(base).ok());
        assert!(under(&odd, base).is_some());
    }
}
