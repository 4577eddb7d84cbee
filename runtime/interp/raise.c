/*
 * raise.c - building stack traces and unwinding to handlers (see raise.h).
 *
 * The stack trace is built eagerly when the exception is raised, at most
 * system_flag(backtrace_depth) frames (OTP's default 8): the failing BIF or undefined
 * function if any, the current function, then one frame per return address
 * on the stack. Return addresses are the only header-tagged words on a
 * stack, so walking it needs no frame sizes.
 */
#include "runtime/interp/raise.h"

#include "runtime/interp/catch_table.h"
#include "runtime/loader/export.h"
#include "runtime/proc/heap.h"
#include "runtime/term/map.h"
#include "runtime/loader/module.h"
#include "runtime/sys/sys.h"
#include "profiler/call_trace.h"
#include "runtime/debug/dbg.h"

Term raise_class_atom(int cls)
{
    switch (cls) {
    case EXC_ERROR: return AM_error;
    case EXC_EXIT: return AM_exit;
    default: return AM_throw;
    }
}

int raise_class_from_atom(Term a)
{
    if (a == AM_error) return EXC_ERROR;
    if (a == AM_exit) return EXC_EXIT;
    if (a == AM_throw) return EXC_THROW;
    return EXC_NONE;
}

Term raise_args_list(Process *p, const Term *x, unsigned n)
{
    Term list = NIL;
    for (unsigned i = n; i > 0; i--) list = heap_cons(p, x[i - 1], list);
    return list;
}

/* [{file, F}, {line, L} | tail] for the code at pc, or tail when unknown. */
static Term location_of(Process *p, const Module *m, const BeamInstr *pc, Term tail)
{
    uint32_t file, line;
    module_location(m, pc, &file, &line);
    if (line == 0) return tail;
    Term file_term = module_file_term(m, file);
    Term loc = heap_cons(p, heap_tuple2(p, AM_line, make_small(line)), tail);
    return heap_cons(p, heap_tuple2(p, AM_file, file_term), loc);
}

/* Frame for the function containing pc, with `args` (a list) or its arity, and the
   location items after file and line (error/3's error_info). */
static Term code_frame(Process *p, const BeamInstr *pc, Term args, const BeamInstr *loc_pc, Term extra)
{
    Module *m;
    const FuncRange *f = module_func_at(pc, &m);
    if (!f) return THE_NON_VALUE;
    Term arity = is_value(args) ? args : make_small(f->arity);
    return heap_tuple4(p, m->name, f->function, arity, location_of(p, m, loc_pc, extra));
}

typedef struct TraceBuilder {
    Term frames[RAISE_MAX_DEPTH];
    int n, limit; /* limit: system_flag(backtrace_depth) */
} TraceBuilder;

static void add_frame(TraceBuilder *tb, Term frame)
{
    if (is_value(frame) && tb->n < tb->limit) tb->frames[tb->n++] = frame;
}

/*
 * Adds the frame of the code at pc. `pending_args`, when set, replaces the
 * arity in the first code frame (function_clause, error/2), and
 * `pending_info` (error/3's error_info) ends its location; both are consumed
 * there, so a failing stub (not in any module) hands them to its caller.
 */
static void add_code_frame(Process *p, TraceBuilder *tb, const BeamInstr *pc, const BeamInstr *loc_pc,
                           Term *pending_args, Term *pending_info)
{
    Term extra = is_value(*pending_info) ? heap_cons(p, *pending_info, NIL) : NIL;
    Term frame = code_frame(p, pc, *pending_args, loc_pc, extra);
    if (!is_value(frame)) return;
    *pending_args = *pending_info = THE_NON_VALUE;
    add_frame(tb, frame);
}

Term raise_error_info_module(Term bif_module)
{
    switch (bif_module) {
    case AM_erlang: case AM_erts_internal: case AM_persistent_term: case AM_atomics: case AM_counters:
        return AM_erl_erts_errors;
    case AM_code: case AM_os: return AM_erl_kernel_errors;
    case AM_binary: case AM_ets: case AM_lists: case AM_maps: case AM_math: case AM_re: case AM_unicode:
        return AM_erl_stdlib_errors;
    default: return THE_NON_VALUE;
    }
}

