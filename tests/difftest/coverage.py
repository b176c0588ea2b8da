#!/usr/bin/env python3
"""Which constructs the random programs of `toyc gen-test` use, and how often.

Generates the programs of a seed range and prints, for each construct, the share of programs
that contain it (matched on the generated text); with `--gen-args="--level 2 ..."`, the
Level 2 constructs too.
Usage: tests/difftest/coverage.py [--seeds A:B] [--panics] [--toyc PATH] [--gen-args=ARGS]
"""

import argparse
import re
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CONSTRUCTS = [
    ("package-level const group with iota", r"^\tk0 = iota"),
    ("package-level vars, one with two names", r"^var calls, total = "),
    ("function with several parameters", r"^func f\d+\(a, b int\) int"),
    ("function with two results; `x, y := f()`", r"^\t+\w+, \w+ := f\d+\("),
    ("function returning a closure (escaping, mutating its capture)", r"func f\d+\(a int\) func\(int\) int"),
    ("function taking a function value", r"func f\d+\(h func\(int\) int"),
    ("bounded recursion", r"^func f\d+\(n int\) int"),
    ("function with named results", r"^func f\d+\(a int, s string\) \(ri int, rs string\)"),
    ("bare return", r"\breturn( \})?$"),
    ("named result shadowed in a block", r"^\t+r[is] := "),
    ("closure assigning a captured variable", r":= func\(\) \{ \w+ \+= "),
    ("closure with parameters and its own locals", r":= func\(x int\) int \{$"),
    ("closure making closures", r"func\(k int\) func\(\) int"),
    ("function value compared with nil", r"(==|!=) nil"),
    ("function value possibly nil, called through a check", r"var fn\d+ func\(int\) int"),
    ("three-clause for", r"for \w+ := 0; \w+ < \d+; \w+\+\+"),
    ("for i := range n", r"for \w+ := range \d+"),
    ("for range n", r"for range \d+"),
    ("for i = range n", r"for \w+ = range \d+"),
    ("for cond", r"for \w+ < \d+ \{"),
    ("for {} with break", r"^\t+for \{$"),
    ("labeled break or continue", r"(break|continue) L\d+"),
    ("break or continue", r"\{ (break|continue) \}"),
    ("switch with tag and multi-value cases", r"case \d+, \d+"),
    ("switch with init", r"switch \w+ := .*; "),
    ("tagless switch", r"^\t+switch \{$"),
    ("default clause", r"^\t+default:"),
    ("if with init", r"if \w+ := .*; "),
    ("else if", r"\} else if "),
    ("else", r"\} else \{"),
    ("nested block shadowing a name", r"^\t* \{$"),
    ("var with type", r"var \w+ (bool|int)"),
    ("var with two names, tuple swap", r"var \w+, \w+ = "),
    ("const in a function; const group with iota", r"const \(\w+ = iota"),
    ("var ( … ) group in a function", r"^\t+var \($"),
    ("conversion int(x)", r"\bint\("),
    ("conversion string(s)", r"\bstring\("),
    ("conversion bool(b)", r"\bbool\("),
    ("conversion to a function type, bare or parenthesized", r"func\(int\) int\(|\(func\(x int\) int\)\("),
    ("+= -= *= &= |= ^= &^=", r" (\+|-|\*|&|\||\^|&\^)= "),
    ("/= %= (non-zero divisor)", r" (/|%)= \("),
    ("<<= >>=", r" (<<|>>)= "),
    ("x++ / x--", r"\w(\+\+|--)$"),
    ("division and remainder by a variable", r" (/|%) \(.*\| 1\)"),
    ("MinInt64 / -1 possible", r"\(-9223372036854775807 - 1\) (/|%) \("),
    ("shift by a variable count up to 70", r"& 127\) % 71\)"),
    ("shift by a constant count of 64 to 70", r"(<<|>>) (6[4-9]|70)\)"),
    ("&^ operator", r" &\^ "),
    ("unary - ^ +", r"[(\s][-^+]\("),
    ("string concatenation", r"\+ \""),
    ("string comparison", r"(\"|g1|s\d+) (<|==|!=|>=) "),
    ("len of a string", r"len\("),
    ("min / max", r"\b(min|max)\("),
    ("&& / || with side effects", r"tick\(.*(&&|\|\|)"),
    ("println", r"\bprintln\("),
    ("print", r"\bprint\("),
    ("fmt.Println", r"fmt\.Println\("),
    ("fmt.Print", r"fmt\.Print\("),
    ("literals: hex, octal, binary, separators", r"\b(0x|0o|0b|1_)"),
    ("raw and escaped strings", r"`raw"),
    ("run-time panic: integer divide by zero", r"cs / zero"),
    ("run-time panic: negative shift amount", r"\(zero - 1\)"),
    ("run-time panic: nil function value", r"nf\(cs\)"),
    ("panic(string) / panic(int)", r"panic\("),
]

