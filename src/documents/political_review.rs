//! 发展对象政治审查表 (`political-review`): one form per review row, with the student's roster
//! facts, the review itself and the student's family members and social relations (家庭成员
//! rows, in input order), following FORMS.md §3B.

use crate::documents::common::{
    PrintedFields, ResumeLine, StudentContext, long_present, long_text, printed, push_present,
    push_resume, resume_lines, resume_of,
};
use crate::documents::format::{
    SplitText, branch_full, date_cn, iso_date, month_cn, paragraphs, split_tail,
};
use crate::documents::{Document, Draft, Key, Run, Selection, Template};
use crate::model::dataset::Dataset;
use crate::model::records::{Relative, Review};
use crate::model::student::Student;
use minijinja::value::Value;
use serde::Serialize;
use std::collections::BTreeMap;

/// The 发展对象政治审查表 kind.
pub struct PoliticalReview;

/// The template.
const TEMPLATE: Template = Template {
    name: "political-review.typ.j2",
    source: include_str!("../../templates/political-review.typ.j2"),
};

impl Document for PoliticalReview {
    fn id(&self) -> &'static str {
        "political-review"
    }

    fn label(&self) -> &'static str {
        "发展对象政治审查表"
    }

    fn made_from(&self) -> &'static str {
        "政治审查的每一行"
    }

    fn template(&self) -> Template {
        TEMPLATE
    }

    /// One form per valid review whose student is in the roster. Its rows are the review
    /// row, the roster row and every family row printed, so the manifest lists the family
    /// rows as used.
    fn select<'a>(
        &self,
        ds: &'a Dataset,
        _: &Run<'_>,
        drafts: &mut dyn FnMut(Draft<'a>),
    ) -> Selection {
        let mut relatives: BTreeMap<&str, Vec<&Relative>> = BTreeMap::new();
        for r in &ds.relatives {
            relatives.entry(&*r.student_id).or_default().push(r);
        }
        let mut reviews_of: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &ds.reviews {
            *reviews_of.entry(&*r.student_id).or_default() += 1;
        }
        for (index, review) in ds.reviews.indexed() {
            let Some(student) = ds.students.get(&*review.student_id) else {
                continue;
            };
            let family = relatives
                .get(&*review.student_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let resume = resume_of(ds, &review.student_id);
            let mut rows = vec![review.at.clone(), student.at.clone()];
            rows.extend(resume.iter().map(|r| r.at.clone()));
            rows.extend(family.iter().map(|r| r.at.clone()));
            // A second review of the same student gets its date in the name, so neither
            // file name depends on the other's position in the input.
            let name = if reviews_of.get(&*review.student_id) > Some(&1) {
                format!("{}_{}", self.label(), iso_date(review.date))
            } else {
                self.label().to_string()
            };
            drafts(Draft {
                student,
                rows,
                key: Key::record(index),
                printed: {
                    let mut printed = printed_fields(student, review, family);
                    push_resume(&mut printed, &resume);
                    printed
                },
                long: long_present([
                    ("本人政治表现", &review.performance),
                    ("审查内容", &review.content),
                ]),
                name,
                year: Some(review.date.year()),
                formed: Some(review.date.into()),
            });
        }
        Selection::default()
    }

    /// The key is the review's index in [`Dataset::reviews`].
    fn context(&self, ds: &Dataset, _: &Run<'_>, _: &str, key: Key) -> Option<Value> {
        let Key::Record(review) = key else {
            return None;
        };
        context(ds, review as usize)
    }
}

/// The review methods printed as tick boxes (FORMS.md §3B), each with the words that tick it
/// when found in an item of the 审查方式 text.
const METHODS: &[(&str, &[&str])] = &[
    ("同本人谈话", &["谈话", "谈心"]),
    ("查阅档案", &["档案"]),
    ("函调", &["函调"]),
    ("外调", &["外调"]),
];

