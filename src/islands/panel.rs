//! Topic panels that open and close in place. A click on a link to a topic of this roadmap
//! (same search and filter) fetches that topic's panel (`…/panel.html`, kept by the server)
//! and puts it beside the roadmap, with the learner's statuses; a link back to the roadmap closes it. Both
//! are history entries, so Back and Forward open and close panels again; the title and
//! preview tags follow (`roadmap::head`, as the server writes them). Any other link is left
//! to the browser.

use super::focus::focus_first;
use super::live::Live;
use super::page_dom;
use crate::roadmap::head::{document_title, Head};
use leptos::ev;
use leptos::prelude::*;
use leptos::wasm_bindgen::{JsCast, JsValue};
use std::sync::atomic::{AtomicU64, Ordering};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DomParser, Element, HtmlElement, HtmlTemplateElement, MouseEvent, RequestCredentials, RequestInit, Response,
    SupportedType, Url,
};

/// Where an address leads, as far as panels go.
#[derive(Debug, PartialEq)]
enum Place {
    /// This roadmap, no panel.
    Roadmap,
    /// This roadmap with a topic's panel.
    Topic(String),
}

/// The place `url` names, if it is this roadmap with the page's own search and filter.
fn place(live: Live, url: &Url) -> Option<Place> {
    let here = window().location();
    if url.origin() != here.origin().ok()? || url.search() != here.search().ok()? {
        return None;
    }
    let roadmap = live.outline.with_value(|o| o.id.clone());
    let rest = url.pathname().strip_prefix("/roadmaps/")?.strip_prefix(roadmap.as_str())?.to_owned();
    match rest.trim_end_matches('/') {
        "" => Some(Place::Roadmap),
        topic if topic.starts_with('/') && !topic[1..].contains('/') => Some(Place::Topic(topic[1..].to_owned())),
        _ => None,
    }
}

/// Panels opened and closed so far: a panel that arrives after a newer one was asked for,
/// or after the panel was closed, is dropped.
static NAVIGATIONS: AtomicU64 = AtomicU64::new(0);

pub fn start(live: Live) {
    let clicks = window_event_listener(ev::click, move |ev: MouseEvent| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(link) =
            ev.target().and_then(|t| t.dyn_into::<Element>().ok()).and_then(|t| t.closest("a[href]").ok().flatten())
        else {
            return;
        };
        if link.has_attribute("download") || link.has_attribute("target") {
            return;
        }
        let Some(url) = link
            .get_attribute("href")
            .and_then(|href| Url::new_with_base(&href, &window().location().href().ok()?).ok())
        else {
            return;
        };
        match place(live, &url) {
            Some(Place::Topic(topic)) => {
                ev.prevent_default();
                remember_opener(&link);
                // The fragment is for pages loaded without JavaScript (to land at the box).
                url.set_hash("");
                open(live, topic, url.href(), true);
            }
            Some(Place::Roadmap) => {
                ev.prevent_default();
                close(live, true);
            }
            None => {}
        }
    });
    let history = window_event_listener(ev::popstate, move |_| {
        let Some(url) = window().location().href().ok().and_then(|href| Url::new(&href).ok()) else { return };
        match place(live, &url) {
            Some(Place::Topic(topic)) => open(live, topic, url.href(), false),
            Some(Place::Roadmap) => {
                remove_panel(live);
            }
            None => {
                let _ = window().location().reload();
            }
        }
    });
    std::mem::forget((clicks, history));
    // A page that arrived with its panel open (a deep link) gets the same as one opened here.
    if let Some(panel) = current_panel() {
        opened_panel(&panel);
    }
}

/// The topic panel on the page, if one is open.
pub(super) fn current_panel() -> Option<Element> {
    document().query_selector("aside.topic-panel").ok().flatten()
}

fn roadmap_page() -> Option<Element> {
    document().query_selector(".roadmap-page").ok().flatten()
}

/// Fetches `href`'s page and shows its panel, `topic`'s; `push` makes it a history entry. If
/// the page cannot be fetched, the browser goes there itself.
fn open(live: Live, topic: String, href: String, push: bool) {
    let this = NAVIGATIONS.fetch_add(1, Ordering::Relaxed) + 1;
    leptos::task::spawn_local(async move {
        let fetched = fetch_panel(&href).await;
        if NAVIGATIONS.load(Ordering::Relaxed) != this {
            return;
        }
        let Some(panel) = fetched.ok().and_then(|page| page.query_selector("aside.topic-panel").ok().flatten()) else {
            let _ = window().location().assign(&href);
            return;
        };
        let panel: Element = match document().import_node_with_deep(&panel, true).ok().and_then(|n| n.dyn_into().ok()) {
            Some(panel) => panel,
            None => return,
        };
        match (current_panel(), roadmap_page()) {
            (Some(old), _) => {
                let _ = old.replace_with_with_node_1(&panel);
            }
            (None, Some(page)) => {
                let _ = page.after_with_node_1(&panel);
            }
            (None, None) => return,
        }
        if let Some(page) = roadmap_page() {
            let _ = page.class_list().add_1("with-panel");
        }
        set_head(&live.outline.with_value(|o| {
            Head::of_topic(&o.title, &o.description, o.topics().find(|t| t.id == topic).map(|t| t.title.as_str()))
        }));
        if push {
            let _ = window().history().and_then(|h| h.push_state_with_url(&JsValue::NULL, "", Some(&href)));
        }
        live.shown.with_untracked(|now| live.outline.with_value(|o| page_dom::refresh(&panel, o, now)));
        // Opened: its box no longer says "updated since you finished it" (the panel still does).
        page_dom::write_slot(&crate::roadmap::personal::Slot::Updated(topic.clone()), "");
        opened_panel(&panel);
    });
}

