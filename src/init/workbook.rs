//! The ledger template (台账模板.xlsx): one sheet per sheet kind the reader recognises, with the
//! standard headers, a frozen header row, column widths, text-formatted ID columns, date
//! formats, drop-down lists of the values the reader accepts, one consistent example row per
//! sheet, and a 说明 sheet explaining every column. The columns come from
//! [`SheetKind::columns`], so the template can never ask for a header the reader does not know.

use crate::model::value::{ETHNIC_GROUPS, POLITICAL_STATUSES};
use crate::read::{ColumnSpec, SheetKind};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// Rows (below the header) that get the drop-down lists and formats of their column.
pub const FORMATTED_ROWS: u32 = 5000;

/// The name of each kind's sheet in the template (each recognised by its name alone).
pub fn sheet_name(kind: SheetKind) -> &'static str {
    match kind {
        SheetKind::Roster => "花名册",
        SheetKind::Training => "党校培训",
        SheetKind::Talk => "谈话记录",
        SheetKind::Review => "政治审查",
        SheetKind::Relative => "家庭成员",
        SheetKind::Appraisal => "民主评议",
        SheetKind::Resume => "简历",
    }
}

/// The name of the sheet that explains the columns (read back as a note, never as data).
pub const GUIDE_SHEET: &str = "说明";

/// The header written for a standard column: the name itself, except that a semester column
/// (`民主生活会上学期`) is written the way ledgers write it, `民主生活会（上学期）`.
pub fn header_text(name: &str) -> String {
    for term in ["上学期", "下学期"] {
        if let Some(stem) = name.strip_suffix(term)
            && !stem.is_empty()
        {
            return format!("{stem}（{term}）");
        }
    }
    name.to_string()
}

/// How a column's cells are typed and checked.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cells {
    /// Free text.
    Text,
    /// Text that looks like a number (学号, 身份证号 …): formatted as text so that Excel keeps
    /// every digit.
    Digits,
    /// A long text, wrapped.
    Long,
    /// A date.
    Date,
    /// A number.
    Number,
    /// One of the listed values; `strict` refuses others, otherwise Excel only warns.
    List(&'static [&'static str], bool),
}

/// 性别.
const SEXES: &[&str] = &["男", "女"];
/// 培训类别 (those the certificate rule and the reader know).
const COURSE_TYPES: &[&str] = &["入党积极分子", "发展对象", "预备党员", "党员"];
/// 成绩 as a grade (a score 0–100 is allowed too).
const SCORE_WORDS: &[&str] = &["优秀", "良好", "合格", "不合格"];
/// The talk types that title a talk record (the form's own list).
const TALK_TYPES: &[&str] = crate::documents::talk_record::TITLED_KINDS;
/// 评定等次 and 自评等次.
const GRADES: &[&str] = &["优秀", "合格", "基本合格", "不合格"];
/// 政审结论.
const PASS: &[&str] = &["合格", "不合格"];
/// The 七个一 items (a count is allowed too).
const YES_NO: &[&str] = &["是", "否"];
/// The labels of [`Stage::ALL`] (a test keeps them equal).
const STAGES: &[&str] = &[
    "入党申请人",
    "入党积极分子",
    "发展对象",
    "预备党员",
    "正式党员",
];

