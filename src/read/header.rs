//! Header matching: which cells of a row name which standard columns of a sheet kind.

use super::grid::GridRow;
use super::kinds::{ColumnSpec, SheetKind};
use super::normalize::normalize_header;
use super::{Aliases, Cell};

/// Headers longer than this (in bytes, after trimming) are not headers; skipping them keeps a
/// 10 MB cell from being normalised over and over.
const MAX_HEADER_BYTES: usize = 200;

/// Columns that are common in real sheets but carry nothing the tool uses; they are ignored
/// without a note.
const SILENT_COLUMNS: &[&str] = &["序号", "编号", "No.", "NO.", "no."];

/// One header cell of a row: its column, its text as written and its normalised form.
#[derive(Debug, Clone)]
pub(crate) struct HeaderCell {
    /// 0-based column.
    pub col: u32,
    /// The text as written (trimmed).
    pub text: String,
    /// The normalised text, or `None` when the cell cannot be a header (too long).
    pub key: Option<String>,
}

/// The header cells of a grid row.
pub(crate) fn header_cells(row: &GridRow) -> Vec<HeaderCell> {
    row.cells
        .iter()
        .filter(|(_, cell)| !matches!(cell, Cell::Error(_)))
        .map(|(col, cell)| match cell {
            Cell::Text(t) if t.len() > MAX_HEADER_BYTES => HeaderCell {
                col: *col,
                text: t.chars().take(20).chain(['…']).collect(),
                key: None,
            },
            _ => {
                let text = cell.to_string();
                let key = Some(normalize_header(&text));
                HeaderCell {
                    col: *col,
                    text,
                    key,
                }
            }
        })
        .collect()
}

/// Matches one normalised header against a kind's columns: standard names first, then
/// built-in aliases, then the configuration's aliases.
pub(crate) fn match_column(
    kind: SheetKind,
    key: &str,
    aliases: &Aliases,
) -> Option<&'static ColumnSpec> {
    let columns = kind.columns();
    columns
        .iter()
        .find(|c| c.name == key)
        .or_else(|| columns.iter().find(|c| c.aliases.contains(&key)))
        .or_else(|| {
            columns.iter().find(|c| {
                aliases
                    .get(c.name)
                    .is_some_and(|extra| extra.iter().any(|a| normalize_header(a) == key))
            })
        })
}

/// The standard columns of a kind found among header cells (with duplicates).
pub(crate) fn found_columns(
    kind: SheetKind,
    cells: &[HeaderCell],
    aliases: &Aliases,
) -> Vec<(&'static ColumnSpec, usize)> {
    cells
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Some((match_column(kind, h.key.as_deref()?, aliases)?, i)))
        .collect()
}

/// The required columns of a kind missing from header cells, in SPEC order.
pub(crate) fn missing_required(
    kind: SheetKind,
    cells: &[HeaderCell],
    aliases: &Aliases,
) -> Vec<&'static str> {
    let found = found_columns(kind, cells, aliases);
    kind.required_columns()
        .filter(|spec| !found.iter().any(|(f, _)| f.name == spec.name))
        .map(|spec| spec.name)
        .collect()
}

/// True for header cells ignored without a note (序号 …).
pub(crate) fn is_silent(key: &str) -> bool {
    SILENT_COLUMNS.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(texts: &[&str]) -> GridRow {
        GridRow {
            row: 0,
            cells: texts
                .iter()
                .enumerate()
                .map(|(i, t)| (i as u32, Cell::text(t)))
                .collect(),
        }
    }

    #[test]
    fn matches_names_aliases_and_config() {
        let mut aliases = Aliases::new();
        aliases.insert("党支部".into(), vec!["支部名称".into()]);
        let cells = header_cells(&row(&[
            "序号",
            "学籍号",
            "学生 姓名",
            "性别",
            "出生年月（yyyy.mm）",
            "院系",
            "支部名称",
        ]));
        assert!(missing_required(SheetKind::Roster, &cells, &aliases).is_empty());
        assert_eq!(
            missing_required(SheetKind::Roster, &cells, &Aliases::new()),
            vec!["党支部"]
        );
        assert_eq!(
            missing_required(SheetKind::Talk, &cells, &aliases),
            vec!["谈话日期", "谈话人"]
        );
    }
}
