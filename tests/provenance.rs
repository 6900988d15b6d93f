//! Issue 27 on the sample site: every printed figure nianbao computed or
//! checked opens its provenance on the web page, the 核对表 lists them
//! (figures.html and figures.xlsx, read back here with a spreadsheet
//! library), `nianbao explain` prints the same derivation, and none of it
//! reaches paper: no file name or rule id in the Markdown or Word files, and
//! the print style hides the panels.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};

mod common;
use common::{build, nianbao, stderr, stdout};

fn sample() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = build(&common::root().join("data"), &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (tmp, out)
}

/// The rows the year's document pages refer to (`data-f=行`).
fn rows_cited(year: &Path) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    for doc in ["summary.html", "plan.html"] {
        let Ok(html) = fs::read_to_string(year.join(doc)) else {
            continue;
        };
        for s in html.split("<span data-f=").skip(1) {
            let n: String = s.chars().take_while(char::is_ascii_digit).collect();
            out.insert(n.parse().unwrap());
        }
    }
    out
}

/// Rule ids a 核对表 names; none of them may print.
const RULE_IDS: &[&str] = &[
    "figure.rate",
    "figure.zero",
    "figure.over",
    "figure.triple",
    "breakdown.sum",
    "funds.total",
    "register.gap",
    "register.planned",
    "register.villages",
    "project.status",
];

#[test]
fn figures_xlsx_has_one_row_per_printed_figure_with_numbers_as_numbers() {
    let (_tmp, out) = sample();
    let mut years = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let path = entry.unwrap().into_path();
        if path.file_name().is_none_or(|n| n != "figures.xlsx") {
            continue;
        }
        years += 1;
        let year = path.parent().unwrap();
        let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
        assert_eq!(book.sheet_names().len(), 1, "{}", path.display());
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<&[Data]> = sheet.rows().collect();
        let head: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
        assert_eq!(&head[..3], ["序号", "名称", "印出"], "{}", path.display());
        let figures = &rows[1..];
        // One row per figure the documents print and mark: the pages refer
        // to every row, and to no other.
        let cited = rows_cited(year);
        assert_eq!(
            cited,
            (0..figures.len()).collect::<BTreeSet<_>>(),
            "{}",
            path.display()
        );
        // The same rows as the web page's 核对表.
        let html = fs::read_to_string(year.join("figures.html")).unwrap();
        assert_eq!(html.matches("<tr><td>").count(), figures.len());
        for (i, row) in figures.iter().enumerate() {
            assert_eq!(row[0], Data::Float((i + 1) as f64), "{}", path.display());
            assert!(matches!(row[1], Data::String(_)), "{row:?}");
        }
        // The frozen header row.
        let xml = common::zip_part(&path, "xl/worksheets/sheet1.xml");
        assert!(xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""));
    }
    assert!(years >= 5, "{years} 核对表");

    // Seed 000's acknowledged rate: its printed text, and its number as a
    // number.
    let path = out.join("xx-qu/2017/figures.xlsx");
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let row = sheet
        .rows()
        .find(|r| r[1] == Data::String("新增扶贫小额信贷.完成率".into()))
        .expect("小额信贷's rate in the 核对表");
    assert_eq!(row[2], Data::String("162.8%".into()));
    assert_eq!(row[5], Data::Float(162.8));
    // Each cell in its column, though cells before it are left out.
    assert_eq!(row[3], Data::Empty, "{row:?}");
    assert_eq!(row[6], Data::String("%".into()), "{row:?}");
    assert_eq!(row[10], Data::String("原文如此".into()), "{row:?}");
    let sum = sheet
        .rows()
        .find(|r| r[1] == Data::String("资助建档立卡家庭经济困难学生".into()))
        .expect("the education total in the 核对表");
    assert_eq!(sum[4], Data::Float(292.0), "{sum:?}");
    // A number as the data writes it is a source value, not a figure that
    // cannot be checked; a rate computed from it is checked.
    let status = |name: &str| {
        let row = sheet
            .rows()
            .find(|r| r[1] == Data::String(name.into()))
            .unwrap_or_else(|| panic!("{name} in the 核对表"));
        row[10].to_string()
    };
    assert_eq!(status("统筹使用比例.分子"), "数据原值");
    assert_eq!(status("新增扶贫小额信贷.计划"), "数据原值");
    assert_eq!(status("统筹使用比例"), "核对通过");
    let html = fs::read_to_string(out.join("xx-qu/2017/figures.html")).unwrap();
    let row = html
        .split("<tr>")
        .find(|r| r.contains("<th>统筹使用比例.分子<"))
        .expect("the numerator's row in figures.html");
    assert!(row.contains("<td class=src>数据原值"), "{row}");
}

