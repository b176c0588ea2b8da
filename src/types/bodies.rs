//! Checking top-level function bodies on several threads.
//!
//! Once the package-level declarations are resolved, each top-level function body reads only
//! what they declared and writes only facts of its own: the nodes of its declaration (a
//! contiguous range, since nodes are numbered in reduction order), the local objects,
//! literals and types it creates, the errors it finds. So the functions are cut into runs of
//! about equal node counts, each checked on its own thread and recording into its run's
//! slice of the per-node vectors. The first run, on the calling thread, takes over the
//! checker's state and gives it back. Each later run copies, on its own thread, a snapshot
//! taken once (a fork), and numbers the objects, literals, constant values and types it
//! creates from the counts at the fork; the merge appends what each found, in order, and
//! moves its numbers up by what the runs before it created (`Shift`). Function literals at package level are checked afterwards, on the
//! calling thread, as `check` does.
//!
//! **Invariant:** the result is exactly the serial check's. Within a run the bodies are
//! checked in source order, so a run numbers what it creates in the serial order, counted
//! from the fork; the merge places runs in source order, so each run's count starts where the
//! serial check's would; and a type that a run creates is interned anew at the merge, so it
//! gets the id it would have had serially. Errors are appended run by run, in the order the
//! serial check finds them. `tests/it/bodies.rs` compares the two on the whole corpus.

use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::diag::{Diagnostics, SourceFile, Span};
use crate::syntax::ast::{Decl, File, NodeId, Symbol};
use crate::types::branches::{self, BranchErrors};
use crate::types::check::{Checker, NESTED_TOO_DEEPLY, PkgDecl, Resolution};
use crate::types::constant::ConstValue;
use crate::types::object::{FuncId, FuncInfo, Info, NodeFacts, ObjId, ObjKind, Object, Shift};
use crate::types::scope::Scopes;
use crate::types::ty::{Type, TypeTable};

/// The nodes per thread below which another thread is not worth starting: the file gets at
/// most one run per this many nodes.
pub const MIN_CHUNK_NODES: usize = 16 * 1024;

/// A run of top-level declarations whose function bodies one thread checks.
struct Chunk {
    decls: Range<usize>,
    /// The nodes from just past the previous run's last function (node 0 for the first run)
    /// to its own last function's name (to the file's last node for the last run).
    nodes: Range<usize>,
}

/// A checker's state once the package-level declarations are resolved: what the first run
/// takes over and gives back, and what a fork starts from.
struct State {
    info: Info,
    scopes: Scopes,
    used: Vec<bool>,
    pkg: Vec<Option<(PkgDecl, Resolution)>>,
    deps: Vec<Vec<ObjId>>,
    fmt: Option<(ObjId, Span)>,
    blank: Symbol,
    errors: Diagnostics,
    branch_errors: BranchErrors,
    nesting_reported: bool,
}

/// What a fork reads of the checker's state, copied once for all forks.
#[derive(Clone)]
struct Snapshot {
    types: TypeTable,
    objs: Vec<Object>,
    funcs: Vec<FuncInfo>,
    scopes: Scopes,
    used: Vec<bool>,
    pkg: Vec<Option<(PkgDecl, Resolution)>>,
    fmt: Option<(ObjId, Span)>,
    blank: Symbol,
    nesting_reported: bool,
}

impl Snapshot {
    /// Returns a fork's state: copies of the snapshot, with nothing found yet.
    fn fork(&self) -> State {
        let Snapshot {
            types,
            objs,
            funcs,
            scopes,
            used,
            pkg,
            fmt,
            blank,
            nesting_reported,
        } = self.clone();
        let mut info = Info::new();
        (info.types, info.objs, info.funcs) = (types, objs, funcs);
        State {
            info,
            scopes,
            used,
            pkg,
            deps: Vec::new(),
            fmt,
            blank,
            errors: Diagnostics::default(),
            branch_errors: BranchErrors::default(),
            nesting_reported,
        }
    }
}

/// What a run gives back: the first, the checker's state and the constant values it recorded;
/// a later one, what it found.
enum Ran {
    First(Box<(State, Vec<ConstValue>)>),
    Later(Box<Found>),
}

