//! Checks of the office's prose: its citations (syntax, and names the
//! year's table has), numbers left out ("项目个，投资资金万元"), sentences
//! said twice, and nesting deep enough to cost a parser its time; and each
//! text read into a [`Prose`] that knows where in its file it stands.

use std::path::Path;

use crate::diag::{Diagnostic, Pos, Rule, did_you_mean};
use crate::model::Prose;
use crate::model::cite::CiteTable;
use crate::model::prose::{Cursor, tokens};
use crate::model::raw::Text;
use crate::validate::Checker;

/// Every problem with the citations of `prose`: syntax, and names the
/// table does not have (unless `skip` says the name is missing for a
/// reason already reported).
pub(crate) fn check_citations(
    prose: &Prose,
    cite: &CiteTable,
    skip: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let text = &prose.text;
    let syntax_hint = "引用指标请写成 {{ f[\"指标名\"] }}，引号用半角；文字中不能使用其他模板语法";
    let mut errors = Vec::new();
    // Suggestions per unknown name, and the position reached so far: a text
    // with thousands of bad citations costs what its length costs.
    let mut hints: std::collections::HashMap<&str, String> = Default::default();
    let mut at = Cursor::default();
    for t in tokens(text) {
        let (rule, msg, hint) = match t.key {
            Ok(key) if cite.renamed(key).is_some() => {
                let new = cite.renamed(key).unwrap_or_default();
                let (line, col) = at.advance(text, t.at);
                errors.push(
                    Diagnostic::warning(
                        Rule::FormatOld,
                        format!("名称“{key}”已改为“{new}”（旧写法仍可用，印出的数相同）"),
                    )
                    .at(&prose.file, prose.map(line, col))
                    .rewrite(key, new)
                    .hint(format!(
                        "改为 {{{{ f[\"{new}\"] }}}}；nianbao migrate 一次改好全部旧写法"
                    )),
                );
                continue;
            }
            Ok(key) if cite.lookup(key).is_some() || skip(key) => continue,
            Ok(key) => {
                let hint = hints
                    .entry(key)
                    .or_insert_with(|| match did_you_mean(key, cite.keys()) {
                        Some(best) => format!(
                            "是否想引用“{best}”？指标名须与数据中的 label 或内置指标名完全一致（nianbao names 列出全部名称）"
                        ),
                        None => "指标名须与数据中的 label 或内置指标名完全一致（nianbao names 列出全部名称）".into(),
                    })
                    .clone();
                (
                    Rule::CitationUnknown,
                    format!("引用的指标“{key}”不存在"),
                    hint,
                )
            }
            Err((rule, msg)) => (rule, msg, syntax_hint.to_string()),
        };
        let (line, col) = at.advance(text, t.at);
        errors.push(
            Diagnostic::error(rule, msg)
                .at(&prose.file, prose.map(line, col))
                .hint(hint),
        );
    }
    errors
}

/// Every number left out of `prose` (see [`blanks`]), as findings.
pub(crate) fn check_blanks(prose: &Prose) -> Vec<Diagnostic> {
    let mut at = Cursor::default();
    blanks(&prose.text)
        .into_iter()
        .map(|b| {
            let (line, col) = at.advance(&prose.text, b.at);
            Diagnostic::error(
                Rule::TextBlank,
                format!("“{}”：“{}”前面没有数字，像是漏填了", b.context, b.unit),
            )
            .at(&prose.file, prose.map(line, col))
            .hint("填上数字，或引用算出的数：{{ f[\"指标名\"] }}（nianbao names 列出全部名称）")
        })
        .collect()
}

