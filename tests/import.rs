//! `nianbao import` on the real binary: sheets written here with
//! rust_xlsxwriter, a checked-in 项目库 with merged headings, and CSV in
//! GBK as Excel saves it.

use std::fs;
use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

mod common;
use common::{nianbao, root, stderr};

fn import(args: &[&str]) -> std::process::Output {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    nianbao(&all)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A 项目库 with a good row and three bad cells.
fn write_sheet(path: &Path, bad: bool) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let heads = [
        "项目名称",
        "项目类别",
        "村",
        "安排资金（万元）",
        "已支出（万元）",
        "状态",
        "开工日期",
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "甲村蔬菜大棚").unwrap();
    sheet.write_string(1, 1, "产业发展").unwrap();
    sheet.write_string(1, 2, "甲村").unwrap();
    sheet.write_number(1, 3, 30.5).unwrap();
    sheet.write_number(1, 4, 12.25).unwrap();
    sheet.write_string(1, 5, "在建").unwrap();
    let d = ExcelDateTime::from_ymd(2023, 4, 2).unwrap();
    sheet.write_datetime_with_format(1, 6, &d, &date).unwrap();
    sheet.write_string(2, 0, "乙村道路").unwrap();
    sheet.write_string(2, 1, "基础设施").unwrap();
    sheet
        .write_string(2, 3, if bad { "三十万" } else { "40" })
        .unwrap();
    sheet
        .write_string(2, 5, if bad { "快好了" } else { "未开工" })
        .unwrap();
    sheet
        .write_string(2, 6, if bad { "2023-02-30" } else { "2023-06-01" })
        .unwrap();
    if bad {
        sheet.write_string(3, 1, "产业发展").unwrap();
        sheet.write_number(3, 3, 5).unwrap();
        sheet.write_string(3, 5, "在建").unwrap();
    }
    book.save(path).unwrap();
}

/// shili-xian's 2023 (a finished year) in a fresh data folder.
fn data_in(dir: &Path) -> std::path::PathBuf {
    let data = dir.join("data");
    common::shili(&data);
    data
}

