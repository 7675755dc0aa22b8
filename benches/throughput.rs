//! Throughput benchmark: how fast and how lean dangjian turns a workbook into a zip of
//! 党校结业证书 (part `certificate`) and of every document kind (part `all`, `render all`),
//! compared with what typst itself can do in one process.
//!
//! Run with `cargo bench --bench throughput` (release build). `DANGJIAN_BENCH_N` sets the
//! number of certificates (default 2 000); `DANGJIAN_BENCH_ALL_N` the number of students of
//! the `render all` part (default 2 000); `DANGJIAN_BENCH_RUNS` the timed runs per
//! end-to-end figure (default 1, the median is reported); `DANGJIAN_BENCH_PARTS` the parts
//! to run (default `certificate,all`; e.g. `DANGJIAN_BENCH_PARTS=certificate` for a quick
//! run). Each part prints one markdown table, fit to paste into the README.
//!
//! Part `certificate`:
//!
//! 1. certificates/s end to end (`load` → `plan` → `make_documents` into an unlinked temporary
//!    file, as the CLI writes its archive minus the final fsync and rename) with `jobs` = all
//!    cores and `jobs` = 1 (typst's own internal rayon work may still use a second core), the
//!    engine (fonts, templates) built once beforehand;
//! 2. the in-process ceiling: the typesetter alone on the same certificates' sources (their
//!    markup rendered beforehand, untimed), one compile + PDF export per certificate on as
//!    many threads — no reading, planning, rendering or zip — and the ratio end-to-end /
//!    ceiling;
//! 3. peak RSS (VmHWM) of a whole run for N/10 and N certificates, each in a fresh child
//!    process (this binary re-executed with [`CHILD_ENV`] set), and their ratio (the zip goes
//!    to a file, so only the tool's own memory counts);
//! 4. cold start of `dangjian check` on the sample workbooks (median wall time);
//! 5. the peer: ReportLab (Python) drawing the same certificates in the same layout and font
//!    on as many processes as dangjian has threads, in a virtual environment made for the
//!    run (`pip install reportlab`; `DANGJIAN_BENCH_REPORTLAB_VENV` names an existing one),
//!    and the ratio dangjian / ReportLab — skipped with the reason when Python or the
//!    package index is missing;
//! 6. each figure's target with ✓/✗.
//!
//! The input is generated: `N` students from the fixture generator and one passing course
//! result per student (the last course of the student's history, or the spring-2025 入党积极
//! 分子 course for students who have none), so every row earns a certificate. The plan's
//! document count is checked and reported.
//!
//! Part `all`: one generated ledger workbook (`ledger_xlsx`, all seven sheet kinds with the
//! optional columns of the official forms for most students, as the sample 学生党建台账.xlsx) for `DANGJIAN_BENCH_ALL_N` students, every document kind planned
//! ([`DocumentKind::ALL`]):
//!
//! 1. documents/s and pages/s end to end with all cores (as above); then each kind rendered
//!    on its own, end to end: its documents, pages, rate and CPU time per document, and its
//!    ceiling: the typesetter alone on the same sources (as for certificates), and the ratio
//!    of the kind's end-to-end rate to it;
//! 2. peak RSS of a whole `render all` run for N/10 and N students in fresh child processes,
//!    and their ratio.

#[path = "../fixtures/generator/mod.rs"]
mod generator;
#[path = "peer/reportlab.rs"]
mod reportlab;

use dangjian::DocumentKind;
use dangjian::Input;
use dangjian::bundle::ArchiveOptions;
use dangjian::config::Config;
use dangjian::engine::{Engine, EngineOptions};
use dangjian::model::dataset::Dataset;
use dangjian::pipeline::{
    MadeDocument, Outcome, Streaming, ZipSink, made_documents, make_documents, typst_pool,
};
use dangjian::plan::{Plan, PlannedDocument, Scope, plan};
use dangjian::typeset::parallel_map;
use generator::{CourseKind, Rng, Score, Student, TrainingRecord};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Environment variable selecting child mode: its value is a directory holding the inputs
/// of one measured run (see [`child`]).
const CHILD_ENV: &str = "DANGJIAN_BENCH_CHILD";

