//! The rows of the sheets linked to the roster by 学号: talks (谈话), political reviews
//! (政治审查), family members (家庭成员) and democratic appraisals (民主评议), validated.

use crate::model::fields::FieldReader;
use crate::model::intern::Interner;
use crate::model::text::{LongText, TextSpool, spool_all};
use crate::model::training::Training;
use crate::model::value::{self, AppraisalGrade, PartialDate, YesNoCount};
use crate::problem::{Problem, RowRef};
use crate::read::Row;
use std::sync::Arc;

/// A record read from one row of a sheet that is linked to the roster.
pub trait SheetRecord: Sized {
    /// Reads one row: the record (when the row has no error) and every problem found.
    fn from_row(row: &Row) -> (Option<Self>, Vec<Problem>);
    /// 学号 of the student the row is about.
    fn student_id(&self) -> &str;
    /// 姓名 as written in the row (checked against the roster).
    fn name(&self) -> &str;
    /// Replaces the record's texts that repeat across rows (学号, 姓名, and such as 谈话人,
    /// 谈话方式, 称谓, 单位) by their shared copies.
    fn share_texts(&mut self, interner: &mut Interner);
    /// Moves the record's long free texts to `spool` (see [`LongText`]); most records have
    /// none.
    fn spool_texts(&mut self, _spool: &Arc<TextSpool>) {}
}

impl SheetRecord for Training {
    fn from_row(row: &Row) -> (Option<Self>, Vec<Problem>) {
        Training::from_row(row)
    }
    fn student_id(&self) -> &str {
        &self.student_id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn share_texts(&mut self, interner: &mut Interner) {
        interner.share(&mut self.student_id);
        interner.share(&mut self.name);
    }
}

/// Reads 学号 and 姓名, the two columns every linked sheet has.
fn identity(f: &mut FieldReader<'_>) -> (Option<Arc<str>>, Option<Arc<str>>) {
    let student_id = f.required("学号", value::parse_student_id);
    let name = f.required("姓名", value::parse_name);
    (
        student_id.map(Arc::from),
        f.visible("姓名", name).map(Arc::from),
    )
}

/// One talk (谈心谈话).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Talk {
    /// Where the row is.
    pub at: RowRef,
    /// 学号.
    pub student_id: Arc<str>,
    /// 姓名 (谈话对象).
    pub name: Arc<str>,
    /// 谈话日期.
    pub date: PartialDate,
    /// 谈话地点.
    pub place: Option<Arc<str>>,
    /// 谈话人.
    pub talker: Arc<str>,
    /// 谈话人职务.
    pub talker_post: Option<Arc<str>>,
    /// 谈话类型, e.g. 入党申请人谈话.
    pub kind: Option<Arc<str>>,
    /// 谈话内容 (line breaks kept; on disk once long, see [`LongText`]).
    pub content: Option<LongText>,
    /// 记录人.
    pub recorder: Option<Arc<str>>,
    /// 谈话人意见 (the talker's assessment; line breaks kept).
    pub opinion: Option<LongText>,
    /// 谈话方式, e.g. 当面, 电话.
    pub mode: Option<Arc<str>>,
    /// 谈话主题 (of a 谈心谈话).
    pub topic: Option<Arc<str>>,
    /// 备注.
    pub note: Option<String>,
}

