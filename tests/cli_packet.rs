//! Filing packets (`render packet`), print runs (`--print`, `--duplex`) and the archive
//! layout (`--layout`), as a user of the binary sees them: page counts read back with
//! pdfinfo and pdftotext.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use support::{arg, manifest_records, pdfs, run_in, squeeze, unzip, write_workbook};

/// The sample ledger holding every sheet kind.
const LEDGER: &str = "sample/学生党建台账.xlsx";

/// A finished run kept for every test of this file: its directory and archive.
struct Done {
    /// Keeps the directory alive.
    _dir: tempfile::TempDir,
    /// The archive written.
    zip: PathBuf,
}

/// Runs `dangjian render <args> --data <ledger> --out out.zip` in a fresh directory and
/// checks it succeeded (exit 0 or 1: rows refused by the sample's deliberate errors).
fn render(args: &[&str]) -> Done {
    render_with(LEDGER, args)
}

/// [`render`] of another fixture.
fn render_with(data: &str, args: &[&str]) -> Done {
    let dir = tempfile::tempdir().expect("temp dir");
    let ledger = arg(data);
    let mut all: Vec<&str> = vec!["render"];
    all.extend(args);
    all.extend(["--data", &ledger, "--out", "out.zip"]);
    let r = run_in(dir.path(), &all);
    assert!(r.code == 0 || r.code == 1, "render {args:?}: {}", r.all());
    let zip = dir.path().join("out.zip");
    Done { _dir: dir, zip }
}

/// `render packet` of the sample ledger, made once.
fn packets() -> &'static Done {
    static RUN: OnceLock<Done> = OnceLock::new();
    RUN.get_or_init(|| render(&["packet"]))
}

/// `render all` of the sample ledger, made once: the documents the packets hold.
fn singles() -> &'static Done {
    static RUN: OnceLock<Done> = OnceLock::new();
    RUN.get_or_init(|| render(&["all"]))
}

/// The page count of a PDF, as pdfinfo reads it.
fn pages(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo is installed (scripts/install-test-deps.sh)");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo tells the pages")
}

/// The text of pages `first..=last` of a PDF, laid out (`pdftotext -layout`).
fn page_text(pdf: &[u8], first: usize, last: usize) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &first.to_string(), "-l", &last.to_string()])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The rows of a 卷内目录 page: (序号, 材料名称, 页数).
fn toc_rows(text: &str) -> Vec<(usize, String, usize)> {
    text.lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let no: usize = words.first()?.parse().ok()?;
            let title = words.get(1)?.to_string();
            let pages = words.iter().rev().find_map(|w| w.parse::<usize>().ok())?;
            Some((no, title, pages))
        })
        .collect()
}

