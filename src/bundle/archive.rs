//! The zip archive: a streaming, deterministic writer.
//!
//! Same entries in the same order → byte-identical archive: every entry gets the same
//! timestamp, permissions (0o644), "made by Unix" host byte and compression settings, whatever
//! machine or clock the tool runs on. Entries are written as they are added (nothing is held
//! back in memory) in the order given; the caller sorts.
//!
//! No directory entries are written: every extractor (Windows Explorer, 7-Zip, WinRAR,
//! Bandizip, macOS Archive Utility, Info-ZIP `unzip`) creates the folders of a file's path.
//!
//! Entry names are UTF-8 with the UTF-8 flag (general purpose bit 11), or, with
//! [`NameEncoding::Gbk`], GBK bytes for the built-in extractor of older Chinese Windows, which
//! ignores the flag and decodes names in the system code page (936).
//!
//! The records are written here (`zip_format.rs`) rather than by the `zip` crate's
//! writer, which keeps every entry's header in memory until the archive is finished (about
//! 300 bytes an entry: 28 MB for the 91 000 documents of 10 000 students); here the central
//! directory waits in a temporary file. An archive of more than 65 535 entries or past 4 GiB
//! ends with Zip64 records, which every current extractor reads. The `zip` crate still reads
//! archives (the tests, the workbooks).

use std::io::{self, BufWriter, Write};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use flate2::Compression;
use flate2::write::DeflateEncoder;

use super::central::CentralDirectory;
use super::error::BundleError;
use super::spill::Spill;
use super::zip_format::{self, DEFLATED, DosTime, Entry, FLAG_UTF8, STORED};

/// The default timestamp of every entry: 2000-01-01 00:00:00 (no time zone; zip stores local
/// MS-DOS time). Fixed so that re-running gives the same bytes.
pub const DEFAULT_TIMESTAMP: NaiveDateTime = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(date) => NaiveDateTime::new(date, NaiveTime::MIN),
    None => NaiveDateTime::MIN,
};

/// Unix permissions of every entry: `rw-r--r--`.
const PERMISSIONS: u32 = 0o644;

/// Entries other than PDFs (the manifests) are deflated at this level (zlib's default).
const DEFLATE_LEVEL: u32 = 6;

/// Info-ZIP Unicode Path extra field (APPNOTE 4.6.9): the UTF-8 name of an entry whose header
/// name is in a legacy encoding.
const UNICODE_PATH_FIELD: u16 = 0x7075;

/// How entry names are encoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum NameEncoding {
    /// UTF-8 with the UTF-8 flag set: correct in every current extractor (Windows 10 1903+,
    /// 7-Zip, WinRAR, Bandizip, macOS, Linux).
    #[default]
    Utf8,
    /// GBK bytes without the UTF-8 flag, for the built-in extractor of older Chinese Windows.
    /// Each such entry also carries its UTF-8 name in an Info-ZIP Unicode Path extra field, which
    /// 7-Zip, Info-ZIP `unzip`, libarchive and the `zip` crate prefer over the header name.
    ///
    /// Characters GBK lacks (rare characters beyond GBK) become `_` in the GBK name only. Two
    /// rare cases fall back to a UTF-8-flagged name for that entry: the GBK bytes happen to be
    /// valid UTF-8 (the flag would then be set and the name misread everywhere), or the `_`
    /// substitution makes the GBK name equal to an earlier entry's.
    Gbk,
}

/// Settings of an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArchiveOptions {
    /// The modification time of every entry (1980–2107; seconds are rounded down to even).
    pub timestamp: NaiveDateTime,
    /// How entry names are encoded.
    pub name_encoding: NameEncoding,
}

impl Default for ArchiveOptions {
    fn default() -> Self {
        ArchiveOptions {
            timestamp: DEFAULT_TIMESTAMP,
            name_encoding: NameEncoding::Utf8,
        }
    }
}

