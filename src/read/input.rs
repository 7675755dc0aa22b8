//! Input files as the library takes them: bytes with the name the user knows them by. Read
//! from disk only when they are regular files within the size limit; told apart by their
//! whole path, never by base name alone.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use thiserror::Error;

/// One input file, as bytes, with the name the user gave it (its extension picks the format).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The name shown in every message and in the manifest: the file name, or as much of its
    /// path as tells it apart from the other inputs (`a/台账.xlsx`), `/`-separated.
    pub name: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// A data file could not be used.
#[derive(Debug, Error)]
pub enum InputError {
    /// The system could not open or read it.
    #[error("无法读取数据文件 {}：{source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A folder, a named pipe, a device …: reading it would hang or never end.
    #[error("数据文件 {} 不是普通文件（是{kind}），请给出 .xlsx、.xls、.ods 或 .csv 表格文件", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is, in Chinese.
        kind: &'static str,
    },
    /// Larger than the configured limit.
    #[error(
        "数据文件 {} 有 {} MB，超过上限 {} MB（可在 dangjian.toml 的 [limits] 中调整 input_mb）",
        path.display(), mb(*size), mb(*limit)
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The same file was given twice (by two paths or twice the same path).
    #[error("同一个数据文件给了两次：{} 和 {}，请只给一次", first.display(), second.display())]
    Twice {
        /// The first path.
        first: PathBuf,
        /// The second path.
        second: PathBuf,
    },
}

/// Bytes as megabytes, one decimal.
fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_048_576.0)
}

impl Input {
    /// Reads a data file from disk, refusing anything but a regular file of at most
    /// `max_bytes`; its name is the path's file name.
    pub fn from_path(path: &Path, max_bytes: u64) -> Result<Input, InputError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| path.display().to_string());
        Ok(Input {
            name,
            bytes: read_regular_file(path, max_bytes)?,
        })
    }

    /// Reads several data files: each as [`Input::from_path`], the same file twice is an
    /// error, and files with one base name get as much of their path in their names as
    /// tells them apart (`a/台账.xlsx`, `b/台账.xlsx`).
    pub fn from_paths(paths: &[PathBuf], max_bytes: u64) -> Result<Vec<Input>, InputError> {
        let mut seen: BTreeMap<FileId, &PathBuf> = BTreeMap::new();
        let mut inputs = Vec::with_capacity(paths.len());
        let mut full: Vec<Vec<String>> = Vec::with_capacity(paths.len());
        for path in paths {
            let input = Input::from_path(path, max_bytes)?;
            let id = file_id(path)?;
            if let Some(first) = seen.insert(id, path) {
                return Err(InputError::Twice {
                    first: first.clone(),
                    second: path.clone(),
                });
            }
            let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            full.push(
                absolute
                    .components()
                    .filter_map(|c| match c {
                        Component::Normal(part) => Some(part.to_string_lossy().to_string()),
                        _ => None,
                    })
                    .collect(),
            );
            inputs.push(input);
        }
        for (input, name) in inputs.iter_mut().zip(shortest_distinct_suffixes(&full)) {
            if !name.is_empty() {
                input.name = name;
            }
        }
        Ok(inputs)
    }
}

/// Reads a regular file of at most `max_bytes`, checking what it is before opening it (a
/// named pipe would block the open itself).
fn read_regular_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let read_error = |source| InputError::Read {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if !meta.is_file() {
        return Err(InputError::NotAFile {
            path: path.to_owned(),
            kind: kind_of(&meta),
        });
    }
    let too_large = |size| InputError::TooLarge {
        path: path.to_owned(),
        size,
        limit: max_bytes,
    };
    if meta.len() > max_bytes {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow while it is read: never read past the limit.
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What a path that is not a regular file is, in Chinese.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_dir() {
        return "文件夹";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "命名管道";
        }
        if t.is_block_device() || t.is_char_device() {
            return "设备";
        }
        if t.is_socket() {
            return "套接字";
        }
    }
    "特殊文件"
}

/// What identifies a file on disk, whatever path names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum FileId {
    /// Device and inode.
    #[cfg(unix)]
    Inode(u64, u64),
    /// The canonical path, where inodes are not available.
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

/// The identity of the file at `path`.
fn file_id(path: &Path) -> Result<FileId, InputError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).map_err(|source| InputError::Read {
            path: path.to_owned(),
            source,
        })?;
        Ok(FileId::Inode(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path)
            .map(FileId::Path)
            .map_err(|source| InputError::Read {
                path: path.to_owned(),
                source,
            })
    }
}

