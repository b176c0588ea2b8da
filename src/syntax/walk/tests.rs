//! Unit tests of the walk: it reaches every node of the corpus once (a parameter type
//! written for a group once per parameter), both walks alike, and every function literal
//! wherever it is written.

use std::path::PathBuf;

use rustc_hash::FxHashSet;

use super::*;
use crate::diag::Span;
use crate::diag::{Diagnostics, SourceFile};
use crate::syntax::ast::{NodeId, TypeDecl};
use crate::syntax::parse::parse;

/// Returns the node number of `node`, if it has one.
fn id_of(node: Node<'_>) -> Option<NodeId> {
    match node {
        Node::Expr(expr) => Some(expr.id),
        Node::Ident(ident) => Some(ident.id),
        Node::File(_) | Node::Decl(_) | Node::Signature(_) | Node::Block(_) | Node::Stmt(_) => None,
    }
}

/// [`id_of`] for a node lent by [`inspect_mut`].
fn id_of_mut(node: NodeMut<'_>) -> Option<NodeId> {
    match node {
        NodeMut::Expr(expr) => Some(expr.id),
        NodeMut::Ident(ident) => Some(ident.id),
        NodeMut::File(_)
        | NodeMut::Decl(_)
        | NodeMut::Signature(_)
        | NodeMut::Block(_)
        | NodeMut::Stmt(_) => None,
    }
}

/// Returns the `.toy` files of the run and check data.
fn corpus() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        "tests/data/run",
        "tests/data/check/err",
        "tests/data/check/unsupported",
    ] {
        let entries = std::fs::read_dir(root.join(dir)).expect("a readable directory");
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|ext| ext == "toy") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Parses `text`, returning `None` for a file with a syntax error.
fn parsed(text: &str) -> Option<File> {
    let source = SourceFile::new("t.toy", text);
    parse(&source, &mut Diagnostics::default())
}

/// Runs `work` on a thread with a stack for recursing over `text` (some corpus files are
/// nested deeply on purpose).
fn on_stack_for<T: Send>(text: &str, work: impl FnOnce() -> T + Send) -> T {
    let results = crate::on_threads("toyc-test", crate::stack_for(text.len()), [work]);
    results.into_iter().next().expect("one result")
}

/// Returns the node numbers in the types of parameters (and type parameters) that share the
/// type written after them (`a` in `a, b int`), whose types are copies, numbers included.
fn shared_type_ids(file: &File) -> FxHashSet<NodeId> {
    let mut shared = FxHashSet::default();
    let mut add = |params: &[Param]| {
        for param in params.iter().filter(|param| param.shares_type) {
            // The type alone, walked as the one parameter of a signature of its own.
            let sig = Signature {
                params: vec![Param {
                    name: None,
                    ..param.clone()
                }],
                results: Vec::new(),
                span: Span::default(),
            };
            inspect(Node::Signature(&sig), |node| shared.extend(id_of(node)));
        }
    };
    let type_params = |decl: &TypeDecl| -> Vec<Param> {
        let specs = decl.specs.iter();
        specs
            .flat_map(|spec| spec.tparams.iter().cloned())
            .collect()
    };
    // The nodes that hold parameter lists: signatures, and the declarations of generic
    // functions and types.
    inspect(Node::File(file), |node| {
        if let Node::Signature(sig) = node {
            add(&sig.params);
            add(&sig.results);
        }
        if let Node::Decl(Decl::Func(func)) = node {
            add(&func.tparams);
        }
        if let Node::Decl(Decl::Type(decl)) | Node::Stmt(Stmt::Type(decl)) = node {
            add(&type_params(decl));
        }
    });
    shared
}

#[test]
fn every_node_of_the_corpus_is_visited_once_by_both_walks() {
    let mut n_files = 0;
    let mut n_shared = 0;
    for path in corpus() {
        let text = std::fs::read_to_string(&path).expect("a readable file");
        let Some(mut file) = parsed(&text) else {
            continue;
        };
        n_files += 1;
        on_stack_for(&text, || {
            let mut order = Vec::new();
            inspect(Node::File(&file), |node| order.extend(id_of(node)));
            let mut seen = vec![0u32; file.n_nodes as usize];
            for id in &order {
                seen[id.0 as usize] += 1;
            }
            // A shared parameter type is visited once per parameter, and nothing else twice.
            let shared = shared_type_ids(&file);
            n_shared += shared.len();
            let wrong: Vec<usize> = (0..seen.len())
                .filter(|&idx| (seen[idx] == 1) == shared.contains(&NodeId(idx as u32)))
                .collect();
            assert!(
                wrong.is_empty(),
                "{path:?}: nodes seen {:?} times",
                wrong
                    .iter()
                    .map(|&idx| (idx, seen[idx]))
                    .collect::<Vec<_>>()
            );
            let mut order_mut = Vec::new();
            inspect_mut(NodeMut::File(&mut file), |node| {
                order_mut.extend(id_of_mut(node))
            });
            assert_eq!(order, order_mut, "{path:?}: the walks differ");
        });
    }
    assert!(n_files > 300, "only {n_files} corpus files parse");
    assert!(
        n_shared > 0,
        "no parameter list of the corpus shares a type"
    );
}

#[test]
fn literals_are_found_wherever_they_are_written() {
    // Each literal returns its own number first. A literal may stand wherever an expression
    // may, also where the checker rejects it (the left of an assignment, a `++` target, a
    // range key, a constant): the walk is over syntax, and its users rely on finding them all.
    let text = "package main

const c = func() int { return 1 }()

var v = func() int { return 2 }

func f(g func() int) {
	func() int { return 3 }()
	x, y := func() int { return 4 }(), 0
	func() int { return 5 }() = func() int { return 6 }()
	func() int { return 7 }()++
	if z := func() int { return 8 }(); z > func() int { return 9 }() {
	} else if func() bool { return 10 > 0 }() {
	}
	for i := func() int { return 11 }(); i < 0; i += func() int { return 12 }() {
	}
	for func() int { return 13 }() = range func() int { return 14 }() {
	}
	switch func() int { return 15 }() {
	case func() int { return 16 }():
		return
	}
	{
		const d = func() int { return 17 }()
		var e = (-func() int { return 18 }() + 0)
	}
	fmt.Println(func() int { return 19 }().x)
	f(func() int { return 20 + func() int { return 21 }() })
	_ = func(h func() int) int { return 22 }
	_ = x
	_ = y
	return func() int { return 23 }()
}
";
    let file = parsed(text).expect("the file parses");
    let mut found = Vec::new();
    inspect(Node::File(&file), |node| {
        if let Node::Expr(expr) = node
            && let ExprKind::FuncLit(lit) = &expr.kind
            && let [Stmt::Return { results, .. }, ..] = &*lit.body.stmts
            && let [result, ..] = &**results
        {
            let number = &text[result.span.lo as usize..result.span.hi as usize];
            found.push(number.split(' ').next().unwrap_or(number).to_string());
        }
    });
    // Numbered in source order, which is the walk's: a literal before the literals inside it.
    let expected: Vec<String> = (1..=23).map(|number| number.to_string()).collect();
    assert_eq!(found, expected);
}
