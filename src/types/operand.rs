//! Operands, as types2's `operand.go`: what an expression denotes (its [`Mode`]), its type
//! and, for a constant, its exact value; their descriptions in messages (`x (variable of
//! type int)`); and whether one may be assigned to a type as it is.
//!
//! Untyped constants stay untyped until an operator or an assignment gives them a type
//! (`untyped`).

use crate::diag::Span;
use crate::syntax::ast::Expr;
use crate::types::check::Checker;
use crate::types::constant::{ConstValue, Int};
use crate::types::object::Builtin;
use crate::types::ty::{self, BOOL, INVALID, TypeId, UNTYPED_BOOL, UNTYPED_INT, UNTYPED_STRING};

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
    pub(crate) result: Option<usize>,
    /// Where the operand is written.
    pub(crate) span: Span,
}

impl<'a> Operand<'a> {
    pub(crate) fn new(mode: Mode, ty: TypeId, expr: &'a Expr) -> Operand<'a> {
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
    pub(crate) fn placeholder(span: Span) -> Operand<'a> {
        Operand {
            mode: Mode::Invalid,
            ty: INVALID,
            val: None,
            expr: None,
            result: None,
            span,
        }
    }

    pub(crate) fn invalid(expr: &'a Expr) -> Operand<'a> {
        Operand::new(Mode::Invalid, INVALID, expr)
    }

    pub(crate) fn constant(ty: TypeId, val: ConstValue, expr: &'a Expr) -> Operand<'a> {
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

    pub(crate) fn int(&self) -> &Int {
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

    /// Returns whether `x` may be assigned to a variable of type `target` as it is.
    pub(crate) fn assignable_to(&self, x: &Operand<'a>, target: TypeId) -> bool {
        if self.state.info.types.identical(x.ty, target) {
            return true;
        }
        if x.mode == Mode::Nil {
            return self.state.info.types.nil_able(target);
        }
        match x.ty {
            UNTYPED_BOOL => ty::is_boolean(target),
            UNTYPED_INT => ty::is_integer(target),
            UNTYPED_STRING => ty::is_string(target),
            _ => false,
        }
    }
}

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
