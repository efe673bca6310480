//! One person writing from many tabs and devices at once, on the real router: no update is
//! lost, and every summary's counts agree with its own statuses.
#![cfg(feature = "ssr")]

mod support;

use http::StatusCode;
use std::collections::HashMap;
use std::sync::Arc;
use support::app;

const TABS: usize = 16;
const WRITES_PER_TAB: usize = 25;
const STATUSES: [&str; 4] = ["done", "in_progress", "skipped", "none"];

/// The counts in a summary must be a recount of its own statuses.
fn assert_counts_match(summary: &serde_json::Value) {
    let statuses = summary["statuses"].as_object().expect("statuses");
    let count = |s: &str| statuses.values().filter(|v| *v == s).count() as u64;
    assert_eq!(summary["done"], count("done"));
    assert_eq!(summary["in_progress"], count("in_progress"));
    assert_eq!(summary["skipped"], count("skipped"));
    assert_eq!(summary["total"], statuses.len() as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_tabs_of_one_person_lose_nothing() {
    let (_dir, app) = app().await;
    let app = Arc::new(app);
    let cookie = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let topics: Vec<String> = app
        .state
        .catalog
        .roadmap("backend")
        .expect("roadmap")
        .topics
        .iter()
        .map(|t| t.id.as_str().to_owned())
        .filter(|t| t != "http")
        .collect();
    let mut tabs = Vec::new();
    for tab in 0..TABS {
        let (app, cookie) = (app.clone(), cookie.clone());
        // Each tab owns its own topics, so "the last acknowledged value" is well defined;
        // all tabs also write one shared topic.
        let mine: Vec<String> = topics.iter().skip(tab).step_by(TABS).take(4).cloned().collect();
        tabs.push(tokio::spawn(async move {
            let mut last: HashMap<String, &str> = HashMap::new();
            for n in 0..WRITES_PER_TAB {
                let topic = if n % 5 == 4 { "http".to_owned() } else { mine[n % mine.len()].clone() };
                let status = STATUSES[(tab + n) % STATUSES.len()];
                let a = app.set_status(&topic, status, Some(&cookie)).await;
                assert_eq!(a.status, StatusCode::OK, "{}", a.body);
                let summary = a.json();
                assert_counts_match(&summary);
                // Another tab may already have changed the shared topic again.
                if topic != "http" {
                    assert_eq!(summary["statuses"][&topic], status, "the answer shows the change just made");
                    last.insert(topic, status);
                }
            }
            last
        }));
    }
    let mut expected = HashMap::new();
    for tab in tabs {
        expected.extend(tab.await.expect("tab"));
    }
    let a = app.post_form("/api/get_progress", "roadmap=backend", Some(&cookie)).await;
    let summary = a.json();
    assert_counts_match(&summary);
    for (topic, status) in &expected {
        assert_eq!(summary["statuses"][topic], *status, "{topic}");
    }
    assert!(STATUSES.contains(&summary["statuses"]["http"].as_str().unwrap_or("?")));
    assert_eq!(expected.len(), TABS * 4, "every tab wrote its four topics");
}
