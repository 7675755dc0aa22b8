//! The upload page in a real browser: Debian's chromium, headless, driven over the DevTools
//! protocol on a pipe (`--remote-debugging-pipe`: JSON messages ended by NUL on fds 3 and
//! 4). The test starts `dangjian serve`, opens the page, puts the sample ledger in the file
//! input, clicks 生成并下载, and expects the problems listed and the downloaded zip to be the
//! very bytes `dangjian render` writes; then 只检查表格 fills the table. Skipped, saying so,
//! only when chromium is not installed (scripts/install-test-deps.sh installs it).
#![cfg(target_os = "linux")]

mod support;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::{arg, fixture, run};

/// The ledger uploaded.
const LEDGER: &str = "sample/学生党建台账.xlsx";

/// The chromium binary, if installed.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join(name))
                    .find(|p| p.is_file())
            })
        })
}

/// A child process killed when dropped (a failing test leaves nothing running).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `dangjian serve` on a free port of 127.0.0.1; returns it and its address.
fn start_service(dir: &Path) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the service starts");
    let stdout = child.stdout.take().expect("stdout");
    let service = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let url = lines
        .find_map(|line| {
            let line = line.ok()?;
            let at = line.find("http://")?;
            Some(line[at..].split_whitespace().next()?.to_string())
        })
        .expect("the service says where it listens");
    (service, url)
}

/// A DevTools connection over chromium's pipe.
struct Browser {
    _process: Running,
    to: std::io::PipeWriter,
    from: BufReader<std::io::PipeReader>,
    next_id: u64,
}

