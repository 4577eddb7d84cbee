#!/usr/bin/env bash
# The cost of stack sampling (--profile sample, 997 Hz per scheduler) on
# fib, binary trees and a message-passing ping-pong: ROUNDS rounds, each
# running the workload plain and sampled one after the other (order
# alternating), each run reporting its best inner time (RESULT); the table
# gives the best of all rounds for each and the sampled run's overhead.
# With a second erbium binary (e.g. one built from main, without the
# sampling hook), its plain run is measured too: the hook's cost when
# sampling is off. Then bench/profiler/sample_export (if built) times
# exporting a profile of 1,000,000 distinct stacks in each format.
#
#   bench/profiler/sample.sh [build-dir] [baseline-erbium]   (ROUNDS=7 by default)
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
[[ "$build" == /* ]] || build=$PWD/$build
baseline=${2:-}
rounds=${ROUNDS:-7}
erbium=$build/erbium
out=$build/bench-sample
mkdir -p "$out"
erlc -o "$out" "$root"/bench/lib/*.erl "$root"/bench/{fib,bintree,pingpong}.erl || exit 1

# us <erbium> <workload> [flags...]: the workload's RESULT in microseconds, or empty
us() {
    local vm=$1 w=$2
    shift 2
    (cd "$out" && timeout 900 "$vm" "$@" -noshell -pa "$out" -s "$w" main -s init stop </dev/null) |
        awk '$1 == "RESULT" { print $3 }' | tail -n 1
}

min() { sort -n | head -n 1; }

printf '%-10s %12s %12s %9s %14s %9s\n' workload plain_ms sampled_ms overhead baseline_ms hook
for w in fib bintree pingpong; do
    : >"$out/$w.plain"
    : >"$out/$w.sampled"
    : >"$out/$w.base"
    for ((r = 0; r < rounds; r++)); do
        if ((r % 2)); then
            us "$erbium" $w --profile sample --profile-out /dev/null >>"$out/$w.sampled"
            us "$erbium" $w >>"$out/$w.plain"
        else
            us "$erbium" $w >>"$out/$w.plain"
            us "$erbium" $w --profile sample --profile-out /dev/null >>"$out/$w.sampled"
        fi
        [[ -n "$baseline" ]] && us "$baseline" $w >>"$out/$w.base"
    done
    plain=$(min <"$out/$w.plain")
    sampled=$(min <"$out/$w.sampled")
    base=$(min <"$out/$w.base")
    awk -v w=$w -v p="$plain" -v s="$sampled" -v b="$base" 'BEGIN {
        hook = (b > 0) ? sprintf("%+.1f%%", (p / b - 1) * 100) : "-"
        printf "%-10s %12.1f %12.1f %+8.1f%% %14s %9s\n", w, p / 1000, s / 1000, (s / p - 1) * 100,
               (b > 0) ? sprintf("%.1f", b / 1000) : "-", hook }'
done

if [[ -x "$build/sample_export" ]]; then
    echo
    "$build/sample_export" 1000000
fi
