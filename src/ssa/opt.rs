//! Generic rewrites: constant folding and algebraic identities, the rules of
//! `rules/generic.rules` (Go's `opt` pass), and branches on constants turned into jumps,
//! which change the graph and so are not rules.

use crate::ssa::func::{Func, ValueId};
use crate::ssa::op::{BlockKind, Op};
use crate::ssa::rewrite::generic::rewrite_generic;

/// Folds constants and simplifies, until nothing changes.
pub fn run(f: &mut Func) {
    let mut changed = true;
    while changed {
        changed = false;
        for idx in 0..f.order.len() {
            let block = f.order[idx];
            // A rule may insert values before the one it rewrites: the length is read
            // again, and the values met again are tried again.
            let mut v_idx = 0;
            while v_idx < f.blocks[block.0 as usize].values.len() {
                let v = f.blocks[block.0 as usize].values[v_idx];
                changed |= rewrite_generic(f, v);
                v_idx += 1;
            }
        }
        changed |= fold_branches(f);
    }
}

fn constant(f: &Func, v: ValueId) -> Option<i64> {
    let value = f.value(v);
    (value.op == Op::Const).then_some(value.aux)
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
