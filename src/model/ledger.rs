//! The ledger: one entry for every input row — data or set aside — so that none disappears
//! silently, each with its problems. A province's run has hundreds of thousands of rows and
//! the ledger stays in memory for the whole run (the manifest lists every row), so an entry
//! is 24 bytes: where the row is as a sheet number and a row number, its 学号 and 姓名 as
//! numbers of texts kept once, and its problems (one pointer when it has none). What is the
//! same for every row of a sheet (file, sheet name, kind, columns) is kept once per sheet;
//! the rare set-aside rows keep their reason in a list of their own.

use crate::problem::{Problem, RowRef};
use crate::read::{Sheet, SheetKind};
use foldhash::{HashMap, HashMapExt};
use std::ops::Range;
use std::sync::Arc;
use thin_vec::ThinVec;

/// A sheet by (file, sheet name).
pub(crate) type SheetKey = (Arc<String>, Arc<String>);

/// Every input row, in input order: file, sheet, row.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// The entries, in input order; within a sheet in row order.
    rows: Vec<Entry>,
    /// The sheets the entries are in (an entry names its sheet by position here).
    sheets: Vec<LedgerSheet>,
    /// The position in `sheets` of the sheet each (file, sheet) rows are added to.
    by_key: HashMap<SheetKey, u32>,
    /// Every distinct 学号 and 姓名 (the first is empty), shared with the records.
    texts: Vec<Arc<str>>,
    /// The number of each text in `texts`, while rows are added (emptied by
    /// [`Ledger::done`]).
    text_ids: HashMap<Arc<str>, u32>,
    /// Why each set-aside row is not data (title, header, footer …), by entry position,
    /// in order.
    ignored: Vec<(u32, Box<str>)>,
}

/// One row as the ledger keeps it.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    /// Position of its sheet in [`Ledger::sheets`].
    sheet: u32,
    /// 0-based row index in the sheet.
    row: u32,
    /// 学号 as read (may be empty), as a position in [`Ledger::texts`].
    student_id: u32,
    /// 姓名 as read (may be empty), as a position in [`Ledger::texts`].
    name: u32,
    /// Every problem of the row, errors and warnings.
    problems: ThinVec<Problem>,
}

/// What is the same for every row of a sheet.
#[derive(Debug, Clone)]
struct LedgerSheet {
    file: Arc<String>,
    name: Arc<String>,
    /// `None` for an unrecognised sheet.
    kind: Option<SheetKind>,
    /// Where its entries are.
    rows: Range<usize>,
    /// Its recognised columns: standard name → column.
    columns: Vec<(&'static str, u32)>,
}

/// What became of one input row, as read from the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRecord<'a> {
    /// Where the row is.
    pub at: RowRef,
    /// The sheet kind, `None` for rows of unrecognised sheets.
    pub kind: Option<SheetKind>,
    /// 学号 as read (may be empty).
    pub student_id: &'a str,
    /// 姓名 as read (may be empty).
    pub name: &'a str,
    /// Why the row is not data (title, header, footer …), for rows set aside by the reader.
    pub ignored: Option<&'a str>,
    /// Every problem of this row, errors and warnings.
    pub problems: &'a [Problem],
}

impl RowRecord<'_> {
    /// True when the row has an error and its documents are refused.
    pub fn refused(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// How long the ledger was before a sheet was added, to take the sheet back.
#[derive(Debug, Clone, Copy)]
pub struct LedgerMark {
    rows: usize,
    sheets: usize,
    ignored: usize,
}

/// A row to add: where it is, its 学号 and 姓名 as read, and for a set-aside row why.
pub struct NewRow<'a> {
    /// 0-based row index in the sheet.
    pub row: u32,
    /// 学号 as read.
    pub student_id: &'a str,
    /// 姓名 as read.
    pub name: &'a str,
    /// Why the row is not data, for a set-aside row.
    pub ignored: Option<Box<str>>,
}

/// Two ledgers are equal when they list the same rows, however they keep them.
impl PartialEq for Ledger {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Ledger {
    /// How many rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The row at position `i`.
    pub fn get(&self, i: usize) -> Option<RowRecord<'_>> {
        let entry = self.rows.get(i)?;
        Some(RowRecord {
            at: self.at(i)?,
            kind: self.sheets[entry.sheet as usize].kind,
            student_id: &self.texts[entry.student_id as usize],
            name: &self.texts[entry.name as usize],
            ignored: self.ignored_at(i),
            problems: &entry.problems,
        })
    }

