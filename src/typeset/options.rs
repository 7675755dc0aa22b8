//! What the shared [`Typesetter`](super::Typesetter) is built from.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use typst::foundations::Bytes;

/// The date used when none is configured: typst's `datetime.today()` and the PDFs' creation
/// date. Fixed, so the same input gives the same bytes whenever it is run.
pub const DEFAULT_DATE: (i32, u8, u8) = (2000, 1, 1);

/// How many `comemo::evict` rounds an unused cache entry survives (see
/// [`TypesetOptions::cache_max_age`]): two, i.e. what the last document or two of either
/// thread used. Documents share little typst could reuse (each has its own data), so a long
/// memory costs lookups and RSS more than it saves. Measured with the CLI on the bench's
/// 2 000-student ledger, 2 threads, release (time / peak RSS):
///
/// | max age | activist-registration | talk-record | certificate | render all (2 000 / 200 students) |
/// |---|---|---|---|---|
/// | 10 | 30.8 s / 201 MB | 25.9 s / 130 MB | 5.1 s / 97 MB | 83 s / 197 MB (135 MB) |
/// | 2 | 27.1 s / 152 MB | 25.8 s / 121 MB | 5.0 s / 93 MB | 78 s / 174 MB (120 MB) |
/// | 0 | 25.1 s / 141 MB | 22.1 s / 118 MB | 5.0 s / 92 MB | 82 s / 168 MB (113 MB) |
///
/// 0 is a little faster still, but its small base makes the memory of a large run 1.5 × a
/// small one's (the data read grows with the input); 2 keeps that ratio at 1.45.
///
/// Re-measured (issue 14) in instructions, which the shared machine's load does not blur
/// (`valgrind --tool=cachegrind`, talk-record, 83 documents, one thread; peak RSS from a
/// 200-student run): evicting after every document with max age 0: +7.0 %; every 4th with
/// max age 0: +1.3 %; max age 2 (this): 0; max age 4: −0.9 %; max age 8: −1.9 %; every 16th
/// with age 0: −1.7 %; every 4th with age 2: −2.7 % but peak RSS 93 → 107 MB (talk-record)
/// and 120 → 175 MB (activist-registration, where it gains only −0.35 %). No setting gains
/// enough to pay for the memory, for any kind: kept at 2.
pub const DEFAULT_CACHE_MAX_AGE: usize = 2;

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
    /// 70–80 MB; `Some(0)` empties the cache after each document; the default is
    /// [`DEFAULT_CACHE_MAX_AGE`].
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
