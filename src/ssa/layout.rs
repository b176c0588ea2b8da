//! Block layout: the order of the machine code.
//!
//! Greedy chaining, after Go's `layout`: after a block, place its first unplaced successor
//! (the `then` side of a branch, the target of a jump), so most jumps become fallthroughs.
//! Blocks that end in a panic (`Exit`) go last, out of the hot path: a check's successor
//! that goes on is placed after it, whichever side of the branch it is.
//!
//! Then each loop's test moves to its bottom (Go's `loopRotate`): a loop header that
//! branches into its body is placed after the block that jumps back to it, so an iteration
//! runs one branch, taken back to the body, rather than a test at the top and a jump back:
//!
//! ```text
//! before:  header: cmp; jge exit        after:  jmp header
//!          body:   ...; jmp header              body:   ...
//!          exit:                                header: cmp; jl body
//!                                               exit:
//! ```

use crate::ssa::dom::DomTree;
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
    rotate_loops(f);
}

/// Moves each loop header after its latch, where the header branches (`If`, `IfCmp`) and
/// the latch is a plain jump back to it, placed after it, that it dominates; and the block
/// after the header is the loop's side of its branch, which then follows the one jump
/// into the loop.
fn rotate_loops(f: &mut Func) {
    let mut position = vec![usize::MAX; f.blocks.len()];
    for (idx, &block) in f.order.iter().enumerate() {
        position[block.0 as usize] = idx;
    }
    let is_branch = |kind: BlockKind| match kind {
        BlockKind::If | BlockKind::IfCmp(_) => true,
        BlockKind::Plain | BlockKind::Ret | BlockKind::Exit => false,
    };
    let backward: Vec<(BlockId, BlockId)> = f
        .order
        .iter()
        .filter_map(|&latch| {
            let b = f.block(latch);
            let header = *b.succs.first()?;
            (b.kind == BlockKind::Plain
                && header != f.entry()
                && header != latch
                && is_branch(f.block(header).kind)
                && position[header.0 as usize] < position[latch.0 as usize])
                .then_some((latch, header))
        })
        .collect();
    if backward.is_empty() {
        return;
    }
    let dom = DomTree::new(f);
    let mut moved = vec![false; f.blocks.len()];
    for (latch, header) in backward {
        if moved[header.0 as usize] {
            continue;
        }
        // The header's child in the dominator tree on the way down to the latch: the
        // loop's side of the header's branch, if the header dominates the latch.
        let mut inside = latch;
        let into_loop = loop {
            let Some(up) = dom.idom[inside.0 as usize] else {
                break None;
            };
            if up == header {
                break Some(inside);
            }
            if up == inside {
                break None;
            }
            inside = up;
        };
        let Some(into_loop) = into_loop else {
            continue;
        };
        let at = f
            .order
            .iter()
            .position(|&block| block == header)
            .expect("the header is laid out");
        if f.order.get(at + 1) != Some(&into_loop) || !f.block(header).succs.contains(&into_loop) {
            continue;
        }
        f.order.remove(at);
        let after = f
            .order
            .iter()
            .position(|&block| block == latch)
            .expect("the latch is laid out");
        f.order.insert(after + 1, header);
        moved[header.0 as usize] = true;
    }
}
