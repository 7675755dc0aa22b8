//! Throughput benchmark: how fast and how lean dangjian turns a workbook into a zip of
//! 党校结业证书, compared with what typst itself can do in one process.
//!
//! Run with `cargo bench --bench throughput` (release build). `DANGJIAN_BENCH_N` sets the
//! number of certificates (default 2 000); `DANGJIAN_BENCH_RUNS` the timed runs per
//! end-to-end figure (default 1, the median is reported). It prints one markdown table, fit
//! to paste into the README:
//!
//! 1. certificates/s end to end (`load` → `plan` → `write_archive` into an unlinked temporary
//!    file, as the CLI writes its archive minus the final fsync and rename) with `jobs` = all
//!    cores and `jobs` = 1 (typst's own internal rayon work may still use a second core), the
//!    engine (fonts, templates) built once beforehand;
//! 2. the in-process ceiling: typst compiling ONE document holding all N certificates as
//!    pages, and the ratio end-to-end / ceiling;
//! 3. peak RSS (VmHWM) of a whole run for N/10 and N certificates, each in a fresh child
//!    process (this binary re-executed with [`CHILD_ENV`] set), and their ratio (the zip goes
//!    to a file, so only the tool's own memory counts);
//! 4. cold start of `dangjian check` on the sample workbooks (median wall time);
//! 5. each figure's target with ✓/✗.
//!
//! The input is generated: `N` students from the fixture generator and one passing course
//! result per student (the last course of the student's history, or the spring-2025 入党积极
//! 分子 course for students who have none), so every row earns a certificate. The plan's
//! document count is checked and reported.

#[path = "../fixtures/generator/mod.rs"]
mod generator;

use dangjian::Input;
use dangjian::config::Config;
use dangjian::document::DocumentKind;
use dangjian::pipeline::{Engine, EngineOptions, Outcome, write_archive};
use dangjian::plan::{Plan, PlanOptions, plan};
use generator::{CourseKind, Rng, Score, Student, TrainingRecord};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Environment variable selecting child mode: its value is a directory holding the inputs
/// of one measured run (see [`child`]).
const CHILD_ENV: &str = "DANGJIAN_BENCH_CHILD";

/// Environment variable with the number of certificates.
const N_ENV: &str = "DANGJIAN_BENCH_N";

/// Environment variable with the number of timed end-to-end runs.
const RUNS_ENV: &str = "DANGJIAN_BENCH_RUNS";

/// Default number of certificates.
const DEFAULT_N: usize = 2_000;

/// Seed of the generated students and scores.
const SEED: u64 = 20_250_630;

/// File names of the generated inputs (their extension picks the reader).
const ROSTER_NAME: &str = "花名册.xlsx";
/// See [`ROSTER_NAME`].
const TRAINING_NAME: &str = "党校成绩.xlsx";

/// How many times `dangjian check` is started for the cold-start figure.
const CHECK_RUNS: usize = 7;

/// Targets.
const TARGET_CERTS_PER_S: f64 = 500.0;
/// See [`TARGET_CERTS_PER_S`].
const TARGET_CEILING_RATIO: f64 = 0.5;
/// See [`TARGET_CERTS_PER_S`].
const TARGET_RSS_RATIO: f64 = 1.5;
/// See [`TARGET_CERTS_PER_S`].
const TARGET_CHECK_S: f64 = 0.3;

