/* call_trace.c - call trace messages and match-spec actions (see call_trace.h). */
#include "profiler/call_trace.h"

#include "profiler/seq_trace.h"
#include "profiler/trace_msg.h"
#include "runtime/interp/interp.h"
#include "runtime/interp/raise.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "runtime/term/atom.h"
#include "runtime/bif/bif.h"

#include <stdatomic.h>

/* The tracer that should get p's call trace messages, or NIL; `tracer` is p's. */
static Term receiver(const Process *p, Term tracer)
{
    if (!trace_is_tracer(tracer) || tracer == p->pid || (trace_flags_of(p) & TRACE_SILENT)) return NIL;
    return tracer;
}

static Term tracer_of(const Process *p)
{
    return receiver(p, atomic_load_explicit(&((Process *)p)->tracer, memory_order_relaxed));
}

static Term mfa_arity(Process *p, const BpData *bd)
{
    Term *hp = heap_alloc(p, 4);
    hp[0] = make_tuple_header(3);
    hp[1] = bd->mod;
    hp[2] = bd->fun;
    hp[3] = make_small(bd->arity);
    return make_boxed(hp);
}

/* {trace, Pid, What, A} or, when b is a value, {trace, Pid, What, A, B} (stamped as trace_msg.h says). */
static void send_trace(Process *p, Term tracer, Term what, Term a, Term b)
{
    trace_msg_post_as(p->pid, tracer, trace_flags_of(p), what, a, b);
}

/* Meta trace messages carry erlang:timestamp/0's stamp, whatever the process's flags. */
static void send_meta(Process *p, Term tracer, Term what, Term a, Term b)
{
    trace_msg_post_as(p->pid, tracer, TRACE_TIMESTAMP, what, a, b);
}

/* ---- match-spec actions that need the traced process ---- */

typedef struct ActionCtx {
    const Term *stop;
} ActionCtx;

/* The words of a return frame whose first word is w (0: not a frame). */
static unsigned frame_words(Term w)
{
    if (w == (Term)interp_time_return_stub() || w == (Term)interp_return_trace_stub(false) ||
        w == (Term)interp_return_trace_stub(true))
        return 2;
    if (w == (Term)interp_meta_trace_stub(false) || w == (Term)interp_meta_trace_stub(true)) return 3;
    if (w == (Term)interp_return_to_stub()) return 1;
    return 0;
}

/* {M, F, A} of the function containing pc, or undefined. */
static Term mfa_at(Process *p, const BeamInstr *pc)
{
    Module *m;
    const FuncRange *f = module_func_at(pc, &m);
    if (!f) return AM_undefined;
    Term *hp = heap_alloc(p, 4);
    hp[0] = make_tuple_header(3);
    hp[1] = m->name;
    hp[2] = f->function;
    hp[3] = make_small(f->arity);
    return make_boxed(hp);
}

/* {M, F, A} of the function the call returns to (skipping trace frames), or
   undefined; with `line`, {M, F, A, {File, Line}} as OTP 25's caller_line
   (the line of the call: the instruction before the return address). */
static Term caller_of(Process *p, const Term *stop, bool line)
{
    for (const Term *sp = stop; sp < p->hend; sp++) {
        unsigned words = frame_words(*sp);
        if (words) {
            sp += words - 1;
            continue;
        }
        if (!is_header(*sp)) continue;
        Module *m;
        const BeamInstr *ret = (const BeamInstr *)*sp;
        const FuncRange *f = module_func_at(ret, &m);
        if (!f) return AM_undefined;
        Term where = THE_NON_VALUE;
        if (line) {
            uint32_t file, lineno;
            module_location(m, ret - 1, &file, &lineno);
            where = heap_tuple2(p, lineno ? module_file_term(m, file) : AM_undefined,
                                lineno ? make_small(lineno) : AM_undefined);
        }
        Term *hp = heap_alloc(p, line ? 5 : 4);
        hp[0] = make_tuple_header(line ? 4 : 3);
        hp[1] = m->name;
        hp[2] = f->function;
        hp[3] = make_small(f->arity);
        if (line) hp[4] = where;
        return make_boxed(hp);
    }
    return AM_undefined;
}

/* The flags of a trace flag list that erbium's processes carry. */
static uint32_t flag_bits(Term list)
{
    uint32_t bits = 0;
    for (; is_list(list); list = CDR(list_val(list))) bits |= trace_flag_bit(CAR(list_val(list)));
    return bits;
}

