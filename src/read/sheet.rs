//! One sheet's grid → a [`Sheet`]: its kind, its header and columns, its data rows, and every
//! other non-blank row set aside with a reason (title rows, the header, footer lines).

use super::excel::Merge;
use super::grid::{Grid, GridRow};
use super::header::{HeaderCell, header_cells, is_silent, match_column};
use super::kind_choice::{Choice, HEADER_SEARCH_ROWS, choose};
use super::normalize::{half_width_char, is_blank_char};
use super::{Aliases, Cell, ColumnMatch, IgnoredRow, Row, Sheet, SheetKind};
use crate::problem::{CellRef, Location, Problem, RowRef};
use std::sync::Arc;

/// First words of footer lines (compared after removing blanks and full-width → half-width).
/// Longer words first, so the reason names the most specific one.
const FOOTER_WORDS: &[&str] = &[
    "填表说明",
    "填表日期",
    "填报日期",
    "制表日期",
    "制表时间",
    "制表人",
    "填表人",
    "填报人",
    "审核人",
    "负责人",
    "合计",
    "总计",
    "备注:",
    "注:",
    "说明",
    "制表:",
    "审核:",
];

/// True for a sheet named as instructions (说明, 填表说明, 使用说明 …).
fn is_instructions(sheet_name: &str) -> bool {
    super::normalize::normalize_text(sheet_name).contains("说明")
}

/// How many characters of the ignored row's text are kept for the manifest.
const IGNORED_TEXT_CHARS: usize = 60;

/// How many rows (data and set aside) a part of a sheet holds before it is handed over.
const PART_ROWS: usize = 1024;

/// Builds the sheet from its grid, appending problems found to `problems`. A sheet of many
/// rows is handed to `on_part` in parts of consecutive rows as they are made, so that its
/// rows are never all held at once beside its grid; the sheet returned is the last part.
pub(crate) fn build_sheet(
    file: &Arc<String>,
    name: &str,
    grid: Grid,
    merges: &[Merge],
    aliases: &Aliases,
    problems: &mut Vec<Problem>,
    on_part: &mut dyn FnMut(Sheet),
) -> Sheet {
    let name: Arc<String> = Arc::new(name.to_string());
    let at_sheet = Location::Sheet {
        file: file.clone(),
        sheet: name.clone(),
    };
    let mut sheet = Sheet {
        file: file.clone(),
        name: name.clone(),
        kind: None,
        header_row: None,
        columns: Vec::new(),
        rows: Vec::new(),
        ignored: Vec::new(),
        blank_rows: grid.blank_rows(),
        size_hint: grid.rows.len(),
    };

    if grid.rows.is_empty() {
        let by_name = SheetKind::by_sheet_name(&name);
        if let [kind] = by_name[..] {
            sheet.kind = Some(kind);
        }
        problems.push(if by_name.is_empty() {
            Problem::note(at_sheet, "工作表为空，已跳过")
        } else {
            Problem::warning(at_sheet, "工作表为空：没有任何内容")
        });
        return sheet;
    }

    let candidates: Vec<Vec<HeaderCell>> = grid
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .map(header_cells)
        .collect();

    match choose(&name, &candidates, aliases) {
        Choice::Kind {
            kind,
            header,
            explain,
        } => {
            if let Some((warn, message)) = explain {
                problems.push(if warn {
                    Problem::warning(at_sheet.clone(), message)
                } else {
                    Problem::note(at_sheet.clone(), message)
                });
            }
            let input = SheetInput {
                grid,
                merges,
                candidates: &candidates,
                header,
            };
            read_rows(&mut sheet, kind, input, aliases, problems, on_part);
        }
        Choice::MissingColumns {
            kind,
            missing,
            best,
        } => {
            sheet.kind = Some(kind);
            let best_row = grid.rows.get(best).map_or(0, |r| r.row);
            let found: Vec<String> = candidates
                .get(best)
                .map(|cells| {
                    cells
                        .iter()
                        .take(30)
                        .map(|h| shorten_chars(&h.text, 20))
                        .collect()
                })
                .unwrap_or_default();
            problems.push(Problem::error(
                at_sheet,
                format!(
                    "工作表名表明这是「{}」，但找不到必需列：{}。最像表头的是第 {} 行：{}。请检查表头文字（可在配置中为列名添加别名）",
                    kind.label(),
                    missing.join("、"),
                    best_row + 1,
                    found.join("、")
                ),
            ));
            let reason = format!("缺少必需列（{}）", missing.join("、"));
            ignore_all(&mut sheet, grid, &reason, on_part);
        }
        // A sheet of instructions (说明, 填表说明) is expected to hold no data: a note.
        Choice::Unrecognised(_) if is_instructions(&name) => {
            problems.push(Problem::note(
                at_sheet,
                "说明性的工作表（工作表名含「说明」），未作为数据读取",
            ));
            ignore_all(&mut sheet, grid, "说明性的工作表", on_part);
        }
        Choice::Unrecognised(message) => {
            problems.push(Problem::warning(at_sheet, message));
            ignore_all(&mut sheet, grid, "未识别的工作表", on_part);
        }
    }
    sheet
}

