//! `dangjian serve`: read the configuration, the token and the templates once, build the
//! engine once, and run the web service of [`dangjian::server`] until Ctrl-C or SIGTERM.

use crate::Failure;
use crate::args::ServeArgs;
use dangjian::config;
use dangjian::engine::{Engine, EngineOptions};
use dangjian::server::{self, ServeError};
use std::io::IsTerminal;

/// Starts the service; returns when it has shut down.
pub fn serve(args: ServeArgs) -> Result<u8, Failure> {
    let token = match &args.token_file {
        Some(path) => {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|source| ServeError::TokenFile {
                path: shown.clone(),
                source,
            })?;
            Some(server::parse_token(&shown, &text)?)
        }
        None => None,
    };
    server::check_address(args.addr, token.as_deref())?;
    let (config, config_path) = config::discover(args.config.as_deref())?;
    let mut options = EngineOptions {
        font_dirs: args.font_path,
        ..EngineOptions::default()
    };
    if let Some(dir) = &args.templates {
        options.read_template_dir(dir)?;
    }
    let engine = Engine::new(&options)?;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Io)?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|source| ServeError::Listen {
                addr: args.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(ServeError::Io)?;
        if let Some(path) = config_path {
            say!("配置：{}", path.display());
        }
        say!("党建材料生成服务已启动：http://{addr}/  （按 Ctrl-C 停止）");
        let shared = server::shared(engine, config, token);
        server::serve(listener, shared, server::shutdown_signal())
            .await
            .map_err(ServeError::Io)
    })?;
    say!("服务已停止");
    Ok(0)
}
