#!/usr/bin/env bash
# Reproduces every table of BENCHMARKS.md, in its order, then redraws the plot. Takes
# roughly forty minutes on two cores; the criterion benches write HTML reports under
# target/criterion/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
cargo bench --bench frontend
benches/runtime.sh
benches/gcmem.sh
cargo bench --bench queue
RUNS=9 benches/scaling.sh
cargo bench --bench backend
benches/simulate.sh
PGO=1 RUNS=5 FUNCS="2000 5000" SHAPES="small mixed heavy-tail closures" benches/vs_go.sh
python3 benches/plot.py
