//! `nianbao import`: a sheet an office keeps (its 项目库, its fund batches,
//! its exits by year) into the YAML nianbao reads. Headings are found by
//! their Chinese names (and `--map` for others), over one or two heading
//! rows with merged cells; amounts are converted by the unit in the heading
//! or the cell; dates may be Excel serials or text; blank and 合计 rows are
//! recognised, and a 合计 row's amount is checked against the rows above
//! it. Every bad cell is reported (`项目库.xlsx!F17`), all at once. Returns
//! the text to write; reads and writes nothing itself.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::authoring::scaffold::q;
use crate::input::{Cell, Grid};
use crate::model::{Status, money_factor};

/// What a sheet holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// 项目库 → projects.yaml
    Projects,
    /// 资金批次 → funds.yaml `special.batches`
    Batches,
    /// 历年退出 → register.yaml `exits`
    Exits,
}

/// How a column's cells are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Text,
    Money,
    Count,
    Date,
    Status,
}

/// A field of the YAML, with the headings offices give it (the first is
/// what messages call it).
struct Field {
    key: &'static str,
    form: Form,
    required: bool,
    headings: &'static [&'static str],
}

const PROJECT_FIELDS: &[Field] = &[
    Field {
        key: "id",
        form: Form::Text,
        required: false,
        headings: &["项目编号", "编号", "项目代码"],
    },
    Field {
        key: "name",
        form: Form::Text,
        required: true,
        headings: &["项目名称", "名称"],
    },
    Field {
        key: "category",
        form: Form::Text,
        required: true,
        headings: &["项目类别", "项目类型", "类别", "类型", "建设类别"],
    },
    Field {
        key: "town",
        form: Form::Text,
        required: false,
        headings: &["乡镇", "所属乡镇", "实施乡镇", "乡镇（街道）"],
    },
    Field {
        key: "village",
        form: Form::Text,
        required: false,
        headings: &["建设地点", "实施地点", "所在村", "实施村", "村", "地点"],
    },
    Field {
        key: "batch",
        form: Form::Text,
        required: false,
        headings: &["批次", "资金批次"],
    },
    Field {
        key: "source",
        form: Form::Text,
        required: false,
        headings: &["资金来源", "来源"],
    },
    Field {
        key: "budget",
        form: Form::Money,
        required: true,
        headings: &[
            "安排资金",
            "计划投资",
            "投资金额",
            "总投资",
            "项目资金",
            "资金规模",
            "补助资金",
            "投资",
        ],
    },
    Field {
        key: "spent",
        form: Form::Money,
        required: false,
        headings: &["已支出", "支出资金", "已拨付", "拨付资金", "支出", "已支付"],
    },
    Field {
        key: "status",
        form: Form::Status,
        required: true,
        headings: &[
            "进度",
            "状态",
            "项目状态",
            "建设状态",
            "实施进度",
            "建设进度",
        ],
    },
    Field {
        key: "start",
        form: Form::Date,
        required: false,
        headings: &["开工日期", "开工时间", "开工"],
    },
    Field {
        key: "end",
        form: Form::Date,
        required: false,
        headings: &["完工日期", "竣工日期", "完工时间", "竣工时间", "完工"],
    },
    Field {
        key: "households",
        form: Form::Count,
        required: false,
        headings: &["受益户数", "带动户数", "受益农户", "受益户", "带动户"],
    },
    Field {
        key: "persons",
        form: Form::Count,
        required: false,
        headings: &["受益人数", "受益人口", "带动人数", "受益人"],
    },
];

const BATCH_FIELDS: &[Field] = &[
    Field {
        key: "name",
        form: Form::Text,
        required: true,
        headings: &["批次", "资金批次", "名称", "文号"],
    },
    Field {
        key: "projects",
        form: Form::Count,
        required: false,
        headings: &["项目个数", "项目数", "个数"],
    },
    Field {
        key: "amount",
        form: Form::Money,
        required: true,
        headings: &["金额", "资金", "安排资金", "下达资金"],
    },
];