/* OTP 25 ends a failed BIF's frame with [{error_info, #{module => M}}] (a cause
   too when the BIF gave one) for the modules erl_error knows how to explain. */
static Term bif_error_info(Process *p, const Export *e, Term given)
{
    Term fmt = raise_error_info_module(e->module);
    if (!is_value(fmt)) return given;
    if (is_value(given)) { /* a cause from bif_error_cause: the module joins it */
        Term info = tuple_elems(given)[1];
        if (!is_map(info) || is_value(map_get(info, AM_module))) return given;
        Term kv[2] = {AM_module, fmt};
        return heap_tuple2(p, AM_error_info, map_update(p, info, kv, 1, false, NULL));
    }
    Term key = AM_module;
    return heap_tuple2(p, AM_error_info, map_from_pairs(p, &key, &fmt, 1));
}

/* The segment type erl_erts_errors names (an append segment is a binary one). */
static Term bs_type_atom(int type)
{
    switch (type) {
    case BSEG_INTEGER: return AM_integer;
    case BSEG_FLOAT: return AM_float;
    case BSEG_UTF8: return AM_utf8;
    case BSEG_UTF16: return AM_utf16;
    case BSEG_UTF32: return AM_utf32;
    default: return AM_binary;
    }
}

void raise_bs_error_info(Process *p, const BinSeg *s, Term what)
{
    Term value = what == AM_size || what == AM_invalid ? s->size : s->value;
    Term *c = heap_alloc(p, 5);
    c[0] = make_tuple_header(4);
    c[1] = make_small(s->seg);
    c[2] = bs_type_atom(s->type);
    c[3] = what;
    c[4] = value;
    Term keys[3] = {AM_cause, AM_function, AM_module};
    Term values[3] = {make_boxed(c), AM_format_bs_fail, AM_erl_erts_errors};
    p->ferror_info = heap_tuple2(p, AM_error_info, map_from_pairs(p, keys, values, 3));
}

static Term build_trace(Process *p, const BeamInstr *pc, Term *stop)
{
    TraceBuilder tb = {.n = 0, .limit = sys_backtrace_depth()};
    Term pending_args = THE_NON_VALUE, pending_info = p->ferror_info;
    if (p->fbif_frame && p->fbif) {
        const Export *e = p->fbif;
        Term args = is_value(p->fargs) ? p->fargs : make_small(e->arity);
        /* a BIF's error_info is its own frame's location */
        Term info = bif_error_info(p, e, pending_info);
        Term loc = is_value(info) ? heap_cons(p, info, NIL) : NIL;
        pending_info = THE_NON_VALUE;
        add_frame(&tb, heap_tuple4(p, e->module, e->function, args, loc));
    } else {
        pending_args = p->fargs;
    }
    add_code_frame(p, &tb, pc, pc, &pending_args, &pending_info);
    /* As OTP, a return address equal to the one before is left out: a body
       recursion through one call site shows once. The failing instruction itself
       is not compared: when it is the first one after a self-recursive call (the
       `+` in `B + f(A - 1)`) its address is that call's return address, where
       OTP's JIT fails inside the instruction and so lists the caller too. */
    const BeamInstr *prev = NULL;
    for (Term *sp = stop; sp < p->hend && tb.n < tb.limit; sp++) {
        if (!is_header(*sp)) continue;
        const BeamInstr *ret = (const BeamInstr *)*sp;
        if (ret == prev) continue;
        prev = ret;
        add_code_frame(p, &tb, ret, ret - 1, &pending_args, &pending_info);
    }
    Term list = NIL;
    for (int i = tb.n; i > 0; i--) list = heap_cons(p, tb.frames[i - 1], list);
    return list;
}

