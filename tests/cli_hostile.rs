//! Hostile and unlucky input and output paths: special files, the same file twice, two files
//! with one base name, an output that is an input, signals, a closed stdout, text that
//! would drive a terminal or run in Excel. Every case: a clear Chinese message, the
//! documented exit code, no file left behind.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{arg, fixture, manifest_records, pdfs, run, run_in, write_workbook};

const ROSTER: &str = "sample/花名册.xlsx";
const RESULTS: &str = "sample/党校成绩.xlsx";

/// The names in a directory, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

/// `dangjian render certificate --data ROSTER --data RESULTS --out OUT`, run in `dir`.
fn render_certificates(dir: &Path, roster: &str, results: &str, out: &str) -> support::Run {
    run_in(
        dir,
        &[
            "render",
            "certificate",
            "--data",
            roster,
            "--data",
            results,
            "--out",
            out,
        ],
    )
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[test]
#[cfg(unix)]
fn special_files_as_data_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("台账.xlsx");
    mkfifo(&fifo);
    let started = Instant::now();
    let r = run_in(
        dir.path(),
        &["check", "--data", "台账.xlsx", "--data", &arg(ROSTER)],
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "no hang on a FIFO"
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("不是普通文件（是命名管道）"),
        "{}",
        r.stderr
    );

    let r = run_in(dir.path(), &["check", "--data", "/dev/zero"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("（是设备）"), "{}", r.stderr);

    let r = run_in(dir.path(), &["check", "--data", "."]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("（是文件夹）"), "{}", r.stderr);
}

#[test]
fn an_input_over_the_size_limit_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dangjian.toml"), "[limits]\ninput_mb = 1\n").unwrap();
    std::fs::write(dir.path().join("大.xlsx"), vec![b'x'; 1_100_000]).unwrap();
    let r = run_in(dir.path(), &["check", "--data", "大.xlsx"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("超过上限 1.0 MB") && r.stderr.contains("input_mb"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_same_file_twice_is_an_error_up_front() {
    let (r, dir) = run(&[
        "render",
        "certificate",
        "--data",
        &arg(ROSTER),
        "--data",
        &arg(RESULTS),
        "--data",
        &fixture("sample/../sample/党校成绩.xlsx").to_string_lossy(),
        "--out",
        "c.zip",
    ]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("同一个数据文件给了两次"), "{}", r.stderr);
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn two_files_with_one_base_name_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    for (folder, source) in [("a", ROSTER), ("b", RESULTS)] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::copy(fixture(source), dir.path().join(folder).join("台账.xlsx")).unwrap();
    }
    let r = render_certificates(dir.path(), "a/台账.xlsx", "b/台账.xlsx", "c.zip");
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout
            .contains("a/台账.xlsx（xlsx）、b/台账.xlsx（xlsx）"),
        "{}",
        r.stdout
    );
    let zip = dir.path().join("c.zip");
    // The same certificates as from the files under their own names.
    assert_eq!(pdfs(&zip).len(), 29);
    let records = manifest_records(&zip);
    let files: std::collections::BTreeSet<&str> = records.iter().skip(1).map(|r| &r[0]).collect();
    assert_eq!(files, ["a/台账.xlsx", "b/台账.xlsx"].into_iter().collect());
    // Every certificate is listed once, on the course-result row it was made from.
    let generated: Vec<_> = records
        .iter()
        .filter(|r| &r[6] == "生成" && r[7].ends_with("党校结业证书.pdf"))
        .collect();
    assert!(
        generated
            .iter()
            .all(|r| &r[0] == "b/台账.xlsx" || !r[7].is_empty())
    );
    assert!(
        generated.iter().all(|r| r[7].contains(&r[4][..])),
        "{generated:?}"
    );
}

#[test]
fn the_output_is_never_an_input_a_folder_or_a_device() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("花名册.xlsx");
    std::fs::copy(fixture(ROSTER), &data).unwrap();
    let before = std::fs::read(&data).unwrap();
    let r = render_certificates(dir.path(), "花名册.xlsx", &arg(RESULTS), "./花名册.xlsx");
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("就是输入的数据文件"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(&data).unwrap(),
        before,
        "the ledger is untouched"
    );

    std::fs::create_dir(dir.path().join("out")).unwrap();
    let r = render_certificates(dir.path(), &arg(ROSTER), &arg(RESULTS), "out");
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("不是普通文件"), "{}", r.stderr);
    #[cfg(unix)]
    {
        let fifo = dir.path().join("管道.zip");
        mkfifo(&fifo);
        let r = render_certificates(dir.path(), &arg(ROSTER), &arg(RESULTS), "管道.zip");
        assert_eq!(r.code, 2, "{}", r.all());
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }
    assert_eq!(
        listing(dir.path())
            .iter()
            .filter(|n| n.ends_with(".tmp"))
            .count(),
        0
    );
}

