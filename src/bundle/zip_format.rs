//! The byte layout of the zip records the archive writer uses (PKWARE APPNOTE 6.3.10): local
//! file headers, central directory headers and the end records, with Zip64
//! where an archive outgrows the classic 16- and 32-bit fields (more than 65 535 entries — a
//! province's `render all` has about 90 000 — or more than 4 GiB before the central
//! directory). Only what this writer needs: no encryption, no multi-disk archives, no entry
//! of 4 GiB or more.

use chrono::{Datelike, NaiveDateTime, Timelike};

/// Local file header signature.
const LOCAL_HEADER: u32 = 0x0403_4b50;
/// Central directory header signature.
pub const CENTRAL_HEADER: u32 = 0x0201_4b50;
/// Zip64 end of central directory record signature.
const ZIP64_END: u32 = 0x0606_4b50;
/// Zip64 end of central directory locator signature.
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
/// End of central directory record signature.
const END: u32 = 0x0605_4b50;
/// Zip64 extended information extra field.
const ZIP64_FIELD: u16 = 0x0001;

/// Version needed to extract: 2.0 (Deflate).
const VERSION_DEFAULT: u16 = 20;
/// Version needed to extract an entry or archive that uses Zip64: 4.5.
const VERSION_ZIP64: u16 = 45;
/// "Version made by" host byte: Unix, so that extractors apply the permissions.
const HOST_UNIX: u16 = 3 << 8;

/// General purpose bit 11: name (and comment) are UTF-8.
pub const FLAG_UTF8: u16 = 1 << 11;

/// Compression method: stored as is.
pub const STORED: u16 = 0;
/// Compression method: Deflate.
pub const DEFLATED: u16 = 8;

/// The 16- and 32-bit fields' "see the Zip64 record" values.
const MAX16: u64 = 0xFFFF;
const MAX32: u64 = 0xFFFF_FFFF;

/// An MS-DOS date and time, as zip stores modification times (local time, even seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DosTime {
    /// `hour << 11 | minute << 5 | second / 2`.
    pub time: u16,
    /// `(year - 1980) << 9 | month << 5 | day`.
    pub date: u16,
}

impl DosTime {
    /// `t` in MS-DOS form, if its year is 1980–2107.
    pub fn of(t: NaiveDateTime) -> Option<DosTime> {
        let year = u16::try_from(t.year().checked_sub(1980)?).ok()?;
        if year > 127 {
            return None;
        }
        // chrono's month, day, hour, minute and second fit their bit fields.
        let small = |v: u32| v as u16;
        Some(DosTime {
            time: (small(t.hour()) << 11) | (small(t.minute()) << 5) | (small(t.second()) / 2),
            date: (year << 9) | (small(t.month()) << 5) | small(t.day()),
        })
    }
}

