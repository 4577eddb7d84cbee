/*
 * io_format.c - io_lib:format/2 (see io_format.h).
 *
 * The format is read into items, then interpreted left to right. Each
 * control sequence takes its arguments, makes its text and fits it into the
 * field (width, precision, padding) with OTP's rules. The column the text
 * has reached is kept as OTP keeps it: characters since the last newline,
 * tabs to the next multiple of 8, and a literal element of a format list
 * counting as one. ~p starts there unless told otherwise.
 *
 * Any error (bad control character, an argument of the wrong type, too few
 * or too many arguments) is badarg, as io_lib:format's crash is in OTP.
 */
#include "runtime/io_format.h"

#include "runtime/binary.h"

#include "runtime/atom.h"
#include "runtime/term_print.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CODE_POINT 0x10FFFF

/* One element of the format: a character, or a literal list/binary element. */
typedef struct FmtItem {
    bool literal;
    unsigned cp;
    Term lit;
} FmtItem;

/* Code points, for ~s texts and literals. */
typedef struct CpVec {
    unsigned *v;
    size_t n, cap;
} CpVec;

typedef struct Fmt {
    StrBuf *out;
    long col;
    Term args;
    const FmtItem *items;
    size_t n, pos;
    IoFormatParts *parts; /* or NULL */
} Fmt;

/* A control sequence: ~[-][width][.[precision][.pad]][t][l]char */
typedef struct Spec {
    bool has_width, has_prec, left, unicode, strings;
    long width, prec;
    unsigned pad;
    unsigned cc;
} Spec;

static void cp_push(CpVec *c, unsigned cp)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        if (!c->v) abort();
    }
    c->v[c->n++] = cp;
}

/* Decodes UTF-8 bytes strictly; false if they are not valid UTF-8. */
static bool utf8_to_cps(const uint8_t *s, size_t n, CpVec *out)
{
    size_t start = out->n;
    for (size_t k = 0; k < n;) {
        unsigned c = s[k];
        size_t len = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF5 ? 4 : 0;
        if (len == 0 || k + len > n) goto bad;
        unsigned v = len == 1 ? c : c & (0x7F >> len);
        for (size_t j = 1; j < len; j++) {
            if ((s[k + j] & 0xC0) != 0x80) goto bad;
            v = (v << 6) | (s[k + j] & 0x3F);
        }
        static const unsigned min_by_len[] = {0, 0, 0x80, 0x800, 0x10000};
        if (v < min_by_len[len] || v > MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) goto bad;
        cp_push(out, v);
        k += len;
    }
    return true;
bad:
    out->n = start;
    return false;
}

/* ---- character data ---- */

enum chars_mode {
    CHARS_LATIN1,  /* ~s: characters 0..255, binaries as bytes */
    CHARS_UNICODE, /* ~ts: any character, binaries as UTF-8 (else bytes) */
    CHARS_STRICT,  /* a literal in the format: any character, binaries as UTF-8 */
    CHARS_DEEP,    /* io_lib:deep_char_list (~x's prefix): valid characters, no binaries */
};

static bool valid_char(intptr_t c, enum chars_mode m)
{
    if (c < 0) return false;
    if (m == CHARS_LATIN1) return c <= 255;
    if (m != CHARS_DEEP) return c <= MAX_CODE_POINT;
    return c < 0xD800 || (c > 0xDFFF && c < 0xFFFE) || (c > 0xFFFF && c <= MAX_CODE_POINT);
}

static bool binary_chars(Term t, enum chars_mode m, CpVec *out)
{
    const uint8_t *b;
    size_t n;
    if (m == CHARS_DEEP || !binary_bytes(t, &b, &n)) return false;
    if (m != CHARS_LATIN1 && utf8_to_cps(b, n, out)) return true;
    if (m == CHARS_STRICT) return false;
    for (size_t k = 0; k < n; k++) cp_push(out, b[k]);
    return true;
}

