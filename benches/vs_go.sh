#!/usr/bin/env bash
# toyc and the Go compiler side by side on the same generated programs.
# For each program: the compile of the package alone (`go tool compile -c N`, against the
# export data of fmt, as `go build` invokes it) and `toyc build -c N` (parse to executable on
# disk) at N = 1 and 2, with wall time (the median of runs interleaved with the other
# compiler's), lines per second, speedup of N=2 over N=1 and peak memory (maximum resident
# set, from /usr/bin/time); then `go build` end to end with a cold build cache (which also
# compiles the standard library packages fmt needs) once, for scale.
# With PGO=1, a second toyc built with profile-guided optimization (`benches/pgo.sh`, as the
# Go toolchain builds its compiler with a profile) is measured in the same rounds, as
# compiler `toyc-pgo`.
# Usage: benches/vs_go.sh   (RUNS=N rounds, TOYC_RUNS=K toyc builds a round; FUNCS="2000 5000",
# SHAPES="small closures", PGO=1)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
funcs_list=${FUNCS:-"2000"}
shapes=${SHAPES:-"small closures"}
# shellcheck source=tests/oracle/go.sh
source "$root/tests/oracle/go.sh"

(cd "$root" && cargo build --release --quiet)
toyc="$root/target/release/toyc"
toycs="toyc"
if [[ ${PGO:-0} == 1 ]]; then
    toyc_pgo=$("$root/benches/pgo.sh")
    toycs="toyc toyc-pgo"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOCACHE="$work/gocache" GOPATH="$work/gopath"
fmt_export=$("$go_bin" list -export -f '{{.Export}}' fmt)
echo "packagefile fmt=$fmt_export" >"$work/importcfg"

# Prints microseconds $1 as seconds, to the millisecond.
seconds() {
    awk -v us="$1" 'BEGIN { printf "%.3f", us / 1e6 }'
}

# shellcheck source=benches/measure.sh
source "$root/benches/measure.sh"

# The machines are shared and their speed drifts over seconds: the runs of both compilers
# are interleaved, RUNS rounds of one Go compile and TOYC_RUNS toyc builds (toyc's take a
# fraction of a second, so more of them cover the same stretch of time), so that each
# median sees the same conditions.
toyc_runs=${TOYC_RUNS:-3}
echo "Machine: $(nproc) CPUs; $("$go_bin" version | cut -d' ' -f3); median of $runs Go" \
    "compiles and $((runs * toyc_runs)) toyc builds, interleaved"
echo
echo "| program | lines | compiler | N | wall (s) | lines/s | speedup N=2 | peak memory (MB) |"
echo "|---|---:|---|---:|---:|---:|---:|---:|"
for shape in $shapes; do
    for funcs in $funcs_list; do
        name="$shape-$funcs"
        "$toyc" gen --funcs "$funcs" --shape "$shape" --seed 1 >"$work/$name.toy"
        cp "$work/$name.toy" "$work/$name.go"
        lines=$(wc -l <"$work/$name.toy")
        rm -f "$work"/runs.*
        for _ in $(seq "$runs"); do
            for n in 1 2; do
                measure "$work/runs.go.$n" "$go_bin" tool compile -p main -importcfg \
                    "$work/importcfg" -c "$n" -o "$work/$name.a" "$work/$name.go"
                for _ in $(seq "$toyc_runs"); do
                    for compiler in $toycs; do
                        bin=$toyc
                        [[ $compiler == toyc-pgo ]] && bin=$toyc_pgo
                        measure "$work/runs.$compiler.$n" "$bin" build "$work/$name.toy" -o \
                            "$work/$name.bin" -c "$n" --procs "$n"
                    done
                done
            done
        done
        for compiler in go $toycs; do
            read -r us1 _ < <(median_of "$work/runs.$compiler.1")
            t1=$(seconds "$us1")
            for n in 1 2; do
                read -r us mem < <(median_of "$work/runs.$compiler.$n")
                t=$(seconds "$us")
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
rm -f "$work/runs.build"
measure "$work/runs.build" "$go_bin" build -o "$work/$name.gobin" "$work/$name.go"
read -r us mem < <(median_of "$work/runs.build")
t=$(seconds "$us")
echo "go build $name.go end to end, cold cache: $t s, peak $((mem / 1024)) MB" \
    "($(echo "$(wc -l <"$work/$name.go") / $t" | bc) lines/s of the program)"
