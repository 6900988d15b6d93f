//! `nianbao schema`: placeholder.
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn run(_dir: &Path) -> ExitCode {
    ExitCode::from(2)
}
