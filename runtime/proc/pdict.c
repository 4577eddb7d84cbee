/*
 * pdict.c - the process dictionary (see pdict.h) and its BIFs.
 *
 * The table is a tuple {Used, Split, Mask, Count, Bucket0, Bucket1, ...}
 * (the first four are small integers) with room for more buckets than are
 * in use. A bucket is NIL, one {Key, Value} pair, or a list of two or more
 * pairs, newest first.
 *
 * Linear hashing, as in OTP: `used` buckets are live; a hash h picks bucket
 * h & mask, or h & (mask >> 1) when that bucket is not live yet. When the
 * pairs reach the bucket count the table grows by a few buckets, each made
 * by splitting bucket `split` in two; when fewer than half the buckets are
 * filled after an erase it shrinks by merging buckets back. The same steps
 * in the same order as OTP give the same bucket contents, and listing
 * buckets 0.. while consing gives the same list as erl.
 */
#include "runtime/proc/pdict.h"

#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/loader/module.h"
#include "runtime/term/term_cmp.h"

#define PD_META 4         /* Used, Split, Mask, Count */
#define PD_INITIAL 8      /* live buckets of a new table, as OTP's default */
#define PD_MIN_CAPACITY 10
#define PD_HASH_BUDGET 64 /* subterms a key hash looks at */

typedef struct PdTable {
    Term *obj; /* the tuple: obj[0] header, obj[1..4] meta, then buckets */
    size_t used, split, mask, count, capacity;
} PdTable;

static Term *pd_buckets(const PdTable *t) { return t->obj + 1 + PD_META; }

static void pd_load(Term table, PdTable *t)
{
    t->obj = boxed_val(table);
    t->used = (size_t)small_val(t->obj[1]);
    t->split = (size_t)small_val(t->obj[2]);
    t->mask = (size_t)small_val(t->obj[3]);
    t->count = (size_t)small_val(t->obj[4]);
    t->capacity = header_arity(t->obj[0]) - PD_META;
}

static void pd_store(const PdTable *t)
{
    t->obj[1] = make_small((intptr_t)t->used);
    t->obj[2] = make_small((intptr_t)t->split);
    t->obj[3] = make_small((intptr_t)t->mask);
    t->obj[4] = make_small((intptr_t)t->count);
}

/* Moves the table into a new tuple with room for `capacity` buckets (>= used). */
static void pd_resize(Process *p, PdTable *t, size_t capacity)
{
    Term *obj = heap_alloc(p, 1 + PD_META + capacity);
    obj[0] = make_tuple_header(PD_META + capacity);
    size_t keep = t->obj ? (t->capacity < capacity ? t->capacity : capacity) : 0;
    if (keep) memcpy(obj + 1 + PD_META, pd_buckets(t), keep * sizeof(Term));
    for (size_t i = keep; i < capacity; i++) obj[1 + PD_META + i] = NIL;
    t->obj = obj;
    t->capacity = capacity;
    pd_store(t);
    p->dictionary = make_boxed(obj);
}

static size_t pd_capacity_for(size_t need)
{
    size_t cap = PD_MIN_CAPACITY;
    while (cap < need) cap *= 2;
    return cap;
}

static void pd_create(Process *p, PdTable *t)
{
    t->obj = NULL;
    t->used = PD_INITIAL;
    t->split = 0;
    t->mask = 2 * PD_INITIAL - 1;
    t->count = 0;
    pd_resize(p, t, pd_capacity_for(PD_INITIAL));
}

/* ---- hashing ---- */