const EXIT_FIELDS: &[Field] = &[
    Field {
        key: "year",
        form: Form::Text,
        required: true,
        headings: &["年度", "年份", "年"],
    },
    Field {
        key: "households",
        form: Form::Count,
        required: true,
        headings: &["户数", "脱贫户数", "退出户数", "消除风险户数", "户"],
    },
    Field {
        key: "persons",
        form: Form::Count,
        required: true,
        headings: &["人数", "脱贫人数", "退出人数", "消除风险人数", "人口", "人"],
    },
];

impl Kind {
    fn fields(self) -> &'static [Field] {
        match self {
            Kind::Projects => PROJECT_FIELDS,
            Kind::Batches => BATCH_FIELDS,
            Kind::Exits => EXIT_FIELDS,
        }
    }

    /// The fields a heading can be mapped to (`--map 表头=字段`).
    pub(crate) fn keys(self) -> Vec<&'static str> {
        self.fields().iter().map(|f| f.key).collect()
    }

    /// The file written, in the year folder.
    pub(crate) fn file(self) -> &'static str {
        match self {
            Kind::Projects => "projects.yaml",
            Kind::Batches => "funds.yaml",
            Kind::Exits => "register.yaml",
        }
    }

    /// What a row is called in messages.
    fn row_name(self) -> &'static str {
        match self {
            Kind::Projects => "项目",
            Kind::Batches => "批次",
            Kind::Exits => "年度",
        }
    }
}

/// What was asked.
pub(crate) struct Request<'a> {
    pub(crate) kind: Kind,
    /// The sheet's file name, for messages (`项目库.xlsx`).
    pub(crate) file: &'a str,
    /// Other headings: heading → field key.
    pub(crate) map: &'a [(String, String)],
    /// The unit amounts are written in (the year's funds unit).
    pub(crate) unit: &'a str,
    pub(crate) year: i32,
}

/// The sheet as YAML items, and every bad cell.
pub(crate) struct Imported {
    /// One flow mapping per row, in order.
    pub(crate) items: Vec<String>,
    pub(crate) errors: Vec<String>,
    /// Sheet rows read (1-based, first and last), for the file's comment.
    pub(crate) rows: Option<(usize, usize)>,
}

/// A heading found: its column, the field, and the unit its heading gives.
struct Column {
    col: usize,
    field: &'static Field,
    unit: Option<&'static str>,
}

/// `F17`: a cell's name.
fn cell_name(row: usize, col: usize) -> String {
    let mut letters = String::new();
    let mut c = col + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.insert(0, char::from(b'A' + r as u8));
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

fn text_of(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) | Cell::Number(s) | Cell::Error(s) => s.trim().to_string(),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}

/// A heading without spaces and line breaks.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The money unit a heading or a cell ends with (`安排资金（万元）`,
/// `12.5万元`), and the rest.
fn unit_in(s: &str) -> (String, Option<&'static str>) {
    let s = s.trim_end_matches([')', '）']);
    for unit in ["亿元", "万元", "元"] {
        if let Some(rest) = s.strip_suffix(unit) {
            return (
                rest.trim_end_matches(['(', '（', '/', '：', ':'])
                    .to_string(),
                Some(unit),
            );
        }
    }
    (s.to_string(), None)
}