#[test]
#[cfg(unix)]
fn an_existing_archive_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.zip");
    std::fs::write(&out, b"old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let r = render_certificates(dir.path(), &arg(ROSTER), &arg(RESULTS), "c.zip");
    assert_eq!(r.code, 1, "{}", r.all());
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert!(pdfs(&out).len() == 29);
}

#[test]
#[cfg(unix)]
fn a_terminated_run_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args([
            "render",
            "all",
            "--data",
            &arg("sample/学生党建台账.xlsx"),
            "--out",
            "全部.zip",
        ])
        .current_dir(dir.path())
        .env("CI", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the archive is being written, then ask the process to stop.
    let started = Instant::now();
    while !listing(dir.path()).iter().any(|n| n.ends_with(".tmp")) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no temporary file appeared"
        );
        if child.try_wait().unwrap().is_some() {
            panic!("the run ended before it could be interrupted");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = child.wait().unwrap().code();
    assert_eq!(code, Some(128 + 15), "the conventional code of SIGTERM");
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[test]
fn a_closed_stdout_is_not_a_crash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(["check", "--data", &arg(ROSTER), "--data", &arg(RESULTS)])
        .env("CI", "true")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn hostile_text_neither_drives_the_terminal_nor_runs_in_excel() {
    let dir = tempfile::tempdir().unwrap();
    let header = vec!["学号", "姓名", "性别", "出生日期", "学院", "党支部"];
    let rows = vec![
        header.clone(),
        vec![
            "2023990101",
            "张\u{1b}]0;pwned\u{7}三",
            "男",
            "2004-03-15",
            "文学院",
            "学生第一党支部",
        ],
        vec![
            "2023990102",
            "=HYPERLINK(\"http://x\")",
            "女",
            "2004-03-15",
            "文学院",
            "学生第一党支部",
        ],
        vec![
            "2023990103",
            "李\u{200B}四",
            "男",
            "2004-13-15",
            "文学院",
            "学生第一党支部",
        ],
    ];
    write_workbook(&dir.path().join("花名册.xlsx"), &[("花名册", rows)]);
    let r = run_in(dir.path(), &["check", "--data", "花名册.xlsx"]);
    assert!(
        !r.stdout.contains('\u{1b}') && !r.stdout.contains('\u{7}'),
        "{:?}",
        r.stdout
    );
    assert!(r.stdout.contains("\\u{1b}]0;pwned\\u{7}"), "{}", r.stdout);
    assert!(
        r.stdout.contains("花名册.xlsx › 花名册 › B4 列「姓名」") && r.stdout.contains("U+200B"),
        "the invisible character is reported with its cell: {}",
        r.stdout
    );

    let cert_rows = vec![
        vec![
            "学号",
            "姓名",
            "培训班",
            "开始日期",
            "结束日期",
            "学时",
            "成绩",
        ],
        vec![
            "2023990102",
            "=HYPERLINK(\"http://x\")",
            "第1期入党积极分子培训班",
            "2025-03-01",
            "2025-03-31",
            "n:20",
            "n:90",
        ],
    ];
    write_workbook(&dir.path().join("成绩.xlsx"), &[("党校成绩", cert_rows)]);
    let r = render_certificates(dir.path(), "花名册.xlsx", "成绩.xlsx", "c.zip");
    let records = manifest_records(&dir.path().join("c.zip"));
    let names: Vec<&str> = records.iter().map(|r| &r[5]).collect();
    assert!(
        names.contains(&"'=HYPERLINK(\"http://x\")"),
        "{names:?}\n{}",
        r.all()
    );
    assert!(!names.iter().any(|n| n.starts_with('=')), "{names:?}");
}

#[test]
fn invisible_characters_leave_names_and_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let rows = vec![
        vec!["学号", "姓名", "性别", "出生日期", "学院", "党支部"],
        vec![
            "2023990101",
            "王\u{200B}五\u{202E}",
            "男",
            "2004-03-15",
            "文学院",
            "学生第一党支部",
        ],
    ];
    write_workbook(&dir.path().join("花名册.xlsx"), &[("花名册", rows)]);
    let results = vec![
        vec![
            "学号",
            "姓名",
            "培训班",
            "开始日期",
            "结束日期",
            "学时",
            "成绩",
        ],
        vec![
            "2023990101",
            "王五",
            "第1期入党积极分子培训班",
            "2025-03-01",
            "2025-03-31",
            "n:20",
            "n:90",
        ],
    ];
    write_workbook(&dir.path().join("成绩.xlsx"), &[("党校成绩", results)]);
    let r = render_certificates(dir.path(), "花名册.xlsx", "成绩.xlsx", "c.zip");
    // The name without its invisible characters matches the course row's 王五.
    assert_eq!(r.code, 0, "{}", r.all());
    let files: Vec<String> = pdfs(&dir.path().join("c.zip")).into_keys().collect();
    assert_eq!(
        files,
        ["文学院/学生第一党支部/2023990101_王五/党校结业证书.pdf"]
    );
    assert!(r.stdout.contains("U+200B、U+202E"), "{}", r.stdout);
}

