/*
 * term_print.c - terms as text (see term_print.h).
 *
 * Three printers share the scalar helpers at the top:
 *
 *  - the writer (io_lib:write, ~w), a loop over an explicit stack of work
 *    items so that long lists and deep nesting use no C stack;
 *  - the display printer (erlang:display), the same loop with the
 *    emulator's rules;
 *  - the pretty printer (io_lib_pretty, ~p), in two phases as in OTP.
 *    Phase one turns the term into a tree of nodes that know their length
 *    in characters when written on one line (print_length in OTP). Phase
 *    two lays the tree out: whatever fits on the rest of the line is
 *    written flat, otherwise elements go one per line, indented under the
 *    first. Before laying out, a dry run of the same layout code decides
 *    the indentation of tagged tuples ({tag, ...}): first -1 (elements
 *    after the tag's comma), then 4 columns, else 1 (cind in OTP). The dry
 *    run differs from the real one in a few places exactly as OTP's
 *    does; those places are marked "as OTP's cind".
 */
#include "runtime/term/term_print.h"

#include "runtime/term/atom.h"
#include "runtime/term/big.h"
#include "runtime/term/map.h"
#include "runtime/term/binary.h"
#include "runtime/term/bits.h"
#include "runtime/loader/module.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * The layout recurses once per level of nesting that does not fit on a
 * line (some 400 bytes of C stack each). A term nested deeper than this is
 * written on one line instead; OTP would break it over lines.
 */
#define PRETTY_MAX_NESTING 1000

static long dec_depth(long d) { return d < 0 ? d : d - 1; }

/* ---- bitstrings ---- */

/*
 * A bitstring's whole bytes, and the bits after them (tail_bits of them,
 * worth tail_value), which OTP prints as `V:N` and never as text. Bytes at
 * a bit offset are copied into `owned` (bin_view_free releases it).
 */
typedef struct BinView {
    const uint8_t *bytes;
    size_t size; /* whole bytes */
    unsigned tail_bits;
    unsigned tail_value;
    uint8_t *owned;
} BinView;

static BinView bin_view(Term t)
{
    BitSlice s;
    bitstring_slice(t, &s);
    BinView v = {.size = s.bits / 8, .tail_bits = (unsigned)(s.bits % 8)};
    if (s.offset % 8 == 0) {
        v.bytes = s.data + s.offset / 8;
    } else {
        v.owned = malloc((s.bits + 7) / 8 + 1);
        if (!v.owned) abort();
        bitstring_copy(t, v.owned);
        v.bytes = v.owned;
    }
    if (v.tail_bits) v.tail_value = (unsigned)bits_get_u64(s.data, s.offset + 8 * v.size, v.tail_bits);
    return v;
}

static void bin_view_free(BinView *v) { free(v->owned); }

/* ---- maps: pairs in iteration order, as io_lib shows them (map.h) ---- */

static size_t map_count(Term m) { return map_size(m); }

static Term map_key(Term m, size_t i)
{
    Term key, value;
    map_pair_at(m, i, &key, &value);
    return key;
}

static Term map_value(Term m, size_t i)
{
    Term key, value;
    map_pair_at(m, i, &key, &value);
    return value;
}

/* ---- UTF-8 ---- */

/*
 * Decodes one code point from s[0..n) strictly (no overlong forms,
 * surrogates or values above 0x10FFFF), as Erlang's <<C/utf8>> does.
 * Returns its byte length, or 0 if s does not start with one.
 */
static size_t utf8_decode(const uint8_t *s, size_t n, unsigned *cp)
{
    if (n == 0) return 0;
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF5 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    unsigned v = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[k] & 0x3F);
    }
    static const unsigned min_by_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min_by_len[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

/* Characters in UTF-8 text: the bytes that do not continue a sequence. */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t k = 0; k < n; k++) count += ((uint8_t)s[k] & 0xC0) != 0x80;
    return count;
}

/* ---- numbers ---- */

static char digit_char(unsigned d, bool lowercase)
{
    return (char)(d < 10 ? '0' + d : (lowercase ? 'a' : 'A') + d - 10);
}

void term_write_integer(StrBuf *sb, Term i, unsigned base, bool lowercase)
{
    if (is_small(i)) {
        intptr_t v = small_val(i);
        uintptr_t mag = v < 0 ? -(uintptr_t)v : (uintptr_t)v;
        char buf[72];
        size_t k = sizeof buf;
        do {
            buf[--k] = digit_char((unsigned)(mag % base), lowercase);
            mag /= base;
        } while (mag != 0);
        if (v < 0) buf[--k] = '-';
        sb_put(sb, buf + k, sizeof buf - k);
        return;
    }
    mpz_t z;
    mp_size_t n = (mp_size_t)big_limbs(i);
    mpz_roinit_n(z, big_digits(i), big_is_negative(i) ? -n : n);
    char *buf = malloc(mpz_sizeinbase(z, (int)base) + 2);
    if (!buf) abort();
    mpz_get_str(buf, lowercase ? (int)base : -(int)base, z);
    sb_puts(sb, buf);
    free(buf);
}

/* Parses printf's "%e" output "D.DDDe+XX" into digits (trailing zeros dropped). */
static int parse_e_format(const char *s, char *digits, int *exp10)
{
    int n = 0;
    for (; *s != 'e'; s++)
        if (*s != '.') digits[n++] = *s;
    *exp10 = atoi(s + 1);
    while (n > 1 && digits[n - 1] == '0') n--;
    digits[n] = '\0';
    return n;
}

/*
 * The p-digit decimal next to `nearest` (printf's rounding of d to p
 * digits, which did not read back as d) on the other side of d. Near a
 * power of two the interval of decimals that read back as d is lopsided,
 * so that neighbour can read back even though the nearest does not.
 */
static int try_neighbour(const char *nearest, int p, bool up, double d, char *digits, int *exp10)
{
    int x;
    char buf[24];
    parse_e_format(nearest, buf, &x);
    uint64_t m = strtoull(buf, NULL, 10);
    for (int k = (int)strlen(buf); k < p; k++) m *= 10;
    uint64_t limit = 1;
    for (int k = 0; k < p; k++) limit *= 10;
    m = up ? m + 1 : m - 1;
    if (m >= limit || m < limit / 10) return 0; /* would change the digit count */
    char text[48];
    snprintf(text, sizeof text, "%" PRIu64 "e%d", m, x - (p - 1));
    if (strtod(text, NULL) != d) return 0;
    snprintf(text, sizeof text, "%" PRIu64, m);
    int n = p;
    while (n > 1 && text[n - 1] == '0') n--;
    memcpy(digits, text, (size_t)n);
    digits[n] = '\0';
    *exp10 = x;
    return n;
}

/* Whether printf's rounding of d to p significant digits reads back as d. */
static bool reads_back(double d, int p, char *buf, size_t size)
{
    snprintf(buf, size, "%.*e", p - 1, d);
    return strtod(buf, NULL) == d;
}

