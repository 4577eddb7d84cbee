/*
 * arith_time.c - Erlang's clocks and time unit conversion (see arith_time.h).
 */
#include "runtime/time/arith_time.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "runtime/term/arith_impl.h"
#include "runtime/term/atom.h"

/* ---- clocks ---- */

static pthread_once_t time_once = PTHREAD_ONCE_INIT;
static int64_t mono_start; /* CLOCK_MONOTONIC at the first read */
static int64_t offset;     /* Erlang system time - Erlang monotonic time */

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * ARITH_TIME_NATIVE_PER_SECOND + ts.tv_nsec;
}

static void time_start(void)
{
    mono_start = clock_ns(CLOCK_MONOTONIC);
    offset = clock_ns(CLOCK_REALTIME) - (int64_t)MIN_SMALL;
}

int64_t arith_time_monotonic(void)
{
    pthread_once(&time_once, time_start);
    return clock_ns(CLOCK_MONOTONIC) - mono_start + (int64_t)MIN_SMALL;
}

int64_t arith_time_offset(void)
{
    pthread_once(&time_once, time_start);
    return offset;
}

int64_t arith_time_system(void) { return arith_time_monotonic() + arith_time_offset(); }
int64_t arith_time_os_system(void) { return clock_ns(CLOCK_REALTIME); }
int64_t arith_time_perf_counter(void) { return clock_ns(CLOCK_MONOTONIC); }

/* ---- units ---- */

static const struct {
    const char *name;
    intptr_t per_second;
} unit_names[] = {
    {"second", 1},
    {"millisecond", 1000},
    {"microsecond", 1000000},
    {"nanosecond", ARITH_TIME_NATIVE_PER_SECOND},
    {"native", ARITH_TIME_NATIVE_PER_SECOND},
    {"perf_counter", ARITH_TIME_NATIVE_PER_SECOND},
    {"seconds", 1},
    {"milli_seconds", 1000},
    {"micro_seconds", 1000000},
    {"nano_seconds", ARITH_TIME_NATIVE_PER_SECOND},
};

Term arith_time_unit(Term unit)
{
    if (is_small(unit)) return small_val(unit) > 0 ? unit : THE_NON_VALUE;
    if (is_big(unit)) return big_is_negative(unit) ? THE_NON_VALUE : unit;
    if (!is_atom(unit)) return THE_NON_VALUE;
    const char *text = atom_text(unit);
    size_t len = atom_len(unit);
    for (size_t i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++) {
        const char *name = unit_names[i].name;
        if (strlen(name) == len && memcmp(name, text, len) == 0) {
            return make_small(unit_names[i].per_second);
        }
    }
    return THE_NON_VALUE;
}

/* ---- conversion ---- */

/* floor(n / d) for d > 0. */
static __int128 floor_div(__int128 n, __int128 d)
{
    __int128 q = n / d;
    return (n % d != 0 && n < 0) ? q - 1 : q;
}

Term arith_time_convert(Process *p, Term t, Term from, Term to)
{
    if (is_small(t) && is_small(from) && is_small(to)) {
        /* |t * to| < 2^118: exact in 128 bits. */
        __int128 scaled = (__int128)small_val(t) * small_val(to);
        return arith_from_i128(p, floor_div(scaled, small_val(from)));
    }
    ArithView vt, vfrom, vto;
    mpz_t r;
    mpz_init(r);
    mpz_mul(r, arith_view(&vt, t), arith_view(&vto, to));
    mpz_fdiv_q(r, r, arith_view(&vfrom, from));
    return arith_from_mpz(p, r);
}

Term arith_time_in_unit(Process *p, int64_t t, Term to)
{
    if (is_small(to)) {
        __int128 scaled = (__int128)t * small_val(to);
        return arith_from_i128(p, floor_div(scaled, ARITH_TIME_NATIVE_PER_SECOND));
    }
    return arith_time_convert(p, int_from_i64(p, t), make_small(ARITH_TIME_NATIVE_PER_SECOND), to);
}
