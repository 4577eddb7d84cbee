#!/usr/bin/env bash
# Runs examples/profile_example (the profiler's C API from an embedding
# program) and compares its output with tests/profile_example.expected.
#   tests/profile_example.sh <profile_example binary> <workdir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$2"
erlc -o "$2" "$here/../examples/profile_example.erl"
"$1" "$2" >"$2/out.txt"
diff -u "$here/profile_example.expected" "$2/out.txt"
echo "PASS profile_example"
