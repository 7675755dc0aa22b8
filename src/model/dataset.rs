//! The whole input as typed records: students by 学号, linked course results, and a ledger
//! entry for every input row so that none disappears silently.

use crate::config::{LimitsConfig, TextKind};
use crate::model::records::{Appraisal, Relative, ResumeEntry, Review, SheetRecord, Talk};
use crate::model::student::Student;
use crate::model::training::Training;
use crate::problem::{CellRef, Location, Problem, RowRef, Severity};
use crate::read::{Cell, Row, Sheet, SheetKind, Workbook};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use thiserror::Error;

/// What became of one input row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRecord {
    /// Where the row is.
    pub at: RowRef,
    /// The sheet kind, `None` for rows of unrecognised sheets.
    pub kind: Option<SheetKind>,
    /// 学号 as read (may be empty).
    pub student_id: String,
    /// 姓名 as read (may be empty).
    pub name: String,
    /// Why the row is not data (title, header, footer …), for rows set aside by the reader.
    pub ignored: Option<String>,
    /// Every problem of this row, errors and warnings.
    pub problems: Vec<Problem>,
}

impl RowRecord {
    /// True when the row has an error and its documents are refused.
    pub fn refused(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// A sheet by (file, sheet name).
type SheetKey = (Arc<String>, Arc<String>);

/// All the records read from the inputs.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Valid students by 学号.
    pub students: BTreeMap<String, Student>,
    /// Valid course results whose student is in the roster, in input order.
    pub trainings: Vec<Training>,
    /// Valid talks whose student is in the roster, in input order.
    pub talks: Vec<Talk>,
    /// Valid political reviews, in input order.
    pub reviews: Vec<Review>,
    /// Valid family members and social relations, in input order.
    pub relatives: Vec<Relative>,
    /// Valid democratic appraisals, in input order.
    pub appraisals: Vec<Appraisal>,
    /// Valid 简历 periods, in input order.
    pub resumes: Vec<ResumeEntry>,
    /// Every input row (data and set aside), in input order: file, sheet, row.
    pub rows: Vec<RowRecord>,
    /// Problems that concern no single row (files, sheets).
    pub general: Vec<Problem>,
    /// Completely blank rows skipped, over all sheets.
    pub blank_rows: u64,
    /// Whether at least one roster sheet was found.
    pub has_roster: bool,
    /// Every file read and the format it was read as (`xlsx`, `csv（GBK）` …).
    pub formats: Vec<(String, String)>,
    /// Ledger position of every row.
    index: BTreeMap<RowRef, usize>,
    /// The recognised columns of every sheet read, by (file, sheet): standard name → column.
    columns: BTreeMap<SheetKey, Vec<(&'static str, u32)>>,
    /// Every student's records, by 学号 (built once, so that no form scans every list).
    by_student: HashMap<String, StudentRecords>,
}

/// Where one student's records are: indices into the lists of [`Dataset`], in input order.
#[derive(Debug, Clone, Default)]
pub struct StudentRecords {
    /// Into [`Dataset::trainings`].
    pub trainings: Vec<usize>,
    /// Into [`Dataset::talks`].
    pub talks: Vec<usize>,
    /// Into [`Dataset::reviews`].
    pub reviews: Vec<usize>,
    /// Into [`Dataset::relatives`].
    pub relatives: Vec<usize>,
    /// Into [`Dataset::appraisals`].
    pub appraisals: Vec<usize>,
    /// Into [`Dataset::resumes`].
    pub resumes: Vec<usize>,
}

/// The records of a student who has none.
static NO_RECORDS: StudentRecords = StudentRecords {
    trainings: Vec::new(),
    talks: Vec::new(),
    reviews: Vec::new(),
    relatives: Vec::new(),
    appraisals: Vec::new(),
    resumes: Vec::new(),
};

impl Dataset {
    /// Builds the records from the workbooks read; problems of files that could not be read
    /// are passed in `unreadable`. The checks across rows are not run: see [`super::build`].
    pub fn build(
        workbooks: &[Workbook],
        unreadable: Vec<Problem>,
        limits: &LimitsConfig,
    ) -> Dataset {
        let mut ds = Dataset {
            general: unreadable,
            ..Dataset::default()
        };
        let mut index: BTreeMap<RowRef, usize> = BTreeMap::new();
        for wb in workbooks {
            for p in &wb.problems {
                ds.general.push(p.clone());
            }
            for sheet in &wb.sheets {
                ds.blank_rows += sheet.blank_rows as u64;
                ds.has_roster |= sheet.kind == Some(SheetKind::Roster) && !sheet.rows.is_empty();
                ds.register_rows(sheet, &mut index);
                ds.columns.insert(
                    (sheet.file.clone(), sheet.name.clone()),
                    sheet.columns.iter().map(|c| (c.name, c.col)).collect(),
                );
            }
        }
        // Cells longer than their column allows refuse their row before anything reads them.
        for sheet in workbooks.iter().flat_map(|wb| wb.sheets.iter()) {
            for row in &sheet.rows {
                let found = too_long(row, limits);
                if !found.is_empty() {
                    ds.rows[index[&row.at]].problems.extend(found);
                }
            }
        }
        // Problems the reader attached to a row belong to that row's record.
        let general = std::mem::take(&mut ds.general);
        for p in general {
            match p.location.row().and_then(|r| index.get(&r).copied()) {
                Some(i) => ds.rows[i].problems.push(p),
                None => ds.general.push(p),
            }
        }

        let sheets_of = |kind: SheetKind| {
            workbooks
                .iter()
                .flat_map(|wb| wb.sheets.iter())
                .filter(move |s| s.kind == Some(kind))
        };
        let mut roster_rows: BTreeMap<String, RowRef> = BTreeMap::new();
        let mut refused_ids: BTreeMap<String, RowRef> = BTreeMap::new();
        // 身份证号 → the cell of the student who has it.
        let mut id_cards: BTreeMap<String, CellRef> = BTreeMap::new();
        for sheet in sheets_of(SheetKind::Roster) {
            for row in &sheet.rows {
                let i = index[&row.at];
                let (student, problems) = Student::from_row(row);
                ds.rows[i].problems.extend(problems);
                let Some(student) = student else {
                    if !ds.rows[i].student_id.is_empty() {
                        refused_ids.insert(ds.rows[i].student_id.clone(), row.at.clone());
                    }
                    continue;
                };
                if let Some(first) = roster_rows.get(&student.id) {
                    ds.rows[i].problems.push(
                        Problem::error(
                            Location::Row(row.at.clone()),
                            format!(
                                "学号 {} 在花名册中重复出现（首次见 {} › {} 第{}行），本行不使用",
                                student.id,
                                first.file,
                                first.sheet,
                                first.excel_row()
                            ),
                        )
                        .with_column("学号"),
                    );
                    continue;
                }
                if let (Some(card), Some((cell, _))) = (&student.id_card, row.get("身份证号")) {
                    if let Some(first) = id_cards.get(&card.number) {
                        ds.rows[i].problems.push(
                            Problem::error(
                                Location::Cell(cell),
                                format!(
                                    "身份证号与 {} › {} › {} 的学生相同，两人不可能同一个身份证号，请核对；本行不使用",
                                    first.file,
                                    first.sheet,
                                    first.a1()
                                ),
                            )
                            .with_column("身份证号")
                            .with_value(&card.number),
                        );
                        refused_ids.insert(student.id.clone(), row.at.clone());
                        continue;
                    }
                    id_cards.insert(card.number.clone(), cell);
                }
                roster_rows.insert(student.id.clone(), row.at.clone());
                ds.students.insert(student.id.clone(), student);
            }
        }
        let links = Links {
            refused_ids: &refused_ids,
            index: &index,
        };
        ds.trainings = ds.read_linked(workbooks, SheetKind::Training, &links);
        ds.talks = ds.read_linked(workbooks, SheetKind::Talk, &links);
        ds.reviews = ds.read_linked(workbooks, SheetKind::Review, &links);
        ds.relatives = ds.read_linked(workbooks, SheetKind::Relative, &links);
        ds.appraisals = ds.read_linked(workbooks, SheetKind::Appraisal, &links);
        ds.resumes = ds.read_linked(workbooks, SheetKind::Resume, &links);
        ds.index = index;
        ds.by_student = ds.index_students();
        ds
    }

    /// Where student `id`'s records are (none for an unknown 学号). Looked up, never scanned:
    /// planning and forms stay linear in the ledger.
    pub fn records_of(&self, id: &str) -> &StudentRecords {
        self.by_student.get(id).unwrap_or(&NO_RECORDS)
    }

    /// One pass over each list of records.
    fn index_students(&self) -> HashMap<String, StudentRecords> {
        let mut by: HashMap<String, StudentRecords> = HashMap::with_capacity(self.students.len());
        /// The records of `id`, made empty on first sight.
        fn entry<'m>(
            by: &'m mut HashMap<String, StudentRecords>,
            id: &str,
        ) -> &'m mut StudentRecords {
            if !by.contains_key(id) {
                by.insert(id.to_string(), StudentRecords::default());
            }
            by.get_mut(id).expect("just inserted")
        }
        for (i, r) in self.trainings.iter().enumerate() {
            entry(&mut by, &r.student_id).trainings.push(i);
        }
        for (i, r) in self.talks.iter().enumerate() {
            entry(&mut by, &r.student_id).talks.push(i);
        }
        for (i, r) in self.reviews.iter().enumerate() {
            entry(&mut by, &r.student_id).reviews.push(i);
        }
        for (i, r) in self.relatives.iter().enumerate() {
            entry(&mut by, &r.student_id).relatives.push(i);
        }
        for (i, r) in self.appraisals.iter().enumerate() {
            entry(&mut by, &r.student_id).appraisals.push(i);
        }
        for (i, r) in self.resumes.iter().enumerate() {
            entry(&mut by, &r.student_id).resumes.push(i);
        }
        by
    }

