//! The sandboxed typst World: one shared [`Typesetter`] per run (library, fonts, support
//! files, fixed date) and a cheap per-document [`DocWorld`] that adds the document's source.
//!
//! Sandbox: the only readable files are the document's own source and the support files given
//! at construction. Any other path (`#read("/etc/passwd")`, `#image("../x.png")`, packages)
//! fails with a readable error and never touches the disk.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::Datelike;
use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_pdf::{PdfStandard, PdfStandards, Timestamp};

use super::budget::{Budget, Watch};
use super::error::SetupError;
use super::fonts::FontSet;
use super::options::{DEFAULT_DATE, TypesetOptions};

/// The virtual path of every document's main source. Relative imports in a document resolve
/// from the root (`#import "common.typ"` → `/common.typ`).
pub const MAIN_PATH: &str = "/main.typ";

/// A support file: its bytes, and its parsed source if typst asks for one (parsed once).
struct SupportFile {
    /// The raw bytes.
    bytes: Bytes,
    /// The parsed source, made on first use.
    source: OnceLock<FileResult<Source>>,
}

/// Everything documents share, built once per run and shared by reference across threads
/// (`&Typesetter` is `Send + Sync`; clone nothing per document).
pub struct Typesetter {
    /// Typst's standard library (no `sys.inputs`: per-document data is in the source).
    library: LazyHash<Library>,
    /// The run's fonts.
    fonts: FontSet,
    /// The one file id every document's main source uses.
    main_id: FileId,
    /// The support files, by their (interned once) file id.
    support: HashMap<FileId, SupportFile>,
    /// What `datetime.today()` returns.
    today: Datetime,
    /// The PDFs' creation date.
    pub(super) timestamp: Timestamp,
    /// See [`TypesetOptions::cache_max_age`].
    pub(super) cache_max_age: Option<usize>,
    /// The PDF/A-2b conformance settings (validated once).
    pub(super) pdf_a: PdfStandards,
}

impl Typesetter {
    /// Loads the fonts, builds the library and interns the file ids. Takes ≈10 ms in a
    /// release build (font parsing, coverage set); do it once per run.
    pub fn new(options: TypesetOptions) -> Result<Self, SetupError> {
        let fonts = FontSet::load(&options.font_dirs)?;
        let main_id = file_id(MAIN_PATH)?;
        let mut support = HashMap::new();
        for (path, bytes) in options.support_files {
            let id = file_id(&path)?;
            if id == main_id {
                return Err(SetupError::SupportPath {
                    path,
                    reason: format!("{MAIN_PATH} 保留给文档本身"),
                });
            }
            let file = SupportFile {
                bytes,
                source: OnceLock::new(),
            };
            if support.insert(id, file).is_some() {
                return Err(SetupError::SupportPath {
                    path,
                    reason: "与另一个支持文件指向同一路径".into(),
                });
            }
        }
        let (year, month, day) = match options.date {
            Some(date) => (date.year(), date.month() as u8, date.day() as u8),
            None => DEFAULT_DATE,
        };
        let today = Datetime::from_ymd(year, month, day).ok_or(SetupError::Date)?;
        let midnight = Datetime::from_ymd_hms(year, month, day, 0, 0, 0).ok_or(SetupError::Date)?;
        let pdf_a = PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|err| SetupError::Pdf(err.message().to_string()))?;
        Ok(Self {
            library: LazyHash::new(Library::builder().build()),
            fonts,
            main_id,
            support,
            today,
            timestamp: Timestamp::new_utc(midnight),
            cache_max_age: options.cache_max_age,
            pdf_a,
        })
    }

    /// The run's fonts: coverage checks ([`FontSet::missing_chars`]), family names.
    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// The characters of `text` no loaded font covers (see [`FontSet::missing_chars`]).
    pub fn missing_chars(&self, text: &str) -> Vec<char> {
        self.fonts.missing_chars(text)
    }

    /// A world for one document whose main source is `text`, held to `budget` from now.
    pub(super) fn world(&self, text: String, budget: Budget) -> DocWorld<'_> {
        DocWorld {
            shared: self,
            main: Source::new(self.main_id, text),
            watch: Watch::start(budget),
        }
    }
}

/// Interns the file id of a project path (done once per path at construction).
fn file_id(path: &str) -> Result<FileId, SetupError> {
    let vpath = VirtualPath::new(path).map_err(|err| SetupError::SupportPath {
        path: path.to_string(),
        reason: format!("{err:?}"),
    })?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// One document's view of the world: the shared [`Typesetter`] plus its own source.
pub(super) struct DocWorld<'a> {
    /// What every document shares.
    shared: &'a Typesetter,
    /// The document's generated typst source.
    main: Source,
    /// Its budget, looked at whenever typst asks for a font (i.e. all through layout).
    watch: Watch,
}

impl DocWorld<'_> {
    /// The document's own source.
    pub(super) fn main_source(&self) -> &Source {
        &self.main
    }

    /// Whether `id` is the document's main source.
    pub(super) fn is_main(&self, id: FileId) -> bool {
        id == self.shared.main_id
    }

    /// The error for a path outside the sandbox.
    fn denied(id: FileId) -> FileError {
        match id.root() {
            VirtualRoot::Package(spec) => FileError::Package(PackageError::Other(Some(
                format!("排版沙箱不提供包 {spec}：模板只能使用内置资源").into(),
            ))),
            VirtualRoot::Project => FileError::Other(Some(
                format!(
                    "排版沙箱中没有 {}：模板只能读取模板目录和内置资源",
                    id.vpath().get_with_slash()
                )
                .into(),
            )),
        }
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.shared.fonts.book()
    }

    fn main(&self) -> FileId {
        self.shared.main_id
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if self.is_main(id) {
            return Ok(self.main.clone());
        }
        let file = self
            .shared
            .support
            .get(&id)
            .ok_or_else(|| Self::denied(id))?;
        file.source
            .get_or_init(|| {
                let text = file.bytes.as_str().map_err(|_| FileError::InvalidUtf8)?;
                Ok(Source::new(id, text.to_string()))
            })
            .clone()
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if self.is_main(id) {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.shared
            .support
            .get(&id)
            .map(|file| file.bytes.clone())
            .ok_or_else(|| Self::denied(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.watch.check();
        self.shared.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.shared.today)
    }
}
