//! toyc: a parallel compiler for Toy, a strict subset of Go.
//!
//! In pipeline order the modules are `diag`, `syntax`, `types`, `ssa`, `obj`, `amd64`,
//! `driver` (rustfmt lists them alphabetically); each may use only the ones before it and
//! `diag`. `workload` generates benchmark programs and stands outside the pipeline.
//! ARCHITECTURE.md tells the path of a program through them.

pub mod amd64;
pub mod diag;
pub mod driver;
pub mod obj;
pub mod ssa;
pub mod syntax;
pub mod types;
pub mod workload;

/// Stack size of every thread toyc starts (the pipeline, parse chunks, body checks, back-end
/// workers): the checker, the builder and the tree walks recurse as deeply as a program
/// nests, and Go allows deep nesting. Reserved address space; only the pages touched are
/// committed.
pub(crate) const DEEP_STACK: usize = 1 << 30;

/// Runs each job on its own thread, the first on the calling one, and returns the results in
/// order. A panic in a job is resumed on the calling thread once every job has ended.
pub(crate) fn on_threads<T: Send, J: FnOnce() -> T + Send>(
    name: &str,
    jobs: impl IntoIterator<Item = J>,
) -> Vec<T> {
    let mut jobs = jobs.into_iter();
    let Some(first) = jobs.next() else {
        return Vec::new();
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .map(|job| {
                std::thread::Builder::new()
                    .name(name.to_string())
                    .stack_size(crate::DEEP_STACK)
                    .spawn_scoped(scope, job)
                    .expect("a thread starts")
            })
            .collect();
        let mut results = vec![first()];
        let mut panic = None;
        for handle in handles {
            match handle.join() {
                Ok(result) => results.push(result),
                Err(payload) => panic = Some(payload),
            }
        }
        if let Some(payload) = panic {
            std::panic::resume_unwind(payload);
        }
        results
    })
}
