//! Typed, validated records built from the rows read, and the rules checked on them.

pub mod certificate;
pub mod checks;
pub mod dataset;
pub mod fields;
pub mod intern;
pub mod ledger;
pub mod numbering;
pub mod procedure;
pub mod record_list;
pub mod records;
pub mod shelf;
pub mod static_text;
pub mod student;
pub mod text;
pub mod training;
pub mod value;

use crate::config::Config;
use crate::read::{Input, ReadOptions, distinct_names, read_workbook_each};
use dataset::{Dataset, DatasetBuilder};

/// Reads every input and builds the validated dataset: typed records, every row in the
/// ledger, and the checks across rows and sheets run. Each sheet becomes typed records part
/// by part while it is read and its cells are dropped, so memory holds the records, never
/// the workbooks. Files that cannot be read at all become file-level errors in the
/// dataset; nothing panics, whatever the bytes. Inputs called alike are told apart
/// (`台账（2）.xlsx`), so that no row is mistaken for another's.
pub fn load(inputs: &[Input], config: &Config) -> Dataset {
    let options = ReadOptions {
        aliases: &config.aliases,
        include_hidden: config.read.include_hidden,
        max_rows: config.limits.rows_per_sheet,
        max_unzipped_bytes: config.limits.unzipped_mb.saturating_mul(1_048_576),
    };
    let mut builder = DatasetBuilder::new(&config.limits);
    for (input, name) in inputs.iter().zip(distinct_names(inputs)) {
        match read_workbook_each(&name, &input.bytes, &options, &mut builder) {
            Ok(format) => builder.file_read(&name.replace('\\', "/"), &format),
            Err(problem) => builder.file_unreadable(problem),
        }
    }
    let mut ds = builder.finish();
    checks::check_all(&mut ds, &config.rules);
    ds
}
