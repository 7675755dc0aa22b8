//! The manifest's lines: one per input row, in input order, saying what became of it.

use crate::bundle::archive_path::ArchivePath;
use crate::bundle::manifest::{ManifestLine, Status};
use crate::model::certificate::NotIssued;
use crate::model::dataset::Dataset;
use crate::plan::Plan;
use crate::problem::{Location, Problem, RowRef, Severity};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The run's notices first (a setting not configured: [`Status::Note`], no file or row),
/// then a line for each problem or note about a whole file or sheet (a hidden sheet not read,
/// one that could not be read …: row empty), then one
/// manifest line for every input row, in input order: what became of it and why.
/// `outputs` says which documents of `plan` were made from each ledger row of `ds`.
pub fn manifest_lines<'a>(
    ds: &'a Dataset,
    plan: &'a Plan,
    outputs: &'a Outputs,
) -> impl Iterator<Item = ManifestLine> + 'a {
    let not_issued = reasons_by_row(&plan.not_issued);
    let left_out = reasons_by_row(&plan.left_out);
    let empty = Arc::new(String::new());
    let notices = ds
        .general
        .iter()
        .filter(|p| p.is_run_notice())
        .map(move |p| ManifestLine {
            file: empty.clone(),
            sheet: empty.clone(),
            row: 0,
            kind: "运行设置",
            student_id: String::new(),
            name: String::new(),
            id_card: String::new(),
            status: Status::Note,
            outputs: Vec::new(),
            reasons: vec![p.message.clone()],
        });
    // What was said of whole files and sheets (hidden or unreadable sheets, whose rows are in
    // no line below; the encoding a CSV was read in …).
    let unread = ds.general.iter().filter_map(|p| {
        let (file, sheet, kind) = match &p.location {
            Location::File(file) => (file.clone(), Arc::new(String::new()), "文件"),
            Location::Sheet { file, sheet } => (file.clone(), sheet.clone(), "工作表"),
            _ => return None,
        };
        Some(ManifestLine {
            file,
            sheet,
            row: 0,
            kind,
            student_id: String::new(),
            name: String::new(),
            id_card: String::new(),
            // An error lost the rows of the file or sheet; anything else is for information.
            status: if p.severity == Severity::Error {
                Status::Refused
            } else {
                Status::Note
            },
            outputs: Vec::new(),
            reasons: vec![p.message.clone()],
        })
    });
    notices
        .chain(unread)
        .chain(ds.ledger.iter().enumerate().map(move |(i, r)| {
            let kind = r.kind.map(|k| k.label()).unwrap_or("未识别");
            let mut reasons: Vec<String> = r.problems.iter().map(Problem::within_row).collect();
            let files: Vec<ArchivePath> = outputs
                .of(i)
                .filter_map(|d| plan.documents.get(d))
                .map(|d| d.path.clone())
                .collect();
            let status = if let Some(why) = &r.ignored {
                reasons.insert(0, why.to_string());
                Status::Ignored
            } else if r.refused() {
                Status::Refused
            } else if !files.is_empty() {
                Status::Generated
            } else if let Some(why) = not_issued.get(&r.at) {
                reasons.insert(0, why.to_string());
                Status::Refused
            } else if let Some(why) = left_out.get(&r.at) {
                reasons.insert(0, why.to_string());
                Status::Ignored
            } else {
                reasons.insert(0, UNUSED.to_string());
                Status::Ignored
            };
            ManifestLine {
                file: r.at.file.clone(),
                sheet: r.at.sheet.clone(),
                row: r.at.excel_row(),
                kind,
                student_id: r.student_id.to_string(),
                name: r.name.to_string(),
                id_card: ds.id_card_of(r.student_id).unwrap_or_default().to_string(),
                status,
                outputs: files,
                reasons,
            }
        }))
}

/// The documents made from each ledger row, as (row, document) pairs: one flat list, not a
/// list per ledger row (a province's ledger has hundreds of thousands of rows, most with one
/// document or none). Built once every document is made, from the plan's rows of each: while
/// typesetting runs nothing but the plan holds them.
#[derive(Debug, Default)]
pub struct Outputs {
    /// (ledger row, index in the plan), sorted.
    pairs: Vec<(u32, u32)>,
}

impl Outputs {
    /// The rows of each document of `plan` whose index `made` lists.
    pub fn of_made(plan: &Plan, made: impl Iterator<Item = usize> + Clone) -> Outputs {
        let rows = |index: usize| {
            plan.documents
                .get(index)
                .map(|doc| plan.rows_of(doc))
                .unwrap_or_default()
        };
        let mut pairs = Vec::with_capacity(made.clone().map(|i| rows(i).len()).sum());
        for index in made {
            pairs.extend(rows(index).iter().map(|&row| (row, to_u32(index))));
        }
        pairs.sort_unstable();
        pairs.dedup();
        Outputs { pairs }
    }

    /// The documents (indices into the plan) made from ledger row `row`, in plan order.
    pub fn of(&self, row: usize) -> impl Iterator<Item = usize> + '_ {
        let row = to_u32(row);
        let start = self.pairs.partition_point(|&(r, _)| r < row);
        self.pairs[start..]
            .iter()
            .take_while(move |&&(r, _)| r == row)
            .map(|&(_, d)| d as usize)
    }
}

/// A ledger row or plan index as stored in [`Outputs`]. The input limits (rows per sheet,
/// unzipped bytes per file) keep a run far below 2³² rows, and so below 2³² documents.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The reason of a valid row that no document of the kinds asked for uses.
const UNUSED: &str = "本次生成的文档不需要这一行";

/// Whether a manifest line is that of a valid row the run's kinds do not use (a talk row on a
/// certificate run): 清单.csv lists it, a report need not.
pub fn unused_by_run(line: &ManifestLine) -> bool {
    line.status == Status::Ignored && line.reasons.first().is_some_and(|r| r == UNUSED)
}

/// The reasons of rows set aside by the plan, by row.
fn reasons_by_row(rows: &[NotIssued]) -> BTreeMap<&RowRef, &str> {
    rows.iter().map(|n| (&n.at, n.reason.as_str())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan of certificates, one per list of rows.
    fn plan_with_rows(lists: &[&[u32]]) -> Plan {
        let mut plan = Plan::default();
        for rows in lists {
            let rows = crate::plan::RowSpan::append(&mut plan.rows, rows.iter().copied());
            plan.documents.push(crate::plan::PlannedDocument {
                kind: crate::plan::DocumentKind::CERTIFICATE,
                path: ArchivePath::default(),
                student: Arc::from(""),
                rows,
                key: crate::documents::Key::Student,
                formed: None,
                parts: thin_vec::ThinVec::new(),
            });
        }
        plan
    }

    #[test]
    fn outputs_are_found_by_row_in_plan_order_whatever_order_they_were_made_in() {
        let plan = plan_with_rows(&[&[0], &[2], &[7, 2], &[5, 4], &[], &[], &[], &[], &[], &[5]]);
        // Document 2 failed: its rows name no output of it.
        let outputs = Outputs::of_made(&plan, [9, 1, 3, 0].into_iter());
        assert_eq!(outputs.of(5).collect::<Vec<_>>(), [3, 9]);
        assert_eq!(outputs.of(2).collect::<Vec<_>>(), [1]);
        assert_eq!(outputs.of(0).collect::<Vec<_>>(), [0]);
        assert_eq!(outputs.of(4).collect::<Vec<_>>(), [3]);
        assert_eq!(outputs.of(7).count(), 0);
        assert_eq!(outputs.of(1).count(), 0);
        assert_eq!(outputs.of(6).count(), 0);
    }
}
