//! The job API as a second front end uses it: no binary, one call per job on a shared engine,
//! the report serialised as JSON.

mod support;

use dangjian::bundle::manifest::{ManifestLine, ManifestLines, Status};
use dangjian::job::Blocked;
use dangjian::pipeline::{Made, Progress, Sink};
use dangjian::{DocumentKind, Engine, EngineOptions, Input, Job, Output, Report};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::sync::Mutex;
use support::fixture;

/// The sample ledger holding every sheet kind.
const LEDGER: &str = "sample/学生党建台账.xlsx";

/// 民主评议 rows of the ledger (fixtures/README.md): 69 in all, 38 of them for 2025.
const APPRAISALS: usize = 69;
/// See [`APPRAISALS`].
const APPRAISALS_2025: usize = 38;

fn input(rel: &str) -> Input {
    Input::from_path(&fixture(rel), u64::MAX).expect("fixture reads")
}

fn engine() -> Engine {
    Engine::new(&EngineOptions::default()).expect("engine")
}

/// Runs a job into an in-memory zip; returns the report and the zip's bytes.
fn render(engine: &Engine, job: &Job) -> (Report, Vec<u8>) {
    let mut zip = Vec::new();
    let report =
        dangjian::run(engine, job.clone(), Output::Stream(&mut zip), &|_| {}).expect("job runs");
    (report, zip)
}

/// The entries of a zip: name → bytes, in archive order.
fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).expect("a valid zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("entry reads");
            (entry.name().expect("name").to_string(), bytes)
        })
        .collect()
}

#[test]
fn the_same_job_twice_gives_the_same_report_and_zip() {
    let engine = engine();
    let job = Job {
        documents: vec![DocumentKind::CERTIFICATE, DocumentKind::TALK_RECORD],
        ..Job::new(vec![input(LEDGER)])
    };
    let (first, first_zip) = render(&engine, &job);
    let (second, second_zip) = render(&engine, &job);
    assert_eq!(first, second);
    assert_eq!(
        serde_json::to_string(&first).unwrap(),
        serde_json::to_string(&second).unwrap()
    );
    assert!(first_zip == second_zip, "the zips differ");
    assert!(!first.documents.is_empty());
}

#[test]
fn two_jobs_at_once_on_one_engine_give_identical_zips() {
    let engine = engine();
    let job = Job {
        threads: 2,
        ..Job::new(vec![input(LEDGER)])
    };
    let (alone, alone_zip) = render(&engine, &job);
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| render(&engine, &job));
        let b = scope.spawn(|| render(&engine, &job));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(
        a.1 == alone_zip && b.1 == alone_zip,
        "concurrent zips differ"
    );
    assert_eq!(a.0, alone);
    assert_eq!(b.0, alone);
    // Every kind was made: the concurrency covered all the templates.
    for kind in DocumentKind::ALL {
        assert!(alone.documents.iter().any(|d| d.kind == *kind), "{kind}");
    }
}

#[test]
fn kinds_and_year_choose_the_documents() {
    let engine = engine();
    let job = Job {
        documents: vec![DocumentKind::ANNUAL_APPRAISAL],
        year: Some(2025),
        ..Job::new(vec![input(LEDGER)])
    };
    let (report, zip) = render(&engine, &job);
    assert_eq!(report.documents.len(), APPRAISALS_2025);
    assert!(
        report
            .documents
            .iter()
            .all(|d| d.kind == DocumentKind::ANNUAL_APPRAISAL
                && d.path.ends_with("/年度民主评议表_2025.pdf")
                && d.pages > 0
                && d.path.folder().contains(&*d.student)),
        "{:?}",
        report.documents
    );
    let left_out: Vec<&ManifestLine> = report
        .not_made
        .iter()
        .filter(|l| {
            l.reasons
                .iter()
                .any(|r| r.contains("本次只生成 --year 2025"))
        })
        .collect();
    assert_eq!(left_out.len(), APPRAISALS - APPRAISALS_2025);
    assert!(left_out.iter().all(|l| l.status == Status::Ignored));
    // The zip holds exactly the documents reported, in order, and the manifest.
    let names: Vec<String> = entries(&zip).into_iter().map(|(n, _)| n).collect();
    let mut expected: Vec<String> = report
        .documents
        .iter()
        .map(|d| d.path.to_string())
        .collect();
    expected.push("清单.csv".to_string());
    expected.push("清单.xlsx".to_string());
    assert_eq!(names, expected);
    assert_eq!(report.exit_code(), 0, "the ledger has no errors");
    assert!(report.warnings > 0 && report.errors == 0);
}

