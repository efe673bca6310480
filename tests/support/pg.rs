//! PostgreSQL for tests: a fresh, empty database per test on the server named by
//! `BACKROAD_TEST_DATABASE_URL` (`make unit` runs the tests under `scripts/with-postgres`,
//! which starts a private throwaway cluster and sets it).

use backroad::server::identity::random_hex;
use backroad::server::store::{PgSettings, PgStore};
use std::time::Duration;

/// The admin URL tests create their databases with.
pub fn admin_url() -> String {
    match std::env::var("BACKROAD_TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "BACKROAD_TEST_DATABASE_URL is not set: run the tests through `make unit` (which starts a private \
             PostgreSQL cluster) or point it at a PostgreSQL 15 server you may create databases on"
        ),
    }
}

/// `url` with its database name replaced by `database` (any `?options` kept).
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

async fn admin() -> tokio_postgres::Client {
    let url = admin_url();
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("could not connect to BACKROAD_TEST_DATABASE_URL ({url}): {e}"));
    tokio::spawn(async move {
        let _ = connection.await;
    });
    client
}

/// Creates an empty database `t_<16 hex>` and answers its URL.
pub async fn fresh_database() -> String {
    let name = format!("t_{}", random_hex(8));
    admin().await.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap_or_else(|e| {
        panic!("CREATE DATABASE {name}: {e}");
    });
    with_database(&admin_url(), &name)
}

/// Drops a database `fresh_database` made (its connections are cut). Failures are ignored:
/// the throwaway cluster goes away anyway.
pub async fn drop_database(url: &str) {
    let Some(name) = url.split('?').next().and_then(|u| u.rsplit('/').next()) else { return };
    if !name.starts_with("t_") || !name.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric()) {
        return;
    }
    let _ = admin().await.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
}

/// Opens the PostgreSQL store on `url` (the schema is created on first open).
pub async fn open_pg(url: &str) -> PgStore {
    let settings = PgSettings { url: url.to_owned(), pool_size: 16, timeout: Duration::from_secs(5) };
    PgStore::open(&settings).await.unwrap_or_else(|e| panic!("PgStore::open({url}): {e}"))
}
