#!/usr/bin/env bash
# Back-end scaling of `toyc build` per queue strategy: the back end's wall time (from
# `--timings`) on a generated closure-heavy program, median of RUNS builds each (runs
# interleaved, so drift hits every configuration alike), at -c 1, -c 2, -c 8 (which runs at
# most as many threads as CPUs, as GOMAXPROCS caps Go) and -c 8 --procs 8 (eight threads
# whatever the CPUs: real oversubscription). Prints the ratios the parallel driver's
# targets are stated in: speedup of -c 2 over -c 1, and -c 8 against -c 2.
# Usage: benches/scaling.sh   (RUNS=N, FUNCS=N, SHAPE=closures|deep-closures|... to change)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-7}
funcs=${FUNCS:-5000}
shape=${SHAPE:-closures}

(cd "$root" && cargo build --release --quiet)
toyc="$root/target/release/toyc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$toyc" gen --funcs "$funcs" --shape "$shape" --seed 1 >"$work/prog.toy"
n_funcs=$("$toyc" build "$work/prog.toy" -o "$work/prog" -c 1 --timings 2>&1 |
    awk '$1 == "0" { print $2 }')

backend_ms() {
    "$toyc" build "$work/prog.toy" -o "$work/prog" "$@" --timings 2>&1 |
        awk '$1 == "back" && $2 == "end" && NF == 3 { print $3 }'
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

strategies="go stack channel steal"
configs=("-c 1" "-c 2" "-c 8" "-c 8 --procs 8")
for _ in $(seq "$runs"); do
    for queue in $strategies; do
        for idx in "${!configs[@]}"; do
            # shellcheck disable=SC2086
            backend_ms ${configs[$idx]} --queue "$queue" >>"$work/$queue.$idx"
        done
    done
done

echo "Back end, $(wc -l <"$work/prog.toy") lines, $n_funcs functions" \
    "(toyc gen --funcs $funcs --shape $shape --seed 1), $(nproc) CPUs, median of $runs (ms)"
echo
echo "| queue | -c 1 | -c 2 | -c 8 | -c 8 --procs 8 | -c 2 speedup | -c 8 / -c 2 | -c 8 --procs 8 / -c 2 |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for queue in $strategies; do
    m=()
    for idx in "${!configs[@]}"; do
        m+=("$(median <"$work/$queue.$idx")")
    done
    echo "| $queue | ${m[0]} | ${m[1]} | ${m[2]} | ${m[3]} |" \
        "$(echo "scale=2; ${m[0]} / ${m[1]}" | bc) |" \
        "$(echo "scale=3; ${m[2]} / ${m[1]}" | bc) |" \
        "$(echo "scale=3; ${m[3]} / ${m[1]}" | bc) |"
done
