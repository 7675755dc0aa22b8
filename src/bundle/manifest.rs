//! The manifest 清单.csv: one line per input row, saying what became of it (generated with
//! which files, refused with which reasons, or ignored), so that no row disappears silently.
//!
//! Written for Excel/WPS on Chinese Windows: UTF-8 with a byte-order mark (without it Excel
//! reads the file as GBK and shows mojibake), CRLF line ends, standard CSV quoting.

use super::error::BundleError;
use crate::bundle::archive_path::{ArchivePath, join_paths};
use serde::Serialize;
use std::io::Write;
use std::sync::Arc;

/// The manifest's file name at the root of the archive.
pub const MANIFEST_FILE_NAME: &str = "清单.csv";

/// The column headers, in order.
pub const MANIFEST_HEADER: [&str; 9] = [
    "文件",
    "工作表",
    "行号",
    "类型",
    "学号",
    "姓名",
    "状态",
    "输出文件",
    "原因",
];

/// Joins several output paths or reasons inside one cell. A full-width semicolon keeps each
/// record on one physical line: rows stay one line high in Excel, Excel's text-import wizard
/// (which splits quoted line breaks into new rows) reads it correctly, and it reads naturally
/// in Chinese.
pub const LIST_SEPARATOR: &str = "；";

/// The UTF-8 byte-order mark Excel needs to recognise a CSV file as UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What became of an input row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Its documents were produced (生成).
    Generated,
    /// It had errors; no documents were produced (拒绝). The reasons say why.
    Refused,
    /// It carries no document by design, e.g. a footer line or blank row (忽略).
    Ignored,
    /// Not an input row: a notice about the whole run, e.g. an issuer not configured (提示).
    Note,
}

impl Status {
    /// The Chinese label written in the manifest.
    pub fn label(self) -> &'static str {
        match self {
            Status::Generated => "生成",
            Status::Refused => "拒绝",
            Status::Ignored => "忽略",
            Status::Note => "提示",
        }
    }
}

/// One line of the manifest: an input row and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestLine {
    /// The input file's name as the user gave it (shared with every row of the file).
    pub file: Arc<String>,
    /// The sheet's name (for CSV input: the file stem), shared with every row of the sheet.
    pub sheet: Arc<String>,
    /// The row number as Excel shows it (1-based); 0 for a line about the run, a whole file or
    /// a whole sheet (written empty).
    pub row: u32,
    /// The sheet kind's Chinese label, e.g. 花名册, 党校培训.
    pub kind: &'static str,
    /// The student's 学号 as read (may be empty on a broken row).
    pub student_id: String,
    /// The student's name as read (may be empty on a broken row).
    pub name: String,
    /// The student's 身份证号 from the roster, when the 学号 is a valid roster student's
    /// (empty otherwise). Shown in 清单.xlsx only: the CSV keeps its columns.
    pub id_card: String,
    /// What became of the row.
    pub status: Status,
    /// Archive paths of the documents made from this row (shared with the plan).
    pub outputs: Vec<ArchivePath>,
    /// Why the row was refused or ignored (and any warnings), in Chinese.
    pub reasons: Vec<String>,
}

/// The manifest's lines, to be read as many times as an output needs them (清单.csv, each
/// sheet of 清单.xlsx, each part of a split archive). A run makes its lines afresh from the
/// dataset each time, so that it never holds a line per input row; a list of lines is one
/// too.
pub trait ManifestLines {
    /// Every line, in manifest order.
    fn lines(&self) -> Box<dyn Iterator<Item = ManifestLine> + '_>;
}

impl ManifestLines for Vec<ManifestLine> {
    fn lines(&self) -> Box<dyn Iterator<Item = ManifestLine> + '_> {
        Box::new(self.iter().cloned())
    }
}

/// Serialises the manifest: BOM, header row, then `lines` in the order given (the caller sorts).
/// The same lines always give the same bytes.
///
/// Fails only if the CSV writer fails, which writing to memory does not do; the `Result` keeps
/// that impossibility out of the caller's way without a panic.
pub fn manifest_csv(lines: &[ManifestLine]) -> Result<Vec<u8>, BundleError> {
    let mut bytes = Vec::new();
    let mut writer = ManifestWriter::new(&mut bytes)?;
    for line in lines {
        writer.write(line)?;
    }
    writer.finish()?;
    Ok(bytes)
}

/// Writes the manifest a line at a time (the same bytes as [`manifest_csv`]), so that a run
/// over thousands of rows never holds the whole manifest in memory.
pub struct ManifestWriter<W: Write> {
    /// The CSV writer, after the BOM and the header.
    csv: csv::Writer<W>,
}

impl<W: Write> ManifestWriter<W> {
    /// Writes the BOM and the header row to `out`.
    pub fn new(mut out: W) -> Result<Self, BundleError> {
        out.write_all(BOM)
            .map_err(|e| BundleError::Manifest(csv::Error::from(e)))?;
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(out);
        csv.write_record(MANIFEST_HEADER)?;
        Ok(ManifestWriter { csv })
    }

