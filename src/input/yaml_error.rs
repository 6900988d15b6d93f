//! The YAML library's error messages in Chinese, with advice.

use super::yaml::{MAX_DEPTH, MAX_EVENTS, MAX_NODES};
use crate::diag::{Rule, did_you_mean};

/// The YAML parser's messages (English) that nianbao explains, by a phrase
/// they contain (lowercase): the rule, the message and the advice. Checked
/// in order; the first match wins.
const YAML_MESSAGES: &[(&str, Rule, &str, &str)] = &[
    (
        "expected string scalar",
        Rule::YamlType,
        "此处应为单个值（文字、数字或日期），实际是列表或映射",
        "检查缩进和冒号：一个键只对应一个值",
    ),
    (
        "expected a string",
        Rule::YamlType,
        "此处应为单个值（文字、数字或日期），实际是列表或映射",
        "检查缩进和冒号：一个键只对应一个值",
    ),
    (
        "expected a sequence",
        Rule::YamlType,
        "此处应为列表",
        "列表的每一项以“- ”开头，或写成 [a， b]",
    ),
    (
        "expected sequence",
        Rule::YamlType,
        "此处应为列表",
        "列表的每一项以“- ”开头，或写成 [a， b]",
    ),
    (
        "expected struct",
        Rule::YamlType,
        "此处应为映射（若干“键： 值”）",
        "例如 {households: 384, persons: 800}",
    ),
    (
        "expected a map",
        Rule::YamlType,
        "此处应为映射（若干“键： 值”）",
        "例如 {households: 384, persons: 800}",
    ),
    (
        "expected mapping",
        Rule::YamlType,
        "此处应为映射（若干“键： 值”）",
        "例如 {households: 384, persons: 800}",
    ),
    (
        "budget",
        Rule::YamlLimit,
        "文件嵌套过深或别名（&/*）展开过多，超出安全上限",
        "数据文件不需要 YAML 别名；请展开写出，或减少嵌套的层数",
    ),
    (
        "anchor",
        Rule::YamlLimit,
        "别名（&/*）使用有误或过多",
        "数据文件不需要 YAML 别名；请展开写出",
    ),
    (
        "alias",
        Rule::YamlLimit,
        "别名（&/*）使用有误或过多",
        "数据文件不需要 YAML 别名；请展开写出",
    ),
    (
        "depth",
        Rule::YamlLimit,
        "文件嵌套过深，超出安全上限",
        "减少嵌套的层数",
    ),
    (
        "tab",
        Rule::YamlSyntax,
        "缩进里有 Tab 字符",
        "YAML 只能用空格缩进：把这一行开头的 Tab 换成空格",
    ),
    (
        "mapping values are not allowed",
        Rule::YamlSyntax,
        "这里不能出现“键： 值”",
        "多半是这一行缩进多了，或上一行的值里有未加引号的冒号",
    ),
    (
        "mapping keys are not allowed",
        Rule::YamlSyntax,
        "这里不能出现“键： 值”",
        "多半是这一行缩进多了，或上一行的值里有未加引号的冒号",
    ),
    (
        "did not find expected key",
        Rule::YamlSyntax,
        "这一行的缩进与上面的键对不齐",
        "同一层的键要左端对齐；列表项“- ”要比它所属的键多缩进或对齐",
    ),
    (
        "did not find expected '-' indicator",
        Rule::YamlSyntax,
        "列表中的这一行缩进不对",
        "列表的每一项以“- ”开头，并且左端对齐",
    ),
    (
        "block sequence entries are not allowed",
        Rule::YamlSyntax,
        "这里不能开始列表（“- ”）",
        "列表要写在一个键的下一行，并比这个键多缩进",
    ),
    (
        "did not find expected node content",
        Rule::YamlSyntax,
        "这里缺少值",
        "检查冒号后面是否漏写了值，或多了一个符号",
    ),
    (
        "unclosed quote",
        Rule::YamlSyntax,
        "引号没有闭合",
        "检查上一处引号：成对的 \"…\" 或 '…' 应在同一个值里闭合",
    ),
    (
        "quoted scalar",
        Rule::YamlSyntax,
        "引号内的内容有误（引号没有闭合，或有无法识别的转义）",
        "检查成对的 \"…\"；双引号里的反斜杠 \\ 要写成 \\\\，或改用单引号",
    ),
    (
        "unterminated",
        Rule::YamlSyntax,
        "引号没有闭合",
        "检查上一处引号：成对的 \"…\" 或 '…' 应在同一个值里闭合",
    ),
    (
        "closing quote",
        Rule::YamlSyntax,
        "引号没有闭合",
        "检查上一处引号：成对的 \"…\" 或 '…' 应在同一个值里闭合",
    ),
    (
        "flow sequence",
        Rule::YamlSyntax,
        "方括号或花括号没有闭合",
        "检查 [ ] 或 { } 是否成对，项之间用半角逗号分开",
    ),
    (
        "flow mapping",
        Rule::YamlSyntax,
        "方括号或花括号没有闭合",
        "检查 [ ] 或 { } 是否成对，项之间用半角逗号分开",
    ),
    (
        "unclosed bracket",
        Rule::YamlSyntax,
        "方括号或花括号没有闭合",
        "检查 [ ] 或 { } 是否成对",
    ),
    (
        "end of input",
        Rule::YamlSyntax,
        "文件不完整：内容在中途结束",
        "检查文件末尾是否被截断",
    ),
    (
        "eof",
        Rule::YamlSyntax,
        "文件不完整：内容在中途结束",
        "检查文件末尾是否被截断",
    ),
    (
        "invalid indentation",
        Rule::YamlSyntax,
        "缩进不对",
        "同一层的键要左端对齐，只用空格缩进",
    ),
    (
        "trailing content",
        Rule::YamlSyntax,
        "引号后面还有多余的内容",
        "整个值放进引号里，或去掉引号",
    ),
    (
        "document",
        Rule::YamlSyntax,
        "一个文件里只能有一份数据（不要写 --- 或 ...）",
        "删掉“---”“...”这样的分隔行",
    ),
    (
        "directive",
        Rule::YamlSyntax,
        "不支持以 % 开头的 YAML 指令",
        "删掉以 % 开头的行",
    ),
    (
        "tag",
        Rule::YamlSyntax,
        "不支持 YAML 标签（以 ! 开头）",
        "删掉值前面的 ! 标签，或把整个值放进引号",
    ),
    (
        "utf-8",
        Rule::FileEncoding,
        "文件中有无法识别的字符",
        "请用记事本或 WPS“另存为”UTF-8 编码",
    ),
    (
        "encoding",
        Rule::FileEncoding,
        "文件中有无法识别的字符",
        "请用记事本或 WPS“另存为”UTF-8 编码",
    ),
    (
        "unexpected character",
        Rule::YamlSyntax,
        "这里有不能出现的字符",
        "检查这一行的符号是否为半角；文字中有特殊符号时整个值放进引号",
    ),
];

