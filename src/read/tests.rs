//! Reader tests on in-memory workbooks built with rust_xlsxwriter (and CSV bytes).

use super::*;
use crate::problem::Severity;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula};
use std::io::{Cursor, Read as _, Write as _};
use std::time::{Duration, Instant};

/// One cell to write.
#[derive(Clone)]
enum V {
    /// Text (an empty string writes nothing).
    T(String),
    /// A number.
    N(f64),
    /// A date cell (yyyy-mm-dd format).
    D(u16, u8, u8),
    /// A formula whose cached result is an Excel error.
    E(&'static str),
}

/// A row of text cells; `""` leaves the cell blank.
fn row(texts: &[&str]) -> Vec<V> {
    texts.iter().map(|t| V::T(t.to_string())).collect()
}

/// A sheet to write: its name and its rows at 0-based indices.
type PlacedSheet<'a> = (&'a str, Vec<(u32, Vec<V>)>);

/// Builds an xlsx in memory: each sheet is a name and rows placed from row 0 (`None` rows are
/// left blank), or at explicit row indices with [`xlsx_at`].
fn xlsx(sheets: &[(&str, Vec<Vec<V>>)]) -> Vec<u8> {
    let placed: Vec<PlacedSheet> = sheets
        .iter()
        .map(|(name, rows)| {
            let rows = rows
                .iter()
                .enumerate()
                .map(|(i, r)| (i as u32, r.clone()))
                .collect();
            (*name, rows)
        })
        .collect();
    xlsx_at(&placed)
}

