//! The web service's router, called in-process (no socket): every endpoint, every refusal
//! with its status and JSON, the token, the limits, a burst of 50 requests, and the archive
//! of `/api/render` byte for byte the file `dangjian render` writes.

mod support;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use base64::Engine as _;
use dangjian::config::Config;
use dangjian::server;
use dangjian::{Engine, EngineOptions};
use serde_json::Value;
use std::io::{Cursor, Read};
use std::sync::OnceLock;
use std::time::Duration;
use support::{arg, fixture, run};
use tower::ServiceExt;

/// The ledger holding every sheet kind.
const LEDGER: &str = "sample/学生党建台账.xlsx";
const BOUNDARY: &str = "----dangjian-test-boundary";
const TOKEN: &str = "0123456789abcdef-token";

/// One engine for the whole file: fonts load once.
fn engine() -> Engine {
    Engine::new(&EngineOptions::default()).expect("engine")
}

/// The router with the default configuration and no token.
fn app() -> Router {
    static APP: OnceLock<Router> = OnceLock::new();
    APP.get_or_init(|| server::router(server::shared(engine(), Config::default(), None)))
        .clone()
}

/// A router with this configuration and token.
fn app_with(config: Config, token: Option<&str>) -> Router {
    server::router(server::shared(engine(), config, token.map(str::to_string)))
}

/// One part of a form.
enum Part<'a> {
    /// A file: its name and bytes.
    File(&'a str, Vec<u8>),
    /// A text field.
    Text(&'a str),
}

/// A multipart/form-data body.
fn form(parts: &[(&str, Part<'_>)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, part) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::File(file, bytes) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
            }
            Part::Text(text) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{text}")
                        .as_bytes(),
                );
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A fixture as a file part.
fn file(rel: &str) -> Part<'static> {
    let path = fixture(rel);
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    Part::File(
        Box::leak(name.into_boxed_str()),
        std::fs::read(path).unwrap(),
    )
}

/// A POST of a form.
fn post(path: &str, body: Vec<u8>) -> Request<Body> {
    Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap()
}

/// Sends a request; returns the status, the headers and the whole body.
async fn send(app: Router, request: Request<Body>) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, headers, body.to_vec())
}

/// The JSON of a body.
fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).expect("a JSON body")
}

