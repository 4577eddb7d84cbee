/*
 * pdict.h - the process dictionary (put/get/erase and friends).
 *
 * p->dictionary is NIL while the dictionary is empty, else a hash table
 * kept on the process heap as one tuple (the layout is private to
 * pdict.c). It is a term like any other root, so the collector copies it
 * with the rest; only pdict.c reads it, and it updates that tuple and the
 * bucket lists inside it in place, which nothing else references. (A
 * generational collector would have to scan it as a root at every minor
 * collection, as OTP does with its off-heap table.)
 *
 * The table follows OTP's design (linear hashing, 8 buckets at first, a
 * small integer key hashing to its own value) so that get/0, get_keys/0,1
 * and erase/0 list entries in the same order as erl for integer keys.
 * Other keys hash differently from OTP (atoms by our atom index, compound
 * terms by our own function), so their order differs.
 *
 * Keys and values are matched with =:=. None of these functions collects
 * garbage; they allocate with heap_alloc.
 */
#ifndef ERBIUM_PDICT_H
#define ERBIUM_PDICT_H

#include "runtime/proc/process.h"

/* The value stored under key, or the atom undefined. */
Term pdict_get(Process *p, Term key);
/* Stores value under key; returns the previous value or undefined. */
Term pdict_put(Process *p, Term key, Term value);
/* Removes key; returns its value or undefined. */
Term pdict_erase(Process *p, Term key);
/* Every {Key, Value} pair as a new list in erl's order (get/0, process_info). */
Term pdict_get_all(Process *p);

#endif
