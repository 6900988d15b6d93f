//! A data file's bytes and text: the size limit, what is not a plain file,
//! the byte-order marks, and the encodings Chinese Windows saves in.

use std::fs;
use std::path::Path;

use crate::diag::{Diagnostic, Pos, Rule, io_reason};

/// Files larger than this are refused before reading (bounded memory).
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A size for people: `100.0 MiB`.
fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
}

/// A data file's bytes (at most the size limit, and one more), for
/// comparing inputs by content.
pub(super) fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    // A pipe or device would block or never end: never opened.
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::ErrorKind::InvalidInput.into());
    }
    read_regular(path, meta.len())
}

/// The bytes of `path`, a regular file of `len` bytes when it was looked
/// at: sized once from it (growing from empty copied every byte about
/// twice), and still at most one byte past the cap, in case the file grew
/// meanwhile.
fn read_regular(path: &Path, len: u64) -> std::io::Result<Vec<u8>> {
    let file = fs::File::open(path)?;
    let cap = len.min(MAX_FILE_BYTES) + 1;
    let mut bytes = Vec::with_capacity(usize::try_from(cap).unwrap_or(0));
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_FILE_BYTES + 1),
        &mut bytes,
    )?;
    Ok(bytes)
}

/// A data file's text as build reads it (GBK and UTF-16 too), if it is
/// there and can be read.
pub(crate) fn existing_text(path: &Path) -> Option<String> {
    read_stored(path).ok().flatten().map(|s| s.text)
}

/// Read a data file's bytes, refusing what cannot be read safely; they are
/// turned into text by [`decode`]. UTF-8 (with or without a BOM) is read as
/// it is; what Notepad, WPS and Excel save on Chinese Windows (GBK/GB18030
/// "ANSI", UTF-16 with a BOM) is read too, with a warning suggesting UTF-8
/// — the digits are the same bytes in every one of them, so no figure can
/// be misread. Anything else is an error.
pub(super) fn read_checked(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let fail = |msg: String| Diagnostic::error(Rule::FileRead, msg).at(path, Pos::default());
    let meta = fs::metadata(path)
        .map_err(|e| fail(format!("无法读取“{}”：{}", path.display(), io_reason(&e))))?;
    if !meta.is_file() {
        return Err(fail(format!("“{}”不是普通文件", path.display()))
            .hint("数据文件夹里只放 YAML 文件；设备、管道等特殊文件不能作为数据"));
    }
    let too_big = |len: u64| {
        fail(format!(
            "文件“{}”有 {}，超过上限 {}",
            path.display(),
            mib(len),
            mib(MAX_FILE_BYTES)
        ))
        .hint("一个数据文件不应这么大；请检查是否误放了别的文件")
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let bytes = read_regular(path, meta.len())
        .map_err(|e| fail(format!("无法读取“{}”：{}", path.display(), io_reason(&e))))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The text of a data file's bytes, and a warning when it was not UTF-8.
pub(super) fn decode(
    path: &Path,
    bytes: &[u8],
) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    let warn = |encoding: &str| {
        Diagnostic::warning(
            Rule::FileEncoding,
            format!(
                "文件“{}”是 {encoding} 编码，已按 {encoding} 读取",
                path.display()
            ),
        )
        .at(path, Pos::default())
        .hint("建议用记事本或 WPS 打开后“另存为”，编码选 UTF-8，其他软件也能正确读取")
    };
    let bom_utf16 = [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ];
    for (bom, encoding) in bom_utf16 {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return match encoding.decode_without_bom_handling_and_without_replacement(rest) {
                Some(text) => Ok((text.into_owned(), Some(warn("UTF-16")))),
                None => Err(not_text(path, "UTF-16 中有无法识别的字符")),
            };
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let e = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((s.to_owned(), None)),
        Err(e) => e,
    };
    if let Some(text) =
        encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
    {
        return Ok((text.into_owned(), Some(warn("GBK（GB18030）"))));
    }
    if cut_in_a_character(bytes) {
        return Err(not_text(
            path,
            "文件在最后一个字符的中间断了，文件不完整，可能没有保存或复制完",
        ));
    }
    let line = bytes[..e.valid_up_to()]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1;
    Err(not_text(
        path,
        &format!("第 {line} 行起既不是 UTF-8 也不是 GBK"),
    ))
}

/// Whether text is whole but for its last character, cut in the middle (a
/// file copied or saved only in part): UTF-8 that ends inside a character,
/// or GBK that reads once its last one to three bytes are left off.
pub(super) fn cut_in_a_character(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => return false,
        Err(e) if e.error_len().is_none() => return true,
        Err(_) => {}
    }
    (1..=3).any(|k| {
        bytes.len() > k
            && bytes[bytes.len() - k] >= 0x81
            && encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(&bytes[..bytes.len() - k])
                .is_some()
    })
}

