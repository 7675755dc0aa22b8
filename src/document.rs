//! The documents the tool produces, with their ids (used on the command line) and Chinese
//! names (used in file names).

/// One kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentKind {
    /// 党校结业证书: one per training row that passed.
    Certificate,
}

impl DocumentKind {
    /// Every document kind, in the order `render all` produces them.
    pub const ALL: &'static [DocumentKind] = &[DocumentKind::Certificate];

    /// The id used on the command line and in the HTTP API, e.g. `certificate`.
    pub fn id(self) -> &'static str {
        match self {
            DocumentKind::Certificate => "certificate",
        }
    }

    /// The Chinese name, used as the file name (`党校结业证书.pdf`).
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Certificate => "党校结业证书",
        }
    }

    /// The template that typesets it.
    pub fn template(self) -> &'static str {
        match self {
            DocumentKind::Certificate => crate::render::certificate::TEMPLATE,
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
