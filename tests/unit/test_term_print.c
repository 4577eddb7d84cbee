/*
 * test_term_print.c - ~w, ~p, ~W, ~P, erlang:display and float text.
 *
 * Every expected string below was produced by OTP 25 (erl) for the term in
 * the comment above its test: io_lib:format with ~w, ~p, ~tp, ~P (depth
 * 3), ~W (depth 3), ~lp, ~40p and ~.30p, then erlang:display's line.
 * Texts are UTF-8 encoded characters, so é in an atom is "\303\251".
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "runtime/atom.h"
#include "runtime/module.h"
#include "runtime/term_cmp.h"
#include "runtime/term_print.h"

/* ---- building terms in a static arena ---- */

static Term arena[1 << 22];
static size_t used;

static Term *words(size_t n)
{
    cr_assert_leq(used + n, sizeof arena / sizeof arena[0]);
    Term *p = arena + used;
    used += n;
    return p;
}

static void setup(void)
{
    atom_init();
    used = 0;
}

TestSuite(term_print, .init = setup);

static Term A(const char *s) { return atom_from_cstr(s); }
static Term I(intptr_t v) { return make_small(v); }
static Term F(double d) { return make_float(words(FLOAT_WORDS), d); }

static Term T(size_t n, ...)
{
    va_list ap;
    Term *hp = words(1 + n);
    hp[0] = make_tuple_header(n);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) hp[1 + i] = va_arg(ap, Term);
    va_end(ap);
    return make_boxed(hp);
}

static Term cons(Term h, Term t)
{
    Term *c = words(2);
    c[0] = h;
    c[1] = t;
    return make_list(c);
}

/* A list of n elements ending in tail. */
static Term LT(Term tail, size_t n, ...)
{
    va_list ap;
    Term *elems = malloc((n ? n : 1) * sizeof *elems);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) elems[i] = va_arg(ap, Term);
    va_end(ap);
    for (size_t i = n; i-- > 0;) tail = cons(elems[i], tail);
    free(elems);
    return tail;
}

#define L(n, ...) LT(NIL, n, __VA_ARGS__)

/* The bytes of s as a list of character codes (a string). */
static Term S(const char *s)
{
    size_t n = strlen(s);
    Term t = NIL;
    for (size_t i = n; i-- > 0;) t = cons(make_small((uint8_t)s[i]), t);
    return t;
}

static Term SEQ(intptr_t from, intptr_t to)
{
    Term t = NIL;
    for (intptr_t i = to; i >= from; i--) t = cons(make_small(i), t);
    return t;
}

static Term B(const char *bytes, size_t n)
{
    Term *hp = words(2 + (n + 7) / 8);
    hp[0] = make_header(1 + (n + 7) / 8, HDR_HEAP_BIN);
    hp[1] = n;
    memcpy(hp + 2, bytes, n);
    return make_boxed(hp);
}

static Term BSEQ(int from, int to)
{
    char bytes[256];
    for (int i = from; i <= to; i++) bytes[i - from] = (char)i;
    return B(bytes, (size_t)(to - from + 1));
}

/* A bignum from n 64-bit limbs, least significant first. */
static Term BIG(bool negative, size_t n, ...)
{
    va_list ap;
    Term *hp = words(1 + n);
    hp[0] = make_header(n, negative ? HDR_NEG_BIG : HDR_POS_BIG);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) hp[1 + i] = (Term)va_arg(ap, unsigned long long);
    va_end(ap);
    return make_boxed(hp);
}

/* A flat map from n key/value pairs in any order (sorted here by key). */
static Term M(size_t n, ...)
{
    va_list ap;
    Term keys[16], vals[16];
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        keys[i] = va_arg(ap, Term);
        vals[i] = va_arg(ap, Term);
    }
    va_end(ap);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && term_compare_exact(keys[j - 1], keys[j]) > 0; j--) {
            Term k = keys[j], v = vals[j];
            keys[j] = keys[j - 1], vals[j] = vals[j - 1];
            keys[j - 1] = k, vals[j - 1] = v;
        }
    Term *kt = words(1 + n), *hp = words(3 + n);
    kt[0] = make_tuple_header(n);
    hp[0] = make_header(2 + n, HDR_MAP);
    hp[1] = n;
    hp[2] = make_boxed(kt);
    for (size_t i = 0; i < n; i++) {
        kt[1 + i] = keys[i];
        hp[3 + i] = vals[i];
    }
    return make_boxed(hp);
}

/* [{"name1", 1}, {"name2", 4}, ...] */
static Term PAIRS(int n)
{
    Term t = NIL;
    for (int i = n; i >= 1; i--) {
        char name[32];
        snprintf(name, sizeof name, "name%d", i);
        t = cons(T(2, S(name), I(i * i)), t);
    }
    return t;
}

/* ---- checking ---- */

static void expect_text(const char *what, const StrBuf *sb, const char *expected)
{
    const char *got = sb->data ? sb->data : "";
    cr_expect_str_eq(got, expected, "%s:\n%s\n--- expected:\n%s", what, got, expected);
}

static void check_print(const char *what, Term t, TermPrintOpts o, const char *expected)
{
    StrBuf sb;
    sb_init(&sb);
    term_print_opts(&sb, t, &o);
    expect_text(what, &sb, expected);
    sb_free(&sb);
}

static void check_write(const char *what, Term t, long depth, const char *expected)
{
    StrBuf sb;
    sb_init(&sb);
    term_write_opts(&sb, t, depth, false);
    expect_text(what, &sb, expected);
    sb_free(&sb);
}

