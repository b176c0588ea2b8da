//! Block fusion, Go's `fusePlain`: a block that ends in a jump to a block with no other
//! predecessor absorbs that block.
//!
//! Construction leaves many such pairs: the join after an `if` whose other side leaves, a
//! loop's increment after its body, the block after a `break`. Each is a block every later
//! pass walks, the dominator trees and liveness sets grow with, and emission lays out;
//! fusing them early makes every pass after it cheaper.
//!
//! Input: no unreachable blocks (after `deadcode`). The absorbed block's phis, which have
//! one argument since it has one predecessor, become copies of it.
//!
//! ```text
//! before:  b1: v3 = Add64 v1 v2      after:  b1: v3 = Add64 v1 v2
//!              Plain → b2                        v4 = Copy v3
//!          b2: ← b1                              v5 = Mul64 v4 v4
//!              v4 = Phi v3                       Ret
//!              v5 = Mul64 v4 v4
//!              Ret
//! ```

use crate::ssa::func::{BlockId, Func};
use crate::ssa::op::{BlockKind, Op};

/// Fuses every block that ends in a jump with its successor, when it is that successor's
/// only predecessor.
pub fn run(f: &mut Func) {
    let entry = f.entry();
    let mut absorbed = vec![false; f.blocks.len()];
    let mut any = false;
    for idx in 0..f.order.len() {
        let block = f.order[idx];
        if absorbed[block.0 as usize] {
            continue;
        }
        // A chain of such blocks folds into its first block.
        loop {
            let b = f.block(block);
            if b.kind != BlockKind::Plain {
                break;
            }
            let succ = b.succs[0];
            if succ == block || succ == entry || f.block(succ).preds.len() != 1 {
                break;
            }
            absorb(f, block, succ);
            absorbed[succ.0 as usize] = true;
            any = true;
        }
    }
    if any {
        f.order.retain(|block| !absorbed[block.0 as usize]);
    }
}

/// Moves the values, ending and successors of `succ` to `block`, whose only successor it
/// is and which is its only predecessor.
fn absorb(f: &mut Func, block: BlockId, succ: BlockId) {
    let taken = std::mem::take(&mut f.blocks[succ.0 as usize].values);
    for &v in &taken {
        let value = &mut f.values[v.0 as usize];
        value.block = block;
        if value.op == Op::Phi {
            value.op = Op::Copy;
        }
    }
    let s = &mut f.blocks[succ.0 as usize];
    let (kind, control) = (s.kind, s.control.take());
    let succs = std::mem::take(&mut s.succs);
    s.preds.clear();
    for &next in &succs {
        for pred in f.blocks[next.0 as usize].preds.iter_mut() {
            if *pred == succ {
                *pred = block;
            }
        }
    }
    let b = &mut f.blocks[block.0 as usize];
    b.values.extend(taken);
    b.kind = kind;
    b.control = control;
    b.succs = succs;
}

#[cfg(test)]
mod tests {
    use crate::ssa::op::{BlockKind, Op};
    use crate::ssa::testfun::{bloc, branch, fun, goto, ret, valu};

    /// The example above: `b2` goes into `b1`, its phi becoming a copy.
    #[test]
    fn fuse_absorbs_a_block_with_one_predecessor() {
        let mut fun = fun(
            "b1",
            [
                bloc(
                    "b1",
                    [
                        valu("x", Op::Arg, 0, &[]),
                        valu("y", Op::Arg, 1, &[]),
                        valu("sum", Op::Add, 0, &["x", "y"]),
                    ],
                    goto("b2"),
                ),
                bloc(
                    "b2",
                    [
                        valu("p", Op::Phi, 0, &["sum"]),
                        valu("square", Op::Mul, 0, &["p", "p"]),
                        valu("r", Op::SetResult, 0, &["square"]),
                    ],
                    ret(),
                ),
            ],
        );
        fun.run("early fuse");
        assert_eq!(fun.f.order, [fun.b("b1")]);
        let b1 = fun.f.block(fun.b("b1"));
        assert_eq!(b1.kind, BlockKind::Ret);
        let names = ["x", "y", "sum", "p", "square", "r"];
        assert_eq!(b1.values, names.map(|name| fun.v(name)));
        assert_eq!(fun.op("p"), Op::Copy);
    }

    /// A chain of jumps folds into its first block; a join of two blocks stays.
    #[test]
    fn fuse_folds_a_chain_but_not_a_join() {
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [valu("x", Op::Arg, 0, &[])],
                    branch("x", "a", "join"),
                ),
                bloc("a", [], goto("b")),
                bloc("b", [], goto("c")),
                bloc("c", [valu("y", Op::Neg, 0, &["x"])], goto("join")),
                bloc(
                    "join",
                    [
                        valu("p", Op::Phi, 0, &["x", "y"]),
                        valu("r", Op::SetResult, 0, &["p"]),
                    ],
                    ret(),
                ),
            ],
        );
        fun.run("early fuse");
        assert_eq!(fun.f.order, [fun.b("entry"), fun.b("a"), fun.b("join")]);
        assert_eq!(fun.f.value(fun.v("y")).block, fun.b("a"));
        assert_eq!(
            fun.f.block(fun.b("join")).preds.as_slice(),
            [fun.b("entry"), fun.b("a")]
        );
    }
}
