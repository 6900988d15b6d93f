//! The office's own templates: the files of its templates folder that
//! take a built-in's place or are included by one.

use std::fs;
use std::path::{Path, PathBuf};

use super::read::read_bytes;
use crate::diag::{Failure, Op, Usage};

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
pub(crate) fn templates(dir: Option<&Path>) -> Result<TemplateFiles, Failure> {
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
