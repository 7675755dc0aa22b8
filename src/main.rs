//! The `dangjian` command: parse the arguments, build a [`Job`], run it, print the report,
//! and exit with the report's code (0 all fine, 1 archive written but rows refused, 2
//! nothing could be done).

/// Prints a line on stdout, control characters escaped (data never drives the terminal);
/// a closed stdout (`dangjian check … | head`) ends nothing but the printing.
macro_rules! say {
    ($($arg:tt)*) => { $crate::print_line(&mut std::io::stdout(), &format!($($arg)*)) };
}

/// [`say!`] on stderr.
macro_rules! say_err {
    ($($arg:tt)*) => { $crate::print_line(&mut std::io::stderr(), &format!($($arg)*)) };
}

mod args;
mod cli_serve;
mod report;
mod rules_report;

use args::{CheckArgs, Cli, Command, RenderArgs, TemplatesCommand};
use clap::Parser;
use dangjian::bundle::BundleError;
use dangjian::config::{self, ConfigError};
use dangjian::documents::UnknownDocument;
use dangjian::engine::{Engine, EngineError, EngineOptions};
use dangjian::job::{self, Choices, Job, JobError, Output, Report};
use dangjian::pipeline::Progress;
use dangjian::problem::escape_controls;
use dangjian::read::{Input, InputError, same_file};
use std::io::{IsTerminal, Write};
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
    /// The output path cannot be written.
    #[error(transparent)]
    Output(#[from] BundleError),
    /// The rules report could not be made.
    #[error("无法生成检查报告：{0}")]
    RulesReport(String),
    /// `init` or `templates export` could not write its files.
    #[error(transparent)]
    Init(#[from] dangjian::init::InitError),
    /// The web service could not start or stopped on an error.
    #[error(transparent)]
    Serve(#[from] dangjian::server::ServeError),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    #[cfg(unix)]
    if !matches!(cli.command, Command::Serve(_)) {
        remove_temporary_files_on_signals();
    }
    let result = match cli.command {
        Command::Render(args) => render(args),
        Command::Check(args) => check(args),
        Command::Init { dir } => write_files(&dir, dangjian::init::init),
        Command::Templates(TemplatesCommand::Export { dir }) => {
            write_files(&dir, dangjian::init::export_templates)
        }
        Command::Serve(args) => cli_serve::serve(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            say_err!("错误：{failure}");
            ExitCode::from(FAILED)
        }
    }
}

/// Writes one line, its control characters escaped; write errors (a closed pipe) are
/// ignored: the work is done, only the telling of it is cut short.
fn print_line(out: &mut dyn Write, text: &str) {
    let _ = writeln!(out, "{}", escape_controls(text));
}

/// On Ctrl-C, SIGTERM or SIGHUP: remove the archive being written, then exit with the
/// conventional code (128 + the signal), so that an interrupted run leaves no file behind.
#[cfg(unix)]
fn remove_temporary_files_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            dangjian::bundle::remove_unfinished();
            std::process::exit(128 + signal);
        }
    });
}

/// `dangjian render`: read, validate, plan, typeset, write the zip.
fn render(args: RenderArgs) -> Result<u8, Failure> {
    let started = Instant::now();
    let (mut config, config_path) = config::discover(args.input.config.as_deref())?;
    if let Some(layout) = args.bundle.layout {
        config.set_path_pattern(layout)?;
    }
    if let Some(path) = args.input.data.iter().find(|p| same_file(p, &args.out)) {
        return Err(BundleError::OutputIsInput { path: path.clone() }.into());
    }
    let choices = Choices {
        documents: args.documents,
        year: args.year,
        strict: args.strict,
        gbk_names: args.gbk_names,
        include_hidden: args.input.include_hidden,
        threads: args.jobs.unwrap_or(0),
        print: args.bundle.print,
        duplex: args.bundle.duplex,
        split_mb: args.bundle.split_size,
    };
    let inputs = Input::from_paths(&args.input.data, config.limits.input_bytes())?;
    let job = Job::from_choices(inputs, config, &choices)?;
    let mut options = EngineOptions {
        font_dirs: args.font_path,
        ..EngineOptions::default()
    };
    if let Some(dir) = &args.templates {
        options.read_template_dir(dir)?;
    }
    let engine = Engine::new(&options)?;
    print_config_note(config_path);
    let bar = progress_bar();
    let progress = |p: Progress| {
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
    };
    let report = job::run(&engine, job, Output::File(&args.out), &progress)?;
    bar.finish_and_clear();
    if let Some(blocked) = &report.blocked {
        report::print_problems(&report, usize::MAX);
        say_err!("错误：{blocked}");
        return Ok(report.exit_code());
    }
    report::print_render_summary(&report, &args.out, started.elapsed());
    Ok(report.exit_code())
}

/// `dangjian check`: read and validate only, print every problem; with `--rules`, also the
/// procedure rules, and their report files with `--out`.
fn check(args: CheckArgs) -> Result<u8, Failure> {
    let input = args.input;
    let (config, config_path) = config::discover(input.config.as_deref())?;
    let targets = match &args.out {
        Some(out) => Some(rules_report::targets(out, &input.data)?),
        None => None,
    };
    let inputs = Input::from_paths(&input.data, config.limits.input_bytes())?;
    let choices = Choices {
        include_hidden: input.include_hidden,
        ..Choices::default()
    };
    let job = Job::from_choices(inputs, config, &choices)?;
    let engine = Engine::new(&EngineOptions {
        font_dirs: args.font_path,
        ..EngineOptions::default()
    })?;
    let names: Vec<String> = job.inputs.iter().map(|i| i.name.clone()).collect();
    let (report, rules): (Report, _) = job::check(&engine, job, args.rules)?;
    print_config_note(config_path);
    report::print_check_summary(&report);
    if let Some(blocked) = &report.blocked {
        say_err!("错误：{blocked}");
        return Ok(report.exit_code());
    }
    let Some(rules) = rules else {
        return Ok(report.exit_code());
    };
    report::print_rules(&rules);
    if let Some(targets) = targets {
        for path in rules_report::write(&engine, &rules, &names, targets)? {
            say!("检查报告：{}", path.display());
        }
    }
    let found = u8::from(!rules.findings.is_empty());
    Ok(report.exit_code().max(found))
}

/// `init` and `templates export`: write new files into a directory, list them.
fn write_files(
    dir: &std::path::Path,
    write: fn(&std::path::Path) -> Result<Vec<PathBuf>, dangjian::init::InitError>,
) -> Result<u8, Failure> {
    let written = write(dir)?;
    say!("已写入 {} 个文件：", written.len());
    for path in written {
        say!("  {}", path.display());
    }
    Ok(0)
}

/// Tells which configuration file was used, if any.
fn print_config_note(path: Option<PathBuf>) {
    if let Some(path) = path {
        say!("配置：{}", path.display());
    }
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
