//! Reading the typed fields of one row: each parse failure becomes a problem naming the
//! cell, the column, the value seen and what is expected, and the row remembers that it
//! has errors.

use crate::bundle::layout::is_invisible_format;
use crate::model::value::{Parsed, cell_text};
use crate::problem::{Location, Problem};
use crate::read::{Cell, Row};
use unicode_normalization::UnicodeNormalization;

/// The most characters Excel keeps in one cell; longer text can only come from another program.
pub const EXCEL_CELL_LIMIT: usize = 32_767;

/// Reads the fields of one row and collects the problems found in it.
pub struct FieldReader<'a> {
    /// The row being read.
    row: &'a Row,
    /// Problems found so far in this row.
    pub problems: Vec<Problem>,
}

impl<'a> FieldReader<'a> {
    /// Starts reading a row.
    pub fn new(row: &'a Row) -> Self {
        FieldReader {
            row,
            problems: Vec::new(),
        }
    }

    /// True when an error was found in the row.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    /// A required field: a missing column or an empty cell is an error.
    pub fn required<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&Cell) -> Parsed<T>,
    ) -> Option<T> {
        let (location, cell) = match self.row.get(column) {
            Some((cell_ref, cell)) => (Location::Cell(cell_ref), Some(cell)),
            None => (Location::Row(self.row.at.clone()), None),
        };
        let had_errors = self.problems.len();
        let value = cell.and_then(|_| self.optional(column, parse));
        if value.is_none() && self.problems.len() == had_errors {
            self.problems.push(
                Problem::error(location, "必填项为空，请填写").with_column(column.to_string()),
            );
        }
        value
    }

    /// An optional field: a missing column or an empty cell gives `None` without a problem.
    pub fn optional<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&Cell) -> Parsed<T>,
    ) -> Option<T> {
        let (cell_ref, cell) = self.row.get(column)?;
        if matches!(cell, Cell::Empty) {
            return None;
        }
        let truncated;
        let cell = match cell {
            Cell::Text(text) if text.chars().count() > EXCEL_CELL_LIMIT => {
                self.problems.push(
                    Problem::warning(
                        Location::Cell(cell_ref.clone()),
                        format!(
                            "内容有 {} 字，超过 Excel 单元格上限 {EXCEL_CELL_LIMIT} 字，只使用前 {EXCEL_CELL_LIMIT} 字；请核对该单元格",
                            text.chars().count()
                        ),
                    )
                    .with_column(column.to_string())
                    .with_value(text),
                );
                truncated = Cell::Text(text.chars().take(EXCEL_CELL_LIMIT).collect());
                &truncated
            }
            cell => cell,
        };
        match parse(cell) {
            Ok(value) => value,
            Err(message) => {
                self.problems.push(
                    Problem::error(Location::Cell(cell_ref), message)
                        .with_column(column.to_string())
                        .with_value(cell_text(cell)),
                );
                None
            }
        }
    }

    /// A name-like value (姓名, 学院, 党支部 …) as it is compared and printed: in Unicode
    /// NFC (so that two spellings of one character are one name), without invisible
    /// characters — zero-width, bidi and tag characters, which a reader cannot see and
    /// which would make two equal-looking names differ — each reported as a warning on
    /// its cell.
    pub fn visible(&mut self, column: &str, value: Option<String>) -> Option<String> {
        let unseen = |c: char| is_invisible_format(c) || c.is_control();
        // What the cell holds, before any clean-up of the parser (which drops some of them).
        let raw = self
            .row
            .get(column)
            .map(|(_, cell)| cell_text(cell))
            .unwrap_or_default();
        let hidden: Vec<String> = raw
            .chars()
            .filter(|&c| unseen(c) && !matches!(c, '\n' | '\r' | '\t'))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        if !hidden.is_empty() {
            self.warn(
                column,
                format!(
                    "含有看不见的字符（{}，多为复制粘贴带入的零宽、方向或控制字符），已去掉；请在表格中删除",
                    hidden.join("、")
                ),
            );
        }
        let cleaned: String = value?.chars().filter(|&c| !unseen(c)).nfc().collect();
        (!cleaned.is_empty()).then_some(cleaned)
    }

    /// A warning about one cell of the row (the row is still used).
    pub fn warn(&mut self, column: &str, message: impl Into<String>) {
        let problem = match self.row.get(column) {
            Some((cell_ref, cell)) => Problem::warning(Location::Cell(cell_ref), message)
                .with_column(column.to_string())
                .with_value(cell_text(cell)),
            None => Problem::warning(Location::Row(self.row.at.clone()), message)
                .with_column(column.to_string()),
        };
        self.problems.push(problem);
    }

    /// An error about one cell of the row (the row is refused).
    pub fn error(&mut self, column: &str, message: impl Into<String>) {
        let problem = match self.row.get(column) {
            Some((cell_ref, cell)) => Problem::error(Location::Cell(cell_ref), message)
                .with_column(column.to_string())
                .with_value(cell_text(cell)),
            None => Problem::error(Location::Row(self.row.at.clone()), message)
                .with_column(column.to_string()),
        };
        self.problems.push(problem);
    }
}
