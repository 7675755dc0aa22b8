//! Bundling: output paths, the zip archive, the manifest 清单.csv, and saving atomically.
//!
//! One file per job:
//!
//! - [`layout`]: where each document goes. [`sanitize_component`] makes any cell value a safe
//!   file or folder name on every system; [`PathPattern`] / [`expand_pattern`] turn a pattern
//!   such as [`DEFAULT_PATTERN`] (`{学院}/{党支部}/{学号}_{姓名}/{文档名}.pdf`) and a document's
//!   fields into a relative `/`-separated path (an unknown field is a [`LayoutError`], so the
//!   configuration can be checked before any typesetting); [`unique_paths`] numbers colliding
//!   paths `（2）`, `（3）` … in input order.
//! - [`manifest`]: [`ManifestLine`] (one per input row: file, sheet, row, kind, 学号, 姓名,
//!   [`Status`], outputs, reasons) and [`manifest_csv`], the Excel-ready 清单.csv bytes
//!   (UTF-8 with BOM, CRLF, lists joined with `；`).
//! - [`archive`]: [`ZipBuilder`], a streaming, deterministic zip writer (fixed timestamp and
//!   permissions, UTF-8 names with the UTF-8 flag, or GBK names via [`ArchiveOptions`]; PDFs
//!   stored as they are, the manifests deflated; entries in the order added; it never seeks,
//!   and keeps its central directory in a temporary file, so memory does not grow with the
//!   number of entries).
//! - [`atomic`]: [`write_atomically`], which writes through a temporary file in the target
//!   directory and renames it over the final path only on success.
//! - [`error`]: [`BundleError`], with Chinese messages that say what to do.
//!
//! Typical use:
//!
//! ```no_run
//! use dangjian::bundle::{self, BundleError, ZipBuilder};
//! # fn run(docs: Vec<(String, Vec<u8>)>, lines: Vec<bundle::ManifestLine>) -> Result<(), BundleError> {
//! bundle::write_atomically(std::path::Path::new("输出.zip"), |file| {
//!     let mut zip = ZipBuilder::new(file);
//!     zip.add(bundle::MANIFEST_FILE_NAME, &bundle::manifest_csv(&lines)?)?;
//!     for (path, pdf) in &docs {
//!         zip.add(path, pdf)?;
//!     }
//!     zip.finish().map(|_| ())
//! })
//! # }
//! ```

pub mod archive;
pub mod archive_path;
pub mod atomic;
mod central;
pub mod error;
pub mod layout;
pub mod manifest;
pub mod manifest_xlsx;
mod spill;
pub mod split;
mod zip_format;

pub use archive::{ArchiveOptions, DEFAULT_TIMESTAMP, NameEncoding, ZipBuilder, gbk_encodable};
pub use atomic::{remove_unfinished, write_atomically};
pub use error::BundleError;
pub use layout::{
    DEFAULT_PATTERN, LayoutError, MAX_COMPONENT_BYTES, PathPattern, case_key, expand_pattern,
    make_paths_unique, sanitize_component, unique_paths,
};
pub use manifest::{
    MANIFEST_FILE_NAME, MANIFEST_HEADER, ManifestLine, ManifestLines, ManifestWriter, Status,
    manifest_csv,
};
pub use manifest_xlsx::{MANIFEST_WORKBOOK_NAME, manifest_xlsx, write_manifest_xlsx};
pub use split::SplitArchive;
