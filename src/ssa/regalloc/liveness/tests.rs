//! Tests of liveness: both ways of computing it against the dataflow equations.

use std::collections::BTreeSet;

use super::{DenseSets, LiveIn, SparseSets, liveness_dense, liveness_sparse};
use crate::diag::SourceFile;
use crate::ssa::build::{self, Program, Unit};
use crate::ssa::func::{BlockId, Func, ValueId};
use crate::ssa::op::Op;
use crate::ssa::passes::PASSES;
use crate::ssa::regalloc::rematerialized;
use crate::types::FuncId;
use crate::types::object::FuncNode;
use crate::workload::{self, Shape};

/// Liveness as the textbook states it, for comparison: per block, what its successors
/// need besides their own phis, plus the phi arguments and the control it passes them,
/// less what it defines, plus what it uses; repeated over every block until nothing
/// changes. Then the values `skip` marks are taken out: in SSA form each value's
/// liveness is a problem of its own.
fn reference(f: &Func, skip: &[bool]) -> Vec<BTreeSet<u32>> {
    let mut live_in = vec![BTreeSet::new(); f.blocks.len()];
    let mut changed = true;
    while changed {
        changed = false;
        for &block in f.order.iter().rev() {
            let b = f.block(block);
            let mut live = BTreeSet::new();
            for &succ in &b.succs {
                let s = f.block(succ);
                let pred_idx = s.preds.iter().position(|&p| p == block).unwrap();
                for &v in &live_in[succ.0 as usize] {
                    let value = f.value(ValueId(v));
                    if value.op != Op::Phi || value.block != succ {
                        live.insert(v);
                    }
                }
                for &v in &s.values {
                    if f.value(v).op == Op::Phi {
                        live.insert(f.value(v).args[pred_idx].0);
                    }
                }
            }
            live.extend(b.control.map(|c| c.0));
            for &v in b.values.iter().rev() {
                let value = f.value(v);
                if value.op != Op::Phi {
                    live.remove(&v.0);
                    live.extend(value.args.iter().map(|arg| arg.0));
                }
            }
            if live != live_in[block.0 as usize] {
                live_in[block.0 as usize] = live;
                changed = true;
            }
        }
    }
    for live in &mut live_in {
        live.retain(|&v| !skip[v as usize]);
    }
    live_in
}

/// Both ways of computing liveness agree with the reference on every function of
/// generated programs of each shape, taken to where `regalloc` starts, and list each
/// block's values in increasing order.
#[test]
fn liveness_matches_the_dataflow_equations() {
    let (mut dense_sets, mut sparse_sets) = (DenseSets::default(), SparseSets::default());
    for shape in Shape::ALL {
        let text = workload::generate(shape, 40, 7);
        let source = SourceFile::new("gen.toy", text);
        let (checked, _) = crate::driver::front_end(&source);
        let checked = checked.expect("generated programs are valid");
        let program = Program::new(&checked.file, &checked.info);
        let mut units = vec![Unit::Init];
        for (idx, func) in checked.info.funcs.iter().enumerate() {
            if let FuncNode::Decl(_) = func.node {
                units.push(Unit::Func {
                    func: FuncId(idx as u32),
                    env: Vec::new(),
                });
            }
        }
        let mut compared = 0;
        let mut nonempty = 0;
        let mut skipped = 0;
        while let Some(unit) = units.pop() {
            let (mut f, closures) = build::build(&program, &unit);
            units.extend(closures);
            for pass in PASSES.iter().take_while(|pass| pass.name != "regalloc") {
                (pass.run)(&mut f);
            }
            let (mut dense, mut sparse) = (LiveIn::default(), LiveIn::default());
            let words = f.values.len().div_ceil(64);
            let mut skip = Vec::new();
            rematerialized(&f, &mut skip);
            skipped += skip.iter().filter(|&&skip| skip).count();
            liveness_dense(&f, &skip, words, &mut dense_sets, &mut dense);
            liveness_sparse(&f, &skip, &mut sparse_sets, &mut sparse);
            for (block, expected) in reference(&f, &skip).iter().enumerate() {
                let block = BlockId(block as u32);
                let want: Vec<u32> = expected.iter().copied().collect();
                assert_eq!(
                    dense.of(block),
                    want,
                    "dense: {} {block:?} ({shape:?})",
                    f.name
                );
                assert_eq!(
                    sparse.of(block),
                    want,
                    "sparse: {} {block:?} ({shape:?})",
                    f.name
                );
                nonempty += usize::from(!want.is_empty());
            }
            compared += 1;
        }
        assert!(compared > 40, "{shape:?}: only {compared} functions");
        assert!(
            nonempty > 40,
            "{shape:?}: only {nonempty} blocks with live values"
        );
        assert!(skipped > 0, "{shape:?}: no rematerialized constant");
    }
}
