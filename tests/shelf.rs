//! A run's students and records put away on disk once it is planned
//! (`Dataset::shelve`), and read back one student at a time as their documents are made.

use dangjian::config::Config;
use dangjian::read::Input;
use std::path::Path;

#[test]
fn every_student_comes_back_with_the_very_records_put_away() {
    let ledger = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample/学生党建台账.xlsx");
    let input = Input::from_path(&ledger, u64::MAX).expect("the sample ledger");
    let ds = dangjian::load(&[input], &Config::default());
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
    assert_eq!(shelved.ledger, ds.ledger, "the ledger stays");
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
