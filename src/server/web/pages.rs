//! The pages people read: home, roadmap (with a topic's panel open or not, any search and
//! filter) and shared progress. Each is rendered once per canonical address and theme
//! (`key`) as a template whose learner-dependent values are slot markers (the route asks for
//! it: `RenderMode::Template`, no request goes back through the middleware), then kept
//! (`kept`) with:
//! - the page for visitors without progress, compressed once in every encoding;
//! - its topic panel alone, for panels opened in place;
//! - the template, filled in per learner (`template`); a learner's filled page is kept too,
//!   by their statuses, so their next visit is bytes already compressed.
//!
//! Anything else (an unknown roadmap or topic, a store that does not answer) is rendered in
//! full for that request and never kept. One size limit (`MAX_PAGE_BYTES`) and one byte
//! budget per store hold for all of it.

mod kept;
mod key;
mod learner;
mod template;

pub use kept::{inline_script_hashes, preferred, Bounded, Encoded, Encoding};
pub use key::{asked, Asked, PageKey, PageKind, MAX_SEARCH_CHARS};
use learner::{learner_for, Learner};
pub use template::{panel_of, Template};

use crate::error::AppError;
use crate::roadmap::personal::Personal;
use crate::roadmap::ProgressSummary;
use crate::server::state::AppState;
use crate::server::web::context::{TemplateRender, THEME_COOKIE};
use crate::server::web::security::error_response;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, RwLock};
use tower::Layer;
use tower_http::compression::CompressionLayer;

/// The largest page rendered for keeping (pages are ~0.15 MB).
pub const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// Bytes kept for templates and the pages made from them for visitors without progress.
const TEMPLATES_BUDGET: usize = 192 * 1024 * 1024;
/// Bytes kept for pages with a search (any typed text makes a new one): a junk search per
/// request cannot push out the pages everyone reads.
const SEARCHED_BUDGET: usize = 32 * 1024 * 1024;
/// Bytes kept for learners' filled-in pages.
const LEARNERS_BUDGET: usize = 64 * 1024 * 1024;
/// Bytes of searched addresses remembered as asked for once (`Inner::seen_searches`).
const SEEN_SEARCHES_BUDGET: usize = 2 * 1024 * 1024;

/// Renders the app for one request (Leptos, with the app's context).
pub type RenderFn = Box<dyn Fn(Request<Body>) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>> + Send>;

/// One page kept under its key.
pub struct KeptPage {
    headers: HeaderMap,
    template: Template,
    /// For visitors without progress (`None` for shared pages, which always show someone's).
    anonymous: Option<Encoded>,
    /// The topic panel alone, when the page has one open.
    panel: Option<Encoded>,
}

impl KeptPage {
    fn weight(&self) -> usize {
        self.template.len()
            + self.anonymous.as_ref().map_or(0, Encoded::weight)
            + self.panel.as_ref().map_or(0, Encoded::weight)
    }
}

#[derive(Clone)]
pub struct Pages(Arc<Inner>);

struct Inner {
    app: AppState,
    render: Mutex<RenderFn>,
    /// `false` renders every page in full (tests compare the two).
    keep: bool,
    /// `None`: what was rendered does not make a template, so such pages are rendered in full.
    kept: RwLock<Bounded<PageKey, Option<Arc<KeptPage>>>>,
    /// The same for addresses with a search (`PageKey::searched`).
    searched: RwLock<Bounded<PageKey, Option<Arc<KeptPage>>>>,
    /// One template render per key at a time; visitors arriving meanwhile wait for it.
    making: Mutex<HashMap<PageKey, Arc<tokio::sync::Mutex<()>>>>,
    learners: RwLock<Bounded<(PageKey, String), Arc<Encoded>>>,
    /// Searched addresses asked for once. Any typed text makes a new one, so a page with a
    /// search is made into a kept page (a template, then its compression) only when it is
    /// asked for again: a one-off search, or a junk one per request, costs one render.
    seen_searches: Mutex<Bounded<PageKey, ()>>,
}

/// Why no kept page came out: this time only (the render failed, e.g. storage is down), or
/// for good (what was rendered does not make a template).
enum NoTemplate {
    NotNow(String),
    Broken(String),
}

