/*
 * bif_ets_update.c - update_counter/3,4 and update_element/3 (set and
 * ordered_set only, as in OTP 25).
 *
 * Every operation is checked before anything changes, so a bad one in a
 * list leaves the object as it was. When the old and new values are all
 * immediates the object is changed in place under the write lock (readers
 * hold the read lock, so none sees a half-changed object); otherwise the
 * new tuple is built on the caller's heap and stored as a new object.
 */
#include "runtime/ets/ets_bif.h"

#include "runtime/proc/heap.h"
#include "runtime/term/arith.h"
#include "runtime/term/term_cmp.h"

#include <stdlib.h>

/* Operations of one call kept on the C stack; longer lists are malloc'd. */
#define STACK_OPS 16

typedef struct Op {
    size_t pos;
    Term value; /* update_counter: the increment; update_element: the value */
    Term threshold, setvalue; /* THE_NON_VALUE when absent */
} Op;

/* Parses one counter operation; the exception's cause (or THE_NON_VALUE for plain badarg) on failure. */
static bool parse_counter_op(EtsTable *tab, Term t, Op *op)
{
    op->threshold = op->setvalue = THE_NON_VALUE;
    if (is_integer(t)) {
        op->pos = tab->keypos + 1;
        op->value = t;
        return true;
    }
    if (!is_tuple(t)) return false;
    size_t n = tuple_arity(t);
    const Term *e = tuple_elems(t);
    if ((n != 2 && n != 4) || !is_small(e[0]) || small_val(e[0]) < 1 || !is_integer(e[1])) return false;
    op->pos = (size_t)small_val(e[0]);
    op->value = e[1];
    if (n == 4) {
        if (!is_integer(e[2]) || !is_integer(e[3])) return false;
        op->threshold = e[2];
        op->setvalue = e[3];
    }
    return true;
}

/* The number of operations in t (1 unless a list), or -1 for an improper list. */
static long op_count(Term t)
{
    if (!is_list(t)) return 1;
    long n = 0;
    for (; is_list(t); t = list_tail(t)) n++;
    return is_nil(t) ? n : -1;
}

/* Parses an op or a list of them into ops (room for op_count); their count, or -1. *single when not a list. */
static long parse_ops(EtsTable *tab, Term t, Op *ops, bool counter, bool *single)
{
    *single = !is_list(t) && !is_nil(t);
    if (*single) {
        if (counter) return parse_counter_op(tab, t, &ops[0]) ? 1 : -1;
        if (!is_tuple(t) || tuple_arity(t) != 2 || !is_small(tuple_elems(t)[0]) || small_val(tuple_elems(t)[0]) < 1)
            return -1;
        ops[0].pos = (size_t)small_val(tuple_elems(t)[0]);
        ops[0].value = tuple_elems(t)[1];
        return 1;
    }
    long n = 0;
    for (; is_list(t); t = list_tail(t), n++) {
        bool one;
        if (parse_ops(tab, list_head(t), &ops[n], counter, &one) != 1 || !one) return -1;
    }
    return is_nil(t) ? n : -1;
}

/* Checks the ops against the object tuple; the badarg cause, THE_NON_VALUE when fine, AM_badarg for plain badarg. */
static Term check_ops(EtsTable *tab, Term obj, const Op *ops, long n, bool counter)
{
    size_t arity = tuple_arity(obj);
    for (long i = 0; i < n; i++) {
        if (ops[i].pos == tab->keypos) return AM_keypos;
        if (ops[i].pos > arity) return counter ? AM_position : AM_badarg;
        if (counter && !is_integer(tuple_elems(obj)[ops[i].pos - 1])) return AM_badarg;
    }
    return THE_NON_VALUE;
}

/* The counter's new value (on p's heap if a bignum). */
static Term count(Process *p, Term old, const Op *op)
{
    Term v = arith_add(p, old, op->value);
    if (is_value(op->threshold)) {
        bool up = term_compare(op->value, make_small(0)) >= 0;
        int c = term_compare(v, op->threshold);
        if ((up && c > 0) || (!up && c < 0)) v = op->setvalue;
    }
    return v;
}

/*
 * Applies the ops to the object with key (or a copy of dflt when there is none and dflt is a
 * value). Results (new counter values) go to res[]. Returns the badarg cause as check_ops,
 * AM_badkey when there is no object.
 */
