//! Where check and reconcile put what they find: a list of findings with
//! the few shapes a rule reports in (an error, a warning, a stated figure
//! that disagrees with the data, a stated rate).

use std::path::Path;

use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Pos, Rule};
use crate::model::num;
use crate::model::raw::N;

/// Where a finding goes: a file and a field path inside it.
#[derive(Clone, Copy)]
pub(crate) struct At<'p> {
    pub(crate) file: &'p Path,
    pub(crate) field: &'p str,
}

/// The findings of one office so far.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub(crate) list: Vec<Diagnostic>,
}

impl Findings {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    pub(crate) fn error(
        &mut self,
        rule: Rule,
        at: At,
        pos: Pos,
        msg: impl Into<String>,
        hint: Option<&str>,
    ) {
        self.push(placed(Diagnostic::error(rule, msg), at, pos, hint));
    }

    pub(crate) fn warn(
        &mut self,
        rule: Rule,
        at: At,
        pos: Pos,
        msg: impl Into<String>,
        hint: Option<&str>,
    ) {
        self.push(placed(Diagnostic::warning(rule, msg), at, pos, hint));
    }

    /// A stated figure that disagrees with the data: an error. When the data
    /// acknowledges it (`ack`), still an error, marked so; `build` goes on.
    pub(crate) fn mismatch(
        &mut self,
        rule: Rule,
        at: At,
        pos: Pos,
        msg: String,
        ack: Option<&str>,
    ) {
        match ack {
            Some(why) => self.push(
                Diagnostic::error(rule, msg)
                    .at(at.file, pos)
                    .field(at.field)
                    .acknowledged(why),
            ),
            None => self.error(
                rule,
                at,
                pos,
                msg,
                Some("生成的文档一律使用计算值；请核对原始数据，改正所填的数字"),
            ),
        }
    }

    /// A stated rate (in %) against the computed one, compared at the stated
    /// precision with half-up rounding.
    pub(crate) fn stated_rate(
        &mut self,
        rule: Rule,
        at: At,
        stated: Option<N>,
        computed: Option<Decimal>,
        what: &str,
        ack: Option<&str>,
    ) {
        let (Some(s), Some(c)) = (stated, computed) else {
            return;
        };
        if !num::agrees(s.v, c) {
            let dp = num::scale(s.v);
            let diff = s.v - num::round(c, dp);
            let side = if diff.is_sign_negative() {
                "低"
            } else {
                "高"
            };
            let diff = diff.abs().normalize();
            self.mismatch(
                rule,
                at,
                s.at,
                format!(
                    "{what}填报 {}%，按数据计算为 {}%（{}% 四舍五入；填报{side} {diff} 个百分点）",
                    s.v,
                    num::fixed(c, dp),
                    num::fixed(c, dp + 2),
                ),
                ack,
            );
        }
    }
}

/// A finding at its place, with its advice.
fn placed(d: Diagnostic, at: At, pos: Pos, hint: Option<&str>) -> Diagnostic {
    let d = d.at(at.file, pos).field(at.field);
    match hint {
        Some(h) => d.hint(h),
        None => d,
    }
}