impl Pages {
    pub fn new(app: AppState, render: RenderFn, keep: bool) -> Self {
        Pages(Arc::new(Inner {
            app,
            render: Mutex::new(render),
            keep,
            kept: RwLock::new(Bounded::new(TEMPLATES_BUDGET)),
            searched: RwLock::new(Bounded::new(SEARCHED_BUDGET)),
            making: Mutex::default(),
            learners: RwLock::new(Bounded::new(LEARNERS_BUDGET)),
            seen_searches: Mutex::new(Bounded::new(SEEN_SEARCHES_BUDGET)),
        }))
    }

    /// Whether a page with a search is worth keeping: it is kept already, or was asked for
    /// before (then it is remembered as asked for now).
    fn worth_keeping(&self, key: &PageKey) -> bool {
        if !key.searched() || self.kept_now(key).is_some() {
            return true;
        }
        let Ok(mut seen) = self.0.seen_searches.lock() else { return true };
        if seen.get(key).is_some() {
            return true;
        }
        seen.insert(key.clone(), (), key.weight());
        false
    }

    /// Renders `request` in full as the answer to it, compressed as its client accepts (the
    /// page routes carry no compression layer: what they answer from kept bytes comes
    /// compressed already, and a layer around them cost every such answer a sixth of its
    /// speed, BENCHMARKS.md, 2026-12-04).
    pub async fn answer_in_full(&self, request: Request) -> Response {
        let pages = self.clone();
        let render = tower::service_fn(move |request: Request| {
            let pages = pages.clone();
            async move { Ok::<_, std::convert::Infallible>(pages.render_full(request).await) }
        });
        match tower::ServiceExt::oneshot(CompressionLayer::new().layer(render), request).await {
            Ok(response) => response.map(Body::new),
            Err(never) => match never {},
        }
    }

    /// Renders `request` in full, for this request only, as it comes out of Leptos.
    pub async fn render_full(&self, request: Request) -> Response {
        let rendering = match self.0.render.lock() {
            Ok(render) => render(request),
            Err(_) => return error_response(AppError::internal("rendering a page", "the renderer's lock is poisoned")),
        };
        rendering.await
    }

    /// Where pages of `key`'s kind are kept.
    fn store(&self, key: &PageKey) -> &RwLock<Bounded<PageKey, Option<Arc<KeptPage>>>> {
        if key.searched() {
            &self.0.searched
        } else {
            &self.0.kept
        }
    }

    fn kept_now(&self, key: &PageKey) -> Option<Option<Arc<KeptPage>>> {
        self.store(key).read().ok()?.get(key)
    }

    /// The kept page for `key`, made now if need be; `None` when such pages are rendered in full.
    async fn kept(&self, key: &PageKey) -> Result<Option<Arc<KeptPage>>, AppError> {
        if let Some(kept) = self.kept_now(key) {
            return Ok(kept);
        }
        let gate = self.0.making.lock().ok().map(|mut m| m.entry(key.clone()).or_default().clone());
        let _making = match &gate {
            Some(gate) => Some(gate.lock().await),
            None => None,
        };
        // Someone else may have made it while this request waited.
        if let Some(kept) = self.kept_now(key) {
            return Ok(kept);
        }
        let made = self.make(key).await;
        if let Ok(mut making) = self.0.making.lock() {
            making.remove(key);
        }
        match made {
            Ok(page) => {
                let page = Arc::new(page);
                if let Ok(mut kept) = self.store(key).write() {
                    kept.insert(key.clone(), Some(page.clone()), page.weight() + key.weight());
                }
                Ok(Some(page))
            }
            // A template that does not add up will not the next time either.
            Err(NoTemplate::Broken(e)) => {
                tracing::error!("the page {} does not make a template; rendering it in full: {e}", key.uri());
                if let Ok(mut kept) = self.store(key).write() {
                    kept.insert(key.clone(), None, key.weight());
                }
                Ok(None)
            }
            Err(NoTemplate::NotNow(e)) => {
                tracing::warn!("no template for {} this time: {e}", key.uri());
                Err(AppError::Unavailable("This page could not be prepared just now. Reload it to try again.".into()))
            }
        }
    }

