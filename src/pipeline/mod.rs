//! Making a planned job's documents as a stream: each document is rendered (minijinja →
//! typst markup) and typeset on the job's threads with the one shared engine, and handed to
//! a [`Sink`] in plan order as soon as it is next; then the manifest. A bounded queue between
//! typesetting and the sink keeps memory flat: only the documents in flight and a few
//! finished ones waiting for their turn are held, however large the batch.
//!
//! The zip archive is one sink ([`ZipSink`], onto a file or onto any `Write` such as an HTTP
//! body); a sink may also group documents by student (every document carries its 学号).

mod manifest;
mod zip_sink;

use manifest::unused_by_run;
pub use manifest::{Outputs, manifest_lines};
pub use zip_sink::{SplitSink, ZipSink};

use crate::bundle::BundleError;
use crate::bundle::archive_path::ArchivePath;
use crate::bundle::manifest::{ManifestLine, ManifestLines, Status};
use crate::documents::packet::{TocItem, cover_context, toc_note, toc_title};
use crate::engine::{DocumentError, Engine, Pdf};
use crate::model::dataset::Dataset;
use crate::plan::{DocumentKind, Plan, PlannedDocument};
use crate::problem::{Location, Problem};
use crate::typeset::{Budget, JoinOptions, for_each_ordered};
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use thiserror::Error;

/// The manifest's name inside the archive.
pub const MANIFEST_NAME: &str = crate::bundle::MANIFEST_FILE_NAME;

/// How many finished documents per thread may wait for their turn in the sink.
const QUEUE_PER_THREAD: usize = 4;

/// How often freed memory goes back to the system while documents are made. Freed pages
/// the allocator keeps are touched again by later documents one by one, so without this
/// the process grows through a long run with no more in use (10 000 students: by about
/// 20 MB). Seconds apart, not document by document: trimming costs a few milliseconds, and
/// pages given back are faulted in again.
const RELEASE_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Making the documents stopped: nothing is complete, the output must be discarded.
#[derive(Debug, Error)]
pub enum PipelineError {
    /// The sink failed (the archive could not be written).
    #[error(transparent)]
    Output(#[from] BundleError),
    /// A template is wrong (it does not render or typst rejects what it generates): every
    /// document of its kind would fail alike, so the run stops rather than refuse them all.
    #[error("{}无法生成，模板有误：{source}", kind.label())]
    Template {
        /// The kind whose template failed.
        kind: DocumentKind,
        /// What went wrong, naming the template and line.
        source: DocumentError,
    },
    /// Strict mode and a document could not be made.
    #[error("严格模式：{} {} 未能生成（{source}），未生成压缩包", kind.label(), path)]
    Strict {
        /// The kind of the document.
        kind: DocumentKind,
        /// Its path in the archive.
        path: ArchivePath,
        /// Why it failed.
        source: DocumentError,
    },
}

/// One finished document, handed to a sink in plan order.
#[derive(Debug)]
pub struct Made<'a> {
    /// Its position in the plan's documents.
    pub index: usize,
    /// The planned document: kind, archive path, student, rows.
    pub document: &'a PlannedDocument,
    /// The PDF.
    pub pdf: &'a Pdf,
}

/// Where finished documents go.
pub trait Sink {
    /// Receives one finished document; documents come in plan order.
    fn document(&mut self, made: &Made<'_>) -> Result<(), BundleError>;
    /// Receives the manifest once every document is through, and completes the output.
    fn finish(&mut self, manifest: &dyn ManifestLines) -> Result<(), BundleError>;
}

/// One document made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MadeDocument {
    /// What kind of document.
    pub kind: DocumentKind,
    /// Its path in the archive.
    pub path: ArchivePath,
    /// The 学号 of its student.
    pub student: Arc<str>,
    /// Pages typeset.
    pub pages: usize,
    /// PDF size in bytes.
    pub bytes: usize,
}

/// The documents made, in plan order, taken out of the plan they were made from: each
/// keeps its planned kind, path and student, the rest of its plan entry is dropped, and
/// the list takes the plan's own memory — the report of a province's run (some hundred
/// thousand documents) then costs nothing at the end of the run, when memory peaks.
pub fn made_documents(documents: Vec<PlannedDocument>, made: &[Typeset]) -> Vec<MadeDocument> {
    let mut made = made.iter().peekable();
    documents
        .into_iter()
        .enumerate()
        .filter_map(|(index, doc)| {
            let typeset = made.next_if(|m| m.index as usize == index)?;
            Some(MadeDocument {
                kind: doc.kind,
                path: doc.path,
                student: doc.student,
                pages: typeset.pages as usize,
                bytes: typeset.bytes as usize,
            })
        })
        .collect()
}

