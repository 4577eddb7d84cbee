/*
 * test_io_format.c - io_lib:format/2 (io_format.c).
 *
 * Every expected text was produced by OTP 25: io_lib:format with the
 * format and arguments in the comment above the test, as UTF-8.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "runtime/atom.h"
#include "runtime/io_format.h"
#include "term_build.h"

/* ---- building terms in a static arena ---- */

static void setup(void)
{
    atom_init();
    tb_reset();
}

TestSuite(io_format, .init = setup);

/* ---- checking ---- */

static void expect_format(Term format, Term args, const char *expected)
{
    StrBuf sb;
    Term reason = THE_NON_VALUE;
    sb_init(&sb);
    cr_assert_eq(io_format(&sb, format, args, &reason), 0, "expected \"%s\", got an error", expected);
    cr_expect_str_eq(sb.data ? sb.data : "", expected);
    sb_free(&sb);
}

/* A failed call raises badarg and leaves the buffer as it was. */
static void expect_badarg(Term format, Term args)
{
    StrBuf sb;
    Term reason = THE_NON_VALUE;
    sb_init(&sb);
    sb_puts(&sb, "before");
    cr_expect_eq(io_format(&sb, format, args, &reason), -1, "no error; made \"%s\"", sb.data);
    cr_expect_eq(reason, AM_badarg);
    cr_expect_str_eq(sb.data, "before");
    sb_free(&sb);
}

/* ---- the cases ---- */

/* io_lib:format("~w ~p~n", [a, "bc"]) */
Test(io_format, w_and_p)
{
    expect_format(S("~w ~p~n"), L(2, A("a"), S("bc")),
                  "a \"bc\"\n");
}

/* io_lib:format('atom ~w', [1]) */
Test(io_format, atom_format)
{
    expect_format(A("atom ~w"), L(1, I(1)),
                  "atom 1");
}

/* io_lib:format(<<"bin ~w é"/utf8>>, [1]) */
Test(io_format, binary_format_is_bytes)
{
    expect_format(B("bin ~w \303\251", 9), L(1, I(1)),
                  "bin 1 \303\203\302\251");
}

/* io_lib:format(["abc", <<"def">>], []) */
Test(io_format, literal_elements)
{
    expect_format(L(2, S("abc"), B("def", 3)), NIL,
                  "abcdef");
}

/* io_lib:format("~5c|~-5c|~.3c|~5.3c", [$a, $b, $c, $d]) */
Test(io_format, char_fields)
{
    expect_format(S("~5c|~-5c|~.3c|~5.3c"), L(4, I(97), I(98), I(99), I(100)),
                  "aaaaa|bbbbb|ccc|  ddd");
}

/* io_lib:format("~c~tc~c", [1000, 1000, -1]) */
Test(io_format, char_latin1_and_unicode)
{
    expect_format(S("~c~tc~c"), L(3, I(1000), I(1000), I(-1)),
                  "\303\250\317\250\303\277");
}

/* io_lib:format("~3n|~5~|~-5~", []) */
Test(io_format, newline_and_tilde)
{
    expect_format(S("~3n|~5~|~-5~"), NIL,
                  "\n"
                  "\n"
                  "\n"
                  "|~~~~~|~~~~~");
}

/* io_lib:format("~b ~B ~x ~X ~# ~+", [255, 255, 255, "0x", 255, "0X", 255, 255]) */
Test(io_format, integer_controls)
{
    expect_format(S("~b ~B ~x ~X ~# ~+"), L(8, I(255), I(255), I(255), S("0x"), I(255), S("0X"), I(255), I(255)),
                  "255 255 0x255 0X255 10#255 10#255");
}

/* io_lib:format("~.16b ~.16B ~.2B ~.36B ~.16x", [-255, 255, -5, 1295, 255, abc]) */
Test(io_format, integer_bases)
{
    expect_format(S("~.16b ~.16B ~.2B ~.36B ~.16x"), L(6, I(-255), I(255), I(-5), I(1295), I(255), A("abc")),
                  "-ff FF -101 ZZ abcff");
}

/* io_lib:format("~8.16.0B|~-8.16.0B|~3.16B", [255, 255, 1 bsl 64]) */
Test(io_format, integer_padding)
{
    expect_format(S("~8.16.0B|~-8.16.0B|~3.16B"), L(3, I(255), I(255), BIG(false, 2, 0ull, 1ull)),
                  "000000FF|FF000000|***");
}

/* io_lib:format("~.16#|~.16+", [-(1 bsl 64), 255]) */
Test(io_format, prefixed_bignum)
{
    expect_format(S("~.16#|~.16+"), L(2, BIG(true, 2, 0ull, 1ull), I(255)),
                  "-16#10000000000000000|16#ff");
}

/* io_lib:format("~e ~f ~g", [1.0, 1.0, 1.0]) */
Test(io_format, float_defaults)
{
    expect_format(S("~e ~f ~g"), L(3, F(1.0), F(1.0), F(1.0)),
                  "1.00000e+0 1.000000 1.00000");
}