#[test]
fn the_report_serialises_with_locations_a_user_can_find() {
    let engine = engine();
    let job = Job::new(vec![
        input("sample/花名册.xlsx"),
        input("sample/党校成绩.xlsx"),
    ]);
    let report = dangjian::run(&engine, job, Output::CheckOnly, &|_| {}).expect("check runs");
    assert!(report.documents.is_empty() && report.not_made.is_empty());
    assert_eq!(report.manifest_lines, 0);
    // 1 warning in the data (the 填表说明 sheet is a note, as expected_problems.csv says), and
    // 2 notices: no party school nor organisation department configured (a check plans every
    // kind), first among the problems, at the run.
    assert_eq!(
        (report.errors, report.refused_rows, report.warnings),
        (9, 9, 3)
    );
    assert!(
        report.problems[..2].iter().all(|p| p.is_run_notice()),
        "{:?}",
        &report.problems[..2]
    );
    assert_eq!(report.exit_code(), 1);
    let json = serde_json::to_value(&report).unwrap();
    let problems = json["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), report.problems.len());
    let cell = problems
        .iter()
        .find(|p| p["location"]["cell"].is_string())
        .expect("a problem in a cell");
    // The first: 花名册.xlsx › 2025年学生党员花名册 › F8, 出生日期 2004-02-30.
    assert_eq!(cell["location"]["file"], "花名册.xlsx");
    assert_eq!(cell["location"]["sheet"], "2025年学生党员花名册");
    assert_eq!(cell["location"]["row"], 8);
    assert_eq!(cell["location"]["cell"], "F8");
    assert_eq!(
        cell["location"]["text"],
        "花名册.xlsx › 2025年学生党员花名册 › F8"
    );
    assert_eq!(cell["severity"], "error");
    assert_eq!(cell["column"], "出生日期");
    assert_eq!(cell["value"], "2004-02-30");
    assert!(cell["message"].as_str().unwrap().contains("2月没有30日"));
    assert_eq!(json["rows"]["data"][0]["kind"], "花名册");
    assert_eq!(json["rows"]["data"][0]["rows"], 78);
}

#[test]
fn a_blocked_job_writes_nothing_and_says_why() {
    let engine = engine();
    // Only course results: no roster to check them against.
    let job = Job::new(vec![input("sample/党校成绩.xlsx")]);
    let mut zip = Vec::new();
    let report = dangjian::run(&engine, job, Output::Stream(&mut zip), &|_| {}).unwrap();
    assert_eq!(report.blocked, Some(Blocked::NoRoster));
    assert_eq!(report.exit_code(), 2);
    assert!(zip.is_empty(), "nothing written");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["blocked"]["reason"], "no-roster");

    let strict = Job {
        strict: true,
        documents: vec![DocumentKind::CERTIFICATE],
        ..Job::new(vec![
            input("sample/花名册.xlsx"),
            input("sample/党校成绩.xlsx"),
        ])
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.zip");
    let report = dangjian::run(&engine, strict, Output::File(&out), &|_| {}).unwrap();
    assert_eq!(report.blocked, Some(Blocked::Strict { errors: 9 }));
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temp file"
    );
}

/// A sink that groups documents by student, as a filing packet would.
#[derive(Default)]
struct ByStudent {
    pages: BTreeMap<String, Vec<(DocumentKind, usize)>>,
    order: Vec<usize>,
    manifest_lines: usize,
}

impl Sink for ByStudent {
    fn document(&mut self, made: &Made<'_>) -> Result<(), dangjian::bundle::BundleError> {
        assert!(made.pdf.bytes.starts_with(b"%PDF-"));
        self.order.push(made.index);
        self.pages
            .entry(made.document.student.to_string())
            .or_default()
            .push((made.document.kind, made.pdf.pages));
        Ok(())
    }

