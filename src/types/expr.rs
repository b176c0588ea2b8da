//! Type-checking of expressions: operands, operators, constants, calls and built-ins.
//!
//! An [`Operand`] is what Go's `types2` calls an operand: the mode of an expression (constant,
//! variable, value, …), its type and, for constants, its exact value. Untyped constants stay
//! untyped until an operator or an assignment gives them a type; the conversion checks that
//! the value is representable, with Go's messages.

use crate::diag::Span;
use crate::syntax::ast::{BinOp, Expr, ExprKind, UnOp, unparen};
use crate::syntax::unicode::is_valid_name;
use crate::types::check::Checker;
use crate::types::constant::{ConstStr, ConstValue, Int};
use crate::types::object::{Builtin, ObjKind};
use crate::types::ty::{
    self, BOOL, INT, INVALID, STRING, Type, TypeId, UNTYPED_BOOL, UNTYPED_INT, UNTYPED_NIL,
    UNTYPED_STRING,
};

/// What an expression denotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// An erroneous expression; it has been reported.
    Invalid,
    /// A call of a function without results.
    NoValue,
    /// A built-in function, which can only be called.
    Builtin(Builtin),
    /// A type.
    TypeExpr,
    /// A constant with a known value.
    Constant,
    /// An addressable variable.
    Variable,
    /// Any other value.
    Value,
    /// `nil`.
    Nil,
    /// The package `fmt`, which can only be selected from.
    Package,
}

/// The result of checking an expression.
#[derive(Clone, Debug)]
pub(crate) struct Operand<'a> {
    pub(crate) mode: Mode,
    pub(crate) ty: TypeId,
    pub(crate) val: Option<ConstValue>,
    /// The expression, for messages; absent for synthesized operands.
    pub(crate) expr: Option<&'a Expr>,
    /// For one value of a call with several results: its index, which messages show
    /// (`2nd function result`) instead of the call.
    result: Option<usize>,
    span: Span,
}

impl<'a> Operand<'a> {
    fn new(mode: Mode, ty: TypeId, expr: &'a Expr) -> Operand<'a> {
        Operand {
            mode,
            ty,
            val: None,
            expr: Some(expr),
            result: None,
            span: expr.span,
        }
    }

    /// Returns an invalid operand standing for nothing, to move another out of a `&mut`.
    fn placeholder(span: Span) -> Operand<'a> {
        Operand {
            mode: Mode::Invalid,
            ty: INVALID,
            val: None,
            expr: None,
            result: None,
            span,
        }
    }

    fn invalid(expr: &'a Expr) -> Operand<'a> {
        Operand::new(Mode::Invalid, INVALID, expr)
    }

    fn constant(ty: TypeId, val: ConstValue, expr: &'a Expr) -> Operand<'a> {
        Operand {
            mode: Mode::Constant,
            ty,
            val: Some(val),
            expr: Some(expr),
            result: None,
            span: expr.span,
        }
    }

    /// Returns the constant `true` of a tagless switch.
    pub(crate) fn constant_bool(value: bool, span: Span) -> Operand<'a> {
        Operand {
            mode: Mode::Constant,
            ty: BOOL,
            val: Some(ConstValue::Bool(value)),
            expr: None,
            result: None,
            span,
        }
    }

    /// Returns where the operand is written.
    pub(crate) fn span(&self) -> Span {
        self.span
    }

    fn int(&self) -> &Int {
        self.val.as_ref().expect("a constant has a value").as_int()
    }
}

impl<'a> Checker<'a> {
    /// Returns the source text of `expr` as Go's messages print it.
    pub(crate) fn expr_text(&self, expr: &Expr) -> String {
        crate::syntax::print::expr_string(&self.source.text, expr)
    }

    /// Describes an operand as Go's `operandString`: `x (variable of type int)`,
    /// `1 << 63 (untyped int constant 9223372036854775808)`.
    pub(crate) fn operand_string(&self, x: &Operand<'a>) -> String {
        if x.mode == Mode::Nil {
            return "nil".to_string();
        }
        let text = match (x.expr, x.mode) {
            _ if x.result.is_some() => nth(x.result.unwrap_or(0) + 1, "function result"),
            (Some(expr), _) => self.expr_text(expr),
            (None, Mode::Constant) => x.val.as_ref().map(ToString::to_string).unwrap_or_default(),
            _ => String::new(),
        };
        let mut out = String::new();
        if !text.is_empty() {
            out.push_str(&text);
            out.push_str(" (");
        }
        let has_type = match x.mode {
            Mode::Invalid | Mode::NoValue | Mode::Builtin(_) | Mode::TypeExpr | Mode::Package => {
                false
            }
            _ if ty::is_untyped(x.ty) => {
                out.push_str(&self.state.info.types.display(x.ty));
                out.push(' ');
                false
            }
            _ => true,
        };
        out.push_str(match x.mode {
            Mode::Invalid => "invalid operand",
            Mode::NoValue => "no value",
            Mode::Builtin(_) => "built-in",
            Mode::TypeExpr => "type",
            Mode::Constant => "constant",
            Mode::Variable => "variable",
            Mode::Value => "value",
            Mode::Nil => "nil",
            Mode::Package => "package",
        });
        if x.mode == Mode::Constant
            && let Some(val) = &x.val
        {
            let shown = val.to_string();
            if shown != text {
                out.push(' ');
                out.push_str(&shown);
            }
        }
        if has_type {
            out.push_str(" of type ");
            out.push_str(&self.state.info.types.display(x.ty));
        }
        if !text.is_empty() {
            out.push(')');
        }
        out
    }

