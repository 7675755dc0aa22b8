//! A dataset's students and records put away on disk while its documents are made. Once a
//! run is planned, a form needs the records of one student at a time; a province's records
//! held in memory through the whole typesetting would make memory grow with the school. So
//! each student's roster entry and records are written, one block per student, to an
//! anonymous temporary file (gone with the dataset), and a document's turn reads its
//! student's block back as a small dataset of that student alone (see
//! [`Dataset::view_of`]). Memory keeps, per student, the 学号, the 身份证号 (for the
//! manifest) and where the block is.

use crate::model::dataset::{Dataset, StudentRecords};
use crate::model::records::{Appraisal, Relative, ResumeEntry, Review, Talk};
use crate::model::student::Student;
use crate::model::training::Training;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

/// The students and records of a dataset, on disk.
pub struct Shelf {
    /// The blocks, one per student in 学号 order; read under the lock (seek, then read).
    file: Mutex<File>,
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
struct Block<'a> {
    student: &'a Student,
    records: &'a StudentRecords,
    trainings: Vec<&'a Training>,
    talks: Vec<&'a Talk>,
    reviews: Vec<&'a Review>,
    relatives: Vec<&'a Relative>,
    appraisals: Vec<&'a Appraisal>,
    resumes: Vec<&'a ResumeEntry>,
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
    /// Writes every student of `ds` with their records (long texts included, read back from
    /// the text spool) to a new temporary file.
    pub fn put(ds: &Dataset) -> io::Result<Shelf> {
        let mut writer = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
        let mut index = Vec::with_capacity(ds.students.len());
        let mut offset = 0u64;
        let mut bytes = Vec::new();
        for (id, student) in &ds.students {
            let records = ds.records_of(id);
            let block = Block {
                student,
                records,
                trainings: records
                    .trainings
                    .iter()
                    .map(|&i| &ds.trainings[i])
                    .collect(),
                talks: records.talks.iter().map(|&i| &ds.talks[i]).collect(),
                reviews: records.reviews.iter().map(|&i| &ds.reviews[i]).collect(),
                relatives: records
                    .relatives
                    .iter()
                    .map(|&i| &ds.relatives[i])
                    .collect(),
                appraisals: records
                    .appraisals
                    .iter()
                    .map(|&i| &ds.appraisals[i])
                    .collect(),
                resumes: records.resumes.iter().map(|&i| &ds.resumes[i]).collect(),
            };
            bytes.clear();
            bytes = postcard::to_extend(&block, bytes).map_err(invalid)?;
            let len = u32::try_from(bytes.len()).map_err(invalid)?;
            writer.write_all(&bytes)?;
            index.push(Shelved {
                id: id.as_str().into(),
                id_card: student.id_card.as_ref().map(|c| c.number.as_str().into()),
                offset,
                len,
            });
            offset += u64::from(len);
        }
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        Ok(Shelf {
            file: Mutex::new(file),
            index,
        })
    }

    /// How many students are on the shelf.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the shelf holds no student.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
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
        let mut bytes = vec![0; entry.len as usize];
        {
            let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
            file.seek(SeekFrom::Start(entry.offset))?;
            file.read_exact(&mut bytes)?;
        }
        postcard::from_bytes(&bytes).map(Some).map_err(invalid)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::read::Input;
    use std::path::Path;

    #[test]
    fn every_student_comes_back_with_the_very_records_put_away() {
        let ledger =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample/学生党建台账.xlsx");
        let input = Input::from_path(&ledger, u64::MAX).expect("the sample ledger");
        let ds = crate::model::load(&[input], &Config::default());
        assert!(ds.students.len() > 50 && ds.talks.len() > 50);
        assert!(
            ds.talks
                .iter()
                .any(|t| t.content.as_ref().is_some_and(|c| c.is_spooled())),
            "long texts read back from the text spool are shelved too"
        );
        let mut shelved = ds.clone();
        shelved.shelve().expect("a temporary file");
        assert!(shelved.is_shelved());
        assert!(shelved.students.is_empty() && shelved.talks.is_empty());
        assert_eq!(shelved.rows, ds.rows, "the ledger stays");
        for (id, student) in &ds.students {
            let view = shelved.view_of(id).expect("read back");
            assert_eq!(view.students.len(), 1);
            assert_eq!(view.students.get(id), Some(student));
            let (put, back) = (ds.records_of(id), view.records_of(id));
            assert_eq!(back.trainings, put.trainings);
            for &i in &put.trainings {
                assert_eq!(view.trainings[i], ds.trainings[i]);
            }
            assert_eq!(back.talks, put.talks);
            for &i in &put.talks {
                assert_eq!(view.talks[i], ds.talks[i]);
            }
            assert_eq!(back.reviews, put.reviews);
            for &i in &put.reviews {
                assert_eq!(view.reviews[i], ds.reviews[i]);
            }
            assert_eq!(back.relatives, put.relatives);
            for &i in &put.relatives {
                assert_eq!(view.relatives[i], ds.relatives[i]);
            }
            assert_eq!(back.appraisals, put.appraisals);
            for &i in &put.appraisals {
                assert_eq!(view.appraisals[i], ds.appraisals[i]);
            }
            assert_eq!(back.resumes, put.resumes);
            for &i in &put.resumes {
                assert_eq!(view.resumes[i], ds.resumes[i]);
            }
            assert_eq!(shelved.id_card_of(id), ds.id_card_of(id));
            for c in &student.contacts {
                assert_eq!(view.member_named(c), ds.member_named(c));
            }
        }
        let stranger = shelved.view_of("9999999999").expect("a view");
        assert!(stranger.students.is_empty() && stranger.talks.is_empty());
        // Shelving twice is shelving once.
        shelved.shelve().expect("no-op");
        assert!(
            shelved
                .view_of(ds.students.keys().next().unwrap())
                .unwrap()
                .students
                .len()
                == 1
        );
    }
}