    /// Writes one line.
    pub fn write(&mut self, line: &ManifestLine) -> Result<(), BundleError> {
        // Row 0: a line about the run, a file or a sheet, not about one row.
        let row = if line.row == 0 {
            String::new()
        } else {
            line.row.to_string()
        };
        let outputs = join_paths(&line.outputs, LIST_SEPARATOR);
        let reasons = line.reasons.join(LIST_SEPARATOR);
        self.csv.write_record([
            as_text(&line.file).as_ref(),
            as_text(&line.sheet).as_ref(),
            row.as_str(),
            as_text(line.kind).as_ref(),
            as_text(&line.student_id).as_ref(),
            as_text(&line.name).as_ref(),
            line.status.label(),
            as_text(&outputs).as_ref(),
            as_text(&reasons).as_ref(),
        ])?;
        Ok(())
    }

    /// Flushes what is buffered.
    pub fn finish(mut self) -> Result<(), BundleError> {
        self.csv
            .flush()
            .map_err(|e| BundleError::Manifest(csv::Error::from(e)))
    }
}

/// A cell as text Excel will not run: a value starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be read as a formula (CSV injection), so it gets a leading `'`,
/// which Excel and WPS show as the plain text it is.
pub fn as_text(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> ManifestLine {
        ManifestLine {
            file: Arc::new("花名册.xlsx".into()),
            sheet: Arc::new("2025级".into()),
            row: 7,
            kind: "花名册",
            student_id: "2021010101".into(),
            name: "张三".into(),
            id_card: String::new(),
            status: Status::Generated,
            outputs: vec![
                "计算机学院/第一党支部/2021010101_张三/入党积极分子登记表.pdf".into(),
                "计算机学院/第一党支部/2021010101_张三/个人档案材料.pdf".into(),
            ],
            reasons: vec![],
        }
    }

    fn parse(bytes: &[u8]) -> Vec<Vec<String>> {
        let body = bytes.strip_prefix(BOM).expect("BOM");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body)
            .records()
            .map(|r| r.expect("record").iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn starts_with_bom_and_header_and_uses_crlf() {
        let bytes = manifest_csv(&[line()]).expect("csv");
        let text = std::str::from_utf8(&bytes).expect("utf-8");
        assert!(text.starts_with("\u{FEFF}文件,工作表,行号,类型,学号,姓名,状态,输出文件,原因\r\n"));
        assert!(text.ends_with("\r\n"));
        assert_eq!(text.matches("\r\n").count(), 2);
        assert_eq!(text.matches('\n').count(), 2, "no bare LF line ends");
    }

    #[test]
    fn empty_manifest_is_bom_and_header_only() {
        let bytes = manifest_csv(&[]).expect("csv");
        assert_eq!(
            parse(&bytes),
            vec![MANIFEST_HEADER.map(str::to_owned).to_vec()]
        );
    }

    #[test]
    fn fields_and_joined_lists() {
        let mut refused = line();
        refused.status = Status::Refused;
        refused.outputs.clear();
        refused.reasons = vec!["E7 出生日期无法识别".into(), "F7 身份证号校验位错误".into()];
        let bytes = manifest_csv(&[line(), refused]).expect("csv");
        let rows = parse(&bytes);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[1],
            vec![
                "花名册.xlsx",
                "2025级",
                "7",
                "花名册",
                "2021010101",
                "张三",
                "生成",
                "计算机学院/第一党支部/2021010101_张三/入党积极分子登记表.pdf；\
                 计算机学院/第一党支部/2021010101_张三/个人档案材料.pdf",
                "",
            ]
        );
        assert_eq!(rows[2][6], "拒绝");
        assert_eq!(rows[2][7], "");
        assert_eq!(rows[2][8], "E7 出生日期无法识别；F7 身份证号校验位错误");
    }

    #[test]
    fn cells_excel_would_run_as_formulas_are_written_as_text() {
        let mut hostile = line();
        hostile.name = "=HYPERLINK(\"http://x\",\"点我\")".into();
        hostile.student_id = "+1".into();
        hostile.sheet = Arc::new("@SUM(A1)".into());
        hostile.reasons = vec!["-2+3".into()];
        let rows = parse(&manifest_csv(&[hostile]).expect("csv"));
        assert_eq!(rows[1][5], "'=HYPERLINK(\"http://x\",\"点我\")");
        assert_eq!(rows[1][4], "'+1");
        assert_eq!(rows[1][1], "'@SUM(A1)");
        assert_eq!(rows[1][8], "'-2+3");
        assert_eq!(rows[1][0], "花名册.xlsx", "ordinary cells unchanged");
    }

    #[test]
    fn commas_quotes_and_newlines_round_trip() {
        let mut tricky = line();
        tricky.file = Arc::new("a,b \"c\".xlsx".into());
        tricky.sheet = Arc::new("第一行\n第二行\r\n第三行".into());
        tricky.name = "\"".into();
        tricky.student_id = " 0012 ".into();
        tricky.status = Status::Ignored;
        tricky.outputs = vec![];
        tricky.reasons = vec!["页脚：“制表人：”,\n已忽略".into()];
        let bytes = manifest_csv(std::slice::from_ref(&tricky)).expect("csv");
        let rows = parse(&bytes);
        assert_eq!(rows.len(), 2);
        let r = &rows[1];
        assert_eq!(r[0], *tricky.file);
        assert_eq!(r[1], *tricky.sheet);
        assert_eq!(r[4], tricky.student_id);
        assert_eq!(r[5], tricky.name);
        assert_eq!(r[6], "忽略");
        assert_eq!(r[8], tricky.reasons[0]);
    }
}
