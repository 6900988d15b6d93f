//! Stage 1, load: walk `data/`, read each known YAML file and parse it into
//! the raw types, keeping every file's text for diagnostics.
//!
//! Layout: `data/<office>/office.yaml` and `data/<office>/<year>/<part>.yaml`.
//! Problems are collected, not thrown: one bad file does not hide another.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Op, Pos, Rule, Sources, did_you_mean, io_reason};
use crate::model::raw;

/// Parser limits (documented in the README): the file size is the one a
/// real file meets first; these only stop what no office writes.
const MAX_DEPTH: usize = 64;
const MAX_NODES: usize = 4_000_000;
const MAX_EVENTS: usize = 8_000_000;

/// Files larger than this are refused before reading (bounded memory).
pub(crate) const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A parsed file and where it came from.
#[derive(Debug)]
pub(crate) struct Src<T> {
    pub(crate) path: PathBuf,
    pub(crate) data: T,
}

/// The files of one office-year folder.
#[derive(Debug, Default)]
pub(crate) struct YearFiles {
    pub(crate) report: Option<Src<raw::ReportFile>>,
    pub(crate) register: Option<Src<raw::RegisterFile>>,
    pub(crate) funds: Option<Src<raw::FundsFile>>,
    pub(crate) projects: Option<Src<raw::ProjectsFile>>,
    pub(crate) measures: Option<Src<raw::MeasuresFile>>,
    pub(crate) problems: Option<Src<raw::ProblemsFile>>,
    pub(crate) plan: Option<Src<raw::PlanFile>>,
    /// Files present but unreadable (already reported): not "missing".
    pub(crate) broken: Vec<String>,
    /// report.yaml or plan.yaml says `draft: true` (read off the text, so
    /// that a draft that does not parse yet is still a draft).
    pub(crate) draft: bool,
}

impl YearFiles {
    /// Whether the year is a draft: marked as one, or with no data yet.
    pub(crate) fn is_draft(&self) -> bool {
        self.draft || (self.count() == 0 && self.broken.is_empty())
    }

    /// How many files were read.
    pub(crate) fn count(&self) -> usize {
        [
            self.report.is_some(),
            self.register.is_some(),
            self.funds.is_some(),
            self.projects.is_some(),
            self.measures.is_some(),
            self.problems.is_some(),
            self.plan.is_some(),
        ]
        .into_iter()
        .filter(|&b| b)
        .count()
    }
}

/// Whether a document's text marks it as a draft: a top-level
/// `draft: true` line.
fn marks_draft(text: &str) -> bool {
    text.lines().any(|l| {
        let code = l.split(" #").next().unwrap_or(l).trim_end();
        code.strip_prefix("draft:")
            .is_some_and(|v| v.trim() == "true")
    })
}

#[derive(Debug)]
pub(crate) struct YearSrc {
    pub(crate) year: i32,
    pub(crate) dir: PathBuf,
    pub(crate) files: YearFiles,
}

/// An office folder as the walk found it: its year folders and the files
/// to read, nothing read yet. [`load_office`] makes a [`LoadedOffice`] of it.
#[derive(Debug)]
pub(crate) struct FoundOffice {
    /// Folder name; also the office's path under output/.
    pub(crate) slug: String,
    pub(crate) dir: PathBuf,
    pub(crate) years: Vec<(i32, PathBuf)>,
    /// Files to read: (path, index into `years`, or `None` for office.yaml).
    pub(crate) files: Vec<(PathBuf, Option<usize>)>,
}

/// An office with every file read and parsed (as far as it could be).
#[derive(Debug)]
pub(crate) struct LoadedOffice {
    pub(crate) slug: String,
    pub(crate) dir: PathBuf,
    pub(crate) office: Option<Src<raw::OfficeFile>>,
    /// office.yaml is present but unreadable (already reported).
    pub(crate) office_broken: bool,
    pub(crate) years: Vec<YearSrc>,
    /// The texts read, for findings to show their lines.
    pub(crate) sources: Sources,
    /// The contents of the inputs, from the bytes read ([`InputHash`]).
    pub(crate) fingerprint: String,
}

/// What the walk of the data folder found.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub(crate) offices: Vec<FoundOffice>,
    pub(crate) diags: Vec<Diagnostic>,
}

/// The year-folder files nianbao reads, in the order it documents them.
pub(crate) const YEAR_FILES: [&str; 7] = [
    "report.yaml",
    "register.yaml",
    "funds.yaml",
    "projects.yaml",
    "measures.yaml",
    "problems.yaml",
    "plan.yaml",
];