    /// Reads every row of the sheets of one kind whose rows are linked to the roster by 学号;
    /// a row whose student is unknown (or named differently) is refused with the reason.
    fn read_linked<T: SheetRecord>(
        &mut self,
        workbooks: &[Workbook],
        kind: SheetKind,
        links: &Links<'_>,
    ) -> Vec<T> {
        let mut records = Vec::new();
        let sheets = workbooks
            .iter()
            .flat_map(|wb| wb.sheets.iter())
            .filter(|s| s.kind == Some(kind));
        for sheet in sheets {
            for row in &sheet.rows {
                let i = links.index[&row.at];
                let (record, problems) = T::from_row(row);
                self.rows[i].problems.extend(problems);
                let Some(record) = record else { continue };
                match link(
                    &self.students,
                    links.refused_ids,
                    record.student_id(),
                    record.name(),
                ) {
                    Ok(()) => records.push(record),
                    Err(e) => self.rows[i].problems.push(
                        Problem::error(Location::Row(row.at.clone()), e.to_string())
                            .with_column("学号"),
                    ),
                }
            }
        }
        records
    }

    /// Every problem: general ones first, then each row's, in input order.
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.general
            .iter()
            .chain(self.rows.iter().flat_map(|r| r.problems.iter()))
    }

    /// How many problems of a severity there are.
    pub fn count(&self, severity: Severity) -> usize {
        self.problems().filter(|p| p.severity == severity).count()
    }

    /// Adds a problem to the row it names (or to the general list when it names no row).
    pub fn attach(&mut self, problem: Problem) {
        match problem.location.row().and_then(|r| self.row_index(&r)) {
            Some(i) => self.rows[i].problems.push(problem),
            None => self.general.push(problem),
        }
    }

    /// The cell of a standard column in a row (`花名册.xlsx › 花名册 › M7`), or the row itself
    /// when its sheet has no such column.
    pub fn cell(&self, at: &RowRef, column: &str) -> Location {
        let col = self
            .columns
            .get(&(at.file.clone(), at.sheet.clone()))
            .and_then(|cols| cols.iter().find(|(name, _)| *name == column))
            .map(|(_, col)| *col);
        match col {
            Some(col) => Location::Cell(at.cell(col)),
            None => Location::Row(at.clone()),
        }
    }

    /// The ledger index of a row.
    pub fn row_index(&self, at: &RowRef) -> Option<usize> {
        self.index.get(at).copied()
    }

    /// Adds a ledger entry for every data row and every set-aside row of a sheet.
    fn register_rows(&mut self, sheet: &Sheet, index: &mut BTreeMap<RowRef, usize>) {
        let mut entries: Vec<RowRecord> = sheet
            .rows
            .iter()
            .map(|row| RowRecord {
                at: row.at.clone(),
                kind: sheet.kind,
                student_id: raw_text(row, "学号"),
                name: raw_text(row, "姓名"),
                ignored: None,
                problems: Vec::new(),
            })
            .chain(sheet.ignored.iter().map(|ignored| RowRecord {
                at: ignored.at.clone(),
                kind: sheet.kind,
                student_id: String::new(),
                name: String::new(),
                ignored: Some(if ignored.text.is_empty() {
                    ignored.reason.clone()
                } else {
                    format!("{}：{}", ignored.reason, ignored.text)
                }),
                problems: Vec::new(),
            }))
            .collect();
        entries.sort_by_key(|r| r.at.row);
        for entry in entries {
            index.insert(entry.at.clone(), self.rows.len());
            self.rows.push(entry);
        }
    }
}

