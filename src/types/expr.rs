//! Expressions, as types2's `expr.go`: the entry points (one value, several values, an
//! expression statement), the dispatch over expression kinds, names, and literals.
//!
//! Every expression checked is recorded in the per-node facts: its type, and its value if
//! constant. Operators are in `operators`, calls and selectors in `call`, built-ins in
//! `builtins`, the typing of untyped operands in `untyped`.

use crate::diag::Span;
use crate::syntax::ast::{Expr, ExprKind, Symbol, UnOp, unparen};
use crate::types::check::Checker;
use crate::types::constant::{ConstStr, ConstValue, Int};
use crate::types::object::{Builtin, ObjKind};
use crate::types::operand::{Mode, Operand};
use crate::types::ty::{INVALID, Type, UNTYPED_INT, UNTYPED_NIL, UNTYPED_RUNE, UNTYPED_STRING};

impl<'a> Checker<'a> {
    /// Records the type of the operand's expression, and its value if it is constant.
    pub(crate) fn record(&mut self, x: &Operand<'a>) {
        let Some(expr) = x.expr else {
            return;
        };
        self.nodes.set_ty(expr.id, x.ty);
        if x.mode == Mode::Constant
            && let Some(val) = &x.val
        {
            self.nodes.set_const(expr.id, val.clone());
        }
    }