    /// Renders the page at its canonical address as a template (nobody's cookie; the theme
    /// of the key), cuts it into pieces and makes what is kept of it.
    async fn make(&self, key: &PageKey) -> Result<KeptPage, NoTemplate> {
        let mut request = Request::builder()
            .uri(key.uri())
            .header(axum::http::header::ACCEPT, "text/html")
            .body(Body::empty())
            .map_err(|e| NoTemplate::Broken(e.to_string()))?;
        if key.theme != "system" {
            let cookie = HeaderValue::from_str(&format!("{THEME_COOKIE}={}", key.theme))
                .map_err(|e| NoTemplate::Broken(e.to_string()))?;
            request.headers_mut().insert(COOKIE, cookie);
        }
        request.extensions_mut().insert(TemplateRender);
        let response = self.render_full(request).await;
        let html = response.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        if response.status() != StatusCode::OK || !html || response.headers().contains_key(SET_COOKIE) {
            return Err(NoTemplate::NotNow(format!("the template render answered {}", response.status())));
        }
        let bytes =
            to_bytes(response.into_body(), MAX_PAGE_BYTES).await.map_err(|e| NoTemplate::NotNow(e.to_string()))?;
        let html = String::from_utf8(bytes.to_vec()).map_err(|e| NoTemplate::Broken(e.to_string()))?;
        let headers = kept::page_headers(&html).map_err(NoTemplate::Broken)?;
        let template = Template::parse(html, &key.query).map_err(NoTemplate::Broken)?;
        let anonymous = match &key.kind {
            PageKind::Home => Some(template.fill(None).map_err(NoTemplate::Broken)?),
            PageKind::Roadmap { roadmap, .. } => {
                let roadmap =
                    self.0.app.catalog.roadmap(roadmap).ok_or_else(|| NoTemplate::Broken("no roadmap".into()))?;
                let view =
                    self.0.app.catalog.view(roadmap.id.as_str()).ok_or_else(|| NoTemplate::Broken("no view".into()))?;
                let nobody = Personal::of(view, ProgressSummary::none(roadmap));
                Some(template.fill(Some(&nobody)).map_err(NoTemplate::Broken)?)
            }
            PageKind::Shared { .. } => None,
        };
        tracing::debug!("page template for {} ({}): {} slots", key.uri(), key.theme, template.slots());
        // A searched page may be someone's one-off: it gets the quick compression.
        let compress = if key.searched() { Encoded::quick } else { Encoded::best };
        let (anonymous, panel) = tokio::task::spawn_blocking(move || {
            let panel = anonymous.as_deref().and_then(panel_of).map(|p| compress(p.to_owned())).transpose()?;
            let anonymous = anonymous.map(compress).transpose()?;
            Ok::<_, std::io::Error>((anonymous, panel))
        })
        .await
        .map_err(|e| NoTemplate::NotNow(e.to_string()))?
        .map_err(|e| NoTemplate::NotNow(e.to_string()))?;
        Ok(KeptPage { headers, template, anonymous, panel })
    }

    /// A learner's page: kept by what it shows of them (their statuses and notes), or filled
    /// in from the template now.
    async fn learner_page(&self, key: &PageKey, kept: &KeptPage, learner: Learner) -> Result<Arc<Encoded>, AppError> {
        let filling = learner::filling(&self.0.app, key, learner)?;
        let learner_key = (key.clone(), filling.shows(key));
        if let Some(page) = self.0.learners.read().ok().and_then(|l| l.get(&learner_key)) {
            crate::server::metrics::page_hit("learner");
            return Ok(page);
        }
        let html =
            kept.template.fill(Some(&filling.personal())).map_err(|e| AppError::internal("filling a page", e))?;
        let page = tokio::task::spawn_blocking(move || Encoded::quick(html))
            .await
            .map_err(|e| AppError::internal("compressing a page", e))?
            .map_err(|e| AppError::internal("compressing a page", e))?;
        let page = Arc::new(page);
        crate::server::metrics::page_hit("template");
        if let Ok(mut learners) = self.0.learners.write() {
            let weight = page.weight() + learner_key.0.weight() + learner_key.1.len();
            learners.insert(learner_key, page.clone(), weight);
        }
        Ok(page)
    }

    /// The topic panel of `key`'s page for `learner`, compressed for this answer.
    fn learner_panel(
        &self,
        key: &PageKey,
        kept: &KeptPage,
        learner: Learner,
        encoding: Encoding,
    ) -> Result<Response, AppError> {
        let filling = learner::filling(&self.0.app, key, learner)?;
        let html =
            kept.template.fill(Some(&filling.personal())).map_err(|e| AppError::internal("filling a page", e))?;
        let panel = panel_of(&html).ok_or_else(|| AppError::not_found("There is no topic panel at this address."))?;
        let panel = Encoded::quick(panel.to_owned()).map_err(|e| AppError::internal("compressing a panel", e))?;
        Ok(panel.answer(&kept.headers, encoding))
    }
}

