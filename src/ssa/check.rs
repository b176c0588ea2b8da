//! The SSA verifier, Go's `checkFunc`: a failure is always a compiler bug.
//!
//! Some invariants hold of every function from construction to emission, and are always
//! checked, one function per family:
//! - `placement`: each live block is listed once in `order`, each value in one live block,
//!   the one it names;
//! - `block_shape`: each block kind has its number of successors and its control; edges
//!   are mirrored in `preds`/`succs` and join live blocks;
//! - `operations`: each operation has its number of arguments, and a symbol that exists;
//! - `phis_lead`: phis have one argument per predecessor and come first;
//! - `calls_and_results`: a call's `LoadResult`s follow it directly, numbered from 0, and
//!   `SetResult`s, numbered from 0, end a `Ret` block;
//! - `operands_dominate`: every argument and control is a live value whose definition
//!   dominates the use (for a phi argument, dominates the end of the matching predecessor);
//! - `flags`: an amd64 compare sets the flags for its block's `IfCmp` and nothing else:
//!   it is that block's control and last value, and no value's argument.
//!
//! Blocks the entry does not reach are skipped: nothing runs there, and they are left for
//! the next `deadcode` (unless [`Property::NoUnreachableBlocks`] holds).
//!
//! Other invariants are [`Property`]s: established by one pass, kept by those after it
//! until one that is declared to break it (`passes::Pass`), as Go's `checkFunc` checks
//! `f.RegAlloc` only once register allocation has run. `verify` is told which hold.
//!
//! The checks are linear in the size of the function, bar the edges of a block, counted
//! per successor: dominance is read from the dominator tree's preorder numbers.

use crate::ssa::abi;
use crate::ssa::dom::{DomTree, Visit};
use crate::ssa::func::{BlockId, Func, ValueId};
use crate::ssa::op::{BlockKind, Op};
use crate::ssa::phielim::resolve;
use crate::ssa::regalloc::{self, Loc};

/// A fact about a function that a pass establishes and later passes keep, unless they are
/// declared to break it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Property {
    /// Every operation is generic (`Op::is_generic`) and no block is an `IfCmp`: the form
    /// `build` produces, until `lower`.
    Generic,
    /// Every block in `order` is reachable from the entry, and so is every predecessor.
    NoUnreachableBlocks,
    /// Every value has an effect, controls its block or is an argument of a value that is
    /// not dead.
    NoDeadValues,
    /// No block ends in a jump to another block (not the entry) of which it is the only
    /// predecessor: `fuse` would absorb it.
    Fused,
    /// No phi is trivial: looked at through copies, and leaving out the phi itself, its
    /// arguments are at least two different values.
    NoTrivialPhis,
    /// No value is a `Copy`.
    NoCopies,
    /// No critical edge into a block with phis: each predecessor of a block with phis and
    /// several predecessors has that block as its only successor.
    NoCriticalPhiEdges,
    /// `order` is the machine code's: blocks that end in a panic (`Exit`) come last, after
    /// every other block but an entry that is one.
    LaidOut,
    /// Register allocation is done: every value that produces a word has a location, but a
    /// constant used only where emission writes it into a copy's destination; locations
    /// are allocatable registers or slots of the frame, whose saved registers include
    /// every callee-saved register used; no two values live at once share one; and the
    /// stack map of each call names exactly where the pointers live across it are, the
    /// maps in the calls' order.
    Allocated,
}

impl Property {
    /// Every property, in the order they are checked. Each has a test that builds a function
    /// breaking it, so one missing here fails its test.
    pub const ALL: [Property; 9] = [
        Property::Generic,
        Property::NoUnreachableBlocks,
        Property::NoDeadValues,
        Property::Fused,
        Property::NoTrivialPhis,
        Property::NoCopies,
        Property::NoCriticalPhiEdges,
        Property::LaidOut,
        Property::Allocated,
    ];

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// A set of [`Property`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Properties(u16);

impl Properties {
    /// Returns the set of `properties`.
    pub fn of(properties: &[Property]) -> Properties {
        let mut set = Properties::default();
        set.add(properties);
        set
    }

