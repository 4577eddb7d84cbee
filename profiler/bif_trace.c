/*
 * bif_trace.c - erlang:trace_pattern/2,3, erlang:trace/3 and
 * erlang:trace_info/2 for the call_count and call_time breakpoints, with
 * OTP 25's results and errors.
 *
 * Call trace: a `local` or `global` pattern (with a match spec or none)
 * makes calls of traced processes send trace messages to their tracer
 * (call_trace.h); a `meta` pattern sends them for every process to the
 * meta tracer (a process or a port; {meta, erl_tracer, Tracer} is the same,
 * as OTP's erl_tracer module sends the plain messages). erts_debug:breakpoint/2
 * sets debug breakpoints. Any other tracer module raises badarg, as OTP does
 * for a module without NIFs: erbium cannot load a user's NIF library.
 * erlang:trace/3 and trace_info/2 for processes are in bif_trace_flags.c.
 */
#include "profiler/bif_trace_flags.h"
#include "profiler/bp.h"
#include "profiler/pattern.h"
#include "profiler/pclock.h"
#include "profiler/pid_sums.h"
#include "profiler/trace_flags.h"
#include "profiler/trace_msg.h"
#include "profiler/trace_sr_pattern.h"
#include "runtime/bif/bif.h"
#include "runtime/loader/export.h"
#include "runtime/proc/heap.h"
#include "runtime/term/big.h"
#include "runtime/loader/module.h"
#include "runtime/proc/proc_table.h"

/* ---- trace_pattern ---- */

#define MAX_ARITY_MATCHED 255

/* {M, F, A} with '_' only in trailing positions. */
static bool parse_mfa(Term mfa, Pattern *pat)
{
    if (!is_tuple(mfa) || tuple_arity(mfa) != 3) return false;
    const Term *e = tuple_elems(mfa);
    bool any_m = e[0] == AM_underscore, any_f = e[1] == AM_underscore, any_a = e[2] == AM_underscore;
    if (!is_atom(e[0]) || !is_atom(e[1]) || (!any_a && !is_small(e[2]))) return false;
    if ((any_m && !any_f) || (any_f && !any_a)) return false;
    pat->module = any_m ? THE_NON_VALUE : e[0];
    pat->function = any_f ? THE_NON_VALUE : e[1];
    /* a negative or huge arity is valid and matches nothing */
    intptr_t a = any_a ? -1 : small_val(e[2]);
    pat->arity = any_a ? -1 : (a < 0 || a > MAX_ARITY_MATCHED ? MAX_ARITY_MATCHED + 1 : (int)a);
    return true;
}

typedef struct PatternFlags {
    unsigned kinds; /* BP_COUNT | BP_TIME | BP_MEMORY */
    bool global, local, meta;
    Term meta_tracer; /* with meta: the last one named (the caller for plain `meta`) */
} PatternFlags;

static bool parse_pattern_flags(Process *p, Term list, PatternFlags *pf)
{
    *pf = (PatternFlags){0, false, false, false, NIL};
    for (; is_list(list); list = CDR(list_val(list))) {
        Term f = CAR(list_val(list));
        if (f == AM_call_count) pf->kinds |= BP_COUNT;
        else if (f == AM_call_time) pf->kinds |= BP_TIME;
        else if (f == AM_call_memory) pf->kinds |= BP_MEMORY; /* OTP 26's, accepted as OTP 26 does */
        else if (f == AM_global) pf->global = true;
        else if (f == AM_local) pf->local = true;
        else if (f == AM_meta) pf->meta_tracer = p->pid;
        else if (is_tuple(f) && tuple_arity(f) == 2 && tuple_elems(f)[0] == AM_meta && trace_is_tracer(tuple_elems(f)[1]))
            pf->meta_tracer = tuple_elems(f)[1];
        else if (is_tuple(f) && tuple_arity(f) == 3 && tuple_elems(f)[0] == AM_meta && tuple_elems(f)[1] == AM_erl_tracer &&
                 trace_is_tracer(tuple_elems(f)[2]))
            pf->meta_tracer = tuple_elems(f)[2]; /* OTP's own tracer module: the same as {meta, Tracer} */
        else return false; /* any other {meta, Module, State}: a tracer module must be a NIF library */
        if (!is_nil(pf->meta_tracer)) pf->meta = true;
    }
    return is_nil(list);
}

