//! Who gets a 党校结业证书, and its number: the pass rule (score and hours) and stable numbering
//! over (学院, 班级, 学号) within each course.

use crate::config::Config;
use crate::config::number_pattern::{NumberParts, NumberPattern};
use crate::model::dataset::Dataset;
use crate::model::numbering::session_number;
use crate::model::training::Training;
use crate::model::value::{PartialDate, Score, number_text};
use crate::problem::{Location, Problem, RowRef};
use std::collections::{BTreeMap, BTreeSet};

/// One certificate to issue, as the plan stores it: its number is text of
/// [`CertificatePlan`]'s one buffer of numbers (no allocation per certificate: a province
/// issues tens of thousands). Read it through [`Issued`].
#[derive(Debug, Clone, PartialEq)]
struct Certificate {
    /// Index of the course result in [`Dataset::trainings`].
    training: usize,
    /// Where its 证书编号 is in [`CertificatePlan::numbers`]: start and length in bytes.
    number: (u32, u32),
    /// The date printed on the certificate.
    issue_date: PartialDate,
}

/// One certificate to issue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Issued<'a> {
    /// Index of the course result in [`Dataset::trainings`].
    pub training: usize,
    /// 证书编号: from the sheet, or generated.
    pub number: &'a str,
    /// The date printed on the certificate.
    pub issue_date: PartialDate,
}

/// A course result that gets no certificate, and why (in Chinese).
#[derive(Debug, Clone, PartialEq)]
pub struct NotIssued {
    /// Where the course result is.
    pub at: RowRef,
    /// Why: the rule not met, e.g. 成绩 55 低于合格线 60.
    pub reason: String,
}

/// The outcome of applying the certificate rules to every course result.
#[derive(Debug, Clone, Default)]
pub struct CertificatePlan {
    /// Certificates to issue, by their course result's index (numbered in (course, 学院, 班级,
    /// 学号) order), so that a result's certificate is found by [`CertificatePlan::issued_for`].
    issued: Vec<Certificate>,
    /// The certificates' numbers, one after another.
    numbers: String,
    /// Results that did not meet the rules (not data errors).
    pub not_issued: Vec<NotIssued>,
    /// Data errors found by the rules (duplicate numbers, duplicate results): the row is refused.
    pub problems: Vec<Problem>,
}

impl CertificatePlan {
    /// The certificates to issue, by their course result's index.
    pub fn issued(&self) -> impl Iterator<Item = Issued<'_>> {
        self.issued.iter().map(|c| self.view(c))
    }

    /// The certificate issued for the course result at `training` (its index in
    /// [`Dataset::trainings`]), if one is.
    pub fn issued_for(&self, training: usize) -> Option<Issued<'_>> {
        let i = self
            .issued
            .binary_search_by_key(&training, |c| c.training)
            .ok()?;
        self.issued.get(i).map(|c| self.view(c))
    }

    /// The same plan without what was set aside (the documents' contexts need the numbers
    /// only), holding no more memory than it uses.
    pub fn numbers_only(mut self) -> CertificatePlan {
        self.issued.shrink_to_fit();
        self.numbers.shrink_to_fit();
        CertificatePlan {
            issued: self.issued,
            numbers: self.numbers,
            ..CertificatePlan::default()
        }
    }

    /// Adds the certificate for the course result at `training`.
    fn issue(&mut self, training: usize, number: &str, issue_date: PartialDate) {
        let start = self.numbers.len();
        self.numbers.push_str(number);
        // The numbers' total is bounded by the input (far below 4 GiB).
        let span = (
            u32::try_from(start).unwrap_or(u32::MAX),
            u32::try_from(number.len()).unwrap_or(0),
        );
        self.issued.push(Certificate {
            training,
            number: span,
            issue_date,
        });
    }

    /// The certificate `c` of this plan, its number read from the buffer.
    fn view(&self, c: &Certificate) -> Issued<'_> {
        let (start, len) = (c.number.0 as usize, c.number.1 as usize);
        Issued {
            training: c.training,
            number: self.numbers.get(start..start + len).unwrap_or_default(),
            issue_date: c.issue_date,
        }
    }
}

/// Why a course result does not earn a certificate, or `None` when it does.
pub fn fails_rule(t: &Training, config: &Config) -> Option<String> {
    let pass_mark = config.certificate.pass_mark;
    let score_ok = match t.score {
        Score::Points(p) => p >= pass_mark,
        Score::Grade(g) => g.passed(),
    };
    if !score_ok {
        return Some(match t.score {
            Score::Points(p) => format!(
                "未达到结业要求：成绩 {} 低于合格线 {}",
                number_text(p),
                number_text(pass_mark)
            ),
            Score::Grade(_) => "未达到结业要求：成绩为不合格".to_string(),
        });
    }
    let course_type = t.course_type.as_deref().unwrap_or("");
    let min = config.min_hours(course_type);
    if t.hours < min {
        return Some(format!(
            "未达到结业要求：{course_type}培训学时 {} 少于规定的 {} 学时",
            number_text(t.hours),
            number_text(min)
        ));
    }
    None
}

