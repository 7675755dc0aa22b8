//! `check --rules --out 检查报告.pdf`: the rules report written as the PDF and, beside it, the
//! .xlsx of the same name; each file through a temporary file renamed into place.

use crate::Failure;
use dangjian::bundle::write_atomically;
use dangjian::engine::Engine;
use dangjian::rules::{RulesReport, pdf, xlsx};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `out` with the extension .pdf and .xlsx; returns the paths written.
pub fn write(
    engine: &Engine,
    report: &RulesReport,
    sources: &[String],
    out: &Path,
) -> Result<Vec<PathBuf>, Failure> {
    let pdf_bytes = pdf::report_pdf(engine, report, sources)
        .map_err(|e| Failure::RulesReport(e.to_string()))?;
    let xlsx_bytes = xlsx::report_xlsx(report).map_err(|e| Failure::RulesReport(e.to_string()))?;
    let mut written = Vec::new();
    for (extension, bytes) in [("pdf", pdf_bytes), ("xlsx", xlsx_bytes)] {
        let path = out.with_extension(extension);
        write_atomically(&path, |file| -> Result<(), Failure> {
            file.write_all(&bytes)
                .map_err(|e| Failure::RulesReport(format!("{}：{e}", path.display())))
        })?;
        written.push(path);
    }
    Ok(written)
}
