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

use crate::ssa::dom::reverse_postorder;
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

/// Moves each loop header after its latch, where the header branches (`If`, `IfCmp`), the
/// latch is a plain jump back to it placed after it, and the block after the header is a
/// side of its branch, which then follows the one jump into the loop. The moves are
/// decided on the greedy order and made in one pass over it.
///
/// A jump is a loop's back edge when it goes to a block no later in reverse postorder (a
/// retreating edge): Toy's control flow is structured, so its graphs are reducible and such
/// a block dominates the jump's source. Where the block after the header is not the loop's
/// side, the rotation only costs a jump: layout never changes what the code does.
fn rotate_loops(f: &mut Func) {
    // Per block: one more than its index in the order, 0 if it is not laid out. Zeroed
    // tables are allocated zeroed, not filled: a function has many dead blocks.
    let mut position = vec![0u32; f.blocks.len()];
    for (idx, &block) in f.order.iter().enumerate() {
        position[block.0 as usize] = idx as u32 + 1;
    }
    let is_branch = |kind: BlockKind| match kind {
        BlockKind::If | BlockKind::IfCmp(_) => true,
        BlockKind::Plain | BlockKind::Ret | BlockKind::Exit => false,
    };
    let backward = |latch: BlockId| {
        let b = f.block(latch);
        let header = *b.succs.first()?;
        (b.kind == BlockKind::Plain
            && header != f.entry()
            && header != latch
            && is_branch(f.block(header).kind)
            && position[header.0 as usize] < position[latch.0 as usize])
            .then_some(header)
    };
    if !f.order.iter().any(|&latch| backward(latch).is_some()) {
        return;
    }
    let mut rpo_number = vec![0u32; f.blocks.len()];
    for (idx, block) in reverse_postorder(f).into_iter().enumerate() {
        rpo_number[block.0 as usize] = idx as u32;
    }
    // Per latch, one more than the number of the header placed after it, or 0.
    let mut after = vec![0u32; f.blocks.len()];
    let mut moved = vec![false; f.blocks.len()];
    for &latch in &f.order {
        let Some(header) = backward(latch) else {
            continue;
        };
        let retreating = rpo_number[header.0 as usize] <= rpo_number[latch.0 as usize];
        let next = f.order.get(position[header.0 as usize] as usize);
        if retreating
            && !moved[header.0 as usize]
            && next.is_some_and(|next| f.block(header).succs.contains(next))
        {
            after[latch.0 as usize] = header.0 + 1;
            moved[header.0 as usize] = true;
        }
    }
    let mut order = Vec::with_capacity(f.order.len());
    for &block in &f.order {
        if moved[block.0 as usize] {
            continue;
        }
        order.push(block);
        if let Some(header) = after[block.0 as usize].checked_sub(1) {
            order.push(BlockId(header));
        }
    }
    f.order = order;
}