/// The folder of a student in the default layout (`学院/党支部/学号_姓名/`).
fn folder(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

#[test]
fn every_packet_holds_its_students_documents_with_real_page_counts() {
    let packets = pdfs(&packets().zip);
    let singles = pdfs(&singles().zip);
    let mut by_student: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (path, pdf) in &singles {
        by_student.entry(folder(path)).or_default().push(pages(pdf));
    }
    assert!(packets.len() >= 20, "{} packets", packets.len());
    let mut checked_activist = false;
    for (path, pdf) in &packets {
        assert!(path.ends_with("/个人档案.pdf"), "{path}");
        let expected = by_student.get(folder(path)).cloned().unwrap_or_default();
        let total = pages(pdf);
        // Cover and 目录 (one page each for these few documents), then every document.
        assert_eq!(
            total,
            2 + expected.iter().sum::<usize>(),
            "{path}: pages of the packet"
        );
        let toc = page_text(pdf, 2, 2);
        assert!(toc.contains("卷内目录"), "{path}: {toc}");
        let rows = toc_rows(&toc);
        assert_eq!(rows.len(), expected.len(), "{path}: 目录 rows\n{toc}");
        let numbers: Vec<usize> = rows.iter().map(|r| r.0).collect();
        assert_eq!(numbers, (1..=rows.len()).collect::<Vec<_>>(), "{path}");
        let mut listed: Vec<usize> = rows.iter().map(|r| r.2).collect();
        let mut real = expected.clone();
        listed.sort_unstable();
        real.sort_unstable();
        assert_eq!(
            listed, real,
            "{path}: 页数 of the 目录 are the documents' pages\n{toc}"
        );
        // The 登记表 has its own cover and 填表说明: its pages are all counted.
        let single = path.replace("个人档案.pdf", "入党积极分子登记表.pdf");
        if let Some(form) = singles.get(&single) {
            let row = rows.iter().find(|r| r.1 == "入党积极分子登记表");
            assert_eq!(row.map(|r| r.2), Some(pages(form)), "{path}\n{toc}");
            checked_activist = true;
        }
        // Continuous archive numbers: the last page carries the count of document pages.
        if total > 2 {
            let last = page_text(pdf, total, total);
            let number = (total - 2).to_string();
            assert!(
                last.lines().any(|l| l.trim() == number),
                "{path}: archive number {number} on the last page\n{last}"
            );
        }
    }
    assert!(checked_activist, "some packet holds a 登记表");
}

#[test]
fn packets_follow_the_filing_order_with_a_cover() {
    let packets = pdfs(&packets().zip);
    let (path, pdf) = packets
        .iter()
        .find(|(_, pdf)| page_text(pdf, 2, 2).contains("发展对象政治审查表"))
        .expect("a packet with a political review");
    let cover = squeeze(&page_text(pdf, 1, 1));
    for word in ["个人党建档案", "入党材料", "学号", "党支部", "申请入党"] {
        assert!(cover.contains(word), "{path}: cover lacks {word}\n{cover}");
    }
    let toc = toc_rows(&page_text(pdf, 2, 2));
    let rank = |title: &str| {
        [
            "谈心谈话记录",
            "入党积极分子登记表",
            "党校结业证书",
            "发展对象政治审查表",
            "年度民主评议表",
        ]
        .iter()
        .position(|k| title.starts_with(k))
        .unwrap_or_else(|| panic!("unknown 材料 {title}"))
    };
    let ranks: Vec<usize> = toc.iter().map(|r| rank(&r.1)).collect();
    let mut sorted = ranks.clone();
    sorted.sort_unstable();
    assert_eq!(ranks, sorted, "{path}: filing order {toc:?}");
    // Talks by date within their kind.
    let talks: Vec<&String> = toc
        .iter()
        .map(|r| &r.1)
        .filter(|t| t.starts_with("谈心"))
        .collect();
    let dates: Vec<String> = talks
        .iter()
        .map(|t| t.trim_start_matches("谈心谈话记录").to_string())
        .collect();
    assert!(talks.len() >= 2, "{path}: {toc:?}");
    let parsed: Vec<(i32, i32, i32)> = dates
        .iter()
        .map(|d| {
            let n: Vec<i32> = d
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            (n[0], n[1], n[2])
        })
        .collect();
    let mut in_order = parsed.clone();
    in_order.sort_unstable();
    assert_eq!(parsed, in_order, "{path}: talks by date");
}

#[test]
fn every_packet_row_of_the_manifest_names_its_packet() {
    let records = manifest_records(&packets().zip);
    let generated: Vec<&csv::StringRecord> = records
        .iter()
        .filter(|r| r.iter().any(|f| f == "生成"))
        .collect();
    assert!(generated.len() > 20, "{} rows made", generated.len());
    for record in generated {
        let line = record.iter().collect::<Vec<_>>().join(",");
        assert!(line.contains("个人档案.pdf"), "{line}");
    }
}

#[test]
fn print_volumes_hold_every_document_of_their_kind_and_duplex_pads_to_even() {
    let plain = render(&["talk-record", "--print"]);
    let duplex = render(&["talk-record", "--print", "--duplex"]);
    for (done, padded) in [(&plain, false), (&duplex, true)] {
        let files = pdfs(&done.zip);
        let singles: Vec<usize> = files
            .iter()
            .filter(|(p, _)| !p.starts_with("打印/"))
            .map(|(_, pdf)| pages(pdf))
            .collect();
        let volumes: Vec<(&String, usize)> = files
            .iter()
            .filter(|(p, _)| p.starts_with("打印/谈心谈话记录-"))
            .map(|(p, pdf)| (p, pages(pdf)))
            .collect();
        assert!(volumes.len() >= 2, "volumes of bounded size: {volumes:?}");
        assert!(volumes[0].0.ends_with("-01.pdf"), "{volumes:?}");
        let expected: usize = singles
            .iter()
            .map(|&n| if padded { n + n % 2 } else { n })
            .sum();
        let total: usize = volumes.iter().map(|v| v.1).sum();
        assert_eq!(total, expected, "duplex {padded}: {volumes:?}");
        if padded {
            assert!(volumes.iter().all(|v| v.1 % 2 == 0), "{volumes:?}");
            assert!(
                singles.iter().any(|n| n % 2 == 1),
                "some talk has odd pages"
            );
        }
    }
}

#[test]
fn a_layout_putting_two_students_at_one_path_is_refused_before_any_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ledger = arg(LEDGER);
    let r = run_in(
        dir.path(),
        &[
            "render",
            "packet",
            "--layout",
            "{学院}/{文档}.pdf",
            "--data",
            &ledger,
            "--out",
            "out.zip",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("同一路径"), "{}", r.stderr);
    assert!(r.stderr.contains("{学号}"), "{}", r.stderr);
    assert!(!dir.path().join("out.zip").exists());

    let r = run_in(
        dir.path(),
        &[
            "render",
            "all",
            "--layout",
            "{学院}/{宿舍}.pdf",
            "--data",
            &ledger,
            "--out",
            "out.zip",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("宿舍"), "{}", r.stderr);
}

#[test]
fn a_layout_from_the_command_line_places_the_files() {
    let done = render(&[
        "certificate",
        "--layout",
        "{学院}/{班级}/{学号}_{姓名}/{文档}.pdf",
    ]);
    let names: Vec<String> = unzip(&done.zip).into_iter().map(|(n, _)| n).collect();
    let pdf = names.iter().find(|n| n.ends_with(".pdf")).expect("a pdf");
    let parts: Vec<&str> = pdf.split('/').collect();
    assert_eq!(parts.len(), 4, "{pdf}");
    assert!(
        parts[1].chars().any(|c| c.is_ascii_digit()),
        "班级 folder: {pdf}"
    );
    assert!(parts[3].starts_with("党校结业证书"), "{pdf}");
}

#[test]
fn the_same_packets_twice_are_byte_identical() {
    let first = render(&["packet", "certificate", "--print", "--duplex"]);
    let second = render(&["packet", "certificate", "--print", "--duplex"]);
    let a = std::fs::read(&first.zip).expect("zip");
    let b = std::fs::read(&second.zip).expect("zip");
    assert!(a == b, "re-running gives the same bytes");
    let names: Vec<String> = unzip(&first.zip).into_iter().map(|(n, _)| n).collect();
    assert!(names.iter().any(|n| n.ends_with("个人档案.pdf")));
    assert!(names.iter().any(|n| n.starts_with("打印/党校结业证书")));
}

/// The header names of a zip's central directory, as stored (no extra field consulted).
fn central_names(zip: &[u8]) -> Vec<&[u8]> {
    let mut names = Vec::new();
    let end = zip
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .expect("end of central directory");
    let count = u16::from_le_bytes([zip[end + 10], zip[end + 11]]) as usize;
    let mut at =
        u32::from_le_bytes([zip[end + 16], zip[end + 17], zip[end + 18], zip[end + 19]]) as usize;
    for _ in 0..count {
        let start = at;
        assert_eq!(
            &zip[start..start + 4],
            b"PK\x01\x02",
            "a central directory entry"
        );
        let len = |o: usize| u16::from_le_bytes([zip[start + o], zip[start + o + 1]]) as usize;
        let (name, extra, comment) = (len(28), len(30), len(32));
        names.push(&zip[start + 46..start + 46 + name]);
        at = start + 46 + name + extra + comment;
    }
    names
}

/// The names of a zip as Python's zipfile reads them (a name without the UTF-8 flag
/// re-decoded from cp437 as GBK, as a Chinese system does).
fn python_names(zip: &Path) -> Vec<String> {
    let script = "import sys, zipfile\nfor i in zipfile.ZipFile(sys.argv[1]).infolist():\n    n = i.filename if i.flag_bits & 0x800 else i.filename.encode('cp437').decode('gbk')\n    sys.stdout.buffer.write((n + '\\n').encode('utf-8'))\n";
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(zip)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_string)
        .collect()
}

/// The files `unzip` extracts from a zip, as paths relative to the extraction directory.
fn unzipped(zip: &Path) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new("unzip")
        .arg("-q")
        .arg(zip)
        .arg("-d")
        .arg(dir.path())
        .output()
        .expect("unzip runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut found = Vec::new();
    let mut stack = vec![dir.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir.path()).expect("inside");
                found.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn utf8_and_gbk_archives_extract_to_the_same_names_everywhere() {
    for options in [
        &["packet", "certificate", "--print"][..],
        &["packet", "certificate", "--print", "--gbk-names"],
    ] {
        let done = render(options);
        let mut ours: Vec<String> = unzip(&done.zip).into_iter().map(|(n, _)| n).collect();
        ours.sort();
        let mut python = python_names(&done.zip);
        python.sort();
        assert_eq!(python, ours, "{options:?}: Python's zipfile");
        assert_eq!(unzipped(&done.zip), ours, "{options:?}: unzip");
        assert!(ours.iter().any(|n| n.ends_with("个人档案.pdf")));
        assert!(ours.iter().any(|n| n.starts_with("打印/")));
    }
}

#[test]
fn gbk_names_decode_back_and_a_name_beyond_gbk_falls_back_to_the_student_number() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = arg("rare/生僻字.xlsx");
    let r = run_in(
        dir.path(),
        &[
            "render",
            "packet",
            "--gbk-names",
            "--data",
            &data,
            "--out",
            "out.zip",
        ],
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.all());
    let bytes = std::fs::read(dir.path().join("out.zip")).expect("zip");
    let mut names = Vec::new();
    for raw in central_names(&bytes) {
        let (name, _, bad) = encoding_rs::GBK.decode(raw);
        assert!(!bad, "{name} is GBK");
        names.push(name.to_string());
    }
    assert!(
        names.contains(&"马克思主义学院/学生第二党支部/2023031101/个人档案.pdf".to_string()),
        "陈𠈌明 is filed under the 学号: {names:?}"
    );
    assert!(
        names.iter().any(|n| n.ends_with("_刘芳丽/个人档案.pdf")),
        "{names:?}"
    );
    let text = manifest_records(&dir.path().join("out.zip"))
        .iter()
        .map(|r| r.iter().collect::<Vec<_>>().join(","))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("GBK 编码无法表示") && text.contains("改用学号 2023031101"),
        "{text}"
    );
}

