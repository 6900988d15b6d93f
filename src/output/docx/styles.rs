//! The page and the named styles of the Word file: GB/T 9704-2012's A4
//! with its text block (版心) and 22 × 28 grid computed from the block
//! and the body's size, the styles with their faces, and the font table
//! that tells Word and WPS what each face is and what to use where it is
//! missing.
//!
//! Faces: the styles name the faces every Windows since Vista ships (仿宋,
//! 楷体, 黑体; WPS has them too), not their older GB2312 cuts (仿宋_GB2312,
//! 楷体_GB2312). They are the same 中易 designs, so a 文印室 PC with the
//! GB2312 cuts prints the same shapes, but the shipped faces cover GB18030
//! (镕, 堃, 珺 in names) where the GB2312 cuts fall back to another face
//! mid-line, and a missing face is left to each program's own substitution
//! (Word's, WPS's and LibreOffice's differ). The title's 方正小标宋简体 is
//! the standard's 小标宋 and every 文印室 has it, though Windows does not
//! ship it: its entry names 宋体 as the alternative, with 宋体's charset,
//! so Word falls back to a 宋 face. An office names other faces in
//! office.yaml (`fonts:`); each gets an entry whose alternative is the
//! shipped face of its role.

use crate::model::Fonts;

/// Twips in a millimetre, as a fraction: 1440 per inch of 25.4 mm.
const fn twips(mm: u32) -> u32 {
    // Half up.
    (mm * 14_400 * 2 + 254) / (254 * 2)
}

/// A4.
pub(super) const PAGE: (u32, u32) = (twips(210), twips(297));
/// Margins top, bottom, left, right: 37, 35, 28, 26 mm (5.2.1).
pub(super) const MARGINS: [u32; 4] = [twips(37), twips(35), twips(28), twips(26)];
/// The text block (版心): 156 × 225 mm.
pub(super) const BLOCK: (u32, u32) = (twips(156), twips(225));
/// Lines a page and characters a line (5.2.3).
const LINES: u32 = 22;
const CHARS: u32 = 28;
/// 正文: 3号, 16 pt, in half points (Word's `w:sz`).
pub(super) const BODY_SZ: u32 = 32;
/// A character of 正文 in twips (16 pt): the unit indents are counted in.
pub(super) const CHAR: u32 = BODY_SZ * 10;

/// The line pitch: the block's height shared by 22 lines, rounded down so
/// that 22 fit (579 twips, 28.95 pt).
pub(super) const LINE_PITCH: u32 = BLOCK.1 / LINES;

/// The character pitch's difference from the body's size, in Word's unit
/// (`w:charSpace`: 4096ths of a point): 28 characters in 156 mm is 15.8 pt
/// a character, a little under 三号's 16 pt, so the grid tightens each by
/// about 0.2 pt. Rounded down, so that 28 fit.
pub(super) const fn char_space() -> i64 {
    let spare = BLOCK.0 as i64 - (CHARS * CHAR) as i64; // twips over 28 characters
    (spare * 4096).div_euclid(CHARS as i64 * 20)
}

/// `quarters` of a character on the grid, in twips (indents in twips that
/// match what the grid prints).
pub(super) const fn pitch(quarters: u32) -> u32 {
    quarters * BLOCK.0 / CHARS / 4
}

/// The section's grid: 22 lines of 28 characters.
pub(super) fn doc_grid() -> String {
    format!(
        "<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"{LINE_PITCH}\" w:charSpace=\"{}\"/>",
        char_space()
    )
}

