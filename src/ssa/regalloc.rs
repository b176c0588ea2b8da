//! Register allocation: linear scan over live intervals (Poletto and Sarkar, 1999).
//!
//! Input: a function after `critical` and `layout`: no critical edge into a block with
//! phis, blocks in emission order. Output: `Func::locs`, a register or a stack slot for
//! every value that produces a word, and `Func::frame`.
//!
//! The algorithm:
//! 1. Number the code in layout order: each block has a start and an end position, each
//!    value a position between them. A phi is defined by copies at the end of each
//!    predecessor (the edge copies emission places there, safe because no edge into a
//!    block with phis is critical), so a phi and its arguments are all live at those ends.
//! 2. Liveness: by backward dataflow on bit sets per block for functions of up to 128
//!    values, beyond by walking up from each use to the definition (a test checks both
//!    against the dataflow equations), of every value but the constants that get no
//!    location (below); then one interval per value: the hull of its definition, its uses
//!    and the blocks it is live through. Hulls are coarse around loops but always safe.
//! 3. Scan the intervals by start. A value live across a call (all registers but the
//!    callee-saved ones are clobbered by a call, the convention of this back end; found
//!    exactly by `across_calls`, not from the hull) may take only a callee-saved register; others prefer caller-saved registers, which cost no
//!    save in the prologue. When none is free, the interval ending last among the candidates
//!    goes to a stack slot for its whole life ("spill everywhere"); a slot is reused by an
//!    interval that starts after the slot's last holder ended. (A victim's life started
//!    before the spill decision, so a slot freed since then would not do.)
//!
//! The calling convention (`ssa::abi`) shapes the intervals: register arguments and the
//! closure pointer are live from the function's entry, where emission moves them out of
//! their registers, and a call's results from the call. A value that the convention will
//! move from or to a register (an argument, a result, a call argument, a function result)
//! is hinted into it, so that most of those moves vanish. A constant that is only copied
//! gets no location: emission writes it into each copy's destination.
//!
//! RAX, RCX and RDX are never allocated: emission uses them as scratch registers, for
//! division (RDX:RAX), variable shifts (CL) and the operands of spilled values.
//!
//! ```text
//! before:  v4 = Add64 v2 v3            after:  v4 = Add64 v2 v3 : BX
//!          v5 = StaticCall {f}                 v5 = StaticCall {f}
//!          v6 = AMD64ADDQconst [1] v4          v6 = AMD64ADDQconst [1] v4 : SI
//! ```
//! `v4` lives across the call, so it gets a callee-saved register; `v6` does not.

use std::fmt;

use crate::ssa::abi::Convention;
use crate::ssa::func::{BlockId, Func, Value, ValueId};
use crate::ssa::op::{BlockKind, Op};

/// The scratch registers, by hardware number.
pub const RAX: u8 = 0;
/// Second scratch register; shift counts.
pub const RCX: u8 = 1;
/// Third scratch register; the high half of a dividend; the closure pointer on entry.
pub const RDX: u8 = 2;

/// Allocatable caller-saved registers, in order of preference: SI, DI, R8–R11.
const CALLER_SAVED: [u8; 6] = [6, 7, 8, 9, 10, 11];
/// Callee-saved registers: BX, BP, R12–R15.
pub const CALLEE_SAVED: [u8; 6] = [3, 5, 12, 13, 14, 15];

/// The two sets as masks by hardware number. Each list above is in increasing order, so the
/// lowest free bit of a mask is the list's first free register.
const CALLER_MASK: u16 = mask(&CALLER_SAVED);
const CALLEE_MASK: u16 = mask(&CALLEE_SAVED);

const fn mask(regs: &[u8]) -> u16 {
    let mut bits = 0;
    let mut idx = 0;
    while idx < regs.len() {
        bits |= 1 << regs[idx];
        idx += 1;
    }
    bits
}

/// Where a value lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Loc {
    /// A register, by hardware number.
    Reg(u8),
    /// Spill slot `n` of the frame.
    Slot(u32),
}

