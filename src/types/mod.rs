//! The type-checking phase: a syntax tree to resolved names, types and constant values.
//!
//! `check` holds the entry point, the checker and its state, and the order of the work;
//! the rest is spread over files as Go's `types2` spreads it: `resolver` the package-level
//! objects, `decl` declarations, `typexpr` types and signatures, `func` function bodies and
//! literals, `stmt` statements, `assignments` assignments and returns, `terminating`
//! terminating statements, `expr` expressions, `operand` operands, `operators` operators
//! and constant folding, `untyped` the typing of untyped operands, `call` calls,
//! conversions and selectors, `builtins` the built-in functions, `universe` the predeclared
//! names, `sys` the intrinsics only the runtime's Toy source may import (`check_runtime`).
//! `bodies` checks top-level function bodies on several threads, `branches` labels and
//! jumps, `initorder` the initialization order of package-level variables; `scope`
//! keeps the visible names, `ty` the types, `constant` exact constant values, and `object`
//! what names denote and the [`Info`] handed to the back end.

mod assignments;
pub mod bodies;
mod branches;
mod builtins;
mod call;
pub mod check;
pub mod constant;
mod decl;
mod expr;
mod format;
mod func;
mod index;
mod initorder;
mod literals;
pub mod object;
mod operand;
mod operators;
mod resolver;
mod scope;
mod stmt;
pub mod sys;
mod terminating;
pub mod ty;
mod typexpr;
mod universe;
mod untyped;

pub use check::{check, check_runtime};
pub use object::{FuncId, Info, ObjId};
