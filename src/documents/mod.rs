//! The documents the tool makes, one module per kind. Each kind implements [`Document`]: its
//! id and Chinese name, its built-in template, which records make a document ([`Draft`]s),
//! the template context of one document and the data fields it prints. Everything else —
//! the list of kinds, the built-in template table, the help text, parsing `all`/`全部` —
//! comes from [`DocumentKind::ALL`], so adding a kind is one module, one template and one
//! line in that list.
//!
//! This stage sits between the model and the plan: it reads the validated [`Dataset`] and
//! the [`Config`], and knows nothing of paths, typesetting or archives.

pub mod activist_registration;
pub mod annual_appraisal;
pub mod certificate;
pub mod common;
pub mod format;
pub mod packet;
pub mod political_review;
pub mod talk_record;

use crate::config::{Config, Issuer};
use crate::model::certificate::{CertificatePlan, NotIssued};
use crate::model::dataset::Dataset;
use crate::model::student::Student;
use crate::problem::{Problem, RowRef};
use common::{LongFields, PrintedFields};
use minijinja::value::Value;
use std::fmt;

use thiserror::Error;

/// A built-in template: the file name a `--templates` directory overrides it with, and its
/// source (compiled into the binary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// File name, `<id>.typ.j2`.
    pub name: &'static str,
    /// minijinja source producing typst markup.
    pub source: &'static str,
}

/// Which records one document's template context is built from, read back by its kind in
/// [`Document::context`]: a plan holds keys, never contexts (a context exists only while its
/// document is being made). A few numbers, the same size for every kind and stored inside the
/// planned document: a province's plan holds no allocation per key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Key {
    /// The document's student alone (an activist registration), or the parts joined into it
    /// (a packet, a print volume).
    #[default]
    Student,
    /// One record, by its index in its table: the course result of a certificate
    /// ([`Dataset::trainings`]), a political review, an annual appraisal.
    Record(u32),
    /// A talk (its index in [`Dataset::talks`]) and its number among the student's `count`
    /// talks (1-based, by date).
    Talk {
        /// Index in [`Dataset::talks`].
        talk: u32,
        /// Its number among the student's talks.
        number: u32,
        /// How many talks the student has.
        count: u32,
    },
}

impl Key {
    /// The key of the record at `index` of its table. Tables are bounded far below 2³² rows
    /// (the row limit), so the index always fits.
    pub fn record(index: usize) -> Key {
        Key::Record(u32::try_from(index).unwrap_or(u32::MAX))
    }
}

/// What a kind reads beside the dataset, the same for every document of a run: the
/// settings, the user's choices, and the certificates numbered once for the whole run
/// (certificates and registration forms print their numbers).
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// The run's configuration (issuers, seal text, rules).
    pub config: &'a Config,
    /// The user's choices (`--year`, `--gbk-names`).
    pub scope: &'a Scope,
    /// The certificates issued in this run, with their numbers.
    pub certificates: &'a CertificatePlan,
}

/// Choices that narrow what a run makes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Only this year's annual appraisals (`--year`).
    pub year: Option<i32>,
    /// Archive names will be GBK (`--gbk-names`): a student whose 姓名 GBK cannot encode is
    /// filed under the 学号 alone.
    pub gbk_names: bool,
}

/// One document the data calls for, before its archive path is fixed.
#[derive(Debug, Clone)]
pub struct Draft<'a> {
    /// The student it is about.
    pub student: &'a Student,
    /// The input rows it is made from (the first is the row it belongs to: an error there
    /// refuses the document).
    pub rows: Vec<RowRef>,
    /// Which records its template context is built from.
    pub key: Key,
    /// The data fields it prints, for the glyph check.
    pub printed: PrintedFields<'a>,
    /// The long free texts it prints, for the glyph check (read back one at a time).
    pub long: LongFields<'a>,
    /// The file name without extension (文档名), e.g. 谈心谈话记录_01_2025-03-01.
    pub name: String,
    /// The year it concerns (年度 in the path pattern), if any.
    pub year: Option<i32>,
    /// When the material was formed (形成时间 in a packet's 卷内目录), if known.
    pub formed: Option<Formed>,
}

/// When a material was formed (形成时间 of the 卷内目录): a year, with its month and day
/// when known. Ordered chronologically; a year alone sorts before the dates of that year.
/// Eight bytes (month and day as bytes): every planned document has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Formed {
    /// 年.
    pub year: i32,
    /// 月, if known.
    pub month: Option<u8>,
    /// 日, if known.
    pub day: Option<u8>,
}

impl Formed {
    /// A year alone (an annual appraisal).
    pub fn year(year: i32) -> Formed {
        Formed {
            year,
            month: None,
            day: None,
        }
    }
}

impl From<crate::model::value::PartialDate> for Formed {
    fn from(d: crate::model::value::PartialDate) -> Formed {
        Formed {
            year: d.year(),
            month: u8::try_from(d.month()).ok(),
            day: d.day().and_then(|day| u8::try_from(day).ok()),
        }
    }
}