/// Every non-blank row of the grid set aside with one reason.
fn ignore_all(sheet: &mut Sheet, grid: Grid, reason: &str, on_part: &mut dyn FnMut(Sheet)) {
    for row in &grid.rows {
        let at = row_ref(sheet, row.row);
        sheet.ignored.push(ignored(at, reason, row));
        hand_over_full_part(sheet, on_part);
    }
}

/// Hands the rows made so far to `on_part` once they fill a part, keeping the sheet's kind
/// and columns for the next part. Blank rows are counted once, in the last part.
fn hand_over_full_part(sheet: &mut Sheet, on_part: &mut dyn FnMut(Sheet)) {
    if sheet.rows.len() + sheet.ignored.len() < PART_ROWS {
        return;
    }
    on_part(Sheet {
        file: sheet.file.clone(),
        name: sheet.name.clone(),
        kind: sheet.kind,
        header_row: sheet.header_row,
        columns: sheet.columns.clone(),
        rows: std::mem::take(&mut sheet.rows),
        ignored: std::mem::take(&mut sheet.ignored),
        blank_rows: 0,
        size_hint: sheet.size_hint,
    });
}

/// What [`read_rows`] works on: the grid, its merged regions, the candidate header rows and
/// which of them is the header.
struct SheetInput<'a> {
    grid: Grid,
    merges: &'a [Merge],
    candidates: &'a [Vec<HeaderCell>],
    header: usize,
}