/// What a fork of a later run found, numbered from the counts at the fork.
struct Found {
    /// The objects it created.
    objs: Vec<Object>,
    /// Per object: used; the package-level ones are or-ed into the checker's.
    used: Vec<bool>,
    /// The types it created.
    types: Vec<Type>,
    /// The literals it created.
    funcs: Vec<FuncInfo>,
    /// The literals each of its top-level functions creates.
    closures: Vec<(FuncId, Vec<FuncId>)>,
    lit_funcs: FxHashMap<NodeId, FuncId>,
    /// Per package-level object: the package-level objects its body uses.
    deps: Vec<Vec<ObjId>>,
    errors: Diagnostics,
    branch_errors: BranchErrors,
    values: Vec<ConstValue>,
    /// Whether [`NESTED_TOO_DEEPLY`] has been reported, by the fork or before it.
    reported_nesting: bool,
}

impl<'a> Checker<'a> {
    /// Checks the body of every top-level function in `decls`, in source order: its branch
    /// statements, then the rest.
    fn check_bodies(&mut self, decls: Range<usize>) {
        for decl in &self.file.decls[decls] {
            if let Decl::Func(func) = decl
                && let Some(body) = &func.body
            {
                let branch_errors = &mut self.branch_errors.funcs;
                branches::check_body(body, &self.file.names, branch_errors, self.source);
                let Some(obj) = self.nodes.obj_of(func.name.id) else {
                    continue;
                };
                let ObjKind::Func(id) = self.info.obj(obj).kind else {
                    continue;
                };
                self.cur_decl = Some(obj);
                self.too_deep = false;
                self.func_body(id, &func.sig, body);
            }
        }
        self.cur_decl = None;
        self.too_deep = false;
    }

    /// Checks every top-level function body, on up to `threads` threads and at most one per
    /// `min_chunk` nodes. This checker's own state goes to the first run, on the calling
    /// thread, and comes back with what the run found; each later run copies a snapshot of it
    /// on its own thread, and what they find is merged in after.
    pub(crate) fn check_all_bodies(&mut self, threads: usize, min_chunk: usize) {
        let chunks = cut(self.file, threads, min_chunk);
        if chunks.len() < 2 {
            self.check_bodies(0..self.file.decls.len());
            return;
        }
        let objs_from = self.info.objs.len();
        let funcs_from = self.info.funcs.len();
        let types_from = self.info.types.len();
        let values_from = self.nodes.n_values();
        let snapshot = self.snapshot();
        let mut own = Some(self.take_state());
        let mut bounds: Vec<usize> = chunks.iter().map(|chunk| chunk.nodes.start).collect();
        bounds.push(self.file.n_nodes as usize);
        let (source, file, snapshot) = (self.source, self.file, &snapshot);
        let longest = chunks
            .iter()
            .flat_map(|chunk| &self.file.decls[chunk.decls.clone()])
            .map(|decl| match decl {
                Decl::Func(func) => func
                    .body
                    .as_ref()
                    .map_or(0, |body| (body.rbrace().hi - func.name.span.lo) as usize),
                Decl::Var(_) | Decl::Const(_) | Decl::Bad => 0,
            })
            .max()
            .unwrap_or(0);
        let mut ran = crate::on_threads(
            "toyc-check",
            crate::stack_for(longest),
            chunks
                .iter()
                .zip(self.nodes.split(&bounds))
                .map(|(chunk, nodes)| {
                    let (own, decls) = (own.take(), chunk.decls.clone());
                    move || {
                        let first = own.is_some();
                        let state = own.unwrap_or_else(|| snapshot.fork());
                        let mut checker = Checker::from_state(source, file, state, nodes);
                        checker.check_bodies(decls);
                        match first {
                            true => Ran::First(Box::new(checker.into_state())),
                            false => Ran::Later(Box::new(
                                checker.found(objs_from, funcs_from, types_from),
                            )),
                        }
                    }
                }),
        );
        let later = ran.split_off(1);
        let Some(Ran::First(state)) = ran.pop() else {
            unreachable!("the first run has the checker's state")
        };
        self.restore_state(*state);
        for (chunk, ran) in chunks[1..].iter().zip(later) {
            let Ran::Later(found) = ran else {
                unreachable!("later runs find")
            };
            let shift = Shift {
                objs_from: objs_from as u32,
                obj_delta: (self.info.objs.len() - objs_from) as u32,
                funcs_from: funcs_from as u32,
                func_delta: (self.info.funcs.len() - funcs_from) as u32,
                values_from,
                types_from: types_from as u32,
                types: Vec::new(),
            };
            self.merge(chunk.nodes.clone(), *found, shift);
        }
    }