/// What one kind sets aside while it hands its drafts to the planner (see
/// [`Document::select`]): the rows it makes nothing of with the reason, so that the manifest
/// can say what became of every row, and the problems its rules found.
#[derive(Debug, Default)]
pub struct Selection {
    /// Rows that meet no rule for a document (not data errors): refused in the manifest.
    pub not_issued: Vec<NotIssued>,
    /// Valid rows this run leaves out by the user's choice (`--year`): ignored in the manifest.
    pub left_out: Vec<NotIssued>,
    /// Data errors the kind's rules found (a duplicate certificate number): they refuse rows.
    pub problems: Vec<Problem>,
}

/// One kind of document.
pub trait Document: Send + Sync + 'static {
    /// The id used on the command line and in the HTTP API, e.g. `certificate`.
    fn id(&self) -> &'static str;
    /// The Chinese name, used as the file name (`党校结业证书.pdf`) and in messages.
    fn label(&self) -> &'static str;
    /// What one document is made from, for the help text and the document list, e.g.
    /// `考核合格的党校成绩行`.
    fn made_from(&self) -> &'static str;
    /// The built-in template.
    fn template(&self) -> Template;
    /// The pages one document usually has, to size the volumes of a print run.
    fn typical_pages(&self) -> usize {
        2
    }
    /// Whether its documents print certificate numbers: the run then numbers the certificates
    /// once before any kind selects (see [`Run::certificates`]).
    fn prints_certificate_numbers(&self) -> bool {
        false
    }
    /// The organisations it names, from the configuration (a run notes those not set).
    fn issuers(&self) -> &'static [Issuer] {
        &[]
    }
    /// The documents the dataset calls for, handed to `drafts` one at a time in a stable
    /// order (so that planning reduces each at once and never holds a kind's drafts with the
    /// printed fields they borrow), and the rows set aside.
    fn select<'a>(
        &self,
        ds: &'a Dataset,
        run: &Run<'_>,
        drafts: &mut dyn FnMut(Draft<'a>),
    ) -> Selection;
    /// The template context of the document of `student` (学号) that `key` names (a key of
    /// this kind's drafts); `None` when its records are not in the dataset.
    fn context(&self, ds: &Dataset, run: &Run<'_>, student: &str, key: Key) -> Option<Value>;
}

/// Every kind's implementation, by the number a [`DocumentKind`] holds (the order of
/// [`DocumentKind::ALL`], then the packet).
const IMPLEMENTATIONS: [&dyn Document; 6] = [
    &certificate::Certificate,
    &activist_registration::ActivistRegistration,
    &talk_record::TalkRecord,
    &political_review::PoliticalReview,
    &annual_appraisal::AnnualAppraisal,
    &packet::Packet,
];

/// A document kind: a handle on its [`Document`] implementation, one byte (every planned
/// document has one), compared and ordered by its place in [`DocumentKind::ALL`] (the packet
/// last), serialised as its id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentKind(u8);

impl DocumentKind {
    /// 党校结业证书: one per training row that passed.
    pub const CERTIFICATE: DocumentKind = DocumentKind(0);
    /// 入党积极分子登记表: one per roster student at stage ≥ 入党积极分子.
    pub const ACTIVIST_REGISTRATION: DocumentKind = DocumentKind(1);
    /// 谈心谈话记录: one per talk row.
    pub const TALK_RECORD: DocumentKind = DocumentKind(2);
    /// 发展对象政治审查表: one per review row.
    pub const POLITICAL_REVIEW: DocumentKind = DocumentKind(3);
    /// 年度民主评议表: one per appraisal row.
    pub const ANNUAL_APPRAISAL: DocumentKind = DocumentKind(4);

    /// 个人档案: one filing packet per roster student, every document of the student behind a
    /// cover and a 卷内目录 (not in [`DocumentKind::ALL`]: it is made of the others).
    pub const PACKET: DocumentKind = DocumentKind(5);

    /// Every document kind, in the order `render all` makes them and the help lists them.
    pub const ALL: &'static [DocumentKind] = &[
        DocumentKind::CERTIFICATE,
        DocumentKind::ACTIVIST_REGISTRATION,
        DocumentKind::TALK_RECORD,
        DocumentKind::POLITICAL_REVIEW,
        DocumentKind::ANNUAL_APPRAISAL,
    ];

    /// The implementation.
    pub fn document(self) -> &'static dyn Document {
        IMPLEMENTATIONS[usize::from(self.0)]
    }

    /// The id used on the command line and in the HTTP API, e.g. `certificate`.
    pub fn id(self) -> &'static str {
        self.document().id()
    }

    /// The Chinese name, used as the file name (`党校结业证书.pdf`).
    pub fn label(self) -> &'static str {
        self.document().label()
    }

    /// The file name of its template: `<id>.typ.j2`.
    pub fn template(self) -> &'static str {
        self.document().template().name
    }

    /// The kind with this id (or Chinese name), if any; [`DocumentKind::PACKET`] included.
    pub fn from_id(id: &str) -> Option<DocumentKind> {
        Self::ALL
            .iter()
            .copied()
            .chain([DocumentKind::PACKET])
            .find(|k| k.id() == id || k.label() == id)
    }
}

