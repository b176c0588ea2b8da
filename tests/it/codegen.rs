//! Codegen snapshots: for each `tests/data/codegen/*.toy`, the SSA form of its function `f`
//! after every pass (`toyc build --ssa f`) and the assembly listing of its functions
//! (`toyc build -S`) and of the runtime's Toy functions it calls, the runtime's assembly
//! left out. Any change in generated code shows in review.

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
    let mut out = built.ssa;
    let mut keep = false;
    for line in built.listing.lines() {
        if !line.starts_with(' ') {
            let name = line.split(' ').next().unwrap_or_default();
            keep = name.starts_with("main.")
                || name
                    .strip_prefix("runtime.")
                    .is_some_and(|name| toyc::runtime::func_named(&runtime.info, name).is_some());
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
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
