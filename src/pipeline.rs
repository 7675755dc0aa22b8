//! Running a planned job: render every document (minijinja → typst markup), typeset it in
//! parallel with the one shared typst World, and stream the PDFs into the zip in a stable
//! order, then the manifest 清单.csv. Memory stays flat: documents are processed in chunks
//! and written as soon as their chunk is done.

use crate::bundle::archive::ZipBuilder;
use crate::bundle::manifest::{ManifestLine, ManifestWriter, Status};
use crate::document::DocumentKind;
use crate::model::certificate::NotIssued;
use crate::model::dataset::Dataset;
use crate::plan::Plan;
use crate::problem::{Location, Problem, RowRef};
use crate::render::{RenderError, Renderer};
use crate::typeset::{Bytes, SetupError, TypesetOptions, Typesetter, parallel_map};
use minijinja::value::Value;
use std::collections::BTreeMap;
use std::io::{Seek, Write};
use std::path::PathBuf;
use thiserror::Error;

/// The manifest's name inside the archive.
pub const MANIFEST_NAME: &str = "清单.csv";

/// What the engine is built from: template overrides and extra fonts.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Files overriding the built-in templates, by file name (from `--templates DIR`):
    /// `*.typ.j2` replace templates, any other file is a support file templates may read.
    pub templates: BTreeMap<String, Vec<u8>>,
    /// Extra font directories (`--font-path`).
    pub font_dirs: Vec<PathBuf>,
}

/// The renderer and the typesetter: built once per run, shared by every thread.
pub struct Engine {
    /// The minijinja environment.
    pub renderer: Renderer,
    /// The typst World with the fonts.
    pub typesetter: Typesetter,
}

