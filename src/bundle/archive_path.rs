//! A document's path inside the archive, kept as its folder and its file name. A province's
//! run makes a hundred thousand documents, but their paths repeat: one folder per student
//! (`学院/党支部/学号_姓名`) holds several documents, and the file names repeat from student to
//! student (`入党积极分子登记表.pdf`). Each distinct folder and name is held once, shared by the
//! plan, the report and the manifest, instead of a whole path per document.

use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A path inside the archive: everything before its last `/` (empty for a file at the top)
/// and the file name after it. Compared, ordered, hashed and shown as the whole path.
#[derive(Clone, Default)]
pub struct ArchivePath {
    /// The folder, without the final `/`; empty at the top of the archive.
    folder: Arc<str>,
    /// The file name.
    name: Arc<str>,
}

impl ArchivePath {
    /// `path` split at its last `/`, each part the shared copy `share` hands out (an
    /// interner's: one copy of each distinct text).
    pub fn shared(path: &str, share: &mut impl FnMut(&str) -> Arc<str>) -> ArchivePath {
        let (folder, name) = split(path);
        ArchivePath {
            folder: share(folder),
            name: share(name),
        }
    }

    /// The folder (empty at the top of the archive).
    pub fn folder(&self) -> &str {
        &self.folder
    }

    /// The file name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole path's bytes, in order.
    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let slash: &[u8] = if self.folder.is_empty() { b"" } else { b"/" };
        self.folder
            .bytes()
            .chain(slash.iter().copied())
            .chain(self.name.bytes())
    }

    /// Whether the whole path starts with `prefix`.
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.to_string().starts_with(prefix)
    }

    /// Whether the whole path ends with `suffix`.
    pub fn ends_with(&self, suffix: &str) -> bool {
        self.to_string().ends_with(suffix)
    }
}

/// A path split at its last `/`: (folder, name).
fn split(path: &str) -> (&str, &str) {
    match path.rsplit_once('/') {
        Some((folder, name)) => (folder, name),
        None => ("", path),
    }
}

/// A path of its own (not shared): for tests and the few paths made one at a time.
impl From<&str> for ArchivePath {
    fn from(path: &str) -> ArchivePath {
        let (folder, name) = split(path);
        ArchivePath {
            folder: Arc::from(folder),
            name: Arc::from(name),
        }
    }
}

impl fmt::Display for ArchivePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.folder.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{}/{}", self.folder, self.name)
        }
    }
}

impl fmt::Debug for ArchivePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

// One path splits one way only, so equal parts are equal paths and the derived-looking
// comparisons below agree with comparing the whole strings.
impl PartialEq for ArchivePath {
    fn eq(&self, other: &Self) -> bool {
        self.folder == other.folder && self.name == other.name
    }
}

impl Eq for ArchivePath {}

impl Hash for ArchivePath {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.folder.hash(state);
        self.name.hash(state);
    }
}

/// The order of the whole paths (as strings), not of (folder, name).
impl Ord for ArchivePath {
    fn cmp(&self, other: &Self) -> Ordering {
        self.bytes().cmp(other.bytes())
    }
}

impl PartialOrd for ArchivePath {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Written as the whole path.
impl Serialize for ArchivePath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The whole paths of `paths` joined by `separator`.
pub fn join_paths(paths: &[ArchivePath], separator: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (i, p) in paths.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        // Writing to a String cannot fail.
        let _ = write!(out, "{p}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_its_folder_and_name_shown_compared_and_ordered_whole() {
        let mut seen: Vec<Arc<str>> = Vec::new();
        let mut share = |text: &str| match seen.iter().find(|s| ***s == *text) {
            Some(s) => s.clone(),
            None => {
                seen.push(Arc::from(text));
                seen[seen.len() - 1].clone()
            }
        };
        let a = ArchivePath::shared(
            "文学院/学生第一党支部/2024010101_张三/党校结业证书.pdf",
            &mut share,
        );
        let b = ArchivePath::shared(
            "文学院/学生第一党支部/2024010101_张三/入党积极分子登记表.pdf",
            &mut share,
        );
        assert_eq!(a.folder(), "文学院/学生第一党支部/2024010101_张三");
        assert_eq!(a.name(), "党校结业证书.pdf");
        assert!(Arc::ptr_eq(&a.folder, &b.folder), "one folder, held once");
        assert_eq!(
            a.to_string(),
            "文学院/学生第一党支部/2024010101_张三/党校结业证书.pdf"
        );
        assert_eq!(ArchivePath::from("清单.csv").to_string(), "清单.csv");
        assert_eq!(ArchivePath::from("清单.csv").folder(), "");
        assert_eq!(a, ArchivePath::from(a.to_string().as_str()));
        // Ordered as the whole strings: "a/b" sorts after "a-c/d" ('/' > '-') and before
        // "a/b/c" (a prefix first), whatever the folders' lengths.
        let mut paths: Vec<ArchivePath> = ["a/b", "a-c/d", "a/b/c", "b", "a/a/z"]
            .into_iter()
            .map(ArchivePath::from)
            .collect();
        paths.sort();
        let mut strings: Vec<&str> = vec!["a/b", "a-c/d", "a/b/c", "b", "a/a/z"];
        strings.sort();
        assert_eq!(
            paths.iter().map(ToString::to_string).collect::<Vec<_>>(),
            strings
        );
        assert_eq!(
            join_paths(&paths[..2], "；"),
            format!("{}；{}", strings[0], strings[1])
        );
        assert!(a.ends_with("/党校结业证书.pdf") && a.starts_with("文学院/"));
        assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{a}\""));
    }
}
