//! What the back end's workers did, as `--timings` text and as a `--trace` file in the
//! Chrome trace event format (which Perfetto and `chrome://tracing` open): one track per
//! worker, one slice per function with its name and size (and its job id and its parent's,
//! which `benches/simulate.py` reads), and a flow arrow from each function to every closure
//! it produced.

use std::fmt::Write;
use std::time::Duration;

use rustc_hash::FxHashMap;

use crate::backend::compile::UnitId;
use crate::driver::build::{BuildOptions, Report};

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// Returns the `--timings` text: the phases, then one line per worker, then the totals and
/// the process's peak resident memory, when known.
pub fn timings(
    phases: &[(&str, Duration)],
    report: &Report,
    options: &BuildOptions,
    peak_memory: Option<u64>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "phase         wall (ms)");
    for (name, time) in phases {
        let _ = writeln!(out, "{name:<12} {:>10.3}", ms(*time));
    }
    let _ = writeln!(
        out,
        "\nback end: -c {}, {} worker threads, queue {}",
        options.workers,
        report.workers.len(),
        options.strategy.name()
    );
    if options.capped() {
        let _ = writeln!(
            out,
            "note: at most {} threads run, whatever -c and --procs ask",
            crate::driver::build::MAX_THREADS
        );
    }
    if let Some((count, error)) = &report.unstarted {
        let _ = writeln!(
            out,
            "note: {count} worker threads could not start ({error}); the others did their work"
        );
    }
    let _ = writeln!(
        out,
        "worker  functions   busy (ms)   idle (ms)   lock wait (ms)"
    );
    for (idx, worker) in report.workers.iter().enumerate() {
        let _ = writeln!(
            out,
            "{idx:>6} {:>10} {:>11.3} {:>11.3} {:>16.3}",
            worker.jobs,
            ms(worker.busy),
            ms(worker.idle),
            ms(worker.lock_wait)
        );
    }
    let work = report.work();
    let makespan = report.backend;
    let efficiency = if makespan.is_zero() || report.workers.is_empty() {
        0.0
    } else {
        work.as_secs_f64() / (report.workers.len() as f64 * makespan.as_secs_f64())
    };
    let _ = writeln!(out, "total work     {:>10.3} ms", ms(work));
    let _ = writeln!(out, "makespan       {:>10.3} ms", ms(makespan));
    let _ = writeln!(
        out,
        "critical path  {:>10.3} ms",
        ms(report.critical_path())
    );
    let _ = writeln!(out, "efficiency     {:>10.1} %", 100.0 * efficiency);
    if let Some(bytes) = peak_memory {
        let _ = writeln!(out, "peak memory    {:>10.1} MB", bytes as f64 / 1e6);
    }
    out
}

/// Escapes a function name for JSON (names are identifiers and dots, but stay safe).
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Returns the `--trace` file's contents.
pub fn trace_json(report: &Report) -> String {
    let us = |duration: Duration| duration.as_secs_f64() * 1e6;
    let mut events: Vec<String> = Vec::new();
    for idx in 0..report.workers.len() {
        events.push(format!(
            r#"{{"name":"thread_name","ph":"M","pid":1,"tid":{idx},"args":{{"name":"worker {idx}"}}}}"#
        ));
    }
    let by_id: FxHashMap<UnitId, usize> = report
        .jobs
        .iter()
        .enumerate()
        .map(|(idx, job)| (job.id, idx))
        .collect();
    for job in &report.jobs {
        events.push(format!(
            r#"{{"name":{},"cat":"compile","ph":"X","pid":1,"tid":{},"ts":{:.3},"dur":{:.3},"args":{{"size":{},"id":{},"parent":{}}}}}"#,
            json_string(&job.name),
            job.worker,
            us(job.start),
            us(job.end - job.start),
            job.size,
            report.trace_number(job.id),
            job.parent.map_or_else(
                || "null".to_string(),
                |parent| report.trace_number(parent).to_string()
            )
        ));
        let Some(parent) = job.parent.and_then(|parent| by_id.get(&parent)) else {
            continue;
        };
        let parent = &report.jobs[*parent];
        events.push(format!(
            r#"{{"name":"closure","cat":"flow","ph":"s","id":{},"pid":1,"tid":{},"ts":{:.3}}}"#,
            report.trace_number(job.id),
            parent.worker,
            us(parent.end) - 0.001
        ));
        events.push(format!(
            r#"{{"name":"closure","cat":"flow","ph":"f","bp":"e","id":{},"pid":1,"tid":{},"ts":{:.3}}}"#,
            report.trace_number(job.id),
            job.worker,
            us(job.start)
        ));
    }
    format!("{{\"traceEvents\":[\n{}\n]}}\n", events.join(",\n"))
}
