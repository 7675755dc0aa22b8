//! The procedure rules of recruiting a member (SPEC.md › Rules: the seed and the 25 steps of
//! 《中国共产党发展党员工作细则》), with their thresholds from the configuration's `[rules]`.
//! One implementation serves twice: the checks on reading turn the student's date rules into
//! warnings on the cells, and `check --rules` lists every rule over the whole ledger.

use crate::config::RulesConfig;
use crate::model::student::Student;
use crate::model::value::{PartialDate, Stage, number_text};
use chrono::{Months, NaiveDate};
use serde::Serialize;

/// A procedure rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// 申请入党时年满 18 周岁.
    Age,
    /// 确定入党积极分子不早于申请入党.
    ActivistAfterApplication,
    /// 确定发展对象距确定积极分子满一年.
    CandidateAfterActivist,
    /// 发展对象培训不少于 24 学时、3 天.
    CandidateTraining,
    /// 接收预备党员前进行政治审查.
    ReviewBeforeReception,
    /// 接收预备党员不早于确定发展对象.
    ReceptionAfterCandidate,
    /// 转正距接收预备党员满一年.
    Probation,
    /// 申请入党后一个月内谈话.
    TalkAfterApplication,
    /// 正式党员每年培训不少于 32 学时.
    MemberHours,
    /// 每名党员每年参加一次民主评议.
    YearlyAppraisal,
    /// 只有考核合格者才有结业证书.
    CertificatePassed,
}

impl Rule {
    /// Every rule, in the order of the procedure.
    pub const ALL: [Rule; 11] = [
        Rule::Age,
        Rule::ActivistAfterApplication,
        Rule::CandidateAfterActivist,
        Rule::CandidateTraining,
        Rule::ReviewBeforeReception,
        Rule::ReceptionAfterCandidate,
        Rule::Probation,
        Rule::TalkAfterApplication,
        Rule::MemberHours,
        Rule::YearlyAppraisal,
        Rule::CertificatePassed,
    ];

    /// A short Chinese name, for tables.
    pub fn label(self) -> &'static str {
        match self {
            Rule::Age => "申请入党年龄",
            Rule::ActivistAfterApplication => "确定积极分子时间",
            Rule::CandidateAfterActivist => "积极分子培养期",
            Rule::CandidateTraining => "发展对象培训",
            Rule::ReviewBeforeReception => "政治审查",
            Rule::ReceptionAfterCandidate => "接收预备党员时间",
            Rule::Probation => "预备期",
            Rule::TalkAfterApplication => "申请人谈话",
            Rule::MemberHours => "党员年度学时",
            Rule::YearlyAppraisal => "年度民主评议",
            Rule::CertificatePassed => "结业证书",
        }
    }

    /// What the rule asks, with the configured thresholds.
    pub fn requirement(self, r: &RulesConfig) -> String {
        match self {
            Rule::Age => format!("递交入党申请书时年满 {} 周岁", r.min_age),
            Rule::ActivistAfterApplication => "确定为入党积极分子不早于申请入党".to_string(),
            Rule::CandidateAfterActivist => format!(
                "确定为发展对象距确定为入党积极分子满 {} 年",
                r.activist_years
            ),
            Rule::CandidateTraining => format!(
                "发展对象培训不少于 {} 学时、{} 天",
                number_text(r.candidate_training_hours),
                r.candidate_training_days
            ),
            Rule::ReviewBeforeReception => "接收预备党员前完成政治审查".to_string(),
            Rule::ReceptionAfterCandidate => "接收为预备党员不早于确定为发展对象".to_string(),
            Rule::Probation => format!("转正距接收为预备党员满 {} 年", r.probation_years),
            Rule::TalkAfterApplication => {
                format!("收到入党申请书后 {} 个月内派人谈话", r.talk_within_months)
            }
            Rule::MemberHours => format!(
                "正式党员每年集中培训不少于 {} 学时",
                number_text(r.member_hours_per_year)
            ),
            Rule::YearlyAppraisal => "每名党员每年参加一次民主评议".to_string(),
            Rule::CertificatePassed => "只有考核合格者才有结业证书编号".to_string(),
        }
    }
}

/// One rule a student's roster dates break: the columns involved (the first is where to
/// point), what was found and what is expected.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    /// The rule.
    pub rule: Rule,
    /// The roster columns involved; the first is the one to correct, usually.
    pub columns: Vec<&'static str>,
    /// What the data say, e.g. `出生日期 2004年3月1日，申请入党时 17 周岁`.
    pub found: String,
    /// What the rule expects.
    pub expected: String,
}

impl Breach {
    /// The message of the warning on reading: what was found, what is expected.
    pub fn message(&self) -> String {
        format!("{}，应{}，请核对", self.found, self.expected)
    }
}

/// Whole years from `from` to `to`; with month precision a missing day counts as the 1st.
pub fn years_between(from: PartialDate, to: PartialDate) -> i32 {
    let mut years = to.year() - from.year();
    let before_anniversary =
        (to.month(), to.day().unwrap_or(1)) < (from.month(), from.day().unwrap_or(1));
    if before_anniversary {
        years -= 1;
    }
    years
}