/// What the political-review template receives.
#[derive(Debug, Serialize)]
struct PoliticalReviewContext<'a> {
    /// The form's title: 发展对象政治审查表.
    title: &'static str,
    /// The student reviewed.
    student: StudentContext<'a>,
    /// 出生年月 as printed: 2003年5月.
    birth_month: String,
    /// 籍贯.
    native_place: &'a str,
    /// 文化程度.
    education: &'a str,
    /// 政治面貌: the review's, else the roster's (empty: to fill by hand).
    political_status: &'a str,
    /// 身份证号.
    id_card: &'a str,
    /// 工作（学习）单位及职务: 学院, 专业, 班级 and 职务, e.g. `文学院汉语言文学专业
    /// 2023级汉语言文学1班学生，班长`.
    work_unit: String,
    /// 所在党支部 as printed (college name before the branch, never doubled).
    branch_full: String,
    /// 申请入党时间 as printed, empty when unknown.
    applied: String,
    /// 确定为入党积极分子时间 as printed, empty when unknown.
    activist_since: String,
    /// 确定为发展对象时间 as printed, empty when unknown.
    candidate_since: String,
    /// 本人简历 from the 简历 sheet, in input order (blank rows to fill by hand follow).
    resume: Vec<ResumeLine<'a>>,
    /// 奖惩情况 in paragraphs (empty: a blank box to fill by hand).
    rewards: Vec<String>,
    /// The review.
    review: ReviewContext<'a>,
    /// The family members and social relations, in input order (may be empty: the template
    /// then leaves blank rows to fill by hand).
    relatives: Vec<RelativeContext<'a>>,
}

/// The review fields the form prints.
#[derive(Debug, Serialize)]
struct ReviewContext<'a> {
    /// 审查日期 as printed.
    date: String,
    /// 审查方式 as given.
    method: &'a str,
    /// The standard methods as tick boxes, in the form's order.
    methods: Vec<MethodTick>,
    /// The items of 审查方式 that are none of the standard methods (e.g. 走访调查), joined
    /// with 、; printed after a ticked 其他.
    other_methods: String,
    /// 本人政治表现 in paragraphs.
    performance: Vec<String>,
    /// 审查内容 in paragraphs.
    content: Vec<String>,
    /// 审查结论 in paragraphs, split into the part that may flow across pages and the last
    /// lines kept on one page with the ticks, the signature line and the opinion boxes.
    conclusion: SplitText,
    /// 政审结论: `合格`, `不合格`, or empty (both boxes left unticked).
    result: &'static str,
    /// 审查人 (typed; the form still has a blank line for the signature).
    reviewer: &'a str,
}

/// One tick box of 审查方式.
#[derive(Debug, Serialize, PartialEq)]
struct MethodTick {
    /// The method, e.g. 查阅档案.
    label: &'static str,
    /// Whether the 审查方式 text mentions it.
    ticked: bool,
}

/// One row of the family table (FORMS.md §3A).
#[derive(Debug, Serialize)]
struct RelativeContext<'a> {
    /// 称谓.
    relation: &'a str,
    /// 姓名 (成员姓名).
    name: &'a str,
    /// 出生年月 as printed: 1975年3月.
    birth: String,
    /// 政治面貌.
    political_status: &'a str,
    /// 工作单位及职务.
    work: &'a str,
}

/// The family members and social relations of a student, in input order.
fn family_of<'a>(ds: &'a Dataset, student_id: &str) -> Vec<&'a Relative> {
    ds.records_of(student_id)
        .relatives
        .iter()
        .map(|&i| &ds.relatives[i])
        .collect()
}

/// A 审查结论 of at most this many characters stays in one piece with what follows it.
const WHOLE_CONCLUSION: usize = 300;
/// The most characters of the conclusion's last lines held with the ticks, the signature
/// line and the opinion boxes (about 3 lines of the box).
const TAIL_CHARS: usize = 110;

