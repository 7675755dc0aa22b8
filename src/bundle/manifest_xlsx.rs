//! The manifest as a workbook, 清单.xlsx, beside 清单.csv: the same lines, for the office that
//! opens it in Excel or WPS — every cell text (a 学号 stays `2021010101`, never `2.02E+09`),
//! the header frozen with a filter on it, columns wide enough to read, and besides the sheet
//! of every line one sheet per status (生成, 拒绝, 忽略, 提示) holding its lines.
//!
//! Deterministic like the rest of the archive: the workbook's creation date is fixed. Rows
//! are streamed to temporary files while the sheets are written, so memory does not grow
//! with the number of lines.

use super::error::BundleError;
use super::manifest::{LIST_SEPARATOR, MANIFEST_HEADER, ManifestLine, ManifestLines, Status};
use crate::bundle::archive_path::join_paths;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::io::{self, Seek, Write};

/// The workbook's file name at the root of the archive.
pub const MANIFEST_WORKBOOK_NAME: &str = "清单.xlsx";

/// The columns: those of 清单.csv ([`MANIFEST_HEADER`]) with the student's 身份证号 after 姓名,
/// so that the office can match a line to the person (as text: no scientific notation).
const HEADER: [&str; 10] = [
    MANIFEST_HEADER[0],
    MANIFEST_HEADER[1],
    MANIFEST_HEADER[2],
    MANIFEST_HEADER[3],
    MANIFEST_HEADER[4],
    MANIFEST_HEADER[5],
    "身份证号",
    MANIFEST_HEADER[6],
    MANIFEST_HEADER[7],
    MANIFEST_HEADER[8],
];

/// The width of each column, in Excel character units, in [`HEADER`] order.
const WIDTHS: [f64; 10] = [22.0, 14.0, 7.0, 10.0, 14.0, 10.0, 20.0, 7.0, 60.0, 80.0];

/// The name of the sheet holding every line.
const ALL_SHEET: &str = "全部";

/// The statuses that get a sheet of their own, in order.
const STATUSES: [Status; 4] = [
    Status::Generated,
    Status::Refused,
    Status::Ignored,
    Status::Note,
];

/// The bytes of 清单.xlsx for `lines`, in the order given: a sheet of every line, then one per
/// status that has lines. The same lines always give the same bytes.
pub fn manifest_xlsx(lines: &dyn ManifestLines) -> Result<Vec<u8>, BundleError> {
    let mut bytes = Vec::new();
    write_manifest_xlsx(lines, &mut bytes)?;
    Ok(bytes)
}

/// Writes 清单.xlsx for `lines` to `out` (the bytes of [`manifest_xlsx`]). The workbook is
/// put together in an anonymous temporary file, not in memory: a province's 清单.xlsx is
/// tens of megabytes.
pub fn write_manifest_xlsx(
    lines: &dyn ManifestLines,
    out: &mut dyn Write,
) -> Result<(), BundleError> {
    let failed = |e: &dyn std::fmt::Display| BundleError::ManifestWorkbook(e.to_string());
    let mut workbook = build(lines).map_err(|e| failed(&e))?;
    let mut file = tempfile::tempfile().map_err(|e| failed(&e))?;
    workbook.save_to_writer(&mut file).map_err(|e| failed(&e))?;
    file.rewind().map_err(|e| failed(&e))?;
    io::copy(&mut file, out).map_err(|e| failed(&e))?;
    Ok(())
}

/// [`manifest_xlsx`] with rust_xlsxwriter's error.
fn build(lines: &dyn ManifestLines) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let header = Format::new().set_bold();
    // Each sheet's rows go to a temporary file as they are written (rust_xlsxwriter's
    // constant-memory mode): a province's 清单 of hundreds of thousands of lines costs a few
    // megabytes, not one heap object per cell.
    // The statuses present are noted while the first sheet is written: the lines are made
    // afresh each time they are read, so asking again per status would make them all again.
    let mut present = [false; STATUSES.len()];
    fill(
        workbook.add_worksheet_with_constant_memory()?,
        ALL_SHEET,
        lines.lines().inspect(|l| {
            if let Some(i) = STATUSES.iter().position(|s| *s == l.status) {
                present[i] = true;
            }
        }),
        &header,
    )?;
    for (status, present) in STATUSES.into_iter().zip(present) {
        if present {
            fill(
                workbook.add_worksheet_with_constant_memory()?,
                status.label(),
                lines.lines().filter(|l| l.status == status),
                &header,
            )?;
        }
    }
    Ok(workbook)
}

/// Writes one sheet: the header (bold, frozen, with a filter), then `lines`, every cell text.
fn fill(
    sheet: &mut Worksheet,
    name: &str,
    lines: impl Iterator<Item = ManifestLine>,
    header: &Format,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    for (col, (title, width)) in HEADER.iter().zip(WIDTHS).enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *title, header)?;
        sheet.set_column_width(col, width)?;
    }
    let mut last = 0u32;
    for (i, line) in lines.enumerate() {
        let row = i as u32 + 1;
        let cells = [
            line.file.as_str().to_string(),
            line.sheet.as_str().to_string(),
            line.row.to_string(),
            line.kind.to_string(),
            line.student_id.clone(),
            line.name.clone(),
            line.id_card.clone(),
            line.status.label().to_string(),
            join_paths(&line.outputs, LIST_SEPARATOR),
            line.reasons.join(LIST_SEPARATOR),
        ];
        for (col, text) in cells.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(row, col as u16, text)?;
            }
        }
        last = row;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last, HEADER.len() as u16 - 1)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::archive_path::ArchivePath;
    use std::sync::Arc;

    fn line(id: &str, status: Status) -> ManifestLine {
        ManifestLine {
            file: Arc::new("台账.xlsx".into()),
            sheet: Arc::new("花名册".into()),
            row: 2,
            kind: "花名册",
            student_id: id.into(),
            name: "张三".into(),
            id_card: "11010519491231002X".into(),
            status,
            outputs: vec![ArchivePath::from("a/个人档案.pdf")],
            reasons: vec!["原因".into()],
        }
    }

    #[test]
    fn the_same_lines_give_the_same_workbook() {
        let lines = [
            line("2021010101", Status::Generated),
            line("0012", Status::Refused),
        ];
        let a = manifest_xlsx(&lines.to_vec()).unwrap();
        let b = manifest_xlsx(&lines.to_vec()).unwrap();
        assert!(a.starts_with(b"PK"), "an xlsx is a zip");
        assert_eq!(a, b);
    }
}