static void check_all(Term t, const char *w, const char *p, const char *tp, const char *p_depth3,
                      const char *w_depth3, const char *lp, const char *p_width40, const char *p_col30,
                      const char *display)
{
    const TermPrintOpts def = {.depth = -1, .strings = true, .column = 1, .line_length = 80};
    TermPrintOpts o;
    StrBuf sb;
    sb_init(&sb);
    term_write(&sb, t);
    expect_text("~w", &sb, w);
    sb_free(&sb);
    sb_init(&sb);
    term_print(&sb, t, 1, 80);
    expect_text("~p", &sb, p);
    sb_free(&sb);
    o = def, o.unicode = true;
    check_print("~tp", t, o, tp);
    o = def, o.depth = 3;
    check_print("~P depth 3", t, o, p_depth3);
    check_write("~W depth 3", t, 3, w_depth3);
    o = def, o.strings = false;
    check_print("~lp", t, o, lp);
    o = def, o.line_length = 40;
    check_print("~40p", t, o, p_width40);
    o = def, o.column = 30;
    check_print("~.30p", t, o, p_col30);
    sb_init(&sb);
    term_display(&sb, t);
    expect_text("display", &sb, display);
    sb_free(&sb);
}

/* ---- the cases ---- */

/* hello */
Test(term_print, atom_plain)
{
    check_all(A("hello"),
              "hello",
              "hello",
              "hello",
              "hello",
              "hello",
              "hello",
              "hello",
              "hello",
              "hello");
}

/* 'Hello' */
Test(term_print, atom_upper)
{
    check_all(A("Hello"),
              "'Hello'",
              "'Hello'",
              "'Hello'",
              "'Hello'",
              "'Hello'",
              "'Hello'",
              "'Hello'",
              "'Hello'",
              "'Hello'");
}

/* 'hello world' */
Test(term_print, atom_space)
{
    check_all(A("hello world"),
              "'hello world'",
              "'hello world'",
              "'hello world'",
              "'hello world'",
              "'hello world'",
              "'hello world'",
              "'hello world'",
              "'hello world'",
              "'hello world'");
}

/* 'case' */
Test(term_print, atom_reserved)
{
    check_all(A("case"),
              "'case'",
              "'case'",
              "'case'",
              "'case'",
              "'case'",
              "'case'",
              "'case'",
              "'case'",
              "case");
}

/* 'a@b_1' */
Test(term_print, atom_at)
{
    check_all(A("a@b_1"),
              "a@b_1",
              "a@b_1",
              "a@b_1",
              "a@b_1",
              "a@b_1",
              "a@b_1",
              "a@b_1",
              "a@b_1",
              "'a@b_1'");
}

/* '' */
Test(term_print, atom_empty)
{
    check_all(A(""),
              "''",
              "''",
              "''",
              "''",
              "''",
              "''",
              "''",
              "''",
              "''");
}

/* '[]' */
Test(term_print, atom_nil_text)
{
    check_all(A("[]"),
              "'[]'",
              "'[]'",
              "'[]'",
              "'[]'",
              "'[]'",
              "'[]'",
              "'[]'",
              "'[]'",
              "'[]'");
}

/* list_to_atom("it's\\\n") */
Test(term_print, atom_escapes)
{
    check_all(A("it's\\\n"),
              "'it\\'s\\\\\\n'",
              "'it\\'s\\\\\\n'",
              "'it\\'s\\\\\\n'",
              "'it\\'s\\\\\\n'",
              "'it\\'s\\\\\\n'",
              "'it\\'s\\\\\\n'",
              "'it\\'s\\\\\\n'",
              "'it\\'s\\\\\\n'",
              "'it\\'s\\\\\\n'");
}

/* list_to_atom([233,116,233]) */
Test(term_print, atom_latin1)
{
    check_all(A("\xc3\xa9t\xc3\xa9"),
              "\303\251t\303\251",
              "\303\251t\303\251",
              "\303\251t\303\251",
              "\303\251t\303\251",
              "\303\251t\303\251",
              "\303\251t\303\251",
              "\303\251t\303\251",
              "\303\251t\303\251",
              "\303\251t\303\251");
}

/* list_to_atom([97,1024]) */
Test(term_print, atom_unicode)
{
    check_all(A("a\xd0\x80"),
              "'a\\x{400}'",
              "'a\\x{400}'",
              "'a\320\200'",
              "'a\\x{400}'",
              "'a\\x{400}'",
              "'a\\x{400}'",
              "'a\\x{400}'",
              "'a\\x{400}'",
              "'a\320\200'");
}

/* list_to_atom([127]) */
Test(term_print, atom_del)
{
    check_all(A("\x7f"),
              "'\\d'",
              "'\\d'",
              "'\\d'",
              "'\\d'",
              "'\\d'",
              "'\\d'",
              "'\\d'",
              "'\\d'",
              "'\177'");
}

/* -42 */
Test(term_print, small)
{
    check_all(I(-42),
              "-42",
              "-42",
              "-42",
              "-42",
              "-42",
              "-42",
              "-42",
              "-42",
              "-42");
}

/* (1 bsl 59) - 1 */
Test(term_print, small_max)
{
    check_all(I(MAX_SMALL),
              "576460752303423487",
              "576460752303423487",
              "576460752303423487",
              "576460752303423487",
              "576460752303423487",
              "576460752303423487",
              "576460752303423487",
              "576460752303423487",
              "576460752303423487");
}

/* 1 bsl 64 */
Test(term_print, big)
{
    check_all(BIG(false, 2, 0x0ull, 0x1ull),
              "18446744073709551616",
              "18446744073709551616",
              "18446744073709551616",
              "18446744073709551616",
              "18446744073709551616",
              "18446744073709551616",
              "18446744073709551616",
              "18446744073709551616",
              "18446744073709551616");
}

