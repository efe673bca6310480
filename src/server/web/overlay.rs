//! Roadmap pages for visitors with a cookie, filled in from a template instead of rendered
//! from scratch. The page is rendered once per roadmap and theme with every status-dependent
//! value as a slot marker (`roadmap::personal::Slot`); each request then only works out the
//! learner's values (`Personal`) and copies the template with them in place. The components
//! take those same values from the same functions, so the result reads exactly like a full
//! render (tests/overlay.rs compares the two byte for byte). The page carries no other
//! per-learner data: its island reads the statuses from the page itself.

use crate::error::AppError;
use crate::roadmap::personal::{Personal, Slot, CLOSE, OPEN};
use crate::server::web::context::{theme_in, TemplateRender, THEME_COOKIE};

use crate::server::services::caller::{find_roadmap, Caller};
use crate::server::services::progress::progress;
use crate::server::state::AppState;
use crate::server::web::page_cache::{inline_script_hashes, is_plain_page, MAX_PAGE_BYTES};
use crate::server::web::security::{error_response, hashed_page_policy};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_SECURITY_POLICY, COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, RwLock};

/// A piece of a template: its own bytes or a slot.
#[derive(Debug, PartialEq)]
enum Piece {
    Text(Range<usize>),
    Slot(Slot),
}

/// A roadmap page rendered with slot markers, cut into pieces.
#[derive(Debug)]
pub struct Template {
    html: String,
    pieces: Vec<Piece>,
    headers: HeaderMap,
}

impl Template {
    /// Cuts a rendered template into pieces.
    pub fn parse(html: String, headers: HeaderMap) -> Result<Self, String> {
        let mut pieces = Vec::new();
        let mut at = 0;
        let push_text = |pieces: &mut Vec<Piece>, range: Range<usize>| {
            if !range.is_empty() {
                pieces.push(Piece::Text(range));
            }
        };
        while let Some(open) = html[at..].find(OPEN).map(|i| i + at) {
            let code_at = open + OPEN.len_utf8();
            let close = html[code_at..].find(CLOSE).map(|i| i + code_at).ok_or("a slot marker is not closed")?;
            let code = &html[code_at..close];
            let slot = Slot::parse(code).ok_or_else(|| format!("unknown slot marker {code:?}"))?;
            push_text(&mut pieces, at..open);
            pieces.push(Piece::Slot(slot));
            at = close + CLOSE.len_utf8();
        }
        push_text(&mut pieces, at..html.len());
        if pieces.iter().any(|p| matches!(p, Piece::Text(r) if html[r.clone()].contains(CLOSE))) {
            return Err("a slot marker is not opened".into());
        }
        Ok(Template { html, pieces, headers })
    }

    /// The page for one learner.
    pub fn fill(&self, personal: &Personal) -> String {
        let mut out = String::with_capacity(self.html.len() + 4096);
        for piece in &self.pieces {
            match piece {
                Piece::Text(range) => out.push_str(&self.html[range.clone()]),
                Piece::Slot(slot) => out.push_str(&personal.value(slot)),
            }
        }
        out
    }

    /// How many slots the template has (for tests and logs).
    pub fn slots(&self) -> usize {
        self.pieces.iter().filter(|p| matches!(p, Piece::Slot(_))).count()
    }
}

