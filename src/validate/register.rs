//! register.yaml: the register's words, baseline, exits by year and
//! village, adjustments, what remains and what is planned.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rust_decimal::Decimal;

use crate::diag::Rule;
use crate::input::Src;
use crate::model::raw::{self, N, Text};
use crate::model::shape;
use crate::model::*;
use crate::validate::Checker;
use crate::validate::breakdowns::Whole;
use crate::validate::findings::At;

impl Checker<'_> {
    /// The register's vocabulary: its era's words (stated, or by year),
    /// with the office's own `labels` over them.
    fn labels(&mut self, src: &Src<raw::RegisterFile>, year: i32) -> Labels {
        let r = &src.data;
        let era = match &r.era {
            None => Era::of_year(year),
            Some(t) => shape::named(Era::SPELLINGS, t.s.trim()).unwrap_or_else(|| {
                self.error(
                    Rule::FieldValue,
                    At { file: src.path.as_path(), field: "era" },
                    t.at,
                    format!("不认识的时期“{}”", t.s.trim()),
                    Some(&format!(
                        "写 攻坚（建档立卡，2020 年及以前）或 监测（防返贫监测，2021 年起）；可用的写法：{}",
                        shape::spellings(Era::SPELLINGS)
                    )),
                );
                Era::of_year(year)
            }),
        };
        let given = |t: &Option<Text>| {
            t.as_ref()
                .map(|t| t.s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let mut l = Labels::of_era(era);
        if let Some(exit) = given(&r.labels.exit).filter(|e| *e != l.exit) {
            // Another word for an exit: the words made from it follow.
            l.remaining = format!("未{exit}");
            l.planned = match era {
                Era::Campaign => format!("预{exit}"),
                Era::Monitoring => format!("计划{exit}"),
            };
            l.exit = exit;
        }
        let rl = &r.labels;
        for (field, value) in [
            (&mut l.subject, &rl.subject),
            (&mut l.village, &rl.village),
            (&mut l.village_exit, &rl.village_exit),
            (&mut l.remaining, &rl.remaining),
            (&mut l.baseline, &rl.baseline),
            (&mut l.baseline_villages, &rl.baseline_villages),
            (&mut l.population, &rl.population),
            (&mut l.current, &rl.current),
            (&mut l.reduction, &rl.reduction),
            (&mut l.planned, &rl.planned),
            (&mut l.incidence, &rl.incidence),
            (&mut l.funds, &rl.funds),
        ] {
            if let Some(v) = given(value) {
                *field = v;
            }
        }
        let old = Labels::before_eras(
            given(&rl.exit).as_deref(),
            given(&rl.subject).as_deref(),
            given(&rl.village).as_deref(),
            given(&rl.village_exit).as_deref(),
            given(&rl.remaining).as_deref(),
        );
        if old != l {
            l.former.push(old);
        }
        l
    }

    pub(crate) fn register(&mut self, src: &Src<raw::RegisterFile>, year: i32) -> Option<Register> {
        let file = src.path.as_path();
        let r = &src.data;
        let at = |field| At { file, field };
        let labels = self.labels(src, year);
        self.ack = r
            .ack
            .as_ref()
            .map(|t| t.s.trim().to_string())
            .filter(|s| !s.is_empty());
        let villages = self.count(at("baseline.villages"), r.baseline.villages, "村数");
        let baseline = self.pair(at("baseline"), r.baseline.households, r.baseline.persons);
        let village_names = self.village_names(file, &r.baseline, villages);
        let mut exited_villages: BTreeMap<String, i32> = BTreeMap::new();
        let (exits, exits_ok) =
            self.exits(file, &r.exits, year, &village_names, &mut exited_villages);
        let adjustments = self.adjustments(file, &r.adjustments);
        let current = r
            .current
            .as_ref()
            .map(|c| self.pair(at("current"), c.households, c.persons));
        let remaining = r
            .remaining
            .as_ref()
            .map(|rem| self.remaining(file, "remaining", &labels.remaining, rem));
        let (monitored, cumulative, pending) = self.as_a_whole(file, r, &labels);
        let planned = r.planned.as_ref().map(|p| {
            let villages = self.villages(
                at("planned.villages"),
                &p.villages,
                year,
                &village_names,
                &mut exited_villages,
            );
            Planned {
                pair: self.pair(at("planned"), p.households, p.persons),
                villages,
            }
        });
        let targets = r.targets.as_ref().map(|t| {
            let pair = self.pair(at("targets"), t.households, t.persons);
            Targets {
                villages: self.count(at("targets.villages"), t.villages, "村数"),
                households: pair.households,
                persons: pair.persons,
            }
        });
        let incidence = r.incidence.as_ref().and_then(|i| self.incidence(file, i));
        self.ack = None;
        Some(Register {
            file: file.to_path_buf(),
            labels,
            villages,
            baseline,
            exits,
            adjustments,
            current,
            cumulative,
            monitored,
            pending,
            remaining,
            planned,
            targets,
            incidence,
            exits_complete: exits_ok,
            // The count agrees with the names where both are given (else
            // that is the finding, and the count is not reconciled again).
            villages_consistent: village_names.is_empty()
                || villages.is_none_or(|v| Decimal::from(village_names.len()) == v.v),
        })
    }

    /// The baseline's village names, as many as its count of villages.
    fn village_names(
        &mut self,
        file: &Path,
        baseline: &raw::Baseline,
        villages: Option<N>,
    ) -> Vec<String> {
        let village_names: Vec<String> = baseline
            .village_names
            .iter()
            .flatten()
            .map(|t| t.s.trim().to_string())
            .collect();
        if let (Some(v), false) = (villages, village_names.is_empty())
            && Decimal::from(village_names.len()) != v.v
        {
            self.error(
                Rule::RegisterVillages,
                At {
                    file,
                    field: "baseline.village_names",
                },
                v.at,
                format!(
                    "村数 {} 与列出的村名 {} 个不符（差 {}）",
                    v.v,
                    village_names.len(),
                    (v.v - Decimal::from(village_names.len())).abs()
                ),
                None,
            );
        }
        village_names
    }

    /// The exits by year, in order, and whether every entry was accepted:
    /// when one is rejected the register cannot be reconciled, and the
    /// rejection is the finding.
    fn exits(
        &mut self,
        file: &Path,
        raw: &[raw::Exit],
        year: i32,
        village_names: &[String],
        exited_villages: &mut BTreeMap<String, i32>,
    ) -> (Vec<ExitYear>, bool) {
        let mut exits = Vec::new();
        let mut years_seen = HashSet::new();
        let mut exits_ok = true;
        for (i, e) in raw.iter().enumerate() {
            let field = format!("exits[{i}]");
            let at = At {
                file,
                field: &field,
            };
            let Some((from, y)) = self.exit_year(at, e, year, &mut years_seen) else {
                exits_ok = false;
                continue;
            };
            let villages = self.villages(at, &e.villages, y, village_names, exited_villages);
            exits.push(ExitYear {
                year: y,
                from,
                pair: self.pair(at, e.households, e.persons),
                villages,
            });
        }
        exits.sort_by_key(|e| e.year);
        (exits, exits_ok)
    }

    /// An exit's year or years: a year, not after the report year, and
    /// none written twice.
    fn exit_year(
        &mut self,
        at: At,
        e: &raw::Exit,
        year: i32,
        years_seen: &mut HashSet<i32>,
    ) -> Option<(Option<i32>, i32)> {
        let (from, y) = match exit_years(&e.year.s) {
            Ok(span) => span,
            Err(why) => {
                self.error(
                    Rule::RegisterExitYear,
                    at,
                    e.year.at,
                    format!("年份“{}”{why}", e.year.s.trim()),
                    Some("写一个年份（如 2016），或原文的年份范围（如 2014-2015）"),
                );
                return None;
            }
        };
        if y > year {
            self.error(
                Rule::RegisterExitYear,
                at,
                e.year.at,
                format!("{y} 年的脱贫数晚于报告年度 {year}"),
                Some("尚未核定的本年数字写在 planned 下"),
            );
            return None;
        }
        let twice = (from.unwrap_or(y)..=y).find(|y| !years_seen.insert(*y));
        if let Some(twice) = twice {
            self.error(
                Rule::RegisterExitYear,
                at,
                e.year.at,
                format!("{twice} 年出现了两次"),
                None,
            );
            return None;
        }
        Some((from, y))
    }

    /// Each adjustment's 户/人 added and removed.
    fn adjustments(&mut self, file: &Path, raw: &[raw::Adjustment]) -> Vec<Adjustment> {
        raw.iter()
            .enumerate()
            .map(|(i, a)| {
                let field = format!("adjustments[{i}]");
                let at = At {
                    file,
                    field: &field,
                };
                let count = |c: &mut Self, x: &Option<raw::Count>| {
                    x.as_ref()
                        .map(|x| c.pair(at, x.households, x.persons))
                        .unwrap_or_default()
                };
                Adjustment {
                    added: count(self, &a.added),
                    removed: count(self, &a.removed),
                }
            })
            .collect()
    }

    /// Those not yet out of the register, with their breakdowns.
    /// What a monitoring register states as a whole: every object ever
    /// monitored (by type), exits to date without years, those pending.
    fn as_a_whole(
        &mut self,
        file: &Path,
        r: &raw::RegisterFile,
        labels: &Labels,
    ) -> (Option<Remaining>, Option<Pair>, Option<Pair>) {
        let at = |field| At { file, field };
        let monitored = r
            .monitored
            .as_ref()
            .map(|m| self.remaining(file, "monitored", &labels.population, m));
        let cumulative = r
            .cumulative
            .as_ref()
            .map(|c| self.pair(at("cumulative"), c.households, c.persons));
        let pending = r
            .pending
            .as_ref()
            .map(|c| self.pair(at("pending"), c.households, c.persons));
        (monitored, cumulative, pending)
    }

    /// `remaining` (those not yet out) or `monitored` (every object ever
    /// monitored): a pair with its breakdowns.
    fn remaining(
        &mut self,
        file: &Path,
        field: &'static str,
        name: &str,
        rem: &raw::Remaining,
    ) -> Remaining {
        let at = |field| At { file, field };
        let pair = self.pair(at(field), rem.households, rem.persons);
        let total = Tally {
            households: pair.households,
            persons: pair.persons,
            ..Tally::default()
        };
        let breakdowns = self.breakdowns(
            Whole {
                file,
                field,
                name,
                units: Units::of(None, ""),
            },
            &rem.breakdowns,
            &total,
            self.ack.clone().as_deref(),
        );
        Remaining {
            pair,
            villages: self.count(
                at(if field == "remaining" {
                    "remaining.villages"
                } else {
                    "monitored.villages"
                }),
                rem.villages,
                "村数",
            ),
            breakdowns,
            pos: rem
                .households
                .or(rem.persons)
                .map(|n| n.at)
                .unwrap_or_default(),
        }
    }

    /// The incidence's denominator: a count, not zero.
    fn incidence(&mut self, file: &Path, i: &raw::Incidence) -> Option<Incidence> {
        let at = At {
            file,
            field: "incidence.denominator",
        };
        let den = self.count(at, Some(i.denominator), "人口数")?;
        if den.v.is_zero() {
            self.error(
                Rule::FigureZero,
                at,
                den.at,
                "贫困发生率的分母不能为 0",
                None,
            );
            return None;
        }
        Some(Incidence {
            denominator: den,
            denominator_label: i.denominator_label.s.trim().to_string(),
            stated: i.stated,
            stated_after: i.stated_after,
        })
    }

    fn villages(
        &mut self,
        at: At,
        list: &raw::VillageList,
        year: i32,
        register: &[String],
        exited: &mut BTreeMap<String, i32>,
    ) -> Villages {
        let names = match list {
            raw::VillageList::Names(names) => names.as_slice(),
            raw::VillageList::Count(n) => {
                return Villages {
                    names: Vec::new(),
                    count: usize::try_from(*n).unwrap_or(usize::MAX),
                };
            }
            raw::VillageList::None => &[],
        };
        let mut out = Vec::new();
        for t in names {
            let name = t.s.trim().to_string();
            if !register.is_empty() && !register.contains(&name) {
                self.error(
                    Rule::RegisterVillages,
                    at,
                    t.at,
                    format!("出列村“{name}”不在建档立卡村名单（baseline.village_names）中"),
                    Some("检查村名是否写错，或补入名单"),
                );
            }
            if let Some(prev) = exited.insert(name.clone(), year) {
                self.error(
                    Rule::RegisterVillages,
                    at,
                    t.at,
                    format!("“{name}”在 {prev} 年已出列，不能再次出列"),
                    None,
                );
            }
            out.push(name);
        }
        Villages {
            count: out.len(),
            names: out,
        }
    }
}

/// An exit's year: `2016`, or a range as published (`2014-2015`,
/// `2014—2015`, `2014至2015`): the first year of a range and the last.
fn exit_years(text: &str) -> Result<(Option<i32>, i32), &'static str> {
    let year = |s: &str| -> Result<i32, &'static str> {
        let s = s.trim().trim_end_matches('年');
        match s.parse::<i32>() {
            Ok(y) if (1978..=2100).contains(&y) && s.len() == 4 => Ok(y),
            _ => Err("不是年份"),
        }
    };
    let text = text.trim();
    match text.split_once(['-', '—', '–', '~', '～', '至', '到']) {
        None => Ok((None, year(text)?)),
        Some((a, b)) => {
            let (a, b) = (year(a)?, year(b)?);
            if a < b {
                Ok((Some(a), b))
            } else {
                Err("的起止年份颠倒或相同")
            }
        }
    }
}
