//! Problems found in the input: every one carries where it was found (file › sheet › cell),
//! the column, the value seen and what was expected, in Chinese, so a user can go straight to
//! the cell in Excel/WPS and fix it.

use serde::Serialize;
use serde::ser::SerializeMap;
use std::fmt;
use std::sync::Arc;

/// How serious a problem is: errors refuse the row's documents, warnings and notes do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The row (or file) cannot be used; its documents are not produced.
    Error,
    /// Something looks wrong but the documents are still produced.
    Warning,
    /// Information only (ignored footer lines, detected encoding …).
    Note,
}

impl Severity {
    /// The Chinese label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Note => "提示",
        }
    }
}

/// A row of a sheet in a workbook, 0-based internally.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct RowRef {
    /// The input file's name as the user gave it (no directories).
    pub file: Arc<String>,
    /// The sheet's name (for CSV files: the file stem).
    pub sheet: Arc<String>,
    /// 0-based row index; Excel shows `row + 1`.
    pub row: u32,
}

impl RowRef {
    /// The 1-based row number Excel shows.
    pub fn excel_row(&self) -> u32 {
        self.row + 1
    }

    /// The cell of this row in the given 0-based column.
    pub fn cell(&self, col: u32) -> CellRef {
        CellRef {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row: self.row,
            col,
        }
    }
}

/// One cell of a sheet in a workbook, 0-based internally, A1 style for people.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    /// The input file's name as the user gave it.
    pub file: Arc<String>,
    /// The sheet's name.
    pub sheet: Arc<String>,
    /// 0-based row index.
    pub row: u32,
    /// 0-based column index.
    pub col: u32,
}

impl CellRef {
    /// The cell's address as Excel shows it, e.g. `E7`, `AA10`.
    pub fn a1(&self) -> String {
        format!("{}{}", column_letters(self.col), self.row + 1)
    }

    /// The row this cell is in.
    pub fn row_ref(&self) -> RowRef {
        RowRef {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row: self.row,
        }
    }
}

/// Excel's column letters for a 0-based column index: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// Where a problem was found, as precisely as known.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Location {
    /// The whole run (configuration, templates, fonts).
    Run,
    /// A whole input file.
    File(Arc<String>),
    /// A whole sheet of a file.
    Sheet {
        /// The input file's name.
        file: Arc<String>,
        /// The sheet's name.
        sheet: Arc<String>,
    },
    /// A row of a sheet.
    Row(RowRef),
    /// One cell.
    Cell(CellRef),
}

impl Location {
    /// The row this location lies in, if it is a row or a cell.
    pub fn row(&self) -> Option<RowRef> {
        match self {
            Location::Row(r) => Some(r.clone()),
            Location::Cell(c) => Some(c.row_ref()),
            _ => None,
        }
    }
}

/// As a user finds it: `file`, `sheet`, `row` (as Excel numbers it) and `cell` (`E7`), each
/// present when the location has it, and `text`, the whole location as printed
/// (`花名册.xlsx › 花名册 › E7`).
impl Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self {
            Location::Run => {}
            Location::File(file) => map.serialize_entry("file", file.as_str())?,
            Location::Sheet { file, sheet } => {
                map.serialize_entry("file", file.as_str())?;
                map.serialize_entry("sheet", sheet.as_str())?;
            }
            Location::Row(r) => {
                map.serialize_entry("file", r.file.as_str())?;
                map.serialize_entry("sheet", r.sheet.as_str())?;
                map.serialize_entry("row", &r.excel_row())?;
            }
            Location::Cell(c) => {
                map.serialize_entry("file", c.file.as_str())?;
                map.serialize_entry("sheet", c.sheet.as_str())?;
                map.serialize_entry("row", &(c.row + 1))?;
                map.serialize_entry("cell", &c.a1())?;
            }
        }
        map.serialize_entry("text", &self.to_string())?;
        map.end()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Run => f.write_str("本次运行"),
            Location::File(file) => f.write_str(file),
            Location::Sheet { file, sheet } => write!(f, "{file} › {sheet}"),
            Location::Row(r) => write!(f, "{} › {} › 第{}行", r.file, r.sheet, r.excel_row()),
            Location::Cell(c) => write!(f, "{} › {} › {}", c.file, c.sheet, c.a1()),
        }
    }
}