/* -((1 bsl 64) + 5) */
Test(term_print, big_neg)
{
    check_all(BIG(true, 2, 0x5ull, 0x1ull),
              "-18446744073709551621",
              "-18446744073709551621",
              "-18446744073709551621",
              "-18446744073709551621",
              "-18446744073709551621",
              "-18446744073709551621",
              "-18446744073709551621",
              "-18446744073709551621",
              "-18446744073709551621");
}

/* 0.1 */
Test(term_print, float_tenth)
{
    check_all(F(0.1),
              "0.1",
              "0.1",
              "0.1",
              "0.1",
              "0.1",
              "0.1",
              "0.1",
              "0.1",
              "1.000000e-01");
}

/* 100.0 */
Test(term_print, float_100)
{
    check_all(F(100.0),
              "100.0",
              "100.0",
              "100.0",
              "100.0",
              "100.0",
              "100.0",
              "100.0",
              "100.0",
              "1.000000e+02");
}

/* 1000.0 */
Test(term_print, float_1000)
{
    check_all(F(1000.0),
              "1.0e3",
              "1.0e3",
              "1.0e3",
              "1.0e3",
              "1.0e3",
              "1.0e3",
              "1.0e3",
              "1.0e3",
              "1.000000e+03");
}

/* -0.0 */
Test(term_print, float_neg_zero)
{
    check_all(F(-0.0),
              "-0.0",
              "-0.0",
              "-0.0",
              "-0.0",
              "-0.0",
              "-0.0",
              "-0.0",
              "-0.0",
              "-0.000000e+00");
}

/* 0.0001 */
Test(term_print, float_small)
{
    check_all(F(0.0001),
              "0.0001",
              "0.0001",
              "0.0001",
              "0.0001",
              "0.0001",
              "0.0001",
              "0.0001",
              "0.0001",
              "1.000000e-04");
}

/* 1.5e-5 */
Test(term_print, float_smaller)
{
    check_all(F(1.5e-5),
              "1.5e-5",
              "1.5e-5",
              "1.5e-5",
              "1.5e-5",
              "1.5e-5",
              "1.5e-5",
              "1.5e-5",
              "1.5e-5",
              "1.500000e-05");
}

/* 1234567890123456.0 */
Test(term_print, float_below_2_53)
{
    check_all(F(1234567890123456.0),
              "1234567890123456.0",
              "1234567890123456.0",
              "1234567890123456.0",
              "1234567890123456.0",
              "1234567890123456.0",
              "1234567890123456.0",
              "1234567890123456.0",
              "1234567890123456.0",
              "1.234568e+15");
}

/* 9007199254740992.0 */
Test(term_print, float_2_53)
{
    check_all(F(9007199254740992.0),
              "9.007199254740992e15",
              "9.007199254740992e15",
              "9.007199254740992e15",
              "9.007199254740992e15",
              "9.007199254740992e15",
              "9.007199254740992e15",
              "9.007199254740992e15",
              "9.007199254740992e15",
              "9.007199e+15");
}

/* 1/3 */
Test(term_print, float_third)
{
    check_all(F(1.0 / 3.0),
              "0.3333333333333333",
              "0.3333333333333333",
              "0.3333333333333333",
              "0.3333333333333333",
              "0.3333333333333333",
              "0.3333333333333333",
              "0.3333333333333333",
              "0.3333333333333333",
              "3.333333e-01");
}

/* 5.0e-324 */
Test(term_print, float_denormal)
{
    check_all(F(5e-324),
              "5.0e-324",
              "5.0e-324",
              "5.0e-324",
              "5.0e-324",
              "5.0e-324",
              "5.0e-324",
              "5.0e-324",
              "5.0e-324",
              "4.940656e-324");
}

/* 1.7976931348623157e308 */
Test(term_print, float_max)
{
    check_all(F(1.7976931348623157e308),
              "1.7976931348623157e308",
              "1.7976931348623157e308",
              "1.7976931348623157e308",
              "1.7976931348623157e308",
              "1.7976931348623157e308",
              "1.7976931348623157e308",
              "1.7976931348623157e308",
              "1.7976931348623157e308",
              "1.797693e+308");
}

/* 0.1+0.2 */
Test(term_print, float_sum)
{
    check_all(F(0.1 + 0.2),
              "0.30000000000000004",
              "0.30000000000000004",
              "0.30000000000000004",
              "0.30000000000000004",
              "0.30000000000000004",
              "0.30000000000000004",
              "0.30000000000000004",
              "0.30000000000000004",
              "3.000000e-01");
}

/* [] */
Test(term_print, nil)
{
    check_all(NIL,
              "[]",
              "[]",
              "[]",
              "[]",
              "[]",
              "[]",
              "[]",
              "[]",
              "[]");
}

/* {} */
Test(term_print, empty_tuple)
{
    check_all(T(0),
              "{}",
              "{}",
              "{}",
              "{}",
              "{}",
              "{}",
              "{}",
              "{}",
              "{}");
}

/* #{} */
Test(term_print, empty_map)
{
    check_all(M(0),
              "#{}",
              "#{}",
              "#{}",
              "#{}",
              "#{}",
              "#{}",
              "#{}",
              "#{}",
              "#{}");
}

/* <<>> */
Test(term_print, empty_bin)
{
    check_all(B("", 0),
              "<<>>",
              "<<>>",
              "<<>>",
              "<<>>",
              "<<>>",
              "<<>>",
              "<<>>",
              "<<>>",
              "<<>>");
}

