//! The walk of the data folder: its offices, their year folders and the
//! files to read, checked for names, links and places, nothing read yet.

use std::fs;
use std::path::Path;

use walkdir::WalkDir;

use super::{Found, FoundOffice, YEAR_FILES};
use crate::diag::{Diagnostic, Pos, Rule, did_you_mean, io_reason};
use crate::paths::under;

/// Walk `data_dir`: the offices, their years and their files, checked for
/// names, links and places, but not read yet.
pub(crate) fn discover(data_dir: &Path) -> Found {
    let mut out = Found::default();
    if let Err(d) = check_data_dir(data_dir) {
        out.diags.push(d);
        return out;
    }
    // The offices one by one, each office's folders on any core: most of
    // a rebuild with nothing to do is reading folders.
    let top = WalkDir::new(data_dir)
        .min_depth(1)
        .max_depth(1)
        .follow_links(false)
        .sort_by_file_name();
    for entry in top {
        visit(entry, 1, data_dir, &mut out);
    }
    use rayon::prelude::*;
    let inner: Vec<Found> = out
        .offices
        .par_iter()
        .map(|o| walk_office(o, data_dir))
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
    found
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
            out.diags.push(
                Diagnostic::error(
                    Rule::FileRead,
                    format!("无法读取“{}”：{reason}", path.display()),
                )
                .at(&path, Pos::default()),
            );
            return;
        }
    };
    let path = entry.path();
    let name = entry.file_name().to_string_lossy().to_string();
    if name.starts_with('.') {
        return;
    }
    let ft = entry.file_type();
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
            Some(year) => office.years.push((year, path.to_path_buf())),
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
