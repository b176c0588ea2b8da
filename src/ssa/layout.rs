//! Block layout: the order of the machine code.
//!
//! Greedy chaining, after Go's `layout`: after a block, place its first unplaced successor
//! (the `then` side of a branch, the target of a jump), so most jumps become fallthroughs.
//! Blocks that end in a panic (`Exit`) go last, out of the hot path: a check's successor
//! that goes on is placed after it, whichever side of the branch it is.

use crate::ssa::func::{BlockId, Func};
use crate::ssa::op::BlockKind;

/// Orders the live blocks for emission; the entry stays first.
pub fn run(f: &mut Func) {
    let mut placed = vec![false; f.blocks.len()];
    let mut order = Vec::with_capacity(f.order.len());
    let mut exits = Vec::new();
    let candidates = f.order.clone();
    let mut next_candidate = 0;
    let mut cur = Some(f.entry());
    while let Some(block) = cur {
        placed[block.0 as usize] = true;
        if f.block(block).kind == BlockKind::Exit && !order.is_empty() {
            exits.push(block);
        } else {
            order.push(block);
        }
        cur = f
            .block(block)
            .succs
            .iter()
            .copied()
            .find(|&succ| !placed[succ.0 as usize] && f.block(succ).kind != BlockKind::Exit);
        while cur.is_none() && next_candidate < candidates.len() {
            let candidate: BlockId = candidates[next_candidate];
            next_candidate += 1;
            if !placed[candidate.0 as usize] {
                cur = Some(candidate);
            }
        }
    }
    order.extend(exits);
    f.order = order;
}
