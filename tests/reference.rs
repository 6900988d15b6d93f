//! Seed 000: every figure of ../shared/reference/README.md must come out of
//! nianbao's own arithmetic, in both the HTML and the Markdown 总结; and both
//! documents are snapshot-tested.

use std::path::PathBuf;

mod common;

fn build_sample() -> (tempfile::TempDir, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let outcome = nianbao::build(&nianbao::Options {
        templates: None,
        data: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data"),
        out: out.clone(),
        strict: false,
        drafts: false,
    });
    assert!(outcome.published, "{:?}", outcome.diags);
    let html = std::fs::read_to_string(out.join("xx-qu/2017/summary.html")).unwrap();
    let md = std::fs::read_to_string(out.join("xx-qu/2017/summary.md")).unwrap();
    (tmp, html, md)
}

/// The reference table, row by row: the text each document must contain.
const FIGURES: &[(&str, &str)] = &[
    ("统筹使用比例 52.2%", "统筹使用比例达52.2%"),
    ("存量资金用于脱贫攻坚 50.7%", "比例达到50.7%"),
    // As published: the stated total agrees with the batches at its own
    // precision, and one amount is written one way.
    ("专项资金 2531.2 万元", "专项资金2531.2万元"),
    ("项目 81 个", "项目81个"),
    ("产业项目占比 75.8%", "占75.8%"),
    ("住院补偿比例 85.77%", "补偿比例85.77%"),
    ("道路完工率 87.51%", "完工率87.51%"),
    ("获贷比例 20%（按所填的整数位）", "贫困户获贷比例20%"),
    // Acknowledged (原文如此): printed as published.
    ("小额信贷完成省计划 162.8%", "的162.8%"),
    ("未脱贫 724户1595人", "未脱贫人口724户1595人"),
    ("未脱贫分项", "低保户556户1243人"),
    ("动态管理净增 15 人", "净增人口15人"),
    ("教育资助 292人 24.28万元", "学生292人24.28万元"),
    ("金融 393 户", "覆盖贫困户393户"),
    ("成文日期", "2017年12月20日"),
];

#[test]
fn reference_figures_in_both_documents() {
    let (_tmp, marked, md) = build_sample();
    // The text of the page without the web page's marks of acknowledged
    // figures (checked below) and of figures that open their provenance.
    let html = common::without_figure_marks(&marked).replace("</mark>", "");
    let html = html
        .split("<mark title=")
        .enumerate()
        .map(|(i, s)| {
            if i == 0 {
                s
            } else {
                s.split_once('>').map_or(s, |(_, t)| t)
            }
        })
        .collect::<String>();
    for (what, text) in FIGURES {
        assert!(md.contains(text), "Markdown lacks {what}: {text}");
        assert!(html.contains(text), "HTML lacks {what}: {text}");
    }
    // The truncated published rate prints as published; the web page marks
    // it with the computed 162.9%, which nothing else prints.
    assert!(!md.contains("162.9%"), "{md}");
    assert!(
        marked.contains("（按数据计算为162.9%）\">162.8%</mark>"),
        "{marked}"
    );
    // The register does not close (register.gap): no cumulative anywhere,
    // and the overview is the office's own text.
    assert!(!md.contains("累计脱贫") && !html.contains("累计脱贫"));
    assert!(md.contains("2016年底4个贫困村出列（罗田村、坑上村、东山村、容溪村）"));
    // Both breakdowns of the education total are tabled.
    for part in [
        "外区县户籍",
        "本区户籍",
        "学前教育",
        "义务教育",
        "普通高中",
        "高校",
    ] {
        assert!(md.contains(&format!("| {part} |")), "education part {part}");
    }
    // Shares table: 产业发展 with 62 projects, 1918.6 万元, 75.8%.
    assert!(md.contains("| 产业发展 | 62 | 1918.6 | 75.8% |"), "{md}");
    // Batch total as published, and 支出进度 at the stated precision.
    assert!(md.contains("| 合计 | 81 | 2531.2 |"));
    assert!(
        md.contains("| 81 | 69 | 12 | 0 | 100% | 85% | 98.06% |"),
        "{md}"
    );
    // Year on year against the reconstructed 2016.
    assert!(md.contains("| 未脱贫人口 | 1721人 | 1595人 | 下降7.3% |"));
}

#[test]
fn html_is_semantic_and_self_contained() {
    let (_tmp, html, _) = build_sample();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert_eq!(html.matches("<link rel=\"stylesheet\"").count(), 1);
    assert!(html.contains("href=\"../../static/style.css\""));
    assert!(html.contains("<caption>表1 历年脱贫情况</caption>"));
    assert!(html.contains("<th scope=\"col\">户数</th>"));
    assert!(html.contains("<h2>四、下步工作计划</h2>"));
    assert!(!html.contains("http"), "external URL in HTML");
    // The only scripts: the one that opens a figure's provenance, and the
    // page's figures as JSON.
    assert!(common::only_our_scripts(&html), "{html}");
}

#[test]
fn snapshot_documents() {
    let (_tmp, html, md) = build_sample();
    insta::assert_snapshot!("summary_2017_md", md);
    insta::assert_snapshot!("summary_2017_html", html);
}
