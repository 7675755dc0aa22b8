//! Workbooks read with calamine (xlsx, xlsm, xlsb, xls, ods) → one sparse [`Grid`] per sheet.
//!
//! xlsx and xlsb are streamed cell by cell, so blank rows cost nothing; xls and ods go through
//! calamine's dense `Range`. Every calamine call runs under `catch_unwind`: calamine has
//! panicked on fuzzed input before, and a bad file must become a problem, not a crash.

use super::Cell;
use super::grid::{Grid, GridBuilder};
use crate::problem::Severity;
use calamine::{
    CellErrorType, Data, DataRef, ExcelDateTime, Ods, OdsError, Reader, SheetType, SheetVisible,
    Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError, open_workbook_from_rs,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::io::{Cursor, Read, Seek};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The container formats calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExcelFormat {
    /// Office Open XML (.xlsx, .xlsm).
    Xlsx,
    /// Excel binary workbook (.xlsb).
    Xlsb,
    /// Excel 97–2003 (.xls).
    Xls,
    /// OpenDocument spreadsheet (.ods).
    Ods,
}

impl ExcelFormat {
    /// The usual extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExcelFormat::Xlsx => "xlsx",
            ExcelFormat::Xlsb => "xlsb",
            ExcelFormat::Xls => "xls",
            ExcelFormat::Ods => "ods",
        }
    }
}

/// One sheet as calamine delivered it.
#[derive(Debug)]
pub(crate) struct RawSheet {
    /// The sheet's name.
    pub name: String,
    /// Its non-blank cells.
    pub grid: Grid,
    /// Merged regions (xlsx, xls): first row, first column, last row, last column, 0-based.
    pub merges: Vec<Merge>,
    /// Why the sheet has no cells although it may have content (a chart sheet, a hidden
    /// sheet, a sheet that failed to parse), in Chinese, with how serious that is.
    pub skipped: Option<(Severity, String)>,
}

/// A merged region: first row, first column, last row, last column (0-based, inclusive).
pub(crate) type Merge = (u32, u32, u32, u32);

/// calamine's merged regions → ours.
fn merges(dims: Vec<calamine::Dimensions>) -> Vec<Merge> {
    dims.into_iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect()
}

/// Why a workbook could not be opened.
#[derive(Debug)]
pub(crate) enum OpenError {
    /// The workbook is encrypted with an opening password.
    Password,
    /// calamine panicked.
    Panic,
    /// Not readable as any of the tried formats.
    Invalid,
}

/// Reads a workbook trying the given formats in order. The first format that opens wins;
/// its sheets are handed to `on_sheet` one at a time, in workbook order, so that only one
/// sheet's cells are held at once. `on_open` is told the format before the first sheet.
pub(crate) fn read_excel(
    bytes: &[u8],
    formats: &[ExcelFormat],
    sheets: SheetOptions,
    on_open: &mut dyn FnMut(ExcelFormat, usize),
    on_sheet: &mut dyn FnMut(RawSheet),
) -> Result<ExcelFormat, OpenError> {
    let mut password = false;
    for &format in formats {
        let attempt = catch_unwind(AssertUnwindSafe(|| {
            read_as(bytes, format, sheets, &mut *on_open, &mut *on_sheet)
        }));
        match attempt {
            Ok(Ok(())) => return Ok(format),
            Ok(Err(OpenError::Password)) => password = true,
            Ok(Err(_)) => {}
            Err(_) => return Err(OpenError::Panic),
        }
    }
    Err(if password {
        OpenError::Password
    } else {
        OpenError::Invalid
    })
}

