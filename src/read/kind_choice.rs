//! Deciding a sheet's kind: name keywords first, headers to settle ties or when the name says
//! nothing. The outcome is explained to the user whenever it is not the obvious one.

use super::Aliases;
use super::SheetKind;
use super::header::{HeaderCell, missing_required};

/// Header rows are looked for among this many first non-blank rows.
pub(crate) const HEADER_SEARCH_ROWS: usize = 30;

/// The outcome of recognising a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Choice {
    /// The kind and the index (among the candidate rows) of its header row, with an
    /// explanation when the choice was not by the name alone: (is it a warning, message).
    Kind {
        /// The kind chosen.
        kind: SheetKind,
        /// Index of the header among the candidate rows.
        header: usize,
        /// A note or warning explaining the choice.
        explain: Option<(bool, String)>,
    },
    /// The name says which kind, but no row holds all its required columns.
    MissingColumns {
        /// The kind the name points to.
        kind: SheetKind,
        /// Its required columns missing from the best candidate row.
        missing: Vec<&'static str>,
        /// Index of the candidate row with the fewest missing columns.
        best: usize,
    },
    /// Not recognised (message says why and what was expected).
    Unrecognised(String),
}

/// Chooses the kind of a sheet from its name and its first non-blank rows' header cells.
pub(crate) fn choose(
    sheet_name: &str,
    candidates: &[Vec<HeaderCell>],
    aliases: &Aliases,
) -> Choice {
    let by_name = SheetKind::by_sheet_name(sheet_name);
    let header_of = |kind: SheetKind| {
        candidates
            .iter()
            .position(|cells| missing_required(kind, cells, aliases).is_empty())
    };
    let hits: Vec<(SheetKind, usize)> = SheetKind::ALL
        .into_iter()
        .filter_map(|k| Some((k, header_of(k)?)))
        .collect();
    let name_hits: Vec<(SheetKind, usize)> = hits
        .iter()
        .copied()
        .filter(|(k, _)| by_name.contains(k))
        .collect();

    if let [(kind, header)] = name_hits[..] {
        return Choice::Kind {
            kind,
            header,
            explain: None,
        };
    }
    if name_hits.len() > 1 {
        return Choice::Unrecognised(format!(
            "工作表名和表头同时符合{}，无法确定是哪一类表。请把工作表名改为只含一类的关键词（如「花名册」「党校培训」）。{}",
            labels(name_hits.iter().map(|(k, _)| *k)),
            expected()
        ));
    }
    // No kind matched by both name and headers.
    match (&by_name[..], &hits[..]) {
        ([], [(kind, header)]) => Choice::Kind {
            kind: *kind,
            header: *header,
            explain: Some((
                false,
                format!("工作表名不含类型关键词，按表头识别为「{}」", kind.label()),
            )),
        },
        ([named, ..], [(kind, header)]) => Choice::Kind {
            kind: *kind,
            header: *header,
            explain: Some((
                true,
                format!(
                    "工作表名像「{}」，但表头缺少它的必需列，而符合「{}」的全部必需列，已按「{}」读取；如不对，请修改工作表名或表头",
                    named.label(),
                    kind.label(),
                    kind.label()
                ),
            )),
        },
        ([kind], _) => {
            let (best, missing) = candidates
                .iter()
                .enumerate()
                .map(|(i, cells)| (i, missing_required(*kind, cells, aliases)))
                .min_by_key(|(i, m)| (m.len(), *i))
                .unwrap_or((0, kind.required_columns().map(|c| c.name).collect()));
            Choice::MissingColumns {
                kind: *kind,
                missing,
                best,
            }
        }
        ([], []) => Choice::Unrecognised(format!(
            "无法识别工作表类型：工作表名不含类型关键词，前 {HEADER_SEARCH_ROWS} 行中也没有一行包含任何一类表的全部必需列，本表已忽略。{}",
            expected()
        )),
        ([], _) => Choice::Unrecognised(format!(
            "无法识别工作表类型：表头同时符合{}，本表已忽略。请在工作表名中注明类型（如「花名册」「党校培训」）。",
            labels(hits.iter().map(|(k, _)| *k))
        )),
        (named, _) => Choice::Unrecognised(format!(
            "无法识别工作表类型：工作表名同时像{}，但表头不含其中任何一类的全部必需列（{}），本表已忽略。",
            labels(named.iter().copied()),
            named
                .iter()
                .map(|k| {
                    let best = candidates
                        .iter()
                        .map(|cells| missing_required(*k, cells, aliases))
                        .min_by_key(Vec::len)
                        .unwrap_or_default();
                    format!("「{}」缺 {}", k.label(), best.join("、"))
                })
                .collect::<Vec<_>>()
                .join("；")
        )),
    }
}

/// `「花名册」和「党校培训」`.
fn labels(kinds: impl Iterator<Item = SheetKind>) -> String {
    kinds
        .map(|k| format!("「{}」", k.label()))
        .collect::<Vec<_>>()
        .join("和")
}

/// What each kind looks like: name keywords and required columns.
fn expected() -> String {
    let kinds: Vec<String> = SheetKind::ALL
        .into_iter()
        .map(|k| {
            format!(
                "{}（名称含 {}；必需列 {}）",
                k.label(),
                k.name_keywords().join("/"),
                k.required_columns()
                    .map(|c| c.name)
                    .collect::<Vec<_>>()
                    .join("、")
            )
        })
        .collect();
    format!("可识别的表：{}", kinds.join("；"))
}