/* io_lib:format("~e ~f ~g", [123.456, 123.456, 123.456]) */
Test(io_format, float_defaults_2)
{
    expect_format(S("~e ~f ~g"), L(3, F(123.456), F(123.456), F(123.456)),
                  "1.23456e+2 123.456000 123.456");
}

/* io_lib:format("~.2e ~.2f ~.2g", [0.125, 0.125, 0.125]) */
Test(io_format, float_round_half_up)
{
    expect_format(S("~.2e ~.2f ~.2g"), L(3, F(0.125), F(0.125), F(0.125)),
                  "1.3e-1 0.13 0.13");
}

/* io_lib:format("~10.3f|~-10.3f|~10.3.xf|~3.3f", [3.14159, 3.14159, 3.14159, 3.14159]) */
Test(io_format, float_fields)
{
    expect_format(S("~10.3f|~-10.3f|~10.3.xf|~3.3f"), L(4, F(3.14159), F(3.14159), F(3.14159), F(3.14159)),
                  "     3.142|3.142     |xxxxx3.142|***");
}

/* io_lib:format("~f ~e ~g", [-0.0, -0.0, -0.0]) */
Test(io_format, float_negative_zero)
{
    expect_format(S("~f ~e ~g"), L(3, F(-0.0), F(-0.0), F(-0.0)),
                  "-0.000000 -0.00000e+0 -0.00000e+0");
}

/* io_lib:format("~g ~g ~g ~g ~g ~g ~g", [0.05, 0.5, 5.0, 50.0, 500.0, 5000.0, 50000.0]) */
Test(io_format, g_ranges)
{
    expect_format(S("~g ~g ~g ~g ~g ~g ~g"), L(7, F(0.05), F(0.5), F(5.0), F(50.0), F(500.0), F(5000.0), F(50000.0)),
                  "5.00000e-2 0.500000 5.00000 50.0000 500.000 5000.00 5.00000e+4");
}

/* io_lib:format("~.1g ~.2g ~.3g ~e ~.3e ~f ~f", [0.5, 55.5, 0.001, 9.9999999, 9.9996, 1.0e-7, 1.0e20]) */
Test(io_format, float_precision)
{
    expect_format(S("~.1g ~.2g ~.3g ~e ~.3e ~f ~f"), L(7, F(0.5), F(55.5), F(0.001), F(9.9999999), F(9.9996), F(1.0e-7), F(1.0e20)),
                  "0.5 5.6e+1 1.00e-3 1.00000e+1 1.00e+1 0.000000 100000000000000000000.000000");
}

/* io_lib:format("~s|~s|~s", [abc, [$a, <<"bc">>, [$d]], <<"é"/utf8>>]) */
Test(io_format, string_arguments)
{
    expect_format(S("~s|~s|~s"), L(3, A("abc"), L(3, I(97), B("bc", 2), L(1, I(100))), B("\303\251", 2)),
                  "abc|abcd|\303\203\302\251");
}

/* io_lib:format("~ts|~ts|~ts", [<<"é"/utf8>>, [1024], <<255>>]) */
Test(io_format, unicode_strings)
{
    expect_format(S("~ts|~ts|~ts"), L(3, B("\303\251", 2), L(1, I(1024)), B("\377", 1)),
                  "\303\251|\320\200|\303\277");
}

/* io_lib:format("~5s|~-5s|~.2s|~5.2s|~2s|~.5s|~7.5s|~7.5.xs|~-7.5.xs", ["abc", "abc", "abc", "abc", "abc", "abc", "abc", "abc", "abc"]) */
Test(io_format, string_fields)
{
    expect_format(S("~5s|~-5s|~.2s|~5.2s|~2s|~.5s|~7.5s|~7.5.xs|~-7.5.xs"), L(9, S("abc"), S("abc"), S("abc"), S("abc"), S("abc"), S("abc"), S("abc"), S("abc"), S("abc")),
                  "  abc|abc  |ab|   ab|ab|abc  |  abc  |xxabcxx|abcxxxx");
}

/* io_lib:format("~*s|~*s|~-*s|~.*s|~*.*s|~5.2.*s", [5, "ab", -5, "ab", 5, "ab", 2, "abc", 6, 2, "abc", $x, "a"]) */
Test(io_format, star_arguments)
{
    expect_format(S("~*s|~*s|~-*s|~.*s|~*.*s|~5.2.*s"), L(13, I(5), S("ab"), I(-5), S("ab"), I(5), S("ab"), I(2), S("abc"), I(6), I(2), S("abc"), I(120), S("a")),
                  "   ab|ab   |ab   |ab|    ab|xxxax");
}

/* io_lib:format("~i~w ~W ~P", [a, b, lists:seq(1,5), 3, lists:seq(1,5), 3]) */
Test(io_format, ignore_and_depth)
{
    expect_format(S("~i~w ~W ~P"), L(6, A("a"), A("b"), SEQ(1, 5), I(3), SEQ(1, 5), I(3)),
                  "b [1,2|...] [1,2|...]");
}