/// Go's names for the registers, by hardware number.
pub const REG_NAMES: [&str; 16] = [
    "AX", "CX", "DX", "BX", "SP", "BP", "SI", "DI", "R8", "R9", "R10", "R11", "R12", "R13", "R14",
    "R15",
];

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loc::Reg(reg) => f.write_str(REG_NAMES[*reg as usize]),
            Loc::Slot(slot) => write!(f, "slot{slot}"),
        }
    }
}

/// The frame a function needs besides its outgoing argument area.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// Number of spill slots.
    pub n_slots: u32,
    /// Callee-saved registers the function uses, which its prologue saves.
    pub saved: Vec<u8>,
}

/// Whether a value needs a location.
pub fn needs_loc(op: Op) -> bool {
    op.has_result()
}

/// Per-worker buffers, reused from one function to the next: register allocation runs
/// for every function on every worker, and allocating its tables anew each time cost as
/// much as the algorithm itself.
#[derive(Default)]
struct Scratch {
    pos: Vec<u32>,
    block_start: Vec<u32>,
    block_end: Vec<u32>,
    start: Vec<u32>,
    end: Vec<u32>,
    live_in: LiveIn,
    dense: DenseSets,
    sparse: SparseSets,
    across: Vec<bool>,
    live: LiveSet,
    hints: Vec<Option<u8>>,
    remat: Vec<bool>,
    /// The values to allocate, each as its start above its number: sorting the words
    /// sorts by start, then by value.
    intervals: Vec<u64>,
    active: Vec<Active>,
    slot_end: Vec<u32>,
}

