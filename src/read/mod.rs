//! Reading: workbook bytes (xlsx, xlsm, xls, xlsb, ods, csv) → sheets of a known kind → rows
//! whose cells keep their position, so every later problem can name file › sheet › cell.
//!
//! Nothing here interprets values (dates, IDs …): that is the model's job. This stage only
//! finds the sheet kind, the header row and the data rows, and sets aside title rows, footer
//! lines and blank rows with a reason.

pub mod cell;
mod csv;
mod deliver;
mod excel;
mod grid;
mod header;
mod input;
mod kind_choice;
pub mod kinds;
pub mod normalize;
mod sheet;
mod sniff;
#[cfg(test)]
mod tests;

pub use cell::Cell;
pub use input::{Input, InputError, distinct_names, repeated_input, same_file};
pub use kinds::{ColumnSpec, SheetKind};

use crate::problem::{CellRef, Location, Problem, RowRef};
use deliver::Delivery;
use excel::{ExcelFormat, OpenError, SheetOptions};
use sniff::{SUPPORTED, Sniff};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

/// Extra header aliases from the configuration: standard column name → more names.
pub type Aliases = BTreeMap<String, Vec<String>>;

/// One workbook (or CSV file) as read.
#[derive(Debug, Clone)]
pub struct Workbook {
    /// The file's name as the user gave it (no directories).
    pub file: Arc<String>,
    /// What the file was read as, for the summary: `xlsx`, `csv（GBK）` …
    pub format: String,
    /// Every sheet of the workbook, recognised or not, in workbook order.
    pub sheets: Vec<Sheet>,
    /// Problems found while reading (unknown sheets, missing columns, encoding notes …).
    pub problems: Vec<Problem>,
}

/// One sheet: its kind (if recognised), where its header is, its data rows and the rows set aside.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The file this sheet came from.
    pub file: Arc<String>,
    /// The sheet's name (for CSV: the file stem).
    pub name: Arc<String>,
    /// The sheet kind, or `None` for a sheet that was not recognised (reported in problems).
    pub kind: Option<SheetKind>,
    /// 0-based index of the header row, when found.
    pub header_row: Option<u32>,
    /// The recognised columns: standard name, 0-based column index, header text as written.
    pub columns: Vec<ColumnMatch>,
    /// Data rows, in sheet order.
    pub rows: Vec<Row>,
    /// Non-blank rows that are not data (title rows, the header, footer lines, every row of an
    /// unrecognised sheet), each with the reason.
    pub ignored: Vec<IgnoredRow>,
    /// How many completely blank rows were skipped.
    pub blank_rows: u32,
    /// How many non-blank rows (data and set aside) the whole sheet has, known before its
    /// first part is handed over (see [`SheetSink::part`]): a reader of parts reserves once.
    pub size_hint: usize,
}

impl Sheet {
    /// A sheet of `file` with no rows yet: not recognised, nothing read.
    pub fn empty(file: &Arc<String>, name: Arc<String>, size_hint: usize) -> Sheet {
        Sheet {
            file: file.clone(),
            name,
            kind: None,
            header_row: None,
            columns: Vec::new(),
            rows: Vec::new(),
            ignored: Vec::new(),
            blank_rows: 0,
            size_hint,
        }
    }
}

/// A recognised column of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMatch {
    /// The standard column name from SPEC.md, e.g. `出生日期`.
    pub name: &'static str,
    /// 0-based column index.
    pub col: u32,
    /// The header as written in the sheet, e.g. `出生日期（年月）`.
    pub header: String,
}

/// One data row: its position and the cells of the recognised columns.
#[derive(Debug, Clone)]
pub struct Row {
    /// Where the row is.
    pub at: RowRef,
    /// The cells of the recognised columns: standard column name, 0-based column, value.
    pub cells: Vec<(&'static str, u32, Cell)>,
}

impl Row {
    /// The cell of a standard column with its position, or `None` when the sheet lacks it.
    pub fn get(&self, column: &str) -> Option<(CellRef, &Cell)> {
        self.cells
            .iter()
            .find(|(name, _, _)| *name == column)
            .map(|(_, col, cell)| (self.at.cell(*col), cell))
    }
}

/// A non-blank row that is not data.
#[derive(Debug, Clone)]
pub struct IgnoredRow {
    /// Where the row is.
    pub at: RowRef,
    /// Why it was set aside, in Chinese (e.g. `标题行`, `表头`, `表尾（制表人）`).
    pub reason: String,
    /// The row's text (non-empty cells joined by a space, shortened), for the manifest.
    pub text: String,
}

/// Reads one input file given as bytes. `name` is the name every message shows (the file
/// name, or a path that tells it apart from other inputs; its extension picks the format;
/// CSV encodings are detected). An `Err` means the file could not be read at all
/// (corrupt, not a spreadsheet): a problem at the file's location, in Chinese.
///
/// The format is decided by the content, not trusted from the extension: zip and OLE files go
/// to calamine (a note says so when the extension disagrees), text goes to the CSV reader
/// when the extension is `.csv` or not a spreadsheet extension. Never panics.
// The error type is the shared `Problem`, by design; files are read once each, so its size
// does not matter.
#[allow(clippy::result_large_err)]
pub fn read_workbook(name: &str, bytes: &[u8], aliases: &Aliases) -> Result<Workbook, Problem> {
    let options = ReadOptions {
        aliases,
        include_hidden: false,
        max_rows: u32::MAX,
        max_unzipped_bytes: u64::MAX,
    };
    read_workbook_with(name, bytes, &options)
}

/// How to read workbooks.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Extra header aliases from the configuration.
    pub aliases: &'a Aliases,
    /// Read hidden and very hidden sheets too (`--include-hidden`); by default they are
    /// skipped with a warning.
    pub include_hidden: bool,
    /// A sheet of more rows is refused.
    pub max_rows: u32,
    /// A workbook whose parts inflate to more bytes is refused before it is read.
    pub max_unzipped_bytes: u64,
}