/// A face as Word's font table describes it: its alternative name (what
/// Word looks for when the face is missing), PANOSE, charset, family,
/// pitch and the Unicode and code-page ranges it covers, as Word writes
/// them for the face.
struct Face {
    name: &'static str,
    alt: &'static str,
    panose: &'static str,
    charset: &'static str,
    family: &'static str,
    pitch: &'static str,
    sig: [&'static str; 6],
}

/// GB18030 faces of Windows (usb0…csb1).
const GB18030: [&str; 6] = [
    "800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000",
];
/// GB2312 faces.
const GB2312: [&str; 6] = [
    "00000001", "080E0000", "00000000", "00000000", "00040000", "00000000",
];

const fn cjk(
    name: &'static str,
    alt: &'static str,
    panose: &'static str,
    sig: [&'static str; 6],
) -> Face {
    Face {
        name,
        alt,
        panose,
        charset: "86",
        family: "modern",
        pitch: "fixed",
        sig,
    }
}

/// Every face nianbao names or an office is likely to.
const FACES: &[Face] = &[
    Face {
        name: "Times New Roman",
        alt: "",
        panose: "02020603050405020304",
        charset: "00",
        family: "roman",
        pitch: "variable",
        sig: [
            "E0002EFF", "C000785B", "00000009", "00000000", "400001FF", "FFFF0000",
        ],
    },
    cjk("仿宋", "FangSong", "02010609060101010101", GB18030),
    cjk("楷体", "KaiTi", "02010609060101010101", GB18030),
    cjk("黑体", "SimHei", "02010609060101010101", GB18030),
    Face {
        name: "宋体",
        alt: "SimSun",
        panose: "02010600030101010101",
        charset: "86",
        family: "auto",
        pitch: "variable",
        sig: [
            "00000003", "288F0000", "00000016", "00000000", "00040001", "00000000",
        ],
    },
    cjk("仿宋_GB2312", "仿宋", "02010609030101010101", GB2312),
    cjk("楷体_GB2312", "楷体", "02010609030101010101", GB2312),
    Face {
        name: "方正小标宋简体",
        alt: "宋体",
        panose: "02000000000000000000",
        charset: "86",
        family: "auto",
        pitch: "variable",
        sig: GB2312,
    },
];

/// The faces of a document: the standard's four, or the office's.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Faces {
    /// 仿宋: 正文, 三级 and 四级标题, tables.
    pub(super) fang: String,
    /// 楷体: 二级标题.
    pub(super) kai: String,
    /// 黑体: 一级标题, captions.
    pub(super) hei: String,
    /// 小标宋: the title.
    pub(super) title: String,
}

/// The shipped face of each role, which an office's own face falls back
/// to (the title's: 宋体).
const SHIPPED: [&str; 4] = ["仿宋", "楷体", "黑体", "宋体"];

impl Faces {
    pub(super) fn of(f: &Fonts) -> Faces {
        let or = |o: &Option<String>, d: &str| o.clone().unwrap_or_else(|| d.to_string());
        Faces {
            fang: or(&f.fangsong, SHIPPED[0]),
            kai: or(&f.kaiti, SHIPPED[1]),
            hei: or(&f.heiti, SHIPPED[2]),
            title: or(&f.xiaobiaosong, "方正小标宋简体"),
        }
    }

    /// word/fontTable.xml: every face the styles, footers and charts name,
    /// once each.
    pub(super) fn table(&self) -> String {
        let roles = [&self.fang, &self.kai, &self.hei, &self.title];
        let mut names: Vec<(&str, &str)> = vec![("Times New Roman", "")];
        names.extend(roles.iter().zip(SHIPPED).map(|(n, s)| (n.as_str(), s)));
        names.push(("宋体", "SimSun"));
        let mut x = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
        );
        let mut seen: Vec<&str> = Vec::new();
        for (name, fallback) in names {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            x += &entry(name, fallback);
        }
        x + "</w:fonts>"
    }
}

/// A face's entry: as Word writes it where nianbao knows the face; else
/// its name, the GB2312 charset and the shipped face of its role as the
/// alternative.
fn entry(name: &str, fallback: &str) -> String {
    let known = FACES.iter().find(|f| f.name == name);
    let (alt, panose, charset, family, pitch, sig) = match known {
        Some(f) => (f.alt, f.panose, f.charset, f.family, f.pitch, f.sig),
        None => (fallback, "", "86", "auto", "variable", GB2312),
    };
    let mut x = format!("<w:font w:name=\"{}\">", super::xml(name));
    if !alt.is_empty() && alt != name {
        x += &format!("<w:altName w:val=\"{}\"/>", super::xml(alt));
    }
    if !panose.is_empty() {
        x += &format!("<w:panose1 w:val=\"{panose}\"/>");
    }
    x += &format!(
        "<w:charset w:val=\"{charset}\"/><w:family w:val=\"{family}\"/><w:pitch w:val=\"{pitch}\"/>\
         <w:sig w:usb0=\"{}\" w:usb1=\"{}\" w:usb2=\"{}\" w:usb3=\"{}\" w:csb0=\"{}\" w:csb1=\"{}\"/></w:font>",
        sig[0], sig[1], sig[2], sig[3], sig[4], sig[5]
    );
    x
}

/// A run's faces: East Asian text in `east`, digits and Latin in `latin`.
fn fonts(latin: &str, east: &str) -> String {
    format!(
        "<w:rFonts w:ascii=\"{l}\" w:hAnsi=\"{l}\" w:eastAsia=\"{e}\" w:cs=\"{l}\" w:hint=\"eastAsia\"/>",
        l = super::xml(latin),
        e = super::xml(east)
    )
}

