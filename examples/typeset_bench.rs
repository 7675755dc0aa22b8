//! Throughput and memory of the typeset stage: compiles N one-page Chinese certificate-like
//! documents and prints docs/s and peak RSS.
//!
//! ```text
//! cargo run --release --example typeset_bench              # matrix: 1 thread / all threads × evict none / 10
//! cargo run --release --example typeset_bench -- 2000      # same with 2 000 documents per cell
//! cargo run --release --example typeset_bench -- 500 all 10   # one cell: N, threads, evict (none|K)
//! ```
//!
//! Threads: `1`, `all` (one OS thread per core, via `typeset::parallel_map`) or `rayon` (one
//! rayon job per document — shown for comparison only: documents nest on worker stacks, see
//! `src/typeset/parallel.rs`; it needs `RUST_MIN_STACK` raised in the dev profile).
//!
//! Each matrix cell runs in a fresh process (re-executing this binary), because typst's memo
//! cache is global and the peak RSS (VmHWM) never goes down.

use std::process::Command;
use std::time::Instant;

use dangjian::typeset::{
    FAMILY_KAI, FAMILY_RARE, FAMILY_SANS, FAMILY_SERIF, TypesetOptions, Typesetter,
    default_threads, parallel_map,
};
use rayon::prelude::*;

/// Documents per cell when not given.
const DEFAULT_DOCS: usize = 300;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let docs = args
        .first()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_DOCS);
    match (args.get(1), args.get(2)) {
        (Some(threads), Some(evict)) => cell(docs, threads, parse_evict(evict)),
        _ => matrix(docs),
    }
}

/// `none` → no eviction, a number → that max age.
fn parse_evict(text: &str) -> Option<usize> {
    text.parse().ok()
}

/// Runs every combination in its own process and prints their lines.
fn matrix(docs: usize) {
    let Ok(exe) = std::env::current_exe() else {
        eprintln!("cannot find this executable");
        return;
    };
    println!(
        "typeset_bench: {docs} one-page certificates per cell, {} threads available ({})",
        default_threads(),
        if cfg!(debug_assertions) {
            "dev profile"
        } else {
            "release"
        }
    );
    for threads in ["1", "all"] {
        for evict in ["none", "10"] {
            let output = Command::new(&exe)
                .args([docs.to_string().as_str(), threads, evict])
                .output();
            match output {
                Ok(output) => print!("{}", String::from_utf8_lossy(&output.stdout)),
                Err(err) => eprintln!("cannot run {}: {err}", exe.display()),
            }
        }
    }
}

/// One measurement: build the typesetter, compile `docs` documents, print the figures.
fn cell(docs: usize, threads: &str, evict: Option<usize>) {
    let start = Instant::now();
    let typesetter = match Typesetter::new(TypesetOptions {
        cache_max_age: evict,
        ..TypesetOptions::default()
    }) {
        Ok(typesetter) => typesetter,
        Err(err) => {
            eprintln!("{err}");
            return;
        }
    };
    let setup = start.elapsed();
    let rss_after_setup = status_kb("VmRSS");

    // Warm up (first document pays for lazy initialisation), not counted.
    let first = Instant::now();
    match typesetter.compile_pdf(certificate(0), "certificate.typ.j2") {
        Ok(out) => {
            // `TYPESET_BENCH_PDF=/tmp/x.pdf` keeps one sample to look at.
            if let Some(path) = std::env::var_os("TYPESET_BENCH_PDF")
                && let Err(err) = std::fs::write(&path, &out.pdf)
            {
                eprintln!("cannot write the sample PDF: {err}");
            }
        }
        Err(err) => {
            eprintln!("{err}");
            return;
        }
    }
    let first = first.elapsed();

    let start = Instant::now();
    let compile = |i: usize| -> usize {
        match typesetter.compile_pdf(certificate(i), "certificate.typ.j2") {
            Ok(out) => out.pdf.len(),
            Err(err) => {
                eprintln!("{err}");
                0
            }
        }
    };
    let numbers: Vec<usize> = (1..=docs).collect();
    let bytes: usize = match threads {
        "rayon" => numbers.par_iter().map(|&i| compile(i)).sum(),
        "all" => parallel_map(&numbers, 0, |_, &i| compile(i)).iter().sum(),
        _ => parallel_map(&numbers, 1, |_, &i| compile(i)).iter().sum(),
    };
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "threads {:>7}  evict {:>4}  {:>7.1} docs/s  avg {:>6.0} B/pdf  setup {:>4} ms  first doc {:>4} ms  RSS after setup {:>4} MB  VmHWM {:>5} MB  VmRSS end {:>5} MB",
        match threads {
            "rayon" => format!("rayon {}", rayon::current_num_threads()),
            "all" => default_threads().to_string(),
            _ => "1".to_string(),
        },
        evict.map_or("none".to_string(), |age| age.to_string()),
        docs as f64 / elapsed,
        bytes as f64 / docs as f64,
        setup.as_millis(),
        first.as_millis(),
        rss_after_setup / 1024,
        status_kb("VmHWM") / 1024,
        status_kb("VmRSS") / 1024,
    );
}

/// A field of `/proc/self/status` in kB (0 when unavailable).
fn status_kb(field: &str) -> u64 {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return 0;
    };
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A one-page certificate; every document differs (name, number, score), as in a real run.
fn certificate(i: usize) -> String {
    const SURNAMES: [&str; 8] = ["张", "王", "李", "赵", "陈", "刘", "杨", "黄"];
    const GIVEN: [&str; 8] = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊"];
    let name = format!(
        "{}{}{}",
        SURNAMES[i % 8],
        GIVEN[(i / 8) % 8],
        GIVEN[(i / 64) % 8]
    );
    format!(
        r#"#set page(paper: "a4", margin: (x: 2.5cm, y: 3cm))
#set text(font: ("{FAMILY_SERIF}", "{FAMILY_RARE}"), lang: "zh", region: "cn", size: 15pt)
#set par(leading: 1.1em, first-line-indent: (amount: 2em, all: true), justify: true)
#align(center, text(font: "{FAMILY_SANS}", size: 30pt, tracking: 0.3em)[结业证书])
#v(1em)
#align(right)[编号：2025{i:06}]
#v(1em)
{name}同志（学号 2021{i:06}）于 2025 年 3 月至 5 月参加中共某某大学委员会党校第 12 期入党积极分子培训班学习，完成规定课程 32 学时，考试成绩 {score} 分，经考核合格，准予结业。
特发此证。
#v(4em)
#align(right, text(font: "{FAMILY_KAI}")[中共某某大学委员会党校 \ 2025 年 6 月 1 日])
"#,
        score = 60 + i % 40
    )
}
