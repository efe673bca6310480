//! Roadmap pages for visitors with a cookie, filled in from a template instead of rendered
//! from scratch. The page is rendered once per roadmap and theme with every status-dependent
//! value as a slot marker (`roadmap::personal::Slot`); each request then only works out the
//! learner's values (`Personal`) and copies the template with them in place, plus their
//! progress as the page's hydration data. The components take those same values from the
//! same functions, so the result reads exactly like a full render (tests/overlay.rs compares
//! the two byte for byte).

use crate::error::AppError;
use crate::roadmap::personal::{Personal, Slot, CLOSE, OPEN};
use crate::roadmap::ProgressSummary;
use crate::server::context::{theme_in, TemplateRender, THEME_COOKIE};
use crate::server::identity::token_from_cookies;
use crate::server::page_cache::{inline_script_hashes, is_plain_page, MAX_PAGE_BYTES};
use crate::server::progress::{find_roadmap, identify, progress};
use crate::server::security::{error_response, hashed_page_policy};
use crate::server::state::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_SECURITY_POLICY, COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, RwLock};

/// A piece of a template: its own bytes, a slot, or the learner's progress data.
#[derive(Debug, PartialEq)]
enum Piece {
    Text(Range<usize>),
    Slot(Slot),
    Progress,
}

/// A roadmap page rendered with slot markers, cut into pieces.
#[derive(Debug)]
pub struct Template {
    html: String,
    pieces: Vec<Piece>,
    headers: HeaderMap,
}

/// How Leptos writes a resource's value into the page: its JSON as a JavaScript string.
fn resource_literal(summary: &ProgressSummary) -> Result<String, serde_json::Error> {
    let json = serde_json::to_string(&Ok::<&ProgressSummary, AppError>(summary))?;
    Ok(format!("{:?}", json.replace('<', "\\u003c")))
}

impl Template {
    /// Cuts a rendered template into pieces. `anonymous` is the progress the template was
    /// rendered with; its hydration data must appear exactly once.
    pub fn parse(html: String, headers: HeaderMap, anonymous: &ProgressSummary) -> Result<Self, String> {
        let data = resource_literal(anonymous).map_err(|e| e.to_string())?;
        let mut found = html.match_indices(&data);
        let data_at = match (found.next(), found.next()) {
            (Some((at, _)), None) => at,
            (None, _) => return Err("the template holds no progress data".into()),
            (Some(_), Some(_)) => return Err("the template holds its progress data twice".into()),
        };
        let mut pieces = Vec::new();
        let mut at = 0;
        let push_text = |pieces: &mut Vec<Piece>, range: Range<usize>| {
            if !range.is_empty() {
                pieces.push(Piece::Text(range));
            }
        };
        while let Some(open) = html[at..].find(OPEN).map(|i| i + at) {
            if (at..open).contains(&data_at) {
                push_text(&mut pieces, at..data_at);
                pieces.push(Piece::Progress);
                at = data_at + data.len();
                continue;
            }
            let code_at = open + OPEN.len_utf8();
            let close = html[code_at..].find(CLOSE).map(|i| i + code_at).ok_or("a slot marker is not closed")?;
            let code = &html[code_at..close];
            let slot = Slot::parse(code).ok_or_else(|| format!("unknown slot marker {code:?}"))?;
            push_text(&mut pieces, at..open);
            pieces.push(Piece::Slot(slot));
            at = close + CLOSE.len_utf8();
        }
        if at <= data_at {
            push_text(&mut pieces, at..data_at);
            pieces.push(Piece::Progress);
            at = data_at + data.len();
        }
        push_text(&mut pieces, at..html.len());
        if pieces.iter().any(|p| matches!(p, Piece::Text(r) if html[r.clone()].contains(CLOSE))) {
            return Err("a slot marker is not opened".into());
        }
        Ok(Template { html, pieces, headers })
    }

