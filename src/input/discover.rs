//! The walk of the data folder: its offices, their year folders and the
//! files to read, checked for names, links and places, nothing read yet.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use walkdir::WalkDir;

use super::{Folder, Found, FoundOffice, Stamp, YEAR_FILES, trusted};
use crate::diag::{Diagnostic, Pos, Rule, did_you_mean, io_reason};
use crate::paths::under;

/// Walk `data_dir`: the offices, their years and their files, checked for
/// names, links and places, but not read yet.
pub(crate) fn discover(data_dir: &Path) -> Found {
    discover_since(data_dir, None)
}

/// What the last build saw of each office's folders, for [`discover_since`].
pub(crate) struct Seen<'a> {
    /// When the last build started.
    pub(crate) built_at: u128,
    /// Each office's folder stamps and file stamps, as it saved them.
    pub(crate) offices: FxHashMap<&'a str, (&'a [Stamp], &'a [Stamp])>,
}

impl Seen<'_> {
    /// The office's files as the last build found them, if none of its
    /// folders changed since: adding, removing or renaming an entry of a
    /// folder changes the folder's stamp, so a folder whose stamp is as it
    /// was holds what it held. (An edit inside a file does not change its
    /// folder: the file's own stamp tells that, later.)
    fn listing(&self, o: &FoundOffice) -> Option<FoundOffice> {
        let &(folders, files) = self.offices.get(o.slug.as_str())?;
        let (own, years) = folders.split_first()?;
        if !own.path().as_os_str().is_empty() {
            return None;
        }
        let folder = Folder::open(&o.dir);
        let now: Vec<Stamp> = folders.iter().map(|f| folder.stamp(f.path())).collect();
        if !trusted(folders, &now, self.built_at) {
            return None;
        }
        let years: Vec<(i32, PathBuf)> = years
            .iter()
            .map(|y| Some((parse_year(y.path().to_str()?)?, o.dir.join(y.path()))))
            .collect::<Option<_>>()?;
        let files = files
            .iter()
            .map(|f| {
                let parent = f.path().parent().map_or(OsStr::new(""), Path::as_os_str);
                let index = match parent.is_empty() {
                    true => None,
                    false => Some(
                        folders[1..]
                            .iter()
                            .position(|y| y.path().as_os_str() == parent)?,
                    ),
                };
                Some((o.dir.join(f.path()), index))
            })
            .collect::<Option<_>>()?;
        Some(FoundOffice {
            slug: o.slug.clone(),
            dir: o.dir.clone(),
            years,
            files,
            folders: now,
        })
    }
}

/// [`discover`], taking an office's files from the last build where none
/// of its folders changed ([`Seen::listing`]): a rebuild then reads only
/// the data folder itself, not the 6 folders of each office.
pub(crate) fn discover_since(data_dir: &Path, seen: Option<&Seen>) -> Found {
    let mut out = Found::default();
    if let Err(d) = check_data_dir(data_dir) {
        out.diags.push(d);
        return out;
    }
    // The offices one by one, each office's folders on any core: most of
    // a rebuild with nothing to do is reading folders.
    top_level(data_dir, &mut out);
    use rayon::prelude::*;
    let inner: Vec<Found> = out
        .offices
        .par_iter()
        .map(|o| match seen.and_then(|s| s.listing(o)) {
            Some(o) => Found {
                offices: vec![o],
                diags: Vec::new(),
            },
            None => walk_office(o, data_dir),
        })
        .collect();
    out.offices.clear();
    for mut f in inner {
        out.offices.append(&mut f.offices);
        out.diags.append(&mut f.diags);
    }
    if out.offices.is_empty() && out.diags.is_empty() {
        out.diags.push(
            Diagnostic::error(
                Rule::DataFolder,
                format!("数据目录“{}”里没有任何单位", data_dir.display()),
            )
            .hint("每个单位一个文件夹：data/<单位>/office.yaml 和 data/<单位>/<年份>/report.yaml"),
        );
    }
    out
}

/// The data folder is there and is a folder.
fn check_data_dir(data_dir: &Path) -> Result<(), Diagnostic> {
    match fs::metadata(data_dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Diagnostic::error(
            Rule::DataFolder,
            format!("数据目录“{}”不是文件夹", data_dir.display()),
        )
        .hint("用 --data 指定存放各单位数据的文件夹")),
        Err(e) => Err(Diagnostic::error(
            Rule::DataFolder,
            format!("找不到数据目录“{}”：{}", data_dir.display(), io_reason(&e)),
        )
        .hint("在项目根目录运行，或用 --data 指定数据文件夹")),
    }
}

