//! Pages the first view of a roadmap does not need: the topic panel, account, sign-in and
//! shared pages. Their code is split out of the main WebAssembly (`cargo leptos build
//! --split`) and loaded when one of them opens; the server renders them as usual.

use super::{AccountPage, LogInPage, LogOutPage, SharedPage, SignUpPage, TopicPanel};
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

pub struct TopicPanelRoute;

#[lazy_route]
impl LazyRoute for TopicPanelRoute {
    fn data() -> Self {
        TopicPanelRoute
    }
    fn view(_this: Self) -> AnyView {
        view! { <TopicPanel /> }.into_any()
    }
}

pub struct AccountRoute;

#[lazy_route]
impl LazyRoute for AccountRoute {
    fn data() -> Self {
        AccountRoute
    }
    fn view(_this: Self) -> AnyView {
        view! { <AccountPage /> }.into_any()
    }
}

pub struct SignUpRoute;

#[lazy_route]
impl LazyRoute for SignUpRoute {
    fn data() -> Self {
        SignUpRoute
    }
    fn view(_this: Self) -> AnyView {
        view! { <SignUpPage /> }.into_any()
    }
}

pub struct LogInRoute;

#[lazy_route]
impl LazyRoute for LogInRoute {
    fn data() -> Self {
        LogInRoute
    }
    fn view(_this: Self) -> AnyView {
        view! { <LogInPage /> }.into_any()
    }
}

pub struct LogOutRoute;

#[lazy_route]
impl LazyRoute for LogOutRoute {
    fn data() -> Self {
        LogOutRoute
    }
    fn view(_this: Self) -> AnyView {
        view! { <LogOutPage /> }.into_any()
    }
}

pub struct SharedRoute;

#[lazy_route]
impl LazyRoute for SharedRoute {
    fn data() -> Self {
        SharedRoute
    }
    fn view(_this: Self) -> AnyView {
        view! { <SharedPage /> }.into_any()
    }
}
