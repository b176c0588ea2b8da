//! The x86-64 target: emission of allocated SSA through iced-x86 (`emit`) and the runtime
//! the executables carry (`runtime`). Only this module sees iced-x86.

pub mod emit;
pub mod runtime;

pub use emit::{MachineCode, SymReloc, emit, listing};
