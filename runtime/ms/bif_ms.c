/* bif_ms.c - the BIFs over the match-spec engine that need no table. */
#include "runtime/bif/bif.h"
#include "runtime/ms/ms.h"

#include "runtime/proc/heap.h"

Term bif_ets_match_spec_compile_1(Process *p, const Term *args)
{
    MsProg *prog = ms_compile(args[0], MS_TABLE, NULL, NULL);
    if (!prog) return bif_error(p, ms_compile_failure());
    Term ref = ms_ref_make(p, prog);
    ms_release(prog);
    return ref == THE_NON_VALUE ? bif_error(p, AM_system_limit) : ref;
}

Term bif_ets_is_compiled_ms_1(Process *p, const Term *args)
{
    (void)p;
    return ms_ref_prog(args[0]) ? AM_true : AM_false;
}

/* [Result | Acc] for each element of List the program matches, last first. */
Term bif_ets_match_spec_run_r_3(Process *p, const Term *args)
{
    Term list = args[0], acc = args[2];
    MsProg *prog = ms_ref_prog(args[1]);
    if (!prog) return bif_error(p, AM_badarg);
    Term t = list;
    for (; is_list(t); t = list_tail(t)) {}
    if (!is_nil(t)) return bif_error(p, AM_badarg);
    MsRunCtx ctx = {.obj_on_heap = true};
    for (t = list; is_list(t); t = list_tail(t)) {
        MsResult res;
        if (ms_run(prog, p, list_head(t), &ctx, &res)) acc = heap_cons(p, res.value, acc);
    }
    return acc;
}

static Term flag_list(Process *p, unsigned flags)
{
    Term l = NIL;
    if (flags & MS_FLAG_EXCEPTION_TRACE) l = heap_cons(p, AM_exception_trace, l);
    if (flags & MS_FLAG_RETURN_TRACE) l = heap_cons(p, AM_return_trace, l);
    return l;
}

/* {ok, Result, Flags, Warnings} or {error, Errors}, as OTP 25's. */
Term bif_match_spec_test_3(Process *p, const Term *args)
{
    Term obj = args[0], spec = args[1], kind = args[2];
    MsDialect dialect;
    if (kind == AM_table) dialect = MS_TABLE;
    else if (kind == AM_trace && (is_list(obj) || is_nil(obj))) dialect = MS_TRACE;
    else return bif_error(p, AM_badarg);
    Term errors;
    MsProg *prog = ms_compile(spec, dialect, p, &errors);
    if (!prog) return heap_tuple2(p, AM_error, errors);
    MsRunCtx ctx = {.obj_on_heap = true};
    MsResult res;
    bool matched = ms_run(prog, p, obj, &ctx, &res);
    ms_release(prog);
    Term *hp = heap_alloc(p, 5);
    hp[0] = make_tuple_header(4);
    hp[1] = AM_ok;
    hp[2] = matched ? res.value : AM_false;
    hp[3] = matched ? flag_list(p, res.flags) : NIL;
    hp[4] = NIL;
    return make_boxed(hp);
}
