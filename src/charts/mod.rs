//! Stage 4a, charts: SVG strings drawn with plotters from the computed
//! metrics — the same numbers, formatted by the same functions, as the text
//! beside them. Writes nothing.
//!
//! Layout is done here, not by plotters: without a font feature plotters
//! guesses a CJK character at about twice its real width, which breaks its
//! legends and label areas, and its font features need system fonts at build
//! or run time. So every chart is a list of labelled horizontal bars whose
//! text is placed by [`text_width`] (one em per CJK character, measured widths
//! for Latin digits), and plotters draws only rectangles and `<text>` elements
//! anchored at a point, which the browser lays out with its own fonts.

mod svg;

use std::fmt::Write as _;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use svg::{CompactSvg, Inherited};

/// The font stack every chart names: Windows faces an intranet PC has, then
/// free ones, then the generic family.
const FONT_STACK: &str = "'Microsoft YaHei', 'SimHei', 'SimSun', 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', 'WenQuanYi Zen Hei', sans-serif";

/// What every text of a chart inherits from the root element: the font
/// stack, the size of the values and the ink colour.
const INHERITED: Inherited<'static> = Inherited {
    family: FONT_STACK,
    px: VALUE_PX,
    color: (INK.0, INK.1, INK.2),
};

/// Canvas width in px; charts scale down with the page.
const WIDTH: u32 = 640;
const PAD: i32 = 16;
const TITLE_PX: f64 = 16.0;
const LABEL_PX: f64 = 13.0;
const VALUE_PX: f64 = 12.0;
const ROW_H: i32 = 24;
const BAR_H: i32 = 14;
/// Longest left label before it is shortened with “…” (the table beside
/// the chart always has the whole label).
const MAX_LABEL_W: f64 = 210.0;

/// A colour, as `#rrggbb` in SVG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    fn plotters(self) -> RGBColor {
        RGBColor(self.0, self.1, self.2)
    }
}

const INK: Rgb = Rgb(0x26, 0x26, 0x26);
const MUTED: Rgb = Rgb(0x59, 0x59, 0x59);
const RULE: Rgb = Rgb(0xbf, 0xbf, 0xbf);

/// Series colours, alternating dark and light so that neighbours differ in
/// grey too when printed in black and white.
const PALETTE: [Rgb; 10] = [
    Rgb(0x1f, 0x4e, 0x79), // dark blue
    Rgb(0xf4, 0xb1, 0x83), // light orange
    Rgb(0x38, 0x76, 0x1d), // dark green
    Rgb(0x9d, 0xc3, 0xe6), // light blue
    Rgb(0x7f, 0x3f, 0x00), // dark brown
    Rgb(0xc9, 0xda, 0xb8), // light green
    Rgb(0x5b, 0x2c, 0x6f), // dark purple
    Rgb(0xff, 0xd9, 0x66), // light yellow
    Rgb(0xa6, 0x1c, 0x3c), // dark red
    Rgb(0xd9, 0xd2, 0xe9), // light purple
];

/// 其他 and remainders.
pub(crate) const OTHER: Rgb = Rgb(0xa6, 0xa6, 0xa6);
/// Project status: completed, started, planned — dark to light.
const DONE: Rgb = Rgb(0x1f, 0x4e, 0x79);
const STARTED: Rgb = Rgb(0x6f, 0xa8, 0xdc);
const PLANNED: Rgb = Rgb(0xde, 0xeb, 0xf7);
/// Persons (exits, remaining) and targets.
const PERSONS: Rgb = Rgb(0x38, 0x76, 0x1d);
const REMAINING: Rgb = Rgb(0xc5, 0x5a, 0x11);
const BASE: Rgb = Rgb(0x7f, 0x7f, 0x7f);
const TARGET: Rgb = Rgb(0xff, 0xd9, 0x66);
const VILLAGES: Rgb = Rgb(0x5b, 0x2c, 0x6f);
const MONEY: Rgb = Rgb(0x1f, 0x4e, 0x79);

/// Well-known categories keep their place in the palette; any other name
/// gets one from a stable hash of itself, so a category has the same colour
/// in every chart of the site, whatever else the chart shows.
fn category_color(name: &str) -> Rgb {
    const KNOWN: [&str; 10] = [
        "产业发展",
        "基础设施",
        "教育",
        "健康",
        "住房",
        "就业",
        "金融",
        "生态",
        "兜底",
        "培训",
    ];
    if name == "其他" {
        return OTHER;
    }
    if let Some(i) = KNOWN.iter().position(|k| name.contains(k)) {
        return PALETTE[i];
    }
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    PALETTE[(h % PALETTE.len() as u32) as usize]
}

/// Estimated width of `s` in px at font size `px`: CJK and full-width
/// characters are one em; Latin text uses typical sans-serif advances.
fn text_width(s: &str, px: f64) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            '0'..='9' => 0.56,
            '.' | ',' | ':' | ';' | '|' | '!' | '\'' => 0.3,
            ' ' => 0.3,
            '%' => 0.9,
            '(' | ')' | '[' | ']' | '-' | '/' => 0.35,
            '+' | '=' | '×' | '÷' | '−' => 0.6,
            'A'..='Z' => 0.68,
            'a'..='z' => 0.55,
            c if c.is_ascii() => 0.6,
            _ => 1.0,
        })
        .sum();
    em * px
}

