//! `dangjian render annual-appraisal` (党员民主评议表) as a user runs it: one form per 民主评议
//! row, `--year` keeps one year; the ballot, the decided grade ticked, the 七个一 record, the
//! year's study hours against the 32-学时 minimum, 评语 printed literally; bad cells and the
//! cross-row warnings reported by `dangjian check`.

mod support;

use std::path::Path;
use std::process::Command;
use support::*;

const LEDGER: &str = "sample/学生党建台账.xlsx";

/// 民主评议 rows of the ledger (fixtures/README.md): 69 in all, 38 of them for 2025.
const ALL_ROWS: usize = 69;
const ROWS_2025: usize = 38;

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

/// The squeezed layout line holding `item` (a 七个一 item's name).
fn line_with(layout: &str, item: &str) -> String {
    layout
        .lines()
        .find(|l| l.contains(item) && !l.contains("要求"))
        .map(squeeze)
        .unwrap_or_else(|| panic!("no line with {item}: {layout}"))
}

const INJECTION: &str = "#read(\"/etc/passwd\")]";

const ROSTER_HEADER: [&str; 13] = [
    "学号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "学院",
    "班级",
    "党支部",
    "发展阶段",
    "申请入党日期",
    "确定积极分子日期",
    "接收预备党员日期",
    "转正日期",
];

/// The 民主评议 header: A 学号 … I 评定等次, J 学习学时, K–Q 七个一, R 评语.
const APPRAISAL_HEADER: [&str; 18] = [
    "学号",
    "姓名",
    "年度",
    "自评等次",
    "优秀票",
    "合格票",
    "基本合格票",
    "不合格票",
    "评定等次",
    "学习学时",
    "民主生活会",
    "思想汇报",
    "党建报告",
    "教育影片",
    "学习交流",
    "参观教育基地",
    "社会实践",
    "评语",
];

/// Three roster rows: 赵一 and 钱二 full members since 2023, 孙三 预备党员 since 2025-03.
fn roster() -> Vec<Vec<&'static str>> {
    let member = |id, name, since_prob, since_full, stage| {
        vec![
            id,
            name,
            "男",
            "汉族",
            "2003-05-01",
            "文学院",
            "汉语2101",
            "学生第一党支部",
            stage,
            "2021-10-08",
            "2022-03-10",
            since_prob,
            since_full,
        ]
    };
    vec![
        ROSTER_HEADER.to_vec(),
        member("2021010101", "赵一", "2022-06-01", "2023-06-01", "正式党员"),
        member("2021010102", "钱二", "2022-06-01", "2023-06-01", "正式党员"),
        member("2021010103", "孙三", "2025-03-01", "", "预备党员"),
    ]
}

/// A ledger whose 2025 appraisals leave 学习学时 empty, so the hours come from the training
/// rows ending in 2025: 赵一 24 + 12 = 36 (已达到), 钱二 16 (未达到), 孙三 none (不适用).
fn hours_ledger(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("评议.xlsx");
    let special = format!("专题培训班{INJECTION}");
    let training = |id, name, course, start, end, hours| {
        vec![id, name, course, "党员", start, end, hours, "合格"]
    };
    let appraisal = |id, name, year, grade, comment| {
        vec![
            id, name, year, "合格", "n:3", "n:10", "n:1", "n:0", grade, "", "是", "n:2", "否",
            "1次", "", "√", "×", comment,
        ]
    };
    write_workbook(
        &path,
        &[
            ("花名册", roster()),
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
                    training(
                        "2021010101",
                        "赵一",
                        "2025年度集中轮训",
                        "2025-04-01",
                        "2025-04-30",
                        "n:24",
                    ),
                    training(
                        "2021010101",
                        "赵一",
                        &special,
                        "2025-12-28",
                        "2025-12-30",
                        "n:12",
                    ),
                    training(
                        "2021010101",
                        "赵一",
                        "2024年度集中轮训",
                        "2024-04-01",
                        "2024-04-30",
                        "n:40",
                    ),
                    training(
                        "2021010102",
                        "钱二",
                        "2025年度集中轮训",
                        "2024-12-20",
                        "2025-01-10",
                        "n:16",
                    ),
                ],
            ),
            (
                "民主评议",
                vec![
                    APPRAISAL_HEADER.to_vec(),
                    appraisal("2021010101", "赵一", "n:2025", "优秀", INJECTION),
                    appraisal("2021010102", "钱二", "n:2025", "基本合格", ""),
                    appraisal("2021010103", "孙三", "n:2025", "合格", ""),
                    appraisal("2021010101", "赵一", "n:2024", "合格", "上一年度"),
                ],
            ),
        ],
    );
    path
}

