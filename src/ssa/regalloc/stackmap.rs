//! Stack maps: for each call, where the pointers live across it are while it runs (Go's
//! `liveness`, `plive.go`). A collection can start only inside a call (the allocator is
//! called), so a call is the only place a collector finds a frame in, and these maps tell
//! it which of the frame's words and of the callee-saved registers it must read as roots.
//!
//! Computed by the register allocator, from the liveness it already has (`across_calls`
//! records the values live across each call) and the locations it gave them: on the
//! workers, per function, like every other pass.
//!
//! Which words are pointers is known by type only where a word enters the function (an
//! `Arg`, a `LoadResult`, a `Load`: `Value::ptr`, set by construction); every other op
//! derives it from its operands ([`pointers`]): an address plus or minus an integer is an
//! address, a copy, phi or conditional move of one may be one, arithmetic that is not
//! an offset is not. A derived pointer may point into an object or just past a static
//! one; the collector maps an address to its object and ignores one outside the heap, as
//! Go's `findObject` does.
//!
//! A value live across a call is in a callee-saved register or a spill slot (the
//! allocator gives it nothing else), so a map is a register mask and a list of slots.

use crate::ssa::func::{Func, ValueId};
use crate::ssa::op::Op;
use crate::ssa::regalloc::{CALLEE_MASK, Loc, reset};

/// A function's stack maps, one per call that has pointers live across it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StackMaps {
    /// The maps, in the order of their calls in the layout.
    pub maps: Vec<StackMap>,
    /// The spill slots of each map, in increasing order, one list after another.
    pub slots: Vec<u32>,
}

/// The stack map of one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StackMap {
    /// The call.
    pub call: ValueId,
    /// The callee-saved registers that hold a live pointer, as a mask by hardware number.
    pub regs: u16,
    /// Where its slots start and end in [`StackMaps::slots`].
    pub slots: (u32, u32),
}

impl StackMaps {
    /// Returns the spill slots that hold a live pointer during `map`'s call.
    pub fn slots_of(&self, map: &StackMap) -> &[u32] {
        &self.slots[map.slots.0 as usize..map.slots.1 as usize]
    }
}

/// The pointers live across each call, before they have locations: filled by
/// `across_calls`, in the order it meets the calls.
#[derive(Default)]
pub(super) struct LiveAcross {
    /// Per call: the call and where its values end in `values`.
    calls: Vec<(ValueId, u32)>,
    values: Vec<ValueId>,
    /// Per value, whether it is a pointer ([`pointers`]), once `derived`: at the first
    /// call anything is live across, so that a function without one pays nothing.
    ptrs: Vec<bool>,
    derived: bool,
}

impl LiveAcross {
    pub(super) fn clear(&mut self) {
        self.calls.clear();
        self.values.clear();
        self.derived = false;
    }

    /// Records that the pointers among `live`, the values of `f` live across `call`, are.
    pub(super) fn record(&mut self, f: &Func, call: ValueId, live: impl Iterator<Item = ValueId>) {
        for v in live {
            if !self.derived {
                pointers(f, &mut self.ptrs);
                self.derived = true;
            }
            if self.ptrs[v.0 as usize] {
                self.values.push(v);
            }
        }
        self.calls.push((call, self.values.len() as u32));
    }
}

/// Makes `ptrs` tell, per value, whether its word may be a pointer: `Value::ptr` where the
/// op does not tell, derived from the operands where it does. A phi may take a pointer
/// from a later block (a loop's back edge), so the walk repeats until nothing changes;
/// the values only ever turn from no to yes.
pub(crate) fn pointers(f: &Func, ptrs: &mut Vec<bool>) {
    reset(ptrs, f.values.len(), false);
    let mut changed = true;
    while changed {
        changed = false;
        for &block in &f.order {
            for &v in &f.block(block).values {
                if ptrs[v.0 as usize] {
                    continue;
                }
                let value = f.value(v);
                let ptr = |idx: usize| ptrs[value.args[idx].0 as usize];
                let any = |args: &[ValueId]| args.iter().any(|arg| ptrs[arg.0 as usize]);
                let is_ptr = match value.op {
                    Op::Arg | Op::Load | Op::LoadResult | Op::LoadIdx8 => value.ptr,
                    Op::ClosurePtr => true,
                    // A symbol's address is static data, which the collector need not see.
                    Op::Addr => false,
                    // An address and an offset, either way round; `And` keeps an address
                    // or clears it (a slice's base past its end: `s[len(s):]`).
                    Op::Copy | Op::Phi | Op::Add | Op::And | Op::AddConst | Op::AndConst => {
                        any(&value.args)
                    }
                    Op::Lea => ptr(0),
                    // An address less an offset; the difference of two is an integer.
                    Op::Sub => ptr(0) && !ptr(1),
                    Op::CondSelect => any(&value.args[..2]),
                    Op::CMov | Op::CMovTest => any(&value.args[2..]),
                    Op::Const
                    | Op::Mul
                    | Op::Div
                    | Op::Mod
                    | Op::Or
                    | Op::Xor
                    | Op::AndNot
                    | Op::Shl
                    | Op::Shr
                    | Op::Neg
                    | Op::Com
                    | Op::ZeroExt8
                    | Op::Not
                    | Op::Min
                    | Op::Max
                    | Op::Eq
                    | Op::Ne
                    | Op::Lt
                    | Op::Le
                    | Op::Gt
                    | Op::Ge
                    | Op::ULt
                    | Op::ULe
                    | Op::Store
                    | Op::Load8
                    | Op::Store8
                    | Op::SetResult
                    | Op::StaticCall
                    | Op::ClosureCall
                    | Op::MulConst
                    | Op::OrConst
                    | Op::XorConst
                    | Op::ShlConst
                    | Op::SarConst
                    | Op::DivConst
                    | Op::ModConst
                    | Op::Cmp
                    | Op::CmpConst
                    | Op::Test
                    | Op::TestConst
                    | Op::StoreIdx8
                    | Op::Load8Idx1
                    | Op::Store8Idx1 => false,
                };
                if is_ptr {
                    ptrs[v.0 as usize] = true;
                    changed = true;
                }
            }
        }
    }
}