/*
 * The fewest significant digits that read back as d (d > 0, finite), with
 * d = D.DDD x 10^exp10. printf's correctly rounded p digits are the closest
 * p-digit candidate, and 17 digits always suffice. The decimals that read
 * back as d form an interval around d, symmetric unless d is a power of two.
 * When symmetric, some p-digit decimal reads back exactly when the closest
 * one does, and that only gets likelier as p grows: a binary search finds
 * the least p. At a power of two the interval below d is half as wide, so
 * each precision also tries the candidate on the other side.
 */
static int shortest_digits(double d, char *digits, int *exp10)
{
    char buf[40];
    int exp2;
    if (frexp(d, &exp2) != 0.5) {
        int lo = 1, hi = 17;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (reads_back(d, mid, buf, sizeof buf)) hi = mid;
            else lo = mid + 1;
        }
        reads_back(d, lo, buf, sizeof buf);
        return parse_e_format(buf, digits, exp10);
    }
    for (int p = 1; p < 17; p++) {
        if (reads_back(d, p, buf, sizeof buf)) return parse_e_format(buf, digits, exp10);
        int n = try_neighbour(buf, p, strtod(buf, NULL) < d, d, digits, exp10);
        if (n > 0) return n;
    }
    reads_back(d, 17, buf, sizeof buf);
    return parse_e_format(buf, digits, exp10);
}

/*
 * float_to_list(F, [short]), checked against erl for 0.1 -> 0.1,
 * 100.0 -> 100.0, 1000.0 -> 1.0e3, 123456.0 -> 123456.0, 0.0001 -> 0.0001,
 * 1.5e-5 -> 1.5e-5, 1234567890123456.0 (below 2^53, plain is shorter),
 * 9007199254740992.0 -> 9.007199254740992e15 (2^53: always scientific),
 * 5.0e-324, 1.7976931348623157e308, -0.0 -> -0.0.
 */
void term_write_float(StrBuf *sb, double d)
{
    if (!isfinite(d)) { /* no Erlang float is; printed only for debugging */
        sb_printf(sb, "%g", d);
        return;
    }
    if (signbit(d)) {
        sb_putc(sb, '-');
        d = -d;
    }
    if (d == 0) {
        sb_puts(sb, "0.0");
        return;
    }
    char dig[24], sci[48];
    int x, n = shortest_digits(d, dig, &x);
    snprintf(sci, sizeof sci, "%c.%se%d", dig[0], n > 1 ? dig + 1 : "0", x);
    size_t plain_len = x >= 0 ? (size_t)x + 2 + (n - 1 > x ? (size_t)(n - 1 - x) : 1) : (size_t)(1 - x + n);
    if (d >= 0x1p53 || strlen(sci) < plain_len) {
        sb_puts(sb, sci);
    } else if (x >= 0) {
        for (int k = 0; k <= x; k++) sb_putc(sb, k < n ? dig[k] : '0');
        sb_putc(sb, '.');
        if (n - 1 > x) sb_put(sb, dig + x + 1, (size_t)(n - 1 - x));
        else sb_putc(sb, '0');
    } else {
        sb_puts(sb, "0.");
        for (int k = 0; k < -x - 1; k++) sb_putc(sb, '0');
        sb_put(sb, dig, (size_t)n);
    }
}

/* ---- characters, strings and atoms (io_lib) ---- */

static bool latin1_lower(unsigned c) { return (c >= 'a' && c <= 'z') || (c >= 223 && c <= 255 && c != 247); }
static bool latin1_upper(unsigned c) { return (c >= 'A' && c <= 'Z') || (c >= 192 && c <= 222 && c != 215); }
static bool latin1_digit(unsigned c) { return c >= '0' && c <= '9'; }

/* io_lib:printable_latin1_list's characters (also ~p's, by default). */
static bool printable_latin1(unsigned c)
{
    return (c >= ' ' && c <= '~') || (c >= 160 && c <= 255) || (c >= '\b' && c <= '\r') || c == 27;
}

/*
 * io_lib's string_char: c inside a string or quoted atom delimited by
 * `quote`. keep_unicode prints characters from 160 up as they are;
 * otherwise those above 255 become \x{HEX} (atoms under ~w and ~p).
 */
static void put_escaped(StrBuf *sb, unsigned c, unsigned quote, bool keep_unicode)
{
    static const char control_escapes[] = "btnvfr"; /* \b .. \r are 8 .. 13 */
    if (c == quote || c == '\\') {
        sb_putc(sb, '\\');
        sb_putc(sb, (char)c);
    } else if (c >= ' ' && c <= '~') {
        sb_putc(sb, (char)c);
    } else if (c >= 160 && (c <= 255 || keep_unicode)) {
        sb_put_utf8(sb, c);
    } else if (c > 255) {
        sb_printf(sb, "\\x{%X}", c);
    } else if (c >= '\b' && c <= '\r') {
        sb_putc(sb, '\\');
        sb_putc(sb, control_escapes[c - '\b']);
    } else if (c == 27) {
        sb_puts(sb, "\\e");
    } else if (c == 127) {
        sb_puts(sb, "\\d");
    } else {
        sb_printf(sb, "\\%c%c%c", '0' + (c >> 6), '0' + ((c >> 3) & 7), '0' + (c & 7));
    }
}

/* A proper list of printable Latin-1 character codes (possibly empty). */
static bool is_printable_latin1_list(Term t)
{
    for (; is_list(t); t = list_tail(t)) {
        Term c = list_head(t);
        if (!is_small(c) || small_val(c) < 0 || small_val(c) > 255 || !printable_latin1((unsigned)small_val(c)))
            return false;
    }
    return is_nil(t);
}

/* A list known to hold only character codes, as a double-quoted string. */
static void write_char_list(StrBuf *sb, Term t)
{
    sb_putc(sb, '"');
    for (; is_list(t); t = list_tail(t)) put_escaped(sb, (unsigned)small_val(list_head(t)), '"', true);
    sb_putc(sb, '"');
}

static void write_code_points(StrBuf *sb, const unsigned *cps, size_t n)
{
    sb_putc(sb, '"');
    for (size_t k = 0; k < n; k++) put_escaped(sb, cps[k], '"', true);
    sb_putc(sb, '"');
}

static bool is_reserved_word(const char *s, size_t n)
{
    static const char *const words[] = {
        "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor",
        "case", "catch", "cond", "div", "end", "fun", "if", "let", "not", "of",
        "or", "orelse", "receive", "rem", "try", "when", "xor",
    };
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (strlen(words[k]) == n && memcmp(words[k], s, n) == 0) return true;
    return false;
}

