/*
 * bif_binary.c - the binary BIFs of module erlang (sizes, conversions to
 * and from lists, atoms and numbers, slices) and the simplest ones of
 * module binary. Layouts and helpers are in binary.h.
 *
 * As in OTP 25: the slicing BIFs (binary_part, split_binary,
 * binary_to_list/3) accept any bitstring and see only its whole bytes;
 * list_to_binary and iolist_* take iolists (bytes, binaries and iolists,
 * with a binary or [] as the tail at any depth), list_to_bitstring also
 * bitstrings; binary_to_float reads the text as list_to_float does (a NUL
 * ends it, a comma may stand for the point). Every failure is badarg except
 * atoms longer than 255 characters (system_limit) and results too large
 * to allocate (system_limit).
 */
#include "runtime/term/arith_fmt.h"
#include "runtime/term/big.h"
#include "runtime/bif/bif.h"
#include "runtime/term/binary.h"

#include <stdlib.h>

/* ---- helpers ---- */

/* A small integer argument in [lo, hi], or -1. */
static intptr_t int_arg(Term t, intptr_t lo, intptr_t hi)
{
    if (!is_small(t) || small_val(t) < lo || small_val(t) > hi) return -1;
    return small_val(t);
}

/* The bits of any bitstring and how many whole bytes they hold; false if t is none. */
static bool whole_bytes(Term t, BitSlice *s, size_t *bytes)
{
    if (!bitstring_slice(t, s)) return false;
    *bytes = s->bits / 8;
    return true;
}

/* Byte i of a slice (a bitstring that is no binary may start at any bit). */
static uint8_t slice_byte(const BitSlice *s, size_t i)
{
    size_t off = s->offset + 8 * i;
    return off % 8 ? (uint8_t)bits_get_u64(s->data, off, 8) : s->data[off / 8];
}

/* Bytes [from, from + n) of a slice as a list ending in tail. */
static Term bytes_to_list(Process *p, const BitSlice *s, size_t from, size_t n, Term tail)
{
    if (n == 0) return tail;
    Term *hp = heap_alloc(p, 2 * n);
    for (size_t i = 0; i < n; i++) {
        hp[2 * i] = make_small(slice_byte(s, from + i));
        hp[2 * i + 1] = i + 1 < n ? make_list(hp + 2 * i + 2) : tail;
    }
    return make_list(hp);
}

/* Bits [offset, offset + bits) of t, or system_limit when a copy cannot be made. */
static Term sub_or_fail(Process *p, Term t, size_t offset, size_t bits)
{
    Term r = binary_sub(p, t, offset, bits);
    return is_value(r) ? r : bif_error(p, AM_system_limit);
}

/* A new binary of the n bytes at s, or system_limit. */
static Term new_binary(Process *p, const void *s, size_t n)
{
    Term t = binary_from_bytes(p, s, n);
    return is_value(t) ? t : bif_error(p, AM_system_limit);
}

/* ---- sizes ---- */

Term bif_byte_size_1(Process *p, const Term *args)
{
    if (!is_bitstring(args[0])) return bif_error(p, AM_badarg);
    return make_small((intptr_t)((bitstring_bits(args[0]) + 7) / 8));
}

Term bif_bit_size_1(Process *p, const Term *args)
{
    if (!is_bitstring(args[0])) return bif_error(p, AM_badarg);
    return int_from_u64(p, bitstring_bits(args[0]));
}

/* ---- to lists ---- */

Term bif_binary_to_list_1(Process *p, const Term *args)
{
    BitSlice s;
    size_t n;
    if (!whole_bytes(args[0], &s, &n) || s.bits % 8) return bif_error(p, AM_badarg);
    return bytes_to_list(p, &s, 0, n, NIL);
}

/* Bytes Start..Stop (1-based, inclusive) of the whole bytes. */
Term bif_binary_to_list_3(Process *p, const Term *args)
{
    BitSlice s;
    size_t n;
    if (!whole_bytes(args[0], &s, &n)) return bif_error(p, AM_badarg);
    intptr_t start = int_arg(args[1], 1, (intptr_t)n), stop = int_arg(args[2], 1, (intptr_t)n);
    if (start < 0 || stop < start) return bif_error(p, AM_badarg);
    return bytes_to_list(p, &s, (size_t)start - 1, (size_t)(stop - start + 1), NIL);
}

