/*
 * test_bif_term.c - term, tuple, atom, list and process-dictionary BIFs
 * (bif_term.c, bif_atom.c, bif_list.c, pdict.c), called directly on a
 * process heap. Expected results and errors were checked against erl
 * (OTP 25).
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/loader/module.h"
#include "runtime/proc/pdict.h"
#include "runtime/term/term_cmp.h"

/* The lists-module BIFs, declared here too in case bifs_list.def does not list them yet. */
Term bif_lists_reverse_2(Process *p, const Term *args);
Term bif_lists_member_2(Process *p, const Term *args);
Term bif_lists_keyfind_3(Process *p, const Term *args);
Term bif_lists_keymember_3(Process *p, const Term *args);
Term bif_lists_keysearch_3(Process *p, const Term *args);

static Process proc;

static void setup(void)
{
    atom_init();
    memset(&proc, 0, sizeof proc);
    cr_assert_eq(heap_init(&proc, 0), 0);
    proc.dictionary = NIL;
    proc.group_leader = NIL;
    proc.fvalue = proc.ftrace = proc.fargs = THE_NON_VALUE;
}

static void teardown(void) { heap_destroy(&proc); }

TestSuite(bif_term, .init = setup, .fini = teardown);

#define CALL(fn, ...) fn(&proc, (const Term[]){__VA_ARGS__})
#define CALL0(fn) fn(&proc, NULL)

static Term S(intptr_t v) { return make_small(v); }
static Term A(const char *name) { return atom_from_cstr(name); }

static Term F(double d) { return make_float(heap_alloc(&proc, FLOAT_WORDS), d); }

static Term T(size_t n, ...)
{
    Term *hp = heap_alloc(&proc, 1 + n);
    hp[0] = make_tuple_header(n);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 1; i <= n; i++) hp[i] = va_arg(ap, Term);
    va_end(ap);
    return make_boxed(hp);
}

static Term cons(Term h, Term t)
{
    Term *hp = heap_alloc(&proc, 2);
    hp[0] = h;
    hp[1] = t;
    return make_list(hp);
}

static Term list_of(const Term *v, size_t n, Term tail)
{
    for (size_t i = n; i-- > 0;) tail = cons(v[i], tail);
    return tail;
}

#define L(...) list_of((const Term[]){__VA_ARGS__}, sizeof((const Term[]){__VA_ARGS__}) / sizeof(Term), NIL)
#define LT(tail, ...) list_of((const Term[]){__VA_ARGS__}, sizeof((const Term[]){__VA_ARGS__}) / sizeof(Term), tail)

/* A list of the small integers from..to (inclusive, step 1). */
static Term seq(intptr_t from, intptr_t to)
{
    Term l = NIL;
    for (intptr_t i = to; i >= from; i--) l = cons(S(i), l);
    return l;
}

/* Latin-1 text as a code-point list. */
static Term string(const char *s)
{
    Term l = NIL;
    for (size_t i = strlen(s); i-- > 0;) l = cons(S((unsigned char)s[i]), l);
    return l;
}

static void expect_same(Term got, Term want)
{
    cr_assert(is_value(got), "unexpected exception, reason %#lx", (unsigned long)proc.fvalue);
    cr_assert(term_eq_exact(got, want), "result differs from the expected term");
}

static void expect_error(Term got, Term reason)
{
    cr_assert_eq(got, THE_NON_VALUE, "expected an exception");
    cr_assert_eq(proc.freason, EXC_ERROR);
    cr_assert_eq(proc.fvalue, reason, "wrong reason: %s", is_atom(proc.fvalue) ? atom_text(proc.fvalue) : "?");
    proc.freason = EXC_NONE;
}

static size_t length_of(Term l)
{
    size_t n = 0;
    for (; is_list(l); l = list_tail(l)) n++;
    return n;
}

/* ---- tuples ---- */

Test(bif_term, element_and_setelement)
{
    Term t = T(3, A("a"), A("b"), A("c"));
    cr_assert_eq(CALL(bif_element_2, S(2), t), A("b"));
    expect_error(CALL(bif_element_2, S(4), t), AM_badarg);
    expect_error(CALL(bif_element_2, S(0), t), AM_badarg);
    expect_error(CALL(bif_element_2, F(1.0), t), AM_badarg);
    expect_error(CALL(bif_element_2, S(1), L(A("a"))), AM_badarg);
    expect_same(CALL(bif_setelement_3, S(3), t, S(7)), T(3, A("a"), A("b"), S(7)));
    expect_same(t, T(3, A("a"), A("b"), A("c"))); /* the original is untouched */
    expect_error(CALL(bif_setelement_3, S(0), t, S(7)), AM_badarg);
    expect_error(CALL(bif_setelement_3, S(1), L(A("a")), S(7)), AM_badarg);
}

