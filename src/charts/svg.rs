//! A compact SVG writer behind plotters' `DrawingBackend`.
//!
//! plotters' own SVG backend writes every attribute on every element: the
//! font stack, size, anchor and colour on each text, an opacity of 1, and a
//! filled box and its outline as two rectangles. The charts draw a few dozen
//! texts and boxes each and are written twice per year (the SVG file and
//! inline in the page), so this writer says the common font, size and
//! colour once on the root element (every text inherits them), writes only
//! what differs from them, and makes a box drawn filled and then outlined
//! one `<rect>` with both a fill and a stroke. It draws the same picture in
//! about half the bytes.

use std::fmt::{self, Write as _};

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle,
};

/// What every text of a chart inherits from the root element.
#[derive(Clone, Copy)]
pub(crate) struct Inherited<'a> {
    pub(crate) family: &'a str,
    pub(crate) px: f64,
    pub(crate) color: (u8, u8, u8),
}

/// Writes the elements of one chart into `out`; the caller writes the root
/// element around them ([`CompactSvg::root`]).
pub(crate) struct CompactSvg<'a> {
    out: &'a mut String,
    size: (u32, u32),
    inherited: Inherited<'a>,
    /// A filled box not yet written: an outline of the same box may follow.
    pending: Option<(Corners, BackendColor)>,
}

type Corners = (BackendCoord, BackendCoord);
type Drawn = Result<(), DrawingErrorKind<fmt::Error>>;

impl<'a> CompactSvg<'a> {
    pub(crate) fn new(out: &'a mut String, size: (u32, u32), inherited: Inherited<'a>) -> Self {
        CompactSvg {
            out,
            size,
            inherited,
            pending: None,
        }
    }

    /// The root element's opening tag, with what its texts inherit and
    /// `attrs` (already escaped) after it.
    pub(crate) fn root(size: (u32, u32), inherited: Inherited<'_>, attrs: &str) -> String {
        let (w, h) = size;
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" font-family=\"{}\" font-size=\"{}\" fill=\"{}\"{attrs}>\n",
            inherited.family,
            inherited.px,
            hex(inherited.color)
        )
    }

    fn flush(&mut self) {
        if let Some(((a, b), fill)) = self.pending.take() {
            self.rect(a, b, Some(fill), None);
        }
    }

    fn rect(
        &mut self,
        (x0, y0): BackendCoord,
        (x1, y1): BackendCoord,
        fill: Option<BackendColor>,
        stroke: Option<(BackendColor, u32)>,
    ) {
        let o = &mut *self.out;
        let _ = write!(
            o,
            "<rect x=\"{x0}\" y=\"{y0}\" width=\"{}\" height=\"{}\" fill=\"{}\"",
            x1 - x0,
            y1 - y0,
            fill.map_or("none".into(), color)
        );
        match stroke {
            Some((c, w)) => {
                let _ = write!(o, " stroke=\"{}\"", color(c));
                stroke_width(o, w);
            }
            None => o.push_str(" stroke=\"none\""),
        }
        opacity(o, fill.or(stroke.map(|s| s.0)));
        o.push_str("/>\n");
    }

    fn points(&mut self, tag: &str, points: impl IntoIterator<Item = BackendCoord>, paint: &str) {
        self.flush();
        let o = &mut *self.out;
        let _ = write!(o, "<{tag} {paint} points=\"");
        for (i, (x, y)) in points.into_iter().enumerate() {
            let sep = if i == 0 { "" } else { " " };
            let _ = write!(o, "{sep}{x},{y}");
        }
        o.push_str("\"/>\n");
    }
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02X}{g:02X}{b:02X}")
}

fn color(c: BackendColor) -> String {
    hex(c.rgb)
}

fn stroke_width(o: &mut String, w: u32) {
    if w != 1 {
        let _ = write!(o, " stroke-width=\"{w}\"");
    }
}