fn not_text(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(
        Rule::FileEncoding,
        format!("文件“{}”无法识别为文字（{why}）", path.display()),
    )
    .at(path, Pos { line: 0, col: 0 })
    .hint("数据文件应是文本文件；请用记事本或 WPS 打开后“另存为”，编码选 UTF-8")
}

/// How a data file's bytes hold its text: what [`decode`] takes off, to be
/// put back when the file is edited (`nianbao import`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

/// A data file's text as `build` reads it, and how it was stored.
pub(crate) struct Stored {
    pub(crate) text: String,
    pub(crate) encoding: Encoding,
    /// Lines end in CR LF (as Notepad saves them).
    pub(crate) crlf: bool,
}

impl Stored {
    /// A new text of the file, stored as the old one was.
    pub(crate) fn encode(&self, text: &str) -> Vec<u8> {
        let text = if self.crlf {
            text.replace("\r\n", "\n").replace('\n', "\r\n")
        } else {
            text.to_string()
        };
        match self.encoding {
            Encoding::Utf8 => text.into_bytes(),
            Encoding::Utf8Bom => [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
            Encoding::Utf16Le => [0xFF, 0xFE]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
            Encoding::Utf16Be => [0xFE, 0xFF]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
                .collect(),
            // GB18030 holds every character: nothing is replaced.
            Encoding::Gb18030 => encoding_rs::GB18030.encode(&text).0.into_owned(),
        }
    }
}

/// A data file read as `build` reads it (size limit, encodings), with how
/// it is stored; `None` when there is no file.
pub(crate) fn read_stored(path: &Path) -> Result<Option<Stored>, Diagnostic> {
    if fs::symlink_metadata(path).is_err() {
        return Ok(None);
    }
    let bytes = read_checked(path)?;
    let (text, _) = decode(path, &bytes)?;
    let encoding = if bytes.starts_with(b"\xFF\xFE") {
        Encoding::Utf16Le
    } else if bytes.starts_with(b"\xFE\xFF") {
        Encoding::Utf16Be
    } else if bytes.starts_with(b"\xEF\xBB\xBF") {
        Encoding::Utf8Bom
    } else if std::str::from_utf8(&bytes).is_ok() {
        Encoding::Utf8
    } else {
        Encoding::Gb18030
    };
    let crlf = text.contains("\r\n");
    Ok(Some(Stored {
        text,
        encoding,
        crlf,
    }))
}

/// Whether `bytes`, written as the data file `path` (projects.yaml,
/// funds.yaml or register.yaml), would be read back by `build`: within the
/// size limit, text, and parsed; the number of items of the list import
/// writes in it (projects, batches, exits), or why not.
pub(crate) fn read_back(path: &Path, bytes: &[u8]) -> Result<usize, String> {
    use super::yaml::parse_yaml;
    use crate::model::raw;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "写出的文件会有 {}，超过 nianbao 读取数据文件的上限 {}，以后无法生成；请把表格拆开，或删去不需要的行",
            mib(bytes.len() as u64),
            mib(MAX_FILE_BYTES)
        ));
    }
    let (text, _) = decode(path, bytes).map_err(|d| d.message)?;
    fn parsed<T: serde::de::DeserializeOwned + 'static>(
        path: &Path,
        text: &str,
    ) -> Result<T, String> {
        let (value, found) = parse_yaml::<T>(path, text);
        let first = found.iter().find(|d| d.is_error() && d.rule != Rule::Blank);
        match (value, first) {
            (Some(v), None) => Ok(v),
            (_, Some(d)) => Err(format!("第 {} 行：{}", d.pos.line, d.message)),
            (None, None) => Err("读不出内容".into()),
        }
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    match name {
        "projects.yaml" => parsed::<raw::ProjectsFile>(path, &text).map(|f| f.projects.len()),
        "funds.yaml" => {
            parsed::<raw::FundsFile>(path, &text).map(|f| f.special.map_or(0, |s| s.batches.len()))
        }
        _ => parsed::<raw::RegisterFile>(path, &text).map(|f| f.exits.len()),
    }
}
