//! measures.yaml (the fields of work) and problems.yaml.

use crate::input::Src;
use crate::model::raw::{self};
use crate::model::*;
use crate::validate::Checker;
use crate::validate::findings::At;

impl Checker<'_> {
    pub(crate) fn measures(&mut self, src: &Src<raw::MeasuresFile>) -> Vec<Measure> {
        let file = src.path.as_path();
        src.data
            .measures
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let field = format!("measures[{i}]");
                let title = self.nonblank(
                    At {
                        file,
                        field: &field,
                    },
                    &m.title,
                )?;
                Some(Measure {
                    title,
                    heading: m.heading.as_ref().map(|t| t.s.trim().to_string()),
                    narrative: m.narrative.as_ref().map(|t| self.prose(file, t)),
                    figures: self.figures(file, &format!("{field}.figures"), &m.figures),
                })
            })
            .collect()
    }

    pub(crate) fn problems(&mut self, src: &Src<raw::ProblemsFile>) -> Problems {
        Problems {
            intro: src.data.intro.as_ref().map(|t| self.prose(&src.path, t)),
            items: src
                .data
                .problems
                .iter()
                .map(|t| self.prose(&src.path, t))
                .collect(),
        }
    }
}
