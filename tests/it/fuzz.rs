//! Robustness: thousands of mutated corpus programs go through the front end, which must
//! accept each or reject it with a positioned diagnostic, and never panic or hang.
//!
//! The mutations are deterministic (a fixed-seed xorshift generator): truncations, byte
//! replacements, token swaps, deleted and duplicated lines. The cargo-fuzz target under
//! `fuzz/` explores further with coverage guidance.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::time::Duration;

use crate::support::{check_text, toy_files};

/// How many mutants each corpus file yields.
const MUTANTS_PER_FILE: usize = 12;
/// How long one mutant may take before the test calls it a hang.
const TIMEOUT: Duration = Duration::from_secs(10);

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Characters a replacement draws from: Go's punctuation, quotes, digits, letters, newlines.
const ALPHABET: &[u8] = b"(){}[];:,.=+-*/%&|^!<>\"'`\\\n\t 0123456789_abcxyzfor";

fn mutate(text: &str, rng: &mut XorShift) -> String {
    let bytes = text.as_bytes();
    match rng.below(5) {
        0 => String::from_utf8_lossy(&bytes[..rng.below(bytes.len())]).into_owned(),
        1 => {
            let mut out = bytes.to_vec();
            for _ in 0..=rng.below(3) {
                let at = rng.below(out.len());
                out[at] = ALPHABET[rng.below(ALPHABET.len())];
            }
            String::from_utf8_lossy(&out).into_owned()
        }
        2 => {
            let mut tokens: Vec<&str> = text.split(' ').collect();
            let (a, b) = (rng.below(tokens.len()), rng.below(tokens.len()));
            tokens.swap(a, b);
            tokens.join(" ")
        }
        3 => {
            let mut lines: Vec<&str> = text.lines().collect();
            let at = rng.below(lines.len());
            lines.remove(at);
            lines.join("\n")
        }
        _ => {
            let mut lines: Vec<&str> = text.lines().collect();
            let at = rng.below(lines.len());
            let line = lines[at];
            lines.insert(rng.below(lines.len()), line);
            lines.join("\n")
        }
    }
}

/// Returns whether `line` starts with `name:line:col: `.
fn is_positioned(line: &str) -> bool {
    let mut parts = line.splitn(4, ':');
    let (Some(_), Some(line_no), Some(col), Some(rest)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    line_no.parse::<u32>().is_ok() && col.parse::<u32>().is_ok() && rest.starts_with(' ')
}

#[test]
fn mutated_programs_never_panic_or_hang() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut mutants = Vec::new();
    for dir in ["tests/data/run", "tests/data/check/err", "examples"] {
        for path in toy_files(dir) {
            let text = std::fs::read_to_string(&path).expect("corpus files are UTF-8");
            for _ in 0..MUTANTS_PER_FILE {
                mutants.push(mutate(&text, &mut rng));
            }
        }
    }
    assert!(mutants.len() >= 2000, "only {} mutants", mutants.len());
    let (done_tx, done_rx) = mpsc::channel();
    let inputs = mutants.clone();
    let worker = std::thread::spawn(move || {
        for (idx, text) in inputs.iter().enumerate() {
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| check_text("m.toy", text)));
            if done_tx.send((idx, outcome.map_err(|_| ()))).is_err() {
                return;
            }
        }
    });
    for (idx, mutant) in mutants.iter().enumerate() {
        let (done, outcome) = done_rx
            .recv_timeout(TIMEOUT)
            .unwrap_or_else(|_| panic!("hang on mutant {idx}:\n{mutant}"));
        assert_eq!(done, idx);
        let out = outcome.unwrap_or_else(|()| panic!("panic on mutant {idx}:\n{mutant}"));
        if let Some(first) = out.lines().next() {
            assert!(
                is_positioned(first),
                "unpositioned diagnostic {first:?} for mutant {idx}:\n{mutant}"
            );
        }
    }
    worker.join().expect("the worker finishes");
}
