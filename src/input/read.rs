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
    if !fs::metadata(path)?.is_file() {
        return Err(std::io::ErrorKind::InvalidInput.into());
    }
    let mut bytes = Vec::new();
    let file = fs::File::open(path)?;
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_FILE_BYTES + 1),
        &mut bytes,
    )?;
    Ok(bytes)
}

/// A data file's text, if it is there.
pub(crate) fn existing_text(path: &Path) -> Option<String> {
    read_bytes(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
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
    // At most one byte past the cap, in case the file grew meanwhile.
    let bytes = read_bytes(path)
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

fn not_text(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(
        Rule::FileEncoding,
        format!("文件“{}”无法识别为文字（{why}）", path.display()),
    )
    .at(path, Pos { line: 0, col: 0 })
    .hint("数据文件应是文本文件；请用记事本或 WPS 打开后“另存为”，编码选 UTF-8")
}