/// Applies the pass rule and numbers the certificates. Explicit numbers from the sheet are
/// kept; the others follow the configured pattern, skipping numbers already taken, so that
/// re-running on the same data gives the same numbers.
pub fn plan_certificates(ds: &Dataset, config: &Config) -> CertificatePlan {
    let mut plan = CertificatePlan::default();
    let pattern = match NumberPattern::parse(&config.certificate.number_pattern) {
        Ok(p) => p,
        Err(e) => {
            plan.problems
                .push(Problem::error(Location::Run, e.to_string()));
            return plan;
        }
    };

    // Passing results grouped by course, each group in (学院, 班级, 学号, row) order.
    let mut by_course: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut seen: BTreeMap<(&str, &str), &RowRef> = BTreeMap::new();
    for (i, t) in ds.trainings.indexed() {
        if let Some(first) = seen.get(&(&*t.student_id, t.course.as_str())) {
            plan.problems.push(Problem::error(
                Location::Row(t.at.clone()),
                format!(
                    "学号 {} 在「{}」的成绩重复出现（首次见 {} › {} 第{}行），本行不使用",
                    t.student_id,
                    t.course,
                    first.file,
                    first.sheet,
                    first.excel_row()
                ),
            ));
            continue;
        }
        seen.insert((&t.student_id, &t.course), &t.at);
        match fails_rule(t, config) {
            Some(reason) => plan.not_issued.push(NotIssued {
                at: t.at.clone(),
                reason,
            }),
            None => by_course.entry(&t.course).or_default().push(i),
        }
    }
    for group in by_course.values_mut() {
        // Each key looked up once, not at every comparison.
        group.sort_by_cached_key(|&i| {
            let t = &ds.trainings[i];
            let key = ds.students.get(&*t.student_id).map(|s| s.sort_key());
            (key, &t.at)
        });
    }

    // Explicit numbers first: they are taken, and a duplicate among them is an error.
    let mut taken: BTreeMap<String, RowRef> = BTreeMap::new();
    let mut refused: BTreeSet<usize> = BTreeSet::new();
    for &i in by_course.values().flatten() {
        let t = &ds.trainings[i];
        if let Some(number) = &t.certificate_no {
            if let Some(first) = taken.get(number) {
                plan.problems.push(
                    Problem::error(
                        Location::Row(t.at.clone()),
                        format!(
                            "证书编号 {number} 与 {} › {} 第{}行重复，证书编号不能相同",
                            first.file,
                            first.sheet,
                            first.excel_row()
                        ),
                    )
                    .with_column("证书编号"),
                );
                refused.insert(i);
            } else {
                taken.insert(number.clone(), t.at.clone());
            }
        }
    }

    let fixed_date = config.issue_date().map(PartialDate::from_date);
    for (course, group) in &by_course {
        let year = group
            .iter()
            .map(|&i| ds.trainings[i].end.year())
            .max()
            .unwrap_or_default();
        let session = session_number(course).unwrap_or(0);
        let mut sequence = 0u32;
        for &i in group {
            if refused.contains(&i) {
                continue;
            }
            let t = &ds.trainings[i];
            let number = match &t.certificate_no {
                Some(n) => n.clone(),
                None => loop {
                    sequence += 1;
                    let candidate = pattern.format(NumberParts {
                        year,
                        session,
                        sequence,
                    });
                    if !taken.contains_key(&candidate) {
                        taken.insert(candidate.clone(), t.at.clone());
                        break candidate;
                    }
                },
            };
            plan.issue(i, &number, fixed_date.unwrap_or(t.end));
        }
    }
    plan.issued.sort_by_key(|c| c.training);
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Input;

    #[test]
    fn each_certificate_is_found_by_its_course_result_and_no_other_is() {
        let ds = crate::model::load(
            &[
                Input {
                    name: "花名册.xlsx".to_string(),
                    bytes: include_bytes!("../../fixtures/sample/花名册.xlsx").to_vec(),
                },
                Input {
                    name: "党校成绩.xlsx".to_string(),
                    bytes: include_bytes!("../../fixtures/sample/党校成绩.xlsx").to_vec(),
                },
            ],
            &Config::default(),
        );
        let plan = plan_certificates(&ds, &Config::default());
        assert!(plan.issued().count() > 3, "the sample issues certificates");
        for c in plan.issued() {
            assert_eq!(plan.issued_for(c.training), Some(c));
            assert!(!c.number.is_empty());
        }
        let numbers: BTreeSet<&str> = plan.issued().map(|c| c.number).collect();
        assert_eq!(numbers.len(), plan.issued().count(), "every number differs");
        // A result that failed the rule has no certificate.
        let failed = plan
            .not_issued
            .first()
            .expect("the sample has a failed result");
        let index = ds
            .trainings
            .indexed()
            .find(|(_, t)| t.at == failed.at)
            .map(|(i, _)| i)
            .expect("its training");
        assert_eq!(plan.issued_for(index), None);
    }
}
