//! The sample ledger (fixtures/sample/学生党建台账.xlsx) fills the optional columns of the
//! official forms and the 简历 sheet for most students and leaves them blank for some, so the
//! forms are exercised both filled and as blank boxes to fill by hand; and it reads without
//! an error (`cargo run --example gen_fixtures` writes it).

mod support;

use std::collections::BTreeMap;

use dangjian::config::Config;
use dangjian::model::dataset::Dataset;
use dangjian::model::student::Student;
use dangjian::model::text::SPOOLED_FROM_BYTES;
use dangjian::problem::Severity;
use support::*;

fn ledger() -> Dataset {
    let input = dangjian::Input::from_path(&fixture("sample/学生党建台账.xlsx"), u64::MAX)
        .expect("the sample ledger reads");
    dangjian::load(&[input], &Config::default())
}

#[test]
fn most_students_have_every_form_column_and_some_have_none() {
    let ds = ledger();
    assert_eq!(
        ds.count(Severity::Error),
        0,
        "the sample ledger has no errors"
    );
    let students: Vec<_> = ds.students.values().collect();
    assert_eq!(students.len(), 78);
    let filled: Vec<_> = students.iter().filter(|s| s.education.is_some()).collect();
    let blank: Vec<_> = students.iter().filter(|s| s.education.is_none()).collect();
    assert!(
        filled.len() * 10 >= students.len() * 8,
        "{} filled",
        filled.len()
    );
    assert!(blank.len() >= 5, "{} blank", blank.len());
    for s in &filled {
        assert!(s.political_status.is_some(), "{} 政治面貌", s.name);
        assert!(s.rewards.is_some(), "{} 奖惩情况", s.name);
        assert!(s.recommended_by.is_some(), "{} 推荐方式", s.name);
    }
    // The opinions are there for most, and the league's only where it recommended.
    let with = |f: fn(&Student) -> bool| filled.iter().filter(|s| f(s)).count();
    assert!(with(|s| s.league_opinion.is_some()) * 10 >= filled.len() * 6);
    assert!(with(|s| s.group_opinion.is_some()) * 10 >= filled.len() * 8);
    assert!(
        with(|s| s.group_opinion.is_none()) >= 1,
        "a 党小组意见 left blank"
    );
    for s in &filled {
        if s.league_opinion.is_some() {
            assert!(s.recommended_by.as_deref().unwrap().contains("团组织推优"));
        }
    }
    for s in &blank {
        assert!(
            s.rewards.is_none() && s.recommended_by.is_none() && s.group_opinion.is_none(),
            "{} has no form data at all",
            s.name
        );
    }

    // 简历: 4–5 rows for every filled student, none for the blank ones, ending at the
    // university 至今.
    let mut resumes: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for r in &ds.resumes {
        resumes.entry(&*r.student_id).or_default().push(r);
    }
    for s in &filled {
        let rows = &resumes[s.id.as_str()];
        assert!(
            (4..=5).contains(&rows.len()),
            "{}: {} rows",
            s.name,
            rows.len()
        );
        let last = rows.last().unwrap();
        assert!(last.period.ends_with("—至今"), "{}", last.period);
        assert!(last.unit.contains(&s.college), "{}", last.unit);
        assert!(rows.iter().all(|r| r.witness.is_some()));
    }
    for s in &blank {
        assert!(
            !resumes.contains_key(s.id.as_str()),
            "{} has no 简历",
            s.name
        );
    }
}

#[test]
fn talks_reviews_and_appraisals_of_filled_students_have_their_form_columns() {
    let ds = ledger();
    let filled = |id: &str| ds.students[id].education.is_some();
    let (talks_filled, talks_blank): (Vec<_>, Vec<_>) =
        ds.talks.iter().partition(|t| filled(&t.student_id));
    assert!(!talks_blank.is_empty());
    // Long free texts are on disk (the dataset's text spool), short ones in memory; either
    // reads back whole.
    assert!(
        talks_filled
            .iter()
            .any(|t| t.content.as_ref().is_some_and(|c| c.is_spooled()))
    );
    for t in &talks_filled {
        for text in [&t.content, &t.opinion].into_iter().flatten() {
            let read = text.get().expect("read back");
            assert_eq!(
                text.is_spooled(),
                read.len() >= SPOOLED_FROM_BYTES,
                "{read}"
            );
        }
        assert!(t.opinion.is_some() && t.mode.is_some() && t.topic.is_some());
        // The opinion is its own column, not repeated at the end of the content.
        assert!(
            !t.content
                .as_ref()
                .and_then(|c| c.get())
                .unwrap_or_default()
                .contains("谈话人意见：")
        );
    }
    assert!(talks_filled.iter().any(|t| t.note.is_some()));
    assert!(talks_blank.iter().all(|t| t.opinion.is_none()));

    for r in &ds.reviews {
        if filled(&r.student_id) {
            assert!(r.content.is_some() && r.political_status.is_some());
            assert_eq!(r.passed, Some(true));
        } else {
            assert!(r.content.is_none() && r.passed.is_none());
        }
    }

    let (filled_appraisals, blank_appraisals): (Vec<_>, Vec<_>) =
        ds.appraisals.iter().partition(|a| filled(&a.student_id));
    assert!(!blank_appraisals.is_empty());
    for a in &filled_appraisals {
        let summary = a.summary.as_ref().and_then(|s| s.get()).expect("个人总结");
        assert!((150..=400).contains(&summary.chars().count()), "{summary}");
        assert!(a.peer_opinion.is_some() && a.public_opinion.is_some());
        assert!(a.seven_terms.iter().flatten().all(Option::is_some));
        assert!(
            a.seven.iter().all(Option::is_none),
            "per semester, not per year"
        );
        if let (Some(eligible), Some(present)) = (a.eligible, a.present) {
            assert!(present <= eligible);
        }
    }
    assert!(blank_appraisals.iter().all(|a| a.summary.is_none()));
}
