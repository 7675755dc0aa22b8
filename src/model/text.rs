//! The long free texts of records (谈话内容, 个人总结, 审查内容 …), kept out of memory: a
//! province's ledger holds tens of megabytes of them, and a form needs one at a time. Each
//! long text is written once, while its sheet is read, to the dataset's text spool — an
//! anonymous temporary file, gone with the dataset — and read back when a form prints it.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

/// Texts shorter than this many bytes stay in memory: on disk they would save little and
/// cost a read each.
pub const SPOOLED_FROM_BYTES: usize = 64;

/// The temporary file long texts are appended to, shared by every record of one dataset.
pub struct TextSpool {
    /// The file and how far it is written.
    state: Mutex<SpoolState>,
}

/// The spool's file: appended through a buffer, flushed before any read.
struct SpoolState {
    /// The file, buffered for appending.
    writer: BufWriter<File>,
    /// Bytes appended so far (the offset of the next text).
    len: u64,
    /// Whether the buffer holds bytes not yet in the file.
    dirty: bool,
    /// An append failed: part of a text may be in the file, so the offsets of any later text
    /// would be wrong. No more texts are taken (they stay in memory).
    broken: bool,
}

impl TextSpool {
    /// A new spool in the system's temporary directory; `None` when no file can be made
    /// there (every text then stays in memory).
    pub fn new() -> Option<Arc<TextSpool>> {
        TextSpool::create().ok().map(Arc::new)
    }

    /// A new spool in the system's temporary directory, or why none can be made. Any bytes
    /// can be spooled (a shelf's blocks, see [`super::shelf`]), not only texts.
    pub(crate) fn create() -> io::Result<TextSpool> {
        let file = tempfile::tempfile()?;
        Ok(TextSpool {
            state: Mutex::new(SpoolState {
                writer: BufWriter::with_capacity(1 << 16, file),
                len: 0,
                dirty: false,
                broken: false,
            }),
        })
    }

    /// Appends `text`; its offset, or the error (the caller keeps the text in memory).
    fn append(&self, text: &str) -> io::Result<u64> {
        self.append_bytes(text.as_bytes())
    }

    /// Appends `bytes`; their offset, or the error.
    pub(crate) fn append_bytes(&self, bytes: &[u8]) -> io::Result<u64> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.broken {
            return Err(io::Error::other("the text spool failed before"));
        }
        let offset = state.len;
        if let Err(e) = state.writer.write_all(bytes) {
            state.broken = true;
            return Err(e);
        }
        state.len += bytes.len() as u64;
        state.dirty = true;
        Ok(offset)
    }

    /// Reads back the text of `len` bytes written at `offset`.
    fn read(&self, offset: u64, len: u32) -> io::Result<String> {
        let bytes = self.read_bytes(offset, len)?;
        String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// Reads back the `len` bytes written at `offset`.
    pub(crate) fn read_bytes(&self, offset: u64, len: u32) -> io::Result<Vec<u8>> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.dirty {
            if let Err(e) = state.writer.flush() {
                state.broken = true;
                return Err(e);
            }
            state.dirty = false;
        }
        let file = state.writer.get_mut();
        file.seek(SeekFrom::Start(offset))?;
        let mut bytes = vec![0; len as usize];
        file.read_exact(&mut bytes)?;
        // Appending goes through the buffer and its own position: put the file back at its end.
        file.seek(SeekFrom::End(0))?;
        Ok(bytes)
    }
}

/// One long free text of a record: in memory until it is spooled, then on disk.
#[derive(Clone)]
pub struct LongText(Repr);

/// Where a [`LongText`] is.
#[derive(Clone)]
enum Repr {
    /// In memory.
    Held(Box<str>),
    /// In a spool, at `offset`, `len` bytes.
    Spooled {
        /// The spool.
        spool: Arc<TextSpool>,
        /// Where the text starts.
        offset: u64,
        /// Its length in bytes.
        len: u32,
    },
}

impl LongText {
    /// A text held in memory (as a record is read from its row).
    pub fn held(text: String) -> LongText {
        LongText(Repr::Held(text.into_boxed_str()))
    }

    /// The text; `None` only if the spool cannot be read back (the disk failed under the
    /// run), and the form that needs it is then refused rather than printed without it.
    pub fn get(&self) -> Option<Cow<'_, str>> {
        match &self.0 {
            Repr::Held(text) => Some(Cow::Borrowed(text)),
            Repr::Spooled { spool, offset, len } => spool.read(*offset, *len).ok().map(Cow::Owned),
        }
    }

    /// Moves the text to `spool` if it is long; a text the spool cannot take stays in memory.
    pub fn spool(&mut self, spool: &Arc<TextSpool>) {
        let Repr::Held(text) = &self.0 else { return };
        if text.len() < SPOOLED_FROM_BYTES {
            return;
        }
        let Ok(len) = u32::try_from(text.len()) else {
            return;
        };
        if let Ok(offset) = spool.append(text) {
            self.0 = Repr::Spooled {
                spool: Arc::clone(spool),
                offset,
                len,
            };
        }
    }

    /// Whether the text is on disk.
    pub fn is_spooled(&self) -> bool {
        matches!(self.0, Repr::Spooled { .. })
    }
}

/// Written as its text, read back from disk wherever it is, so that what is written needs no
/// spool to be read again (see [`super::shelf`]); a text that cannot be read back fails the
/// writing.
impl serde::Serialize for LongText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.get() {
            Some(text) => s.serialize_str(&text),
            None => Err(serde::ser::Error::custom("长文本无法从临时文件读回")),
        }
    }
}

/// Read back as a text held in memory.
impl<'de> serde::Deserialize<'de> for LongText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <String as serde::Deserialize>::deserialize(d).map(LongText::held)
    }
}

impl PartialEq for LongText {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for LongText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.get() {
            Some(text) => fmt::Debug::fmt(&text, f),
            None => f.write_str("<unreadable spooled text>"),
        }
    }
}

/// Moves each present text of `texts` to `spool` if it is long.
pub fn spool_all<const N: usize>(texts: [&mut Option<LongText>; N], spool: &Arc<TextSpool>) {
    for text in texts.into_iter().flatten() {
        text.spool(spool);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_go_to_disk_and_come_back_whole_short_ones_stay() {
        let spool = TextSpool::new().expect("a temporary file");
        let long = "谈话内容。".repeat(40);
        let mut a = LongText::held(long.clone());
        let mut b = LongText::held("第二段很长的文字，".repeat(30));
        let mut short = LongText::held("短".to_string());
        a.spool(&spool);
        b.spool(&spool);
        short.spool(&spool);
        assert!(a.is_spooled() && b.is_spooled() && !short.is_spooled());
        // Read back in any order, while more texts are appended in between.
        assert_eq!(b.get().unwrap(), "第二段很长的文字，".repeat(30));
        let mut c = LongText::held("第三".repeat(50));
        c.spool(&spool);
        assert_eq!(a.get().unwrap(), long);
        assert_eq!(c.get().unwrap(), "第三".repeat(50));
        assert_eq!(short.get().unwrap(), "短");
        assert_eq!(a, LongText::held(long));
    }

    #[test]
    fn spooled_texts_are_read_from_many_threads() {
        let spool = TextSpool::new().expect("a temporary file");
        let texts: Vec<LongText> = (0..200)
            .map(|i| {
                let mut t = LongText::held(format!("{i:04}").repeat(40));
                t.spool(&spool);
                t
            })
            .collect();
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for (i, t) in texts.iter().enumerate().rev() {
                        assert_eq!(t.get().unwrap(), format!("{i:04}").repeat(40));
                    }
                });
            }
        });
    }
}