/// Errors for the cells of a row longer than their column allows (see [`LimitsConfig`]).
fn too_long(row: &Row, limits: &LimitsConfig) -> Vec<Problem> {
    let mut out = Vec::new();
    for (column, col, cell) in &row.cells {
        let Cell::Text(text) = cell else { continue };
        let kind = TextKind::of(column);
        let max = limits.chars(kind);
        // Counting stops just past the limit: a huge cell costs no more than a small one.
        if text.chars().nth(max).is_none() {
            continue;
        }
        let count = text.chars().count();
        out.push(
            Problem::error(
                Location::Cell(row.at.cell(*col)),
                format!(
                    "内容有 {count} 字，超过本列的上限 {max} 字，本行不生成文书；请删减，或在 dangjian.toml 的 [limits] 中调大 {}",
                    kind.setting()
                ),
            )
            .with_column(*column)
            .with_value(text),
        );
    }
    out
}

/// What linking rows to the roster needs besides the students.
struct Links<'a> {
    /// 学号 of roster rows that were refused, with where they are.
    refused_ids: &'a BTreeMap<String, RowRef>,
    /// Ledger position of every row.
    index: &'a BTreeMap<RowRef, usize>,
}

/// The cell of a column as plain text, for the ledger (before any validation).
fn raw_text(row: &Row, column: &str) -> String {
    row.get(column)
        .map(|(_, cell)| crate::model::value::cell_text(cell))
        .unwrap_or_default()
}

