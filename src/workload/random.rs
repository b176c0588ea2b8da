//! Random programs for differential testing against Go (`toyc gen-test`), in the manner of
//! Csmith: from a seed and a size, a well-typed Level 1 program that Go also accepts, whose
//! every computed value flows into a checksum that `main` prints, so a miscompilation shows
//! as a different output.
//!
//! What keeps the programs valid and terminating:
//! - every local variable is used right after its declaration (Go rejects unused ones), and
//!   labels are emitted only with a `break`/`continue` that uses them;
//! - constant expressions are only single literals or fixed safe forms: a binary operator
//!   never gets two constant operands, so no constant overflows or divides by zero;
//! - divisors are `(e | 1)` or non-zero literals, shift counts `(e & 127) % 71` or literals in
//!   0..=70 (counts past 63 are part of the test);
//! - loops run a literal number of times at most and never assign their counters; every
//!   function starts by spending one unit of the package variable `fuel`, so calls, recursion
//!   included, are bounded in total;
//! - function `fN` calls only functions with a smaller index, or itself when it recurses on a
//!   decreasing argument.
//!
//! With `panics`, `main` may end in a run-time panic: a division by a zero variable, a
//! negative shift count or a call of a nil function value.
//!
//! Functions with named results (`Kind::Named`) use them as variables of the body, which
//! statements and closures read and assign, and end in a bare `return` or one with values;
//! a block that shadows a result has no bare `return` (Go rejects one there).
//!
//! Level 2 (`Features`, `toyc gen-test --level 2`) mixes bytes, slices, variadic functions
//! and `Printf` into the same programs (`level2`, `printf`). Every choice that only Level 2
//! makes is drawn only when a Level 2 feature is on, so a Level 1 seed draws the same numbers
//! and gives the same program as before Level 2 existed.

mod level2;
mod printf;

use crate::workload::Rng;

/// The types the generator uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Int,
    Str,
    Bool,
    /// `func(int) int`.
    Fn,
    /// `byte`.
    Byte,
    /// `[]int`.
    Ints,
    /// `[]byte`.
    Bytes,
    /// `[]string`.
    Strs,
    /// `[][]int`.
    Grid,
    /// `[]func(int) int`.
    Fns,
}

/// The signatures of generated functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `func(a, b int) int`.
    Plain,
    /// `func(a int, s string) (int, string)`.
    Pair,
    /// `func(a int) func(int) int`: returns a closure over its own state.
    Factory,
    /// `func(h func(int) int, a int) int`.
    Higher,
    /// `func(n int) int`, recursing on `n - 1`.
    Recursive,
    /// `func(a int, s string) (ri int, rs string)`: named results, bare `return`s.
    Named,
    /// `func(a int, xs ...int) int` (Level 2).
    Variadic,
    /// `func(sep string, parts ...string) string` (Level 2).
    Joiner,
    /// `func(in []int, n int) (out []int, total int)`: slices as named results (Level 2).
    Collect,
    /// `func(b []byte, c byte) []byte`: a slice returned, so it escapes (Level 2).
    Bytes,
}

/// The Level 2 features a generated program may use; none is Level 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Features {
    /// `byte`, rune literals, `string(b)`; with `slices`, strings indexed and `[]byte`.
    pub bytes: bool,
    /// Slices of ints, strings, `[]int` and functions; strings sliced; `fmt.Println` of them;
    /// with `bytes`, strings indexed, as `s[i]` is a byte, and `[]byte`.
    pub slices: bool,
    /// Variadic functions and `f(s...)`; needs `slices`, as a variadic parameter is one.
    pub variadic: bool,
    /// `fmt.Printf` and `fmt.Sprintf`.
    pub printf: bool,
}

impl Features {
    /// Level 1: no feature of Level 2.
    pub const LEVEL1: Features = Features {
        bytes: false,
        slices: false,
        variadic: false,
        printf: false,
    };
    /// Every Level 2 feature, as `--level 2` turns them on.
    pub const LEVEL2: Features = Features {
        bytes: true,
        slices: true,
        variadic: true,
        printf: true,
    };

    /// Reports whether any Level 2 feature is on.
    fn level2(self) -> bool {
        let Features {
            bytes,
            slices,
            variadic,
            printf,
        } = self;
        bytes || slices || variadic || printf
    }
}

/// What to generate besides the seed.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// About how many functions besides `main`.
    pub size: usize,
    /// Whether `main` may end in a run-time panic.
    pub panics: bool,
    /// The Level 2 features to use.
    pub features: Features,
}

struct Var {
    name: String,
    ty: Ty,
    /// Loop counters are read-only, so loops stay bounded.
    assignable: bool,
}

struct Gen {
    rng: Rng,
    out: String,
    indent: usize,
    /// Visible variables, innermost last; `scopes` marks where each block starts.
    vars: Vec<Var>,
    scopes: Vec<usize>,
    next_name: usize,
    /// Functions defined so far: index and kind.
    funcs: Vec<Kind>,
    /// Statements still allowed in the current function.
    budget: usize,
    depth: usize,
    loop_depth: usize,
    /// The result types of the function being generated, for `return`: `int`, `named`
    /// (named results `ri`, `rs`, returned by a bare `return`), `collect` (named results
    /// `out`, `total`) or empty (no early `return`).
    results: &'static str,
    features: Features,
    panics: bool,
    /// How deeply Level 2 leaves nest (`at(s, len(t))`), so that their expressions stay small.
    l2_nest: usize,
}

