#!/usr/bin/env bash
# Stack sampling from the command line and its exports, read back by the
# tools people use: runs bench/fib.erl (fib(30), five times) with --profile
# sample in every format, and examples/profile_example.erl (four processes
# computing fib(15)) with call_count, call_time and call_memory in the
# folded, speedscope and pprof formats, and checks
#  - folded: every line is "frame;...;frame count" (flamegraph.pl's input),
#    and flamegraph.pl renders it when installed (Debian 12 has no package
#    for it: then the format check alone);
#  - speedscope: valid against speedscope's JSON schema (its npm package's
#    dist/release/file-format-schema.json, fetched once with `npm pack` and
#    validated with python3's jsonschema; skipped with a message where either
#    cannot be had), and always structurally (frame indices in range, one
#    weight per sample, endValue the weights' sum);
#  - pprof: `go tool pprof -top` (Debian's golang-go) reads the samples
#    (fib:fib/1 among them) and call_time's flat profile (skipped with a
#    message where go is missing);
#  - table and json: the heading, and that fib is sampled;
#  - bad --profile-rate values are refused.
#   tests/cli_sample.sh <erbium> <workdir>
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
erbium=$1
dir=$2
mkdir -p "$dir"
erlc -o "$dir" "$here/../examples/profile_example.erl" "$here/../bench/fib.erl" "$here/../bench/lib/bench_time.erl" || exit 1
failed=0

check() {
    if grep -qE "$3" <<<"$2"; then echo "ok   $1"; else echo "FAIL $1"; echo "$2" | head -20; failed=1; fi
}

run() { "$erbium" "$@" -noshell -pa "$dir" -s profile_example main -s init stop 2>&1; }

# folded_ok <file>: every line is frames separated by ';' then a space and a count
folded_ok() {
    [[ -s "$1" ]] && ! grep -vqE '^[^;]+(;[^;]+)* [0-9]+$' "$1"
}

# speedscope_ok <file>: the structure speedscope reads, checked with python3's json
speedscope_ok() {
    python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["$schema"] == "https://www.speedscope.app/file-format-schema.json"
frames = d["shared"]["frames"]
assert all(isinstance(f["name"], str) for f in frames)
assert d["profiles"]
for p in d["profiles"]:
    assert p["type"] == "sampled" and p["unit"] in ("none", "microseconds", "bytes")
    assert len(p["samples"]) == len(p["weights"])
    assert all(0 <= i < len(frames) for s in p["samples"] for i in s)
    assert p["endValue"] == sum(p["weights"]) and p["startValue"] == 0
PY
}

# The schema from speedscope's npm package, fetched once into the work dir.
schema=$dir/speedscope/package/dist/release/file-format-schema.json
if [[ ! -f "$schema" ]] && command -v npm >/dev/null; then
    mkdir -p "$dir/speedscope"
    (cd "$dir/speedscope" && timeout 120 npm pack --silent speedscope@1.25.0 >/dev/null 2>&1 &&
        tar xzf speedscope-1.25.0.tgz package/dist/release/file-format-schema.json) || true
fi
schema_ok() {
    python3 - "$schema" "$1" <<'PY'
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
PY
}
have_schema=0
if [[ -f "$schema" ]] && python3 -c 'import jsonschema' 2>/dev/null; then have_schema=1
else echo "skip speedscope schema check: npm could not fetch speedscope or python3 lacks jsonschema"; fi
have_flamegraph=0
if command -v flamegraph.pl >/dev/null || command -v flamegraph >/dev/null; then have_flamegraph=1
else echo "skip flamegraph.pl: not installed (no Debian 12 package); the folded format is checked instead"; fi

sampled() { "$erbium" --profile sample "$@" -noshell -pa "$dir" -s fib main -s init stop 2>&1; }

