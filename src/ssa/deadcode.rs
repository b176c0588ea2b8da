//! Dead-code elimination: drops unreachable blocks and values nothing uses.
//!
//! A block is live if the entry reaches it; an edge from a dead block is removed from its
//! successor's predecessors together with the matching phi arguments (a phi left with one
//! becomes a copy). A value is live if it
//! has an effect (memory, calls), controls a block, or is an argument of a live value.

use crate::ssa::dom::reverse_postorder;
use crate::ssa::func::{BlockId, Func, ValueId};

/// Removes unreachable blocks and unused pure values.
pub fn run(f: &mut Func) {
    blocks(f);
    values(f);
}

/// Drops the blocks the entry does not reach; a phi left with one argument becomes a copy.
pub fn blocks(f: &mut Func) {
    let rpo = reverse_postorder(f);
    let mut reachable = vec![false; f.blocks.len()];
    for &block in &rpo {
        reachable[block.0 as usize] = true;
    }
    let order: Vec<BlockId> = f
        .order
        .iter()
        .copied()
        .filter(|block| reachable[block.0 as usize])
        .collect();
    for &block in &order {
        let preds = &f.blocks[block.0 as usize].preds;
        if preds.iter().all(|pred| reachable[pred.0 as usize]) {
            continue;
        }
        let keep: Vec<bool> = preds.iter().map(|p| reachable[p.0 as usize]).collect();
        f.blocks[block.0 as usize]
            .preds
            .retain(|pred| reachable[pred.0 as usize]);
        f.remove_phi_args(block, |idx| keep[idx]);
    }
    f.order = order;
}

/// Removes unused pure values only, after passes that leave the control flow as it was and
/// so cannot make a block unreachable.
pub fn values(f: &mut Func) {
    let mut live = vec![false; f.values.len()];
    // Values marked live whose arguments are still to mark; each is pushed once.
    let mut work = Vec::with_capacity(f.values.len());
    let mut mark = |v: ValueId, work: &mut Vec<ValueId>| {
        if !std::mem::replace(&mut live[v.0 as usize], true) {
            work.push(v);
        }
    };
    for &block in &f.order {
        let b = f.block(block);
        if let Some(control) = b.control {
            mark(control, &mut work);
        }
        for &v in &b.values {
            if f.value(v).op.has_effect() {
                mark(v, &mut work);
            }
        }
    }
    while let Some(v) = work.pop() {
        for &arg in &f.value(v).args {
            mark(arg, &mut work);
        }
    }
    let Func { order, blocks, .. } = f;
    for &block in order.iter() {
        blocks[block.0 as usize]
            .values
            .retain(|v| live[v.0 as usize]);
    }
}