/// Returns a random program for `seed`, of about `options.size` functions; with
/// `options.panics`, it may end in a run-time panic.
pub fn generate(seed: u64, options: Options) -> String {
    let Options {
        size,
        panics,
        features,
    } = options;
    let mut generator = Gen {
        rng: Rng::new(seed ^ 0x5eed),
        out: String::new(),
        indent: 0,
        vars: Vec::new(),
        scopes: Vec::new(),
        next_name: 0,
        funcs: Vec::new(),
        budget: 0,
        depth: 0,
        loop_depth: 0,
        results: "",
        features,
        panics,
        l2_nest: 0,
    };
    generator.program(size.max(1), panics);
    generator.out
}

impl Gen {
    fn pick(&mut self, n: usize) -> usize {
        self.rng.below(n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.rng.below(100) < percent
    }

    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push('\t');
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next_name += 1;
        format!("{prefix}{}", self.next_name)
    }

    fn declare(&mut self, name: &str, ty: Ty, assignable: bool) {
        self.vars.push(Var {
            name: name.to_string(),
            ty,
            assignable,
        });
    }

    fn open(&mut self, header: &str) {
        self.line(&format!("{header} {{"));
        self.indent += 1;
        self.scopes.push(self.vars.len());
    }

    fn close(&mut self, trailer: &str) {
        let start = self.scopes.pop().expect("an open block");
        self.vars.truncate(start);
        self.indent -= 1;
        self.line(&format!("}}{trailer}"));
    }

    /// Returns a visible variable of type `ty`, if any (assignable ones only if asked).
    fn var_of(&mut self, ty: Ty, assignable: bool) -> Option<String> {
        // A name shadowed by a later declaration refers to that one: skip the outer entry.
        let candidates: Vec<usize> = (0..self.vars.len())
            .filter(|&idx| self.vars[idx].ty == ty && (!assignable || self.vars[idx].assignable))
            .filter(|&idx| {
                let name = &self.vars[idx].name;
                !self.vars[idx + 1..].iter().any(|later| &later.name == name)
            })
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let idx = candidates[self.pick(candidates.len())];
        Some(self.vars[idx].name.clone())
    }

    /// Emits the use that keeps a new variable from being "declared and not used".
    fn use_var(&mut self, name: &str, ty: Ty) {
        match ty {
            Ty::Int => self.line(&format!("cs += {name}")),
            Ty::Str => self.line(&format!("cs += len({name})")),
            Ty::Bool => self.line(&format!("if {name} {{ cs++ }}")),
            Ty::Fn if self.chance(30) => {
                self.line(&format!("cs += call(func(int) int({name}), cs&7)"))
            }
            Ty::Fn => self.line(&format!("cs += call({name}, cs&7)")),
            Ty::Byte => self.line(&format!("cs += int({name})")),
            Ty::Ints | Ty::Bytes | Ty::Strs | Ty::Grid | Ty::Fns => self.sink(name, ty),
        }
    }

    // ---- expressions: (text, is_constant) ----

    fn literal(&mut self) -> String {
        match self.pick(10) {
            0 => "0".to_string(),
            1 => format!("{}", 1i64 << (30 + self.pick(32))),
            2 => format!("-{}", 1 + self.pick(1000)),
            3 => format!("0x{:x}", self.rng.below(1 << 20)),
            4 => format!("0b{:b}", self.rng.below(64)),
            5 => format!("0o{:o}", self.rng.below(512)),
            6 => format!("1_{:03}", self.pick(1000)),
            _ => format!("{}", self.pick(100)),
        }
    }

    fn int_leaf(&mut self) -> (String, bool) {
        if self.features.level2()
            && self.chance(20)
            && let Some(leaf) = self.l2_int_leaf()
        {
            return leaf;
        }
        match self.pick(12) {
            0..=4 => match self.var_of(Ty::Int, false) {
                Some(name) => (name, false),
                None => ("cs".to_string(), false),
            },
            5 | 6 => (self.literal(), true),
            7 => match self.var_of(Ty::Str, false) {
                Some(name) => (format!("len({name})"), false),
                None => ("g0".to_string(), false),
            },
            8 => (["k0", "k1", "k2"][self.pick(3)].to_string(), true),
            9 => ("g0".to_string(), false),
            10 => ("(-9223372036854775807 - 1)".to_string(), true),
            _ => ("calls".to_string(), false),
        }
    }

    /// A non-constant integer expression at nesting `depth`.
    fn int_var_expr_at(&mut self, depth: usize) -> String {
        let (text, is_const) = self.int_expr(depth);
        if !is_const {
            return text;
        }
        self.var_of(Ty::Int, false)
            .unwrap_or_else(|| "cs".to_string())
    }

    /// A small non-constant integer expression.
    fn int_var_expr(&mut self) -> String {
        self.int_var_expr_at(2)
    }