/* A deep list of characters and binaries, walked with a stack of pending tails. */
static bool collect_chars(Term t, enum chars_mode m, CpVec *out)
{
    Term *pending = NULL;
    size_t depth = 0, cap = 0;
    bool ok = true;
    for (;;) {
        if (is_list(t)) {
            Term h = list_head(t);
            t = list_tail(t);
            if (is_small(h)) {
                if (!valid_char(small_val(h), m)) {
                    ok = false;
                    break;
                }
                cp_push(out, (unsigned)small_val(h));
            } else if (is_list(h) || is_nil(h)) {
                if (depth == cap) {
                    cap = cap ? cap * 2 : 16;
                    pending = realloc(pending, cap * sizeof *pending);
                    if (!pending) abort();
                }
                pending[depth++] = t;
                t = h;
            } else if (!binary_chars(h, m, out)) {
                ok = false;
                break;
            }
        } else if (is_nil(t)) {
            if (depth == 0) break;
            t = pending[--depth];
        } else {
            ok = false;
            break;
        }
    }
    free(pending);
    return ok;
}

/* ~s's argument: an atom or character data. */
static bool string_arg(Term a, bool unicode, CpVec *out)
{
    if (!is_atom(a)) {
        if (is_bitstring(a)) return binary_chars(a, unicode ? CHARS_UNICODE : CHARS_LATIN1, out);
        return collect_chars(a, unicode ? CHARS_UNICODE : CHARS_LATIN1, out);
    }
    if (!utf8_to_cps((const uint8_t *)atom_text(a), atom_len(a), out)) return false;
    for (size_t k = 0; k < out->n && !unicode; k++)
        if (out->v[k] > 255) return false;
    return true;
}

/* ---- output with the column kept up to date ---- */

static long next_col(long col, unsigned c) { return c == '\n' ? 0 : c == '\t' ? (col + 8) / 8 * 8 : col + 1; }

static void put_cp(Fmt *f, unsigned c)
{
    sb_put_utf8(f->out, c);
    f->col = next_col(f->col, c);
}

static void put_cps(Fmt *f, const unsigned *c, size_t n)
{
    for (size_t k = 0; k < n; k++) put_cp(f, c[k]);
}

static void put_repeat(Fmt *f, unsigned c, long n)
{
    for (long k = 0; k < n; k++) put_cp(f, c);
}

/* Moves the column over UTF-8 text (only ASCII characters move it specially). */
static void advance_col(Fmt *f, const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (((uint8_t)s[k] & 0xC0) != 0x80) f->col = next_col(f->col, (uint8_t)s[k]);
}

/* UTF-8 text made by the term printers. */
static void put_text(Fmt *f, const char *s, size_t n)
{
    sb_put(f->out, s, n);
    advance_col(f, s, n);
}


/* ---- fields ---- */

/*
 * io_lib_format:term/5, for ~w ~W and the integer controls: a text longer
 * than the field becomes asterisks. The precision, if any, caps the field.
 */
static int field_term(Fmt *f, const Spec *s, const char *text, size_t bytes)
{
    if (!s->has_width && !s->has_prec) {
        put_text(f, text, bytes);
        return 0;
    }
    long width = s->has_width ? s->width : s->prec;
    long len = (long)io_text_chars(text, bytes);
    long p = s->has_prec && s->prec < width ? s->prec : width;
    if (p < 0) return -1;
    if (len < p) p = len;
    if (!s->left) put_repeat(f, s->pad, width - (len > p ? p : len));
    if (len > p) put_repeat(f, '*', p);
    else put_text(f, text, bytes);
    if (s->left) put_repeat(f, s->pad, width - (len > p ? p : len));
    return 0;
}

/* Text (length n) padded to the right or left by pad_n pad characters. */
static void put_adjusted(Fmt *f, const Spec *s, const unsigned *c, size_t n, long extra_pad_in, long pad_n)
{
    if (!s->left) put_repeat(f, s->pad, pad_n);
    put_cps(f, c, n);
    put_repeat(f, s->pad, extra_pad_in);
    if (s->left) put_repeat(f, s->pad, pad_n);
}

