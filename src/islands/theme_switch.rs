//! Light / dark / system theme buttons. A plain form (works without JavaScript); the server
//! keeps the choice in a cookie and renders it, so there is no flash on the next page.

use crate::api::preferences::THEMES;
use crate::api::SetTheme;
use leptos::prelude::*;

fn label(theme: &str) -> &'static str {
    match theme {
        "light" => "Light",
        "dark" => "Dark",
        _ => "System",
    }
}

#[island]
pub fn ThemeSwitch(initial: String) -> impl IntoView {
    let action = ServerAction::<SetTheme>::new();
    let current = RwSignal::new(initial);
    Effect::new(move |_| {
        if let Some(Ok(theme)) = action.value().get() {
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("data-theme", &theme);
            }
            current.set(theme);
        }
    });
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
            <ActionForm action>{buttons}</ActionForm>
        </div>
    }
    .into_any()
}