fn opacity(o: &mut String, c: Option<BackendColor>) {
    if let Some(c) = c.filter(|c| c.alpha < 1.0) {
        let _ = write!(o, " opacity=\"{}\"", c.alpha);
    }
}

fn escape_into(o: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
    }
}

impl DrawingBackend for CompactSvg<'_> {
    type ErrorType = fmt::Error;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        self.flush();
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, c: BackendColor) -> Drawn {
        if c.alpha > 0.0 {
            self.flush();
            self.rect(point, (point.0 + 1, point.1 + 1), Some(c), None);
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, s: &S) -> Drawn {
        self.draw_path([from, to], s)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Drawn {
        let c = s.color();
        if c.alpha == 0.0 {
            return Ok(());
        }
        let corners = (upper_left, bottom_right);
        if fill {
            self.flush();
            self.pending = Some((corners, c));
            return Ok(());
        }
        let under = match self.pending.take() {
            Some((p, f)) if p == corners => Some(f),
            other => {
                self.pending = other;
                self.flush();
                None
            }
        };
        self.rect(upper_left, bottom_right, under, Some((c, s.stroke_width())));
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Drawn {
        let c = s.color();
        if c.alpha == 0.0 {
            return Ok(());
        }
        let mut paint = format!("fill=\"none\" stroke=\"{}\"", color(c));
        stroke_width(&mut paint, s.stroke_width());
        opacity(&mut paint, Some(c));
        self.points("polyline", path, &paint);
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Drawn {
        let c = s.color();
        if c.alpha == 0.0 {
            return Ok(());
        }
        let mut paint = format!("fill=\"{}\" stroke=\"none\"", color(c));
        opacity(&mut paint, Some(c));
        self.points("polygon", vert, &paint);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        (x, y): BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Drawn {
        let c = s.color();
        if c.alpha == 0.0 {
            return Ok(());
        }
        self.flush();
        let o = &mut *self.out;
        let _ = write!(o, "<circle cx=\"{x}\" cy=\"{y}\" r=\"{r}\"");
        if fill {
            let _ = write!(o, " fill=\"{}\" stroke=\"none\"", color(c));
        } else {
            let _ = write!(o, " fill=\"none\" stroke=\"{}\"", color(c));
            stroke_width(o, s.stroke_width());
        }
        opacity(o, Some(c));
        o.push_str("/>\n");
        Ok(())
    }

    /// A text anchored at `pos`; its size is the font's size in px (not
    /// plotters' size × 1.24).
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, s: &S, (x, y): BackendCoord) -> Drawn {
        let c = s.color();
        if c.alpha == 0.0 {
            return Ok(());
        }
        self.flush();
        let inherited = self.inherited;
        let o = &mut *self.out;
        let _ = write!(o, "<text x=\"{x}\" y=\"{y}\"");
        match s.anchor().v_pos {
            VPos::Top => o.push_str(" dy=\"0.76em\""),
            VPos::Center => o.push_str(" dy=\"0.5ex\""),
            VPos::Bottom => o.push_str(" dy=\"-0.5ex\""),
        }
        match s.anchor().h_pos {
            HPos::Left => {}
            HPos::Right => o.push_str(" text-anchor=\"end\""),
            HPos::Center => o.push_str(" text-anchor=\"middle\""),
        }
        let family = s.family();
        if family.as_str() != inherited.family {
            o.push_str(" font-family=\"");
            escape_into(o, family.as_str());
            o.push('"');
        }
        if s.size() != inherited.px {
            let _ = write!(o, " font-size=\"{}\"", s.size());
        }
        if c.rgb != inherited.color {
            let _ = write!(o, " fill=\"{}\"", color(c));
        }
        opacity(o, Some(c));
        match s.style() {
            FontStyle::Normal => {}
            FontStyle::Bold => o.push_str(" font-weight=\"bold\""),
            other => {
                let _ = write!(o, " font-style=\"{}\"", other.as_str());
            }
        }
        o.push('>');
        escape_into(o, text);
        o.push_str("</text>\n");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{CompactSvg, Inherited};
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    const INHERITED: Inherited<'static> = Inherited {
        family: "sans-serif",
        px: 12.0,
        color: (0x26, 0x26, 0x26),
    };

    fn drawn(draw: impl Fn(&DrawingArea<CompactSvg<'_>, plotters::coord::Shift>)) -> String {
        let mut out = String::new();
        {
            let area = CompactSvg::new(&mut out, (100, 50), INHERITED).into_drawing_area();
            draw(&area);
            area.present().unwrap();
        }
        out
    }

    #[test]
    fn a_filled_box_and_its_outline_are_one_rect() {
        let svg = drawn(|a| {
            let c = [(1, 2), (11, 12)];
            a.draw(&Rectangle::new(c, RGBColor(0x1f, 0x4e, 0x79).filled()))
                .unwrap();
            a.draw(&Rectangle::new(
                c,
                RGBColor(0x59, 0x59, 0x59).stroke_width(1),
            ))
            .unwrap();
            a.draw(&Rectangle::new([(0, 0), (5, 5)], WHITE.filled()))
                .unwrap();
        });
        assert_eq!(
            svg,
            "<rect x=\"1\" y=\"2\" width=\"10\" height=\"10\" fill=\"#1F4E79\" stroke=\"#595959\"/>\n\
             <rect x=\"0\" y=\"0\" width=\"5\" height=\"5\" fill=\"#FFFFFF\" stroke=\"none\"/>\n"
        );
    }

    #[test]
    fn an_outline_of_another_box_keeps_the_filled_one() {
        let svg = drawn(|a| {
            a.draw(&Rectangle::new([(0, 0), (4, 4)], RED.filled()))
                .unwrap();
            a.draw(&Rectangle::new([(1, 1), (4, 4)], BLUE.stroke_width(2)))
                .unwrap();
        });
        assert_eq!(
            svg,
            "<rect x=\"0\" y=\"0\" width=\"4\" height=\"4\" fill=\"#FF0000\" stroke=\"none\"/>\n\
             <rect x=\"1\" y=\"1\" width=\"3\" height=\"3\" fill=\"none\" stroke=\"#0000FF\" stroke-width=\"2\"/>\n"
        );
    }

    #[test]
    fn a_text_says_only_what_differs_from_the_root() {
        let svg = drawn(|a| {
            let plain = FontDesc::new(FontFamily::Name("sans-serif"), 12.0, FontStyle::Normal)
                .color(&RGBColor(0x26, 0x26, 0x26))
                .pos(Pos::new(HPos::Left, VPos::Center));
            a.draw(&Text::new("1526户<3311人>".to_string(), (5, 6), plain))
                .unwrap();
            let other = FontDesc::new(FontFamily::Name("serif"), 16.0, FontStyle::Bold)
                .color(&RGBColor(0x59, 0x59, 0x59))
                .pos(Pos::new(HPos::Right, VPos::Center));
            a.draw(&Text::new("标题".to_string(), (7, 8), other))
                .unwrap();
        });
        assert_eq!(
            svg,
            "<text x=\"5\" y=\"6\" dy=\"0.5ex\">1526户&lt;3311人&gt;</text>\n\
             <text x=\"7\" y=\"8\" dy=\"0.5ex\" text-anchor=\"end\" font-family=\"serif\" \
             font-size=\"16\" fill=\"#595959\" font-weight=\"bold\">标题</text>\n"
        );
    }

    #[test]
    fn a_path_is_one_polyline() {
        let svg = drawn(|a| {
            a.draw(&PathElement::new(
                vec![(1, 2), (1, 9)],
                RGBColor(0xbf, 0xbf, 0xbf),
            ))
            .unwrap();
        });
        assert_eq!(
            svg,
            "<polyline fill=\"none\" stroke=\"#BFBFBF\" points=\"1,2 1,9\"/>\n"
        );
    }
}
