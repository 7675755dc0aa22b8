//! The configuration file and template overrides change what is printed.

mod support;

use support::*;

#[test]
fn the_sample_configuration_sets_the_issuer() {
    let (r, dir) = run(&[
        "render",
        "certificate",
        "--data",
        &arg("injection/注入.xlsx"),
        "--config",
        &arg("sample/dangjian.toml"),
        "--out",
        "c.zip",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    for pdf in pdfs(&dir.path().join("c.zip")).values() {
        let text = squeeze(&pdf_text(pdf));
        assert!(text.contains("参加中共东方理工大学委员会党校"), "{text}");
        assert!(!text.contains("××"), "{text}");
    }
}

/// Without the issuers configured, the summary says so first, one line per setting, and the
/// manifest notes it; the 登记表 prints no placeholder imprint. With `[organization] school`,
/// both are named and no `××` is printed anywhere.
#[test]
fn issuers_not_configured_are_noted_first_and_none_is_printed_as_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "render",
        "certificate",
        "activist-registration",
        "--data",
        &arg("sample/学生党建台账.xlsx"),
        "--out",
        "r.zip",
    ];
    let r = run_in(dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.all());
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("注意：未设置党校名称")
            && lines[0].contains("organization.party_school"),
        "{}",
        r.stdout
    );
    assert!(
        lines[1].starts_with("注意：未设置组织部名称")
            && lines[1].contains("organization.organization_department"),
        "{}",
        r.stdout
    );
    let notes: Vec<_> = manifest_records(&dir.path().join("r.zip"))
        .into_iter()
        .take_while(|r| &r[6] == "提示")
        .collect();
    assert_eq!(notes.len(), 2, "two notices at the top of the manifest");
    assert!(
        notes[0][8].contains("organization.party_school"),
        "{notes:?}"
    );
    for (path, pdf) in pdfs(&dir.path().join("r.zip")) {
        if path.ends_with("入党积极分子登记表.pdf") {
            let text = squeeze(&pdf_text(&pdf));
            assert!(!text.contains("××") && !text.contains("组织部制"), "{text}");
        }
    }

    std::fs::write(
        dir.path().join("dangjian.toml"),
        "[organization]\nschool = \"东方理工大学\"\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!r.stdout.contains("未设置"), "{}", r.stdout);
    assert!(
        manifest_records(&dir.path().join("r.zip"))
            .iter()
            .all(|r| &r[6] != "提示")
    );
    let pdfs = pdfs(&dir.path().join("r.zip"));
    for (path, pdf) in &pdfs {
        let text = squeeze(&pdf_text(pdf));
        assert!(!text.contains("××"), "{path}: {text}");
        if !path.ends_with("入党积极分子登记表.pdf") {
            assert!(text.contains("中共东方理工大学委员会党校"), "{text}");
        } else {
            assert!(text.contains("中共东方理工大学委员会组织部制"), "{text}");
        }
    }
}

#[test]
fn pass_mark_issue_date_and_minimum_hours_come_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("dangjian.toml"),
        "[certificate]\nissuer = \"中共示范学院委员会党校\"\npass_mark = 90\nissue_date = \"2025-07-01\"\n[certificate.min_hours]\n\"入党积极分子\" = 8\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &[
            "render",
            "certificate",
            "--data",
            &arg("sample/花名册.xlsx"),
            "--data",
            &arg("sample/党校成绩.xlsx"),
            "--out",
            "c.zip",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("低于合格线 90"), "{}", r.stdout);
    let pdfs = pdfs(&dir.path().join("c.zip"));
    assert!(
        !pdfs.is_empty() && pdfs.len() < 29,
        "fewer pass at 90: {}",
        pdfs.len()
    );
    for pdf in pdfs.values() {
        let text = squeeze(&pdf_text(pdf));
        assert!(text.contains("二〇二五年七月一日"), "{text}");
        assert!(text.contains("中共示范学院委员会党校"), "{text}");
    }
}

#[test]
fn a_template_directory_overrides_the_certificate_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("模板");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("certificate.typ.j2"),
        "#set text(font: \"Noto Serif SC\")\n#import \"/校徽.typ\": motto\n自定义证书：{{ student.name }}，{{ course.name }}，#motto\n",
    )
    .unwrap();
    std::fs::write(templates.join("校徽.typ"), "#let motto = [厚德博学]\n").unwrap();
    let r = run_in(
        dir.path(),
        &[
            "render",
            "certificate",
            "--data",
            &arg("injection/注入.xlsx"),
            "--templates",
            "模板",
            "--out",
            "c.zip",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let pdfs = pdfs(&dir.path().join("c.zip"));
    let text: String = pdfs.values().map(|p| squeeze(&pdf_text(p))).collect();
    assert!(text.contains("自定义证书："), "{text}");
    assert!(
        text.contains("厚德博学"),
        "a support file of the template directory is importable"
    );
    assert!(
        text.contains("#read(\"/etc/passwd\")]"),
        "values are still escaped: {text}"
    );
}

#[test]
fn a_broken_template_is_reported_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("t");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("certificate.typ.j2"),
        "#text(font: \"宋体不存在\")[{{ student.name }}]\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &[
            "render",
            "certificate",
            "--data",
            &arg("injection/注入.xlsx"),
            "--templates",
            "t",
            "--out",
            "c.zip",
        ],
    );
    // A template error is the template's, not a row's: exit 2, no archive (README).
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("certificate.typ.j2"), "{}", r.stderr);
    assert!(
        r.stderr.contains("宋体不存在"),
        "an unknown font family is an error: {}",
        r.stderr
    );
    assert!(!dir.path().join("c.zip").exists(), "no archive");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "only the template directory, no temporary file left"
    );

    std::fs::write(templates.join("certificate.typ.j2"), "{% if %}\n").unwrap();
    let r = run_in(
        dir.path(),
        &[
            "render",
            "certificate",
            "--data",
            &arg("injection/注入.xlsx"),
            "--templates",
            "t",
            "--out",
            "c.zip",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("模板 certificate.typ.j2"), "{}", r.stderr);
}

#[test]
fn gbk_names_are_written_for_old_windows_extractors() {
    let (r, dir) = run(&[
        "render",
        "certificate",
        "--gbk-names",
        "--data",
        &arg("injection/注入.xlsx"),
        "--out",
        "c.zip",
    ]);
    assert_eq!(r.code, 0, "{}", r.all());
    let bytes = std::fs::read(dir.path().join("c.zip")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("党校结业证书.pdf");
    assert!(
        bytes.windows(gbk.len()).any(|w| w == &gbk[..]),
        "entry names are stored in GBK"
    );
    // Modern extractors still see the real (UTF-8) names.
    let names: Vec<String> = unzip(&dir.path().join("c.zip"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(
        names.iter().any(|n| n.ends_with("/党校结业证书.pdf")),
        "{names:?}"
    );
    assert!(names.contains(&"清单.csv".to_string()), "{names:?}");
}
