//! Parsing one file on several threads.
//!
//! To the parser, top-level declarations are independent: each starts with `func`, `var` or
//! `const` after a `;` outside any bracket, and nothing in one depends on another. So a lexer
//! of the whole file (the one serial step: it validates literals and interns identifiers, in
//! the order the serial parse would) notes where such declarations start and cuts the file
//! there into chunks of about equal size. Each chunk is lexed again and parsed on its own
//! thread: the first from the package clause, the others after a `Tok::Chunk`, which the
//! grammar's start symbol accepts in place of the package clause. Nodes are numbered from 0
//! in each chunk; every chunk's are then shifted by the count of the chunks before it.
//!
//! **Invariant:** the result is exactly the tree `parse::parse` builds, node numbers and
//! symbols included. The grammar is unambiguous, so parses of the chunks that succeed without
//! error recovery are the parse of the whole; and the actions number nodes in reduction order,
//! which chunks keep. If any chunk meets a syntax error, the file is parsed again by
//! `parse::parse`, so errors read exactly as a serial parse reports them.

use std::ops::Range;

use crate::diag::{Diagnostics, SourceFile};
use crate::syntax::ast::{
    Block, ConstSpec, Decl, Expr, ExprKind, File, ForHeader, Ident, Interner, Signature, Stmt,
    TypeExpr, VarSpec,
};
use crate::syntax::lexer::Lexer;
use crate::syntax::parse::{self, Parsed, State};
use crate::syntax::token::Tok;

/// Below this many bytes a chunk is not worth a thread.
pub const MIN_CHUNK_BYTES: usize = 64 * 1024;

/// Stack size of a chunk's thread: shifting node numbers recurses as deeply as the
/// declarations nest. Reserved address space; only touched pages are committed.
const CHUNK_STACK: usize = 1 << 30;

/// Parses `file` as [`parse::parse`] does, with up to `threads` threads on chunks of at
/// least `min_chunk` bytes.
pub fn parse(
    file: &SourceFile,
    diags: &mut Diagnostics,
    threads: usize,
    min_chunk: usize,
) -> Option<File> {
    let text = file.text.as_str();
    let n_chunks = chunk_count(text, threads, min_chunk);
    if n_chunks < 2 {
        return parse::parse(file, diags);
    }
    let mut lexer = Lexer::new(text);
    let ranges = cut(text, &mut lexer, n_chunks);
    if ranges.len() < 2 {
        return parse::parse(file, diags);
    }
    let names = lexer.take_names();
    let parts = on_threads(ranges.into_iter().map(|range| {
        let names = &names;
        move || parse_chunk(text, range, names)
    }));
    let Some(parts) = parts.into_iter().collect::<Option<Vec<_>>>() else {
        return parse::parse(file, diags);
    };
    let mut bases = Vec::with_capacity(parts.len());
    let mut n_nodes = 0;
    for (_, count) in &parts {
        bases.push(n_nodes);
        n_nodes += count;
    }
    let parts = on_threads(parts.into_iter().zip(bases).map(|((mut part, _), base)| {
        move || {
            let shift = Shift(base);
            // The first chunk's base is 0, so its package clause and imports need no shift.
            match &mut part {
                Parsed::File(file) => file.decls.iter_mut().for_each(|decl| shift.decl(decl)),
                Parsed::Decls(decls) => decls.iter_mut().for_each(|decl| shift.decl(decl)),
            }
            part
        }
    }));
    let mut parts = parts.into_iter();
    let Some(Parsed::File(mut whole)) = parts.next() else {
        unreachable!("the first chunk starts at the package clause")
    };
    for part in parts {
        let Parsed::Decls(decls) = part else {
            unreachable!("later chunks start at a chunk token")
        };
        whole.decls.extend(decls);
    }
    whole.n_nodes = n_nodes;
    whole.names = names;
    parse::report(file, std::mem::take(&mut lexer.diags), diags);
    Some(*whole)
}

