//! Pages the first view of a roadmap does not need: the topic panel, account, sign-in and
//! shared pages. Their code is split out of the main WebAssembly (`cargo leptos build
//! --split`) and loaded when one of them opens; the server renders them as usual.

use super::{AccountPage, LogInPage, LogOutPage, SharedPage, SignUpPage, TopicPanel};
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// A route (`$route`) whose page (`$page`) is loaded when it opens. The page loads its own
/// data, so a route holds nothing.
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }
            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    };
}

lazy_page!(TopicPanelRoute, TopicPanel);
lazy_page!(AccountRoute, AccountPage);
lazy_page!(SignUpRoute, SignUpPage);
lazy_page!(LogInRoute, LogInPage);
lazy_page!(LogOutRoute, LogOutPage);
lazy_page!(SharedRoute, SharedPage);
