#!/usr/bin/env bash
# Builds erbium and runs the whole test suite:
#   1. build/       all tests: unit (Criterion) and diff (erl vs erbium);
#   2. build-asan/  the unit tests and the concurrency programs (label
#                   `concurrency`) again under AddressSanitizer + UBSan;
#   3. build-tsan/  the concurrency programs under ThreadSanitizer (a race
#                   report makes erbium exit 66). Criterion itself cannot start
#                   reliably under TSan here, so the unit tests of threaded code
#                   (thread progress) run in phases 1 and 2.
# The sanitizer builds run in the background (see build_in_background).
# Exits non-zero if any build or test fails, after running every phase.
#
#   scripts/test.sh [--no-asan] [--no-tsan] [--unit-only]
#
#   --no-asan    skip phase 2
#   --no-tsan    skip phase 3
#   --unit-only  run only the unit tests in phase 1
#
# Environment: ERBIUM_BUILD_DIR, ERBIUM_ASAN_BUILD_DIR and ERBIUM_TSAN_BUILD_DIR
# move the build directories (default build/, build-asan/, build-tsan/).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
asan=1
tsan=1
labels=()
for arg in "$@"; do
    case "$arg" in
        --no-asan) asan=0 ;;
        --no-tsan) tsan=0 ;;
        --unit-only) labels=(-L unit) ;;
        *)
            echo "usage: $0 [--no-asan] [--no-tsan] [--unit-only]" >&2
            exit 2
            ;;
    esac
done

build=${ERBIUM_BUILD_DIR:-$root/build}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
passed=0
failed=0
status=0

# Runs ctest in build dir $1 with $2 tests at once and the remaining
# arguments, adds its counts to the totals, and records a failure without
# stopping the script. More tests than cores run at once: every program boots
# OTP and then spends a second asleep in OTP's shutdown (-s init stop).
run_ctest() {
    local dir=$1 jobs=$2 log
    shift 2
    log="$logs/$(basename "$dir").log"
    if ! ctest --test-dir "$dir" --output-on-failure --no-tests=error -j"$jobs" "$@" \
            2>&1 | tee "$log"; then
        status=1
    fi
    local line
    line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
    if [[ "$line" =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
        failed=$((failed + BASH_REMATCH[1]))
        passed=$((passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
    else
        status=1
    fi
}

asan_dir=${ERBIUM_ASAN_BUILD_DIR:-$root/build-asan}
tsan_dir=${ERBIUM_TSAN_BUILD_DIR:-$root/build-tsan}

# The sanitizer builds take two minutes of both cores each, and the tests
# leave a core idle a third of the time (each program sleeps a second in OTP's
# shutdown). So once the release build is done, the sanitizer builds run one
# after the other in the background at the lowest priority, and each phase
# waits for its build; <variant>.build.status holds a build's exit status.
build_in_background() {
    local variant=$1 dir=$2 build_status=0
    ERBIUM_BUILD_DIR=$dir nice -n 19 "$root/scripts/build.sh" "$variant" \
        >"$logs/$variant.build.log" 2>&1 || build_status=$?
    echo "$build_status" >"$logs/$variant.build.status"
}

# wait_for_build <variant>: waits for it, prints the end of its log, and
# fails if the build did.
wait_for_build() {
    local variant=$1
    while [[ ! -f "$logs/$variant.build.status" ]]; do
        sleep 1
    done
    tail -n 3 "$logs/$variant.build.log"
    if [[ "$(cat "$logs/$variant.build.status")" != 0 ]]; then
        tail -n 40 "$logs/$variant.build.log"
        echo "$variant build failed"
        # Counted as one failure, so the summary line agrees with the status.
        failed=$((failed + 1))
        status=1
        return 1
    fi
}

echo "== phase 1: release build, ${labels[*]:-all} tests"
ERBIUM_BUILD_DIR=$build "$root/scripts/build.sh" release
(
    if ((asan)); then build_in_background asan "$asan_dir"; fi
    if ((tsan)); then build_in_background tsan "$tsan_dir"; fi
) &
background_builds=$!
run_ctest "$build" 4 "${labels[@]}"

if ((asan)); then
    echo "== phase 2: ASan/UBSan build, unit and concurrency tests"
    if wait_for_build asan; then
        # halt_on_error keeps the first report readable; a leak is a failure.
        ERBIUM_DIFF_OTP_FROM=$build/tests/diff ERBIUM_DIFF_TIMEOUT=150 \
        ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
            run_ctest "$asan_dir" 3 -L 'unit|concurrency'
    fi
fi

if ((tsan)); then
    echo "== phase 3: TSan build, concurrency tests"
    if wait_for_build tsan; then
        ERBIUM_DIFF_OTP_FROM=$build/tests/diff ERBIUM_DIFF_TIMEOUT=150 \
        TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1} \
            run_ctest "$tsan_dir" 3 -L concurrency
    fi
fi
wait "$background_builds" || true # each build's status is counted above

echo "summary: $passed passed, $failed failed"
exit "$status"