/// Read and parse the files [`discover`] found for one office.
pub(crate) fn load_office(found: &FoundOffice, diags: &mut Vec<Diagnostic>) -> LoadedOffice {
    let mut office = LoadedOffice {
        slug: found.slug.clone(),
        dir: found.dir.clone(),
        office: None,
        office_broken: false,
        years: found
            .years
            .iter()
            .map(|(year, dir)| YearSrc {
                year: *year,
                dir: dir.clone(),
                files: YearFiles::default(),
            })
            .collect(),
        sources: Sources::default(),
        fingerprint: String::new(),
    };
    let sources = &mut office.sources;
    let mut hash = InputHash::new(found);
    for (path, year) in &found.files {
        let path = path.clone();
        let Some(year) = *year else {
            match read_parse(&path, sources, diags, &mut hash) {
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
        let at = path.clone();
        let (s, d, h) = (&mut *sources, &mut *diags, &mut hash);
        let read = match name.as_str() {
            "report.yaml" => put(&mut f.report, parse_src(path, s, d, h)),
            "register.yaml" => put(&mut f.register, parse_src(path, s, d, h)),
            "funds.yaml" => put(&mut f.funds, parse_src(path, s, d, h)),
            "projects.yaml" => put(&mut f.projects, parse_src(path, s, d, h)),
            "measures.yaml" => put(&mut f.measures, parse_src(path, s, d, h)),
            "problems.yaml" => put(&mut f.problems, parse_src(path, s, d, h)),
            _ => put(&mut f.plan, parse_src(path, s, d, h)),
        };
        if matches!(name.as_str(), "report.yaml" | "plan.yaml")
            && sources.get(&at).is_some_and(marks_draft)
        {
            f.draft = true;
        }
        if !read {
            f.broken.push(name);
        }
    }
    office.fingerprint = hash.finish();
    office
}

/// Walk `data_dir`: the offices, their years and their files, checked for
/// names, links and places, but not read yet.
pub(crate) fn discover(data_dir: &Path) -> Found {
    let mut out = Found::default();
    match fs::metadata(data_dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            out.diags.push(
                Diagnostic::error(
                    Rule::DataFolder,
                    format!("数据目录“{}”不是文件夹", data_dir.display()),
                )
                .hint("用 --data 指定存放各单位数据的文件夹"),
            );
            return out;
        }
        Err(e) => {
            out.diags.push(
                Diagnostic::error(
                    Rule::DataFolder,
                    format!("找不到数据目录“{}”：{}", data_dir.display(), io_reason(&e)),
                )
                .hint("在项目根目录运行，或用 --data 指定数据文件夹"),
            );
            return out;
        }
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
        .map(|o| {
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
    let path = entry.path().to_path_buf();
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
            .at(&path, Pos::default())
            .hint("把数据文件直接放在 data/ 下，不要用链接指向别处"),
        );
        return;
    }
    match depth {
        1 if ft.is_dir() => match check_slug(&name) {
            Ok(()) => out.offices.push(FoundOffice {
                slug: name,
                dir: path,
                years: Vec::new(),
                files: Vec::new(),
            }),
            Err(why) => out.diags.push(
                Diagnostic::error(Rule::FolderName, format!("单位文件夹名“{name}”不可用：{why}"))
                    .at(&path, Pos::default())
                    .hint("文件夹名只用小写字母、数字、- 和 _（如 xx-qu-fupinban）；单位全称写在 office.yaml 的 name 里"),
            ),
        },
        2 => {
            let Some(office) = out.offices.last_mut().filter(|o| path.starts_with(&o.dir))
            else {
                return; // under a rejected office folder
            };
            if ft.is_dir() {
                match parse_year(&name) {
                    Some(year) => office.years.push((year, path)),
                    None => out.diags.push(
                        Diagnostic::error(Rule::FolderName, format!("年度文件夹名“{name}”不是年份"))
                            .at(&path, Pos::default())
                            .hint("年度文件夹以四位年份命名，如 2017"),
                    ),
                }
            } else if name == "office.yaml" {
                office.files.push((path, None));
            } else {
                unknown_file(&path, &name, &["office.yaml"], &mut out.diags);
            }
        }
        3 => {
            let Some(office) = out.offices.last_mut() else {
                return;
            };
            let Some(index) = office
                .years
                .len()
                .checked_sub(1)
                .filter(|&i| path.starts_with(&office.years[i].1))
            else {
                return;
            };
            if ft.is_dir() {
                out.diags.push(
                    Diagnostic::warning(Rule::FolderIgnored, format!("已忽略文件夹“{}”", path.display()))
                        .at(&path, Pos::default()),
                );
                return;
            }
            if YEAR_FILES.contains(&name.as_str()) {
                office.files.push((path, Some(index)));
            } else {
                unknown_file(&path, &name, &YEAR_FILES, &mut out.diags);
            }
        }
        _ => {
            if ft.is_file() && is_yaml_name(&name) {
                out.diags.push(
                    Diagnostic::warning(Rule::FolderIgnored, format!(
                        "已忽略“{}”：数据文件应放在 data/<单位>/ 或 data/<单位>/<年份>/ 下",
                        path.display()
                    ))
                    .at(&path, Pos::default()),
                );
            }
        }
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

pub(crate) fn parse_year(name: &str) -> Option<i32> {
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
    hash: &mut InputHash,
) -> Option<Src<T>> {
    read_parse(&path, sources, diags, hash).map(|data| Src { path, data })
}

/// The contents of an office's inputs (its name, year folders and every
/// file found for it), xxh3-128: what a rebuild compares. Load computes it
/// from the bytes it reads; [`InputHash::of_files`] reads them for it.
pub(crate) struct InputHash(xxhash_rust::xxh3::Xxh3);

impl InputHash {
    pub(crate) fn new(office: &FoundOffice) -> InputHash {
        let mut h = InputHash(xxhash_rust::xxh3::Xxh3::new());
        h.field(office.slug.as_bytes());
        for (year, _) in &office.years {
            h.field(&year.to_le_bytes());
        }
        h
    }

    /// The hash of an office's files as they are now, read for it.
    pub(crate) fn of_files(office: &FoundOffice) -> String {
        let mut h = InputHash::new(office);
        for (path, _) in &office.files {
            h.file(path, &read_bytes(path).unwrap_or_default());
        }
        h.finish()
    }

    fn field(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn file(&mut self, path: &Path, bytes: &[u8]) {
        self.field(path.as_os_str().as_encoded_bytes());
        self.field(bytes);
    }

    pub(crate) fn finish(&self) -> String {
        format!("{:032x}", self.0.digest128())
    }
}

/// Keep a parsed file; whether there was one.
fn put<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    *slot = value;
    slot.is_some()
}

fn read_parse<T: DeserializeOwned>(
    path: &Path,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
    hash: &mut InputHash,
) -> Option<T> {
    let read = read_checked(path);
    match &read {
        Ok(bytes) => hash.file(path, bytes),
        // As `InputHash::of_files` sees a file it cannot take.
        Err(_) => hash.file(path, &read_bytes(path).unwrap_or_default()),
    }
    let text = match read.and_then(|bytes| decode(path, &bytes)) {
        Ok((t, warning)) => {
            diags.extend(warning);
            t
        }
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let (value, found) = parse_yaml(path, &text);
    sources.insert(path.to_path_buf(), text);
    diags.extend(found);
    value
}

/// A size for people: `100.0 MiB`.
fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
}

/// A data file's bytes (at most the size limit, and one more), for
/// comparing inputs by content.
pub(crate) fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    // A pipe or device would block or never end: never opened.
    if !fs::metadata(path)?.is_file() {
        return Err(std::io::ErrorKind::InvalidInput.into());
    }
    let mut bytes = Vec::new();
    let file = fs::File::open(path)?;
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_FILE_BYTES + 1),
        &mut bytes,
    )?;
    Ok(bytes)
}

/// Read a data file's bytes, refusing what cannot be read safely; they are
/// turned into text by [`decode`]. UTF-8 (with or without a BOM) is read as
/// it is; what Notepad, WPS and Excel save on Chinese Windows (GBK/GB18030
/// "ANSI", UTF-16 with a BOM) is read too, with a warning suggesting UTF-8
/// — the digits are the same bytes in every one of them, so no figure can
/// be misread. Anything else is an error.
fn read_checked(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let fail = |msg: String| Diagnostic::error(Rule::FileRead, msg).at(path, Pos::default());
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
    // At most one byte past the cap, in case the file grew meanwhile.
    let bytes = read_bytes(path)
        .map_err(|e| fail(format!("无法读取“{}”：{}", path.display(), io_reason(&e))))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The text of a data file's bytes, and a warning when it was not UTF-8.
fn decode(path: &Path, bytes: &[u8]) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    let warn = |encoding: &str| {
        Diagnostic::warning(
            Rule::FileEncoding,
            format!(
                "文件“{}”是 {encoding} 编码，已按 {encoding} 读取",
                path.display()
            ),
        )
        .at(path, Pos::default())
        .hint("建议用记事本或 WPS 打开后“另存为”，编码选 UTF-8，其他软件也能正确读取")
    };
    let bom_utf16 = [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ];
    for (bom, encoding) in bom_utf16 {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return match encoding.decode_without_bom_handling_and_without_replacement(rest) {
                Some(text) => Ok((text.into_owned(), Some(warn("UTF-16")))),
                None => Err(not_text(path, "UTF-16 中有无法识别的字符")),
            };
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let e = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((s.to_owned(), None)),
        Err(e) => e,
    };
    if let Some(text) =
        encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
    {
        return Ok((text.into_owned(), Some(warn("GBK（GB18030）"))));
    }
    let line = bytes[..e.valid_up_to()]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1;
    Err(not_text(
        path,
        &format!("第 {line} 行起既不是 UTF-8 也不是 GBK"),
    ))
}

fn not_text(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(
        Rule::FileEncoding,
        format!("文件“{}”无法识别为文字（{why}）", path.display()),
    )
    .at(path, Pos { line: 0, col: 0 })
    .hint("数据文件应是文本文件；请用记事本或 WPS 打开后“另存为”，编码选 UTF-8")
}

/// Parse one YAML document into `T` with duplicate keys, alias bombs and deep
/// nesting refused; errors are translated into Chinese with line and column.
pub(crate) fn parse_yaml<T: DeserializeOwned>(
    path: &Path,
    text: &str,
) -> (Option<T>, Vec<Diagnostic>) {
    let blank = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if blank {
        return (
            None,
            vec![
                Diagnostic::error(Rule::FileEmpty, format!("文件“{}”是空的", path.display()))
                    .at(path, Pos { line: 1, col: 1 })
                    .hint("填写内容，或删除这个文件"),
            ],
        );
    }
    // Every empty value, all at once: the typed parse below stops at the
    // first, and takes an empty optional value for an absent one.
    let found = if might_have_blanks(text) {
        blank_values(text)
    } else {
        Vec::new()
    };
    let blanks: Vec<Diagnostic> = found
        .iter()
        .map(|b| {
            let state = if b.placeholder.is_some() {
                "还是“待填”"
            } else {
                "没有填写"
            };
            let what = match &b.owner {
                Some(owner) => format!("“{owner}”的“{}”{state}", b.key),
                None => format!("“{}”{state}", b.key),
            };
            Diagnostic::error(Rule::Blank, what)
                .at(path, b.placeholder.unwrap_or(b.pos))
                .hint("填上数字或文字；确实没有这一项时，把这一项整个删掉")
        })
        .collect();
    // A placeholder reads as an empty value from here on, so that the rest
    // of the file is still checked.
    let unfilled: Vec<Pos> = found.iter().filter_map(|b| b.placeholder).collect();
    let emptied;
    let text = if unfilled.is_empty() {
        text
    } else {
        emptied = empty_placeholders(text, &unfilled);
        emptied.as_str()
    };
    match parse_typed(path, text) {
        // Empty optional values read as absent: the data is there to check
        // further, and the blanks are reported.
        Ok(v) => (Some(v), blanks),
        // The typed parse stopped at an empty value (a null, or a type error
        // where an empty value stands): already reported.
        Err(e) if !blanks.is_empty() && (e.1 || blanks.iter().any(|b| b.pos == e.0.pos)) => {
            (None, blanks)
        }
        Err(e) => {
            let mut all = blanks;
            all.push(e.0);
            (None, all)
        }
    }
}

/// The typed parse, with its error translated; whether it was about an
/// empty (null) value.
fn parse_typed<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Box<(Diagnostic, bool)>> {
    let options = serde_saphyr::options! {
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_events: MAX_EVENTS,
            max_nodes: MAX_NODES,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_depth: MAX_DEPTH,
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
        let raw = e.without_snippet().to_string();
        let null = raw.to_ascii_lowercase().contains("null");
        let (rule, message, hint) = translate(&raw);
        let pos = if message.contains("Tab") {
            tab_position(text, pos)
        } else {
            pos
        };
        let d = Diagnostic::error(rule, message).at(path, pos);
        let d = match hint {
            Some(h) => d.hint(h),
            None => d,
        };
        Box::new((d, null))
    })
}

