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

use crate::ssa::func::{Func, ValueId};
use crate::ssa::op::{BlockKind, Cond, Op};
use crate::ssa::rewrite::amd64::rewrite_amd64;

fn imm32(f: &Func, v: ValueId) -> Option<i64> {
    let value = f.value(v);
    (value.op == Op::Const && i32::try_from(value.aux).is_ok()).then_some(value.aux)
}

/// Rewrites generic operations into amd64 ones where a better form exists.
pub fn run(f: &mut Func) {
    let uses = f.use_counts();
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
        let control = b.control.expect("an If has a control");
        let is_last = b.values.last() == Some(&control);
        let value = f.value(control);
        let Some(mut cond) = value.op.cond() else {
            continue;
        };
        if !is_last || uses[control.0 as usize] != 1 {
            continue;
        }
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
