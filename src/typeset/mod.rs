//! Typesetting: the sandboxed typst World (embedded fonts, library, support files), compile,
//! PDF export.
//!
//! # Public API
//!
//! ```text
//! Typesetter::new(TypesetOptions) -> Result<Typesetter, SetupError>     // once per run, ≈10 ms (release)
//! Typesetter::compile_pdf(&self, source: String, template_name: &str)
//!     -> Result<Typeset, TypesetError>                                  // per document, any thread
//! Typesetter::missing_chars(&self, text: &str) -> Vec<char>             // per data value, one bit test a char
//! Typesetter::fonts(&self) -> &FontSet       // families(), has_family(), covers(), skipped()
//! parallel_map(items: &[T], threads: usize, f: Fn(usize, &T) -> R) -> Vec<R>   // 0 = one per core
//!
//! TypesetOptions { font_dirs, support_files: BTreeMap<String, Bytes>, date: Option<NaiveDate>,
//!                  cache_max_age: Option<usize> }                        // Default: no extras, 2000-01-01, Some(2)
//! Typeset { pdf: Vec<u8>, pages: usize, warnings: Vec<String>, missing_glyphs: Vec<char>, pdf_a: bool }
//! TypesetError::{Compile, Export} { template, diagnostics: Vec<Diagnostic> }   // Display: 模板 X 生成的排版代码第 N 行第 M 列：…
//! Typesetter::compile_pdf_within(&self, source, template_name, Budget { time, heap_bytes })
//!     -> Result<Typeset, TypesetError>                                  // stopped when over budget
//! TypesetError::Internal { template, message }                          // typst panicked (caught)
//! TypesetError::OverBudget { template, over: OverBudget::{Time, Memory} } // stopped (caught)
//! FAMILY_SERIF "Noto Serif SC" (宋体-style, regular + bold), FAMILY_SANS "Noto Sans SC" (黑体-style),
//! FAMILY_KAI "LXGW WenKai" (楷体-style), FAMILY_RARE "HanaMinB" (Extension B fallback), EMBEDDED_FAMILIES
//! ```
//!
//! # Decisions
//!
//! - **Determinism.** Only embedded fonts and the user's `--font-path` directories, never
//!   system fonts; `datetime.today()` and the PDF creation date come from the options (default
//!   2000-01-01), the PDF `/ID` from a hash of template name and source. Same input → same bytes.
//! - **Sandbox.** Documents read only their own source (`/main.typ`) and the support files;
//!   anything else (disk paths, packages) is a compile error naming the path.
//! - **Unknown font family** (typst only warns and silently falls back) is an error.
//! - **PDF/A-2b** for every document: it costs no measurable time and ≈4 KB a file, and makes
//!   the PDFs fit for archiving (档案). PDF/A forbids drawing `.notdef`, so a document with a
//!   missing glyph is written as plain PDF 1.7 instead and reported in `missing_glyphs`.
//! - **Memory.** typst's global memo cache grows ≈0.15 MB a certificate, forever (1 000 docs:
//!   200 MB, 3 000: 460 MB); after each document entries unused for `cache_max_age` evictions
//!   are dropped — by default all but the last two documents' entries: documents share too
//!   little for a longer memory to pay for its lookups (see `DEFAULT_CACHE_MAX_AGE`).
//! - **Threads.** Run documents on plain threads ([`parallel_map`]), never one rayon job per
//!   document: typst/krilla call `rayon::yield_now` inside, which runs other queued documents
//!   nested on the same stack (measured: 81 deep, then a stack overflow).
//! - File ids are interned once (`/main.typ` for every document, one per support file): typst
//!   can hold only ≈65 000 of them per process.

mod budget;
mod compile;
mod coverage;
mod error;
mod fonts;
mod glyphs;
mod join;
mod options;
mod parallel;
mod world;

#[cfg(test)]
mod tests;

pub use budget::{Budget, OverBudget};
pub use compile::{CREATOR, Typeset};
pub use error::{Diagnostic, SetupError, TypesetError};
pub use fonts::{
    EMBEDDED_FAMILIES, FAMILY_KAI, FAMILY_RARE, FAMILY_SANS, FAMILY_SERIF, FontSet, embedded_files,
};
pub use join::{DOC_END, DOC_START, JoinOptions, join_sources};
pub use options::{DEFAULT_CACHE_MAX_AGE, DEFAULT_DATE, TypesetOptions};
pub use parallel::{default_threads, for_each_ordered, parallel_map};
pub use world::{MAIN_PATH, Typesetter};

/// Shared byte buffers for support files (`Bytes::new(include_bytes!(..))` copies nothing).
pub use typst::foundations::Bytes;
