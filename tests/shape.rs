//! The document's shape from the data (issue 13), on the real binary: kinds
//! with their titles and chapters, chapters of the office's own in any order,
//! four levels of numbering, task groups, a closing paragraph, plan-only years.

use std::fs;

mod common;
use common::{build, clean_in, nianbao, stderr};

/// Build the clean base with some files replaced; the built site's folder.
fn built(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, files);
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (tmp, out)
}

fn read(out: &std::path::Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The headings of a Markdown document, in order.
fn headings(md: &str) -> Vec<&str> {
    md.lines().filter(|l| l.starts_with('#')).collect()
}

const REPORT: &str = r#"theme: 脱贫攻坚
kind: 情况报告
issued: 2020-12-20
intro: 现将有关情况报告如下：
chapters:
  - {use: 总体情况}
  - title: 主要做法
    text: 坚持精准方略。
    sections:
      - title: 聚焦短板
        text: 补齐短板。
        sections:
          - title: 住房
            text: 危房改造全覆盖。
            sections:
              - {title: 集中安置, text: 建成安置点3个。}
              - {title: 分散安置, text: 分散安置12户。}
          - {title: 饮水, text: 饮水安全有保障。}
      - {title: 健全机制, text: 建立机制。}
  - {use: 存在问题, title: 存在的主要问题}
  - title: 经验做法
    text: 一是坚持标准公开评定。
  - title: 六、结束语之前
    text: 本章标题自带编号。
closing: 我们将继续努力，巩固成果。
"#;

/// Chapters of the office's own in its order, built-in ones among them
/// under its titles, four levels numbered 一、 （一） 1. （1）, a title that
/// carries its own number kept as written, and a closing paragraph.
#[test]
fn chapters_in_the_office_s_order_with_four_levels() {
    let (_tmp, out) = built(&[("2020/report.yaml", REPORT)]);
    let md = read(&out, "office-a/2020/summary.md");
    assert_eq!(
        headings(&md),
        [
            "# 甲县2020年脱贫攻坚工作情况报告",
            "## 一、基本情况",
            "## 二、主要做法",
            "### （一）聚焦短板",
            "#### 1.住房",
            "##### （1）集中安置",
            "##### （2）分散安置",
            "#### 2.饮水",
            "### （二）健全机制",
            "## 三、存在的主要问题",
            "## 四、经验做法",
            "## 六、结束语之前",
        ],
        "{md}"
    );
    // The fields of work (主要工作) are not a chapter here: the office did
    // not ask for them, so none of their text prints.
    assert!(!md.contains("主要工作及成效"), "{md}");
    let closing = md.find("我们将继续努力，巩固成果。").expect("closing");
    assert!(closing < md.find("| 甲县乡村振兴局 |").unwrap(), "{md}");
    let html = read(&out, "office-a/2020/summary.html");
    for h in [
        "<h2>二、主要做法</h2>",
        "<h3>（一）聚焦短板</h3>",
        "<h4>1.住房</h4>",
        "<h5>（1）集中安置</h5>",
        "<div class=\"closing\"><p>我们将继续努力，巩固成果。</p>",
    ] {
        assert!(html.contains(h), "{h}\n{html}");
    }
}

/// Each kind has its default title and chapter names.
#[test]
fn kinds_give_their_titles_and_chapter_names() {
    let report = "theme: 脱贫攻坚\nkind: 汇报\nintro: 现汇报如下：\n";
    let (_tmp, out) = built(&[("2020/report.yaml", report)]);
    let md = read(&out, "office-a/2020/summary.md");
    let h = headings(&md);
    assert_eq!(h[0], "# 甲县2020年脱贫攻坚工作汇报", "{md}");
    assert!(h.contains(&"## 一、基本情况"), "{h:?}");
    assert!(h.contains(&"## 二、主要做法"), "{h:?}");
    assert!(h.contains(&"## 四、下步打算"), "{h:?}");

    let report = "theme: 脱贫攻坚\nkind: 总结及计划\nintro: 现报告如下：\n";
    let (_tmp, out) = built(&[("2020/report.yaml", report)]);
    let md = read(&out, "office-a/2020/summary.md");
    assert!(
        md.starts_with("# 甲县2020年脱贫攻坚工作总结及2021年工作计划"),
        "{md}"
    );
}

/// A year of plan.yaml alone (seed 002: five 工作方案) makes its plan and no
/// 总结; its groups of tasks are （一） sections numbered 1. 2. inside; the
/// office's own chapters go where it puts them; its date is the plan's.
#[test]
fn a_plan_only_year_with_task_groups() {
    let plan = r#"year: 2020
kind: 工作方案
theme: 脱贫攻坚
issued: 2020-03-01
intro: 为做好今年工作，制定本方案。
chapters:
  - {use: 指导思想}
  - title: 基本原则
    text: 坚持精准方略。
  - {use: 重点工作, title: 工作任务}
  - title: 检查考评
    text: 年底进行考评。
guiding: 以脱贫攻坚统揽经济社会发展全局。
tasks:
  - {text: 做好建档立卡工作。, group: 扶贫专项, lead: 县长}
  - {text: 落实产业项目。, group: 扶贫专项}
  - {text: 做好低保工作。, group: 相关业务}
closing: 各单位要认真贯彻落实。
"#;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/plan.yaml", plan)]);
    fs::remove_file(data.join("office-a/2020/report.yaml")).unwrap();
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!out.join("office-a/2020/summary.html").exists());
    let md = read(&out, "office-a/2020/plan.md");
    assert_eq!(
        headings(&md),
        [
            "# 甲县2020年脱贫攻坚工作方案",
            "## 一、指导思想",
            "## 二、基本原则",
            "## 三、工作任务",
            "### （一）扶贫专项",
            "### （二）相关业务",
            "## 四、检查考评",
        ],
        "{md}"
    );
    assert!(
        md.contains("1.做好建档立卡工作。（责任领导：县长）"),
        "{md}"
    );
    assert!(md.contains("2.落实产业项目。"), "{md}");
    assert!(md.contains("1.做好低保工作。"), "{md}");
    assert!(md.contains("各单位要认真贯彻落实。"), "{md}");
    assert!(
        md.ends_with("| ---: |\n| 甲县乡村振兴局 |\n| 2020年3月1日 |\n"),
        "{md}"
    );
    // The office page and the index lead to the plan, not to a 总结.
    let index = read(&out, "index.html");
    assert!(index.contains("office-a/2020/plan.html"), "{index}");
    assert!(!index.contains("summary.html"), "{index}");
}