/// An interval being scanned that holds a register.
#[derive(Clone, Copy)]
struct Active {
    end: u32,
    v: ValueId,
    reg: u8,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Empties `v` and fills it with `n` copies of `x`, keeping its memory.
fn reset<T: Clone>(v: &mut Vec<T>, n: usize, x: T) {
    v.clear();
    v.resize(n, x);
}

/// Allocates a location to every value of `f` that produces a word.
pub fn run(f: &mut Func) {
    SCRATCH.with_borrow_mut(|scratch| allocate(f, scratch));
}

fn allocate(f: &mut Func, scratch: &mut Scratch) {
    let n = f.values.len();
    let Scratch {
        pos,
        block_start,
        block_end,
        start,
        end,
        live_in,
        dense,
        sparse,
        across,
        live,
        hints,
        remat,
        intervals,
        active,
        slot_end,
    } = scratch;
    // 1. Positions.
    reset(pos, n, 0);
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

    // 2. Liveness, of the values that need a location.
    rematerialized(f, remat);
    liveness(f, remat, dense, sparse, live_in);
    across_calls(f, live_in, live, across);
    reset(start, n, u32::MAX);
    reset(end, n, 0);
    let extend = |v: ValueId, at: u32, start: &mut Vec<u32>, end: &mut Vec<u32>| {
        let idx = v.0 as usize;
        start[idx] = start[idx].min(at);
        end[idx] = end[idx].max(at);
    };
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
            start[idx] = start[idx].min(bs);
            end[idx] = end[idx].max(pred_end);
        }
        for &succ in &b.succs {
            let pred_idx = f.block(succ).preds.iter().position(|&p| p == block);
            for &phi in &f.block(succ).values {
                if f.value(phi).op != Op::Phi {
                    break;
                }
                let pred_idx = pred_idx.expect("edges are mirrored");
                extend(phi, be, start, end);
                extend(f.value(phi).args[pred_idx], be, start, end);
            }
        }
        if let (Some(control), BlockKind::If) = (b.control, b.kind) {
            extend(control, be, start, end);
        }
        let mut call_at = bs;
        for &v in &b.values {
            let value = f.value(v);
            if value.op == Op::Phi {
                extend(v, bs, start, end);
                continue;
            }
            let at = pos[v.0 as usize];
            if needs_loc(value.op) {
                extend(v, at, start, end);
            }
            for &arg in &value.args {
                extend(arg, at, start, end);
            }
            // Emission moves register arguments and the closure pointer into place on
            // entry, and a call's results out of the convention's registers at the call:
            // their values are live from there.
            if entry_defined(value) {
                extend(v, block_start[f.entry().0 as usize], start, end);
            } else if value.op == Op::LoadResult {
                extend(v, call_at, start, end);
            } else if value.op.is_call() {
                call_at = at;
            }
        }
    }
    find_hints(f, hints);

    // 3. Linear scan.
    intervals.clear();
    intervals.extend(
        (0..n)
            .filter(|&v| start[v] != u32::MAX && needs_loc(f.values[v].op) && !remat[v])
            .map(|v| u64::from(start[v]) << 32 | v as u64),
    );
    intervals.sort_unstable();
    let mut locs: Vec<Option<Loc>> = vec![None; n];
    active.clear();
    // The registers of the active intervals, and every register handed out.
    let mut taken = 0u16;
    let mut used = 0u16;
    // Per spill slot: where its last holder's interval ends.
    slot_end.clear();
    for &key in intervals.iter() {
        let v = ValueId(key as u32);
        let (s, e) = (start[v.0 as usize], end[v.0 as usize]);
        active.retain(|a| {
            let live = a.end > s;
            if !live {
                taken &= !(1 << a.reg);
            }
            live
        });
        let crosses = across[v.0 as usize];
        let free = !taken;
        let hint = hints[v.0 as usize].filter(|&r| !crosses && free & (1 << r) != 0);
        let choice = hint.or_else(|| {
            let callee = CALLEE_MASK & free;
            let candidates = match CALLER_MASK & free {
                0 => callee,
                _ if crosses => callee,
                caller => caller,
            };
            (candidates != 0).then(|| candidates.trailing_zeros() as u8)
        });
        if let Some(reg) = choice {
            locs[v.0 as usize] = Some(Loc::Reg(reg));
            taken |= 1 << reg;
            used |= 1 << reg;
            active.push(Active { end: e, v, reg });
            continue;
        }
        // No register: spill whichever interval (this one or an active one that could give
        // its register) ends last.
        let victim = active
            .iter()
            .enumerate()
            .filter(|(_, a)| !crosses || CALLEE_MASK & (1 << a.reg) != 0)
            .max_by_key(|(_, a)| (a.end, a.v.0))
            .map(|(idx, a)| (idx, *a));
        let spilled = match victim {
            Some((idx, victim)) if victim.end > e => {
                locs[v.0 as usize] = Some(Loc::Reg(victim.reg));
                active[idx] = Active {
                    end: e,
                    v,
                    reg: victim.reg,
                };
                victim.v
            }
            _ => v,
        };
        // A spilled interval holds its slot for its whole life, from before now if it was
        // a victim: reuse only a slot whose last holder ended by then.
        let from = start[spilled.0 as usize];
        let slot = match slot_end.iter().position(|&end| end <= from) {
            Some(slot) => slot,
            None => {
                slot_end.push(0);
                slot_end.len() - 1
            }
        };
        slot_end[slot] = end[spilled.0 as usize];
        locs[spilled.0 as usize] = Some(Loc::Slot(slot as u32));
    }
    f.locs = locs;
    f.frame = Frame {
        n_slots: slot_end.len() as u32,
        saved: CALLEE_SAVED
            .iter()
            .copied()
            .filter(|&r| used & (1 << r) != 0)
            .collect(),
    };
}

/// Reports whether emission defines `value` on entry, wherever it is listed: a register
/// argument or the closure pointer, moved out of the convention's registers first thing.
fn entry_defined(value: &Value) -> bool {
    match value.op {
        Op::Arg => Convention::INTERNAL.reg(value.aux as u32).is_some(),
        Op::ClosurePtr => true,
        _ => false,
    }
}

