//! Checks across rows and sheets (warnings: the forms are still made): the procedure rules
//! over each student's dates, vote totals within a branch and year, the share of 优秀, reviews
//! of students not yet 发展对象, talks dated before the application.

use crate::config::RulesConfig;
use crate::model::dataset::Dataset;
use crate::model::procedure;
use crate::model::value::{AppraisalGrade, Stage};
use crate::problem::{Location, Problem};
use std::collections::BTreeMap;

/// Runs every cross-row check and adds the warnings to the rows concerned.
pub fn check_all(ds: &mut Dataset, rules: &RulesConfig) {
    let mut warnings = Vec::new();
    warnings.extend(student_dates(ds, rules));
    let groups = by_branch_year(ds);
    warnings.extend(vote_totals(ds, &groups));
    warnings.extend(excellent_share(ds, &groups));
    drop(groups);
    warnings.extend(reviews_before_candidacy(ds));
    warnings.extend(talks_before_application(ds));
    warnings.extend(study_hours(ds, rules));
    warnings.extend(appraisals_of_non_members(ds));
    warnings.extend(attendance(ds));
    for w in warnings {
        ds.attach(w);
    }
}

/// The appraisals of each (学院 党支部, 年度), as indices into `ds.appraisals`.
type BranchYears = BTreeMap<(String, i32), Vec<usize>>;

/// Groups the appraisals by (学院 党支部, 年度), once for all the checks that compare a
/// branch's members. Branches are named per college (every college has a 学生第一党支部), so
/// the college is part of it.
fn by_branch_year(ds: &Dataset) -> BranchYears {
    let mut groups = BranchYears::new();
    for (i, a) in ds.appraisals.indexed() {
        if let Some(s) = ds.students.get(&*a.student_id) {
            let branch = s.branch_full();
            groups.entry((branch, a.year)).or_default().push(i);
        }
    }
    groups
}

/// Within one branch and year every member is voted on by the same people, so the vote
/// totals must agree; rows whose total differs from the most common one are flagged.
fn vote_totals(ds: &Dataset, groups: &BranchYears) -> Vec<Problem> {
    let mut out = Vec::new();
    for ((branch, year), rows) in groups {
        let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
        for &i in rows {
            if let Some(total) = ds.appraisals[i].total_votes() {
                *counts.entry(total).or_default() += 1;
            }
        }
        if counts.len() < 2 {
            continue;
        }
        let usual = counts
            .iter()
            .max_by_key(|(total, n)| (**n, std::cmp::Reverse(**total)))
            .map(|(total, _)| *total)
            .unwrap_or_default();
        for &i in rows {
            let a = &ds.appraisals[i];
            if let Some(total) = a.total_votes().filter(|t| *t != usual) {
                out.push(
                    Problem::warning(
                        Location::Row(a.at.clone()),
                        format!(
                            "{branch} {year} 年度的票数合计为 {total}，而本支部其他党员多为 {usual}；同一次评议每人的总票数应相同，请核对"
                        ),
                    )
                    .with_column("优秀票"),
                );
            }
        }
    }
    out
}

/// 优秀 should go to at most a third of a branch's members in one year.
fn excellent_share(ds: &Dataset, groups: &BranchYears) -> Vec<Problem> {
    let mut out = Vec::new();
    for ((branch, year), rows) in groups {
        let excellent: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| ds.appraisals[i].grade == AppraisalGrade::Excellent)
            .collect();
        let count = excellent.len();
        if count * 3 > rows.len() {
            for i in excellent {
                out.push(
                    Problem::warning(
                        Location::Row(ds.appraisals[i].at.clone()),
                        format!(
                            "{branch} {year} 年度评为优秀的有 {count} 人，超过参评 {} 人的三分之一，请核对",
                            rows.len()
                        ),
                    )
                    .with_column("评定等次"),
                );
            }
        }
    }
    out
}

