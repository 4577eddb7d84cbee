/*
 * sys_alloc_info.c - the memory-allocator keys of erlang:system_info/1
 * (allocator, alloc_util_allocators, {allocator, Name}, allocated_areas).
 *
 * erbium allocates from the C library's malloc and has none of OTP's
 * alloc_util allocators, so it answers as OTP does when started with
 * `+Mea min`: the allocator is glibc's, sys_alloc is the one enabled, and
 * each alloc_util allocator OTP names is reported disabled (false).
 * Their {allocator_sizes, Name} is false too. allocated_areas gives the areas erbium measures (atoms, loaded code).
 */
#include "runtime/sys/sys.h"

#include "runtime/loader/module.h"
#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/big.h"

#include <gnu/libc-version.h>
#include <stdio.h>
#include <string.h>

/* OTP 25's alloc_util allocators, in the order system_info(allocator) lists them. */
static const char *const util_allocators[] = {"temp_alloc", "sl_alloc",      "std_alloc",    "ll_alloc",
                                              "eheap_alloc", "ets_alloc",    "fix_alloc",    "literal_alloc",
                                              "binary_alloc", "driver_alloc"};
#define N_UTIL (sizeof util_allocators / sizeof util_allocators[0])

static Term atom_of(const char *s) { return atom_from_cstr(s); }

/* [{e, true}, {m, libc}]: sys_alloc's settings. */
static Term sys_alloc_settings(Process *p)
{
    Term list = heap_cons(p, heap_tuple2(p, atom_of("m"), atom_of("libc")), NIL);
    return heap_cons(p, heap_tuple2(p, atom_of("e"), AM_true), list);
}

/* [Major, Minor] of the running glibc. */
static Term libc_version(Process *p)
{
    int major = 0, minor = 0;
    sscanf(gnu_get_libc_version(), "%d.%d", &major, &minor);
    return heap_cons(p, make_small(major), heap_cons(p, make_small(minor), NIL));
}

/* {glibc, Version, [sys_alloc], [{sys_alloc, Settings} | [{Name, [{e, false}]} ...]]} */
static Term allocator(Process *p)
{
    Term settings = NIL;
    for (size_t i = N_UTIL; i > 0; i--) {
        Term off = heap_cons(p, heap_tuple2(p, atom_of("e"), AM_false), NIL);
        settings = heap_cons(p, heap_tuple2(p, atom_of(util_allocators[i - 1]), off), settings);
    }
    settings = heap_cons(p, heap_tuple2(p, atom_of("sys_alloc"), sys_alloc_settings(p)), settings);
    Term features = heap_cons(p, atom_of("sys_alloc"), NIL);
    Term *hp = heap_alloc(p, 5);
    hp[0] = make_tuple_header(4);
    hp[1] = atom_of("glibc");
    hp[2] = libc_version(p);
    hp[3] = features;
    hp[4] = settings;
    return make_boxed(hp);
}

static Term util_allocator_names(Process *p)
{
    Term list = NIL;
    for (size_t i = N_UTIL; i > 0; i--) list = heap_cons(p, atom_of(util_allocators[i - 1]), list);
    return list;
}

/* {allocator, Name}: sys_alloc's settings, false for an alloc_util allocator, or no value. */
static Term one_allocator(Process *p, Term name)
{
    if (name == atom_of("sys_alloc")) return sys_alloc_settings(p);
    for (size_t i = 0; i < N_UTIL; i++)
        if (name == atom_of(util_allocators[i])) return AM_false;
    return THE_NON_VALUE;
}

static Term allocated_areas(Process *p)
{
    Term space = heap_tuple3(p, atom_of("atom_space"), int_from_u64(p, atom_memory(false)),
                             int_from_u64(p, atom_memory(true)));
    Term code = heap_tuple2(p, atom_of("loaded_code"), int_from_u64(p, module_code_bytes()));
    return heap_cons(p, space, heap_cons(p, code, NIL));
}

Term sys_alloc_info(Process *p, Term key)
{
    if (is_tuple(key) && tuple_arity(key) == 2 && tuple_elems(key)[0] == atom_of("allocator"))
        return one_allocator(p, tuple_elems(key)[1]);
    /* sizes are kept only by alloc_util allocators, all disabled */
    if (is_tuple(key) && tuple_arity(key) == 2 && tuple_elems(key)[0] == atom_of("allocator_sizes")) {
        Term v = one_allocator(p, tuple_elems(key)[1]);
        return v == AM_false ? v : THE_NON_VALUE;
    }
    if (key == atom_of("allocator")) return allocator(p);
    if (key == atom_of("alloc_util_allocators")) return util_allocator_names(p);
    if (key == atom_of("allocated_areas")) return allocated_areas(p);
    return THE_NON_VALUE;
}
