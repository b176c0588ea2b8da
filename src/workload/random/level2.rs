//! The Level 2 part of the random programs: bytes, slices and variadic functions, mixed into
//! the Level 1 statements and expressions of `random` wherever a Level 2 feature is on.
//!
//! What keeps the programs valid, deterministic and fast, beyond what `random` guarantees:
//! - every slice variable, parameter and named result escapes (it is stored in a
//!   package-level `sinkX` right after it is declared), so gc keeps its array on the heap
//!   and `append` grows it by Go's `growslice`: its capacity, and whether an `append` shares
//!   its array, are then Go's heap rule, which LANGUAGE.md fixes, never the 32-byte frame
//!   buffer gc may give a slice that does not escape. `cap` is taken only of variables;
//!   a temporary `append` or `[]byte(s)` is only read, never kept or measured;
//! - an index is `(e & 0xffff) % len(s)` under `if len(s) > 0`, a slice bound is
//!   `min(k, len(s))` or `min(k, cap(s))` with literal `k`, increasing from the low bound to
//!   the max, so no bound panics unless `--panics` asks for one (a constant index, then);
//! - an `append` that keeps its result in a variable is guarded by the lengths involved, and
//!   an `append` inside an expression starts from `s[:min(k, len(s))]`, so slices stay short;
//!   a `range` inside another loop goes over at most a few elements;
//! - a byte constant is a literal that fits a byte, and as with ints no operator gets two
//!   constant operands, so nothing overflows at compile time; a rune literal is typed by
//!   its other operand or its context, never kept in a variable of its own (it would be a
//!   `rune`); nothing prints a function or takes `range` over a string.

use super::{Gen, Kind, Ty};

impl Ty {
    /// Reports whether the type is a slice.
    pub(super) fn is_slice(self) -> bool {
        match self {
            Ty::Ints | Ty::Bytes | Ty::Strs | Ty::Grid | Ty::Fns => true,
            Ty::Int | Ty::Str | Ty::Bool | Ty::Fn | Ty::Byte => false,
        }
    }

    /// Returns the Go spelling of the type.
    fn go(self) -> &'static str {
        match self {
            Ty::Int => "int",
            Ty::Str => "string",
            Ty::Bool => "bool",
            Ty::Fn => "func(int) int",
            Ty::Byte => "byte",
            Ty::Ints => "[]int",
            Ty::Bytes => "[]byte",
            Ty::Strs => "[]string",
            Ty::Grid => "[][]int",
            Ty::Fns => "[]func(int) int",
        }
    }

    /// Returns the package-level variable a slice of this type escapes into.
    pub(super) fn sink(self) -> &'static str {
        match self {
            Ty::Ints => "sinkI",
            Ty::Bytes => "sinkB",
            Ty::Strs => "sinkS",
            Ty::Grid => "sinkG",
            Ty::Fns => "sinkF",
            Ty::Int | Ty::Str | Ty::Bool | Ty::Fn | Ty::Byte => {
                unreachable!("only a slice escapes into a sink")
            }
        }
    }

    /// Returns the element type of a slice type.
    fn elem(self) -> Ty {
        match self {
            Ty::Ints => Ty::Int,
            Ty::Bytes => Ty::Byte,
            Ty::Strs => Ty::Str,
            Ty::Grid => Ty::Ints,
            Ty::Fns => Ty::Fn,
            Ty::Int | Ty::Str | Ty::Bool | Ty::Fn | Ty::Byte => {
                unreachable!("only a slice has elements")
            }
        }
    }
}

/// The slice types, in the order `slice_types` offers them.
const SLICES: [Ty; 5] = [Ty::Ints, Ty::Bytes, Ty::Strs, Ty::Grid, Ty::Fns];

impl Gen {
    fn bytes_on(&self) -> bool {
        self.features.bytes
    }

    fn slices_on(&self) -> bool {
        self.features.slices
    }

    fn variadic_on(&self) -> bool {
        self.features.variadic && self.features.slices
    }

    /// Returns the slice types the enabled features allow.
    pub(super) fn slice_types(&self) -> Vec<Ty> {
        if !self.slices_on() {
            return Vec::new();
        }
        SLICES
            .into_iter()
            .filter(|&ty| ty != Ty::Bytes || self.bytes_on())
            .collect()
    }

    /// Returns a visible slice variable of some enabled type, with its type.
    fn any_slice_var(&mut self, assignable: bool) -> Option<(String, Ty)> {
        let mut types = self.slice_types();
        while !types.is_empty() {
            let ty = types.remove(self.pick(types.len()));
            if let Some(name) = self.var_of(ty, assignable) {
                return Some((name, ty));
            }
        }
        None
    }