/// A template's key: roadmap id and theme.
type Key = (String, &'static str);

/// The templates, by roadmap and theme. `None`: what was rendered did not make a template,
/// so such pages are rendered in full.
#[derive(Clone)]
pub struct Overlay {
    app: AppState,
    enabled: bool,
    templates: Arc<RwLock<HashMap<Key, Option<Arc<Template>>>>>,
    /// One template render at a time; visitors arriving meanwhile wait for it.
    making: Arc<tokio::sync::Mutex<()>>,
}

impl Overlay {
    /// `enabled = false` renders every page in full (tests compare the two).
    pub fn new(app: AppState, enabled: bool) -> Self {
        Overlay { app, enabled, templates: Arc::default(), making: Arc::default() }
    }

    fn template(&self, key: &Key) -> Option<Option<Arc<Template>>> {
        self.templates.read().ok().and_then(|t| t.get(key).cloned())
    }

    fn keep(&self, key: Key, template: Option<Arc<Template>>) {
        if let Ok(mut templates) = self.templates.write() {
            templates.insert(key, template);
        }
    }
}

/// The roadmap id of a request the overlay answers: a GET of `/roadmaps/{id}` (no topic, no
/// query) with a cookie. Pages without cookies are kept whole (`page_cache`).
fn roadmap_of(request: &Request) -> Option<String> {
    let id = request.uri().path().strip_prefix("/roadmaps/")?;
    let plain = request.method() == Method::GET && request.uri().query().is_none();
    (plain && !id.is_empty() && !id.contains('/') && request.headers().contains_key(COOKIE)).then(|| id.to_owned())
}

/// Middleware: answers roadmap pages for visitors with a cookie from the template.
pub async fn personal_pages(State(overlay): State<Overlay>, request: Request, next: Next) -> Response {
    let Some(roadmap) = roadmap_of(&request).filter(|_| overlay.enabled) else {
        return next.run(request).await;
    };
    let app = &overlay.app;
    // Anything unusual (an unknown roadmap, a store failure) is left to the full render,
    // which answers it with the right page and status.
    let Ok(found) = find_roadmap(app, &roadmap) else { return next.run(request).await };
    let Some(view) = app.catalog.view(found.id.as_str()) else { return next.run(request).await };
    let Ok(caller) = Caller::from_headers(app, request.headers()).await else { return next.run(request).await };
    let Ok(summary) = progress(app, &caller, &roadmap).await else { return next.run(request).await };
    let key = (roadmap.clone(), theme_in(request.headers()));
    let template = match overlay.template(&key) {
        Some(Some(template)) => template,
        Some(None) => return next.run(request).await,
        None => {
            let _making = overlay.making.lock().await;
            match overlay.template(&key) {
                Some(Some(template)) => template,
                Some(None) => return next.run(request).await,
                None => match make_template(found, key.1, request, next).await {
                    Ok(template) => {
                        let template = Arc::new(template);
                        overlay.keep(key, Some(template.clone()));
                        template
                    }
                    Err(failure) => {
                        match failure {
                            // A template that does not add up will not the next time either.
                            NoTemplate::Broken(e) => {
                                tracing::error!("the {roadmap} page template is unusable; rendering in full: {e}");
                                overlay.keep(key, None);
                            }
                            NoTemplate::NotNow(e) => tracing::warn!("no {roadmap} page template this time: {e}"),
                        }
                        return error_response(AppError::Unavailable(
                            "This page could not be prepared just now. Reload it to try again.".into(),
                        ));
                    }
                },
            }
        }
    };
    let personal = Personal::of(view, summary);
    crate::server::metrics::page_hit("template");
    answer(&template.headers, template.fill(&personal))
}

/// Why no template came out: this time only (the render failed, e.g. storage is down), or
/// for good (what was rendered does not make a template).
enum NoTemplate {
    NotNow(String),
    Broken(String),
}

/// Renders the page as a template: the same request without the caller's identity (their
/// theme stays), marked so the components write slot markers.
async fn make_template(
    roadmap: &crate::roadmap::content::Roadmap,
    theme: &'static str,
    request: Request,
    next: Next,
) -> Result<Template, NoTemplate> {
    let (mut parts, _) = request.into_parts();
    parts.headers.remove(COOKIE);
    if theme != "system" {
        let cookie =
            HeaderValue::from_str(&format!("{THEME_COOKIE}={theme}")).map_err(|e| NoTemplate::Broken(e.to_string()))?;
        parts.headers.insert(COOKIE, cookie);
    }
    parts.extensions.insert(TemplateRender);
    let response = next.run(Request::from_parts(parts, Body::empty())).await;
    if !is_plain_page(&response) {
        return Err(NoTemplate::NotNow(format!("the template render answered {}", response.status())));
    }
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_PAGE_BYTES).await.map_err(|e| NoTemplate::NotNow(e.to_string()))?;
    let html = String::from_utf8(bytes.to_vec()).map_err(|e| NoTemplate::Broken(e.to_string()))?;
    let mut headers = parts.headers;
    headers.remove(CONTENT_LENGTH);
    // The inline scripts are the same in every filled page: a policy allowing exactly them
    // (by their hashes; one nonce for every answer would stand for nothing).
    let policy = hashed_page_policy(&inline_script_hashes(html.as_bytes()));
    headers.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&policy).map_err(|e| NoTemplate::Broken(e.to_string()))?,
    );
    let template = Template::parse(html, headers).map_err(NoTemplate::Broken)?;
    tracing::debug!("page template for {} ({theme}): {} slots", roadmap.id, template.slots());
    Ok(template)
}

/// The filled page, with the template's headers.
fn answer(headers: &HeaderMap, html: String) -> Response {
    let mut response = Response::new(Body::from(html));
    *response.headers_mut() = headers.clone();
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::views::RoadmapView;
    use crate::roadmap::{ProgressSummary, Status};

    fn summary(statuses: &[(&str, Status)]) -> ProgressSummary {
        ProgressSummary::from_statuses(
            "r",
            statuses.iter().map(|(t, s)| (std::sync::Arc::from(*t), *s)).collect::<std::collections::BTreeMap<_, _>>(),
        )
    }

    fn page() -> String {
        format!(
            r#"<a data-status="{}">{}<!></a><script>x()</script><p>{}</p>"#,
            Slot::Status("a".into()).marker(),
            Slot::Label("a".into()).marker(),
            Slot::Percent.marker(),
        )
    }

    #[test]
    fn a_template_is_filled_with_the_learners_values() {
        let template = Template::parse(page(), HeaderMap::new()).expect("template");
        assert_eq!(template.slots(), 3);
        let view = RoadmapView { id: "r".into(), title: "R".into(), description: String::new(), sections: vec![] };
        let filled = template.fill(&Personal::of(&view, summary(&[("a", Status::Done)])));
        assert_eq!(filled, r#"<a data-status="done">done<!></a><script>x()</script><p>100</p>"#);
        assert!(!filled.contains(OPEN) && !filled.contains(CLOSE));
    }

    #[test]
    fn templates_that_do_not_add_up_are_refused() {
        let unknown = page().replace("s a", "z a");
        assert!(Template::parse(unknown, HeaderMap::new()).is_err());
        let unclosed = format!("{}<p>{OPEN}s a</p>", page());
        assert!(Template::parse(unclosed, HeaderMap::new()).is_err());
        let unopened = format!("{}<p>s a{CLOSE}</p>", page());
        assert!(Template::parse(unopened, HeaderMap::new()).is_err());
    }
}