/// Makes `remat` tell, per value, whether it is a constant that is only copied (into a
/// phi, a result or a call argument): emission writes it straight into the destination of
/// each copy, so it needs no location of its own.
fn rematerialized(f: &Func, remat: &mut Vec<bool>) {
    remat.clear();
    remat.extend(f.values.iter().map(|v| v.op == Op::Const));
    for &block in &f.order {
        let b = f.block(block);
        if let Some(control) = b.control {
            remat[control.0 as usize] = false;
        }
        for &v in &b.values {
            let value = f.value(v);
            let copied_from = match value.op {
                Op::Phi | Op::SetResult | Op::StaticCall => 0,
                Op::ClosureCall => 1,
                _ => value.args.len(),
            };
            for &arg in &value.args[..copied_from] {
                remat[arg.0 as usize] = false;
            }
        }
    }
}

/// Makes `hints` give, per value, the register the calling convention will move it from
/// or to, if any: an argument's or a result's register, or the one a call argument or a
/// function result is passed in. The first such register a value meets wins.
fn find_hints(f: &Func, hints: &mut Vec<Option<u8>>) {
    reset(hints, f.values.len(), None);
    let mut hint = |v: ValueId, reg: Option<u8>| {
        let slot = &mut hints[v.0 as usize];
        if slot.is_none() {
            *slot = reg;
        }
    };
    for &block in &f.order {
        let mut convention = Convention::INTERNAL;
        for &v in &f.block(block).values {
            let value = f.value(v);
            match value.op {
                Op::Arg => hint(v, Convention::INTERNAL.reg(value.aux as u32)),
                Op::LoadResult => hint(v, convention.reg(value.aux as u32)),
                Op::SetResult => hint(value.args[0], Convention::INTERNAL.reg(value.aux as u32)),
                Op::StaticCall | Op::ClosureCall => {
                    convention = Convention::of_call(f, value);
                    let words = &value.args[usize::from(value.op == Op::ClosureCall)..];
                    for (word, &arg) in words.iter().enumerate() {
                        hint(arg, convention.reg(word as u32));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Makes `across` tell, per value, whether it is live across a call: needed after a call
/// that happens after it is defined. Exact, from a backward walk of each block, where the
/// interval hull would also count calls in the gaps of a value's life (a phi, defined at
/// the end of each predecessor, is not live across a call earlier in one of them).
fn across_calls(f: &Func, live_in: &LiveIn, live: &mut LiveSet, across: &mut Vec<bool>) {
    reset(across, f.values.len(), false);
    live.reset(f.values.len());
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
struct LiveIn {
    /// Where each block's values start in `members`; one more entry than blocks.
    starts: Vec<u32>,
    members: Vec<u32>,
}

impl LiveIn {
    /// Returns the values live at the start of `block`.
    fn of(&self, block: BlockId) -> &[u32] {
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
fn liveness(
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
struct DenseSets {
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
struct SparseSets {
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
struct LiveSet {
    set: Vec<bool>,
    members: Vec<u32>,
}

impl LiveSet {
    /// Empties the set, for values below `n`.
    fn reset(&mut self, n: usize) {
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
mod tests {
    use std::collections::BTreeSet;

    use super::{DenseSets, LiveIn, SparseSets, liveness_dense, liveness_sparse, rematerialized};
    use crate::diag::SourceFile;
    use crate::ssa::build::{self, Program, Unit};
    use crate::ssa::func::{BlockId, Func, ValueId};
    use crate::ssa::op::Op;
    use crate::ssa::passes::PASSES;
    use crate::types::FuncId;
    use crate::types::object::FuncNode;
    use crate::workload::{self, Shape};

    /// Liveness as the textbook states it, for comparison: per block, what its successors
    /// need besides their own phis, plus the phi arguments and the control it passes them,
    /// less what it defines, plus what it uses; repeated over every block until nothing
    /// changes. Then the values `skip` marks are taken out: in SSA form each value's
    /// liveness is a problem of its own.
    fn reference(f: &Func, skip: &[bool]) -> Vec<BTreeSet<u32>> {
        let mut live_in = vec![BTreeSet::new(); f.blocks.len()];
        let mut changed = true;
        while changed {
            changed = false;
            for &block in f.order.iter().rev() {
                let b = f.block(block);
                let mut live = BTreeSet::new();
                for &succ in &b.succs {
                    let s = f.block(succ);
                    let pred_idx = s.preds.iter().position(|&p| p == block).unwrap();
                    for &v in &live_in[succ.0 as usize] {
                        let value = f.value(ValueId(v));
                        if value.op != Op::Phi || value.block != succ {
                            live.insert(v);
                        }
                    }
                    for &v in &s.values {
                        if f.value(v).op == Op::Phi {
                            live.insert(f.value(v).args[pred_idx].0);
                        }
                    }
                }
                live.extend(b.control.map(|c| c.0));
                for &v in b.values.iter().rev() {
                    let value = f.value(v);
                    if value.op != Op::Phi {
                        live.remove(&v.0);
                        live.extend(value.args.iter().map(|arg| arg.0));
                    }
                }
                if live != live_in[block.0 as usize] {
                    live_in[block.0 as usize] = live;
                    changed = true;
                }
            }
        }
        for live in &mut live_in {
            live.retain(|&v| !skip[v as usize]);
        }
        live_in
    }

    /// Both ways of computing liveness agree with the reference on every function of
    /// generated programs of each shape, taken to where `regalloc` starts, and list each
    /// block's values in increasing order.
    #[test]
    fn liveness_matches_the_dataflow_equations() {
        let (mut dense_sets, mut sparse_sets) = (DenseSets::default(), SparseSets::default());
        for shape in Shape::ALL {
            let text = workload::generate(shape, 40, 7);
            let source = SourceFile::new("gen.toy", text);
            let (checked, _) = crate::driver::front_end(&source);
            let checked = checked.expect("generated programs are valid");
            let program = Program::new(&checked.file, &checked.info);
            let mut units = vec![Unit::Init];
            for (idx, func) in checked.info.funcs.iter().enumerate() {
                if let FuncNode::Decl(_) = func.node {
                    units.push(Unit::Func {
                        func: FuncId(idx as u32),
                        env: Vec::new(),
                    });
                }
            }
            let mut compared = 0;
            let mut nonempty = 0;
            let mut skipped = 0;
            while let Some(unit) = units.pop() {
                let (mut f, closures) = build::build(&program, &unit);
                units.extend(closures);
                for pass in PASSES.iter().take_while(|pass| pass.name != "regalloc") {
                    (pass.run)(&mut f);
                }
                let (mut dense, mut sparse) = (LiveIn::default(), LiveIn::default());
                let words = f.values.len().div_ceil(64);
                let mut skip = Vec::new();
                rematerialized(&f, &mut skip);
                skipped += skip.iter().filter(|&&skip| skip).count();
                liveness_dense(&f, &skip, words, &mut dense_sets, &mut dense);
                liveness_sparse(&f, &skip, &mut sparse_sets, &mut sparse);
                for (block, expected) in reference(&f, &skip).iter().enumerate() {
                    let block = BlockId(block as u32);
                    let want: Vec<u32> = expected.iter().copied().collect();
                    assert_eq!(
                        dense.of(block),
                        want,
                        "dense: {} {block:?} ({shape:?})",
                        f.name
                    );
                    assert_eq!(
                        sparse.of(block),
                        want,
                        "sparse: {} {block:?} ({shape:?})",
                        f.name
                    );
                    nonempty += usize::from(!want.is_empty());
                }
                compared += 1;
            }
            assert!(compared > 40, "{shape:?}: only {compared} functions");
            assert!(
                nonempty > 40,
                "{shape:?}: only {nonempty} blocks with live values"
            );
            assert!(skipped > 0, "{shape:?}: no rematerialized constant");
        }
    }
}
