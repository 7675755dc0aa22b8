//! 个人档案 (`packet`): one filing packet (归档) per roster student — a cover (个人党建档案 ·
//! 入党材料, the student and the dates of the stages reached), a 卷内目录, then every document
//! of the student in the filing order of FORMS.md §6D. This module knows the order and the
//! template context of the cover and the 目录; the documents themselves are joined behind
//! them by the pipeline, in one typst compile, and the 目录's page counts are computed by
//! typst from the joined document.

use crate::config::{Config, Issuer};
use crate::documents::common::StudentContext;
use crate::documents::format::date_cn;
use crate::documents::{Document, DocumentKind, Draft, Formed, Key, Run, Selection, Template};
use crate::model::dataset::Dataset;
use minijinja::value::Value;
use serde::Serialize;

/// The 个人档案 kind.
pub struct Packet;

/// The template of the cover and the 卷内目录.
const TEMPLATE: Template = Template {
    name: "packet.typ.j2",
    source: include_str!("../../templates/packet.typ.j2"),
};

/// The file name (文档名) of a packet in the archive.
pub const PACKET_NAME: &str = "个人档案";

/// The order in which a packet holds the kinds (FORMS.md §6D: 入党申请人谈话记录 → 入党积极分子
/// 培养考察登记表 → 党校结业证书 → 政治审查材料 → 民主评议党员登记表); within a kind, by 形成时间.
pub const FILING_ORDER: [DocumentKind; 5] = [
    DocumentKind::TALK_RECORD,
    DocumentKind::ACTIVIST_REGISTRATION,
    DocumentKind::CERTIFICATE,
    DocumentKind::POLITICAL_REVIEW,
    DocumentKind::ANNUAL_APPRAISAL,
];

/// The place of `kind` in [`FILING_ORDER`] (a kind not listed goes last).
pub fn filing_rank(kind: DocumentKind) -> usize {
    FILING_ORDER
        .iter()
        .position(|&k| k == kind)
        .unwrap_or(FILING_ORDER.len())
}

impl Document for Packet {
    fn id(&self) -> &'static str {
        "packet"
    }

    fn label(&self) -> &'static str {
        PACKET_NAME
    }

    fn made_from(&self) -> &'static str {
        "花名册中的每名学生：封面、卷内目录和该生全部文书，按归档顺序合为一个 PDF"
    }

    fn template(&self) -> Template {
        TEMPLATE
    }

    fn issuers(&self) -> &'static [Issuer] {
        &[Issuer::OrganizationDepartment]
    }

    /// Packets are made of the other kinds' documents: the pipeline groups them.
    fn select<'a>(&self, _: &'a Dataset, _: &Run<'_>, _: &mut dyn FnMut(Draft<'a>)) -> Selection {
        Selection::default()
    }

    /// The cover's context needs the packet's items: see [`cover_context`].
    fn context(&self, _: &Dataset, _: &Run<'_>, _: &str, _: Key) -> Option<Value> {
        None
    }
}

/// One line of the 卷内目录: a document of the packet (its page count is typst's).
#[derive(Debug, Clone, Serialize)]
pub struct TocItem {
    /// 材料名称, e.g. 谈心谈话记录（2024年4月15日）.
    pub title: String,
    /// 形成时间, if known.
    pub formed: Option<Formed>,
    /// 备注, e.g. 复印件.
    pub note: String,
}

/// A stage the student has reached, with its date as printed.
#[derive(Debug, Serialize)]
struct StageLine {
    /// 申请入党 …
    label: &'static str,
    /// The date, or empty.
    date: String,
}

/// What the packet template receives.
#[derive(Debug, Serialize)]
struct CoverContext<'a> {
    /// The student.
    student: StudentContext<'a>,
    /// The stages and their dates, those with a date only.
    stages: Vec<StageLine>,
    /// The 目录 lines, in packet order.
    items: &'a [TocItem],
    /// The imprint (`中共××大学委员会组织部制`), empty when not configured.
    imprint: String,
}

/// The context of a packet's cover and 目录 for the student `id`; `None` when the student is
/// not in the dataset.
pub fn cover_context(ds: &Dataset, config: &Config, id: &str, items: &[TocItem]) -> Option<Value> {
    let s = ds.students.get(id)?;
    let stages = [
        ("申请入党", s.applied),
        ("确定为入党积极分子", s.activist_since),
        ("确定为发展对象", s.candidate_since),
        ("接收为预备党员", s.probationary_since),
        ("转为正式党员", s.full_member_since),
    ]
    .into_iter()
    .filter_map(|(label, date)| {
        Some(StageLine {
            label,
            date: date_cn(date?),
        })
    })
    .collect();
    Some(Value::from(minijinja::value::Serde(&CoverContext {
        student: StudentContext::of(s),
        stages,
        items,
        imprint: config
            .issuer(Issuer::OrganizationDepartment)
            .map(|o| format!("{o}制"))
            .unwrap_or_default(),
    })))
}

/// The 材料名称 of a document in the 目录: its kind's name, with the year of an annual
/// appraisal and the date of a talk (a packet may hold several of each).
pub fn toc_title(kind: DocumentKind, formed: Option<Formed>) -> String {
    match (kind, formed) {
        (k, Some(f)) if k == DocumentKind::ANNUAL_APPRAISAL => {
            format!("{}（{}年度）", k.label(), f.year)
        }
        (k, Some(f)) if k == DocumentKind::TALK_RECORD => match (f.month, f.day) {
            (Some(m), Some(d)) => format!("{}（{}年{m}月{d}日）", k.label(), f.year),
            _ => k.label().to_string(),
        },
        (k, _) => k.label().to_string(),
    }
}

/// The 备注 of a document in the 目录.
pub fn toc_note(kind: DocumentKind) -> &'static str {
    if kind == DocumentKind::CERTIFICATE {
        "复印件"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filing_order_puts_talks_first_and_appraisals_last() {
        assert_eq!(filing_rank(DocumentKind::TALK_RECORD), 0);
        assert!(
            filing_rank(DocumentKind::CERTIFICATE) < filing_rank(DocumentKind::POLITICAL_REVIEW)
        );
        assert_eq!(filing_rank(DocumentKind::PACKET), FILING_ORDER.len());
        for k in DocumentKind::ALL {
            assert!(filing_rank(*k) < FILING_ORDER.len(), "{k} has a place");
        }
    }

    #[test]
    fn titles_tell_repeated_kinds_apart() {
        let talk = Formed {
            year: 2024,
            month: Some(4),
            day: Some(15),
        };
        assert_eq!(
            toc_title(DocumentKind::TALK_RECORD, Some(talk)),
            "谈心谈话记录（2024年4月15日）"
        );
        assert_eq!(
            toc_title(DocumentKind::ANNUAL_APPRAISAL, Some(Formed::year(2025))),
            "年度民主评议表（2025年度）"
        );
    }
}