#[test]
fn a_student_without_documents_gets_a_cover_an_empty_toc_and_a_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows = vec![
        vec![
            "学号",
            "姓名",
            "性别",
            "出生日期",
            "学院",
            "党支部",
            "发展阶段",
        ],
        vec![
            "2023990101",
            "王五",
            "男",
            "2004-03-15",
            "文学院",
            "学生第一党支部",
            "入党申请人",
        ],
    ];
    write_workbook(&dir.path().join("花名册.xlsx"), &[("花名册", rows)]);
    let r = run_in(
        dir.path(),
        &[
            "render",
            "packet",
            "--data",
            "花名册.xlsx",
            "--out",
            "out.zip",
        ],
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.all());
    let zip = dir.path().join("out.zip");
    let text = manifest_records(&zip)
        .iter()
        .map(|r| r.iter().collect::<Vec<_>>().join(","))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("没有可归档的文书"), "{text}");
    let packets = pdfs(&zip);
    let pdf = packets
        .get("文学院/学生第一党支部/2023990101_王五/个人档案.pdf")
        .unwrap_or_else(|| panic!("{:?}", packets.keys()));
    assert_eq!(pages(pdf), 2, "cover and 目录 only");
    assert!(squeeze(&page_text(pdf, 1, 1)).contains("王五"));
    assert!(squeeze(&page_text(pdf, 2, 2)).contains("没有该生可归档的文书"));
}

