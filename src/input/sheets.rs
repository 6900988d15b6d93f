//! Spreadsheets for `nianbao import`: a sheet of an .xlsx/.xls/.ods
//! workbook (calamine) or a CSV file, as a grid of cells.

use std::path::Path;

use super::read::read_bytes;
use crate::diag::{Failure, Op, Usage};

/// A cell of a spreadsheet, as import needs it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    /// A number, as the shortest decimal that reads back as the cell's
    /// value (what Excel shows at full precision).
    Number(String),
    /// A date cell: its serial day (Excel's 1900 or 1904 system resolved).
    Date(chrono::NaiveDate),
}

/// A sheet as read: its name, its cells (row 0 is the sheet's row 1) and
/// its merged regions ((first row, first column), (last row, last column)).
#[derive(Debug, Default)]
pub(crate) struct Grid {
    pub(crate) sheet: String,
    pub(crate) rows: Vec<Vec<Cell>>,
    pub(crate) merged: Vec<((u32, u32), (u32, u32))>,
}

/// Read a spreadsheet for `nianbao import`: an .xlsx/.xls/.ods sheet (the
/// first, or the one named) with calamine, or a CSV in UTF-8 or GBK (as
/// Excel saves it on a Chinese Windows).
pub(crate) fn read_grid(path: &Path, sheet: Option<&str>) -> Result<Grid, Failure> {
    let sheet_failure = |why| {
        Failure::Usage(Usage::Sheet {
            path: path.to_path_buf(),
            why,
        })
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "csv" || ext == "txt" {
        let bytes = read_bytes(path).map_err(|e| Failure::io(Op::Read, path, e))?;
        return csv_grid(&bytes).map_err(sheet_failure);
    }
    xlsx_grid(path, sheet).map_err(sheet_failure)
}

fn xlsx_grid(path: &Path, sheet: Option<&str>) -> Result<Grid, String> {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(path).map_err(|e| format!("不是可读的 Excel 文件（{e}）"))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| format!("没有名为“{s}”的工作表（有：{}）", names.join("、")))?,
        None => names.first().cloned().ok_or("文件里没有工作表")?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("工作表“{name}”读不出来（{e}）"))?;
    let merged = match &mut book {
        calamine::Sheets::Xlsx(x) => x
            .merge_cells_by_sheet_name(&name)
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.start, d.end))
            .collect(),
        _ => Vec::new(),
    };
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = vec![Vec::new(); r0 as usize];
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; c0 as usize];
        cells.extend(row.iter().map(|d| match d {
            Data::Empty | Data::Error(_) => Cell::Empty,
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Int(i) => Cell::Number(i.to_string()),
            Data::Float(f) => Cell::Number(f.to_string()),
            Data::Bool(b) => Cell::Text(b.to_string()),
            Data::DateTime(d) => {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))
                    .map_or(Cell::Number(d.as_f64().to_string()), Cell::Date)
            }
        }));
        rows.push(cells);
    }
    Ok(Grid {
        sheet: name,
        rows,
        merged,
    })
}

fn csv_grid(bytes: &[u8]) -> Result<Grid, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err("既不是 UTF-8 也不是 GBK 编码".into());
            }
            t.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("CSV 格式有误（{e}）"))?;
        rows.push(
            record
                .iter()
                .map(|s| {
                    let s = s.trim();
                    if s.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Grid {
        sheet: String::new(),
        rows,
        merged: Vec::new(),
    })
}
