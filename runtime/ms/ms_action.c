/*
 * ms_action.c - the trace control word and the trace actions as
 * erlang:match_spec_test/3 performs them: in a process that has no tracer,
 * so they validate their arguments but change nothing.
 */
#include "runtime/ms/ms_int.h"

#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/binary.h"

#include <stdio.h>

static atomic_uint_fast32_t tcw;

uint32_t ms_tcw_get(void) { return (uint32_t)atomic_load_explicit(&tcw, memory_order_relaxed); }

uint32_t ms_tcw_set(uint32_t value)
{
    return (uint32_t)atomic_exchange_explicit(&tcw, value, memory_order_relaxed);
}

/* The process trace flags erlang:trace/3 accepts (tracer options excluded). */
static bool is_trace_flag(Term f)
{
    static const char *const names[] = {
        "all", "send", "receive", "procs", "ports", "call", "arity", "return_to", "silent", "running",
        "exiting", "running_procs", "running_ports", "garbage_collection", "timestamp", "cpu_timestamp",
        "monotonic_timestamp", "strict_monotonic_timestamp", "set_on_spawn", "set_on_first_spawn",
        "set_on_link", "set_on_first_link",
    };
    if (!is_atom(f)) return false;
    const char *text = atom_text(f);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], text) == 0) return true;
    return false;
}

static bool is_flag_list(Term l)
{
    for (; is_list(l); l = list_tail(l))
        if (!is_trace_flag(list_head(l))) return false;
    return is_nil(l);
}

static bool is_seq_component(Term c)
{
    static const char *const names[] = {"label", "serial", "send", "receive", "print", "timestamp",
                                        "monotonic_timestamp", "strict_monotonic_timestamp", "spawn"};
    if (!is_atom(c)) return false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], atom_text(c)) == 0) return true;
    return false;
}

static Term process_dump(Process *p)
{
    char text[96];
    int n = snprintf(text, sizeof text, "=proc:<0.%llu.%llu>\nState: Running\n",
                     (unsigned long long)pid_text_number(pid_number(p->pid)),
                     (unsigned long long)pid_text_serial(pid_number(p->pid)));
    return binary_from_bytes(p, (const uint8_t *)text, (size_t)n);
}

Term ms_default_action(void *ctx, Process *p, MsAction act, const Term *args)
{
    (void)ctx;
    switch (act) {
    case MS_ACT_CALLER:
    case MS_ACT_CALLER_LINE: return atom_from_cstr("undefined");
    case MS_ACT_PROCESS_DUMP: return process_dump(p);
    case MS_ACT_TRACE2: return is_flag_list(args[0]) && is_flag_list(args[1]) ? AM_false : THE_NON_VALUE;
    case MS_ACT_TRACE3:
        return (is_pid(args[0]) || is_port(args[0])) && is_flag_list(args[1]) && is_flag_list(args[2])
                   ? AM_false : THE_NON_VALUE;
    case MS_ACT_ENABLE1:
    case MS_ACT_DISABLE1: return is_trace_flag(args[0]) ? AM_true : THE_NON_VALUE;
    case MS_ACT_ENABLE2:
    case MS_ACT_DISABLE2: return (is_pid(args[0]) || is_port(args[0])) && is_trace_flag(args[1]) ? AM_true : THE_NON_VALUE;
    case MS_ACT_GET_SEQ_TOKEN: return NIL;
    case MS_ACT_SET_SEQ_TOKEN: return is_seq_component(args[0]) ? NIL : THE_NON_VALUE;
    case MS_ACT_IS_SEQ_TRACE: return AM_false;
    case MS_ACT_DISPLAY: return bif_display_1(p, args);
    case MS_ACT_GET_TCW: return make_small(ms_tcw_get());
    case MS_ACT_SET_TCW: return is_small(args[0]) && small_val(args[0]) >= 0 ? make_small(ms_tcw_get()) : THE_NON_VALUE;
    }
    return THE_NON_VALUE;
}
