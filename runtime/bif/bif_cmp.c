/*
 * bif_cmp.c - the comparison operators and erlang:min/2, max/2, as
 * functions (apply, fun erlang:'<'/2, call_ext); the interpreter compares
 * inline. Term order is in term_cmp.c.
 */
#include "runtime/bif/bif.h"
#include "runtime/term/term_cmp.h"

static Term boolean(bool b) { return b ? AM_true : AM_false; }

Term bif_eq_exact_2(Process *p, const Term *args) { return boolean(term_eq_exact(args[0], args[1])); }
Term bif_neq_exact_2(Process *p, const Term *args) { return boolean(!term_eq_exact(args[0], args[1])); }
Term bif_eq_2(Process *p, const Term *args) { return boolean(term_eq(args[0], args[1])); }
Term bif_neq_2(Process *p, const Term *args) { return boolean(!term_eq(args[0], args[1])); }
Term bif_lt_2(Process *p, const Term *args) { return boolean(term_compare(args[0], args[1]) < 0); }
Term bif_gt_2(Process *p, const Term *args) { return boolean(term_compare(args[0], args[1]) > 0); }
Term bif_le_2(Process *p, const Term *args) { return boolean(term_compare(args[0], args[1]) <= 0); }
Term bif_ge_2(Process *p, const Term *args) { return boolean(term_compare(args[0], args[1]) >= 0); }

/* When the two compare equal (1 and 1.0), both return the first. */
Term bif_min_2(Process *p, const Term *args) { return term_compare(args[1], args[0]) < 0 ? args[1] : args[0]; }
Term bif_max_2(Process *p, const Term *args) { return term_compare(args[1], args[0]) > 0 ? args[1] : args[0]; }
