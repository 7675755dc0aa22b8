//! 入党积极分子培养考察登记表 (`activist-registration`): one per roster student at stage 入党积极
//! 分子 or later, with the student's personal data, the party-school courses, the talks held
//! and the family members from the other sheets, so that the branch only writes the periodic
//! 培养考察 opinions and signatures by hand.
//!
//! Layout: FORMS.md §1D (cover, 填表说明, 基本情况, tables, periodic review boxes, 确定为发展
//! 对象的意见). Dates and missing values are formatted here; the template decides where a
//! missing value prints "无" and where an empty box is left for handwriting.

use crate::config::Config;
use crate::documents::common::{PrintedFields, printed, push_present};
use crate::documents::format::{dotted, dotted_month, full_date, number_text, opt, year_month};
use crate::documents::{Document, Draft, Scope, Selection, Template};
use crate::model::dataset::Dataset;
use crate::model::records::{Relative, Talk};
use crate::model::student::Student;
use crate::model::training::Training;
use crate::model::value::Stage;
use minijinja::value::Value;
use serde::Serialize;
use std::any::Any;
use std::sync::Arc;

/// The 入党积极分子登记表 kind.
pub struct ActivistRegistration;

/// The template.
const TEMPLATE: Template = Template {
    name: "activist-registration.typ.j2",
    source: include_str!("../../templates/activist-registration.typ.j2"),
};

/// The key of one form: the student's 学号.
#[derive(Debug)]
struct Key {
    /// 学号.
    student: String,
}

impl Document for ActivistRegistration {
    fn id(&self) -> &'static str {
        "activist-registration"
    }

    fn label(&self) -> &'static str {
        "入党积极分子登记表"
    }

    fn made_from(&self) -> &'static str {
        "发展阶段为入党积极分子及以后的学生"
    }

    fn template(&self) -> Template {
        TEMPLATE
    }

    /// One form per roster student at stage 入党积极分子 or later, in 学院, 班级, 学号 order.
    fn select<'a>(&self, ds: &'a Dataset, _: &Config, _: &Scope) -> Selection<'a> {
        let mut students: Vec<&Student> = ds
            .students
            .values()
            .filter(|s| s.stage >= Some(Stage::Activist))
            .collect();
        students.sort_by_key(|s| s.sort_key());
        Selection {
            drafts: students
                .into_iter()
                .map(|student| draft(ds, student))
                .collect(),
            ..Selection::default()
        }
    }

    fn context(
        &self,
        ds: &Dataset,
        config: &Config,
        key: &(dyn Any + Send + Sync),
    ) -> Option<Value> {
        let key = key.downcast_ref::<Key>()?;
        context(ds, config, &key.student)
    }
}

/// What the activist-registration template receives.
#[derive(Debug, Serialize)]
struct RegistrationContext<'a> {
    /// The student's personal data (the 基本情况 grid).
    person: Person<'a>,
    /// 培养联系人: none, one or two names.
    contacts: Vec<&'a str>,
    /// 党校培训情况, by start date.
    trainings: Vec<TrainingLine<'a>>,
    /// 谈话情况 (talks held, not their content), by date.
    talks: Vec<TalkLine<'a>>,
    /// 家庭主要成员及主要社会关系, in input order.
    relatives: Vec<RelativeLine<'a>>,
    /// The imprint under the cover (`中共××大学委员会组织部制`), empty when unknown.
    imprint: String,
}

