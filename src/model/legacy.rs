//! Spellings of past formats that are still read. An office keeps its data
//! for years and starts each year from the last one, so a name, key or
//! value renamed since is accepted with a warning (`format.old`) naming
//! today's spelling; `nianbao migrate` writes today's in its place. Renamed
//! citation names follow the register's vocabulary and live in
//! [`crate::model::cite`] ([`crate::model::Labels::former`]); the fixed
//! spellings are listed here.

use crate::diag::{Diagnostic, Rule};

/// `level:` in office.yaml was free text before the eras: the spellings
/// offices used then, with today's.
const LEVELS: &[(&str, &str)] = &[
    ("县直部门", "部门"),
    ("县直单位", "部门"),
    ("县级部门", "部门"),
    ("区直部门", "部门"),
    ("市直部门", "部门"),
    ("省直部门", "部门"),
    ("县区", "区县"),
    ("县（区）", "区县"),
    ("县(区)", "区县"),
    ("区/县", "区县"),
    ("县/区", "区县"),
    ("县（市、区）", "区县"),
    ("县市区", "区县"),
    ("乡（镇）", "乡镇"),
    ("乡(镇)", "乡镇"),
    ("乡/镇", "乡镇"),
    ("乡镇（街道）", "乡镇"),
    ("地市", "市级"),
    ("地市级", "市级"),
    ("省级部门", "省级"),
];

/// Today's spelling of a level a past format took.
pub(crate) fn level(old: &str) -> Option<&'static str> {
    LEVELS.iter().find(|(o, _)| *o == old).map(|(_, n)| *n)
}

/// The warning for a spelling of a past format: `old`, at the finding's
/// position, is `new` today.
pub(crate) fn warning(message: String, old: &str, new: &str) -> Diagnostic {
    Diagnostic::warning(Rule::FormatOld, message)
        .rewrite(old, new)
        .hint(format!(
            "改为“{new}”；nianbao migrate 一次改好全部旧写法（原文件留作 .bak）"
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_levels_name_todays() {
        assert_eq!(level("县直部门"), Some("部门"));
        assert_eq!(level("乡（镇）"), Some("乡镇"));
        assert_eq!(level("区县"), None, "today's spelling is no old one");
        let today = ["省级", "市级", "区县", "乡镇", "部门"];
        assert!(LEVELS.iter().all(|(_, new)| today.contains(new)));
    }

    /// The schema's enum of statuses is what the status parser takes.
    #[test]
    fn every_status_spelling_parses() {
        use crate::model::Status;
        assert!(Status::NAMES.iter().all(|s| Status::parse(s).is_some()));
        for s in Status::NAMES {
            assert!(Status::NAMES.contains(&Status::parse(s).unwrap().label()));
        }
    }
}
