//! `stack` (the default): Go's mutex-protected stack, but a worker that finds it empty
//! waits on a condition variable while any function is still being compiled, because that
//! function may produce closures. So late closures are spread over all workers, and a
//! worker exits only when the stack is empty and no function is in flight.
//!
//! Invariant: `active` counts the workers holding a job; a worker's `Local` says whether
//! it holds one. Every push and the last worker's exit wake the waiters, so no wake-up is
//! lost: a waiter re-checks the stack and `active` under the lock.

use std::time::Instant;

use crate::driver::queue::sync::{Condvar, Mutex};
use crate::driver::queue::{Queue, WorkerStats};

struct State<J> {
    jobs: Vec<J>,
    active: usize,
    stopped: bool,
}

/// The stack with waiting.
pub struct StackQueue<J> {
    state: Mutex<State<J>>,
    wake: Condvar,
}

impl<J> StackQueue<J> {
    /// Creates the queue; `initial[0]` is taken first.
    pub fn new(mut initial: Vec<J>) -> StackQueue<J> {
        initial.reverse();
        StackQueue {
            state: Mutex::new(State {
                jobs: initial,
                active: 0,
                stopped: false,
            }),
            wake: Condvar::new(),
        }
    }
}

impl<J: Send> Queue<J> for StackQueue<J> {
    /// Whether this worker holds a job.
    type Local = bool;

    fn local(&self, _worker: usize) -> bool {
        false
    }

    fn next(&self, holds: &mut bool, stats: &mut WorkerStats, generated: Vec<J>) -> Option<J> {
        let start = Instant::now();
        let mut state = self.state.lock();
        stats.lock_wait += start.elapsed();
        if std::mem::take(holds) {
            state.active -= 1;
        }
        if !generated.is_empty() {
            state.jobs.extend(generated);
            self.wake.notify_all();
        }
        loop {
            if state.stopped {
                return None;
            }
            if let Some(job) = state.jobs.pop() {
                state.active += 1;
                *holds = true;
                return Some(job);
            }
            if state.active == 0 {
                // Nothing left and nothing in flight: everyone may leave.
                self.wake.notify_all();
                return None;
            }
            self.wake.wait(&mut state);
        }
    }

    fn stop(&self) {
        let mut state = self.state.lock();
        state.stopped = true;
        self.wake.notify_all();
    }
}
