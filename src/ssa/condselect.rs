//! Branch elimination by conditional selects, Go's `branchelim` pass (named here after
//! what it makes, since `branchelim.rs` is the pass that folds branches already decided).
//!
//! A branch whose arms compute little and rejoin at once costs a misprediction whenever
//! its condition is random; a conditional move costs a cycle or two whatever the data. So
//! a triangle or a diamond whose arms are cheap and free of effects, joined in a block with
//! two predecessors, becomes straight-line code: the arms' values are computed on both
//! paths, and each phi of the join becomes a `CondSelect` of its two arguments on the
//! branch's condition. `lower` turns a select on a comparison into `CMov` (amd64 `CMPQ` and
//! `CMOVQcc`).
//!
//! ```text
//! before:  b1: v3 = Less64 v1 v2           after:  b1: v3 = Less64 v1 v2
//!              If v3 → b2 b3                           v4 = Neg64 v1
//!          b2: v4 = Neg64 v1                           v5 = CondSelect v4 v1 v3
//!              Plain → b3                              Ret
//!          b3: ← b2 b1
//!              v5 = Phi v4 v1
//!              Ret
//! ```
//!
//! Go's limits, which keep it to where it pays on amd64:
//! - A triangle's arm has at most two values (`maxfuseinsts`); each arm of a diamond at
//!   most one, and a diamond is taken only if its cost stays below 2 (`shouldElimIfElse`):
//!   one select, each costing 1, plus, with several, one per argument computed in an arm
//!   (computing it may clobber the flags the selects share). Constants are not counted:
//!   Go keeps them in the entry block, toyc where they are used, to be rematerialized.
//! - The arms may not read or write memory, call, divide (a division may trap) or hold a
//!   phi (`canSpeculativelyExecute`).
//! - No select may feed the address of a load (Go's issue 26306): the load would wait for
//!   the condition, where a predicted branch lets it start at once. A closure call loads
//!   its code from the closure, so its closure counts as such an address.
//! - Go selects only integers and pointers of two bytes or more, since amd64 has no byte
//!   `CMOV`; every toyc value is a whole word (a `byte` zero-extended), so any phi may be
//!   selected.
//!
//! Input: generic operations, no copies (after `cse copyelim`), no branch that a
//! dominating one decides (after `branchelim`). The absorbed blocks leave `order`; the
//! branch block takes the join's ending, so it may end in a jump to a block it alone
//! precedes (the function is no longer fused).

use smallvec::{SmallVec, smallvec};

use crate::ssa::func::{BlockId, Func, ValueId};
use crate::ssa::op::{BlockKind, Op};

/// A branch to replace with selects.
struct Plan {
    /// The phis of the join, to become selects.
    phis: Vec<ValueId>,
    /// The join's predecessor on the path taken when the condition holds.
    taken: BlockId,
    /// The blocks the branch block absorbs, in order, the join last.
    absorbed: SmallVec<[BlockId; 3]>,
}

/// Go's `maxfuseinsts`: the most values (constants aside) a triangle's arm may compute.
const MAX_TRIANGLE_VALUES: usize = 2;

/// Go's `maxcost` for amd64 in `shouldElimIfElse`: a diamond must cost less.
const MAX_DIAMOND_COST: usize = 2;

/// Replaces the phis of small triangles and diamonds with selects on the branch's
/// condition, merging their blocks into the branch's.
pub fn run(f: &mut Func) {
    // Most functions have no join that qualifies: a scan of the branches spares them the
    // set of load addresses.
    if !f.order.iter().any(|&block| candidate(f, block)) {
        return;
    }
    let load_addr = load_addresses(f);
    let mut removed = vec![false; f.blocks.len()];
    // A select made in an inner diamond leaves the outer one a triangle or diamond in turn
    // (Go's loop until nothing changes).
    let mut changed = true;
    while changed {
        changed = false;
        for idx in 0..f.order.len() {
            let block = f.order[idx];
            if removed[block.0 as usize] {
                continue;
            }
            if let Some(plan) =
                elim_if(f, &load_addr, block).or_else(|| elim_if_else(f, &load_addr, block))
            {
                for &gone in &plan.absorbed {
                    removed[gone.0 as usize] = true;
                }
                merge(f, block, &plan);
                changed = true;
            }
        }
    }
    f.order.retain(|block| !removed[block.0 as usize]);
}

