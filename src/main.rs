//! The `toyc` command line: parses arguments, runs the driver, maps the outcome to an exit
//! status.

use std::io::IsTerminal;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use toyc::diag::{self, Style};
use toyc::driver;
use toyc::driver::build::{BuildError, BuildOptions, Faults, Order};
use toyc::driver::output;
use toyc::driver::queue::Strategy;
use toyc::workload::{self, Shape, random};

/// mimalloc (version 2, see Cargo.toml) rather than the system allocator: the compiler
/// allocates many small tree nodes, and its worker threads allocate at once.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// toyc: a compiler for Toy, a strict subset of Go.
///
/// Exit status: 0 on success; 1 when the program has errors; 2 when the input cannot be
/// read, the output cannot be written or the command line is wrong; 3 on an internal
/// compiler error (a bug in toyc, reported with the phase and the function it happened in).
#[derive(Parser)]
#[command(name = "toyc", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and type-check a file: no output and status 0 if it is a valid Toy program,
    /// its errors on standard error and status 1 if not.
    Check {
        /// The Toy source file.
        file: PathBuf,
        /// When to show errors with source excerpts and colours; `auto` does so when standard
        /// error is a terminal, otherwise prints one `file:line:col: message` line per error,
        /// as Go does.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Compile FILE to a static x86-64 Linux executable.
    ///
    /// Exit status: 0 built; 1 errors in the program; 2 unreadable input, bad usage or an
    /// output that cannot be written; 3 an internal compiler error.
    Build {
        /// The Toy source file.
        file: PathBuf,
        /// The executable to write; by default the file's stem, in the current directory.
        #[arg(short = 'o', value_name = "OUT")]
        output: Option<PathBuf>,
        /// Print the assembly listing of every function to standard output.
        #[arg(short = 'S')]
        listing: bool,
        /// Print the SSA form of function NAME (`main`, `outer.func1`) after every pass to
        /// standard output. A NAME that is not compiled is a usage error.
        #[arg(long = "ssa", value_name = "NAME")]
        ssa: Option<String>,
        /// Write the SSA page of function NAME, as Go's GOSSAFUNC does: its source, its SSA
        /// after every pass, its assembly, side by side in one self-contained HTML file
        /// (ssa.html, or --ssa-html-out). A NAME that is not compiled is a usage error.
        #[arg(long = "ssa-html", value_name = "NAME")]
        ssa_html: Option<String>,
        /// Where --ssa-html writes its page [default: ssa.html].
        #[arg(long = "ssa-html-out", value_name = "PATH", requires = "ssa_html")]
        ssa_html_out: Option<PathBuf>,
        #[command(flatten)]
        compile: CompileArgs,
    },
    /// Build FILE in a temporary directory and run it with ARGS; exit with its status.
    ///
    /// Exit status: the program's, or toyc's own as for `build` when it cannot be built.
    Run {
        /// The Toy source file.
        file: PathBuf,
        /// Arguments for the program.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
        #[command(flatten)]
        compile: CompileArgs,
    },
    /// Print a random Toy program (also valid Go) for differential testing against Go: every
    /// value folds into a checksum that `main` prints. The same arguments always give the
    /// same program.
    GenTest {
        /// The seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// About how many functions besides `main`.
        #[arg(long, default_value_t = 8)]
        size: usize,
        /// Let the program end in a run-time panic now and then (at Level 2, also index
        /// and slice bounds panics).
        #[arg(long)]
        panics: bool,
        /// The language level of the program: 1, or 2 to add bytes, slices, variadic
        /// functions and Printf (those --features names). Level 1 programs are the same for
        /// the same seed whatever else the generator learns.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
        level: u8,
        /// At --level 2, the features to use, comma-separated (default: all of them;
        /// variadic needs slices, and strings indexed and []byte need bytes and slices).
        #[arg(long, value_enum, value_delimiter = ',')]
        features: Option<Vec<GenFeature>>,
    },
    /// Print a generated Toy program (also valid Go) for benchmarks; the same arguments
    /// always give the same program.
    Gen {
        /// How many functions besides `main`.
        #[arg(long, default_value_t = 1000)]
        funcs: usize,
        /// The shape of the functions.
        #[arg(long, value_enum, default_value_t = GenShape::Small)]
        shape: GenShape,
        /// The seed of the pseudo-random choices.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// The flags of `build` and `run`.
#[derive(clap::Args)]
struct CompileArgs {
    /// Compile functions with N workers, and parse and check a large file on as many
    /// threads [default: the number of CPUs; at most 256 threads run].
    #[arg(short = 'c', value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    workers: Option<u32>,
    /// Run at most P workers at once, as GOMAXPROCS does for Go's [default: the number of
    /// CPUs]; `-c` beyond it adds no threads. Set it above the CPUs to study
    /// oversubscription.
    #[arg(long, value_name = "P", value_parser = clap::value_parser!(u32).range(1..))]
    procs: Option<u32>,
    /// How workers share functions: go (Go 1.27's stack; an idle worker exits), stack (the
    /// same, but idle workers wait for closures still to come), channel (a work channel),
    /// steal (per-worker deques with stealing), seq (no threads).
    #[arg(long = "queue", value_enum, default_value_t = QueueName::Stack)]
    queue: QueueName,
    /// The order of the initial functions: largest (first, as Go does), source, or
    /// random=SEED.
    #[arg(long, value_name = "ORDER", default_value = "largest")]
    order: Order,
    /// Print wall time per phase and what each worker did to standard error.
    #[arg(long)]
    timings: bool,
    /// Write a Chrome/Perfetto trace of the back end's workers to FILE.
    #[arg(long, value_name = "FILE")]
    trace: Option<PathBuf>,
    /// How to show diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Verify the SSA form of every function after every pass, as debug builds of toyc
    /// always do; a failure is an internal compiler error. TOYC_CHECK=1 in the environment
    /// does the same: either turns it on.
    #[arg(long)]
    check: bool,
}

/// The `--queue` names.
#[derive(Clone, Copy, ValueEnum)]
enum QueueName {
    Go,
    Stack,
    Channel,
    Steal,
    Seq,
}

/// The shapes `toyc gen` can produce.
#[derive(Clone, Copy, ValueEnum)]
enum GenShape {
    /// Many small functions.
    Small,
    /// Small functions, one in a hundred a hundred times larger.
    Mixed,
    /// Function sizes from a heavy-tailed (Pareto) distribution.
    HeavyTail,
    /// Functions that create and call several closures each.
    Closures,
    /// Functions with long chains of nested closures.
    DeepClosures,
    /// The sizes of `mixed`, with slices and bytes in half the statements.
    MixedSlices,
}

/// The Level 2 features `toyc gen-test --features` can turn on.
#[derive(Clone, Copy, ValueEnum)]
enum GenFeature {
    /// `byte`, rune literals, `string(b)`.
    Bytes,
    /// Slices of every kind, strings sliced (with bytes, indexed), `fmt.Println` of slices.
    Slices,
    /// Variadic functions, `f(s...)`.
    Variadic,
    /// `fmt.Printf` and `fmt.Sprintf`.
    Printf,
    /// Every feature.
    All,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    driver::one_malloc_arena();
    let huge_pages_off = driver::disable_huge_pages();
    let cli = Cli::parse();
    match cli.command {
        Command::Check { file, color } => check(&file, color),
        Command::Build {
            file,
            output,
            listing,
            ssa,
            ssa_html,
            ssa_html_out,
            compile,
        } => {
            let output = output::resolve(output.as_deref(), &file);
            let page = ssa_html
                .is_some()
                .then(|| ssa_html_out.unwrap_or_else(|| PathBuf::from("ssa.html")));
            match options(&compile, listing, ssa, ssa_html).and_then(|options| {
                install_signals()?;
                Ok(options)
            }) {
                Ok(options) => build(&file, &output, page.as_deref(), &options, &compile),
                Err(status) => status,
            }
        }
        Command::Run {
            file,
            args,
            compile,
        } => match options(&compile, false, None, None).and_then(|options| {
            install_signals()?;
            Ok(options)
        }) {
            Ok(options) => run(&file, &args, &options, &compile, huge_pages_off),
            Err(status) => status,
        },
        Command::GenTest {
            seed,
            size,
            panics,
            level,
            features,
        } => match gen_features(level, features) {
            Ok(features) => {
                let options = random::Options {
                    size,
                    panics,
                    features,
                };
                print_out(random::generate(seed, options).as_bytes())
            }
            Err(status) => status,
        },
        Command::Gen { funcs, shape, seed } => {
            let shape = match shape {
                GenShape::Small => Shape::Small,
                GenShape::Mixed => Shape::Mixed,
                GenShape::HeavyTail => Shape::HeavyTail,
                GenShape::Closures => Shape::Closures,
                GenShape::DeepClosures => Shape::DeepClosures,
                GenShape::MixedSlices => Shape::MixedSlices,
            };
            print_out(workload::generate(shape, funcs, seed).as_bytes())
        }
    }
}

/// Writes a line to standard error. A standard error that cannot be written (closed, or a
/// full device) is ignored: there is nowhere left to say anything, and the exit status
/// still tells what happened.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Returns the features of `toyc gen-test --level LEVEL --features NAMES`, or the exit status
/// of a usage error: features need Level 2.
fn gen_features(level: u8, names: Option<Vec<GenFeature>>) -> Result<random::Features, ExitCode> {
    let Some(names) = names else {
        return Ok(match level {
            1 => random::Features::LEVEL1,
            _ => random::Features::LEVEL2,
        });
    };
    if level == 1 {
        say!("toyc: --features needs --level 2");
        return Err(ExitCode::from(2));
    }
    let mut features = random::Features::LEVEL1;
    for name in names {
        match name {
            GenFeature::Bytes => features.bytes = true,
            GenFeature::Slices => features.slices = true,
            GenFeature::Variadic => features.variadic = true,
            GenFeature::Printf => features.printf = true,
            GenFeature::All => features = random::Features::LEVEL2,
        }
    }
    Ok(features)
}

/// Writes `bytes` to standard output. A reader that went away (`| head`) ends the output
/// quietly with success, as command-line tools do; any other failure is reported, with
/// exit status 2.
fn print_out(bytes: &[u8]) -> ExitCode {
    match write_out(bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(status) => status,
    }
}

/// Writes `bytes` to standard output: `Ok` when written or when the reader went away.
fn write_out(bytes: &[u8]) -> Result<(), ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => {
            say!(
                "toyc: cannot write to standard output: {}",
                output::os_message(&error)
            );
            Err(ExitCode::from(2))
        }
    }
}

