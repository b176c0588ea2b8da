#!/usr/bin/env bash
# toyc and the Go compiler side by side on the same generated programs.
# For each program: the compile of the package alone (`go tool compile -c N`, against the
# export data of fmt, as `go build` invokes it) and `toyc build -c N` (parse to executable on
# disk) at N = 1 and 2, with wall time (median of RUNS), lines per second, speedup of N=2
# over N=1 and peak memory (maximum resident set, from /usr/bin/time); then `go build` end to
# end with a cold build cache (which also compiles the standard library packages fmt needs)
# once, for scale.
# Usage: benches/vs_go.sh   (RUNS=N to change; FUNCS="2000 5000", SHAPES="small closures")
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
funcs_list=${FUNCS:-"2000"}
shapes=${SHAPES:-"small closures"}
# shellcheck source=tests/oracle/go.sh
source "$root/tests/oracle/go.sh"

(cd "$root" && cargo build --release --quiet)
toyc="$root/target/release/toyc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOCACHE="$work/gocache" GOPATH="$work/gopath"
fmt_export=$("$go_bin" list -export -f '{{.Export}}' fmt)
echo "packagefile fmt=$fmt_export" >"$work/importcfg"

# Prints "seconds peak_kb" for one run of "$@".
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
    cat "$work/time"
}

# Prints the median wall time and the largest peak memory of RUNS runs of "$@".
median_of() {
    : >"$work/runs"
    for _ in $(seq "$runs"); do
        measure "$@" >>"$work/runs"
    done
    sort -n "$work/runs" | awk '{ t[NR] = $1; if ($2 > m) m = $2 } END { print t[int((NR + 1) / 2)], m }'
}

echo "Machine: $(nproc) CPUs; $("$go_bin" version | cut -d' ' -f3); median of $runs runs"
echo
echo "| program | lines | compiler | N | wall (s) | lines/s | speedup N=2 | peak memory (MB) |"
echo "|---|---:|---|---:|---:|---:|---:|---:|"
for shape in $shapes; do
    for funcs in $funcs_list; do
        name="$shape-$funcs"
        "$toyc" gen --funcs "$funcs" --shape "$shape" --seed 1 >"$work/$name.toy"
        cp "$work/$name.toy" "$work/$name.go"
        lines=$(wc -l <"$work/$name.toy")
        for compiler in go toyc; do
            t1=""
            for n in 1 2; do
                if [[ $compiler == go ]]; then
                    read -r t mem < <(median_of "$go_bin" tool compile -p main -importcfg \
                        "$work/importcfg" -c "$n" -o "$work/$name.a" "$work/$name.go")
                else
                    read -r t mem < <(median_of "$toyc" build "$work/$name.toy" -o \
                        "$work/$name.bin" -c "$n" --procs "$n")
                fi
                [[ -z $t1 ]] && t1=$t
                speedup=$([[ $n == 2 ]] && echo "scale=2; $t1 / $t" | bc || echo "")
                echo "| $name | $lines | $compiler | $n | $t | $(echo "$lines / $t" | bc) |" \
                    "$speedup | $((mem / 1024)) |"
            done
        done
    done
done

echo
name="small-${funcs_list%% *}"
rm -rf "$GOCACHE"
read -r t mem < <(measure "$go_bin" build -o "$work/$name.gobin" "$work/$name.go")
echo "go build $name.go end to end, cold cache: $t s, peak $((mem / 1024)) MB" \
    "($(echo "$(wc -l <"$work/$name.go") / $t" | bc) lines/s of the program)"
