//! Calls of built-in functions, as types2's `builtins.go`: `len`, `min`, `max`, `panic`,
//! `print`, `println`, and `fmt.Print` and `fmt.Println`, which Toy treats as built-ins.

use crate::syntax::ast::Expr;
use crate::types::check::Checker;
use crate::types::constant::ConstValue;
use crate::types::object::Builtin;
use crate::types::operand::{Mode, Operand};
use crate::types::ty::{self, INT, INVALID};

impl<'a> Checker<'a> {
    pub(crate) fn builtin(
        &mut self,
        expr: &'a Expr,
        builtin: Builtin,
        args: &'a [Expr],
    ) -> Operand<'a> {
        if let Builtin::Sys(intrinsic) = builtin {
            return self.intrinsic(expr, intrinsic, args);
        }
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
            Builtin::Sys(_) => unreachable!("intrinsics are checked as calls of their signature"),
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
            Builtin::Sys(_) => unreachable!("intrinsics are checked as calls of their signature"),
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
