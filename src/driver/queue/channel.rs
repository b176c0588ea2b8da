//! `channel`: the fan-out/fan-in pattern. Work travels on one channel; each worker sends
//! the closures it produced back into it. A counter of outstanding jobs (sent and not yet
//! finished) closes the channel when it reaches zero, which ends every worker's receive
//! loop. Results are kept per worker and gathered when the workers are joined, which is
//! the fan-in.

use std::time::Instant;

use crossbeam_channel::{Receiver, Sender};

use crate::driver::queue::sync::{AtomicBool, AtomicUsize, Mutex, Ordering};
use crate::driver::queue::{Queue, WorkerStats};

/// The work channel and its bookkeeping.
pub struct ChannelQueue<J> {
    /// Dropped (closing the channel) when the last job finishes or on stop.
    sender: Mutex<Option<Sender<J>>>,
    receiver: Receiver<J>,
    outstanding: AtomicUsize,
    stopped: AtomicBool,
}

impl<J> ChannelQueue<J> {
    /// Creates the queue; `initial[0]` is taken first.
    pub fn new(initial: Vec<J>) -> ChannelQueue<J> {
        let (sender, receiver) = crossbeam_channel::unbounded();
        let outstanding = initial.len();
        for job in initial {
            sender.send(job).expect("the receiver is alive");
        }
        ChannelQueue {
            sender: Mutex::new((outstanding > 0).then_some(sender)),
            receiver,
            outstanding: AtomicUsize::new(outstanding),
            stopped: AtomicBool::new(false),
        }
    }

    fn close(&self) {
        self.sender.lock().take();
    }
}

impl<J: Send> Queue<J> for ChannelQueue<J> {
    /// Whether this worker holds a job.
    type Local = bool;

    fn local(&self, _worker: usize) -> bool {
        false
    }

    fn next(&self, holds: &mut bool, stats: &mut WorkerStats, generated: Vec<J>) -> Option<J> {
        if !generated.is_empty() {
            // Count the new jobs before the finished one leaves the count, so it never
            // reaches zero while closures are on their way.
            self.outstanding
                .fetch_add(generated.len(), Ordering::AcqRel);
            let start = Instant::now();
            let sender = self.sender.lock();
            stats.lock_wait += start.elapsed();
            if let Some(sender) = sender.as_ref() {
                for job in generated {
                    sender.send(job).expect("the receiver is alive");
                }
            }
        }
        if std::mem::take(holds) && self.outstanding.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.close();
        }
        let job = self.receiver.recv().ok()?;
        if self.stopped.load(Ordering::Acquire) {
            return None;
        }
        *holds = true;
        Some(job)
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
        self.close();
    }
}
