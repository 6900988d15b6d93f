//! Stage 1, load: walk `data/`, read each known YAML file and parse it into
//! the raw types, keeping every file's text for diagnostics.
//!
//! Layout: `data/<office>/office.yaml` and `data/<office>/<year>/<part>.yaml`.
//! Problems are collected, not thrown: one bad file does not hide another.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Pos, Sources};
use crate::raw;

/// Files larger than this are refused before reading (bounded memory).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A parsed file and where it came from.
#[derive(Debug)]
pub struct Src<T> {
    pub path: PathBuf,
    pub data: T,
}

/// The files of one office-year folder.
#[derive(Debug, Default)]
pub struct YearFiles {
    pub report: Option<Src<raw::ReportFile>>,
    pub register: Option<Src<raw::RegisterFile>>,
    pub funds: Option<Src<raw::FundsFile>>,
    pub projects: Option<Src<raw::ProjectsFile>>,
    pub measures: Option<Src<raw::MeasuresFile>>,
    pub problems: Option<Src<raw::ProblemsFile>>,
    pub plan: Option<Src<raw::PlanFile>>,
    /// Files present but unreadable (already reported): not "missing".
    pub broken: Vec<String>,
}

#[derive(Debug)]
pub struct YearSrc {
    pub year: i32,
    pub dir: PathBuf,
    pub files: YearFiles,
}

#[derive(Debug)]
pub struct OfficeSrc {
    /// Folder name; also the office's path under output/.
    pub slug: String,
    pub dir: PathBuf,
    pub office: Option<Src<raw::OfficeFile>>,
    /// office.yaml is present but unreadable (already reported).
    pub office_broken: bool,
    pub years: Vec<YearSrc>,
    /// Files found but not yet read: (path, year index or `None` for
    /// office.yaml). [`parse_office`] reads them.
    pub pending: Vec<(PathBuf, Option<usize>)>,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub offices: Vec<OfficeSrc>,
    pub sources: Sources,
    pub diags: Vec<Diagnostic>,
}

/// The year-folder files nianbao reads, in the order it documents them.
pub const YEAR_FILES: [&str; 7] = [
    "report.yaml",
    "register.yaml",
    "funds.yaml",
    "projects.yaml",
    "measures.yaml",
    "problems.yaml",
    "plan.yaml",
];

/// Walk `data_dir` and parse everything found.
pub fn load(data_dir: &Path) -> Loaded {
    let mut out = discover(data_dir);
    for office in &mut out.offices {
        let (sources, mut diags) = parse_office(office);
        out.sources.extend(sources);
        out.diags.append(&mut diags);
    }
    out
}

