//! A chart as Word's own charts (DrawingML `c:chartSpace` parts): one
//! horizontal bar chart per group of bars, since each group has its own
//! scale. The data are written as the chart's cached values, so Word, WPS
//! and LibreOffice draw them with the document's fonts, print them sharp
//! at any size and let the office restyle them; nothing is rasterised.
//! Each bar carries the text the SVG puts beside it: single bars as their
//! label, stacked bars (which have no place for one) as each part's value
//! with the parts named in the legend.

use std::fmt::Write;

use rust_decimal::Decimal;

use crate::charts::{Chart, Group, Rgb};

/// The text block's width in EMU (156 mm) and points.
const WIDTH_EMU: u64 = 156 * 36_000;
const WIDTH_PT: u32 = 442;
/// EMU per point.
const PT: u64 = 12_700;
/// Label text: 五号 (10.5 pt).
const TEXT_SZ: u32 = 1050;

/// One chart part: its XML and its height in EMU.
pub(crate) struct Part {
    pub(crate) xml: String,
    pub(crate) width: u64,
    pub(crate) height: u64,
}

/// The most bars in one part: 28 + 17 × 10 pt is under a third of the
/// text block (225 mm, 638 pt), so a part that does not fit at the foot of
/// a page leaves at most that much of it empty.
const MAX_ROWS: usize = 10;

/// A chart's parts, one per group (a long group in parts of at most
/// [`MAX_ROWS`] bars on one scale, the heading on the first), in order.
pub(crate) fn parts(chart: &Chart) -> Vec<Part> {
    let mut out = Vec::new();
    for g in chart.groups.iter().filter(|g| !g.rows.is_empty()) {
        if g.rows.len() <= MAX_ROWS {
            out.push(part(chart, g));
            continue;
        }
        let max = g
            .max
            .or_else(|| g.rows.iter().map(crate::charts::row_total).max());
        for (i, rows) in g.rows.chunks(MAX_ROWS).enumerate() {
            let piece = Group {
                heading: if i == 0 { g.heading.clone() } else { None },
                max,
                rows: rows.to_vec(),
            };
            out.push(part(chart, &piece));
        }
    }
    out
}

fn part(chart: &Chart, g: &Group) -> Part {
    let stacked = g.rows.iter().any(|r| r.segs.len() > 1);
    let series = g.rows.iter().map(|r| r.segs.len()).max().unwrap_or(1);
    let legend = stacked && !chart.legend.is_empty();
    let rows = g.rows.len() as u64;
    // Title, bars and legend, in points: about the chart's SVG at the
    // text block's width (640 px to 156 mm, a 24 px row is 17 pt), so
    // that Word prints as many pages as the browser.
    let height_pt = 28 + 17 * rows + if legend { 18 } else { 0 };
    let mut x = String::with_capacity(4096);
    x += "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
          <c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" \
          xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
          xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
          <c:lang val=\"zh-CN\"/><c:roundedCorners val=\"0\"/><c:chart>";
    if let Some(h) = &g.heading {
        let _ = write!(
            x,
            "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"{TEXT_SZ}\" b=\"1\"/></a:pPr>\
             <a:r><a:rPr lang=\"zh-CN\" sz=\"{TEXT_SZ}\" b=\"1\"/><a:t>{}</a:t></a:r></a:p></c:rich></c:tx>\
             <c:overlay val=\"0\"/></c:title>",
            esc(h)
        );
    }
    x +=
        "<c:autoTitleDeleted val=\"0\"/><c:plotArea><c:layout/><c:barChart><c:barDir val=\"bar\"/>";
    x += if stacked {
        "<c:grouping val=\"stacked\"/>"
    } else {
        "<c:grouping val=\"clustered\"/>"
    };
    x += "<c:varyColors val=\"0\"/>";
    for s in 0..series {
        x += &ser(chart, g, s, stacked);
    }
    x += if stacked {
        "<c:gapWidth val=\"60\"/><c:overlap val=\"100\"/>"
    } else {
        "<c:gapWidth val=\"60\"/>"
    };
    x += "<c:axId val=\"1\"/><c:axId val=\"2\"/></c:barChart>";
    x += &axes(g, stacked);
    x += "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr></c:plotArea>";
    if legend {
        x += "<c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/></c:legend>";
    }
    let _ = write!(
        x,
        "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>\
         <c:spPr><a:solidFill><a:srgbClr val=\"FFFFFF\"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>\
         <c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"{TEXT_SZ}\">\
         <a:solidFill><a:srgbClr val=\"000000\"/></a:solidFill>\
         <a:latin typeface=\"Times New Roman\"/><a:ea typeface=\"宋体\"/></a:defRPr></a:pPr>\
         <a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr></c:chartSpace>"
    );
    Part {
        xml: x,
        width: WIDTH_EMU,
        height: height_pt * PT,
    }
}