/// Environment variable naming the document kinds of a child run: a [`Part`] id.
const CHILD_PART_ENV: &str = "DANGJIAN_BENCH_CHILD_PART";

/// Environment variable with the number of certificates.
const N_ENV: &str = "DANGJIAN_BENCH_N";

/// Environment variable with the parts to run, comma-separated [`Part`] ids (default: all).
const PARTS_ENV: &str = "DANGJIAN_BENCH_PARTS";

/// Environment variable with the number of students of the `render all` part.
const ALL_N_ENV: &str = "DANGJIAN_BENCH_ALL_N";

/// Environment variable with the number of timed end-to-end runs.
const RUNS_ENV: &str = "DANGJIAN_BENCH_RUNS";

/// Default number of certificates.
const DEFAULT_N: usize = 2_000;

/// Default number of students of the `render all` part.
const DEFAULT_ALL_N: usize = 2_000;

/// Seed of the generated students and scores.
const SEED: u64 = 20_250_630;

/// File names of the generated inputs (their extension picks the reader).
const ROSTER_NAME: &str = "花名册.xlsx";
/// See [`ROSTER_NAME`].
const TRAINING_NAME: &str = "党校成绩.xlsx";
/// See [`ROSTER_NAME`].
const LEDGER_NAME: &str = "学生党建台账.xlsx";

/// How many times `dangjian check` is started for the cold-start figure.
const CHECK_RUNS: usize = 7;

/// Targets.
const TARGET_CERTS_PER_S: f64 = 500.0;
/// See [`TARGET_CERTS_PER_S`].
const TARGET_CEILING_RATIO: f64 = 0.8;
/// Target of `render all` on the 2 000-student ledger, documents per second (issue 14).
const TARGET_ALL_RATE: f64 = 300.0;
/// See [`TARGET_CERTS_PER_S`].
const TARGET_RSS_RATIO: f64 = 1.5;
/// See [`TARGET_CERTS_PER_S`].
const TARGET_CHECK_S: f64 = 0.3;

/// Target: certificates end to end at least this many times as fast as ReportLab drawing the
/// same certificates on as many processes as dangjian has threads.
const TARGET_PEER_RATIO: f64 = 1.5;

/// A part of the benchmark, with its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// 党校结业证书 only, from a roster and one passing course result per student.
    Certificate,
    /// `render all`: every document kind from one ledger workbook.
    All,
}

impl Part {
    /// Every part, in the order they run.
    const EVERY: [Part; 2] = [Part::Certificate, Part::All];

    /// The id used in [`PARTS_ENV`] and [`CHILD_PART_ENV`].
    fn id(self) -> &'static str {
        match self {
            Part::Certificate => "certificate",
            Part::All => "all",
        }
    }

    /// The part with this id.
    fn from_id(id: &str) -> Option<Part> {
        Part::EVERY.into_iter().find(|p| p.id() == id)
    }

    /// The document kinds planned.
    fn kinds(self) -> &'static [DocumentKind] {
        match self {
            Part::Certificate => &[DocumentKind::CERTIFICATE],
            Part::All => DocumentKind::ALL,
        }
    }

    /// The file names of the generated inputs, in the order they are loaded.
    fn input_names(self) -> &'static [&'static str] {
        match self {
            Part::Certificate => &[ROSTER_NAME, TRAINING_NAME],
            Part::All => &[LEDGER_NAME],
        }
    }

    /// The generated inputs for `n` students.
    fn inputs(self, n: usize) -> Vec<Input> {
        match self {
            Part::Certificate => inputs(n),
            Part::All => vec![Input {
                name: LEDGER_NAME.to_string(),
                bytes: generator::ledger_xlsx(&generator::students(n, SEED), SEED),
            }],
        }
    }
}