    /// Emits the package-level declarations and helpers Level 2 programs use.
    pub(super) fn l2_prelude(&mut self) {
        if self.slices_on() {
            self.line("// Slices escape into these, so their capacities follow Go's heap rule.");
            for ty in self.slice_types() {
                self.line(&format!("var {} {}", ty.sink(), ty.go()));
            }
            self.line("var gs = []int{3, 1, 4}");
            self.line("");
            self.line("func at(s []int, i int) int {");
            self.line("\tif len(s) == 0 {");
            self.line("\t\treturn -3");
            self.line("\t}");
            self.line("\treturn s[(i&0xffff)%len(s)]");
            self.line("}");
            self.line("");
        }
        if self.bytes_on() {
            self.line("var gb byte = 'g'");
            self.line("");
        }
        if self.bytes_on() && self.slices_on() {
            self.line("func atb(s string, i int) byte {");
            self.line("\tif len(s) == 0 {");
            self.line("\t\treturn '?'");
            self.line("\t}");
            self.line("\treturn s[(i&0xffff)%len(s)]");
            self.line("}");
            self.line("");
        }
        if self.variadic_on() {
            self.line("func sum(xs ...int) int {");
            self.line("\tsinkI = xs");
            self.line("\tt := len(xs)");
            self.line("\tfor _, x := range xs {");
            self.line("\t\tt = t*7 + x");
            self.line("\t}");
            self.line("\treturn t");
            self.line("}");
            self.line("");
        }
    }

    /// Returns a Level 2 kind of function the features allow, if any.
    pub(super) fn l2_kind(&mut self) -> Option<Kind> {
        let mut kinds = Vec::new();
        if self.variadic_on() {
            kinds.extend([Kind::Variadic, Kind::Joiner]);
        }
        if self.slices_on() {
            kinds.push(Kind::Collect);
        }
        if self.slices_on() && self.bytes_on() {
            kinds.push(Kind::Bytes);
        }
        if kinds.is_empty() {
            return None;
        }
        Some(kinds[self.pick(kinds.len())])
    }

    /// Emits what makes slice variable `name` escape, and its use.
    pub(super) fn sink(&mut self, name: &str, ty: Ty) {
        self.line(&format!("{} = {name}", ty.sink()));
        self.line(&format!("cs += len({name})"));
    }

    // ---- expressions ----

    /// A byte literal: a constant that fits a byte.
    fn byte_literal(&mut self) -> String {
        [
            "'a'", "'z'", "'\\n'", "'\\x7f'", "'é'", "'\\''", "0", "255", "0x80", "'0'",
        ][self.pick(10)]
        .to_string()
    }

    /// A `byte` expression and whether it is constant.
    fn byte_expr(&mut self, depth: usize) -> (String, bool) {
        if depth >= 2 || self.chance(35) {
            return match self.pick(9) {
                0..=3 => match self.var_of(Ty::Byte, false) {
                    Some(name) => (name, false),
                    None => ("gb".to_string(), false),
                },
                4 | 5 => (self.byte_literal(), true),
                6 => (format!("byte({})", self.int_var_expr()), false),
                7 if self.slices_on() => {
                    let s = self.str_expr(1);
                    (format!("atb({s}, {})", self.int_var_expr()), false)
                }
                _ => ("gb".to_string(), false),
            };
        }
        match self.pick(6) {
            0..=2 => {
                let op = ["+", "-", "*", "&", "|", "^", "&^"][self.pick(7)];
                let (lhs, lc) = self.byte_expr(depth + 1);
                let (rhs, rc) = self.byte_expr(depth + 1);
                let rhs = if lc && rc { self.byte_var_expr() } else { rhs };
                (format!("({lhs} {op} {rhs})"), false)
            }
            3 => {
                let op = ["<<", ">>"][self.pick(2)];
                let lhs = self.byte_var_expr();
                let count = if self.chance(50) {
                    format!("({} & 15)", self.int_var_expr())
                } else {
                    self.pick(10).to_string()
                };
                (format!("({lhs} {op} {count})"), false)
            }
            4 => {
                let op = ["/", "%"][self.pick(2)];
                let lhs = self.byte_var_expr();
                let rhs = if self.chance(50) {
                    format!("({} | 1)", self.byte_var_expr())
                } else {
                    ["1", "2", "3", "7", "16", "'a'"][self.pick(6)].to_string()
                };
                (format!("({lhs} {op} {rhs})"), false)
            }
            _ => {
                let op = ["^", "-"][self.pick(2)];
                (format!("{op}{}", self.byte_var_expr()), false)
            }
        }
    }

