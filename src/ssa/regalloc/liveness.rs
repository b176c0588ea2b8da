//! Liveness for the register allocator: the values live at the start of each block
//! (`liveness`, by bit sets for small functions and by walks up from each use for large
//! ones), and the values live across a call (`across_calls`).
//!
//! Phis follow the allocator's convention: a phi is defined by the copies at the end of
//! each predecessor, so its arguments are used there, and it is live at the start of its
//! own block only if it is used in it or after it. The constants that get no location
//! (`rematerialized`) are left out.

use crate::ssa::func::{BlockId, Func, ValueId};
use crate::ssa::op::Op;
use crate::ssa::regalloc::stackmap::LiveAcross;
use crate::ssa::regalloc::{entry_defined, reset};

/// Makes `across` tell, per value, whether it is live across a call: needed after a call
/// that happens after it is defined. Exact, from a backward walk of each block, where the
/// interval hull would also count calls in the gaps of a value's life (a phi, defined at
/// the end of each predecessor, is not live across a call earlier in one of them).
///
/// Records in `pointers_across` the pointers live across each call, for the stack maps.
pub(super) fn across_calls(
    f: &Func,
    live_in: &LiveIn,
    live: &mut LiveSet,
    across: &mut Vec<bool>,
    pointers_across: &mut LiveAcross,
) {
    reset(across, f.values.len(), false);
    live.reset(f.values.len());
    pointers_across.clear();
    for &block in &f.order {
        let b = f.block(block);
        if !b.values.iter().any(|&v| f.value(v).op.is_call()) {
            continue;
        }
        live_out(f, block, live_in, live);
        for &v in b.values.iter().rev() {
            let value = f.value(v);
            if value.op == Op::Phi {
                continue;
            }
            // Register arguments and the closure pointer are defined on entry, wherever
            // they are listed: still live above their place.
            if !entry_defined(value) {
                live.remove(v);
            }
            if value.op.is_call() {
                for &m in &live.members {
                    if live.set[m as usize] {
                        across[m as usize] = true;
                    }
                }
                let across_call = live
                    .members
                    .iter()
                    .filter(|&&m| live.set[m as usize])
                    .map(|&m| ValueId(m));
                pointers_across.record(f, v, across_call);
            }
            for &arg in &value.args {
                live.add(arg);
            }
        }
    }
}

/// Per block, the values live at its start (its own phis included when used), in
/// increasing order: one list after another.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct LiveIn {
    /// Where each block's values start in `members`; one more entry than blocks.
    starts: Vec<u32>,
    members: Vec<u32>,
}

impl LiveIn {
    /// Returns the values live at the start of `block`.
    pub(super) fn of(&self, block: BlockId) -> &[u32] {
        let idx = block.0 as usize;
        &self.members[self.starts[idx] as usize..self.starts[idx + 1] as usize]
    }
}

/// The most values a function may have for `liveness` to use bit sets: 128, two words a
/// set. Beyond, a set costs its length at every step however few values are live, and the
/// walks of `liveness_sparse`, which cost what is live, win (instruction counts of whole
/// builds of the generated programs, bounds of 64 to 1,024 values tried).
const DENSE_LIVENESS_WORDS: usize = 2;

/// Computes the values live at the start of each block into `live_in`, leaving out the
/// values `skip` marks: the rematerialized constants, which get no location. A third of the
/// pairs of block and live value in the generated programs were such constants, defined in
/// the entry block and copied into phis and call arguments far below it.
pub(super) fn liveness(
    f: &Func,
    skip: &[bool],
    dense: &mut DenseSets,
    sparse: &mut SparseSets,
    live_in: &mut LiveIn,
) {
    let words = f.values.len().div_ceil(64);
    if words <= DENSE_LIVENESS_WORDS {
        liveness_dense(f, skip, words, dense, live_in);
    } else {
        liveness_sparse(f, skip, sparse, live_in);
    }
}

/// The bit sets of `liveness_dense`, per block, each `words` long: the values a block uses
/// before defining them (upward-exposed uses), those it defines (phis aside), its phis,
/// what it passes its successors itself (the phi arguments of its edges and its control),
/// and what is live at its start; and the worklist.
#[derive(Default)]
pub(super) struct DenseSets {
    uses: Vec<u64>,
    defs: Vec<u64>,
    phis: Vec<u64>,
    passes: Vec<u64>,
    live: Vec<u64>,
    out: Vec<u64>,
    queued: Vec<bool>,
    work: Vec<BlockId>,
}