/// Read and parse the files [`discover`] found for one office.
pub fn parse_office(office: &mut OfficeSrc) -> (Sources, Vec<Diagnostic>) {
    let mut sources = Sources::default();
    let mut diags = Vec::new();
    for (path, year) in std::mem::take(&mut office.pending) {
        let Some(year) = year else {
            match read_parse(&path, &mut sources, &mut diags) {
                Some(data) => office.office = Some(Src { path, data }),
                None => office.office_broken = true,
            }
            continue;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let f = &mut office.years[year].files;
        let before = diags.len();
        let (s, d) = (&mut sources, &mut diags);
        match name.as_str() {
            "report.yaml" => f.report = parse_src(path, s, d),
            "register.yaml" => f.register = parse_src(path, s, d),
            "funds.yaml" => f.funds = parse_src(path, s, d),
            "projects.yaml" => f.projects = parse_src(path, s, d),
            "measures.yaml" => f.measures = parse_src(path, s, d),
            "problems.yaml" => f.problems = parse_src(path, s, d),
            _ => f.plan = parse_src(path, s, d),
        }
        if diags.len() > before {
            f.broken.push(name);
        }
    }
    (sources, diags)
}

/// Walk `data_dir`: the offices, their years and their files, checked for
/// names, links and places, but not read yet.
pub fn discover(data_dir: &Path) -> Loaded {
    let mut out = Loaded::default();
    match fs::metadata(data_dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            out.diags.push(
                Diagnostic::error(format!("数据目录“{}”不是文件夹", data_dir.display()))
                    .hint("用 --data 指定存放各单位数据的文件夹"),
            );
            return out;
        }
        Err(e) => {
            out.diags.push(
                Diagnostic::error(format!(
                    "找不到数据目录“{}”：{}",
                    data_dir.display(),
                    io_reason(&e)
                ))
                .hint("在项目根目录运行，或用 --data 指定数据文件夹"),
            );
            return out;
        }
    }

    let walker = WalkDir::new(data_dir)
        .min_depth(1)
        .max_depth(3)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(data_dir).to_path_buf();
                let reason = e.io_error().map(io_reason).unwrap_or_else(|| e.to_string());
                out.diags.push(
                    Diagnostic::error(format!("无法读取“{}”：{reason}", path.display()))
                        .at(&path, Pos::default()),
                );
                continue;
            }
        };
        let path = entry.path().to_path_buf();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let ft = entry.file_type();
        if ft.is_symlink() {
            out.diags.push(
                Diagnostic::error(format!(
                    "“{}”是符号链接，nianbao 不跟随链接",
                    path.display()
                ))
                .at(&path, Pos::default())
                .hint("把数据文件直接放在 data/ 下，不要用链接指向别处"),
            );
            continue;
        }
        match entry.depth() {
            1 if ft.is_dir() => match check_slug(&name) {
                Ok(()) => out.offices.push(OfficeSrc {
                    slug: name,
                    dir: path,
                    office: None,
                    office_broken: false,
                    years: Vec::new(),
                    pending: Vec::new(),
                }),
                Err(why) => out.diags.push(
                    Diagnostic::error(format!("单位文件夹名“{name}”不可用：{why}"))
                        .at(&path, Pos::default())
                        .hint("文件夹名只用小写字母、数字、- 和 _（如 xx-qu-fupinban）；单位全称写在 office.yaml 的 name 里"),
                ),
            },
            2 => {
                let Some(office) = out.offices.last_mut().filter(|o| path.starts_with(&o.dir))
                else {
                    continue; // under a rejected office folder
                };
                if ft.is_dir() {
                    match parse_year(&name) {
                        Some(year) => office.years.push(YearSrc {
                            year,
                            dir: path,
                            files: YearFiles::default(),
                        }),
                        None => out.diags.push(
                            Diagnostic::error(format!("年度文件夹名“{name}”不是年份"))
                                .at(&path, Pos::default())
                                .hint("年度文件夹以四位年份命名，如 2017"),
                        ),
                    }
                } else if name == "office.yaml" {
                    office.pending.push((path, None));
                } else {
                    unknown_file(&path, &name, &["office.yaml"], &mut out.diags);
                }
            }
            3 => {
                let Some(office) = out.offices.last_mut() else {
                    continue;
                };
                let Some(index) = office
                    .years
                    .len()
                    .checked_sub(1)
                    .filter(|&i| path.starts_with(&office.years[i].dir))
                else {
                    continue;
                };
                if ft.is_dir() {
                    out.diags.push(
                        Diagnostic::warning(format!("已忽略文件夹“{}”", path.display()))
                            .at(&path, Pos::default()),
                    );
                    continue;
                }
                if YEAR_FILES.contains(&name.as_str()) {
                    office.pending.push((path, Some(index)));
                } else {
                    unknown_file(&path, &name, &YEAR_FILES, &mut out.diags);
                }
            }
            _ => {
                if ft.is_file() && is_yaml_name(&name) {
                    out.diags.push(
                        Diagnostic::warning(format!(
                            "已忽略“{}”：数据文件应放在 data/<单位>/ 或 data/<单位>/<年份>/ 下",
                            path.display()
                        ))
                        .at(&path, Pos::default()),
                    );
                }
            }
        }
    }
    if out.offices.is_empty() && out.diags.is_empty() {
        out.diags.push(
            Diagnostic::error(format!("数据目录“{}”里没有任何单位", data_dir.display())).hint(
                "每个单位一个文件夹：data/<单位>/office.yaml 和 data/<单位>/<年份>/report.yaml",
            ),
        );
    }
    out
}

