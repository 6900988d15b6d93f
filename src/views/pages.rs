//! The site around the documents: the index (every office with its latest
//! headline figures), one page per office (its years, documents and trend
//! chart) and the search page.
//! View structs only; the templates turn them into HTML.

use serde::{Deserialize, Serialize};

use crate::analysis::metrics::YearMetrics;
use crate::model::cite;
use crate::model::{Office, Year};
use crate::views::ChartView;

#[derive(Clone, Debug, Serialize)]
pub(crate) struct IndexView {
    pub(crate) offices: Vec<IndexOffice>,
    pub(crate) documents: usize,
}

/// An office on the index: its latest year's headline figures.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct IndexOffice {
    pub(crate) name: String,
    pub(crate) href: String,
    pub(crate) latest_year: i32,
    pub(crate) latest_title: String,
    pub(crate) latest_href: String,
    pub(crate) headlines: Vec<Headline>,
    pub(crate) years: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Headline {
    pub(crate) label: String,
    pub(crate) value: String,
}

/// One office's page.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct OfficeView {
    pub(crate) name: String,
    pub(crate) root: String,
    pub(crate) years: Vec<OfficeYear>,
    pub(crate) trend: Option<ChartView>,
    /// 下辖单位, with their latest headline figures.
    pub(crate) units: Vec<UnitLink>,
}

/// A township on its county's page.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct UnitLink {
    pub(crate) name: String,
    pub(crate) href: String,
    pub(crate) year: i32,
    pub(crate) headlines: Vec<Headline>,
}

/// A township's entry: its latest finished year's headline figures.
pub(crate) fn unit_link(office: &Office, metrics: &[YearMetrics]) -> Option<UnitLink> {
    let (year, m) = office
        .years
        .iter()
        .zip(metrics)
        .rev()
        .find(|(y, _)| !y.draft)?;
    Some(UnitLink {
        name: office.name.clone(),
        href: format!("../{}", office_href(office)),
        year: year.year,
        headlines: headlines(year, m),
    })
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct OfficeYear {
    pub(crate) year: i32,
    pub(crate) title: String,
    pub(crate) headlines: Vec<Headline>,
    /// Documents of the year: (name, html href, md href).
    pub(crate) docs: Vec<DocLink>,
    /// A draft published with `--drafts`: listed as 草稿, never the latest.
    pub(crate) draft: bool,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct DocLink {
    pub(crate) name: String,
    pub(crate) href: String,
    pub(crate) md_href: String,
    pub(crate) docx_href: String,
}

/// The year's headline figures, as the 总结 words them.
pub(crate) fn headlines(year: &Year, m: &YearMetrics) -> Vec<Headline> {
    cite::headline_names(year.year, m.cite.labels())
        .into_iter()
        .filter_map(|(name, label)| {
            m.cite.get(name).map(|v| Headline {
                label,
                value: v.to_string(),
            })
        })
        .collect()
}

/// The office's name as the index shows it.
pub(crate) fn office_href(office: &Office) -> String {
    format!("{}/index.html", office.slug)
}
