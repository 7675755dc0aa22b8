//! The engine: the template environment and the typst World with its fonts, built once and
//! shared by every document of every job run on it (several jobs may run at once). It turns
//! one document's template context into a PDF.

use crate::documents::{self, DocumentKind};
use crate::render::{RenderError, Renderer};
use crate::typeset::{
    Budget, Bytes, DEFAULT_CACHE_MAX_AGE, JoinOptions, SetupError, Typeset, TypesetError,
    TypesetOptions, Typesetter, join_sources,
};
use minijinja::value::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// What the engine is built from: template overrides, extra fonts, and the process-wide
/// memory settings the caller chooses.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Files overriding the built-in templates, by file name (from `--templates DIR`):
    /// `*.typ.j2` replace templates, any other file is a support file templates may read.
    pub templates: BTreeMap<String, Vec<u8>>,
    /// Extra font directories (`--font-path`).
    pub font_dirs: Vec<PathBuf>,
    /// After each document, typst's memo cache (one per process) drops the entries unused
    /// for this many documents; `None` keeps everything (memory then grows with the batch).
    /// Safe with several jobs at once: entries in use are never dropped.
    pub cache_max_age: Option<usize>,
    /// Give the memory freed by reading and planning back to the system before a job
    /// typesets, and now and then while it does ([`crate::memory::release_freed`]). Safe with
    /// several jobs at once.
    pub trim_heap: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            templates: BTreeMap::new(),
            font_dirs: Vec::new(),
            cache_max_age: Some(DEFAULT_CACHE_MAX_AGE),
            trim_heap: true,
        }
    }
}

impl EngineOptions {
    /// Adds every file of a template directory (not recursive) to the overrides. A link is
    /// followed only to a file inside the directory: templates can read nothing else.
    pub fn read_template_dir(&mut self, dir: &Path) -> Result<(), EngineError> {
        let dir_error = |source| EngineError::TemplateDir {
            dir: dir.to_owned(),
            source,
        };
        let entries = std::fs::read_dir(dir).map_err(dir_error)?;
        let root = std::fs::canonicalize(dir).map_err(dir_error)?;
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_symlink() {
                let inside = std::fs::canonicalize(&path)
                    .is_ok_and(|target| target.starts_with(&root) && target.is_file());
                if !inside {
                    return Err(EngineError::TemplateLink { path });
                }
            } else if !kind.is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().to_string();
            let bytes = std::fs::read(&path)
                .map_err(|source| EngineError::TemplateFile { path, source })?;
            self.templates.insert(name, bytes);
        }
        Ok(())
    }
}

