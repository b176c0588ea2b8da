//! The syntax phase: source text to an untyped syntax tree.
//!
//! `token` recognises tokens, `lexer` validates literals and inserts Go's semicolons, `parse`
//! drives the LALRPOP parser generated from `grammar/toy.lalrpop` and words syntax errors as
//! Go does. Nothing outside this module sees logos or LALRPOP.

pub mod ast;
pub mod lexer;
pub mod parse;
pub mod print;
pub mod token;