/// Series `s`: the `s`-th part of every bar.
fn ser(chart: &Chart, g: &Group, s: usize, stacked: bool) -> String {
    let first = g.rows.iter().find_map(|r| r.segs.get(s));
    let color = first.map_or(crate::charts::OTHER, |seg| seg.color);
    let name = chart
        .legend
        .get(s)
        .map(|(n, _)| n.clone())
        .or_else(|| g.heading.clone())
        .unwrap_or_default();
    let mut x = format!(
        "<c:ser><c:idx val=\"{s}\"/><c:order val=\"{s}\"/><c:tx><c:v>{}</c:v></c:tx>{}<c:invertIfNegative val=\"0\"/>",
        esc(&name),
        fill(color)
    );
    // A bar whose colour is not the series' (single bars by category).
    for (i, r) in g.rows.iter().enumerate() {
        if let Some(seg) = r.segs.get(s).filter(|seg| seg.color != color) {
            let _ = write!(
                x,
                "<c:dPt><c:idx val=\"{i}\"/><c:invertIfNegative val=\"0\"/><c:bubble3D val=\"0\"/>{}</c:dPt>",
                fill(seg.color)
            );
        }
    }
    x += &labels(g, s, stacked);
    x += "<c:cat><c:strLit>";
    let _ = write!(x, "<c:ptCount val=\"{}\"/>", g.rows.len());
    for (i, r) in g.rows.iter().enumerate() {
        let _ = write!(x, "<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", esc(&r.label));
    }
    x += "</c:strLit></c:cat><c:val><c:numLit><c:formatCode>General</c:formatCode>";
    let _ = write!(x, "<c:ptCount val=\"{}\"/>", g.rows.len());
    for (i, r) in g.rows.iter().enumerate() {
        let v = r.segs.get(s).map_or(Decimal::ZERO, |seg| seg.value);
        let _ = write!(x, "<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", v.normalize());
    }
    x + "</c:numLit></c:val></c:ser>"
}

/// Data labels: a single bar's own text at its end; a stacked part's value
/// in its middle, none for an empty part.
fn labels(g: &Group, s: usize, stacked: bool) -> String {
    let mut x = String::from("<c:dLbls>");
    for (i, r) in g.rows.iter().enumerate() {
        let value = r.segs.get(s).map_or(Decimal::ZERO, |seg| seg.value);
        if stacked && value.is_zero() {
            let _ = write!(
                x,
                "<c:dLbl><c:idx val=\"{i}\"/><c:delete val=\"1\"/></c:dLbl>"
            );
        } else if !stacked {
            let _ = write!(
                x,
                "<c:dLbl><c:idx val=\"{i}\"/><c:tx><c:rich><a:bodyPr wrap=\"none\"/><a:lstStyle/><a:p><a:r><a:rPr lang=\"zh-CN\"/>\
                 <a:t>{}</a:t></a:r></a:p></c:rich></c:tx><c:dLblPos val=\"outEnd\"/>\
                 <c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/>\
                 <c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbl>",
                esc(&r.text)
            );
        }
    }
    let pos = if stacked { "ctr" } else { "outEnd" };
    let _ = write!(
        x,
        "<c:txPr><a:bodyPr wrap=\"none\"/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr><a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>\
         <c:dLblPos val=\"{pos}\"/><c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/>\
         <c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>"
    );
    x
}