impl Browser {
    /// Starts headless chromium with downloads going to `downloads`.
    fn start(binary: &Path, profile: &Path) -> Browser {
        let (their_in, to) = std::io::pipe().expect("pipe");
        let (from, their_out) = std::io::pipe().expect("pipe");
        let (fd_in, fd_out) = (their_in.as_raw_fd(), their_out.as_raw_fd());
        let mut command = Command::new(binary);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--remote-debugging-pipe",
                "--window-size=1000,1300",
                "--lang=zh-CN",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: only dup2, async-signal-safe, between fork and exec.
        unsafe {
            command.pre_exec(move || {
                // Out of the way first: a pipe may itself be fd 3 or 4.
                let high_in = libc::fcntl(fd_in, libc::F_DUPFD_CLOEXEC, 10);
                let high_out = libc::fcntl(fd_out, libc::F_DUPFD_CLOEXEC, 10);
                if high_in < 0
                    || high_out < 0
                    || libc::dup2(high_in, 3) < 0
                    || libc::dup2(high_out, 4) < 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let process = Running(command.spawn().expect("chromium starts"));
        drop((their_in, their_out));
        Browser {
            _process: process,
            to,
            from: BufReader::new(from),
            next_id: 1,
        }
    }

    /// Sends a command (to a page's session, if given) and returns its result.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.to.write_all(&bytes).expect("chromium reads commands");
        loop {
            let mut raw = Vec::new();
            let n = self.from.read_until(0, &mut raw).expect("chromium answers");
            assert!(n > 0, "chromium closed the pipe during {method}");
            raw.pop();
            let answer: Value = serde_json::from_slice(&raw).expect("JSON from chromium");
            if answer["id"] == id {
                assert!(answer["error"].is_null(), "{method}: {}", answer["error"]);
                return answer["result"].clone();
            }
        }
    }
}

/// A page open in the browser.
struct Page<'a> {
    browser: &'a mut Browser,
    session: String,
}

impl Page<'_> {
    /// Runs a command on the page.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.browser.call(Some(&session), method, params)
    }

    /// Evaluates JavaScript in the page; returns its value.
    fn eval(&mut self, script: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": script, "returnByValue": true, "awaitPromise": true }),
        );
        result["result"]["value"].clone()
    }

    /// Waits until `script` gives a truthy value (a minute at most); returns it.
    fn wait_for(&mut self, what: &str, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.eval(script);
            let truthy = match &value {
                Value::Null | Value::Bool(false) => false,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return value;
            }
            let message = self.eval("document.querySelector('#message').textContent");
            assert!(
                started.elapsed() < Duration::from_secs(90),
                "waited too long for {what}; the page says: {message}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// The one zip file in `dir` once its download is complete (a minute at most).
fn downloaded_zip(dir: &Path) -> Vec<u8> {
    let started = Instant::now();
    loop {
        let files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        if let Some(zip) = files
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "zip"))
        {
            return std::fs::read(zip).unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no download: {files:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_page_uploads_the_sample_lists_problems_and_downloads_the_clis_zip() {
    let Some(binary) = chromium() else {
        eprintln!(
            "跳过浏览器测试：没有安装 chromium（请运行 scripts/install-test-deps.sh）— skipped: chromium is not installed"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let downloads = dir.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();
    let (_service, url) = start_service(dir.path());
    let mut browser = Browser::start(&binary, &dir.path().join("profile"));
    browser.call(
        None,
        "Browser.setDownloadBehavior",
        json!({ "behavior": "allow", "downloadPath": downloads }),
    );
    let target = browser.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
    let attached = browser.call(
        None,
        "Target.attachToTarget",
        json!({ "targetId": target["targetId"], "flatten": true }),
    );
    let session = attached["sessionId"].as_str().unwrap().to_string();
    let mut page = Page {
        browser: &mut browser,
        session,
    };
    page.call("Page.navigate", json!({ "url": url }));
    page.wait_for(
        "the list of documents",
        "document.querySelectorAll('input[name=doc]').length",
    );
    assert_eq!(page.eval("document.title"), "党建材料生成");

    let root = page.call("DOM.getDocument", json!({}));
    let input = page.call(
        "DOM.querySelector",
        json!({ "nodeId": root["root"]["nodeId"], "selector": "#files" }),
    );
    page.call(
        "DOM.setFileInputFiles",
        json!({ "nodeId": input["nodeId"], "files": [fixture(LEDGER)] }),
    );
    let listed = page.wait_for(
        "the chosen file",
        "document.querySelector('#file-list').textContent",
    );
    assert!(
        listed.as_str().unwrap().contains("学生党建台账.xlsx"),
        "{listed}"
    );

    page.eval("document.querySelector('#render').click()");
    let link = page.wait_for(
        "the download link",
        "document.querySelector('#download').hidden ? '' : document.querySelector('#download').textContent",
    );
    assert!(
        link.as_str().unwrap().contains("党校结业证书.zip"),
        "{link}"
    );
    let first_problem =
        page.eval("document.querySelector('#problems tbody tr')?.textContent ?? ''");
    assert!(
        first_problem.as_str().unwrap().contains("警告"),
        "the problems are listed: {first_problem}"
    );
    let located = page.eval(
        "[...document.querySelectorAll('#problems tbody td:first-child')].some(td => td.textContent.includes('学生党建台账.xlsx › '))",
    );
    assert_eq!(located, true, "problems name file › sheet › row");
    let message = page.eval("document.querySelector('#message').textContent");
    assert!(message.as_str().unwrap().starts_with("完成"), "{message}");

    if let Some(path) = std::env::var_os("DANGJIAN_SCREENSHOT") {
        let shot = page.call("Page.captureScreenshot", json!({ "format": "png" }));
        let png = base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            shot["data"].as_str().unwrap(),
        )
        .unwrap();
        std::fs::write(path, png).unwrap();
    }

    let zip = downloaded_zip(&downloads);
    let out = dir.path().join("cli.zip");
    let (cli, _d) = run(&[
        "render",
        "certificate",
        "--data",
        &arg(LEDGER),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(out.exists(), "{}", cli.all());
    assert!(
        zip == std::fs::read(&out).unwrap(),
        "the browser's download differs from the CLI's zip"
    );

    page.eval("document.querySelector('#check').click()");
    let checked = page.wait_for(
        "the check",
        "document.querySelector('#message').textContent.startsWith('检查完成') ? document.querySelector('#message').textContent : ''",
    );
    assert!(checked.as_str().unwrap().contains("个警告"), "{checked}");
    let rows = page.eval("document.querySelectorAll('#problems tbody tr').length");
    assert!(rows.as_u64().unwrap() > 0);
}