    /// Checks an expression that must denote one value.
    pub(crate) fn expr(&mut self, expr: &'a Expr) -> Operand<'a> {
        let x = self.raw(expr);
        self.single_value(x)
    }

    /// Reports an operand that is not one value (no value, a built-in, a type, a package,
    /// several values) and invalidates it; returns the others as they are.
    pub(crate) fn single_value(&mut self, mut x: Operand<'a>) -> Operand<'a> {
        // Most operands are plain values: only a call's value can be several.
        if matches!(x.mode, Mode::Constant | Mode::Variable | Mode::Nil) {
            return x;
        }
        if x.mode == Mode::NoValue && self.is_fmt_call(x.expr) {
            self.fmt_results_unsupported(&x);
            x.mode = Mode::Invalid;
            return x;
        }
        if let Mode::Builtin(
            builtin @ (Builtin::FmtPrint
            | Builtin::FmtPrintln
            | Builtin::FmtPrintf
            | Builtin::FmtSprintf),
        ) = x.mode
        {
            let name = builtin.name();
            self.error(x.span, format!("using {name} as a value is not supported"));
            x.mode = Mode::Invalid;
            return x;
        }
        let message = match x.mode {
            Mode::NoValue => Some("used as value"),
            Mode::Builtin(_) => Some("must be called"),
            Mode::TypeExpr => Some("is not an expression"),
            _ => None,
        };
        if let Some(message) = message {
            let desc = self.operand_string(&x);
            self.error(x.span, format!("{desc} {message}"));
            x.mode = Mode::Invalid;
            return x;
        }
        if x.mode == Mode::Package {
            let text = x.expr.map(|expr| self.expr_text(expr)).unwrap_or_default();
            self.error(x.span, format!("use of package {text} not in selector"));
            x.mode = Mode::Invalid;
            return x;
        }
        if let Type::Tuple(_) = self.state.info.types.get(x.ty) {
            let desc = self.operand_string(&x);
            self.error(
                x.span,
                format!("multiple-value {desc} in single-value context"),
            );
            x.mode = Mode::Invalid;
        }
        x
    }

    /// Returns whether `expr` calls a function of package `fmt`.
    fn is_fmt_call(&self, expr: Option<&Expr>) -> bool {
        let Some(ExprKind::Call(call)) = expr.map(|expr| &unparen(expr).kind) else {
            return false;
        };
        let ExprKind::Selector(selector) = &unparen(&call.callee).kind else {
            return false;
        };
        let base = self.nodes.obj_of(unparen(&selector.base).id);
        base.is_some() && base == self.state.fmt.map(|(fmt, _)| fmt)
    }

    /// Reports the use of `fmt.Println`'s results, `(n int, err error)` in Go: Toy has no
    /// `error` type.
    fn fmt_results_unsupported(&mut self, x: &Operand<'a>) {
        let callee = match x.expr.map(|expr| &unparen(expr).kind) {
            Some(ExprKind::Call(call)) => self.expr_text(&call.callee),
            _ => String::new(),
        };
        self.error(
            x.span,
            format!("using the results of {callee} is not supported"),
        );
    }

    /// Checks an expression that may yield several values: a call of a function with several
    /// results gives one operand per result.
    pub(crate) fn multi_expr(&mut self, expr: &'a Expr) -> Vec<Operand<'a>> {
        let x = self.raw(expr);
        if let Type::Tuple(elems) = self.state.info.types.get(x.ty) {
            return elems
                .clone()
                .into_iter()
                .enumerate()
                .map(|(idx, ty)| Operand {
                    mode: Mode::Value,
                    ty,
                    val: None,
                    expr: x.expr,
                    result: Some(idx),
                    span: x.span,
                })
                .collect();
        }
        if x.mode == Mode::NoValue {
            if self.is_fmt_call(x.expr) {
                self.fmt_results_unsupported(&x);
            } else {
                let desc = self.operand_string(&x);
                self.error(x.span, format!("{desc} used as value"));
            }
            return vec![Operand::invalid(expr)];
        }
        vec![self.single_value(x)]
    }

    /// Checks an expression statement: returns the operand and whether it was a call, which
    /// may stand alone.
    pub(crate) fn raw_expr_stmt(&mut self, expr: &'a Expr) -> (Operand<'a>, bool) {
        let x = self.raw(expr);
        let is_call = match &unparen(expr).kind {
            ExprKind::Call(..) => !matches!(
                self.call_kind(unparen(expr)),
                Some(
                    Builtin::Len
                        | Builtin::Cap
                        | Builtin::Make
                        | Builtin::Append
                        | Builtin::Min
                        | Builtin::Max
                )
            ),
            _ => false,
        };
        (x, is_call)
    }

    /// Returns the built-in a call expression calls, if it calls one.
    fn call_kind(&self, expr: &Expr) -> Option<Builtin> {
        let ExprKind::Call(call) = &expr.kind else {
            return None;
        };
        let callee = unparen(&call.callee);
        match &callee.kind {
            ExprKind::Name(_) => {
                let obj = self.nodes.obj_of(callee.id)?;
                match self.state.info.obj(obj).kind {
                    ObjKind::Builtin(builtin) => Some(builtin),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Checks any expression, recording its type (and value) for the back end. The result
    /// may be no value, several values (a call), a type or a built-in.
    pub(crate) fn raw(&mut self, expr: &'a Expr) -> Operand<'a> {
        if !self.enter(expr.span) {
            return Operand::invalid(expr);
        }
        let x = self.raw_inner(expr);
        self.record(&x);
        self.leave();
        x
    }

    /// Returns the source text of a literal, which the tree keeps only as its span.
    fn literal_text(&self, expr: &Expr) -> &'a str {
        &self.source.text[expr.span.lo as usize..expr.span.hi as usize]
    }

    fn raw_inner(&mut self, expr: &'a Expr) -> Operand<'a> {
        match &expr.kind {
            ExprKind::Bad => Operand::invalid(expr),
            ExprKind::Name(name) => self.ident(expr, *name),
            ExprKind::Int => {
                match parse_int(self.literal_text(expr)) {
                    Some(value) => {
                        let x = Operand::constant(UNTYPED_INT, ConstValue::Int(value), expr);
                        if x.val.as_ref().is_some_and(ConstValue::overflows_precision) {
                            self.error(expr.span, "constant overflow");
                            return Operand::invalid(expr);
                        }
                        x
                    }
                    // A malformed literal was reported by the lexer.
                    None => Operand::invalid(expr),
                }
            }
            ExprKind::Float => {
                self.error(expr.span, "floating-point arithmetic is not supported");
                Operand::invalid(expr)
            }
            ExprKind::Imag => {
                self.unsupported(expr.span, "complex numbers are not supported");
                Operand::invalid(expr)
            }
            ExprKind::Rune => match crate::syntax::lexer::rune_value(self.literal_text(expr)) {
                Some(value) => {
                    let value = ConstValue::Int(i64::from(value).into());
                    Operand::constant(UNTYPED_RUNE, value, expr)
                }
                // A malformed literal was reported by the lexer.
                None => Operand::invalid(expr),
            },
            ExprKind::Str => {
                let bytes = crate::syntax::lexer::unquote(self.literal_text(expr)).into();
                Operand::constant(UNTYPED_STRING, ConstValue::Str(ConstStr::new(bytes)), expr)
            }
            ExprKind::FuncLit(lit) => {
                let ty = self.func_lit(expr, lit);
                if ty == INVALID {
                    Operand::invalid(expr)
                } else {
                    Operand::new(Mode::Value, ty, expr)
                }
            }
            ExprKind::FuncType(sig) => {
                let ty = self.signature_type(sig);
                Operand::new(Mode::TypeExpr, ty, expr)
            }
            ExprKind::Paren(inner) => {
                let mut x = self.raw(inner);
                x.expr = Some(expr);
                x.span = expr.span;
                x
            }
            ExprKind::Unary(UnOp::Deref | UnOp::Addr, operand) => {
                self.prefix(expr, operand, "pointers are not supported")
            }
            ExprKind::Unary(UnOp::Recv, operand) => {
                self.prefix(expr, operand, "channels are not supported")
            }
            ExprKind::Unary(op, operand) => self.unary(expr, *op, operand),
            ExprKind::Binary(op, binary) => {
                let [left, right] = &binary.operands;
                self.binary(Some(expr), *op, left, right, binary.op_span)
            }
            ExprKind::Call(call) => self.call(expr, &call.callee, &call.args, call.dots),
            ExprKind::Selector(selector) => {
                let name = &selector.name;
                self.selector(expr, &selector.base, name.name, name.span)
            }
            ExprKind::Type(lit) => match self.type_lit(lit) {
                INVALID => Operand::invalid(expr),
                ty => Operand::new(Mode::TypeExpr, ty, expr),
            },
            ExprKind::Composite(lit) => self.composite(expr, lit, None),
            ExprKind::Index(pair) => self.index_expr(expr, &pair[0], &pair[1]),
            ExprKind::Instance(instance) => {
                self.postfix(expr, &instance.base, "type parameters are not supported")
            }
            ExprKind::Slice(slice) => self.slice_expr(expr, slice),
            ExprKind::TypeAssert(assert) => {
                self.postfix(expr, &assert.base, "type assertions are not supported")
            }
            ExprKind::TypeGuard(_) => {
                self.error(
                    expr.span,
                    "invalid syntax tree: use of .(type) outside type switch",
                );
                Operand::invalid(expr)
            }
            ExprKind::KeyValue(_) => {
                unreachable!("only composite literals hold keyed elements, and check them")
            }
        }
    }

    /// Rejects `base[…]` or `base.(…)` at the bracket or the dot after `base`, once `base`
    /// itself checks.
    fn postfix(&mut self, expr: &'a Expr, base: &'a Expr, message: &str) -> Operand<'a> {
        let x = self.raw(base);
        self.postfix_of(expr, base, x, message)
    }

    /// Rejects `base[…]` as [`postfix`](Self::postfix) does, `base` already checked as `x`.
    pub(crate) fn postfix_of(
        &mut self,
        expr: &'a Expr,
        base: &'a Expr,
        x: Operand<'a>,
        message: &str,
    ) -> Operand<'a> {
        if !is_rejected(&x) {
            let at = base.span.hi as usize;
            self.unsupported(Span::new(at, at + 1), message);
        }
        Operand::invalid(expr)
    }

    /// Rejects `*x`, `&x` or `<-x` at the operator, once `x` itself checks, as Go checks the
    /// operand first.
    fn prefix(&mut self, expr: &'a Expr, operand: &'a Expr, message: &str) -> Operand<'a> {
        let x = self.raw(operand);
        if !is_rejected(&x) {
            self.unsupported(expr.span, message);
        }
        Operand::invalid(expr)
    }

    fn ident(&mut self, expr: &'a Expr, name: Symbol) -> Operand<'a> {
        if name == self.state.blank {
            self.error(expr.span, "cannot use _ as value or type");
            return Operand::invalid(expr);
        }
        let Some(obj) = self.state.scopes.lookup(name) else {
            self.undefined(expr.span, name);
            return Operand::invalid(expr);
        };
        self.nodes.set_obj(expr.id, obj);
        self.add_dep(obj);
        self.resolve(obj);
        // A package is used only through a selector.
        if !matches!(self.state.info.obj(obj).kind, ObjKind::Package) {
            self.state.used[obj.0 as usize] = true;
        }
        let object = &self.state.info.objs[obj.0 as usize];
        let ty = object.ty;
        match &object.kind {
            &ObjKind::Var { owner, .. } => {
                if ty == INVALID {
                    return Operand::invalid(expr);
                }
                if let Some(owner) = owner
                    && self.current_func() != Some(owner)
                {
                    self.note_capture(obj, owner);
                }
                Operand::new(Mode::Variable, ty, expr)
            }
            ObjKind::Const(value) => {
                if ty == INVALID {
                    return Operand::invalid(expr);
                }
                Operand::constant(ty, value.clone(), expr)
            }
            ObjKind::Iota => match self.env.iota {
                Some(iota) => {
                    Operand::constant(UNTYPED_INT, ConstValue::Int(i64::from(iota).into()), expr)
                }
                None => {
                    self.error(expr.span, "cannot use iota outside constant declaration");
                    Operand::invalid(expr)
                }
            },
            ObjKind::Func(_) => {
                if ty == INVALID {
                    return Operand::invalid(expr);
                }
                Operand::new(Mode::Value, ty, expr)
            }
            ObjKind::TypeName => Operand::new(Mode::TypeExpr, ty, expr),
            &ObjKind::Builtin(builtin) => Operand::new(Mode::Builtin(builtin), INVALID, expr),
            ObjKind::Nil => Operand::new(Mode::Nil, UNTYPED_NIL, expr),
            ObjKind::Package => Operand::new(Mode::Package, INVALID, expr),
        }
    }
}

/// Returns whether an operand was already reported: it is invalid, or it is a type left
/// without one by a declaration Toy lacks (`type T struct{…}`).
pub(crate) fn is_rejected(x: &Operand<'_>) -> bool {
    x.mode == Mode::Invalid || (x.mode == Mode::TypeExpr && x.ty == INVALID)
}

/// Parses a validated integer literal of any base, with underscores.
fn parse_int(text: &str) -> Option<Int> {
    let digits: std::borrow::Cow<'_, str> = if text.contains('_') {
        text.chars()
            .filter(|&ch| ch != '_')
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    let (radix, body) = match digits.as_bytes() {
        [b'0', b'x' | b'X', ..] => (16, &digits[2..]),
        [b'0', b'b' | b'B', ..] => (2, &digits[2..]),
        [b'0', b'o' | b'O', ..] => (8, &digits[2..]),
        [b'0', _, ..] => (8, &digits[1..]),
        _ => (10, &digits[..]),
    };
    if body.is_empty() {
        return None;
    }
    // Most literals fit a u64: the big-number parse, which allocates, is for the rest.
    if let Ok(small) = u64::from_str_radix(body, radix) {
        return Some(Int::from(small));
    }
    num_bigint::BigInt::parse_bytes(body.as_bytes(), radix).map(Int::from)
}