/// A political review is for 发展对象 (and later stages).
fn reviews_before_candidacy(ds: &Dataset) -> Vec<Problem> {
    ds.reviews
        .iter()
        .filter_map(|r| {
            let s = ds.students.get(&*r.student_id)?;
            let stage = s.stage?;
            (stage < Stage::Candidate).then(|| {
                Problem::warning(
                    Location::Row(r.at.clone()),
                    format!(
                        "{} 目前是{}，尚未确定为发展对象；政治审查通常在确定发展对象后进行，请核对",
                        s.name,
                        stage.label()
                    ),
                )
            })
        })
        .collect()
}

/// The procedure rules over each student's roster dates (age at application, the intervals
/// between the stages), as warnings on the cell to correct.
fn student_dates(ds: &Dataset, rules: &RulesConfig) -> Vec<Problem> {
    let mut out = Vec::new();
    for s in ds.students.values() {
        for breach in procedure::student_dates(s, rules) {
            let column = breach.columns[0];
            out.push(
                Problem::warning(ds.cell(&s.at, column), breach.message()).with_column(column),
            );
        }
    }
    out
}

/// Full members must have at least `member_hours_per_year` of training a year; checked on
/// the appraisal's 学习学时 column when it is filled.
fn study_hours(ds: &Dataset, rules: &RulesConfig) -> Vec<Problem> {
    ds.appraisals
        .iter()
        .filter_map(|a| {
            let hours = a.study_hours?;
            let s = ds.students.get(&*a.student_id)?;
            (procedure::full_member_by(s, a.year) && procedure::hours_short(hours, rules)).then(
                || {
                    Problem::warning(
                        ds.cell(&a.at, "学习学时"),
                        format!(
                            "{} {} 年度学习学时 {hours} 少于正式党员每年不少于 {} 学时的要求",
                            s.name, a.year, rules.member_hours_per_year
                        ),
                    )
                    .with_column("学习学时")
                },
            )
        })
        .collect()
}

/// 民主评议 is for party members: an appraisal of someone who was neither a 预备党员 nor a
/// 正式党员 in that year (not yet received by its end, by the roster's 接收预备党员日期 or,
/// without it, its 发展阶段) is flagged on its 年度 cell.
fn appraisals_of_non_members(ds: &Dataset) -> Vec<Problem> {
    ds.appraisals
        .iter()
        .filter_map(|a| {
            let s = ds.students.get(&*a.student_id)?;
            (!procedure::member_by(s, a.year)).then(|| {
                let now = s.stage.map(Stage::label).unwrap_or("未填发展阶段");
                Problem::warning(
                    Location::Row(a.at.clone()),
                    format!(
                        "{} 在 {} 年度还不是预备党员或正式党员（花名册：{now}），民主评议只评议党员，请核对",
                        s.name, a.year
                    ),
                )
                .with_column("年度")
            })
        })
        .collect()
}

/// 实参评人数 cannot exceed 应参评人数, and the ballots counted cannot exceed 实参评人数.
fn attendance(ds: &Dataset) -> Vec<Problem> {
    let mut out = Vec::new();
    for a in &ds.appraisals {
        let Some(present) = a.present else { continue };
        if let Some(eligible) = a.eligible.filter(|e| present > *e) {
            out.push(
                Problem::warning(
                    Location::Row(a.at.clone()),
                    format!("实参评人数 {present} 多于应参评人数 {eligible}，请核对"),
                )
                .with_column("实参评人数"),
            );
        }
        if let Some(total) = a.total_votes().filter(|t| *t > present) {
            out.push(
                Problem::warning(
                    Location::Row(a.at.clone()),
                    format!("四项票数合计 {total} 多于实参评人数 {present}，请核对"),
                )
                .with_column("实参评人数"),
            );
        }
    }
    out
}

/// A talk about joining cannot come before the application (申请入党日期).
fn talks_before_application(ds: &Dataset) -> Vec<Problem> {
    ds.talks
        .iter()
        .filter_map(|t| {
            let s = ds.students.get(&*t.student_id)?;
            let applied = s.applied?;
            (t.date.last_day() < applied.first_day()).then(|| {
                Problem::warning(
                    Location::Row(t.at.clone()),
                    format!("谈话日期早于 {} 的申请入党日期 {applied}，请核对", s.name),
                )
                .with_column("谈话日期")
            })
        })
        .collect()
}
