//! The whole input as typed records: students by 学号, linked course results, and a ledger
//! entry for every input row so that none disappears silently.

use crate::config::{LimitsConfig, TextKind};
use crate::model::intern::Interner;
pub use crate::model::ledger::{Ledger, RowRecord};
use crate::model::ledger::{LedgerMark, NewRow, SheetKey};
pub use crate::model::record_list::StudentRecords;
use crate::model::record_list::{NO_RECORDS, RecordList};
use crate::model::records::{Appraisal, Relative, ResumeEntry, Review, SheetRecord, Talk};
use crate::model::shelf::{Block, Shelf, TakenBlock};
use crate::model::student::Student;
use crate::model::text::TextSpool;
use crate::model::training::Training;
use crate::model::value::PartialDate;
use crate::problem::{CellRef, Location, Problem, RowRef, Severity};
use crate::read::{Cell, Row, Sheet, SheetKind, SheetSink};
use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::mem::take;
use std::sync::Arc;
use thiserror::Error;

/// All the records read from the inputs.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Valid students by 学号. Empty once the dataset is shelved ([`Dataset::shelve`]), as are
    /// the record lists below: a student's view ([`Dataset::view_of`]) has them then.
    pub students: BTreeMap<String, Student>,
    /// Valid course results whose student is in the roster, in input order.
    pub trainings: RecordList<Training>,
    /// Valid talks whose student is in the roster, in input order.
    pub talks: RecordList<Talk>,
    /// Valid political reviews, in input order.
    pub reviews: RecordList<Review>,
    /// Valid family members and social relations, in input order.
    pub relatives: RecordList<Relative>,
    /// Valid democratic appraisals, in input order.
    pub appraisals: RecordList<Appraisal>,
    /// Valid 简历 periods, in input order.
    pub resumes: RecordList<ResumeEntry>,
    /// Every input row (data and set aside), in input order: file, sheet, row.
    pub ledger: Ledger,
    /// Problems that concern no single row (files, sheets).
    pub general: Vec<Problem>,
    /// Completely blank rows skipped, over all sheets.
    pub blank_rows: u64,
    /// Whether at least one roster sheet was found.
    pub has_roster: bool,
    /// Every file read and the format it was read as (`xlsx`, `csv（GBK）` …).
    pub formats: Vec<(String, String)>,
    /// Every student's records, by 学号 (built once, so that no form scans every list).
    by_student: HashMap<String, StudentRecords>,
    /// The students and records put away on disk while documents are made ([`Dataset::shelve`]):
    /// then `students` and the record lists are empty, and [`Dataset::view_of`] reads one
    /// student back.
    shelf: Option<Arc<Shelf>>,
    /// The roster's party members by 姓名, for the forms that name one as 培养联系人: the one
    /// member of that name, or `None` when several share it. Shared with every student's
    /// view, so that a shelved dataset still finds them.
    members: Arc<HashMap<String, Option<Member>>>,
}

/// A roster student who has joined the party, as a form names them (培养联系人).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// 职务 in the roster (their 党内职务), if any.
    pub post: Option<String>,
    /// 入党时间: when they became a probationary member.
    pub joined: PartialDate,
}

/// Typed records of one kind waiting to be linked to the roster: ledger position, record.
type Pending<T> = Vec<(usize, T)>;

/// Builds a [`Dataset`] as the reader streams the sheets (it is the [`SheetSink`] of the
/// reader): a sheet's rows become typed records part by part while the sheet is read, and
/// their cells are dropped, so memory holds the records, not the workbooks — nor even one
/// sheet. A sheet the reader takes back is rolled back to the mark of its first part. Rows
/// are linked to the roster by [`DatasetBuilder::finish`], once every roster sheet of every
/// file has been read.
pub struct DatasetBuilder<'a> {
    /// Length limits of text cells.
    limits: &'a LimitsConfig,
    /// What is built.
    ds: Dataset,
    /// Problems of files that could not be read at all (they come first in the dataset).
    unreadable: Vec<Problem>,
    /// Roster rows read: ledger position, the student (when the row has no error), the cell
    /// of its 身份证号.
    roster: Vec<(usize, Option<Student>, Option<CellRef>)>,
    /// Valid rows of the linked sheets, not yet linked.
    trainings: Pending<Training>,
    talks: Pending<Talk>,
    reviews: Pending<Review>,
    relatives: Pending<Relative>,
    appraisals: Pending<Appraisal>,
    resumes: Pending<ResumeEntry>,
    /// The shared copy of every 学号 and 姓名 read.
    interner: Interner,
    /// Where the records' long texts go (`None`: no temporary file could be made, they stay
    /// in memory).
    spool: Option<Arc<TextSpool>>,
    /// How far everything was before the sheet being read in parts, to take it back.
    open: Option<Mark>,
}

