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

use std::collections::HashSet;
use std::io::{Seek, Write};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use zip::result::ZipError;
use zip::write::{FullFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

use super::error::BundleError;

/// The default timestamp of every entry: 2000-01-01 00:00:00 (no time zone; zip stores local
/// MS-DOS time). Fixed so that re-running gives the same bytes.
pub const DEFAULT_TIMESTAMP: NaiveDateTime = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(date) => NaiveDateTime::new(date, NaiveTime::MIN),
    None => NaiveDateTime::MIN,
};

/// Unix permissions of every entry: `rw-r--r--`.
const PERMISSIONS: u32 = 0o644;

/// Every entry, PDFs included, is deflated at this level (zlib's default).
///
/// Measured on typst 0.15 PDF/A output of this project's fonts (40 certificates of ≈32 KB,
/// 40 two-page forms of ≈66 KB): Deflate makes the archive 18–21 % smaller than Stored (typst
/// leaves the XMP metadata and all object dictionaries uncompressed), for about 1–1.5 ms per
/// document, small next to typesetting it. Level 1 saves only 14–17 %; level 9 gains 0.3 %
/// more at 1.2–1.6 × the time.
const DEFLATE_LEVEL: i64 = 6;

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

/// Writes a deterministic zip archive entry by entry into `W` (a file, or a `Cursor<Vec<u8>>`).
///
/// Call [`ZipBuilder::finish`] at the end: an archive dropped unfinished is incomplete (the
/// `zip` crate then tries to finish it and prints to stderr if that fails). Write it through
/// [`super::write_atomically`] so that a failed run leaves nothing under the final name.
pub struct ZipBuilder<W: Write + Seek> {
    zip: ZipWriter<W>,
    timestamp: zip::DateTime,
    name_encoding: NameEncoding,
    /// Entry paths added so far, in GBK mode only (with UTF-8 names the zip writer's own
    /// check on header names catches a duplicate: no second copy of every path is kept).
    paths: HashSet<String>,
    /// Header name bytes used so far, in GBK mode only (with UTF-8 names they are `paths`).
    raw_names: HashSet<Vec<u8>>,
}

impl<W: Write + Seek> ZipBuilder<W> {
    /// Starts an archive with the default options: UTF-8 names, [`DEFAULT_TIMESTAMP`].
    pub fn new(writer: W) -> Self {
        ZipBuilder {
            zip: ZipWriter::new(writer),
            timestamp: to_zip_time(DEFAULT_TIMESTAMP).unwrap_or_default(),
            name_encoding: NameEncoding::Utf8,
            paths: HashSet::new(),
            raw_names: HashSet::new(),
        }
    }

    /// Starts an archive with the given options; fails if the timestamp cannot be stored.
    pub fn with_options(writer: W, options: ArchiveOptions) -> Result<Self, BundleError> {
        Self::on(ZipWriter::new(writer), options)
    }

    /// An archive on a zip writer, with the given options.
    fn on(zip: ZipWriter<W>, options: ArchiveOptions) -> Result<Self, BundleError> {
        let timestamp = to_zip_time(options.timestamp).ok_or_else(|| BundleError::Timestamp {
            value: options.timestamp.format("%Y-%m-%d %H:%M:%S").to_string(),
        })?;
        Ok(ZipBuilder {
            zip,
            timestamp,
            name_encoding: options.name_encoding,
            paths: HashSet::new(),
            raw_names: HashSet::new(),
        })
    }

    /// Adds a file at `path` (relative, `/`-separated, as produced by the layout functions).
    ///
    /// Text entries (清单.csv) are deflated; PDFs are stored as they are: typst already
    /// compresses their streams, so deflating them again saved only ≈17 % of the size while
    /// costing ≈0.9 ms a document on the thread that feeds the typesetters (≈40 % of the
    /// end-to-end throughput, measured with `cargo bench --bench throughput`). A path already added, or one that is not a clean relative path
    /// (empty, absolute, `..`, `\`, `:`, control characters), is an error.
    pub fn add(&mut self, path: &str, bytes: &[u8]) -> Result<(), BundleError> {
        self.start_entry(path)?;
        self.zip
            .write_all(bytes)
            .map_err(|source| self.entry_error(path, source.into()))
    }