/// Writes a deterministic zip archive entry by entry into `W` (a file, an HTTP body, a
/// `Vec<u8>`): the writer never seeks, so an archive streamed to a client has the very bytes
/// of the same archive written to a file.
///
/// Each entry's header carries its checksum and sizes: a PDF's are known before it is
/// written; an entry written piece by piece ([`ZipBuilder::add_streamed`], the manifests) is
/// compressed into a temporary file first. The central directory goes to a temporary file as
/// the entries are written (`central.rs`), so memory does not grow with the number of
/// entries.
///
/// Call [`ZipBuilder::finish`] at the end: an archive dropped unfinished is incomplete. Write
/// it through [`super::write_atomically`] so that a failed run leaves nothing under the final
/// name.
pub struct ZipBuilder<W: Write> {
    /// The archive's bytes, counted.
    out: Counted<W>,
    /// The modification time of every entry.
    modified: DosTime,
    /// How entry names are encoded.
    name_encoding: NameEncoding,
    /// The central headers written so far.
    central: CentralDirectory,
    /// One header's bytes, reused from entry to entry.
    scratch: Vec<u8>,
}

/// A buffered writer that counts the bytes written through it (the archive offset).
struct Counted<W: Write> {
    inner: BufWriter<W>,
    written: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Counts and checksums the uncompressed bytes of a streamed entry on their way to `inner`.
struct Tally<W: Write> {
    inner: W,
    crc: crc32fast::Hasher,
    size: u64,
}

impl<W: Write> Tally<W> {
    /// Nothing counted yet.
    fn new(inner: W) -> Self {
        Tally {
            inner,
            crc: crc32fast::Hasher::new(),
            size: 0,
        }
    }
}

impl<W: Write> Write for Tally<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What an entry's headers say of its data: method, checksum and sizes.
struct Stored {
    /// [`STORED`] or [`DEFLATED`].
    method: u16,
    /// CRC-32 of the contents.
    crc: u32,
    /// Size of the contents.
    size: u64,
    /// Size of the data as stored.
    compressed: u64,
}

/// The largest entry the archive takes (its sizes must fit the 32-bit fields; a document is
/// bounded far below by the page limit).
const MAX_ENTRY: u64 = 0xFFFF_FFFE;

impl<W: Write> ZipBuilder<W> {
    /// Starts an archive with the default options: UTF-8 names, [`DEFAULT_TIMESTAMP`].
    pub fn new(writer: W) -> Self {
        let modified = DosTime::of(DEFAULT_TIMESTAMP).unwrap_or(DosTime { time: 0, date: 0 });
        Self::on(writer, modified, NameEncoding::Utf8)
    }

    /// Starts an archive with the given options; fails if the timestamp cannot be stored.
    pub fn with_options(writer: W, options: ArchiveOptions) -> Result<Self, BundleError> {
        let modified = DosTime::of(options.timestamp).ok_or_else(|| BundleError::Timestamp {
            value: options.timestamp.format("%Y-%m-%d %H:%M:%S").to_string(),
        })?;
        Ok(Self::on(writer, modified, options.name_encoding))
    }

    /// An archive whose first entry goes at `offset` of `writer` (written there already):
    /// for the tests of archives past 4 GiB, on a sparse file.
    #[cfg(test)]
    fn at_offset(writer: W, offset: u64) -> Self {
        let mut zip = Self::new(writer);
        zip.out.written = offset;
        zip
    }

    fn on(writer: W, modified: DosTime, name_encoding: NameEncoding) -> Self {
        ZipBuilder {
            out: Counted {
                inner: BufWriter::with_capacity(64 << 10, writer),
                written: 0,
            },
            modified,
            name_encoding,
            central: CentralDirectory::new(),
            scratch: Vec::new(),
        }
    }

    /// Adds a file at `path` (relative, `/`-separated, as produced by the layout functions).
    ///
    /// Text entries (清单.csv) are deflated; PDFs are stored as they are: typst already
    /// compresses their streams, so deflating them again saved only ≈17 % of the size while
    /// costing ≈0.9 ms a document on the thread that feeds the typesetters (≈40 % of the
    /// end-to-end throughput, measured with `cargo bench --bench throughput`). A path already
    /// added, or one that is not a clean relative path (empty, absolute, `..`, `\`, `:`,
    /// control characters), is an error.
    pub fn add(&mut self, path: &str, bytes: &[u8]) -> Result<(), BundleError> {
        let name = self.entry_name(path)?;
        let fail = |source: io::Error| entry_error(path, source);
        let method = method_of(path);
        let deflated;
        let data = if method == DEFLATED {
            let mut encoder = DeflateEncoder::new(Vec::new(), Compression::new(DEFLATE_LEVEL));
            encoder.write_all(bytes).map_err(fail)?;
            deflated = encoder.finish().map_err(fail)?;
            &deflated[..]
        } else {
            bytes
        };
        let stored = Stored {
            method,
            crc: crc32fast::hash(bytes),
            size: bytes.len() as u64,
            compressed: data.len() as u64,
        };
        self.put(path, &name, stored, |out| out.write_all(data))
    }

