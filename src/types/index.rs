//! Index and slice expressions, as types2's `index.go`: `s[i]` of a slice, `s[lo:hi]` and
//! `s[lo:hi:max]`, and the checks of one index (an integer, a constant one not negative and
//! within `int`). A string is indexed (a `byte`, never a constant) and sliced (a `string`) as
//! well, with its length known when it is constant.

use crate::diag::Span;
use crate::syntax::ast::{Expr, SliceExpr};
use crate::types::check::Checker;
use crate::types::constant::ConstValue;
use crate::types::operand::{Mode, Operand};
use crate::types::ty::{self, INT};

impl<'a> Checker<'a> {
    /// Checks `base[index]`: an element of a slice, addressable; Go's `cannot index` for a
    /// value of another type.
    pub(crate) fn index_expr(
        &mut self,
        expr: &'a Expr,
        base: &'a Expr,
        index: &'a Expr,
    ) -> Operand<'a> {
        let x = self.raw(base);
        if matches!(x.mode, Mode::TypeExpr | Mode::Invalid) {
            return self.postfix_of(expr, base, x, "type parameters are not supported");
        }
        let x = self.single_value(x);
        if x.mode == Mode::Invalid {
            self.raw(index);
            return Operand::invalid(expr);
        }
        if ty::is_string(x.ty) {
            // An indexed string yields a byte value, not a constant, even when the string
            // and the index are constant (types2's `indexExpr`).
            let length = self.const_string_len(&x);
            self.index(index, length);
            return Operand::new(Mode::Value, ty::BYTE, expr);
        }
        let Some(elem) = self.state.info.types.slice_elem(x.ty) else {
            let desc = self.operand_string(&x);
            let at = base.span.hi as usize;
            self.error(Span::new(at, at + 1), format!("cannot index {desc}"));
            self.raw(index);
            return Operand::invalid(expr);
        };
        self.index(index, None);
        Operand::new(Mode::Variable, elem, expr)
    }

    /// Checks `base[lo:hi]` or `base[lo:hi:max]` of a slice: a value of the same type. The
    /// constant bounds must not decrease, as Go reports `invalid slice indices`.
    pub(crate) fn slice_expr(&mut self, expr: &'a Expr, slice: &'a SliceExpr) -> Operand<'a> {
        let x = self.expr(&slice.base);
        let bounds = [&slice.lo, &slice.hi, &slice.max];
        if x.mode == Mode::Invalid {
            for bound in bounds.into_iter().flatten() {
                self.raw(bound);
            }
            return Operand::invalid(expr);
        }
        // A constant string's bounds are known: a bound past its length is an error.
        let mut length = None;
        let mut result_ty = x.ty;
        if ty::is_string(x.ty) {
            if let Some(max) = &slice.max {
                self.error(max.span, "invalid operation: 3-index slice of string");
                for bound in bounds.into_iter().flatten() {
                    self.raw(bound);
                }
                return Operand::invalid(expr);
            }
            length = self.const_string_len(&x).map(|len| len + 1);
            // The slice of an untyped string constant is a `string` value.
            result_ty = ty::STRING;
        } else if self.state.info.types.slice_elem(x.ty).is_none() {
            let desc = self.operand_string(&x);
            self.error(x.span, format!("cannot slice {desc}"));
            for bound in bounds.into_iter().flatten() {
                self.raw(bound);
            }
            return Operand::invalid(expr);
        }
        // The constant bounds, with the first one 0 when left out.
        let mut values: [Option<(i64, &'a Expr)>; 3] = [None; 3];
        for (idx, bound) in bounds.into_iter().enumerate() {
            match bound {
                Some(bound) => {
                    if let Some(Some(value)) = self.index(bound, length) {
                        values[idx] = Some((value, bound));
                    }
                }
                None if idx == 0 => values[0] = Some((0, expr)),
                None => {}
            }
        }
        'outer: for (idx, &lower) in values.iter().enumerate() {
            let Some((lower, _)) = lower else {
                continue;
            };
            if lower <= 0 {
                continue;
            }
            for &(upper, upper_expr) in values[idx + 1..].iter().flatten() {
                if upper < lower {
                    self.error(
                        upper_expr.span,
                        format!("invalid slice indices: {upper} < {lower}"),
                    );
                    break 'outer;
                }
            }
        }
        Operand::new(Mode::Value, result_ty, expr)
    }

    /// Returns the length of `x` when it is a constant string.
    fn const_string_len(&self, x: &Operand<'a>) -> Option<i64> {
        if x.mode != Mode::Constant {
            return None;
        }
        match x.val.as_ref() {
            Some(ConstValue::Str(text)) => Some(text.len() as i64),
            _ => None,
        }
    }

    /// Checks one index (or slice bound, or `make` size) of type `int`: `None` when it is
    /// invalid (reported), else its value when it is constant. A constant must not be
    /// negative, nor `max` or more when a bound is known.
    pub(crate) fn index(&mut self, index: &'a Expr, max: Option<i64>) -> Option<Option<i64>> {
        let mut x = self.expr(index);
        if x.mode == Mode::Invalid {
            return None;
        }
        self.convert_untyped(&mut x, INT);
        if x.mode == Mode::Invalid {
            return None;
        }
        if !ty::is_integer(x.ty) {
            let desc = self.operand_string(&x);
            self.error(
                x.span,
                format!("invalid argument: index {desc} must be integer"),
            );
            return None;
        }
        if x.mode != Mode::Constant {
            return Some(None);
        }
        let val = x.val.clone().expect("a constant has a value");
        if val.as_int().is_negative() {
            let desc = self.operand_string(&x);
            self.error(
                x.span,
                format!("invalid argument: index {desc} must not be negative"),
            );
            return None;
        }
        let Some(value) = val.to_i64() else {
            let desc = self.operand_string(&x);
            self.error(
                x.span,
                format!("invalid argument: index {desc} overflows int"),
            );
            return None;
        };
        if let Some(max) = max
            && value >= max
        {
            self.error(
                x.span,
                format!("invalid argument: index {value} out of bounds [0:{max}]"),
            );
            return None;
        }
        Some(Some(value))
    }
}
