//! `fmt.Printf` and `fmt.Sprintf` in the random programs (the `printf` feature): format
//! strings of the verbs `%d %v %s %t %x %X %c %q %%`, with widths and the `-` and `0` flags,
//! over operands of every Level 2 type the features allow.
//!
//! Most verbs fit their operand; now and then one does not, an operand is missing or one is
//! left over, so that Go's `%!d(string=hi)`, `%!d(MISSING)` and `%!(EXTRA int=3)` are
//! tested too. A format kept in a variable is no constant, so Toy allows it all of Go's
//! flags (`+`, `#`, space) and a precision, which the runtime formats as Go does. Every operand has its type written out (a byte constant is `byte('a')`,
//! never a bare rune literal), and no function is ever an operand, since Go prints its
//! address.

use super::{Gen, Ty};

/// The verbs, and those that fit each operand type.
const VERBS: [&str; 8] = ["d", "v", "s", "t", "x", "X", "c", "q"];

/// Returns the verbs that fit an operand of type `ty`.
fn fitting(ty: Ty) -> &'static [&'static str] {
    match ty {
        Ty::Int | Ty::Byte => &["d", "v", "x", "X", "c", "q"],
        Ty::Str => &["s", "v", "q", "x", "X"],
        Ty::Bool => &["t", "v"],
        Ty::Ints | Ty::Grid => &["v", "d", "x", "X"],
        Ty::Bytes => &["v", "d", "s", "q", "x", "X"],
        Ty::Strs => &["v", "s", "q", "x"],
        Ty::Fn | Ty::Fns => unreachable!("a function is never an operand of Printf"),
    }
}

impl Gen {
    /// Returns an operand for a format, and its type.
    fn format_operand(&mut self) -> (String, Ty) {
        match self.pick(8) {
            0 | 1 => (self.int_var_expr(), Ty::Int),
            2 => (self.str_expr(1), Ty::Str),
            3 => (self.bool_expr(1), Ty::Bool),
            4 if self.features.bytes => (self.typed_byte_expr(), Ty::Byte),
            5..=7 if self.features.slices => {
                let mut types = self.slice_types();
                types.retain(|&ty| ty != Ty::Fns);
                let ty = types[self.pick(types.len())];
                (self.slice_expr(ty, 1), ty)
            }
            _ => (self.int_var_expr(), Ty::Int),
        }
    }

    /// Returns the text of a format string's Go literal and its operands; `all_flags` for a
    /// format that is no constant, which may use every flag of Go's and a precision.
    fn format(&mut self, all_flags: bool) -> (String, Vec<String>) {
        let mut text = String::new();
        let mut operands = Vec::new();
        for _ in 0..1 + self.pick(4) {
            text.push_str(["", " ", "x=", "|", "[", ", "][self.pick(6)]);
            if self.chance(8) {
                text.push_str("%%");
                continue;
            }
            let (operand, ty) = self.format_operand();
            let verb = if self.chance(10) {
                VERBS[self.pick(VERBS.len())]
            } else {
                let verbs = fitting(ty);
                verbs[self.pick(verbs.len())]
            };
            let mut flags = ["", "", "", "-", "0", "-0"][self.pick(6)].to_string();
            let mut precision = String::new();
            if all_flags {
                if self.chance(50) {
                    flags.push(['+', '#', ' '][self.pick(3)]);
                }
                if self.chance(30) {
                    precision = format!(".{}", self.pick(6));
                }
            }
            let width = if self.chance(40) {
                (1 + self.pick(12)).to_string()
            } else {
                String::new()
            };
            text.push_str(&format!("%{flags}{width}{precision}{verb}"));
            operands.push(operand);
        }
        if !operands.is_empty() && self.chance(5) {
            operands.pop();
        } else if self.chance(5) {
            operands.push(self.format_operand().0);
        }
        (text, operands)
    }

    /// Returns a `fmt.Sprintf` call.
    pub(super) fn sprintf(&mut self) -> String {
        let (text, operands) = self.format(false);
        let mut args = vec![format!("\"{text}\"")];
        args.extend(operands);
        format!("fmt.Sprintf({})", args.join(", "))
    }

    /// Emits a `fmt.Printf` call, its format now and then in a variable, or a `Sprintf`
    /// whose result is kept, printed and counted.
    pub(super) fn printf_stmt(&mut self) {
        if self.chance(30) {
            let name = self.fresh("sf");
            let call = self.sprintf();
            self.line(&format!("{name} := {call}"));
            self.line(&format!("fmt.Println({name})"));
            self.declare(&name, Ty::Str, false);
            self.use_var(&name, Ty::Str);
            return;
        }
        let in_var = self.chance(20);
        let (text, operands) = self.format(in_var);
        let format = if in_var {
            let name = self.fresh("fm");
            self.line(&format!("{name} := \"{text}\\n\""));
            name
        } else {
            format!("\"{text}\\n\"")
        };
        let mut args = vec![format];
        args.extend(operands);
        self.line(&format!("fmt.Printf({})", args.join(", ")));
    }
}
