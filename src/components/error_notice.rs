//! Shows an `AppError` as a sentence, announced to screen readers.

use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    view! { <p class="error-notice" role="alert">{error.to_string()}</p> }
}