    fn int_expr(&mut self, depth: usize) -> (String, bool) {
        if depth >= 3 || self.chance(30) {
            return self.int_leaf();
        }
        match self.pick(15) {
            0..=5 => {
                let op = ["+", "-", "*", "&", "|", "^", "&^"][self.pick(7)];
                let (lhs, lc) = self.int_expr(depth + 1);
                let (rhs, rc) = self.int_expr(depth + 1);
                let rhs = if lc && rc {
                    self.int_var_expr_at(depth + 1)
                } else {
                    rhs
                };
                (format!("({lhs} {op} {rhs})"), false)
            }
            6 => {
                let op = ["/", "%"][self.pick(2)];
                let lhs = self.int_var_expr_at(depth + 1);
                let rhs = if self.chance(50) {
                    let divisor = self.int_var_expr_at(depth + 1);
                    format!("({divisor} | 1)")
                } else {
                    ["1", "2", "3", "7", "10", "16", "-1", "-5", "1000"][self.pick(9)].to_string()
                };
                (format!("({lhs} {op} {rhs})"), false)
            }
            7 => {
                let op = ["<<", ">>"][self.pick(2)];
                let lhs = self.int_var_expr_at(depth + 1);
                let count = if self.chance(50) {
                    let count = self.int_var_expr_at(depth + 1);
                    format!("(({count} & 127) % 71)")
                } else {
                    format!("{}", self.pick(71))
                };
                (format!("({lhs} {op} {count})"), false)
            }
            8 => {
                let op = ["-", "^", "+"][self.pick(3)];
                let inner = self.int_var_expr_at(depth + 1);
                (format!("{op}({inner})"), false)
            }
            9 => {
                let name = if self.chance(50) { "min" } else { "max" };
                let a = self.int_var_expr_at(depth + 1);
                let (b, _) = self.int_expr(depth + 1);
                (format!("{name}({a}, {b})"), false)
            }
            10 => match self.var_of(Ty::Fn, false) {
                Some(name) => {
                    let arg = self.int_var_expr_at(depth + 1);
                    (format!("call({name}, {arg})"), false)
                }
                None => self.int_leaf(),
            },
            11 => self.call_expr(depth),
            12 => {
                let (a, is_const) = self.int_expr(depth + 1);
                (
                    format!("(len(\"{}\") + {a})", "ab".repeat(self.pick(3))),
                    is_const,
                )
            }
            13 => {
                let (a, is_const) = self.int_expr(depth + 1);
                (format!("int({a})"), is_const)
            }
            _ => self.int_leaf(),
        }
    }

    /// A call of an earlier function, as an `int` expression.
    fn call_expr(&mut self, depth: usize) -> (String, bool) {
        let plain: Vec<usize> = (0..self.funcs.len())
            .filter(|&idx| self.funcs[idx].returns_int())
            .collect();
        if plain.is_empty() || depth >= 2 {
            return self.int_leaf();
        }
        let idx = plain[self.pick(plain.len())];
        let call = match self.funcs[idx] {
            Kind::Plain => {
                let a = self.int_var_expr_at(depth + 1);
                let (b, _) = self.int_expr(depth + 1);
                format!("f{idx}({a}, {b})")
            }
            Kind::Recursive => format!("f{idx}({})", self.pick(6)),
            Kind::Variadic => self.variadic_call(idx, depth + 1),
            Kind::Pair
            | Kind::Factory
            | Kind::Named
            | Kind::Joiner
            | Kind::Collect
            | Kind::Bytes => {
                unreachable!("returns_int keeps only the functions that return one int")
            }
            Kind::Higher => {
                let arg = self.int_var_expr_at(depth + 1);
                let func = match self.var_of(Ty::Fn, false) {
                    Some(name) if self.chance(10) => format!("func(int) int({name})"),
                    Some(name) if self.chance(10) => format!("(func(x int) int)({name})"),
                    Some(name) if self.chance(50) => name,
                    // The literal's `x` would shadow an `x` of this scope that `arg` names.
                    _ if names(&arg, "x") => {
                        format!("func(x int) int {{ return x*{} }}", self.pick(5))
                    }
                    _ => format!("func(x int) int {{ return x*{} + {arg} }}", self.pick(5)),
                };
                let a = self.int_var_expr_at(depth + 1);
                format!("f{idx}({func}, {a})")
            }
        };
        (call, false)
    }

    fn str_expr(&mut self, depth: usize) -> String {
        if self.features.level2()
            && self.chance(15)
            && let Some(expr) = self.l2_str_expr(depth)
        {
            return expr;
        }
        if depth < 2 && self.chance(40) {
            let a = self.str_expr(depth + 1);
            let b = self.str_expr(depth + 1);
            return format!("{a} + {b}");
        }
        match self.pick(7) {
            0..=2 => self
                .var_of(Ty::Str, false)
                .unwrap_or_else(|| "g1".to_string()),
            6 => {
                let inner = self.str_expr(depth + 1);
                format!("string({inner})")
            }
            3 => [
                "\"x\"",
                "\"hé\"",
                "\"a\\tb\"",
                "`raw\\n`",
                "\"\"",
                "\"\\x41\\u00e9\"",
            ][self.pick(6)]
            .to_string(),
            4 => "g1".to_string(),
            _ => ["\"ab\"", "\"zz\"", "\"b\""][self.pick(3)].to_string(),
        }
    }

