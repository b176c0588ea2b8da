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
    for &block in &f.order {
        let b = f.block(block);
        if b.kind == BlockKind::If {
            let control = resolve(f, b.control.expect("a branch has a control"));
            let value = f.value(control);
            nil_checks |= matches!(value.op, Op::Eq | Op::Ne)
                && value.args.iter().any(|&arg| is_zero(f, arg));
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
    if !repeated && !fresh.contains(&true) {
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
                .or_else(|| nil_check_of(f, control, &fresh));
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

fn is_zero(f: &Func, v: ValueId) -> bool {
    let value = f.value(resolve(f, v));
    value.op == Op::Const && value.aux == 0
}

#[cfg(test)]
mod tests {
    use crate::ssa::op::{BlockKind, Op};
    use crate::ssa::testfun::{bloc, branch, exit, fun, ret, valu, valu_sym};
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
}
