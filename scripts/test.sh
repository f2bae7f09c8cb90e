#!/usr/bin/env bash
# scripts/test.sh — every test of the project, as `make test` runs it (through
# ./install.sh --test, which has just built bin/turinglab):
#   1. go vet and the Go unit, parity and protocol tests (go test ./...)
#   2. Jupyter's own client against the kernelspec installed in a temporary prefix
#   3. every notebook in notebooks/ executed through that kernelspec
# The kernelspec goes to a temporary JUPYTER_PATH, never the user's install.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

py=""
for p in "${TURINGLAB_PYTHON:-}" /usr/bin/python3 python3; do
  [ -n "$p" ] || continue
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import jupyter_client, nbclient' >/dev/null 2>&1; then py=$(command -v "$p"); break; fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TURINGLAB_BIN="$root/bin/turinglab"
# install.sh --test has just built it; build anyway when run on its own.
go build -o "$TURINGLAB_BIN" ./cmd/turinglab

echo "== go vet" >&2
go vet ./...
echo "== go test ./..." >&2
go test -count=1 -timeout 30m ./...

if [ -z "$py" ]; then
  echo "scripts/test.sh: no Python with jupyter_client and nbclient (apt-get install python3-jupyter-client python3-nbclient); the Jupyter tests cannot run" >&2
  exit 1
fi
"$root/bin/turinglab" install --prefix "$tmp/prefix"
export JUPYTER_PATH="$tmp/prefix/share/jupyter"
export JUPYTER_RUNTIME_DIR="$tmp/runtime"

echo "== jupyter_client conformance" >&2
"$py" tests/jupyter_client_test.py
echo "== notebooks" >&2
"$py" tests/run_notebooks.py notebooks
