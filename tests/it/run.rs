//! The run corpus: every program of `tests/data/run` and `examples` is compiled by toyc,
//! executed natively, and compared with what the Go toolchain's executable did (recorded
//! beside it by `tests/oracle/record.sh`): standard output byte for byte, standard error up
//! to the first `panic:`/`fatal error:` line (the rule of LANGUAGE.md), and the exit status.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{file_name, root, toy_files};
use toyc::driver::{self, build::BuildOptions};

/// A program that runs longer than this has hung.
const WATCHDOG: Duration = Duration::from_secs(60);

/// Builds `path` with toyc into `dir`; returns the executable's path.
pub fn build_to(path: &Path, dir: &Path, options: &BuildOptions) -> std::path::PathBuf {
    let (_, built) = crate::support::build_file(path, options);
    let exe = dir.join(path.file_stem().expect("a file name"));
    driver::output::write(
        &exe,
        driver::output::Target::Replace,
        &built.executable,
        true,
    )
    .expect("the executable is written");
    exe
}

/// What a program did.
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: i32,
}

/// Runs `exe` with no input, under the watchdog.
pub fn run_exe(exe: &Path) -> Outcome {
    run_exe_with(exe, &[])
}

/// Runs `exe` with no input and the environment variables `env` added, under the watchdog.
pub fn run_exe_with(exe: &Path, env: &[(&str, &str)]) -> Outcome {
    // Another test thread forking while this executable was open for writing leaves a
    // copy of its descriptor in that child until it execs: the kernel then refuses to run
    // the file ("text file busy") for a moment. Try again, as cargo does.
    let mut tries = 0;
    loop {
        let mut command = Command::new(exe);
        command.envs(env.iter().copied());
        match spawn(command) {
            Err(error) if error.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
            started => break wait(started.expect("the executable starts"), exe),
        }
    }
}

/// Starts `command` with no input and its output piped.
pub fn spawn(mut command: Command) -> std::io::Result<Child> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
}

/// Collects the output and exit status of `child`, started by `spawn` to run `exe`, under
/// the watchdog. A death by signal N reads as status 128 + N, as a shell shows it.
pub fn wait(mut child: Child, exe: &Path) -> Outcome {
    let mut stdout_pipe = child.stdout.take().expect("piped");
    let mut stderr_pipe = child.stderr.take().expect("piped");
    let out_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout_pipe.read_to_end(&mut buf);
        buf
    });
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr_pipe.read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting works") {
            break status;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!("{} ran longer than {WATCHDOG:?}", exe.display());
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    use std::os::unix::process::ExitStatusExt;
    Outcome {
        stdout: out_thread.join().expect("reader"),
        stderr: err_thread.join().expect("reader"),
        status: status
            .code()
            .unwrap_or_else(|| 128 + status.signal().unwrap_or(0)),
    }
}

/// Cuts stderr as the recorded expectations are cut: up to and including the first line
/// that starts with (or failing that, contains) `panic: ` or `fatal error: `, without
/// `[signal …` lines and the `runtime: …` lines just before a `fatal error: ` line (the
/// runtime's details: addresses, sizes in use, which differ between the two runtimes).
pub fn cut_stderr(stderr: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let starts = |line: &str| line.starts_with("panic: ") || line.starts_with("fatal error: ");
    let cut = lines.iter().position(|line| starts(line)).or_else(|| {
        lines
            .iter()
            .position(|line| line.contains("panic: ") || line.contains("fatal error: "))
    });
    let Some(cut) = cut else {
        return stderr.to_vec();
    };
    let mut first_drop = cut;
    if lines[cut].contains("fatal error: ") {
        while first_drop > 0 && lines[first_drop - 1].starts_with("runtime: ") {
            first_drop -= 1;
        }
    }
    let mut out = String::new();
    for line in &lines[..first_drop] {
        if !line.starts_with("[signal ") {
            out.push_str(line);
        }
    }
    out.push_str(lines[cut].trim_end_matches('\n'));
    out.push('\n');
    out.into_bytes()
}

