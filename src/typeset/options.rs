//! What the shared [`Typesetter`](super::Typesetter) is built from.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use typst::foundations::Bytes;

/// The date used when none is configured: typst's `datetime.today()` and the PDFs' creation
/// date. Fixed, so the same input gives the same bytes whenever it is run.
pub const DEFAULT_DATE: (i32, u8, u8) = (2000, 1, 1);

/// How many `comemo::evict` rounds an unused cache entry survives (see
/// [`TypesetOptions::cache_max_age`]).
pub const DEFAULT_CACHE_MAX_AGE: usize = 10;

/// Settings of one run's [`Typesetter`](super::Typesetter).
#[derive(Debug, Clone)]
pub struct TypesetOptions {
    /// Extra font directories (`--font-path`), scanned recursively for `.ttf`/`.otf`/`.ttc`.
    /// System font directories are never scanned.
    pub font_dirs: Vec<PathBuf>,
    /// Files templates may read or import, by virtual path (`/common.typ`, `img/emblem.png`;
    /// a missing leading `/` is added). Nothing else is readable: no disk, no packages.
    /// `Bytes::new(include_bytes!(..))` shares static data without copying.
    pub support_files: BTreeMap<String, Bytes>,
    /// The date returned by typst's `datetime.today()` and written as the PDFs' creation
    /// date (00:00:00 UTC). `None` → [`DEFAULT_DATE`]. Never the clock: output must not
    /// depend on when it is produced.
    pub date: Option<NaiveDate>,
    /// Memory bound: after each document, typst's global memo cache drops entries unused for
    /// this many evictions (one per document, all threads together). `None` keeps everything
    /// (≈0.15 MB more per certificate, forever: 460 MB after 3 000); `Some(10)` stays at
    /// 70–80 MB with no measurable slowdown; `Some(0)` empties the cache each time.
    pub cache_max_age: Option<usize>,
}

impl Default for TypesetOptions {
    fn default() -> Self {
        Self {
            font_dirs: Vec::new(),
            support_files: BTreeMap::new(),
            date: None,
            cache_max_age: Some(DEFAULT_CACHE_MAX_AGE),
        }
    }
}