#[test]
fn the_manifest_workbook_has_text_ids_and_a_sheet_per_status() {
    use calamine::{Data, Reader, Xlsx};
    let done = packets();
    let (_, bytes) = unzip(&done.zip)
        .into_iter()
        .find(|(n, _)| n == "清单.xlsx")
        .expect("清单.xlsx beside 清单.csv");
    let mut inner = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("a zip");
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut inner.by_name("xl/worksheets/sheet1.xml").expect("sheet1"),
        &mut sheet,
    )
    .expect("xml");
    assert!(sheet.contains("state=\"frozen\""), "frozen header");
    assert!(sheet.contains("<autoFilter"), "a filter on the header");
    assert!(sheet.contains("<col "), "column widths");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx");
    let names = book.sheet_names();
    assert_eq!(names.first().map(String::as_str), Some("全部"), "{names:?}");
    assert!(names.iter().any(|n| n == "生成"), "{names:?}");
    let all = book.worksheet_range("全部").expect("sheet");
    let csv_rows = manifest_records(&done.zip);
    assert_eq!(all.height(), csv_rows.len() + 1, "every manifest line");
    let header: Vec<String> = all
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[4], "学号");
    let ids: Vec<&Data> = all.rows().skip(1).map(|r| &r[4]).collect();
    assert!(
        ids.iter()
            .any(|d| matches!(d, Data::String(s) if s.len() == 10))
    );
    assert!(
        ids.iter()
            .all(|d| matches!(d, Data::String(_) | Data::Empty)),
        "学号 are text"
    );
    assert_eq!(header[6], "身份证号");
    let cards: Vec<&Data> = all.rows().skip(1).map(|r| &r[6]).collect();
    assert!(
        cards
            .iter()
            .any(|d| matches!(d, Data::String(s) if s.len() == 18)),
        "the students' 身份证号 are listed"
    );
    assert!(
        cards
            .iter()
            .all(|d| matches!(d, Data::String(_) | Data::Empty)),
        "身份证号 are text, never numbers in scientific notation"
    );
    let generated = book.worksheet_range("生成").expect("sheet");
    assert!(generated.rows().skip(1).all(|r| r[7] == "生成"));
}