/// Maps the header (and an optional second header row), fills merged data cells, then sorts
/// the remaining rows into data rows and footer lines.
fn read_rows(
    sheet: &mut Sheet,
    kind: SheetKind,
    input: SheetInput<'_>,
    aliases: &Aliases,
    problems: &mut Vec<Problem>,
    on_part: &mut dyn FnMut(Sheet),
) {
    let SheetInput {
        mut grid,
        merges,
        candidates,
        header,
    } = input;
    sheet.kind = Some(kind);
    let Some(head) = candidates.get(header) else {
        return;
    };
    let header_row = grid.rows.get(header).map_or(0, |r| r.row);
    sheet.header_row = Some(header_row);
    let at_sheet = Location::Sheet {
        file: sheet.file.clone(),
        sheet: sheet.name.clone(),
    };

    // Columns of the header row.
    let mut unknown: Vec<(u32, String)> = Vec::new();
    for h in head {
        match h
            .key
            .as_deref()
            .and_then(|k| match_column(kind, k, aliases))
        {
            Some(spec) => add_column(sheet, spec.name, h, header_row, problems),
            None if h.key.as_deref().is_some_and(is_silent) => {}
            None => unknown.push((h.col, shorten_chars(&h.text, 20))),
        }
    }

    // A second header row under a merged group label (e.g. 票数 over 优秀票, 合格票 …): a row
    // whose every cell is a column name of this kind, at least one not yet found.
    let mut data_start = header + 1;
    let sub = grid.rows.get(header + 1).map(header_cells);
    if let Some(sub) = sub.filter(|sub| is_sub_header(sheet, kind, sub, aliases)) {
        let sub_row = grid.rows.get(header + 1).map_or(0, |r| r.row);
        for h in &sub {
            if let Some(spec) = h
                .key
                .as_deref()
                .and_then(|k| match_column(kind, k, aliases))
            {
                add_column(sheet, spec.name, h, sub_row, problems);
                unknown.retain(|(col, _)| *col != h.col);
            }
        }
        data_start += 1;
    }
    sheet.columns.sort_by_key(|c| c.col);

    if let Some(first_data_row) = grid.rows.get(data_start).map(|r| r.row) {
        let filled = fill_merged(&mut grid, first_data_row, &sheet.columns, merges);
        if filled > 0 {
            problems.push(Problem::note(
                at_sheet.clone(),
                format!("{filled} 处合并单元格（如合并的学院、党支部）的值已填入所合并的每一行"),
            ));
        }
    }

    if !unknown.is_empty() {
        let names: Vec<String> = unknown.into_iter().map(|(_, t)| t).collect();
        problems.push(Problem::note(
            at_sheet.clone(),
            format!(
                "以下列不属于「{}」，已忽略：{}（如需使用，请在配置中添加列名别名）",
                kind.label(),
                names.join("、")
            ),
        ));
    }

    let required_cols: Vec<u32> = sheet
        .columns
        .iter()
        .filter(|c| kind.column(c.name).is_some_and(|s| s.required))
        .map(|c| c.col)
        .collect();
    let mut footer: Option<String> = None;
    let mut footer_lines = 0usize;
    let mut empty_lines = 0usize;
    let mut data_rows = 0usize;
    for (i, mut row) in grid.rows.into_iter().enumerate() {
        hand_over_full_part(sheet, on_part);
        let at = row_ref(sheet, row.row);
        if i < header {
            sheet.ignored.push(ignored(at, "标题行", &row));
            continue;
        }
        if i < data_start {
            sheet.ignored.push(ignored(at, "表头", &row));
            continue;
        }
        if let Some(word) = &footer {
            // After the first footer line everything is footer, unless it clearly is data:
            // every required column filled.
            let is_data = required_cols.iter().all(|c| !row.get(*c).is_empty());
            if !is_data {
                let reason = format!("表尾（「{word}」之后）");
                sheet.ignored.push(ignored(at, &reason, &row));
                footer_lines += 1;
                continue;
            }
        } else if let Some(word) = footer_word(&row) {
            sheet
                .ignored
                .push(ignored(at, &format!("表尾（{word}）"), &row));
            footer = Some(word);
            footer_lines += 1;
            continue;
        }
        if is_repeated_header(kind, &sheet.columns, &row, aliases) {
            sheet.ignored.push(ignored(at, "重复的表头", &row));
            continue;
        }
        if sheet.columns.iter().all(|c| row.get(c.col).is_empty()) {
            sheet.ignored.push(ignored(
                at,
                "所有已识别的列都为空（只有序号等无关内容）",
                &row,
            ));
            empty_lines += 1;
            continue;
        }
        let cells = sheet
            .columns
            .iter()
            .map(|c| (c.name, c.col, row.take(c.col)))
            .collect();
        sheet.rows.push(Row { at, cells });
        data_rows += 1;
    }

    if footer_lines > 0 {
        problems.push(Problem::note(
            at_sheet.clone(),
            format!("忽略了 {footer_lines} 行表尾（制表人、填表日期、合计、说明等）"),
        ));
    }
    if empty_lines > 0 {
        problems.push(Problem::note(
            at_sheet.clone(),
            format!("忽略了 {empty_lines} 行：已识别的列都为空（只有序号等无关内容）"),
        ));
    }
    if data_rows == 0 {
        problems.push(Problem::warning(
            at_sheet,
            format!("没有数据行：表头在第 {} 行，其下没有数据", header_row + 1),
        ));
    }
}

/// Copies the value of every merged region lying in the data rows into the recognised columns
/// of the region's other non-blank rows (a 学院 merged over ten students belongs to all ten).
/// Rows that are blank stay blank. Returns how many regions were filled.
///
/// Linear in the sheet: Excel's merged regions never overlap, so together they cover each
/// cell at most once; a file declaring overlapping regions (which only a hand-made file can)
/// stops being filled once that many cells have been visited.
fn fill_merged(
    grid: &mut Grid,
    first_data_row: u32,
    columns: &[ColumnMatch],
    merges: &[Merge],
) -> usize {
    let mut filled = 0;
    let mut budget = grid.rows.len().saturating_mul(columns.len().max(1));
    for &(r0, c0, r1, c1) in merges {
        if r0 < first_data_row || (r1 <= r0 && c1 <= c0) {
            continue;
        }
        let Ok(top) = grid.rows.binary_search_by_key(&r0, |r| r.row) else {
            continue;
        };
        let value = grid.rows[top].get(c0).clone();
        if value.is_empty() {
            continue;
        }
        let cols: Vec<u32> = columns
            .iter()
            .map(|c| c.col)
            .filter(|c| (c0..=c1).contains(c))
            .collect();
        let mut any = false;
        for row in grid.rows[top..].iter_mut().take_while(|r| r.row <= r1) {
            if budget == 0 {
                return filled;
            }
            budget = budget.saturating_sub(cols.len().max(1));
            for &c in &cols {
                if row.get(c).is_empty() {
                    row.set(c, value.clone());
                    any = true;
                }
            }
        }
        filled += usize::from(any);
    }
    filled
}

