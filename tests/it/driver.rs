//! The parallel driver: determinism across strategies, worker counts and orders; failure
//! handling under injected faults (`TOYC_FAULT`), watched for hangs; and the order in which
//! closures are compiled.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use toyc::diag::SourceFile;
use toyc::driver::build::{BuildOptions, Built, Order};
use toyc::driver::queue::Strategy;
use toyc::driver::{self, output};
use toyc::workload::{self, Shape};

/// A closure-heavy program: closures in closures, generated, valid Go.
fn closure_program() -> String {
    workload::generate(Shape::DeepClosures, 12, 7)
}

fn build_text(text: &str, options: &BuildOptions) -> Built {
    let source = SourceFile::new("prog.toy", text);
    driver::with_large_stack(|| {
        let (checked, diags) = driver::front_end(&source);
        let checked = checked.unwrap_or_else(|| panic!("the program does not check: {diags:?}"));
        driver::build::build(&checked, options).expect("the program builds")
    })
}

#[test]
fn every_strategy_worker_count_and_order_gives_identical_bytes() {
    let text = closure_program();
    let reference = build_text(&text, &BuildOptions::default()).executable;
    for strategy in Strategy::ALL {
        for workers in [1, 2, 3, 8, 16] {
            for order in [Order::Largest, Order::Source, Order::Random(7)] {
                // As many threads as workers, whatever the machine: the test is about
                // concurrency, not speed.
                let options = BuildOptions {
                    workers,
                    procs: Some(workers),
                    strategy,
                    order,
                    ..BuildOptions::default()
                };
                let built = build_text(&text, &options);
                assert!(
                    built.executable == reference,
                    "{} -c {workers} {order:?} differs",
                    strategy.name()
                );
            }
        }
    }
}

/// A function of the runtime written in Toy is compiled only when some compiled code calls
/// it, exactly once, as a job of the first job that calls it, and the executable is the
/// same for every strategy and worker count.
#[test]
fn runtime_functions_are_compiled_once_when_called() {
    let text = "package main\n\nimport \"fmt\"\n\nfunc a(v int) string { return string(v) }\n\n\
                func b(v int) string { return string(v + 1) }\n\n\
                func main() { fmt.Println(a(65), b(66)) }\n";
    let mut executables = Vec::new();
    for strategy in Strategy::ALL {
        for workers in [1, 2, 8] {
            let options = BuildOptions {
                workers,
                procs: Some(workers),
                strategy,
                ..BuildOptions::default()
            };
            let built = build_text(text, &options);
            let jobs: Vec<_> = built
                .report
                .jobs
                .iter()
                .filter(|job| job.name == "runtime.intstring")
                .collect();
            assert_eq!(jobs.len(), 1, "{}: -c {workers}", strategy.name());
            assert!(jobs[0].parent.is_some(), "{}", strategy.name());
            executables.push(built.executable);
        }
    }
    assert!(executables.windows(2).all(|pair| pair[0] == pair[1]));
    let built = build_text(
        "package main\n\nfunc main() { println(1) }\n",
        &BuildOptions::default(),
    );
    assert!(
        built
            .report
            .jobs
            .iter()
            .all(|job| !job.name.starts_with("runtime.")),
        "a runtime function no code calls was compiled"
    );
}