/// `s` cut to fit `max` px, ending in “…” when cut.
fn fit(s: &str, px: f64, max: f64) -> String {
    if text_width(s, px) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        let mut next = out.clone();
        next.push(c);
        if text_width(&next, px) + px > max {
            break;
        }
        out = next;
    }
    out + "…"
}

/// Break `s` into lines no wider than `max` px (CJK text breaks anywhere).
fn wrap(s: &str, px: f64, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for c in s.chars() {
        line.push(c);
        if text_width(&line, px) > max {
            line.pop();
            lines.push(std::mem::take(&mut line));
            line.push(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// One part of a bar.
#[derive(Clone, Debug)]
pub(crate) struct Seg {
    pub(crate) value: Decimal,
    pub(crate) color: Rgb,
}

/// What a run giving the figure of `name` opens.
fn opens(c: &CiteTable, name: Name) -> Option<Opens> {
    Some(Opens::Name(c.key(name)))
}

/// A run of a bar's text, with what the figure it gives opens, if any.
pub(crate) type Run = (String, Option<Opens>);

/// One labelled bar: one segment, or several stacked.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub(crate) label: String,
    pub(crate) segs: Vec<Seg>,
    /// The numbers, as the text writes them, right of the bar.
    pub(crate) text: String,
    /// The text in runs, each with the name of the figure it gives in the
    /// year's citation table, if any (the chart's table on the web page
    /// opens them); empty: the text is one run and names none.
    pub(crate) runs: Vec<Run>,
}

impl Row {
    pub(crate) fn bar(label: impl Into<String>, value: Decimal, color: Rgb, text: String) -> Row {
        Row {
            label: label.into(),
            segs: vec![Seg { value, color }],
            text,
            runs: Vec::new(),
        }
    }

    /// The row as the text of the name `key`.
    fn named(mut self, key: String) -> Row {
        self.runs = vec![(self.text.clone(), Some(Opens::Name(key)))];
        self
    }

    /// A bar whose text is in runs, each a figure of a name or not.
    fn of_runs(label: impl Into<String>, value: Decimal, color: Rgb, runs: Vec<Run>) -> Row {
        let text = runs.iter().map(|(t, _)| t.as_str()).collect();
        Row {
            runs,
            ..Row::bar(label, value, color, text)
        }
    }
}

/// Bars that share one scale, under an optional heading.
#[derive(Clone, Debug)]
pub(crate) struct Group {
    pub(crate) heading: Option<String>,
    /// The value of a full-width bar (e.g. the baseline, or 100 for rates);
    /// `None`: the longest bar.
    pub(crate) max: Option<Decimal>,
    pub(crate) rows: Vec<Row>,
}

/// A chart: a title, groups of bars, an optional legend and note.
#[derive(Clone, Debug)]
pub(crate) struct Chart {
    /// File stem, e.g. `funds` → `funds.svg`.
    pub(crate) name: String,
    pub(crate) title: String,
    /// One sentence for screen readers and the Markdown alt text.
    pub(crate) desc: String,
    pub(crate) groups: Vec<Group>,
    pub(crate) legend: Vec<(String, Rgb)>,
    pub(crate) note: Option<String>,
}

impl Chart {
    /// The numbers behind the chart, for the table next to it: one row per
    /// bar, `[group, label, text]`, the group named on its first row only;
    /// and the text's runs with the names of their figures.
    pub(crate) fn table_rows(&self) -> Vec<([String; 3], &[Run])> {
        let mut rows = Vec::new();
        for g in &self.groups {
            for (i, r) in g.rows.iter().enumerate() {
                let group = match (&g.heading, i) {
                    (Some(h), 0) => h.clone(),
                    _ => String::new(),
                };
                let cells = [group, r.label.clone(), r.text.clone()];
                rows.push((cells, r.runs.as_slice()));
            }
        }
        rows
    }

    /// Width and height in px.
    pub(crate) fn size(&self) -> (u32, u32) {
        (WIDTH, Layout::of(self).height)
    }

    /// The chart as a standalone SVG document (also valid inline in HTML),
    /// with its accessible name and description; it scales with the page.
    pub(crate) fn svg(&self) -> String {
        let layout = Layout::of(self);
        let size = (WIDTH, layout.height);
        let title = xml_escape(&self.title);
        let attrs = format!(" role=\"img\" aria-label=\"{title}\" class=\"chart\"");
        let mut buf = CompactSvg::root(size, INHERITED, &attrs);
        let _ = write!(
            buf,
            "<title>{title}</title>\n<desc>{}</desc>\n",
            xml_escape(&self.desc)
        );
        {
            let root = CompactSvg::new(&mut buf, size, INHERITED).into_drawing_area();
            // Drawing into a String cannot fail; an error would only drop a shape.
            let _ = self.draw(&root, &layout);
            let _ = root.present();
        }
        buf.push_str("</svg>\n");
        buf
    }

    /// Title, groups of bars, legend and note, top to bottom.
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, l: &Layout) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let mut y = PAD + (TITLE_PX as i32) / 2 + 2;
        text(root, &self.title, (PAD, y), &TITLE_FONT)?;
        y += TITLE_PX as i32 / 2 + 10;
        let x_bar = PAD + l.label_w as i32 + 8;
        for g in &self.groups {
            y = draw_group(root, g, x_bar, y, l.bar_w)?;
        }
        y += 8;
        for line in &l.legend_lines {
            let mid = y + 8;
            for (name, color, x) in line {
                outlined(root, [(*x, mid - 6), (*x + 12, mid + 6)], *color)?;
                text(root, name, (*x + 16, mid), &VALUE_FONT)?;
            }
            y += 20;
        }
        for line in &l.note_lines {
            text(root, line, (PAD, y + 8), &NOTE_FONT)?;
            y += 18;
        }
        Ok(())
    }
}

/// The area a chart is drawn on.
type Area<DB> = DrawingArea<DB, plotters::coord::Shift>;
/// What drawing on it gives: nothing, or the backend's error.
type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// How a piece of text is set: size, colour, which end is anchored, weight.
struct Font {
    px: f64,
    color: Rgb,
    anchor: HPos,
    bold: bool,
}

const TITLE_FONT: Font = Font {
    px: TITLE_PX,
    color: INK,
    anchor: HPos::Left,
    bold: true,
};
const HEADING_FONT: Font = Font {
    px: LABEL_PX,
    color: MUTED,
    anchor: HPos::Left,
    bold: true,
};
/// A bar's label, right-aligned before it.
const LABEL_FONT: Font = Font {
    px: LABEL_PX,
    color: INK,
    anchor: HPos::Right,
    bold: false,
};
/// A bar's numbers after it, and the legend.
const VALUE_FONT: Font = Font {
    px: VALUE_PX,
    color: INK,
    anchor: HPos::Left,
    bold: false,
};
const NOTE_FONT: Font = Font {
    px: VALUE_PX,
    color: MUTED,
    anchor: HPos::Left,
    bold: false,
};

/// `s` at `(x, y)` (vertically centred there), in the chart's font stack.
fn text<DB: DrawingBackend>(root: &Area<DB>, s: &str, at: (i32, i32), f: &Font) -> Drawn<DB> {
    let style = if f.bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    let font = FontDesc::new(FontFamily::Name(FONT_STACK), f.px, style)
        .color(&f.color.plotters())
        .pos(Pos::new(f.anchor, VPos::Center));
    root.draw(&Text::new(s.to_string(), at, font))
}

/// A filled box with an outline, which keeps light colours visible on paper.
fn outlined<DB: DrawingBackend>(
    root: &Area<DB>,
    corners: [(i32, i32); 2],
    color: Rgb,
) -> Drawn<DB> {
    root.draw(&Rectangle::new(corners, color.plotters().filled()))?;
    root.draw(&Rectangle::new(corners, MUTED.plotters().stroke_width(1)))
}

/// A group of bars from `y` down: its heading, the bars' baseline and each
/// bar. Returns where the next group starts.
fn draw_group<DB: DrawingBackend>(
    root: &Area<DB>,
    g: &Group,
    x_bar: i32,
    mut y: i32,
    bar_w: f64,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    if let Some(h) = &g.heading {
        y += 6;
        text(root, h, (PAD, y + 8), &HEADING_FONT)?;
        y += 20;
    }
    let max = g
        .max
        .or_else(|| g.rows.iter().map(row_total).max())
        .filter(|m| *m > Decimal::ZERO)
        .unwrap_or(Decimal::ONE);
    // The bars' baseline, beside this group's rows only.
    let rows_h = ROW_H * g.rows.len() as i32;
    root.draw(&PathElement::new(
        vec![(x_bar, y + 2), (x_bar, y + rows_h - 2)],
        RULE.plotters().stroke_width(1),
    ))?;
    for r in &g.rows {
        draw_row(root, r, (x_bar, y + ROW_H / 2), max, bar_w)?;
        y += ROW_H;
    }
    Ok(y)
}

/// One bar centred on `mid`: its label before `x_bar`, its segments from
/// there (`max` is `bar_w` wide), its numbers after it.
fn draw_row<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &Row,
    (x_bar, mid): (i32, i32),
    max: Decimal,
    bar_w: f64,
) -> Drawn<DB> {
    let label = fit(&r.label, LABEL_PX, MAX_LABEL_W);
    text(root, &label, (x_bar - 8, mid), &LABEL_FONT)?;
    let mut x = f64::from(x_bar);
    for s in &r.segs {
        let w = (s.value / max).to_f64().unwrap_or(0.0) * bar_w;
        let (x0, x1) = (x.round() as i32, (x + w).round() as i32);
        if x1 > x0 {
            outlined(
                root,
                [(x0, mid - BAR_H / 2), (x1, mid + BAR_H / 2)],
                s.color,
            )?;
        }
        x += w;
    }
    let tx = (x.round() as i32).max(x_bar) + 6;
    text(root, &r.text, (tx, mid), &VALUE_FONT)
}

