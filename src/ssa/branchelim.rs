//! Branches already decided: the part of Go's `prove` and `nilcheckelim` passes that
//! needs no ranges.
//!
//! After `cse`, a condition tested twice is one value (or copies of it). Where block `s` is the only
//! successor of branch `d` on condition `c` that leads to it (`s` has `d` as its only
//! predecessor), every block that `s` dominates knows `c`: true below `d`'s first
//! successor, false below its second. A branch on `c` there becomes a jump, so a closure
//! called twice is checked for nil once, and a divisor for zero once.
//!
//! A word that `runtime.mallocgc` returned is never nil: a check of a fresh closure (an
//! inlined `apply(func…)`) folds too.
//!
//! Bounds, as `prove` finds them for induction variables (its `findIndVar`): where `i < n`
//! is known and `i` is a loop's counter that starts at a constant of at least 0 and only
//! grows by 1 (a phi of its loop's header, whose branch tests `i < n`), `0 <= i < n` holds,
//! so the bounds check `i <u n` is true: the index of `for i := range s` and of
//! `for i := 0; i < len(s); i++` is not checked in the body. The counter cannot wrap: it
//! grows only past the header's test, from a value below `n`.
//!
//! Removing edges only removes paths, so the dominator tree computed first stays
//! conservative while branches fold. Blocks left unreachable go at the end (phis left with
//! one argument become copies, for the `copyelim` after).
//! Runs between `cse` and its `copyelim`, so the copies `cse` made are looked through.

use crate::ssa::deadcode;
use crate::ssa::dom::{DomTree, Visit};
use crate::ssa::func::{BlockId, Func, ValueId};
use crate::ssa::op::{BlockKind, Op};
use crate::ssa::phielim::resolve;

/// Folds branches whose condition a dominating branch or an allocation decides.
pub fn run(f: &mut Func) {
    // Most functions test each condition once and check no fresh allocation for nil: a
    // scan of the branches spares them the dominator tree.
    let mut controls: Vec<ValueId> = Vec::new();
    let mut nil_checks = false;
    let mut bounds = false;
    for &block in &f.order {
        let b = f.block(block);
        if b.kind == BlockKind::If {
            let control = resolve(f, b.control.expect("a branch has a control"));
            let value = f.value(control);
            nil_checks |= matches!(value.op, Op::Eq | Op::Ne)
                && value.args.iter().any(|&arg| is_zero(f, arg));
            bounds |= value.op == Op::ULt;
            controls.push(control);
        }
    }
    controls.sort_unstable();
    let repeated = controls.windows(2).any(|pair| pair[0] == pair[1]);
    let fresh = if nil_checks {
        fresh_allocations(f)
    } else {
        Vec::new()
    };
    if !repeated && !bounds && !fresh.contains(&true) {
        return;
    }
    let dom = DomTree::new(f);
    let mut folded = false;
    // Conditions known in the dominator subtree being walked, with their values.
    let mut known: Vec<(ValueId, bool)> = Vec::new();
    let mut stack = vec![Visit::Enter(f.entry())];
    while let Some(visit) = stack.pop() {
        let block = match visit {
            Visit::Enter(block) => block,
            Visit::Exit(depth) => {
                known.truncate(depth);
                continue;
            }
        };
        let depth = known.len();
        if let Some(fact) = entry_fact(f, block) {
            known.push(fact);
        }
        let b = f.block(block);
        if b.kind == BlockKind::If {
            let control = resolve(f, b.control.expect("a branch has a control"));
            let decided = known
                .iter()
                .rev()
                .find(|&&(c, _)| c == control)
                .map(|&(_, value)| value)
                .or_else(|| nil_check_of(f, control, &fresh))
                .or_else(|| counter_in_bounds(f, &dom, control, &known));
            if let Some(value) = decided {
                let taken = b.succs[if value { 0 } else { 1 }];
                f.jump(block, taken);
                folded = true;
            }
        }
        stack.push(Visit::Exit(depth));
        let children = dom.children(block);
        stack.extend(children.iter().rev().map(|&child| Visit::Enter(child)));
    }
    if folded {
        deadcode::blocks(f);
    }
}

/// What entering `block` tells: the condition of its only predecessor's branch, if `block`
/// is reached by one edge of it only.
fn entry_fact(f: &Func, block: BlockId) -> Option<(ValueId, bool)> {
    let &[pred] = f.block(block).preds.as_slice() else {
        return None;
    };
    let p = f.block(pred);
    if p.kind != BlockKind::If || p.succs[0] == p.succs[1] {
        return None;
    }
    Some((resolve(f, p.control?), p.succs[0] == block))
}

/// Marks the address every `runtime.mallocgc` call returns.
fn fresh_allocations(f: &Func) -> Vec<bool> {
    let mut fresh = vec![false; f.values.len()];
    for (_, result) in f.allocations() {
        fresh[result.0 as usize] = true;
    }
    fresh
}