fn is_yaml_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

fn unknown_file(path: &Path, name: &str, known: &[&str], diags: &mut Vec<Diagnostic>) {
    if is_yaml_name(name) {
        let mut d = Diagnostic::error(format!("不认识的数据文件“{name}”，其中的数据不会被读取"))
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
fn check_slug(name: &str) -> Result<(), &'static str> {
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
    Ok(())
}

fn parse_year(name: &str) -> Option<i32> {
    if name.len() != 4 || !name.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = name.parse().ok()?;
    (1978..=2100).contains(&y).then_some(y)
}

fn parse_src<T: DeserializeOwned>(
    path: PathBuf,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<Src<T>> {
    read_parse(&path, sources, diags).map(|data| Src { path, data })
}

fn read_parse<T: DeserializeOwned>(
    path: &Path,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    let text = match read_text(path) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let result = parse_yaml(path, &text);
    sources.insert(path.to_path_buf(), text);
    match result {
        Ok(v) => Some(v),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// A size for people: `100.0 MiB`.
fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
}

/// Read a data file as UTF-8 text, refusing what cannot be read safely.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let fail = |msg: String| Diagnostic::error(msg).at(path, Pos::default());
    let meta = fs::metadata(path)
        .map_err(|e| fail(format!("无法读取“{}”：{}", path.display(), io_reason(&e))))?;
    if !meta.is_file() {
        return Err(fail(format!("“{}”不是普通文件", path.display()))
            .hint("数据文件夹里只放 YAML 文件；设备、管道等特殊文件不能作为数据"));
    }
    let too_big = |len: u64| {
        fail(format!(
            "文件“{}”有 {}，超过上限 {}",
            path.display(),
            mib(len),
            mib(MAX_FILE_BYTES)
        ))
        .hint("一个数据文件不应这么大；请检查是否误放了别的文件")
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    // Read at most one byte past the cap, in case the file grew meanwhile.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_FILE_BYTES + 1), &mut bytes)
        })
        .map_err(|e| fail(format!("无法读取“{}”：{}", path.display(), io_reason(&e))))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(fail(format!("文件“{}”是 UTF-16 编码", path.display()))
            .hint("请用记事本或 WPS“另存为”UTF-8 编码"));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u32
                + 1;
            Err(Diagnostic::error(format!(
                "文件“{}”不是 UTF-8 编码（第 {line} 行起无法识别，可能是 GBK/GB18030）",
                path.display()
            ))
            .at(path, Pos { line: 0, col: 0 })
            .hint("请用记事本或 WPS 打开后“另存为”，编码选 UTF-8"))
        }
    }
}

/// Parse one YAML document into `T` with duplicate keys, alias bombs and deep
/// nesting refused; errors are translated into Chinese with line and column.
pub fn parse_yaml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    let blank = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if blank {
        return Err(Diagnostic::error(format!("文件“{}”是空的", path.display()))
            .at(path, Pos { line: 1, col: 1 })
            .hint("填写内容，或删除这个文件"));
    }
    let options = serde_saphyr::options! {
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_events: 2_000_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_depth: 64,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 100,
        },
    };
    serde_saphyr::from_str_with_options::<T>(text, options).map_err(|e| {
        let pos = e
            .location()
            .map(|l| Pos {
                line: l.line() as u32,
                col: l.column() as u32,
            })
            .unwrap_or_default();
        let (message, hint) = translate(&e.without_snippet().to_string());
        let d = Diagnostic::error(message).at(path, pos);
        match hint {
            Some(h) => d.hint(h),
            None => d,
        }
    })
}

