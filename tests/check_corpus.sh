#!/usr/bin/env bash
# Builds every program of the run corpus (tests/data/run/*.toy and examples/*.toy) with
# `toyc build --check`, which runs the SSA verifier after every pass, and runs it: its
# standard output and exit status must be those Go's executable gave (NAME.stdout and
# NAME.status beside it, recorded by tests/oracle/record.sh). `cargo test` does the same
# with a debug build, where the verifier is always on; this script is for a release build,
# whose optimizations the verifier then runs under too. Standard error is compared by
# `cargo test` only.
#
# Usage: tests/check_corpus.sh [TOYC]   (default: target/release/toyc, from
# `cargo build --release`)
set -euo pipefail
cd "$(dirname "$0")/.."

toyc=${1:-target/release/toyc}
if [ ! -x "$toyc" ]; then
    echo "check_corpus.sh: no toyc at $toyc; build it with cargo build --release" >&2
    exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

n_programs=0
failures=0
fail() {
    echo "check_corpus.sh: $1" >&2
    failures=$((failures + 1))
}
for file in tests/data/run/*.toy examples/*.toy; do
    n_programs=$((n_programs + 1))
    base=${file%.toy}
    exe=$work/$(basename "$base")
    if ! "$toyc" build --check -o "$exe" "$file" 2>"$work/build.err"; then
        fail "$file: toyc build --check failed:"
        cat "$work/build.err" >&2
        continue
    fi
    status=0
    # As the tests run it: no input, and a watchdog for a program that hangs.
    timeout 60 "$exe" </dev/null >"$work/stdout" 2>/dev/null || status=$?
    if ! cmp -s "$work/stdout" "$base.stdout"; then
        fail "$file: standard output differs from $base.stdout"
    fi
    want=$(cat "$base.status")
    if [ "$status" != "$want" ]; then
        fail "$file: exit status $status (want $want)"
    fi
    rm -f "$exe"
done
if [ "$failures" -gt 0 ]; then
    echo "check_corpus.sh: $failures failures in $n_programs programs" >&2
    exit 1
fi
echo "check_corpus.sh: $n_programs programs built with --check behave as Go's"
