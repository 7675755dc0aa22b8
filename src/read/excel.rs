//! Workbooks read with calamine (xlsx, xlsm, xlsb, xls, ods) → each sheet's non-blank rows.
//!
//! xlsx and xlsb are streamed cell by cell and handed on row by row as they are parsed, so
//! blank rows cost nothing and no sheet is ever held whole; xls and ods go through calamine's
//! dense `Range` into a sparse [`Grid`]. Every calamine call runs under `catch_unwind`: calamine has
//! panicked on fuzzed input before, and a bad file must become a problem, not a crash.

use super::Cell;
use super::grid::{Grid, GridBuilder, GridRow};
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

/// Where [`read_excel`] delivers the workbook, in workbook order.
pub(crate) trait SheetVisitor {
    /// The workbook opened as `format` and has `sheet_count` sheets (told before any sheet).
    fn opened(&mut self, format: ExcelFormat, sheet_count: usize);
    /// A sheet read whole (xls, ods, a sheet read again), or skipped with the reason.
    fn whole(&mut self, sheet: RawSheet);
    /// A sheet (xlsx, xlsb) about to be streamed row by row; it says it has about
    /// `size_hint` rows.
    fn start(&mut self, name: &str, size_hint: usize);
    /// The next non-blank row of the sheet being streamed, in sheet order.
    fn row(&mut self, row: GridRow);
    /// The streamed sheet has ended, with these merged regions. `false` when they lie over
    /// rows already handed over: the sheet is then withdrawn and comes again, whole.
    fn end(&mut self, merges: &[Merge]) -> bool;
    /// Every row of the streamed sheet handed over so far is taken back: the sheet comes
    /// again, whole or skipped (its cells were out of order, too many, or unreadable).
    fn withdraw(&mut self);
}

