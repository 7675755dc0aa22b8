//! The context of one 党校结业证书: the student, the course, the number, the issuer.

use crate::config::Config;
use crate::document::DocumentKind;
use crate::model::certificate::Certificate;
use crate::model::dataset::Dataset;
use crate::model::numbering::session_number;
use crate::model::student::Student;
use crate::plan::Draft;
use crate::render::ContextSource;
use crate::render::context::{date_cn, date_cn_numerals};
use minijinja::value::Value;
use serde::Serialize;

/// The template of the certificate.
pub const TEMPLATE: &str = "certificate.typ.j2";

/// What the certificate template receives.
#[derive(Debug, Serialize)]
struct CertificateContext<'a> {
    /// The student.
    student: StudentContext<'a>,
    /// The course passed.
    course: CourseContext<'a>,
    /// 证书编号.
    number: &'a str,
    /// Issue date, e.g. 2025年4月26日.
    issue_date: String,
    /// Issue date in Chinese numerals, e.g. 二〇二五年四月二十六日.
    issue_date_numerals: String,
    /// The issuing party school.
    issuer: &'a str,
    /// Text for the seal area.
    seal_text: &'a str,
}

/// The student fields a certificate may print.
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

/// The course fields a certificate may print.
#[derive(Debug, Serialize)]
struct CourseContext<'a> {
    /// 培训班, e.g. 第12期入党积极分子培训班.
    name: &'a str,
    /// 培训类别.
    kind: &'a str,
    /// 期次 (0 when the name has none).
    session: u32,
    /// 开始日期 as printed.
    start: String,
    /// 结束日期 as printed.
    end: String,
    /// 学时 as printed (16, 24.5).
    hours: String,
    /// 成绩 as printed (86, 合格).
    score: String,
}

/// The drafts of the certificates to issue.
pub fn drafts<'a>(ds: &'a Dataset, issued: &'a [Certificate]) -> Vec<Draft<'a>> {
    issued
        .iter()
        .filter_map(|cert| {
            let t = ds.trainings.get(cert.training)?;
            let student = ds.students.get(&t.student_id)?;
            Some(Draft {
                kind: DocumentKind::Certificate,
                student,
                rows: vec![t.at.clone(), student.at.clone()],
                source: ContextSource::Certificate(cert.clone()),
                printed: vec![
                    ("姓名", student.name.as_str()),
                    ("学院", student.college.as_str()),
                    ("党支部", student.branch.as_str()),
                    ("培训班", t.course.as_str()),
                    ("证书编号", cert.number.as_str()),
                ],
                name: DocumentKind::Certificate.label().to_string(),
                year: Some(t.end.year()),
            })
        })
        .collect()
}

/// Builds the context of one certificate; `None` when its course result or student is not
/// in the dataset.
pub fn context(ds: &Dataset, cert: &Certificate, config: &Config) -> Option<Value> {
    let t = ds.trainings.get(cert.training)?;
    let s = ds.students.get(&t.student_id)?;
    let ctx = CertificateContext {
        student: StudentContext::of(s),
        course: CourseContext {
            name: &t.course,
            kind: t.course_type.as_deref().unwrap_or(""),
            session: session_number(&t.course).unwrap_or(0),
            start: date_cn(t.start),
            end: date_cn(t.end),
            hours: number_text(t.hours),
            score: t.score.to_string(),
        },
        number: &cert.number,
        issue_date: date_cn(cert.issue_date),
        issue_date_numerals: date_cn_numerals(cert.issue_date),
        issuer: &config.certificate.issuer,
        seal_text: config.seal_text(),
    };
    Some(Value::from(minijinja::value::Serde(&ctx)))
}

/// A number as printed on a form: 16, 24.5.
pub fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}
