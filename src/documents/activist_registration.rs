//! 入党积极分子培养考察登记表 (`activist-registration`): one per roster student at stage 入党积极
//! 分子 or later, with the student's personal data, the party-school courses, the talks held
//! and the family members from the other sheets, so that the branch only writes the periodic
//! 培养考察 opinions and signatures by hand.
//!
//! Layout: FORMS.md §1D, every section in its order (cover, 填表说明, 基本情况, 本人简历,
//! 奖惩情况, family, the three opinions, 备案, 培养联系人, 培养考察情况, 党校培训情况 with the
//! 结业证书编号 the certificates got, 党员和群众意见, 确定为发展对象的意见, 备案). Dates and missing values are formatted here; the template decides where a
//! missing value prints "无" and where an empty box is left for handwriting.

use crate::config::Issuer;
use crate::documents::common::{
    PrintedFields, ResumeLine, printed, push_present, push_resume, resume_lines, resume_of,
};
use crate::documents::format::{date_cn, month_cn, number_text, opt, paragraphs};
use crate::documents::{Document, Draft, Key, Run, Selection, Template};
use crate::model::dataset::Dataset;
use crate::model::records::{Relative, Talk};
use crate::model::student::Student;
use crate::model::training::Training;
use crate::model::value::Stage;
use minijinja::value::Value;
use serde::Serialize;

/// The 入党积极分子登记表 kind.
pub struct ActivistRegistration;

/// The template.
const TEMPLATE: Template = Template {
    name: "activist-registration.typ.j2",
    source: include_str!("../../templates/activist-registration.typ.j2"),
};

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

    /// Cover, 填表说明 and five pages of form.
    fn typical_pages(&self) -> usize {
        7
    }

    fn template(&self) -> Template {
        TEMPLATE
    }

    fn issuers(&self) -> &'static [Issuer] {
        &[Issuer::OrganizationDepartment]
    }

    /// The form lists the 结业证书编号 of the student's courses.
    fn prints_certificate_numbers(&self) -> bool {
        true
    }

    /// One form per roster student at stage 入党积极分子 or later, in 学院, 班级, 学号 order.
    fn select<'a>(
        &self,
        ds: &'a Dataset,
        run: &Run<'_>,
        drafts: &mut dyn FnMut(Draft<'a>),
    ) -> Selection {
        let mut students: Vec<&Student> = ds
            .students
            .values()
            .filter(|s| s.stage >= Some(Stage::Activist))
            .collect();
        students.sort_by_key(|s| s.sort_key());
        for student in students {
            drafts(draft(ds, run, student));
        }
        Selection::default()
    }

    /// The form of `student`: the key says nothing more.
    fn context(&self, ds: &Dataset, run: &Run<'_>, student: &str, _: Key) -> Option<Value> {
        context(ds, run, student)
    }
}

/// What the activist-registration template receives.
#[derive(Debug, Serialize)]
struct RegistrationContext<'a> {
    /// The student's personal data (the 基本情况 grid).
    person: Person<'a>,
    /// 推荐方式 as tick boxes: the usual ways, ticked when the ledger names them.
    recommended: Vec<Tick>,
    /// A 推荐方式 the usual ways do not cover (printed after 其他：), else empty.
    recommended_other: &'a str,
    /// 本人简历 from the 简历 sheet, in input order (blank rows to fill by hand follow).
    resume: Vec<ResumeLine<'a>>,
    /// 奖惩情况 in paragraphs (empty: a blank box to fill by hand).
    rewards: Vec<String>,
    /// 团组织推优意见 in paragraphs (empty: a blank box).
    league_opinion: Vec<String>,
    /// 党小组意见 in paragraphs (empty: a blank box).
    group_opinion: Vec<String>,
    /// 培养联系人: none, one or two.
    contacts: Vec<Contact<'a>>,
    /// 党校培训情况, by start date.
    trainings: Vec<TrainingLine<'a>>,
    /// 谈话情况 (talks held, not their content), by date.
    talks: Vec<TalkLine<'a>>,
    /// 家庭主要成员及主要社会关系, in input order.
    relatives: Vec<RelativeLine<'a>>,
    /// The imprint under the cover (`中共东方理工大学委员会组织部制`), empty when the
    /// configuration names no organisation department (the run notes it).
    imprint: String,
}

