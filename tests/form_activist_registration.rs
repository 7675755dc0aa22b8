//! `dangjian render activist-registration` (入党积极分子培养考察登记表) as a user runs it: one
//! form per student at stage 入党积极分子 or later, the student's data, courses, talks and
//! family in order, the periodic review boxes, typst injection printed literally.

mod support;

use std::path::Path;
use std::process::Command;
use support::*;

const LEDGER: &str = "sample/学生党建台账.xlsx";

/// Every student of the ledger is at stage 入党积极分子 or later (fixtures/README.md:
/// 入党积极分子 26，发展对象 14，中共预备党员 17，中共党员 21).
const LEDGER_FORMS: usize = 78;

/// The text of a PDF with its physical layout kept (`pdftotext -layout`): one table row is one
/// line, so a row reads label, value, label, value … left to right.
fn layout_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/install-test-deps.sh)");
    assert!(out.status.success(), "pdftotext reads the PDF");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The number of pages of a PDF, from `pdfinfo`.
fn page_count(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo is installed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count")
}

/// Asserts that the needles occur in this order in the text.
fn assert_in_order(text: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match text[from..].find(needle) {
            Some(i) => from += i + needle.len(),
            None => panic!("「{needle}」 missing or out of order after byte {from}: {text}"),
        }
    }
}

const ROSTER_HEADER: [&str; 17] = [
    "学号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "学院",
    "专业",
    "班级",
    "党支部",
    "发展阶段",
    "申请入党日期",
    "确定积极分子日期",
    "培养联系人",
    "确定发展对象日期",
    "接收预备党员日期",
    "转正日期",
    "职务",
];

const INJECTION: &str = "#read(\"/etc/passwd\")]";
const MARKUP: &str = "$x$ * @ref <tag> \\ ] [ # // /* _";

/// A small ledger: 张三 (积极分子, with an injected course, talk place and relative), 李四
/// (入党申请人: no form), 王五 (积极分子 with nothing but the roster row).
fn small_ledger(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("台账.xlsx");
    let course = format!("第1期入党积极分子培训班{INJECTION}");
    let place = format!("谈心室{MARKUP}");
    write_workbook(
        &path,
        &[
            (
                "花名册",
                vec![
                    ROSTER_HEADER.to_vec(),
                    vec![
                        "2024010101",
                        "张三",
                        "男",
                        "汉族",
                        "2005-03-01",
                        "文学院",
                        "汉语言文学",
                        "汉语2401",
                        "学生第一党支部",
                        "入党积极分子",
                        "2024-10-08",
                        "2025-03-10",
                        "刘一、陈二",
                        "",
                        "",
                        "",
                        "班长",
                    ],
                    vec![
                        "2024010102",
                        "李四",
                        "女",
                        "汉族",
                        "2005-06-01",
                        "文学院",
                        "汉语言文学",
                        "汉语2401",
                        "学生第一党支部",
                        "入党申请人",
                        "2024-10-08",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                    ],
                    vec![
                        "2024010103",
                        "王五",
                        "男",
                        "",
                        "2005-01-01",
                        "文学院",
                        "",
                        "",
                        "学生第一党支部",
                        "入党积极分子",
                        "2024-10-08",
                        "2025-03-10",
                        "",
                        "",
                        "",
                        "",
                        "",
                    ],
                ],
            ),
            (
                "党校培训",
                vec![
                    vec![
                        "学号",
                        "姓名",
                        "培训班",
                        "培训类别",
                        "开始日期",
                        "结束日期",
                        "学时",
                        "成绩",
                    ],
                    vec![
                        "2024010101",
                        "张三",
                        &course,
                        "入党积极分子",
                        "2025-04-01",
                        "2025-04-20",
                        "n:16",
                        "n:88",
                    ],
                ],
            ),
            (
                "谈话记录",
                vec![
                    vec![
                        "学号",
                        "姓名",
                        "谈话日期",
                        "谈话地点",
                        "谈话人",
                        "谈话人职务",
                        "谈话类型",
                        "谈话内容",
                    ],
                    vec![
                        "2024010101",
                        "张三",
                        "2024-10-20",
                        &place,
                        "赵老师",
                        "支部书记",
                        "入党申请人谈话",
                        "谈话内容不在登记表中打印",
                    ],
                ],
            ),
            (
                "家庭成员",
                vec![
                    vec![
                        "学号",
                        "姓名",
                        "称谓",
                        "成员姓名",
                        "出生年月",
                        "政治面貌",
                        "工作单位及职务",
                    ],
                    vec![
                        "2024010101",
                        "张三",
                        "父亲",
                        INJECTION,
                        "1975.03",
                        "群众",
                        "某某公司 职员",
                    ],
                    vec!["2024010101", "张三", "母亲", "孙梅", "", "", ""],
                ],
            ),
        ],
    );
    path
}