/// The YAML parser's messages (English) that nianbao explains, by a phrase
/// they contain (lowercase): the rule, the message and the advice. Checked
/// in order; the first match wins.
const YAML_MESSAGES: &[(&str, Rule, &str, &str)] = &[
    (
        "expected string scalar",
        Rule::YamlType,
        "此处应为单个值（文字、数字或日期），实际是列表或映射",
        "检查缩进和冒号：一个键只对应一个值",
    ),
    (
        "expected a string",
        Rule::YamlType,
        "此处应为单个值（文字、数字或日期），实际是列表或映射",
        "检查缩进和冒号：一个键只对应一个值",
    ),
    (
        "expected a sequence",
        Rule::YamlType,
        "此处应为列表",
        "列表的每一项以“- ”开头，或写成 [a， b]",
    ),
    (
        "expected sequence",
        Rule::YamlType,
        "此处应为列表",
        "列表的每一项以“- ”开头，或写成 [a， b]",
    ),
    (
        "expected struct",
        Rule::YamlType,
        "此处应为映射（若干“键： 值”）",
        "例如 {households: 384, persons: 800}",
    ),
    (
        "expected a map",
        Rule::YamlType,
        "此处应为映射（若干“键： 值”）",
        "例如 {households: 384, persons: 800}",
    ),
    (
        "expected mapping",
        Rule::YamlType,
        "此处应为映射（若干“键： 值”）",
        "例如 {households: 384, persons: 800}",
    ),
    (
        "budget",
        Rule::YamlLimit,
        "文件嵌套过深或别名（&/*）展开过多，超出安全上限",
        "数据文件不需要 YAML 别名；请展开写出，或减少嵌套的层数",
    ),
    (
        "anchor",
        Rule::YamlLimit,
        "别名（&/*）使用有误或过多",
        "数据文件不需要 YAML 别名；请展开写出",
    ),
    (
        "alias",
        Rule::YamlLimit,
        "别名（&/*）使用有误或过多",
        "数据文件不需要 YAML 别名；请展开写出",
    ),
    (
        "depth",
        Rule::YamlLimit,
        "文件嵌套过深，超出安全上限",
        "减少嵌套的层数",
    ),
    (
        "tab",
        Rule::YamlSyntax,
        "缩进里有 Tab 字符",
        "YAML 只能用空格缩进：把这一行开头的 Tab 换成空格",
    ),
    (
        "mapping values are not allowed",
        Rule::YamlSyntax,
        "这里不能出现“键： 值”",
        "多半是这一行缩进多了，或上一行的值里有未加引号的冒号",
    ),
    (
        "mapping keys are not allowed",
        Rule::YamlSyntax,
        "这里不能出现“键： 值”",
        "多半是这一行缩进多了，或上一行的值里有未加引号的冒号",
    ),
    (
        "did not find expected key",
        Rule::YamlSyntax,
        "这一行的缩进与上面的键对不齐",
        "同一层的键要左端对齐；列表项“- ”要比它所属的键多缩进或对齐",
    ),
    (
        "did not find expected '-' indicator",
        Rule::YamlSyntax,
        "列表中的这一行缩进不对",
        "列表的每一项以“- ”开头，并且左端对齐",
    ),
    (
        "block sequence entries are not allowed",
        Rule::YamlSyntax,
        "这里不能开始列表（“- ”）",
        "列表要写在一个键的下一行，并比这个键多缩进",
    ),
    (
        "did not find expected node content",
        Rule::YamlSyntax,
        "这里缺少值",
        "检查冒号后面是否漏写了值，或多了一个符号",
    ),
    (
        "unclosed quote",
        Rule::YamlSyntax,
        "引号没有闭合",
        "检查上一处引号：成对的 \"…\" 或 '…' 应在同一个值里闭合",
    ),
    (
        "quoted scalar",
        Rule::YamlSyntax,
        "引号内的内容有误（引号没有闭合，或有无法识别的转义）",
        "检查成对的 \"…\"；双引号里的反斜杠 \\ 要写成 \\\\，或改用单引号",
    ),
    (
        "unterminated",
        Rule::YamlSyntax,
        "引号没有闭合",
        "检查上一处引号：成对的 \"…\" 或 '…' 应在同一个值里闭合",
    ),
    (
        "closing quote",
        Rule::YamlSyntax,
        "引号没有闭合",
        "检查上一处引号：成对的 \"…\" 或 '…' 应在同一个值里闭合",
    ),
    (
        "flow sequence",
        Rule::YamlSyntax,
        "方括号或花括号没有闭合",
        "检查 [ ] 或 { } 是否成对，项之间用半角逗号分开",
    ),
    (
        "flow mapping",
        Rule::YamlSyntax,
        "方括号或花括号没有闭合",
        "检查 [ ] 或 { } 是否成对，项之间用半角逗号分开",
    ),
    (
        "unclosed bracket",
        Rule::YamlSyntax,
        "方括号或花括号没有闭合",
        "检查 [ ] 或 { } 是否成对",
    ),
    (
        "end of input",
        Rule::YamlSyntax,
        "文件不完整：内容在中途结束",
        "检查文件末尾是否被截断",
    ),
    (
        "eof",
        Rule::YamlSyntax,
        "文件不完整：内容在中途结束",
        "检查文件末尾是否被截断",
    ),
    (
        "invalid indentation",
        Rule::YamlSyntax,
        "缩进不对",
        "同一层的键要左端对齐，只用空格缩进",
    ),
    (
        "trailing content",
        Rule::YamlSyntax,
        "引号后面还有多余的内容",
        "整个值放进引号里，或去掉引号",
    ),
    (
        "document",
        Rule::YamlSyntax,
        "一个文件里只能有一份数据（不要写 --- 或 ...）",
        "删掉“---”“...”这样的分隔行",
    ),
    (
        "directive",
        Rule::YamlSyntax,
        "不支持以 % 开头的 YAML 指令",
        "删掉以 % 开头的行",
    ),
    (
        "tag",
        Rule::YamlSyntax,
        "不支持 YAML 标签（以 ! 开头）",
        "删掉值前面的 ! 标签，或把整个值放进引号",
    ),
    (
        "utf-8",
        Rule::FileEncoding,
        "文件中有无法识别的字符",
        "请用记事本或 WPS“另存为”UTF-8 编码",
    ),
    (
        "encoding",
        Rule::FileEncoding,
        "文件中有无法识别的字符",
        "请用记事本或 WPS“另存为”UTF-8 编码",
    ),
    (
        "unexpected character",
        Rule::YamlSyntax,
        "这里有不能出现的字符",
        "检查这一行的符号是否为半角；文字中有特殊符号时整个值放进引号",
    ),
];

