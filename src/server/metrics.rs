//! What `GET /metrics` reports, in Prometheus' text format: requests by route and status,
//! their latency, store operations (latency and errors), durable-write batch sizes and
//! kept-page hits. One registry per process; every room records into it through the
//! functions here.

use prometheus::{
    exponential_buckets, Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};
use std::sync::OnceLock;
use std::time::Duration;

struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    request_seconds: HistogramVec,
    store_seconds: HistogramVec,
    store_errors: IntCounterVec,
    batch_size: HistogramVec,
    page_hits: IntCounterVec,
    limits: IntCounterVec,
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let registry = Registry::new_custom(Some("backroad".to_owned()), None).expect("a valid prefix");
        let latency = exponential_buckets(0.0001, 2.0, 18).expect("valid buckets");
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests answered, by route and status"),
            &["route", "status"],
        )
        .expect("valid metric");
        let request_seconds = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "Time to answer, by route").buckets(latency.clone()),
            &["route"],
        )
        .expect("valid metric");
        let store_seconds = HistogramVec::new(
            HistogramOpts::new("store_operation_duration_seconds", "Store operations, by backend and operation")
                .buckets(latency),
            &["backend", "op"],
        )
        .expect("valid metric");
        let store_errors = IntCounterVec::new(
            Opts::new("store_errors_total", "Store operations that failed, by backend and operation"),
            &["backend", "op"],
        )
        .expect("valid metric");
        let batch_size = HistogramVec::new(
            HistogramOpts::new("durable_write_batch_size", "Writers covered by one flush or commit")
                .buckets(exponential_buckets(1.0, 2.0, 10).expect("valid buckets")),
            &["backend"],
        )
        .expect("valid metric");
        let page_hits = IntCounterVec::new(
            Opts::new("cached_page_hits_total", "Pages answered from kept bytes, by kind"),
            &["kind"],
        )
        .expect("valid metric");
        let limits = IntCounterVec::new(
            Opts::new("limits_hit_total", "Requests and connections refused or cut by a limit, by limit"),
            &["limit"],
        )
        .expect("valid metric");
        for m in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(request_seconds.clone()),
            Box::new(store_seconds.clone()),
            Box::new(store_errors.clone()),
            Box::new(batch_size.clone()),
            Box::new(page_hits.clone()),
            Box::new(limits.clone()),
        ] {
            registry.register(m).expect("metric names are unique");
        }
        Metrics { registry, requests, request_seconds, store_seconds, store_errors, batch_size, page_hits, limits }
    })
}

/// One answered request. `route` is the matched route pattern, never the raw path.
pub fn observe_request(route: &str, status: http::StatusCode, elapsed: Duration) {
    let m = metrics();
    m.requests.with_label_values(&[route, status.as_str()]).inc();
    m.request_seconds.with_label_values(&[route]).observe(elapsed.as_secs_f64());
}

/// One store operation and whether it worked.
pub fn observe_store(backend: &str, op: &str, elapsed: Duration, ok: bool) {
    let m = metrics();
    m.store_seconds.with_label_values(&[backend, op]).observe(elapsed.as_secs_f64());
    if !ok {
        m.store_errors.with_label_values(&[backend, op]).inc();
    }
}

/// How many writers one flush (sled) covered.
pub fn observe_batch(backend: &str, writers: usize) {
    metrics().batch_size.with_label_values(&[backend]).observe(writers as f64);
}

/// A page answered from kept bytes (`anonymous` or `template`).
pub fn page_hit(kind: &str) {
    metrics().page_hits.with_label_values(&[kind]).inc();
}

/// A limit that refused or cut something (`slow_body`, `connections`, `request_timeout`, …).
pub fn limit_hit(limit: &str) {
    metrics().limits.with_label_values(&[limit]).inc();
}

/// Everything, in Prometheus' text format.
pub fn render() -> String {
    let mut out = Vec::new();
    if let Err(e) = TextEncoder::new().encode(&metrics().registry.gather(), &mut out) {
        tracing::error!("metrics: {e}");
    }
    String::from_utf8(out).unwrap_or_default()
}
