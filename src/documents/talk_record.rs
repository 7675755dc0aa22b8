//! 谈心谈话记录 (`talk-record`): one form per talk row, with the student's roster facts
//! (谈话对象, 学号, 所在党支部, 申请入党时间) above the talk itself. A student's talks are
//! numbered by date, so the file names (`谈心谈话记录_01_2025-03-01`) sort in the order the
//! talks took place.

use crate::documents::common::{
    PrintedFields, StudentContext, long_present, long_text, printed, push_present,
};
use crate::documents::format::{
    SplitText, branch_full, date_cn, estimated_lines, iso_date, line_count, paragraphs, split_tail,
};
use crate::documents::{Document, Draft, Key, Run, Selection, Template};
use crate::model::dataset::Dataset;
use crate::model::records::Talk;
use crate::model::student::Student;
use crate::model::value::PartialDate;
use minijinja::value::Value;
use serde::Serialize;
use std::collections::BTreeMap;

/// The 谈心谈话记录 kind.
pub struct TalkRecord;

/// The template.
const TEMPLATE: Template = Template {
    name: "talk-record.typ.j2",
    source: include_str!("../../templates/talk-record.typ.j2"),
};

impl Document for TalkRecord {
    fn id(&self) -> &'static str {
        "talk-record"
    }

    fn label(&self) -> &'static str {
        "谈心谈话记录"
    }

    fn made_from(&self) -> &'static str {
        "谈话记录的每一行"
    }

    fn typical_pages(&self) -> usize {
        1
    }

    fn template(&self) -> Template {
        TEMPLATE
    }

    /// One record per valid talk whose student is in the roster, numbered by date.
    fn select<'a>(
        &self,
        ds: &'a Dataset,
        _: &Run<'_>,
        drafts: &mut dyn FnMut(Draft<'a>),
    ) -> Selection {
        let mut by_student: BTreeMap<&str, Vec<(usize, &Talk)>> = BTreeMap::new();
        for (index, t) in ds.talks.indexed() {
            by_student
                .entry(&*t.student_id)
                .or_default()
                .push((index, t));
        }
        for (id, mut talks) in by_student {
            let Some(student) = ds.students.get(id) else {
                continue;
            };
            talks.sort_by(|(_, a), (_, b)| (a.date, &a.at).cmp(&(b.date, &b.at)));
            let count = talks.len();
            for (i, (index, talk)) in talks.into_iter().enumerate() {
                let number = i + 1;
                drafts(Draft {
                    student,
                    rows: vec![talk.at.clone(), student.at.clone()],
                    key: Key::Talk {
                        talk: u32::try_from(index).unwrap_or(u32::MAX),
                        number: u32::try_from(number).unwrap_or(u32::MAX),
                        count: u32::try_from(count).unwrap_or(u32::MAX),
                    },
                    printed: printed_fields(student, talk),
                    long: long_present([
                        ("谈话内容", &talk.content),
                        ("谈话人意见", &talk.opinion),
                    ]),
                    name: file_name(number, talk.date),
                    year: Some(talk.date.year()),
                    formed: Some(talk.date.into()),
                });
            }
        }
        Selection::default()
    }

    fn context(&self, ds: &Dataset, _: &Run<'_>, _: &str, key: Key) -> Option<Value> {
        let Key::Talk {
            talk,
            number,
            count,
        } = key
        else {
            return None;
        };
        context(ds, talk as usize, number as usize, count as usize)
    }
}

/// The talk types SPEC.md lists; a record of one of them is titled after it
/// (`入党申请人谈话记录`), any other as the generic `谈心谈话记录`.
pub const TITLED_KINDS: &[&str] = &[
    "入党申请人谈话",
    "入党积极分子谈话",
    "发展对象谈话",
    "入党前谈话",
    "预备党员谈话",
    "谈心谈话",
];

/// What the talk-record template receives.
#[derive(Debug, Serialize)]
struct TalkRecordContext<'a> {
    /// The form's title, e.g. 入党申请人谈话记录 (after the talk type) or 谈心谈话记录.
    title: String,
    /// The student talked to (谈话对象).
    student: StudentContext<'a>,
    /// 所在党支部 as printed: the college's name before the branch unless the branch already
    /// names it (学生第一党支部 alone is ambiguous across colleges).
    branch_full: String,
    /// 申请入党时间 as printed (2023年10月8日), empty when unknown.
    applied: String,
    /// This talk's number among the student's talks (1-based, by date).
    number: usize,
    /// How many talks the student has.
    count: usize,
    /// The talk.
    talk: TalkContext<'a>,
}

/// The talk fields the form prints; missing optional fields are empty strings, so the
/// template leaves their cells blank to be filled in by hand.
#[derive(Debug, Serialize)]
struct TalkContext<'a> {
    /// 谈话时间 as printed, e.g. 2025年3月1日.
    date: String,
    /// 谈话地点.
    place: &'a str,
    /// 谈话人.
    talker: &'a str,
    /// 谈话人职务.
    talker_post: &'a str,
    /// 谈话类型.
    kind: &'a str,
    /// 谈话方式 (当面, 电话 …).
    mode: &'a str,
    /// 谈话主题; the form has the row for a 谈心谈话 or when a topic is given.
    topic: &'a str,
    /// Whether the form has the 谈话主题 row.
    has_topic: bool,
    /// 记录人.
    recorder: &'a str,
    /// 谈话内容 as given (line breaks kept).
    content: &'a str,
    /// 谈话内容 cut into paragraphs, split into the part that flows across pages and the last
    /// lines kept on one page with the opinion box and the signature row.
    text: SplitText,
    /// 谈话人意见, in paragraphs (empty: a blank box to write in).
    opinion: Vec<String>,
    /// Whether 谈话人意见 is long enough to flow across pages itself (then the content's
    /// last lines are not held with it, the opinion's own last lines are).
    long_opinion: bool,
    /// 谈话人意见 split like the content (used when `long_opinion`).
    opinion_text: SplitText,
    /// 备注.
    note: &'a str,
}