/// Builds an xlsx in memory with rows at explicit 0-based indices.
fn xlsx_at(sheets: &[PlacedSheet]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, cells) in rows {
            for (c, v) in cells.iter().enumerate() {
                let c = c as u16;
                match v {
                    V::T(t) if t.is_empty() => {}
                    V::T(t) => {
                        ws.write_string(*r, c, t).unwrap();
                    }
                    V::N(x) => {
                        ws.write_number(*r, c, *x).unwrap();
                    }
                    V::D(y, m, d) => {
                        let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                        ws.write_datetime_with_format(*r, c, &dt, &date).unwrap();
                    }
                    V::E(code) => {
                        ws.write_formula(*r, c, Formula::new("=1/0").set_result(*code))
                            .unwrap();
                    }
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// Rewrites one member of a zip (an xlsx), replacing `from` by `to` in it.
fn patch_zip(bytes: &[u8], member: &str, from: &str, to: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        if name == member {
            let text = String::from_utf8(content).unwrap();
            assert!(text.contains(from), "{member} lacks {from}");
            content = text.replace(from, to).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

const ROSTER_HEADER: [&str; 6] = ["学号", "姓名", "性别", "出生日期", "学院", "党支部"];

/// A roster data row.
fn student(id: &str, name: &str) -> Vec<V> {
    vec![
        V::T(id.into()),
        V::T(name.into()),
        V::T("男".into()),
        V::D(2003, 5, 12),
        V::T("计算机学院".into()),
        V::T("第一党支部".into()),
    ]
}

fn read(name: &str, bytes: &[u8]) -> Workbook {
    read_workbook(name, bytes, &Aliases::new()).unwrap()
}

fn has(wb: &Workbook, severity: Severity, needle: &str) -> bool {
    wb.problems
        .iter()
        .any(|p| p.severity == severity && p.message.contains(needle))
}

fn reasons(sheet: &Sheet) -> Vec<&str> {
    sheet.ignored.iter().map(|r| r.reason.as_str()).collect()
}

#[test]
fn kind_by_name_with_title_rows() {
    let bytes = xlsx(&[(
        "2025年积极分子花名册",
        vec![
            row(&["计算机学院2025年入党积极分子花名册"]),
            row(&["填报单位：计算机学院党总支"]),
            row(&ROSTER_HEADER),
            student("2021001", "张三"),
            student("2021002", "李四"),
        ],
    )]);
    let wb = read("roster.xlsx", &bytes);
    assert_eq!(wb.format, "xlsx");
    assert_eq!(&*wb.file, "roster.xlsx");
    let sheet = &wb.sheets[0];
    assert_eq!(sheet.kind, Some(SheetKind::Roster));
    assert_eq!(sheet.header_row, Some(2));
    assert_eq!(sheet.columns.len(), 6);
    assert_eq!(sheet.rows.len(), 2);
    assert_eq!(reasons(sheet), vec!["标题行", "标题行", "表头"]);
    assert_eq!(sheet.ignored[0].text, "计算机学院2025年入党积极分子花名册");
    let first = &sheet.rows[0];
    assert_eq!(first.at.excel_row(), 4);
    let (at, cell) = first.get("姓名").unwrap();
    assert_eq!(at.a1(), "B4");
    assert_eq!(cell, &Cell::Text("张三".into()));
    let (_, born) = first.get("出生日期").unwrap();
    assert_eq!(born.to_string(), "2003-05-12");
    assert!(matches!(born, Cell::DateTime(_)));
    assert!(wb.problems.is_empty(), "{:?}", wb.problems);
}

#[test]
fn kind_by_headers_when_name_says_nothing() {
    let bytes = xlsx(&[(
        "Sheet1",
        vec![row(&ROSTER_HEADER), student("2021001", "张三")],
    )]);
    let wb = read("a.xlsx", &bytes);
    assert_eq!(wb.sheets[0].kind, Some(SheetKind::Roster));
    assert!(has(&wb, Severity::Note, "按表头识别为「花名册」"));
}

#[test]
fn overlapping_name_keywords_are_settled_by_headers() {
    let header = row(&[
        "学号",
        "姓名",
        "培训班",
        "开始日期",
        "结束日期",
        "学时",
        "成绩",
    ]);
    let data = row(&[
        "2021001",
        "张三",
        "第12期",
        "2025-03-01",
        "2025-03-05",
        "24",
        "85",
    ]);
    let bytes = xlsx(&[("党校考核成绩", vec![header, data])]);
    let wb = read("t.xlsx", &bytes);
    assert_eq!(wb.sheets[0].kind, Some(SheetKind::Training));
    assert_eq!(wb.sheets[0].rows.len(), 1);
    assert!(wb.problems.is_empty(), "{:?}", wb.problems);
}

#[test]
fn name_contradicted_by_headers_is_warned() {
    let bytes = xlsx(&[(
        "基本信息",
        vec![
            row(&["学号", "姓名", "谈话日期", "谈话人"]),
            row(&["2021001", "张三", "2025-03-01", "王老师"]),
        ],
    )]);
    let wb = read("t.xlsx", &bytes);
    assert_eq!(wb.sheets[0].kind, Some(SheetKind::Talk));
    assert!(has(&wb, Severity::Warning, "按「谈话」读取"));
}

#[test]
fn aliases_hints_and_full_width_headers() {
    let mut aliases = Aliases::new();
    aliases.insert("党支部".into(), vec!["支部名称".into()]);
    let bytes = xlsx(&[(
        "名单",
        vec![
            row(&[
                "序号",
                "学籍号",
                "学生 姓名",
                "性　别",
                "出生年月（yyyy.mm）",
                "院系【必填】",
                "支部名称",
                "ＱＱ号",
                "爱好",
            ]),
            row(&[
                "1",
                "2021001",
                "张 三",
                "男",
                "2003.05",
                "计算机学院",
                "一支部",
                "123",
                "",
            ]),
        ],
    )]);
    let wb = read_workbook("a.xlsx", &bytes, &aliases).unwrap();
    let sheet = &wb.sheets[0];
    assert_eq!(sheet.kind, Some(SheetKind::Roster));
    let names: Vec<&str> = sheet.columns.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        vec!["学号", "姓名", "性别", "出生日期", "学院", "党支部"]
    );
    assert_eq!(sheet.columns[3].header, "出生年月（yyyy.mm）");
    assert_eq!(sheet.columns[3].col, 4);
    // Unknown columns are noted once; 序号 silently ignored.
    let notes: Vec<&Problem> = wb
        .problems
        .iter()
        .filter(|p| p.message.contains("已忽略"))
        .collect();
    assert_eq!(notes.len(), 1);
    assert!(notes[0].message.contains("ＱＱ号") && notes[0].message.contains("爱好"));
    assert!(!notes[0].message.contains("序号"));
    // Without the config alias, 党支部 is missing: an error naming it and the headers seen.
    let wb = read("a.xlsx", &bytes);
    let err = wb.problems.iter().find(|p| p.is_error()).unwrap();
    assert!(err.message.contains("党支部"), "{}", err.message);
    assert!(err.message.contains("支部名称"), "{}", err.message);
    assert_eq!(
        err.location,
        Location::Sheet {
            file: Arc::new("a.xlsx".into()),
            sheet: Arc::new("名单".into())
        }
    );
    assert!(wb.sheets[0].rows.is_empty());
    assert!(
        wb.sheets[0]
            .ignored
            .iter()
            .all(|r| r.reason.contains("缺少必需列"))
    );
    assert_eq!(wb.sheets[0].ignored.len(), 2);
}

#[test]
fn duplicate_columns_first_wins() {
    let bytes = xlsx(&[(
        "花名册",
        vec![
            row(&[
                "学号",
                "姓名",
                "性别",
                "出生日期",
                "学院",
                "党支部",
                "学生编号",
            ]),
            row(&["1", "张三", "男", "2003-05", "计算机学院", "一支部", "X9"]),
        ],
    )]);
    let wb = read("a.xlsx", &bytes);
    let sheet = &wb.sheets[0];
    let id = sheet.columns.iter().find(|c| c.name == "学号").unwrap();
    assert_eq!(id.col, 0);
    let warning = wb
        .problems
        .iter()
        .find(|p| p.severity == Severity::Warning)
        .unwrap();
    assert!(warning.message.contains("重复"));
    assert_eq!(warning.location.to_string(), "a.xlsx › 花名册 › G1");
    assert_eq!(
        sheet.rows[0].get("学号").unwrap().1,
        &Cell::Text("1".into())
    );
}

#[test]
fn footer_lines_and_blank_rows() {
    let bytes = xlsx_at(&[(
        "花名册",
        vec![
            (0, row(&ROSTER_HEADER)),
            (1, student("2021001", "张三")),
            (3, student("2021002", "李四")),
            (6, row(&["制表人：王五", "", "审核人：赵六"])),
            (7, row(&["填表日期：2025年1月1日"])),
            (8, row(&["", "", "（盖章）"])),
        ],
    )]);
    let wb = read("a.xlsx", &bytes);
    let sheet = &wb.sheets[0];
    assert_eq!(sheet.rows.len(), 2);
    assert_eq!(sheet.blank_rows, 3);
    assert_eq!(
        reasons(sheet),
        vec![
            "表头",
            "表尾（制表人）",
            "表尾（「制表人」之后）",
            "表尾（「制表人」之后）"
        ]
    );
    assert_eq!(sheet.ignored[1].text, "制表人：王五 审核人：赵六");
    assert!(has(&wb, Severity::Note, "忽略了 3 行表尾"));
}

#[test]
fn data_after_a_footer_like_row_stays_data() {
    let bytes = xlsx(&[(
        "花名册",
        vec![
            row(&ROSTER_HEADER),
            student("2021001", "张三"),
            row(&["合计：1人"]),
            student("2021002", "李四"),
            row(&["说明：出生日期按身份证填写"]),
        ],
    )]);
    let wb = read("a.xlsx", &bytes);
    let sheet = &wb.sheets[0];
    assert_eq!(sheet.rows.len(), 2);
    assert_eq!(
        reasons(sheet),
        vec!["表头", "表尾（合计）", "表尾（「合计」之后）"]
    );
}

#[test]
fn rows_with_only_unrecognised_content_are_set_aside() {
    let mut header = row(&["序号"]);
    header.extend(row(&ROSTER_HEADER));
    let mut data = row(&["1"]);
    data.extend(student("2021001", "张三"));
    let bytes = xlsx(&[("花名册", vec![header, data, row(&["2"]), row(&["3"])])]);
    let wb = read("a.xlsx", &bytes);
    let sheet = &wb.sheets[0];
    assert_eq!(sheet.rows.len(), 1);
    assert_eq!(sheet.ignored.len(), 3);
    assert!(has(&wb, Severity::Note, "忽略了 2 行"));
}

#[test]
fn second_header_row_under_a_group_label() {
    let bytes = xlsx(&[(
        "民主评议",
        vec![
            row(&["学号", "姓名", "年度", "票数", "", "", "", "评定等次"]),
            row(&["", "", "", "优秀票", "合格票", "基本合格票", "不合格票", ""]),
            vec![
                V::T("2021001".into()),
                V::T("张三".into()),
                V::N(2025.0),
                V::N(10.0),
                V::N(5.0),
                V::N(0.0),
                V::N(0.0),
                V::T("优秀".into()),
            ],
        ],
    )]);
    let wb = read("a.xlsx", &bytes);
    let sheet = &wb.sheets[0];
    assert_eq!(sheet.kind, Some(SheetKind::Appraisal));
    let names: Vec<&str> = sheet.columns.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        vec![
            "学号",
            "姓名",
            "年度",
            "优秀票",
            "合格票",
            "基本合格票",
            "不合格票",
            "评定等次"
        ]
    );
    assert_eq!(sheet.rows.len(), 1);
    assert_eq!(sheet.rows[0].get("优秀票").unwrap().1, &Cell::Float(10.0));
    assert_eq!(reasons(sheet), vec!["表头", "表头"]);
    assert!(wb.problems.is_empty(), "{:?}", wb.problems);
}

#[test]
fn merged_data_cells_are_filled_and_repeated_headers_skipped() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("花名册").unwrap();
    let plain = Format::new();
    ws.merge_range(0, 0, 0, 5, "计算机学院花名册", &plain)
        .unwrap();
    for (c, h) in ROSTER_HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (i, (id, name)) in [("1", "张三"), ("2", "李四"), ("3", "王五")]
        .iter()
        .enumerate()
    {
        let r = 2 + i as u32;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, "男").unwrap();
        ws.write_string(r, 3, "2003-05").unwrap();
    }
    ws.merge_range(2, 4, 4, 4, "计算机学院", &plain).unwrap();
    ws.merge_range(2, 5, 3, 5, "第一党支部", &plain).unwrap();
    ws.write_string(4, 5, "第二党支部").unwrap();
    // The header repeated (as in a sheet printed over several pages).
    for (c, h) in ROSTER_HEADER.iter().enumerate() {
        ws.write_string(5, c as u16, *h).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let wb = read("a.xlsx", &bytes);
    let sheet = &wb.sheets[0];
    assert_eq!(sheet.rows.len(), 3);
    let value = |i: usize, col: &str| sheet.rows[i].get(col).unwrap().1.to_string();
    assert_eq!(value(2, "学院"), "计算机学院");
    assert_eq!(value(1, "党支部"), "第一党支部");
    assert_eq!(value(2, "党支部"), "第二党支部");
    assert!(has(&wb, Severity::Note, "2 处合并单元格"));
    assert_eq!(reasons(sheet), vec!["标题行", "表头", "重复的表头"]);
    // The merged title is not copied across.
    assert_eq!(sheet.ignored[0].text, "计算机学院花名册");
}

#[test]
fn excel_error_cells_are_kept_as_errors() {
    let mut data = student("2021001", "张三");
    data[3] = V::E("#N/A");
    data[4] = V::E("#DIV/0!");
    let bytes = xlsx(&[("花名册", vec![row(&ROSTER_HEADER), data])]);
    let wb = read("a.xlsx", &bytes);
    let r = &wb.sheets[0].rows[0];
    assert_eq!(r.get("出生日期").unwrap().1, &Cell::Error("#N/A".into()));
    assert_eq!(r.get("学院").unwrap().1, &Cell::Error("#DIV/0!".into()));
}

#[test]
fn numbers_stay_numbers() {
    let mut data = student("", "张三");
    data[0] = V::N(2021010101.0);
    let bytes = xlsx(&[("花名册", vec![row(&ROSTER_HEADER), data])]);
    let wb = read("a.xlsx", &bytes);
    let (_, id) = wb.sheets[0].rows[0].get("学号").unwrap();
    assert_eq!(id, &Cell::Float(2021010101.0));
    assert_eq!(id.to_string(), "2021010101");
}

const CSV_TEXT: &str = "学号,姓名,性别,出生日期,学院,党支部\n2021001,张三,男,2003-05-12,计算机学院,一支部\n\n制表人：王五\n";

#[test]
fn gbk_csv() {
    let (bytes, _, bad) = encoding_rs::GBK.encode(CSV_TEXT);
    assert!(!bad);
    let wb = read("花名册.csv", &bytes);
    assert_eq!(wb.format, "csv（GBK）");
    assert!(has(&wb, Severity::Note, "GBK"));
    let sheet = &wb.sheets[0];
    assert_eq!(&*sheet.name, "花名册");
    assert_eq!(sheet.kind, Some(SheetKind::Roster));
    assert_eq!(sheet.rows.len(), 1);
    assert_eq!(sheet.blank_rows, 1);
    assert_eq!(sheet.ignored.last().unwrap().at.excel_row(), 4);
    assert_eq!(
        sheet.rows[0].get("姓名").unwrap().1,
        &Cell::Text("张三".into())
    );
}

#[test]
fn utf8_bom_csv() {
    let bytes = [&[0xEF, 0xBB, 0xBF][..], CSV_TEXT.as_bytes()].concat();
    // The name is shown as given (a path tells two inputs of one base name apart); the
    // sheet is named after the file's stem.
    let wb = read("data/名单.csv", &bytes);
    assert_eq!(&*wb.file, "data/名单.csv");
    assert_eq!(&*wb.sheets[0].name, "名单");
    assert_eq!(wb.format, "csv（UTF-8 BOM）");
    assert!(!has(&wb, Severity::Note, "编码"));
    // The BOM does not stick to the first header.
    assert_eq!(wb.sheets[0].columns[0].header, "学号");
    assert_eq!(wb.sheets[0].rows.len(), 1);
}

#[test]
fn text_with_unknown_extension_is_read_as_csv() {
    let wb = read("花名册.txt", CSV_TEXT.as_bytes());
    assert_eq!(wb.format, "csv（UTF-8）");
    assert_eq!(wb.sheets[0].rows.len(), 1);
}

#[test]
fn undecodable_csv_is_refused() {
    let err = read_workbook(
        "a.csv",
        &[b'a', b',', 0x80, b'\n', 0xFF, 0xFE, b'x'],
        &Aliases::new(),
    )
    .unwrap_err();
    assert!(err.is_error());
    assert_eq!(err.location, Location::File(Arc::new("a.csv".into())));
    assert!(err.message.contains("GBK"), "{}", err.message);
}

fn unreadable(name: &str, bytes: &[u8]) -> Problem {
    let err = read_workbook(name, bytes, &Aliases::new()).unwrap_err();
    assert!(err.is_error());
    assert_eq!(err.location, Location::File(Arc::new(name.into())));
    assert!(err.message.starts_with("无法读取："), "{}", err.message);
    assert!(err.message.contains(".xlsx .xlsm .xls .xlsb .ods .csv"));
    err
}

#[test]
fn corrupt_and_disguised_files_are_refused() {
    let mut random = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..4096 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        random.push((x >> 16) as u8);
    }
    unreadable("a.xlsx", &random);
    unreadable("a.xlsx", b"");
    let txt = unreadable("a.xlsx", "这是一段文字\n第二行\n".as_bytes());
    assert!(txt.message.contains("纯文本"), "{}", txt.message);
    let html = unreadable(
        "a.xls",
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    );
    assert!(html.message.contains("网页"), "{}", html.message);
    let good = xlsx(&[("花名册", vec![row(&ROSTER_HEADER)])]);
    let truncated = unreadable("a.xlsx", &good[..good.len() / 2]);
    assert!(truncated.message.contains("损坏"), "{}", truncated.message);
    let mut zip_like = b"PK\x03\x04".to_vec();
    zip_like.extend_from_slice(&random);
    unreadable("a.xlsx", &zip_like);
    let mut cfb_like = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb_like.extend_from_slice(&random);
    unreadable("a.xls", &cfb_like);
}

#[test]
fn mutated_workbooks_never_panic() {
    let good = xlsx(&[(
        "花名册",
        vec![row(&ROSTER_HEADER), student("2021001", "张三")],
    )]);
    let mut x: u64 = 42;
    for _ in 0..200 {
        let mut bytes = good.clone();
        for _ in 0..8 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let i = (x >> 33) as usize % bytes.len();
            bytes[i] = (x >> 20) as u8;
        }
        // Either outcome is fine; a panic is not.
        let _ = read_workbook("a.xlsx", &bytes, &Aliases::new());
    }
}

