#!/usr/bin/env bash
# Regenerates tests/markdown/golden/*.html from the *.md beside them with the current
# MarkdownRenderer. Review the diff before committing: every change is a rendering change.
#
# Usage: scripts/refresh-markdown-golden.sh [BUILD_DIR]   (default: build/dev)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/dev}"

if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" --target tst_markdown -j2

test_binary="$(find "$build" -name tst_markdown -type f -perm -u+x | head -n 1)"
if [[ -z "$test_binary" ]]; then
    echo "tst_markdown was not built in $build" >&2
    exit 1
fi

CONFAB_REFRESH_GOLDEN=1 QT_QPA_PLATFORM=offscreen "$test_binary" shouldMatchGoldenFiles
# The refreshed files must now pass the comparison as it runs in ctest.
QT_QPA_PLATFORM=offscreen "$test_binary" shouldMatchGoldenFiles

git -C "$root" status --short -- tests/markdown/golden
