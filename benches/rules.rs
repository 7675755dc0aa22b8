//! `check --rules` speed: the procedure rules over a generated ledger of N and 10·N students
//! (the fixture generator's 学生党建台账, all six sheet kinds), timing reading + validating
//! (`load`) and the rules with their statistics (`check_rules`) apart, and the report files
//! (PDF, xlsx). The ratio of the rules' time at 10·N to N shows they grow linearly with the
//! ledger (≈ 10; a scan per student would give ≈ 100).
//!
//! Run with `cargo bench --bench rules`; `DANGJIAN_BENCH_RULES_N` sets N (default 1 000).

#[path = "../fixtures/generator/mod.rs"]
mod generator;

use dangjian::config::Config;
use dangjian::engine::{Engine, EngineOptions};
use dangjian::read::Input;
use dangjian::rules::{check_rules, pdf, xlsx};
use std::time::{Duration, Instant};

/// Seed of the generated ledgers (the throughput bench's).
const SEED: u64 = 20_250_630;

/// Times of one ledger.
struct Times {
    students: usize,
    load: Duration,
    rules: Duration,
    findings: usize,
    pdf: Duration,
    xlsx: Duration,
}

fn measure(engine: &Engine, n: usize) -> Times {
    let bytes = generator::ledger_xlsx(&generator::students(n, SEED), SEED);
    let config = Config::default();
    let input = Input {
        name: "台账.xlsx".to_string(),
        bytes,
    };
    let start = Instant::now();
    let ds = dangjian::load(&[input], &config);
    let load = start.elapsed();
    let start = Instant::now();
    let report = check_rules(&ds, &config);
    let rules = start.elapsed();
    let start = Instant::now();
    let pdf_bytes = pdf::report_pdf(engine, &report, &["台账.xlsx".to_string()]).expect("pdf");
    let pdf = start.elapsed();
    let start = Instant::now();
    let xlsx_bytes = xlsx::report_xlsx(&report).expect("xlsx");
    let xlsx = start.elapsed();
    assert!(!pdf_bytes.is_empty() && !xlsx_bytes.is_empty());
    Times {
        students: ds.students.len(),
        load,
        rules,
        findings: report.findings.len(),
        pdf,
        xlsx,
    }
}

fn main() {
    let n = std::env::var("DANGJIAN_BENCH_RULES_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000usize);
    let engine = Engine::new(&EngineOptions::default()).expect("engine");
    let small = measure(&engine, n);
    let large = measure(&engine, 10 * n);
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!("| students | load | check_rules | findings | report PDF | report xlsx |");
    println!("|---|---|---|---|---|---|");
    for t in [&small, &large] {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            t.students,
            ms(t.load),
            ms(t.rules),
            t.findings,
            ms(t.pdf),
            ms(t.xlsx)
        );
    }
    println!(
        "check_rules 10·N / N: {:.1} (linear ≈ 10)",
        large.rules.as_secs_f64() / small.rules.as_secs_f64().max(1e-9)
    );
}
