//! `dangjian render certificate` and `dangjian check` as a user runs them, on the fixtures.

mod support;

use support::*;

const ROSTER: &str = "sample/花名册.xlsx";
const EXAM: &str = "sample/党校成绩.xlsx";

/// The certificates the sample must give: every valid, passing exam row (see fixtures/README.md).
const SAMPLE_CERTIFICATES: usize = 29;

#[test]
fn render_sample_makes_one_certificate_per_passing_student() {
    let (r, dir) = run(&[
        "render",
        "certificate",
        "--data",
        &arg(ROSTER),
        "--data",
        &arg(EXAM),
        "--out",
        "证书.zip",
    ]);
    // Some rows are refused (planted errors) → exit 1, archive written.
    assert_eq!(r.code, 1, "{}", r.all());
    let zip = dir.path().join("证书.zip");
    let pdfs = pdfs(&zip);
    assert_eq!(pdfs.len(), SAMPLE_CERTIFICATES, "{:?}", pdfs.keys());
    assert!(
        pdfs.keys()
            .all(|p| p.ends_with("/党校结业证书.pdf") && p.split('/').count() == 4),
        "学院/党支部/学号_姓名/党校结业证书.pdf: {:?}",
        pdfs.keys()
    );
    assert!(
        pdfs.keys()
            .any(|p| p.contains("2022111104_阿依古丽·买买提")),
        "the name with · is normalised"
    );
    assert!(
        r.stdout
            .contains(&format!("党校结业证书 {SAMPLE_CERTIFICATES} 份")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("证书.zip"),
        "the summary names the output"
    );
    // The refused rows are listed with their cells and reasons.
    for needle in [
        "F8",
        "E48",
        "I11",
        "G13",
        "不在花名册中",
        "不一致",
        "低于合格线 60",
        "24 学时",
    ] {
        assert!(
            r.stdout.contains(needle),
            "summary lacks {needle}: {}",
            r.stdout
        );
    }
}

#[test]
fn a_certificate_reads_as_the_official_sentence() {
    let (r, dir) = run(&[
        "render",
        "certificate",
        "--data",
        &arg(ROSTER),
        "--data",
        &arg(EXAM),
        "--out",
        "c.zip",
    ]);
    assert_eq!(r.code, 1, "{}", r.all());
    let pdfs = pdfs(&dir.path().join("c.zip"));
    let (path, pdf) = pdfs
        .iter()
        .find(|(p, _)| p.contains("阿依古丽"))
        .expect("阿依古丽's certificate");
    assert!(path.starts_with("外国语学院/学生第一党支部/"), "{path}");
    let text = squeeze(&pdf_text(pdf));
    for needle in [
        "结业证书",
        "证书编号：",
        "学员阿依古丽·买买提同志于2025年5月16日至2025年5月25日参加中共××大学委员会党校第5期发展对象培训班学习，经考核成绩合格，准予结业。",
        "特发此证。",
        "二〇二五年五月二十五日",
    ] {
        assert!(text.contains(needle), "PDF text lacks {needle}: {text}");
    }
    // The real seal is stamped over the issuer: nothing printed asks for it.
    assert!(!text.contains("盖章"), "{text}");
    // Dates read back without spaces (typst's CJK–digit spacing is off).
    let raw = pdf_text(pdf);
    for date in ["2025年5月16日", "2025年5月25日"] {
        assert!(raw.contains(date), "{date} unbroken and unspaced in {raw}");
    }
    // FORMS.md §4 [C]: the number stands top-left, at the body's left edge, between the
    // title and the body.
    let words = word_boxes(pdf);
    let find = |prefix: &str| {
        words
            .iter()
            .find(|(w, ..)| w.starts_with(prefix))
            .unwrap_or_else(|| panic!("no word {prefix} in {words:?}"))
            .clone()
    };
    let number = find("证书编号");
    let title = find("结");
    let page_width = 841.9;
    assert!(
        number.1 < page_width / 4.0,
        "number at the left: {number:?}"
    );
    assert!(
        number.3 > title.3,
        "number below the title: {title:?} {number:?}"
    );
    // The body's left edge: its lines after the first (indented) one start there.
    let body_left = words
        .iter()
        .filter(|w| w.3 > number.3)
        .map(|w| w.1)
        .fold(f64::MAX, f64::min);
    assert!(
        (number.1 - body_left).abs() < 2.0,
        "number at the body's left edge ({body_left}): {number:?}"
    );
}

#[test]
fn numbers_are_stable_and_the_explicit_number_is_kept() {
    let (r, dir) = run(&[
        "render",
        "certificate",
        "--data",
        &arg(ROSTER),
        "--data",
        &arg(EXAM),
        "--out",
        "c.zip",
    ]);
    assert_eq!(r.code, 1, "{}", r.all());
    let mut numbers = Vec::new();
    for pdf in pdfs(&dir.path().join("c.zip")).values() {
        let text = squeeze(&pdf_text(pdf));
        let start = text.find("证书编号：").expect("a number") + "证书编号：".len();
        let number: String = text[start..].chars().take_while(|c| *c != '学').collect();
        numbers.push(number);
    }
    numbers.sort();
    let before = numbers.len();
    numbers.dedup();
    assert_eq!(
        numbers.len(),
        before,
        "certificate numbers are unique: {numbers:?}"
    );
    assert!(
        numbers.iter().any(|n| n.contains("〔2025〕")),
        "the number from the 证书编号 column is used: {numbers:?}"
    );
    // Generated numbers follow {年份}{期次:02}{序号:04}.
    assert!(numbers.contains(&"2025120001".to_string()), "{numbers:?}");
    assert!(numbers.contains(&"2025050001".to_string()), "{numbers:?}");
}

#[test]
fn same_input_gives_the_same_bytes() {
    let args = |out: &'static str| {
        vec![
            "render".to_string(),
            "certificate".to_string(),
            "--data".to_string(),
            arg(ROSTER),
            "--data".to_string(),
            arg(EXAM),
            "--out".to_string(),
            out.to_string(),
        ]
    };
    let dir = tempfile::tempdir().unwrap();
    let a: Vec<String> = args("a.zip");
    let b: Vec<String> = args("b.zip");
    let ra = run_in(
        dir.path(),
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let rb = run_in(
        dir.path(),
        &b.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!((ra.code, rb.code), (1, 1));
    let za = std::fs::read(dir.path().join("a.zip")).unwrap();
    let zb = std::fs::read(dir.path().join("b.zip")).unwrap();
    assert!(za.len() > 100_000);
    assert!(za == zb, "two runs give byte-identical archives");
}

#[test]
fn the_manifest_lists_every_input_row() {
    let (r, dir) = run(&[
        "render",
        "certificate",
        "--data",
        &arg(ROSTER),
        "--data",
        &arg(EXAM),
        "--out",
        "c.zip",
    ]);
    assert_eq!(r.code, 1, "{}", r.all());
    let records = manifest_records(&dir.path().join("c.zip"));
    // Every non-blank row of every sheet, counted independently with calamine.
    for file in [ROSTER, EXAM] {
        let name = std::path::Path::new(file)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        for (sheet, nonblank) in nonblank_rows(&fixture(file)) {
            let listed: Vec<u32> = records
                .iter()
                // Lines about a whole sheet (row empty) come before the rows.
                .filter(|r| r[0] == name && r[1] == sheet && !r[2].is_empty())
                .map(|r| r[2].parse().unwrap())
                .collect();
            assert_eq!(
                listed, nonblank,
                "{name} › {sheet}: every non-blank row listed once, in order"
            );
        }
    }
    let status = |s: &str| records.iter().filter(|r| &r[6] == s).count();
    assert!(status("生成") >= SAMPLE_CERTIFICATES);
    // 5 roster errors, 4 exam-sheet errors, 3 results below the pass rule.
    assert_eq!(
        status("拒绝"),
        5 + 4 + 3,
        "planted errors and failed exams are refused"
    );
    assert!(
        status("忽略") > 0,
        "title, header and footer rows are listed as ignored"
    );
    // A generated row names its output; a refused one its reason.
    let generated = records
        .iter()
        .find(|r| &r[6] == "生成" && r[1].contains("党校"))
        .unwrap();
    assert!(generated[7].ends_with("党校结业证书.pdf"));
    let bad_date = records
        .iter()
        .find(|r| r[0] == *"花名册.xlsx" && &r[2] == "8")
        .unwrap();
    assert_eq!(&bad_date[6], "拒绝");
    assert!(
        bad_date[8].contains("F8") && bad_date[8].contains("2004-02-30"),
        "{:?}",
        bad_date
    );
}

/// 1-based numbers of the non-blank rows of every sheet of a workbook.
fn nonblank_rows(path: &std::path::Path) -> Vec<(String, Vec<u32>)> {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).unwrap();
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let (top, _) = range.start().unwrap_or((0, 0));
        let rows: Vec<u32> = range
            .rows()
            .enumerate()
            .filter(|(_, row)| {
                row.iter().any(|c| match c {
                    Data::Empty => false,
                    Data::String(s) => !s.trim().is_empty(),
                    _ => true,
                })
            })
            .map(|(i, _)| top + i as u32 + 1)
            .collect();
        out.push((name, rows));
    }
    out
}

