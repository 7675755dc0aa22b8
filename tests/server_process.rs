//! `dangjian serve` as a process: SIGTERM while an archive is streaming lets that response
//! finish whole, then the service stops with code 0.
#![cfg(unix)]

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::fixture;

/// Reads an HTTP/1.1 chunked body to its end.
fn read_chunked(reader: &mut impl BufRead) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size).expect("a chunk size");
        let size = usize::from_str_radix(size.trim(), 16).expect("a hex chunk size");
        let mut chunk = vec![0; size + 2];
        reader.read_exact(&mut chunk).expect("a whole chunk");
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&chunk[..size]);
    }
}

#[test]
fn sigterm_lets_the_archive_in_flight_finish_then_stops() {
    let dir = tempfile::tempdir().unwrap();
    let mut service = Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the service starts");
    let mut lines = BufReader::new(service.stdout.take().unwrap()).lines();
    let address = lines
        .find_map(|line| {
            let line = line.ok()?;
            let at = line.find("http://")? + "http://".len();
            Some(line[at..].split('/').next()?.to_string())
        })
        .expect("the service says where it listens");

    let ledger = std::fs::read(fixture("sample/学生党建台账.xlsx")).unwrap();
    let boundary = "xBOUNDARYx";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"docs\"\r\n\r\ncertificate\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"data\"; filename=\"ledger.xlsx\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&ledger);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    write!(
        stream,
        "POST /api/render HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body).unwrap();

    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        assert!(reader.read_line(&mut head).unwrap() > 0, "headers: {head}");
    }
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    // The archive is being made (the client has read none of it): stop the service now.
    unsafe { libc::kill(service.id() as i32, libc::SIGTERM) };
    std::thread::sleep(Duration::from_millis(300));
    let zip = read_chunked(&mut reader);
    let archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a whole zip");
    assert!(archive.len() > 200, "{} entries", archive.len());

    let status = service.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(lines.any(|l| l.is_ok_and(|l| l.contains("服务已停止"))));
}
