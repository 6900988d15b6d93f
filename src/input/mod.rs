//! Stage 1, load: walk `data/`, read each known YAML file and parse it into
//! the raw types, keeping every file's text for diagnostics.
//!
//! Layout: `data/<office>/office.yaml` and `data/<office>/<year>/<part>.yaml`.
//! Problems are collected, not thrown: one bad file does not hide another.
//!
//! Here the types and [`load_office`]; the walk in `discover`, bytes and
//! encodings in `read`, the parse in `yaml` (its errors in `yaml_error`,
//! empty values in `blanks`), and for other commands the spreadsheets of
//! import (`sheets`) and an office's own templates (`templates`).

mod blanks;
mod block;
mod discover;
mod flow;
mod read;
mod sheets;
mod stamp;
mod templates;
mod yaml;
mod yaml_error;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

pub(crate) use blanks::PLACEHOLDER;
pub(crate) use discover::{Seen, check_slug, discover, discover_since, parse_year};
use read::{decode, read_bytes, read_checked};
pub(crate) use read::{read_back, read_stored};
pub(crate) use sheets::{Cell, Grid, read_grid};
pub(crate) use stamp::{Folder, Stamp, Stamps, since_epoch, trusted};
pub(crate) use templates::{TemplateFiles, templates};
pub(crate) use yaml::funds_unit;
use yaml::parse_yaml;

use crate::diag::{Diagnostic, Sources};
use crate::model::raw;

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
    /// The stamps of the office's folder and of its year folders, taken
    /// before they were read; empty when the walk had something to say (the
    /// next build walks it again, to say it again). See [`Seen`].
    pub(crate) folders: Vec<Stamp>,
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
const YEAR_FILES: [&str; 7] = [
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

fn parse_src<T: DeserializeOwned + 'static>(
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
    fn new(office: &FoundOffice) -> InputHash {
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

    fn finish(&self) -> String {
        format!("{:032x}", self.0.digest128())
    }
}

/// Keep a parsed file; whether there was one.
fn put<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    *slot = value;
    slot.is_some()
}

/// The units an office's office.yaml lists (`units:`), read on their own:
/// the roll-up must know which offices to hold before it reads them whole.
/// Nothing is reported here; the whole read reports any problem.
pub(crate) fn listed_units(found: &FoundOffice) -> Vec<String> {
    let Some((path, _)) = found.files.iter().find(|(_, year)| year.is_none()) else {
        return Vec::new();
    };
    let text = read_checked(path).and_then(|bytes| decode(path, &bytes));
    let Ok((text, _)) = text else {
        return Vec::new();
    };
    let (office, _) = parse_yaml::<raw::OfficeFile>(path, &text);
    office
        .map(|o| o.units.iter().map(|t| t.s.trim().to_string()).collect())
        .unwrap_or_default()
}

fn read_parse<T: DeserializeOwned + 'static>(
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
