#!/usr/bin/env bash
# Regenerates src/syntax/unicode/tables.rs, Go's classes of the characters outside ASCII,
# from the Go toolchain's unicode and strconv packages (see tests/oracle/unicode.go).
# Go is found as tests/oracle/record.sh finds it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# shellcheck source=tests/oracle/go.sh
source "$root/tests/oracle/go.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/tests/oracle/unicode.go" "$work/unicode.go"
export GOCACHE="$work/gocache" GOPATH="$work/gopath"
(cd "$work" && "$go_bin" run unicode.go) >"$work/tables.rs"
mv "$work/tables.rs" "$root/src/syntax/unicode/tables.rs"
