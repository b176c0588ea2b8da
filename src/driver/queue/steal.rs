//! `steal`: per-worker deques with work stealing (crossbeam-deque). The initial jobs sit in
//! a shared injector; a worker pushes the closures it produced onto its own deque and pops
//! from it first (last in, first out, as a stack), then takes from the injector, then steals
//! from the others. A counter of outstanding jobs tells an idle worker when to leave.
//! There is no lock: `WorkerStats::lock_wait` stays zero, and searching counts as idle.

use crossbeam_deque::{Injector, Steal, Stealer, Worker};

use crate::driver::queue::sync::{AtomicBool, AtomicUsize, Mutex, Ordering};
use crate::driver::queue::{Queue, WorkerStats};

/// The injector and every worker's stealer.
pub struct StealQueue<J> {
    injector: Injector<J>,
    stealers: Vec<Stealer<J>>,
    /// The deques, handed out once each by `local`.
    deques: Mutex<Vec<Option<Worker<J>>>>,
    outstanding: AtomicUsize,
    stopped: AtomicBool,
}

/// A worker's own deque and index.
pub struct Local<J> {
    deque: Worker<J>,
    worker: usize,
    holds: bool,
}

impl<J> StealQueue<J> {
    /// Creates the queue for `workers` workers; `initial[0]` is taken first.
    pub fn new(initial: Vec<J>, workers: usize) -> StealQueue<J> {
        let deques: Vec<Worker<J>> = (0..workers).map(|_| Worker::new_lifo()).collect();
        let stealers = deques.iter().map(Worker::stealer).collect();
        let injector = Injector::new();
        let outstanding = initial.len();
        for job in initial {
            injector.push(job);
        }
        StealQueue {
            injector,
            stealers,
            deques: Mutex::new(deques.into_iter().map(Some).collect()),
            outstanding: AtomicUsize::new(outstanding),
            stopped: AtomicBool::new(false),
        }
    }

    fn find(&self, local: &Local<J>) -> Option<J> {
        if let Some(job) = local.deque.pop() {
            return Some(job);
        }
        loop {
            let mut retry = false;
            match self.injector.steal_batch_and_pop(&local.deque) {
                Steal::Success(job) => return Some(job),
                Steal::Retry => retry = true,
                Steal::Empty => {}
            }
            let n = self.stealers.len();
            for offset in 1..n {
                match self.stealers[(local.worker + offset) % n].steal() {
                    Steal::Success(job) => return Some(job),
                    Steal::Retry => retry = true,
                    Steal::Empty => {}
                }
            }
            if !retry {
                return None;
            }
        }
    }
}

impl<J: Send> Queue<J> for StealQueue<J> {
    type Local = Local<J>;

    fn local(&self, worker: usize) -> Local<J> {
        let deque = self.deques.lock()[worker]
            .take()
            .expect("each worker takes its deque once");
        Local {
            deque,
            worker,
            holds: false,
        }
    }

    fn next(&self, local: &mut Local<J>, _stats: &mut WorkerStats, generated: Vec<J>) -> Option<J> {
        self.outstanding
            .fetch_add(generated.len(), Ordering::AcqRel);
        for job in generated {
            local.deque.push(job);
        }
        if std::mem::take(&mut local.holds) {
            self.outstanding.fetch_sub(1, Ordering::AcqRel);
        }
        let backoff = crossbeam_utils::Backoff::new();
        loop {
            if self.stopped.load(Ordering::Acquire) {
                return None;
            }
            if let Some(job) = self.find(local) {
                local.holds = true;
                return Some(job);
            }
            if self.outstanding.load(Ordering::Acquire) == 0 {
                return None;
            }
            // Another worker is compiling and may produce closures.
            if backoff.is_completed() {
                std::thread::sleep(std::time::Duration::from_micros(20));
            } else {
                backoff.snooze();
            }
        }
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
    }
}
