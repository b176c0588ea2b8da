//! The integration tests: one binary, driven by the data under `tests/data/`.

mod bodies;
mod check;
mod chunks;
mod codegen;
mod conditions;
mod driver;
mod fuzz;
mod gc;
mod run;
mod safety;
mod ssa_html;
mod support;
mod tidy;
