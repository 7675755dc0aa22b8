//! Planning a run: which documents to make from the dataset, each with its archive path,
//! the input rows it comes from and the key of its template context — before anything is
//! typeset, so that problems (missing glyphs, duplicate numbers) are known up front and
//! `check` can report them too. Contexts themselves are built only when a document's turn
//! comes ([`Plan::context`]), so that a run holds the contexts of the documents in flight
//! only, however large the batch.

use crate::bundle::archive_path::ArchivePath;
use crate::bundle::gbk_encodable;
use crate::bundle::layout::{PathPattern, case_key, make_paths_unique};
use crate::config::Config;
use crate::documents::common::{LongFields, PrintedFields};
use crate::documents::{Formed, Key, Run};
use crate::model::certificate::{CertificatePlan, NotIssued, plan_certificates};
use crate::model::dataset::Dataset;
use crate::model::intern::Interner;
use crate::model::student::Student;
use crate::problem::{Location, Problem, RowRef};
use foldhash::{HashMap, HashMapExt};
use minijinja::value::Value;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;
use thin_vec::ThinVec;

mod joined;

pub use crate::bundle::layout::PATH_FIELDS;
pub use crate::documents::{DocumentKind, Scope};
pub use joined::{
    PRINT_FOLDER, PRINT_VOLUME_DOCUMENTS, PRINT_VOLUME_PAGES, packets, print_volumes,
    volume_documents,
};

/// One document to make.
#[derive(Debug, Clone)]
pub struct PlannedDocument {
    /// What kind of document.
    pub kind: DocumentKind,
    /// Its path inside the archive (its folder and name shared with the other documents,
    /// with the manifest and the report).
    pub path: ArchivePath,
    /// The 学号 of the student it is about (one copy shared by the student's documents).
    pub student: Arc<str>,
    /// The input rows it is made from: where its list is in [`Plan::rows`] (read with
    /// [`Plan::rows_of`]).
    pub rows: RowSpan,
    /// Which records its template context is built from.
    pub key: Key,
    /// When it was formed (形成时间), if known.
    pub formed: Option<Formed>,
    /// The documents joined into this one, in order: a packet's or a print volume's (empty
    /// for a single document; one pointer then).
    pub parts: ThinVec<PlannedDocument>,
}

/// Where one document's rows are in [`Plan::rows`]: every document's list lies in that one
/// array, so that a province's plan holds no allocation per document (each a page the
/// allocator could not give back).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowSpan {
    /// Index of its first row.
    start: u32,
    /// How many rows.
    len: u32,
}

impl RowSpan {
    /// Appends `rows` to `all` and returns where they are. A plan is bounded far below 2³²
    /// rows (the input's row limit times the documents a row makes).
    pub fn append(all: &mut Vec<u32>, rows: impl IntoIterator<Item = u32>) -> RowSpan {
        let start = all.len();
        all.extend(rows);
        RowSpan {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: u32::try_from(all.len() - start).unwrap_or(u32::MAX),
        }
    }

    /// Its rows in `all` (the array it was appended to).
    pub fn in_list(self, all: &[u32]) -> &[u32] {
        let start = self.start as usize;
        all.get(start..start + self.len as usize)
            .unwrap_or_default()
    }
}

/// Everything to make in a run, plus the rows that get no document by rule.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Documents in archive order (sorted by path).
    pub documents: Vec<PlannedDocument>,
    /// The input rows of every document, one list after another, as positions in the ledger
    /// ([`Dataset::ledger`]; the first of a list is the row its document belongs to). Four
    /// bytes a row, where a [`RowRef`] takes 24: a province's plan names hundreds of
    /// thousands of rows.
    pub rows: Vec<u32>,
    /// Rows that meet no rule for a document (not errors), with the reason.
    pub not_issued: Vec<NotIssued>,
    /// Valid rows this run leaves out by the user's choice (an appraisal of another year
    /// than `--year`), with the reason: listed as ignored in the manifest.
    pub left_out: Vec<NotIssued>,
    /// The configuration the contexts are built with (issuer, seal text …).
    pub config: Config,
    /// The user's choices the plan was made with.
    pub scope: Scope,
    /// The certificates issued in the run, with their numbers (certificates and registration
    /// forms print them; empty when neither kind is planned).
    pub certificates: CertificatePlan,
    /// The layout for a student whose 姓名 cannot be written in the archive's names (GBK):
    /// the pattern without {姓名}; `None` when names are UTF-8.
    pub gbk_fallback: Option<PathPattern>,
    /// Why the archive layout cannot be used: it would put documents of two students at one
    /// path. Nothing is made then.
    pub layout_error: Option<String>,
    /// The configured layout, parsed once (`None` in an empty plan).
    layout: Option<PathPattern>,
}

