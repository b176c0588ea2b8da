#!/usr/bin/env bash
# Sums the machine-code bytes of every function of the run corpus, for toyc and for Go, and
# prints the two totals and their ratio (the code-size target of the rewrite rules).
# toyc: the `NAME STEXT size=N` headers of `toyc build -S`. Go: the same headers of
# `go build -gcflags=-S`, for the `main.` functions, leaving out Go's copies of closures
# inlined at each call site (their names hold a `#`). A program is counted only where both
# compile it (the run corpus is valid Go throughout).
# Usage: benches/codesize.sh [TOYC]   (TOYC defaults to a release build; VERBOSE=1 prints
# one line per program)
# Go is found as in benches/runtime.sh.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tests/oracle/go.sh
source "$root/tests/oracle/go.sh"

if [[ $# -ge 1 ]]; then
    toyc=$(realpath "$1")
else
    (cd "$root" && cargo build --release --quiet)
    toyc="$root/target/release/toyc"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A cache of its own: a cached package prints no listing.
export GOCACHE="$work/cache"

# Sums the size= of the STEXT headers on standard input whose names start with `main.` and
# hold no `#`.
sum_sizes() {
    awk '$2 == "STEXT" && $1 ~ /^main\./ && $1 !~ /#/ {
             for (i = 3; i <= NF; i++) if ($i ~ /^size=/) { sub("size=", "", $i); s += $i }
         } END { print s + 0 }'
}

toyc_total=0
go_total=0
count=0
for src in "$root"/tests/data/run/*.toy; do
    name=$(basename "$src" .toy)
    dir="$work/$name"
    mkdir -p "$dir"
    cp "$src" "$dir/main.go"
    toyc_size=$("$toyc" build -S -o "$dir/toyc.out" "$src" 2>/dev/null | sum_sizes) || continue
    go_size=$("$go_bin" build -gcflags=-S -o "$dir/go.out" "$dir/main.go" 2>&1 | sum_sizes) || continue
    [[ $toyc_size -gt 0 && $go_size -gt 0 ]] || continue
    if [[ -n ${VERBOSE:-} ]]; then
        echo "$name toyc=$toyc_size go=$go_size"
    fi
    toyc_total=$((toyc_total + toyc_size))
    go_total=$((go_total + go_size))
    count=$((count + 1))
done
echo "programs: $count"
echo "toyc bytes: $toyc_total"
echo "go bytes:   $go_total"
echo "toyc / go:  $(echo "scale=3; $toyc_total / $go_total" | bc)"
