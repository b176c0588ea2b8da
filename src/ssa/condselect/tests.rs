//! Tests of `condselect` alone, on functions built with `testfun`.

use crate::ssa::op::{BlockKind, Op};
use crate::ssa::testfun::{bloc, branch, fun, goto, ret, valu};

/// The example of the module's comment: an `abs`, a triangle whose arm negates.
#[test]
fn condselect_turns_a_triangle_into_a_select() {
    let mut fun = fun(
        "b1",
        [
            bloc(
                "b1",
                [
                    valu("x", Op::Arg, 0, &[]),
                    valu("zero", Op::Const, 0, &[]),
                    valu("neg", Op::Lt, 0, &["x", "zero"]),
                ],
                branch("neg", "b2", "b3"),
            ),
            bloc("b2", [valu("minus", Op::Neg, 0, &["x"])], goto("b3")),
            bloc(
                "b3",
                [
                    valu("abs", Op::Phi, 0, &["x", "minus"]),
                    valu("r", Op::SetResult, 0, &["abs"]),
                ],
                ret(),
            ),
        ],
    );
    fun.run("condselect");
    assert_eq!(fun.f.order, [fun.b("b1")]);
    assert_eq!(fun.f.block(fun.b("b1")).kind, BlockKind::Ret);
    assert_eq!(fun.op("abs"), Op::CondSelect);
    assert_eq!(fun.args("abs"), [fun.v("minus"), fun.v("x"), fun.v("neg")]);
    assert_eq!(fun.f.value(fun.v("minus")).block, fun.b("b1"));
}

/// A `max` written as a diamond: one phi, each arm a constant or nothing.
#[test]
fn condselect_turns_a_diamond_of_one_phi_into_a_select() {
    let mut fun = fun(
        "entry",
        [
            bloc(
                "entry",
                [
                    valu("x", Op::Arg, 0, &[]),
                    valu("y", Op::Arg, 1, &[]),
                    valu("less", Op::Lt, 0, &["x", "y"]),
                ],
                branch("less", "yes", "no"),
            ),
            bloc("yes", [valu("one", Op::Const, 1, &[])], goto("join")),
            bloc("no", [valu("two", Op::Const, 2, &[])], goto("join")),
            bloc(
                "join",
                [
                    valu("p", Op::Phi, 0, &["one", "two"]),
                    valu("r", Op::SetResult, 0, &["p"]),
                ],
                ret(),
            ),
        ],
    );
    fun.run("condselect");
    assert_eq!(fun.f.order, [fun.b("entry")]);
    assert_eq!(fun.op("p"), Op::CondSelect);
    assert_eq!(fun.args("p"), [fun.v("one"), fun.v("two"), fun.v("less")]);
}

/// Go's cost for amd64: two phis whose arguments are computed in the arms cost more than
/// the branch, and an arm that calls or divides cannot run on the other path.
#[test]
fn condselect_keeps_costly_or_effectful_arms() {
    let mut fun = fun(
        "entry",
        [
            bloc(
                "entry",
                [
                    valu("x", Op::Arg, 0, &[]),
                    valu("y", Op::Arg, 1, &[]),
                    valu("less", Op::Lt, 0, &["x", "y"]),
                ],
                branch("less", "yes", "no"),
            ),
            bloc("yes", [valu("sum", Op::Add, 0, &["x", "y"])], goto("join")),
            bloc("no", [valu("diff", Op::Sub, 0, &["x", "y"])], goto("join")),
            bloc(
                "join",
                [
                    valu("p", Op::Phi, 0, &["sum", "diff"]),
                    valu("q", Op::Phi, 0, &["y", "x"]),
                    valu("less2", Op::Lt, 0, &["p", "q"]),
                ],
                branch("less2", "arm", "out"),
            ),
            bloc("arm", [valu("quo", Op::Div, 0, &["x", "y"])], goto("out")),
            bloc(
                "out",
                [
                    valu("s", Op::Phi, 0, &["p", "quo"]),
                    valu("r", Op::SetResult, 0, &["s"]),
                ],
                ret(),
            ),
        ],
    );
    fun.run("condselect");
    for name in ["entry", "yes", "no", "join", "arm", "out"] {
        assert!(fun.has_block(name), "{name} was merged");
    }
    assert_eq!(fun.op("p"), Op::Phi);
    assert_eq!(fun.op("s"), Op::Phi);
}

/// A select whose result addresses a load would make the load wait for the condition.
#[test]
fn condselect_keeps_a_branch_that_chooses_a_load_address() {
    let mut fun = fun(
        "entry",
        [
            bloc(
                "entry",
                [
                    valu("p", Op::Arg, 0, &[]),
                    valu("q", Op::Arg, 1, &[]),
                    valu("c", Op::Arg, 2, &[]),
                ],
                branch("c", "arm", "join"),
            ),
            bloc("arm", [], goto("join")),
            bloc(
                "join",
                [
                    valu("addr", Op::Phi, 0, &["p", "q"]),
                    valu("word", Op::Load, 8, &["addr"]),
                    valu("r", Op::SetResult, 0, &["word"]),
                ],
                ret(),
            ),
        ],
    );
    fun.run("condselect");
    assert_eq!(fun.op("addr"), Op::Phi);
    assert!(fun.has_block("arm"));
}

/// The rules name a `CMov`'s condition as `Cond::Lt as i64`; emission reads it back.
#[test]
fn condselect_conditions_round_trip_through_aux() {
    for cond in crate::ssa::op::Cond::ALL {
        assert_eq!(crate::ssa::op::Cond::from_aux(cond as i64), cond);
    }
}