#[test]
fn split_size_spreads_the_files_over_parts_each_with_its_own_manifest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ledger = arg(LEDGER);
    let r = run_in(
        dir.path(),
        &[
            "render",
            "talk-record",
            "--split-size",
            "4",
            "--data",
            &ledger,
            "--out",
            "打印.zip",
        ],
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.all());
    assert!(r.stdout.contains("打印-1.zip"), "{}", r.stdout);
    assert!(!dir.path().join("打印.zip").exists());
    let mut all_files = Vec::new();
    let mut n = 1;
    while dir.path().join(format!("打印-{n}.zip")).exists() {
        let part = dir.path().join(format!("打印-{n}.zip"));
        assert!(
            std::fs::metadata(&part).unwrap().len() <= 4 << 20,
            "part {n} ≤ 4 MB"
        );
        let entries = unzip(&part);
        let files: Vec<String> = entries
            .iter()
            .map(|(name, _)| name.clone())
            .filter(|name| name.ends_with(".pdf"))
            .collect();
        assert!(entries.iter().any(|(name, _)| name == "全部清单.csv"));
        for record in manifest_records(&part) {
            for output in record[7].split('；').filter(|o| !o.is_empty()) {
                assert!(
                    files.contains(&output.to_string()),
                    "part {n} lists {output}"
                );
            }
        }
        all_files.extend(files);
        n += 1;
    }
    assert!(n > 3, "several parts: {}", n - 1);
    let whole = render(&["talk-record"]);
    let mut expected: Vec<String> = pdfs(&whole.zip).into_keys().collect();
    all_files.sort();
    expected.sort();
    assert_eq!(all_files, expected, "every file once, in some part");
}