static bool parse_setting(Term t, PatternSetting *s)
{
    if (t == AM_true || t == NIL) *s = PATTERN_ON;
    else if (t == AM_false) *s = PATTERN_OFF;
    else if (t == AM_pause) *s = PATTERN_PAUSE;
    else if (t == AM_restart) *s = PATTERN_RESTART;
    else return false;
    return true;
}

/* trace_pattern(on_load, Spec, Flags): what every function of modules loaded
   from now on starts with, as OTP; loaded code is not touched (0). */
static Term on_load_pattern(Process *p, Term spec, Term flags)
{
    PatternFlags pf;
    PatternSetting setting = PATTERN_ON;
    MsProg *prog = NULL;
    if (!parse_pattern_flags(p, flags, &pf) || pf.global) return bif_error(p, AM_badarg);
    if (!parse_setting(spec, &setting)) {
        if (!is_list(spec) || (!pf.local && !pf.meta && pf.kinds)) return bif_error(p, AM_badarg);
        prog = ms_compile(spec, MS_TRACE, NULL, NULL);
        if (!prog) return bif_error(p, ms_compile_failure());
    }
    unsigned kinds = pf.kinds | (pf.local ? BP_TRACE : 0) | (pf.meta ? BP_META : 0);
    if (!kinds) kinds = BP_TRACE;
    bool on = setting == PATTERN_ON || setting == PATTERN_RESTART;
    if (on) pattern_on_load_change(0, kinds, prog, pf.meta_tracer, prog);
    else pattern_on_load_change(kinds, 0, NULL, NIL, NULL);
    if (prog) ms_release(prog);
    return make_small(0);
}

/*
 * Call trace (kind BP_TRACE or BP_GLOBAL) and/or meta trace: `spec` is true,
 * [], false, pause, restart or a match spec; pause and restart leave trace
 * as it is (they concern counters).
 */
static Term call_trace_pattern(Process *p, const Pattern *pat, Term spec, unsigned kind, const PatternFlags *pf)
{
    PatternSetting setting;
    MsProg *prog = NULL;
    bool on = true;
    if (parse_setting(spec, &setting)) {
        if (setting == PATTERN_PAUSE || setting == PATTERN_RESTART)
            return make_small(pattern_apply(pat, 0, setting, false));
        on = setting == PATTERN_ON;
    } else {
        if (!is_list(spec)) return bif_error(p, AM_badarg);
        prog = ms_compile(spec, MS_TRACE, NULL, NULL);
        if (!prog) return bif_error(p, ms_compile_failure());
    }
    unsigned matched = 0;
    if (kind) matched = pattern_apply_trace(pat, kind, on, prog);
    if (pf->meta) matched = pattern_apply_meta(pat, on, prog, pf->meta_tracer);
    if (prog) ms_release(prog); /* the breakpoints hold their own references */
    return make_small(matched);
}

/*
 * As OTP 25: global goes with no other kind; counters alone take no match
 * spec; local and meta may go together and with counters (each set as asked).
 */
static Term trace_pattern(Process *p, Term mfa, Term spec, Term flags)
{
    Pattern pat;
    PatternFlags pf;
    PatternSetting setting;
    if (mfa == AM_on_load) return on_load_pattern(p, spec, flags);
    if (mfa == AM_send || mfa == AM_receive) return trace_sr_pattern(p, mfa, spec, flags);
    if (!parse_mfa(mfa, &pat) || !parse_pattern_flags(p, flags, &pf)) return bif_error(p, AM_badarg);
    if (pf.global && (pf.local || pf.meta || pf.kinds)) return bif_error(p, AM_badarg);
    if (!pf.kinds) {
        unsigned kind = pf.local ? BP_TRACE : pf.meta ? 0 : BP_GLOBAL;
        return call_trace_pattern(p, &pat, spec, kind, &pf);
    }
    if (!parse_setting(spec, &setting)) {
        /* a match spec is for the trace kinds; the counters just go on */
        if (!pf.local && !pf.meta) return bif_error(p, AM_badarg);
        setting = PATTERN_ON;
    }
    Term matched = make_small(pattern_apply(&pat, pf.kinds, setting, false));
    if (pf.local || pf.meta) matched = call_trace_pattern(p, &pat, spec, pf.local ? BP_TRACE : 0, &pf);
    return matched;
}

/* erts_debug:breakpoint({M, F, A}, true | false): the number of functions matched. */
Term bif_erts_debug_breakpoint_2(Process *p, const Term *args)
{
    Pattern pat;
    if (!parse_mfa(args[0], &pat) || (args[1] != AM_true && args[1] != AM_false)) return bif_error(p, AM_badarg);
    return make_small(pattern_apply_debug(&pat, args[1] == AM_true));
}