/// Wrong names are findings with file:line, all at once.
#[test]
fn unknown_kinds_and_chapters_are_named() {
    let report = "theme: 脱贫攻坚
kind: 年报
intro: 如下：
chapters:
  - {use: 成绩}
  - {text: 没有标题。}
  - {use: 主要工作, measures: [不存在的工作]}
";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/report.yaml", report)]);
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for (msg, line) in [
        ("不认识的文档种类“年报”", "report.yaml:2:"),
        ("不认识的内置章节“成绩”", "report.yaml:5:"),
        ("章节没有 title，也没有 use", "report.yaml:6:"),
        (
            "measures.yaml 中没有工作领域“不存在的工作”",
            "report.yaml:7:",
        ),
    ] {
        assert!(err.contains(msg), "{msg}\n{err}");
        assert!(err.contains(line), "{line}\n{err}");
    }
}

/// An office's own templates (a `templates/` folder beside `data/`, started
/// from `nianbao templates export`) replace the built-ins by name: here a
/// letterhead and another title form. A change to them rebuilds the site.
#[test]
fn templates_beside_the_data_override_the_built_ins() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[]);
    let dir = tmp.path().join("templates");
    let o = nianbao(&["templates", "export", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("已写出 20 个模板"), "{}", stderr(&o));
    // Exporting again replaces nothing, and says which files are there.
    let again = nianbao(&["templates", "export", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("已有同名文件，未写入任何模板"),
        "{}",
        stderr(&again)
    );

    let page = dir.join("summary.html");
    let text = fs::read_to_string(&page).unwrap();
    let own = text.replacen(
        "<h1>{% for l in title_lines %}<span class=\"tl\">{{ l }}</span>{% endfor %}</h1>",
        "<p class=\"letterhead\">{{ office }}文件</p>\n<h1>关于{{ year }}年工作情况的报告</h1>",
        1,
    );
    assert_ne!(own, text);
    fs::write(&page, own).unwrap();
    let out = tmp.path().join("site");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = read(&out, "office-a/2020/summary.html");
    assert!(
        html.contains("<p class=\"letterhead\">甲县乡村振兴局文件</p>"),
        "{html}"
    );
    assert!(html.contains("<h1>关于2020年工作情况的报告</h1>"), "{html}");

    // The same data with a changed template: rebuilt, not "unchanged".
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text.replace("文件</p>", "函</p>")).unwrap();
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("数据没有变化"), "{}", stderr(&o));
    assert!(read(&out, "office-a/2020/summary.html").contains("甲县乡村振兴局函"));

    // --templates names another folder; one that is not there is refused.
    let o = nianbao(&[
        "build",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--templates",
        tmp.path().join("nope").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("模板目录"), "{}", stderr(&o));
}

/// A mistake in an office's template is named at its file, line and column,
/// in Chinese; an undefined name is an error, not an empty string; the
/// previous site stays.
#[test]
fn template_errors_point_at_the_template() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[]);
    let out = tmp.path().join("site");
    assert_eq!(build(&data, &out).status.code(), Some(0));
    let before = read(&out, "office-a/2020/summary.html");
    let dir = tmp.path().join("templates");
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("summary.md"),
        "# {{ title }}\n\n{{ no_such_name }}\n",
    )
    .unwrap();
    let o = build(&data, &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("模板错误："), "{err}");
    assert!(
        err.contains("summary.md:3:4：变量“no_such_name”不存在"),
        "{err}"
    );
    assert!(err.contains("原有站点未改动"), "{err}");
    assert_eq!(read(&out, "office-a/2020/summary.html"), before);

    fs::write(dir.join("summary.md"), "# {{ title }}\n{% if %}\n").unwrap();
    let err = stderr(&build(&data, &out));
    assert!(err.contains("summary.md:2:"), "{err}");
    assert!(err.contains("模板语法或用法有误"), "{err}");
}