fn expected(path: &Path, ext: &str) -> Vec<u8> {
    let file = path.with_extension(ext);
    std::fs::read(&file).unwrap_or_else(|error| panic!("cannot read {}: {error}", file.display()))
}

/// Compares what the program at `path` did with what Go's executable did, recorded beside
/// it; returns a description of each mismatch.
pub fn compare(path: &Path, outcome: &Outcome) -> Vec<String> {
    let name = file_name(path);
    let mut failures = Vec::new();
    let status: i32 = String::from_utf8_lossy(&expected(path, "status"))
        .trim()
        .parse()
        .expect("a status");
    let want_out = expected(path, "stdout");
    let want_err = expected(path, "stderr");
    let got_err = cut_stderr(&outcome.stderr);
    let streams = [
        ("stdout", &want_out, &outcome.stdout),
        ("stderr", &want_err, &got_err),
    ];
    for (stream, want, got) in streams {
        if got != want {
            failures.push(format!(
                "{name}: {stream} differs\n--- want\n{}\n--- got\n{}",
                String::from_utf8_lossy(want),
                String::from_utf8_lossy(got)
            ));
        }
    }
    if outcome.status != status {
        failures.push(format!(
            "{name}: exit status {} (want {status})",
            outcome.status
        ));
    }
    failures
}

/// Compiles every program in `dir` and runs it with `run` (given the source and the
/// executable); fails with a description of each mismatch with Go's recorded outcome.
pub fn assert_dir_behaves_as_go(dir: &str, run: impl Fn(&Path, &Path) -> Outcome) {
    assert_dir_runs_behave_as_go(dir, &[("", &run)]);
}

/// The collector's stress mode: a collection at every allocation, and freed memory
/// poisoned, so that a pointer the collector missed shows as a wrong output.
const GC_STRESS: [(&str, &str); 1] = [("TOYGC", "stress")];

/// A way to run a program, given its source and its executable.
type Run<'r> = &'r dyn Fn(&Path, &Path) -> Outcome;

/// Compiles every program in `dir` and runs it with each of `runs` (a name for the
/// mismatches, and how to run it); fails with a description of each mismatch with Go's
/// recorded outcome.
fn assert_dir_runs_behave_as_go(dir: &str, runs: &[(&str, Run)]) {
    let work = tempfile::tempdir().expect("a temporary directory");
    let mut failures = Vec::new();
    for path in toy_files(dir) {
        let exe = build_to(&path, work.path(), &BuildOptions::default());
        for (name, run) in runs {
            failures.extend(
                compare(&path, &run(&path, &exe))
                    .into_iter()
                    .map(|failure| format!("{name}{failure}")),
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Each program runs as it is, then under the collector's stress mode.
#[test]
fn run_corpus_behaves_as_go() {
    assert_dir_runs_behave_as_go(
        "tests/data/run",
        &[
            ("", &|_, exe| run_exe(exe)),
            ("TOYGC=stress: ", &|_, exe| run_exe_with(exe, &GC_STRESS)),
        ],
    );
}

#[test]
fn examples_behave_as_go() {
    assert_dir_runs_behave_as_go(
        "examples",
        &[
            ("", &|_, exe| run_exe(exe)),
            ("TOYGC=stress: ", &|_, exe| run_exe_with(exe, &GC_STRESS)),
        ],
    );
}

#[test]
fn hello_world_is_small() {
    let work = tempfile::tempdir().expect("a temporary directory");
    let exe = build_to(
        &root().join("examples/hello.toy"),
        work.path(),
        &BuildOptions::default(),
    );
    let size = std::fs::metadata(&exe)
        .expect("the executable exists")
        .len();
    assert!(size < 16 * 1024, "hello world is {size} bytes");
}