/// Sentences the year's texts say a second time (at least 15 characters,
/// as written): a warning at the repeat, naming where it was said first.
/// The document prints the office's words as they are; `check` points out
/// what a reader would find said twice.
pub(crate) fn check_repeated(proses: &[&Prose]) -> Vec<Diagnostic> {
    let mut first: rustc_hash::FxHashMap<&str, (&Prose, u32)> = Default::default();
    let mut out = Vec::new();
    for prose in proses {
        let text = prose.text.as_str();
        let mut at = Cursor::default();
        let mut start = 0;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), '。')))
        {
            if !matches!(c, '。' | '！' | '？' | '；' | '\n') {
                continue;
            }
            let raw = &text[start..i];
            let lead = raw.len() - raw.trim_start().len();
            let sentence = raw.trim();
            let begin = start + lead;
            start = i + c.len_utf8();
            if sentence.chars().count() < 15 || sentence.contains("{{") {
                continue;
            }
            let (line, col) = at.advance(text, begin);
            let pos = prose.map(line, col);
            match first.get(sentence) {
                Some((p, l)) => out.push(
                    Diagnostic::warning(
                        Rule::TextRepeated,
                        format!(
                            "这句话前面已经说过（{}第 {l} 行）：“{}”",
                            if p.file == prose.file {
                                String::new()
                            } else {
                                p.file
                                    .file_name()
                                    .map(|n| format!("{} ", n.to_string_lossy()))
                                    .unwrap_or_default()
                            },
                            sentence.chars().take(30).collect::<String>()
                        ),
                    )
                    .at(&prose.file, pos)
                    .hint("同一句话在文档中出现两次；删去一处，或改写"),
                ),
                None => {
                    first.insert(sentence, (prose, pos.line));
                }
            }
        }
    }
    out
}

/// The deepest nesting of block quotes and lists the prose may have: real
/// reports use two or three levels, and a parser (or a sanitizer) given
/// thousands takes time that grows with the square of them.
const MAX_NESTING: usize = 16;

/// The deepest nesting of block quotes (`>`) and lists in a text, and the
/// 1-based line where it is reached: markers at the start of a line, and
/// indentation (four columns a level, tabs as four).
fn nesting(text: &str) -> (usize, u32) {
    let mut deepest = (0, 0);
    for (i, line) in text.lines().enumerate() {
        let mut depth = 0;
        let mut indent = 0;
        let mut rest = line;
        loop {
            let trimmed = rest.trim_start_matches([' ', '\t']);
            indent += rest[..rest.len() - trimmed.len()]
                .chars()
                .map(|c| if c == '\t' { 4 } else { 1 })
                .sum::<usize>();
            rest = trimmed;
            let marker = if rest.starts_with('>') {
                Some(1)
            } else if rest.starts_with(['-', '*', '+']) && rest[1..].starts_with([' ', '\t']) {
                Some(2)
            } else {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                (digits > 0 && rest[digits..].starts_with(['.', ')'])).then_some(digits + 1)
            };
            match marker {
                Some(len) => {
                    depth += 1;
                    rest = &rest[len..];
                }
                None => break,
            }
        }
        let depth = depth.max(indent / 4);
        if depth > deepest.0 {
            deepest = (depth, i as u32 + 1);
        }
    }
    deepest
}

/// A number left out of a sentence, as published documents show them:
/// "项目个，投资资金万元", "占比例%", "达户人". Where in the text, and the
/// words around it.
struct Blank {
    at: usize,
    unit: &'static str,
    context: String,
}

/// Units a number must come before; `clause_end`: only at the end of a
/// clause, where the word is a measure word and not part of another word
/// (个人, 每个贫困村 are fine; 项目个， is not).
const BLANK_UNITS: [(&str, bool); 11] = [
    ("万元", false),
    ("萬元", false),
    ("亿元", false),
    ("億元", false),
    ("人次", false),
    ("%", false),
    ("％", false),
    ("个", true),
    ("個", true),
    ("户人", true),
    ("戶人", true),
];

/// Whether a character can end a number (or what stands for one): digits,
/// Chinese numerals and approximations (数万元, 上万元), the `x` of a text
/// made anonymous, and the end of a citation, which brings its number.
fn ends_number(c: char) -> bool {
    c.is_ascii_digit()
        || c.is_numeric()
        || "零〇一二三四五六七八九十百千万萬亿億两兩几幾多余餘数數上近逾过過超约約xX}.．"
            .contains(c)
}