impl SheetRecord for Talk {
    fn from_row(row: &Row) -> (Option<Self>, Vec<Problem>) {
        let mut f = FieldReader::new(row);
        let (student_id, name) = identity(&mut f);
        let date = f.required("谈话日期", value::parse_date);
        let place = f.optional("谈话地点", value::parse_text);
        let talker = f.required("谈话人", value::parse_name);
        let talker_post = f.optional("谈话人职务", value::parse_text);
        let kind = f.optional("谈话类型", value::parse_text);
        let content = f
            .optional("谈话内容", value::parse_text)
            .map(LongText::held);
        let recorder = f.optional("记录人", value::parse_name);
        let opinion = f
            .optional("谈话人意见", value::parse_text)
            .map(LongText::held);
        let mode = f.optional("谈话方式", value::parse_text);
        let topic = f.optional("谈话主题", value::parse_text);
        let note = f.optional("备注", value::parse_text);
        let record = match (student_id, name, date, talker) {
            (Some(student_id), Some(name), Some(date), Some(talker)) if !f.has_errors() => {
                Some(Talk {
                    at: row.at.clone(),
                    student_id,
                    name,
                    date,
                    place: place.map(Arc::from),
                    talker: Arc::from(talker),
                    talker_post: talker_post.map(Arc::from),
                    kind: kind.map(Arc::from),
                    content,
                    recorder: recorder.map(Arc::from),
                    opinion,
                    mode: mode.map(Arc::from),
                    topic: topic.map(Arc::from),
                    note,
                })
            }
            _ => None,
        };
        (record, f.problems)
    }
    fn student_id(&self) -> &str {
        &self.student_id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn share_texts(&mut self, interner: &mut Interner) {
        interner.share(&mut self.student_id);
        interner.share(&mut self.name);
        interner.share_opt(&mut self.place);
        interner.share(&mut self.talker);
        interner.share_opt(&mut self.talker_post);
        interner.share_opt(&mut self.kind);
        interner.share_opt(&mut self.recorder);
        interner.share_opt(&mut self.mode);
        interner.share_opt(&mut self.topic);
    }
    fn spool_texts(&mut self, spool: &Arc<TextSpool>) {
        spool_all([&mut self.content, &mut self.opinion], spool);
    }
}

/// One political review (政治审查).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Review {
    /// Where the row is.
    pub at: RowRef,
    /// 学号.
    pub student_id: Arc<str>,
    /// 姓名.
    pub name: Arc<str>,
    /// 审查日期.
    pub date: PartialDate,
    /// 审查方式, e.g. 本人谈话、查阅档案、函调.
    pub method: Option<Arc<str>>,
    /// 本人政治表现.
    pub performance: Option<LongText>,
    /// 审查结论.
    pub conclusion: Arc<str>,
    /// 审查人.
    pub reviewer: Option<Arc<str>>,
    /// 政治面貌 at the review (the roster's when absent).
    #[serde(with = "crate::model::static_text::political_status")]
    pub political_status: Option<crate::model::value::TableText>,
    /// 审查内容 (what was looked into and found).
    pub content: Option<LongText>,
    /// 政审结论: 合格 (true) or 不合格 (false); ticks its box on the form.
    pub passed: Option<bool>,
}

impl SheetRecord for Review {
    fn from_row(row: &Row) -> (Option<Self>, Vec<Problem>) {
        let mut f = FieldReader::new(row);
        let (student_id, name) = identity(&mut f);
        let date = f.required("审查日期", value::parse_date);
        let method = f.optional("审查方式", value::parse_text);
        let performance = f
            .optional("本人政治表现", value::parse_text)
            .map(LongText::held);
        let conclusion = f.required("审查结论", value::parse_text);
        let reviewer = f.optional("审查人", value::parse_text);
        let political_status = f
            .optional("政治面貌", value::parse_political_status)
            .and_then(|s| s.status);
        let content = f
            .optional("审查内容", value::parse_text)
            .map(LongText::held);
        let passed = f.optional("政审结论", value::parse_pass);
        let record = match (student_id, name, date, conclusion) {
            (Some(student_id), Some(name), Some(date), Some(conclusion)) if !f.has_errors() => {
                Some(Review {
                    at: row.at.clone(),
                    student_id,
                    name,
                    date,
                    method: method.map(Arc::from),
                    performance,
                    conclusion: Arc::from(conclusion),
                    reviewer: reviewer.map(Arc::from),
                    political_status,
                    content,
                    passed,
                })
            }
            _ => None,
        };
        (record, f.problems)
    }
    fn student_id(&self) -> &str {
        &self.student_id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn share_texts(&mut self, interner: &mut Interner) {
        interner.share(&mut self.student_id);
        interner.share(&mut self.name);
        interner.share_opt(&mut self.method);
        interner.share(&mut self.conclusion);
        interner.share_opt(&mut self.reviewer);
    }
    fn spool_texts(&mut self, spool: &Arc<TextSpool>) {
        spool_all([&mut self.performance, &mut self.content], spool);
    }
}

/// One period of a student's 简历: where the student studied or worked, and who can vouch.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ResumeEntry {
    /// Where the row is.
    pub at: RowRef,
    /// 学号 of the student.
    pub student_id: Arc<str>,
    /// 姓名 of the student.
    pub name: Arc<str>,
    /// 起止年月 as written, e.g. 2018.09—2021.06.
    pub period: Arc<str>,
    /// 在何地何单位学习或工作.
    pub unit: Arc<str>,
    /// 职务 held there.
    pub post: Option<Arc<str>>,
    /// 证明人.
    pub witness: Option<Arc<str>>,
}