/// Turn the YAML library's messages into Chinese ones with advice. Never
/// passes English through: an unknown message gets a general one.
fn translate(raw: &str) -> (Rule, String, Option<String>) {
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
        return (Rule::YamlKey, format!("未知的键“{field}”"), Some(hint));
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return (
            Rule::YamlKey,
            format!("缺少必填的键“{field}”"),
            Some(format!("请补上“{field}： …”")),
        );
    }
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (
            Rule::YamlKey,
            format!("键“{key}”重复出现"),
            Some("同一层级的键只能出现一次：删除或合并重复的一项".into()),
        );
    }
    if msg.contains("控制字符") {
        let hint = "删掉这个看不见的字符（多半是从别处复制来的，或双引号里的 \\ 转义）；文字中只能有换行和制表符这两种控制字符";
        return (Rule::TextControl, msg, Some(hint.into()));
    }
    if !msg.is_ascii() {
        // nianbao's own messages (numbers) are already Chinese.
        return (Rule::Number, msg, None);
    }
    if let Some(rest) = msg.strip_prefix("budget breached: ") {
        return budget_message(rest);
    }
    let lower = msg.to_ascii_lowercase();
    if let Some((_, rule, message, hint)) = YAML_MESSAGES
        .iter()
        .find(|(phrase, ..)| lower.contains(phrase))
    {
        return (*rule, (*message).into(), Some((*hint).into()));
    }
    (
        Rule::YamlSyntax,
        "YAML 格式错误，无法读懂这一行".into(),
        Some("检查这一行及上一行的缩进、冒号和引号（冒号后要有空格，缩进只用空格）".into()),
    )
}