    fn record(&mut self, x: &Operand<'a>) {
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

    fn single_value(&mut self, mut x: Operand<'a>) -> Operand<'a> {
        // Most operands are plain values: only a call's value can be several.
        if matches!(x.mode, Mode::Constant | Mode::Variable | Mode::Nil) {
            return x;
        }
        if x.mode == Mode::NoValue && self.is_fmt_call(x.expr) {
            self.fmt_results_unsupported(&x);
            x.mode = Mode::Invalid;
            return x;
        }
        if let Mode::Builtin(builtin @ (Builtin::FmtPrint | Builtin::FmtPrintln)) = x.mode {
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
                Some(Builtin::Len | Builtin::Min | Builtin::Max)
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
            ExprKind::Rune => {
                self.error(expr.span, "rune literals are not supported");
                Operand::invalid(expr)
            }
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
            ExprKind::Unary(op, operand) => self.unary(expr, *op, operand),
            ExprKind::Binary(op, binary) => {
                let [left, right] = &binary.operands;
                self.binary(Some(expr), *op, left, right, binary.op_span)
            }
            ExprKind::Call(call) => self.call(expr, &call.callee, &call.args),
            ExprKind::Selector(selector) => {
                let name = &selector.name;
                self.selector(expr, &selector.base, name.name, name.span)
            }
        }
    }

    fn ident(&mut self, expr: &'a Expr, name: crate::syntax::ast::Symbol) -> Operand<'a> {
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

    /// Reports a name with no declaration: Go's `undefined: x`, or, for Go's predeclared
    /// names that Toy lacks, that the name is not supported. A name that is no Go
    /// identifier (`a€`) was reported by the lexer, and, as in Go, is not reported again.
    pub(crate) fn undefined(&mut self, span: Span, name: crate::syntax::ast::Symbol) {
        let text = self.name(name);
        if !is_valid_name(text) {
            return;
        }
        if GO_ONLY_PREDECLARED.contains(&text) {
            self.error(span, format!("{text} is not supported"));
        } else {
            self.error(span, format!("undefined: {text}"));
        }
    }

    fn selector(
        &mut self,
        expr: &'a Expr,
        base: &'a Expr,
        field: crate::syntax::ast::Symbol,
        field_span: Span,
    ) -> Operand<'a> {
        let x = self.raw(base);
        if x.mode == Mode::Invalid {
            return Operand::invalid(expr);
        }
        if x.mode == Mode::Package && matches!(base.kind, ExprKind::Paren(_)) {
            // `(fmt).Println` is not a qualified identifier.
            let inner = unparen(base);
            let text = self.expr_text(inner);
            self.error(inner.span, format!("use of package {text} not in selector"));
            return Operand::invalid(expr);
        }
        let field_name = self.name(field);
        if x.mode == Mode::Package {
            let is_fmt = self
                .state
                .fmt
                .is_some_and(|(fmt, _)| self.nodes.obj_of(unparen(base).id) == Some(fmt));
            if !is_fmt {
                // An unsupported import, already reported.
                return Operand::invalid(expr);
            }
            if let Some((fmt, _)) = self.state.fmt {
                self.state.used[fmt.0 as usize] = true;
            }
            let builtin = match field_name {
                "Println" => Builtin::FmtPrintln,
                "Print" => Builtin::FmtPrint,
                "Printf" | "Sprintf" | "Sprint" | "Sprintln" | "Errorf" | "Fprintln" | "Fprint"
                | "Fprintf" => {
                    self.error(field_span, format!("fmt.{field_name} is not supported"));
                    return Operand::invalid(expr);
                }
                // As in Go, a name that is no Go identifier was reported by the lexer.
                _ if !is_valid_name(field_name) => return Operand::invalid(expr),
                _ => {
                    let mut chars = field_name.chars();
                    let capitalized: String = chars
                        .next()
                        .into_iter()
                        .flat_map(char::to_uppercase)
                        .chain(chars)
                        .collect();
                    let message = if matches!(capitalized.as_str(), "Println" | "Print" | "Printf")
                    {
                        format!("undefined: fmt.{field_name} (but have {capitalized})")
                    } else {
                        format!("undefined: fmt.{field_name}")
                    };
                    self.error(field_span, message);
                    return Operand::invalid(expr);
                }
            };
            return Operand::new(Mode::Builtin(builtin), INVALID, expr);
        }
        let x = self.single_value(x);
        if x.mode == Mode::Invalid {
            return Operand::invalid(expr);
        }
        let text = self.expr_text(expr);
        let ty = self.state.info.types.display(x.ty);
        self.error(
            field_span,
            format!("{text} undefined (type {ty} has no field or method {field_name})"),
        );
        Operand::invalid(expr)
    }

    fn unary(&mut self, expr: &'a Expr, op: UnOp, operand: &'a Expr) -> Operand<'a> {
        let mut x = self.expr(operand);
        if x.mode == Mode::Invalid {
            return Operand::invalid(expr);
        }
        let ok = match op {
            UnOp::Plus | UnOp::Neg | UnOp::BitNot => ty::is_integer(x.ty),
            UnOp::Not => ty::is_boolean(x.ty),
        };
        if !ok {
            self.operator_not_defined(&x, op.text());
            return Operand::invalid(expr);
        }
        x.expr = Some(expr);
        x.span = expr.span;
        if x.mode == Mode::Constant {
            let val = x.val.take().expect("a constant has a value");
            x.val = Some(match (op, val) {
                (UnOp::Plus, val) => val,
                (UnOp::Neg, ConstValue::Int(value)) => ConstValue::Int(-value),
                (UnOp::BitNot, ConstValue::Int(value)) => {
                    if x.ty == INT {
                        ConstValue::Int(Int::from(!value.to_i64().unwrap_or(0)))
                    } else {
                        ConstValue::Int(!value)
                    }
                }
                (UnOp::Not, ConstValue::Bool(value)) => ConstValue::Bool(!value),
                (_, val) => val,
            });
            self.overflow(&mut x, expr.span, op == UnOp::BitNot);
            return x;
        }
        x.mode = Mode::Value;
        x
    }

    fn operator_not_defined(&mut self, x: &Operand<'a>, op: &str) {
        let desc = self.operand_string(x);
        self.error(
            x.span,
            format!("invalid operation: operator {op} not defined on {desc}"),
        );
    }

    /// Checks `left op right`; `expr` is absent for an assignment operation `left op= right`.
    pub(crate) fn binary(
        &mut self,
        expr: Option<&'a Expr>,
        op: BinOp,
        left: &'a Expr,
        right: &'a Expr,
        op_span: Span,
    ) -> Operand<'a> {
        let mut x = self.expr(left);
        let mut y = self.expr(right);
        let result_expr = expr.unwrap_or(left);
        if x.mode == Mode::Invalid || y.mode == Mode::Invalid {
            return Operand::invalid(result_expr);
        }
        if matches!(op, BinOp::Shl | BinOp::Shr) {
            return self.shift(result_expr, op, x, y, op_span);
        }
        self.match_types(&mut x, &mut y);
        if x.mode == Mode::Invalid {
            return Operand::invalid(result_expr);
        }
        if op.is_comparison() {
            return self.comparison(result_expr, op, x, y);
        }
        if !self.state.info.types.identical(x.ty, y.ty) {
            let (xt, yt) = (
                self.state.info.types.display(x.ty),
                self.state.info.types.display(y.ty),
            );
            let message = match expr {
                Some(expr) => format!(
                    "invalid operation: {} (mismatched types {xt} and {yt})",
                    self.expr_text(expr)
                ),
                None => format!(
                    "invalid operation: {} {}= {} (mismatched types {xt} and {yt})",
                    self.expr_text(left),
                    op.text(),
                    self.expr_text(right)
                ),
            };
            self.error(x.span, message);
            return Operand::invalid(result_expr);
        }
        let ok = match op {
            BinOp::LAnd | BinOp::LOr => ty::is_boolean(x.ty),
            BinOp::Add => ty::is_integer(x.ty) || ty::is_string(x.ty),
            _ => ty::is_integer(x.ty),
        };
        if !ok {
            self.operator_not_defined(&x, op.text());
            return Operand::invalid(result_expr);
        }
        if matches!(op, BinOp::Div | BinOp::Rem)
            && y.mode == Mode::Constant
            && y.val.as_ref().is_some_and(ConstValue::is_zero)
        {
            self.error(y.span, "invalid operation: division by zero");
            return Operand::invalid(result_expr);
        }
        if x.mode == Mode::Constant && y.mode == Mode::Constant {
            let (a, b) = (
                x.val.take().expect("constant"),
                y.val.take().expect("constant"),
            );
            let value = match (a, b) {
                (ConstValue::Int(a), ConstValue::Int(b)) => ConstValue::Int(match op {
                    BinOp::Add => a + b,
                    BinOp::Sub => a - b,
                    BinOp::Mul => a * b,
                    // Go's constant arithmetic divides values that fit in 64 bits with
                    // 64-bit division, so MinInt64 / -1 wraps to MinInt64 (and the
                    // remainder is 0); the oracle's behaviour is the language's here.
                    BinOp::Div if is_min_by_minus_one(&a, &b) => a,
                    BinOp::Div => a / b,
                    BinOp::Rem => a % b,
                    BinOp::And => a & b,
                    BinOp::Or => a | b,
                    BinOp::Xor => a ^ b,
                    BinOp::AndNot => a & !b,
                    _ => unreachable!("integer operators only"),
                }),
                (ConstValue::Bool(a), ConstValue::Bool(b)) => ConstValue::Bool(match op {
                    BinOp::LAnd => a && b,
                    _ => a || b,
                }),
                (ConstValue::Str(a), ConstValue::Str(b)) => ConstValue::Str(a.concat(&b)),
                _ => unreachable!("operands have matching types"),
            };
            let mut z = Operand::constant(x.ty, value, result_expr);
            self.overflow(&mut z, op_span, false);
            return z;
        }
        Operand::new(Mode::Value, x.ty, result_expr)
    }

    /// Reports a constant that left its type's range, or gc's 512-bit precision if untyped.
    fn overflow(&mut self, x: &mut Operand<'a>, op_span: Span, complement: bool) {
        if x.mode != Mode::Constant {
            return;
        }
        if !ty::is_untyped(x.ty) {
            self.representable(x, x.ty);
            return;
        }
        if x.val.as_ref().is_some_and(ConstValue::overflows_precision) {
            let name = match x.expr.map(|expr| &expr.kind) {
                Some(ExprKind::Binary(op, ..)) => match op {
                    BinOp::Add => "addition ",
                    BinOp::Sub => "subtraction ",
                    BinOp::Xor => "bitwise XOR ",
                    BinOp::Mul => "multiplication ",
                    BinOp::Shl => "shift ",
                    _ => "",
                },
                Some(ExprKind::Unary(UnOp::BitNot, _)) if complement => "bitwise complement ",
                _ => "",
            };
            self.error(op_span, format!("constant {name}overflow"));
            x.mode = Mode::Invalid;
        }
    }

    fn shift(
        &mut self,
        expr: &'a Expr,
        op: BinOp,
        x: Operand<'a>,
        mut y: Operand<'a>,
        op_span: Span,
    ) -> Operand<'a> {
        if !ty::is_integer(x.ty) {
            let desc = self.operand_string(&x);
            self.error(
                x.span,
                format!("invalid operation: shifted operand {desc} must be integer"),
            );
            return Operand::invalid(expr);
        }
        if y.mode == Mode::Constant {
            if !ty::is_integer(y.ty) {
                let desc = self.operand_string(&y);
                let message = if ty::is_untyped(y.ty) {
                    // Go converts an untyped count to uint first.
                    format!("cannot convert {desc} to type uint")
                } else {
                    format!("invalid operation: shift count {desc} must be integer")
                };
                self.error(y.span, message);
                return Operand::invalid(expr);
            }
            if y.int().is_negative() {
                let desc = self.operand_string(&y);
                self.error(
                    y.span,
                    format!("invalid operation: negative shift count {desc}"),
                );
                return Operand::invalid(expr);
            }
            if ty::is_untyped(y.ty) && y.int().bits() > 64 {
                let desc = self.operand_string(&y);
                self.error(y.span, format!("{desc} overflows uint"));
                return Operand::invalid(expr);
            }
        } else if !ty::is_integer(y.ty) {
            let desc = self.operand_string(&y);
            self.error(
                y.span,
                format!("invalid operation: shift count {desc} must be integer"),
            );
            return Operand::invalid(expr);
        } else if ty::is_untyped(y.ty) {
            self.convert_untyped(&mut y, INT);
        }
        if x.mode == Mode::Constant && y.mode == Mode::Constant {
            const SHIFT_BOUND: u64 = 1023 - 1 + 52;
            let count = y.int().to_u64().filter(|&count| count <= SHIFT_BOUND);
            let Some(count) = count else {
                let desc = self.operand_string(&y);
                self.error(
                    y.span,
                    format!("invalid operation: invalid shift count {desc}"),
                );
                return Operand::invalid(expr);
            };
            let value = x.int().clone();
            let shifted = match op {
                BinOp::Shl => value << count,
                _ => value >> count,
            };
            let mut z = Operand::constant(x.ty, ConstValue::Int(shifted), expr);
            self.overflow(&mut z, op_span, false);
            return z;
        }
        // An untyped constant shifted by a variable count stays an untyped value: it takes its
        // type from the context, as Go's delayed typing of shifts does.
        Operand::new(Mode::Value, x.ty, expr)
    }