fn main() {
    if let Some(dir) = std::env::var_os(CHILD_ENV) {
        child(Path::new(&dir));
        return;
    }
    let parts = parts();
    let n = env_usize(N_ENV, DEFAULT_N);
    let all_n = env_usize(ALL_N_ENV, DEFAULT_ALL_N);
    let runs = env_usize(RUNS_ENV, 1).max(1);
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let names: Vec<&str> = parts.iter().map(|p| p.id()).collect();
    eprintln!(
        "throughput bench: parts {}, N = {n}, render-all students = {all_n}, {cores} cores, \
         {runs} run(s) per end-to-end figure",
        names.join(",")
    );

    let started = Instant::now();
    let engine = Engine::new(&EngineOptions::default()).expect("engine");
    let engine_build = started.elapsed();
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };

    if parts.contains(&Part::Certificate) {
        let table = certificate_part(&engine, engine_build, n, runs, cores);
        println!();
        println!("N = {n} certificates, {cores} cores, {profile} build");
        println!();
        table.print();
    }
    if parts.contains(&Part::All) {
        // The engine row belongs to the first table printed.
        let engine_row = (!parts.contains(&Part::Certificate)).then_some(engine_build);
        let (table, documents) = all_part(&engine, engine_row, all_n, runs, cores);
        println!();
        println!(
            "render all: {all_n} students, {documents} documents of {} kinds, {cores} cores, \
             {profile} build",
            DocumentKind::ALL.len()
        );
        println!();
        table.print();
    }
}

/// Part 1: certificates only, from a roster and one passing course result per student.
fn certificate_part(
    engine: &Engine,
    engine_build: Duration,
    n: usize,
    runs: usize,
    cores: usize,
) -> Table {
    let started = Instant::now();
    let inputs = inputs(n);
    eprintln!(
        "generated the workbooks ({} + {} bytes) in {:.2} s",
        inputs[0].bytes.len(),
        inputs[1].bytes.len(),
        started.elapsed().as_secs_f64()
    );

    let config = Config::default();
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
                let (times, plan, ds, outcome) =
                    end_to_end(engine, &inputs, &config, Part::Certificate.kinds(), jobs);
                check_outcome(n, &plan, &outcome);
                last_plan = Some((plan, ds));
                times
            })
            .collect();
        timings.sort_by_key(RunTimes::total);
        let t = timings[timings.len() / 2];
        let per_s = n as f64 / t.total().as_secs_f64();
        let label = format!(
            "end to end, {jobs} thread{} (`load` → `plan` → `make_documents`)",
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
        table.row("  of which load / plan / archive", t.split(), "", None);
    }

    // 1b. The peer: ReportLab drawing the same certificates on as many processes.
    let font = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/LXGWWenKai-Regular.ttf");
    match reportlab::run(&peer_rows(n), cores, &font) {
        Ok(peer) => {
            let peer_per_s = peer.docs as f64 / peer.seconds;
            table.row(
                &format!(
                    "ReportLab, the same {} certificates, {cores} processes",
                    peer.docs
                ),
                format!("{peer_per_s:.0} certificates/s ({:.2} s)", peer.seconds),
                "",
                None,
            );
            let ratio = per_s_all / peer_per_s;
            table.row(
                "dangjian / ReportLab",
                format!("{ratio:.2}"),
                &format!("≥ {TARGET_PEER_RATIO}"),
                Some(ratio >= TARGET_PEER_RATIO),
            );
        }
        Err(why) => {
            eprintln!("ReportLab peer skipped: {why}");
            table.row("ReportLab peer", format!("skipped: {why}"), "", None);
        }
    }

    // 2. The ceiling: the typesetter alone on the same sources, in this process.
    let (plan, ds) = last_plan.expect("at least one run");
    let documents: Vec<&PlannedDocument> = plan.documents.iter().collect();
    let ceiling = typesetter_ceiling(engine, &plan, &ds, &documents, cores);
    assert_eq!(
        ceiling.pages,
        plan.documents.len(),
        "one page per certificate"
    );
    let ceiling_per_s = ceiling.documents as f64 / ceiling.time.as_secs_f64();
    table.row(
        &format!(
            "typst ceiling: the {} certificates' sources compiled + PDF, {cores} threads (no \
             reading, rendering or zip)",
            ceiling.documents
        ),
        format!("{ceiling_per_s:.0} certificates/s ({})", secs(ceiling.time)),
        "",
        None,
    );
    let ratio = per_s_all / ceiling_per_s;
    table.row(
        &format!("end to end ({cores} threads) / ceiling"),
        format!("{ratio:.2}"),
        &format!("≥ {TARGET_CEILING_RATIO}"),
        Some(ratio >= TARGET_CEILING_RATIO),
    );

    // 3. Peak RSS in fresh processes.
    let small = (n / 10).max(1);
    let rss_small = measure_child(Part::Certificate, small);
    let rss_big = measure_child(Part::Certificate, n);
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
    table
}