    fn finish(
        &mut self,
        manifest: &dyn ManifestLines,
    ) -> Result<(), dangjian::bundle::BundleError> {
        self.manifest_lines = manifest.lines().count();
        Ok(())
    }
}

/// Runs `job` into a [`ByStudent`] sink: the report, the sink and every progress told.
fn run_into_sink(engine: &Engine, job: &Job) -> (Report, ByStudent, Vec<Progress>) {
    let mut sink = ByStudent::default();
    let seen = Mutex::new(Vec::new());
    let report = dangjian::run(
        engine,
        job.clone(),
        Output::Sink(&mut sink),
        &|p: Progress| seen.lock().unwrap().push(p),
    )
    .unwrap();
    (report, sink, seen.into_inner().unwrap())
}

#[test]
fn a_sink_sees_every_document_in_order_with_its_student_and_progress_is_told() {
    let engine = engine();
    let job = Job {
        threads: 3,
        ..Job::new(vec![input(LEDGER)])
    };
    let (report, sink, seen) = run_into_sink(&engine, &job);
    let total = report.documents.len();
    assert_eq!(sink.order, (0..total).collect::<Vec<_>>());
    assert_eq!(sink.manifest_lines, report.manifest_lines);
    assert!(report.manifest_lines > 0, "a line per input row");
    let per_student: usize = sink.pages.values().map(Vec::len).sum();
    assert_eq!(per_student, total);
    // A student of stage ≥ 入党积极分子 with talks has several kinds in one group.
    assert!(sink.pages.values().any(|docs| {
        docs.iter()
            .any(|d| d.0 == DocumentKind::ACTIVIST_REGISTRATION)
            && docs.iter().any(|d| d.0 == DocumentKind::TALK_RECORD)
    }));
    assert_eq!(seen.len(), total);
    assert_eq!(seen.last(), Some(&Progress { done: total, total }));
}

#[test]
fn a_streamed_zip_holds_what_the_file_holds() {
    let engine = engine();
    let job = Job {
        documents: vec![DocumentKind::CERTIFICATE],
        ..Job::new(vec![
            input("sample/花名册.xlsx"),
            input("sample/党校成绩.xlsx"),
        ])
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("证书.zip");
    let on_file = dangjian::run(&engine, job.clone(), Output::File(&out), &|_| {}).unwrap();
    let (streamed, zip) = render(&engine, &job);
    assert_eq!(on_file, streamed);
    assert_eq!(entries(&zip), support::unzip(&out));
    // Not only the same entries: the very bytes (the writer never seeks back).
    assert!(
        zip == std::fs::read(&out).unwrap(),
        "streamed bytes = file bytes"
    );
    assert_eq!(on_file.documents.len(), 29);
}

#[test]
fn zero_threads_means_every_core() {
    let cores = std::thread::available_parallelism().unwrap().get();
    let job = Job::new(Vec::new());
    assert_eq!(job.threads, 0);
    assert_eq!(job.thread_count(), cores);
    assert_eq!(Job { threads: 3, ..job }.thread_count(), 3);
}

#[test]
fn progress_counts_a_print_volume_as_the_documents_it_joins() {
    let engine = engine();
    let job = Job {
        documents: vec![DocumentKind::ANNUAL_APPRAISAL],
        print: true,
        ..Job::new(vec![input(LEDGER)])
    };
    let (report, _, seen) = run_into_sink(&engine, &job);
    let singles = report
        .documents
        .iter()
        .filter(|d| !d.path.starts_with("打印/"))
        .count();
    let volumes = report.documents.len() - singles;
    assert!(singles > 0 && volumes > 0, "{:?}", report.documents);
    // Each form is typeset twice: alone, and inside its volume; the bar counts both.
    assert_eq!(
        seen.last(),
        Some(&Progress {
            done: 2 * singles,
            total: 2 * singles
        })
    );
    assert!(seen.windows(2).all(|w| w[0].done < w[1].done));
}