/// Reports that the pipeline's thread could not start (the system's limit on threads or
/// address space): exit status 2, as for other resources toyc cannot have.
fn cannot_start(error: &std::io::Error) -> ExitCode {
    say!("toyc: cannot start a thread: {}", output::os_message(error));
    ExitCode::from(2)
}

/// Starts cleaning up on interruptions (`driver::signals`).
fn install_signals() -> Result<(), ExitCode> {
    driver::signals::install().map_err(|error| {
        say!(
            "toyc: cannot handle signals: {}",
            output::os_message(&error)
        );
        ExitCode::from(2)
    })
}

/// Turns the flags (and `TOYC_FAULT`, `TOYC_CHECK`) into build options; a bad `TOYC_FAULT`,
/// or a `TOYC_CHECK` other than 0, 1 or empty, is a usage error.
fn options(
    compile: &CompileArgs,
    listing: bool,
    ssa: Option<String>,
    ssa_html: Option<String>,
) -> Result<BuildOptions, ExitCode> {
    let faults = match std::env::var("TOYC_FAULT") {
        Ok(text) => text.parse().map_err(|error| {
            say!("toyc: {error}");
            ExitCode::from(2)
        })?,
        Err(_) => Faults::default(),
    };
    let check_env = match std::env::var_os("TOYC_CHECK") {
        None => false,
        Some(value) if value.is_empty() || value == "0" => false,
        Some(value) if value == "1" => true,
        Some(value) => {
            say!("toyc: bad TOYC_CHECK {value:?}: want 1 (on) or 0 (off)");
            return Err(ExitCode::from(2));
        }
    };
    Ok(BuildOptions {
        listing,
        ssa_func: ssa,
        ssa_html,
        workers: compile.workers.map_or_else(num_cpus::get, |n| n as usize),
        procs: compile.procs.map(|n| n as usize),
        strategy: match compile.queue {
            QueueName::Go => Strategy::Go,
            QueueName::Stack => Strategy::Stack,
            QueueName::Channel => Strategy::Channel,
            QueueName::Steal => Strategy::Steal,
            QueueName::Seq => Strategy::Seq,
        },
        order: compile.order,
        faults,
        check: compile.check || check_env,
    })
}

