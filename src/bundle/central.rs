//! The central directory of an archive being written, kept out of memory: each entry's
//! central header goes to an anonymous temporary file as the entry is written, and is copied
//! behind the last entry when the archive is finished. A province's archive has about 90 000
//! entries; holding their headers (as the `zip` crate's writer does, ~300 bytes each with
//! three copies of the name) made the archive the largest thing a `render all` kept for the
//! whole run. What stays in memory per entry is two 64-bit hashes, to refuse a repeated name;
//! a hash seen before is confirmed against the headers written (a real repeat is an error and
//! rare, so reading them back then costs nothing in a normal run).

use super::spill::Spill;
use super::zip_format::central_parts;
use foldhash::{HashSet, HashSetExt};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Write};

/// The central headers written so far.
pub struct CentralDirectory {
    /// Where they are (a temporary file, or memory when none can be made: still a fraction
    /// of what the `zip` crate keeps).
    store: Spill,
    /// How many.
    entries: u64,
    /// The hashes of every entry's path.
    paths: HashSet<u64>,
    /// The hashes of every entry's header name bytes, when they can differ from the path
    /// (GBK names).
    names: HashSet<u64>,
}

/// A stable 64-bit hash of `bytes` (only compared within one run).
fn hash_of(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

impl CentralDirectory {
    /// An empty directory, on a temporary file if one can be made.
    pub fn new() -> CentralDirectory {
        CentralDirectory {
            store: Spill::new(),
            entries: 0,
            paths: HashSet::new(),
            names: HashSet::new(),
        }
    }

    /// How many entries it has.
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Its length in bytes.
    pub fn bytes(&self) -> u64 {
        self.store.len()
    }

    /// Adds the central header `record` of the entry at `path` whose header name is `name`.
    pub fn push(&mut self, record: &[u8], path: &str, name: &[u8]) -> io::Result<()> {
        self.store.write_all(record)?;
        self.entries += 1;
        self.paths.insert(hash_of(path.as_bytes()));
        if name != path.as_bytes() {
            self.names.insert(hash_of(name));
        }
        Ok(())
    }

    /// Whether an entry has the path `path`. `unicode_path` reads the path an entry's extra
    /// field carries when its header name is not the path (GBK names).
    pub fn has_path(
        &mut self,
        path: &str,
        unicode_path: impl Fn(&[u8]) -> Option<&[u8]>,
    ) -> io::Result<bool> {
        if !self.paths.contains(&hash_of(path.as_bytes())) {
            return Ok(false);
        }
        self.any(|name, extra| unicode_path(extra).unwrap_or(name) == path.as_bytes())
    }

    /// Whether an entry has the header name bytes `name`.
    pub fn has_name(&mut self, name: &[u8]) -> io::Result<bool> {
        let hash = hash_of(name);
        if !self.names.contains(&hash) && !self.paths.contains(&hash) {
            return Ok(false);
        }
        self.any(|header_name, _| header_name == name)
    }

    /// Whether any header's (name, extra field) meets `test`: the headers are read back.
    fn any(&mut self, test: impl Fn(&[u8], &[u8]) -> bool) -> io::Result<bool> {
        Ok(scan(&self.store.read_all()?, &test))
    }

    /// Writes every header to `out`, in the order added.
    pub fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        self.store.copy_to(out)
    }
}

/// Whether a header of `bytes` (central headers end to end) meets `test`.
fn scan(mut bytes: &[u8], test: &impl Fn(&[u8], &[u8]) -> bool) -> bool {
    while let Some((name, extra, len)) = central_parts(bytes) {
        if test(name, extra) {
            return true;
        }
        bytes = &bytes[len..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::zip_format::{DosTime, Entry, STORED, central_header};

    fn record(name: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let entry = Entry {
            flags: 0,
            method: STORED,
            modified: DosTime { time: 0, date: 0 },
            crc: 0,
            compressed: 0,
            size: 0,
            name,
            extra: &[],
        };
        central_header(&mut out, &entry, 7, 0o644);
        out
    }

    #[test]
    fn names_are_found_after_being_written_and_copied_out_in_order() {
        for memory in [false, true] {
            let mut dir = CentralDirectory::new();
            if memory {
                dir.store = Spill::in_memory();
            }
            let mut expected = Vec::new();
            for name in ["a.pdf", "b/c.pdf", "清单.csv"] {
                let r = record(name.as_bytes());
                dir.push(&r, name, name.as_bytes()).expect("push");
                expected.extend_from_slice(&r);
            }
            assert!(dir.has_path("b/c.pdf", |_| None).expect("read"));
            assert!(!dir.has_path("b/d.pdf", |_| None).expect("read"));
            assert!(dir.has_name("清单.csv".as_bytes()).expect("read"));
            assert!(!dir.has_name(b"x").expect("read"));
            // Still writable after reading back.
            let r = record(b"z.pdf");
            dir.push(&r, "z.pdf", b"z.pdf").expect("push");
            expected.extend_from_slice(&r);
            assert_eq!((dir.entries(), dir.bytes()), (4, expected.len() as u64));
            let mut out = Vec::new();
            dir.copy_to(&mut out).expect("copy");
            assert_eq!(out, expected);
        }
    }
}