Test(bif_term, sizes)
{
    cr_assert_eq(CALL(bif_tuple_size_1, T(0)), S(0));
    cr_assert_eq(CALL(bif_tuple_size_1, T(2, S(1), S(2))), S(2));
    expect_error(CALL(bif_tuple_size_1, L(S(1))), AM_badarg);
    cr_assert_eq(CALL(bif_size_1, T(1, S(1))), S(1));
    expect_error(CALL(bif_size_1, A("a")), AM_badarg);
    expect_error(CALL(bif_size_1, L(S(1))), AM_badarg);
    Term *bin = heap_alloc(&proc, 3); /* heap binary <<1,2,3>> */
    bin[0] = make_header(2, HDR_HEAP_BIN);
    bin[1] = 3;
    memcpy(bin + 2, "\1\2\3", 3);
    cr_assert_eq(CALL(bif_size_1, make_boxed(bin)), S(3));
}

Test(bif_term, make_tuple)
{
    expect_same(CALL(bif_make_tuple_2, S(3), A("x")), T(3, A("x"), A("x"), A("x")));
    expect_same(CALL(bif_make_tuple_2, S(0), A("x")), T(0));
    expect_error(CALL(bif_make_tuple_2, S(-1), A("x")), AM_badarg);
    expect_error(CALL(bif_make_tuple_2, S(16777216), A("x")), AM_badarg);
    expect_error(CALL(bif_make_tuple_2, F(1.0), A("x")), AM_badarg);
    /* later pairs win: erlang:make_tuple(3, a, [{1,b},{3,c},{1,d}]) =:= {d,a,c} */
    Term init = L(T(2, S(1), A("b")), T(2, S(3), A("c")), T(2, S(1), A("d")));
    expect_same(CALL(bif_make_tuple_3, S(3), A("a"), init), T(3, A("d"), A("a"), A("c")));
    expect_same(CALL(bif_make_tuple_3, S(0), A("a"), NIL), T(0));
    expect_error(CALL(bif_make_tuple_3, S(0), A("a"), L(T(2, S(1), A("b")))), AM_badarg);
    expect_error(CALL(bif_make_tuple_3, S(3), A("a"), L(T(2, S(4), A("b")))), AM_badarg);
    expect_error(CALL(bif_make_tuple_3, S(3), A("a"), LT(A("c"), T(2, S(1), A("b")))), AM_badarg);
    expect_error(CALL(bif_make_tuple_3, S(3), A("a"), L(T(3, S(1), A("b"), A("c")))), AM_badarg);
    expect_error(CALL(bif_make_tuple_3, S(3), A("a"), L(A("x"))), AM_badarg);
    expect_error(CALL(bif_make_tuple_3, S(2), A("a"), L(T(2, F(1.0), A("b")))), AM_badarg);
    expect_error(CALL(bif_make_tuple_3, S(2), A("a"), A("a")), AM_badarg);
}

Test(bif_term, append_delete_insert)
{
    Term t = T(2, A("a"), A("b"));
    expect_same(CALL(bif_append_element_2, t, A("c")), T(3, A("a"), A("b"), A("c")));
    expect_same(CALL(bif_append_element_2, T(0), A("c")), T(1, A("c")));
    expect_error(CALL(bif_append_element_2, A("a"), A("b")), AM_badarg);
    expect_same(CALL(bif_delete_element_2, S(1), t), T(1, A("b")));
    expect_same(CALL(bif_delete_element_2, S(2), t), T(1, A("a")));
    expect_same(CALL(bif_delete_element_2, S(1), T(1, A("a"))), T(0));
    expect_error(CALL(bif_delete_element_2, S(3), t), AM_badarg);
    expect_error(CALL(bif_delete_element_2, S(0), t), AM_badarg);
    expect_same(CALL(bif_insert_element_3, S(1), t, A("x")), T(3, A("x"), A("a"), A("b")));
    expect_same(CALL(bif_insert_element_3, S(2), t, A("x")), T(3, A("a"), A("x"), A("b")));
    expect_same(CALL(bif_insert_element_3, S(3), t, A("x")), T(3, A("a"), A("b"), A("x")));
    expect_same(CALL(bif_insert_element_3, S(1), T(0), A("x")), T(1, A("x")));
    expect_error(CALL(bif_insert_element_3, S(4), t, A("x")), AM_badarg);
    expect_error(CALL(bif_insert_element_3, S(0), t, A("x")), AM_badarg);
    expect_error(CALL(bif_insert_element_3, S(1), A("a"), A("x")), AM_badarg);
}

Test(bif_term, append_element_size_limit)
{
    Term big = CALL(bif_make_tuple_2, S(16777215), A("a"));
    cr_assert_eq(tuple_arity(big), 16777215u);
    expect_error(CALL(bif_append_element_2, big, A("b")), AM_badarg);
}

