#!/usr/bin/env bash
# Debugger test on erbium alone (OTP 25 has no erl_debugger): compiles
# tests/debug/<mod>.erl, runs it on erbium with +D and passes iff erbium
# exits 0 and its stdout equals <mod>.out next to the source (written from
# OTP 28's erl_debugger documentation).
#
#   tests/debug.sh <file.erl> <erbium> <workdir>
set -uo pipefail

if [[ $# -ne 3 ]]; then
    echo "usage: $0 <file.erl> <erbium> <workdir>" >&2
    exit 2
fi
src=$1
erbium=$2
mod=$(basename "$src" .erl)
dir=$3/$mod
limit=${ERBIUM_STRESS_TIMEOUT:-600}

rm -rf "$dir"
mkdir -p "$dir"
erlc -o "$dir" "$src" || { echo "FAIL $mod: erlc failed"; exit 1; }
timeout "$limit" "$erbium" +D -noshell -pa "$dir" -s "$mod" main -s init stop </dev/null >"$dir/erbium.out" 2>"$dir/erbium.err"
status=$?
if [[ $status -ne 0 ]] || ! cmp -s "${src%.erl}.out" "$dir/erbium.out"; then
    echo "FAIL $mod: exit status $status; expected and actual output:"
    diff "${src%.erl}.out" "$dir/erbium.out"
    cat "$dir/erbium.err"
    exit 1
fi
echo "PASS $mod"
