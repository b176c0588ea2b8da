//! Terminating statements, as Go's specification defines them and types2's `return.go`
//! checks them: a function with results must end in one, or it is missing a return.
//!
//! The walk reads only the syntax, and which calls resolved to the built-in `panic` (a
//! `panic` that a local declaration shadows does not terminate).

use rustc_hash::FxHashSet;

use crate::syntax::ast::{ForHeader, NodeId, Stmt, Symbol, unparen};

/// Returns whether a statement list ends in a terminating statement, as Go's specification
/// defines it. `label` is the label of the enclosing statement, for `break label`; `panics`
/// are the calls that resolved to the built-in `panic`.
pub(crate) fn is_terminating_list(
    stmts: &[Stmt],
    label: Option<Symbol>,
    panics: &FxHashSet<NodeId>,
) -> bool {
    let last = stmts.iter().rev().find(|stmt| !matches!(stmt, Stmt::Empty));
    last.is_some_and(|stmt| is_terminating(stmt, label, panics))
}

fn is_terminating(stmt: &Stmt, label: Option<Symbol>, panics: &FxHashSet<NodeId>) -> bool {
    match stmt {
        Stmt::Return { .. } => true,
        Stmt::Expr(expr) => panics.contains(&unparen(expr).id),
        Stmt::Block(block) => is_terminating_list(&block.stmts, None, panics),
        Stmt::If(if_stmt) => match &if_stmt.els {
            Some(els) => {
                is_terminating_list(&if_stmt.then.stmts, None, panics)
                    && is_terminating(els, None, panics)
            }
            None => false,
        },
        Stmt::For(for_stmt) => {
            let infinite = matches!(for_stmt.header, ForHeader::Clause { cond: None, .. });
            infinite && !has_break(&for_stmt.body.stmts, label, true)
        }
        Stmt::Switch(switch) => {
            let has_default = switch.clauses.iter().any(|clause| clause.exprs.is_none());
            has_default
                && switch.clauses.iter().all(|clause| {
                    is_terminating_list(&clause.body, None, panics)
                        && !has_break(&clause.body, label, true)
                })
        }
        Stmt::Labeled { label, stmt } => is_terminating(stmt, Some(label.name), panics),
        Stmt::Goto { .. } => true,
        // `break` and `continue` do not terminate. Toy lacks the rest of Go's terminating
        // statements (`select`, type switches): the checker rejects them and gives up on
        // their function, so it never asks whether it ends in one.
        Stmt::Var(_)
        | Stmt::Const(_)
        | Stmt::Define { .. }
        | Stmt::Assign { .. }
        | Stmt::IncDec { .. }
        | Stmt::Branch { .. }
        | Stmt::Type(_)
        | Stmt::TypeSwitch(_)
        | Stmt::Select(_)
        | Stmt::GoDefer { .. }
        | Stmt::Send(_)
        | Stmt::Fallthrough(_)
        | Stmt::Empty
        | Stmt::Bad => false,
    }
}

/// Returns whether `stmts` contain a `break` that leaves the enclosing statement: an
/// unlabelled one not inside a nested loop or switch (when `unlabelled` is set), or one naming
/// `label`.
fn has_break(stmts: &[Stmt], label: Option<Symbol>, unlabelled: bool) -> bool {
    stmts
        .iter()
        .any(|stmt| stmt_has_break(stmt, label, unlabelled))
}

fn stmt_has_break(stmt: &Stmt, label: Option<Symbol>, unlabelled: bool) -> bool {
    match stmt {
        Stmt::Branch {
            is_break: true,
            label: target,
            ..
        } => match target {
            None => unlabelled,
            Some(target) => Some(target.name) == label,
        },
        Stmt::Block(block) => has_break(&block.stmts, label, unlabelled),
        Stmt::If(if_stmt) => {
            has_break(&if_stmt.then.stmts, label, unlabelled)
                || if_stmt
                    .els
                    .as_ref()
                    .is_some_and(|els| stmt_has_break(els, label, unlabelled))
        }
        Stmt::Labeled { stmt, .. } => stmt_has_break(stmt, label, unlabelled),
        Stmt::For(for_stmt) => label.is_some() && has_break(&for_stmt.body.stmts, label, false),
        Stmt::Switch(switch) => {
            label.is_some()
                && switch
                    .clauses
                    .iter()
                    .any(|clause| has_break(&clause.body, label, false))
        }
        Stmt::Branch {
            is_break: false, ..
        }
        | Stmt::Expr(_)
        | Stmt::Var(_)
        | Stmt::Const(_)
        | Stmt::Define { .. }
        | Stmt::Assign { .. }
        | Stmt::IncDec { .. }
        | Stmt::Return { .. }
        | Stmt::Type(_)
        | Stmt::TypeSwitch(_)
        | Stmt::Select(_)
        | Stmt::GoDefer { .. }
        | Stmt::Send(_)
        | Stmt::Goto { .. }
        | Stmt::Fallthrough(_)
        | Stmt::Empty
        | Stmt::Bad => false,
    }
}
