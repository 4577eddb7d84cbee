/*
 * bif_debugger.c - OTP 28's erl_debugger BIFs (kernel, "EXPERIMENTAL"),
 * with OTP 28.0's results and errors, on dbg.h.
 */
#include "runtime/bif/bif.h"
#include "runtime/debug/dbg.h"
#include "runtime/loader/load.h"
#include "runtime/proc/heap.h"
#include "runtime/term/map.h"

#include <stdlib.h>

static Term bool_atom(bool b) { return b ? AM_true : AM_false; }

/* Without +D the module does not exist, as on OTP 25 (OTP 28 keeps only supported/0). */
#define NEEDS_DEBUGGER(p)                                                                          \
    do {                                                                                           \
        if (!dbg_enabled()) return bif_error((p), AM_undef);                                       \
    } while (0)

Term bif_dbg_supported_0(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    (void)args;
    return AM_true;
}

Term bif_dbg_instrumentations_0(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    (void)args;
    Term key = AM_line_breakpoint, value = bool_atom(load_sites());
    return map_from_pairs(p, &key, &value, 1);
}

/* #{line_breakpoint => Bool}: the only instrumentation; other keys or values are badarg. */
Term bif_dbg_toggle_instrumentations_1(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    Term map = args[0];
    if (!is_map(map)) return bif_error(p, AM_badarg);
    size_t n = map_size(map);
    Term v = n ? map_get(map, AM_line_breakpoint) : THE_NON_VALUE;
    if (n > 1 || (n == 1 && (!is_value(v) || (v != AM_true && v != AM_false)))) return bif_error(p, AM_badarg);
    if (n == 1) load_set_sites(v == AM_true);
    return AM_ok;
}

Term bif_dbg_register_1(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    if (!is_pid(args[0])) return bif_error(p, AM_badarg);
    Term token;
    if (!dbg_register(args[0], &token)) return heap_tuple2(p, AM_error, AM_already_exists);
    return heap_tuple2(p, AM_ok, token);
}

Term bif_dbg_unregister_2(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    if (!is_pid(args[0]) || !dbg_unregister(args[0], args[1])) return bif_error(p, AM_badarg);
    return AM_ok;
}

Term bif_dbg_whereis_0(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    (void)args;
    return dbg_whereis();
}

static Term error2(Process *p, Term kind, Term what)
{
    return heap_tuple2(p, AM_error, heap_tuple2(p, kind, what));
}

static bool pos_int(Term t) { return is_small(t) && small_val(t) > 0 && small_val(t) <= UINT32_MAX; }

Term bif_dbg_breakpoint_3(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    Term mod = args[0], line = args[1], flag = args[2];
    if (!is_atom(mod) || !pos_int(line) || (flag != AM_true && flag != AM_false)) return bif_error(p, AM_badarg);
    switch (dbg_set_line(mod, (uint32_t)small_val(line), DBG_BY_ERLANG, flag == AM_true)) {
    case DBG_OK: return AM_ok;
    case DBG_NO_MODULE: return error2(p, AM_badkey, mod);
    case DBG_NO_SITES: return error2(p, AM_unsupported, mod);
    case DBG_NO_LINE: return error2(p, AM_badkey, line);
    default: return error2(p, AM_unsupported, line);
    }
}

typedef struct Lines {
    Term keys[1024], values[1024];
    size_t n;
} Lines;

static void add_line(void *ctx, uint32_t line, bool on)
{
    Lines *l = ctx;
    if (l->n == sizeof l->keys / sizeof l->keys[0]) return;
    l->keys[l->n] = make_small(line);
    l->values[l->n++] = bool_atom(on);
}

