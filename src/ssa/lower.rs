//! Lowering to amd64 operations, as Go's `lower` pass applies `AMD64.rules`.
//!
//! - The rules of `rules/amd64.rules`, applied to each value until none applies: an
//!   operand that is a constant fitting in 32 bits becomes an immediate (`Add x (Const 5)`
//!   is `AddConst [5] x`), a multiplication by a power of two is a shift, constant shift
//!   counts need no run-time fix-up, and division and remainder by a constant become a
//!   multiplication by a magic number or shifts (Go's `divmod` rules): no `IDIV`.
//!   A `CondSelect` on a comparison becomes a `CMov` (compare and conditional move).
//! - In the pass itself, because it rewrites a block as well as a value and asks how often
//!   the value is used: a comparison whose only use is the branch ending its block, and which is the block's
//!   last value, becomes a flag-setting `CMPQ` and the block an `IfCmp`: no 0/1 word is
//!   materialized. Before: `v3 = Less64 v1 v2; If v3`. After: `v3 = CMPQ v1 v2; LT v3`.
//!   Where the comparison asks whether `x & mask` or `x & y` is zero and nothing else
//!   uses the `and`, it becomes `TESTQconst [mask] x` or `TESTQ x y`, and the `and` is
//!   left to deadcode.
//! - A branch on a comparison that is used elsewhere too (CSE merged the same test in two
//!   places) or that is not its block's last value gets a copy of the comparison of its
//!   own at the block's end, which it then fuses with, as Go's `flagalloc` makes a flag
//!   value again in each block that reads it: the operands live a little longer, and no
//!   0/1 word is materialized and tested again. A comparison no one uses any more is
//!   left to deadcode.

use crate::ssa::func::{Func, ValueId};
use crate::ssa::op::{BlockKind, Cond, Op};
use crate::ssa::rewrite::amd64::rewrite_amd64;

fn imm32(f: &Func, v: ValueId) -> Option<i64> {
    let value = f.value(v);
    (value.op == Op::Const && i32::try_from(value.aux).is_ok()).then_some(value.aux)
}

/// Rewrites generic operations into amd64 ones where a better form exists.
pub fn run(f: &mut Func) {
    let mut uses = f.use_counts();
    for idx in 0..f.order.len() {
        let block = f.order[idx];
        // A rule may insert values before the one it rewrites: the length is read again,
        // and the values inserted are lowered in turn.
        let mut v_idx = 0;
        while v_idx < f.blocks[block.0 as usize].values.len() {
            let v = f.blocks[block.0 as usize].values[v_idx];
            while rewrite_amd64(f, v) {}
            v_idx += 1;
        }
        let b = f.block(block);
        if b.kind != BlockKind::If {
            continue;
        }
        let mut control = b.control.expect("an If has a control");
        let is_last = b.values.last() == Some(&control);
        let value = f.value(control);
        let Some(mut cond) = value.op.cond() else {
            continue;
        };
        if !is_last || uses[control.0 as usize] != 1 {
            let (op, aux, args) = (value.op, value.aux, value.args.clone());
            uses[control.0 as usize] -= 1;
            for &arg in &args {
                uses[arg.0 as usize] += 1;
            }
            control = f.new_value(block, op, aux, &args);
            // The rules may have made values since the count.
            uses.resize(f.values.len(), 0);
            uses[control.0 as usize] = 1;
            f.blocks[block.0 as usize].control = Some(control);
        }
        let value = f.value(control);
        let (mut x, mut y) = (value.args[0], value.args[1]);
        if imm32(f, x).is_some() && imm32(f, y).is_none() {
            std::mem::swap(&mut x, &mut y);
            cond = cond.swap();
        }
        let imm = imm32(f, y);
        // `x & mask == 0` and `x & y == 0` test the bits where the `and` was used only
        // here: no register is written (Go's `TESTQconst` and `TESTQ`).
        let masked = f.value(x);
        if imm == Some(0)
            && matches!(cond, Cond::Eq | Cond::Ne)
            && matches!(masked.op, Op::AndConst | Op::And)
            && uses[x.0 as usize] == 1
        {
            let (op, aux, args) = (
                if masked.op == Op::And {
                    Op::Test
                } else {
                    Op::TestConst
                },
                masked.aux,
                masked.args.clone(),
            );
            let value = &mut f.values[control.0 as usize];
            value.op = op;
            value.aux = aux;
            value.args = args;
            f.blocks[block.0 as usize].kind = BlockKind::IfCmp(cond);
            continue;
        }
        let value = &mut f.values[control.0 as usize];
        match imm {
            Some(c) => {
                value.op = Op::CmpConst;
                value.aux = c;
                value.args.clear();
                value.args.push(x);
            }
            None => {
                value.op = Op::Cmp;
                value.args[0] = x;
                value.args[1] = y;
            }
        }
        f.blocks[block.0 as usize].kind = BlockKind::IfCmp(cond);
    }
}

#[cfg(test)]
mod tests {
    use crate::ssa::func::BlockId;
    use crate::ssa::op::{BlockKind, Cond, Op};
    use crate::ssa::testfun::{Fun, bloc, branch, fun, ret, valu};

    /// Returns the op and arguments of block `name`'s control, which must be fused.
    fn fused_control(fun: &Fun, name: &str, cond: Cond) -> (Op, Vec<crate::ssa::ValueId>) {
        let b = fun.f.block(fun.b(name));
        assert_eq!(b.kind, BlockKind::IfCmp(cond), "block {name}");
        let control = b.control.expect("a control");
        assert_eq!(
            b.values.last(),
            Some(&control),
            "the compare ends block {name}"
        );
        let value = fun.f.value(control);
        (value.op, value.args.to_vec())
    }

    /// One comparison (as CSE leaves the same test made twice) read by the branches of two
    /// blocks: each gets a compare of its own, as Go's `flagalloc` makes them, and the
    /// original, which materialized a 0/1 word, is no one's any more.
    #[test]
    fn a_comparison_read_by_two_branches_is_made_again_in_each() {
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [
                        valu("x", Op::Arg, 0, &[]),
                        valu("y", Op::Arg, 1, &[]),
                        valu("c", Op::Lt, 0, &["x", "y"]),
                        valu("z", Op::Add, 0, &["x", "y"]),
                    ],
                    branch("c", "second", "out"),
                ),
                bloc("second", [], branch("c", "out", "other")),
                bloc("other", [valu("r1", Op::SetResult, 0, &["z"])], ret()),
                bloc("out", [valu("r2", Op::SetResult, 0, &["x"])], ret()),
            ],
        );
        fun.run("lower");
        for name in ["entry", "second"] {
            let (op, args) = fused_control(&fun, name, Cond::Lt);
            assert_eq!(op, Op::Cmp);
            assert_eq!(args, [fun.v("x"), fun.v("y")]);
        }
        let controls: Vec<_> = [fun.b("entry"), fun.b("second")]
            .iter()
            .map(|&b: &BlockId| fun.f.block(b).control)
            .collect();
        assert_ne!(controls[0], controls[1]);
        assert!(!controls.contains(&Some(fun.v("c"))));
        // As "lowered deadcode" runs next (`fun.run` would check the lowered function as
        // construction leaves one).
        crate::ssa::deadcode::values(&mut fun.f);
        assert!(!fun.has_value("c"));
    }
}
