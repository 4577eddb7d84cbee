/*
 * test_msacc.c - microstate accounting (sched/msacc.h): what a thread's
 * switches add up to, freezing when off, reset, registration, and counters
 * that never exceed real time while threads switch and others toggle,
 * reset and read (a double-counted interval would; under ThreadSanitizer a
 * race in the records would show).
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sched/msacc.h"
#include "sched/sched_stats.h"

#define MS 1000000ull

static void spin_ns(uint64_t ns)
{
    uint64_t until = sstat_now_ns() + ns;
    while (sstat_now_ns() < until)
        ;
}

static void sleep_ns(uint64_t ns)
{
    struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ull), .tv_nsec = (long)(ns % 1000000000ull)};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* The counts of thread (type, id); fails the test when it is not listed. */
static MsaccCounts counts_of(MsaccType type, int id)
{
    int n;
    MsaccCounts *all = msacc_collect(&n), found = {0};
    bool seen = false;
    for (int i = 0; i < n; i++)
        if (all[i].type == type && all[i].id == id) {
            found = all[i];
            seen = true;
        }
    free(all);
    cr_assert(seen, "thread %d/%d not listed", (int)type, id);
    return found;
}

static uint64_t total(const MsaccCounts *c)
{
    uint64_t t = 0;
    for (int s = 0; s < MSACC_STATES; s++) t += c->ns[s];
    return t;
}

Test(msacc, switches_add_up)
{
    msacc_register(MSACC_T_SCHEDULER, 1, MSACC_OTHER);
    MsaccCounts c = counts_of(MSACC_T_SCHEDULER, 1);
    cr_assert_eq(total(&c), 0, "nothing counted while off");
    cr_assert_eq(msacc_enable(true), false);
    cr_assert_eq(msacc_enable(true), true);
    msacc_set(MSACC_EMULATOR);
    spin_ns(3 * MS);
    cr_assert_eq(msacc_swap(MSACC_GC), MSACC_EMULATOR);
    spin_ns(2 * MS);
    msacc_set(MSACC_SLEEP);
    sleep_ns(2 * MS);
    c = counts_of(MSACC_T_SCHEDULER, 1); /* still asleep: the open interval counts */
    cr_assert_geq(c.ns[MSACC_EMULATOR], 3 * MS);
    cr_assert_geq(c.ns[MSACC_GC], 2 * MS);
    cr_assert_geq(c.ns[MSACC_SLEEP], 2 * MS);
    cr_assert_eq(c.ns[MSACC_PORT], 0);
    cr_assert_eq(c.ns[MSACC_AUX], 0);
    msacc_unregister();
}

Test(msacc, off_freezes_and_reset_zeroes)
{
    msacc_register(MSACC_T_AUX, 1, MSACC_AUX);
    msacc_enable(true);
    spin_ns(1 * MS);
    cr_assert_eq(msacc_enable(false), true);
    MsaccCounts a = counts_of(MSACC_T_AUX, 1);
    cr_assert_geq(a.ns[MSACC_AUX], 1 * MS);
    msacc_set(MSACC_EMULATOR); /* off: remembered, not timed */
    spin_ns(1 * MS);
    MsaccCounts b = counts_of(MSACC_T_AUX, 1);
    cr_assert(memcmp(a.ns, b.ns, sizeof a.ns) == 0, "counters moved while off");
    cr_assert_eq(msacc_reset(), false);
    b = counts_of(MSACC_T_AUX, 1);
    cr_assert_eq(total(&b), 0);
    msacc_enable(true); /* counting resumes in the state set while off */
    spin_ns(1 * MS);
    b = counts_of(MSACC_T_AUX, 1);
    cr_assert_geq(b.ns[MSACC_EMULATOR], 1 * MS);
    cr_assert_eq(b.ns[MSACC_AUX], 0);
    cr_assert_eq(msacc_reset(), true);
    msacc_unregister();
}

static void *register_and_leave(void *arg)
{
    msacc_register(MSACC_T_DIRTY_IO, *(int *)arg, MSACC_SLEEP);
    msacc_unregister();
    return NULL;
}

Test(msacc, records_are_reused)
{
    int n0;
    free(msacc_collect(&n0));
    for (int i = 0; i < 3000; i++) { /* more than the array holds */
        pthread_t t;
        int id = i + 1;
        cr_assert_eq(pthread_create(&t, NULL, register_and_leave, &id), 0);
        pthread_join(t, NULL);
    }
    int n;
    free(msacc_collect(&n));
    cr_assert_eq(n, n0, "records of exited threads stay listed");
}

/* ---- switching, toggling, resetting and reading at once ---- */

#define SWITCHERS 4

static atomic_bool stop;

static void *switcher(void *arg)
{
    int id = (int)(intptr_t)arg;
    msacc_register(MSACC_T_DIRTY_CPU, id, MSACC_OTHER);
    for (unsigned k = 0; !atomic_load(&stop); k++) msacc_set((MsaccState)(k % MSACC_STATES));
    msacc_unregister();
    return NULL;
}

Test(msacc, never_more_than_real_time)
{
    pthread_t t[SWITCHERS];
    for (int i = 0; i < SWITCHERS; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, switcher, (void *)(intptr_t)(i + 1)), 0);
    uint64_t since = sstat_now_ns(); /* taken before counting starts, and before each reset */
    msacc_enable(true);
    int bad = 0;
    for (int round = 0; round < 2000; round++) {
        if (round % 50 == 25) {
            since = sstat_now_ns();
            msacc_reset();
        }
        if (round % 40 == 10) msacc_enable(false);
        if (round % 40 == 20) msacc_enable(true);
        int n;
        MsaccCounts *all = msacc_collect(&n);
        uint64_t now = sstat_now_ns();
        for (int i = 0; i < n; i++)
            if (total(&all[i]) > now - since) bad++;
        free(all);
    }
    atomic_store(&stop, true);
    for (int i = 0; i < SWITCHERS; i++) pthread_join(t[i], NULL);
    cr_assert_eq(bad, 0, "%d reads counted more time than passed", bad);
}