Test(bif_term, tuple_list_conversions)
{
    expect_same(CALL(bif_tuple_to_list_1, T(3, S(1), S(2), S(3))), seq(1, 3));
    cr_assert_eq(CALL(bif_tuple_to_list_1, T(0)), NIL);
    expect_error(CALL(bif_tuple_to_list_1, L(S(1))), AM_badarg);
    expect_same(CALL(bif_list_to_tuple_1, seq(1, 3)), T(3, S(1), S(2), S(3)));
    expect_same(CALL(bif_list_to_tuple_1, NIL), T(0));
    expect_error(CALL(bif_list_to_tuple_1, LT(A("b"), A("a"))), AM_badarg);
    expect_error(CALL(bif_list_to_tuple_1, A("a")), AM_badarg);
}

/* ---- booleans and type tests ---- */

Test(bif_term, boolean_operators)
{
    cr_assert_eq(CALL(bif_not_1, AM_true), AM_false);
    cr_assert_eq(CALL(bif_not_1, AM_false), AM_true);
    expect_error(CALL(bif_not_1, S(1)), AM_badarg);
    cr_assert_eq(CALL(bif_and_2, AM_true, AM_true), AM_true);
    cr_assert_eq(CALL(bif_and_2, AM_true, AM_false), AM_false);
    expect_error(CALL(bif_and_2, AM_false, S(1)), AM_badarg); /* no short cut */
    cr_assert_eq(CALL(bif_or_2, AM_false, AM_true), AM_true);
    cr_assert_eq(CALL(bif_or_2, AM_false, AM_false), AM_false);
    expect_error(CALL(bif_or_2, AM_true, S(1)), AM_badarg);
    cr_assert_eq(CALL(bif_xor_2, AM_true, AM_false), AM_true);
    cr_assert_eq(CALL(bif_xor_2, AM_true, AM_true), AM_false);
    expect_error(CALL(bif_xor_2, S(1), AM_false), AM_badarg);
}

Test(bif_term, type_tests)
{
    Term fl = F(1.5), tup = T(1, S(1)), lst = L(S(1));
    cr_assert_eq(CALL(bif_is_atom_1, A("a")), AM_true);
    cr_assert_eq(CALL(bif_is_atom_1, S(1)), AM_false);
    cr_assert_eq(CALL(bif_is_integer_1, S(1)), AM_true);
    cr_assert_eq(CALL(bif_is_integer_1, fl), AM_false);
    cr_assert_eq(CALL(bif_is_float_1, fl), AM_true);
    cr_assert_eq(CALL(bif_is_float_1, S(1)), AM_false);
    cr_assert_eq(CALL(bif_is_number_1, fl), AM_true);
    cr_assert_eq(CALL(bif_is_number_1, A("a")), AM_false);
    cr_assert_eq(CALL(bif_is_list_1, lst), AM_true);
    cr_assert_eq(CALL(bif_is_list_1, NIL), AM_true);
    cr_assert_eq(CALL(bif_is_list_1, tup), AM_false);
    cr_assert_eq(CALL(bif_is_tuple_1, tup), AM_true);
    cr_assert_eq(CALL(bif_is_tuple_1, lst), AM_false);
    cr_assert_eq(CALL(bif_is_pid_1, make_pid(3)), AM_true);
    cr_assert_eq(CALL(bif_is_pid_1, make_port(3)), AM_false);
    cr_assert_eq(CALL(bif_is_port_1, make_port(3)), AM_true);
    cr_assert_eq(CALL(bif_is_port_1, make_pid(3)), AM_false);
    Term *ref = heap_alloc(&proc, 1 + REF_WORDS);
    ref[0] = make_header(REF_WORDS, HDR_REF);
    ref[1] = ref[2] = 7;
    cr_assert_eq(CALL(bif_is_reference_1, make_boxed(ref)), AM_true);
    cr_assert_eq(CALL(bif_is_reference_1, tup), AM_false);
    cr_assert_eq(CALL(bif_is_boolean_1, AM_true), AM_true);
    cr_assert_eq(CALL(bif_is_boolean_1, AM_false), AM_true);
    cr_assert_eq(CALL(bif_is_boolean_1, A("maybe")), AM_false);
    cr_assert_eq(CALL(bif_is_map_1, tup), AM_false);
    Term *bin = heap_alloc(&proc, 2);
    bin[0] = make_header(1, HDR_HEAP_BIN);
    bin[1] = 0;
    cr_assert_eq(CALL(bif_is_binary_1, make_boxed(bin)), AM_true);
    cr_assert_eq(CALL(bif_is_bitstring_1, make_boxed(bin)), AM_true);
    cr_assert_eq(CALL(bif_is_binary_1, lst), AM_false);
    cr_assert_eq(CALL(bif_is_bitstring_1, tup), AM_false);
}

