//! What toyc does with a careless or hostile user: it never replaces a file that is not its
//! own, keeps its memory bounded by its input, sizes its threads to their work, fails
//! quietly on closed streams and cleans up when interrupted.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{NESTING_DEPTH, deep_nesting_cases};

const HELLO: &str = "package main\n\nfunc main() {\n\tprintln(\"hello\")\n}\n";

/// A scratch directory holding `hello.toy`.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(dir.path().join("hello.toy"), HELLO).expect("writable");
        Scratch { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs toyc in the directory and returns its status and standard error.
    fn toyc(&self, args: &[&str]) -> (i32, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_toyc"))
            .args(args)
            .current_dir(self.dir.path())
            .stdout(Stdio::null())
            .output()
            .expect("toyc runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Returns the names of the directory's entries, sorted.
    fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("listable")
            .map(|entry| {
                entry
                    .expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }
}

#[test]
fn build_never_writes_over_its_input_or_a_file_that_is_not_an_executable() {
    let scratch = Scratch::new();
    std::fs::copy(scratch.path("hello.toy"), scratch.path("notes")).expect("copied");
    std::fs::write(scratch.path("notes.txt"), "keep me\n").expect("writable");
    std::fs::write(scratch.path("t.json"), "{\"mine\": 1}\n").expect("writable");
    let cases: &[(&[&str], &str)] = &[
        (
            &["build", "-o", "hello.toy", "hello.toy"],
            "toyc: build output \"hello.toy\" is the input file; name another with -o\n",
        ),
        (
            &["build", "notes"],
            "toyc: build output \"notes\" is the input file; name another with -o\n",
        ),
        (
            &["build", "hello.toy", "-o", "notes.txt"],
            "toyc: build output \"notes.txt\" already exists and is not an object file\n",
        ),
        (
            &["build", "hello.toy", "--trace", "hello.toy"],
            "toyc: trace output \"hello.toy\" is the input file; name another with --trace\n",
        ),
        (
            &["build", "hello.toy", "--trace", "t.json"],
            "toyc: trace output \"t.json\" already exists and is not a trace\n",
        ),
        (
            &["build", "hello.toy", "-o", "x", "--trace", "x"],
            "toyc: --trace and -o name the same file \"x\"\n",
        ),
    ];
    for (args, message) in cases {
        let (status, stderr) = scratch.toyc(args);
        assert_eq!((status, stderr.as_str()), (2, *message), "{args:?}");
    }
    assert_eq!(
        std::fs::read_to_string(scratch.path("hello.toy")).expect("kept"),
        HELLO
    );
    assert_eq!(
        std::fs::read_to_string(scratch.path("notes")).expect("kept"),
        HELLO
    );
    assert_eq!(
        std::fs::read_to_string(scratch.path("notes.txt")).expect("kept"),
        "keep me\n"
    );
    assert_eq!(
        std::fs::read_to_string(scratch.path("t.json")).expect("kept"),
        "{\"mine\": 1}\n"
    );
    assert_eq!(
        scratch.entries(),
        ["hello.toy", "notes", "notes.txt", "t.json"],
        "nothing else was written"
    );
}

#[test]
fn build_replaces_its_own_executable_and_trace_and_writes_into_a_directory() {
    let scratch = Scratch::new();
    for _ in 0..2 {
        let (status, stderr) = scratch.toyc(&["build", "hello.toy", "--trace", "t.json"]);
        assert_eq!(status, 0, "{stderr}");
    }
    let trace = std::fs::read_to_string(scratch.path("t.json")).expect("a trace");
    assert!(trace.starts_with("{\"traceEvents\":"), "{trace}");
    std::fs::create_dir(scratch.path("bin")).expect("a directory");
    let (status, stderr) = scratch.toyc(&["build", "hello.toy", "-o", "bin"]);
    assert_eq!(status, 0, "{stderr}");
    let run = Command::new(scratch.path("bin/hello"))
        .output()
        .expect("the executable runs");
    assert_eq!(run.stderr, b"hello\n");
    assert_eq!(scratch.entries(), ["bin", "hello", "hello.toy", "t.json"]);
}

/// A trace that cannot be written leaves the old executable as it was.
#[test]
fn a_trace_that_cannot_be_written_leaves_the_executable_alone() {
    let scratch = Scratch::new();
    let (status, stderr) = scratch.toyc(&["build", "hello.toy"]);
    assert_eq!(status, 0, "{stderr}");
    let before = std::fs::read(scratch.path("hello")).expect("an executable");
    std::fs::write(scratch.path("other.toy"), HELLO.replace("hello", "changed")).expect("writable");
    let (status, stderr) = scratch.toyc(&[
        "build",
        "other.toy",
        "-o",
        "hello",
        "--trace",
        "missing/t.json",
    ]);
    assert_eq!(status, 2);
    assert!(
        stderr.starts_with("toyc: cannot write missing/t.json: No such file or directory"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(scratch.path("hello")).expect("kept"), before);
}

#[test]
fn errors_writing_the_output_name_the_users_path() {
    let scratch = Scratch::new();
    let (status, stderr) = scratch.toyc(&["build", "hello.toy", "-o", "missing/hello"]);
    assert_eq!(
        (status, stderr.as_str()),
        (
            2,
            "toyc: cannot write missing/hello: No such file or directory\n"
        )
    );
}

/// Output to a reader that went away, and diagnostics to a full device, end quietly with
/// the status the work deserves, not a panic.
#[test]
fn closed_and_full_streams_fail_quietly() {
    let scratch = Scratch::new();
    let mut generator = Command::new(env!("CARGO_BIN_EXE_toyc"))
        .args(["gen", "--funcs", "20000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("toyc starts");
    let mut first = [0u8; 1];
    generator
        .stdout
        .take()
        .expect("piped")
        .read_exact(&mut first)
        .expect("a byte");
    // The read end is closed here, with most of the program still to write.
    let out = generator.wait_with_output().expect("toyc ends");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");

    std::fs::write(
        scratch.path("bad.toy"),
        "package main\n\nfunc main() { x }\n",
    )
    .expect("writable");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full opens");
    let status = Command::new(env!("CARGO_BIN_EXE_toyc"))
        .args(["check", "bad.toy"])
        .current_dir(scratch.dir.path())
        .stderr(full)
        .status()
        .expect("toyc runs");
    assert_eq!(status.code(), Some(1));

    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full opens");
    let out = Command::new(env!("CARGO_BIN_EXE_toyc"))
        .args(["build", "-S", "hello.toy"])
        .current_dir(scratch.dir.path())
        .stdout(full)
        .output()
        .expect("toyc runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "toyc: cannot write to standard output: No space left on device\n"
    );
}

/// Sends `signal` to toyc half a second into a build that `TOYC_FAULT` slows down, and
/// returns how it ended.
fn interrupt_build(scratch: &Scratch, args: &[&str], signal: i32) -> std::process::ExitStatus {
    let mut child = Command::new(env!("CARGO_BIN_EXE_toyc"))
        .args(args)
        .current_dir(scratch.dir.path())
        .env("TOYC_FAULT", "slow:main:3000")
        .env("TMPDIR", scratch.path("tmp"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("toyc starts");
    std::thread::sleep(Duration::from_millis(500));
    // SAFETY: kill has no memory effects; the child is not reaped yet, so its id is its own.
    #[expect(
        unsafe_code,
        reason = "std sends only SIGKILL; the test needs SIGINT and SIGTERM"
    )]
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    assert_eq!(sent, 0);
    child.wait().expect("toyc ends")
}

/// An interruption during the build ends toyc by that signal and leaves nothing behind:
/// `toyc run`'s temporary directory, which holds the executable while it is written, is
/// removed, as is a build's temporary file.
#[test]
fn an_interrupted_build_leaves_no_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    for signal in [libc::SIGINT, libc::SIGTERM] {
        for command in ["build", "run"] {
            let scratch = Scratch::new();
            let tmp = scratch.path("tmp");
            std::fs::create_dir(&tmp).expect("a directory");
            let status = interrupt_build(&scratch, &[command, "hello.toy"], signal);
            assert_eq!(status.signal(), Some(signal), "{command} {status:?}");
            assert_eq!(
                scratch.entries(),
                ["hello.toy", "tmp"],
                "{command} {signal}"
            );
            assert_eq!(
                std::fs::read_dir(&tmp).expect("listable").count(),
                0,
                "{command} {signal}: a temporary directory was left behind"
            );
        }
    }
}

/// `toyc run` passes SIGTERM on to the program and cleans up its temporary directory
/// after; the program is not left running.
#[test]
fn toyc_run_passes_a_signal_on_and_cleans_up() {
    let scratch = Scratch::new();
    std::fs::write(
        scratch.path("spin.toy"),
        "package main\n\nfunc main() {\n\tprintln(\"started\")\n\tfor {\n\t}\n}\n",
    )
    .expect("writable");
    let tmp = scratch.path("tmp");
    std::fs::create_dir(&tmp).expect("a directory");
    let mut child = Command::new(env!("CARGO_BIN_EXE_toyc"))
        .args(["run", "spin.toy"])
        .current_dir(scratch.dir.path())
        .env("TMPDIR", &tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("toyc starts");
    let mut stderr = child.stderr.take().expect("piped");
    let mut started = [0u8; 8];
    stderr.read_exact(&mut started).expect("the program starts");
    assert_eq!(&started, b"started\n");
    let program = program_of(child.id()).expect("the program runs as toyc's child");
    // SAFETY: as in `interrupt_build`.
    #[expect(unsafe_code, reason = "std sends only SIGKILL; the test needs SIGTERM")]
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(sent, 0);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting works") {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "toyc run did not end"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(128 + libc::SIGTERM));
    assert!(
        !Path::new(&format!("/proc/{program}")).exists(),
        "the program was left running"
    );
    assert_eq!(
        std::fs::read_dir(&tmp).expect("listable").count(),
        0,
        "the temporary directory was left behind"
    );
}

/// Returns the id of a child process of `parent`, from `/proc/*/stat`.
fn program_of(parent: u32) -> Option<u32> {
    std::fs::read_dir("/proc").ok()?.find_map(|entry| {
        let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
        let ppid: u32 = stat
            .rsplit_once(')')?
            .1
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()?;
        (ppid == parent).then_some(pid)
    })
}

/// The memory a build may take on the constant-heavy files below: Go needs 47 to 272 MB for
/// them (`go build`, Go 1.27), and toyc once needed 3 to 4 GB to check them, copying a
/// constant string at every use and at every step of a concatenation. The figure is the
/// process's own (`VmHWM`): a child's `rusage` would also count the test process it was
/// forked from.
const CONSTANT_FILES_BOUND: u64 = 100 << 20;

/// Writes `text` as `name` in `scratch` and builds it, and asserts that the build's peak
/// resident memory, as `--timings` reports it, stays within [`CONSTANT_FILES_BOUND`].
fn assert_bounded(scratch: &Scratch, name: &str, text: &str) {
    std::fs::write(scratch.path(name), text).expect("writable");
    let out = Command::new(env!("CARGO_BIN_EXE_toyc"))
        .args(["build", "--timings", name])
        .current_dir(scratch.dir.path())
        .output()
        .expect("toyc runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "toyc build {name}: {stderr}");
    let peak: f64 = stderr
        .lines()
        .find_map(|line| line.strip_prefix("peak memory"))
        .and_then(|rest| rest.trim().strip_suffix(" MB"))
        .and_then(|megabytes| megabytes.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak memory in --timings:\n{stderr}"));
    assert!(
        peak * 1e6 < CONSTANT_FILES_BOUND as f64,
        "toyc build {name} took {peak} MB"
    );
}

/// A 1 MB constant used in 2,000 functions: every use shares the checker's bytes, and the
/// executable holds them once.
#[test]
fn a_large_constant_used_everywhere_is_shared() {
    let scratch = Scratch::new();
    let mut text = format!(
        "package main\n\nconst big = \"{}\"\n\n",
        "x".repeat(1 << 20)
    );
    for idx in 0..2000 {
        text.push_str(&format!(
            "func f{idx}(n int) int {{\n\ts := big\n\tif n > {idx} {{\n\t\ts = \"{idx}\"\n\t}}\n\treturn len(s) + len(big)\n}}\n\n"
        ));
    }
    text.push_str("func main() {\n\tprintln(f0(1), f1999(3000))\n}\n");
    assert_bounded(&scratch, "big.toy", &text);
    let exe = std::fs::metadata(scratch.path("big")).expect("an executable");
    assert!(
        exe.len() < 2 << 20,
        "the executable has {} bytes",
        exe.len()
    );
    let run = Command::new(scratch.path("big")).output().expect("it runs");
    assert_eq!(run.stderr, b"1048577 1048580\n");
}

/// Text embedded the usual way: a 670 KB chain of `"..." +` lines, and a chain of constants
/// each defined by the one before.
#[test]
fn concatenation_chains_take_linear_memory() {
    let scratch = Scratch::new();
    let line = format!("\t\"{}\" +\n", "abcdefghij".repeat(6));
    let text = format!(
        "package main\n\nconst text = \"\" +\n{}\t\"end\"\n\nfunc main() {{\n\ts := text\n\tprintln(len(text), len(s))\n}}\n",
        line.repeat(670_000 / line.len())
    );
    assert_bounded(&scratch, "chain.toy", &text);
    let run = Command::new(scratch.path("chain"))
        .output()
        .expect("it runs");
    assert_eq!(run.stderr, b"609063 609063\n");

    let mut text = String::from("package main\n\nconst c0 = \"start\"\n");
    for idx in 1..20_000 {
        text.push_str(&format!(
            "const c{idx} = c{} + \"{}\"\n",
            idx - 1,
            "y".repeat(80)
        ));
    }
    text.push_str("\nfunc main() {\n\ts := c19999\n\tprintln(len(s), len(c10000))\n}\n");
    assert_bounded(&scratch, "consts.toy", &text);
    let run = Command::new(scratch.path("consts"))
        .output()
        .expect("it runs");
    assert_eq!(run.stderr, b"1599925 800005\n");
}

/// Threads are sized to their work: hello builds and runs in 1 GB of address space at any
/// worker count (it needed 3.2 GB when every thread reserved a 1 GiB stack), also with eight
/// threads running at once, and a worker count past any use is capped, with a note, rather
/// than aborting.
#[test]
fn hello_builds_in_one_gigabyte_of_address_space_at_any_worker_count() {
    let scratch = Scratch::new();
    for (idx, flags) in ["-c 1", "-c 2", "-c 8", "-c 64", "-c 8 --procs 8"]
        .iter()
        .enumerate()
    {
        let script = format!(
            "ulimit -v 1000000 && \"$0\" build {flags} -o hello-{idx} hello.toy && exec ./hello-{idx}"
        );
        let out = Command::new("sh")
            .args(["-c", &script, env!("CARGO_BIN_EXE_toyc")])
            .current_dir(scratch.dir.path())
            .output()
            .expect("sh runs");
        assert_eq!(
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).as_ref()
            ),
            (Some(0), "hello\n"),
            "{flags}"
        );
    }
    let out = Command::new(env!("CARGO_BIN_EXE_toyc"))
        .args([
            "build",
            "-c",
            "100000",
            "--procs",
            "100000",
            "--timings",
            "hello.toy",
        ])
        .current_dir(scratch.dir.path())
        .output()
        .expect("toyc runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("-c 100000, 256 worker threads")
            && stderr.contains("note: at most 256 threads run"),
        "{stderr}"
    );
}

/// Deep nesting gets the stack it needs, on the pipeline's thread and the workers', though
/// the file is small: each level of nesting takes a byte or two of source.
#[test]
fn deeply_nested_programs_build_on_stacks_sized_to_their_source() {
    let scratch = Scratch::new();
    for (name, text, printed) in deep_nesting_cases() {
        std::fs::write(scratch.path(&format!("{name}.toy")), text).expect("writable");
        let (status, stderr) = scratch.toyc(&["build", "-c", "2", &format!("{name}.toy")]);
        assert_eq!(status, 0, "{name}: {stderr}");
        let run = Command::new(scratch.path(name)).output().expect("it runs");
        assert_eq!(String::from_utf8_lossy(&run.stderr), printed, "{name}");
    }
    let text = format!(
        "package main\n\nvar g = {}1{}\n\nfunc main() {{\n\tprintln(g)\n}}\n",
        "(".repeat(NESTING_DEPTH),
        ")".repeat(NESTING_DEPTH)
    );
    std::fs::write(scratch.path("global.toy"), text).expect("writable");
    let (status, stderr) = scratch.toyc(&["build", "global.toy"]);
    assert_eq!(status, 0, "{stderr}");
}

/// A stream of zeros ends at gc's tenth error rather than filling memory, and a file past
/// the size toyc reads is refused with a message.
#[test]
fn endless_or_huge_input_is_refused_early() {
    let out = Command::new(env!("CARGO_BIN_EXE_toyc"))
        .args(["check", "/dev/zero"])
        .output()
        .expect("toyc runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "/dev/zero:1:1: invalid NUL character\n/dev/zero:1:11: syntax error: package statement must be first\n"
    );
    let scratch = Scratch::new();
    let huge = std::fs::File::create(scratch.path("huge.toy")).expect("writable");
    // A sparse file: its size costs no disk.
    huge.set_len(toyc::driver::MAX_SOURCE_BYTES as u64 + 1)
        .expect("sized");
    let (status, stderr) = scratch.toyc(&["check", "huge.toy"]);
    assert_eq!(
        (status, stderr.as_str()),
        (
            2,
            "toyc: huge.toy: file too large: toyc reads at most 256 MiB of source\n"
        )
    );
}

/// An executable is closed before it is renamed into place, so running it while other builds
/// replace it never fails with "text file busy" (it did 3 times in 200 runs, with the file
/// still open for writing when it appeared under its name).
#[test]
fn an_executable_replaced_while_it_runs_is_never_busy() {
    let scratch = Scratch::new();
    let (status, stderr) = scratch.toyc(&["build", "-o", "exe", "hello.toy"]);
    assert_eq!(status, 0, "{stderr}");
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let runner = scope.spawn(|| {
            let mut runs = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let run = Command::new(scratch.path("exe"))
                    .output()
                    .unwrap_or_else(|error| panic!("run {runs} failed: {error}"));
                assert_eq!(run.stderr, b"hello\n");
                runs += 1;
            }
            runs
        });
        for _ in 0..10 {
            let builds: Vec<_> = (0..10)
                .map(|_| {
                    Command::new(env!("CARGO_BIN_EXE_toyc"))
                        .args(["build", "-c", "1", "-o", "exe", "hello.toy"])
                        .current_dir(scratch.dir.path())
                        .spawn()
                        .expect("toyc starts")
                })
                .collect();
            for mut build in builds {
                assert!(build.wait().expect("toyc ends").success());
            }
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(runner.join().expect("no run failed") > 0);
    });
}
