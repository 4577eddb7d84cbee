#!/usr/bin/env bash
# Runs every bench/*.erl on OTP's erl and on erbium and prints a table:
#
#   workload  otp_ms  erbium_ms  ratio(erbium/otp)
#
#   bench/run.sh [build-dir [workload...]]   (default: build, every workload)
#
# Each benchmark times its own work and prints `RESULT <name> <us>` plus
# CHECK lines; start-up is not counted. A benchmark that measures something
# other than time prints `RESULT <name> <value> <unit>`: its columns then hold
# the value as is, marked with the unit. A VM that fails, or whose CHECK lines
# differ from OTP's, shows "fail" or "wrong" instead of a time; the table is
# still finished, and the exit status is then 1.
#
# This machine's timings vary from one VM process to the next (a run of the
# same program can take 1.5x another), so each VM runs each workload
# BENCH_RUNS times (default 3), the two VMs taking turns, and the table shows
# each VM's best run; a workload whose first runs took over 5 s runs once.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift $(($# > 0 ? 1 : 0))
only=("$@") # workload names to run; none: all of them
[[ "$build" == /* ]] || build=$PWD/$build # the VMs run from inside $out
erbium=$build/erbium
out=$build/bench
mkdir -p "$out"

# Prints the time in ms with one decimal from a RESULT line in file $1 (or
# the value as is, when the line names a unit), or fails.
result_ms() {
    local us unit
    read -r us unit < <(awk '$1 == "RESULT" { print $3, $4 }' "$1" | tail -n 1)
    [[ "$us" =~ ^[0-9]+$ ]] || return 1
    if [[ -n "$unit" ]]; then echo "$us"; return; fi
    awk -v us="$us" 'BEGIN { printf "%.1f", us / 1000 }'
}

# The unit a benchmark's RESULT line in file $1 names, or nothing (ms).
result_unit() { awk '$1 == "RESULT" { print $4 }' "$1" | tail -n 1; }

# Runs workload $2 on VM $1 (otp or erbium; command $3) once, into $out/$2.$1.run. The
# first run, a failure (which then stays), or a run faster than the one kept becomes
# $out/$2.$1.out (and .err), and sets otp_rc or erbium_rc.
one_run() {
    local vm=$1 mod=$2 cmd=$3 rc
    (cd "$out" && timeout 600 "$cmd" -noshell -pa "$out" -s "$mod" main -s init stop \
        </dev/null >"$mod.$vm.run" 2>"$mod.$vm.run.err")
    rc=$?
    if run_is_kept "$vm" "$mod" "$rc"; then
        mv "$out/$mod.$vm.run" "$out/$mod.$vm.out"
        mv "$out/$mod.$vm.run.err" "$out/$mod.$vm.err"
        printf -v "${vm}_rc" '%d' "$rc"
    else
        rm -f "$out/$mod.$vm.run" "$out/$mod.$vm.run.err"
    fi
}

# Whether one_run keeps run $run of workload $2 on VM $1, whose exit status was $3.
run_is_kept() {
    local kept_rc=${1}_rc new old
    ((run == 1)) && return 0
    ((${!kept_rc} == 0)) || return 1
    ((${3} == 0)) || return 0
    new=$(result_ms "$out/$2.$1.run") || return 0
    old=$(result_ms "$out/$2.$1.out") || return 0
    awk -v a="$new" -v b="$old" 'BEGIN { exit !(a < b) }'
}

status=0
# helpers the workloads share (bench/lib is not a workload)
erlc -o "$out" "$root"/bench/lib/*.erl || status=1
printf '%-12s %10s %10s %18s\n' workload otp_ms erbium_ms 'ratio(erbium/otp)'
for src in "$root"/bench/*.erl; do
    if ((${#only[@]})) && [[ ! " ${only[*]} " == *" $(basename "$src" .erl) "* ]]; then continue; fi
    mod=$(basename "$src" .erl)
    if ! erlc -o "$out" "$src"; then
        printf '%-12s %10s %10s %18s\n' "$mod" fail fail -
        status=1
        continue
    fi
    started=$(date +%s)
    for ((run = 1; run <= ${BENCH_RUNS:-3}; run++)); do
        one_run otp "$mod" erl
        if [[ -x "$erbium" ]]; then
            one_run erbium "$mod" "$erbium"
        else
            echo "no erbium binary at $erbium" >"$out/$mod.erbium.err"
            : >"$out/$mod.erbium.out"
            erbium_rc=127
        fi
        ((run > 1 || $(date +%s) - started <= 5)) || break
    done

    otp_ms=fail
    if ((otp_rc == 0)) && ms=$(result_ms "$out/$mod.otp.out"); then
        otp_ms=$ms
    fi
    erbium_ms=fail
    if ((erbium_rc == 0)) && ms=$(result_ms "$out/$mod.erbium.out"); then
        erbium_ms=$ms
        if [[ "$(grep '^CHECK' "$out/$mod.otp.out")" != "$(grep '^CHECK' "$out/$mod.erbium.out")" ]]; then
            erbium_ms=wrong
        fi
    fi
    [[ "$otp_ms" =~ ^[0-9.]+$ && "$erbium_ms" =~ ^[0-9.]+$ ]] || status=1
    ratio=-
    if [[ "$otp_ms" =~ ^[0-9.]+$ && "$erbium_ms" =~ ^[0-9.]+$ ]]; then
        ratio=$(awk -v a="$erbium_ms" -v b="$otp_ms" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    fi
    unit=$(result_unit "$out/$mod.otp.out")
    printf '%-12s %10s %10s %18s%s\n' "$mod" "$otp_ms" "$erbium_ms" "$ratio" "${unit:+  (in $unit, not ms)}"
done
echo "outputs in $out"
exit "$status"
