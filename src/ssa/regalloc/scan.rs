//! The linear scan of the register allocator (step 3 of the essay in `regalloc`): the
//! intervals in order of their start, each given a register or, when none is free, a
//! stack slot for its whole life.
//!
//! A value live across a call may take only a callee-saved register; others prefer the
//! register the calling convention hints, then caller-saved registers, which cost no save
//! in the prologue. When no register is free, the candidate that costs least per position
//! left of its interval is spilled ("spill everywhere"): its definition and uses counted,
//! each weighted by 8 to the depth of the loops around it (Chaitin's spill cost), divided
//! by what is left of its interval, so a loop counter keeps its register and a value live
//! across the loop but used rarely goes to the stack; among equal weights, the interval
//! ending last. A slot is reused by an interval that starts
//! after the slot's last holder ended.

use crate::ssa::func::{Func, ValueId};
use crate::ssa::regalloc::intervals::Intervals;
use crate::ssa::regalloc::{CALLEE_MASK, CALLEE_SAVED, CALLER_MASK, Frame, Loc, needs_loc};

/// The buffers of [`scan`].
#[derive(Default)]
pub(super) struct ScanSets {
    /// The values to allocate, each as its start above its number: sorting the words
    /// sorts by start, then by value.
    intervals: Vec<u64>,
    active: Vec<Active>,
    /// Per spill slot: where its last holder's interval ends.
    slot_end: Vec<u32>,
    /// Per value, its spill cost, computed at the function's first spill.
    costs: Vec<u64>,
    /// Per position in the layout, how the loop depth changes there; then per block, its
    /// loop depth.
    depth: Vec<i32>,
    /// Per block, its position in the layout.
    position: Vec<u32>,
}

/// An interval being scanned that holds a register.
#[derive(Clone, Copy)]
struct Active {
    end: u32,
    v: ValueId,
    reg: u8,
}

/// Returns a location for every value of `f` that has an interval in `hulls` and needs a
/// location, but the constants `remat` marks, and the frame the spills and the
/// callee-saved registers handed out take. `across` tells which values are live across a
/// call, `hints` the register each would best be given, and `partners` the phi whose
/// register each may share (`coalesce`).
pub(super) fn scan(
    f: &Func,
    hulls: &Intervals,
    remat: &[bool],
    across: &[bool],
    hints: &[Option<u8>],
    partners: &[Option<ValueId>],
    sets: &mut ScanSets,
) -> (Vec<Option<Loc>>, Frame) {
    let n = f.values.len();
    let Intervals { start, end } = hulls;
    let ScanSets {
        intervals,
        active,
        slot_end,
        costs,
        depth,
        position,
    } = sets;
    costs.clear();
    intervals.clear();
    intervals.extend(
        (0..n)
            .filter(|&v| start[v] != u32::MAX && needs_loc(f.values[v].op) && !remat[v])
            .map(|v| u64::from(start[v]) << 32 | v as u64),
    );
    intervals.sort_unstable();
    let mut locs: Vec<Option<Loc>> = vec![None; n];
    active.clear();
    // Every register handed out.
    let mut used = 0u16;
    slot_end.clear();
    for &key in intervals.iter() {
        let v = ValueId(key as u32);
        let (s, e) = (start[v.0 as usize], end[v.0 as usize]);
        active.retain(|a| a.end > s);
        // A register a partner shares with its phi stays taken while either holds it.
        let taken = active.iter().fold(0u16, |taken, a| taken | 1 << a.reg);
        let crosses = across[v.0 as usize];
        let shared = partners[v.0 as usize]
            .and_then(|p| match locs[p.0 as usize] {
                Some(Loc::Reg(reg)) => Some(reg),
                Some(Loc::Slot(_)) | None => None,
            })
            .filter(|&reg| !crosses || CALLEE_MASK & (1 << reg) != 0);
        if let Some(reg) = shared {
            locs[v.0 as usize] = Some(Loc::Reg(reg));
            active.push(Active { end: e, v, reg });
            continue;
        }
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
            used |= 1 << reg;
            active.push(Active { end: e, v, reg });
            continue;
        }
        // No register: spill whichever interval (this one or an active one that could give
        // its register) costs least, of equal costs the one that ends last.
        // A shared register is not given away: its other holder still needs it.
        if costs.is_empty() {
            spill_costs(f, position, depth, costs);
        }
        // The cost per position left of the interval: a long interval used rarely goes
        // before a short one used in a loop.
        let keep = |v: ValueId, end: u32| {
            let weight = (costs[v.0 as usize] << 16) / u64::from(end - s + 1);
            (weight, u32::MAX - end, v.0)
        };
        let victim = active
            .iter()
            .enumerate()
            .filter(|(_, a)| !crosses || CALLEE_MASK & (1 << a.reg) != 0)
            .filter(|(_, a)| active.iter().filter(|b| b.reg == a.reg).count() == 1)
            .min_by_key(|(_, a)| keep(a.v, a.end))
            .map(|(idx, a)| (idx, *a));
        let spilled = match victim {
            Some((idx, victim)) if keep(victim.v, victim.end) < keep(v, e) => {
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
    let frame = Frame {
        n_slots: slot_end.len() as u32,
        saved: CALLEE_SAVED
            .iter()
            .copied()
            .filter(|&r| used & (1 << r) != 0)
            .collect(),
    };
    (locs, frame)
}

/// Fills `costs` with each value's spill cost: its definition and each use (a phi's in its
/// own block), weighted by 8 to the loop depth of the block that holds it, at most 8^6; all
/// zero in a function without loops.
/// The loops are read off the layout, where `layout` keeps each loop's blocks together
/// and ends it with the jump back to its header: a block lies in as many loops as there
/// are backward jumps around it. `position` and `depth` are scratch.
fn spill_costs(f: &Func, position: &mut Vec<u32>, depth: &mut Vec<i32>, costs: &mut Vec<u64>) {
    position.clear();
    position.resize(f.blocks.len(), u32::MAX);
    for (pos, &block) in f.order.iter().enumerate() {
        position[block.0 as usize] = pos as u32;
    }
    depth.clear();
    depth.resize(f.order.len() + 1, 0);
    let mut any_loop = false;
    for (pos, &block) in f.order.iter().enumerate() {
        for &succ in &f.block(block).succs {
            let header = position[succ.0 as usize] as usize;
            if header <= pos {
                depth[header] += 1;
                depth[pos + 1] -= 1;
                any_loop = true;
            }
        }
    }
    costs.resize(f.values.len(), 0);
    // Without loops every cost is equal for the choice that matters, and the interval
    // ending last goes, as Poletto and Sarkar's scan chooses; counting uses would only
    // cost compile time.
    if !any_loop {
        return;
    }
    let mut loops = 0;
    for (pos, &block) in f.order.iter().enumerate() {
        loops += depth[pos];
        let weight = 1u64 << (3 * loops.clamp(0, 6));
        let b = f.block(block);
        for &v in &b.values {
            costs[v.0 as usize] += weight;
            for &arg in &f.value(v).args {
                costs[arg.0 as usize] += weight;
            }
        }
        if let Some(control) = b.control {
            costs[control.0 as usize] += weight;
        }
    }
}
