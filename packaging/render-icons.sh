#!/usr/bin/env bash
# Renders resources/icons/confab.svg into the committed raster icons: the hicolor PNGs the
# Linux packages install, confab.ico (Windows) and confab.icns (macOS). Run it after changing
# the SVG and commit the results; builds then need no SVG renderer on any platform.
# Needs (Debian): librsvg2-bin imagemagick icnsutils
set -euo pipefail

ICONS="$(cd "$(dirname "${BASH_SOURCE[0]}")/../resources/icons" && pwd)"
SVG="$ICONS/confab.svg"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for size in 16 22 24 32 48 64 128 256 512; do
  out="$ICONS/hicolor/${size}x${size}/apps/confab.png"
  mkdir -p "$(dirname "$out")"
  rsvg-convert --width "$size" --height "$size" "$SVG" --output "$work/$size.png"
  # No timestamps or other ancillary chunks: the same SVG gives the same bytes.
  convert "$work/$size.png" -strip "PNG32:$out"
done

# Windows: the sizes Explorer and the taskbar ask for, 256 stored as PNG inside the .ico.
convert "$work"/{16,24,32,48,64,256}.png "$ICONS/confab.ico"
# macOS: png2icns picks the icns type from each PNG's size.
png2icns "$ICONS/confab.icns" "$work"/{16,32,48,128,256,512}.png >/dev/null
