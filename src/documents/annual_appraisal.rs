//! 党员民主评议表 (`annual-appraisal`): one per 民主评议 row, optionally only those of one year
//! (`--year`). It carries the member's personal data, the self-assessed and the decided grade,
//! the ballot, the seed's 七个一 record, the year's study hours against the seed's 32-学时
//! minimum for full members, and the branch's 评语.
//!
//! Sections in the order of FORMS.md §5B: the basic grid (with 学历), 个人总结（自我评价） and
//! 本人签名, 党员互评意见, 群众评议意见, 民主测评结果 with 应参评 / 实参评, 评议等次, 七个一
//! (上学期 | 下学期), 学时 against 32, 党支部意见 (the 评语), 上级党组织意见, 备注.
//!
//! Layout: FORMS.md §5B; the 七个一 and 学时 rules come from the seed (八.1 and 四).

use crate::documents::common::{PrintedFields, long_present, long_text, printed, push_present};
use crate::documents::format::{date_cn, month_cn, number_text, opt, paragraphs};
use crate::documents::{Document, Draft, Key, Run, Selection, Template};
use crate::model::certificate::NotIssued;
use crate::model::dataset::Dataset;
use crate::model::records::{Appraisal, SEVEN_ITEMS};
use crate::model::student::Student;
use crate::model::training::Training;
use crate::model::value::{AppraisalGrade, PartialDate, Stage, YesNoCount};
use minijinja::value::Value;
use serde::Serialize;

/// The 年度民主评议表 kind.
pub struct AnnualAppraisal;

/// The template.
const TEMPLATE: Template = Template {
    name: "annual-appraisal.typ.j2",
    source: include_str!("../../templates/annual-appraisal.typ.j2"),
};

impl Document for AnnualAppraisal {
    fn id(&self) -> &'static str {
        "annual-appraisal"
    }

    fn label(&self) -> &'static str {
        "年度民主评议表"
    }

    fn made_from(&self) -> &'static str {
        "民主评议的每一行（--year 只取该年度）"
    }

    fn template(&self) -> Template {
        TEMPLATE
    }

    /// One form per appraisal row, only the year asked for when `scope.year` is given (the
    /// others are left out with the reason); in 学院, 班级, 学号, 年度 order.
    fn select<'a>(
        &self,
        ds: &'a Dataset,
        run: &Run<'_>,
        drafts: &mut dyn FnMut(Draft<'a>),
    ) -> Selection {
        let scope = run.scope;
        let mut chosen: Vec<(usize, &Student, &Appraisal)> = ds
            .appraisals
            .indexed()
            .filter(|(_, a)| scope.year.is_none_or(|y| a.year == y))
            .filter_map(|(i, a)| Some((i, ds.students.get(&*a.student_id)?, a)))
            .collect();
        chosen.sort_by_key(|(_, s, a)| (s.sort_key(), a.year));
        let left_out = match scope.year {
            Some(year) => ds
                .appraisals
                .iter()
                .filter(|a| a.year != year)
                .map(|a| NotIssued {
                    at: a.at.clone(),
                    reason: format!("{} 年度的评议，本次只生成 --year {year} 的", a.year),
                })
                .collect(),
            None => Vec::new(),
        };
        for (i, s, a) in chosen {
            drafts(draft(ds, i, s, a));
        }
        Selection {
            left_out,
            ..Selection::default()
        }
    }

    /// The key is the appraisal's index in [`Dataset::appraisals`].
    fn context(&self, ds: &Dataset, _: &Run<'_>, _: &str, key: Key) -> Option<Value> {
        let Key::Record(appraisal) = key else {
            return None;
        };
        context(ds, appraisal as usize)
    }
}

/// The yearly minimum of concentrated training for a full member (正式党员每年集中培训时间一般
/// 不少于32个学时, seed section 四).
pub const ANNUAL_MIN_HOURS: f64 = 32.0;

/// What each 七个一 item asks, in [`SEVEN_ITEMS`] order (seed section 八.1: every member,
/// every semester).
pub const SEVEN_ITEM_TEXTS: [&str; 7] = [
    "过一次民主生活会，开展批评与自我批评",
    "参加一次向党小组或党支部汇报思想、工作、学习情况的汇报会",
    "听一场以上党建学习辅导报告",
    "观看一次以上有教育意义的影片",
    "进行一次党建理论学习体会交流会",
    "参观一次以上革命传统教育基地",
    "参加一次以上社会实践活动",
];

