//! `dangjian serve`: the jobs of the command line as a web service, with a Chinese upload
//! page. This layer only translates HTTP to the job API: a form becomes the very [`Job`] the
//! command line builds ([`Job::from_choices`]), the answer is the job's [`Report`] as JSON or
//! its archive streamed as it is made. The engine (fonts, templates, the typst World) is
//! built once and shared; jobs run on blocking threads, at most `[server] max_jobs` at once
//! with `queue` more waiting, and 503 beyond. Uploads stay in memory; logs hold counts only.
//!
//! [`Job`]: crate::job::Job
//! [`Job::from_choices`]: crate::job::Job::from_choices
//! [`Report`]: crate::job::Report

mod api;
mod error;
mod gate;
mod page;
mod stream;
mod upload;

pub use api::{
    DOCUMENTS, ERRORS, PROBLEM_HEADER_BYTES, PROBLEMS, PROBLEMS_SHOWN, PROBLEMS_TOTAL,
    REFUSED_ROWS, WARNINGS, problem_summary,
};
pub use error::ApiError;
pub use upload::MAX_FILES;

use crate::config::Config;
use crate::engine::Engine;
use crate::typeset::default_threads;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gate::Gate;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use thiserror::Error;
use tracing::{Instrument, info, info_span};

/// What every request shares: built once when the service starts.
pub struct Shared {
    /// Templates, fonts, typst.
    engine: Engine,
    /// The configuration read at start.
    config: Config,
    /// The token every `/api` request must carry, if any.
    token: Option<String>,
    /// Running and waiting jobs.
    gate: Gate,
    /// The next request's id, for the log.
    next_id: AtomicU64,
}

/// The service could not start.
#[derive(Debug, Error)]
pub enum ServeError {
    /// Listening beyond this machine needs a token.
    #[error(
        "监听地址 {addr} 不是本机地址：其他电脑也能访问，必须设置访问令牌。请用 --token-file 令牌文件 启动（文件中写一行随机字符串）"
    )]
    TokenRequired {
        /// The address.
        addr: SocketAddr,
    },
    /// The token file is empty.
    #[error("令牌文件 {0} 是空的，请在其中写一行随机字符串（至少 16 个字符）")]
    EmptyToken(String),
    /// The token is too short to be a secret.
    #[error("令牌文件 {0} 中的令牌太短，至少需要 16 个字符")]
    ShortToken(String),
    /// The token file could not be read.
    #[error("无法读取令牌文件 {path}：{source}")]
    TokenFile {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The address could not be listened on (taken, not this machine's …).
    #[error("无法监听 {addr}：{source}（端口可能已被占用，可用 --addr 换一个）")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The async runtime could not start, or serving failed.
    #[error("网页服务出错：{0}")]
    Io(#[from] std::io::Error),
}

/// Shortest token accepted.
const MIN_TOKEN_CHARS: usize = 16;

/// Checks a token read from `file`: trimmed, at least 16 characters.
pub fn parse_token(file: &str, text: &str) -> Result<String, ServeError> {
    let token = text.trim();
    if token.is_empty() {
        return Err(ServeError::EmptyToken(file.to_string()));
    }
    if token.chars().count() < MIN_TOKEN_CHARS {
        return Err(ServeError::ShortToken(file.to_string()));
    }
    Ok(token.to_string())
}

/// Refuses an address beyond loopback without a token.
pub fn check_address(addr: SocketAddr, token: Option<&str>) -> Result<(), ServeError> {
    if addr.ip().is_loopback() || token.is_some() {
        Ok(())
    } else {
        Err(ServeError::TokenRequired { addr })
    }
}

/// How many jobs the service runs at once (`[server] max_jobs`, 0 → one per core).
fn max_jobs(config: &Config) -> usize {
    match config.server.max_jobs {
        0 => default_threads(),
        n => n,
    }
}

/// The service's state.
pub fn shared(engine: Engine, config: Config, token: Option<String>) -> Arc<Shared> {
    let max_jobs = max_jobs(&config);
    Arc::new(Shared {
        gate: Gate::new(max_jobs, config.server.queue),
        engine,
        config,
        token,
        next_id: AtomicU64::new(1),
    })
}

/// Every route: the page, its script, `/healthz`, and the API behind the token.
pub fn router(shared: Arc<Shared>) -> Router {
    let upload_bytes = shared.config.server.upload_mb.saturating_mul(1_048_576);
    let api = Router::new()
        .route("/api/documents", get(api::documents))
        .route("/api/check", post(api::check))
        .route("/api/render", post(api::render))
        .layer(DefaultBodyLimit::max(
            usize::try_from(upload_bytes).unwrap_or(usize::MAX),
        ))
        .route_layer(middleware::from_fn_with_state(shared.clone(), authorize));
    Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/healthz", get(api::health))
        .merge(api)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), log_request))
        .with_state(shared)
}

/// Serves until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(shared))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    info!("shutting down: finishing the requests in flight");
}

/// 401 unless the request carries the token (when one is set).
async fn authorize(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    if let Some(token) = &shared.token {
        let given = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !same_secret(given.trim().as_bytes(), token.as_bytes()) {
            return ApiError::unauthorized().into_response();
        }
    }
    next.run(request).await
}

/// Compares two secrets in time independent of where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Gives the request an id, logs its method, path, status and duration (never its data),
/// and returns the id in `x-request-id`.
async fn log_request(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    let span = info_span!(
        "request",
        id,
        method = %request.method(),
        path = request.uri().path().to_string()
    );
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    span.in_scope(|| {
        info!(
            status = response.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "answered"
        )
    });
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// 404 as JSON.
async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "没有这个地址；接口见 /api/documents、/api/check、/api/render",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_goes_without_a_token() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert!(check_address(local, None).is_ok());
        assert!(check_address(any, None).is_err());
        assert!(check_address(any, Some("0123456789abcdef")).is_ok());
    }

    #[test]
    fn tokens_are_trimmed_and_long_enough() {
        assert_eq!(
            parse_token("t", " 0123456789abcdef\n").unwrap(),
            "0123456789abcdef"
        );
        assert!(parse_token("t", "\n").is_err());
        assert!(parse_token("t", "short").is_err());
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"abcd"));
    }
}