    fn bool_expr(&mut self, depth: usize) -> String {
        if self.features.level2()
            && self.chance(15)
            && let Some(expr) = self.l2_bool_expr()
        {
            return expr;
        }
        if depth < 2 && self.chance(35) {
            let op = ["&&", "||"][self.pick(2)];
            let a = self.bool_expr(depth + 1);
            let b = self.bool_expr(depth + 1);
            return format!("({a} {op} {b})");
        }
        match self.pick(8) {
            0..=2 => {
                let op = ["<", "<=", ">", ">=", "==", "!="][self.pick(6)];
                let a = self.int_var_expr();
                let (b, _) = self.int_expr(2);
                format!("{a} {op} {b}")
            }
            3 => {
                let op = ["<", "==", "!=", ">="][self.pick(4)];
                let a = self.str_expr(1);
                let b = self.str_expr(1);
                format!("{a} {op} {b}")
            }
            4 => match self.var_of(Ty::Bool, false) {
                Some(name) if self.chance(50) => format!("!{name}"),
                Some(name) => name,
                None => "true".to_string(),
            },
            5 => {
                let k = self.int_var_expr();
                format!("tick({k})")
            }
            6 => match self.var_of(Ty::Fn, false) {
                Some(name) => format!("{name} != nil"),
                None => "false".to_string(),
            },
            7 if self.chance(30) => {
                let b = self.bool_expr(depth + 1);
                format!("bool({b})")
            }
            _ => {
                let b = self.bool_expr(depth + 1);
                format!("!({b})")
            }
        }
    }

    // ---- statements ----

    fn block_body(&mut self, n: usize) {
        for _ in 0..n {
            if self.budget == 0 {
                break;
            }
            self.budget -= 1;
            self.stmt();
        }
    }

    fn stmt(&mut self) {
        if self.features.level2() && self.chance(40) {
            self.l2_stmt();
            return;
        }
        let nested = self.depth < 3;
        match self.pick(22) {
            0 | 1 => {
                let name = self.fresh("v");
                let (expr, _) = self.int_expr(0);
                self.line(&format!("{name} := {expr}"));
                self.declare(&name, Ty::Int, true);
                self.use_var(&name, Ty::Int);
            }
            2 => {
                let name = self.fresh("s");
                let expr = self.str_expr(0);
                self.line(&format!("{name} := {expr}"));
                self.declare(&name, Ty::Str, true);
                self.use_var(&name, Ty::Str);
            }
            3 => {
                let name = self.fresh("b");
                let expr = self.bool_expr(0);
                self.line(&format!("var {name} bool = {expr}"));
                self.declare(&name, Ty::Bool, true);
                self.use_var(&name, Ty::Bool);
            }
            4 | 5 => self.assign(),
            6 => {
                let (a, b) = (self.fresh("v"), self.fresh("v"));
                let (x, _) = self.int_expr(1);
                let (y, _) = self.int_expr(1);
                self.line(&format!("var {a}, {b} = {x}, {y}"));
                self.line(&format!("{a}, {b} = {b}, {a}"));
                self.line(&format!("cs += {a}*3 + {b}"));
                self.declare(&a, Ty::Int, true);
                self.declare(&b, Ty::Int, true);
            }
            7 if nested => self.if_stmt(),
            8 if nested => self.for_stmt(),
            9 if nested => self.switch_stmt(),
            10 if nested => self.closure_stmt(),
            11 => self.call_stmt(),
            12 => self.print_stmt(),
            13 => {
                let (a, b, c) = (
                    self.int_var_expr(),
                    self.int_var_expr(),
                    self.int_var_expr(),
                );
                self.line(&format!(
                    "if tick({a}) && tick({b}) || !tick({c}) {{ cs++ }}"
                ));
            }
            14 => {
                let (e, _) = self.int_expr(1);
                self.line(&format!("g0 += {e}"));
                if self.chance(30) {
                    self.line("if len(g1) < 40 { g1 = g1 + \"q\" }");
                }
            }
            15 if nested => {
                // A block that shadows a visible name.
                let shadowed = self.vars.last().map(|var| var.name.clone());
                // Go rejects a bare `return` where a named result is shadowed: the block
                // that hides one returns nowhere.
                let saved = self.results;
                if matches!(shadowed.as_deref(), Some("ri" | "rs" | "out" | "total")) {
                    self.results = "";
                }
                self.depth += 1;
                self.open("");
                if let Some(name) = shadowed {
                    let expr = self.str_expr(0);
                    self.line(&format!("{name} := {expr}"));
                    self.declare(&name, Ty::Str, true);
                    self.use_var(&name, Ty::Str);
                }
                let n = 1 + self.pick(3);
                self.block_body(n);
                self.close("");
                self.depth -= 1;
                self.results = saved;
            }
            16 if self.chance(50) => {
                let name = self.fresh("c");
                let picked = self.pick(50);
                self.line(&format!("const {name} = {}", picked));
                self.line(&format!("cs += {name} * 2"));
            }
            16 => {
                let (a, b, c) = (self.fresh("c"), self.fresh("c"), self.fresh("c"));
                self.line(&format!("const ({a} = iota * 7; {b}; {c} = \"k\")"));
                self.line(&format!("cs += {a} + {b} + len({c})"));
            }
            17 if self.results == "int" && self.chance(30) => {
                let cond = self.bool_expr(1);
                self.line(&format!("if {cond} {{ return cs }}"));
            }
            17 if self.results == "named" && self.chance(30) => {
                let cond = self.bool_expr(1);
                self.line(&format!("if {cond} {{ ri ^= cs; return }}"));
            }
            17 if self.results == "collect" && self.chance(30) => {
                let cond = self.bool_expr(1);
                self.line(&format!("if {cond} {{ total ^= cs; return }}"));
            }
            18 => {
                let x = self.int_var_expr();
                self.line(&format!("cs += (-9223372036854775807 - 1) / ({x} | 1)"));
                self.line(&format!("cs ^= (-9223372036854775807 - 1) % ({x} | 1)"));
            }
            19 => {
                let name = self.fresh("v");
                self.line(&format!("var {name} int"));
                let (e, _) = self.int_expr(1);
                self.line(&format!("{name}++"));
                self.line(&format!("{name} -= {e}"));
                self.declare(&name, Ty::Int, true);
                self.use_var(&name, Ty::Int);
            }
            20 => self.var_group(),
            _ => self.assign(),
        }
    }

