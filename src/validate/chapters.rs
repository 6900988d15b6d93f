//! The shape of a document's chapters: built-in and the office's own,
//! sections four levels deep, charts by name, fields of work named once.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diag::{Pos, Rule};
use crate::model::raw::{self, Text};
use crate::model::shape;
use crate::model::*;
use crate::validate::Checker;
use crate::validate::findings::At;
use crate::validate::report::Head;

impl Checker<'_> {
    /// The chapters as written: each one nianbao fills (`use:`) or the
    /// office's own (a title with text and sections, four levels at most).
    pub(crate) fn chapter_specs(
        &mut self,
        file: &Path,
        raw: &[raw::Chapter],
        names: &[(&str, shape::Builtin)],
    ) -> Vec<Chapter> {
        let mut out = Vec::new();
        for (i, c) in raw.iter().enumerate() {
            let field = format!("chapters[{i}]");
            let at = At {
                file,
                field: &field,
            };
            let title = c
                .title
                .as_ref()
                .map(|t| t.s.trim().to_string())
                .filter(|t| !t.is_empty());
            let text = c.text.as_ref().map(|t| self.prose(file, t));
            let chapter = match &c.builtin {
                Some(u) => self.builtin_chapter(at, c, u, names, title, text),
                None => self.own_chapter(at, c, title, text),
            };
            out.extend(chapter);
        }
        out
    }

    /// A chapter nianbao fills (`use: u`), by one of `names`.
    fn builtin_chapter(
        &mut self,
        at: At,
        c: &raw::Chapter,
        u: &Text,
        names: &[(&str, shape::Builtin)],
        title: Option<String>,
        text: Option<Prose>,
    ) -> Option<Chapter> {
        let Some(which) = shape::named(names, u.s.trim()) else {
            self.error(
                Rule::FieldValue,
                at,
                u.at,
                format!("不认识的内置章节“{}”", u.s.trim()),
                Some(&format!(
                    "use 可写：{}；自己的章节写 title 和 text，不写 use",
                    shape::spellings(names)
                )),
            );
            return None;
        };
        if !c.sections.is_empty() {
            self.error(
                Rule::FieldValue,
                at,
                u.at,
                "内置章节由数据生成，不能再写 sections",
                Some("另写一个自己的章节（title、text、sections）"),
            );
        }
        let measures = c
            .measures
            .as_ref()
            .map(|m| m.iter().map(|t| t.s.trim().to_string()).collect());
        let group = c.group.as_ref().map(|t| t.s.trim().to_string());
        if let Some(g) = c.group.as_ref().filter(|_| which != shape::Builtin::Tasks) {
            self.error(
                Rule::FieldValue,
                at,
                g.at,
                "group 只用于 plan.yaml 的 use: 重点工作",
                None,
            );
        }
        Some(Chapter::Builtin {
            which,
            title: title.or_else(|| group.clone()).unwrap_or_default(),
            text,
            measures,
            group,
            tables: c.tables,
            charts: self.chart_keys(at.file, at.field, c.charts.as_ref()),
        })
    }

    /// The office's own chapter: a title, its text and sections.
    fn own_chapter(
        &mut self,
        at: At,
        c: &raw::Chapter,
        title: Option<String>,
        text: Option<Prose>,
    ) -> Option<Chapter> {
        let pos = c
            .title
            .as_ref()
            .or(c.text.as_ref())
            .map_or(Pos::default(), |t| t.at);
        if title.is_none() {
            self.error(
                Rule::FieldValue,
                at,
                pos,
                "章节没有 title，也没有 use",
                Some("自己的章节写 title（标题）和 text；由数据生成的章节写 use，如 use: 存在问题"),
            );
            return None;
        }
        if c.measures.is_some() {
            self.error(
                Rule::FieldValue,
                at,
                pos,
                "measures 只用于 use: 主要工作",
                None,
            );
        }
        let blocks = self.blocks(at.file, at.field, &c.sections, 2);
        let charts = self.chart_keys(at.file, at.field, c.charts.as_ref());
        Some(Chapter::Own(Block {
            title,
            text,
            blocks,
            charts,
        }))
    }

    /// A chapter's `charts:`, by name; an unknown name is an error.
    fn chart_keys(
        &mut self,
        file: &Path,
        field: &str,
        names: Option<&Vec<Text>>,
    ) -> Option<Vec<shape::ChartKey>> {
        let names = names?;
        let mut keys = Vec::new();
        for t in names {
            match shape::named(shape::ChartKey::NAMES, t.s.trim()) {
                Some(k) => keys.push(k),
                None => {
                    let f = format!("{field}.charts");
                    self.error(
                        Rule::FieldValue,
                        At { file, field: &f },
                        t.at,
                        format!("不认识的图“{}”", t.s.trim()),
                        Some(&format!(
                            "charts 可写：{}",
                            shape::spellings(shape::ChartKey::NAMES)
                        )),
                    );
                }
            }
        }
        Some(keys)
    }

    /// Sections of an office's chapter at `level` (2: （一）, 3: 1., 4: （1））.
    fn blocks(&mut self, file: &Path, field: &str, raw: &[raw::Block], level: usize) -> Vec<Block> {
        let mut out = Vec::new();
        for (i, b) in raw.iter().enumerate() {
            let f = format!("{field}.sections[{i}]");
            let at = At { file, field: &f };
            let pos = b
                .title
                .as_ref()
                .or(b.text.as_ref())
                .map_or(Pos::default(), |t| t.at);
            if level > 4 {
                self.error(
                    Rule::FieldValue,
                    at,
                    pos,
                    "章节最多四级（一、 （一） 1. （1））",
                    Some("把第五级并入上一级的文字"),
                );
                break;
            }
            let title = b
                .title
                .as_ref()
                .map(|t| t.s.trim().to_string())
                .filter(|t| !t.is_empty());
            if title.is_none() && b.text.is_none() {
                self.error(
                    Rule::FieldValue,
                    at,
                    pos,
                    "这一节没有 title，也没有 text",
                    None,
                );
                continue;
            }
            out.push(Block {
                title,
                text: b.text.as_ref().map(|t| self.prose(file, t)),
                blocks: self.blocks(file, &f, &b.sections, level + 1),
                charts: None,
            });
        }
        out
    }

    /// The year's chapters: the office's, or its kind's own; every field of
    /// work a chapter names must exist, and none may be named twice.
    pub(crate) fn chapters(&mut self, head: &Head, measures: &[Measure]) -> Vec<Chapter> {
        let Some(chapters) = &head.chapters else {
            return Chapter::defaults(head.kind);
        };
        let mut named = BTreeSet::new();
        for (i, m, pos) in &head.named_measures {
            let field = format!("chapters[{i}].measures");
            let at = At {
                file: &head.file,
                field: &field,
            };
            if !measures.iter().any(|x| &x.title == m) {
                self.error(
                    Rule::FieldValue,
                    at,
                    *pos,
                    format!("measures.yaml 中没有工作领域“{m}”"),
                    Some("写 measures.yaml 中某项工作的 title"),
                );
            } else if !named.insert(m.as_str()) {
                self.error(
                    Rule::FieldValue,
                    at,
                    *pos,
                    format!("工作领域“{m}”写了两次"),
                    None,
                );
            }
        }
        chapters.clone()
    }
}