/// Part 2: `render all` (every document kind) from one generated ledger of `n` students.
/// Returns the table and the number of documents.
fn all_part(
    engine: &Engine,
    engine_build: Option<Duration>,
    n: usize,
    runs: usize,
    cores: usize,
) -> (Table, usize) {
    let started = Instant::now();
    let inputs = Part::All.inputs(n);
    let generation = started.elapsed();
    eprintln!(
        "generated the ledger of {n} students ({} bytes) in {:.2} s",
        inputs[0].bytes.len(),
        generation.as_secs_f64()
    );

    let config = Config::default();
    let mut table = Table::default();
    if let Some(build) = engine_build {
        table.row(
            "engine build (fonts + templates), once",
            secs(build),
            "",
            None,
        );
    }
    table.row(
        &format!(
            "ledger of {n} students generated ({:.1} MB, not timed below)",
            inputs[0].bytes.len() as f64 / 1e6
        ),
        secs(generation),
        "",
        None,
    );

    // 1. End to end with all cores.
    let mut timings = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let (times, plan, ds, outcome) =
            end_to_end(engine, &inputs, &config, Part::All.kinds(), cores);
        check_all_outcome(&plan, &outcome);
        timings.push(times);
        last = Some((plan, ds, outcome));
    }
    timings.sort_by_key(RunTimes::total);
    let t = timings[timings.len() / 2];
    let (plan, ds, outcome) = last.expect("at least one run");
    let made_all = made_documents(plan.documents.clone(), &outcome.made);
    let documents = made_all.len();
    let pages: usize = made_all.iter().map(|m| m.pages).sum();
    let total = t.total().as_secs_f64();
    let pages_per_s = pages as f64 / total;
    table.row(
        &format!("render all, end to end, {cores} threads (`load` → `plan` → `make_documents`)"),
        format!(
            "{:.0} documents/s, {pages_per_s:.0} pages/s ({documents} documents, {pages} pages \
             in {})",
            documents as f64 / total,
            secs(t.total())
        ),
        &format!("≥ {TARGET_ALL_RATE:.0} documents/s"),
        Some(documents as f64 / total >= TARGET_ALL_RATE),
    );
    table.row("  of which load / plan / archive", t.split(), "", None);
    let mut ceilings = Duration::ZERO;
    // Each kind on its own, end to end: where the time goes, and the like-for-like rate the
    // ceiling below is compared with.
    for &kind in DocumentKind::ALL {
        let made: Vec<&MadeDocument> = made_all.iter().filter(|m| m.kind == kind).collect();
        let kind_pages: usize = made.iter().map(|m| m.pages).sum();
        let max_pages = made.iter().map(|m| m.pages).max().unwrap_or(0);
        let (times, _, _, alone) = end_to_end(engine, &inputs, &config, &[kind], cores);
        assert_eq!(
            alone.made.len(),
            made.len(),
            "{} alone makes the same",
            kind.id()
        );
        let secs_alone = times.total().as_secs_f64();
        table.row(
            &format!("  {} ({}), alone", kind.id(), kind.label()),
            format!(
                "{} documents, {kind_pages} pages (≤ {max_pages} per document) in {}: \
                 {:.0} documents/s, {:.0} pages/s, {:.1} ms CPU-time per document",
                made.len(),
                secs(times.total()),
                made.len() as f64 / secs_alone,
                kind_pages as f64 / secs_alone,
                secs_alone * cores as f64 * 1000.0 / made.len().max(1) as f64
            ),
            "",
            None,
        );
        // Its ceiling: the typesetter alone on the same sources, on as many threads.
        let of_kind: Vec<&PlannedDocument> =
            plan.documents.iter().filter(|d| d.kind == kind).collect();
        let ceiling = typesetter_ceiling(engine, &plan, &ds, &of_kind, cores);
        assert_eq!(ceiling.pages, kind_pages, "{} pages alike", kind.id());
        ceilings += ceiling.time;
        let ceiling_s = ceiling.time.as_secs_f64();
        let ratio = ceiling_s / secs_alone;
        table.row(
            &format!("    typst ceiling of {}, {cores} threads", kind.id()),
            format!(
                "{:.0} documents/s ({}); end to end / ceiling {ratio:.2}",
                ceiling.documents as f64 / ceiling_s,
                secs(ceiling.time)
            ),
            &format!("≥ {TARGET_CEILING_RATIO}"),
            Some(ratio >= TARGET_CEILING_RATIO),
        );
    }
    // What the typesetter alone would make of the whole batch: the kinds' ceilings added up.
    // `render all` cannot beat it by more than what reading and the archive cost.
    table.row(
        &format!(
            "typst ceiling of the whole batch, {cores} threads (the kinds' ceilings added up)"
        ),
        format!(
            "{:.0} documents/s ({})",
            documents as f64 / ceilings.as_secs_f64(),
            secs(ceilings)
        ),
        "",
        None,
    );

    // 2. Peak RSS in fresh processes.
    let small = (n / 10).max(1);
    let rss_small = measure_child(Part::All, small);
    let rss_big = measure_child(Part::All, n);
    assert_eq!(
        rss_big.documents, documents,
        "the child made as many documents as the timed run"
    );
    for (count, m) in [(small, &rss_small), (n, &rss_big)] {
        table.row(
            &format!(
                "peak RSS, render all for {count} students, {} documents ({cores} threads)",
                m.documents
            ),
            format!(
                "{:.0} MB (engine + inputs loaded: {:.0} MB; + plan: {:.0} MB)",
                m.hwm_kb as f64 / 1024.0,
                m.hwm_before_kb as f64 / 1024.0,
                m.hwm_plan_kb as f64 / 1024.0
            ),
            "",
            None,
        );
    }
    let rss_ratio = rss_big.hwm_kb as f64 / rss_small.hwm_kb as f64;
    table.row(
        &format!("peak RSS {n} / {small} students"),
        format!("{rss_ratio:.2}"),
        &format!("< {TARGET_RSS_RATIO}"),
        Some(rss_ratio < TARGET_RSS_RATIO),
    );
    (table, documents)
}

