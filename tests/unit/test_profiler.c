/*
 * test_profiler.c - the profiler's storage: per-slot call counters
 * (pcount.h), per-slot call_time tables (ptime.h) and their per-process
 * sums (pid_sums.h), including owners writing while readers read.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>

#include "profiler/pcount.h"
#include "profiler/pid_sums.h"
#include "profiler/prof_slot.h"
#include "profiler/ptime.h"
#include "sched/tp.h"

#define SLOTS 4

static void setup(void) { prof_slot_configure(SLOTS - 1, 1); }

/* Runs the functions deferred by table growth, so nothing leaks. */
static void teardown(void) { tp_wait(tp_later()); }

TestSuite(profiler, .init = setup, .fini = teardown);

static Term pid(uint64_t n) { return (Term)(n << 4 | 3); }

/* ---- pcount ---- */

typedef struct CountArg {
    PCount *pc;
    int slot;
    long adds;
} CountArg;

static void *count_thread(void *arg)
{
    CountArg *a = arg;
    prof_slot_claim(a->slot);
    for (long i = 0; i < a->adds; i++) pcount_add(a->pc, (size_t)prof_slot());
    return NULL;
}

Test(profiler, counts_from_every_slot_add_up)
{
    PCount *pc = pcount_new();
    CountArg args[SLOTS];
    pthread_t threads[SLOTS];
    for (int i = 0; i < SLOTS; i++) {
        args[i] = (CountArg){pc, i, 100000 + i};
        pthread_create(&threads[i], NULL, count_thread, &args[i]);
    }
    uint64_t expected = 0;
    for (int i = 0; i < SLOTS; i++) {
        pthread_join(threads[i], NULL);
        expected += (uint64_t)args[i].adds;
    }
    cr_assert_eq(pcount_total(pc), expected);
    for (int s = 0; s < SLOTS; s++) cr_assert_eq(pcount_of_slot(pc, s), (uint64_t)(100000 + s));
    pcount_free(pc);
}

/* ---- ptime ---- */

Test(profiler, items_keep_their_values_as_a_table_grows)
{
    PTime *t = ptime_new();
    for (uint64_t n = 1; n <= 5000; n++) ptime_add(ptime_item(t, 2, pid(n)), n, 10 * n);
    for (uint64_t n = 1; n <= 5000; n++) {
        PTimeItem *it = ptime_item(t, 2, pid(n));
        cr_assert_eq(atomic_load(&it->calls), n);
        cr_assert_eq(atomic_load(&it->ticks), 10 * n);
    }
    PidSums sums;
    pid_sums_init(&sums);
    pid_sums_add_time(&sums, t);
    cr_assert_eq(sums.n, 5000);
    pid_sums_free(&sums);
    ptime_free(t);
}

Test(profiler, sums_merge_a_process_seen_on_several_slots)
{
    PTime *t = ptime_new();
    for (int s = 0; s < SLOTS; s++) {
        ptime_add(ptime_item(t, s, pid(7)), 1, 100);
        ptime_add(ptime_item(t, s, pid(8 + (uint64_t)s)), 2, 5);
    }
    PidSums sums;
    pid_sums_init(&sums);
    pid_sums_add_time(&sums, t);
    cr_assert_eq(sums.n, 1 + SLOTS);
    uint64_t calls7 = 0, ticks7 = 0, others = 0;
    for (size_t i = 0; i < sums.cap; i++) {
        if (sums.v[i].pid == pid(7)) {
            calls7 = sums.v[i].calls;
            ticks7 = sums.v[i].ticks;
        } else if (sums.v[i].pid) {
            others += sums.v[i].calls;
        }
    }
    cr_assert_eq(calls7, SLOTS);
    cr_assert_eq(ticks7, 100 * SLOTS);
    cr_assert_eq(others, 2 * SLOTS);
    pid_sums_free(&sums);
    ptime_free(t);
}

/* One owner grows its table while readers (unmanaged, inside tp_delay) walk it:
   each reader's total only grows, and the tables they walk are never freed
   under them (AddressSanitizer would see it). */
typedef struct Shared {
    PTime *t;
    atomic_bool done;
    atomic_ulong went_backwards;
} Shared;

static void add_calls(int slot, Term p, uint64_t calls, uint64_t ticks, void *ctx) { *(uint64_t *)ctx += calls; }

static void *reader(void *arg)
{
    Shared *sh = arg;
    uint64_t last = 0;
    while (!atomic_load(&sh->done)) {
        uint64_t total = 0;
        TpDelay d = tp_delay();
        ptime_foreach(sh->t, add_calls, &total);
        tp_continue(d);
        if (total < last) atomic_fetch_add(&sh->went_backwards, 1);
        last = total;
    }
    return NULL;
}

static void *owner(void *arg)
{
    Shared *sh = arg;
    prof_slot_claim(1);
    for (uint64_t n = 1; n <= 50000; n++) {
        ptime_add(ptime_item(sh->t, 1, pid(n)), 1, 1);
        if (n % 5000 == 0) tp_wait(tp_later()); /* lets deferred frees run */
    }
    return NULL;
}

Test(profiler, readers_walk_tables_while_the_owner_grows_them)
{
    Shared sh = {ptime_new(), false, 0};
    pthread_t r[2], w;
    for (int i = 0; i < 2; i++) pthread_create(&r[i], NULL, reader, &sh);
    pthread_create(&w, NULL, owner, &sh);
    pthread_join(w, NULL);
    atomic_store(&sh.done, true);
    for (int i = 0; i < 2; i++) pthread_join(r[i], NULL);
    cr_assert_eq(atomic_load(&sh.went_backwards), 0);
    uint64_t total = 0;
    ptime_foreach(sh.t, add_calls, &total);
    cr_assert_eq(total, 50000);
    tp_wait(tp_later());
    ptime_free(sh.t);
}