/// A task (or problem) of more than one paragraph keeps its number, and
/// its responsibilities, inside its own paragraphs: never a paragraph
/// inside a paragraph.
#[test]
fn items_of_several_paragraphs_nest_no_paragraphs() {
    let plan = "tasks:
  - text: |
      “五个一”方面。下派1名党员担任“第一书记”。

      为强化帮扶工作，定期听取汇报。
    lead: 局长
";
    let (_tmp, out) = built(&[("2020/plan.yaml", plan)]);
    let html = read(&out, "office-a/2020/plan.html");
    assert!(
        html.contains("<p>（一）“五个一”方面。下派1名党员担任“第一书记”。</p>\n<p>为强化帮扶工作，定期听取汇报。<span class=\"meta\">（责任领导：局长）</span></p>"),
        "{html}"
    );
    assert!(!html.contains("<p>（一）<p>"), "{html}");
    let md = read(&out, "office-a/2020/plan.md");
    assert!(md.contains("（一）“五个一”方面。"), "{md}");
    assert!(
        md.contains("为强化帮扶工作，定期听取汇报。（责任领导：局长）"),
        "{md}"
    );
}

/// The contradiction check runs in every build, over what prints: a figure
/// planted to print otherwise (`NIANBAO_TEST_PLANT`) — a part, a rate, an
/// 未, a project rate, a category share — stops the build, named; the clean
/// data passes it.
#[test]
fn a_planted_contradiction_stops_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[]);
    let out = tmp.path().join("site");
    assert_eq!(build(&data, &out).status.code(), Some(0));
    // Each in a new folder: a rebuild of unchanged data renders nothing.
    for (i, (plant, says)) in [
        (
            "教育资助.初中=11人2.5万元",
            "指标“教育资助”印出的合计 30人6.5万元 与印出的分项之和不符",
        ),
        (
            "补偿比例=81%",
            "指标“补偿比例”印出的比率 81% 不等于印出的 80万元 ÷ 100万元",
        ),
        (
            "医保参保率.未=11人",
            "指标“医保参保率”印出的应 1000人 − 已 990人 不等于印出的未 11人",
        ),
        ("竣工率=70%", "竣工率印出的比率 70% 不等于印出的"),
        (
            "产业发展占比=71.0%",
            "“产业发展”的占比印出的比率 71.0% 不等于印出的 70万元 ÷ 100万元",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let out = tmp.path().join(format!("planted-{i}"));
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args([
                "build",
                "--data",
                data.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .env("NIANBAO_TEST_PLANT", plant)
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(4), "{plant}: {err}");
        assert!(err.contains("印出的数字相互矛盾"), "{plant}: {err}");
        assert!(err.contains(says), "{plant}: {says}\n{err}");
    }
}

/// The office places the charts: named in a chapter's `charts`, a chart
/// moves there; a chapter that lists its charts holds only those (here the
/// overview none, and the project chart is left out); they are numbered in
/// reading order; an unknown name is an error.
#[test]
fn charts_go_where_the_office_puts_them() {
    let report = "theme: 脱贫攻坚
issued: 2020-12-20
intro: 现将工作总结如下。
chapters:
  - {use: 总体情况, charts: []}
  - title: 资金与进度
    text: 全年资金与脱贫进度如下。
    charts: [资金, 进度]
  - {use: 主要工作, charts: []}
";
    let (_tmp, out) = built(&[("2020/report.yaml", report)]);
    let md = read(&out, "office-a/2020/summary.md");
    let figure = |name: &str| md.find(&format!("]({name}.svg)"));
    assert!(figure("projects").is_none(), "{md}");
    let (funds, exits) = (figure("funds").unwrap(), figure("exits").unwrap());
    let chapter = md.find("## 二、资金与进度").unwrap();
    assert!(chapter < funds && funds < exits, "{md}");
    assert!(md.find("## 一、总体情况").unwrap() < chapter);
    assert!(
        md.contains("**图1 2020年财政专项扶贫资金结构**") || md.contains("**图1 "),
        "{md}"
    );
    let first = md.find("**图1 ").unwrap();
    assert!(
        first > funds && first < exits,
        "图1 is the funds chart: {md}"
    );

    let bad = report.replace("charts: [资金, 进度]", "charts: [饼图]");
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    clean_in(&data, &[("2020/report.yaml", &bad)]);
    let err = stderr(&nianbao(&["check", "--data", data.to_str().unwrap()]));
    assert!(err.contains("不认识的图“饼图”"), "{err}");
}
