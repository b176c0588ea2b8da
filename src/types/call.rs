//! Calls, conversions and selectors, as types2's `call.go` and `conversion.go`: the
//! arguments checked against the parameters (a single call may provide several), the
//! conversion of one value to a type, and `fmt.Println`, the one selector Toy has.

use std::sync::Arc;

use crate::diag::Span;
use crate::syntax::ast::{Expr, ExprKind, Symbol, unparen};
use crate::syntax::unicode::is_valid_name;
use crate::types::check::Checker;
use crate::types::constant::{ConstStr, ConstValue};
use crate::types::object::Builtin;
use crate::types::operand::{Mode, Operand};
use crate::types::sys::Intrinsic;
use crate::types::ty::{self, FuncType, INVALID, STRING, Type, TypeId};

impl<'a> Checker<'a> {
    pub(crate) fn call(
        &mut self,
        expr: &'a Expr,
        callee: &'a Expr,
        args: &'a [Expr],
        dots: Option<Span>,
    ) -> Operand<'a> {
        let f = self.raw(callee);
        match f.mode {
            Mode::Invalid => {
                for arg in args {
                    self.raw(arg);
                }
                Operand::invalid(expr)
            }
            Mode::Builtin(builtin) => self.builtin(expr, builtin, args, dots),
            Mode::TypeExpr if dots.is_some() => {
                let type_name = self.state.info.types.display(f.ty);
                for arg in args {
                    self.raw(arg);
                }
                self.error(
                    expr.span,
                    format!("invalid use of ... in conversion to {type_name}"),
                );
                Operand::invalid(expr)
            }
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
                self.arguments(expr, &callee_text, &func, args, dots.is_some());
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

    /// Checks call arguments against parameter types, as Go's `arguments`: a variadic
    /// function takes any number of values for its last parameter, or (`dots`) one slice.
    pub(crate) fn arguments(
        &mut self,
        call: &'a Expr,
        callee: &str,
        func: &FuncType,
        args: &'a [Expr],
        dots: bool,
    ) {
        let operands = self.operand_list(args);
        if operands.iter().any(|x| x.mode == Mode::Invalid) {
            return;
        }
        if dots && !func.variadic {
            self.error(
                call.span,
                format!("cannot use ... in call to non-variadic {callee}"),
            );
            return;
        }
        if dots && args.len() == 1 && operands.len() > 1 {
            let text = self.expr_text(&args[0]);
            self.error(
                call.span,
                format!("cannot use ... with {}-valued {text}", operands.len()),
            );
            return;
        }
        let mut params: Vec<TypeId> = func.params.clone();
        let mut n_params = params.len();
        if func.variadic && !dots {
            if operands.len() + 1 >= params.len() {
                let last = params.pop().expect("a variadic function has a parameter");
                let elem = self.state.info.types.slice_elem(last).unwrap_or(INVALID);
                params.resize(operands.len(), elem);
                n_params = operands.len();
            } else {
                n_params -= 1;
            }
        }
        if operands.len() != n_params {
            let (at, qualifier) = if operands.len() < n_params {
                // Go points at the last argument, or at the call when there is none.
                (operands.last().map_or(call.span, |x| x.span), "not enough")
            } else {
                (operands[n_params].span, "too many")
            };
            let have: Vec<TypeId> = operands.iter().map(|x| x.ty).collect();
            let message = format!(
                "{qualifier} arguments in call to {callee}\n\thave {}\n\twant {}",
                self.types_summary_with(&have, false, dots),
                self.types_summary_with(&func.params, func.variadic, false)
            );
            self.error(at, message);
            return;
        }
        let context = format!("argument to {callee}");
        for (mut x, &param) in operands.into_iter().zip(&params) {
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
        let integer_to_integer = ty::is_integer(x.ty) && ty::is_integer(target);
        // `string(i)` of an integer is the UTF-8 encoding of the code point `i`.
        let integer_to_string = ty::is_integer(x.ty) && target == STRING;
        // `[]byte(s)` and `string(bs)` copy the bytes.
        let is_bytes = |id: TypeId| {
            self.state
                .info
                .types
                .slice_elem(id)
                .is_some_and(ty::is_byte)
        };
        let string_bytes =
            (ty::is_string(x.ty) && is_bytes(target)) || (target == STRING && is_bytes(x.ty));
        let same_kind = integer_to_integer
            || integer_to_string
            || string_bytes
            || self
                .state
                .info
                .types
                .identical(ty::default_type(x.ty), target)
            || (x.mode == Mode::Nil && self.state.info.types.nil_able(target));
        if !same_kind {
            let desc = self.operand_string(&x);
            self.error(x.span, format!("cannot convert {desc} to type {type_name}"));
            return Operand::invalid(expr);
        }
        if x.mode == Mode::Constant && !string_bytes {
            if integer_to_string {
                let code_point = x.int().to_i64().and_then(|value| u32::try_from(value).ok());
                let ch = code_point
                    .and_then(char::from_u32)
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                let bytes: Arc<[u8]> = ch.encode_utf8(&mut [0; 4]).as_bytes().into();
                return Operand::constant(STRING, ConstValue::Str(ConstStr::new(bytes)), expr);
            }
            if integer_to_integer && !ty::fits(target, x.int()) {
                let value = x.val.as_ref().expect("a constant has a value");
                self.error(x.span, format!("constant {value} overflows {type_name}"));
                return Operand::invalid(expr);
            }
            if integer_to_integer {
                let val = x.val.clone().expect("constant");
                return Operand::constant(target, val, expr);
            }
            self.convert_untyped(&mut x, target);
            if x.mode == Mode::Invalid {
                return Operand::invalid(expr);
            }
            let val = x.val.clone().expect("constant");
            return Operand::constant(target, val, expr);
        }
        // An untyped shift (`int(1 << n)`) takes the target type, its constant operand too;
        // converted to a string, it is first an `int`, the type it would have alone.
        if ty::is_untyped(x.ty)
            && let Some(arg) = x.expr
        {
            let arg_ty = if integer_to_string || string_bytes {
                ty::default_type(x.ty)
            } else {
                target
            };
            self.update_untyped(arg, arg_ty);
        }
        Operand::new(Mode::Value, target, expr)
    }

    /// Checks call arguments, spreading a single call with several results into one operand
    /// per result, as Go passes `f(g())`.
    pub(crate) fn operand_list(&mut self, args: &'a [Expr]) -> Vec<Operand<'a>> {
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

    pub(crate) fn selector(
        &mut self,
        expr: &'a Expr,
        base: &'a Expr,
        field: Symbol,
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
        if x.mode == Mode::Package
            && let Some(sys) = self.state.sys
            && self.nodes.obj_of(unparen(base).id) == Some(sys)
        {
            let Some(intrinsic) = Intrinsic::from_name(field_name) else {
                self.error(field_span, format!("undefined: sys.{field_name}"));
                return Operand::invalid(expr);
            };
            return Operand::new(Mode::Builtin(Builtin::Sys(intrinsic)), INVALID, expr);
        }
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
                "Printf" => Builtin::FmtPrintf,
                "Sprintf" => Builtin::FmtSprintf,
                "Sprint" | "Sprintln" | "Errorf" | "Fprintln" | "Fprint" | "Fprintf" => {
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
}
