//! A student of the roster (花名册), validated, with the checks SPEC.md asks of one row.

use crate::model::fields::FieldReader;
use crate::model::value::{self, IdCard, PartialDate, Sex, Stage};
use crate::problem::{Problem, RowRef};
use crate::read::Row;

/// One student as read from the roster.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Student {
    /// Where the roster row is.
    pub at: RowRef,
    /// 学号: the key linking every sheet to the roster.
    pub id: String,
    /// 姓名, normalised.
    pub name: String,
    /// 性别.
    pub sex: Sex,
    /// 民族, e.g. 汉族.
    #[serde(with = "crate::model::static_text::ethnicity")]
    pub ethnicity: Option<crate::model::value::TableText>,
    /// 出生日期 (month precision allowed).
    pub birth: Option<PartialDate>,
    /// 身份证号, checked.
    pub id_card: Option<IdCard>,
    /// 籍贯.
    pub native_place: Option<String>,
    /// 学院.
    pub college: String,
    /// 专业.
    pub major: Option<String>,
    /// 班级.
    pub class: Option<String>,
    /// 党支部.
    pub branch: String,
    /// 发展阶段, given, or named in the 政治面貌 column, or derived from the latest date.
    pub stage: Option<Stage>,
    /// 政治面貌, when the column names one of the 13 standard values (共青团员, 群众 …).
    #[serde(with = "crate::model::static_text::political_status")]
    pub political_status: Option<crate::model::value::TableText>,
    /// 文化程度, e.g. 大学本科在读.
    pub education: Option<String>,
    /// 奖惩情况.
    pub rewards: Option<String>,
    /// 推荐方式 (推荐为入党积极分子的方式), e.g. 团组织推优.
    pub recommended_by: Option<String>,
    /// 团组织推优意见.
    pub league_opinion: Option<String>,
    /// 党小组意见.
    pub group_opinion: Option<String>,
    /// 申请入党日期.
    pub applied: Option<PartialDate>,
    /// 确定积极分子日期.
    pub activist_since: Option<PartialDate>,
    /// 培养联系人 (one or two names).
    pub contacts: Vec<String>,
    /// 确定发展对象日期.
    pub candidate_since: Option<PartialDate>,
    /// 接收预备党员日期.
    pub probationary_since: Option<PartialDate>,
    /// 转正日期.
    pub full_member_since: Option<PartialDate>,
    /// 职务.
    pub post: Option<String>,
    /// 联系电话.
    pub phone: Option<String>,
    /// 备注.
    pub note: Option<String>,
}

impl Student {
    /// Reads one roster row. Returns the student (when the row has no error) and every
    /// problem found, errors and warnings.
    pub fn from_row(row: &Row) -> (Option<Student>, Vec<Problem>) {
        let mut f = FieldReader::new(row);
        let id = f.required("学号", value::parse_student_id);
        let name = f.required("姓名", value::parse_name);
        let name = f.visible("姓名", name);
        let sex = f.required("性别", value::parse_sex);
        let ethnicity = f.optional("民族", value::parse_ethnicity);
        let birth = f.required("出生日期", value::parse_date);
        let id_card = f.optional("身份证号", value::parse_id_card);
        let native_place = f.optional("籍贯", value::parse_text);
        let college = f.required("学院", value::parse_text);
        let college = f.visible("学院", college);
        let major = f.optional("专业", value::parse_text);
        let class = f.optional("班级", value::parse_text);
        let class = f.visible("班级", class);
        let branch = f.required("党支部", value::parse_text);
        let branch = f.visible("党支部", branch);
        let stage = f.optional("发展阶段", value::parse_stage);
        let status = f.optional("政治面貌", value::parse_political_status);
        let education = f.optional("文化程度", value::parse_education);
        let rewards = f.optional("奖惩情况", value::parse_text);
        let recommended_by = f.optional("推荐方式", value::parse_text);
        let league_opinion = f.optional("团组织推优意见", value::parse_text);
        let group_opinion = f.optional("党小组意见", value::parse_text);
        let applied = f.optional("申请入党日期", value::parse_date);
        let activist_since = f.optional("确定积极分子日期", value::parse_date);
        let contacts = f
            .optional("培养联系人", value::parse_contacts)
            .unwrap_or_default();
        let candidate_since = f.optional("确定发展对象日期", value::parse_date);
        let probationary_since = f.optional("接收预备党员日期", value::parse_date);
        let full_member_since = f.optional("转正日期", value::parse_date);
        let post = f.optional("职务", value::parse_text);
        let phone = f.optional("联系电话", value::parse_text);
        let note = f.optional("备注", value::parse_text);

        let derived_stage = derive_stage(
            applied,
            activist_since,
            candidate_since,
            probationary_since,
            full_member_since,
        );
        let student = match (id, name, sex, birth, college, branch) {
            (Some(id), Some(name), Some(sex), Some(birth), Some(college), Some(branch))
                if !f.has_errors() =>
            {
                Some(Student {
                    at: row.at.clone(),
                    id,
                    name,
                    sex,
                    ethnicity,
                    birth: Some(birth),
                    id_card,
                    native_place,
                    college,
                    major,
                    class,
                    branch,
                    stage: stage.or(status.and_then(|s| s.stage)).or(derived_stage),
                    political_status: status.and_then(|s| s.status),
                    education,
                    rewards,
                    recommended_by,
                    league_opinion,
                    group_opinion,
                    applied,
                    activist_since,
                    contacts,
                    candidate_since,
                    probationary_since,
                    full_member_since,
                    post,
                    phone,
                    note,
                })
            }
            _ => None,
        };
        if let Some(s) = &student {
            check_consistency(s, &mut f);
        }
        (student, f.problems)
    }