static uint64_t hash_step(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

/*
 * A hash of t that equal (=:=) terms share: it looks only at what =:=
 * compares, and visits subterms in a fixed order until the budget runs
 * out, so equal terms stop at the same place. Binaries and maps count by
 * kind only (their layouts are not settled yet). Recursion is bounded by
 * the budget.
 */
static uint64_t hash_term(Term t, uint64_t h, int *budget)
{
    while ((*budget)-- > 0) {
        if (is_list(t)) {
            h = hash_term(list_head(t), hash_step(h, TAG_PRIMARY_LIST), budget);
            t = list_tail(t);
            continue;
        }
        if (!is_boxed(t)) return hash_step(h, t);
        const Term *obj = boxed_val(t);
        size_t arity = header_arity(obj[0]);
        switch (header_subtag(obj[0])) {
        case HDR_TUPLE:
            h = hash_step(h, obj[0]);
            if (arity == 0) return h;
            for (size_t i = 1; i < arity; i++) h = hash_term(obj[i], h, budget);
            t = obj[arity];
            continue;
        case HDR_FLOAT: {
            double d = float_val(t);
            uint64_t bits;
            if (d == 0.0) d = 0.0; /* 0.0 =:= -0.0 in OTP 25 */
            memcpy(&bits, &d, sizeof bits);
            return hash_step(h, bits);
        }
        case HDR_REF: /* only the id: a magic reference equals the plain one with its id (magic.h) */
            return hash_step(hash_step(h, obj[1]), obj[2]);
        case HDR_POS_BIG:
        case HDR_NEG_BIG:
            for (size_t i = 0; i <= arity; i++) h = hash_step(h, obj[i]);
            return h;
        case HDR_EXPORT: {
            const Export *e = (const Export *)obj[1];
            return hash_step(hash_step(hash_step(h, e->module), e->function), e->arity);
        }
        case HDR_FUN: {
            const FunEntry *fe = (const FunEntry *)obj[1];
            return hash_step(hash_step(hash_step(h, fe->module), fe->index), fe->old_uniq);
        }
        default:
            return hash_step(h, header_subtag(obj[0]));
        }
    }
    return h;
}

/* As OTP: a small integer hashes to its low 32 bits, an atom to its index. */
static uint32_t pd_hash(Term key)
{
    if (is_small(key)) return (uint32_t)small_val(key);
    if (is_atom(key)) return atom_val(key);
    int budget = PD_HASH_BUDGET;
    uint64_t h = hash_term(key, 0, &budget);
    return (uint32_t)(h ^ (h >> 32));
}

static size_t pd_index(const PdTable *t, uint32_t hash)
{
    size_t ix = hash & t->mask;
    return ix < t->used ? ix : hash & (t->mask >> 1);
}

/* ---- buckets ---- */

static bool eq_exact(Term a, Term b)
{
    return a == b || (!is_immed(a) && !is_immed(b) && term_eq_exact(a, b));
}

static Term pair_key(Term pair) { return tuple_elems(pair)[0]; }
static Term pair_value(Term pair) { return tuple_elems(pair)[1]; }

/* A one-element list becomes its element: buckets hold a lone pair directly. */
static Term bucket_from_list(Term list)
{
    return is_list(list) && is_nil(list_tail(list)) ? list_head(list) : list;
}

/* The pair with that key in a bucket, or THE_NON_VALUE. */
static Term bucket_find(Term bucket, Term key)
{
    if (is_tuple(bucket)) return eq_exact(pair_key(bucket), key) ? bucket : THE_NON_VALUE;
    for (; is_list(bucket); bucket = list_tail(bucket))
        if (eq_exact(pair_key(list_head(bucket)), key)) return list_head(bucket);
    return THE_NON_VALUE;
}

/* The bucket with a pair for a new key added in front, as OTP does. */
static Term bucket_add(Process *p, Term bucket, Term pair)
{
    if (is_nil(bucket)) return pair;
    if (is_tuple(bucket)) bucket = heap_cons(p, bucket, NIL);
    return heap_cons(p, pair, bucket);
}

/* Replaces the pair with pair's key in a bucket that holds it. */
static void bucket_replace(Term *bucket, Term pair)
{
    if (is_tuple(*bucket)) {
        *bucket = pair;
        return;
    }
    Term l = *bucket;
    while (!eq_exact(pair_key(list_head(l)), pair_key(pair))) l = list_tail(l);
    list_val(l)[0] = pair;
}

/* Removes the pair with that key from a bucket that holds it. */
static void bucket_remove(Term *bucket, Term key)
{
    if (is_tuple(*bucket)) {
        *bucket = NIL;
        return;
    }
    Term *link = bucket;
    while (!eq_exact(pair_key(list_head(*link)), key)) link = &list_val(*link)[1];
    *link = list_tail(*link);
    *bucket = bucket_from_list(*bucket);
}

/* Bucket `from` split in two: pairs that now hash elsewhere go to bucket `to`. */
static void pd_split_bucket(Process *p, PdTable *t, size_t from, size_t to)
{
    Term *b = pd_buckets(t);
    Term l = b[from];
    if (is_tuple(l)) {
        if (pd_index(t, pd_hash(pair_key(l))) != from) {
            b[to] = l;
            b[from] = NIL;
        }
        return;
    }
    Term stay = NIL, move = NIL;
    for (; is_list(l); l = list_tail(l)) {
        Term pair = list_head(l);
        if (pd_index(t, pd_hash(pair_key(pair))) == from)
            stay = heap_cons(p, pair, stay);
        else
            move = heap_cons(p, pair, move);
    }
    b[from] = bucket_from_list(stay);
    b[to] = bucket_from_list(move);
}

/* Adds up to 16 buckets (a quarter of the live ones), splitting one for each. */
static void pd_grow(Process *p, PdTable *t)
{
    size_t steps = (t->used / 4) & 0xF;
    if (steps == 0) steps = 1;
    if (t->used + steps > t->capacity) pd_resize(p, t, pd_capacity_for(t->used + steps));
    size_t home = t->used - t->split;
    for (size_t s = 0; s < steps; s++) {
        if (t->split == home) {
            home *= 2;
            t->mask = 2 * home - 1;
            t->split = 0;
        }
        size_t from = t->split++;
        t->used++;
        pd_split_bucket(p, t, from, from + home);
    }
}

/* Bucket lo with bucket hi's pairs added, in OTP's order. */
static Term bucket_join(Process *p, Term lo, Term hi)
{
    if (is_nil(lo)) return hi;
    if (is_tuple(lo)) return heap_cons(p, lo, is_tuple(hi) ? heap_cons(p, hi, NIL) : hi);
    if (is_tuple(hi)) return heap_cons(p, hi, lo);
    for (; is_list(hi); hi = list_tail(hi)) lo = heap_cons(p, list_head(hi), lo);
    return lo;
}

/* Removes about 30% of the live buckets (never below PD_INITIAL), merging each into its twin. */
static void pd_shrink(Process *p, PdTable *t)
{
    size_t steps = t->used * 3 / 10;
    if (t->used - steps < PD_INITIAL) steps = t->used - PD_INITIAL;
    Term *b = pd_buckets(t);
    for (size_t s = 0; s < steps; s++) {
        if (t->split == 0) {
            t->mask = t->used - 1;
            t->split = t->used / 2;
        }
        t->split--;
        Term hi = b[t->used - 1];
        if (!is_nil(hi)) b[t->split] = bucket_join(p, b[t->split], hi);
        b[--t->used] = NIL;
    }
    if (t->used <= t->capacity / 4) {
        size_t cap = pd_capacity_for(t->used * 3 / 2);
        if (cap < t->capacity) pd_resize(p, t, cap);
    }
}

/* ---- the dictionary ---- */

Term pdict_get(Process *p, Term key)
{
    if (is_nil(p->dictionary)) return AM_undefined;
    PdTable t;
    pd_load(p->dictionary, &t);
    Term pair = bucket_find(pd_buckets(&t)[pd_index(&t, pd_hash(key))], key);
    return is_value(pair) ? pair_value(pair) : AM_undefined;
}

Term pdict_put(Process *p, Term key, Term value)
{
    PdTable t;
    if (is_nil(p->dictionary))
        pd_create(p, &t);
    else
        pd_load(p->dictionary, &t);
    Term *bucket = &pd_buckets(&t)[pd_index(&t, pd_hash(key))];
    Term *hp = heap_alloc(p, 3);
    hp[0] = make_tuple_header(2);
    hp[1] = key;
    hp[2] = value;
    Term pair = make_boxed(hp);

    Term old = bucket_find(*bucket, key);
    if (is_value(old)) {
        /* In place, so the bucket keeps its order (as erl shows). */
        bucket_replace(bucket, pair);
        return pair_value(old);
    }
    *bucket = bucket_add(p, *bucket, pair);
    t.count++;
    if (t.count >= t.used) pd_grow(p, &t);
    pd_store(&t);
    return AM_undefined;
}

Term pdict_erase(Process *p, Term key)
{
    if (is_nil(p->dictionary)) return AM_undefined;
    PdTable t;
    pd_load(p->dictionary, &t);
    Term *bucket = &pd_buckets(&t)[pd_index(&t, pd_hash(key))];
    Term old = bucket_find(*bucket, key);
    if (!is_value(old)) return AM_undefined;
    bucket_remove(bucket, key);
    t.count--;
    if (t.used > PD_INITIAL && t.used / 2 > t.count) pd_shrink(p, &t);
    pd_store(&t);
    return pair_value(old);
}

/* What the listing functions take from each pair. */
typedef enum { LIST_PAIRS, LIST_KEYS } ListWhat;

/*
 * The pairs (or keys) whose value =:= match (any value when match is
 * THE_NON_VALUE), consed in bucket order as OTP does, so the last bucket
 * comes first.
 */
static Term pd_list(Process *p, ListWhat what, Term match)
{
    if (is_nil(p->dictionary)) return NIL;
    PdTable t;
    pd_load(p->dictionary, &t);
    const Term *b = pd_buckets(&t);
    size_t n = 0;
    for (size_t i = 0; i < t.used; i++)
        for (Term l = b[i]; !is_nil(l); l = is_list(l) ? list_tail(l) : NIL) {
            Term pair = is_list(l) ? list_head(l) : l;
            n += !is_value(match) || eq_exact(pair_value(pair), match);
        }
    if (n == 0) return NIL;
    Term *hp = heap_alloc(p, 2 * n);
    Term result = NIL;
    for (size_t i = 0; i < t.used; i++)
        for (Term l = b[i]; !is_nil(l); l = is_list(l) ? list_tail(l) : NIL) {
            Term pair = is_list(l) ? list_head(l) : l;
            if (is_value(match) && !eq_exact(pair_value(pair), match)) continue;
            hp[0] = what == LIST_PAIRS ? pair : pair_key(pair);
            hp[1] = result;
            result = make_list(hp);
            hp += 2;
        }
    return result;
}

Term pdict_get_all(Process *p) { return pd_list(p, LIST_PAIRS, THE_NON_VALUE); }

/* ---- BIFs ---- */

Term bif_put_2(Process *p, const Term *args) { return pdict_put(p, args[0], args[1]); }
Term bif_get_1(Process *p, const Term *args) { return pdict_get(p, args[0]); }
Term bif_get_0(Process *p, const Term *args) { return pdict_get_all(p); }
Term bif_get_keys_0(Process *p, const Term *args) { return pd_list(p, LIST_KEYS, THE_NON_VALUE); }
Term bif_get_keys_1(Process *p, const Term *args) { return pd_list(p, LIST_KEYS, args[0]); }
Term bif_erase_1(Process *p, const Term *args) { return pdict_erase(p, args[0]); }

Term bif_erase_0(Process *p, const Term *args)
{
    Term all = pdict_get_all(p);
    p->dictionary = NIL;
    return all;
}