pub(crate) fn row_total(r: &Row) -> Decimal {
    r.segs.iter().map(|s| s.value).sum()
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out += "&lt;",
            '>' => out += "&gt;",
            '&' => out += "&amp;",
            '"' => out += "&quot;",
            '\'' => out += "&apos;",
            c => out.push(c),
        }
    }
    out
}

/// Sizes computed from the text before anything is drawn.
struct Layout {
    label_w: f64,
    bar_w: f64,
    height: u32,
    /// Legend entries placed in lines: (name, colour, x).
    legend_lines: Vec<Vec<(String, Rgb, i32)>>,
    note_lines: Vec<String>,
}

impl Layout {
    fn of(c: &Chart) -> Layout {
        let rows = || c.groups.iter().flat_map(|g| g.rows.iter());
        let label_w = rows()
            .map(|r| text_width(&fit(&r.label, LABEL_PX, MAX_LABEL_W), LABEL_PX))
            .fold(0.0, f64::max);
        let text_w = rows()
            .map(|r| text_width(&r.text, VALUE_PX))
            .fold(0.0, f64::max);
        let inner = f64::from(WIDTH) - 2.0 * f64::from(PAD);
        let bar_w = (inner - label_w - 8.0 - 6.0 - text_w).max(60.0);
        let mut h = PAD + TITLE_PX as i32 + 12;
        for g in &c.groups {
            if g.heading.is_some() {
                h += 26;
            }
            h += ROW_H * g.rows.len() as i32;
        }
        h += 8;
        let mut legend_lines: Vec<Vec<(String, Rgb, i32)>> = Vec::new();
        let mut x = PAD;
        for (name, color) in &c.legend {
            let w = 16 + text_width(name, VALUE_PX).ceil() as i32 + 14;
            if legend_lines.is_empty() || x + w > WIDTH as i32 - PAD {
                legend_lines.push(Vec::new());
                x = PAD;
            }
            if let Some(line) = legend_lines.last_mut() {
                line.push((name.clone(), *color, x));
            }
            x += w;
        }
        h += 20 * legend_lines.len() as i32;
        let note_lines = c
            .note
            .as_deref()
            .map(|n| wrap(n, VALUE_PX, inner))
            .unwrap_or_default();
        h += 18 * note_lines.len() as i32;
        h += PAD / 2;
        Layout {
            label_w,
            bar_w,
            height: h.max(60) as u32,
            legend_lines,
            note_lines,
        }
    }
}

