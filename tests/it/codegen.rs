//! Codegen snapshots: for each `tests/data/codegen/*.toy`, the SSA form of its function `f`
//! after every pass (`toyc build --ssa f`) and the assembly listing of its functions
//! (`toyc build -S`) and of the runtime's Toy functions it calls, the runtime's assembly
//! left out. Any change in generated code shows in review.
//!
//! The allocator and the collector (`malloc.toy`, `mgc.toy`), which every program that
//! allocates calls, are left out too: `mallocgc`'s listing has a snapshot of its own.

use toyc::diag::SourceFile;
use toyc::driver::{self, build::BuildOptions};

fn codegen(path: &std::path::Path) -> String {
    let options = BuildOptions {
        listing: true,
        ssa_func: Some("f".to_string()),
        ..BuildOptions::default()
    };
    let (_, built) = crate::support::build_file(path, &options);
    let runtime = toyc::runtime::check(toyc::runtime::Parts::All);
    let collector = collector_funcs();
    let mut out = built.ssa;
    out.push_str(&listing_of(&built.listing, |name| {
        name.starts_with("main.")
            || name.strip_prefix("runtime.").is_some_and(|name| {
                toyc::runtime::func_named(&runtime.info, name).is_some()
                    && !collector.contains(&name)
            })
    }));
    out
}

/// Returns the listings in `listing` of the functions whose names `keep` accepts.
fn listing_of(listing: &str, keep: impl Fn(&str) -> bool) -> String {
    let mut out = String::new();
    let mut kept = false;
    for line in listing.lines() {
        if !line.starts_with(' ') {
            kept = keep(line.split(' ').next().unwrap_or_default());
        }
        if kept {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Returns the names of the functions of the allocator's and the collector's source.
fn collector_funcs() -> Vec<&'static str> {
    toyc::runtime::PARTS
        .iter()
        .filter(|(name, _)| matches!(*name, "malloc.toy" | "mgc.toy"))
        .flat_map(|(_, text)| text.lines())
        .filter_map(|line| line.strip_prefix("func "))
        .filter_map(|rest| rest.split('(').next())
        .collect()
}

/// `mallocgc`, which every allocation calls: its fast path is what closures, strings and
/// slices cost to make.
#[test]
fn mallocgc_snapshot() {
    let options = BuildOptions {
        listing: true,
        ..BuildOptions::default()
    };
    let path = crate::support::root().join("tests/data/codegen/closure.toy");
    let (_, built) = crate::support::build_file(&path, &options);
    insta::assert_snapshot!(listing_of(&built.listing, |name| name == "runtime.mallocgc"));
}

#[test]
fn codegen_snapshots() {
    insta::glob!("../data/codegen", "*.toy", |path| {
        insta::assert_snapshot!(codegen(path));
    });
}

/// The runtime keeps its messages after its instructions, and the listing shows them as
/// data rather than decoding them as instructions.
#[test]
fn listing_shows_runtime_messages_as_data() {
    let source = SourceFile::new(
        "hi.toy".to_string(),
        "package main\n\nfunc main() { println(\"hi\") }\n".to_string(),
    );
    let options = BuildOptions {
        listing: true,
        ..BuildOptions::default()
    };
    let built = driver::with_large_stack(|| {
        let (checked, _) = driver::front_end(&source);
        driver::build::build(&checked.expect("the program checks"), &options)
            .expect("the program links")
    });
    assert!(
        built
            .listing
            .contains(r#"data    "panic: runtime error: integer divide by zero\n"#),
        "{}",
        built.listing
    );
    assert!(!built.listing.contains("(bad)"), "{}", built.listing);
}