#[test]
fn extension_mismatch_is_noted() {
    let bytes = xlsx(&[(
        "花名册",
        vec![row(&ROSTER_HEADER), student("2021001", "张三")],
    )]);
    let wb = read("旧表.xls", &bytes);
    assert_eq!(wb.format, "xlsx");
    assert!(has(&wb, Severity::Note, "内容实际是 xlsx"));
    assert_eq!(wb.sheets[0].rows.len(), 1);
    let wb = read("宏.xlsm", &bytes);
    assert_eq!(wb.format, "xlsm");
    assert!(wb.problems.is_empty());
}

#[test]
fn empty_and_header_only_sheets() {
    let bytes = xlsx(&[
        ("花名册", vec![]),
        (
            "谈话记录",
            vec![row(&["学号", "姓名", "谈话日期", "谈话人"])],
        ),
        ("Sheet3", vec![]),
    ]);
    let wb = read("a.xlsx", &bytes);
    assert_eq!(wb.sheets.len(), 3);
    assert!(has(&wb, Severity::Warning, "工作表为空"));
    assert!(has(&wb, Severity::Warning, "没有数据行"));
    assert!(has(&wb, Severity::Note, "工作表为空"));
    assert_eq!(wb.sheets[1].kind, Some(SheetKind::Talk));
    assert_eq!(wb.sheets[1].header_row, Some(0));
}