impl Plan {
    /// The archive path of a document of student `s` named `name` (文档名): the configured
    /// layout, or [`Plan::gbk_fallback`] for a 姓名 GBK cannot encode — then a note for the
    /// student's roster row is added to `notes`, once per student.
    fn path_of(
        &self,
        s: &Student,
        name: &str,
        year: Option<i32>,
        notes: &mut Vec<Problem>,
    ) -> String {
        let pattern = match (&self.gbk_fallback, &self.layout) {
            (Some(fallback), _) if !gbk_encodable(&s.name) => {
                let at = Location::Row(s.at.clone());
                if !notes.iter().any(|n| n.location == at) {
                    notes.push(Problem::warning(
                        at,
                        format!(
                            "姓名「{}」含有 GBK 编码无法表示的字，按 --gbk-names 压缩包内的文件夹和文件名改用学号 {}",
                            s.name, s.id
                        ),
                    ));
                }
                fallback
            }
            (_, Some(pattern)) => pattern,
            (_, None) => return format!("{}_{}/{name}.pdf", s.id, s.name),
        };
        expand_path(pattern, s, name, year)
    }

    /// The template context of one planned document, built from the dataset it was planned
    /// from; `None` when its records are no longer there.
    pub fn context(&self, ds: &Dataset, doc: &PlannedDocument) -> Option<Value> {
        doc.kind
            .document()
            .context(ds, &self.run(), &doc.student, doc.key)
    }

    /// The input rows of `doc` (a document of this plan), as positions in the ledger; the
    /// first is the row it belongs to.
    pub fn rows_of(&self, doc: &PlannedDocument) -> &[u32] {
        doc.rows.in_list(&self.rows)
    }

    /// What the documents' kinds read beside the dataset.
    fn run(&self) -> Run<'_> {
        Run {
            config: &self.config,
            scope: &self.scope,
            certificates: &self.certificates,
        }
    }
}

