//! Word (.docx) beside the HTML and Markdown (issue 14): the sample 总结 of
//! seed 000 opened as what it is (a zip of XML parts) and held to GB/T
//! 9704-2012 — page, margins, the 22 × 28 grid, the styles' East Asian
//! faces and the font table that names their alternatives (issue 30),
//! outline levels, tables, charts, page numbers, the 落款 with and without a
//! seal — with every reference figure in its text, and byte-identical from
//! one build to the next.

use std::io::Read;
use std::path::{Path, PathBuf};

mod common;
use common::{build, root, stderr};

fn part(docx: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in {}", docx.display()))
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn names(docx: &Path) -> Vec<String> {
    let z = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    z.file_names().map(|n| n.unwrap().into_owned()).collect()
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A w: attribute of an element.
fn attr<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

fn child<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    n.descendants().find(|c| c.has_tag_name((W, name)))
}

/// The text of every paragraph, in order.
fn paragraphs(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| {
            p.descendants()
                .filter(|t| t.has_tag_name((W, "t")))
                .filter_map(|t| t.text())
                .collect()
        })
        .collect()
}

fn built() -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&root().join("data"), &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (tmp, out, stderr(&o))
}

#[test]
fn the_sample_summary_in_word_follows_gb_t_9704() {
    let (_tmp, out, _) = built();
    let docx = out.join("xx-qu/2017/summary.docx");
    let xml = part(&docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();

    // A4; margins 37 / 35 / 28 / 26 mm.
    let sz = child(doc.root(), "pgSz").unwrap();
    assert_eq!(
        (attr(sz, "w"), attr(sz, "h")),
        (Some("11906"), Some("16838"))
    );
    let m = child(doc.root(), "pgMar").unwrap();
    let margins: Vec<_> = ["top", "bottom", "left", "right"]
        .map(|k| attr(m, k))
        .to_vec();
    assert_eq!(
        margins,
        [Some("2098"), Some("1984"), Some("1587"), Some("1474")]
    );

    // Styles by name, with their East Asian fonts, sizes and outline levels.
    let styles = part(&docx, "word/styles.xml");
    let st = roxmltree::Document::parse(&styles).unwrap();
    let style = |name: &str| {
        st.descendants()
            .find(|s| {
                s.has_tag_name((W, "style"))
                    && child(*s, "name").and_then(|n| attr(n, "val")) == Some(name)
            })
            .unwrap_or_else(|| panic!("style {name}"))
    };
    let east = |s| child(s, "rFonts").and_then(|f| attr(f, "eastAsia"));
    let defaults = child(st.root(), "rPrDefault").unwrap();
    // The faces every Windows since Vista ships, and the title's 小标宋.
    assert_eq!(east(defaults), Some("仿宋"));
    assert_eq!(
        child(defaults, "sz").and_then(|s| attr(s, "val")),
        Some("32")
    );
    assert_eq!(east(style("标题")), Some("方正小标宋简体"));
    assert_eq!(
        child(style("标题"), "sz").and_then(|s| attr(s, "val")),
        Some("44")
    );
    assert_eq!(
        child(style("标题"), "jc").and_then(|s| attr(s, "val")),
        Some("center")
    );
    assert_eq!(east(style("一级标题")), Some("黑体"));
    assert_eq!(east(style("二级标题")), Some("楷体"));
    assert!(child(style("三级标题"), "b").is_some());
    for (name, level) in [
        ("一级标题", "0"),
        ("二级标题", "1"),
        ("三级标题", "2"),
        ("四级标题", "3"),
    ] {
        assert_eq!(
            child(style(name), "outlineLvl").and_then(|o| attr(o, "val")),
            Some(level),
            "{name}"
        );
    }
    // 正文 is Word's built-in Normal (shown as 正文 in Chinese Word and WPS).
    let normal = st
        .descendants()
        .find(|s| s.has_tag_name((W, "style")) && attr(*s, "styleId") == Some("Normal"))
        .unwrap();
    assert_eq!(
        child(normal, "name").and_then(|n| attr(n, "val")),
        Some("Normal")
    );
    assert_eq!(
        child(normal, "ind").and_then(|i| attr(i, "firstLineChars")),
        Some("200")
    );
    assert_eq!(
        child(defaults.parent().unwrap(), "spacing").and_then(|s| attr(s, "line")),
        Some("579")
    );
    assert_eq!(
        child(style("落款"), "jc").and_then(|s| attr(s, "val")),
        Some("right")
    );

    // Every face the styles name is in the font table, with Word's
    // description of it and the face to use where it is missing.
    fonts_are_described(&docx, &st);
    // 22 lines of 28 characters, from the 版心 (156 × 225 mm) and 3号.
    grid_is_22_by_28(&doc, &st);

    // Odd and even page numbers "— 1 —", 4号, right and left.
    assert!(part(&docx, "word/settings.xml").contains("<w:evenAndOddHeaders/>"));
    let odd = part(&docx, "word/footer1.xml");
    let even = part(&docx, "word/footer2.xml");
    for (f, side) in [(&odd, "right"), (&even, "left")] {
        assert!(f.contains(" PAGE "), "{f}");
        assert!(f.contains("— </w:t>") && f.contains(" —</w:t>"), "{f}");
        assert!(f.contains(&format!("<w:jc w:val=\"{side}\"/>")), "{f}");
        assert!(f.contains("<w:sz w:val=\"28\"/>"), "{f}");
    }

    // Headings carry their styles: the chapters 一、 and the sections （一）.
    let styled = |id: &str| {
        doc.descendants()
            .filter(|p| p.has_tag_name((W, "pStyle")) && attr(*p, "val") == Some(id))
            .count()
    };
    assert_eq!(styled("Title"), 1);
    assert_eq!(styled("Heading1"), 4);
    assert!(styled("Heading2") >= 10, "{}", styled("Heading2"));

    // Tables: as many as the Markdown prints, each with a repeating header.
    let md = std::fs::read_to_string(out.join("xx-qu/2017/summary.md")).unwrap();
    let md_tables = md
        .lines()
        .filter(|l| l.starts_with("| ---") || l.starts_with("| --- "))
        .count();
    let tables: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .collect();
    let headers = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "tblHeader")))
        .count();
    // The Markdown's 落款 is a one-column table of its own; Word has 落款 paragraphs.
    assert_eq!(tables.len(), md_tables - 1, "tables");
    assert_eq!(headers, tables.len());

    // Charts: Word's own charts, one per group of bars (脱贫进度 3, 资金结构
    // 1, 项目进度 2), each a chart part with its values and the bars' texts,
    // and alt text; three captions.
    let parts: Vec<_> = names(&docx)
        .into_iter()
        .filter(|n| n.starts_with("word/charts/"))
        .collect();
    assert_eq!(parts.len(), 6, "{parts:?}");
    assert!(!names(&docx).iter().any(|n| n.starts_with("word/media/")));
    let drawings: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "docPr")
        .collect();
    assert_eq!(drawings.len(), 6);
    for d in &drawings {
        assert!(
            d.attribute("descr").is_some_and(|a| a.chars().count() > 10),
            "alt"
        );
    }
    let types = part(&docx, "[Content_Types].xml");
    let rels = part(&docx, "word/_rels/document.xml.rels");
    for p in &parts {
        let xml = part(&docx, p);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert!(types.contains(&format!("/{p}")), "{p}");
        assert!(rels.contains(&p["word/".len()..]), "{p}");
    }
    let exits = part(&docx, "word/charts/chart1.xml");
    assert!(
        exits.contains("<c:v>4800</c:v>") && exits.contains("<a:t>2373户4800人</a:t>"),
        "{exits}"
    );
    assert_eq!(styled("Caption"), 3);

    // Every figure of ../shared/reference/README.md, in the text.
    let text = paragraphs(&doc).join("\n");
    for figure in [
        "统筹使用比例达52.2%",
        "比例达到50.7%",
        "专项资金2531.2万元",
        "项目81个",
        "占75.8%",
        "补偿比例85.77%",
        "完工率87.51%",
        "贫困户获贷比例20%",
        "的162.8%",
        "未脱贫人口724户1595人",
        "低保户556户1243人",
        "净增人口15人",
        "学生292人24.28万元",
        "覆盖贫困户393户",
    ] {
        assert!(text.contains(figure), "{figure}");
    }
    // Acknowledged, printed as published; the computed rate nowhere.
    assert!(!text.contains("162.9%"));
    // The register does not close: no cumulative.
    assert!(!text.contains("累计脱贫"));
    // 落款 and date, each a right-aligned paragraph of its own, at the end.
    let paras = paragraphs(&doc);
    let n = paras.len();
    assert_eq!(paras[n - 2], "xx区扶贫开发领导小组办公室");
    assert_eq!(paras[n - 1], "2017年12月20日");
}

