//! The statistics of the rules report: students per stage per 学院/党支部 (with the findings
//! of each branch), pass rates per course (期次), appraisal grades per branch and year.

use super::Finding;
use crate::config::Config;
use crate::model::certificate::fails_rule;
use crate::model::dataset::Dataset;
use crate::model::numbering::session_number;
use crate::model::value::{AppraisalGrade, Stage};
use serde::Serialize;
use std::collections::BTreeMap;

/// One 学院/党支部.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BranchRow {
    /// 学院.
    pub college: String,
    /// 党支部.
    pub branch: String,
    /// Students in the roster.
    pub students: usize,
    /// Students per stage, in [`Stage::ALL`] order.
    pub stages: [usize; 5],
    /// Students without a stage.
    pub unknown: usize,
    /// Findings about its students.
    pub findings: usize,
}

/// One 学院's students per stage, for the chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CollegeRow {
    /// 学院.
    pub college: String,
    /// Students per stage, in [`Stage::ALL`] order.
    pub stages: [usize; 5],
}

/// One course (培训班, i.e. one 期次).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseRow {
    /// 培训班.
    pub course: String,
    /// 培训类别, if known.
    pub course_type: String,
    /// Participants (result rows).
    pub participants: usize,
    /// Those who passed (score and hours, as for the certificate).
    pub passed: usize,
    /// `passed / participants` in percent, one decimal.
    pub rate: f64,
}

/// The appraisal grades of one branch in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeRow {
    /// 学院.
    pub college: String,
    /// 党支部.
    pub branch: String,
    /// 年度.
    pub year: i32,
    /// 优秀, 合格, 基本合格, 不合格.
    pub grades: [usize; 4],
    /// Appraisals.
    pub total: usize,
}

/// Every statistic of the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Statistics {
    /// The stage names, in the order of the counts.
    pub stage_labels: Vec<&'static str>,
    /// The grade names, in the order of the counts.
    pub grade_labels: Vec<&'static str>,
    /// Per 学院/党支部.
    pub branches: Vec<BranchRow>,
    /// Per 学院.
    pub colleges: Vec<CollegeRow>,
    /// Per course.
    pub courses: Vec<CourseRow>,
    /// Per branch and year.
    pub grades: Vec<GradeRow>,
}

/// The grades, in [`GradeRow::grades`] order.
const GRADES: [AppraisalGrade; 4] = [
    AppraisalGrade::Excellent,
    AppraisalGrade::Qualified,
    AppraisalGrade::BasicallyQualified,
    AppraisalGrade::Unqualified,
];

/// Gathers the statistics in one pass over each list.
pub fn statistics(ds: &Dataset, config: &Config, findings: &[Finding]) -> Statistics {
    let mut branches: BTreeMap<(&str, &str), BranchRow> = BTreeMap::new();
    let mut colleges: BTreeMap<&str, [usize; 5]> = BTreeMap::new();
    for s in ds.students.values() {
        let row = branches
            .entry((&s.college, &s.branch))
            .or_insert_with(|| BranchRow {
                college: s.college.clone(),
                branch: s.branch.clone(),
                students: 0,
                stages: [0; 5],
                unknown: 0,
                findings: 0,
            });
        row.students += 1;
        let college = colleges.entry(&s.college).or_default();
        match s.stage {
            Some(stage) => {
                let i = stage_index(stage);
                row.stages[i] += 1;
                college[i] += 1;
            }
            None => row.unknown += 1,
        }
    }
    for f in findings {
        if let Some(row) = branches.get_mut(&(f.college.as_str(), f.branch.as_str())) {
            row.findings += 1;
        }
    }

    let mut courses: BTreeMap<&str, CourseRow> = BTreeMap::new();
    for t in &ds.trainings {
        let row = courses.entry(&t.course).or_insert_with(|| CourseRow {
            course: t.course.clone(),
            course_type: t.course_type.clone().unwrap_or_default(),
            participants: 0,
            passed: 0,
            rate: 0.0,
        });
        row.participants += 1;
        if fails_rule(t, config).is_none() {
            row.passed += 1;
        }
    }
    let mut courses: Vec<CourseRow> = courses.into_values().collect();
    for c in &mut courses {
        c.rate = (c.passed as f64 * 1000.0 / c.participants.max(1) as f64).round() / 10.0;
    }
    courses.sort_by(|a, b| {
        (&a.course_type, session_number(&a.course), &a.course).cmp(&(
            &b.course_type,
            session_number(&b.course),
            &b.course,
        ))
    });

    let mut grades: BTreeMap<(&str, &str, i32), GradeRow> = BTreeMap::new();
    for a in &ds.appraisals {
        let Some(s) = ds.students.get(&*a.student_id) else {
            continue;
        };
        let row = grades
            .entry((&s.college, &s.branch, a.year))
            .or_insert_with(|| GradeRow {
                college: s.college.clone(),
                branch: s.branch.clone(),
                year: a.year,
                grades: [0; 4],
                total: 0,
            });
        if let Some(i) = GRADES.iter().position(|g| *g == a.grade) {
            row.grades[i] += 1;
        }
        row.total += 1;
    }

    Statistics {
        stage_labels: Stage::ALL.iter().map(|s| s.label()).collect(),
        grade_labels: GRADES.iter().map(|g| g.label()).collect(),
        branches: branches.into_values().collect(),
        colleges: colleges
            .into_iter()
            .map(|(college, stages)| CollegeRow {
                college: college.to_string(),
                stages,
            })
            .collect(),
        courses,
        grades: grades.into_values().collect(),
    }
}

/// A stage's place in [`Stage::ALL`].
fn stage_index(stage: Stage) -> usize {
    Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0)
}
