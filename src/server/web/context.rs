//! Glue between Leptos' per-request context and our server code: the app state, the
//! caller's cookie, and headers to add to the response.

use crate::components::RenderMode;
use crate::error::AppError;
use crate::server::identity::{
    clear_cookie, clear_plain_cookie, cookie_value, token_from_cookies, token_under_plain_name, Token,
};
use crate::server::services::accounts::{Credentials, SignedIn};
use crate::server::services::caller::Caller;
use crate::server::state::AppState;
use crate::server::web::security::page_policy;
use crate::theme::ThemeChoice;
use http::header::{CONTENT_SECURITY_POLICY, COOKIE, SET_COOKIE};
use http::request::Parts;
use http::HeaderValue;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::ResponseOptions;

/// The state of the app serving this request.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("request context", "AppState is not provided"))
}

/// The identity token the caller's browser sent, if any well-formed one.
pub fn caller_token() -> Option<Token> {
    let parts = use_context::<Parts>()?;
    token_from_cookies(parts.headers.get_all(COOKIE))
}

/// The app state and who is asking (from their cookie). An anonymous identity seen for the
/// first time today gets its cookie back, so the browser keeps it 400 days from now; on an
/// https site, a token that came under the plain-http name moves to the `__Host-` one.
pub async fn state_and_caller() -> Result<(AppState, Caller), AppError> {
    let state = app_state()?;
    let caller = Caller::from_token(&state, caller_token()).await?;
    if let Some(parts) = use_context::<Parts>() {
        for cookie in cookies_to_refresh(&state, &caller, &parts.headers) {
            append_set_cookie(&cookie)?;
        }
    }
    Ok((state, caller))
}

/// The `Set-Cookie` values a known caller's browser should get back whatever the answer:
/// their token again when its lifetime starts over (`Identity::renew_cookie`) or when, on
/// an https site, it came under the plain-http name (then that one is removed).
pub fn cookies_to_refresh(state: &AppState, caller: &Caller, headers: &http::HeaderMap) -> Vec<String> {
    let (Caller::Known(known), Some(token)) = (caller, token_from_cookies(headers.get_all(COOKIE))) else {
        return Vec::new();
    };
    let plain = state.secure_cookies && token_under_plain_name(headers.get_all(COOKIE));
    let mut out = Vec::new();
    if plain || known.renew_cookie {
        out.push(match known.session {
            Some(_) => token.set_session_cookie(state.secure_cookies),
            None => token.set_cookie(state.secure_cookies),
        });
    }
    if plain {
        out.push(clear_plain_cookie());
    }
    out
}

/// The key the caller's network address is counted under, for rate limits (`unknown` when
/// the server was not started with connection info, as in tests). IPv6 counts by /64; behind
/// a trusted proxy, the client it names (`web::client`).
pub fn caller_address() -> String {
    let proxies = use_context::<AppState>().map(|s| s.trusted_proxies.clone()).unwrap_or_default();
    use_context::<Parts>()
        .map(|p| crate::server::web::client::client_key_of(&p.headers, &p.extensions, &proxies))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// What a request says about the browser signing up or in.
pub struct Browser {
    /// Its address, as limits count it (`caller_address`).
    pub client: String,
    /// Its device label (`caller_device`).
    pub device: String,
    /// Its known-device cookie, if it sent one.
    pub known_device: Option<String>,
}

impl Browser {
    /// A username and password as typed, from this browser.
    pub fn credentials<'a>(&'a self, username: &'a str, password: &'a str) -> Credentials<'a> {
        Credentials {
            client: &self.client,
            username,
            password,
            device: &self.device,
            known_device: self.known_device.as_deref(),
        }
    }
}

/// The browser of this request.
pub fn browser() -> Browser {
    Browser { client: caller_address(), device: caller_device(), known_device: known_device_cookie() }
}

/// Hands a browser that signed up or in its session and its known-device cookie.
pub fn send_signed_in_cookies(done: &SignedIn, secure: bool) -> Result<(), AppError> {
    send_session_cookie(&done.token, secure)?;
    send_known_device_cookie(&done.device_cookie, secure)
}

/// The caller's device as a short label ("Firefox on Linux"), from its `User-Agent`.
fn caller_device() -> String {
    let agent = use_context::<Parts>()
        .and_then(|p| p.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned));
    crate::roadmap::device::label(agent.as_deref().unwrap_or_default())
}

