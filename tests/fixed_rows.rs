//! Table rows of short values get a fixed height in the built-in forms (typst lays such a row
//! out once instead of measuring it first) only where that changes nothing on the page: each
//! form of the sample ledger is the same PDF, but for its IDs, when a template override turns
//! every fixed row back to auto height.

mod support;

use support::*;

/// A PDF without its `/ID` and XMP document ID: they hash the typst source, which differs
/// whenever the template does.
fn without_ids(pdf: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(pdf);
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    for (start, end) in [("<xmpMM:DocumentID>", "<"), ("/ID[", "]")] {
        let i = rest.find(start).expect("the PDF has its IDs");
        let from = i + start.len();
        let to = from + rest[from..].find(end).expect("the ID ends");
        out.push_str(&rest[..from]);
        rest = &rest[to..];
    }
    out.push_str(rest);
    out.into_bytes()
}

/// `template` without its tables' `rows:` arguments: every row auto height, as typst sizes
/// rows by default. An argument starts with `rows: (` on a line of its own and ends where its
/// parentheses close.
fn without_rows(template: &str) -> String {
    let mut out = String::new();
    let mut depth = 0i32;
    for line in template.lines() {
        if depth == 0 && !line.trim_start().starts_with("rows: (") {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        depth += line.matches('(').count() as i32 - line.matches(')').count() as i32;
    }
    out
}

/// Renders `kind` from the sample ledger with the built-in `template` and with its `rows:`
/// arguments left out; asserts the forms are the same but for their IDs, that there are
/// `forms` of them, and that the template has fixed rows (`rows` arguments: at least `tables`).
fn same_with_auto_rows(kind: &str, template: &str, tables: usize, forms: usize) {
    let auto = without_rows(template);
    assert!(
        template.matches("rows: (").count() >= tables && !auto.contains("rows: ("),
        "{kind}: the rows arguments are found"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let templates = dir.path().join("auto");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(templates.join(format!("{kind}.typ.j2")), auto).unwrap();
    let fixed = render_sample(dir.path(), &[kind], &[], "fixed.zip");
    let auto = render_sample(dir.path(), &[kind], &["--templates", "auto"], "auto.zip");
    assert_eq!(fixed.len(), forms, "{kind}");
    assert_eq!(
        fixed.keys().collect::<Vec<_>>(),
        auto.keys().collect::<Vec<_>>()
    );
    for (path, pdf) in &fixed {
        assert!(
            without_ids(pdf) == without_ids(&auto[path]),
            "{path} looks different with auto rows"
        );
    }
}

#[test]
fn registration_forms_look_the_same_with_auto_rows() {
    same_with_auto_rows(
        "activist-registration",
        include_str!("../templates/activist-registration.typ.j2"),
        5,
        78,
    );
}

#[test]
fn political_reviews_look_the_same_with_auto_rows() {
    same_with_auto_rows(
        "political-review",
        include_str!("../templates/political-review.typ.j2"),
        3,
        48,
    );
}

#[test]
fn annual_appraisals_look_the_same_with_auto_rows() {
    same_with_auto_rows(
        "annual-appraisal",
        include_str!("../templates/annual-appraisal.typ.j2"),
        4,
        69,
    );
}

#[test]
fn talk_records_look_the_same_with_auto_rows() {
    same_with_auto_rows(
        "talk-record",
        include_str!("../templates/talk-record.typ.j2"),
        1,
        327,
    );
}
