//! `/signup`, `/login` and `/logout`: plain forms (they work without JavaScript) that post to
//! the account server functions; success continues to `/account`.

use crate::api::{LogIn, SignUp};
use crate::components::ErrorNotice;
use crate::islands::SignOutForm;
use crate::roadmap::account::{PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN};
use leptos::prelude::*;
use leptos_meta::Title;

/// The username field, the same on both forms.
#[component]
fn UsernameField() -> impl IntoView {
    view! {
        <label for="username">"Username"</label>
        <input
            id="username"
            name="username"
            type="text"
            autocomplete="username"
            required
            minlength=USERNAME_MIN.to_string()
            maxlength=USERNAME_MAX.to_string()
            pattern="[A-Za-z0-9_\\-]+"
            aria-describedby="username-hint"
        />
        <p id="username-hint" class="hint">
            {format!("{USERNAME_MIN}–{USERNAME_MAX} characters: letters, digits, _ and -.")}
        </p>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    view! {
        <Title text="Create an account" />
        <section class="account-form" aria-labelledby="signup-title">
            <h1 id="signup-title">"Create an account"</h1>
            <p>
                "An account keeps your progress on every device you sign in on. "
                "What you marked in this browser so far stays yours."
            </p>
            <ActionForm action>
                <UsernameField />
                <label for="password">"Password"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    required
                    minlength=PASSWORD_MIN.to_string()
                    maxlength=PASSWORD_MAX.to_string()
                    aria-describedby="password-hint"
                />
                <p id="password-hint" class="hint">
                    {format!("At least {PASSWORD_MIN} characters. A few unrelated words make a strong one.")}
                </p>
                <button type="submit">"Create account"</button>
            </ActionForm>
            {move || action.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
            <p>"Have an account? "<a href="/login">"Sign in"</a></p>
        </section>
    }
}

#[component]
pub fn LogInPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    view! {
        <Title text="Sign in" />
        <section class="account-form" aria-labelledby="login-title">
            <h1 id="login-title">"Sign in"</h1>
            <p>"Anything you marked in this browser is added to your account; where both have a topic, the newer change wins."</p>
            <ActionForm action>
                <UsernameField />
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required />
                <button type="submit">"Sign in"</button>
            </ActionForm>
            {move || action.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e /> })}
            <p>"New here? "<a href="/signup">"Create an account"</a></p>
        </section>
    }
}

#[component]
pub fn LogOutPage() -> impl IntoView {
    view! {
        <Title text="Sign out" />
        <section class="account-form" aria-labelledby="logout-title">
            <h1 id="logout-title">"Sign out"</h1>
            <p>"Signing out ends this browser's session. Your progress stays in your account."</p>
            <SignOutForm answer=true />
        </section>
    }
}
