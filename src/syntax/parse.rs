//! The parser façade: runs the LALRPOP parser over the lexer and turns its errors into Go's
//! `syntax error: …` diagnostics.
//!
//! LALRPOP's types stay inside this module: [`from_lalrpop`] is the one place where a
//! `ParseError` becomes a [`Diagnostic`]. The generated parser is table-driven with an explicit
//! stack, so deeply nested input cannot overflow the machine stack while parsing; later,
//! recursive phases run on a thread with a large stack (see `driver`).

use std::convert::Infallible;

use lalrpop_util::{ErrorRecovery, ParseError};

use crate::diag::{Diagnostic, Diagnostics, SourceFile, Span};
use crate::syntax::ast::{
    BinOp, Binary, Call, CaseClause, Composite, ConstSpec, Decl, Expr, ExprKind, File, ForHeader,
    Ident, Import, Instance, InstanceExpr, Interner, NodeId, Param, Signature, SliceExpr, Stmt,
    SwitchStmt, Symbol, Term, TypeExpr, TypeLit, TypeLitKind, TypeSwitchStmt,
};
use crate::syntax::lexer::{Lexer, Spanned};
use crate::syntax::print::expr_string;
use crate::syntax::token::Tok;

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, unused_qualifications)]
    grammar,
    "/toy.rs"
);

/// What the grammar's actions share: node numbering and recovered errors.
pub struct State<'src> {
    src: &'src str,
    next_node: u32,
    diags: Diagnostics,
}

/// A semicolon of an `if` or `switch` header.
#[derive(Clone, Copy, Debug)]
pub struct Semicolon {
    /// Its offset.
    pub at: usize,
    /// Inserted at a newline rather than written.
    pub inserted: bool,
}

/// A parameter entry as the grammar reads it, before grouping.
type ParamItem = (Option<Ident>, Option<TypeExpr>, bool);

