#!/usr/bin/env bash
# test-report.sh -- the comparison report in a real browser: runs `pluri compare` on
# scenarios/small.toml (two arms, a few short replicates), opens report.html in headless
# Chromium with the network cut off, and checks from the DOM Chromium dumps that the page
# loaded, that every figure written (bands-*.svg) is there as an inline <svg>, and that the
# page met no error (the page's own script counts script errors, failed loads and
# console.error calls in the root element's data-errors; Chromium's console log on stderr
# must hold no message of the page). A copy of the page with a failing image and a
# console.error is checked the same way and must be caught, so the check is known to work.
# Installs Debian's chromium package if no Chromium is found (as root, or through sudo).
#
#   PLURI_BIN   release binary to test [built here with cargo build --release]
#   CHROMIUM    browser to use [chromium, chromium-browser or google-chrome, whichever exists]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fail() { echo "[test-report] FAIL: $*" >&2; exit 1; }
log() { echo "[test-report] $*"; }

# As root, or through sudo (without a password prompt) otherwise.
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        fail "Chromium is missing and installing it needs root (or sudo): run as root, or install Debian's chromium package"
    fi
}

find_browser() {
    local b
    for b in ${CHROMIUM:-} chromium chromium-browser google-chrome; do
        if command -v "$b" >/dev/null 2>&1; then
            command -v "$b"
            return 0
        fi
    done
    return 1
}

if ! browser="$(find_browser)"; then
    command -v apt-get >/dev/null 2>&1 || fail "no Chromium and no apt-get to install it: install Chromium and set CHROMIUM"
    # Refresh the package index only if apt does not know chromium yet (fresh containers
    # usually ship with empty /var/lib/apt/lists).
    if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        log "apt-get update"
        as_root apt-get update -qq || fail "apt-get update failed"
    fi
    log "installing chromium (Debian's package)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
        >/dev/null || fail "apt-get install chromium failed"
    browser="$(find_browser)" || fail "chromium was installed but is not on PATH"
fi

if [[ -z "${PLURI_BIN:-}" ]]; then
    log "building the release binary"
    (cd "$root" && cargo build --release --quiet) || fail "cargo build --release failed"
    PLURI_BIN="${CARGO_TARGET_DIR:-$root/target}/release/pluri"
fi
[[ -x "$PLURI_BIN" ]] || fail "PLURI_BIN=$PLURI_BIN is not an executable"
PLURI_BIN="$(realpath "$PLURI_BIN")"

work="$(mktemp -d /tmp/pluri-report-test.XXXXXX)"
cleanup() {
    local rc=$?
    if ((rc == 0)); then rm -rf "$work"; log "PASS (${SECONDS} s)"; else echo "[test-report] FAIL (rc=$rc); files kept in $work" >&2; fi
    exit "$rc"
}
trap cleanup EXIT

log "pluri compare on scenarios/small.toml (2 arms x 3 replicates, 30 weeks)"
"$PLURI_BIN" -q compare "$root/scenarios/small.toml" \
    --arm 'coordinated:structures.msp_b.coordinator_fte=1.0' \
    --replicates 3 --weeks 30 --set warmup_weeks=8 --out "$work/cmp" ||
    fail "pluri compare failed"
report="$work/cmp/report.html"
[[ -s "$report" ]] || fail "no report.html in $work/cmp"
figures="$(find "$work/cmp" -maxdepth 1 -name 'bands-*.svg' | wc -l)"
((figures > 0)) || fail "pluri compare wrote no figure"

# open PAGE NAME: loads PAGE in headless Chromium (no network: every host name fails to
# resolve), the DOM after load into $work/NAME.dom, the browser's log into $work/NAME.log.
open_page() {
    local page="$1" name="$2"
    timeout 90 "$browser" --headless --disable-gpu --no-sandbox --no-first-run \
        --user-data-dir="$work/profile-$name" --host-resolver-rules='MAP * ~NOTFOUND' \
        --enable-logging=stderr --v=0 --virtual-time-budget=3000 \
        --dump-dom "file://$page" >"$work/$name.dom" 2>"$work/$name.log" ||
        fail "chromium could not open $page (log: $work/$name.log)"
}

# attr NAME DOMFILE: the value of attribute NAME of the <html> element.
attr() { grep -o '<html[^>]*>' "$2" | head -1 | sed -n "s/.* $1=\"\\([^\"]*\\)\".*/\\1/p"; }

# Messages the page wrote to the console, as Chromium logs them ("INFO:CONSOLE...").
console() { grep -E ':CONSOLE[:(]' "$1" || true; }

log "opening the report in $("$browser" --version 2>/dev/null | grep -i chrom | head -1)"
open_page "$report" report
dom="$work/report.dom"
[[ "$(attr data-loaded "$dom")" == yes ]] || fail "the page did not finish loading (dump: $dom)"
errors="$(attr data-errors "$dom")"
[[ "$errors" == 0 ]] ||
    fail "the page met $errors error(s): $(attr data-error-messages "$dom")"
[[ -z "$(console "$work/report.log")" ]] ||
    fail "the page wrote to the console: $(console "$work/report.log")"
shown="$(attr data-figures-shown "$dom")"
[[ "$(attr data-figures "$dom")" == "$figures" && "$shown" == "$figures" ]] ||
    fail "$figures figures written, the page lists $(attr data-figures "$dom") and shows $shown"
svgs="$(grep -o '<svg' "$dom" | wc -l)"
((svgs == figures)) || fail "$svgs <svg> elements in the DOM for $figures figures"
boxes="$(grep -o '<figure>' "$dom" | wc -l)"
((boxes == figures)) || fail "$boxes <figure> elements in the DOM for $figures figures"
grep -Eq '(src|href)="(https?:)?//' "$report" && fail "the report refers to something outside itself"
log "report: loaded, $figures figures shown, no error, nothing outside the page"

# The check must catch a broken page: a missing image and a console.error.
sed 's|<body>|<body><img src="missing.png" alt=""/><script>console.error("deliberate");</script>|' \
    "$report" >"$work/cmp/broken.html"
open_page "$work/cmp/broken.html" broken
[[ "$(attr data-errors "$work/broken.dom")" == 2 ]] ||
    fail "a broken page went unnoticed: data-errors=$(attr data-errors "$work/broken.dom") (expected 2)"
console "$work/broken.log" | grep -q deliberate ||
    fail "Chromium's console log did not show the broken page's console.error"
log "a broken copy of the page is caught (2 errors, console message logged)"
