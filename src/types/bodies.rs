//! Checking top-level function bodies on several threads.
//!
//! Once the package-level declarations are resolved, each top-level function body reads only
//! what they declared and writes only facts of its own: the nodes of its declaration (a
//! contiguous range, since nodes are numbered in reduction order), the local objects,
//! literals and types it creates, the errors it finds. So the functions are cut into runs of
//! about equal node counts, each checked on its own thread and recording into its run's
//! slice of the per-node vectors. The first run, on the calling thread, takes over the
//! checker's state (`check::State`, moved whole) and gives it back. Each later run forks, on
//! its own thread, a fork taken once ([`State::fork`]: copies of what a body reads, nothing
//! found yet), and numbers the objects, literals, constant values and types it creates from
//! the counts at the fork (`Counts`); the merge appends what each found, in order, and moves
//! its numbers up by what the runs before it created (`Shift`). Function literals at package
//! level are checked afterwards, on the calling thread, as `check` does.
//!
//! Every step names every field it handles: [`State::fork`], [`Checker::found`] and
//! [`Checker::merge`] the state's, `Info::fork`, `Info::found` and `Info::merge` those of
//! `Info`. A field added to either does not compile until each step says what becomes of
//! it, so none is silently dropped by the parallel check.
//!
//! **Invariant:** the result is exactly the serial check's. Within a run the bodies are
//! checked in source order, so a run numbers what it creates in the serial order, counted
//! from the fork; the merge places runs in source order, so each run's count starts where the
//! serial check's would; and a type that a run creates is interned anew at the merge, so it
//! gets the id it would have had serially. Errors are appended run by run, in the order the
//! serial check finds them. `tests/it/bodies.rs` compares the two on the whole corpus, and
//! the unit tests compare every field of the checker's state after the bodies.

use std::ops::Range;

use rustc_hash::FxHashSet;

use crate::diag::Diagnostics;
use crate::syntax::ast::{Decl, File, NodeId};
use crate::types::branches::{self, BranchErrors};
use crate::types::check::{Checker, NESTED_TOO_DEEPLY, State};
use crate::types::constant::ConstValue;
use crate::types::object::{Counts, FoundInfo, ObjId, ObjKind};
use crate::types::ty::INVALID;

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

/// What a run gives back: the first, the checker's state and the constant values it recorded;
/// a later one, what it found.
enum Ran {
    First(Box<(State, Vec<ConstValue>)>),
    Later(Box<Found>),
}

/// What a later run found, numbered from the counts at the fork: made from the run's whole
/// state on its own thread ([`Checker::found`]), merged on the calling thread
/// ([`Checker::merge`]).
struct Found {
    info: FoundInfo,
    /// Per object: used; the package-level ones are or-ed into the checker's.
    used: Vec<bool>,
    /// Per package-level object: the package-level objects its body uses.
    deps: Vec<Vec<ObjId>>,
    errors: Diagnostics,
    branch_errors: BranchErrors,
    panic_calls: FxHashSet<NodeId>,
    /// Whether [`NESTED_TOO_DEEPLY`] has been reported, by the fork or before it.
    nesting_reported: bool,
    /// Whether a construct Toy lacks has been reported, by the fork or before it.
    unsupported_reported: bool,
    /// The constant values recorded for the run's nodes.
    values: Vec<ConstValue>,
}

impl State {
    /// Returns the state a later run starts from: copies of what it reads, with nothing found
    /// yet. Forking a fork gives the fork again, so each run forks, on its own thread, one
    /// fork taken on the calling thread.
    fn fork(&self) -> State {
        let State {
            info,
            errors: _,
            branch_errors: _,
            scopes,
            used,
            pkg,
            deps: _,
            fmt,
            sys,
            blank,
            panic_calls: _,
            nesting_reported,
            unsupported_reported,
        } = self;
        State {
            info: info.fork(),
            errors: Diagnostics::default(),
            branch_errors: BranchErrors::default(),
            scopes: scopes.clone(),
            used: used.clone(),
            pkg: pkg.clone(),
            deps: Vec::new(),
            fmt: *fmt,
            sys: *sys,
            blank: *blank,
            panic_calls: FxHashSet::default(),
            nesting_reported: *nesting_reported,
            unsupported_reported: *unsupported_reported,
        }
    }
}

