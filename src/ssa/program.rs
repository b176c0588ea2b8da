//! The checked program, indexed for the back end: what every unit's construction reads.
//!
//! [`Program`] is built once, before the workers start (`--timings` shows it as `index`),
//! and frozen: every worker reads it, none writes it. Besides the tree and the checker's
//! `Info`, it keeps what the builder would otherwise look up in the tree at each call:
//! every function's span, which sizes its tables and decides inlining, and every function
//! literal's syntax. Literals are found by walking (`syntax::walk`) only the bodies of the
//! functions that make closures and the package variables' initializers.

use crate::diag::Span;
use crate::ssa::build::INLINE_MAX_BYTES;
use crate::syntax::ast::{self, Block, ExprKind};
use crate::syntax::walk::{self, Node};
use crate::types::object::FuncNode;
use crate::types::{FuncId, Info};

/// The checked program, indexed for the back end and frozen before any unit is compiled:
/// every worker reads it, none writes it.
pub struct Program<'a> {
    /// The syntax tree.
    pub file: &'a ast::File,
    /// What the checker learned.
    pub info: &'a Info,
    /// Per function: its span (see [`Program::span`]), read at every call the builder
    /// considers inlining, so kept here rather than looked up in the tree.
    spans: Vec<Span>,
    /// Per function: its syntax, for function literals.
    lits: Vec<Option<&'a ast::FuncLit>>,
}

impl<'a> Program<'a> {
    /// Indexes `file`.
    pub fn new(file: &'a ast::File, info: &'a Info) -> Program<'a> {
        let mut spans = vec![Span::default(); info.funcs.len()];
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
            spans[idx] = Span::new(decl.name.span.lo as usize, end as usize);
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
                // literal in a program that checks, and the checker rejects type
                // declarations.
                ast::Decl::Func(_) | ast::Decl::Const(_) | ast::Decl::Type(_) | ast::Decl::Bad => {}
            }
        }
        Program {
            file,
            info,
            spans,
            lits,
        }
    }

    /// Returns the package's name, which qualifies its symbols: `main`, or `runtime` for
    /// the runtime's Toy source.
    pub fn package(&self) -> &'a str {
        self.file.names.name(self.file.package.name)
    }

    /// Returns the signature and body of `func`.
    pub(crate) fn syntax(&self, func: FuncId) -> (&'a ast::Signature, &'a Block) {
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
    pub fn span(&self, func: FuncId) -> Span {
        self.spans[func.0 as usize]
    }

    /// Reports whether calls of top-level function `func` may be replaced with its body:
    /// then other units make its closures too, and refer to their code.
    pub fn may_inline(&self, func: FuncId) -> bool {
        let span = self.span(func);
        self.info.funcs[func.0 as usize].parent.is_none() && span.hi - span.lo <= INLINE_MAX_BYTES
    }
}

#[cfg(test)]
mod tests;
