#!/usr/bin/env bash
# Differential test: runs one Erlang program on OTP's erl and on erbium, with
# the same command line (-noshell -pa Dir -s Mod main -s init stop), and
# passes iff both print the same stdout and exit with the same status.
#
#   tests/diff.sh <file.erl> <erbium> <workdir>
#
# The module must export main/0. It is compiled with erlc into <workdir>/<mod>,
# where both outputs are kept (otp.out/err, erbium.out/err) for inspection.
# Both VMs read standard input from <mod>.stdin beside <file.erl> when there is
# one, else from /dev/null.
#
# When main/0 crashes, both VMs print {"init terminating in do_boot",Reason}
# on stdout and exit with status 1; diff_normalize.escript strips the stack
# trace from that line. On that path OTP halts without flushing standard
# output, so it may lose or reorder the lines printed just before: then erl
# is run again, up to four more times, and the test passes if erbium's output
# matches any of OTP's runs (otp_run_limit below).
set -uo pipefail

if (($# != 3)); then
    echo "usage: $0 <file.erl> <erbium> <workdir>" >&2
    exit 2
fi

# Absolute paths: both VMs run from inside the work directory.
absolute() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
src=$1
erbium=$(absolute "$2")
mod=$(basename "$src" .erl)
dir=$(absolute "$3")/$mod
here=$(cd "$(dirname "$0")" && pwd)
limit=${ERBIUM_DIFF_TIMEOUT:-60}
do_boot='^{"init terminating in do_boot",'
stdin=/dev/null
if [[ -f "${src%.erl}.stdin" ]]; then
    stdin=$(absolute "${src%.erl}.stdin")
fi

# run_vm <name> <command...>: runs in $dir with $stdin as standard input, leaving
# <name>.out, <name>.err and <name>.status there.
run_vm() {
    local name=$1
    shift
    # -k: a VM takes SIGTERM as init:stop/0 (both do), which a hung system may never finish
    (cd "$dir" && timeout -k 10 "$limit" "$@" <"$stdin" >"$name.out" 2>"$name.err")
    echo $? >"$dir/$name.status"
    if grep -q "$do_boot" "$dir/$name.out"; then
        escript "$here/diff_normalize.escript" "$dir/$name.out"
    fi
}

# OTP's output does not depend on erbium's build: with $ERBIUM_DIFF_OTP_FROM
# (the work directory of an earlier run, e.g. the release build's), the
# sanitizer phases take erl's output and status (and reuse_beam below, the
# compiled module) from there instead of running erl again. A mismatch still reruns erl below.
reuse_otp() {
    local from=${ERBIUM_DIFF_OTP_FROM:-}/$mod
    [[ -n "${ERBIUM_DIFF_OTP_FROM:-}" && -f "$from/otp.out" && -f "$from/otp.status" ]] || return 1
    cp "$from/otp.out" "$from/otp.status" "$dir/"
}

# No crash dump from erl: it only slows the crash path down.
run_otp() {
    ERL_CRASH_DUMP_SECONDS=0 run_vm otp erl -noshell -pa "$dir" -s "$mod" main -s init stop
}

run_erbium() {
    if [[ -x "$erbium" ]]; then
        run_vm erbium "$erbium" -noshell -pa "$dir" -s "$mod" main -s init stop
    else
        echo "erbium binary not found: $erbium" >"$dir/erbium.err"
        : >"$dir/erbium.out"
        echo 127 >"$dir/erbium.status"
    fi
}

same() {
    [[ "$(cat "$dir/otp.status")" == "$(cat "$dir/erbium.status")" ]] &&
        cmp -s "$dir/otp.out" "$dir/erbium.out"
}

# The same run's .beam too: the sanitizer phases need no erlc of their own (a second of
# CPU each, the phases' largest cost after the programs).
reuse_beam() {
    local from=${ERBIUM_DIFF_OTP_FROM:-}/$mod
    [[ -n "${ERBIUM_DIFF_OTP_FROM:-}" && "$from/$mod.beam" -nt "$src" ]] || return 1
    cp "$from"/*.beam "$dir/"
}

# How many times erl may run before a mismatch fails the test. erl itself
# is not always the same: a crashing main/0 can lose output (see the top), and
# under load a logger report racing init:stop can crash OTP's default handler,
# which prints {removed_failing_handler,default}. So a mismatch runs erl once
# more (four more times on a crashing run) and erbium must match one of them.
otp_run_limit() {
    if grep -q "$do_boot" "$dir/otp.out"; then echo 5; else echo 2; fi
}

rm -rf "$dir"
mkdir -p "$dir"
if ! reuse_beam && ! erlc -o "$dir" "$src"; then
    echo "FAIL $mod: erlc failed"
    exit 1
fi

# Both at once: each spends a second in OTP's shutdown (user_sup waits 1 s).
if ! reuse_otp; then
    run_otp &
fi
run_erbium
wait
runs=1
while ! same && ((runs < $(otp_run_limit))); do
    run_otp
    runs=$((runs + 1))
done

otp_status=$(cat "$dir/otp.status")
erbium_status=$(cat "$dir/erbium.status")
if same; then
    echo "PASS $mod (status $otp_status, OTP runs: $runs)"
    exit 0
fi

echo "FAIL $mod"
echo "exit status: otp=$otp_status erbium=$erbium_status (124 = timed out after ${limit}s)"
diff -u --label "otp/$mod" --label "erbium/$mod" "$dir/otp.out" "$dir/erbium.out" | head -n 200
if [[ -s "$dir/erbium.err" ]]; then
    echo "--- erbium stderr (last 30 lines)"
    tail -n 30 "$dir/erbium.err"
fi
exit 1