/*
 * Changes q's flags with the tracer of p (the process running the spec), as
 * OTP: without a tracer, or when q has another, nothing changes. Returns
 * whether anything could change.
 */
static bool change_flags(Process *p, Term target, uint32_t off, uint32_t on)
{
    Term tracer = atomic_load_explicit(&p->tracer, memory_order_relaxed);
    if (!trace_is_tracer(tracer)) return false;
    Process *q = target == p->pid ? p : ptab_lookup(target);
    if (!q) return false;
    Term theirs = atomic_load_explicit(&q->tracer, memory_order_relaxed);
    if (trace_is_tracer(theirs) && theirs != tracer && trace_flags_of(q)) return false;
    if (off) trace_flags_set(q, off, false, tracer);
    if (on) trace_flags_set(q, on, true, tracer);
    return true;
}

static Term trace_action(void *vctx, Process *p, MsAction act, const Term *args)
{
    ActionCtx *ctx = vctx;
    /* the defaults validate the arguments (THE_NON_VALUE: the action's value is 'EXIT') */
    bool caller = act == MS_ACT_CALLER || act == MS_ACT_CALLER_LINE;
    Term checked = ms_default_action(NULL, p, caller ? MS_ACT_GET_TCW : act, args);
    if (!is_value(checked)) return checked;
    switch (act) {
    case MS_ACT_CALLER: return caller_of(p, ctx->stop, false);
    case MS_ACT_CALLER_LINE: return caller_of(p, ctx->stop, true);
    case MS_ACT_TRACE2: return change_flags(p, p->pid, flag_bits(args[0]), flag_bits(args[1])) ? AM_true : AM_false;
    case MS_ACT_TRACE3:
        return is_pid(args[0]) && change_flags(p, args[0], flag_bits(args[1]), flag_bits(args[2])) ? AM_true : AM_false;
    case MS_ACT_ENABLE1: change_flags(p, p->pid, 0, trace_flag_bit(args[0])); return AM_true;
    case MS_ACT_DISABLE1: change_flags(p, p->pid, trace_flag_bit(args[0]), 0); return AM_true;
    case MS_ACT_ENABLE2:
        if (is_pid(args[0])) change_flags(p, args[0], 0, trace_flag_bit(args[1]));
        return AM_true;
    case MS_ACT_DISABLE2:
        if (is_pid(args[0])) change_flags(p, args[0], trace_flag_bit(args[1]), 0);
        return AM_true;
    case MS_ACT_SET_TCW: return make_small(ms_tcw_set((uint32_t)small_val(args[0])));
    case MS_ACT_GET_SEQ_TOKEN: return seq_trace_token(p);
    case MS_ACT_SET_SEQ_TOKEN: return is_value(seq_trace_ms_set(p, args[0], args[1])) ? AM_true : THE_NON_VALUE;
    case MS_ACT_IS_SEQ_TRACE: return seq_trace_token(p) == NIL ? AM_false : AM_true;
    default: return checked;
    }
}

/* ---- calls, returns, exceptions ---- */

/*
 * Runs the spec `ms` (NULL: none) for a call of bd's function with p's
 * arguments x. Returns false when the spec does not match; else *frame is
 * the return frame it asks for, *msg the call message's {M, F, Args} and
 * *extra its extra element (THE_NON_VALUE: none; NIL with *msg
 * THE_NON_VALUE: message(false)).
 */
