/* max_heap.c - the max_heap_size limit (see max_heap.h). */
#include "runtime/proc/max_heap.h"

#include "profiler/trace_msg.h"
#include "runtime/proc/error_report.h"
#include "runtime/proc/proc_info.h"
#include "runtime/proc/signal.h"
#include "runtime/term/atom.h"

#include <stdio.h>

/* OTP 25's text (erl_gc.c); "on node ~p" follows the pid only on a distributed node. */
static const char report_format[] = "     Process:            ~p ~n"
                                    "     Context:            maximum heap size reached~n"
                                    "     Max Heap Size:      ~p~n"
                                    "     Total Heap Size:    ~p~n"
                                    "     Kill:               ~p~n"
                                    "     Error Logger:       ~p~n"
                                    "     Message Queue Len:  ~p~n"
                                    "     GC Info:            ~p~n";

#define REPORT_ARGS 7

static size_t block_words(const Term *lo, const Term *hi) { return lo ? (size_t)(hi - lo) : 0; }

/* Every block p holds now and the ones the collection adds. */
static size_t total_words(const Process *p, size_t new_words, size_t new_old_words)
{
    return block_words(p->heap, p->hend) + block_words(p->old_heap, p->old_hend) + p->frag_words + new_words +
           new_old_words;
}

/* process_info(P, garbage_collection_info) with the new blocks counted, in buf (5 words an item). */
static Term gc_info(const Process *p, Term *buf, size_t new_words, size_t new_old_words)
{
    Term names[PROC_GC_ITEMS];
    size_t values[PROC_GC_ITEMS];
    proc_info_gc_items(p, names, values);
    Term list = NIL;
    for (int i = PROC_GC_ITEMS - 1; i >= 0; i--) {
        size_t v = values[i];
        if (i == 0) v += new_old_words; /* old_heap_block_size */
        if (i == 1) v += new_words;     /* heap_block_size */
        Term *hp = buf + 5 * i;
        hp[0] = make_tuple_header(2);
        hp[1] = names[i];
        hp[2] = make_small((intptr_t)v);
        hp[3] = make_boxed(hp);
        hp[4] = list;
        list = make_list(hp + 3);
    }
    return list;
}

static void report(Process *p, size_t total, Term info)
{
    Term items[REPORT_ARGS] = {p->pid,
                               make_small((intptr_t)p->flags.max_heap_size),
                               make_small((intptr_t)total),
                               p->flags.max_heap_kill ? AM_true : AM_false,
                               AM_true,
                               make_small((intptr_t)p->mbox.len),
                               info};
    Term cells[2 * REPORT_ARGS], args = NIL;
    for (int i = REPORT_ARGS - 1; i >= 0; i--) {
        cells[2 * i] = items[i];
        cells[2 * i + 1] = args;
        args = make_list(cells + 2 * i);
    }
    if (!error_report_emulator(p, report_format, args))
        fprintf(stderr, "=ERROR REPORT==== <0.%llu.%llu>: maximum heap size reached (%zu words)\n",
                (unsigned long long)pid_text_number(pid_number(p->pid)),
                (unsigned long long)pid_text_serial(pid_number(p->pid)), total);
}

__attribute__((noinline)) bool maxheap_reached(Process *p, size_t new_words, size_t new_old_words)
{
    size_t total = total_words(p, new_words, new_old_words);
    if (total <= p->flags.max_heap_size) return false;
    bool traced = trace_on_gc(p);
    if (traced || p->flags.max_heap_log) {
        Term buf[5 * PROC_GC_ITEMS];
        Term info = gc_info(p, buf, new_words, new_old_words);
        if (traced) trace_msg_post(p, AM_gc_max_heap_size, info, THE_NON_VALUE);
        if (p->flags.max_heap_log) report(p, total, info);
    }
    return p->flags.max_heap_kill;
}

void maxheap_kill(Process *p)
{
    signal_post(SIG_EXIT, p->pid, p->pid, AM_kill, false);
}
