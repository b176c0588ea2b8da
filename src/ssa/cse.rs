//! Common-subexpression elimination over the dominator tree.
//!
//! Two pure values with the same operation, auxiliary constant and arguments (in either
//! order for commutative operations) compute the same word; the one dominated by the other
//! becomes a copy of it. Values with effects (memory, calls) are never merged: a load may
//! see a different word than an earlier, identical one.

use rustc_hash::FxHashMap;

use crate::ssa::dom::{DomTree, Visit};
use crate::ssa::func::{Func, ValueId};
use crate::ssa::op::Op;

/// Operation, auxiliary constant and up to three arguments (`NONE` where absent): a phi's
/// arguments and its block. Values with more arguments are not merged.
type Key = (Op, i64, [ValueId; 3]);

const NONE: ValueId = ValueId(u32::MAX);

/// Merges equal pure values; the duplicates become copies for `copyelim`.
pub fn run(f: &mut Func) {
    let dom = DomTree::new(f);
    // About half the values are pure: sized so that the table rarely grows.
    let mut table: FxHashMap<Key, ValueId> =
        FxHashMap::with_capacity_and_hasher(f.values.len() / 2, Default::default());
    let mut undo: Vec<Key> = Vec::new();
    // Preorder walk with an explicit stack; a block's entries leave the table when its
    // dominated subtree is done.
    let mut stack = vec![Visit::Enter(f.entry())];
    while let Some(visit) = stack.pop() {
        let block = match visit {
            Visit::Enter(block) => block,
            Visit::Exit(scope_start) => {
                for key in undo.drain(scope_start..) {
                    table.remove(&key);
                }
                continue;
            }
        };
        let scope_start = undo.len();
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
            match table.get(&key) {
                Some(&earlier) => {
                    let value = &mut f.values[v.0 as usize];
                    value.op = Op::Copy;
                    value.aux = 0;
                    value.args.clear();
                    value.args.push(earlier);
                }
                None => {
                    table.insert(key, v);
                    undo.push(key);
                }
            }
        }
        stack.push(Visit::Exit(scope_start));
        let children = dom.children(block);
        stack.extend(children.iter().rev().map(|&child| Visit::Enter(child)));
    }
}