/// One office folder's year folders and files, as its own [`Found`].
fn walk_office(o: &FoundOffice, data_dir: &Path) -> Found {
    let mut found = Found {
        offices: vec![FoundOffice {
            slug: o.slug.clone(),
            dir: o.dir.clone(),
            years: Vec::new(),
            files: Vec::new(),
            folders: vec![Stamp::of(&o.dir, &o.dir)],
        }],
        diags: Vec::new(),
    };
    let walker = WalkDir::new(&o.dir)
        .min_depth(1)
        .max_depth(2)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        let depth = entry.as_ref().map_or(2, |e| e.depth() + 1);
        visit(entry, depth, data_dir, &mut found);
    }
    if !found.diags.is_empty() {
        found.offices[0].folders.clear();
    }
    found
}

/// The entries of the data folder itself, in the order of their names.
/// (`read_dir` rather than walkdir, which opens each folder it yields even
/// at its greatest depth: 2,000 folders read for nothing at 10,000 reports.)
fn top_level(data_dir: &Path, out: &mut Found) {
    let entries = fs::read_dir(data_dir).and_then(|rd| {
        rd.map(|e| {
            let e = e?;
            Ok((e.file_name(), e.path(), e.file_type()?))
        })
        .collect::<std::io::Result<Vec<_>>>()
    });
    match entries {
        Ok(mut entries) => {
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            for (name, path, ft) in entries {
                let name = name.to_string_lossy().to_string();
                visit_entry(&path, name, ft, 1, out);
            }
        }
        Err(e) => out.diags.push(unreadable(data_dir, io_reason(&e))),
    }
}

fn unreadable(path: &Path, reason: String) -> Diagnostic {
    Diagnostic::error(
        Rule::FileRead,
        format!("无法读取“{}”：{reason}", path.display()),
    )
    .at(path, Pos::default())
}

/// One entry of the data folder at `depth` (1: an office, 2: its year
/// folders and office.yaml, 3: a year's files) into `out`, whose last
/// office is the one being walked.
fn visit(
    entry: walkdir::Result<walkdir::DirEntry>,
    depth: usize,
    data_dir: &Path,
    out: &mut Found,
) {
    let entry = match entry {
        Ok(e) => e,
        Err(e) => {
            let path = e.path().unwrap_or(data_dir).to_path_buf();
            let reason = e.io_error().map(io_reason).unwrap_or_else(|| e.to_string());
            out.diags.push(unreadable(&path, reason));
            return;
        }
    };
    let name = entry.file_name().to_string_lossy().to_string();
    visit_entry(entry.path(), name, entry.file_type(), depth, out);
}

/// An entry `name` at `path`, `depth` below the data folder, into `out`.
fn visit_entry(path: &Path, name: String, ft: fs::FileType, depth: usize, out: &mut Found) {
    if name.starts_with('.') {
        return;
    }
    if ft.is_symlink() {
        out.diags.push(
            Diagnostic::error(
                Rule::FileRead,
                format!("“{}”是符号链接，nianbao 不跟随链接", path.display()),
            )
            .at(path, Pos::default())
            .hint("把数据文件直接放在 data/ 下，不要用链接指向别处"),
        );
        return;
    }
    match depth {
        1 if ft.is_dir() => office_folder(path, name, out),
        2 => in_office(path, name, ft.is_dir(), out),
        3 => in_year(path, name, ft.is_dir(), out),
        _ => {
            if ft.is_file() && is_yaml_name(&name) {
                out.diags.push(
                    Diagnostic::warning(
                        Rule::FolderIgnored,
                        format!(
                            "已忽略“{}”：数据文件应放在 data/<单位>/ 或 data/<单位>/<年份>/ 下",
                            path.display()
                        ),
                    )
                    .at(path, Pos::default()),
                );
            }
        }
    }
}

