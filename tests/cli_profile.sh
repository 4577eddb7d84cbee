#!/usr/bin/env bash
# The command line's --profile options: runs examples/profile_example.erl
# (four processes computing fib(15), 1973 calls each) under each kind of
# profile and view, and checks the exact call counts in the JSON and table
# reports, call_memory's exact words (each worker's reply is a 2-tuple: 3
# words), the pattern forms and the errors for bad values.
#   tests/cli_profile.sh <erbium> <workdir>
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
erbium=$1
dir=$2
mkdir -p "$dir"
erlc -o "$dir" "$here/../examples/profile_example.erl" || exit 1
failed=0

# check <description> <command output> <expected grep -E pattern>
check() {
    if grep -qE "$3" <<<"$2"; then echo "ok   $1"; else echo "FAIL $1"; echo "$2"; failed=1; fi
}

run() { "$erbium" "$@" -noshell -pa "$dir" -s profile_example main -s init stop 2>&1; }

out=$(run --profile call_count --profile-format json)
check "call_count json counts every call" "$out" '"function": "fib", "arity": 1, "count": 7892'
out=$(run --profile call_time --profile-pattern profile_example:fib/1 --profile-format json)
check "call_time json counts every call" "$out" '"function": "fib", "arity": 1, "calls": 7892, "time_us"'
out=$(run --profile call_time --profile-pattern profile_example:fib --profile-by process --profile-format json)
check "per process: four processes" "$(grep -c '"function": "fib"' <<<"$out")" '^4$'
check "per process: 1973 calls each" "$out" '"pid": "<0\.[0-9]+\.0>", "calls": 1973'
out=$(run --profile call_count --profile-pattern profile_example --profile-by scheduler)
check "per scheduler table" "$out" 'Normal scheduler [0-9]+  --'
out=$(run --profile call_time --profile-pattern profile_example)
check "table heading" "$out" '^FUNCTION +CALLS +TIME \(us\) +us/CALL'
check "table row" "$out" '^profile_example:fib/1 +7892 '
out=$(run --profile call_memory --profile-pattern profile_example)
check "call_memory table heading" "$out" '^FUNCTION +CALLS +WORDS +PER CALL'
check "call_memory: each worker's {done, self()} is 3 words" "$out" '^profile_example:worker/2 +4 +12 +3\.00 '
check "call_memory: the receive loop takes four 3-word messages" "$out" '^profile_example:-main/0-lc\$\^1/1-1-/1 +5 +12 '
out=$(run --profile call_memory --profile-pattern profile_example --profile-by process --profile-format json)
check "call_memory per process json" "$(grep -c '"function": "worker", "arity": 2, "pid": "<0\.[0-9]*\.0>", "memory_calls": 1, "words": 3}' <<<"$out")" '^4$'
run --profile call_count --profile-out "$dir/profile.json" --profile-format json >/dev/null
check "--profile-out writes the file" "$(cat "$dir/profile.json")" '"count": 7892'
out=$(run --profile wall_clock)
check "a bad kind is refused" "$out" 'bad value for --profile: wall_clock'
out=$(run --profile call_count --profile-pattern 'm:f/x')
check "a bad pattern is refused" "$out" 'bad value for --profile-pattern: m:f/x'
exit $failed