    /// Adds a file at `path` whose contents `write` writes piece by piece (as [`add`], but
    /// the contents never need to be whole in memory). They are compressed into a temporary
    /// file first, so that the entry's header carries its checksum and sizes like every other
    /// entry's: no data descriptors, which Info-ZIP `unzip` 6.0 rejected as overlapping
    /// entries in an archive of GBK names, and which not every extractor reads.
    ///
    /// [`add`]: ZipBuilder::add
    pub fn add_streamed(
        &mut self,
        path: &str,
        write: impl FnOnce(&mut dyn Write) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        let name = self.entry_name(path)?;
        let method = method_of(path);
        let mut body = Spill::new();
        // Checksum and size are of the contents; what reaches `body` is what is stored.
        let (crc, size) = if method == DEFLATED {
            let mut tally = Tally::new(DeflateEncoder::new(
                &mut body,
                Compression::new(DEFLATE_LEVEL),
            ));
            write(&mut tally)?;
            tally
                .inner
                .finish()
                .map_err(|source| entry_error(path, source))?;
            (tally.crc.finalize(), tally.size)
        } else {
            let mut tally = Tally::new(&mut body);
            write(&mut tally)?;
            (tally.crc.finalize(), tally.size)
        };
        let stored = Stored {
            method,
            crc,
            size,
            compressed: body.len(),
        };
        self.put(path, &name, stored, |out| body.copy_to(out))
    }

    /// Writes one entry whose data `copy` writes as stored: its local header, the data, and
    /// its central header aside.
    fn put(
        &mut self,
        path: &str,
        name: &[u8],
        stored: Stored,
        copy: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), BundleError> {
        let fail = |source: io::Error| entry_error(path, source);
        let extra = unicode_path_field(name, path);
        let entry = Entry {
            flags: utf8_flag(name, path),
            method: stored.method,
            modified: self.modified,
            crc: stored.crc,
            compressed: entry_size(stored.compressed, path)?,
            size: entry_size(stored.size, path)?,
            name,
            extra: &extra,
        };
        let offset = self.out.written;
        self.scratch.clear();
        zip_format::local_header(&mut self.scratch, &entry);
        self.out.write_all(&self.scratch).map_err(fail)?;
        copy(&mut self.out).map_err(fail)?;
        self.record(&entry, offset, path).map_err(fail)
    }

    /// Writes the central header of `entry`, whose local header is at `offset`.
    fn record(&mut self, entry: &Entry<'_>, offset: u64, path: &str) -> io::Result<()> {
        self.scratch.clear();
        zip_format::central_header(&mut self.scratch, entry, offset, PERMISSIONS);
        self.central.push(&self.scratch, path, entry.name)
    }

    /// Checks `path` and gives the name bytes its headers carry.
    fn entry_name(&mut self, path: &str) -> Result<Vec<u8>, BundleError> {
        validate_entry_path(path)?;
        let duplicate = || BundleError::DuplicateEntry {
            entry: path.to_owned(),
        };
        let read_back = |source: io::Error| entry_error(path, source);
        if self
            .central
            .has_path(path, unicode_path)
            .map_err(read_back)?
        {
            return Err(duplicate());
        }
        if self.name_encoding == NameEncoding::Utf8 {
            return Ok(path.as_bytes().to_vec());
        }
        let gbk = gbk_name(path);
        let looks_utf8 = !gbk.is_ascii() && std::str::from_utf8(&gbk).is_ok();
        let taken = gbk != path.as_bytes() && self.central.has_name(&gbk).map_err(read_back)?;
        let name = if looks_utf8 || taken {
            path.as_bytes().to_vec()
        } else {
            gbk
        };
        if self.central.has_name(&name).map_err(read_back)? {
            return Err(duplicate());
        }
        Ok(name)
    }

