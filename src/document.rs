//! The documents the tool produces, with their ids (used on the command line) and Chinese
//! names (used in file names).

/// One kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentKind {
    /// 党校结业证书: one per training row that passed.
    Certificate,
    /// 入党积极分子登记表: one per roster student at stage ≥ 入党积极分子.
    ActivistRegistration,
    /// 谈心谈话记录: one per talk row.
    TalkRecord,
    /// 发展对象政治审查表: one per review row.
    PoliticalReview,
    /// 年度民主评议表: one per appraisal row.
    AnnualAppraisal,
}

impl DocumentKind {
    /// Every document kind, in the order `render all` produces them.
    pub const ALL: &'static [DocumentKind] = &[
        DocumentKind::Certificate,
        DocumentKind::ActivistRegistration,
        DocumentKind::TalkRecord,
        DocumentKind::PoliticalReview,
        DocumentKind::AnnualAppraisal,
    ];

    /// The id used on the command line and in the HTTP API, e.g. `certificate`.
    pub fn id(self) -> &'static str {
        match self {
            DocumentKind::Certificate => "certificate",
            DocumentKind::ActivistRegistration => "activist-registration",
            DocumentKind::TalkRecord => "talk-record",
            DocumentKind::PoliticalReview => "political-review",
            DocumentKind::AnnualAppraisal => "annual-appraisal",
        }
    }

    /// The Chinese name, used as the file name (`党校结业证书.pdf`).
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Certificate => "党校结业证书",
            DocumentKind::ActivistRegistration => "入党积极分子登记表",
            DocumentKind::TalkRecord => "谈心谈话记录",
            DocumentKind::PoliticalReview => "发展对象政治审查表",
            DocumentKind::AnnualAppraisal => "年度民主评议表",
        }
    }

    /// The template that typesets it: `<id>.typ.j2`.
    pub fn template(self) -> &'static str {
        match self {
            DocumentKind::Certificate => "certificate.typ.j2",
            DocumentKind::ActivistRegistration => "activist-registration.typ.j2",
            DocumentKind::TalkRecord => "talk-record.typ.j2",
            DocumentKind::PoliticalReview => "political-review.typ.j2",
            DocumentKind::AnnualAppraisal => "annual-appraisal.typ.j2",
        }
    }

    /// The kind with this id (or Chinese name), if any.
    pub fn from_id(id: &str) -> Option<DocumentKind> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.id() == id || k.label() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_round_trip() {
        for &k in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_id(k.id()), Some(k));
            assert_eq!(DocumentKind::from_id(k.label()), Some(k));
            assert!(k.template().starts_with(k.id()));
        }
        assert_eq!(DocumentKind::from_id("diploma"), None);
    }
}