    /// A non-constant `byte` expression.
    fn byte_var_expr(&mut self) -> String {
        let (text, is_const) = self.byte_expr(2);
        if !is_const {
            return text;
        }
        self.var_of(Ty::Byte, false)
            .unwrap_or_else(|| "gb".to_string())
    }

    /// A `byte` expression that has type `byte` even where it stands alone (as an operand
    /// of `fmt`, where a bare `'a'` would be a rune).
    pub(super) fn typed_byte_expr(&mut self) -> String {
        match self.byte_expr(1) {
            (text, true) => format!("byte({text})"),
            (text, false) => text,
        }
    }

    /// An `int` leaf that needs Level 2, if the features give one.
    pub(super) fn l2_int_leaf(&mut self) -> Option<(String, bool)> {
        if self.l2_nest >= 2 {
            return None;
        }
        self.l2_nest += 1;
        let leaf = match self.pick(7) {
            0 if self.bytes_on() => {
                let (b, is_const) = self.byte_expr(1);
                Some((format!("int({b})"), is_const))
            }
            1 if self.bytes_on() => {
                // A rune literal typed by an int operand: alone, it would make a `rune`.
                let rune = ["'a'", "'€'", "'\\t'", "'é'", "'\\u00ff'"][self.pick(5)];
                if self.chance(50) {
                    Some((format!("int({rune})"), true))
                } else {
                    Some((format!("({rune} - {})", self.int_var_expr()), false))
                }
            }
            2 | 3 if self.slices_on() => match self.any_slice_var(false) {
                Some((name, _)) => {
                    let func = ["len", "len", "cap"][self.pick(3)];
                    Some((format!("{func}({name})"), false))
                }
                None => Some(("len(gs)".to_string(), false)),
            },
            4 if self.slices_on() => {
                let s = self
                    .var_of(Ty::Ints, false)
                    .unwrap_or_else(|| "gs".to_string());
                Some((format!("at({s}, {})", self.int_var_expr()), false))
            }
            5 if self.variadic_on() => Some((self.sum_call(), false)),
            6 if self.bytes_on() && self.slices_on() => self
                .var_of(Ty::Bytes, false)
                .map(|name| (format!("len(string({name}))"), false)),
            _ => None,
        };
        self.l2_nest -= 1;
        leaf
    }

    /// A call of the prelude's variadic `sum`.
    fn sum_call(&mut self) -> String {
        let args = match self.pick(6) {
            0 => String::new(),
            1 => self.int_var_expr(),
            2 => {
                let (a, _) = self.int_expr(2);
                let (b, _) = self.int_expr(2);
                format!("{a}, {b}, {}", self.int_var_expr())
            }
            3 => format!("{}...", self.slice_expr(Ty::Ints, 1)),
            4 => "nil...".to_string(),
            _ => format!("[]int{{{}, {}}}...", self.pick(9), self.int_var_expr()),
        };
        format!("sum({args})")
    }

    /// A call of generated variadic function `f{idx}`.
    pub(super) fn variadic_call(&mut self, idx: usize, depth: usize) -> String {
        let a = self.int_var_expr_at(depth);
        let rest = match self.pick(4) {
            0 => String::new(),
            1 => {
                let (b, _) = self.int_expr(depth + 1);
                format!(", {b}, {}", self.int_var_expr())
            }
            2 => format!(", {}...", self.slice_expr(Ty::Ints, 1)),
            _ => format!(", {}", self.int_var_expr()),
        };
        format!("f{idx}({a}{rest})")
    }

    /// A string expression that needs Level 2, if the features give one.
    pub(super) fn l2_str_expr(&mut self, depth: usize) -> Option<String> {
        if self.l2_nest >= 2 || depth >= 2 {
            return None;
        }
        self.l2_nest += 1;
        let expr = match self.pick(5) {
            0 if self.bytes_on() && self.slices_on() => self
                .var_of(Ty::Bytes, false)
                .map(|name| format!("string({name})")),
            1 if self.bytes_on() => Some(format!("string({})", self.byte_var_expr())),
            2 if self.bytes_on() => Some(format!("string({})", self.int_var_expr())),
            3 if self.slices_on() => {
                let s = self
                    .var_of(Ty::Str, false)
                    .unwrap_or_else(|| "g1".to_string());
                Some(self.reslice(&s, true))
            }
            4 if self.features.printf => Some(self.sprintf()),
            _ => None,
        };
        self.l2_nest -= 1;
        expr
    }