fn main() {
    if let Some(dir) = std::env::var_os(CHILD_ENV) {
        child(Path::new(&dir));
        return;
    }
    let n = env_usize(N_ENV, DEFAULT_N);
    let runs = env_usize(RUNS_ENV, 1).max(1);
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    eprintln!("throughput bench: N = {n}, {cores} cores, {runs} run(s) per end-to-end figure");

    let started = Instant::now();
    let inputs = inputs(n);
    eprintln!(
        "generated the workbooks ({} + {} bytes) in {:.2} s",
        inputs[0].bytes.len(),
        inputs[1].bytes.len(),
        started.elapsed().as_secs_f64()
    );

    let config = Config::default();
    let started = Instant::now();
    let engine = Engine::new(&EngineOptions::default()).expect("engine");
    let engine_build = started.elapsed();

    let mut table = Table::default();
    table.row(
        "engine build (fonts + templates), once",
        secs(engine_build),
        "",
        None,
    );

    // 1. End to end, all cores then one core.
    let mut per_s_all = 0.0;
    let mut last_plan = None;
    for jobs in [cores, 1] {
        let mut timings: Vec<RunTimes> = (0..runs)
            .map(|_| {
                let (times, plan, outcome) = end_to_end(&engine, &inputs, &config, jobs);
                check_outcome(n, &plan, &outcome);
                last_plan = Some(plan);
                times
            })
            .collect();
        timings.sort_by_key(RunTimes::total);
        let t = timings[timings.len() / 2];
        let per_s = n as f64 / t.total().as_secs_f64();
        let label = format!(
            "end to end, {jobs} thread{} (`load` → `plan` → `write_archive`)",
            if jobs == 1 { "" } else { "s" }
        );
        if jobs == cores {
            per_s_all = per_s;
            let target = format!("≥ {TARGET_CERTS_PER_S:.0}/s on 2 cores");
            table.row(
                &label,
                format!("{per_s:.0} certificates/s ({})", secs(t.total())),
                &target,
                Some(per_s >= TARGET_CERTS_PER_S),
            );
        } else {
            table.row(
                &label,
                format!("{per_s:.0} certificates/s ({})", secs(t.total())),
                "",
                None,
            );
        }
        table.row(
            "  of which load / plan / archive",
            format!(
                "{} / {} / {} (zip {:.1} MB)",
                secs(t.load),
                secs(t.plan),
                secs(t.archive),
                t.zip_bytes as f64 / 1e6
            ),
            "",
            None,
        );
    }

    // 2. The ceiling: one document with every certificate as a page.
    let plan = last_plan.expect("at least one run");
    let (ceiling, render_time, pages) = ceiling(&engine, &plan);
    let pages_per_s = pages as f64 / ceiling.as_secs_f64();
    table.row(
        &format!("typst ceiling: one {pages}-page document, 1 compile + PDF"),
        format!("{pages_per_s:.0} pages/s ({})", secs(ceiling)),
        "",
        None,
    );
    table.row(
        "  (rendering its markup, not timed above)",
        secs(render_time),
        "",
        None,
    );
    let ratio = per_s_all / pages_per_s;
    table.row(
        &format!("end to end ({cores} threads) / ceiling"),
        format!("{ratio:.2}"),
        &format!("≥ {TARGET_CEILING_RATIO}"),
        Some(ratio >= TARGET_CEILING_RATIO),
    );

    // 3. Peak RSS in fresh processes.
    let small = (n / 10).max(1);
    let rss_small = measure_child(small);
    let rss_big = measure_child(n);
    for (count, m) in [(small, &rss_small), (n, &rss_big)] {
        table.row(
            &format!("peak RSS, whole run of {count} ({cores} threads)"),
            format!(
                "{:.0} MB (engine + inputs loaded: {:.0} MB)",
                m.hwm_kb as f64 / 1024.0,
                m.hwm_before_kb as f64 / 1024.0
            ),
            "",
            None,
        );
    }
    let rss_ratio = rss_big.hwm_kb as f64 / rss_small.hwm_kb as f64;
    table.row(
        &format!("peak RSS {n} / {small}"),
        format!("{rss_ratio:.2}"),
        &format!("< {TARGET_RSS_RATIO}"),
        Some(rss_ratio < TARGET_RSS_RATIO),
    );

    // 4. Cold start of `dangjian check`.
    let (median, code) = check_cold_start();
    table.row(
        &format!("`dangjian check` on the sample, median of {CHECK_RUNS} (exit {code})"),
        secs(median),
        &format!("< {TARGET_CHECK_S} s"),
        Some(median.as_secs_f64() < TARGET_CHECK_S),
    );

    println!();
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("N = {n} certificates, {cores} cores, {profile} build");
    println!();
    table.print();
}