/// Every unit or measure word in `text` with no number before it.
fn blanks(text: &str) -> Vec<Blank> {
    let mut out = Vec::new();
    // A citation's name may end in a unit (主题教育培训宣传人次): the
    // citation brings its number.
    let citations: Vec<(usize, usize)> = tokens(text).iter().map(|t| (t.at, t.end)).collect();
    let cited = |at: usize| citations.iter().any(|&(from, to)| from <= at && at < to);
    for (unit, clause_end) in BLANK_UNITS {
        // memchr's search, not `match_indices`: a two- or three-byte unit
        // in Chinese text was 1.5 % of a full build through the latter.
        for at in memchr::memmem::find_iter(text.as_bytes(), unit.as_bytes()) {
            if cited(at) {
                continue;
            }
            let before = text[..at].trim_end_matches([' ', '\u{3000}']);
            let after = text[at + unit.len()..].chars().next();
            let numbered = before.chars().next_back().is_none_or(ends_number);
            let word_goes_on = match after {
                // 万元户 is a household, not an amount.
                Some('户' | '戶') => true,
                // `{% … %}`: template syntax, reported as such.
                Some('}') => true,
                _ if before.ends_with('{') => true,
                Some(c) if clause_end => !"，,。；;、：:）)".contains(c),
                _ => false,
            };
            if numbered || word_goes_on || (clause_end && after.is_none()) {
                continue;
            }
            // A few characters back, not past the clause before.
            let from = before.char_indices().rev().nth(5).map_or(0, |(i, _)| i);
            let from = before[from..]
                .rfind(['，', ',', '。', '；', ';', '、', '：', ':'])
                .map_or(from, |i| {
                    let p = from + i;
                    p + before[p..].chars().next().map_or(0, char::len_utf8)
                });
            out.push(Blank {
                at,
                unit,
                context: text[from..at + unit.len()].to_string(),
            });
        }
    }
    out.sort_by_key(|b| b.at);
    out
}

