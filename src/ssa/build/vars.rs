//! Where Toy variables live, and their declaration, reads and writes.
//!
//! Every Toy value is the words its type gives (`TypeTable::words`: a `string` is pointer
//! and length, a slice pointer, length and capacity), so a variable is as many SSA
//! variables. A local variable lives in SSA variables unless a function
//! literal captures it *and* it is assigned after its declaration (`boxed`); such a variable
//! lives in a heap cell, and the SSA variable holds the cell's address. A captured variable
//! that is never assigned is copied into the closure (Go's capture-by-value rule, which is
//! unobservable because nothing can change it). That choice is the environment layout a
//! parent hands to each closure it creates ([`super::Unit::Func`]'s `env`). A name that is
//! not local is a package-level variable, read and written through its symbol.

use crate::ssa::func::{Runtime, Sym, ValueId};
use crate::ssa::op::Op;
use crate::types::ObjId;
use crate::types::ty::TypeId;

use super::{Builder, Words};

/// Where a variable lives.
#[derive(Clone, Copy, Debug)]
pub(super) enum VarLoc {
    /// In SSA variables `var..var + n`.
    Ssa { var: u32, n: u32 },
    /// In a heap cell of `n` words whose address is SSA variable `var`.
    Cell { var: u32, n: u32 },
    /// In a package-level variable.
    Global,
}

impl<'a> Builder<'a> {
    /// Declares local variable `obj` with initial value `init`.
    pub(super) fn declare(&mut self, obj: ObjId, init: &[ValueId]) {
        let n = init.len() as u32;
        if self.boxed.contains(&obj) {
            let var = self.new_var(1);
            let typ = self.alloc_type(self.info.obj(obj).ty);
            let cell = self.alloc(n, typ);
            for (idx, &word) in init.iter().enumerate() {
                self.value(Op::Store, 8 * idx as i64, &[cell, word]);
            }
            self.write(var, cell);
            self.vars.insert(obj, VarLoc::Cell { var, n });
        } else {
            let var = self.new_var(n);
            for (idx, &word) in init.iter().enumerate() {
                self.write(var + idx as u32, word);
            }
            self.vars.insert(obj, VarLoc::Ssa { var, n });
        }
    }

    /// Moves cell variable `obj` to a new cell holding its current value: the next
    /// iteration's copy of a loop variable.
    pub(super) fn fresh_cell(&mut self, obj: ObjId) {
        let words = self.read_obj(obj);
        let VarLoc::Cell { var, n } = self.var_loc(obj) else {
            unreachable!("only variables in cells need a fresh copy");
        };
        let typ = self.alloc_type(self.info.obj(obj).ty);
        let cell = self.alloc(n, typ);
        for (idx, &word) in words.iter().enumerate() {
            self.value(Op::Store, 8 * idx as i64, &[cell, word]);
        }
        self.write(var, cell);
    }

    /// Allocates `n_words` zeroed words of the type whose descriptor `typ` is (none if
    /// they hold no pointers).
    pub(super) fn alloc(&mut self, n_words: u32, typ: Option<Sym>) -> ValueId {
        let size = self.constant(8 * i64::from(n_words));
        let typ = self.descriptor(typ);
        self.call_runtime(Runtime::Alloc, &[size, typ])[0]
    }

    /// Returns the address of descriptor `typ`, or 0 (nil) for none.
    pub(super) fn descriptor(&mut self, typ: Option<Sym>) -> ValueId {
        match typ {
            Some(sym) => self.addr(sym),
            None => self.constant(0),
        }
    }

    /// Returns the word the allocator is told for a value of type `ty`: the address of its
    /// descriptor, or 0 if it holds no pointers.
    pub(super) fn type_word(&mut self, ty: TypeId) -> ValueId {
        let typ = self.alloc_type(ty);
        self.descriptor(typ)
    }

    /// Returns the descriptor the allocator is told for a value of type `ty`: none if it
    /// holds no pointers.
    pub(super) fn alloc_type(&self, ty: TypeId) -> Option<Sym> {
        self.info.types.has_pointers(ty).then_some(Sym::Type(ty))
    }

    pub(super) fn zero(&mut self, n: u32) -> Words {
        let zero = self.constant(0);
        (0..n).map(|_| zero).collect()
    }

    pub(super) fn var_loc(&mut self, obj: ObjId) -> VarLoc {
        if let Some(&loc) = self.vars.get(&obj) {
            return loc;
        }
        VarLoc::Global
    }

    pub(super) fn read_obj(&mut self, obj: ObjId) -> Words {
        match self.var_loc(obj) {
            VarLoc::Ssa { var, n } => (0..n).map(|idx| self.read(var + idx)).collect(),
            VarLoc::Cell { var, .. } => {
                let cell = self.read(var);
                self.load_words(cell, self.info.obj(obj).ty)
            }
            VarLoc::Global => {
                let addr = self.addr(Sym::Global(obj));
                self.load_words(addr, self.info.obj(obj).ty)
            }
        }
    }

    pub(super) fn write_obj(&mut self, obj: ObjId, words: &[ValueId]) {
        match self.var_loc(obj) {
            VarLoc::Ssa { var, .. } => {
                for (idx, &word) in words.iter().enumerate() {
                    self.write(var + idx as u32, word);
                }
            }
            VarLoc::Cell { var, .. } => {
                let cell = self.read(var);
                for (idx, &word) in words.iter().enumerate() {
                    self.value(Op::Store, 8 * idx as i64, &[cell, word]);
                }
            }
            VarLoc::Global => {
                let addr = self.addr(Sym::Global(obj));
                for (idx, &word) in words.iter().enumerate() {
                    self.value(Op::Store, 8 * idx as i64, &[addr, word]);
                }
            }
        }
    }
}
