//! Block layout: the order of the machine code.
//!
//! Greedy chaining, after Go's `layout`: after a block, place its first successor (the
//! `then` side of a branch, the target of a jump) whose forward predecessors are all
//! placed, so most jumps become fallthroughs and a join comes after both its sides.
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

use crate::ssa::func::{BlockId, Func};
use crate::ssa::op::BlockKind;

/// Orders the live blocks for emission; the entry stays first.
///
/// When the block just placed has no such successor, the next block is the one whose
/// predecessors were all placed most recently, then the successor met most recently
/// (Go's `zerodegree` and `succs` stacks), and only then the next in the old order: a
/// loop's exit waits until its body is laid out, so the blocks of a loop stay together
/// and the values live in it have short intervals in the register allocator. A loop's
/// back edge does not count among its header's predecessors, so that a header is ready
/// once the loop is entered.
pub fn run(f: &mut Func) {
    SCRATCH.with_borrow_mut(|scratch| lay_out(f, scratch));
}

/// Per-worker buffers, reused from one function to the next: layout runs for every
/// function on every worker.
#[derive(Default)]
struct Scratch {
    /// Per block: its number in reverse postorder.
    rpo_number: Vec<u32>,
    /// Per block: its predecessors by forward edges not yet placed.
    indegree: Vec<u32>,
    /// Per block: whether it is placed (first, whether the walk reached it).
    placed: Vec<bool>,
    /// The walk for `rpo_number`: blocks and the index of their next successor.
    stack: Vec<(BlockId, u32)>,
    zerodegree: Vec<BlockId>,
    met: Vec<BlockId>,
    exits: Vec<BlockId>,
    /// `rotate_loops`'s tables, as it describes them.
    position: Vec<u32>,
    after: Vec<u32>,
    moved: Vec<bool>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Empties `v` and fills it with `n` copies of `x`, keeping its memory.
fn reset<T: Clone>(v: &mut Vec<T>, n: usize, x: T) {
    v.clear();
    v.resize(n, x);
}

/// Numbers the blocks of `f` in reverse postorder from the entry into `rpo_number`, by a
/// walk with `stack` and `seen` (as `dom::reverse_postorder`, without its list).
fn number_rpo(
    f: &Func,
    rpo_number: &mut Vec<u32>,
    stack: &mut Vec<(BlockId, u32)>,
    seen: &mut Vec<bool>,
) {
    let n = f.blocks.len();
    reset(rpo_number, n, 0);
    reset(seen, n, false);
    stack.clear();
    let entry = f.entry();
    stack.push((entry, 0));
    seen[entry.0 as usize] = true;
    // Postorder numbers count down from the number of blocks reached; the entry, last to
    // finish, gets the smallest.
    let mut next = f.order.len() as u32;
    while let Some(&mut (block, ref mut succ_idx)) = stack.last_mut() {
        let succs = &f.block(block).succs;
        if let Some(&succ) = succs.get(*succ_idx as usize) {
            *succ_idx += 1;
            if !std::mem::replace(&mut seen[succ.0 as usize], true) {
                stack.push((succ, 0));
            }
        } else {
            next -= 1;
            rpo_number[block.0 as usize] = next;
            stack.pop();
        }
    }
}

/// Runs the layout of `f` in `scratch`'s buffers.
fn lay_out(f: &mut Func, scratch: &mut Scratch) {
    let Scratch {
        rpo_number,
        indegree,
        placed,
        stack,
        zerodegree,
        met,
        exits,
        ..
    } = scratch;
    number_rpo(f, rpo_number, stack, placed);
    reset(indegree, f.blocks.len(), 0);
    for &block in &f.order {
        let number = rpo_number[block.0 as usize];
        indegree[block.0 as usize] = f
            .block(block)
            .preds
            .iter()
            .filter(|pred| rpo_number[pred.0 as usize] < number)
            .count() as u32;
    }
    reset(placed, f.blocks.len(), false);
    zerodegree.clear();
    met.clear();
    exits.clear();
    let mut order = Vec::with_capacity(f.order.len());
    let mut next_candidate = 0;
    let mut cur = Some(f.entry());
    while let Some(block) = cur {
        placed[block.0 as usize] = true;
        if f.block(block).kind == BlockKind::Exit && !order.is_empty() {
            exits.push(block);
        } else {
            order.push(block);
        }
        let succs = &f.block(block).succs;
        for &succ in succs.iter().rev() {
            if rpo_number[succ.0 as usize] <= rpo_number[block.0 as usize] {
                continue;
            }
            let left = &mut indegree[succ.0 as usize];
            *left -= 1;
            if *left == 0 {
                zerodegree.push(succ);
            } else {
                met.push(succ);
            }
        }
        let open = |b: &BlockId| !placed[b.0 as usize] && f.block(*b).kind != BlockKind::Exit;
        cur = succs
            .iter()
            .copied()
            .find(|b| open(b) && indegree[b.0 as usize] == 0);
        while cur.is_none() {
            if let Some(b) = zerodegree.pop() {
                cur = Some(b).filter(open);
            } else if let Some(b) = met.pop() {
                cur = Some(b).filter(open);
            } else if let Some(&candidate) = f.order.get(next_candidate) {
                next_candidate += 1;
                cur = Some(candidate).filter(|b| !placed[b.0 as usize]);
            } else {
                break;
            }
        }
    }
    order.extend_from_slice(exits);
    f.order = order;
    rotate_loops(f, scratch);
}

/// Moves each loop header after its latch, where the header branches (`If`, `IfCmp`), the
/// latch is a plain jump back to it placed after it, and the block after the header is a
/// side of its branch, which then follows the one jump into the loop. The moves are
/// decided on the greedy order and made in one pass over it.
///
/// A jump is a loop's back edge when it goes to a block no later in reverse postorder (a
/// retreating edge, by `scratch.rpo_number`): Toy's control flow is structured, so its
/// graphs are reducible and such a block dominates the jump's source. Where the block after
/// the header is not the loop's side, the rotation only costs a jump: layout never changes
/// what the code does.
fn rotate_loops(f: &mut Func, scratch: &mut Scratch) {
    let Scratch {
        rpo_number,
        position,
        after,
        moved,
        ..
    } = scratch;
    // Per block: one more than its index in the order, 0 if it is not laid out.
    reset(position, f.blocks.len(), 0);
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
    // Per latch, one more than the number of the header placed after it, or 0.
    reset(after, f.blocks.len(), 0);
    reset(moved, f.blocks.len(), false);
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

#[cfg(test)]
mod tests {
    use crate::ssa::op::Op;
    use crate::ssa::testfun::{bloc, branch, fun, goto, ret, valu};

    /// Two loops in a loop, the blocks given in reverse postorder, which puts the outer
    /// loop's exit before the inner loops: the exit waits until the outer loop is laid out,
    /// and each loop's test moves to its bottom.
    #[test]
    fn layout_keeps_a_loops_blocks_together() {
        let mut fun = fun(
            "entry",
            [
                bloc("entry", [valu("x", Op::Arg, 0, &[])], goto("outer")),
                bloc("outer", [], branch("x", "inner1", "exit")),
                bloc("exit", [], ret()),
                bloc("inner1", [], branch("x", "body1", "inner2")),
                bloc("inner2", [], branch("x", "body2", "latch")),
                bloc("latch", [], goto("outer")),
                bloc("body2", [], goto("inner2")),
                bloc("body1", [], goto("inner1")),
            ],
        );
        fun.run("layout");
        let names = [
            "entry", "body1", "inner1", "body2", "inner2", "latch", "outer", "exit",
        ];
        assert_eq!(fun.f.order, names.map(|name| fun.b(name)));
    }

    /// `a || b || c`: each test comes straight after the one before it, and the join of the
    /// two sides waits until both are placed.
    #[test]
    fn layout_places_a_join_after_its_predecessors() {
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [valu("a", Op::Arg, 0, &[]), valu("b", Op::Arg, 1, &[])],
                    branch("a", "yes", "test_b"),
                ),
                bloc("test_b", [], branch("b", "yes", "test_c")),
                bloc("test_c", [], branch("a", "yes", "no")),
                bloc("yes", [], goto("join")),
                bloc("no", [], goto("join")),
                bloc("join", [], ret()),
            ],
        );
        fun.run("layout");
        let names = ["entry", "test_b", "test_c", "yes", "no", "join"];
        assert_eq!(fun.f.order, names.map(|name| fun.b(name)));
    }
}
