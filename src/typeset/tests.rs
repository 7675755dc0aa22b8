//! Tests of the whole stage: compile, determinism, sandbox, fonts, diagnostics.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::*;

/// The template name used in messages.
const TEMPLATE: &str = "certificate.typ.j2";

/// A support file the tests import.
const COMMON: &str = "#let greet(name) = [#name 同志：]\n#let broken() = undefined-thing\n";

/// One typesetter for every test (fonts load once).
static TYPESETTER: LazyLock<Typesetter> = LazyLock::new(|| {
    let mut support_files = BTreeMap::new();
    support_files.insert("/common.typ".to_string(), Bytes::new(COMMON.as_bytes()));
    support_files.insert(
        "img/blob.bin".to_string(),
        Bytes::new(vec![0u8, 159, 146, 150]),
    );
    Typesetter::new(TypesetOptions {
        support_files,
        ..TypesetOptions::default()
    })
    .expect("typesetter")
});

/// A one-page certificate-like document.
fn certificate(name: &str) -> String {
    format!(
        r#"#set page(paper: "a4", margin: 2cm)
#set text(font: ("{FAMILY_SERIF}", "{FAMILY_RARE}"), lang: "zh", region: "cn", size: 14pt)
#align(center, text(font: "{FAMILY_SANS}", size: 26pt)[结业证书])
{name}同志于 2025 年 3 月参加中共某某大学委员会党校第 12 期入党积极分子培训班学习，
完成规定课程 24 学时，考试成绩合格，准予结业。
#align(right, text(font: "{FAMILY_KAI}")[中共某某大学委员会党校 \ 2025 年 6 月 1 日])
"#
    )
}

fn compile(source: &str) -> Result<Typeset, TypesetError> {
    TYPESETTER.compile_pdf(source.to_string(), TEMPLATE)
}