// ---------- charts of a year, from its metrics ----------

use crate::analysis::metrics::{ProjectStats, RegisterMetrics, Sum2, YearMetrics, pair_text, pct};
use crate::analysis::provenance::made::{self, Opens};
use crate::model::cite::{Builtin, CiteTable, Era, Name};
use crate::model::num;
use crate::model::{Funds, Office, Register, Special, Status, Year};

/// Categories below this share (in %) fold into 其他 when there are many.
const FOLD_BELOW: u32 = 3;
/// Up to this many categories are all shown.
const FOLD_OVER: usize = 6;

/// A year's charts and, for each chart left out, a sentence saying why.
#[derive(Clone, Debug, Default)]
pub(crate) struct YearCharts {
    pub(crate) exits: Option<Chart>,
    pub(crate) funds: Option<Chart>,
    pub(crate) projects: Option<Chart>,
}

fn year_charts(year: &Year, m: &YearMetrics) -> YearCharts {
    let exits = exits_chart(year, m);
    let funds = funds_chart(year, m);
    let projects = projects_chart(year, m);
    // A chart without its data is left out, without a word: the document is
    // the office's, not a report on what nianbao could not draw.
    YearCharts {
        exits,
        funds,
        projects,
    }
}

/// 脱贫进度: the baseline, each year's exits, cumulative and remaining on one
/// persons scale; this year's target beside the achieved or planned figure;
/// villages against the register.
fn exits_chart(year: &Year, m: &YearMetrics) -> Option<Chart> {
    let reg = year.register.as_ref()?;
    let rm = m.register.as_ref()?;

    let base = reg.baseline.persons?.v;
    let c = &m.cite;
    let mut groups = vec![persons_group((year, c), reg, rm, base)];
    groups.extend(target_group((year, c), reg, rm));
    groups.extend(villages_group((year, c), reg, rm));
    Some(Chart {
        name: "exits".into(),
        title: format!("{}年{}进度", year.year, reg.labels.exit),
        desc: exits_desc(year, reg, rm),
        groups,
        legend: Vec::new(),
        note: None,
    })
}

/// The people of the register on the baseline's scale: the baseline, each
/// year's exits, the cumulative, the remaining, and this year's planned
/// exits when there is no target to show them against.
fn persons_group(
    (year, c): (&Year, &CiteTable),
    reg: &Register,
    rm: &RegisterMetrics,
    base: Decimal,
) -> Group {
    let exit = &reg.labels.exit;
    let mut rows = vec![
        Row::bar(
            reg.labels.baseline.clone(),
            base,
            BASE,
            pair_text(Sum2::of(&reg.baseline)),
        )
        .named(c.key(Name::Builtin(Builtin::Baseline))),
    ];
    for e in &reg.exits {
        if let Some(p) = e.pair.persons {
            let span = e.span();
            rows.push(
                Row::bar(
                    format!("{span}年{exit}"),
                    p.v,
                    PERSONS,
                    pair_text(Sum2::of(&e.pair)),
                )
                .named(c.key(Name::ExitOf(&span))),
            );
        }
    }
    // No cumulative from a register that does not close (`register.gap`):
    // a year's exits may be missing.
    if let Some(cumulative) = rm.cumulative.persons.filter(|_| closes(reg, rm)) {
        let mut runs = vec![(
            pair_text(rm.cumulative),
            opens(c, Name::Builtin(Builtin::Cumulative)),
        )];
        if let Some(p) = rm.progress {
            runs.push(("，占".into(), None));
            runs.push((pct(p, 1), opens(c, Name::Builtin(Builtin::CumulativeShare))));
        }
        rows.push(Row::of_runs(
            format!("累计{exit}"),
            cumulative,
            PERSONS,
            runs,
        ));
    }
    if let Some(rem) = reg
        .remaining
        .as_ref()
        .and_then(|r| r.pair.persons.map(|p| (r, p)))
    {
        rows.push(
            Row::bar(
                reg.labels.remaining.clone(),
                rem.1.v,
                REMAINING,
                pair_text(Sum2::of(&rem.0.pair)),
            )
            .named(c.key(Name::Builtin(Builtin::Remaining))),
        );
    }
    let target = reg.targets.as_ref().and_then(|t| t.persons);
    if target.is_none()
        && rm.this_year_planned
        && let Some(this) = rm.this_year.filter(|t| t.persons.is_some())
    {
        rows.push(
            Row::bar(
                format!("{}年{}", year.year, reg.labels.planned),
                this.persons.unwrap_or_default(),
                TARGET,
                pair_text(this),
            )
            .named(c.key(Name::Builtin(Builtin::ThisYearPlanned))),
        );
    }
    Group {
        heading: Some(format!("{}（人）", reg.labels.subject)),
        max: Some(base),
        rows,
    }
}

