//! Critical-edge splitting: an edge from a block with several successors to a block with
//! several predecessors and phis gets a block of its own.
//!
//! Invariant afterwards: no critical edge into a block with phis. Register allocation
//! needs it to place the copies that implement phis on an edge without disturbing the
//! other paths. Go splits every critical edge, because its register allocator also places
//! the moves between a value's locations on edges; here a value keeps one location for its
//! whole life, so an edge into a block without phis carries no code, and a block of its own
//! would only be an empty jump for the later passes to carry (a fifth of all blocks in
//! the generated programs).

use crate::ssa::func::Func;
use crate::ssa::op::{BlockKind, Op};

/// Splits every critical edge into a block with phis. A new block follows its predecessor
/// in `order`, where `layout` looks for a place for a block its chains leave out.
pub fn run(f: &mut Func) {
    let old_order = std::mem::take(&mut f.order);
    let mut order = Vec::with_capacity(old_order.len() * 2);
    for &block in &old_order {
        order.push(block);
        if f.block(block).succs.len() < 2 {
            continue;
        }
        for succ_idx in 0..f.block(block).succs.len() {
            let succ = f.block(block).succs[succ_idx];
            let s = f.block(succ);
            let has_phis = s.values.first().is_some_and(|&v| f.value(v).op == Op::Phi);
            if s.preds.len() < 2 || !has_phis {
                continue;
            }
            let mid = f.new_block();
            f.blocks[mid.0 as usize].kind = BlockKind::Plain;
            f.blocks[mid.0 as usize].preds.push(block);
            f.blocks[mid.0 as usize].succs.push(succ);
            f.blocks[block.0 as usize].succs[succ_idx] = mid;
            // The same position in `preds` keeps the phi arguments lined up.
            let pos = f
                .block(succ)
                .preds
                .iter()
                .position(|&p| p == block)
                .expect("edges are mirrored");
            f.blocks[succ.0 as usize].preds[pos] = mid;
            order.push(mid);
        }
    }
    f.order = order;
}
