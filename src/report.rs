//! What the command prints: a one-screen summary after `render`, every problem after `check`.

use dangjian::model::dataset::Dataset;
use dangjian::pipeline::{MANIFEST_NAME, Outcome};
use dangjian::problem::Severity;
use dangjian::read::SheetKind;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// How many refused rows `render` lists before pointing to the manifest.
const RENDER_LIST_LIMIT: usize = 15;

/// Prints what was read: files, formats, data rows per sheet kind.
fn print_read(ds: &Dataset) {
    let mut per_kind: BTreeMap<SheetKind, usize> = BTreeMap::new();
    let mut unknown = 0;
    for r in ds.rows.iter().filter(|r| r.ignored.is_none()) {
        match r.kind {
            Some(k) => *per_kind.entry(k).or_default() += 1,
            None => unknown += 1,
        }
    }
    let files: Vec<String> = ds
        .formats
        .iter()
        .map(|(file, format)| format!("{file}（{format}）"))
        .collect();
    println!("读取：{}", files.join("、"));
    let mut parts: Vec<String> = per_kind
        .iter()
        .map(|(k, n)| format!("{} {n} 行", k.label()))
        .collect();
    if unknown > 0 {
        parts.push(format!("未识别 {unknown} 行"));
    }
    let ignored = ds.rows.iter().filter(|r| r.ignored.is_some()).count();
    println!(
        "数据行：{}；另有标题/表头/表尾等 {ignored} 行、空行 {} 行未作为数据",
        if parts.is_empty() {
            "无".to_string()
        } else {
            parts.join("，")
        },
        ds.blank_rows
    );
}

/// Prints problems, errors first, at most `limit` of them.
pub fn print_problems(ds: &Dataset, limit: usize) {
    let mut problems: Vec<_> = ds.problems().collect();
    problems.sort_by_key(|p| p.severity);
    for p in problems.iter().take(limit) {
        println!("  {p}");
    }
    if problems.len() > limit {
        println!("  …… 其余 {} 条见 {MANIFEST_NAME}", problems.len() - limit);
    }
}

/// The summary after `check`: what was read, then every problem.
pub fn print_check_summary(ds: &Dataset) {
    print_read(ds);
    let (errors, warnings) = (ds.count(Severity::Error), ds.count(Severity::Warning));
    let refused = ds.rows.iter().filter(|r| r.refused()).count();
    if errors + warnings == 0 {
        println!("检查完毕：没有发现问题。");
        return;
    }
    println!("检查完毕：{errors} 个错误（{refused} 行将被拒绝），{warnings} 个警告：");
    print_problems(ds, usize::MAX);
}

/// The one-screen summary after `render`.
pub fn print_render_summary(ds: &Dataset, outcome: &Outcome, out: &Path, elapsed: Duration) {
    print_read(ds);
    let mut per_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for made in &outcome.made {
        let entry = per_kind.entry(made.kind.label()).or_default();
        entry.0 += 1;
        entry.1 += made.pages;
    }
    let made: Vec<String> = per_kind
        .iter()
        .map(|(label, (n, pages))| format!("{label} {n} 份（{pages} 页）"))
        .collect();
    println!(
        "生成：{}",
        if made.is_empty() {
            "无".to_string()
        } else {
            made.join("，")
        }
    );
    let refused = &outcome.refused;
    if !refused.is_empty() {
        println!("未生成（拒绝）：{} 行", refused.len());
        for line in refused.iter().take(RENDER_LIST_LIMIT) {
            let who = if line.student_id.is_empty() && line.name.is_empty() {
                String::new()
            } else {
                format!(" {} {}", line.student_id, line.name)
            };
            println!(
                "  {} › {} 第{}行{who}：{}",
                line.file,
                line.sheet,
                line.row,
                line.reasons.join("；")
            );
        }
        if refused.len() > RENDER_LIST_LIMIT {
            println!(
                "  …… 其余 {} 行见压缩包内 {MANIFEST_NAME}",
                refused.len() - RENDER_LIST_LIMIT
            );
        }
    }
    let warnings = ds.count(Severity::Warning);
    if warnings > 0 {
        println!("警告：{warnings} 条（已生成，请核对）：");
        let list: Vec<_> = ds
            .problems()
            .filter(|p| p.severity == Severity::Warning)
            .collect();
        for p in list.iter().take(RENDER_LIST_LIMIT) {
            println!("  {p}");
        }
        if list.len() > RENDER_LIST_LIMIT {
            println!(
                "  …… 其余 {} 条见 {MANIFEST_NAME}",
                list.len() - RENDER_LIST_LIMIT
            );
        }
    }
    let general: Vec<_> = ds
        .general
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    for p in general {
        println!("  {p}");
    }
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "输出：{}（{:.1} MB，含 {MANIFEST_NAME}），用时 {:.1} 秒",
        out.display(),
        size as f64 / 1_048_576.0,
        elapsed.as_secs_f64()
    );
}
