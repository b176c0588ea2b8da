//! The synchronization primitives the queues use: parking_lot's in normal builds, loom's
//! under `--cfg loom`, so that the model tests explore every interleaving of the same code.

#[cfg(not(loom))]
pub use parking_lot::{Condvar, Mutex, MutexGuard};
#[cfg(not(loom))]
pub use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

#[cfg(loom)]
pub use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(loom)]
pub use loom_shim::{Condvar, Mutex, MutexGuard};

/// loom's `Mutex` and `Condvar` behind parking_lot's interface (no poisoning).
#[cfg(loom)]
mod loom_shim {
    /// A mutex.
    #[derive(Debug)]
    pub struct Mutex<T>(loom::sync::Mutex<T>);

    /// A held lock; `None` only while a condition variable waits.
    pub struct MutexGuard<'a, T>(Option<loom::sync::MutexGuard<'a, T>>);

    impl<T> Mutex<T> {
        /// Creates a mutex.
        pub fn new(value: T) -> Mutex<T> {
            Mutex(loom::sync::Mutex::new(value))
        }

        /// Locks it.
        pub fn lock(&self) -> MutexGuard<'_, T> {
            MutexGuard(Some(self.0.lock().expect("no poisoning in models")))
        }
    }

    impl<T> std::ops::Deref for MutexGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            self.0.as_ref().expect("held")
        }
    }

    impl<T> std::ops::DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            self.0.as_mut().expect("held")
        }
    }

    /// A condition variable.
    #[derive(Debug, Default)]
    pub struct Condvar(loom::sync::Condvar);

    impl Condvar {
        /// Creates one.
        pub fn new() -> Condvar {
            Condvar(loom::sync::Condvar::new())
        }

        /// Releases the lock, waits for a notification, and takes the lock again.
        pub fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
            let inner = guard.0.take().expect("held");
            guard.0 = Some(self.0.wait(inner).expect("no poisoning in models"));
        }

        /// Wakes every waiter.
        pub fn notify_all(&self) -> usize {
            self.0.notify_all();
            0
        }
    }
}