/* string_field: truncate to the field, or pad up to it. */
static void string_field(Fmt *f, const Spec *s, const CpVec *c, long width, bool left)
{
    long n = (long)c->n;
    Spec t = *s;
    t.left = left;
    if (n > width) put_cps(f, c->v, (size_t)width);
    else put_adjusted(f, &t, c->v, c->n, 0, width - n);
}

/* io_lib_format:string/6 for ~s: the precision is the text's length, the width the field's. */
static int field_string(Fmt *f, const Spec *s, const CpVec *c)
{
    long n = (long)c->n;
    if (s->has_prec && s->prec < 0) return -1;
    if (!s->has_width && !s->has_prec) put_cps(f, c->v, c->n);
    else if (!s->has_prec) string_field(f, s, c, s->width, s->left);
    else if (!s->has_width) string_field(f, s, c, s->prec, true);
    else if (s->width < s->prec) return -1;
    else if (s->width == s->prec) string_field(f, s, c, s->width, s->left);
    else put_adjusted(f, s, c->v, n > s->prec ? (size_t)s->prec : c->n, n < s->prec ? s->prec - n : 0,
                      s->width - s->prec);
    return 0;
}

/* io_lib_format:char/5 for ~c and ~~: the precision repeats the character. */
static int field_char(Fmt *f, const Spec *s, unsigned c)
{
    if (s->has_prec && s->prec < 0) return -1;
    if (!s->has_width && !s->has_prec) {
        put_cp(f, c);
    } else if (!s->has_prec || !s->has_width) {
        put_repeat(f, c, s->has_prec ? s->prec : s->width);
    } else {
        if (s->width < s->prec) return -1;
        if (!s->left) put_repeat(f, s->pad, s->width - s->prec);
        put_repeat(f, c, s->prec);
        if (s->left) put_repeat(f, s->pad, s->width - s->prec);
    }
    return 0;
}

/* ---- floats (~e ~f ~g) ---- */

/*
 * float_data in io_lib_format: the digits of float_to_list(F), i.e. of
 * "%.20e" (21 significant digits), and the exponent plus one.
 */
static void float_data(double d, char digits[22], int *e)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.20e", fabs(d));
    int n = 0;
    const char *p = buf;
    for (; *p != 'e'; p++)
        if (*p != '.') digits[n++] = *p;
    digits[n] = '\0';
    *e = atoi(p + 1) + 1;
}

/*
 * float_man: `ints` digits, a point and `decs` digits of ds (zeros once ds
 * runs out), rounded half up on the next digit, into res. Returns the
 * carry out of the first digit (res then reads as all zeros).
 */
static bool float_man(const char *ds, size_t nds, long ints, long decs, StrBuf *res)
{
    size_t total = (size_t)(ints + decs);
    char *d = malloc(total + 1);
    if (!d) abort();
    for (size_t k = 0; k < total; k++) d[k] = k < nds ? ds[k] : '0';
    bool carry = total < nds && ds[total] >= '5';
    for (size_t k = total; carry && k-- > 0;) {
        carry = d[k] == '9';
        d[k] = carry ? '0' : (char)(d[k] + 1);
    }
    sb_put(res, d, (size_t)ints);
    sb_putc(res, '.');
    sb_put(res, d + ints, (size_t)decs);
    free(d);
    return carry;
}

/* ~e: one digit, a point, prec - 1 digits, e, the exponent (e+2, e-3). */
static void float_e(StrBuf *out, double d, long prec)
{
    char ds[22];
    int e;
    StrBuf man;
    sb_init(&man);
    float_data(d, ds, &e);
    bool carry = float_man(ds, strlen(ds), 1, prec - 1, &man);
    if (carry) man.data[0] = '1'; /* 9.99 rounded up: 1.00 and one more in the exponent */
    if (signbit(d)) sb_putc(out, '-');
    sb_put(out, man.data, man.len);
    int x = carry ? e : e - 1;
    sb_printf(out, x >= 0 ? "e+%d" : "e%d", x);
    sb_free(&man);
}