#[test]
fn the_ledger_gives_one_form_per_activist_or_later() {
    let (r, dir) = run(&[
        "render",
        "activist-registration",
        "--data",
        &arg(LEDGER),
        "--out",
        "登记表.zip",
    ]);
    assert_eq!(r.code, 0, "warnings only: {}", r.all());
    let pdfs = pdfs(&dir.path().join("登记表.zip"));
    assert_eq!(pdfs.len(), LEDGER_FORMS, "{:?}", pdfs.keys());
    assert!(
        pdfs.keys()
            .all(|p| p.ends_with("/入党积极分子登记表.pdf") && p.split('/').count() == 4),
        "学院/党支部/学号_姓名/入党积极分子登记表.pdf: {:?}",
        pdfs.keys()
    );
    assert!(
        r.stdout
            .contains(&format!("入党积极分子登记表 {LEDGER_FORMS} 份")),
        "{}",
        r.stdout
    );
    // Every training, talk and family row of the ledger is used by some form.
    let records = manifest_records(&dir.path().join("登记表.zip"));
    for sheet in ["党校培训", "谈话记录", "家庭成员"] {
        let rows: Vec<_> = records
            .iter()
            .filter(|r| &r[1] == sheet && &r[6] != "忽略")
            .collect();
        assert!(!rows.is_empty(), "{sheet} rows are listed");
        assert!(
            rows.iter()
                .all(|r| &r[6] == "生成" && r[7].ends_with("入党积极分子登记表.pdf")),
            "{sheet} rows end in the student's form: {rows:?}"
        );
    }
}

