//! Unary and binary operators, as types2's `expr.go`: operand types, shifts, comparisons (and
//! a switch case compared with its tag as `==` compares), and constant folding with Go's
//! overflow errors.
//!
//! Constant arithmetic is exact (`constant::Int`); a typed result must fit its type, an
//! untyped one gc's 512-bit bound.

use crate::diag::Span;
use crate::syntax::ast::{BinOp, Expr, ExprKind, UnOp};
use crate::types::check::Checker;
use crate::types::constant::{ConstValue, Int};
use crate::types::operand::{Mode, Operand};
use crate::types::ty::{self, INT, Type, TypeId, UNTYPED_BOOL};

impl<'a> Checker<'a> {
    pub(crate) fn unary(&mut self, expr: &'a Expr, op: UnOp, operand: &'a Expr) -> Operand<'a> {
        let mut x = self.expr(operand);
        if x.mode == Mode::Invalid {
            return Operand::invalid(expr);
        }
        let ok = match op {
            UnOp::Plus | UnOp::Neg | UnOp::BitNot => ty::is_integer(x.ty),
            UnOp::Not => ty::is_boolean(x.ty),
            UnOp::Deref | UnOp::Addr | UnOp::Recv => {
                unreachable!("`raw` rejects pointer and channel operators")
            }
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
                    // A typed complement flips the type's bits: all 64 of an `int`, the
                    // low 8 of a `byte` (`^byte(1)` is 254, as Go's unsigned complement).
                    if x.ty == INT {
                        ConstValue::Int(Int::from(!value.to_i64().unwrap_or(0)))
                    } else if ty::is_byte(x.ty) {
                        ConstValue::Int(value ^ Int::from(i64::from(u8::MAX)))
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
            let types = &self.state.info.types;
            let x_nil_only = types.only_nil_comparable(x.ty);
            let y_nil_only = types.only_nil_comparable(y.ty);
            if x.mode == Mode::Nil && y.mode == Mode::Nil {
                err_op = &y;
                failed = true;
            } else if x.mode != Mode::Nil && y.mode != Mode::Nil && (x_nil_only || y_nil_only) {
                err_op = if x_nil_only { &x } else { &y };
                cause = format!("{} can only be compared to nil", self.kind_name(err_op.ty));
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
                let what = self.kind_name(err_op.ty);
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
        } else if self.state.info.types.only_nil_comparable(x.ty) && x.mode != Mode::Nil {
            Some(format!(
                "{} can only be compared to nil",
                self.kind_name(x.ty)
            ))
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

    /// Returns how Go names the kind of `ty` in an operator's error: `func` and `slice` for
    /// those kinds, the type itself otherwise.
    fn kind_name(&self, ty: TypeId) -> String {
        match self.state.info.types.get(ty) {
            Type::Func(_) => "func".to_string(),
            Type::Slice(_) => "slice".to_string(),
            Type::Invalid
            | Type::Bool
            | Type::Int
            | Type::Uint8(_)
            | Type::String
            | Type::UntypedBool
            | Type::UntypedInt
            | Type::UntypedRune
            | Type::UntypedString
            | Type::UntypedNil
            | Type::Ptr
            | Type::Tuple(_) => self.state.info.types.display(ty),
        }
    }

    /// Converts each untyped operand to the other's type where Go's `matchTypes` would.
    pub(crate) fn match_types(&mut self, x: &mut Operand<'a>, y: &mut Operand<'a>) {
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
                return types.only_nil_comparable(y.ty);
            }
            if y.mode == Mode::Nil {
                return types.only_nil_comparable(x.ty);
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
}

/// Returns whether `a / b` is `math.MinInt64 / -1`.
fn is_min_by_minus_one(a: &Int, b: &Int) -> bool {
    a.to_i64() == Some(i64::MIN) && b.to_i64() == Some(-1)
}

/// Returns whether values of `ty` can be ordered with `<`.
fn is_ordered(ty: TypeId) -> bool {
    ty::is_integer(ty) || ty::is_string(ty)
}