    /// Returns copies of what a fork reads.
    fn snapshot(&self) -> Snapshot {
        Snapshot {
            types: self.info.types.clone(),
            objs: self.info.objs.clone(),
            funcs: self.info.funcs.clone(),
            scopes: self.scopes.clone(),
            used: self.used.clone(),
            pkg: self.pkg.clone(),
            fmt: self.fmt,
            blank: self.blank,
            nesting_reported: self.nesting_reported,
        }
    }

    /// Moves this checker's state out, to be given back by [`restore_state`](Self::restore_state).
    fn take_state(&mut self) -> State {
        State {
            info: std::mem::replace(&mut self.info, Info::new()),
            scopes: std::mem::take(&mut self.scopes),
            used: std::mem::take(&mut self.used),
            pkg: std::mem::take(&mut self.pkg),
            deps: std::mem::take(&mut self.deps),
            fmt: self.fmt,
            blank: self.blank,
            errors: std::mem::take(&mut self.errors),
            branch_errors: std::mem::take(&mut self.branch_errors),
            nesting_reported: self.nesting_reported,
        }
    }

    fn from_state(
        source: &'a SourceFile,
        file: &'a File,
        state: State,
        nodes: NodeFacts<'a>,
    ) -> Checker<'a> {
        let mut checker = Checker::bare(source, file, nodes);
        checker.put_state(state);
        checker
    }

    fn put_state(&mut self, state: State) {
        self.info = state.info;
        self.scopes = state.scopes;
        self.used = state.used;
        self.pkg = state.pkg;
        self.deps = state.deps;
        self.fmt = state.fmt;
        self.blank = state.blank;
        self.errors = state.errors;
        self.branch_errors = state.branch_errors;
        self.nesting_reported = state.nesting_reported;
    }

    /// Returns the state of the first run's checker, and the constant values it recorded.
    fn into_state(self) -> (State, Vec<ConstValue>) {
        let state = State {
            info: self.info,
            scopes: self.scopes,
            used: self.used,
            pkg: self.pkg,
            deps: self.deps,
            fmt: self.fmt,
            blank: self.blank,
            errors: self.errors,
            branch_errors: self.branch_errors,
            nesting_reported: self.nesting_reported,
        };
        (state, self.nodes.into_values())
    }

    /// Takes back the state [`take_state`](Self::take_state) moved out, as the first run
    /// left it.
    fn restore_state(&mut self, (state, values): (State, Vec<ConstValue>)) {
        self.put_state(state);
        self.nodes.rejoin(values);
    }

    /// Returns what the fork of a later run found: what it created past the counts at the
    /// fork.
    fn found(self, objs_from: usize, funcs_from: usize, types_from: usize) -> Found {
        let Checker {
            mut info,
            used,
            deps,
            errors,
            branch_errors,
            nodes,
            nesting_reported,
            ..
        } = self;
        let funcs = info.funcs.split_off(funcs_from);
        let closures = info
            .funcs
            .iter_mut()
            .enumerate()
            .filter(|(_, func)| !func.closures.is_empty())
            .map(|(idx, func)| (FuncId(idx as u32), std::mem::take(&mut func.closures)))
            .collect();
        Found {
            objs: info.objs.split_off(objs_from),
            used,
            types: info.types.into_types_from(types_from),
            funcs,
            closures,
            lit_funcs: info.lit_funcs,
            deps,
            reported_nesting: nesting_reported,
            errors,
            branch_errors,
            values: nodes.into_values(),
        }
    }

    /// Takes in what the fork that checked the nodes `nodes` found.
    fn merge(&mut self, nodes: Range<usize>, found: Found, mut shift: Shift) {
        for ty in found.types {
            let ty = ty.map_ids(|id| shift.ty(id));
            let id = self.info.types.intern(ty);
            shift.types.push(id);
        }
        self.info.objs.reserve(found.objs.len());
        for mut obj in found.objs {
            obj.ty = shift.ty(obj.ty);
            if let ObjKind::Var {
                owner: Some(owner), ..
            } = &mut obj.kind
            {
                *owner = shift.func(*owner);
            }
            self.info.objs.push(obj);
        }
        let objs_from = shift.objs_from as usize;
        for (used, &found_used) in self.used.iter_mut().zip(&found.used[..objs_from]) {
            *used |= found_used;
        }
        self.used.extend_from_slice(&found.used[objs_from..]);
        self.info.funcs.reserve(found.funcs.len());
        for mut func in found.funcs {
            func.ty = shift.ty(func.ty);
            func.parent = func.parent.map(|parent| shift.func(parent));
            for closure in &mut func.closures {
                *closure = shift.func(*closure);
            }
            for capture in &mut func.captures {
                *capture = shift.obj(*capture);
            }
            self.info.funcs.push(func);
        }
        for (id, closures) in found.closures {
            self.info.funcs[id.0 as usize].closures =
                closures.into_iter().map(|id| shift.func(id)).collect();
        }
        self.info.lit_funcs.extend(
            found
                .lit_funcs
                .into_iter()
                .map(|(node, id)| (node, shift.func(id))),
        );
        if self.deps.len() < found.deps.len() {
            self.deps.resize_with(found.deps.len(), Vec::new);
        }
        for (deps, found_deps) in self.deps.iter_mut().zip(found.deps) {
            deps.extend(found_deps);
        }
        self.branch_errors.append(found.branch_errors);
        let mut errors = found.errors;
        if self.nesting_reported && found.reported_nesting {
            // Reported once per file, by the first body that nests too deeply.
            errors.retain(|diag| diag.message != NESTED_TOO_DEEPLY);
        }
        self.nesting_reported |= found.reported_nesting;
        self.errors.append(errors);
        self.nodes.merge(nodes, found.values, &shift);
    }
}