/// Reports whether `block` is a branch with an arm that is a leaf block: the shape both
/// eliminations start from.
fn candidate(f: &Func, block: BlockId) -> bool {
    let b = f.block(block);
    b.kind == BlockKind::If && b.succs.iter().any(|&succ| is_leaf_plain(f, succ))
}

/// Returns, for each value, whether it is used, directly or through the values computed
/// from it, as the address of a load (Go's `loadAddr`).
fn load_addresses(f: &Func) -> Vec<bool> {
    let mut marked = vec![false; f.values.len()];
    let mut stack: Vec<ValueId> = Vec::new();
    for &block in &f.order {
        for &v in &f.block(block).values {
            let value = f.value(v);
            if matches!(value.op, Op::Load | Op::ClosureCall) {
                stack.push(value.args[0]);
            }
        }
    }
    while let Some(v) = stack.pop() {
        if std::mem::replace(&mut marked[v.0 as usize], true) {
            continue;
        }
        stack.extend_from_slice(&f.value(v).args);
    }
    marked
}

/// Reports whether `block` is a jump with one predecessor (Go's `isLeafPlain`).
fn is_leaf_plain(f: &Func, block: BlockId) -> bool {
    let b = f.block(block);
    b.kind == BlockKind::Plain && b.preds.len() == 1
}

/// Reports whether every value of `block` may be computed on a path that did not compute
/// it before: no effect, no trap, no phi (Go's `canSpeculativelyExecute`).
fn can_speculate(f: &Func, block: BlockId) -> bool {
    f.block(block)
        .values
        .iter()
        .all(|&v| speculative(f.value(v).op))
}

/// Reports whether a value of `op` may be computed whether or not it is needed.
fn speculative(op: Op) -> bool {
    match op {
        Op::Const
        | Op::Addr
        | Op::Add
        | Op::Sub
        | Op::Mul
        | Op::And
        | Op::Or
        | Op::Xor
        | Op::AndNot
        | Op::Shl
        | Op::Shr
        | Op::Neg
        | Op::Com
        | Op::ZeroExt8
        | Op::Not
        | Op::Min
        | Op::Max
        | Op::Eq
        | Op::Ne
        | Op::Lt
        | Op::Le
        | Op::Gt
        | Op::Ge
        | Op::ULt
        | Op::ULe
        | Op::CondSelect => true,
        // Phis belong to their block's entry; a division by zero traps (the builder's
        // check dominates it, not the other path).
        Op::Phi | Op::Div | Op::Mod => false,
        Op::Arg
        | Op::ClosurePtr
        | Op::Load
        | Op::Store
        | Op::Load8
        | Op::Store8
        | Op::LoadResult
        | Op::SetResult
        | Op::StaticCall
        | Op::ClosureCall => false,
        // Copies are gone after `cse copyelim`; the rest appear only in `lower`.
        Op::Copy
        | Op::AddConst
        | Op::MulConst
        | Op::AndConst
        | Op::OrConst
        | Op::XorConst
        | Op::ShlConst
        | Op::SarConst
        | Op::DivConst
        | Op::ModConst
        | Op::Lea
        | Op::Cmp
        | Op::CmpConst
        | Op::Test
        | Op::TestConst
        | Op::CMov
        | Op::CMovTest
        | Op::LoadIdx8
        | Op::StoreIdx8
        | Op::Load8Idx1
        | Op::Store8Idx1 => false,
    }
}

/// Returns how many values of `block` count against Go's limits: all but constants.
fn cost(f: &Func, block: BlockId) -> usize {
    f.block(block)
        .values
        .iter()
        .filter(|&&v| f.value(v).op != Op::Const)
        .count()
}

/// Returns the phis of `join`, if it has some and each may become a select: not feeding a
/// load address, and joining two different values (a phi of one value is not a choice).
fn selectable_phis(f: &Func, load_addr: &[bool], join: BlockId) -> Option<Vec<ValueId>> {
    let phis: Vec<ValueId> = f
        .block(join)
        .values
        .iter()
        .copied()
        .take_while(|&v| f.value(v).op == Op::Phi)
        .collect();
    let selectable = |&phi: &ValueId| {
        let args = &f.value(phi).args;
        !load_addr[phi.0 as usize] && args[0] != args[1]
    };
    (!phis.is_empty() && phis.iter().all(selectable)).then_some(phis)
}

