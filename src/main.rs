//! The `toyc` command line: parses arguments, runs the driver, maps the outcome to an exit
//! status.

use std::io::IsTerminal;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use toyc::diag::{self, Style};
use toyc::driver;
use toyc::driver::build::BuildOptions;
use toyc::workload::{self, Shape};

/// mimalloc rather than the system allocator: the compiler allocates many small tree nodes,
/// and its worker threads allocate at once.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// toyc: a compiler for Toy, a strict subset of Go.
///
/// Exit status: 0 on success, 1 when the program has errors, 2 when the input cannot be read
/// or the command line is wrong.
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
    /// Print a generated Toy program (also valid Go) for benchmarks; the same arguments
    /// always give the same program.
    /// Compiles FILE to a static x86-64 Linux executable.
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
        /// Print the SSA form of function NAME after every pass to standard output.
        #[arg(long = "ssa", value_name = "NAME")]
        ssa: Option<String>,
        /// How to show diagnostics.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Builds FILE in a temporary directory and runs it with ARGS; exits with its status.
    Run {
        /// The Toy source file.
        file: PathBuf,
        /// Arguments for the program.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
        /// How to show diagnostics.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
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
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { file, color } => check(&file, color),
        Command::Build {
            file,
            output,
            listing,
            ssa,
            color,
        } => {
            let options = BuildOptions {
                listing,
                ssa_func: ssa,
            };
            let output = output.unwrap_or_else(|| default_output(&file));
            build(&file, &output, &options, color)
        }
        Command::Run { file, args, color } => run(&file, &args, color),
        Command::Gen { funcs, shape, seed } => {
            let shape = match shape {
                GenShape::Small => Shape::Small,
                GenShape::Mixed => Shape::Mixed,
                GenShape::HeavyTail => Shape::HeavyTail,
                GenShape::Closures => Shape::Closures,
                GenShape::DeepClosures => Shape::DeepClosures,
            };
            print!("{}", workload::generate(shape, funcs, seed));
            ExitCode::SUCCESS
        }
    }
}

/// Reads a source file, or reports why it cannot and returns exit status 2.
fn read(path: &Path) -> Result<toyc::diag::SourceFile, ExitCode> {
    driver::read_source(path).map_err(|error| {
        eprintln!("toyc: {}: {error}", path.display());
        ExitCode::from(2)
    })
}

/// Returns `go build`'s default output name: the file's stem, in the current directory.
fn default_output(file: &Path) -> PathBuf {
    PathBuf::from(file.file_stem().unwrap_or(file.as_os_str()))
}

fn build(path: &Path, output: &Path, options: &BuildOptions, color: Color) -> ExitCode {
    let source = match read(path) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let outcome = driver::with_large_stack(|| {
        let (checked, diags) = driver::front_end(&source);
        let built = checked.as_ref().map(|checked| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                driver::build::build(checked, options)
            }))
        });
        std::mem::forget(checked);
        (built, diags)
    });
    let built = match outcome {
        (None, diags) => return report(&source, &diags, color),
        (Some(Err(_)), _) => {
            eprintln!(
                "toyc: internal compiler error while compiling {}",
                path.display()
            );
            return ExitCode::from(3);
        }
        (Some(Ok(Err(error))), _) => {
            eprintln!("toyc: internal compiler error: link: {error}");
            return ExitCode::from(3);
        }
        (Some(Ok(Ok(built))), _) => built,
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(built.ssa.as_bytes())
        .and_then(|()| stdout.write_all(built.listing.as_bytes()))
        .is_err()
    {
        return ExitCode::from(2);
    }
    match driver::write_executable(output, &built.executable) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("toyc: cannot write {}: {error}", output.display());
            ExitCode::from(2)
        }
    }
}

fn run(path: &Path, args: &[std::ffi::OsString], color: Color) -> ExitCode {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => {
            eprintln!("toyc: cannot create a temporary directory: {error}");
            return ExitCode::from(2);
        }
    };
    let exe = dir.path().join(default_output(path));
    let status = build(path, &exe, &BuildOptions::default(), color);
    if status != ExitCode::SUCCESS {
        return status;
    }
    match std::process::Command::new(&exe).args(args).status() {
        Ok(status) => {
            use std::os::unix::process::ExitStatusExt;
            let code = status
                .code()
                .unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
            ExitCode::from(code as u8)
        }
        Err(error) => {
            eprintln!("toyc: cannot run {}: {error}", exe.display());
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
    if let Err(error) = diag::render(source, diags, style, &mut stderr) {
        eprintln!("toyc: cannot write diagnostics: {error}");
        return ExitCode::from(2);
    }
    ExitCode::from(1)
}

fn check(path: &std::path::Path, color: Color) -> ExitCode {
    let source = match read(path) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let diags = driver::with_large_stack(|| {
        let (checked, diags) = driver::front_end(&source);
        // The process is about to exit: freeing the tree node by node would only cost time.
        std::mem::forget(checked);
        diags
    });
    if diags.is_empty() {
        return ExitCode::SUCCESS;
    }
    report(&source, &diags, color)
}
