//! `/account`: who you are (anonymous or signed in), share links, display name, export,
//! import, reset and password. Every form works without JavaScript; with it, the forms
//! (`islands::AccountForms`) answer on the page.

use crate::islands::AccountForms;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sentence for `?welcome=…` after signing up, in or out.
fn welcome(kind: Option<String>, count: Option<String>) -> Option<String> {
    let n = count.and_then(|c| c.parse::<u32>().ok()).unwrap_or(0);
    Some(match kind?.as_str() {
        "signup" => format!("Account created. The {n} status(es) you had in this browser are now your account's."),
        "login" if n > 0 => format!("Signed in. {n} status(es) from this browser were merged into your account."),
        "login" => "Signed in.".to_owned(),
        "logout" => "Signed out. This browser starts fresh; sign in again to see your progress.".to_owned(),
        _ => return None,
    })
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let query = use_query_map();
    let greeting = query
        .with_untracked(|q| welcome(q.get("welcome"), q.get("kept").or_else(|| q.get("merged"))))
        .map(|text| view! { <p class="notice" role="status">{text}</p> });
    view! {
        <Title text="Your account" />
        <div class="account-page">
            <h1>"Your account"</h1>
            {greeting}
            <AccountForms />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::welcome;

    #[test]
    fn welcome_lines_say_what_happened_to_the_progress() {
        let s = |x: &str| Some(x.to_owned());
        assert!(welcome(s("signup"), s("3")).unwrap().contains("The 3 status(es)"));
        assert!(welcome(s("login"), s("2")).unwrap().contains("2 status(es) from this browser were merged"));
        assert_eq!(welcome(s("login"), s("0")).unwrap(), "Signed in.");
        assert_eq!(welcome(s("<script>"), None), None);
        assert_eq!(welcome(None, s("3")), None);
    }
}
