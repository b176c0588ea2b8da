//! Which value may share the register of the phi it is copied into (after the intervals,
//! before the scan): the copy that the end of its block makes into the phi then moves
//! nothing, as Go's allocator leaves a loop's incremented counter where the counter's phi
//! lives (`lea r9,[rdi+1]; mov rdi,r9` becomes `lea rdi,[rdi+1]`).
//!
//! Argument `a` of phi `p`, coming from block `b`, is `p`'s partner when `a` is defined in
//! `b` and lives exactly from its definition to `b`'s end (its interval is that), and `p` is
//! dead there: no value of `b` after `a`, nor `b`'s control, nor a copy into a phi on `b`'s
//! edges reads `p`, and `p` is not live into a successor of `b`. The hull of `p` takes in
//! `b`'s end, where the copy is made, so while `a` lives `p` holds its register and no other
//! value can: `scan` gives `a` that register if `p` has one (across a call, only a
//! callee-saved one), and the two never hold different words in it at once.

use crate::ssa::func::{BlockId, Func, ValueId};
use crate::ssa::op::Op;
use crate::ssa::regalloc::intervals::{Intervals, Positions};
use crate::ssa::regalloc::liveness::LiveIn;
use crate::ssa::regalloc::{needs_loc, reset};

/// Makes `partners` give, per value, the phi whose register it may share.
pub(super) fn partners(
    f: &Func,
    positions: &Positions,
    live_in: &LiveIn,
    intervals: &Intervals,
    remat: &[bool],
    partners: &mut Vec<Option<ValueId>>,
) {
    reset(partners, f.values.len(), None);
    for &block in &f.order {
        let b = f.block(block);
        for &p in &b.values {
            let phi = f.value(p);
            if phi.op != Op::Phi {
                break;
            }
            for (&pred, &a) in b.preds.iter().zip(&phi.args) {
                let arg = f.value(a);
                let idx = a.0 as usize;
                if partners[idx].is_some()
                    || arg.block != pred
                    || arg.op == Op::Phi
                    || !needs_loc(arg.op)
                    || remat[idx]
                    || intervals.start[idx] != positions.pos[idx]
                    || intervals.end[idx] != positions.block_end[pred.0 as usize]
                    || !dead_after(f, live_in, p, pred, a)
                {
                    continue;
                }
                partners[idx] = Some(p);
            }
        }
    }
}

/// Reports whether nothing reads phi `p` after value `a` of `block`: no later value of the
/// block, not its control, no copy into a phi of a successor, and no successor it is live
/// into but its own.
fn dead_after(f: &Func, live_in: &LiveIn, p: ValueId, block: BlockId, a: ValueId) -> bool {
    let b = f.block(block);
    let after = b.values.iter().skip_while(|&&v| v != a).skip(1);
    if b.control == Some(p) || after.clone().any(|&v| f.value(v).args.contains(&p)) {
        return false;
    }
    b.succs.iter().all(|&succ| {
        let s = f.block(succ);
        let from = s
            .preds
            .iter()
            .position(|&pred| pred == block)
            .expect("edges are mirrored");
        let copied = s
            .values
            .iter()
            .take_while(|&&v| f.value(v).op == Op::Phi)
            .any(|&q| f.value(q).args[from] == p);
        // A phi counts as live into its own block, where the copies define it.
        let live_into = succ != f.value(p).block && live_in.of(succ).contains(&p.0);
        !copied && !live_into
    })
}
