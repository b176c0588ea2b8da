//! Checking function bodies on several threads gives exactly the serial check: the same
//! facts for every node, object, type and function, and the same errors in the same order.

use std::fmt::Write;

use toyc::diag::{Diagnostics, SourceFile};
use toyc::syntax::{ast::NodeId, parse};
use toyc::types::{self, Info, bodies};
use toyc::workload::{Shape, generate};

use crate::support::corpus;

/// Everything `info` holds about a file of `n_nodes` nodes, as text; hash maps sorted.
fn dump(info: &Info, n_nodes: u32) -> String {
    let mut out = String::new();
    for id in 0..info.types.len() as u32 {
        let id = types::ty::TypeId(id);
        let _ = writeln!(
            out,
            "type {id:?} {:?} {:?}",
            info.types.get(id),
            info.types.canonical(id)
        );
    }
    for (idx, obj) in info.objs.iter().enumerate() {
        let _ = writeln!(out, "obj {idx} {obj:?}");
    }
    for node in 0..n_nodes {
        let node = NodeId(node);
        let _ = writeln!(
            out,
            "node {} {:?} {:?} {:?}",
            node.0,
            info.type_of(node),
            info.obj_of(node),
            info.const_value(node)
        );
    }
    for (idx, func) in info.funcs.iter().enumerate() {
        let _ = writeln!(out, "func {idx} {func:?}");
    }
    let mut lits: Vec<_> = info.lit_funcs.iter().collect();
    lits.sort();
    let _ = writeln!(out, "literals {lits:?}\ninit {:?}", info.init_order);
    out
}

/// Checks `text` with bodies on one thread and on `threads` threads in runs of at least one
/// node, and returns both results as text, with the number of runs the second had.
fn both(name: &str, text: &str, threads: usize) -> (String, String, usize) {
    let source = SourceFile::new(name, text);
    toyc::driver::with_large_stack(|| {
        let mut diags = Diagnostics::default();
        let Some(file) = parse::parse(&source, &mut diags) else {
            return (String::new(), String::new(), 0);
        };
        let run = |threads: usize| {
            let mut diags = Diagnostics::default();
            let info = types::check(&source, &file, &mut diags, threads, 1);
            format!("{}{diags:?}", dump(&info, file.n_nodes))
        };
        let runs = bodies::runs(&file, threads, 1).len();
        (run(1), run(threads), runs)
    })
}

#[test]
fn every_corpus_file_checks_alike_on_several_threads() {
    let mut cut = 0;
    for (dir, name, text) in corpus() {
        for threads in [2, 64] {
            let (serial, parallel, runs) = both(&name, &text, threads);
            assert_eq!(serial, parallel, "{dir}/{name} on {threads} threads");
            cut += usize::from(runs > 1);
        }
    }
    // About 130 corpus files have two functions or more.
    assert!(cut > 150, "only {cut} corpus checks were cut into runs");
}

#[test]
fn generated_programs_check_alike_on_several_threads() {
    for shape in Shape::ALL {
        let text = generate(shape, 60, 3);
        for threads in [2, 4] {
            let (serial, parallel, runs) = both("gen.toy", &text, threads);
            assert_eq!(runs, threads, "{shape:?}");
            assert_eq!(serial, parallel, "{shape:?} on {threads} threads");
        }
    }
}

/// Each body that nests too deeply is given up, whichever thread checks it: `v`, used only
/// in the part skipped, is not reported unused in `a` or `b`, while `x` is in `main`.
#[test]
fn nesting_too_deeply_is_reported_once_whichever_thread_finds_it() {
    let depth = types::check::MAX_NESTING as usize + 1;
    let deep = format!("{}_ = v{}", "{".repeat(depth), "}".repeat(depth));
    // Blocks number no nodes: the sums give `a` and `b` a run each, and `main` the third.
    let sum = "_ = 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1";
    let text = format!(
        "package main\n\nfunc a() {{\n{sum}\nv := 1\n{deep}\n}}\n\nfunc b() {{\n{sum}\nv := 1\n{deep}\n}}\n\nfunc main() {{ x := 1 }}\n"
    );
    let (serial, parallel, runs) = both("deep.toy", &text, 3);
    assert_eq!(runs, 3);
    assert_eq!(serial.matches("program nested too deeply").count(), 1);
    assert_eq!(serial.matches("declared and not used").count(), 1);
    assert!(serial.contains("declared and not used: x"));
    assert_eq!(serial, parallel);
}
