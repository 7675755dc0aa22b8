//! The answer of a job: what was read, every problem, every document made, every manifest
//! line, and whether the job could be done at all — typed and serialisable, so that the
//! command line prints it and the HTTP service sends it as JSON without rebuilding it.

use crate::bundle::manifest::{ManifestLine, Status};
use crate::model::dataset::Dataset;
use crate::pipeline::{FailedDocument, MadeDocument, Outcome, made_documents};
use crate::plan::Plan;
use crate::problem::{Location, Problem, Severity};
use crate::read::SheetKind;
use serde::Serialize;
use std::collections::BTreeMap;
use thiserror::Error;

/// Why nothing can be made from the inputs; nothing is written then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Error)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Blocked {
    /// Some input files could not be read at all.
    #[error("无法读取 {}，未生成任何文件", files.join("、"))]
    Unreadable {
        /// Their names.
        files: Vec<String>,
    },
    /// No roster sheet with data: no row of another sheet can be checked.
    #[error(
        "没有找到含数据的花名册（工作表名含 花名册/名单/名册/基本信息，或表头含 学号、姓名、性别、出生日期、学院、党支部），无法核对学生信息"
    )]
    NoRoster,
    /// The same file was given twice: its rows would all be read twice.
    #[error("同一个数据文件给了两次：第 {first} 个和第 {second} 个（{name}），请只给一次")]
    SameInputTwice {
        /// Its name.
        name: String,
        /// Its first position, from 1.
        first: usize,
        /// Its second position, from 1.
        second: usize,
    },
    /// The archive layout would put documents of two students at one path.
    #[error("{message}，未生成任何文件")]
    Layout {
        /// Which path and students.
        message: String,
    },
    /// Strict mode and the data has errors.
    #[error("严格模式：发现 {errors} 个错误，未生成压缩包")]
    Strict {
        /// How many errors.
        errors: usize,
    },
}

impl Blocked {
    /// Why nothing can be made of this dataset, if so; `strict` also blocks on any error.
    pub fn find(ds: &Dataset, strict: bool) -> Option<Blocked> {
        let unreadable: Vec<String> = ds
            .general
            .iter()
            .filter(|p| p.is_error() && matches!(p.location, Location::File(_)))
            .map(|p| p.location.to_string())
            .collect();
        if !unreadable.is_empty() {
            return Some(Blocked::Unreadable { files: unreadable });
        }
        if !ds.has_roster {
            return Some(Blocked::NoRoster);
        }
        let errors = ds.count(Severity::Error);
        if strict && errors > 0 {
            return Some(Blocked::Strict { errors });
        }
        None
    }
}

/// One input file read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRead {
    /// The file's name.
    pub name: String,
    /// The format it was read as: `xlsx`, `csv（GBK）` …
    pub format: String,
}

/// Data rows of one sheet kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetRows {
    /// The sheet kind's Chinese name, e.g. 花名册.
    pub kind: &'static str,
    /// How many data rows.
    pub rows: usize,
}

/// What the rows of the inputs were.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    /// Data rows per sheet kind, in the kinds' order.
    pub data: Vec<SheetRows>,
    /// Data rows of sheets of no known kind.
    pub unrecognised: usize,
    /// Rows set aside as no data: titles, headers, footers …
    pub set_aside: usize,
    /// Completely blank rows skipped.
    pub blank: u64,
}

/// Everything a job found and made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The input files read, with their formats.
    pub files: Vec<FileRead>,
    /// What the rows were.
    pub rows: RowCounts,
    /// Number of errors (each refuses its row's documents).
    pub errors: usize,
    /// Number of warnings (the documents are still made).
    pub warnings: usize,
    /// Rows refused because of an error.
    pub refused_rows: usize,
    /// Every problem: those of no single row first, then each row's, in input order.
    pub problems: Vec<Problem>,
    /// Documents made, in archive order (empty for a check or a blocked job).
    pub documents: Vec<MadeDocument>,
    /// Documents that could not be made.
    pub failed: Vec<FailedDocument>,
    /// The manifest lines of rows that made no document — refused, left out by a choice
    /// (`--year`), set aside by the reader — and the run's notes, as in 清单.csv (empty when
    /// nothing was made). Valid rows the kinds asked for do not use are left to 清单.csv,
    /// which has every line.
    pub not_made: Vec<ManifestLine>,
    /// How many lines 清单.csv has: one per input row, and the notes (0 when nothing was
    /// made).
    pub manifest_lines: usize,
    /// Why nothing could be made, if so.
    pub blocked: Option<Blocked>,
}

impl Report {
    /// The report of a dataset after planning, and of the documents made, if any.
    pub(crate) fn new(
        ds: &Dataset,
        blocked: Option<Blocked>,
        outcome: Option<(Outcome, Plan)>,
    ) -> Self {
        let (outcome, documents) = match outcome {
            Some((outcome, plan)) => {
                let made = made_documents(plan.documents, &outcome.made);
                (outcome, made)
            }
            None => (Outcome::default(), Vec::new()),
        };
        Report {
            files: ds
                .formats
                .iter()
                .map(|(name, format)| FileRead {
                    name: name.clone(),
                    format: format.clone(),
                })
                .collect(),
            rows: row_counts(ds),
            errors: ds.count(Severity::Error),
            warnings: ds.count(Severity::Warning),
            refused_rows: (0..ds.ledger.len())
                .filter(|&i| ds.ledger.refused(i))
                .count(),
            problems: ds.problems().cloned().collect(),
            documents,
            failed: outcome.failed,
            not_made: outcome.not_made,
            manifest_lines: outcome.manifest_lines,
            blocked,
        }
    }

    /// The exit code of the command line: 0 all fine; 1 rows refused (documents were still
    /// made for the others); 2 nothing could be done.
    pub fn exit_code(&self) -> u8 {
        if self.blocked.is_some() {
            2
        } else if self.errors > 0 {
            1
        } else {
            0
        }
    }

    /// The manifest lines of refused rows.
    pub fn refused(&self) -> impl Iterator<Item = &ManifestLine> {
        self.not_made
            .iter()
            .filter(|line| line.status == Status::Refused)
    }

    /// Documents and pages made per kind, by Chinese name; print volumes as 打印合订本.
    pub fn made_per_kind(&self) -> BTreeMap<&'static str, (usize, usize)> {
        let mut per_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for made in &self.documents {
            // The volumes of a print run are counted apart from the documents they join.
            let printed = made.path.folder() == crate::plan::PRINT_FOLDER;
            let label = if printed {
                "打印合订本"
            } else {
                made.kind.label()
            };
            let entry = per_kind.entry(label).or_default();
            entry.0 += 1;
            entry.1 += made.pages;
        }
        per_kind
    }

    /// The problems of a severity, in report order.
    pub fn problems_of(&self, severity: Severity) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(move |p| p.severity == severity)
    }
}

/// Data rows per sheet kind, rows of unknown sheets, set-aside and blank rows.
fn row_counts(ds: &Dataset) -> RowCounts {
    let mut per_kind: BTreeMap<SheetKind, usize> = BTreeMap::new();
    let mut counts = RowCounts {
        blank: ds.blank_rows,
        ..RowCounts::default()
    };
    for r in ds.ledger.iter() {
        match (&r.ignored, r.kind) {
            (Some(_), _) => counts.set_aside += 1,
            (None, Some(k)) => *per_kind.entry(k).or_default() += 1,
            (None, None) => counts.unrecognised += 1,
        }
    }
    counts.data = per_kind
        .into_iter()
        .map(|(kind, rows)| SheetRows {
            kind: kind.label(),
            rows,
        })
        .collect();
    counts
}