#[test]
fn unrecognised_sheets_are_reported_and_their_rows_ignored() {
    let mut sheets = vec![(
        "花名册",
        vec![row(&ROSTER_HEADER), student("2021001", "张三")],
    )];
    let names: Vec<String> = (0..40).map(|i| format!("统计{i}")).collect();
    for name in &names {
        sheets.push((
            name.as_str(),
            vec![row(&["项目", "数量"]), row(&["人数", "3"])],
        ));
    }
    let bytes = xlsx(&sheets);
    let wb = read("a.xlsx", &bytes);
    assert_eq!(wb.sheets.len(), 41);
    assert_eq!(wb.sheets[0].rows.len(), 1);
    let other = &wb.sheets[1];
    assert_eq!(other.kind, None);
    assert_eq!(reasons(other), vec!["未识别的工作表", "未识别的工作表"]);
    let warnings = wb
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    assert_eq!(warnings, 40);
    let w = wb
        .problems
        .iter()
        .find(|p| p.severity == Severity::Warning)
        .unwrap();
    assert!(
        w.message.contains("花名册") && w.message.contains("学号"),
        "{}",
        w.message
    );
}

#[test]
fn ten_megabyte_cell() {
    let bytes = xlsx(&[(
        "花名册",
        vec![
            row(&["PLACEHOLDER-TITLE"]),
            {
                let mut h = row(&ROSTER_HEADER);
                h.push(V::T("备注".into()));
                h
            },
            {
                let mut d = student("2021001", "张三");
                d.push(V::T("PLACEHOLDER-NOTE".into()));
                d
            },
        ],
    )]);
    let big = "党".repeat(10 * 1024 * 1024 / 3);
    let bytes = patch_zip(&bytes, "xl/sharedStrings.xml", "PLACEHOLDER-TITLE", &big);
    let bytes = patch_zip(&bytes, "xl/sharedStrings.xml", "PLACEHOLDER-NOTE", &big);
    let start = Instant::now();
    let wb = read("big.xlsx", &bytes);
    assert!(start.elapsed() < Duration::from_secs(10));
    let sheet = &wb.sheets[0];
    assert_eq!(sheet.rows.len(), 1);
    assert_eq!(sheet.header_row, Some(1));
    assert!(sheet.ignored[0].text.chars().count() < 80);
    let (_, note) = sheet.rows[0].get("备注").unwrap();
    assert!(matches!(note, Cell::Text(t) if t.len() == big.len()));

    // The same in CSV.
    let csv_text = format!(
        "{big}\n{}\n2021001,张三,男,2003-05,计算机学院,一支部\n",
        ROSTER_HEADER.join(",")
    );
    let wb = read("big.csv", csv_text.as_bytes());
    assert_eq!(wb.sheets[0].rows.len(), 1);
}