#[test]
fn check_reports_every_planted_problem_with_its_cell() {
    let (r, _dir) = run(&["check", "--data", &arg(ROSTER), "--data", &arg(EXAM)]);
    assert_eq!(r.code, 1, "{}", r.all());
    let expected = std::fs::read_to_string(fixture("expected_problems.csv")).unwrap();
    let mut checked = 0;
    for record in csv::Reader::from_reader(expected.as_bytes()).records() {
        let record = record.unwrap();
        let (file, sheet, cell, severity) = (&record[0], &record[1], &record[2], &record[5]);
        if file != ROSTER && file != EXAM || !matches!(severity, "错误" | "警告") {
            continue;
        }
        let name = file.rsplit('/').next().unwrap();
        // The cell itself, or another cell of the same row (a cross-check may name either).
        let row_number: String = cell.chars().filter(char::is_ascii_digit).collect();
        let prefix = format!("{name} › {sheet} › ");
        let found = r.stdout.match_indices(&prefix).any(|(i, _)| {
            let rest = &r.stdout[i + prefix.len()..];
            let digits: String = rest
                .trim_start_matches(|c: char| c.is_ascii_uppercase() || c == '第')
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits == row_number
        });
        let located = format!("{prefix}{cell}");
        assert!(
            found,
            "check does not report {located} ({}): {}",
            &record[6], r.stdout
        );
        checked += 1;
    }
    assert_eq!(
        checked, 10,
        "the 10 planted errors and warnings of the sample are checked"
    );
}