impl<'src> State<'src> {
    /// Starts the actions for a parse of (part of) `src`, numbering nodes from 0.
    pub(crate) fn new(src: &'src str) -> State<'src> {
        State {
            src,
            next_node: 0,
            diags: Diagnostics::default(),
        }
    }

    /// How many nodes the actions numbered.
    pub(crate) fn n_nodes(&self) -> u32 {
        self.next_node
    }

    /// Whether an action reported an error it recovered from.
    pub(crate) fn recovered(&self) -> bool {
        !self.diags.is_empty()
    }

    fn node(&mut self) -> NodeId {
        let id = NodeId(self.next_node);
        self.next_node += 1;
        id
    }

    pub(crate) fn ident(&mut self, name: Symbol, lo: usize, hi: usize) -> Ident {
        Ident {
            id: self.node(),
            name,
            span: Span::new(lo, hi),
        }
    }

    pub(crate) fn expr(&mut self, kind: ExprKind, lo: usize, hi: usize) -> Expr {
        Expr {
            id: self.node(),
            span: Span::new(lo, hi),
            kind,
        }
    }

    pub(crate) fn name_expr(&mut self, ident: Ident) -> Expr {
        Expr {
            id: ident.id,
            span: ident.span,
            kind: ExprKind::Name(ident.name),
        }
    }

    /// Returns `left op right`, where `left` is the tree of the operands and operators read
    /// so far: `op` goes below each operator on the right edge of `left` that binds more
    /// loosely, so operators of equal precedence associate to the left. There are five
    /// precedence levels, so it goes at most five nodes down.
    pub(crate) fn binary(&mut self, mut left: Expr, op: BinOp, op_span: Span, right: Expr) -> Expr {
        let hi = right.span.hi;
        let mut slot = &mut left;
        while let ExprKind::Binary(top, ..) = &slot.kind
            && top.precedence() < op.precedence()
        {
            slot.span.hi = hi;
            let ExprKind::Binary(_, binary) = &mut slot.kind else {
                unreachable!("matched above")
            };
            slot = &mut binary.operands[1];
        }
        let lo = slot.span.lo;
        let placeholder = Expr {
            id: slot.id,
            span: slot.span,
            kind: ExprKind::Bad,
        };
        let operand = std::mem::replace(slot, placeholder);
        let kind = ExprKind::Binary(
            op,
            Box::new(Binary {
                operands: [operand, right],
                op_span,
            }),
        );
        *slot = self.expr(kind, lo as usize, hi as usize);
        left
    }

    /// Returns a type literal of `kind` written from `lo` to `hi`.
    pub(crate) fn type_lit(&mut self, kind: TypeLitKind, lo: usize, hi: usize) -> TypeExpr {
        TypeExpr::Literal(Box::new(TypeLit {
            kind,
            span: Span::new(lo, hi),
        }))
    }

    /// Returns a function type, `func` at `lo`, its parameters from `params_lo` to `hi`.
    pub(crate) fn func_type(
        &mut self,
        params: Vec<ParamItem>,
        results: Vec<ParamItem>,
        lo: usize,
        params_lo: usize,
        hi: usize,
    ) -> TypeExpr {
        let mut sig = self.signature(params, results, Span::new(params_lo, hi));
        sig.span.lo = lo as u32;
        TypeExpr::Func(Box::new(sig))
    }

    /// Returns `[len]elem`; `len` is an expression list because the brackets read alike
    /// before a type is known to follow (`T[N]` after a parameter's name is an instance).
    pub(crate) fn array(
        &mut self,
        len: Vec<Expr>,
        elem: TypeExpr,
        lo: usize,
        hi: usize,
    ) -> TypeExpr {
        let mut len = len.into_iter();
        let first = len.next();
        if let Some(extra) = len.next() {
            self.diags.error(
                Span::new(extra.span.lo as usize, extra.span.lo as usize),
                "syntax error: unexpected comma; expecting ]",
            );
        }
        self.type_lit(TypeLitKind::Array(first, elem), lo, hi)
    }

    /// Returns `base[low:high:max]` (`indices`), reporting a middle or final index left out
    /// as Go's parser does: at the second colon (`colon`) and at the `]` (`close`).
    pub(crate) fn slice3(
        &mut self,
        base: Expr,
        indices: [Option<Expr>; 3],
        colon: usize,
        close: usize,
        lo: usize,
        hi: usize,
    ) -> Expr {
        let [low, high, max] = indices;
        if high.is_none() {
            self.diags.error(
                Span::new(colon, colon),
                "middle index required in 3-index slice",
            );
        }
        if max.is_none() {
            self.diags.error(
                Span::new(close, close),
                "final index required in 3-index slice",
            );
        }
        let slice = SliceExpr {
            base,
            lo: low,
            hi: high,
            max,
        };
        self.expr(ExprKind::Slice(Box::new(slice)), lo, hi)
    }

    /// Returns the generic type `base` instantiated with `args`.
    pub(crate) fn instance(
        &mut self,
        base: TypeExpr,
        args: Vec<Expr>,
        lo: usize,
        hi: usize,
    ) -> TypeExpr {
        TypeExpr::Instance(Box::new(Instance {
            base,
            args: args.into(),
            span: Span::new(lo, hi),
        }))
    }

    /// Returns a type literal written where an expression goes: `[]byte(s)`.
    pub(crate) fn type_expr(&mut self, ty: TypeExpr, lo: usize, hi: usize) -> Expr {
        let kind = match ty {
            TypeExpr::Literal(lit) => ExprKind::Type(lit),
            TypeExpr::Func(sig) => ExprKind::FuncType(sig),
            TypeExpr::Name(_) | TypeExpr::Qualified(_) | TypeExpr::Instance(_) => {
                unreachable!("the grammar writes type names as expressions")
            }
        };
        self.expr(kind, lo, hi)
    }

    /// Returns a constraint: one type, or a union of terms.
    pub(crate) fn union(&mut self, mut terms: Vec<Term>, span: Span) -> TypeExpr {
        if let [Term { tilde: false, .. }] = terms[..] {
            return terms.pop().expect("one term").ty;
        }
        self.type_lit(
            TypeLitKind::Union(terms),
            span.lo as usize,
            span.hi as usize,
        )
    }

    /// Returns the type parameters of groups `a, b C`, one per name, as parameters are.
    pub(crate) fn type_params(&mut self, groups: Vec<(Vec<Ident>, TypeExpr)>) -> Vec<Param> {
        let mut params = Vec::new();
        for (names, constraint) in groups {
            let n_names = names.len();
            for (idx, name) in names.into_iter().enumerate() {
                params.push(Param {
                    name: Some(name),
                    ty: constraint.clone(),
                    variadic: false,
                    shares_type: idx + 1 < n_names,
                });
            }
        }
        params
    }

    /// Returns the type parameters of a generic type declaration, whose first names were read
    /// as expressions (see the grammar's `TypeDeclParams`).
    pub(crate) fn type_decl_params(
        &mut self,
        names: Vec<Expr>,
        constraint: TypeExpr,
        rest: Vec<(Vec<Ident>, TypeExpr)>,
    ) -> Vec<Param> {
        let mut first = Vec::with_capacity(names.len());
        for name in names {
            match name.kind {
                ExprKind::Name(sym) => first.push(Ident {
                    id: name.id,
                    name: sym,
                    span: name.span,
                }),
                _ => self.diags.error(
                    Span::new(name.span.lo as usize, name.span.lo as usize),
                    "syntax error: missing type parameter name",
                ),
            }
        }
        let mut groups = vec![(first, constraint)];
        groups.extend(rest);
        self.type_params(groups)
    }

    /// Returns a method's receiver; Go requires exactly one.
    pub(crate) fn receiver(&mut self, items: Vec<ParamItem>, span: Span) -> Option<Box<Param>> {
        let mut params = self.group_params(items).into_iter();
        let recv = params.next();
        match (&recv, params.next()) {
            (None, _) => self.diags.error(span, "method has no receiver"),
            (Some(_), Some(extra)) => self
                .diags
                .error(extra.ty.span(), "method has multiple receivers"),
            (Some(_), None) => {}
        }
        recv.map(Box::new)
    }

    /// Returns `callee(args)`, with the `...` after the last argument if written.
    pub(crate) fn call(
        &mut self,
        callee: Expr,
        (args, dots): (Vec<Expr>, Option<Span>),
        lo: usize,
        hi: usize,
    ) -> Expr {
        let call = Call {
            callee,
            args: args.into(),
            dots,
        };
        self.expr(ExprKind::Call(Box::new(call)), lo, hi)
    }

    /// Returns `base[index]`, or an instantiation `base[A, B]`.
    pub(crate) fn index(
        &mut self,
        base: Expr,
        mut indices: Vec<Expr>,
        lo: usize,
        hi: usize,
    ) -> Expr {
        let kind = if indices.len() == 1 {
            let index = indices.pop().expect("one index");
            ExprKind::Index(Box::new([base, index]))
        } else {
            ExprKind::Instance(Box::new(InstanceExpr {
                base,
                args: indices.into(),
            }))
        };
        self.expr(kind, lo, hi)
    }

    /// Returns a composite literal; `ty` is `None` for one inside another, which gives it.
    pub(crate) fn composite(
        &mut self,
        ty: Option<Expr>,
        (elems, rbrace): (Vec<Expr>, Span),
        lo: usize,
        hi: usize,
    ) -> Expr {
        let lit = Composite {
            ty,
            elems: elems.into(),
            rbrace,
        };
        self.expr(ExprKind::Composite(Box::new(lit)), lo, hi)
    }

    /// Returns the element `key: value` of a composite literal.
    pub(crate) fn key_value(&mut self, key: Expr, value: Expr) -> Expr {
        let (lo, hi) = (key.span.lo as usize, value.span.hi as usize);
        self.expr(ExprKind::KeyValue(Box::new([key, value])), lo, hi)
    }

    /// Returns a `switch` statement: a type switch when its tag is `x.(type)` or
    /// `v := x.(type)`, an expression switch otherwise.
    pub(crate) fn switch(
        &mut self,
        span: Span,
        (init, _, tag): (Option<Stmt>, Option<Semicolon>, Option<Stmt>),
        clauses: Vec<CaseClause>,
        rbrace: Span,
    ) -> Stmt {
        let is_guard = |expr: &Expr| matches!(expr.kind, ExprKind::TypeGuard(_));
        let (bind, guard) = match tag {
            Some(Stmt::Expr(guard)) if is_guard(&guard) => (None, guard),
            Some(Stmt::Define {
                lhs,
                rhs,
                span: define,
            }) if lhs.len() == 1 && rhs.len() == 1 && is_guard(&rhs[0]) => {
                let target = lhs.into_vec().pop().expect("one target");
                let guard = rhs.into_vec().pop().expect("one guard");
                let ExprKind::Name(name) = target.kind else {
                    self.diags
                        .error(define, "syntax error: invalid variable name in type switch");
                    return Stmt::Bad;
                };
                let bind = Ident {
                    id: target.id,
                    name,
                    span: target.span,
                };
                (Some(bind), guard)
            }
            other => {
                let tag = self.switch_tag(other);
                return Stmt::Switch(Box::new(SwitchStmt {
                    span,
                    init,
                    tag,
                    clauses,
                    rbrace,
                }));
            }
        };
        Stmt::TypeSwitch(Box::new(TypeSwitchStmt {
            span,
            init,
            bind,
            guard,
            clauses,
            rbrace,
        }))
    }

    pub(crate) fn file(&mut self, package: Ident, imports: Vec<Import>, decls: Vec<Decl>) -> File {
        File {
            package,
            imports,
            decls,
            n_nodes: 0,
            names: Interner::default(),
        }
    }

    pub(crate) fn const_group(&mut self, mut specs: Vec<ConstSpec>) -> Vec<ConstSpec> {
        for (iota, spec) in specs.iter_mut().enumerate() {
            spec.iota = iota as u32;
        }
        specs
    }

    pub(crate) fn range(&mut self, mut lhs: Vec<Expr>, define: bool, expr: Expr) -> ForHeader {
        if lhs.len() > 2 {
            self.diags.error(
                lhs[2].span,
                "syntax error: range clause permits at most two iteration variables",
            );
            lhs.truncate(2);
        }
        let mut vars = lhs.into_iter();
        ForHeader::Range {
            key: vars.next(),
            value: vars.next(),
            define,
            expr,
        }
    }

    /// Groups parameter entries as Go does: when any entry is `name T`, every entry is named
    /// and a lone `x` is a name sharing the type of the next typed entry (`a, b int`).
    pub(crate) fn signature(
        &mut self,
        params: Vec<ParamItem>,
        results: Vec<ParamItem>,
        span: Span,
    ) -> Signature {
        Signature {
            params: self.group_params(params),
            results: self.group_params(results),
            span,
        }
    }

    fn group_params(&mut self, items: Vec<ParamItem>) -> Vec<Param> {
        if items.iter().all(|(name, _, _)| name.is_none()) {
            return items
                .into_iter()
                .map(|(_, ty, variadic)| Param {
                    name: None,
                    ty: ty.expect("an unnamed entry has a type"),
                    variadic,
                    shares_type: false,
                })
                .collect();
        }
        let mut params = Vec::with_capacity(items.len());
        let mut shared: Option<(TypeExpr, bool)> = None;
        for (name, ty, variadic) in items.into_iter().rev() {
            match (name, ty) {
                (Some(name), Some(ty)) => {
                    shared = Some((ty.clone(), variadic));
                    params.push(Param {
                        name: Some(name),
                        ty,
                        variadic,
                        shares_type: false,
                    });
                }
                (None, Some(TypeExpr::Name(name))) if shared.is_some() => {
                    let (ty, variadic) = shared.clone().expect("checked above");
                    params.push(Param {
                        name: Some(name),
                        ty,
                        variadic,
                        shares_type: true,
                    });
                }
                (_, ty) => {
                    let ty = ty.expect("every entry has a type");
                    // A lone name last in a named list lacks its type; anything else mixes
                    // the two forms.
                    if let TypeExpr::Name(_) = ty {
                        let end = Span::new(ty.span().hi as usize, ty.span().hi as usize);
                        self.diags
                            .error(end, "syntax error: missing parameter type");
                    } else {
                        self.diags.error(
                            ty.span(),
                            "syntax error: mixed named and unnamed parameters",
                        );
                    }
                    params.push(Param {
                        name: None,
                        ty,
                        variadic,
                        shares_type: false,
                    });
                }
            }
        }
        params.reverse();
        params
    }

    /// Returns the condition of an `if` header, reporting what Go's parser reports when the
    /// condition is missing or is a statement; `block` is where the body starts.
    pub(crate) fn condition(
        &mut self,
        cond: Option<Stmt>,
        semi: Option<Semicolon>,
        block: usize,
    ) -> Expr {
        match cond {
            Some(Stmt::Expr(expr)) => expr,
            Some(stmt) => {
                self.not_a_value(&stmt);
                self.expr(ExprKind::Bad, block, block)
            }
            None => {
                // Go reports at the semicolon, if any; a newline there most likely means
                // the brace went to the next line.
                let (at, message) = match semi {
                    Some(Semicolon { at, inserted: true }) => {
                        (at, "unexpected newline, expected { after if clause")
                    }
                    Some(Semicolon { at, .. }) => (at, "missing condition in if statement"),
                    None => (block, "missing condition in if statement"),
                };
                self.diags
                    .error(Span::new(at, at), format!("syntax error: {message}"));
                self.expr(ExprKind::Bad, block, block)
            }
        }
    }

    /// Returns the tag of a `switch` header, reporting a statement in its place.
    fn switch_tag(&mut self, tag: Option<Stmt>) -> Option<Expr> {
        match tag {
            Some(Stmt::Expr(expr)) => Some(expr),
            Some(stmt) => {
                self.not_a_value(&stmt);
                None
            }
            None => None,
        }
    }

    /// Reports a statement where an expression must be, quoting it as Go does.
    fn not_a_value(&mut self, stmt: &Stmt) {
        let text = |expr: &Expr| expr_string(self.src, expr);
        let list = |exprs: &[Expr]| exprs.iter().map(text).collect::<Vec<_>>().join(", ");
        // Go parenthesizes the sides of an assignment unless they are names or literals.
        let emphasize = |exprs: &[Expr]| match exprs {
            [single]
                if matches!(
                    single.kind,
                    ExprKind::Name(_) | ExprKind::Int | ExprKind::Str
                ) =>
            {
                text(single)
            }
            _ => format!("({})", list(exprs)),
        };
        let (span, what) = match stmt {
            Stmt::Assign {
                lhs,
                op: None,
                rhs,
                span,
            } => (
                *span,
                format!("assignment {} = {}", emphasize(lhs), emphasize(rhs)),
            ),
            Stmt::Assign {
                lhs,
                op: Some(op),
                rhs,
                span,
            } => (*span, format!("{} {}= {}", list(lhs), op.text(), list(rhs))),
            Stmt::Define { lhs, rhs, span } => (*span, format!("{} := {}", list(lhs), list(rhs))),
            Stmt::IncDec { target, inc, span } => (
                *span,
                format!("{}{}", text(target), if *inc { "++" } else { "--" }),
            ),
            _ => (Span::default(), "statement".to_string()),
        };
        self.diags
            .error(span, format!("syntax error: cannot use {what} as value"));
    }

    pub(crate) fn recover(&mut self, recovery: ErrorRecovery<usize, Tok<'_>, Infallible>) {
        let diag = from_lalrpop(recovery.error, self.src);
        self.diags.error(diag.span, diag.message);
    }
}

/// What the start symbol yields.
pub enum Parsed {
    /// A whole file, from its package clause.
    File(Box<File>),
    /// A run of top-level declarations, from a `Tok::Chunk` (`syntax::chunks`).
    Decls(Vec<Decl>),
}

/// Runs the parser over `tokens`, a whole file or a chunk.
pub(crate) fn run<'src>(
    state: &mut State<'src>,
    tokens: impl IntoIterator<Item = Result<Spanned<'src>, Infallible>>,
) -> Result<Parsed, ParseError<usize, Tok<'src>, Infallible>> {
    grammar::UnitParser::new().parse(state, tokens)
}

