/*
 * pterm.h - the persistent term store (persistent_term:put/get/erase).
 *
 * A global table from keys to values, both copied off the caller's heap
 * into memory that no collector touches (as module literals are), so a
 * lookup hands the stored term to the process without copying it.
 *
 * Lookups take no lock and write nothing shared. Writers serialise on a
 * mutex. Nothing the store ever held is freed while the VM runs: a value
 * replaced or erased may still be referenced from some process's heap or
 * registers, and keeping it is the simplest way to be sure no one reads
 * freed memory. The cost is that a program that replaces values in a loop
 * grows; OTP documents persistent_term as for data that rarely changes.
 */
#ifndef ERBIUM_PTERM_H
#define ERBIUM_PTERM_H

#include "runtime/proc/process.h"

/* Stores a copy of value under a copy of key (no copy if the same value is already there). */
void pterm_put(Term key, Term value);
/* The value stored under key, or THE_NON_VALUE. */
Term pterm_get(Term key);
/* Removes key; true if it was there. */
bool pterm_erase(Term key);
/* Every {Key, Value} stored, as a list built on p's heap (in no particular order). */
Term pterm_all(Process *p);
/* persistent_term:info(): the terms stored now, and the bytes the store holds for them
   (tables, entries and the stored keys and values). */
void pterm_info(size_t *count, size_t *bytes);

#endif
