#!/usr/bin/env bash
# Scheduler scaling: runs bench/parfib.erl with +S 1 and +S 2 on OTP and on
# erbium in one run and prints the speedup of two schedulers over one.
#
#   bench/scaling.sh [build-dir]      (default: build)
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out=$build/bench
mkdir -p "$out"
erlc -o "$out" "$root/bench/parfib.erl" || exit 1

# Prints the microseconds of the best of three runs of: $@
best_us() {
    local best=
    for _ in 1 2 3; do
        local us
        us=$(cd "$out" && timeout 300 "$@" </dev/null 2>/dev/null | awk '$1 == "RESULT" { print $3 }')
        [[ "$us" =~ ^[0-9]+$ ]] || return 1
        if [[ -z "$best" ]] || ((us < best)); then best=$us; fi
    done
    echo "$best"
}

printf '%-8s %10s %10s %10s\n' vm 'S1_ms' 'S2_ms' 'speedup'
for vm in otp erbium; do
    if [[ $vm == otp ]]; then
        s1=$(best_us erl +S 1 -noshell -pa "$out" -s parfib main -s init stop)
        s2=$(best_us erl +S 2 -noshell -pa "$out" -s parfib main -s init stop)
    else
        s1=$(best_us "$build/erbium" +S 1 -noshell -pa "$out" -s parfib main -s init stop)
        s2=$(best_us "$build/erbium" +S 2 -noshell -pa "$out" -s parfib main -s init stop)
    fi
    if [[ -z "$s1" || -z "$s2" ]]; then
        printf '%-8s %10s %10s %10s\n' "$vm" fail fail -
        continue
    fi
    awk -v vm="$vm" -v a="$s1" -v b="$s2" 'BEGIN { printf "%-8s %10.1f %10.1f %9.2fx\n", vm, a / 1000, b / 1000, a / b }'
done