Test(bif_term, is_function)
{
    static FunEntry entry = {.arity = 1, .num_free = 1};
    static Export exp = {.arity = 2};
    Term *hp = heap_alloc(&proc, 4);
    hp[0] = make_header(3, HDR_FUN);
    hp[1] = (Term)&entry;
    hp[2] = make_pid(0);
    hp[3] = S(42); /* the free variable */
    Term closure = make_boxed(hp);
    hp = heap_alloc(&proc, 2);
    hp[0] = make_header(1, HDR_EXPORT);
    hp[1] = (Term)&exp;
    Term efun = make_boxed(hp);

    cr_assert_eq(CALL(bif_is_function_1, closure), AM_true);
    cr_assert_eq(CALL(bif_is_function_1, efun), AM_true);
    cr_assert_eq(CALL(bif_is_function_1, A("f")), AM_false);
    cr_assert_eq(CALL(bif_is_function_2, closure, S(1)), AM_true);
    cr_assert_eq(CALL(bif_is_function_2, closure, S(2)), AM_false);
    cr_assert_eq(CALL(bif_is_function_2, efun, S(2)), AM_true);
    cr_assert_eq(CALL(bif_is_function_2, efun, S(1)), AM_false);
    cr_assert_eq(CALL(bif_is_function_2, A("f"), S(0)), AM_false);
    expect_error(CALL(bif_is_function_2, closure, S(-1)), AM_badarg);
    expect_error(CALL(bif_is_function_2, A("f"), S(-1)), AM_badarg);
    expect_error(CALL(bif_is_function_2, closure, F(1.0)), AM_badarg);
    /* is_function(F, 1 bsl 70) is false; is_function(a, -(1 bsl 70)) is badarg */
    Term *big = heap_alloc(&proc, 3);
    big[0] = make_header(2, HDR_POS_BIG);
    big[1] = 0;
    big[2] = 64;
    cr_assert_eq(CALL(bif_is_function_2, closure, make_boxed(big)), AM_false);
    big[0] = make_header(2, HDR_NEG_BIG);
    expect_error(CALL(bif_is_function_2, A("f"), make_boxed(big)), AM_badarg);
}

/* ---- atoms ---- */

Test(bif_term, atom_to_list_gives_code_points)
{
    expect_same(CALL(bif_atom_to_list_1, A("abc")), string("abc"));
    cr_assert_eq(CALL(bif_atom_to_list_1, A("")), NIL);
    /* 'héllo😀' */
    expect_same(CALL(bif_atom_to_list_1, A("h\xC3\xA9llo\xF0\x9F\x98\x80")),
                L(S(104), S(233), S(108), S(108), S(111), S(0x1F600)));
    expect_same(CALL(bif_atom_to_list_1, A("\xE2\x82\xAC")), L(S(0x20AC)));
    expect_error(CALL(bif_atom_to_list_1, string("a")), AM_badarg);
}

Test(bif_term, list_to_atom)
{
    cr_assert_eq(CALL(bif_list_to_atom_1, string("hello")), A("hello"));
    cr_assert_eq(CALL(bif_list_to_atom_1, NIL), A(""));
    cr_assert_eq(CALL(bif_list_to_atom_1, L(S(0))), atom_put("\0", 1));
    cr_assert_eq(CALL(bif_list_to_atom_1, L(S(104), S(233), S(0x1F600))), A("h\xC3\xA9\xF0\x9F\x98\x80"));
    cr_assert_eq(CALL(bif_list_to_atom_1, L(S(0xFFFE))), A("\xEF\xBF\xBE"));
    expect_error(CALL(bif_list_to_atom_1, A("abc")), AM_badarg);
    expect_error(CALL(bif_list_to_atom_1, L(S(0x110000))), AM_badarg);
    expect_error(CALL(bif_list_to_atom_1, L(S(0xD800))), AM_badarg);
    expect_error(CALL(bif_list_to_atom_1, L(S(0xDFFF))), AM_badarg);
    expect_error(CALL(bif_list_to_atom_1, L(S(-1))), AM_badarg);
    expect_error(CALL(bif_list_to_atom_1, L(S('a'), F(1.0))), AM_badarg);
    expect_error(CALL(bif_list_to_atom_1, LT(A("b"), S('a'))), AM_badarg);
}

/* A list of n copies of code point c ending in tail. */
static Term repeat(size_t n, intptr_t c, Term tail)
{
    for (size_t i = 0; i < n; i++) tail = cons(S(c), tail);
    return tail;
}