/* The atom's characters, decoded from its (always valid) UTF-8 text. */
static size_t atom_chars(Term a, unsigned *out)
{
    const uint8_t *s = (const uint8_t *)atom_text(a);
    size_t n = atom_len(a), count = 0;
    for (size_t k = 0; k < n;) {
        size_t used = utf8_decode(s + k, n - k, &out[count]);
        if (used == 0) used = 1, out[count] = s[k];
        k += used;
        count++;
    }
    return count;
}

static bool io_lib_needs_quotes(Term a, const unsigned *cps, size_t n)
{
    if (n == 0 || !latin1_lower(cps[0])) return true;
    for (size_t k = 1; k < n; k++) {
        unsigned c = cps[k];
        if (!latin1_lower(c) && !latin1_upper(c) && !latin1_digit(c) && c != '_' && c != '@') return true;
    }
    return is_reserved_word(atom_text(a), atom_len(a));
}

static void write_atom(StrBuf *sb, Term a, bool unicode)
{
    unsigned cps[ATOM_MAX_CHARS + 1];
    size_t n = atom_chars(a, cps);
    if (!io_lib_needs_quotes(a, cps, n)) {
        sb_put(sb, atom_text(a), atom_len(a));
        return;
    }
    sb_putc(sb, '\'');
    for (size_t k = 0; k < n; k++) put_escaped(sb, cps[k], '\'', unicode);
    sb_putc(sb, '\'');
}

/* ---- the emulator's printer (erlang:display, fun_to_list, pid_to_list) ---- */

static bool display_alnum(unsigned c) { return latin1_digit(c) || latin1_lower(c) || latin1_upper(c); }

/* Quoted unless a lowercase Latin-1 letter followed by letters, digits and '_'. */
static void display_atom(StrBuf *sb, Term a)
{
    unsigned cps[ATOM_MAX_CHARS + 1];
    size_t n = atom_chars(a, cps);
    bool quote = n == 0 || !latin1_lower(cps[0]);
    for (size_t k = 1; k < n && !quote; k++) quote = !display_alnum(cps[k]) && cps[k] != '_';
    if (quote) sb_putc(sb, '\'');
    for (size_t k = 0; k < n; k++) {
        unsigned c = cps[k];
        const char *esc = c == '\'' ? "\\'" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\f' ? "\\f"
                        : c == '\t' ? "\\t" : c == '\r' ? "\\r" : c == '\b' ? "\\b" : c == '\v' ? "\\v" : NULL;
        if (esc) sb_puts(sb, esc);
        else if (c < ' ' || (c >= 128 && c < 160)) sb_printf(sb, "\\%03o", c);
        else sb_put_utf8(sb, c);
    }
    if (quote) sb_putc(sb, '\'');
}

static void write_pid(StrBuf *sb, Term t)
{
    sb_printf(sb, "<0.%" PRIu64 ".%" PRIu64 ">", pid_text_number(pid_number(t)), pid_text_serial(pid_number(t)));
}
static void write_port(StrBuf *sb, Term t) { sb_printf(sb, "#Port<0.%" PRIu64 ">", port_number(t)); }

static void write_ref(StrBuf *sb, Term t)
{
    const Term *id = boxed_val(t) + 1;
    sb_printf(sb, "#Ref<0.%" PRIu64 ".%" PRIu64 ".%" PRIu64 ">", (uint64_t)id[1], (uint64_t)(id[0] >> 32),
              (uint64_t)(id[0] & 0xFFFFFFFFu));
}

/* As erlang:fun_to_list/1: raw bytes (a module's UTF-8 name is not decoded). */
static void display_fun(StrBuf *sb, Term f)
{
    const Term *hp = boxed_val(f);
    if (header_subtag(hp[0]) == HDR_EXPORT) {
        const Export *e = (const Export *)hp[1];
        sb_puts(sb, "fun ");
        display_atom(sb, e->module);
        sb_putc(sb, ':');
        display_atom(sb, e->function);
        sb_printf(sb, "/%" PRIu32, e->arity);
        return;
    }
    const FunEntry *fe = (const FunEntry *)hp[1];
    sb_puts(sb, "#Fun<");
    sb_put(sb, atom_text(fe->module), atom_len(fe->module));
    sb_printf(sb, ".%" PRIu32 ".%" PRIu32 ">", fe->index, fe->old_uniq);
}

/* fun_to_list's bytes become characters one by one (Latin-1), as in OTP. */
static void write_fun(StrBuf *sb, Term f)
{
    StrBuf raw;
    sb_init(&raw);
    display_fun(&raw, f);
    for (size_t k = 0; k < raw.len; k++) sb_put_utf8(sb, (uint8_t)raw.data[k]);
    sb_free(&raw);
}

/* ---- the work stack shared by the writer and the display printer ---- */

enum witem_op { WI_TERM, WI_TEXT, WI_LIST_TAIL, WI_TUPLE_REST, WI_MAP_REST };

typedef struct WItem {
    enum witem_op op;
    Term t;
    size_t i;           /* next tuple element or map pair */
    long depth, depth0; /* depth left (writer), and of map pairs */
    const char *text;
} WItem;

typedef struct Walk {
    StrBuf *sb;
    WItem *items;
    size_t len, cap;
    bool unicode;
} Walk;

static void walk_push(Walk *w, WItem it)
{
    if (w->len == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->items = realloc(w->items, w->cap * sizeof *w->items);
        if (!w->items) abort();
    }
    w->items[w->len++] = it;
}

static void push_term(Walk *w, Term t, long depth) { walk_push(w, (WItem){.op = WI_TERM, .t = t, .depth = depth}); }
static void push_text(Walk *w, const char *s) { walk_push(w, (WItem){.op = WI_TEXT, .text = s}); }

/* ---- io_lib:write ---- */

/* io_lib:write_binary: bytes, "..." where the depth runs out. */
static void write_binary_body(StrBuf *sb, BinView v, long depth)
{
    for (size_t k = 0; k < v.size; k++) {
        if (depth == 1) {
            sb_puts(sb, "...");
            return;
        }
        sb_printf(sb, "%u", v.bytes[k]);
        if (k + 1 < v.size || v.tail_bits) sb_putc(sb, ',');
        depth = dec_depth(depth);
    }
    if (v.tail_bits) sb_printf(sb, "%u:%u", v.tail_value, v.tail_bits);
}

static void write_binary(StrBuf *sb, Term t, long depth)
{
    BinView v = bin_view(t);
    sb_puts(sb, "<<");
    write_binary_body(sb, v, depth);
    sb_puts(sb, ">>");
    bin_view_free(&v);
}

static void write_map_pair(Walk *w, Term m, size_t i, long depth0)
{
    push_term(w, map_value(m, i), depth0);
    push_text(w, " => ");
    push_term(w, map_key(m, i), depth0);
}