/// The grades in the order the form prints their boxes.
const GRADES: [AppraisalGrade; 4] = [
    AppraisalGrade::Excellent,
    AppraisalGrade::Qualified,
    AppraisalGrade::BasicallyQualified,
    AppraisalGrade::Unqualified,
];

/// What the annual-appraisal template receives.
#[derive(Debug, Serialize)]
struct AppraisalContext<'a> {
    /// 年度, e.g. 2025.
    year: i32,
    /// The member's personal data.
    person: Person<'a>,
    /// 自评等次, empty when not given.
    self_grade: &'static str,
    /// 民主测评结果: 优秀, 合格, 基本合格, 不合格 (票数; empty when not given).
    votes: Vec<VoteLine>,
    /// 合计票数, empty unless every count is given.
    total_votes: String,
    /// 评定等次 as the four boxes, the given one checked.
    grades: Vec<GradeBox>,
    /// 评定等次 as a word.
    grade: &'static str,
    /// 七个一 record.
    seven: Vec<SevenLine>,
    /// 年度学习学时.
    hours: Hours<'a>,
    /// 评语, the branch's, in paragraphs (printed in the 党支部意见 box; empty: blank).
    comment: Vec<String>,
    /// 个人总结（自我评价） in paragraphs (empty: a blank box to write in).
    summary: Vec<String>,
    /// 党员互评意见 in paragraphs.
    peer_opinion: Vec<String>,
    /// 群众评议意见 in paragraphs.
    public_opinion: Vec<String>,
    /// 应参评人数, empty when not given.
    eligible: String,
    /// 实参评人数, empty when not given.
    present: String,
    /// 备注 in paragraphs.
    note: Vec<String>,
    /// True when the ledger gives the 七个一 per semester: the year's value is not printed.
    by_term: bool,
}

/// The member's personal data, formatted; a missing value is an empty string.
#[derive(Debug, Serialize)]
struct Person<'a> {
    /// 姓名.
    name: &'a str,
    /// 性别.
    sex: &'a str,
    /// 出生年月, e.g. 2003年5月.
    birth: String,
    /// 民族.
    ethnicity: &'a str,
    /// 学历 (the roster's 文化程度), e.g. 大学本科在读.
    education: &'a str,
    /// 入党时间 (接收预备党员日期).
    joined: String,
    /// 转正时间.
    full_since: String,
    /// 党员类别 at the end of the year: 正式党员 / 预备党员 (or the stage if neither).
    member_kind: &'static str,
    /// 学院.
    college: &'a str,
    /// 专业.
    major: &'a str,
    /// 班级.
    class: &'a str,
    /// 所在党支部, with the college unless the branch names it (`文学院学生第1党支部`).
    branch: String,
    /// 职务.
    post: &'a str,
    /// 学号.
    id: &'a str,
}

/// One cell pair of the ballot.
#[derive(Debug, Serialize)]
struct VoteLine {
    /// 优秀 / 合格 / 基本合格 / 不合格.
    label: &'static str,
    /// The count, empty when not given.
    count: String,
}

/// One box of the 评定等次 line.
#[derive(Debug, Serialize)]
struct GradeBox {
    /// 优秀 / 合格 / 基本合格 / 不合格.
    label: &'static str,
    /// True for the grade decided.
    checked: bool,
}

/// One row of the 七个一 table.
#[derive(Debug, Serialize)]
struct SevenLine {
    /// 1–7.
    no: usize,
    /// The short name, e.g. 民主生活会.
    item: &'static str,
    /// What the seed asks.
    text: &'static str,
    /// 是 / 否 / 3次 for the year, empty when not given.
    value: String,
    /// 上学期 and 下学期 values, empty when not given.
    terms: [String; 2],
}