Test(bif_term, list_to_atom_length_limit)
{
    /* 255 characters are fine, even of 4 UTF-8 bytes each */
    Term a = CALL(bif_list_to_atom_1, repeat(255, 0x1F600, NIL));
    cr_assert(is_atom(a));
    cr_assert_eq(atom_len(a), 255u * 4);
    expect_same(CALL(bif_atom_to_list_1, a), repeat(255, 0x1F600, NIL));
    /* a 256th element of any kind is system_limit; an error before it is badarg */
    expect_error(CALL(bif_list_to_atom_1, repeat(256, 'a', NIL)), AM_system_limit);
    expect_error(CALL(bif_list_to_atom_1, repeat(255, 'a', L(F(1.0)))), AM_system_limit);
    expect_error(CALL(bif_list_to_atom_1, repeat(255, 'a', LT(A("b"), S('a')))), AM_system_limit);
    expect_error(CALL(bif_list_to_atom_1, repeat(300, 'a', L(S(0x110000)))), AM_system_limit);
    expect_error(CALL(bif_list_to_atom_1, repeat(255, 'a', A("b"))), AM_badarg);
    expect_error(CALL(bif_list_to_atom_1, repeat(254, 'a', L(F(1.0)))), AM_badarg);
    expect_error(CALL(bif_list_to_atom_1, cons(S(0x110000), repeat(300, 'a', NIL))), AM_badarg);
}

Test(bif_term, list_to_existing_atom)
{
    cr_assert_eq(CALL(bif_list_to_existing_atom_1, string("ok")), AM_ok);
    size_t before = atom_count();
    expect_error(CALL(bif_list_to_existing_atom_1, string("no_such_atom_4711")), AM_badarg);
    cr_assert_eq(atom_count(), before, "list_to_existing_atom must not create atoms");
    expect_error(CALL(bif_list_to_existing_atom_1, repeat(256, 'a', NIL)), AM_badarg);
    expect_error(CALL(bif_list_to_existing_atom_1, L(S(0x110000))), AM_badarg);
    expect_error(CALL(bif_list_to_existing_atom_1, A("ok")), AM_badarg);
    expect_error(CALL(bif_list_to_existing_atom_1, LT(A("x"), S('o'), S('k'))), AM_badarg);
}

/* ---- lists ---- */

Test(bif_term, hd_tl_length)
{
    Term l = LT(A("b"), A("a"));
    cr_assert_eq(CALL(bif_hd_1, l), A("a"));
    cr_assert_eq(CALL(bif_tl_1, l), A("b"));
    expect_error(CALL(bif_hd_1, NIL), AM_badarg);
    expect_error(CALL(bif_tl_1, NIL), AM_badarg);
    expect_error(CALL(bif_hd_1, A("a")), AM_badarg);
    cr_assert_eq(CALL(bif_length_1, NIL), S(0));
    cr_assert_eq(CALL(bif_length_1, seq(1, 1000)), S(1000));
    expect_error(CALL(bif_length_1, l), AM_badarg);
    expect_error(CALL(bif_length_1, A("a")), AM_badarg);
}

Test(bif_term, plusplus)
{
    expect_same(CALL(bif_plusplus_2, seq(1, 2), seq(3, 4)), seq(1, 4));
    expect_same(CALL(bif_plusplus_2, seq(1, 2), LT(A("c"), S(3))), LT(A("c"), S(1), S(2), S(3)));
    expect_same(CALL(bif_plusplus_2, L(A("a")), A("b")), LT(A("b"), A("a")));
    cr_assert_eq(CALL(bif_plusplus_2, NIL, A("a")), A("a"));
    Term tail = seq(3, 4);
    cr_assert_eq(list_tail(list_tail(CALL(bif_plusplus_2, seq(1, 2), tail))), tail, "B is shared");
    expect_error(CALL(bif_plusplus_2, LT(A("b"), A("a")), L(A("c"))), AM_badarg);
    expect_error(CALL(bif_plusplus_2, A("a"), NIL), AM_badarg);
}

Test(bif_term, minusminus_semantics)
{
    /* first occurrences go, matched with =:= */
    expect_same(CALL(bif_minusminus_2, L(A("a"), A("b"), A("c"), A("a"), A("b")), L(A("b"), A("a"), A("x"))),
                L(A("c"), A("a"), A("b")));
    expect_same(CALL(bif_minusminus_2, L(S(1), F(1.0), S(2), S(1)), L(F(1.0), S(1))), L(S(2), S(1)));
    expect_same(CALL(bif_minusminus_2, L(F(0.0)), L(F(-0.0))), NIL);
    expect_same(CALL(bif_minusminus_2, L(A("a")), NIL), L(A("a")));
    cr_assert_eq(CALL(bif_minusminus_2, NIL, L(A("a"))), NIL);
    expect_same(CALL(bif_minusminus_2, L(T(1, S(1)), T(1, F(1.0))), L(T(1, F(1.0)))), L(T(1, S(1))));
    /* the part after the last removed element is shared */
    Term a = L(A("a"), A("b"), A("c"), A("d"));
    Term r = CALL(bif_minusminus_2, a, L(A("b")));
    expect_same(r, L(A("a"), A("c"), A("d")));
    cr_assert_eq(list_tail(r), list_tail(list_tail(a)));
    expect_error(CALL(bif_minusminus_2, LT(A("b"), A("a")), NIL), AM_badarg);
    expect_error(CALL(bif_minusminus_2, L(A("a")), LT(A("b"), A("a"))), AM_badarg);
    expect_error(CALL(bif_minusminus_2, NIL, A("a")), AM_badarg);
    expect_error(CALL(bif_minusminus_2, A("a"), NIL), AM_badarg);
}

