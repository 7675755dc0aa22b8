//! The `dangjian` command: parse the arguments, call the library, print the summary, set the
//! exit code (0 all fine, 1 archive written but rows refused, 2 nothing could be done).

mod args;
mod report;

use args::{Cli, Command, InputArgs, RenderArgs};
use clap::Parser;
use dangjian::bundle::atomic::write_atomically;
use dangjian::bundle::{ArchiveOptions, NameEncoding, ZipBuilder};
use dangjian::config::Config;
use dangjian::document::DocumentKind;
use dangjian::model::dataset::Dataset;
use dangjian::pipeline::{Engine, EngineOptions, write_archive_to};
use dangjian::problem::Severity;
use dangjian::{Input, load, plan};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Exit code: something could not be done at all.
const FAILED: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Render(args) => render(args),
        Command::Check(args) => check(args.input, &args.font_path),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("错误：{message}");
            ExitCode::from(FAILED)
        }
    }
}

/// `dangjian render`: read, validate, plan, typeset, write the zip.
fn render(args: RenderArgs) -> Result<u8, String> {
    let started = Instant::now();
    let kinds = document_kinds(&args.documents)?;
    let (config, config_note) = load_config(&args.input)?;
    let templates = read_templates(args.templates.as_deref())?;
    let engine = Engine::new(&EngineOptions {
        templates,
        font_dirs: args.font_path.clone(),
    })
    .map_err(|e| e.to_string())?;
    let mut ds = read_inputs(&args.input, &config)?;
    let options = plan::PlanOptions { year: args.year };
    let plan = plan::plan(&mut ds, &config, &kinds, &options, &|t| {
        engine.typesetter.missing_chars(t)
    });
    if let Some(note) = config_note {
        println!("{note}");
    }
    if let Some(reason) = cannot_proceed(&ds) {
        report::print_problems(&ds, usize::MAX);
        return Err(reason);
    }
    if args.strict && ds.count(Severity::Error) > 0 {
        report::print_problems(&ds, usize::MAX);
        return Err(format!(
            "严格模式：发现 {} 个错误，未生成压缩包",
            ds.count(Severity::Error)
        ));
    }

    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let bar = progress_bar(plan.documents.len() as u64);
    let outcome = write_atomically(&args.out, |file| {
        let options = ArchiveOptions {
            name_encoding: if args.gbk_names {
                NameEncoding::Gbk
            } else {
                NameEncoding::Utf8
            },
            ..ArchiveOptions::default()
        };
        let zip = ZipBuilder::with_options(file, options)?;
        write_archive_to(&engine, &mut ds, &plan, zip, jobs, &|done| {
            bar.set_position(done as u64)
        })
    })
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    report::print_render_summary(&ds, &outcome, &args.out, started.elapsed());
    Ok(exit_code(&ds))
}

/// `dangjian check`: read and validate only, print every problem.
fn check(input: InputArgs, font_dirs: &[std::path::PathBuf]) -> Result<u8, String> {
    let (config, config_note) = load_config(&input)?;
    let mut ds = read_inputs(&input, &config)?;
    let fonts = dangjian::typeset::FontSet::load(font_dirs).map_err(|e| e.to_string())?;
    let options = plan::PlanOptions::default();
    plan::plan(&mut ds, &config, DocumentKind::ALL, &options, &|t| {
        fonts.missing_chars(t)
    });
    if let Some(note) = config_note {
        println!("{note}");
    }
    report::print_check_summary(&ds);
    if let Some(reason) = cannot_proceed(&ds) {
        return Err(reason);
    }
    Ok(exit_code(&ds))
}

/// 0 when no row was refused, 1 otherwise.
fn exit_code(ds: &Dataset) -> u8 {
    if ds.count(Severity::Error) > 0 { 1 } else { 0 }
}

/// Why nothing can be done with this input, if so: an unreadable file or no roster.
fn cannot_proceed(ds: &Dataset) -> Option<String> {
    let unreadable: Vec<String> = ds
        .general
        .iter()
        .filter(|p| p.is_error() && matches!(p.location, dangjian::problem::Location::File(_)))
        .map(|p| p.location.to_string())
        .collect();
    if !unreadable.is_empty() {
        return Some(format!(
            "无法读取 {}，未生成任何文件",
            unreadable.join("、")
        ));
    }
    if !ds.has_roster {
        return Some(
            "没有找到含数据的花名册（工作表名含 花名册/名单/名册/基本信息，或表头含 学号、姓名、性别、出生日期、学院、党支部），无法核对学生信息"
                .to_string(),
        );
    }
    None
}

/// The document kinds named on the command line (`all` = every kind).
fn document_kinds(ids: &[String]) -> Result<Vec<DocumentKind>, String> {
    let mut kinds = Vec::new();
    for id in ids {
        if id == "all" || id == "全部" {
            return Ok(DocumentKind::ALL.to_vec());
        }
        let kind = DocumentKind::from_id(id).ok_or_else(|| {
            let known: Vec<String> = DocumentKind::ALL
                .iter()
                .map(|k| format!("{}（{}）", k.id(), k.label()))
                .collect();
            format!(
                "不认识的文书「{id}」；可用的有：{}，或 all",
                known.join("、")
            )
        })?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

/// The configuration: `--config`, else `./dangjian.toml` if present, else the defaults.
/// Also returns a line telling the user which was used.
fn load_config(input: &InputArgs) -> Result<(Config, Option<String>), String> {
    let (path, explicit) = match &input.config {
        Some(p) => (p.clone(), true),
        None => (Path::new("dangjian.toml").to_path_buf(), false),
    };
    if !explicit && !path.exists() {
        return Ok((Config::default(), None));
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("无法读取配置文件 {}：{e}", path.display()))?;
    let config =
        Config::from_toml(&path.display().to_string(), &text).map_err(|e| e.to_string())?;
    Ok((config, Some(format!("配置：{}", path.display()))))
}

/// Reads the data files from disk and builds the dataset.
fn read_inputs(input: &InputArgs, config: &Config) -> Result<Dataset, String> {
    let mut inputs = Vec::new();
    for path in &input.data {
        let bytes =
            std::fs::read(path).map_err(|e| format!("无法读取数据文件 {}：{e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| path.display().to_string());
        inputs.push(Input { name, bytes });
    }
    Ok(load(&inputs, config))
}

/// Every file of a template directory, by file name (not recursive).
fn read_templates(dir: Option<&Path>) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut files = BTreeMap::new();
    let Some(dir) = dir else { return Ok(files) };
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("无法读取模板目录 {}：{e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        let bytes = std::fs::read(&path)
            .map_err(|e| format!("无法读取模板文件 {}：{e}", path.display()))?;
        files.insert(name, bytes);
    }
    Ok(files)
}

/// A progress bar on stderr when it is a terminal (hidden in CI and pipes).
fn progress_bar(total: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "排版中 [{bar:40}] {pos}/{len} 份  {per_sec}  剩余 {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
