//! Generates Toy programs for benchmarks: many functions of a chosen shape, deterministic for
//! a seed, valid in Toy and in Go alike.
//!
//! Every generated function takes `(a, b int)` and returns an `int`. Its body declares
//! locals and uses each of them, so the programs pass Go's "declared and not used" rule; it
//! loops only a bounded number of times; and it calls at most one function with a smaller
//! index, so running a program costs time linear in its size. `main` calls the last
//! function and prints the result.
//!
//! Shapes:
//! - `small`: every function has a handful of statements;
//! - `mixed`: mostly small functions, with one in a hundred a hundred times larger;
//! - `heavy-tail`: statement counts drawn from a Pareto distribution;
//! - `closures`: every function creates and calls several function literals, and stores
//!   each in a package-level variable, so that it escapes and is compiled as a unit of its
//!   own (a literal whose calls were all inlined would not be, in Go or in toyc);
//! - `deep-closures`: every function nests literals inside literals, each creating the next,
//!   so that compiling one unit produces the next along a long chain;
//! - `mixed-slices`: the sizes of `mixed`, half the statements Level 2's: slices made,
//!   filled, appended to, ranged over and sliced, bytes, slices of strings and
//!   `fmt.Sprintf`.

pub mod random;

use std::fmt::Write;

/// The shape of a generated program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Many small functions.
    Small,
    /// Small functions with a few huge ones among them.
    Mixed,
    /// Function sizes drawn from a heavy-tailed distribution.
    HeavyTail,
    /// Functions that create many closures.
    Closures,
    /// Functions with deep chains of nested closures.
    DeepClosures,
    /// The sizes of `Mixed`, with Level 2's slices, bytes and `Sprintf` in half the
    /// statements.
    MixedSlices,
}

impl Shape {
    /// Every shape, in the order the documentation lists them.
    pub const ALL: [Shape; 6] = [
        Shape::Small,
        Shape::Mixed,
        Shape::HeavyTail,
        Shape::Closures,
        Shape::DeepClosures,
        Shape::MixedSlices,
    ];
}

/// A small deterministic generator (xorshift64*), so that a seed fixes the program.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Returns a number in `0..n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Returns a program of `n_funcs` functions (at least one) of the given shape.
pub fn generate(shape: Shape, n_funcs: usize, seed: u64) -> String {
    let n_funcs = n_funcs.max(1);
    let mut rng = Rng::new(seed);
    let mut out =
        String::from("package main\n\nimport \"fmt\"\n\nconst (\n\tbase = iota + 3\n\tstep\n)\n");
    if shape == Shape::Closures {
        out.push_str("\n// keep holds every closure made, so that each is compiled.\nvar keep func(int) int\n");
    }
    for idx in 0..n_funcs {
        let n_stmts = match shape {
            Shape::Small | Shape::Closures | Shape::DeepClosures => 4 + rng.below(5) as usize,
            Shape::Mixed | Shape::MixedSlices if rng.below(100) == 0 => {
                400 + rng.below(200) as usize
            }
            Shape::Mixed | Shape::MixedSlices => 4 + rng.below(5) as usize,
            Shape::HeavyTail => pareto(&mut rng, 3.0, 1.2, 2000),
        };
        function(&mut out, &mut rng, shape, idx, n_stmts);
    }
    let _ = writeln!(
        out,
        "\nfunc main() {{\n\tfmt.Println(\"result:\", f{}(3, 4))\n}}",
        n_funcs - 1
    );
    out
}

/// Draws from a Pareto distribution with the given minimum and shape, capped.
fn pareto(rng: &mut Rng, min: f64, alpha: f64, cap: usize) -> usize {
    let uniform = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    let value = min / (1.0 - uniform).powf(1.0 / alpha);
    (value as usize).min(cap)
}

fn function(out: &mut String, rng: &mut Rng, shape: Shape, idx: usize, n_stmts: usize) {
    let _ = writeln!(
        out,
        "\n// f{idx} is generated.\nfunc f{idx}(a, b int) int {{"
    );
    out.push_str("\tacc := a ^ b\n");
    let mut n_locals = 0;
    for _ in 0..n_stmts {
        if shape == Shape::MixedSlices && rng.below(2) == 0 {
            slice_statement(out, rng, &mut n_locals);
        } else {
            statement(out, rng, &mut n_locals);
        }
    }
    match shape {
        Shape::Closures => {
            for closure in 0..3 {
                let k = rng.below(7) + 1;
                let _ = writeln!(
                    out,
                    "\tadd{closure} := func(x int) int {{\n\t\tacc += x\n\t\treturn acc * {k}\n\t}}\n\tacc = add{closure}(b) - acc\n\tkeep = add{closure}"
                );
            }
        }
        Shape::DeepClosures => deep_closure(out, 8 + rng.below(8) as usize),
        Shape::Small | Shape::Mixed | Shape::HeavyTail | Shape::MixedSlices => {}
    }
    if idx > 0 {
        // At most one call of an earlier function, so running costs linear time.
        let callee = rng.below(idx as u64);
        let _ = writeln!(
            out,
            "\tif acc%2 == 0 {{\n\t\tacc += f{callee}(b, acc%5)\n\t}}"
        );
    }
    out.push_str("\treturn acc\n}\n");
}

