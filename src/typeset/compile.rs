//! One document: generated typst source → laid-out pages → PDF bytes, with typst's errors
//! and warnings turned into [`Diagnostic`]s that name the template and the line.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use typst::World;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic, Warned};
use typst::ecow::EcoVec;
use typst::foundations::Smart;
use typst::syntax::DiagSpan;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandards};

use super::budget::{Budget, OverBudget};
use super::error::{Diagnostic, TypesetError};
use super::glyphs::missing_glyphs;
use super::world::{DocWorld, Typesetter};

/// The `/Creator` written into every PDF.
pub const CREATOR: &str = "dangjian";

/// Typst's warning for a font family that is not loaded (it then silently falls back).
const UNKNOWN_FONT: &str = "unknown font family";

/// Longest code excerpt shown in a diagnostic, in characters.
const CODE_EXCERPT: usize = 60;

/// One typeset document.
#[derive(Debug, Clone)]
pub struct Typeset {
    /// The PDF file's bytes (identical for identical source, template name and options).
    pub pdf: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// Typst's warnings, formatted like errors (Chinese lead, template, line).
    pub warnings: Vec<String>,
    /// Characters drawn as an empty box (no font has them) or private-use characters (造字)
    /// drawn with an embedded face's unrelated glyph, each once, in order of first appearance.
    /// Normally empty: check data with [`Typesetter::missing_chars`] first.
    pub missing_glyphs: Vec<char>,
    /// Whether the PDF conforms to PDF/A-2b. It does unless an empty box was drawn (PDF/A
    /// forbids `.notdef`) or the template used something PDF/A forbids (an embedded PDF image,
    /// smooth image scaling …; then `warnings` says what): a plain PDF 1.7 is written instead, so
    /// the caller still has a file and decides, from `missing_glyphs`, whether to use it.
    pub pdf_a: bool,
}

impl Typesetter {
    /// Compiles one document's generated typst `source` and exports it as PDF.
    /// `template_name` (e.g. `certificate.typ.j2`) only names the template in messages.
    ///
    /// Errors: typst errors, a font family the template names but no font provides, and a
    /// panic inside typst (caught: it refuses this document only).
    /// Safe to call from many threads at once on a shared `&Typesetter` — but from plain
    /// threads, not rayon workers: see [`parallel_map`](super::parallel_map).
    pub fn compile_pdf(
        &self,
        source: String,
        template_name: &str,
    ) -> Result<Typeset, TypesetError> {
        self.compile_pdf_within(source, template_name, Budget::UNLIMITED)
    }

    /// [`Typesetter::compile_pdf`], stopped with [`TypesetError::OverBudget`] as soon as the
    /// document takes more time or memory than `budget` allows.
    pub fn compile_pdf_within(
        &self,
        source: String,
        template_name: &str,
        budget: Budget,
    ) -> Result<Typeset, TypesetError> {
        // A typst bug must refuse one document, not end the run; so must a runaway document.
        let result = catch_unwind(AssertUnwindSafe(|| {
            self.typeset(source, template_name, budget)
        }))
        .unwrap_or_else(|payload| match payload.downcast_ref::<OverBudget>() {
            Some(over) => Err(TypesetError::OverBudget {
                template: template_name.to_string(),
                over: *over,
            }),
            None => Err(TypesetError::Internal {
                template: template_name.to_string(),
                message: panic_message(payload.as_ref()),
            }),
        });
        if let Some(max_age) = self.cache_max_age {
            typst::comemo::evict(max_age);
        }
        result
    }

    /// [`Typesetter::compile_pdf`] without the cache eviction.
    fn typeset(
        &self,
        source: String,
        template: &str,
        budget: Budget,
    ) -> Result<Typeset, TypesetError> {
        let world = self.world(source, budget);
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);

        let mut errors = Vec::new();
        let mut other_warnings = Vec::new();
        for warning in &warnings {
            if warning.message.starts_with(UNKNOWN_FONT) {
                let mut diagnostic = diagnostic(&world, template, warning);
                diagnostic.hints.push(format!(
                    "模板使用了未加载的字体，可用字体：{}",
                    self.fonts().families().join("、")
                ));
                errors.push(diagnostic);
            } else {
                let text = diagnostic(&world, template, warning).to_string();
                if !other_warnings.contains(&text) {
                    other_warnings.push(text);
                }
            }
        }
        let document = match output {
            Ok(document) => document,
            Err(diags) => {
                let mut all: Vec<Diagnostic> = diags
                    .iter()
                    .filter(|diag| diag.severity == Severity::Error)
                    .map(|diag| diagnostic(&world, template, diag))
                    .collect();
                all.extend(errors);
                return Err(TypesetError::Compile {
                    template: template.to_string(),
                    diagnostics: all,
                });
            }
        };
        if !errors.is_empty() {
            return Err(TypesetError::Compile {
                template: template.to_string(),
                diagnostics: errors,
            });
        }