    /// `var ( … )` in a function: a typed zero value, a typed initialiser, an untyped pair.
    fn var_group(&mut self) {
        let (a, b, s, t) = (
            self.fresh("v"),
            self.fresh("v"),
            self.fresh("s"),
            self.fresh("b"),
        );
        let (x, _) = self.int_expr(1);
        let y = self.str_expr(1);
        let z = self.bool_expr(1);
        self.line("var (");
        self.indent += 1;
        self.line(&format!("{a} int"));
        self.line(&format!("{b} int = {x}"));
        self.line(&format!("{s}, {t} = {y}, {z}"));
        self.indent -= 1;
        self.line(")");
        self.line(&format!("{a} += {b}"));
        for (name, ty) in [(&a, Ty::Int), (&b, Ty::Int), (&s, Ty::Str), (&t, Ty::Bool)] {
            self.declare(name, ty, true);
            self.use_var(name, ty);
        }
    }

    fn assign(&mut self) {
        let Some(name) = self.var_of(Ty::Int, true) else {
            self.line("cs++");
            return;
        };
        match self.pick(5) {
            0 => {
                let (e, _) = self.int_expr(0);
                self.line(&format!("{name} = {e}"));
            }
            1 => {
                let op = ["+=", "-=", "*=", "&=", "|=", "^=", "&^="][self.pick(7)];
                let (e, _) = self.int_expr(1);
                self.line(&format!("{name} {op} {e}"));
            }
            2 => {
                let op = ["/=", "%="][self.pick(2)];
                let e = self.int_var_expr();
                self.line(&format!("{name} {op} ({e} | 1)"));
            }
            3 => {
                let op = ["<<=", ">>="][self.pick(2)];
                let e = self.int_var_expr();
                self.line(&format!("{name} {op} ({e} & 127) % 71"));
            }
            _ => {
                let picked = self.pick(2);
                self.line(&format!("{name}{}", ["++", "--"][picked]));
            }
        }
        self.line(&format!("cs += {name}"));
    }

    fn if_stmt(&mut self) {
        self.depth += 1;
        if self.chance(40) {
            let t = self.fresh("t");
            let (e, _) = self.int_expr(1);
            let (bound, _) = self.int_expr(2);
            self.open(&format!("if {t} := {e}; {t} > {bound}"));
            self.declare(&t, Ty::Int, false);
            self.line(&format!("cs += {t}"));
        } else {
            let cond = self.bool_expr(0);
            self.open(&format!("if {cond}"));
        }
        let n = 1 + self.pick(3);
        self.block_body(n);
        if self.chance(50) {
            self.close("");
            let cond = self.bool_expr(1);
            let text = self.out.pop();
            debug_assert_eq!(text, Some('\n'));
            self.out.push_str(&format!(" else if {cond} {{\n"));
            self.indent += 1;
            self.scopes.push(self.vars.len());
            let n = 1 + self.pick(2);
            self.block_body(n);
        }
        if self.chance(50) {
            self.close("");
            self.out.pop();
            self.out.push_str(" else {\n");
            self.indent += 1;
            self.scopes.push(self.vars.len());
            let n = 1 + self.pick(2);
            self.block_body(n);
        }
        self.close("");
        self.depth -= 1;
    }

    fn for_stmt(&mut self) {
        self.depth += 1;
        self.loop_depth += 1;
        let trips = 1 + self.pick(if self.loop_depth > 1 { 3 } else { 6 });
        let labeled = self.loop_depth == 1 && self.chance(25);
        let label = self.fresh("L");
        let counter = self.fresh("i");
        let form = self.pick(7);
        let header = match form {
            0 | 1 => format!("for {counter} := 0; {counter} < {trips}; {counter}++"),
            2 => format!("for {counter} := range {trips}"),
            3 => format!("for range {trips}"),
            4 => {
                self.line(&format!("{counter} := 0"));
                format!("for {counter} < {trips}")
            }
            5 => {
                self.line(&format!("{counter} := 0"));
                "for".to_string()
            }
            _ => {
                self.line(&format!("{counter} := -1"));
                format!("for {counter} = range {trips}")
            }
        };
        // The label goes right before the loop it names.
        if labeled {
            self.line(&format!("{label}:"));
        }
        self.open(&header);
        match form {
            0 | 1 => {
                self.declare(&counter, Ty::Int, false);
                self.line(&format!("cs += {counter}"));
            }
            2 => {
                self.declare(&counter, Ty::Int, false);
                self.line(&format!("cs += {counter} * 5"));
            }
            3 => self.line("cs += 2"),
            4 => {
                self.line(&format!("{counter}++"));
                self.line(&format!("cs += {counter}"));
            }
            5 => {
                // The counter moves first, so no `continue` below can skip it.
                self.line(&format!("{counter}++"));
                self.line(&format!("if {counter} > {trips} {{ break }}"));
                self.line(&format!("cs += {counter}"));
            }
            _ => self.line(&format!("cs += {counter} * 3")),
        }
        if labeled {
            // An inner loop that leaves or continues the outer one by its label.
            let inner = self.fresh("j");
            self.open(&format!("for {inner} := 0; {inner} < 3; {inner}++"));
            self.declare(&inner, Ty::Int, false);
            let jump = ["break", "continue"][self.pick(2)];
            let picked = self.pick(3);
            self.line(&format!("if {inner} == {} {{ {jump} {label} }}", picked));
            self.line(&format!("cs += {inner}"));
            let n = self.pick(2);
            self.block_body(n);
            self.close("");
        }
        if self.chance(30) {
            let cond = self.bool_expr(1);
            let jump = ["break", "continue"][self.pick(2)];
            self.line(&format!("if {cond} {{ {jump} }}"));
        }
        let n = 1 + self.pick(3);
        self.block_body(n);
        self.close("");
        if form >= 4 {
            // The counter outlives the loop: its last value is part of the checksum.
            self.line(&format!("cs += {counter}"));
        }
        self.loop_depth -= 1;
        self.depth -= 1;
    }

