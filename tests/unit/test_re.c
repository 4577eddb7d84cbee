/*
 * test_re.c - the C parts under re and zlib that no Erlang program sees
 * directly: iodata flattening (deep nesting, improper tails, code points),
 * re option parsing into PCRE2 options, pattern keys and the per-thread
 * code cache.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/bif/iodata.h"
#include "runtime/re/re.h"
#include "term_build.h"

static void setup(void)
{
    atom_init();
    tb_reset();
}

TestSuite(re, .init = setup);

static bool flat(Term t, bool chars, const char *want, size_t n)
{
    IoBuf b = {0};
    bool ok = iodata_append(&b, t, chars);
    if (ok) ok = b.len == n && (n == 0 || memcmp(b.data, want, n) == 0);
    free(b.data);
    return ok;
}

Test(re, iodata_shapes)
{
    cr_assert(flat(NIL, false, "", 0));
    cr_assert(flat(S("abc"), false, "abc", 3));
    cr_assert(flat(L(3, S("a"), B("bc", 2), L(1, L(1, I('d')))), false, "abcd", 4));
    cr_assert(flat(LT(B("z", 1), 1, I('y')), false, "yz", 2), "a binary tail");
    cr_assert(!flat(LT(I('z'), 1, I('y')), false, "", 0), "an integer tail is not iodata");
    cr_assert(!flat(L(1, I(256)), false, "", 0));
    cr_assert(!flat(L(1, A("x")), false, "", 0));
    cr_assert(!flat(I(1), false, "", 0));
}

Test(re, iodata_deep)
{
    Term t = S("x");
    for (int i = 0; i < 100000; i++) t = L(1, t); /* deeper than any C stack recursion */
    cr_assert(flat(t, false, "x", 1));
}

Test(re, chardata_utf8)
{
    cr_assert(flat(L(3, I(0xE9), I(0x65E5), I(0x1F600)), true, "\xC3\xA9\xE6\x97\xA5\xF0\x9F\x98\x80", 9));
    cr_assert(!flat(L(1, I(0xD800)), true, "", 0), "a surrogate is no character");
    cr_assert(!flat(L(1, I(0x110000)), true, "", 0));
}

Test(re, options)
{
    ReOpts o;
    cr_assert(re_parse_opts(L(4, A("caseless"), A("unicode"), T(2, A("newline"), A("crlf")), A("anchored")), false, &o));
    cr_assert_eq(o.compile, PCRE2_CASELESS | PCRE2_UTF | PCRE2_ANCHORED);
    cr_assert_eq(o.newline, PCRE2_NEWLINE_CRLF);
    cr_assert(o.unicode && o.compile_only);
    cr_assert(!re_parse_opts(L(1, A("global")), false, &o), "global is no compile option");
    cr_assert(re_parse_opts(L(3, A("global"), T(2, A("offset"), I(3)), T(3, A("capture"), A("all_names"), A("binary"))), true, &o));
    cr_assert(o.global && o.offset == 3 && o.cap_kind == CAP_ALL_NAMES && o.cap_type == CAPT_BINARY);
    cr_assert(!o.compile_only);
    cr_assert(!re_parse_opts(L(1, T(2, A("offset"), I(-1))), true, &o));
    cr_assert(!re_parse_opts(L(1, T(2, A("capture"), L(1, I(-1)))), true, &o));
    cr_assert(!re_parse_opts(LT(A("x"), 1, A("global")), true, &o), "improper list");
}

Test(re, cache_and_errors)
{
    ReOpts o;
    ReKey k;
    char msg[RE_MSG_MAX];
    size_t pos;
    cr_assert(re_parse_opts(NIL, false, &o));
    cr_assert(re_key_make(&k, (const uint8_t *)"(a)(b)", 6, &o));
    const ReCode *c1 = re_cache_get(&k, msg, &pos);
    const ReCode *c2 = re_cache_get(&k, msg, &pos);
    cr_assert(c1 && c1 == c2, "the second lookup hits the cache");
    cr_assert_eq(c1->captures, 2);
    free(k.bytes);
    cr_assert(re_key_make(&k, (const uint8_t *)"a(b", 3, &o));
    cr_assert_null(re_cache_get(&k, msg, &pos));
    cr_assert_str_eq(msg, "missing )");
    cr_assert_eq(pos, 3);
    free(k.bytes);
    cr_assert(re_key_make(&k, (const uint8_t *)"*a", 2, &o));
    cr_assert_null(re_cache_get(&k, msg, &pos));
    cr_assert_str_eq(msg, "nothing to repeat");
    cr_assert_eq(pos, 0);
    free(k.bytes);
}