#[test]
fn a_million_blank_rows() {
    let bytes = xlsx_at(&[(
        "花名册",
        vec![
            (0, row(&ROSTER_HEADER)),
            (1, student("2021001", "张三")),
            (1_000_000, row(&["制表人：王五"])),
        ],
    )]);
    let start = Instant::now();
    let wb = read("a.xlsx", &bytes);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    let sheet = &wb.sheets[0];
    assert_eq!(sheet.blank_rows, 999_998);
    assert_eq!(sheet.rows.len(), 1);
    assert_eq!(sheet.ignored.last().unwrap().at.excel_row(), 1_000_001);
}

#[test]
fn two_thousand_rows_read_quickly() {
    let mut rows = vec![row(&["计算机学院学生党员花名册"]), row(&ROSTER_HEADER)];
    for i in 0..2000 {
        rows.push(student(&format!("2021{i:04}"), "张三"));
    }
    let bytes = xlsx(&[("花名册", rows)]);
    let start = Instant::now();
    let wb = read("a.xlsx", &bytes);
    let elapsed = start.elapsed();
    assert_eq!(wb.sheets[0].rows.len(), 2000);
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
}

/// A minimal OpenDocument spreadsheet: one sheet of rows given as cell XML snippets.
fn ods(sheet: &str, rows: &[String]) -> Vec<u8> {
    let body: String = rows
        .iter()
        .map(|r| format!("<table:table-row>{r}</table:table-row>"))
        .collect();
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="{sheet}">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("mimetype", stored).unwrap();
    out.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    out.start_file(
        "META-INF/manifest.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    out.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#)
        .unwrap();
    out.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    out.write_all(content.as_bytes()).unwrap();
    out.finish().unwrap().into_inner()
}

/// An ODS text cell.
fn ods_text(t: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
    )
}

