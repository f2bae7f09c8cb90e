#!/usr/bin/env bash
# install.sh — build turinglab, install its Jupyter kernelspec, and (optionally)
# open the course or run every test. The README's two commands come here:
#   make notebook  ->  ./install.sh --open
#   make test      ->  ./install.sh --test
#
# Options:
#   --user (default)     install the kernelspec in the user's Jupyter data dir
#   --prefix DIR         install under DIR/share/jupyter/kernels/turinglab
#   --sys-prefix         install under the prefix of the Python that runs Jupyter
#   --uninstall          remove the kernelspec (honours --prefix / --sys-prefix)
#   --open               then start Jupyter on notebooks/
#   --test               build, install into a temporary prefix, run all tests
#                        (installing the Python modules the tests need first)
#   --deps               only make sure the test's Python modules are there
#                        (installing them when missing) and print that Python
#   --no-jupyter         do not try to install Jupyter when it is missing
#
# TURINGLAB_PYTHON=PATH  use this Python (and only it) for Jupyter and the tests
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

mode=install
scope=(--user)
want_jupyter=1
while [ $# -gt 0 ]; do
  case "$1" in
    --user) scope=(--user) ;;
    --prefix) scope=(--prefix "$2"); shift ;;
    --prefix=*) scope=(--prefix "${1#--prefix=}") ;;
    --sys-prefix) scope=(--sys-prefix) ;;
    --uninstall) mode=uninstall ;;
    --open) mode=open ;;
    --test) mode=test ;;
    --deps) mode=deps ;;
    --no-jupyter) want_jupyter=0 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# The Python modules each mode needs, and the Debian package of each module.
test_modules="jupyter_client nbclient nbformat"
open_modules="jupyter_client"
deb_package() {
  case "$1" in
    jupyter_client) echo "jupyter-client python3-jupyter-client" ;;
    notebook) echo "jupyter-notebook python3-notebook" ;;
    nbclient) echo "python3-nbclient" ;;
    nbformat) echo "python3-nbformat" ;;
    *) echo "python3-$1" ;;
  esac
}

# missing_modules PY MODULES...: print the modules PY cannot import.
missing_modules() {
  local py=$1; shift
  local m out=()
  for m in "$@"; do
    "$py" -c "import $m" >/dev/null 2>&1 || out+=("$m")
  done
  echo "${out[*]}"
}

# find_python MODULES...: the Python that has every module: $TURINGLAB_PYTHON
# when set (and then only it), else Debian's, not a pyenv/virtualenv one
# without them, else the first python3 on PATH.
python_candidates() {
  if [ -n "${TURINGLAB_PYTHON:-}" ]; then echo "$TURINGLAB_PYTHON"; else echo /usr/bin/python3 python3; fi
}
find_python() {
  local p
  for p in $(python_candidates); do
    if command -v "$p" >/dev/null 2>&1 && [ -z "$(missing_modules "$p" "$@")" ]; then
      command -v "$p"; return 0
    fi
  done
  return 1
}

# install_jupyter MODULES...: install the modules (and, for --open, a front
# end) with the system's package manager: apt on Debian/Ubuntu, Homebrew on
# macOS, else pip for the first candidate Python.
install_jupyter() {
  local p first="" missing=""
  for p in $(python_candidates); do
    command -v "$p" >/dev/null 2>&1 || continue
    first=$p; missing=$(missing_modules "$p" "$@"); break
  done
  [ -n "$first" ] || missing="$*"
  echo "install.sh: ${first:-no python3} lacks: $missing; installing" >&2
  if command -v apt-get >/dev/null 2>&1; then
    local pkgs=() m sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
    for m in $missing; do pkgs+=($(deb_package "$m")); done
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${pkgs[@]}"
  elif command -v brew >/dev/null 2>&1; then
    brew install jupyterlab
  else
    "${first:-python3}" -m pip install --user $missing
  fi
}

# ensure_python MODULES...: print the Python that has the modules, installing
# them first when none has (unless --no-jupyter); fail naming what is missing.
ensure_python() {
  local py
  if py=$(find_python "$@"); then echo "$py"; return 0; fi
  if [ "$want_jupyter" = 1 ]; then install_jupyter "$@" >&2 || true; fi
  if py=$(find_python "$@"); then echo "$py"; return 0; fi
  local p report=""
  for p in $(python_candidates); do
    command -v "$p" >/dev/null 2>&1 && report+=" $p lacks: $(missing_modules "$p" "$@");"
  done
  echo "install.sh: no Python with $*:${report:- no python3 found;} install them (Debian: apt-get install$(for m in "$@"; do printf ' %s' $(deb_package "$m"); done)) or set TURINGLAB_PYTHON" >&2
  return 1
}

build() {
  echo "install.sh: building turinglab" >&2
  mkdir -p bin
  go build -o bin/turinglab ./cmd/turinglab
}

if [ "$mode" = deps ]; then
  ensure_python $test_modules
  exit
fi

if [ "$mode" = uninstall ]; then
  build
  ./bin/turinglab install --uninstall "${scope[@]}"
  exit 0
fi

build

if [ "$mode" = test ]; then
  py=$(ensure_python $test_modules) || exit 1
  TURINGLAB_PYTHON=$py exec ./scripts/test.sh
fi

py=$(ensure_python $open_modules) || exit 1
user_prefix=""
[ "${scope[0]}" = --prefix ] && user_prefix=${scope[1]}
if [ "${scope[0]}" = --sys-prefix ]; then
  scope=(--prefix "$("$py" -c 'import sys; print(sys.prefix)')")
fi
./bin/turinglab install "${scope[@]}"

if [ "$mode" = open ]; then
  cd notebooks
  # Jupyter refuses to run as root (containers, CI images, cloud VMs) unless told.
  root_flag=""; [ "$(id -u)" -eq 0 ] && root_flag=--allow-root
  for attempt in 1 2; do
    for cmd in "jupyter lab" "jupyter notebook" "$py -m notebook"; do
      if $cmd --version >/dev/null 2>&1; then exec $cmd $root_flag; fi
    done
    [ "$want_jupyter" = 1 ] && [ "$attempt" = 1 ] && install_jupyter notebook >&2
  done
  echo "install.sh: kernel installed, but no Jupyter front end found (install jupyterlab or notebook)" >&2
  exit 1
fi
if [ -n "$user_prefix" ]; then
  echo "install.sh: done. Jupyter finds this kernelspec with: export JUPYTER_PATH=$user_prefix/share/jupyter" >&2
else
  echo "install.sh: done. Start with: make notebook   (or: jupyter notebook notebooks/)" >&2
fi
