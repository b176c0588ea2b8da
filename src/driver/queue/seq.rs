//! `seq`: no threads. The calling thread runs every job, taking them in the order one
//! worker of the `stack` strategy would (`-c 1`): largest first, closures as they come.

use std::time::Instant;

use crate::driver::queue::stack::StackQueue;
use crate::driver::queue::{Done, Timed, WorkerStats, worker};

/// Runs every job on the calling thread.
pub fn run<J, R, F>(initial: Vec<J>, work: &F, start: Instant) -> (Vec<Timed<R>>, Vec<WorkerStats>)
where
    J: Send,
    F: Fn(J) -> Done<J, R>,
{
    let queue = StackQueue::new(initial);
    let (results, stats) = worker(&queue, 0, work, start);
    (results, vec![stats])
}
