//! The part of the runtime written in Toy (`runtime.toy`, package `runtime`), as Go's
//! runtime is written in Go: parsed and checked by the front end at most once per build,
//! when the first unit that calls one of its functions is compiled, and those functions
//! compiled by the back end as units of their own, on the workers.
//!
//! Its functions are valid Go functions but for the intrinsics of package `sys`
//! (`types::sys`: raw addresses, byte and word loads and stores, the allocator), which only
//! the runtime may import. Its names live in a file and a checked `Info` of their own, so
//! the program cannot name them and they never clash with the program's; their symbols are
//! `runtime.NAME`.
//!
//! What the compiler calls by name (`ssa::Runtime`, as gc calls `runtime.intstring`) is
//! either assembly (`amd64::runtime`) or a function here ([`Runtime::toy_name`]).
//!
//! Invariant: the runtime's source declares only functions, and they make no closures and
//! take no function values: its units are top-level functions, and what they refer to is
//! another of its functions, a runtime symbol or a string literal (`tests` checks it).
//!
//! The front end checks one file, so the runtime's source is its files joined in order
//! ([`PARTS`]): `runtime.toy`, which has the package clause and the import, then one file
//! per concern with only declarations, as Go splits `fmt` and `strconv`:
//!
//! The core ([`Parts::Core`]), which a build that calls the runtime checks:
//!
//! - `runtime.toy`: strings (`concatstring2`, `cmpstring`, `intstring`);
//! - `slices.toy`: `makeslice` and `growslice`, as Go's `runtime/slice.go`, with Go's
//!   capacities (`nextslicecap`, `roundupsize` and its size classes) and panics;
//! - `printstmt.toy`: the printing of values by print statements (`printbool`,
//!   `printpointer`, `printslice`), as Go's `runtime/print.go`, on the print buffer and
//!   `printint`, which stay assembly;
//! - `malloc.toy`: the heap and `mallocgc`, as Go's `malloc.go`, `mheap.go` and
//!   `mcache.go`: size-classed spans of pages, large objects, the heap bitmap;
//! - `mgc.toy`: the collector, as Go's `mgc.go`, `mgcmark.go` and `mgcsweep.go`: roots
//!   from the linker's function table (stack maps, package variables), mark, sweep,
//!   GOGC pacing, `GODEBUG=gctrace=1` and the stress mode `TOYGC=stress`;
//!
//! and `fmt`'s formatting, which only a build whose program formats checks too:
//!
//! - `print.toy`: `fmt.Sprintf`, the format read as `fmt`'s `doPrintf` reads it, and each
//!   operand dispatched on its type's descriptor (`backend::typedesc`);
//! - `format.toy`: one operand formatted, as `fmt/format.go` does;
//! - `quote.toy`: UTF-8 and Go-syntax quoting, as `unicode/utf8` and `strconv` do; its
//!   Unicode tables are generated from Go's `strconv/isprint.go` by `isprint_tables.py`.
//!
//! Besides functions, the source declares constants, which make no code.

use crate::diag::{Diagnostics, SourceFile};
use crate::ssa::Runtime;
use crate::syntax::ast::File;
use crate::types::{FuncId, Info};

/// The name the runtime's joined source goes by in the checker.
pub const FILE_NAME: &str = "runtime.toy";

/// The files of the runtime's source, by name, in the order they are joined: the core
/// first (its first [`CORE_PARTS`]), then `fmt`'s.
pub const PARTS: [(&str, &str); 8] = [
    ("runtime.toy", include_str!("runtime.toy")),
    ("slices.toy", include_str!("slices.toy")),
    ("printstmt.toy", include_str!("printstmt.toy")),
    ("malloc.toy", include_str!("malloc.toy")),
    ("mgc.toy", include_str!("mgc.toy")),
    ("print.toy", include_str!("print.toy")),
    ("format.toy", include_str!("format.toy")),
    ("quote.toy", include_str!("quote.toy")),
];

/// How many of [`PARTS`] are the core, which every build that calls the runtime checks.
pub const CORE_PARTS: usize = 5;

/// The runtime's core: the first [`CORE_PARTS`] of [`PARTS`] joined, each file ending in a
/// newline.
pub const CORE_SOURCE: &str = concat!(
    include_str!("runtime.toy"),
    include_str!("slices.toy"),
    include_str!("printstmt.toy"),
    include_str!("malloc.toy"),
    include_str!("mgc.toy"),
);

