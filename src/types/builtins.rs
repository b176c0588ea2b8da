//! Calls of built-in functions, as types2's `builtins.go`: `len`, `cap`, `make`, `append`,
//! `copy`, `min`, `max`, `panic`, `print`, `println`, and `fmt.Print` and `fmt.Println`,
//! which Toy treats as built-ins.

use crate::diag::Span;
use crate::syntax::ast::Expr;
use crate::types::check::Checker;
use crate::types::constant::ConstValue;
use crate::types::object::Builtin;
use crate::types::operand::{Mode, Operand};
use crate::types::ty::{self, INT, INVALID, Type, TypeId};

impl<'a> Checker<'a> {
    pub(crate) fn builtin(
        &mut self,
        expr: &'a Expr,
        builtin: Builtin,
        args: &'a [Expr],
        dots: Option<Span>,
    ) -> Operand<'a> {
        if let Builtin::Sys(intrinsic) = builtin {
            return self.intrinsic(expr, intrinsic, args);
        }
        if let Builtin::FmtPrintf | Builtin::FmtSprintf = builtin {
            return self.fmt_printf(expr, builtin, args, dots);
        }
        let name = builtin.name();
        if dots.is_some() && matches!(builtin, Builtin::FmtPrint | Builtin::FmtPrintln) {
            let operands = self.operand_list(args);
            if operands.iter().all(|x| x.mode != Mode::Invalid) {
                self.fmt_spread(&operands, builtin);
            }
            return Operand::new(Mode::NoValue, INVALID, expr);
        }
        if dots.is_some() && builtin != Builtin::Append {
            self.error(
                expr.span,
                format!("invalid operation: invalid use of ... with built-in {name}"),
            );
            for arg in args {
                self.raw(arg);
            }
            return Operand::invalid(expr);
        }
        if builtin == Builtin::Make {
            return self.make(expr, args);
        }
        let mut operands = self.operand_list(args);
        let no_value = Operand::new(Mode::NoValue, INVALID, expr);
        if operands.iter().any(|x| x.mode == Mode::Invalid) {
            return match builtin {
                Builtin::Len
                | Builtin::Cap
                | Builtin::Make
                | Builtin::Append
                | Builtin::Copy
                | Builtin::Min
                | Builtin::Max
                | Builtin::Sys(_) => Operand::invalid(expr),
                Builtin::FmtPrintf | Builtin::FmtSprintf => {
                    unreachable!("fmt.Printf and fmt.Sprintf are checked by fmt_printf")
                }
                Builtin::Panic
                | Builtin::Print
                | Builtin::Println
                | Builtin::FmtPrint
                | Builtin::FmtPrintln => no_value,
            };
        }
        let (min_args, max_args) = match builtin {
            Builtin::Len | Builtin::Cap | Builtin::Panic => (1, Some(1)),
            Builtin::Copy => (2, Some(2)),
            Builtin::Make => (2, Some(3)),
            Builtin::Min | Builtin::Max | Builtin::Append => (1, None),
            Builtin::Print | Builtin::Println | Builtin::FmtPrint | Builtin::FmtPrintln => {
                (0, None)
            }
            Builtin::Sys(_) => unreachable!("intrinsics are checked as calls of their signature"),
            Builtin::FmtPrintf | Builtin::FmtSprintf => {
                unreachable!("fmt.Printf and fmt.Sprintf are checked by fmt_printf")
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
                // fmt.Println returns (n int, err error) in Go; Toy has no error type, so
                // its results cannot be used.
                if matches!(builtin, Builtin::FmtPrint | Builtin::FmtPrintln) {
                    self.fmt_operands(operands, name);
                    return no_value;
                }
                let context = format!("argument to built-in {name}");
                for mut x in operands {
                    if x.mode == Mode::Nil {
                        self.error(x.span, format!("use of untyped nil in {context}"));
                        continue;
                    }
                    let target = ty::default_type(x.ty);
                    self.assignment(&mut x, target, &context);
                }
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
                } else if x.mode != Mode::Invalid
                    && self.state.info.types.slice_elem(x.ty).is_some()
                {
                    self.error(x.span, "panic with a slice value is not supported");
                }
                self.state.panic_calls.insert(expr.id);
                no_value
            }
            Builtin::Len | Builtin::Cap => {
                let mut x = operands.remove(0);
                let is_slice = self.state.info.types.slice_elem(x.ty).is_some();
                if !is_slice && (builtin == Builtin::Cap || !ty::is_string(x.ty)) {
                    let desc = self.operand_string(&x);
                    self.error(
                        x.span,
                        format!("invalid argument: {desc} for built-in {name}"),
                    );
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
            Builtin::Append => self.append(expr, operands, dots),
            Builtin::Copy => {
                let (x, y) = (&operands[0], &operands[1]);
                let Some(dst_elem) = self.slice_arg(x, "copy") else {
                    return Operand::invalid(expr);
                };
                // A string source is Level 2's `[]byte` case: Go goes on with `byte` as its
                // element type, for the message.
                let src_elem = if ty::is_string(y.ty) {
                    None
                } else {
                    match self.slice_arg(y, "copy") {
                        Some(elem) => Some(elem),
                        None => return Operand::invalid(expr),
                    }
                };
                let matches = match src_elem {
                    Some(src) => self.state.info.types.identical(dst_elem, src),
                    None => ty::is_byte(dst_elem),
                };
                if !matches {
                    let (dst_desc, src_desc) = (self.operand_string(x), self.operand_string(y));
                    let dst_name = self.state.info.types.display(dst_elem);
                    let src_name =
                        src_elem.map_or("byte".to_string(), |id| self.state.info.types.display(id));
                    self.error(
                        x.span,
                        format!(
                            "invalid copy: arguments {dst_desc} and {src_desc} have different element types {dst_name} and {src_name}"
                        ),
                    );
                    return Operand::invalid(expr);
                }
                Operand::new(Mode::Value, INT, expr)
            }
            Builtin::Make => unreachable!("make is checked before its arguments"),
            Builtin::Sys(_) => unreachable!("intrinsics are checked as calls of their signature"),
            Builtin::FmtPrintf | Builtin::FmtSprintf => {
                unreachable!("fmt.Printf and fmt.Sprintf are checked by fmt_printf")
            }
        }
    }

