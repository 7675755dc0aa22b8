//! The rules report as a workbook for filtering: every finding one row (with autofilter), the
//! rules with their counts, and the statistics.

use super::RulesReport;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// The formats of the report.
struct Formats {
    /// A header cell.
    header: Format,
    /// A data cell.
    cell: Format,
    /// A wrapped data cell.
    wrap: Format,
}

/// The report's workbook bytes (identical for identical findings).
pub fn report_xlsx(report: &RulesReport) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 1, 1)?.and_hms(8, 0, 0)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("发展党员程序检查报告")
            .set_author("dangjian")
            .set_creation_datetime(&created),
    );
    let base = Format::new().set_font_name("宋体").set_font_size(11);
    let f = Formats {
        header: base
            .clone()
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_background_color("D9D9D9"),
        cell: base.clone().set_align(FormatAlign::Top),
        wrap: base.set_text_wrap().set_align(FormatAlign::Top),
    };

    let ws = wb.add_worksheet();
    ws.set_name("问题清单")?;
    let rows: Vec<Vec<String>> = report
        .findings
        .iter()
        .enumerate()
        .map(|(i, x)| {
            vec![
                (i + 1).to_string(),
                x.rule.label().to_string(),
                x.student_id.clone(),
                x.name.clone(),
                x.college.clone(),
                x.branch.clone(),
                x.cells_text(),
                x.found.clone(),
                x.expected.clone(),
            ]
        })
        .collect();
    table(
        ws,
        &f,
        &[
            ("序号", 6.0),
            ("规则", 16.0),
            ("学号", 14.0),
            ("姓名", 10.0),
            ("学院", 18.0),
            ("党支部", 16.0),
            ("单元格", 36.0),
            ("情况", 48.0),
            ("要求", 36.0),
        ],
        &rows,
    )?;

    let ws = wb.add_worksheet();
    ws.set_name("规则汇总")?;
    let rows: Vec<Vec<String>> = report
        .rules
        .iter()
        .map(|r| {
            vec![
                r.label.to_string(),
                r.requirement.clone(),
                r.findings.to_string(),
            ]
        })
        .collect();
    table(
        ws,
        &f,
        &[("规则", 16.0), ("要求", 44.0), ("问题数", 8.0)],
        &rows,
    )?;

    let st = &report.statistics;
    let ws = wb.add_worksheet();
    ws.set_name("各支部发展阶段")?;
    let mut columns: Vec<(&str, f64)> = vec![("学院", 18.0), ("党支部", 16.0), ("学生数", 8.0)];
    columns.extend(st.stage_labels.iter().map(|l| (*l, 10.0)));
    columns.extend([("未填阶段", 8.0), ("问题数", 8.0)]);
    let rows: Vec<Vec<String>> = st
        .branches
        .iter()
        .map(|b| {
            let mut row = vec![b.college.clone(), b.branch.clone(), b.students.to_string()];
            row.extend(b.stages.iter().map(usize::to_string));
            row.extend([b.unknown.to_string(), b.findings.to_string()]);
            row
        })
        .collect();
    table(ws, &f, &columns, &rows)?;

    let ws = wb.add_worksheet();
    ws.set_name("培训合格率")?;
    let rows: Vec<Vec<String>> = st
        .courses
        .iter()
        .map(|c| {
            vec![
                c.course.clone(),
                c.course_type.clone(),
                c.participants.to_string(),
                c.passed.to_string(),
                format!("{:.1}%", c.rate),
            ]
        })
        .collect();
    table(
        ws,
        &f,
        &[
            ("培训班", 30.0),
            ("培训类别", 12.0),
            ("参加人数", 10.0),
            ("合格人数", 10.0),
            ("合格率", 10.0),
        ],
        &rows,
    )?;

    let ws = wb.add_worksheet();
    ws.set_name("民主评议等次")?;
    let mut columns: Vec<(&str, f64)> = vec![("学院", 18.0), ("党支部", 16.0), ("年度", 8.0)];
    columns.extend(st.grade_labels.iter().map(|l| (*l, 10.0)));
    columns.push(("合计", 8.0));
    let rows: Vec<Vec<String>> = st
        .grades
        .iter()
        .map(|g| {
            let mut row = vec![g.college.clone(), g.branch.clone(), g.year.to_string()];
            row.extend(g.grades.iter().map(usize::to_string));
            row.push(g.total.to_string());
            row
        })
        .collect();
    table(ws, &f, &columns, &rows)?;

    wb.save_to_buffer()
}

/// Writes a table: the header (frozen, with an autofilter), then the rows; a cell of digits
/// is written as a number so that Excel sums and sorts it (学号 stays text).
fn table(
    ws: &mut Worksheet,
    f: &Formats,
    columns: &[(&str, f64)],
    rows: &[Vec<String>],
) -> Result<(), XlsxError> {
    for (c, (name, width)) in columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &f.header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, text) in row.iter().enumerate() {
            let numeric = columns[c].0 != "学号"
                && !text.is_empty()
                && text.len() < 10
                && text.chars().all(|ch| ch.is_ascii_digit());
            match text.parse::<f64>() {
                Ok(n) if numeric => ws.write_number_with_format(r, c as u16, n, &f.cell)?,
                _ => ws.write_string_with_format(r, c as u16, text, &f.wrap)?,
            };
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let last_row = rows.len() as u32;
    ws.autofilter(0, 0, last_row, columns.len() as u16 - 1)?;
    Ok(())
}