/* Frames from the code at pc and the return addresses on the stack [stop, hend), at most depth. */
static Term build_trace_of(Process *p, const BeamInstr *pc, const Term *stop, const Term *hend, int depth)
{
    TraceBuilder tb = {.n = 0, .limit = depth > RAISE_MAX_DEPTH ? RAISE_MAX_DEPTH : depth};
    Term none = THE_NON_VALUE, none_info = THE_NON_VALUE;
    if (pc && depth > 0) add_code_frame(p, &tb, pc, pc, &none, &none_info);
    const BeamInstr *prev = pc;
    for (const Term *sp = stop; sp < hend && tb.n < depth; sp++) {
        if (!is_header(*sp)) continue;
        const BeamInstr *ret = (const BeamInstr *)*sp;
        if (ret == prev) continue;
        prev = ret;
        add_code_frame(p, &tb, ret, ret - 1, &none, &none_info);
    }
    Term list = NIL;
    for (int i = tb.n; i > 0; i--) list = heap_cons(p, tb.frames[i - 1], list);
    return list;
}

Term raise_current_stacktrace(Process *p, const Process *q, int depth)
{
    return build_trace_of(p, q->i, q->stop, q->hend, depth);
}

Term raise_code_mfa(Process *p, const BeamInstr *pc, bool with_location)
{
    Module *m;
    const FuncRange *f = pc ? module_func_at(pc, &m) : NULL;
    if (!f) return THE_NON_VALUE;
    if (!with_location) return heap_tuple3(p, m->name, f->function, make_small(f->arity));
    return heap_tuple4(p, m->name, f->function, make_small(f->arity), location_of(p, m, pc, NIL));
}

bool raise_is_raw_trace(Term raw)
{
    return is_tuple(raw) && tuple_arity(raw) == 2 && raise_class_from_atom(tuple_elems(raw)[0]) != EXC_NONE;
}

int raise_raw_class(Term raw) { return raise_class_from_atom(tuple_elems(raw)[0]); }
Term raise_raw_list(Term raw) { return tuple_elems(raw)[1]; }

/* The catch tag nearest the stack top, or NULL. */
static Term *find_catch(Process *p, Term *stop)
{
    if (p->catches <= 0) return NULL;
    for (Term *sp = stop; sp < p->hend; sp++)
        if (is_catch(*sp)) return sp;
    return NULL;
}

const BeamInstr *raise_unwind(Process *p, const BeamInstr *pc, Term **stop, Term *x)
{
    Term cls = raise_class_atom(p->freason);
    Term list = is_value(p->ftrace) ? p->ftrace : build_trace(p, pc, *stop);
    Term raw = heap_tuple2(p, cls, list);
    p->fargs = p->ferror_info = THE_NON_VALUE;
    p->fbif = NULL;
    p->fbif_frame = false;
    Term *tag = find_catch(p, *stop);
    if (p->ct_exception_frames) call_trace_unwind(p, *stop, tag ? tag : p->hend, cls, p->fvalue);
    if (p->dbg_exit_frames) dbg_unwind(p, *stop, tag ? tag : p->hend, cls, p->fvalue);
    if (!tag) {
        p->ftrace = raw;
        return NULL;
    }
    const CatchEntry *c = catch_table_get(catch_val(*tag));
    if (p->ct_exception_frames) call_trace_caught(p, *stop, tag, c->handler);
    *stop = tag - c->yslot;
    x[0] = THE_NON_VALUE;
    x[1] = cls;
    x[2] = p->fvalue;
    x[3] = raw;
    p->ftrace = THE_NON_VALUE;
    return c->handler;
}

Term raise_catch_value(Process *p, Term cls_atom, Term reason, Term raw)
{
    if (cls_atom == AM_throw) return reason;
    if (cls_atom == AM_exit) return heap_tuple2(p, AM_EXIT, reason);
    Term inner = heap_tuple2(p, reason, raise_raw_list(raw));
    return heap_tuple2(p, AM_EXIT, inner);
}

Term raise_exit_reason(Process *p)
{
    Term list = raise_is_raw_trace(p->ftrace) ? raise_raw_list(p->ftrace) : NIL;
    switch (p->freason) {
    case EXC_EXIT: return p->fvalue;
    case EXC_THROW: return heap_tuple2(p, heap_tuple2(p, AM_nocatch, p->fvalue), list);
    default: return heap_tuple2(p, p->fvalue, list);
    }
}
