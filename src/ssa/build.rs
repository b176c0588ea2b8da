//! SSA construction: one checked function body to an `ssa::Func`, as Go's `ssagen` does.
//!
//! The algorithm is Braun et al.'s "Simple and Efficient Construction of SSA Form" (CC 2013):
//! variables are read and written per block while the body is walked once; a block whose
//! predecessors are not all known yet ("unsealed") gets placeholder phis that are completed
//! when it is sealed. A phi that a sealed join would need is only listed if it is not
//! trivial or something read it while its arguments were read: a join whose predecessors
//! all hold the same value, the common case after an `if`, gets that value and no phi.
//! Other trivial phis (placeholders, and phis on cycles) are left for the `phielim` pass,
//! as Go leaves them. The phi left out still takes its value number, so the numbering, and
//! with it the code, is the same as if `phielim` had removed it.
//!
//! Every Toy value is one or two words (`string` is pointer and length), so a variable is
//! one or two SSA variables. A local variable lives in SSA variables unless a function
//! literal captures it *and* it is assigned after its declaration; such a variable lives in
//! a heap cell, and the SSA variable holds the cell's address. A captured variable that is
//! never assigned is copied into the closure (Go's capture-by-value rule, which is
//! unobservable because nothing can change it). That choice is the environment layout a
//! parent hands to each closure it creates ([`Unit::Func`]'s `env`).
//!
//! Run-time checks are explicit control flow here: a divisor compared with zero, a shift
//! count with zero, a function value with nil, each branching to a block that calls the
//! runtime's panic and never returns (`BlockKind::Exit`).
//!
//! Input: a body the checker accepted (no error reported). Output: a `Func` whose blocks
//! are all reachable from the entry or unreachable ones that `deadcode` removes, plus the
//! closures the body creates, as new units of work.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;

use crate::ssa::abi::Convention;
use crate::ssa::func::{BlockId, Func, Runtime, Sym, ValueId};
use crate::ssa::op::{BlockKind, Op};
use crate::syntax::ast::{
    self, BinOp, Block, Expr, ExprKind, ForHeader, Stmt, Symbol, UnOp, VarSpec,
};
use crate::syntax::walk::{self, Node};
use crate::types::constant::ConstValue;
use crate::types::object::{Builtin, FuncNode, ObjKind};
use crate::types::ty::{self, TypeId};
use crate::types::{FuncId, Info, ObjId};

/// A unit of work for the back end: one function to compile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A top-level function (empty `env`) or a function literal.
    Func {
        /// Which function.
        func: FuncId,
        /// How the closure object holds each captured variable, in `FuncInfo::captures`
        /// order after the code pointer.
        env: Vec<Capture>,
    },
    /// `main.init`: initializes the package-level variables in `Info::init_order`.
    Init,
}

/// How a closure holds one captured variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capture {
    /// The variable.
    pub obj: ObjId,
    /// True if the closure holds the address of the variable's heap cell, false if it holds
    /// a copy of its value.
    pub by_ref: bool,
}

/// The words of one Toy value: one, or two for a string, or several for a call's results.
type Words = SmallVec<[ValueId; 4]>;

/// Where a variable lives.
#[derive(Clone, Copy, Debug)]
enum VarLoc {
    /// In SSA variables `var..var + n`.
    Ssa { var: u32, n: u32 },
    /// In a heap cell of `n` words whose address is SSA variable `var`.
    Cell { var: u32, n: u32 },
    /// In a package-level variable of `n` words.
    Global { n: u32 },
}

/// How a loop advances.
enum Iteration {
    /// A three-clause loop, with its variables that live in cells.
    Clause { cells: Vec<ObjId> },
    /// `range n`, with the hidden counter variable.
    Range { n: ValueId, counter: u32 },
}

/// Where `break` and `continue` go.
struct Target {
    label: Option<Symbol>,
    brk: BlockId,
    cont: Option<BlockId>,
}

/// The state of one function's construction.
struct Builder<'a> {
    program: &'a Program<'a>,
    file: &'a ast::File,
    info: &'a Info,
    f: Func,
    cur: Option<BlockId>,
    vars: FxHashMap<ObjId, VarLoc>,
    n_vars: u32,
    /// Per SSA variable and block (`def_key`): the variable's value at the block's end.
    defs: FxHashMap<u64, ValueId>,
    sealed: Vec<bool>,
    /// Per value (indexed by `ValueId`, grown as phis are made): the state of a phi of a
    /// sealed join while its arguments are read.
    join_phis: Vec<JoinPhi>,
    incomplete: FxHashMap<BlockId, Vec<(u32, ValueId)>>,
    targets: Vec<Target>,
    /// Variables of this function that closures capture and that are assigned: they live
    /// in heap cells.
    boxed: FxHashSet<ObjId>,
    /// The captures of this function's own closure, if it is a literal.
    env: FxHashMap<ObjId, bool>,
    closures: Vec<Unit>,
    consts: FxHashMap<i64, ValueId>,
    result_tys: Vec<TypeId>,
    /// Results of calls (and `&&`/`||`) made ahead of the rest of their statement.
    hoisted: FxHashMap<ast::NodeId, Words>,
    /// The function being built, if it is not `main.init`.
    this: Option<FuncId>,
    /// Set while the body of an inlined call is built: where its `return`s go.
    inlining: Option<Inlining>,
    /// Set while the body of an inlined top-level function is built: the closures it
    /// creates are that function's units, compiled with it, not this function's.
    in_inlined_decl: bool,
    /// Closures made here, by value: a call of one is replaced with the literal's body.
    known: FxHashMap<ValueId, Known>,
    /// How many inlined literal bodies enclose the code being built.
    lit_depth: u32,
}

/// The state of a value as a candidate phi of a sealed join (`Builder::read_var`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum JoinPhi {
    /// Not a phi whose arguments are being read.
    Not,
    /// A phi whose arguments are being read, which no read has returned yet.
    Open,
    /// A phi whose arguments are being read, returned by a read on a cycle through its
    /// block: it may be an argument somewhere, so it stays.
    Used,
}

/// A closure value whose literal and captured words are known where it is called.
#[derive(Clone)]
struct Known {
    func: FuncId,
    env: Vec<Capture>,
    /// The captured words, in `env` order: a cell's address for a capture by reference.
    words: Words,
}

/// Where the `return` statements of an inlined body go.
#[derive(Clone, Copy)]
struct Inlining {
    /// The block after the inlined body.
    exit: BlockId,
    /// The SSA variables holding the result words.
    results: u32,
}

/// The largest body, in bytes of source from the name to the closing brace, that a call
/// may be replaced with: small leaf-like functions, as Go's inliner budget picks them.
pub(crate) const INLINE_MAX_BYTES: u32 = 240;

/// How deeply inlined literal bodies may nest: a literal calling a closure it captured,
/// which calls another.
const INLINE_MAX_LIT_DEPTH: u32 = 3;

/// Builds the SSA form of `unit` and returns it with the closures it creates.
pub fn build(program: &Program<'_>, unit: &Unit) -> (Func, Vec<Unit>) {
    // Sized from the source so that the tables rarely grow: about one value per eight
    // bytes of source, one definition per four, one variable per thirty-two, one block per
    // sixty-four.
    let bytes = match unit {
        Unit::Func { func, .. } => {
            let span = program.span(*func);
            (span.hi - span.lo) as usize
        }
        Unit::Init => 0,
    };
    let mut builder = Builder {
        program,
        file: program.file,
        info: program.info,
        f: Func::with_capacity(bytes / 8, bytes / 64),
        cur: None,
        vars: FxHashMap::with_capacity_and_hasher(bytes / 32, Default::default()),
        n_vars: 0,
        defs: FxHashMap::with_capacity_and_hasher(bytes / 4, Default::default()),
        sealed: Vec::new(),
        join_phis: Vec::new(),
        incomplete: FxHashMap::default(),
        targets: Vec::new(),
        boxed: FxHashSet::default(),
        env: FxHashMap::default(),
        closures: Vec::new(),
        consts: FxHashMap::default(),
        result_tys: Vec::new(),
        hoisted: FxHashMap::default(),
        this: None,
        inlining: None,
        in_inlined_decl: false,
        known: FxHashMap::default(),
        lit_depth: 0,
    };
    let entry = builder.new_block();
    builder.seal(entry);
    builder.f.order.push(entry);
    builder.cur = Some(entry);
    match unit {
        Unit::Func { func, env } => builder.func(*func, env),
        Unit::Init => builder.init(),
    }
    if let Some(block) = builder.cur.take() {
        builder.f.blocks[block.0 as usize].kind = BlockKind::Ret;
    }
    let mut f = builder.f;
    // Blocks were created in walk order; list every one so `deadcode` can drop the
    // unreachable ones.
    f.order = (0..f.blocks.len() as u32).map(BlockId).collect();
    (f, builder.closures)
}