/// Decides `x == 0` and `x != 0` for a fresh allocation `x`.
fn nil_check_of(f: &Func, control: ValueId, fresh: &[bool]) -> Option<bool> {
    let value = f.value(control);
    let equal = match value.op {
        Op::Eq => true,
        Op::Ne => false,
        _ => return None,
    };
    let [a, b] = value.args[..] else {
        return None;
    };
    let (a, b) = (resolve(f, a), resolve(f, b));
    let is_fresh = |v: ValueId| fresh.get(v.0 as usize) == Some(&true);
    ((is_fresh(a) && is_zero(f, b)) || (is_zero(f, a) && is_fresh(b))).then_some(!equal)
}

/// Decides the bounds check `i <u n` true where `i < n` is known and `i` is a counter
/// that never goes below 0 (`is_counter`).
fn counter_in_bounds(
    f: &Func,
    dom: &DomTree,
    control: ValueId,
    known: &[(ValueId, bool)],
) -> Option<bool> {
    let value = f.value(control);
    if value.op != Op::ULt {
        return None;
    }
    let (i, n) = (resolve(f, value.args[0]), resolve(f, value.args[1]));
    let less = known.iter().any(|&(fact, holds)| {
        let fact = f.value(fact);
        holds && fact.op == Op::Lt && resolve(f, fact.args[0]) == i && resolve(f, fact.args[1]) == n
    });
    (less && is_counter(f, dom, i)).then_some(true)
}

/// Returns whether `i` is a loop counter that is never negative: a phi of a block whose
/// branch tests `i < …`, each of its arguments a constant of at least 0 or `i + 1`
/// computed only where that test held (below the branch's first successor, reached from
/// it alone), so that `i + 1` cannot wrap.
fn is_counter(f: &Func, dom: &DomTree, i: ValueId) -> bool {
    let phi = f.value(i);
    if phi.op != Op::Phi {
        return false;
    }
    let header = f.block(phi.block);
    let tests_i = header.kind == BlockKind::If
        && header.control.is_some_and(|control| {
            let test = f.value(resolve(f, control));
            test.op == Op::Lt && resolve(f, test.args[0]) == i
        });
    if !tests_i {
        return false;
    }
    let body = header.succs[0];
    if f.block(body).preds.as_slice() != [phi.block] {
        return false;
    }
    phi.args.iter().all(|&arg| {
        let arg = f.value(resolve(f, arg));
        match arg.op {
            Op::Const => arg.aux >= 0,
            Op::Add => {
                let (a, b) = (resolve(f, arg.args[0]), resolve(f, arg.args[1]));
                let is_one = |v: ValueId| {
                    let v = f.value(v);
                    v.op == Op::Const && v.aux == 1
                };
                ((a == i && is_one(b)) || (b == i && is_one(a))) && dom.dominates(body, arg.block)
            }
            _ => false,
        }
    })
}

fn is_zero(f: &Func, v: ValueId) -> bool {
    let value = f.value(resolve(f, v));
    value.op == Op::Const && value.aux == 0
}

#[cfg(test)]
mod tests {
    use crate::ssa::op::{BlockKind, Op};
    use crate::ssa::testfun::{bloc, branch, exit, fun, goto, ret, valu, valu_sym};
    use crate::ssa::{Runtime, Sym};