/// The cell type of a standard column of a kind.
fn cells_of(kind: SheetKind, name: &str) -> Cells {
    let seven = crate::model::records::SEVEN_ITEMS
        .iter()
        .any(|item| name.starts_with(item));
    match name {
        "学号" | "身份证号" | "联系电话" | "证书编号" | "起止年月" => {
            Cells::Digits
        }
        "出生年月" if kind == SheetKind::Relative => Cells::Digits,
        "出生日期"
        | "申请入党日期"
        | "确定积极分子日期"
        | "确定发展对象日期"
        | "接收预备党员日期"
        | "转正日期"
        | "开始日期"
        | "结束日期"
        | "谈话日期"
        | "审查日期" => Cells::Date,
        "学时" | "学习学时" | "年度" | "优秀票" | "合格票" | "基本合格票" | "不合格票"
        | "应参评人数" | "实参评人数" => Cells::Number,
        "性别" => Cells::List(SEXES, true),
        "民族" => Cells::List(&ETHNIC_GROUPS, true),
        "发展阶段" => Cells::List(STAGES, true),
        "政治面貌" => Cells::List(&POLITICAL_STATUSES, false),
        "培训类别" => Cells::List(COURSE_TYPES, true),
        "成绩" => Cells::List(SCORE_WORDS, false),
        "谈话类型" => Cells::List(TALK_TYPES, false),
        "自评等次" | "评定等次" => Cells::List(GRADES, true),
        "政审结论" => Cells::List(PASS, true),
        _ if seven => Cells::List(YES_NO, false),
        _ if crate::config::TextKind::of(name) == crate::config::TextKind::Long => Cells::Long,
        _ => Cells::Text,
    }
}

/// How to fill a column, for the 说明 sheet (beyond its type and list).
fn note_of(kind: SheetKind, name: &str) -> &'static str {
    match (kind, name) {
        (_, "学号") => "连接各表的关键列：其他表中的学号必须在花名册中，且姓名一致",
        (_, "姓名") => "其他表中须与花名册一致；少数民族姓名中的间隔号写作 ·",
        (_, "民族") => "56 个民族之一，如 汉族",
        (_, "出生日期") => "可只写年月（如 2003年5月）",
        (_, "身份证号") => "18 位，按文本填写（本列已设为文本格式，Excel 不会丢失末位）",
        (_, "党支部") => "如 学生第一党支部；不同学院的同名支部按学院区分",
        (_, "发展阶段") => "不填时按下列各阶段日期中最晚的一个推算",
        (_, "政治面貌") => "如 共青团员、中共党员；也可填发展阶段",
        (_, "培养联系人") => "一至两人，用顿号分隔",
        (_, "申请入党日期") => "年满 18 周岁后递交入党申请书的日期",
        (_, "确定发展对象日期") => "距确定为入党积极分子须满一年",
        (_, "接收预备党员日期") => "须在确定为发展对象、政治审查之后",
        (_, "转正日期") => "距接收为预备党员须满一年",
        (_, "培训班") => "如 第12期入党积极分子培训班（期次用于证书编号）",
        (_, "学时") => "数字；发展对象培训不少于 24 学时",
        (_, "成绩") => "0–100 的分数，或 优秀、良好、合格、不合格",
        (_, "证书编号") => "不填则按 dangjian.toml 中的规则自动编号；只有考核合格者才有证书",
        (_, "谈话类型") => "申请入党后一个月内须有入党申请人谈话",
        (_, "谈话内容") => "可多段，单元格内换行（Alt+Enter）",
        (_, "年度") => "四位年份，如 2025；每名党员每年一行",
        (_, "评定等次") => "优秀、合格、基本合格、不合格；优秀一般不超过参评人数的三分之一",
        (_, "学习学时") => "正式党员每年不少于 32 学时",
        (_, "政审结论") => "合格 或 不合格（勾选表中的方框；文字结论写在审查结论）",
        (_, "起止年月") => "如 2018.09—2021.06",
        (_, "单位") => "在何地何单位学习或工作",
        (SheetKind::Relative, "出生年月") => "如 1975.03",
        (_, n) if n.ends_with("学期") => "分学期记录时填写；只记全年时填不带学期的列",
        _ => "",
    }
}

