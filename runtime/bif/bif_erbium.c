/*
 * bif_erbium.c - the native `erbium` module: work that really is dirty, so
 * that tests and benchmarks can exercise the dirty pools, and introspection.
 *   erbium:busy_cpu(Ms)  computes for Ms milliseconds on a dirty CPU scheduler
 *   erbium:sleep_io(Ms)  blocks for Ms milliseconds on a dirty I/O scheduler
 *   erbium:scheduler_id() the normal scheduler running the caller (1-based)
 */
#include "runtime/bif/bif.h"

#include "sched/sched.h"
#include "sched/timer.h"

#include <time.h>

#define MAX_MS 3600000 /* an hour: a longer native call is surely a mistake */

static bool valid_ms(Term t) { return is_small(t) && small_val(t) >= 0 && small_val(t) <= MAX_MS; }

Term bif_erbium_busy_cpu_1(Process *p, const Term *args)
{
    if (!valid_ms(args[0])) return bif_error(p, AM_badarg);
    uint64_t until = timer_now_ms() + (uint64_t)small_val(args[0]);
    volatile uint64_t spin = 0;
    while (timer_now_ms() < until)
        for (int i = 0; i < 10000; i++) spin += (uint64_t)i;
    return AM_ok;
}

Term bif_erbium_sleep_io_1(Process *p, const Term *args)
{
    if (!valid_ms(args[0])) return bif_error(p, AM_badarg);
    intptr_t ms = small_val(args[0]);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
    return AM_ok;
}

Term bif_erbium_scheduler_id_0(Process *p, const Term *args) { return make_small(sched_self() + 1); }
