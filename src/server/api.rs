//! The endpoints: each turns a request into the job the command line would build, runs it on
//! the shared engine off the async threads, and sends the report or the archive back.

use super::Shared;
use super::error::ApiError;
use super::stream;
use super::upload::{Upload, read_form};
use crate::documents::DocumentKind;
use crate::job::{self, Job, JobError, Output, Planned, Report};
use crate::pipeline::PipelineError;
use crate::problem::Problem;
use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde::Serialize;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tracing::{info, warn};

/// Most bytes of the base64 problem summary header (proxies keep headers under 8 KB).
pub const PROBLEM_HEADER_BYTES: usize = 6000;

/// Documents planned (`render`).
pub const DOCUMENTS: &str = "x-dangjian-documents";
/// Errors found (their rows are refused).
pub const ERRORS: &str = "x-dangjian-errors";
/// Warnings found.
pub const WARNINGS: &str = "x-dangjian-warnings";
/// Rows refused.
pub const REFUSED_ROWS: &str = "x-dangjian-refused-rows";
/// All problems found before typesetting.
pub const PROBLEMS_TOTAL: &str = "x-dangjian-problems-total";
/// The first problems, as base64 of a JSON array of the objects of `/api/check`.
pub const PROBLEMS: &str = "x-dangjian-problems";
/// How many problems [`PROBLEMS`] holds.
pub const PROBLEMS_SHOWN: &str = "x-dangjian-problems-shown";

/// One document kind, for `GET /api/documents`.
#[derive(Serialize)]
pub struct DocumentInfo {
    /// The id, as in `docs=` and on the command line.
    id: &'static str,
    /// The Chinese name.
    label: &'static str,
    /// What one document is made from.
    made_from: &'static str,
}

/// `GET /api/documents`: every kind, in `all` order, then the filing packet (which `all`
/// does not make: it joins the others per student).
pub async fn documents() -> Json<Vec<DocumentInfo>> {
    Json(
        DocumentKind::ALL
            .iter()
            .chain([&DocumentKind::PACKET])
            .map(|k| DocumentInfo {
                id: k.id(),
                label: k.label(),
                made_from: k.document().made_from(),
            })
            .collect(),
    )
}

/// `GET /healthz`.
pub async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Runs `work` within the request's time limit.
async fn in_time<T>(
    shared: &Shared,
    work: impl Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    let limit = Duration::from_secs(shared.config.server.timeout_s);
    tokio::time::timeout(limit, work)
        .await
        .unwrap_or_else(|_| Err(ApiError::timeout(shared.config.server.timeout_s)))
}