/// Plans the documents of the given kinds. Problems found while planning (duplicate
/// certificate numbers, characters no font has) are added to the dataset's rows.
/// `missing_chars` tells which characters of a text no font covers.
pub fn plan(
    ds: &mut Dataset,
    config: &Config,
    kinds: &[DocumentKind],
    scope: &Scope,
    missing_chars: &dyn Fn(&str) -> Vec<char>,
) -> Plan {
    let pattern = match PathPattern::parse(&config.output.path_pattern) {
        Ok(p) => p,
        Err(e) => {
            ds.general
                .push(Problem::error(Location::Run, e.to_string()));
            return Plan::default();
        }
    };
    // Numbered once for the whole run: certificates and registration forms print the numbers.
    let certificates = if kinds
        .iter()
        .any(|k| k.document().prints_certificate_numbers())
    {
        plan_certificates(ds, config)
    } else {
        CertificatePlan::default()
    };
    let mut out = Plan {
        config: config.clone(),
        scope: scope.clone(),
        gbk_fallback: scope
            .gbk_names
            .then(|| pattern.without_field("姓名", "学号")),
        layout: Some(pattern),
        ..Plan::default()
    };
    let mut name_notes: Vec<Problem> = Vec::new();
    let mut rule_problems: Vec<Problem> = Vec::new();
    let mut glyph_problems = Vec::new();
    let mut documents: Vec<(PlannedDocument, Vec<RowRef>, String)> = {
        let ds: &Dataset = ds;
        let mut candidates: Vec<Candidate<'_>> = Vec::new();
        // One copy of each 学号 for all of a student's documents.
        let mut ids = Interner::default();
        for &kind in kinds {
            // Each draft is reduced to a candidate as it is handed over, so that its printed
            // fields are dropped at once: planning never holds a kind's drafts.
            let run = Run {
                config,
                scope,
                certificates: &certificates,
            };
            let selection = kind.document().select(ds, &run, &mut |draft| {
                let mut rows = draft.rows;
                rows.shrink_to_fit();
                candidates.push(Candidate {
                    rows,
                    document: PlannedDocument {
                        kind,
                        path: ArchivePath::default(),
                        student: ids.get(&draft.student.id),
                        rows: RowSpan::default(),
                        key: draft.key,
                        formed: draft.formed,
                        parts: ThinVec::new(),
                    },
                    student: draft.student,
                    missing: missing_glyphs(&draft.printed, &draft.long, missing_chars),
                    name: draft.name,
                    year: draft.year,
                });
            });
            rule_problems.extend(selection.problems);
            out.not_issued.extend(selection.not_issued);
            out.left_out.extend(selection.left_out);
        }
        // Rows refused by an error: those already found, and those the rules just found.
        let mut refused: BTreeSet<RowRef> = ds
            .ledger
            .iter()
            .filter(|r| r.refused())
            .map(|r| r.at.clone())
            .collect();
        refused.extend(
            rule_problems
                .iter()
                .filter(|p| p.is_error())
                .filter_map(|p| p.location.row()),
        );
        let mut reported: BTreeSet<(String, &'static str, &'static str, char)> = BTreeSet::new();
        // Collected in place: the candidates' memory holds the documents.
        candidates
            .into_iter()
            .filter_map(|c| {
                let doc = c.document;
                // Only an error in the row the document belongs to refuses it; an error in
                // another row it uses (a bad family row) just leaves that row out.
                if refused.contains(&c.rows[0]) {
                    return None;
                }
                // A character no font has would print as an empty box: the document is
                // refused, with the student, field and code point.
                if !c.missing.is_empty() {
                    glyph_problems.extend(glyph_errors(
                        doc.kind.label(),
                        c.student,
                        &c.rows[0],
                        &c.missing,
                        &mut reported,
                    ));
                    return None;
                }
                let path = out.path_of(c.student, &c.name, c.year, &mut name_notes);
                Some((doc, c.rows, path))
            })
            .collect()
    };
    for p in rule_problems
        .into_iter()
        .chain(glyph_problems)
        .chain(name_notes)
    {
        ds.attach(p);
    }
    out.layout_error = collision(
        &config.output.path_pattern,
        documents.iter().map(|(d, _, p)| (&*d.student, p.as_str())),
        ds,
    );
    // Stable archive order: by path, then by source row; colliding paths of one student's
    // documents (several certificates) get （2）, （3）.
    documents.sort_by(|a, b| (&a.2, &a.1).cmp(&(&b.2, &b.1)));
    let mut paths: Vec<String> = documents
        .iter_mut()
        .map(|(_, _, path)| std::mem::take(path))
        .collect();
    make_paths_unique(&mut paths);
    let mut texts = Interner::default();
    let mut all_rows = Vec::with_capacity(documents.iter().map(|(_, rows, _)| rows.len()).sum());
    out.documents = documents
        .into_iter()
        .zip(paths)
        .map(|((doc, rows, _), path)| PlannedDocument {
            path: ArchivePath::shared(&path, &mut |t| texts.get(t)),
            rows: RowSpan::append(&mut all_rows, ds.ledger_positions(&rows)),
            ..doc
        })
        .collect();
    all_rows.shrink_to_fit();
    out.rows = all_rows;
    // Collected in place twice: give back what the candidates needed beyond the documents.
    out.documents.shrink_to_fit();
    // The contexts need the numbers only; what was set aside is in the plan already.
    out.certificates = certificates.numbers_only();
    out
}

/// Why the layout `pattern` cannot be used, if it puts documents of two students at one path
/// (compared ignoring letter case, as Windows and macOS do): the first such path, with both
/// students. Documents of one student at one path are told apart by （2）, （3）.
fn collision<'a>(
    pattern: &str,
    documents: impl Iterator<Item = (&'a str, &'a str)>,
    ds: &Dataset,
) -> Option<String> {
    let mut owner: HashMap<Cow<'_, str>, &str> = HashMap::new();
    for (student, path) in documents {
        let first = *owner.entry(case_key(path)).or_insert(student);
        if first != student {
            let who = |id: &str| match ds.students.get(id) {
                Some(s) => format!("学号 {} 姓名 {}", s.id, s.name),
                None => format!("学号 {id}"),
            };
            return Some(format!(
                "输出路径模式「{pattern}」会把 {} 与 {} 的文书放到同一路径 {path}；请在模式中加入 {{学号}} 等能区分学生的字段",
                who(first),
                who(student)
            ));
        }
    }
    None
}