    /// A boolean expression that needs Level 2, if the features give one.
    pub(super) fn l2_bool_expr(&mut self) -> Option<String> {
        match self.pick(3) {
            0 if self.slices_on() => self.any_slice_var(false).map(|(name, _)| {
                if self.chance(50) {
                    format!("{name} == nil")
                } else {
                    format!("len({name}) > {}", self.pick(4))
                }
            }),
            1 if self.bytes_on() => {
                let op = ["<", "<=", ">", ">=", "==", "!="][self.pick(6)];
                let a = self.byte_var_expr();
                let (b, _) = self.byte_expr(1);
                Some(format!("{a} {op} {b}"))
            }
            2 if self.bytes_on() && self.slices_on() => self
                .var_of(Ty::Bytes, false)
                .map(|name| format!("string({name}) == {}", self.str_expr(1))),
            _ => None,
        }
    }

    /// Returns `s` sliced by bounds that are always in range; `string` leaves out what
    /// only slices allow (a bound up to `cap`, a third index).
    fn reslice(&mut self, s: &str, string: bool) -> String {
        let (k1, k2, k3) = (self.pick(4), self.pick(4), self.pick(3));
        let (lo, hi) = (k1, k1 + k2);
        match self.pick(if string { 4 } else { 6 }) {
            0 => format!("{s}[min({lo}, len({s})):]"),
            1 => format!("{s}[:min({hi}, len({s}))]"),
            2 => format!("{s}[min({lo}, len({s})):min({hi}, len({s}))]"),
            3 => format!("{s}[:]"),
            4 => format!("{s}[:min({hi}, cap({s}))]"),
            _ => format!(
                "{s}[min({lo}, len({s})):min({hi}, len({s})):min({}, cap({s}))]",
                hi + k3
            ),
        }
    }

    /// An element of a slice of type `ty` (its element type's expression).
    fn elem_expr(&mut self, ty: Ty) -> String {
        match ty.elem() {
            Ty::Int => self.int_expr(1).0,
            Ty::Byte => self.byte_expr(1).0,
            Ty::Str => self.str_expr(1),
            Ty::Ints => self.slice_expr(Ty::Ints, 2),
            Ty::Fn => match self.pick(3) {
                0 => "nil".to_string(),
                1 => match self.var_of(Ty::Fn, false) {
                    Some(name) => name,
                    None => "nil".to_string(),
                },
                _ => format!("func(x int) int {{ return x*{} + 1 }}", self.pick(5)),
            },
            Ty::Bool | Ty::Bytes | Ty::Strs | Ty::Grid | Ty::Fns => {
                unreachable!("no generated slice holds these")
            }
        }
    }

    /// Returns an int expression that uses value `value` of type `ty`.
    fn use_expr(&mut self, value: &str, ty: Ty) -> String {
        match ty {
            Ty::Int => value.to_string(),
            Ty::Byte => format!("int({value})"),
            Ty::Str | Ty::Ints | Ty::Bytes | Ty::Strs | Ty::Grid | Ty::Fns => {
                format!("len({value})")
            }
            Ty::Fn => format!("call({value}, cs&7)"),
            Ty::Bool => unreachable!("no generated slice holds bools"),
        }
    }

    /// An expression of slice type `ty`.
    pub(super) fn slice_expr(&mut self, ty: Ty, depth: usize) -> String {
        let var = self.var_of(ty, false);
        let pick = self.pick(9);
        match (pick, var) {
            (0..=2, Some(name)) => name,
            (3, Some(name)) => self.reslice(&name, false),
            (4, Some(name)) if depth < 2 => {
                let k = self.pick(4);
                let n = 1 + self.pick(2);
                let elems: Vec<String> = (0..n).map(|_| self.elem_expr(ty)).collect();
                format!(
                    "append({name}[:min({k}, len({name}))], {})",
                    elems.join(", ")
                )
            }
            (5, _) => format!("[]{}(nil)", ty.elem().go()),
            (6, _) => {
                let (n, c) = (self.pick(4), self.pick(3));
                match self.pick(3) {
                    0 => format!("make({}, {n})", ty.go()),
                    1 => format!("make({}, {n}, {})", ty.go(), n + c),
                    _ => format!("make({}, {}&7)", ty.go(), self.int_var_expr()),
                }
            }
            (7, _) if ty == Ty::Bytes => format!("[]byte({})", self.str_expr(1)),
            (7, _) if ty == Ty::Ints => "gs".to_string(),
            _ if depth >= 2 => format!("{}{{}}", ty.go()),
            _ => {
                // A literal, now and then keyed: the keys increase, so none repeats.
                let n = self.pick(4);
                let mut elems = Vec::new();
                let mut next = 0;
                for _ in 0..n {
                    let elem = self.elem_expr(ty);
                    if self.chance(20) {
                        next += self.pick(3);
                        elems.push(format!("{next}: {elem}"));
                    } else {
                        elems.push(elem);
                    }
                    next += 1;
                }
                format!("{}{{{}}}", ty.go(), elems.join(", "))
            }
        }
    }