/// The example row of a kind: column name → value. One student, 正式党员, whose data pass
/// every check and every procedure rule.
fn example(kind: SheetKind) -> &'static [(&'static str, Example)] {
    use Example::{Date as D, Number as N, Text as T};
    match kind {
        SheetKind::Roster => &[
            ("学号", T("2021010101")),
            ("姓名", T("李明")),
            ("性别", T("男")),
            ("民族", T("汉族")),
            ("出生日期", D(2003, 5, 12)),
            ("身份证号", T("110105200305121233")),
            ("籍贯", T("北京")),
            ("学院", T("示范学院")),
            ("专业", T("汉语言文学")),
            ("班级", T("汉语2101")),
            ("党支部", T("学生第一党支部")),
            ("发展阶段", T("正式党员")),
            ("政治面貌", T("中共党员")),
            ("文化程度", T("大学本科在读")),
            ("奖惩情况", T("2023年获校级三好学生")),
            ("推荐方式", T("团组织推优")),
            (
                "团组织推优意见",
                T("经团支部大会讨论，同意推荐为入党积极分子。"),
            ),
            ("党小组意见", T("同意列为入党积极分子。")),
            ("申请入党日期", D(2021, 10, 8)),
            ("确定积极分子日期", D(2022, 3, 15)),
            ("培养联系人", T("王芳、赵强")),
            ("确定发展对象日期", D(2023, 4, 10)),
            ("接收预备党员日期", D(2023, 11, 20)),
            ("转正日期", D(2024, 11, 20)),
            ("职务", T("班长")),
            ("联系电话", T("13800000000")),
            ("备注", T("示例行，请替换为实际数据")),
        ],
        SheetKind::Training => &[
            ("学号", T("2021010101")),
            ("姓名", T("李明")),
            ("培训班", T("第3期发展对象培训班")),
            ("培训类别", T("发展对象")),
            ("开始日期", D(2023, 5, 8)),
            ("结束日期", D(2023, 5, 12)),
            ("学时", N(24.0)),
            ("成绩", N(86.0)),
        ],
        SheetKind::Talk => &[
            ("学号", T("2021010101")),
            ("姓名", T("李明")),
            ("谈话日期", D(2021, 10, 20)),
            ("谈话地点", T("学院党员活动室")),
            ("谈话人", T("王芳")),
            ("谈话人职务", T("支部书记")),
            ("谈话类型", T("入党申请人谈话")),
            (
                "谈话内容",
                T(
                    "了解入党动机和思想、学习情况，介绍党的基本知识。\n本人表示将按党员标准严格要求自己。",
                ),
            ),
            ("记录人", T("赵强")),
            ("谈话人意见", T("入党动机端正，同意列为培养对象。")),
            ("谈话方式", T("当面")),
        ],
        SheetKind::Review => &[
            ("学号", T("2021010101")),
            ("姓名", T("李明")),
            ("审查日期", D(2023, 6, 15)),
            ("审查方式", T("本人谈话、查阅档案、函调")),
            (
                "本人政治表现",
                T("政治立场坚定，拥护党的路线、方针、政策，无违法违纪行为。"),
            ),
            (
                "审查结论",
                T("经审查，本人及家庭成员政治历史清楚，政治审查合格。"),
            ),
            ("审查人", T("王芳")),
            ("政治面貌", T("共青团员")),
            (
                "审查内容",
                T("本人的政治立场、思想品德、现实表现；直系亲属的政治情况。"),
            ),
            ("政审结论", T("合格")),
        ],
        SheetKind::Relative => &[
            ("学号", T("2021010101")),
            ("姓名", T("李明")),
            ("称谓", T("父亲")),
            ("成员姓名", T("李建国")),
            ("出生年月", T("1975.03")),
            ("政治面貌", T("中共党员")),
            ("工作单位及职务", T("北京某机械厂 技术员")),
        ],
        SheetKind::Appraisal => &[
            ("学号", T("2021010101")),
            ("姓名", T("李明")),
            ("年度", N(2024.0)),
            ("自评等次", T("合格")),
            ("优秀票", N(3.0)),
            ("合格票", N(10.0)),
            ("基本合格票", N(0.0)),
            ("不合格票", N(0.0)),
            ("评定等次", T("合格")),
            ("学习学时", N(36.0)),
            ("民主生活会", T("是")),
            ("思想汇报", N(4.0)),
            ("党建报告", T("是")),
            ("教育影片", N(2.0)),
            ("学习交流", T("是")),
            ("参观教育基地", T("是")),
            ("社会实践", T("是")),
            (
                "评语",
                T("该同志能严格要求自己，发挥了党员的先锋模范作用。"),
            ),
            ("个人总结", T("本年度认真学习党的理论，按时参加组织生活。")),
            ("互评意见", T("学习认真，乐于助人。")),
            ("群众评议意见", T("群众评价良好。")),
            ("应参评人数", N(15.0)),
            ("实参评人数", N(13.0)),
        ],
        SheetKind::Resume => &[
            ("学号", T("2021010101")),
            ("姓名", T("李明")),
            ("起止年月", T("2018.09—2021.06")),
            ("单位", T("北京市第一中学")),
            ("职务", T("学生")),
            ("证明人", T("张老师")),
        ],
    }
}