/// word/fontTable.xml: related, typed, and naming each face of the styles
/// once, with altName, panose, charset and family as Word writes them.
fn fonts_are_described(docx: &Path, styles: &roxmltree::Document) {
    let table = part(docx, "word/fontTable.xml");
    assert!(part(docx, "word/_rels/document.xml.rels").contains("Target=\"fontTable.xml\""));
    assert!(part(docx, "[Content_Types].xml").contains("wordprocessingml.fontTable+xml"));
    let t = roxmltree::Document::parse(&table).unwrap();
    let entry = |name: &str| {
        let f = t
            .descendants()
            .find(|f| f.has_tag_name((W, "font")) && attr(*f, "name") == Some(name))
            .unwrap_or_else(|| panic!("{name} not in the font table: {table}"));
        let val = |k| child(f, k).and_then(|c| attr(c, "val")).map(str::to_string);
        (
            val("altName"),
            val("panose1"),
            val("charset"),
            val("family"),
        )
    };
    let named: std::collections::BTreeSet<&str> = styles
        .descendants()
        .filter(|n| n.has_tag_name((W, "rFonts")))
        .flat_map(|n| ["ascii", "eastAsia"].map(|k| attr(n, k)))
        .flatten()
        .collect();
    assert_eq!(named.len(), 5, "{named:?}");
    for name in named {
        let (_, panose, charset, _) = entry(name);
        assert_eq!(panose.map(|p| p.len()), Some(20), "{name}");
        assert!(charset.is_some(), "{name}");
    }
    assert_eq!(
        entry("仿宋"),
        (
            Some("FangSong".into()),
            Some("02010609060101010101".into()),
            Some("86".into()),
            Some("modern".into())
        )
    );
    assert_eq!(entry("楷体").0.as_deref(), Some("KaiTi"));
    assert_eq!(entry("黑体").0.as_deref(), Some("SimHei"));
    assert_eq!(entry("宋体").0.as_deref(), Some("SimSun"));
    assert_eq!(entry("方正小标宋简体").0.as_deref(), Some("宋体"));
    assert_eq!(
        t.descendants()
            .filter(|f| f.has_tag_name((W, "font")))
            .count(),
        6
    );
}

