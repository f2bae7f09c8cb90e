#!/usr/bin/env bash
# scripts/test.sh — every test of the project, as `make test` runs it (through
# ./install.sh --test, which has just built bin/turinglab):
#   1. go vet and the Go unit, parity and protocol tests (go test ./...)
#   2. Jupyter's own client against the kernelspec installed in a temporary prefix
#   3. every notebook in notebooks/ executed through that kernelspec, then the
#      exercises of their student versions (tests/run_exercises.py)
#   4. the install path on a machine whose Python lacks the Jupyter modules
#      (tests/install_test.sh, against a fake Python and apt-get)
# The kernelspec goes to a temporary JUPYTER_PATH, never the user's install.
# Every stage runs even when an earlier one failed (one CI run shows every
# problem); the script fails at the end, naming the stages that failed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

py=""
for p in "${TURINGLAB_PYTHON:-}" /usr/bin/python3 python3; do
  [ -n "$p" ] || continue
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import jupyter_client, nbclient, nbformat' >/dev/null 2>&1; then py=$(command -v "$p"); break; fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TURINGLAB_BIN="$root/bin/turinglab"
# install.sh --test has just built it; build anyway when run on its own.
go build -o "$TURINGLAB_BIN" ./cmd/turinglab || { echo "scripts/test.sh: the turinglab binary does not build" >&2; exit 1; }

failed=()
stage() { # stage NAME COMMAND...: run one stage, remember a failure
  local name=$1; shift
  echo "== $name" >&2
  "$@" || failed+=("$name")
}

stage "go vet" go vet ./...
stage "go test" go test -count=1 -timeout 30m ./...

if [ -z "$py" ]; then
  echo "scripts/test.sh: no Python with jupyter_client, nbclient and nbformat; run it as \`make test\` (./install.sh --test installs them) or set TURINGLAB_PYTHON; the Jupyter tests cannot run" >&2
  failed+=("jupyter (missing)")
else
  "$TURINGLAB_BIN" install --prefix "$tmp/prefix" >&2
  export JUPYTER_PATH="$tmp/prefix/share/jupyter"
  export JUPYTER_RUNTIME_DIR="$tmp/runtime"
  stage "jupyter_client conformance" "$py" tests/jupyter_client_test.py
  stage "notebooks" "$py" tests/run_notebooks.py notebooks
  stage "exercises" "$py" tests/run_exercises.py notebooks
fi

stage "install path" bash tests/install_test.sh

if [ ${#failed[@]} -gt 0 ]; then
  printf 'scripts/test.sh: FAILED: %s\n' "$(IFS=,; echo "${failed[*]}")" >&2
  exit 1
fi
echo "scripts/test.sh: all tests passed" >&2