#[test]
fn a_form_holds_the_students_data_in_order() {
    let (r, dir) = run(&[
        "render",
        "activist-registration",
        "--data",
        &arg(LEDGER),
        "--out",
        "r.zip",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    let pdfs = pdfs(&dir.path().join("r.zip"));
    let (path, pdf) = pdfs
        .iter()
        .find(|(p, _)| p.contains("2022031101_谢志"))
        .expect("谢志's form");
    assert_eq!(
        path,
        "马克思主义学院/学生第一党支部/2022031101_谢志/入党积极分子登记表.pdf"
    );
    // Cover, 填表说明, then 5 numbered pages (12 relatives push the family table over a page).
    assert_eq!(page_count(pdf), 7);
    let text = squeeze(&layout_text(pdf));
    assert_in_order(
        &text,
        &[
            // Cover.
            "入党积极分子",
            "培养考察登记表",
            "姓名谢志",
            "学号2022031101",
            "所在党支部马克思主义学院学生第一党支部",
            "填表时间年月日",
            "填表说明",
            // 基本情况, row by row: labels then values.
            "入党积极分子培养考察登记表",
            "所在党支部：马克思主义学院学生第一党支部",
            "一、基本情况",
            "姓名谢志性别男民族汉族出生年月2004年9月",
            "籍贯贵州贵阳文化程度大学本科在读身份证号520102200409203759",
            "学院马克思主义学院专业思想政治教育",
            "学号2022031101班级思政2201职务",
            "党支部马克思主义学院学生第一党支部联系电话18521552379",
            "申请入党时间2023年2月6日2023年4月20日",
            // The ledger's 推荐方式 ticks its box.
            "推荐方式✓团组织推优党员推荐群团组织推荐其他：",
            // 简历 rows in order, the post after the unit; 奖惩情况 as written.
            "二、本人简历",
            "起止年月在何地何单位学习或工作（任何职）证明人",
            "2010.09—2016.07贵州省贵阳市育才小学学习委员余勇辉",
            "2016.09—2019.07贵州省贵阳市第二十三中学数学课代表贾思宸",
            "2019.09—2022.06贵州省贵阳市外国语学校学习委员李若涵",
            "2022.09—至今东方理工大学马克思主义学院思想政治教育专业吴浩国",
            "三、奖惩情况",
            "无",
            // 家庭成员, in input order, the header repeated on the next page.
            "四、家庭主要成员及主要社会关系",
            "称谓姓名出生年月政治面貌工作单位及职务",
            "父亲谢志1979年5月中共党员个体经营",
            "第1页共5页",
            "称谓姓名出生年月政治面貌工作单位及职务",
            "姑姑谢彤蕾1978年3月群众贵州贵阳农商银行柜员",
            // The opinions from the ledger, each with its signature line.
            "五、团组织推优意见",
            "思政2201团支部于2023年3月15日召开推优大会，应到33人，实到33人，31人同意推荐谢志同志。",
            "团支部书记签字（盖章）：年月日",
            "六、党小组意见",
            "谢志同志入党动机端正，学习成绩优良，能团结同学，在班级工作中认真负责。",
            "党小组组长签字（盖章）：年月日",
            "七、支部委员会意见",
            "同意确定谢志同志为入党积极分子。确定时间：2023年4月20日。",
            "支部书记签字（盖章）：年月日",
            "八、上级党委备案意见",
            "（盖章）",
            "九、培养联系人",
            "序号姓名党内职务入党时间本人签字",
            "1苏辉飞",
            "2李雨茜",
            // 培养考察情况: the talks held, by date, then the periodic boxes.
            "十、培养考察情况",
            "谈话情况",
            "序号谈话时间谈话地点谈话人谈话人职务谈话类型",
            "12023年2月27日辅导员办公室赵璐敏支部书记入党申请人谈话",
            "52025年5月9日辅导员办公室苏辉飞培养联系人预备党员谈话",
            "第一季度培养联系人考察意见",
            "培养联系人签字：年月日",
            "第二季度培养联系人考察意见",
            "培养联系人签字：年月日",
            "党支部考察意见（半年）",
            "支部书记签字（盖章）：年月日",
            "第三季度培养联系人考察意见",
            "培养联系人签字：年月日",
            "第四季度培养联系人考察意见",
            "培养联系人签字：年月日",
            "党支部考察意见（一年）",
            "支部书记签字（盖章）：年月日",
            // 党校培训情况, by start date, with the number each certificate got.
            "十一、党校培训情况",
            "培训班（班次）培训时间学时成绩结业证书编号",
            "2023年10月12日至",
            "第9期入党积极分子培训班1674.52023090010",
            "2023年11月30日",
            "第4期发展对象培训班24优秀2024040002",
            "第4期预备党员培训班16862025040002",
            "2025年度学生党员集中轮训32702025000026",
            "十二、党员和群众意见",
            "支部书记签字（盖章）：年月日",
            "十三、确定为发展对象的意见",
            "同意确定谢志同志为发展对象。确定时间：2024年6月22日。",
            "支部书记签字（盖章）：年月日",
            "十四、上级党委备案意见",
            "（盖章）",
            "第5页共5页",
        ],
    );
    // Talks are listed, not printed in full.
    assert!(!text.contains("同志向党组织递交了入党申请书"), "{text}");
    assert!(!text.contains("None"), "{text}");
}

#[test]
fn injected_typst_prints_literally_and_missing_items_are_left_blank() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = small_ledger(dir.path());
    let r = run_in(
        dir.path(),
        &[
            "render",
            "activist-registration",
            "--data",
            &data.to_string_lossy(),
            "--out",
            "r.zip",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let pdfs = pdfs(&dir.path().join("r.zip"));
    assert_eq!(
        pdfs.keys().cloned().collect::<Vec<_>>(),
        [
            "文学院/学生第一党支部/2024010101_张三/入党积极分子登记表.pdf",
            "文学院/学生第一党支部/2024010103_王五/入党积极分子登记表.pdf",
        ],
        "no form for the 入党申请人"
    );
    let docs: Vec<&Vec<u8>> = pdfs.values().collect();
    let zhang = squeeze(&pdf_text(docs[0]));
    for needle in [
        format!("第1期入党积极分子培训班{INJECTION}"),
        INJECTION.to_string(),
        squeeze(&format!("谈心室{MARKUP}")),
    ] {
        assert!(
            zhang.contains(&needle),
            "{needle} printed literally: {zhang}"
        );
    }
    assert!(!zhang.contains("root:x:0:0"), "nothing from /etc/passwd");
    let zhang_rows = squeeze(&layout_text(docs[0]));
    assert_in_order(&zhang_rows, &["职务班长", "母亲孙梅", "1刘一", "2陈二"]);

    // 王五 has nothing but the roster row: every section is still there, its cells and boxes
    // blank to fill by hand (a missing ledger value is not printed as 无).
    let wang = squeeze(&layout_text(docs[1]));
    assert_in_order(
        &wang,
        &[
            "一、基本情况",
            "姓名王五性别男民族出生年月2005年1月",
            "二、本人简历",
            "三、奖惩情况",
            "四、家庭主要成员及主要社会关系",
            "称谓姓名出生年月政治面貌工作单位及职务",
            "五、团组织推优意见",
            "团支部书记签字（盖章）：年月日",
            "六、党小组意见",
            "党小组组长签字（盖章）：年月日",
            "七、支部委员会意见",
            "支部书记签字（盖章）：年月日",
            "八、上级党委备案意见",
            "九、培养联系人",
            "十、培养考察情况",
            "序号谈话时间谈话地点谈话人谈话人职务谈话类型",
            "第四季度培养联系人考察意见",
            "十一、党校培训情况",
            "培训班（班次）培训时间学时成绩结业证书编号",
            "十二、党员和群众意见",
            "十三、确定为发展对象的意见",
            "支部书记签字（盖章）：年月日",
            "十四、上级党委备案意见",
        ],
    );
    let form = wang.split("一、基本情况").nth(1).unwrap_or_default();
    assert!(!form.contains("None") && !form.contains('无'), "{wang}");
}

/// The optional roster columns of the form: 文化程度, 推荐方式 (ticks its box), 奖惩情况 and
/// the two opinions print in their sections, the 简历 sheet in 本人简历 (its rows used, in the
/// manifest); the certificate number printed is the one the
/// certificate got; no space inside a date.
#[test]
fn optional_columns_fill_their_sections() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("台账.xlsx");
    let mut header = ROSTER_HEADER.to_vec();
    header.extend([
        "学历",
        "推荐为入党积极分子方式",
        "奖惩情况",
        "团组织推优意见",
        "党小组意见",
    ]);
    let mut row = vec![
        "2024010101",
        "张三",
        "男",
        "汉族",
        "2005-03-01",
        "文学院",
        "汉语言文学",
        "汉语2401",
        "学生第1党支部",
        "入党积极分子",
        "2024-10-08",
        "2025-03-10",
        "刘一",
        "",
        "",
        "",
        "",
    ];
    row.extend([
        "本科在读",
        "团组织推优",
        "2024年获校级三好学生",
        "经团支部大会推荐，同意推荐张三同志为入党积极分子人选。",
        "该同志入党动机端正，同意。",
    ]);
    write_workbook(
        &path,
        &[
            ("花名册", vec![header, row]),
            (
                "本人简历",
                vec![
                    vec![
                        "学号",
                        "姓名",
                        "起止年月",
                        "在何地何单位学习或工作",
                        "职务",
                        "证明人",
                    ],
                    vec![
                        "2024010101",
                        "张三",
                        "2018.09—2021.06",
                        "某市第一中学学习",
                        "班长",
                        "李老师",
                    ],
                    vec![
                        "2024010101",
                        "张三",
                        "2021.09—2024.06",
                        "某市第二中学学习",
                        "",
                        "王老师",
                    ],
                ],
            ),
            (
                "党校培训",
                vec![
                    vec![
                        "学号",
                        "姓名",
                        "培训班",
                        "培训类别",
                        "开始日期",
                        "结束日期",
                        "学时",
                        "成绩",
                    ],
                    vec![
                        "2024010101",
                        "张三",
                        "第1期入党积极分子培训班",
                        "入党积极分子",
                        "2025-04-01",
                        "2025-04-20",
                        "n:16",
                        "n:88",
                    ],
                ],
            ),
        ],
    );
    let r = run_in(
        dir.path(),
        &[
            "render",
            "activist-registration",
            "certificate",
            "--data",
            &path.to_string_lossy(),
            "--out",
            "r.zip",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let pdfs = pdfs(&dir.path().join("r.zip"));
    let form = pdfs
        .iter()
        .find(|(p, _)| p.ends_with("入党积极分子登记表.pdf"))
        .expect("the form")
        .1;
    let certificate = pdfs
        .iter()
        .find(|(p, _)| p.ends_with("党校结业证书.pdf"))
        .expect("the certificate")
        .1;
    let raw = layout_text(form);
    let text = squeeze(&raw);
    let number = squeeze(&pdf_text(certificate))
        .split("证书编号：")
        .nth(1)
        .map(|s| {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
        })
        .filter(|n| !n.is_empty())
        .expect("the certificate prints its number");
    assert_in_order(
        &text,
        &[
            "所在党支部：文学院学生第1党支部",
            "文化程度大学本科在读",
            "二、本人简历",
            "起止年月在何地何单位学习或工作（任何职）证明人",
            "2018.09—2021.06某市第一中学学习班长李老师",
            "2021.09—2024.06某市第二中学学习王老师",
            "三、奖惩情况",
            "2024年获校级三好学生",
            "五、团组织推优意见",
            "同意推荐张三同志为入党积极分子人选。",
            "团支部书记签字（盖章）：年月日",
            "六、党小组意见",
            "该同志入党动机端正，同意。",
            "十一、党校培训情况",
            &format!("第1期入党积极分子培训班1688{number}"),
        ],
    );
    assert!(!text.contains("文学院文学院"), "{text}");
    let resume_rows: Vec<_> = manifest_records(&dir.path().join("r.zip"))
        .into_iter()
        .filter(|r| &r[1] == "本人简历" && &r[6] != "忽略")
        .collect();
    assert_eq!(resume_rows.len(), 2, "{resume_rows:?}");
    assert!(
        resume_rows
            .iter()
            .all(|r| &r[3] == "简历" && &r[6] == "生成" && r[7].contains("入党积极分子登记表")),
        "{resume_rows:?}"
    );
    // No space inside a date, in the text as laid out.
    for date in ["2024年10月8日", "2025年3月10日", "2025年4月1日至"] {
        assert!(raw.contains(date), "{date} unspaced: {raw}");
    }
}

/// 𠈌 (CJK Ext. B) prints from the embedded fallback; a private-use 造字 no font has refuses
/// that student's form, named with the student, field and code point (exit code 1).
#[test]
fn a_rare_character_is_printed_and_a_private_use_one_refuses_the_form() {
    let (r, dir) = run(&[
        "render",
        "activist-registration",
        "--data",
        &arg("rare/生僻字.xlsx"),
        "--out",
        "r.zip",
    ]);
    assert_eq!(r.code, 1, "the form is refused: {}", r.all());
    assert!(
        r.stdout.lines().any(|l| l.contains("U+E000")
            && l.contains("2024031101")
            && l.contains("「姓名」")
            && l.contains("入党积极分子登记表未生成")),
        "the private-use character is reported: {}",
        r.stdout
    );
    let pdfs = pdfs(&dir.path().join("r.zip"));
    assert_eq!(pdfs.len(), 2, "{:?}", pdfs.keys());
    assert!(pdfs.keys().all(|p| !p.contains("2024031101")));
    let all: String = pdfs.values().map(|p| pdf_text(p)).collect();
    assert!(all.contains('𠈌'), "𠈌 is printed by the Ext-B fallback");
}

#[test]
fn a_contact_who_is_a_roster_member_gets_their_post_and_join_date() {
    // The records of a run are put away on disk once it is planned; a form still finds its
    // contacts among the other students of the roster.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("台账.xlsx");
    let member =
        |id: &'static str, name: &'static str, joined: &'static str, post: &'static str| {
            vec![
                id,
                name,
                "女",
                "汉族",
                "2002-01-01",
                "文学院",
                "汉语言文学",
                "汉语2201",
                "学生第一党支部",
                "中共预备党员",
                "2020-10-08",
                "2021-03-10",
                "",
                "2022-03-10",
                joined,
                "",
                post,
            ]
        };
    write_workbook(
        &path,
        &[(
            "花名册",
            vec![
                ROSTER_HEADER.to_vec(),
                vec![
                    "2024010101",
                    "张三",
                    "男",
                    "汉族",
                    "2005-03-01",
                    "文学院",
                    "汉语言文学",
                    "汉语2401",
                    "学生第一党支部",
                    "入党积极分子",
                    "2024-10-08",
                    "2025-03-10",
                    "刘一、陈二",
                    "",
                    "",
                    "",
                    "",
                ],
                member("2022010101", "刘一", "2023-06-30", "组织委员"),
                // Two members called 陈二: the form cannot tell which one is meant.
                member("2022010102", "陈二", "2023-06-30", "宣传委员"),
                member("2022010103", "陈二", "2023-07-01", ""),
            ],
        )],
    );
    let r = run_in(
        dir.path(),
        &[
            "render",
            "activist-registration",
            "--data",
            &path.to_string_lossy(),
            "--out",
            "r.zip",
        ],
    );
    let pdfs = pdfs(&dir.path().join("r.zip"));
    let (_, pdf) = pdfs
        .iter()
        .find(|(p, _)| p.contains("2024010101_张三"))
        .unwrap_or_else(|| panic!("张三's form: {}", r.all()));
    let text = squeeze(&layout_text(pdf));
    assert_in_order(
        &text,
        &[
            "九、培养联系人",
            "序号姓名党内职务入党时间本人签字",
            "1刘一组织委员2023年6月30日",
            "2陈二十、",
        ],
    );
}
