//! Documents made of other documents: a student's filing packet (个人档案: every document of
//! the student in filing order) and the volumes of a print run (打印/年度民主评议表-01.pdf: the
//! documents of one kind in 学院, 班级, 学号 order). Each is a [`PlannedDocument`] whose
//! `parts` are the planned documents it joins; the pipeline typesets it in one compile.

use super::{Plan, PlannedDocument, RowSpan, collision};
use crate::bundle::archive_path::ArchivePath;
use crate::bundle::layout::unique_paths;
use crate::documents::packet::{PACKET_NAME, filing_rank};
use crate::documents::{DocumentKind, Key};
use crate::model::dataset::Dataset;
use crate::model::intern::Interner;
use crate::problem::{Location, Problem};
use foldhash::{HashMap, HashMapExt};
use std::sync::Arc;
use thin_vec::ThinVec;

/// The folder of the print volumes in the archive.
pub const PRINT_FOLDER: &str = "打印";

/// About how many pages one print volume holds. Joined documents cost more per page as they
/// grow (measured 4.1 → 7.1 ms a page from 25 to 200 six-page forms, 1 GB at 200, through
/// the per-document page counters), so a print run comes in volumes of about this many pages
/// (by each kind's typical page count), which keeps time per page and memory flat. Measured
/// on the sample ledger's 78 登记表 (546 pages, one thread): peak RSS 104 MB for the single
/// forms, 205 MB in volumes of 49 pages, 332 MB in volumes of 98, at the same pages/s.
pub const PRINT_VOLUME_PAGES: usize = 50;

/// Most documents in one print volume, however short they are.
pub const PRINT_VOLUME_DOCUMENTS: usize = 50;

/// How many documents of `kind` a print volume holds: [`PRINT_VOLUME_PAGES`] by the kind's
/// typical page count, 1 to [`PRINT_VOLUME_DOCUMENTS`].
pub fn volume_documents(kind: DocumentKind) -> usize {
    (PRINT_VOLUME_PAGES / kind.document().typical_pages().max(1)).clamp(1, PRINT_VOLUME_DOCUMENTS)
}

/// One packet per valid roster student whose row is not refused, at the path the pattern
/// gives 文档名 `个人档案`, holding the student's documents of `plan` in filing order (by
/// kind as in [`FILING_ORDER`](crate::documents::packet::FILING_ORDER), then by 形成时间,
/// then by path). A student without documents gets a packet too (cover and an empty 目录),
/// and a warning on the roster row saying so, returned for the caller to attach.
pub fn packets(plan: &Plan, ds: &Dataset) -> (Plan, Vec<Problem>) {
    let mut notes = Vec::new();
    let mut packets: Vec<(PlannedDocument, String)> = Vec::new();
    // The parts keep their rows where they are; each packet's own list goes after them.
    let mut all_rows = plan.rows.clone();
    // Each student's documents, found in one pass over the plan.
    let mut of_student: HashMap<&str, Vec<&PlannedDocument>> = HashMap::new();
    for d in &plan.documents {
        of_student.entry(&d.student).or_default().push(d);
    }
    for s in ds.students.values() {
        let refused = ds.row_index(&s.at).is_some_and(|i| ds.ledger.refused(i));
        if refused {
            continue;
        }
        let mut parts: ThinVec<PlannedDocument> = of_student
            .get(s.id.as_str())
            .map(|docs| docs.iter().map(|d| (*d).clone()).collect())
            .unwrap_or_default();
        parts.sort_by(|a, b| {
            (filing_rank(a.kind), a.formed, &a.path).cmp(&(filing_rank(b.kind), b.formed, &b.path))
        });
        if parts.is_empty() {
            notes.push(Problem::warning(
                Location::Row(s.at.clone()),
                format!(
                    "学号 {} 姓名 {} 没有可归档的文书：个人档案只有封面和空的卷内目录",
                    s.id, s.name
                ),
            ));
        }
        let mut rows: Vec<u32> = ds.ledger_positions(std::slice::from_ref(&s.at)).collect();
        for part in &parts {
            add_new(&mut rows, plan.rows_of(part));
        }
        let path = plan.path_of(s, PACKET_NAME, None, &mut notes);
        packets.push((
            PlannedDocument {
                kind: DocumentKind::PACKET,
                path: ArchivePath::default(),
                student: Arc::from(s.id.as_str()),
                rows: RowSpan::append(&mut all_rows, rows),
                key: Key::Student,
                formed: None,
                parts,
            },
            path,
        ));
    }
    let layout_error = plan.layout_error.clone().or_else(|| {
        collision(
            &plan.config.output.path_pattern,
            packets.iter().map(|(d, p)| (&*d.student, p.as_str())),
            ds,
        )
    });
    packets.sort_by(|a, b| a.1.cmp(&b.1));
    let paths: Vec<&String> = packets.iter().map(|(_, p)| p).collect();
    let unique = unique_paths(&paths);
    let mut texts = Interner::default();
    let documents = packets
        .into_iter()
        .zip(unique)
        .map(|((mut doc, _), path)| {
            doc.path = ArchivePath::shared(&path, &mut |t| texts.get(t));
            doc
        })
        .collect();
    all_rows.shrink_to_fit();
    let out = Plan {
        documents,
        rows: all_rows,
        not_issued: plan.not_issued.clone(),
        left_out: plan.left_out.clone(),
        config: plan.config.clone(),
        scope: plan.scope.clone(),
        certificates: plan.certificates.clone(),
        gbk_fallback: plan.gbk_fallback.clone(),
        layout: plan.layout.clone(),
        layout_error,
    };
    (out, notes)
}

