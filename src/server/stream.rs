//! The archive as an HTTP body while it is made: the job writes on a blocking thread into a
//! bounded channel, the response body reads from it. A slow client slows the job down (the
//! channel is full, memory stays bounded); a client gone or the deadline passed makes the
//! next write fail, which stops the job.

use axum::body::{Body, Bytes};
use std::io::{self, Write};
use std::time::Instant;
use tokio::runtime::Handle;
use tokio::sync::mpsc;

/// Chunks (about one document each) waiting for the client at most.
const CHUNKS_IN_FLIGHT: usize = 4;

/// The writing end, handed to the job as its output.
pub struct BodyWriter {
    /// Where chunks go.
    sender: mpsc::Sender<io::Result<Bytes>>,
    /// The runtime, to wait on the channel from a blocking thread.
    runtime: Handle,
    /// When the request must be over.
    deadline: Instant,
}

/// A body writer and the response body it feeds.
pub fn channel(runtime: Handle, deadline: Instant) -> (BodyWriter, Body) {
    let (sender, mut receiver) = mpsc::channel::<io::Result<Bytes>>(CHUNKS_IN_FLIGHT);
    let chunks = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    let writer = BodyWriter {
        sender,
        runtime,
        deadline,
    };
    (writer, Body::from_stream(chunks))
}

impl BodyWriter {
    /// Ends the body with an error: the client sees the transfer broken off, never a
    /// shortened archive that looks whole.
    pub fn abort(self, why: &str) {
        let _ = self.sender.try_send(Err(io::Error::other(why.to_string())));
    }

    /// Sends one chunk, waiting while the client is slow, until the deadline.
    fn send(&self, chunk: Bytes) -> io::Result<()> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        let sent = self
            .runtime
            .block_on(async { tokio::time::timeout(left, self.sender.send(Ok(chunk))).await });
        match sent {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "客户端已断开连接",
            )),
            Err(_) => Err(io::Error::new(io::ErrorKind::TimedOut, "请求超时")),
        }
    }
}

impl Write for BodyWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !buf.is_empty() {
            self.send(Bytes::copy_from_slice(buf))?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
