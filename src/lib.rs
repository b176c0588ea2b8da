//! toyc: a parallel compiler for Toy, a strict subset of Go.
//!
//! In pipeline order the modules are `diag`, `syntax`, `types`, `ssa`, `obj`, `amd64`,
//! `driver` (rustfmt lists them alphabetically); each may use only the ones before it and
//! `diag`. `workload` generates benchmark programs and stands outside the pipeline.
//! ARCHITECTURE.md tells the path of a program through them.

pub mod amd64;
pub mod diag;
pub mod driver;
pub mod obj;
pub mod ssa;
pub mod syntax;
pub mod types;
pub mod workload;

/// Stack size of every thread toyc starts (the pipeline, parse chunks, back-end workers):
/// the checker, the builder and the tree walks recurse as deeply as a program nests, and Go
/// allows deep nesting. Reserved address space; only the pages touched are committed.
pub(crate) const DEEP_STACK: usize = 1 << 30;