/// The volumes of a print run: per kind of `plan` (in their order), its documents in 学院,
/// 班级, 学号 order (then by 形成时间 and path), in volumes of at most `per_volume(kind)`
/// documents: `打印/<名称>.pdf`, or `打印/<名称>-01.pdf`, `-02` … when there are several.
///
/// The volumes' rows are added to the plan's [`Plan::rows`]; the volumes are returned, not
/// added to its documents, so that the plan can still be made into packets first.
pub fn print_volumes(
    plan: &mut Plan,
    ds: &Dataset,
    per_volume: impl Fn(DocumentKind) -> usize,
) -> Vec<PlannedDocument> {
    let Plan {
        documents,
        rows: all_rows,
        ..
    } = plan;
    let mut kinds: Vec<DocumentKind> = documents.iter().map(|d| d.kind).collect();
    kinds.sort();
    kinds.dedup();
    let mut volumes = Vec::new();
    for kind in kinds {
        let per_volume = per_volume(kind).max(1);
        let mut docs: Vec<&PlannedDocument> = documents.iter().filter(|d| d.kind == kind).collect();
        let key = |d: &PlannedDocument| ds.students.get(&*d.student).map(|s| s.sort_key());
        docs.sort_by_cached_key(|d| (key(d), d.formed, d.path.clone()));
        let count = docs.len().div_ceil(per_volume);
        for (n, chunk) in docs.chunks(per_volume).enumerate() {
            let name = if count == 1 {
                format!("{PRINT_FOLDER}/{}.pdf", kind.label())
            } else {
                format!("{PRINT_FOLDER}/{}-{:02}.pdf", kind.label(), n + 1)
            };
            let mut rows: Vec<u32> = Vec::new();
            for d in chunk {
                add_new(&mut rows, d.rows.in_list(all_rows));
            }
            volumes.push(PlannedDocument {
                kind,
                path: ArchivePath::from(name.as_str()),
                student: Arc::from(""),
                rows: RowSpan::append(all_rows, rows),
                key: Key::Student,
                formed: None,
                parts: chunk.iter().map(|d| (*d).clone()).collect(),
            });
        }
    }
    volumes
}

/// Appends to `rows` those of `more` it does not hold yet, in their order.
fn add_new(rows: &mut Vec<u32>, more: &[u32]) {
    for row in more {
        if !rows.contains(row) {
            rows.push(*row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volumes_hold_about_the_same_pages_whatever_the_kind() {
        assert_eq!(volume_documents(DocumentKind::ACTIVIST_REGISTRATION), 7);
        assert_eq!(volume_documents(DocumentKind::ANNUAL_APPRAISAL), 25);
        assert_eq!(
            volume_documents(DocumentKind::CERTIFICATE),
            PRINT_VOLUME_DOCUMENTS
        );
        for &kind in DocumentKind::ALL {
            let pages = volume_documents(kind) * kind.document().typical_pages();
            assert!(pages <= PRINT_VOLUME_PAGES, "{kind}: {pages} pages");
        }
    }
}
