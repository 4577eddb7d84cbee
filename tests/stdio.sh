#!/usr/bin/env bash
# Standard input and output as erl -noshell / -noinput behave:
#  - output is not held back: a line printed before a long sleep can be read
#    from the pipe at once, and survives the VM being killed;
#  - a reader that closes the pipe (| head -1) ends the run as on OTP: exit
#    status 1 with "init terminating in do_boot" on stderr, no hang, no signal;
#  - with -noinput, fd 0 belongs to the program (an {fd, 0, 1} port reads it),
#    with the same messages as on OTP.
#   tests/stdio.sh <erbium> <workdir>
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
erbium=$1
dir=$2
rm -rf "$dir"
mkdir -p "$dir"
erlc -o "$dir" "$here"/stdio/*.erl || exit 1
failed=0

ok() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failed=1; }

# 1. A line printed before a sleep is readable while the VM still runs.
mkfifo "$dir/fifo"
"$erbium" -noshell -pa "$dir" -s stdio_sleep main -s init stop >"$dir/fifo" 2>/dev/null &
vm=$!
exec 3<"$dir/fifo"
if IFS= read -r -t 10 -u 3 line && [[ $line == "first line" ]] && kill -0 "$vm" 2>/dev/null; then
    ok "a printed line reaches the pipe before the program ends"
else
    fail "a printed line reaches the pipe before the program ends (got '${line:-}')"
fi
{ kill -9 "$vm" && wait "$vm"; } 2>/dev/null
exec 3<&-

# 2. Killed right after printing to a file: nothing printed is lost.
"$erbium" -noshell -pa "$dir" -s stdio_sleep main -s init stop >"$dir/killed.out" 2>/dev/null &
vm=$!
for _ in $(seq 100); do [[ -s "$dir/killed.out" ]] && break; sleep 0.1; done
{ kill -9 "$vm" && wait "$vm"; } 2>/dev/null
if [[ "$(cat "$dir/killed.out")" == "first line" ]]; then
    ok "a VM killed after printing lost nothing"
else
    fail "a VM killed after printing lost nothing (file: '$(cat "$dir/killed.out")')"
fi

# 3. | head -1: the same first line, status and report as OTP's.
otp_line=$(ERL_CRASH_DUMP_SECONDS=0 erl -noshell -pa "$dir" -s stdio_many main -s init stop 2>"$dir/otp.err" | head -1)
otp_status=${PIPESTATUS[0]}
erb_line=$(timeout 60 "$erbium" -noshell -pa "$dir" -s stdio_many main -s init stop 2>"$dir/erbium.err" | head -1)
erb_status=${PIPESTATUS[0]}
if [[ $erb_line == "$otp_line" && $erb_status == "$otp_status" ]] &&
    grep -q '^init terminating in do_boot ({terminated,' "$dir/erbium.err"; then
    ok "a closed pipe ends the run with status $erb_status as on OTP"
else
    fail "a closed pipe: otp '$otp_line' status $otp_status, erbium '$erb_line' status $erb_status"
    cat "$dir/erbium.err"
fi

# 4. -noinput: the program reads fd 0 through a port.
printf 'short\na line longer than eight\nlast' >"$dir/input"
erl -noinput -pa "$dir" -s stdio_fd_in main -s init stop <"$dir/input" >"$dir/otp_fd.out" 2>&1
timeout 60 "$erbium" -noinput -pa "$dir" -s stdio_fd_in main -s init stop <"$dir/input" >"$dir/erbium_fd.out" 2>&1
if cmp -s "$dir/otp_fd.out" "$dir/erbium_fd.out"; then
    ok "-noinput leaves standard input to an {fd, 0, 1} port"
else
    fail "-noinput leaves standard input to an {fd, 0, 1} port"
    diff "$dir/otp_fd.out" "$dir/erbium_fd.out"
fi

exit $failed