/// The runtime's whole Toy source: [`PARTS`] joined.
pub const SOURCE: &str = concat!(
    include_str!("runtime.toy"),
    include_str!("slices.toy"),
    include_str!("printstmt.toy"),
    include_str!("malloc.toy"),
    include_str!("mgc.toy"),
    include_str!("print.toy"),
    include_str!("format.toy"),
    include_str!("quote.toy"),
);

/// Which of the runtime's source a build checks and compiles from.
///
/// `fmt`'s formatting is most of the source, and checking it is most of what calling the
/// runtime costs a build, so a program that formats nothing (`Info::formats`) gets the core
/// alone. The core comes first in the source, so its functions have the same `FuncId`s,
/// and compile to the same code, either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parts {
    /// The first [`CORE_PARTS`]: strings, slices, the printing of values.
    Core,
    /// All of [`PARTS`], `fmt.Sprintf` included.
    All,
}

impl Parts {
    /// Returns the source of these parts.
    pub fn source(self) -> &'static str {
        match self {
            Parts::Core => CORE_SOURCE,
            Parts::All => SOURCE,
        }
    }
}

/// No function of the runtime's source is longer than this many bytes (a unit test checks
/// it): the back end's workers, which recurse once per level of nesting, get stacks sized
/// by it before the runtime is checked, and the whole source would size them for far more
/// nesting than any of its functions has.
pub const MAX_FUNC_BYTES: usize = 16 << 10;

/// The runtime's Toy source, parsed and checked.
pub struct Checked {
    /// Its source.
    pub source: SourceFile,
    /// Its syntax tree.
    pub file: File,
    /// What the checker learned.
    pub info: Info,
}

/// Returns the function of the runtime named `name`, if there is one; `info` is the
/// runtime's.
pub fn func_named(info: &Info, name: &str) -> Option<FuncId> {
    info.funcs
        .iter()
        .position(|func| func.parent.is_none() && func.name == name)
        .map(|idx| FuncId(idx as u32))
}

/// Returns the function that implements `rt`, if `rt` is written in Toy and in the parts of
/// the source checked; `info` is the runtime's. (One of `fmt`'s, in the core alone, is
/// missing: its call, should code make one, then fails to link rather than compile.)
pub fn func_of(info: &Info, rt: Runtime) -> Option<FuncId> {
    func_named(info, rt.toy_name()?)
}

/// Parses and checks `parts` of the runtime's source on the calling thread.
///
/// # Panics
///
/// On an error in the source: the runtime is part of the compiler, so that is a compiler
/// bug (unit tests check that both extents check clean).
pub fn check(parts: Parts) -> Checked {
    let (checked, diags) = try_check(parts);
    match checked {
        Some(checked) => checked,
        None => panic!(
            "the runtime's source does not check: {}",
            describe(&SourceFile::new(FILE_NAME, parts.source()), &diags)
        ),
    }
}

/// Parses and checks `parts` of the runtime's source, returning it only if no error was
/// found.
fn try_check(parts: Parts) -> (Option<Checked>, Diagnostics) {
    let source = SourceFile::new(FILE_NAME, parts.source());
    let mut diags = Diagnostics::default();
    let Some(file) = crate::syntax::parse::parse(&source, &mut diags) else {
        return (None, diags);
    };
    let info = crate::types::check_runtime(&source, &file, &mut diags);
    if !diags.is_empty() {
        return (None, diags);
    }
    (Some(Checked { source, file, info }), diags)
}

/// Returns the errors of `diags` in `source`, one per line, each at its position in the
/// file of [`PARTS`] it is in.
fn describe(source: &SourceFile, diags: &Diagnostics) -> String {
    diags
        .sorted()
        .iter()
        .map(|diag| {
            let (line, col) = source.line_col(diag.span.lo);
            let (name, line) = part_line(line);
            format!("{name}:{line}:{col}: {}", diag.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Returns the file of [`PARTS`] that line `line` of [`SOURCE`] comes from, and the line
/// there.
fn part_line(mut line: usize) -> (&'static str, usize) {
    for (name, text) in PARTS {
        let lines = text.lines().count();
        if line <= lines {
            return (name, line);
        }
        line -= lines;
    }
    (FILE_NAME, line)
}

#[cfg(test)]
mod tests;