    // ---- statements ----

    /// Emits one statement that needs Level 2 (or a Level 1 assignment where the features
    /// give none here).
    pub(super) fn l2_stmt(&mut self) {
        let nested = self.depth < 3;
        match self.pick(20) {
            0..=2 if self.slices_on() => self.declare_slice(),
            3 if self.bytes_on() => {
                let name = self.fresh("b");
                let expr = self.byte_expr(0).0;
                if self.chance(50) {
                    self.line(&format!("var {name} byte = {expr}"));
                } else {
                    let int = self.int_var_expr();
                    self.line(&format!("{name} := byte({int})"));
                }
                self.declare(&name, Ty::Byte, true);
                self.use_var(&name, Ty::Byte);
            }
            4 if self.bytes_on() => self.byte_assign(),
            5 | 6 if self.slices_on() => self.index_stmt(),
            7 if self.slices_on() => self.append_stmt(),
            8 if self.slices_on() => self.alias_stmt(),
            9 if self.slices_on() => self.copy_stmt(),
            10 | 11 if self.slices_on() && nested => self.range_stmt(),
            12 if self.bytes_on() && self.slices_on() => {
                let s = self
                    .var_of(Ty::Str, false)
                    .unwrap_or_else(|| "g1".to_string());
                let i = self.int_var_expr();
                if self.panics && self.chance(10) {
                    self.line(&format!("cs += int({s}[{i} & 3])"));
                } else {
                    self.line(&format!(
                        "if len({s}) > 0 {{ cs += int({s}[({i}&0xffff)%len({s})]) }}"
                    ));
                }
            }
            13 if self.bytes_on() && self.slices_on() => {
                let name = self.fresh("bs");
                let s = self.str_expr(1);
                self.line(&format!("{name} := []byte({s})"));
                self.declare(&name, Ty::Bytes, true);
                self.use_var(&name, Ty::Bytes);
            }
            14 if self.slices_on() => self.print_slices(),
            15 if self.features.printf => self.printf_stmt(),
            16 if self.variadic_on() => {
                let call = self.sum_call();
                self.line(&format!("cs += {call}"));
            }
            17 if self.slices_on() => match self.any_slice_var(false) {
                Some((name, _)) if self.chance(50) => {
                    self.line(&format!("cs += cap({name})"));
                }
                Some((name, _)) => {
                    self.line(&format!("fmt.Println(len({name}), cap({name}))"));
                }
                None => self.line("cs += cap(gs)"),
            },
            18 if self.slices_on() => self.grid_stmt(),
            19 if self.slices_on() => match self.any_slice_var(true) {
                Some((name, ty)) if self.chance(30) => {
                    self.line(&format!("{name} = nil"));
                    self.line(&format!("if {name} == nil {{ cs++ }}"));
                    self.use_var(&name, ty);
                }
                Some((name, ty)) => {
                    let expr = self.slice_expr(ty, 0);
                    self.line(&format!("if len({name}) < 48 {{ {name} = {expr} }}"));
                    self.line(&format!("cs += len({name})"));
                }
                None => self.declare_slice(),
            },
            _ => self.assign(),
        }
    }

    fn declare_slice(&mut self) {
        let types = self.slice_types();
        let ty = types[self.pick(types.len())];
        let name = self.fresh("sl");
        match self.pick(4) {
            0 => self.line(&format!("var {name} {}", ty.go())),
            1 => {
                let expr = self.slice_expr(ty, 0);
                self.line(&format!("var {name} {} = {expr}", ty.go()));
            }
            _ => {
                let expr = self.slice_expr(ty, 0);
                self.line(&format!("{name} := {expr}"));
            }
        }
        self.declare(&name, ty, true);
        self.use_var(&name, ty);
    }

    fn byte_assign(&mut self) {
        let Some(name) = self.var_of(Ty::Byte, true) else {
            self.line("gb++");
            return;
        };
        match self.pick(5) {
            0 => {
                let (e, _) = self.byte_expr(0);
                self.line(&format!("{name} = {e}"));
            }
            1 => {
                let op = ["+=", "-=", "*=", "&=", "|=", "^=", "&^="][self.pick(7)];
                let (e, _) = self.byte_expr(1);
                self.line(&format!("{name} {op} {e}"));
            }
            2 => {
                let op = ["/=", "%="][self.pick(2)];
                let e = self.byte_var_expr();
                self.line(&format!("{name} {op} ({e} | 1)"));
            }
            3 => {
                let op = ["<<=", ">>="][self.pick(2)];
                let e = self.int_var_expr();
                self.line(&format!("{name} {op} ({e} & 15)"));
            }
            _ => {
                let op = ["++", "--"][self.pick(2)];
                self.line(&format!("{name}{op}"));
            }
        }
        self.line(&format!("cs += int({name})"));
    }