/// A value of the example row.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Example {
    /// Text.
    Text(&'static str),
    /// A date (year, month, day).
    Date(u16, u8, u8),
    /// A number.
    Number(f64),
}

/// The width of a column, in Excel characters.
fn width(name: &str, cells: Cells) -> f64 {
    let header = header_text(name).chars().count() as f64 * 2.2 + 2.0;
    let by_type = match cells {
        Cells::Digits if name == "身份证号" => 21.0,
        Cells::Digits => 14.0,
        Cells::Long => 40.0,
        Cells::Date => 12.0,
        Cells::Number => 8.0,
        Cells::List(values, _) => {
            values.iter().map(|v| v.chars().count()).max().unwrap_or(2) as f64 * 2.2 + 3.0
        }
        Cells::Text => 12.0,
    };
    header.max(by_type).min(48.0)
}

/// The formats of the template.
struct Formats {
    /// A header cell.
    header: Format,
    /// The header of a required column (red text).
    required: Format,
    /// A text cell (Excel's `@`: digits stay text).
    text: Format,
    /// A wrapped long text.
    long: Format,
    /// A date cell.
    date: Format,
    /// Any other cell.
    plain: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name("宋体").set_font_size(11);
        let header = base
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color("D9D9D9");
        Formats {
            required: header.clone().set_font_color(Color::RGB(0xC00000)),
            header,
            text: base.clone().set_num_format("@"),
            long: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            date: base.clone().set_num_format("yyyy-mm-dd"),
            plain: base,
        }
    }

    /// The format of a column's cells.
    fn of(&self, cells: Cells) -> &Format {
        match cells {
            Cells::Digits => &self.text,
            Cells::Long => &self.long,
            Cells::Date => &self.date,
            _ => &self.plain,
        }
    }
}

/// Fixed document properties, so that the template's bytes never change.
fn properties() -> Result<DocProperties, XlsxError> {
    let created = ExcelDateTime::from_ymd(2025, 1, 1)?.and_hms(8, 0, 0)?;
    Ok(DocProperties::new()
        .set_title("学生党建台账模板")
        .set_author("dangjian")
        .set_creation_datetime(&created))
}

/// The ledger template's bytes (identical on every call).
pub fn template_xlsx() -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties()?);
    let formats = Formats::new();
    for kind in SheetKind::ALL {
        let ws = wb.add_worksheet();
        write_kind(ws, kind, &formats)?;
        if kind == SheetKind::Roster {
            ws.set_active(true);
        }
    }
    write_guide(wb.add_worksheet(), &formats)?;
    wb.save_to_buffer()
}