/// The archive path of one document of student `s` named `name` (文档名).
fn expand_path(pattern: &PathPattern, s: &Student, name: &str, year: Option<i32>) -> String {
    let year = year.map(|y| y.to_string()).unwrap_or_default();
    pattern
        .expand_by(
            |field| path_field(s, name, &year, field),
            PATH_FIELDS.iter().copied(),
        )
        .unwrap_or_else(|_| format!("{}_{}/{name}.pdf", s.id, s.name))
}

/// The value of one of the [`PATH_FIELDS`] for a document of student `s` named `name` in
/// `year` (empty when it has none); `None` for another field.
fn path_field<'a>(s: &'a Student, name: &'a str, year: &'a str, field: &str) -> Option<&'a str> {
    Some(match field {
        "学院" => &s.college,
        "党支部" => &s.branch,
        "班级" => s.class.as_deref().unwrap_or_default(),
        "学号" => &s.id,
        "姓名" => &s.name,
        "专业" => s.major.as_deref().unwrap_or_default(),
        "文档名" | "文档" => name,
        "年度" => year,
        _ => return None,
    })
}

/// A draft reduced to what planning needs once its kind's selection (and the printed fields
/// it borrows) is dropped: the document it becomes (its path not yet set), and what its path
/// and its glyph check need. At least as large as a document with its path, so that the
/// documents are collected in the candidates' memory.
struct Candidate<'a> {
    /// The document, its path and rows empty.
    document: PlannedDocument,
    /// The input rows it is made from (the first is the row it belongs to).
    rows: Vec<RowRef>,
    /// The student it is about.
    student: &'a Student,
    /// 文档名.
    name: String,
    /// 年度, if any.
    year: Option<i32>,
    /// The characters of its printed fields that no font has, with their field, in order.
    missing: Vec<(&'static str, char)>,
}

// The documents are collected in the candidates' memory only if a candidate is at least as
// large as a document with its path (see `plan`).
const _: () = assert!(
    std::mem::size_of::<Candidate<'static>>()
        >= std::mem::size_of::<(PlannedDocument, Vec<RowRef>, String)>()
);

/// The characters of a document's printed fields that no font has, with their field.
fn missing_glyphs(
    printed: &PrintedFields<'_>,
    long: &LongFields<'_>,
    missing_chars: &dyn Fn(&str) -> Vec<char>,
) -> Vec<(&'static str, char)> {
    let mut missing: Vec<(&'static str, char)> = printed
        .iter()
        .flat_map(|(field, value)| missing_chars(value).into_iter().map(move |c| (*field, c)))
        .collect();
    // A long text is read back from disk here, one at a time (one that cannot be read
    // refuses its document when the form is made).
    for (field, text) in long {
        if let Some(text) = text.get() {
            missing.extend(missing_chars(&text).into_iter().map(|c| (*field, c)));
        }
    }
    missing
}

/// Errors for characters of the printed fields of one document (`label`) that no font has:
/// they would print as an empty box, so the document is refused. Each (student, document,
/// field, character) is reported once.
fn glyph_errors(
    label: &'static str,
    student: &Student,
    row: &RowRef,
    missing: &[(&'static str, char)],
    reported: &mut BTreeSet<(String, &'static str, &'static str, char)>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for &(field, c) in missing {
        if !reported.insert((student.id.clone(), label, field, c)) {
            continue;
        }
        let kind = if ('\u{E000}'..='\u{F8FF}').contains(&c) {
            "（私用区字符，多为 Windows 造字程序所造）"
        } else {
            ""
        };
        problems.push(
            Problem::error(
                Location::Row(row.clone()),
                format!(
                    "学号 {} 姓名 {} 的「{field}」含有字体中没有的字符「{c}」(U+{:04X}){kind}，会印成空白方框，{label}未生成；请改用规范汉字，或用 --font-path 提供含该字的字体",
                    student.id, student.name, c as u32
                ),
            )
            .with_column(field),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_planned_document_stays_small() {
        // A province's plan holds some hundred thousand of them for the whole run: the kind
        // is a byte, the rows a span of the plan's one list, the parts one pointer, the
        // formation date eight bytes.
        assert_eq!(std::mem::size_of::<Option<Formed>>(), 8);
        assert_eq!(std::mem::size_of::<RowSpan>(), 8);
        assert!(std::mem::size_of::<PlannedDocument>() <= 96);
    }

    #[test]
    fn a_key_is_a_few_numbers_inside_the_document() {
        // No allocation per key: the largest (a talk) is three numbers and a tag.
        assert_eq!(std::mem::size_of::<Key>(), 16);
        assert!(!std::mem::needs_drop::<Key>());
    }
}
