//! One cell value as read, format-independent.

use chrono::{NaiveDateTime, Timelike};

/// A cell's value, whatever format the workbook was in.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing in the cell (or only whitespace).
    Empty,
    /// Text (CSV cells are always text).
    Text(String),
    /// A whole number.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// TRUE/FALSE.
    Bool(bool),
    /// A cell formatted as a date/time in the workbook.
    DateTime(NaiveDateTime),
    /// An Excel error value such as `#N/A`, `#REF!`.
    Error(String),
}

impl Cell {
    /// True for [`Cell::Empty`].
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// A text cell from raw text: trimmed (incl. U+3000 and zero-width spaces); blank → `Empty`.
    pub fn text(raw: &str) -> Cell {
        let t = super::normalize::trim_blank(raw);
        if t.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(t.to_string())
        }
    }

    /// A text cell from an owned string, reusing the allocation when nothing is trimmed (a
    /// 10 MB cell is not copied).
    pub fn text_owned(raw: String) -> Cell {
        let t = super::normalize::trim_blank(&raw);
        if t.is_empty() {
            Cell::Empty
        } else if t.len() == raw.len() {
            Cell::Text(raw)
        } else {
            Cell::Text(t.to_string())
        }
    }

    /// The error code of a formula cell whose file holds no calculated value (written by a
    /// program that does not calculate formulas, and never opened and saved in Excel).
    pub const UNCALCULATED: &'static str = "（未计算的公式）";

    /// The Excel error values, spelled as Excel shows them.
    pub const EXCEL_ERRORS: [&'static str; 8] = [
        "#N/A",
        "#REF!",
        "#DIV/0!",
        "#VALUE!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#GETTING_DATA",
    ];
}

/// The cell as a user sees it in Excel: numbers without `.0` or exponent (rounded to Excel's
/// 15 significant digits), date cells as `2003-05-12` (with the time when it is not midnight),
/// errors as their Excel spelling, booleans as `TRUE`/`FALSE`, empty as nothing.
impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Empty => Ok(()),
            Cell::Text(t) => f.write_str(t),
            Cell::Int(i) => write!(f, "{i}"),
            Cell::Float(x) => f.write_str(&format_number(*x)),
            Cell::Bool(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Cell::DateTime(dt) => {
                if dt.time() == chrono::NaiveTime::MIN {
                    write!(f, "{}", dt.format("%Y-%m-%d"))
                } else if dt.second() == 0 {
                    write!(f, "{}", dt.format("%Y-%m-%d %H:%M"))
                } else {
                    write!(f, "{}", dt.format("%Y-%m-%d %H:%M:%S"))
                }
            }
            Cell::Error(e) => f.write_str(e),
        }
    }
}

/// A number as Excel shows it in a General cell: at most 15 significant digits, no exponent,
/// no trailing `.0` (`1.2e10` → `12000000000`, `0.1 + 0.2` → `0.3`).
pub fn format_number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    // Round to 15 significant digits through the exponent form, then print the shortest
    // decimal that round-trips (Rust's `Display` for f64 never uses an exponent).
    let rounded: f64 = format!("{x:.14e}").parse().unwrap_or(x);
    let s = rounded.to_string();
    if s == "-0" { "0".to_string() } else { s }
}