/// The engine could not be built.
#[derive(Debug, Error)]
pub enum EngineError {
    /// A template could not be loaded.
    #[error(transparent)]
    Template(#[from] RenderError),
    /// The fonts or the typst World could not be set up.
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// A template file is not UTF-8 text.
    #[error("模板文件 {0} 不是 UTF-8 编码的文本")]
    TemplateEncoding(String),
    /// The template directory could not be listed.
    #[error("无法读取模板目录 {}：{source}", dir.display())]
    TemplateDir {
        /// The directory.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A link in the template directory leads outside it (or nowhere).
    #[error("模板目录中的 {} 是指向目录之外的链接，模板只能使用模板目录中的文件，已拒绝", path.display())]
    TemplateLink {
        /// The link.
        path: PathBuf,
    },
    /// A file of the template directory could not be read.
    #[error("无法读取模板文件 {}：{source}", path.display())]
    TemplateFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// One document could not be made; its rows are refused with this reason.
#[derive(Debug, Error)]
pub enum DocumentError {
    /// The records its context is built from are not in the dataset.
    #[error("数据中找不到这份文档所依据的记录")]
    MissingRecords,
    /// The student's records could not be read back from the temporary file they were put
    /// away in while documents are made (the disk failed under the run).
    #[error("无法从临时文件读回本学生的记录：{0}")]
    Shelf(std::io::Error),
    /// The template failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// typst failed.
    #[error(transparent)]
    Typeset(#[from] TypesetError),
    /// A joined document (a packet, a print volume) that cannot be PDF/A-2b is refused.
    #[error("合订的 PDF 无法符合 PDF/A-2b 归档格式，未生成：{reason}")]
    NotArchival {
        /// Why (typst's export messages, or the characters no font has).
        reason: String,
    },
    /// Typeset, it has more pages than a document may have.
    #[error(
        "排版后有 {pages} 页，超过每份文书的上限 {limit} 页；请删减内容，或在 dangjian.toml 的 [limits] 中调大 pages_per_document"
    )]
    TooManyPages {
        /// Its pages.
        pages: usize,
        /// The limit.
        limit: usize,
    },
}

impl DocumentError {
    /// True when the template itself is wrong — it does not render, or typst rejects or
    /// cannot export what it generates — rather than this document's data: data is escaped
    /// and cannot break the markup, so every document of the kind would fail alike.
    pub fn is_template_error(&self) -> bool {
        matches!(
            self,
            DocumentError::Render(_)
                | DocumentError::Typeset(
                    TypesetError::Compile { .. } | TypesetError::Export { .. }
                )
        )
    }
}

/// One typeset document.
#[derive(Debug, Clone)]
pub struct Pdf {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// How many pages it has.
    pub pages: usize,
    /// Typesetting warnings, readable.
    pub warnings: Vec<String>,
}

/// The renderer and the typesetter: built once, shared by every thread and every job.
pub struct Engine {
    /// The minijinja environment.
    renderer: Renderer,
    /// The typst World with the fonts.
    typesetter: Typesetter,
    /// Whether jobs trim the heap before typesetting.
    trim_heap: bool,
}

impl Engine {
    /// Builds the renderer and the typesetter (fonts are loaded here, once).
    pub fn new(options: &EngineOptions) -> Result<Engine, EngineError> {
        let mut templates: BTreeMap<String, String> = documents::builtin_templates()
            .map(|t| (t.name.to_string(), t.source.to_string()))
            .collect();
        let mut support: BTreeMap<String, Bytes> = documents::SUPPORT_FILES
            .iter()
            .map(|(name, source)| (format!("/{name}"), Bytes::new(source.as_bytes())))
            .collect();
        for (name, bytes) in &options.templates {
            if name.ends_with(".j2") {
                let text = String::from_utf8(bytes.clone())
                    .map_err(|_| EngineError::TemplateEncoding(name.clone()))?;
                templates.insert(name.clone(), text);
            } else {
                support.insert(format!("/{name}"), Bytes::new(bytes.clone()));
            }
        }
        let renderer = Renderer::new(templates)?;
        let typesetter = Typesetter::new(TypesetOptions {
            font_dirs: options.font_dirs.clone(),
            support_files: support,
            cache_max_age: options.cache_max_age,
            ..TypesetOptions::default()
        })?;
        Ok(Engine {
            renderer,
            typesetter,
            trim_heap: options.trim_heap,
        })
    }

    /// The characters of `text` no font has (they would print as an empty box).
    pub fn missing_chars(&self, text: &str) -> Vec<char> {
        self.typesetter.missing_chars(text)
    }

    /// The typesetter, for callers that typeset markup of their own.
    pub fn typesetter(&self) -> &Typesetter {
        &self.typesetter
    }

    /// Gives memory freed so far back to the system, when the engine was built to.
    pub(crate) fn release_freed(&self) {
        if self.trim_heap {
            crate::memory::release_freed();
        }
    }

    /// The typst markup of one document of `kind`, from its context.
    pub fn render_markup(
        &self,
        kind: DocumentKind,
        context: &Value,
    ) -> Result<String, RenderError> {
        self.renderer.render(kind.template(), context)
    }

    /// Renders one document of `kind` from its context and typesets it.
    pub fn make(&self, kind: DocumentKind, context: &Value) -> Result<Pdf, DocumentError> {
        self.make_within(kind, context, Budget::UNLIMITED)
    }

    /// [`Engine::make`], the typesetting held to `budget` (a document over it is refused
    /// with [`TypesetError::OverBudget`]).
    pub fn make_within(
        &self,
        kind: DocumentKind,
        context: &Value,
        budget: Budget,
    ) -> Result<Pdf, DocumentError> {
        let source = self.render_markup(kind, context)?;
        let typeset = self
            .typesetter
            .compile_pdf_within(source, kind.template(), budget)
            .map_err(|mut e| {
                if let Some(template) = self.renderer.source(kind.template()) {
                    e.locate_in_template(template);
                }
                e
            })?;
        Ok(pdf_of(typeset))
    }

    /// Typesets several documents as one, in one typst compile: `front` (the kind and context
    /// of a cover, if any) then every part (kind and context) on new pages, see
    /// [`join_sources`]. Refused unless the result is PDF/A-2b. `name` names the joined
    /// document in messages, `title` is its PDF title.
    pub fn make_joined(
        &self,
        name: &str,
        title: &str,
        front: Option<(DocumentKind, &Value)>,
        parts: &[(DocumentKind, Value)],
        options: JoinOptions,
        budget: Budget,
    ) -> Result<Pdf, DocumentError> {
        let front = match front {
            Some((kind, context)) => Some(self.render_markup(kind, context)?),
            None => None,
        };
        let markups = parts
            .iter()
            .map(|(kind, context)| self.render_markup(*kind, context))
            .collect::<Result<Vec<_>, _>>()?;
        let title = crate::render::escape::string_literal(title);
        let source = join_sources(&title, front.as_deref(), &markups, options);
        drop(markups);
        let typeset = self.typesetter.compile_pdf_within(source, name, budget)?;
        if !typeset.pdf_a {
            let mut reasons = typeset.warnings.clone();
            if !typeset.missing_glyphs.is_empty() {
                reasons.push(format!(
                    "字体中没有的字符：{}",
                    typeset.missing_glyphs.iter().collect::<String>()
                ));
            }
            return Err(DocumentError::NotArchival {
                reason: reasons.join("；"),
            });
        }
        Ok(pdf_of(typeset))
    }
}

/// The PDF of a typeset document, its missing glyphs told as a warning.
fn pdf_of(typeset: Typeset) -> Pdf {
    {
        let mut warnings = typeset.warnings;
        if !typeset.missing_glyphs.is_empty() {
            let chars: Vec<String> = typeset
                .missing_glyphs
                .iter()
                .map(|c| format!("「{c}」(U+{:04X})", *c as u32))
                .collect();
            warnings.push(format!(
                "排版后仍有字体中没有的字符：{}，PDF 中显示为空白方框",
                chars.join("、")
            ));
        }
        Pdf {
            bytes: typeset.pdf,
            pages: typeset.pages,
            warnings,
        }
    }
}
