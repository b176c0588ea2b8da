//! Copy elimination: every use of a copy is replaced by the value copied, and the copies,
//! now unused, are dropped.

use crate::ssa::func::Func;
use crate::ssa::op::Op;
use crate::ssa::phielim::resolve;

/// Replaces uses of copies by their sources and removes the copies.
pub fn run(f: &mut Func) {
    // Often there is nothing to do, and the value table, scanned in order, tells so for
    // less than the walk over the blocks costs (a removed copy only makes the walk run).
    if !f.values.iter().any(|value| value.op == Op::Copy) {
        return;
    }
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
    let Func {
        order,
        blocks,
        values,
        ..
    } = f;
    for &block in order.iter() {
        blocks[block.0 as usize]
            .values
            .retain(|v| values[v.0 as usize].op != Op::Copy);
    }
}
