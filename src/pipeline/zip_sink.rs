//! The zip archive as a sink: every PDF at its planned path, then 清单.csv and 清单.xlsx.

use super::{Made, Sink};
use crate::bundle::SplitArchive;
use crate::bundle::manifest::{ManifestLines, ManifestWriter};
use crate::bundle::{
    ArchiveOptions, BundleError, MANIFEST_FILE_NAME, MANIFEST_WORKBOOK_NAME, ZipBuilder,
    write_manifest_xlsx,
};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes the documents and the manifest into a zip archive.
pub struct ZipSink<W: Write> {
    /// The archive; `None` once finished.
    zip: Option<ZipBuilder<W>>,
}

impl<W: Write> ZipSink<W> {
    /// An archive on `writer`: a file, or one that cannot seek (an HTTP body, a pipe), with
    /// the same bytes.
    pub fn new(writer: W, options: ArchiveOptions) -> Result<Self, BundleError> {
        Ok(ZipSink {
            zip: Some(ZipBuilder::with_options(writer, options)?),
        })
    }
}

impl<W: Write> Sink for ZipSink<W> {
    fn document(&mut self, made: &Made<'_>) -> Result<(), BundleError> {
        match &mut self.zip {
            Some(zip) => zip.add(&made.document.path.to_string(), &made.pdf.bytes),
            None => Err(BundleError::Finished),
        }
    }

    fn finish(&mut self, manifest: &dyn ManifestLines) -> Result<(), BundleError> {
        let Some(mut zip) = self.zip.take() else {
            return Err(BundleError::Finished);
        };
        zip.add_streamed(MANIFEST_FILE_NAME, |out| {
            let mut writer = ManifestWriter::new(out)?;
            for line in manifest.lines() {
                writer.write(&line)?;
            }
            writer.finish()
        })?;
        zip.add_streamed(MANIFEST_WORKBOOK_NAME, |out| {
            write_manifest_xlsx(manifest, out)
        })?;
        zip.finish()?;
        Ok(())
    }
}

/// Writes the documents into an archive split into numbered parts of a bounded size
/// (`--split-size`), see [`SplitArchive`].
pub struct SplitSink {
    /// The archive; `None` once finished.
    archive: Option<SplitArchive>,
    /// The final paths of the parts, once finished.
    pub written: Vec<PathBuf>,
}

impl SplitSink {
    /// Parts of at most `limit` bytes of files at `base` (`打印.zip` → `打印-1.zip` …).
    pub fn new(base: &Path, limit: u64, options: ArchiveOptions) -> Self {
        SplitSink {
            archive: Some(SplitArchive::new(base, limit, options)),
            written: Vec::new(),
        }
    }
}

impl Sink for SplitSink {
    fn document(&mut self, made: &Made<'_>) -> Result<(), BundleError> {
        match &mut self.archive {
            Some(archive) => archive.add(&made.document.path, &made.pdf.bytes),
            None => Err(BundleError::Finished),
        }
    }

    fn finish(&mut self, manifest: &dyn ManifestLines) -> Result<(), BundleError> {
        let archive = self.archive.take().ok_or(BundleError::Finished)?;
        self.written = archive.finish(manifest)?;
        Ok(())
    }
}
