//! One input file as the library takes it: bytes with the name the user gave them.

use std::path::{Path, PathBuf};
use thiserror::Error;

/// One input file, as bytes, with the name the user gave it (its extension picks the format).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The file name without directories, e.g. `花名册.xlsx`.
    pub name: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// A data file could not be read from disk.
#[derive(Debug, Error)]
#[error("无法读取数据文件 {}：{source}", path.display())]
pub struct InputError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

impl Input {
    /// Reads a data file from disk; its name is the path's file name.
    pub fn from_path(path: &Path) -> Result<Input, InputError> {
        let bytes = std::fs::read(path).map_err(|source| InputError {
            path: path.to_owned(),
            source,
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| path.display().to_string());
        Ok(Input { name, bytes })
    }
}
