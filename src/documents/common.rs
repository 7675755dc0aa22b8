//! What several forms share: the student block of a template context, and the list of data
//! fields a document prints (checked against the fonts before typesetting).

use crate::documents::format::{OptionalText, date_cn};
use crate::model::dataset::Dataset;
use crate::model::records::ResumeEntry;
use crate::model::student::Student;
use crate::model::text::LongText;
use serde::Serialize;
use std::borrow::Cow;

/// The data fields a document prints, as (Chinese field name, value), checked against the
/// fonts before typesetting so that no character silently prints as an empty box. Values are
/// borrowed from the dataset, or owned when made while planning (a generated number).
pub type PrintedFields<'a> = Vec<(&'static str, Cow<'a, str>)>;

/// The printed fields of values that are always there, in order.
pub fn printed<'a, const N: usize>(fields: [(&'static str, &'a str); N]) -> PrintedFields<'a> {
    fields
        .into_iter()
        .map(|(field, value)| (field, Cow::Borrowed(value)))
        .collect()
}

/// Adds to `printed` those of the optional `fields` that have a value, in order.
pub fn push_present<'a, const N: usize>(
    printed: &mut PrintedFields<'a>,
    fields: [(&'static str, &'a dyn OptionalText); N],
) {
    printed.extend(
        fields
            .into_iter()
            .filter_map(|(field, value)| Some((field, Cow::Borrowed(value.text()?)))),
    );
}

/// The long free texts a document prints (谈话内容, 个人总结 …), field by field: they may be on
/// disk ([`LongText`]), so the glyph check reads them back one at a time.
pub type LongFields<'a> = Vec<(&'static str, &'a LongText)>;

/// Those of the optional long `fields` that have a value, in order.
pub fn long_present<'a, const N: usize>(
    fields: [(&'static str, &'a Option<LongText>); N],
) -> LongFields<'a> {
    fields
        .into_iter()
        .filter_map(|(field, value)| Some((field, value.as_ref()?)))
        .collect()
}

/// An optional long text as a form prints it: empty when absent; `None` when it cannot be
/// read back (the form is then refused, never printed without it).
pub fn long_text(text: &Option<LongText>) -> Option<Cow<'_, str>> {
    match text {
        None => Some(Cow::Borrowed("")),
        Some(text) => text.get(),
    }
}

/// The roster fields a template may print about its student (`student.name` …).
#[derive(Debug, Serialize)]
pub struct StudentContext<'a> {
    /// 学号.
    pub id: &'a str,
    /// 姓名.
    pub name: &'a str,
    /// 性别.
    pub sex: &'a str,
    /// 民族.
    pub ethnicity: &'a str,
    /// 出生日期 as printed.
    pub birth: String,
    /// 学院.
    pub college: &'a str,
    /// 专业.
    pub major: &'a str,
    /// 班级.
    pub class: &'a str,
    /// 党支部.
    pub branch: &'a str,
    /// 发展阶段.
    pub stage: &'a str,
}

impl<'a> StudentContext<'a> {
    /// The context of a roster student.
    pub fn of(s: &'a Student) -> Self {
        StudentContext {
            id: &s.id,
            name: &s.name,
            sex: s.sex.label(),
            ethnicity: s.ethnicity.unwrap_or(""),
            birth: s.birth.map(date_cn).unwrap_or_default(),
            college: &s.college,
            major: s.major.as_deref().unwrap_or(""),
            class: s.class.as_deref().unwrap_or(""),
            branch: &s.branch,
            stage: s.stage.map(|st| st.label()).unwrap_or(""),
        }
    }
}

/// One line of the 本人简历 table of the 登记表 and the 政审表.
#[derive(Debug, Serialize)]
pub struct ResumeLine<'a> {
    /// 起止年月 as written, e.g. 2018.09—2021.06.
    pub period: &'a str,
    /// 在何地何单位学习或工作（任何职）: the unit, with the post after it when given.
    pub unit: String,
    /// 证明人.
    pub witness: &'a str,
}

/// The 简历 periods of a student, in input order.
pub fn resume_of<'a>(ds: &'a Dataset, student_id: &str) -> Vec<&'a ResumeEntry> {
    ds.records_of(student_id)
        .resumes
        .iter()
        .map(|&i| &ds.resumes[i])
        .collect()
}

/// The 本人简历 lines of a student's periods.
pub fn resume_lines<'a>(entries: &[&'a ResumeEntry]) -> Vec<ResumeLine<'a>> {
    entries
        .iter()
        .map(|r| ResumeLine {
            period: &r.period,
            unit: match &r.post {
                Some(post) => format!("{}　{post}", r.unit),
                None => r.unit.to_string(),
            },
            witness: r.witness.as_deref().unwrap_or(""),
        })
        .collect()
}

/// Adds the printed fields of a student's 简历 periods.
pub fn push_resume<'a>(printed: &mut PrintedFields<'a>, entries: &[&'a ResumeEntry]) {
    for r in entries {
        printed.push(("起止年月", Cow::Borrowed(&*r.period)));
        printed.push(("单位", Cow::Borrowed(&*r.unit)));
        push_present(printed, [("职务", &r.post), ("证明人", &r.witness)]);
    }
}