/* {ok, #{Line => Enabled}} for the line sites of m (of function f when f is set). */
static Term lines_of(Process *p, Term mod, const FuncRange *only, Term fa)
{
    const Module *m = module_find(mod);
    if (!m) return error2(p, AM_badkey, mod);
    if (!m->has_sites) return error2(p, AM_unsupported, mod);
    if (is_value(fa) && !only) return error2(p, AM_badkey, fa);
    Lines *l = malloc(sizeof *l);
    if (!l) return bif_error(p, AM_system_limit);
    l->n = 0;
    dbg_each_line(m, only, add_line, l);
    Term map = map_from_pairs(p, l->keys, l->values, l->n);
    free(l);
    return heap_tuple2(p, AM_ok, map);
}

Term bif_dbg_breakpoints_1(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    if (!is_atom(args[0])) return bif_error(p, AM_badarg);
    return lines_of(p, args[0], NULL, THE_NON_VALUE);
}

Term bif_dbg_breakpoints_3(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    Term mod = args[0], fun = args[1], arity = args[2];
    if (!is_atom(mod) || !is_atom(fun) || !is_small(arity) || small_val(arity) < 0 || small_val(arity) > 255)
        return bif_error(p, AM_badarg);
    const Module *m = module_find(mod);
    const FuncRange *f = m ? module_func(m, fun, (uint32_t)small_val(arity)) : NULL;
    return lines_of(p, mod, f, heap_tuple2(p, fun, arity));
}

/* A pid other than the caller's, and a size limit: else badarg. */
static bool target_ok(Process *p, Term pid) { return is_pid(pid) && pid != p->pid; }
static bool size_ok(Term t) { return is_small(t) && small_val(t) >= 0; }

/* Runs read(p, view, args) on the suspended process args[0], or says `running`. */
static Term with_view(Process *p, const Term *args, Term (*read)(Process *p, const DbgView *v, const Term *args))
{
    DbgView v;
    if (!dbg_view_open(p, args[0], &v)) return AM_running;
    Term r = read(p, &v, args);
    dbg_view_close(p, &v);
    return r;
}

static Term read_frames(Process *p, const DbgView *v, const Term *args)
{
    return dbg_stack_frames(p, v, (size_t)small_val(args[1]));
}

Term bif_dbg_stack_frames_2(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    if (!target_ok(p, args[0]) || !size_ok(args[1])) return bif_error(p, AM_badarg);
    return with_view(p, args, read_frames);
}

static Term read_slot(Process *p, const DbgView *v, const Term *args)
{
    return dbg_peek_slot(p, v, (size_t)small_val(args[1]), (size_t)small_val(args[2]), (size_t)small_val(args[3]));
}

Term bif_dbg_peek_stack_frame_slot_4(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    if (!target_ok(p, args[0]) || !size_ok(args[1]) || !size_ok(args[2]) || !size_ok(args[3]))
        return bif_error(p, AM_badarg);
    return with_view(p, args, read_slot);
}

static Term read_xcount(Process *p, const DbgView *v, const Term *args)
{
    (void)p;
    (void)args;
    return make_small(v->live);
}

Term bif_dbg_xregs_count_1(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    if (!target_ok(p, args[0])) return bif_error(p, AM_badarg);
    return with_view(p, args, read_xcount);
}

static Term read_xreg(Process *p, const DbgView *v, const Term *args)
{
    return dbg_peek_xreg(p, v, (size_t)small_val(args[1]), (size_t)small_val(args[2]));
}

Term bif_dbg_peek_xreg_3(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    if (!target_ok(p, args[0]) || !size_ok(args[1]) || !size_ok(args[2])) return bif_error(p, AM_badarg);
    return with_view(p, args, read_xreg);
}

/* The Resume fun of a breakpoint event: lets that hit go on (once; later calls do nothing). */
Term bif_dbg_resume_2(Process *p, const Term *args)
{
    NEEDS_DEBUGGER(p);
    if (!is_pid(args[0]) || !is_small(args[1])) return bif_error(p, AM_badarg);
    dbg_resume(p, args[0], (uint64_t)small_val(args[1]));
    return AM_ok;
}