/// The year's target against what was achieved or planned.
fn target_group(
    (year, c): (&Year, &CiteTable),
    reg: &Register,
    rm: &RegisterMetrics,
) -> Option<Group> {
    let target = reg.targets.as_ref().and_then(|t| t.persons)?;
    let (this, persons) = rm.this_year.and_then(|s| s.persons.map(|p| (s, p)))?;
    let (what, done) = if rm.this_year_planned {
        (
            format!("{}年{}", year.year, reg.labels.planned),
            Builtin::ThisYearPlanned,
        )
    } else {
        (
            format!("{}年{}", year.year, reg.labels.exit),
            Builtin::ThisYear,
        )
    };
    let mut runs = vec![(pair_text(this), opens(c, Name::Builtin(done)))];
    if let Some(r) = rm.target_persons {
        runs.push(("，完成目标的".into(), None));
        runs.push((pct(r, 1), opens(c, Name::Builtin(Builtin::TargetRate))));
    }
    Some(Group {
        heading: Some(format!("{}年目标任务（人）", year.year)),
        max: None,
        rows: vec![
            Row::bar(
                "目标任务",
                target.v,
                TARGET,
                format!("{}人", target.v.normalize()),
            )
            .named(c.key(Name::Builtin(Builtin::TargetReduction))),
            Row::of_runs(what, persons, PERSONS, runs),
        ],
    })
}

/// The villages that left against the register's, and this year's planned.
fn villages_group(
    (year, c): (&Year, &CiteTable),
    reg: &Register,
    rm: &RegisterMetrics,
) -> Option<Group> {
    let total = reg.villages.map(|v| v.v)?;
    let mut rows = vec![
        Row::bar(
            reg.labels.baseline_villages.clone(),
            total,
            BASE,
            format!("{}个", total.normalize()),
        )
        .named(c.key(Name::Builtin(Builtin::BaselineVillages))),
    ];
    let exited = made::villages_exited(year.year, reg);
    let runs = vec![(
        format!("{}个", rm.villages_exited),
        Some(Opens::Made(std::sync::Arc::new(exited))),
    )];
    rows.push(Row::of_runs(
        format!("已{}", reg.labels.village_exit),
        Decimal::from(rm.villages_exited),
        VILLAGES,
        runs,
    ));
    if rm.this_year_planned && rm.this_year_villages > 0 {
        rows.push(
            Row::bar(
                format!("{}年拟{}", year.year, reg.labels.village_exit),
                Decimal::from(rm.this_year_villages),
                TARGET,
                format!("{}个", rm.this_year_villages),
            )
            .named(c.key(Name::Builtin(Builtin::ThisYearPlannedVillages))),
        );
    }
    Some(Group {
        heading: Some(format!("{}（个）", reg.labels.village)),
        max: Some(total),
        rows,
    })
}

/// The progress chart in a sentence, with only the figures the data has:
/// never "累计脱贫。" with no number.
fn exits_desc(year: &Year, reg: &Register, rm: &RegisterMetrics) -> String {
    let exit = &reg.labels.exit;
    let mut desc = format!(
        "{}年{exit}进度：{}{}",
        year.year,
        reg.labels.baseline,
        pair_text(Sum2::of(&reg.baseline))
    );
    let cumulative = pair_text(rm.cumulative);
    if !cumulative.is_empty() && closes(reg, rm) {
        desc += &format!("，累计{exit}{cumulative}");
    }
    if let Some(r) = &reg.remaining {
        let left = pair_text(Sum2::of(&r.pair));
        if !left.is_empty() {
            desc += &format!("，{}{left}", reg.labels.remaining);
        }
    }
    desc.push('。');
    desc
}

fn closes(reg: &Register, rm: &RegisterMetrics) -> bool {
    crate::analysis::consistency::register_closes(reg, rm)
}

/// `1918.6万元`: an amount of the funds in their unit and precision.
fn money(d: Decimal, funds: &Funds) -> String {
    format!("{}{}", num::amount(d, funds.precision), funds.unit)
}

