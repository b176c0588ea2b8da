//! Common-subexpression elimination over the dominator tree.
//!
//! Two pure values with the same operation, auxiliary constant and arguments (in either
//! order for commutative operations) compute the same word; the one dominated by the other
//! becomes a copy of it. Values with effects (memory, calls) are never merged: a load may
//! see a different word than an earlier, identical one.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use crate::ssa::dom::{DomTree, Visit};
use crate::ssa::func::{Func, ValueId};
use crate::ssa::op::Op;

/// Operation, auxiliary constant and up to three arguments (`NONE` where absent): a phi's
/// arguments and its block. Values with more arguments are not merged.
type Key = (Op, i64, [ValueId; 3]);

const NONE: ValueId = ValueId(u32::MAX);

/// Per-worker buffers, reused from one function to the next.
#[derive(Default)]
struct Scratch {
    table: FxHashMap<Key, ValueId>,
    left: Vec<bool>,
    stack: Vec<Visit>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// Merges equal pure values; the duplicates become copies for `copyelim`.
pub fn run(f: &mut Func) {
    SCRATCH.with_borrow_mut(|scratch| merge(f, scratch));
}

fn merge(f: &mut Func, scratch: &mut Scratch) {
    let Scratch { table, left, stack } = scratch;
    let dom = DomTree::new(f);
    // About half the values are pure: sized so that the table rarely grows, and emptied
    // for a smaller function after a much larger one, whose capacity it would keep.
    let want = f.values.len() / 2;
    if table.capacity() > 4 * want.max(64) {
        *table = FxHashMap::default();
    }
    table.clear();
    table.reserve(want);
    // Preorder walk with an explicit stack. The table is not emptied on the way: an entry
    // whose block's subtree is done (`left`) dominates nothing still to come, so a later
    // equal value takes its place instead of becoming its copy.
    left.clear();
    left.resize(f.blocks.len(), false);
    stack.clear();
    stack.push(Visit::Enter(f.entry()));
    while let Some(visit) = stack.pop() {
        let block = match visit {
            Visit::Enter(block) => block,
            Visit::Exit(block) => {
                left[block] = true;
                continue;
            }
        };
        for v_idx in 0..f.blocks[block.0 as usize].values.len() {
            let v = f.blocks[block.0 as usize].values[v_idx];
            let value = f.value(v);
            if value.op.has_effect() || value.op == Op::Copy {
                continue;
            }
            let mut args = [NONE; 3];
            let n_args = value.args.len();
            if n_args > 3 || (value.op == Op::Phi && n_args > 2) {
                continue;
            }
            for (slot, &arg) in args.iter_mut().zip(&value.args) {
                *slot = crate::ssa::phielim::resolve(f, arg);
            }
            if value.op == Op::Phi {
                // Phis are equal only within one block, argument for argument.
                args[n_args] = ValueId(block.0);
            } else if value.op.is_commutative() && n_args == 2 && args[0] > args[1] {
                args.swap(0, 1);
            }
            let key = (value.op, value.aux, args);
            let entry = table.entry(key).or_insert(v);
            let earlier = *entry;
            if earlier == v {
                continue;
            }
            if left[f.value(earlier).block.0 as usize] {
                *entry = v;
                continue;
            }
            let value = &mut f.values[v.0 as usize];
            value.op = Op::Copy;
            value.aux = 0;
            value.args.clear();
            value.args.push(earlier);
        }
        stack.push(Visit::Exit(block.0 as usize));
        let children = dom.children(block);
        stack.extend(children.iter().rev().map(|&child| Visit::Enter(child)));
    }
}

#[cfg(test)]
mod tests {
    use crate::ssa::op::Op;
    use crate::ssa::testfun::{bloc, branch, fun, goto, ret, valu};

    /// `x + y` in the entry and `y + x` below it: the second becomes a copy of the first.
    #[test]
    fn cse_merges_equal_values_where_one_dominates() {
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [
                        valu("x", Op::Arg, 0, &[]),
                        valu("y", Op::Arg, 1, &[]),
                        valu("a", Op::Add, 0, &["x", "y"]),
                    ],
                    goto("next"),
                ),
                bloc(
                    "next",
                    [
                        valu("b", Op::Add, 0, &["y", "x"]),
                        valu("sum", Op::Mul, 0, &["a", "b"]),
                        valu("r", Op::SetResult, 0, &["sum"]),
                    ],
                    ret(),
                ),
            ],
        );
        fun.run("generic cse");
        assert_eq!(fun.op("a"), Op::Add);
        assert_eq!(fun.op("b"), Op::Copy);
        assert_eq!(fun.args("b"), [fun.v("a")]);
    }

    /// Equal values on the two sides of a branch stay: neither dominates the other. Equal
    /// loads stay too: memory may change between them.
    #[test]
    fn cse_keeps_values_in_sibling_blocks_and_loads() {
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [
                        valu("x", Op::Arg, 0, &[]),
                        valu("load1", Op::Load, 0, &["x"]),
                        valu("load2", Op::Load, 0, &["x"]),
                    ],
                    branch("x", "then", "else"),
                ),
                bloc("then", [valu("neg1", Op::Neg, 0, &["load1"])], goto("join")),
                bloc("else", [valu("neg2", Op::Neg, 0, &["load1"])], goto("join")),
                bloc(
                    "join",
                    [
                        valu("p", Op::Phi, 0, &["neg1", "neg2"]),
                        valu("sum", Op::Add, 0, &["p", "load2"]),
                        valu("r", Op::SetResult, 0, &["sum"]),
                    ],
                    ret(),
                ),
            ],
        );
        fun.run("generic cse");
        for name in ["load1", "load2"] {
            assert_eq!(fun.op(name), Op::Load);
        }
        for name in ["neg1", "neg2"] {
            assert_eq!(fun.op(name), Op::Neg);
        }
    }
}