    /// An index that is in range of non-empty `s`.
    fn index_of(&mut self, s: &str) -> String {
        let i = self.int_var_expr();
        format!("({i}&0xffff)%len({s})")
    }

    fn index_stmt(&mut self) {
        let Some((name, ty)) = self.any_slice_var(false) else {
            self.declare_slice();
            return;
        };
        let elem = ty.elem();
        if self.panics && self.chance(8) {
            // An index that may be out of range: with `--panics`, a deterministic panic.
            let k = self.pick(5);
            let read = self.use_expr(&format!("{name}[{k}]"), elem);
            self.line(&format!("cs += {read}"));
            return;
        }
        let idx = self.index_of(&name);
        let target = format!("{name}[{idx}]");
        let body = match (self.pick(3), elem) {
            (0, _) => format!("cs += {}", self.use_expr(&target, elem)),
            (1, Ty::Int) => {
                let op = ["+=", "*=", "^=", "-="][self.pick(4)];
                format!("{target} {op} {}", self.int_expr(1).0)
            }
            (1, Ty::Byte) => format!("{target} += {}", self.byte_var_expr()),
            (1, Ty::Ints) => {
                format!("if len({target}) < 16 {{ {target} = append({target}, cs) }}")
            }
            _ => format!("{target} = {}", self.elem_expr(ty)),
        };
        self.line(&format!("if len({name}) > 0 {{ {body} }}"));
        if elem == Ty::Int && self.chance(30) {
            self.line(&format!("if len({name}) > 1 {{ {name}[1]++ }}"));
        }
    }

    fn append_stmt(&mut self) {
        let Some((name, ty)) = self.any_slice_var(true) else {
            self.declare_slice();
            return;
        };
        match self.pick(4) {
            0 | 2 if ty == Ty::Bytes => {
                let s = self.str_expr(1);
                self.line(&format!(
                    "if len({name}) < 48 {{ {name} = append({name}, {s}...) }}"
                ));
            }
            1 => {
                let other = self.var_of(ty, false).unwrap_or_else(|| name.clone());
                let other = if self.chance(30) {
                    self.reslice(&other, false)
                } else {
                    other
                };
                self.line(&format!(
                    "if len({name})+len({other}) < 64 {{ {name} = append({name}, {other}...) }}"
                ));
            }
            _ => {
                let n = 1 + self.pick(3);
                let elems: Vec<String> = (0..n).map(|_| self.elem_expr(ty)).collect();
                self.line(&format!(
                    "if len({name}) < 48 {{ {name} = append({name}, {}) }}",
                    elems.join(", ")
                ));
            }
        }
        // The grown array escapes too, as every slice whose `cap` is read must: gc may
        // give an append whose result does not escape a buffer in the frame, with another
        // capacity (LANGUAGE.md leaves it open).
        self.sink(&name, ty);
        if self.chance(30) {
            self.line(&format!("cs += cap({name})"));
        }
    }

    /// An `append` whose result may share the array of the slice it extends: a write
    /// through one shows through the other exactly when the append fitted its capacity.
    fn alias_stmt(&mut self) {
        let Some((name, ty)) = self.any_slice_var(false) else {
            self.declare_slice();
            return;
        };
        let elem = ty.elem();
        let alias = self.fresh("al");
        let k = self.pick(4);
        let first = self.elem_expr(ty);
        self.line(&format!(
            "{alias} := append({name}[:min({k}, len({name}))], {first})"
        ));
        self.declare(&alias, ty, true);
        self.use_var(&alias, ty);
        let seen = self.use_expr(&format!("{name}[{k}]"), elem);
        self.line(&format!("if len({name}) > {k} {{ cs += {seen} }}"));
        let second = self.elem_expr(ty);
        self.line(&format!("{alias}[0] = {second}"));
        let seen = self.use_expr(&format!("{name}[0]"), elem);
        self.line(&format!("if len({name}) > 0 {{ cs += {seen} }}"));
    }