Term bif_trace_pattern_2(Process *p, const Term *args) { return trace_pattern(p, args[0], args[1], NIL); }
Term bif_trace_pattern_3(Process *p, const Term *args) { return trace_pattern(p, args[0], args[1], args[2]); }

/* ---- trace_info ---- */

/* [{Pid, Count, S, Us}] of call_time data, built in one heap block. */
static Term call_time_list(Process *p, const PTime *time)
{
    PidSums sums;
    pid_sums_init(&sums);
    pid_sums_add_time(&sums, time);
    double ns_per_tick = pclock_ns_per_tick();
    Term *hp = sums.n ? heap_alloc(p, sums.n * 7) : NULL; /* a 4-tuple and a cons each */
    Term list = NIL;
    for (size_t i = 0; i < sums.cap; i++) {
        const PidSum *e = &sums.v[i];
        if (!e->pid) continue;
        uint64_t us = pclock_to_ns_at(ns_per_tick, e->ticks) / 1000;
        hp[0] = make_tuple_header(4);
        hp[1] = e->pid;
        hp[2] = make_small((intptr_t)e->calls);
        hp[3] = make_small((intptr_t)(us / 1000000));
        hp[4] = make_small((intptr_t)(us % 1000000));
        hp[5] = make_boxed(hp);
        hp[6] = list;
        list = make_list(hp + 5);
        hp += 7;
    }
    pid_sums_free(&sums);
    return list;
}

/* [{Pid, Calls, Words}] of call_memory data (OTP 26's shape). */
static Term call_memory_list(Process *p, const PTime *memory)
{
    PidSums sums;
    pid_sums_init(&sums);
    pid_sums_add_time(&sums, memory);
    Term list = NIL;
    for (size_t i = 0; i < sums.cap; i++) {
        const PidSum *e = &sums.v[i];
        if (!e->pid) continue;
        Term calls = int_from_u64(p, e->calls), words = int_from_i64(p, (int64_t)e->ticks);
        list = heap_cons(p, heap_tuple3(p, e->pid, calls, words), list);
    }
    pid_sums_free(&sums);
    return list;
}

/* A function's data for `item`; the function exists. */
static Term function_item(Process *p, const BpSlot *s, Term item)
{
    bool traced = s && (s->flags & BP_CALL_TRACE);
    if (item == AM_traced) return !traced ? AM_false : (s->flags & BP_GLOBAL) ? AM_global : AM_local;
    if (item == AM_match_spec) return !traced ? AM_false : s->ms ? term_copy(p, ms_source(s->ms)) : NIL;
    if (item == AM_call_count)
        return s && s->count ? make_small((intptr_t)pcount_total(s->count)) : AM_false;
    if (item == AM_call_time) return s && s->time ? call_time_list(p, s->time) : AM_false;
    if (item == AM_call_memory) return s && s->memory ? call_memory_list(p, s->memory) : AM_false;
    if (item == AM_meta)
        return s && (s->flags & BP_META) ? s->meta_tracer : s ? NIL : AM_false; /* OTP: [] when other kinds are set */
    if (item == AM_meta_match_spec)
        return !s || !(s->flags & BP_META) ? AM_false : s->meta_ms ? term_copy(p, ms_source(s->meta_ms)) : NIL;
    return AM_false; /* flags, tracer */
}

static bool is_function_item(Term item)
{
    return item == AM_traced || item == AM_match_spec || item == AM_meta || item == AM_meta_match_spec ||
           item == AM_call_count || item == AM_call_time || item == AM_call_memory || item == AM_flags ||
           item == AM_tracer || item == AM_all;
}

/* {all, [...]} in OTP's order for a function with data; call_memory (OTP 26's, last
   there) only when the function has such data, so OTP 25's list is unchanged. */
static Term all_items(Process *p, const BpSlot *s)
{
    Term list = s->memory ? heap_cons(p, heap_tuple2(p, AM_call_memory, function_item(p, s, AM_call_memory)), NIL) : NIL;
    list = heap_cons(p, heap_tuple2(p, AM_call_count, function_item(p, s, AM_call_count)), list);
    list = heap_cons(p, heap_tuple2(p, AM_call_time, function_item(p, s, AM_call_time)), list);
    list = heap_cons(p, heap_tuple2(p, AM_meta_match_spec, function_item(p, s, AM_meta_match_spec)), list);
    list = heap_cons(p, heap_tuple2(p, AM_meta, (s->flags & BP_META) ? s->meta_tracer : AM_false), list);
    list = heap_cons(p, heap_tuple2(p, AM_match_spec, function_item(p, s, AM_match_spec)), list);
    return heap_cons(p, heap_tuple2(p, AM_traced, function_item(p, s, AM_traced)), list);
}