    /// 所在党支部 as printed and named in messages: `文学院学生第1党支部` — the college's name
    /// before the branch unless the branch already names it (学生第一党支部 alone is ambiguous
    /// across colleges; `文学院学生第1党支部` must not become `文学院文学院…`).
    pub fn branch_full(&self) -> String {
        let squeezed = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
        if squeezed(&self.branch).contains(&squeezed(&self.college)) {
            self.branch.clone()
        } else {
            format!("{}{}", self.college, self.branch)
        }
    }

    /// The 学院, 班级, 学号 order used for numbering and printing (borrowed: sorting a
    /// province's students compares keys a million times).
    pub fn sort_key(&self) -> (&str, &str, &str) {
        (
            &self.college,
            self.class.as_deref().unwrap_or_default(),
            &self.id,
        )
    }
}

/// The stage implied by the latest date filled in, when the 发展阶段 column is absent or empty.
fn derive_stage(
    applied: Option<PartialDate>,
    activist: Option<PartialDate>,
    candidate: Option<PartialDate>,
    probationary: Option<PartialDate>,
    full: Option<PartialDate>,
) -> Option<Stage> {
    if full.is_some() {
        Some(Stage::Full)
    } else if probationary.is_some() {
        Some(Stage::Probationary)
    } else if candidate.is_some() {
        Some(Stage::Candidate)
    } else if activist.is_some() {
        Some(Stage::Activist)
    } else if applied.is_some() {
        Some(Stage::Applicant)
    } else {
        None
    }
}

/// Cross-checks of one student's fields (warnings: the documents are still made). The
/// procedure rules over the dates are checked with the configured thresholds in
/// [`super::checks`], from [`super::procedure::student_dates`].
fn check_consistency(s: &Student, f: &mut FieldReader<'_>) {
    if let (Some(card), Some(birth)) = (&s.id_card, s.birth) {
        let inside = PartialDate::from_date(card.birth);
        let agrees = if birth.is_month_only() {
            (inside.year(), inside.month()) == (birth.year(), birth.month())
        } else {
            inside == birth
        };
        if !agrees {
            f.warn(
                "身份证号",
                format!(
                    "身份证号中的出生日期 {} 与「出生日期」{} 不一致，请核对",
                    inside, birth
                ),
            );
        }
        let sex_in_card = if card.male { Sex::Male } else { Sex::Female };
        if sex_in_card != s.sex {
            f.warn(
                "身份证号",
                format!(
                    "身份证号第17位表示性别为{}，与「性别」{} 不一致，请核对",
                    sex_in_card.label(),
                    s.sex.label()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: Option<u32>) -> PartialDate {
        PartialDate::new(y, m, day).unwrap()
    }

    #[test]
    fn stage_is_derived_from_the_latest_date() {
        let x = Some(d(2024, 1, None));
        assert_eq!(derive_stage(x, x, None, None, None), Some(Stage::Activist));
        assert_eq!(derive_stage(x, x, x, x, None), Some(Stage::Probationary));
        assert_eq!(derive_stage(None, None, None, None, None), None);
    }
}
