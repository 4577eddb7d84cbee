#!/usr/bin/env bash
# The profiler's cost, on OTP's erl and on erbium in one run:
#
#  1. each workload (fib, bintree, ring, pingpong, parfib) plain, with
#     call_count, with call_time and (erbium only: OTP 25 has no such flag)
#     with call_memory on all its functions (call_time and call_memory also
#     trace every process: erlang:trace(all, true, [call])); the table gives
#     the plain time in ms and the profiled times as multiples of it;
#  2. bench/profiler/prof_costs.erl: ns added per traced call, set/clear of call_time
#     on 100 modules, a query's latency and the longest stall it causes
#     while 100,000 processes hold call_time entries;
#  3. bench/profiler/trace_costs.erl: fib(20) in a call-traced process whose
#     tracer counts every message, with [] and with return_trace;
#  4. bench/profiler/trace_pingpong.erl: a ping-pong traced with [send, 'receive']
#     whose tracer counts every message.
#  The cost table's last column is erbium's figure over OTP's.
#
#   bench/profiler/profile.sh [build-dir]      (default: build)
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
[[ "$build" == /* ]] || build=$PWD/$build
erbium=$build/erbium
out=$build/bench-profile
mkdir -p "$out"

erlc -o "$out" "$root"/bench/profiler/{profwrap,prof_costs,trace_costs,trace_pingpong}.erl "$root"/bench/lib/*.erl \
    "$root"/bench/{fib,bintree,ring,pingpong,parfib}.erl || exit 1
# m1..m100: 20 functions each, for the set/clear measurement
for i in $(seq 1 100); do
    {
        echo "-module(m$i)."
        echo "-export([$(for f in $(seq 1 20); do printf 'f%d/1%s' "$f" "$([[ $f -lt 20 ]] && echo ,)"; done)])."
        for f in $(seq 1 20); do echo "f$f(X) -> X + $f."; done
    } >"$out/m$i.erl"
done
erlc -o "$out" "$out"/m*.erl || exit 1

# run_vm otp|erbium <args...>: stdout of the VM, run in $out
run_vm() {
    local vm=$1
    shift
    if [[ $vm == otp ]]; then
        (cd "$out" && timeout 900 erl -noshell -pa "$out" "$@" -s init stop </dev/null)
    else
        (cd "$out" && timeout 900 "$erbium" -noshell -pa "$out" "$@" -s init stop </dev/null)
    fi
}

# ms <vm> <mode> <workload>: the workload's RESULT in ms, or "fail"
ms() {
    local us
    us=$(run_vm "$1" -s profwrap main "$2" "$3" | awk '$1 == "RESULT" { print $3 }' | tail -n 1)
    [[ "$us" =~ ^[0-9]+$ ]] && awk -v us="$us" 'BEGIN { printf "%.1f", us / 1000 }' || echo fail
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b > 0) printf "%.2fx", a / b; else print "-" }'; }

printf '%-10s | %9s %10s %10s | %9s %10s %10s %10s\n' workload otp_ms otp_count otp_time erbium_ms erb_count erb_time \
    erb_memory
for w in fib bintree ring pingpong parfib; do
    row=()
    for vm in otp erbium; do
        plain=$(ms $vm plain $w)
        count=$(ms $vm call_count $w)
        time=$(ms $vm call_time $w)
        row+=("$plain" "$(ratio "$count" "$plain")" "$(ratio "$time" "$plain")")
    done
    row+=("$(ratio "$(ms erbium call_memory $w)" "$plain")")
    printf '%-10s | %9s %10s %10s | %9s %10s %10s %10s\n' "$w" "${row[@]}"
done

echo
printf '%-34s %12s %12s %8s\n' cost otp erbium ratio
# one VM after the other: run side by side they would share the cores
run_vm otp -s prof_costs main -s trace_costs main -s trace_pingpong main | awk '$1 == "COST"' >"$out/costs.otp"
run_vm erbium -s prof_costs main -s trace_costs main -s trace_pingpong main | awk '$1 == "COST"' >"$out/costs.erbium"
paste "$out/costs.otp" "$out/costs.erbium" |
    awk '{ r = ($3 > 0) ? sprintf("%.2fx", $6 / $3) : "-"; printf "%-34s %12s %12s %8s\n", $2, $3, $6, r }'