/* "abc" */
Test(term_print, string)
{
    check_all(S("abc"),
              "[97,98,99]",
              "\"abc\"",
              "\"abc\"",
              "\"abc\"",
              "[97,98|...]",
              "[97,98,99]",
              "\"abc\"",
              "\"abc\"",
              "\"abc\"");
}

/* "a\n\t\"\\\e\d\x01" */
Test(term_print, string_escapes)
{
    check_all(S("a\n\t\"\\\x1b\x7f\x01"),
              "[97,10,9,34,92,27,127,1]",
              "[97,10,9,34,92,27,127,1]",
              "[97,10,9,34,92,27,127,1]",
              "[97,10|...]",
              "[97,10|...]",
              "[97,10,9,34,92,27,127,1]",
              "[97,10,9,34,92,27,127,1]",
              "[97,10,9,34,92,27,127,1]",
              "[97,10,9,34,92,27,127,1]");
}

/* [233,255,160] */
Test(term_print, string_latin1)
{
    check_all(S("\xe9\xff\xa0"),
              "[233,255,160]",
              "\"\303\251\303\277\302\240\"",
              "\"\303\251\303\277\302\240\"",
              "\"\303\251\303\277\302\240\"",
              "[233,255|...]",
              "[233,255,160]",
              "\"\303\251\303\277\302\240\"",
              "\"\303\251\303\277\302\240\"",
              "\"\351\377\240\"");
}

/* [97,98,300] */
Test(term_print, not_string)
{
    check_all(L(3, I(97), I(98), I(300)),
              "[97,98,300]",
              "[97,98,300]",
              "[97,98,300]",
              "[97,98|...]",
              "[97,98|...]",
              "[97,98,300]",
              "[97,98,300]",
              "[97,98,300]",
              "[97,98,300]");
}

/* [1|2] */
Test(term_print, improper)
{
    check_all(LT(I(2), 1, I(1)),
              "[1|2]",
              "[1|2]",
              "[1|2]",
              "[1|2]",
              "[1|2]",
              "[1|2]",
              "[1|2]",
              "[1|2]",
              "[1|2]");
}

/* [a,b|c] */
Test(term_print, improper_long)
{
    check_all(LT(A("c"), 2, A("a"), A("b")),
              "[a,b|c]",
              "[a,b|c]",
              "[a,b|c]",
              "[a,b|...]",
              "[a,b|...]",
              "[a,b|c]",
              "[a,b|c]",
              "[a,b|c]",
              "[a,b|c]");
}

/* {a,1,"x"} */
Test(term_print, tuple)
{
    check_all(T(3, A("a"), I(1), S("x")),
              "{a,1,[120]}",
              "{a,1,\"x\"}",
              "{a,1,\"x\"}",
              "{a,1,...}",
              "{a,1,...}",
              "{a,1,[120]}",
              "{a,1,\"x\"}",
              "{a,1,\"x\"}",
              "{a,1,\"x\"}");
}

/* <<"abc">> */
Test(term_print, binary_text)
{
    check_all(B("abc", 3),
              "<<97,98,99>>",
              "<<\"abc\">>",
              "<<\"abc\">>",
              "<<\"abc\">>",
              "<<97,98,...>>",
              "<<97,98,99>>",
              "<<\"abc\">>",
              "<<\"abc\">>",
              "<<\"abc\">>");
}

/* <<1,2,255>> */
Test(term_print, binary_bytes)
{
    check_all(B("\x01\x02\xff", 3),
              "<<1,2,255>>",
              "<<1,2,255>>",
              "<<1,2,255>>",
              "<<1,2,...>>",
              "<<1,2,...>>",
              "<<1,2,255>>",
              "<<1,2,255>>",
              "<<1,2,255>>",
              "<<1,2,255>>");
}

/* <<"a\nb">> */
Test(term_print, binary_newline)
{
    check_all(B("a\nb", 3),
              "<<97,10,98>>",
              "<<\"a\\nb\">>",
              "<<\"a\\nb\">>",
              "<<\"a\\nb\">>",
              "<<97,10,...>>",
              "<<97,10,98>>",
              "<<\"a\\nb\">>",
              "<<\"a\\nb\">>",
              "<<97,10,98>>");
}

/* <<"é"/utf8>> */
Test(term_print, binary_utf8)
{
    check_all(B("\xc3\xa9", 2),
              "<<195,169>>",
              "<<\"\303\203\302\251\">>",
              "<<\"\303\251\"/utf8>>",
              "<<\"\303\203\302\251\">>",
              "<<195,169>>",
              "<<195,169>>",
              "<<\"\303\203\302\251\">>",
              "<<\"\303\203\302\251\">>",
              "<<195,169>>");
}

/* <<"ab",0>> */
Test(term_print, binary_nul)
{
    check_all(B("ab\0", 3),
              "<<97,98,0>>",
              "<<97,98,0>>",
              "<<97,98,0>>",
              "<<\"ab\"...>>",
              "<<97,98,...>>",
              "<<97,98,0>>",
              "<<97,98,0>>",
              "<<97,98,0>>",
              "<<97,98,0>>");
}

/* #{b => "two", a => 1} */
Test(term_print, map)
{
    check_all(M(2, A("b"), S("two"), A("a"), I(1)),
              "#{a => 1,b => [116,119,111]}",
              "#{a => 1,b => \"two\"}",
              "#{a => 1,b => \"two\"}",
              "#{a => 1,b => \"two\"}",
              "#{a => 1,b => [116|...],...}",
              "#{a => 1,b => [116,119,111]}",
              "#{a => 1,b => \"two\"}",
              "#{a => 1,b => \"two\"}",
              "#{a=>1,b=>\"two\"}");
}