/// Reads a positive number from the environment, or `default`.
fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {text:?}")),
        Err(_) => default,
    }
}

/// The two generated workbooks: a roster of `n` students and one passing course result each.
fn inputs(n: usize) -> Vec<Input> {
    let students = generator::students(n, SEED);
    let records = passing_records(&students);
    vec![
        Input {
            name: ROSTER_NAME.to_string(),
            bytes: generator::roster_xlsx(&students, &generator::RosterOptions::default()),
        },
        Input {
            name: TRAINING_NAME.to_string(),
            bytes: generator::training_xlsx(&records, &generator::TrainingOptions::default()),
        },
    ]
}

/// One course result per student, every one passing: the student's latest course when the
/// generated history has one (its hours and score are drawn to pass), else the spring-2025
/// 入党积极分子 course (第12期) with a passing score.
fn passing_records(students: &[Student]) -> Vec<TrainingRecord> {
    // The history is in student order, each student's courses by date: the last one wins.
    let latest: HashMap<String, TrainingRecord> = generator::training_history(students, SEED)
        .into_iter()
        .map(|r| (r.student_no.clone(), r))
        .collect();
    let mut rng = Rng::derive(SEED, "throughput-bench");
    students
        .iter()
        .map(|s| {
            latest.get(&s.student_no).cloned().unwrap_or_else(|| {
                let course = generator::course(CourseKind::Activist, 2025, false);
                TrainingRecord {
                    student_no: s.student_no.clone(),
                    name: s.name.clone(),
                    hours: course.hours,
                    course,
                    score: Score::Points(rng.range(62, 98) as f64),
                    certificate_no: None,
                }
            })
        })
        .collect()
}

/// Wall times of one end-to-end run.
#[derive(Debug, Clone, Copy)]
struct RunTimes {
    /// `dangjian::load`.
    load: Duration,
    /// `plan::plan`.
    plan: Duration,
    /// `pipeline::write_archive`.
    archive: Duration,
    /// Size of the zip written.
    zip_bytes: u64,
}

impl RunTimes {
    /// Workbook bytes in → zip bytes out.
    fn total(&self) -> Duration {
        self.load + self.plan + self.archive
    }
}

/// One run: workbook bytes → dataset → plan → zip in memory, with `jobs` threads.
fn end_to_end(
    engine: &Engine,
    inputs: &[Input],
    config: &Config,
    jobs: usize,
) -> (RunTimes, Plan, Outcome) {
    let started = Instant::now();
    let mut ds = dangjian::load(inputs, config);
    let load = started.elapsed();

    let started = Instant::now();
    let plan = plan(
        &mut ds,
        config,
        &[DocumentKind::Certificate],
        &PlanOptions::default(),
        &|t| engine.typesetter.missing_chars(t),
    );
    let plan_time = started.elapsed();

    let started = Instant::now();
    let mut zip = tempfile::tempfile().expect("temporary file");
    let outcome =
        write_archive(engine, &mut ds, &plan, &mut zip, jobs, &|_| {}).expect("archive written");
    let archive = started.elapsed();
    let times = RunTimes {
        load,
        plan: plan_time,
        archive,
        zip_bytes: zip.metadata().map_or(0, |m| m.len()),
    };
    (times, plan, outcome)
}

/// Stops the bench when the run did not make one certificate per student: the figures
/// would measure something else.
fn check_outcome(n: usize, plan: &Plan, outcome: &Outcome) {
    assert_eq!(
        plan.documents.len(),
        n,
        "the plan has {} certificates for {n} students ({} not issued)",
        plan.documents.len(),
        plan.not_issued.len()
    );
    assert!(
        outcome.failed.is_empty(),
        "documents failed: {:?}",
        &outcome.failed[..outcome.failed.len().min(3)]
    );
    assert_eq!(outcome.made.len(), n, "documents made");
}