/// Reads a source file, or reports why it cannot: Go's errors and exit status 1 for bytes
/// that are not UTF-8, exit status 2 for a file that cannot be read.
fn read(path: &Path) -> Result<toyc::diag::SourceFile, ExitCode> {
    driver::read_source(path).map_err(|error| match error {
        // A compile error in Go, at each invalid sequence, with gc's limit of ten.
        driver::ReadError::NotUtf8(invalid) => {
            for (idx, (line, col)) in invalid.iter().enumerate() {
                let message = if idx == 10 {
                    "too many errors"
                } else {
                    "invalid UTF-8 encoding"
                };
                say!("{}:{line}:{col}: {message}", path.display());
                if idx == 10 {
                    break;
                }
            }
            ExitCode::from(1)
        }
        error => {
            say!("toyc: {}: {error}", path.display());
            ExitCode::from(2)
        }
    })
}

/// Builds `path` into `output`, and writes the `ssa.html` page to `page` if
/// `--ssa-html` asked for one.
fn build(
    path: &Path,
    output: &Path,
    page: Option<&Path>,
    options: &BuildOptions,
    compile: &CompileArgs,
) -> ExitCode {
    let started = Instant::now();
    let targets = match output_targets(path, output, compile.trace.as_deref(), page) {
        Ok(targets) => targets,
        Err(message) => {
            say!("toyc: {message}");
            return ExitCode::from(2);
        }
    };
    let source = match read(path) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let read_time = started.elapsed();
    let pipeline = driver::with_stack_for(source.text.len(), || {
        let (checked, diags, front) = driver::front_end_timed(&source, options.threads());
        let built = checked
            .as_ref()
            .map(|checked| driver::build::build(checked, options));
        // The process is about to exit: freeing the tree node by node would only cost time.
        std::mem::forget(checked);
        (front, built.ok_or(diags))
    });
    let (front, outcome) = match pipeline {
        Ok(done) => done,
        Err(error) => return cannot_start(&error),
    };
    let built = match outcome {
        Err(diags) => return report(&source, &diags, compile.color),
        Ok(Err(BuildError::Errors(diags))) => return report(&source, &diags, compile.color),
        Ok(Err(BuildError::Names(errors))) => {
            for error in errors {
                say!("toyc: {error}");
            }
            return ExitCode::from(2);
        }
        Ok(Err(BuildError::Internal(failures))) => {
            for message in failures {
                say!("toyc: internal compiler error: {message}");
            }
            return ExitCode::from(3);
        }
        Ok(Err(BuildError::Link(error))) => {
            say!("toyc: internal compiler error: link: {error}");
            return ExitCode::from(3);
        }
        Ok(Ok(built)) => built,
    };
    if let Err(status) = write_out(built.ssa.as_bytes()) {
        return status;
    }
    if let Err(status) = write_out(built.listing.as_bytes()) {
        return status;
    }
    let write_start = Instant::now();
    // The trace first: if it cannot be written, the old executable stays in place.
    if let (Some(trace), Some(target)) = (&compile.trace, targets.trace) {
        let json = driver::report::trace_json(&built.report);
        if let Err(message) = output::write(trace, target, json.as_bytes(), false) {
            say!("toyc: {message}");
            return ExitCode::from(2);
        }
    }
    if let (Some(page), Some(target), Some(dump)) = (page, targets.page, &built.ssa_html) {
        let html = toyc::ssa::html::page(dump, &source);
        if let Err(message) = output::write(page, target, html.as_bytes(), false) {
            say!("toyc: {message}");
            return ExitCode::from(2);
        }
        let name = options.ssa_html.as_deref().unwrap_or(&dump.name);
        let said = format!("dumped SSA for {name} to {}\n", page.display());
        if let Err(status) = write_out(said.as_bytes()) {
            return status;
        }
    }
    if let Err(message) = output::write(output, targets.executable, &built.executable, true) {
        say!("toyc: {message}");
        return ExitCode::from(2);
    }
    let write_time = write_start.elapsed();
    if compile.timings {
        let phases = [
            ("read", read_time),
            ("parse", front.parse),
            ("check", front.check),
            ("runtime", built.report.runtime),
            ("index", built.report.index),
            ("back end", built.report.backend),
            ("link", built.report.link),
            ("write", write_time),
        ];
        let _ = write!(
            std::io::stderr(),
            "{}",
            driver::report::timings(&phases, &built.report, options, driver::peak_memory())
        );
    }
    ExitCode::SUCCESS
}