/// The run cannot go on: the engine could not be built or the archive not written.
#[derive(Debug, Error)]
pub enum PipelineError {
    /// A template could not be loaded.
    #[error(transparent)]
    Template(#[from] RenderError),
    /// The fonts or the typst World could not be set up.
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// A template file is not UTF-8 text.
    #[error("模板文件 {0} 不是 UTF-8 编码的文本")]
    TemplateEncoding(String),
    /// Writing the archive failed.
    #[error(transparent)]
    Bundle(#[from] crate::bundle::BundleError),
}

impl Engine {
    /// Builds the renderer and the typesetter (fonts are loaded here, once).
    pub fn new(options: &EngineOptions) -> Result<Engine, PipelineError> {
        let mut templates = BTreeMap::new();
        let mut support = BTreeMap::new();
        for (name, bytes) in &options.templates {
            if name.ends_with(".j2") {
                let text = String::from_utf8(bytes.clone())
                    .map_err(|_| PipelineError::TemplateEncoding(name.clone()))?;
                templates.insert(name.clone(), text);
            } else {
                support.insert(format!("/{name}"), Bytes::new(bytes.clone()));
            }
        }
        let renderer = Renderer::new(&templates)?;
        let typesetter = Typesetter::new(TypesetOptions {
            font_dirs: options.font_dirs.clone(),
            support_files: support,
            ..TypesetOptions::default()
        })?;
        Ok(Engine {
            renderer,
            typesetter,
        })
    }

    /// Renders one document of `kind` from its context and typesets it; the error is a
    /// readable reason.
    pub fn make(&self, kind: DocumentKind, context: &Value) -> Result<Pdf, String> {
        let template = kind.template();
        let source = self
            .renderer
            .render(template, context)
            .map_err(|e| e.to_string())?;
        let typeset = self
            .typesetter
            .compile_pdf(source, template)
            .map_err(|e| e.to_string())?;
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
        Ok(Pdf {
            bytes: typeset.pdf,
            pages: typeset.pages,
            warnings,
        })
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

/// One document written into the archive.
#[derive(Debug, Clone, PartialEq)]
pub struct MadeDocument {
    /// What kind of document.
    pub kind: DocumentKind,
    /// Its position in the plan's documents (whose `path` is its path in the archive).
    pub document: usize,
    /// Pages typeset.
    pub pages: usize,
    /// PDF size in bytes.
    pub bytes: usize,
}

/// What a run produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Documents written, in archive order.
    pub made: Vec<MadeDocument>,
    /// Documents that could not be made, with the reason (their rows are refused).
    pub failed: Vec<(String, String)>,
    /// The lines of 清单.csv whose row was refused, for the summary (the whole manifest is
    /// streamed into the archive, never held in memory).
    pub refused: Vec<ManifestLine>,
}

/// Makes every planned document with `jobs` threads and writes them, then the manifest,
/// into a zip on `out` with the default archive options (UTF-8 names). `progress` is told
/// how many documents are done so far.
pub fn write_archive<W: Write + Seek>(
    engine: &Engine,
    ds: &mut Dataset,
    plan: &Plan,
    out: W,
    jobs: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Outcome, PipelineError> {
    write_archive_to(engine, ds, plan, ZipBuilder::new(out), jobs, progress)
}

/// [`write_archive`] into a zip set up by the caller (e.g. with GBK entry names).
pub fn write_archive_to<W: Write + Seek>(
    engine: &Engine,
    ds: &mut Dataset,
    plan: &Plan,
    mut zip: ZipBuilder<W>,
    jobs: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Outcome, PipelineError> {
    // What reading and planning freed goes back to the system (see crate::memory).
    crate::memory::release_freed();
    let mut outcome = Outcome::default();
    // Per ledger row, the documents (indices into the plan) made from it.
    let mut outputs: Vec<Vec<u32>> = vec![Vec::new(); ds.rows.len()];
    let chunk = (jobs.max(1) * 16).max(32);
    let mut done = 0;
    for (chunk_no, docs) in plan.documents.chunks(chunk).enumerate() {
        // Each worker builds a document's context when it takes the document, and drops it
        // with the document. Plain threads, not rayon: typst uses rayon inside, and nesting
        // documents in rayon workers overflows their stacks (see typeset::parallel_map).
        let data: &Dataset = ds;
        let made: Vec<Result<Pdf, String>> =
            parallel_map(docs, jobs.max(1), |_, doc| match plan.context(data, doc) {
                Some(context) => engine.make(doc.kind, &context),
                None => Err("数据中找不到这份文档所依据的记录".to_string()),
            });
        for (i, (doc, result)) in docs.iter().zip(made).enumerate() {
            let index = chunk_no * chunk + i;
            match result {
                Ok(pdf) => {
                    zip.add(&doc.path, &pdf.bytes)?;
                    for row in &doc.rows {
                        if let Some(r) = ds.row_index(row) {
                            outputs[r].push(index as u32);
                        }
                    }
                    for w in pdf.warnings {
                        ds.attach(Problem::warning(
                            Location::Row(doc.rows[0].clone()),
                            format!("{}：{w}", doc.kind.label()),
                        ));
                    }
                    outcome.made.push(MadeDocument {
                        kind: doc.kind,
                        document: index,
                        pages: pdf.pages,
                        bytes: pdf.bytes.len(),
                    });
                }
                Err(reason) => {
                    ds.attach(Problem::error(
                        Location::Row(doc.rows[0].clone()),
                        format!("{}未能生成：{reason}", doc.kind.label()),
                    ));
                    outcome.failed.push((doc.path.clone(), reason));
                }
            }
        }
        done += docs.len();
        progress(done);
    }
    let refused = &mut outcome.refused;
    zip.add_streamed(MANIFEST_NAME, |out| {
        let mut writer = ManifestWriter::new(out)?;
        for line in manifest_lines(ds, plan, &outputs) {
            writer.write(&line)?;
            if line.status == Status::Refused {
                refused.push(line);
            }
        }
        writer.finish()
    })?;
    zip.finish()?;
    Ok(outcome)
}

/// One manifest line for every input row, in input order: what became of it and why.
/// `outputs` holds, per ledger row of `ds`, the indices in `plan` of the documents made
/// from it.
pub fn manifest_lines<'a>(
    ds: &'a Dataset,
    plan: &'a Plan,
    outputs: &'a [Vec<u32>],
) -> impl Iterator<Item = ManifestLine> + 'a {
    let not_issued = reasons_by_row(&plan.not_issued);
    let left_out = reasons_by_row(&plan.left_out);
    ds.rows.iter().enumerate().map(move |(i, r)| {
        let kind = r.kind.map(|k| k.label()).unwrap_or("未识别").to_string();
        let mut reasons: Vec<String> = r.problems.iter().map(Problem::within_row).collect();
        let files: Vec<String> = outputs
            .get(i)
            .into_iter()
            .flatten()
            .map(|&d| plan.documents[d as usize].path.clone())
            .collect();
        let status = if let Some(why) = &r.ignored {
            reasons.insert(0, why.clone());
            Status::Ignored
        } else if r.refused() {
            Status::Refused
        } else if !files.is_empty() {
            Status::Generated
        } else if let Some(why) = not_issued.get(&r.at) {
            reasons.insert(0, why.to_string());
            Status::Refused
        } else if let Some(why) = left_out.get(&r.at) {
            reasons.insert(0, why.to_string());
            Status::Ignored
        } else {
            reasons.insert(0, "本次生成的文档不需要这一行".to_string());
            Status::Ignored
        };
        ManifestLine {
            file: r.at.file.to_string(),
            sheet: r.at.sheet.to_string(),
            row: r.at.excel_row(),
            kind,
            student_id: r.student_id.clone(),
            name: r.name.clone(),
            status,
            outputs: files,
            reasons,
        }
    })
}

/// The reasons of rows set aside by the plan, by row.
fn reasons_by_row(rows: &[NotIssued]) -> BTreeMap<&RowRef, &str> {
    rows.iter().map(|n| (&n.at, n.reason.as_str())).collect()
}
