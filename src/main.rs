//! The `dangjian` command: parse the arguments, build a [`Job`], run it, print the report,
//! and exit with the report's code (0 all fine, 1 archive written but rows refused, 2
//! nothing could be done).

mod args;
mod report;

use args::{Cli, Command, InputArgs, RenderArgs};
use clap::Parser;
use dangjian::bundle::NameEncoding;
use dangjian::config::{self, ConfigError};
use dangjian::documents::{UnknownDocument, parse_kinds};
use dangjian::engine::{Engine, EngineError, EngineOptions};
use dangjian::job::{self, Job, JobError, Output, Report};
use dangjian::pipeline::Progress;
use dangjian::read::{Input, InputError};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use thiserror::Error;

/// Exit code: something could not be done at all.
const FAILED: u8 = 2;

/// Why the command could not run; printed as `错误：…`.
#[derive(Debug, Error)]
enum Failure {
    /// A document id names no kind.
    #[error(transparent)]
    Documents(#[from] UnknownDocument),
    /// The configuration could not be read or used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A data file could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Templates or fonts could not be loaded.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The archive could not be written.
    #[error(transparent)]
    Job(#[from] JobError),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Render(args) => render(args),
        Command::Check(args) => check(args.input, args.font_path),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("错误：{failure}");
            ExitCode::from(FAILED)
        }
    }
}

/// `dangjian render`: read, validate, plan, typeset, write the zip.
fn render(args: RenderArgs) -> Result<u8, Failure> {
    let started = Instant::now();
    let documents = parse_kinds(&args.documents)?;
    let (config, config_path) = config::discover(args.input.config.as_deref())?;
    let mut options = EngineOptions {
        font_dirs: args.font_path,
        ..EngineOptions::default()
    };
    if let Some(dir) = &args.templates {
        options.read_template_dir(dir)?;
    }
    let engine = Engine::new(&options)?;
    let job = Job {
        inputs: read_inputs(&args.input)?,
        config,
        documents,
        year: args.year,
        strict: args.strict,
        name_encoding: if args.gbk_names {
            NameEncoding::Gbk
        } else {
            NameEncoding::Utf8
        },
        threads: args.jobs.unwrap_or(0),
    };
    print_config_note(config_path);
    let bar = progress_bar();
    let progress = |p: Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    };
    let report = job::run(&engine, &job, Output::File(&args.out), &progress)?;
    bar.finish_and_clear();
    if let Some(blocked) = &report.blocked {
        report::print_problems(&report, usize::MAX);
        eprintln!("错误：{blocked}");
        return Ok(report.exit_code());
    }
    report::print_render_summary(&report, &args.out, started.elapsed());
    Ok(report.exit_code())
}

/// `dangjian check`: read and validate only, print every problem.
fn check(input: InputArgs, font_dirs: Vec<PathBuf>) -> Result<u8, Failure> {
    let (config, config_path) = config::discover(input.config.as_deref())?;
    let inputs = read_inputs(&input)?;
    let engine = Engine::new(&EngineOptions {
        font_dirs,
        ..EngineOptions::default()
    })?;
    let job = Job {
        config,
        ..Job::new(inputs)
    };
    let report: Report = job::run(&engine, &job, Output::CheckOnly, &|_| {})?;
    print_config_note(config_path);
    report::print_check_summary(&report);
    if let Some(blocked) = &report.blocked {
        eprintln!("错误：{blocked}");
    }
    Ok(report.exit_code())
}

/// Tells which configuration file was used, if any.
fn print_config_note(path: Option<PathBuf>) {
    if let Some(path) = path {
        println!("配置：{}", path.display());
    }
}

/// Reads the data files named on the command line.
fn read_inputs(input: &InputArgs) -> Result<Vec<Input>, InputError> {
    input
        .data
        .iter()
        .map(|path| Input::from_path(path))
        .collect()
}

/// A progress bar on stderr when it is a terminal (hidden in CI and pipes).
fn progress_bar() -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "排版中 [{bar:40}] {pos}/{len} 份  {per_sec}  剩余 {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
