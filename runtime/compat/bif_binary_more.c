/*
 * bif_binary_more.c - the binary module's BIFs beyond matching and parts:
 * decode_unsigned, encode_unsigned, list_to_bin, longest_common_prefix and
 * _suffix, referenced_byte_size (OTP 25's results and badargs).
 */
#include "runtime/bif/bif.h"

#include "runtime/proc/heap.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"

#include <gmp.h>
#include <stdlib.h>
#include <string.h>

/* The bytes of a binary (not a bitstring) as one flat buffer: malloc'ed when
   the binary does not start on a byte boundary (*owned set), else in place. */
static const uint8_t *flat_bytes(Term t, size_t *n, uint8_t **owned)
{
    BitSlice s;
    *owned = NULL;
    if (!bitstring_slice(t, &s) || s.bits % 8 != 0) return NULL;
    *n = s.bits / 8;
    if (s.offset % 8 == 0) return s.data + s.offset / 8;
    *owned = malloc(*n ? *n : 1);
    if (!*owned) abort();
    bitstring_copy(t, *owned);
    return *owned;
}

/* big or little as the endianness argument: 1 for little, 0 for big, -1 for anything else. */
static int endian_arg(Term t) { return t == AM_little ? 1 : t == AM_big ? 0 : -1; }

static Term decode_unsigned(Process *p, Term bin, int little)
{
    size_t n;
    uint8_t *owned;
    const uint8_t *d = flat_bytes(bin, &n, &owned);
    if (!d || little < 0) return bif_error(p, AM_badarg);
    mpz_t v;
    mpz_init(v);
    mpz_import(v, n, little ? -1 : 1, 1, 0, 0, d);
    free(owned);
    Term r = int_from_mpz(p, v);
    mpz_clear(v);
    return r;
}

Term bif_binary_decode_unsigned_1(Process *p, const Term *args) { return decode_unsigned(p, args[0], 0); }
Term bif_binary_decode_unsigned_2(Process *p, const Term *args)
{
    return decode_unsigned(p, args[0], endian_arg(args[1]));
}

/* The fewest bytes that hold a non-negative integer (one byte for 0). */
static Term encode_unsigned(Process *p, Term i, int little)
{
    if (!is_integer(i) || little < 0) return bif_error(p, AM_badarg);
    mpz_t v;
    mpz_init(v);
    int_to_mpz(i, v);
    if (mpz_sgn(v) < 0) {
        mpz_clear(v);
        return bif_error(p, AM_badarg);
    }
    size_t n = mpz_sgn(v) == 0 ? 1 : (mpz_sizeinbase(v, 2) + 7) / 8;
    uint8_t *data;
    Term bin = binary_new(p, n, &data);
    memset(data, 0, n);
    mpz_export(data, NULL, little ? -1 : 1, 1, 0, 0, v);
    mpz_clear(v);
    return bin;
}

Term bif_binary_encode_unsigned_1(Process *p, const Term *args) { return encode_unsigned(p, args[0], 0); }
Term bif_binary_encode_unsigned_2(Process *p, const Term *args)
{
    return encode_unsigned(p, args[0], endian_arg(args[1]));
}

Term bif_binary_list_to_bin_1(Process *p, const Term *args) { return bif_list_to_binary_1(p, args); }

/* The length of the longest common prefix (from_end: suffix) of a non-empty list of binaries. */
static Term longest_common(Process *p, Term list, bool from_end)
{
    if (!is_list(list)) return bif_error(p, AM_badarg);
    size_t best = SIZE_MAX, first_n = 0;
    uint8_t *first_owned = NULL;
    const uint8_t *first = NULL;
    Term t = list;
    for (; is_list(t); t = list_tail(t)) {
        size_t n;
        uint8_t *owned;
        const uint8_t *d = flat_bytes(list_head(t), &n, &owned);
        if (!d) break;
        if (!first) {
            first = d, first_n = n, first_owned = owned, best = n;
            continue;
        }
        size_t k = 0, lim = n < best ? n : best;
        if (from_end)
            while (k < lim && d[n - 1 - k] == first[first_n - 1 - k]) k++;
        else
            while (k < lim && d[k] == first[k]) k++;
        best = k;
        free(owned);
    }
    free(first_owned);
    if (!is_nil(t) || !first) return bif_error(p, AM_badarg);
    return make_small((intptr_t)best);
}

Term bif_binary_longest_common_prefix_1(Process *p, const Term *args) { return longest_common(p, args[0], false); }
Term bif_binary_longest_common_suffix_1(Process *p, const Term *args) { return longest_common(p, args[0], true); }

/* The size of the binary that bin's bytes live in (a sub-binary keeps all of its original referenced). */
Term bif_binary_referenced_byte_size_1(Process *p, const Term *args)
{
    Term t = args[0];
    if (!is_boxed(t) || !binary_is_binary(t)) return bif_error(p, AM_badarg);
    Term *hp = boxed_val(t);
    if (header_subtag(hp[0]) == HDR_SUB_BIN) hp = boxed_val(hp[3]);
    return make_small((intptr_t)hp[1]);
}