static Term apply(Process *p, EtsTable *tab, Term key, const Op *ops, long n, bool counter, Term dflt, Term *res)
{
    uint32_t h = ets_hash_key(tab, key);
    EtsLock l;
    ets_lock_key(tab, key, h, true, &l);
    EtsObj *o = ets_store_get(tab, key, h);
    Term obj = o ? o->term : dflt;
    if (!is_value(obj)) {
        ets_unlock(tab, &l);
        return AM_badkey;
    }
    Term err = check_ops(tab, obj, ops, n, counter);
    if (is_value(err)) {
        ets_unlock(tab, &l);
        return err;
    }
    bool in_place = o != NULL;
    for (long i = 0; i < n; i++) {
        Term old = tuple_elems(obj)[ops[i].pos - 1], cur = old;
        for (long j = 0; j < i; j++) /* an earlier op on the same position changed it */
            if (ops[j].pos == ops[i].pos) cur = res[j];
        res[i] = counter ? count(p, cur, &ops[i]) : ops[i].value;
        if (!is_immed(old) || !is_immed(res[i])) in_place = false;
    }
    if (in_place) {
        for (long i = 0; i < n; i++) tuple_elems(o->term)[ops[i].pos - 1] = res[i];
    } else {
        /* a fresh tuple on the heap whose elements refer to the old object or the results;
           copied into the table before the lock is released */
        size_t arity = tuple_arity(obj);
        Term *hp = heap_alloc(p, arity + 1);
        memcpy(hp, boxed_val(obj), (arity + 1) * sizeof(Term));
        if (!o) hp[tab->keypos] = key;
        for (long i = 0; i < n; i++) hp[ops[i].pos] = res[i];
        ets_store_put(tab, ets_obj_new(make_boxed(hp), h));
    }
    ets_unlock(tab, &l);
    return THE_NON_VALUE;
}

static Term update_counter(Process *p, const Term *args, Term dflt)
{
    EtsTable *tab = ets_get(p, args[0], ETS_WRITE);
    if (!tab) return THE_NON_VALUE;
    if (tab->type != ETS_SET && tab->type != ETS_ORDERED_SET) return ets_badarg(p, AM_table_type);
    if (is_value(dflt) && !ets_storable(tab, dflt)) return ets_badarg(p, THE_NON_VALUE);
    long cap = op_count(args[2]);
    if (cap < 0) return ets_badarg(p, THE_NON_VALUE);
    Op stack_ops[STACK_OPS], *ops = cap <= STACK_OPS ? stack_ops : malloc((size_t)cap * sizeof(Op));
    Term stack_res[STACK_OPS], *res = cap <= STACK_OPS ? stack_res : malloc((size_t)cap * sizeof(Term));
    if (!ops || !res) abort();
    bool single;
    long n = parse_ops(tab, args[2], ops, true, &single);
    Term err = n < 0 ? AM_badarg : apply(p, tab, args[1], ops, n, true, dflt, res);
    Term result = NIL;
    if (!is_value(err)) {
        if (single) result = res[0];
        else
            for (long i = n; i-- > 0;) result = heap_cons(p, res[i], result);
    }
    if (ops != stack_ops) free(ops);
    if (res != stack_res) free(res);
    if (is_value(err)) return ets_badarg(p, err == AM_badarg ? THE_NON_VALUE : err);
    return result;
}

Term bif_ets_update_counter_3(Process *p, const Term *args) { return update_counter(p, args, THE_NON_VALUE); }
Term bif_ets_update_counter_4(Process *p, const Term *args) { return update_counter(p, args, args[3]); }

Term bif_ets_update_element_3(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_WRITE);
    if (!tab) return THE_NON_VALUE;
    if (tab->type != ETS_SET && tab->type != ETS_ORDERED_SET) return ets_badarg(p, THE_NON_VALUE);
    long cap = op_count(args[2]);
    if (cap < 0) return ets_badarg(p, THE_NON_VALUE);
    Op stack_ops[STACK_OPS], *ops = cap <= STACK_OPS ? stack_ops : malloc((size_t)cap * sizeof(Op));
    Term stack_res[STACK_OPS], *res = cap <= STACK_OPS ? stack_res : malloc((size_t)cap * sizeof(Term));
    if (!ops || !res) abort();
    bool single;
    long n = parse_ops(tab, args[2], ops, false, &single);
    Term err = n < 0 ? AM_badarg : apply(p, tab, args[1], ops, n, false, THE_NON_VALUE, res);
    if (ops != stack_ops) free(ops);
    if (res != stack_res) free(res);
    if (err == AM_badkey) return AM_false;
    if (is_value(err)) return ets_badarg(p, err == AM_badarg ? THE_NON_VALUE : err);
    return AM_true;
}