    /// Adds `properties` to the set.
    pub fn add(&mut self, properties: &[Property]) {
        for &property in properties {
            self.0 |= property.bit();
        }
    }

    /// Removes `properties` from the set.
    pub fn remove(&mut self, properties: &[Property]) {
        for &property in properties {
            self.0 &= !property.bit();
        }
    }

    /// Reports whether `property` is in the set.
    pub fn contains(self, property: Property) -> bool {
        self.0 & property.bit() != 0
    }
}

/// Panics with a description if `f` breaks an invariant, or one of the properties `holds`,
/// after pass `pass`.
pub fn verify(f: &Func, pass: &str, holds: Properties) {
    if let Err(message) = check(f, holds) {
        let text = crate::ssa::print::print(f, &|sym| format!("{sym:?}"));
        panic!("ssa check after {pass}: {message}\n{text}");
    }
}

/// Returns the first invariant or property of `holds` that `f` breaks, described.
fn check(f: &Func, holds: Properties) -> Result<(), String> {
    let place = placement(f)?;
    let dom = Dominance::new(f);
    for &block in &f.order {
        if !dom.reachable(block) {
            continue;
        }
        block_shape(f, block, &place, &dom)?;
        operations(f, block)?;
        phis_lead(f, block)?;
        calls_and_results(f, block)?;
        operands_dominate(f, block, &place, &dom)?;
        flags(f, block)?;
    }
    for property in Property::ALL {
        if !holds.contains(property) {
            continue;
        }
        match property {
            Property::Generic => generic(f)?,
            Property::NoUnreachableBlocks => no_unreachable_blocks(f, &dom)?,
            Property::NoDeadValues => no_dead_values(f)?,
            Property::Fused => fused(f)?,
            Property::NoTrivialPhis => no_trivial_phis(f)?,
            Property::NoCopies => no_copies(f)?,
            Property::NoCriticalPhiEdges => no_critical_phi_edges(f)?,
            Property::LaidOut => laid_out(f)?,
            Property::Allocated => allocated(f, &place)?,
        }
    }
    Ok(())
}

/// Where each value is listed: its block and its index there; `None` if it is in no live
/// block.
struct Placement {
    of: Vec<Option<(BlockId, usize)>>,
    /// Per block: whether it is in `order`.
    live: Vec<bool>,
}

impl Placement {
    fn value(&self, v: ValueId) -> Option<(BlockId, usize)> {
        self.of[v.0 as usize]
    }

    fn is_live(&self, block: BlockId) -> bool {
        self.live[block.0 as usize]
    }
}

/// Checks that each live block is listed once and each value in one live block, the one
/// it names, and returns where.
fn placement(f: &Func) -> Result<Placement, String> {
    let mut live = vec![false; f.blocks.len()];
    for &block in &f.order {
        if std::mem::replace(&mut live[block.0 as usize], true) {
            return Err(format!("b{} is in the order twice", block.0));
        }
    }
    let mut of: Vec<Option<(BlockId, usize)>> = vec![None; f.values.len()];
    for &block in &f.order {
        for (idx, &v) in f.block(block).values.iter().enumerate() {
            if of[v.0 as usize].is_some() {
                return Err(format!("v{} is in two blocks", v.0));
            }
            if f.value(v).block != block {
                return Err(format!(
                    "v{} is listed in b{} but says b{}",
                    v.0,
                    block.0,
                    f.value(v).block.0
                ));
            }
            of[v.0 as usize] = Some((block, idx));
        }
    }
    Ok(Placement { of, live })
}

/// The dominator tree, numbered so that dominance is a comparison: `a` dominates `b` when
/// `b`'s preorder number lies in `a`'s subtree's range.
struct Dominance {
    /// Per block: its preorder number, `u32::MAX` if the entry does not reach it.
    pre: Vec<u32>,
    /// Per block: the largest preorder number in its subtree.
    last: Vec<u32>,
}

impl Dominance {
    fn new(f: &Func) -> Dominance {
        let tree = DomTree::new(f);
        let mut pre = vec![u32::MAX; f.blocks.len()];
        let mut last = vec![0; f.blocks.len()];
        let mut next = 0;
        let mut stack = vec![Visit::Enter(f.entry())];
        while let Some(visit) = stack.pop() {
            match visit {
                Visit::Enter(block) => {
                    pre[block.0 as usize] = next;
                    next += 1;
                    stack.push(Visit::Exit(block.0 as usize));
                    stack.extend(tree.children(block).iter().map(|&c| Visit::Enter(c)));
                }
                Visit::Exit(block) => last[block] = next - 1,
            }
        }
        Dominance { pre, last }
    }

