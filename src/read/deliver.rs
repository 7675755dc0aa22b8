//! The workbook reader's sheets → a [`SheetSink`]: each sheet recognised and sorted into rows
//! as calamine parses it, handed over in parts, taken back when the reader must read it again.

use super::excel::{ExcelFormat, Merge, RawSheet, SheetVisitor};
use super::grid::GridRow;
use super::sheet::{SheetStream, build_sheet};
use super::{Aliases, EXCEL_EXTENSIONS, Sheet, SheetSink};
use crate::problem::{Location, Problem, Severity};
use std::sync::Arc;

/// Delivers the sheets of one workbook to a sink.
pub(super) struct Delivery<'a> {
    /// The file, as every message names it.
    pub file: &'a Arc<String>,
    /// Its extension (lower case, no dot), to say when the content disagrees with it.
    pub ext: &'a str,
    /// Extra header aliases.
    pub aliases: &'a Aliases,
    /// Where the sheets go.
    pub sink: &'a mut dyn SheetSink,
    /// The sheet being streamed.
    pub stream: Option<SheetStream<'a>>,
}

/// The label of a format read from a file with this extension (`xlsm` is read as xlsx).
pub(super) fn label_of(format: ExcelFormat, ext: &str) -> &'static str {
    if format == ExcelFormat::Xlsx && ext == "xlsm" {
        "xlsm"
    } else {
        format.extension()
    }
}

impl SheetVisitor for Delivery<'_> {
    fn opened(&mut self, format: ExcelFormat, sheet_count: usize) {
        let label = label_of(format, self.ext);
        let ext = self.ext;
        let ext_matches = ext == label || (format == ExcelFormat::Xlsx && ext == "xlsx");
        if !ext_matches && (EXCEL_EXTENSIONS.contains(&ext) || ext == "csv") {
            self.sink.file_problem(Problem::note(
                Location::File(self.file.clone()),
                format!("文件扩展名是 .{ext}，内容实际是 {label} 格式，已按 {label} 读取"),
            ));
        }
        if sheet_count == 0 {
            self.sink.file_problem(Problem::warning(
                Location::File(self.file.clone()),
                "工作簿中没有工作表",
            ));
        }
    }

    fn whole(&mut self, raw: RawSheet) {
        let mut problems = Vec::new();
        if let Some((severity, message)) = raw.skipped {
            let name = Arc::new(raw.name);
            let at = Location::Sheet {
                file: self.file.clone(),
                sheet: name.clone(),
            };
            problems.push(match severity {
                Severity::Error => Problem::error(at, message),
                Severity::Warning => Problem::warning(at, message),
                Severity::Note => Problem::note(at, message),
            });
            self.sink.sheet(Sheet::empty(self.file, name, 0), problems);
            return;
        }
        let sink = &mut *self.sink;
        let sheet = build_sheet(
            self.file,
            &raw.name,
            raw.grid,
            &raw.merges,
            self.aliases,
            &mut problems,
            &mut |part| sink.part(part),
        );
        sink.sheet(sheet, problems);
    }

    fn start(&mut self, name: &str, size_hint: usize) {
        self.stream = Some(SheetStream::new(self.file, name, self.aliases, size_hint));
    }

    fn row(&mut self, row: GridRow) {
        let sink = &mut *self.sink;
        if let Some(stream) = &mut self.stream {
            stream.push(row, &mut |part| sink.part(part));
        }
    }

    fn end(&mut self, merges: &[Merge]) -> bool {
        let Some(stream) = self.stream.take() else {
            return true;
        };
        let sink = &mut *self.sink;
        match stream.finish(merges, &mut |part| sink.part(part)) {
            Some((sheet, problems)) => {
                sink.sheet(sheet, problems);
                true
            }
            None => false,
        }
    }

    fn withdraw(&mut self) {
        self.stream = None;
        self.sink.withdraw();
    }
}