    fn comparison(
        &mut self,
        expr: &'a Expr,
        op: BinOp,
        x: Operand<'a>,
        y: Operand<'a>,
    ) -> Operand<'a> {
        let mismatch = !self.assignable_to(&x, y.ty) && !self.assignable_to(&y, x.ty);
        let mut err_op = &x;
        let mut cause = String::new();
        let mut failed = false;
        if mismatch {
            err_op = &y;
            cause = format!(
                "mismatched types {} and {}",
                self.state.info.types.display(x.ty),
                self.state.info.types.display(y.ty)
            );
            failed = true;
        } else if matches!(op, BinOp::Eq | BinOp::Ne) {
            let x_func = self.state.info.types.func(x.ty).is_some();
            let y_func = self.state.info.types.func(y.ty).is_some();
            if x.mode == Mode::Nil && y.mode == Mode::Nil {
                err_op = &y;
                failed = true;
            } else if x.mode != Mode::Nil && y.mode != Mode::Nil && (x_func || y_func) {
                err_op = if x_func { &x } else { &y };
                cause = "func can only be compared to nil".to_string();
                failed = true;
            }
        } else if !is_ordered(x.ty) {
            err_op = &x;
            failed = true;
        } else if !is_ordered(y.ty) {
            err_op = &y;
            failed = true;
        }
        if failed {
            if cause.is_empty() {
                let what = if self.state.info.types.func(err_op.ty).is_some() {
                    "func".to_string()
                } else {
                    self.state.info.types.display(err_op.ty)
                };
                cause = format!("operator {} not defined on {what}", op.text());
            }
            let span = err_op.span;
            let (left, right) = match expr.kind {
                ExprKind::Binary(_, ref binary) => {
                    let [left, right] = &binary.operands;
                    (self.expr_text(left), self.expr_text(right))
                }
                _ => (String::new(), String::new()),
            };
            self.error(
                span,
                format!("invalid operation: {left} {} {right} ({cause})", op.text()),
            );
            return Operand::invalid(expr);
        }
        if x.mode == Mode::Constant && y.mode == Mode::Constant {
            let (a, b) = (x.val.expect("constant"), y.val.expect("constant"));
            let ordering = match (&a, &b) {
                (ConstValue::Int(a), ConstValue::Int(b)) => a.cmp(b),
                (ConstValue::Str(a), ConstValue::Str(b)) => a.cmp(b),
                (ConstValue::Bool(a), ConstValue::Bool(b)) => a.cmp(b),
                _ => unreachable!("operands have matching types"),
            };
            let result = match op {
                BinOp::Eq => ordering.is_eq(),
                BinOp::Ne => ordering.is_ne(),
                BinOp::Lt => ordering.is_lt(),
                BinOp::Le => ordering.is_le(),
                BinOp::Gt => ordering.is_gt(),
                _ => ordering.is_ge(),
            };
            return Operand::constant(UNTYPED_BOOL, ConstValue::Bool(result), expr);
        }
        // The operands are materialized with their default types; a constant operand of an
        // untyped shift must then fit (`1<<n > 1<<70`).
        for operand in [&x, &y] {
            if let Some(operand_expr) = operand.expr
                && operand.mode != Mode::Nil
                && operand.result.is_none()
            {
                self.update_untyped(operand_expr, ty::default_type(operand.ty));
            }
        }
        Operand::new(Mode::Value, UNTYPED_BOOL, expr)
    }

