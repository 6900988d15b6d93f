//! The office's prose (Markdown) as Word blocks: a paragraph of 正文 each,
//! headings in it as 三级标题, list items with their marks, bold runs, and
//! its own tables as Word tables.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::Run;
use crate::views::{Cell, Table};

/// A block: its style and its runs.
pub(super) type Block = (&'static str, Vec<Run<'static>>);

/// The blocks of a Markdown text.
pub(super) fn md_blocks(md: &str) -> Vec<Block> {
    let mut b = Blocks::default();
    for ev in Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES) {
        match ev {
            Event::Start(tag) => b.start(tag),
            Event::End(tag) => b.end(tag),
            Event::Text(t) | Event::Code(t) => b.text(t.into_string()),
            _ => {}
        }
    }
    b.flush();
    b.out
}

/// The blocks so far, the one being filled, and where in the text we are.
#[derive(Default)]
struct Blocks {
    out: Vec<Block>,
    cur: Option<Block>,
    /// Depth of `**…**`.
    bold: u32,
    /// Open lists: the next number of an ordered one, `None` for bullets.
    lists: Vec<Option<u64>>,
}

impl Blocks {
    /// The block being filled, when it has anything, onto the list.
    fn flush(&mut self) {
        if let Some(c) = self.cur.take().filter(|(_, r)| !r.is_empty()) {
            self.out.push(c);
        }
    }

    fn open(&mut self, style: &'static str, runs: Vec<Run<'static>>) {
        self.flush();
        self.cur = Some((style, runs));
    }

    /// A run onto the block being filled (a cell of a table: a bold run
    /// opens one, a plain empty one ends a row; see `own_table`).
    fn push(&mut self, text: &str, bold: bool) {
        if let Some(c) = self.cur.as_mut() {
            c.1.push(Run {
                text: text.to_string().into(),
                bold,
            });
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph if self.cur.is_none() => self.cur = Some(("正文", Vec::new())),
            Tag::Heading { .. } => self.open("三级标题", Vec::new()),
            Tag::List(start) => {
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => {
                let mark = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "·".to_string(),
                };
                let mark = Run {
                    text: mark.into(),
                    bold: false,
                };
                self.open("正文", vec![mark]);
            }
            Tag::Strong => self.bold += 1,
            Tag::Table(_) => self.open("表格", Vec::new()),
            Tag::TableCell => self.push("", true),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::Table => self.flush(),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::TableRow | TagEnd::TableHead => self.push("", false),
            _ => {}
        }
    }

    fn text(&mut self, t: String) {
        let bold = self.bold > 0;
        let c = self.cur.get_or_insert(("正文", Vec::new()));
        if c.0 == "表格" {
            // Into the cell opened last.
            if let Some(cell) = c.1.last_mut() {
                cell.text = format!("{}{t}", cell.text).into();
            }
        } else {
            c.1.push(Run {
                text: t.into(),
                bold,
            });
        }
    }
}

/// A table of the office's text from its block of runs: a bold run opens
/// a cell, a plain empty one ends a row; the first row is the header.
pub(super) fn own_table(runs: &[Run]) -> Table {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    for r in runs {
        if r.bold {
            row.push(r.text.to_string());
        } else {
            rows.push(std::mem::take(&mut row));
        }
    }
    let mut rows = rows.into_iter().filter(|r| !r.is_empty());
    let head = rows.next().unwrap_or_default();
    let rows: Vec<Vec<String>> = rows.collect();
    let num = (0..head.len())
        .map(|i| {
            rows.iter().all(|r| {
                r.get(i)
                    .is_some_and(|c| c.chars().next().is_some_and(|ch| ch.is_ascii_digit()))
            })
        })
        .collect();
    Table {
        caption: String::new(),
        head,
        rows: rows
            .into_iter()
            .map(|r| r.into_iter().map(Cell::from).collect())
            .collect(),
        num,
        printed: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table in the office's text becomes a Word table of its cells.
    #[test]
    fn tables_in_the_text() {
        let b = md_blocks(
            "前言。\n\n| 学校 | 人数 |\n| --- | ---: |\n| 马寨小学 | 239 |\n| 剡河 | 45 |\n\n后记。",
        );
        assert_eq!(
            b.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            ["正文", "表格", "正文"]
        );
        let t = own_table(&b[1].1);
        assert_eq!(t.head, ["学校", "人数"]);
        assert_eq!(t.rows, [["马寨小学", "239"], ["剡河", "45"]]);
        assert_eq!(t.num, [false, true]);
    }

    #[test]
    fn markdown_paragraphs_and_bold() {
        let b = md_blocks("第一段**加粗**。\n\n第二段\n\n1. 甲\n2. 乙\n\n- 丙");
        assert_eq!(b.len(), 5);
        assert!(b[0].1.iter().any(|r| r.bold && r.text == "加粗"));
        assert_eq!(b[2].1[0].text, "1.");
        assert_eq!(b[3].1[0].text, "2.");
        assert_eq!(b[4].1[0].text, "·");
        assert_eq!(b[4].1[1].text, "丙");
    }
}