/// The parts selected by [`PARTS_ENV`] (default: all of them).
fn parts() -> Vec<Part> {
    let Ok(text) = std::env::var(PARTS_ENV) else {
        return Part::EVERY.to_vec();
    };
    let parts: Vec<Part> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|id| {
            Part::from_id(id).unwrap_or_else(|| {
                let ids: Vec<&str> = Part::EVERY.iter().map(|p| p.id()).collect();
                panic!(
                    "{PARTS_ENV}: unknown part {id:?} (parts: {})",
                    ids.join(", ")
                )
            })
        })
        .collect();
    assert!(!parts.is_empty(), "{PARTS_ENV} names no part");
    parts
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

/// The certificates of [`inputs`] as the ReportLab peer draws them: 姓名, course dates,
/// course, number, issuer (the unconfigured default, as dangjian prints it), date.
fn peer_rows(n: usize) -> Vec<reportlab::CertificateRow> {
    let students = generator::students(n, SEED);
    let date = |d: chrono::NaiveDate| d.format("%Y年%-m月%-d日").to_string();
    passing_records(&students)
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            [
                r.name,
                date(r.course.start),
                date(r.course.end),
                r.course.name,
                format!("DX{:06}", i + 1),
                "中共××大学委员会党校".to_string(),
                date(r.course.end),
            ]
        })
        .collect()
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
    /// `pipeline::make_documents`.
    archive: Duration,
    /// Size of the zip written.
    zip_bytes: u64,
}