#[test]
fn gbk_and_utf8_csv_give_the_same_certificates_as_xlsx() {
    for csv_file in [
        "sample/党校成绩_GBK.csv",
        "sample/党校成绩_UTF8_BOM.csv",
        "sample/党校成绩_UTF8.csv",
    ] {
        let (r, dir) = run(&[
            "render",
            "certificate",
            "--data",
            &arg(ROSTER),
            "--data",
            &arg(csv_file),
            "--out",
            "c.zip",
        ]);
        assert_eq!(r.code, 1, "{csv_file}: {}", r.all());
        let n = pdfs(&dir.path().join("c.zip")).len();
        assert_eq!(n, SAMPLE_CERTIFICATES, "{csv_file}");
        if csv_file.contains("GBK") {
            assert!(
                r.stdout.contains("GBK"),
                "the detected encoding is named: {}",
                r.stdout
            );
        }
    }
}

#[test]
fn xls_and_ods_made_by_libreoffice_read_like_the_xlsx() {
    for ext in ["xls", "ods"] {
        let roster = format!("sample/花名册.{ext}");
        let exam = format!("sample/党校成绩.{ext}");
        let (r, dir) = run(&[
            "render",
            "certificate",
            "--data",
            &arg(&roster),
            "--data",
            &arg(&exam),
            "--out",
            "c.zip",
        ]);
        assert_eq!(r.code, 1, "{ext}: {}", r.all());
        assert_eq!(
            pdfs(&dir.path().join("c.zip")).len(),
            SAMPLE_CERTIFICATES,
            "{ext}"
        );
        assert!(
            r.stdout.contains("F8"),
            "{ext}: the bad date is still found"
        );
    }
}

