//! The register allocator's intervals: positions in layout order (step 1 of the essay in
//! `regalloc`), then one interval per value, the hull of its definition, its uses and the
//! blocks it is live through (the end of step 2).
//!
//! Hulls are coarse around loops but always safe. The calling convention widens them:
//! register arguments and the closure pointer are live from the function's entry, and a
//! call's results from the call.

use crate::ssa::func::{Func, ValueId};
use crate::ssa::op::{BlockKind, Op};
use crate::ssa::regalloc::liveness::LiveIn;
use crate::ssa::regalloc::{entry_defined, needs_loc, reset};

/// Positions in layout order: each block has a start and an end, each value a position
/// between them, all two apart.
#[derive(Default)]
pub(super) struct Positions {
    /// Per value: its position.
    pub(super) pos: Vec<u32>,
    /// Per block: its start.
    block_start: Vec<u32>,
    /// Per block: its end, where the copies into its successors' phis are made.
    pub(super) block_end: Vec<u32>,
}

impl Positions {
    /// Numbers the blocks and values of `f` in layout order.
    pub(super) fn number(&mut self, f: &Func) {
        let Positions {
            pos,
            block_start,
            block_end,
        } = self;
        reset(pos, f.values.len(), 0);
        reset(block_start, f.blocks.len(), 0);
        reset(block_end, f.blocks.len(), 0);
        let mut next = 0u32;
        for &block in &f.order {
            block_start[block.0 as usize] = next;
            next += 2;
            for &v in &f.block(block).values {
                pos[v.0 as usize] = next;
                next += 2;
            }
            block_end[block.0 as usize] = next;
            next += 2;
        }
    }
}

/// Per value, its interval: from `start` to `end`, both included. A value that needs no
/// location and is never used has none: its `start` stays `u32::MAX`.
#[derive(Default)]
pub(super) struct Intervals {
    pub(super) start: Vec<u32>,
    pub(super) end: Vec<u32>,
}

impl Intervals {
    /// Widens the interval of `v` to take in `at`.
    fn extend(&mut self, v: ValueId, at: u32) {
        let idx = v.0 as usize;
        self.start[idx] = self.start[idx].min(at);
        self.end[idx] = self.end[idx].max(at);
    }

    /// Makes the intervals of the values of `f` the hulls of their lives, numbered by
    /// `positions`, with `live_in` the values live at the start of each block.
    pub(super) fn build(&mut self, f: &Func, positions: &Positions, live_in: &LiveIn) {
        let Positions {
            pos,
            block_start,
            block_end,
        } = positions;
        reset(&mut self.start, f.values.len(), u32::MAX);
        reset(&mut self.end, f.values.len(), 0);
        for &block in &f.order {
            let b = f.block(block);
            let (bs, be) = (block_start[block.0 as usize], block_end[block.0 as usize]);
            // A value live at a block's start is live at the end of each predecessor, which
            // defines it or has it live at its own start, both before that end: only the
            // latest end can widen the hull.
            let pred_end = b
                .preds
                .iter()
                .map(|pred| block_end[pred.0 as usize])
                .fold(bs, u32::max);
            for &v in live_in.of(block) {
                let idx = v as usize;
                self.start[idx] = self.start[idx].min(bs);
                self.end[idx] = self.end[idx].max(pred_end);
            }
            for &succ in &b.succs {
                let pred_idx = f.block(succ).preds.iter().position(|&p| p == block);
                for &phi in &f.block(succ).values {
                    if f.value(phi).op != Op::Phi {
                        break;
                    }
                    let pred_idx = pred_idx.expect("edges are mirrored");
                    self.extend(phi, be);
                    self.extend(f.value(phi).args[pred_idx], be);
                }
            }
            if let (Some(control), BlockKind::If) = (b.control, b.kind) {
                self.extend(control, be);
            }
            let mut call_at = bs;
            for &v in &b.values {
                let value = f.value(v);
                if value.op == Op::Phi {
                    self.extend(v, bs);
                    continue;
                }
                let at = pos[v.0 as usize];
                if needs_loc(value.op) {
                    self.extend(v, at);
                }
                for &arg in &value.args {
                    self.extend(arg, at);
                }
                // Emission moves register arguments and the closure pointer into place on
                // entry, and a call's results out of the convention's registers at the
                // call: their values are live from there.
                if entry_defined(value) {
                    self.extend(v, block_start[f.entry().0 as usize]);
                } else if value.op == Op::LoadResult {
                    self.extend(v, call_at);
                } else if value.op.is_call() {
                    call_at = at;
                }
            }
        }
    }
}