/// One tick box of a choice.
#[derive(Debug, Serialize)]
struct Tick {
    /// The printed choice.
    label: &'static str,
    /// Whether it is ticked.
    ticked: bool,
}

/// One 培养联系人: the name from the roster's 培养联系人 column; 党内职务 and 入党时间 when the
/// name is one party member's of the roster, else blank to fill by hand.
#[derive(Debug, Serialize)]
struct Contact<'a> {
    /// 姓名.
    name: &'a str,
    /// 党内职务 (the roster's 职务 of that member), or empty.
    post: &'a str,
    /// 入党时间, e.g. 2022年6月30日, or empty.
    joined: String,
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
    /// 出生年月, e.g. 2003年5月.
    birth: String,
    /// 籍贯.
    native_place: &'a str,
    /// 文化程度, e.g. 大学本科在读.
    education: &'a str,
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
    /// 所在党支部, with the college unless the branch names it (`文学院学生第1党支部`).
    branch: String,
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
}

/// One row of the 党校培训情况 table.
#[derive(Debug, Serialize)]
struct TrainingLine<'a> {
    /// 培训班 (班次).
    course: &'a str,
    /// 开始日期, e.g. 2025年3月8日.
    start: String,
    /// 结束日期.
    end: String,
    /// 学时, e.g. 16 or 24.5.
    hours: String,
    /// 成绩, e.g. 86 or 合格.
    score: String,
    /// 结业证书编号: the number of the certificate this result got, else empty.
    certificate: String,
}

/// One row of the 谈话情况 table.
#[derive(Debug, Serialize)]
struct TalkLine<'a> {
    /// 谈话日期, e.g. 2021年11月23日.
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
    /// 出生年月, e.g. 1975年3月.
    birth: String,
    /// 政治面貌.
    political_status: &'a str,
    /// 工作单位及职务.
    work: &'a str,
}

/// The usual ways of recommending an activist, printed as tick boxes (FORMS.md §1A).
const RECOMMENDED: [&str; 3] = ["团组织推优", "党员推荐", "群团组织推荐"];

/// The records of one student the form lists: courses by date, talks by date, family.
struct Records<'a> {
    /// The student's course results with their index in [`Dataset::trainings`], by start and
    /// end date.
    trainings: Vec<(usize, &'a Training)>,
    /// The student's talks, by date.
    talks: Vec<&'a Talk>,
    /// The student's family members and social relations, in input order.
    relatives: Vec<&'a Relative>,
}

impl<'a> Records<'a> {
    /// The records of student `s`.
    fn of(ds: &'a Dataset, s: &Student) -> Records<'a> {
        let records = ds.records_of(&s.id);
        let mut trainings: Vec<(usize, &Training)> = records
            .trainings
            .iter()
            .map(|&i| (i, &ds.trainings[i]))
            .collect();
        trainings.sort_by_key(|(_, t)| (t.start, t.end));
        let mut talks: Vec<&Talk> = records.talks.iter().map(|&i| &ds.talks[i]).collect();
        talks.sort_by_key(|t| t.date);
        let relatives: Vec<&Relative> = records
            .relatives
            .iter()
            .map(|&i| &ds.relatives[i])
            .collect();
        Records {
            trainings,
            talks,
            relatives,
        }
    }
}

/// The draft of one student's form.
fn draft<'a>(ds: &'a Dataset, run: &Run<'_>, s: &'a Student) -> Draft<'a> {
    let Records {
        trainings,
        talks,
        relatives,
    } = Records::of(ds, s);
    let resume = resume_of(ds, &s.id);
    let mut rows = vec![s.at.clone()];
    rows.extend(resume.iter().map(|r| r.at.clone()));
    rows.extend(trainings.iter().map(|(_, t)| t.at.clone()));
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
            ("文化程度", &s.education),
            ("推荐方式", &s.recommended_by),
            ("奖惩情况", &s.rewards),
            ("团组织推优意见", &s.league_opinion),
            ("党小组意见", &s.group_opinion),
        ],
    );
    for c in &s.contacts {
        printed.push(("培养联系人", c.into()));
    }
    push_resume(&mut printed, &resume);
    for (index, _) in &trainings {
        if let Some(c) = run.certificates.issued_for(*index) {
            printed.push(("证书编号", c.number.to_string().into()));
        }
    }
    for (_, t) in &trainings {
        printed.push(("培训班", t.course.as_str().into()));
        push_present(&mut printed, [("培训类别", &t.course_type)]);
    }
    for t in &talks {
        printed.push(("谈话人", (&*t.talker).into()));
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
        printed.push(("称谓", (&*r.relation).into()));
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
        key: Key::Student,
        printed,
        long: Vec::new(),
        name: ActivistRegistration.label().to_string(),
        year: None,
        formed: s.activist_since.map(Into::into),
    }
}

