//! `check --rules`: the procedure rules of SPEC.md › Rules over the whole ledger, each finding
//! naming the rule, the student, the cells involved and what was expected; statistics per
//! 学院/党支部; and the report as a console table, a PDF (typst, with a bar chart) and an
//! .xlsx for filtering.
//!
//! The records are indexed by student once ([`Dataset::records_of`]); every rule then looks only at
//! one student's records, so the whole check is linear in the ledger (plus the sorting).
//! The student's own date rules are [`procedure::student_dates`], the same code that warns on
//! reading.

pub mod pdf;
pub mod stats;
pub mod xlsx;

use crate::config::Config;
use crate::model::certificate::fails_rule;
use crate::model::dataset::{Dataset, StudentRecords};
use crate::model::procedure::{self, Rule};
use crate::model::student::Student;
use crate::model::value::{PartialDate, number_text};
use crate::problem::Location;
use chrono::NaiveDate;
use serde::Serialize;
use stats::Statistics;
use std::collections::{BTreeMap, BTreeSet};

/// One rule broken by one student.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// 学号.
    pub student_id: String,
    /// 姓名.
    pub name: String,
    /// 学院.
    pub college: String,
    /// 党支部.
    pub branch: String,
    /// The cells involved, the one to look at first.
    pub cells: Vec<Location>,
    /// What the data say.
    pub found: String,
    /// What the rule expects.
    pub expected: String,
}

impl Finding {
    /// The cells as people name them, the file and sheet said once for the cells that share
    /// them: `台账.xlsx › 花名册 › M7、P7；谈话记录 › C12`.
    pub fn cells_text(&self) -> String {
        cells_text(&self.cells, true)
    }
}

/// Locations joined, each file and sheet named once for the cells that follow it (and the
/// file not at all unless `with_file`).
pub fn cells_text(cells: &[Location], with_file: bool) -> String {
    let mut out = String::new();
    let mut last: Option<(&str, &str)> = None;
    for location in cells {
        let (file, sheet, place) = match location {
            Location::Cell(c) => (c.file.as_str(), c.sheet.as_str(), c.a1()),
            Location::Row(r) => (
                r.file.as_str(),
                r.sheet.as_str(),
                format!("第{}行", r.excel_row()),
            ),
            other => {
                out.push_str(if out.is_empty() { "" } else { "；" });
                out.push_str(&other.to_string());
                last = None;
                continue;
            }
        };
        match last {
            Some((f, s)) if f == file && s == sheet => out.push('、'),
            Some((f, _)) if f == file || !with_file => {
                out.push_str(&format!("；{sheet} › "));
            }
            _ => {
                if !out.is_empty() {
                    out.push('；');
                }
                if with_file {
                    out.push_str(&format!("{file} › "));
                }
                out.push_str(&format!("{sheet} › "));
            }
        }
        out.push_str(&place);
        last = Some((file, sheet));
    }
    out
}

/// How one rule fared over the ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleSummary {
    /// The rule.
    pub rule: Rule,
    /// Its name.
    pub label: &'static str,
    /// What it asks, with the configured thresholds.
    pub requirement: String,
    /// How many findings it has.
    pub findings: usize,
}

/// The outcome of `check --rules`.
#[derive(Debug, Clone, Serialize)]
pub struct RulesReport {
    /// The date the data reach (the latest date in them): rules with a deadline (the talk
    /// within a month) count only deadlines before it. `None` for a ledger without dates.
    #[serde(serialize_with = "date_text")]
    pub as_of: Option<NaiveDate>,
    /// Every rule with its finding count, in [`Rule::ALL`] order.
    pub rules: Vec<RuleSummary>,
    /// Every finding, by 学院, 党支部, 学号, rule.
    pub findings: Vec<Finding>,
    /// Counts per 学院/党支部, per 期次, per branch and year.
    pub statistics: Statistics,
}

/// Checks every rule over the ledger and gathers the statistics.
pub fn check_rules(ds: &Dataset, config: &Config) -> RulesReport {
    let as_of = latest_date(ds);
    let appraisal_years: BTreeSet<i32> = ds.appraisals.iter().map(|a| a.year).collect();
    let mut findings = Vec::new();
    for s in ds.students.values() {
        let records = ds.records_of(&s.id);
        let mut check = Check {
            ds,
            config,
            student: s,
            records,
            out: &mut findings,
        };
        check.dates();
        check.candidate_training();
        check.review_before_reception();
        check.talk_after_application(as_of);
        check.member_hours();
        check.yearly_appraisal(&appraisal_years);
        check.certificates();
    }
    findings.sort_by(|a, b| {
        (&a.college, &a.branch, &a.student_id, a.rule).cmp(&(
            &b.college,
            &b.branch,
            &b.student_id,
            b.rule,
        ))
    });
    let rules = Rule::ALL
        .iter()
        .map(|&rule| RuleSummary {
            rule,
            label: rule.label(),
            requirement: rule.requirement(&config.rules),
            findings: findings.iter().filter(|f| f.rule == rule).count(),
        })
        .collect();
    let statistics = stats::statistics(ds, config, &findings);
    RulesReport {
        as_of,
        rules,
        findings,
        statistics,
    }
}

