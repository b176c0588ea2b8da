//! The work queues of the parallel back end, one strategy per file behind one trait.
//!
//! A worker loops as Go's `compileFunctions` workers do: hand the queue the jobs its last
//! job produced and take the next one (`Queue::next`), run it, repeat until the queue says
//! stop. The strategies differ only in how `next` shares the jobs:
//!
//! - `go` ([`go::GoQueue`]): Go 1.27's mutex-protected stack, exiting when it is empty;
//! - `stack` ([`stack::StackQueue`], the default): the same stack, but idle workers wait
//!   while a job is in flight, since it may produce closures;
//! - `channel` ([`channel::ChannelQueue`]): a work channel, closures sent back into it;
//! - `steal` ([`steal::StealQueue`]): per-worker deques with stealing;
//! - `seq` ([`seq::run`]): no threads; the `stack` queue driven by the calling thread.
//!
//! Invariant: the queue's own work is the only shared, synchronized state of the back end;
//! what a job computes is kept by the worker that ran it and gathered after the join.

pub mod channel;
pub mod go;
pub mod seq;
pub mod stack;
pub mod steal;
pub mod sync;

use std::time::{Duration, Instant};

/// How workers share jobs.
pub trait Queue<J: Send>: Sync {
    /// A worker's own state (its deque, whether it holds a job).
    type Local;

    /// Returns worker `worker`'s state; called once per worker before its first `next`.
    fn local(&self, worker: usize) -> Self::Local;

    /// Hands over the jobs the worker's last job produced and returns its next job, or
    /// `None` when the worker should exit.
    fn next(
        &self,
        local: &mut Self::Local,
        stats: &mut WorkerStats,
        generated: Vec<J>,
    ) -> Option<J>;

    /// Stops handing out jobs: every later `next` returns `None`, and waiting workers wake.
    fn stop(&self);
}

/// The queue strategies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Go 1.27's scheme.
    Go,
    /// The stack with waiting (default).
    Stack,
    /// Fan-out/fan-in over channels.
    Channel,
    /// Work-stealing deques.
    Steal,
    /// No threads.
    Seq,
}

impl Strategy {
    /// Every strategy, for tests and benchmarks.
    pub const ALL: [Strategy; 5] = [
        Strategy::Go,
        Strategy::Stack,
        Strategy::Channel,
        Strategy::Steal,
        Strategy::Seq,
    ];

    /// Returns its `--queue` name.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Go => "go",
            Strategy::Stack => "stack",
            Strategy::Channel => "channel",
            Strategy::Steal => "steal",
            Strategy::Seq => "seq",
        }
    }
}

/// What one worker did.
#[derive(Clone, Debug, Default)]
pub struct WorkerStats {
    /// Jobs it ran.
    pub jobs: u64,
    /// Time running jobs.
    pub busy: Duration,
    /// Time in `next`: waiting for work, including `lock_wait`.
    pub idle: Duration,
    /// Time waiting to acquire the queue's lock.
    pub lock_wait: Duration,
}

/// What a job returned.
pub struct Done<J, R> {
    /// Its result.
    pub result: R,
    /// The jobs it produced.
    pub generated: Vec<J>,
    /// True if it failed: the queue stops handing out work.
    pub failed: bool,
}

/// A job's result with when and where it ran.
pub struct Timed<R> {
    /// The result.
    pub result: R,
    /// The worker that ran it.
    pub worker: usize,
    /// Start and end, from the start of the run.
    pub start: Duration,
    /// See `start`.
    pub end: Duration,
}

/// The outcome of a run.
pub struct Run<R> {
    /// Every job's result, grouped by worker.
    pub results: Vec<Timed<R>>,
    /// Per worker.
    pub workers: Vec<WorkerStats>,
    /// Wall time from start to the last join.
    pub wall: Duration,
    /// Workers whose thread could not start, and why the first did not; the others ran
    /// their share.
    pub unstarted: Option<(usize, String)>,
}

/// Runs `work` on every job (`initial[0]` first) and on every job a job produces, with
/// `workers` threads of `stack` bytes of stack sharing them by `strategy`. A worker whose
/// thread cannot start is reported in [`Run::unstarted`]; when none can, the calling thread
/// is the one worker.
pub fn run<J, R, F>(
    strategy: Strategy,
    workers: usize,
    stack: usize,
    initial: Vec<J>,
    work: F,
) -> Run<R>
where
    J: Send,
    R: Send,
    F: Fn(J) -> Done<J, R> + Sync,
{
    let start = Instant::now();
    let threads = Threads {
        workers,
        stack,
        start,
    };
    let ((results, stats), unstarted) = match strategy {
        Strategy::Go => threads.spawn(&go::GoQueue::new(initial), &work),
        Strategy::Stack => threads.spawn(&stack::StackQueue::new(initial), &work),
        Strategy::Channel => threads.spawn(&channel::ChannelQueue::new(initial), &work),
        Strategy::Steal => threads.spawn(&steal::StealQueue::new(initial, workers), &work),
        Strategy::Seq => (seq::run(initial, &work, start), None),
    };
    Run {
        results,
        workers: stats,
        wall: start.elapsed(),
        unstarted,
    }
}