    fn copy_stmt(&mut self) {
        let Some((name, ty)) = self.any_slice_var(false) else {
            self.declare_slice();
            return;
        };
        let k = 1 + self.pick(3);
        let line = match self.pick(5) {
            0 => format!("cs += copy({name}[min({k}, len({name})):], {name})"),
            1 => format!("cs += copy({name}, {name}[min({k}, len({name})):])"),
            2 if ty == Ty::Bytes => format!("cs += copy({name}, {})", self.str_expr(1)),
            _ => {
                let src = self.slice_expr(ty, 1);
                format!("cs += copy({name}, {src})")
            }
        };
        self.line(&line);
        if self.chance(50) && ty != Ty::Fns {
            self.line(&format!("fmt.Println({name})"));
        }
    }

    /// `range` over a slice in its four forms, or collecting closures that capture the
    /// per-iteration variables.
    fn range_stmt(&mut self) {
        let Some((name, ty)) = self.any_slice_var(false) else {
            self.declare_slice();
            return;
        };
        let elem = ty.elem();
        // Inside a loop, a few elements only, so the work stays small.
        let target = if self.loop_depth > 0 || self.chance(30) {
            format!("{name}[:min({}, len({name}))]", 1 + self.pick(4))
        } else {
            name
        };
        self.depth += 1;
        self.loop_depth += 1;
        let (i, v) = (self.fresh("i"), self.fresh("e"));
        match self.pick(5) {
            0 | 1 => {
                self.open(&format!("for {i}, {v} := range {target}"));
                self.declare(&i, Ty::Int, false);
                self.declare(&v, elem, false);
                let used = self.use_expr(&v, elem);
                self.line(&format!("cs += {i}*3 + {used}"));
                let n = self.pick(3);
                self.block_body(n);
                self.close("");
            }
            2 => {
                self.open(&format!("for {i} := range {target}"));
                self.declare(&i, Ty::Int, false);
                self.line(&format!("cs += {i}"));
                let n = self.pick(2);
                self.block_body(n);
                self.close("");
            }
            3 => {
                self.open(&format!("for range {target}"));
                self.line("cs++");
                let n = self.pick(2);
                self.block_body(n);
                self.close("");
            }
            _ if elem == Ty::Int => {
                self.line(&format!("{i}, {v} := -1, 0"));
                self.open(&format!("for {i}, {v} = range {target}"));
                self.line(&format!("cs += {v} - {i}"));
                self.close("");
                self.line(&format!("cs += {i}*5 + {v}"));
            }
            _ => {
                let fs = self.fresh("fs");
                self.line(&format!("var {fs} []func() int"));
                self.open(&format!("for {i}, {v} := range {target}"));
                let used = self.use_expr(&v, elem);
                self.line(&format!(
                    "{fs} = append({fs}, func() int {{ return {i}*10 + {used} }})"
                ));
                self.close("");
                self.line(&format!("for _, f := range {fs} {{ cs += f() }}"));
            }
        }
        self.loop_depth -= 1;
        self.depth -= 1;
    }

    fn print_slices(&mut self) {
        let mut args = Vec::new();
        for _ in 0..1 + self.pick(3) {
            let arg = match self.pick(4) {
                0 if self.bytes_on() => self.typed_byte_expr(),
                1 => self.str_expr(1),
                _ => match self.any_slice_var(false) {
                    Some((_, Ty::Fns)) | None => self.slice_expr(Ty::Ints, 1),
                    Some((name, _)) => name,
                },
            };
            args.push(arg);
        }
        if self.chance(30) {
            self.line(&format!("fmt.Print({}, \"\\n\")", args.join(", ")));
        } else {
            self.line(&format!("fmt.Println({})", args.join(", ")));
        }
    }

    fn grid_stmt(&mut self) {
        let Some(grid) = self.var_of(Ty::Grid, false) else {
            let name = self.fresh("gr");
            let expr = self.slice_expr(Ty::Grid, 0);
            self.line(&format!("{name} := {expr}"));
            self.declare(&name, Ty::Grid, true);
            self.use_var(&name, Ty::Grid);
            return;
        };
        let idx = self.index_of(&grid);
        let row = format!("{grid}[{idx}]");
        match self.pick(3) {
            0 => {
                let e = self.int_expr(1).0;
                self.line(&format!(
                    "if len({grid}) > 0 && len({row}) < 16 {{ {row} = append({row}, {e}) }}"
                ));
            }
            1 => {
                let e = self.int_expr(1).0;
                self.line(&format!(
                    "if len({grid}) > 0 && len({row}) > 0 {{ {row}[0] += {e} }}"
                ));
            }
            _ => {
                let e = self.slice_expr(Ty::Ints, 1);
                self.line(&format!("if len({grid}) > 0 {{ {row} = {e} }}"));
            }
        }
        self.line(&format!("fmt.Println({grid})"));
    }