/// What the local and the central header of one entry share.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// General purpose flags ([`FLAG_UTF8`]).
    pub flags: u16,
    /// [`STORED`] or [`DEFLATED`].
    pub method: u16,
    /// Modification time.
    pub modified: DosTime,
    /// CRC-32 of the uncompressed data.
    pub crc: u32,
    /// Size of the data as stored.
    pub compressed: u32,
    /// Size of the data uncompressed.
    pub size: u32,
    /// The name bytes.
    pub name: &'a [u8],
    /// Extra fields, whole (tag, length, data), the same in both headers.
    pub extra: &'a [u8],
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u64le(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// A 16-bit length; names and extra fields are bounded by the caller.
fn len16(bytes: &[u8]) -> u16 {
    u16::try_from(bytes.len()).unwrap_or(u16::MAX)
}

/// The fields both headers have from "version needed" to the extra field's length.
fn common(out: &mut Vec<u8>, e: &Entry<'_>, extra_len: u16) {
    u16le(out, e.flags);
    u16le(out, e.method);
    u16le(out, e.modified.time);
    u16le(out, e.modified.date);
    u32le(out, e.crc);
    u32le(out, e.compressed);
    u32le(out, e.size);
    u16le(out, len16(e.name));
    u16le(out, extra_len);
}

/// Appends the local file header of `e` to `out`.
pub fn local_header(out: &mut Vec<u8>, e: &Entry<'_>) {
    u32le(out, LOCAL_HEADER);
    u16le(out, VERSION_DEFAULT);
    common(out, e, len16(e.extra));
    out.extend_from_slice(e.name);
    out.extend_from_slice(e.extra);
}

/// Appends the central directory header of `e`, whose local header starts at `offset`, with
/// Unix permissions `mode` (`0o644`); an offset past 4 GiB goes into a Zip64 field.
pub fn central_header(out: &mut Vec<u8>, e: &Entry<'_>, offset: u64, mode: u32) {
    let zip64 = offset >= MAX32;
    let version = if zip64 {
        VERSION_ZIP64
    } else {
        VERSION_DEFAULT
    };
    let extra_len = len16(e.extra) + if zip64 { 12 } else { 0 };
    u32le(out, CENTRAL_HEADER);
    u16le(out, HOST_UNIX | version);
    u16le(out, version);
    common(out, e, extra_len);
    u16le(out, 0); // comment length
    u16le(out, 0); // disk number start
    u16le(out, 0); // internal attributes
    u32le(out, (0o100_000 | mode) << 16); // regular file, permissions
    u32le(out, offset.min(MAX32) as u32);
    out.extend_from_slice(e.name);
    if zip64 {
        u16le(out, ZIP64_FIELD);
        u16le(out, 8);
        u64le(out, offset);
    }
    out.extend_from_slice(e.extra);
}

/// The fixed length of a central directory header, before its name, extra field and comment.
pub const CENTRAL_FIXED: usize = 46;

/// The name and extra field of the central directory header at the start of `record`, and
/// the header's whole length; `None` if `record` does not start with a whole header.
pub fn central_parts(record: &[u8]) -> Option<(&[u8], &[u8], usize)> {
    let fixed = record.get(..CENTRAL_FIXED)?;
    if fixed[..4] != CENTRAL_HEADER.to_le_bytes() {
        return None;
    }
    let at = |i: usize| usize::from(u16::from_le_bytes([fixed[i], fixed[i + 1]]));
    let (name_len, extra_len, comment_len) = (at(28), at(30), at(32));
    let name_end = CENTRAL_FIXED + name_len;
    let extra_end = name_end + extra_len;
    let name = record.get(CENTRAL_FIXED..name_end)?;
    let extra = record.get(name_end..extra_end)?;
    Some((name, extra, extra_end + comment_len))
}

/// Appends the records that end an archive of `entries` entries whose central directory of
/// `size` bytes starts at `start`: the Zip64 end record and its locator when a count or an
/// offset outgrows the classic record, then the classic end record.
pub fn end_records(out: &mut Vec<u8>, entries: u64, start: u64, size: u64) {
    let zip64 = entries >= MAX16 || start >= MAX32 || size >= MAX32;
    if zip64 {
        let record_at = start + size;
        u32le(out, ZIP64_END);
        u64le(out, 44); // size of the rest of the record
        u16le(out, HOST_UNIX | VERSION_ZIP64);
        u16le(out, VERSION_ZIP64);
        u32le(out, 0); // this disk
        u32le(out, 0); // disk of the central directory
        u64le(out, entries);
        u64le(out, entries);
        u64le(out, size);
        u64le(out, start);
        u32le(out, ZIP64_LOCATOR);
        u32le(out, 0); // disk of the Zip64 end record
        u64le(out, record_at);
        u32le(out, 1); // disks
    }
    u32le(out, END);
    u16le(out, 0); // this disk
    u16le(out, 0); // disk of the central directory
    u16le(out, entries.min(MAX16) as u16);
    u16le(out, entries.min(MAX16) as u16);
    u32le(out, size.min(MAX32) as u32);
    u32le(out, start.min(MAX32) as u32);
    u16le(out, 0); // comment length
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|d| d.and_hms_opt(h, mi, s))
            .expect("date")
    }

    #[test]
    fn dos_time_covers_1980_to_2107_with_even_seconds() {
        let t = DosTime::of(at(2025, 6, 30, 14, 5, 9)).expect("in range");
        assert_eq!(t.date, (45 << 9) | (6 << 5) | 30);
        assert_eq!(t.time, (14 << 11) | (5 << 5) | 4);
        assert!(DosTime::of(at(1980, 1, 1, 0, 0, 0)).is_some());
        assert!(DosTime::of(at(2107, 12, 31, 23, 59, 58)).is_some());
        assert_eq!(DosTime::of(at(1979, 12, 31, 23, 59, 59)), None);
        assert_eq!(DosTime::of(at(2108, 1, 1, 0, 0, 0)), None);
    }

    #[test]
    fn a_central_header_reads_back_its_name_and_extra_field() {
        let entry = Entry {
            flags: FLAG_UTF8,
            method: STORED,
            modified: DosTime { time: 0, date: 0 },
            crc: 1,
            compressed: 2,
            size: 2,
            name: "清单.csv".as_bytes(),
            extra: &[0x75, 0x70, 1, 0, 9],
        };
        for offset in [0, 1 << 33] {
            let mut out = Vec::new();
            central_header(&mut out, &entry, offset, 0o644);
            out.extend_from_slice(b"next");
            let (name, extra, len) = central_parts(&out).expect("a header");
            assert_eq!(name, entry.name);
            assert_eq!(&out[len..], b"next");
            if offset == 0 {
                assert_eq!(extra, entry.extra);
            } else {
                // The Zip64 field comes first and holds the offset.
                assert_eq!(extra[..4], [1, 0, 8, 0]);
                assert_eq!(extra[4..12], offset.to_le_bytes());
                assert_eq!(&extra[12..], entry.extra);
            }
        }
        assert_eq!(central_parts(b"PK\x01\x02 short"), None);
    }

    #[test]
    fn end_records_switch_to_zip64_only_when_needed() {
        let mut small = Vec::new();
        end_records(&mut small, 3, 100, 200);
        assert_eq!(small.len(), 22);
        let mut many = Vec::new();
        end_records(&mut many, 70_000, 100, 200);
        assert_eq!(many.len(), 56 + 20 + 22);
        assert_eq!(many[..4], ZIP64_END.to_le_bytes());
        // The classic record says "see Zip64" for the count.
        assert_eq!(many[56 + 20 + 8..56 + 20 + 12], [0xFF; 4]);
    }
}
