//! `AppState`: what every request handler and server function can reach. Cloned for every
//! request (and by each middleware that holds it), so it is one shared pointer.

use crate::roadmap::catalog::Catalog;
use crate::server::services::passwords::Hasher;
use crate::server::settings::Settings;
use crate::server::store::{Attempts, Limit, Store};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::ops::Deref;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The state itself, reached through `AppState`.
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub store: Arc<dyn Store>,
    pub catalog: Arc<Catalog>,
    /// Mark cookies `Secure` (the public URL is https).
    pub secure_cookies: bool,
    /// Where people reach the app, e.g. `https://roads.example` (share links use it).
    pub public_url: String,
    /// Sign-in and sign-up attempts: in the shared database, or in memory on sled.
    pub attempts: Arc<dyn Attempts>,
    pub hasher: Hasher,
    /// The host part of `public_url`, lowercased (what `Host` headers are checked against).
    pub public_host: String,
    /// Proxies whose `X-Forwarded-For` is believed (`Settings::trusted_proxies`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// New anonymous identities one client address may start in an hour (`max` 0: no limit).
    pub new_identities: Limit,
    /// The store's secrets (`SiteSecret`), each read once.
    secrets: [tokio::sync::OnceCell<[u8; 32]>; 2],
    /// Whether every request is logged (`web::access_log`).
    pub access_log: bool,
    /// A pause longer than this (ms) starts a new visit (`Settings::visit_gap`).
    pub visit_gap_ms: u64,
}

impl AppState {
    /// State around a store, where attempts are counted, and content, as `settings` say.
    pub fn new(settings: &Settings, store: Arc<dyn Store>, attempts: Arc<dyn Attempts>, catalog: Arc<Catalog>) -> Self {
        let public_url = settings.public_url.as_str();
        AppState(Arc::new(Shared {
            leptos_options: settings.leptos.clone(),
            store,
            catalog,
            secure_cookies: public_url.starts_with("https://"),
            public_url: public_url.trim_end_matches('/').to_owned(),
            attempts,
            hasher: Hasher::default(),
            public_host: host_of(public_url),
            trusted_proxies: settings.trusted_proxies.clone(),
            new_identities: Limit {
                name: "new_identity",
                max: settings.new_identities_per_hour,
                window: std::time::Duration::from_secs(60 * 60),
            },
            secrets: Default::default(),
            access_log: settings.access_log,
            visit_gap_ms: settings.visit_gap.as_millis() as u64,
        }))
    }

    /// One of the store's secrets, the same on every server, asked for once per process.
    pub async fn secret(&self, which: SiteSecret) -> Result<[u8; 32], crate::server::store::StoreError> {
        let store = self.store.clone();
        self.secrets[which as usize].get_or_try_init(|| async move { store.secret(which.name()).await }).await.copied()
    }
}

/// The secrets the site keeps in its store (`Store::secret`).
#[derive(Debug, Clone, Copy)]
pub enum SiteSecret {
    /// Signs form errors in addresses (`web::form_errors`).
    FormErrors = 0,
    /// Signs the cookies of browsers that signed in before (`services::known_devices`).
    KnownDevices = 1,
}

impl SiteSecret {
    fn name(self) -> &'static str {
        match self {
            SiteSecret::FormErrors => "form_errors",
            SiteSecret::KnownDevices => "known_devices",
        }
    }
}

/// The host of an address or a `Host` header, lowercased, without port: `[::1]` for IPv6.
pub fn host_of(address: &str) -> String {
    let authority = address.split("://").nth(1).unwrap_or(address).split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.trim().to_ascii_lowercase();
    match authority.strip_prefix('[') {
        Some(rest) => format!("[{}]", rest.split(']').next().unwrap_or("")),
        None => authority.rsplit_once(':').map_or(authority.clone(), |(h, _)| h.to_owned()),
    }
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What Leptos' axum integration asks the state for.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