impl Checker<'_> {
    pub(crate) fn prose(&mut self, file: &Path, t: &Text) -> Prose {
        let mut first = t.at;
        let mut block = false;
        let mut indent = 0;
        if self.sources.get(file).is_some() {
            // The line and those after it, by the sources' index of line
            // starts (not counted from the top for every text).
            let at = t.at.line.max(1);
            let line = self.sources.line(file, at).unwrap_or("");
            let mut lines = (at + 1..).map_while(|l| self.sources.line(file, l));
            let col0 = t.at.col.saturating_sub(1) as usize;
            let before: String = line.chars().take(col0).collect();
            let rest: String = line.chars().skip(col0).collect();
            if rest.starts_with('|') || rest.starts_with('>') {
                // Span at the block indicator: content starts on the next line.
                block = true;
                let next = lines.find(|l| !l.trim().is_empty()).unwrap_or("");
                indent = (next.len() - next.trim_start().len()) as u32;
                first = Pos {
                    line: t.at.line + 1,
                    col: indent + 1,
                };
            } else if before.trim().is_empty() && t.s.contains('\n') {
                // Span at the first content line of a block scalar.
                block = true;
                indent = col0 as u32;
            } else if rest.starts_with('"') || rest.starts_with('\'') {
                first.col += 1;
            }
        }
        let mut prose = Prose {
            text: t.s.clone(),
            file: file.to_path_buf(),
            first,
            block,
            indent,
        };
        let (depth, line) = nesting(&prose.text);
        if depth > MAX_NESTING {
            self.push(
                Diagnostic::error(
                    Rule::TextNesting,
                    format!(
                        "文字中引用（>）或列表嵌套了 {depth} 层，超过上限 {} 层",
                        MAX_NESTING
                    ),
                )
                .at(file, prose.map(line, 1))
                .hint("正文用不到这么深的层次；删掉多余的“>”或列表符号"),
            );
            prose.text.clear();
        }
        prose
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;
    use crate::model::cite::{Builtin, Name};

    fn prose(text: &str) -> Prose {
        Prose {
            text: text.into(),
            file: "x.yaml".into(),
            first: Pos { line: 10, col: 5 },
            block: true,
            indent: 4,
        }
    }

    fn cite() -> CiteTable {
        let mut t = CiteTable::new(crate::model::Labels::default());
        t.put(Name::Builtin(Builtin::Remaining), "724户1595人".into());
        t
    }

    fn check(text: &str) -> Vec<Diagnostic> {
        check_citations(&prose(text), &cite(), &|_| false)
    }

    #[test]
    fn missing_citation_names_line_and_key() {
        let errs = check("第一行\n尚有{{ f[\"未脱贫人口\"] }}");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].message, "引用的指标“未脱贫人口”不存在");
        assert_eq!(errs[0].pos, Pos { line: 11, col: 7 });
        assert!(errs[0].hint.as_deref().unwrap().contains("未脱贫"));
    }

    #[test]
    fn rejects_other_template_syntax() {
        for bad in [
            "{% for x in y %}",
            "{{ f[“未脱贫”] }}",
            "{{ nope }}",
            "{{ f[\"未脱贫\"]",
        ] {
            assert_eq!(check(bad).len(), 1, "{bad}");
        }
    }

    #[test]
    fn blanks_are_units_without_numbers() {
        let found = |t: &str| {
            blanks(t)
                .iter()
                .map(|b| b.context.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            found("实施项目个，投资资金万元。"),
            ["实施项目个", "投资资金万元"]
        );
        assert_eq!(
            found("貧困人口達戶人。占比例%，共人次。"),
            ["貧困人口達戶人", "占比例%", "共人次"]
        );
        assert!(found("实施项目12个，投资资金300万元，占52.2%，培训2.4万人次。").is_empty());
        assert!(found("个人负担、每个贫困村、万元户、脱贫户人均收入、贫困户人口。").is_empty());
        assert!(found("投入x万元，完成{{ f[\"项目个数\"] }}，宣传牌300 个，数万元。").is_empty());
        // A cited name that ends in a unit brings its number (issue 26).
        assert!(
            found("开展宣传{{ f[\"主题教育培训宣传人次\"] }}，资金{{ f[\"衔接资金万元\"] }}。")
                .is_empty()
        );
        assert_eq!(found("{{ f[\"培训人次\"] }}，共人次。"), ["共人次"]);
    }

    /// The five seeds are real published documents: the lint finds the
    /// blanks seeds 003 and 004 were published with, and nothing in the
    /// others.
    #[test]
    fn blanks_in_the_seeds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: no ../shared/seeds");
            return;
        };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        let counts: Vec<(String, usize)> = files
            .iter()
            .map(|f| {
                let text = std::fs::read_to_string(f).unwrap();
                let name = f.file_name().unwrap().to_string_lossy()[..3].to_string();
                (name, blanks(&text).len())
            })
            .collect();
        if std::env::var_os("NIANBAO_SHOW_BLANKS").is_some() {
            for f in &files {
                for b in blanks(&std::fs::read_to_string(f).unwrap()) {
                    eprintln!("{}: {}", f.display(), b.context);
                }
            }
        }
        let count = |seed: &str| counts.iter().find(|(n, _)| n == seed).map_or(0, |c| c.1);
        assert_eq!(count("000"), 0, "{counts:?}");
        assert_eq!(count("001"), 0, "{counts:?}");
        assert_eq!(count("002"), 0, "{counts:?}");
        assert!(count("003") >= 30, "{counts:?}");
        assert!(count("004") >= 15, "{counts:?}");
    }

    #[test]
    fn nesting_counts_quotes_lists_and_indentation() {
        assert_eq!(nesting("一段文字。\n第二行"), (0, 0));
        assert_eq!(nesting("> 引用\n> > 再引用"), (2, 2));
        assert_eq!(nesting("- 一\n  - 二\n    - 三"), (1, 1));
        assert_eq!(nesting("- - - - 四层"), (4, 1));
        assert_eq!(nesting(&">".repeat(100_000)), (100_000, 1));
        assert_eq!(nesting("1. 一\n2) 二"), (1, 1));
        assert_eq!(nesting("                x"), (4, 1));
    }
}
