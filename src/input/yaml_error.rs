//! What went wrong in a YAML file, in Chinese: the parser's and the typed
//! parse's errors sorted by their kind ([`Problem::of`]), and each kind's
//! message and advice made here and only here ([`Problem::text`]).
//!
//! The errors are told apart by serde-saphyr's variants and, for the
//! scanner beneath it, granit-parser's [`ErrorKind`], never by their
//! English text. Where a variant carries only a word of the library's
//! (`Unexpected::expected`, a `&'static str` naming the event it wanted),
//! that word is compared whole.

use granit_parser::ErrorKind;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::localizer::ExternalMessageSource;

use super::yaml::{MAX_DEPTH, MAX_EVENTS, MAX_NODES};
use crate::diag::{Rule, did_you_mean};

/// A kind of error in a YAML file, with what nianbao says of it.
#[derive(Debug, PartialEq)]
pub(super) enum Problem {
    UnknownKey {
        key: String,
        expected: Vec<&'static str>,
    },
    MissingKey(&'static str),
    /// A key twice in one mapping (its name, when it is a plain one).
    DuplicateKey(Option<String>),
    /// nianbao's own message from the typed parse (a number, a village
    /// list: `model::raw`), already in Chinese.
    Own(String),
    /// nianbao's own message about a hidden control character.
    ControlChar(String),
    /// A value of the wrong kind for a type of `model::raw` that says
    /// itself what it takes (in Chinese).
    Expected(String),
    NotScalar,
    NotList,
    NotMap,
    Limit(Limit),
    Alias,
    Tab,
    MappingHere,
    KeyMisaligned,
    ListMisaligned,
    ListHere,
    MissingValue,
    UnclosedQuote,
    BadQuoted,
    /// A flow collection (`[…]`, `{…}`) left open or broken.
    FlowUnclosed,
    /// A bracket that is never closed.
    BracketUnclosed,
    Truncated,
    Indentation,
    Documents,
    Directive,
    Tag,
    Encoding,
    BadChar,
    /// Anything else: a general message.
    Syntax,
}

/// Which safety limit of the parser a file broke (see [`super::yaml`]).
#[derive(Debug, PartialEq)]
pub(super) enum Limit {
    Depth,
    Nodes,
    Events,
    /// Aliases, anchors and the rest of the budget.
    Aliases,
}

impl Problem {
    /// The kind of a serde-saphyr error.
    pub(super) fn of(e: &serde_saphyr::Error) -> Problem {
        use serde_saphyr::Error as E;
        match e.without_snippet() {
            E::AliasError { error, .. } => Problem::of(error),
            E::ExternalMessage { source, .. } => match source.as_ref() {
                ExternalMessageSource::Parser(scan) => Problem::of_scan(scan.kind()),
                _ => Problem::Syntax,
            },
            E::Message { msg, .. } => Problem::own(&printable(msg)),
            E::SerdeUnknownField {
                field, expected, ..
            } => Problem::UnknownKey {
                key: printable(field),
                expected: expected.clone(),
            },
            E::SerdeMissingField { field, .. } => Problem::MissingKey(field),
            E::DuplicateMappingKey { key, .. } => {
                Problem::DuplicateKey(key.as_deref().map(printable))
            }
            E::SerdeInvalidType { expected, .. }
            | E::SerdeInvalidValue { expected, .. }
            | E::SerdeInvalidLength { expected, .. } => Problem::expected(expected),
            E::Unexpected { expected, .. } => Problem::unexpected(expected),
            E::UnexpectedSequenceEnd { .. } => Problem::NotList,
            E::UnexpectedMappingEnd { .. } => Problem::NotMap,
            E::Budget { breach, .. } => Problem::Limit(match breach {
                BudgetBreach::Depth { .. } => Limit::Depth,
                BudgetBreach::Nodes { .. } => Limit::Nodes,
                BudgetBreach::Events { .. } => Limit::Events,
                _ => Limit::Aliases,
            }),
            E::UnknownAnchor { .. }
            | E::AliasReplayCounterOverflow { .. }
            | E::AliasReplayLimitExceeded { .. }
            | E::AliasExpansionLimitExceeded { .. }
            | E::AliasReplayStackDepthExceeded { .. } => Problem::Alias,
            E::Eof { .. } => Problem::Truncated,
            E::MultipleDocuments { .. } => Problem::Documents,
            E::TaggedScalarCannotDeserializeIntoString { .. }
            | E::UnsupportedTag { .. }
            | E::TaggedStructFieldName { .. }
            | E::BytesNotSupportedMissingBinaryTag { .. }
            | E::BinaryNotUtf8 { .. } => Problem::Tag,
            E::InvalidUtf8Input => Problem::Encoding,
            _ => Problem::Syntax,
        }
    }