/// One document made, as a run keeps it while it goes on: its place in the plan, which has
/// its kind, path and student ([`made_documents`] puts them together). Twelve bytes
/// where a [`MadeDocument`] takes 72: a province's run makes some hundred thousand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Typeset {
    /// Its position in the plan's documents.
    pub index: u32,
    /// Pages typeset.
    pub pages: u32,
    /// PDF size in bytes.
    pub bytes: u32,
}

/// One document that could not be made (its row is refused with the reason).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailedDocument {
    /// What kind of document.
    pub kind: DocumentKind,
    /// The path it would have had.
    pub path: ArchivePath,
    /// Why, readable.
    pub reason: String,
}

/// What making the documents produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Documents made, in plan order.
    pub made: Vec<Typeset>,
    /// Documents that could not be made.
    pub failed: Vec<FailedDocument>,
    /// The manifest's lines of rows that made no document — refused, left out by a choice
    /// (`--year`), set aside by the reader — and its notes, in manifest order: what a report
    /// lists. Rows valid but not used by the kinds asked for (most of a ledger, on a
    /// certificate run) are not kept. Every line, one per input row, went to the sink, made
    /// afresh from the dataset, so that a run never holds them all.
    pub not_made: Vec<ManifestLine>,
    /// How many lines the whole manifest has.
    pub manifest_lines: usize,
}

/// The manifest of a run, made from its dataset, its plan and the documents made from each
/// ledger row, as often as the sink reads it.
struct RunManifest<'a> {
    /// The dataset, with the problems found while typesetting.
    ds: &'a Dataset,
    /// The plan.
    plan: &'a Plan,
    /// The documents made from each ledger row.
    outputs: &'a Outputs,
}

impl ManifestLines for RunManifest<'_> {
    fn lines(&self) -> Box<dyn Iterator<Item = ManifestLine> + '_> {
        Box::new(manifest_lines(self.ds, self.plan, self.outputs))
    }
}

/// How far a job is: documents finished of all planned. A packet or a print volume counts
/// as the documents it joins, so that the rate and the time left stay honest when a run ends
/// with volumes of hundreds of forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Documents finished (made or failed).
    pub done: usize,
    /// Documents planned.
    pub total: usize,
}

/// How many documents a planned document counts for in [`Progress`]: its parts, or itself.
fn progress_weight(doc: &PlannedDocument) -> usize {
    doc.parts.len().max(1)
}

/// The settings of one stream.
pub struct Streaming<'a> {
    /// Threads typesetting (at least 1).
    pub threads: usize,
    /// The pool typst's own parallel work runs in, sized to the job's threads; `None` uses
    /// rayon's global pool.
    pub pool: Option<&'a rayon::ThreadPool>,
    /// Told after each document.
    pub progress: &'a (dyn Fn(Progress) + Sync),
    /// Any document that cannot be made stops the run (`--strict`).
    pub strict: bool,
    /// A document of more pages is refused (a joined one: of more pages per part).
    pub max_pages: usize,
    /// What typesetting one document may take; a document over it is refused.
    pub budget: Budget,
    /// Joined documents (packets, print volumes) start each part on an odd page.
    pub duplex: bool,
}

/// Stack of each thread of a job's typst pool: documents run there, and typst's evaluator
/// recurses deeply on nested markup (its CLI runs on an 8 MiB main thread). While a thread
/// waits inside typst (krilla's `rayon::yield_now`) it may run another document of the job on
/// top of its stack — at most one per typesetting thread — so the stack is sized for a few;
/// untouched stack costs address space only.
const POOL_STACK: usize = 64 << 20;

/// A rayon pool of `threads` threads for typst's own parallel work (and the documents run
/// through it), so that a job's `threads` bounds all of its work; `None` if the system
/// refuses the threads (typst then uses rayon's global pool).
pub fn typst_pool(threads: usize) -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .stack_size(POOL_STACK)
        .thread_name(|n| format!("typst-{n}"))
        .build()
        .ok()
}

/// The data each student's forms read (see [`Dataset::view_of`]), shared by the typesetting
/// threads: documents come in path order, so one student's come one after another, and the
/// last few students' views are kept rather than read back from disk for each document.
struct Views<'a> {
    /// The run's dataset.
    ds: &'a Dataset,
    /// The latest views, newest first, with their students' 学号.
    recent: Mutex<VecDeque<(Arc<str>, Arc<Dataset>)>>,
    /// How many views are kept.
    keep: usize,
}

/// The data of one student's forms: the whole dataset (not shelved) or their view.
enum View<'a> {
    /// The dataset itself.
    Whole(&'a Dataset),
    /// One student's view.
    One(Arc<Dataset>),
}

impl std::ops::Deref for View<'_> {
    type Target = Dataset;

    fn deref(&self) -> &Dataset {
        match self {
            View::Whole(ds) => ds,
            View::One(view) => view,
        }
    }
}