impl RunTimes {
    /// Workbook bytes in → zip bytes out.
    fn total(&self) -> Duration {
        self.load + self.plan + self.archive
    }

    /// The `load / plan / archive` figure.
    fn split(&self) -> String {
        format!(
            "{} / {} / {} (zip {:.1} MB)",
            secs(self.load),
            secs(self.plan),
            secs(self.archive),
            self.zip_bytes as f64 / 1e6
        )
    }
}

/// One run: workbook bytes → dataset → plan of `kinds` → zip in an unlinked temporary file,
/// with `jobs` threads.
fn end_to_end(
    engine: &Engine,
    inputs: &[Input],
    config: &Config,
    kinds: &[DocumentKind],
    jobs: usize,
) -> (RunTimes, Plan, Dataset, Outcome) {
    let started = Instant::now();
    let mut ds = dangjian::load(inputs, config);
    let load = started.elapsed();

    let started = Instant::now();
    let plan = plan(&mut ds, config, kinds, &Scope::default(), &|t| {
        engine.missing_chars(t)
    });
    let plan_time = started.elapsed();

    let started = Instant::now();
    let mut zip = tempfile::tempfile().expect("temporary file");
    let outcome = archive(engine, &mut ds, &plan, &mut zip, jobs);
    let archive = started.elapsed();
    let times = RunTimes {
        load,
        plan: plan_time,
        archive,
        zip_bytes: zip.metadata().map_or(0, |m| m.len()),
    };
    (times, plan, ds, outcome)
}

/// Makes the planned documents into a zip on `file` with `jobs` threads, as `dangjian::run`
/// does (typst's own parallel work in a pool of the same size).
fn archive(
    engine: &Engine,
    ds: &mut Dataset,
    plan: &Plan,
    file: &mut std::fs::File,
    jobs: usize,
) -> Outcome {
    let pool = typst_pool(jobs);
    let streaming = Streaming {
        duplex: false,
        threads: jobs,
        pool: pool.as_ref(),
        progress: &|_| {},
        strict: false,
        max_pages: usize::MAX,
        budget: dangjian::typeset::Budget::UNLIMITED,
    };
    let mut sink = ZipSink::new(file, ArchiveOptions::default()).expect("zip");
    make_documents(engine, ds, plan, &mut sink, &streaming).expect("archive written")
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

/// Stops the bench when a `render all` run failed a document or left a kind out.
fn check_all_outcome(plan: &Plan, outcome: &Outcome) {
    assert!(
        outcome.failed.is_empty(),
        "documents failed: {:?}",
        &outcome.failed[..outcome.failed.len().min(3)]
    );
    assert_eq!(outcome.made.len(), plan.documents.len(), "documents made");
    for &kind in DocumentKind::ALL {
        assert!(
            outcome
                .made
                .iter()
                .any(|m| plan.documents[m.index as usize].kind == kind),
            "render all made no {}",
            kind.id()
        );
    }
}

/// The typesetter alone on the sources of `docs`: each document's markup rendered first (not
/// timed), then every source compiled and exported as PDF, one document per compile, on
/// `threads` threads with typst's work in a pool of the same size — as a run typesets them,
/// without reading, planning, rendering or the archive.
fn typesetter_ceiling(
    engine: &Engine,
    plan: &Plan,
    ds: &Dataset,
    docs: &[&PlannedDocument],
    threads: usize,
) -> Ceiling {
    let sources: Vec<(DocumentKind, String)> = docs
        .iter()
        .map(|doc| {
            // After a run the records are shelved: each document reads its student's view.
            let view = ds.view_of(&doc.student).expect("the student's records");
            let context = plan.context(&view, doc).expect("context");
            let markup = engine.render_markup(doc.kind, &context).expect("rendered");
            (doc.kind, markup)
        })
        .collect();
    let pool = typst_pool(threads);
    let started = Instant::now();
    let pages = parallel_map(&sources, threads, |_, (kind, source)| {
        let compile = || {
            engine
                .typesetter()
                .compile_pdf(source.clone(), kind.template())
                .expect("compiles")
                .pages
        };
        match &pool {
            Some(pool) => pool.install(compile),
            None => compile(),
        }
    });
    Ceiling {
        time: started.elapsed(),
        documents: sources.len(),
        pages: pages.iter().sum(),
    }
}

/// What [`typesetter_ceiling`] measured.
struct Ceiling {
    /// Compiling and exporting every source.
    time: Duration,
    /// Documents compiled.
    documents: usize,
    /// Pages typeset.
    pages: usize,
}

/// What a child process reports.
#[derive(Debug, Default)]
struct ChildReport {
    /// Peak RSS of the whole child process, in KiB.
    hwm_kb: u64,
    /// Peak RSS after building the engine and loading the inputs, before planning.
    hwm_before_kb: u64,
    /// Peak RSS after planning, before the archive.
    hwm_plan_kb: u64,
    /// Documents made.
    documents: usize,
}

/// Writes the inputs of `part` for `n` students to a temporary directory and runs this
/// binary on them in child mode, so that the peak RSS is that of one fresh run.
fn measure_child(part: Part, n: usize) -> ChildReport {
    let dir = tempfile::tempdir().expect("temporary directory");
    for input in part.inputs(n) {
        std::fs::write(dir.path().join(&input.name), &input.bytes).expect("input written");
    }
    let exe = std::env::current_exe().expect("own executable");
    let output = Command::new(exe)
        .env(CHILD_ENV, dir.path())
        .env(CHILD_PART_ENV, part.id())
        .output()
        .expect("child started");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child for {} N = {n} failed: {}\n{stdout}{}",
        part.id(),
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
            "hwm_plan_kb" => report.hwm_plan_kb = value,
            "documents" => report.documents = value as usize,
            "failed" => assert_eq!(
                value,
                0,
                "child for {} N = {n}: documents failed",
                part.id()
            ),
            _ => {}
        }
    }
    assert!(report.hwm_kb > 0, "child reported no VmHWM:\n{stdout}");
    if part == Part::Certificate {
        assert_eq!(report.documents, n, "child made every certificate");
    }
    report
}