/// Which safety limit of the parser a file broke, in Chinese, with the
/// limit's number (see [`parse_yaml`]).
fn budget_message(breach: &str) -> (Rule, String, Option<String>) {
    let kind = breach.split([' ', '{']).next().unwrap_or(breach);
    let (what, hint) = match kind {
        "Depth" => (
            format!("嵌套超过 {MAX_DEPTH} 层"),
            "数据文件用不到这么深的嵌套；检查缩进或括号",
        ),
        "Nodes" => (
            format!("值的个数超过 {MAX_NODES} 个"),
            "把数据拆到几个年度或单位中；一个文件不应有这么多项",
        ),
        "Events" => (
            format!("内容超过 {MAX_EVENTS} 个解析单元"),
            "把数据拆到几个年度或单位中；一个文件不应有这么多项",
        ),
        _ => (
            "别名（&/*）使用超过上限（各 1000 个）".to_string(),
            "数据文件不需要 YAML 别名；请展开写出",
        ),
    };
    (
        Rule::YamlLimit,
        format!("文件超出安全上限：{what}"),
        Some(hint.into()),
    )
}

/// Whether a YAML text may hold an empty value, by a look at its lines: a
/// key with nothing after it and nothing nested under it, `: ,`, `: }`,
/// `, ,`, a lone `-`, `~` or `null`. Most files have none, and are spared
/// a second parse; a "maybe" is settled by [`blank_values`].
fn might_have_blanks(text: &str) -> bool {
    if text.contains(PLACEHOLDER) {
        return true;
    }
    let code = |l: &str| -> String {
        let l = match l.find(" #") {
            Some(i) => &l[..i],
            None if l.trim_start().starts_with('#') => "",
            None => l,
        };
        l.trim_end().to_string()
    };
    let lines: Vec<String> = text.lines().map(code).collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let flow = [
            ": ,", ":,", ": }", ":}", ", ,", ",,", "[,", ", ]", ": ~", ": null", ": Null", ": NULL",
        ];
        if t == "-" || t.ends_with(" ~") || flow.iter().any(|f| line.contains(f)) {
            return true;
        }
        if !line.ends_with(':') {
            continue;
        }
        let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
        let nested = next.is_some_and(|n| {
            indent(n) > indent(line)
                || (indent(n) == indent(line) && n.trim_start().starts_with("- "))
        });
        if !nested {
            return true;
        }
    }
    false
}