    /// Compares a case value with the switch tag as `==` does, reporting Go's `invalid case`.
    pub(crate) fn compare_case(
        &mut self,
        x: &mut Operand<'a>,
        tag: &mut Operand<'a>,
        tag_expr: Option<&'a Expr>,
        case_expr: &'a Expr,
    ) -> bool {
        if tag.mode != Mode::Invalid {
            let tag_ty = tag.ty;
            self.convert_untyped(x, tag_ty);
        }
        if x.mode == Mode::Invalid {
            return false;
        }
        let ok = self.assignable_to(x, tag.ty) || self.assignable_to(tag, x.ty);
        let cause = if !ok {
            Some(format!(
                "mismatched types {} and {}",
                self.state.info.types.display(x.ty),
                self.state.info.types.display(tag.ty)
            ))
        } else if self.state.info.types.func(x.ty).is_some() && x.mode != Mode::Nil {
            Some("func can only be compared to nil".to_string())
        } else {
            None
        };
        if let Some(cause) = cause {
            let tag_text = match tag_expr {
                Some(tag_expr) => self.expr_text(tag_expr),
                None => "true".to_string(),
            };
            let case_text = self.expr_text(case_expr);
            self.error(
                case_expr.span,
                format!("invalid case {case_text} in switch on {tag_text} ({cause})"),
            );
            return false;
        }
        if x.mode == Mode::Constant && ty::is_untyped(x.ty) {
            let target = ty::default_type(tag.ty);
            self.convert_untyped(x, target);
        }
        x.mode != Mode::Invalid
    }

