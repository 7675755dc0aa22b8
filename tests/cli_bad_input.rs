//! Every bad file of fixtures/bad: a clear Chinese message naming the file (and cell), the
//! right exit code, no panic, and never a partial archive.

mod support;

use support::*;

/// Runs `check` and `render` on one bad file (with the sample roster when `with_roster`).
fn both(file: &str, with_roster: bool) -> (Run, Run, bool) {
    let mut data = Vec::new();
    if with_roster {
        data.extend(["--data".to_string(), arg("sample/花名册.xlsx")]);
    }
    data.extend(["--data".to_string(), arg(file)]);
    let check_args: Vec<String> = ["check".to_string()]
        .into_iter()
        .chain(data.clone())
        .collect();
    let render_args: Vec<String> = ["render", "certificate", "--out", "out.zip"]
        .into_iter()
        .map(String::from)
        .chain(data)
        .collect();
    let (check, _d1) = run(&check_args.iter().map(String::as_str).collect::<Vec<_>>());
    let (render, dir) = run(&render_args.iter().map(String::as_str).collect::<Vec<_>>());
    let archive_written = dir.path().join("out.zip").exists();
    for r in [&check, &render] {
        assert!(
            !r.all().contains("panicked"),
            "{file}: no panic: {}",
            r.all()
        );
    }
    (check, render, archive_written)
}

#[test]
fn unreadable_files_stop_the_run_with_the_file_named() {
    for (file, says) in [
        ("bad/损坏.xlsx", "已损坏"),
        ("bad/改名的文本.xlsx", "纯文本"),
        ("bad/随机字节.xls", "不是有效的 Excel 工作簿"),
        ("bad/GBK无BOM乱码.csv", "既不是 UTF-8 也不是 GBK"),
    ] {
        let (check, render, written) = both(file, true);
        let name = file.rsplit('/').next().unwrap();
        for r in [&check, &render] {
            assert_eq!(r.code, 2, "{file}: {}", r.all());
            assert!(
                r.all().contains(name),
                "{file}: the file is named: {}",
                r.all()
            );
            assert!(r.all().contains(says), "{file}: says {says}: {}", r.all());
        }
        assert!(!written, "{file}: no archive when an input cannot be read");
    }
}

#[test]
fn a_workbook_without_a_usable_roster_stops_the_run() {
    for (file, says) in [
        ("bad/空表.xlsx", "工作表为空"),
        ("bad/只有表头.xlsx", "没有数据行"),
        ("bad/缺少必填列.xlsx", "党支部"),
        ("bad/不认识的表.xlsx", "无法识别工作表类型"),
    ] {
        let (check, render, written) = both(file, false);
        for r in [&check, &render] {
            assert_eq!(r.code, 2, "{file}: {}", r.all());
            assert!(r.all().contains(says), "{file}: says {says}: {}", r.all());
            assert!(
                r.all().contains("没有找到含数据的花名册"),
                "{file}: {}",
                r.all()
            );
        }
        assert!(!written, "{file}: no archive");
    }
}

#[test]
fn numeric_id_cells_are_errors_telling_to_re_enter_as_text() {
    let (check, _, _) = both("bad/数字身份证.xlsx", false);
    assert_eq!(check.code, 1, "{}", check.all());
    for row in [2, 3, 4, 5, 6, 7, 9] {
        let cell = format!("数字身份证.xlsx › 花名册 › F{row} 列「身份证号」");
        assert!(
            check.stdout.contains(&cell),
            "F{row} reported: {}",
            check.stdout
        );
    }
    assert!(check.stdout.contains("15 位有效数字"));
    assert!(
        check.stdout.contains("文本"),
        "tells to use text format: {}",
        check.stdout
    );
}

#[test]
fn every_bad_date_is_reported_with_its_cell() {
    let (check, render, written) = both("bad/日期错误.xlsx", false);
    assert_eq!(check.code, 1);
    assert_eq!(render.code, 1, "{}", render.all());
    assert!(written, "the other rows still make an archive");
    for (cell, value) in [
        ("E2", "2003-13-01"),
        ("M3", "明年"),
        ("E4", "2003年2月30日"),
        ("E5", "12/05/2003"),
    ] {
        let needle = format!("日期错误.xlsx › 花名册 › {cell}");
        assert!(check.stdout.contains(&needle), "{cell}: {}", check.stdout);
        assert!(check.stdout.contains(value), "{value}: {}", check.stdout);
    }
}

#[test]
fn a_ten_megabyte_cell_is_reported_and_does_not_stop_the_run() {
    let (check, render, written) = both("bad/超大单元格.xlsx", false);
    // Over the 备注 limit: that row is refused with its cell, the others are made.
    assert_eq!(check.code, 1, "{}", check.all());
    assert_eq!(render.code, 1, "{}", render.all());
    assert!(written, "the other rows still make an archive");
    assert!(
        check.stdout.contains("超大单元格.xlsx › 花名册 › U3"),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("内容有 3495261 字，超过本列的上限 10000 字"),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.len() < 20_000,
        "the value is shortened in the message"
    );
}