for view in function process scheduler; do
    sampled --profile-by $view --profile-format folded --profile-out "$dir/s-$view.folded" >/dev/null
    folded_ok "$dir/s-$view.folded" && r=ok || r=bad
    check "folded samples by $view are well formed" "$r" '^ok$'
    check "folded samples by $view hold fib" "$(cat "$dir/s-$view.folded")" 'fib:fib/1 [0-9]+$'
    if ((have_flamegraph)); then
        fg=$(command -v flamegraph.pl || command -v flamegraph)
        check "flamegraph.pl renders the samples by $view" "$("$fg" "$dir/s-$view.folded" 2>&1)" '<svg'
    fi
    sampled --profile-by $view --profile-format speedscope --profile-out "$dir/s-$view.speedscope.json" >/dev/null
    speedscope_ok "$dir/s-$view.speedscope.json" && r=ok || r=bad
    check "speedscope samples by $view are well formed" "$r" '^ok$'
    if ((have_schema)); then
        schema_ok "$dir/s-$view.speedscope.json" && r=ok || r=bad
        check "speedscope samples by $view match speedscope's schema" "$r" '^ok$'
    fi
done
check "folded by process starts at the pid" "$(cat "$dir/s-process.folded")" '^<0\.[0-9]+\.0>;'
check "folded by scheduler starts at the scheduler" "$(cat "$dir/s-scheduler.folded")" '^(dirty )?scheduler [0-9]+;'

for kind in call_time call_count call_memory; do
    run --profile $kind --profile-pattern profile_example --profile-format folded --profile-out "$dir/$kind.folded" >/dev/null
    folded_ok "$dir/$kind.folded" && r=ok || r=bad
    check "folded $kind is well formed" "$r" '^ok$'
    run --profile $kind --profile-by process --profile-format speedscope --profile-out "$dir/$kind.speedscope.json" >/dev/null
    speedscope_ok "$dir/$kind.speedscope.json" && r=ok || r=bad
    check "speedscope $kind (flat, per process) is well formed" "$r" '^ok$'
    if ((have_schema)); then
        schema_ok "$dir/$kind.speedscope.json" && r=ok || r=bad
        check "speedscope $kind matches speedscope's schema" "$r" '^ok$'
    fi
done
check "folded call_count counts every call" "$(cat "$dir/call_count.folded")" '^profile_example:fib/1 7892$'
check "folded call_memory weighs words" "$(cat "$dir/call_memory.folded")" '^profile_example:worker/2 12$'
check "speedscope call_memory is in bytes" "$(cat "$dir/call_memory.speedscope.json")" '"unit": "bytes"'

if command -v go >/dev/null; then
    sampled --profile-by process --profile-format pprof --profile-out "$dir/s.pb.gz" >/dev/null
    out=$(timeout 300 go tool pprof -top "$dir/s.pb.gz" 2>&1)
    check "go tool pprof reads the samples" "$out" '^Type: cpu'
    check "go tool pprof: fib:fib/1 has samples" "$out" '^ +[0-9.]+m?s +[0-9.]+% .* fib:fib/1$'
    run --profile call_time --profile-pattern profile_example --profile-format pprof --profile-out "$dir/ct.pb.gz" >/dev/null
    out=$(timeout 300 go tool pprof -top -sample_index=time "$dir/ct.pb.gz" 2>&1)
    check "go tool pprof reads call_time" "$out" 'profile_example:fib/1$'
    run --profile call_memory --profile-pattern profile_example --profile-format pprof --profile-out "$dir/cm.pb.gz" >/dev/null
    out=$(timeout 300 go tool pprof -top -sample_index=alloc_space "$dir/cm.pb.gz" 2>&1)
    check "go tool pprof reads call_memory's bytes" "$out" '^ +96B +[0-9.]+% .* profile_example:worker/2$'
else
    echo "skip pprof check: go (Debian golang-go) is not installed"
fi

out=$(sampled)
check "sample table heading" "$out" '^FUNCTION +SELF +SELF % +TOTAL +TOTAL %'
check "sample table row" "$out" '^fib:fib/1 +[0-9]+ '
sampled --profile-format json --profile-out "$dir/s.json" >/dev/null
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["kind"]=="sample" and d["stacks"]' "$dir/s.json" && r=ok || r=bad
check "sample json parses" "$r" '^ok$'
out=$(run --profile sample --profile-rate 0)
check "a zero rate is refused" "$out" 'bad value for --profile-rate: 0'
out=$(run --profile sample --profile-rate 10x)
check "a malformed rate is refused" "$out" 'bad value for --profile-rate: 10x'
exit $failed
