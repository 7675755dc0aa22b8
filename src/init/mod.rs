//! Starting a year right: `init` writes a ledger template (台账模板.xlsx) in the shape the
//! reader expects, a commented `dangjian.toml` with every setting and its default, and a
//! 说明.txt; `templates export` writes the built-in templates with a guide to their variables.
//! Neither ever overwrites a file: existing files are named and nothing is written.

pub mod config_file;
pub mod templates;
pub mod workbook;

use std::path::{Path, PathBuf};
use thiserror::Error;

/// The ledger template's file name.
pub const TEMPLATE_FILE: &str = "台账模板.xlsx";
/// The configuration file's name (the one `render`/`check` look for in the current directory).
pub const CONFIG_FILE: &str = crate::config::DEFAULT_FILE;
/// The instructions' file name.
pub const README_FILE: &str = "说明.txt";

/// Why `init` or `templates export` wrote nothing (or stopped).
#[derive(Debug, Error)]
pub enum InitError {
    /// Files of the same names are already there; none was touched.
    #[error("目录 {} 中已有 {}，为免覆盖，未写入任何文件；请换一个目录，或先移走这些文件", dir.display(), names.join("、"))]
    Exists {
        /// The directory.
        dir: PathBuf,
        /// The files already there.
        names: Vec<String>,
    },
    /// A file or the directory could not be written.
    #[error("无法写入 {}：{source}", path.display())]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The template workbook could not be built (a bug: its content is fixed).
    #[error("无法生成台账模板：{0}")]
    Workbook(String),
}

/// The files of `init`: the ledger template, the configuration, the instructions.
pub fn init_files() -> Result<Vec<(String, Vec<u8>)>, InitError> {
    let xlsx = workbook::template_xlsx().map_err(|e| InitError::Workbook(e.to_string()))?;
    Ok(vec![
        (TEMPLATE_FILE.to_string(), xlsx),
        (
            CONFIG_FILE.to_string(),
            config_file::CONFIG_TOML.as_bytes().to_vec(),
        ),
        (README_FILE.to_string(), README_TEXT.as_bytes().to_vec()),
    ])
}

/// `init DIR`: writes [`init_files`] into `dir` (created if missing). Returns the paths written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    write_new_files(dir, &init_files()?)
}

/// `templates export DIR`: writes [`templates::template_files`] into `dir` (created if
/// missing). Returns the paths written.
pub fn export_templates(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    write_new_files(dir, &templates::template_files())
}

/// Writes files into a directory, none of which may exist yet: when any does, nothing is
/// written. Each file is created exclusively, so that a file appearing meanwhile is not
/// overwritten either.
pub fn write_new_files(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, InitError> {
    let existing: Vec<String> = files
        .iter()
        .filter(|(name, _)| dir.join(name).symlink_metadata().is_ok())
        .map(|(name, _)| name.clone())
        .collect();
    if !existing.is_empty() {
        return Err(InitError::Exists {
            dir: dir.to_owned(),
            names: existing,
        });
    }
    std::fs::create_dir_all(dir).map_err(|source| InitError::Write {
        path: dir.to_owned(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        let result = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, bytes));
        if let Err(source) = result {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                return Err(InitError::Exists {
                    dir: dir.to_owned(),
                    names: vec![name.clone()],
                });
            }
            return Err(InitError::Write { path, source });
        }
        written.push(path);
    }
    Ok(written)
}

/// 说明.txt: what the three files are and the commands of a year, step by step.
pub const README_TEXT: &str = "dangjian 学生党建材料工具 —— 新学年使用说明
================================================

本目录中的文件：
  台账模板.xlsx   学生党建台账。每个工作表对应一类数据：花名册、党校培训、谈话记录、政治审查、
                  家庭成员、民主评议、简历；「说明」工作表逐列说明填写要求。
                  表头红色的列为必填；第二行是示例，请替换或删除。
                  用不到的工作表可以整张删除（留着空表，检查时会提示“没有数据行”）。
                  学号、身份证号已设为文本格式（Excel 不会丢失身份证号末位）；
                  性别、民族、发展阶段、培训类别、成绩、谈话类型、评定等次等列可从下拉列表选择。
  dangjian.toml   配置文件：学校名称、发证党校、及格线、证书编号规则、文件路径、程序检查标准等，
                  每一项都写明了默认值和用途。请至少填写 [organization] 中的 school（学校名称）。
  说明.txt        本文件。

使用步骤（在本目录中打开命令行窗口）：
  1. 填写台账模板.xlsx（可另存为 台账.xlsx；也可以分成几个文件，每个文件含其中几个工作表）。
  2. 检查数据，逐条列出问题（文件 › 工作表 › 单元格）：
       dangjian check --data 台账.xlsx
  3. 检查发展党员程序（年龄、各阶段间隔、培训学时、政审、谈话、民主评议等），并生成检查报告：
       dangjian check --rules --data 台账.xlsx --out 检查报告.pdf
     （同时生成可筛选的 检查报告.xlsx）
  4. 生成全部文书（结业证书、登记表、谈话记录、政审表、民主评议表），打包为 zip：
       dangjian render all --data 台账.xlsx --out 党建材料.zip
     压缩包内的 清单.csv 列出每一行数据的处理结果。

修改文书样式：
  dangjian templates export 我的模板
  修改 我的模板 中的文件后：dangjian render all --data 台账.xlsx --templates 我的模板 --out 党建材料.zip
  （模板说明.md 列出每个模板可用的变量。）

退出码：0 全部成功；1 已生成，但有数据行被拒绝或发现问题；2 无法处理（文件无法读取、配置有误等）。
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn existing_files_are_named_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "# mine\n").unwrap();
        let err = init(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("dangjian.toml") && err.contains("未写入任何文件"),
            "{err}"
        );
        assert!(!dir.path().join(TEMPLATE_FILE).exists());
        assert_eq!(
            std::fs::read_to_string(dir.path().join(CONFIG_FILE)).unwrap(),
            "# mine\n"
        );
    }

    #[test]
    fn init_writes_three_files_into_a_new_directory() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("2025学生党建");
        let written = init(&target).unwrap();
        assert_eq!(written.len(), 3);
        for name in [TEMPLATE_FILE, CONFIG_FILE, README_FILE] {
            assert!(target.join(name).is_file(), "{name}");
        }
    }
}