/// `GET /`, `/roadmaps/{roadmap}[/{topic}]`, `/s/{code}`: the kept page, or the template
/// filled in for this learner.
pub async fn page(State(pages): State<Pages>, request: Request) -> Response {
    let app = &pages.0.app;
    // Whatever is rendered in full below sees no error someone else wrote into the address.
    let request = crate::server::web::form_errors::unsigned_errors_dropped(app, request).await;
    let mut key = match asked(request.uri(), request.headers(), &app.catalog) {
        Asked::Page(key) if pages.0.keep => key,
        Asked::Elsewhere(to) => return moved(&to),
        Asked::Page(_) | Asked::Render => return pages.answer_in_full(request).await,
    };
    let encoding = preferred(request.headers());
    let Ok((learner, cookies)) = learner_for(app, &mut key, request.headers()).await else {
        return pages.answer_in_full(request).await;
    };
    if !pages.worth_keeping(&key) {
        crate::server::metrics::page_hit("searched_once");
        return pages.answer_in_full(request).await;
    }
    let kept = match pages.kept(&key).await {
        Ok(Some(kept)) => kept,
        Ok(None) => return pages.answer_in_full(request).await,
        Err(e) => return error_response(e),
    };
    match (learner, &kept.anonymous) {
        (None, Some(anonymous)) => {
            crate::server::metrics::page_hit("anonymous");
            anonymous.answer(&kept.headers, encoding)
        }
        (None, None) => pages.answer_in_full(request).await,
        (Some(learner), _) => match pages.learner_page(&key, &kept, learner).await {
            Ok(page) => {
                let mut response = page.answer(&kept.headers, encoding);
                // Someone's own page: not for shared caches, and it differs by cookie.
                response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
                response.headers_mut().insert(VARY, HeaderValue::from_static("accept-encoding, cookie"));
                for cookie in cookies.iter().filter_map(|c| HeaderValue::from_str(c).ok()) {
                    response.headers_mut().append(SET_COOKIE, cookie);
                }
                response
            }
            Err(e) => error_response(e),
        },
    }
}

/// `GET /roadmaps/{roadmap}/{topic}/panel.html[?q=…&show=…]`: the topic's panel alone, as a
/// visitor without progress sees it (the page's script writes the learner's statuses in);
/// for a learner with a note on the topic, a change to undo or a revision since they finished
/// it, with theirs (opening it ends that flag; filled in for
/// them, never kept).
pub async fn panel(State(pages): State<Pages>, request: Request) -> Response {
    let app = &pages.0.app;
    let not_found = || error_response(AppError::not_found("There is no topic panel at this address."));
    let Some(path) = request.uri().path().strip_suffix("/panel.html") else { return not_found() };
    let page_uri = match request.uri().query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    };
    let Ok(uri) = page_uri.parse() else { return not_found() };
    let mut key = match asked(&uri, request.headers(), &app.catalog) {
        Asked::Page(key) if matches!(key.kind, PageKind::Roadmap { topic: Some(_), .. }) => key,
        _ => return not_found(),
    };
    let learner = match learner_for(app, &mut key, request.headers()).await {
        Ok((Some(learner), _))
            if learner.undo.is_some()
                || key
                    .open_topic()
                    .is_some_and(|t| learner.notes.contains_key(t) || learner.seen.updated.contains_key(t)) =>
        {
            Some(learner)
        }
        Ok(_) => None,
        Err(()) => {
            return error_response(AppError::Unavailable("Your note could not be read just now. Try again.".into()))
        }
    };
    match (pages.kept(&key).await, learner) {
        (Ok(Some(kept)), Some(learner)) => {
            match pages.learner_panel(&key, &kept, learner, preferred(request.headers())) {
                Ok(mut response) => {
                    response.headers_mut().remove(axum::http::header::CONTENT_SECURITY_POLICY);
                    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
                    response.headers_mut().insert(VARY, HeaderValue::from_static("accept-encoding, cookie"));
                    response
                }
                Err(e) => error_response(e),
            }
        }
        (kept, _) => match kept {
            Ok(Some(kept)) => match &kept.panel {
                Some(panel) => {
                    let mut response = panel.answer(&kept.headers, preferred(request.headers()));
                    response.headers_mut().remove(axum::http::header::CONTENT_SECURITY_POLICY);
                    response
                }
                None => not_found(),
            },
            Ok(None) => not_found(),
            Err(e) => error_response(e),
        },
    }
}

/// The page's canonical address (permanent: the other spelling never meant anything else).
fn moved(to: &str) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}