/// The section's grid: `linesAndChars`, its line pitch the block's height
/// over 22 (the body's exact line spacing too), its character pitch (3号
/// plus `charSpace` in 4096ths of a point) the block's width over 28.
fn grid_is_22_by_28(doc: &roxmltree::Document, styles: &roxmltree::Document) {
    let (block_w, block_h) = (8844, 12756); // 156 × 225 mm in twips
    let grid = child(doc.root(), "docGrid").unwrap();
    assert_eq!(attr(grid, "type"), Some("linesAndChars"));
    let pitch: i64 = attr(grid, "linePitch").unwrap().parse().unwrap();
    assert!(22 * pitch <= block_h && 23 * pitch > block_h, "{pitch}");
    let line = child(child(styles.root(), "pPrDefault").unwrap(), "spacing").unwrap();
    assert_eq!(attr(line, "line"), Some(pitch.to_string().as_str()));
    let space: i64 = attr(grid, "charSpace").unwrap().parse().unwrap();
    let size: i64 = child(child(styles.root(), "rPrDefault").unwrap(), "sz")
        .and_then(|s| attr(s, "val"))
        .unwrap()
        .parse()
        .unwrap();
    // In 4096ths of a twip: the body's size (half points × 10) and the
    // grid's addition to it (4096ths of a point × 20).
    let advance = size * 10 * 4096 + space * 20;
    assert!(space < 0, "{space}");
    assert!(28 * advance <= block_w * 4096, "{advance}");
    assert!(28 * advance > (block_w - 1) * 4096, "{advance}");
}

/// The paragraphs after the text: the empty ones, then the 署名 and the
/// date with their right indents (twips).
fn sign_block(doc: &roxmltree::Document) -> (usize, Vec<(String, u32)>) {
    let paras: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .collect();
    let text = |p: roxmltree::Node| -> String {
        p.descendants()
            .filter(|t| t.has_tag_name((W, "t")))
            .filter_map(|t| t.text())
            .collect()
    };
    let n = paras.len();
    let signed: Vec<(String, u32)> = paras[n - 2..]
        .iter()
        .map(|p| {
            let right = child(*p, "ind")
                .and_then(|i| attr(i, "right"))
                .unwrap()
                .parse()
                .unwrap();
            (text(*p), right)
        })
        .collect();
    let empty = paras[..n - 2]
        .iter()
        .rev()
        .take_while(|p| text(**p).is_empty())
        .count();
    // The text's last paragraph is kept with them.
    assert!(child(paras[n - 3 - empty], "keepNext").is_some());
    (empty, signed)
}