    /// Adds a file at `path` whose contents `write` writes piece by piece (as [`add`], but
    /// the contents never need to be whole in memory).
    ///
    /// [`add`]: ZipBuilder::add
    pub fn add_streamed(
        &mut self,
        path: &str,
        write: impl FnOnce(&mut dyn Write) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        self.start_entry(path)?;
        write(&mut self.zip)
    }

    /// Checks `path` and starts its entry; the contents follow on `self.zip`.
    fn start_entry(&mut self, path: &str) -> Result<(), BundleError> {
        validate_entry_path(path)?;
        if self.name_encoding == NameEncoding::Gbk && !self.paths.insert(path.to_owned()) {
            return Err(BundleError::DuplicateEntry {
                entry: path.to_owned(),
            });
        }
        let method = if is_compressed_already(path) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let mut options = FullFileOptions::default()
            .compression_method(method)
            .compression_level((method == CompressionMethod::Deflated).then_some(DEFLATE_LEVEL))
            .last_modified_time(self.timestamp)
            .unix_permissions(PERMISSIONS)
            .system(zip::System::Unix);

        let gbk = match self.name_encoding {
            NameEncoding::Utf8 => None,
            NameEncoding::Gbk => Some(gbk_name(path)).filter(|raw| self.gbk_usable(raw, path)),
        };
        let raw: &[u8] = gbk.as_deref().unwrap_or(path.as_bytes());
        if gbk.is_some() && raw != path.as_bytes() {
            let mut field = Vec::with_capacity(5 + path.len());
            field.push(1); // version
            field.extend_from_slice(&crc32(raw).to_le_bytes());
            field.extend_from_slice(path.as_bytes());
            options
                .add_extra_field(UNICODE_PATH_FIELD, field, false)
                .map_err(|source| self.entry_error(path, source))?;
        }
        // With UTF-8 names the header name is the path, already checked above.
        if self.name_encoding == NameEncoding::Gbk && !self.raw_names.insert(raw.to_vec()) {
            return Err(BundleError::DuplicateEntry {
                entry: path.to_owned(),
            });
        }
        self.zip
            .start_file_with_options(options.name(raw))
            .map_err(|source| match source {
                ZipError::InvalidArchive(message) if message.starts_with("Duplicate filename") => {
                    BundleError::DuplicateEntry {
                        entry: path.to_owned(),
                    }
                }
                source => self.entry_error(path, source),
            })
    }

    /// Writes the central directory and returns the writer.
    pub fn finish(self) -> Result<W, BundleError> {
        self.zip.finish().map_err(BundleError::ZipFinish)
    }

    /// Whether a GBK header name can be used without being misread (see [`NameEncoding::Gbk`]).
    fn gbk_usable(&self, raw: &[u8], path: &str) -> bool {
        let looks_utf8 = !raw.is_ascii() && std::str::from_utf8(raw).is_ok();
        let taken = raw != path.as_bytes() && self.raw_names.contains(raw);
        !looks_utf8 && !taken
    }

    fn entry_error(&self, path: &str, source: zip::result::ZipError) -> BundleError {
        BundleError::ZipEntry {
            entry: path.to_owned(),
            source,
        }
    }
}

impl<W: Write> ZipBuilder<StreamWriter<W>> {
    /// Starts an archive on a writer that cannot seek (an HTTP body, a pipe): each entry's
    /// sizes and checksum follow its data in a data descriptor, which every extractor reads.
    /// Deterministic like the seekable archive, though not byte-identical to it.
    pub fn streaming(writer: W, options: ArchiveOptions) -> Result<Self, BundleError> {
        Self::on(ZipWriter::new_stream(writer), options)
    }
}

/// Converts a timestamp to the zip (MS-DOS) representation, if it is in range.
fn to_zip_time(t: NaiveDateTime) -> Option<zip::DateTime> {
    let year = u16::try_from(t.year()).ok()?;
    // chrono's month, day, hour, minute and second are always below 256.
    let small = |v: u32| u8::try_from(v).ok();
    zip::DateTime::from_date_and_time(
        year,
        small(t.month())?,
        small(t.day())?,
        small(t.hour())?,
        small(t.minute())?,
        small(t.second())?,
    )
    .ok()
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

/// CRC-32 (IEEE 802.3, as used by zip) of `data`; names are short, so bitwise is fast enough.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
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
    use zip::ZipArchive;

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

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }
}