fn error_text(source: &str) -> String {
    match compile(source) {
        Ok(_) => panic!("expected an error for {source:?}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn chinese_document_compiles_to_pdf_a() {
    let out = compile(&certificate("张三")).expect("compiles");
    assert!(out.pdf.starts_with(b"%PDF"));
    assert_eq!(out.pages, 1);
    assert!(out.missing_glyphs.is_empty());
    assert!(out.pdf_a);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let text = String::from_utf8_lossy(&out.pdf);
    assert!(text.contains("pdfaid"), "PDF/A metadata missing");
    assert!(text.contains("dangjian"), "creator missing");
}

#[test]
fn same_source_gives_identical_bytes() {
    let a = compile(&certificate("李四")).expect("compiles");
    let b = compile(&certificate("李四")).expect("compiles");
    assert_eq!(a.pdf, b.pdf);
    // A second typesetter (as in another process) gives the same bytes too.
    let other = Typesetter::new(TypesetOptions::default()).expect("typesetter");
    let c = other
        .compile_pdf(certificate("李四"), TEMPLATE)
        .expect("compiles");
    assert_eq!(a.pdf, c.pdf);
    // And a different document differs.
    let d = compile(&certificate("王五")).expect("compiles");
    assert_ne!(a.pdf, d.pdf);
}

#[test]
fn unknown_font_family_is_an_error() {
    let err = error_text("#set text(font: \"SimSun\")\n你好\n");
    assert!(err.contains("unknown font family: simsun"), "{err}");
    assert!(err.contains("第 1 行"), "{err}");
    assert!(err.contains(FAMILY_SERIF), "hint lists the families: {err}");
}

#[test]
fn reading_the_disk_is_refused() {
    let err = error_text("#read(\"/etc/passwd\")\n");
    assert!(err.contains("/etc/passwd"), "{err}");
    assert!(err.contains("沙箱"), "{err}");
    let err = error_text("#image(\"../../etc/hostname\")\n");
    assert!(err.contains("模板 certificate.typ.j2"), "{err}");
    let err = error_text("#import \"@preview/cetz:0.3.0\"\n");
    assert!(err.contains("沙箱"), "{err}");
}

#[test]
fn support_files_can_be_imported_and_read() {
    let source = "#import \"common.typ\": greet\n#greet[赵六]\n#assert.eq(read(\"/img/blob.bin\", encoding: none).len(), 4)\n";
    let out = compile(source).expect("compiles");
    assert!(out.pdf.starts_with(b"%PDF"));
}

#[test]
fn errors_inside_support_files_name_the_file_and_the_calling_line() {
    let err = error_text("#import \"/common.typ\": broken\n\n#broken()\n");
    assert!(err.contains("支持文件 /common.typ 第 2 行"), "{err}");
    assert!(err.contains("由生成代码第 3 行调用"), "{err}");
}

#[test]
fn syntax_error_names_template_and_line() {
    let err = error_text("第一行\n#let x = (1, 2\n第三行\n");
    assert!(
        err.starts_with("模板 certificate.typ.j2 生成的排版代码第 2 行"),
        "{err}"
    );
}

#[test]
fn evaluation_error_names_line_and_code() {
    let err = error_text("#set page(paper: \"a4\")\n\n好 #foo 好\n");
    assert!(
        err.contains("第 3 行第 4 列：unknown variable: foo"),
        "{err}"
    );
    assert!(err.contains("［该行：好 #foo 好］"), "{err}");
}

#[test]
fn today_is_the_configured_date() {
    compile("#assert.eq(datetime.today(), datetime(year: 2000, month: 1, day: 1))\n")
        .expect("fixed date");
}

#[test]
fn missing_chars_checks_coverage() {
    assert_eq!(TYPESETTER.missing_chars("\u{E000}汉A𠈌"), vec!['\u{E000}']);
    assert!(TYPESETTER.missing_chars("汉A𠈌 阿依古丽·买买提").is_empty());
}

#[test]
fn missing_glyphs_are_found_in_the_layout() {
    let out = compile(&certificate("李\u{E000}明")).expect("compiles");
    assert_eq!(out.missing_glyphs, vec!['\u{E000}']);
    assert!(!out.pdf_a, "PDF/A cannot hold .notdef glyphs");
    assert!(out.pdf.starts_with(b"%PDF"));
    // An embedded face has a glyph at U+E003, but it is not the university's 造字.
    let out = compile(&certificate("李\u{E003}明")).expect("compiles");
    assert_eq!(out.missing_glyphs, vec!['\u{E003}']);
    assert!(out.pdf_a, "no .notdef was drawn");
    assert_eq!(TYPESETTER.missing_chars("\u{E003}"), vec!['\u{E003}']);
    // 𠈌 falls back to HanaMinB: no empty box.
    let out = compile(&certificate("王\u{2020C}")).expect("compiles");
    assert!(out.missing_glyphs.is_empty(), "{:?}", out.missing_glyphs);
}

#[test]
fn bad_support_paths_are_refused() {
    let mut support_files = BTreeMap::new();
    support_files.insert("/main.typ".to_string(), Bytes::new(b"x".as_slice()));
    let err = Typesetter::new(TypesetOptions {
        support_files,
        ..TypesetOptions::default()
    });
    assert!(matches!(err, Err(SetupError::SupportPath { .. })));
    let mut support_files = BTreeMap::new();
    support_files.insert("../escape.typ".to_string(), Bytes::new(b"x".as_slice()));
    let err = Typesetter::new(TypesetOptions {
        support_files,
        ..TypesetOptions::default()
    });
    assert!(matches!(err, Err(SetupError::SupportPath { .. })));
}

#[test]
fn typesetter_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Typesetter>();
    std::thread::scope(|scope| {
        for name in ["甲", "乙", "丙"] {
            scope.spawn(move || compile(&certificate(name)).expect("compiles"));
        }
    });
}

#[test]
fn pdf_a_falls_back_to_plain_pdf_with_a_warning() {
    // A one-pixel PNG scaled smoothly: PDF/A forbids image interpolation.
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    let source = format!(
        "#image(bytes(({})), width: 1cm, scaling: \"smooth\")\n",
        PNG.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")
    );
    let out = compile(&source).expect("compiles");
    assert!(!out.pdf_a);
    assert!(out.pdf.starts_with(b"%PDF"));
    assert!(
        out.warnings.iter().any(|w| w.contains("PDF/A-2b")),
        "{:?}",
        out.warnings
    );
}