/// Closes the panel: back to the roadmap's address (`push`: as a new history entry), then the
/// focus goes back to the topic's box in the picture, or its item in the list when a filter
/// hides the box.
pub fn close(live: Live, push: bool) {
    let Some(topic) = remove_panel(live) else { return };
    if push {
        let location = window().location();
        let roadmap = live.outline.with_value(|o| o.id.clone());
        let href = format!("/roadmaps/{roadmap}{}", location.search().unwrap_or_default());
        let _ = window().history().and_then(|h| h.push_state_with_url(&JsValue::NULL, "", Some(&href)));
    }
    // Back to the link that opened the panel (a next step, a search result, a box), else
    // to the topic's box.
    let opener = OPENER.with(|o| o.borrow_mut().take());
    if let Some(el) = opener.filter(|el| el.is_connected()).and_then(|el| el.dyn_into::<HtmlElement>().ok()) {
        let _ = el.focus();
        if document().active_element().is_some_and(|a| a == *el.as_ref()) {
            return;
        }
    }
    focus_first([format!(r#".skill-tree a.node#t-{topic}"#)]);
}

thread_local! {
    /// The link that opened the open panel, if it was on the roadmap page itself.
    static OPENER: std::cell::RefCell<Option<Element>> = const { std::cell::RefCell::new(None) };
}

/// Keeps `link` as the place the focus returns to when the panel closes, unless it is inside
/// a panel (a prerequisite link: closing that panel returns to the first opener).
fn remember_opener(link: &Element) {
    if link.closest("aside.topic-panel").ok().flatten().is_none() {
        OPENER.with(|o| *o.borrow_mut() = Some(link.clone()));
    }
}

/// Takes the panel off the page and puts the roadmap's own title back; returns its topic.
/// A panel still on its way is dropped when it arrives.
fn remove_panel(live: Live) -> Option<String> {
    NAVIGATIONS.fetch_add(1, Ordering::Relaxed);
    let panel = current_panel()?;
    let topic = panel.get_attribute("data-topic-id").unwrap_or_default();
    panel.remove();
    if let Some(page) = roadmap_page() {
        let _ = page.class_list().remove_1("with-panel");
    }
    let head = live.outline.with_value(|o| Head::of_roadmap(&o.title, &o.description));
    set_head(&head);
    Some(topic)
}

/// What a panel gets once it is on the page: the hint for its keys, and the focus.
fn opened_panel(panel: &Element) {
    if let Some(template) = panel.query_selector("template.panel-keys").ok().flatten() {
        if let Ok(template) = template.dyn_into::<HtmlTemplateElement>() {
            let hint = template.content().clone_node_with_deep(true);
            if let Ok(hint) = hint {
                let _ = template.replace_with_with_node_1(&hint);
            }
        }
    }
    if let Some(heading) = panel.query_selector("h2").ok().flatten().and_then(|h| h.dyn_into::<HtmlElement>().ok()) {
        let _ = heading.focus();
    }
}

/// The panel of a topic's address (`/roadmaps/{r}/{t}/panel.html`, same search and
/// filter), parsed. Everyone without a note on the topic gets the same panel, which the
/// server keeps ready (`server::web::pages`); a learner with one gets it with their note.
/// `page_dom::refresh` then writes this learner's statuses into it.
async fn fetch_panel(href: &str) -> Result<web_sys::Document, JsValue> {
    let url = Url::new(href)?;
    url.set_pathname(&format!("{}/panel.html", url.pathname().trim_end_matches('/')));
    let init = RequestInit::new();
    init.set_credentials(RequestCredentials::SameOrigin);
    let response: Response = JsFuture::from(window().fetch_with_str_and_init(&url.href(), &init)).await?.dyn_into()?;
    if !response.ok() {
        return Err(JsValue::from_str("no panel"));
    }
    let text = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    DomParser::new()?.parse_from_string(&text, SupportedType::TextHtml)
}

/// Sets the document's title and the description and preview tags.
fn set_head(head: &Head) {
    document().set_title(&document_title(&head.title));
    let set = |selector: &str, value: &str| {
        if let Some(meta) = document().query_selector(selector).ok().flatten() {
            let _ = meta.set_attribute("content", value);
        }
    };
    set(r#"meta[name="description"]"#, &head.description);
    set(r#"meta[property="og:type"]"#, head.kind);
    set(r#"meta[property="og:title"]"#, &head.preview_title);
    set(r#"meta[property="og:description"]"#, &head.description);
}