/* Opens a list, tuple or map with depth d left (d != 0); the rest is pushed as work. */
static void write_compound(Walk *w, Term t, long d)
{
    StrBuf *sb = w->sb;
    long d1 = dec_depth(d);
    if (is_list(t) && d == 1) {
        sb_puts(sb, "[...]");
    } else if (is_list(t)) {
        sb_putc(sb, '[');
        push_text(w, "]");
        walk_push(w, (WItem){.op = WI_LIST_TAIL, .t = list_tail(t), .depth = d1});
        push_term(w, list_head(t), d1);
    } else if (is_tuple(t) && tuple_arity(t) == 0) {
        sb_puts(sb, "{}");
    } else if (is_tuple(t) && d == 1) {
        sb_puts(sb, "{...}");
    } else if (is_tuple(t)) {
        sb_putc(sb, '{');
        push_text(w, "}");
        walk_push(w, (WItem){.op = WI_TUPLE_REST, .t = t, .i = 1, .depth = d1});
        push_term(w, tuple_elems(t)[0], d1);
    } else if (d == 1 || map_count(t) == 0) {
        sb_puts(sb, "#{}"); /* as io_lib: even a non-empty map at the depth limit */
    } else {
        sb_puts(sb, "#{");
        push_text(w, "}");
        walk_push(w, (WItem){.op = WI_MAP_REST, .t = t, .i = 1, .depth = d1, .depth0 = d1});
        write_map_pair(w, t, 0, d1);
    }
}

static void write_one(Walk *w, Term t, long d)
{
    StrBuf *sb = w->sb;
    if (d == 0) sb_puts(sb, "...");
    else if (is_integer(t)) term_write_integer(sb, t, 10, false);
    else if (is_float(t)) term_write_float(sb, float_val(t));
    else if (is_atom(t)) write_atom(sb, t, w->unicode);
    else if (is_nil(t)) sb_puts(sb, "[]");
    else if (is_pid(t)) write_pid(sb, t);
    else if (is_port(t)) write_port(sb, t);
    else if (is_ref(t)) write_ref(sb, t);
    else if (is_fun(t)) write_fun(sb, t);
    else if (is_bitstring(t)) write_binary(sb, t, d);
    else write_compound(w, t, d);
}

static void write_step(Walk *w, WItem it)
{
    StrBuf *sb = w->sb;
    switch (it.op) {
    case WI_TERM: write_one(w, it.t, it.depth); break;
    case WI_TEXT: sb_puts(sb, it.text); break;
    case WI_LIST_TAIL:
        if (is_nil(it.t)) break;
        if (it.depth == 1) {
            sb_puts(sb, "|...");
        } else if (is_list(it.t)) {
            sb_putc(sb, ',');
            walk_push(w, (WItem){.op = WI_LIST_TAIL, .t = list_tail(it.t), .depth = dec_depth(it.depth)});
            push_term(w, list_head(it.t), dec_depth(it.depth));
        } else {
            sb_putc(sb, '|');
            push_term(w, it.t, dec_depth(it.depth));
        }
        break;
    case WI_TUPLE_REST:
        if (it.i >= tuple_arity(it.t)) break;
        if (it.depth == 1) {
            sb_puts(sb, ",...");
            break;
        }
        sb_putc(sb, ',');
        walk_push(w, (WItem){.op = WI_TUPLE_REST, .t = it.t, .i = it.i + 1, .depth = dec_depth(it.depth)});
        push_term(w, tuple_elems(it.t)[it.i], dec_depth(it.depth));
        break;
    case WI_MAP_REST:
        /* As io_lib: the depth check comes before looking for more pairs. */
        if (it.depth == 1) {
            sb_puts(sb, ",...");
            break;
        }
        if (it.i >= map_count(it.t)) break;
        sb_putc(sb, ',');
        walk_push(w, (WItem){.op = WI_MAP_REST, .t = it.t, .i = it.i + 1, .depth = dec_depth(it.depth),
                             .depth0 = it.depth0});
        write_map_pair(w, it.t, it.i, it.depth0);
        break;
    }
}

void term_write_opts(StrBuf *sb, Term t, long depth, bool unicode)
{
    Walk w = {.sb = sb, .unicode = unicode};
    write_one(&w, t, depth);
    while (w.len > 0) write_step(&w, w.items[--w.len]);
    free(w.items);
}

void term_write(StrBuf *sb, Term t) { term_write_opts(sb, t, -1, false); }

/* ---- erlang:display ---- */

/* Character codes 0..255 that are not control characters, or are spaces. */
static bool display_printable_list(Term t)
{
    for (; is_list(t); t = list_tail(t)) {
        Term h = list_head(t);
        if (!is_small(h) || small_val(h) < 0 || small_val(h) > 255) return false;
        unsigned c = (unsigned)small_val(h);
        bool control = c < ' ' || c == 127 || (c >= 128 && c < 160);
        if (control && c != '\n' && c != '\t' && c != '\r') return false;
    }
    return is_nil(t);
}

static void display_string(StrBuf *sb, Term t)
{
    sb_putc(sb, '"');
    for (; is_list(t); t = list_tail(t)) {
        char c = (char)small_val(list_head(t));
        if (c == '\n') sb_puts(sb, "\\n");
        else if (c == '"') sb_puts(sb, "\\\"");
        else sb_putc(sb, c);
    }
    sb_putc(sb, '"');
}

static void display_binary(StrBuf *sb, Term t)
{
    BinView v = bin_view(t);
    bool text = v.size > 0 && v.tail_bits == 0;
    for (size_t k = 0; k < v.size && text; k++) text = v.bytes[k] >= ' ' && v.bytes[k] < 127;
    if (!text) {
        bin_view_free(&v);
        write_binary(sb, t, -1);
        return;
    }
    sb_puts(sb, "<<\"");
    for (size_t k = 0; k < v.size; k++) {
        if (v.bytes[k] == '"') sb_putc(sb, '\\');
        sb_putc(sb, (char)v.bytes[k]);
    }
    sb_puts(sb, "\">>");
    bin_view_free(&v);
}

static void display_map_pair(Walk *w, Term m, size_t i)
{
    push_term(w, map_value(m, i), -1);
    push_text(w, "=>");
    push_term(w, map_key(m, i), -1);
}