    /// Converts each untyped operand to the other's type where Go's `matchTypes` would.
    fn match_types(&mut self, x: &mut Operand<'a>, y: &mut Operand<'a>) {
        let may_convert = |x: &Operand<'a>, y: &Operand<'a>, types: &ty::TypeTable| {
            if !ty::is_untyped(x.ty) && !ty::is_untyped(y.ty) {
                return false;
            }
            if ty::is_integer(x.ty) != ty::is_integer(y.ty) {
                return false;
            }
            if ty::is_boolean(x.ty) != ty::is_boolean(y.ty) {
                return false;
            }
            if ty::is_string(x.ty) != ty::is_string(y.ty) {
                return false;
            }
            if x.mode == Mode::Nil {
                return types.func(y.ty).is_some();
            }
            if y.mode == Mode::Nil {
                return types.func(x.ty).is_some();
            }
            true
        };
        if may_convert(x, y, &self.state.info.types) {
            let y_ty = y.ty;
            self.convert_untyped(x, y_ty);
            if x.mode == Mode::Invalid {
                return;
            }
            let x_ty = x.ty;
            self.convert_untyped(y, x_ty);
            if y.mode == Mode::Invalid {
                x.mode = Mode::Invalid;
            }
        }
    }

    /// Gives an untyped operand the type `target`, reporting Go's conversion errors.
    pub(crate) fn convert_untyped(&mut self, x: &mut Operand<'a>, target: TypeId) {
        match self.implicit_type(x, target) {
            Ok(()) => {}
            Err(overflow) => {
                let desc = self.operand_string(x);
                let target_name = self.state.info.types.display(target);
                let message = if overflow {
                    format!("{desc} overflows {target_name}")
                } else {
                    format!("cannot convert {desc} to type {target_name}")
                };
                self.error(x.span, message);
                x.mode = Mode::Invalid;
            }
        }
    }

    /// Converts untyped `x` to `target` in place; `Err(true)` when a constant overflows,
    /// `Err(false)` when the kinds do not match.
    fn implicit_type(&mut self, x: &mut Operand<'a>, target: TypeId) -> Result<(), bool> {
        if x.mode == Mode::Invalid || !ty::is_untyped(x.ty) || target == INVALID {
            return Ok(());
        }
        if ty::is_untyped(target) {
            // Both untyped: the "larger" kind wins, and only numbers mix.
            if x.ty == target {
                return Ok(());
            }
            return Err(false);
        }
        if x.mode == Mode::Nil {
            if self.state.info.types.func(target).is_some() {
                x.ty = target;
                self.record(x);
                return Ok(());
            }
            return Err(false);
        }
        let fits = match x.ty {
            UNTYPED_BOOL => target == BOOL,
            UNTYPED_INT => target == INT,
            UNTYPED_STRING => target == STRING,
            _ => false,
        };
        if !fits {
            return Err(false);
        }
        if x.mode == Mode::Constant
            && target == INT
            && x.val.as_ref().and_then(ConstValue::to_i64).is_none()
        {
            return Err(true);
        }
        x.ty = target;
        match x.expr {
            Some(expr) if x.mode != Mode::Constant && x.result.is_none() => {
                self.update_untyped(expr, target);
            }
            _ => self.record(x),
        }
        Ok(())
    }

