//! `nianbao schema DIR`: a JSON Schema (draft 2020-12) for each kind of
//! data file, with a Chinese title and description for every key and the
//! fixed values as enums, so that an editor with a YAML language server
//! (VS Code's YAML extension) completes keys, explains them on hover and
//! marks a wrong key or type. The schemas describe the format of
//! `crate::model::raw` (tests/schema.rs validates every sample file against
//! them, and a wrong key or type is an error); `nianbao check` stays the
//! judge of everything a schema cannot say (sums, rates, names).

use std::path::Path;
use std::process::ExitCode;

use serde_json::{Map, Value, json};

use crate::diag;
use crate::model::shape;

/// The file kinds, each with its schema's file name.
const KINDS: &[(&str, &str)] = &[
    ("office", "office.schema.json"),
    ("report", "report.schema.json"),
    ("register", "register.schema.json"),
    ("funds", "funds.schema.json"),
    ("projects", "projects.schema.json"),
    ("measures", "measures.schema.json"),
    ("problems", "problems.schema.json"),
    ("plan", "plan.schema.json"),
];

pub(crate) fn run(dir: &Path) -> ExitCode {
    match write(dir) {
        Ok(n) => {
            eprintln!(
                "已写出 {n} 个 JSON Schema 到 {}（VS Code 的用法见 docs/数据格式.md）",
                diag::display_path(dir)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(3)
        }
    }
}

/// Write every schema into `dir` (created if need be; the schemas there
/// are replaced, they are nianbao's own).
pub(crate) fn write(dir: &Path) -> Result<usize, String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("无法创建“{}”：{e}", diag::display_path(dir)))?;
    for (kind, file) in KINDS {
        let text = serde_json::to_string_pretty(&schema(kind)).unwrap_or_default() + "\n";
        let path = dir.join(file);
        std::fs::write(&path, text)
            .map_err(|e| format!("无法写入“{}”：{e}", diag::display_path(&path)))?;
    }
    Ok(KINDS.len())
}

/// The schema of one file kind.
fn schema(kind: &str) -> Value {
    let (title, desc, body) = match kind {
        "office" => (
            "office.yaml（单位）",
            "单位的全称、简称、落款和版式",
            office(),
        ),
        "report" => (
            "report.yaml（年度报告）",
            "总结、汇报、情况报告的标题、日期、导语和章节",
            report(),
        ),
        "register" => (
            "register.yaml（台账）",
            "建档立卡或防返贫监测台账：基数、历年退出、动态调整、未退出、目标",
            register(),
        ),
        "funds" => (
            "funds.yaml（资金）",
            "专项资金（衔接资金）的批次、来源、类别和比率",
            funds(),
        ),
        "projects" => (
            "projects.yaml（项目清单）",
            "项目库：每个项目的类别、批次、资金、进度和受益户",
            projects(),
        ),
        "measures" => (
            "measures.yaml（各项工作）",
            "主要工作中的各个领域：文字与指标",
            measures(),
        ),
        "problems" => (
            "problems.yaml（存在问题）",
            "依次印为“一是……二是……”",
            problems(),
        ),
        _ => (
            "plan.yaml（计划、工作方案）",
            "下步工作计划，或单独成文的计划、工作方案",
            plan(),
        ),
    };
    let mut v = body;
    if let Some(m) = v.as_object_mut() {
        m.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        m.insert("$id".into(), json!(format!("nianbao/{kind}.schema.json")));
        m.insert("title".into(), json!(title));
        m.insert("description".into(), json!(desc));
        m.insert("$defs".into(), defs());
    }
    v
}

