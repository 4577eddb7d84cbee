/* monitor_set.c - monitors keyed by reference (see monitor_set.h). */
#include "runtime/proc/monitor_set.h"

#include <stdlib.h>

static bool mset_same(const Term *a, const Term *b) { return a[0] == b[0] && a[1] == b[1]; }

/* Word 0 of a reference is a VM-wide counter: multiplying spreads it over the slots. */
static uint32_t mset_home(const MonitorSet *s, const Term *ref_id)
{
    return (uint32_t)((ref_id[0] * 0x9E3779B97F4A7C15u) >> 32) & (s->index_cap - 1);
}

/* The index slot holding position pos's entry (which must be indexed). */
static uint32_t mset_slot_of(const MonitorSet *s, uint32_t pos)
{
    uint32_t mask = s->index_cap - 1;
    uint32_t i = mset_home(s, s->v[pos].ref_id);
    while (s->index[i] != pos + 1) i = (i + 1) & mask;
    return i;
}

static void mset_index_insert(MonitorSet *s, uint32_t pos)
{
    uint32_t mask = s->index_cap - 1;
    uint32_t i = mset_home(s, s->v[pos].ref_id);
    while (s->index[i] != 0) i = (i + 1) & mask;
    s->index[i] = pos + 1;
}

/*
 * Empties slot i, moving later entries of the same probe run back so that
 * every entry stays reachable from its home slot (deletion without
 * tombstones).
 */
static void mset_index_delete(MonitorSet *s, uint32_t i)
{
    uint32_t mask = s->index_cap - 1;
    for (uint32_t j = (i + 1) & mask; s->index[j] != 0; j = (j + 1) & mask) {
        uint32_t home = mset_home(s, s->v[s->index[j] - 1].ref_id);
        /* The entry at j may move to i unless its home lies cyclically in (i, j]. */
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (stays) continue;
        s->index[i] = s->index[j];
        i = j;
    }
    s->index[i] = 0;
}

static void mset_reindex(MonitorSet *s, uint32_t cap)
{
    uint32_t *index = calloc(cap, sizeof *index);
    if (!index) abort();
    free(s->index);
    s->index = index;
    s->index_cap = cap;
    for (uint32_t pos = 0; pos < s->n; pos++) mset_index_insert(s, pos);
}

MonitorEntry *mset_add(MonitorSet *s, const Term *ref_id, Term pid, Term name)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        MonitorEntry *grown = realloc(s->v, s->cap * sizeof *grown);
        if (!grown) abort();
        s->v = grown;
    }
    uint32_t pos = s->n++;
    MonitorEntry *e = &s->v[pos];
    memcpy(e->ref_id, ref_id, sizeof e->ref_id);
    e->pid = pid;
    e->name = name;
    e->tag = NULL;
    if (s->index && 2 * s->n <= s->index_cap) mset_index_insert(s, pos);
    else if (s->n >= MSET_INDEX_MIN) mset_reindex(s, s->index ? 2 * s->index_cap : 4 * MSET_INDEX_MIN);
    return e;
}

/* Position of ref_id's entry, or -1. */
static int64_t mset_find(const MonitorSet *s, const Term *ref_id)
{
    if (!s->index) {
        for (uint32_t pos = 0; pos < s->n; pos++)
            if (mset_same(s->v[pos].ref_id, ref_id)) return pos;
        return -1;
    }
    uint32_t mask = s->index_cap - 1;
    for (uint32_t i = mset_home(s, ref_id); s->index[i] != 0; i = (i + 1) & mask)
        if (mset_same(s->v[s->index[i] - 1].ref_id, ref_id)) return s->index[i] - 1;
    return -1;
}

MonitorEntry *mset_get(MonitorSet *s, const Term *ref_id)
{
    int64_t found = mset_find(s, ref_id);
    return found < 0 ? NULL : &s->v[found];
}

bool mset_remove(MonitorSet *s, const Term *ref_id, MonitorEntry *out)
{
    int64_t found = mset_find(s, ref_id);
    if (found < 0) return false;
    uint32_t pos = (uint32_t)found, last = s->n - 1;
    if (out) *out = s->v[pos];
    if (s->index) {
        mset_index_delete(s, mset_slot_of(s, pos));
        if (pos != last) s->index[mset_slot_of(s, last)] = pos + 1;
    }
    s->v[pos] = s->v[last];
    s->n--;
    return true;
}

void mset_free(MonitorSet *s)
{
    free(s->v);
    free(s->index);
    *s = (MonitorSet){0};
}