/// Hands a signed-in session to the caller's browser (replacing any identity it had).
pub fn send_session_cookie(token: &Token, secure: bool) -> Result<(), AppError> {
    append_set_cookie(&token.set_session_cookie(secure))
}

/// Makes the caller's browser forget its identity (under both names on an https site).
pub fn send_clear_cookie(secure: bool) -> Result<(), AppError> {
    if secure {
        append_set_cookie(&clear_plain_cookie())?;
    }
    append_set_cookie(&clear_cookie(secure))
}

/// Hands a new identity to the caller's browser.
pub fn send_identity_cookie(token: &Token, secure: bool) -> Result<(), AppError> {
    append_set_cookie(&token.set_cookie(secure))
}

/// Adds a `Set-Cookie` header to this request's response.
fn append_set_cookie(cookie: &str) -> Result<(), AppError> {
    let response = use_context::<ResponseOptions>()
        .ok_or_else(|| AppError::internal("request context", "ResponseOptions is not provided"))?;
    let value = HeaderValue::from_str(cookie).map_err(|e| AppError::internal("set-cookie", e))?;
    response.append_header(SET_COOKIE, value);
    Ok(())
}

/// The cookie that marks a browser as one that signed in to an account before
/// (`services::known_devices`), `__Host-` prefixed on an https site.
const KNOWN_DEVICE_COOKIE: &str = "backroad_device";
const SECURE_KNOWN_DEVICE_COOKIE: &str = "__Host-backroad_device";

/// The caller's known-device cookie, if any.
fn known_device_cookie() -> Option<String> {
    let parts = use_context::<Parts>()?;
    [SECURE_KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_COOKIE]
        .iter()
        .find_map(|name| cookie_value(parts.headers.get_all(COOKIE), name).map(str::to_owned))
}

/// Marks this browser as one that signed in (400 days; only sent with requests from this site).
fn send_known_device_cookie(value: &str, secure: bool) -> Result<(), AppError> {
    let (name, secure) = if secure { (SECURE_KNOWN_DEVICE_COOKIE, "; Secure") } else { (KNOWN_DEVICE_COOKIE, "") };
    let max_age = crate::server::identity::COOKIE_MAX_AGE_SECS;
    append_set_cookie(&format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"))
}

/// The theme cookie's name; the value is one of `crate::theme::THEMES`. On an https site it
/// is `__Host-` prefixed, as the identity cookie is.
pub const THEME_COOKIE: &str = "backroad_theme";
const SECURE_THEME_COOKIE: &str = "__Host-backroad_theme";

/// The theme a request's cookie names, or `system`.
pub fn theme_in(headers: &http::HeaderMap) -> &'static str {
    [SECURE_THEME_COOKIE, THEME_COOKIE]
        .iter()
        .find_map(|name| cookie_value(headers.get_all(COOKIE), name).and_then(crate::theme::parse_theme))
        .unwrap_or("system")
}

/// Remembers the theme in the caller's browser for a year.
pub fn send_theme_cookie(theme: &str, secure: bool) -> Result<(), AppError> {
    let (name, secure) = if secure { (SECURE_THEME_COOKIE, "; Secure") } else { (THEME_COOKIE, "") };
    append_set_cookie(&format!("{name}={theme}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}"))
}

/// Marks the request `server::web::pages` hands Leptos to render a page as a template:
/// status-dependent values come out as slot markers.
#[derive(Debug, Clone, Copy)]
pub struct TemplateRender;

/// What every page render gets from the request, before any component runs: how to render
/// (`RenderMode`: a template when `pages` asks for one), the theme, and the page's
/// policy, which names the nonce Leptos gave this render's inline scripts (so the header is
/// known when the page is built; no one reads the body for it).
pub fn page_context() {
    let Some(parts) = use_context::<Parts>() else { return };
    if parts.extensions.get::<TemplateRender>().is_some() {
        provide_context(RenderMode::Template);
    }
    provide_context(ThemeChoice(theme_in(&parts.headers)));
    if let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<ResponseOptions>()) {
        if let Ok(policy) = HeaderValue::from_str(&page_policy(Some(&nonce))) {
            response.insert_header(CONTENT_SECURITY_POLICY, policy);
        }
    }
}