/// GB/T 9704-2012 7.3.5.1: stamped after printing (the default), the date
/// four characters from the right, the 署名 centred over it, two lines
/// after the text; 7.3.5.2 (`seal: false`): the 署名 two characters from
/// the right after one line, the date starting two characters right of
/// its start. Characters of the grid: 8844 / 28 twips. The HTML says which
/// in its class; an office's own faces (`fonts:`) are Word's, with the
/// shipped face as their alternative.
#[test]
fn the_signature_with_and_without_a_seal() {
    let ch = |quarters: u32| quarters * 8844 / 28 / 4;
    let (_tmp, out, _) = built();
    let docx = out.join("xx-qu/2017/summary.docx");
    let doc_xml = part(&docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&doc_xml).unwrap();
    // xx区扶贫开发领导小组办公室: 13 characters; 2017年12月20日: 7.
    let (empty, signed) = sign_block(&doc);
    assert_eq!(empty, 2);
    assert_eq!(
        signed,
        [
            // One character: 4 − (13 − 7) / 2.
            ("xx区扶贫开发领导小组办公室".into(), ch(4)),
            ("2017年12月20日".into(), ch(4 * 4)),
        ]
    );
    let html = std::fs::read_to_string(out.join("xx-qu/2017/summary.html")).unwrap();
    assert!(html.contains("<footer class=\"sign seal\">"));

    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::copy_tree(&root().join("data/xx-qu"), &data.join("xx-qu"));
    let office = data.join("xx-qu/office.yaml");
    let text = std::fs::read_to_string(&office).unwrap();
    std::fs::write(
        &office,
        format!("{text}seal: false\nfonts: {{fangsong: 仿宋_GB2312, kaiti: 方正楷体_GBK}}\n"),
    )
    .unwrap();
    let site = tmp.path().join("site");
    let o = build(&data, &site);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let docx = site.join("xx-qu/2017/summary.docx");
    let doc_xml = part(&docx, "word/document.xml");
    let doc = roxmltree::Document::parse(&doc_xml).unwrap();
    let (empty, signed) = sign_block(&doc);
    assert_eq!(empty, 1);
    assert_eq!(
        signed,
        [
            ("xx区扶贫开发领导小组办公室".into(), ch(4 * 2)),
            ("2017年12月20日".into(), ch(4 * (2 + 13 - 2 - 7))),
        ]
    );
    let html = std::fs::read_to_string(site.join("xx-qu/2017/summary.html")).unwrap();
    assert!(html.contains("<footer class=\"sign\">"));
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains("w:eastAsia=\"仿宋_GB2312\""), "{styles}");
    assert!(styles.contains("w:eastAsia=\"方正楷体_GBK\""), "{styles}");
    let table = part(&docx, "word/fontTable.xml");
    assert!(table.contains("<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/>"));
    assert!(table.contains("<w:font w:name=\"方正楷体_GBK\"><w:altName w:val=\"楷体\"/>"));
}

/// Two builds give byte-identical Word files; every document has one,
/// linked from its page and from the office page.
#[test]
fn word_files_are_deterministic_and_linked() {
    let (_a, first, _) = built();
    let (_b, second, _) = built();
    let mut count = 0;
    for entry in walkdir::WalkDir::new(&first) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "docx") {
            let rel = path.strip_prefix(&first).unwrap();
            let a = std::fs::read(&path).unwrap();
            let b = std::fs::read(second.join(rel)).unwrap();
            assert!(a == b, "{} differs between builds", rel.display());
            count += 1;
            let html = path.with_extension("html");
            let stem = path.file_name().unwrap().to_string_lossy().into_owned();
            let page = std::fs::read_to_string(&html).unwrap();
            assert!(
                page.contains(&format!("href=\"{stem}\">Word 版</a>")),
                "{}",
                html.display()
            );
        }
    }
    assert_eq!(count, 14, "one .docx per document");
    let office = std::fs::read_to_string(first.join("xx-qu/index.html")).unwrap();
    assert!(
        office.contains("href=\"2017/summary.docx\">Word</a>"),
        "{office}"
    );
}