#[test]
fn a_printed_figure_opens_its_derivation_on_the_page() {
    let (_tmp, out) = sample();
    let year = out.join("xx-qu/2017");
    let html = fs::read_to_string(year.join("summary.html")).unwrap();
    // The acknowledged rate: its row, marked 原文如此 inside.
    let at = html
        .find("<mark title=\"原文如此：原文为162.8%")
        .expect("the acknowledged rate");
    let before = &html[..at];
    let row: String = before[before.rfind("data-f=").unwrap() + 7..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(before.ends_with(&format!("<span data-f={row}>")));
    // Its record in the page's own data: the formula, the operands with
    // their lines, the check by rule id, the office's words.
    let json = html
        .split("<script type=\"application/json\" id=\"nianbao-figures\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("the page's figures");
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(data["own"], "2017/");
    let r = &data["rows"][&row];
    assert_eq!(r[0], "1645万元 ÷ 1010万元 ≈ 162.871% → 162.9%");
    let operands = r[1].to_string();
    for s in [
        "1645万元",
        "measures.yaml:63",
        "1010万元",
        "measures.yaml:64",
    ] {
        assert!(operands.contains(s), "{s} in {operands}");
    }
    assert_eq!(r[2], "figure.rate（已说明）、figure.zero");
    assert_eq!(r[3], "ack");
    assert_eq!(r[4][0], "162.8%");
    assert_eq!(r[4][1], "162.9%");
    // Every row a page refers to is in its data, and the script is there.
    for n in rows_cited(&year) {
        let in_page = html.contains(&format!("data-f={n}>"));
        assert!(!in_page || data["rows"].get(n.to_string()).is_some(), "{n}");
    }
    assert!(html.contains("<script src=\"../../static/figures.js\" defer></script>"));
    assert!(out.join("static/figures.js").is_file());
    // A figure the office typed as text is not marked.
    assert!(html.contains("家庭医生签约服务率达到100%。"), "{html}");
    // The 核对表 is linked from the document.
    assert!(html.contains("<a href=\"figures.html\">核对表</a>"));
}

/// The 核对表's rows of a year: `(name, printed)`, in order.
fn checklist_rows(year: &Path) -> Vec<(String, String)> {
    let html = fs::read_to_string(year.join("figures.html")).unwrap();
    html.split("<tr><td>")
        .skip(1)
        .map(|r| {
            let cells: Vec<&str> = r.split("<td>").collect();
            let name = cells[0].split("<th>").nth(1).unwrap_or_default();
            (name.to_string(), cells[1].to_string())
        })
        .collect()
}

/// The numbers of a text, as written.
fn numbers(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|n| n.trim_matches('.'))
        .filter(|n| !n.is_empty())
        .collect()
}

/// The figures of nianbao's own tables, charts and sentences open too,
/// each at a row of the 核对表 that prints the numbers it shows; and every
/// row is one the documents show.
#[test]
fn the_figures_of_tables_charts_and_generated_sentences_open() {
    let (_tmp, out) = sample();
    let mut marked = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let path = entry.unwrap().into_path();
        if path.file_name().is_none_or(|n| n != "figures.html") {
            continue;
        }
        let year = path.parent().unwrap();
        let rows = checklist_rows(year);
        for doc in ["summary.html", "plan.html"] {
            let Ok(html) = fs::read_to_string(year.join(doc)) else {
                continue;
            };
            for s in html.split("<span data-f=").skip(1) {
                let n: usize = s[..s.find('>').unwrap()].parse().unwrap();
                let text = &s[s.find('>').unwrap() + 1..s.find("</span>").unwrap()];
                let text = text.split('<').next().unwrap_or_default();
                let (name, printed) = &rows[n];
                for number in numbers(text) {
                    assert!(
                        numbers(printed).contains(&number),
                        "{}: {text} opens row {} ({name} {printed})",
                        year.join(doc).display(),
                        n + 1
                    );
                }
                marked += 1;
            }
        }
    }
    assert!(marked > 500, "{marked}");

    // Seed 000's 2017: the register's table, the 同比 and a chart's table.
    let year = out.join("xx-qu/2017");
    let html = fs::read_to_string(year.join("summary.html")).unwrap();
    let rows = checklist_rows(&year);
    let opened = |text: &str| -> Vec<&str> {
        html.split("<span data-f=")
            .skip(1)
            .filter(|s| {
                s.split('>')
                    .nth(1)
                    .is_some_and(|t| t.starts_with(&format!("{text}<")))
            })
            .map(|s| {
                rows[s[..s.find('>').unwrap()].parse::<usize>().unwrap()]
                    .0
                    .as_str()
            })
            .collect()
    };
    assert!(opened("724").contains(&"未脱贫"), "{:?}", opened("724"));
    assert!(
        opened("下降7.3%").contains(&"同比.未脱贫人口"),
        "{:?}",
        opened("下降7.3%")
    );
    assert!(
        opened("1721人").contains(&"上年.未脱贫（2016年数字）"),
        "{:?}",
        opened("1721人")
    );
    assert!(
        opened("108.6%").contains(&"减贫任务完成率"),
        "{:?}",
        opened("108.6%")
    );
    // The 核对表 lists them with their derivations.
    let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"产业发展项目"), "{names:?}");

    // A paragraph nianbao writes (seed 000's 2016 overview, which the
    // office left to it): its figures open.
    let html = fs::read_to_string(out.join("xx-qu/2016/summary.html")).unwrap();
    let overview = html.split("<h2>一、总体情况</h2>").nth(1).unwrap();
    let paragraph = &overview[..overview.find("</p>").unwrap()];
    assert!(paragraph.contains("累计脱贫<span data-f="), "{paragraph}");
    assert!(
        paragraph.matches("<span data-f=").count() >= 6,
        "{paragraph}"
    );
}

