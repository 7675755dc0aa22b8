//! `dangjian render political-review` (发展对象政治审查表) as a user runs it: one form per
//! review row, the personal grid and the review where a reader looks for them, the family
//! table in input order (its header repeated when it breaks across pages, 无 when empty),
//! the family rows listed as used in the manifest, typst injection, and bad cells reported.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use support::*;

const LEDGER: &str = "sample/学生党建台账.xlsx";

/// The family table's caption and column heads, squeezed.
const FAMILY_CAPTION: &str = "家庭主要成员及主要社会关系";
const FAMILY_HEADS: &str = "称谓姓名出生年月政治面貌工作单位及职务";

/// The text of a PDF with its layout kept (`pdftotext -layout`), as pages of squeezed
/// lines (blank lines dropped): a table row is one line.
fn layout_pages(pdf: &[u8]) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/install-test-deps.sh)");
    assert!(out.status.success(), "pdftotext reads the PDF");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut pages: Vec<Vec<String>> = text
        .split('\u{c}')
        .map(|page| {
            page.lines()
                .map(squeeze)
                .filter(|l| !l.is_empty())
                .collect()
        })
        .collect();
    if pages.last().is_some_and(Vec::is_empty) {
        pages.pop();
    }
    pages
}

/// The index of the first line equal to `line`, panicking with the page when absent.
fn line_at(lines: &[String], line: &str) -> usize {
    lines
        .iter()
        .position(|l| l == line)
        .unwrap_or_else(|| panic!("line {line} in {lines:#?}"))
}

/// The data rows of one sheet of a workbook as column → text maps (calamine).
fn sheet_records(path: &Path, sheet: &str, first_column: &str) -> Vec<BTreeMap<String, String>> {
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect();
    let header_at = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c == first_column))
        .expect("a header row");
    let header = rows[header_at].clone();
    rows[header_at + 1..]
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

/// 出生年月 as the form prints it, from the ledger's text forms (1975.03, 1975年3月, 197503).
fn printed_month(cell: &str) -> String {
    let digits: Vec<String> = cell
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let (year, month) = match digits.as_slice() {
        [ym] if ym.len() == 6 => (ym[..4].to_string(), ym[4..].to_string()),
        [y, m, ..] => (y.clone(), m.clone()),
        _ => panic!("a month: {cell}"),
    };
    format!("{year}年{}月", month.parse::<u32>().unwrap())
}

/// A family row as printed on one line, squeezed.
fn family_line(r: &BTreeMap<String, String>) -> String {
    squeeze(&format!(
        "{}{}{}{}{}",
        r["称谓"],
        r["成员姓名"],
        printed_month(&r["出生年月"]),
        r["政治面貌"],
        r["工作单位及职务"]
    ))
}

/// The right edge of the ruled tables: A4 width minus the 2.2 cm margin, in points.
const RIGHT_EDGE: f64 = 595.2756 - 2.2 / 2.54 * 72.0;

/// A resident ID number with its GB 11643 check character.
fn id_number(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    format!("{first17}{}", CHECK[(sum % 11) as usize])
}

const ROSTER_HEADER: &[&str] = &[
    "学号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "籍贯",
    "学院",
    "专业",
    "班级",
    "党支部",
    "申请入党日期",
    "确定积极分子日期",
    "确定发展对象日期",
];
const REVIEW_HEADER: &[&str] = &[
    "学号",
    "姓名",
    "审查日期",
    "审查方式",
    "本人政治表现",
    "审查结论",
    "审查人",
];
const RELATIVE_HEADER: &[&str] = &[
    "学号",
    "姓名",
    "称谓",
    "成员姓名",
    "出生年月",
    "政治面貌",
    "工作单位及职务",
];

/// The roster row of the made-up student 2023990101 张晓明.
fn roster_row() -> Vec<String> {
    vec![
        "2023990101".into(),
        "张晓明".into(),
        "男".into(),
        "汉族".into(),
        "2004-03-15".into(),
        id_number("32010220040315101"),
        "江苏南京".into(),
        "测试学院".into(),
        "软件工程".into(),
        "软工2301".into(),
        "学生第一党支部".into(),
        "2022-10-08".into(),
        "2023-04-10".into(),
        "2024-04-20".into(),
    ]
}

/// A review row of 张晓明.
fn review_row(date: &str, method: &str, performance: &str, conclusion: &str) -> Vec<String> {
    [
        "2023990101",
        "张晓明",
        date,
        method,
        performance,
        conclusion,
        "李建国、王敏",
    ]
    .map(String::from)
    .to_vec()
}