/// Turn the YAML library's English messages into Chinese ones with advice.
fn translate(raw: &str) -> (String, Option<String>) {
    // Drop a leading "error: line N column M: " or trailing " at line N, column M".
    let mut msg = raw.trim().trim_start_matches("error: ").to_string();
    if let Some(rest) = msg.strip_prefix("line ")
        && let Some((_, tail)) = rest.split_once(": ")
    {
        msg = tail.to_string();
    }
    if let Some(i) = msg.find(" at line ") {
        msg.truncate(i);
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (field, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = tail
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(", ")
            .map(|s| s.trim_matches('`'))
            .filter(|s| !s.is_empty() && !s.starts_with("there are no fields"))
            .collect();
        let hint = match did_you_mean(field, expected.iter().copied()) {
            Some(best) => format!("是否想写“{best}”？此处可用的键：{}", expected.join("、")),
            None if expected.is_empty() => "此处不接受任何键".to_string(),
            None => format!("此处可用的键：{}", expected.join("、")),
        };
        return (format!("未知的键“{field}”"), Some(hint));
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return (
            format!("缺少必填的键“{field}”"),
            Some(format!("请补上“{field}： …”")),
        );
    }
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (
            format!("键“{key}”重复出现"),
            Some("同一层级的键只能出现一次：删除或合并重复的一项".into()),
        );
    }
    let lower = msg.to_ascii_lowercase();
    if lower.contains("expected string scalar") || lower.contains("expected a string") {
        return (
            "此处应为单个值（文字、数字或日期），实际是列表或映射".into(),
            Some("检查缩进和冒号：一个键只对应一个值".into()),
        );
    }
    if lower.contains("expected a sequence") || lower.contains("expected sequence") {
        return (
            "此处应为列表".into(),
            Some("列表的每一项以“- ”开头，或写成 [a， b]".into()),
        );
    }
    if lower.contains("expected struct")
        || lower.contains("expected a map")
        || lower.contains("expected mapping")
    {
        return (
            "此处应为映射（若干“键： 值”）".into(),
            Some("例如 {households: 384, persons: 800}".into()),
        );
    }
    if lower.contains("budget") || lower.contains("alias") || lower.contains("depth") {
        return (
            format!("文件嵌套过深或别名（&/*）展开过多，超出安全上限（{msg}）"),
            Some("数据文件不需要 YAML 别名；请展开写出".into()),
        );
    }
    if lower.contains("end of input") || lower.contains("eof") {
        return ("文件不完整：内容在中途结束".into(), None);
    }
    if lower.contains("tab") {
        return (
            "缩进里有 Tab 字符".into(),
            Some("YAML 只能用空格缩进：把这一行开头的 Tab 换成空格".into()),
        );
    }
    if lower.contains("mapping values are not allowed") {
        return (
            "这里不能出现“键： 值”".into(),
            Some("多半是这一行缩进多了，或上一行的值里有未加引号的冒号".into()),
        );
    }
    if lower.contains("quoted scalar")
        || lower.contains("unterminated")
        || lower.contains("closing quote")
    {
        return (
            "引号没有闭合".into(),
            Some("检查上一处引号：成对的 \"…\" 或 '…' 应在同一个值里闭合".into()),
        );
    }
    if lower.contains("flow sequence") || lower.contains("flow mapping") {
        return (
            "方括号或花括号没有闭合".into(),
            Some("检查 [ ] 或 { } 是否成对".into()),
        );
    }
    if !msg.is_ascii() {
        // Our own messages (numbers) are already Chinese.
        return (msg, None);
    }
    (
        format!("YAML 格式错误（{msg}）"),
        Some("检查这一行及上一行的缩进、冒号和引号".into()),
    )
}

/// The closest candidate, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A short Chinese reason for an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "不存在".into(),
        PermissionDenied => "没有权限".into(),
        AlreadyExists => "已存在".into(),
        _ => format!("{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_unknown_field_with_suggestion() {
        let (m, h) = translate("unknown field `amout`, expected one of `name`, `amount`");
        assert_eq!(m, "未知的键“amout”");
        assert!(h.unwrap().contains("是否想写“amount”"));
    }

    #[test]
    fn slugs_and_years() {
        assert!(check_slug("xx-qu").is_ok());
        assert!(check_slug("..").is_err());
        assert!(check_slug("扶贫办").is_err());
        assert!(check_slug("a b").is_err());
        assert_eq!(parse_year("2017"), Some(2017));
        assert_eq!(parse_year("17"), None);
        assert_eq!(parse_year("abcd"), None);
    }
}
