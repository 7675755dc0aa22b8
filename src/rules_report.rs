//! `check --rules --out 检查报告.pdf`: the rules report written as the PDF and, beside it, the
//! .xlsx of the same name; each file through a temporary file renamed into place.

use crate::Failure;
use dangjian::bundle::{BundleError, write_atomically};
use dangjian::engine::Engine;
use dangjian::read::same_file;
use dangjian::rules::{RulesReport, pdf, xlsx};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The two files of `out`: itself with the extension .pdf and .xlsx. Refused when one of
/// them is an input (`--out 台账.xlsx` must not overwrite the ledger).
pub fn targets(out: &Path, inputs: &[PathBuf]) -> Result<[PathBuf; 2], Failure> {
    let targets = [out.with_extension("pdf"), out.with_extension("xlsx")];
    for target in &targets {
        if inputs.iter().any(|input| same_file(input, target)) {
            return Err(BundleError::OutputIsInput {
                path: target.clone(),
            }
            .into());
        }
    }
    Ok(targets)
}

/// Writes the PDF and the .xlsx to the [`targets`]; returns the paths written.
pub fn write(
    engine: &Engine,
    report: &RulesReport,
    sources: &[String],
    targets: [PathBuf; 2],
) -> Result<Vec<PathBuf>, Failure> {
    let pdf_bytes = pdf::report_pdf(engine, report, sources)
        .map_err(|e| Failure::RulesReport(e.to_string()))?;
    let xlsx_bytes = xlsx::report_xlsx(report).map_err(|e| Failure::RulesReport(e.to_string()))?;
    let mut written = Vec::new();
    for (path, bytes) in targets.into_iter().zip([pdf_bytes, xlsx_bytes]) {
        write_atomically(&path, |file| -> Result<(), Failure> {
            file.write_all(&bytes)
                .map_err(|e| Failure::RulesReport(format!("{}：{e}", path.display())))
        })?;
        written.push(path);
    }
    Ok(written)
}
