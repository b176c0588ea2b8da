#!/usr/bin/env bash
# Two builds of toyc side by side, to measure what a change does to build time: for each
# generated program, RUNS rounds of one build by each, interleaved (this machine's speed
# drifts over minutes, so both medians must see the same stretch of time), at each worker
# count in NS. Prints the median wall time of each, their ratio and the peak memory.
# Usage: benches/compare.sh OLD_TOYC NEW_TOYC   (RUNS=21, NS="1 2", FUNCS="2000 5000",
# SHAPES="small mixed heavy-tail closures"). Both are paths to release builds, for example
# of a `git worktree` of the commit before a change and of the change.
set -euo pipefail

if [[ $# != 2 ]]; then
    echo "usage: $0 OLD_TOYC NEW_TOYC" >&2
    exit 2
fi
old=$1
new=$2
runs=${RUNS:-21}
ns=${NS:-"1 2"}
funcs_list=${FUNCS:-"2000 5000"}
shapes=${SHAPES:-"small mixed heavy-tail closures"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Appends "microseconds peak_kb" for one run of "$@" to file $1.
measure() {
    local out=$1
    shift
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$work/mem" "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo "$(((end - start) / 1000)) $(cat "$work/mem")" >>"$out"
}

# Prints the median wall time (milliseconds) and the largest peak memory (MB) of file $1.
median_of() {
    sort -n "$1" | awk '{ t[NR] = $1; if ($2 > m) m = $2 }
        END { printf "%.1f %d\n", t[int((NR + 1) / 2)] / 1e3, m / 1024 }'
}

echo "Machine: $(nproc) CPUs; median of $runs interleaved builds each"
echo
echo "| program | N | old (ms) | new (ms) | old / new | old peak (MB) | new peak (MB) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for shape in $shapes; do
    for funcs in $funcs_list; do
        name="$shape-$funcs"
        "$new" gen --funcs "$funcs" --shape "$shape" --seed 1 >"$work/$name.toy"
        for n in $ns; do
            rm -f "$work"/runs.*
            for _ in $(seq "$runs"); do
                measure "$work/runs.old" "$old" build "$work/$name.toy" -o "$work/old.bin" \
                    -c "$n" --procs "$n"
                measure "$work/runs.new" "$new" build "$work/$name.toy" -o "$work/new.bin" \
                    -c "$n" --procs "$n"
            done
            read -r t_old mem_old < <(median_of "$work/runs.old")
            read -r t_new mem_new < <(median_of "$work/runs.new")
            echo "| $name | $n | $t_old | $t_new | $(echo "scale=3; $t_old / $t_new" | bc) |" \
                "$mem_old | $mem_new |"
        done
    done
done