/// The bars' names down the left, first on top; the value axis hidden, its
/// maximum the group's full bar, widened so that each bar's text fits.
fn axes(g: &Group, stacked: bool) -> String {
    let mut max = g
        .max
        .or_else(|| g.rows.iter().map(crate::charts::row_total).max())
        .filter(|m| *m > Decimal::ZERO)
        .unwrap_or(Decimal::ONE);
    if !stacked {
        let label_pt = g
            .rows
            .iter()
            .map(|r| half_chars(&r.label))
            .max()
            .unwrap_or(0)
            * 11
            / 2;
        let plot = Decimal::from(WIDTH_PT.saturating_sub(label_pt.min(WIDTH_PT / 2) + 24));
        for r in &g.rows {
            let text =
                Decimal::from(half_chars(&r.text) * 11 / 2 + 8).min(plot * Decimal::new(6, 1));
            let need = crate::charts::row_total(r) * plot / (plot - text);
            max = max.max(need);
        }
    }
    let line = "<c:spPr><a:ln w=\"9525\"><a:solidFill><a:srgbClr val=\"808080\"/></a:solidFill></a:ln></c:spPr>";
    format!(
        "<c:catAx><c:axId val=\"1\"/><c:scaling><c:orientation val=\"maxMin\"/></c:scaling><c:delete val=\"0\"/>\
         <c:axPos val=\"l\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/>\
         <c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>{line}<c:crossAx val=\"2\"/><c:crosses val=\"autoZero\"/>\
         <c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>\
         <c:valAx><c:axId val=\"2\"/><c:scaling><c:orientation val=\"minMax\"/><c:max val=\"{}\"/><c:min val=\"0\"/></c:scaling>\
         <c:delete val=\"1\"/><c:axPos val=\"t\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/>\
         <c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"none\"/>\
         <c:crossAx val=\"1\"/><c:crosses val=\"autoZero\"/><c:crossBetween val=\"between\"/></c:valAx>",
        max.round_dp(4).normalize()
    )
}

/// A fill and a thin outline (light parts stay visible on paper).
fn fill(c: Rgb) -> String {
    format!(
        "<c:spPr><a:solidFill><a:srgbClr val=\"{:02X}{:02X}{:02X}\"/></a:solidFill>\
         <a:ln w=\"6350\"><a:solidFill><a:srgbClr val=\"7F7F7F\"/></a:solidFill></a:ln></c:spPr>",
        c.0, c.1, c.2
    )
}

/// A text's width in half characters: CJK and full-width signs 2, ASCII 1.
pub(crate) fn half_chars(s: &str) -> u32 {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn esc(s: &str) -> String {
    crate::views::escape::xml_text(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{Row, Seg};

    fn chart(groups: Vec<Group>) -> Chart {
        Chart {
            name: "t".into(),
            title: "标题".into(),
            desc: String::new(),
            groups,
            legend: vec![
                ("已完工".into(), Rgb(1, 2, 3)),
                ("在建".into(), Rgb(4, 5, 6)),
            ],
            note: None,
        }
    }

    #[test]
    fn one_part_per_group_with_its_values_and_text() {
        let single = Group {
            heading: Some("扶贫对象（人）".into()),
            max: Some(Decimal::from(100)),
            rows: vec![
                Row::bar("建档立卡", Decimal::from(100), Rgb(9, 9, 9), "100人".into()),
                Row::bar(
                    "已脱贫",
                    Decimal::new(425, 1),
                    Rgb(8, 8, 8),
                    "42.5人 <a&b>".into(),
                ),
            ],
        };
        let stacked = Group {
            heading: None,
            max: None,
            rows: vec![Row {
                label: "产业".into(),
                segs: vec![
                    Seg {
                        value: Decimal::from(3),
                        color: Rgb(1, 2, 3),
                    },
                    Seg {
                        value: Decimal::ZERO,
                        color: Rgb(4, 5, 6),
                    },
                ],
                text: "已完工3个".into(),
                runs: Vec::new(),
            }],
        };
        let p = parts(&chart(vec![single, stacked]));
        assert_eq!(p.len(), 2);
        let (a, b) = (&p[0].xml, &p[1].xml);
        assert!(roxmltree::Document::parse(a).is_ok() && roxmltree::Document::parse(b).is_ok());
        assert!(
            a.contains("<c:v>42.5</c:v>") && a.contains("<a:t>42.5人 &lt;a&amp;b&gt;</a:t>"),
            "{a}"
        );
        assert!(a.contains("clustered") && a.contains("<a:t>扶贫对象（人）</a:t>"));
        // The second bar's own colour; room beyond 100 for the first's text.
        assert!(a.contains("<c:dPt><c:idx val=\"1\"/>") && a.contains("080808"));
        assert!(!a.contains("<c:max val=\"100\"/>"), "{a}");
        assert!(b.contains("stacked") && b.contains("<c:legend>") && b.contains("<c:v>在建</c:v>"));
        // An empty part has no label.
        assert!(b.contains("<c:dLbl><c:idx val=\"0\"/><c:delete val=\"1\"/>"));
        // Height: title and two bars; title, one bar and the legend.
        assert_eq!(p[0].height, (28 + 2 * 17) * PT);
        assert_eq!(p[1].height, (28 + 17 + 18) * PT);
    }
}
