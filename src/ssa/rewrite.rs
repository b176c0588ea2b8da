//! What the rules of `src/ssa/rules` need at run time (Go's `rewrite.go`): the functions
//! their conditions and results call, the rewrite of a value in place, and the matchers
//! `build.rs` generates from them (`generic` for the opt pass, `amd64` for lower).

use crate::ssa::func::{Func, ValueId};
use crate::ssa::op::{Cond, Op};

/// The rules of `generic.rules`.
pub mod generic {
    use super::*;
    include!(concat!(env!("OUT_DIR"), "/rewrite_generic.rs"));
}

/// The rules of `amd64.rules`.
pub mod amd64 {
    use super::*;
    include!(concat!(env!("OUT_DIR"), "/rewrite_amd64.rs"));
}

/// Makes value `v` the operation `op` with `aux` and `args` (Go's `v.reset`). The
/// arguments fit in the value's storage: no rule result has more than two, but `CMov`,
/// whose four replace a `CondSelect`'s three (already out of line, with room for four).
fn reset(f: &mut Func, v: ValueId, op: Op, aux: i64, args: &[ValueId]) {
    let value = &mut f.values[v.0 as usize];
    value.op = op;
    value.aux = aux;
    value.args.clear();
    value.args.extend_from_slice(args);
}

/// Makes a new value just before `v`, in its block, for a result that nests operations
/// (Go's `b.NewValue`): it may use whatever `v` may, the values `v` uses dominating it.
fn insert_before(f: &mut Func, v: ValueId, op: Op, aux: i64, args: &[ValueId]) -> ValueId {
    let block = f.value(v).block;
    let new = f.new_value_detached(block, op, aux, args);
    let values = &mut f.blocks[block.0 as usize].values;
    let at = values
        .iter()
        .position(|&value| value == v)
        .expect("a value is in its block's list");
    values.insert(at, new);
    new
}

/// Reports whether `c` fits in a sign-extended 32-bit immediate.
fn is32(c: i64) -> bool {
    i32::try_from(c).is_ok()
}

/// `x << count` with Go's meaning for counts of 64 or more.
fn shl(x: i64, count: i64) -> i64 {
    if count >= 64 { 0 } else { x << count }
}

/// `x >> count` (arithmetic) with Go's meaning for counts of 64 or more.
fn shr(x: i64, count: i64) -> i64 {
    x >> count.min(63)
}
