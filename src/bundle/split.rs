//! An archive split into numbered parts of a bounded size (`--split-size`): `打印.zip` becomes
//! `打印-1.zip`, `打印-2.zip` … when the files do not fit one part, so that each part can be
//! mailed or copied to a small USB stick. Each part holds its own 清单.csv, listing the rows
//! whose files it holds (their outputs narrowed to that part), and the full manifest as
//! 全部清单.csv, so that any one part tells where every row went.
//!
//! Every part is written to a temporary file next to the final path and renamed into place
//! only when all parts are complete: a failed run leaves no part behind.

use super::archive::{ArchiveOptions, ZipBuilder};
use super::atomic::Unfinished;
use super::error::BundleError;
use super::manifest::{MANIFEST_FILE_NAME, ManifestLine, ManifestLines, ManifestWriter};
use super::manifest_xlsx::{MANIFEST_WORKBOOK_NAME, write_manifest_xlsx};
use crate::bundle::archive_path::ArchivePath;
use std::collections::HashSet;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The name of the full manifest in every part.
pub const FULL_MANIFEST_NAME: &str = "全部清单.csv";

/// One part being written.
struct Part {
    /// The temporary file (removed if dropped unfinished).
    temp: tempfile::TempPath,
    /// Registered for the signal handler while written.
    _registered: Unfinished,
    /// The archive on it.
    zip: ZipBuilder<File>,
    /// The files it holds.
    files: HashSet<ArchivePath>,
    /// The bytes of the files added so far.
    bytes: u64,
}

/// A zip archive written as parts of at most `limit` bytes each: nine tenths for the files,
/// one tenth kept for the manifests (a file larger than that gets a part of its own).
pub struct SplitArchive {
    /// The path the user asked for (`打印.zip`).
    base: PathBuf,
    /// Most bytes of files per part.
    limit: u64,
    /// How names are written.
    options: ArchiveOptions,
    /// The parts, in order.
    parts: Vec<Part>,
}

impl SplitArchive {
    /// An archive at `base`, split into parts of at most `limit` bytes of files.
    pub fn new(base: &Path, limit: u64, options: ArchiveOptions) -> SplitArchive {
        SplitArchive {
            base: base.to_owned(),
            limit: limit.max(1),
            options,
            parts: Vec::new(),
        }
    }

    /// Adds a file, in a new part when the current one would exceed the limit.
    pub fn add(&mut self, path: &ArchivePath, bytes: &[u8]) -> Result<(), BundleError> {
        let size = bytes.len() as u64;
        // A tenth of each part is kept for its manifests and the zip's headers.
        let room = self.limit - self.limit / 10;
        let full = self
            .parts
            .last()
            .is_none_or(|p| p.bytes > 0 && p.bytes + size > room);
        if full {
            self.parts.push(self.new_part()?);
        }
        let Some(part) = self.parts.last_mut() else {
            return Err(BundleError::Finished);
        };
        part.zip.add(&path.to_string(), bytes)?;
        part.files.insert(path.clone());
        part.bytes += size;
        Ok(())
    }

