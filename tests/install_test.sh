#!/usr/bin/env bash
# tests/install_test.sh — the install path of `make test` / `make notebook` on a
# machine whose Python lacks the Jupyter modules. A fake Python (which imports a
# module only once a fake apt-get has "installed" its package) and a fake
# apt-get that logs its calls stand in for the real ones, so the test runs the
# real install.sh logic (./install.sh --deps) without touching the machine.
# Prints "N passed, M failed" last; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/site"

# The fake apt-get: logs every call; `install` marks each Debian package as
# installed unless FAKE_APT_FAIL is set.
cat > "$tmp/bin/apt-get" <<'SH'
#!/usr/bin/env bash
echo "$*" >> "$FAKE_ROOT/apt.log"
[ "$1" = install ] || exit 0
[ -n "${FAKE_APT_FAIL:-}" ] && { echo "E: fake failure" >&2; exit 100; }
for a in "$@"; do case "$a" in -*|install) ;; *) touch "$FAKE_ROOT/site/$a" ;; esac; done
SH
# sudo just runs the command (the test may run as a normal user).
printf '#!/usr/bin/env bash\nexec "$@"\n' > "$tmp/bin/sudo"
# The fake Python: `-c "import M"` succeeds when M is in FAKE_HAVE or its
# Debian package was installed by the fake apt-get.
cat > "$tmp/py" <<'SH'
#!/usr/bin/env bash
[ "$1" = -c ] || exit 2
m=${2#import }
case " ${FAKE_HAVE:-} " in *" $m "*) exit 0 ;; esac
pkg=python3-$(echo "$m" | tr _ -)
[ -e "$FAKE_ROOT/site/$pkg" ] && exit 0
exit 1
SH
chmod +x "$tmp/bin/apt-get" "$tmp/bin/sudo" "$tmp/py"

passed=0; failed=0
result() { # result NAME CONDITION-EXIT-CODE DETAILS
  if [ "$2" = 0 ]; then passed=$((passed+1)); echo "ok   $1"; else failed=$((failed+1)); echo "FAIL $1: $3"; fi
}
fresh() { rm -rf "$tmp/site" "$tmp/apt.log"; mkdir -p "$tmp/site"; : > "$tmp/apt.log"; }
deps() { # deps [ARGS...]: run install.sh --deps against the fakes
  env FAKE_ROOT="$tmp" TURINGLAB_PYTHON="$tmp/py" PATH="$tmp/bin:$PATH" ./install.sh --deps "$@" >"$tmp/out" 2>"$tmp/err"
}

fresh
deps; code=$?
grep -q 'install -y -qq jupyter-client python3-jupyter-client python3-nbclient python3-nbformat' "$tmp/apt.log"; ok=$?
[ "$code" = 0 ] && [ "$(cat "$tmp/out")" = "$tmp/py" ] && [ "$ok" = 0 ]
result "a Python lacking every module gets all three installed, then is used" $? "exit $code, out $(cat "$tmp/out"), apt: $(cat "$tmp/apt.log"), err: $(cat "$tmp/err")"

fresh
FAKE_HAVE="jupyter_client nbformat" deps; code=$?
grep -q '^install -y -qq python3-nbclient$' "$tmp/apt.log"
result "only the missing module (nbclient) is installed" $(( code != 0 || $? != 0 )) "exit $code, apt: $(cat "$tmp/apt.log")"

fresh
FAKE_HAVE="jupyter_client nbclient nbformat" deps; code=$?
[ "$code" = 0 ] && [ ! -s "$tmp/apt.log" ]
result "nothing is installed when every module is there" $? "exit $code, apt: $(cat "$tmp/apt.log")"

fresh
deps --no-jupyter; code=$?
[ "$code" != 0 ] && [ ! -s "$tmp/apt.log" ] && grep -q 'lacks: jupyter_client nbclient nbformat' "$tmp/err"
result "--no-jupyter fails naming every missing module, installing nothing" $? "exit $code, err: $(cat "$tmp/err")"

fresh
FAKE_APT_FAIL=1 deps; code=$?
[ "$code" != 0 ] && grep -q 'lacks: jupyter_client nbclient nbformat' "$tmp/err" && grep -q 'apt-get install jupyter-client python3-jupyter-client python3-nbclient python3-nbformat' "$tmp/err"
result "a failed install says what is still missing and how to install it" $? "exit $code, err: $(cat "$tmp/err")"

# make notebook (./install.sh --open) with a fake front end that logs how it
# was started: Jupyter refuses to run as root without --allow-root.
cat > "$tmp/bin/jupyter" <<'SH'
#!/usr/bin/env bash
[ "${2:-}" = --version ] && exit 0
echo "jupyter $* in $(pwd)" >> "$FAKE_ROOT/jupyter.log"
SH
chmod +x "$tmp/bin/jupyter"
fresh
FAKE_HAVE="jupyter_client" env FAKE_ROOT="$tmp" TURINGLAB_PYTHON="$tmp/py" PATH="$tmp/bin:$PATH" \
  ./install.sh --open --prefix "$tmp/prefix" >"$tmp/out" 2>"$tmp/err"; code=$?
want="jupyter lab in $root/notebooks"; [ "$(id -u)" = 0 ] && want="jupyter lab --allow-root in $root/notebooks"
[ "$code" = 0 ] && [ "$(cat "$tmp/jupyter.log" 2>/dev/null)" = "$want" ] && [ -f "$tmp/prefix/share/jupyter/kernels/turinglab/kernel.json" ]
result "make notebook installs the kernelspec and starts Jupyter in notebooks/ (as root with --allow-root)" $? "exit $code, started: $(cat "$tmp/jupyter.log" 2>/dev/null), want: $want, err: $(cat "$tmp/err")"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