        let missing = missing_glyphs(&document, self.fonts());
        let ident = ident(template, world.main_source().text());
        let export = |standards: PdfStandards| {
            let options = PdfOptions {
                ident: Smart::Custom(ident.clone()),
                creator: Smart::Custom(Some(CREATOR.to_string())),
                timestamp: Some(self.timestamp),
                standards,
                ..PdfOptions::default()
            };
            typst_pdf::pdf(&document, &options)
        };
        let export_error = |diags: EcoVec<SourceDiagnostic>| TypesetError::Export {
            template: template.to_string(),
            diagnostics: diags
                .iter()
                .map(|diag| diagnostic(&world, template, diag))
                .collect(),
        };
        // PDF/A-2b unless it cannot be met: a `.notdef` glyph, or something a template put in
        // (an embedded PDF image, smooth image scaling …); then plain PDF 1.7 and a warning.
        let mut pdf_a = !missing.notdef;
        let pdf = if pdf_a {
            match export(self.pdf_a.clone()) {
                Ok(pdf) => pdf,
                Err(diags) if diags.iter().all(|diag| diag.message.starts_with("PDF/A")) => {
                    pdf_a = false;
                    for diag in &diags {
                        let mut diagnostic = diagnostic(&world, template, diag);
                        diagnostic
                            .hints
                            .push("无法满足 PDF/A-2b，已改为导出普通 PDF".into());
                        other_warnings.push(diagnostic.to_string());
                    }
                    export(PdfStandards::default()).map_err(export_error)?
                }
                Err(diags) => return Err(export_error(diags)),
            }
        } else {
            export(PdfStandards::default()).map_err(export_error)?
        };
        Ok(Typeset {
            pdf,
            pages: document.pages().len(),
            warnings: other_warnings,
            missing_glyphs: missing.chars,
            pdf_a,
        })
    }
}

/// The text of a panic's payload.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "（无说明）".to_string()
    }
}

/// A stable identifier of the document (typst hashes it into the PDF's `/ID`): the same source
/// gives the same id on every run and machine, different documents different ids.
fn ident(template: &str, source: &str) -> String {
    format!(
        "dangjian:{template}:{:032x}",
        typst::utils::hash128(&(template, source))
    )
}

/// Turns a typst diagnostic into ours: where it is (generated source or support file, line,
/// column, the line's text) and, for a problem inside a support file, which line of the
/// generated source called into it.
fn diagnostic(world: &DocWorld<'_>, template: &str, diag: &SourceDiagnostic) -> Diagnostic {
    let place = locate(world, diag.span);
    let called_from_line = match &place {
        Some(place) if place.file.is_some() => diag.trace.iter().find_map(|point| {
            locate(world, point.span.into())
                .filter(|place| place.file.is_none())
                .map(|place| place.line)
        }),
        _ => None,
    };
    let (file, line, column, code) = match place {
        Some(place) => (
            place.file,
            Some(place.line),
            Some(place.column),
            Some(place.code),
        ),
        None => (None, None, None, None),
    };
    Diagnostic {
        template: template.to_string(),
        file,
        line,
        column,
        message: diag.message.to_string(),
        hints: hints(diag),
        code: code.filter(|code| !code.is_empty()),
        called_from_line,
        template_line: None,
    }
}

/// Typst's hints, minus those about its command line (`--root`, `--font-path` …, which do not
/// exist here), plus ours for typst messages that are puzzling in this setting.
fn hints(diag: &SourceDiagnostic) -> Vec<String> {
    let mut hints: Vec<String> = diag
        .hints
        .iter()
        .map(|hint| hint.v.to_string())
        .filter(|hint| !hint.contains("`--"))
        .collect();
    if diag.message.contains("would escape the project root") {
        hints.push("模板只能读取模板目录和内置资源".into());
    }
    if diag.message == "no font could be found" {
        hints.push("没有内嵌数学字体，模板不能使用公式（$…$）".into());
    }
    hints
}

/// Where a span points.
struct Place {
    /// `None` for the generated source, else the support file's virtual path.
    file: Option<String>,
    /// 1-based line.
    line: usize,
    /// 1-based column in characters.
    column: usize,
    /// The line's text, trimmed and shortened.
    code: String,
}

/// Finds the file, line and column a span points at (`None` when detached).
fn locate(world: &DocWorld<'_>, span: DiagSpan) -> Option<Place> {
    let id = span.id()?;
    let source = world.source(id).ok()?;
    let range = world.range(span)?;
    let (line, column) = source.lines().byte_to_line_column(range.start)?;
    let code = source
        .lines()
        .line_to_range(line)
        .and_then(|range| source.text().get(range))
        .map(excerpt)
        .unwrap_or_default();
    Some(Place {
        file: (!world.is_main(id)).then(|| id.vpath().get_with_slash().to_string()),
        line: line + 1,
        column: column + 1,
        code,
    })
}

/// A line of code, trimmed and cut to [`CODE_EXCERPT`] characters.
fn excerpt(line: &str) -> String {
    let line = line.trim();
    if line.chars().count() <= CODE_EXCERPT {
        line.to_string()
    } else {
        let mut cut: String = line.chars().take(CODE_EXCERPT).collect();
        cut.push('…');
        cut
    }
}