#[test]
fn closures_are_compiled_after_their_parents_and_exactly_once() {
    let text = closure_program();
    for strategy in Strategy::ALL {
        let options = BuildOptions {
            workers: 4,
            procs: Some(4),
            strategy,
            ..BuildOptions::default()
        };
        let report = build_text(&text, &options).report;
        assert!(
            report
                .jobs
                .iter()
                .filter(|job| job.parent.is_some())
                .count()
                > 12,
            "{}: too few closures compiled",
            strategy.name()
        );
        let mut ids: Vec<_> = report.jobs.iter().map(|job| job.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(
            ids.len(),
            n,
            "{}: a function was compiled twice",
            strategy.name()
        );
        for job in &report.jobs {
            let Some(parent) = job.parent else { continue };
            let parent = report
                .jobs
                .iter()
                .find(|other| other.id == parent)
                .expect("the parent was compiled");
            assert!(
                job.start >= parent.end,
                "{}: {} started before its parent {} ended",
                strategy.name(),
                job.name,
                parent.name
            );
        }
    }
}

/// A program whose literal `big.func1` is called in place, inlined and its closure removed,
/// while `big.func2` escapes. `small` may be inlined into other functions, where its
/// closures may survive.
fn inlined_closure_program() -> String {
    let padding = "\tacc = acc*3 + 1\n".repeat(20);
    format!(
        "package main\n\nimport \"fmt\"\n\n\
         func big(n int) func() int {{\n\tacc := n\n{padding}\
         \tinc := func(x int) int {{ acc += x; return acc }}\n\
         \tacc = inc(2) * 2\n\
         \treturn func() int {{ return acc }}\n}}\n\n\
         func small(n int) int {{\n\tf := func() int {{ return n }}\n\tg := func() int {{ return n + 1 }}\n\treturn f() + g()\n}}\n\n\
         func main() {{\n\tfmt.Println(big(1)(), small(2))\n}}\n"
    )
}

/// As in Go, a closure is compiled only if the code of the function that makes it still
/// creates it: `big.func1` is not, `big.func2` is. `small` may be inlined into other
/// functions, where its closures may survive, so both of its closures are compiled. (The
/// runtime's functions, the allocator's among them, are jobs too, and are not counted.)
#[test]
fn closures_whose_creation_was_optimized_away_are_not_compiled() {
    let text = inlined_closure_program();
    let report = build_text(&text, &BuildOptions::default()).report;
    let mut names: Vec<&str> = report
        .jobs
        .iter()
        .map(|job| job.name.as_str())
        .filter(|name| !name.starts_with("runtime."))
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "big",
            "big.func2",
            "init",
            "main",
            "small",
            "small.func1",
            "small.func2"
        ]
    );
}

/// The `closures` workload keeps its closures alive, so each is a job of its own. (The
/// runtime's functions it calls are jobs with a parent too, and are not counted.)
#[test]
fn the_closures_workload_compiles_every_closure() {
    let text = workload::generate(Shape::Closures, 5, 1);
    let report = build_text(&text, &BuildOptions::default()).report;
    let closures = report
        .jobs
        .iter()
        .filter(|job| job.parent.is_some() && !job.name.starts_with("runtime."))
        .count();
    assert_eq!(closures, 15);
}

/// What `toyc build` did under a watchdog.
struct Ran {
    status: i32,
    stderr: String,
}

const WATCHDOG: Duration = Duration::from_secs(60);