    fn reachable(&self, block: BlockId) -> bool {
        self.pre[block.0 as usize] != u32::MAX
    }

    /// Reports whether `a` dominates `b`; both are reachable.
    fn dominates(&self, a: BlockId, b: BlockId) -> bool {
        let (a, b) = (a.0 as usize, b.0 as usize);
        self.pre[a] <= self.pre[b] && self.pre[b] <= self.last[a]
    }
}

/// Checks the successors and control a block's kind calls for, and its edges.
fn block_shape(f: &Func, block: BlockId, place: &Placement, dom: &Dominance) -> Result<(), String> {
    let b = f.block(block);
    let (n_succs, has_control) = match b.kind {
        BlockKind::Plain => (1, false),
        BlockKind::If | BlockKind::IfCmp(_) => (2, true),
        BlockKind::Ret | BlockKind::Exit => (0, false),
    };
    if b.succs.len() != n_succs {
        return Err(format!("b{} has {} successors", block.0, b.succs.len()));
    }
    if b.control.is_some() != has_control {
        return Err(format!("b{} has a wrong control", block.0));
    }
    for &succ in &b.succs {
        if !place.is_live(succ) {
            return Err(format!("b{} goes to dead b{}", block.0, succ.0));
        }
        let n_forward = b.succs.iter().filter(|&&s| s == succ).count();
        let n_back = f.block(succ).preds.iter().filter(|&&p| p == block).count();
        if n_forward != n_back {
            return Err(format!("edge b{} → b{} is not mirrored", block.0, succ.0));
        }
    }
    for &pred in &b.preds {
        // An unreachable predecessor may leave the order before its edge goes.
        if !place.is_live(pred) && dom.reachable(pred) {
            return Err(format!("b{} has dead predecessor b{}", block.0, pred.0));
        }
        let n_forward = f.block(pred).succs.iter().filter(|&&s| s == block).count();
        let n_back = b.preds.iter().filter(|&&p| p == pred).count();
        if n_forward != n_back {
            return Err(format!("edge b{} → b{} is not mirrored", pred.0, block.0));
        }
    }
    Ok(())
}

/// Returns the number of arguments `op` takes, `None` for any number (a phi's is checked
/// against its block's predecessors, a call's are its argument words).
fn arity(op: Op) -> Option<usize> {
    match op {
        Op::Const | Op::Addr | Op::Arg | Op::ClosurePtr | Op::LoadResult => Some(0),
        Op::Copy
        | Op::Neg
        | Op::Com
        | Op::ZeroExt8
        | Op::Not
        | Op::Load
        | Op::Load8
        | Op::SetResult
        | Op::AddConst
        | Op::MulConst
        | Op::AndConst
        | Op::OrConst
        | Op::XorConst
        | Op::ShlConst
        | Op::SarConst
        | Op::DivConst
        | Op::ModConst
        | Op::CmpConst
        | Op::TestConst => Some(1),
        Op::Add
        | Op::Sub
        | Op::Mul
        | Op::Div
        | Op::Mod
        | Op::And
        | Op::Or
        | Op::Xor
        | Op::AndNot
        | Op::Shl
        | Op::Shr
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
        | Op::Store
        | Op::Store8
        | Op::Lea
        | Op::Cmp
        | Op::Test
        | Op::LoadIdx8
        | Op::Load8Idx1 => Some(2),
        Op::CondSelect | Op::StoreIdx8 | Op::Store8Idx1 => Some(3),
        Op::CMov | Op::CMovTest => Some(4),
        Op::Phi | Op::StaticCall | Op::ClosureCall => None,
    }
}

/// Checks each value's number of arguments and symbol.
fn operations(f: &Func, block: BlockId) -> Result<(), String> {
    for &v in &f.block(block).values {
        let value = f.value(v);
        let n_args = value.args.len();
        let fits = match arity(value.op) {
            Some(n) => n_args == n,
            None => value.op != Op::ClosureCall || n_args >= 1,
        };
        if !fits {
            return Err(format!(
                "v{} = {} has {n_args} arguments",
                v.0,
                value.op.name()
            ));
        }
        let names_sym = matches!(value.op, Op::Addr | Op::StaticCall);
        if names_sym && !usize::try_from(value.aux).is_ok_and(|idx| idx < f.syms.len()) {
            return Err(format!("v{} names no symbol", v.0));
        }
    }
    Ok(())
}

/// Checks that phis lead their block, with one argument per predecessor.
fn phis_lead(f: &Func, block: BlockId) -> Result<(), String> {
    let b = f.block(block);
    let mut phis_done = false;
    for &v in &b.values {
        let value = f.value(v);
        if value.op != Op::Phi {
            phis_done = true;
            continue;
        }
        if phis_done {
            return Err(format!("phi v{} after other values", v.0));
        }
        if value.args.len() != b.preds.len() {
            return Err(format!(
                "phi v{} has {} args for {} preds",
                v.0,
                value.args.len(),
                b.preds.len()
            ));
        }
    }
    Ok(())
}

/// Checks that a call's results follow it directly and a function's results end a `Ret`
/// block, each run numbered from 0.
fn calls_and_results(f: &Func, block: BlockId) -> Result<(), String> {
    let b = f.block(block);
    for (idx, &v) in b.values.iter().enumerate() {
        let value = f.value(v);
        let prev = idx.checked_sub(1).map(|prev| f.value(b.values[prev]));
        let follows = |op: Op| prev.is_some_and(|prev| prev.op == op);
        let numbered = match prev {
            Some(prev) if prev.op == value.op => prev.aux.checked_add(1) == Some(value.aux),
            _ => value.aux == 0,
        };
        let in_place = match value.op {
            Op::LoadResult => {
                numbered && (follows(Op::LoadResult) || prev.is_some_and(|p| p.op.is_call()))
            }
            Op::SetResult => numbered && b.kind == BlockKind::Ret,
            _ => !follows(Op::SetResult),
        };
        if !in_place {
            return Err(format!("v{} is out of place among calls and results", v.0));
        }
    }
    Ok(())
}

/// Checks that every argument and the control are live values defined where they dominate
/// their use.
fn operands_dominate(
    f: &Func,
    block: BlockId,
    place: &Placement,
    dom: &Dominance,
) -> Result<(), String> {
    let b = f.block(block);
    for (idx, &v) in b.values.iter().enumerate() {
        let value = f.value(v);
        for (arg_idx, &arg) in value.args.iter().enumerate() {
            let Some((def_block, def_idx)) = place.value(arg) else {
                return Err(format!("v{} uses v{}, which is not live", v.0, arg.0));
            };
            let ok = if value.op == Op::Phi {
                let pred = b.preds[arg_idx];
                !dom.reachable(pred) || dom.dominates(def_block, pred)
            } else if def_block == block && value.op != Op::Copy {
                def_idx < idx
            } else {
                dom.dominates(def_block, block)
            };
            if !ok {
                return Err(format!(
                    "v{} uses v{}, whose definition does not dominate it",
                    v.0, arg.0
                ));
            }
        }
    }
    if let Some(control) = b.control {
        match place.value(control) {
            Some((def_block, _)) if dom.dominates(def_block, block) => {}
            _ => {
                return Err(format!(
                    "b{} is controlled by v{}, not available",
                    block.0, control.0
                ));
            }
        }
    }
    Ok(())
}

/// Reports whether `op` is an amd64 compare, which sets the flags rather than a word.
fn sets_flags(op: Op) -> bool {
    matches!(op, Op::Cmp | Op::CmpConst | Op::Test | Op::TestConst)
}

/// Checks that the flags an amd64 compare sets are read by its block's `IfCmp` only, with
/// nothing between them.
fn flags(f: &Func, block: BlockId) -> Result<(), String> {
    let b = f.block(block);
    for &v in &b.values {
        if let Some(&arg) = f
            .value(v)
            .args
            .iter()
            .find(|&&arg| sets_flags(f.value(arg).op))
        {
            return Err(format!("v{} uses the flags of v{}", v.0, arg.0));
        }
    }
    let Some(control) = b.control else {
        return Ok(());
    };
    let is_compare = sets_flags(f.value(control).op);
    match b.kind {
        BlockKind::IfCmp(_) if !is_compare => Err(format!(
            "b{} branches on flags that v{} does not set",
            block.0, control.0
        )),
        BlockKind::IfCmp(_) if b.values.last() != Some(&control) => Err(format!(
            "b{}: the compare v{} must be its last value",
            block.0, control.0
        )),
        BlockKind::If if is_compare => Err(format!(
            "b{} branches on the word of v{}, which sets flags",
            block.0, control.0
        )),
        BlockKind::Plain
        | BlockKind::If
        | BlockKind::IfCmp(_)
        | BlockKind::Ret
        | BlockKind::Exit => Ok(()),
    }
}

/// [`Property::Generic`].
fn generic(f: &Func) -> Result<(), String> {
    for &block in &f.order {
        let b = f.block(block);
        if let BlockKind::IfCmp(_) = b.kind {
            return Err(format!("b{} is lowered before lower", block.0));
        }
        if let Some(&v) = b.values.iter().find(|&&v| !f.value(v).op.is_generic()) {
            return Err(format!(
                "v{} = {} is lowered before lower",
                v.0,
                f.value(v).op.name()
            ));
        }
    }
    Ok(())
}

/// [`Property::NoUnreachableBlocks`].
fn no_unreachable_blocks(f: &Func, dom: &Dominance) -> Result<(), String> {
    for &block in &f.order {
        if !dom.reachable(block) {
            return Err(format!("b{} is unreachable", block.0));
        }
        if let Some(pred) = f.block(block).preds.iter().find(|&&p| !dom.reachable(p)) {
            return Err(format!(
                "b{} has unreachable predecessor b{}",
                block.0, pred.0
            ));
        }
    }
    Ok(())
}

/// [`Property::NoDeadValues`], marking as `deadcode` does: from effects and controls,
/// through arguments.
fn no_dead_values(f: &Func) -> Result<(), String> {
    let mut live = vec![false; f.values.len()];
    let mut work = Vec::new();
    for &block in &f.order {
        let b = f.block(block);
        work.extend(b.control);
        work.extend(b.values.iter().filter(|&&v| f.value(v).op.is_kept()));
    }
    while let Some(v) = work.pop() {
        if !std::mem::replace(&mut live[v.0 as usize], true) {
            work.extend(&f.value(v).args);
        }
    }
    for &block in &f.order {
        if let Some(&v) = f.block(block).values.iter().find(|&&v| !live[v.0 as usize]) {
            return Err(format!("v{} is dead", v.0));
        }
    }
    Ok(())
}

/// [`Property::Fused`].
fn fused(f: &Func) -> Result<(), String> {
    let entry = f.entry();
    for &block in &f.order {
        let b = f.block(block);
        if b.kind != BlockKind::Plain {
            continue;
        }
        let succ = b.succs[0];
        if succ != block && succ != entry && f.block(succ).preds.len() == 1 {
            return Err(format!("b{} could absorb b{}", block.0, succ.0));
        }
    }
    Ok(())
}

/// [`Property::NoTrivialPhis`].
fn no_trivial_phis(f: &Func) -> Result<(), String> {
    for &block in &f.order {
        for &v in &f.block(block).values {
            let value = f.value(v);
            if value.op != Op::Phi {
                break;
            }
            let mut others = value
                .args
                .iter()
                .map(|&arg| resolve(f, arg))
                .filter(|&arg| arg != v);
            let first = others.next();
            if others.all(|arg| Some(arg) == first) {
                return Err(format!("phi v{} is trivial", v.0));
            }
        }
    }
    Ok(())
}

/// [`Property::NoCopies`].
fn no_copies(f: &Func) -> Result<(), String> {
    for &block in &f.order {
        if let Some(&v) = f
            .block(block)
            .values
            .iter()
            .find(|&&v| f.value(v).op == Op::Copy)
        {
            return Err(format!("v{} is a copy", v.0));
        }
    }
    Ok(())
}

/// [`Property::NoCriticalPhiEdges`].
fn no_critical_phi_edges(f: &Func) -> Result<(), String> {
    for &block in &f.order {
        let b = f.block(block);
        let has_phis = b.values.first().is_some_and(|&v| f.value(v).op == Op::Phi);
        if !has_phis || b.preds.len() < 2 {
            continue;
        }
        if let Some(pred) = b.preds.iter().find(|&&p| f.block(p).succs.len() > 1) {
            return Err(format!(
                "edge b{} → b{} is critical and b{1} has phis",
                pred.0, block.0
            ));
        }
    }
    Ok(())
}

/// [`Property::LaidOut`].
fn laid_out(f: &Func) -> Result<(), String> {
    let mut first_exit = None;
    for &block in &f.order[1..] {
        let is_exit = match f.block(block).kind {
            BlockKind::Exit => true,
            BlockKind::Plain | BlockKind::If | BlockKind::IfCmp(_) | BlockKind::Ret => false,
        };
        match (is_exit, first_exit) {
            (true, None) => first_exit = Some(block),
            (false, Some(exit)) => {
                return Err(format!(
                    "b{} is laid out after the panic block b{}",
                    block.0, exit.0
                ));
            }
            (true, Some(_)) | (false, None) => {}
        }
    }
    Ok(())
}

/// [`Property::Allocated`].
fn allocated(f: &Func, place: &Placement) -> Result<(), String> {
    if f.locs.len() != f.values.len() {
        return Err(format!(
            "{} locations for {} values",
            f.locs.len(),
            f.values.len()
        ));
    }
    // The registers allocation hands out: the caller-saved ones that carry arguments, and
    // the callee-saved ones; never the scratch registers or the stack pointer.
    let allocatable = |reg: u8| abi::REGS.contains(&reg) || regalloc::CALLEE_SAVED.contains(&reg);
    for (idx, loc) in f.locs.iter().enumerate() {
        let v = ValueId(idx as u32);
        if place.value(v).is_none() {
            continue;
        }
        let value = f.value(v);
        match (*loc, regalloc::needs_loc(value.op)) {
            (None, true) if value.op != Op::Const => {
                return Err(format!("v{idx} has no location"));
            }
            (None, _) => {}
            (Some(_), false) => return Err(format!("v{idx} has a location but no word")),
            (Some(Loc::Reg(reg)), true) if !allocatable(reg) => {
                return Err(format!("v{idx} is in register {reg}, not allocatable"));
            }
            (Some(Loc::Reg(reg)), true) => {
                if regalloc::CALLEE_SAVED.contains(&reg) && !f.frame.saved.contains(&reg) {
                    return Err(format!("v{idx} is in register {reg}, which is not saved"));
                }
            }
            (Some(Loc::Slot(slot)), true) if slot >= f.frame.n_slots => {
                return Err(format!("v{idx} is in slot {slot} of {}", f.frame.n_slots));
            }
            (Some(Loc::Slot(_)), true) => {}
        }
    }
    // A constant without a location is written straight into the destination of each
    // copy of it: a phi's, a result's, a call argument's or a store's word, the trailing
    // operands below, or into a conditional move, which reads any operand as its emission
    // needs it (the rule of regalloc's `rematerialized`). Every other operand needs a
    // location.
    for &block in &f.order {
        let b = f.block(block);
        if let Some(control) = b.control
            && f.locs[control.0 as usize].is_none()
            && regalloc::needs_loc(f.value(control).op)
        {
            return Err(format!(
                "b{} is controlled by v{}, which has no location",
                block.0, control.0
            ));
        }
        for &v in &b.values {
            let value = f.value(v);
            let copied = match value.op {
                Op::Phi
                | Op::SetResult
                | Op::StaticCall
                | Op::CondSelect
                | Op::CMov
                | Op::CMovTest => value.args.len(),
                Op::ClosureCall => value.args.len() - 1,
                Op::Store | Op::Store8 | Op::StoreIdx8 | Op::Store8Idx1 => 1,
                _ => 0,
            };
            let operands = &value.args[..value.args.len() - copied];
            if let Some(&arg) = operands
                .iter()
                .find(|&&arg| f.locs[arg.0 as usize].is_none())
            {
                return Err(format!("v{} uses v{}, which has no location", v.0, arg.0));
            }
        }
    }
    locations_apart(f)
}

/// A set of values, one bit each. The verifier keeps its own liveness rather than
/// regalloc's, so that a mistake there cannot hide itself here.
#[derive(Clone, PartialEq)]
struct ValueSet(Vec<u64>);

impl ValueSet {
    fn new(n: usize) -> ValueSet {
        ValueSet(vec![0; n.div_ceil(64)])
    }
    fn insert(&mut self, v: ValueId) {
        self.0[v.0 as usize / 64] |= 1 << (v.0 % 64);
    }
    fn remove(&mut self, v: ValueId) {
        self.0[v.0 as usize / 64] &= !(1 << (v.0 % 64));
    }
    fn union(&mut self, other: &ValueSet) {
        for (word, other) in self.0.iter_mut().zip(&other.0) {
            *word |= other;
        }
    }
    fn iter(&self) -> impl Iterator<Item = ValueId> + '_ {
        self.0.iter().enumerate().flat_map(|(idx, &word)| {
            (0..64)
                .filter(move |bit| word & (1 << bit) != 0)
                .map(move |bit| ValueId((idx * 64 + bit) as u32))
        })
    }
}