/// A family row of 张晓明.
fn relative_row(
    relation: &str,
    member: &str,
    birth: &str,
    status: &str,
    work: &str,
) -> Vec<String> {
    [
        "2023990101",
        "张晓明",
        relation,
        member,
        birth,
        status,
        work,
    ]
    .map(String::from)
    .to_vec()
}

/// Renders political reviews from a workbook with the given review and family rows.
fn render_reviews(
    reviews: Vec<Vec<String>>,
    relatives: Vec<Vec<String>>,
) -> (Run, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("政审.xlsx");
    write_xlsx(
        &data,
        &[
            ("花名册", ROSTER_HEADER, vec![roster_row()]),
            ("政治审查", REVIEW_HEADER, reviews),
            ("家庭成员", RELATIVE_HEADER, relatives),
        ],
    );
    let r = run_in(
        dir.path(),
        &[
            "render",
            "political-review",
            "--data",
            &data.to_string_lossy(),
            "--out",
            "r.zip",
        ],
    );
    let pdfs = if dir.path().join("r.zip").exists() {
        pdfs(&dir.path().join("r.zip"))
    } else {
        BTreeMap::new()
    };
    (r, pdfs)
}

#[test]
fn the_sample_makes_one_review_per_row_with_the_family_rows_as_used() {
    let (r, dir) = run(&[
        "render",
        "political-review",
        "--data",
        &arg(LEDGER),
        "--out",
        "r.zip",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.all());
    let zip = dir.path().join("r.zip");
    let reviews = sheet_records(&fixture(LEDGER), "政治审查", "学号");
    let pdfs = pdfs(&zip);
    assert_eq!(pdfs.len(), reviews.len(), "one form per review row");
    assert!(
        pdfs.keys().all(|p| p.ends_with("/发展对象政治审查表.pdf")),
        "{:?}",
        pdfs.keys()
    );
    assert!(
        r.stdout
            .contains(&format!("发展对象政治审查表 {} 份", reviews.len())),
        "{}",
        r.stdout
    );
    // Every family row of a reviewed student is listed as generated, with the form's path.
    let reviewed: BTreeMap<&str, &str> = reviews
        .iter()
        .map(|r| (r["学号"].as_str(), r["姓名"].as_str()))
        .collect();
    let records = manifest_records(&zip);
    let family: Vec<_> = records.iter().filter(|r| &r[1] == "家庭成员").collect();
    let mut used = 0;
    for row in family.iter().filter(|r| reviewed.contains_key(&r[4])) {
        assert_eq!(&row[6], "生成", "{row:?}");
        assert!(
            row[7].ends_with(&format!("/{}_{}/发展对象政治审查表.pdf", &row[4], &row[5])),
            "{row:?}"
        );
        used += 1;
    }
    assert!(used > 100, "the reviewed students' family rows: {used}");
}

#[test]
fn the_twelve_relatives_are_printed_in_input_order() {
    let relatives: Vec<_> = sheet_records(&fixture(LEDGER), "家庭成员", "学号")
        .into_iter()
        .filter(|r| r["学号"] == "2022031101")
        .collect();
    assert_eq!(relatives.len(), 12, "谢志 has 12 relatives");
    let (r, dir) = run(&[
        "render",
        "political-review",
        "--data",
        &arg(LEDGER),
        "--out",
        "r.zip",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.all());
    let pdfs = pdfs(&dir.path().join("r.zip"));
    let pdf = pdfs
        .iter()
        .find(|(p, _)| p.contains("/2022031101_谢志/"))
        .map(|(_, pdf)| pdf)
        .expect("谢志's review");
    let lines: Vec<String> = layout_pages(pdf).concat();
    let heads = line_at(&lines, FAMILY_HEADS);
    assert_eq!(lines[heads - 1], FAMILY_CAPTION);
    assert_eq!(lines[heads + 1], family_line(&relatives[0]));
    // Each row on a line of its own, in input order (a page break may come between rows).
    let expected: Vec<String> = relatives.iter().map(family_line).collect();
    let printed: Vec<&String> = lines.iter().filter(|l| expected.contains(l)).collect();
    assert_eq!(printed, expected.iter().collect::<Vec<_>>());
}

/// The text of a PDF in the order typst wrote it (`pdftotext -raw`), squeezed: a vertical
/// label reads as one word, before the box it labels.
fn raw_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/install-test-deps.sh)");
    assert!(out.status.success(), "pdftotext reads the PDF");
    squeeze(&String::from_utf8_lossy(&out.stdout))
}

