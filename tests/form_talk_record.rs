//! `dangjian render talk-record` (谈心谈话记录) as a user runs it: one record per talk row, the
//! fields where a reader looks for them, a long talk flowing over continuation pages with the
//! header repeated, an empty content box, typst injection, and bad talk cells reported.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use support::*;

const LEDGER: &str = "sample/学生党建台账.xlsx";

/// The labels of the header grid, squeezed, in reading order.
const HEADER_LABELS: [&str; 9] = [
    "谈话对象",
    "学号",
    "所在党支部",
    "申请入党时间",
    "谈话人",
    "职务",
    "谈话时间",
    "谈话地点",
    "谈话类型",
];

/// The text of a PDF with its layout kept (`pdftotext -layout`): a table row is one line,
/// pages are separated by a form feed.
fn layout_text(pdf: &[u8]) -> String {
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
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Squeezed pages of a PDF, the vertical label 谈话内容 (one character per line at the left of
/// the content box) taken out so that the content reads on.
fn squeezed_pages(pdf: &[u8]) -> Vec<String> {
    let text = layout_text(pdf);
    let mut pages: Vec<String> = text
        .split('\u{c}')
        .map(|page| {
            page.lines()
                .map(|line| {
                    // A label character stands alone, or far apart from the content
                    // (spread labels such as 谈 话 人 have single spaces).
                    let trimmed = line.trim_start();
                    let mut chars = trimmed.chars();
                    match chars.next() {
                        Some(c)
                            if "谈话内容".contains(c)
                                && (chars.as_str().is_empty()
                                    || chars.as_str().starts_with("  ")) =>
                        {
                            squeeze(chars.as_str())
                        }
                        _ => squeeze(line),
                    }
                })
                .collect()
        })
        .collect();
    if pages.last().is_some_and(|p| p.is_empty()) {
        pages.pop();
    }
    pages
}

/// The rows of one sheet of a workbook as text (header row included), read with calamine.
fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// The data rows of the ledger's 谈话记录 sheet, as column → value maps.
fn ledger_talks() -> Vec<BTreeMap<String, String>> {
    let rows = sheet_rows(&fixture(LEDGER), "谈话记录");
    let header_at = rows
        .iter()
        .position(|r| r.iter().any(|c| c == "谈话内容"))
        .expect("a header row");
    let header = rows[header_at].clone();
    rows[header_at + 1..]
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

/// The right edge of the ruled tables: A4 width minus the 2.2 cm margin, in points.
const RIGHT_EDGE: f64 = 595.2756 - 2.2 / 2.54 * 72.0;

const ROSTER_HEADER: &[&str] = &[
    "学号",
    "姓名",
    "性别",
    "出生日期",
    "学院",
    "专业",
    "班级",
    "党支部",
    "申请入党日期",
];
const TALK_HEADER: &[&str] = &[
    "学号",
    "姓名",
    "谈话日期",
    "谈话地点",
    "谈话人",
    "谈话人职务",
    "谈话类型",
    "谈话内容",
    "记录人",
];

/// One roster row of the made-up student 2023990101 张晓明.
fn roster_row() -> Vec<String> {
    [
        "2023990101",
        "张晓明",
        "男",
        "2004-03-15",
        "测试学院",
        "软件工程",
        "软工2301",
        "学生第一党支部",
        "2023-10-08",
    ]
    .map(String::from)
    .to_vec()
}

/// A talk row of 张晓明: date, place, content (other fields fixed).
fn talk_row(date: &str, place: &str, content: &str) -> Vec<String> {
    [
        "2023990101",
        "张晓明",
        date,
        place,
        "李建国",
        "支部书记",
        "入党申请人谈话",
        content,
        "王敏",
    ]
    .map(String::from)
    .to_vec()
}

/// Renders talk records from a workbook of the given talk rows; returns the run and the PDFs.
fn render_talks(rows: Vec<Vec<String>>) -> (Run, BTreeMap<String, Vec<u8>>) {
    render_talk_sheet(TALK_HEADER, rows)
}

/// Renders talk records from a workbook whose talk sheet has `header` and `rows`; returns the
/// run and the PDFs.
fn render_talk_sheet(header: &[&str], rows: Vec<Vec<String>>) -> (Run, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("谈话.xlsx");
    write_xlsx(
        &data,
        &[
            ("花名册", ROSTER_HEADER, vec![roster_row()]),
            ("谈话记录", header, rows),
        ],
    );
    let r = run_in(
        dir.path(),
        &[
            "render",
            "talk-record",
            "--data",
            &data.to_string_lossy(),
            "--out",
            "t.zip",
        ],
    );
    let pdfs = if dir.path().join("t.zip").exists() {
        pdfs(&dir.path().join("t.zip"))
    } else {
        BTreeMap::new()
    };
    (r, pdfs)
}

#[test]
fn the_sample_makes_one_record_per_talk_numbered_by_date() {
    let (r, dir) = run(&[
        "render",
        "talk-record",
        "--data",
        &arg(LEDGER),
        "--out",
        "t.zip",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.all());
    let talks = ledger_talks();
    let pdfs = pdfs(&dir.path().join("t.zip"));
    assert_eq!(pdfs.len(), talks.len(), "one record per talk row");
    assert!(
        r.stdout
            .contains(&format!("谈心谈话记录 {} 份", talks.len())),
        "{}",
        r.stdout
    );
    // Per student: 谈心谈话记录_01_<date>, _02_ … in date order, one per talk.
    let mut by_student: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in pdfs.keys() {
        let (folder, file) = path.rsplit_once('/').unwrap();
        by_student
            .entry(folder.to_string())
            .or_default()
            .push(file.to_string());
    }
    for (folder, mut files) in by_student {
        files.sort();
        let id = folder
            .rsplit('/')
            .next()
            .unwrap()
            .split('_')
            .next()
            .unwrap();
        let expected = talks.iter().filter(|t| t["学号"] == id).count();
        assert_eq!(files.len(), expected, "{folder}: {files:?}");
        let mut last_date = String::new();
        for (i, file) in files.iter().enumerate() {
            let prefix = format!("谈心谈话记录_{:02}_", i + 1);
            assert!(file.starts_with(&prefix), "{folder}: {files:?}");
            let date = file[prefix.len()..].trim_end_matches(".pdf").to_string();
            assert_eq!(date.len(), 10, "an ISO date: {file}");
            assert!(date >= last_date, "numbered by date: {files:?}");
            last_date = date;
        }
    }
}

#[test]
fn a_record_prints_each_label_with_its_value() {
    let (r, pdfs) = render_talks(vec![talk_row(
        "2023-10-20",
        "学院党员活动室",
        "谈话人介绍了党的性质和宗旨。\n张晓明同志表示将以党员标准严格要求自己。",
    )]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(pdfs.len(), 1);
    let (path, pdf) = pdfs.iter().next().unwrap();
    assert_eq!(
        path,
        "测试学院/学生第一党支部/2023990101_张晓明/谈心谈话记录_01_2023-10-20.pdf"
    );
    let pages = squeezed_pages(pdf);
    assert_eq!(pages.len(), 1, "a short talk is one page");
    let page = &pages[0];
    // Title, then each grid row as a line: label, value, label, value.
    for row in [
        "入党申请人谈话记录",
        "谈话对象张晓明学号2023990101",
        "测试学院学生第一党支部",
        "申请入党时间2023年10月8日",
        "谈话人李建国职务支部书记",
        "谈话时间2023年10月20日谈话地点学院党员活动室",
        "谈话方式记录人王敏",
        "谈话类型入党申请人谈话",
        "谈话人介绍了党的性质和宗旨。张晓明同志表示将以党员标准严格要求自己。",
        "谈话人（签名）：谈话对象（签名）：",
        "记录人（签名）：年月日",
        "备注",
    ] {
        assert!(page.contains(row), "{row} in {page}");
    }
    let at = |s: &str| page.find(s).unwrap_or_else(|| panic!("{s} in {page}"));
    for pair in HEADER_LABELS.windows(2) {
        assert!(at(pair[0]) < at(pair[1]), "{} before {}", pair[0], pair[1]);
    }
    assert!(at("谈话类型") < at("谈话人介绍了"));
    assert!(at("自己。") < at("谈话人（签名）") && at("记录人（签名）") < at("备注"));
    assert!(
        !page.contains("第1页"),
        "no page numbers on a one-page record"
    );
}

#[test]
fn a_long_talk_flows_onto_continuation_pages_under_a_running_header() {
    let talks = ledger_talks();
    let long = talks
        .iter()
        .find(|t| t["谈话内容"].chars().count() >= 3000)
        .expect("the sample has a talk of 3 000+ characters");
    let (id, name) = (&long["学号"], &long["姓名"]);
    let content = &long["谈话内容"];
    let (r, dir) = run(&[
        "render",
        "talk-record",
        "--data",
        &arg(LEDGER),
        "--out",
        "t.zip",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.all());
    let first_line = squeeze(content.lines().next().unwrap());
    let student = format!("/{id}_{name}/");
    let pdfs = pdfs(&dir.path().join("t.zip"));
    let pdf = pdfs
        .iter()
        .filter(|(path, _)| path.contains(&student))
        .map(|(_, pdf)| pdf)
        .find(|pdf| squeeze(&pdf_text(pdf)).contains(&first_line))
        .expect("the long talk's record");
    let pages = squeezed_pages(pdf);
    let n = pages.len();
    assert!(n >= 2, "a 3 000-character talk needs a continuation page");
    // pdftotext (without -layout) separates pages with a form feed too.
    assert_eq!(pdf_text(pdf).matches('\u{c}').count(), n);

    let kind = squeeze(&long["谈话类型"]);
    let title = format!("{kind}记录");
    let grid_end = format!("谈话类型{kind}");
    let mut flowed = String::new();
    for (i, page) in pages.iter().enumerate() {
        let footer = format!("第{}页共{n}页", i + 1);
        assert!(page.ends_with(&footer), "page {}: {page}", i + 1);
        let body = &page[..page.len() - footer.len()];
        let rest = if i == 0 {
            // The header grid, on the first page only, before the content.
            let grid_at = body.find(&grid_end).expect("the header grid");
            let grid = &body[..grid_at + grid_end.len()];
            for needle in HEADER_LABELS.iter().chain([&name.as_str(), &id.as_str()]) {
                assert!(grid.contains(needle), "{needle} in {grid}");
            }
            &body[grid_at + grid_end.len()..]
        } else {
            // A compact running header, then the box label with （续）.
            let head = format!("{title}姓名：{name}学号：{id}{footer}谈话内容（续）");
            assert!(body.starts_with(&head), "page {}: {head} in {body}", i + 1);
            assert!(!body.contains("谈话对象张"), "page {}: no grid", i + 1);
            &body[head.len()..]
        };
        let rest = match rest.find("谈话对象（签名）") {
            Some(end) => {
                assert_eq!(i + 1, n, "the signatures come last");
                &rest[..end]
            }
            None => rest,
        };
        flowed.push_str(rest);
    }
    // Every line of the content, in order, nothing cut off and nothing in between.
    assert!(
        flowed.contains(&squeeze(content)),
        "the whole content flows across pages: {flowed}"
    );
}

/// Where the footer begins: A4 height minus the 2.2 cm bottom margin, in points.
const FOOTER_TOP: f64 = 841.89 - 2.2 / 2.54 * 72.0;

/// The words of each page of a PDF with the bottom of their boxes (`pdftotext -bbox`), in
/// points from the top of the page.
fn page_words(pdf: &[u8]) -> Vec<Vec<(String, f64)>> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/install-test-deps.sh)");
    let html = String::from_utf8_lossy(&out.stdout).to_string();
    html.split("<page ")
        .skip(1)
        .map(|page| {
            page.split("<word ")
                .skip(1)
                .map(|w| {
                    let (tag, rest) = w.split_once('>').unwrap();
                    let start = tag.find("yMax=\"").unwrap() + 6;
                    let end = start + tag[start..].find('"').unwrap();
                    let text = rest.split("</word>").next().unwrap().to_string();
                    (text, tag[start..end].parse().unwrap())
                })
                .collect()
        })
        .collect()
}

/// A talk content of `paragraphs` numbered paragraphs of about 200 characters, the last one
/// ending with 结束语。
fn numbered_content(paragraphs: usize) -> String {
    (1..=paragraphs)
        .map(|i| {
            let mut p = format!("第{i}段：");
            while p.chars().count() < 200 {
                p.push_str("谈话人了解了该同志的学习、工作和思想情况，提出了努力方向。");
            }
            if i == paragraphs {
                p.push_str("结束语。");
            }
            p
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_signature_row_stays_with_the_last_lines_for_talks_of_one_to_six_pages() {
    let mut pages_seen = std::collections::BTreeSet::new();
    // From a line to about six pages, in steps that land the end of the text at every height
    // of a page, including right at its bottom.
    let counts: Vec<usize> = (0..=36).map(|k| k + usize::from(k == 0)).collect();
    let rows: Vec<Vec<String>> = counts
        .iter()
        .enumerate()
        .map(|(k, &count)| {
            talk_row(
                &format!("2023-{:02}-{:02}", 1 + k / 28, 1 + k % 28),
                "活动室",
                &numbered_content(count),
            )
        })
        .collect();
    let (r, pdfs) = render_talks(rows);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(pdfs.len(), counts.len());
    for (path, pdf) in &pdfs {
        let text = pdf_text(pdf);
        let pages: Vec<String> = text.split('\u{c}').map(squeeze).collect();
        let n = pages.iter().filter(|p| !p.is_empty()).count();
        pages_seen.insert(n);
        let page_of = |needle: &str| {
            pages
                .iter()
                .position(|p| p.contains(needle))
                .unwrap_or_else(|| panic!("{path}: {needle} in {pages:?}"))
        };
        let end = page_of("结束语。");
        assert_eq!(page_of("谈话对象（签名）"), end, "{path}: {n} pages");
        assert_eq!(page_of("记录人（签名）"), end, "{path}");
        assert_eq!(end + 1, n, "{path}: nothing after the signatures but 备注");
        // No page is left more than half empty by the break before the kept block: the
        // lowest word above the footer is below the middle of every page but the last.
        for (i, words) in page_words(pdf).iter().enumerate().take(n - 1) {
            let lowest = words
                .iter()
                .map(|(_, y)| *y)
                .filter(|y| *y < FOOTER_TOP)
                .fold(0.0, f64::max);
            assert!(
                lowest > 842.0 / 2.0,
                "{path}: page {} ends at {lowest} pt",
                i + 1
            );
        }
    }
    for n in 1..=6 {
        assert!(
            pages_seen.contains(&n),
            "a talk of {n} pages: {pages_seen:?}"
        );
    }
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

/// Asserts that `text` holds every one of `sections`, in order.
fn assert_in_order(text: &str, sections: &[&str]) {
    let mut from = 0;
    for section in sections {
        let at = text[from..]
            .find(section)
            .unwrap_or_else(|| panic!("{section} after {} in {text}", &text[..from]));
        from += at + section.len();
    }
}

/// The section titles of FORMS.md §2D after the title, in order.
const SECTIONS: [&str; 17] = [
    "谈话对象",
    "学号",
    "所在党支部",
    "申请入党时间",
    "谈话人",
    "职务",
    "谈话时间",
    "谈话地点",
    "谈话方式",
    "记录人",
    "谈话类型",
    "谈话内容",
    "谈话人意见",
    "谈话人（签名）：",
    "谈话对象（签名）：",
    "记录人（签名）：年月日",
    "备注",
];

#[test]
fn every_section_is_there_in_order_with_or_without_data() {
    // No content, no opinion, no place: the boxes are still there, blank.
    let (r, blank) = render_talks(vec![talk_row("2023-10-20", "", "")]);
    assert_eq!(r.code, 0, "{}", r.all());
    let text = raw_text(blank.values().next().unwrap());
    assert!(text.starts_with("入党申请人谈话记录"), "{text}");
    assert_in_order(&text, &SECTIONS);

    // A 谈心谈话 with every optional column: 谈话主题 after 谈话类型, the opinion in its box,
    // 备注 at the end; dates read back without spaces.
    let mut header = TALK_HEADER.to_vec();
    header.extend(["谈话人意见", "谈话方式", "谈话主题", "备注"]);
    let mut row = talk_row("2024-04-07", "图书馆", "谈了学习和生活。");
    row[6] = "谈心谈话".into();
    row.extend(
        [
            "该同志思想积极，建议继续加强理论学习。",
            "当面",
            "学业规划",
            "无",
        ]
        .map(String::from),
    );
    let (r, pdfs) = render_talk_sheet(&header, vec![row]);
    assert_eq!(r.code, 0, "{}", r.all());
    let pdf = pdfs.values().next().unwrap();
    let text = raw_text(pdf);
    assert!(text.starts_with("谈心谈话记录"), "{text}");
    let mut sections = SECTIONS.to_vec();
    sections.insert(11, "谈心谈话谈话主题学业规划");
    sections.insert(13, "谈了学习和生活。");
    sections.insert(15, "该同志思想积极，建议继续加强理论学习。");
    sections.push("无");
    assert_in_order(&text, &sections);
    assert!(text.contains("谈话方式当面"), "{text}");
    let plain = pdf_text(pdf);
    for date in ["2024年4月7日", "2023年10月8日"] {
        assert!(plain.contains(date), "{date} without spaces in {plain}");
    }
}

#[test]
fn a_long_opinion_flows_and_keeps_its_last_lines_with_the_signatures() {
    let opinion = (1..=12)
        .map(|i| format!("第{i}点意见：该同志入党动机端正，对党的认识较为清楚，学习刻苦，团结同学，积极参加集体活动，群众基础较好。"))
        .collect::<Vec<_>>()
        .join("\n")
        + "意见结束。";
    let contents = [numbered_content(3), numbered_content(14)];
    let (r, pdfs) =
        render_talks_with_opinions(&[(&contents[0], &opinion), (&contents[1], &opinion)]);
    assert_eq!(r.code, 0, "{}", r.all());
    let mut continued = 0;
    for (path, pdf) in pdfs {
        let pages: Vec<String> = pdf_text(&pdf).split('\u{c}').map(squeeze).collect();
        let page_of = |needle: &str| {
            pages
                .iter()
                .position(|p| p.contains(needle))
                .unwrap_or_else(|| panic!("{path}: {needle} in {pages:?}"))
        };
        let end = page_of("意见结束。");
        assert_eq!(page_of("谈话对象（签名）"), end, "{path}");
        assert!(page_of("结束语。") <= page_of("第1点意见"), "{path}");
        // The opinion box runs over a page break: the next page says so.
        if page_of("第1点意见") < end {
            assert!(
                pages[end].contains("谈话人意见（续）"),
                "{path}: {}",
                pages[end]
            );
            continued += 1;
        }
    }
    assert!(continued >= 1, "one of the opinions runs over a page break");
}

#[test]
fn long_unbroken_text_wraps_inside_its_cell() {
    let url = format!("https://example.com/{}", "abcdefghij".repeat(20));
    let place = "学院党员活动室".repeat(6);
    let (r, pdfs) = render_talks(vec![talk_row(
        "2023-10-20",
        &place,
        &format!("谈话中提到的网址：{url}\n{}", "x".repeat(150)),
    )]);
    assert_eq!(r.code, 0, "{}", r.all());
    let pdf = pdfs.values().next().expect("a record");
    for (word, _, x_max, _) in word_boxes(pdf) {
        assert!(
            x_max <= RIGHT_EDGE + 0.5,
            "{word} ends at {x_max} pt, past the table"
        );
    }
    // In the order typst wrote it, so that the box's vertical label does not come in between.
    let text = raw_text(pdf);
    for whole in [url.as_str(), &"x".repeat(150)] {
        assert!(text.contains(whole), "{whole} printed whole: {text}");
    }
    // The wrapped place shares its lines with the neighbouring cells in the text layer.
    assert_eq!(text.matches("活动室").count(), 6, "{text}");
    // Its row grows with it (a row of short values has a fixed height): the next row's value,
    // the recorder 王敏, sits a whole ruled row below the place's last line, not inside it.
    let boxes = word_boxes(pdf);
    let place_bottom = boxes
        .iter()
        .filter(|w| w.0.contains("活动") || w.0.contains("党员"))
        .map(|w| w.3)
        .fold(0.0, f64::max);
    let recorder = boxes.iter().find(|w| w.0 == "王敏").expect("the recorder");
    assert!(
        recorder.3 > place_bottom + 20.0,
        "the recorder at {} pt, the place's last line at {place_bottom} pt",
        recorder.3
    );
}

#[test]
fn an_empty_content_leaves_an_empty_box() {
    let (r, pdfs) = render_talks(vec![talk_row("2023-10-20", "", "")]);
    assert_eq!(r.code, 0, "{}", r.all());
    let pdf = pdfs.values().next().expect("a record");
    let pages = squeezed_pages(pdf);
    assert_eq!(pages.len(), 1);
    let page = &pages[0];
    for bad in ["None", "none", "undefined"] {
        assert!(!page.contains(bad), "{bad} in {page}");
    }
    // Nothing between the grid and the signatures but the box labels: the boxes are left for
    // handwriting.
    let grid_end =
        page.find("谈话类型入党申请人谈话").expect("the grid") + "谈话类型入党申请人谈话".len();
    let signatures = page.find("谈话人（签名）").expect("the signature row");
    let between: String = page[grid_end..signatures]
        .chars()
        .filter(|c| !"谈话内容人意见".contains(*c))
        .collect();
    assert!(between.is_empty(), "{between} in {page}");
    assert!(
        page.contains("谈话地点谈话方式"),
        "an empty place is blank: {page}"
    );
}

#[test]
fn talks_of_one_student_are_numbered_by_date_then_row() {
    let (r, pdfs) = render_talks(vec![
        talk_row("2024-05-01", "甲", "第三次"),
        talk_row("2023-10-20", "乙", "第一次"),
        talk_row("2024-05-01", "丙", "第四次"),
        talk_row("2024-01-02", "丁", "第二次"),
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    let names: Vec<(&str, String)> = pdfs
        .iter()
        .map(|(path, pdf)| {
            let file = path.rsplit('/').next().unwrap();
            (file, squeeze(&pdf_text(pdf)))
        })
        .map(|(file, text)| {
            let which = ["第一次", "第二次", "第三次", "第四次"]
                .into_iter()
                .find(|w| text.contains(w))
                .unwrap();
            (which, file.to_string())
        })
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(
        names,
        vec![
            ("第一次", "谈心谈话记录_01_2023-10-20.pdf".to_string()),
            ("第三次", "谈心谈话记录_03_2024-05-01.pdf".to_string()),
            ("第二次", "谈心谈话记录_02_2024-01-02.pdf".to_string()),
            ("第四次", "谈心谈话记录_04_2024-05-01.pdf".to_string()),
        ]
    );
}

#[test]
fn injected_typst_prints_literally() {
    let evil = "#read(\"/etc/passwd\")]";
    let markup = "$x$ * @ref <tag> \\ ] [ # // /* _";
    let (r, pdfs) = render_talks(vec![talk_row(
        "2023-10-20",
        markup,
        &format!("{evil}\n{markup}"),
    )]);
    assert_eq!(r.code, 0, "{}", r.all());
    let text = squeeze(&pdf_text(pdfs.values().next().expect("a record")));
    assert!(text.contains(evil), "printed literally: {text}");
    assert!(!text.contains("root:x:0:0"), "nothing from /etc/passwd");
    assert!(
        text.matches(&squeeze(markup)).count() >= 2,
        "place and content literal: {text}"
    );
}

#[test]
fn check_reports_a_bad_talk_date_with_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("谈话.xlsx");
    write_xlsx(
        &data,
        &[
            ("花名册", ROSTER_HEADER, vec![roster_row()]),
            (
                "谈话记录",
                TALK_HEADER,
                vec![
                    talk_row("2023-10-20", "甲", "正常"),
                    talk_row("2024-02-30", "乙", "日期错误"),
                ],
            ),
        ],
    );
    let r = run_in(dir.path(), &["check", "--data", &data.to_string_lossy()]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("谈话.xlsx › 谈话记录 › C3"),
        "the cell is named: {}",
        r.stdout
    );
    assert!(r.stdout.contains("2024-02-30"), "{}", r.stdout);
    assert!(r.stdout.contains("谈话日期"), "{}", r.stdout);
}

#[test]
fn a_short_content_reads_on_without_a_gap_before_its_last_paragraph() {
    // Three paragraphs, more than the tail kept with the signatures (120 characters) but far
    // less than a page: the last paragraph follows the others directly, the blank room for
    // handwriting comes after it.
    let paragraphs = [
        "张晓明同志被确定为入党积极分子以来，培养联系人定期与其谈话，了解其思想、学习、工作情况，并对下一阶段的培养教育提出要求。",
        "谈话人指出，该同志还存在理论学习不够系统、有时工作方法比较简单等不足，希望今后多读原著、多向身边的党员请教。",
        "该同志积极参加志愿服务活动，本学年累计参加社区志愿服务、迎新志愿服务等活动四十余小时，在同学中反映良好。",
    ];
    let (r, pdfs) = render_talks(vec![talk_row(
        "2023-10-20",
        "党建工作站",
        &paragraphs.join("\n"),
    )]);
    assert_eq!(r.code, 0, "{}", r.all());
    // The content's lines, by the bottom of their boxes: evenly spaced, the gap before the
    // last paragraph no wider than between any two lines (the box's tall vertical label once
    // pushed the last paragraph about a line further down).
    let text = paragraphs.concat();
    let mut lines: Vec<f64> = word_boxes(pdfs.values().next().expect("a record"))
        .into_iter()
        .filter(|w| w.0.chars().count() >= 4 && text.contains(&w.0))
        .map(|w| w.3)
        .collect();
    lines.sort_by(f64::total_cmp);
    lines.dedup_by(|a, b| (*a - *b).abs() < 1.0);
    assert!(lines.len() >= 5, "the content's lines: {lines:?}");
    let gaps: Vec<f64> = lines.windows(2).map(|w| w[1] - w[0]).collect();
    let narrowest = gaps.iter().copied().fold(f64::MAX, f64::min);
    let widest = gaps.iter().copied().fold(0.0, f64::max);
    assert!(
        widest < narrowest * 1.3,
        "the lines are {gaps:?} pt apart: a gap between the paragraphs"
    );
}

/// Renders talk records of 张晓明 from (content, opinion) pairs; returns the run and the PDFs.
fn render_talks_with_opinions(talks: &[(&str, &str)]) -> (Run, BTreeMap<String, Vec<u8>>) {
    let mut header = TALK_HEADER.to_vec();
    header.push("谈话人意见");
    let rows: Vec<Vec<String>> = talks
        .iter()
        .enumerate()
        .map(|(i, (content, opinion))| {
            let mut row = talk_row(&format!("2024-05-{:02}", i + 1), "党建工作站", content);
            row.push(opinion.to_string());
            row
        })
        .collect();
    render_talk_sheet(&header, rows)
}

/// One sentence of an opinion, two lines of its box.
const OPINION_SENTENCE: &str =
    "该同志入党动机端正，对党的认识较为清楚，学习刻苦，团结同学，积极参加集体活动，群众基础较好。";

#[test]
fn a_talk_that_fits_on_a_page_is_one_page_with_room_left_in_its_box() {
    // Five paragraphs (about 330 characters, more than the 120 kept with the signatures) and
    // a two-line opinion; then a short content with a six-line opinion. Both used to spill
    // onto a second page: the first by a few millimetres of blank room, the second leaving
    // page 1 with the grid alone.
    let five = [
        "张晓明同志被确定为入党积极分子以来，培养联系人定期与其谈话，了解其思想、学习、工作情况，并对下一阶段的培养教育提出要求。",
        "张晓明同志坦诚地谈了自己的不足：有时对自己要求不够严格，时间安排不够合理，参加集体活动的主动性有待提高。",
        "该同志谈到，自己最初想入党，是受到家中老党员的影响，看到他们几十年如一日地为群众办实事，深受触动。",
        "经过党课学习，认识到入党不是为了个人得失，而是为了全心全意为人民服务。",
        "该同志在宿舍安全检查等工作中能够服从安排，认真负责，得到辅导员和同学们的肯定。",
    ]
    .join("\n");
    let six_lines = [OPINION_SENTENCE; 3].join("\n");
    let (r, pdfs) = render_talks_with_opinions(&[
        (&five, OPINION_SENTENCE),
        (
            "谈话人介绍了党的性质和宗旨，张晓明同志表示将以党员标准严格要求自己。",
            &six_lines,
        ),
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(pdfs.len(), 2);
    for (path, pdf) in &pdfs {
        let pages = squeezed_pages(pdf);
        assert_eq!(pages.len(), 1, "{path}: {pages:?}");
        assert!(pages[0].contains("谈话对象（签名）"), "{path}: {pages:?}");
    }
    // The content box still leaves room after its last line: from the content's first line
    // to the opinion's first line is at least 7 cm.
    let boxes = word_boxes(&pdfs[pdfs.keys().next().unwrap()]);
    let y_of = |start: &str| {
        boxes
            .iter()
            .find(|w| w.0.starts_with(start))
            .unwrap_or_else(|| panic!("{start} in {boxes:?}"))
            .3
    };
    let content_to_opinion = y_of("该同志入党动机端正") - y_of("张晓明同志被确定");
    assert!(
        content_to_opinion >= 7.0 / 2.54 * 72.0,
        "the content box is {content_to_opinion} pt high"
    );
}

#[test]
fn an_empty_content_comes_before_a_long_opinion() {
    let opinion = (1..=12)
        .map(|i| format!("第{i}点意见：{OPINION_SENTENCE}"))
        .collect::<Vec<_>>()
        .join("\n");
    let (r, pdfs) = render_talks_with_opinions(&[("", &opinion)]);
    assert_eq!(r.code, 0, "{}", r.all());
    let text = raw_text(pdfs.values().next().expect("a record"));
    assert_in_order(
        &text,
        &[
            "谈话类型",
            "谈话内容",
            "谈话人意见第1点意见",
            "第12点意见",
            "谈话对象（签名）",
            "备注",
        ],
    );
}