    fn switch_stmt(&mut self) {
        self.depth += 1;
        let tagged = self.chance(60);
        if tagged && self.chance(30) {
            let t = self.fresh("t");
            let e = self.int_var_expr();
            self.open(&format!("switch {t} := {e}; {t} & 7"));
            self.declare(&t, Ty::Int, false);
        } else if tagged {
            let e = self.int_var_expr();
            self.open(&format!("switch ({e}) & 7"));
        } else {
            self.open("switch");
        }
        let mut cases: Vec<u64> = (0..8).collect();
        let n_clauses = 1 + self.pick(3);
        for _ in 0..n_clauses {
            if tagged {
                let k = 1 + self.pick(2);
                let mut labels = Vec::new();
                for _ in 0..k {
                    if cases.is_empty() {
                        break;
                    }
                    let idx = self.pick(cases.len());
                    labels.push(cases.remove(idx).to_string());
                }
                if labels.is_empty() {
                    break;
                }
                self.line(&format!("case {}:", labels.join(", ")));
            } else {
                let cond = self.bool_expr(1);
                self.line(&format!("case {cond}:"));
            }
            self.indent += 1;
            self.scopes.push(self.vars.len());
            let picked = self.pick(9);
            self.line(&format!("cs += {}", picked));
            let n = self.pick(3);
            self.block_body(n);
            let start = self.scopes.pop().expect("a clause");
            self.vars.truncate(start);
            self.indent -= 1;
        }
        if self.chance(60) {
            self.line("default:");
            self.indent += 1;
            self.line("cs--");
            self.indent -= 1;
        }
        self.close("");
        self.depth -= 1;
    }

    fn closure_stmt(&mut self) {
        self.depth += 1;
        let name = self.fresh("fn");
        match self.pick(3) {
            0 => {
                // A closure that mutates a captured variable.
                let Some(target) = self.var_of(Ty::Int, true) else {
                    self.depth -= 1;
                    return;
                };
                let (e, _) = self.int_expr(1);
                self.line(&format!("{name} := func() {{ {target} += {e} }}"));
                self.line(&format!("{name}()"));
                self.line(&format!("{name}()"));
                self.line(&format!("cs += {target}"));
            }
            1 if self.chance(30) => {
                // A closure that makes closures over its own parameter and a capture.
                let captured = self.int_var_expr();
                let made = self.fresh("g");
                self.line(&format!(
                    "{name} := func(k int) func() int {{ return func() int {{ k++; return k + ({captured}) }} }}"
                ));
                let start = self.rng.below(9);
                self.line(&format!("{made} := {name}({start})"));
                self.line(&format!("cs += {made}() + {made}()"));
            }
            1 => {
                let saved = std::mem::replace(&mut self.results, "int");
                self.open(&format!("{name} := func(x int) int"));
                self.line("cs := x");
                self.declare("x", Ty::Int, false);
                let n = 1 + self.pick(3);
                self.block_body(n);
                self.line("return cs");
                self.close("");
                self.results = saved;
                self.declare(&name, Ty::Fn, false);
                let picked = self.pick(20);
                self.line(&format!("cs += {name}({})", picked));
            }
            _ => {
                let (e, _) = self.int_expr(1);
                self.line(&format!("var {name} func(int) int"));
                self.line(&format!(
                    "if cs%2 == 0 {{ {name} = func(y int) int {{ return y - {e} }} }}"
                ));
                self.declare(&name, Ty::Fn, true);
                self.use_var(&name, Ty::Fn);
            }
        }
        self.depth -= 1;
    }