/// Reads a workbook trying the given formats in order. The first format that opens wins;
/// its sheets go to `visitor` one at a time, in workbook order: xlsx and xlsb row by row as
/// they are parsed, so that not even one sheet's cells are held at once; xls and ods whole.
pub(crate) fn read_excel(
    bytes: &[u8],
    formats: &[ExcelFormat],
    sheets: SheetOptions,
    visitor: &mut dyn SheetVisitor,
) -> Result<ExcelFormat, OpenError> {
    let mut password = false;
    for &format in formats {
        let attempt = catch_unwind(AssertUnwindSafe(|| {
            read_as(bytes, format, sheets, &mut *visitor)
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

/// Why streaming a sheet stopped before its end.
enum Stop {
    /// The sheet cannot be read (damaged, too many rows).
    Failure(SheetFailure),
    /// A cell came before one already read: the sheet is read again whole and sorted.
    OutOfOrder,
}

impl Stop {
    /// calamine failed on the sheet (it is damaged).
    fn corrupt(detail: impl std::fmt::Display) -> Stop {
        Stop::Failure(SheetFailure::Corrupt(detail.to_string()))
    }
}

/// Counts a sheet's non-blank rows as its cells come, stopping as soon as more than the limit
/// hold a cell (so that a sheet inflating to millions of rows costs no more than the limit).
struct RowLimit {
    /// Non-blank rows so far, the last one's index, and the most allowed.
    rows: u32,
    last_row: Option<u32>,
    max_rows: u32,
}

impl RowLimit {
    /// At most `max_rows` rows.
    fn new(max_rows: u32) -> Self {
        RowLimit {
            rows: 0,
            last_row: None,
            max_rows,
        }
    }

    /// Counts the row of a non-empty cell.
    fn count(&mut self, r: u32) -> Result<(), Stop> {
        if self.last_row != Some(r) {
            self.last_row = Some(r);
            self.rows += 1;
            if self.rows > self.max_rows {
                return Err(Stop::Failure(SheetFailure::TooManyRows(self.max_rows)));
            }
        }
        Ok(())
    }
}

/// The most cells a new row makes room for before its first cell is read: wider than any
/// ledger, small beside a hostile row of thousands of cells.
const ROW_WIDTH_HINT: usize = 64;

/// Where a sheet's cells go as they are parsed.
trait CellSink {
    /// The sheet says it has about `rows` rows (before its first cell).
    fn start(&mut self, rows: usize);
    /// The next cell, in file order.
    fn cell(&mut self, r: u32, c: u32, cell: Cell) -> Result<(), Stop>;
}

/// A sheet's rows handed to a visitor as its cells come: each row once the next one starts.
struct RowsOf<'v> {
    /// The sheet's name.
    name: &'v str,
    /// The row being filled.
    current: Option<GridRow>,
    /// The sheet's rows counted against the limit.
    limit: RowLimit,
    /// Where the sheet goes.
    visitor: &'v mut dyn SheetVisitor,
}

impl CellSink for RowsOf<'_> {
    fn start(&mut self, rows: usize) {
        self.visitor
            .start(self.name, rows.min(self.limit.max_rows as usize));
    }

    /// Empty cells are dropped, and of two cells at one position the first wins.
    fn cell(&mut self, r: u32, c: u32, cell: Cell) -> Result<(), Stop> {
        if cell.is_empty() {
            return Ok(());
        }
        self.limit.count(r)?;
        match &mut self.current {
            Some(row) if row.row == r => match row.cells.last() {
                Some((last, _)) if *last == c => Ok(()),
                Some((last, _)) if *last > c => Err(Stop::OutOfOrder),
                _ => {
                    row.cells.push((c, cell));
                    Ok(())
                }
            },
            Some(row) if row.row > r => Err(Stop::OutOfOrder),
            _ => {
                // Room for as many cells as the row before had (a ledger's width; one wide
                // row does not make every row after it wide): a row's cells are not
                // reallocated as it fills.
                let width = self
                    .current
                    .as_ref()
                    .map_or(1, |row| row.cells.len().min(ROW_WIDTH_HINT));
                let mut cells = Vec::with_capacity(width);
                cells.push((c, cell));
                let next = GridRow { row: r, cells };
                if let Some(done) = self.current.replace(next) {
                    self.visitor.row(done);
                }
                Ok(())
            }
        }
    }
}

impl RowsOf<'_> {
    /// Hands on the last row.
    fn finish(&mut self) {
        if let Some(done) = self.current.take() {
            self.visitor.row(done);
        }
    }
}

/// A sheet's cells gathered into a whole grid, for a sheet read again (its cells out of
/// order, or merged regions over its data).
struct GridOf {
    /// The grid so far.
    grid: GridBuilder,
    /// The sheet's rows counted against the limit.
    limit: RowLimit,
}

impl CellSink for GridOf {
    fn start(&mut self, _: usize) {}

    fn cell(&mut self, r: u32, c: u32, cell: Cell) -> Result<(), Stop> {
        if cell.is_empty() {
            return Ok(());
        }
        self.limit.count(r)?;
        self.grid.push(r, c, cell);
        Ok(())
    }
}

/// Reads one sheet's cells in file order into a [`CellSink`]; returns its merged regions.
type ReadCells<R> = fn(&mut R, &str, &mut dyn CellSink) -> Result<Vec<Merge>, Stop>;

/// The rows a sheet's dimension (`A1:L40485`) spans: what the file says, no more.
fn declared_rows(d: calamine::Dimensions) -> usize {
    d.end.0.saturating_sub(d.start.0).saturating_add(1) as usize
}

/// Reads an xlsx sheet's cells (a formula without a saved value is an error cell).
fn xlsx_cells<RS: Read + Seek>(
    wb: &mut Xlsx<RS>,
    name: &str,
    sink: &mut dyn CellSink,
) -> Result<Vec<Merge>, Stop> {
    let mut reader = wb.worksheet_cells_reader(name).map_err(Stop::corrupt)?;
    sink.start(declared_rows(reader.dimensions()));
    while let Some(cell) = reader
        .next_cell_with_formula_metadata()
        .map_err(Stop::corrupt)?
    {
        let (r, c) = cell.pos;
        let value = match (&cell.value, &cell.formula) {
            // Written by a program that does not calculate (openpyxl …): the value a user
            // sees in Excel is not in the file.
            (DataRef::Empty, Some(_)) => Cell::Error(Cell::UNCALCULATED.to_string()),
            (value, _) => from_data_ref(value),
        };
        sink.cell(r, c, value)?;
    }
    drop(reader);
    // Merged regions only help; a sheet whose list is unreadable is still read.
    Ok(merges(
        wb.merge_cells_by_sheet_name(name).unwrap_or_default(),
    ))
}

/// Reads an xlsb sheet's cells (calamine reads no merged regions from xlsb).
fn xlsb_cells<RS: Read + Seek>(
    wb: &mut Xlsb<RS>,
    name: &str,
    sink: &mut dyn CellSink,
) -> Result<Vec<Merge>, Stop> {
    let mut reader = wb.worksheet_cells_reader(name).map_err(Stop::corrupt)?;
    sink.start(declared_rows(reader.dimensions()));
    while let Some(cell) = reader.next_cell().map_err(Stop::corrupt)? {
        let (r, c) = cell.get_position();
        sink.cell(r, c, from_data_ref(cell.get_value()))?;
    }
    Ok(Vec::new())
}

/// Opens the bytes as one format and reads all its sheets into `visitor`.
fn read_as(
    bytes: &[u8],
    format: ExcelFormat,
    sheets: SheetOptions,
    visitor: &mut dyn SheetVisitor,
) -> Result<(), OpenError> {
    let rs = Cursor::new(bytes);
    match format {
        ExcelFormat::Xlsx => {
            let mut wb: Xlsx<_> = open_workbook_from_rs(rs).map_err(|e| match e {
                XlsxError::Password => OpenError::Password,
                _ => OpenError::Invalid,
            })?;
            visitor.opened(format, wb.sheets_metadata().len());
            read_streamed(&mut wb, sheets, visitor, xlsx_cells);
            Ok(())
        }
        ExcelFormat::Xlsb => {
            let mut wb: Xlsb<_> = open_workbook_from_rs(rs).map_err(|e| match e {
                XlsbError::Password => OpenError::Password,
                _ => OpenError::Invalid,
            })?;
            visitor.opened(format, wb.sheets_metadata().len());
            read_streamed(&mut wb, sheets, visitor, xlsb_cells);
            Ok(())
        }
        ExcelFormat::Xls => {
            let mut wb: Xls<_> = open_workbook_from_rs(rs).map_err(|e| match e {
                XlsError::Password => OpenError::Password,
                _ => OpenError::Invalid,
            })?;
            visitor.opened(format, wb.sheets_metadata().len());
            read_ranges(&mut wb, sheets, visitor, |wb, name| {
                merges(wb.merge_cells_by_sheet_name(name).unwrap_or_default())
            });
            Ok(())
        }
        ExcelFormat::Ods => {
            let mut wb: Ods<_> = open_workbook_from_rs(rs).map_err(|e| match e {
                OdsError::Password => OpenError::Password,
                _ => OpenError::Invalid,
            })?;
            visitor.opened(format, wb.sheets_metadata().len());
            read_ranges(&mut wb, sheets, visitor, |_, _| Vec::new());
            Ok(())
        }
    }
}

/// Reads every sheet into `visitor` row by row as `read_cells` parses it. A sheet whose cells
/// come out of order, or whose merged regions lie over rows already handed over, is taken
/// back and read again whole; a sheet that fails is taken back and delivered empty with the
/// reason, as are non-worksheets.
fn read_streamed<RS: Read + Seek, R: Reader<RS>>(
    wb: &mut R,
    sheets: SheetOptions,
    visitor: &mut dyn SheetVisitor,
    read_cells: ReadCells<R>,
) {
    let skipped = |name: String, reason: (Severity, String)| RawSheet {
        name,
        grid: Grid::default(),
        merges: Vec::new(),
        skipped: Some(reason),
    };
    for (name, typ, visible) in sheet_list(wb) {
        if let Some(skip) = skip_reason(typ, visible, sheets.include_hidden) {
            visitor.whole(skipped(name, skip));
            continue;
        }
        // A panic inside one sheet costs that sheet, not the sheets already read.
        let streamed = catch_unwind(AssertUnwindSafe(|| {
            let mut rows = RowsOf {
                name: &name,
                current: None,
                limit: RowLimit::new(sheets.max_rows),
                visitor: &mut *visitor,
            };
            let merges = read_cells(wb, &name, &mut rows)?;
            rows.finish();
            Ok::<_, Stop>(merges)
        }));
        let failure = match streamed {
            Ok(Ok(merges)) if visitor.end(&merges) => continue,
            // Read again whole, below.
            Ok(Ok(_)) | Ok(Err(Stop::OutOfOrder)) => None,
            Ok(Err(Stop::Failure(failure))) => Some(failure),
            Err(_) => Some(SheetFailure::Corrupt("解析时出错".into())),
        };
        visitor.withdraw();
        let read = match failure {
            Some(failure) => Err(failure),
            None => read_whole(wb, &name, sheets, read_cells),
        };
        let sheet = match read {
            Ok((grid, merges)) => RawSheet {
                name,
                grid,
                merges,
                skipped: None,
            },
            Err(failure) => skipped(name, (Severity::Error, failure.message())),
        };
        visitor.whole(sheet);
    }
}

/// Reads a sheet's cells whole into a grid, sorted (a sheet taken back from streaming).
fn read_whole<R>(
    wb: &mut R,
    name: &str,
    sheets: SheetOptions,
    read_cells: ReadCells<R>,
) -> Result<(Grid, Vec<Merge>), SheetFailure> {
    let read = catch_unwind(AssertUnwindSafe(|| {
        let mut cells = GridOf {
            grid: GridBuilder::default(),
            limit: RowLimit::new(sheets.max_rows),
        };
        let merges = read_cells(wb, name, &mut cells)?;
        Ok::<_, Stop>((cells.grid.finish(), merges))
    }));
    match read {
        Ok(Ok(read)) => Ok(read),
        Ok(Err(Stop::Failure(failure))) => Err(failure),
        // Out of order cannot happen into a grid; a panic costs the sheet.
        Ok(Err(Stop::OutOfOrder)) | Err(_) => Err(SheetFailure::Corrupt("解析时出错".into())),
    }
}

/// Reads every sheet through calamine's `Range` (xls, ods) into `visitor`, whole.
fn read_ranges<RS, R>(
    wb: &mut R,
    sheets: SheetOptions,
    visitor: &mut dyn SheetVisitor,
    merges_of: impl Fn(&R, &str) -> Vec<Merge>,
) where
    RS: Read + Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let metas = sheet_list(wb);
    for (name, typ, visible) in metas {
        visitor.whole((|| {
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
