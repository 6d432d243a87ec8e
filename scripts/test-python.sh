#!/usr/bin/env bash
# test-python.sh -- the Python package on a fresh virtual environment: installs it from the
# repository with the documented command (`pip install ./python`, which builds the extension
# with maturin), then the test dependencies from PyPI (pytest, numpy, pandas, pyarrow,
# polars, matplotlib and ema-workbench 3.x, which needs Python 3.12 or later: on an older
# interpreter the newest ema-workbench it can install, 2.x, is tested instead), runs
# pytest on python/tests (results compared byte for byte with the command line's) and the
# example examples/python/compare_and_sweep.py in its quick setting.
#
#   PLURI_BIN   release binary to compare with [built here with cargo build --release]
#   PYTHON      interpreter for the environment [the oldest python3.X >= 3.12 found
#               (on PATH or under pyenv), else python3]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fail() { echo "[test-python] FAIL: $*" >&2; exit 1; }
log() { echo "[test-python] $*"; }
cd "$root"

if [[ -z "${PLURI_BIN:-}" ]]; then
    cargo build --release --locked
    PLURI_BIN="$root/target/release/pluri"
fi
[[ "$PLURI_BIN" = /* ]] || PLURI_BIN="$root/$PLURI_BIN"
[[ -x "$PLURI_BIN" ]] || fail "PLURI_BIN=$PLURI_BIN is not an executable"
export PLURI_BIN

# An interpreter that runs and is at least 3.12, else python3 (3.11 is the package's floor).
works() { "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }
minor() { "$1" -c 'import sys; print(sys.version_info[1])'; }
pick_python() {
    local c
    local candidates=(python3.12 python3.13 python3.14)
    local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    if command -v pyenv >/dev/null 2>&1; then
        pyenv_root="$(pyenv root)"
    fi
    # Oldest first (the most wheels on PyPI); a pattern that matches nothing stays as it
    # is and does not run.
    candidates+=($(printf '%s\n' "$pyenv_root"/versions/3.1[2-9]*/bin/python3 | sort -V))
    for c in "${candidates[@]}"; do
        if works "$c"; then
            echo "$c"
            return 0
        fi
    done
    echo python3
}
python="${PYTHON:-$(pick_python)}"
works "$python" || fail "$python cannot make a virtual environment (Python 3.11 or later with venv)"
if (($(minor "$python") >= 12)); then
    ema='ema-workbench>=3,<4'
else
    ema='ema-workbench>=2.5,<3'
    log "$("$python" --version) is older than 3.12, which ema-workbench 3 needs: testing ema-workbench 2 instead"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log "fresh virtual environment with $("$python" --version) in $work/venv"
"$python" -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install --quiet --upgrade pip

started=$SECONDS
log "pip install ./python (maturin builds the extension)"
# From the repository root, as docs/PYTHON.md says; the build shares target/ with cargo.
"$py" -m pip install --quiet ./python
log "installed in $((SECONDS - started)) s"
"$py" -m pip install --quiet pytest numpy pandas pyarrow polars matplotlib "$ema"
"$py" -m pip list 2>/dev/null | grep -iE '^(pluri|ema.workbench|numpy|pandas|pyarrow|polars|pytest) ' || true

log "pytest python/tests"
# Run from elsewhere, so that `import pluri` finds the installed package, not python/pluri.
(cd "$work" && PLURI_REPO="$root" "$py" -m pytest -q -p no:cacheprovider "$root/python/tests")

log "examples/python/compare_and_sweep.py, quick setting"
(cd "$work" && MPLBACKEND=Agg PLURI_EXAMPLE_QUICK=1 PLURI_REPO="$root" \
    "$py" "$root/examples/python/compare_and_sweep.py" --out "$work/example")
for f in comparison.png sweep.png; do
    [[ -s "$work/example/$f" ]] || fail "the example drew no $f"
done
log "ok"