static void display_one(Walk *w, Term t)
{
    StrBuf *sb = w->sb;
    if (is_integer(t)) term_write_integer(sb, t, 10, false);
    else if (is_float(t)) sb_printf(sb, "%.6e", float_val(t));
    else if (is_atom(t)) display_atom(sb, t);
    else if (is_nil(t)) sb_puts(sb, "[]");
    else if (is_pid(t)) write_pid(sb, t);
    else if (is_port(t)) write_port(sb, t);
    else if (is_ref(t)) write_ref(sb, t);
    else if (is_fun(t)) display_fun(sb, t);
    else if (is_bitstring(t)) display_binary(sb, t);
    else if (is_list(t) && display_printable_list(t)) display_string(sb, t);
    else if (is_list(t)) {
        sb_putc(sb, '[');
        push_text(w, "]");
        walk_push(w, (WItem){.op = WI_LIST_TAIL, .t = list_tail(t), .depth = -1});
        push_term(w, list_head(t), -1);
    } else if (is_tuple(t)) {
        sb_putc(sb, '{');
        push_text(w, "}");
        if (tuple_arity(t) > 0) {
            walk_push(w, (WItem){.op = WI_TUPLE_REST, .t = t, .i = 1, .depth = -1});
            push_term(w, tuple_elems(t)[0], -1);
        }
    } else {
        sb_puts(sb, "#{");
        push_text(w, "}");
        if (map_count(t) > 0) {
            walk_push(w, (WItem){.op = WI_MAP_REST, .t = t, .i = 1, .depth = -1});
            display_map_pair(w, t, 0);
        }
    }
}

void term_display(StrBuf *sb, Term t)
{
    Walk w = {.sb = sb};
    display_one(&w, t);
    while (w.len > 0) {
        WItem it = w.items[--w.len];
        if (it.op == WI_TERM) {
            display_one(&w, it.t);
        } else if (it.op == WI_MAP_REST) {
            if (it.i >= map_count(it.t)) continue;
            sb_putc(sb, ',');
            walk_push(&w, (WItem){.op = WI_MAP_REST, .t = it.t, .i = it.i + 1, .depth = -1});
            display_map_pair(&w, it.t, it.i);
        } else {
            write_step(&w, it); /* text, list tails and tuples print alike */
        }
    }
    free(w.items);
}

/* ---- the pretty printer, phase one: the tree ---- */

enum pkind {
    PK_TEXT,   /* written as is; fits anywhere in a row ("is_list(S)" in OTP) */
    PK_BIN,    /* <<1,2,3>>: may wrap between bytes */
    PK_DOTS,   /* "..." after the depth ran out */
    PK_LIST,
    PK_TUPLE,
    PK_TAGGED, /* a tuple of two or more elements whose first is an atom */
    PK_MAP,
    PK_PAIR,   /* Key => Value */
};

typedef struct PNode {
    enum pkind kind;
    size_t len;          /* characters on one line */
    size_t text, bytes;  /* leaves: their text in Pretty.text */
    size_t kids, nkids;  /* compound nodes: Pretty.kids[kids .. kids + nkids) */
    long tail;           /* after the kids: an improper list tail or "...", or -1 */
} PNode;

/* A compound node whose kids are being built. */
typedef struct BuildFrame {
    size_t node;
    Term src;          /* list: the next cell; tuple, map: the term; pair: its map */
    size_t next;       /* next kid to build */
    long depth;        /* lists, tuples: the next position's depth; maps, pairs: the kids' */
    Term tail;         /* list: improper tail still to build, or THE_NON_VALUE */
    long tail_depth;
    size_t pair;       /* pair: its index in the map */
} BuildFrame;

typedef struct Pretty {
    PNode *nodes;
    size_t nnodes, cap_nodes;
    size_t *kids;
    size_t nkids, cap_kids;
    StrBuf text;
    BuildFrame *frames;
    size_t nframes, cap_frames, max_nesting;
    bool unicode, strings;
    /* layout */
    StrBuf *out;
    long ll, m, tind;
    bool check, failed;
} Pretty;

static void *grow_array(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return p;
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    p = realloc(p, c * size);
    if (!p) abort();
    *cap = c;
    return p;
}

static size_t new_node(Pretty *P, enum pkind kind, size_t nkids)
{
    P->nodes = grow_array(P->nodes, &P->cap_nodes, P->nnodes + 1, sizeof *P->nodes);
    P->kids = grow_array(P->kids, &P->cap_kids, P->nkids + nkids, sizeof *P->kids);
    P->nodes[P->nnodes] = (PNode){.kind = kind, .kids = P->nkids, .nkids = nkids, .tail = -1};
    P->nkids += nkids;
    return P->nnodes++;
}

/* A leaf holding the text appended to P->text since offset `start`. */
static size_t end_leaf(Pretty *P, enum pkind kind, size_t start)
{
    size_t x = new_node(P, kind, 0);
    P->nodes[x].text = start;
    P->nodes[x].bytes = P->text.len - start;
    P->nodes[x].len = utf8_chars(P->text.data + start, P->text.len - start);
    return x;
}

static size_t text_leaf(Pretty *P, const char *s)
{
    size_t start = P->text.len;
    sb_puts(&P->text, s);
    return end_leaf(P, PK_TEXT, start);
}

static void push_frame(Pretty *P, size_t node, Term src, long depth, Term tail, long tail_depth)
{
    P->frames = grow_array(P->frames, &P->cap_frames, P->nframes + 1, sizeof *P->frames);
    P->frames[P->nframes++] = (BuildFrame){node, src, 0, depth, tail, tail_depth, 0};
    if (P->nframes > P->max_nesting) P->max_nesting = P->nframes;
}

static size_t dots_leaf(Pretty *P)
{
    size_t start = P->text.len;
    sb_puts(&P->text, "...");
    return end_leaf(P, PK_DOTS, start);
}

/* Elements a list or tuple shows before the depth runs out, as print_length_list1. */
static size_t list_shown(Term t, long d, Term *rest, long *rest_depth)
{
    size_t n = 0;
    for (; is_list(t) && d != 1; t = list_tail(t), d = dec_depth(d)) n++;
    *rest = t;
    *rest_depth = d;
    return n;
}

static size_t shown(size_t total, long d)
{
    size_t n = 0;
    for (; n < total && d != 1; d = dec_depth(d)) n++;
    return n;
}

static size_t list_node(Pretty *P, Term t, long d)
{
    if (P->strings && d != 1 && is_printable_latin1_list(t)) {
        size_t start = P->text.len;
        write_char_list(&P->text, t);
        return end_leaf(P, PK_TEXT, start);
    }
    Term rest;
    long rd;
    size_t x = new_node(P, PK_LIST, list_shown(t, d, &rest, &rd));
    Term tail = THE_NON_VALUE;
    if (!is_nil(rest)) {
        if (rd == 1) P->nodes[x].tail = (long)dots_leaf(P);
        else tail = rest;
    }
    push_frame(P, x, t, d, tail, dec_depth(rd));
    return x;
}

static size_t tuple_node(Pretty *P, Term t, long d)
{
    size_t n = tuple_arity(t);
    if (n == 0) return text_leaf(P, "{}");
    if (d == 1) return text_leaf(P, "{...}");
    bool tagged = n > 1 && is_atom(tuple_elems(t)[0]);
    size_t k = shown(n, d);
    size_t x = new_node(P, tagged ? PK_TAGGED : PK_TUPLE, k);
    if (k < n) P->nodes[x].tail = (long)dots_leaf(P);
    push_frame(P, x, t, d, THE_NON_VALUE, 0);
    return x;
}

