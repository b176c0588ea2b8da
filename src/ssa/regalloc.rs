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
//!    save in the prologue. When none is free, the candidate whose uses, weighted by 8 per
//!    loop around them, are fewest per position left of its interval goes to a stack slot
//!    for its whole life ("spill everywhere"; `scan`); a slot is reused by an
//!    interval that starts after the slot's last holder ended. (A victim's life started
//!    before the spill decision, so a slot freed since then would not do.)
//! 4. Stack maps: per call, the locations of the pointers live across it (`stackmap`), for
//!    the collector.
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
//!
//! A value copied into a phi at the end of its block, and dead by then, shares the phi's
//! register where the phi is dead too (`coalesce`): a loop's counter and its increment.
//!
//! Each step has its file: `intervals` (positions and hulls), `liveness` (live-in sets and
//! what lives across calls), `coalesce` (the values that share a phi's register), `scan`
//! (the linear scan), `stackmap`; this one holds the locations, the
//! registers and what the calling convention asks of the steps. The phi copies on edges
//! that the locations call for are made by emission (`amd64::emit`).

mod coalesce;
mod intervals;
mod liveness;
mod scan;
pub mod stackmap;

use std::fmt;

use crate::ssa::abi::Convention;
use crate::ssa::func::{Func, Value, ValueId};
use crate::ssa::op::Op;
use crate::ssa::regalloc::intervals::{Intervals, Positions};
use crate::ssa::regalloc::liveness::{DenseSets, LiveIn, LiveSet, SparseSets};
use crate::ssa::regalloc::scan::ScanSets;
use crate::ssa::regalloc::stackmap::LiveAcross;

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
    positions: Positions,
    live_in: LiveIn,
    dense: DenseSets,
    sparse: SparseSets,
    across: Vec<bool>,
    live: LiveSet,
    intervals: Intervals,
    hints: Vec<Option<u8>>,
    partners: Vec<Option<ValueId>>,
    remat: Vec<bool>,
    scan_sets: ScanSets,
    pointers_across: LiveAcross,
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

/// Runs the steps of the essay above over `f`, in `scratch`'s buffers.
fn allocate(f: &mut Func, scratch: &mut Scratch) {
    let Scratch {
        positions,
        live_in,
        dense,
        sparse,
        across,
        live,
        intervals,
        hints,
        partners,
        remat,
        scan_sets,
        pointers_across,
    } = scratch;
    // 1. Positions.
    positions.number(f);

    // 2. Liveness, of the values that need a location, and the intervals.
    rematerialized(f, remat);
    liveness::liveness(f, remat, dense, sparse, live_in);
    liveness::across_calls(f, live_in, live, across, pointers_across);
    intervals.build(f, positions, live_in);
    find_hints(f, hints);
    coalesce::partners(f, positions, live_in, intervals, remat, partners);

    // 3. Linear scan.
    let (locs, frame) = scan::scan(f, intervals, remat, across, hints, partners, scan_sets);

    // 4. Stack maps.
    f.stack_maps = stackmap::build(f, pointers_across, &locs);
    f.locs = locs;
    f.frame = frame;
}

/// Reports whether emission defines `value` on entry, wherever it is listed: a register
/// argument or the closure pointer, moved out of the convention's registers first thing.
pub(crate) fn entry_defined(value: &Value) -> bool {
    match value.op {
        Op::Arg => Convention::INTERNAL.reg(value.aux as u32).is_some(),
        Op::ClosurePtr => true,
        _ => false,
    }
}

/// Makes `remat` tell, per value, whether it is a constant that is only copied (into a
/// phi, a result, a call argument or memory by a store) or an operand of a conditional
/// move: emission writes it straight into the destination of each copy, or as the move's
/// or store's immediate or scratch register, so it needs no location of its own.
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
                Op::Phi
                | Op::SetResult
                | Op::StaticCall
                | Op::CondSelect
                | Op::CMov
                | Op::CMovTest => 0,
                // The word stored: an immediate, or loaded into a scratch register.
                Op::ClosureCall | Op::Store | Op::Store8 => 1,
                Op::StoreIdx8 | Op::Store8Idx1 => 2,
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
