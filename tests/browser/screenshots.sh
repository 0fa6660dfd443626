#!/bin/sh
# Builds the default site and takes headless Chromium screenshots of the
# index and the QEMU passthrough article at desktop (1280 px) and phone
# (390 px) widths into target/screenshots/, for reviewing the theme; given
# QEMU's docs built as a Sphinx project, two of its pages light and dark.
#
#   tests/browser/screenshots.sh [SITE_DIR]
#
# SITE_DIR: an already built site to shoot instead (for example
# target/docutils-preview, written by `cargo test --test site_docutils`).
# Skips with a notice when /usr/bin/chromium is missing.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "notice: $chromium not found; skipping screenshots" >&2
    exit 0
fi

out="$root/target/screenshots"
mkdir -p "$out"
if [ $# -ge 1 ]; then
    site=$(cd "$1" && pwd)
else
    site="$root/target/screenshot-site"
    (cd "$root" && cargo run --quiet -- build --dest "$site" --force)
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

shoot() { # name page width height [extra chromium flags]
    shot=$1 url=$2 width=$3 height=$4
    shift 4
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" --window-size="$width,$height" \
        "$@" --screenshot="$out/$shot.png" "file://$site/$url" >/dev/null 2>&1
    echo "$out/$shot.png"
}

for page in index.html:index kbase/qemu-passthrough-security.html:article; do
    file=${page%%:*}
    name=${page##*:}
    [ -f "$site/$file" ] || continue
    shoot "$name-desktop" "$file" 1280 1600
    shoot "$name-phone" "$file" 390 1600 --force-device-scale-factor=1
    shoot "$name-desktop-dark" "$file" 1280 1600 --force-dark-mode --blink-settings=preferredColorScheme=0
done
# A page of a Sphinx project (QEMU's docs built with `-c docs/conf.py`):
# sidebar, breadcrumbs, previous/next; desktop and phone, light and dark.
for page in tools/qemu-nbd.html:qemu-nbd system/devices/usb.html:qemu-usb; do
    file=${page%%:*}
    name=${page##*:}
    [ -f "$site/$file" ] || continue
    shoot "$name-desktop" "$file" 1280 1400
    shoot "$name-desktop-dark" "$file" 1280 1400 --force-dark-mode --blink-settings=preferredColorScheme=0
    shoot "$name-phone" "$file" 390 1400 --force-device-scale-factor=1
    shoot "$name-phone-dark" "$file" 390 1400 --force-device-scale-factor=1 --force-dark-mode --blink-settings=preferredColorScheme=0
done
for extra in kitchen-sink.html guide/book-toml.html; do
    [ -f "$site/$extra" ] || continue
    name=$(basename "$extra" .html)
    shoot "$name-desktop" "$extra" 1280 3000
    shoot "$name-phone" "$extra" 390 3000
done