/// Parses `file` into a syntax tree, reporting lexical and syntax errors into `diags`.
///
/// Returns `None` when the file has a syntax error (reported in `diags`): as in Go, such a
/// file is not type-checked. Lexical errors such as a bad escape still give a tree.
/// Postconditions when it returns a tree:
/// - every `Expr` and `Ident` has a distinct `NodeId` below `File::n_nodes`, numbered in the
///   order the parser reduces them;
/// - symbols are numbered in the order their identifiers first appear;
/// - parameter groups are split into one `Param` per name.
pub fn parse(file: &SourceFile, diags: &mut Diagnostics) -> Option<File> {
    let mut lexer = Lexer::new(&file.text);
    let mut state = State::new(&file.text);
    let result = run(&mut state, lexer.by_ref());
    let mut syntax = std::mem::take(&mut lexer.diags);
    for diag in state.diags.sorted() {
        syntax.error(diag.span, diag.message);
    }
    let parsed = match result {
        Ok(_) if state.recovered() => None,
        Ok(Parsed::File(mut parsed)) => {
            parsed.n_nodes = state.n_nodes();
            parsed.names = lexer.take_names();
            Some(*parsed)
        }
        Ok(Parsed::Decls(_)) => unreachable!("the lexer produces no chunk token"),
        Err(error) => {
            let diag = from_lalrpop(error, state.src);
            syntax.error(diag.span, diag.message);
            None
        }
    };
    report(file, syntax, diags);
    parsed
}

