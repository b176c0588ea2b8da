//! Calls of `fmt.Printf` and `fmt.Sprintf`: a format string and any number of operands.
//!
//! In Go they are functions of `(format string, a ...any)`; Toy has no `any`, so they are
//! checked as built-ins with Go's messages for that signature (`not enough arguments in
//! call to fmt.Printf` with `want (string, ...any)`, `cannot use s (variable of type []int)
//! as []any value`). An operand takes its default type, as an assignment to `any` gives
//! it, and may be any value `fmt.Println` prints.
//!
//! A constant format is read here: Go's verbs and flags that Toy leaves out (`%b`, `%+d`,
//! precision, `*`, argument indexes) are reported as not supported, at the format. What
//! stays is what LANGUAGE.md lists: `%d %v %s %t %x %X %c %q %%`, widths, and the `-`
//! and `0` flags. A letter that is no verb of Go's is allowed: Go prints it as a bad verb
//! (`%!z(int=1)`), as it prints a missing or an extra operand, and so does toyc. A format
//! that is not constant is formatted as Go formats it, whatever it holds.

use crate::diag::Span;
use crate::syntax::ast::Expr;
use crate::types::check::Checker;
use crate::types::constant::ConstValue;
use crate::types::object::Builtin;
use crate::types::operand::{Mode, Operand};
use crate::types::ty::{self, INVALID, STRING};

/// The verbs of Go's `fmt` that apply to some value of Toy's types and that Toy leaves out.
const GO_VERBS_OUTSIDE_TOY: &[u8] = b"boOUpTeEfFgGw";

impl<'a> Checker<'a> {
    /// Checks `fmt.Printf(args)` or `fmt.Sprintf(args)`; `dots` is the span of a final
    /// `...`, if any.
    pub(crate) fn fmt_printf(
        &mut self,
        expr: &'a Expr,
        builtin: Builtin,
        args: &'a [Expr],
        dots: Option<Span>,
    ) -> Operand<'a> {
        self.state.info.formats = true;
        let name = builtin.name();
        let mut operands = self.operand_list(args);
        let result = if builtin == Builtin::FmtSprintf {
            Operand::new(Mode::Value, STRING, expr)
        } else {
            Operand::new(Mode::NoValue, INVALID, expr)
        };
        if operands.iter().any(|x| x.mode == Mode::Invalid) {
            return result;
        }
        if dots.is_some() {
            self.fmt_spread(&operands, builtin);
            return result;
        }
        if operands.is_empty() {
            self.error(
                expr.span,
                format!(
                    "not enough arguments in call to {name}\n\thave ()\n\twant (string, ...any)"
                ),
            );
            return result;
        }
        let context = format!("argument to {name}");
        let mut format = operands.remove(0);
        self.assignment(&mut format, STRING, &context);
        if format.mode == Mode::Constant
            && let Some(ConstValue::Str(text)) = &format.val
        {
            let text = text.bytes().clone();
            self.check_format(&text, format.span);
        }
        self.fmt_operands(operands, name);
        result
    }

    /// Checks the operands of a `fmt` call that prints values: each takes its default type;
    /// `nil` and function values, which Go prints as addresses, are not supported.
    pub(crate) fn fmt_operands(&mut self, operands: Vec<Operand<'a>>, name: &str) {
        let context = format!("argument to {name}");
        for mut x in operands {
            if x.mode == Mode::Nil {
                self.error(x.span, format!("printing nil with {name} is not supported"));
                continue;
            }
            let target = ty::default_type(x.ty);
            self.assignment(&mut x, target, &context);
            if x.mode != Mode::Invalid && self.holds_func(x.ty) {
                self.error(
                    x.span,
                    format!("printing function values with {name} is not supported"),
                );
            }
        }
    }

    /// Reports Go's error for `f(s...)` of a `fmt` function, whose final parameter is
    /// `...any`: no Toy slice is a `[]any`. With no operand before the spread one,
    /// `Printf` and `Sprintf` lack their format.
    pub(crate) fn fmt_spread(&mut self, operands: &[Operand<'a>], builtin: Builtin) {
        let Some(last) = operands.last() else {
            return;
        };
        let name = builtin.name();
        let takes_format = matches!(builtin, Builtin::FmtPrintf | Builtin::FmtSprintf);
        if takes_format && operands.len() == 1 {
            let ty = self.state.info.types.display(last.ty);
            self.error(
                last.span,
                format!(
                    "not enough arguments in call to {name}\n\thave ({ty}...)\n\twant (string, ...any)"
                ),
            );
            return;
        }
        let desc = self.operand_string(last);
        self.error(
            last.span,
            format!("cannot use {desc} as []any value in argument to {name}"),
        );
    }

    /// Reports what the constant format `text`, at `span`, asks of `fmt` that Toy leaves
    /// out. It reads the format as `fmt`'s `doPrintf` does: `%`, flags, a width, a
    /// precision, argument indexes, then one verb.
    fn check_format(&mut self, text: &[u8], span: Span) {
        let mut at = 0;
        while at < text.len() {
            if text[at] != b'%' {
                at += 1;
                continue;
            }
            at += 1;
            while let Some(&flag) = text.get(at) {
                match flag {
                    b'-' | b'0' => {}
                    b'+' | b'#' | b' ' => {
                        let flag = flag as char;
                        return self.unsupported(
                            span,
                            &format!("the flag {flag:?} in fmt formats is not supported"),
                        );
                    }
                    _ => break,
                }
                at += 1;
            }
            while text.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            let Some(&verb) = text.get(at) else {
                return;
            };
            let what = match verb {
                b'.' => "a precision in fmt formats",
                b'*' => "a width from an operand (*) in fmt formats",
                b'[' => "an explicit argument index in fmt formats",
                _ if GO_VERBS_OUTSIDE_TOY.contains(&verb) => {
                    let verb = verb as char;
                    return self.unsupported(
                        span,
                        &format!("the verb %{verb} in fmt formats is not supported"),
                    );
                }
                _ => {
                    // A verb is a whole UTF-8 sequence; the bytes after its first are no `%`.
                    at += 1;
                    continue;
                }
            };
            return self.unsupported(span, &format!("{what} is not supported"));
        }
    }
}