/* io_lib:format("~10w|~-10w|~3w|~10.3w|~.3w|~-10.3.0w", [abc, abc, abcdef, abcdef, abcdef, abcdef]) */
Test(io_format, term_fields)
{
    expect_format(S("~10w|~-10w|~3w|~10.3w|~.3w|~-10.3.0w"), L(6, A("abc"), A("abc"), A("abcdef"), A("abcdef"), A("abcdef"), A("abcdef")),
                  "       abc|abc       |***|       ***|***|***0000000");
}

/* io_lib:format("~lp ~tlp ~10p| ~.5p| ~5p| ~0p", ["ab", "ab", abc, {aaaa, bbbbbbbb}, {aaaa, bbbbbbbb}, lists:seq(1,30)]) */
Test(io_format, p_options)
{
    expect_format(S("~lp ~tlp ~10p| ~.5p| ~5p| ~0p"), L(6, S("ab"), S("ab"), A("abc"), T(2, A("aaaa"), A("bbbbbbbb")), T(2, A("aaaa"), A("bbbbbbbb")), SEQ(1, 30)),
                  "[97,98] [97,98] abc| {aaaa,bbbbbbbb}| {aaaa,\n"
                  "                                       bbbbbbbb}| [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30]");
}

/* io_lib:format("abcdefghij~p~n\t~p", [lists:seq(1, 30), lists:seq(1,30)]) */
Test(io_format, p_column_follows_text)
{
    expect_format(S("abcdefghij~p~n\t~p"), L(2, SEQ(1, 30), SEQ(1, 30)),
                  "abcdefghij[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,\n"
                  "           26,27,28,29,30]\n"
                  "\011[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,\n"
                  "         27,28,29,30]");
}

/* io_lib:format("abc~s~p", ["de\nfgh", lists:seq(1,30)]) */
Test(io_format, p_column_after_newline_in_s)
{
    expect_format(S("abc~s~p"), L(2, S("de\nfgh"), SEQ(1, 30)),
                  "abcde\n"
                  "fgh[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,\n"
                  "    28,29,30]");
}

/* io_lib:format([$a, "bcdefghijklmnopqrstuvwxyz", $~, $p], [lists:seq(1,30)]) */
Test(io_format, p_column_counts_literal_as_one)
{
    expect_format(L(4, I(97), S("bcdefghijklmnopqrstuvwxyz"), I(126), I(112)), L(1, SEQ(1, 30)),
                  "abcdefghijklmnopqrstuvwxyz[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,\n"
                  "   29,30]");
}

/* io_lib:format("~tw ~w ~ts", ['\x{400}', '\x{400}', '\x{400}']) */
Test(io_format, unicode_atoms)
{
    expect_format(S("~tw ~w ~ts"), L(3, A("\320\200"), A("\320\200"), A("\320\200")),
                  "'\320\200' '\\x{400}' \320\200");
}

/* io_lib:format("~.0tc", [1 bsl 64]) */
Test(io_format, unprinted_bad_char)
{
    expect_format(S("~.0tc"), L(1, BIG(false, 2, 0ull, 1ull)),
                  "");
}

/* Each of these raises badarg in OTP 25. */
Test(io_format, errors)
{
    expect_badarg(S("~p"), NIL);
    expect_badarg(S("~p"), L(2, A("a"), A("b")));
    expect_badarg(S("~"), NIL);
    expect_badarg(S("abc~"), NIL);
    expect_badarg(S("~5"), L(1, A("a")));
    expect_badarg(S("~z"), L(1, A("a")));
    expect_badarg(S("~w"), A("x"));
    expect_badarg(S("~w"), LT(A("b"), 1, A("a")));
    expect_badarg(L(2, A("a"), A("b")), NIL);
    expect_badarg(L(2, S("abc"), S("~p")), L(1, A("x")));
    expect_badarg(S("~-3n"), NIL);
    expect_badarg(S("~.37b"), L(1, I(1)));
    expect_badarg(S("~.1b"), L(1, I(1)));
    expect_badarg(S("~b"), L(1, F(1.0)));
    expect_badarg(S("~x"), L(2, I(1), I(2)));
    expect_badarg(S("~.0f"), L(1, F(1.5)));
    expect_badarg(S("~.1e"), L(1, F(1.5)));
    expect_badarg(S("~e"), L(1, I(1)));
    expect_badarg(S("~s"), L(1, I(1)));
    expect_badarg(S("~s"), L(1, L(1, I(1024))));
    expect_badarg(S("~s"), L(1, A("\320\200")));
    expect_badarg(S("~ts"), L(1, L(1, I(-1))));
    expect_badarg(S("~-5p"), L(1, A("a")));
    expect_badarg(S("~W"), L(2, A("a"), A("b")));
    expect_badarg(S("~*c"), L(2, A("a"), I(120)));
    expect_badarg(S("~5.2.*s"), L(2, S("abc"), I(120)));
    expect_badarg(S("~3.5c"), L(1, I(97)));
    expect_badarg(S("~tc"), L(1, BIG(false, 2, 0ull, 1ull)));
    expect_badarg(I(1), NIL);
}