/// 资金结构: the special funds by category (small ones folded into 其他,
/// named in the note) and by source.
fn funds_chart(year: &Year, m: &YearMetrics) -> Option<Chart> {
    let funds = year.funds.as_ref()?;
    let sp = funds.special.as_ref()?;
    let total = m.special.as_ref()?.total.filter(|t| *t > Decimal::ZERO)?;
    let mut groups = Vec::new();
    let mut note = None;
    if !m.shares.is_empty() {
        let (group, folded) = category_group((funds, year.year), m, total);
        groups.push(group);
        if !folded.is_empty() {
            note = Some(format!("其他包括：{}。", folded.join("、")));
        }
    }
    groups.extend(source_group((funds, &m.cite, year.year), sp, total));
    if groups.is_empty() {
        return None;
    }
    let top = m
        .shares
        .first()
        .map(|s| format!("，其中{}{}", s.name, pct(s.share, 1)))
        .unwrap_or_default();
    let shown =
        crate::analysis::metrics::printed_special_total(sp, m.special.as_ref()?, funds.precision)
            .unwrap_or(total);
    Some(Chart {
        name: "funds".into(),
        title: format!("{}年{}结构", year.year, sp.label),
        desc: format!("{}共{}{}{top}。", sp.label, num::written(shown), funds.unit),
        groups,
        legend: Vec::new(),
        note,
    })
}

/// A category as a bar: name, amount, share and projects.
type Shown = (String, Decimal, Decimal, Option<usize>);

/// The categories as bars, the small ones (when there are many) and the
/// funds no category accounts for folded into 其他; and the names folded.
fn fold_categories(m: &YearMetrics, total: Decimal) -> (Vec<Shown>, Vec<String>) {
    let mut shown: Vec<Shown> = Vec::new();
    let mut folded: Vec<String> = Vec::new();
    let (mut other_amount, mut other_projects) = (Decimal::ZERO, Some(0usize));
    for s in &m.shares {
        if folds(m, s) {
            other_amount += s.amount;
            other_projects = other_projects.zip(s.projects).map(|(a, b)| a + b);
            if s.name != "其他" {
                folded.push(s.name.clone());
            }
        } else {
            shown.push((s.name.clone(), s.amount, s.share, s.projects));
        }
    }
    // Funds the categories do not account for.
    let listed: Decimal = m.shares.iter().map(|s| s.amount).sum();
    let unlisted = total - listed;
    if unlisted > Decimal::ZERO {
        other_amount += unlisted;
        other_projects = None;
        folded.push("未分类别的资金".into());
    }
    if other_amount > Decimal::ZERO {
        let share = num::percent(other_amount, total).unwrap_or_default();
        shown.push(("其他".into(), other_amount, share, other_projects));
    }
    (shown, folded)
}

/// Whether a category is folded into 其他: a small one when there are
/// many, and 其他 itself.
fn folds(m: &YearMetrics, s: &crate::analysis::metrics::Share) -> bool {
    let many = m.shares.len() > FOLD_OVER;
    (many && s.share < Decimal::from(FOLD_BELOW)) || s.name == "其他"
}

/// 按类别: a bar per category on the total's scale, with the names folded
/// into 其他.
fn category_group(
    (funds, y): (&Funds, i32),
    m: &YearMetrics,
    total: Decimal,
) -> (Group, Vec<String>) {
    let (shown, folded) = fold_categories(m, total);
    // 其他 folds categories: sums with no name of their own, opened when
    // they are made of categories alone (no funds outside every category).
    let parts: Vec<&crate::analysis::metrics::Share> =
        m.shares.iter().filter(|s| folds(m, s)).collect();
    let listed: Decimal = m.shares.iter().map(|s| s.amount).sum();
    let other = (listed == total)
        .then(|| made::folded(&m.cite, y, &parts, (&funds.unit, funds.precision, total)))
        .flatten();
    let rows = shown
        .iter()
        .map(|(name, amount, share, projects)| {
            let own = m
                .shares
                .iter()
                .any(|s| s.name == *name && s.amount == *amount);
            let made = |i: usize| {
                let m = other.as_ref()?[i].clone()?;
                Some(Opens::Made(std::sync::Arc::new(m)))
            };
            let key = |n: Name, i: usize| match own {
                true => opens(&m.cite, n),
                false => made(i),
            };
            let mut runs = vec![
                (money(*amount, funds), key(Name::CategoryFunds(name), 0)),
                (" ".into(), None),
                (
                    m.text_of(Name::CategoryShare(name), || pct(*share, 1)),
                    key(Name::CategoryShare(name), 1),
                ),
            ];
            if let Some(n) = projects {
                runs.push(("，".into(), None));
                runs.push((format!("{n}个"), key(Name::CategoryProjects(name), 2)));
                runs.push(("项目".into(), None));
            }
            Row::of_runs(name.clone(), *amount, category_color(name), runs)
        })
        .collect();
    let group = Group {
        heading: Some(format!("按类别（{}）", funds.unit)),
        max: Some(total),
        rows,
    };
    (group, folded)
}

/// 按来源: a bar per source on the total's scale.
fn source_group(
    (funds, c, y): (&Funds, &CiteTable, i32),
    sp: &Special,
    total: Decimal,
) -> Option<Group> {
    if sp.by_source.is_empty() {
        return None;
    }
    let rows = sp
        .by_source
        .iter()
        .map(|p| {
            let share = num::percent(p.amount.v, total).unwrap_or_default();
            let text = format!("{}{}", num::written(p.amount.v), funds.unit);
            let part = (
                format!("{}占比", p.name),
                text.clone(),
                p.amount.v,
                Name::Source(&p.name),
            );
            let share_of = made::share(c, y, part, total)
                .filter(|m| m.printed == pct(share, 1))
                .map(|m| Opens::Made(std::sync::Arc::new(m)));
            let runs = vec![
                (text, opens(c, Name::Source(&p.name))),
                (" ".into(), None),
                (pct(share, 1), share_of),
            ];
            Row::of_runs(p.name.clone(), p.amount.v, category_color(&p.name), runs)
        })
        .collect();
    Some(Group {
        heading: Some(format!("按来源（{}）", funds.unit)),
        max: Some(total),
        rows,
    })
}

