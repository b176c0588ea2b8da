//! The linear scan of the register allocator (step 3 of the essay in `regalloc`): the
//! intervals in order of their start, each given a register or, when none is free, a
//! stack slot for its whole life.
//!
//! A value live across a call may take only a callee-saved register; others prefer the
//! register the calling convention hints, then caller-saved registers, which cost no save
//! in the prologue. When no register is free, the interval ending last among the
//! candidates is spilled ("spill everywhere"), and a slot is reused by an interval that
//! starts after the slot's last holder ended.

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
    } = sets;
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
        // its register) ends last.
        // A shared register is not given away: its other holder still needs it.
        let victim = active
            .iter()
            .enumerate()
            .filter(|(_, a)| !crosses || CALLEE_MASK & (1 << a.reg) != 0)
            .filter(|(_, a)| active.iter().filter(|b| b.reg == a.reg).count() == 1)
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