/// How the outputs of a build may be written.
struct Targets {
    executable: output::Target,
    trace: Option<output::Target>,
    page: Option<output::Target>,
}

/// Checks, before any work, that the build may write `output` (and `trace`, and the
/// `ssa.html` `page`) without replacing a file that is not toyc's own, and that no two of
/// them are one file.
fn output_targets(
    path: &Path,
    output: &Path,
    trace: Option<&Path>,
    page: Option<&Path>,
) -> Result<Targets, String> {
    let executable = output::check(output, output::Kind::Executable, path)?;
    let named = [
        ("-o", Some(output)),
        ("--trace", trace),
        ("--ssa-html-out", page),
    ];
    for (idx, &(flag, first)) in named.iter().enumerate() {
        for &(other_flag, second) in &named[idx + 1..] {
            if let (Some(first), Some(second)) = (first, second)
                && (first == second || output::same_file(first, second))
            {
                return Err(format!(
                    "{other_flag} and {flag} name the same file {:?}",
                    second.display().to_string()
                ));
            }
        }
    }
    let trace = trace
        .map(|trace| output::check(trace, output::Kind::Trace, path))
        .transpose()?;
    let page = page
        .map(|page| output::check(page, output::Kind::SsaHtml, path))
        .transpose()?;
    Ok(Targets {
        executable,
        trace,
        page,
    })
}