    /// A fresh part on a temporary file next to the final path.
    fn new_part(&self) -> Result<Part, BundleError> {
        let dir = match self.base.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".dangjian-part.").suffix(".tmp");
        // Ordinary permissions (0o666 minus the umask), not tempfile's private 0o600.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let file = builder
            .tempfile_in(dir)
            .map_err(|source| BundleError::CreateTemp {
                dir: dir.to_owned(),
                source,
            })?;
        let (file, temp) = file.into_parts();
        let registered = Unfinished::register(&temp);
        Ok(Part {
            temp,
            _registered: registered,
            zip: ZipBuilder::with_options(file, self.options)?,
            files: HashSet::new(),
            bytes: 0,
        })
    }

    /// The final path of part `n` (from 1) of `count`: the base path itself for a single
    /// part, else `<stem>-<n>.<ext>`.
    pub fn part_path(base: &Path, n: usize, count: usize) -> PathBuf {
        if count <= 1 {
            return base.to_owned();
        }
        let stem = base
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let name = match base.extension() {
            Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
            None => format!("{stem}-{n}"),
        };
        base.with_file_name(name)
    }

    /// Writes each part's manifests, completes the parts and renames them into place.
    /// Returns the final paths, in order.
    pub fn finish(mut self, manifest: &dyn ManifestLines) -> Result<Vec<PathBuf>, BundleError> {
        if self.parts.is_empty() {
            self.parts.push(self.new_part()?);
        }
        let count = self.parts.len();
        let mut done = Vec::with_capacity(count);
        for part in self.parts {
            let Part {
                temp,
                _registered,
                mut zip,
                files,
                ..
            } = part;
            let own = PartLines {
                all: manifest,
                files: &files,
                whole: count == 1,
            };
            zip.add_streamed(MANIFEST_FILE_NAME, |out| write_csv(out, &own))?;
            zip.add_streamed(MANIFEST_WORKBOOK_NAME, |out| write_manifest_xlsx(&own, out))?;
            if count > 1 {
                zip.add_streamed(FULL_MANIFEST_NAME, |out| write_csv(out, manifest))?;
            }
            let mut file = zip.finish()?;
            let write_error = |source| BundleError::Write {
                path: temp.to_path_buf(),
                source,
            };
            file.flush().map_err(write_error)?;
            file.sync_all().map_err(write_error)?;
            done.push((temp, _registered));
        }
        let mut paths = Vec::with_capacity(count);
        for (n, (temp, _registered)) in done.into_iter().enumerate() {
            let path = Self::part_path(&self.base, n + 1, count);
            temp.persist(&path).map_err(|e| BundleError::Replace {
                path: path.clone(),
                source: e.error,
            })?;
            paths.push(path);
        }
        Ok(paths)
    }
}

/// Writes manifest lines as 清单.csv.
fn write_csv(out: &mut dyn Write, lines: &dyn ManifestLines) -> Result<(), BundleError> {
    let mut writer = ManifestWriter::new(out)?;
    for line in lines.lines() {
        writer.write(&line)?;
    }
    writer.finish()
}

/// The manifest of one part of a split archive: the lines of the rows whose documents are
/// in it, each listing only those documents (every line when there is one part).
struct PartLines<'a> {
    /// The whole manifest.
    all: &'a dyn ManifestLines,
    /// The paths of the documents in the part.
    files: &'a HashSet<ArchivePath>,
    /// There is one part: it has every line.
    whole: bool,
}

impl ManifestLines for PartLines<'_> {
    fn lines(&self) -> Box<dyn Iterator<Item = ManifestLine> + '_> {
        Box::new(self.all.lines().filter_map(|mut line| {
            if !self.whole && !line.outputs.iter().any(|o| self.files.contains(o)) {
                return None;
            }
            line.outputs.retain(|o| self.files.contains(o));
            Some(line)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_names_are_numbered_only_when_there_are_several() {
        let base = Path::new("/tmp/打印.zip");
        assert_eq!(SplitArchive::part_path(base, 1, 1), base);
        assert_eq!(
            SplitArchive::part_path(base, 2, 3),
            Path::new("/tmp/打印-2.zip")
        );
    }

    #[test]
    fn files_are_spread_over_parts_of_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("out.zip");
        let mut archive = SplitArchive::new(&base, 100, ArchiveOptions::default());
        for i in 0..5 {
            let path = ArchivePath::from(format!("a/{i}.pdf").as_str());
            archive.add(&path, &[b'x'; 60]).unwrap();
        }
        let paths = archive.finish(&Vec::new()).unwrap();
        assert_eq!(paths.len(), 5, "60 + 60 > 90: one file a part");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names.len(), 5, "no temporary file left: {names:?}");
        for p in &paths {
            let zip = zip::ZipArchive::new(File::open(p).unwrap()).unwrap();
            let inside: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
            assert!(inside.iter().any(|n| n == "清单.csv"), "{inside:?}");
            assert!(inside.iter().any(|n| n == "全部清单.csv"), "{inside:?}");
        }
    }
}