    /// Gives a non-constant untyped expression and its untyped operands the type `target`, as
    /// Go's `updateExprType`: the constant operand of a shift (`1 << 100` in
    /// `1 << 100 >> n`) must then fit in `target`.
    fn update_untyped(&mut self, expr: &'a Expr, target: TypeId) {
        let ty = self.nodes.ty(expr.id);
        if !ty::is_untyped(ty) {
            return;
        }
        self.nodes.set_ty(expr.id, target);
        if let Some(value) = self.nodes.const_value(expr.id).cloned() {
            if target == INT && value.to_i64().is_none() {
                let desc = self.operand_string(&Operand::constant(ty, value, expr));
                self.error(expr.span, format!("{desc} overflows int"));
            }
            return;
        }
        match &expr.kind {
            ExprKind::Paren(inner) | ExprKind::Unary(_, inner) => {
                self.update_untyped(inner, target);
            }
            ExprKind::Binary(BinOp::Shl | BinOp::Shr, binary) => {
                self.update_untyped(&binary.operands[0], target);
            }
            ExprKind::Binary(op, binary) if !op.is_comparison() => {
                self.update_untyped(&binary.operands[0], target);
                self.update_untyped(&binary.operands[1], target);
            }
            _ => {}
        }
    }

    /// Reports a typed constant outside its type's range.
    fn representable(&mut self, x: &mut Operand<'a>, target: TypeId) {
        if target == INT && x.val.as_ref().and_then(ConstValue::to_i64).is_none() {
            let desc = self.operand_string(x);
            self.error(x.span, format!("{desc} overflows int"));
            x.mode = Mode::Invalid;
        }
    }

    /// Returns whether `x` may be assigned to a variable of type `target` as it is.
    fn assignable_to(&self, x: &Operand<'a>, target: TypeId) -> bool {
        if self.state.info.types.identical(x.ty, target) {
            return true;
        }
        if x.mode == Mode::Nil {
            return self.state.info.types.func(target).is_some();
        }
        match x.ty {
            UNTYPED_BOOL => ty::is_boolean(target),
            UNTYPED_INT => ty::is_integer(target),
            UNTYPED_STRING => ty::is_string(target),
            _ => false,
        }
    }

    /// Checks that `x` can be assigned to a variable of type `target` in `context`, converting
    /// an untyped `x`, as Go's `assignment`.
    pub(crate) fn assignment(&mut self, x: &mut Operand<'a>, target: TypeId, context: &str) {
        let taken = std::mem::replace(x, Operand::placeholder(x.span));
        *x = self.single_value(taken);
        if x.mode == Mode::Invalid || target == INVALID {
            return;
        }
        if ty::is_untyped(x.ty) {
            if x.mode == Mode::Nil && self.state.info.types.func(target).is_none() {
                let desc = self.operand_string(x);
                self.cannot_use(x, &desc, target, context, "");
                return;
            }
            // `implicit_type` leaves `x` as it was when it fails, so the description is
            // made only for the error.
            if let Err(overflow) = self.implicit_type(x, target) {
                let before = self.operand_string(x);
                let suffix = if overflow { " (overflows)" } else { "" };
                self.cannot_use(x, &before, target, context, suffix);
                return;
            }
        }
        if !self.state.info.types.identical(x.ty, target) {
            let desc = self.operand_string(x);
            self.cannot_use(x, &desc, target, context, "");
        }
    }

    /// Reports Go's `cannot use X as T value in CONTEXT` for `x`, described as `desc`, and
    /// invalidates it.
    fn cannot_use(
        &mut self,
        x: &mut Operand<'a>,
        desc: &str,
        target: TypeId,
        context: &str,
        suffix: &str,
    ) {
        let target_name = self.state.info.types.display(target);
        self.error(
            x.span,
            format!("cannot use {desc} as {target_name} value in {context}{suffix}"),
        );
        x.mode = Mode::Invalid;
    }