/// Builds the stack maps of `f` from the pointers `live` across its calls and their
/// locations `locs`, the calls in layout order.
pub(super) fn build(f: &Func, live: &LiveAcross, locs: &[Option<Loc>]) -> StackMaps {
    let mut maps = StackMaps::default();
    let mut start = 0;
    for &(call, end) in &live.calls {
        let mut regs = 0u16;
        let from = maps.slots.len();
        for &v in &live.values[start as usize..end as usize] {
            match locs[v.0 as usize] {
                Some(Loc::Reg(reg)) => {
                    debug_assert!(CALLEE_MASK & (1 << reg) != 0, "{v:?} is live across a call");
                    regs |= 1 << reg;
                }
                Some(Loc::Slot(slot)) => maps.slots.push(slot),
                None => unreachable!("a pointer live across a call has a location"),
            }
        }
        start = end;
        // Values that share a slot (a phi and its argument) name it once.
        maps.slots[from..].sort_unstable();
        let mut kept = from;
        for idx in from..maps.slots.len() {
            if kept == from || maps.slots[kept - 1] != maps.slots[idx] {
                maps.slots[kept] = maps.slots[idx];
                kept += 1;
            }
        }
        maps.slots.truncate(kept);
        if regs != 0 || kept > from {
            maps.maps.push(StackMap {
                call,
                regs,
                slots: (from as u32, kept as u32),
            });
        }
    }
    // `across_calls` meets the calls block by block in layout order, each block's from its
    // end: put each block's back in order.
    let mut idx = 0;
    while idx < maps.maps.len() {
        let block = f.value(maps.maps[idx].call).block;
        let run = maps.maps[idx..]
            .iter()
            .take_while(|map| f.value(map.call).block == block)
            .count();
        maps.maps[idx..idx + run].reverse();
        idx += run;
    }
    maps
}

#[cfg(test)]
mod tests {
    use super::pointers;
    use crate::ssa::op::Op;
    use crate::ssa::testfun::{Fun, bloc, branch, fun, goto, ret, valu};

    /// Runs `pointers` over `fun`, whose values `typed` are pointers by type, and returns
    /// whether each of `names` is found to be one.
    fn found(mut fun: Fun, typed: &[&str], names: &[&str]) -> Vec<bool> {
        for name in typed {
            let v = fun.v(name);
            fun.f.values[v.0 as usize].ptr = true;
        }
        let mut ptrs = Vec::new();
        pointers(&fun.f, &mut ptrs);
        names
            .iter()
            .map(|name| ptrs[fun.v(name).0 as usize])
            .collect()
    }

    /// Offsets from an address are addresses, the difference of two is not, and an
    /// untyped argument is an integer.
    #[test]
    fn pointers_follow_offsets_not_differences() {
        let fun = fun(
            "entry",
            [bloc(
                "entry",
                [
                    valu("p", Op::Arg, 0, &[]),
                    valu("q", Op::Arg, 1, &[]),
                    valu("n", Op::Arg, 2, &[]),
                    valu("elem", Op::Lea, 8, &["p", "n"]),
                    valu("field", Op::AddConst, 16, &["elem"]),
                    valu("back", Op::Sub, 0, &["field", "n"]),
                    valu("diff", Op::Sub, 0, &["q", "p"]),
                    valu("scaled", Op::MulConst, 8, &["n"]),
                    valu("r", Op::SetResult, 0, &["diff"]),
                ],
                ret(),
            )],
        );
        let names = ["p", "n", "elem", "field", "back", "diff", "scaled"];
        let want = [true, false, true, true, true, false, false];
        assert_eq!(found(fun, &["p", "q"], &names), want);
    }

    /// A word that starts as nil and becomes an address in a loop (`s = nil`, then `s`
    /// grown in the body): the phi takes the address from the back edge, defined after
    /// it, and is a pointer once the walk repeats.
    #[test]
    fn pointers_reach_a_phi_through_its_back_edge() {
        let fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [
                        valu("base", Op::Arg, 0, &[]),
                        valu("c", Op::Arg, 1, &[]),
                        valu("nil", Op::Const, 0, &[]),
                    ],
                    goto("loop"),
                ),
                bloc(
                    "loop",
                    [
                        valu("cur", Op::Phi, 0, &["nil", "next"]),
                        valu("i", Op::Phi, 0, &["c", "c"]),
                        valu("next", Op::Add, 0, &["i", "base"]),
                    ],
                    branch("c", "body", "exit"),
                ),
                bloc("body", [], goto("loop")),
                bloc("exit", [valu("r", Op::SetResult, 0, &["cur"])], ret()),
            ],
        );
        let names = ["cur", "next", "i"];
        assert_eq!(found(fun, &["base"], &names), [true, true, false]);
    }
}
