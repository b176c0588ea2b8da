//! The back end of the compiler, as Go's `ssagen`: the compilation of one unit, and the
//! layout of the compiled program's symbols.
//!
//! `compile` turns one unit (`main.init`, a top-level function or a function literal) into
//! machine code: SSA construction, the passes, emission. It returns the closures that code
//! still creates, which become units of their own. It reads only the frozen `Program` and
//! writes only its own result, so any number of units compile at once on any threads.
//!
//! `layout` decides which symbols the executable has and in what order: code (the runtime,
//! `main.init`, the functions by `FuncId`), read-only data (static closures, string
//! literals once each, type descriptors), then bss (package variables, the runtime's
//! data). It declares them in that order to `obj::builder`, defines them, and links, so
//! the executable depends only on the compiled units, never on the order they were
//! compiled in. `typedesc` makes the type descriptors, `functab` the function table the
//! collector unwinds the stack and finds its roots by.
//!
//! What is compiled when, on which thread, and what happens to the results is the driver's
//! (`driver::build`); this module holds no I/O and no scheduling.

pub mod compile;
mod functab;
pub mod layout;
mod typedesc;
