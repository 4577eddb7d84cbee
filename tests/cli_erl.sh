#!/usr/bin/env bash
# erl's command line on erbium: the same arguments to `erl` and to erbium must
# give the same standard output and exit status (-s, -run, -eval, -extra,
# flags, -config, -env, init:stop/1, halt/1, a crashing item).
#
#   tests/cli_erl.sh <erbium> <workdir>
set -uo pipefail
erbium=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
erlc -o "$dir" "$here/cli_erl/cli_items.erl" || exit 1
failed=0

# same <description> <erl arguments...>: runs both VMs in $dir, compares stdout and status;
# standard input is $input (default /dev/null).
same() {
    local what=$1 in=${input:-/dev/null}
    shift
    (cd "$dir" && ERL_CRASH_DUMP_SECONDS=0 timeout 60 erl "$@" <"$in" >otp.out 2>/dev/null)
    local otp=$?
    (cd "$dir" && timeout 60 "$erbium" "$@" <"$in" >erbium.out 2>erbium.err)
    local erb=$?
    if [[ $otp == "$erb" ]] && cmp -s "$dir/otp.out" "$dir/erbium.out"; then
        echo "ok   $what (status $otp)"
    else
        echo "FAIL $what: status otp=$otp erbium=$erb"
        diff "$dir/otp.out" "$dir/erbium.out"
        tail -5 "$dir/erbium.err"
        failed=1
    fi
}

same "-s items in order, in the boot process" -noshell -pa . -s cli_items -s cli_items atoms a b \
    -run cli_items strings x "y z" -s init stop
same "-eval, then the node stops itself" -noshell -eval 'io:format("~p~n", [lists:seq(1, 3)]), init:stop().'
same "-eval with a halt status" -noshell -eval 'io:format("bye~n"), halt(3).'
same "init:stop/1 status" -noshell -eval 'init:stop(5).'
same "flags and -extra" -noshell -pa . -myflag v1 v2 -myflag v3 -s cli_items args -s init stop -extra p1 -s p2
same "a crashing -s item" -noshell -pa . -s cli_items boom -s init stop
same "a crashing -eval" -noshell -eval 'erlang:error(nope).'
same "an undefined module" -noshell -s no_such_module -s init stop
echo '[{kernel, [{foo_key, 42}]}, {cli_app, [{a, 1}]}].' >"$dir/cli.config"
same "-config, -App Key Value, -env, -hidden" -noshell -config cli -kernel bar_key baz -env CLI_ERL_VAR hi \
    -hidden -eval 'io:format("~p~n", [[application:get_env(kernel, foo_key), application:get_env(kernel, bar_key),
                                       os:getenv("CLI_ERL_VAR"), init:get_argument(env), init:get_argument(hidden)]]),
                   halt().'
# Emulator flags without a value must not take the next argument as theirs.
same "flags without a value" -noshell +fnu +fnl +fna +B +Bd +d +fnue -eval 'halt(3).'
same "a value flag, then one without" +P 4096 +fnu -noshell -eval 'halt(4).'
# When init itself dies, the VM halts with status 1 (it hung).
same "init killed" -noshell -eval 'exit(whereis(init), kill).'
same "init's reason printer crashing" -noshell -eval 'exit({x, [$a | b]}).'
same "halt with a slogan" -noshell -eval 'halt([$a, 256]).'
# erlexec's environment flags: ERL_AFLAGS first, ERL_FLAGS and ERL_ZFLAGS last (before -extra).
export ERL_AFLAGS="-x a" ERL_FLAGS="-x f -noshell" ERL_ZFLAGS="-x z"
same "ERL_AFLAGS, ERL_FLAGS, ERL_ZFLAGS" -x c \
    -eval 'io:format("~p~n", [{init:get_argument(x), init:get_plain_arguments()}]), halt().' -extra p1
unset ERL_AFLAGS ERL_FLAGS ERL_ZFLAGS
# Without -noshell the shell runs on standard input (no terminal: OTP's
# line-editing driver does not open, so user_drv falls back to the plain shell).
same "the shell, no input" -pa . -s cli_items -s init stop
printf 'X = 1 + 2.\nlists:reverse([1, 2, X]).\nio:format("hi~n").\nhalt().\n' >"$dir/shell.in"
input=$dir/shell.in same "the shell, reading expressions"
same "+V" +V
same "-version" -version
exit $failed
