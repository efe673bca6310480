//! Runtime settings: `Leptos.toml` (Leptos' own keys plus `[package.metadata.backroad]`),
//! overridden by `LEPTOS_*` and `BACKROAD_*` environment variables.

use leptos::config::{get_configuration, LeptosOptions};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Where settings are read from unless `BACKROAD_CONFIG` names another file.
pub const DEFAULT_FILE: &str = "Leptos.toml";
/// New anonymous identities per client address and hour unless configured: far above what
/// a classroom behind one address starts, far below what fills a disk.
pub const DEFAULT_NEW_IDENTITIES_PER_HOUR: u32 = 200;

#[derive(Debug, Clone)]
pub struct Settings {
    pub leptos: LeptosOptions,
    pub data_dir: PathBuf,
    pub public_url: String,
    pub max_body_bytes: usize,
    /// PostgreSQL instead of sled in `data_dir`: `postgres://user@host:port/db`.
    pub database_url: Option<String>,
    /// Connections each server keeps to PostgreSQL.
    pub database_pool_size: usize,
    /// How long a request waits for PostgreSQL (a connection, then its statements) before
    /// it answers 503.
    pub database_timeout: std::time::Duration,
    /// Where `GET /metrics` is served (its own listener); `None`: not served.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (limits count that client
    /// instead of the proxy). Empty: the connection's own address is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// New anonymous identities (first writes without a cookie) one client address may
    /// start in an hour; 0: no limit. A class behind one NAT address shares it.
    pub new_identities_per_hour: u32,
    /// Logs every request (method, path without its query, status, time, client) on the
    /// target `backroad::access`.
    pub access_log: bool,
    /// Roadmap content read from this directory at start-up (`BACKROAD_CONTENT_DIR`: one
    /// folder per roadmap, as `src/content/` holds them) instead of the compiled-in content.
    pub content_dir: Option<PathBuf>,
    /// A pause longer than this starts a new visit ("since your visit" then means the end of
    /// the one before); `BACKROAD_VISIT_GAP_SECONDS`, default 30 minutes.
    pub visit_gap: std::time::Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("could not read the settings in {file}: {cause}")]
    File { file: String, cause: String },
    #[error("the setting {name} is invalid: {cause}")]
    Value { name: &'static str, cause: String },
}

#[derive(Deserialize, Default)]
struct FileRoot {
    #[serde(default)]
    package: FilePackage,
}

#[derive(Deserialize, Default)]
struct FilePackage {
    #[serde(default)]
    metadata: FileMetadata,
}

#[derive(Deserialize, Default)]
struct FileMetadata {
    #[serde(default)]
    backroad: BackroadKeys,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct BackroadKeys {
    data_dir: Option<PathBuf>,
    public_url: Option<String>,
    max_body_bytes: Option<usize>,
    database_url: Option<String>,
    database_pool_size: Option<usize>,
    database_timeout_ms: Option<u64>,
    metrics_addr: Option<String>,
    trusted_proxies: Option<Vec<String>>,
    new_identities_per_hour: Option<u32>,
    access_log: Option<bool>,
}

impl Settings {
    /// Reads `BACKROAD_CONFIG` (default `Leptos.toml`) and the environment. A missing file
    /// means defaults plus environment.
    pub fn load() -> Result<Self, SettingsError> {
        let file = std::env::var("BACKROAD_CONFIG").unwrap_or_else(|_| DEFAULT_FILE.to_owned());
        Self::load_from(Path::new(&file), |name| std::env::var(name).ok())
    }

