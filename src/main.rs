//! The `backroad` binary: serves the app, or checks the content (`backroad check-content`).

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    backroad::server::web::startup::main_with_args(std::env::args().skip(1).collect()).await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser build has no binary; see `hydrate()` in lib.rs.
}