fn toyc_build(file: &Path, out: &Path, args: &[&str], fault: &str) -> Ran {
    let mut child = Command::new(env!("CARGO_BIN_EXE_toyc"))
        .arg("build")
        .arg(file)
        .arg("-o")
        .arg(out)
        .args(args)
        .env("TOYC_FAULT", fault)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("toyc starts");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("waiting works") {
            let mut stderr = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .expect("piped")
                .read_to_string(&mut stderr)
                .expect("stderr is UTF-8");
            return Ran {
                status: status.code().unwrap_or(-1),
                stderr,
            };
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!("toyc hung with TOYC_FAULT={fault} {args:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A program with a leaf, a deeply nested closure, and a function listed last.
const FAULTY: &str = "package main

func leaf(x int) int { return x + 1 }

func nest() func() func() int {
	return func() func() int {
		return func() int { return leaf(2) }
	}
}

func main() {
	println(leaf(1), nest()()())
	println(zlast())
}

func zlast() int { return 3 }
";

#[test]
fn injected_faults_report_the_function_without_hanging() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("faulty.toy");
    std::fs::write(&file, FAULTY).expect("the program is written");
    let out = dir.path().join("faulty");
    let cases = [
        (
            "panic:leaf",
            3,
            "toyc: internal compiler error: panic during build while compiling leaf: \
             injected panic\n",
        ),
        ("panic:nest.func1.1", 3, "while compiling nest.func1.1: "),
        ("panic:zlast", 3, "while compiling zlast: "),
        (
            "panic:leaf:lower",
            3,
            "toyc: internal compiler error: panic during lower while compiling leaf: \
             injected panic\n",
        ),
        (
            "panic:nest.func1.1:early deadcode",
            3,
            "panic during early deadcode while compiling nest.func1.1: ",
        ),
        (
            "error:leaf",
            1,
            "faulty.toy:3:6: injected error in function leaf",
        ),
        (
            "error:nest.func1.1",
            1,
            "injected error in function nest.func1.1",
        ),
        (
            "error:zlast,error:leaf",
            1,
            "faulty.toy:3:6: injected error in function leaf\n",
        ),
        ("slow:main:50,panic:leaf", 3, "while compiling leaf: "),
    ];
    for strategy in ["go", "stack", "channel", "steal", "seq"] {
        for workers in ["1", "2", "8"] {
            for (fault, status, message) in cases {
                let args = ["-c", workers, "--procs", workers, "--queue", strategy];
                let ran = toyc_build(&file, &out, &args, fault);
                assert_eq!(ran.status, status, "{fault} {args:?}: {}", ran.stderr);
                assert!(
                    ran.stderr.contains(message),
                    "{fault} {args:?}: stderr lacks {message:?}:\n{}",
                    ran.stderr
                );
                assert!(!out.exists(), "{fault} {args:?} left an executable behind");
                if fault == "error:zlast,error:leaf" {
                    // Both errors, in source order: one function's error does not stop the
                    // others.
                    let zlast = ran
                        .stderr
                        .find("faulty.toy:16:6: injected error in function zlast");
                    assert!(
                        zlast.is_some_and(|at| at > ran.stderr.find(message).unwrap_or(usize::MAX)),
                        "{args:?}: errors missing or out of order:\n{}",
                        ran.stderr
                    );
                }
            }
        }
    }
    // Without faults the same program builds, and slowness alone changes nothing.
    let ran = toyc_build(&file, &out, &["-c", "2"], "slow:nest.func1:20");
    assert_eq!(ran.status, 0, "{}", ran.stderr);
}

#[test]
fn bad_worker_counts_and_faults_are_usage_errors() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("faulty.toy");
    std::fs::write(&file, FAULTY).expect("the program is written");
    let out = dir.path().join("faulty");
    for args in [["-c", "0"], ["-c", "many"], ["--order", "biggest"]] {
        assert_eq!(toyc_build(&file, &out, &args, "").status, 2, "{args:?}");
    }
    for fault in [
        "explode:leaf",
        "panic:leaf:lowering",
        "panic:leaf:lower:now",
    ] {
        assert_eq!(toyc_build(&file, &out, &[], fault).status, 2, "{fault}");
    }
}

/// An internal compiler error names the phase it happened in, as Go's `panic during PASS
/// while compiling FUNC` does: construction, each pass, emission. The injected panic in a
/// pass comes at its end, once it has run (and the verifier after it).
#[test]
fn an_internal_compiler_error_names_its_phase() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("faulty.toy");
    std::fs::write(&file, FAULTY).expect("the program is written");
    let out = dir.path().join("faulty");
    let phases = std::iter::once("build")
        .chain(toyc::ssa::passes::PASSES.iter().map(|pass| pass.name))
        .chain(std::iter::once("emit"));
    for phase in phases {
        let ran = toyc_build(&file, &out, &["-c", "2"], &format!("panic:zlast:{phase}"));
        assert_eq!(ran.status, 3, "{phase}: {}", ran.stderr);
        // The panic's own report (Rust's hook) comes first; toyc's ends standard error.
        let report = format!(
            "\ntoyc: internal compiler error: panic during {phase} while compiling zlast: \
             injected panic\n"
        );
        assert!(
            ran.stderr.ends_with(&report),
            "{phase}: stderr does not end with {report:?}:\n{}",
            ran.stderr
        );
        assert!(!out.exists(), "{phase} left an executable behind");
    }
}

/// `--check` and `TOYC_CHECK=1` turn the verifier on (always on in a debug build, as these
/// tests run) and change no byte of the executable; `TOYC_CHECK` takes 0, 1 or nothing.
#[test]
fn checking_changes_nothing_and_takes_a_flag_or_the_environment() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("faulty.toy");
    std::fs::write(&file, FAULTY).expect("the program is written");
    let build = |name: &str, args: &[&str], check: &str| {
        let out = dir.path().join(name);
        let ran = Command::new(env!("CARGO_BIN_EXE_toyc"))
            .arg("build")
            .arg(&file)
            .arg("-o")
            .arg(&out)
            .args(args)
            .env("TOYC_CHECK", check)
            .output()
            .expect("toyc runs");
        let status = ran.status.code().unwrap_or(-1);
        (status, std::fs::read(out).ok())
    };
    let (status, plain) = build("plain", &[], "0");
    assert_eq!(status, 0);
    assert!(plain.is_some());
    assert_eq!(build("flag", &["--check"], "0"), (0, plain.clone()));
    assert_eq!(build("env", &[], "1"), (0, plain.clone()));
    assert_eq!(build("both", &["--check"], "1"), (0, plain.clone()));
    assert_eq!(build("empty", &[], ""), (0, plain));
    assert_eq!(build("bad", &[], "yes"), (2, None));
}

