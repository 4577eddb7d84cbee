/*
 * bif_etf.c - term_to_binary/1,2, binary_to_term/1,2 (etf.h) and the
 * portable hashes phash/2, phash2/1,2 (hash.h), module erlang.
 *
 * Options are checked as OTP 25 checks them: a proper list of known
 * options, anything else is badarg; a later option overrides an earlier
 * one.
 */
#include "runtime/bif/bif.h"

#include "runtime/term/binary.h"
#include "runtime/etf/etf.h"
#include "runtime/etf/hash.h"
#include "runtime/proc/heap.h"

#include <stdlib.h>

/* OTP's `compressed` without a level. */
#define DEFAULT_COMPRESSION 6

/* ---- term_to_binary ---- */

typedef struct EncodeRequest {
    EtfEncodeOptions enc;
    int level; /* 0: no compression */
} EncodeRequest;

static bool small_in(Term t, intptr_t lo, intptr_t hi)
{
    return is_small(t) && small_val(t) >= lo && small_val(t) <= hi;
}

/* One option of term_to_binary/2; false if it is not one. */
static bool encode_option(Term o, EncodeRequest *r)
{
    if (o == atom_from_cstr("compressed")) {
        r->level = DEFAULT_COMPRESSION;
        return true;
    }
    if (o == atom_from_cstr("deterministic")) {
        r->enc.deterministic = true;
        return true;
    }
    if (!is_tuple(o) || tuple_arity(o) != 2) return false;
    Term key = tuple_elems(o)[0], value = tuple_elems(o)[1];
    if (key == atom_from_cstr("compressed") && small_in(value, 0, 9)) {
        r->level = (int)small_val(value);
        return true;
    }
    if (key == atom_from_cstr("minor_version") && small_in(value, 0, 2)) {
        r->enc.minor_version = (unsigned)small_val(value);
        return true;
    }
    return false;
}

/* With compression, the compressed form if it is shorter (etf_compress). */
static Term encode(Process *p, Term t, const EncodeRequest *r)
{
    size_t size;
    uint8_t *plain = etf_encode(t, &r->enc, &size), *packed = NULL;
    size_t n = 0;
    if (r->level > 0) {
        packed = malloc(size);
        if (!packed) abort(); /* the VM cannot continue without memory */
        n = etf_compress(plain, size, r->level, packed);
    }
    Term bin = n ? binary_from_bytes(p, packed, n) : binary_from_bytes(p, plain, size);
    free(plain);
    free(packed);
    return bin == THE_NON_VALUE ? bif_error(p, AM_system_limit) : bin;
}

static const EncodeRequest encode_defaults = {.enc = {.minor_version = 1, .deterministic = false}, .level = 0};

Term bif_term_to_binary_1(Process *p, const Term *args) { return encode(p, args[0], &encode_defaults); }

Term bif_term_to_binary_2(Process *p, const Term *args)
{
    EncodeRequest r = encode_defaults;
    Term opts = args[1];
    for (; is_list(opts); opts = list_tail(opts))
        if (!encode_option(list_head(opts), &r)) return bif_error(p, AM_badarg);
    if (!is_nil(opts)) return bif_error(p, AM_badarg);
    return encode(p, args[0], &r);
}

/* ---- binary_to_term ---- */

static Term *heap_words(void *ctx, size_t words) { return heap_alloc(ctx, words); }

/* The term encoded in binary b, or a badarg; *used gets the bytes it took. */
static Term decode(Process *p, Term b, bool safe, size_t *used)
{
    const uint8_t *data;
    size_t size;
    if (!binary_bytes(b, &data, &size)) return bif_error(p, AM_badarg);
    char err[128];
    EtfDecodeOptions o = {.safe = safe, .owner = p};
    Term t = etf_binary_to_term_opts(data, size, (TermAlloc){heap_words, p}, &o, used, err, sizeof err);
    return t == THE_NON_VALUE ? bif_error(p, AM_badarg) : t;
}

Term bif_binary_to_term_1(Process *p, const Term *args) { return decode(p, args[0], false, NULL); }

Term bif_binary_to_term_2(Process *p, const Term *args)
{
    bool safe = false, want_used = false;
    Term opts = args[1];
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (o == AM_safe) safe = true;
        else if (o == atom_from_cstr("used")) want_used = true;
        else return bif_error_cause(p, AM_badarg, AM_badopt);
    }
    if (!is_nil(opts)) return bif_error_cause(p, AM_badarg, AM_badopt);
    size_t used = 0;
    Term t = decode(p, args[0], safe, &used);
    if (t == THE_NON_VALUE || !want_used) return t;
    Term *hp = heap_alloc(p, 3);
    hp[0] = make_tuple_header(2);
    hp[1] = t;
    hp[2] = make_small((intptr_t)used);
    return make_boxed(hp);
}

/* ---- hashes ---- */

/* phash(Term, Range): 1..Range. */
Term bif_phash_2(Process *p, const Term *args)
{
    uint64_t range;
    if (!hash_range_arg(args[1], &range)) return bif_error(p, AM_badarg);
    return make_small((intptr_t)(hash_phash(args[0]) % range + 1));
}

/* phash2(Term): 0..2^27-1. */
Term bif_phash2_1(Process *p, const Term *args)
{
    return make_small((intptr_t)(hash_phash2(args[0]) & ((1u << 27) - 1)));
}

/* phash2(Term, Range): 0..Range-1 (OTP masks for a power-of-two range: the same value). */
Term bif_phash2_2(Process *p, const Term *args)
{
    uint64_t range;
    if (!hash_range_arg(args[1], &range)) return bif_error(p, AM_badarg);
    return make_small((intptr_t)(hash_phash2(args[0]) % range));
}
