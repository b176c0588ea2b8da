//! Which variables of a function live in heap cells: those a function literal captures and
//! that are assigned after their declaration (`vars` says why). The choice is made before
//! the body is built, from the checker's captures and one walk (`syntax::walk`) over the
//! body for the variables it assigns, literals included.
//!
//! A named result is also assigned by a `return` with values of its own function (not one
//! of a literal inside it): Go assigns the values to the results before the function
//! returns, and a closure that captured a result and is called afterwards sees them.

use rustc_hash::FxHashSet;

use crate::syntax::ast::{Block, Expr, ExprKind, ForHeader, Signature, Stmt, unparen};
use crate::syntax::walk::{self, Node};
use crate::types::object::ObjKind;
use crate::types::{FuncId, Info, ObjId};

use super::result_objs;

/// Returns the variables of `func` (signature `sig`) that live in heap cells: captured by
/// one of its literals and assigned somewhere after their declaration.
pub(super) fn boxed_vars(
    info: &Info,
    func: FuncId,
    sig: &Signature,
    body: &Block,
) -> FxHashSet<ObjId> {
    let mut captured: FxHashSet<ObjId> = FxHashSet::default();
    for &lit in &info.funcs[func.0 as usize].closures {
        for &obj in &info.funcs[lit.0 as usize].captures {
            if matches!(info.obj(obj).kind, ObjKind::Var { owner: Some(owner), .. } if owner == func)
            {
                captured.insert(obj);
            }
        }
    }
    if captured.is_empty() {
        return captured;
    }
    let mut assigned = FxHashSet::default();
    let mut assign = |target: &Expr, define: bool| {
        let target = unparen(target);
        // The name a `:=` declares is not assigned there; one it redeclares is.
        if let Some(obj) = info.obj_of(target.id)
            && (!define || info.obj(obj).span != target.span)
        {
            assigned.insert(obj);
        }
    };
    // The walk is in source order, so the literals around a node are those on this stack,
    // by where each ends, once the ones that end before the node are popped.
    let mut lit_ends: Vec<u32> = Vec::new();
    let mut returns_values = false;
    walk::inspect(Node::Block(body), |node| match node {
        Node::Stmt(stmt) => {
            if let Stmt::Return { results, span } = stmt
                && !results.is_empty()
            {
                while lit_ends.last().is_some_and(|&end| end <= span.lo) {
                    lit_ends.pop();
                }
                returns_values |= lit_ends.is_empty();
            }
            targets(stmt, &mut assign);
        }
        Node::Expr(expr) => {
            if let ExprKind::FuncLit(_) = expr.kind {
                while lit_ends.last().is_some_and(|&end| end <= expr.span.lo) {
                    lit_ends.pop();
                }
                lit_ends.push(expr.span.hi);
            }
        }
        Node::File(_) | Node::Decl(_) | Node::Signature(_) | Node::Block(_) | Node::Ident(_) => {}
    });
    if returns_values {
        assigned.extend(result_objs(info, sig));
    }
    captured.retain(|obj| assigned.contains(obj));
    captured
}

/// Calls `assign` on each target that `stmt` itself assigns (not those of the statements
/// inside it), with whether it may be declared there (`:=`).
fn targets(stmt: &Stmt, assign: &mut impl FnMut(&Expr, bool)) {
    match stmt {
        Stmt::Define { lhs, .. } => lhs.iter().for_each(|target| assign(target, true)),
        Stmt::Assign { lhs, .. } => lhs.iter().for_each(|target| assign(target, false)),
        Stmt::IncDec { target, .. } => assign(target, false),
        Stmt::For(for_stmt) => match &for_stmt.header {
            ForHeader::Range {
                key, value, define, ..
            } => key
                .iter()
                .chain(value)
                .for_each(|target| assign(target, *define)),
            // Its init and post are statements of their own.
            ForHeader::Clause { .. } => {}
        },
        Stmt::Expr(_)
        | Stmt::Var(_)
        | Stmt::Const(_)
        | Stmt::Block(_)
        | Stmt::If(_)
        | Stmt::Switch(_)
        | Stmt::Return { .. }
        | Stmt::Branch { .. }
        | Stmt::Labeled { .. }
        | Stmt::Empty
        | Stmt::Bad => {}
        Stmt::Type(_)
        | Stmt::TypeSwitch(_)
        | Stmt::Select(_)
        | Stmt::GoDefer { .. }
        | Stmt::Send(_)
        | Stmt::Goto { .. }
        | Stmt::Fallthrough(_) => unreachable!("the checker rejects {stmt:?}"),
    }
}
