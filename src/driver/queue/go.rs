//! `go`: exactly Go 1.27's `compileFunctions` queue. One `parking_lot` mutex guards a stack;
//! a worker pushes the closures its last function produced, pops the top, and exits when
//! the stack is empty, even if another worker is still compiling a function whose closures
//! will be pushed later (Go's quirk: those closures are then compiled by fewer workers).

use std::time::Instant;

use crate::driver::queue::sync::{AtomicBool, Mutex, Ordering};
use crate::driver::queue::{Queue, WorkerStats};

/// Go's mutex-protected stack.
pub struct GoQueue<J> {
    stack: Mutex<Vec<J>>,
    stopped: AtomicBool,
}

impl<J> GoQueue<J> {
    /// Creates the queue; `initial[0]` is taken first.
    pub fn new(mut initial: Vec<J>) -> GoQueue<J> {
        initial.reverse();
        GoQueue {
            stack: Mutex::new(initial),
            stopped: AtomicBool::new(false),
        }
    }
}

impl<J: Send> Queue<J> for GoQueue<J> {
    type Local = ();

    fn local(&self, _worker: usize) {}

    fn next(&self, _local: &mut (), stats: &mut WorkerStats, generated: Vec<J>) -> Option<J> {
        let start = Instant::now();
        let mut stack = self.stack.lock();
        stats.lock_wait += start.elapsed();
        stack.extend(generated);
        if self.stopped.load(Ordering::Acquire) {
            return None;
        }
        stack.pop()
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
    }
}
