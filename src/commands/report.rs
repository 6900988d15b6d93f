//! What a command prints when it is done — its findings (grouped by file,
//! or as JSON), notes, failure and closing line — and its exit code, decided
//! here and nowhere else (see the module docs of `commands`).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use crate::Outcome;
use crate::commands::args::{Format, Report};
use crate::diag::{self, Counts, Failure, Style};

/// What was asked, for the exit code.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Build,
    Check,
    Names,
    Export,
    Import,
}

/// The style for this process's standard error.
pub(crate) fn terminal_style() -> Style {
    style_for(
        std::env::var_os("NO_COLOR").as_deref(),
        std::io::stderr().is_terminal(),
        std::env::var("COLUMNS").ok().as_deref(),
    )
}

/// Colour only on a terminal, never with `NO_COLOR` set (to anything but
/// the empty string, as no-color.org says); the terminal's width when
/// `COLUMNS` gives a usable one.
fn style_for(no_color: Option<&std::ffi::OsStr>, terminal: bool, columns: Option<&str>) -> Style {
    let no_color = no_color.is_some_and(|v| !v.is_empty());
    let width = columns
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100);
    Style {
        color: terminal && !no_color,
        width,
    }
}

/// Print the findings and the closing line; decide the exit code.
pub(crate) fn finish(
    outcome: &Outcome,
    report: &Report,
    style: Style,
    kind: Kind,
    closing: impl FnOnce(&str) -> String,
) -> ExitCode {
    if report.format == Format::Json {
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        let _ = diag::write_json(&mut stdout, &outcome.diags, &outcome.sources);
        let _ = stdout.flush();
    }
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    if report.format == Format::Text {
        let mut buffered = std::io::BufWriter::new(&mut err);
        let _ = diag::write_grouped(&mut buffered, &outcome.diags, &outcome.sources, style);
        let _ = buffered.flush();
    }
    for note in &outcome.notes {
        let _ = writeln!(err, "注意：{}", diag::escape_controls(note));
    }
    if let Some(f) = &outcome.failure {
        let _ = writeln!(err, "{}", diag::escape_controls(&f.message()));
        if kind == Kind::Build {
            let _ = writeln!(err, "原有站点未改动。");
        }
    } else {
        let summary = Counts::of(&outcome.diags).describe();
        let _ = writeln!(err, "{}", closing(&summary));
    }
    ExitCode::from(exit_code(outcome, kind, report.strict))
}

/// The one place exit codes are decided (see the module docs).
pub(crate) fn exit_code(outcome: &Outcome, kind: Kind, strict: bool) -> u8 {
    match &outcome.failure {
        Some(Failure::Internal(_)) => return 4,
        Some(Failure::Io(_) | Failure::Refused(_)) => return 3,
        Some(Failure::Usage(_)) => return 2,
        Some(Failure::Template(_)) => return 1,
        None => {}
    }
    // A draft's findings are reported, never a failure: the draft is not
    // published until it is finished.
    let in_force = |d: &&diag::Diagnostic| !d.draft;
    let failed = match kind {
        Kind::Build => !(outcome.published || outcome.unchanged),
        Kind::Check => outcome
            .diags
            .iter()
            .filter(in_force)
            .any(|d| d.is_error() || strict),
        Kind::Names => outcome.diags.iter().any(|d| d.blocks(false)),
        Kind::Export => false,
        Kind::Import => outcome.created.is_empty() || outcome.diags.iter().any(|d| d.blocks(false)),
    };
    u8::from(failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(style_for(None, true, None).color);
        assert!(!style_for(None, false, None).color);
        assert!(!style_for(Some(OsStr::new("1")), true, None).color);
        assert!(style_for(Some(OsStr::new("")), true, None).color);
        assert_eq!(style_for(None, true, Some("160")).width, 160);
        assert_eq!(style_for(None, true, Some("abc")).width, 100);
    }

    #[test]
    fn exit_codes() {
        let mut o = Outcome::default();
        assert_eq!(exit_code(&o, Kind::Check, false), 0);
        assert_eq!(exit_code(&o, Kind::Build, false), 1);
        o.published = true;
        assert_eq!(exit_code(&o, Kind::Build, false), 0);
        o.failure = Some(Failure::io(
            crate::diag::Op::Write,
            std::path::Path::new("x"),
            std::io::Error::other("x"),
        ));
        assert_eq!(exit_code(&o, Kind::Build, false), 3);
        o.failure = Some(Failure::Internal(crate::diag::Internal::Template(
            "模板".into(),
        )));
        assert_eq!(exit_code(&o, Kind::Build, false), 4);
        assert!(
            o.failure
                .as_ref()
                .unwrap()
                .message()
                .contains("不是数据的问题")
        );
    }
}