#[test]
fn one_id_card_number_for_two_students_is_an_error_naming_both_cells() {
    let dir = tempfile::tempdir().unwrap();
    let card = "110105200403150011";
    let rows = vec![
        vec![
            "学号",
            "姓名",
            "性别",
            "出生日期",
            "身份证号",
            "学院",
            "党支部",
        ],
        vec![
            "2023990101",
            "张三",
            "男",
            "2004-03-15",
            card,
            "文学院",
            "学生第一党支部",
        ],
        vec![
            "2023990102",
            "李四",
            "男",
            "2004-03-15",
            card,
            "文学院",
            "学生第一党支部",
        ],
    ];
    write_workbook(&dir.path().join("花名册.xlsx"), &[("花名册", rows)]);
    let r = run_in(dir.path(), &["check", "--data", "花名册.xlsx"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout
            .contains("花名册.xlsx › 花名册 › E3 列「身份证号」")
            && r.stdout.contains("与 花名册.xlsx › 花名册 › E2 的学生相同"),
        "{}",
        r.stdout
    );
}

#[test]
fn hidden_sheets_are_skipped_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let header = ["学号", "姓名", "性别", "出生日期", "学院", "党支部"];
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, student, hidden) in [
        (
            "花名册",
            [
                "2023990101",
                "张三",
                "男",
                "2004-03-15",
                "文学院",
                "学生第一党支部",
            ],
            false,
        ),
        (
            "旧花名册",
            [
                "2019990101",
                "王五",
                "男",
                "2000-03-15",
                "文学院",
                "学生第一党支部",
            ],
            true,
        ),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in student.iter().enumerate() {
            ws.write_string(1, c as u16, *v).unwrap();
        }
        if hidden {
            ws.set_hidden(true);
        }
    }
    wb.save(dir.path().join("花名册.xlsx")).unwrap();
    let r = run_in(dir.path(), &["check", "--data", "花名册.xlsx"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("花名册 1 行"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("花名册.xlsx › 旧花名册：隐藏的工作表，未读取")
            && r.stdout.contains("--include-hidden"),
        "{}",
        r.stdout
    );
    // The manifest says so too, on a line of its own for the sheet.
    let r = run_in(
        dir.path(),
        &["render", "all", "--data", "花名册.xlsx", "--out", "a.zip"],
    );
    assert!(r.code <= 1, "{}", r.all());
    let records = manifest_records(&dir.path().join("a.zip"));
    let hidden = records
        .iter()
        .find(|r| &r[1] == "旧花名册")
        .unwrap_or_else(|| panic!("{records:?}"));
    assert_eq!(
        (&hidden[0], &hidden[2], &hidden[3], &hidden[6]),
        ("花名册.xlsx", "", "工作表", "提示"),
        "{hidden:?}"
    );
    assert!(hidden[8].contains("隐藏的工作表，未读取"), "{hidden:?}");
    let r = run_in(
        dir.path(),
        &["check", "--data", "花名册.xlsx", "--include-hidden"],
    );
    assert!(r.stdout.contains("花名册 2 行"), "{}", r.all());
}

/// A roster of one student and one talk whose 谈话内容 is `content`, as CSV files in `dir`.
fn one_talk(dir: &Path, content: &str) {
    std::fs::write(
        dir.join("花名册.csv"),
        "学号,姓名,性别,出生日期,学院,党支部\n2023990101,张晓明,男,2004-03-15,测试学院,学生第一党支部\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("谈话记录.csv"),
        format!("学号,姓名,谈话日期,谈话人,谈话内容\n2023990101,张晓明,2025-03-01,李老师,\"{content}\"\n"),
    )
    .unwrap();
}

#[test]
fn text_over_its_limit_is_refused_with_its_cell_not_typeset() {
    let dir = tempfile::tempdir().unwrap();
    // Excel-legal, but far beyond any talk record: 32 767 characters in one paragraph.
    one_talk(dir.path(), &"谈".repeat(32_767));
    let started = Instant::now();
    let r = run_in(
        dir.path(),
        &[
            "render",
            "talk-record",
            "--data",
            "花名册.csv",
            "--data",
            "谈话记录.csv",
            "--out",
            "t.zip",
        ],
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("谈话记录 第2行")
            && r.stdout
                .contains("内容有 32767 字，超过本列的上限 10000 字"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("long_text_chars"), "{}", r.stdout);
    assert!(pdfs(&dir.path().join("t.zip")).is_empty());
    let records = manifest_records(&dir.path().join("t.zip"));
    let talk = records
        .iter()
        .find(|r| &r[0] == "谈话记录.csv" && &r[2] == "2")
        .unwrap();
    assert_eq!(&talk[6], "拒绝");
    assert!(talk[8].starts_with("E2 列「谈话内容」"), "{talk:?}");

    let name = "名".repeat(60);
    let long_name = vec![
        vec!["学号", "姓名", "性别", "出生日期", "学院", "党支部"],
        vec![
            "2023990101",
            &name[..],
            "男",
            "2004-03-15",
            "文学院",
            "学生第一党支部",
        ],
    ];
    write_workbook(&dir.path().join("名单.xlsx"), &[("花名册", long_name)]);
    let r = run_in(dir.path(), &["check", "--data", "名单.xlsx"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("B2 列「姓名」") && r.stdout.contains("上限 50 字"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_document_over_the_page_limit_is_refused_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    one_talk(dir.path(), &"谈话内容。".repeat(1_000));
    std::fs::write(
        dir.path().join("dangjian.toml"),
        "[limits]\npages_per_document = 2\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &[
            "render",
            "talk-record",
            "--data",
            "花名册.csv",
            "--data",
            "谈话记录.csv",
            "--out",
            "t.zip",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("谈心谈话记录未能生成：排版后有")
            && r.stdout.contains("超过每份文书的上限 2 页"),
        "{}",
        r.stdout
    );
    assert!(pdfs(&dir.path().join("t.zip")).is_empty());
}

#[test]
fn a_workbook_inflating_past_its_limit_and_a_sheet_past_its_rows_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // 30 000 rows of text: about 1 MB zipped, several MB of sheet XML once inflated.
    let mut rows = vec![vec![
        "学号".to_string(),
        "姓名".into(),
        "性别".into(),
        "出生日期".into(),
        "学院".into(),
        "党支部".into(),
    ]];
    for i in 0..30_000 {
        rows.push(vec![
            format!("20239{i:05}"),
            "张三".into(),
            "男".into(),
            "2004-03-15".into(),
            format!("第{i}学院"),
            "学生第一党支部".into(),
        ]);
    }
    let rows: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    write_workbook(&dir.path().join("花名册.xlsx"), &[("花名册", rows)]);
    let zipped = std::fs::metadata(dir.path().join("花名册.xlsx"))
        .unwrap()
        .len();
    assert!(zipped < 1_048_576, "{zipped}");

    std::fs::write(
        dir.path().join("dangjian.toml"),
        "[limits]\nunzipped_mb = 1\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["check", "--data", "花名册.xlsx"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stdout.contains("花名册.xlsx：解压后有") && r.stdout.contains("超过上限 1 MB"),
        "{}",
        r.all()
    );

    std::fs::write(
        dir.path().join("dangjian.toml"),
        "[limits]\nrows_per_sheet = 1000\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["check", "--data", "花名册.xlsx"]);
    assert!(
        r.stdout
            .contains("花名册.xlsx › 花名册：工作表超过 1000 行，未读取")
            && r.stdout.contains("rows_per_sheet"),
        "{}",
        r.all()
    );
}

#[test]
fn sixty_thousand_merged_ranges_are_read_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("花名册").unwrap();
    for (c, h) in ["学号", "姓名", "性别", "出生日期", "学院", "党支部"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let blank = rust_xlsxwriter::Format::new();
    for i in 0..60_000u32 {
        let r = i + 1;
        ws.write_string(r, 0, format!("2023{i:06}")).unwrap();
        for (c, v) in [(1, "张三"), (2, "男"), (3, "2004-03-15"), (4, "文学院")] {
            ws.write_string(r, c, v).unwrap();
        }
        // 党支部 merged over two columns on every row: 60 000 merged ranges.
        ws.merge_range(r, 5, r, 6, "学生第一党支部", &blank)
            .unwrap();
    }
    wb.save(dir.path().join("花名册.xlsx")).unwrap();
    let started = Instant::now();
    let r = run_in(dir.path(), &["check", "--data", "花名册.xlsx"]);
    let took = started.elapsed();
    assert!(r.stdout.contains("花名册 60000 行"), "{}", r.all());
    assert!(took < Duration::from_secs(30), "took {took:?}");
    eprintln!("60 000 merged ranges: check took {took:?}");
}

#[test]
#[cfg(unix)]
fn a_link_out_of_the_template_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("t");
    std::fs::create_dir(&templates).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", templates.join("passwd.txt")).unwrap();
    let r = run_in(
        dir.path(),
        &[
            "render",
            "certificate",
            "--data",
            &arg(ROSTER),
            "--data",
            &arg(RESULTS),
            "--templates",
            "t",
            "--out",
            "c.zip",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("passwd.txt 是指向目录之外的链接"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("c.zip").exists());

    // A link to a file inside the directory is fine.
    std::fs::remove_file(templates.join("passwd.txt")).unwrap();
    std::fs::write(templates.join("徽标.txt"), "x").unwrap();
    std::os::unix::fs::symlink(templates.join("徽标.txt"), templates.join("logo.txt")).unwrap();
    let r = run_in(
        dir.path(),
        &[
            "render",
            "certificate",
            "--data",
            &arg(ROSTER),
            "--data",
            &arg(RESULTS),
            "--templates",
            "t",
            "--out",
            "c.zip",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.all());
}

#[test]
fn a_csv_past_its_rows_is_refused_while_reading() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("学号,姓名,性别,出生日期,学院,党支部\n");
    for i in 0..2_000 {
        text.push_str(&format!(
            "2023{i:06},张三,男,2004-03-15,文学院,学生第一党支部\n"
        ));
    }
    std::fs::write(dir.path().join("花名册.csv"), text).unwrap();
    std::fs::write(
        dir.path().join("dangjian.toml"),
        "[limits]\nrows_per_sheet = 1000\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["check", "--data", "花名册.csv"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.all().contains("超过 1000 行，未读取"), "{}", r.all());
}

/// Two students with a political review each; the first has 9 000 family members, so that
/// its review (304 pages, 4 s and 1.1 GB to typeset without a budget; 3 000 members made
/// 105 pages in 0.9 s, too close to a one-second budget) runs well past a small budget.
fn one_heavy_review(dir: &Path, budget: &str) {
    std::fs::write(
        dir.join("花名册.csv"),
        "学号,姓名,性别,出生日期,学院,党支部\n\
         2023990101,张晓明,男,2004-03-15,测试学院,学生第一党支部\n\
         2023990102,李小红,女,2004-05-15,测试学院,学生第一党支部\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("政治审查.csv"),
        "学号,姓名,审查日期,审查结论\n\
         2023990101,张晓明,2025-03-01,合格\n\
         2023990102,李小红,2025-03-01,合格\n",
    )
    .unwrap();
    let mut family = String::from("学号,姓名,称谓,成员姓名,出生年月,政治面貌,工作单位及职务\n");
    for n in 0..9_000 {
        family += &format!("2023990101,张晓明,父亲,张{n},1970-01,群众,某某公司某某部门职员\n");
    }
    std::fs::write(dir.join("家庭成员.csv"), family).unwrap();
    std::fs::write(
        dir.join("dangjian.toml"),
        format!("[limits]\npages_per_document = 1000\n{budget}\n"),
    )
    .unwrap();
}

/// `render political-review` on [`one_heavy_review`]'s files, with extra arguments.
fn render_reviews(dir: &Path, extra: &[&str]) -> support::Run {
    let mut args = vec![
        "render",
        "political-review",
        "--data",
        "花名册.csv",
        "--data",
        "政治审查.csv",
        "--data",
        "家庭成员.csv",
        "--out",
        "r.zip",
    ];
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

#[test]
fn a_document_over_its_time_budget_is_stopped_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    one_heavy_review(dir.path(), "typeset_seconds = 1");
    let started = Instant::now();
    let r = render_reviews(dir.path(), &[]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("政治审查 第2行 2023990101 张晓明")
            && r.stdout.contains("排版超过每份文书的时间上限 1 秒，已停止")
            && r.stdout.contains("typeset_seconds"),
        "{}",
        r.stdout
    );
    let made: Vec<String> = pdfs(&dir.path().join("r.zip")).into_keys().collect();
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(made[0].contains("李小红"), "{made:?}");
    let records = manifest_records(&dir.path().join("r.zip"));
    let heavy = records
        .iter()
        .find(|r| &r[0] == "政治审查.csv" && &r[2] == "2")
        .unwrap();
    assert_eq!(&heavy[6], "拒绝", "{heavy:?}");
}

#[test]
fn a_document_over_the_memory_budget_is_stopped_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    one_heavy_review(dir.path(), "typeset_memory_mb = 150");
    let r = render_reviews(dir.path(), &["--jobs", "1"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("政治审查 第2行 2023990101 张晓明")
            && r.stdout.contains("排版时内存超过上限 150 MB，已停止")
            && r.stdout.contains("typeset_memory_mb"),
        "{}",
        r.stdout
    );
    let made: Vec<String> = pdfs(&dir.path().join("r.zip")).into_keys().collect();
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(made[0].contains("李小红"), "{made:?}");
}

/// Rewrites the xlsx at `path` without the saved results of its formulas, as a program that
/// does not calculate (openpyxl) writes them.
fn drop_formula_results(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        if name.starts_with("xl/worksheets/") {
            let text = String::from_utf8(data).unwrap();
            assert!(text.contains("</f><v>0</v>"), "{text}");
            data = text.replace("</f><v>0</v>", "</f>").into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &data).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn a_formula_with_no_saved_result_or_a_placeholder_zero_is_an_error_naming_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let roster = |id: &'static str| {
        vec![
            vec!["学号", "姓名", "性别", "出生日期", "学院", "党支部"],
            vec![
                "2023990101",
                "张晓明",
                "男",
                "2004-03-15",
                "文学院",
                "学生第一党支部",
            ],
            vec![id, "李小红", "女", "2004-05-15", "文学院", "学生第一党支部"],
        ]
    };
    // XlsxWriter-style: the formula's saved result is the placeholder 0.
    write_workbook(
        &dir.path().join("占位.xlsx"),
        &[("花名册", roster("f:=2023990100+2"))],
    );
    let r = run_in(dir.path(), &["check", "--data", "占位.xlsx"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("花名册 › A3 列「学号」值「0」") && r.stdout.contains("学号不能是 0"),
        "{}",
        r.stdout
    );
    // openpyxl-style: no saved result at all.
    write_workbook(
        &dir.path().join("未计算.xlsx"),
        &[("花名册", roster("f:=2023990100+2"))],
    );
    drop_formula_results(&dir.path().join("未计算.xlsx"));
    let r = run_in(dir.path(), &["check", "--data", "未计算.xlsx"]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout.contains("A3 列「学号」")
            && r.stdout.contains("单元格是公式，但文件中没有它的计算结果"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("1 行将被拒绝"), "{}", r.all());
}

/// A sheet over the row limit is refused whole even after its first thousands of rows were
/// read: none of them stays in the ledger, none is checked.
#[test]
fn a_sheet_found_too_long_after_its_first_parts_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    // Students the roster does not have: any row kept would be an error.
    let ids: Vec<String> = (0..2600).map(|i| format!("{}", 2029000000 + i)).collect();
    let mut training = vec![vec![
        "学号",
        "姓名",
        "培训班",
        "开始日期",
        "结束日期",
        "学时",
        "成绩",
    ]];
    for id in &ids {
        training.push(vec![
            id,
            "无名",
            "第1期",
            "2025-03-01",
            "2025-04-01",
            "16",
            "90",
        ]);
    }
    let roster = vec![
        vec!["学号", "姓名", "性别", "出生日期", "学院", "党支部"],
        vec![
            "2021010101",
            "张三",
            "男",
            "2003-05",
            "文学院",
            "学生第一党支部",
        ],
    ];
    write_workbook(
        &dir.path().join("台账.xlsx"),
        &[("花名册", roster), ("党校培训", training)],
    );
    std::fs::write(
        dir.path().join("dangjian.toml"),
        "[limits]\nrows_per_sheet = 2500\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["check", "--data", "台账.xlsx"]);
    let out = r.all();
    assert!(
        out.contains("台账.xlsx › 党校培训：工作表超过 2500 行，未读取"),
        "{out}"
    );
    assert!(out.contains("数据行：花名册 1 行；"), "{out}");
    assert!(
        !out.contains("2029000"),
        "no row of the refused sheet is checked: {out}"
    );
    assert!(out.contains("检查完毕：1 个错误"), "{out}");
}
