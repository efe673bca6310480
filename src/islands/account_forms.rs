//! The forms of `/account` (share links, display name, import, reset, password, devices,
//! sign out),
//! as one island: with JavaScript each answer shows on the page and the overview reloads;
//! without it every form still posts and the server renders the page again. Its code is
//! loaded only when the account page opens (`#[island(lazy)]`, split out of the main
//! WebAssembly).

use crate::api::account::SignedInDevice;
use crate::api::account::{get_account, AccountOverview};
use crate::api::{
    ChangePassword, CreateShareLink, ImportProgress, LogOut, ResetProgress, RevokeShareLink, SetDisplayName,
    SignOutElsewhere,
};
use crate::components::ErrorNotice;
use crate::error::AppError;
use crate::roadmap::account::{DISPLAY_NAME_MAX, PASSWORD_MAX, PASSWORD_MIN};
use leptos::prelude::*;

/// The answer of an action as a line: its sentence on success, the error otherwise.
fn outcome<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    ok: impl Fn(T) -> String + Send + 'static,
) -> impl IntoView {
    move || {
        value.get().map(|answer| match answer {
            Ok(v) => view! { <p class="notice" role="status">{ok(v)}</p> }.into_any(),
            Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
        })
    }
}

#[island(lazy)]
pub fn AccountForms() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    super::started();
    let create = ServerAction::<CreateShareLink>::new();
    let revoke = ServerAction::<RevokeShareLink>::new();
    let import = ServerAction::<ImportProgress>::new();
    let reset = ServerAction::<ResetProgress>::new();
    let name = ServerAction::<SetDisplayName>::new();
    let password = ServerAction::<ChangePassword>::new();
    let elsewhere = ServerAction::<SignOutElsewhere>::new();
    let account = Resource::new(
        move || {
            (
                create.version().get(),
                revoke.version().get(),
                import.version().get(),
                reset.version().get(),
                name.version().get(),
                password.version().get(),
                elsewhere.version().get(),
            )
        },
        |_| get_account(),
    );
    let forms = Forms { create, revoke, import, reset, name, password, elsewhere };
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(me) => view! { <AccountBody me forms /> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The page's actions, one per form.
#[derive(Clone, Copy)]
struct Forms {
    create: ServerAction<CreateShareLink>,
    revoke: ServerAction<RevokeShareLink>,
    import: ServerAction<ImportProgress>,
    reset: ServerAction<ResetProgress>,
    name: ServerAction<SetDisplayName>,
    password: ServerAction<ChangePassword>,
    elsewhere: ServerAction<SignOutElsewhere>,
}

#[component]
fn AccountBody(me: AccountOverview, forms: Forms) -> impl IntoView {
    let Forms { create, revoke, import, reset, name, password, elsewhere } = forms;
    let devices = me.devices.clone();
    let signed_in = me.username.is_some();
    let who = match me.username.clone() {
        Some(user) => view! {
            <p>"Signed in as " <strong data-testid="username">{user}</strong> ". Your progress follows you to every device you sign in on."</p>
            <SignOutForm />
        }
        .into_any(),
        None => view! {
            <p>
                "You are not signed in. Your progress is kept for this browser only. "
                <a href="/signup">"Create an account"</a> " to keep it on every device, or "
                <a href="/login">"sign in"</a> "."
            </p>
        }
        .into_any(),
    };
    let links = if me.share_links.is_empty() {
        view! { <p>"You have no share links."</p> }.into_any()
    } else {
        let rows = me
            .share_links
            .into_iter()
            .map(|link| {
                let meta = format!(" · {} · created {}", link.roadmap, link.created_at.get(..10).unwrap_or_default());
                let label = format!("Revoke the link {}", link.url);
                let code = link.code.clone();
                let href = link.url.clone();
                view! {
                    <li class="share-link" data-code=link.code>
                        <a href=href>{link.url}</a>
                        <span class="meta">{meta}</span>
                        <ActionForm action=revoke attr:class="inline-form">
                            <input type="hidden" name="code" value=code />
                            <button type="submit" aria-label=label>"Revoke"</button>
                        </ActionForm>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="share-links">{rows}</ul> }.into_any()
    };
    let share_buttons = me
        .roadmaps
        .clone()
        .into_iter()
        .map(|(id, title, _)| {
            view! {
                <ActionForm action=create attr:class="inline-form">
                    <input type="hidden" name="roadmap" value=id />
                    <button type="submit">{format!("Create a share link for {title}")}</button>
                </ActionForm>
            }
        })
        .collect_view();
    let resets = me
        .roadmaps
        .into_iter()
        .filter(|(_, _, n)| *n > 0)
        .map(|(id, title, n)| {
            view! {
                <details class="danger">
                    <summary>{format!("Reset my progress on {title}…")}</summary>
                    <p>{format!("This deletes your {n} status(es) on {title}. Your notes stay unless you tick the box. Download an export first if you may want them back.")}</p>
                    <ActionForm action=reset>
                        <input type="hidden" name="roadmap" value=id />
                        <label class="check">
                            <input type="checkbox" name="notes" value="delete" />
                            {format!(" Also delete my notes on {title}")}
                        </label>
                        <button type="submit" class="danger-button">{format!("Yes, delete {n} status(es)")}</button>
                    </ActionForm>
                </details>
            }
        })
        .collect_view();
    let current_name = me.display_name.clone().unwrap_or_default();
    view! {
        <section aria-labelledby="who-title">
            <h2 id="who-title">"Who you are"</h2>
            {who}
        </section>
        <section aria-labelledby="share-title">
            <h2 id="share-title">"Share links"</h2>
            <p>"A share link shows your progress, read-only, to anyone who has it. Revoke it and it stops working."</p>
            {share_buttons}
            {outcome(create.value(), |l: crate::api::share::NewShareLink| format!("New link: {}", l.url))}
            {outcome(revoke.value(), |m| m)}
            {links}
            <ActionForm action=name attr:class="stacked-form">
                <label for="display_name">"Name shown on your share links"</label>
                <input id="display_name" name="display_name" type="text" maxlength=DISPLAY_NAME_MAX.to_string() value=current_name placeholder="A learner" />
                <button type="submit">"Save name"</button>
            </ActionForm>
            {outcome(name.value(), |m| m)}
        </section>
        <section aria-labelledby="export-title">
            <h2 id="export-title">"Export and import"</h2>
            <p>
                <a href="/account/export.json" download="" class="button-link">"Download my progress (JSON)"</a>
            </p>
            <ActionForm action=import attr:class="stacked-form">
                <label for="import-data">"Import: paste the contents of an export file"</label>
                <textarea id="import-data" name="data" rows="6" required></textarea>
                <button type="submit">"Import"</button>
            </ActionForm>
            {outcome(import.value(), |a| a.message)}
            {resets}
            {outcome(reset.value(), |m| m)}
        </section>
        {signed_in.then(|| view! {
            <section aria-labelledby="password-title">
                <h2 id="password-title">"Change password"</h2>
                <ActionForm action=password attr:class="stacked-form">
                    <label for="current-password">"Current password"</label>
                    <input id="current-password" name="password" type="password" autocomplete="current-password" required />
                    <label for="new-password">"New password"</label>
                    <input id="new-password" name="new_password" type="password" autocomplete="new-password" required minlength=PASSWORD_MIN.to_string() maxlength=PASSWORD_MAX.to_string() />
                    <button type="submit">"Change password"</button>
                </ActionForm>
                {outcome(password.value(), |m| m)}
                <p class="hint">"Changing it signs out every other device."</p>
            </section>
            <Devices devices elsewhere />
        })}
    }
    .into_any()
}

/// The account's signed-in devices, and a way to sign out of all the others.
#[component]
fn Devices(devices: Vec<SignedInDevice>, elsewhere: ServerAction<SignOutElsewhere>) -> impl IntoView {
    let others = devices.iter().filter(|d| !d.this_device).count();
    let rows = devices
        .into_iter()
        .map(|d| {
            let day = |t: &str| t.get(..10).unwrap_or_default().to_owned();
            let meta = format!(" · signed in {} · last used {}", day(&d.signed_in), day(&d.last_used));
            let label = if d.label.is_empty() { "A browser".to_owned() } else { d.label };
            view! {
                <li class="device" data-testid="device">
                    <strong>{label}</strong>
                    {d.this_device.then(|| view! { <span class="this-device">" (this device)"</span> })}
                    <span class="meta">{meta}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="devices-title">
            <h2 id="devices-title">"Signed-in devices"</h2>
            <p>"A device stays signed in for 90 days, or until it goes 30 days unused."</p>
            <ul class="devices">{rows}</ul>
            {(others > 0).then(|| view! {
                <ActionForm action=elsewhere attr:class="inline-form">
                    <button type="submit">{format!("Sign out everywhere else ({others})")}</button>
                </ActionForm>
            })}
            {outcome(elsewhere.value(), |m| m)}
        </section>
    }
}

/// Signing out changes state, so it is a button (a POST), never a plain link. `answer` shows
/// the server's sentence (where no page-level notice says it already).
#[component]
pub fn SignOutForm(#[prop(optional)] answer: bool) -> impl IntoView {
    let action = ServerAction::<LogOut>::new();
    view! {
        <ActionForm action attr:class="sign-out">
            <button type="submit">"Sign out"</button>
        </ActionForm>
        {move || {
            action.value().get().filter(|_| answer).map(|answer| match answer {
                Ok(text) => view! { <p class="notice" role="status">{text}</p> }.into_any(),
                Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
            })
        }}
    }
}
