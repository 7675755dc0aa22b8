//! Bytes put aside while an archive is written — its central directory, a manifest being
//! compressed — in an anonymous temporary file (removed by the system when closed), or in
//! memory when no temporary file can be made, and copied into the archive later.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

/// Where the bytes are.
enum Store {
    /// An anonymous temporary file.
    File(BufWriter<File>),
    /// The bytes themselves.
    Memory(Vec<u8>),
}

/// Bytes written aside, counted.
pub struct Spill {
    store: Store,
    /// How many bytes were written.
    len: u64,
}

impl Spill {
    /// An empty spill, on a temporary file if one can be made.
    pub fn new() -> Spill {
        match tempfile::tempfile() {
            Ok(file) => Spill {
                store: Store::File(BufWriter::with_capacity(64 << 10, file)),
                len: 0,
            },
            Err(_) => Spill::in_memory(),
        }
    }

    /// An empty spill held in memory.
    pub fn in_memory() -> Spill {
        Spill {
            store: Store::Memory(Vec::new()),
            len: 0,
        }
    }

    /// How many bytes were written.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Every byte written so far; more may be written afterwards.
    pub fn read_all(&mut self) -> io::Result<Vec<u8>> {
        match &mut self.store {
            Store::Memory(bytes) => Ok(bytes.clone()),
            Store::File(file) => {
                file.flush()?;
                let file = file.get_mut();
                let mut bytes = Vec::new();
                file.seek(SeekFrom::Start(0))?;
                // Reading to the end leaves the file where the next write goes.
                file.read_to_end(&mut bytes)?;
                Ok(bytes)
            }
        }
    }

    /// Writes every byte to `out`, in order.
    pub fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        match self.store {
            Store::Memory(bytes) => out.write_all(&bytes),
            Store::File(file) => {
                let mut file = file.into_inner().map_err(|e| e.into_error())?;
                file.seek(SeekFrom::Start(0))?;
                let copied = io::copy(&mut file, out)?;
                if copied != self.len {
                    return Err(io::Error::other(format!(
                        "临时文件只读回 {copied} 字节，应有 {} 字节",
                        self.len
                    )));
                }
                Ok(())
            }
        }
    }
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = match &mut self.store {
            Store::File(file) => file.write(buf)?,
            Store::Memory(bytes) => {
                bytes.extend_from_slice(buf);
                buf.len()
            }
        };
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.store {
            Store::File(file) => file.flush(),
            Store::Memory(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_back_midway_and_copy_out_whole_from_a_file_or_memory() {
        for mut spill in [Spill::new(), Spill::in_memory()] {
            spill.write_all("党建".as_bytes()).expect("write");
            assert_eq!(spill.read_all().expect("read"), "党建".as_bytes());
            spill.write_all(b" 2026").expect("write");
            assert_eq!(spill.len(), 11);
            let mut out = Vec::new();
            spill.copy_to(&mut out).expect("copy");
            assert_eq!(out, "党建 2026".as_bytes());
        }
    }
}
