//! Checks labels, `break` and `continue`, as Go's `syntax/branches.go` does before type
//! checking.
//!
//! Each function body, top-level or literal, has its own labels and its own loops: a `break`
//! inside a function literal never leaves a loop around the literal. The walk covers
//! statements only; the checker calls [`check_body`] for each top-level body before checking
//! it and for each function literal it meets, so expressions are not walked twice. Go
//! reports these errors while parsing, before any type error: the checker keeps them apart
//! and puts them first.

use rustc_hash::FxHashMap;

use crate::diag::{Diagnostics, SourceFile, Span};
use crate::syntax::ast::{Block, ForHeader, Ident, Interner, Stmt, Symbol};

/// What a labelled statement is, for the targets of `break` and `continue`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Loop,
    Switch,
    Other,
}

struct Label {
    /// The label of the first declaration, which identifies it.
    span: Span,
    used: bool,
}

struct Walker<'a> {
    names: &'a Interner,
    source: &'a SourceFile,
    diags: &'a mut Diagnostics,
}

/// The state of one function body.
#[derive(Default)]
struct Body {
    labels: FxHashMap<Symbol, Label>,
    /// Declaration order, for reporting unused labels.
    order: Vec<Symbol>,
    /// Errors of this body, reported after those of the literals inside it.
    errors: Vec<(Span, String)>,
    /// The labels `goto` names, which may come later in the body.
    gotos: Vec<Ident>,
}

/// The statements enclosing the current point of one body.
#[derive(Clone, Default)]
struct Context {
    in_loop: bool,
    in_breakable: bool,
    /// Labelled statements around this point, innermost last: their label span and kind.
    enclosing: Vec<(Span, Target)>,
}

/// Branch errors in the order the checker reports them: those of top-level function bodies in
/// source order, then those of function literals in the order the checker meets them.
#[derive(Debug, Default)]
pub(crate) struct BranchErrors {
    /// Errors of top-level function bodies.
    pub(crate) funcs: Diagnostics,
    /// Errors of function literal bodies.
    pub(crate) lits: Diagnostics,
}

impl BranchErrors {
    /// Moves the errors of `other`, found after those of `self`, into `self`.
    pub(crate) fn append(&mut self, other: BranchErrors) {
        self.funcs.append(other.funcs);
        self.lits.append(other.lits);
    }

    /// Returns all the errors, in order.
    pub(crate) fn into_diagnostics(self) -> Diagnostics {
        let mut all = self.funcs;
        all.append(self.lits);
        all
    }
}

/// Checks one function body, top-level or literal.
pub(crate) fn check_body(
    body: &Block,
    names: &Interner,
    diags: &mut Diagnostics,
    source: &SourceFile,
) {
    let mut walker = Walker {
        names,
        source,
        diags,
    };
    walker.func_body(body);
}

