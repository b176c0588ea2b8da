//! toyc: a parallel compiler for Toy, a strict subset of Go.
//!
//! In pipeline order the modules are `diag`, `syntax`, `types`, `ssa`, `runtime` (the
//! runtime's Toy source, checked by the front end), `obj`, `amd64`,
//! `backend`, `driver` (rustfmt lists them alphabetically); each may use only the ones
//! before it and `diag`. `workload` generates benchmark programs and stands outside the pipeline.
//! ARCHITECTURE.md tells the path of a program through them.

pub mod amd64;
pub mod backend;
pub mod diag;
pub mod driver;
pub mod obj;
pub mod runtime;
pub mod ssa;
pub mod syntax;
pub mod types;
pub mod workload;

/// The largest stack a toyc thread gets: enough for a program nested
/// `types::check::MAX_NESTING` deep. Reserved address space; only the pages touched are
/// committed.
const DEEP_STACK: usize = 1 << 30;

/// The stack every thread gets besides what nesting needs.
const BASE_STACK: usize = 4 << 20;

/// Returns the stack size for a thread that recurses over `bytes` bytes of source: the
/// checker, the SSA builder and the tree walks recurse once per level of nesting, and each
/// level takes at least one byte of source, so a thread needs room for as many levels as its
/// source has bytes, up to `MAX_NESTING`. Each level is given the share of [`DEEP_STACK`]
/// that a program nested `MAX_NESTING` deep has always had, tested in debug builds. Small
/// programs thus start small threads (`toyc build hello.toy` fits in 1 GB of address
/// space at any `-c`), and only a long function or declaration gets a large stack.
pub(crate) fn stack_for(bytes: usize) -> usize {
    let per_level = DEEP_STACK / types::check::MAX_NESTING as usize;
    let levels = bytes.min(types::check::MAX_NESTING as usize);
    (BASE_STACK + levels * per_level).min(DEEP_STACK)
}

/// Runs each job on its own thread with a stack of `stack` bytes, the first on the calling
/// thread, and returns the results in order. A job whose thread cannot start (the system's
/// limit on threads or memory) runs on the calling thread after the first: the results do
/// not depend on the threads. A panic in a job is resumed on the calling thread once every
/// job has ended.
pub(crate) fn on_threads<T: Send, J: FnOnce() -> T + Send>(
    name: &str,
    stack: usize,
    jobs: impl IntoIterator<Item = J>,
) -> Vec<T> {
    let mut jobs = jobs.into_iter();
    let Some(first) = jobs.next() else {
        return Vec::new();
    };
    /// Where a job runs.
    enum Place<J, H> {
        Thread(H),
        Here(J),
    }
    std::thread::scope(|scope| {
        let placed: Vec<_> = jobs
            .map(|job| {
                // `spawn_scoped` consumes the job even when it fails, so the job is kept
                // aside and handed over only once the thread runs.
                let (send, receive) = std::sync::mpsc::sync_channel::<J>(1);
                let spawned = std::thread::Builder::new()
                    .name(name.to_string())
                    .stack_size(stack)
                    .spawn_scoped(scope, move || receive.recv().ok().map(|job| job()));
                match spawned {
                    Ok(handle) => {
                        send.send(job).expect("the thread waits for its job");
                        Place::Thread(handle)
                    }
                    Err(_) => Place::Here(job),
                }
            })
            .collect();
        let mut results = vec![first()];
        let mut panic = None;
        for place in placed {
            match place {
                Place::Here(job) => results.push(job()),
                Place::Thread(handle) => match handle.join() {
                    Ok(result) => results.push(result.expect("the job was sent")),
                    Err(payload) => panic = Some(payload),
                },
            }
        }
        if let Some(payload) = panic {
            std::panic::resume_unwind(payload);
        }
        results
    })
}