impl SheetRecord for ResumeEntry {
    fn from_row(row: &Row) -> (Option<Self>, Vec<Problem>) {
        let mut f = FieldReader::new(row);
        let (student_id, name) = identity(&mut f);
        let period = f.required("起止年月", value::parse_text);
        let unit = f.required("单位", value::parse_text);
        let post = f.optional("职务", value::parse_text);
        let witness = f.optional("证明人", value::parse_name);
        let record = match (student_id, name, period, unit) {
            (Some(student_id), Some(name), Some(period), Some(unit)) if !f.has_errors() => {
                Some(ResumeEntry {
                    at: row.at.clone(),
                    student_id,
                    name,
                    period: Arc::from(period),
                    unit: Arc::from(unit),
                    post: post.map(Arc::from),
                    witness: witness.map(Arc::from),
                })
            }
            _ => None,
        };
        (record, f.problems)
    }
    fn student_id(&self) -> &str {
        &self.student_id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn share_texts(&mut self, interner: &mut Interner) {
        interner.share(&mut self.student_id);
        interner.share(&mut self.name);
        interner.share(&mut self.period);
        interner.share(&mut self.unit);
        interner.share_opt(&mut self.post);
        interner.share_opt(&mut self.witness);
    }
}

/// One family member or social relation (家庭成员).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Relative {
    /// Where the row is.
    pub at: RowRef,
    /// 学号 of the student.
    pub student_id: Arc<str>,
    /// 姓名 of the student.
    pub name: Arc<str>,
    /// 称谓, e.g. 父亲.
    pub relation: Arc<str>,
    /// 成员姓名.
    pub member: String,
    /// 出生年月.
    pub birth: Option<PartialDate>,
    /// 政治面貌.
    pub political_status: Option<Arc<str>>,
    /// 工作单位及职务.
    pub work: Option<Arc<str>>,
}

impl SheetRecord for Relative {
    fn from_row(row: &Row) -> (Option<Self>, Vec<Problem>) {
        let mut f = FieldReader::new(row);
        let (student_id, name) = identity(&mut f);
        let relation = f.required("称谓", value::parse_text);
        let member = f.required("成员姓名", value::parse_name);
        let member = f.visible("成员姓名", member);
        let birth = f.optional("出生年月", value::parse_date);
        let political_status = f.optional("政治面貌", value::parse_text);
        let work = f.optional("工作单位及职务", value::parse_text);
        let record = match (student_id, name, relation, member) {
            (Some(student_id), Some(name), Some(relation), Some(member)) if !f.has_errors() => {
                Some(Relative {
                    at: row.at.clone(),
                    student_id,
                    name,
                    relation: Arc::from(relation),
                    member,
                    birth,
                    political_status: political_status.map(Arc::from),
                    work: work.map(Arc::from),
                })
            }
            _ => None,
        };
        (record, f.problems)
    }
    fn student_id(&self) -> &str {
        &self.student_id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn share_texts(&mut self, interner: &mut Interner) {
        interner.share(&mut self.student_id);
        interner.share(&mut self.name);
        interner.share(&mut self.relation);
        interner.share_opt(&mut self.political_status);
        interner.share_opt(&mut self.work);
    }
}

/// The 七个一 items of the yearly record, in the seed's order.
pub const SEVEN_ITEMS: [&str; 7] = [
    "民主生活会",
    "思想汇报",
    "党建报告",
    "教育影片",
    "学习交流",
    "参观教育基地",
    "社会实践",
];

/// One democratic appraisal (民主评议) of one member for one year.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Appraisal {
    /// Where the row is.
    pub at: RowRef,
    /// 学号.
    pub student_id: Arc<str>,
    /// 姓名.
    pub name: Arc<str>,
    /// 年度.
    pub year: i32,
    /// 自评等次.
    pub self_grade: Option<AppraisalGrade>,
    /// 优秀票, 合格票, 基本合格票, 不合格票 (each may be missing).
    pub votes: [Option<u32>; 4],
    /// 评定等次.
    pub grade: AppraisalGrade,
    /// 学习学时 from the column, if given.
    pub study_hours: Option<f64>,
    /// The 七个一 items, in [`SEVEN_ITEMS`] order.
    pub seven: [Option<YesNoCount>; 7],
    /// The 七个一 items per semester (上学期, 下学期), in [`SEVEN_ITEMS`] order, where the
    /// ledger has them.
    pub seven_terms: [[Option<YesNoCount>; 2]; 7],
    /// 评语 (the branch's).
    pub comment: Option<LongText>,
    /// 个人总结（自我评价）.
    pub summary: Option<LongText>,
    /// 党员互评意见.
    pub peer_opinion: Option<LongText>,
    /// 群众评议意见.
    pub public_opinion: Option<LongText>,
    /// 应参评人数.
    pub eligible: Option<u32>,
    /// 实参评人数.
    pub present: Option<u32>,
    /// 备注.
    pub note: Option<String>,
}