/// The heading rows' text of each column: the lower row's, joined to the
/// group heading above it (a merged cell spans its columns).
fn headings(grid: &Grid, row: usize) -> Vec<String> {
    let width = grid.rows.iter().map(Vec::len).max().unwrap_or(0);
    let at = |r: usize, c: usize| {
        grid.rows
            .get(r)
            .and_then(|x| x.get(c))
            .map(text_of)
            .unwrap_or_default()
    };
    // A cell covered by a merged region reads as the region's first cell.
    let merged = |r: usize, c: usize| -> String {
        for &((r0, c0), (r1, c1)) in &grid.merged {
            let (r0, c0, r1, c1) = (r0 as usize, c0 as usize, r1 as usize, c1 as usize);
            if (r0..=r1).contains(&r) && (c0..=c1).contains(&c) {
                return at(r0, c0);
            }
        }
        at(r, c)
    };
    (0..width)
        .map(|c| {
            let low = squeeze(&merged(row, c));
            let up = if row > 0 {
                squeeze(&merged(row - 1, c))
            } else {
                String::new()
            };
            match (up.is_empty() || up == low, low.is_empty()) {
                (true, _) => low,
                (false, true) => up,
                (false, false) => format!("{up}|{low}"),
            }
        })
        .collect()
}

/// The field a heading names: `--map` first, then the known headings
/// (exactly, then as the heading's start).
fn field_for(
    kind: Kind,
    heading: &str,
    map: &[(String, String)],
) -> Option<(&'static Field, Option<&'static str>)> {
    let (group, own) = match heading.rsplit_once('|') {
        Some((g, o)) => (Some(g), o),
        None => (None, heading),
    };
    let (name, unit) = unit_in(own);
    let unit = unit.or_else(|| group.and_then(|g| unit_in(g).1));
    let fields = kind.fields();
    if let Some((_, key)) = map
        .iter()
        .find(|(h, _)| squeeze(h) == name || squeeze(h) == heading)
    {
        return fields.iter().find(|f| f.key == key).map(|f| (f, unit));
    }
    let exact = fields.iter().find(|f| f.headings.contains(&name.as_str()));
    // Else the field with the longest heading the column's starts or ends
    // with (项目进度, 安排资金总额).
    let prefix = || {
        fields
            .iter()
            .filter_map(|f| {
                let h = f
                    .headings
                    .iter()
                    .filter(|h| {
                        h.chars().count() >= 2 && (name.starts_with(*h) || name.ends_with(*h))
                    })
                    .max_by_key(|h| h.len())?;
                Some((h.len(), f))
            })
            .max_by_key(|(len, _)| *len)
            .map(|(_, f)| f)
    };
    exact.or_else(prefix).map(|f| (f, unit))
}

/// The heading row: the first of the sheet's first rows that names the
/// kind's required fields.
fn find_header(grid: &Grid, kind: Kind, map: &[(String, String)]) -> Option<(usize, Vec<Column>)> {
    for row in 0..grid.rows.len().min(12) {
        let mut columns: Vec<Column> = Vec::new();
        for (col, h) in headings(grid, row).iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            if let Some((field, unit)) = field_for(kind, h, map)
                && !columns.iter().any(|c| c.field.key == field.key)
            {
                columns.push(Column { col, field, unit });
            }
        }
        if kind
            .fields()
            .iter()
            .filter(|f| f.required)
            .all(|f| columns.iter().any(|c| c.field.key == f.key))
        {
            return Some((row, columns));
        }
    }
    None
}

/// Read the sheet.
pub(crate) fn import(grid: &Grid, req: &Request) -> Imported {
    let mut out = Imported {
        items: Vec::new(),
        errors: Vec::new(),
        rows: None,
    };
    let Some((header, columns)) = find_header(grid, req.kind, req.map) else {
        out.errors.push(no_header(req));
        return out;
    };
    let sheet = Sheet { grid, req, columns };
    let mut sum = Decimal::ZERO;
    for row in header + 1..grid.rows.len() {
        let cells = &grid.rows[row];
        let texts: Vec<String> = cells.iter().map(text_of).collect();
        if texts.iter().all(String::is_empty) {
            continue;
        }
        let first: String = texts
            .iter()
            .filter(|t| !t.is_empty())
            .take(3)
            .cloned()
            .collect();
        if ["合计", "总计", "小计", "合 计", "总 计"]
            .iter()
            .any(|w| first.contains(w))
        {
            // Checked when every row above was read: else the sum is short.
            if out.errors.is_empty() && first.contains("合计") {
                out.errors.extend(sheet.total_mismatch(row, sum));
            }
            continue;
        }
        let Some(mut values) = sheet.read_row(row, &mut sum, &mut out.errors) else {
            continue;
        };
        if req.kind == Kind::Projects && !values.contains_key("id") {
            values.insert("id", format!("{}-{:03}", req.year, out.items.len() + 1));
        }
        out.items.push(item(req.kind, &values));
        let first_row = out.rows.map_or(row + 1, |r| r.0);
        out.rows = Some((first_row, row + 1));
    }
    if out.items.is_empty() && out.errors.is_empty() {
        out.errors.push(format!(
            "{}：表头下面没有任何{}",
            req.file,
            req.kind.row_name()
        ));
    }
    out
}