static size_t map_node(Pretty *P, Term t, long d)
{
    size_t n = map_count(t);
    if (n == 0) return text_leaf(P, "#{}");
    if (d == 1) return text_leaf(P, "#{...}");
    size_t k = shown(n, d);
    size_t x = new_node(P, PK_MAP, k);
    if (k < n) P->nodes[x].tail = (long)dots_leaf(P);
    push_frame(P, x, t, d, THE_NON_VALUE, 0);
    return x;
}

/*
 * What io_lib_pretty's printable_bin finds in the first `limit` bytes or
 * characters of a binary: not printable (false), all of it (prefix false)
 * or a printable prefix worth showing before "..." (prefix true).
 */
typedef struct BinText {
    bool printable, prefix, ascii;
    unsigned *chars;
    size_t n;
} BinText;

static size_t first_unprintable_byte(BinView v, size_t from, size_t to)
{
    while (from < to && printable_latin1(v.bytes[from])) from++;
    return from;
}

/* The bytes as Latin-1 characters (io_lib_pretty's printable_bin, latin1). */
static BinText bin_text_latin1(BinView v, size_t limit, long d)
{
    BinText r = {.ascii = true};
    size_t head = limit < 20 ? limit : 20;
    size_t bad = first_unprintable_byte(v, 0, head), n = 0;
    if (bad < head) {
        if (d > 0 && (long)bad >= d) n = bad, r.prefix = true;
    } else if (head == v.size || head == limit) {
        n = head, r.prefix = head != v.size;
    } else {
        bad = first_unprintable_byte(v, head, limit);
        if (bad == limit && limit == v.size) n = limit;
        else if (d > 0 && (long)bad >= d) n = bad, r.prefix = true;
    }
    r.printable = n > 0;
    if (!r.printable) return r;
    r.chars = malloc(n * sizeof *r.chars);
    if (!r.chars) abort();
    for (size_t k = 0; k < n; k++) r.chars[k] = v.bytes[k];
    r.n = n;
    return r;
}

/* The bytes as UTF-8 (~tp), falling back to Latin-1 if the head is not UTF-8. */
static BinText bin_text(BinView v, size_t limit, long d, bool unicode)
{
    if (!unicode) return bin_text_latin1(v, limit, d);
    unsigned c;
    size_t pos = 0, used;
    for (size_t k = 0; k < limit && pos < v.size; k++, pos += used)
        if ((used = utf8_decode(v.bytes + pos, v.size - pos, &c)) == 0) return bin_text_latin1(v, limit, d);
    BinText r = {0};
    r.chars = malloc((limit + 1) * sizeof *r.chars);
    if (!r.chars) abort();
    pos = 0;
    while (r.n < limit && (used = utf8_decode(v.bytes + pos, v.size - pos, &c)) > 0 && c <= 255 &&
           printable_latin1(c)) {
        r.chars[r.n++] = c;
        pos += used;
    }
    r.ascii = pos == r.n;
    if (pos == v.size) r.printable = true;
    else if (d > 0 && (long)r.n >= d) r.printable = r.prefix = true;
    return r;
}

/* print_length for bitstrings: <<"text">>, <<"text"/utf8>>, <<"te"...>> or bytes. */
static size_t binary_node(Pretty *P, Term t, long d)
{
    BinView v = bin_view(t);
    bool empty = v.size == 0 && v.tail_bits == 0, text = v.tail_bits == 0;
    bin_view_free(&v);
    if (empty) return text_leaf(P, "<<>>");
    if (d == 1) return text_leaf(P, "<<...>>");
    v = bin_view(t);
    size_t start = P->text.len;
    long d1 = d - 1;
    if (P->strings && text) {
        size_t limit = d1 >= 0 && (size_t)(4 * d1) < v.size ? (size_t)(4 * d1) : v.size;
        BinText bt = bin_text(v, limit, d1, P->unicode);
        bool printable = bt.printable;
        if (printable) {
            sb_puts(&P->text, "<<");
            write_code_points(&P->text, bt.chars, bt.n);
            sb_puts(&P->text, bt.ascii ? "" : "/utf8");
            sb_puts(&P->text, bt.prefix ? "...>>" : ">>");
        }
        free(bt.chars);
        if (printable) {
            bin_view_free(&v);
            return end_leaf(P, PK_TEXT, start);
        }
    }
    bin_view_free(&v);
    write_binary(&P->text, t, d);
    return end_leaf(P, PK_BIN, start);
}

/* print_length: a leaf, or a compound node whose kids are built later. */
static size_t make_node(Pretty *P, Term t, long d)
{
    if (is_nil(t)) return text_leaf(P, "[]");
    if (is_list(t)) return list_node(P, t, d);
    if (is_tuple(t)) return tuple_node(P, t, d);
    if (is_map(t)) return map_node(P, t, d);
    if (is_bitstring(t)) return binary_node(P, t, d);
    size_t start = P->text.len;
    if (is_atom(t)) write_atom(&P->text, t, P->unicode);
    else term_write_opts(&P->text, t, -1, false);
    return end_leaf(P, PK_TEXT, start);
}

/* A map's i-th pair: a node whose two kids are built later. */
static size_t pair_node(Pretty *P, Term map, size_t i, long d)
{
    size_t x = new_node(P, PK_PAIR, 2);
    push_frame(P, x, map, d, THE_NON_VALUE, 0);
    P->frames[P->nframes - 1].pair = i;
    return x;
}

/* The length on one line, once every kid is built (list_length in OTP). */
static void finish_node(Pretty *P, size_t x)
{
    PNode *n = &P->nodes[x];
    size_t len = 0;
    for (size_t k = 0; k < n->nkids; k++) len += P->nodes[P->kids[n->kids + k]].len;
    if (n->kind == PK_PAIR) {
        n->len = len + 4;
        return;
    }
    size_t count = n->nkids;
    if (n->tail >= 0) len += P->nodes[n->tail].len, count++;
    n->len = len + (count - 1) + (n->kind == PK_MAP ? 3 : 2);
}

/* Builds the next kid (or the tail) of the top frame, or finishes it. */
static void build_step(Pretty *P)
{
    BuildFrame *f = &P->frames[P->nframes - 1];
    PNode *n = &P->nodes[f->node];
    size_t slot = n->kids + f->next, x;
    if (f->next < n->nkids) {
        size_t k = f->next++;
        long d = f->depth;
        Term src = f->src;
        switch (n->kind) {
        case PK_LIST:
            f->src = list_tail(src);
            f->depth = dec_depth(d);
            x = make_node(P, list_head(src), dec_depth(d));
            break;
        case PK_MAP: /* keys and values one level down, whatever their position */
            x = pair_node(P, src, k, dec_depth(d));
            break;
        case PK_PAIR:
            x = make_node(P, k == 0 ? map_key(src, f->pair) : map_value(src, f->pair), d);
            break;
        default:
            f->depth = dec_depth(d);
            x = make_node(P, tuple_elems(src)[k], dec_depth(d));
            break;
        }
        P->kids[slot] = x;
    } else if (f->tail != THE_NON_VALUE) {
        Term tail = f->tail;
        size_t node = f->node;
        f->tail = THE_NON_VALUE;
        x = make_node(P, tail, f->tail_depth);
        P->nodes[node].tail = (long)x;
    } else {
        finish_node(P, f->node);
        P->nframes--;
    }
}

