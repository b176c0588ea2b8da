//! Critical-edge splitting: an edge from a block with several successors to a block with
//! several predecessors gets a block of its own.
//!
//! Invariant afterwards: no critical edges. Register allocation needs it to place the
//! copies that implement phis on an edge without disturbing the other paths.

use crate::ssa::func::Func;
use crate::ssa::op::BlockKind;

/// Splits every critical edge. A new block follows its predecessor in `order`, where
/// `layout` looks for a place for a block its chains leave out.
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
            if f.block(succ).preds.len() < 2 {
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