Test(bif_term, minusminus_sorted_bag)
{
    /* more than 16 elements on the right: the sorted path, same answers */
    Term right = L(F(1.0), S(1), A("k1"), A("k2"), A("k3"), A("k4"), A("k5"), A("k6"), A("k7"), A("k8"),
                   A("k9"), A("k10"), A("k11"), A("k12"), A("k13"), A("k14"), A("k15"), T(1, F(2.0)), S(1));
    Term left = L(S(1), F(1.0), S(2), S(1), A("k3"), T(1, S(2)), T(1, F(2.0)), S(1), A("k3"));
    expect_same(CALL(bif_minusminus_2, left, right), L(S(2), T(1, S(2)), S(1), A("k3")));
}

Test(bif_term, minusminus_large_is_fast)
{
    /* [1..200000] -- [200000, 199998 .. 2] leaves the odd numbers */
    Term left = seq(1, 200000), right = NIL;
    for (intptr_t i = 2; i <= 200000; i += 2) right = cons(S(i), right);
    clock_t start = clock();
    Term r = CALL(bif_minusminus_2, left, right);
    double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
    cr_assert_eq(length_of(r), 100000u);
    intptr_t want = 1;
    for (Term l = r; is_list(l); l = list_tail(l), want += 2) cr_assert_eq(list_head(l), S(want));
    cr_assert_lt(secs, 2.0, "'--' took %.2fs: not O(n log n)?", secs);
}

Test(bif_term, lists_reverse)
{
    expect_same(CALL(bif_lists_reverse_2, seq(1, 3), seq(4, 5)), L(S(3), S(2), S(1), S(4), S(5)));
    expect_same(CALL(bif_lists_reverse_2, seq(1, 3), LT(A("x"), S(4))), LT(A("x"), S(3), S(2), S(1), S(4)));
    cr_assert_eq(CALL(bif_lists_reverse_2, NIL, A("c")), A("c"));
    expect_error(CALL(bif_lists_reverse_2, LT(A("b"), A("a")), A("c")), AM_badarg);
    expect_error(CALL(bif_lists_reverse_2, A("a"), A("c")), AM_badarg);
}

Test(bif_term, lists_member)
{
    Term big = T(2, A("x"), L(S(1)));
    cr_assert_eq(CALL(bif_lists_member_2, A("b"), L(A("a"), A("b"))), AM_true);
    cr_assert_eq(CALL(bif_lists_member_2, T(2, A("x"), L(S(1))), L(A("a"), big)), AM_true);
    cr_assert_eq(CALL(bif_lists_member_2, S(1), L(F(1.0))), AM_false);
    cr_assert_eq(CALL(bif_lists_member_2, S(1), NIL), AM_false);
    cr_assert_eq(CALL(bif_lists_member_2, A("a"), LT(A("c"), A("a"))), AM_true);
    expect_error(CALL(bif_lists_member_2, A("a"), LT(A("c"), A("b"))), AM_badarg);
    expect_error(CALL(bif_lists_member_2, A("a"), A("x")), AM_badarg);
}

Test(bif_term, lists_keyfind_keymember_keysearch)
{
    Term t1 = T(2, S(1), A("a")), t2 = T(2, A("k"), A("b"));
    Term l = L(A("x"), T(0), t1, t2);
    cr_assert_eq(CALL(bif_lists_keyfind_3, F(1.0), S(1), l), t1); /* == matching */
    cr_assert_eq(CALL(bif_lists_keyfind_3, A("k"), S(1), l), t2);
    cr_assert_eq(CALL(bif_lists_keyfind_3, A("b"), S(2), l), t2);
    cr_assert_eq(CALL(bif_lists_keyfind_3, A("b"), S(3), l), AM_false);
    cr_assert_eq(CALL(bif_lists_keyfind_3, A("z"), S(1), NIL), AM_false);
    cr_assert_eq(CALL(bif_lists_keyfind_3, S(1), S(1), LT(A("b"), t1)), t1);
    expect_error(CALL(bif_lists_keyfind_3, S(2), S(1), LT(A("b"), t1)), AM_badarg);
    expect_error(CALL(bif_lists_keyfind_3, S(1), S(0), l), AM_badarg);
    expect_error(CALL(bif_lists_keyfind_3, S(1), F(1.0), NIL), AM_badarg);
    expect_error(CALL(bif_lists_keyfind_3, S(1), S(1), A("b")), AM_badarg);

    cr_assert_eq(CALL(bif_lists_keymember_3, A("k"), S(1), l), AM_true);
    cr_assert_eq(CALL(bif_lists_keymember_3, A("z"), S(1), l), AM_false);
    expect_error(CALL(bif_lists_keymember_3, A("z"), S(0), l), AM_badarg);
    expect_error(CALL(bif_lists_keymember_3, A("z"), S(1), LT(A("b"), t1)), AM_badarg);

    expect_same(CALL(bif_lists_keysearch_3, S(1), S(1), l), T(2, A("value"), t1));
    cr_assert_eq(CALL(bif_lists_keysearch_3, A("z"), S(1), l), AM_false);
    expect_error(CALL(bif_lists_keysearch_3, A("z"), S(0), l), AM_badarg);
}

