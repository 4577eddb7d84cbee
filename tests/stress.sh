#!/usr/bin/env bash
# Stress test on erbium alone: compiles tests/stress/<mod>.erl, runs it on
# erbium and passes iff erbium exits 0 and its stdout equals <mod>.out next
# to the source. For programs OTP 25 itself cannot run (it crashes on some of
# them), so they cannot be differential tests. The debugger tests run through
# it too, with +D among the flags (OTP 25 has no erl_debugger; their expected
# output is written from OTP 28's documentation).
#
#   tests/stress.sh <file.erl> <erbium> <workdir> [erbium flags...]
set -uo pipefail

if [[ $# -lt 3 ]]; then
    echo "usage: $0 <file.erl> <erbium> <workdir> [erbium flags...]" >&2
    exit 2
fi
src=$1
erbium=$2
mod=$(basename "$src" .erl)
dir=$3/$mod
shift 3
limit=${ERBIUM_STRESS_TIMEOUT:-600}

rm -rf "$dir"
mkdir -p "$dir"
# modules the program needs on its code path: <mod>.d/*.erl next to it
companions=()
[[ -d "${src%.erl}.d" ]] && companions=("${src%.erl}.d"/*.erl)
erlc -o "$dir" "$src" "${companions[@]}" || { echo "FAIL $mod: erlc failed"; exit 1; }
timeout -k 10 "$limit" "$erbium" "$@" -noshell -pa "$dir" -s "$mod" main -s init stop </dev/null >"$dir/erbium.out" 2>"$dir/erbium.err"
status=$?
if [[ $status -ne 0 ]] || ! cmp -s "${src%.erl}.out" "$dir/erbium.out"; then
    echo "FAIL $mod: exit status $status; expected and actual output:"
    diff "${src%.erl}.out" "$dir/erbium.out"
    cat "$dir/erbium.err"
    exit 1
fi
echo "PASS $mod"