/// Renders every planned certificate, joins them into one typst source with one page per
/// certificate, and compiles it once. Returns the compile + PDF time, the render time and the
/// page count (checked to equal the number of documents).
///
/// The first document is kept whole; of the others only the body (after the leading `#set` /
/// `#let` lines, which are checked to equal the first document's but for `set document`), each
/// after a `#pagebreak()`. Repeating the top-level set rules would not just be redundant: each
/// one opens a new style scope for the rest of the document, so the style chain would grow
/// with every page and the compile would turn quadratic (measured: 25 pages/s at 2 000).
fn ceiling(engine: &Engine, plan: &Plan) -> (Duration, Duration, usize) {
    let started = Instant::now();
    let mut source = String::new();
    let mut first_preamble: Option<Vec<String>> = None;
    for doc in &plan.documents {
        let markup = engine
            .renderer
            .render(doc.kind.template(), &doc.context)
            .expect("rendered");
        let (preamble, body) = split_preamble(&markup);
        let comparable: Vec<String> = preamble
            .iter()
            .filter(|line| !line.starts_with("#set document("))
            .map(|line| line.to_string())
            .collect();
        match &first_preamble {
            None => {
                source.push_str(&markup);
                first_preamble = Some(comparable);
            }
            Some(first) => {
                assert_eq!(
                    first, &comparable,
                    "every certificate starts with the same set rules"
                );
                source.push_str("\n#pagebreak()\n");
                source.push_str(body);
            }
        }
    }
    let render_time = started.elapsed();

    let template = DocumentKind::Certificate.template();
    let started = Instant::now();
    let typeset = engine
        .typesetter
        .compile_pdf(source, template)
        .expect("the joined document compiles");
    let compile_time = started.elapsed();
    assert_eq!(
        typeset.pages,
        plan.documents.len(),
        "one page per certificate in the joined document"
    );
    (compile_time, render_time, typeset.pages)
}

/// Splits rendered markup into its leading top-level `#set` / `#let` lines (blank lines
/// skipped) and the rest.
fn split_preamble(markup: &str) -> (Vec<&str>, &str) {
    let mut preamble = Vec::new();
    let mut rest = markup;
    while !rest.is_empty() {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        let trimmed = line.trim();
        if trimmed.is_empty() {
            rest = after;
        } else if trimmed.starts_with("#set ") || trimmed.starts_with("#let ") {
            preamble.push(trimmed);
            rest = after;
        } else {
            break;
        }
    }
    (preamble, rest)
}

/// What a child process reports.
#[derive(Debug, Default)]
struct ChildReport {
    /// Peak RSS of the whole child process, in KiB.
    hwm_kb: u64,
    /// Peak RSS after building the engine and loading the inputs, before planning.
    hwm_before_kb: u64,
}

/// Writes the inputs for `n` certificates to a temporary directory and runs this binary on
/// them in child mode, so that the peak RSS is that of one fresh run.
fn measure_child(n: usize) -> ChildReport {
    let dir = tempfile::tempdir().expect("temporary directory");
    for input in inputs(n) {
        std::fs::write(dir.path().join(&input.name), &input.bytes).expect("input written");
    }
    let exe = std::env::current_exe().expect("own executable");
    let output = Command::new(exe)
        .env(CHILD_ENV, dir.path())
        .output()
        .expect("child started");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child for N = {n} failed: {}\n{stdout}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let mut report = ChildReport::default();
    for line in stdout.lines() {
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value: u64 = value.trim().parse().unwrap_or(0);
        match key.trim() {
            "hwm_kb" => report.hwm_kb = value,
            "hwm_before_kb" => report.hwm_before_kb = value,
            "documents" => assert_eq!(value as usize, n, "child made every certificate"),
            _ => {}
        }
    }
    assert!(report.hwm_kb > 0, "child reported no VmHWM:\n{stdout}");
    report
}