    /// Emits a statement that calls generated function `f{idx}`, of a Level 2 kind that
    /// does not return one int.
    pub(super) fn l2_call_stmt(&mut self, idx: usize) {
        match self.funcs[idx] {
            Kind::Joiner => {
                let sep = self.str_expr(1);
                let rest = match self.any_strs() {
                    Some(parts) if self.chance(50) => format!(", {parts}..."),
                    Some(_) | None => {
                        let (a, b) = (self.str_expr(1), self.str_expr(1));
                        format!(", {a}, {b}")
                    }
                };
                let name = self.fresh("j");
                self.line(&format!("{name} := f{idx}({sep}{rest})"));
                self.declare(&name, Ty::Str, false);
                self.use_var(&name, Ty::Str);
            }
            Kind::Collect => {
                let input = self.slice_expr(Ty::Ints, 1);
                let n = self.int_var_expr();
                let (out, total) = (self.fresh("o"), self.fresh("t"));
                self.line(&format!("{out}, {total} := f{idx}({input}, {n})"));
                self.line(&format!("cs += {total}"));
                self.declare(&out, Ty::Ints, true);
                self.declare(&total, Ty::Int, true);
                self.use_var(&out, Ty::Ints);
            }
            Kind::Bytes => {
                let c = self.byte_expr(1).0;
                match self.var_of(Ty::Bytes, true) {
                    Some(name) if self.chance(50) => {
                        self.line(&format!("{name} = f{idx}({name}, {c})"));
                        self.line(&format!("cs += len({name})"));
                    }
                    Some(_) | None => {
                        let input = self.slice_expr(Ty::Bytes, 1);
                        let name = self.fresh("bs");
                        self.line(&format!("{name} := f{idx}({input}, {c})"));
                        self.declare(&name, Ty::Bytes, true);
                        self.use_var(&name, Ty::Bytes);
                    }
                }
            }
            Kind::Plain
            | Kind::Pair
            | Kind::Factory
            | Kind::Higher
            | Kind::Recursive
            | Kind::Named
            | Kind::Variadic => unreachable!("called through Level 1's call_stmt"),
        }
    }

    fn any_strs(&mut self) -> Option<String> {
        let name = self.var_of(Ty::Strs, false)?;
        Some(if self.chance(30) {
            self.reslice(&name, false)
        } else {
            name
        })
    }

    /// Emits the end of a function of a Level 2 kind, after its random body.
    pub(super) fn l2_function_end(&mut self, kind: Kind) {
        match kind {
            Kind::Variadic => {
                self.line("for _, x := range xs {");
                self.line("\tcs = cs*3 + x");
                self.line("}");
                self.line("return cs + a + len(xs)");
            }
            Kind::Joiner => {
                self.line("r := \"\"");
                self.line("for i, p := range parts {");
                self.line("\tif i > 0 {");
                self.line("\t\tr += sep");
                self.line("\t}");
                self.line("\tr += p");
                self.line("}");
                self.line("return r[:min(len(r), 40)] + sep[:min(cs&3, len(sep))]");
            }
            Kind::Collect => {
                self.line("for i := range min(n&7, 6) {");
                self.line("\tout = append(out, i*n+cs)");
                self.line("}");
                self.line("total += len(out) + len(in)");
                if self.chance(50) {
                    self.line("return");
                } else {
                    self.line("return out[:min(2, len(out))], total + cs");
                }
            }
            Kind::Bytes => {
                self.line("if len(b) < 48 {");
                self.line("\tb = append(b, c, c+1)");
                self.line("}");
                self.line("b[0] ^= byte(cs)");
                self.line("return b");
            }
            Kind::Plain
            | Kind::Pair
            | Kind::Factory
            | Kind::Higher
            | Kind::Recursive
            | Kind::Named => unreachable!("a Level 1 kind ends in `function`"),
        }
    }

    /// Emits, at the end of `main`, a run-time panic of Level 2 on `zero` (which is 0);
    /// returns false if the features give none.
    pub(super) fn l2_panic(&mut self) -> bool {
        if !self.slices_on() {
            return false;
        }
        self.line("ps := []int{1, 2, 3}");
        self.line("sinkI = ps");
        let text = match self.pick(8) {
            0 => "cs += ps[zero+5]",
            1 => "cs += ps[zero-1]",
            2 => "cs += len(ps[:zero+7])",
            3 => "cs += len(g1[:zero+len(g1)+2])",
            4 => "cs += len(ps[zero+2 : zero+1])",
            5 => "cs += len(ps[:2:zero+7])",
            6 => "cs += len(make([]int, zero-1))",
            _ => "cs += len(ps[zero+4:])",
        };
        self.line(text);
        true
    }
}
