//! The collector's settings, read from the environment as Go's runtime reads them: GOGC
//! (the heap's growth between collections, or `off`), `GODEBUG=gctrace=1` (a line per
//! collection on standard error) and toyc's own `TOYGC=stress`. That it frees what it
//! should is the run corpus's to show (each program also runs under the stress mode);
//! what it costs in memory and time is `benches/gcmem.sh`'s.

use std::path::{Path, PathBuf};

use crate::run::{Outcome, build_to, run_exe_with};
use toyc::driver::build::BuildOptions;

/// Makes `n` closures of two words, keeping one in a thousand until the next: about
/// `16 * n` bytes of garbage and a small live heap.
fn churn(n: u32) -> String {
    format!(
        "package main\n\nfunc main() {{\n\tvar keep func() int\n\tsum := 0\n\
         \tfor i := 0; i < {n}; i++ {{\n\t\tj := i\n\t\tf := func() int {{ return j }}\n\
         \t\tif i%1000 == 0 {{\n\t\t\tkeep = f\n\t\t}}\n\t\tsum += f() + keep()\n\t}}\n\
         \tprintln(sum)\n}}\n"
    )
}

/// Builds `text` into `dir`; returns the executable.
fn build(text: &str, dir: &Path) -> PathBuf {
    let path = dir.join("churn.toy");
    std::fs::write(&path, text).expect("the program is written");
    build_to(&path, dir, &BuildOptions::default())
}

/// The lines of `outcome`'s standard error that trace a collection.
fn trace_lines(outcome: &Outcome) -> Vec<String> {
    String::from_utf8_lossy(&outcome.stderr)
        .lines()
        .filter(|line| line.starts_with("gc "))
        .map(str::to_string)
        .collect()
}

/// Reports whether `line` is a collection's trace: `gc N @S.SSSs P%: T.TTT ms clock,
/// A->B->C MB, G MB goal, 1 P`, numbers where the letters are.
fn is_trace(line: &str) -> bool {
    let mut pattern = String::from("gc # @#.#s #%: #.# ms clock, #->#-># MB, # MB goal, 1 P");
    let mut rest = line;
    while let Some(at) = pattern.find('#') {
        let Some(tail) = rest.strip_prefix(&pattern[..at]) else {
            return false;
        };
        let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return false;
        }
        rest = &tail[digits..];
        pattern.replace_range(..=at, "");
    }
    rest == pattern
}

#[test]
fn gctrace_prints_a_line_per_collection_numbered_from_one() {
    let work = tempfile::tempdir().expect("a temporary directory");
    let exe = build(&churn(2_000_000), work.path());
    let plain = run_exe_with(&exe, &[]);
    let traced = run_exe_with(&exe, &[("GODEBUG", "gctrace=1")]);
    assert_eq!(traced.stdout, plain.stdout);
    assert_eq!(traced.status, plain.status);
    assert!(trace_lines(&plain).is_empty());
    let lines = trace_lines(&traced);
    assert!(!lines.is_empty(), "no collection traced");
    for (idx, line) in lines.iter().enumerate() {
        assert!(is_trace(line), "not a trace line: {line}");
        assert!(line.starts_with(&format!("gc {} @", idx + 1)), "{line}");
    }
    // Other settings beside it, and the last gctrace wins, as in Go.
    let off = run_exe_with(&exe, &[("GODEBUG", "gctrace=1,x=2,gctrace=0")]);
    assert!(trace_lines(&off).is_empty());
}

#[test]
fn gogc_sets_how_often_the_heap_is_collected() {
    let work = tempfile::tempdir().expect("a temporary directory");
    let exe = build(&churn(2_000_000), work.path());
    let count = |gogc: &str| {
        let outcome = run_exe_with(&exe, &[("GODEBUG", "gctrace=1"), ("GOGC", gogc)]);
        assert_eq!(outcome.status, 0);
        trace_lines(&outcome).len()
    };
    let default = count("100");
    assert!(default > 0);
    assert!(count("10") > default, "GOGC=10 collects more often");
    assert_eq!(count("off"), 0, "GOGC=off never collects");
    assert_eq!(count("-1"), 0, "a negative GOGC is off");
    // What is not a number is the default, as Go reads it.
    assert_eq!(count("lots"), default);
}

#[test]
fn stress_mode_collects_at_every_allocation() {
    let work = tempfile::tempdir().expect("a temporary directory");
    let exe = build(&churn(20_000), work.path());
    let normal = run_exe_with(&exe, &[("GODEBUG", "gctrace=1")]);
    let stressed = run_exe_with(&exe, &[("GODEBUG", "gctrace=1"), ("TOYGC", "stress")]);
    assert_eq!(stressed.stdout, normal.stdout);
    // Each closure, and the first allocation, which makes the heap.
    assert!(trace_lines(&normal).is_empty());
    assert!(trace_lines(&stressed).len() >= 20_000);
    // Only `stress` turns it on.
    let other = run_exe_with(&exe, &[("GODEBUG", "gctrace=1"), ("TOYGC", "stressed")]);
    assert_eq!(trace_lines(&other).len(), trace_lines(&normal).len());
}

#[test]
fn trace_line_pattern() {
    assert!(is_trace(
        "gc 12 @0.042s 12%: 0.512 ms clock, 4->4->0 MB, 4 MB goal, 1 P"
    ));
    assert!(!is_trace(
        "gc 12 @0.042s 12%: 0.512 ms clock, 4->4->0 MB, 4 MB goal"
    ));
    assert!(!is_trace(
        "gc x @0.042s 12%: 0.512 ms clock, 4->4->0 MB, 4 MB goal, 1 P"
    ));
}

/// A collection 1,000,000 frames deep, each frame holding a string live across its call:
/// the stack walk goes through every frame, and the strings survive. Go prints the same.
#[test]
fn a_collection_walks_a_million_frames() {
    let text = "package main\n\nvar sink func() int\n\n\
        func down(n int, s string) int {\n\
        \tif n == 0 {\n\t\ttotal := 0\n\
        \t\tfor i := 0; i < 600000; i++ {\n\t\t\tj := i\n\
        \t\t\tsink = func() int { return j }\n\t\t\ttotal += sink() & 1\n\t\t}\n\
        \t\treturn total + len(s)\n\t}\n\
        \tt := s\n\tif n%100000 == 0 {\n\t\tt = s + \"x\"\n\t}\n\
        \treturn down(n-1, t) + len(t)%2\n}\n\n\
        func main() {\n\tprintln(down(1000000, \"a\"))\n}\n";
    let work = tempfile::tempdir().expect("a temporary directory");
    let exe = build(text, work.path());
    let outcome = run_exe_with(&exe, &[("GODEBUG", "gctrace=1")]);
    assert_eq!(outcome.status, 0);
    assert!(!trace_lines(&outcome).is_empty(), "no collection ran");
    let printed: Vec<String> = String::from_utf8_lossy(&outcome.stderr)
        .lines()
        .filter(|line| !line.starts_with("gc "))
        .map(str::to_string)
        .collect();
    assert_eq!(printed, ["800011"]);
}