#[test]
fn nothing_of_the_provenance_prints() {
    let (_tmp, out) = sample();
    for entry in walkdir::WalkDir::new(&out) {
        let path = entry.unwrap().into_path();
        let text = match path.extension().and_then(|e| e.to_str()) {
            Some("md") => fs::read_to_string(&path).unwrap(),
            Some("docx") => common::docx_text(&path).0,
            _ => continue,
        };
        for word in RULE_IDS.iter().chain(&[".yaml", "核对表"]) {
            assert!(!text.contains(word), "{word} in {}", path.display());
        }
    }
    // The print style hides the panels and the figures' look of buttons.
    let css = fs::read_to_string(out.join("static/style.css")).unwrap();
    let print = css
        .split("@media print")
        .skip(1)
        .map(|s| s.split("\n}").next().unwrap())
        .find(|s| s.contains(".fp"))
        .expect("a print rule for the panels");
    let rule = &print[print.find(".fp").unwrap()..];
    let rule = &rule[..rule.find('}').unwrap()];
    assert!(rule.contains("display: none"), "{rule}");
}

#[test]
fn checks_summary_line_names_the_checklists_a_build_writes() {
    let data = common::root().join("data");
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    let err = stderr(&o);
    let last = err.lines().last().unwrap();
    let (_, lists) = last
        .split_once("。核对表（nianbao build 生成）：")
        .unwrap_or_else(|| panic!("no 核对表 in the summary line: {last}"));
    // The sample has a dozen years with documents: the pattern, the count
    // and the first, a path in the site the build writes.
    let (_tmp, out) = sample();
    let written = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_name() == "figures.html")
        .count();
    let expected =
        format!("每个年度一份，共 {written} 份，在 output/<单位>/<年度>/figures.html，如 ");
    assert!(lists.starts_with(&expected), "{last}");
    let first = lists[expected.len()..].trim_end_matches('。');
    let in_site = first.strip_prefix("output/").unwrap();
    assert!(out.join(in_site).is_file(), "{first} not in the site");
}