/* ---- process dictionary ---- */

static Term keys_of(Term pairs)
{
    Term rev = NIL;
    for (; is_list(pairs); pairs = list_tail(pairs)) rev = cons(tuple_elems(list_head(pairs))[0], rev);
    return CALL(bif_lists_reverse_2, rev, NIL);
}

Test(bif_term, dictionary_basics)
{
    cr_assert_eq(CALL0(bif_get_0), NIL);
    cr_assert_eq(CALL(bif_get_1, A("k")), AM_undefined);
    cr_assert_eq(CALL(bif_erase_1, A("k")), AM_undefined);
    cr_assert_eq(CALL(bif_put_2, A("k"), S(1)), AM_undefined);
    cr_assert_eq(CALL(bif_put_2, A("k"), S(2)), S(1));
    cr_assert_eq(CALL(bif_get_1, A("k")), S(2));
    expect_same(CALL0(bif_get_0), L(T(2, A("k"), S(2))));
    cr_assert_eq(CALL(bif_erase_1, A("k")), S(2));
    cr_assert_eq(CALL(bif_erase_1, A("k")), AM_undefined);
    cr_assert_eq(CALL0(bif_get_0), NIL);

    /* keys and values match with =:= */
    CALL(bif_put_2, S(1), A("a"));
    CALL(bif_put_2, F(1.0), A("b"));
    CALL(bif_put_2, T(2, S(1), L(S(2))), A("c"));
    cr_assert_eq(CALL(bif_get_1, S(1)), A("a"));
    cr_assert_eq(CALL(bif_get_1, F(1.0)), A("b"));
    cr_assert_eq(CALL(bif_get_1, T(2, S(1), L(S(2)))), A("c"));
    cr_assert_eq(CALL(bif_get_1, T(2, S(1), L(F(2.0)))), AM_undefined);
    CALL(bif_put_2, S(2), F(1.0));
    expect_same(CALL(bif_get_keys_1, A("a")), L(S(1)));
    cr_assert_eq(CALL(bif_get_keys_1, S(1)), NIL);
    cr_assert_eq(length_of(CALL0(bif_get_keys_0)), 4u);

    Term all = CALL0(bif_erase_0);
    cr_assert_eq(length_of(all), 4u);
    cr_assert_eq(proc.dictionary, NIL);
    cr_assert_eq(CALL0(bif_erase_0), NIL);
    cr_assert_eq(CALL0(bif_get_keys_0), NIL);
}

Test(bif_term, dictionary_order_matches_erl)
{
    /* [put(I, I) || I <- [3,1,2,5,4]], get() */
    intptr_t keys[] = {3, 1, 2, 5, 4};
    for (size_t i = 0; i < 5; i++) CALL(bif_put_2, S(keys[i]), S(keys[i]));
    expect_same(CALL0(bif_get_0),
                L(T(2, S(5), S(5)), T(2, S(4), S(4)), T(2, S(3), S(3)), T(2, S(2), S(2)), T(2, S(1), S(1))));
    CALL0(bif_erase_0);

    /* one bucket: [put(I, v) || I <- [9,1,17]], put(1, x), get() */
    CALL(bif_put_2, S(9), A("v"));
    CALL(bif_put_2, S(1), A("v"));
    CALL(bif_put_2, S(17), A("v"));
    CALL(bif_put_2, S(1), A("x"));
    expect_same(CALL0(bif_get_0), L(T(2, S(9), A("v")), T(2, S(1), A("x")), T(2, S(17), A("v"))));
    CALL0(bif_erase_0);

    for (intptr_t i = 1; i <= 9; i++) CALL(bif_put_2, S(i), A("v"));
    expect_same(CALL0(bif_get_keys_0), L(S(9), S(8), S(7), S(6), S(5), S(4), S(3), S(2), S(1)));
}

/* erl's get_keys() after growing to 300 keys and shrinking again (see the test below). */
static const int keys_after_shrink[] = {
    360, 615, 485, -285, -160, 96, 95, 220, 475, 600, -170, -300, -45, 210, 80, 335, 460,
    -185, 70, 195, 450, 64, 575, -195, -260, -70, -135, 120, 55, 310, 245, 500, 435, 690,
    625, 48, 112, -145, -210, 45, -20, 235, 170, 425, 295, 550, 675, -95, 32, 30, 285, 410,
    665, -235, 20, -110, 145, 16, 270, 525, 650, -120, 5, 260, 385, 640};
