/*
 * hash.h - OTP's portable term hashes, value for value.
 *
 * erlang:phash2/1,2 (OTP's make_hash2) and erlang:phash/2 (make_hash) are
 * documented as stable across releases and machines, and programs store or
 * compare their values, so these functions reproduce OTP 25's results
 * exactly; hash.c explains the algorithms. Both walk the term with an
 * explicit stack: any nesting depth is fine.
 *
 * Identifiers the VM numbers itself hash as OTP hashes the printed
 * numbers: a pid <0.N.0> by N, a reference #Ref<0.C.B.A> by A, a port by
 * its number.
 */
#ifndef ERBIUM_HASH_H
#define ERBIUM_HASH_H

#include "runtime/term/term.h"

/* The full 32-bit make_hash2 value: phash2(T) is this & (2^27 - 1). */
uint32_t hash_phash2(Term t);

/* make_hash: phash(T, Range) is 1 + this % Range. */
uint32_t hash_phash(Term t);

/*
 * OTP's hash of an atom's text (hashpjw over the Latin-1 characters, with
 * UTF-8 bytes beyond Latin-1 taken one by one), which both hashes above
 * use for atoms. Cached per atom.
 */
uint32_t hash_atom(Term atom);

/* The range argument of phash/2 and phash2/2: an integer in 1..2^32.
   Returns false if t is not one. */
bool hash_range_arg(Term t, uint64_t *range);

#endif