/// A date as `2025-06-30` (or null).
fn date_text<S: serde::Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

/// The latest date anywhere in the records: how far the ledger reaches.
fn latest_date(ds: &Dataset) -> Option<NaiveDate> {
    let students = ds.students.values().flat_map(|s| {
        [
            s.applied,
            s.activist_since,
            s.candidate_since,
            s.probationary_since,
            s.full_member_since,
        ]
    });
    let others = ds
        .trainings
        .iter()
        .map(|t| Some(t.end))
        .chain(ds.talks.iter().map(|t| Some(t.date)))
        .chain(ds.reviews.iter().map(|r| Some(r.date)));
    students
        .chain(others)
        .flatten()
        .map(PartialDate::first_day)
        .max()
}

/// The rules of one student.
struct Check<'a> {
    /// The ledger.
    ds: &'a Dataset,
    /// The thresholds and the pass rule.
    config: &'a Config,
    /// The student.
    student: &'a Student,
    /// The student's records.
    records: &'a StudentRecords,
    /// Where findings go.
    out: &'a mut Vec<Finding>,
}

impl Check<'_> {
    /// Adds a finding about this student.
    fn add(&mut self, rule: Rule, cells: Vec<Location>, found: String) {
        let s = self.student;
        self.out.push(Finding {
            rule,
            student_id: s.id.clone(),
            name: s.name.clone(),
            college: s.college.clone(),
            branch: s.branch.clone(),
            cells,
            found,
            expected: rule.requirement(&self.config.rules),
        });
    }

    /// The roster cell of a column.
    fn roster(&self, column: &str) -> Location {
        self.ds.cell(&self.student.at, column)
    }

    /// Age at application and the intervals between the stages (the roster's dates).
    fn dates(&mut self) {
        for breach in procedure::student_dates(self.student, &self.config.rules) {
            let cells = breach.columns.iter().map(|c| self.roster(c)).collect();
            self.add(breach.rule, cells, breach.found);
        }
    }

    /// True when the student has been received as a 预备党员 (by date or stage).
    fn received(&self) -> bool {
        self.student.probationary_since.is_some()
            || self.student.stage >= Some(crate::model::value::Stage::Probationary)
    }

    /// Every 发展对象 course must have the hours and the days; a received member must have
    /// had one.
    fn candidate_training(&mut self) {
        let r = &self.config.rules;
        let mut any = false;
        for &i in &self.records.trainings {
            let t = &self.ds.trainings[i];
            if t.course_type.as_deref() != Some("发展对象") {
                continue;
            }
            any = true;
            let days = procedure::course_days(t.start, t.end);
            let short_hours = t.hours < r.candidate_training_hours;
            let short_days = days.is_some_and(|d| d < r.candidate_training_days as i64);
            if !short_hours && !short_days {
                continue;
            }
            let mut cells = Vec::new();
            let mut found = Vec::new();
            if short_hours {
                cells.push(self.ds.cell(&t.at, "学时"));
                found.push(format!("{} 学时", number_text(t.hours)));
            }
            if short_days {
                cells.push(self.ds.cell(&t.at, "开始日期"));
                cells.push(self.ds.cell(&t.at, "结束日期"));
                found.push(format!("{} 天（{}—{}）", days.unwrap_or(0), t.start, t.end));
            }
            self.add(
                Rule::CandidateTraining,
                cells,
                format!("「{}」只有 {}", t.course, found.join("、")),
            );
        }
        if !any && self.received() {
            let cell = self.roster("接收预备党员日期");
            self.add(
                Rule::CandidateTraining,
                vec![cell],
                "已接收为预备党员，党校培训表中没有其发展对象培训记录".to_string(),
            );
        }
    }

    /// A received member must have had a political review on or before the reception.
    fn review_before_reception(&mut self) {
        if !self.received() {
            return;
        }
        let reception = self.student.probationary_since;
        let reviews: Vec<_> = self
            .records
            .reviews
            .iter()
            .map(|&i| &self.ds.reviews[i])
            .collect();
        let in_time = |d: PartialDate| reception.is_none_or(|p| d.first_day() <= p.last_day());
        if reviews.iter().any(|r| in_time(r.date)) {
            return;
        }
        let mut cells = vec![self.roster("接收预备党员日期")];
        let found = match reviews.first() {
            Some(late) => {
                cells.push(self.ds.cell(&late.at, "审查日期"));
                format!(
                    "政治审查 {} 晚于接收为预备党员 {}",
                    late.date,
                    reception.map(|p| p.to_string()).unwrap_or_default()
                )
            }
            None => "已接收为预备党员，政治审查表中没有其审查记录".to_string(),
        };
        self.add(Rule::ReviewBeforeReception, cells, found);
    }

    /// A talk within the configured months after the application, once that time has passed.
    fn talk_after_application(&mut self, as_of: Option<NaiveDate>) {
        let Some(applied) = self.student.applied else {
            return;
        };
        let due_date = procedure::talk_due(applied, &self.config.rules);
        let due = PartialDate::from_date(due_date);
        let talks: Vec<_> = self
            .records
            .talks
            .iter()
            .map(|&i| &self.ds.talks[i])
            .collect();
        let on_time =
            |d: PartialDate| d.last_day() >= applied.first_day() && d.first_day() <= due_date;
        if talks.iter().any(|t| on_time(t.date)) {
            return;
        }
        let after: Vec<_> = talks
            .iter()
            .filter(|t| t.date.last_day() >= applied.first_day())
            .collect();
        let first_after = after.iter().min_by_key(|t| t.date);
        if first_after.is_none() && as_of.is_none_or(|d| d <= due_date) {
            return; // not due yet by the data's date
        }
        let mut cells = vec![self.roster("申请入党日期")];
        let found = match first_after {
            Some(t) => {
                cells.push(self.ds.cell(&t.at, "谈话日期"));
                format!("申请入党 {applied}，第一次谈话 {}，晚于 {due}", t.date)
            }
            None => format!("申请入党 {applied}，谈话记录中没有此后的谈话（应在 {due} 前）"),
        };
        self.add(Rule::TalkAfterApplication, cells, found);
    }

    /// A full member's training hours in each appraised year: the 学习学时 column, else the
    /// courses that ended that year.
    fn member_hours(&mut self) {
        let r = &self.config.rules;
        for &i in &self.records.appraisals {
            let a = &self.ds.appraisals[i];
            if !procedure::full_member_by(self.student, a.year) {
                continue;
            }
            let (hours, cells) = match a.study_hours {
                Some(h) => (h, vec![self.ds.cell(&a.at, "学习学时")]),
                None => {
                    let courses: Vec<_> = self
                        .records
                        .trainings
                        .iter()
                        .map(|&t| &self.ds.trainings[t])
                        .filter(|t| t.end.year() == a.year)
                        .collect();
                    if courses.is_empty() {
                        continue; // no hours recorded that year: nothing to judge
                    }
                    let mut cells = vec![self.ds.cell(&a.at, "年度")];
                    cells.extend(courses.iter().map(|t| self.ds.cell(&t.at, "学时")));
                    (courses.iter().map(|t| t.hours).sum(), cells)
                }
            };
            if procedure::hours_short(hours, r) {
                self.add(
                    Rule::MemberHours,
                    cells,
                    format!("{} 年度学习 {} 学时", a.year, number_text(hours)),
                );
            }
        }
    }

    /// One appraisal a year for a member received before that year, over the years the
    /// appraisal sheet covers.
    fn yearly_appraisal(&mut self, years: &BTreeSet<i32>) {
        let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for &i in &self.records.appraisals {
            by_year
                .entry(self.ds.appraisals[i].year)
                .or_default()
                .push(i);
        }
        for &year in years {
            let rows = by_year.get(&year).map(Vec::as_slice).unwrap_or_default();
            if rows.len() > 1 {
                let cells = rows
                    .iter()
                    .map(|&i| self.ds.cell(&self.ds.appraisals[i].at, "年度"))
                    .collect();
                self.add(
                    Rule::YearlyAppraisal,
                    cells,
                    format!("{year} 年度有 {} 条民主评议记录", rows.len()),
                );
            } else if rows.is_empty() && procedure::member_by(self.student, year - 1) {
                let column = if self.student.probationary_since.is_some() {
                    "接收预备党员日期"
                } else {
                    "发展阶段"
                };
                let cell = self.roster(column);
                self.add(
                    Rule::YearlyAppraisal,
                    vec![cell],
                    format!("{year} 年度已是党员，民主评议表中没有其 {year} 年度的记录"),
                );
            }
        }
    }

    /// A certificate number only on a course result that passed.
    fn certificates(&mut self) {
        for &i in &self.records.trainings {
            let t = &self.ds.trainings[i];
            let Some(number) = &t.certificate_no else {
                continue;
            };
            if let Some(reason) = fails_rule(t, self.config) {
                let reason = reason.trim_start_matches("未达到结业要求：").to_string();
                let column = if reason.contains("学时") {
                    "学时"
                } else {
                    "成绩"
                };
                self.add(
                    Rule::CertificatePassed,
                    vec![self.ds.cell(&t.at, "证书编号"), self.ds.cell(&t.at, column)],
                    format!("「{}」填有证书编号 {number}，但{reason}", t.course),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn cells_name_their_file_and_sheet_once() {
        let at = |sheet: &str, row, col| {
            Location::Cell(crate::problem::CellRef {
                file: Arc::new("台账.xlsx".into()),
                sheet: Arc::new(sheet.into()),
                row,
                col,
            })
        };
        let cells = [
            at("花名册", 6, 12),
            at("花名册", 6, 4),
            at("谈话记录", 10, 2),
        ];
        assert_eq!(
            cells_text(&cells, true),
            "台账.xlsx › 花名册 › M7、E7；谈话记录 › C11"
        );
        assert_eq!(cells_text(&cells, false), "花名册 › M7、E7；谈话记录 › C11");
    }
}
