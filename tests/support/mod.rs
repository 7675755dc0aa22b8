//! Helpers shared by the integration tests: run the binary, read zips and PDF text back.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fixture's path.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// The result of one run of the binary.
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// What it printed on stdout.
    pub stdout: String,
    /// What it printed on stderr.
    pub stderr: String,
}

impl Run {
    /// stdout and stderr together, for assertions that don't care which.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs `dangjian` with the arguments in `dir` (so no stray dangjian.toml is picked up).
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(args)
        .current_dir(dir)
        .env("CI", "true")
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).to_string(),
        stderr: String::from_utf8_lossy(&output.stderr).to_string(),
    }
}

/// Runs `dangjian` in a fresh temporary directory; returns the run and the directory.
pub fn run(args: &[&str]) -> (Run, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let r = run_in(dir.path(), args);
    (r, dir)
}

/// A fixture path as a string argument.
pub fn arg(rel: &str) -> String {
    fixture(rel).to_string_lossy().to_string()
}

/// Every entry of a zip file: name → bytes, in archive order (names also checked unique).
pub fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).expect("zip exists");
    let mut zip = zip::ZipArchive::new(file).expect("a valid zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("entry reads");
        let name = entry.name().expect("entry name").to_string();
        out.push((name, bytes));
    }
    out
}

/// The PDFs of a zip, by path.
pub fn pdfs(path: &Path) -> BTreeMap<String, Vec<u8>> {
    unzip(path)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".pdf"))
        .collect()
}

/// Renders `kinds` from the sample ledger in `dir`, with `extra` options, into the archive
/// `out` there; asserts the run succeeds and returns the archive's PDFs.
pub fn render_sample(
    dir: &Path,
    kinds: &[&str],
    extra: &[&str],
    out: &str,
) -> BTreeMap<String, Vec<u8>> {
    let data = arg("sample/学生党建台账.xlsx");
    let mut args = vec!["render"];
    args.extend_from_slice(kinds);
    args.extend_from_slice(&["--data", &data]);
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--out", out]);
    let r = run_in(dir, &args);
    assert_eq!(r.code, 0, "{}", r.all());
    pdfs(&dir.join(out))
}

/// The manifest 清单.csv of a zip, as text (BOM checked and removed).
pub fn manifest(path: &Path) -> String {
    let (_, bytes) = unzip(path)
        .into_iter()
        .find(|(name, _)| name == "清单.csv")
        .expect("清单.csv in the zip");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "清单.csv starts with a UTF-8 BOM"
    );
    String::from_utf8(bytes[3..].to_vec()).expect("UTF-8")
}

/// The manifest's records (header skipped).
pub fn manifest_records(path: &Path) -> Vec<csv::StringRecord> {
    let text = manifest(path);
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a CSV record"))
        .collect()
}

/// The text of a PDF, as poppler's pdftotext reads it (installed by scripts/install-test-deps.sh).
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/install-test-deps.sh)");
    assert!(out.status.success(), "pdftotext reads the PDF");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Text with all whitespace removed (typst inserts spaces between CJK and digits).
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every word of a PDF with its box (`pdftotext -bbox`): (text, x min, x max, y max), in
/// points from the top left corner of its page.
pub fn word_boxes(pdf: &[u8]) -> Vec<(String, f64, f64, f64)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/install-test-deps.sh)");
    assert!(out.status.success(), "pdftotext reads the PDF");
    let html = String::from_utf8_lossy(&out.stdout).to_string();
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + tag[start..].find('"').unwrap();
        tag[start..end].parse().unwrap()
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').unwrap();
            let text = rest.split("</word>").next().unwrap().to_string();
            (
                text,
                attr(tag, "xMin"),
                attr(tag, "xMax"),
                attr(tag, "yMax"),
            )
        })
        .collect()
}

/// One sheet of a test workbook: its name, its header and its rows of text cells.
pub type SheetSpec<'a> = (&'a str, &'a [&'a str], Vec<Vec<String>>);

/// Writes a workbook of text cells.
pub fn write_xlsx(path: &Path, sheets: &[SheetSpec<'_>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, header, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                if !value.is_empty() {
                    ws.write_string(r as u32 + 1, c as u16, value).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// Writes a workbook: sheets of text cells (a cell `n:12` is the number 12, a cell `f:=A1`
/// a formula whose saved result is rust_xlsxwriter's placeholder 0), header first.
pub fn write_workbook(path: &Path, sheets: &[(&str, Vec<Vec<&str>>)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if let Some(formula) = cell.strip_prefix("f:") {
                    ws.write_formula(r, c, formula).expect("formula written");
                    continue;
                }
                match cell.strip_prefix("n:") {
                    Some(n) => ws.write_number(r, c, n.parse::<f64>().expect("a number")),
                    None => ws.write_string(r, c, *cell),
                }
                .expect("cell written");
            }
        }
    }
    wb.save(path).expect("workbook saved");
}
