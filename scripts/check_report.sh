#!/usr/bin/env bash
# Opens the HTML report of `regmatters verify --report` in a real browser (headless Chromium from Debian's
# packages) and checks it: renders the page to a PNG and checks that the DOM Chromium built holds every check id
# that `regmatters verify --list` prints.
#
#   scripts/check_report.sh [OUT_DIR] [-- VERIFY_ARGS…]
#
# OUT_DIR (default: target/report-check) receives index.html, dom.html and screenshot.png. Arguments after `--` go
# to `regmatters verify` (e.g. `-- --only nets.` for a quick look; the default runs every check at the quick tier).
# Set REGMATTERS to use a binary other than target/release/regmatters (built if missing), SHOT_WIDTH and
# SHOT_HEIGHT for the window size of the screenshot (default 1280×2400).
# Not part of .ci/run: it installs a browser.
set -euo pipefail

cd "$(dirname "$0")/.."
out="${1:-target/report-check}"
[ "$#" -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
verify_args=("$@")

bin="${REGMATTERS:-target/release/regmatters}"
if [ ! -x "$bin" ]; then
    cargo build --release --bin regmatters
fi

browser=""
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser="$b"; break; fi
done
if [ -z "$browser" ]; then
    echo "installing chromium from the distribution's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
    browser=chromium
fi

mkdir -p "$out"
echo "running: $bin verify ${verify_args[*]} --report $out" >&2
status=0
"$bin" verify "${verify_args[@]}" --report "$out" >"$out/verify.txt" || status=$?
if [ "$status" -gt 1 ]; then
    cat "$out/verify.txt" >&2
    echo "verify failed with exit status $status" >&2
    exit "$status"
fi
page="$(cd "$out" && pwd)/index.html"
[ -s "$page" ] || { echo "no report at $page" >&2; exit 1; }

# the same selection --list reports: the ids the page must hold
list_args=()
for ((i = 0; i < ${#verify_args[@]}; i++)); do
    if [ "${verify_args[$i]}" = "--only" ]; then list_args+=(--only "${verify_args[$((i + 1))]}"); fi
done
mapfile -t ids < <("$bin" verify --list "${list_args[@]}" | awk 'NR > 1 && NF == 0 { exit } NR > 1 { print $1 }')
[ "${#ids[@]}" -gt 0 ] || { echo "verify --list printed no ids" >&2; exit 1; }

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
    --disable-component-update --disable-sync --hide-scrollbars)
w="${SHOT_WIDTH:-1280}"
h="${SHOT_HEIGHT:-2400}"
shot="$(pwd)/$out/screenshot.png"
"$browser" "${flags[@]}" --user-data-dir="$(mktemp -d)" --window-size="$w,$h" --screenshot="$shot" \
    "file://$page" >/dev/null 2>"$out/chromium-screenshot.log"
[ -s "$shot" ] || { echo "chromium wrote no screenshot (see $out/chromium-screenshot.log)" >&2; exit 1; }
"$browser" "${flags[@]}" --user-data-dir="$(mktemp -d)" --dump-dom "file://$page" >"$out/dom.html" \
    2>"$out/chromium-dom.log"
[ -s "$out/dom.html" ] || { echo "chromium dumped no DOM (see $out/chromium-dom.log)" >&2; exit 1; }

missing=0
for id in "${ids[@]}"; do
    if ! grep -qF "data-id=\"$id\"" "$out/dom.html"; then
        echo "missing from the DOM: $id" >&2
        missing=$((missing + 1))
    fi
done
articles=$(grep -o '<article class="check' "$out/dom.html" | wc -l)
if [ "$missing" -gt 0 ] || [ "$articles" -ne "${#ids[@]}" ]; then
    echo "FAIL: $missing of ${#ids[@]} check ids missing; $articles check sections for ${#ids[@]} ids" >&2
    exit 1
fi
grep -q '<svg' "$out/dom.html" || { echo "FAIL: no inline SVG graph in the DOM" >&2; exit 1; }
echo "ok: ${#ids[@]} check ids in the DOM Chromium built, one section each; screenshot $shot (${w}x${h})"