/// No heading row: which headings were looked for, and how to name others.
fn no_header(req: &Request) -> String {
    let wanted: Vec<&str> = req
        .kind
        .fields()
        .iter()
        .filter(|f| f.required)
        .map(|f| f.headings[0])
        .collect();
    format!(
        "{}：前 12 行里找不到表头（至少要有 {} 这几列）；表头名称不同时用 --map 表头=字段 指明，如 --map 投资额=budget",
        req.file,
        wanted.join("、")
    )
}

/// A sheet being read below its heading row: its cells, the request, and
/// the columns found.
struct Sheet<'a> {
    grid: &'a Grid,
    req: &'a Request<'a>,
    columns: Vec<Column>,
}

impl Sheet<'_> {
    /// `项目库.xlsx!F17`, or `项目库.xlsx!2018年!F17` in a named sheet.
    fn place(&self, row: usize, col: usize) -> String {
        if self.grid.sheet.is_empty() {
            format!("{}!{}", self.req.file, cell_name(row, col))
        } else {
            format!(
                "{}!{}!{}",
                self.req.file,
                self.grid.sheet,
                cell_name(row, col)
            )
        }
    }

    /// The first money column: the one a 合计 row is checked on.
    fn money_col(&self) -> Option<&Column> {
        self.columns.iter().find(|c| c.field.form == Form::Money)
    }

    /// A 合计 row whose amount is not `sum`, the rows above it added.
    fn total_mismatch(&self, row: usize, sum: Decimal) -> Option<String> {
        let m = self.money_col()?;
        let cell = self.grid.rows[row]
            .get(m.col)
            .filter(|c| **c != Cell::Empty)?;
        let stated = money(cell, m.unit, self.req.unit).ok()?;
        (stated != sum).then(|| {
            format!(
                "{}：合计行的{}是 {}{}，上面各行相加是 {}{}",
                self.place(row, m.col),
                m.field.headings[0],
                stated.normalize(),
                self.req.unit,
                sum.normalize(),
                self.req.unit
            )
        })
    }

    /// A row's values by field key, its amount in the money column added to
    /// `sum`; every bad cell of it into `errors`, and `None` when it has one.
    fn read_row(
        &self,
        row: usize,
        sum: &mut Decimal,
        errors: &mut Vec<String>,
    ) -> Option<BTreeMap<&'static str, String>> {
        let cells = &self.grid.rows[row];
        let money_key = self.money_col().map_or("", |m| m.field.key);
        let mut values: BTreeMap<&str, String> = BTreeMap::new();
        let mut bad = false;
        for c in &self.columns {
            let cell = cells.get(c.col).unwrap_or(&Cell::Empty);
            let at = self.place(row, c.col);
            let what = c.field.headings[0];
            if let Cell::Error(e) = cell {
                errors.push(format!(
                    "{at}：{what}是公式出错的结果“{e}”（请在表格里改正公式或填上数值）"
                ));
                bad = true;
                continue;
            }
            if *cell == Cell::Empty || matches!(text_of(cell).as_str(), "-" | "—" | "/" | "无") {
                if c.field.required {
                    errors.push(format!("{at}：{what}是空的"));
                    bad = true;
                }
                continue;
            }
            match read(cell, c, self.req) {
                Ok(v) => {
                    if c.field.form == Form::Money && c.field.key == money_key {
                        *sum += v.parse::<Decimal>().unwrap_or_default();
                    }
                    values.insert(c.field.key, v);
                }
                Err(why) => {
                    errors.push(format!("{at}：{what}“{}”{why}", text_of(cell)));
                    bad = true;
                }
            }
        }
        (!bad).then_some(values)
    }
}

