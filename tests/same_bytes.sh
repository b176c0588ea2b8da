#!/usr/bin/env bash
# Two builds of toyc must write the same executables: for a change meant to leave codegen
# alone (a refactoring), build every program of the run and codegen corpora, the examples,
# the programs of `benches/programs`, generated benchmark programs of every shape and random
# differential-test programs with both, at -c 1 and -c 4, and compare the executables, the
# -S listings and the messages byte for byte.
# Prints one line per difference and a count; exits 1 if anything differs.
# Usage: tests/same_bytes.sh OLD_TOYC NEW_TOYC   (RANDOM_SEEDS=200, GEN_SEEDS=3)
# Both are paths to builds of toyc, for example of a `git worktree` of the commit before a
# change and of the change.
set -euo pipefail

if [[ $# != 2 ]]; then
    echo "usage: $0 OLD_TOYC NEW_TOYC" >&2
    exit 2
fi
old=$(realpath "$1")
new=$(realpath "$2")
random_seeds=${RANDOM_SEEDS:-200}
gen_seeds=${GEN_SEEDS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/src"
for shape in small mixed heavy-tail closures deep-closures; do
    for seed in $(seq 1 "$gen_seeds"); do
        "$new" gen --shape "$shape" --funcs 300 --seed "$seed" >"$work/src/gen-$shape-$seed.toy"
    done
done
for seed in $(seq 1 "$random_seeds"); do
    "$new" gen-test --seed "$seed" --size 12 >"$work/src/random-$seed.toy"
    "$new" gen-test --seed "$seed" --size 12 --panics >"$work/src/random-panics-$seed.toy"
done

compared=0
differ=0
for file in "$root"/tests/data/run/*.toy "$root"/tests/data/codegen/*.toy \
    "$root"/examples/*.toy "$root"/benches/programs/*.toy "$work"/src/*.toy; do
    for c in 1 4; do
        for side in old new; do
            toyc=$old
            [[ $side == new ]] && toyc=$new
            "$toyc" build -c "$c" -o "$work/$side.exe" "$file" >/dev/null 2>"$work/$side.err" ||
                echo "exit $?" >>"$work/$side.err"
            "$toyc" build -c "$c" -S -o "$work/$side.S.exe" "$file" >"$work/$side.S" 2>&1 || true
        done
        compared=$((compared + 1))
        if ! cmp -s "$work/old.exe" "$work/new.exe" || ! cmp -s "$work/old.S" "$work/new.S" ||
            ! cmp -s "$work/old.err" "$work/new.err"; then
            echo "differs: ${file#"$root"/} at -c $c"
            differ=$((differ + 1))
        fi
        rm -f "$work"/old.exe "$work"/new.exe
    done
done
echo "$compared builds compared, $differ differ"
[[ $differ == 0 ]]
