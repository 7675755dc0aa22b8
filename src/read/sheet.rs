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

/// Builds a sheet from its whole grid (merged regions filled first), appending problems found
/// to `problems`. A sheet of many rows is handed to `on_part` in parts of consecutive rows as
/// they are made, so that its rows are never all held at once beside its grid; the sheet
/// returned is the last part.
pub(crate) fn build_sheet(
    file: &Arc<String>,
    name: &str,
    mut grid: Grid,
    merges: &[Merge],
    aliases: &Aliases,
    problems: &mut Vec<Problem>,
    on_part: &mut dyn FnMut(Sheet),
) -> Sheet {
    let mut stream = SheetStream::new(file, name, aliases, grid.rows.len());
    if !grid.rows.is_empty() {
        let first = &grid.rows[..grid.rows.len().min(HEADER_SEARCH_ROWS + 1)];
        stream.recognise(first);
        if let Mode::Sorting(sorter) = &stream.mode
            && let Some(first_data_row) = grid.rows.get(sorter.data_start).map(|r| r.row)
        {
            let filled = fill_merged(&mut grid, first_data_row, &stream.sheet.columns, merges);
            if filled > 0 {
                stream.problems.push(Problem::note(
                    stream.at_sheet(),
                    format!(
                        "{filled} 处合并单元格（如合并的学院、党支部）的值已填入所合并的每一行"
                    ),
                ));
            }
        }
        stream.note_unknown_columns();
    }
    for row in grid.rows {
        stream.sort(row, on_part);
    }
    let (sheet, mut found) = stream.end();
    problems.append(&mut found);
    sheet
}

/// A sheet read row by row as the reader streams it: its first rows wait until the header is
/// recognised, then each row is sorted at once into a data row or a row set aside, and the
/// rows made are handed over in parts. Only the part being filled is held, never the sheet.
pub(crate) struct SheetStream<'a> {
    /// The sheet: name, kind and columns, and the rows of the part being filled.
    sheet: Sheet,
    /// Extra header aliases.
    aliases: &'a Aliases,
    /// Problems found so far.
    problems: Vec<Problem>,
    /// What the sheet turned out to be.
    mode: Mode,
    /// Note of the columns that belong to no standard column, until it is given.
    unknown_columns: Option<Problem>,
    /// Non-blank rows sorted so far.
    seen: usize,
    /// 0-based index of the last row sorted.
    last_row: Option<u32>,
}

/// What a sheet turned out to be once its first rows were seen.
enum Mode {
    /// Not known yet: the first rows wait.
    Waiting(Vec<GridRow>),
    /// A recognised sheet: rows are sorted into data rows, title and header rows, footer lines.
    Sorting(Sorter),
    /// Every row is set aside with this reason.
    Ignoring(String),
}

/// How the rows of a recognised sheet are sorted, and what was counted on the way.
struct Sorter {
    /// The sheet's kind.
    kind: SheetKind,
    /// Position of the header among the non-blank rows, and of the first data row.
    header: usize,
    data_start: usize,
    /// 0-based index of the first data row, once sorted.
    first_data_row: Option<u32>,
    /// Columns of the required standard columns.
    required_cols: Vec<u32>,
    /// The footer word of the first footer line, once one is met.
    footer: Option<String>,
    footer_lines: usize,
    empty_lines: usize,
    data_rows: usize,
}

impl<'a> SheetStream<'a> {
    /// A sheet about to be read; `size_hint` is how many non-blank rows it is expected to
    /// have (for the reader of its parts to reserve once).
    pub(crate) fn new(
        file: &Arc<String>,
        name: &str,
        aliases: &'a Aliases,
        size_hint: usize,
    ) -> Self {
        SheetStream {
            sheet: Sheet::empty(file, Arc::new(name.to_string()), size_hint),
            aliases,
            problems: Vec::new(),
            mode: Mode::Waiting(Vec::new()),
            unknown_columns: None,
            seen: 0,
            last_row: None,
        }
    }

    /// Takes the next non-blank row (rows come in sheet order).
    pub(crate) fn push(&mut self, row: GridRow, on_part: &mut dyn FnMut(Sheet)) {
        let Mode::Waiting(waiting) = &mut self.mode else {
            self.sort(row, on_part);
            return;
        };
        waiting.push(row);
        if waiting.len() > HEADER_SEARCH_ROWS {
            self.recognise_waiting(on_part);
        }
    }

    /// Ends the sheet, given its merged regions: the sheet's last part and its problems.
    /// `None` when a merged region lies over data rows already handed over (its value
    /// belongs in each of them): the sheet must then be read again whole, with
    /// [`build_sheet`]. A sheet short enough to be still waiting for its header is built
    /// whole here.
    pub(crate) fn finish(
        mut self,
        merges: &[Merge],
        on_part: &mut dyn FnMut(Sheet),
    ) -> Option<(Sheet, Vec<Problem>)> {
        if let Mode::Waiting(waiting) = &mut self.mode {
            let grid = Grid {
                rows: std::mem::take(waiting),
            };
            let mut problems = Vec::new();
            let file = self.sheet.file.clone();
            let sheet = build_sheet(
                &file,
                &self.sheet.name,
                grid,
                merges,
                self.aliases,
                &mut problems,
                on_part,
            );
            return Some((sheet, problems));
        }
        if self.merges_fill_data(merges) {
            return None;
        }
        Some(self.end())
    }

