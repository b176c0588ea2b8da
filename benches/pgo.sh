#!/usr/bin/env bash
# Builds toyc with profile-guided optimization, as Go builds its own compiler (the Go
# toolchain compiles cmd/compile with the profile in cmd/compile/default.pgo): a release
# build instrumented by rustc compiles a training set, and the profile it writes guides a
# second release build. Prints the path of the optimized toyc, target/pgo/release/toyc.
#
# The training set is not the benchmarks' programs: `toyc gen` programs of 300 functions of
# every shape with seed 7 (the benchmark scripts use seed 1), built with -c 1 and -c 2, and
# the run corpus and examples. The profile is made anew each time, from the source as it
# is, so it never goes stale. Needs rustup's llvm-tools component for llvm-profdata (added
# if missing). Takes about four minutes on two cores: two release builds.
# Usage: benches/pgo.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

sysroot=$(rustc --print sysroot)
host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$sysroot/lib/rustlib/$host/bin/llvm-profdata"
if [[ ! -x $profdata ]]; then
    rustup component add llvm-tools >&2
fi

profile="$root/target/pgo-profile"
rm -rf "$profile"
mkdir -p "$profile"
# Separate target directories: RUSTFLAGS differ, and the plain release build stays cached.
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-generate=$profile/raw" \
    cargo build --release --quiet --target-dir target/pgo-instrumented
trainer="$root/target/pgo-instrumented/release/toyc"
for shape in small mixed heavy-tail closures deep-closures; do
    "$trainer" gen --funcs 300 --shape "$shape" --seed 7 >"$profile/$shape.toy"
    for n in 1 2; do
        "$trainer" build "$profile/$shape.toy" -o "$profile/a.out" -c "$n"
    done
done
for file in tests/data/run/*.toy examples/*.toy; do
    "$trainer" build "$file" -o "$profile/a.out" -c 1
done
"$profdata" merge -o "$profile/merged.profdata" "$profile/raw"
# Named by its content: cargo does not track the file, but it rebuilds every crate when
# RUSTFLAGS change, so a new profile reaches the dependencies too.
used="$profile/toyc-$(sha256sum "$profile/merged.profdata" | cut -c1-16).profdata"
mv "$profile/merged.profdata" "$used"

RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$used" \
    cargo build --release --quiet --target-dir target/pgo
echo "$root/target/pgo/release/toyc"