    /// A custom message of the typed parse, which serde carries as text
    /// only (`de::Error::custom`). nianbao's own (`model::raw`) are Chinese,
    /// the one about a control character known by its opening words (ours,
    /// not a library's); serde-saphyr's few are English, about its internal
    /// states, and get the general message.
    fn own(msg: &str) -> Problem {
        if msg.starts_with("文字中有控制字符") {
            Problem::ControlChar(msg.to_string())
        } else if msg.is_ascii() {
            Problem::Syntax
        } else {
            Problem::Own(msg.to_string())
        }
    }

    /// A value a visitor does not take: `expected` is the visitor's own
    /// words, Chinese for nianbao's types (`model::raw`), English for
    /// serde's.
    fn expected(expected: &str) -> Problem {
        if expected.is_ascii() {
            Problem::Syntax
        } else {
            Problem::Expected(printable(expected))
        }
    }

    /// serde-saphyr's `Error::Unexpected`: the event it wanted, named by a
    /// fixed word of its own (de/deserializer.rs, de/events.rs).
    fn unexpected(expected: &str) -> Problem {
        match expected {
            "string scalar" => Problem::NotScalar,
            "sequence start" => Problem::NotList,
            "mapping start" | "mapping end" => Problem::NotMap,
            "tagged node" => Problem::Tag,
            _ => Problem::Syntax,
        }
    }

    /// The kind of a scanner error.
    fn of_scan(kind: &ErrorKind) -> Problem {
        Problem::layout(kind)
            .or_else(|| Problem::token(kind))
            .unwrap_or(Problem::Syntax)
    }

    /// Scanner errors about the layout: documents, indentation, keys,
    /// lists and brackets.
    fn layout(kind: &ErrorKind) -> Option<Problem> {
        use ErrorKind as K;
        Some(match kind {
            K::UnexpectedEofFlowSequence
            | K::UnexpectedEofFlowMapping
            | K::UnexpectedEofImplicitFlowMapping
            | K::ExpectedFlowMappingSeparator
            | K::ExpectedFlowSequenceSeparator
            | K::FlowMappingValueAdjacentCollection => Problem::FlowUnclosed,
            K::UnclosedFlowCollection { .. } => Problem::BracketUnclosed,
            K::UnexpectedEofBlockSequence | K::UnexpectedEofBlockMapping | K::UnexpectedEof => {
                Problem::Truncated
            }
            K::DuplicateTagDirective
            | K::ExpectedDocumentStart
            | K::MissingDocumentEndBeforeDirective
            | K::MultipleDocumentsUnsupported
            | K::InvalidDocumentEnd
            | K::BomInsideDocument => Problem::Documents,
            K::AnchorCountOverflow | K::UnknownAnchor | K::MissingAnchorOrAliasName => {
                Problem::Alias
            }
            K::ExpectedNodeContent => Problem::MissingValue,
            K::ExpectedBlockMappingKey => Problem::KeyMisaligned,
            K::ExpectedBlockSequenceEntry => Problem::ListMisaligned,
            K::BlockSequenceEntryNotAllowed => Problem::ListHere,
            K::MappingKeyNotAllowed | K::MappingValueNotAllowed => Problem::MappingHere,
            K::InvalidIndentation | K::InvalidFlowScalarIndent => Problem::Indentation,
            _ => return None,
        })
    }

