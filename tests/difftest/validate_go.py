#!/usr/bin/env python3
"""Checks the random programs of `toyc gen-test` against Go alone, for a level toyc does not
compile yet.

For each seed, with and without `--panics`, the program is generated with the given
`gen-test` arguments; Go builds all of them (as the packages of one module, a batch at a
time, `go build -p JOBS`) and runs each twice. Every program must build with no error (an
unused variable or import counts), run within the time limit, end with status 0 (or, with
`--panics`, 2 after a `panic:` line), and give the same stdout, the same stderr up to its
first `panic:` or `fatal error:` line and the same status both times. Problems are listed,
and the failing programs saved in the output directory.

Usage: tests/difftest/validate_go.py [--seeds A:B] [--size N] [--gen-args ARGS]
                                     [--jobs J] [--timeout S] [--toyc PATH] [--out DIR]
--gen-args defaults to "--level 2 --features all". The generator is --toyc, else this
checkout's debug build (built first). Go is found as difftest.py finds it. Exits 1 if any
program failed a check.
"""

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from difftest import ROOT, cut_stderr, find_go, go_env

BATCH = 100


def run_twice(exe, timeout):
    """Runs `exe` twice; returns its outcome and a problem (None if none)."""
    outcomes = []
    for _ in range(2):
        started = time.time()
        try:
            proc = subprocess.run([exe], stdin=subprocess.DEVNULL, capture_output=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, f"ran past {timeout} s"
        outcomes.append((proc.stdout, cut_stderr(proc.stderr), proc.returncode))
        if time.time() - started > timeout:
            return None, f"ran past {timeout} s"
    if outcomes[0] != outcomes[1]:
        return None, "two runs differ"
    return outcomes[0], None


def check_outcome(outcome, panics):
    stdout, stderr, status = outcome
    if status == 0:
        return None
    panicked = any(line.startswith("panic: ") for line in stderr.splitlines())
    if panics and status == 2 and panicked:
        return None
    return f"exit status {status}: {stderr.strip()[-300:]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="0:500", help="A:B, the seeds A..B-1")
    parser.add_argument("--size", type=int, default=8)
    parser.add_argument("--gen-args", default="--level 2 --features all",
                        help="further arguments of toyc gen-test, as one string")
    parser.add_argument("--jobs", type=int, default=2, help="go build -p, and runs at once")
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds a run may take")
    parser.add_argument("--toyc", help="the toyc binary that generates the programs")
    parser.add_argument("--out", default=str(ROOT / "target" / "validate-go"))
    args = parser.parse_args()
    first, last = (int(part) for part in args.seeds.split(":"))

    if args.toyc:
        toyc = str(Path(args.toyc).resolve())
    else:
        subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, check=True)
        target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
        toyc = str(target / "debug" / "toyc")
    go = find_go()
    out = Path(args.out)
    gen_args = shlex.split(args.gen_args)
    cases = [(seed, panics) for seed in range(first, last) for panics in (False, True)]
    problems = {}
    started = time.time()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        env = go_env(work)
        env["GO111MODULE"] = "on"
        (work / "go.mod").write_text("module gentest\n\ngo 1.22\n")
        texts = {}
        for seed, panics in cases:
            name = f"s{seed}" + ("p" if panics else "")
            gen = [toyc, "gen-test", "--seed", str(seed), "--size", str(args.size)] + gen_args
            if panics:
                gen.append("--panics")
            text = subprocess.run(gen, capture_output=True, check=True, text=True).stdout
            (work / name).mkdir()
            (work / name / "main.go").write_text(text)
            texts[name] = text
        names = list(texts)
        for start in range(0, len(names), BATCH):
            batch = names[start:start + BATCH]
            build = subprocess.run([go, "build", "-p", str(args.jobs), "-o", str(work / "bin") + "/"]
                                   + [f"./{name}" for name in batch],
                                   cwd=work, capture_output=True, env=env, text=True)
            for name in batch:
                exe = work / "bin" / name
                if not exe.exists():
                    errors = [line for line in build.stderr.splitlines()
                              if line.startswith(f"{name}/")]
                    problems[name] = "go build failed:\n" + "\n".join(errors[:10])
                    continue
                outcome, problem = run_twice(str(exe), args.timeout)
                if problem is None:
                    problem = check_outcome(outcome, name.endswith("p"))
                if problem is not None:
                    problems[name] = problem
    for name, problem in sorted(problems.items()):
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{name}.go").write_text(texts[name])
        print(f"{name}: {problem} -> {out}/{name}.go", flush=True)
    elapsed = time.time() - started
    print(f"validate_go: {len(cases)} programs, {len(problems)} failed, {elapsed:.0f} s")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