/// A folder at the top of the data folder: an office, if its name will do.
fn office_folder(path: &Path, name: String, out: &mut Found) {
    match check_slug(&name) {
        Ok(()) => out.offices.push(FoundOffice {
            slug: name,
            dir: path.to_path_buf(),
            years: Vec::new(),
            files: Vec::new(),
            folders: Vec::new(),
        }),
        Err(why) => out.diags.push(
            Diagnostic::error(Rule::FolderName, format!("单位文件夹名“{name}”不可用：{why}"))
                .at(path, Pos::default())
                .hint("文件夹名只用小写字母、数字、- 和 _（如 xx-qu-fupinban）；单位全称写在 office.yaml 的 name 里"),
        ),
    }
}

/// An entry of an office folder: a year folder, office.yaml or a stray.
fn in_office(path: &Path, name: String, is_dir: bool, out: &mut Found) {
    let Some(office) = out
        .offices
        .last_mut()
        .filter(|o| under(path, &o.dir).is_some())
    else {
        return; // under a rejected office folder
    };
    if is_dir {
        match parse_year(&name) {
            Some(year) => {
                // Stamped before walkdir reads it (it yields a folder
                // before its entries): a change after the stamp shows in
                // the next build's stamp.
                office.folders.push(Stamp::of(path, &office.dir));
                office.years.push((year, path.to_path_buf()));
            }
            None => out.diags.push(
                Diagnostic::error(Rule::FolderName, format!("年度文件夹名“{name}”不是年份"))
                    .at(path, Pos::default())
                    .hint("年度文件夹以四位年份命名，如 2017"),
            ),
        }
    } else if name == "office.yaml" {
        office.files.push((path.to_path_buf(), None));
    } else {
        unknown_file(path, &name, &["office.yaml"], &mut out.diags);
    }
}

/// An entry of a year folder: one of [`YEAR_FILES`], or a stray.
fn in_year(path: &Path, name: String, is_dir: bool, out: &mut Found) {
    let Some(office) = out.offices.last_mut() else {
        return;
    };
    let Some(index) = office
        .years
        .len()
        .checked_sub(1)
        .filter(|&i| under(path, &office.years[i].1).is_some())
    else {
        return;
    };
    if is_dir {
        out.diags.push(
            Diagnostic::warning(
                Rule::FolderIgnored,
                format!("已忽略文件夹“{}”", path.display()),
            )
            .at(path, Pos::default()),
        );
        return;
    }
    if YEAR_FILES.contains(&name.as_str()) {
        office.files.push((path.to_path_buf(), Some(index)));
    } else {
        unknown_file(path, &name, &YEAR_FILES, &mut out.diags);
    }
}

fn is_yaml_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

fn unknown_file(path: &Path, name: &str, known: &[&str], diags: &mut Vec<Diagnostic>) {
    if is_yaml_name(name) {
        let mut d = Diagnostic::error(
            Rule::FileUnknown,
            format!("不认识的数据文件“{name}”，其中的数据不会被读取"),
        )
        .at(path, Pos::default());
        d = match did_you_mean(name, known.iter().copied()) {
            Some(best) => d.hint(format!(
                "是否想命名为“{best}”？可用的文件名：{}",
                known.join("、")
            )),
            None => d.hint(format!("可用的文件名：{}", known.join("、"))),
        };
        diags.push(d);
    }
}

/// Office folder names become paths under output/: keep them to a safe set.
pub(crate) fn check_slug(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("是空的");
    }
    if name.len() > 64 {
        return Err("太长（最多 64 个字符）");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return Err("含有小写字母、数字、-、_ 以外的字符");
    }
    if !name.as_bytes()[0].is_ascii_alphanumeric() {
        return Err("须以字母或数字开头");
    }
    if is_device_name(name) {
        return Err(
            "是 Windows 的设备名（con、prn、aux、nul、com1～com9、lpt1～lpt9），在 Windows 上不能用作文件夹名",
        );
    }
    Ok(())
}

/// A name Windows keeps for a device, whatever follows a dot: no file or
/// folder can have it there.
fn is_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    matches!(stem, "con" | "prn" | "aux" | "nul" | "conin$" | "conout$")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

