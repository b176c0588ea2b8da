//! What the checker accepts and the back end does not compile yet: slices (Level 2). A
//! build refuses a program that uses them, at the first place it does, rather than compile
//! it wrong; `toyc check` accepts it. This goes once the back end lays out slices.

use crate::diag::Span;
use crate::driver::Checked;
use crate::syntax::walk::{self, Node};
use crate::types::ty::{Type, TypeId, TypeTable};

/// The message of a program the back end cannot compile yet.
pub(crate) const NOT_COMPILED: &str = "compiling slices is not supported yet";

/// Returns where `checked` first uses a slice: a declared object (variable, parameter,
/// function) whose type holds one, or an expression of such a type; `None` when it uses
/// none.
pub(crate) fn first_slice_use(checked: &Checked) -> Option<Span> {
    let types = &checked.info.types;
    let any_slice =
        (0..types.len() as u32).any(|id| matches!(types.get(TypeId(id)), Type::Slice(_)));
    if !any_slice {
        return None;
    }
    let mut first: Option<Span> = None;
    let mut note = |span: Span| {
        if first.is_none_or(|found| span.lo < found.lo) {
            first = Some(span);
        }
    };
    for obj in &checked.info.objs {
        if holds_slice(types, obj.ty) {
            note(obj.span);
        }
    }
    walk::inspect(Node::File(&checked.file), |node| {
        if let Node::Expr(expr) = node
            && holds_slice(types, checked.info.type_of(expr.id))
        {
            note(expr.span);
        }
    });
    first
}

/// Returns whether a value of type `ty` is or holds a slice.
fn holds_slice(types: &TypeTable, ty: TypeId) -> bool {
    match types.get(ty) {
        Type::Slice(_) => true,
        Type::Func(func) => func
            .params
            .iter()
            .chain(&func.results)
            .any(|&id| holds_slice(types, id)),
        Type::Tuple(elems) => elems.iter().any(|&id| holds_slice(types, id)),
        Type::Invalid
        | Type::Bool
        | Type::Int
        | Type::String
        | Type::UntypedBool
        | Type::UntypedInt
        | Type::UntypedString
        | Type::UntypedNil => false,
    }
}
