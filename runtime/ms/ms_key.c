/*
 * ms_key.c - partly bound keys (see ms_key_range and ms_key_cmp in ms.h):
 * lets an ordered_set walk only the run of keys a select can match.
 */
#include "runtime/ms/ms_int.h"

#include "runtime/term/map.h"
#include "runtime/term/term_cmp.h"

/* Beyond this nesting a pattern is treated as a variable (a bigger run, still correct). */
#define KEY_MAX_DEPTH 64

static bool is_var(Term t) { return is_atom(t) && (t == AM_underscore || ms_var_number(t) >= 0); }

static bool map_has_var(Term m)
{
    size_t n = map_size(m);
    for (size_t i = 0; i < n; i++) {
        Term k, v;
        map_pair_at(m, i, &k, &v);
        /* a nested variable anywhere: the whole map counts as one */
        if (is_var(v) || is_var(k) || is_tuple(v) || is_list(v) || is_map(v)) return true;
    }
    return false;
}

/* Term order of key against pat up to pat's first variable (*open then set). */
static int cmp_partly(Term key, Term pat, bool *open, int depth)
{
    if (depth > KEY_MAX_DEPTH || is_var(pat) || (is_map(pat) && map_has_var(pat))) {
        *open = true;
        return 0;
    }
    if (is_tuple(pat) && is_tuple(key)) {
        size_t n = tuple_arity(pat), kn = tuple_arity(key);
        if (n != kn) return kn < n ? -1 : 1;
        for (size_t i = 0; i < n; i++) {
            int r = cmp_partly(tuple_elems(key)[i], tuple_elems(pat)[i], open, depth + 1);
            if (r != 0 || *open) return r;
        }
        return 0;
    }
    if (is_list(pat) && is_list(key)) {
        int r = cmp_partly(list_head(key), list_head(pat), open, depth + 1);
        if (r != 0 || *open) return r;
        return cmp_partly(list_tail(key), list_tail(pat), open, depth + 1);
    }
    /* different kinds (a pattern's kind decides the order alone) or a constant */
    return term_compare(key, pat);
}

int ms_key_cmp(Term key, Term pattern)
{
    bool open = false;
    return cmp_partly(key, pattern, &open, 0);
}

Term ms_key_range(const MsProg *prog, unsigned keypos)
{
    Term key = THE_NON_VALUE;
    for (size_t i = 0; i < prog->nclauses; i++) {
        Term h = prog->clauses[i].head;
        if (!is_tuple(h) || keypos == 0 || tuple_arity(h) < keypos) return THE_NON_VALUE;
        Term k = tuple_elems(h)[keypos - 1];
        if (!is_tuple(k) && !is_list(k)) return THE_NON_VALUE;
        if (key != THE_NON_VALUE && !term_eq_exact(key, k)) return THE_NON_VALUE;
        key = k;
    }
    return key;
}
