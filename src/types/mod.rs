//! The type-checking phase: a syntax tree to resolved names, types and constant values.
//!
//! `check` walks declarations and statements, `expr` expressions, `branches` labels and
//! jumps, `initorder` the initialization order of package-level variables; `scope` keeps the visible names, `ty` the types, `constant` exact constant values,
//! and `object` what names denote and the [`Info`] handed to the back end.

pub mod bodies;
mod branches;
pub mod check;
pub mod constant;
mod expr;
mod initorder;
pub mod object;
mod scope;
pub mod ty;

pub use check::check;
pub use object::{FuncId, Info, ObjId};
