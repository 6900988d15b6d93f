//! Spreadsheets for `nianbao import`: a sheet of an .xlsx/.xls/.ods
//! workbook (calamine) or a CSV file, as a grid of cells.

use std::path::Path;

use super::read::cut_in_a_character;
use crate::diag::{Failure, Op, Usage, io_reason};

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
    /// A formula that failed, as Excel shows it: `#REF!`, `#DIV/0!` …
    Error(String),
}

/// A sheet as read: its name, its cells (row 0 is the sheet's row 1) and
/// its merged regions ((first row, first column), (last row, last column)).
#[derive(Debug, Default)]
pub(crate) struct Grid {
    pub(crate) sheet: String,
    pub(crate) rows: Vec<Vec<Cell>>,
    pub(crate) merged: Vec<((u32, u32), (u32, u32))>,
}

/// A spreadsheet file larger than this is refused before it is opened.
const MAX_SHEET_BYTES: u64 = 64 * 1024 * 1024;
/// One part of an .xlsx/.ods (a zip) unpacked, at most, as its directory
/// declares it (the zip reader holds each part to that): the shared
/// strings calamine keeps take about three times their size.
const MAX_PART_BYTES: u64 = 100 * 1024 * 1024;
/// All the parts, at most (calamine unpacks only those of one sheet).
const MAX_UNPACKED_BYTES: u64 = 1024 * 1024 * 1024;
/// Cells of the grid built (empty ones before the last in a row counted
/// too): about 128 MiB at most.
const MAX_CELLS: usize = 4_000_000;

/// A size for people: `64 MiB`.
fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes / (1024 * 1024))
}

/// Read a spreadsheet for `nianbao import`: an .xlsx/.xls/.ods sheet (the
/// first, or the one named) with calamine, or a CSV in UTF-8 or GBK (as
/// Excel saves it on a Chinese Windows). Memory and time are bounded: the
/// file's size, the sizes its zip directory declares, and the cells of the
/// grid are each checked before they are taken.
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
    let meta = std::fs::metadata(path).map_err(|e| Failure::io(Op::Read, path, e))?;
    if !meta.is_file() {
        return Err(sheet_failure("不是普通文件".into()));
    }
    if meta.len() > MAX_SHEET_BYTES {
        return Err(sheet_failure(format!(
            "文件有 {:.1} MiB，超过导入的上限 {}；请把表格拆成几个文件分别导入",
            meta.len() as f64 / 1_048_576.0,
            mib(MAX_SHEET_BYTES)
        )));
    }
    if ext == "csv" || ext == "txt" {
        let bytes = read_all(path, MAX_SHEET_BYTES).map_err(|e| Failure::io(Op::Read, path, e))?;
        if bytes.len() as u64 > MAX_SHEET_BYTES {
            return Err(sheet_failure(format!(
                "文件超过导入的上限 {}",
                mib(MAX_SHEET_BYTES)
            )));
        }
        return csv_grid(&bytes).map_err(sheet_failure);
    }
    zip_sizes(path).map_err(sheet_failure)?;
    xlsx_grid(path, sheet).map_err(sheet_failure)
}

/// Every byte of a file, up to `cap` and one more (so that a file that grew
/// past the cap while read is seen to).
fn read_all(path: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let file = std::fs::File::open(path)?;
    std::io::Read::read_to_end(&mut std::io::Read::take(file, cap + 1), &mut bytes)?;
    Ok(bytes)
}

/// An .xlsx or .ods is a zip: the sizes its directory declares for its
/// parts, added up, within the limit (a zip bomb is refused here, before
/// anything is unpacked; the zip reader refuses a part longer than it
/// declared). Not a zip (an .xls): nothing to check.
fn zip_sizes(path: &Path) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("打不开（{}）", io_reason(&e)))?;
    let mut magic = [0u8; 4];
    if std::io::Read::read_exact(&mut &file, &mut magic).is_err() || &magic != b"PK\x03\x04" {
        return Ok(());
    }
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|_| {
        "文件已损坏（Excel 文件的压缩结构不完整，可能没有下载或复制完整）".to_string()
    })?;
    let too_big = |size: u64, cap: u64| {
        format!(
            "解压后有 {} 以上，超过导入的上限 {}（可能是恶意构造的文件）；请用 Excel 或 WPS 打开后另存，或把表格拆开",
            mib(size),
            mib(cap)
        )
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let size = zip.by_index_raw(i).map(|f| f.size()).unwrap_or(u64::MAX);
        if size > MAX_PART_BYTES {
            return Err(too_big(size, MAX_PART_BYTES));
        }
        total = total.saturating_add(size);
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(too_big(total, MAX_UNPACKED_BYTES));
    }
    Ok(())
}

/// calamine's errors in Chinese, by their kind (its text is English).
fn book_error(e: &calamine::Error) -> String {
    use calamine::{Error, XlsxError};
    match e {
        Error::Io(e) => format!("打不开（{}）", io_reason(e)),
        Error::Msg(_) => "不是 nianbao 能读的表格文件（只能读 .xlsx、.xls、.ods 和 .csv）".into(),
        Error::Xlsx(XlsxError::Zip(_)) | Error::Ods(calamine::OdsError::Zip(_)) => {
            "文件已损坏（Excel 文件的压缩结构不完整，可能没有下载或复制完整）".into()
        }
        Error::Ods(calamine::OdsError::CellLimitExceeded { max, .. }) => {
            format!("表格超过 {max} 个单元格，太大了；请把表格拆开")
        }
        Error::Xlsx(XlsxError::Password) | Error::Xls(calamine::XlsError::Password) => {
            "文件设了密码；请在 Excel 或 WPS 里取消密码后另存再导入".into()
        }
        _ => "文件已损坏或不是 Excel/WPS 保存的表格；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"
            .into(),
    }
}

