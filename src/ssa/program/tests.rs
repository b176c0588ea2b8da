//! Unit tests of the index: it finds the syntax of every function literal of the corpus.

use std::path::PathBuf;

use super::*;
use crate::diag::SourceFile;
use crate::syntax::walk::{self, Node};
use crate::types::object::FuncNode;

/// Every literal of every program of the run and codegen data is indexed: its span is the
/// literal's, and its syntax the literal's own, though only some bodies are walked.
#[test]
fn every_function_literal_of_the_corpus_is_indexed() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut n_lits = 0;
    for dir in ["tests/data/run", "tests/data/codegen"] {
        let entries = std::fs::read_dir(root.join(dir)).expect("a readable directory");
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_none_or(|ext| ext != "toy") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a readable file");
            let source = SourceFile::new("t.toy", text);
            crate::driver::with_large_stack(|| {
                let (checked, _) = crate::driver::front_end(&source);
                let Some(checked) = checked else {
                    return;
                };
                let program = Program::new(&checked.file, &checked.info);
                let mut lits = Vec::new();
                walk::inspect(Node::File(&checked.file), |node| {
                    if let Node::Expr(expr) = node
                        && let ExprKind::FuncLit(lit) = &expr.kind
                    {
                        lits.push((expr, &**lit));
                    }
                });
                let n_funcs = checked.info.funcs.iter();
                let n_lit_funcs = n_funcs
                    .filter(|func| matches!(func.node, FuncNode::Lit(_)))
                    .count();
                assert_eq!(lits.len(), n_lit_funcs, "{path:?}");
                for (expr, lit) in lits {
                    let func = checked.info.lit_funcs[&expr.id];
                    assert_eq!(program.span(func), expr.span, "{path:?}");
                    let (sig, body) = program.syntax(func);
                    assert!(std::ptr::eq(sig, &lit.sig) && std::ptr::eq(body, &lit.body));
                }
                n_lits += n_lit_funcs;
            });
        }
    }
    assert!(n_lits >= 100, "only {n_lits} literals in the corpus");
}
