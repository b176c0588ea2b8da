//! Generic rewrites: constant folding and algebraic identities (Go's `opt` pass with its
//! `generic.rules`), and branches on constants turned into jumps.
//!
//! Folding follows Go's run-time semantics exactly: wrapping arithmetic,
//! `MinInt64 / -1 == MinInt64`, shift counts of 64 or more. Division by a constant zero
//! never reaches here (the checker rejects it, and a run-time zero divisor is guarded by
//! the builder's check, whose branch folds away only when the divisor is a non-zero
//! constant).

use crate::ssa::func::{Func, ValueId};
use crate::ssa::op::{BlockKind, Op};

/// Folds constants and simplifies, until nothing changes.
pub fn run(f: &mut Func) {
    let mut changed = true;
    while changed {
        changed = false;
        for idx in 0..f.order.len() {
            let block = f.order[idx];
            for v_idx in 0..f.blocks[block.0 as usize].values.len() {
                let v = f.blocks[block.0 as usize].values[v_idx];
                changed |= rewrite(f, v);
            }
        }
        changed |= fold_branches(f);
    }
}

fn constant(f: &Func, v: ValueId) -> Option<i64> {
    let value = f.value(v);
    (value.op == Op::Const).then_some(value.aux)
}

fn set_const(f: &mut Func, v: ValueId, c: i64) -> bool {
    let value = &mut f.values[v.0 as usize];
    value.op = Op::Const;
    value.aux = c;
    value.args.clear();
    true
}

fn set_copy(f: &mut Func, v: ValueId, of: ValueId) -> bool {
    let value = &mut f.values[v.0 as usize];
    value.op = Op::Copy;
    value.aux = 0;
    value.args.clear();
    value.args.push(of);
    true
}

fn shl(x: i64, count: i64) -> i64 {
    if count >= 64 { 0 } else { x << count }
}

fn shr(x: i64, count: i64) -> i64 {
    x >> count.min(63)
}

/// Rewrites value `v` once; reports whether it changed.
fn rewrite(f: &mut Func, v: ValueId) -> bool {
    let value = f.value(v);
    let op = value.op;
    // The rewrites read the first two arguments at most.
    let a0 = value.args.first().copied().unwrap_or(ValueId(u32::MAX));
    let a1 = value.args.get(1).copied().unwrap_or(ValueId(u32::MAX));
    let c0 = value.args.first().and_then(|&a| constant(f, a));
    let c1 = value.args.get(1).and_then(|&a| constant(f, a));
    if let (Some(x), Some(y)) = (c0, c1) {
        let folded = match op {
            Op::Add => x.wrapping_add(y),
            Op::Sub => x.wrapping_sub(y),
            Op::Mul => x.wrapping_mul(y),
            Op::Div if y != 0 => x.wrapping_div(y),
            Op::Mod if y != 0 => x.wrapping_rem(y),
            Op::And => x & y,
            Op::Or => x | y,
            Op::Xor => x ^ y,
            Op::AndNot => x & !y,
            Op::Shl if y >= 0 => shl(x, y),
            Op::Shr if y >= 0 => shr(x, y),
            Op::Min => x.min(y),
            Op::Max => x.max(y),
            _ => match op.cond() {
                Some(cond) => i64::from(cond.eval(x, y)),
                None => return false,
            },
        };
        return set_const(f, v, folded);
    }
    if let Some(x) = c0 {
        let folded = match op {
            Op::Neg => x.wrapping_neg(),
            Op::Com => !x,
            Op::Not => x ^ 1,
            _ => i64::MIN,
        };
        if folded != i64::MIN || (op == Op::Neg && x == i64::MIN) {
            return set_const(f, v, folded);
        }
    }
    match (op, c0, c1) {
        (Op::Add | Op::Or | Op::Xor, Some(0), _) => set_copy(f, v, a1),
        (Op::Add | Op::Sub | Op::Or | Op::Xor | Op::AndNot | Op::Shl | Op::Shr, _, Some(0)) => {
            set_copy(f, v, a0)
        }
        (Op::Mul, Some(1), _) => set_copy(f, v, a1),
        (Op::Mul | Op::Div, _, Some(1)) => set_copy(f, v, a0),
        (Op::Mul | Op::And, Some(0), _) | (Op::Mul | Op::And, _, Some(0)) => set_const(f, v, 0),
        (Op::Mod, _, Some(1 | -1)) => set_const(f, v, 0),
        (Op::And, _, Some(-1)) => set_copy(f, v, a0),
        (Op::And, Some(-1), _) => set_copy(f, v, a1),
        (Op::Sub | Op::Xor, _, _) if a0 == a1 => set_const(f, v, 0),
        (Op::And | Op::Or | Op::Min | Op::Max, _, _) if a0 == a1 => set_copy(f, v, a0),
        (Op::Neg | Op::Com | Op::Not, _, _) if f.value(a0).op == op => {
            let inner = f.value(a0).args[0];
            set_copy(f, v, inner)
        }
        (Op::Not, _, _) => {
            // !(a < b) is a >= b.
            let inner = f.value(a0);
            match inner.op.cond() {
                Some(cond) => {
                    let inner_args = inner.args.clone();
                    let negated = cond.negate().op();
                    let value = &mut f.values[v.0 as usize];
                    value.op = negated;
                    value.args = inner_args;
                    true
                }
                None => false,
            }
        }
        _ => false,
    }
}