#[test]
fn year_keeps_that_years_appraisals_only() {
    let (r, dir) = run(&[
        "render",
        "annual-appraisal",
        "--year",
        "2025",
        "--data",
        &arg(LEDGER),
        "--out",
        "评议.zip",
    ]);
    assert_eq!(r.code, 0, "warnings only: {}", r.all());
    let forms = pdfs(&dir.path().join("评议.zip"));
    assert_eq!(forms.len(), ROWS_2025, "{:?}", forms.keys());
    assert!(
        forms
            .keys()
            .all(|p| p.ends_with("/年度民主评议表_2025.pdf") && p.split('/').count() == 4),
        "学院/党支部/学号_姓名/年度民主评议表_2025.pdf: {:?}",
        forms.keys()
    );
    assert!(
        r.stdout.contains(&format!("年度民主评议表 {ROWS_2025} 份")),
        "{}",
        r.stdout
    );
    // The other years' rows are listed as left out, naming the year asked for.
    let left_out: Vec<_> = manifest_records(&dir.path().join("评议.zip"))
        .into_iter()
        .filter(|rec| rec[8].contains("本次只生成 --year 2025"))
        .collect();
    assert_eq!(left_out.len(), ALL_ROWS - ROWS_2025);
    assert!(
        left_out
            .iter()
            .all(|rec| &rec[6] == "忽略" && rec[8].starts_with("2024 年度的评议")),
        "{left_out:?}"
    );

    let (r, dir) = run(&[
        "render",
        "annual-appraisal",
        "--data",
        &arg(LEDGER),
        "--out",
        "评议.zip",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    let pdfs = pdfs(&dir.path().join("评议.zip"));
    assert_eq!(pdfs.len(), ALL_ROWS);
    assert_eq!(
        pdfs.keys()
            .filter(|p| p.ends_with("/年度民主评议表_2024.pdf"))
            .count(),
        ALL_ROWS - ROWS_2025
    );
}

#[test]
fn a_form_holds_the_members_appraisal_in_order() {
    let (r, dir) = run(&[
        "render",
        "annual-appraisal",
        "--year",
        "2025",
        "--data",
        &arg(LEDGER),
        "--out",
        "r.zip",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    let pdfs = pdfs(&dir.path().join("r.zip"));
    // 吕艺露, 2025 (民主评议 row 35): a full member since 2024 with 28 学时 in the column.
    let pdf = &pdfs["马克思主义学院/学生第一党支部/2021031102_吕艺露/年度民主评议表_2025.pdf"];
    let layout = layout_text(pdf);
    let text = squeeze(&layout);
    assert_in_order(
        &text,
        &[
            "党员民主评议表",
            "（2025年度）",
            "党支部：马克思主义学院学生第一党支部",
            "姓名吕艺露性别女出生年月2003年3月民族汉族",
            "入党时间2023年7月7日转正时间2024年7月11日学历大学本科在读党员类别正式党员",
            "学号2021031102班级思政2101职务",
            // 个人总结, 互评 and 群众评议 from the ledger, the summary still signed by hand.
            "个人总结（自我评价）",
            "回顾2025年，我始终牢记党员身份，认真履行党员义务",
            "我决心认真改正不足，把党员标准落实到学习和生活的每一件小事中。",
            "本人签名：年月日",
            "党员互评意见",
            "支部党员一致认为吕艺露同志入党动机端正",
            "群众评议意见",
            "宿舍和班级同学评价良好",
            "民主测评结果",
            "优秀合格基本合格不合格应参评实参评",
            "14票4票2票0票21人20人",
            "评议等次：✓优秀合格基本合格不合格自评等次：合格",
            // The 七个一 table does not fit below: it moves to page 2 whole, with its caption
            // (never its header row alone at the bottom of page 1).
            "第1页共2页",
            "七个一落实情况",
            "序号项目要求（每名党员每学期至少）上学期下学期",
            "年度学习学时",
            "本年度学时28学时正式党员每年集中学习培训不少于32学时未达到",
            "党支部意见",
            "该同志能够严格遵守党的纪律",
            "支部书记签字（盖章）：年月日",
            "上级党组织意见",
            "（盖章）",
            "年月日",
            "备注",
            "第2页共2页",
        ],
    );
    assert_eq!(text.matches('✓').count(), 1, "one grade ticked: {text}");
    // The 七个一 record of row 35, kept per semester (上学期, 下学期).
    // (The 个人总结 mentions 社会实践 too: the table row is the line that starts with its number.)
    for (no, (item, terms)) in [
        ("民主生活会", ["否", "是"]),
        ("思想汇报", ["3次", "1次"]),
        ("党建报告", ["是", "是"]),
        ("教育影片", ["3次", "2次"]),
        ("学习交流", ["2次", "1次"]),
        ("参观教育基地", ["否", "是"]),
        ("社会实践", ["是", "是"]),
    ]
    .into_iter()
    .enumerate()
    {
        let row = format!("{}{item}", no + 1);
        let line = layout
            .lines()
            .map(squeeze)
            .find(|l| l.starts_with(&row))
            .unwrap_or_else(|| panic!("no 七个一 row {row}: {layout}"));
        assert!(
            line.ends_with(&terms.concat()),
            "{item}: {terms:?} expected in {line}"
        );
    }
    assert!(!text.contains("None"), "{text}");
}

#[test]
fn hours_come_from_training_when_the_column_is_empty() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = hours_ledger(dir.path());
    let r = run_in(
        dir.path(),
        &[
            "render",
            "annual-appraisal",
            "--year",
            "2025",
            "--data",
            &data.to_string_lossy(),
            "--out",
            "r.zip",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let pdfs = pdfs(&dir.path().join("r.zip"));
    assert_eq!(pdfs.len(), 3, "{:?}", pdfs.keys());
    let text_of = |id: &str| {
        let (_, pdf) = pdfs
            .iter()
            .find(|(p, _)| p.contains(id))
            .unwrap_or_else(|| panic!("{id}'s form"));
        (squeeze(&pdf_text(pdf)), layout_text(pdf))
    };

    let (zhao, zhao_layout) = text_of("2021010101_赵一");
    assert_in_order(
        &squeeze(&zhao_layout),
        &[
            "评议等次：✓优秀合格基本合格不合格",
            "36学时",
            "已达到",
            "2025年度集中轮训（24学时）",
        ],
    );
    assert!(
        zhao.contains(&format!("专题培训班{INJECTION}（12学时）")),
        "the course prints literally: {zhao}"
    );
    assert_eq!(
        zhao.matches(INJECTION).count(),
        2,
        "the course and the 评语 print literally: {zhao}"
    );
    assert!(
        !zhao.contains("2024年度集中轮训"),
        "other years' courses don't count"
    );
    assert!(!zhao.contains("root:x:0:0"), "nothing from /etc/passwd");
    // 七个一 as 是/否/N次, an empty cell left blank for the branch to fill in.
    for (item, value) in [
        ("民主生活会", "是"),
        ("思想汇报", "2次"),
        ("党建报告", "否"),
        ("教育影片", "1次"),
        ("学习交流", "交流会"),
        ("参观教育基地", "是"),
        ("社会实践", "否"),
    ] {
        let line = line_with(&zhao_layout, item);
        assert!(line.ends_with(value), "{item}: {value} expected in {line}");
    }

    let (_, qian) = text_of("2021010102_钱二");
    assert_in_order(
        &squeeze(&qian),
        &[
            "评议等次：优秀合格✓基本合格不合格",
            "16学时",
            "未达到",
            "2025年度集中轮训（16学时）",
            "党支部意见",
        ],
    );

    let (_, sun) = text_of("2021010103_孙三");
    let sun = squeeze(&sun);
    assert_in_order(
        &sun,
        &[
            "入党时间2025年3月1日转正时间学历党员类别预备党员",
            "0学时",
            "不适用",
            "本表未填学习学时，且无2025年度党校培训记录。",
        ],
    );
    assert!(!sun.contains("已达到") && !sun.contains("未达到"), "{sun}");
}

#[test]
fn check_names_the_bad_cells_of_the_appraisal_sheet() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("坏评议.xlsx");
    let row = |id, name, votes_qualified, grade| {
        vec![
            id,
            name,
            "n:2025",
            "合格",
            "n:3",
            votes_qualified,
            "n:1",
            "n:0",
            grade,
            "n:32",
            "是",
            "是",
            "是",
            "是",
            "是",
            "是",
            "是",
            "",
        ]
    };
    write_workbook(
        &path,
        &[
            ("花名册", roster()),
            (
                "民主评议",
                vec![
                    APPRAISAL_HEADER.to_vec(),
                    row("2021010101", "赵一", "n:-3", "合格"),
                    row("2021010102", "钱二", "n:10", "良好"),
                    row("2021010103", "孙三", "n:10", "合格"),
                ],
            ),
        ],
    );
    let data = path.to_string_lossy().to_string();
    let r = run_in(dir.path(), &["check", "--data", &data]);
    assert_eq!(r.code, 1, "errors found: {}", r.all());
    for needle in [
        "坏评议.xlsx › 民主评议 › F2",
        "合格票",
        "-3",
        "不小于 0",
        "坏评议.xlsx › 民主评议 › I3",
        "评定等次",
        "良好",
        "优秀、合格、基本合格 或 不合格",
    ] {
        assert!(
            r.stdout.contains(needle),
            "check lacks {needle}: {}",
            r.stdout
        );
    }

    // The two bad rows get no form; the good one does.
    let r = run_in(
        dir.path(),
        &[
            "render",
            "annual-appraisal",
            "--data",
            &data,
            "--out",
            "r.zip",
        ],
    );
    assert_eq!(r.code, 1, "rows refused: {}", r.all());
    let pdfs = pdfs(&dir.path().join("r.zip"));
    assert_eq!(
        pdfs.keys().cloned().collect::<Vec<_>>(),
        ["文学院/学生第一党支部/2021010103_孙三/年度民主评议表_2025.pdf"]
    );
}

#[test]
fn vote_total_and_excellent_share_warnings_are_reported() {
    let (r, _dir) = run(&["check", "--data", &arg(LEDGER)]);
    assert_eq!(r.code, 0, "warnings only: {}", r.all());
    // fixtures/README.md: 民主评议 F60, 外国语学院学生第一党支部 2025 totals 18 instead of 16.
    assert!(
        r.stdout.lines().any(|l| l.contains("民主评议 › 第60行")
            && l.contains("外国语学院学生第一党支部 2025 年度的票数合计为 18")
            && l.contains("多为 16")),
        "{}",
        r.stdout
    );
    // More than a third 优秀 in a branch and year.
    assert!(
        r.stdout.lines().any(|l| l.contains("民主评议 › 第")
            && l.contains("评为优秀的有")
            && l.contains("超过参评")
            && l.contains("三分之一")),
        "{}",
        r.stdout
    );

    // The forms are still made, and the run's summary carries the warning.
    let (r, dir) = run(&[
        "render",
        "annual-appraisal",
        "--year",
        "2025",
        "--data",
        &arg(LEDGER),
        "--out",
        "r.zip",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(pdfs(&dir.path().join("r.zip")).len(), ROWS_2025);
    assert!(r.stdout.contains("警告：24 条"), "{}", r.stdout);
    let records = manifest_records(&dir.path().join("r.zip"));
    let row60 = records
        .iter()
        .find(|r| &r[1] == "民主评议" && &r[2] == "60")
        .expect("row 60 in the manifest");
    assert_eq!(
        &row60[6], "生成",
        "a warning does not refuse the row: {row60:?}"
    );
    // The manifest names the warning on the row it concerns.
    assert!(
        row60[8].starts_with("[警告] ") && row60[8].contains("票数合计为 18"),
        "{row60:?}"
    );
}

/// An appraisal of someone who is not a party member in that year is a warning on its 年度
/// cell; the branch line names the college once when the branch already names it.
#[test]
fn a_non_member_appraisal_is_flagged_and_the_branch_is_not_doubled() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("评议.xlsx");
    let person = |id, name, since_prob, since_full, stage| {
        vec![
            id,
            name,
            "男",
            "汉族",
            "2003-05-01",
            "文学院",
            "汉语2101",
            "文学院学生第1党支部",
            stage,
            "2021-10-08",
            "2022-03-10",
            since_prob,
            since_full,
        ]
    };
    let appraisal = |id, name| {
        vec![
            id, name, "n:2025", "合格", "n:3", "n:10", "n:1", "n:0", "合格", "n:32", "是", "n:2",
            "否", "1次", "", "√", "×", "",
        ]
    };
    write_workbook(
        &path,
        &[
            (
                "花名册",
                vec![
                    ROSTER_HEADER.to_vec(),
                    person("2021010101", "赵一", "2022-06-01", "2023-06-01", "正式党员"),
                    person("2021010104", "李四", "", "", "入党积极分子"),
                ],
            ),
            (
                "民主评议",
                vec![
                    APPRAISAL_HEADER.to_vec(),
                    appraisal("2021010101", "赵一"),
                    appraisal("2021010104", "李四"),
                ],
            ),
        ],
    );
    let r = run_in(
        dir.path(),
        &[
            "render",
            "annual-appraisal",
            "--data",
            &path.to_string_lossy(),
            "--out",
            "r.zip",
        ],
    );
    assert_eq!(r.code, 0, "a warning does not refuse the row: {}", r.all());
    let warning = r
        .stdout
        .lines()
        .find(|l| l.contains("不是预备党员或正式党员"))
        .unwrap_or_else(|| panic!("the non-member is flagged: {}", r.stdout));
    assert!(
        warning.contains("李四") && warning.contains("第3行") && warning.contains("「年度」"),
        "{warning}"
    );
    assert!(!r.stdout.contains("赵一 在 2025"), "{}", r.stdout);
    let pdfs = pdfs(&dir.path().join("r.zip"));
    for pdf in pdfs.values() {
        let text = squeeze(&pdf_text(pdf));
        assert!(text.contains("党支部：文学院学生第1党支部"), "{text}");
        assert!(!text.contains("文学院文学院"), "{text}");
    }
}

/// The §5B columns fill their sections: 个人总结 (a long one flows onto the next page, its
/// last paragraph on the page of 本人签名), 互评意见, 群众评议意见, 应参评 / 实参评, the 七个一 per
/// semester, 学历, 备注; dates unspaced; too many 实参评 is a warning on its cell.
#[test]
fn the_optional_columns_fill_every_section() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("评议.xlsx");
    let mut roster_header = ROSTER_HEADER.to_vec();
    roster_header.push("学历");
    let mut zhao = roster()[1].clone();
    zhao.push("本科在读");
    let mut header: Vec<&str> = APPRAISAL_HEADER[..10].to_vec();
    header.extend([
        "民主生活会（上学期）",
        "民主生活会（下学期）",
        "思想汇报(上学期)",
        "思想汇报(下学期)",
        "评语",
        "自我评价",
        "党员互评意见",
        "群众评议意见",
        "应参评人数",
        "实参评人数",
        "备注",
    ]);
    let paragraph = "本年度我认真学习党的理论，按时参加组织生活，积极完成支部交给的各项任务，在学习和生活中注意发挥党员的先锋模范作用。";
    let summary: String = (1..=26)
        .map(|i| format!("{i}. {paragraph}"))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n今后我将继续努力，改正不足。";
    let row = vec![
        "2021010101",
        "赵一",
        "n:2025",
        "合格",
        "n:3",
        "n:10",
        "n:1",
        "n:0",
        "合格",
        "n:40",
        "是",
        "否",
        "n:2",
        "n:1",
        "表现良好。",
        summary.as_str(),
        "同志们认为该同志学习认真。",
        "群众反映良好。",
        "n:20",
        "n:21",
        "因病缺席一次组织生活。",
    ];
    write_workbook(
        &path,
        &[
            ("花名册", vec![roster_header, zhao]),
            ("民主评议", vec![header, row]),
        ],
    );
    let r = run_in(
        dir.path(),
        &[
            "render",
            "annual-appraisal",
            "--data",
            &path.to_string_lossy(),
            "--out",
            "r.zip",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout
            .lines()
            .any(|l| l.contains("实参评人数 21 多于应参评人数 20") && l.contains("「实参评人数」")),
        "{}",
        r.stdout
    );
    let pdfs = pdfs(&dir.path().join("r.zip"));
    let pdf = pdfs.values().next().expect("one form");
    let layout = layout_text(pdf);
    let text = squeeze(&layout);
    assert_in_order(
        &text,
        &[
            "党员民主评议表",
            "（2025年度）",
            "党支部：文学院学生第一党支部",
            "入党时间2022年6月1日转正时间2023年6月1日学历大学本科在读党员类别正式党员",
            "个人总结（自我评价）",
            "1.本年度我认真学习党的理论",
            "个人总结（自我评价）（续）",
            "今后我将继续努力，改正不足。",
            "本人签名：年月日",
            "党员互评意见",
            "同志们认为该同志学习认真。",
            "群众评议意见",
            "群众反映良好。",
            "民主测评结果",
            "3票10票1票0票20人21人",
            "评议等次：优秀✓合格基本合格不合格自评等次：合格",
            "序号项目要求（每名党员每学期至少）上学期下学期",
            "党支部意见",
            "表现良好。",
            "支部书记签字（盖章）：年月日",
            "上级党组织意见",
            "备注",
            "因病缺席一次组织生活。",
        ],
    );
    // The last paragraph of the summary and the signature are on one page.
    let pages: Vec<&str> = layout.split('\u{c}').collect();
    let last_para = pages
        .iter()
        .position(|p| squeeze(p).contains("今后我将继续努力"))
        .expect("the last paragraph");
    assert!(squeeze(pages[last_para]).contains("本人签名：年月日"));
    // Semester values in their columns; no semester column for an item: both blank.
    assert!(squeeze(&line_with(&layout, "民主生活会")).ends_with("是否"));
    assert!(squeeze(&line_with(&layout, "思想汇报")).contains("2次1次"));
    assert!(squeeze(&line_with(&layout, "社会实践")).ends_with("社会实践活动"));
    for date in ["2022年6月1日", "2023年6月1日"] {
        assert!(layout.contains(date), "{date} unspaced: {layout}");
    }
}

#[test]
fn long_opinions_flow_across_pages_and_keep_their_last_lines_with_the_signature() {
    let dir = tempfile::tempdir().unwrap();
    let sentence =
        "该同志政治立场坚定，认真学习党的理论，积极参加组织生活，团结同学，学习成绩优良。";
    // 党支部意见 (评语) of nine paragraphs, 个人总结 of one 4 000-character paragraph: each far
    // more than a page.
    let comment: Vec<String> = (0..9).map(|_| sentence.repeat(6)).collect();
    let summary = format!("{}我将继续努力，争取更大进步。", sentence.repeat(100));
    std::fs::write(
        dir.path().join("花名册.csv"),
        "学号,姓名,性别,出生日期,学院,党支部,发展阶段,接收预备党员日期,转正日期\n\
         2023990101,张晓明,男,2003-03-15,测试学院,学生第一党支部,正式党员,2023-06-01,2024-06-01\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("民主评议.csv"),
        format!(
            "学号,姓名,年度,评定等次,个人总结,评语\n2023990101,张晓明,2025,合格,\"{summary}\",\"{}最后一句为支部结论。\"\n",
            comment.join("\n")
        ),
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &[
            "render",
            "annual-appraisal",
            "--data",
            "花名册.csv",
            "--data",
            "民主评议.csv",
            "--out",
            "a.zip",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let pdfs = pdfs(&dir.path().join("a.zip"));
    let pdf = pdfs.values().next().expect("one form");
    let text = pdf_text(pdf);
    let pages: Vec<String> = text.split('\u{c}').map(squeeze).collect();
    assert!(pages.len() > 3, "{} pages", pages.len());
    // Every word of the texts is printed (nothing clipped), and the signature lines share
    // their page with the texts' last sentences.
    let all: String = pages.concat();
    assert_eq!(all.matches("学习成绩优良。").count(), 100 + 9 * 6, "{all}");
    let signed = |sign: &str, last: &str| {
        pages
            .iter()
            .find(|p| p.contains(sign))
            .unwrap_or_else(|| panic!("no page with {sign}"))
            .contains(last)
    };
    assert!(signed("本人签名", "我将继续努力，争取更大进步。"));
    assert!(signed("支部书记签字", "最后一句为支部结论。"));
    // No word below the bottom margin of an A4 page (842 pt high, footer at ≈ 800 pt).
    for (word, _, _, y_max) in word_boxes(pdf) {
        assert!(
            y_max < 815.0,
            "{word} drawn at y {y_max}, past the page's text area"
        );
    }
}
