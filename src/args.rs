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
        after_help = "示例 (examples):\n  dangjian check --data 花名册.xlsx --data 党校成绩.xlsx\n  dangjian check --rules --data 台账.xlsx --out 检查报告.pdf"
    )]
    Check(CheckArgs),
    /// 新建一年的工作目录：台账模板.xlsx、dangjian.toml、说明.txt，不覆盖已有文件 (start a year)
    #[command(after_help = "示例 (example):\n  dangjian init 2025学生党建")]
    Init {
        /// 要写入的目录（不存在则新建）(directory)
        #[arg(value_name = "目录")]
        dir: PathBuf,
    },
    /// 模板：导出内置模板供修改 (templates)
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// 启动网页服务：在浏览器中上传表格、下载文书 (web service with an upload page)
    #[command(
        after_help = "示例 (examples):\n  dangjian serve                          # http://127.0.0.1:8080\n  dangjian serve --addr 0.0.0.0:8080 --token-file token.txt"
    )]
    Serve(ServeArgs),
}

/// What `templates` does.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// 导出内置模板和变量说明到目录，修改后用 render --templates 目录 使用 (export the built-in templates)
    #[command(
        after_help = "示例 (example):\n  dangjian templates export 我的模板\n  dangjian render all --data 台账.xlsx --templates 我的模板 --out 材料.zip"
    )]
    Export {
        /// 要写入的目录（不存在则新建）(directory)
        #[arg(value_name = "目录")]
        dir: PathBuf,
    },
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
        "示例 (examples):\n  dangjian render certificate --data 花名册.xlsx --data 党校成绩.xlsx --out 结业证书.zip\n  dangjian render packet --data 台账.xlsx --out 档案.zip\n  dangjian render annual-appraisal --print --duplex --data 台账.xlsx --out 打印.zip\n\n{}",
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

    #[command(flatten)]
    pub bundle: BundleArgs,
}

/// How `render` bundles: print runs, duplex padding, the archive layout.
#[derive(Debug, Args)]
pub struct BundleArgs {
    /// 另按文书类别合订打印文件（打印/年度民主评议表-01.pdf …，按学院、班级、学号排序）(print run: one merged PDF per kind, in volumes)
    #[arg(long)]
    pub print: bool,

    /// 合订文件中每份文书补空白页到偶数页，便于双面打印 (pad each document of merged files to an even page count)
    #[arg(long)]
    pub duplex: bool,

    /// 压缩包超过该大小（MB）时分为多个：打印-1.zip、打印-2.zip …，各含本包的清单和全部清单 (split the archive into parts of at most MB)
    #[arg(long = "split-size", value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub split_size: Option<u64>,

    /// 压缩包内的路径模式，覆盖配置的 path_pattern，如 "{学院}/{班级}/{学号}_{姓名}/{文档}.pdf" (archive layout)
    #[arg(long, value_name = "模式")]
    pub layout: Option<String>,
}

/// What `check` takes.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// 额外的字体目录，可重复（用于检查缺字）(extra font directory for the glyph check)
    #[arg(long = "font-path", value_name = "目录")]
    pub font_path: Vec<PathBuf>,

    /// 同时检查发展党员程序：年龄、培养期、培训学时、政审、谈话、学时、民主评议、证书 (procedure rules)
    #[arg(long)]
    pub rules: bool,

    /// 与 --rules 同用：检查报告写成 PDF，并写同名 .xlsx 供筛选 (report: PDF + .xlsx)
    #[arg(long, short, value_name = "检查报告.pdf", requires = "rules")]
    pub out: Option<PathBuf>,
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