/* ~f: all integer digits, a point, prec digits. */
static void float_f(StrBuf *out, double d, long prec)
{
    char ds[22];
    int e;
    StrBuf digits, man;
    sb_init(&digits);
    sb_init(&man);
    float_data(d, ds, &e);
    if (e <= 0) { /* 0.000ddd: the digits shift right behind zeros */
        for (int k = 0; k < 1 - e; k++) sb_putc(&digits, '0');
        e = 1;
    }
    sb_puts(&digits, ds);
    bool carry = float_man(digits.data, digits.len, e, prec, &man);
    if (signbit(d)) sb_putc(out, '-');
    if (carry) sb_putc(out, '1');
    sb_put(out, man.data, man.len);
    sb_free(&digits);
    sb_free(&man);
}

/* ~g: ~f with prec significant digits for 0.1 <= |d| < 10^4, else ~e. */
static bool g_as_f(double d, long *prec)
{
    double a = fabs(d);
    int e = a < 0.1 ? -2 : a < 1.0 ? -1 : a < 10.0 ? 0 : a < 100.0 ? 1 : a < 1000.0 ? 2 : a < 10000.0 ? 3 : 4;
    long p = *prec;
    bool as_f = e < 4 && ((p <= 1 && e == -1) || (p - 1 > e && e >= -1));
    *prec = as_f ? p - 1 - e : p <= 1 ? 2 : p;
    return as_f;
}

static int control_float(Fmt *f, const Spec *s, Term a)
{
    if (!is_float(a)) return -1;
    double d = float_val(a);
    long prec = s->has_prec ? s->prec : 6;
    char cc = (char)s->cc;
    if (cc == 'g') {
        if (prec < 1) return -1;
        cc = g_as_f(d, &prec) ? 'f' : 'e';
    }
    if (prec < (cc == 'e' ? 2 : 1)) return -1;
    StrBuf text;
    sb_init(&text);
    if (cc == 'e') float_e(&text, d, prec);
    else float_f(&text, d, prec);
    Spec field = *s; /* the width bounds the text, as for ~w */
    field.has_prec = s->has_width;
    field.prec = s->width;
    int r = field_term(f, &field, text.data, text.len);
    sb_free(&text);
    return r;
}

/* ---- integers (~b ~B ~x ~X ~# ~+) and characters (~c) ---- */

static bool next_arg(Fmt *f, Term *a)
{
    if (!is_list(f->args)) return false;
    *a = list_head(f->args);
    f->args = list_tail(f->args);
    return true;
}

/* ~x's prefix: an atom, or a deep list of valid characters (io_lib:deep_char_list). */
static bool prefix_arg(Term a, CpVec *out)
{
    if (is_atom(a)) return utf8_to_cps((const uint8_t *)atom_text(a), atom_len(a), out);
    return collect_chars(a, CHARS_DEEP, out);
}

static int control_integer(Fmt *f, const Spec *s, Term a)
{
    unsigned cc = s->cc;
    long base = s->has_prec ? s->prec : 10;
    Term prefix_term = THE_NON_VALUE;
    if ((cc == 'x' || cc == 'X') && !next_arg(f, &prefix_term)) return -1;
    if (!is_integer(a) || base < 2 || base > 36) return -1;
    CpVec prefix = {0};
    bool ok = true;
    if (prefix_term != THE_NON_VALUE) ok = prefix_arg(prefix_term, &prefix);
    StrBuf text, digits;
    sb_init(&text);
    sb_init(&digits);
    term_write_integer(&digits, a, (unsigned)base, cc == 'b' || cc == 'x' || cc == '+');
    bool negative = digits.data[0] == '-';
    if (negative) sb_putc(&text, '-');
    if (cc == '#' || cc == '+') sb_printf(&text, "%ld#", base);
    for (size_t k = 0; k < prefix.n; k++) sb_put_utf8(&text, prefix.v[k]);
    sb_puts(&text, digits.data + negative);
    Spec field = *s; /* the precision is the base */
    field.has_prec = false;
    int r = ok ? field_term(f, &field, text.data, text.len) : -1;
    sb_free(&text);
    sb_free(&digits);
    free(prefix.v);
    return r;
}

