//! Unit tests of the parallel check of function bodies: the checker's whole state after it is
//! the serial check's.

use std::fmt::Write;

use super::*;
use crate::diag::SourceFile;
use crate::syntax::ast::Symbol;
use crate::syntax::parse;
use crate::types::check::Package;
use crate::types::object::NodeStore;
use crate::types::ty::TypeId;

/// Seven functions with bodies, so that up to seven runs; `fmt` is used only by the last,
/// the first and the fourth call `panic`, and the bodies create types, literals, captures,
/// package-level dependencies and errors of both kinds.
const PROGRAM: &str = r#"package main

import "fmt"

var total = sum(3)

func sum(n int) int {
	s := 0
	for i := range n {
		s += i
	}
	if s < 0 {
		panic("negative")
	}
	return s
}

func adder(k int) func(int) int {
	return func(x int) int { return x + k + total }
}

func twice(f func(int) int, x int) (int, int) {
	return f(x), f(f(x))
}

func pick(b bool) int {
	if b {
		return 1
	}
	panic("no")
}

func unused() {
	x := 1
}

func jumps() {
L:
	for {
		break M
	}
}

func main() {
	a, b := twice(adder(pick(true)), 2)
	fmt.Println(a, b, total)
}
"#;

/// Returns every field of `state` as text, hash sets and maps sorted. It names each field,
/// so that a field added to the state must be added here too.
fn dump(state: &State, names: &crate::syntax::ast::Interner) -> String {
    let State {
        info,
        errors,
        branch_errors,
        scopes,
        used,
        pkg,
        deps,
        fmt,
        sys,
        blank,
        panic_calls,
        nesting_reported,
        unsupported_reported,
    } = state;
    let mut out = String::new();
    for id in 0..info.types.len() as u32 {
        let ty = TypeId(id);
        let (canonical, ty) = (info.types.canonical(ty), info.types.get(ty));
        let _ = writeln!(out, "type {id} {ty:?} {canonical:?}");
    }
    let mut lits: Vec<_> = info.lit_funcs.iter().collect();
    lits.sort();
    let _ = writeln!(out, "objs {:?}\nfuncs {:?}", info.objs, info.funcs);
    let _ = writeln!(out, "literals {lits:?}\ninit {:?}", info.init_order);
    let _ = writeln!(out, "errors {errors:?}\nbranch errors {branch_errors:?}");
    let bindings: Vec<_> = (0..names.iter().count() as u32)
        .map(|sym| scopes.lookup_depth(Symbol(sym)))
        .collect();
    let _ = writeln!(out, "scopes {} {bindings:?}", scopes.depth());
    let _ = writeln!(out, "used {used:?}\npkg {pkg:?}\ndeps {deps:?}");
    let mut panics: Vec<_> = panic_calls.iter().collect();
    panics.sort();
    let _ = writeln!(
        out,
        "fmt {fmt:?}\nsys {sys:?}\nblank {blank:?}\npanics {panics:?}"
    );
    let _ = writeln!(out, "nesting reported {nesting_reported}");
    let _ = writeln!(out, "unsupported reported {unsupported_reported}");
    out
}

/// Checks the package-level declarations of `text` and then its function bodies on up to
/// `threads` threads, in runs of at least one node; returns the checker's state then.
fn state_after_bodies(text: &str, threads: usize) -> String {
    let source = SourceFile::new("state.toy", text);
    let mut diags = Diagnostics::default();
    let file = parse::parse(&source, &mut diags).expect("the program parses");
    let mut store = NodeStore::new(file.n_nodes);
    let mut checker = Checker::new(&source, &file, store.facts());
    checker.check_imports(Package::Main);
    checker.collect(Package::Main);
    checker.package_objects();
    checker.check_all_bodies(threads, 1);
    dump(&checker.state, &file.names)
}

#[test]
fn merged_state_is_the_serial_state() {
    let source = SourceFile::new("state.toy", PROGRAM);
    let file = parse::parse(&source, &mut Diagnostics::default()).expect("the program parses");
    assert_eq!(runs(&file, 8, 1).len(), 7);
    let serial = state_after_bodies(PROGRAM, 1);
    for threads in [2, 3, 8] {
        assert_eq!(
            state_after_bodies(PROGRAM, threads),
            serial,
            "{threads} threads"
        );
    }
    assert!(serial.contains("declared and not used: x"));
    assert!(serial.contains("break label not defined: M"));
}
