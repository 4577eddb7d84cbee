#!/usr/bin/env bash
# Installs what is missing, builds erbium, and runs the bundled workload
# (bench/fib.erl: naive fib(30), best of five runs) on it.
#
# Environment: ERBIUM_BUILD_DIR as for scripts/build.sh.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${ERBIUM_BUILD_DIR:-$root/build}
export ERBIUM_BUILD_DIR=$build

"$root/scripts/build.sh" release

examples=$build/examples
mkdir -p "$examples"
erlc -o "$examples" "$root/bench/fib.erl"

echo "== running fib on erbium"
"$build/erbium" -pa "$examples" -s fib main

# Profile: once the profiler lands, its report for this run is printed here.