fn run(
    path: &Path,
    args: &[std::ffi::OsString],
    options: &BuildOptions,
    compile: &CompileArgs,
    huge_pages_off: bool,
) -> ExitCode {
    let dir = match tempfile::Builder::new().prefix("toyc-run-").tempdir() {
        Ok(dir) => dir,
        Err(error) => {
            say!(
                "toyc: cannot create a temporary directory: {}",
                output::os_message(&error)
            );
            return ExitCode::from(2);
        }
    };
    let _registered = driver::signals::register(dir.path());
    let exe = output::resolve(Some(dir.path()), path);
    let status = build(path, &exe, None, options, compile);
    if status != ExitCode::SUCCESS {
        return status;
    }
    driver::restore_huge_pages(huge_pages_off);
    let mut command = std::process::Command::new(&exe);
    command.args(args);
    let mut child = match driver::signals::spawn_child(&mut command) {
        Ok(child) => child,
        Err(error) => {
            say!(
                "toyc: cannot run {}: {}",
                path.display(),
                output::os_message(&error)
            );
            return ExitCode::from(2);
        }
    };
    // Interruptions go to the program until it has ended; toyc cleans up after.
    driver::wait_exited(child.id());
    driver::signals::forget_child();
    match child.wait() {
        Ok(status) => {
            use std::os::unix::process::ExitStatusExt;
            let code = status
                .code()
                .unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
            ExitCode::from(code as u8)
        }
        Err(error) => {
            say!(
                "toyc: cannot run {}: {}",
                path.display(),
                output::os_message(&error)
            );
            ExitCode::from(2)
        }
    }
}

fn report(
    source: &toyc::diag::SourceFile,
    diags: &toyc::diag::Diagnostics,
    color: Color,
) -> ExitCode {
    let (style, choice) = match color {
        Color::Always => (Style::Rich, ColorChoice::Always),
        Color::Never => (Style::Short, ColorChoice::Never),
        Color::Auto if std::io::stderr().is_terminal() => (Style::Rich, ColorChoice::Auto),
        Color::Auto => (Style::Short, ColorChoice::Never),
    };
    let mut stderr = StandardStream::stderr(choice);
    // A standard error that cannot take the diagnostics leaves only the exit status to
    // tell that the program has errors.
    let _ = diag::render(source, diags, style, &mut stderr);
    ExitCode::from(1)
}

fn check(path: &std::path::Path, color: Color) -> ExitCode {
    let source = match read(path) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let checked = driver::with_stack_for(source.text.len(), || {
        let (checked, diags) = driver::front_end(&source);
        // The process is about to exit: freeing the tree node by node would only cost time.
        std::mem::forget(checked);
        diags
    });
    let diags = match checked {
        Ok(diags) => diags,
        Err(error) => return cannot_start(&error),
    };
    if diags.is_empty() {
        return ExitCode::SUCCESS;
    }
    report(&source, &diags, color)
}