/// True for a data-area row that repeats the header (sheets exported for printing repeat it
/// on every page): at least two recognised columns, each holding its own column's header.
fn is_repeated_header(
    kind: SheetKind,
    columns: &[ColumnMatch],
    row: &GridRow,
    aliases: &Aliases,
) -> bool {
    let mut matched = 0;
    for c in columns {
        match row.get(c.col) {
            Cell::Empty => {}
            Cell::Text(t) if t.len() <= 200 => {
                let key = super::normalize::normalize_header(t);
                if match_column(kind, &key, aliases).is_some_and(|spec| spec.name == c.name) {
                    matched += 1;
                } else {
                    return false;
                }
            }
            _ => return false,
        }
    }
    matched >= 2
}

/// True when the row under the header is a second header row (see [`read_rows`]).
fn is_sub_header(sheet: &Sheet, kind: SheetKind, cells: &[HeaderCell], aliases: &Aliases) -> bool {
    let mut new_column = false;
    for h in cells {
        let Some(spec) = h
            .key
            .as_deref()
            .and_then(|k| match_column(kind, k, aliases))
        else {
            return false;
        };
        if !sheet.columns.iter().any(|c| c.name == spec.name) {
            new_column = true;
        }
    }
    new_column
}

/// Records a column found in a header row; a second header for the same standard column is
/// reported and ignored (the first one wins).
fn add_column(
    sheet: &mut Sheet,
    name: &'static str,
    h: &HeaderCell,
    header_row: u32,
    problems: &mut Vec<Problem>,
) {
    let cell = CellRef {
        file: sheet.file.clone(),
        sheet: sheet.name.clone(),
        row: header_row,
        col: h.col,
    };
    if let Some(first) = sheet.columns.iter().find(|c| c.name == name) {
        let first_at = CellRef {
            col: first.col,
            ..cell.clone()
        };
        problems.push(
            Problem::warning(
                Location::Cell(cell),
                format!(
                    "列「{name}」重复：{} 列「{}」已是该列，本列被忽略",
                    crate::problem::column_letters(first_at.col),
                    first.header
                ),
            )
            .with_column(name)
            .with_value(&h.text),
        );
        return;
    }
    sheet.columns.push(ColumnMatch {
        name,
        col: h.col,
        header: h.text.clone(),
    });
}

/// The footer word the row's first non-empty cell starts with, if any.
fn footer_word(row: &GridRow) -> Option<String> {
    let (_, first) = row.cells.first()?;
    let Cell::Text(text) = first else {
        return None;
    };
    let head: String = text
        .chars()
        .take(20)
        .map(half_width_char)
        .filter(|c| !is_blank_char(*c))
        .collect();
    FOOTER_WORDS
        .iter()
        .find(|w| head.starts_with(*w))
        .map(|w| w.trim_end_matches(':').to_string())
}

/// The position of a row of the sheet.
fn row_ref(sheet: &Sheet, row: u32) -> RowRef {
    RowRef {
        file: sheet.file.clone(),
        sheet: sheet.name.clone(),
        row,
    }
}

/// An ignored row with its text for the manifest.
fn ignored(at: RowRef, reason: &str, row: &GridRow) -> IgnoredRow {
    IgnoredRow {
        at,
        reason: reason.to_string(),
        text: row_text(row),
    }
}

/// The row's non-empty cells joined by a space, at most [`IGNORED_TEXT_CHARS`] characters
/// (a 10 MB cell is never copied whole).
fn row_text(row: &GridRow) -> String {
    let mut out = String::new();
    let mut chars = 0usize;
    for (_, cell) in &row.cells {
        if chars >= IGNORED_TEXT_CHARS {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        let text = match cell {
            Cell::Text(t) => shorten_chars(t, IGNORED_TEXT_CHARS - chars.min(IGNORED_TEXT_CHARS)),
            other => other.to_string(),
        };
        chars += text.chars().count();
        out.push_str(&text);
    }
    out
}

/// At most `max` characters of `s`, with `…` when cut; line breaks shown as spaces.
fn shorten_chars(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .take(max)
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}
