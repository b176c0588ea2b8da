//! What toyc does when it is interrupted (`SIGINT`, `SIGTERM`, `SIGHUP`): it removes the
//! temporary files and directories it is writing, then ends by the same signal, as if it
//! had not caught it; while `toyc run` waits for the program it started, it passes the
//! signal on to that program instead and lets the program decide, as `go run` does.
//!
//! A thread waits for the signals (signal-hook's iterator: the handler itself only wakes it),
//! so the clean-up runs as ordinary code. The paths to remove and the program's process are
//! kept in one table under a lock, which the signal thread holds to the end: a file cannot be
//! registered after the clean-up has looked at the table.
//!
//! This module does nothing until [`install`] is called (`main` does, for `build` and
//! `run`); tests that build in-process leave the process's signals as they were.

use std::path::{Path, PathBuf};

use parking_lot::Mutex;

/// The signals that end toyc after a clean-up.
const SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
];

/// What to clean up, and the program to pass signals to.
struct Pending {
    /// Temporary paths, files or directories, removed on a signal.
    paths: Vec<PathBuf>,
    /// The process `toyc run` is waiting for.
    child: Option<u32>,
}

static PENDING: Mutex<Pending> = Mutex::new(Pending {
    paths: Vec::new(),
    child: None,
});

/// Starts the thread that handles interruptions. Fails only when the signals cannot be
/// registered or the thread cannot start.
pub fn install() -> std::io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new(SIGNALS)?;
    std::thread::Builder::new()
        .name("toyc-signals".to_string())
        .stack_size(64 * 1024)
        .spawn(move || {
            for signal in signals.forever() {
                handle(signal);
            }
        })?;
    Ok(())
}

/// Passes `signal` to the running program, or cleans up and ends toyc with it.
fn handle(signal: i32) {
    let pending = PENDING.lock();
    if let Some(child) = pending.child {
        // The program is not reaped before `forget_child`, so its id cannot have been reused.
        if let (Some(pid), Some(signal)) = (
            rustix::process::Pid::from_raw(child as i32),
            rustix::process::Signal::from_named_raw(signal),
        ) {
            let _ = rustix::process::kill_process(pid, signal);
        }
        return;
    }
    for path in &pending.paths {
        if path.is_dir() {
            let _ = std::fs::remove_dir_all(path);
        } else {
            let _ = std::fs::remove_file(path);
        }
    }
    // The lock stays held: nothing can be registered between the clean-up and the end.
    std::mem::forget(pending);
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    // The default action of these signals ends the process; this is reached only if
    // something else changed it.
    std::process::exit(128 + signal);
}

/// A temporary path removed on an interruption until this guard is dropped.
#[must_use = "the path is unregistered when the guard is dropped"]
pub struct Registered(PathBuf);

/// Registers `path` for removal on an interruption.
pub fn register(path: &Path) -> Registered {
    PENDING.lock().paths.push(path.to_path_buf());
    Registered(path.to_path_buf())
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut pending = PENDING.lock();
        if let Some(idx) = pending.paths.iter().rposition(|path| *path == self.0) {
            pending.paths.swap_remove(idx);
        }
    }
}

/// Starts `command` and passes interruptions on to it until [`forget_child`]. The table
/// stays locked while the program starts: a signal that arrives then waits and goes to the
/// program, rather than ending toyc and leaving the program running without it.
pub fn spawn_child(command: &mut std::process::Command) -> std::io::Result<std::process::Child> {
    let mut pending = PENDING.lock();
    let child = command.spawn()?;
    pending.child = Some(child.id());
    Ok(child)
}

/// Stops passing interruptions on; call before reaping the process.
pub fn forget_child() {
    PENDING.lock().child = None;
}