/// Why a row of another sheet cannot be linked to a roster student.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LinkError {
    /// The 学号 is in the roster under another name.
    #[error(
        "姓名「{name}」与花名册中学号 {student_id} 的姓名「{roster_name}」不一致（见 {} › {} 第{}行）",
        roster_row.file, roster_row.sheet, roster_row.excel_row()
    )]
    NameDiffers {
        /// 学号.
        student_id: String,
        /// 姓名 in the row.
        name: String,
        /// 姓名 in the roster.
        roster_name: String,
        /// The roster row.
        roster_row: RowRef,
    },
    /// The student's roster row was refused.
    #[error(
        "花名册中学号 {student_id} 的信息有误（见 {} › {} 第{}行），请先改正花名册",
        roster_row.file, roster_row.sheet, roster_row.excel_row()
    )]
    RosterRowRefused {
        /// 学号.
        student_id: String,
        /// The refused roster row.
        roster_row: RowRef,
    },
    /// The 学号 is not in the roster.
    #[error("学号 {student_id} 不在花名册中")]
    NotInRoster {
        /// 学号.
        student_id: String,
    },
}

/// Checks that a row of another sheet belongs to a valid roster student with the same name.
pub fn link(
    students: &BTreeMap<String, Student>,
    refused: &BTreeMap<String, RowRef>,
    student_id: &str,
    name: &str,
) -> Result<(), LinkError> {
    match students.get(student_id) {
        Some(student) if student.name == name => Ok(()),
        Some(student) => Err(LinkError::NameDiffers {
            student_id: student_id.into(),
            name: name.into(),
            roster_name: student.name.clone(),
            roster_row: student.at.clone(),
        }),
        None => match refused.get(student_id) {
            Some(at) => Err(LinkError::RosterRowRefused {
                student_id: student_id.into(),
                roster_row: at.clone(),
            }),
            None => Err(LinkError::NotInRoster {
                student_id: student_id.into(),
            }),
        },
    }
}