#[test]
fn every_bad_cell_is_named_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_in(tmp.path());
    let to = data.join("shili-xian/2024");
    let xlsx = tmp.path().join("项目库.xlsx");
    write_sheet(&xlsx, true);
    let o = import(&["projects", s(&xlsx), "--to", s(&to)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for cell in [
        "项目库.xlsx!Sheet1!D3：安排资金“三十万”不是金额",
        "项目库.xlsx!Sheet1!F3：进度“快好了”不是项目状态",
        "项目库.xlsx!Sheet1!G3：开工日期“2023-02-30”不是有效日期",
        "项目库.xlsx!Sheet1!A4：项目名称是空的",
    ] {
        assert!(err.contains(cell), "{cell}\n{err}");
    }
    assert!(
        !to.exists(),
        "nothing is written unless the whole sheet imports"
    );

    // --partial: the rows that read, and the others still named.
    let o = import(&["projects", s(&xlsx), "--to", s(&to), "--partial"]);
    assert!(stderr(&o).contains("A4：项目名称是空的"), "{}", stderr(&o));
    let yaml = fs::read_to_string(to.join("projects.yaml")).unwrap();
    assert!(
        yaml.contains("name: 甲村蔬菜大棚") && !yaml.contains("乙村"),
        "{yaml}"
    );
}

#[test]
fn a_clean_sheet_imports_and_checks_like_typed_data() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_in(tmp.path());
    let to = data.join("shili-xian/2023");
    let xlsx = tmp.path().join("项目库.xlsx");
    write_sheet(&xlsx, false);
    // A projects.yaml is there: replaced only when asked, kept as .bak.
    fs::write(to.join("projects.yaml"), "projects: []\n").unwrap();
    let o = import(&["projects", s(&xlsx), "--to", s(&to)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = import(&["projects", s(&xlsx), "--to", s(&to), "--replace"]);
    assert!(stderr(&o).contains("已导入 2 行"), "{}", stderr(&o));
    // Then checked as typed data is: these two projects are not the
    // batches funds.yaml states, and the check says so, at its line.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("错误[funds.projects]：项目清单中批次“第一批”有 0 个项目"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("shili-xian/2023/funds.yaml:13:"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::read_to_string(to.join("projects.yaml.bak")).unwrap(),
        "projects: []\n"
    );
    let yaml = fs::read_to_string(to.join("projects.yaml")).unwrap();
    assert!(yaml.contains(
        "{id: 2023-001, name: 甲村蔬菜大棚, category: 产业发展, village: 甲村, budget: 30.5, spent: 12.25, status: 在建, start: 2023-04-02}"
    ), "{yaml}");
    assert!(
        yaml.contains("budget: 40, status: 未开工, start: 2023-06-01}"),
        "{yaml}"
    );
}

#[test]
fn merged_headings_totals_serials_and_yuan() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_in(tmp.path());
    let to = data.join("shili-xian/2023");
    fs::remove_file(to.join("projects.yaml")).ok();
    let sheet = root().join("tests/fixtures/import/项目库.xlsx");
    let o = import(&["projects", s(&sheet), "--to", s(&to)]);
    let err = stderr(&o);
    assert!(err.contains("已导入 4 行"), "{err}");
    let yaml = fs::read_to_string(to.join("projects.yaml")).unwrap();
    // 元 to 万元 exactly; Excel date cells and a date typed as text; 100%.
    for item in [
        "name: 罗田村茶叶加工厂, category: 产业发展, village: 罗田村, budget: 85, spent: 85, status: 已完工, start: 2023-03-06, end: 2023-09-28",
        "budget: 62.50005, spent: 0, status: 未开工}",
        "name: 新田村饮水巩固提升, category: 基础设施, village: 新田村, budget: 38, spent: 38, status: 已完工, start: 2023-05-08, end: 2023-08-30",
    ] {
        assert!(yaml.contains(item), "{item}\n{yaml}");
    }
    assert!(!yaml.contains("合计"));

    // A 合计 that the rows do not add up to is named at its cell.
    let tampered = tmp.path().join("项目库.csv");
    fs::write(
        &tampered,
        "项目名称,项目类别,安排资金(元),进度\n甲,产业发展,100000,在建\n乙,产业发展,50000,在建\n合计,,160000,\n",
    )
    .unwrap();
    let o = import(&["projects", s(&tampered), "--to", s(&to), "--replace"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("项目库.csv!C4：合计行的安排资金是 16万元，上面各行相加是 15万元"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn gbk_csv_batches_and_exits_go_into_their_files_keeping_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_in(tmp.path());
    let to = data.join("shili-xian/2023");
    let csv = tmp.path().join("批次.csv");
    let (gbk, _, _) = encoding_rs::GBK
        .encode("批次,项目数,金额（万元）\n第一批,3,120\n第二批,2,80.5\n合计,5,200.5\n");
    fs::write(&csv, &gbk).unwrap();
    let before = fs::read_to_string(to.join("funds.yaml")).unwrap_or_default();
    let o = import(&["batches", s(&csv), "--to", s(&to)]);
    let funds = fs::read_to_string(to.join("funds.yaml")).unwrap();
    assert!(
        funds.contains("  batches:\n    - {name: 第一批, projects: 3, amount: 120}\n    - {name: 第二批, projects: 2, amount: 80.5}\n"),
        "{funds}\n{}",
        stderr(&o)
    );
    if !before.is_empty() {
        // Comments and the other keys are kept; the old file is beside it.
        let first = before.lines().next().unwrap();
        assert!(funds.starts_with(first), "{funds}");
        assert_eq!(
            fs::read_to_string(to.join("funds.yaml.bak")).unwrap(),
            before
        );
    }

    let exits = tmp.path().join("退出.csv");
    fs::write(
        &exits,
        "年度,户数,人数\n2021,300,1000\n2022,260,820\n2023,280,861\n",
    )
    .unwrap();
    let o = import(&["exits", s(&exits), "--to", s(&to)]);
    assert!(stderr(&o).contains("已导入 3 行"), "{}", stderr(&o));
    let register = fs::read_to_string(to.join("register.yaml")).unwrap();
    assert!(register.contains(
        "exits:\n  - {year: 2021, households: 300, persons: 1000}\n  - {year: 2022, households: 260, persons: 820}\n  - {year: 2023, households: 280, persons: 861}\nremaining:"
    ), "{register}");
    assert!(
        register.contains("era: 监测"),
        "the rest of the register is kept"
    );
}

#[test]
fn sheets_by_name_and_headings_by_map() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_in(tmp.path());
    let to = data.join("shili-xian/2024");
    let sheet = root().join("tests/fixtures/import/项目库.xlsx");
    let o = import(&["projects", s(&sheet), "--to", s(&to), "--sheet", "总表"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("没有名为“总表”的工作表（有：2023年项目库）"),
        "{}",
        stderr(&o)
    );
    let o = import(&[
        "projects",
        s(&sheet),
        "--to",
        s(&to),
        "--sheet",
        "2023年项目库",
    ]);
    assert!(stderr(&o).contains("已导入 4 行"), "{}", stderr(&o));

    let csv = tmp.path().join("工程.csv");
    fs::write(
        &csv,
        "工程名,类,投资额（元）,情况,资金来源\n甲村桥,基础设施,20000,在建,中央衔接资金\n",
    )
    .unwrap();
    let to = data.join("shili-xian/2025");
    let o = import(&[
        "projects",
        s(&csv),
        "--to",
        s(&to),
        "--map",
        "工程名=name",
        "--map",
        "类=category",
        "--map",
        "投资额=budget",
        "--map",
        "情况=status",
    ]);
    assert!(stderr(&o).contains("已导入 1 行"), "{}", stderr(&o));
    let yaml = fs::read_to_string(to.join("projects.yaml")).unwrap();
    assert!(yaml.contains("{id: 2025-001, name: 甲村桥, category: 基础设施, source: 中央衔接资金, budget: 2, status: 在建}"), "{yaml}");
    let o = import(&["projects", s(&csv), "--to", s(&to), "--map", "工程名=名字"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("没有字段“名字”"), "{}", stderr(&o));
}