/* The whole bytes, then the remaining bits (if any) as a bitstring. */
Term bif_bitstring_to_list_1(Process *p, const Term *args)
{
    Term t = args[0];
    BitSlice s;
    size_t n;
    if (!whole_bytes(t, &s, &n)) return bif_error(p, AM_badarg);
    Term tail = NIL;
    if (s.bits % 8) {
        Term last = binary_sub(p, t, n * 8, s.bits % 8); /* never a copy: not whole bytes */
        Term *hp = heap_alloc(p, 2);
        hp[0] = last;
        hp[1] = NIL;
        tail = make_list(hp);
    }
    return bytes_to_list(p, &s, 0, n, tail);
}

/* ---- iolists ---- */

/*
 * Walks an iolist (or, with `bits`, a bitstring list) without recursion:
 * lists whose elements are lists leave their tails on a stack. Counts the
 * bits, or with `out` also writes them there. False when t is not one.
 */
typedef struct IoStack {
    Term *v;
    size_t n, cap;
    Term inline_v[32];
} IoStack;

static void io_push(IoStack *s, Term t)
{
    if (s->n == s->cap) {
        size_t cap = s->cap * 2;
        Term *v = s->v == s->inline_v ? malloc(cap * sizeof(Term)) : realloc(s->v, cap * sizeof(Term));
        if (!v) abort();
        if (s->v == s->inline_v) memcpy(v, s->inline_v, sizeof s->inline_v);
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = t;
}

/* Adds bitstring b (a binary unless `bits`) to the output; false if it may not be there. */
static bool io_bitstring(Term b, bool bits, uint8_t *out, size_t *pos)
{
    BitSlice s;
    bitstring_slice(b, &s);
    if (!bits && s.bits % 8) return false;
    if (out) bits_copy(out, *pos, s.data, s.offset, s.bits);
    *pos += s.bits;
    return true;
}

/* One list cell's head: a byte, a bitstring, or a list to enter (pushing the tail). */
static bool io_head(IoStack *st, Term *cur, bool bits, uint8_t *out, size_t *pos)
{
    Term h = list_head(*cur), tail = list_tail(*cur);
    if (is_small(h) && (uintptr_t)small_val(h) <= 255) {
        if (out) {
            if (*pos % 8 == 0) out[*pos / 8] = (uint8_t)small_val(h);
            else bits_put_u64(out, *pos, (uint64_t)small_val(h), 8);
        }
        *pos += 8;
    } else if (is_bitstring(h)) {
        if (!io_bitstring(h, bits, out, pos)) return false;
    } else if (is_list(h) || is_nil(h)) {
        io_push(st, tail);
        *cur = h;
        return true;
    } else {
        return false;
    }
    *cur = tail;
    return true;
}

static bool io_walk(Term t, bool bits, uint8_t *out, size_t *nbits)
{
    IoStack st = {st.inline_v, 0, 32, {0}};
    size_t pos = 0;
    bool ok = true;
    io_push(&st, t);
    while (ok && st.n > 0) {
        Term cur = st.v[--st.n];
        while (ok && is_list(cur)) ok = io_head(&st, &cur, bits, out, &pos);
        if (ok && !is_nil(cur)) ok = is_bitstring(cur) && io_bitstring(cur, bits, out, &pos);
    }
    if (st.v != st.inline_v) free(st.v);
    *nbits = pos;
    return ok;
}

/* The bitstring an iolist (bitstring list) stands for; badarg if it is not one. */
static Term io_to_bitstring(Process *p, Term t, bool bits)
{
    size_t n;
    if (!io_walk(t, bits, NULL, &n)) return bif_error(p, AM_badarg);
    uint8_t *data;
    Term bin = binary_new(p, (n + 7) / 8, &data);
    if (!is_value(bin)) return bif_error(p, AM_system_limit);
    if (n % 8) data[n / 8] = 0;
    io_walk(t, bits, data, &n);
    return n % 8 ? binary_sub(p, bin, 0, n) : bin;
}

Term bif_list_to_binary_1(Process *p, const Term *args)
{
    if (!is_list(args[0]) && !is_nil(args[0])) return bif_error(p, AM_badarg);
    return io_to_bitstring(p, args[0], false);
}

Term bif_iolist_to_binary_1(Process *p, const Term *args)
{
    if (is_bitstring(args[0])) return binary_is_binary(args[0]) ? args[0] : bif_error(p, AM_badarg);
    if (!is_list(args[0]) && !is_nil(args[0])) return bif_error(p, AM_badarg);
    return io_to_bitstring(p, args[0], false);
}

Term bif_list_to_bitstring_1(Process *p, const Term *args)
{
    if (!is_list(args[0]) && !is_nil(args[0])) return bif_error(p, AM_badarg);
    return io_to_bitstring(p, args[0], true);
}

Term bif_iolist_size_1(Process *p, const Term *args)
{
    size_t n;
    Term t = args[0];
    if (!is_list(t) && !is_nil(t) && !binary_is_binary(t)) return bif_error(p, AM_badarg);
    if (!io_walk(t, false, NULL, &n)) return bif_error(p, AM_badarg);
    return int_from_u64(p, n / 8);
}

/* ---- slices ---- */

/* binary_part(Bin, Start, Len): Len < 0 takes the bytes before Start. */
static Term part(Process *p, Term bin, Term start_t, Term len_t)
{
    BitSlice s;
    size_t n;
    if (!whole_bytes(bin, &s, &n) || !is_small(start_t) || !is_small(len_t)) return bif_error(p, AM_badarg);
    intptr_t start = small_val(start_t), len = small_val(len_t);
    if (len < 0) {
        start += len;
        len = -len;
    }
    if (start < 0 || (size_t)start > n || (size_t)len > n - (size_t)start) return bif_error(p, AM_badarg);
    return sub_or_fail(p, bin, (size_t)start * 8, (size_t)len * 8);
}

Term bif_binary_part_3(Process *p, const Term *args) { return part(p, args[0], args[1], args[2]); }

Term bif_binary_part_2(Process *p, const Term *args)
{
    Term pl = args[1];
    if (!is_tuple(pl) || tuple_arity(pl) != 2) return bif_error(p, AM_badarg);
    return part(p, args[0], tuple_elems(pl)[0], tuple_elems(pl)[1]);
}

Term bif_split_binary_2(Process *p, const Term *args)
{
    Term bin = args[0];
    BitSlice s;
    size_t n;
    if (!whole_bytes(bin, &s, &n)) return bif_error(p, AM_badarg);
    intptr_t pos = int_arg(args[1], 0, (intptr_t)n);
    if (pos < 0) return bif_error(p, AM_badarg);
    size_t at = (size_t)pos * 8;
    Term first = sub_or_fail(p, bin, 0, at);
    if (!is_value(first)) return first;
    Term rest = sub_or_fail(p, bin, at, s.bits - at);
    return is_value(rest) ? heap_tuple2(p, first, rest) : rest;
}

/* ---- atoms ---- */

enum encoding { ENC_BAD, ENC_LATIN1, ENC_UTF8 };

static enum encoding encoding_arg(Term t)
{
    if (t == AM_latin1) return ENC_LATIN1;
    if (t == AM_utf8 || t == AM_unicode) return ENC_UTF8;
    return ENC_BAD;
}

static Term atom_to_binary(Process *p, Term atom, enum encoding enc)
{
    if (!is_atom(atom) || enc == ENC_BAD) return bif_error(p, AM_badarg);
    const uint8_t *s = (const uint8_t *)atom_text(atom);
    size_t len = atom_len(atom);
    if (enc == ENC_UTF8) return new_binary(p, s, len);
    uint8_t buf[ATOM_MAX_CHARS];
    size_t n = 0;
    for (size_t i = 0; i < len; n++) { /* UTF-8 of characters below 256: one or two bytes */
        if (s[i] < 0x80) {
            buf[n] = s[i++];
        } else if (s[i] < 0xC4) {
            buf[n] = (uint8_t)((s[i] & 0x03) << 6 | (s[i + 1] & 0x3F));
            i += 2;
        } else {
            return bif_error(p, AM_badarg);
        }
    }
    return new_binary(p, buf, n);
}

Term bif_atom_to_binary_1(Process *p, const Term *args) { return atom_to_binary(p, args[0], ENC_UTF8); }

Term bif_atom_to_binary_2(Process *p, const Term *args)
{
    return atom_to_binary(p, args[0], encoding_arg(args[1]));
}

/* Characters in strict UTF-8 text, or -1 when it is not valid UTF-8. */
static intptr_t utf8_chars(const uint8_t *s, size_t n)
{
    intptr_t chars = 0;
    for (size_t off = 0; off < n * 8; chars++) {
        uint32_t c;
        unsigned bits = bits_get_utf8(s, off, n * 8 - off, &c);
        if (bits == 0) return -1;
        off += bits;
    }
    return chars;
}

/*
 * The atom a binary names in the encoding: Latin-1 text becomes UTF-8
 * first. THE_NON_VALUE with *reason = badarg or system_limit when there is
 * none; with `existing`, only an atom that exists already.
 */
static Term binary_atom(Term bin, enum encoding enc, bool existing, Term *reason)
{
    const uint8_t *d;
    size_t n;
    *reason = AM_badarg;
    if (!binary_bytes(bin, &d, &n) || enc == ENC_BAD) return THE_NON_VALUE;
    intptr_t chars = enc == ENC_UTF8 ? utf8_chars(d, n) : (intptr_t)n;
    if (chars < 0) return THE_NON_VALUE;
    if (chars > ATOM_MAX_CHARS) {
        if (!existing) *reason = AM_system_limit;
        return THE_NON_VALUE;
    }
    char buf[ATOM_MAX_CHARS * 2];
    const char *text = (const char *)d;
    if (enc == ENC_LATIN1) {
        size_t len = 0;
        for (size_t i = 0; i < n; i++) len += bits_put_utf8((uint8_t *)buf, len * 8, d[i]) / 8;
        text = buf;
        n = len;
    }
    Term atom = existing ? atom_find(text, n) : atom_put(text, n);
    if (!is_value(atom) && !existing) *reason = AM_system_limit; /* the table is full */
    return atom;
}

static Term to_atom(Process *p, Term bin, Term enc, bool existing)
{
    Term reason;
    Term atom = binary_atom(bin, encoding_arg(enc), existing, &reason);
    return is_value(atom) ? atom : bif_error(p, reason);
}

Term bif_binary_to_atom_1(Process *p, const Term *args) { return to_atom(p, args[0], AM_utf8, false); }
Term bif_binary_to_atom_2(Process *p, const Term *args) { return to_atom(p, args[0], args[1], false); }
Term bif_binary_to_existing_atom_1(Process *p, const Term *args)
{
    return to_atom(p, args[0], AM_utf8, true);
}
Term bif_binary_to_existing_atom_2(Process *p, const Term *args)
{
    return to_atom(p, args[0], args[1], true);
}

/* ---- integers ---- */

static int base_arg(Term b) { return (int)int_arg(b, 2, 36); }

static Term integer_to_binary(Process *p, Term n, int base)
{
    if (!is_integer(n) || base < 0) return bif_error(p, AM_badarg);
    if (is_small(n)) { /* the usual case, without GMP and malloc */
        char buf[ARITH_FMT_INT_BUF];
        char *s = arith_fmt_small(small_val(n), (unsigned)base, buf + sizeof buf);
        return new_binary(p, s, (size_t)(buf + sizeof buf - s));
    }
    mpz_t z;
    mpz_init(z);
    int_to_mpz(n, z);
    char *text = mpz_get_str(NULL, -base, z); /* negative base: uppercase digits */
    mpz_clear(z);
    Term r = new_binary(p, text, strlen(text));
    free(text);
    return r;
}

Term bif_integer_to_binary_1(Process *p, const Term *args) { return integer_to_binary(p, args[0], 10); }

Term bif_integer_to_binary_2(Process *p, const Term *args)
{
    return integer_to_binary(p, args[0], base_arg(args[1]));
}

static int digit_value(uint8_t c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

/* [+|-] digits of the base, and nothing else. */
static Term binary_to_integer(Process *p, Term bin, int base)
{
    const uint8_t *d;
    size_t n;
    if (!binary_bytes(bin, &d, &n) || base < 0) return bif_error(p, AM_badarg);
    bool negative = n > 0 && d[0] == '-';
    size_t i = n > 0 && (d[0] == '-' || d[0] == '+') ? 1 : 0;
    if (i == n) return bif_error(p, AM_badarg);
    for (size_t k = i; k < n; k++)
        if (digit_value(d[k]) >= base) return bif_error(p, AM_badarg);
    if (n - i <= 11) { /* 36^11 < 2^59: fits a small integer */
        intptr_t v = 0;
        for (; i < n; i++) v = v * base + digit_value(d[i]);
        return make_small(negative ? -v : v);
    }
    char *text = malloc(n - i + 1);
    if (!text) return bif_error(p, AM_system_limit);
    memcpy(text, d + i, n - i);
    text[n - i] = '\0';
    mpz_t z;
    mpz_init_set_str(z, text, base);
    free(text);
    if (negative) mpz_neg(z, z);
    Term r = int_from_mpz(p, z);
    mpz_clear(z);
    return r;
}

Term bif_binary_to_integer_1(Process *p, const Term *args) { return binary_to_integer(p, args[0], 10); }

Term bif_binary_to_integer_2(Process *p, const Term *args)
{
    return binary_to_integer(p, args[0], base_arg(args[1]));
}

/* ---- floats ---- */

static bool atom_is(Term t, const char *name)
{
    size_t len = strlen(name);
    return is_atom(t) && atom_len(t) == len && memcmp(atom_text(t), name, len) == 0;
}

/* float_to_list's options: [short], [{decimals, N}], [{scientific, N}], compact; the last format wins. */
static bool float_format(Process *p, double d, Term opts, char *buf, int *len)
{
    enum { LEGACY, SHORT, FIXED, SCIENTIFIC } fmt = LEGACY;
    int decimals = 20;
    bool compact = false;
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (atom_is(o, "compact")) {
            compact = true;
        } else if (atom_is(o, "short")) {
            fmt = SHORT;
        } else if (is_tuple(o) && tuple_arity(o) == 2 && is_small(tuple_elems(o)[1]) &&
                   (atom_is(tuple_elems(o)[0], "decimals") || atom_is(tuple_elems(o)[0], "scientific"))) {
            fmt = atom_is(tuple_elems(o)[0], "decimals") ? FIXED : SCIENTIFIC;
            decimals = (int)small_val(tuple_elems(o)[1]); /* truncated to an int, as OTP */
        } else {
            return false;
        }
    }
    if (!is_nil(opts)) return false;
    *len = fmt == SHORT   ? arith_fmt_short(d, buf)
           : fmt == FIXED ? arith_fmt_fixed(d, decimals, compact, buf, ARITH_FMT_BUF)
                          : arith_fmt_scientific(d, decimals, buf, ARITH_FMT_BUF);
    return *len > 0;
}

static Term float_to_binary(Process *p, Term f, Term opts)
{
    char buf[ARITH_FMT_BUF];
    int len;
    if (!is_float(f) || !float_format(p, float_val(f), opts, buf, &len)) return bif_error(p, AM_badarg);
    return new_binary(p, buf, (size_t)len);
}

Term bif_float_to_binary_1(Process *p, const Term *args) { return float_to_binary(p, args[0], NIL); }
Term bif_float_to_binary_2(Process *p, const Term *args) { return float_to_binary(p, args[0], args[1]); }

Term bif_binary_to_float_1(Process *p, const Term *args)
{
    const uint8_t *d;
    size_t n;
    if (!binary_bytes(args[0], &d, &n)) return bif_error(p, AM_badarg);
    char *text = malloc(n + 1);
    if (!text) return bif_error(p, AM_system_limit);
    memcpy(text, d, n);
    text[n] = '\0';
    double v;
    bool ok = arith_parse_float(text, &v);
    free(text);
    if (!ok) return bif_error(p, AM_badarg);
    Term *hp = heap_alloc(p, FLOAT_WORDS);
    return make_float(hp, v);
}

/* ---- module binary ---- */

Term bif_binary_first_1(Process *p, const Term *args)
{
    const uint8_t *d;
    size_t n;
    if (!binary_bytes(args[0], &d, &n) || n == 0) return bif_error(p, AM_badarg);
    return make_small(d[0]);
}

Term bif_binary_last_1(Process *p, const Term *args)
{
    const uint8_t *d;
    size_t n;
    if (!binary_bytes(args[0], &d, &n) || n == 0) return bif_error(p, AM_badarg);
    return make_small(d[n - 1]);
}

Term bif_binary_at_2(Process *p, const Term *args)
{
    const uint8_t *d;
    size_t n;
    if (!binary_bytes(args[0], &d, &n)) return bif_error(p, AM_badarg);
    intptr_t i = int_arg(args[1], 0, (intptr_t)n - 1);
    if (i < 0) return bif_error(p, AM_badarg);
    return make_small(d[i]);
}

static Term copy_times(Process *p, Term bin, Term count)
{
    const uint8_t *d;
    size_t n;
    if (!binary_bytes(bin, &d, &n) || !is_small(count) || small_val(count) < 0)
        return bif_error(p, AM_badarg);
    size_t times = (size_t)small_val(count), total;
    if (__builtin_mul_overflow(n, times, &total)) return bif_error(p, AM_system_limit);
    uint8_t *data;
    Term r = binary_new(p, total, &data);
    if (!is_value(r)) return bif_error(p, AM_system_limit);
    for (size_t i = 0; i < times; i++) memcpy(data + i * n, d, n);
    return r;
}

Term bif_binary_copy_1(Process *p, const Term *args) { return copy_times(p, args[0], make_small(1)); }
Term bif_binary_copy_2(Process *p, const Term *args) { return copy_times(p, args[0], args[1]); }