/// One kind's sheet: headers, formats, lists, the example row.
fn write_kind(ws: &mut Worksheet, kind: SheetKind, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(kind))?;
    ws.set_row_height(0, 30)?;
    let example = example(kind);
    for (c, spec) in kind.columns().iter().enumerate() {
        let col = c as u16;
        let cells = cells_of(kind, spec.name);
        let head = if spec.required {
            &f.required
        } else {
            &f.header
        };
        ws.write_string_with_format(0, col, header_text(spec.name), head)?;
        ws.set_column_width(col, width(spec.name, cells))?;
        ws.set_column_format(col, f.of(cells))?;
        if let Cells::List(values, strict) = cells {
            ws.add_data_validation(1, col, FORMATTED_ROWS, col, &list(spec, values, strict)?)?;
        }
        match example
            .iter()
            .find(|(n, _)| *n == spec.name)
            .map(|(_, v)| *v)
        {
            Some(Example::Text(t)) => {
                ws.write_string_with_format(1, col, t, f.of(cells))?;
            }
            Some(Example::Number(n)) => {
                ws.write_number_with_format(1, col, n, f.of(cells))?;
            }
            Some(Example::Date(y, m, d)) => {
                let date = ExcelDateTime::from_ymd(y, m, d)?;
                ws.write_datetime_with_format(1, col, &date, &f.date)?;
            }
            None => {}
        }
    }
    ws.set_freeze_panes(1, 2)?;
    Ok(())
}

/// A drop-down list of the values the reader accepts.
fn list(spec: &ColumnSpec, values: &[&str], strict: bool) -> Result<DataValidation, XlsxError> {
    let (style, message) = if strict {
        (
            DataValidationErrorStyle::Stop,
            format!("请从下拉列表中选择：{}", short_list(values)),
        )
    } else {
        (
            DataValidationErrorStyle::Information,
            format!("建议从下拉列表中选择：{}", short_list(values)),
        )
    };
    DataValidation::new()
        .allow_list_strings(values)?
        .set_error_style(style)
        .set_error_title(header_text(spec.name))?
        .set_error_message(message)
}

/// The values for a message (the 56 民族 shortened).
fn short_list(values: &[&str]) -> String {
    if values.len() > 8 {
        format!("{} 等 {} 项", values[..4].join("、"), values.len())
    } else {
        values.join("、")
    }
}