pub(crate) fn parse_year(name: &str) -> Option<i32> {
    if name.len() != 4 || !name.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = name.parse().ok()?;
    (1978..=2100).contains(&y).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The last build's view of `found`, as a later build reads it: the
    /// office's folder and file stamps, taken well before `built_at`.
    fn stamps_of(found: &Found) -> Vec<(String, Vec<Stamp>, Vec<Stamp>)> {
        found
            .offices
            .iter()
            .map(|o| {
                let folder = Folder::open(&o.dir);
                let files = o
                    .files
                    .iter()
                    .map(|(p, _)| folder.stamp(under(p, &o.dir).unwrap()));
                (o.slug.clone(), o.folders.clone(), files.collect())
            })
            .collect()
    }

    fn seen(stamps: &[(String, Vec<Stamp>, Vec<Stamp>)], built_at: u128) -> Seen<'_> {
        Seen {
            built_at,
            offices: stamps
                .iter()
                .map(|(s, d, f)| (s.as_str(), (d.as_slice(), f.as_slice())))
                .collect(),
        }
    }

    /// Each office's years and files, as a string to compare.
    fn listed(found: &Found) -> Vec<String> {
        let each = |o: &FoundOffice| format!("{:?} {:?}", o.years, o.files);
        found.offices.iter().map(each).collect()
    }

    #[test]
    fn an_unchanged_folder_is_not_read_again_a_changed_one_is() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path();
        for f in [
            "a/office.yaml",
            "a/2017/funds.yaml",
            "a/2018/report.yaml",
            "b/2018/plan.yaml",
        ] {
            let path = data.join(f);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "x: 1\n").unwrap();
        }
        let walked = discover(data);
        assert!(walked.diags.is_empty(), "{:?}", walked.diags);
        assert_eq!(walked.offices[0].folders.len(), 3, "a/, 2017/, 2018/");
        let mut stamps = stamps_of(&walked);
        let later =
            crate::input::since_epoch(std::time::SystemTime::now()).unwrap() + 10_000_000_000;
        // The same folders: the same offices, years and files.
        assert_eq!(
            listed(&discover_since(data, Some(&seen(&stamps, later)))),
            listed(&walked)
        );
        // Taken from the last build, not read: a file it did not list is
        // not there (a folder it lists is trusted as it stands).
        stamps[0]
            .2
            .retain(|s| s.path() != Path::new("2017/funds.yaml"));
        let trusted = discover_since(data, Some(&seen(&stamps, later)));
        assert_eq!(trusted.offices[0].files.len(), 2);
        assert!(
            trusted.offices[0]
                .files
                .iter()
                .all(|(p, _)| !p.ends_with("funds.yaml"))
        );
        // Unless the folders are too close to the last build to trust
        // (a coarse clock may hide a change).
        let racy = discover_since(data, Some(&seen(&stamps, later - 20_000_000_000)));
        assert_eq!(listed(&racy), listed(&walked));
        // A file added to a folder changes the folder: it is read again.
        // (After the file system's clock tick: within it, only the racy
        // rule above, from the real time of the last build, would tell.)
        std::thread::sleep(std::time::Duration::from_millis(30));
        fs::write(data.join("a/2017/problems.yaml"), "x: 1\n").unwrap();
        let added = discover_since(data, Some(&seen(&stamps, later)));
        let names: Vec<_> = added.offices[0]
            .files
            .iter()
            .map(|(p, _)| p.clone())
            .collect();
        assert!(
            names.contains(&data.join("a/2017/problems.yaml")),
            "{names:?}"
        );
        assert!(names.contains(&data.join("a/2017/funds.yaml")), "{names:?}");
        assert_eq!(added.offices[1].files, walked.offices[1].files);
        // A folder with something to say is walked every time.
        fs::write(data.join("b/2018/plans.yaml"), "x: 1\n").unwrap();
        let stray = discover(data);
        assert_eq!(stray.diags.len(), 1, "{:?}", stray.diags);
        assert!(stray.offices[1].folders.is_empty());
        let again = discover_since(data, Some(&seen(&stamps_of(&stray), later)));
        assert_eq!(again.diags.len(), 1, "{:?}", again.diags);
    }

    #[test]
    fn slugs_and_years() {
        assert!(check_slug("xx-qu").is_ok());
        assert!(check_slug("..").is_err());
        assert!(check_slug("扶贫办").is_err());
        assert!(check_slug("a b").is_err());
        assert!(check_slug("").is_err());
        for d in ["con", "nul", "aux", "prn", "com1", "lpt9"] {
            assert!(check_slug(d).is_err(), "{d}");
        }
        assert!(check_slug("com0").is_ok() && check_slug("console").is_ok());
        assert_eq!(parse_year("2017"), Some(2017));
        assert_eq!(parse_year("17"), None);
        assert_eq!(parse_year("abcd"), None);
    }
}
