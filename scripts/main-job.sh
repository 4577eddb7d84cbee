#!/usr/bin/env bash
# Installs what is missing, builds erbium, and runs the bundled workload
# (examples/wordfreq.erl: eight processes counting words, a small map-reduce)
# under the profiler, which prints calls and own time per function.
#
# Environment: ERBIUM_BUILD_DIR as for scripts/build.sh.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${ERBIUM_BUILD_DIR:-$root/build}
export ERBIUM_BUILD_DIR=$build

"$root/scripts/build.sh" release

examples=$build/examples
mkdir -p "$examples"
erlc -o "$examples" "$root/examples/wordfreq.erl"

echo "== running examples/wordfreq.erl on erbium, profiled (call_time)"
"$build/erbium" --profile call_time --profile-pattern wordfreq -noshell -pa "$examples" -s wordfreq main -s init stop