    /// Every row, in input order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = RowRecord<'_>> {
        (0..self.rows.len()).map(|i| self.get(i).expect("in range"))
    }

    /// Where the row at position `i` is.
    pub fn at(&self, i: usize) -> Option<RowRef> {
        let entry = self.rows.get(i)?;
        let sheet = &self.sheets[entry.sheet as usize];
        Some(RowRef {
            file: sheet.file.clone(),
            sheet: sheet.name.clone(),
            row: entry.row,
        })
    }

    /// The 学号 of the row at position `i`, as read (empty if none).
    pub fn student_id(&self, i: usize) -> &str {
        self.rows
            .get(i)
            .map_or("", |e| &self.texts[e.student_id as usize])
    }

    /// Whether the row at position `i` has an error (its documents are refused).
    pub fn refused(&self, i: usize) -> bool {
        self.problems_of(i).iter().any(Problem::is_error)
    }

    /// The problems of the row at position `i`.
    pub fn problems_of(&self, i: usize) -> &[Problem] {
        self.rows.get(i).map_or(&[], |e| &e.problems)
    }

    /// The problems of the row at position `i`, to add to.
    pub(crate) fn problems_mut(&mut self, i: usize) -> &mut ThinVec<Problem> {
        &mut self.rows[i].problems
    }

    /// Every row's problems, in input order.
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.rows.iter().flat_map(|e| e.problems.iter())
    }

    /// The position of a row. Within a sheet the entries are in row order, so it is found
    /// by binary search, with no map of every row.
    pub fn index_of(&self, at: &RowRef) -> Option<usize> {
        let sheet = self.sheet_of(at)?;
        let range = sheet.rows.clone();
        let rows = self.rows.get(range.clone())?;
        let i = rows.binary_search_by_key(&at.row, |e| e.row).ok()?;
        Some(range.start + i)
    }

    /// The column of a standard column name in the sheet of `at`, if the sheet has it.
    pub fn column(&self, at: &RowRef, column: &str) -> Option<u32> {
        self.sheet_of(at)?
            .columns
            .iter()
            .find(|(name, _)| *name == column)
            .map(|(_, col)| *col)
    }

    /// The sheet rows of (file, sheet) are added to.
    fn sheet_of(&self, at: &RowRef) -> Option<&LedgerSheet> {
        let i = *self.by_key.get(&(at.file.clone(), at.sheet.clone()))?;
        self.sheets.get(i as usize)
    }

    /// Why the row at position `i` was set aside, if it was.
    fn ignored_at(&self, i: usize) -> Option<&str> {
        let i = u32::try_from(i).ok()?;
        let found = self.ignored.binary_search_by_key(&i, |(at, _)| *at).ok()?;
        Some(&self.ignored[found].1)
    }

    /// How long the ledger is now: [`Ledger::roll_back`] returns to it.
    pub(crate) fn mark(&self) -> LedgerMark {
        LedgerMark {
            rows: self.rows.len(),
            sheets: self.sheets.len(),
            ignored: self.ignored.len(),
        }
    }

    /// Takes back every row added since `mark` was taken, and the sheet (file, sheet name)
    /// `key` (its 学号 and 姓名 stay known).
    pub(crate) fn roll_back(&mut self, mark: LedgerMark, key: &SheetKey) {
        self.rows.truncate(mark.rows);
        self.sheets.truncate(mark.sheets);
        self.ignored.truncate(mark.ignored);
        self.by_key.remove(key);
    }

    /// Adds the rows of one sheet, or of one part of a sheet handed over in parts (`rows`
    /// in row order). The first part makes room for the whole sheet as the reader expects
    /// it, not by doubling: the ledger of a province has hundreds of thousands of rows, and
    /// doubling's slack would be a third of it. A sheet's parts are consecutive rows: each
    /// extends the sheet's range.
    pub(crate) fn add(
        &mut self,
        sheet: &Sheet,
        rows: Vec<NewRow<'_>>,
        intern: impl FnMut(&str) -> Arc<str>,
    ) {
        let mut intern = intern;
        let key = (sheet.file.clone(), sheet.name.clone());
        let end = self.rows.len() + rows.len();
        let at = match self.by_key.get(&key).map(|&i| i as usize) {
            Some(i) if self.sheets[i].rows.end == self.rows.len() => {
                self.sheets[i].rows.end = end;
                i
            }
            _ => {
                self.rows.reserve_exact(sheet.size_hint.max(rows.len()));
                self.sheets.push(LedgerSheet {
                    file: sheet.file.clone(),
                    name: sheet.name.clone(),
                    kind: sheet.kind,
                    rows: self.rows.len()..end,
                    columns: sheet.columns.iter().map(|c| (c.name, c.col)).collect(),
                });
                let i = self.sheets.len() - 1;
                self.by_key.insert(key, i as u32);
                i
            }
        };
        for new in rows {
            let student_id = self.text_id(new.student_id, &mut intern);
            let name = self.text_id(new.name, &mut intern);
            if let Some(why) = new.ignored {
                self.ignored.push((self.rows.len() as u32, why));
            }
            self.rows.push(Entry {
                sheet: at as u32,
                row: new.row,
                student_id,
                name,
                problems: ThinVec::new(),
            });
        }
    }

    /// The number of `text` in the texts, added (as the shared copy `intern` gives) when new.
    fn text_id(&mut self, text: &str, intern: &mut impl FnMut(&str) -> Arc<str>) -> u32 {
        if self.texts.is_empty() {
            let empty = intern("");
            self.text_ids.insert(empty.clone(), 0);
            self.texts.push(empty);
        }
        if let Some(&id) = self.text_ids.get(text) {
            return id;
        }
        let shared = intern(text);
        let id = self.texts.len() as u32;
        self.text_ids.insert(shared.clone(), id);
        self.texts.push(shared);
        id
    }

    /// Every row is in: the map of texts to numbers and the slack of growth go.
    pub(crate) fn done(&mut self) {
        self.text_ids = HashMap::new();
        self.rows.shrink_to_fit();
        self.texts.shrink_to_fit();
        self.ignored.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sheet named `name` of 台账.xlsx, recognised as `kind`.
    fn sheet(name: &str, kind: Option<SheetKind>) -> Sheet {
        let mut sheet = Sheet::empty(&Arc::new("台账.xlsx".into()), Arc::new(name.into()), 4);
        sheet.kind = kind;
        sheet
    }

    /// A data row.
    fn data<'a>(row: u32, id: &'a str, name: &'a str) -> NewRow<'a> {
        NewRow {
            row,
            student_id: id,
            name,
            ignored: None,
        }
    }

    /// A row set aside by the reader, and why.
    fn set_aside(row: u32, why: &str) -> NewRow<'static> {
        NewRow {
            row,
            student_id: "",
            name: "",
            ignored: Some(why.into()),
        }
    }

    /// The shared copy of a text, as the dataset's interner would give it.
    fn share(text: &str) -> Arc<str> {
        Arc::from(text)
    }

    #[test]
    fn rows_read_back_as_they_were_added() {
        let mut ledger = Ledger::default();
        let roster = sheet("花名册", Some(SheetKind::Roster));
        let title = set_aside(0, "标题行");
        ledger.add(
            &roster,
            vec![
                title,
                data(2, "2021001", "张三"),
                data(3, "2021002", "李四"),
            ],
            share,
        );
        let talks = sheet("谈话记录", Some(SheetKind::Talk));
        ledger.add(&talks, vec![data(1, "2021001", "张三")], share);
        ledger.done();

        assert_eq!(ledger.len(), 4);
        let rows: Vec<RowRecord<'_>> = ledger.iter().collect();
        assert_eq!(rows[0].ignored, Some("标题行"));
        assert_eq!((rows[1].student_id, rows[1].name), ("2021001", "张三"));
        assert_eq!(rows[1].ignored, None);
        assert_eq!(rows[3].kind, Some(SheetKind::Talk));
        assert_eq!(&**rows[3].at.sheet, "谈话记录");
        assert_eq!(rows[3].at.excel_row(), 2);
        // Found by where it is, without a map of every row.
        assert_eq!(ledger.index_of(&rows[2].at), Some(2));
        assert_eq!(ledger.index_of(&rows[3].at), Some(3));
    }

    #[test]
    fn problems_refuse_only_their_row_and_a_withdrawn_sheet_leaves_nothing() {
        let mut ledger = Ledger::default();
        ledger.add(
            &sheet("花名册", Some(SheetKind::Roster)),
            vec![data(1, "2021001", "张三"), data(2, "2021002", "李四")],
            share,
        );
        let at = ledger.at(1).expect("second row");
        ledger.problems_mut(1).push(Problem::error(
            crate::problem::Location::Row(at),
            "学号重复".to_string(),
        ));
        assert!(!ledger.refused(0) && ledger.refused(1));
        assert_eq!(ledger.problems().count(), 1);

        let mark = ledger.mark();
        let merged = sheet("谈话记录", Some(SheetKind::Talk));
        ledger.add(
            &merged,
            vec![set_aside(0, "表头"), data(1, "2021001", "张三")],
            share,
        );
        assert_eq!(ledger.len(), 4);
        ledger.roll_back(mark, &(merged.file.clone(), merged.name.clone()));
        assert_eq!(ledger.len(), 2);
        assert!(ledger.iter().all(|r| r.ignored.is_none()));
        // Read again from scratch, the sheet's rows are found where they now are.
        ledger.add(&merged, vec![data(1, "2021001", "张三")], share);
        let again = ledger.at(2).expect("re-read row");
        assert_eq!(ledger.index_of(&again), Some(2));
        assert_eq!(ledger.get(2).map(|r| r.ignored), Some(None));
    }

    #[test]
    fn an_entry_is_24_bytes() {
        // The point of the ledger's layout: a province's hundreds of thousands of rows.
        assert_eq!(std::mem::size_of::<Entry>(), 24);
    }
}