impl<'a> Views<'a> {
    /// Views of `ds`, the latest `keep` kept.
    fn new(ds: &'a Dataset, keep: usize) -> Self {
        Views {
            ds,
            recent: Mutex::new(VecDeque::with_capacity(keep + 1)),
            keep: keep.max(1),
        }
    }

    /// The data of student `id`'s forms.
    fn of(&self, id: &Arc<str>) -> Result<View<'a>, DocumentError> {
        if !self.ds.is_shelved() {
            return Ok(View::Whole(self.ds));
        }
        let recent = || self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, view)) = recent().iter().find(|(student, _)| student == id) {
            return Ok(View::One(Arc::clone(view)));
        }
        let view = Arc::new(
            self.ds
                .view_of(id)
                .map_err(DocumentError::Shelf)?
                .into_owned(),
        );
        let mut recent = recent();
        recent.push_front((Arc::clone(id), Arc::clone(&view)));
        recent.truncate(self.keep);
        Ok(View::One(view))
    }
}

/// Renders and typesets one planned document: alone, or — a packet, a print volume — its
/// parts joined in one compile (a packet behind its cover and 目录). Records are read from
/// the student's view of the dataset.
fn make_one(
    engine: &Engine,
    plan: &Plan,
    views: &Views<'_>,
    doc: &PlannedDocument,
    duplex: bool,
    budget: Budget,
) -> Result<Pdf, DocumentError> {
    let packet = doc.kind == DocumentKind::PACKET;
    if !packet && doc.parts.is_empty() {
        let context = plan
            .context(&*views.of(&doc.student)?, doc)
            .ok_or(DocumentError::MissingRecords)?;
        return engine.make_within(doc.kind, &context, budget);
    }
    // A joined document may take its parts' time together (and one more for a packet's
    // cover and 目录).
    let budget = Budget {
        time: budget.time.map(|time| time * (doc.parts.len() as u32 + 1)),
        ..budget
    };
    let mut parts = Vec::with_capacity(doc.parts.len());
    for part in &doc.parts {
        let context = plan
            .context(&*views.of(&part.student)?, part)
            .ok_or(DocumentError::MissingRecords)?;
        parts.push((part.kind, context));
    }
    let options = JoinOptions {
        duplex,
        archive_numbers: packet,
    };
    if packet {
        let items: Vec<TocItem> = doc
            .parts
            .iter()
            .map(|p| TocItem {
                title: toc_title(p.kind, p.formed),
                formed: p.formed,
                note: toc_note(p.kind).to_string(),
            })
            .collect();
        let view = views.of(&doc.student)?;
        let cover = cover_context(&view, &plan.config, &doc.student, &items)
            .ok_or(DocumentError::MissingRecords)?;
        let front = Some((DocumentKind::PACKET, &cover));
        let title = match view.students.get(&*doc.student) {
            Some(s) => format!("个人党建档案 {} {}", s.id, s.name),
            None => "个人党建档案".to_string(),
        };
        engine.make_joined(
            DocumentKind::PACKET.template(),
            &title,
            front,
            &parts,
            options,
            budget,
        )
    } else {
        let title = format!("{}（打印）", doc.kind.label());
        engine.make_joined(doc.kind.template(), &title, None, &parts, options, budget)
    }
}

/// The input row a document of `plan` belongs to (its first), where its problems go.
fn row_of(ds: &Dataset, plan: &Plan, doc: &PlannedDocument) -> Location {
    match plan.rows_of(doc).first().and_then(|&i| ds.row_at(i)) {
        Some(at) => Location::Row(at),
        None => Location::Run,
    }
}