/// A key: its title, description and type.
type Key = (&'static str, &'static str, &'static str, Value);

/// An object of `keys`, no other key allowed, `required` ones required.
fn obj(keys: Vec<Key>, required: &[&str]) -> Value {
    let mut props = Map::new();
    for (k, title, desc, mut ty) in keys {
        if let Some(m) = ty.as_object_mut() {
            m.insert("title".into(), json!(title));
            m.insert("description".into(), json!(desc));
            m.insert(
                "markdownDescription".into(),
                json!(format!("**{title}**\n\n{desc}")),
            );
        }
        props.insert(k.into(), ty);
    }
    json!({
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

fn text() -> Value {
    r("text")
}
fn number() -> Value {
    r("number")
}
fn boolean() -> Value {
    json!({ "type": "boolean" })
}
fn date() -> Value {
    r("date")
}
fn list(of: Value) -> Value {
    json!({ "type": "array", "items": of })
}
fn texts() -> Value {
    list(text())
}
fn one_of(values: &[&str]) -> Value {
    json!({ "anyOf": [{ "enum": values }, { "const": crate::input::PLACEHOLDER }] })
}
/// The types every file shares.
fn defs() -> Value {
    json!({
        "text": {
            "anyOf": [{ "type": "string" }, { "type": "number" }],
            "description": "文字（Markdown 的段落可引用 {{ f[\"名称\"] }}）",
        },
        "number": {
            "anyOf": [{ "type": "number" }, { "const": crate::input::PLACEHOLDER }],
            "description": "阿拉伯数字，不带千位分隔符、单位和百分号；还没有的写“待填”",
        },
        "date": {
            "anyOf": [{ "type": "string" }, { "const": crate::input::PLACEHOLDER }],
            "description": "日期，如 2017-12-20 或 2017年12月20日",
        },
        "count": obj(vec![
            ("households", "户数", "户数（不大于人数）", number()),
            ("persons", "人数", "人数", number()),
        ], &[]),
        "part": part(),
        "breakdown": breakdown(),
        "chapter": chapter(),
        "block": block(),
        "figure": figure(),
        "villages": {
            "anyOf": [{ "type": "array", "items": text() }, { "type": "integer" }, { "type": "string" }],
            "description": "出列（退出）的村：村名列表，如 [罗田村, 坑上村]；原文只有村数时写村数，如 42",
        },
    })
}

fn office() -> Value {
    obj(
        vec![
            (
                "name",
                "全称",
                "单位全称，如 xx区扶贫开发领导小组办公室（必填）",
                text(),
            ),
            ("short_name", "简称", "用于默认标题，如 xx区扶贫办", text()),
            ("region", "地区", "文字中地区的说法，如 xx区、全县", text()),
            (
                "level",
                "层级",
                "省级、市级、区县、乡镇 或 部门（也可写 县级、县、区、乡、镇、街道）；不印入文档",
                json!({ "type": "string", "examples": ["省级", "市级", "区县", "乡镇", "部门"] }),
            ),
            (
                "units",
                "下辖单位",
                "下辖乡镇（或县）在 data 下的文件夹名：各单位都有的年度里，本级的台账和项目与它们之和核对，之和可引用为 下辖合计.<名称>",
                texts(),
            ),
            (
                "signature",
                "落款",
                "文末署名，默认同全称；写 false 则不印落款（如汇报材料）",
                json!({ "anyOf": [text(), { "const": false }] }),
            ),
            (
                "seal",
                "盖章",
                "文件是否加盖印章，默认 true（GB/T 9704 7.3.5.1：成文日期右空四字，署名居中其上）；false 按 7.3.5.2 排（署名右空二字）",
                boolean(),
            ),
            (
                "fonts",
                "Word 字体",
                "Word 版用别的字体时写，如 {fangsong: 仿宋_GB2312, kaiti: 楷体_GB2312}；缺字体的电脑上退回仿宋、楷体、黑体、宋体",
                obj(
                    vec![
                        (
                            "fangsong",
                            "仿宋",
                            "正文、三四级标题、表格的字体（默认 仿宋）",
                            text(),
                        ),
                        ("kaiti", "楷体", "二级标题的字体（默认 楷体）", text()),
                        (
                            "heiti",
                            "黑体",
                            "一级标题、表题、图题的字体（默认 黑体）",
                            text(),
                        ),
                        (
                            "xiaobiaosong",
                            "小标宋",
                            "标题的字体（默认 方正小标宋简体）",
                            text(),
                        ),
                    ],
                    &[],
                ),
            ),
        ],
        &["name"],
    )
}

fn report() -> Value {
    let kinds: Vec<&str> = shape_spellings(crate::model::DocKind::REPORT);
    obj(
        vec![
            ("year", "年度", "与文件夹一致的年份（可省略）", number()),
            (
                "kind",
                "文档种类",
                "总结（默认）、汇报、情况报告、总结及计划；决定默认标题和章节名",
                one_of(&kinds),
            ),
            (
                "theme",
                "工作主题",
                "如 脱贫攻坚、巩固拓展脱贫攻坚成果；默认标题为 简称+年份+年+主题+工作总结（必填）",
                text(),
            ),
            ("title", "标题", "覆盖默认标题", text()),
            ("as_of", "数据截至日期", "如 2017-09-30", date()),
            (
                "issued",
                "成文日期",
                "文末印为“2017年12月20日”；原文没有日期时不写",
                date(),
            ),
            (
                "intro",
                "导语",
                "开头一段（Markdown，可引用数字）（必填）",
                text(),
            ),
            (
                "overview",
                "总体情况补充",
                "补充在“总体情况”生成内容之后的文字",
                text(),
            ),
            (
                "reconstructed",
                "回推说明",
                "数据系回推重建时写明依据，文中加说明",
                text(),
            ),
            (
                "illustrative",
                "示意说明",
                "部分数字为示意时写明，文首加说明",
                text(),
            ),
            (
                "tables",
                "印出表格",
                "生成的表格是否印入文档（默认不印，只在网页上另列）",
                boolean(),
            ),
            ("closing", "结束语", "落款前的一段话", text()),
            (
                "chapters",
                "章节",
                "文档的章节和顺序：use 内置章节，或自己的 title、text、sections",
                list(r("chapter")),
            ),
            (
                "draft",
                "草稿",
                "true：照常检查，不发布（build --drafts 时标“草稿”发布）",
                boolean(),
            ),
        ],
        &["theme", "intro"],
    )
}

fn shape_spellings(table: &[(&'static str, crate::model::DocKind)]) -> Vec<&'static str> {
    table.iter().map(|(s, _)| *s).collect()
}

fn chapter() -> Value {
    let mut names: Vec<&str> = shape::Builtin::NAMES.iter().map(|(s, _)| *s).collect();
    names.extend(shape::Builtin::PLAN_NAMES.iter().map(|(s, _)| *s));
    obj(
        vec![
            (
                "use",
                "内置章节",
                "由数据生成的章节：总体情况、主要工作、存在问题、下步计划（report.yaml）；指导思想、目标任务、重点工作、续建项目、时间安排、保障措施（plan.yaml）",
                one_of(&names),
            ),
            (
                "title",
                "章节标题",
                "默认按种类；自带编号（如“一、”）时照印",
                text(),
            ),
            ("text", "文字", "印在生成内容之前的文字", text()),
            (
                "sections",
                "小节",
                "自己的章节的小节：（一）、1.、（1）三级",
                list(r("block")),
            ),
            (
                "measures",
                "工作领域",
                "use: 主要工作 时本章包含的领域（measures.yaml 的 title）",
                texts(),
            ),
            ("group", "任务组", "use: 重点工作 时只含这一组任务", text()),
            (
                "tables",
                "印出表格",
                "本章生成的表格是否印入文档",
                boolean(),
            ),
            (
                "charts",
                "图",
                "本章的图：进度、资金、项目；[] 不要本章默认的图",
                list(json!({ "enum": ["进度", "资金", "项目"] })),
            ),
        ],
        &[],
    )
}

fn block() -> Value {
    obj(
        vec![
            ("title", "小节标题", "没有标题时是一段编号的话", text()),
            ("text", "文字", "小节的文字", text()),
            ("sections", "下级小节", "下一级小节", list(r("block"))),
        ],
        &[],
    )
}

fn part() -> Value {
    obj(
        vec![
            (
                "name",
                "分项名",
                "如 低保户、学前教育；可引用为 <名称>.<分项名>（必填）",
                text(),
            ),
            ("households", "户数", "户数", number()),
            ("persons", "人数", "人数", number()),
            ("amount", "金额", "金额（按指标或资金的单位）", number()),
            ("count", "个数", "个数、笔数、人次", number()),
            ("value", "数值", "数值", number()),
            (
                "unit",
                "单位",
                "分项自己的单位，如 万元、笔，两个都有时写 笔、万元",
                text(),
            ),
        ],
        &["name"],
    )
}

fn breakdown() -> Value {
    obj(
        vec![
            (
                "by",
                "分法",
                "分项的依据，如 类型、学段、风险类型（必填）",
                text(),
            ),
            (
                "subset",
                "其中",
                "true：只列出一部分（“其中”），每项不超过总数，不要求合计等于总数",
                boolean(),
            ),
            ("parts", "分项", "各分项", list(r("part"))),
            (
                "ack",
                "原文如此",
                "分项合计与总数不符而原文如此发表时写明原因：check 列为“已说明”，build 照常生成（合计印为分项之和）",
                text(),
            ),
        ],
        &["by", "parts"],
    )
}

fn tally(extra: Vec<Key>) -> Value {
    let mut keys: Vec<Key> = vec![
        ("households", "户数", "户数", number()),
        ("persons", "人数", "人数", number()),
        ("amount", "金额", "金额", number()),
        ("count", "个数", "个数、人次", number()),
        ("value", "数值", "数值", number()),
    ];
    keys.extend(extra);
    obj(keys, &[])
}

// One table of the file's keys, in the order of docs/数据格式.md: it reads
// better whole than cut into pieces.
fn figure() -> Value {
    obj(
        vec![
            (
                "label",
                "指标名",
                "引用名：{{ f[\"指标名\"] }}；同一年度内唯一（必填）",
                text(),
            ),
            ("unit", "单位", "如 户、人、万元、个、%", text()),
            (
                "note",
                "说明",
                "印在数字后的说明，如 总容量1726千瓦",
                text(),
            ),
            ("value", "数值", "数值；有 plan 时为完成数", number()),
            (
                "plan",
                "计划数",
                "计划完成数：印“完成计划的 N%”，可引用 名称.计划、名称.完成率",
                number(),
            ),
            (
                "numerator",
                "分子",
                "比率的分子：比率 = 分子 ÷ 分母",
                number(),
            ),
            ("denominator", "分母", "比率的分母", number()),
            ("numerator_label", "分子的说法", "分子在文中的说法", text()),
            (
                "denominator_label",
                "分母的说法",
                "分母在文中的说法",
                text(),
            ),
            ("should", "应", "应完成数（应/已/未）", number()),
            ("done", "已", "已完成数", number()),
            ("undone", "未", "未完成数（应 − 已）", number()),
            ("from", "原", "由……（原值）", number()),
            ("to", "现", "提高到……（现值）", number()),
            (
                "approx",
                "约数的说法",
                "照原文的说法：约、大约、近、超过、突破、不低于、不少于、至少、达到、逾（数前）；多、余（数与单位之间）；左右、以上、以下、以内（数后）",
                json!({ "type": "string", "examples": ["约", "近", "超过", "突破", "多", "余", "左右", "以上"] }),
            ),
            ("sum", "总和", "平均数：sum × scale ÷ count", number()),
            ("count", "个数", "平均数的除数", number()),
            ("scale", "换算倍数", "如万元换算为元写 10000", number()),
            ("total", "合计", "合计（与 breakdowns 一起）", tally(vec![])),
            (
                "breakdowns",
                "分项",
                "一种或几种分法，各分项合计须等于合计（subset: true 除外）",
                list(r("breakdown")),
            ),
            (
                "stated",
                "所填比率",
                "原文所填的比率（%），按其小数位核对",
                number(),
            ),
            (
                "precision",
                "小数位",
                "算出的比率印几位小数（默认同 stated）",
                number(),
            ),
            (
                "ack",
                "原文如此",
                "所填数字与数据不符而原文如此发表时写明原因：check 列为“已说明”，build 照常生成（文中用计算值）",
                text(),
            ),
            (
                "compare",
                "对照",
                "计划目标：与本年台账的 人、户 或 村 对照",
                json!({ "enum": ["人", "户", "村"] }),
            ),
            ("at_least", "下限", "不低于（数值，或比率的 %）", number()),
            ("at_most", "上限", "不高于", number()),
            ("max", "范围上端", "范围 value～max，印为“1～2个”", number()),
        ],
        &["label"],
    )
}

// One table of the file's keys, in the order of docs/数据格式.md: it reads
// better whole than cut into pieces.
fn register() -> Value {
    let eras: Vec<&str> = crate::model::Era::SPELLINGS
        .iter()
        .map(|(s, _)| *s)
        .collect();
    let label = |t, d| (t, d);
    let words: Vec<Key> = [
        ("subject", label("对象", "默认 建档立卡贫困人口 / 监测对象")),
        ("exit", label("退出", "默认 脱贫 / 风险消除")),
        ("village", label("村", "默认 贫困村 / 重点帮扶村")),
        ("village_exit", label("村退出", "默认 出列 / 退出")),
        ("remaining", label("未退出", "默认 未脱贫 / 未消除风险")),
        (
            "baseline",
            label("基数", "默认 建档立卡基数 / 监测对象基数"),
        ),
        (
            "baseline_villages",
            label("基数中的村", "默认 建档立卡贫困村 / 重点帮扶村"),
        ),
        (
            "population",
            label("人口总称", "默认 建档立卡人口 / 监测对象"),
        ),
        ("current", label("现有", "默认 现有建档 / 现有监测对象")),
        ("reduction", label("任务", "默认 减贫 / 风险消除")),
        (
            "planned",
            label("未核定的退出", "默认 预脱贫 / 计划风险消除"),
        ),
        (
            "incidence",
            label("发生率", "默认 贫困发生率 / 监测对象占比"),
        ),
        (
            "funds",
            label("趋势图中的资金", "默认 专项扶贫资金 / 衔接资金"),
        ),
    ]
    .into_iter()
    .map(|(k, (t, d))| (k, t, d, text()))
    .collect();
    let count = || r("count");
    obj(
        vec![
            (
                "era",
                "时期",
                "攻坚（建档立卡，2020 年及以前）或 监测（防返贫监测，2021 年起）；不写时按年份",
                one_of(&eras),
            ),
            (
                "labels",
                "用语",
                "生成的每个词都可改成单位自己的说法",
                obj(words, &[]),
            ),
            (
                "baseline",
                "基数",
                "建档立卡基数，或开始监测时的对象（必填）",
                obj(
                    vec![
                        ("villages", "村数", "贫困村（重点帮扶村）数", number()),
                        ("village_names", "村名单", "给出时出列村须在名单内", texts()),
                        ("households", "户数", "户数", number()),
                        ("persons", "人数", "人数", number()),
                    ],
                    &[],
                ),
            ),
            (
                "exits",
                "历年退出",
                "历年（已核定）脱贫或风险消除，年份不晚于报告年度",
                list(obj(
                    vec![
                        (
                            "year",
                            "年份",
                            "如 2016，或原文的年份范围 2014-2015（必填）",
                            json!({ "anyOf": [{ "type": "integer" }, { "type": "string" }] }),
                        ),
                        ("households", "户数", "户数", number()),
                        ("persons", "人数", "人数", number()),
                        ("villages", "出列村", "村名列表或村数", r("villages")),
                    ],
                    &["year"],
                )),
            ),
            (
                "cumulative",
                "累计退出",
                "原文只给累计、不分年份时写：累计脱贫（风险消除）的户、人；与 exits 都写时互相核对",
                count(),
            ),
            (
                "adjustments",
                "动态调整",
                "新识别、补录（added），清理（removed）",
                list(obj(
                    vec![
                        ("label", "说明", "如 2021年新识别、8月动态管理", text()),
                        ("added", "增加", "新识别、补录", count()),
                        ("removed", "减少", "清理、自然减少", count()),
                    ],
                    &[],
                )),
            ),
            (
                "current",
                "现有",
                "现有建档（现有监测对象）：与 基数 + 动态调整 核对（警告）",
                count(),
            ),
            (
                "monitored",
                "全部对象",
                "监测时期：全部（累计纳入的）监测对象及其按类型的分项；与 基数 + 新识别 − 清理 核对",
                obj(
                    vec![
                        ("households", "户数", "户数", number()),
                        ("persons", "人数", "人数", number()),
                        ("breakdowns", "分项", "按类型等的分项", list(r("breakdown"))),
                    ],
                    &[],
                ),
            ),
            (
                "pending",
                "拟识别",
                "拟纳入监测（待识别）的对象，不计入基数",
                count(),
            ),
            (
                "remaining",
                "未退出",
                "未脱贫（未消除风险）",
                obj(
                    vec![
                        ("households", "户数", "户数", number()),
                        ("persons", "人数", "人数", number()),
                        ("villages", "未出列村数", "未出列（未退出）的村数", number()),
                        (
                            "breakdowns",
                            "分项",
                            "按类型、风险类型等的分项，各口径合计须等于总数",
                            list(r("breakdown")),
                        ),
                    ],
                    &[],
                ),
            ),
            (
                "planned",
                "本年预退出",
                "本年预脱贫（计划风险消除），未核定",
                obj(
                    vec![
                        ("households", "户数", "户数", number()),
                        ("persons", "人数", "人数", number()),
                        ("villages", "出列村", "村名列表或村数", r("villages")),
                    ],
                    &[],
                ),
            ),
            (
                "targets",
                "年度目标",
                "年度目标任务",
                obj(
                    vec![
                        ("villages", "村数", "目标出列（退出）村数", number()),
                        ("households", "户数", "目标户数", number()),
                        ("persons", "人数", "目标人数", number()),
                    ],
                    &[],
                ),
            ),
            (
                "incidence",
                "发生率",
                "贫困发生率（监测对象占比）= 未退出人数 ÷ 分母",
                obj(
                    vec![
                        (
                            "denominator",
                            "分母",
                            "如 2014年底农业户籍人口的人数（必填）",
                            number(),
                        ),
                        (
                            "denominator_label",
                            "分母的说法",
                            "如 2014年底农业户籍人口（必填）",
                            text(),
                        ),
                        (
                            "stated",
                            "所填发生率",
                            "原文的发生率（%），按其小数位核对",
                            number(),
                        ),
                        (
                            "stated_after",
                            "计划退出后的发生率",
                            "原文的计划脱贫后发生率（%）",
                            number(),
                        ),
                    ],
                    &["denominator", "denominator_label"],
                ),
            ),
            (
                "ack",
                "原文如此",
                "台账的户数大于人数等而原文如此发表时写明原因：check 列为“已说明”，build 照常生成",
                text(),
            ),
        ],
        &["baseline"],
    )
}

// One table of the file's keys, in the order of docs/数据格式.md: it reads
// better whole than cut into pieces.
fn funds() -> Value {
    let fund_part = || {
        list(obj(
            vec![
                ("name", "名称", "批次、来源或类别的名称（必填）", text()),
                ("projects", "项目个数", "项目个数", number()),
                ("amount", "金额", "金额（按 unit）（必填）", number()),
            ],
            &["name", "amount"],
        ))
    };
    obj(
        vec![
            (
                "unit",
                "资金单位",
                "默认 万元",
                json!({ "enum": ["元", "万元", "亿元"] }),
            ),
            (
                "precision",
                "小数位",
                "算出的金额保留几位小数（默认 2）",
                number(),
            ),
            (
                "title",
                "资金一节的标题",
                "“主要工作”中资金一节的标题",
                text(),
            ),
            ("narrative", "文字", "资金一节的文字", text()),
            (
                "figures",
                "指标",
                "资金方面的指标，写法同 measures 的 figures",
                list(r("figure")),
            ),
            (
                "special",
                "专项资金",
                "财政专项扶贫资金（衔接资金）",
                obj(
                    vec![
                        (
                            "label",
                            "名称",
                            "如 中央、省、市、区财政专项扶贫资金（必填）",
                            text(),
                        ),
                        (
                            "stated_total",
                            "所填总额",
                            "按所写精度与各批次合计核对",
                            number(),
                        ),
                        (
                            "stated_projects",
                            "所填项目个数",
                            "与批次的项目个数之和核对",
                            number(),
                        ),
                        ("batches", "分批次", "各批次", fund_part()),
                        (
                            "by_category",
                            "按类别",
                            "各类别（产业发展、基础设施……）",
                            fund_part(),
                        ),
                        (
                            "by_source",
                            "按来源",
                            "中央、省、市、县；合计须与批次合计相等",
                            fund_part(),
                        ),
                        (
                            "stated_start_rate",
                            "所填开工率",
                            "原文的开工率（%），与项目清单算出的核对",
                            number(),
                        ),
                        (
                            "stated_completion_rate",
                            "所填竣工率",
                            "原文的竣工率（%），与项目清单算出的核对",
                            number(),
                        ),
                        (
                            "stated_spending_rate",
                            "所填支出进度",
                            "原文的支出进度（%），与项目清单算出的核对",
                            number(),
                        ),
                        ("industry_category", "产业类别名", "默认 产业发展", text()),
                        (
                            "stated_industry_share",
                            "所填产业资金占比",
                            "原文的产业发展资金占比（%），按类别核对",
                            number(),
                        ),
                        (
                            "industry_min_share",
                            "产业资金占比下限",
                            "产业资金占比的下限（%），低于时警告（默认 55）",
                            number(),
                        ),
                    ],
                    &["label"],
                ),
            ),
        ],
        &[],
    )
}

fn projects() -> Value {
    let statuses: Vec<&str> = crate::model::Status::NAMES.to_vec();
    obj(
        vec![
            (
                "illustrative",
                "示意说明",
                "清单为示意数据时写明原因",
                text(),
            ),
            (
                "projects",
                "项目",
                "项目清单",
                list(obj(
                    vec![
                        ("id", "编号", "唯一（必填）", text()),
                        ("name", "项目名称", "（必填）", text()),
                        ("category", "类别", "如 产业发展、基础设施（必填）", text()),
                        ("town", "乡镇", "所在乡镇", text()),
                        ("village", "村", "所在村", text()),
                        ("batch", "批次", "须与 funds.yaml 的批次名一致", text()),
                        ("source", "资金来源", "项目库里有就照录（不印）", text()),
                        ("budget", "安排资金", "（必填）", number()),
                        ("spent", "已支出", "已支出资金", number()),
                        (
                            "status",
                            "状态",
                            "未开工、在建 或 已完工（必填）",
                            one_of(&statuses),
                        ),
                        ("start", "开工日期", "如 2017-05-12", date()),
                        ("end", "完工日期", "已完工项目应有", date()),
                        ("beneficiaries", "受益", "受益户、人", r("count")),
                    ],
                    &["id", "name", "category", "budget", "status"],
                )),
            ),
        ],
        &[],
    )
}

fn measures() -> Value {
    obj(
        vec![(
            "measures",
            "各项工作",
            "每项工作是“主要工作”中的一节",
            list(obj(
                vec![
                    ("title", "工作领域", "如 产业扶贫（必填）", text()),
                    (
                        "heading",
                        "小标题",
                        "如 坚持因地制宜，产业扶贫成效明显",
                        text(),
                    ),
                    (
                        "narrative",
                        "文字",
                        "这一节的文字（Markdown，可引用数字）",
                        text(),
                    ),
                    ("figures", "指标", "这一节的指标", list(r("figure"))),
                ],
                &["title"],
            )),
        )],
        &["measures"],
    )
}

fn problems() -> Value {
    obj(
        vec![
            (
                "intro",
                "引言",
                "如 虽然……，但仍然存在不容忽视的短板。",
                text(),
            ),
            ("problems", "问题", "依次印为“一是……二是……”", texts()),
        ],
        &["problems"],
    )
}

fn plan() -> Value {
    let kinds: Vec<&str> = shape_spellings(crate::model::DocKind::PLAN);
    obj(
        vec![
            ("year", "计划年度", "默认为报告年度的次年", number()),
            (
                "kind",
                "文档种类",
                "计划（默认）或 工作方案（实施方案）",
                one_of(&kinds),
            ),
            (
                "title",
                "标题",
                "默认 简称+年份+年+主题+工作计划（工作方案）",
                text(),
            ),
            ("theme", "工作主题", "用于默认标题", text()),
            ("issued", "成文日期", "默认同 report.yaml", date()),
            (
                "chapters",
                "章节",
                "use 可写 指导思想、目标任务、重点工作、续建项目、时间安排、保障措施；自己的章节同 report.yaml",
                list(r("chapter")),
            ),
            ("closing", "结束语", "落款前的一段话", text()),
            (
                "tables",
                "印出表格",
                "重点工作责任分工表、续建项目表是否印入",
                boolean(),
            ),
            ("draft", "草稿", "只有计划的年度的草稿", boolean()),
            ("intro", "导语", "开头一段", text()),
            ("guiding", "指导思想", "指导思想一章的文字", text()),
            (
                "targets",
                "目标",
                "计划目标（写法同指标）；可引用为 目标.<名称> 及其组成部分",
                list(r("figure")),
            ),
            (
                "tasks",
                "任务",
                "依次印为“一是……”，或按组成为小节",
                list(obj(
                    vec![
                        ("text", "任务", "任务的文字（必填）", text()),
                        (
                            "group",
                            "任务组",
                            "同组的任务在“重点工作”中成为一个小节",
                            text(),
                        ),
                        ("lead", "责任领导", "责任领导", text()),
                        ("deputy", "分管领导", "分管领导", text()),
                        ("unit", "责任单位", "责任单位", text()),
                        ("deadline", "工作时限", "如 2018年12月", text()),
                    ],
                    &["text"],
                )),
            ),
            (
                "phases",
                "时间安排",
                "各阶段",
                list(obj(
                    vec![
                        ("name", "阶段", "如 动员部署阶段（必填）", text()),
                        ("text", "文字", "这一阶段的工作", text()),
                        ("deadline", "时限", "如 2020年3月底前（必填）", text()),
                    ],
                    &["name", "deadline"],
                )),
            ),
            ("safeguards", "保障措施", "各项保障措施", texts()),
        ],
        &[],
    )
}