impl Walker<'_> {
    fn func_body(&mut self, body: &Block) {
        let mut state = Body::default();
        self.block(&mut state, &Context::default(), &body.stmts);
        for target in std::mem::take(&mut state.gotos) {
            match state.labels.get_mut(&target.name) {
                Some(label) => label.used = true,
                None => state.errors.push((
                    target.span,
                    format!("label {} not defined", self.names.name(target.name)),
                )),
            }
        }
        for name in &state.order {
            let label = &state.labels[name];
            if !label.used {
                state.errors.push((
                    label.span,
                    format!("label {} defined and not used", self.names.name(*name)),
                ));
            }
        }
        for (span, message) in state.errors {
            self.diags.error(span, message);
        }
    }

    fn block(&mut self, body: &mut Body, ctx: &Context, stmts: &[Stmt]) {
        for stmt in stmts {
            self.stmt(body, ctx, stmt, None);
        }
    }

    /// Walks `stmt`; `label` is the label span of a labelled statement.
    fn stmt(&mut self, body: &mut Body, ctx: &Context, stmt: &Stmt, label: Option<Span>) {
        match stmt {
            Stmt::Labeled { label: name, stmt } => {
                let span = name.span;
                // The blank label declares nothing, so it is never unused nor a target.
                if self.names.name(name.name) == "_" {
                    self.stmt(body, ctx, stmt, None);
                    return;
                }
                if let Some(first) = body.labels.get(&name.name) {
                    let pos = self.source.position(first.span);
                    body.errors.push((
                        span,
                        format!(
                            "label {} already defined at {pos}",
                            self.names.name(name.name)
                        ),
                    ));
                } else {
                    body.labels.insert(name.name, Label { span, used: false });
                    body.order.push(name.name);
                }
                self.stmt(body, ctx, stmt, Some(span));
            }
            Stmt::Branch {
                is_break,
                label: None,
                span,
            } => {
                if *is_break && !ctx.in_breakable {
                    body.errors.push((
                        *span,
                        "break is not in a loop, switch, or select".to_string(),
                    ));
                } else if !*is_break && !ctx.in_loop {
                    body.errors
                        .push((*span, "continue is not in a loop".to_string()));
                }
            }
            Stmt::Branch {
                is_break,
                label: Some(name),
                ..
            } => {
                let keyword = if *is_break { "break" } else { "continue" };
                let text = self.names.name(name.name);
                let Some(label) = body.labels.get_mut(&name.name) else {
                    body.errors
                        .push((name.span, format!("{keyword} label not defined: {text}")));
                    return;
                };
                label.used = true;
                let target = ctx
                    .enclosing
                    .iter()
                    .rev()
                    .find(|(span, _)| *span == label.span)
                    .map(|(_, target)| *target);
                let valid = match target {
                    Some(Target::Loop) => true,
                    Some(Target::Switch) => *is_break,
                    _ => false,
                };
                if !valid {
                    body.errors
                        .push((name.span, format!("invalid {keyword} label {text}")));
                }
            }
            Stmt::Block(block) => self.block(body, ctx, &block.stmts),
            Stmt::If(if_stmt) => {
                if let Some(init) = &if_stmt.init {
                    self.stmt(body, ctx, init, None);
                }
                let inner = enclose(ctx, label, Target::Other, false, false);
                self.block(body, &inner, &if_stmt.then.stmts);
                if let Some(els) = &if_stmt.els {
                    self.stmt(body, &inner, els, None);
                }
            }
            Stmt::For(for_stmt) => {
                match &for_stmt.header {
                    ForHeader::Clause { init, post, .. } => {
                        if let Some(init) = init {
                            self.stmt(body, ctx, init, None);
                        }
                        if let Some(post) = post {
                            self.stmt(body, ctx, post, None);
                        }
                    }
                    ForHeader::Range { .. } => {}
                }
                let inner = enclose(ctx, label, Target::Loop, true, true);
                self.block(body, &inner, &for_stmt.body.stmts);
            }
            Stmt::Switch(switch) => {
                if let Some(init) = &switch.init {
                    self.stmt(body, ctx, init, None);
                }
                let inner = enclose(ctx, label, Target::Switch, ctx.in_loop, true);
                for clause in &switch.clauses {
                    self.block(body, &inner, &clause.body);
                }
            }
            Stmt::TypeSwitch(switch) => {
                if let Some(init) = &switch.init {
                    self.stmt(body, ctx, init, None);
                }
                let inner = enclose(ctx, label, Target::Switch, ctx.in_loop, true);
                for clause in &switch.clauses {
                    self.block(body, &inner, &clause.body);
                }
            }
            Stmt::Select(select) => {
                let inner = enclose(ctx, label, Target::Switch, ctx.in_loop, true);
                for clause in &select.clauses {
                    self.block(body, &inner, &clause.body);
                }
            }
            Stmt::Goto { label: target, .. } => body.gotos.push(*target),
            Stmt::Expr(_)
            | Stmt::Var(_)
            | Stmt::Const(_)
            | Stmt::Empty
            | Stmt::Bad
            | Stmt::Define { .. }
            | Stmt::Assign { .. }
            | Stmt::IncDec { .. }
            | Stmt::Return { .. }
            | Stmt::Type(_)
            | Stmt::GoDefer { .. }
            | Stmt::Send(_)
            | Stmt::Fallthrough(_) => {}
        }
    }
}

/// Returns the context inside a statement of kind `target` labelled `label`.
fn enclose(
    ctx: &Context,
    label: Option<Span>,
    target: Target,
    in_loop: bool,
    in_breakable: bool,
) -> Context {
    let mut inner = Context {
        in_loop: in_loop || ctx.in_loop,
        in_breakable: in_breakable || ctx.in_breakable,
        enclosing: ctx.enclosing.clone(),
    };
    if let Some(span) = label {
        inner.enclosing.push((span, target));
    }
    inner
}