/// Reports the lexical and syntax errors of `file` into `diags` as Go does: at most one
/// syntax error per line, and no "unexpected EOF" or top-level resynchronisation error after
/// an earlier error, since those follow from the first.
fn report(file: &SourceFile, syntax: Diagnostics, diags: &mut Diagnostics) {
    let mut last_line = 0;
    let mut any = false;
    for diag in syntax.sorted() {
        let (line, _) = file.line_col(diag.span.lo);
        let follow_up = diag.message.starts_with("syntax error: unexpected EOF")
            || diag
                .message
                .ends_with("non-declaration statement outside function body");
        if (diag.message.starts_with("syntax error") && line == last_line) || (any && follow_up) {
            continue;
        }
        any = true;
        if diag.message.starts_with("syntax error") {
            last_line = line;
        }
        diags.error(diag.span, diag.message);
    }
}

/// Converts a LALRPOP error into a diagnostic worded as Go's parser words it.
/// `src` is the whole source, for positions Go reports away from the offending token.
fn from_lalrpop(error: ParseError<usize, Tok<'_>, Infallible>, src: &str) -> Diagnostic {
    let eof = src.len();
    let (lo, tok, expected) = match error {
        ParseError::UnrecognizedToken {
            token: (lo, tok, _),
            expected,
        } => (lo, Some(tok), expected),
        ParseError::UnrecognizedEof { expected, .. } => (eof, None, expected),
        ParseError::ExtraToken {
            token: (lo, tok, _),
        } => (lo, Some(tok), Vec::new()),
        ParseError::InvalidToken { location } => (location, None, Vec::new()),
        ParseError::User { error } => match error {},
    };
    // A semicolon inserted at the very end stands for the end of the file.
    let (lo, tok) = match tok {
        Some(Tok::Semi(true)) if lo == eof => (eof, None),
        other => (lo, other),
    };
    // Go reports `for var x ...` at the declared name, after the keyword.
    let lo = match tok {
        Some(Tok::Var) if has_token(&expected, "range") => {
            let after = lo + "var".len();
            after + src[after..].len() - src[after..].trim_start_matches([' ', '\t']).len()
        }
        _ => lo,
    };
    let span = Span::new(lo, lo);
    let message = match tok {
        _ if has_token(&expected, "package") => {
            "syntax error: package statement must be first".to_string()
        }
        Some(_) if ends_with_word(&src[..lo], "else") => {
            "syntax error: else must be followed by if or statement block".to_string()
        }
        Some(tok) => {
            let message = unexpected_token(tok, &expected);
            match clause_before(src, lo) {
                Some(keyword) if message.ends_with(", expected {") => {
                    format!("{message} after {keyword} clause")
                }
                _ => message,
            }
        }
        None if has_token(&expected, "}") => "syntax error: unexpected EOF, expected }".to_string(),
        None => "syntax error: unexpected EOF".to_string(),
    };
    Diagnostic {
        span,
        message,
        notes: Vec::new(),
    }
}