/// Asserts a refusal: its status, its code, and a Chinese message containing `words`.
async fn assert_refused(
    app: Router,
    request: Request<Body>,
    status: StatusCode,
    code: &str,
    words: &str,
) {
    let (got, _, body) = send(app, request).await;
    let body = json(&body);
    assert_eq!(got, status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    let message = body["错误"].as_str().expect("a message under 错误");
    assert!(message.contains(words), "{message}");
}

/// The names of a zip's entries.
fn entry_names(zip: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(Cursor::new(zip)).expect("a valid zip");
    archive
        .file_names()
        .map(|n| n.expect("a name").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn health_documents_and_the_page() {
    let (status, _, body) =
        send(app(), Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body)["status"], "ok");

    let (status, _, body) = send(
        app(),
        Request::get("/api/documents").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let kinds = json(&body);
    let ids: Vec<&str> = kinds
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids[0], "certificate");
    // The five kinds, then the filing packet.
    assert_eq!(ids.len(), 6);
    assert_eq!(ids[5], "packet");
    assert_eq!(kinds[0]["label"], "党校结业证书");

    let (status, headers, body) = send(app(), Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = String::from_utf8(body).unwrap();
    assert!(page.contains("党建材料生成") && page.contains("/app.js"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "nothing from elsewhere"
    );
    let (status, _, script) =
        send(app(), Request::get("/app.js").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(script).unwrap().contains("/api/render"));

    assert_refused(
        app(),
        Request::get("/nowhere").body(Body::empty()).unwrap(),
        StatusCode::NOT_FOUND,
        "not-found",
        "没有这个地址",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn check_lists_every_problem_with_file_sheet_and_cell() {
    let body = form(&[("data", file("bad/日期错误.xlsx"))]);
    let (status, _, body) = send(app(), post("/api/check", body)).await;
    assert_eq!(status, StatusCode::OK);
    let report = json(&body);
    assert!(report["errors"].as_u64().unwrap() > 0, "{report}");
    let cell = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["severity"] == "error" && p["location"]["cell"].is_string())
        .expect("an error at a cell");
    assert_eq!(cell["location"]["file"], "日期错误.xlsx");
    assert!(cell["location"]["text"].as_str().unwrap().contains(" › "));
    assert!(
        report["documents"].as_array().unwrap().is_empty(),
        "a check makes nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn render_streams_the_very_bytes_of_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("证书.zip");
    let (cli, _d) = run(&[
        "render",
        "certificate",
        "talk-record",
        "--data",
        &arg("sample/花名册.xlsx"),
        "--data",
        &arg(LEDGER),
        "--year",
        "2025",
        "--gbk-names",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(out.exists(), "{}", cli.all());
    let body = form(&[
        ("data", file("sample/花名册.xlsx")),
        ("data", file(LEDGER)),
        ("docs", Part::Text("certificate,talk-record")),
        ("year", Part::Text("2025")),
        ("gbk_names", Part::Text("true")),
    ]);
    let (status, headers, zip) = send(app(), post("/api/render", body)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/zip");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''")
    );
    assert!(
        zip == std::fs::read(&out).unwrap(),
        "the service's zip differs from the CLI's"
    );

    let planned: usize = headers[server::DOCUMENTS]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        entry_names(&zip).len(),
        planned + 2,
        "every planned document, 清单.csv and 清单.xlsx"
    );
    let warnings: usize = headers[server::WARNINGS].to_str().unwrap().parse().unwrap();
    assert!(warnings > 0);
    let shown: usize = headers[server::PROBLEMS_SHOWN]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let summary = base64::engine::general_purpose::STANDARD
        .decode(headers[server::PROBLEMS].as_bytes())
        .unwrap();
    let problems = json(&summary);
    assert_eq!(problems.as_array().unwrap().len(), shown);
    assert!(
        problems[0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_that_can_make_nothing_answers_400_with_its_report() {
    let body = form(&[
        ("data", file("sample/党校成绩.xlsx")),
        ("docs", Part::Text("certificate")),
    ]);
    let (status, _, body) = send(app(), post("/api/render", body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body = json(&body);
    assert_eq!(body["code"], "blocked");
    assert!(body["错误"].as_str().unwrap().contains("花名册"));
    assert_eq!(body["report"]["blocked"]["reason"], "no-roster");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_are_refused_with_400_and_a_chinese_message() {
    let roster = || ("data", file("sample/花名册.xlsx"));
    let cases: Vec<(Vec<(&str, Part)>, &str)> = vec![
        (
            vec![("docs", Part::Text("certificate"))],
            "没有上传数据文件",
        ),
        (vec![roster()], "没有选择要生成的文书"),
        (
            vec![roster(), ("docs", Part::Text("diploma"))],
            "不认识的文书「diploma」",
        ),
        (
            vec![
                roster(),
                ("docs", Part::Text("all")),
                ("year", Part::Text("去年")),
            ],
            "year 应为年度",
        ),
        (
            vec![
                roster(),
                ("docs", Part::Text("all")),
                ("strict", Part::Text("maybe")),
            ],
            "strict 应为 true 或 false",
        ),
        (
            vec![
                roster(),
                ("docs", Part::Text("all")),
                ("colour", Part::Text("red")),
            ],
            "不认识的字段「colour」",
        ),
        (
            vec![
                ("data", Part::Text("not a file")),
                ("docs", Part::Text("all")),
            ],
            "data 应为上传的文件",
        ),
    ];
    for (parts, words) in cases {
        assert_refused(
            app(),
            post("/api/render", form(&parts)),
            StatusCode::BAD_REQUEST,
            "bad-request",
            words,
        )
        .await;
    }
    let not_multipart = Request::post("/api/check")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    assert_refused(
        app(),
        not_multipart,
        StatusCode::BAD_REQUEST,
        "bad-request",
        "multipart/form-data",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn what_is_no_spreadsheet_is_refused_with_415() {
    for (name, bytes) in [
        ("证书.xlsx", b"%PDF-1.7\n1 0 obj".to_vec()),
        ("空.xlsx", Vec::new()),
        (
            "图片.xls",
            vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13, 1, 2, 3],
        ),
    ] {
        let body = form(&[
            ("data", Part::File(name, bytes)),
            ("docs", Part::Text("all")),
        ]);
        assert_refused(
            app(),
            post("/api/render", body),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not-a-workbook",
            name,
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upload_over_the_limit_is_refused_with_413() {
    let mut config = Config::default();
    config.server.upload_mb = 1;
    let app = app_with(config, None);
    let big = Part::File("大.csv", "学号,姓名\n".repeat(200_000).into_bytes());
    let body = form(&[("data", big), ("docs", Part::Text("all"))]);
    assert_refused(
        app,
        post("/api/check", body),
        StatusCode::PAYLOAD_TOO_LARGE,
        "too-large",
        "upload_mb",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_needs_the_token_when_one_is_set() {
    let app = app_with(Config::default(), Some(TOKEN));
    let documents = |auth: Option<&str>| {
        let mut request = Request::get("/api/documents");
        if let Some(auth) = auth {
            request = request.header(header::AUTHORIZATION, auth);
        }
        request.body(Body::empty()).unwrap()
    };
    for auth in [None, Some("Bearer wrong-token-0000000"), Some(TOKEN)] {
        assert_refused(
            app.clone(),
            documents(auth),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authorization: Bearer",
        )
        .await;
    }
    let (status, _, _) = send(app.clone(), documents(Some(&format!("Bearer {TOKEN}")))).await;
    assert_eq!(status, StatusCode::OK);
    let body = form(&[("data", file("sample/花名册.xlsx"))]);
    assert_refused(
        app.clone(),
        post("/api/check", body),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "令牌",
    )
    .await;
    // The page and the health check stay open: they hold no data.
    for path in ["/", "/app.js", "/healthz"] {
        let (status, _, _) =
            send(app.clone(), Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_50_renders_all_succeed_or_get_503_and_none_hangs() {
    let mut config = Config::default();
    config.server.max_jobs = 2;
    config.server.queue = 4;
    let app = app_with(config, None);
    let body = form(&[
        ("data", file("sample/花名册.xlsx")),
        ("data", file("sample/党校成绩.xlsx")),
        ("docs", Part::Text("certificate")),
    ]);
    let requests: Vec<_> = (0..50)
        .map(|_| {
            let app = app.clone();
            let body = body.clone();
            tokio::spawn(async move { send(app, post("/api/render", body)).await })
        })
        .collect();
    let all = async {
        let mut answers = Vec::new();
        for request in requests {
            answers.push(request.await);
        }
        answers
    };
    let answers = tokio::time::timeout(Duration::from_secs(600), all)
        .await
        .expect("no request hangs");
    let mut zips = Vec::new();
    let mut busy = 0;
    for answer in answers {
        let (status, headers, body) = answer.unwrap();
        match status {
            StatusCode::OK => zips.push(body),
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(json(&body)["code"], "busy");
                assert!(headers.contains_key(header::RETRY_AFTER));
                busy += 1;
            }
            other => panic!("unexpected {other}: {}", String::from_utf8_lossy(&body)),
        }
    }
    assert_eq!(zips.len() + busy, 50);
    assert!(
        zips.len() >= 6,
        "the running and the queued ones are served: {}",
        zips.len()
    );
    assert!(busy > 0, "beyond the queue, requests are refused");
    assert!(
        zips.iter().all(|z| *z == zips[0]),
        "every archive is the same"
    );
    let mut manifest = String::new();
    zip::ZipArchive::new(Cursor::new(&zips[0]))
        .unwrap()
        .by_name("清单.csv")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    assert!(manifest.contains("学号"));
}

#[test]
fn the_service_refuses_to_listen_beyond_this_machine_without_a_token() {
    let (r, _d) = run(&["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("必须设置访问令牌"), "{}", r.stderr);
}
