//! The SSA back end, after Go's `cmd/compile/internal/ssa`: the index of the checked
//! program that every unit reads (`program`), construction (`build`), the function form
//! (`func`, `op`), the calling conventions (`abi`), the pass pipeline (`passes`), the
//! checker run between passes (`check`), the text form (`print`), the `ssa.html` page
//! (`html`), the rewrite rules (`rules/*.rules`, matched by code that `build.rs` generates
//! with `rules/gen.rs`, run through `rewrite`) and register allocation (`regalloc`); for
//! tests, a builder of functions (`testfun`).

pub mod abi;
pub mod allocelim;
pub mod branchelim;
pub mod build;
pub mod check;
pub mod condselect;
pub mod copyelim;
pub mod critical;
pub mod cse;
pub mod deadcode;
pub mod dom;
pub mod func;
pub mod fuse;
pub mod html;
pub mod layout;
pub mod lower;
pub mod op;
pub mod opt;
pub mod passes;
pub mod phielim;
pub mod print;
pub mod program;
pub mod regalloc;
pub mod retdup;
pub mod rewrite;
#[cfg(test)]
#[path = "rules/gen.rs"]
mod rulegen;
#[cfg(test)]
mod testfun;

pub use func::{Block, BlockId, Func, Runtime, Sym, Value, ValueId};
pub use op::{BlockKind, Cond, Op};