/// Writes a chain of `depth` literals, each returning the next, and calls through it.
fn deep_closure(out: &mut String, depth: usize) {
    // Built from the inside out: `lit` has type `ty`, and each wrapper returns the previous.
    let mut lit = String::from("func() int { return acc + 1 }");
    let mut ty = String::from("func() int");
    for _ in 0..depth {
        lit = format!("func() {ty} {{\n\treturn {lit}\n}}");
        ty = format!("func() {ty}");
    }
    let _ = writeln!(out, "\tchain := {lit}");
    out.push_str("\tacc += chain()");
    for _ in 0..depth {
        out.push_str("()");
    }
    out.push('\n');
}

/// Writes one statement that declares or updates locals and reads what it declares.
fn statement(out: &mut String, rng: &mut Rng, n_locals: &mut usize) {
    match rng.below(6) {
        0 => {
            let name = format!("v{n_locals}");
            *n_locals += 1;
            let k = rng.below(97) + 1;
            let _ = writeln!(out, "\t{name} := acc*{k} + b\n\tacc += {name} % base");
        }
        1 => {
            let k = rng.below(5) + 1;
            let _ = writeln!(
                out,
                "\tfor i := 0; i < b%{k}+1; i++ {{\n\t\tacc += i << step\n\t}}"
            );
        }
        2 => {
            let k = rng.below(13) + 2;
            let _ = writeln!(
                out,
                "\tif acc%{k} == 0 && a > 0 {{\n\t\tacc -= a\n\t}} else {{\n\t\tacc += {k}\n\t}}"
            );
        }
        3 => {
            let _ = writeln!(
                out,
                "\tswitch r := acc % 3; r {{\n\tcase 0, 1:\n\t\tacc += r\n\tdefault:\n\t\tacc -= b\n\t}}"
            );
        }
        4 => {
            let name = format!("s{n_locals}");
            *n_locals += 1;
            let _ = writeln!(
                out,
                "\t{name} := \"ab\"\n\tif acc > 0 {{\n\t\t{name} += \"c\"\n\t}}\n\tacc += len({name})"
            );
        }
        _ => {
            let k = rng.below(31) + 1;
            let _ = writeln!(
                out,
                "\tfor j := range {k} {{\n\t\tif j > b {{\n\t\t\tbreak\n\t\t}}\n\t\tacc ^= j\n\t}}"
            );
        }
    }
}

/// Writes one statement of Level 2 that declares a slice and reads what it declares.
fn slice_statement(out: &mut String, rng: &mut Rng, n_locals: &mut usize) {
    let name = format!("xs{n_locals}");
    *n_locals += 1;
    match rng.below(5) {
        0 => {
            let k = rng.below(7) + 1;
            let _ = writeln!(
                out,
                "\t{name} := make([]int, b%{k}+1)\n\tfor i := range {name} {{\n\t\t{name}[i] = acc + i\n\t}}\n\tacc += {name}[len({name})-1]"
            );
        }
        1 => {
            let k = rng.below(97) + 1;
            let _ = writeln!(
                out,
                "\t{name} := []int{{a, b, acc}}\n\t{name} = append({name}, acc*{k})\n\tfor _, x := range {name}[1:] {{\n\t\tacc ^= x\n\t}}"
            );
        }
        2 => {
            let _ = writeln!(
                out,
                "\t{name} := []byte(\"abc\")\n\t{name}[0] += byte(acc)\n\tacc += int({name}[0]) + len({name}[1:])"
            );
        }
        3 => {
            let _ = writeln!(
                out,
                "\t{name} := []string{{\"x\", \"yz\"}}\n\tacc += len({name}[acc&1])"
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "\t{name} := fmt.Sprintf(\"%d|%5s|%x\", acc, \"ab\", b)\n\tacc += len({name})"
            );
        }
    }
}

#[cfg(test)]
mod tests;
