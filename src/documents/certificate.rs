//! 党校结业证书: one per course result that passed (score and hours), numbered by the rules
//! of [`crate::model::certificate`]. The context carries the student, the course, the number
//! and the issuer.

use crate::config::{DEFAULT_ISSUER, Issuer};
use crate::documents::common::{StudentContext, printed};
use crate::documents::format::{date_cn, date_cn_numerals, number_text};
use crate::documents::{Document, Draft, Key, Run, Selection, Template};
use crate::model::dataset::Dataset;
use crate::model::numbering::session_number;
use minijinja::value::Value;
use serde::Serialize;
use std::borrow::Cow;

/// The 党校结业证书 kind.
pub struct Certificate;

/// The template.
const TEMPLATE: Template = Template {
    name: "certificate.typ.j2",
    source: include_str!("../../templates/certificate.typ.j2"),
};

impl Document for Certificate {
    fn id(&self) -> &'static str {
        "certificate"
    }

    fn label(&self) -> &'static str {
        "党校结业证书"
    }

    fn made_from(&self) -> &'static str {
        "考核合格的党校成绩行"
    }

    fn typical_pages(&self) -> usize {
        1
    }

    fn template(&self) -> Template {
        TEMPLATE
    }

    /// Each certificate prints its own number.
    fn prints_certificate_numbers(&self) -> bool {
        true
    }

    fn issuers(&self) -> &'static [Issuer] {
        &[Issuer::PartySchool]
    }

    /// Applies the pass rule and numbers the certificates; results that fail the rule are
    /// set aside with the reason, duplicate numbers and results are problems.
    fn select<'a>(
        &self,
        ds: &'a Dataset,
        run: &Run<'_>,
        drafts: &mut dyn FnMut(Draft<'a>),
    ) -> Selection {
        let plan = run.certificates;
        for cert in plan.issued() {
            let Some(t) = ds.trainings.get(cert.training) else {
                continue;
            };
            let Some(student) = ds.students.get(&*t.student_id) else {
                continue;
            };
            drafts(Draft {
                student,
                rows: vec![t.at.clone(), student.at.clone()],
                printed: {
                    let mut printed = printed([
                        ("姓名", &student.name),
                        ("学院", &student.college),
                        ("党支部", &student.branch),
                        ("培训班", &t.course),
                    ]);
                    printed.push(("证书编号", Cow::Owned(cert.number.to_string())));
                    printed
                },
                long: Vec::new(),
                key: Key::record(cert.training),
                name: self.label().to_string(),
                year: Some(t.end.year()),
                formed: Some(t.end.into()),
            });
        }
        Selection {
            not_issued: plan.not_issued.clone(),
            left_out: Vec::new(),
            problems: plan.problems.clone(),
        }
    }

    fn context(&self, ds: &Dataset, run: &Run<'_>, _: &str, key: Key) -> Option<Value> {
        let Key::Record(training) = key else {
            return None;
        };
        let cert = run.certificates.issued_for(training as usize)?;
        let t = ds.trainings.get(cert.training)?;
        let s = ds.students.get(&*t.student_id)?;
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
            number: cert.number,
            issue_date: date_cn(cert.issue_date),
            issue_date_numerals: date_cn_numerals(cert.issue_date),
            issuer: run
                .config
                .issuer(Issuer::PartySchool)
                .unwrap_or_else(|| DEFAULT_ISSUER.to_string()),
            seal_text: run.config.seal_text(),
        };
        Some(Value::from(minijinja::value::Serde(&ctx)))
    }
}

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
    issuer: String,
    /// Text for the seal area.
    seal_text: String,
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