    fn call_stmt(&mut self) {
        if self.funcs.is_empty() {
            self.line("cs += call(func(z int) int { return z * z }, 3)");
            return;
        }
        let idx = self.pick(self.funcs.len());
        match self.funcs[idx] {
            Kind::Pair | Kind::Named => {
                let a = self.int_var_expr();
                let s = self.str_expr(1);
                let call = format!("f{idx}({a}, {s})");
                // Assignments to variables in scope, a result possibly blank: a string
                // result is two words, and the targets after it must get the right ones.
                let form = self.pick(4);
                let int_var = self.var_of(Ty::Int, true);
                let str_var = self.var_of(Ty::Str, true);
                match (form, int_var, str_var) {
                    (0, Some(x), Some(y)) => {
                        self.line(&format!("{x}, {y} = {call}"));
                        self.line(&format!("cs += {x} + len({y})"));
                    }
                    (1, Some(x), _) => {
                        self.line(&format!("{x}, _ = {call}"));
                        self.line(&format!("cs += {x}"));
                    }
                    (2, _, Some(y)) => {
                        self.line(&format!("_, {y} = {call}"));
                        self.line(&format!("cs += len({y})"));
                    }
                    _ => {
                        let (r, t) = (self.fresh("r"), self.fresh("t"));
                        self.line(&format!("{r}, {t} := {call}"));
                        self.line(&format!("cs += {r} + len({t})"));
                        self.declare(&r, Ty::Int, true);
                        self.declare(&t, Ty::Str, true);
                    }
                }
            }
            Kind::Factory => {
                let h = self.fresh("h");
                let a = self.int_var_expr();
                self.line(&format!("{h} := f{idx}({a})"));
                self.line(&format!("cs += call({h}, 1) + call({h}, 2)"));
                self.declare(&h, Ty::Fn, false);
            }
            Kind::Joiner | Kind::Collect | Kind::Bytes => self.l2_call_stmt(idx),
            // Not necessarily `funcs[idx]`: any function that returns one int.
            Kind::Plain | Kind::Higher | Kind::Recursive | Kind::Variadic => {
                let (call, _) = self.call_expr(0);
                self.line(&format!("cs += {call}"));
            }
        }
    }

    fn print_stmt(&mut self) {
        let mut args = Vec::new();
        for _ in 0..1 + self.pick(3) {
            args.push(match self.pick(3) {
                0 => self.int_var_expr(),
                1 => self.str_expr(1),
                _ => self.bool_expr(1),
            });
        }
        let func = ["println", "print", "fmt.Println", "fmt.Print"][self.pick(4)];
        if func.ends_with("Print") || func == "print" {
            args.push("\"\\n\"".to_string());
        }
        self.line(&format!("{func}({})", args.join(", ")));
    }

    // ---- functions and the program ----

    fn function(&mut self, idx: usize, kind: Kind) {
        let (sig, params, results): (String, &[(&str, Ty)], &'static str) = match kind {
            Kind::Plain => (
                format!("func f{idx}(a, b int) int"),
                &[("a", Ty::Int), ("b", Ty::Int)],
                "int",
            ),
            Kind::Pair => (
                format!("func f{idx}(a int, s string) (int, string)"),
                &[("a", Ty::Int), ("s", Ty::Str)],
                "int, string",
            ),
            Kind::Factory => (
                format!("func f{idx}(a int) func(int) int"),
                &[("a", Ty::Int)],
                "func",
            ),
            Kind::Higher => (
                format!("func f{idx}(h func(int) int, a int) int"),
                &[("h", Ty::Fn), ("a", Ty::Int)],
                "int",
            ),
            Kind::Recursive => (format!("func f{idx}(n int) int"), &[("n", Ty::Int)], "int"),
            Kind::Named => (
                format!("func f{idx}(a int, s string) (ri int, rs string)"),
                &[("a", Ty::Int), ("s", Ty::Str)],
                "named",
            ),
            Kind::Variadic => (
                format!("func f{idx}(a int, xs ...int) int"),
                &[("a", Ty::Int), ("xs", Ty::Ints)],
                "int",
            ),
            Kind::Joiner => (
                format!("func f{idx}(sep string, parts ...string) string"),
                &[("sep", Ty::Str), ("parts", Ty::Strs)],
                "string",
            ),
            Kind::Collect => (
                format!("func f{idx}(in []int, n int) (out []int, total int)"),
                &[("in", Ty::Ints), ("n", Ty::Int)],
                "collect",
            ),
            Kind::Bytes => (
                format!("func f{idx}(b []byte, c byte) []byte"),
                &[("b", Ty::Bytes), ("c", Ty::Byte)],
                "bytes",
            ),
        };
        self.open(&sig);
        let zero = match kind {
            Kind::Pair => " 0, \"\"",
            Kind::Factory | Kind::Bytes => " nil",
            Kind::Joiner => " \"\"",
            // The results' zero values.
            Kind::Named | Kind::Collect => "",
            Kind::Plain | Kind::Higher | Kind::Recursive | Kind::Variadic => " 1",
        };
        self.line(&format!("if fuel <= 0 {{ return{zero} }}"));
        self.line("fuel--");
        self.line("cs := 0");
        for &(name, ty) in params {
            // Ints and slices may be assigned; strings, functions and bytes stay as passed.
            let assignable = !matches!(ty, Ty::Str | Ty::Fn | Ty::Byte);
            self.declare(name, ty, assignable);
        }
        self.results = match results {
            "int" | "named" | "collect" => results,
            _ => "",
        };
        if kind == Kind::Named {
            self.declare("ri", Ty::Int, true);
            self.declare("rs", Ty::Str, true);
        }
        if kind == Kind::Collect {
            self.declare("out", Ty::Ints, true);
            self.declare("total", Ty::Int, true);
        }
        // A slice parameter or result escapes, so that its capacity is Go's heap rule.
        for &(name, ty) in params {
            if ty.is_slice() {
                self.line(&format!("{} = {name}", ty.sink()));
            }
        }
        if kind == Kind::Collect {
            self.line("sinkI = out");
        }
        self.budget = 4 + self.pick(10);
        match kind {
            Kind::Recursive => {
                self.line("if n <= 0 { return 1 }");
                self.block_body(3);
                self.line(&format!("return cs ^ f{idx}(n-1)*3"));
            }
            Kind::Factory => {
                let n = self.budget;
                self.block_body(n);
                self.line("state := a + cs");
                self.line("return func(x int) int {");
                self.line("\tstate = state*31 + x");
                self.line("\treturn state");
                self.line("}");
            }
            Kind::Higher => {
                let n = self.budget;
                self.block_body(n);
                self.line("return call(h, cs) + call(h, a)");
            }
            Kind::Pair => {
                let n = self.budget;
                self.block_body(n);
                self.line("return cs + a, s + \"!\"");
            }
            Kind::Plain => {
                let n = self.budget;
                self.block_body(n);
                self.line("return cs + a - b");
            }
            Kind::Named => {
                let n = self.budget;
                self.block_body(n);
                if self.chance(50) {
                    self.line("ri += cs + a");
                    self.line("rs = s + rs");
                    self.line("return");
                } else {
                    self.line("return ri + cs + a, rs + s");
                }
            }
            Kind::Variadic | Kind::Joiner | Kind::Collect | Kind::Bytes => {
                let n = self.budget;
                self.block_body(n);
                self.l2_function_end(kind);
            }
        }
        self.close("");
        self.line("");
    }

