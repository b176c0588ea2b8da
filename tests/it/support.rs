//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use codespan_reporting::term::termcolor::NoColor;
use toyc::diag::{self, SourceFile, Style};
use toyc::driver;
use toyc::driver::build::{BuildOptions, Built};

/// Reads, checks and builds the program at `path` with `options`, on a large stack;
/// returns its source and what the build made. Panics if it does not check or link.
pub fn build_file(path: &Path, options: &BuildOptions) -> (SourceFile, Built) {
    let text = std::fs::read_to_string(path).expect("the program is readable");
    let source = SourceFile::new(file_name(path), text);
    let built = driver::with_large_stack(|| {
        let (checked, diags) = driver::front_end(&source);
        let checked =
            checked.unwrap_or_else(|| panic!("{} does not check: {diags:?}", path.display()));
        driver::build::build(&checked, options).expect("the program links")
    });
    (source, built)
}

/// Returns the repository's root directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Returns the `.toy` files of `dir` (relative to the root), sorted.
pub fn toy_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|error| panic!("cannot list {dir}: {error}"))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toy"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{dir} holds no .toy files");
    files
}

/// Every `.toy` file of the corpus (the run, conditions, codegen, check and unsupported
/// data and the examples), as its directory, its file name and its text.
pub fn corpus() -> Vec<(&'static str, String, String)> {
    let dirs = [
        "tests/data/run",
        "tests/data/conditions",
        "tests/data/codegen",
        "tests/data/check/err",
        "tests/data/check/unsupported",
        "examples",
    ];
    let mut files = Vec::new();
    for dir in dirs {
        for path in toy_files(dir) {
            let text = std::fs::read_to_string(&path).expect("a readable file");
            files.push((dir, file_name(&path), text));
        }
    }
    files
}

/// Returns the file name of `path`.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a file path")
        .to_string_lossy()
        .into_owned()
}

/// Checks `text` as a file named `name` and returns the diagnostics as `toyc check` prints
/// them in short form (empty for a valid program).
pub fn check_text(name: &str, text: &str) -> String {
    check_text_in(name, text, Style::Short)
}

/// Checks `text` as a file named `name` and returns the diagnostics in `style`, without
/// colours.
pub fn check_text_in(name: &str, text: &str, style: Style) -> String {
    let source = SourceFile::new(name, text);
    let diags = driver::with_large_stack(|| driver::front_end(&source).1);
    let mut out = NoColor::new(Vec::new());
    diag::render(&source, &diags, style, &mut out).expect("writing to memory succeeds");
    String::from_utf8(out.into_inner()).expect("diagnostics are UTF-8")
}

/// Checks the file at `path`, naming it by its file name alone.
pub fn check_file(path: &Path) -> String {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    check_text(&file_name(path), &text)
}

/// How many levels deep the nesting cases go: far below `MAX_NESTING`, far above what a
/// fixed 8 MiB stack survives.
pub const NESTING_DEPTH: usize = 10_000;

/// Programs nested `NESTING_DEPTH` levels deep, each way the grammar nests, as their name,
/// their text and what they print (with `println`, to standard error).
pub fn deep_nesting_cases() -> Vec<(&'static str, String, &'static str)> {
    let depth = NESTING_DEPTH;
    let bodies = [
        (
            "parens",
            format!(
                "x := {}1{}\n\tprintln(x)",
                "(".repeat(depth),
                ")".repeat(depth)
            ),
            "1\n",
        ),
        (
            "blocks",
            format!("{}println(1){}", "{\n".repeat(depth), "}\n".repeat(depth)),
            "1\n",
        ),
        (
            "literals",
            format!(
                "{}println(1){}",
                "func() {\n".repeat(depth),
                "}()\n".repeat(depth)
            ),
            "1\n",
        ),
        (
            "else_if",
            format!(
                "x := 1\n\tif x == 0 {{\n\t}}{}\n\tprintln(x)",
                " else if x == 1 {\n\t}".repeat(depth)
            ),
            "1\n",
        ),
        (
            "sum",
            format!("x := 1{}\n\tprintln(x)", " + 1".repeat(depth * 10)),
            "100001\n",
        ),
        (
            "concatenation",
            format!(
                "x := \"a\"{}\n\tprintln(len(x))",
                " + \"b\"".repeat(depth * 10)
            ),
            "100001\n",
        ),
    ];
    bodies
        .into_iter()
        .map(|(name, body, printed)| {
            let text = format!("package main\n\nfunc main() {{\n\t{body}\n}}\n");
            (name, text, printed)
        })
        .collect()
}
