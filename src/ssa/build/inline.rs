//! Inlining during construction: a call replaced with the callee's body, built in place by
//! the same `Builder`, with its parameters bound to the argument words and its `return`s
//! jumping to a join block that carries the results (`inline_body`). There are two modes,
//! by what is called:
//!
//! - **A top-level function**, called by name (`inlinable`, `inline`): one of at most
//!   [`INLINE_MAX_BYTES`] of source (`Program::may_inline`), other than the function being
//!   built, called from code that is not itself an inlined body, so inlining goes one level
//!   deep and recursion cannot unfold. The closures the inlined body makes stay units of the
//!   inlined function, which lists them; its variables that they capture and assign live in
//!   cells here as there, so the layout of their captures is the same.
//! - **A known closure** (`lit_inlinable`, `inline_lit`): a closure value this function made
//!   itself (`Known`: the literal and its captured words, reached through SSA values, never
//!   through a cell or a phi). A call of one is replaced with the literal's body, which
//!   needs no nil check, its captured variables bound to the closure's words, when the
//!   literal is small and makes no closures (their captures would be laid out for the
//!   literal's own frame), up to [`INLINE_MAX_LIT_DEPTH`] literals deep.
//!
//! The named results of an inlined body are its variables too, declared with their zero
//! values beside its parameters; a bare `return` there carries their current values to the
//! join block.
//!
//! Every other call stays a call (`call`).

use crate::ssa::func::{BlockId, ValueId};
use crate::syntax::ast::{self, Block};
use crate::types::FuncId;

use super::{Builder, Capture, VarLoc, Words, boxed_vars, params};

/// A closure value whose literal and captured words are known where it is called.
#[derive(Clone)]
pub(super) struct Known {
    /// The literal.
    pub(super) func: FuncId,
    /// How the closure holds each captured variable.
    pub(super) env: Vec<Capture>,
    /// The captured words, in `env` order: a cell's address for a capture by reference.
    pub(super) words: Words,
}

/// Where the `return` statements of an inlined body go.
#[derive(Clone, Copy)]
pub(super) struct Inlining {
    /// The block after the inlined body.
    pub(super) exit: BlockId,
    /// The SSA variables holding the result words.
    pub(super) results: u32,
}

/// The largest body, in bytes of source from the name to the closing brace, that a call
/// may be replaced with: small leaf-like functions, as Go's inliner budget picks them.
pub(crate) const INLINE_MAX_BYTES: u32 = 240;

/// How deeply inlined literal bodies may nest: a literal calling a closure it captured,
/// which calls another.
const INLINE_MAX_LIT_DEPTH: u32 = 3;

impl<'a> Builder<'a> {
    /// Reports whether a call of `func` is replaced with its body: a small top-level
    /// function, not the function being built, and not from inside an inlined body (one
    /// level, so recursion cannot unfold).
    pub(super) fn inlinable(&self, func: FuncId) -> bool {
        self.inlining.is_none() && Some(func) != self.this && self.program.may_inline(func)
    }

    /// Builds the body of top-level `func` in place of a call with arguments `args`;
    /// returns the result words.
    pub(super) fn inline(&mut self, func: FuncId, args: &[ValueId]) -> Words {
        let (sig, body) = self.program.syntax(func);
        // The callee's variables that its closures capture and assign live in cells here
        // too, as in the callee's own code, which its closures were compiled against.
        if !self.info.funcs[func.0 as usize].closures.is_empty() {
            let boxed = boxed_vars(self.info, func, sig, body);
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
    pub(super) fn lit_inlinable(&self, func: FuncId) -> bool {
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
    pub(super) fn inline_lit(&mut self, known: &Known, args: &[ValueId]) -> Words {
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
        let n_results: u32 = fty.results.iter().map(|&ty| self.words_of(ty)).sum();
        let exit = self.new_block();
        let results = self.new_var(n_results);
        let saved_results = std::mem::replace(&mut self.result_tys, fty.results.clone());
        let saved_inlining = self.inlining.replace(Inlining { exit, results });
        let mut at = 0;
        for (param, &ty) in params(sig).zip(&fty.params) {
            let n = self.words_of(ty) as usize;
            if let Some(obj) = param.and_then(|name| info.obj_of(name.id)) {
                self.declare(obj, &args[at..at + n]);
            }
            at += n;
        }
        // Its named results are variables of the inlined body, as its parameters are.
        let named_results = self.declare_results(sig, &fty.results);
        let saved_named = std::mem::replace(&mut self.named_results, named_results);
        self.block(body);
        // A function without results may end without `return`.
        self.jump(exit);
        self.inlining = saved_inlining;
        self.result_tys = saved_results;
        self.named_results = saved_named;
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
}
