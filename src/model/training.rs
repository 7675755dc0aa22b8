//! A party-school course result (党校培训): one student, one course, its hours and score.

use crate::model::fields::FieldReader;
use crate::model::value::{self, PartialDate, Score};
use crate::problem::{Problem, RowRef};
use crate::read::Row;
use std::sync::Arc;

/// One row of the training sheet, validated.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Training {
    /// Where the row is.
    pub at: RowRef,
    /// 学号.
    pub student_id: Arc<str>,
    /// 姓名 as written in this sheet (checked against the roster).
    pub name: Arc<str>,
    /// 培训班, e.g. 第12期入党积极分子培训班.
    pub course: String,
    /// 培训类别: 入党积极分子 / 发展对象 / 预备党员 / 党员.
    pub course_type: Option<String>,
    /// 开始日期.
    pub start: PartialDate,
    /// 结束日期.
    pub end: PartialDate,
    /// 学时.
    pub hours: f64,
    /// 成绩: points or a grade.
    pub score: Score,
    /// 证书编号 given in the sheet, if any.
    pub certificate_no: Option<String>,
}

/// The course types SPEC.md knows; another value is kept but warned about.
const COURSE_TYPES: [&str; 4] = ["入党积极分子", "发展对象", "预备党员", "党员"];

impl Training {
    /// Reads one training row: the record (when the row has no error) and every problem found.
    pub fn from_row(row: &Row) -> (Option<Training>, Vec<Problem>) {
        let mut f = FieldReader::new(row);
        let student_id = f.required("学号", value::parse_student_id);
        let name = f.required("姓名", value::parse_name);
        let name = f.visible("姓名", name);
        let course = f.required("培训班", value::parse_text);
        let course_type = f.optional("培训类别", value::parse_text);
        let start = f.required("开始日期", value::parse_date);
        let end = f.required("结束日期", value::parse_date);
        let hours = f.required("学时", value::parse_hours);
        let score = f.required("成绩", value::parse_score);
        let certificate_no = f.optional("证书编号", value::parse_text);

        let course_type = course_type.map(|t| t.trim_end_matches("培训班").to_string());
        if let Some(t) = &course_type
            && !COURSE_TYPES.contains(&t.as_str())
        {
            f.warn(
                "培训类别",
                "培训类别应为 入党积极分子、发展对象、预备党员 或 党员；按未设学时下限处理",
            );
        }
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            f.error("结束日期", format!("结束日期早于开始日期 {start}"));
        }
        let record = match (student_id, name, course, start, end, hours, score) {
            (
                Some(student_id),
                Some(name),
                Some(course),
                Some(start),
                Some(end),
                Some(hours),
                Some(score),
            ) if !f.has_errors() => Some(Training {
                at: row.at.clone(),
                student_id: Arc::from(student_id),
                name: Arc::from(name),
                course_type: course_type.or_else(|| infer_course_type(&course)),
                course,
                start,
                end,
                hours,
                score,
                certificate_no,
            }),
            _ => None,
        };
        (record, f.problems)
    }
}

/// The course type named in a course title such as 第5期发展对象培训班, when the 培训类别
/// column is empty.
fn infer_course_type(course: &str) -> Option<String> {
    ["入党积极分子", "发展对象", "预备党员"]
        .into_iter()
        .find(|t| course.contains(t))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_type_is_inferred_from_the_title() {
        assert_eq!(
            infer_course_type("第5期发展对象培训班").as_deref(),
            Some("发展对象")
        );
        assert_eq!(
            infer_course_type("第12期入党积极分子培训班").as_deref(),
            Some("入党积极分子")
        );
        assert_eq!(infer_course_type("党史专题班"), None);
    }
}