    /// The page for one learner.
    pub fn fill(&self, personal: &Personal) -> Result<String, String> {
        let data = resource_literal(&personal.summary).map_err(|e| e.to_string())?;
        let mut out = String::with_capacity(self.html.len() + data.len());
        for piece in &self.pieces {
            match piece {
                Piece::Text(range) => out.push_str(&self.html[range.clone()]),
                Piece::Slot(slot) => out.push_str(&personal.value(slot)),
                Piece::Progress => out.push_str(&data),
            }
        }
        Ok(out)
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
    let caller = identify(app, token_from_cookies(request.headers().get_all(COOKIE)));
    let Ok(summary) = caller.and_then(|caller| progress(app, &caller, &roadmap)) else {
        return next.run(request).await;
    };
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
    match template.fill(&personal) {
        Ok(html) => answer(&template.headers, html),
        Err(e) => error_response(AppError::internal("filling a page template", e)),
    }
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
    let template =
        Template::parse(html, headers, &ProgressSummary::compute(roadmap, [])).map_err(NoTemplate::Broken)?;
    tracing::debug!("page template for {} ({theme}): {} slots", roadmap.id, template.slots());
    Ok(template)
}

/// The filled page, with a policy allowing exactly its inline scripts (the progress data
/// differs per learner, so the hashes are worked out per answer).
fn answer(headers: &HeaderMap, html: String) -> Response {
    let policy = hashed_page_policy(&inline_script_hashes(html.as_bytes()));
    let mut response = Response::new(Body::from(html));
    *response.headers_mut() = headers.clone();
    match HeaderValue::from_str(&policy) {
        Ok(value) => {
            response.headers_mut().insert(CONTENT_SECURITY_POLICY, value);
        }
        Err(e) => return error_response(AppError::internal("a page policy", e)),
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::views::RoadmapView;
    use crate::roadmap::Status;

    fn summary(statuses: &[(&str, Status)]) -> ProgressSummary {
        ProgressSummary::from_statuses("r", statuses.iter().map(|(t, s)| (std::sync::Arc::from(*t), *s)).collect())
    }

    fn page(anonymous: &ProgressSummary) -> String {
        format!(
            r#"<a data-status="{}">{}<!></a><script>__RESOLVED_RESOURCES[1] = {};</script><p>{}</p>"#,
            Slot::Status("a".into()).marker(),
            Slot::Label("a".into()).marker(),
            resource_literal(anonymous).expect("json"),
            Slot::Percent.marker(),
        )
    }

    #[test]
    fn a_template_is_filled_with_the_learners_values_and_data() {
        let anonymous = summary(&[("a", Status::None)]);
        let template = Template::parse(page(&anonymous), HeaderMap::new(), &anonymous).expect("template");
        assert_eq!(template.slots(), 3);
        let view = RoadmapView { id: "r".into(), title: "R".into(), description: String::new(), sections: vec![] };
        let learner = summary(&[("a", Status::Done)]);
        let filled = template.fill(&Personal::of(&view, learner.clone())).expect("filled");
        assert_eq!(
            filled,
            format!(
                r#"<a data-status="done">done<!></a><script>__RESOLVED_RESOURCES[1] = {};</script><p>100</p>"#,
                resource_literal(&learner).expect("json")
            )
        );
        assert!(!filled.contains(OPEN) && !filled.contains(CLOSE));
    }

    #[test]
    fn templates_that_do_not_add_up_are_refused() {
        let anonymous = summary(&[("a", Status::None)]);
        let no_data = format!("<p>{}</p>", Slot::Percent.marker());
        assert!(Template::parse(no_data, HeaderMap::new(), &anonymous).is_err());
        let twice = format!("{}{}", page(&anonymous), page(&anonymous));
        assert!(Template::parse(twice, HeaderMap::new(), &anonymous).is_err());
        let unknown = page(&anonymous).replace("s a", "z a");
        assert!(Template::parse(unknown, HeaderMap::new(), &anonymous).is_err());
        let unclosed = format!("{}<p>{OPEN}s a</p>", page(&anonymous));
        assert!(Template::parse(unclosed, HeaderMap::new(), &anonymous).is_err());
    }

    #[test]
    fn the_hydration_data_is_a_javascript_string_without_a_closing_script_tag() {
        let mut anonymous = summary(&[("a", Status::None)]);
        anonymous.roadmap = "</script>".into();
        let literal = resource_literal(&anonymous).expect("json");
        assert!(literal.starts_with('"') && literal.ends_with('"'));
        assert!(!literal.contains("</script>"), "{literal}");
    }
}