/// 项目进度: projects by category and status, and the start, completion and
/// spending rates.
fn projects_chart(year: &Year, m: &YearMetrics) -> Option<Chart> {
    let ps = m.projects.as_ref().filter(|p| p.total > 0)?;
    let mut groups = vec![status_group(year, ps)];
    let rates = rate_rows(m, ps);
    let rate_text: Vec<String> = rates
        .iter()
        .map(|r| format!("{}{}", r.label, r.text))
        .collect();
    if !rates.is_empty() {
        groups.push(Group {
            heading: Some("进度（%）".into()),
            max: Some(
                Decimal::ONE_HUNDRED.max(rates.iter().map(row_total).max().unwrap_or_default()),
            ),
            rows: rates,
        });
    }
    let (done, started, planned) = status_labels();
    Some(Chart {
        name: "projects".into(),
        title: format!("{}年项目进度", year.year),
        desc: format!(
            "{}个项目，已完工{}个、在建{}个、未开工{}个；{}。",
            ps.total,
            ps.completed,
            ps.started,
            ps.planned,
            rate_text.join("、")
        ),
        groups,
        legend: vec![
            (done.into(), DONE),
            (started.into(), STARTED),
            (planned.into(), PLANNED),
        ],
        note: None,
    })
}

/// 已完工, 在建, 未开工.
fn status_labels() -> (&'static str, &'static str, &'static str) {
    (
        Status::Completed.label(),
        Status::Started.label(),
        Status::Planned.label(),
    )
}

/// 按类别和进度: each category's projects by status, and their sum when
/// there are several.
fn status_group(year: &Year, ps: &ProjectStats) -> Group {
    let mut rows: Vec<Row> = ps
        .by_category
        .iter()
        .map(|c| {
            let counts = [c.completed, c.started, c.planned, c.count];
            status_row((year, Some(&c.name)), c.name.clone(), counts)
        })
        .collect();
    if ps.by_category.len() > 1 {
        let counts = [ps.completed, ps.started, ps.planned, ps.total];
        rows.push(status_row((year, None), "合计".into(), counts));
    }
    Group {
        heading: Some("按类别和进度（个）".into()),
        max: None,
        rows,
    }
}

/// A stacked bar of projects by status: completed, started, planned (of a
/// category of the year's list, or of all); each count opens its count of
/// the list.
fn status_row(
    (year, category): (&Year, Option<&str>),
    label: String,
    [completed, started, planned, total]: [usize; 4],
) -> Row {
    let seg = |n: usize, color| Seg {
        value: Decimal::from(n),
        color,
    };
    let count = |n: usize, status| -> Run {
        let made = made::projects_in(year, category, status)
            .filter(|m| m.how.result[0] == Decimal::from(n))
            .map(|m| Opens::Made(std::sync::Arc::new(m)));
        (n.to_string(), made)
    };
    let (done_w, started_w, planned_w) = status_labels();
    let mut runs = vec![
        (done_w.to_string(), None),
        count(completed, Some(Status::Completed)),
    ];
    for (n, word, status) in [
        (started, started_w, Status::Started),
        (planned, planned_w, Status::Planned),
    ] {
        if n > 0 {
            runs.push((format!("、{word}"), None));
            runs.push(count(n, Some(status)));
        }
    }
    runs.push(("个，共".into(), None));
    runs.push(count(total, None));
    runs.push(("个".into(), None));
    let mut row = Row::of_runs(label, Decimal::ZERO, DONE, runs);
    row.segs = vec![
        seg(completed, DONE),
        seg(started, STARTED),
        seg(planned, PLANNED),
    ];
    row
}

/// The start, completion and spending rates that can be computed, as the
/// text cites them.
fn rate_rows(m: &YearMetrics, ps: &ProjectStats) -> Vec<Row> {
    [
        (Builtin::StartRate, ps.start_rate()),
        (Builtin::CompletionRate, ps.completion_rate()),
        (Builtin::SpendingRate, ps.spending_rate()),
    ]
    .into_iter()
    .filter_map(|(b, r)| {
        let r = r?;
        let name = Name::Builtin(b);
        let text = m.text_of(name, || pct(r, 1));
        Some(Row::bar(m.cite.key(name), r, DONE, text).named(m.cite.key(name)))
    })
    .collect()
}

/// Every chart of an office: each year's, and the trend over the years.
pub(crate) struct OfficeCharts {
    pub(crate) years: Vec<YearCharts>,
    pub(crate) trend: Option<Chart>,
}

/// Stage 5, charts: draw every chart of an office from its metrics.
pub(crate) fn office_charts(office: &Office, metrics: &[YearMetrics]) -> OfficeCharts {
    OfficeCharts {
        years: office
            .years
            .iter()
            .zip(metrics)
            .map(|(y, m)| year_charts(y, m))
            .collect(),
        trend: trend_chart(office, metrics),
    }
}