/// The tick boxes of 审查方式 and the items that match none of them. Items are separated by
/// 、，,；; / or spaces.
fn methods(text: &str) -> (Vec<MethodTick>, String) {
    let items: Vec<&str> = text
        .split(|c: char| "、，,；;/／".contains(c) || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let matches = |item: &str, words: &[&str]| words.iter().any(|w| item.contains(w));
    let ticks = METHODS
        .iter()
        .map(|(label, words)| MethodTick {
            label,
            ticked: items.iter().any(|item| matches(item, words)),
        })
        .collect();
    let other: Vec<&str> = items
        .into_iter()
        .filter(|item| !METHODS.iter().any(|(_, words)| matches(item, words)))
        .collect();
    (ticks, other.join("、"))
}

/// 工作（学习）单位 of a student: `学院` `专业` `班级` `学生`, each part marked as what it is
/// when the ledger leaves that out (`数据科学与大数据技术` + `数据2201` →
/// `…数据科学与大数据技术专业数据2201班学生`, never the two run together).
fn work_unit(college: &str, major: Option<&str>, class: Option<&str>) -> String {
    let mut out = college.to_string();
    if let Some(major) = major {
        out.push_str(major);
        if !major.ends_with("专业") {
            out.push_str("专业");
        }
    }
    if let Some(class) = class {
        out.push_str(class);
        if !class.ends_with('班') {
            out.push('班');
        }
    }
    out.push_str("学生");
    out
}

/// Builds the context of the political review at `index` in [`Dataset::reviews`]; `None`
/// when the review or its student is not in the dataset.
fn context(ds: &Dataset, index: usize) -> Option<Value> {
    let review = ds.reviews.get(index)?;
    let student = ds.students.get(&*review.student_id)?;
    let family = family_of(ds, &student.id);
    let method = review.method.as_deref().unwrap_or("");
    let (ticks, other_methods) = methods(method);
    let mut work_unit = work_unit(
        &student.college,
        student.major.as_deref(),
        student.class.as_deref(),
    );
    if let Some(post) = &student.post {
        work_unit.push('，');
        work_unit.push_str(post);
    }
    let ctx = PoliticalReviewContext {
        title: PoliticalReview.label(),
        student: StudentContext::of(student),
        birth_month: student.birth.map(month_cn).unwrap_or_default(),
        native_place: student.native_place.as_deref().unwrap_or(""),
        education: student.education.as_deref().unwrap_or(""),
        political_status: review
            .political_status
            .or(student.political_status)
            .unwrap_or(""),
        id_card: student
            .id_card
            .as_ref()
            .map(|c| c.number.as_str())
            .unwrap_or(""),
        work_unit,
        branch_full: branch_full(student),
        applied: student.applied.map(date_cn).unwrap_or_default(),
        activist_since: student.activist_since.map(date_cn).unwrap_or_default(),
        candidate_since: student.candidate_since.map(date_cn).unwrap_or_default(),
        rewards: paragraphs(student.rewards.as_deref().unwrap_or("")),
        review: ReviewContext {
            date: date_cn(review.date),
            method,
            methods: ticks,
            other_methods,
            performance: paragraphs(&long_text(&review.performance)?),
            content: paragraphs(&long_text(&review.content)?),
            conclusion: split_tail(
                &paragraphs(&review.conclusion),
                WHOLE_CONCLUSION,
                TAIL_CHARS,
            ),
            result: match review.passed {
                Some(true) => "合格",
                Some(false) => "不合格",
                None => "",
            },
            reviewer: review.reviewer.as_deref().unwrap_or(""),
        },
        resume: resume_lines(&resume_of(ds, &review.student_id)),
        relatives: family
            .iter()
            .map(|r| RelativeContext {
                relation: &r.relation,
                name: &r.member,
                birth: r.birth.map(month_cn).unwrap_or_default(),
                political_status: r.political_status.as_deref().unwrap_or(""),
                work: r.work.as_deref().unwrap_or(""),
            })
            .collect(),
    };
    Some(Value::from(minijinja::value::Serde(&ctx)))
}

/// The data fields a political review prints.
fn printed_fields<'a>(
    student: &'a Student,
    review: &'a Review,
    family: &[&'a Relative],
) -> PrintedFields<'a> {
    let mut printed: PrintedFields = printed([
        ("姓名", &student.name),
        ("学号", &student.id),
        ("学院", &student.college),
        ("党支部", &student.branch),
        ("审查结论", &review.conclusion),
    ]);
    push_present(
        &mut printed,
        [
            ("专业", &student.major),
            ("班级", &student.class),
            ("审查方式", &review.method),
            ("审查人", &review.reviewer),
            ("籍贯", &student.native_place),
            ("文化程度", &student.education),
            ("奖惩情况", &student.rewards),
            ("职务", &student.post),
        ],
    );
    for r in family {
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
    printed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_and_class_are_never_run_together() {
        assert_eq!(
            work_unit("计算机学院", Some("数据科学与大数据技术"), Some("数据2201")),
            "计算机学院数据科学与大数据技术专业数据2201班学生"
        );
        assert_eq!(
            work_unit(
                "文学院",
                Some("汉语言文学专业"),
                Some("2023级汉语言文学1班")
            ),
            "文学院汉语言文学专业2023级汉语言文学1班学生"
        );
        assert_eq!(work_unit("文学院", None, None), "文学院学生");
    }

    fn ticked(text: &str) -> (Vec<&'static str>, String) {
        let (ticks, other) = methods(text);
        (
            ticks
                .into_iter()
                .filter(|t| t.ticked)
                .map(|t| t.label)
                .collect(),
            other,
        )
    }

    #[test]
    fn review_methods_tick_their_boxes() {
        assert_eq!(
            ticked("本人谈话、查阅档案、函调"),
            (vec!["同本人谈话", "查阅档案", "函调"], String::new())
        );
        assert_eq!(
            ticked("本人谈话、查阅档案、走访调查"),
            (vec!["同本人谈话", "查阅档案"], "走访调查".to_string())
        );
        assert_eq!(ticked("外调；函调"), (vec!["函调", "外调"], String::new()));
        assert_eq!(ticked(""), (vec![], String::new()));
    }
}