/// For each path (as its components), the shortest trailing run of components that no other
/// path ends with, joined with `/`: the file name where it is unique.
fn shortest_distinct_suffixes(paths: &[Vec<String>]) -> Vec<String> {
    let suffix = |parts: &[String], n: usize| parts[parts.len().saturating_sub(n)..].join("/");
    paths
        .iter()
        .enumerate()
        .map(|(i, parts)| {
            (1..=parts.len())
                .map(|n| suffix(parts, n))
                .find(|candidate| {
                    paths.iter().enumerate().all(|(j, other)| {
                        j == i
                            || !(other.join("/") == *candidate
                                || other.join("/").ends_with(&format!("/{candidate}")))
                    })
                })
                .unwrap_or_else(|| parts.join("/"))
        })
        .collect()
}

/// True when both paths name one existing file (by any path: links, `./`, `..`).
pub fn same_file(a: &Path, b: &Path) -> bool {
    matches!((file_id(a), file_id(b)), (Ok(x), Ok(y)) if x == y)
}

/// The names inputs are shown by in one job: their own, with `（2）`, `（3）` … before the
/// extension of a name already taken, so that two uploads called alike are told apart.
pub fn distinct_names(inputs: &[Input]) -> Vec<String> {
    let mut taken: BTreeMap<&str, usize> = BTreeMap::new();
    inputs
        .iter()
        .map(|input| {
            let n = taken.entry(input.name.as_str()).or_default();
            *n += 1;
            if *n == 1 {
                return input.name.clone();
            }
            match input.name.rsplit_once('.') {
                Some((stem, ext)) if !stem.is_empty() => format!("{stem}（{n}）.{ext}"),
                _ => format!("{}（{n}）", input.name),
            }
        })
        .collect()
}

/// The position of the first input whose name and bytes repeat an earlier one's, with the
/// earlier one's: the same file given twice.
pub fn repeated_input(inputs: &[Input]) -> Option<(usize, usize)> {
    inputs.iter().enumerate().find_map(|(i, input)| {
        inputs[..i]
            .iter()
            .position(|earlier| earlier == input)
            .map(|first| (first, i))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(path: &str) -> Vec<String> {
        path.split('/').map(str::to_string).collect()
    }

    #[test]
    fn paths_with_one_base_name_are_told_apart_by_their_folders() {
        let names = shortest_distinct_suffixes(&[
            parts("home/u/a/台账.xlsx"),
            parts("home/u/b/台账.xlsx"),
            parts("home/u/b/花名册.xlsx"),
        ]);
        assert_eq!(names, ["a/台账.xlsx", "b/台账.xlsx", "花名册.xlsx"]);
        let deeper = shortest_distinct_suffixes(&[parts("x/a/t.csv"), parts("y/a/t.csv")]);
        assert_eq!(deeper, ["x/a/t.csv", "y/a/t.csv"]);
    }

    #[test]
    fn uploads_called_alike_get_numbered_names() {
        let input = |name: &str, byte: u8| Input {
            name: name.into(),
            bytes: vec![byte],
        };
        let inputs = [
            input("台账.xlsx", 1),
            input("台账.xlsx", 2),
            input("名单", 3),
            input("名单", 4),
        ];
        assert_eq!(
            distinct_names(&inputs),
            ["台账.xlsx", "台账（2）.xlsx", "名单", "名单（2）"]
        );
        assert_eq!(repeated_input(&inputs), None);
        let twice = [input("a.xlsx", 1), input("b.xlsx", 2), input("a.xlsx", 1)];
        assert_eq!(repeated_input(&twice), Some((0, 2)));
    }

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let err = Input::from_path(dir.path(), 100).unwrap_err().to_string();
        assert!(err.contains("不是普通文件（是文件夹）"), "{err}");
        let big = dir.path().join("big.xlsx");
        std::fs::write(&big, vec![0u8; 2_000_000]).unwrap();
        let err = Input::from_path(&big, 1_048_576).unwrap_err().to_string();
        assert!(err.contains("1.9 MB，超过上限 1.0 MB"), "{err}");
        #[cfg(unix)]
        {
            let err = Input::from_path(Path::new("/dev/zero"), 100)
                .unwrap_err()
                .to_string();
            assert!(err.contains("（是设备）"), "{err}");
        }
        let ok = Input::from_path(&big, 2_000_000).unwrap();
        assert_eq!((ok.name.as_str(), ok.bytes.len()), ("big.xlsx", 2_000_000));
    }

    #[test]
    fn the_same_file_twice_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.xlsx");
        std::fs::write(&a, b"x").unwrap();
        let again = dir.path().join(".").join("a.xlsx");
        let err = Input::from_paths(&[a.clone(), again], 100).unwrap_err();
        assert!(matches!(err, InputError::Twice { .. }), "{err}");
        assert!(err.to_string().starts_with("同一个数据文件给了两次"));
    }
}
