//! dangjian (党建): the spreadsheets a university's Party organisations keep → the standard
//! paperwork, typeset with typst as print-ready PDFs, bundled in a zip.
//!
//! The data flows one way, one module per stage:
//! [`read`] (workbook bytes → rows with cell positions) → [`model`] (typed, validated records
//! and rules) → [`plan`] (which documents, where in the archive) → [`render`] (minijinja →
//! typst markup) → [`typeset`] (typst World → PDF) → [`bundle`] (zip, manifest), driven by
//! [`pipeline`]. The CLI and the HTTP service are thin shells over this library, which works
//! on in-memory bytes:
//!
//! ```text
//! let mut ds = dangjian::load(&inputs, &config);              // read + validate
//! let engine = Engine::new(&EngineOptions::default())?;        // fonts, templates: once
//! let plan = dangjian::plan::plan(&mut ds, &config, &[DocumentKind::Certificate], &PlanOptions::default(),
//!                                 &|t| engine.typesetter.missing_chars(t));
//! let outcome = write_archive(&engine, &mut ds, &plan, writer, jobs, &|_| {})?;
//! ```

pub mod bundle;
pub mod config;
pub mod document;
pub mod memory;
pub mod model;
pub mod pipeline;
pub mod plan;
pub mod problem;
pub mod read;
pub mod render;
pub mod typeset;

use model::dataset::Dataset;
use problem::Problem;

/// One input file, as bytes, with the name the user gave it (its extension picks the format).
#[derive(Debug, Clone)]
pub struct Input {
    /// The file name without directories, e.g. `花名册.xlsx`.
    pub name: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// Reads every input and builds the validated dataset. Files that cannot be read at all
/// become file-level errors in the dataset; nothing panics, whatever the bytes.
pub fn load(inputs: &[Input], config: &config::Config) -> Dataset {
    let mut workbooks = Vec::new();
    let mut unreadable: Vec<Problem> = Vec::new();
    for input in inputs {
        match read::read_workbook(&input.name, &input.bytes, &config.aliases) {
            Ok(wb) => workbooks.push(wb),
            Err(problem) => unreadable.push(problem),
        }
    }
    let mut ds = Dataset::build(&workbooks, unreadable);
    ds.formats = workbooks
        .iter()
        .map(|wb| (wb.file.to_string(), wb.format.clone()))
        .collect();
    ds
}