#[test]
fn ods_workbook() {
    let header: String = ROSTER_HEADER.iter().map(|h| ods_text(h)).collect();
    let data = [
        ods_text("2021001"),
        ods_text("张三"),
        ods_text("男"),
        r#"<table:table-cell office:value-type="date" office:date-value="2003-05-12"><text:p>2003-05-12</text:p></table:table-cell>"#.to_string(),
        ods_text("计算机学院"),
        r#"<table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>"#.to_string(),
    ]
    .concat();
    let blank = r#"<table:table-cell/>"#.to_string();
    let bytes = ods("花名册", &[ods_text("标题"), header, blank, data]);
    let wb = read("a.ods", &bytes);
    assert_eq!(wb.format, "ods");
    let sheet = &wb.sheets[0];
    assert_eq!(sheet.header_row, Some(1));
    assert_eq!(sheet.blank_rows, 1);
    assert_eq!(sheet.rows.len(), 1);
    let r = &sheet.rows[0];
    assert_eq!(r.at.excel_row(), 4);
    assert_eq!(r.get("出生日期").unwrap().1.to_string(), "2003-05-12");
    assert!(matches!(r.get("出生日期").unwrap().1, Cell::DateTime(_)));
    assert_eq!(r.get("党支部").unwrap().1, &Cell::Float(3.0));
}