#[test]
fn injected_typst_prints_literally() {
    let (r, dir) = run(&[
        "render",
        "certificate",
        "--data",
        &arg("injection/注入.xlsx"),
        "--out",
        "c.zip",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    let pdfs = pdfs(&dir.path().join("c.zip"));
    assert_eq!(pdfs.len(), 4);
    let all: String = pdfs.values().map(|p| pdf_text(p)).collect();
    let all = squeeze(&all);
    assert!(
        all.contains("#read(\"/etc/passwd\")]"),
        "the name prints literally: {all}"
    );
    assert!(!all.contains("root:x:0:0"), "nothing from /etc/passwd");
    for needle in ["$x$", "@ref", "<tag>", "\\", "//", "/*"] {
        assert!(all.contains(needle), "{needle} printed literally: {all}");
    }
}

/// A private-use 造字 no font has never prints as a box: that certificate is refused with the
/// student, field and code point (exit code 1), the others are made; with `--font-path` giving
/// a font that has it, it is made too.
#[test]
fn characters_no_font_has_refuse_the_document_unless_a_font_path_has_them() {
    let (r, dir) = run(&[
        "render",
        "certificate",
        "--data",
        &arg("rare/生僻字.xlsx"),
        "--out",
        "c.zip",
    ]);
    assert_eq!(r.code, 1, "a row is refused: {}", r.all());
    let refusal = r
        .stdout
        .lines()
        .find(|l| l.contains("U+E000"))
        .unwrap_or_else(|| panic!("the private-use character is reported: {}", r.stdout));
    assert!(
        refusal.contains("2024031101")
            && refusal.contains("「姓名」")
            && refusal.contains("党校结业证书未生成"),
        "{refusal}"
    );
    assert!(
        !r.stdout.contains("U+2020C"),
        "𠈌 is covered by the embedded fallback font"
    );
    let records = manifest_records(&dir.path().join("c.zip"));
    let row = records
        .iter()
        .find(|r| r[8].contains("U+E000"))
        .expect("the manifest names the code point too");
    assert_eq!(&row[6], "拒绝", "{row:?}");
    let made = pdfs(&dir.path().join("c.zip"));
    assert_eq!(made.len(), 2, "{:?}", made.keys());
    assert!(made.keys().all(|p| !p.contains("2024031101")));
    let all: String = made.values().map(|p| pdf_text(p)).collect();
    assert!(all.contains('𠈌'), "𠈌 is printed");

    let (r, dir) = run(&[
        "render",
        "certificate",
        "--font-path",
        &arg("rare/造字字体"),
        "--data",
        &arg("rare/生僻字.xlsx"),
        "--out",
        "c.zip",
    ]);
    assert_eq!(r.code, 0, "the font has the character: {}", r.all());
    assert!(!r.stdout.contains("U+E000"), "{}", r.stdout);
    let made = pdfs(&dir.path().join("c.zip"));
    assert_eq!(made.len(), 3, "{:?}", made.keys());
    let zhang = made
        .iter()
        .find(|(p, _)| p.contains("2024031101"))
        .expect("张\u{E000}婷's certificate")
        .1;
    assert!(
        pdf_text(zhang).contains('\u{E000}'),
        "printed with the given font"
    );
}
