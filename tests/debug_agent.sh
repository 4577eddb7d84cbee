#!/usr/bin/env bash
# Runs examples/debug_agent (a C debugger agent, include/erbium/debugger.h)
# and compares its output with tests/debug_agent.expected.
#   tests/debug_agent.sh <debug_agent binary> <workdir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$2"
erlc -o "$2" "$here/../examples/debug_agent.erl"
timeout 120 "$1" "$2" >"$2/out.txt"
diff -u "$here/debug_agent.expected" "$2/out.txt"
echo "PASS debug_agent"