/// Returns where [`parse`] with these arguments cuts `text`: 0, then the start of each
/// chunk after the first.
pub fn starts(text: &str, threads: usize, min_chunk: usize) -> Vec<usize> {
    match chunk_count(text, threads, min_chunk) {
        n_chunks if n_chunks < 2 => vec![0],
        n_chunks => cut(text, &mut Lexer::new(text), n_chunks)
            .into_iter()
            .map(|range| range.start)
            .collect(),
    }
}

fn chunk_count(text: &str, threads: usize, min_chunk: usize) -> usize {
    threads.min(text.len() / min_chunk.max(1))
}

/// Lexes all of `text` with `lexer`, and returns up to `n_chunks` ranges covering it, each
/// but the first starting at a top-level declaration.
fn cut(text: &str, lexer: &mut Lexer<'_>, n_chunks: usize) -> Vec<Range<usize>> {
    let step = text.len() / n_chunks;
    let mut starts = vec![0];
    let mut next_cut = step;
    let mut depth = 0u32;
    let mut after_semi = false;
    for item in lexer {
        let Ok((lo, tok, _)) = item;
        match tok {
            Tok::LParen | Tok::LBrack | Tok::LBrace => depth += 1,
            Tok::RParen | Tok::RBrack | Tok::RBrace => depth = depth.saturating_sub(1),
            Tok::Func | Tok::Var | Tok::Const if depth == 0 && after_semi && lo >= next_cut => {
                starts.push(lo);
                next_cut = lo + step;
            }
            _ => {}
        }
        after_semi = matches!(tok, Tok::Semi(_));
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    starts.iter().zip(ends).map(|(&lo, hi)| lo..hi).collect()
}

/// Parses one chunk; returns it and how many nodes it numbered, or `None` on any error.
fn parse_chunk(text: &str, range: Range<usize>, names: &Interner) -> Option<(Parsed, u32)> {
    let mut state = State::new(text);
    let first = range.start;
    let lexer = Lexer::part(text, range, names);
    let result = if first == 0 {
        parse::run(&mut state, lexer)
    } else {
        parse::run(
            &mut state,
            std::iter::once(Ok((first, Tok::Chunk, first))).chain(lexer),
        )
    };
    match result {
        Ok(parsed) if !state.recovered() => Some((parsed, state.n_nodes())),
        _ => None,
    }
}

/// Runs each job on its own thread, the first on the calling one, and returns the results in
/// order. A panic in a job is resumed on the calling thread once every job has ended.
fn on_threads<T: Send, J: FnOnce() -> T + Send>(jobs: impl IntoIterator<Item = J>) -> Vec<T> {
    let mut jobs = jobs.into_iter();
    let Some(first) = jobs.next() else {
        return Vec::new();
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .map(|job| {
                std::thread::Builder::new()
                    .name("toyc-parse".to_string())
                    .stack_size(CHUNK_STACK)
                    .spawn_scoped(scope, job)
                    .expect("a parse thread starts")
            })
            .collect();
        let mut results = vec![first()];
        let mut panic = None;
        for handle in handles {
            match handle.join() {
                Ok(result) => results.push(result),
                Err(payload) => panic = Some(payload),
            }
        }
        if let Some(payload) = panic {
            std::panic::resume_unwind(payload);
        }
        results
    })
}

/// Adds a chunk's base to every node number in it.
struct Shift(u32);

impl Shift {
    fn ident(&self, ident: &mut Ident) {
        ident.id.0 += self.0;
    }

    fn decl(&self, decl: &mut Decl) {
        match decl {
            Decl::Func(func) => {
                self.ident(&mut func.name);
                self.signature(&mut func.sig);
                if let Some(body) = &mut func.body {
                    self.block(body);
                }
            }
            Decl::Var(specs) => specs.iter_mut().for_each(|spec| self.var_spec(spec)),
            Decl::Const(specs) => specs.iter_mut().for_each(|spec| self.const_spec(spec)),
            Decl::Bad => {}
        }
    }

    fn signature(&self, sig: &mut Signature) {
        for param in sig.params.iter_mut().chain(&mut sig.results) {
            if let Some(name) = &mut param.name {
                self.ident(name);
            }
            self.type_expr(&mut param.ty);
        }
    }

    fn type_expr(&self, ty: &mut TypeExpr) {
        match ty {
            TypeExpr::Name(name) => self.ident(name),
            TypeExpr::Func(sig) => self.signature(sig),
        }
    }

