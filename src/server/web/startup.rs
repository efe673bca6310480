//! Start-up: settings -> store (sled in the data directory, or PostgreSQL when a database
//! URL is set) -> state -> router -> listening socket, the command line, and a graceful stop.

use crate::api::ImportProgress;
use crate::app::{shell, App};
use crate::roadmap::catalog::Catalog;
use crate::roadmap::stats::ContentStats;
use crate::server::settings::Settings;
use crate::server::state::AppState;
use crate::server::store::backup;
use crate::server::store::{Attempts, MemoryAttempts, PgSettings, PgStore, SledStore, Store};
use crate::server::web::access_log::access_log;
use crate::server::web::context::page_context;
use crate::server::web::form_errors::{drop_unsigned_form_errors, sign_form_errors};
use crate::server::web::front_door::{front_door, FrontDoor};
use crate::server::web::listener::Limits;
use crate::server::web::middleware::{form_return, healthz, server_fn_error_status};
use crate::server::web::pages::{page, panel, Pages};
use crate::server::web::routes::{badge, export_download};
use crate::server::web::security::{limit_body, refuse_cross_site, BodyLimit, MAX_IMPORT_BYTES};
use axum::extract::Request;
use axum::routing::{get, post};
use axum::Router;
use leptos::server_fn::ServerFn;
use leptos_axum::{generate_route_list_with_exclusions, LeptosRoutes};
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
        ["backup", file] => backup::backup_command(Path::new(file)).await,
        ["restore", file] => backup::restore_command(Path::new(file)).await,
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
    let today = crate::roadmap::changes::Day::of_ms(crate::server::services::caller::now_ms());
    let loaded = content_catalog().and_then(|catalog| {
        let future: Vec<_> =
            catalog.roadmaps().iter().flat_map(|r| crate::roadmap::validate_history::future_dates(r, today)).collect();
        if future.is_empty() {
            Ok(catalog)
        } else {
            Err(future)
        }
    });
    match loaded {
        Ok(catalog) => {
            for roadmap in catalog.roadmaps() {
                println!("{}", ContentStats::of(roadmap));
                println!("  {} dated changes in its history", roadmap.changes().len());
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

/// The content `check-content` checks: `BACKROAD_CONTENT_DIR`'s when it is set, else the
/// compiled-in content.
fn content_catalog() -> Result<Catalog, Vec<crate::roadmap::validate::ContentProblem>> {
    match std::env::var_os("BACKROAD_CONTENT_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => Catalog::from_dir(std::path::Path::new(&dir)),
        None => Catalog::builtin(),
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
}

/// The store a server runs on, with what only that backend needs.
pub enum Backend {
    /// One process on a data directory; it also answers the backup socket.
    Sled(Arc<SledStore>),
    /// Any number of processes on one database.
    Postgres(Arc<PgStore>),
}

impl Backend {
    /// Opens the store the settings name: PostgreSQL when a database URL is set, else sled.
    pub async fn open(settings: &Settings) -> Result<Self, StartupError> {
        match &settings.database_url {
            Some(url) => {
                let pg = PgSettings {
                    url: url.clone(),
                    pool_size: settings.database_pool_size,
                    timeout: settings.database_timeout,
                };
                Ok(Backend::Postgres(Arc::new(PgStore::open(&pg).await?)))
            }
            None => Ok(Backend::Sled(Arc::new(SledStore::open(&settings.data_dir)?))),
        }
    }

    pub fn store(&self) -> Arc<dyn Store> {
        match self {
            Backend::Sled(s) => s.clone(),
            Backend::Postgres(p) => p.clone(),
        }
    }

    /// Where sign-in attempts are counted: the shared database, or this process's memory.
    pub fn attempts(&self) -> Arc<dyn Attempts> {
        match self {
            Backend::Sled(_) => Arc::new(MemoryAttempts::default()),
            Backend::Postgres(p) => p.clone(),
        }
    }
}

/// Loads content and opens the store.
pub async fn build_state(settings: &Settings) -> Result<(AppState, Backend), StartupError> {
    let catalog = match &settings.content_dir {
        Some(dir) => Catalog::from_dir(dir),
        None => Catalog::builtin(),
    }
    .map_err(|problems| {
        StartupError::Content(problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))
    })?;
    let backend = Backend::open(settings).await?;
    let state = AppState::new(settings, backend.store(), backend.attempts(), Arc::new(catalog));
    Ok((state, backend))
}

/// The whole app as one router, ready for a listener or for tests.
pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    router_with(state, max_body_bytes, true)
}

/// The page routes the app answers itself (`pages`); Leptos renders them for it.
const PAGE_ROUTES: [&str; 4] = ["/", "/roadmaps/{roadmap}", "/roadmaps/{roadmap}/{topic}", "/s/{code}"];

/// The router; `keep_pages = false` renders every page in full, which tests compare the
/// kept and filled-in pages against.
///
/// Two routers, each with only the middleware it needs:
/// - `/api/*` (server functions, all POST): outermost first, compress the answer → refuse
///   cross-site requests →
///   limit the body (the import has its own limit, on its own route) → send a form without
///   JavaScript back where it came from → put our error's status on the answer.
/// - pages: kept or filled in (`pages`, compressed already: no layer), then the other
///   Leptos pages and plain GET routes, compressed.
///
/// Around both, outermost first: the access log (when on) → the front door (`front_door`:
/// count, refuse another site's host and over-long addresses, a deadline for the whole
/// request, then the caching and security headers of every answer).
pub fn router_with(state: AppState, max_body_bytes: usize, keep_pages: bool) -> Router {
    let options = state.leptos_options.clone();
    let (shell_options, render_state) = (options.clone(), state.clone());
    let render = leptos_axum::render_app_async_with_context(
        move || {
            leptos::prelude::provide_context(render_state.clone());
            page_context();
        },
        move || shell(shell_options.clone()),
    );
    let pages = Pages::new(state.clone(), Box::new(render), keep_pages);
    // Leptos registers the remaining pages (account, sign-in); the page routes above and the
    // server functions (in the API router) are left out of its list.
    let server_fns: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    let excluded = PAGE_ROUTES.iter().map(|p| (*p).to_owned()).chain(server_fns).collect();
    let routes = generate_route_list_with_exclusions(App, Some(excluded));
    let api_state = state.clone();
    let api = move |request: Request| {
        let state = api_state.clone();
        async move {
            leptos_axum::handle_server_fns_with_context(
                move || leptos::prelude::provide_context(state.clone()),
                request,
            )
            .await
        }
    };
    let limit = |bytes: usize| axum::middleware::from_fn_with_state(BodyLimit(bytes), limit_body);
    let api_router = Router::new()
        .route(ImportProgress::PATH, post(api.clone()).layer(limit(MAX_IMPORT_BYTES.max(max_body_bytes))))
        .route("/api/{*endpoint}", post(api).layer(limit(max_body_bytes)))
        .layer(axum::middleware::map_response(server_fn_error_status))
        .layer(axum::middleware::from_fn(form_return))
        .layer(axum::middleware::from_fn_with_state(state.clone(), sign_form_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), refuse_cross_site));
    // The pages Leptos renders itself (sign-in, account, …) take an error in their address
    // only when this site signed it; `page` checks the same for the kept pages.
    let leptos_pages = Router::new()
        .leptos_routes_with_context(&state, routes, page_context, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(page_context, shell))
        .layer(axum::middleware::from_fn_with_state(state.clone(), drop_unsigned_form_errors));
    // The pages answered from kept bytes come compressed already; the rest is compressed
    // here, route by route (a compression layer around the kept pages cost them a sixth of
    // their speed).
    let kept_pages = Router::new()
        .route("/", get(page))
        .route("/roadmaps/{roadmap}", get(page))
        .route("/roadmaps/{roadmap}/{topic}", get(page))
        .route("/roadmaps/{roadmap}/{topic}/panel.html", get(panel))
        .route("/s/{code}", get(page))
        .with_state(pages);
    let other_pages = Router::new()
        .route("/healthz", get(healthz))
        .route("/s/{code}/badge.svg", get(badge))
        .route("/account/export.json", get(export_download))
        .route("/changes.atom", get(crate::server::web::feed::changes_atom))
        .merge(leptos_pages)
        .layer(CompressionLayer::new());
    let router = Router::new()
        .merge(api_router.layer(CompressionLayer::new()))
        .merge(kept_pages)
        .merge(other_pages)
        .layer(axum::middleware::from_fn_with_state(FrontDoor::of(&state), front_door));
    // Only when asked for: a layer costs every request a little.
    let router = if state.access_log {
        router.layer(axum::middleware::from_fn_with_state(state.clone(), access_log))
    } else {
        router
    };
    router.with_state(state)
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
    let (state, backend) = build_state(&settings).await?;
    let addr = settings.leptos.site_addr;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|cause| StartupError::Bind { addr, cause })?;
    let data = match &backend {
        Backend::Sled(store) => {
            backup::listen(&settings.data_dir, store.clone());
            format!("data in {}", settings.data_dir.display())
        }
        Backend::Postgres(_) => format!("data in {}", settings.redacted_database_url().unwrap_or_default()),
    };
    if let Some(metrics_addr) = settings.metrics_addr {
        serve_metrics(metrics_addr).await?;
    }
    crate::server::services::housekeeping::start(backend.store());
    let app = router(state, settings.max_body_bytes);
    tracing::info!("backroad listening on http://{addr} with {data} (ready in {} ms)", started.elapsed().as_millis());
    crate::server::web::listener::serve(listener, app, Limits::default(), shutdown_signal()).await;
    // Every acknowledged write is durable already; sled is flushed once more so that its
    // next start has nothing to replay.
    if let Backend::Sled(store) = backend {
        match tokio::task::spawn_blocking(move || store.flush_blocking()).await {
            Ok(Ok(())) => tracing::info!("store flushed; stopped"),
            Ok(Err(e)) => tracing::error!("final flush failed: {e}"),
            Err(e) => tracing::error!("final flush did not run: {e}"),
        }
    }
    Ok(())
}

/// Serves `GET /metrics` on its own address (for operators; keep it off the public internet).
async fn serve_metrics(addr: std::net::SocketAddr) -> Result<(), StartupError> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|cause| StartupError::Bind { addr, cause })?;
    let app = Router::new().route(
        "/metrics",
        get(|| async {
            ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], crate::server::metrics::render())
        }),
    );
    tracing::info!("metrics on http://{addr}/metrics");
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!("metrics listener stopped: {e}");
        }
    });
    Ok(())
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only for a person watching a terminal, never in a log file or journal.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).with_ansi(ansi).try_init();
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
