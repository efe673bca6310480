//! Light / dark / system theme buttons. A plain form (works without JavaScript); the server
//! keeps the choice in a cookie and renders it, so there is no flash on the next page.
//! (A failed change leaves the theme as it was: nothing is lost, so no notice.)

use crate::api::preferences::{set_theme, THEMES};
use crate::api::SetTheme;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

fn label(theme: &str) -> &'static str {
    match theme {
        "light" => "Light",
        "dark" => "Dark",
        _ => "System",
    }
}

#[island]
pub fn ThemeSwitch(initial: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    super::started();
    let current = RwSignal::new(initial);
    // With JavaScript the choice is sent from here and applied at once, without a new page.
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let Some(theme) = ev.submitter().and_then(|b| b.get_attribute("value")) else { return };
        ev.prevent_default();
        leptos::task::spawn_local(async move {
            if let Ok(theme) = set_theme(theme).await {
                if let Some(root) = document().document_element() {
                    let _ = root.set_attribute("data-theme", &theme);
                }
                current.set(theme);
            }
        });
    };
    let buttons = THEMES
        .iter()
        .map(|&theme| {
            view! {
                <button
                    type="submit"
                    name="theme"
                    value=theme
                    class="theme-button"
                    aria-pressed=move || (current.get() == theme).to_string()
                    aria-label=format!("{} theme", label(theme))
                >
                    {label(theme)}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="theme-switch" role="group" aria-label="Theme">
            <form method="post" action=SetTheme::PATH on:submit=on_submit>{buttons}</form>
        </div>
    }
    .into_any()
}