    fn call(&mut self, expr: &'a Expr, callee: &'a Expr, args: &'a [Expr]) -> Operand<'a> {
        let f = self.raw(callee);
        match f.mode {
            Mode::Invalid => {
                for arg in args {
                    self.raw(arg);
                }
                Operand::invalid(expr)
            }
            Mode::Builtin(builtin) => self.builtin(expr, builtin, args),
            Mode::TypeExpr => self.conversion(expr, f.ty, args),
            _ => {
                let f = self.single_value(f);
                if f.mode == Mode::Invalid {
                    return Operand::invalid(expr);
                }
                let Some(func) = self.state.info.types.func(f.ty).cloned() else {
                    let desc = self.operand_string(&f);
                    let ty = self.state.info.types.display(f.ty);
                    self.error(
                        callee.span,
                        format!("invalid operation: cannot call {desc}: {ty} is not a function"),
                    );
                    for arg in args {
                        self.raw(arg);
                    }
                    return Operand::invalid(expr);
                };
                let callee_text = self.expr_text(callee);
                self.arguments(expr, &callee_text, &func.params, args);
                match func.results.len() {
                    0 => Operand::new(Mode::NoValue, INVALID, expr),
                    1 => Operand::new(Mode::Value, func.results[0], expr),
                    _ => {
                        let ty = self
                            .state
                            .info
                            .types
                            .intern(Type::Tuple(func.results.clone()));
                        Operand::new(Mode::Value, ty, expr)
                    }
                }
            }
        }
    }

    /// Checks call arguments against parameter types, as Go's `arguments`.
    fn arguments(&mut self, call: &'a Expr, callee: &str, params: &[TypeId], args: &'a [Expr]) {
        let operands = self.operand_list(args);
        if operands.iter().any(|x| x.mode == Mode::Invalid) {
            return;
        }
        if operands.len() != params.len() {
            let (at, qualifier) = if operands.len() < params.len() {
                // Go points at the last argument, or at the call when there is none.
                (
                    operands.last().map_or(call.span, Operand::span),
                    "not enough",
                )
            } else {
                (operands[params.len()].span, "too many")
            };
            let have: Vec<TypeId> = operands.iter().map(|x| x.ty).collect();
            let message = format!(
                "{qualifier} arguments in call to {callee}\n\thave {}\n\twant {}",
                self.types_summary(&have),
                self.types_summary(params)
            );
            self.error(at, message);
            return;
        }
        let context = format!("argument to {callee}");
        for (mut x, &param) in operands.into_iter().zip(params) {
            self.assignment(&mut x, param, &context);
        }
    }

    fn conversion(&mut self, expr: &'a Expr, target: TypeId, args: &'a [Expr]) -> Operand<'a> {
        let type_name = self.state.info.types.display(target);
        if args.len() != 1 {
            let (at, message) = match args.get(1) {
                None => (
                    expr.span,
                    format!("missing argument in conversion to {type_name}"),
                ),
                Some(extra) => (
                    extra.span,
                    format!("too many arguments in conversion to {type_name}"),
                ),
            };
            for arg in args {
                self.raw(arg);
            }
            self.error(at, message);
            return Operand::invalid(expr);
        }
        let mut x = self.expr(&args[0]);
        if x.mode == Mode::Invalid {
            return Operand::invalid(expr);
        }
        let same_kind = self
            .state
            .info
            .types
            .identical(ty::default_type(x.ty), target)
            || (x.mode == Mode::Nil && self.state.info.types.func(target).is_some());
        if !same_kind {
            let desc = self.operand_string(&x);
            let message = if target == STRING && ty::is_integer(x.ty) {
                "conversions from int to string are not supported".to_string()
            } else {
                format!("cannot convert {desc} to type {type_name}")
            };
            self.error(x.span, message);
            return Operand::invalid(expr);
        }
        if x.mode == Mode::Constant {
            if target == INT && x.val.as_ref().and_then(ConstValue::to_i64).is_none() {
                let value = x.val.as_ref().expect("a constant has a value");
                self.error(x.span, format!("constant {value} overflows {type_name}"));
                return Operand::invalid(expr);
            }
            self.convert_untyped(&mut x, target);
            if x.mode == Mode::Invalid {
                return Operand::invalid(expr);
            }
            let val = x.val.clone().expect("constant");
            return Operand::constant(target, val, expr);
        }
        // An untyped shift (`int(1 << n)`) takes the target type, its constant operand too.
        if ty::is_untyped(x.ty)
            && let Some(arg) = x.expr
        {
            self.update_untyped(arg, target);
        }
        Operand::new(Mode::Value, target, expr)
    }

    /// Checks call arguments, spreading a single call with several results into one operand
    /// per result, as Go passes `f(g())`.
    fn operand_list(&mut self, args: &'a [Expr]) -> Vec<Operand<'a>> {
        if let [arg] = args {
            let mut operands = self.multi_expr(arg);
            // Only assignments and returns call them "Nth function result".
            for x in &mut operands {
                x.result = None;
            }
            return operands;
        }
        args.iter().map(|arg| self.expr(arg)).collect()
    }

    fn builtin(&mut self, expr: &'a Expr, builtin: Builtin, args: &'a [Expr]) -> Operand<'a> {
        let name = builtin.name();
        let mut operands = self.operand_list(args);
        let no_value = Operand::new(Mode::NoValue, INVALID, expr);
        if operands.iter().any(|x| x.mode == Mode::Invalid) {
            return match builtin {
                Builtin::Len | Builtin::Min | Builtin::Max => Operand::invalid(expr),
                _ => no_value,
            };
        }
        let (min_args, max_args) = match builtin {
            Builtin::Len | Builtin::Panic => (1, Some(1)),
            Builtin::Min | Builtin::Max => (1, None),
            Builtin::Print | Builtin::Println | Builtin::FmtPrint | Builtin::FmtPrintln => {
                (0, None)
            }
        };
        let found = operands.len();
        if found < min_args || max_args.is_some_and(|max| found > max) {
            let (qualifier, expected) = if found < min_args {
                ("not enough", min_args)
            } else {
                ("too many", max_args.unwrap_or(0))
            };
            let call_text = self.expr_text(expr);
            self.error(
                expr.span,
                format!(
                    "invalid operation: {qualifier} arguments for {call_text} (expected {expected}, found {found})"
                ),
            );
            return Operand::invalid(expr);
        }
        match builtin {
            Builtin::Print | Builtin::Println | Builtin::FmtPrint | Builtin::FmtPrintln => {
                let is_fmt = matches!(builtin, Builtin::FmtPrint | Builtin::FmtPrintln);
                let context = if is_fmt {
                    format!("argument to {name}")
                } else {
                    format!("argument to built-in {name}")
                };
                for mut x in operands {
                    if x.mode == Mode::Nil {
                        let message = if is_fmt {
                            format!("printing nil with {name} is not supported")
                        } else {
                            format!("use of untyped nil in {context}")
                        };
                        self.error(x.span, message);
                        continue;
                    }
                    let target = ty::default_type(x.ty);
                    self.assignment(&mut x, target, &context);
                    if x.mode != Mode::Invalid
                        && is_fmt
                        && self.state.info.types.func(x.ty).is_some()
                    {
                        self.error(
                            x.span,
                            format!("printing function values with {name} is not supported"),
                        );
                    }
                }
                // fmt.Println returns (n int, err error) in Go; Toy has no error type, so
                // its results cannot be used.
                no_value
            }
            Builtin::Panic => {
                let mut x = operands.remove(0);
                if x.mode == Mode::Nil {
                    self.error(x.span, "panic(nil) is not supported");
                    return no_value;
                }
                let target = ty::default_type(x.ty);
                self.assignment(&mut x, target, "argument to panic");
                if x.mode != Mode::Invalid && self.state.info.types.func(x.ty).is_some() {
                    self.error(x.span, "panic with a function value is not supported");
                }
                self.state.panic_calls.insert(expr.id);
                no_value
            }
            Builtin::Len => {
                let mut x = operands.remove(0);
                if !ty::is_string(x.ty) {
                    let desc = self.operand_string(&x);
                    self.error(x.span, format!("invalid argument: {desc} for built-in len"));
                    return Operand::invalid(expr);
                }
                if x.mode == Mode::Constant {
                    let ConstValue::Str(string) = x.val.take().expect("constant") else {
                        unreachable!("a string constant")
                    };
                    return Operand::constant(INT, ConstValue::Int(string.len().into()), expr);
                }
                Operand::new(Mode::Value, INT, expr)
            }
            Builtin::Min | Builtin::Max => self.min_max(expr, builtin, args, operands),
        }
    }