/// 未脱贫人口 / 未消除风险人口: the remaining people as a chart heading.
fn remaining_people(l: &crate::model::cite::Labels) -> String {
    format!("{}人口", l.remaining)
}

/// Trends over an office's years: special funds and remaining persons (and
/// 贫困发生率 where given), one bar per year. `None` below two years.
fn trend_chart(office: &Office, metrics: &[YearMetrics]) -> Option<Chart> {
    // The register's words are the latest year's; a register of another era
    // counts other people, so its years are not in the same row.
    let labels = office.years.last()?.labels();
    let (funds, unit) = funds_trend(office, metrics);
    let mut groups = Vec::new();
    for (heading, rows) in [
        (format!("{}（{unit}）", labels.funds), funds),
        (
            format!("{}（人）", remaining_people(&labels)),
            remaining_trend(office, labels.era),
        ),
        (
            format!("{}（%）", labels.incidence),
            incidence_trend(office, metrics, labels.era),
        ),
    ] {
        if rows.len() >= 2 {
            groups.push(Group {
                heading: Some(heading),
                max: None,
                rows,
            });
        }
    }
    if groups.is_empty() {
        return None;
    }
    let first = office.years.first()?.year;
    let last = office.years.last()?.year;
    Some(Chart {
        name: "trend".into(),
        title: format!("{}{first}—{last}年主要指标", office.short_name),
        desc: format!(
            "{}历年专项资金、{}和{}。",
            office.short_name,
            remaining_people(&labels),
            labels.incidence
        ),
        groups,
        legend: Vec::new(),
        note: None,
    })
}

/// The special funds of each year that has them, and the money unit of the
/// last of them (万元 when none says).
fn funds_trend<'a>(office: &'a Office, metrics: &[YearMetrics]) -> (Vec<Row>, &'a str) {
    let mut rows = Vec::new();
    let mut unit = "万元";
    for (y, m) in office.years.iter().zip(metrics) {
        if let Some(t) = m.special.as_ref().and_then(|s| s.total) {
            let f = y.funds.as_ref();
            unit = f.map_or(unit, |f| f.unit.as_str());
            let prec = f.map_or(2, |f| f.precision);
            rows.push(Row::bar(
                format!("{}年", y.year),
                t,
                MONEY,
                format!("{}{unit}", num::amount(t, prec)),
            ));
        }
    }
    (rows, unit)
}

/// The people not yet out at the end of each year of the latest era.
fn remaining_trend(office: &Office, era: Era) -> Vec<Row> {
    let mut rows = Vec::new();
    for y in &office.years {
        if let Some(rem) = y.register.as_ref().and_then(|r| r.remaining.as_ref())
            && y.labels().era == era
            && let Some(p) = rem.pair.persons
        {
            rows.push(Row::bar(
                format!("{}年", y.year),
                p.v,
                REMAINING,
                pair_text(Sum2::of(&rem.pair)),
            ));
        }
    }
    rows
}

/// The incidence of each year of the latest era that gives it.
fn incidence_trend(office: &Office, metrics: &[YearMetrics], era: Era) -> Vec<Row> {
    let mut rows = Vec::new();
    for (y, m) in office.years.iter().zip(metrics) {
        if let Some((i, rm)) = m
            .register
            .as_ref()
            .and_then(|r| r.incidence.map(|i| (i, r)))
            .filter(|_| y.labels().era == era)
        {
            rows.push(Row::bar(
                format!("{}年", y.year),
                i,
                REMAINING,
                pct(i, rm.incidence_precision),
            ));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Chart {
        Chart {
            name: "t".into(),
            title: "资金结构<测试>".into(),
            desc: "说明".into(),
            groups: vec![Group {
                heading: Some("按类别".into()),
                max: None,
                rows: vec![
                    Row::bar(
                        "产业发展",
                        Decimal::new(19186, 1),
                        category_color("产业发展"),
                        "1918.6万元 75.8%".into(),
                    ),
                    Row::bar(
                        "其他",
                        Decimal::new(6126, 1),
                        OTHER,
                        "612.6万元 24.2%".into(),
                    ),
                ],
            }],
            legend: vec![("已完工".into(), DONE)],
            note: Some("其他包括：教育、健康".into()),
        }
    }

    #[test]
    fn cjk_is_one_em_and_digits_narrower() {
        assert_eq!(text_width("产业发展", 10.0), 40.0);
        assert!(text_width("1918.6", 10.0) < 35.0);
    }

    #[test]
    fn svg_is_deterministic_escaped_and_labelled() {
        let a = sample().svg();
        assert_eq!(a, sample().svg());
        assert!(a.contains("role=\"img\""));
        assert!(a.contains("<title>资金结构&lt;测试&gt;</title>"));
        assert!(a.contains("1918.6万元 75.8%"));
        assert!(a.contains("Microsoft YaHei"));
        assert!(!a.contains("<测试>"));
    }

    #[test]
    fn long_labels_are_shortened_not_clipped() {
        let s = fit(&"很长的标签".repeat(10), LABEL_PX, MAX_LABEL_W);
        assert!(s.ends_with('…'));
        assert!(text_width(&s, LABEL_PX) <= MAX_LABEL_W);
    }

    #[test]
    fn colours_are_stable_per_category() {
        assert_eq!(category_color("产业发展"), PALETTE[0]);
        assert_eq!(category_color("某新类别"), category_color("某新类别"));
        assert_eq!(category_color("其他"), OTHER);
    }
}