/* #{a => 1, 2 => 3, 1.0 => 4} */
Test(term_print, map_keys)
{
    check_all(M(3, A("a"), I(1), I(2), I(3), F(1.0), I(4)),
              "#{2 => 3,1.0 => 4,a => 1}",
              "#{2 => 3,1.0 => 4,a => 1}",
              "#{2 => 3,1.0 => 4,a => 1}",
              "#{2 => 3,1.0 => 4,...}",
              "#{2 => 3,1.0 => 4,...}",
              "#{2 => 3,1.0 => 4,a => 1}",
              "#{2 => 3,1.0 => 4,a => 1}",
              "#{2 => 3,1.0 => 4,a => 1}",
              "#{2=>3,1.000000e+00=>4,a=>1}");
}

/* list_to_pid("<0.42.0>") */
Test(term_print, pid)
{
    check_all(make_pid(42),
              "<0.42.0>",
              "<0.42.0>",
              "<0.42.0>",
              "<0.42.0>",
              "<0.42.0>",
              "<0.42.0>",
              "<0.42.0>",
              "<0.42.0>",
              "<0.42.0>");
}

/* list_to_port("#Port<0.7>") */
Test(term_print, port)
{
    check_all(make_port(7),
              "#Port<0.7>",
              "#Port<0.7>",
              "#Port<0.7>",
              "#Port<0.7>",
              "#Port<0.7>",
              "#Port<0.7>",
              "#Port<0.7>",
              "#Port<0.7>",
              "#Port<0.7>");
}

/* lists:seq(1, 40) */
Test(term_print, list40)
{
    check_all(SEQ(1, 40),
              "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]",
              "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n"
              " 29,30,31,32,33,34,35,36,37,38,39,40]",
              "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n"
              " 29,30,31,32,33,34,35,36,37,38,39,40]",
              "[1,2|...]",
              "[1,2|...]",
              "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n"
              " 29,30,31,32,33,34,35,36,37,38,39,40]",
              "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,\n"
              " 16,17,18,19,20,21,22,23,24,25,26,27,\n"
              " 28,29,30,31,32,33,34,35,36,37,38,39,\n"
              " 40]",
              "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,\n"
              "                              20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,\n"
              "                              36,37,38,39,40]",
              "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40]");
}

/* {record_name, field1, [x,y,z], lists:seq(1,25)} */
Test(term_print, tagged)
{
    check_all(T(4, A("record_name"), A("field1"), L(3, A("x"), A("y"), A("z")), SEQ(1, 25)),
              "{record_name,field1,[x,y,z],[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]}",
              "{record_name,field1,\n"
              "             [x,y,z],\n"
              "             [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,\n"
              "              25]}",
              "{record_name,field1,\n"
              "             [x,y,z],\n"
              "             [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,\n"
              "              25]}",
              "{record_name,field1,...}",
              "{record_name,field1,...}",
              "{record_name,field1,\n"
              "             [x,y,z],\n"
              "             [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,\n"
              "              25]}",
              "{record_name,field1,\n"
              "             [x,y,z],\n"
              "             [1,2,3,4,5,6,7,8,9,10,11,\n"
              "              12,13,14,15,16,17,18,19,\n"
              "              20,21,22,23,24,25]}",
              "{record_name,field1,\n"
              "                                 [x,y,z],\n"
              "                                 [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,\n"
              "                                  18,19,20,21,22,23,24,25]}",
              "{record_name,field1,[x,y,z],[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]}");
}

/* {a_very_long_tag_name_here, {nested, [1,2,3], "string"}, #{key => value, other => [1,2,3]}} */
Test(term_print, nested)
{
    check_all(T(3, A("a_very_long_tag_name_here"), T(3, A("nested"), L(3, I(1), I(2), I(3)), S("string")), M(2, A("key"), A("value"), A("other"), L(3, I(1), I(2), I(3)))),
              "{a_very_long_tag_name_here,{nested,[1,2,3],[115,116,114,105,110,103]},#{key => value,other => [1,2,3]}}",
              "{a_very_long_tag_name_here,{nested,[1,2,3],\"string\"},\n"
              "                           #{key => value,other => [1,2,3]}}",
              "{a_very_long_tag_name_here,{nested,[1,2,3],\"string\"},\n"
              "                           #{key => value,other => [1,2,3]}}",
              "{a_very_long_tag_name_here,{...},...}",
              "{a_very_long_tag_name_here,{...},...}",
              "{a_very_long_tag_name_here,{nested,[1,2,3],[115,116,114,105,110,103]},\n"
              "                           #{key => value,other => [1,2,3]}}",
              "{a_very_long_tag_name_here,\n"
              "    {nested,[1,2,3],\"string\"},\n"
              "    #{key => value,other => [1,2,3]}}",
              "{a_very_long_tag_name_here,\n"
              "                                 {nested,[1,2,3],\"string\"},\n"
              "                                 #{key => value,other => [1,2,3]}}",
              "{a_very_long_tag_name_here,{nested,[1,2,3],\"string\"},#{key=>value,other=>[1,2,3]}}");
}