    fn min_max(
        &mut self,
        expr: &'a Expr,
        builtin: Builtin,
        args: &'a [Expr],
        mut operands: Vec<Operand<'a>>,
    ) -> Operand<'a> {
        let mut result = operands.remove(0);
        if !ty::is_integer(result.ty) && !ty::is_string(result.ty) {
            let desc = self.operand_string(&result);
            self.error(
                result.span,
                format!("invalid argument: {desc} cannot be ordered"),
            );
            return Operand::invalid(expr);
        }
        for mut y in operands {
            self.match_types(&mut result, &mut y);
            if result.mode == Mode::Invalid {
                return Operand::invalid(expr);
            }
            if !self.state.info.types.identical(result.ty, y.ty) {
                let (rt, yt) = (
                    self.state.info.types.display(result.ty),
                    self.state.info.types.display(y.ty),
                );
                let text = y.expr.map(|e| self.expr_text(e)).unwrap_or_default();
                self.error(
                    y.span,
                    format!(
                        "invalid argument: mismatched types {rt} (previous argument) and {yt} (type of {text})"
                    ),
                );
                return Operand::invalid(expr);
            }
            if result.mode == Mode::Constant && y.mode == Mode::Constant {
                let (a, b) = (
                    result.val.clone().expect("constant"),
                    y.val.clone().expect("constant"),
                );
                let ordering = match (&a, &b) {
                    (ConstValue::Int(a), ConstValue::Int(b)) => b.cmp(a),
                    (ConstValue::Str(a), ConstValue::Str(b)) => b.cmp(a),
                    _ => std::cmp::Ordering::Equal,
                };
                let pick_y = if builtin == Builtin::Min {
                    ordering.is_lt()
                } else {
                    ordering.is_gt()
                };
                if pick_y {
                    result.val = Some(b);
                }
            } else {
                result.mode = Mode::Value;
                result.val = None;
            }
        }
        if result.mode != Mode::Constant {
            // The operands are materialized with the result's type (`max(1<<n, 1<<70)`).
            let target = ty::default_type(result.ty);
            for arg in args {
                self.update_untyped(arg, target);
            }
            result.ty = target;
        }
        let mut z = Operand::new(result.mode, result.ty, expr);
        z.val = result.val;
        z
    }
}

/// Go's predeclared names that Toy lacks: using one is reported as unsupported rather than
/// undefined.
const GO_ONLY_PREDECLARED: &[&str] = &[
    "any",
    "append",
    "byte",
    "cap",
    "clear",
    "close",
    "comparable",
    "complex",
    "complex128",
    "complex64",
    "copy",
    "delete",
    "error",
    "float32",
    "float64",
    "imag",
    "int16",
    "int32",
    "int64",
    "int8",
    "make",
    "new",
    "real",
    "recover",
    "rune",
    "uint",
    "uint16",
    "uint32",
    "uint64",
    "uint8",
    "uintptr",
];

/// Returns `1st what`, `2nd what`, … as Go's `nth`.
fn nth(n: usize, what: &str) -> String {
    let suffix = match n {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    };
    format!("{n}{suffix} {what}")
}

/// Returns whether `a / b` is `math.MinInt64 / -1`.
fn is_min_by_minus_one(a: &Int, b: &Int) -> bool {
    a.to_i64() == Some(i64::MIN) && b.to_i64() == Some(-1)
}

/// Returns whether values of `ty` can be ordered with `<`.
fn is_ordered(ty: TypeId) -> bool {
    ty::is_integer(ty) || ty::is_string(ty)
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