/// Checks that no two values hold one location at once, by exact liveness rather than the
/// allocator's hulls (a value and the phi it is copied into may share a register, where
/// the phi is dead while the value lives): at each definition, no other value live after it
/// has its location; at the end of a block, no value live into a successor has the location
/// of one of the successor's phis, which the copies there write; and the values defined on
/// entry (register arguments, the closure pointer) are apart.
fn locations_apart(f: &Func) -> Result<(), String> {
    let n = f.values.len();
    let loc = |v: ValueId| f.locs[v.0 as usize];
    let mut live_in = vec![ValueSet::new(n); f.blocks.len()];
    // What is live at the end of `block`: its control, the arguments of its successors'
    // phis that come from it, and what is live into its successors (their phis excepted).
    let live_out = |live_in: &[ValueSet], block: BlockId| {
        let b = f.block(block);
        let mut live = ValueSet::new(n);
        if let Some(control) = b.control.filter(|&control| loc(control).is_some()) {
            live.insert(control);
        }
        for &succ in &b.succs {
            live.union(&live_in[succ.0 as usize]);
            let s = f.block(succ);
            let from = s.preds.iter().position(|&pred| pred == block);
            for &phi in s.values.iter().take_while(|&&v| f.value(v).op == Op::Phi) {
                let arg = f.value(phi).args[from.expect("edges are mirrored")];
                if loc(arg).is_some() {
                    live.insert(arg);
                }
            }
        }
        live
    };
    // Walks `block` backward from what is live at its end; `at_def` sees each definition
    // with what is live after it.
    let walk = |block: BlockId,
                mut live: ValueSet,
                at_def: &mut dyn FnMut(ValueId, &ValueSet) -> Result<(), String>| {
        for &v in f.block(block).values.iter().rev() {
            let value = f.value(v);
            if value.op == Op::Phi {
                live.remove(v);
                continue;
            }
            if loc(v).is_some() || value.op.is_call() {
                at_def(v, &live)?;
            }
            // Values defined on entry stay live up to its start, where emission sets them.
            if !regalloc::entry_defined(value) {
                live.remove(v);
            }
            for &arg in &value.args {
                if loc(arg).is_some() {
                    live.insert(arg);
                }
            }
        }
        Ok::<ValueSet, String>(live)
    };
    let mut ptrs = Vec::new();
    regalloc::stackmap::pointers(f, &mut ptrs);
    let mut changed = true;
    while changed {
        changed = false;
        for &block in f.order.iter().rev() {
            let live = walk(block, live_out(&live_in, block), &mut |_, _| Ok(()))?;
            if live != live_in[block.0 as usize] {
                live_in[block.0 as usize] = live;
                changed = true;
            }
        }
    }
    let clash = |v: ValueId, u: ValueId, place: &str| {
        Err(format!(
            "v{} and v{} are both in {:?} {place}",
            v.0,
            u.0,
            loc(v).expect("located")
        ))
    };
    for &block in &f.order {
        let b = f.block(block);
        for &succ in &b.succs {
            let s = f.block(succ);
            for &phi in s.values.iter().take_while(|&&v| f.value(v).op == Op::Phi) {
                let through = live_in[succ.0 as usize].iter();
                if let Some(u) = through
                    .filter(|&u| u != phi)
                    .find(|&u| loc(phi).is_some() && loc(u) == loc(phi))
                {
                    return clash(phi, u, &format!("at the end of b{}", block.0));
                }
            }
        }
        walk(block, live_out(&live_in, block), &mut |v, live| {
            if f.value(v).op.is_call() {
                return stack_map_exact(f, v, live, &ptrs);
            }
            match live.iter().find(|&u| u != v && loc(u) == loc(v)) {
                Some(u) => clash(v, u, "where the first is defined"),
                None => Ok(()),
            }
        })?;
    }
    let calls = f
        .order
        .iter()
        .flat_map(|&block| &f.block(block).values)
        .filter(|&&v| f.value(v).op.is_call());
    let mut maps = f.stack_maps.maps.iter().peekable();
    for &call in calls {
        maps.next_if(|map| map.call == call);
    }
    if let Some(map) = maps.next() {
        return Err(format!(
            "the stack map of v{} is out of the calls' order",
            map.call.0
        ));
    }
    let on_entry: Vec<ValueId> = live_in[f.entry().0 as usize].iter().collect();
    for (idx, &v) in on_entry.iter().enumerate() {
        if let Some(&u) = on_entry[idx + 1..].iter().find(|&&u| loc(u) == loc(v)) {
            return clash(v, u, "on entry");
        }
    }
    Ok(())
}

