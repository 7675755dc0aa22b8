//! The sheet kinds of SPEC.md and their columns: standard names, aliases, required flags,
//! and the keywords that recognise a sheet by its name.

/// The kinds of sheet the tool reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SheetKind {
    /// 花名册: one row per student.
    Roster,
    /// 党校培训: one row per student per course.
    Training,
    /// 谈话: one row per talk.
    Talk,
    /// 政治审查: one row per reviewed student.
    Review,
    /// 家庭成员: one row per relative.
    Relative,
    /// 民主评议: one row per member per year.
    Appraisal,
    /// 简历: one row per period of study or work of a student.
    Resume,
}

/// One column of a sheet kind: its standard name (as used by the model), the other header
/// spellings accepted for it, and whether a sheet of the kind must have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The standard column name from SPEC.md, e.g. `出生日期`.
    pub name: &'static str,
    /// Other headers accepted for the column (compared after header normalisation).
    pub aliases: &'static [&'static str],
    /// True when a sheet of this kind is unusable without the column.
    pub required: bool,
}

/// Shorthand for the tables below.
const fn col(name: &'static str, aliases: &'static [&'static str], required: bool) -> ColumnSpec {
    ColumnSpec {
        name,
        aliases,
        required,
    }
}

const ROSTER: &[ColumnSpec] = &[
    col("学号", &["学生编号", "学籍号", "学生学号"], true),
    col("姓名", &["学生姓名"], true),
    col("性别", &[], true),
    col("民族", &[], false),
    col("出生日期", &["出生年月", "生日", "出生年月日"], true),
    col(
        "身份证号",
        &["身份证号码", "公民身份号码", "身份证", "公民身份证号码"],
        false,
    ),
    col("籍贯", &[], false),
    col("学院", &["院系", "所在学院", "二级学院"], true),
    col("专业", &["所学专业"], false),
    col("班级", &["专业班级", "所在班级"], false),
    col("党支部", &["所在支部", "支部", "所在党支部"], true),
    col("发展阶段", &[], false),
    // Many ledgers write the 发展阶段 here; see `value::parse_political_status`.
    col("政治面貌", &[], false),
    col("文化程度", &["学历"], false),
    col("奖惩情况", &["奖惩", "奖励或处分"], false),
    col(
        "推荐方式",
        &["推荐为入党积极分子方式", "推荐入党积极分子方式"],
        false,
    ),
    col("团组织推优意见", &["团组织推荐意见", "推优意见"], false),
    col("党小组意见", &[], false),
    col(
        "申请入党日期",
        &["递交入党申请书时间", "申请入党时间", "递交入党申请书日期"],
        false,
    ),
    col(
        "确定积极分子日期",
        &[
            "确定为入党积极分子时间",
            "列为积极分子时间",
            "确定为入党积极分子日期",
            "确定入党积极分子日期",
            "确定入党积极分子时间",
        ],
        false,
    ),
    col("培养联系人", &["培养人"], false),
    col(
        "确定发展对象日期",
        &[
            "确定为发展对象时间",
            "确定为发展对象日期",
            "确定发展对象时间",
        ],
        false,
    ),
    col(
        "接收预备党员日期",
        &[
            "入党时间",
            "发展为预备党员时间",
            "入党日期",
            "接收预备党员时间",
        ],
        false,
    ),
    col("转正日期", &["预备党员转正时间", "转正时间"], false),
    col("职务", &["担任职务"], false),
    col("联系电话", &["手机", "手机号", "手机号码", "电话"], false),
    col("备注", &[], false),
];

const TRAINING: &[ColumnSpec] = &[
    col("学号", &["学生编号", "学籍号", "学生学号"], true),
    col("姓名", &["学生姓名"], true),
    col("培训班", &["班次", "培训班名称", "培训班次"], true),
    col("培训类别", &["类别", "培训类型"], false),
    col(
        "开始日期",
        &["培训开始时间", "开始时间", "培训开始日期"],
        true,
    ),
    col(
        "结束日期",
        &["培训结束时间", "结束时间", "培训结束日期"],
        true,
    ),
    col("学时", &["培训学时"], true),
    col("成绩", &["考试成绩", "结业成绩"], true),
    col("证书编号", &["结业证书编号", "证书号"], false),
];

const TALK: &[ColumnSpec] = &[
    col("学号", &["学生编号", "学籍号", "学生学号"], true),
    col("姓名", &["学生姓名", "谈话对象"], true),
    col("谈话日期", &["谈话时间"], true),
    col("谈话地点", &["地点"], false),
    col("谈话人", &[], true),
    col("谈话人职务", &[], false),
    col("谈话类型", &["谈话类别"], false),
    col("谈话内容", &["谈话记录", "主要内容"], false),
    col("记录人", &[], false),
    col("谈话人意见", &["谈话结论", "谈话人评价"], false),
    col("谈话方式", &["谈话形式"], false),
    col("谈话主题", &["主题"], false),
    col("备注", &[], false),
];

const REVIEW: &[ColumnSpec] = &[
    col("学号", &["学生编号", "学籍号", "学生学号"], true),
    col("姓名", &["学生姓名"], true),
    col("审查日期", &["审查时间", "政审日期", "政审时间"], true),
    col("审查方式", &["政审方式"], false),
    col("本人政治表现", &["政治表现"], false),
    col("审查结论", &["审查意见"], true),
    col("审查人", &["政审人"], false),
    col("政治面貌", &[], false),
    col("审查内容", &["政治审查内容"], false),
    col("政审结论", &["审查结果", "政审结果"], false),
];

const RELATIVE: &[ColumnSpec] = &[
    col("学号", &["学生编号", "学籍号", "学生学号"], true),
    col("姓名", &["学生姓名"], true),
    col("称谓", &["与本人关系"], true),
    col("成员姓名", &["家庭成员姓名"], true),
    col("出生年月", &["出生日期"], false),
    col("政治面貌", &[], false),
    col("工作单位及职务", &["工作单位"], false),
];

const APPRAISAL: &[ColumnSpec] = &[
    col("学号", &["学生编号", "学籍号", "学生学号"], true),
    col("姓名", &["学生姓名"], true),
    col("年度", &["评议年度", "年份"], true),
    col("自评等次", &["自评"], false),
    col("优秀票", &["优秀票数"], false),
    col("合格票", &["合格票数"], false),
    col("基本合格票", &["基本合格票数"], false),
    col("不合格票", &["不合格票数"], false),
    col("评定等次", &["评议结果", "评定结果", "评议等次"], true),
    col("学习学时", &["学时"], false),
    col("民主生活会", &[], false),
    col("思想汇报", &[], false),
    col("党建报告", &[], false),
    col("教育影片", &[], false),
    col("学习交流", &[], false),
    col("参观教育基地", &[], false),
    col("社会实践", &[], false),
    // The 七个一 per semester, where the ledger keeps them apart (`民主生活会（上学期）`, see
    // `normalize::normalize_header`); a column without semester applies to the year.
    col("民主生活会上学期", &[], false),
    col("思想汇报上学期", &[], false),
    col("党建报告上学期", &[], false),
    col("教育影片上学期", &[], false),
    col("学习交流上学期", &[], false),
    col("参观教育基地上学期", &[], false),
    col("社会实践上学期", &[], false),
    col("民主生活会下学期", &[], false),
    col("思想汇报下学期", &[], false),
    col("党建报告下学期", &[], false),
    col("教育影片下学期", &[], false),
    col("学习交流下学期", &[], false),
    col("参观教育基地下学期", &[], false),
    col("社会实践下学期", &[], false),
    col("评语", &["支部评语", "组织评语"], false),
    col("个人总结", &["自我评价", "个人小结", "自我总结"], false),
    col("互评意见", &["党员互评意见", "互评"], false),
    col("群众评议意见", &["群众意见", "群众评议"], false),
    col("应参评人数", &["应参评", "应参加人数", "应到人数"], false),
    col("实参评人数", &["实参评", "实参加人数", "实到人数"], false),
    col("备注", &[], false),
];

const RESUME: &[ColumnSpec] = &[
    col("学号", &["学生编号", "学籍号", "学生学号"], true),
    col("姓名", &["学生姓名"], true),
    col("起止年月", &["起止时间", "起止日期"], true),
    col(
        "单位",
        &[
            "在何地何单位学习或工作",
            "在何地何单位学习工作",
            "学习工作单位",
            "学习或工作单位",
        ],
        true,
    ),
    col("职务", &["担任职务", "任何职"], false),
    col("证明人", &[], false),
];

impl SheetKind {
    /// Every kind, in the order of SPEC.md (also the order used in messages).
    pub const ALL: [SheetKind; 7] = [
        SheetKind::Roster,
        SheetKind::Training,
        SheetKind::Talk,
        SheetKind::Review,
        SheetKind::Relative,
        SheetKind::Appraisal,
        SheetKind::Resume,
    ];

    /// The Chinese label shown to users (花名册, 党校培训 …).
    pub fn label(self) -> &'static str {
        match self {
            SheetKind::Roster => "花名册",
            SheetKind::Training => "党校培训",
            SheetKind::Talk => "谈话",
            SheetKind::Review => "政治审查",
            SheetKind::Relative => "家庭成员",
            SheetKind::Appraisal => "民主评议",
            SheetKind::Resume => "简历",
        }
    }

    /// The kind's columns, in SPEC.md order.
    pub fn columns(self) -> &'static [ColumnSpec] {
        match self {
            SheetKind::Roster => ROSTER,
            SheetKind::Training => TRAINING,
            SheetKind::Talk => TALK,
            SheetKind::Review => REVIEW,
            SheetKind::Relative => RELATIVE,
            SheetKind::Appraisal => APPRAISAL,
            SheetKind::Resume => RESUME,
        }
    }

    /// The kind's required columns, in SPEC.md order.
    pub fn required_columns(self) -> impl Iterator<Item = &'static ColumnSpec> {
        self.columns().iter().filter(|c| c.required)
    }

    /// The column spec of a standard column name, if the kind has it.
    pub fn column(self, name: &str) -> Option<&'static ColumnSpec> {
        self.columns().iter().find(|c| c.name == name)
    }

    /// True when some kind has a column of this standard name (for checking the keys of the
    /// configuration's `Aliases`: a key that is no column is a typo worth reporting).
    pub fn is_standard_column(name: &str) -> bool {
        SheetKind::ALL
            .into_iter()
            .any(|kind| kind.column(name).is_some())
    }

    /// Keywords that mark a sheet of this kind when they appear in the sheet's name.
    pub fn name_keywords(self) -> &'static [&'static str] {
        match self {
            SheetKind::Roster => &["花名册", "名单", "名册", "基本信息"],
            SheetKind::Training => &["培训", "党校", "考试", "成绩", "结业"],
            SheetKind::Talk => &["谈话", "谈心"],
            SheetKind::Review => &["政审", "政治审查"],
            SheetKind::Relative => &["家庭成员", "社会关系"],
            SheetKind::Appraisal => &["评议", "考核", "测评"],
            SheetKind::Resume => &["简历", "学习工作经历", "个人经历"],
        }
    }

    /// The kinds whose name keywords occur in a sheet name (compared after header
    /// normalisation, so spaces and full-width letters do not matter). Several kinds may
    /// match (e.g. `发展对象培训名单`); the caller then decides by the headers.
    pub fn by_sheet_name(sheet_name: &str) -> Vec<SheetKind> {
        let name = super::normalize::normalize_text(sheet_name);
        SheetKind::ALL
            .into_iter()
            .filter(|kind| kind.name_keywords().iter().any(|k| name.contains(k)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_and_aliases_are_unique_within_a_kind() {
        for kind in SheetKind::ALL {
            let mut seen = BTreeSet::new();
            for c in kind.columns() {
                assert!(seen.insert(c.name), "{kind:?}: {}", c.name);
                for a in c.aliases {
                    assert!(seen.insert(a), "{kind:?}: alias {a}");
                }
            }
            assert!(kind.required_columns().count() >= 2);
        }
    }

    #[test]
    fn kinds_by_name() {
        assert_eq!(
            SheetKind::by_sheet_name("2025年入党积极分子花名册"),
            vec![SheetKind::Roster]
        );
        assert_eq!(
            SheetKind::by_sheet_name("党校成绩"),
            vec![SheetKind::Training]
        );
        assert_eq!(
            SheetKind::by_sheet_name("民主评议"),
            vec![SheetKind::Appraisal]
        );
        assert_eq!(
            SheetKind::by_sheet_name("党校考核成绩"),
            vec![SheetKind::Training, SheetKind::Appraisal]
        );
        assert_eq!(
            SheetKind::by_sheet_name("家庭成员及社会关系"),
            vec![SheetKind::Relative]
        );
        assert_eq!(
            SheetKind::by_sheet_name("本人简历"),
            vec![SheetKind::Resume]
        );
        assert!(SheetKind::by_sheet_name("Sheet1").is_empty());
        assert!(SheetKind::is_standard_column("成员姓名"));
        assert!(!SheetKind::is_standard_column("学生姓名"));
    }
}
