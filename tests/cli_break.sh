#!/usr/bin/env bash
# erbium --break MOD:LINE[:COND] (cli/logpoint.c): the logpoint lines on
# stderr for tests/cli_break/break_demo.erl, errors for lines without a
# site and unknown modules, and a malformed option.
#   tests/cli_break.sh <erbium> <workdir>
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
erbium=$1
dir=$2
mkdir -p "$dir"
erlc -o "$dir" "$here/cli_break/break_demo.erl" || exit 1
fail=0
expect() { # name, expected text, actual text
    if [[ "$2" != "$3" ]]; then
        echo "FAIL $1"
        diff <(echo "$2") <(echo "$3")
        fail=1
    fi
}

run() { timeout 60 "$erbium" "$@" -noshell -pa "$dir" -s break_demo main -s init stop 2>&1 >/dev/null | sed 's/<0\.[0-9]*\.0>/<PID>/g'; }

expect logpoints "break <PID> {break_demo,step,2} line 10: y0=1 x0={item,1} x1=100
break <PID> {break_demo,step,2} line 10: y0=2 x0={item,2} x1=100
break <PID> {break_demo,step,2} line 10: y0=3 x0={item,3} x1=100
break <PID> {break_demo,step,2} line 11: y0=3 x0=33
break <PID> {break_demo,step,2} line 10: y0=4 x0={item,4} x1=100" \
    "$(run --break break_demo:10 --break break_demo:11:y0=3)"
expect errors "erbium: --break break_demo:5: ERB_DBG_ERR_INVALID_LOCATION
erbium: --break no_such_mod:3: module 'no_such_mod' not found in the code path" \
    "$(run --break break_demo:5 --break no_such_mod:3)"
# (a sanitizer build would report what main's arguments hold at this early exit)
out=$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 60 "$erbium" --break break_demo -noshell 2>&1)
status=$?
expect malformed "2 erbium: --break wants MOD:LINE[:xN=TERM|yN=TERM], not break_demo" "$status $out"
out=$(timeout 60 "$erbium" -noshell -pa "$dir" -s break_demo main -s init stop 2>&1)
expect program_output "done" "$out"
[[ $fail == 0 ]] && echo "PASS cli_break"
exit $fail
