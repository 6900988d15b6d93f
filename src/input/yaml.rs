//! One YAML document parsed into a type of `model::raw` with serde-saphyr:
//! empty files, empty values and the parser's safety limits, every error
//! told in Chinese (by [`Problem`]) with its line and column.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::blanks::{BlankValue, blank_values, empty_placeholders, might_have_blanks};
use super::read::existing_text;
use super::yaml_error::{Problem, about_null};
use crate::diag::{Diagnostic, Pos, Rule};
use crate::model::raw;

/// Parser limits (documented in the README): the file size is the one a
/// real file meets first; these only stop what no office writes.
pub(super) const MAX_DEPTH: usize = 64;
pub(super) const MAX_NODES: usize = 4_000_000;
pub(super) const MAX_EVENTS: usize = 8_000_000;

/// Parse one YAML document into `T` with duplicate keys, alias bombs and deep
/// nesting refused; errors are translated into Chinese with line and column.
pub(super) fn parse_yaml<T: DeserializeOwned + 'static>(
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
    let blanks = blank_findings(path, &found);
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
    if found.is_empty()
        && let Some(v) = fast_path::<T>(text)
    {
        return (Some(v), Vec::new());
    }
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

/// A project list in the form [`super::flow`] reads, or fields of work,
/// funds or a plan in the forms [`super::block`] reads, without the parser
/// (`None` for any other type or form).
fn fast_path<T: 'static>(text: &str) -> Option<T> {
    let of = std::any::TypeId::of::<T>();
    let read: Box<dyn std::any::Any> = if of == std::any::TypeId::of::<raw::ProjectsFile>() {
        Box::new(super::flow::projects(text)?)
    } else if of == std::any::TypeId::of::<raw::MeasuresFile>() {
        Box::new(super::block::measures(text)?)
    } else if of == std::any::TypeId::of::<raw::FundsFile>() {
        Box::new(super::block::funds(text)?)
    } else if of == std::any::TypeId::of::<raw::PlanFile>() {
        Box::new(super::block::plan(text)?)
    } else {
        return None;
    };
    read.downcast().ok().map(|b| *b)
}

/// A finding for each empty value.
fn blank_findings(path: &Path, found: &[BlankValue]) -> Vec<Diagnostic> {
    found
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
        .collect()
}

/// The typed parse, with its error translated; whether it was about an
/// empty (null) value.
fn parse_typed<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Box<(Diagnostic, bool)>> {
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| {
        let pos = e
            .location()
            .map(|l| Pos {
                line: l.line() as u32,
                col: l.column() as u32,
            })
            .unwrap_or_default();
        let problem = Problem::of(&e);
        let pos = if problem == Problem::Tab {
            tab_position(text, pos)
        } else {
            pos
        };
        let (rule, message, hint) = problem.text();
        let d = Diagnostic::error(rule, message).at(path, pos);
        let d = match hint {
            Some(h) => d.hint(h),
            None => d,
        };
        Box::new((d, about_null(&e)))
    })
}

/// The parser's options: its limits ([`MAX_EVENTS`], [`MAX_NODES`],
/// [`MAX_DEPTH`]), aliases bounded, no snippets (nianbao draws its own).
pub(super) fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
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
    }
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

/// The money unit of a year's funds.yaml (万元 when there is none or it
/// says none), for amounts imported into that year.
pub(crate) fn funds_unit(year_dir: &Path) -> String {
    let path = year_dir.join("funds.yaml");
    let text = existing_text(&path).unwrap_or_default();
    let (file, _) = parse_yaml::<raw::FundsFile>(&path, &text);
    file.and_then(|f| f.unit)
        .map_or_else(|| "万元".into(), |u| u.s.trim().to_string())
}
