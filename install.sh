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
#   --no-jupyter         do not try to install Jupyter when it is missing
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
    --no-jupyter) want_jupyter=0 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# The Python that has Jupyter: Debian's, not a pyenv/virtualenv one without it.
find_python() {
  for p in "${TURINGLAB_PYTHON:-}" /usr/bin/python3 python3; do
    [ -n "$p" ] || continue
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import jupyter_client' >/dev/null 2>&1; then
      command -v "$p"; return 0
    fi
  done
  return 1
}

install_jupyter() {
  echo "install.sh: Jupyter not found; installing it" >&2
  if command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq \
      jupyter-client python3-jupyter-client python3-nbclient jupyter-nbconvert \
      jupyter-notebook python3-notebook
  elif command -v brew >/dev/null 2>&1; then
    brew install jupyterlab
  else
    python3 -m pip install --user jupyter
  fi
}

build() {
  echo "install.sh: building turinglab" >&2
  mkdir -p bin
  go build -o bin/turinglab ./cmd/turinglab
}

if [ "$mode" = uninstall ]; then
  build
  ./bin/turinglab install --uninstall "${scope[@]}"
  exit 0
fi

build

if [ "$mode" = test ]; then
  exec ./scripts/test.sh
fi

if ! py=$(find_python); then
  [ "$want_jupyter" = 1 ] && install_jupyter
  py=$(find_python) || { echo "install.sh: Jupyter is still missing; install jupyter-client and notebook" >&2; exit 1; }
fi
user_prefix=""
[ "${scope[0]}" = --prefix ] && user_prefix=${scope[1]}
if [ "${scope[0]}" = --sys-prefix ]; then
  scope=(--prefix "$("$py" -c 'import sys; print(sys.prefix)')")
fi
./bin/turinglab install "${scope[@]}"

if [ "$mode" = open ]; then
  cd notebooks
  for cmd in "jupyter lab" "jupyter notebook" "$py -m notebook"; do
    if $cmd --version >/dev/null 2>&1; then exec $cmd; fi
  done
  echo "install.sh: kernel installed, but no Jupyter front end found (install jupyterlab or notebook)" >&2
  exit 1
fi
if [ -n "$user_prefix" ]; then
  echo "install.sh: done. Jupyter finds this kernelspec with: export JUPYTER_PATH=$user_prefix/share/jupyter" >&2
else
  echo "install.sh: done. Start with: make notebook   (or: jupyter notebook notebooks/)" >&2
fi