/// `liveness` with a bit set of all values per block: for the functions of ordinary size,
/// where a set is a few words and the sets of a block's successors merge a word at a time.
fn liveness_dense(
    f: &Func,
    skip: &[bool],
    words: usize,
    sets: &mut DenseSets,
    live_in: &mut LiveIn,
) {
    let n_blocks = f.blocks.len();
    let DenseSets {
        uses,
        defs,
        phis,
        passes,
        live,
        out,
        queued,
        work,
    } = sets;
    for bits in [&mut *uses, &mut *defs, &mut *phis, &mut *passes, &mut *live] {
        reset(bits, n_blocks * words, 0);
    }
    // A skipped value is never used, so it is never live.
    let set = |bits: &mut [u64], base: usize, v: ValueId| {
        if !skip[v.0 as usize] {
            bits[base + v.0 as usize / 64] |= 1 << (v.0 % 64);
        }
    };
    for &block in &f.order {
        let base = block.0 as usize * words;
        let b = f.block(block);
        for &v in b.values.iter().rev() {
            let value = f.value(v);
            if value.op == Op::Phi {
                set(phis, base, v);
                continue;
            }
            uses[base + v.0 as usize / 64] &= !(1 << (v.0 % 64));
            set(defs, base, v);
            for &arg in &value.args {
                set(uses, base, arg);
            }
        }
        for &succ in &b.succs {
            let pred_idx = f.block(succ).preds.iter().position(|&p| p == block);
            for &phi in &f.block(succ).values {
                if f.value(phi).op != Op::Phi {
                    break;
                }
                let arg = f.value(phi).args[pred_idx.expect("edges are mirrored")];
                set(passes, base, arg);
            }
        }
        if let Some(control) = b.control {
            set(passes, base, control);
        }
    }
    reset(out, words, 0);
    // A worklist, first in reverse layout order: a function without loops settles in one
    // sweep, and a block is revisited only when a successor's live-in grew.
    reset(queued, n_blocks, false);
    for &block in &f.order {
        queued[block.0 as usize] = true;
    }
    work.clear();
    work.extend_from_slice(&f.order);
    while let Some(block) = work.pop() {
        queued[block.0 as usize] = false;
        let base = block.0 as usize * words;
        out.copy_from_slice(&passes[base..base + words]);
        for &succ in &f.block(block).succs {
            let succ_base = succ.0 as usize * words;
            for idx in 0..words {
                out[idx] |= live[succ_base + idx] & !phis[succ_base + idx];
            }
        }
        let mut changed = false;
        for idx in 0..words {
            let new = uses[base + idx] | (out[idx] & !defs[base + idx]);
            changed |= new != live[base + idx];
            live[base + idx] = new;
        }
        if changed {
            for &pred in &f.block(block).preds {
                if !std::mem::replace(&mut queued[pred.0 as usize], true) {
                    work.push(pred);
                }
            }
        }
    }
    live_in.starts.clear();
    live_in.members.clear();
    for block in 0..n_blocks {
        live_in.starts.push(live_in.members.len() as u32);
        for (idx, &word) in live[block * words..(block + 1) * words].iter().enumerate() {
            let mut word = word;
            while word != 0 {
                live_in
                    .members
                    .push(idx as u32 * 64 + word.trailing_zeros());
                word &= word - 1;
            }
        }
    }
    live_in.starts.push(live_in.members.len() as u32);
}

/// The buffers of `liveness_sparse`.
#[derive(Default)]
pub(super) struct SparseSets {
    /// Per value: the block that lists it, or `NOT_LISTED`.
    def_block: Vec<u32>,
    /// Per value: where its uses start in `use_blocks` (one more entry than values).
    use_starts: Vec<u32>,
    /// The blocks where each value is used, value after value.
    use_blocks: Vec<BlockId>,
    /// Per block: one more than the last value found live at its start.
    stamp: Vec<u32>,
    /// `(block, value)`: `value` is live at the start of `block`, in increasing value order.
    pairs: Vec<(u32, u32)>,
    /// Blocks still to visit in the walk up from a use.
    stack: Vec<BlockId>,
}

/// The `def_block` of a value that no live block lists.
const NOT_LISTED: u32 = u32::MAX;

