//! SSA construction: one checked function body to an `ssa::Func`, as Go's `ssagen` does.
//!
//! [`build`] builds one unit, `main.init` or a function, in a single pass over its body:
//! each statement and expression emits its values into the current block as it is met. The
//! work is split by job, as gc keeps `order`, `inline` and `escape` apart from `ssagen`;
//! every file adds methods to the one [`Builder`]:
//!
//! - `braun`: SSA variables, blocks, phis and sealing (Braun et al.), through which
//!   everything else emits;
//! - `vars`: where a Toy variable lives (SSA variables, a heap cell, a package variable),
//!   and its declaration, reads and writes;
//! - `boxed`: which of a function's variables live in heap cells;
//! - `stmt`: statements and their control flow;
//! - `order`: gc's `order`, the calls of a statement made before the rest of it;
//! - `expr`: expressions once their calls are made, and function literals;
//! - `call`: calls, conversions, built-ins and run-time checks;
//! - `slice`: slices: elements, bounds checks, slice expressions, literals, `make`,
//!   `append`, `copy`, and where an assignment stores;
//! - `inline`: a call replaced with the callee's body, in its two modes;
//! - `sys`: the runtime's intrinsics, lowered to the operations they stand for.
//!
//! All of them read the checked program through `ssa::program::Program`, frozen and shared
//! by every worker.
//!
//! Input: a body the checker accepted (no error reported). Output: a `Func` whose blocks
//! are all reachable from the entry or unreachable ones that `deadcode` removes, plus the
//! closures the body creates, as new units of work.

mod boxed;
mod braun;
mod call;
mod expr;
mod format;
mod inline;
mod order;
mod slice;
mod stmt;
mod sys;
mod vars;

use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;

use crate::ssa::func::{BlockId, Func, ValueId};
use crate::ssa::op::{BlockKind, Op};
use crate::syntax::ast::{self, Expr, VarSpec};
use crate::types::ty::TypeId;
use crate::types::{FuncId, Info, ObjId};

use boxed::boxed_vars;
use braun::JoinPhi;
use inline::{Inlining, Known};
use stmt::Target;
use vars::VarLoc;

pub(crate) use expr::closure_pointers;
pub(crate) use inline::INLINE_MAX_BYTES;
// The index has its own module; the driver and the tests name it beside `build`, which
// takes it.
pub use crate::ssa::program::Program;

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

/// The words of one Toy value (`TypeTable::words`: one, two for a string, three for a
/// slice), or of a call's results.
type Words = SmallVec<[ValueId; 4]>;

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
    /// The variables of the named results of the body being built (an inlined one's while
    /// it is built), in order; empty when its results are unnamed.
    named_results: Vec<ObjId>,
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
        named_results: Vec::new(),
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

impl<'a> Builder<'a> {
    fn type_of(&self, expr: &Expr) -> TypeId {
        self.info.type_of(expr.id)
    }

    fn words_of(&self, ty: TypeId) -> u32 {
        self.info.types.words(ty)
    }

    /// Builds function `func`, whose closure object holds the captures `env` (none for a
    /// top-level function): its parameters, its captured variables, then its body.
    fn func(&mut self, func: FuncId, env: &[Capture]) {
        let info = self.info;
        let func_info = &info.funcs[func.0 as usize];
        self.f.name = format!("{}.{}", self.program.package(), func_info.name);
        self.this = Some(func);
        let (sig, body) = self.program.syntax(func);
        let fty = info.types.func(func_info.ty).expect("a function type");
        self.f.arg_words = fty.params.iter().map(|&ty| self.words_of(ty)).sum();
        self.f.result_words = fty.results.iter().map(|&ty| self.words_of(ty)).sum();
        self.boxed = boxed_vars(info, func, sig, body);

        if !env.is_empty() {
            let ctx = self.value(Op::ClosurePtr, 0, &[]);
            let mut off = 8;
            for capture in env {
                let n = self.words_of(info.obj(capture.obj).ty);
                self.env.insert(capture.obj, capture.by_ref);
                if capture.by_ref {
                    let var = self.new_var(1);
                    let cell = self.typed_value(Op::Load, off, &[ctx], true);
                    self.write(var, cell);
                    self.vars.insert(capture.obj, VarLoc::Cell { var, n });
                    off += 8;
                } else {
                    let var = self.new_var(n);
                    let ptrs = info.types.word_pointers(info.obj(capture.obj).ty);
                    for (idx, &ptr) in (0..n).zip(ptrs) {
                        let word = self.typed_value(Op::Load, off, &[ctx], ptr);
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
                let ptrs = info.types.word_pointers(ty);
                let words: Words = (0..n)
                    .zip(ptrs)
                    .map(|(idx, &ptr)| self.typed_value(Op::Arg, i64::from(arg + idx), &[], ptr))
                    .collect();
                self.declare(obj, &words);
            }
            arg += n;
        }
        self.named_results = self.declare_results(sig, &fty.results);
        self.block(body);
    }

    /// Declares the named results of `sig`, of types `tys`, with their zero values, and
    /// returns their variables (none when the results are unnamed).
    fn declare_results(&mut self, sig: &ast::Signature, tys: &[TypeId]) -> Vec<ObjId> {
        let objs = result_objs(self.info, sig);
        for (&obj, &ty) in objs.iter().zip(tys) {
            let zero = self.zero(self.words_of(ty));
            self.declare(obj, &zero);
        }
        objs
    }

    /// Builds `main.init`: the package variables' initializers in `Info::init_order`, then
    /// those of blank variables in source order.
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
}

/// Returns the variables of the named results of `sig`, blank ones included, in order;
/// none when the results are unnamed (Go names all of them or none).
fn result_objs(info: &Info, sig: &ast::Signature) -> Vec<ObjId> {
    sig.results
        .iter()
        .filter_map(|result| result.name.and_then(|name| info.obj_of(name.id)))
        .collect()
}

/// Returns the parameter names of `sig`, one per parameter.
fn params(sig: &ast::Signature) -> impl Iterator<Item = Option<ast::Ident>> + '_ {
    sig.params.iter().map(|param| param.name)
}
