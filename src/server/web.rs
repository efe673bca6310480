//! Web plumbing: start-up and the router, plain routes, middleware, security headers, kept
//! pages and pages filled in per learner, signed form errors, and the glue to Leptos'
//! per-request context.

pub mod access_log;
pub mod client;
pub mod context;
pub mod feed;
pub mod form_errors;
pub mod front_door;
pub mod listener;
pub mod middleware;
pub mod pages;
pub mod routes;
pub mod security;
pub mod startup;