/* #{a => 1, b => "two", c => {three, 3}, d => lists:seq(1,20)} */
Test(term_print, bigmap)
{
    check_all(M(4, A("a"), I(1), A("b"), S("two"), A("c"), T(2, A("three"), I(3)), A("d"), SEQ(1, 20)),
              "#{a => 1,b => [116,119,111],c => {three,3},d => [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}",
              "#{a => 1,b => \"two\",\n"
              "  c => {three,3},\n"
              "  d => [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}",
              "#{a => 1,b => \"two\",\n"
              "  c => {three,3},\n"
              "  d => [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}",
              "#{a => 1,b => \"two\",...}",
              "#{a => 1,b => [116|...],...}",
              "#{a => 1,\n"
              "  b => [116,119,111],\n"
              "  c => {three,3},\n"
              "  d => [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}",
              "#{a => 1,b => \"two\",\n"
              "  c => {three,3},\n"
              "  d =>\n"
              "      [1,2,3,4,5,6,7,8,9,10,11,12,13,\n"
              "       14,15,16,17,18,19,20]}",
              "#{a => 1,b => \"two\",\n"
              "                               c => {three,3},\n"
              "                               d =>\n"
              "                                   [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,\n"
              "                                    18,19,20]}",
              "#{a=>1,b=>\"two\",c=>{three,3},d=>[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}");
}

/* list_to_binary(lists:seq(0, 100)) */
Test(term_print, longbin)
{
    check_all(BSEQ(0, 100),
              "<<0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100>>",
              "<<0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n"
              "  29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,\n"
              "  54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,\n"
              "  79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100>>",
              "<<0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n"
              "  29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,\n"
              "  54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,\n"
              "  79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100>>",
              "<<0,1,...>>",
              "<<0,1,...>>",
              "<<0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n"
              "  29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,\n"
              "  54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,\n"
              "  79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100>>",
              "<<0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,\n"
              "  15,16,17,18,19,20,21,22,23,24,25,26,\n"
              "  27,28,29,30,31,32,33,34,35,36,37,38,\n"
              "  39,40,41,42,43,44,45,46,47,48,49,50,\n"
              "  51,52,53,54,55,56,57,58,59,60,61,62,\n"
              "  63,64,65,66,67,68,69,70,71,72,73,74,\n"
              "  75,76,77,78,79,80,81,82,83,84,85,86,\n"
              "  87,88,89,90,91,92,93,94,95,96,97,98,\n"
              "  99,100>>",
              "<<0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,\n"
              "                               19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,\n"
              "                               35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,\n"
              "                               51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,\n"
              "                               67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,\n"
              "                               83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,\n"
              "                               99,100>>",
              "<<0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100>>");
}

/* [{"name" ++ integer_to_list(I), I * I} || I <- lists:seq(1, 12)] */
Test(term_print, pairs)
{
    check_all(PAIRS(12),
              "[{[110,97,109,101,49],1},{[110,97,109,101,50],4},{[110,97,109,101,51],9},{[110,97,109,101,52],16},{[110,97,109,101,53],25},{[110,97,109,101,54],36},{[110,97,109,101,55],49},{[110,97,109,101,56],64},{[110,97,109,101,57],81},{[110,97,109,101,49,48],100},{[110,97,109,101,49,49],121},{[110,97,109,101,49,50],144}]",
              "[{\"name1\",1},\n"
              " {\"name2\",4},\n"
              " {\"name3\",9},\n"
              " {\"name4\",16},\n"
              " {\"name5\",25},\n"
              " {\"name6\",36},\n"
              " {\"name7\",49},\n"
              " {\"name8\",64},\n"
              " {\"name9\",81},\n"
              " {\"name10\",100},\n"
              " {\"name11\",121},\n"
              " {\"name12\",144}]",
              "[{\"name1\",1},\n"
              " {\"name2\",4},\n"
              " {\"name3\",9},\n"
              " {\"name4\",16},\n"
              " {\"name5\",25},\n"
              " {\"name6\",36},\n"
              " {\"name7\",49},\n"
              " {\"name8\",64},\n"
              " {\"name9\",81},\n"
              " {\"name10\",100},\n"
              " {\"name11\",121},\n"
              " {\"name12\",144}]",
              "[{[...],...},{...}|...]",
              "[{[...],...},{...}|...]",
              "[{[110,97,109,101,49],1},\n"
              " {[110,97,109,101,50],4},\n"
              " {[110,97,109,101,51],9},\n"
              " {[110,97,109,101,52],16},\n"
              " {[110,97,109,101,53],25},\n"
              " {[110,97,109,101,54],36},\n"
              " {[110,97,109,101,55],49},\n"
              " {[110,97,109,101,56],64},\n"
              " {[110,97,109,101,57],81},\n"
              " {[110,97,109,101,49,48],100},\n"
              " {[110,97,109,101,49,49],121},\n"
              " {[110,97,109,101,49,50],144}]",
              "[{\"name1\",1},\n"
              " {\"name2\",4},\n"
              " {\"name3\",9},\n"
              " {\"name4\",16},\n"
              " {\"name5\",25},\n"
              " {\"name6\",36},\n"
              " {\"name7\",49},\n"
              " {\"name8\",64},\n"
              " {\"name9\",81},\n"
              " {\"name10\",100},\n"
              " {\"name11\",121},\n"
              " {\"name12\",144}]",
              "[{\"name1\",1},\n"
              "                              {\"name2\",4},\n"
              "                              {\"name3\",9},\n"
              "                              {\"name4\",16},\n"
              "                              {\"name5\",25},\n"
              "                              {\"name6\",36},\n"
              "                              {\"name7\",49},\n"
              "                              {\"name8\",64},\n"
              "                              {\"name9\",81},\n"
              "                              {\"name10\",100},\n"
              "                              {\"name11\",121},\n"
              "                              {\"name12\",144}]",
              "[{\"name1\",1},{\"name2\",4},{\"name3\",9},{\"name4\",16},{\"name5\",25},{\"name6\",36},{\"name7\",49},{\"name8\",64},{\"name9\",81},{\"name10\",100},{\"name11\",121},{\"name12\",144}]");
}