static size_t build_tree(Pretty *P, Term t, long d)
{
    size_t root = make_node(P, t, d);
    while (P->nframes > 0) build_step(P);
    return root;
}

/* ---- the pretty printer, phase two: layout ---- */

static const PNode *pnode(const Pretty *P, size_t x) { return &P->nodes[x]; }
static size_t kid(const Pretty *P, const PNode *n, size_t k) { return P->kids[n->kids + k]; }
static long plen(const Pretty *P, size_t x) { return (long)P->nodes[x].len; }
static bool is_text(const Pretty *P, size_t x) { return P->nodes[x].kind == PK_TEXT; }

static bool pair_is_text(const Pretty *P, size_t x)
{
    const PNode *n = pnode(P, x);
    return is_text(P, kid(P, n, 0)) && is_text(P, kid(P, n, 1));
}

static void emit(Pretty *P, const char *s, size_t n)
{
    if (!P->check) sb_put(P->out, s, n);
}

static void emit_str(Pretty *P, const char *s) { emit(P, s, strlen(s)); }

static void emit_newline(Pretty *P, long indent)
{
    if (P->check) return;
    sb_putc(P->out, '\n');
    for (long k = 0; k < indent; k++) sb_putc(P->out, ' ');
}

static const char *opener(enum pkind k) { return k == PK_LIST ? "[" : k == PK_MAP ? "#{" : k == PK_PAIR ? "" : "{"; }
static const char *closer(enum pkind k) { return k == PK_LIST ? "]" : k == PK_PAIR ? "" : "}"; }

/* A node on one line (write/1 in io_lib_pretty), walked with a stack. */
static void emit_flat(Pretty *P, size_t root)
{
    if (P->check) return;
    typedef struct { size_t node, pos; } Flat;
    Flat *stack = NULL;
    size_t len = 0, cap = 0;
    const PNode *r = pnode(P, root);
    if (r->kind <= PK_DOTS) {
        sb_put(P->out, P->text.data + r->text, r->bytes);
        return;
    }
    stack = grow_array(stack, &cap, 1, sizeof *stack);
    stack[len++] = (Flat){root, 0};
    sb_puts(P->out, opener(r->kind));
    while (len > 0) {
        Flat *f = &stack[len - 1];
        const PNode *n = pnode(P, f->node);
        size_t count = n->nkids + (n->tail >= 0);
        if (f->pos == count) {
            sb_puts(P->out, closer(n->kind));
            len--;
            continue;
        }
        size_t pos = f->pos++;
        if (pos > 0)
            sb_puts(P->out, n->kind == PK_PAIR ? " => " : pos == n->nkids && n->kind == PK_LIST ? "|" : ",");
        size_t x = pos < n->nkids ? kid(P, n, pos) : (size_t)n->tail;
        const PNode *c = pnode(P, x);
        if (c->kind <= PK_DOTS) {
            sb_put(P->out, P->text.data + c->text, c->bytes);
        } else {
            stack = grow_array(stack, &cap, len + 1, sizeof *stack);
            stack[len++] = (Flat){x, 0};
            sb_puts(P->out, opener(c->kind));
        }
    }
    free(stack);
}

static bool fits(const Pretty *P, long len, long col, long ld, long w)
{
    return len < P->ll - col - ld && len + w + ld <= P->m;
}

/* 0 while more elements follow the one at `next`, else one more than ld. */
static long last_depth(const PNode *n, size_t next, long ld) { return next < n->nkids ? 0 : ld + 1; }

/* Whether an element of length `elen` (comma included) stays on the current row. */
static bool fits_in_row(const Pretty *P, long elen, long col, long ld1, long w)
{
    if (ld1 == 0) return elen + 1 < P->ll - col && w + elen + 1 <= P->m;
    return elen < P->ll - col - ld1 && w + elen + ld1 <= P->m;
}

static void pp_node(Pretty *P, size_t x, long col, long ind, long ld, long w);

static long pp_element(Pretty *P, size_t x, long col, long ind, long ld, long w)
{
    if (fits(P, plen(P, x), col, ld, w) && is_text(P, x)) {
        emit_flat(P, x);
        return plen(P, x);
    }
    pp_node(P, x, col, ind, ld, w);
    return P->ll;
}

/* Elements from `first` on, after the first of a row at col0 (pp_tail). */
static void pp_tail(Pretty *P, size_t x, size_t first, long col0, long col, long ind, long ld, char sep, long w)
{
    const PNode *n = pnode(P, x);
    for (size_t k = first; k < n->nkids && !P->failed; k++) {
        size_t e = kid(P, n, k);
        long ld1 = last_depth(n, k + 1, ld), elen = 1 + plen(P, e);
        emit(P, ",", 1);
        if (is_text(P, e) && fits_in_row(P, elen, col, ld1, w)) {
            emit_flat(P, e);
            col += elen;
            w += elen;
        } else {
            emit_newline(P, ind);
            long we = pp_element(P, e, col0, ind, ld1, 0);
            col = col0 + we;
            w = we;
        }
    }
    if (n->tail < 0 || P->failed) return;
    size_t t = (size_t)n->tail;
    long len = plen(P, t);
    emit(P, &sep, 1);
    if (pnode(P, t)->kind == PK_DOTS) {
        emit_str(P, "...");
    } else if (is_text(P, t) && len + 1 < P->ll - col - (ld + 1) && len + 1 + w + (ld + 1) <= P->m) {
        emit_flat(P, t);
    } else {
        emit_newline(P, ind);
        pp_node(P, t, P->check ? col : col0, ind, ld + 1, 0); /* as OTP's cind: col */
    }
}

static void pp_list(Pretty *P, size_t x, size_t first, long col0, long ind, long ld, char sep, long w)
{
    const PNode *n = pnode(P, x);
    if (first >= n->nkids) { /* only "..." */
        emit_str(P, "...");
        return;
    }
    long we = pp_element(P, kid(P, n, first), col0, ind, last_depth(n, first + 1, ld), w);
    pp_tail(P, x, first + 1, col0, col0 + we, ind, ld, sep, w + we);
}

/*
 * {tag, ...}: after the tag's comma when the tag is short (or tind is -1),
 * else on the next line indented by tind. The dry run rejects a choice that
 * leaves too little room.
 */