type Gathered<R> = (Vec<Timed<R>>, Vec<WorkerStats>);

/// How to start the workers.
struct Threads {
    workers: usize,
    stack: usize,
    start: Instant,
}

impl Threads {
    fn spawn<J, R, F, Q>(&self, queue: &Q, work: &F) -> (Gathered<R>, Option<(usize, String)>)
    where
        J: Send,
        R: Send,
        F: Fn(J) -> Done<J, R> + Sync,
        Q: Queue<J>,
    {
        let start = self.start;
        std::thread::scope(|scope| {
            let mut unstarted: Option<(usize, String)> = None;
            let mut handles = Vec::with_capacity(self.workers);
            for idx in 0..self.workers {
                let spawned = std::thread::Builder::new()
                    .name(format!("toyc-worker-{idx}"))
                    .stack_size(self.stack)
                    .spawn_scoped(scope, move || worker(queue, idx, work, start));
                match spawned {
                    Ok(handle) => handles.push(handle),
                    Err(error) => match &mut unstarted {
                        Some((count, _)) => *count += 1,
                        None => unstarted = Some((1, error.to_string())),
                    },
                }
            }
            if handles.is_empty() {
                // The calling thread's stack is at least a worker's: it holds the pipeline.
                let (results, stats) = worker(queue, 0, work, start);
                return ((results, vec![stats]), unstarted);
            }
            (join(handles, self.workers), unstarted)
        })
    }
}

/// Joins the workers and gathers what they did; a worker's panic is resumed once all have
/// been joined.
fn join<R>(
    handles: Vec<std::thread::ScopedJoinHandle<'_, (Vec<Timed<R>>, WorkerStats)>>,
    workers: usize,
) -> Gathered<R> {
    let mut results = Vec::new();
    let mut stats = Vec::with_capacity(workers);
    let mut panic = None;
    // Join every worker before re-raising a panic: no thread is left running.
    for handle in handles {
        match handle.join() {
            Ok((worker_results, worker_stats)) => {
                results.extend(worker_results);
                stats.push(worker_stats);
            }
            Err(payload) => panic = Some(payload),
        }
    }
    if let Some(payload) = panic {
        std::panic::resume_unwind(payload);
    }
    (results, stats)
}

fn worker<J, R, F, Q>(
    queue: &Q,
    idx: usize,
    work: &F,
    start: Instant,
) -> (Vec<Timed<R>>, WorkerStats)
where
    J: Send,
    F: Fn(J) -> Done<J, R>,
    Q: Queue<J>,
{
    let mut local = queue.local(idx);
    let mut stats = WorkerStats::default();
    let mut results = Vec::new();
    let mut generated = Vec::new();
    loop {
        let waiting = Instant::now();
        let next = queue.next(&mut local, &mut stats, std::mem::take(&mut generated));
        let job_start = Instant::now();
        stats.idle += job_start - waiting;
        let Some(job) = next else {
            break;
        };
        let done = work(job);
        let job_end = Instant::now();
        stats.busy += job_end - job_start;
        stats.jobs += 1;
        if done.failed {
            queue.stop();
        }
        generated = done.generated;
        results.push(Timed {
            result: done.result,
            worker: idx,
            start: job_start - start,
            end: job_end - start,
        });
    }
    (results, stats)
}

/// Model tests under loom: every interleaving of two workers over the `go` and `stack`
/// queues, with a job that produces a closure, must run each job exactly once and end.
/// Run with `RUSTFLAGS="--cfg loom" cargo test --release --lib queue`.
#[cfg(all(test, loom))]
mod loom_tests {
    use loom::sync::Arc;

    use super::{Queue, WorkerStats, go::GoQueue, stack::StackQueue};

    /// Job 0 produces job 2, as a function produces a closure.
    fn model<Q: Queue<u32> + Send + 'static>(make: fn(Vec<u32>) -> Q) {
        loom::model(move || {
            let queue = Arc::new(make(vec![0, 1]));
            let done = Arc::new(loom::sync::Mutex::new(Vec::new()));
            let workers: Vec<_> = (0..2)
                .map(|idx| {
                    let queue = Arc::clone(&queue);
                    let done = Arc::clone(&done);
                    loom::thread::spawn(move || {
                        let mut local = queue.local(idx);
                        let mut stats = WorkerStats::default();
                        let mut generated = Vec::new();
                        while let Some(job) =
                            queue.next(&mut local, &mut stats, std::mem::take(&mut generated))
                        {
                            done.lock().expect("no poisoning").push(job);
                            if job == 0 {
                                generated.push(2);
                            }
                        }
                    })
                })
                .collect();
            for worker in workers {
                worker.join().expect("the worker ends");
            }
            let mut done = done.lock().expect("no poisoning").clone();
            done.sort_unstable();
            assert_eq!(done, vec![0, 1, 2], "a job was lost or run twice");
        });
    }

    #[test]
    fn go_queue_loses_no_closure() {
        model(GoQueue::new);
    }

    #[test]
    fn stack_queue_loses_no_closure_and_no_wakeup() {
        model(StackQueue::new);
    }
}