/// The 基本情况 fields, formatted; a missing value is an empty string.
#[derive(Debug, Serialize)]
struct Person<'a> {
    /// 姓名.
    name: &'a str,
    /// 性别.
    sex: &'a str,
    /// 民族.
    ethnicity: &'a str,
    /// 出生年月, e.g. 2003年05月.
    birth: String,
    /// 籍贯.
    native_place: &'a str,
    /// 身份证号.
    id_card: &'a str,
    /// 学号.
    id: &'a str,
    /// 学院.
    college: &'a str,
    /// 专业.
    major: &'a str,
    /// 班级.
    class: &'a str,
    /// 党支部.
    branch: &'a str,
    /// 发展阶段 now, e.g. 发展对象.
    stage: &'a str,
    /// 职务.
    post: &'a str,
    /// 联系电话.
    phone: &'a str,
    /// 申请入党时间, e.g. 2021年10月23日.
    applied: String,
    /// 确定为入党积极分子时间.
    activist_since: String,
    /// 确定为发展对象时间 (printed in the 确定为发展对象 block when known).
    candidate_since: String,
    /// 备注.
    note: &'a str,
}

/// One row of the 党校培训情况 table.
#[derive(Debug, Serialize)]
struct TrainingLine<'a> {
    /// 培训班.
    course: &'a str,
    /// 培训类别.
    kind: &'a str,
    /// 开始日期, e.g. 2025.03.08.
    start: String,
    /// 结束日期.
    end: String,
    /// 学时, e.g. 16 or 24.5.
    hours: String,
    /// 成绩, e.g. 86 or 合格.
    score: String,
}

/// One row of the 谈话情况 table.
#[derive(Debug, Serialize)]
struct TalkLine<'a> {
    /// 谈话日期, e.g. 2021.11.23.
    date: String,
    /// 谈话地点.
    place: &'a str,
    /// 谈话人.
    talker: &'a str,
    /// 谈话人职务.
    talker_post: &'a str,
    /// 谈话类型.
    kind: &'a str,
}

/// One row of the family table.
#[derive(Debug, Serialize)]
struct RelativeLine<'a> {
    /// 称谓.
    relation: &'a str,
    /// 姓名.
    name: &'a str,
    /// 出生年月, e.g. 1975.03.
    birth: String,
    /// 政治面貌.
    political_status: &'a str,
    /// 工作单位及职务.
    work: &'a str,
}

/// The records of one student the form lists: courses by date, talks by date, family.
struct Records<'a> {
    /// The student's course results, by start and end date.
    trainings: Vec<&'a Training>,
    /// The student's talks, by date.
    talks: Vec<&'a Talk>,
    /// The student's family members and social relations, in input order.
    relatives: Vec<&'a Relative>,
}