    /// True when a merged region would fill a recognised column of a data row.
    fn merges_fill_data(&self, merges: &[Merge]) -> bool {
        let Mode::Sorting(sorter) = &self.mode else {
            return false;
        };
        let Some(first) = sorter.first_data_row else {
            return false;
        };
        merges.iter().any(|&(r0, c0, r1, c1)| {
            r0 >= first
                && (r1 > r0 || c1 > c0)
                && self
                    .sheet
                    .columns
                    .iter()
                    .any(|c| (c0..=c1).contains(&c.col))
        })
    }

    /// Recognises the sheet from the rows waiting, then sorts them.
    fn recognise_waiting(&mut self, on_part: &mut dyn FnMut(Sheet)) {
        let Mode::Waiting(waiting) = &mut self.mode else {
            return;
        };
        let rows = std::mem::take(waiting);
        self.recognise(&rows);
        self.note_unknown_columns();
        for row in rows {
            self.sort(row, on_part);
        }
    }

    /// Where the sheet is, for its problems.
    fn at_sheet(&self) -> Location {
        Location::Sheet {
            file: self.sheet.file.clone(),
            sheet: self.sheet.name.clone(),
        }
    }

    /// Decides from the sheet's first non-blank rows (at least the header search's, and the
    /// one after) what the sheet is: its kind, header and columns — or why it is set aside.
    fn recognise(&mut self, first: &[GridRow]) {
        let at_sheet = self.at_sheet();
        let name = self.sheet.name.clone();
        let candidates: Vec<Vec<HeaderCell>> = first
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .map(header_cells)
            .collect();
        match choose(&name, &candidates, self.aliases) {
            Choice::Kind {
                kind,
                header,
                explain,
            } => {
                if let Some((warn, message)) = explain {
                    self.problems.push(if warn {
                        Problem::warning(at_sheet.clone(), message)
                    } else {
                        Problem::note(at_sheet.clone(), message)
                    });
                }
                self.recognise_columns(kind, first, &candidates, header);
            }
            Choice::MissingColumns {
                kind,
                missing,
                best,
            } => {
                self.sheet.kind = Some(kind);
                let best_row = first.get(best).map_or(0, |r| r.row);
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
                self.problems.push(Problem::error(
                    at_sheet,
                    format!(
                        "工作表名表明这是「{}」，但找不到必需列：{}。最像表头的是第 {} 行：{}。请检查表头文字（可在配置中为列名添加别名）",
                        kind.label(),
                        missing.join("、"),
                        best_row + 1,
                        found.join("、")
                    ),
                ));
                self.mode = Mode::Ignoring(format!("缺少必需列（{}）", missing.join("、")));
            }
            // A sheet of instructions (说明, 填表说明) is expected to hold no data: a note.
            Choice::Unrecognised(_) if is_instructions(&name) => {
                self.problems.push(Problem::note(
                    at_sheet,
                    "说明性的工作表（工作表名含「说明」），未作为数据读取",
                ));
                self.mode = Mode::Ignoring("说明性的工作表".to_string());
            }
            Choice::Unrecognised(message) => {
                self.problems.push(Problem::warning(at_sheet, message));
                self.mode = Mode::Ignoring("未识别的工作表".to_string());
            }
        }
    }