/// A sheet's name, the one asked for or the first.
fn sheet_name(names: &[String], sheet: Option<&str>) -> Result<String, String> {
    match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| format!("没有名为“{s}”的工作表（有：{}）", names.join("、"))),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| "文件里没有工作表".into()),
    }
}

fn xlsx_grid(path: &Path, sheet: Option<&str>) -> Result<Grid, String> {
    use calamine::{Reader, open_workbook_auto};
    let mut book = open_workbook_auto(path).map_err(|e| book_error(&e))?;
    let name = sheet_name(&book.sheet_names(), sheet)?;
    let mut grid = GridBuilder::default();
    let merged = match &mut book {
        // Cell by cell: a cell far out (XFD1048576) costs one cell, not the
        // rectangle up to it.
        calamine::Sheets::Xlsx(x) => {
            let mut cells = x
                .worksheet_cells_reader(&name)
                .map_err(|e| format!("工作表“{name}”{}", book_error(&e.into())))?;
            while let Some(c) = cells
                .next_cell()
                .map_err(|e| format!("工作表“{name}”{}", book_error(&e.into())))?
            {
                let (r, col) = c.get_position();
                grid.put(r, col, cell_of_ref(c.get_value()))?;
            }
            drop(cells);
            x.merge_cells_by_sheet_name(&name)
                .unwrap_or_default()
                .into_iter()
                .map(|d| (d.start, d.end))
                .collect()
        }
        book => {
            let range = book
                .worksheet_range(&name)
                .map_err(|e| format!("工作表“{name}”{}", book_error(&e)))?;
            for (r, col, d) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                grid.put(r0 + r as u32, c0 + col as u32, cell_of(d))?;
            }
            Vec::new()
        }
    };
    Ok(Grid {
        sheet: name,
        rows: grid.rows,
        merged,
    })
}

/// A grid filled cell by cell, within [`MAX_CELLS`].
#[derive(Default)]
struct GridBuilder {
    rows: Vec<Vec<Cell>>,
    cells: usize,
}

impl GridBuilder {
    /// Row `r` there (empty), counted as a cell.
    fn row(&mut self, r: usize) -> Result<(), String> {
        if self.rows.len() <= r {
            self.put(r as u32, 0, Cell::Text(String::new()))?;
            self.rows[r].clear();
        }
        Ok(())
    }

    fn put(&mut self, row: u32, col: u32, cell: Cell) -> Result<(), String> {
        if cell == Cell::Empty {
            return Ok(());
        }
        let (r, c) = (row as usize, col as usize);
        let len = self.rows.get(r).map_or(0, Vec::len);
        let more = (r + 1).saturating_sub(self.rows.len()) + (c + 1).saturating_sub(len);
        self.cells += more;
        if self.cells > MAX_CELLS {
            return Err(format!(
                "表格太大：到第 {} 行第 {} 列已超过 {} 个单元格（nianbao 导入的上限）；请删去表格右边和下边多余的内容，或把表格拆开",
                r + 1,
                c + 1,
                MAX_CELLS
            ));
        }
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let cells = &mut self.rows[r];
        if cells.len() <= c {
            cells.resize(c + 1, Cell::Empty);
        }
        cells[c] = cell;
        Ok(())
    }
}

fn cell_of(d: &calamine::Data) -> Cell {
    use calamine::Data;
    match d {
        Data::Empty => Cell::Empty,
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(i.to_string()),
        Data::Float(f) => Cell::Number(f.to_string()),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(d) => date_cell(d),
    }
}

fn cell_of_ref(d: &calamine::DataRef) -> Cell {
    use calamine::DataRef;
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Cell::Text(s.clone())
        }
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Int(i) => Cell::Number(i.to_string()),
        DataRef::Float(f) => Cell::Number(f.to_string()),
        DataRef::Bool(b) => Cell::Text(b.to_string()),
        DataRef::DateTime(d) => date_cell(d),
    }
}

fn date_cell(d: &calamine::ExcelDateTime) -> Cell {
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))
        .map_or(Cell::Number(d.as_f64().to_string()), Cell::Date)
}

/// The errors Excel shows in a cell whose formula failed, as a CSV holds
/// them.
const CELL_ERRORS: [&str; 8] = [
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DATA!",
];

fn csv_grid(bytes: &[u8]) -> Result<Grid, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(if cut_in_a_character(bytes) {
                    "文件在最后一个字符的中间断了（文件不完整，可能没有保存或复制完）；请重新导出后再导入".into()
                } else {
                    "既不是 UTF-8 也不是 GBK 编码".into()
                });
            }
            t.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = GridBuilder::default();
    for (r, record) in reader.records().enumerate() {
        let record = record.map_err(|e| csv_error(&e))?;
        for (c, s) in record.iter().enumerate() {
            let s = s.trim();
            let cell = if s.is_empty() {
                Cell::Empty
            } else if CELL_ERRORS.contains(&s) {
                Cell::Error(s.to_string())
            } else {
                Cell::Text(s.to_string())
            };
            grid.put(r as u32, c as u32, cell)?;
        }
        // A row of blanks is still a row: the rows below keep their numbers.
        grid.row(r)?;
    }
    Ok(Grid {
        sheet: String::new(),
        rows: grid.rows,
        merged: Vec::new(),
    })
}

/// The csv crate's error in Chinese, with its line.
fn csv_error(e: &csv::Error) -> String {
    match e.position() {
        Some(p) => format!("CSV 格式有误（第 {} 行）", p.line()),
        None => "CSV 格式有误".into(),
    }
}
