//! Copy elimination: every use of a copy is replaced by the value copied, and the copies,
//! now unused, are dropped.

use crate::ssa::func::Func;
use crate::ssa::op::Op;
use crate::ssa::phielim::resolve;

/// Replaces uses of copies by their sources and removes the copies.
pub fn run(f: &mut Func) {
    for idx in 0..f.order.len() {
        let block = f.order[idx];
        for v_idx in 0..f.blocks[block.0 as usize].values.len() {
            let v = f.blocks[block.0 as usize].values[v_idx];
            for arg_idx in 0..f.value(v).args.len() {
                let arg = f.value(v).args[arg_idx];
                let source = resolve(f, arg);
                f.values[v.0 as usize].args[arg_idx] = source;
            }
        }
        if let Some(control) = f.block(block).control {
            f.blocks[block.0 as usize].control = Some(resolve(f, control));
        }
    }
    for idx in 0..f.order.len() {
        let block = f.order[idx];
        let values = std::mem::take(&mut f.blocks[block.0 as usize].values);
        let kept = values
            .into_iter()
            .filter(|&v| f.value(v).op != Op::Copy)
            .collect();
        f.blocks[block.0 as usize].values = kept;
    }
}
