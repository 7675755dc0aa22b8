//! Every value parser answers any cell: a value or a Chinese message, never a panic.
#![no_main]

use dangjian::model::value;
use dangjian::read::Cell;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let number = |bytes: &[u8]| {
        let mut eight = [0u8; 8];
        for (slot, byte) in eight.iter_mut().zip(bytes) {
            *slot = *byte;
        }
        eight
    };
    let cell = match pick % 6 {
        0 => Cell::Text(text),
        1 => Cell::Int(i64::from_le_bytes(number(rest))),
        2 => Cell::Float(f64::from_le_bytes(number(rest))),
        3 => Cell::Bool(rest.first().is_some_and(|b| b & 1 == 1)),
        4 => Cell::Error(text),
        _ => Cell::Empty,
    };
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
});