/// Turns `If` blocks with a constant control into `Plain` ones.
fn fold_branches(f: &mut Func) -> bool {
    let mut changed = false;
    for idx in 0..f.order.len() {
        let block = f.order[idx];
        let b = f.block(block);
        if b.kind != BlockKind::If {
            continue;
        }
        let Some(c) = b.control.and_then(|control| {
            let control = crate::ssa::phielim::resolve(f, control);
            constant(f, control)
        }) else {
            continue;
        };
        let taken = b.succs[if c != 0 { 0 } else { 1 }];
        f.jump(block, taken);
        changed = true;
    }
    changed
}

#[cfg(test)]
mod tests {
    use crate::ssa::op::{BlockKind, Op};
    use crate::ssa::testfun::{bloc, branch, exit, fun, ret, valu, valu_sym};
    use crate::ssa::{Runtime, Sym};

    #[test]
    fn opt_folds_constants_with_go_semantics() {
        let mut fun = fun(
            "entry",
            [bloc(
                "entry",
                [
                    valu("six", Op::Const, 6, &[]),
                    valu("seven", Op::Const, 7, &[]),
                    valu("product", Op::Mul, 0, &["six", "seven"]),
                    valu("difference", Op::Sub, 0, &["product", "seven"]),
                    valu("min", Op::Const, i64::MIN, &[]),
                    valu("minus_one", Op::Const, -1, &[]),
                    valu("quotient", Op::Div, 0, &["min", "minus_one"]),
                    valu("shift", Op::Const, 64, &[]),
                    valu("shifted", Op::Shl, 0, &["seven", "shift"]),
                    valu("r0", Op::SetResult, 0, &["difference"]),
                    valu("r1", Op::SetResult, 1, &["quotient"]),
                    valu("r2", Op::SetResult, 2, &["shifted"]),
                ],
                ret(),
            )],
        );
        fun.run("opt");
        let folded = |name: &str| {
            let value = fun.f.value(fun.v(name));
            assert_eq!(value.op, Op::Const, "{name}");
            value.aux
        };
        assert_eq!(folded("product"), 42);
        assert_eq!(folded("difference"), 35);
        assert_eq!(folded("quotient"), i64::MIN);
        assert_eq!(folded("shifted"), 0);
    }

    #[test]
    fn opt_applies_identities() {
        let mut fun = fun(
            "entry",
            [bloc(
                "entry",
                [
                    valu("x", Op::Arg, 0, &[]),
                    valu("y", Op::Arg, 1, &[]),
                    valu("zero", Op::Const, 0, &[]),
                    valu("sum", Op::Add, 0, &["x", "zero"]),
                    valu("less", Op::Lt, 0, &["x", "y"]),
                    valu("not_less", Op::Not, 0, &["less"]),
                    valu("r0", Op::SetResult, 0, &["sum"]),
                    valu("r1", Op::SetResult, 1, &["not_less"]),
                ],
                ret(),
            )],
        );
        fun.run("opt");
        assert_eq!(fun.op("sum"), Op::Copy);
        assert_eq!(fun.args("sum"), [fun.v("x")]);
        assert_eq!(fun.op("not_less"), Op::Ge);
        assert_eq!(fun.args("not_less"), [fun.v("x"), fun.v("y")]);
    }

    /// A branch on a constant becomes a jump; the side not taken loses the edge, and is
    /// left for deadcode.
    #[test]
    fn opt_turns_a_branch_on_a_constant_into_a_jump() {
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [valu("one", Op::Const, 1, &[])],
                    branch("one", "yes", "no"),
                ),
                bloc("yes", [], ret()),
                bloc(
                    "no",
                    [valu_sym(
                        "call",
                        Op::StaticCall,
                        Sym::Runtime(Runtime::PanicDivide),
                        &[],
                    )],
                    exit(),
                ),
            ],
        );
        fun.run("opt");
        let entry = fun.f.block(fun.b("entry"));
        assert_eq!(entry.kind, BlockKind::Plain);
        assert_eq!(entry.succs.as_slice(), [fun.b("yes")]);
        assert!(fun.f.block(fun.b("no")).preds.is_empty());
    }
}
