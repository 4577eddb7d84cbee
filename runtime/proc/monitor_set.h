/*
 * monitor_set.h - the monitors a process holds or is watched by, keyed by
 * reference (prefix mset_).
 *
 * Entries live in a dense array, so walking them is a loop and removing one
 * moves the last into its place. Once a set has MSET_INDEX_MIN entries an
 * open-addressing index over the array (linear probing on the reference's
 * counter word) finds an entry in constant time: a process monitoring
 * 100,000 processes it spawned finds each 'DOWN''s monitor at once. Small
 * sets, the usual case, have no index and are searched in order.
 */
#ifndef ERBIUM_MONITOR_SET_H
#define ERBIUM_MONITOR_SET_H

#include "runtime/term/term.h"

#include <stdbool.h>

#define MSET_INDEX_MIN 16

struct Message;

/* A monitor: the reference's id words and the other process. */
typedef struct MonitorEntry {
    Term ref_id[REF_WORDS];
    Term pid;  /* the watcher (in `watchers`) or the watched process (in `watching`); an alias's mode (alias.h) */
    Term name; /* for a monitor by registered name: the name; else NIL */
    /* In `watching` only: monitor/3's {tag, Tag}, a copy held in a message
       (its term), or NULL for 'DOWN'. Freed with the entry by its user. */
    struct Message *tag;
} MonitorEntry;

typedef struct MonitorSet {
    MonitorEntry *v;
    uint32_t n, cap;
    uint32_t *index;    /* NULL, or index_cap slots: 0 empty, else position in v plus one */
    uint32_t index_cap; /* a power of two, at least twice n */
} MonitorSet;

/* Adds an entry (the reference is not in the set) and returns it (valid until the next
   change of the set). Aborts when out of memory. */
MonitorEntry *mset_add(MonitorSet *s, const Term *ref_id, Term pid, Term name);
/* The entry for ref_id, or NULL. */
MonitorEntry *mset_get(MonitorSet *s, const Term *ref_id);
/* Removes the entry for ref_id, copying it to *out if out is given; false if absent. */
bool mset_remove(MonitorSet *s, const Term *ref_id, MonitorEntry *out);
/* Frees the set's memory (it is then empty). */
void mset_free(MonitorSet *s);

#endif
