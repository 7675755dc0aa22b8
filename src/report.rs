//! What the command prints: a one-screen summary after `render`, every problem after `check`
//! — both read off the job's [`Report`].

use dangjian::job::Report;
use dangjian::pipeline::MANIFEST_NAME;
use dangjian::problem::Severity;
use std::path::Path;
use std::time::Duration;

/// How many refused rows `render` lists before pointing to the manifest.
const RENDER_LIST_LIMIT: usize = 15;

/// Prints what was read: files, formats, data rows per sheet kind.
fn print_read(report: &Report) {
    let files: Vec<String> = report
        .files
        .iter()
        .map(|f| format!("{}（{}）", f.name, f.format))
        .collect();
    say!("读取：{}", files.join("、"));
    let rows = &report.rows;
    let mut parts: Vec<String> = rows
        .data
        .iter()
        .map(|k| format!("{} {} 行", k.kind, k.rows))
        .collect();
    if rows.unrecognised > 0 {
        parts.push(format!("未识别 {} 行", rows.unrecognised));
    }
    say!(
        "数据行：{}；另有标题/表头/表尾等 {} 行、空行 {} 行未作为数据",
        if parts.is_empty() {
            "无".to_string()
        } else {
            parts.join("，")
        },
        rows.set_aside,
        rows.blank
    );
}

/// Prints the run's notices (a setting not configured), one line each: first in every summary.
fn print_notices(report: &Report) {
    for p in report.problems.iter().filter(|p| p.is_run_notice()) {
        say!("注意：{}", p.message);
    }
}

/// Prints problems, errors first, at most `limit` of them (the run's notices are printed
/// first by the summaries).
pub fn print_problems(report: &Report, limit: usize) {
    let mut problems: Vec<_> = report
        .problems
        .iter()
        .filter(|p| !p.is_run_notice())
        .collect();
    problems.sort_by_key(|p| p.severity);
    for p in problems.iter().take(limit) {
        say!("  {p}");
    }
    if problems.len() > limit {
        say!("  …… 其余 {} 条见 {MANIFEST_NAME}", problems.len() - limit);
    }
}

/// The summary after `check`: what was read, then every problem.
pub fn print_check_summary(report: &Report) {
    print_notices(report);
    print_read(report);
    let notices = report.problems.iter().filter(|p| p.is_run_notice()).count();
    let (errors, warnings) = (report.errors, report.warnings - notices);
    if errors + warnings == 0 {
        say!("检查完毕：没有发现问题。");
        return;
    }
    say!(
        "检查完毕：{errors} 个错误（{} 行将被拒绝），{warnings} 个警告：",
        report.refused_rows
    );
    print_problems(report, usize::MAX);
}

/// The one-screen summary after `render`.
pub fn print_render_summary(report: &Report, out: &Path, elapsed: Duration) {
    print_notices(report);
    print_read(report);
    let made: Vec<String> = report
        .made_per_kind()
        .iter()
        .map(|(label, (n, pages))| format!("{label} {n} 份（{pages} 页）"))
        .collect();
    say!(
        "生成：{}",
        if made.is_empty() {
            "无".to_string()
        } else {
            made.join("，")
        }
    );
    let refused: Vec<_> = report.refused().collect();
    if !refused.is_empty() {
        say!("未生成（拒绝）：{} 行", refused.len());
        for line in refused.iter().take(RENDER_LIST_LIMIT) {
            let who = if line.student_id.is_empty() && line.name.is_empty() {
                String::new()
            } else {
                format!(" {} {}", line.student_id, line.name)
            };
            say!(
                "  {} › {} 第{}行{who}：{}",
                line.file,
                line.sheet,
                line.row,
                line.reasons.join("；")
            );
        }
        if refused.len() > RENDER_LIST_LIMIT {
            say!(
                "  …… 其余 {} 行见压缩包内 {MANIFEST_NAME}",
                refused.len() - RENDER_LIST_LIMIT
            );
        }
    }
    let warnings: Vec<_> = report
        .problems_of(Severity::Warning)
        .filter(|p| !p.is_run_notice())
        .collect();
    if !warnings.is_empty() {
        say!("警告：{} 条（已生成，请核对）：", warnings.len());
        for p in warnings.iter().take(RENDER_LIST_LIMIT) {
            say!("  {p}");
        }
        if warnings.len() > RENDER_LIST_LIMIT {
            say!(
                "  …… 其余 {} 条见 {MANIFEST_NAME}",
                warnings.len() - RENDER_LIST_LIMIT
            );
        }
    }
    // Errors of no single row (a sheet, the run) are in no manifest line: show them here.
    for p in report
        .problems_of(Severity::Error)
        .filter(|p| p.location.row().is_none())
    {
        say!("  {p}");
    }
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1_048_576.0;
    let parts = split_parts(out);
    if parts.is_empty() {
        say!(
            "输出：{}（{:.1} MB，含 {MANIFEST_NAME}），用时 {:.1} 秒",
            out.display(),
            size(out),
            elapsed.as_secs_f64()
        );
    } else {
        let listed: Vec<String> = parts
            .iter()
            .map(|p| format!("{}（{:.1} MB）", p.display(), size(p)))
            .collect();
        say!(
            "输出：分为 {} 个压缩包：{}，各含本包的 {MANIFEST_NAME} 和全部清单，用时 {:.1} 秒",
            parts.len(),
            listed.join("、"),
            elapsed.as_secs_f64()
        );
    }
}

/// The numbered parts of a split archive (`打印-1.zip` …) when `out` itself was not written.
fn split_parts(out: &Path) -> Vec<std::path::PathBuf> {
    if out.exists() {
        return Vec::new();
    }
    (1..)
        .map(|n| dangjian::bundle::SplitArchive::part_path(out, n, 2))
        .take_while(|p| p.exists())
        .collect()
}

/// Text padded with spaces to a display width (a Chinese character is two columns).
fn pad(text: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// The outcome of `check --rules`: one line per rule with its count, then the findings as a
/// table (rule, 学号, 姓名, cells, what was found; what is expected).
pub fn print_rules(report: &dangjian::rules::RulesReport) {
    let as_of = report
        .as_of
        .map(|d| format!("（数据截至 {}）", d.format("%Y-%m-%d")))
        .unwrap_or_default();
    say!(
        "发展党员程序检查{as_of}：{} 条规则，发现 {} 条问题",
        report.rules.len(),
        report.findings.len()
    );
    for r in &report.rules {
        say!(
            "  {} {:>4} 条  {}",
            pad(r.label, 16),
            r.findings,
            r.requirement
        );
    }
    if report.findings.is_empty() {
        return;
    }
    let width = |f: &dyn Fn(&dangjian::rules::Finding) -> String, min: usize| {
        report
            .findings
            .iter()
            .map(|x| unicode_width::UnicodeWidthStr::width(f(x).as_str()))
            .max()
            .unwrap_or(0)
            .clamp(min, 40)
    };
    let w_id = width(&|f| f.student_id.clone(), 4);
    let w_name = width(&|f| f.name.clone(), 4);
    let w_cells = width(&|f| f.cells_text(), 6);
    say!(
        "  {} {} {} {} 情况；要求",
        pad("规则", 16),
        pad("学号", w_id),
        pad("姓名", w_name),
        pad("单元格", w_cells)
    );
    for f in &report.findings {
        say!(
            "  {} {} {} {} {}；应{}",
            pad(f.rule.label(), 16),
            pad(&f.student_id, w_id),
            pad(&f.name, w_name),
            pad(&f.cells_text(), w_cells),
            f.found,
            f.expected
        );
    }
}
