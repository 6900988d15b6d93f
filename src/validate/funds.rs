//! funds.yaml: the funds' unit and precision, figures and special funds.

use std::path::Path;

use rust_decimal::Decimal;

use crate::diag::Rule;
use crate::input::Src;
use crate::model::num;
use crate::model::raw::{self};
use crate::model::*;
use crate::validate::Checker;
use crate::validate::findings::At;

impl Checker<'_> {
    pub(crate) fn funds(&mut self, src: &Src<raw::FundsFile>) -> Funds {
        let file = src.path.as_path();
        let f = &src.data;
        let at = |field| At { file, field };
        let precision = match f.precision {
            Some(p) if num::is_whole(p.v) && p.v >= Decimal::ZERO && p.v <= Decimal::from(6) => {
                p.v.try_into().unwrap_or(2)
            }
            Some(p) => {
                self.error(
                    Rule::FundsPrecision,
                    at("precision"),
                    p.at,
                    "precision 应为 0 到 6 的整数",
                    None,
                );
                2
            }
            None => 2,
        };
        let unit = self.funds_unit(file, f.unit.as_ref());
        let figures = self.figures(file, "figures", &f.figures);
        let special = f.special.as_ref().map(|s| self.special(file, s));
        Funds {
            file: file.to_path_buf(),
            unit,
            precision,
            title: f
                .title
                .as_ref()
                .map(|t| t.s.trim().to_string())
                .unwrap_or_else(|| "资金投入和项目建设".into()),
            narrative: f.narrative.as_ref().map(|t| self.prose(file, t)),
            figures,
            special,
        }
    }

    /// The funds' money unit: one nianbao converts (元, 万元, 亿元), 万元
    /// when none is given; another is an error (and 万元 is used, so that
    /// the rest is still checked).
    fn funds_unit(&mut self, file: &Path, unit: Option<&raw::Text>) -> String {
        let Some(t) = unit else {
            return "万元".into();
        };
        let u = t.s.trim();
        if money_factor(u).is_some() {
            return u.to_string();
        }
        let shown: String = u.chars().take(20).collect();
        self.error(
            Rule::FundsUnit,
            At {
                file,
                field: "unit",
            },
            t.at,
            format!("资金单位“{shown}”不是 nianbao 认识的货币单位"),
            Some("unit 写 元、万元 或 亿元；金额按这个单位填写"),
        );
        "万元".into()
    }

    fn fund_parts(&mut self, file: &Path, field: &str, parts: &[raw::FundPart]) -> Vec<FundPart> {
        parts
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let f = format!("special.{field}[{i}]");
                let at = At { file, field: &f };
                Some(FundPart {
                    name: p.name.s.trim().to_string(),
                    projects: self.count(at, p.projects, "项目个数"),
                    amount: self.amount(at, Some(p.amount), "金额")?,
                })
            })
            .collect()
    }

    fn special(&mut self, file: &Path, s: &raw::SpecialFunds) -> Special {
        let at = |field| At { file, field };
        Special {
            label: s.label.s.trim().to_string(),
            stated_total: self.amount(at("special.stated_total"), s.stated_total, "资金总额"),
            stated_projects: self.count(
                at("special.stated_projects"),
                s.stated_projects,
                "项目个数",
            ),
            batches: self.fund_parts(file, "batches", &s.batches),
            by_category: self.fund_parts(file, "by_category", &s.by_category),
            by_source: self.fund_parts(file, "by_source", &s.by_source),
            stated_start_rate: s.stated_start_rate,
            stated_completion_rate: s.stated_completion_rate,
            stated_spending_rate: s.stated_spending_rate,
            industry_category: s
                .industry_category
                .as_ref()
                .map(|t| t.s.trim().to_string())
                .unwrap_or_else(|| "产业发展".into()),
            stated_industry_share: s.stated_industry_share,
            industry_min_share: s.industry_min_share.map_or(Decimal::from(55), |n| n.v),
        }
    }
}
