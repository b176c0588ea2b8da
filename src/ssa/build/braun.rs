//! SSA variables, blocks and phis, by Braun et al.'s "Simple and Efficient Construction of
//! SSA Form" (CC 2013): the layer every other part of the builder emits through.
//!
//! Variables are read and written per block while the body is walked once; a block whose
//! predecessors are not all known yet ("unsealed") gets placeholder phis that are completed
//! when it is sealed. A phi that a sealed join would need is only listed if it is not
//! trivial or something read it while its arguments were read: a join whose predecessors
//! all hold the same value, the common case after an `if`, gets that value and no phi.
//! Other trivial phis (placeholders, and phis on cycles) are left for the `phielim` pass,
//! as Go leaves them. The phi left out still takes its value number, so the numbering, and
//! with it the code, is the same as if `phielim` had removed it.
//!
//! An SSA variable here is a number (`new_var`), one per word of a Toy variable or of a
//! temporary; `vars` maps Toy variables onto them.

use crate::ssa::func::{BlockId, Sym, ValueId};
use crate::ssa::op::{BlockKind, Op};

use super::Builder;

/// The state of a value as a candidate phi of a sealed join (`Builder::read_var`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum JoinPhi {
    /// Not a phi whose arguments are being read.
    Not,
    /// A phi whose arguments are being read, which no read has returned yet.
    Open,
    /// A phi whose arguments are being read, returned by a read on a cycle through its
    /// block: it may be an argument somewhere, so it stays.
    Used,
}

/// Returns the key of `Builder::defs` for a variable and a block: one word, which hashes in
/// one step where a pair takes two.
fn def_key(var: u32, block: BlockId) -> u64 {
    u64::from(var) << 32 | u64::from(block.0)
}

impl<'a> Builder<'a> {
    pub(super) fn new_block(&mut self) -> BlockId {
        self.sealed.push(false);
        self.f.new_block()
    }

    pub(super) fn value(&mut self, op: Op, aux: i64, args: &[ValueId]) -> ValueId {
        let block = self.cur.expect("code is reachable");
        self.f.new_value(block, op, aux, args)
    }

    /// Emits a `Load`, `Arg` or `LoadResult`, a word whose type says whether it is a
    /// pointer (`Value::ptr`).
    pub(super) fn typed_value(&mut self, op: Op, aux: i64, args: &[ValueId], ptr: bool) -> ValueId {
        let v = self.value(op, aux, args);
        self.f.values[v.0 as usize].ptr = ptr;
        v
    }

    pub(super) fn constant(&mut self, value: i64) -> ValueId {
        // Constants go to the entry block, so one definition dominates every use.
        if let Some(&v) = self.consts.get(&value) {
            return v;
        }
        let entry = self.f.order[0];
        let v = self.f.new_value_detached(entry, Op::Const, value, &[]);
        self.f.blocks[entry.0 as usize].values.insert(0, v);
        self.consts.insert(value, v);
        v
    }

    pub(super) fn addr(&mut self, sym: Sym) -> ValueId {
        let idx = self.f.sym(sym);
        self.value(Op::Addr, idx, &[])
    }

    pub(super) fn new_var(&mut self, n: u32) -> u32 {
        let var = self.n_vars;
        self.n_vars += n;
        var
    }

    fn write_var(&mut self, var: u32, block: BlockId, v: ValueId) {
        self.defs.insert(def_key(var, block), v);
    }

    fn read_var(&mut self, var: u32, block: BlockId) -> ValueId {
        if let Some(&v) = self.defs.get(&def_key(var, block)) {
            if let Some(state @ JoinPhi::Open) = self.join_phis.get_mut(v.0 as usize) {
                *state = JoinPhi::Used;
            }
            return v;
        }
        let v = if !self.sealed[block.0 as usize] {
            let phi = self.new_phi(block);
            self.incomplete.entry(block).or_default().push((var, phi));
            phi
        } else {
            let preds = &self.f.block(block).preds;
            match preds.len() {
                0 => self.constant(0),
                1 => {
                    let pred = preds[0];
                    self.read_var(var, pred)
                }
                _ => self.join_phi(var, block),
            }
        };
        self.write_var(var, block, v);
        v
    }

    /// Returns the value of `var` at the start of `block`, a sealed join: a new phi, or the
    /// one value all predecessors hold if that phi would be trivial and nothing read it
    /// while its arguments were read (so its only reference is `defs`, which is rewritten).
    fn join_phi(&mut self, var: u32, block: BlockId) -> ValueId {
        let phi = self.f.new_value_detached(block, Op::Phi, 0, &[]);
        let idx = phi.0 as usize;
        if self.join_phis.len() <= idx {
            self.join_phis.resize(idx + 1, JoinPhi::Not);
        }
        self.join_phis[idx] = JoinPhi::Open;
        self.write_var(var, block, phi);
        self.add_phi_args(var, phi);
        let used = std::mem::replace(&mut self.join_phis[idx], JoinPhi::Not) == JoinPhi::Used;
        let args = &self.f.value(phi).args;
        if !used && args.iter().all(|&arg| arg == args[0]) {
            return args[0];
        }
        // Nothing else went into this block during the reads (they only reach other
        // blocks, or this one's `defs`), so the phi is listed where it would have been
        // listed before them.
        self.f.blocks[block.0 as usize].values.insert(0, phi);
        phi
    }

    fn new_phi(&mut self, block: BlockId) -> ValueId {
        let phi = self.f.new_value_detached(block, Op::Phi, 0, &[]);
        self.f.blocks[block.0 as usize].values.insert(0, phi);
        phi
    }

    fn add_phi_args(&mut self, var: u32, phi: ValueId) {
        let block = self.f.value(phi).block;
        let preds = self.f.block(block).preds.clone();
        for pred in preds {
            let arg = self.read_var(var, pred);
            self.f.values[phi.0 as usize].args.push(arg);
        }
    }

    pub(super) fn seal(&mut self, block: BlockId) {
        if let Some(pending) = self.incomplete.remove(&block) {
            for (var, phi) in pending {
                self.add_phi_args(var, phi);
            }
        }
        self.sealed[block.0 as usize] = true;
    }

    pub(super) fn read(&mut self, var: u32) -> ValueId {
        let block = self.cur.expect("code is reachable");
        self.read_var(var, block)
    }

    pub(super) fn write(&mut self, var: u32, v: ValueId) {
        let block = self.cur.expect("code is reachable");
        self.write_var(var, block, v);
    }

    pub(super) fn jump(&mut self, to: BlockId) {
        if let Some(block) = self.cur.take() {
            self.f.blocks[block.0 as usize].kind = BlockKind::Plain;
            self.f.add_edge(block, to);
        }
    }

    pub(super) fn branch(&mut self, cond: ValueId, then: BlockId, els: BlockId) {
        let block = self.cur.take().expect("code is reachable");
        let b = &mut self.f.blocks[block.0 as usize];
        b.kind = BlockKind::If;
        b.control = Some(cond);
        self.f.add_edge(block, then);
        self.f.add_edge(block, els);
    }

    /// Makes `block` current if any edge reaches it, else leaves the code unreachable.
    pub(super) fn reach(&mut self, block: BlockId) {
        self.cur = if self.f.block(block).preds.is_empty() {
            None
        } else {
            Some(block)
        };
    }
}