/// A content of at most this many characters stays in one piece with the opinion box and the
/// signature row (the box then keeps its full height on the first page).
const WHOLE_CONTENT: usize = TAIL_CHARS;
/// A content of at most this many lines also stays in one piece when it fits on the first
/// page with the opinion (see [`WHOLE_WITH_OPINION_LINES`]): cut, its flowing part would be
/// shorter than the box's vertical label 谈话内容 (about 6 lines), whose row would then leave
/// a blank gap before the last lines.
const WHOLE_CONTENT_LINES: usize = 10;
/// The lines the opinion box is high at least (3 cm at 18.4 pt a line), counted so even when
/// the opinion is shorter.
const OPINION_BOX_LINES: usize = 4;
/// The most lines the content and the opinion (at least [`OPINION_BOX_LINES`]) may take
/// together to be held in one piece under the header grid on the first page, with the
/// signature row and 备注 (about 19 lines of room, less a margin for the estimate and for grid
/// rows that wrap).
const WHOLE_WITH_OPINION_LINES: usize = 16;
/// The most characters of the content's last lines held with the opinion box and the
/// signature row (about 4 lines of the 谈话内容 box).
const TAIL_CHARS: usize = 120;
/// An opinion of more lines than this flows across pages instead of being held in one piece.
const LONG_OPINION_LINES: usize = 10;
/// How many Chinese characters a line of the big boxes holds (about 12.6 cm at 12 pt).
const BOX_LINE: usize = 30;

/// The file name (文档名) of the `number`-th talk: `谈心谈话记录_01_2025-03-01`.
fn file_name(number: usize, date: PartialDate) -> String {
    format!("{}_{number:02}_{}", TalkRecord.label(), iso_date(date))
}

/// Builds the context of the talk record of the talk at `index` in [`Dataset::talks`], the
/// `number`-th of the student's `count` talks; `None` when the talk or its student is not in
/// the dataset.
fn context(ds: &Dataset, index: usize, number: usize, count: usize) -> Option<Value> {
    let talk = ds.talks.get(index)?;
    let student = ds.students.get(&*talk.student_id)?;
    let kind = talk.kind.as_deref().unwrap_or("");
    let title = if TITLED_KINDS.contains(&kind) {
        format!("{kind}记录")
    } else {
        TalkRecord.label().to_string()
    };
    let content = long_text(&talk.content)?;
    let content = content.as_ref();
    let opinion = long_text(&talk.opinion)?;
    let opinion = opinion.as_ref();
    let opinion_lines = estimated_lines(opinion, BOX_LINE);
    let long_opinion = opinion_lines > LONG_OPINION_LINES;
    let content_paragraphs = paragraphs(content);
    let text = if long_opinion {
        SplitText {
            head: content_paragraphs,
            ..SplitText::default()
        }
    } else {
        let content_lines = line_count(&content_paragraphs, BOX_LINE);
        let whole = if content_lines <= WHOLE_CONTENT_LINES
            && content_lines + opinion_lines.max(OPINION_BOX_LINES) <= WHOLE_WITH_OPINION_LINES
        {
            usize::MAX
        } else {
            WHOLE_CONTENT
        };
        split_tail(&content_paragraphs, whole, TAIL_CHARS)
    };
    let topic = talk.topic.as_deref().unwrap_or("");
    let ctx = TalkRecordContext {
        title,
        student: StudentContext::of(student),
        branch_full: branch_full(student),
        applied: student.applied.map(date_cn).unwrap_or_default(),
        number,
        count,
        talk: TalkContext {
            date: date_cn(talk.date),
            place: talk.place.as_deref().unwrap_or(""),
            talker: &talk.talker,
            talker_post: talk.talker_post.as_deref().unwrap_or(""),
            kind,
            mode: talk.mode.as_deref().unwrap_or(""),
            topic,
            has_topic: kind == "谈心谈话" || !topic.is_empty(),
            recorder: talk.recorder.as_deref().unwrap_or(""),
            content,
            text,
            opinion: paragraphs(opinion),
            long_opinion,
            opinion_text: if long_opinion {
                split_tail(&paragraphs(opinion), 0, TAIL_CHARS)
            } else {
                SplitText::default()
            },
            note: talk.note.as_deref().unwrap_or(""),
        },
    };
    Some(Value::from(minijinja::value::Serde(&ctx)))
}

/// The data fields a talk record prints.
fn printed_fields<'a>(student: &'a Student, talk: &'a Talk) -> PrintedFields<'a> {
    let mut printed: PrintedFields = printed([
        ("姓名", &student.name),
        ("学号", &student.id),
        ("学院", &student.college),
        ("党支部", &student.branch),
        ("谈话人", &talk.talker),
    ]);
    push_present(
        &mut printed,
        [
            ("谈话地点", &talk.place),
            ("谈话人职务", &talk.talker_post),
            ("谈话类型", &talk.kind),
            ("记录人", &talk.recorder),
            ("谈话方式", &talk.mode),
            ("谈话主题", &talk.topic),
            ("备注", &talk.note),
        ],
    );
    printed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_number_the_talks_and_carry_the_date() {
        let d = PartialDate::new(2025, 3, Some(1)).unwrap();
        assert_eq!(file_name(1, d), "谈心谈话记录_01_2025-03-01");
        let m = PartialDate::new(2025, 11, None).unwrap();
        assert_eq!(file_name(12, m), "谈心谈话记录_12_2025-11");
    }
}