/// Opens the bytes as one format and reads all its sheets into `on_sheet`.
fn read_as(
    bytes: &[u8],
    format: ExcelFormat,
    sheets: SheetOptions,
    on_open: &mut dyn FnMut(ExcelFormat, usize),
    on_sheet: &mut dyn FnMut(RawSheet),
) -> Result<(), OpenError> {
    let rs = Cursor::new(bytes);
    match format {
        ExcelFormat::Xlsx => {
            let mut wb: Xlsx<_> = open_workbook_from_rs(rs).map_err(|e| match e {
                XlsxError::Password => OpenError::Password,
                _ => OpenError::Invalid,
            })?;
            on_open(format, wb.sheets_metadata().len());
            read_streamed(&mut wb, sheets, on_sheet, |wb, name| {
                let mut reader = wb
                    .worksheet_cells_reader(name)
                    .map_err(|e| SheetFailure::Corrupt(e.to_string()))?;
                let cells = collect_cells(sheets.max_rows, || {
                    Ok(reader
                        .next_cell_with_formula_metadata()
                        .map_err(|e| e.to_string())?
                        .map(|cell| {
                            let (r, c) = cell.pos;
                            let value = match (&cell.value, &cell.formula) {
                                // Written by a program that does not calculate (openpyxl …):
                                // the value a user sees in Excel is not in the file.
                                (DataRef::Empty, Some(_)) => {
                                    Cell::Error(Cell::UNCALCULATED.to_string())
                                }
                                (value, _) => from_data_ref(value),
                            };
                            (r, c, value)
                        }))
                })?;
                drop(reader);
                // Merged regions only help; a sheet whose list is unreadable is still read.
                let merged = wb.merge_cells_by_sheet_name(name).unwrap_or_default();
                Ok((cells, merges(merged)))
            });
            Ok(())
        }
        ExcelFormat::Xlsb => {
            let mut wb: Xlsb<_> = open_workbook_from_rs(rs).map_err(|e| match e {
                XlsbError::Password => OpenError::Password,
                _ => OpenError::Invalid,
            })?;
            on_open(format, wb.sheets_metadata().len());
            read_streamed(&mut wb, sheets, on_sheet, |wb, name| {
                let mut reader = wb
                    .worksheet_cells_reader(name)
                    .map_err(|e| SheetFailure::Corrupt(e.to_string()))?;
                let cells = collect_cells(sheets.max_rows, || {
                    Ok(reader.next_cell().map_err(|e| e.to_string())?.map(|cell| {
                        let (r, c) = cell.get_position();
                        (r, c, from_data_ref(cell.get_value()))
                    }))
                })?;
                Ok((cells, Vec::new()))
            });
            Ok(())
        }
        ExcelFormat::Xls => {
            let mut wb: Xls<_> = open_workbook_from_rs(rs).map_err(|e| match e {
                XlsError::Password => OpenError::Password,
                _ => OpenError::Invalid,
            })?;
            on_open(format, wb.sheets_metadata().len());
            read_ranges(&mut wb, sheets, on_sheet, |wb, name| {
                merges(wb.merge_cells_by_sheet_name(name).unwrap_or_default())
            });
            Ok(())
        }
        ExcelFormat::Ods => {
            let mut wb: Ods<_> = open_workbook_from_rs(rs).map_err(|e| match e {
                OdsError::Password => OpenError::Password,
                _ => OpenError::Invalid,
            })?;
            on_open(format, wb.sheets_metadata().len());
            read_ranges(&mut wb, sheets, on_sheet, |_, _| Vec::new());
            Ok(())
        }
    }
}

/// Reads every sheet with a per-sheet streaming function into `on_sheet`; non-worksheets and
/// sheets that fail are delivered empty with the reason.
fn read_streamed<RS: Read + Seek, R: Reader<RS>>(
    wb: &mut R,
    sheets: SheetOptions,
    on_sheet: &mut dyn FnMut(RawSheet),
    read_sheet: impl Fn(&mut R, &str) -> Result<(Grid, Vec<Merge>), SheetFailure>,
) {
    let metas = sheet_list(wb);
    for (name, typ, visible) in metas {
        on_sheet((|| {
            if let Some(skip) = skip_reason(typ, visible, sheets.include_hidden) {
                return RawSheet {
                    name,
                    grid: Grid::default(),
                    merges: Vec::new(),
                    skipped: Some(skip),
                };
            }
            // A panic inside one sheet costs that sheet, not the sheets already read.
            let read = catch_unwind(AssertUnwindSafe(|| read_sheet(wb, &name)))
                .unwrap_or_else(|_| Err(SheetFailure::Corrupt("解析时出错".into())));
            match read {
                Ok((grid, merges)) => RawSheet {
                    name,
                    grid,
                    merges,
                    skipped: None,
                },
                Err(failure) => RawSheet {
                    name,
                    grid: Grid::default(),
                    merges: Vec::new(),
                    skipped: Some((Severity::Error, failure.message())),
                },
            }
        })());
    }
}