/* {a, [{b, [{c, [{d, lists:seq(1, 30)}]}]}]} */
Test(term_print, deep_tuple)
{
    check_all(T(2, A("a"), L(1, T(2, A("b"), L(1, T(2, A("c"), L(1, T(2, A("d"), SEQ(1, 30)))))))),
              "{a,[{b,[{c,[{d,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30]}]}]}]}",
              "{a,[{b,[{c,[{d,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,\n"
              "                24,25,26,27,28,29,30]}]}]}]}",
              "{a,[{b,[{c,[{d,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,\n"
              "                24,25,26,27,28,29,30]}]}]}]}",
              "{a,[...]}",
              "{a,[...]}",
              "{a,[{b,[{c,[{d,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,\n"
              "                24,25,26,27,28,29,30]}]}]}]}",
              "{a,[{b,[{c,[{d,[1,2,3,4,5,6,7,8,9,10,\n"
              "                11,12,13,14,15,16,17,\n"
              "                18,19,20,21,22,23,24,\n"
              "                25,26,27,28,29,\n"
              "                30]}]}]}]}",
              "{a,\n"
              "                              [{b,\n"
              "                                [{c,\n"
              "                                  [{d,\n"
              "                                    [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,\n"
              "                                     17,18,19,20,21,22,23,24,25,26,27,28,29,\n"
              "                                     30]}]}]}]}",
              "{a,[{b,[{c,[{d,[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30]}]}]}]}");
}

/* ["first string here", "second string here", "a third, rather longer string than the others"] */
Test(term_print, strings_list)
{
    check_all(L(3, S("first string here"), S("second string here"), S("a third, rather longer string than the others")),
              "[[102,105,114,115,116,32,115,116,114,105,110,103,32,104,101,114,101],[115,101,99,111,110,100,32,115,116,114,105,110,103,32,104,101,114,101],[97,32,116,104,105,114,100,44,32,114,97,116,104,101,114,32,108,111,110,103,101,114,32,115,116,114,105,110,103,32,116,104,97,110,32,116,104,101,32,111,116,104,101,114,115]]",
              "[\"first string here\",\"second string here\",\n"
              " \"a third, rather longer string than the others\"]",
              "[\"first string here\",\"second string here\",\n"
              " \"a third, rather longer string than the others\"]",
              "[\"first string here\",[...]|...]",
              "[[102|...],[...]|...]",
              "[[102,105,114,115,116,32,115,116,114,105,110,103,32,104,101,114,101],\n"
              " [115,101,99,111,110,100,32,115,116,114,105,110,103,32,104,101,114,101],\n"
              " [97,32,116,104,105,114,100,44,32,114,97,116,104,101,114,32,108,111,110,103,\n"
              "  101,114,32,115,116,114,105,110,103,32,116,104,97,110,32,116,104,101,32,111,\n"
              "  116,104,101,114,115]]",
              "[\"first string here\",\n"
              " \"second string here\",\n"
              " \"a third, rather longer string than the others\"]",
              "[\"first string here\",\"second string here\",\n"
              "                              \"a third, rather longer string than the others\"]",
              "[\"first string here\",\"second string here\",\"a third, rather longer string than the others\"]");
}

/* [lists:seq(100,120), x | lists:seq(1,30)] */
Test(term_print, improper_wrap)
{
    check_all(LT(SEQ(1, 30), 2, SEQ(100, 120), A("x")),
              "[[100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120],x,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30]",
              "[\"defghijklmnopqrstuvwx\",x,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,\n"
              " 21,22,23,24,25,26,27,28,29,30]",
              "[\"defghijklmnopqrstuvwx\",x,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,\n"
              " 21,22,23,24,25,26,27,28,29,30]",
              "[\"defghijklmnopqrstuvwx\",x|...]",
              "[[100|...],x|...]",
              "[[100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,\n"
              "  119,120],\n"
              " x,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n"
              " 29,30]",
              "[\"defghijklmnopqrstuvwx\",x,1,2,3,4,5,\n"
              " 6,7,8,9,10,11,12,13,14,15,16,17,18,\n"
              " 19,20,21,22,23,24,25,26,27,28,29,30]",
              "[\"defghijklmnopqrstuvwx\",x,1,2,3,4,5,6,7,8,9,10,\n"
              "                              11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,\n"
              "                              27,28,29,30]",
              "[\"defghijklmnopqrstuvwx\",x,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30]");
}

/* ---- funs, references, floats, integers, and terms too big to recurse on ---- */

/* fun() -> ok end in module 'Mod' (FunT index 3), fun lists:map/2, fun 'a@b':'fun'/0 */
Test(term_print, funs)
{
    static FunEntry fe;
    static Export map2, odd;
    fe = (FunEntry){.module = A("Mod"), .index = 3, .old_uniq = 12345678};
    map2 = (Export){.module = A("lists"), .function = A("map"), .arity = 2};
    odd = (Export){.module = A("a@b"), .function = A("fun"), .arity = 0};
    Term *hp = words(4);
    hp[0] = make_header(3, HDR_FUN);
    hp[1] = (Term)&fe;
    hp[2] = make_pid(1);
    hp[3] = I(7);
    Term local = make_boxed(hp);
    hp = words(2);
    hp[0] = make_header(1, HDR_EXPORT);
    hp[1] = (Term)&map2;
    Term ext = make_boxed(hp);
    hp = words(2);
    hp[0] = make_header(1, HDR_EXPORT);
    hp[1] = (Term)&odd;
    Term ext2 = make_boxed(hp);
    check_all(L(3, local, ext, ext2), "[#Fun<Mod.3.12345678>,fun lists:map/2,fun 'a@b':fun/0]",
              "[#Fun<Mod.3.12345678>,fun lists:map/2,fun 'a@b':fun/0]",
              "[#Fun<Mod.3.12345678>,fun lists:map/2,fun 'a@b':fun/0]", "[#Fun<Mod.3.12345678>,fun lists:map/2|...]",
              "[#Fun<Mod.3.12345678>,fun lists:map/2|...]", "[#Fun<Mod.3.12345678>,fun lists:map/2,fun 'a@b':fun/0]",
              "[#Fun<Mod.3.12345678>,fun lists:map/2,\n fun 'a@b':fun/0]",
              "[#Fun<Mod.3.12345678>,fun lists:map/2,\n"
              "                              fun 'a@b':fun/0]",
              "[#Fun<Mod.3.12345678>,fun lists:map/2,fun 'a@b':fun/0]");
}