impl<'a> Checker<'a> {
    /// Checks the body of every top-level function in `decls`, in source order: its branch
    /// statements, then the rest.
    fn check_bodies(&mut self, decls: Range<usize>) {
        for decl in &self.file.decls[decls] {
            if let Decl::Func(func) = decl
                && let Some(body) = &func.body
            {
                let branch_errors = &mut self.state.branch_errors.funcs;
                branches::check_body(body, &self.file.names, branch_errors, self.source);
                let Some(obj) = self.nodes.obj_of(func.name.id) else {
                    continue;
                };
                let ObjKind::Func(id) = self.state.info.obj(obj).kind else {
                    continue;
                };
                self.env.cur_decl = Some(obj);
                // A function whose signature Toy lacks has no type, and its body is given up
                // on: the construct was reported with the signature.
                self.env.too_deep = self.state.info.funcs[id.0 as usize].ty == INVALID;
                self.func_body(id, &func.sig, body);
            }
        }
        self.env.cur_decl = None;
        self.env.too_deep = false;
    }

    /// Checks every top-level function body, on up to `threads` threads and at most one per
    /// `min_chunk` nodes. This checker's state goes, whole, to the first run, on the calling
    /// thread, and comes back with what the run found; each later run forks it on its own
    /// thread, and what they find is merged in after.
    pub(crate) fn check_all_bodies(&mut self, threads: usize, min_chunk: usize) {
        let chunks = cut(self.file, threads, min_chunk);
        if chunks.len() < 2 {
            self.check_bodies(0..self.file.decls.len());
            return;
        }
        let from = Counts {
            objs: self.state.info.objs.len() as u32,
            funcs: self.state.info.funcs.len() as u32,
            values: self.nodes.n_values(),
            types: self.state.info.types.len() as u32,
        };
        let snapshot = self.state.fork();
        let mut own = Some(std::mem::replace(&mut self.state, State::new()));
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
                Decl::Var(_) | Decl::Const(_) | Decl::Type(_) | Decl::Bad => 0,
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
                        let mut checker = Checker::with_state(source, file, nodes, state);
                        checker.check_bodies(decls);
                        match first {
                            true => {
                                Ran::First(Box::new((checker.state, checker.nodes.into_values())))
                            }
                            false => Ran::Later(Box::new(checker.found(from))),
                        }
                    }
                }),
        );
        let later = ran.split_off(1);
        let Some(Ran::First(first)) = ran.pop() else {
            unreachable!("the first run has the checker's state")
        };
        let (state, values) = *first;
        self.state = state;
        self.nodes.rejoin(values);
        for (chunk, ran) in chunks[1..].iter().zip(later) {
            let Ran::Later(found) = ran else {
                unreachable!("later runs find")
            };
            self.merge(chunk.nodes.clone(), *found, from);
        }
    }

    /// Returns what the fork of a later run found: what it created past the counts `from`
    /// at the fork.
    fn found(self, from: Counts) -> Found {
        let Checker {
            source: _,
            file: _,
            nodes,
            state,
            env: _,
            deferred_lits,
        } = self;
        debug_assert!(deferred_lits.is_empty(), "a body defers no literal");
        // What a run reads and does not change: the package scope (each body's scopes are
        // closed), the package-level declarations (all resolved before the cut), `fmt` and
        // `_`.
        let State {
            info,
            errors,
            branch_errors,
            scopes: _,
            used,
            pkg: _,
            deps,
            fmt: _,
            sys: _,
            blank: _,
            panic_calls,
            nesting_reported,
            unsupported_reported,
        } = state;
        Found {
            info: info.found(from),
            used,
            deps,
            errors,
            branch_errors,
            panic_calls,
            nesting_reported,
            unsupported_reported,
            values: nodes.into_values(),
        }
    }

    /// Takes in what the fork that checked the nodes `nodes` found, numbered from the counts
    /// `from` at the fork.
    fn merge(&mut self, nodes: Range<usize>, found: Found, from: Counts) {
        let Found {
            info,
            used,
            deps,
            errors,
            branch_errors,
            panic_calls,
            nesting_reported,
            unsupported_reported,
            values,
        } = found;
        let state = &mut self.state;
        let shift = state.info.merge(info, from);
        let objs_from = from.objs as usize;
        for (used, &found_used) in state.used.iter_mut().zip(&used[..objs_from]) {
            *used |= found_used;
        }
        state.used.extend_from_slice(&used[objs_from..]);
        if state.deps.len() < deps.len() {
            state.deps.resize_with(deps.len(), Vec::new);
        }
        for (deps, found_deps) in state.deps.iter_mut().zip(deps) {
            deps.extend(found_deps);
        }
        state.branch_errors.append(branch_errors);
        let mut errors = errors;
        if state.nesting_reported && nesting_reported {
            // Reported once per file, by the first body that nests too deeply.
            errors.retain(|diag| diag.message != NESTED_TOO_DEEPLY);
        }
        state.nesting_reported |= nesting_reported;
        state.unsupported_reported |= unsupported_reported;
        state.errors.append(errors);
        state.panic_calls.extend(panic_calls);
        self.nodes.merge(nodes, values, &shift);
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

#[cfg(test)]
mod tests;