/// One problem: where, which column, the value seen, and what is wrong or expected (Chinese).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Problem {
    /// Error, warning or note.
    pub severity: Severity,
    /// Where it was found.
    pub location: Location,
    /// The column's standard name (e.g. 出生日期), when the problem concerns one column.
    pub column: Option<String>,
    /// The value as seen in the cell (shortened for display).
    pub value: Option<String>,
    /// What is wrong and what is expected, in Chinese.
    pub message: String,
}

/// Longest value shown in a message; a 10 MB cell must not flood the terminal.
const MAX_SHOWN_VALUE_CHARS: usize = 40;

impl Problem {
    /// True for a notice about the whole run (a warning at [`Location::Run`], e.g. an issuer
    /// not configured): shown first in the summary and noted at the top of the manifest.
    pub fn is_run_notice(&self) -> bool {
        self.severity == Severity::Warning && self.location == Location::Run
    }

    /// An error at a location.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, location, message)
    }

    /// A warning at a location.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, location, message)
    }

    /// A note at a location.
    pub fn note(location: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, location, message)
    }

    fn new(severity: Severity, location: Location, message: impl Into<String>) -> Self {
        Problem {
            severity,
            location,
            column: None,
            value: None,
            message: message.into(),
        }
    }

    /// The same problem, naming the column it concerns.
    pub fn with_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// The same problem, quoting the value seen (shortened to a readable length).
    pub fn with_value(mut self, value: impl AsRef<str>) -> Self {
        self.value = Some(shorten(value.as_ref()));
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The problem without file and sheet, for a list that already names the row (the
    /// manifest): `E7 列「出生日期」值「2003-13-01」：…`.
    pub fn within_row(&self) -> String {
        let mut out = String::new();
        if self.severity != Severity::Error {
            out.push_str(&format!("[{}] ", self.severity.label()));
        }
        if let Location::Cell(cell) = &self.location {
            out.push_str(&cell.a1());
            out.push(' ');
        }
        if let Some(column) = &self.column {
            out.push_str(&format!("列「{column}」"));
        }
        if let Some(value) = &self.value {
            out.push_str(&format!("值「{value}」"));
        }
        if !out.is_empty() && !out.ends_with(' ') {
            out.push('：');
        }
        out.push_str(&self.message);
        out
    }
}

/// Shortens a value for display: at most `MAX_SHOWN_VALUE_CHARS` characters, line breaks
/// shown as ⏎, other control characters escaped (`\u{1b}`) so that none reaches a terminal.
pub fn shorten(value: &str) -> String {
    let mut out: String = value
        .chars()
        .take(MAX_SHOWN_VALUE_CHARS)
        .map(|c| if c == '\n' || c == '\r' { '⏎' } else { c })
        .collect();
    out = escape_controls(&out).into_owned();
    let total = value.chars().count();
    if total > MAX_SHOWN_VALUE_CHARS {
        out.push_str(&format!("…（共{total}字）"));
    }
    out
}

/// Text with its control characters (ESC, OSC, BEL … but not line breaks) written as
/// `\u{1b}`: safe to print on a terminal, which would otherwise obey them.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n';
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.severity.label(), self.location)?;
        if let Some(column) = &self.column {
            write!(f, " 列「{column}」")?;
        }
        if let Some(value) = &self.value {
            write!(f, "值「{value}」")?;
        }
        write!(f, "：{}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_match_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(4), "E");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn message_names_file_sheet_cell_column_value() {
        let cell = CellRef {
            file: Arc::new("花名册.xlsx".into()),
            sheet: Arc::new("花名册".into()),
            row: 6,
            col: 4,
        };
        let p = Problem::error(
            Location::Cell(cell),
            "无法识别为日期，应为 2003-05-12 或 2003年5月",
        )
        .with_column("出生日期")
        .with_value("2003-13-01");
        assert_eq!(
            p.to_string(),
            "[错误] 花名册.xlsx › 花名册 › E7 列「出生日期」值「2003-13-01」：无法识别为日期，应为 2003-05-12 或 2003年5月"
        );
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(escape_controls("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(escape_controls("第一行\n第二行"), "第一行\n第二行");
        assert_eq!(shorten("张\u{1b}[2J三"), "张\\u{1b}[2J三");
    }

    #[test]
    fn huge_values_are_shortened() {
        let big = "字".repeat(10_000_000 / 3);
        let shown = shorten(&big);
        assert!(shown.chars().count() < 60);
        assert!(shown.contains("共"));
    }
}