/// The 七个一 columns of one semester, in [`SEVEN_ITEMS`] order.
pub const SEVEN_TERM_COLUMNS: [[&str; 7]; 2] = [
    [
        "民主生活会上学期",
        "思想汇报上学期",
        "党建报告上学期",
        "教育影片上学期",
        "学习交流上学期",
        "参观教育基地上学期",
        "社会实践上学期",
    ],
    [
        "民主生活会下学期",
        "思想汇报下学期",
        "党建报告下学期",
        "教育影片下学期",
        "学习交流下学期",
        "参观教育基地下学期",
        "社会实践下学期",
    ],
];

/// The vote columns, in [`Appraisal::votes`] order.
pub const VOTE_COLUMNS: [&str; 4] = ["优秀票", "合格票", "基本合格票", "不合格票"];

impl Appraisal {
    /// Total votes cast, when every vote column is filled.
    pub fn total_votes(&self) -> Option<u32> {
        self.votes.iter().try_fold(0u32, |sum, v| Some(sum + (*v)?))
    }
}

impl SheetRecord for Appraisal {
    fn from_row(row: &Row) -> (Option<Self>, Vec<Problem>) {
        let mut f = FieldReader::new(row);
        let (student_id, name) = identity(&mut f);
        let year = f.required("年度", value::parse_year);
        let self_grade = f.optional("自评等次", value::parse_appraisal_grade);
        let votes = VOTE_COLUMNS.map(|c| f.optional(c, value::parse_count));
        let grade = f.required("评定等次", value::parse_appraisal_grade);
        let study_hours = f.optional("学习学时", value::parse_hours);
        let seven = SEVEN_ITEMS.map(|c| f.optional(c, value::parse_yes_no_count));
        let mut seven_terms = [[None; 2]; 7];
        for (term, columns) in SEVEN_TERM_COLUMNS.iter().enumerate() {
            for (item, column) in columns.iter().enumerate() {
                seven_terms[item][term] = f.optional(column, value::parse_yes_no_count);
            }
        }
        let comment = f.optional("评语", value::parse_text).map(LongText::held);
        let summary = f
            .optional("个人总结", value::parse_text)
            .map(LongText::held);
        let peer_opinion = f
            .optional("互评意见", value::parse_text)
            .map(LongText::held);
        let public_opinion = f
            .optional("群众评议意见", value::parse_text)
            .map(LongText::held);
        let eligible = f.optional("应参评人数", value::parse_count);
        let present = f.optional("实参评人数", value::parse_count);
        let note = f.optional("备注", value::parse_text);
        let record = match (student_id, name, year, grade) {
            (Some(student_id), Some(name), Some(year), Some(grade)) if !f.has_errors() => {
                Some(Appraisal {
                    at: row.at.clone(),
                    student_id,
                    name,
                    year,
                    self_grade,
                    votes,
                    grade,
                    study_hours,
                    seven,
                    seven_terms,
                    comment,
                    summary,
                    peer_opinion,
                    public_opinion,
                    eligible,
                    present,
                    note,
                })
            }
            _ => None,
        };
        (record, f.problems)
    }
    fn student_id(&self) -> &str {
        &self.student_id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn share_texts(&mut self, interner: &mut Interner) {
        interner.share(&mut self.student_id);
        interner.share(&mut self.name);
    }
    fn spool_texts(&mut self, spool: &Arc<TextSpool>) {
        spool_all(
            [
                &mut self.comment,
                &mut self.summary,
                &mut self.peer_opinion,
                &mut self.public_opinion,
            ],
            spool,
        );
    }
}