#[test]
fn explain_prints_the_same_derivation() {
    let data = common::root().join("data");
    let explain = |office: &str, year: &str, name: &str| {
        nianbao(&[
            "explain",
            "--data",
            data.to_str().unwrap(),
            office,
            year,
            name,
        ])
    };
    let o = explain("xx-qu", "2017", "新增扶贫小额信贷.完成率");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for s in [
        "新增扶贫小额信贷.完成率：162.8%",
        "1645万元 ÷ 1010万元 ≈ 162.871% → 162.9%",
        "2017/measures.yaml:63",
        "2017/measures.yaml:64",
        "figure.rate（已说明）",
        "原文如此：原文为 162.8%，按数据计算为 162.9%",
    ] {
        assert!(text.contains(s), "{s} in:\n{text}");
    }
    let o = explain("xx-qu", "2017", "统筹使用比例.分子");
    let text = stdout(&o);
    assert!(
        text.contains("2017/funds.yaml:10") && text.contains("核对：无；数据原值"),
        "{text}"
    );
    // A roll-up names each township's figure at its file and line.
    let o = explain("shili-xian", "2023", "下辖合计.监测对象基数");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for s in [
        "300户1000人 + 220户730人 + 142户480人 = 662户2210人",
        "东溪镇　shili-dongxi/2023/register.yaml:2",
        "rollup.sum",
    ] {
        assert!(text.contains(s), "{s} in:\n{text}");
    }
    // A count from the project list names the lines of the entries it
    // counts; a 同比 names last year's lines and this year's.
    let data_lines = |office: &str, year: &str, name: &str, want: &[&str]| {
        let o = explain(office, year, name);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = stdout(&o);
        for s in want {
            assert!(text.contains(s), "{s} in:\n{text}");
        }
    };
    data_lines(
        "xx-qu",
        "2017",
        "完工项目",
        &["69个　项目清单中状态为“已完工”的项目　2017/projects.yaml:7-87"],
    );
    data_lines(
        "xx-qu",
        "2017",
        "竣工率",
        &["81个　项目总数　2017/projects.yaml:7-87"],
    );
    // A share's whole, a sum of the batches, at the batches' lines.
    data_lines(
        "xx-qu",
        "2017",
        "产业发展占比",
        &[
            "1918.6万元　产业发展资金　2017/projects.yaml:7-84",
            "2531.2万元　专项资金　2017/funds.yaml:30-33",
        ],
    );
    data_lines(
        "shili-xian",
        "2023",
        "产业发展项目",
        &["6个　项目清单中类别为“产业发展”的项目　2023/projects.yaml:3-8"],
    );
    data_lines(
        "shili-xian",
        "2023",
        "同比.专项资金",
        &[
            "4300万元　2022年专项资金　2022/funds.yaml:11-12",
            "4700万元　2023年专项资金　2023/funds.yaml:13-14",
        ],
    );
    let o = explain("xx-qu", "2017", "没有这个名称");
    assert_ne!(o.status.code(), Some(0), "{}", stdout(&o));
}

/// The funds chart folds small categories into 其他 when there are many:
/// its funds, share and projects are sums with no name, and open to them.
#[test]
fn the_folded_categories_of_a_chart_open_as_their_sums() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::copy_tree(&common::root().join("data/xx-qu"), &data.join("xx-qu"));
    let list = data.join("xx-qu/2017/projects.yaml");
    let mut text = fs::read_to_string(&list).unwrap();
    for (id, from, to) in [
        ("2017-080", "就业扶贫", "教育扶贫"),
        ("2017-081", "住房保障", "健康扶贫"),
        ("2017-079", "基础设施", "文化扶贫"),
        ("2017-031", "就业扶贫", "生态扶贫"),
    ] {
        let at = text.find(&format!("id: {id},")).unwrap();
        let end = at + text[at..].find('\n').unwrap();
        let line = text[at..end].replacen(from, to, 1);
        text.replace_range(at..end, &line);
    }
    fs::write(&list, text).unwrap();
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let year = out.join("xx-qu/2017");
    let html = fs::read_to_string(year.join("summary.html")).unwrap();
    let row = html
        .split("<td>其他</td><td>")
        .nth(1)
        .expect("a 其他 row in the funds chart's table");
    let cell = &row[..row.find("</td>").unwrap()];
    assert_eq!(cell.matches("<span data-f=").count(), 3, "{cell}");
    let rows = checklist_rows(&year);
    for (name, _) in [("其他资金", ""), ("其他占比", ""), ("其他项目", "")] {
        assert!(rows.iter().any(|(n, _)| n == name), "{name} in {rows:?}");
    }
    let (_, printed) = rows.iter().find(|(n, _)| n == "其他资金").unwrap();
    assert!(
        cell.contains(&format!(">{printed}</span>")),
        "{cell} / {printed}"
    );
}