/// One cell as the YAML value of its field.
fn read(cell: &Cell, c: &Column, req: &Request) -> Result<String, String> {
    match c.field.form {
        Form::Text => Ok(text_of(cell)),
        Form::Money => money(cell, c.unit, req.unit).map(|v| v.normalize().to_string()),
        Form::Count => {
            let t = text_of(cell);
            let t = t.trim_end_matches(['户', '人', '个']);
            match number(t) {
                Some(v) if v.fract().is_zero() && !v.is_sign_negative() => {
                    Ok(v.normalize().to_string())
                }
                Some(_) => Err("不是整数".into()),
                None => Err("不是数字".into()),
            }
        }
        Form::Date => date(cell).map(|d| d.format("%Y-%m-%d").to_string()),
        Form::Status => status(cell),
    }
}

/// A number as written in a sheet: thousands separators and spaces allowed.
fn number(t: &str) -> Option<Decimal> {
    let t: String = t
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    if t.is_empty() {
        return None;
    }
    t.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&t).ok())
}

/// An amount in `to`, from a cell in the unit its heading gives (or its
/// own: `12.5万元`), converted exactly.
fn money(cell: &Cell, heading: Option<&str>, to: &str) -> Result<Decimal, String> {
    let (t, own) = unit_in(&text_of(cell));
    let from = own.or(heading).unwrap_or(to);
    let v = number(&t).ok_or("不是金额")?;
    if v.is_sign_negative() {
        return Err("是负数".into());
    }
    let (Some(f), Some(g)) = (money_factor(from), money_factor(to)) else {
        return Err(format!("的单位“{from}”无法换算"));
    };
    Ok(v * f / g)
}

/// A date: an Excel date cell, its serial number, or text as offices write
/// it (2023-05-12, 2023/5/12, 2023年5月12日, 2023.5.12, 20230512).
fn date(cell: &Cell) -> Result<NaiveDate, String> {
    if let Cell::Date(d) = cell {
        return Ok(*d);
    }
    let t = text_of(cell);
    if let Ok(serial) = t.parse::<f64>()
        && (20_000.0..80_000.0).contains(&serial)
    {
        let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
        return base
            .checked_add_days(chrono::Days::new(serial as u64))
            .ok_or_else(|| "不是有效日期".into());
    }
    ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d", "%Y%m%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(&t, f).ok())
        .ok_or_else(|| "不是有效日期（写成 2023-05-12，或用 Excel 的日期格式）".into())
}

/// A project's state: a word (已完工, 在建 …) or a percentage of progress.
fn status(cell: &Cell) -> Result<String, String> {
    let t = squeeze(&text_of(cell));
    let word = match t.as_str() {
        "已完成" | "完成" | "已验收" | "竣工验收" => Some(Status::Completed),
        "建设中" | "实施中" | "施工中" | "正在实施" | "正在建设" | "在建中" | "开工" => {
            Some(Status::Started)
        }
        "未实施" | "前期" | "前期准备" | "待开工" | "未启动" => {
            Some(Status::Planned)
        }
        s => Status::parse(s),
    };
    if let Some(s) = word {
        return Ok(s.label().to_string());
    }
    let (pct, percent) = match t.strip_suffix(['%', '％']) {
        Some(p) => (p, true),
        None => (t.as_str(), false),
    };
    let Some(mut v) = number(pct) else {
        return Err("不是项目状态（写 未开工、在建、已完工，或进度百分比）".into());
    };
    if !percent && v <= Decimal::ONE {
        v *= Decimal::ONE_HUNDRED; // an Excel percentage cell: 0.6 is 60%
    }
    let s = if v >= Decimal::ONE_HUNDRED {
        Status::Completed
    } else if v.is_zero() {
        Status::Planned
    } else if v.is_sign_negative() {
        return Err("是负数".into());
    } else {
        Status::Started
    };
    Ok(s.label().to_string())
}

