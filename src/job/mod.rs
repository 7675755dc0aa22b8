//! The job API: one value that says what to do ([`Job`]), one call that does it on a shared
//! [`Engine`] ([`run`]), one serialisable answer ([`Report`]). Every front end — the command
//! line, the HTTP service — builds a `Job`, calls `run` and presents the report; every rule of
//! a run (what `--strict` means, when nothing can be done, how many threads) lives here.

mod report;

pub use report::{Blocked, FileRead, Report, RowCounts, SheetRows};

use crate::bundle::{ArchiveOptions, BundleError, NameEncoding, write_atomically};
use crate::config::{Config, DEFAULT_ISSUER, Issuer};
use crate::documents::{DocumentKind, Scope};
use crate::engine::Engine;
use crate::model::dataset::Dataset;
use crate::pipeline::{
    PipelineError, Progress, Sink, SplitSink, Streaming, ZipSink, make_documents, typst_pool,
};
use crate::plan::{print_volumes, volume_documents};
use crate::problem::{Location, Problem};
use crate::read::{Input, repeated_input};
use crate::typeset::default_threads;
use std::io::Write;
use std::path::Path;
use thiserror::Error;

/// What to do: the inputs and every choice of a run.
#[derive(Debug, Clone)]
pub struct Job {
    /// The data files, as bytes with their names.
    pub inputs: Vec<Input>,
    /// The configuration (`dangjian.toml`).
    pub config: Config,
    /// The document kinds to make (`render`); `check` plans every kind.
    pub documents: Vec<DocumentKind>,
    /// Only this year's annual appraisals.
    pub year: Option<i32>,
    /// Any data error refuses the whole run: nothing is written.
    pub strict: bool,
    /// How entry names are encoded in the zip.
    pub name_encoding: NameEncoding,
    /// Threads typesetting, typst's own parallel work included; 0 = one per core.
    pub threads: usize,
    /// Besides the documents, one merged PDF per kind for a print run, in volumes
    /// (`打印/年度民主评议表-01.pdf` …), ordered by 学院, 班级, 学号.
    pub print: bool,
    /// Joined documents (packets, print volumes) pad each document to an even page count.
    pub duplex: bool,
    /// An archive file ([`Output::File`]) is split into numbered parts holding at most this
    /// many bytes of files each (`--split-size`); `None`: one archive.
    pub split_bytes: Option<u64>,
}

impl Job {
    /// A job on these inputs with every default: default configuration, every document
    /// kind, every year, not strict, UTF-8 names, all cores.
    pub fn new(inputs: Vec<Input>) -> Job {
        Job {
            inputs,
            config: Config::default(),
            documents: DocumentKind::ALL.to_vec(),
            year: None,
            strict: false,
            name_encoding: NameEncoding::Utf8,
            threads: 0,
            print: false,
            duplex: false,
            split_bytes: None,
        }
    }

    /// The number of threads the job runs on: [`Job::threads`], or one per core for 0.
    pub fn thread_count(&self) -> usize {
        match self.threads {
            0 => default_threads(),
            n => n,
        }
    }
}

