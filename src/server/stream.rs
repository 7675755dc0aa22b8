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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_client_gone_stops_the_writer() {
        let rt = runtime();
        let (mut writer, body) = channel(
            rt.handle().clone(),
            Instant::now() + Duration::from_secs(60),
        );
        writer.write_all(b"PK").unwrap();
        drop(body);
        let error = writer.write_all(b"more").unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn a_stalled_client_times_out_at_the_deadline() {
        let rt = runtime();
        let (mut writer, _body) = channel(
            rt.handle().clone(),
            Instant::now() + Duration::from_millis(200),
        );
        let error = (0..100)
            .find_map(|_| writer.write_all(b"chunk").err())
            .expect("the channel fills and the deadline passes");
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }

    #[test]
    fn the_body_carries_what_was_written_then_ends() {
        let rt = runtime();
        let (mut writer, body) = channel(
            rt.handle().clone(),
            Instant::now() + Duration::from_secs(60),
        );
        let reading = rt.spawn(async move { axum::body::to_bytes(body, usize::MAX).await });
        writer.write_all(b"PK\x03\x04").unwrap();
        writer.write_all(b"rest").unwrap();
        drop(writer);
        let bytes = rt.block_on(reading).unwrap().unwrap();
        assert_eq!(&bytes[..], b"PK\x03\x04rest");
    }
}