impl fmt::Debug for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentKind({})", self.id())
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl serde::Serialize for DocumentKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// The typst modules every built-in template may import (`#import "/form.typ": *`), file name →
/// source, compiled into the binary; a `--templates` directory overrides them by name.
pub const SUPPORT_FILES: &[(&str, &str)] =
    &[("form.typ", include_str!("../../templates/form.typ"))];

/// The built-in templates, file name → source, one per kind (the packet's cover included).
pub fn builtin_templates() -> impl Iterator<Item = Template> {
    DocumentKind::ALL
        .iter()
        .chain([&DocumentKind::PACKET])
        .map(|k| k.document().template())
}

/// The words that ask for every kind on the command line and in the API.
pub const ALL_WORDS: [&str; 2] = ["all", "全部"];

/// A document id that names no kind.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("不认识的文书「{id}」；可用的有：{}，或 all", known_kinds())]
pub struct UnknownDocument {
    /// The id given.
    pub id: String,
}

/// `id（名称）` of every kind, joined with 、.
fn known_kinds() -> String {
    DocumentKind::ALL
        .iter()
        .map(|k| format!("{}（{}）", k.id(), k.label()))
        .collect::<Vec<_>>()
        .join("、")
}

/// The kinds named by ids or Chinese names, in the order given, each once; `all` or `全部`
/// anywhere means every kind.
pub fn parse_kinds<S: AsRef<str>>(ids: &[S]) -> Result<Vec<DocumentKind>, UnknownDocument> {
    let mut kinds = Vec::new();
    for id in ids {
        let id = id.as_ref().trim();
        if ALL_WORDS.contains(&id) {
            return Ok(DocumentKind::ALL.to_vec());
        }
        let kind = DocumentKind::from_id(id).ok_or_else(|| UnknownDocument { id: id.into() })?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

/// The list of documents for the command line's help: `id 名称（每份对应…）` per line.
pub fn help_text() -> String {
    let mut out = String::from("文书 (documents):\n");
    for k in DocumentKind::ALL {
        out.push_str(&format!(
            "  {:<22} {}（每份对应{}）\n",
            k.id(),
            k.label(),
            k.document().made_from()
        ));
    }
    out.push_str(&format!("  {:<22} 全部文书\n", ALL_WORDS[0]));
    let packet = DocumentKind::PACKET;
    out.push_str(&format!(
        "  {:<22} {}（每份对应{}）\n",
        packet.id(),
        packet.label(),
        packet.document().made_from()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_round_trip() {
        for &k in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_id(k.id()), Some(k));
            assert_eq!(DocumentKind::from_id(k.label()), Some(k));
            assert_eq!(k.template(), format!("{}.typ.j2", k.id()));
        }
        assert_eq!(DocumentKind::from_id("diploma"), None);
    }

    #[test]
    fn each_kind_is_its_own_implementation_and_they_sort_in_the_order_of_all() {
        let ids: Vec<&str> = DocumentKind::ALL.iter().map(|k| k.id()).collect();
        assert_eq!(
            ids,
            [
                "certificate",
                "activist-registration",
                "talk-record",
                "political-review",
                "annual-appraisal"
            ]
        );
        assert_eq!(DocumentKind::PACKET.id(), "packet");
        let mut sorted = DocumentKind::ALL.to_vec();
        sorted.push(DocumentKind::PACKET);
        sorted.reverse();
        sorted.sort();
        assert_eq!(sorted[..5], *DocumentKind::ALL);
        assert_eq!(sorted[5], DocumentKind::PACKET);
        assert_eq!(std::mem::size_of::<DocumentKind>(), 1);
    }

    #[test]
    fn kinds_order_as_listed() {
        let mut sorted = DocumentKind::ALL.to_vec();
        sorted.reverse();
        sorted.sort();
        assert_eq!(sorted, DocumentKind::ALL);
    }

    #[test]
    fn kinds_parse_with_all_and_chinese_names() {
        assert_eq!(parse_kinds(&["all"]).unwrap(), DocumentKind::ALL);
        assert_eq!(
            parse_kinds(&["talk-record", "全部"]).unwrap(),
            DocumentKind::ALL
        );
        assert_eq!(
            parse_kinds(&["谈心谈话记录", "certificate", "talk-record"]).unwrap(),
            vec![DocumentKind::TALK_RECORD, DocumentKind::CERTIFICATE]
        );
        let err = parse_kinds(&["diploma"]).unwrap_err().to_string();
        assert!(err.starts_with("不认识的文书「diploma」"), "{err}");
        assert!(err.contains("certificate（党校结业证书）"), "{err}");
    }

    #[test]
    fn the_help_lists_every_kind() {
        let help = help_text();
        for k in DocumentKind::ALL {
            assert!(help.contains(k.id()) && help.contains(k.label()), "{help}");
        }
    }
}