/// Reports whether `text`, without trailing white space, ends with the whole word `word`.
fn ends_with_word(text: &str, word: &str) -> bool {
    let text = text.trim_end();
    text.strip_suffix(word).is_some_and(|before| {
        !before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Returns the `for`, `if` or `switch` whose header runs up to `at` on its line, if any:
/// Go's parser names the clause a missing `{` should have ended.
fn clause_before(src: &str, at: usize) -> Option<&'static str> {
    let line_start = src[..at].rfind('\n').map_or(0, |nl| nl + 1);
    let line = &src[line_start..at];
    let is_word_char = |c: char| c.is_alphanumeric() || c == '_';
    ["for", "if", "switch"]
        .into_iter()
        .filter_map(|keyword| {
            line.match_indices(keyword)
                .filter(|&(idx, _)| {
                    let before = line[..idx].chars().next_back();
                    let after = line[idx + keyword.len()..].chars().next();
                    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
                })
                .map(|(idx, _)| (idx, keyword))
                .last()
        })
        .max()
        .map(|(_, keyword)| keyword)
}

fn unexpected_token(tok: Tok<'_>, expected: &[String]) -> String {
    let has = |name: &str| has_token(expected, name);
    // The one construct of valid Go the grammar does not read: `import . "fmt"`.
    if tok == Tok::Dot && (has("string") || has("raw string")) {
        return "dot imports are not supported".to_string();
    }
    let wants_expr = has("ident") && has("int") && has("(");
    let found = describe(tok);
    if has("func") && has("var") && has("const") && !has("ident") {
        return match tok {
            Tok::Import => "syntax error: imports must appear before other declarations",
            Tok::LBrace => "syntax error: unexpected semicolon or newline before {",
            _ => "syntax error: non-declaration statement outside function body",
        }
        .to_string();
    }
    if tok == Tok::Var && has("range") {
        return "syntax error: var declaration not allowed in for initializer".to_string();
    }
    let is_assign_op = matches!(
        tok,
        Tok::AddAssign
            | Tok::SubAssign
            | Tok::MulAssign
            | Tok::DivAssign
            | Tok::RemAssign
            | Tok::AndAssign
            | Tok::OrAssign
            | Tok::XorAssign
            | Tok::ShlAssign
            | Tok::ShrAssign
            | Tok::AndNotAssign
    );
    let at = if is_assign_op && has(":=") && has("=") && has(",") {
        ", expected := or = or comma".to_string()
    } else if has(",") && has(")") {
        // After an argument an operator may follow; after a parameter's type none may.
        let list = if has("||") {
            "argument list"
        } else {
            "parameter list"
        };
        format!(" in {list}; possibly missing comma or )")
    } else if has("case") && has("default") && has("}") {
        ", expected case or default or }".to_string()
    } else if has(",") && has(":") && has("}") {
        " in composite literal; possibly missing comma or }".to_string()
    } else if has(",") && has(":") && has("]") {
        ", expected comma, : or ]".to_string()
    } else if has(",") && has(":") {
        ", expected :".to_string()
    } else if has(")") {
        ", expected )".to_string()
    } else if has("}") && has("for") {
        ", expected }".to_string()
    } else if has(";") && has("}") {
        " at end of statement".to_string()
    } else if has(";") && !has("for") {
        " after top level declaration".to_string()
    } else if wants_expr {
        ", expected expression".to_string()
    } else if expected.len() == 1 || (expected.len() == 2 && has("ident")) {
        let want = expected
            .iter()
            .map(|e| match e.trim_matches('"') {
                "ident" => "name",
                other => other,
            })
            .collect::<Vec<_>>()
            .join(" or ");
        format!(", expected {want}")
    } else {
        String::new()
    };
    format!("syntax error: unexpected {found}{at}")
}

/// Returns whether LALRPOP's expected list names terminal `name`.
fn has_token(expected: &[String], name: &str) -> bool {
    expected.iter().any(|e| e.trim_matches('"') == name)
}

/// Describes a token as Go's parser does in `unexpected …`.
fn describe(tok: Tok<'_>) -> String {
    match tok {
        Tok::Ident(name) => format!("name {}", name.text),
        Tok::Int(raw) | Tok::Float(raw) | Tok::Imag(raw) => format!("literal {raw}"),
        Tok::Rune(quoted) | Tok::Str(quoted) | Tok::RawStr(quoted) => {
            format!("literal {}", quoted.raw)
        }
        Tok::Semi(true) => "newline".to_string(),
        Tok::Semi(false) => "semicolon".to_string(),
        Tok::Break => "keyword break".to_string(),
        Tok::Case => "keyword case".to_string(),
        Tok::Chan => "keyword chan".to_string(),
        Tok::Const => "keyword const".to_string(),
        Tok::Continue => "keyword continue".to_string(),
        Tok::Default => "keyword default".to_string(),
        Tok::Defer => "keyword defer".to_string(),
        Tok::Else => "keyword else".to_string(),
        Tok::Fallthrough => "keyword fallthrough".to_string(),
        Tok::For => "keyword for".to_string(),
        Tok::Func => "keyword func".to_string(),
        Tok::Go => "keyword go".to_string(),
        Tok::Goto => "keyword goto".to_string(),
        Tok::If => "keyword if".to_string(),
        Tok::Import => "keyword import".to_string(),
        Tok::Interface => "keyword interface".to_string(),
        Tok::Map => "keyword map".to_string(),
        Tok::Package => "keyword package".to_string(),
        Tok::Range => "keyword range".to_string(),
        Tok::Return => "keyword return".to_string(),
        Tok::Select => "keyword select".to_string(),
        Tok::Struct => "keyword struct".to_string(),
        Tok::Switch => "keyword switch".to_string(),
        Tok::Type => "keyword type".to_string(),
        Tok::Var => "keyword var".to_string(),
        other => token_text(other).to_string(),
    }
}

/// Returns the text of an operator or punctuation token.
fn token_text(tok: Tok<'_>) -> &'static str {
    match tok {
        Tok::Add => "+",
        Tok::Sub => "-",
        Tok::Mul => "*",
        Tok::Div => "/",
        Tok::Rem => "%",
        Tok::And => "&",
        Tok::Or => "|",
        Tok::Xor => "^",
        Tok::Shl => "<<",
        Tok::Shr => ">>",
        Tok::AndNot => "&^",
        Tok::AddAssign => "+=",
        Tok::SubAssign => "-=",
        Tok::MulAssign => "*=",
        Tok::DivAssign => "/=",
        Tok::RemAssign => "%=",
        Tok::AndAssign => "&=",
        Tok::OrAssign => "|=",
        Tok::XorAssign => "^=",
        Tok::ShlAssign => "<<=",
        Tok::ShrAssign => ">>=",
        Tok::AndNotAssign => "&^=",
        Tok::AndAnd => "&&",
        Tok::OrOr => "||",
        Tok::Arrow => "<-",
        Tok::Inc => "++",
        Tok::Dec => "--",
        Tok::Eql => "==",
        Tok::Lss => "<",
        Tok::Gtr => ">",
        Tok::Assign => "=",
        Tok::Not => "!",
        Tok::Tilde => "~",
        Tok::Neq => "!=",
        Tok::Leq => "<=",
        Tok::Geq => ">=",
        Tok::Define => ":=",
        Tok::Ellipsis => "...",
        Tok::LParen => "(",
        Tok::RParen => ")",
        Tok::LBrack => "[",
        Tok::RBrack => "]",
        Tok::LBrace => "{",
        Tok::RBrace => "}",
        Tok::Comma => "comma",
        Tok::Dot => ".",
        Tok::Colon => ":",
        _ => "token",
    }
}

#[cfg(test)]
mod tests;