LEVEL2_CONSTRUCTS = [
    ("byte variable", r"var b\d+ byte = |b\d+ := byte\("),
    ("byte arithmetic, assignment operators", r"^\t+b\d+ (\+|-|\*|&|\||\^|&\^|/|%|<<|>>)= "),
    ("rune literal as an int", r"int\('|\('.+' - "),
    ("string indexed", r"int\((s\d+|g1|s|rs|sep)\["),
    ("string(b), string(i)", r"string\((gb|b\d+|byte)"),
    ("[]byte(s)", r"\[\]byte\("),
    ("string(bs)", r"string\((bs|sl|al|b)\d*\)"),
    ("append(bs, s...)", r"append\(\w+, [^.]*(g1|\"|s\d+)\.\.\.\)"),
    ("slice of []int", r"\[\]\[\]int\{|make\(\[\]\[\]int"),
    ("slice of functions", r"\[\]func\(int\) int\{|make\(\[\]func"),
    ("make with length; with capacity", r"make\(\[\]"),
    ("keyed composite literal", r"\{[^{}]*\d: "),
    ("typed nil slice", r"\]\w+\(nil\)|\]func\(int\) int\(nil\)"),
    ("index assignment under a length check", r"if len\(\w+\) > 0 \{ \w+\[.*\] (=|\+=)"),
    ("3-index slice", r"\[min\(.*\):min\(.*\):min\("),
    ("slice up to cap", r":min\(\d+, cap\("),
    ("append of several elements", r"append\(\w+, [^.]+, "),
    ("append of t...", r"append\(\w+, \w+\.\.\.\)"),
    ("append sharing an array", r"al\d+ := append\("),
    ("copy, overlapping", r"copy\((\w+)\[min.*, \1\)|copy\((\w+), \2\["),
    ("cap of an escaping slice", r"cap\(\w+\)"),
    ("range over a slice, both variables", r"for \w+, \w+ := range "),
    ("for i, v = range s", r"for \w+, \w+ = range "),
    ("closures capturing per-iteration variables", r"func\(\) int \{ return i\d+\*10"),
    ("variadic function, f(s...)", r"(sum|f\d+)\([^()]*\.\.\.\)"),
    ("variadic strings, named slice results", r"parts \.\.\.string|\(out \[\]int, total int\)"),
    ("fmt.Println of slices", r"fmt\.Println\((sl|al|bs|gr|o)\d+"),
    ("fmt.Printf", r"fmt\.Printf\("),
    ("fmt.Sprintf", r"fmt\.Sprintf\("),
    ("Printf width and flags", r"%-?0?\d+[dvstxXcq]"),
    ("run-time panic: bounds", r"ps\[|g1\[zero|\w\[\d\]\)?$"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="0:1000")
    parser.add_argument("--panics", action="store_true")
    parser.add_argument("--toyc", default=str(ROOT / "target" / "release" / "toyc"))
    parser.add_argument("--gen-args", default="",
                        help="further arguments of toyc gen-test, as one string")
    args = parser.parse_args()
    first, last = (int(part) for part in args.seeds.split(":"))
    gen_args = shlex.split(args.gen_args)
    constructs = CONSTRUCTS + (LEVEL2_CONSTRUCTS if "--level" in gen_args else [])
    counts = [0] * len(constructs)
    patterns = [re.compile(p, re.M) for _, p in constructs]
    for seed in range(first, last):
        cmd = [args.toyc, "gen-test", "--seed", str(seed)] + gen_args \
            + (["--panics"] if args.panics else [])
        text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        for idx, pattern in enumerate(patterns):
            if pattern.search(text):
                counts[idx] += 1
    n = last - first
    print(f"| construct | share of {n} programs{' (--panics)' if args.panics else ''} |")
    print("|---|---:|")
    for (name, _), count in zip(constructs, counts):
        print(f"| {name} | {100 * count / n:.0f} % |")


if __name__ == "__main__":
    main()