static bool run_spec(Process *p, const BpData *bd, MsProg *ms, const Term *x, const Term *stop, CtFrame *frame,
                     Term *msg, Term *extra)
{
    Term args = raise_args_list(p, x, bd->arity);
    *extra = THE_NON_VALUE;
    *frame = CT_FRAME_NONE;
    if (ms) {
        ActionCtx actx = {stop};
        MsRunCtx ctx = {trace_action, &actx, true};
        MsResult res;
        if (!ms_run(ms, p, args, &ctx, &res)) return false;
        if (res.flags & MS_FLAG_SILENT_SET) trace_flags_set(p, TRACE_SILENT, true, atomic_load(&p->tracer));
        else if (res.flags & MS_FLAG_SILENT_CLEAR) atomic_fetch_and(&p->trace_flags, ~(uint32_t)TRACE_SILENT);
        if (res.flags & MS_FLAG_EXCEPTION_TRACE) {
            *frame = CT_FRAME_EXCEPTION;
            p->ct_exception_frames = true;
        } else if (res.flags & MS_FLAG_RETURN_TRACE) {
            *frame = CT_FRAME_RETURN;
        }
        if (res.value == AM_false) {
            *msg = THE_NON_VALUE;
            return true;
        }
        if (res.value != AM_true) *extra = res.value;
    }
    Term *hp = heap_alloc(p, 4);
    hp[0] = make_tuple_header(3);
    hp[1] = bd->mod;
    hp[2] = bd->fun;
    hp[3] = (trace_flags_of(p) & TRACE_ARITY) ? make_small(bd->arity) : args;
    *msg = make_boxed(hp);
    return true;
}

CtFrame call_trace_call(Process *p, const BpData *bd, const BpSlot *s, const Term *x, const Term *stop,
                        bool *matched)
{
    /* the spec may turn the call flag (and so the tracer) off: this call is still reported, as OTP */
    Term tracer = atomic_load_explicit(&p->tracer, memory_order_relaxed);
    CtFrame frame;
    Term msg, extra;
    *matched = run_spec(p, bd, s->ms, x, stop, &frame, &msg, &extra);
    if (!*matched) return CT_FRAME_NONE;
    tracer = receiver(p, tracer);
    if (is_value(msg) && !is_nil(tracer)) send_trace(p, tracer, AM_call, msg, extra);
    return frame;
}

CtFrame call_trace_meta(Process *p, const BpData *bd, const BpSlot *s, const Term *x, const Term *stop)
{
    CtFrame frame;
    Term msg, extra;
    if (!run_spec(p, bd, s->meta_ms, x, stop, &frame, &msg, &extra)) return CT_FRAME_NONE;
    if (is_value(msg)) send_meta(p, s->meta_tracer, AM_call, msg, extra);
    return frame;
}

void call_trace_meta_return(Process *p, const BpData *bd, Term tracer, Term value)
{
    send_meta(p, tracer, AM_return_from, mfa_arity(p, bd), value);
}

void call_trace_return(Process *p, const BpData *bd, Term value)
{
    Term tracer = tracer_of(p);
    if (is_nil(tracer)) return;
    send_trace(p, tracer, AM_return_from, mfa_arity(p, bd), value);
}

void call_trace_unwind(Process *p, const Term *top, const Term *limit, Term cls, Term reason)
{
    Term stub = (Term)interp_return_trace_stub(true), meta_stub = (Term)interp_meta_trace_stub(true);
    for (const Term *sp = top; sp + 1 < limit; sp++) {
        if (*sp == meta_stub && sp + 2 < limit) {
            send_meta(p, sp[2], AM_exception_from, mfa_arity(p, call_trace_frame_data(sp[1])),
                      heap_tuple2(p, cls, reason));
            continue;
        }
        if (*sp != stub) continue;
        Term tracer = tracer_of(p);
        if (is_nil(tracer)) continue;
        send_trace(p, tracer, AM_exception_from, mfa_arity(p, call_trace_frame_data(sp[1])), heap_tuple2(p, cls, reason));
    }
}

void call_trace_return_to(Process *p, const Term *next)
{
    Term tracer = tracer_of(p);
    if (is_nil(tracer) || !(trace_flags_of(p) & TRACE_RETURN_TO)) return;
    const Term *sp = next;
    for (unsigned words; sp < p->hend && (words = frame_words(*sp)) != 0;) sp += words;
    Term mfa = sp < p->hend && is_header(*sp) ? mfa_at(p, (const BeamInstr *)*sp) : AM_undefined;
    send_trace(p, tracer, AM_return_to, mfa, THE_NON_VALUE);
}

void call_trace_caught(Process *p, const Term *top, const Term *tag, const BeamInstr *handler)
{
    Term stub = (Term)interp_return_to_stub();
    for (const Term *sp = top; sp < tag; sp++) {
        if (*sp != stub) continue;
        Term tracer = tracer_of(p);
        if (!is_nil(tracer) && (trace_flags_of(p) & TRACE_RETURN_TO))
            send_trace(p, tracer, AM_return_to, mfa_at(p, handler), THE_NON_VALUE);
        return;
    }
}
