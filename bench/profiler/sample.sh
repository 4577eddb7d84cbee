#!/usr/bin/env bash
# The cost of stack sampling (--profile sample, 997 Hz per scheduler) on
# fib, binary trees and a message-passing ping-pong, as CPU time (user +
# system of the whole VM, the sampler thread included): on a shared machine
# wall time mostly measures the other tenants, CPU time much less so. Each
# run calls the workload's main/0 REPEAT times in one VM; ROUNDS rounds run
# it plain and sampled one after the other (order alternating), and the
# table gives the least CPU time of each, the VM's start and stop (an
# empty program's least CPU time) taken off, and the sampled run's
# overhead. With a second erbium binary (e.g. built from main, without the
# sampling hook) its plain runs are measured too: the hook's cost when
# sampling is off. Then bench/profiler/sample_export (if built) times
# merging and exporting a profile of 1,000,000 distinct stacks.
#
#   bench/profiler/sample.sh [build-dir] [baseline-erbium]   (ROUNDS=5)
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
[[ "$build" == /* ]] || build=$PWD/$build
baseline=${2:-}
rounds=${ROUNDS:-5}
erbium=$build/erbium
out=$build/bench-sample
mkdir -p "$out"
erlc -o "$out" "$root"/bench/lib/*.erl "$root"/bench/{fib,bintree,pingpong}.erl || exit 1
declare -A repeat=([fib]=15 [bintree]=4 [pingpong]=8 [empty]=0)

# cpu <erbium> <workload> [flags...]: user + system seconds of the VM running it
cpu() {
    local vm=$1 w=$2 t
    shift 2
    local TIMEFORMAT='%3U %3S'
    t=$( { time (cd "$out" && timeout 1800 "$vm" "$@" -noshell -pa "$out" \
        -eval "[$w:main() || _ <- lists:seq(1, ${repeat[$w]})]" -s init stop </dev/null >/dev/null 2>&1); } 2>&1)
    awk '{ printf "%.3f\n", $1 + $2 }' <<<"$t"
}

least() { sort -n | head -n 1; }

for ((r = 0; r < rounds; r++)); do cpu "$erbium" empty; done >"$out/empty"
boot=$(least <"$out/empty")
printf 'VM start and stop: %.3f s CPU (taken off below)\n\n' "$boot"
printf '%-10s %5s %10s %10s %9s %12s %9s\n' workload runs plain_s sampled_s overhead baseline_s hook
for w in fib bintree pingpong; do
    : >"$out/$w.plain"
    : >"$out/$w.sampled"
    : >"$out/$w.base"
    for ((r = 0; r < rounds; r++)); do
        if ((r % 2)); then
            cpu "$erbium" $w --profile sample --profile-out /dev/null >>"$out/$w.sampled"
            cpu "$erbium" $w >>"$out/$w.plain"
        else
            cpu "$erbium" $w >>"$out/$w.plain"
            cpu "$erbium" $w --profile sample --profile-out /dev/null >>"$out/$w.sampled"
        fi
        [[ -n "$baseline" ]] && cpu "$baseline" $w >>"$out/$w.base"
    done
    awk -v w=$w -v n="${repeat[$w]}" -v boot="$boot" -v p="$(least <"$out/$w.plain")" \
        -v s="$(least <"$out/$w.sampled")" -v b="$(least <"$out/$w.base")" 'BEGIN {
        p -= boot; s -= boot; if (b != "") b -= boot
        printf "%-10s %5d %10.3f %10.3f %+8.1f%% %12s %9s\n", w, n, p, s, (s / p - 1) * 100,
               (b != "") ? sprintf("%.3f", b) : "-", (b != "") ? sprintf("%+.1f%%", (p / b - 1) * 100) : "-" }'
done

if [[ -x "$build/sample_export" ]]; then
    echo
    "$build/sample_export" 1000000
fi