/// An empty value in a YAML text: its key, the `label` or `name` of the
/// mapping it is in (if written before it), and where it is.
pub(crate) struct BlankValue {
    pub(crate) key: String,
    pub(crate) owner: Option<String>,
    pub(crate) pos: Pos,
    /// Where the value is, when it is the placeholder [`PLACEHOLDER`].
    pub(crate) placeholder: Option<Pos>,
}

/// What a skeleton (`nianbao new`) writes where a value is still to be
/// filled: a blank, reported as one, never published.
pub(crate) const PLACEHOLDER: &str = "待填";

/// Every value left empty in a YAML text (`amount:`, `{count: , amount: }`,
/// `- `, `~`): all of them, before the typed parse stops at the first.
/// Nothing when the text does not parse (the parser's own error says why).
pub(crate) fn blank_values(text: &str) -> Vec<BlankValue> {
    use granit_parser::{Event, Parser, ScalarStyle};
    /// A mapping (the key waiting for its value, the mapping's name so
    /// far) or a sequence.
    enum Frame {
        Map {
            key: Option<(String, Pos)>,
            owner: Option<String>,
        },
        Seq,
    }
    let pos = |m: &granit_parser::Marker| Pos {
        line: m.line() as u32,
        col: m.col() as u32 + 1,
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut out = Vec::new();
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else {
            return Vec::new();
        };
        // A node in a value or item position: reported if empty.
        let mut node = |stack: &mut Vec<Frame>,
                        value: Option<&str>,
                        blank: bool,
                        placeholder: Option<Pos>| match stack.last_mut() {
            Some(Frame::Map { key, owner }) => match key.take() {
                // A node in the key position (a complex key): no value yet.
                None => *key = Some((String::new(), Pos::default())),
                Some((k, at)) => {
                    if blank {
                        out.push(BlankValue {
                            key: k,
                            owner: owner.clone(),
                            pos: at,
                            placeholder,
                        });
                    } else if matches!(k.as_str(), "label" | "name") {
                        *owner = value.map(str::to_string);
                    }
                }
            },
            Some(Frame::Seq) if blank => out.push(BlankValue {
                key: "列表项".into(),
                owner: None,
                pos: pos(&span.start),
                placeholder,
            }),
            _ => {}
        };
        match event {
            Event::Scalar(value, style, _, tag) => {
                let is_key = matches!(stack.last(), Some(Frame::Map { key: None, .. }));
                if is_key {
                    if let Some(Frame::Map { key, .. }) = stack.last_mut() {
                        *key = Some((value.into_owned(), pos(&span.start)));
                    }
                } else {
                    let plain = style == ScalarStyle::Plain && tag.is_none();
                    let placeholder = (plain && value == PLACEHOLDER).then(|| pos(&span.start));
                    let blank = plain
                        && (placeholder.is_some()
                            || matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL"));
                    node(&mut stack, Some(value.as_ref()), blank, placeholder);
                }
            }
            Event::MappingStart(..) => {
                // A mapping inside a named one (`total: {…}` of a figure)
                // is named after it until it names itself.
                let inherited = match stack.last() {
                    Some(Frame::Map { owner, .. }) => owner.clone(),
                    _ => None,
                };
                node(&mut stack, None, false, None);
                stack.push(Frame::Map {
                    key: None,
                    owner: inherited,
                });
            }
            Event::SequenceStart(..) => {
                node(&mut stack, None, false, None);
                stack.push(Frame::Seq);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::Alias(_) => node(&mut stack, None, false, None),
            _ => {}
        }
    }
    out
}

/// The text with each placeholder at `at` (1-based line, column) made an
/// empty value of the same width (`~` and a space), so that every other
/// position stays where it was.
fn empty_placeholders(text: &str, at: &[Pos]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let mut line = line.to_string();
        for p in at.iter().filter(|p| p.line as usize == i + 1) {
            let start: usize = line
                .char_indices()
                .nth(p.col.saturating_sub(1) as usize)
                .map_or(line.len(), |(b, _)| b);
            if line[start..].starts_with(PLACEHOLDER) {
                line.replace_range(start..start + PLACEHOLDER.len(), "~ ");
            }
        }
        out.push_str(&line);
    }
    out
}

/// Where the Tab really is: the parser may report the end of the line
/// before it. The first Tab at or after `pos`, else `pos`.
fn tab_position(text: &str, pos: Pos) -> Pos {
    let from = pos.line.max(1) as usize - 1;
    text.lines()
        .enumerate()
        .skip(from)
        .take(2)
        .find_map(|(i, line)| {
            let col = line.chars().position(|c| c == '\t')?;
            let before_text = line.chars().take(col).all(char::is_whitespace);
            before_text.then(|| Pos {
                line: i as u32 + 1,
                col: col as u32 + 1,
            })
        })
        .unwrap_or(pos)
}

/// An office's own templates (`templates/` beside the data, or
/// `--templates DIR`): each file that takes a built-in's place or is
/// included by one, with its text, and a hash of them all for rebuilds.
#[derive(Default)]
pub(crate) struct TemplateFiles {
    /// File name (the template's name), path and text, in name order.
    pub(crate) files: Vec<(String, PathBuf, String)>,
    /// xxh3 of the names and texts: a change rebuilds every office.
    pub(crate) hash: String,
}

/// Read the office's template folder (`Paths::templates`, resolved once):
/// files ending in .html, .md, .css or .js at its top level; anything else
/// is left alone.
pub(crate) fn templates(dir: Option<&Path>) -> Result<TemplateFiles, crate::diag::Failure> {
    use crate::diag::{Failure, Usage};
    let Some(dir) = dir else {
        return Ok(TemplateFiles::default());
    };
    let mut files = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| Failure::io(Op::ReadTemplates, dir, e))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = [".html", ".md", ".css", ".js"]
            .iter()
            .any(|x| name.ends_with(x));
        if !ours || !path.is_file() {
            continue;
        }
        let bytes = read_bytes(&path).map_err(|e| Failure::io(Op::ReadTemplate, &path, e))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Failure::Usage(Usage::TemplateEncoding(path.clone())))?;
        files.push((name, path, text));
    }
    files.sort();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (name, _, text) in &files {
        h.update(name.as_bytes());
        h.update(&[0]);
        h.update(text.as_bytes());
        h.update(&[0]);
    }
    Ok(TemplateFiles {
        files,
        hash: format!("{:032x}", h.digest128()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_look_misses_no_blank_the_parser_finds() {
        let blank = [
            "a: 1\nb:\nc: 2\n",
            "a:\n  b:\nc: 1\n",
            "x: {count: , amount: }\n",
            "x: {count: 1, amount:}\n",
            "l:\n  -\n  - 2\n",
            "a: ~\n",
            "a: null # 空\n",
            "last:\n",
            "a:   # 注释\nb: 1\n",
        ];
        for text in blank {
            assert!(!blank_values(text).is_empty(), "parser: {text:?}");
            assert!(might_have_blanks(text), "quick look: {text:?}");
        }
        let full = [
            "a: 1\nb:\n  c: 2\n",
            "l:\n- 1\n- 2\n",
            "t: \"a: ,\"\n",
            "n: |\n  text\n",
        ];
        for text in full {
            assert!(blank_values(text).is_empty(), "{text:?}");
        }
        assert!(!might_have_blanks(full[0]) && !might_have_blanks(full[1]));
    }

    #[test]
    fn translates_unknown_field_with_suggestion() {
        let (_, m, h) = translate("unknown field `amout`, expected one of `name`, `amount`");
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

/// A cell of a spreadsheet, as import needs it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    /// A number, as the shortest decimal that reads back as the cell's
    /// value (what Excel shows at full precision).
    Number(String),
    /// A date cell: its serial day (Excel's 1900 or 1904 system resolved).
    Date(chrono::NaiveDate),
}

/// A sheet as read: its name, its cells (row 0 is the sheet's row 1) and
/// its merged regions ((first row, first column), (last row, last column)).
#[derive(Debug, Default)]
pub(crate) struct Grid {
    pub(crate) sheet: String,
    pub(crate) rows: Vec<Vec<Cell>>,
    pub(crate) merged: Vec<((u32, u32), (u32, u32))>,
}

/// Read a spreadsheet for `nianbao import`: an .xlsx/.xls/.ods sheet (the
/// first, or the one named) with calamine, or a CSV in UTF-8 or GBK (as
/// Excel saves it on a Chinese Windows).
pub(crate) fn read_grid(path: &Path, sheet: Option<&str>) -> Result<Grid, crate::diag::Failure> {
    use crate::diag::{Failure, Usage};
    let sheet_failure = |why| {
        Failure::Usage(Usage::Sheet {
            path: path.to_path_buf(),
            why,
        })
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "csv" || ext == "txt" {
        let bytes = read_bytes(path).map_err(|e| Failure::io(Op::Read, path, e))?;
        return csv_grid(&bytes).map_err(sheet_failure);
    }
    xlsx_grid(path, sheet).map_err(sheet_failure)
}

fn xlsx_grid(path: &Path, sheet: Option<&str>) -> Result<Grid, String> {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(path).map_err(|e| format!("不是可读的 Excel 文件（{e}）"))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| format!("没有名为“{s}”的工作表（有：{}）", names.join("、")))?,
        None => names.first().cloned().ok_or("文件里没有工作表")?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("工作表“{name}”读不出来（{e}）"))?;
    let merged = match &mut book {
        calamine::Sheets::Xlsx(x) => x
            .merge_cells_by_sheet_name(&name)
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.start, d.end))
            .collect(),
        _ => Vec::new(),
    };
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = vec![Vec::new(); r0 as usize];
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; c0 as usize];
        cells.extend(row.iter().map(|d| match d {
            Data::Empty | Data::Error(_) => Cell::Empty,
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Int(i) => Cell::Number(i.to_string()),
            Data::Float(f) => Cell::Number(f.to_string()),
            Data::Bool(b) => Cell::Text(b.to_string()),
            Data::DateTime(d) => {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))
                    .map_or(Cell::Number(d.as_f64().to_string()), Cell::Date)
            }
        }));
        rows.push(cells);
    }
    Ok(Grid {
        sheet: name,
        rows,
        merged,
    })
}

fn csv_grid(bytes: &[u8]) -> Result<Grid, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err("既不是 UTF-8 也不是 GBK 编码".into());
            }
            t.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("CSV 格式有误（{e}）"))?;
        rows.push(
            record
                .iter()
                .map(|s| {
                    let s = s.trim();
                    if s.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Grid {
        sheet: String::new(),
        rows,
        merged: Vec::new(),
    })
}

/// The money unit of a year's funds.yaml (万元 when there is none or it
/// says none), for amounts imported into that year.
pub(crate) fn funds_unit(year_dir: &Path) -> String {
    let path = year_dir.join("funds.yaml");
    let text = existing_text(&path).unwrap_or_default();
    let (file, _) = parse_yaml::<raw::FundsFile>(&path, &text);
    file.and_then(|f| f.unit)
        .map_or_else(|| "万元".into(), |u| u.s.trim().to_string())
}

/// A data file's text, if it is there.
pub(crate) fn existing_text(path: &Path) -> Option<String> {
    read_bytes(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}
