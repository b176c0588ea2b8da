//! The integration tests: one binary, driven by the data under `tests/data/`.

mod check;
mod fuzz;
mod run;
mod support;
mod tidy;