/// The lengths of what a sheet adds to, before its first part: taking the sheet back cuts
/// everything to them.
struct Mark {
    key: SheetKey,
    ledger: LedgerMark,
    general: usize,
    roster: usize,
    lists: [usize; 6],
    blank_rows: u64,
    has_roster: bool,
}

impl SheetSink for DatasetBuilder<'_> {
    fn file_problem(&mut self, problem: Problem) {
        self.ds.general.push(problem);
    }

    fn part(&mut self, part: Sheet) {
        self.add_rows(&part);
    }

    fn withdraw(&mut self) {
        if let Some(mark) = self.open.take() {
            self.roll_back(mark);
        }
    }

    fn sheet(&mut self, sheet: Sheet, problems: Vec<Problem>) {
        self.add_rows(&sheet);
        self.open = None;
        // Problems the reader attached to a row belong to that row's record.
        for p in problems {
            self.ds.attach(p);
        }
    }
}

impl<'a> DatasetBuilder<'a> {
    /// An empty dataset, to be fed sheets.
    pub fn new(limits: &'a LimitsConfig) -> Self {
        DatasetBuilder {
            limits,
            ds: Dataset::default(),
            unreadable: Vec::new(),
            roster: Vec::new(),
            trainings: Vec::new(),
            talks: Vec::new(),
            reviews: Vec::new(),
            relatives: Vec::new(),
            appraisals: Vec::new(),
            resumes: Vec::new(),
            spool: TextSpool::new(),
            interner: Interner::default(),
            open: None,
        }
    }

    /// The lengths of the typed lists, in [`Mark::lists`] order.
    fn list_lengths(&self) -> [usize; 6] {
        [
            self.trainings.len(),
            self.talks.len(),
            self.reviews.len(),
            self.relatives.len(),
            self.appraisals.len(),
            self.resumes.len(),
        ]
    }

    /// Takes back everything a sheet's parts added (its texts already spooled stay in the
    /// spool, unread; the 学号 and 姓名 it shared stay shared).
    fn roll_back(&mut self, mark: Mark) {
        let ds = &mut self.ds;
        ds.ledger.roll_back(mark.ledger, &mark.key);
        ds.general.truncate(mark.general);
        ds.blank_rows = mark.blank_rows;
        ds.has_roster = mark.has_roster;
        self.roster.truncate(mark.roster);
        let [t, k, v, r, a, e] = mark.lists;
        self.trainings.truncate(t);
        self.talks.truncate(k);
        self.reviews.truncate(v);
        self.relatives.truncate(r);
        self.appraisals.truncate(a);
        self.resumes.truncate(e);
    }

    /// Notes a file that was read and the format it was read as (`xlsx`, `csv（GBK）` …).
    pub fn file_read(&mut self, file: &str, format: &str) {
        self.ds.formats.push((file.to_string(), format.to_string()));
    }

    /// Notes a file that could not be read at all.
    pub fn file_unreadable(&mut self, problem: Problem) {
        self.unreadable.push(problem);
    }

    /// Takes one sheet, or one part of a sheet handed over in parts: every row into the
    /// ledger, every data row into a typed record (or its problems).
    fn add_rows(&mut self, sheet: &Sheet) {
        let key = (sheet.file.clone(), sheet.name.clone());
        if self.open.as_ref().is_none_or(|m| m.key != key) {
            self.open = Some(Mark {
                key,
                ledger: self.ds.ledger.mark(),
                general: self.ds.general.len(),
                roster: self.roster.len(),
                lists: self.list_lengths(),
                blank_rows: self.ds.blank_rows,
                has_roster: self.ds.has_roster,
            });
        }
        let ds = &mut self.ds;
        ds.blank_rows += sheet.blank_rows as u64;
        ds.has_roster |= sheet.kind == Some(SheetKind::Roster) && !sheet.rows.is_empty();
        ds.register_rows(sheet, &mut self.interner);
        // Cells longer than their column allows refuse their row before anything reads them.
        for row in &sheet.rows {
            let found = too_long(row, self.limits);
            if !found.is_empty() {
                ds.attach_all(&row.at, found);
            }
        }
        let Some(kind) = sheet.kind else { return };
        match kind {
            SheetKind::Roster => {
                grow_for(&mut self.roster, sheet);
                for row in &sheet.rows {
                    let Some(i) = self.ds.row_index(&row.at) else {
                        continue;
                    };
                    let (student, problems) = Student::from_row(row);
                    self.ds.ledger.problems_mut(i).extend(problems);
                    let card_cell = row.get("身份证号").map(|(cell, _)| cell);
                    self.roster.push((i, student, card_cell));
                }
            }
            SheetKind::Training => self.typed(sheet, |b| &mut b.trainings),
            SheetKind::Talk => self.typed(sheet, |b| &mut b.talks),
            SheetKind::Review => self.typed(sheet, |b| &mut b.reviews),
            SheetKind::Relative => self.typed(sheet, |b| &mut b.relatives),
            SheetKind::Appraisal => self.typed(sheet, |b| &mut b.appraisals),
            SheetKind::Resume => self.typed(sheet, |b| &mut b.resumes),
        }
    }