/// word/styles.xml, the named styles: 正文 3号 仿宋 with a two-character
/// first-line indent on exact lines of the grid's pitch (22 to the page);
/// 标题 2号 小标宋 centred; 一级 黑体, 二级 楷体, 三级 仿宋 bold, 四级
/// 仿宋, each with its outline level (Word's navigation pane); 落款 (kept
/// with the date) and 成文日期 right.
pub(super) fn styles(f: &Faces) -> String {
    let body = fonts("Times New Roman", &f.fang);
    let title = fonts(&f.title, &f.title);
    let hei = fonts(&f.hei, &f.hei);
    let kai = fonts(&f.kai, &f.kai);
    let line = LINE_PITCH;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>{body}\
<w:kern w:val=\"2\"/><w:sz w:val=\"{BODY_SZ}\"/><w:szCs w:val=\"{BODY_SZ}\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:line=\"{line}\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:widowControl w:val=\"0\"/><w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"{indent}\"/><w:jc w:val=\"both\"/></w:pPr>\
<w:rPr><w:sz w:val=\"{BODY_SZ}\"/><w:szCs w:val=\"{BODY_SZ}\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"标题\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"700\" w:lineRule=\"exact\" w:after=\"{line}\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"9\"/></w:pPr>\
<w:rPr>{title}<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"一级标题\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>{hei}</w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"二级标题\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr>{kai}</w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"三级标题\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading4\"><w:name w:val=\"四级标题\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:outlineLvl w:val=\"3\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Signature\"><w:name w:val=\"落款\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Date\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"right\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Date\"><w:name w:val=\"成文日期\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"right\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableCaption\"><w:name w:val=\"表题\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:line=\"400\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr>\
<w:rPr>{hei}<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"图题\"/><w:basedOn w:val=\"TableCaption\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"240\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"FigureNote\"><w:name w:val=\"图注\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Caption\"/>\
<w:pPr><w:keepNext/><w:spacing w:line=\"360\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr>\
<w:rPr><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Figure\"><w:name w:val=\"图\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Caption\"/>\
<w:pPr><w:keepNext/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"表格文字\"/><w:basedOn w:val=\"Normal\"/>\
<w:pPr><w:spacing w:line=\"360\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"left\"/></w:pPr>\
<w:rPr><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"Table\"><w:name w:val=\"表格\"/>\
<w:tblPr><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>",
        indent = 2 * CHAR,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page in twips as Word's own 公文 templates have it, and the
    /// grid: 22 lines, 28 characters.
    #[test]
    fn page_and_grid_from_the_block() {
        assert_eq!(PAGE, (11906, 16838));
        assert_eq!(MARGINS, [2098, 1984, 1587, 1474]);
        assert_eq!(BLOCK, (8844, 12756));
        assert_eq!(LINE_PITCH, 579);
        assert!(LINE_PITCH * LINES <= BLOCK.1 && (LINE_PITCH + 1) * LINES > BLOCK.1);
        // The character pitch Word derives from charSpace (in 4096ths of
        // a twip here) fits 28 characters, not 29, within a twip.
        let advance = i64::from(CHAR) * 4096 + char_space() * 20;
        let block = i64::from(BLOCK.0) * 4096;
        assert!(
            28 * advance <= block && 28 * advance > block - 4096,
            "{advance}"
        );
        assert_eq!(char_space(), -849);
        assert_eq!(pitch(8), 631);
    }

    #[test]
    fn the_font_table_names_each_face_once_with_its_alternative() {
        let t = Faces::of(&Fonts::default()).table();
        assert_eq!(t.matches("w:name=\"仿宋\"").count(), 1);
        assert!(t.contains("<w:font w:name=\"仿宋\"><w:altName w:val=\"FangSong\"/>"));
        assert!(t.contains("<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"宋体\"/>"));
        let own = Fonts {
            fangsong: Some("方正仿宋_GBK".into()),
            kaiti: Some("楷体_GB2312".into()),
            ..Fonts::default()
        };
        let t = Faces::of(&own).table();
        assert!(
            t.contains("<w:font w:name=\"方正仿宋_GBK\"><w:altName w:val=\"仿宋\"/><w:charset")
        );
        assert!(t.contains("<w:font w:name=\"楷体_GB2312\"><w:altName w:val=\"楷体\"/>"));
        assert!(!t.contains("w:name=\"仿宋\""));
    }
}
