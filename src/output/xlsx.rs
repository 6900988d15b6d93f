//! The 核对表 as a spreadsheet (`figures.xlsx`), for offices that send
//! figures upward in Excel: one sheet, Chinese headings in a frozen bold
//! first row, one row per printed figure, its numbers as numeric cells.
//!
//! Written by hand as SpreadsheetML parts in a zip, as the Word files are
//! (`docx`): a few small parts, inline strings, fixed times and order, so
//! two builds give the same bytes. (rust_xlsxwriter would do it too, but
//! writes a dozen parts and takes about 1.4 ms a file: at 1,000 reports a
//! fifth of a full build's CPU; this takes a tenth of that.)

use std::fmt::Write as _;
use std::io::Write as _;

use rust_decimal::Decimal;

use crate::diag::{Failure, Internal};
use crate::views::escape::xml_text;
use crate::views::provenance::{FigureView, Numbers};

/// The headings and their columns' widths (in characters).
const HEAD: [(&str, u32); 12] = [
    ("序号", 6),
    ("名称", 28),
    ("印出", 18),
    ("户", 9),
    ("人", 9),
    ("数值", 12),
    ("单位", 8),
    ("算式", 48),
    ("来源", 30),
    ("核对", 28),
    ("状态", 10),
    ("说明", 40),
];

/// The sheet's bytes: the parts every sheet shares (compressed once), then
/// this one's rows.
pub(crate) fn figures(rows: &[FigureView]) -> Result<Vec<u8>, Failure> {
    let fail = |e: &dyn std::fmt::Display| Failure::Internal(Internal::Sheet(e.to_string()));
    let shared =
        zip::ZipArchive::new(std::io::Cursor::new(shared_parts())).map_err(|e| fail(&e))?;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.merge_archive(shared).map_err(|e| fail(&e))?;
    z.start_file("xl/worksheets/sheet1.xml", options())
        .map_err(|e| fail(&e))?;
    z.write_all(sheet(rows).as_bytes()).map_err(|e| fail(&e))?;
    Ok(z.finish().map_err(|e| fail(&e))?.into_inner())
}

/// The sheet as a Word file's parts ([`super::zip_options`]), at the
/// fastest deflate: level 3 made a year's sheet a sixth smaller but took
/// 3 % of a full build's CPU once the 核对表 listed every figure a document
/// shows (9.4 against 11.x KB a year).
fn options() -> zip::write::SimpleFileOptions {
    super::zip_options()
}

/// The parts every sheet has, as a zip made once (empty if it could not
/// be: then [`figures`] fails).
fn shared_parts() -> &'static [u8] {
    static PARTS: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PARTS.get_or_init(|| {
        let parts = [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/styles.xml", STYLES),
        ];
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, text) in parts {
            if z.start_file(name, options()).is_err() || z.write_all(text.as_bytes()).is_err() {
                return Vec::new();
            }
        }
        z.finish().map(|c| c.into_inner()).unwrap_or_default()
    })
}

/// A column's letter (A … L).
fn col(i: usize) -> char {
    char::from(b'A' + u8::try_from(i).unwrap_or(0))
}

fn sheet(rows: &[FigureView]) -> String {
    let mut s = String::with_capacity(600 + rows.len() * 700);
    s.push_str(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        r#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#,
        r#"<sheetFormatPr defaultRowHeight="15"/><cols>"#
    ));
    for (i, (_, width)) in HEAD.iter().enumerate() {
        let _ = write!(
            s,
            r#"<col min="{0}" max="{0}" width="{width}" customWidth="1"/>"#,
            i + 1
        );
    }
    s.push_str(r#"</cols><sheetData><row r="1">"#);
    for (h, _) in HEAD {
        let _ = write!(s, r#"<c s="1" t="inlineStr"><is><t>{h}</t></is></c>"#);
    }
    s.push_str("</row>");
    for (n, v) in rows.iter().enumerate() {
        row(&mut s, n + 2, n + 1, v);
    }
    let last = rows.len() + 1;
    let _ = write!(
        s,
        r#"</sheetData><autoFilter ref="A1:L{last}"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#
    );
    s
}

/// A cell's start: its reference only after a cell left out (a cell
/// without one follows the one before it), which keeps the sheet a third
/// smaller. `next`: the column that follows the last cell written.
fn cell(s: &mut String, (r, c): (usize, usize), next: &mut usize) {
    if c == *next {
        s.push_str("<c");
    } else {
        let _ = write!(s, r#"<c r="{}{r}""#, col(c));
    }
    *next = c + 1;
}

/// One figure's row (`r`: the sheet's row number, `n`: its 序号).
fn row(s: &mut String, r: usize, n: usize, v: &FigureView) {
    let numbers = Numbers::of(v.printed);
    let _ = write!(s, r#"<row r="{r}">"#);
    let mut next = 0;
    let num = |s: &mut String, c: usize, d: Option<Decimal>, next: &mut usize| {
        if let Some(d) = d {
            cell(s, (r, c), next);
            let _ = write!(s, r#"><v>{}</v></c>"#, d.normalize());
        }
    };
    let text = |s: &mut String, c: usize, t: &str, next: &mut usize| {
        if !t.is_empty() {
            cell(s, (r, c), next);
            let _ = write!(s, r#" t="inlineStr"><is><t>{}</t></is></c>"#, xml_text(t));
        }
    };
    num(s, 0, Some(Decimal::from(n)), &mut next);
    text(s, 1, v.name, &mut next);
    text(s, 2, v.printed, &mut next);
    num(s, 3, numbers.households, &mut next);
    num(s, 4, numbers.persons, &mut next);
    num(s, 5, numbers.value.as_ref().map(|(d, _)| *d), &mut next);
    text(
        s,
        6,
        numbers.value.as_ref().map_or("", |(_, u)| u.as_str()),
        &mut next,
    );
    let formula = if v.datum() {
        "—".into()
    } else {
        v.formula_line()
    };
    text(s, 7, &formula, &mut next);
    text(s, 8, &v.sources(None), &mut next);
    text(s, 9, &v.checks_line(), &mut next);
    text(s, 10, v.status().label(), &mut next);
    text(s, 11, &v.remark(), &mut next);
    s.push_str("</row>");
}

const CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    r#"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
    r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
    r#"</Types>"#
);

const ROOT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
    r#"</Relationships>"#
);

const WORKBOOK: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    r#"<bookViews><workbookView/></bookViews>"#,
    r#"<sheets><sheet name="核对表" sheetId="1" r:id="rId1"/></sheets>"#,
    r#"</workbook>"#
);

const WORKBOOK_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    r#"</Relationships>"#
);

/// Two cell formats: the default, and bold for the headings.
const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<fonts count="2"><font><sz val="11"/><name val="宋体"/><family val="2"/></font><font><b/><sz val="11"/><name val="宋体"/><family val="2"/></font></fonts>"#,
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    r#"</styleSheet>"#
);