/// `liveness` for large functions: the values live at the start of each block, found by
/// walking up from each use of a value towards its definition (Boissinot et al.,
/// "Computing Liveness Sets for SSA-Form Programs", 2008): every block a walk enters has the
/// value live at its start. Values are taken in increasing order, so one stamp per block
/// tells whether the current value is already known live there, the walk stops at once,
/// and each block's list comes out sorted. The work is the size of the live sets, with no
/// iteration to a fixed point however the loops nest.
///
/// A phi's argument is used at the end of the predecessor it comes through; a value that a
/// block defines is live at its start only if it is one of the block's phis (defined by the
/// copies at its predecessors' ends) and used in it or after it.
fn liveness_sparse(f: &Func, skip: &[bool], scratch: &mut SparseSets, live_in: &mut LiveIn) {
    let SparseSets {
        def_block,
        use_starts,
        use_blocks,
        stamp,
        pairs,
        stack,
    } = scratch;
    let n = f.values.len();
    // The uses of each value, by counting them and then placing them from the end of each
    // value's range down: each value's count first, then running sums, then one decrement
    // per placed use leaves every entry at its value's first use.
    reset(def_block, n, NOT_LISTED);
    reset(use_starts, n + 1, 0);
    for &block in &f.order {
        let b = f.block(block);
        for &v in &b.values {
            def_block[v.0 as usize] = block.0;
            for &arg in &f.value(v).args {
                use_starts[arg.0 as usize] += 1;
            }
        }
        if let Some(control) = b.control {
            use_starts[control.0 as usize] += 1;
        }
    }
    let total = running_sums(use_starts);
    use_blocks.clear();
    use_blocks.resize(total as usize, BlockId(0));
    let mut place = |v: ValueId, block: BlockId| {
        let at = &mut use_starts[v.0 as usize];
        *at -= 1;
        use_blocks[*at as usize] = block;
    };
    for &block in &f.order {
        let b = f.block(block);
        for &v in &b.values {
            let value = f.value(v);
            if value.op == Op::Phi {
                for (&arg, &pred) in value.args.iter().zip(&b.preds) {
                    place(arg, pred);
                }
            } else {
                for &arg in &value.args {
                    place(arg, block);
                }
            }
        }
        if let Some(control) = b.control {
            place(control, block);
        }
    }

    reset(stamp, f.blocks.len(), 0);
    pairs.clear();
    for v in 0..n {
        let uses = &use_blocks[use_starts[v] as usize..use_starts[v + 1] as usize];
        if uses.is_empty() || skip[v] {
            continue;
        }
        let mark = v as u32 + 1;
        let def = def_block[v];
        // A phi is live at the start of its block, where the walk ends; any other value is
        // not live at the start of the block that defines it.
        let stop = if f.values[v].op == Op::Phi {
            NOT_LISTED
        } else {
            def
        };
        // Blocks are pushed one by one: copying a list of one or two costs more.
        for &block in uses {
            stack.push(block);
            while let Some(block) = stack.pop() {
                let idx = block.0 as usize;
                if stamp[idx] == mark || block.0 == stop {
                    continue;
                }
                stamp[idx] = mark;
                pairs.push((block.0, v as u32));
                if block.0 != def {
                    for &pred in &f.blocks[idx].preds {
                        stack.push(pred);
                    }
                }
            }
        }
    }

    // Group the pairs by block, keeping their order: counts, running sums, then each pair
    // placed from the end of its block's range down, taken from the last.
    let starts = &mut live_in.starts;
    reset(starts, f.blocks.len() + 1, 0);
    for &(block, _) in pairs.iter() {
        starts[block as usize] += 1;
    }
    running_sums(starts);
    let members = &mut live_in.members;
    members.clear();
    members.resize(pairs.len(), 0);
    for &(block, v) in pairs.iter().rev() {
        let at = &mut starts[block as usize];
        *at -= 1;
        members[*at as usize] = v;
    }
}

/// Turns per-entry counts into running sums (each entry the total up to and including it)
/// and returns the total: decrementing an entry once per item then leaves it at the start
/// of that entry's items, as `liveness_sparse` places them.
fn running_sums(counts: &mut [u32]) -> u32 {
    let mut total = 0;
    for count in counts.iter_mut() {
        total += *count;
        *count = total;
    }
    total
}

/// A set of values that is cheap to clear: its members are listed (removed ones too, until
/// the next `clear`).
#[derive(Default)]
pub(super) struct LiveSet {
    set: Vec<bool>,
    members: Vec<u32>,
}

impl LiveSet {
    /// Empties the set, for values below `n`.
    pub(super) fn reset(&mut self, n: usize) {
        reset(&mut self.set, n, false);
        self.members.clear();
    }

    fn add(&mut self, v: ValueId) {
        if !std::mem::replace(&mut self.set[v.0 as usize], true) {
            self.members.push(v.0);
        }
    }

    fn remove(&mut self, v: ValueId) {
        self.set[v.0 as usize] = false;
    }

    fn clear(&mut self) {
        for &m in &self.members {
            self.set[m as usize] = false;
        }
        self.members.clear();
    }
}

/// Makes `live` the values live at the end of `block`: what its successors need on entry
/// besides their own phis, the phi arguments it passes them, and its control.
fn live_out(f: &Func, block: BlockId, live_in: &LiveIn, live: &mut LiveSet) {
    live.clear();
    for &succ in &f.block(block).succs {
        for &v in live_in.of(succ) {
            let value = f.value(ValueId(v));
            if value.op != Op::Phi || value.block != succ {
                live.add(ValueId(v));
            }
        }
    }
    live_edges(f, block, live);
}

/// Adds to `live` what `block` passes its successors itself: the phi arguments of its
/// edges, and its control.
fn live_edges(f: &Func, block: BlockId, live: &mut LiveSet) {
    let b = f.block(block);
    for &succ in &b.succs {
        let pred_idx = f.block(succ).preds.iter().position(|&p| p == block);
        for &phi in &f.block(succ).values {
            if f.value(phi).op != Op::Phi {
                break;
            }
            live.add(f.value(phi).args[pred_idx.expect("edges are mirrored")]);
        }
    }
    if let Some(control) = b.control {
        live.add(control);
    }
}

#[cfg(test)]
mod tests;
