//! Fuzzes the front end: any UTF-8 input is either accepted or rejected with diagnostics
//! that point into the input; nothing panics, overflows the stack or hangs.
//!
//! Run with `cargo +nightly fuzz run frontend` from the repository root; seed the corpus with
//! `mkdir -p fuzz/corpus/frontend && cp tests/data/run/*.toy fuzz/corpus/frontend/`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use toyc::diag::SourceFile;
use toyc::driver;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile::new("fuzz.toy", text);
    let diags = driver::with_large_stack(|| driver::front_end(&source).1);
    for diag in diags.sorted() {
        assert!(
            diag.span.lo as usize <= text.len(),
            "diagnostic {diag:?} points past the end of the input"
        );
    }
});