/// A row as a YAML flow mapping, in the format's key order.
fn item(kind: Kind, v: &BTreeMap<&str, String>) -> String {
    let get = |k: &str| v.get(k).map(String::as_str);
    let mut parts: Vec<String> = Vec::new();
    let keys: &[&str] = match kind {
        Kind::Projects => &[
            "id", "name", "category", "town", "village", "batch", "source", "budget", "spent",
            "status", "start", "end",
        ],
        Kind::Batches => &["name", "projects", "amount"],
        Kind::Exits => &["year", "households", "persons"],
    };
    for k in keys {
        if let Some(x) = get(k) {
            let numeric = matches!(
                *k,
                "budget" | "spent" | "projects" | "amount" | "households" | "persons"
            ) || (*k == "year" && x.chars().all(|c| c.is_ascii_digit() || c == '-'))
                || matches!(*k, "start" | "end");
            parts.push(format!(
                "{k}: {}",
                if numeric { x.to_string() } else { q(x) }
            ));
        }
    }
    if kind == Kind::Projects && (get("households").is_some() || get("persons").is_some()) {
        let mut b = Vec::new();
        for k in ["households", "persons"] {
            if let Some(x) = get(k) {
                b.push(format!("{k}: {x}"));
            }
        }
        parts.push(format!("beneficiaries: {{{}}}", b.join(", ")));
    }
    format!("{{{}}}", parts.join(", "))
}

/// The text of the target file after an import: a new projects.yaml, or
/// the file there (or a skeleton of it) with its block of batches or exits
/// replaced and the rest kept.
pub(crate) fn file_text(
    kind: Kind,
    before: Option<&str>,
    got: &Imported,
    source: &str,
    unit: &str,
) -> String {
    use crate::input::PLACEHOLDER;
    match (kind, before) {
        (Kind::Projects, _) => projects_file(&got.items, source, got.rows),
        (Kind::Batches, Some(t)) => with_block(t, Some("special"), "batches", &got.items),
        (Kind::Batches, None) => with_block(
            &format!("unit: {unit}\nspecial:\n  label: {PLACEHOLDER}\n"),
            Some("special"),
            "batches",
            &got.items,
        ),
        (Kind::Exits, Some(t)) => with_block(t, None, "exits", &got.items),
        (Kind::Exits, None) => with_block(
            &format!("baseline: {{households: {PLACEHOLDER}, persons: {PLACEHOLDER}}}\n"),
            None,
            "exits",
            &got.items,
        ),
    }
}

/// projects.yaml from the items.
fn projects_file(items: &[String], source: &str, rows: Option<(usize, usize)>) -> String {
    let mut s = format!("# 从 {source} 导入");
    if let Some((a, b)) = rows {
        let _ = write!(s, "（第 {a}～{b} 行）");
    }
    s.push_str("。改动请改原表后重新导入，或直接改这里。\nprojects:\n");
    for i in items {
        let _ = writeln!(s, "  - {i}");
    }
    s
}