/// The rules a student's own roster dates break, in [`Rule::ALL`] order.
pub fn student_dates(s: &Student, r: &RulesConfig) -> Vec<Breach> {
    let mut out = Vec::new();
    let mut breach = |rule: Rule, columns: Vec<&'static str>, found: String| {
        out.push(Breach {
            rule,
            columns,
            found,
            expected: rule.requirement(r),
        });
    };
    if let (Some(birth), Some(applied)) = (s.birth, s.applied) {
        let age = years_between(birth, applied);
        if age < r.min_age as i32 {
            breach(
                Rule::Age,
                vec!["申请入党日期", "出生日期"],
                format!("出生日期 {birth}，申请入党日期 {applied}，申请时 {age} 周岁"),
            );
        }
    }
    if let (Some(applied), Some(activist)) = (s.applied, s.activist_since)
        && activist < applied
    {
        breach(
            Rule::ActivistAfterApplication,
            vec!["确定积极分子日期", "申请入党日期"],
            format!("确定为入党积极分子 {activist} 早于申请入党 {applied}"),
        );
    }
    if let (Some(activist), Some(candidate)) = (s.activist_since, s.candidate_since)
        && years_between(activist, candidate) < r.activist_years as i32
    {
        breach(
            Rule::CandidateAfterActivist,
            vec!["确定发展对象日期", "确定积极分子日期"],
            format!(
                "确定为入党积极分子 {activist}，确定为发展对象 {candidate}，不足 {} 年",
                r.activist_years
            ),
        );
    }
    if let (Some(candidate), Some(prob)) = (s.candidate_since, s.probationary_since)
        && prob < candidate
    {
        breach(
            Rule::ReceptionAfterCandidate,
            vec!["接收预备党员日期", "确定发展对象日期"],
            format!("接收为预备党员 {prob} 早于确定为发展对象 {candidate}"),
        );
    }
    if let (Some(prob), Some(full)) = (s.probationary_since, s.full_member_since)
        && years_between(prob, full) < r.probation_years as i32
    {
        breach(
            Rule::Probation,
            vec!["转正日期", "接收预备党员日期"],
            format!(
                "接收为预备党员 {prob}，转正 {full}，不足 {} 年",
                r.probation_years
            ),
        );
    }
    out
}

/// True when the student was a 正式党员 by the end of `year` (by 转正日期, or without it by
/// the 发展阶段).
pub fn full_member_by(s: &Student, year: i32) -> bool {
    match s.full_member_since {
        Some(d) => d.year() <= year,
        None => s.stage == Some(Stage::Full),
    }
}

/// True when the student was a party member (预备 or 正式) by the end of `year`.
pub fn member_by(s: &Student, year: i32) -> bool {
    match s.probationary_since {
        Some(d) => d.year() <= year,
        None => s.stage >= Some(Stage::Probationary),
    }
}

/// True when a year's training hours fall short of what a full member needs.
pub fn hours_short(hours: f64, r: &RulesConfig) -> bool {
    hours < r.member_hours_per_year
}

/// Days of a course, both ends counted; `None` when a date is month-only (the days are not
/// known).
pub fn course_days(start: PartialDate, end: PartialDate) -> Option<i64> {
    if start.is_month_only() || end.is_month_only() {
        return None;
    }
    Some((end.first_day() - start.first_day()).num_days() + 1)
}

/// The last day a talk about an application of `applied` may be held.
pub fn talk_due(applied: PartialDate, r: &RulesConfig) -> NaiveDate {
    applied
        .last_day()
        .checked_add_months(Months::new(r.talk_within_months))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: Option<u32>) -> PartialDate {
        PartialDate::new(y, m, day).unwrap()
    }

    #[test]
    fn years_between_counts_whole_years() {
        assert_eq!(
            years_between(d(2003, 5, Some(12)), d(2021, 5, Some(12))),
            18
        );
        assert_eq!(
            years_between(d(2003, 5, Some(12)), d(2021, 5, Some(11))),
            17
        );
        assert_eq!(years_between(d(2003, 5, None), d(2021, 5, Some(1))), 18);
        assert_eq!(years_between(d(2023, 9, None), d(2024, 8, None)), 0);
    }

    #[test]
    fn course_days_count_both_ends() {
        assert_eq!(
            course_days(d(2023, 5, Some(8)), d(2023, 5, Some(10))),
            Some(3)
        );
        assert_eq!(course_days(d(2023, 5, None), d(2023, 5, Some(10))), None);
    }

    #[test]
    fn a_talk_is_due_a_month_after_the_application() {
        let r = RulesConfig::default();
        assert_eq!(talk_due(d(2024, 1, Some(31)), &r).to_string(), "2024-02-29");
        assert_eq!(talk_due(d(2024, 3, Some(8)), &r).to_string(), "2024-04-08");
        assert_eq!(talk_due(d(2024, 3, None), &r).to_string(), "2024-04-30");
    }
}