/// Reads every sheet through calamine's `Range` (xls, ods) into `on_sheet`.
fn read_ranges<RS, R>(
    wb: &mut R,
    sheets: SheetOptions,
    on_sheet: &mut dyn FnMut(RawSheet),
    merges_of: impl Fn(&R, &str) -> Vec<Merge>,
) where
    RS: Read + Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let metas = sheet_list(wb);
    for (name, typ, visible) in metas {
        on_sheet((|| {
            if let Some(skip) = skip_reason(typ, visible, sheets.include_hidden) {
                return RawSheet {
                    name,
                    grid: Grid::default(),
                    merges: Vec::new(),
                    skipped: Some(skip),
                };
            }
            match wb.worksheet_range(&name) {
                Ok(range) => {
                    let grid = Grid::from_cells(
                        range
                            .used_cells()
                            .filter_map(|(r, c, d)| {
                                let (r0, c0) = range.start()?;
                                let r = u32::try_from(r).ok()?.checked_add(r0)?;
                                let c = u32::try_from(c).ok()?.checked_add(c0)?;
                                Some((r, c, from_data(d)))
                            })
                            .collect::<Vec<_>>(),
                    );
                    if grid.rows.len() > sheets.max_rows as usize {
                        return RawSheet {
                            name,
                            grid: Grid::default(),
                            merges: Vec::new(),
                            skipped: Some((
                                Severity::Error,
                                SheetFailure::TooManyRows(sheets.max_rows).message(),
                            )),
                        };
                    }
                    let merges = merges_of(wb, &name);
                    RawSheet {
                        name,
                        grid,
                        merges,
                        skipped: None,
                    }
                }
                Err(e) => RawSheet {
                    name,
                    grid: Grid::default(),
                    merges: Vec::new(),
                    skipped: Some((Severity::Error, sheet_error(&e.to_string()))),
                },
            }
        })());
    }
}

/// The workbook's sheets in workbook order, with their type and visibility.
fn sheet_list<RS: Read + Seek, R: Reader<RS>>(wb: &R) -> Vec<(String, SheetType, SheetVisible)> {
    wb.sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.typ, s.visible))
        .collect()
}

/// Why a sheet is not read, or `None` for a worksheet to read: not a worksheet (no data), or
/// hidden — a hidden sheet is most often a stale copy (last year's roster) that must not
/// win over the visible one; `include_hidden` reads it all the same.
fn skip_reason(
    typ: SheetType,
    visible: SheetVisible,
    include_hidden: bool,
) -> Option<(Severity, String)> {
    match typ {
        SheetType::WorkSheet => {}
        SheetType::ChartSheet => {
            return Some((Severity::Note, "图表工作表，没有数据，已跳过".into()));
        }
        SheetType::DialogSheet | SheetType::MacroSheet | SheetType::Vba => {
            return Some((
                Severity::Note,
                "宏表或对话框工作表，不含数据，已跳过".into(),
            ));
        }
    }
    let how = match visible {
        SheetVisible::Visible => return None,
        _ if include_hidden => return None,
        SheetVisible::Hidden => "隐藏",
        SheetVisible::VeryHidden => "深度隐藏",
    };
    Some((
        Severity::Warning,
        format!("{how}的工作表，未读取（隐藏的表常是过期的旧表）；确需读取请加 --include-hidden"),
    ))
}

/// How sheets are read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SheetOptions {
    /// Read hidden sheets too.
    pub include_hidden: bool,
    /// A sheet of more rows is refused (its cells are not kept).
    pub max_rows: u32,
}

/// Why a sheet could not be read.
pub(crate) enum SheetFailure {
    /// calamine failed (the file is damaged).
    Corrupt(String),
    /// The sheet has more rows than the limit.
    TooManyRows(u32),
}

impl SheetFailure {
    /// The Chinese message.
    fn message(&self) -> String {
        match self {
            SheetFailure::Corrupt(detail) => sheet_error(detail),
            SheetFailure::TooManyRows(max) => format!(
                "工作表超过 {max} 行，未读取；请拆分工作表，或在 dangjian.toml 的 [limits] 中调大 rows_per_sheet"
            ),
        }
    }
}

/// The grid of the non-empty cells `next` yields, stopping as soon as more than `max_rows`
/// rows hold one (so that a sheet inflating to millions of rows takes no more memory than the
/// limit allows; formatted but empty rows cost nothing).
fn collect_cells(
    max_rows: u32,
    mut next: impl FnMut() -> Result<Option<(u32, u32, Cell)>, String>,
) -> Result<Grid, SheetFailure> {
    let mut grid = GridBuilder::default();
    let mut rows: u32 = 0;
    let mut last_row = None;
    while let Some((r, c, cell)) = next().map_err(SheetFailure::Corrupt)? {
        if cell.is_empty() {
            continue;
        }
        if last_row != Some(r) {
            last_row = Some(r);
            rows += 1;
            if rows > max_rows {
                return Err(SheetFailure::TooManyRows(max_rows));
            }
        }
        grid.push(r, c, cell);
    }
    Ok(grid.finish())
}