    /// Returns whether a value of type `ty` holds a function value, which `fmt` would print
    /// as an address.
    pub(crate) fn holds_func(&self, ty: TypeId) -> bool {
        match self.state.info.types.get(ty) {
            Type::Func(_) => true,
            &Type::Slice(elem) => self.holds_func(elem),
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
            | Type::Tuple(_) => false,
        }
    }

    /// Returns the element type of `x`, the slice argument of `append` or `copy`, or
    /// reports Go's `invalid append: argument must be a slice`.
    fn slice_arg(&mut self, x: &Operand<'a>, builtin: &str) -> Option<TypeId> {
        if let Some(elem) = self.state.info.types.slice_elem(x.ty) {
            return Some(elem);
        }
        let have = if x.mode == Mode::Nil {
            "untyped nil".to_string()
        } else {
            self.operand_string(x)
        };
        self.error(
            x.span,
            format!("invalid {builtin}: argument must be a slice; have {have}"),
        );
        None
    }

    /// Checks `append(s, x…)` or `append(s, t...)`: the values are passed to a parameter
    /// `...E`, `E` the element type of `s`, and the result has the type of `s`.
    fn append(
        &mut self,
        expr: &'a Expr,
        mut operands: Vec<Operand<'a>>,
        dots: Option<Span>,
    ) -> Operand<'a> {
        let slice_ty = operands[0].ty;
        let Some(elem) = self.slice_arg(&operands[0], "append") else {
            return Operand::invalid(expr);
        };
        if dots.is_some() {
            if operands.len() != 2 {
                let have: Vec<TypeId> = operands.iter().map(|x| x.ty).collect();
                let last = operands.last().map_or(expr.span, |x| x.span);
                let (at, qualifier) = if operands.len() < 2 {
                    (last, "not enough")
                } else {
                    (operands[2].span, "too many")
                };
                // Go marks the argument written with `...`.
                let mut have = self.types_summary(&have);
                have.insert_str(have.len() - 1, "...");
                let slice_name = self.state.info.types.display(slice_ty);
                let elem_name = self.state.info.types.display(elem);
                self.error(
                    at,
                    format!(
                        "{qualifier} arguments in call to append\n\thave {have}\n\twant ({slice_name}, ...{elem_name})"
                    ),
                );
                return Operand::invalid(expr);
            }
            if ty::is_byte(elem) && ty::is_string(operands[1].ty) {
                // `append(bs, s...)` appends the bytes of a string.
                self.assignment(&mut operands[1], ty::STRING, "argument to append");
            } else {
                self.assignment(&mut operands[1], slice_ty, "argument to append");
            }
        } else {
            for x in &mut operands[1..] {
                self.assignment(x, elem, "argument to append");
            }
        }
        Operand::new(Mode::Value, slice_ty, expr)
    }

    /// Checks `make([]T, n)` or `make([]T, n, c)`, whose first argument is a type.
    fn make(&mut self, expr: &'a Expr, args: &'a [Expr]) -> Operand<'a> {
        let Some(type_arg) = args.first() else {
            let call_text = self.expr_text(expr);
            self.error(
                expr.span,
                format!(
                    "invalid operation: not enough arguments for {call_text} (expected 1, found 0)"
                ),
            );
            return Operand::invalid(expr);
        };
        let t = self.raw(type_arg);
        let ty = match t.mode {
            Mode::Invalid => return Operand::invalid(expr),
            Mode::TypeExpr if t.ty == INVALID => return Operand::invalid(expr),
            Mode::TypeExpr => t.ty,
            _ => {
                self.not_a_type(type_arg, &t);
                return Operand::invalid(expr);
            }
        };
        if self.state.info.types.slice_elem(ty).is_none() {
            let text = self.expr_text(type_arg);
            self.error(
                type_arg.span,
                format!(
                    "invalid argument: cannot make {text}: type must be slice, map, or channel"
                ),
            );
            return Operand::invalid(expr);
        }
        if !(2..=3).contains(&args.len()) {
            let call_text = self.expr_text(expr);
            let found = args.len();
            self.error(
                expr.span,
                format!("invalid operation: {call_text} expects 2 or 3 arguments; found {found}"),
            );
            return Operand::invalid(expr);
        }
        let mut sizes = Vec::with_capacity(2);
        for arg in &args[1..] {
            if let Some(Some(size)) = self.index(arg, None) {
                sizes.push(size);
            }
        }
        if let [len, cap] = sizes[..]
            && len > cap
        {
            self.error(
                args[1].span,
                "invalid argument: length and capacity swapped",
            );
        }
        Operand::new(Mode::Value, ty, expr)
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
