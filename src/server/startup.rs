//! Start-up: settings -> state -> router -> listening socket, the command line, and a
//! graceful stop that flushes the store.

use crate::app::{shell, App};
use crate::roadmap::catalog::Catalog;
use crate::roadmap::stats::ContentStats;
use crate::server::backup;
use crate::server::middleware::{cache_hashed_assets, healthz, server_fn_error_status};
use crate::server::overlay::{personal_pages, Overlay};
use crate::server::page_cache::{cached_pages, PageCache};
use crate::server::routes::{badge, export_download};
use crate::server::security::{limit_body, refuse_cross_site, security_headers, BodyLimits, MAX_IMPORT_BYTES};
use crate::server::settings::Settings;
use crate::server::state::AppState;
use crate::server::store::SledStore;
use axum::routing::get;
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use tower_http::compression::CompressionLayer;

const USAGE: &str = "usage: backroad [serve | backup <file> | restore <file> | check-content | help]

  serve           serve the app (the default); settings from Leptos.toml,
                  LEPTOS_SITE_ADDR and BACKROAD_DATA_DIR override them
  backup <file>   write a consistent copy of all data to <file>, while the server runs
                  or not (same settings as the server)
  restore <file>  restore a backup into the data directory, which must hold no data yet
  check-content   validate the roadmap content and print a summary";

/// Runs the command line; the exit code says whether it worked.
pub async fn main_with_args(args: Vec<String>) -> ExitCode {
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["serve"] => serve().await,
        ["check-content"] => check_content(),
        ["backup", file] => backup::backup_command(Path::new(file)),
        ["restore", file] => backup::restore_command(Path::new(file)),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("backroad: unknown arguments {args:?}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `backroad check-content`: every content problem with its file and topic, or a summary.
fn check_content() -> ExitCode {
    match Catalog::builtin() {
        Ok(catalog) => {
            for roadmap in catalog.roadmaps() {
                println!("{}", ContentStats::of(roadmap));
            }
            println!("content OK");
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("content check failed: {} problem(s)", problems.len());
            ExitCode::FAILURE
        }
    }
}

/// Why the server could not start; each message tells the operator what to do.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Settings(#[from] crate::server::settings::SettingsError),
    #[error("the roadmap content is invalid:\n{0}")]
    Content(String),
    #[error("{0}")]
    Store(#[from] crate::server::store::OpenError),
    #[error(
        "could not listen on {addr}: {cause}. Is another program using that port? Set LEPTOS_SITE_ADDR to use another."
    )]
    Bind { addr: std::net::SocketAddr, cause: std::io::Error },
    #[error("the server stopped with an error: {0}")]
    Serve(std::io::Error),
}

/// Loads content and opens the store.
pub fn build_state(settings: &Settings) -> Result<AppState, StartupError> {
    let catalog = Catalog::builtin().map_err(|problems| {
        StartupError::Content(problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))
    })?;
    let store = SledStore::open(&settings.data_dir)?;
    Ok(AppState::new(settings.leptos.clone(), Arc::new(store), Arc::new(catalog), &settings.public_url))
}

/// The whole app as one router, ready for a listener or for tests.
pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    router_with(state, max_body_bytes, true)
}

/// The router; `overlay = false` renders every roadmap page in full, which the overlay's
/// tests compare it against.
pub fn router_with(state: AppState, max_body_bytes: usize, overlay: bool) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let limits = BodyLimits { default: max_body_bytes, import: MAX_IMPORT_BYTES.max(max_body_bytes) };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/s/{code}/badge.svg", get(badge))
        .route("/account/export.json", get(export_download))
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::map_response(server_fn_error_status))
        .layer(axum::middleware::from_fn_with_state(state.clone(), refuse_cross_site))
        .layer(axum::middleware::from_fn_with_state(limits, limit_body))
        .layer(axum::middleware::from_fn_with_state(Overlay::new(state.clone(), overlay), personal_pages))
        .layer(axum::middleware::from_fn_with_state(PageCache::default(), cached_pages))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn_with_state(state.leptos_options.hash_files, cache_hashed_assets))
        .layer(CompressionLayer::new())
        .with_state(state)
}

async fn serve() -> ExitCode {
    let started = Instant::now();
    init_tracing();
    match run(started).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("backroad: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(started: Instant) -> Result<(), StartupError> {
    let settings = Settings::load()?;
    let state = build_state(&settings)?;
    let store = state.store.clone();
    let addr = settings.leptos.site_addr;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|cause| StartupError::Bind { addr, cause })?;
    backup::listen(&settings.data_dir, store.clone());
    let app = router(state, settings.max_body_bytes);
    tracing::info!(
        "backroad listening on http://{addr} with data in {} (ready in {} ms)",
        settings.data_dir.display(),
        started.elapsed().as_millis()
    );
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await;
    // In-flight requests are done; make sure nothing written is left in memory.
    let flushed = tokio::task::spawn_blocking(move || store.flush_blocking()).await;
    match flushed {
        Ok(Ok(())) => tracing::info!("store flushed; stopped"),
        Ok(Err(e)) => tracing::error!("final flush failed: {e}"),
        Err(e) => tracing::error!("final flush did not run: {e}"),
    }
    served.map_err(StartupError::Serve)
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).try_init();
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received; finishing requests"),
        () = term => tracing::info!("SIGTERM received; finishing requests"),
    }
}