/// Returns the runs of declarations whose function bodies `check` gives a thread each, with
/// up to `threads` threads and at most one per `min_chunk` nodes; one run or none means the
/// bodies are checked on the calling thread.
pub fn runs(file: &File, threads: usize, min_chunk: usize) -> Vec<Range<usize>> {
    cut(file, threads, min_chunk)
        .into_iter()
        .map(|chunk| chunk.decls)
        .collect()
}

/// Cuts the top-level functions with bodies into up to `threads` runs, at most one per
/// `min_chunk` nodes. Cuts fall between functions, once the runs so far hold their share of
/// the nodes, so runs are about equal when no function is large next to a share.
fn cut(file: &File, threads: usize, min_chunk: usize) -> Vec<Chunk> {
    // Each function with a body, as its declaration and the last of its nodes: its name's,
    // since the grammar inlines `Ident` and so numbers a declaration's name in the
    // declaration's own action, after everything inside it.
    let ends: Vec<(usize, usize)> = file
        .decls
        .iter()
        .enumerate()
        .filter_map(|(idx, decl)| match decl {
            Decl::Func(func) if func.body.is_some() => Some((idx, func.name.id.0 as usize)),
            _ => None,
        })
        .collect();
    let total = ends.last().map_or(0, |&(_, end)| end + 1);
    let n = threads.min(total / min_chunk.max(1));
    if n < 2 {
        return Vec::new();
    }
    let mut chunks: Vec<Chunk> = Vec::with_capacity(n);
    let (mut lo_decl, mut lo_node) = (0, 0);
    for pair in ends.windows(2) {
        let ((_, end), (next_decl, _)) = (pair[0], pair[1]);
        // Cut after this function once the runs so far hold their share.
        if (end + 1) * n >= total * (chunks.len() + 1) && chunks.len() + 1 < n {
            chunks.push(Chunk {
                decls: lo_decl..next_decl,
                nodes: lo_node..end + 1,
            });
            (lo_decl, lo_node) = (next_decl, end + 1);
        }
    }
    chunks.push(Chunk {
        decls: lo_decl..file.decls.len(),
        nodes: lo_node..file.n_nodes as usize,
    });
    chunks
}