/* ~c: the character (its low 8 bits unless ~tc). */
static int control_char(Fmt *f, const Spec *s, Term a)
{
    if (!is_integer(a)) return -1;
    unsigned c = 0;
    if (s->unicode) {
        /* a character no device can print is an error only if it is printed */
        long times = s->has_prec ? s->prec : s->has_width ? s->width : 1;
        if (is_small(a) && valid_char(small_val(a), CHARS_STRICT)) c = (unsigned)small_val(a);
        else if (times > 0) return -1;
    } else if (is_small(a)) {
        c = (unsigned)((uintptr_t)small_val(a) & 255);
    } else { /* a bignum's low byte in two's complement */
        const Term *hp = boxed_val(a);
        c = (unsigned)(hp[1] & 255);
        if (header_subtag(hp[0]) == HDR_NEG_BIG) c = (256 - c) & 255;
    }
    return field_char(f, s, c);
}

/* ---- terms (~w ~W ~p ~P) and strings (~s) ---- */

/* ~W's and ~P's depth: any integer, negative meaning unlimited. */
static bool depth_arg(Fmt *f, long *depth)
{
    Term d;
    if (!next_arg(f, &d) || !is_integer(d)) return false;
    *depth = is_small(d) ? (long)small_val(d) : -1;
    return true;
}

static int control_term(Fmt *f, const Spec *s, Term a)
{
    long depth = -1;
    if ((s->cc == 'W' || s->cc == 'P') && !depth_arg(f, &depth)) return -1;
    if (s->cc == 'w' || s->cc == 'W') {
        StrBuf text;
        sb_init(&text);
        term_write_opts(&text, a, depth, s->unicode);
        int r = field_term(f, s, text.data ? text.data : "", text.len);
        sb_free(&text);
        return r;
    }
    if (s->left) return -1;
    TermPrintOpts o = {
        .depth = depth,
        .unicode = s->unicode,
        .strings = s->strings,
        .column = s->has_prec ? s->prec : f->col + 1,
        .line_length = s->has_width ? s->width : 80,
    };
    size_t before = f->out->len;
    term_print_opts(f->out, a, &o);
    advance_col(f, f->out->data + before, f->out->len - before);
    return 0;
}

static int control_string(Fmt *f, const Spec *s, Term a)
{
    CpVec c = {0};
    int r = string_arg(a, s->unicode, &c) ? field_string(f, s, &c) : -1;
    free(c.v);
    return r;
}

/* ~n: a newline, or width newlines. */
static int control_newline(Fmt *f, const Spec *s)
{
    if (s->has_width && s->left) return -1;
    put_repeat(f, '\n', s->has_width ? s->width : 1);
    return 0;
}

/* Notes the text from `start` on as one element of io_lib:format's list. */
static void add_part(Fmt *f, size_t start, Term literal)
{
    IoFormatParts *ps = f->parts;
    if (!ps) return;
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 16;
        ps->v = realloc(ps->v, ps->cap * sizeof *ps->v);
        if (!ps->v) abort();
    }
    ps->v[ps->n++] = (IoFormatPart){start, f->out->len, literal};
}

/* The controls whose text io_lib:format keeps as one nested element. */
static bool is_nested(const Spec *s, Term a)
{
    return s->cc == 'w' || s->cc == 'W' || s->cc == 'p' || s->cc == 'P' || (s->cc == 's' && !is_atom(a));
}

