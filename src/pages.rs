//! The site around the documents: the index (every office with its latest
//! headline figures), one page per office (its years, documents and trend
//! chart) and the offline search (a static index and a small local script).
//! View structs only; the templates turn them into HTML.

use serde::{Deserialize, Serialize};

use crate::metrics::YearMetrics;
use crate::model::{Office, Year};
use crate::render::ChartView;

#[derive(Clone, Debug, Serialize)]
pub struct IndexView {
    pub offices: Vec<IndexOffice>,
    pub documents: usize,
}

/// An office on the index: its latest year's headline figures.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IndexOffice {
    pub name: String,
    pub href: String,
    pub latest_year: i32,
    pub latest_title: String,
    pub latest_href: String,
    pub headlines: Vec<Headline>,
    pub years: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Headline {
    pub label: String,
    pub value: String,
}

/// One office's page.
#[derive(Clone, Debug, Serialize)]
pub struct OfficeView {
    pub name: String,
    pub root: String,
    pub years: Vec<OfficeYear>,
    pub trend: Option<ChartView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct OfficeYear {
    pub year: i32,
    pub title: String,
    pub headlines: Vec<Headline>,
    /// Documents of the year: (name, html href, md href).
    pub docs: Vec<DocLink>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DocLink {
    pub name: String,
    pub href: String,
    pub md_href: String,
}

/// The year's headline figures, as the 总结 words them.
pub fn headlines(year: &Year, m: &YearMetrics) -> Vec<Headline> {
    let exit = year
        .register
        .as_ref()
        .map_or("脱贫", |r| r.labels.exit.as_str());
    let keys = [
        (format!("累计{exit}"), format!("累计{exit}")),
        (format!("本年{exit}"), format!("{}年{exit}", year.year)),
        (format!("本年预{exit}"), format!("{}年预{exit}", year.year)),
        (format!("未{exit}"), format!("未{exit}")),
        ("减贫任务完成率".to_string(), "减贫任务完成率".to_string()),
        ("专项资金".to_string(), "专项资金".to_string()),
        ("项目个数".to_string(), "项目".to_string()),
        ("竣工率".to_string(), "项目竣工率".to_string()),
    ];
    keys.into_iter()
        .filter_map(|(key, label)| {
            m.cite.get(&key).map(|v| Headline {
                label,
                value: v.clone(),
            })
        })
        .collect()
}

/// One searchable document.
#[derive(Clone, Debug, Serialize)]
pub struct SearchEntry {
    pub title: String,
    pub office: String,
    pub year: i32,
    /// Relative to the site root.
    pub url: String,
    /// Plain text, whitespace collapsed.
    pub text: String,
}

/// Plain text of a Markdown document for the search index: markup and
/// table rules dropped, whitespace collapsed.
pub fn plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for line in md.lines() {
        let line = line.trim();
        if line.starts_with("<p align")
            || line.starts_with("![")
            || line.chars().all(|c| "|-: ".contains(c))
        {
            continue;
        }
        let mut last_space = out.ends_with(' ') || out.is_empty();
        for c in line.chars() {
            let c = match c {
                '*' | '\\' | '`' => continue,
                '#' | '|' | '>' => ' ',
                c => c,
            };
            if c.is_whitespace() {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            } else {
                out.push(c);
                last_space = false;
            }
        }
        if !last_space {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// An office's search entries as JSON objects separated by commas (no
/// brackets), to be joined with the other offices' into the site's index.
/// `</` is escaped so that no entry can close the script it ends up in.
pub fn search_entries_json(entries: &[SearchEntry]) -> String {
    let json = serde_json::to_string(entries).unwrap_or_else(|_| "[]".into());
    let inner = &json[1..json.len() - 1];
    inner.replace("</", "<\\/")
}

/// The office's name as the index shows it.
pub fn office_href(office: &Office) -> String {
    format!("{}/index.html", office.slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_markup_and_tables() {
        let md = "# 标题\n\n正文**重点**。\n\n| 年度 | 人数 |\n| --- | ---: |\n| 2016年 | 1419 |\n";
        assert_eq!(plain_text(md), "标题 正文重点。 年度 人数 2016年 1419");
    }

    #[test]
    fn search_index_cannot_close_its_script() {
        let e = SearchEntry {
            title: "</script><script>alert(1)</script>".into(),
            office: String::new(),
            year: 2020,
            url: "a/2020/summary.html".into(),
            text: String::new(),
        };
        let js = search_entries_json(&[e]);
        assert!(!js.contains("</script>"));
    }
}
