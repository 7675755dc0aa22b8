//! CSV files → one sparse [`Grid`]. The encoding is detected, never guessed silently: UTF-8
//! (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else GB18030/GBK (what
//! Excel on Chinese Windows writes). Bytes that decode cleanly in none of them are refused.

use super::Cell;
use super::grid::Grid;
use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};
use std::borrow::Cow;

/// The encoding a CSV file was decoded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CsvEncoding {
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-8 without BOM.
    Utf8,
    /// UTF-16 with BOM.
    Utf16,
    /// GB18030, a superset of GBK.
    Gbk,
}

impl CsvEncoding {
    /// The label shown in `Workbook.format` and notes.
    pub fn label(self) -> &'static str {
        match self {
            CsvEncoding::Utf8Bom => "UTF-8 BOM",
            CsvEncoding::Utf8 => "UTF-8",
            CsvEncoding::Utf16 => "UTF-16",
            CsvEncoding::Gbk => "GBK",
        }
    }
}

/// Decodes CSV bytes, or `None` when they are not clean text in any supported encoding.
pub(crate) fn decode(bytes: &[u8]) -> Option<(CsvEncoding, Cow<'_, str>)> {
    let (encoding, text) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (
            CsvEncoding::Utf8Bom,
            Cow::Borrowed(std::str::from_utf8(rest).ok()?),
        )
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let text = UTF_16LE.decode_without_bom_handling_and_without_replacement(rest)?;
        (CsvEncoding::Utf16, Cow::Owned(text.into_owned()))
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let text = UTF_16BE.decode_without_bom_handling_and_without_replacement(rest)?;
        (CsvEncoding::Utf16, Cow::Owned(text.into_owned()))
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (CsvEncoding::Utf8, Cow::Borrowed(text))
    } else {
        let text = GB18030.decode_without_bom_handling_and_without_replacement(bytes)?;
        (CsvEncoding::Gbk, text)
    };
    // NUL and other control characters mean a binary file that happened to decode.
    let controls = text
        .chars()
        .take(65_536)
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}'))
        .count();
    if text.contains('\0') || controls > 8 {
        return None;
    }
    Some((encoding, text))
}

/// The field delimiter: a tab when the first non-blank line has tabs but no commas (Excel's
/// "Unicode text" export), else a comma.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.contains('\t') && !first.contains(',') && !first.contains('，') {
        b'\t'
    } else {
        b','
    }
}

/// Parses decoded CSV text into a grid. Row indices are the rows Excel shows when it opens
/// the file: blank lines count, a quoted field spanning lines is one row. Cells are text
/// (trimmed); Excel's error spellings (`#N/A` …) become error cells, as Excel writes them so.
/// More than `max_rows` rows with content stop the parse (no more memory is taken).
pub(crate) fn parse(text: &str, max_rows: u32) -> Result<Grid, String> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    let mut record = ::csv::StringRecord::new();
    // The csv crate skips empty lines; they are rows in Excel, so count them back in.
    let bytes = text.as_bytes();
    let mut next_row: u64 = 0;
    let mut rows_with_content: u32 = 0;
    loop {
        let start = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX);
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(format!("CSV 格式错误（约第 {line} 行）：{e}"));
            }
        }
        let row = next_row + blank_lines_at(bytes, start);
        next_row = row + 1;
        let Ok(row) = u32::try_from(row) else {
            return Err("CSV 文件的行数超过了电子表格的上限".to_string());
        };
        let before = cells.len();
        for (col, field) in record.iter().enumerate() {
            let Ok(col) = u32::try_from(col) else { break };
            let cell = csv_cell(field);
            if !cell.is_empty() {
                cells.push((row, col, cell));
            }
        }
        if cells.len() > before {
            rows_with_content += 1;
            if rows_with_content > max_rows {
                return Err(format!(
                    "超过 {max_rows} 行，未读取；请拆分文件，或在 dangjian.toml 的 [limits] 中调大 rows_per_sheet"
                ));
            }
        }
    }
    Ok(Grid::from_cells(cells))
}

/// How many empty lines start at byte `start` (`\r\n`, `\n` and `\r` each end one). The csv
/// reader may stop between the `\r` and `\n` of a record's terminator; that `\n` is skipped.
fn blank_lines_at(bytes: &[u8], start: usize) -> u64 {
    let mut count = 0;
    let mut i = start;
    if i > 0 && bytes.get(i - 1) == Some(&b'\r') && bytes.get(i) == Some(&b'\n') {
        i += 1;
    }
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\r' | b'\n' => i += 1,
            _ => break,
        }
        count += 1;
    }
    count
}

/// One CSV field → a cell.
fn csv_cell(field: &str) -> Cell {
    match Cell::text(field) {
        Cell::Text(t) if Cell::EXCEL_ERRORS.contains(&t.as_str()) => Cell::Error(t),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        let gbk = GB18030.encode("学号,姓名\n1,张三\n").0.into_owned();
        let (enc, text) = decode(&gbk).unwrap();
        assert_eq!(enc, CsvEncoding::Gbk);
        assert!(text.contains("张三"));
        let bom = [&[0xEF, 0xBB, 0xBF][..], "学号".as_bytes()].concat();
        assert_eq!(decode(&bom).unwrap().0, CsvEncoding::Utf8Bom);
        assert_eq!(decode("学号".as_bytes()).unwrap().0, CsvEncoding::Utf8);
        // 0x80 alone is invalid in both UTF-8 and GB18030.
        assert!(decode(&[b'a', 0x80, b',', 0xFF]).is_none());
        assert!(decode(b"a\0b").is_none());
    }

    #[test]
    fn rows_follow_excel_numbering() {
        let g = parse("a,b\n\n\"x\ny\",z\n\nlast,\n", u32::MAX).unwrap();
        let rows: Vec<u32> = g.rows.iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![0, 2, 4]);
        assert_eq!(g.rows[1].get(0), &Cell::Text("x\ny".into()));
        assert_eq!(g.rows[2].cells.len(), 1);
    }

    #[test]
    fn line_endings() {
        for (text, rows) in [
            ("a\r\nb\r\n", vec![0, 1]),
            ("a\r\n\r\nb", vec![0, 2]),
            ("a\rb\r\rc", vec![0, 1, 3]),
            ("\n\na\n", vec![2]),
        ] {
            let g = parse(text, u32::MAX).unwrap();
            let got: Vec<u32> = g.rows.iter().map(|r| r.row).collect();
            assert_eq!(got, rows, "{text:?}");
        }
    }

    #[test]
    fn tabs_and_errors() {
        let g = parse("a\tb\n#N/A\t 2 \n", u32::MAX).unwrap();
        assert_eq!(g.rows[1].get(0), &Cell::Error("#N/A".into()));
        assert_eq!(g.rows[1].get(1), &Cell::Text("2".into()));
    }
}
