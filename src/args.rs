//! The command line, defined in one place with its (Chinese) help text. Nothing here runs
//! anything: `main.rs` turns these into library calls.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// 党建材料生成工具：把花名册、党校成绩等表格生成可打印的 PDF 文书并打包为 zip。
#[derive(Debug, Parser)]
#[command(
    name = "dangjian",
    version,
    about = "党建材料生成工具 — 由花名册、党校成绩等 Excel/WPS 表格生成结业证书等 PDF 文书，打包为 zip\n(dangjian: Party-building spreadsheets → print-ready PDFs in a zip)",
    after_help = "示例 (examples):\n  dangjian render certificate --data 花名册.xlsx --data 党校成绩.xlsx --out 结业证书.zip\n  dangjian check --data 花名册.xlsx --data 党校成绩.xlsx\n\n退出码 (exit codes): 0 全部成功；1 已生成压缩包，但有行被拒绝（见清单.csv）；2 无法处理（文件无法读取、没有花名册、配置有误）",
    help_template = "{about}\n\n用法 (usage): {usage}\n\n{all-args}{after-help}",
    disable_help_subcommand = true
)]
pub struct Cli {
    /// 要执行的操作 (command)
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 生成文书并打包为 zip (render documents into a zip)
    #[command(after_help = render_help())]
    Render(RenderArgs),
    /// 只读取并检查表格，列出全部问题 (read and validate only; print every problem)
    #[command(
        after_help = "示例 (example):\n  dangjian check --data 花名册.xlsx --data 党校成绩.xlsx"
    )]
    Check(CheckArgs),
    /// 启动网页服务：在浏览器中上传表格、下载文书 (web service with an upload page)
    #[command(
        after_help = "示例 (examples):\n  dangjian serve                          # http://127.0.0.1:8080\n  dangjian serve --addr 0.0.0.0:8080 --token-file token.txt"
    )]
    Serve(ServeArgs),
}

/// What `serve` takes.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 监听地址；不是本机地址（127.0.0.1）时必须给出 --token-file (listen address)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "地址:端口")]
    pub addr: std::net::SocketAddr,
    /// 访问令牌文件（一行，至少 16 个字符）(file holding the access token)
    #[arg(long = "token-file", value_name = "文件")]
    pub token_file: Option<PathBuf>,
    /// 配置文件，默认使用当前目录下的 dangjian.toml（如有）(configuration file)
    #[arg(long, short, value_name = "dangjian.toml")]
    pub config: Option<PathBuf>,
    /// 自定义模板目录，启动时读取一次 (template overrides, read once at start)
    #[arg(long, value_name = "目录")]
    pub templates: Option<PathBuf>,
    /// 额外的字体目录，可重复 (extra font directory; repeatable)
    #[arg(long = "font-path", value_name = "目录")]
    pub font_path: Vec<PathBuf>,
}

/// The help after `render --help`: an example, then every document kind.
fn render_help() -> String {
    format!(
        "示例 (example):\n  dangjian render certificate --data 花名册.xlsx --data 党校成绩.xlsx --out 结业证书.zip\n\n{}",
        dangjian::documents::help_text()
    )
}

/// What `render` takes.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// 要生成的文书，可写多个（见下方列表），或 all (documents to make)
    #[arg(required = true, value_name = "文书")]
    pub documents: Vec<String>,

    #[command(flatten)]
    pub input: InputArgs,

    /// 输出的 zip 文件 (output archive)
    #[arg(long, short, value_name = "文件.zip")]
    pub out: PathBuf,

    /// 自定义模板目录，按文件名覆盖内置模板 (template overrides, file by file)
    #[arg(long, value_name = "目录")]
    pub templates: Option<PathBuf>,

    /// 额外的字体目录，可重复 (extra font directory; repeatable)
    #[arg(long = "font-path", value_name = "目录")]
    pub font_path: Vec<PathBuf>,

    /// 并行线程数（含 typst 内部的并行），不写或 0 使用全部 CPU 核心 (threads; absent or 0: all cores)
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,

    /// 压缩包内的文件名用 GBK 编码，供旧版 Windows 自带解压直接打开 (GBK entry names for old Windows Explorer)
    #[arg(long = "gbk-names")]
    pub gbk_names: bool,

    /// 只生成该年度的民主评议表，如 2025 (annual appraisals of this year only)
    #[arg(long, value_name = "年度")]
    pub year: Option<i32>,

    /// 严格模式：有任何错误就不生成压缩包，退出码 2 (any error → no archive, exit 2)
    #[arg(long)]
    pub strict: bool,
}

/// What `check` takes.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// 额外的字体目录，可重复（用于检查缺字）(extra font directory for the glyph check)
    #[arg(long = "font-path", value_name = "目录")]
    pub font_path: Vec<PathBuf>,
}

/// The inputs every command reads.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// 数据文件：.xlsx .xlsm .xls .xlsb .ods .csv，可重复 (data file; repeatable)
    #[arg(long, short, required = true, value_name = "文件")]
    pub data: Vec<PathBuf>,

    /// 配置文件，默认使用当前目录下的 dangjian.toml（如有）(configuration file)
    #[arg(long, short, value_name = "dangjian.toml")]
    pub config: Option<PathBuf>,

    /// 也读取隐藏的工作表（默认跳过并提示）(read hidden sheets too)
    #[arg(long = "include-hidden")]
    pub include_hidden: bool,
}