/// Turn the YAML library's messages into Chinese ones with advice. Never
/// passes English through: an unknown message gets a general one.
pub(super) fn translate(raw: &str) -> (Rule, String, Option<String>) {
    // Drop a leading "error: line N column M: " or trailing " at line N, column M".
    let mut msg = raw.trim().trim_start_matches("error: ").to_string();
    if let Some(rest) = msg.strip_prefix("line ")
        && let Some((_, tail)) = rest.split_once(": ")
    {
        msg = tail.to_string();
    }
    if let Some(i) = msg.find(" at line ") {
        msg.truncate(i);
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (field, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = tail
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(", ")
            .map(|s| s.trim_matches('`'))
            .filter(|s| !s.is_empty() && !s.starts_with("there are no fields"))
            .collect();
        let hint = match did_you_mean(field, expected.iter().copied()) {
            Some(best) => format!("是否想写“{best}”？此处可用的键：{}", expected.join("、")),
            None if expected.is_empty() => "此处不接受任何键".to_string(),
            None => format!("此处可用的键：{}", expected.join("、")),
        };
        return (Rule::YamlKey, format!("未知的键“{field}”"), Some(hint));
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return (
            Rule::YamlKey,
            format!("缺少必填的键“{field}”"),
            Some(format!("请补上“{field}： …”")),
        );
    }
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (
            Rule::YamlKey,
            format!("键“{key}”重复出现"),
            Some("同一层级的键只能出现一次：删除或合并重复的一项".into()),
        );
    }
    if msg.contains("控制字符") {
        let hint = "删掉这个看不见的字符（多半是从别处复制来的，或双引号里的 \\ 转义）；文字中只能有换行和制表符这两种控制字符";
        return (Rule::TextControl, msg, Some(hint.into()));
    }
    if !msg.is_ascii() {
        // nianbao's own messages (numbers) are already Chinese.
        return (Rule::Number, msg, None);
    }
    if let Some(rest) = msg.strip_prefix("budget breached: ") {
        return budget_message(rest);
    }
    let lower = msg.to_ascii_lowercase();
    if let Some((_, rule, message, hint)) = YAML_MESSAGES
        .iter()
        .find(|(phrase, ..)| lower.contains(phrase))
    {
        return (*rule, (*message).into(), Some((*hint).into()));
    }
    (
        Rule::YamlSyntax,
        "YAML 格式错误，无法读懂这一行".into(),
        Some("检查这一行及上一行的缩进、冒号和引号（冒号后要有空格，缩进只用空格）".into()),
    )
}

/// Which safety limit of the parser a file broke, in Chinese, with the
/// limit's number (see [`parse_yaml`]).
fn budget_message(breach: &str) -> (Rule, String, Option<String>) {
    let kind = breach.split([' ', '{']).next().unwrap_or(breach);
    let (what, hint) = match kind {
        "Depth" => (
            format!("嵌套超过 {MAX_DEPTH} 层"),
            "数据文件用不到这么深的嵌套；检查缩进或括号",
        ),
        "Nodes" => (
            format!("值的个数超过 {MAX_NODES} 个"),
            "把数据拆到几个年度或单位中；一个文件不应有这么多项",
        ),
        "Events" => (
            format!("内容超过 {MAX_EVENTS} 个解析单元"),
            "把数据拆到几个年度或单位中；一个文件不应有这么多项",
        ),
        _ => (
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_unknown_field_with_suggestion() {
        let (_, m, h) = translate("unknown field `amout`, expected one of `name`, `amount`");
        assert_eq!(m, "未知的键“amout”");
        assert!(h.unwrap().contains("是否想写“amount”"));
    }
}
