//! dangjian (党建): the spreadsheets a university's Party organisations keep → the standard
//! paperwork, typeset with typst as print-ready PDFs, bundled in a zip.
//!
//! The data flows one way, one module per stage, each importing only the stages before it:
//! [`read`] (workbook bytes → rows with cell positions) → [`model`] (typed, validated records
//! and rules) → [`documents`] (each kind of document: which records make one, its template
//! context) → [`plan`] (which documents, where in the archive) → [`render`] (minijinja →
//! typst markup) → [`typeset`] (typst World → PDF) → [`pipeline`] (the documents as a
//! stream into a sink such as the zip of [`bundle`]), driven by [`job`]; [`server`] puts the
//! jobs behind HTTP. [`problem`], [`config`] and [`bundle`]'s path layout sit below them all.
//! Beside the flow: [`init`] writes a year's starting files (ledger template, configuration,
//! editable templates); [`rules`] checks the procedure of recruiting members over the whole
//! ledger and reports it.
//!
//! Front ends (the CLI, the HTTP service) are thin shells over one call on in-memory bytes:
//!
//! ```no_run
//! use dangjian::{Engine, EngineOptions, Input, Job, Output};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let engine = Engine::new(&EngineOptions::default())?; // fonts, templates, typst: once
//! let roster = Input::from_path("花名册.xlsx".as_ref(), 100 << 20)?;
//! let job = Job::new(vec![roster]);                     // every kind, all cores
//! let mut zip = Vec::new();
//! let report = dangjian::run(&engine, job, Output::Stream(&mut zip), &|_| {})?;
//! println!("{}", serde_json::to_string(&report)?);
//! # Ok(())
//! # }
//! ```

pub mod bundle;
pub mod config;
pub mod documents;
pub mod engine;
pub mod init;
pub mod job;
pub mod memory;
pub mod model;
pub mod pipeline;
pub mod plan;
pub mod problem;
pub mod read;
pub mod render;
pub mod rules;
pub mod server;
pub mod typeset;

pub use documents::DocumentKind;
pub use engine::{Engine, EngineError, EngineOptions};
pub use job::{Job, JobError, Output, Report, run};
pub use model::load;
pub use read::Input;
