#!/usr/bin/env bash
# Runs examples/nif_example (an embedding program with natives, one dirty)
# and compares its output with tests/nif_example.expected.
#   tests/nif_example.sh <nif_example binary> <workdir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$2"
erlc -o "$2" "$here/../examples/nif_example.erl"
"$1" "$2" >"$2/out.txt"
diff -u "$here/nif_example.expected" "$2/out.txt"
echo "PASS nif_example"