static void pp_tag_tuple(Pretty *P, size_t x, long col, long ind, long ld, long w)
{
    const PNode *n = pnode(P, x);
    size_t tag = kid(P, n, 0);
    long tlen = plen(P, tag), tagind = tlen + 2, tcol = col + tagind;
    if (P->tind > 0 && tagind > P->tind) {
        long col1 = col + P->tind;
        if (P->check && !(P->m + col1 <= P->ll || col1 <= P->ll / 2)) {
            P->failed = true;
            return;
        }
        emit_flat(P, tag);
        pp_tail(P, x, 1, col1, tcol, P->tind + ind, ld, ',', w + tlen);
    } else {
        if (P->check && !(P->m + tcol < P->ll || tcol < P->ll / 2)) {
            P->failed = true;
            return;
        }
        emit_flat(P, tag);
        emit(P, ",", 1);
        pp_list(P, x, 1, tcol, tagind + ind, ld, ',', w + tlen + 1);
    }
}

/* Key => Value; when it does not fit, the value goes on the next line. */
static long pp_pair(Pretty *P, size_t x, long col, long ind, long ld, long w)
{
    if (fits(P, plen(P, x), col, ld, w)) {
        emit_flat(P, x);
        return pair_is_text(P, x) ? plen(P, x) : P->ll;
    }
    const PNode *n = pnode(P, x);
    long i = P->tind > 0 ? P->tind : 4;
    pp_node(P, kid(P, n, 0), col, ind, ld, w);
    emit_str(P, " =>");
    emit_newline(P, i + ind);
    pp_node(P, kid(P, n, 1), col + i, i + ind, ld, 0);
    return P->ll;
}

static void pp_map(Pretty *P, size_t x, long col, long ind, long ld, long w)
{
    const PNode *n = pnode(P, x);
    if (n->nkids == 0) { /* only "..." */
        emit_str(P, "...");
        return;
    }
    long pw = pp_pair(P, kid(P, n, 0), col, ind, last_depth(n, 1, ld), w);
    w = P->check ? w + pw : pw; /* as OTP's cind: w + pw */
    long c = col + pw;
    for (size_t k = 1; k < n->nkids && !P->failed; k++) {
        size_t p = kid(P, n, k);
        long ld1 = last_depth(n, k + 1, ld), elen = 1 + plen(P, p);
        emit(P, ",", 1);
        if (pair_is_text(P, p) && fits_in_row(P, elen, c, ld1, w)) {
            emit_flat(P, p);
            c += elen;
            w += elen;
        } else {
            emit_newline(P, ind);
            pw = pp_pair(P, p, col, ind, ld1, 0);
            c = col + pw;
            w = pw;
        }
    }
    if (n->tail >= 0) emit_str(P, ",...");
}

/* Bytes filling the rows, wrapping after a comma (pp_binary). */
static void pp_binary(Pretty *P, size_t x, long col, long ind, long ld, long w)
{
    const PNode *n = pnode(P, x);
    long room = P->ll - col < P->m - 4 - w ? P->ll - col : P->m - 4 - w;
    long n0 = room - ld > 8 ? room - ld : 8, left = n0;
    const char *s = P->text.data + n->text + 2, *end = P->text.data + n->text + n->bytes - 2;
    emit_str(P, "<<");
    for (;;) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        long seg = (long)((comma ? comma : end) - s);
        if (!comma) {
            if (seg > left) emit_newline(P, ind);
            emit(P, s, (size_t)seg);
            break;
        }
        if (left - (seg + 1) < 0) {
            emit_newline(P, ind);
            left = n0 - (seg + 1);
        } else {
            left -= seg + 1;
        }
        emit(P, s, (size_t)seg + 1);
        s = comma + 1;
    }
    emit_str(P, ">>");
}

static void pp_node(Pretty *P, size_t x, long col, long ind, long ld, long w)
{
    const PNode *n = pnode(P, x);
    if (P->failed) return;
    if (fits(P, (long)n->len, col, ld, w)) {
        emit_flat(P, x);
        return;
    }
    switch (n->kind) {
    case PK_LIST:
    case PK_TUPLE:
        emit_str(P, opener(n->kind));
        pp_list(P, x, 0, col + 1, ind + 1, ld, n->kind == PK_LIST ? '|' : ',', w + 1);
        emit_str(P, closer(n->kind));
        break;
    case PK_TAGGED:
        emit_str(P, "{");
        pp_tag_tuple(P, x, col, ind, ld, w + 1);
        emit_str(P, "}");
        break;
    case PK_MAP:
        emit_str(P, "#{");
        pp_map(P, x, col + 2, ind + 2, ld, w + (P->check ? 2 : 1)); /* as OTP's cind: w + 2 */
        emit_str(P, "}");
        break;
    case PK_BIN:
        if (!P->check) pp_binary(P, x, col + 2, ind + 2, ld, w);
        break;
    default:
        emit_flat(P, x);
        break;
    }
}

/* The dry run with tagged tuples indented by tind: does the layout hold? */
static bool layout_holds(Pretty *P, size_t root, long col, long tind)
{
    P->check = true;
    P->failed = false;
    P->tind = tind;
    pp_node(P, root, col, col - 1, 0, 0);
    P->check = false;
    return !P->failed;
}

static void pretty_free(Pretty *P)
{
    free(P->nodes);
    free(P->kids);
    free(P->frames);
    sb_free(&P->text);
}

void term_print_opts(StrBuf *sb, Term t, const TermPrintOpts *o)
{
    long col = o->column <= 0 ? 1 : o->column;
    if (o->depth == 0) {
        sb_puts(sb, "...");
        return;
    }
    if (is_atom(t)) {
        write_atom(sb, t, o->unicode);
        return;
    }
    if (!is_list(t) && !is_nil(t) && !is_tuple(t) && !is_map(t) && !is_bitstring(t)) {
        term_write_opts(sb, t, -1, false);
        return;
    }
    Pretty P = {.unicode = o->unicode, .strings = o->strings, .out = sb, .ll = o->line_length};
    sb_init(&P.text);
    size_t root = build_tree(&P, t, o->depth);
    P.m = plen(&P, root);
    if (P.ll == 0 || P.m < P.ll - col || P.max_nesting > PRETTY_MAX_NESTING) {
        emit_flat(&P, root);
    } else {
        long tind = layout_holds(&P, root, col, -1) ? -1 : layout_holds(&P, root, col, 4) ? 4 : 1;
        P.tind = tind;
        P.failed = false;
        pp_node(&P, root, col, col - 1, 0, 0);
    }
    pretty_free(&P);
}

void term_print(StrBuf *sb, Term t, int column, int line_length)
{
    TermPrintOpts o = {.depth = -1, .unicode = false, .strings = true, .column = column, .line_length = line_length};
    term_print_opts(sb, t, &o);
}
