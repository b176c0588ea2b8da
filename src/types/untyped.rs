//! Giving untyped operands a type, as types2's `implicitTypeAndValue` and `updateExprType`:
//! a constant must be representable in the type it takes, and a non-constant untyped
//! expression (`1 << n`) takes its type from the context, its untyped operands with it.

use crate::syntax::ast::{BinOp, Expr, ExprKind};
use crate::types::check::Checker;
use crate::types::constant::ConstValue;
use crate::types::operand::{Mode, Operand};
use crate::types::ty::{
    self, BOOL, INVALID, STRING, TypeId, UNTYPED_BOOL, UNTYPED_INT, UNTYPED_RUNE, UNTYPED_STRING,
};

impl<'a> Checker<'a> {
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
    pub(crate) fn implicit_type(
        &mut self,
        x: &mut Operand<'a>,
        target: TypeId,
    ) -> Result<(), bool> {
        if x.mode == Mode::Invalid || !ty::is_untyped(x.ty) || target == INVALID {
            return Ok(());
        }
        if ty::is_untyped(target) {
            // Both untyped: the "larger" kind wins (a rune over an int), and only numbers
            // mix.
            if x.ty == target {
                return Ok(());
            }
            if x.ty == UNTYPED_INT && target == UNTYPED_RUNE {
                x.ty = target;
                self.record(x);
                return Ok(());
            }
            if ty::is_untyped_numeric(x.ty) && ty::is_untyped_numeric(target) {
                return Ok(());
            }
            return Err(false);
        }
        if x.mode == Mode::Nil {
            if self.state.info.types.nil_able(target) {
                x.ty = target;
                self.record(x);
                return Ok(());
            }
            return Err(false);
        }
        let kind_fits = match x.ty {
            UNTYPED_BOOL => target == BOOL,
            UNTYPED_INT | UNTYPED_RUNE => ty::is_integer(target),
            UNTYPED_STRING => target == STRING,
            _ => false,
        };
        if !kind_fits {
            return Err(false);
        }
        if x.mode == Mode::Constant && ty::is_integer(target) && !ty::fits(target, x.int()) {
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
    pub(crate) fn update_untyped(&mut self, expr: &'a Expr, target: TypeId) {
        let ty = self.nodes.ty(expr.id);
        if !ty::is_untyped(ty) {
            return;
        }
        if target == UNTYPED_RUNE {
            // The default type of an untyped rune (`'a' << n == x`), which Toy lacks.
            let mut x = Operand::new(Mode::Value, ty, expr);
            self.assignment(&mut x, target, "expression");
            return;
        }
        self.nodes.set_ty(expr.id, target);
        if let Some(value) = self.nodes.const_value(expr.id).cloned() {
            if let ConstValue::Int(int) = &value
                && !ty::fits(target, int)
            {
                let desc = self.operand_string(&Operand::constant(ty, value, expr));
                let target_name = self.state.info.types.display(target);
                self.error(expr.span, format!("{desc} overflows {target_name}"));
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
            // No other kind has operands that take the type: a comparison gave its own
            // theirs (`comparison`), and the rest have no untyped operands.
            ExprKind::Binary(..)
            | ExprKind::Name(_)
            | ExprKind::Int
            | ExprKind::Float
            | ExprKind::Imag
            | ExprKind::Rune
            | ExprKind::Str
            | ExprKind::FuncLit(_)
            | ExprKind::FuncType(_)
            | ExprKind::Type(_)
            | ExprKind::Composite(_)
            | ExprKind::Call(_)
            | ExprKind::Selector(_)
            | ExprKind::Index(_)
            | ExprKind::Instance(_)
            | ExprKind::Slice(_)
            | ExprKind::TypeAssert(_)
            | ExprKind::TypeGuard(_)
            | ExprKind::KeyValue(_)
            | ExprKind::Bad => {}
        }
    }

    /// Reports a typed constant outside its type's range.
    pub(crate) fn representable(&mut self, x: &mut Operand<'a>, target: TypeId) {
        if let Some(ConstValue::Int(value)) = &x.val
            && !ty::fits(target, value)
        {
            let desc = self.operand_string(x);
            let target_name = self.state.info.types.display(target);
            self.error(x.span, format!("{desc} overflows {target_name}"));
            x.mode = Mode::Invalid;
        }
    }
}