/// Where the documents go.
pub enum Output<'a> {
    /// Nowhere: read, validate and plan every kind only (`check`).
    CheckOnly,
    /// A zip file, written through a temporary file and renamed into place on success, so
    /// that a failed run leaves nothing under the name.
    File(&'a Path),
    /// A zip streamed onto a writer that cannot seek (an HTTP body, a pipe).
    Stream(&'a mut dyn Write),
    /// A sink of the caller's.
    Sink(&'a mut dyn Sink),
}

/// The job could not be carried out and nothing was written (reading and validating
/// problems are in the report, never an error).
#[derive(Debug, Error)]
pub enum JobError {
    /// The output could not be opened.
    #[error(transparent)]
    Output(#[from] BundleError),
    /// Making the documents stopped: a template error, strict mode, or the output failed.
    #[error(transparent)]
    Documents(#[from] PipelineError),
}

/// One notice per organisation the documents of `kinds` name that the configuration does not
/// set: the setting to fill in and what prints meanwhile. Never a silent `××`.
pub fn issuer_notices(config: &Config, kinds: &[DocumentKind]) -> Vec<Problem> {
    let mut needed: Vec<(Issuer, Vec<&'static str>)> = Vec::new();
    for kind in kinds {
        for &issuer in kind.document().issuers() {
            match needed.iter_mut().find(|(i, _)| *i == issuer) {
                Some((_, labels)) => labels.push(kind.label()),
                None => needed.push((issuer, vec![kind.label()])),
            }
        }
    }
    needed
        .into_iter()
        .filter(|(issuer, _)| config.issuer(*issuer).is_none())
        .map(|(issuer, labels)| {
            let meanwhile = match issuer {
                Issuer::PartySchool => format!("落款暂印「{DEFAULT_ISSUER}」"),
                Issuer::OrganizationDepartment => "封面不印制表单位".to_string(),
            };
            Problem::warning(
                Location::Run,
                format!(
                    "未设置{}（dangjian.toml 的 {}，或 [organization] school 学校名称）：{}{}",
                    issuer.label(),
                    issuer.setting(),
                    labels.join("、"),
                    meanwhile
                ),
            )
        })
        .collect()
}

/// The kinds a job plans: those asked for; for a packet (`packet`) alone, every kind (a
/// packet holds every document of its student), with other kinds, those.
fn planned_kinds(documents: &[DocumentKind]) -> Vec<DocumentKind> {
    let kinds: Vec<DocumentKind> = documents
        .iter()
        .copied()
        .filter(|&k| k != DocumentKind::PACKET)
        .collect();
    if kinds.is_empty() && !documents.is_empty() {
        DocumentKind::ALL.to_vec()
    } else {
        kinds
    }
}

/// Runs a job on a shared engine: read and validate the inputs, plan the documents, and —
/// unless the output is [`Output::CheckOnly`] or the job is [`Blocked`] — make them into
/// the output, telling `progress` after each document. Several jobs may run at once on one
/// engine.
pub fn run(
    engine: &Engine,
    job: &Job,
    output: Output<'_>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Report, JobError> {
    let checking = matches!(output, Output::CheckOnly);
    if let Some((first, second)) = repeated_input(&job.inputs) {
        let blocked = Blocked::SameInputTwice {
            name: job.inputs[first].name.clone(),
            first: first + 1,
            second: second + 1,
        };
        return Ok(Report::new(&Dataset::default(), Some(blocked), None));
    }
    let mut ds = crate::model::load(&job.inputs, &job.config);
    let packets = !checking && job.documents.contains(&DocumentKind::PACKET);
    let (kinds, scope) = if checking {
        (DocumentKind::ALL.to_vec(), Scope::default())
    } else {
        (
            planned_kinds(&job.documents),
            Scope {
                year: job.year,
                gbk_names: job.name_encoding == NameEncoding::Gbk,
            },
        )
    };
    let mut plan = crate::plan::plan(&mut ds, &job.config, &kinds, &scope, &|t| {
        engine.missing_chars(t)
    });
    let volumes = if job.print && !checking {
        print_volumes(&plan, &ds, volume_documents)
    } else {
        Vec::new()
    };
    if packets {
        let (packed, notes) = crate::plan::packets(&plan, &ds);
        plan = packed;
        for note in notes {
            // A note the documents' planning already made for the row is not repeated.
            let repeated = note
                .location
                .row()
                .and_then(|r| ds.row_index(&r))
                .is_some_and(|i| {
                    ds.rows[i]
                        .problems
                        .iter()
                        .any(|p| p.message == note.message)
                });
            if !repeated {
                ds.attach(note);
            }
        }
    }
    plan.documents.extend(volumes);
    let noticed: Vec<DocumentKind> = kinds
        .iter()
        .copied()
        .chain(packets.then_some(DocumentKind::PACKET))
        .collect();
    ds.general
        .splice(0..0, issuer_notices(&job.config, &noticed));
    let blocked = match &plan.layout_error {
        Some(message) if !checking => Some(Blocked::Layout {
            message: message.clone(),
        }),
        _ => Blocked::find(&ds, job.strict && !checking),
    };
    if checking || blocked.is_some() {
        return Ok(Report::new(&ds, blocked, None));
    }

    let threads = job.thread_count();
    let pool = typst_pool(threads);
    let streaming = Streaming {
        threads,
        pool: pool.as_ref(),
        progress,
        strict: job.strict,
        max_pages: job.config.limits.pages_per_document,
        budget: job.config.limits.typeset_budget(),
        duplex: job.duplex,
    };
    let archive = ArchiveOptions {
        name_encoding: job.name_encoding,
        ..ArchiveOptions::default()
    };
    let outcome = match output {
        Output::CheckOnly => return Ok(Report::new(&ds, None, None)),
        Output::File(path) if job.split_bytes.is_some() => {
            let limit = job.split_bytes.unwrap_or(u64::MAX);
            let mut sink = SplitSink::new(path, limit, archive);
            make_documents(engine, &mut ds, &plan, &mut sink, &streaming)?
        }
        Output::File(path) => write_atomically(path, |file| -> Result<_, JobError> {
            let mut sink = ZipSink::new(file, archive)?;
            Ok(make_documents(
                engine, &mut ds, &plan, &mut sink, &streaming,
            )?)
        })?,
        Output::Stream(writer) => {
            let mut sink = ZipSink::streaming(writer, archive)?;
            make_documents(engine, &mut ds, &plan, &mut sink, &streaming)?
        }
        Output::Sink(sink) => make_documents(engine, &mut ds, &plan, sink, &streaming)?,
    };
    Ok(Report::new(&ds, None, Some(outcome)))
}
