//! `AppError`: the one error type shared by server functions, pages and the browser.
//!
//! On the wire it is `{"error": "<a sentence a person can act on>", "status": 400}` (plus
//! `request_id` for internal failures). Internal causes are logged on the server and never
//! sent to the client.

use http::StatusCode;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(into = "WireError", from = "WireError")]
pub enum AppError {
    /// The request was wrong; the message says how to fix it.
    #[error("{0}")]
    BadRequest(String),
    /// The caller must sign in, or gave the wrong password.
    #[error("{0}")]
    Unauthorized(String),
    /// The request came from another site, or may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The request clashes with what exists (a taken username).
    #[error("{0}")]
    Conflict(String),
    /// The request body is larger than this endpoint accepts.
    #[error("{0}")]
    TooLarge(String),
    /// The request names a host this server does not answer for.
    #[error("{0}")]
    Misdirected(String),
    /// The address (path and query) is longer than the server reads.
    #[error("{0}")]
    UriTooLong(String),
    /// The request did not arrive in time (a body sent too slowly).
    #[error("{0}")]
    TimedOut(String),
    /// Too many attempts; try again after `retry_after` seconds.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    /// The thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The server is too busy for this right now; try again after `retry_after` seconds.
    #[error("{message}")]
    Busy { message: String, retry_after: u64 },
    /// Storage is unavailable right now; trying again later may work.
    #[error("{0}")]
    Unavailable(String),
    /// Something failed on our side; details are in the server log under this id.
    #[error(
        "Something went wrong on our side. Please try again; if it keeps happening, report request id {request_id}."
    )]
    Internal { request_id: String },
    /// The browser could not reach the server or read its answer.
    #[error("Could not reach the server. Check your connection and try again.")]
    Network,
}

impl AppError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        AppError::BadRequest(message.into())
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::NotFound(message.into())
    }

    /// Logs an internal failure with a fresh request id and returns the error to send, which
    /// carries only that id.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, cause: impl std::fmt::Display) -> Self {
        let request_id = crate::server::identity::random_hex(8);
        tracing::error!(%request_id, "{context}: {cause}");
        AppError::Internal { request_id }
    }

    /// Logs a storage failure with a fresh request id and returns a 503 that says to retry.
    /// The process stays up; the next request tries the store again.
    #[cfg(feature = "ssr")]
    pub fn storage(context: &str, cause: impl std::fmt::Display) -> Self {
        let request_id = crate::server::identity::random_hex(8);
        tracing::error!(%request_id, "storage failed while {context}: {cause}");
        AppError::Unavailable(format!(
            "Storage is not answering right now, so nothing was changed. Try again in a minute; if it keeps \
             happening, report request id {request_id}."
        ))
    }

    /// Logs a write that reached the store but could not be made durable, and returns a 503
    /// that says so: the change may still be kept, or lost.
    #[cfg(feature = "ssr")]
    pub fn not_durable(context: &str, cause: impl std::fmt::Display) -> Self {
        let request_id = crate::server::identity::random_hex(8);
        tracing::error!(%request_id, "storage could not make a write durable while {context}: {cause}");
        AppError::Unavailable(format!(
            "Your change reached the server but could not be saved to disk, so it may not be kept. Reload the \
             page to see what was kept and try again in a minute; if it keeps happening, report request id \
             {request_id}."
        ))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TimedOut(_) => StatusCode::REQUEST_TIMEOUT,
            AppError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            AppError::Misdirected(_) => StatusCode::MISDIRECTED_REQUEST,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Network => StatusCode::BAD_GATEWAY,
        }
    }
}

/// The JSON form of an error.
#[derive(Serialize, Deserialize)]
struct WireError {
    error: String,
    status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    /// Seconds to wait, for 429 answers (also sent as `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retry_after: Option<u64>,
}

impl From<AppError> for WireError {
    fn from(e: AppError) -> Self {
        let request_id = match &e {
            AppError::Internal { request_id } => Some(request_id.clone()),
            _ => None,
        };
        let retry_after = match &e {
            AppError::TooManyRequests { retry_after, .. } | AppError::Busy { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        WireError { error: e.to_string(), status: e.status().as_u16(), request_id, retry_after }
    }
}

impl From<WireError> for AppError {
    fn from(w: WireError) -> Self {
        match (w.status, w.request_id) {
            (_, Some(request_id)) => AppError::Internal { request_id },
            (400, _) => AppError::BadRequest(w.error),
            (401, _) => AppError::Unauthorized(w.error),
            (403, _) => AppError::Forbidden(w.error),
            (409, _) => AppError::Conflict(w.error),
            (413, _) => AppError::TooLarge(w.error),
            (408, _) => AppError::TimedOut(w.error),
            (414, _) => AppError::UriTooLong(w.error),
            (421, _) => AppError::Misdirected(w.error),
            (429, _) => AppError::TooManyRequests { message: w.error, retry_after: w.retry_after.unwrap_or(60) },
            (404, _) => AppError::NotFound(w.error),
            (503, _) => match w.retry_after {
                Some(retry_after) => AppError::Busy { message: w.error, retry_after },
                None => AppError::Unavailable(w.error),
            },
            (502, _) => AppError::Network,
            _ => AppError::Internal { request_id: "unknown".into() },
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request's fields could not be read: the caller's mistake.
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => AppError::BadRequest(format!(
                "The request's fields could not be read ({}). Send them form-encoded, each once.",
                shorten(&detail)
            )),
            // On the server these come from reading the request's body; in the browser, from
            // reaching the server or reading its answer.
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) | ServerFnErrorErr::Deserialization(_) => {
                if cfg!(feature = "ssr") {
                    AppError::bad_request(
                        "The request body could not be read. It may be too large: send a short form-encoded body.",
                    )
                } else {
                    AppError::Network
                }
            }
            other => {
                #[cfg(feature = "ssr")]
                {
                    AppError::internal("server function failed", other)
                }
                #[cfg(not(feature = "ssr"))]
                {
                    let _ = other;
                    AppError::Internal { request_id: "unknown".into() }
                }
            }
        }
    }
}

/// Keeps a decoder's message short enough to read.
fn shorten(detail: &str) -> String {
    const MAX: usize = 160;
    match detail.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &detail[..cut]),
        None => detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_error_sentence_and_status() {
        let v = serde_json::to_value(AppError::bad_request("Pick a status.")).unwrap();
        assert_eq!(v, serde_json::json!({"error": "Pick a status.", "status": 400}));
        let v = serde_json::to_value(AppError::Internal { request_id: "ab12".into() }).unwrap();
        assert_eq!(v["status"], 500);
        assert_eq!(v["request_id"], "ab12");
        assert!(v["error"].as_str().unwrap().contains("ab12"));
    }

    #[test]
    fn json_round_trips() {
        for e in [
            AppError::bad_request("x"),
            AppError::not_found("y"),
            AppError::Unauthorized("u".into()),
            AppError::Forbidden("f".into()),
            AppError::Conflict("c".into()),
            AppError::TooLarge("t".into()),
            AppError::TooManyRequests { message: "m".into(), retry_after: 42 },
            AppError::Unavailable("z".into()),
            AppError::Internal { request_id: "id".into() },
            AppError::Network,
        ] {
            let back: AppError = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
            assert_eq!(back, e);
        }
    }

    #[test]
    fn argument_errors_are_bad_requests_with_a_short_message() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field `status`".into()));
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert!(e.to_string().contains("missing field `status`"));
        let long = AppError::from_server_fn_error(ServerFnErrorErr::Args("x".repeat(10_000)));
        assert!(long.to_string().len() < 400);
    }
}