/// Child mode: one complete run with all cores on the inputs in `dir`, as the CLI would do
/// it (engine, load, plan, archive), then prints `key=value` lines: documents made, peak RSS
/// before planning and at the end.
fn child(dir: &Path) {
    let inputs: Vec<Input> = [ROSTER_NAME, TRAINING_NAME]
        .iter()
        .map(|name| Input {
            name: name.to_string(),
            bytes: std::fs::read(dir.join(name)).expect("input read"),
        })
        .collect();
    let config = Config::default();
    let engine = Engine::new(&EngineOptions::default()).expect("engine");
    let mut ds = dangjian::load(&inputs, &config);
    let hwm_before = vm_hwm_kb();
    let plan = plan(
        &mut ds,
        &config,
        &[DocumentKind::Certificate],
        &PlanOptions::default(),
        &|t| engine.typesetter.missing_chars(t),
    );
    let jobs = std::thread::available_parallelism().map_or(1, |c| c.get());
    let mut zip = tempfile::tempfile().expect("temporary file");
    let outcome =
        write_archive(&engine, &mut ds, &plan, &mut zip, jobs, &|_| {}).expect("archive written");
    println!("documents={}", outcome.made.len());
    println!("hwm_before_kb={hwm_before}");
    println!("hwm_kb={}", vm_hwm_kb());
}

/// This process's peak resident set size (VmHWM) in KiB, from `/proc/self/status`.
fn vm_hwm_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse().ok())
        .expect("VmHWM in /proc/self/status")
}

/// Starts the release binary's `check` on the sample [`CHECK_RUNS`] times; returns the median
/// wall time and the exit code (1 is expected: the sample has planted errors).
fn check_cold_start() -> (Duration, i32) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sample = root.join("fixtures/sample");
    let mut times = Vec::new();
    let mut code = -1;
    for _ in 0..CHECK_RUNS {
        let started = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_dangjian"))
            .current_dir(&root)
            .arg("check")
            .arg("--data")
            .arg(sample.join("花名册.xlsx"))
            .arg("--data")
            .arg(sample.join("党校成绩.xlsx"))
            .output()
            .expect("dangjian check started");
        times.push(started.elapsed());
        code = output.status.code().unwrap_or(-1);
        assert!(
            code == 0 || code == 1,
            "dangjian check failed ({code}): {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    times.sort();
    (times[times.len() / 2], code)
}

/// A duration as seconds with three decimals.
fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// One line of the result table.
struct Row {
    /// What is measured.
    what: String,
    /// The figure.
    figure: String,
    /// The target, or empty.
    target: String,
    /// Whether the target is met; `None` for figures without a target.
    met: Option<bool>,
}

impl Row {
    /// The cells as printed.
    fn cells(&self) -> [&str; 4] {
        let mark = match self.met {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "",
        };
        [&self.what, &self.figure, &self.target, mark]
    }
}

/// The result table, printed as markdown.
#[derive(Default)]
struct Table {
    /// The lines, in order.
    rows: Vec<Row>,
}

impl Table {
    /// Adds a row; `met` is `None` for figures without a target.
    fn row(&mut self, what: &str, figure: impl Into<String>, target: &str, met: Option<bool>) {
        self.rows.push(Row {
            what: what.to_string(),
            figure: figure.into(),
            target: target.to_string(),
            met,
        });
    }

    /// Prints the table with aligned columns.
    fn print(&self) {
        let header = ["measure", "figure", "target", ""];
        let mut widths = header.map(|h| h.chars().count().max(3));
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row.cells()) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: [&str; 4]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(widths)
                .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
                .collect();
            println!("| {} |", padded.join(" | "));
        };
        line(header);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(w + 2)).collect();
        println!("|{}|", rule.join("|"));
        for row in &self.rows {
            line(row.cells());
        }
    }
}