/// Child mode: one complete run with all cores on the inputs in `dir` and the kinds of the
/// part named by [`CHILD_PART_ENV`], as the CLI would do it (engine, load, plan, archive),
/// then prints `key=value` lines: documents made and failed, peak RSS before planning and at
/// the end.
fn child(dir: &Path) {
    let part = std::env::var(CHILD_PART_ENV)
        .ok()
        .and_then(|id| Part::from_id(&id))
        .unwrap_or(Part::Certificate);
    let inputs: Vec<Input> = part
        .input_names()
        .iter()
        .map(|name| Input {
            name: name.to_string(),
            bytes: std::fs::read(dir.join(name)).expect("input read"),
        })
        .collect();
    let config = Config::default();
    let engine = Engine::new(&EngineOptions::default()).expect("engine");
    let mut ds = dangjian::load(&inputs, &config);
    // As the CLI does: the file bytes are not needed once read.
    drop(inputs);
    let hwm_before = vm_hwm_kb();
    let plan = plan(&mut ds, &config, part.kinds(), &Scope::default(), &|t| {
        engine.missing_chars(t)
    });
    // Printed at once, so that a run can be watched (or stopped) from here on.
    println!("hwm_plan_kb={}", vm_hwm_kb());
    std::io::Write::flush(&mut std::io::stdout()).expect("stdout");
    let jobs = std::thread::available_parallelism().map_or(1, |c| c.get());
    let mut zip = tempfile::tempfile().expect("temporary file");
    let outcome = archive(&engine, &mut ds, &plan, &mut zip, jobs);
    println!("documents={}", outcome.made.len());
    println!("failed={}", outcome.failed.len());
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
        let figure = figure.into();
        // Each figure as soon as it is measured, for long runs.
        eprintln!("  {what}: {figure} {target}");
        self.rows.push(Row {
            what: what.to_string(),
            figure,
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