    /// Maps the header (and an optional second header row) of a recognised sheet to its
    /// columns, and gets ready to sort its rows.
    fn recognise_columns(
        &mut self,
        kind: SheetKind,
        first: &[GridRow],
        candidates: &[Vec<HeaderCell>],
        header: usize,
    ) {
        let aliases = self.aliases;
        let sheet = &mut self.sheet;
        let problems = &mut self.problems;
        sheet.kind = Some(kind);
        let Some(head) = candidates.get(header) else {
            self.mode = Mode::Ignoring("未识别的工作表".to_string());
            return;
        };
        let header_row = first.get(header).map_or(0, |r| r.row);
        sheet.header_row = Some(header_row);

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

        // A second header row under a merged group label (e.g. 票数 over 优秀票, 合格票 …): a
        // row whose every cell is a column name of this kind, at least one not yet found.
        let mut data_start = header + 1;
        let sub = first.get(header + 1).map(header_cells);
        if let Some(sub) = sub.filter(|sub| is_sub_header(sheet, kind, sub, aliases)) {
            let sub_row = first.get(header + 1).map_or(0, |r| r.row);
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

        if !unknown.is_empty() {
            let names: Vec<String> = unknown.into_iter().map(|(_, t)| t).collect();
            self.unknown_columns = Some(Problem::note(
                Location::Sheet {
                    file: sheet.file.clone(),
                    sheet: sheet.name.clone(),
                },
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
        self.mode = Mode::Sorting(Sorter {
            kind,
            header,
            data_start,
            first_data_row: None,
            required_cols,
            footer: None,
            footer_lines: 0,
            empty_lines: 0,
            data_rows: 0,
        });
    }

    /// Gives the note of the columns not used, once the sheet is recognised.
    fn note_unknown_columns(&mut self) {
        if let Some(note) = self.unknown_columns.take() {
            self.problems.push(note);
        }
    }

    /// Sorts one row of a recognised (or set-aside) sheet into the part being filled.
    fn sort(&mut self, mut row: GridRow, on_part: &mut dyn FnMut(Sheet)) {
        hand_over_full_part(&mut self.sheet, on_part);
        let i = self.seen;
        self.seen += 1;
        self.last_row = Some(row.row);
        let sheet = &mut self.sheet;
        let at = row_ref(sheet, row.row);
        let s = match &mut self.mode {
            Mode::Sorting(s) => s,
            Mode::Ignoring(reason) => {
                sheet.ignored.push(ignored(at, reason, &row));
                return;
            }
            // Not reached (rows are sorted once the sheet is recognised); were it reached, the
            // row would still be listed, never lost, and nothing panics.
            Mode::Waiting(_) => {
                sheet.ignored.push(ignored(at, "未识别的工作表", &row));
                return;
            }
        };
        if i < s.header {
            sheet.ignored.push(ignored(at, "标题行", &row));
            return;
        }
        if i < s.data_start {
            sheet.ignored.push(ignored(at, "表头", &row));
            return;
        }
        if i == s.data_start {
            s.first_data_row = Some(row.row);
        }
        if let Some(word) = &s.footer {
            // After the first footer line everything is footer, unless it clearly is data:
            // every required column filled.
            let is_data = s.required_cols.iter().all(|c| !row.get(*c).is_empty());
            if !is_data {
                let reason = format!("表尾（「{word}」之后）");
                sheet.ignored.push(ignored(at, &reason, &row));
                s.footer_lines += 1;
                return;
            }
        } else if let Some(word) = footer_word(&row) {
            sheet
                .ignored
                .push(ignored(at, &format!("表尾（{word}）"), &row));
            s.footer = Some(word);
            s.footer_lines += 1;
            return;
        }
        if is_repeated_header(s.kind, &sheet.columns, &row, self.aliases) {
            sheet.ignored.push(ignored(at, "重复的表头", &row));
            return;
        }
        if sheet.columns.iter().all(|c| row.get(c.col).is_empty()) {
            sheet.ignored.push(ignored(
                at,
                "所有已识别的列都为空（只有序号等无关内容）",
                &row,
            ));
            s.empty_lines += 1;
            return;
        }
        let cells = sheet
            .columns
            .iter()
            .map(|c| (c.name, c.col, row.take(c.col)))
            .collect();
        sheet.rows.push(Row { at, cells });
        s.data_rows += 1;
    }

    /// The last part of a sheet whose rows are all sorted, with the sheet's problems: the
    /// counts of footer and empty lines, a sheet without data, an empty sheet.
    fn end(mut self) -> (Sheet, Vec<Problem>) {
        let at_sheet = self.at_sheet();
        self.sheet.blank_rows = match self.last_row {
            Some(last) => (last as u64 + 1 - self.seen as u64) as u32,
            None => 0,
        };
        match &self.mode {
            Mode::Waiting(_) => {
                // No row at all.
                let by_name = SheetKind::by_sheet_name(&self.sheet.name);
                if let [kind] = by_name[..] {
                    self.sheet.kind = Some(kind);
                }
                self.problems.push(if by_name.is_empty() {
                    Problem::note(at_sheet, "工作表为空，已跳过")
                } else {
                    Problem::warning(at_sheet, "工作表为空：没有任何内容")
                });
            }
            Mode::Ignoring(_) => {}
            Mode::Sorting(s) => {
                if s.footer_lines > 0 {
                    self.problems.push(Problem::note(
                        at_sheet.clone(),
                        format!(
                            "忽略了 {} 行表尾（制表人、填表日期、合计、说明等）",
                            s.footer_lines
                        ),
                    ));
                }
                if s.empty_lines > 0 {
                    self.problems.push(Problem::note(
                        at_sheet.clone(),
                        format!(
                            "忽略了 {} 行：已识别的列都为空（只有序号等无关内容）",
                            s.empty_lines
                        ),
                    ));
                }
                if s.data_rows == 0 {
                    self.problems.push(Problem::warning(
                        at_sheet,
                        format!(
                            "没有数据行：表头在第 {} 行，其下没有数据",
                            self.sheet.header_row.unwrap_or(0) + 1
                        ),
                    ));
                }
            }
        }
        (self.sheet, self.problems)
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

/// True when the row under the header is a second header row (see
/// [`SheetStream::recognise_columns`]).
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
