//! `ssa.html`, Go's `GOSSAFUNC` page for toyc (`toyc build --ssa-html NAME`): the structured
//! form of one function after every pass (`dump`), taken only for the function named, and
//! the self-contained page that shows it (`page`, with its style and script).

pub mod dump;
pub mod page;

pub use dump::{Dump, PassDump};
pub use page::{MAGIC, page};