/// Records what [`read_workbook_each`] hands over, in order.
#[derive(Default)]
struct Recorder {
    /// `file:` + message, or `sheet:` + name and the number of its problems, as delivered.
    events: Vec<String>,
    /// Data rows of every sheet handed over.
    rows_seen: usize,
}

impl SheetSink for Recorder {
    fn file_problem(&mut self, problem: Problem) {
        self.events.push(format!("file:{}", problem.message));
    }
    fn withdraw(&mut self) {
        self.events.push("withdraw".to_string());
    }
    fn part(&mut self, part: Sheet) {
        self.rows_seen += part.rows.len();
        self.events.push(format!("part:{}", part.name));
    }
    fn sheet(&mut self, sheet: Sheet, problems: Vec<Problem>) {
        self.rows_seen += sheet.rows.len();
        self.events
            .push(format!("sheet:{}:{}", sheet.name, problems.len()));
    }
}

#[test]
fn sheets_are_handed_over_one_by_one_in_workbook_order_with_their_own_problems() {
    let bytes = xlsx(&[
        (
            "花名册",
            vec![
                row(&["学号", "姓名", "性别", "出生日期", "学院", "党支部"]),
                row(&[
                    "2021010101",
                    "张三",
                    "男",
                    "2003-05",
                    "文学院",
                    "学生第一党支部",
                ]),
            ],
        ),
        ("杂项", vec![row(&["随便写的", "内容"])]),
        (
            "党校培训",
            vec![
                row(&[
                    "学号",
                    "姓名",
                    "培训班",
                    "开始日期",
                    "结束日期",
                    "学时",
                    "成绩",
                ]),
                row(&[
                    "2021010101",
                    "张三",
                    "第1期",
                    "2025-03-01",
                    "2025-04-01",
                    "16",
                    "90",
                ]),
            ],
        ),
    ]);
    let aliases = Aliases::new();
    let options = ReadOptions {
        aliases: &aliases,
        include_hidden: false,
        max_rows: u32::MAX,
        max_unzipped_bytes: u64::MAX,
    };
    let mut recorder = Recorder::default();
    let format = read_workbook_each("台账.xlsx", &bytes, &options, &mut recorder).unwrap();
    assert_eq!(format, "xlsx");
    let names: Vec<&str> = recorder
        .events
        .iter()
        .filter_map(|e| e.strip_prefix("sheet:"))
        .map(|e| e.split(':').next().unwrap())
        .collect();
    assert_eq!(names, ["花名册", "杂项", "党校培训"]);
    // The unrecognised sheet comes with its own problem; the others with none.
    assert!(
        recorder.events.contains(&"sheet:杂项:1".to_string()),
        "{:?}",
        recorder.events
    );
    assert_eq!(recorder.rows_seen, 2, "{:?}", recorder.events);
    // The whole-workbook reader says the same things.
    let whole = read_workbook_with("台账.xlsx", &bytes, &options).unwrap();
    assert_eq!(whole.sheets.len(), 3);
    assert_eq!(whole.problems.len(), 1);
}

