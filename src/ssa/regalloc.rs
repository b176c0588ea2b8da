//! Register allocation: linear scan over live intervals (Poletto and Sarkar, 1999).
//!
//! Input: a function after `critical` and `layout`: no critical edges, blocks in emission
//! order. Output: `Func::locs`, a register or a stack slot for every value that produces a
//! word, and `Func::frame`.
//!
//! The algorithm:
//! 1. Number the code in layout order: each block has a start and an end position, each
//!    value a position between them. A phi is defined by copies at the end of each
//!    predecessor (the edge copies emission places there, safe because no edge is
//!    critical), so a phi and its arguments are all live at those ends.
//! 2. Liveness by backward dataflow on per-block sets (bit sets for functions of up to 512
//!    values, sparse sets beyond; a test checks that both agree), then one interval per value:
//!    the hull of its definition, its uses and the blocks it is live through. Hulls are
//!    coarse around loops but always safe.
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

/// Allocates a location to every value of `f` that produces a word.
pub fn run(f: &mut Func) {
    let n = f.values.len();
    // 1. Positions.
    let mut pos = vec![0u32; n];
    let mut block_start = vec![0u32; f.blocks.len()];
    let mut block_end = vec![0u32; f.blocks.len()];
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

    // 2. Liveness.
    let live_in = liveness(f);
    let live_across_call = across_calls(f, &live_in);
    let mut start = vec![u32::MAX; n];
    let mut end = vec![0u32; n];
    let extend = |v: ValueId, at: u32, start: &mut Vec<u32>, end: &mut Vec<u32>| {
        let idx = v.0 as usize;
        start[idx] = start[idx].min(at);
        end[idx] = end[idx].max(at);
    };
    for &block in &f.order {
        let b = f.block(block);
        let (bs, be) = (block_start[block.0 as usize], block_end[block.0 as usize]);
        for &v in &live_in[block.0 as usize] {
            extend(ValueId(v), bs, &mut start, &mut end);
        }
        for &succ in &b.succs {
            for &v in &live_in[succ.0 as usize] {
                extend(ValueId(v), be, &mut start, &mut end);
            }
            let pred_idx = f.block(succ).preds.iter().position(|&p| p == block);
            for &phi in &f.block(succ).values {
                if f.value(phi).op != Op::Phi {
                    break;
                }
                let pred_idx = pred_idx.expect("edges are mirrored");
                extend(phi, be, &mut start, &mut end);
                extend(f.value(phi).args[pred_idx], be, &mut start, &mut end);
            }
        }
        if let (Some(control), BlockKind::If) = (b.control, b.kind) {
            extend(control, be, &mut start, &mut end);
        }
        let mut call_at = bs;
        for &v in &b.values {
            let value = f.value(v);
            if value.op == Op::Phi {
                extend(v, bs, &mut start, &mut end);
                continue;
            }
            let at = pos[v.0 as usize];
            if needs_loc(value.op) {
                extend(v, at, &mut start, &mut end);
            }
            for &arg in &value.args {
                extend(arg, at, &mut start, &mut end);
            }
            // Emission moves register arguments and the closure pointer into place on
            // entry, and a call's results out of the convention's registers at the call:
            // their values are live from there.
            if entry_defined(value) {
                extend(v, block_start[f.entry().0 as usize], &mut start, &mut end);
            } else if value.op == Op::LoadResult {
                extend(v, call_at, &mut start, &mut end);
            } else if value.op.is_call() {
                call_at = at;
            }
        }
    }
    let hints = hints(f);

    // 3. Linear scan.
    let remat = rematerialized(f);
    let mut intervals: Vec<ValueId> = (0..n as u32)
        .map(ValueId)
        .filter(|v| {
            start[v.0 as usize] != u32::MAX && needs_loc(f.value(*v).op) && !remat[v.0 as usize]
        })
        .collect();
    intervals.sort_by_key(|v| (start[v.0 as usize], v.0));
    let mut locs: Vec<Option<Loc>> = vec![None; n];
    let mut active: Vec<ValueId> = Vec::new();
    // Per spill slot: where its last holder's interval ends.
    let mut slot_end: Vec<u32> = Vec::new();
    let mut used_callee = [false; 16];
    for &v in &intervals {
        let (s, e) = (start[v.0 as usize], end[v.0 as usize]);
        active.retain(|&a| end[a.0 as usize] > s);
        let crosses = live_across_call[v.0 as usize];
        let mut taken = [false; 16];
        for &a in &active {
            if let Some(Loc::Reg(reg)) = locs[a.0 as usize] {
                taken[reg as usize] = true;
            }
        }
        let hint = hints[v.0 as usize].filter(|&r| !crosses && !taken[r as usize]);
        let choice = if hint.is_some() {
            hint
        } else if crosses {
            CALLEE_SAVED.iter().copied().find(|&r| !taken[r as usize])
        } else {
            CALLER_SAVED
                .iter()
                .chain(&CALLEE_SAVED)
                .copied()
                .find(|&r| !taken[r as usize])
        };
        if let Some(reg) = choice {
            locs[v.0 as usize] = Some(Loc::Reg(reg));
            used_callee[reg as usize] = true;
            active.push(v);
            continue;
        }
        // No register: spill whichever interval (this one or an active one that could give
        // its register) ends last.
        let victim = active
            .iter()
            .copied()
            .filter(|&a| {
                let Some(Loc::Reg(reg)) = locs[a.0 as usize] else {
                    return false;
                };
                !crosses || CALLEE_SAVED.contains(&reg)
            })
            .max_by_key(|&a| (end[a.0 as usize], a.0));
        let spilled = match victim {
            Some(victim) if end[victim.0 as usize] > e => {
                locs[v.0 as usize] = locs[victim.0 as usize];
                active.retain(|&a| a != victim);
                active.push(v);
                victim
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
            .filter(|&r| used_callee[r as usize])
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

/// Returns, per value, whether it is a constant that is only copied (into a phi, a result
/// or a call argument): emission writes it straight into the destination of each copy, so
/// it needs no location of its own.
fn rematerialized(f: &Func) -> Vec<bool> {
    let mut remat: Vec<bool> = f.values.iter().map(|v| v.op == Op::Const).collect();
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
    remat
}

/// Returns, per value, the register the calling convention will move it from or to, if
/// any: an argument's or a result's register, or the one a call argument or a function
/// result is passed in. The first such register a value meets wins.
fn hints(f: &Func) -> Vec<Option<u8>> {
    let mut hints = vec![None; f.values.len()];
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
    hints
}

/// Returns, per value, whether it is live across a call: needed after a call that happens
/// after it is defined. Exact, from a backward walk of each block, where the interval hull
/// would also count calls in the gaps of a value's life (a phi, defined at the end of each
/// predecessor, is not live across a call earlier in one of them).
fn across_calls(f: &Func, live_in: &[Vec<u32>]) -> Vec<bool> {
    let mut across = vec![false; f.values.len()];
    let mut live = LiveSet::new(f.values.len());
    for &block in &f.order {
        let b = f.block(block);
        if !b.values.iter().any(|&v| f.value(v).op.is_call()) {
            continue;
        }
        live_out(f, block, live_in, &mut live);
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
    across
}

/// The most values a function may have for `liveness` to use bit sets: 512, eight words a
/// set. Beyond, a set costs its length at every step however few values are live, and
/// sparse sets, which cost what is live, win (measured on the generated programs).
const DENSE_LIVENESS_WORDS: usize = 8;

/// Returns, per block, the values live at its start (its own phis included when used), in
/// increasing order.
fn liveness(f: &Func) -> Vec<Vec<u32>> {
    let words = f.values.len().div_ceil(64);
    if words <= DENSE_LIVENESS_WORDS {
        liveness_dense(f, words)
    } else {
        liveness_sparse(f)
    }
}

/// `liveness` with a bit set of all values per block: for the functions of ordinary size,
/// where a set is a few words and the sets of a block's successors merge a word at a time.
fn liveness_dense(f: &Func, words: usize) -> Vec<Vec<u32>> {
    let n_blocks = f.blocks.len();
    // Per block, each `words` long: the values it uses before defining them (upward-exposed
    // uses), those it defines (phis aside), its phis, and what it passes its successors
    // itself (the phi arguments of its edges and its control).
    let mut uses = vec![0u64; n_blocks * words];
    let mut defs = vec![0u64; n_blocks * words];
    let mut phis = vec![0u64; n_blocks * words];
    let mut passes = vec![0u64; n_blocks * words];
    let set = |bits: &mut [u64], base: usize, v: ValueId| {
        bits[base + v.0 as usize / 64] |= 1 << (v.0 % 64);
    };
    for &block in &f.order {
        let base = block.0 as usize * words;
        let b = f.block(block);
        for &v in b.values.iter().rev() {
            let value = f.value(v);
            if value.op == Op::Phi {
                set(&mut phis, base, v);
                continue;
            }
            uses[base + v.0 as usize / 64] &= !(1 << (v.0 % 64));
            set(&mut defs, base, v);
            for &arg in &value.args {
                set(&mut uses, base, arg);
            }
        }
        for &succ in &b.succs {
            let pred_idx = f.block(succ).preds.iter().position(|&p| p == block);
            for &phi in &f.block(succ).values {
                if f.value(phi).op != Op::Phi {
                    break;
                }
                let arg = f.value(phi).args[pred_idx.expect("edges are mirrored")];
                set(&mut passes, base, arg);
            }
        }
        if let Some(control) = b.control {
            set(&mut passes, base, control);
        }
    }
    let mut live_in = vec![0u64; n_blocks * words];
    let mut out = vec![0u64; words];
    // The same worklist as `liveness_sparse`.
    let mut queued = vec![false; n_blocks];
    for &block in &f.order {
        queued[block.0 as usize] = true;
    }
    let mut work: Vec<BlockId> = f.order.clone();
    while let Some(block) = work.pop() {
        queued[block.0 as usize] = false;
        let base = block.0 as usize * words;
        out.copy_from_slice(&passes[base..base + words]);
        for &succ in &f.block(block).succs {
            let succ_base = succ.0 as usize * words;
            for idx in 0..words {
                out[idx] |= live_in[succ_base + idx] & !phis[succ_base + idx];
            }
        }
        let mut changed = false;
        for idx in 0..words {
            let new = uses[base + idx] | (out[idx] & !defs[base + idx]);
            changed |= new != live_in[base + idx];
            live_in[base + idx] = new;
        }
        if changed {
            for &pred in &f.block(block).preds {
                if !std::mem::replace(&mut queued[pred.0 as usize], true) {
                    work.push(pred);
                }
            }
        }
    }
    (0..n_blocks)
        .map(|block| {
            let bits = &live_in[block * words..(block + 1) * words];
            let mut members = Vec::new();
            for (idx, &word) in bits.iter().enumerate() {
                let mut word = word;
                while word != 0 {
                    members.push(idx as u32 * 64 + word.trailing_zeros());
                    word &= word - 1;
                }
            }
            members
        })
        .collect()
}

/// `liveness` with sparse sets, for large functions.
fn liveness_sparse(f: &Func) -> Vec<Vec<u32>> {
    let mut live_in: Vec<Vec<u32>> = vec![Vec::new(); f.blocks.len()];
    let mut live = LiveSet::new(f.values.len());
    // A worklist, first in reverse layout order: a function without loops settles in one
    // sweep, and a block is revisited only when a successor's live-in grew.
    let mut queued = vec![false; f.blocks.len()];
    for &block in &f.order {
        queued[block.0 as usize] = true;
    }
    let mut work: Vec<BlockId> = f.order.clone();
    while let Some(block) = work.pop() {
        queued[block.0 as usize] = false;
        live_out(f, block, &live_in, &mut live);
        for &v in f.block(block).values.iter().rev() {
            let value = f.value(v);
            if value.op == Op::Phi {
                continue;
            }
            live.remove(v);
            for &arg in &value.args {
                live.add(arg);
            }
        }
        let mut new_in: Vec<u32> = live
            .members
            .iter()
            .copied()
            .filter(|&v| live.set[v as usize])
            .collect();
        new_in.sort_unstable();
        if new_in != live_in[block.0 as usize] {
            live_in[block.0 as usize] = new_in;
            for &pred in &f.block(block).preds {
                if !std::mem::replace(&mut queued[pred.0 as usize], true) {
                    work.push(pred);
                }
            }
        }
    }
    live_in
}

/// A set of values that is cheap to clear: its members are listed (removed ones too, until
/// the next `clear`).
struct LiveSet {
    set: Vec<bool>,
    members: Vec<u32>,
}

impl LiveSet {
    fn new(n: usize) -> LiveSet {
        LiveSet {
            set: vec![false; n],
            members: Vec::new(),
        }
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
fn live_out(f: &Func, block: BlockId, live_in: &[Vec<u32>], live: &mut LiveSet) {
    live.clear();
    let b = f.block(block);
    for &succ in &b.succs {
        let pred_idx = f.block(succ).preds.iter().position(|&p| p == block);
        for &v in &live_in[succ.0 as usize] {
            let value = f.value(ValueId(v));
            if value.op != Op::Phi || value.block != succ {
                live.add(ValueId(v));
            }
        }
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
    use super::{liveness_dense, liveness_sparse};
    use crate::diag::SourceFile;
    use crate::ssa::build::{self, Program, Unit};
    use crate::ssa::passes::PASSES;
    use crate::types::FuncId;
    use crate::types::object::FuncNode;
    use crate::workload::{self, Shape};

    /// The two ways of computing liveness agree on every function of generated programs of
    /// each shape, taken to where `regalloc` starts.
    #[test]
    fn dense_and_sparse_liveness_agree() {
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
            while let Some(unit) = units.pop() {
                let (mut f, closures) = build::build(&program, &unit);
                units.extend(closures);
                for pass in PASSES.iter().take_while(|pass| pass.name != "regalloc") {
                    (pass.run)(&mut f);
                }
                let words = f.values.len().div_ceil(64);
                assert_eq!(
                    liveness_dense(&f, words),
                    liveness_sparse(&f),
                    "{} ({shape:?})",
                    f.name
                );
                compared += 1;
            }
            assert!(compared > 40, "{shape:?}: only {compared} functions");
        }
    }
}
