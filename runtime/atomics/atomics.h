/*
 * atomics.h - the atomics and counters modules' arrays (OTP 21.2+).
 *
 * Both are Magics (runtime/term/magic.h) reached through magic references:
 * the array lives while any term refers to it and is freed with the last
 * reference. Every operation is a lock-free C11 atomic on 64-bit words.
 *
 *   atomics   arity words, signed or unsigned; operations wrap around and
 *             are sequentially consistent (atomics.c).
 *   counters  write_concurrency arrays: one stripe of the counters per
 *             scheduler plus one for other threads, each counter's stripes
 *             on separate cache lines; an add touches only the caller's
 *             stripe, a read sums them (counters.c). Plain counters are
 *             atomics arrays.
 */
#ifndef ERBIUM_ATOMICS_H
#define ERBIUM_ATOMICS_H

#include "runtime/bif/bif.h"

/* Raises error:Reason with OTP's error_info (#{module => erl_erts_errors}), as every BIF here does. */
Term atomics_error(Process *p, Term reason);

/*
 * An integer in [-2^63, 2^64 - 1] as its 64 bits (two's complement) and
 * sign; false for anything else.
 */
bool atomics_word(Term t, uint64_t *bits, bool *negative);

/*
 * The size argument of a new array: 1 or more. Otherwise false, with
 * badarg set for a non-positive or non-integer, system_limit for one above
 * `max`.
 */
bool atomics_arity(Process *p, Term t, size_t max, size_t *out);

/* The 0-based index of 1-based Ix into an array of `arity`; false unless 1 =< Ix =< arity. */
static inline bool atomics_index(Term ix, size_t arity, size_t *out)
{
    if (!is_small(ix) || small_val(ix) < 1 || (size_t)small_val(ix) > arity) return false;
    *out = (size_t)small_val(ix) - 1;
    return true;
}

#endif