/// Returns the key of `Builder::defs` for a variable and a block: one word, which hashes in
/// one step where a pair takes two.
fn def_key(var: u32, block: BlockId) -> u64 {
    u64::from(var) << 32 | u64::from(block.0)
}

/// Returns the number of words a value of type `ty` takes.
pub fn words(ty: TypeId) -> u32 {
    if ty::is_string(ty) { 2 } else { 1 }
}

impl<'a> Builder<'a> {
    fn new_block(&mut self) -> BlockId {
        self.sealed.push(false);
        self.f.new_block()
    }

    fn value(&mut self, op: Op, aux: i64, args: &[ValueId]) -> ValueId {
        let block = self.cur.expect("code is reachable");
        self.f.new_value(block, op, aux, args)
    }

    fn constant(&mut self, value: i64) -> ValueId {
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

    fn addr(&mut self, sym: Sym) -> ValueId {
        let idx = self.f.sym(sym);
        self.value(Op::Addr, idx, &[])
    }

    /// Returns the words of a constant string. The unit keeps the checker's bytes, shared
    /// (a constant used in many functions is never copied per use).
    fn string_lit(&mut self, bytes: &Arc<[u8]>) -> Words {
        if bytes.is_empty() {
            let zero = self.constant(0);
            return SmallVec::from_slice(&[zero, zero]);
        }
        let same = |s: &Arc<[u8]>| Arc::ptr_eq(s, bytes) || **s == **bytes;
        let idx = match self.f.strings.iter().position(same) {
            Some(idx) => idx,
            None => {
                self.f.strings.push(Arc::clone(bytes));
                self.f.strings.len() - 1
            }
        };
        let ptr = self.addr(Sym::Str(idx as u32));
        let len = self.constant(bytes.len() as i64);
        SmallVec::from_slice(&[ptr, len])
    }

    // ---- SSA variables (Braun et al.) ----

    fn new_var(&mut self, n: u32) -> u32 {
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

    fn seal(&mut self, block: BlockId) {
        if let Some(pending) = self.incomplete.remove(&block) {
            for (var, phi) in pending {
                self.add_phi_args(var, phi);
            }
        }
        self.sealed[block.0 as usize] = true;
    }

    fn read(&mut self, var: u32) -> ValueId {
        let block = self.cur.expect("code is reachable");
        self.read_var(var, block)
    }

    fn write(&mut self, var: u32, v: ValueId) {
        let block = self.cur.expect("code is reachable");
        self.write_var(var, block, v);
    }

    // ---- control flow ----

    fn jump(&mut self, to: BlockId) {
        if let Some(block) = self.cur.take() {
            self.f.blocks[block.0 as usize].kind = BlockKind::Plain;
            self.f.add_edge(block, to);
        }
    }

    fn branch(&mut self, cond: ValueId, then: BlockId, els: BlockId) {
        let block = self.cur.take().expect("code is reachable");
        let b = &mut self.f.blocks[block.0 as usize];
        b.kind = BlockKind::If;
        b.control = Some(cond);
        self.f.add_edge(block, then);
        self.f.add_edge(block, els);
    }

    /// Ends the current block with a call to a runtime function that never returns.
    fn call_noreturn(&mut self, rt: Runtime, args: &[ValueId]) {
        self.call_runtime(rt, args);
        let block = self.cur.take().expect("code is reachable");
        self.f.blocks[block.0 as usize].kind = BlockKind::Exit;
    }

    /// Branches to a panic block calling `rt` when `cond` holds, and continues after it.
    fn check(&mut self, cond: ValueId, rt: Runtime) {
        let fail = self.new_block();
        let ok = self.new_block();
        self.branch(cond, fail, ok);
        self.seal(fail);
        self.seal(ok);
        self.cur = Some(fail);
        self.call_noreturn(rt, &[]);
        self.cur = Some(ok);
    }

    fn call_runtime(&mut self, rt: Runtime, args: &[ValueId]) -> Words {
        let (_, n_results) = rt.signature();
        let sym = self.f.sym(Sym::Runtime(rt));
        self.call(Op::StaticCall, sym, None, args, n_results)
    }

    fn call(
        &mut self,
        op: Op,
        sym: i64,
        callee: Option<ValueId>,
        args: &[ValueId],
        n_results: u32,
    ) -> Words {
        let call = match callee {
            Some(fv) => {
                let operands: Vec<ValueId> =
                    std::iter::once(fv).chain(args.iter().copied()).collect();
                self.value(op, 0, &operands)
            }
            None => self.value(op, sym, args),
        };
        let convention = Convention::of_call(&self.f, self.f.value(call));
        let out = convention.stack_words(args.len() as u32, n_results);
        self.f.out_words = self.f.out_words.max(out);
        (0..n_results)
            .map(|idx| self.value(Op::LoadResult, idx as i64, &[]))
            .collect()
    }

    // ---- variables ----

    fn type_of(&self, expr: &Expr) -> TypeId {
        self.info.type_of(expr.id)
    }

    fn words_of(&self, ty: TypeId) -> u32 {
        words(ty)
    }

    /// Declares local variable `obj` with initial value `init`.
    fn declare(&mut self, obj: ObjId, init: &[ValueId]) {
        let n = init.len() as u32;
        if self.boxed.contains(&obj) {
            let var = self.new_var(1);
            let cell = self.alloc(n);
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
    fn fresh_cell(&mut self, obj: ObjId) {
        let words = self.read_obj(obj);
        let VarLoc::Cell { var, n } = self.var_loc(obj) else {
            unreachable!("only variables in cells need a fresh copy");
        };
        let cell = self.alloc(n);
        for (idx, &word) in words.iter().enumerate() {
            self.value(Op::Store, 8 * idx as i64, &[cell, word]);
        }
        self.write(var, cell);
    }

    fn alloc(&mut self, n_words: u32) -> ValueId {
        let size = self.constant(8 * i64::from(n_words));
        self.call_runtime(Runtime::Alloc, &[size])[0]
    }

    fn zero(&mut self, n: u32) -> Words {
        let zero = self.constant(0);
        (0..n).map(|_| zero).collect()
    }

    fn var_loc(&mut self, obj: ObjId) -> VarLoc {
        if let Some(&loc) = self.vars.get(&obj) {
            return loc;
        }
        let n = self.words_of(self.info.obj(obj).ty);
        VarLoc::Global { n }
    }

    fn read_obj(&mut self, obj: ObjId) -> Words {
        match self.var_loc(obj) {
            VarLoc::Ssa { var, n } => (0..n).map(|idx| self.read(var + idx)).collect(),
            VarLoc::Cell { var, n } => {
                let cell = self.read(var);
                (0..n)
                    .map(|idx| self.value(Op::Load, 8 * i64::from(idx), &[cell]))
                    .collect()
            }
            VarLoc::Global { n } => {
                let addr = self.addr(Sym::Global(obj));
                (0..n)
                    .map(|idx| self.value(Op::Load, 8 * i64::from(idx), &[addr]))
                    .collect()
            }
        }
    }

    fn write_obj(&mut self, obj: ObjId, words: &[ValueId]) {
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
            VarLoc::Global { .. } => {
                let addr = self.addr(Sym::Global(obj));
                for (idx, &word) in words.iter().enumerate() {
                    self.value(Op::Store, 8 * idx as i64, &[addr, word]);
                }
            }
        }
    }

    // ---- functions ----

    fn func(&mut self, func: FuncId, env: &[Capture]) {
        let info = self.info;
        let func_info = &info.funcs[func.0 as usize];
        self.f.name = format!("main.{}", func_info.name);
        self.this = Some(func);
        let (sig, body) = self.program.syntax(func);
        let fty = info.types.func(func_info.ty).expect("a function type");
        self.f.arg_words = fty.params.iter().map(|&ty| words(ty)).sum();
        self.f.result_words = fty.results.iter().map(|&ty| words(ty)).sum();
        self.boxed = boxed_vars(info, func, body);

        if !env.is_empty() {
            let ctx = self.value(Op::ClosurePtr, 0, &[]);
            let mut off = 8;
            for capture in env {
                let n = self.words_of(info.obj(capture.obj).ty);
                self.env.insert(capture.obj, capture.by_ref);
                if capture.by_ref {
                    let var = self.new_var(1);
                    let cell = self.value(Op::Load, off, &[ctx]);
                    self.write(var, cell);
                    self.vars.insert(capture.obj, VarLoc::Cell { var, n });
                    off += 8;
                } else {
                    let var = self.new_var(n);
                    for idx in 0..n {
                        let word = self.value(Op::Load, off, &[ctx]);
                        self.write(var + idx, word);
                        off += 8;
                    }
                    self.vars.insert(capture.obj, VarLoc::Ssa { var, n });
                }
            }
        }

        self.result_tys = fty.results.clone();
        let mut arg = 0;
        for (param, &ty) in params(sig).zip(&fty.params) {
            let n = self.words_of(ty);
            let obj = param.and_then(|name| info.obj_of(name.id));
            if let Some(obj) = obj {
                let words: Words = (0..n)
                    .map(|idx| self.value(Op::Arg, i64::from(arg + idx), &[]))
                    .collect();
                self.declare(obj, &words);
            }
            arg += n;
        }
        self.block(body);
    }

    fn init(&mut self) {
        self.f.name = "main.init".to_string();
        let mut specs: FxHashMap<ObjId, (&'a VarSpec, usize)> = FxHashMap::default();
        for decl in &self.file.decls {
            if let ast::Decl::Var(group) = decl {
                for spec in group {
                    for (idx, name) in spec.names.iter().enumerate() {
                        if let Some(obj) = self.info.obj_of(name.id) {
                            specs.insert(obj, (spec, idx));
                        }
                    }
                }
            }
        }
        let mut done: FxHashSet<ObjId> = FxHashSet::default();
        for &obj in &self.info.init_order {
            if done.contains(&obj) {
                continue;
            }
            let Some(&(spec, idx)) = specs.get(&obj) else {
                continue;
            };
            if spec.values.is_empty() {
                continue;
            }
            if spec.values.len() == 1 && spec.names.len() > 1 {
                let words = self.expr(&spec.values[0]);
                let mut at = 0;
                for name in &spec.names {
                    if let Some(obj) = self.info.obj_of(name.id) {
                        let n = self.words_of(self.info.obj(obj).ty) as usize;
                        self.write_obj(obj, &words[at..at + n]);
                        done.insert(obj);
                        at += n;
                    } else {
                        at += 1;
                    }
                }
            } else {
                let words = self.expr_as(&spec.values[idx], self.info.obj(obj).ty);
                self.write_obj(obj, &words);
                done.insert(obj);
            }
        }
        // Blank package variables `var _ = f()` are evaluated too, in source order.
        for decl in &self.file.decls {
            if let ast::Decl::Var(group) = decl {
                for spec in group {
                    for (idx, name) in spec.names.iter().enumerate() {
                        if self.info.obj_of(name.id).is_none()
                            && spec.values.len() == spec.names.len()
                        {
                            self.expr(&spec.values[idx]);
                        }
                    }
                }
            }
        }
    }

    // ---- statements ----

    fn block(&mut self, block: &Block) {
        for stmt in &block.stmts {
            self.stmt(stmt, None);
        }
    }

    fn stmt(&mut self, stmt: &Stmt, label: Option<Symbol>) {
        if self.cur.is_none() {
            // Unreachable code: nothing to generate, but labels and closures inside it
            // still exist; closures are compiled only if created, which they are not.
            return;
        }
        match stmt {
            Stmt::Expr(expr) => {
                self.expr(expr);
            }
            Stmt::Var(specs) => {
                for spec in specs {
                    self.var_spec(spec);
                }
            }
            Stmt::Const(_) | Stmt::Empty | Stmt::Bad => {}
            Stmt::Define { lhs, rhs, .. } => self.assign(lhs, rhs, true),
            Stmt::Assign { lhs, op, rhs, .. } => match op {
                None => self.assign(lhs, rhs, false),
                Some(op) => {
                    let target = &lhs[0];
                    let ty = self.type_of(target);
                    // gc reads the target after the calls on the right.
                    self.hoist(&rhs[0]);
                    let old = self.eval(target);
                    let rhs_words = self.eval_as(&rhs[0], ty);
                    let new = self.binary_words(*op, ty, &old, &rhs_words, Some(&rhs[0]));
                    self.store(target, &new);
                }
            },
            Stmt::IncDec { target, inc, .. } => {
                let old = self.expr(target)[0];
                let one = self.constant(1);
                let new = self.value(if *inc { Op::Add } else { Op::Sub }, 0, &[old, one]);
                self.store(target, &[new]);
            }
            Stmt::Block(block) => self.block(block),
            Stmt::If(if_stmt) => {
                if let Some(init) = &if_stmt.init {
                    self.stmt(init, None);
                }
                // Without an `else`, the condition's false side goes straight to the join.
                let then = self.new_block();
                let els = if_stmt.els.as_ref().map(|_| self.new_block());
                let join = self.new_block();
                self.cond(&if_stmt.cond, then, els.unwrap_or(join));
                self.seal(then);
                if let Some(els) = els {
                    self.seal(els);
                }
                self.cur = Some(then);
                self.block(&if_stmt.then);
                self.jump(join);
                if let (Some(els), Some(els_stmt)) = (els, &if_stmt.els) {
                    self.cur = Some(els);
                    self.stmt(els_stmt, None);
                    self.jump(join);
                }
                self.seal(join);
                self.reach(join);
            }
            Stmt::For(for_stmt) => self.for_stmt(for_stmt, label),
            Stmt::Switch(switch) => self.switch(switch, label),
            Stmt::Return { results, .. } => self.ret(results),
            Stmt::Branch {
                is_break, label, ..
            } => {
                let name = label.map(|l| l.name);
                let target = self
                    .targets
                    .iter()
                    .rev()
                    .find(|t| match name {
                        Some(name) => t.label == Some(name),
                        None => *is_break || t.cont.is_some(),
                    })
                    .expect("the checker resolved the branch");
                let to = if *is_break {
                    target.brk
                } else {
                    target.cont.expect("a loop")
                };
                self.jump(to);
            }
            Stmt::Labeled { label, stmt } => self.stmt(stmt, Some(label.name)),
        }
    }

    /// Makes `block` current if any edge reaches it, else leaves the code unreachable.
    fn reach(&mut self, block: BlockId) {
        self.cur = if self.f.block(block).preds.is_empty() {
            None
        } else {
            Some(block)
        };
    }

    fn var_spec(&mut self, spec: &VarSpec) {
        let objs: Vec<Option<ObjId>> = spec
            .names
            .iter()
            .map(|name| self.info.obj_of(name.id))
            .collect();
        let mut values: Vec<Words> = Vec::new();
        if spec.values.len() == 1 && spec.names.len() > 1 {
            let words = self.expr(&spec.values[0]);
            let mut at = 0;
            for obj in &objs {
                let n = obj.map_or(1, |obj| self.words_of(self.info.obj(obj).ty)) as usize;
                values.push(SmallVec::from_slice(&words[at..at + n]));
                at += n;
            }
        } else if spec.values.is_empty() {
            for obj in &objs {
                let n = obj.map_or(1, |obj| self.words_of(self.info.obj(obj).ty));
                values.push(self.zero(n));
            }
        } else {
            let exprs: Vec<(&Expr, Option<TypeId>)> = spec
                .values
                .iter()
                .zip(&objs)
                .map(|(value, obj)| (value, obj.map(|obj| self.info.obj(obj).ty)))
                .collect();
            values = self.expr_list(&exprs);
        }
        for (obj, words) in objs.iter().zip(values) {
            if let Some(obj) = obj {
                self.declare(*obj, &words);
            }
        }
    }

    fn assign(&mut self, lhs: &[Expr], rhs: &[Expr], define: bool) {
        let mut values: Vec<Words> = Vec::new();
        if rhs.len() == 1 && lhs.len() > 1 {
            // The call's result types give each target its words: a blank target has no
            // type of its own.
            let results = self
                .tuple_types(&rhs[0])
                .expect("a call with several results");
            let words = self.expr(&rhs[0]);
            let mut at = 0;
            for ty in results {
                let n = self.words_of(ty) as usize;
                values.push(SmallVec::from_slice(&words[at..at + n]));
                at += n;
            }
        } else {
            let exprs: Vec<(&Expr, Option<TypeId>)> = rhs
                .iter()
                .zip(lhs)
                .map(|(value, target)| (value, self.target_type(target)))
                .collect();
            values = self.expr_list(&exprs);
        }
        for (target, words) in lhs.iter().zip(values) {
            let target = crate::types::check::unparen(target);
            let Some(obj) = self.info.obj_of(target.id) else {
                continue; // the blank identifier
            };
            // Each build of a declaration makes a new variable: an inlined body built twice
            // has two of each, and their cells must differ.
            if define && self.is_decl_site(obj, target) {
                self.declare(obj, &words);
            } else {
                self.write_obj(obj, &words);
            }
        }
    }

    fn is_decl_site(&self, obj: ObjId, target: &Expr) -> bool {
        self.info.obj(obj).span == target.span
    }

    fn target_type(&self, target: &Expr) -> Option<TypeId> {
        let target = crate::types::check::unparen(target);
        self.info.obj_of(target.id).map(|obj| self.info.obj(obj).ty)
    }

    fn store(&mut self, target: &Expr, words: &[ValueId]) {
        let target = crate::types::check::unparen(target);
        if let Some(obj) = self.info.obj_of(target.id) {
            self.write_obj(obj, words);
        }
    }

    fn ret(&mut self, results: &[Expr]) {
        let func_results: Vec<TypeId> = self.result_types();
        let mut words: Words = SmallVec::new();
        if results.len() == 1 && func_results.len() > 1 {
            words = self.expr(&results[0]);
        } else {
            let exprs: Vec<(&Expr, Option<TypeId>)> = results
                .iter()
                .zip(&func_results)
                .map(|(expr, &ty)| (expr, Some(ty)))
                .collect();
            for value in self.expr_list(&exprs) {
                words.extend(value);
            }
        }
        if let Some(inlining) = self.inlining {
            for (idx, &word) in words.iter().enumerate() {
                self.write(inlining.results + idx as u32, word);
            }
            self.jump(inlining.exit);
            return;
        }
        for (idx, &word) in words.iter().enumerate() {
            self.value(Op::SetResult, idx as i64, &[word]);
        }
        let block = self.cur.take().expect("code is reachable");
        self.f.blocks[block.0 as usize].kind = BlockKind::Ret;
    }

    /// Reports whether a call of `func` is replaced with its body: a small top-level
    /// function, not the function being built, and not from inside an inlined body (one
    /// level, so recursion cannot unfold).
    fn inlinable(&self, func: FuncId) -> bool {
        self.inlining.is_none() && Some(func) != self.this && self.program.may_inline(func)
    }

    /// Builds the body of top-level `func` in place of a call with arguments `args`;
    /// returns the result words.
    fn inline(&mut self, func: FuncId, args: &[ValueId]) -> Words {
        let (sig, body) = self.program.syntax(func);
        // The callee's variables that its closures capture and assign live in cells here
        // too, as in the callee's own code, which its closures were compiled against.
        if !self.info.funcs[func.0 as usize].closures.is_empty() {
            let boxed = boxed_vars(self.info, func, body);
            self.boxed.extend(boxed);
        }
        let saved = std::mem::replace(&mut self.in_inlined_decl, true);
        let words = self.inline_body(func, sig, body, args);
        self.in_inlined_decl = saved;
        words
    }

    /// Reports whether a call of a known closure of literal `func` is replaced with the
    /// literal's body: a small literal creating no closures (their captures would be laid
    /// out for the literal's own frame), not too deep in other inlined literals.
    fn lit_inlinable(&self, func: FuncId) -> bool {
        if self.lit_depth >= INLINE_MAX_LIT_DEPTH
            || !self.info.funcs[func.0 as usize].closures.is_empty()
        {
            return false;
        }
        let span = self.program.span(func);
        span.hi - span.lo <= INLINE_MAX_BYTES
    }

    /// Builds the body of a known closure's literal in place of a call with arguments
    /// `args`: its captured variables are the closure's words (a cell for a capture by
    /// reference), as the closure itself would see them.
    fn inline_lit(&mut self, known: &Known, args: &[ValueId]) -> Words {
        let mut saved = Vec::with_capacity(known.env.len());
        let mut at = 0;
        for capture in &known.env {
            let n = self.words_of(self.info.obj(capture.obj).ty);
            let loc = if capture.by_ref {
                let var = self.new_var(1);
                self.write(var, known.words[at]);
                at += 1;
                VarLoc::Cell { var, n }
            } else {
                let var = self.new_var(n);
                for idx in 0..n {
                    self.write(var + idx, known.words[at]);
                    at += 1;
                }
                VarLoc::Ssa { var, n }
            };
            saved.push((capture.obj, self.vars.insert(capture.obj, loc)));
        }
        let (sig, body) = self.program.syntax(known.func);
        self.lit_depth += 1;
        let words = self.inline_body(known.func, sig, body, args);
        self.lit_depth -= 1;
        for (obj, loc) in saved {
            match loc {
                Some(loc) => self.vars.insert(obj, loc),
                None => self.vars.remove(&obj),
            };
        }
        words
    }

    /// Builds `body` with parameters `sig` bound to `args`, its `return`s jumping to a
    /// join block; returns the result words there.
    fn inline_body(
        &mut self,
        func: FuncId,
        sig: &ast::Signature,
        body: &Block,
        args: &[ValueId],
    ) -> Words {
        let info = self.info;
        let fty = info
            .types
            .func(info.funcs[func.0 as usize].ty)
            .expect("a function type");
        let n_results: u32 = fty.results.iter().map(|&ty| words(ty)).sum();
        let exit = self.new_block();
        let results = self.new_var(n_results);
        let saved_results = std::mem::replace(&mut self.result_tys, fty.results.clone());
        let saved_inlining = self.inlining.replace(Inlining { exit, results });
        let mut at = 0;
        for (param, &ty) in params(sig).zip(&fty.params) {
            let n = words(ty) as usize;
            if let Some(obj) = param.and_then(|name| info.obj_of(name.id)) {
                self.declare(obj, &args[at..at + n]);
            }
            at += n;
        }
        self.block(body);
        // A function without results may end without `return`.
        self.jump(exit);
        self.inlining = saved_inlining;
        self.result_tys = saved_results;
        self.seal(exit);
        self.reach(exit);
        if self.cur.is_none() {
            // The body never returns (it panics): what follows is unreachable, but still
            // built; `deadcode` removes it.
            let dead = self.new_block();
            self.seal(dead);
            self.cur = Some(dead);
        }
        (0..n_results).map(|idx| self.read(results + idx)).collect()
    }

    fn result_types(&self) -> Vec<TypeId> {
        self.result_tys.clone()
    }

    /// Builds a loop: `header` tests, `body` runs, `cont` advances (where `continue`
    /// goes), `exit` follows (where `break` goes).
    fn for_stmt(&mut self, for_stmt: &ast::ForStmt, label: Option<Symbol>) {
        let iteration = match &for_stmt.header {
            ForHeader::Clause { init, .. } => {
                if let Some(init) = init {
                    self.stmt(init, None);
                }
                // Go 1.22: each iteration has its own copy of the variables `init`
                // declares. Only those in heap cells can tell: they get a fresh cell per
                // iteration.
                let cells = match init.as_deref() {
                    Some(Stmt::Define { lhs, .. }) => lhs
                        .iter()
                        .filter_map(|target| self.info.obj_of(target.id))
                        .filter(|obj| self.boxed.contains(obj))
                        .collect(),
                    _ => Vec::new(),
                };
                Iteration::Clause { cells }
            }
            ForHeader::Range { expr, .. } => {
                let n = self.expr(expr)[0];
                let counter = self.new_var(1);
                let zero = self.constant(0);
                self.write(counter, zero);
                Iteration::Range { n, counter }
            }
        };
        let header = self.new_block();
        let body = self.new_block();
        let cont = self.new_block();
        let exit = self.new_block();
        self.jump(header);
        self.cur = Some(header);
        match (&for_stmt.header, &iteration) {
            (
                ForHeader::Clause {
                    cond: Some(cond), ..
                },
                _,
            ) => self.cond(cond, body, exit),
            (_, &Iteration::Range { n, counter }) => {
                let i = self.read(counter);
                let more = self.value(Op::Lt, 0, &[i, n]);
                self.branch(more, body, exit);
            }
            _ => self.jump(body),
        }
        self.seal(body);
        self.cur = Some(body);
        if let (
            ForHeader::Range {
                key: Some(key),
                define,
                ..
            },
            &Iteration::Range { counter, .. },
        ) = (&for_stmt.header, &iteration)
        {
            let i = self.read(counter);
            let key = crate::types::check::unparen(key);
            if let Some(obj) = self.info.obj_of(key.id) {
                if *define {
                    self.declare(obj, &[i]);
                } else {
                    self.write_obj(obj, &[i]);
                }
            }
        }
        self.targets.push(Target {
            label,
            brk: exit,
            cont: Some(cont),
        });
        self.block(&for_stmt.body);
        self.targets.pop();
        self.jump(cont);
        self.seal(cont);
        self.reach(cont);
        if self.cur.is_some() {
            match (&for_stmt.header, iteration) {
                (ForHeader::Clause { post, .. }, Iteration::Clause { cells }) => {
                    for obj in cells {
                        self.fresh_cell(obj);
                    }
                    if let Some(post) = post {
                        self.stmt(post, None);
                    }
                }
                (_, Iteration::Range { counter, .. }) => {
                    let i = self.read(counter);
                    let one = self.constant(1);
                    let next = self.value(Op::Add, 0, &[i, one]);
                    self.write(counter, next);
                }
                (ForHeader::Range { .. }, Iteration::Clause { .. }) => {
                    unreachable!("the iteration follows the header")
                }
            }
            self.jump(header);
        }
        self.seal(header);
        self.seal(exit);
        self.reach(exit);
    }

    fn switch(&mut self, switch: &ast::SwitchStmt, label: Option<Symbol>) {
        if let Some(init) = &switch.init {
            self.stmt(init, None);
        }
        let tag = switch.tag.as_ref().map(|tag| {
            let ty = ty::default_type(self.type_of(tag));
            (self.expr_as(tag, ty), ty)
        });
        let exit = self.new_block();
        let bodies: Vec<BlockId> = switch.clauses.iter().map(|_| self.new_block()).collect();
        let mut default = None;
        for (clause, &body) in switch.clauses.iter().zip(&bodies) {
            let Some(exprs) = &clause.exprs else {
                default = Some(body);
                continue;
            };
            for expr in exprs {
                let next = self.new_block();
                match &tag {
                    Some((tag, ty)) => {
                        let value = self.expr_as(expr, *ty);
                        let eq = self.compare(BinOp::Eq, *ty, tag, &value);
                        self.branch(eq, body, next);
                    }
                    None => self.cond(expr, body, next),
                }
                self.seal(next);
                self.cur = Some(next);
            }
        }
        self.jump(default.unwrap_or(exit));
        self.targets.push(Target {
            label,
            brk: exit,
            cont: None,
        });
        for (clause, &body) in switch.clauses.iter().zip(&bodies) {
            self.seal(body);
            self.reach(body);
            for stmt in &clause.body {
                self.stmt(stmt, None);
            }
            self.jump(exit);
        }
        self.targets.pop();
        self.seal(exit);
        self.reach(exit);
    }

    /// Branches on boolean expression `cond`, short-circuiting `&&`, `||` and `!`.
    fn cond(&mut self, cond: &Expr, then: BlockId, els: BlockId) {
        match &cond.kind {
            ExprKind::Paren(inner) => self.cond(inner, then, els),
            ExprKind::Unary(UnOp::Not, inner) if self.info.const_value(cond.id).is_none() => {
                self.cond(inner, els, then)
            }
            ExprKind::Binary(op @ (BinOp::LAnd | BinOp::LOr), binary)
                if self.info.const_value(cond.id).is_none() =>
            {
                let [lhs, rhs] = &binary.operands;
                let mid = self.new_block();
                if *op == BinOp::LAnd {
                    self.cond(lhs, mid, els);
                } else {
                    self.cond(lhs, then, mid);
                }
                self.seal(mid);
                self.cur = Some(mid);
                self.cond(rhs, then, els);
            }
            _ => {
                let v = self.expr(cond)[0];
                self.branch(v, then, els);
            }
        }
    }

    // ---- expressions ----

    /// Evaluates a whole expression in gc's order: first every call in it (and every `&&`
    /// and `||`), left to right, then the rest. gc's `order` pass hoists calls out of
    /// expressions into temporaries before the statement, so a variable a call changes is
    /// read after the call: `g + f()` adds `f()` to the `g` that `f` left.
    fn expr(&mut self, expr: &Expr) -> Words {
        self.hoist(expr);
        self.eval(expr)
    }

    /// [`Builder::expr`], converted to type `ty`.
    fn expr_as(&mut self, expr: &Expr, ty: TypeId) -> Words {
        self.hoist(expr);
        self.eval_as(expr, ty)
    }

    /// Makes the calls in `expr` and evaluates its `&&` and `||` operations, left to right,
    /// keeping the results for `eval`. Conversions are not calls: only their arguments'
    /// calls are made.
    fn hoist(&mut self, expr: &Expr) {
        if self.info.const_value(expr.id).is_some() || self.hoisted.contains_key(&expr.id) {
            return;
        }
        match &expr.kind {
            ExprKind::Paren(inner) | ExprKind::Unary(_, inner) => self.hoist(inner),
            ExprKind::Binary(BinOp::LAnd | BinOp::LOr, ..) => {
                let words = self.eval(expr);
                self.hoisted.insert(expr.id, words);
            }
            ExprKind::Binary(_, binary) => {
                self.hoist(&binary.operands[0]);
                self.hoist(&binary.operands[1]);
            }
            ExprKind::Call(call) => {
                if self.is_call(&call.callee) {
                    let words = self.call_expr(expr, &call.callee, &call.args);
                    self.hoisted.insert(expr.id, words);
                } else {
                    let to_interface = matches!(
                        crate::types::check::unparen(&call.callee).kind,
                        ExprKind::Selector(..)
                    );
                    call.args
                        .iter()
                        .for_each(|arg| self.hoist_operand(arg, to_interface));
                }
            }
            _ => {}
        }
    }

    /// [`Builder::hoist`] for an operand of a built-in; `to_interface` for `fmt.Print` and
    /// `fmt.Println`, whose operands gc converts to `any`.
    fn hoist_operand(&mut self, arg: &Expr, to_interface: bool) {
        self.hoist(arg);
        // gc's `order` copies a bool operand converted to an interface into a temporary
        // where it stands among the calls, unless it is a variable (addressable) or a
        // constant: `fmt.Println(n == 0, f())` compares before `f` runs, while
        // `fmt.Println(n, f())` and `fmt.Println(b, f())` read after it.
        if to_interface
            && !self.hoisted.contains_key(&arg.id)
            && ty::is_boolean(self.type_of(arg))
            && self.info.const_value(arg.id).is_none()
            && !self.is_variable(arg)
        {
            let words = self.eval(arg);
            self.hoisted.insert(arg.id, words);
        }
    }

    /// Reports whether `expr` is a variable, which gc reads where it is used.
    fn is_variable(&self, expr: &Expr) -> bool {
        let expr = crate::types::check::unparen(expr);
        matches!(expr.kind, ExprKind::Name(_))
            && self
                .info
                .obj_of(expr.id)
                .is_some_and(|obj| matches!(self.info.obj(obj).kind, ObjKind::Var { .. }))
    }

    /// Reports whether gc's `order` pass moves a call of `callee` ahead of its statement:
    /// function calls, and the built-ins `len`, `min` and `max`, which it orders as calls;
    /// not conversions.
    fn is_call(&self, callee: &Expr) -> bool {
        let callee = crate::types::check::unparen(callee);
        match &callee.kind {
            ExprKind::FuncType(_) | ExprKind::Selector(..) => false,
            ExprKind::Name(_) => match self
                .info
                .obj_of(callee.id)
                .map(|obj| &self.info.obj(obj).kind)
            {
                Some(ObjKind::Builtin(builtin)) => {
                    matches!(builtin, Builtin::Len | Builtin::Min | Builtin::Max)
                }
                Some(ObjKind::TypeName) => false,
                _ => true,
            },
            _ => true,
        }
    }

    /// Evaluates a list of expressions as one statement does: all their calls first, left
    /// to right, then the values; each converted to its type if given.
    fn expr_list(&mut self, exprs: &[(&Expr, Option<TypeId>)]) -> Vec<Words> {
        for (expr, _) in exprs {
            self.hoist(expr);
        }
        exprs
            .iter()
            .map(|&(expr, ty)| match ty {
                Some(ty) => self.eval_as(expr, ty),
                None => self.eval(expr),
            })
            .collect()
    }

    /// Evaluates `expr` converted to type `ty` (only `nil` and untyped values need it),
    /// using the results of calls `hoist` already made.
    fn eval_as(&mut self, expr: &Expr, ty: TypeId) -> Words {
        if self.info.const_value(expr.id).is_none()
            && self.type_of(expr) == ty::UNTYPED_NIL
            && self.words_of(ty) == 1
        {
            return self.zero(1);
        }
        self.eval(expr)
    }

    /// Evaluates `expr`, using the results `hoist` already computed (calls, `&&`, `||`,
    /// and the bool operands of `fmt.Print*`).
    fn eval(&mut self, expr: &Expr) -> Words {
        if !self.hoisted.is_empty()
            && let Some(words) = self.hoisted.remove(&expr.id)
        {
            return words;
        }
        if let Some(value) = self.info.const_value(expr.id) {
            return match value {
                ConstValue::Bool(b) => SmallVec::from_slice(&[self.constant(i64::from(*b))]),
                ConstValue::Int(_) => {
                    let v = value.to_i64().expect("the checker bounds typed constants");
                    SmallVec::from_slice(&[self.constant(v)])
                }
                ConstValue::Str(string) => self.string_lit(string.bytes()),
            };
        }
        match &expr.kind {
            ExprKind::Paren(inner) => self.eval(inner),
            ExprKind::Name(_) => {
                let obj = self.info.obj_of(expr.id).expect("a resolved name");
                match &self.info.obj(obj).kind {
                    ObjKind::Var { .. } => self.read_obj(obj),
                    ObjKind::Func(func) => {
                        let func = *func;
                        SmallVec::from_slice(&[self.addr(Sym::FuncValue(func))])
                    }
                    _ => self.zero(1),
                }
            }
            ExprKind::FuncLit(_) => self.func_lit(expr),
            ExprKind::Unary(op, inner) => {
                let x = self.eval(inner)[0];
                let op = match op {
                    UnOp::Plus => return SmallVec::from_slice(&[x]),
                    UnOp::Neg => Op::Neg,
                    UnOp::Not => Op::Not,
                    UnOp::BitNot => Op::Com,
                };
                SmallVec::from_slice(&[self.value(op, 0, &[x])])
            }
            ExprKind::Binary(BinOp::LAnd | BinOp::LOr, ..) => {
                let result = self.new_var(1);
                let then = self.new_block();
                let els = self.new_block();
                let join = self.new_block();
                self.cond(expr, then, els);
                self.seal(then);
                self.seal(els);
                self.cur = Some(then);
                let one = self.constant(1);
                self.write(result, one);
                self.jump(join);
                self.cur = Some(els);
                let zero = self.constant(0);
                self.write(result, zero);
                self.jump(join);
                self.seal(join);
                self.cur = Some(join);
                SmallVec::from_slice(&[self.read(result)])
            }
            ExprKind::Binary(op, binary) => {
                let [lhs, rhs] = &binary.operands;
                let (lty, rty) = (self.type_of(lhs), self.type_of(rhs));
                let operand_ty = if op.is_comparison() {
                    // `f == nil`: the untyped side takes the other's type.
                    if lty == ty::UNTYPED_NIL { rty } else { lty }
                } else {
                    self.type_of(expr)
                };
                let x = self.eval_as(lhs, operand_ty);
                let y = if matches!(op, BinOp::Shl | BinOp::Shr) {
                    self.eval(rhs)
                } else {
                    self.eval_as(rhs, operand_ty)
                };
                self.binary_words(*op, operand_ty, &x, &y, Some(rhs))
            }
            ExprKind::Call(call) => self.call_expr(expr, &call.callee, &call.args),
            _ => unreachable!("the checker rejects {:?}", expr.kind),
        }
    }

    fn binary_words(
        &mut self,
        op: BinOp,
        ty: TypeId,
        x: &[ValueId],
        y: &[ValueId],
        rhs: Option<&Expr>,
    ) -> Words {
        if op.is_comparison() {
            return SmallVec::from_slice(&[self.compare(op, ty, x, y)]);
        }
        if ty::is_string(ty) {
            // Only `+` is defined on strings.
            return self.call_runtime(Runtime::Concat, &[x[0], x[1], y[0], y[1]]);
        }
        let (x, y) = (x[0], y[0]);
        let divisor_known = rhs
            .and_then(|rhs| self.info.const_value(rhs.id))
            .is_some_and(|value| !value.is_zero());
        let op = match op {
            BinOp::Add => Op::Add,
            BinOp::Sub => Op::Sub,
            BinOp::Mul => Op::Mul,
            BinOp::And => Op::And,
            BinOp::Or => Op::Or,
            BinOp::Xor => Op::Xor,
            BinOp::AndNot => Op::AndNot,
            BinOp::Div | BinOp::Rem => {
                if !divisor_known {
                    let zero = self.constant(0);
                    let is_zero = self.value(Op::Eq, 0, &[y, zero]);
                    self.check(is_zero, Runtime::PanicDivide);
                }
                if op == BinOp::Div { Op::Div } else { Op::Mod }
            }
            BinOp::Shl | BinOp::Shr => {
                let count_known = rhs.and_then(|rhs| self.info.const_value(rhs.id)).is_some();
                if !count_known {
                    let zero = self.constant(0);
                    let negative = self.value(Op::Lt, 0, &[y, zero]);
                    self.check(negative, Runtime::PanicShift);
                }
                if op == BinOp::Shl { Op::Shl } else { Op::Shr }
            }
            _ => unreachable!("{op:?} is handled elsewhere"),
        };
        SmallVec::from_slice(&[self.value(op, 0, &[x, y])])
    }

    fn compare(&mut self, op: BinOp, ty: TypeId, x: &[ValueId], y: &[ValueId]) -> ValueId {
        let op = match op {
            BinOp::Eq => Op::Eq,
            BinOp::Ne => Op::Ne,
            BinOp::Lt => Op::Lt,
            BinOp::Le => Op::Le,
            BinOp::Gt => Op::Gt,
            BinOp::Ge => Op::Ge,
            _ => unreachable!("not a comparison"),
        };
        if ty::is_string(ty) {
            let order = self.call_runtime(Runtime::CmpString, &[x[0], x[1], y[0], y[1]])[0];
            let zero = self.constant(0);
            return self.value(op, 0, &[order, zero]);
        }
        self.value(op, 0, &[x[0], y[0]])
    }

    fn func_lit(&mut self, expr: &Expr) -> Words {
        let func = self.info.lit_funcs[&expr.id];
        let captures = &self.info.funcs[func.0 as usize].captures;
        if captures.is_empty() {
            self.add_unit(func, Vec::new());
            let closure = self.addr(Sym::FuncValue(func));
            self.known.insert(
                closure,
                Known {
                    func,
                    env: Vec::new(),
                    words: Words::new(),
                },
            );
            return SmallVec::from_slice(&[closure]);
        }
        let env: Vec<Capture> = captures
            .iter()
            .map(|&obj| Capture {
                obj,
                by_ref: match self.env.get(&obj) {
                    Some(&by_ref) => by_ref,
                    None => self.boxed.contains(&obj),
                },
            })
            .collect();
        let n_words: u32 = 1 + env
            .iter()
            .map(|c| {
                if c.by_ref {
                    1
                } else {
                    self.words_of(self.info.obj(c.obj).ty)
                }
            })
            .sum::<u32>();
        let closure = self.alloc(n_words);
        let code = self.addr(Sym::Func(func));
        self.value(Op::Store, 0, &[closure, code]);
        let mut off = 8;
        let mut captured = Words::new();
        for capture in &env {
            let words: Words = if capture.by_ref {
                match self.var_loc(capture.obj) {
                    VarLoc::Cell { var, .. } => SmallVec::from_slice(&[self.read(var)]),
                    _ => unreachable!("a variable captured by reference lives in a cell"),
                }
            } else {
                self.read_obj(capture.obj)
            };
            for word in words {
                self.value(Op::Store, off, &[closure, word]);
                captured.push(word);
                off += 8;
            }
        }
        self.add_unit(func, env.clone());
        self.known.insert(
            closure,
            Known {
                func,
                env,
                words: captured,
            },
        );
        SmallVec::from_slice(&[closure])
    }

    /// Lists literal `func` as a unit this function creates, unless the literal belongs to
    /// an inlined function, whose own unit lists it.
    fn add_unit(&mut self, func: FuncId, env: Vec<Capture>) {
        if !self.in_inlined_decl {
            self.closures.push(Unit::Func { func, env });
        }
    }

    fn call_expr(&mut self, expr: &Expr, callee: &Expr, args: &[Expr]) -> Words {
        let callee = crate::types::check::unparen(callee);
        match &callee.kind {
            ExprKind::FuncType(_) => return self.conversion(args),
            ExprKind::Selector(selector) => {
                let builtin = match self.file.names.name(selector.name.name) {
                    "Println" => Builtin::FmtPrintln,
                    _ => Builtin::FmtPrint,
                };
                return self.builtin(builtin, args);
            }
            ExprKind::Name(_) => {
                let obj = self.info.obj_of(callee.id).expect("a resolved callee");
                match &self.info.obj(obj).kind {
                    ObjKind::Builtin(builtin) => return self.builtin(*builtin, args),
                    ObjKind::TypeName => return self.conversion(args),
                    ObjKind::Func(func) => {
                        let func = *func;
                        let fty = self.type_of(callee);
                        args.iter().for_each(|arg| self.hoist(arg));
                        let arg_words = self.args(fty, args);
                        if self.inlinable(func) {
                            return self.inline(func, &arg_words);
                        }
                        let n_results = self.result_words(fty);
                        let sym = self.f.sym(Sym::Func(func));
                        return self.call(Op::StaticCall, sym, None, &arg_words, n_results);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        let _ = expr;
        let fty = self.type_of(callee);
        self.hoist(callee);
        args.iter().for_each(|arg| self.hoist(arg));
        let fv = self.eval(callee)[0];
        let arg_words = self.args(fty, args);
        // A closure made here needs no nil check, and its body can replace the call.
        if let Some(known) = self.known.get(&fv)
            && self.lit_inlinable(known.func)
        {
            let known = known.clone();
            return self.inline_lit(&known, &arg_words);
        }
        let zero = self.constant(0);
        let is_nil = self.value(Op::Eq, 0, &[fv, zero]);
        self.check(is_nil, Runtime::PanicNil);
        let n_results = self.result_words(fty);
        self.call(Op::ClosureCall, 0, Some(fv), &arg_words, n_results)
    }

    fn conversion(&mut self, args: &[Expr]) -> Words {
        // Level 1 conversions change no bits: int(x), string(s), and function types.
        self.eval(&args[0])
    }

    fn result_words(&self, fty: TypeId) -> u32 {
        let func = self.info.types.func(fty).expect("a function type");
        func.results.iter().map(|&ty| self.words_of(ty)).sum()
    }

    fn args(&mut self, fty: TypeId, args: &[Expr]) -> Words {
        let params = self
            .info
            .types
            .func(fty)
            .expect("a function type")
            .params
            .clone();
        if args.len() == 1 && params.len() > 1 {
            return self.eval(&args[0]);
        }
        let mut words = SmallVec::new();
        for (arg, &ty) in args.iter().zip(&params) {
            words.extend(self.eval_as(arg, ty));
        }
        words
    }

    /// Evaluates the arguments of a built-in, each with its (default) type; their calls are
    /// made first. `to_interface` for `fmt.Print` and `fmt.Println`, whose operands gc
    /// converts to `any`.
    fn builtin_args(&mut self, args: &[Expr], to_interface: bool) -> Vec<(TypeId, Words)> {
        for arg in args {
            self.hoist_operand(arg, to_interface);
        }
        if let [arg] = args
            && let Some(tuple) = self.tuple_types(arg)
        {
            let words = self.eval(arg);
            let mut at = 0;
            return tuple
                .into_iter()
                .map(|ty| {
                    let n = self.words_of(ty) as usize;
                    at += n;
                    (ty, SmallVec::from_slice(&words[at - n..at]))
                })
                .collect();
        }
        args.iter()
            .map(|arg| {
                let ty = ty::default_type(self.type_of(arg));
                (ty, self.eval_as(arg, ty))
            })
            .collect()
    }

    fn tuple_types(&self, expr: &Expr) -> Option<Vec<TypeId>> {
        match self.info.types.get(self.type_of(expr)) {
            ty::Type::Tuple(elems) => Some(elems.clone()),
            _ => None,
        }
    }

    /// `min` or `max` of strings, compared byte-wise: each operand in turn replaces the one
    /// kept so far if it orders before it (`min`) or after it (`max`).
    fn min_max_string(&mut self, builtin: Builtin, values: &[(TypeId, Words)]) -> Words {
        let kept = self.new_var(2);
        self.write(kept, values[0].1[0]);
        self.write(kept + 1, values[0].1[1]);
        let op = if builtin == Builtin::Min {
            BinOp::Lt
        } else {
            BinOp::Gt
        };
        for (_, y) in &values[1..] {
            let x = [self.read(kept), self.read(kept + 1)];
            let replace = self.compare(op, ty::STRING, y, &x);
            let then = self.new_block();
            let join = self.new_block();
            self.branch(replace, then, join);
            self.seal(then);
            self.cur = Some(then);
            self.write(kept, y[0]);
            self.write(kept + 1, y[1]);
            self.jump(join);
            self.seal(join);
            self.cur = Some(join);
        }
        SmallVec::from_slice(&[self.read(kept), self.read(kept + 1)])
    }

    fn builtin(&mut self, builtin: Builtin, args: &[Expr]) -> Words {
        match builtin {
            Builtin::Len => {
                let s = self.eval(&args[0]);
                SmallVec::from_slice(&[s[1]])
            }
            Builtin::Min | Builtin::Max => {
                let values = self.builtin_args(args, false);
                if ty::is_string(values[0].0) {
                    return self.min_max_string(builtin, &values);
                }
                let op = if builtin == Builtin::Min {
                    Op::Min
                } else {
                    Op::Max
                };
                let mut acc = values[0].1[0];
                for (_, words) in &values[1..] {
                    acc = self.value(op, 0, &[acc, words[0]]);
                }
                SmallVec::from_slice(&[acc])
            }
            Builtin::Panic => {
                let values = self.builtin_args(args, false);
                let (ty, words) = &values[0];
                let rt = if ty::is_string(*ty) {
                    Runtime::PanicString
                } else if ty::is_boolean(*ty) {
                    Runtime::PanicBool
                } else {
                    Runtime::PanicInt
                };
                self.call_noreturn(rt, words);
                SmallVec::new()
            }
            Builtin::Print | Builtin::Println | Builtin::FmtPrint | Builtin::FmtPrintln => {
                let to_interface = matches!(builtin, Builtin::FmtPrint | Builtin::FmtPrintln);
                let values = self.builtin_args(args, to_interface);
                let fd = if matches!(builtin, Builtin::Print | Builtin::Println) {
                    2
                } else {
                    1
                };
                let fd = self.constant(fd);
                self.call_runtime(Runtime::PrintLock, &[fd]);
                let newline = matches!(builtin, Builtin::Println | Builtin::FmtPrintln);
                for (idx, (ty, words)) in values.iter().enumerate() {
                    if idx > 0 {
                        let space = match builtin {
                            Builtin::Print => false,
                            // fmt.Print spaces operands only when neither is a string.
                            Builtin::FmtPrint => {
                                !ty::is_string(*ty) && !ty::is_string(values[idx - 1].0)
                            }
                            _ => true,
                        };
                        if space {
                            self.call_runtime(Runtime::PrintSp, &[]);
                        }
                    }
                    let rt = if ty::is_string(*ty) {
                        Runtime::PrintString
                    } else if ty::is_boolean(*ty) {
                        Runtime::PrintBool
                    } else if self.info.types.func(*ty).is_some() {
                        Runtime::PrintPointer
                    } else {
                        Runtime::PrintInt
                    };
                    self.call_runtime(rt, words);
                }
                if newline {
                    self.call_runtime(Runtime::PrintNl, &[]);
                }
                self.call_runtime(Runtime::PrintUnlock, &[]);
                SmallVec::new()
            }
        }
    }
}

/// Returns the parameter names of `sig`, one per parameter.
fn params(sig: &ast::Signature) -> impl Iterator<Item = Option<ast::Ident>> + '_ {
    sig.params.iter().map(|param| param.name)
}

/// Returns the variables of `func` that live in heap cells: captured by one of its
/// literals and assigned somewhere after their declaration.
fn boxed_vars(info: &Info, func: FuncId, body: &Block) -> FxHashSet<ObjId> {
    let mut captured: FxHashSet<ObjId> = FxHashSet::default();
    for &lit in &info.funcs[func.0 as usize].closures {
        for &obj in &info.funcs[lit.0 as usize].captures {
            if matches!(info.obj(obj).kind, ObjKind::Var { owner: Some(owner), .. } if owner == func)
            {
                captured.insert(obj);
            }
        }
    }
    if captured.is_empty() {
        return captured;
    }
    let mut assigned = FxHashSet::default();
    let mut assign = |target: &Expr, define: bool| {
        let target = crate::types::check::unparen(target);
        // The name a `:=` declares is not assigned there; one it redeclares is.
        if let Some(obj) = info.obj_of(target.id)
            && (!define || info.obj(obj).span != target.span)
        {
            assigned.insert(obj);
        }
    };
    walk::inspect(Node::Block(body), |node| match node {
        Node::Stmt(stmt) => targets(stmt, &mut assign),
        Node::File(_)
        | Node::Decl(_)
        | Node::Signature(_)
        | Node::Block(_)
        | Node::Expr(_)
        | Node::Ident(_) => {}
    });
    captured.retain(|obj| assigned.contains(obj));
    captured
}

/// Calls `assign` on each target that `stmt` itself assigns (not those of the statements
/// inside it), with whether it may be declared there (`:=`).
fn targets(stmt: &Stmt, assign: &mut impl FnMut(&Expr, bool)) {
    match stmt {
        Stmt::Define { lhs, .. } => lhs.iter().for_each(|target| assign(target, true)),
        Stmt::Assign { lhs, .. } => lhs.iter().for_each(|target| assign(target, false)),
        Stmt::IncDec { target, .. } => assign(target, false),
        Stmt::For(for_stmt) => match &for_stmt.header {
            ForHeader::Range {
                key, value, define, ..
            } => key
                .iter()
                .chain(value)
                .for_each(|target| assign(target, *define)),
            // Its init and post are statements of their own.
            ForHeader::Clause { .. } => {}
        },
        Stmt::Expr(_)
        | Stmt::Var(_)
        | Stmt::Const(_)
        | Stmt::Block(_)
        | Stmt::If(_)
        | Stmt::Switch(_)
        | Stmt::Return { .. }
        | Stmt::Branch { .. }
        | Stmt::Labeled { .. }
        | Stmt::Empty
        | Stmt::Bad => {}
    }
}

/// The checked program, indexed for the back end and frozen before any unit is compiled:
/// every worker reads it, none writes it.
pub struct Program<'a> {
    /// The syntax tree.
    pub file: &'a ast::File,
    /// What the checker learned.
    pub info: &'a Info,
    /// Per function: its span (see [`Program::span`]), read at every call the builder
    /// considers inlining, so kept here rather than looked up in the tree.
    spans: Vec<crate::diag::Span>,
    /// Per function: its syntax, for function literals.
    lits: Vec<Option<&'a ast::FuncLit>>,
}

impl<'a> Program<'a> {
    /// Indexes `file`.
    pub fn new(file: &'a ast::File, info: &'a Info) -> Program<'a> {
        let mut spans = vec![crate::diag::Span::default(); info.funcs.len()];
        let mut lits = vec![None; info.funcs.len()];
        // Literals sit in the bodies of the functions that list closures and in package
        // variables' initializers; only those are walked.
        let mut with_lits = Vec::new();
        for (idx, func) in info.funcs.iter().enumerate() {
            let FuncNode::Decl(decl) = func.node else {
                continue;
            };
            let ast::Decl::Func(decl) = &file.decls[decl] else {
                unreachable!("a function declaration")
            };
            let end = decl
                .body
                .as_ref()
                .map_or(decl.name.span.hi, |body| body.span.hi);
            spans[idx] = crate::diag::Span::new(decl.name.span.lo as usize, end as usize);
            if !func.closures.is_empty()
                && let Some(body) = &decl.body
            {
                with_lits.push(body);
            }
        }
        let mut index = |node: Node<'a>| match node {
            Node::Expr(expr) => {
                if let ExprKind::FuncLit(lit) = &expr.kind
                    && let Some(&func) = info.lit_funcs.get(&expr.id)
                {
                    spans[func.0 as usize] = expr.span;
                    lits[func.0 as usize] = Some(&**lit);
                }
            }
            Node::File(_)
            | Node::Decl(_)
            | Node::Signature(_)
            | Node::Block(_)
            | Node::Stmt(_)
            | Node::Ident(_) => {}
        };
        for body in with_lits {
            walk::inspect(Node::Block(body), &mut index);
        }
        for decl in &file.decls {
            match decl {
                ast::Decl::Var(_) => walk::inspect(Node::Decl(decl), &mut index),
                // The bodies that make closures were walked above; a constant holds no
                // literal in a program that checks.
                ast::Decl::Func(_) | ast::Decl::Const(_) | ast::Decl::Bad => {}
            }
        }
        Program {
            file,
            info,
            spans,
            lits,
        }
    }

    /// Returns the signature and body of `func`.
    fn syntax(&self, func: FuncId) -> (&'a ast::Signature, &'a Block) {
        match self.info.funcs[func.0 as usize].node {
            FuncNode::Decl(idx) => match &self.file.decls[idx] {
                ast::Decl::Func(decl) => (&decl.sig, decl.body.as_ref().expect("a body")),
                _ => unreachable!("a function declaration"),
            },
            FuncNode::Lit(_) => {
                let lit = self.lits[func.0 as usize].expect("the literal was indexed");
                (&lit.sig, &lit.body)
            }
        }
    }

    /// Returns the span of `func`: a declaration from its name to its closing brace, or
    /// the whole literal.
    pub fn span(&self, func: FuncId) -> crate::diag::Span {
        self.spans[func.0 as usize]
    }

    /// Reports whether calls of top-level function `func` may be replaced with its body:
    /// then other units make its closures too, and refer to their code.
    pub fn may_inline(&self, func: FuncId) -> bool {
        let span = self.span(func);
        self.info.funcs[func.0 as usize].parent.is_none() && span.hi - span.lo <= INLINE_MAX_BYTES
    }
}