/// The year's study hours and, for full members, the verdict against the minimum.
#[derive(Debug, Serialize)]
struct Hours<'a> {
    /// The hours, e.g. 34 or 24.5.
    value: String,
    /// True when taken from the training rows (no 学习学时 in the appraisal row).
    from_training: bool,
    /// The courses summed (when `from_training`), e.g. 2025年度学生党员集中轮训（32学时）.
    courses: Vec<CourseHours<'a>>,
    /// The minimum, 32.
    minimum: String,
    /// True when the minimum applies (a full member at the end of the year).
    applies: bool,
    /// 已达到 / 未达到 when it applies, else empty.
    verdict: &'static str,
}

/// A course counted in the year's hours.
#[derive(Debug, Serialize)]
struct CourseHours<'a> {
    /// 培训班.
    course: &'a str,
    /// 学时.
    hours: String,
}

/// The training hours of one appraisal's year.
struct YearHours<'a> {
    /// The student's courses that ended in the year.
    trainings: Vec<&'a Training>,
    /// True when the 学习学时 column is empty and the hours are summed from the courses.
    from_training: bool,
    /// The hours printed.
    hours: f64,
}

impl<'a> YearHours<'a> {
    /// The hours of appraisal `a` of student `s`: the column's, else the courses' sum.
    fn of(ds: &'a Dataset, s: &Student, a: &Appraisal) -> YearHours<'a> {
        let trainings: Vec<&Training> = ds
            .records_of(&s.id)
            .trainings
            .iter()
            .map(|&i| &ds.trainings[i])
            .filter(|t| t.end.year() == a.year)
            .collect();
        let hours = a
            .study_hours
            .unwrap_or_else(|| trainings.iter().map(|t| t.hours).sum());
        YearHours {
            trainings,
            from_training: a.study_hours.is_none(),
            hours,
        }
    }
}

/// The draft of the appraisal at `index` in [`Dataset::appraisals`].
fn draft<'a>(ds: &'a Dataset, index: usize, s: &'a Student, a: &'a Appraisal) -> Draft<'a> {
    let YearHours {
        trainings: year_trainings,
        from_training,
        ..
    } = YearHours::of(ds, s, a);
    let mut rows = vec![a.at.clone(), s.at.clone()];
    if from_training {
        rows.extend(year_trainings.iter().map(|t| t.at.clone()));
    }
    let mut printed: PrintedFields = printed([
        ("姓名", &s.name),
        ("学院", &s.college),
        ("党支部", &s.branch),
    ]);
    push_present(
        &mut printed,
        [
            ("专业", &s.major),
            ("班级", &s.class),
            ("职务", &s.post),
            ("学历", &s.education),
            ("备注", &a.note),
        ],
    );
    if from_training {
        for t in &year_trainings {
            printed.push(("培训班", t.course.as_str().into()));
        }
    }

    Draft {
        student: s,
        rows,
        key: Key::record(index),
        printed,
        long: long_present([
            ("评语", &a.comment),
            ("个人总结", &a.summary),
            ("互评意见", &a.peer_opinion),
            ("群众评议意见", &a.public_opinion),
        ]),
        name: format!("{}_{}", AnnualAppraisal.label(), a.year),
        year: Some(a.year),
        formed: Some(crate::documents::Formed::year(a.year)),
    }
}

