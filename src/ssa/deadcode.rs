//! Dead-code elimination: drops unreachable blocks and values nothing uses.
//!
//! A block is live if the entry reaches it; an edge from a dead block is removed from its
//! successor's predecessors together with the matching phi arguments (a phi left with one
//! becomes a copy). A value is live if it
//! has an effect other than a load (`Op::is_kept`: a store, a call), controls a block, or
//! is an argument of a live value.

use std::cell::RefCell;

use crate::ssa::func::{BlockId, Func, ValueId};

/// Per-worker buffers, reused from one function to the next (the pass runs four times on
/// every function).
#[derive(Default)]
struct Scratch {
    reachable: Vec<bool>,
    blocks: Vec<BlockId>,
    live: Vec<bool>,
    values: Vec<ValueId>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// Removes unreachable blocks and unused pure values.
pub fn run(f: &mut Func) {
    blocks(f);
    values(f);
}

/// Drops the blocks the entry does not reach; a phi left with one argument becomes a copy.
pub fn blocks(f: &mut Func) {
    SCRATCH.with_borrow_mut(|scratch| {
        let Scratch {
            reachable,
            blocks: stack,
            ..
        } = scratch;
        reachable.clear();
        reachable.resize(f.blocks.len(), false);
        stack.clear();
        let entry = f.entry();
        reachable[entry.0 as usize] = true;
        stack.push(entry);
        let mut n_reachable = 1;
        while let Some(block) = stack.pop() {
            for &succ in &f.block(block).succs {
                if !std::mem::replace(&mut reachable[succ.0 as usize], true) {
                    n_reachable += 1;
                    stack.push(succ);
                }
            }
        }
        if n_reachable == f.order.len() {
            return;
        }
        f.order.retain(|block| reachable[block.0 as usize]);
        for idx in 0..f.order.len() {
            let block = f.order[idx];
            let preds = &f.blocks[block.0 as usize].preds;
            if preds.iter().all(|pred| reachable[pred.0 as usize]) {
                continue;
            }
            let keep: Vec<bool> = preds.iter().map(|p| reachable[p.0 as usize]).collect();
            f.blocks[block.0 as usize]
                .preds
                .retain(|pred| reachable[pred.0 as usize]);
            f.remove_phi_args(block, |idx| keep[idx]);
        }
    });
}

/// Removes unused pure values only, after passes that leave the control flow as it was and
/// so cannot make a block unreachable.
pub fn values(f: &mut Func) {
    SCRATCH.with_borrow_mut(|scratch| {
        let Scratch {
            live, values: work, ..
        } = scratch;
        live.clear();
        live.resize(f.values.len(), false);
        // Values marked live whose arguments are still to mark; each is pushed once.
        work.clear();
        let mut n_live = 0;
        let mut n_listed = 0;
        let mut mark = |v: ValueId, work: &mut Vec<ValueId>| {
            if !std::mem::replace(&mut live[v.0 as usize], true) {
                n_live += 1;
                work.push(v);
            }
        };
        for &block in &f.order {
            let b = f.block(block);
            n_listed += b.values.len();
            if let Some(control) = b.control {
                mark(control, work);
            }
            for &v in &b.values {
                if f.value(v).op.is_kept() {
                    mark(v, work);
                }
            }
        }
        while let Some(v) = work.pop() {
            for &arg in &f.value(v).args {
                mark(arg, work);
            }
        }
        // Every argument is listed in a live block, so when as many values are live as are
        // listed, none is dead.
        if n_live == n_listed {
            return;
        }
        let Func { order, blocks, .. } = f;
        for &block in order.iter() {
            let values = &mut blocks[block.0 as usize].values;
            if values.iter().all(|v| live[v.0 as usize]) {
                continue;
            }
            values.retain(|v| live[v.0 as usize]);
        }
    });
}

#[cfg(test)]
mod tests {
    use crate::ssa::op::Op;
    use crate::ssa::testfun::{bloc, branch, fun, goto, ret, valu};

    /// Go's `TestDeadLoop`: a loop the entry does not reach goes, with its values and its
    /// argument of the phi where it joins the live code.
    #[test]
    fn deadcode_removes_unreachable_loop() {
        let mut fun = fun(
            "entry",
            [
                bloc("entry", [valu("x", Op::Arg, 0, &[])], goto("exit")),
                bloc(
                    "exit",
                    [
                        valu("p", Op::Phi, 0, &["x", "deadval"]),
                        valu("r", Op::SetResult, 0, &["p"]),
                    ],
                    ret(),
                ),
                bloc(
                    "deadblock",
                    [valu("deadval", Op::Const, 1, &[])],
                    branch("deadval", "deadblock", "exit"),
                ),
            ],
        );
        fun.run("early deadcode");
        assert!(!fun.has_block("deadblock"));
        assert!(!fun.has_value("deadval"));
        assert_eq!(
            fun.f.block(fun.b("exit")).preds.as_slice(),
            [fun.b("entry")]
        );
        assert_eq!(fun.op("p"), Op::Copy);
        assert_eq!(fun.args("p"), [fun.v("x")]);
    }

    /// Go's `TestDeadValue`, with a chain of unused values, an unused load, which goes
    /// (a slice's capacity read with its other words), and a store, which stays.
    #[test]
    fn deadcode_removes_unused_values_and_loads_but_not_effects() {
        let mut fun = fun(
            "entry",
            [bloc(
                "entry",
                [
                    valu("x", Op::Arg, 0, &[]),
                    valu("deadval", Op::Const, 37, &[]),
                    valu("sum", Op::Add, 0, &["x", "deadval"]),
                    valu("load", Op::Load, 16, &["x"]),
                    valu("store", Op::Store, 0, &["x", "x"]),
                    valu("r", Op::SetResult, 0, &["x"]),
                ],
                ret(),
            )],
        );
        fun.run("early deadcode");
        assert!(!fun.has_value("deadval"));
        assert!(!fun.has_value("sum"));
        assert!(!fun.has_value("load"));
        assert!(fun.has_value("store"));
        assert!(fun.has_value("r"));
    }
}
