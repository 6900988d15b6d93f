//! Stage 2, check: turn the raw files into validated [`model`] types and
//! collect every problem (not just the first), each with file, line and field.
//!
//! Two kinds of rule live here: shape rules (a count is a whole number, a
//! date is a date, a figure has the keys its kind needs) and arithmetic rules
//! (a stated total is the sum of its parts, a stated rate is numerator over
//! denominator at the stated precision). Arithmetic uses [`crate::model::num`].
//!
//! One `Checker` walks an office; its methods are split by the file they
//! read: `office` (office.yaml, and each year put together), `report`
//! (report.yaml's head), `chapters` (the shape of a document's chapters),
//! `register`, `funds`, `projects`, `measures` (measures.yaml and
//! problems.yaml), `plan`, with `figures` and `breakdowns` shared by several
//! files, `scalars` (counts, amounts, dates) and `prose` under them all.

mod breakdowns;
mod chapters;
mod figures;
pub(crate) mod findings;
mod funds;
mod measures;
mod office;
mod plan;
mod projects;
pub(crate) mod prose;
mod register;
mod report;
mod scalars;

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Pos, Rule, Sources};
use crate::input::LoadedOffice;
use crate::model::Office;
use crate::validate::findings::{At, Findings};

/// Validate one office: the office as far as it could be understood (so
/// that reconcile can still report on the rest), and its findings.
pub(crate) fn validate_office(src: &LoadedOffice) -> (Option<Office>, Vec<Diagnostic>) {
    let mut c = Checker {
        sources: &src.sources,
        f: Findings::default(),
        rejected: BTreeSet::new(),
        ack: None,
    };
    let office = c.office(src);
    (office, c.f.list)
}

/// One office being validated: the texts of its files (for positions in
/// prose), the findings so far, and what the current year rejected.
struct Checker<'a> {
    sources: &'a Sources,
    f: Findings,
    /// Labels of the current year's figures that were rejected: citing
    /// them is not a second finding.
    rejected: BTreeSet<String>,
    /// The `ack` of the file being read (register.yaml's): households
    /// above persons there, published so, is acknowledged, not refused.
    ack: Option<String>,
}

impl Checker<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.f.push(d);
    }

    fn error(&mut self, rule: Rule, at: At, pos: Pos, msg: impl Into<String>, hint: Option<&str>) {
        self.f.error(rule, at, pos, msg, hint);
    }

    fn warn(&mut self, rule: Rule, at: At, pos: Pos, msg: impl Into<String>, hint: Option<&str>) {
        self.f.warn(rule, at, pos, msg, hint);
    }
}
