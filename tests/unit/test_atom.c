/* test_atom.c - the atom table: predefined atoms, lookup, limits, concurrent creation. */
#include "runtime/term/atom.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void setup(void) { atom_init(); }

TestSuite(atom, .init = setup);

Test(atom, predefined_atoms_have_their_text)
{
    cr_assert_str_eq(atom_text(AM_ok), "ok");
    cr_assert_str_eq(atom_text(AM_nonode_at_nohost), "nonode@nohost");
    cr_assert_eq(atom_len(AM_badarg), 6);
    cr_assert_eq(atom_from_cstr("true"), AM_true);
    cr_assert(is_atom(AM_false));
}

Test(atom, same_text_same_atom_and_distinct_texts_differ)
{
    Term a = atom_put("hello_world", 11);
    Term b = atom_from_cstr("hello_world");
    Term c = atom_from_cstr("hello_worlD");
    cr_assert_eq(a, b);
    cr_assert_neq(a, c);
    cr_assert_str_eq(atom_text(c), "hello_worlD");
}

Test(atom, find_does_not_create)
{
    size_t before = atom_count();
    cr_assert_eq(atom_find("never_made_before_xyz", 21), THE_NON_VALUE);
    cr_assert_eq(atom_count(), before);
    Term made = atom_from_cstr("never_made_before_xyz");
    cr_assert_eq(atom_find("never_made_before_xyz", 21), made);
}

Test(atom, texts_may_contain_nul_and_utf8)
{
    Term nul = atom_put("a\0b", 3);
    cr_assert_eq(atom_len(nul), 3);
    cr_assert_neq(nul, atom_put("a", 1));
    Term u = atom_from_cstr("\xc4\x89u"); /* 'ĉu' */
    cr_assert_eq(atom_len(u), 3);
    cr_assert_eq(memcmp(atom_text(u), "\xc4\x89u", 3), 0);
}

Test(atom, length_limit_counts_characters_not_bytes)
{
    char ascii[300], wide[2 * 256 + 1];
    memset(ascii, 'x', sizeof ascii);
    cr_assert(is_atom(atom_put(ascii, 255)));
    cr_assert_eq(atom_put(ascii, 256), THE_NON_VALUE);
    for (int i = 0; i < 256; i++) memcpy(wide + 2 * i, "\xc3\xa9", 2); /* 'é' is two bytes */
    cr_assert(is_atom(atom_put(wide, 2 * 255)), "255 characters of two bytes each are allowed");
    cr_assert_eq(atom_put(wide, 2 * 256), THE_NON_VALUE);
}

Test(atom, malformed_utf8_is_refused)
{
    cr_assert_eq(atom_put("\xff", 1), THE_NON_VALUE);
    cr_assert_eq(atom_put("\xc3", 1), THE_NON_VALUE, "truncated sequence");
    cr_assert_eq(atom_put("\xe2\x28\xa1", 3), THE_NON_VALUE, "bad continuation byte");
}

Test(atom, many_atoms_keep_their_indices_through_growth)
{
    enum { N = 20000 };
    static Term made[N];
    char name[32];
    for (int i = 0; i < N; i++) {
        int len = snprintf(name, sizeof name, "grow_%d", i);
        made[i] = atom_put(name, (size_t)len);
    }
    for (int i = 0; i < N; i++) {
        int len = snprintf(name, sizeof name, "grow_%d", i);
        cr_assert_eq(atom_find(name, (size_t)len), made[i]);
        cr_assert_eq(atom_len(made[i]), (size_t)len);
    }
}

#define THREADS 4
#define PER_THREAD 5000

static Term results[THREADS][PER_THREAD];

/* Every thread creates the same names, in a different order. */
static void *create_same_names(void *arg)
{
    int t = (int)(intptr_t)arg;
    char name[32];
    for (int k = 0; k < PER_THREAD; k++) {
        int i = (k * 7919 + t * 1013) % PER_THREAD;
        int len = snprintf(name, sizeof name, "shared_%d", i);
        results[t][i] = atom_put(name, (size_t)len);
        cr_assert_eq(memcmp(atom_text(results[t][i]), name, (size_t)len), 0);
    }
    return NULL;
}

Test(atom, concurrent_creation_gives_one_atom_per_text)
{
    pthread_t th[THREADS];
    for (int t = 0; t < THREADS; t++) pthread_create(&th[t], NULL, create_same_names, (void *)(intptr_t)t);
    for (int t = 0; t < THREADS; t++) pthread_join(th[t], NULL);
    for (int i = 0; i < PER_THREAD; i++)
        for (int t = 1; t < THREADS; t++) cr_assert_eq(results[t][i], results[0][i]);
}