    fn var_spec(&self, spec: &mut VarSpec) {
        spec.names.iter_mut().for_each(|name| self.ident(name));
        if let Some(ty) = &mut spec.ty {
            self.type_expr(ty);
        }
        self.exprs(&mut spec.values);
    }

    fn const_spec(&self, spec: &mut ConstSpec) {
        spec.names.iter_mut().for_each(|name| self.ident(name));
        if let Some(ty) = &mut spec.ty {
            self.type_expr(ty);
        }
        self.exprs(&mut spec.values);
    }

    fn block(&self, block: &mut Block) {
        block.stmts.iter_mut().for_each(|stmt| self.stmt(stmt));
    }

    fn stmt(&self, stmt: &mut Stmt) {
        match stmt {
            Stmt::Expr(expr) | Stmt::IncDec { target: expr, .. } => self.expr(expr),
            Stmt::Var(specs) => specs.iter_mut().for_each(|spec| self.var_spec(spec)),
            Stmt::Const(specs) => specs.iter_mut().for_each(|spec| self.const_spec(spec)),
            Stmt::Define { lhs, rhs, .. } | Stmt::Assign { lhs, rhs, .. } => {
                self.exprs(lhs);
                self.exprs(rhs);
            }
            Stmt::Block(block) => self.block(block),
            Stmt::If(stmt) => {
                if let Some(init) = &mut stmt.init {
                    self.stmt(init);
                }
                self.expr(&mut stmt.cond);
                self.block(&mut stmt.then);
                if let Some(els) = &mut stmt.els {
                    self.stmt(els);
                }
            }
            Stmt::For(stmt) => {
                match &mut stmt.header {
                    ForHeader::Clause { init, cond, post } => {
                        if let Some(init) = init {
                            self.stmt(init);
                        }
                        if let Some(cond) = cond {
                            self.expr(cond);
                        }
                        if let Some(post) = post {
                            self.stmt(post);
                        }
                    }
                    ForHeader::Range {
                        key, value, expr, ..
                    } => {
                        key.iter_mut().chain(value).for_each(|var| self.expr(var));
                        self.expr(expr);
                    }
                }
                self.block(&mut stmt.body);
            }
            Stmt::Switch(stmt) => {
                if let Some(init) = &mut stmt.init {
                    self.stmt(init);
                }
                if let Some(tag) = &mut stmt.tag {
                    self.expr(tag);
                }
                for clause in &mut stmt.clauses {
                    if let Some(exprs) = &mut clause.exprs {
                        self.exprs(exprs);
                    }
                    clause.body.iter_mut().for_each(|stmt| self.stmt(stmt));
                }
            }
            Stmt::Return { results, .. } => self.exprs(results),
            Stmt::Branch { label, .. } => {
                if let Some(label) = label {
                    self.ident(label);
                }
            }
            Stmt::Labeled { label, stmt } => {
                self.ident(label);
                self.stmt(stmt);
            }
            Stmt::Empty | Stmt::Bad => {}
        }
    }

    fn exprs(&self, exprs: &mut [Expr]) {
        exprs.iter_mut().for_each(|expr| self.expr(expr));
    }

    fn expr(&self, expr: &mut Expr) {
        expr.id.0 += self.0;
        match &mut expr.kind {
            ExprKind::Name(_)
            | ExprKind::Int
            | ExprKind::Float
            | ExprKind::Rune
            | ExprKind::Str(_)
            | ExprKind::Bad => {}
            ExprKind::FuncLit(lit) => {
                self.signature(&mut lit.sig);
                self.block(&mut lit.body);
            }
            ExprKind::FuncType(sig) => self.signature(sig),
            ExprKind::Paren(inner) | ExprKind::Unary(_, inner) => self.expr(inner),
            ExprKind::Binary(_, left, right, _) => {
                self.expr(left);
                self.expr(right);
            }
            ExprKind::Call(callee, args) => {
                self.expr(callee);
                self.exprs(args);
            }
            ExprKind::Selector(base, field) => {
                self.expr(base);
                self.ident(field);
            }
        }
    }
}
