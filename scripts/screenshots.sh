#!/usr/bin/env bash
# Screenshots of each centre tab of the workbench with the bundled ecommerce model
# (the Compare tab against the bundled first draft), and the entity editor with
# its sources on the workshop schema imported from MySQL DDL:
# the release build in a real window under Xvfb (Mesa's software GL).
#
#   scripts/screenshots.sh [OUT_DIR]     (default: assets/screenshots)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-assets/screenshots}"
mkdir -p "$OUT"
export DEBIAN_FRONTEND=noninteractive

need=()
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v xdotool >/dev/null 2>&1 || need+=(xdotool)
command -v import >/dev/null 2>&1 || need+=(imagemagick)
command -v xdpyinfo >/dev/null 2>&1 || need+=(x11-utils)
for pkg in libgl1-mesa-dri libegl1 libegl-mesa0 libgl1 libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
    echo "==> installing ${need[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

cargo build --release --locked
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/dynamodel"

DISPLAY_NUM=":$(( 90 + RANDOM % 9 ))"
Xvfb "$DISPLAY_NUM" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
# A fresh home: no saved settings, recent files or recovery file.
SANDBOX="$(mktemp -d)"
cleanup() {
    [ -n "${APP:-}" ] && kill "$APP" 2>/dev/null || true
    kill "$XVFB" 2>/dev/null || true
    rm -rf "$SANDBOX"
}
trap cleanup EXIT
export DISPLAY="$DISPLAY_NUM"
for _ in $(seq 200); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
xdpyinfo >/dev/null 2>&1 || { echo "error: Xvfb did not start on $DISPLAY_NUM" >&2; exit 1; }

# Starts the workbench in the fresh home HOME_DIR with ARGS, waits for a window
# whose title has TITLE, sizes it WxH at the top left and focuses it: keys go to
# the focused window through XTEST, and synthetic events sent to a window that
# does not have the focus yet are dropped.   open_window HOME_DIR TITLE W H [ARGS…]
open_window() {
    local home="$1" title="$2" width="$3" height="$4"
    shift 4
    HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" "$BIN" "$@" &
    APP=$!
    WIN=""
    for _ in $(seq 100); do
        WIN="$(xdotool search --onlyvisible --name "$title" 2>/dev/null | head -n1 || true)"
        [ -n "$WIN" ] && break
        sleep 0.1
    done
    [ -n "$WIN" ] || { echo "error: the window '$title' did not appear" >&2; exit 1; }
    xdotool windowmove "$WIN" 0 0 windowsize "$WIN" "$width" "$height"
    sleep 2
    xdotool windowfocus --sync "$WIN"
}

open_window "$SANDBOX" dynamodel 1440 900

SIZE=1440x900
shoot() { # tab-number file
    xdotool key "ctrl+$1"
    sleep 1.5
    import -window root -crop "$SIZE+0+0" +repage "$OUT/$2.png"
    echo "$OUT/$2.png"
}
shoot 1 editor
shoot 2 key-map
shoot 3 index-coverage
shoot 4 aggregate-view
shoot 5 costs-and-partitions
shoot 6 document-preview
shoot 7 deploy
shoot 8 diagram
# A read pattern's items: AP10 (Get products by category) in the tree, then the
# Aggregate view, which opens its serving index and marks what it returns.
xdotool mousemove 150 744 click 1
sleep 1
shoot 4 pattern-items
# The Compare tab: the redesign against the first draft, started from the empty
# tab's "Compare with Online shop — first draft… (bundled)" button.
xdotool key ctrl+9
sleep 1
xdotool mousemove 514 207 click 1
sleep 1
xdotool mousemove 700 880            # away from the rows: no hover tooltip
shoot 9 compare
# With DynamoDB Local answering, show a real run: deploy, seed and verify.
if "$ROOT/scripts/dynamodb-local.sh" status >/dev/null 2>&1; then
    xdotool mousemove 945 43 click 1    # the Deploy tab
    sleep 1
    xdotool mousemove 595 121 click 1   # "Deploy, seed & verify"
    sleep 10
    import -window root -crop 1440x900+0+0 +repage "$OUT/deploy.png"
    echo "$OUT/deploy.png (after a run against DynamoDB Local)"
fi
# Presentation mode (F5) at 1280x720 and 150% zoom, AP10 still selected: the
# editor with its key condition, the diagram and the pattern's items.
xdotool windowsize "$WIN" 1280 720
sleep 1
SIZE=1280x720
shoot 9 compare-1280x720
xdotool key F5
for _ in 1 2 3 4 5; do xdotool key ctrl+equal; sleep 0.3; done
shoot 1 presentation-editor
shoot 8 presentation-diagram
shoot 4 presentation-pattern-items
shoot 9 presentation-compare
# The entity editor with sources: the workshop's schema (MariaDB's dump of it,
# tests/fixtures/mysql) imported by the same importer as File ▸ Import ▸ MySQL
# schema…, opened in a fresh home at 1280x720, entity `orders` picked in the tree.
kill "$APP" 2>/dev/null || true
wait "$APP" 2>/dev/null || true
WORKSHOP="$SANDBOX/workshop.dynamodel.json"
"$BIN" import tests/fixtures/mysql/workshop-mariadb-dump.sql --from mysql -o "$WORKSHOP" >/dev/null 2>&1
open_window "$SANDBOX/2" workshop.dynamodel.json 1280 720 "$WORKSHOP"
xdotool mousemove 77 278 click 1     # entity orders in the model tree
sleep 1
xdotool mousemove 640 710            # away from the fields: no hover tooltip
sleep 1
import -window root -crop 1280x720+0+0 +repage "$OUT/entity-sources.png"
echo "$OUT/entity-sources.png"
