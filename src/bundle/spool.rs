//! A seekable front on a writer that cannot seek (an HTTP body, a pipe), so that an archive
//! streamed there has the very bytes of the same archive written to a file.
//!
//! The zip writer on a seekable output writes each entry's local header with blank sizes,
//! the data, then seeks back to fill in the checksum and sizes, and returns to the end; it
//! never goes back further than the entry being finished. [`Spool`] keeps the bytes from the
//! first byte it has not sent yet and lets the writer seek and patch within them; once a
//! patch is done and the writer is back at the end, everything so far is final and is sent.
//! So at most one entry (one PDF) is held in memory, and a seek before bytes already sent is
//! an error, never a corrupt archive.

use std::io::{self, Seek, SeekFrom, Write};

/// A `Write + Seek` over a plain `Write`, holding back only the bytes that may still change.
pub struct Spool<W: Write> {
    /// Where final bytes go.
    inner: W,
    /// Bytes from `sent` on, not yet sent.
    held: Vec<u8>,
    /// How many bytes were sent to `inner`.
    sent: u64,
    /// The writing position.
    position: u64,
    /// Whether held bytes were overwritten since the last send (a header patched).
    patched: bool,
}

impl<W: Write> Spool<W> {
    /// A spool in front of `inner`, nothing written yet.
    pub fn new(inner: W) -> Self {
        Spool {
            inner,
            held: Vec::new(),
            sent: 0,
            position: 0,
            patched: false,
        }
    }

    /// Sends what is still held, once the archive is complete, and flushes.
    pub fn finish(mut self) -> io::Result<W> {
        self.send_held()?;
        self.inner.flush()?;
        Ok(self.inner)
    }

    /// The length of everything written so far, sent or held.
    fn len(&self) -> u64 {
        self.sent + self.held.len() as u64
    }

    /// Sends every held byte: they can no longer change.
    fn send_held(&mut self) -> io::Result<()> {
        self.inner.write_all(&self.held)?;
        self.sent += self.held.len() as u64;
        self.held.clear();
        self.patched = false;
        Ok(())
    }
}

impl<W: Write> Write for Spool<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(at) = self.position.checked_sub(self.sent) else {
            return Err(io::Error::other("不能改写已发送的数据"));
        };
        let at = at as usize;
        if at < self.held.len() {
            self.patched = true;
        }
        let overlap = buf.len().min(self.held.len().saturating_sub(at));
        self.held[at..at + overlap].copy_from_slice(&buf[..overlap]);
        self.held.extend_from_slice(&buf[overlap..]);
        self.position += buf.len() as u64;
        Ok(buf.len())
    }

    /// Flushes the writer behind; held bytes stay held (a writer may flush in the middle of
    /// an entry whose header is still to be patched): [`Spool::finish`] sends them.
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Seek for Spool<W> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let len = self.len() as i128;
        let target = match to {
            SeekFrom::Start(n) => n as i128,
            SeekFrom::End(d) => len + d as i128,
            SeekFrom::Current(d) => self.position as i128 + d as i128,
        };
        if target < self.sent as i128 || target > len {
            return Err(io::Error::other(
                "流式输出只能在尚未发送的数据内移动写入位置",
            ));
        }
        self.position = target as u64;
        if self.patched && self.position == self.len() {
            self.send_held()?;
        }
        Ok(self.position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::ZipBuilder;
    use std::io::Cursor;

    /// The archive of these entries, on a seekable writer or through a spool.
    fn archive(entries: &[(&str, Vec<u8>)], spooled: bool) -> Vec<u8> {
        if spooled {
            let mut out = Vec::new();
            let mut zip = ZipBuilder::new(Spool::new(&mut out));
            for (path, bytes) in entries {
                zip.add(path, bytes).unwrap();
            }
            zip.finish().unwrap().finish().unwrap();
            out
        } else {
            let mut zip = ZipBuilder::new(Cursor::new(Vec::new()));
            for (path, bytes) in entries {
                zip.add(path, bytes).unwrap();
            }
            zip.finish().unwrap().into_inner()
        }
    }

    #[test]
    fn a_spooled_archive_has_the_bytes_of_the_file() {
        let entries = [
            ("甲/证书.pdf", b"%PDF-1.7 first".repeat(500)),
            ("乙/证书.pdf", b"%PDF-1.7 second".repeat(3000)),
            ("清单.csv", "学号,姓名\r\n".repeat(40).into_bytes()),
        ];
        let streamed = archive(&entries, true);
        assert_eq!(streamed, archive(&entries, false));
        assert!(zip::ZipArchive::new(Cursor::new(streamed)).unwrap().len() == 3);
    }

    /// A writer that records how much arrived at each write, to see the spool hold back
    /// no more than the entry being written.
    struct Counting(std::rc::Rc<std::cell::RefCell<Vec<usize>>>);

    impl Write for Counting {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().push(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn each_entry_is_sent_once_the_next_begins() {
        let writes = std::rc::Rc::default();
        let mut zip = ZipBuilder::new(Spool::new(Counting(std::rc::Rc::clone(&writes))));
        zip.add("a.pdf", &[1; 10_000]).unwrap();
        zip.add("b.pdf", &[2; 10_000]).unwrap();
        let sent = writes.borrow().clone();
        assert!(
            sent.len() == 1 && sent[0] > 10_000 && sent[0] < 10_200,
            "the first entry is sent whole, alone: {sent:?}"
        );
        zip.finish().unwrap().finish().unwrap();
        assert_eq!(
            writes.borrow().len(),
            3,
            "then the second entry, then the directory"
        );
    }

    #[test]
    fn seeking_into_sent_bytes_is_refused() {
        let mut out = Vec::new();
        let mut spool = Spool::new(&mut out);
        spool.write_all(b"abcdef").unwrap();
        spool.flush().unwrap();
        assert_eq!(spool.sent, 0, "a flush sends nothing held");
        spool.seek(SeekFrom::Start(1)).unwrap();
        spool.write_all(b"X").unwrap();
        spool.seek(SeekFrom::End(0)).unwrap();
        assert_eq!(spool.sent, 6, "patched and back at the end: all is final");
        assert!(spool.seek(SeekFrom::Start(0)).is_err());
        spool.write_all(b"gh").unwrap();
        spool.finish().unwrap();
        assert_eq!(out, b"aXcdefgh");
    }
}