/// [`read_workbook`] with every reading option.
#[allow(clippy::result_large_err)]
pub fn read_workbook_with(
    name: &str,
    bytes: &[u8],
    options: &ReadOptions<'_>,
) -> Result<Workbook, Problem> {
    let mut collected = Collected::default();
    let format = read_workbook_each(name, bytes, options, &mut collected)?;
    Ok(Workbook {
        file: Arc::new(name.replace('\\', "/")),
        format,
        sheets: collected.sheets,
        problems: collected.problems,
    })
}

/// Where [`read_workbook_each`] delivers what it reads, in workbook order.
pub trait SheetSink {
    /// A problem about the whole file (its format, no sheets …).
    fn file_problem(&mut self, problem: Problem);
    /// The first rows of a large sheet still being read: a sheet of many rows comes as parts
    /// of consecutive rows, each with the sheet's kind and columns, and its last part through
    /// [`SheetSink::sheet`]. Lets the sink turn rows into records while the sheet is read,
    /// instead of holding every row of it at once.
    fn part(&mut self, part: Sheet);
    /// One sheet as read (recognised or not, possibly empty) — or the last part of a sheet
    /// handed over in parts — with the problems found in it.
    fn sheet(&mut self, sheet: Sheet, problems: Vec<Problem>);
    /// Forget every part handed over of the sheet being read: the reader takes the sheet
    /// back (its cells came out of order, merged cells lie over its data, it has too many
    /// rows or is damaged) and delivers it again, whole or empty with the reason.
    fn withdraw(&mut self);
}

/// A whole workbook gathered from [`read_workbook_each`].
#[derive(Default)]
struct Collected {
    sheets: Vec<Sheet>,
    problems: Vec<Problem>,
    /// The parts handed over so far of the sheet being read.
    parts: Vec<Sheet>,
}

impl SheetSink for Collected {
    fn file_problem(&mut self, problem: Problem) {
        self.problems.push(problem);
    }
    fn part(&mut self, part: Sheet) {
        self.parts.push(part);
    }
    fn withdraw(&mut self) {
        self.parts.clear();
    }
    fn sheet(&mut self, mut sheet: Sheet, problems: Vec<Problem>) {
        self.problems.extend(problems);
        if !self.parts.is_empty() {
            let parts = std::mem::take(&mut self.parts);
            let mut rows = Vec::new();
            let mut ignored = Vec::new();
            for mut part in parts {
                rows.append(&mut part.rows);
                ignored.append(&mut part.ignored);
            }
            rows.append(&mut sheet.rows);
            ignored.append(&mut sheet.ignored);
            sheet.rows = rows;
            sheet.ignored = ignored;
        }
        self.sheets.push(sheet);
    }
}

/// Reads one input file as [`read_workbook_with`] does, but hands each sheet to `sink` while
/// it is read, in parts of consecutive rows, so that a large workbook never has its cells in
/// memory at once (xlsx and xlsb: not even one sheet's; xls, ods and CSV: the sheet being
/// read). Returns what the file was read as (`xlsx`, `csv（GBK）` …); an `Err`
/// is a file that could not be read at all, and then nothing was delivered.
#[allow(clippy::result_large_err)]
pub fn read_workbook_each(
    name: &str,
    bytes: &[u8],
    options: &ReadOptions<'_>,
    sink: &mut dyn SheetSink,
) -> Result<String, Problem> {
    let aliases = options.aliases;
    let file: Arc<String> = Arc::new(name.replace('\\', "/"));
    let ext = extension(base_name(&file));
    let fail = |message: String| Problem::error(Location::File(file.clone()), message);
    match sniff::sniff(bytes) {
        Sniff::Zip | Sniff::Cfb => read_excel_file(&file, &ext, bytes, options, sink).map_err(fail),
        Sniff::Text if !EXCEL_EXTENSIONS.contains(&ext.as_str()) => {
            read_csv_file(&file, bytes, aliases, options.max_rows, sink).map_err(fail)
        }
        // A CSV that is not text: the CSV reader explains the encoding problem.
        Sniff::Binary if ext == "csv" => {
            read_csv_file(&file, bytes, aliases, options.max_rows, sink).map_err(fail)
        }
        _ => Err(fail(sniff::describe_unreadable(bytes))),
    }
}