    /// `if x == 0 { if x == 0 { … } else { panic } }`: the inner test is known true.
    #[test]
    fn branchelim_folds_a_branch_a_dominating_branch_decides() {
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [
                        valu("x", Op::Arg, 0, &[]),
                        valu("zero", Op::Const, 0, &[]),
                        valu("c", Op::Eq, 0, &["x", "zero"]),
                    ],
                    branch("c", "then", "else"),
                ),
                bloc("then", [], branch("c", "again", "never")),
                bloc("again", [], ret()),
                bloc(
                    "never",
                    [valu_sym(
                        "call",
                        Op::StaticCall,
                        Sym::Runtime(Runtime::PanicDivide),
                        &[],
                    )],
                    exit(),
                ),
                bloc("else", [], ret()),
            ],
        );
        fun.run("branchelim");
        let then = fun.f.block(fun.b("then"));
        assert_eq!(then.kind, BlockKind::Plain);
        assert_eq!(then.succs.as_slice(), [fun.b("again")]);
        assert!(!fun.has_block("never"));
        assert_eq!(fun.f.block(fun.b("entry")).kind, BlockKind::If);
    }

    /// A word `runtime.mallocgc` returned is never nil.
    #[test]
    fn branchelim_folds_a_nil_check_of_a_fresh_allocation() {
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [
                        valu("size", Op::Const, 16, &[]),
                        valu_sym(
                            "call",
                            Op::StaticCall,
                            Sym::Runtime(Runtime::Alloc),
                            &["size"],
                        ),
                        valu("ptr", Op::LoadResult, 0, &[]),
                        valu("zero", Op::Const, 0, &[]),
                        valu("is_nil", Op::Eq, 0, &["ptr", "zero"]),
                    ],
                    branch("is_nil", "panic", "ok"),
                ),
                bloc(
                    "panic",
                    [valu_sym(
                        "panic_call",
                        Op::StaticCall,
                        Sym::Runtime(Runtime::PanicNil),
                        &[],
                    )],
                    exit(),
                ),
                bloc("ok", [valu("r", Op::SetResult, 0, &["ptr"])], ret()),
            ],
        );
        fun.run("branchelim");
        let entry = fun.f.block(fun.b("entry"));
        assert_eq!(entry.kind, BlockKind::Plain);
        assert_eq!(entry.succs.as_slice(), [fun.b("ok")]);
        assert!(!fun.has_block("panic"));
    }

    /// `for i := 0; i < n; i++ { s[i] }`: the counter starts at 0 and grows by 1 past the
    /// header's test, so its bounds check in the body is known true.
    #[test]
    fn branchelim_folds_the_bounds_check_of_a_loop_counter() {
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [
                        valu("n", Op::Arg, 0, &[]),
                        valu("zero", Op::Const, 0, &[]),
                        valu("one", Op::Const, 1, &[]),
                    ],
                    goto("header"),
                ),
                bloc(
                    "header",
                    [
                        valu("i", Op::Phi, 0, &["zero", "next"]),
                        valu("more", Op::Lt, 0, &["i", "n"]),
                    ],
                    branch("more", "body", "done"),
                ),
                bloc(
                    "body",
                    [valu("in_bounds", Op::ULt, 0, &["i", "n"])],
                    branch("in_bounds", "ok", "panic"),
                ),
                bloc(
                    "panic",
                    [valu_sym(
                        "panic_call",
                        Op::StaticCall,
                        Sym::Runtime(Runtime::PanicIndex),
                        &["i", "n"],
                    )],
                    exit(),
                ),
                bloc(
                    "ok",
                    [valu("next", Op::Add, 0, &["i", "one"])],
                    goto("header"),
                ),
                bloc("done", [], ret()),
            ],
        );
        fun.run("branchelim");
        let body = fun.f.block(fun.b("body"));
        assert_eq!(body.kind, BlockKind::Plain);
        assert_eq!(body.succs.as_slice(), [fun.b("ok")]);
        assert!(!fun.has_block("panic"));
    }

    /// A counter that may go down (`i - 1`) may be negative: its check stays.
    #[test]
    fn branchelim_keeps_the_bounds_check_of_a_value_that_may_be_negative() {
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [
                        valu("n", Op::Arg, 0, &[]),
                        valu("zero", Op::Const, 0, &[]),
                        valu("one", Op::Const, 1, &[]),
                    ],
                    goto("header"),
                ),
                bloc(
                    "header",
                    [
                        valu("i", Op::Phi, 0, &["zero", "next"]),
                        valu("more", Op::Lt, 0, &["i", "n"]),
                    ],
                    branch("more", "body", "done"),
                ),
                bloc(
                    "body",
                    [valu("in_bounds", Op::ULt, 0, &["i", "n"])],
                    branch("in_bounds", "ok", "panic"),
                ),
                bloc(
                    "panic",
                    [valu_sym(
                        "panic_call",
                        Op::StaticCall,
                        Sym::Runtime(Runtime::PanicIndex),
                        &["i", "n"],
                    )],
                    exit(),
                ),
                bloc(
                    "ok",
                    [valu("next", Op::Sub, 0, &["i", "one"])],
                    goto("header"),
                ),
                bloc("done", [], ret()),
            ],
        );
        fun.run("branchelim");
        assert_eq!(fun.f.block(fun.b("body")).kind, BlockKind::If);
        assert!(fun.has_block("panic"));
    }

    /// A counter also bumped where `i < n` failed may wrap past the largest int: its
    /// check stays.
    #[test]
    fn branchelim_keeps_the_bounds_check_of_a_counter_bumped_outside_the_loop_test() {
        let mut fun = fun(
            "entry",
            [
                bloc(
                    "entry",
                    [
                        valu("n", Op::Arg, 0, &[]),
                        valu("zero", Op::Const, 0, &[]),
                        valu("one", Op::Const, 1, &[]),
                    ],
                    goto("header"),
                ),
                bloc(
                    "header",
                    [
                        valu("i", Op::Phi, 0, &["zero", "next"]),
                        valu("more", Op::Lt, 0, &["i", "n"]),
                    ],
                    branch("more", "body", "bump"),
                ),
                bloc(
                    "body",
                    [valu("in_bounds", Op::ULt, 0, &["i", "n"])],
                    branch("in_bounds", "ok", "panic"),
                ),
                bloc(
                    "panic",
                    [valu_sym(
                        "panic_call",
                        Op::StaticCall,
                        Sym::Runtime(Runtime::PanicIndex),
                        &["i", "n"],
                    )],
                    exit(),
                ),
                bloc("ok", [], goto("bump")),
                bloc(
                    "bump",
                    [valu("next", Op::Add, 0, &["i", "one"])],
                    goto("header"),
                ),
            ],
        );
        fun.run("branchelim");
        assert_eq!(fun.f.block(fun.b("body")).kind, BlockKind::If);
        assert!(fun.has_block("panic"));
    }
}