/// Builds the context of the appraisal at `index` in [`Dataset::appraisals`]; `None` when
/// the appraisal or its student is not in the dataset.
fn context(ds: &Dataset, index: usize) -> Option<Value> {
    let a = ds.appraisals.get(index)?;
    let s = ds.students.get(&*a.student_id)?;
    let YearHours {
        trainings: year_trainings,
        from_training,
        hours,
    } = YearHours::of(ds, s, a);
    let full = full_member_in(s, a.year);
    let ctx = AppraisalContext {
        year: a.year,
        person: Person {
            name: &s.name,
            sex: s.sex.label(),
            birth: s.birth.map(month_cn).unwrap_or_default(),
            ethnicity: s.ethnicity.unwrap_or(""),
            education: s.education.as_deref().unwrap_or(""),
            joined: s.probationary_since.map(date_cn).unwrap_or_default(),
            full_since: s.full_member_since.map(date_cn).unwrap_or_default(),
            member_kind: member_kind(s, a.year),
            college: &s.college,
            major: s.major.as_deref().unwrap_or(""),
            class: s.class.as_deref().unwrap_or(""),
            branch: s.branch_full(),
            post: s.post.as_deref().unwrap_or(""),
            id: &s.id,
        },
        self_grade: a.self_grade.map(AppraisalGrade::label).unwrap_or(""),
        votes: GRADES
            .iter()
            .zip(a.votes)
            .map(|(g, v)| VoteLine {
                label: g.label(),
                count: v.map(|n| n.to_string()).unwrap_or_default(),
            })
            .collect(),
        total_votes: a.total_votes().map(|n| n.to_string()).unwrap_or_default(),
        grades: GRADES
            .iter()
            .map(|&g| GradeBox {
                label: g.label(),
                checked: g == a.grade,
            })
            .collect(),
        grade: a.grade.label(),
        seven: SEVEN_ITEMS
            .iter()
            .zip(SEVEN_ITEM_TEXTS)
            .zip(a.seven)
            .zip(a.seven_terms)
            .enumerate()
            .map(|(i, (((item, text), value), terms))| SevenLine {
                no: i + 1,
                item,
                text,
                value: value.map(seven_value).unwrap_or_default(),
                terms: terms.map(|t| t.map(seven_value).unwrap_or_default()),
            })
            .collect(),
        hours: Hours {
            value: number_text(hours),
            from_training,
            courses: if from_training {
                year_trainings
                    .iter()
                    .map(|t| CourseHours {
                        course: &t.course,
                        hours: number_text(t.hours),
                    })
                    .collect()
            } else {
                Vec::new()
            },
            minimum: number_text(ANNUAL_MIN_HOURS),
            applies: full,
            verdict: match (full, hours >= ANNUAL_MIN_HOURS) {
                (false, _) => "",
                (true, true) => "已达到",
                (true, false) => "未达到",
            },
        },
        comment: paragraphs(&long_text(&a.comment)?),
        summary: paragraphs(&long_text(&a.summary)?),
        peer_opinion: paragraphs(&long_text(&a.peer_opinion)?),
        public_opinion: paragraphs(&long_text(&a.public_opinion)?),
        eligible: a.eligible.map(|n| n.to_string()).unwrap_or_default(),
        present: a.present.map(|n| n.to_string()).unwrap_or_default(),
        note: paragraphs(opt(&a.note)),
        by_term: a.seven_terms.iter().flatten().any(Option::is_some),
    };

    Some(Value::from(minijinja::value::Serde(&ctx)))
}

/// A 七个一 value as printed: 是, 否, 3次.
fn seven_value(v: YesNoCount) -> String {
    match v {
        YesNoCount::Yes => "是".to_string(),
        YesNoCount::No => "否".to_string(),
        YesNoCount::Count(n) => format!("{n}次"),
    }
}

/// The last day of a year, as a date to compare stage dates with.
fn year_end(year: i32) -> Option<PartialDate> {
    PartialDate::new(year, 12, Some(31))
}

/// True when the student was a full member (正式党员) at the end of the year: the 32-学时
/// minimum applies. Without a 转正日期, the current stage decides.
fn full_member_in(s: &Student, year: i32) -> bool {
    match s.full_member_since {
        Some(d) => year_end(year).is_some_and(|end| d <= end),
        None => s.stage == Some(Stage::Full),
    }
}

/// 党员类别 at the end of the year: 正式党员, 预备党员, or the current stage when the dates
/// say neither.
fn member_kind(s: &Student, year: i32) -> &'static str {
    let by_end = |d: Option<PartialDate>| d.zip(year_end(year)).is_some_and(|(d, end)| d <= end);
    if full_member_in(s, year) {
        Stage::Full.label()
    } else if by_end(s.probationary_since)
        || (s.probationary_since.is_none() && s.stage == Some(Stage::Probationary))
    {
        Stage::Probationary.label()
    } else {
        s.stage.map(Stage::label).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_values_print_as_yes_no_or_times() {
        assert_eq!(seven_value(YesNoCount::Yes), "是");
        assert_eq!(seven_value(YesNoCount::No), "否");
        assert_eq!(seven_value(YesNoCount::Count(3)), "3次");
    }

    #[test]
    fn every_seven_item_has_its_text() {
        assert_eq!(SEVEN_ITEMS.len(), SEVEN_ITEM_TEXTS.len());
    }
}
