#!/usr/bin/env bash
# Validates the scaling simulator and writes the data for the speedup plot.
# 1. Builds a generated closure-heavy program at -c 1 with --trace, once per round, and keeps
#    the trace whose total work is the median: the per-function costs the simulator replays.
# 2. Measures the back end's wall time (from --timings, median of RUNS) for each queue
#    strategy at -c 1, 2, ... up to the machine's CPU count (with --procs N, so N threads
#    really run), the machine as it is found. The rounds interleave the traced builds with
#    the measured ones, as this machine's speed drifts over minutes: a single trace taken
#    before them put the simulation 5 to 21 % off the measured -c 1 builds it should match.
# 3. Measures how much per-function costs grow when two workers run at once (total work at
#    -c 2 over -c 1), the simulator's contention input.
# 4. Runs benches/simulate.py: simulated makespans for 1..64 workers, and the error against
#    every measurement.
# Writes target/bench/simulated.csv and target/bench/measured.csv for benches/plot.py.
# Usage: benches/simulate.sh   (RUNS=N, FUNCS=N, SHAPE=..., COUNTS="1 2 4", TOYC=BINARY)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-5}
funcs=${FUNCS:-5000}
shape=${SHAPE:-closures}
out="$root/target/bench"
mkdir -p "$out"

# TOYC names a toyc binary built elsewhere, for machines without a Rust toolchain.
toyc=${TOYC:-}
if [[ -z $toyc ]]; then
    (cd "$root" && cargo build --release --quiet)
    toyc="$root/target/release/toyc"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$toyc" gen --funcs "$funcs" --shape "$shape" --seed 1 >"$work/prog.toy"

work_ms() {
    "$toyc" build "$work/prog.toy" -o "$work/prog" "$@" --timings 2>&1 |
        awk '$1 == "total" && $2 == "work" { print $3 }'
}

backend_ms() {
    "$toyc" build "$work/prog.toy" -o "$work/prog" "$@" --timings 2>&1 |
        awk '$1 == "back" && $2 == "end" && NF == 3 { print $3 }'
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

cpus=$(nproc)
# COUNTS overrides the worker counts measured (default: powers of two, and the CPU count).
counts=${COUNTS:-}
if [[ -z $counts ]]; then
    counts="1"
    n=2
    while [[ $n -le $cpus ]]; do
        counts="$counts $n"
        n=$((n * 2))
    done
    if [[ $cpus -gt 1 && " $counts " != *" $cpus "* ]]; then
        counts="$counts $cpus"
    fi
fi
strategies="go stack channel steal"
for round in $(seq "$runs"); do
    trace="$work/trace-$round.json"
    echo "$(work_ms -c 1 --trace "$trace") $trace" >>"$work/traces"
    for queue in $strategies; do
        for c in $counts; do
            backend_ms -c "$c" --procs "$c" --queue "$queue" >>"$work/$queue.$c"
        done
    done
done
cp "$(sort -n "$work/traces" | awk '{ v[NR] = $2 } END { print v[int((NR + 1) / 2)] }')" \
    "$out/trace-c1.json"
# Per-function cost growth when two workers run at once: total work at -c 2 over -c 1.
inflation=0
if [[ $cpus -gt 1 ]]; then
    for _ in $(seq "$runs"); do
        w1=$(work_ms -c 1)
        w2=$(work_ms -c 2 --procs 2)
        awk -v w1="$w1" -v w2="$w2" 'BEGIN { printf "%.4f\n", w2 / w1 - 1 }' >>"$work/inflation"
    done
    inflation=$(median <"$work/inflation")
fi
measured=()
echo "strategy,workers,measured_ms" >"$out/measured.csv"
for queue in $strategies; do
    for c in $counts; do
        ms=$(median <"$work/$queue.$c")
        measured+=("$queue:$c:$ms")
        echo "$queue,$c,$ms" >>"$out/measured.csv"
    done
done
echo "Program: toyc gen --funcs $funcs --shape $shape --seed 1 ($(wc -l <"$work/prog.toy") lines);" \
    "$cpus CPUs; measured: median of $runs"
python3 "$root/benches/simulate.py" "$out/trace-c1.json" --inflation "$inflation" \
    --measured "${measured[@]}" \
    --csv "$out/simulated.csv"