/// The size a zip container (xlsx, xlsb, ods) says its parts take once inflated, if it can
/// be read as a zip.
pub(crate) fn unzipped_size(bytes: &[u8]) -> Option<u64> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        total = total.saturating_add(archive.by_index_raw(i).ok()?.size());
    }
    Some(total)
}

/// The message for a sheet calamine failed to read.
fn sheet_error(detail: &str) -> String {
    format!(
        "无法读取该工作表（文件可能已损坏：{detail}）。请用 Excel 或 WPS 打开后另存为 .xlsx 再试"
    )
}

/// calamine's cell (streamed readers) → our cell.
fn from_data_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Int(i) => Cell::Int(*i),
        DataRef::Float(f) => Cell::Float(*f),
        DataRef::String(s) => Cell::text(s),
        DataRef::SharedString(s) => Cell::text(s),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => from_excel_datetime(dt),
        DataRef::DateTimeIso(s) => from_iso_datetime(s),
        DataRef::DurationIso(s) => Cell::text(s),
        DataRef::Error(e) => from_error(e),
        DataRef::Empty => Cell::Empty,
    }
}

/// calamine's cell (ranges) → our cell.
fn from_data(d: &Data) -> Cell {
    match d {
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::String(s) => Cell::text(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => from_excel_datetime(dt),
        Data::DateTimeIso(s) => from_iso_datetime(s),
        Data::DurationIso(s) => Cell::text(s),
        Data::Error(e) => from_error(e),
        Data::Empty => Cell::Empty,
    }
}

/// An Excel error value, spelled as Excel shows it.
fn from_error(e: &CellErrorType) -> Cell {
    Cell::Error(match e {
        CellErrorType::GettingData => "#GETTING_DATA".to_string(),
        other => other.to_string(),
    })
}

/// A date/time-formatted cell → `DateTime`; a duration (`[h]:mm`) or a time of day without a
/// date → text `h:mm:ss`; a serial
/// outside Excel's calendar (or Excel's fictitious 1900-02-29) → the plain number.
fn from_excel_datetime(dt: &ExcelDateTime) -> Cell {
    let serial = dt.as_f64();
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return Cell::Float(serial);
    }
    if dt.is_duration() || serial < 1.0 {
        let secs = (serial * 86_400.0).round() as i64;
        return Cell::Text(format!(
            "{}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        ));
    }
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    let date = NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(d));
    let time =
        NaiveTime::from_hms_milli_opt(u32::from(h), u32::from(mi), u32::from(s), u32::from(ms));
    match (date, time) {
        (Some(date), Some(time)) => Cell::DateTime(NaiveDateTime::new(date, time)),
        _ => Cell::Float(serial),
    }
}

/// An ISO 8601 date/time (ods) → `DateTime`; a time alone or anything unparsable → text.
fn from_iso_datetime(s: &str) -> Cell {
    let t = s.trim();
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
            return Cell::DateTime(dt);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Cell::DateTime(d.and_time(NaiveTime::MIN));
    }
    Cell::text(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn excel_dates_convert() {
        let d = ExcelDateTime::new(37753.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(
            from_excel_datetime(&d),
            Cell::DateTime(
                NaiveDate::from_ymd_opt(2003, 5, 12)
                    .unwrap()
                    .and_time(NaiveTime::MIN)
            )
        );
        let dur = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(from_excel_datetime(&dur), Cell::Text("36:00:00".into()));
        let bad = ExcelDateTime::new(-5.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(from_excel_datetime(&bad), Cell::Float(-5.0));
    }

    #[test]
    fn iso_dates_convert() {
        assert!(matches!(from_iso_datetime("2003-05-12"), Cell::DateTime(_)));
        assert!(matches!(
            from_iso_datetime("2003-05-12T08:30:00"),
            Cell::DateTime(_)
        ));
        assert_eq!(from_iso_datetime("PT8H"), Cell::Text("PT8H".into()));
    }

    #[test]
    fn errors_spelled_like_excel() {
        assert_eq!(from_error(&CellErrorType::NA), Cell::Error("#N/A".into()));
        assert_eq!(
            from_error(&CellErrorType::Div0),
            Cell::Error("#DIV/0!".into())
        );
        assert_eq!(
            from_error(&CellErrorType::Name),
            Cell::Error("#NAME?".into())
        );
    }
}
