//! Typed, validated records built from the rows read, and the rules checked on them.

pub mod certificate;
pub mod checks;
pub mod dataset;
pub mod fields;
pub mod numbering;
pub mod procedure;
pub mod records;
pub mod student;
pub mod training;
pub mod value;

use crate::config::Config;
use crate::problem::Problem;
use crate::read::{Input, ReadOptions, Workbook, distinct_names, read_workbook_with};
use dataset::Dataset;

/// The validated dataset of the workbooks read: typed records, every row in the ledger,
/// and the checks across rows and sheets run. `unreadable` holds the problems of files
/// that could not be read at all.
pub fn build(workbooks: &[Workbook], unreadable: Vec<Problem>, config: &Config) -> Dataset {
    let mut ds = Dataset::build(workbooks, unreadable, &config.limits);
    checks::check_all(&mut ds, &config.rules);
    ds.formats = workbooks
        .iter()
        .map(|wb| (wb.file.to_string(), wb.format.clone()))
        .collect();
    ds
}

/// Reads every input and builds the validated dataset. Files that cannot be read at all
/// become file-level errors in the dataset; nothing panics, whatever the bytes. Inputs
/// called alike are told apart (`台账（2）.xlsx`), so that no row is mistaken for another's.
pub fn load(inputs: &[Input], config: &Config) -> Dataset {
    let mut workbooks = Vec::new();
    let mut unreadable: Vec<Problem> = Vec::new();
    let options = ReadOptions {
        aliases: &config.aliases,
        include_hidden: config.read.include_hidden,
        max_rows: config.limits.rows_per_sheet,
        max_unzipped_bytes: config.limits.unzipped_mb.saturating_mul(1_048_576),
    };
    for (input, name) in inputs.iter().zip(distinct_names(inputs)) {
        match read_workbook_with(&name, &input.bytes, &options) {
            Ok(wb) => workbooks.push(wb),
            Err(problem) => unreadable.push(problem),
        }
    }
    build(&workbooks, unreadable, config)
}