/// Checks that the stack map of `call` names exactly the locations of the pointers
/// `live` across it (`ptrs`): each callee-saved register and slot that holds one, and no
/// other location.
fn stack_map_exact(f: &Func, call: ValueId, live: &ValueSet, ptrs: &[bool]) -> Result<(), String> {
    let mut regs = 0u16;
    let mut slots = Vec::new();
    for u in live.iter().filter(|u| ptrs[u.0 as usize]) {
        match f.locs[u.0 as usize] {
            Some(Loc::Reg(reg)) if regalloc::CALLEE_SAVED.contains(&reg) => regs |= 1 << reg,
            Some(Loc::Reg(reg)) => {
                return Err(format!(
                    "v{} is live across v{} in register {reg}, which the call clobbers",
                    u.0, call.0
                ));
            }
            Some(Loc::Slot(slot)) => slots.push(slot),
            None => {
                return Err(format!(
                    "v{} is live across v{} without a location",
                    u.0, call.0
                ));
            }
        }
    }
    slots.sort_unstable();
    slots.dedup();
    let maps = &f.stack_maps;
    let (map_regs, map_slots) = match maps.maps.iter().find(|map| map.call == call) {
        Some(map) => (map.regs, maps.slots_of(map)),
        None => (0, &[][..]),
    };
    if (map_regs, map_slots) != (regs, &slots[..]) {
        return Err(format!(
            "the stack map of v{} has registers {map_regs:#x} and slots {map_slots:?}, \
             where its live pointers are in {regs:#x} and {slots:?}",
            call.0
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
