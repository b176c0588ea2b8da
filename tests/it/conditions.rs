//! The executables' own failures: each program of `tests/data/conditions` is compiled by
//! toyc and run by the shell script beside it, which sets up a condition (a memory limit, a
//! pipe nobody reads, SIGPIPE ignored) in an empty directory and then runs it; what it did
//! is compared with what Go's executable did under the same script, recorded by
//! `tests/oracle/record.sh`, as the run corpus is compared.

use std::path::Path;
use std::process::Command;

use crate::run::{Outcome, assert_dir_behaves_as_go, build_to, spawn, wait};
use crate::support::root;
use toyc::driver::build::BuildOptions;

/// The shell's exit status for a program it found but could not start.
const CANNOT_EXECUTE: i32 = 126;

/// Runs `exe` by `sh script exe` in a new empty directory.
fn run_script(script: &Path, exe: &Path) -> Outcome {
    // As in `run::run_exe`, the kernel may refuse for a moment to run a file just written
    // ("text file busy"); here the shell reports it, with this status, and we try again.
    for _ in 0..50 {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut command = Command::new("sh");
        command.arg(script).arg(exe).current_dir(dir.path());
        let outcome = wait(spawn(command).expect("sh starts"), exe);
        if outcome.status != CANNOT_EXECUTE {
            return outcome;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("sh could not run {}", exe.display());
}

#[test]
fn programs_under_conditions_behave_as_go() {
    assert_dir_behaves_as_go("tests/data/conditions", |path, exe| {
        run_script(&path.with_extension("sh"), exe)
    });
}

/// Where not even a small main stack can be mapped, the executable says so on standard
/// error and exits with status 2. Go cannot start there either, but fails earlier, in its
/// own words (`fatal error: failed to reserve page summary memory`), so this is no
/// comparison.
#[test]
fn main_stack_refused_is_reported() {
    let work = tempfile::tempdir().expect("a temporary directory");
    let path = root().join("examples/hello.toy");
    let exe = build_to(&path, work.path(), &BuildOptions::default());
    let script = work.path().join("limit.sh");
    // 1000 KiB of address space: the executable loads, but less than the smallest stack
    // `entry` tries to map (twice its 1 MiB floor) is free.
    std::fs::write(&script, "ulimit -v 1000\nexec \"$1\"\n").expect("the script is written");
    let outcome = run_script(&script, &exe);
    assert_eq!(
        String::from_utf8_lossy(&outcome.stderr),
        "fatal error: cannot allocate the main stack\n"
    );
    assert_eq!(outcome.stdout, b"");
    assert_eq!(outcome.status, 2);
}