    /// Scanner errors about a token: tabs, quotes, tags, directives and
    /// stray characters.
    fn token(kind: &ErrorKind) -> Option<Problem> {
        use ErrorKind as K;
        Some(match kind {
            K::TabNotAllowed
            | K::TabInBlockIndentation
            | K::TabAtBlockScalarStart
            | K::TabInIndentation
            | K::TabInPlainScalar => Problem::Tab,
            K::UnclosedQuotedScalar => Problem::UnclosedQuote,
            K::DocumentIndicatorInQuotedScalar
            | K::InvalidQuotedScalarIndent
            | K::InvalidTrailingSingleQuotedScalar
            | K::InvalidTrailingDoubleQuotedScalar
            | K::UnknownQuotedScalarEscape
            | K::InvalidQuotedScalarHexEscape
            | K::InvalidLowSurrogateHexEscape
            | K::InvalidLowSurrogate
            | K::MissingLowSurrogate
            | K::UnpairedLowSurrogate
            | K::InvalidUnicodeEscape => Problem::BadQuoted,
            K::ExpectedTagBang
            | K::InvalidGlobalTagCharacter
            | K::InvalidTagDirectiveTerminator
            | K::InvalidTagTerminator
            | K::MissingTagUri
            | K::UnclosedVerbatimTag
            | K::InvalidTagEscape
            | K::InvalidTagUtf8LeadingByte
            | K::InvalidTagUtf8TrailingByte
            | K::InvalidTagUtf8 => Problem::Tag,
            K::DuplicateVersionDirective
            | K::ExpectedTagDirectiveBang
            | K::InvalidDirectiveTerminator
            | K::DirectiveDisallowed
            | K::MissingYamlVersionSeparator
            | K::MissingDirectiveName
            | K::InvalidDirectiveName
            | K::DirectiveByteLimitExceeded { .. }
            | K::TooManyReservedDirectiveParams { .. }
            | K::YamlVersionTooLong
            | K::MissingYamlVersion => Problem::Directive,
            K::UnexpectedCharacter { .. } => Problem::BadChar,
            _ => return None,
        })
    }

    /// The rule, the message and the advice: every word nianbao says of a
    /// broken YAML file.
    pub(super) fn text(&self) -> (Rule, String, Option<String>) {
        match self {
            Problem::UnknownKey { key, expected } => (
                Rule::YamlKey,
                format!("未知的键“{key}”"),
                Some(keys_hint(key, expected)),
            ),
            Problem::MissingKey(key) => (
                Rule::YamlKey,
                format!("缺少必填的键“{key}”"),
                Some(format!("请补上“{key}： …”")),
            ),
            Problem::DuplicateKey(key) => (
                Rule::YamlKey,
                match key {
                    Some(key) => format!("键“{key}”重复出现"),
                    None => "有键重复出现".to_string(),
                },
                Some("同一层级的键只能出现一次：删除或合并重复的一项".into()),
            ),
            Problem::Own(msg) => (Rule::Number, msg.clone(), None),
            Problem::Expected(what) => (Rule::Number, format!("此处应为{what}"), None),
            Problem::ControlChar(msg) => (
                Rule::TextControl,
                msg.clone(),
                Some("删掉这个看不见的字符（多半是从别处复制来的，或双引号里的 \\ 转义）；文字中只能有换行和制表符这两种控制字符".into()),
            ),
            Problem::Limit(limit) => limit.text(),
            _ => {
                let (rule, message, hint) = self.fixed();
                (rule, message.into(), Some(hint.into()))
            }
        }
    }

