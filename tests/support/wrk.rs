//! Reading wrk's report, and sampling a server's memory while wrk runs (the load and abuse
//! runs of `make reliability`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The number after `label` on the line of wrk's report that has it, in milliseconds when
/// it carries a time unit (`us`, `ms`, `s`).
pub fn figure(report: &str, label: &str) -> Option<f64> {
    let rest = report.lines().find_map(|l| l.trim().strip_prefix(label))?;
    let word = rest.split(|c: char| c.is_whitespace() || c == ',').find(|w| !w.is_empty())?;
    let (number, scale) = if let Some(v) = word.strip_suffix("us") {
        (v, 0.001)
    } else if let Some(v) = word.strip_suffix("ms") {
        (v, 1.0)
    } else if let Some(v) = word.strip_suffix('s') {
        (v, 1000.0)
    } else {
        (word, 1.0)
    };
    number.parse::<f64>().ok().map(|v| v * scale)
}

/// A process's resident memory, read every half second until stopped.
pub struct Memory {
    samples: Arc<Mutex<Vec<(Duration, u64)>>>,
    stop: Arc<AtomicBool>,
    sampler: JoinHandle<()>,
}

impl Memory {
    pub fn sample(pid: u32) -> Self {
        let (samples, stop) = (Arc::new(Mutex::new(Vec::new())), Arc::new(AtomicBool::new(false)));
        let sampler = {
            let (samples, stop) = (samples.clone(), stop.clone());
            std::thread::spawn(move || {
                let started = Instant::now();
                while !stop.load(Ordering::Relaxed) {
                    if let Some(kib) = super::process::rss_kib(pid) {
                        samples.lock().expect("samples").push((started.elapsed(), kib));
                    }
                    std::thread::sleep(Duration::from_millis(500));
                }
            })
        };
        Memory { samples, stop, sampler }
    }

    /// Stops sampling; answers the peak (KiB) before `half` and the peak after it.
    pub fn peaks(self, half: Duration) -> (u64, u64) {
        self.stop.store(true, Ordering::Relaxed);
        self.sampler.join().expect("sampler");
        let samples = self.samples.lock().expect("samples").clone();
        let max_of = |first: bool| samples.iter().filter(|(t, _)| (*t < half) == first).map(|(_, k)| *k).max();
        (max_of(true).unwrap_or(0), max_of(false).unwrap_or(0))
    }
}