    /// Reads every data row of a linked sheet into a typed record (or its problems), its long
    /// texts spooled, onto the pending list `list` picks.
    fn typed<T: SheetRecord>(&mut self, sheet: &Sheet, list: fn(&mut Self) -> &mut Pending<T>) {
        let mut into = take(list(self));
        grow_for(&mut into, sheet);
        for row in &sheet.rows {
            let Some(i) = self.ds.row_index(&row.at) else {
                continue;
            };
            let (record, problems) = T::from_row(row);
            self.ds.ledger.problems_mut(i).extend(problems);
            if let Some(mut record) = record {
                record.share_texts(&mut self.interner);
                if let Some(spool) = &self.spool {
                    record.spool_texts(spool);
                }
                into.push((i, record));
            }
        }
        *list(self) = into;
    }

    /// Links every row to the roster and returns the records. The checks across rows are not
    /// run: see [`super::load`].
    pub fn finish(self) -> Dataset {
        let DatasetBuilder {
            mut ds,
            unreadable,
            roster,
            ..
        } = self;
        let mut general = unreadable;
        general.append(&mut ds.general);
        ds.general = general;

        let mut roster_rows: BTreeMap<String, RowRef> = BTreeMap::new();
        let mut refused_ids: BTreeMap<String, RowRef> = BTreeMap::new();
        // 身份证号 → the cell of the student who has it.
        let mut id_cards: BTreeMap<String, CellRef> = BTreeMap::new();
        // The roster's students, collected first: a map built at once from them has full
        // nodes, where one grown row by row in 学号 order (as rosters are kept) leaves every
        // node half empty — about 470 bytes more per student.
        let mut accepted: Vec<(String, Student)> = Vec::with_capacity(roster.len());
        for (i, student, card_cell) in roster {
            let Some(at) = ds.ledger.at(i) else { continue };
            let Some(student) = student else {
                let id = ds.ledger.student_id(i);
                if !id.is_empty() {
                    refused_ids.insert(id.to_string(), at);
                }
                continue;
            };
            if let Some(first) = roster_rows.get(&student.id) {
                ds.ledger.problems_mut(i).push(
                    Problem::error(
                        Location::Row(at.clone()),
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
            if let (Some(card), Some(cell)) = (&student.id_card, card_cell) {
                if let Some(first) = id_cards.get(&card.number) {
                    ds.ledger.problems_mut(i).push(
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
                    refused_ids.insert(student.id.clone(), at);
                    continue;
                }
                id_cards.insert(card.number.clone(), cell);
            }
            roster_rows.insert(student.id.clone(), at);
            accepted.push((student.id.clone(), student));
        }
        ds.students = accepted.into_iter().collect();
        ds.trainings = ds.link_all(self.trainings, &refused_ids).into();
        ds.talks = ds.link_all(self.talks, &refused_ids).into();
        ds.reviews = ds.link_all(self.reviews, &refused_ids).into();
        ds.relatives = ds.link_all(self.relatives, &refused_ids).into();
        ds.appraisals = ds.link_all(self.appraisals, &refused_ids).into();
        ds.resumes = ds.link_all(self.resumes, &refused_ids).into();
        // Every row is in: the ledger's slack goes.
        ds.ledger.done();
        ds.by_student = ds.index_students();
        ds.members = Arc::new(ds.index_members());
        ds
    }
}

impl Dataset {
    /// Where student `id`'s records are (none for an unknown 学号). Looked up, never scanned:
    /// planning and forms stay linear in the ledger.
    pub fn records_of(&self, id: &str) -> &StudentRecords {
        self.by_student.get(id).unwrap_or(&NO_RECORDS)
    }

    /// Puts the students and their records away on disk (see [`Shelf`]) and frees their
    /// memory: from now on a document's records come from [`Dataset::view_of`]. Done once
    /// a run is planned; the ledger, the problems and the 身份证号 the manifest lists stay.
    /// On an error (no temporary file, a full disk) nothing is put away and the dataset is
    /// as it was.
    pub fn shelve(&mut self) -> io::Result<()> {
        if self.shelf.is_some() {
            return Ok(());
        }
        let blocks = self.students.iter().map(|(id, student)| {
            let records = self.records_of(id);
            Block {
                student,
                records,
                trainings: self.trainings.pick(&records.trainings),
                talks: self.talks.pick(&records.talks),
                reviews: self.reviews.pick(&records.reviews),
                relatives: self.relatives.pick(&records.relatives),
                appraisals: self.appraisals.pick(&records.appraisals),
                resumes: self.resumes.pick(&records.resumes),
            }
        });
        let shelf = Shelf::put(blocks)?;
        self.students = BTreeMap::new();
        self.trainings = RecordList::default();
        self.talks = RecordList::default();
        self.reviews = RecordList::default();
        self.relatives = RecordList::default();
        self.appraisals = RecordList::default();
        self.resumes = RecordList::default();
        self.by_student = HashMap::new();
        self.shelf = Some(Arc::new(shelf));
        Ok(())
    }

    /// Whether the students and records are on the shelf ([`Dataset::shelve`]).
    pub fn is_shelved(&self) -> bool {
        self.shelf.is_some()
    }

    /// A dataset with what the forms of student `id` read: this one, or once shelved, the
    /// student and their records read back from disk, each record under its place in the
    /// whole input (so that a plan's keys find it). A student not in the data gives a dataset
    /// without them, where every form finds its records missing.
    pub fn view_of(&self, id: &str) -> io::Result<Cow<'_, Dataset>> {
        let Some(shelf) = &self.shelf else {
            return Ok(Cow::Borrowed(self));
        };
        let mut view = Dataset {
            members: Arc::clone(&self.members),
            ..Dataset::default()
        };
        if let Some(block) = shelf.take(id)? {
            view.fill_from(block);
        }
        Ok(Cow::Owned(view))
    }

    /// Makes this (empty) dataset hold one student's block.
    fn fill_from(&mut self, block: TakenBlock) {
        let TakenBlock {
            student,
            records,
            trainings,
            talks,
            reviews,
            relatives,
            appraisals,
            resumes,
        } = block;
        self.trainings = RecordList::part(records.trainings.clone(), trainings);
        self.talks = RecordList::part(records.talks.clone(), talks);
        self.reviews = RecordList::part(records.reviews.clone(), reviews);
        self.relatives = RecordList::part(records.relatives.clone(), relatives);
        self.appraisals = RecordList::part(records.appraisals.clone(), appraisals);
        self.resumes = RecordList::part(records.resumes.clone(), resumes);
        self.by_student.insert(student.id.clone(), records);
        self.students.insert(student.id.clone(), student);
    }

    /// The 身份证号 of 学号 `id`, if the roster has the student with one (shelved or not).
    pub fn id_card_of(&self, id: &str) -> Option<&str> {
        match &self.shelf {
            Some(shelf) => shelf.id_card_of(id),
            None => self
                .students
                .get(id)
                .and_then(|s| s.id_card.as_ref())
                .map(|card| card.number.as_str()),
        }
    }

    /// The one roster student named `name` who has joined the party; `None` when there is
    /// none, or more than one (a form cannot tell which is meant).
    pub fn member_named(&self, name: &str) -> Option<&Member> {
        self.members.get(name)?.as_ref()
    }

    /// The party members of the roster by 姓名, one pass.
    fn index_members(&self) -> HashMap<String, Option<Member>> {
        let mut by: HashMap<String, Option<Member>> = HashMap::new();
        for s in self.students.values() {
            let Some(joined) = s.probationary_since else {
                continue;
            };
            let member = Member {
                post: s.post.clone(),
                joined,
            };
            by.entry(s.name.clone())
                .and_modify(|m| *m = None)
                .or_insert(Some(member));
        }
        by
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
        for (i, r) in self.trainings.indexed() {
            entry(&mut by, &r.student_id).trainings.push(i);
        }
        for (i, r) in self.talks.indexed() {
            entry(&mut by, &r.student_id).talks.push(i);
        }
        for (i, r) in self.reviews.indexed() {
            entry(&mut by, &r.student_id).reviews.push(i);
        }
        for (i, r) in self.relatives.indexed() {
            entry(&mut by, &r.student_id).relatives.push(i);
        }
        for (i, r) in self.appraisals.indexed() {
            entry(&mut by, &r.student_id).appraisals.push(i);
        }
        for (i, r) in self.resumes.indexed() {
            entry(&mut by, &r.student_id).resumes.push(i);
        }
        by
    }

    /// Links the valid rows of one kind to the roster by 学号; a row whose student is unknown
    /// (or named differently) is refused with the reason.
    fn link_all<T: SheetRecord>(
        &mut self,
        pending: Pending<T>,
        refused_ids: &BTreeMap<String, RowRef>,
    ) -> Vec<T> {
        let students = &self.students;
        let ledger = &mut self.ledger;
        // Collected in place (the pending list's memory is reused, not copied), then the
        // slack of its growth is given back.
        let mut records: Vec<T> = pending
            .into_iter()
            .filter_map(|(i, record)| {
                match link(students, refused_ids, record.student_id(), record.name()) {
                    Ok(()) => Some(record),
                    Err(e) => {
                        let at = ledger.at(i)?;
                        ledger.problems_mut(i).push(
                            Problem::error(Location::Row(at), e.to_string()).with_column("学号"),
                        );
                        None
                    }
                }
            })
            .collect();
        records.shrink_to_fit();
        records
    }

    /// Every problem: general ones first, then each row's, in input order.
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.general.iter().chain(self.ledger.problems())
    }

    /// How many problems of a severity there are.
    pub fn count(&self, severity: Severity) -> usize {
        self.problems().filter(|p| p.severity == severity).count()
    }

    /// Adds a problem to the row it names (or to the general list when it names no row).
    pub fn attach(&mut self, problem: Problem) {
        match problem.location.row().and_then(|r| self.row_index(&r)) {
            Some(i) => self.ledger.problems_mut(i).push(problem),
            None => self.general.push(problem),
        }
    }

    /// The cell of a standard column in a row (`花名册.xlsx › 花名册 › M7`), or the row itself
    /// when its sheet has no such column.
    pub fn cell(&self, at: &RowRef, column: &str) -> Location {
        match self.ledger.column(at, column) {
            Some(col) => Location::Cell(at.cell(col)),
            None => Location::Row(at.clone()),
        }
    }

    /// The ledger index of a row.
    pub fn row_index(&self, at: &RowRef) -> Option<usize> {
        self.ledger.index_of(at)
    }

    /// The ledger positions of rows, in their order; a row not in the ledger (none is: every
    /// record comes from a ledger row) is left out.
    pub fn ledger_positions<'a>(&'a self, rows: &'a [RowRef]) -> impl Iterator<Item = u32> + 'a {
        rows.iter()
            .filter_map(|r| self.row_index(r))
            .filter_map(|i| u32::try_from(i).ok())
    }

    /// Where the row at ledger position `i` is; `None` past the ledger's end.
    pub fn row_at(&self, i: u32) -> Option<RowRef> {
        self.ledger.at(i as usize)
    }

    /// Adds problems to the row `at` (or to the general list when it is not in the ledger).
    fn attach_all(&mut self, at: &RowRef, problems: Vec<Problem>) {
        match self.row_index(at) {
            Some(i) => self.ledger.problems_mut(i).extend(problems),
            None => self.general.extend(problems),
        }
    }

    /// Adds a ledger entry for every data row and every set-aside row of a sheet, in row
    /// order.
    fn register_rows(&mut self, sheet: &Sheet, interner: &mut Interner) {
        let texts: Vec<(String, String)> = sheet
            .rows
            .iter()
            .map(|row| (raw_text(row, "学号"), raw_text(row, "姓名")))
            .collect();
        let mut rows: Vec<NewRow<'_>> = sheet
            .rows
            .iter()
            .zip(&texts)
            .map(|(row, (id, name))| NewRow {
                row: row.at.row,
                student_id: id,
                name,
                ignored: None,
            })
            .chain(sheet.ignored.iter().map(|ignored| NewRow {
                row: ignored.at.row,
                student_id: "",
                name: "",
                ignored: Some(if ignored.text.is_empty() {
                    ignored.reason.as_str().into()
                } else {
                    format!("{}：{}", ignored.reason, ignored.text).into()
                }),
            }))
            .collect();
        rows.sort_by_key(|r| r.row);
        self.ledger.add(sheet, rows, |text| interner.get(text));
    }
}

/// Makes room in `list` for the data rows of `part`: once per sheet, by the whole sheet as the
/// reader expects it (not part by part, and not by doubling, whose slack would be a third of
/// a province's records); by half the list again if the sheet proves longer than expected.
fn grow_for<T>(list: &mut Vec<T>, part: &Sheet) {
    if list.capacity() - list.len() < part.rows.len() {
        list.reserve_exact(part.size_hint.max(part.rows.len()).max(list.len() / 2));
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
