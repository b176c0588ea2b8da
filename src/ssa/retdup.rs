//! Return duplication: a `Ret` block that only gathers results through phis is copied into
//! each predecessor that jumps to it, so that every return sets its own results.
//!
//! Go's SSA gets the same shape for free, with one exit block per `return`. Here returns of
//! an inlined body meet in one block, and the phis there would cost a copy on every path
//! (the phi's register is rarely the result's) plus a jump:
//!
//! ```text
//! before:  b7: v9 = LoadResult; Plain → b4     after:  b7: v9 = LoadResult
//!          b4: v10 = Phi v1 v9                             v12 = SetResult v9
//!              v11 = SetResult v10                         Ret
//!              Ret
//! ```
//!
//! Runs after `critical`, when every predecessor of a block with phis and several
//! predecessors is `Plain`. The copied block loses those edges and, once it has none, leaves
//! `order`.

use crate::ssa::func::Func;
use crate::ssa::op::{BlockKind, Op};

/// Copies every phi-gathering `Ret` block into its `Plain` predecessors.
pub fn run(f: &mut Func) {
    let ret_blocks: Vec<_> = f
        .order
        .iter()
        .copied()
        .filter(|&b| f.block(b).kind == BlockKind::Ret)
        .collect();
    for block in ret_blocks {
        let b = f.block(block);
        let n_phis = b
            .values
            .iter()
            .take_while(|&&v| f.value(v).op == Op::Phi)
            .count();
        let gathers = b.kind == BlockKind::Ret
            && n_phis > 0
            && b.values[n_phis..]
                .iter()
                .all(|&v| f.value(v).op == Op::SetResult);
        if !gathers {
            continue;
        }
        let (phis, results) = b.values.split_at(n_phis);
        let (phis, results) = (phis.to_vec(), results.to_vec());
        let preds = b.preds.clone();
        let mut keep = vec![true; preds.len()];
        for (pred_idx, &pred) in preds.iter().enumerate() {
            if f.block(pred).kind != BlockKind::Plain {
                continue;
            }
            for &result in &results {
                let arg = f.value(result).args[0];
                // A non-phi argument is defined outside the block, so it dominates the
                // block and therefore each predecessor.
                let arg = match phis.iter().position(|&phi| phi == arg) {
                    Some(_) => f.value(arg).args[pred_idx],
                    None => arg,
                };
                let aux = f.value(result).aux;
                f.new_value(pred, Op::SetResult, aux, &[arg]);
            }
            let p = &mut f.blocks[pred.0 as usize];
            p.kind = BlockKind::Ret;
            p.succs.clear();
            keep[pred_idx] = false;
        }
        if keep.iter().all(|&kept| !kept) {
            // Unreachable now. Its phis' arguments are the copies' arguments, so nothing
            // else dies with it.
            f.order.retain(|&b| b != block);
            continue;
        }
        let mut kept = keep.iter();
        f.blocks[block.0 as usize]
            .preds
            .retain(|_| *kept.next().expect("one flag per predecessor"));
        for &phi in &phis {
            let mut kept = keep.iter();
            f.values[phi.0 as usize]
                .args
                .retain(|_| *kept.next().expect("one flag per argument"));
        }
    }
}
