#!/usr/bin/env bash
# Installs missing dependencies, then configures and builds erbium with all
# cores.
#
#   scripts/build.sh [release|asan|tsan]
#
#   release  build/       optimized (-O2 -g), the default
#   asan     build-asan/  AddressSanitizer + UBSan   (-DERBIUM_ASAN=ON)
#   tsan     build-tsan/  ThreadSanitizer            (-DERBIUM_TSAN=ON), no unit tests
#
# Environment: ERBIUM_VARIANT picks the variant when no argument is given;
# ERBIUM_BUILD_DIR builds in another directory (e.g. a private one while
# someone else builds in build/).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
variant=${1:-${ERBIUM_VARIANT:-release}}

case "$variant" in
    release) dir=build; flags=() ;;
    asan) dir=build-asan; flags=(-DERBIUM_ASAN=ON -DERBIUM_TSAN=OFF) ;;
    tsan) dir=build-tsan; flags=(-DERBIUM_TSAN=ON -DERBIUM_ASAN=OFF -DERBIUM_UNIT_TESTS=OFF) ;;
    *)
        echo "usage: $0 [release|asan|tsan]" >&2
        exit 2
        ;;
esac
dir=${ERBIUM_BUILD_DIR:-$root/$dir}

"$root/scripts/install-deps.sh"

cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)"