    fn program(&mut self, size: usize, panics: bool) {
        self.line("package main");
        self.line("");
        self.line("import \"fmt\"");
        self.line("");
        self.line("const (");
        self.line("\tk0 = iota*3 + 1");
        self.line("\tk1");
        self.line("\tk2");
        self.line(")");
        self.line("");
        self.line("var g0 = 7");
        self.line("var g1 = \"pkg\"");
        self.line("var fuel = 3000");
        self.line("var calls, total = 0, k2");
        self.line("");
        self.line("func tick(k int) bool {");
        self.line("\tcalls += k & 15");
        self.line("\treturn k%2 == 0");
        self.line("}");
        self.line("");
        self.line("func call(h func(int) int, x int) int {");
        self.line("\tif h == nil {");
        self.line("\t\treturn -1");
        self.line("\t}");
        self.line("\treturn h(x)");
        self.line("}");
        self.line("");
        if self.features.level2() {
            self.l2_prelude();
        }
        for idx in 0..size {
            let l2_kind = if self.features.level2() && self.chance(35) {
                self.l2_kind()
            } else {
                None
            };
            let kind = l2_kind.unwrap_or_else(|| match self.pick(8) {
                0 => Kind::Pair,
                1 => Kind::Factory,
                2 => Kind::Higher,
                3 => Kind::Recursive,
                4 => Kind::Named,
                _ => Kind::Plain,
            });
            self.function(idx, kind);
            self.funcs.push(kind);
        }
        self.open("func main()");
        self.line("cs := total");
        self.results = "";
        self.budget = 6 + self.pick(10);
        let n = self.budget;
        self.block_body(n);
        for idx in 0..self.funcs.len() {
            match self.funcs[idx] {
                Kind::Plain => self.line(&format!("cs += f{idx}(cs&1023, {idx})")),
                Kind::Pair => self.line(&format!(
                    "if r, t := f{idx}(cs, \"m\"); len(t) > 0 {{ cs += r }}"
                )),
                Kind::Factory => self.line(&format!("cs += call(f{idx}({idx}), cs&255)")),
                Kind::Higher => self.line(&format!(
                    "cs += f{idx}(func(x int) int {{ return x + {idx} }}, cs&63)"
                )),
                Kind::Recursive => self.line(&format!("cs += f{idx}({})", 3 + idx % 5)),
                Kind::Named => self.line(&format!(
                    "if r, t := f{idx}(cs&1023, \"n\"); len(t) > 0 {{ cs += r + len(t) }} else {{ cs -= r }}"
                )),
                Kind::Variadic => self.line(&format!("cs += f{idx}(cs&255, 1, {idx}, cs&7)")),
                Kind::Joiner => self.line(&format!(
                    "if j := f{idx}(\",\", \"m\", g1); len(j) > 0 {{ cs += len(j) }}"
                )),
                Kind::Collect => self.line(&format!(
                    "if o, t := f{idx}(gs, cs&15); len(o) >= 0 {{ cs += t + len(o) }}"
                )),
                Kind::Bytes => self.line(&format!(
                    "cs += len(f{idx}([]byte(g1), byte(cs)))"
                )),
            }
            self.line("fmt.Println(cs)");
        }
        if panics && self.chance(50) {
            self.line("zero := calls - calls");
            let l2_panic = self.features.level2() && self.chance(50) && self.l2_panic();
            if !l2_panic {
                match self.pick(5) {
                    3 => self.line("if zero == 0 { panic(\"boom\\nsecond line\" + g1) }"),
                    4 => self.line("if zero == 0 { panic(cs) }"),
                    0 => self.line("cs += cs / zero"),
                    1 => self.line("cs += cs << (zero - 1)"),
                    _ => {
                        self.line("var nf func(int) int");
                        self.line("if zero == 0 { cs += nf(cs) }");
                    }
                }
            }
        }
        self.line("fmt.Println(\"checksum\", cs, g0, g1, calls, fuel)");
        self.close("");
    }
}

impl Kind {
    /// Reports whether the function returns exactly one `int`, so its call is an expression.
    fn returns_int(self) -> bool {
        match self {
            Kind::Plain | Kind::Recursive | Kind::Higher | Kind::Variadic => true,
            Kind::Pair
            | Kind::Factory
            | Kind::Named
            | Kind::Joiner
            | Kind::Collect
            | Kind::Bytes => false,
        }
    }
}

/// Reports whether expression text `expr` names identifier `name`.
fn names(expr: &str, name: &str) -> bool {
    expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| word == name)
}
