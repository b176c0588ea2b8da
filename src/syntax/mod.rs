//! The syntax phase: source text to an untyped syntax tree.
//!
//! `token` recognises tokens, `lexer` validates literals, interns identifiers and inserts Go's
//! semicolons, `parse` drives the LALRPOP parser generated from `grammar/toy.lalrpop` and
//! words syntax errors as Go does, and `chunks` runs that parser on several threads over a
//! large file; `unicode` holds Go's classes of the characters outside ASCII, for
//! identifiers. `walk` is the one walk over the tree that every phase needing a whole
//! subtree uses. Nothing outside this module sees logos or LALRPOP.

pub mod ast;
pub mod chunks;
pub mod lexer;
pub mod parse;
pub mod print;
pub mod token;
pub(crate) mod unicode;
pub(crate) mod walk;