static int run_control(Fmt *f, const Spec *s)
{
    Term a = THE_NON_VALUE;
    switch (s->cc) {
    case '~': return is_list(f->args) || is_nil(f->args) ? field_char(f, s, '~') : -1;
    case 'n': return is_list(f->args) || is_nil(f->args) ? control_newline(f, s) : -1;
    case 'w': case 'W': case 'p': case 'P': case 's': case 'e': case 'f': case 'g':
    case 'b': case 'B': case 'x': case 'X': case '#': case '+': case 'c': case 'i':
        if (!next_arg(f, &a)) return -1;
        break;
    default: return -1;
    }
    size_t start = f->out->len;
    int r;
    switch (s->cc) {
    case 'w': case 'W': case 'p': case 'P': r = control_term(f, s, a); break;
    case 's': r = control_string(f, s, a); break;
    case 'e': case 'f': case 'g': return control_float(f, s, a);
    case 'c': return control_char(f, s, a);
    case 'i': return 0;
    default: return control_integer(f, s, a);
    }
    if (r == 0 && is_nested(s, a)) add_part(f, start, THE_NON_VALUE);
    return r;
}

/* ---- parsing control sequences ---- */

/* The next format character, or -1 at the end or at a literal element. */
static long peek(const Fmt *f, size_t ahead)
{
    size_t k = f->pos + ahead;
    return k < f->n && !f->items[k].literal ? (long)f->items[k].cp : -1;
}

/* A number in the format, or * taking an integer argument. 0: none there. */
static int field_value(Fmt *f, long *v)
{
    long c = peek(f, 0);
    if (c == '*') {
        if (!is_list(f->args) || !is_small(list_head(f->args))) return 0;
        *v = (long)small_val(list_head(f->args));
        f->args = list_tail(f->args);
        f->pos++;
        return 1;
    }
    if (c < '0' || c > '9') return 0;
    *v = 0;
    for (; (c = peek(f, 0)) >= '0' && c <= '9'; f->pos++) {
        if (*v > (1L << 40)) return -1; /* no such field fits in memory */
        *v = *v * 10 + (c - '0');
    }
    return 1;
}

/* ~[-][width][.[precision][.pad]][t|l]*char, f->pos just after the tilde. */
static int parse_spec(Fmt *f, Spec *s)
{
    *s = (Spec){.pad = ' ', .strings = true};
    bool minus = peek(f, 0) == '-';
    f->pos += minus;
    long v;
    int r = field_value(f, &v);
    if (r < 0 || (minus && r == 0)) return -1;
    if (r > 0) {
        if (minus) v = -v;
        s->has_width = true;
        s->left = v < 0;
        s->width = v < 0 ? -v : v;
    }
    if (peek(f, 0) == '.') {
        f->pos++;
        if ((r = field_value(f, &s->prec)) < 0) return -1;
        s->has_prec = r > 0;
        if (peek(f, 0) == '.' && peek(f, 1) == '*') {
            Term pad;
            if (!next_arg(f, &pad) || !is_small(pad) || !valid_char(small_val(pad), CHARS_STRICT)) return -1;
            s->pad = (unsigned)small_val(pad);
            f->pos += 2;
        } else if (peek(f, 0) == '.' && peek(f, 1) >= 0) {
            s->pad = (unsigned)peek(f, 1);
            f->pos += 2;
        }
    }
    for (long c; (c = peek(f, 0)) == 't' || c == 'l'; f->pos++) {
        if (c == 't') s->unicode = true;
        else s->strings = false;
    }
    long cc = peek(f, 0);
    if (cc < 0) return -1;
    s->cc = (unsigned)cc;
    f->pos++;
    return 0;
}

/* ---- the format ---- */

static void item_push(FmtItem **items, size_t *n, size_t *cap, FmtItem it)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *items = realloc(*items, *cap * sizeof **items);
        if (!*items) abort();
    }
    (*items)[(*n)++] = it;
}