/// Makes every planned document and hands it to `sink` in plan order, then the manifest.
/// Problems found while typesetting (a document that failed, typst warnings) are added to
/// the dataset's rows, and so to the manifest.
pub fn make_documents(
    engine: &Engine,
    ds: &mut Dataset,
    plan: &Plan,
    sink: &mut dyn Sink,
    streaming: &Streaming<'_>,
) -> Result<Outcome, PipelineError> {
    // The plan is made: each document now needs its own student's records only, so they go
    // to disk and memory stays with the documents in flight. Should no temporary file be
    // possible, they stay in memory (a run that fits gets its documents all the same).
    if let Err(e) = ds.shelve() {
        tracing::warn!("records kept in memory, no temporary file for them: {e}");
    }
    engine.release_freed();
    // While documents are typeset, freed pages wait a second before going back (see
    // `memory::ALLOCATOR_CONF`); reading and planning gave theirs back within a tenth.
    let typesetting = crate::memory::Typesetting::begin();
    let mut outcome = Outcome::default();
    // One entry per document: reserved once, not grown by doubling over a province's batch.
    outcome.made.reserve_exact(plan.documents.len());
    let mut found: Vec<Problem> = Vec::new();
    let total: usize = plan.documents.iter().map(progress_weight).sum();
    let mut done = 0;
    let mut released = std::time::Instant::now();
    {
        let data: &Dataset = ds;
        // Two views a thread: the student a thread is on, and the one it goes to next.
        let views = Views::new(data, 2 * streaming.threads.max(1));
        let make = |_: usize, doc: &PlannedDocument| {
            // The context is built when its document's turn comes, and dropped with it.
            let make = || {
                make_one(
                    engine,
                    plan,
                    &views,
                    doc,
                    streaming.duplex,
                    streaming.budget,
                )
                .and_then(|pdf| {
                    let limit = streaming.max_pages * doc.parts.len().max(1)
                        + usize::from(!doc.parts.is_empty());
                    if pdf.pages > limit {
                        Err(DocumentError::TooManyPages {
                            pages: pdf.pages,
                            limit,
                        })
                    } else {
                        Ok(pdf)
                    }
                })
            };
            match streaming.pool {
                Some(pool) => pool.install(make),
                None => make(),
            }
        };
        let take = |index: usize, result: Result<Pdf, DocumentError>| {
            let doc = &plan.documents[index];
            match result {
                Ok(pdf) => {
                    sink.document(&Made {
                        index,
                        document: doc,
                        pdf: &pdf,
                    })?;
                    for w in &pdf.warnings {
                        found.push(Problem::warning(
                            row_of(data, plan, doc),
                            format!("{}：{w}", doc.kind.label()),
                        ));
                    }
                    // Sizes past 4 GiB cannot happen: a document is bounded by its pages.
                    outcome.made.push(Typeset {
                        index: index as u32,
                        pages: u32::try_from(pdf.pages).unwrap_or(u32::MAX),
                        bytes: u32::try_from(pdf.bytes.len()).unwrap_or(u32::MAX),
                    });
                }
                Err(source) if source.is_template_error() => {
                    return Err(PipelineError::Template {
                        kind: doc.kind,
                        source,
                    });
                }
                Err(source) if streaming.strict => {
                    return Err(PipelineError::Strict {
                        kind: doc.kind,
                        path: doc.path.clone(),
                        source,
                    });
                }
                Err(e) => {
                    let reason = e.to_string();
                    found.push(Problem::error(
                        row_of(data, plan, doc),
                        format!("{}未能生成：{reason}", doc.kind.label()),
                    ));
                    outcome.failed.push(FailedDocument {
                        kind: doc.kind,
                        path: doc.path.clone(),
                        reason,
                    });
                }
            }
            done += progress_weight(doc);
            (streaming.progress)(Progress { done, total });
            if released.elapsed() >= RELEASE_EVERY {
                engine.release_freed();
                released = std::time::Instant::now();
            }
            Ok::<(), PipelineError>(())
        };
        let threads = streaming.threads.max(1);
        for_each_ordered(
            &plan.documents,
            threads,
            threads * QUEUE_PER_THREAD,
            make,
            take,
        )?;
    }
    drop(typesetting);
    // The typesetting threads' working memory is free now: back to the system before the
    // manifest and the report are made.
    engine.release_freed();
    for p in found {
        ds.attach(p);
    }
    // The documents made from each ledger row: built now, when typesetting's memory is free.
    let outputs = Outputs::of_made(plan, outcome.made.iter().map(|t| t.index as usize));
    let manifest = RunManifest {
        ds,
        plan,
        outputs: &outputs,
    };
    for line in manifest.lines() {
        outcome.manifest_lines += 1;
        if line.status != Status::Generated && !unused_by_run(&line) {
            outcome.not_made.push(line);
        }
    }
    sink.finish(&manifest)?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A planned certificate of student `id`.
    fn planned(id: &str) -> PlannedDocument {
        PlannedDocument {
            kind: DocumentKind::CERTIFICATE,
            path: ArchivePath::from(format!("{id}/党校结业证书.pdf").as_str()),
            student: Arc::from(id),
            rows: crate::plan::RowSpan::default(),
            key: crate::documents::Key::Student,
            formed: None,
            parts: thin_vec::ThinVec::new(),
        }
    }

    #[test]
    fn the_report_lists_the_documents_made_and_skips_the_failed_one() {
        let plan = vec![planned("2021001"), planned("2021002"), planned("2021003")];
        let made = [
            Typeset {
                index: 0,
                pages: 1,
                bytes: 900,
            },
            Typeset {
                index: 2,
                pages: 2,
                bytes: 1800,
            },
        ];
        let listed = made_documents(plan, &made);
        let got: Vec<(&str, &str, usize, usize)> = listed
            .iter()
            .map(|m| (&*m.student, m.path.folder(), m.pages, m.bytes))
            .collect();
        assert_eq!(
            got,
            [
                ("2021001", "2021001", 1, 900),
                ("2021003", "2021003", 2, 1800)
            ]
        );
    }
}
