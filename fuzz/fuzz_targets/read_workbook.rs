//! Any bytes under any workbook extension: reading returns a workbook or a Chinese message
//! naming the file; it never panics, hangs or takes unbounded memory.
#![no_main]

use dangjian::read::read_workbook;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

/// The extensions the reader dispatches on (the content is sniffed as well).
const EXTENSIONS: [&str; 7] = ["xlsx", "xls", "xlsb", "ods", "csv", "txt", ""];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = format!("台账.{}", EXTENSIONS[pick as usize % EXTENSIONS.len()]);
    if let Err(problem) = read_workbook(&name, bytes, &BTreeMap::new()) {
        assert!(problem.is_error());
        assert!(problem.to_string().contains("台账"));
    }
});
