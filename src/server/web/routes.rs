//! Plain axum routes beside the Leptos ones: the share badge and the export download. Both
//! are GET and read-only.

use crate::roadmap::share::badge_svg;
use crate::roadmap::transfer::format_rfc3339;
use crate::server::services::caller::{now_ms, Caller};
use crate::server::services::{sharing, transfer};
use crate::server::state::AppState;
use crate::server::web::security::error_response;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};

#[derive(serde::Deserialize)]
pub struct BadgeQuery {
    theme: Option<String>,
}

/// `GET /s/{code}/badge.svg[?theme=dark]`: the roadmap's name and the owner's percent, for
/// README files. Cached for five minutes.
pub async fn badge(State(state): State<AppState>, Path(code): Path<String>, query: Query<BadgeQuery>) -> Response {
    let shared = match sharing::open(&state, &code).await {
        Ok(s) => s,
        Err(e) => return error_response(e),
    };
    let title = state.catalog.roadmap(shared.roadmap.as_str()).map_or_else(String::new, |r| r.title.to_lowercase());
    let dark = query.theme.as_deref() == Some("dark");
    let svg = badge_svg(&format!("{title} roadmap"), shared.summary.percent, dark);
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static("image/svg+xml; charset=utf-8")),
            (CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
        ],
        svg,
    )
        .into_response()
}

/// Who is asking, for plain routes: the same resolution server functions get through
/// `context::state_and_caller` (one function, `Caller::from_headers`).
pub struct Asking(pub Caller);

impl axum::extract::FromRequestParts<AppState> for Asking {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut http::request::Parts, state: &AppState) -> Result<Self, Response> {
        Caller::from_headers(state, &parts.headers).await.map(Asking).map_err(error_response)
    }
}

/// `GET /account/export.json`: the caller's export as a file to save.
pub async fn export_download(State(state): State<AppState>, Asking(caller): Asking) -> Response {
    let exported = transfer::export(&state, &caller).await;
    let doc = match exported {
        Ok(doc) => doc,
        Err(e) => return error_response(e),
    };
    let body = match serde_json::to_string_pretty(&doc) {
        Ok(b) => b,
        Err(e) => return error_response(crate::error::AppError::internal("export", e)),
    };
    let day = &format_rfc3339(now_ms())[..10];
    let disposition = format!("attachment; filename=\"backroad-progress-{day}.json\"");
    let mut response = ([(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, "no-store")], body).into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(CONTENT_DISPOSITION, value);
    }
    response
}
