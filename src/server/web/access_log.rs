//! The access log, when `access-log` is on: one line per request on the target
//! `backroad::access` with the method, the path without its query (queries may hold search
//! words), the status, the time to the answer's head and the client address key. No
//! cookies, no bodies.

use crate::server::state::AppState;
use crate::server::web::client::client_key_of;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// Longest path written to the log, in characters.
const PATH_SHOWN: usize = 200;

/// The layer `web::startup` adds when `access-log` is on.
pub async fn access_log(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path: String = request.uri().path().chars().take(PATH_SHOWN).collect();
    let client = client_key_of(request.headers(), request.extensions(), &app.trusted_proxies);
    let response = next.run(request).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(
        target: "backroad::access",
        method = %method,
        path = %path.escape_debug(),
        status = response.status().as_u16(),
        ms = format!("{ms:.1}"),
        client,
        "request"
    );
    response
}