static const int keys_after_grow_head[] = {-207, 304, -210, 301, -213, 298, -216, 295, 291, -223};
static const int keys_after_grow_tail[] = {8, 519, 5, 516, 2, 513};

static void expect_int_keys(Term keys, const int *want, size_t n, size_t from)
{
    size_t i = 0;
    for (; is_list(keys) && i < from + n; keys = list_tail(keys), i++)
        if (i >= from) cr_assert_eq(list_head(keys), S(want[i - from]), "key #%zu", i);
    cr_assert_eq(i, from + n, "too few keys");
}

Test(bif_term, dictionary_growth_and_shrink_order_matches_erl)
{
    /*
     * [put((I*7919) rem 1000 - 300, I) || I <- lists:seq(0, 299)],
     * [erase((I*7919) rem 1000 - 300) || I <- lists:seq(0, 299), I rem 5 =/= 0],
     * [put(I * 16, x) || I <- lists:seq(1, 7)], get_keys()
     */
    for (intptr_t i = 0; i < 300; i++) CALL(bif_put_2, S((i * 7919) % 1000 - 300), S(i));
    Term keys = CALL0(bif_get_keys_0);
    cr_assert_eq(length_of(keys), 300u);
    expect_int_keys(keys, keys_after_grow_head, 10, 0);
    expect_int_keys(keys, keys_after_grow_tail, 6, 294);
    for (intptr_t i = 0; i < 300; i++)
        if (i % 5 != 0) cr_assert_eq(CALL(bif_erase_1, S((i * 7919) % 1000 - 300)), S(i));
    for (intptr_t i = 1; i <= 7; i++) CALL(bif_put_2, S(i * 16), A("x"));
    size_t n = sizeof keys_after_shrink / sizeof keys_after_shrink[0];
    keys = CALL0(bif_get_keys_0);
    cr_assert_eq(length_of(keys), n);
    expect_int_keys(keys, keys_after_shrink, n, 0);
    expect_same(keys_of(CALL0(bif_get_0)), keys);
}

/* Keys of several kinds: small, negative, atom, tuple, list, float, bignum. */
static Term mixed_key(intptr_t i)
{
    switch (i % 6) {
    case 0: return S(i * 31 - 5000);
    case 1: return T(2, A("k"), S(i));
    case 2: return cons(S(i), string("x"));
    case 3: return F((double)i / 4);
    case 4: {
        Term *hp = heap_alloc(&proc, 3);
        hp[0] = make_header(2, HDR_POS_BIG);
        hp[1] = (Term)i;
        hp[2] = 1;
        return make_boxed(hp);
    }
    default: {
        char name[32];
        snprintf(name, sizeof name, "key_%ld", (long)i);
        return A(name);
    }
    }
}

Test(bif_term, dictionary_many_keys_survive_gc)
{
    const intptr_t n = 20000;
    for (intptr_t i = 0; i < n; i++) cr_assert_eq(CALL(bif_put_2, mixed_key(i), S(i)), AM_undefined);
    cr_assert_eq(heap_gc(&proc, 0, NULL, 0), 0);
    for (intptr_t i = 0; i < n; i++) cr_assert_eq(CALL(bif_get_1, mixed_key(i)), S(i), "key %ld", (long)i);
    for (intptr_t i = 0; i < n; i += 3) cr_assert_eq(CALL(bif_erase_1, mixed_key(i)), S(i));
    cr_assert_eq(heap_gc(&proc, 0, NULL, 0), 0);
    size_t left = 0;
    for (intptr_t i = 0; i < n; i++) {
        Term v = CALL(bif_get_1, mixed_key(i));
        cr_assert_eq(v, i % 3 == 0 ? AM_undefined : S(i), "key %ld", (long)i);
        left += i % 3 != 0;
    }
    cr_assert_eq(length_of(CALL0(bif_get_0)), left);
    cr_assert_eq(length_of(CALL0(bif_get_keys_0)), left);
    for (intptr_t i = 0; i < n; i++) CALL(bif_erase_1, mixed_key(i));
    cr_assert_eq(CALL0(bif_get_0), NIL);
    cr_assert_eq(CALL(bif_put_2, A("again"), S(1)), AM_undefined);
    cr_assert_eq(CALL(bif_get_1, A("again")), S(1));
}

Test(bif_term, pdict_interface)
{
    cr_assert_eq(pdict_put(&proc, A("x"), S(1)), AM_undefined);
    cr_assert_eq(pdict_get(&proc, A("x")), S(1));
    expect_same(pdict_get_all(&proc), L(T(2, A("x"), S(1))));
    cr_assert_eq(pdict_erase(&proc, A("x")), S(1));
    cr_assert_eq(pdict_get_all(&proc), NIL);
}
