//! Charts: well-formed SVG with an accessible name, the figures of the text
//! (seed 000: the largest budget share reads 75.8%), the font stack, the
//! table beside each chart, snapshots, and charts left out with a note when
//! the data has nothing to draw.

use std::fs;
use std::path::{Path, PathBuf};

fn build(data: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let outcome = nianbao::build(&nianbao::Options {
        templates: None,
        data: data.to_path_buf(),
        out: out.clone(),
        strict: false,
        drafts: false,
    });
    assert!(outcome.published, "{:?}", outcome.diags);
    (tmp, out)
}

fn sample() -> (tempfile::TempDir, PathBuf) {
    build(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data"))
}

/// Parse an SVG and return the text of its `<text>` elements, checking the
/// root's accessible name and that every text names the CJK font stack.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    assert!(root.attribute("aria-label").is_some_and(|l| !l.is_empty()));
    let kids: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(kids[0].tag_name().name(), "title");
    assert_eq!(kids[1].tag_name().name(), "desc");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            // Said once on the root, which every text inherits it from.
            let family = n
                .attribute("font-family")
                .or(root.attribute("font-family"))
                .unwrap();
            for face in [
                "Microsoft YaHei",
                "SimHei",
                "Noto Sans CJK SC",
                "WenQuanYi",
                "sans-serif",
            ] {
                assert!(family.contains(face), "font stack lacks {face}: {family}");
            }
            n.text().unwrap_or("").trim().to_string()
        })
        .collect()
}

#[test]
fn seed_000_has_three_charts_with_the_texts_figures() {
    let (_tmp, out) = sample();
    let dir = out.join("xx-qu/2017");
    let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap();

    let funds = texts(&read("funds.svg"));
    // The largest share is drawn first and reads as in the text: 75.8%.
    let bars: Vec<&String> = funds.iter().filter(|t| t.contains("万元 ")).collect();
    assert_eq!(bars[0], "1918.6万元 75.8%，62个项目", "{funds:?}");
    assert!(funds.contains(&"产业发展".to_string()));

    let projects = texts(&read("projects.svg"));
    for t in ["100%", "85%", "98.06%", "已完工69、在建12个，共81个"] {
        assert!(
            projects.iter().any(|x| x == t),
            "projects lacks {t}: {projects:?}"
        );
    }
    for t in ["已完工", "在建", "未开工"] {
        assert!(projects.iter().any(|x| x == t), "legend lacks {t}");
    }

    let exits = texts(&read("exits.svg"));
    // The register does not close (register.gap: a year's exits may be
    // missing): no cumulative bar.
    assert!(
        !exits.iter().any(|x| x.contains("1618户3079人")),
        "{exits:?}"
    );
    for t in [
        "2373户4800人",
        "724户1595人",
        "1300人",
        "671户1412人，完成目标的108.6%",
        "12个",
        "4个",
        "8个",
    ] {
        assert!(exits.iter().any(|x| x == t), "exits lacks {t}: {exits:?}");
    }

    // The sentence beside the chart says the same.
    let md = fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(md.contains("占75.8%"));
    assert!(md.contains("![") && md.contains("](funds.svg)"));
    assert!(md.contains("](exits.svg)") && md.contains("](projects.svg)"));

    // HTML: each chart's file as an image named by its description, with
    // its caption and the table of its numbers.
    let html = fs::read_to_string(dir.join("summary.html")).unwrap();
    assert_eq!(html.matches("<figure class=\"chart\">").count(), 3);
    assert!(!html.contains("<svg "));
    for name in ["exits", "funds", "projects"] {
        assert_eq!(html.matches(&format!("<img src=\"{name}.svg\"")).count(), 1);
    }
    assert!(html.contains("width=\"640\" height=\"182\" alt=\"中央、省、市、区财政专项扶贫资金共2531.2万元，其中产业发展75.8%。\">"));
    for cap in [
        "图1 2017年脱贫进度",
        "图2 2017年中央、省、市、区财政专项扶贫资金结构",
        "图3 2017年项目进度",
    ] {
        assert!(html.contains(&format!("<figcaption>{cap}")), "{cap}");
    }
    assert!(html.contains("<caption>图2数据</caption>"));
    // Each of its figures opens where it comes from (the 核对表's rows of
    // 产业发展资金, 产业发展占比 and 产业发展项目).
    let cell = html
        .split("<td>")
        .map(|c| &c[..c.find("</td>").unwrap_or(c.len())])
        .find(|c| c.contains("1918.6万元") && c.contains("75.8%"))
        .expect("the 产业发展 row of the chart's table");
    assert_eq!(cell.matches("<span data-f=").count(), 3, "{cell}");
    for figure in ["1918.6万元</span>", "75.8%</span>", "62个</span>"] {
        assert!(cell.contains(figure), "{cell}");
    }

    // Trends over the office's two years, on the index.
    let trend = texts(&fs::read_to_string(out.join("xx-qu/trend.svg")).unwrap());
    assert!(
        trend.contains(&"1721人".to_string()) || trend.iter().any(|t| t.ends_with("1721人")),
        "{trend:?}"
    );
}

#[test]
fn charts_are_deterministic_and_snapshotted() {
    let (_a, out_a) = sample();
    let (_b, out_b) = sample();
    for name in ["funds", "projects", "exits"] {
        let rel = format!("xx-qu/2017/{name}.svg");
        let a = fs::read_to_string(out_a.join(&rel)).unwrap();
        let b = fs::read_to_string(out_b.join(&rel)).unwrap();
        assert_eq!(a, b, "{rel} differs between two builds");
        insta::assert_snapshot!(format!("chart_2017_{name}"), a);
    }
}

/// A year with a register but no funds or projects: the exits chart only,
/// never an empty drawing, and no sentence about what was not drawn (the
/// document is the office's own).
#[test]
fn missing_data_leaves_charts_out_without_a_word() {
    let (_tmp, out) =
        build(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid"));
    let dir = out.join("office-a/2020");
    assert!(dir.join("exits.svg").is_file());
    assert!(!dir.join("funds.svg").exists());
    assert!(!dir.join("projects.svg").exists());
    let html = fs::read_to_string(dir.join("summary.html")).unwrap();
    let md = fs::read_to_string(dir.join("summary.md")).unwrap();
    for page in [&html, &md] {
        assert!(!page.contains("未绘制"), "{page}");
        assert!(!page.contains("本年度没有"), "{page}");
    }
    assert_eq!(html.matches("<figure class=\"chart\">").count(), 1);
    assert_eq!(html.matches("<img src=\"exits.svg\"").count(), 1);
}

/// One category holding all the money still draws, at 100%.
#[test]
fn a_single_category_at_100_percent_draws() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let y = data.join("office-a/2020");
    fs::create_dir_all(&y).unwrap();
    fs::write(data.join("office-a/office.yaml"), "name: 甲镇\n").unwrap();
    fs::write(
        y.join("report.yaml"),
        "theme: 脱贫攻坚\nissued: 2020-12-20\nintro: 总结如下。\n",
    )
    .unwrap();
    fs::write(
        y.join("funds.yaml"),
        "special:\n  label: 专项资金\n  stated_total: 50\n  by_category:\n    - {name: 产业发展, amount: 50}\n",
    )
    .unwrap();
    let (_o, out) = build(&data);
    let svg = fs::read_to_string(out.join("office-a/2020/funds.svg")).unwrap();
    let t = texts(&svg);
    assert!(t.contains(&"50万元 100.0%".to_string()), "{t:?}");
    assert!(svg.contains("<rect"), "no bar drawn");
}