    /// Writes the central directory and the end records, and returns the writer.
    pub fn finish(self) -> Result<W, BundleError> {
        let ZipBuilder {
            mut out, central, ..
        } = self;
        let start = out.written;
        let (entries, size) = (central.entries(), central.bytes());
        central.copy_to(&mut out).map_err(BundleError::ZipFinish)?;
        let mut end = Vec::new();
        zip_format::end_records(&mut end, entries, start, size);
        out.write_all(&end).map_err(BundleError::ZipFinish)?;
        out.inner
            .into_inner()
            .map_err(|e| BundleError::ZipFinish(e.into_error()))
    }
}

fn entry_error(path: &str, source: io::Error) -> BundleError {
    BundleError::ZipEntry {
        entry: path.to_owned(),
        source,
    }
}

/// An entry's size for its 32-bit field, or the error that it is too large.
fn entry_size(len: u64, path: &str) -> Result<u32, BundleError> {
    Some(len)
        .filter(|&len| len <= MAX_ENTRY)
        .and_then(|len| u32::try_from(len).ok())
        .ok_or_else(|| entry_error(path, io::Error::other("单个文件超过 4 GB，ZIP 无法容纳")))
}

/// [`STORED`] for content compressed already (PDF), else [`DEFLATED`].
fn method_of(path: &str) -> u16 {
    if is_compressed_already(path) {
        STORED
    } else {
        DEFLATED
    }
}

/// The UTF-8 flag, for a name that is the path itself and not plain ASCII.
fn utf8_flag(name: &[u8], path: &str) -> u16 {
    if name == path.as_bytes() && !path.is_ascii() {
        FLAG_UTF8
    } else {
        0
    }
}

/// The Info-ZIP Unicode Path extra field for a header name that is not the path (GBK), else
/// nothing: id, size, version 1, CRC-32 of the header name, the UTF-8 path.
fn unicode_path_field(name: &[u8], path: &str) -> Vec<u8> {
    if name == path.as_bytes() {
        return Vec::new();
    }
    let mut field = Vec::with_capacity(9 + path.len());
    field.extend_from_slice(&UNICODE_PATH_FIELD.to_le_bytes());
    field.extend_from_slice(
        &u16::try_from(5 + path.len())
            .unwrap_or(u16::MAX)
            .to_le_bytes(),
    );
    field.push(1);
    field.extend_from_slice(&crc32(name).to_le_bytes());
    field.extend_from_slice(path.as_bytes());
    field
}

/// The UTF-8 path in the Unicode Path field among the extra fields `extra`, if any.
fn unicode_path(mut extra: &[u8]) -> Option<&[u8]> {
    while extra.len() >= 4 {
        let tag = u16::from_le_bytes([extra[0], extra[1]]);
        let len = usize::from(u16::from_le_bytes([extra[2], extra[3]]));
        let data = extra.get(4..4 + len)?;
        if tag == UNICODE_PATH_FIELD {
            return data.get(5..);
        }
        extra = &extra[4 + len..];
    }
    None
}

/// Rejects entry paths that are not clean, relative, `/`-separated paths.
fn validate_entry_path(path: &str) -> Result<(), BundleError> {
    let reason = if path.is_empty() {
        Some("名称为空")
    } else if path.starts_with('/') {
        Some("不能以 / 开头")
    } else if path.ends_with('/') {
        Some("不能以 / 结尾")
    } else if path.contains(['\\', ':']) {
        Some("不能含 \\ 或 :")
    } else if path.chars().any(char::is_control) {
        Some("不能含控制字符")
    } else if path
        .split('/')
        .any(|c| c.is_empty() || c == "." || c == "..")
    {
        Some("不能含空的、“.”或“..”的一级路径")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(BundleError::InvalidEntryName {
            entry: path.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

/// Whether every character of `text` has a GBK code (names in GBK archives).
pub fn gbk_encodable(text: &str) -> bool {
    !encoding_rs::GBK.encode(text).2
}

/// The GBK bytes of `name`; characters GBK lacks become `_`.
fn gbk_name(name: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len());
    let mut buf = [0u8; 4];
    for c in name.chars() {
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
        if unmappable {
            out.push(b'_');
        } else {
            out.extend_from_slice(&bytes);
        }
    }
    out
}

/// CRC-32 (IEEE 802.3, as used by zip) of `data`.
fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

/// True for entries whose content is compressed already (PDF), which are stored as they are.
fn is_compressed_already(path: &str) -> bool {
    path.rsplit('.')
        .next()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("pdf"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};
    use zip::{CompressionMethod, ZipArchive};

    /// The fields of a raw local file header that the tests check.
    struct LocalHeader {
        flags: u16,
        method: u16,
        time: u16,
        date: u16,
        name: Vec<u8>,
        extra: Vec<u8>,
    }

    fn u16_at(bytes: &[u8], at: usize) -> u16 {
        u16::from_le_bytes([bytes[at], bytes[at + 1]])
    }

    fn local_header(zip: &[u8], offset: u64) -> LocalHeader {
        let h = &zip[usize::try_from(offset).expect("offset")..];
        assert_eq!(&h[..4], b"PK\x03\x04", "local header signature");
        let name_len = usize::from(u16_at(h, 26));
        let extra_len = usize::from(u16_at(h, 28));
        LocalHeader {
            flags: u16_at(h, 6),
            method: u16_at(h, 8),
            time: u16_at(h, 10),
            date: u16_at(h, 12),
            name: h[30..30 + name_len].to_vec(),
            extra: h[30 + name_len..30 + name_len + extra_len].to_vec(),
        }
    }

    /// (flags, name bytes, external attributes) of a central directory header.
    fn central_header(zip: &[u8], offset: u64) -> (u16, Vec<u8>, u32) {
        let h = &zip[usize::try_from(offset).expect("offset")..];
        assert_eq!(&h[..4], b"PK\x01\x02", "central header signature");
        // "Version made by": host system 3 (Unix) whatever machine wrote it.
        assert_eq!(h[5], 3, "made by Unix");
        let name_len = usize::from(u16_at(h, 28));
        let attrs = u32::from_le_bytes([h[38], h[39], h[40], h[41]]);
        (u16_at(h, 8), h[46..46 + name_len].to_vec(), attrs)
    }

    const UTF8_FLAG: u16 = 1 << 11;

    fn build(options: ArchiveOptions, entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = ZipBuilder::with_options(Cursor::new(Vec::new()), options).expect("options");
        for (path, bytes) in entries {
            zip.add(path, bytes).expect("add");
        }
        zip.finish().expect("finish").into_inner()
    }

    fn sample_entries() -> Vec<(&'static str, &'static [u8])> {
        vec![
            ("清单.csv", "\u{FEFF}文件,工作表\r\n".as_bytes()),
            (
                "计算机学院/第一党支部/2021010101_张三/入党积极分子登记表.pdf",
                b"%PDF-1.7 fake",
            ),
            ("readme.txt", b"hello hello hello hello hello hello"),
        ]
    }

    #[test]
    fn entries_read_back_in_order_with_content() {
        let bytes = build(ArchiveOptions::default(), &sample_entries());
        let mut archive = ZipArchive::new(Cursor::new(bytes)).expect("zip");
        assert_eq!(archive.len(), 3);
        for (i, (path, content)) in sample_entries().into_iter().enumerate() {
            let mut file = archive.by_index(i).expect("entry");
            assert_eq!(file.name().expect("name"), path);
            let mut read = Vec::new();
            file.read_to_end(&mut read).expect("read");
            assert_eq!(read, content);
        }
    }

    #[test]
    fn utf8_flag_is_set_in_local_and_central_headers() {
        let bytes = build(ArchiveOptions::default(), &sample_entries());
        let mut archive = ZipArchive::new(Cursor::new(bytes.clone())).expect("zip");
        for i in 0..2 {
            let file = archive.by_index(i).expect("entry");
            let local = local_header(&bytes, file.header_start());
            assert_eq!(local.flags & UTF8_FLAG, UTF8_FLAG);
            assert_eq!(local.name, file.name().expect("name").as_bytes());
            let (flags, name, _) = central_header(&bytes, file.central_header_start());
            assert_eq!(flags & UTF8_FLAG, UTF8_FLAG);
            assert_eq!(name, local.name);
        }
        // The very first bytes of the archive are the first local header.
        assert_eq!(local_header(&bytes, 0).name, "清单.csv".as_bytes());
    }

    #[test]
    fn fixed_timestamp_permissions_and_methods() {
        let options = ArchiveOptions {
            timestamp: NaiveDate::from_ymd_opt(2025, 6, 30)
                .and_then(|d| d.and_hms_opt(14, 5, 9))
                .expect("date"),
            ..ArchiveOptions::default()
        };
        let bytes = build(options, &sample_entries());
        let mut archive = ZipArchive::new(Cursor::new(bytes.clone())).expect("zip");
        for i in 0..archive.len() {
            let file = archive.by_index(i).expect("entry");
            let time = file.last_modified().expect("time");
            assert_eq!(
                (time.year(), time.month(), time.day()),
                (2025, 6, 30),
                "{}",
                file.name().expect("name")
            );
            assert_eq!((time.hour(), time.minute(), time.second()), (14, 5, 8));
            assert_eq!(file.unix_mode().map(|m| m & 0o777), Some(0o644));
            let (_, _, attrs) = central_header(&bytes, file.central_header_start());
            assert_eq!(attrs >> 16, 0o100644, "regular file, rw-r--r--");
            let name = file.name().expect("name").to_string();
            let (method, raw) = if name.ends_with(".pdf") {
                (CompressionMethod::Stored, 0)
            } else {
                (CompressionMethod::Deflated, 8)
            };
            assert_eq!(file.compression(), method, "{name}");
            // The raw local header agrees: method 8 is Deflate, 0 is Stored.
            assert_eq!(
                local_header(&bytes, file.header_start()).method,
                raw,
                "{name}"
            );
        }
    }

    #[test]
    fn default_timestamp_is_2000_01_01() {
        let mut zip = ZipBuilder::new(Cursor::new(Vec::new()));
        zip.add("a.txt", b"a").expect("add");
        let bytes = zip.finish().expect("finish").into_inner();
        let header = local_header(&bytes, 0);
        // MS-DOS date: (year - 1980) << 9 | month << 5 | day.
        assert_eq!(header.date, (20 << 9) | (1 << 5) | 1);
        assert_eq!(header.time, 0);
    }

    #[test]
    fn same_entries_give_identical_bytes() {
        let a = build(ArchiveOptions::default(), &sample_entries());
        let b = build(ArchiveOptions::default(), &sample_entries());
        assert_eq!(a, b);
        // And the comparison is meaningful: different content gives different bytes.
        let mut other = sample_entries();
        other[2].1 = b"changed";
        assert_ne!(a, build(ArchiveOptions::default(), &other));
    }

    #[test]
    fn out_of_range_timestamp_is_rejected() {
        let options = ArchiveOptions {
            timestamp: NaiveDate::from_ymd_opt(1979, 12, 31)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .expect("date"),
            ..ArchiveOptions::default()
        };
        let result = ZipBuilder::with_options(Cursor::new(Vec::new()), options);
        assert!(matches!(result, Err(BundleError::Timestamp { .. })));
    }

    #[test]
    fn duplicate_and_malformed_paths_are_rejected() {
        let mut zip = ZipBuilder::new(Cursor::new(Vec::new()));
        zip.add("a/b.pdf", b"x").expect("add");
        assert!(matches!(
            zip.add("a/b.pdf", b"y"),
            Err(BundleError::DuplicateEntry { .. })
        ));
        for bad in [
            "", "/abs.pdf", "a/", "a//b", "../x", "a/./b", "a\\b", "C:x", "a\nb",
        ] {
            assert!(
                matches!(
                    zip.add(bad, b"x"),
                    Err(BundleError::InvalidEntryName { .. })
                ),
                "{bad:?} accepted"
            );
        }
        // The archive is still usable after rejected names.
        zip.add("a/c.pdf", b"z").expect("add");
        let bytes = zip.finish().expect("finish").into_inner();
        assert_eq!(ZipArchive::new(Cursor::new(bytes)).expect("zip").len(), 2);

        // With GBK names too, the path repeated is refused (its header name is GBK bytes).
        let options = ArchiveOptions {
            name_encoding: NameEncoding::Gbk,
            ..ArchiveOptions::default()
        };
        let mut zip = ZipBuilder::with_options(Cursor::new(Vec::new()), options).expect("zip");
        zip.add("张三/登记表.pdf", b"x").expect("add");
        zip.add("李四/登记表.pdf", b"x").expect("add");
        assert!(matches!(
            zip.add("张三/登记表.pdf", b"y"),
            Err(BundleError::DuplicateEntry { .. })
        ));
    }

    #[test]
    fn gbk_names_have_no_utf8_flag_and_carry_the_unicode_path() {
        let options = ArchiveOptions {
            name_encoding: NameEncoding::Gbk,
            ..ArchiveOptions::default()
        };
        let path = "计算机学院/第一党支部/2021010101_张三/入党积极分子登记表.pdf";
        let bytes = build(
            options,
            &[(path, b"%PDF"), ("清单.csv", b"x"), ("a.txt", b"y")],
        );

        let header = local_header(&bytes, 0);
        assert_eq!(header.flags & UTF8_FLAG, 0);
        let (decoded, _, had_errors) = encoding_rs::GBK.decode(&header.name);
        assert!(!had_errors);
        assert_eq!(decoded, path);
        assert_ne!(header.name, path.as_bytes());
        // Extra field: id 0x7075, size, version 1, CRC-32 of the header name, UTF-8 name.
        assert_eq!(u16_at(&header.extra, 0), UNICODE_PATH_FIELD);
        assert_eq!(usize::from(u16_at(&header.extra, 2)), 5 + path.len());
        assert_eq!(header.extra[4], 1);
        assert_eq!(header.extra[5..9], crc32(&header.name).to_le_bytes());
        assert_eq!(&header.extra[9..], path.as_bytes());

        // A reader that knows the field (here the zip crate) gets the UTF-8 names back.
        let mut archive = ZipArchive::new(Cursor::new(bytes.clone())).expect("zip");
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.expect("name").into_owned())
            .collect();
        assert_eq!(names, vec![path, "清单.csv", "a.txt"]);
        let csv_start = archive.by_index(1).expect("csv").central_header_start();
        let (flags, name, _) = central_header(&bytes, csv_start);
        assert_eq!(flags & UTF8_FLAG, 0);
        assert_eq!(name, encoding_rs::GBK.encode("清单.csv").0.as_ref());
        // ASCII names need no extra field.
        let txt_start = archive.by_index(2).expect("txt").header_start();
        assert!(local_header(&bytes, txt_start).extra.is_empty());
    }

    #[test]
    fn gbk_mode_replaces_characters_beyond_gbk_and_falls_back_when_ambiguous() {
        let options = ArchiveOptions {
            name_encoding: NameEncoding::Gbk,
            ..ArchiveOptions::default()
        };
        // 𠮷 (U+20BB7) is not in GBK; "𠮷a" and "𡈽a" would both be "_a" in GBK.
        // 隆 is C2 A1 in GBK, which is also valid UTF-8 (U+00A1).
        let bytes = build(
            options,
            &[("𠮷a.pdf", b"1"), ("𡈽a.pdf", b"2"), ("隆.pdf", b"3")],
        );
        let mut archive = ZipArchive::new(Cursor::new(bytes.clone())).expect("zip");
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.expect("name").into_owned())
            .collect();
        assert_eq!(names, vec!["𠮷a.pdf", "𡈽a.pdf", "隆.pdf"]);

        let first = local_header(&bytes, archive.by_index(0).expect("0").header_start());
        assert_eq!(first.name, b"_a.pdf");
        assert_eq!(first.flags & UTF8_FLAG, 0);

        let second = local_header(&bytes, archive.by_index(1).expect("1").header_start());
        assert_eq!(second.name, "𡈽a.pdf".as_bytes());
        assert_eq!(second.flags & UTF8_FLAG, UTF8_FLAG);

        let third = local_header(&bytes, archive.by_index(2).expect("2").header_start());
        assert_eq!(third.name, "隆.pdf".as_bytes());
        assert_eq!(third.flags & UTF8_FLAG, UTF8_FLAG);
    }

    /// What Info-ZIP `unzip -t` says of the archive at `path` (it tests every entry's data
    /// against its checksum and reads the Zip64 records).
    fn unzip_test(path: &std::path::Path) {
        let out = std::process::Command::new("unzip")
            .arg("-tq")
            .arg(path)
            .output()
            .expect("unzip runs");
        assert!(
            out.status.success(),
            "unzip -t: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn more_than_65535_entries_get_zip64_end_records_and_read_back() {
        let file = tempfile::NamedTempFile::new().expect("temp");
        let mut zip = ZipBuilder::new(file.reopen().expect("reopen"));
        let count = 70_000;
        for i in 0..count {
            zip.add(
                &format!("学生{}/证书.pdf", i),
                format!("%PDF {i}").as_bytes(),
            )
            .expect("add");
        }
        zip.add_streamed("清单.csv", |out| {
            out.write_all("最后一行\r\n".as_bytes())
                .map_err(|source| BundleError::ZipEntry {
                    entry: "清单.csv".into(),
                    source,
                })
        })
        .expect("streamed");
        zip.finish().expect("finish");
        let mut archive = ZipArchive::new(file.reopen().expect("reopen")).expect("zip");
        assert_eq!(archive.len(), count + 1);
        let mut text = String::new();
        archive
            .by_name("学生69999/证书.pdf")
            .expect("last pdf")
            .read_to_string(&mut text)
            .expect("read");
        assert_eq!(text, "%PDF 69999");
        text.clear();
        archive
            .by_index(count)
            .expect("csv")
            .read_to_string(&mut text)
            .expect("read");
        assert_eq!(text, "最后一行\r\n");
        unzip_test(file.path());
    }

    #[test]
    fn entries_past_4_gib_keep_their_offset_in_a_zip64_field() {
        // A sparse file: the archive starts 4 GiB + 10 bytes in, after a hole of zeros.
        let file = tempfile::NamedTempFile::new().expect("temp");
        let start = (4 << 30) + 10;
        let mut writer = file.reopen().expect("reopen");
        std::io::Seek::seek(&mut writer, std::io::SeekFrom::Start(start)).expect("seek");
        let mut zip = ZipBuilder::at_offset(writer, start);
        zip.add("a.pdf", b"%PDF a").expect("add");
        zip.add("b.txt", "乙".repeat(100).as_bytes()).expect("add");
        zip.finish().expect("finish");
        let mut archive = ZipArchive::new(file.reopen().expect("reopen")).expect("zip");
        assert_eq!(archive.len(), 2);
        let first = archive.by_index(0).expect("a");
        assert_eq!(first.header_start(), start);
        drop(first);
        let mut text = String::new();
        archive
            .by_name("b.txt")
            .expect("b")
            .read_to_string(&mut text)
            .expect("read");
        assert_eq!(text, "乙".repeat(100));
    }

    #[test]
    fn a_streamed_entry_carries_its_checksum_and_sizes_in_its_header() {
        let options = ArchiveOptions {
            name_encoding: NameEncoding::Gbk,
            ..ArchiveOptions::default()
        };
        let mut zip = ZipBuilder::with_options(Cursor::new(Vec::new()), options).expect("zip");
        let body = "文件,工作表\r\n".repeat(1000);
        zip.add("张三/登记表.pdf", b"%PDF").expect("add");
        zip.add_streamed("清单.csv", |out| {
            for line in body.split_inclusive('\n') {
                out.write_all(line.as_bytes())
                    .map_err(|source| BundleError::ZipEntry {
                        entry: "清单.csv".into(),
                        source,
                    })?;
            }
            Ok(())
        })
        .expect("streamed");
        zip.add_streamed("清单.xlsx", |_| Ok(())).expect("empty");
        let bytes = zip.finish().expect("finish").into_inner();
        let mut archive = ZipArchive::new(Cursor::new(bytes.clone())).expect("zip");
        let mut text = String::new();
        let mut csv = archive.by_index(1).expect("csv");
        let start = csv.header_start();
        csv.read_to_string(&mut text).expect("read");
        assert_eq!(text, body);
        assert_eq!(csv.compression(), CompressionMethod::Deflated);
        assert!(csv.compressed_size() < csv.size() / 10);
        let (crc, compressed, size) = (csv.crc32(), csv.compressed_size(), csv.size());
        drop(csv);
        // No data descriptor: the local header has the checksum and sizes.
        let h = &bytes[usize::try_from(start).expect("usize")..];
        assert_eq!(u16_at(h, 6) & (1 << 3), 0, "no data descriptor flag");
        let at = |i: usize| u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
        assert_eq!(
            (at(14), u64::from(at(18)), u64::from(at(22))),
            (crc, compressed, size)
        );
        assert_eq!(archive.by_index(2).expect("empty").size(), 0);
        // Info-ZIP unzip tests every entry of it (GBK names with their extra fields).
        let file = tempfile::NamedTempFile::new().expect("temp");
        std::fs::write(file.path(), &bytes).expect("write");
        unzip_test(file.path());
    }

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }
}