    /// The message and advice of a kind that names nothing of the file.
    fn fixed(&self) -> (Rule, &'static str, &'static str) {
        use Rule::{YamlLimit, YamlSyntax, YamlType};
        let quotes = "检查上一处引号：成对的 \"…\" 或 '…' 应在同一个值里闭合";
        let keys = "多半是这一行缩进多了，或上一行的值里有未加引号的冒号";
        match self {
            Problem::NotScalar => (
                YamlType,
                "此处应为单个值（文字、数字或日期），实际是列表或映射",
                "检查缩进和冒号：一个键只对应一个值",
            ),
            Problem::NotList => (
                YamlType,
                "此处应为列表",
                "列表的每一项以“- ”开头，或写成 [a， b]",
            ),
            Problem::NotMap => (
                YamlType,
                "此处应为映射（若干“键： 值”）",
                "例如 {households: 384, persons: 800}",
            ),
            Problem::Alias => (
                YamlLimit,
                "别名（&/*）使用有误或过多",
                "数据文件不需要 YAML 别名；请展开写出",
            ),
            Problem::Tab => (
                YamlSyntax,
                "缩进里有 Tab 字符",
                "YAML 只能用空格缩进：把这一行开头的 Tab 换成空格",
            ),
            Problem::MappingHere => (YamlSyntax, "这里不能出现“键： 值”", keys),
            Problem::KeyMisaligned => (
                YamlSyntax,
                "这一行的缩进与上面的键对不齐",
                "同一层的键要左端对齐；列表项“- ”要比它所属的键多缩进或对齐",
            ),
            Problem::ListMisaligned => (
                YamlSyntax,
                "列表中的这一行缩进不对",
                "列表的每一项以“- ”开头，并且左端对齐",
            ),
            Problem::ListHere => (
                YamlSyntax,
                "这里不能开始列表（“- ”）",
                "列表要写在一个键的下一行，并比这个键多缩进",
            ),
            Problem::MissingValue => (
                YamlSyntax,
                "这里缺少值",
                "检查冒号后面是否漏写了值，或多了一个符号",
            ),
            Problem::UnclosedQuote => (YamlSyntax, "引号没有闭合", quotes),
            _ => self.fixed_more(),
        }
    }