/// Builds the context of the form of `student` (学号); `None` when the student is not in the
/// dataset.
fn context(ds: &Dataset, run: &Run<'_>, student: &str) -> Option<Value> {
    let s = ds.students.get(student)?;
    let Records {
        trainings,
        talks,
        relatives,
    } = Records::of(ds, s);
    let recommended_by = opt(&s.recommended_by);
    let ctx = RegistrationContext {
        person: Person {
            name: &s.name,
            sex: s.sex.label(),
            ethnicity: s.ethnicity.unwrap_or(""),
            birth: s.birth.map(month_cn).unwrap_or_default(),
            native_place: opt(&s.native_place),
            education: opt(&s.education),
            id_card: s.id_card.as_ref().map(|c| c.number.as_str()).unwrap_or(""),
            id: &s.id,
            college: &s.college,
            major: opt(&s.major),
            class: opt(&s.class),
            branch: s.branch_full(),
            post: opt(&s.post),
            phone: opt(&s.phone),
            applied: s.applied.map(date_cn).unwrap_or_default(),
            activist_since: s.activist_since.map(date_cn).unwrap_or_default(),
            candidate_since: s.candidate_since.map(date_cn).unwrap_or_default(),
        },
        recommended: RECOMMENDED
            .iter()
            .map(|&label| Tick {
                label,
                ticked: recommended_by.contains(label)
                    && !(label == "团组织推优" && recommended_by.contains("群团")),
            })
            .collect(),
        recommended_other: if RECOMMENDED.iter().any(|r| recommended_by.contains(r)) {
            ""
        } else {
            recommended_by
        },
        resume: resume_lines(&resume_of(ds, &s.id)),
        rewards: paragraphs(opt(&s.rewards)),
        league_opinion: paragraphs(opt(&s.league_opinion)),
        group_opinion: paragraphs(opt(&s.group_opinion)),
        contacts: s.contacts.iter().map(|c| contact(ds, c)).collect(),
        trainings: trainings
            .iter()
            .map(|(index, t)| TrainingLine {
                course: &t.course,
                start: date_cn(t.start),
                end: date_cn(t.end),
                hours: number_text(t.hours),
                score: t.score.to_string(),
                certificate: run
                    .certificates
                    .issued_for(*index)
                    .map(|c| c.number.to_string())
                    .unwrap_or_default(),
            })
            .collect(),
        talks: talks
            .iter()
            .map(|t| TalkLine {
                date: date_cn(t.date),
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
                birth: r.birth.map(month_cn).unwrap_or_default(),
                political_status: opt(&r.political_status),
                work: opt(&r.work),
            })
            .collect(),
        imprint: run
            .config
            .issuer(Issuer::OrganizationDepartment)
            .map(|d| format!("{d}制"))
            .unwrap_or_default(),
    };

    Some(Value::from(minijinja::value::Serde(&ctx)))
}

/// The 培养联系人 named `name`: with the 党内职务 and 入党时间 of the one roster member of that
/// name who has joined the party; blank when there is none or more than one.
fn contact<'a>(ds: &'a Dataset, name: &'a str) -> Contact<'a> {
    match ds.member_named(name) {
        Some(m) => Contact {
            name,
            post: opt(&m.post),
            joined: date_cn(m.joined),
        },
        None => Contact {
            name,
            post: "",
            joined: String::new(),
        },
    }
}