/// The form, or why there is none.
async fn form(
    shared: &Shared,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Upload, ApiError> {
    let form = form.map_err(|_| {
        ApiError::bad_request("请以 multipart/form-data 表单上传（如 curl -F data=@台账.xlsx）")
    })?;
    let upload = read_form(
        form,
        shared.config.server.upload_mb,
        shared.config.limits.input_bytes(),
    )
    .await?;
    info!(
        files = upload.inputs.len(),
        bytes = upload.bytes(),
        "upload read"
    );
    Ok(upload)
}

/// The job of an upload, built as the command line builds it.
fn job_of(shared: &Shared, upload: Upload) -> Result<Job, ApiError> {
    Job::from_choices(upload.inputs, shared.config.clone(), &upload.choices)
        .map_err(|e| ApiError::bad_request(e.to_string()))
}

/// `POST /api/check`: the report of reading and validating, as JSON.
pub async fn check(
    State(shared): State<Arc<Shared>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<Report>, ApiError> {
    let work = async {
        let job = job_of(&shared, form(&shared, multipart).await?)?;
        let place = shared.gate.enter().await?;
        let worker = Arc::clone(&shared);
        let span = tracing::Span::current();
        let report = tokio::task::spawn_blocking(move || {
            let _place = place;
            let _span = span.enter();
            job::run(&worker.engine, job, Output::CheckOnly, &|_| {})
        })
        .await
        .map_err(|_| ApiError::failed("检查时内部出错"))?
        .map_err(|e| ApiError::failed(e.to_string()))?;
        info!(
            errors = report.errors,
            warnings = report.warnings,
            "check done"
        );
        Ok(Json(report))
    };
    in_time(&shared, work).await
}

/// What the job tells the request first.
enum First {
    /// Planned: the archive follows.
    Planned(Box<Planned>),
    /// Over before anything was planned (blocked, or failed).
    Done(Box<Result<Report, JobError>>),
}

/// `POST /api/render`: the archive, streamed as it is made, with the problems found before
/// typesetting in headers; a job that can make nothing answers 400 with its report.
pub async fn render(
    State(shared): State<Arc<Shared>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let deadline = Instant::now() + Duration::from_secs(shared.config.server.timeout_s);
    let work = async {
        let upload = form(&shared, multipart).await?;
        if upload.choices.documents.is_empty() {
            return Err(ApiError::bad_request(
                "没有选择要生成的文书：请用字段 docs 给出，如 docs=certificate，或 docs=all",
            ));
        }
        let job = job_of(&shared, upload)?;
        let file_name = archive_name(&job.documents);
        let place = shared.gate.enter().await?;
        let (mut writer, body) = stream::channel(tokio::runtime::Handle::current(), deadline);
        let (tell, first) = oneshot::channel::<First>();
        let worker = Arc::clone(&shared);
        let span = tracing::Span::current();
        let started = Instant::now();
        tokio::task::spawn_blocking(move || {
            let _place = place;
            let _span = span.enter();
            let mut tell = Some(tell);
            let result = job::run_planned(
                &worker.engine,
                job,
                Output::Stream(&mut writer),
                &|_| {},
                &mut |planned| {
                    if let Some(tell) = tell.take() {
                        let _ = tell.send(First::Planned(Box::new(planned)));
                    }
                },
            );
            match (tell, result) {
                (Some(tell), result) => {
                    let _ = tell.send(First::Done(Box::new(result)));
                }
                (None, Ok(report)) => info!(
                    documents = report.documents.len(),
                    failed = report.failed.len(),
                    ms = started.elapsed().as_millis() as u64,
                    "render done"
                ),
                (None, Err(e)) => {
                    // The message may name a student's path: the log gets the kind only.
                    let cause = match &e {
                        JobError::Output(_) | JobError::Documents(PipelineError::Output(_)) => {
                            "output (client gone or timed out)"
                        }
                        JobError::Documents(PipelineError::Template { .. }) => "template error",
                        JobError::Documents(_) => "documents",
                    };
                    warn!(cause, "render stopped");
                    writer.abort("生成中断");
                }
            }
        });
        match first.await {
            Ok(First::Planned(planned)) => Ok(archive_response(&planned, &file_name, body)),
            Ok(First::Done(done)) => match *done {
                Ok(report) => {
                    let message = report
                        .blocked
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_else(|| "没有可生成的文书".to_string());
                    let mut error =
                        ApiError::new(axum::http::StatusCode::BAD_REQUEST, "blocked", message);
                    error.report = Some(Box::new(report));
                    Err(error)
                }
                Err(e) => Err(ApiError::failed(e.to_string())),
            },
            Err(_) => Err(ApiError::failed("生成时内部出错")),
        }
    };
    in_time(&shared, work).await
}

/// The download's name: the kind's Chinese name for one kind, else 党建材料.
fn archive_name(kinds: &[DocumentKind]) -> String {
    match kinds {
        [one] => format!("{}.zip", one.label()),
        _ => "党建材料.zip".to_string(),
    }
}

/// The 200 response: headers from the plan, the body streamed.
fn archive_response(planned: &Planned, file_name: &str, body: axum::body::Body) -> Response {
    let report = &planned.report;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    let disposition = format!(
        "attachment; filename=\"dangjian.zip\"; filename*=UTF-8''{}",
        percent_encode(file_name)
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    let (shown, summary) = problem_summary(&report.problems);
    for (name, value) in [
        (DOCUMENTS, planned.documents.to_string()),
        (ERRORS, report.errors.to_string()),
        (WARNINGS, report.warnings.to_string()),
        (REFUSED_ROWS, report.refused_rows.to_string()),
        (PROBLEMS_TOTAL, report.problems.len().to_string()),
        (PROBLEMS_SHOWN, shown.to_string()),
        (PROBLEMS, summary),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    (headers, body).into_response()
}

/// The first problems that fit in [`PROBLEM_HEADER_BYTES`] as base64 JSON, and how many.
pub fn problem_summary(problems: &[Problem]) -> (usize, String) {
    let base64 = base64::engine::general_purpose::STANDARD;
    let mut items: Vec<String> = Vec::new();
    let mut json_bytes = 2;
    for problem in problems {
        let Ok(item) = serde_json::to_string(problem) else {
            break;
        };
        if (json_bytes + item.len() + 1).div_ceil(3) * 4 > PROBLEM_HEADER_BYTES {
            break;
        }
        json_bytes += item.len() + 1;
        items.push(item);
    }
    (items.len(), base64.encode(format!("[{}]", items.join(","))))
}

/// RFC 3986 percent-encoding of everything but unreserved ASCII (for `filename*`).
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Location;

    #[test]
    fn the_problem_header_stays_small_and_decodes() {
        let problems: Vec<Problem> = (0..500)
            .map(|i| Problem::error(Location::Run, format!("第 {i} 个问题：出生日期无法识别")))
            .collect();
        let (shown, header) = problem_summary(&problems);
        assert!(header.len() <= PROBLEM_HEADER_BYTES);
        assert!(shown > 10 && shown < 500);
        let json = base64::engine::general_purpose::STANDARD
            .decode(header)
            .unwrap();
        let list: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
        assert_eq!(list.len(), shown);
        assert_eq!(list[3]["message"], "第 3 个问题：出生日期无法识别");
    }

    #[test]
    fn file_names_are_percent_encoded() {
        assert_eq!(percent_encode("证书 a.zip"), "%E8%AF%81%E4%B9%A6%20a.zip");
    }
}