/*
 * As OTP: a function that does not exist (or a pattern with '_') gives
 * {Item, undefined}, one without breakpoint data {Item, false} whatever the
 * item; only a function with data checks the item.
 */
static Term function_info(Process *p, Term mfa, Term item)
{
    if (!is_tuple(mfa) || tuple_arity(mfa) != 3) return bif_error(p, AM_badarg);
    const Term *e = tuple_elems(mfa);
    const Module *m = is_atom(e[0]) ? module_find(e[0]) : NULL;
    /* as OTP: a BIF of a module not loaded (math:sqrt/1 before math is) is unknown */
    if (!m) return heap_tuple2(p, item, AM_undefined);
    const FuncRange *f =
        is_atom(e[1]) && is_small(e[2]) && small_val(e[2]) >= 0 && small_val(e[2]) <= MAX_ARITY_MATCHED
            ? module_func(m, e[1], (uint32_t)small_val(e[2]))
            : NULL;
    const BpData *bd;
    if (f) {
        bd = bp_find_function(m, f);
    } else {
        const Export *x = is_atom(e[1]) && is_small(e[2]) && small_val(e[2]) >= 0
                              ? export_find(e[0], e[1], (uint32_t)small_val(e[2]))
                              : NULL;
        if (!x || !x->bif) return heap_tuple2(p, item, AM_undefined);
        bd = bp_find_bif(x);
    }
    const BpSlot *s = bd ? bp_active(bd) : NULL;
    if (!s || (!s->count && !s->time && !s->memory && !(s->flags & (BP_CALL_TRACE | BP_META)))) return heap_tuple2(p, item, AM_false);
    if (!is_function_item(item)) return bif_error(p, AM_badarg);
    return heap_tuple2(p, item, item == AM_all ? all_items(p, s) : function_item(p, s, item));
}

/* trace_info(on_load, Item): OTP 25 shows call_count and call_time as booleans, and
   no call_time in `all`. */
static Term on_load_info(Process *p, Term item)
{
    BpSlot s;
    pattern_on_load_get(&s);
    Term v;
    if (!s.flags) v = AM_false;
    else if (item == AM_call_count || item == AM_call_time || item == AM_call_memory)
        v = (s.flags & (item == AM_call_count ? BP_COUNT : item == AM_call_time ? BP_TIME : BP_MEMORY)) ? AM_true
                                                                                                 : AM_false;
    else if (item == AM_all) {
        Term list = heap_cons(p, heap_tuple2(p, AM_call_count, (s.flags & BP_COUNT) ? AM_true : AM_false), NIL);
        list = heap_cons(p, heap_tuple2(p, AM_meta_match_spec, function_item(p, &s, AM_meta_match_spec)), list);
        list = heap_cons(p, heap_tuple2(p, AM_meta, (s.flags & BP_META) ? s.meta_tracer : AM_false), list);
        list = heap_cons(p, heap_tuple2(p, AM_match_spec, function_item(p, &s, AM_match_spec)), list);
        v = heap_cons(p, heap_tuple2(p, AM_traced, function_item(p, &s, AM_traced)), list);
    } else if (item == AM_traced || item == AM_match_spec || item == AM_meta_match_spec) {
        v = function_item(p, &s, item);
    } else if (item == AM_meta) {
        v = (s.flags & BP_META) ? s.meta_tracer : AM_false;
    } else {
        pattern_on_load_release(&s);
        return bif_error(p, AM_badarg);
    }
    pattern_on_load_release(&s);
    return heap_tuple2(p, item, v);
}

Term bif_trace_info_2(Process *p, const Term *args)
{
    Term spec = args[0], item = args[1];
    if (spec == AM_on_load) return on_load_info(p, item);
    if (is_pid(spec) || is_port(spec) || spec == AM_new || spec == AM_new_processes || spec == AM_new_ports)
        return trace_flags_info(p, spec, item);
    if (spec == AM_send || spec == AM_receive) return trace_sr_info(p, spec, item);
    return function_info(p, spec, item);
}
