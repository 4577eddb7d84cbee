/*
 * ms_ref.c - compiled-ms terms: magic references (runtime/term/magic.h)
 * that hold a reference on an MsProg.
 *
 * The program lives as long as some term refers to it: a result of
 * ets:match_spec_compile/1 kept anywhere (a heap, a message, ETS,
 * persistent_term) or an ets:select/3 continuation; the last reference
 * going frees it.
 */
#include "runtime/ms/ms_int.h"

#include "runtime/term/magic.h"

static void prog_destroy(Magic *m) { ms_release(*(MsProg **)magic_data(m)); }

static const MagicType ms_type = {"ms", prog_destroy};

Term ms_ref_make(Process *p, MsProg *prog)
{
    Magic *m = magic_new(&ms_type, sizeof(MsProg *));
    if (!m) return THE_NON_VALUE;
    ms_retain(prog);
    *(MsProg **)magic_data(m) = prog;
    return magic_ref_new(p, m);
}

MsProg *ms_ref_prog(Term t)
{
    Magic *m = magic_of(t, &ms_type);
    return m ? *(MsProg **)magic_data(m) : NULL;
}