/* An atom's characters, a binary's bytes, or a list's elements. */
static bool read_format(Term format, FmtItem **items, size_t *n)
{
    size_t cap = 0;
    const uint8_t *bytes;
    size_t size;
    *items = NULL;
    *n = 0;
    if (is_atom(format)) {
        CpVec c = {0};
        utf8_to_cps((const uint8_t *)atom_text(format), atom_len(format), &c);
        for (size_t k = 0; k < c.n; k++) item_push(items, n, &cap, (FmtItem){.cp = c.v[k]});
        free(c.v);
        return true;
    }
    if (binary_bytes(format, &bytes, &size)) {
        for (size_t k = 0; k < size; k++) item_push(items, n, &cap, (FmtItem){.cp = bytes[k]});
        return true;
    }
    for (; is_list(format); format = list_tail(format)) {
        Term e = list_head(format);
        if (is_small(e) && valid_char(small_val(e), CHARS_STRICT))
            item_push(items, n, &cap, (FmtItem){.cp = (unsigned)small_val(e)});
        else if (is_list(e) || is_nil(e) || is_bitstring(e))
            item_push(items, n, &cap, (FmtItem){.literal = true, .lit = e});
        else
            return false;
    }
    return is_nil(format);
}

/* Appends a literal element of a format list (a binary of UTF-8 text or a deep character list); -1 if it is neither. */
static int literal_chars(StrBuf *out, Term chars)
{
    CpVec c = {0};
    bool ok = is_bitstring(chars) ? binary_chars(chars, CHARS_STRICT, &c) : collect_chars(chars, CHARS_STRICT, &c);
    for (size_t k = 0; ok && k < c.n; k++) sb_put_utf8(out, c.v[k]);
    free(c.v);
    return ok ? 0 : -1;
}

/* A literal element: its characters, while the column moves by one. */
static int put_literal(Fmt *f, Term lit)
{
    size_t start = f->out->len;
    f->col++;
    if (literal_chars(f->out, lit) < 0) return -1;
    add_part(f, start, lit);
    return 0;
}

static int run_format(Fmt *f)
{
    while (f->pos < f->n) {
        const FmtItem *it = &f->items[f->pos++];
        Spec s;
        if (it->literal) {
            if (put_literal(f, it->lit) < 0) return -1;
        } else if (it->cp != '~') {
            put_cp(f, it->cp);
        } else if (parse_spec(f, &s) < 0 || run_control(f, &s) < 0) {
            return -1;
        }
    }
    return is_nil(f->args) ? 0 : -1;
}

int io_format_parts(StrBuf *out, Term format, Term args, Term *err_reason, IoFormatParts *parts)
{
    size_t start = out->len, first_part = parts ? parts->n : 0;
    Fmt f = {.out = out, .args = args, .parts = parts};
    FmtItem *items;
    int r = read_format(format, &items, &f.n) ? 0 : -1;
    f.items = items;
    if (r == 0) r = run_format(&f);
    free(items);
    if (r < 0) {
        out->len = start;
        if (out->data) out->data[start] = '\0';
        if (parts) parts->n = first_part;
        *err_reason = AM_badarg;
    }
    return r;
}

int io_format(StrBuf *out, Term format, Term args, Term *err_reason)
{
    return io_format_parts(out, format, args, err_reason, NULL);
}

size_t io_text_chars(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t k = 0; k < n; k++) count += ((uint8_t)s[k] & 0xC0) != 0x80;
    return count;
}

size_t io_text_next(const char *s, size_t n, unsigned *cp)
{
    const uint8_t *b = (const uint8_t *)s;
    size_t len = b[0] < 0x80 ? 1 : b[0] < 0xE0 ? 2 : b[0] < 0xF0 ? 3 : 4;
    if (len > n) len = n;
    unsigned v = len == 1 ? b[0] : b[0] & (0x7Fu >> len);
    for (size_t k = 1; k < len; k++) v = (v << 6) | (b[k] & 0x3F);
    *cp = v;
    return len;
}