/// Why these bytes cannot be read as a data file at all (a PDF, an image, a web page, an
/// empty file …), in Chinese as [`read_workbook`] would say it; `None` when a reader takes
/// them. Lets a front end refuse an upload before running a job on it.
pub fn not_a_data_file(name: &str, bytes: &[u8]) -> Option<String> {
    let ext = extension(base_name(name));
    match sniff::sniff(bytes) {
        Sniff::Zip | Sniff::Cfb => None,
        Sniff::Text if !EXCEL_EXTENSIONS.contains(&ext.as_str()) => None,
        Sniff::Binary if ext == "csv" => None,
        _ => Some(sniff::describe_unreadable(bytes)),
    }
}

/// Extensions of the formats calamine reads.
const EXCEL_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// The file name without directories (either slash), as the user knows it.
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The lower-case extension without the dot, or empty.
fn extension(file: &str) -> String {
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// Reads a zip or OLE container with calamine into `sink`, sheet by sheet; `Err` is the
/// Chinese file-level message. Returns the format's label.
fn read_excel_file(
    file: &Arc<String>,
    ext: &str,
    bytes: &[u8],
    options: &ReadOptions<'_>,
    sink: &mut dyn SheetSink,
) -> Result<String, String> {
    use ExcelFormat::{Ods, Xls, Xlsb, Xlsx};
    if let Some(size) = excel::unzipped_size(bytes).filter(|&s| s > options.max_unzipped_bytes) {
        return Err(format!(
            "解压后有 {} MB，超过上限 {} MB（文件可能是恶意构造的压缩炸弹），未读取；如确属正常的大表格，请在 dangjian.toml 的 [limits] 中调大 unzipped_mb",
            size / 1_048_576,
            options.max_unzipped_bytes / 1_048_576
        ));
    }
    let sheet_options = SheetOptions {
        include_hidden: options.include_hidden,
        max_rows: options.max_rows,
    };
    let mut order = match sniff::sniff(bytes) {
        Sniff::Cfb => vec![Xls, Xlsx, Xlsb],
        _ => vec![Xlsx, Xlsb, Ods],
    };
    // The format the extension names goes first.
    if let Some(i) = order.iter().position(|f| f.extension() == ext) {
        let f = order.remove(i);
        order.insert(0, f);
    }
    let mut delivery = Delivery {
        file,
        ext,
        aliases: options.aliases,
        sink,
        stream: None,
    };
    let format = excel::read_excel(bytes, &order, sheet_options, &mut delivery)
        .map_err(|e| match e {
            OpenError::Password => format!(
                "无法读取：工作簿设置了打开密码（已加密）。请在 Excel/WPS 中取消密码后另存，再试。{SUPPORTED}"
            ),
            OpenError::Panic => format!(
                "无法读取：解析文件时出错，文件可能已损坏。请用 Excel 或 WPS 打开后另存为 .xlsx 再试。{SUPPORTED}"
            ),
            OpenError::Invalid => sniff::describe_unreadable(bytes),
        })?;
    Ok(deliver::label_of(format, ext).to_string())
}

/// Reads a CSV file (encoding detected); the sheet is named after the file stem.
fn read_csv_file(
    file: &Arc<String>,
    bytes: &[u8],
    aliases: &Aliases,
    max_rows: u32,
    sink: &mut dyn SheetSink,
) -> Result<String, String> {
    let Some((encoding, text)) = csv::decode(bytes) else {
        return Err(format!(
            "无法读取：文件既不是 UTF-8 也不是 GBK/GB18030 编码的文本（可能是二进制文件或已损坏）。请在 Excel 中另存为「CSV UTF-8」或 .xlsx。{SUPPORTED}"
        ));
    };
    let grid = catch_unwind(AssertUnwindSafe(|| csv::parse(&text, max_rows)))
        .map_err(|_| format!("无法读取：解析 CSV 时出错，文件可能已损坏。{SUPPORTED}"))?
        .map_err(|e| format!("无法读取：{e}"))?;
    if matches!(encoding, csv::CsvEncoding::Gbk | csv::CsvEncoding::Utf16) {
        let hint = if encoding == csv::CsvEncoding::Gbk {
            "（中文 Windows 上 Excel 保存 CSV 的默认编码）"
        } else {
            ""
        };
        sink.file_problem(Problem::note(
            Location::File(file.clone()),
            format!("CSV 文件按 {} 编码读取{hint}", encoding.label()),
        ));
    }
    let stem = match base_name(file).rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => file,
    };
    let mut problems = Vec::new();
    let sheet = sheet::build_sheet(file, stem, grid, &[], aliases, &mut problems, &mut |part| {
        sink.part(part)
    });
    sink.sheet(sheet, problems);
    Ok(format!("csv（{}）", encoding.label()))
}
