//! Lowering to amd64 operations, as Go's `lower` pass applies `AMD64.rules`.
//!
//! - An operand that is a constant fitting in 32 bits becomes an immediate: `Add64 x (Const
//!   5)` is `ADDQconst [5] x`; a multiplication by a power of two is a shift.
//! - Constant shift counts become `SHLQconst`/`SARQconst` (a count of 64 or more gives 0, or
//!   `SARQconst [63]`), so the run-time count fix-ups of `Lsh64x64` disappear.
//! - Division and remainder by a constant become a multiplication by a magic number, or
//!   shifts for a power of two, as Go's `divmod` rules do: no `IDIV`.
//! - A comparison whose only use is the branch ending its block, and which is the block's
//!   last value, becomes a flag-setting `CMPQ` and the block an `IfCmp`: no 0/1 word is
//!   materialized. Before: `v3 = Less64 v1 v2; If v3`. After: `v3 = CMPQ v1 v2; LT v3`.

use crate::ssa::func::{Func, ValueId};
use crate::ssa::op::{BlockKind, Op};

fn imm32(f: &Func, v: ValueId) -> Option<i64> {
    let value = f.value(v);
    (value.op == Op::Const && i32::try_from(value.aux).is_ok()).then_some(value.aux)
}

/// Rewrites generic operations into amd64 ones where a better form exists.
pub fn run(f: &mut Func) {
    let uses = f.use_counts();
    for idx in 0..f.order.len() {
        let block = f.order[idx];
        for v_idx in 0..f.blocks[block.0 as usize].values.len() {
            let v = f.blocks[block.0 as usize].values[v_idx];
            lower_value(f, v);
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

fn lower_value(f: &mut Func, v: ValueId) {
    let value = f.value(v);
    let op = value.op;
    if value.args.len() != 2 {
        return;
    }
    let (mut x, mut y) = (value.args[0], value.args[1]);
    if op.is_commutative() && imm32(f, x).is_some() && imm32(f, y).is_none() {
        std::mem::swap(&mut x, &mut y);
    }
    let Some(c) = imm32(f, y) else {
        return;
    };
    let (new_op, aux) = match op {
        Op::Add => (Op::AddConst, c),
        Op::Sub if c != i64::from(i32::MIN) => (Op::AddConst, -c),
        Op::Mul if c > 0 && (c as u64).is_power_of_two() => {
            (Op::ShlConst, i64::from(c.trailing_zeros()))
        }
        Op::Mul => (Op::MulConst, c),
        Op::And => (Op::AndConst, c),
        Op::Or => (Op::OrConst, c),
        Op::Xor => (Op::XorConst, c),
        Op::Shl if c >= 64 => {
            let value = &mut f.values[v.0 as usize];
            value.op = Op::Const;
            value.aux = 0;
            value.args.clear();
            return;
        }
        Op::Shl => (Op::ShlConst, c),
        Op::Shr => (Op::SarConst, c.min(63)),
        Op::Div if !matches!(c, -1..=1) => (Op::DivConst, c),
        Op::Mod if !matches!(c, -1..=1) => (Op::ModConst, c),
        _ => return,
    };
    let value = &mut f.values[v.0 as usize];
    value.op = new_op;
    value.aux = aux;
    value.args.clear();
    value.args.push(x);
}
