//! Property tests over everything a hostile file reaches first — the workbook reader and the
//! value parsers — run in CI with a fixed seed and a bounded number of cases: whatever the
//! bytes, reading returns (a workbook or a Chinese message naming the file), and every parser
//! returns a value or a message; nothing panics, nothing hangs.

use dangjian::config::Config;
use dangjian::model::value;
use dangjian::read::{Cell, Input, read_workbook};
use proptest::prelude::*;
use proptest::test_runner::{Config as Cases, RngSeed};
use std::collections::BTreeMap;

/// A fixed seed and a bound on the cases, so that CI runs the same inputs every time in a
/// few seconds.
fn cases(n: u32) -> Cases {
    Cases {
        cases: n,
        rng_seed: RngSeed::Fixed(20_251_201),
        failure_persistence: None,
        timeout: 10_000,
        ..Cases::default()
    }
}

/// Text cells as hostile spreadsheets hold them: any characters, Chinese, digits, dates,
/// control and invisible characters, Excel errors, very long runs.
fn cell_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9０-９年月日./\\- :]{0,24}",
        "[\\u{4e00}-\\u{9fa5}·]{0,12}",
        "[#A-Z/!0]{1,8}",
        "[\\u{0}-\\u{1f}\\u{200b}-\\u{200f}\\u{202a}-\\u{202e}\\u{e000}]{0,8}",
        "(字){500,3000}",
    ]
}

fn a_cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        Just(Cell::Empty),
        cell_text().prop_map(Cell::Text),
        any::<i64>().prop_map(Cell::Int),
        any::<f64>().prop_map(Cell::Float),
        any::<bool>().prop_map(Cell::Bool),
        "[#A-Z/!0]{1,8}".prop_map(Cell::Error),
    ]
}

proptest! {
    #![proptest_config(cases(400))]

    #[test]
    fn every_parser_answers_any_cell(cell in a_cell()) {
        let _ = value::parse_text(&cell);
        let _ = value::parse_date(&cell);
        let _ = value::parse_student_id(&cell);
        let _ = value::parse_name(&cell);
        let _ = value::parse_contacts(&cell);
        let _ = value::parse_id_card(&cell);
        let _ = value::parse_sex(&cell);
        let _ = value::parse_ethnicity(&cell);
        let _ = value::parse_stage(&cell);
        let _ = value::parse_hours(&cell);
        let _ = value::parse_score(&cell);
        let _ = value::parse_appraisal_grade(&cell);
        let _ = value::parse_count(&cell);
        let _ = value::parse_yes_no_count(&cell);
        let _ = value::parse_year(&cell);
    }
}

proptest! {
    #![proptest_config(cases(200))]

    #[test]
    fn any_bytes_under_any_name_read_or_explain(
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
        ext in prop::sample::select(vec!["xlsx", "xls", "xlsb", "ods", "csv", "txt", ""]),
    ) {
        let name = format!("台账.{ext}");
        match read_workbook(&name, &bytes, &BTreeMap::new()) {
            Ok(wb) => prop_assert_eq!(&*wb.file, &name),
            Err(problem) => {
                prop_assert!(problem.is_error());
                prop_assert!(problem.to_string().contains("台账"));
            }
        }
    }

    #[test]
    fn any_csv_rows_load_into_a_dataset(
        rows in prop::collection::vec(prop::collection::vec(cell_text(), 0..8), 0..12),
    ) {
        // A roster header over random rows, as a secretary's CSV export could look.
        let mut text = String::from("学号,姓名,性别,出生日期,学院,党支部,身份证号,发展阶段\n");
        for row in &rows {
            let cells: Vec<String> = row.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        let input = Input { name: "花名册.csv".into(), bytes: text.into_bytes() };
        let ds = dangjian::load(&[input], &Config::default());
        // Every non-blank row is in the ledger with what became of it — unless the file as a
        // whole was refused (a NUL byte makes it binary), which is then an error naming it.
        // Each line with a letter, digit or Chinese character in it is a ledger row (data or
        // set aside), besides the header.
        let visible = rows
            .iter()
            .filter(|r| r.iter().any(|c| c.chars().any(char::is_alphanumeric)))
            .count();
        let refused_file = ds.general.iter().any(|p| p.is_error() && p.to_string().contains("花名册.csv"));
        prop_assert!(refused_file || ds.ledger.len() > visible, "{} ledger rows for {visible}", ds.ledger.len());
    }
}
