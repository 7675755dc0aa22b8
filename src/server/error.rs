//! The service's refusals: an HTTP status, a stable machine code and a Chinese message, sent
//! as `{ "错误": …, "code": … }` (with the job's report when there is one to show).

use crate::job::Report;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A request the service refuses or cannot carry out.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable code for scripts: `bad-request`, `too-large`, `not-a-workbook`,
    /// `unauthorized`, `busy`, `timeout`, `blocked`, `failed`, `not-found`.
    pub code: &'static str,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
    /// The job's report, when the job ran and found it could make nothing.
    pub report: Option<Box<Report>>,
}

/// The JSON body of an [`ApiError`].
#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "错误")]
    message: &'a str,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a Report>,
}

impl ApiError {
    /// An error of this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            report: None,
        }
    }

    /// 400: the request is wrong (a field, a document id, no file …).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", message)
    }

    /// 413: the upload is larger than `[server] upload_mb`.
    pub fn too_large(limit_mb: u64) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            format!(
                "上传的文件合计超过上限 {limit_mb} MB（可在 dangjian.toml 的 [server] 中调整 upload_mb）"
            ),
        )
    }

    /// 415: an uploaded file is no spreadsheet.
    pub fn not_a_workbook(name: &str, why: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not-a-workbook",
            format!("{name} 不是表格文件：{why}"),
        )
    }

    /// 401: no token or a wrong one.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "需要访问令牌：请在请求头中加上 Authorization: Bearer <令牌>（令牌向管理员索取）",
        )
    }

    /// 503: every place is taken and the queue is full.
    pub fn busy() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "服务繁忙：正在处理的任务已满，请稍后再试",
        )
    }

    /// 408: the request took longer than `[server] timeout_s`.
    pub fn timeout(seconds: u64) -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!(
                "请求超过 {seconds} 秒仍未完成，已停止（可在 dangjian.toml 的 [server] 中调整 timeout_s）"
            ),
        )
    }

    /// 500: the job failed (a template error, the engine).
    pub fn failed(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "failed", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            message: &self.message,
            code: self.code,
            report: self.report.as_deref(),
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