/// The 说明 sheet: what the workbook is, then one row per column of every kind.
fn write_guide(ws: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(GUIDE_SHEET)?;
    let wrap = f.long.clone();
    let intro = [
        "本工作簿是 dangjian 的台账模板：每个工作表对应一类数据，第一行是表头（红色为必填列），第二行是示例，请替换或删除；用不到的工作表可以删除。",
        "各表通过「学号」与花名册关联；日期列可填 Excel 日期或 2003-05-12、2003年5月 等文字；学号、身份证号等列已设为文本格式。",
        "填好后运行：dangjian check --data 台账.xlsx（检查数据）、dangjian check --rules --data 台账.xlsx（检查发展党员程序）、dangjian render all --data 台账.xlsx --out 材料.zip（生成文书）。",
    ];
    for (r, line) in intro.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, *line, &f.plain)?;
    }
    let top = intro.len() as u32 + 1;
    for (c, h) in ["工作表", "列名", "必填", "填写要求", "也可写作"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(top, c as u16, *h, &f.header)?;
    }
    let mut r = top + 1;
    for kind in SheetKind::ALL {
        for spec in kind.columns() {
            let cells = cells_of(kind, spec.name);
            let kind_text = match cells {
                Cells::Text => "文本".to_string(),
                Cells::Digits => "文本（数字按文本保存）".to_string(),
                Cells::Long => "长文本，可换行".to_string(),
                Cells::Date => "日期".to_string(),
                Cells::Number => "数字".to_string(),
                Cells::List(values, strict) => format!(
                    "{}：{}",
                    if strict {
                        "下拉选择"
                    } else {
                        "建议选择"
                    },
                    short_list(values)
                ),
            };
            let note = note_of(kind, spec.name);
            let requirement = if note.is_empty() {
                kind_text
            } else {
                format!("{kind_text}；{note}")
            };
            let row = [
                sheet_name(kind).to_string(),
                header_text(spec.name),
                if spec.required { "是" } else { "" }.to_string(),
                requirement,
                spec.aliases.join("、"),
            ];
            for (c, text) in row.iter().enumerate() {
                ws.write_string_with_format(r, c as u16, text, &wrap)?;
            }
            r += 1;
        }
    }
    for (c, w) in [10.0, 20.0, 6.0, 60.0, 40.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::Stage;

    #[test]
    fn every_example_value_names_a_column_of_its_kind() {
        for kind in SheetKind::ALL {
            for (name, _) in example(kind) {
                assert!(kind.column(name).is_some(), "{kind:?}: {name}");
            }
            for spec in kind.required_columns() {
                assert!(
                    example(kind).iter().any(|(n, _)| *n == spec.name),
                    "{kind:?}: the example fills {}",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn the_stage_list_is_the_stages() {
        let labels: Vec<&str> = Stage::ALL.iter().map(|s| s.label()).collect();
        assert_eq!(STAGES, labels);
    }

    /// Every drop-down value is a value the reader accepts for its column.
    #[test]
    fn the_lists_hold_values_the_reader_accepts() {
        use crate::model::value as v;
        let text = |s: &str| crate::read::Cell::Text(s.to_string());
        for s in SEXES {
            assert!(v::parse_sex(&text(s)).unwrap().is_some(), "{s}");
        }
        for s in ETHNIC_GROUPS {
            assert_eq!(v::parse_ethnicity(&text(s)).unwrap(), Some(s), "{s}");
        }
        for s in STAGES {
            assert!(v::parse_stage(&text(s)).unwrap().is_some(), "{s}");
        }
        for s in POLITICAL_STATUSES {
            assert!(
                v::parse_political_status(&text(s)).unwrap().is_some(),
                "{s}"
            );
        }
        for s in SCORE_WORDS {
            assert!(v::parse_score(&text(s)).unwrap().is_some(), "{s}");
        }
        for s in GRADES {
            assert_eq!(
                v::parse_appraisal_grade(&text(s))
                    .unwrap()
                    .map(|g| g.label()),
                Some(*s)
            );
        }
        for s in PASS {
            assert!(v::parse_pass(&text(s)).unwrap().is_some(), "{s}");
        }
        for s in YES_NO {
            assert!(v::parse_yes_no_count(&text(s)).unwrap().is_some(), "{s}");
        }
        // Each 培训类别 is one the certificate rule knows (a 发展对象 course needs its hours).
        assert_eq!(
            COURSE_TYPES,
            ["入党积极分子", "发展对象", "预备党员", "党员"]
        );
    }

    #[test]
    fn semester_headers_are_written_with_brackets() {
        assert_eq!(header_text("民主生活会上学期"), "民主生活会（上学期）");
        assert_eq!(header_text("学号"), "学号");
        assert_eq!(
            crate::read::normalize::normalize_header(&header_text("社会实践下学期")),
            "社会实践下学期"
        );
    }

    /// Read back by the real reader, the template (with its example rows) has no error and no
    /// warning; its only remark is the note that the 说明 sheet is not data.
    #[test]
    fn the_template_reads_back_with_only_the_guide_sheet_noted() {
        let input = crate::read::Input {
            name: "台账模板.xlsx".to_string(),
            bytes: template_xlsx().unwrap(),
        };
        let config = crate::config::Config::default();
        let ds = crate::model::load(&[input], &config);
        let problems: Vec<String> = ds.problems().map(|p| p.to_string()).collect();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with("[提示] 台账模板.xlsx › 说明："),
            "{problems:#?}"
        );
        assert_eq!(ds.students.len(), 1);
        for (kind, n) in [
            (ds.trainings.len(), "trainings"),
            (ds.talks.len(), "talks"),
            (ds.reviews.len(), "reviews"),
            (ds.relatives.len(), "relatives"),
            (ds.appraisals.len(), "appraisals"),
            (ds.resumes.len(), "resumes"),
        ] {
            assert_eq!(kind, 1, "{n}");
        }
    }

    #[test]
    fn the_template_is_the_same_bytes_every_time() {
        assert_eq!(template_xlsx().unwrap(), template_xlsx().unwrap());
    }
}
