//! The `toyc` command line: parses arguments, runs the driver, maps the outcome to an exit
//! status.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use toyc::diag::{self, Style};
use toyc::driver;
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

fn check(path: &std::path::Path, color: Color) -> ExitCode {
    let source = match driver::read_source(path) {
        Ok(source) => source,
        Err(error) => {
            eprintln!("toyc: {}: {error}", path.display());
            return ExitCode::from(2);
        }
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
    let (style, choice) = match color {
        Color::Always => (Style::Rich, ColorChoice::Always),
        Color::Never => (Style::Short, ColorChoice::Never),
        Color::Auto if std::io::stderr().is_terminal() => (Style::Rich, ColorChoice::Auto),
        Color::Auto => (Style::Short, ColorChoice::Never),
    };
    let mut stderr = StandardStream::stderr(choice);
    if let Err(error) = diag::render(&source, &diags, style, &mut stderr) {
        eprintln!("toyc: cannot write diagnostics: {error}");
        return ExitCode::from(2);
    }
    ExitCode::from(1)
}
