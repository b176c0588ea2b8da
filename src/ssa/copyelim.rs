//! Copy elimination: every use of a copy is replaced by the value copied, and the copies,
//! now unused, are dropped.

use crate::ssa::func::Func;
use crate::ssa::op::Op;
use crate::ssa::phielim::resolve_in;

/// Replaces uses of copies by their sources and removes the copies.
pub fn run(f: &mut Func) {
    // Often there is nothing to do, and the value table, scanned in order, tells so for
    // less than the walk over the blocks costs (a removed copy only makes the walk run).
    if !f.values.iter().any(|value| value.op == Op::Copy) {
        return;
    }
    let Func {
        order,
        blocks,
        values,
        ..
    } = f;
    for &block in order.iter() {
        let b = &mut blocks[block.0 as usize];
        let mut copies = false;
        for &v in &b.values {
            for arg_idx in 0..values[v.0 as usize].args.len() {
                let arg = values[v.0 as usize].args[arg_idx];
                if values[arg.0 as usize].op == Op::Copy {
                    values[v.0 as usize].args[arg_idx] = resolve_in(values, arg);
                }
            }
            copies |= values[v.0 as usize].op == Op::Copy;
        }
        if let Some(control) = b.control {
            b.control = Some(resolve_in(values, control));
        }
        if copies {
            b.values.retain(|v| values[v.0 as usize].op != Op::Copy);
        }
    }
}
