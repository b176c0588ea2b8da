//! toyc: a parallel compiler for Toy, a strict subset of Go.
//!
//! The modules are listed in pipeline order; each may use only the ones before it and `diag`.
//! ARCHITECTURE.md tells the path of a program through them.

pub mod diag;
pub mod driver;
pub mod syntax;
pub mod types;
