//! `dangjian init` and `dangjian templates export`: a newcomer's first steps.

mod support;

use calamine::{Data, Reader, Xlsx, open_workbook};
use dangjian::read::SheetKind;
use std::io::Read;
use std::path::Path;
use support::*;

/// The XML of one part of an xlsx file.
fn xlsx_part(path: &Path, part: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    zip.by_name(part)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn init_writes_a_template_that_reads_back_without_a_problem_and_renders() {
    let (r, dir) = run(&["init", "2025学生党建"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let year = dir.path().join("2025学生党建");
    for name in ["台账模板.xlsx", "dangjian.toml", "说明.txt"] {
        assert!(year.join(name).is_file(), "{name}: {}", r.stdout);
    }

    // The real reader, with the written dangjian.toml picked up from the directory.
    let r = run_in(&year, &["check", "--data", "台账模板.xlsx"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("配置：dangjian.toml"), "{}", r.stdout);
    assert!(
        r.stdout.contains("检查完毕：没有发现问题。"),
        "{}",
        r.stdout
    );
    for kind in SheetKind::ALL {
        assert!(
            r.stdout.contains(&format!("{} 1 行", kind.label())),
            "one example row of {}: {}",
            kind.label(),
            r.stdout
        );
    }

    // The example student keeps every procedure rule.
    let r = run_in(
        &year,
        &[
            "check",
            "--rules",
            "--data",
            "台账模板.xlsx",
            "--out",
            "检查报告.pdf",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("发现 0 条问题"), "{}", r.stdout);
    let report = squeeze(&pdf_text(
        &std::fs::read(year.join("检查报告.pdf")).unwrap(),
    ));
    assert!(report.contains("未发现不符合程序的情况"), "{report}");
    assert!(year.join("检查报告.xlsx").is_file());

    let r = run_in(
        &year,
        &[
            "render",
            "all",
            "--data",
            "台账模板.xlsx",
            "--out",
            "材料.zip",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let made = pdfs(&year.join("材料.zip"));
    assert_eq!(made.len(), 5, "every kind of document: {:?}", made.keys());
    let certificate = made
        .iter()
        .find(|(name, _)| name.ends_with("党校结业证书.pdf"))
        .unwrap()
        .1;
    assert!(squeeze(&pdf_text(certificate)).contains("李明"));
}

#[test]
fn the_template_has_the_standard_headers_text_ids_dates_lists_and_a_frozen_header() {
    let (r, dir) = run(&["init", "."]);
    assert_eq!(r.code, 0, "{}", r.all());
    let path = dir.path().join("台账模板.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let names = wb.sheet_names();
    assert_eq!(
        names,
        [
            "花名册",
            "党校培训",
            "谈话记录",
            "政治审查",
            "家庭成员",
            "民主评议",
            "简历",
            "说明"
        ]
    );
    for (i, kind) in SheetKind::ALL.into_iter().enumerate() {
        let range = wb.worksheet_range(&names[i]).unwrap();
        let headers: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let expected: Vec<String> = kind
            .columns()
            .iter()
            .map(|c| dangjian::init::workbook::header_text(c.name))
            .collect();
        assert_eq!(headers, expected, "{}", names[i]);
    }
    let roster = wb.worksheet_range("花名册").unwrap();
    let at = |name: &str| {
        let col = SheetKind::Roster
            .columns()
            .iter()
            .position(|c| c.name == name)
            .unwrap();
        roster.get((1, col)).unwrap().clone()
    };
    assert_eq!(
        at("身份证号"),
        Data::String("110105200305121233".into()),
        "18 digits kept as text"
    );
    assert_eq!(at("学号"), Data::String("2021010101".into()));
    assert!(
        matches!(at("出生日期"), Data::DateTime(_)),
        "{:?}",
        at("出生日期")
    );

    let sheet1 = xlsx_part(&path, "xl/worksheets/sheet1.xml");
    assert!(
        sheet1.contains(r#"ySplit="1""#) && sheet1.contains(r#"state="frozen""#),
        "frozen header"
    );
    assert!(sheet1.contains("<dataValidations"), "drop-down lists");
    assert!(sheet1.contains("\"男,女\""), "性别 list");
    assert!(sheet1.contains("维吾尔族"), "民族 list");
    assert!(sheet1.contains("入党申请人,入党积极分子,发展对象,预备党员,正式党员"));
    let styles = xlsx_part(&path, "xl/styles.xml");
    assert!(styles.contains(r#"formatCode="@""#) && styles.contains("yyyy-mm-dd"));
    let appraisal = xlsx_part(&path, "xl/worksheets/sheet6.xml");
    assert!(
        appraisal.contains("优秀,合格,基本合格,不合格"),
        "评定等次 list"
    );
    let training = xlsx_part(&path, "xl/worksheets/sheet2.xml");
    assert!(
        training.contains("入党积极分子,发展对象,预备党员,党员"),
        "培训类别 list"
    );
    let talks = xlsx_part(&path, "xl/worksheets/sheet3.xml");
    assert!(talks.contains("入党申请人谈话"), "谈话类型 list");
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("说明.txt"), "我的笔记").unwrap();
    let r = run_in(dir.path(), &["init", "."]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("已有 说明.txt") && r.stderr.contains("未写入任何文件"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("说明.txt")).unwrap(),
        "我的笔记"
    );
    assert!(!dir.path().join("台账模板.xlsx").exists());
    assert!(!dir.path().join("dangjian.toml").exists());
}

#[test]
fn exported_templates_are_used_once_edited() {
    let (r, dir) = run(&["templates", "export", "我的模板"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let templates = dir.path().join("我的模板");
    for name in [
        "certificate.typ.j2",
        "activist-registration.typ.j2",
        "talk-record.typ.j2",
        "political-review.typ.j2",
        "annual-appraisal.typ.j2",
        "form.typ",
        "模板说明.md",
    ] {
        assert!(templates.join(name).is_file(), "{name}");
    }
    let guide = std::fs::read_to_string(templates.join("模板说明.md")).unwrap();
    assert!(guide.contains("| `student.name` |"), "{guide}");

    // Unedited, the export renders exactly like the built-in templates.
    let data = arg("injection/注入.xlsx");
    let base = ["render", "certificate", "--data", &data];
    let r = run_in(dir.path(), &[&base[..], &["--out", "a.zip"]].concat());
    assert_eq!(r.code, 0, "{}", r.all());
    let r = run_in(
        dir.path(),
        &[&base[..], &["--templates", "我的模板", "--out", "b.zip"]].concat(),
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(
        pdfs(&dir.path().join("a.zip")),
        pdfs(&dir.path().join("b.zip"))
    );

    // Edited: the new wording is printed.
    let path = templates.join("certificate.typ.j2");
    let source = std::fs::read_to_string(&path).unwrap();
    assert!(
        source.contains("准予结业"),
        "the certificate's wording is in the template"
    );
    std::fs::write(&path, source.replace("准予结业", "准予结业特此证明")).unwrap();
    let r = run_in(
        dir.path(),
        &[&base[..], &["--templates", "我的模板", "--out", "c.zip"]].concat(),
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let made = pdfs(&dir.path().join("c.zip"));
    assert!(!made.is_empty());
    for pdf in made.values() {
        assert!(squeeze(&pdf_text(pdf)).contains("准予结业特此证明"));
    }

    // A mistake in the edited template names the file and the line, in Chinese.
    let mut lines: Vec<&str> = source.lines().collect();
    lines.insert(8, "{{ student.name | 不存在的过滤器 }}");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let r = run_in(
        dir.path(),
        &[&base[..], &["--templates", "我的模板", "--out", "d.zip"]].concat(),
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("模板 certificate.typ.j2"), "{}", r.stderr);
    assert!(r.stderr.contains("第 9 行"), "{}", r.stderr);
    assert!(!dir.path().join("d.zip").exists());

    // A typst mistake in the template names the template file's line too.
    std::fs::write(&path, source.replacen("#set page(", "#set pag(", 1)).unwrap();
    let template_line = source
        .lines()
        .position(|l| l.starts_with("#set page("))
        .unwrap()
        + 1;
    let r = run_in(
        dir.path(),
        &[&base[..], &["--templates", "我的模板", "--out", "d.zip"]].concat(),
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr
            .contains(&format!("（模板文件第 {template_line} 行）"))
            && r.stderr.contains("pag"),
        "{}",
        r.stderr
    );

    // A typst mistake in the exported support file names it and its line.
    std::fs::write(&path, source).unwrap();
    let form = std::fs::read_to_string(templates.join("form.typ")).unwrap();
    std::fs::write(
        templates.join("form.typ"),
        format!("{form}\n#let broken = (\n"),
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &[&base[..], &["--templates", "我的模板", "--out", "e.zip"]].concat(),
    );
    assert_eq!(r.code, 2, "{}", r.all());
    let line = form.lines().count() + 2;
    assert!(
        r.stderr.contains("/form.typ") && r.stderr.contains(&format!("第 {line} 行")),
        "{}",
        r.stderr
    );

    // Exporting again refuses to overwrite the edits.
    let r = run_in(dir.path(), &["templates", "export", "我的模板"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("未写入任何文件"), "{}", r.stderr);
}
