/* pid_sums.c - per-process sums of call_time items (see pid_sums.h). */
#include "profiler/pid_sums.h"

#include <stdlib.h>

void pid_sums_init(PidSums *s) { *s = (PidSums){NULL, 0, 0}; }
void pid_sums_free(PidSums *s) { free(s->v); }

static size_t slot_of(const PidSums *s, Term pid)
{
    size_t i = (size_t)(((pid >> 4) * 0x9E3779B97F4A7C15ull) >> 32) & (s->cap - 1);
    while (s->v[i].pid && s->v[i].pid != pid) i = (i + 1) & (s->cap - 1);
    return i;
}

static void grow(PidSums *s)
{
    PidSums bigger = {calloc(s->cap ? s->cap * 2 : 64, sizeof(PidSum)), s->cap ? s->cap * 2 : 64, s->n};
    if (!bigger.v) abort();
    for (size_t i = 0; i < s->cap; i++)
        if (s->v[i].pid) bigger.v[slot_of(&bigger, s->v[i].pid)] = s->v[i];
    free(s->v);
    *s = bigger;
}

void pid_sums_add(PidSums *s, Term pid, uint64_t calls, uint64_t ticks)
{
    if ((s->n + 1) * 2 > s->cap) grow(s);
    PidSum *e = &s->v[slot_of(s, pid)];
    if (!e->pid) {
        e->pid = pid;
        s->n++;
    }
    e->calls += calls;
    e->ticks += ticks;
}

const PidSum *pid_sums_get(const PidSums *s, Term pid)
{
    if (!s->cap) return NULL;
    const PidSum *e = &s->v[slot_of(s, pid)];
    return e->pid ? e : NULL;
}

static void add_item(int slot, Term pid, uint64_t calls, uint64_t ticks, void *ctx)
{
    pid_sums_add(ctx, pid, calls, ticks);
}

void pid_sums_add_time(PidSums *s, const PTime *t) { ptime_foreach(t, add_item, s); }
