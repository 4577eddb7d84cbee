/*
 * sample_query.c - the stack sampling part of include/erbium/profiler.h:
 * starting and stopping, and the samples merged by view.
 *
 * Reading walks every slot's table while the schedulers go on sampling
 * (sample_table.h's reader rules: an unmanaged caller holds thread progress
 * back meanwhile). Each stack's frame words are resolved once per distinct
 * word (sample_resolve.h), then stacks with the same frames and group (the
 * process, the scheduler, or none) are merged: a process that migrated has
 * a stack in several schedulers' tables, and words at different places of
 * one line resolve to the same frame.
 */
#include "erbium/profiler.h"

#include "profiler/prof_slot.h"
#include "profiler/sample.h"
#include "profiler/sample_resolve.h"
#include "sched/sched.h"
#include "sched/tp.h"

#include <stdlib.h>
#include <string.h>

int erb_prof_sample_start(unsigned hz, bool waiting) { return sample_start(hz, waiting); }
void erb_prof_sample_stop(void) { sample_stop(); }
void erb_prof_sample_clear(void) { sample_clear(); }

typedef struct Merger {
    ErbProfView view;
    SampleFrames frames;
    ErbProfStack *stacks;   /* frames hold offsets into ix until the end */
    size_t n, cap;
    uint32_t *ix;           /* every stack's frame indices */
    size_t ix_n, ix_cap;
    uint64_t *stack_hash;
    size_t *table;          /* open addressing: stack index + 1 */
    size_t table_cap;
    uint64_t total;
    bool failed;
} Merger;

static uint64_t stack_key_hash(int64_t group, const uint32_t *f, size_t n)
{
    uint64_t h = (uint64_t)group * 0x9E3779B97F4A7C15ull ^ n;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ f[i]) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 31;
    }
    return h;
}

static int64_t group_of(const ErbProfStack *s) { return (int64_t)s->pid * 4096 + s->scheduler + 1; }

static size_t find(const Merger *m, uint64_t h, int64_t group, const uint32_t *f, size_t n)
{
    size_t i = (size_t)h & (m->table_cap - 1);
    for (;; i = (i + 1) & (m->table_cap - 1)) {
        size_t k = m->table[i];
        if (!k) return i;
        const ErbProfStack *s = &m->stacks[k - 1];
        if (m->stack_hash[k - 1] == h && group_of(s) == group && s->n == n &&
            !memcmp(m->ix + (uintptr_t)s->frames, f, n * sizeof *f))
            return i;
    }
}

static bool grow_table(Merger *m)
{
    size_t cap = m->table_cap ? m->table_cap * 2 : 1024;
    size_t *t = calloc(cap, sizeof *t);
    if (!t) return false;
    free(m->table);
    m->table = t;
    m->table_cap = cap;
    for (size_t k = 0; k < m->n; k++) {
        size_t i = (size_t)m->stack_hash[k] & (cap - 1);
        while (t[i]) i = (i + 1) & (cap - 1);
        t[i] = k + 1;
    }
    return true;
}

static bool reserve(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return true;
    size_t c = *cap ? *cap : 256;
    while (c < need) c *= 2;
    void *nv = realloc(*v, c * size);
    if (!nv) return false;
    *v = nv;
    *cap = c;
    return true;
}

static void add_stack(int slot, const SampleStack *st, uint64_t count, void *ctx)
{
    Merger *m = ctx;
    if (m->failed) return;
    size_t start = m->ix_n, stack_cap = m->cap;
    if (!reserve((void **)&m->ix, &m->ix_cap, start + st->n, sizeof *m->ix)) goto fail;
    size_t n = 0;
    for (uint32_t k = 0; k < st->n; k++) {
        int64_t f = sample_frames_index(&m->frames, st->frames[k]);
        if (m->frames.failed) goto fail;
        if (f >= 0) m->ix[start + n++] = (uint32_t)f;
    }
    ErbProfStack key = {m->view == ERB_PROF_PER_PROCESS ? pid_number(st->pid) : 0,
                        m->view == ERB_PROF_PER_SCHEDULER ? slot : -1, count, st->truncated, n,
                        (const uint32_t *)(uintptr_t)start};
    uint64_t h = stack_key_hash(group_of(&key), m->ix + start, n);
    if ((m->n + 1) * 2 > m->table_cap && !grow_table(m)) goto fail;
    size_t i = find(m, h, group_of(&key), m->ix + start, n);
    m->total += count;
    if (m->table[i]) {
        ErbProfStack *s = &m->stacks[m->table[i] - 1];
        s->count += count;
        s->truncated |= st->truncated;
        return;
    }
    if (!reserve((void **)&m->stacks, &m->cap, m->n + 1, sizeof *m->stacks)) goto fail;
    if (m->cap != stack_cap && !(m->stack_hash = realloc(m->stack_hash, m->cap * sizeof *m->stack_hash))) goto fail;
    m->stacks[m->n] = key;
    m->stack_hash[m->n] = h;
    m->table[i] = ++m->n;
    m->ix_n = start + n;
    return;
fail:
    m->failed = true;
}

/* The result and the block of frame indices its stacks point into. */
typedef struct SamplesBox {
    ErbProfSamples pub;
    uint32_t *ix;
} SamplesBox;

ErbProfSamples *sample_query(const SampleSet *set, ErbProfView view)
{
    SamplesBox *box = calloc(1, sizeof *box);
    if (!box) return NULL;
    Merger m = {.view = view};
    sample_frames_init(&m.frames);
    if (set) {
        sample_set_foreach(set, add_stack, &m);
        sample_pending_foreach(set, add_stack, &m); /* waits and dirty calls not over yet */
    }
    sample_frames_free(&m.frames, m.failed);
    free(m.table);
    free(m.stack_hash);
    if (m.failed) {
        free(m.stacks);
        free(m.ix);
        free(box);
        return NULL;
    }
    for (size_t k = 0; k < m.n; k++) m.stacks[k].frames = m.ix + (uintptr_t)m.stacks[k].frames;
    box->pub = (ErbProfSamples){m.frames.v, m.frames.n, m.stacks, m.n, m.total, sample_rate()};
    box->ix = m.ix;
    return &box->pub;
}

ErbProfSamples *erb_prof_samples(ErbProfView view)
{
    bool delayed = sched_self() < 0;
    TpDelay delay = delayed ? tp_delay() : 0;
    ErbProfSamples *s = sample_query(sample_current(), view);
    if (delayed) tp_continue(delay);
    return s;
}

void erb_prof_samples_free(ErbProfSamples *s)
{
    if (!s) return;
    SamplesBox *box = (SamplesBox *)s;
    free(box->ix);
    free(s->stacks);
    free(s->frames);
    free(box);
}