/// The section titles of FORMS.md §3B, in order.
const SECTIONS: [&str; 25] = [
    "发展对象政治审查表",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "籍贯",
    "文化程度",
    "政治面貌",
    "身份证号",
    "工作（学习）单位及职务",
    "申请入党时间",
    "确定为入党积极分子时间",
    "确定为发展对象时间",
    "本人简历",
    "起止年月",
    "奖惩情况",
    "家庭主要成员及主要社会关系",
    "政治审查内容",
    "审查方式",
    "政审结论",
    "政审人（签名）：年月日",
    "党支部意见",
    "支部书记签字（盖章）：年月日",
    "基层党委意见",
    "（盖章）年月日",
];

/// Asserts that `text` holds every section title of the form, in order.
fn assert_sections_in_order(text: &str) {
    let mut from = 0;
    for section in SECTIONS {
        let at = text[from..]
            .find(section)
            .unwrap_or_else(|| panic!("{section} after {} in {text}", &text[..from]));
        from += at + section.len();
    }
}

#[test]
fn a_review_prints_each_label_with_its_value() {
    let (r, pdfs) = render_reviews(
        vec![review_row(
            "2025-05-20",
            "本人谈话、查阅档案、走访调查",
            "该同志政治立场坚定，拥护党的路线方针政策。",
            "经审查，该同志政治历史清楚，政治审查合格。",
        )],
        vec![
            relative_row("父亲", "张建华", "1975.03", "中共党员", "南京某公司 工程师"),
            relative_row("母亲", "刘秀英", "1976年8月", "群众", "南京某小学 教师"),
            relative_row("祖父", "张德明", "194811", "群众", "退休"),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(pdfs.len(), 1);
    let (path, pdf) = pdfs.iter().next().unwrap();
    assert_eq!(
        path,
        "测试学院/学生第一党支部/2023990101_张晓明/发展对象政治审查表.pdf"
    );
    let pages = layout_pages(pdf);
    assert_eq!(pages.len(), 2, "a short review is two pages");
    let lines = pages.concat();
    let id = id_number("32010220040315101");
    // Each grid row is one line: label, value, label, value …
    for line in [
        "所在党支部：测试学院学生第一党支部审查日期：2025年5月20日".to_string(),
        "姓名张晓明性别男民族汉族出生年月2004年3月".to_string(),
        "籍贯江苏南京文化程度政治面貌".to_string(),
        format!("身份证号{id}学号2023990101"),
        FAMILY_CAPTION.to_string(),
        FAMILY_HEADS.to_string(),
        "审查方式✓同本人谈话✓查阅档案函调外调✓其他：走访调查".to_string(),
        "政审人（签名）：年月日".to_string(),
        "支部书记签字（盖章）：年月日".to_string(),
        "（盖章）".to_string(),
        "年月日".to_string(),
    ] {
        line_at(&lines, &line);
    }
    let dates = line_at(
        &lines,
        "申请入党时间确定为入党积极分子时间确定为发展对象时间",
    );
    assert_eq!(lines[dates + 1], "2022年10月8日2023年4月10日2024年4月20日");
    let heads = line_at(&lines, FAMILY_HEADS);
    assert_eq!(
        &lines[heads + 1..heads + 4],
        &[
            "父亲张建华1975年3月中共党员南京某公司工程师",
            "母亲刘秀英1976年8月群众南京某小学教师",
            "祖父张德明1948年11月群众退休",
        ]
    );
    let text = raw_text(pdf);
    assert_sections_in_order(&text);
    assert!(
        text.contains("测试学院软件工程专业软工2301班学生"),
        "{text}"
    );
    // Dates and months read back whole, without spaces.
    let plain = pdf_text(pdf);
    for date in [
        "审查日期：2025年5月20日",
        "2022年10月8日",
        "2004年3月",
        "1948年11月",
    ] {
        assert!(plain.contains(date), "{date} in {plain}");
    }
    assert!(
        text.contains("本人政治表现该同志政治立场坚定，拥护党的路线方针政策。"),
        "{text}"
    );
    assert!(text.contains("经审查，该同志政治历史清楚，政治审查合格。"));
    // No 政审结论 column: neither box is ticked; the typed reviewer is not the signature.
    assert!(
        text.contains("合格不合格审查人：李建国、王敏政审人（签名）：年月日"),
        "{text}"
    );
    assert_eq!(
        text.matches('✓').count(),
        3,
        "only the three methods: {text}"
    );
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(page.last().unwrap(), &format!("第{}页共2页", i + 1));
    }
}

#[test]
fn a_review_with_no_data_for_a_section_still_has_it() {
    let (r, pdfs) = render_reviews(
        vec![review_row("2025-05-20", "", "", "政审合格。")],
        Vec::new(),
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let pdf = pdfs.values().next().expect("a form");
    let text = raw_text(pdf);
    assert_sections_in_order(&text);
    // The four areas a 政审 covers, as a prompt in the empty box.
    assert!(text.contains("对党的理论和路线方针政策的态度"), "{text}");
    for bad in ["None", "none", "undefined"] {
        assert!(!text.contains(bad), "{bad} in {text}");
    }
}

#[test]
fn the_optional_columns_fill_the_grid_and_tick_the_conclusion() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("政审.xlsx");
    let mut roster_header = ROSTER_HEADER.to_vec();
    roster_header.extend(["政治面貌", "学历", "奖惩情况", "职务"]);
    let mut roster = roster_row();
    // A branch that already names its college is printed as it is, never doubled.
    roster[10] = "测试学院学生第1党支部".into();
    roster.extend(["团员", "本科在读", "2024年获校级三好学生。", "班长"].map(String::from));
    let mut review_header = REVIEW_HEADER.to_vec();
    review_header.extend(["政审结论", "审查内容"]);
    let mut passed = review_row("2025-05-20", "函调", "", "同意。");
    passed.extend(["合格", "经函调，户籍地党组织回函无异常。"].map(String::from));
    write_xlsx(
        &data,
        &[
            ("花名册", roster_header.as_slice(), vec![roster]),
            ("政治审查", review_header.as_slice(), vec![passed]),
            ("家庭成员", RELATIVE_HEADER, Vec::new()),
        ],
    );
    let r = run_in(
        dir.path(),
        &[
            "render",
            "political-review",
            "--data",
            &data.to_string_lossy(),
            "--out",
            "r.zip",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let pdfs = pdfs(&dir.path().join("r.zip"));
    let pdf = pdfs.values().next().expect("a form");
    let lines = layout_pages(pdf).concat();
    line_at(&lines, "籍贯江苏南京文化程度大学本科在读政治面貌共青团员");
    let text = raw_text(pdf);
    assert_sections_in_order(&text);
    assert!(!text.contains("测试学院测试学院"), "{text}");
    let plain = pdf_text(pdf);
    assert!(
        plain.contains("所在党支部：测试学院学生第1党支部"),
        "{plain}"
    );
    for needle in [
        "奖惩情况2024年获校级三好学生。",
        "审查情况经函调，户籍地党组织回函无异常。",
        "测试学院软件工程专业软工2301班学生，班长",
        "✓合格不合格审查人：",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }

    // A bad 政审结论, 政治面貌 or 学历 is named by its cell.
    let mut roster = roster_row();
    roster.extend(["团干部", "很高", "", ""].map(String::from));
    let mut bad = review_row("2025-05-20", "函调", "", "同意。");
    bad.extend(["基本合格", ""].map(String::from));
    write_xlsx(
        &data,
        &[
            ("花名册", roster_header.as_slice(), vec![roster]),
            ("政治审查", review_header.as_slice(), vec![bad]),
            ("家庭成员", RELATIVE_HEADER, Vec::new()),
        ],
    );
    let r = run_in(dir.path(), &["check", "--data", &data.to_string_lossy()]);
    assert_eq!(r.code, 1, "{}", r.all());
    for (cell, value, column) in [
        ("政审.xlsx › 花名册 › O2", "团干部", "政治面貌"),
        ("政审.xlsx › 花名册 › P2", "很高", "文化程度"),
        ("政审.xlsx › 政治审查 › H2", "基本合格", "政审结论"),
    ] {
        assert!(r.stdout.contains(cell), "{cell}: {}", r.stdout);
        assert!(r.stdout.contains(value), "{value}: {}", r.stdout);
        assert!(r.stdout.contains(column), "{column}: {}", r.stdout);
    }
}

#[test]
fn a_long_family_table_repeats_its_header_on_every_page() {
    const SURNAMES: [char; 5] = ['王', '李', '赵', '周', '吴'];
    const GIVEN: [char; 8] = ['一', '二', '三', '四', '五', '六', '七', '八'];
    let relatives: Vec<Vec<String>> = (0..40)
        .map(|i| {
            let name = format!("{}{}{}", SURNAMES[i / 8], GIVEN[i % 8], '明');
            relative_row(
                ["叔叔", "姑姑", "舅舅", "姨妈"][i % 4],
                &name,
                &format!("{}.{:02}", 1950 + i, i % 12 + 1),
                "群众",
                &format!("某市第{}中学 教师", i + 1),
            )
        })
        .collect();
    let expected: Vec<String> = (0..40)
        .map(|i| {
            squeeze(&format!(
                "{}{}{}{}{}年{}月群众某市第{}中学教师",
                ["叔叔", "姑姑", "舅舅", "姨妈"][i % 4],
                SURNAMES[i / 8],
                GIVEN[i % 8],
                '明',
                1950 + i,
                i % 12 + 1,
                i + 1
            ))
        })
        .collect();
    let (r, pdfs) = render_reviews(
        vec![review_row("2025-05-20", "函调", "", "政审合格。")],
        relatives,
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let pages = layout_pages(pdfs.values().next().expect("a form"));
    let n = pages.len();
    assert!(n >= 3, "40 relatives need more than two pages: {n}");
    let mut printed = Vec::new();
    let mut family_pages = 0;
    for (i, page) in pages.iter().enumerate() {
        let rows: Vec<usize> = page
            .iter()
            .enumerate()
            .filter(|(_, l)| expected.contains(l))
            .map(|(j, _)| j)
            .collect();
        if let Some(&first) = rows.first() {
            family_pages += 1;
            // The caption and the column heads come first on every page of the table.
            let heads = line_at(page, FAMILY_HEADS);
            assert_eq!(page[heads - 1], FAMILY_CAPTION, "page {}", i + 1);
            assert_eq!(first, heads + 1, "page {}: rows follow the heads", i + 1);
            printed.extend(rows.iter().map(|&j| page[j].clone()));
        }
        assert_eq!(page.last().unwrap(), &format!("第{}页共{n}页", i + 1));
    }
    assert!(family_pages >= 2, "the table breaks across pages");
    assert_eq!(printed, expected, "every row once, in input order");
}

#[test]
fn long_unbroken_text_wraps_inside_its_cell() {
    let url = format!("https://example.com/{}", "abcdefghij".repeat(12));
    let (r, pdfs) = render_reviews(
        vec![review_row(
            "2025-05-20",
            "函调",
            &url,
            &format!("政审合格。{url}"),
        )],
        vec![relative_row(
            "父亲",
            "ABDULRAHMANBINISMAIL",
            "1975.03",
            "MemberOfSomething",
            &url,
        )],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let pdf = pdfs.values().next().expect("a form");
    for (word, _, x_max, _) in word_boxes(pdf) {
        assert!(
            x_max <= RIGHT_EDGE + 0.5,
            "{word} ends at {x_max} pt, past the table"
        );
    }
    // In the family table, the name stays inside its column (2.0 cm to 4.6 cm from the margin).
    let column = (2.2 + 2.0 + 2.6) / 2.54 * 72.0;
    for (word, x_min, x_max, _) in word_boxes(pdf) {
        if "ABDULRAHMANBINISMAIL".contains(&word) && word.len() > 3 && x_min < column {
            assert!(
                x_max <= column,
                "{word} ends at {x_max} pt, past its column"
            );
        }
    }
    let text = squeeze(&pdf_text(pdf));
    assert!(text.matches(&url).count() >= 2, "{text}");
    assert!(text.contains("ABDULRAHMANBINISMAIL"), "{text}");
    assert_eq!(pages_of(pdf), 2, "nothing spills onto an extra page");
}

/// The number of pages of a PDF.
fn pages_of(pdf: &[u8]) -> usize {
    layout_pages(pdf).len()
}

#[test]
fn a_conclusion_of_many_lines_flows_and_keeps_the_opinion_boxes() {
    let conclusion: Vec<String> = (1..=40)
        .map(|i| format!("第{i}条：经查，情况属实。"))
        .collect();
    let (r, pdfs) = render_reviews(
        vec![review_row("2025-05-20", "函调", "", &conclusion.join("\n"))],
        vec![relative_row("父亲", "张建华", "1975.03", "群众", "工人")],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let pdf = pdfs.values().next().expect("a form");
    // Nothing runs into the bottom margin (only the page numbers live there).
    let bottom = 841.8898 - 2.2 / 2.54 * 72.0;
    for (word, _, _, y_max) in word_boxes(pdf) {
        let page_number = word
            .chars()
            .all(|c| "第页共".contains(c) || c.is_ascii_digit());
        if !page_number {
            assert!(
                y_max <= bottom + 0.5,
                "{word} ends at {y_max} pt, in the margin"
            );
        }
    }
    let text = squeeze(&pdf_text(pdf));
    for line in &conclusion {
        assert!(text.contains(line.as_str()), "{line} in {text}");
    }
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} in {text}"));
    assert!(at("第40条") < at("审查人：李建国、王敏"));
    assert!(at("审查人：") < at("政审人（签名）：年月日"));
    assert!(at("政审人（签名）") < at("支部书记签字（盖章）：年月日"));
    // The conclusion's last lines, its signature line and both opinion boxes share a page.
    let pages: Vec<String> = pdf_text(pdf).split('\u{c}').map(squeeze).collect();
    let page_of = |s: &str| pages.iter().position(|p| p.contains(s)).unwrap();
    assert_eq!(page_of("第40条"), page_of("（盖章）"));
    assert_eq!(page_of("第40条"), page_of("政审人（签名）"));
    assert!(at("支部书记签字") < at("（盖章）年月日"));
}

#[test]
fn no_relatives_leave_blank_rows_to_fill_by_hand() {
    let (r, pdfs) = render_reviews(
        vec![review_row("2025-05-20", "", "", "政审合格。")],
        Vec::new(),
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let lines: Vec<String> = layout_pages(pdfs.values().next().expect("a form")).concat();
    let heads = line_at(&lines, FAMILY_HEADS);
    // The ledger has no family rows: the table is left blank to fill in, not marked 无.
    let table: Vec<&String> = lines[heads + 1..]
        .iter()
        .take_while(|l| !l.starts_with("审查方式"))
        .collect();
    assert!(!table.iter().any(|l| *l == "无"), "{table:#?}");
    // No method given: every box left empty for the reviewer to tick.
    line_at(&lines, "审查方式同本人谈话查阅档案函调外调其他");
    assert!(
        lines.iter().any(|l| l.contains("合格不合格审查人：")),
        "{lines:#?}"
    );
    let text = pdf_text(pdfs.values().next().unwrap());
    assert!(!text.contains('✓'));
    assert!(!text.contains("None"));
}

#[test]
fn injected_typst_prints_literally() {
    let evil = "#read(\"/etc/passwd\")]";
    let markup = "$x$ * @ref <tag> \\ ] [ # // /* _";
    let (r, pdfs) = render_reviews(
        vec![review_row("2025-05-20", markup, markup, evil)],
        vec![relative_row("父亲", evil, "1975.03", markup, markup)],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let text = squeeze(&pdf_text(pdfs.values().next().expect("a form")));
    assert!(
        text.matches(evil).count() >= 2,
        "conclusion and member name printed literally: {text}"
    );
    assert!(!text.contains("root:x:0:0"), "nothing from /etc/passwd");
    for needle in ["$x$", "@ref", "<tag>", "\\", "//", "/*"] {
        assert!(text.contains(needle), "{needle} printed literally: {text}");
    }
}

#[test]
fn check_reports_bad_review_and_family_cells() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("政审.xlsx");
    write_xlsx(
        &data,
        &[
            ("花名册", ROSTER_HEADER, vec![roster_row()]),
            (
                "政治审查",
                REVIEW_HEADER,
                vec![review_row("2025-13-01", "函调", "", "政审合格。")],
            ),
            (
                "家庭成员",
                RELATIVE_HEADER,
                vec![
                    relative_row("父亲", "张建华", "1975.03", "中共党员", "工程师"),
                    relative_row("母亲", "刘秀英", "明年", "群众", "教师"),
                ],
            ),
        ],
    );
    let r = run_in(dir.path(), &["check", "--data", &data.to_string_lossy()]);
    assert_eq!(r.code, 1, "{}", r.all());
    for (cell, value, column) in [
        ("政审.xlsx › 政治审查 › C2", "2025-13-01", "审查日期"),
        ("政审.xlsx › 家庭成员 › E3", "明年", "出生年月"),
    ] {
        assert!(r.stdout.contains(cell), "{cell}: {}", r.stdout);
        assert!(r.stdout.contains(value), "{value}: {}", r.stdout);
        assert!(r.stdout.contains(column), "{column}: {}", r.stdout);
    }
}
