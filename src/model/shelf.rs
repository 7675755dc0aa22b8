//! A dataset's students and records put away on disk while its documents are made. Once a
//! run is planned, a form needs the records of one student at a time; a province's records
//! held in memory through the whole typesetting would make memory grow with the school. So
//! each student's roster entry and records are written, one block per student, to a
//! [`TextSpool`] of their own (an anonymous temporary file, gone with the dataset), and a
//! document's turn reads its student's block back as a small dataset of that student alone
//! (see [`crate::model::dataset::Dataset::view_of`]). Memory keeps, per student, the 学号, the
//! 身份证号 (for the manifest) and where the block is.

use crate::model::record_list::StudentRecords;
use crate::model::records::{Appraisal, Relative, ResumeEntry, Review, Talk};
use crate::model::student::Student;
use crate::model::text::TextSpool;
use crate::model::training::Training;
use serde::{Deserialize, Serialize};
use std::io;

/// The students and records of a dataset, on disk.
pub struct Shelf {
    /// The blocks, one per student in 学号 order.
    blocks: TextSpool,
    /// Where each student's block is, in 学号 order.
    index: Vec<Shelved>,
}

impl std::fmt::Debug for Shelf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Shelf({} students)", self.index.len())
    }
}

/// One student on the shelf.
#[derive(Debug)]
struct Shelved {
    /// 学号.
    id: Box<str>,
    /// 身份证号, when the roster gives one (the manifest lists it on every row).
    id_card: Option<Box<str>>,
    /// Where the block starts.
    offset: u64,
    /// Its length in bytes.
    len: u32,
}

/// One student's block as written: the roster entry and every record, each list in input
/// order (the order of its places in [`StudentRecords`]).
#[derive(Serialize)]
pub(crate) struct Block<'a> {
    pub student: &'a Student,
    pub records: &'a StudentRecords,
    pub trainings: Vec<&'a Training>,
    pub talks: Vec<&'a Talk>,
    pub reviews: Vec<&'a Review>,
    pub relatives: Vec<&'a Relative>,
    pub appraisals: Vec<&'a Appraisal>,
    pub resumes: Vec<&'a ResumeEntry>,
}

/// One student's block as read back.
#[derive(Deserialize)]
pub(crate) struct TakenBlock {
    pub student: Student,
    pub records: StudentRecords,
    pub trainings: Vec<Training>,
    pub talks: Vec<Talk>,
    pub reviews: Vec<Review>,
    pub relatives: Vec<Relative>,
    pub appraisals: Vec<Appraisal>,
    pub resumes: Vec<ResumeEntry>,
}

/// A failure of the disk under the shelf, as an I/O error.
fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

impl Shelf {
    /// Writes each student's block (long texts included, read back from the text spool), in
    /// 学号 order, to a new temporary file.
    pub(crate) fn put<'a>(blocks: impl Iterator<Item = Block<'a>>) -> io::Result<Shelf> {
        let spool = TextSpool::create()?;
        let mut index = Vec::new();
        let mut bytes = Vec::new();
        for block in blocks {
            bytes.clear();
            bytes = postcard::to_extend(&block, bytes).map_err(invalid)?;
            let len = u32::try_from(bytes.len()).map_err(invalid)?;
            let offset = spool.append_bytes(&bytes)?;
            index.push(Shelved {
                id: block.student.id.as_str().into(),
                id_card: block
                    .student
                    .id_card
                    .as_ref()
                    .map(|c| c.number.as_str().into()),
                offset,
                len,
            });
        }
        // Blocks come in 学号 order (from the roster's map); found by binary search.
        if !index.is_sorted_by(|a, b| a.id <= b.id) {
            index.sort_by(|a, b| a.id.cmp(&b.id));
        }
        Ok(Shelf {
            blocks: spool,
            index,
        })
    }

    /// The entry of 学号 `id`.
    fn find(&self, id: &str) -> Option<&Shelved> {
        self.index
            .binary_search_by(|s| (*s.id).cmp(id))
            .ok()
            .map(|i| &self.index[i])
    }

    /// The 身份证号 of 学号 `id`, if the student is on the shelf and has one.
    pub fn id_card_of(&self, id: &str) -> Option<&str> {
        self.find(id)?.id_card.as_deref()
    }

    /// Reads back the block of 学号 `id`; `Ok(None)` for a student not on the shelf.
    pub(crate) fn take(&self, id: &str) -> io::Result<Option<TakenBlock>> {
        let Some(entry) = self.find(id) else {
            return Ok(None);
        };
        let bytes = self.blocks.read_bytes(entry.offset, entry.len)?;
        postcard::from_bytes(&bytes).map(Some).map_err(invalid)
    }
}
