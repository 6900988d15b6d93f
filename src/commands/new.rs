//! `nianbao new` (an office, or a year of one, as commented skeletons) and
//! `nianbao templates export` (the built-in templates, to start an office's
//! own from).

use std::path::Path;
use std::process::ExitCode;

use crate::authoring::scaffold;
use crate::commands::args::Report;
use crate::commands::report::{Kind, finish};
use crate::diag::{self, Failure, Style, Usage};
use crate::paths::Paths;
use crate::{Outcome, input, output, site};

pub(crate) fn run(
    data: &Path,
    slug: &str,
    year: Option<i32>,
    draft: bool,
    style: Style,
) -> ExitCode {
    let outcome = new(&Paths::of_data(data), slug, year, draft);
    finish(&outcome, &Report::text(), style, Kind::Export, |_| {
        let mut s = String::new();
        for p in &outcome.created {
            s += &format!("已写入 {}\n", diag::display_path(p));
        }
        s + "把其中的“待填”都填上，再运行 nianbao check 检查。"
    })
}

/// Start an office, or a year of one: commented files with every figure
/// still to fill as a placeholder. A new year starts from the year before
/// it. Nothing is replaced: where a file is there already, nothing is
/// written.
pub(crate) fn new(paths: &Paths, slug: &str, year: Option<i32>, draft: bool) -> Outcome {
    let mut outcome = Outcome::default();
    if let Err(why) = input::check_slug(slug) {
        let slug = slug.to_string();
        return Outcome::failed(Failure::Usage(Usage::Slug {
            slug,
            why: why.to_string(),
        }));
    }
    // The year as a year folder is named, and read back as one.
    if let Some(y) = year
        && input::parse_year(&format!("{y:04}")) != Some(y)
    {
        return Outcome::failed(Failure::Usage(Usage::Year(y)));
    }
    let found = input::discover(&paths.data);
    let existing = found.offices.iter().find(|o| o.slug == slug);
    let files = match (existing, year) {
        (None, year) => scaffold::office(slug, year.unwrap_or_else(this_year)),
        (Some(_), None) => {
            return Outcome::failed(Failure::Usage(Usage::OfficeExists(slug.to_string())));
        }
        (Some(found), Some(year)) => {
            let loaded = input::load_office(found, &mut outcome.diags);
            scaffold::next_year(&loaded, year, draft)
        }
    };
    // What the year before could not give (a file that does not parse) is
    // reported; the new files start from what could be read.
    outcome.diags.retain(|d| d.is_error());
    match site::create_new(&paths.data, &files, "文件") {
        Ok(_) => outcome.created = files.iter().map(|(p, _)| paths.data.join(p)).collect(),
        Err(e) => outcome.fail(e),
    }
    // The schemas the files' first lines name, for an editor (issue 26).
    if outcome.failure.is_none() {
        let dir = paths.data.join(scaffold::SCHEMA_DIR);
        if let Err(why) = crate::commands::schema::write(&dir) {
            outcome.notes.push(why);
        }
    }
    outcome
}

/// The calendar year now (UTC): the year a new office starts with.
fn this_year() -> i32 {
    use chrono::Datelike;
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0).map_or(2026, |t| t.year())
}

pub(crate) fn run_export(dir: &Path, style: Style) -> ExitCode {
    let outcome = export_templates(dir);
    finish(&outcome, &Report::text(), style, Kind::Export, |_| {
        format!(
            "已写出 {} 个模板到 {}",
            outcome.created.len(),
            dir.display()
        )
    })
}

/// Write the built-in templates into `dir`; a file already there is never
/// replaced (then nothing is written).
fn export_templates(dir: &Path) -> Outcome {
    let files = output::builtin_files();
    match site::export(dir, &files) {
        Ok(_) => Outcome {
            created: files.iter().map(|(name, _)| dir.join(name)).collect(),
            ..Outcome::default()
        },
        Err(e) => Outcome::failed(e),
    }
}