/// Turns the one-armed branch ending `dom` into selects, if its arm is cheap enough (Go's
/// `elimIf`).
fn elim_if(f: &Func, load_addr: &[bool], dom: BlockId) -> Option<Plan> {
    let b = f.block(dom);
    if b.kind != BlockKind::If || b.succs[0] == b.succs[1] {
        return None;
    }
    let (simple, post) = (0..2).find_map(|idx| {
        let (arm, other) = (b.succs[idx], b.succs[idx ^ 1]);
        (is_leaf_plain(f, arm) && f.block(arm).succs[0] == other).then_some((arm, other))
    })?;
    if f.block(post).preds.len() != 2 || post == dom || post == f.entry() {
        return None;
    }
    let phis = selectable_phis(f, load_addr, post)?;
    if cost(f, simple) > MAX_TRIANGLE_VALUES || !can_speculate(f, simple) {
        return None;
    }
    // The path taken when the condition holds enters the join from the arm, or from
    // `dom` itself when the arm is the other successor.
    let taken = if b.succs[0] == post { dom } else { simple };
    Some(Plan {
        phis,
        taken,
        absorbed: smallvec![simple, post],
    })
}

/// Turns the two-armed branch ending `dom` into selects, if both arms are cheap enough and
/// the selects cost less than the branch (Go's `elimIfElse` and `shouldElimIfElse`).
fn elim_if_else(f: &Func, load_addr: &[bool], dom: BlockId) -> Option<Plan> {
    let b = f.block(dom);
    if b.kind != BlockKind::If {
        return None;
    }
    let (yes, no) = (b.succs[0], b.succs[1]);
    let arm_fits =
        |arm: BlockId| is_leaf_plain(f, arm) && cost(f, arm) <= 1 && can_speculate(f, arm);
    if yes == no || !arm_fits(yes) || !arm_fits(no) {
        return None;
    }
    let post = f.block(yes).succs[0];
    if f.block(no).succs[0] != post
        || f.block(post).preds.len() != 2
        || post == dom
        || post == f.entry()
    {
        return None;
    }
    let phis = selectable_phis(f, load_addr, post)?;
    let in_arms = f
        .block(post)
        .values
        .iter()
        .flat_map(|&v| f.value(v).args.iter())
        .filter(|&&arg| {
            let value = f.value(arg);
            value.op != Op::Const && (value.block == yes || value.block == no)
        })
        .count();
    let cost = phis.len() + if phis.len() > 1 { in_arms } else { 0 };
    if cost >= MAX_DIAMOND_COST {
        return None;
    }
    Some(Plan {
        phis,
        taken: yes,
        absorbed: smallvec![yes, no, post],
    })
}

/// Carries out `plan` on branch `dom`: each phi of the join becomes a select on `dom`'s
/// condition, choosing the argument from predecessor `taken` when it holds; the absorbed
/// blocks' values move, in order, to the end of `dom`, which takes the join's ending and
/// successors. The absorbed blocks are left empty.
fn merge(f: &mut Func, dom: BlockId, plan: &Plan) {
    let Plan {
        phis,
        taken,
        absorbed,
    } = plan;
    let (taken, post) = (*taken, *absorbed.last().expect("a join"));
    let control = f.block(dom).control.expect("an If has a control");
    let taken_idx = f
        .block(post)
        .preds
        .iter()
        .position(|&pred| pred == taken)
        .expect("the taken path enters the join");
    for &phi in phis {
        let value = &mut f.values[phi.0 as usize];
        let (yes, no) = (value.args[taken_idx], value.args[taken_idx ^ 1]);
        value.op = Op::CondSelect;
        value.args.clear();
        // Room for the four arguments of the `CMov` that `lower` may make of it, in place.
        value.args.reserve_exact(4);
        value.args.extend_from_slice(&[yes, no, control]);
    }
    for &block in absorbed {
        let values = std::mem::take(&mut f.blocks[block.0 as usize].values);
        for &v in &values {
            f.values[v.0 as usize].block = dom;
        }
        f.blocks[dom.0 as usize].values.extend(values);
    }
    let p = &mut f.blocks[post.0 as usize];
    let (kind, control) = (p.kind, p.control.take());
    let succs = std::mem::take(&mut p.succs);
    for &block in absorbed {
        let b = &mut f.blocks[block.0 as usize];
        b.preds.clear();
        b.succs.clear();
    }
    for &next in &succs {
        for pred in f.blocks[next.0 as usize].preds.iter_mut() {
            if *pred == post {
                *pred = dom;
            }
        }
    }
    let d = &mut f.blocks[dom.0 as usize];
    d.kind = kind;
    d.control = control;
    d.succs = succs;
}

#[cfg(test)]
mod tests;
