//! Phi elimination: a phi whose arguments are all the same value (or the phi itself) is a
//! copy of that value. Braun et al.'s construction leaves such trivial phis behind.

use crate::ssa::func::{Func, Value, ValueId};
use crate::ssa::op::Op;

/// Turns trivial phis into copies, until none is left.
pub fn run(f: &mut Func) {
    // Phis lead their blocks: list them once, then revisit only them.
    let mut phis: Vec<ValueId> = Vec::new();
    for &block in &f.order {
        let values = &f.block(block).values;
        phis.extend(values.iter().take_while(|&&v| f.value(v).op == Op::Phi));
    }
    if phis.is_empty() {
        return;
    }
    // Blocks where a phi became a copy, which must move behind the remaining phis.
    let mut reorder = Vec::new();
    loop {
        let mut changed = false;
        for &v in &phis {
            if f.value(v).op != Op::Phi {
                continue;
            }
            let block = f.value(v).block;
            let mut unique: Option<ValueId> = None;
            let mut trivial = true;
            for &arg in &f.value(v).args {
                let arg = resolve(f, arg);
                if arg == v || unique == Some(arg) {
                    continue;
                }
                if unique.is_some() {
                    trivial = false;
                    break;
                }
                unique = Some(arg);
            }
            if let (true, Some(arg)) = (trivial, unique) {
                let value = &mut f.values[v.0 as usize];
                value.op = Op::Copy;
                value.args.clear();
                value.args.push(arg);
                changed = true;
                reorder.push(block);
            }
        }
        if !changed {
            break;
        }
    }
    // Keep phis at the front of their blocks: the new copies follow them.
    reorder.sort_unstable();
    reorder.dedup();
    for block in reorder {
        f.phis_first(block);
    }
}

/// Follows a chain of copies to the value it copies.
pub fn resolve(f: &Func, v: ValueId) -> ValueId {
    resolve_in(&f.values, v)
}

/// [`resolve`] in a function's value table.
pub fn resolve_in(values: &[Value], mut v: ValueId) -> ValueId {
    while values[v.0 as usize].op == Op::Copy {
        v = values[v.0 as usize].args[0];
    }
    v
}