/// The indentation of a line (spaces before its text).
fn depth(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A line of YAML code: not blank, not only a comment.
fn is_code(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

/// A YAML text with the block under `key` (top level, or under `parent`)
/// replaced by `items`, everything else (comments too) kept; the block is
/// added where there is none. The file's own indentation is followed (two
/// spaces, four …); its text (BOM, encoding, line ends) is read and written
/// around this by the caller.
pub(crate) fn with_block(text: &str, parent: Option<&str>, key: &str, items: &[String]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    // The file's step: its smallest indentation (two spaces if none).
    let step = lines
        .iter()
        .filter(|l| is_code(l))
        .map(|l| depth(l))
        .filter(|&d| d > 0)
        .min()
        .unwrap_or(2);
    let start_of = |name: &str, ind: usize, from: usize, to: usize| {
        (from..to)
            .find(|&i| depth(lines[i]) == ind && lines[i][ind..].starts_with(&format!("{name}:")))
    };
    // A block ends at the first line of code no deeper than its key (an
    // item `- ` at the key's depth still belongs to it).
    let end_of = |start: usize, ind: usize| {
        (start + 1..lines.len())
            .find(|&i| {
                let item = depth(lines[i]) == ind && lines[i].trim_start().starts_with("- ");
                is_code(lines[i]) && depth(lines[i]) <= ind && !item
            })
            .unwrap_or(lines.len())
    };
    let block = |indent: usize, items_at: Option<usize>| -> Vec<String> {
        let pad = " ".repeat(indent);
        let item_pad = " ".repeat(items_at.unwrap_or(indent + step));
        std::iter::once(format!("{pad}{key}:"))
            .chain(items.iter().map(|i| format!("{item_pad}- {i}")))
            .collect()
    };
    let (from, to, indent) = match parent {
        None => (0, lines.len(), 0),
        Some(p) => match start_of(p, 0, 0, lines.len()) {
            Some(ps) => {
                let pe = end_of(ps, 0);
                // The parent's keys are as deep as its first one.
                let indent = (ps + 1..pe)
                    .find(|&i| is_code(lines[i]))
                    .map_or(step, |i| depth(lines[i]));
                (ps + 1, pe, indent)
            }
            None => {
                let mut out = text.trim_end().to_string();
                let _ = write!(out, "\n{p}:\n{}\n", block(step, None).join("\n"));
                return out;
            }
        },
    };
    let mut out: Vec<String> = Vec::new();
    // The old block's items are as deep as its first.
    let mut items_at = None;
    let (cut, resume) = match start_of(key, indent, from, to) {
        Some(ks) => {
            // Comments and blank lines just above the next key are its own.
            let mut end = end_of(ks, indent);
            while end > ks + 1 && !is_code(lines[end - 1]) && depth(lines[end - 1]) <= indent {
                end -= 1;
            }
            items_at = (ks + 1..end)
                .find(|&i| lines[i].trim_start().starts_with("- "))
                .map(|i| depth(lines[i]));
            (ks, end)
        }
        None => (to, to),
    };
    out.extend(lines[..cut].iter().map(|l| l.to_string()));
    out.extend(block(indent, items_at));
    out.extend(lines[resume..].iter().map(|l| l.to_string()));
    out.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            sheet: String::new(),
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|s| {
                            if s.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(s.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
            merged: Vec::new(),
        }
    }

    fn req(kind: Kind) -> Request<'static> {
        Request {
            kind,
            file: "表.csv",
            map: &[],
            unit: "万元",
            year: 2023,
        }
    }

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name(16, 5), "F17");
        assert_eq!(cell_name(0, 26), "AA1");
    }

    #[test]
    fn amounts_convert_exactly_and_bad_cells_are_all_named() {
        let g = grid(&[
            &["2023年项目库"],
            &[
                "序号",
                "项目名称",
                "项目类别",
                "安排资金（元）",
                "进度",
                "开工日期",
            ],
            &["1", "甲村道路", "基础设施", "125,000", "100%", "45058"],
            &["2", "乙村大棚", "产业发展", "abc", "在建", "2023/5/2"],
            &["3", "", "产业发展", "5000", "施工中", "2023年13月1日"],
            &["", "", "", "", "", ""],
            &["合计", "", "", "130000", "", ""],
        ]);
        let r = import(&g, &req(Kind::Projects));
        assert_eq!(r.items.len(), 1, "{:?}", r.items);
        assert!(
            r.items[0].contains("budget: 12.5") && r.items[0].contains("status: 已完工"),
            "{}",
            r.items[0]
        );
        assert!(r.items[0].contains("start: 2023-05-12"), "{}", r.items[0]);
        assert_eq!(r.errors.len(), 3, "{:#?}", r.errors);
        assert!(
            r.errors[0].starts_with("表.csv!D4：安排资金“abc”不是金额"),
            "{}",
            r.errors[0]
        );
        assert!(r.errors[1].starts_with("表.csv!B5：项目名称是空的"));
        assert!(r.errors[2].starts_with("表.csv!F5：开工日期"));
    }

    #[test]
    fn a_total_row_is_checked_against_the_rows() {
        let g = grid(&[
            &["项目名称", "项目类别", "安排资金", "状态"],
            &["甲", "产业发展", "10.5", "在建"],
            &["乙", "产业发展", "2", "在建"],
            &["合计", "", "12.6", ""],
        ]);
        let r = import(&g, &req(Kind::Projects));
        assert_eq!(r.items.len(), 2);
        assert_eq!(
            r.errors,
            ["表.csv!C4：合计行的安排资金是 12.6万元，上面各行相加是 12.5万元"]
        );
    }

    #[test]
    fn group_headings_give_their_unit() {
        let g = grid(&[
            &["项目名称", "项目类别", "资金（万元）", "", "状态"],
            &["", "", "安排资金", "已支出", ""],
            &["丙村光伏", "产业发展", "30", "12.5", "0.6"],
        ]);
        let mut g = g;
        g.merged = vec![
            ((0, 2), (0, 3)),
            ((0, 0), (1, 0)),
            ((0, 1), (1, 1)),
            ((0, 4), (1, 4)),
        ];
        let r = import(
            &g,
            &Request {
                unit: "元",
                ..req(Kind::Projects)
            },
        );
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert!(
            r.items[0].contains("budget: 300000, spent: 125000, status: 在建"),
            "{}",
            r.items[0]
        );
    }

    #[test]
    fn other_headings_by_map() {
        let g = grid(&[
            &["工程名", "类", "投资额（元）", "情况"],
            &["甲", "产业发展", "20000", "在建"],
        ]);
        let map: Vec<(String, String)> = [
            ("工程名", "name"),
            ("类", "category"),
            ("投资额", "budget"),
            ("情况", "status"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let r = import(
            &g,
            &Request {
                map: &map,
                ..req(Kind::Projects)
            },
        );
        assert_eq!(
            r.items,
            ["{id: 2023-001, name: 甲, category: 产业发展, budget: 2, status: 在建}"],
            "{:?}",
            r.errors
        );
        assert!(import(&g, &req(Kind::Projects)).errors[0].contains("找不到表头"));
    }

    #[test]
    fn a_block_is_replaced_and_the_rest_kept() {
        let text = "# 资金\nunit: 万元\nspecial:\n  label: 甲\n  batches:   # 旧\n    - {name: 旧, amount: 1}\n  stated_total: 3\nfigures: []\n";
        let new = with_block(
            text,
            Some("special"),
            "batches",
            &["{name: 第一批, amount: 2}".into()],
        );
        assert_eq!(
            new,
            "# 资金\nunit: 万元\nspecial:\n  label: 甲\n  batches:\n    - {name: 第一批, amount: 2}\n  stated_total: 3\nfigures: []\n"
        );
        let reg = "baseline: {households: 1, persons: 2}\nexits:\n  - {year: 2021, households: 1, persons: 1}\nremaining: {households: 0, persons: 1}\n";
        let new = with_block(
            reg,
            None,
            "exits",
            &["{year: 2021, households: 1, persons: 2}".into()],
        );
        assert!(
            new.contains("exits:\n  - {year: 2021, households: 1, persons: 2}\nremaining"),
            "{new}"
        );
    }
}