Test(term_print, references)
{
    Term *hp = words(1 + REF_WORDS);
    hp[0] = make_header(REF_WORDS, HDR_REF);
    hp[1] = ((Term)2860192665u << 32) | 2232418305u;
    hp[2] = 172612;
    StrBuf sb;
    sb_init(&sb);
    term_write(&sb, make_boxed(hp));
    expect_text("~w", &sb, "#Ref<0.172612.2860192665.2232418305>");
    sb_free(&sb);
}

/* float_to_list(F, [short]) as printed by erl for each value. */
Test(term_print, floats)
{
    static const struct { double d; const char *text; } cases[] = {
        {0.0, "0.0"}, {1.0, "1.0"}, {10.0, "10.0"}, {100.0, "100.0"}, {1000.0, "1.0e3"},
        {1.0e4, "1.0e4"}, {1.0e15, "1.0e15"}, {1.0e16, "1.0e16"}, {1.0e23, "1.0e23"},
        {123456.0, "123456.0"}, {1234567.0, "1234567.0"}, {123456789012345.0, "123456789012345.0"},
        {12345678901234567.0, "1.2345678901234568e16"}, {1.5e10, "1.5e10"}, {1.25e10, "1.25e10"},
        {1.2e3, "1.2e3"}, {0.01, "0.01"}, {0.001, "0.001"}, {1.0e-5, "1.0e-5"}, {1.0e-7, "1.0e-7"},
        {0.0015, "0.0015"}, {1.5e-4, "1.5e-4"}, {1.23e-4, "1.23e-4"}, {0.000123456, "1.23456e-4"},
        {3.14159, "3.14159"}, {2.718281828459045, "2.718281828459045"}, {2.0 / 3.0, "0.6666666666666666"},
        {2.2250738585072014e-308, "2.2250738585072014e-308"}, {9007199254740993.0, "9.007199254740992e15"},
        {4.35, "4.35"}, {100.5, "100.5"}, {5.0e20, "5.0e20"}, {1.0e100, "1.0e100"}, {1.0e-100, "1.0e-100"},
        {1.23456e9, "1.23456e9"}, {-2.5, "-2.5"}, {-1.0e-10, "-1.0e-10"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        StrBuf sb;
        sb_init(&sb);
        term_write_float(&sb, cases[i].d);
        cr_expect_str_eq(sb.data, cases[i].text, "%.17g", cases[i].d);
        sb_free(&sb);
    }
}

Test(term_print, integers_in_bases)
{
    static const struct { unsigned base; bool lower; const char *text; } cases[] = {
        {16, false, "-FF"}, {16, true, "-ff"}, {2, false, "-11111111"}, {36, false, "-73"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        StrBuf sb;
        sb_init(&sb);
        term_write_integer(&sb, I(-255), cases[i].base, cases[i].lower);
        expect_text("integer", &sb, cases[i].text);
        sb_free(&sb);
    }
    StrBuf sb;
    sb_init(&sb);
    term_write_integer(&sb, BIG(true, 2, 0xABCull, 0x1ull), 16, true);
    expect_text("bignum", &sb, "-10000000000000abc");
    sb_free(&sb);
}

/* [[[...[]...]]] a million deep: printed without recursing, the same by every printer. */
Test(term_print, deep_nesting)
{
    enum { DEPTH = 1000000 };
    Term t = NIL;
    for (int i = 0; i < DEPTH; i++) t = cons(t, NIL);
    StrBuf expected, sb;
    sb_init(&expected);
    for (int i = 0; i < DEPTH; i++) sb_putc(&expected, '[');
    sb_puts(&expected, "[]");
    for (int i = 0; i < DEPTH; i++) sb_putc(&expected, ']');
    sb_init(&sb);
    term_write(&sb, t);
    expect_text("~w", &sb, expected.data);
    sb.len = 0;
    term_print(&sb, t, 1, 80);
    expect_text("~p", &sb, expected.data);
    sb.len = 0;
    term_display(&sb, t);
    expect_text("display", &sb, expected.data);
    sb_free(&sb);
    sb_free(&expected);
}

/* A long list wraps into rows that end in a comma and never pass column 80. */
Test(term_print, long_list)
{
    Term t = SEQ(1, 200000);
    StrBuf sb;
    sb_init(&sb);
    term_print(&sb, t, 1, 80);
    cr_assert(strncmp(sb.data, "[1,2,3,", 7) == 0);
    cr_assert(strcmp(sb.data + sb.len - 8, ",200000]") == 0);
    size_t lines = 0;
    for (const char *line = sb.data; line; lines++) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        cr_assert_leq(len, 79);
        cr_assert(line == sb.data || line[0] == ' ');
        line = nl ? nl + 1 : NULL;
    }
    cr_assert_gt(lines, 10000);
    sb_free(&sb);
}
