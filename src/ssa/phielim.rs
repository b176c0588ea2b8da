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

#[cfg(test)]
mod tests {
    use crate::ssa::op::Op;
    use crate::ssa::testfun::{bloc, branch, fun, goto, ret, valu};

    /// A loop whose phi only carries its entry value around is a copy of that value; a
    /// phi of two values stays, ahead of the copy.
    #[test]
    fn phielim_turns_a_phi_of_one_value_into_a_copy() {
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [valu("x", Op::Arg, 0, &[]), valu("n", Op::Arg, 1, &[])],
                    goto("loop"),
                ),
                bloc(
                    "loop",
                    [
                        valu("same", Op::Phi, 0, &["x", "same"]),
                        valu("i", Op::Phi, 0, &["n", "next"]),
                        valu("next", Op::Add, 0, &["i", "same"]),
                    ],
                    branch("i", "body", "done"),
                ),
                bloc("body", [], goto("loop")),
                bloc("done", [valu("r", Op::SetResult, 0, &["same"])], ret()),
            ],
        );
        fun.run("early phielim");
        assert_eq!(fun.op("same"), Op::Copy);
        assert_eq!(fun.args("same"), [fun.v("x")]);
        assert_eq!(fun.op("i"), Op::Phi);
        let values = &fun.f.block(fun.b("loop")).values;
        assert_eq!(values[..2], [fun.v("i"), fun.v("same")]);
    }

    /// A phi whose arguments are copies of one value is trivial too.
    #[test]
    fn phielim_looks_through_copies() {
        let mut fun = fun(
            "entry",
            [
                bloc("entry", [valu("x", Op::Arg, 0, &[])], branch("x", "a", "b")),
                bloc("a", [valu("copy", Op::Copy, 0, &["x"])], goto("join")),
                bloc("b", [], goto("join")),
                bloc(
                    "join",
                    [
                        valu("p", Op::Phi, 0, &["copy", "x"]),
                        valu("r", Op::SetResult, 0, &["p"]),
                    ],
                    ret(),
                ),
            ],
        );
        fun.run("phielim");
        assert_eq!(fun.op("p"), Op::Copy);
        assert_eq!(fun.args("p"), [fun.v("x")]);
    }
}
