/*
 * term_cmp.h - Erlang term order and equality.
 *
 * The order of types is
 *     number < atom < reference < fun < port < pid < tuple < map < [] < list < bitstring
 * Within a type: numbers by value (mixing integers and floats compares the
 * exact mathematical values, so 9007199254740993 > 9007199254740992.0);
 * atoms by their text; tuples by size, then element by element; maps by
 * size, then their keys in key order, then their values in that order;
 * lists element by element (a proper list's [] end sorts before any
 * remaining elements); bitstrings byte by byte, then by length.
 *
 * Two orders exist. term_compare is the order of ==, <, >=, lists:sort:
 * 1 and 1.0 compare equal. The exact order, used by =:= and to sort map
 * keys, puts every integer before every float, so 1 =/= 1.0 and #{1 => a}
 * sorts before #{1.0 => a}. Map keys are always compared exactly; map
 * values with the order in use (#{a => 1} == #{a => 1.0}).
 *
 * None of these recurse on the C stack: long lists and deep nesting are
 * walked with an explicit stack.
 */
#ifndef ERBIUM_TERM_CMP_H
#define ERBIUM_TERM_CMP_H

#include "runtime/term/term.h"

/* <0, 0 or >0 as a is before, equal to (==) or after b in term order. */
int term_compare(Term a, Term b);

/* The same in the exact order (integers before floats): 0 only when a =:= b. */
int term_compare_exact(Term a, Term b);

/* a =:= b. */
bool term_eq_exact(Term a, Term b);

/* a == b. */
bool term_eq(Term a, Term b);

#endif
