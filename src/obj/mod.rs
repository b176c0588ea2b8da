//! Object code and the static linker: machine code and data in, a Linux x86-64 executable
//! out.
//!
//! `builder` gathers the units symbol by symbol, each declared (which gives its id) before
//! it is defined; `link` lays out the units in the order it is given them (the builder's
//! order of declaration), resolves relocations and hands the image to `elf`, which writes a
//! statically linked ELF executable needing no loader, libc or other file, as Go's linker
//! does. Nothing here knows about SSA or instructions: units are bytes, symbols and
//! relocations. The output depends only on the units and their order, never on timing or on
//! the machine that links.

pub mod builder;
pub mod elf;
pub mod link;
