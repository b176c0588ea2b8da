#!/usr/bin/env python3
"""Mutation testing of toyc against Go: which programs each accepts, and how they run.

The random programs of difftest.py are all valid; this covers the other half of LANGUAGE.md's
rule. It mutates the programs of the run corpus and the examples (a token deleted, replaced,
duplicated or swapped for another name of the file, a number changed, a line duplicated or
deleted) and asks both compilers about each mutant:
- toyc accepts and Go rejects: a bug (toyc must accept only valid Go);
- Go accepts and toyc rejects: a bug, unless toyc says the construct is not supported (the
  program is outside Toy) or the package is not `main` (Go builds a library, toyc programs);
- both accept: the executables must behave alike, as in difftest.py;
- toyc crashes (exit status 3 or a signal): a bug.

Usage: tests/difftest/mutants.py [--seed S] [--count N] [--jobs J] [--out DIR] [--toyc PATH]
Mutants that show a problem are saved under DIR (default target/mutants) with a description.
The same seed always gives the same mutants. Exits 1 if any mutant showed a problem.
"""

import argparse
import concurrent.futures
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from difftest import ROOT, TOYC_CONFIGS, Checker, find_go

TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`|[A-Za-z_][A-Za-z0-9_]*|0[xXbBoO]?[0-9a-fA-F_]+'
                   r'|[0-9]+|&\^=|<<=|>>=|&&|\|\||\+\+|--|==|!=|<=|>=|:=|&\^|<<|>>|[-+*/%&|^]=|\S')
OPERATORS = ["+", "-", "*", "/", "%", "&", "|", "^", "&^", "<<", ">>", "==", "!=", "<", "<=",
             ">", ">=", "&&", "||"]
TOKENS = ["(", ")", "{", "}", ";", ",", "=", ":=", "+=", "!", "^", "-", "0", "1", "x", "_",
          "nil", "true", '"s"', "func", "return", "break", "continue", "var", "const", "iota",
          "len", "int", "string", "bool", "for", "if", "else", "switch", "case", "default",
          "range", "goto", "L:"]
NUMBERS = ["0", "1", "-1", "63", "64", "9223372036854775807", "1<<62"]
# toyc's answers for programs outside what it compiles, which Go may accept.
OUTSIDE_TOY = ("is not supported", "is not a main package")


def mutate(text, rng):
    """Applies one or two random edits to `text`."""
    for _ in range(rng.randint(1, 2)):
        spans = [m.span() for m in TOKEN.finditer(text)]
        if not spans:
            break
        lo, hi = spans[rng.randrange(len(spans))]
        word = text[lo:hi]
        kind = rng.randrange(6)
        if kind == 0:
            text = text[:lo] + text[hi:]
        elif kind == 1:
            other = rng.choice(OPERATORS if word in OPERATORS else TOKENS)
            text = text[:lo] + other + text[hi:]
        elif kind == 2:
            text = text[:hi] + " " + word + text[hi:]
        elif kind == 3:
            names = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)
            text = text[:lo] + rng.choice(names) + text[hi:]
        elif kind == 4 and word.isdigit():
            text = text[:lo] + rng.choice(NUMBERS + [str(int(word) * 3)]) + text[hi:]
        else:
            lines = text.split("\n")
            at = rng.randrange(len(lines))
            if rng.random() < 0.5:
                lines.insert(at, lines[at])
            else:
                del lines[at]
            text = "\n".join(lines)
    return text


def check_mutant(checker, index, text):
    """Returns a description of what is wrong with toyc on `text`, or None."""
    tag = f"m{index}"
    d = checker.work / f"check-{tag}"
    d.mkdir(parents=True, exist_ok=True)
    (d / "prog.toy").write_text(text)
    check = subprocess.run([checker.toyc, "check", "prog.toy"], cwd=d, capture_output=True)
    if check.returncode not in (0, 1):
        return f"toyc check crashed ({check.returncode}):\n" \
            + check.stderr.decode("utf-8", "replace")[-2000:]
    message = check.stderr.decode("utf-8", "replace")
    if check.returncode == 1 and any(reason in message for reason in OUTSIDE_TOY):
        # Outside Toy; Go may accept it, and for a package other than main it builds an
        # archive, not a program to run.
        return None
    want = checker.go_outcome(text, tag)
    if check.returncode == 1:
        if want is not None:
            return "Go accepts, toyc rejects:\n" + message[:2000]
        return None
    if want is None:
        return "toyc accepts, Go rejects"
    if want[1] == "timeout":
        return None
    got, problem = checker.toyc_outcome(text, tag, TOYC_CONFIGS[:2])
    if problem:
        return problem
    for name, ours, theirs in zip(("stdout", "stderr", "exit status"), got, want):
        if ours != theirs:
            return f"{name} differs"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", default=str(ROOT / "target" / "mutants"))
    parser.add_argument("--toyc", help="the toyc binary to test (default: this checkout's)")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    toyc = str(Path(args.toyc).resolve()) if args.toyc else str(target / "release" / "toyc")
    sources = sorted((ROOT / "tests" / "data" / "run").glob("*.toy")) \
        + sorted((ROOT / "examples").glob("*.toy"))
    rng = random.Random(args.seed)
    mutants = {}
    for _ in range(args.count):
        source = rng.choice(sources).read_text()
        text = mutate(source, rng)
        if text != source:
            mutants.setdefault(text, len(mutants))
    out = Path(args.out)
    started = time.time()
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        checker = Checker(toyc, find_go(), work)
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {pool.submit(check_mutant, checker, index, text): (index, text)
                       for text, index in mutants.items()}
            for future in concurrent.futures.as_completed(futures):
                problem = future.result()
                if problem is None:
                    continue
                index, text = futures[future]
                failures += 1
                out.mkdir(parents=True, exist_ok=True)
                name = f"seed-{args.seed}-{index}"
                (out / f"{name}.toy").write_text(text)
                (out / f"{name}.txt").write_text(problem + "\n")
                print(f"mutant {index}: {problem.splitlines()[0]} -> {out}/{name}.toy",
                      flush=True)
    elapsed = time.time() - started
    print(f"mutants: {len(mutants)} distinct mutants, {failures} with a problem, {elapsed:.0f} s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