impl<'a> Records<'a> {
    /// The records of student `s`.
    fn of(ds: &'a Dataset, s: &Student) -> Records<'a> {
        let mut trainings: Vec<&Training> = ds
            .trainings
            .iter()
            .filter(|t| t.student_id == s.id)
            .collect();
        trainings.sort_by_key(|t| (t.start, t.end));
        let mut talks: Vec<&Talk> = ds.talks.iter().filter(|t| t.student_id == s.id).collect();
        talks.sort_by_key(|t| t.date);
        let relatives: Vec<&Relative> = ds
            .relatives
            .iter()
            .filter(|r| r.student_id == s.id)
            .collect();
        Records {
            trainings,
            talks,
            relatives,
        }
    }
}

/// The draft of one student's form.
fn draft<'a>(ds: &'a Dataset, s: &'a Student) -> Draft<'a> {
    let Records {
        trainings,
        talks,
        relatives,
    } = Records::of(ds, s);
    let mut rows = vec![s.at.clone()];
    rows.extend(trainings.iter().map(|t| t.at.clone()));
    rows.extend(talks.iter().map(|t| t.at.clone()));
    rows.extend(relatives.iter().map(|r| r.at.clone()));

    let mut printed: PrintedFields = printed([
        ("姓名", &s.name),
        ("学院", &s.college),
        ("党支部", &s.branch),
    ]);
    push_present(
        &mut printed,
        [
            ("籍贯", &s.native_place),
            ("专业", &s.major),
            ("班级", &s.class),
            ("职务", &s.post),
            ("联系电话", &s.phone),
            ("备注", &s.note),
        ],
    );
    for c in &s.contacts {
        printed.push(("培养联系人", c.into()));
    }
    for t in &trainings {
        printed.push(("培训班", t.course.as_str().into()));
        push_present(&mut printed, [("培训类别", &t.course_type)]);
    }
    for t in &talks {
        printed.push(("谈话人", t.talker.as_str().into()));
        push_present(
            &mut printed,
            [
                ("谈话地点", &t.place),
                ("谈话人职务", &t.talker_post),
                ("谈话类型", &t.kind),
            ],
        );
    }
    for r in &relatives {
        printed.push(("称谓", r.relation.as_str().into()));
        printed.push(("成员姓名", r.member.as_str().into()));
        push_present(
            &mut printed,
            [
                ("政治面貌", &r.political_status),
                ("工作单位及职务", &r.work),
            ],
        );
    }

    Draft {
        student: s,
        rows,
        key: Arc::new(Key {
            student: s.id.clone(),
        }),
        printed,
        name: ActivistRegistration.label().to_string(),
        year: None,
    }
}

/// Builds the context of the form of the student with 学号 `student_id`; `None` when the
/// student is not in the dataset.
fn context(ds: &Dataset, config: &Config, student_id: &str) -> Option<Value> {
    let s = ds.students.get(student_id)?;
    let Records {
        trainings,
        talks,
        relatives,
    } = Records::of(ds, s);
    let ctx = RegistrationContext {
        person: Person {
            name: &s.name,
            sex: s.sex.label(),
            ethnicity: s.ethnicity.unwrap_or(""),
            birth: s.birth.map(year_month).unwrap_or_default(),
            native_place: opt(&s.native_place),
            id_card: s.id_card.as_ref().map(|c| c.number.as_str()).unwrap_or(""),
            id: &s.id,
            college: &s.college,
            major: opt(&s.major),
            class: opt(&s.class),
            branch: &s.branch,
            stage: s.stage.map(Stage::label).unwrap_or(""),
            post: opt(&s.post),
            phone: opt(&s.phone),
            applied: s.applied.map(full_date).unwrap_or_default(),
            activist_since: s.activist_since.map(full_date).unwrap_or_default(),
            candidate_since: s.candidate_since.map(full_date).unwrap_or_default(),
            note: opt(&s.note),
        },
        contacts: s.contacts.iter().map(String::as_str).collect(),
        trainings: trainings
            .iter()
            .map(|t| TrainingLine {
                course: &t.course,
                kind: t.course_type.as_deref().unwrap_or(""),
                start: dotted(t.start),
                end: dotted(t.end),
                hours: number_text(t.hours),
                score: t.score.to_string(),
            })
            .collect(),
        talks: talks
            .iter()
            .map(|t| TalkLine {
                date: dotted(t.date),
                place: opt(&t.place),
                talker: &t.talker,
                talker_post: opt(&t.talker_post),
                kind: opt(&t.kind),
            })
            .collect(),
        relatives: relatives
            .iter()
            .map(|r| RelativeLine {
                relation: &r.relation,
                name: &r.member,
                birth: r.birth.map(dotted_month).unwrap_or_default(),
                political_status: opt(&r.political_status),
                work: opt(&r.work),
            })
            .collect(),
        imprint: imprint(&config.certificate.issuer),
    };

    Some(Value::from(minijinja::value::Serde(&ctx)))
}

/// The organisation department's imprint under the cover, derived from the configured party
/// school (`中共××大学委员会党校` → `中共××大学委员会组织部制`); empty when the issuer is not
/// a committee's party school, so that no wrong organisation is printed.
fn imprint(issuer: &str) -> String {
    issuer
        .strip_suffix("委员会党校")
        .filter(|prefix| !prefix.is_empty())
        .map(|prefix| format!("{prefix}委员会组织部制"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_imprint_names_the_committee_of_the_party_school() {
        assert_eq!(
            imprint("中共东方理工大学委员会党校"),
            "中共东方理工大学委员会组织部制"
        );
        assert_eq!(imprint("中共××学院委员会分党校"), "");
        assert_eq!(imprint("委员会党校"), "");
    }
}
