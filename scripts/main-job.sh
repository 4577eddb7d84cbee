#!/usr/bin/env bash
# Installs what is missing, builds erbium, and runs the bundled workload
# (examples/wordfreq.erl: eight processes counting words, a small map-reduce)
# under the profiler, which prints calls and own time per function, then
# again with its call stacks sampled, and says where the speedscope file and
# the folded stacks (a flame graph SVG with flamegraph.pl) were written.
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

# The same workload with its call stacks sampled on every scheduler: a
# speedscope file (open it at https://www.speedscope.app) and folded stacks
# (flamegraph.pl's input: an SVG flame graph when flamegraph.pl is installed).
speedscope=$build/wordfreq.speedscope.json
folded=$build/wordfreq.folded
echo
echo "== the same run with stack sampling (997 Hz per scheduler)"
"$build/erbium" --profile sample --profile-by process --profile-format speedscope --profile-out "$speedscope" \
    -noshell -pa "$examples" -s wordfreq main -s init stop >/dev/null
"$build/erbium" --profile sample --profile-format folded --profile-out "$folded" \
    -noshell -pa "$examples" -s wordfreq main -s init stop >/dev/null
echo "speedscope profile (per process): $speedscope  (open it at https://www.speedscope.app)"
echo "folded stacks: $folded  (heaviest call paths below)"
sort -t' ' -k2 -nr "$folded" | head -n 5
if command -v flamegraph.pl >/dev/null; then
    flamegraph.pl --title "wordfreq on erbium" "$folded" >"$build/wordfreq.svg"
    echo "flame graph: $build/wordfreq.svg"
fi
