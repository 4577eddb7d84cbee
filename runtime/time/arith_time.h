/*
 * arith_time.h - Erlang's clocks and time units (erlang:monotonic_time/1,
 * system_time/1, time_offset/1, convert_time_unit/3 and os:system_time/1).
 *
 * The native time unit is the nanosecond (as OTP on Linux; perf_counter is
 * the nanosecond too). Erlang monotonic time follows CLOCK_MONOTONIC and,
 * as in OTP, starts near MIN_SMALL when first read, so it stays a small
 * integer for decades and is usually negative. Time is in OTP's default
 * no_time_warp mode: the offset to system time is fixed at that first read,
 * so Erlang system time = monotonic time + offset. OS system time is
 * CLOCK_REALTIME.
 */
#ifndef ERBIUM_ARITH_TIME_H
#define ERBIUM_ARITH_TIME_H

#include "runtime/proc/process.h"

#define ARITH_TIME_NATIVE_PER_SECOND 1000000000

/* Erlang monotonic time, Erlang system time and their offset, in native units. */
int64_t arith_time_monotonic(void);
int64_t arith_time_system(void);
int64_t arith_time_offset(void);
/* OS system time (CLOCK_REALTIME) and the OS performance counter, native units. */
int64_t arith_time_os_system(void);
int64_t arith_time_perf_counter(void);

/*
 * A time unit as parts per second (a positive integer term): second,
 * millisecond, microsecond, nanosecond, native, perf_counter, the
 * deprecated seconds, milli_seconds, micro_seconds, nano_seconds, or a
 * positive integer. THE_NON_VALUE for anything else.
 */
Term arith_time_unit(Term unit);

/*
 * Integer time t converted from `from` to `to` parts per second (results
 * of arith_time_unit), rounded toward minus infinity as OTP does.
 */
Term arith_time_convert(Process *p, Term t, Term from, Term to);

/* Native time t (nanoseconds) in the given unit, as arith_time_convert. */
Term arith_time_in_unit(Process *p, int64_t t, Term to);

#endif
