//! nianbao (年报): year-end reports of poverty-alleviation offices, from
//! YAML data to a static site.
//!
//! The data flows through the stages in this order, one folder each (each
//! folder uses only the ones before it; `tests/stages.rs` checks it):
//!
//! 1. [`diag`]: findings, rules and failures, with their Chinese messages;
//! 2. [`paths`]: every folder of a run, resolved once;
//! 3. [`model`]: the data as typed (`raw`) and as validated, numbers,
//!    the citation names, the document's shape;
//! 4. [`input`]: reading the data folder (and sheets, and templates);
//! 5. [`validate`]: raw → model, collecting every problem;
//! 6. [`analysis`]: metrics, roll-up, reconcile, the contradiction check;
//! 7. [`charts`]: charts from the metrics;
//! 8. [`views`]: what the templates see;
//! 9. [`output`]: HTML, Markdown and Word strings, and the search index;
//! 10. [`site`]: the only writer of the output folder, and the build state;
//! 11. [`authoring`]: files written into the data folder (`new`, `import`);
//! 12. [`commands`]: the command line, one file per command.
//!
//! [`pipeline`] names the stages an office goes through and the steps of a
//! site build. This file holds the public API only.

mod analysis;
mod authoring;
mod charts;
pub mod commands;
mod diag;
mod input;
mod model;
mod output;
mod paths;
mod pipeline;
mod site;
mod validate;
mod views;

use std::path::{Path, PathBuf};

use diag::Sources;
pub use diag::{Diagnostic, Failure, Pos, Severity};

/// What a build is asked, as written on the command line (resolved into
/// [`paths::Paths`] before any work).
#[derive(Clone, Debug)]
pub struct Options {
    pub data: PathBuf,
    pub out: PathBuf,
    /// The office's own templates (default: `templates/` beside the data
    /// folder, when there is one).
    pub templates: Option<PathBuf>,
    /// Warnings and acknowledged errors stop the build too.
    pub strict: bool,
    /// Publish draft years too (marked 草稿), those with nothing wrong.
    pub drafts: bool,
}

/// What a run found and did. `diags` holds every finding, warnings too.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diags: Vec<Diagnostic>,
    sources: Sources,
    /// Documents in the site (`build`; 0 when the build stopped).
    pub documents: usize,
    /// Whether `output/` was replaced.
    pub published: bool,
    /// Nothing changed since the last build: `output/` was left as it is.
    pub unchanged: bool,
    /// Offices rebuilt and offices carried over from the last build.
    pub rebuilt: usize,
    pub reused: usize,
    /// Rows written into the data (`import`).
    pub rows: usize,
    /// The output could not be written, or nianbao itself failed.
    pub failure: Option<Failure>,
    /// What the user should know that is neither a finding nor a failure
    /// (a leftover that could not be removed).
    pub notes: Vec<String>,
    /// Files written outside the site (`new`, `import`, `templates export`).
    pub created: Vec<PathBuf>,
    /// The 核对表 a build of the checked data writes, in the site
    /// (`xx-qu/2017/figures.html`; `check`).
    pub checklists: Vec<PathBuf>,
}

impl Outcome {
    /// An outcome that starts with the findings of a walk of the data.
    fn with(diags: Vec<Diagnostic>) -> Outcome {
        Outcome {
            diags,
            ..Outcome::default()
        }
    }

    /// An outcome that is only a failure.
    fn failed(failure: Failure) -> Outcome {
        Outcome {
            failure: Some(failure),
            ..Outcome::default()
        }
    }

    /// Whether anything stops a build (see [`Diagnostic::blocks`]).
    pub fn blocked(&self, strict: bool) -> bool {
        self.diags.iter().any(|d| d.blocks(strict))
    }

    fn fail(&mut self, failure: Failure) {
        self.failure.get_or_insert(failure);
    }
}

/// Check the data and publish the site (`nianbao build`).
pub fn build(opts: &Options) -> Outcome {
    commands::build::build(opts)
}

/// Check the data without writing anything (`nianbao check`).
pub fn check(data: &Path) -> Outcome {
    commands::check::check(&paths::Paths::of_data(data))
}