#[test]
fn a_million_blank_rows_are_skipped_quickly() {
    let started = std::time::Instant::now();
    let (check, _, _) = both("bad/百万空行.xlsx", false);
    assert_eq!(check.code, 0, "{}", check.all());
    assert!(check.stdout.contains("花名册 5 行"), "{}", check.stdout);
    assert!(check.stdout.contains("空行 1000000 行"), "{}", check.stdout);
    // Not a benchmark: a guard against materialising a million rows per cell.
    assert!(started.elapsed().as_secs() < 60);
}

#[test]
fn strict_mode_writes_nothing_when_any_row_has_an_error() {
    let (r, dir) = run(&[
        "render",
        "certificate",
        "--strict",
        "--data",
        &arg("sample/花名册.xlsx"),
        "--data",
        &arg("sample/党校成绩.xlsx"),
        "--out",
        "c.zip",
    ]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.all().contains("严格模式"), "{}", r.all());
    assert!(!dir.path().join("c.zip").exists());
}

#[test]
fn a_failed_write_leaves_no_partial_archive() {
    let (r, dir) = run(&[
        "render",
        "certificate",
        "--data",
        &arg("sample/花名册.xlsx"),
        "--data",
        &arg("sample/党校成绩.xlsx"),
        "--out",
        "没有的目录/c.zip",
    ]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("没有的目录"),
        "the path is named: {}",
        r.stderr
    );
    assert!(!dir.path().join("没有的目录").exists());
}

#[test]
fn an_existing_archive_is_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.zip"), b"old").unwrap();
    let r = run_in(
        dir.path(),
        &[
            "render",
            "certificate",
            "--data",
            &arg("injection/注入.xlsx"),
            "--out",
            "c.zip",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(pdfs(&dir.path().join("c.zip")).len(), 4);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(
        leftovers,
        vec!["c.zip".to_string()],
        "no temporary file left behind"
    );
}

#[test]
fn bad_configuration_and_unknown_documents_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("dangjian.toml"),
        "[certificate]\npass_mark = 160\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["check", "--data", &arg("sample/花名册.xlsx")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("certificate.pass_mark"), "{}", r.stderr);

    let (r, _d) = run(&[
        "render",
        "diploma",
        "--data",
        &arg("sample/花名册.xlsx"),
        "--out",
        "x.zip",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("不认识的文书「diploma」"), "{}", r.stderr);
}

#[test]
fn help_is_in_chinese_with_an_example() {
    let (r, _d) = run(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("党建材料生成工具"));
    assert!(
        r.stdout
            .contains("dangjian render certificate --data 花名册.xlsx")
    );
    let (r, _d) = run(&["render", "--help"]);
    assert!(r.stdout.contains("--strict") && r.stdout.contains("严格模式"));
    assert!(r.stdout.contains("--font-path") && r.stdout.contains("--templates"));
}

/// A sheet of thousands of rows is read in parts: a problem far down still names its own
/// cell, a duplicate is still found across parts, and records of a late row still link.
#[test]
fn problems_of_a_long_sheet_name_their_own_rows_across_its_parts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("大名册.xlsx");
    let ids: Vec<String> = (0..3000).map(|i| format!("{}", 2021000000 + i)).collect();
    let mut roster = vec![vec!["学号", "姓名", "性别", "出生日期", "学院", "党支部"]];
    for (i, id) in ids.iter().enumerate() {
        let birth = if i == 2499 { "2003-13" } else { "2003-05" };
        // The student of sheet row 2 802 repeats the 学号 of row 1 002.
        let id = if i == 2800 { &ids[1000] } else { id };
        roster.push(vec![id, "张三", "男", birth, "文学院", "学生第一党支部"]);
    }
    let training = vec![
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
            &ids[2999],
            "张三",
            "第1期",
            "2025-03-01",
            "2025-04-01",
            "16",
            "90",
        ],
    ];
    write_workbook(&path, &[("花名册", roster), ("党校培训", training)]);
    let run = run_in(dir.path(), &["check", "--data", "大名册.xlsx"]);
    let out = run.all();
    assert_eq!(run.code, 1, "{out}");
    assert!(
        out.contains("花名册 › D2501"),
        "the bad date's own cell: {out}"
    );
    assert!(
        out.contains("花名册 › 第2802行") && out.contains("首次见 大名册.xlsx › 花名册 第1002行"),
        "the duplicate found across parts: {out}"
    );
    assert!(out.contains("花名册 3000 行，党校培训 1 行"), "{out}");
    assert!(
        !out.contains("党校培训 › 第2行"),
        "the late student's record links: {out}"
    );
}
