//! `ssa.html` (`toyc build --ssa-html NAME`): a snapshot of the page of each
//! `tests/data/ssa_html/*.toy`'s function `f` (its body: the embedded style and script are
//! left out), the page's columns read back as the `--ssa` text of the codegen corpus, and
//! the command line: what it prints, what it refuses, what it leaves alone. The page in a
//! browser is tested by `tests/browser/ssa_html.py`.

use std::path::Path;
use std::process::Command;

use toyc::diag::SourceFile;
use toyc::driver::build::{BuildOptions, Built};
use toyc::ssa::html;

/// Builds `path` with `--ssa NAME`, `--ssa-html NAME` and `-S`.
fn build(path: &Path, name: &str) -> (SourceFile, Built) {
    let options = BuildOptions {
        listing: true,
        ssa_func: Some(name.to_string()),
        ssa_html: Some(name.to_string()),
        ..BuildOptions::default()
    };
    crate::support::build_file(path, &options)
}

#[test]
fn ssa_html_snapshots() {
    insta::glob!("../data/ssa_html", "*.toy", |path| {
        let (source, built) = build(path, "f");
        let dump = built.ssa_html.expect("f has a page");
        insta::assert_snapshot!(html::page::body(&dump, &source));
    });
}

/// Returns the text of `html` without its tags, its entities decoded.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let close = rest[open..].find('>').expect("a tag ends");
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Returns the text of each `<pre>` of `html` whose column has class `class`.
fn columns(html: &str, class: &str) -> Vec<String> {
    let start = format!("<section class=\"column {class}\">");
    html.split(&start)
        .skip(1)
        .map(|column| {
            let pre = &column[column.find("<pre>").expect("a column has text") + 5..];
            text_of(&pre[..pre.find("</pre>").expect("its text ends")])
        })
        .collect()
}

/// Each pass column reads exactly as `--ssa` prints the passes it stands for, those that
/// changed nothing sharing the column of the pass before them, and the assembly column as
/// `-S` lists the function.
#[test]
fn columns_read_as_the_ssa_dump_and_the_listing() {
    for path in crate::support::toy_files("tests/data/codegen") {
        let (source, built) = build(&path, "f");
        let dump = built.ssa_html.as_ref().expect("f has a page");
        let page = html::page(dump, &source);
        assert!(page.starts_with(html::MAGIC));
        let mut expected: Vec<&str> = Vec::new();
        let mut previous = None;
        for pass in built.ssa.split("# main.f after ").skip(1) {
            let text = &pass[pass.find('\n').expect("a title line") + 1..];
            let text = text
                .strip_suffix('\n')
                .expect("a blank line after each pass");
            if previous != Some(text) {
                expected.push(text);
            }
            previous = Some(text);
        }
        assert_eq!(columns(&page, "pass"), expected, "{}", path.display());
        let listing: String = built
            .listing
            .split_inclusive('\n')
            .skip_while(|line| !line.starts_with("main.f STEXT"))
            .enumerate()
            .take_while(|(idx, line)| *idx == 0 || line.starts_with(' '))
            .map(|(_, line)| line)
            .collect();
        assert_eq!(columns(&page, "asm"), [listing], "{}", path.display());
    }
}

/// The page loads nothing: no script, style, font or image from anywhere.
#[test]
fn the_page_is_self_contained() {
    let path = crate::support::root().join("tests/data/ssa_html/sum.toy");
    let (source, built) = build(&path, "f");
    let page = html::page(&built.ssa_html.expect("f has a page"), &source);
    for needle in [
        "src=",
        "href=",
        "<link",
        "@import",
        "@font-face",
        "url(http",
        "fetch(",
    ] {
        assert!(!page.contains(needle), "the page holds {needle:?}");
    }
}

struct Ran {
    status: i32,
    stdout: String,
    stderr: String,
}

fn toyc(dir: &Path, args: &[&str]) -> Ran {
    let out = Command::new(env!("CARGO_BIN_EXE_toyc"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("toyc runs");
    Ran {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 messages"),
    }
}

/// `--ssa-html NAME` writes `ssa.html` (or `--ssa-html-out`), says so as Go does, and
/// leaves the executable as a build without it writes it.
#[test]
fn ssa_html_writes_the_page_and_the_same_executable() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let program = crate::support::root().join("examples/closures.toy");
    let program = program.to_str().expect("a UTF-8 path");
    let plain = toyc(dir.path(), &["build", "-o", "plain", program]);
    assert_eq!((plain.status, plain.stderr.as_str()), (0, ""));
    let paged = toyc(
        dir.path(),
        &["build", "--ssa-html", "main", "-o", "paged", program],
    );
    assert_eq!((paged.status, paged.stderr.as_str()), (0, ""));
    assert_eq!(paged.stdout, "dumped SSA for main to ssa.html\n");
    let read = |name: &str| std::fs::read(dir.path().join(name)).expect("the file is written");
    assert_eq!(read("plain"), read("paged"));
    assert!(read("ssa.html").starts_with(html::MAGIC.as_bytes()));
    // A closure, named as Go names it, into a path of its own; a page toyc wrote before is
    // replaced.
    for _ in 0..2 {
        let ran = toyc(
            dir.path(),
            &[
                "build",
                "--ssa-html",
                "counter.func1",
                "--ssa-html-out",
                "counter.html",
                "-o",
                "paged",
                program,
            ],
        );
        assert_eq!((ran.status, ran.stderr.as_str()), (0, ""));
        assert_eq!(ran.stdout, "dumped SSA for counter.func1 to counter.html\n");
        assert_eq!(read("plain"), read("paged"));
    }
    let page = String::from_utf8(read("counter.html")).expect("a UTF-8 page");
    assert!(page.contains("<title>main.counter.func1 · ssa.html</title>"));
}

/// An unknown NAME, a page path that is another output, and a file that is not a page are
/// usage errors, found before anything is compiled or written.
#[test]
fn ssa_html_refuses_what_it_cannot_honour() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let program = crate::support::root().join("examples/fib.toy");
    let program = program.to_str().expect("a UTF-8 path");
    std::fs::write(dir.path().join("notes.html"), "mine").expect("a file is written");
    let cases: [(&[&str], &str); 4] = [
        (
            &["--ssa-html", "fibb"],
            "toyc: --ssa-html: no function named fibb (nearest: fib, init, main)\n",
        ),
        (
            &["--ssa-html", "fib", "--ssa-html-out", "out"],
            "toyc: --ssa-html-out and -o name the same file \"out\"\n",
        ),
        (
            &[
                "--ssa-html",
                "fib",
                "--ssa-html-out",
                "t.json",
                "--trace",
                "t.json",
            ],
            "toyc: --ssa-html-out and --trace name the same file \"t.json\"\n",
        ),
        (
            &["--ssa-html", "fib", "--ssa-html-out", "notes.html"],
            "toyc: ssa.html output \"notes.html\" already exists and was not written by toyc\n",
        ),
    ];
    for (args, stderr) in cases {
        let mut all = vec!["build", "-o", "out"];
        all.extend_from_slice(args);
        all.push(program);
        let ran = toyc(dir.path(), &all);
        assert_eq!((ran.status, ran.stderr.as_str()), (2, stderr), "{args:?}");
        assert!(
            !dir.path().join("out").exists(),
            "{args:?} wrote an executable"
        );
        assert!(
            !dir.path().join("ssa.html").exists(),
            "{args:?} wrote a page"
        );
    }
    let notes = std::fs::read(dir.path().join("notes.html")).expect("the file is still there");
    assert_eq!(notes, b"mine");
}