    /// Reads settings from `file`, with `env` answering for environment variables.
    pub fn load_from(file: &Path, env: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let file_err = |cause: String| SettingsError::File { file: file.display().to_string(), cause };
        let (conf, keys) = if file.exists() {
            let text = std::fs::read_to_string(file).map_err(|e| file_err(e.to_string()))?;
            let root: FileRoot = toml::from_str(&text).map_err(|e| file_err(e.to_string()))?;
            let conf = get_configuration(Some(&file.to_string_lossy())).map_err(|e| file_err(e.to_string()))?;
            (conf, root.package.metadata.backroad)
        } else {
            (get_configuration(None).map_err(|e| file_err(e.to_string()))?, BackroadKeys::default())
        };
        let data_dir = env("BACKROAD_DATA_DIR").map(PathBuf::from).or(keys.data_dir).unwrap_or_else(|| "data".into());
        if data_dir.as_os_str().is_empty() {
            return Err(SettingsError::Value { name: "BACKROAD_DATA_DIR", cause: "it is empty".into() });
        }
        let public_url = env("BACKROAD_PUBLIC_URL")
            .or(keys.public_url)
            .unwrap_or_else(|| format!("http://{}", conf.leptos_options.site_addr));
        let max_body_bytes = keys.max_body_bytes.unwrap_or(64 * 1024);
        let database_url = env("BACKROAD_DATABASE_URL").or(keys.database_url).filter(|u| !u.trim().is_empty());
        if let Some(url) = &database_url {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(SettingsError::Value {
                    name: "BACKROAD_DATABASE_URL",
                    cause: "it must start with postgres:// (postgres://user:password@host:port/database)".into(),
                });
            }
        }
        let database_pool_size = match env("BACKROAD_DATABASE_POOL_SIZE") {
            Some(raw) => raw.trim().parse().map_err(|_| SettingsError::Value {
                name: "BACKROAD_DATABASE_POOL_SIZE",
                cause: format!("`{raw}` is not a whole number"),
            })?,
            None => keys.database_pool_size.unwrap_or(32),
        };
        if !(1..=1000).contains(&database_pool_size) {
            return Err(SettingsError::Value {
                name: "database-pool-size",
                cause: "it must be between 1 and 1000".into(),
            });
        }
        let database_timeout =
            std::time::Duration::from_millis(keys.database_timeout_ms.unwrap_or(3_000).clamp(100, 600_000));
        let metrics_addr = match env("BACKROAD_METRICS_ADDR").or(keys.metrics_addr).filter(|a| !a.trim().is_empty()) {
            Some(raw) => Some(raw.trim().parse().map_err(|_| SettingsError::Value {
                name: "BACKROAD_METRICS_ADDR",
                cause: format!("`{raw}` is not an address such as 127.0.0.1:9100"),
            })?),
            None => None,
        };
        let proxies: Vec<String> = match env("BACKROAD_TRUSTED_PROXIES") {
            Some(raw) => raw.split(',').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect(),
            None => keys.trusted_proxies.unwrap_or_default(),
        };
        let trusted_proxies = proxies
            .iter()
            .map(|p| {
                p.parse().map_err(|_| SettingsError::Value {
                    name: "trusted-proxies",
                    cause: format!("`{p}` is not an IP address such as 10.0.0.2 or ::1"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let new_identities_per_hour = match env("BACKROAD_NEW_IDENTITIES_PER_HOUR") {
            Some(raw) => raw.trim().parse().map_err(|_| SettingsError::Value {
                name: "BACKROAD_NEW_IDENTITIES_PER_HOUR",
                cause: format!("`{raw}` is not a whole number (0 turns the limit off)"),
            })?,
            None => keys.new_identities_per_hour.unwrap_or(DEFAULT_NEW_IDENTITIES_PER_HOUR),
        };
        let access_log = match env("BACKROAD_ACCESS_LOG") {
            Some(raw) => match raw.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "on" | "yes" => true,
                "0" | "false" | "off" | "no" | "" => false,
                _ => {
                    return Err(SettingsError::Value {
                        name: "BACKROAD_ACCESS_LOG",
                        cause: format!("`{raw}` is neither on nor off (use 1 or 0)"),
                    })
                }
            },
            None => keys.access_log.unwrap_or(false),
        };
        let visit_gap = match env("BACKROAD_VISIT_GAP_SECONDS") {
            Some(raw) => match raw.trim().parse::<u64>() {
                Ok(secs) if (1..=7 * 24 * 3600).contains(&secs) => std::time::Duration::from_secs(secs),
                _ => {
                    return Err(SettingsError::Value {
                        name: "BACKROAD_VISIT_GAP_SECONDS",
                        cause: format!("`{raw}` is not a number of seconds from 1 to 604800 (a week)"),
                    })
                }
            },
            None => std::time::Duration::from_millis(crate::roadmap::changes::VISIT_GAP_MS),
        };
        let content_dir = env("BACKROAD_CONTENT_DIR").filter(|d| !d.trim().is_empty()).map(PathBuf::from);
        let mut leptos = conf.leptos_options;
        let exe_dir = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf));
        leptos.hash_files = hashed_names_available(&leptos, exe_dir.as_deref());
        Ok(Settings {
            leptos,
            data_dir,
            public_url,
            max_body_bytes,
            database_url,
            database_pool_size,
            database_timeout,
            metrics_addr,
            trusted_proxies,
            new_identities_per_hour,
            access_log,
            content_dir,
            visit_gap,
        })
    }

    /// The database URL without its password, for messages and logs.
    pub fn redacted_database_url(&self) -> Option<String> {
        self.database_url.as_deref().map(redact_url)
    }

    /// Cookies get `Secure` when people reach the app over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// A database URL with any password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let (auth, host) = match rest.rsplit_once('@') {
        Some((auth, host)) => (auth, host),
        None => return url.to_owned(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => format!("{scheme}://{auth}@{host}"),
    }
}

/// Hashed asset names work only with the build's list of hashes next to the binary
/// (`hash.txt`); without it Leptos would fail every page. A binary started without the list
/// (a plain `cargo build`, the tests) serves the unhashed names instead, and says so.
fn hashed_names_available(leptos: &LeptosOptions, exe_dir: Option<&Path>) -> bool {
    if !leptos.hash_files {
        return false;
    }
    let list = exe_dir.map(|dir| dir.join(leptos.hash_file.as_ref()));
    let found = list.as_ref().is_some_and(|path| path.is_file());
    if !found {
        tracing::warn!(
            "hash-files is on but {} is missing: serving unhashed asset names (build with `cargo leptos build`)",
            list.map(|p| p.display().to_string()).unwrap_or_else(|| leptos.hash_file.to_string())
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_repository_file_and_its_own_keys() {
        let s = Settings::load_from(Path::new(DEFAULT_FILE), |_| None).expect("test setup");
        assert_eq!(s.data_dir, PathBuf::from("data"));
        assert_eq!(s.leptos.output_name.as_ref(), "backroad");
        assert_eq!(s.max_body_bytes, 65536);
        assert!(!s.secure_cookies());
    }

    #[test]
    fn environment_overrides_the_data_dir_and_public_url() {
        let s = Settings::load_from(Path::new(DEFAULT_FILE), |name| match name {
            "BACKROAD_DATA_DIR" => Some("/tmp/elsewhere".into()),
            "BACKROAD_PUBLIC_URL" => Some("https://roads.example".into()),
            _ => None,
        })
        .expect("test setup");
        assert_eq!(s.data_dir, PathBuf::from("/tmp/elsewhere"));
        assert!(s.secure_cookies());
    }

    #[test]
    fn a_database_url_selects_postgres_and_is_checked() {
        let s = Settings::load_from(Path::new(DEFAULT_FILE), |name| {
            (name == "BACKROAD_DATABASE_URL").then(|| "postgres://app:s3cret@db.example:5432/backroad".into())
        })
        .expect("test setup");
        assert_eq!(s.redacted_database_url().as_deref(), Some("postgres://app:***@db.example:5432/backroad"));
        assert_eq!(s.database_pool_size, 32);
        assert_eq!(s.metrics_addr, None, "metrics are off unless asked for");
        let err = Settings::load_from(Path::new(DEFAULT_FILE), |name| {
            (name == "BACKROAD_DATABASE_URL").then(|| "mysql://x".into())
        })
        .unwrap_err();
        assert!(err.to_string().contains("must start with postgres://"), "{err}");
    }

    #[test]
    fn hashed_names_need_the_builds_list_of_hashes() {
        let dir = tempfile::tempdir().expect("test setup");
        let s = Settings::load_from(Path::new(DEFAULT_FILE), |_| None).expect("test setup");
        let mut wanted = s.leptos.clone();
        wanted.hash_files = true;
        assert!(!hashed_names_available(&wanted, Some(dir.path())), "no hash.txt: unhashed names");
        std::fs::write(dir.path().join("hash.txt"), "js: abc\n").expect("test setup");
        assert!(hashed_names_available(&wanted, Some(dir.path())));
        wanted.hash_files = false;
        assert!(!hashed_names_available(&wanted, Some(dir.path())), "off stays off");
    }

    #[test]
    fn unknown_keys_are_reported() {
        let dir = tempfile::tempdir().expect("test setup");
        let file = dir.path().join("Leptos.toml");
        std::fs::write(
            &file,
            "[package.metadata.leptos]\noutput-name = \"backroad\"\n[package.metadata.backroad]\ndata_dir = \"x\"\n",
        )
        .expect("test setup");
        let err = Settings::load_from(&file, |_| None).unwrap_err();
        assert!(err.to_string().contains("unknown field `data_dir`"), "{err}");
    }
}
