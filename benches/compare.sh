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

# shellcheck source=benches/measure.sh
source "$(dirname "${BASH_SOURCE[0]}")/measure.sh"

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
            read -r us_old kb_old < <(median_of "$work/runs.old")
            read -r us_new kb_new < <(median_of "$work/runs.new")
            awk -v name="$name" -v n="$n" -v old="$us_old" -v new="$us_new" \
                -v kb_old="$kb_old" -v kb_new="$kb_new" 'BEGIN {
                    printf "| %s | %d | %.1f | %.1f | %.3f | %d | %d |\n", name, n,
                        old / 1e3, new / 1e3, old / new, kb_old / 1024, kb_new / 1024 }'
        done
    done
done
