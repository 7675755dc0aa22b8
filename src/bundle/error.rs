//! The errors of the bundle stage, with Chinese messages that tell the user what to do.

use std::io;
use std::path::PathBuf;

use super::layout::LayoutError;

/// Anything that can go wrong while laying out, writing or saving the archive.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The workbook 清单.xlsx could not be made.
    #[error("无法生成 清单.xlsx：{0}")]
    ManifestWorkbook(String),

    /// An output path pattern is malformed or names an unknown field.
    #[error(transparent)]
    Layout(#[from] LayoutError),

    /// The temporary file next to the output could not be created.
    #[error("无法在文件夹 {dir} 中创建临时文件：{source}（请确认该文件夹存在且有写入权限）")]
    CreateTemp {
        /// The folder of the output file.
        dir: PathBuf,
        /// The underlying error.
        source: io::Error,
    },

    /// Writing or flushing the output file failed (disk full, device removed …).
    #[error("无法写入输出文件 {path}：{source}（请检查磁盘空间和写入权限）")]
    Write {
        /// The output file's final path (the temporary file is next to it).
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },

    /// The finished temporary file could not be renamed to the final name.
    #[error("无法保存输出文件 {path}：{source}（如果该文件正被其他程序打开，请先关闭后重试）")]
    Replace {
        /// The output file's final path.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },

    /// An entry could not be written into the archive.
    #[error("无法把 {entry} 写入压缩包：{source}")]
    ZipEntry {
        /// The entry's path inside the archive.
        entry: String,
        /// The underlying error.
        source: io::Error,
    },

    /// The archive's central directory could not be written.
    #[error("无法完成压缩包的写入：{0}")]
    ZipFinish(#[source] io::Error),

    /// An entry path is not a clean relative path (a defect in the caller: paths come from
    /// the layout functions, which never produce such names).
    #[error("压缩包内的文件名无效：“{entry}”（{reason}）")]
    InvalidEntryName {
        /// The rejected entry path.
        entry: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// Two entries with the same path (paths should go through `unique_paths` first).
    #[error("压缩包内的文件重名：{entry}")]
    DuplicateEntry {
        /// The repeated entry path.
        entry: String,
    },

    /// The archive timestamp cannot be stored in a zip (MS-DOS time: 1980–2107).
    #[error("压缩包的文件时间 {value} 超出 ZIP 格式支持的范围（1980 年至 2107 年）")]
    Timestamp {
        /// The timestamp as given.
        value: String,
    },

    /// The manifest could not be serialised.
    #[error("无法生成清单：{0}")]
    Manifest(#[from] csv::Error),

    /// The output path names a folder, a device or another special file.
    #[error("输出路径 {} 不是普通文件（是文件夹或设备），请给出 .zip 文件的路径", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
    },

    /// The output path is one of the input files: writing would destroy the data.
    #[error("输出文件 {} 就是输入的数据文件，写入会覆盖数据，请换一个文件名", path.display())]
    OutputIsInput {
        /// The path.
        path: PathBuf,
    },

    /// A document or the manifest came after the archive was finished (a bug of the caller).
    #[error("压缩包已写完，不能再添加文件")]
    Finished,
}