    /// [`Problem::fixed`], continued.
    fn fixed_more(&self) -> (Rule, &'static str, &'static str) {
        use Rule::{FileEncoding, YamlSyntax};
        match self {
            Problem::BadQuoted => (
                YamlSyntax,
                "引号内的内容有误（引号没有闭合，或有无法识别的转义）",
                "检查成对的 \"…\"；双引号里的反斜杠 \\ 要写成 \\\\，或改用单引号",
            ),
            Problem::FlowUnclosed => (
                YamlSyntax,
                "方括号或花括号没有闭合",
                "检查 [ ] 或 { } 是否成对，项之间用半角逗号分开",
            ),
            Problem::BracketUnclosed => (
                YamlSyntax,
                "方括号或花括号没有闭合",
                "检查 [ ] 或 { } 是否成对",
            ),
            Problem::Truncated => (
                YamlSyntax,
                "文件不完整：内容在中途结束",
                "检查文件末尾是否被截断",
            ),
            Problem::Indentation => (YamlSyntax, "缩进不对", "同一层的键要左端对齐，只用空格缩进"),
            Problem::Documents => (
                YamlSyntax,
                "一个文件里只能有一份数据（不要写 --- 或 ...）",
                "删掉“---”“...”这样的分隔行",
            ),
            Problem::Directive => (
                YamlSyntax,
                "不支持以 % 开头的 YAML 指令",
                "删掉以 % 开头的行",
            ),
            Problem::Tag => (
                YamlSyntax,
                "不支持 YAML 标签（以 ! 开头）",
                "删掉值前面的 ! 标签，或把整个值放进引号",
            ),
            Problem::Encoding => (
                FileEncoding,
                "文件中有无法识别的字符",
                "请用记事本或 WPS“另存为”UTF-8 编码",
            ),
            Problem::BadChar => (
                YamlSyntax,
                "这里有不能出现的字符",
                "检查这一行的符号是否为半角；文字中有特殊符号时整个值放进引号",
            ),
            _ => (
                YamlSyntax,
                "YAML 格式错误，无法读懂这一行",
                "检查这一行及上一行的缩进、冒号和引号（冒号后要有空格，缩进只用空格）",
            ),
        }
    }
}

impl Limit {
    /// Which safety limit a file broke, in Chinese, with the limit's number.
    fn text(&self) -> (Rule, String, Option<String>) {
        let (what, hint) = match self {
            Limit::Depth => (
                format!("嵌套超过 {MAX_DEPTH} 层"),
                "数据文件用不到这么深的嵌套；检查缩进或括号",
            ),
            Limit::Nodes => (
                format!("值的个数超过 {MAX_NODES} 个"),
                "把数据拆到几个年度或单位中；一个文件不应有这么多项",
            ),
            Limit::Events => (
                format!("内容超过 {MAX_EVENTS} 个解析单元"),
                "把数据拆到几个年度或单位中；一个文件不应有这么多项",
            ),
            Limit::Aliases => (
                "别名（&/*）使用超过上限（各 1000 个）".to_string(),
                "数据文件不需要 YAML 别名；请展开写出",
            ),
        };
        (
            Rule::YamlLimit,
            format!("文件超出安全上限：{what}"),
            Some(hint.into()),
        )
    }
}

/// Text from the file on one line, every control character escaped
/// (`\n`, `\t`, `\u{7}`), as serde-saphyr prints it in its own messages.
fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// The advice for an unknown key: the likeliest key meant, and the keys
/// that may stand there.
fn keys_hint(key: &str, expected: &[&str]) -> String {
    match did_you_mean(key, expected.iter().copied()) {
        Some(best) => format!("是否想写“{best}”？此处可用的键：{}", expected.join("、")),
        None if expected.is_empty() => "此处不接受任何键".to_string(),
        None => format!("此处可用的键：{}", expected.join("、")),
    }
}

/// Whether the typed parse stopped at an empty (null) value where text
/// was wanted: [`super::blanks`] reports those.
pub(super) fn about_null(e: &serde_saphyr::Error) -> bool {
    use serde_saphyr::Error as E;
    match e.without_snippet() {
        E::AliasError { error, .. } => about_null(error),
        E::NullIntoString { .. } | E::InvalidCharNull { .. } => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_with_suggestion() {
        let p = Problem::UnknownKey {
            key: "amout".into(),
            expected: vec!["name", "amount"],
        };
        let (rule, m, h) = p.text();
        assert_eq!(rule, Rule::YamlKey);
        assert_eq!(m, "未知的键“amout”");
        assert!(h.unwrap().contains("是否想写“amount”"));
    }

    #[test]
    fn errors_are_told_apart_by_kind() {
        let parse = |text: &str| {
            let e = serde_saphyr::from_str::<crate::model::raw::OfficeFile>(text).unwrap_err();
            (Problem::of(&e), about_null(&e))
        };
        assert_eq!(parse("name: a\n\tshort_name: b\n").0, Problem::Tab);
        assert_eq!(parse("name: \"a").0, Problem::UnclosedQuote);
        assert_eq!(parse("name: a\nunits: [a\n").0, Problem::BracketUnclosed);
        assert_eq!(
            parse("name: a\nname: b\n").0,
            Problem::DuplicateKey(Some("name".into()))
        );
        assert_eq!(parse("name: [a]\n").0, Problem::NotScalar);
        assert_eq!(parse("short_name: a\n").0, Problem::MissingKey("name"));
        assert_eq!(parse("name: ~\n"), (Problem::Syntax, true));
        assert_eq!(parse("name: *x\n").0, Problem::Alias);
        assert_eq!(parse("name: a\n---\nname: b\n").0, Problem::Documents);
        assert_eq!(
            parse("name: \"\\u0007\"\n").0,
            Problem::ControlChar("文字中有控制字符 U+0007".into())
        );
    }
}
