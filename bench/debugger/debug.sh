#!/usr/bin/env bash
# The debugger's costs on erbium:
#  1. fib and bintree without +D and with +D (sites, no breakpoint), run
#     alternately ROUNDS times each; the best times and the +D overhead;
#  2. hits per second delivered to an Erlang debugger that resumes each one
#     (bench/debugger/dbg_events.erl), and to a C callback (a --break
#     logpoint whose condition never holds, against the same loop without).
#
#   bench/debugger/debug.sh [build-dir]      (default: build)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
[[ "$build" == /* ]] || build=$PWD/$build
erbium=$build/erbium
out=$build/bench-debug
rounds=${ROUNDS:-7}
mkdir -p "$out"
erlc -o "$out" "$root"/bench/{fib,bintree}.erl "$root"/bench/lib/*.erl "$root"/bench/debugger/dbg_events.erl || exit 1
cd "$out" || exit 1

best() { # workload, flags...: the best RESULT over $rounds runs, in us
    local w=$1 b=
    shift
    for _ in $(seq "$rounds"); do
        local us
        us=$("$erbium" "$@" -noshell -pa . -s "$w" main -s init stop | awk '$1 == "RESULT" { print $3 }')
        [[ -z "$b" || "$us" -lt "$b" ]] && b=$us
    done
    echo "$b"
}

printf '%-10s %12s %12s %10s\n' workload plain_us plus_D_us overhead
for w in fib bintree; do
    p=$(best "$w") d=$(best "$w" +D)
    printf '%-10s %12s %12s %9.1f%%\n' "$w" "$p" "$d" "$(awk -v p="$p" -v d="$d" 'BEGIN { print (d - p) * 100 / p }')"
done
"$erbium" +D -noshell -pa . -s dbg_events main -s init stop
plain=$("$erbium" +D -noshell -pa . -s dbg_events plain -s init stop | awk '{ print $4 }')
logged=$("$erbium" --break dbg_events:14:x0=never -noshell -pa . -s dbg_events plain -s init stop | awk '{ print $4 }')
echo "C callback: 20000 hits in $((logged - plain)) us over the loop, $((20000 * 1000000 / (logged - plain > 0 ? logged - plain : 1))) events/s"