#[test]
fn a_large_sheet_is_handed_over_in_parts_of_consecutive_rows_and_reads_whole_the_same() {
    let mut rows = long_roster(2500);
    rows.push(row(&["制表人：李四"]));
    let (recorder, whole) = read_both(&xlsx(&[("花名册", rows)]));
    // 2 503 non-blank rows: two full parts of 1 024, then the rest with the sheet's problems.
    assert_eq!(
        recorder.events,
        ["part:花名册", "part:花名册", "sheet:花名册:1"],
        "{:?}",
        recorder.events
    );
    assert_eq!(recorder.rows_seen, 2500);
    // Read whole, the parts join into one sheet in row order.
    let sheet = &whole.sheets[0];
    assert_eq!(sheet.rows.len(), 2500);
    assert_eq!(sheet.size_hint, 2503);
    assert!(
        sheet
            .rows
            .windows(2)
            .all(|w| w[0].at.row + 1 == w[1].at.row)
    );
    assert_eq!(reasons(sheet), ["标题行", "表头", "表尾（制表人）"]);
    assert_eq!(
        sheet.rows[2499].get("学号").unwrap().1.to_string(),
        "2021002499"
    );
}

/// A roster of `n` students under a title row, as rows of text.
fn long_roster(n: usize) -> Vec<Vec<V>> {
    let mut rows = vec![row(&["花名册"]), row(&ROSTER_HEADER)];
    for i in 0..n {
        let id = format!("{}", 2021000000 + i);
        rows.push(row(&[
            &id,
            "张三",
            "男",
            "2003-05",
            "文学院",
            "学生第一党支部",
        ]));
    }
    rows
}

/// Reads with a recorder of what is handed over, and whole.
fn read_both(bytes: &[u8]) -> (Recorder, Workbook) {
    let aliases = Aliases::new();
    let options = ReadOptions {
        aliases: &aliases,
        include_hidden: false,
        max_rows: u32::MAX,
        max_unzipped_bytes: u64::MAX,
    };
    let mut recorder = Recorder::default();
    read_workbook_each("台账.xlsx", bytes, &options, &mut recorder).unwrap();
    (
        recorder,
        read_workbook_with("台账.xlsx", bytes, &options).unwrap(),
    )
}

#[test]
fn merged_cells_far_down_a_long_sheet_take_it_back_and_read_it_again_whole() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("花名册").unwrap();
    for (r, cells) in long_roster(2500).iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            if let V::T(t) = v
                && !t.is_empty()
                && !((2400..2403).contains(&r) && c == 4)
            {
                ws.write_string(r as u32, c as u16, t).unwrap();
            }
        }
    }
    // 学院 merged over three students, after two parts were handed over.
    ws.merge_range(2400, 4, 2402, 4, "理学院", &Format::new())
        .unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let (recorder, whole) = read_both(&bytes);
    assert_eq!(
        recorder.events,
        [
            "part:花名册",
            "part:花名册",
            "withdraw",
            "part:花名册",
            "part:花名册",
            "sheet:花名册:1"
        ],
    );
    let sheet = &whole.sheets[0];
    assert_eq!(sheet.rows.len(), 2500);
    for i in 2398..2401 {
        assert_eq!(
            sheet.rows[i].get("学院").unwrap().1.to_string(),
            "理学院",
            "row {i}"
        );
    }
    assert_eq!(
        sheet.rows[2401].get("学院").unwrap().1.to_string(),
        "文学院"
    );
    assert!(has(&whole, Severity::Note, "1 处合并单元格"));
}

#[test]
fn a_long_sheet_whose_cells_come_out_of_order_is_read_again_and_sorted() {
    let bytes = xlsx(&[("花名册", long_roster(2500))]);
    // Move the row of sheet row 2 001 (0-based 2 000) to the start of the sheet's data.
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let start = xml.find("<row r=\"2001\"").unwrap();
    let end = start + xml[start..].find("</row>").unwrap() + "</row>".len();
    let moved = xml[start..end].to_string();
    let first = xml.find("<row r=\"1\"").unwrap();
    let shuffled = format!(
        "{}{}{}{}",
        &xml[..first],
        moved,
        &xml[first..start],
        &xml[end..]
    );
    let bytes = patch_zip(&bytes, "xl/worksheets/sheet1.xml", &xml, &shuffled);
    let (recorder, whole) = read_both(&bytes);
    assert!(
        recorder.events.contains(&"withdraw".to_string()),
        "{:?}",
        recorder.events
    );
    assert_eq!(recorder.rows_seen, 2500, "{:?}", recorder.events);
    let sheet = &whole.sheets[0];
    assert_eq!(sheet.rows.len(), 2500);
    assert!(sheet.rows.windows(2).all(|w| w[0].at.row < w[1].at.row));
    assert_eq!(reasons(sheet), ["标题行", "表头"]);
}
