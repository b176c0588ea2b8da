//! The x86-64 target: emission of allocated SSA (`emit`) through an assembler built on
//! iced-x86 (`asm`), and the runtime the executables carry (`runtime`). Only this module sees iced-x86.

pub mod asm;
pub mod emit;
pub mod runtime;

pub use emit::{MachineCode, SymReloc, emit, listing};
