/*
 * sample_table.h - where sampled stacks are counted: one open-addressing
 * table per profiling slot (prof_slot.h), keyed by the stack's hash, with
 * a count per distinct stack and process.
 *
 * Only the slot's owner writes its table, so counting takes no lock and no
 * read-modify-write. Readers run concurrently: an entry's stack is
 * immutable and published with a release store after its fields; counts
 * are relaxed atomics; a full table is replaced by one twice as large
 * (published with a release store) and the old one is freed through thread
 * progress (tp_defer). So a reader must be a managed thread between two
 * progress points, or an unmanaged one inside tp_delay()/tp_continue().
 * Values read may be a moment old. A whole set is dropped the same way
 * (sample_set_retire).
 */
#ifndef ERBIUM_SAMPLE_TABLE_H
#define ERBIUM_SAMPLE_TABLE_H

#include "profiler/sample_stack.h"

typedef struct SampleStack {
    Term pid;
    uint64_t hash;
    uint32_t n;
    bool truncated;
    SampleFrame frames[];
} SampleStack;

typedef struct SampleSet SampleSet;

/* An empty table for each of `slots` slots; NULL when out of memory. */
SampleSet *sample_set_new(int slots);
/* Frees s, its tables and stacks after every thread that may read it has moved on. */
void sample_set_retire(SampleSet *s);

/* Adds `count` samples of the stack f[0..n) of pid to slot's table (only the slot's owner calls it). */
void sample_set_add(SampleSet *s, int slot, Term pid, const SampleFrame *f, size_t n, bool truncated,
                    uint64_t count);

/* The set's number: a set made later has a larger one. */
uint64_t sample_set_id(const SampleSet *s);
/* The stack's entry in slot's table, added with no samples if missing (only the slot's owner
   calls it): the stack stays valid as long as the set. NULL for a bad slot. */
const SampleStack *sample_set_intern(SampleSet *s, int slot, Term pid, const SampleFrame *f, size_t n,
                                     bool truncated);

/* Calls fn for every stack of every slot with samples, with its count (see the reader rules above). */
typedef void SampleVisit(int slot, const SampleStack *st, uint64_t count, void *ctx);
void sample_set_foreach(const SampleSet *s, SampleVisit *fn, void *ctx);

#endif
