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
    // Cover, 填表说明, then 4 numbered pages (12 relatives push the family table over a page).
    assert_eq!(page_count(pdf), 6);
    let text = squeeze(&layout_text(pdf));
    assert_in_order(
        &text,
        &[
            // Cover.
            "入党积极分子培养考察登记表",
            "姓名谢志",
            "学号2022031101",
            "学院马克思主义学院",
            "所在党支部学生第一党支部",
            "填表时间年月日",
            "填表说明",
            // 基本情况, row by row: labels then values.
            "入党积极分子培养考察登记表",
            "一、基本情况",
            "姓名谢志性别男民族汉族出生年月2004年09月",
            "籍贯贵州贵阳身份证号520102200409203759学号2022031101",
            "学院马克思主义学院专业思想政治教育",
            "班级思政2201党支部学生第一党支部职务无",
            "联系电话18521552379发展阶段预备党员",
            "申请入党时间2023年02月06日",
            "2023年04月20日",
            "推荐方式团组织推优党员推荐群团组织推荐其他：",
            "姓名苏辉飞党内职务入党时间",
            "姓名李雨茜党内职务入党时间",
            "备注无",
            // 党校培训情况, by start date.
            "二、党校培训情况",
            "序号培训班类别起止时间学时成绩",
            "1第9期入党积极分子培训班入党积极分子2023.10.12—2023.11.301674.5",
            "2第4期发展对象培训班发展对象2024.11.14—2024.11.2324优秀",
            "3第4期预备党员培训班预备党员2025.04.12—2025.04.201686",
            "42025年度学生党员集中轮训党员2025.04.12—2025.05.173270",
            // 谈话情况, by date.
            "三、谈话情况",
            "序号谈话时间谈话地点谈话人谈话人职务谈话类型",
            "12023.02.27辅导员办公室赵璐敏支部书记入党申请人谈话",
            "22023.07.06图书馆研讨间305苏辉飞培养联系人入党积极分子谈话",
            "52025.05.09辅导员办公室苏辉飞培养联系人预备党员谈话",
            // 家庭成员, in input order, the header repeated on the next page.
            "四、家庭主要成员及主要社会关系",
            "称谓姓名出生年月政治面貌工作单位及职务",
            "父亲谢志1979.05中共党员个体经营",
            "第1页共4页",
            "称谓姓名出生年月政治面貌工作单位及职务",
            "姑姑谢彤蕾1978.03群众贵州贵阳农商银行柜员",
            // The opinion and review boxes, signed by hand.
            "五、确定为入党积极分子的意见",
            "确定谢志同志为入党积极分子。确定时间：2023年04月20日。",
            "支部书记签字（盖章）：年月日",
            "（盖章）",
            "六、培养考察情况",
            "培养联系人签字：年月日",
            "培养联系人签字：年月日",
            "党支部半年考察意见",
            "支部书记签字（盖章）：年月日",
            "培养联系人签字：年月日",
            "培养联系人签字：年月日",
            "党支部一年考察意见",
            "支部书记签字（盖章）：年月日",
            "七、党员和群众意见",
            "八、确定为发展对象的意见",
            "确定为发展对象时间：2024年06月22日",
            "支部书记签字（盖章）：年月日",
            "（盖章）",
            "第4页共4页",
        ],
    );
    // Talks are listed, not printed in full.
    assert!(!text.contains("同志向党组织递交了入党申请书"), "{text}");
    assert!(!text.contains("None"), "{text}");
}

#[test]
fn injected_typst_prints_literally_and_missing_items_print_none() {
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
    assert_in_order(
        &zhang_rows,
        &["职务班长", "姓名刘一", "姓名陈二", "母亲孙梅无无无"],
    );

    let wang = squeeze(&layout_text(docs[1]));
    assert_in_order(
        &wang,
        &[
            "姓名王五性别男民族无出生年月2005年01月",
            "专业无",
            "班级无",
            "姓名无党内职务",
            "序号培训班类别起止时间学时成绩无",
            "序号谈话时间谈话地点谈话人谈话人职务谈话类型无",
            "称谓姓名出生年月政治面貌工作单位及职务无",
            "确定为发展对象时间：年月日",
        ],
    );
    assert!(!wang.contains("None"), "{wang}");
}

#[test]
fn a_rare_character_is_printed_or_reported() {
    let (r, dir) = run(&[
        "render",
        "activist-registration",
        "--data",
        &arg("rare/生僻字.xlsx"),
        "--out",
        "r.zip",
    ]);
    assert_eq!(r.code, 0, "warnings do not refuse the row: {}", r.all());
    assert!(
        r.stdout.contains("U+E000") && r.stdout.contains("入党积极分子登记表"),
        "the private-use character is reported: {}",
        r.stdout
    );
    let pdfs = pdfs(&dir.path().join("r.zip"));
    let all: String = pdfs.values().map(|p| pdf_text(p)).collect();
    assert!(all.contains('𠈌'), "𠈌 is printed by the Ext-B fallback");
}
