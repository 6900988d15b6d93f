//! `nianbao import`: a sheet into a year folder. Every bad cell is reported
//! at once and nothing is written (unless `--partial`); then the office is
//! checked like typed data.

use std::path::Path;
use std::process::ExitCode;

use crate::authoring::import::{self, Kind};
use crate::commands::args::{ImportArgs, ImportWhat, Report};
use crate::commands::report::{Kind as Command, finish};
use crate::diag::rule::Rule;
use crate::diag::{self, Diagnostic, Failure, Style, Usage};
use crate::paths::Paths;
use crate::{Outcome, input, pipeline, site};

pub(crate) fn run(args: ImportArgs, style: Style) -> ExitCode {
    let map = match parse_map(&args.map) {
        Ok(m) => m,
        Err(why) => {
            eprintln!("用法错误：{why}");
            return ExitCode::from(2);
        }
    };
    let kind = match args.what {
        ImportWhat::Projects => Kind::Projects,
        ImportWhat::Batches => Kind::Batches,
        ImportWhat::Exits => Kind::Exits,
    };
    let outcome = import_sheet(&args, kind, &map);
    finish(
        &outcome,
        &Report::text(),
        style,
        Command::Import,
        |summary| match outcome.created.first() {
            Some(p) => format!(
                "已导入 {} 行到 {}（检查：{summary}）",
                outcome.rows,
                diag::display_path(p)
            ),
            None => format!(
                "未写入任何文件：{summary}。改正表格后重新导入，或加 --partial 只导入没有错的行。"
            ),
        },
    )
}

/// Read the sheet, write what it gives into the year folder's file (the
/// old one kept as `.bak`), then check that office.
fn import_sheet(args: &ImportArgs, kind: Kind, map: &[(String, String)]) -> Outcome {
    let mut outcome = Outcome::default();
    let to = &args.to;
    let year = to
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(input::parse_year);
    let Some(year) = year else {
        return Outcome::failed(Failure::Usage(Usage::ImportTo(to.clone())));
    };
    let known = kind.keys();
    if let Some((h, f)) = map.iter().find(|(_, f)| !known.contains(&f.as_str())) {
        return Outcome::failed(Failure::Usage(Usage::ImportField {
            heading: h.clone(),
            field: f.clone(),
            known: known.to_vec(),
        }));
    }
    let grid = match input::read_grid(&args.file, args.sheet.as_deref()) {
        Ok(g) => g,
        Err(e) => return Outcome::failed(e),
    };
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unit = input::funds_unit(to);
    let req = import::Request {
        kind,
        file: &name,
        map,
        unit: &unit,
        year,
    };
    let got = import::import(&grid, &req);
    for e in &got.errors {
        outcome
            .diags
            .push(Diagnostic::error(Rule::ImportCell, e.clone()));
    }
    if (!got.errors.is_empty() && !args.partial) || got.items.is_empty() {
        return outcome;
    }
    let target = to.join(kind.file());
    let sheet = Sheet {
        name: &name,
        unit: &unit,
        replace: args.replace,
    };
    if let Err(e) = write_target(&target, kind, &got, &sheet) {
        outcome.fail(e);
        return outcome;
    }
    outcome.created.push(target);
    outcome.rows = got.items.len();
    check_written(&mut outcome, to);
    outcome
}

/// The sheet imported, as the written file names it.
struct Sheet<'a> {
    /// Its file name.
    name: &'a str,
    /// The unit its amounts were converted to.
    unit: &'a str,
    /// `--replace`: a projects.yaml there may be replaced.
    replace: bool,
}

/// Write what the sheet gave into `target`: the file there edited in its
/// own encoding, BOM and line ends, read back as build would before
/// anything is written, and kept as a numbered backup.
fn write_target(
    target: &Path,
    kind: Kind,
    got: &import::Imported,
    sheet: &Sheet,
) -> Result<(), Failure> {
    let refused = |why: String| {
        Failure::Usage(Usage::ImportRefused {
            path: target.to_path_buf(),
            why,
        })
    };
    // The file there, read as build reads it; one build cannot read is not
    // edited.
    let before = input::read_stored(target)
        .map_err(|d| refused(format!("原文件读不出来（{}）", d.message)))?;
    if kind == Kind::Projects && before.is_some() && !sheet.replace {
        return Err(Failure::Usage(Usage::ImportTargetExists(
            target.to_path_buf(),
        )));
    }
    let text = import::file_text(
        kind,
        before.as_ref().map(|b| b.text.as_str()),
        got,
        sheet.name,
        sheet.unit,
    );
    let bytes = match &before {
        Some(b) => b.encode(&text),
        None => text.into_bytes(),
    };
    match input::read_back(target, &bytes) {
        Ok(n) if n == got.items.len() => site::replace_keeping(target, &bytes),
        Ok(n) => Err(refused(format!(
            "改好的文件读回来有 {n} 条，应是 {} 条；请手工把导入的内容放进文件",
            got.items.len()
        ))),
        Err(why) => Err(refused(format!("改好的文件 nianbao 读不回来（{why}）"))),
    }
}

/// What was written is checked as typed data is: its office alone (and the
/// townships it sums), not the whole data folder.
fn check_written(outcome: &mut Outcome, year_dir: &Path) {
    let Some(data) = year_dir.parent().and_then(Path::parent) else {
        return;
    };
    let paths = Paths::of_data(data);
    let found = input::discover(&paths.data);
    let wanted: Vec<bool> = found
        .offices
        .iter()
        .map(|f| year_dir.starts_with(&f.dir))
        .collect();
    let checked = pipeline::check_offices(&found.offices, &wanted, |_, a| (a.diags, a.sources));
    for (diags, sources) in checked.into_iter().flatten() {
        outcome.diags.extend(
            diags
                .into_iter()
                .filter(|d| d.file.as_deref().is_some_and(|f| f.starts_with(year_dir))),
        );
        outcome.sources = sources;
    }
}

/// `--map 表头=字段` pairs.
fn parse_map(pairs: &[String]) -> Result<Vec<(String, String)>, String> {
    pairs
        .iter()
        .map(|p| {
            p.split_once(['=', '＝'])
                .map(|(h, f)| (h.trim().to_string(), f.trim().to_string()))
                .filter(|(h, f)| !h.is_empty() && !f.is_empty())
                .ok_or_else(|| {
                    format!("--map 写成 表头=字段，如 --map 投资额=budget（写的是“{p}”）")
                })
        })
        .collect()
}