/// `--ssa` and `TOYC_FAULT` must name functions that are compiled: a name the program lacks
/// is a usage error before anything is compiled, with the nearest names it has; a literal
/// that was never compiled on its own is one once the back end has run. Nothing is written.
#[test]
fn naming_a_function_that_is_not_compiled_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let faulty = dir.path().join("faulty.toy");
    std::fs::write(&faulty, FAULTY).expect("the program is written");
    let inlined = dir.path().join("inlined.toy");
    std::fs::write(&inlined, inlined_closure_program()).expect("the program is written");
    let out = dir.path().join("out");
    let never_compiled =
        "was inlined into its callers or optimized away, and not compiled on its own";
    let cases = [
        (
            &faulty,
            &["--ssa", "lef"][..],
            "",
            "toyc: --ssa: no function named lef (nearest: leaf, nest, init)\n".to_string(),
        ),
        (
            &faulty,
            &["--ssa", "nest.func2"],
            "",
            "toyc: --ssa: no function named nest.func2 (nearest: nest.func1, nest.func1.1, nest)\n"
                .to_string(),
        ),
        // Checked before any job runs, so the error on `zlast` is never injected.
        (
            &faulty,
            &[],
            "panic:lef,error:zlast,slow:mian:1",
            "toyc: TOYC_FAULT: no function named lef (nearest: leaf, nest, init)\n\
             toyc: TOYC_FAULT: no function named mian (nearest: main, leaf, init)\n"
                .to_string(),
        ),
        (
            &inlined,
            &["--ssa", "big.func1"],
            "",
            format!("toyc: --ssa: function big.func1 {never_compiled}\n"),
        ),
        (
            &inlined,
            &[],
            "panic:big.func1,slow:big.func1:1",
            format!("toyc: TOYC_FAULT: function big.func1 {never_compiled}\n"),
        ),
    ];
    for (file, args, fault, stderr) in cases {
        let ran = toyc_build(file, &out, args, fault);
        assert_eq!(ran.stderr, stderr, "{args:?} {fault}");
        assert_eq!(ran.status, 2, "{args:?} {fault}");
        assert!(!out.exists(), "{args:?} {fault} left an executable behind");
    }
    // Names that stand for compiled functions, qualified or not, are fine.
    for (file, args) in [
        (&faulty, ["--ssa", "main.nest.func1.1"]),
        (&faulty, ["--ssa", "init"]),
        (&inlined, ["--ssa", "big.func2"]),
    ] {
        let ran = toyc_build(file, &out, &args, "");
        assert_eq!(ran.status, 0, "{args:?}: {}", ran.stderr);
    }
}

/// `-o /dev/null` must not replace the device with a file, which the rename that protects
/// regular outputs would do when run as root. A FIFO stands in for the device: it is not a
/// regular file either, and a reader shows that the bytes went through it.
#[test]
fn an_output_that_is_not_a_regular_file_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let fifo = dir.path().join("out");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).expect("the FIFO is read"))
    };
    let input = dir.path().join("in.toy");
    std::fs::write(&input, "package main\n").expect("the input is written");
    let target = output::check(&fifo, output::Kind::Executable, &input).expect("a FIFO is ours");
    assert_eq!(target, output::Target::InPlace);
    output::write(&fifo, target, b"\x7fELF", true).expect("the FIFO is written");
    // Checked before joining: had the FIFO been replaced, the reader would wait forever.
    let kind = std::fs::symlink_metadata(&fifo).expect("the FIFO is still there");
    assert!(kind.file_type().is_fifo(), "the FIFO was replaced");
    assert_eq!(reader.join().expect("the reader finishes"), b"\x7fELF");
}

#[test]
fn a_file_parsed_in_chunks_builds_the_same_executable() {
    let text = workload::generate(Shape::Mixed, 400, 11);
    let chunks = toyc::syntax::chunks::starts(&text, 4, toyc::syntax::chunks::MIN_CHUNK_BYTES);
    assert!(
        chunks.len() > 2,
        "{} bytes make {} chunks",
        text.len(),
        chunks.len()
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("big.toy");
    std::fs::write(&file, &text).expect("writable");
    let build = |args: &[&str], name: &str| {
        let out = dir.path().join(name);
        let ran = toyc_build(&file, &out, args, "");
        assert_eq!(ran.status, 0, "{args:?}: {}", ran.stderr);
        std::fs::read(out).expect("an executable")
    };
    let serial = build(&["-c", "1"], "serial");
    assert!(build(&["-c", "4", "--procs", "4"], "chunked") == serial);
}
