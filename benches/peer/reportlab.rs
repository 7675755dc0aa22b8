//! ReportLab as a peer of the certificate benchmark: the same certificates drawn by Python's
//! most used PDF library (see `reportlab_certificates.py`), on as many worker processes as
//! dangjian has threads, in a virtual environment made for the run. Skipped, with the reason,
//! when Python or the package index is not there.

use std::path::Path;
use std::process::Command;

/// Environment variable naming an existing virtual environment that has reportlab (so that
/// repeated bench runs need not install it again).
pub const VENV_ENV: &str = "DANGJIAN_BENCH_REPORTLAB_VENV";

/// One certificate's data: 姓名, start, end, course, number, issuer, date.
pub type CertificateRow = [String; 7];

/// What the peer measured.
pub struct PeerRun {
    /// Certificates written.
    pub docs: usize,
    /// Seconds from starting the workers to the last file written.
    pub seconds: f64,
}

/// Draws `rows` with ReportLab on `processes` processes in `LXGW WenKai` (`font`), each to
/// its own PDF file; `Err` says why the peer could not run.
pub fn run(rows: &[CertificateRow], processes: usize, font: &Path) -> Result<PeerRun, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let python = match std::env::var_os(VENV_ENV) {
        Some(venv) => Path::new(&venv).join("bin/python"),
        None => make_venv(dir.path())?,
    };
    let csv_path = dir.path().join("rows.csv");
    let mut writer = csv::Writer::from_path(&csv_path).map_err(|e| e.to_string())?;
    for row in rows {
        writer.write_record(row).map_err(|e| e.to_string())?;
    }
    writer.flush().map_err(|e| e.to_string())?;
    let script = dir.path().join("reportlab_certificates.py");
    std::fs::write(&script, include_str!("reportlab_certificates.py"))
        .map_err(|e| e.to_string())?;
    let out = dir.path().join("out");
    std::fs::create_dir(&out).map_err(|e| e.to_string())?;
    let output = Command::new(&python)
        .arg(&script)
        .arg(&csv_path)
        .arg(&out)
        .arg(processes.to_string())
        .arg(font)
        .output()
        .map_err(|e| format!("{}: {e}", python.display()))?;
    if !output.status.success() {
        return Err(format!(
            "the ReportLab script failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("the ReportLab script's report: {e}"))?;
    let docs = report["docs"].as_u64().unwrap_or(0) as usize;
    let seconds = report["seconds"].as_f64().unwrap_or(f64::NAN);
    let written = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
    if docs != rows.len() || written != rows.len() {
        return Err(format!(
            "ReportLab wrote {written} files ({docs} reported) for {} rows",
            rows.len()
        ));
    }
    Ok(PeerRun { docs, seconds })
}

/// A virtual environment in `dir` with reportlab installed from the package index; returns
/// its interpreter.
fn make_venv(dir: &Path) -> Result<std::path::PathBuf, String> {
    let venv = dir.join("venv");
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .map_err(|e| format!("python3 not found ({e})"))?;
    if !made.status.success() {
        return Err(format!(
            "python3 -m venv failed: {}",
            String::from_utf8_lossy(&made.stderr)
        ));
    }
    let python = venv.join("bin/python");
    let installed = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "reportlab",
        ])
        .output()
        .map_err(|e| e.to_string())?;
    if !installed.status.success() {
        return Err(format!(
            "pip install reportlab failed (no package index?): {}",
            String::from_utf8_lossy(&installed.stderr)
        ));
    }
    Ok(python)
}
