//! The SSA verifier, Go's `checkFunc`: a failure is always a compiler bug.
//!
//! Checked: edges are mirrored in `preds`/`succs`; each block kind has its number of
//! successors and its control; phis have one argument per predecessor and come first;
//! every argument is a live value whose definition dominates the use (for a phi argument,
//! dominates the end of the matching predecessor); a call's `LoadResult`s follow it directly,
//! numbered from 0, and `SetResult`s, numbered from 0, end a `Ret` block.

use crate::ssa::dom::DomTree;
use crate::ssa::func::{BlockId, Func};
use crate::ssa::op::{BlockKind, Op};

/// Panics with a description if `f` breaks an invariant after pass `pass`.
pub fn verify(f: &Func, pass: &str) {
    if let Err(message) = check(f) {
        let text = crate::ssa::print::print(f, &|sym| format!("{sym:?}"));
        panic!("ssa check after {pass} in {}: {message}\n{text}", f.name);
    }
}

fn check(f: &Func) -> Result<(), String> {
    let mut live_block = vec![false; f.blocks.len()];
    for &block in &f.order {
        live_block[block.0 as usize] = true;
    }
    // Per value: (its block, its index in the block), if live.
    let mut place: Vec<Option<(BlockId, usize)>> = vec![None; f.values.len()];
    for &block in &f.order {
        for (idx, &v) in f.block(block).values.iter().enumerate() {
            if place[v.0 as usize].is_some() {
                return Err(format!("v{} is in two blocks", v.0));
            }
            if f.value(v).block != block {
                return Err(format!(
                    "v{} is listed in b{} but says b{}",
                    v.0,
                    block.0,
                    f.value(v).block.0
                ));
            }
            place[v.0 as usize] = Some((block, idx));
        }
    }
    let dom = DomTree::new(f);
    let dominates = |a: BlockId, mut b: BlockId| loop {
        if a == b {
            return true;
        }
        match dom.idom[b.0 as usize] {
            Some(parent) if parent != b => b = parent,
            _ => return false,
        }
    };
    for &block in &f.order {
        if dom.idom[block.0 as usize].is_none() {
            // Unreachable until the next deadcode: nothing runs there.
            continue;
        }
        let b = f.block(block);
        let (n_succs, has_control) = match b.kind {
            BlockKind::Plain => (1, false),
            BlockKind::If | BlockKind::IfCmp(_) => (2, true),
            BlockKind::Ret | BlockKind::Exit => (0, false),
        };
        if b.succs.len() != n_succs {
            return Err(format!("b{} has {} successors", block.0, b.succs.len()));
        }
        if b.control.is_some() != has_control {
            return Err(format!("b{} has a wrong control", block.0));
        }
        for &succ in &b.succs {
            if !live_block[succ.0 as usize] {
                return Err(format!("b{} goes to dead b{}", block.0, succ.0));
            }
            let n_forward = b.succs.iter().filter(|&&s| s == succ).count();
            let n_back = f.block(succ).preds.iter().filter(|&&p| p == block).count();
            if n_forward != n_back {
                return Err(format!("edge b{} → b{} is not mirrored", block.0, succ.0));
            }
        }
        for &pred in &b.preds {
            if !live_block[pred.0 as usize] && dom.idom[pred.0 as usize].is_some() {
                return Err(format!("b{} has dead predecessor b{}", block.0, pred.0));
            }
        }
        let mut phis_done = false;
        for (idx, &v) in b.values.iter().enumerate() {
            let value = f.value(v);
            if value.op == Op::Phi {
                if phis_done {
                    return Err(format!("phi v{} after other values", v.0));
                }
                if value.args.len() != b.preds.len() {
                    return Err(format!(
                        "phi v{} has {} args for {} preds",
                        v.0,
                        value.args.len(),
                        b.preds.len()
                    ));
                }
            } else {
                phis_done = true;
            }
            let prev = idx.checked_sub(1).map(|prev| f.value(b.values[prev]));
            let follows = |op: Op| prev.is_some_and(|prev| prev.op == op);
            let numbered = match prev {
                Some(prev) if prev.op == value.op => prev.aux.checked_add(1) == Some(value.aux),
                _ => value.aux == 0,
            };
            let in_place = match value.op {
                Op::LoadResult => {
                    numbered && (follows(Op::LoadResult) || prev.is_some_and(|p| p.op.is_call()))
                }
                Op::SetResult => numbered && b.kind == BlockKind::Ret,
                _ => !follows(Op::SetResult),
            };
            if !in_place {
                return Err(format!("v{} is out of place among calls and results", v.0));
            }
            for (arg_idx, &arg) in value.args.iter().enumerate() {
                let Some((def_block, def_idx)) = place[arg.0 as usize] else {
                    return Err(format!("v{} uses v{}, which is not live", v.0, arg.0));
                };
                let ok = if value.op == Op::Phi {
                    let pred = b.preds[arg_idx];
                    dom.idom[pred.0 as usize].is_none() || dominates(def_block, pred)
                } else if def_block == block && value.op != Op::Copy {
                    def_idx < idx
                } else {
                    dominates(def_block, block)
                };
                if !ok {
                    return Err(format!(
                        "v{} uses v{}, whose definition does not dominate it",
                        v.0, arg.0
                    ));
                }
            }
        }
        if let Some(control) = b.control {
            match place[control.0 as usize] {
                Some((def_block, _)) if dominates(def_block, block) => {}
                _ => {
                    return Err(format!(
                        "b{} is controlled by v{}, not available",
                        block.0, control.0
                    ));
                }
            }
            if matches!(b.kind, BlockKind::IfCmp(_)) && b.values.last() != Some(&control) {
                return Err(format!(
                    "b{}: the compare v{} must be its last value",
                    block.0, control.0
                ));
            }
        }
    }
    Ok(())
}
