/* error_report.c - a crashed process's report (see error_report.h). */
#include "runtime/proc/error_report.h"

#include "runtime/proc/heap.h"
#include "runtime/proc/registry.h"
#include "runtime/proc/signal.h"
#include "runtime/sys/sys.h"
#include "runtime/term/atom.h"
#include "runtime/term/map.h"
#include "runtime/term/strbuf.h"
#include "runtime/term/term_print.h"
#include "runtime/time/arith_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More than the two small flat maps of metadata() take. */
#define METADATA_WORDS 32

static const char format[] = "Error in process ~p with exit value:~n~p~n";


static Term *heap_words(void *p, size_t words) { return heap_alloc(p, words); }

/* #{error_logger => #{emulator => true, tag => error}, gl => GL, pid => P, time => Us}: what
   OTP's emulator attaches (keys in term order, as map_from_sorted wants them). */
static Term metadata(Process *p, TermAlloc a)
{
    Term el_keys[2] = {atom_from_cstr("emulator"), AM_tag};
    Term el_vals[2] = {AM_true, AM_error};
    Term error_logger = map_from_sorted(a, el_keys, el_vals, 2);
    int64_t us = arith_time_system() / (ARITH_TIME_NATIVE_PER_SECOND / 1000000);
    Term keys[4] = {AM_error_logger, atom_from_cstr("gl"), atom_from_cstr("pid"), atom_from_cstr("time")};
    Term vals[4] = {error_logger, p->group_leader, p->pid, make_small(us)};
    return map_from_sorted(a, keys, vals, 4);
}

/* {log, error, Format, Args, Metadata} built with a. */
static Term log_message(Process *p, TermAlloc a, const char *format, Term args)
{
    size_t n = strlen(format);
    Term *cells = a.alloc(a.ctx, 2 * n), fmt = NIL;
    for (size_t i = n; i-- > 0;) {
        cells[2 * i] = make_small((unsigned char)format[i]);
        cells[2 * i + 1] = fmt;
        fmt = make_list(cells + 2 * i);
    }
    Term meta = metadata(p, a);
    Term *t = a.alloc(a.ctx, 6);
    t[0] = make_tuple_header(5);
    t[1] = atom_from_cstr("log");
    t[2] = AM_error;
    t[3] = fmt;
    t[4] = args;
    t[5] = meta;
    return make_boxed(t);
}

/* The system logger's pid, or NIL when none runs (or p is the logger). */
static Term logger_pid(Process *p)
{
    Term logger = sys_system_logger();
    if (is_atom(logger)) logger = reg_whereis(logger);
    return is_pid(logger) && logger != p->pid ? logger : NIL;
}

static void print_to_stderr(Process *p, Term reason)
{
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "=ERROR REPORT==== Error in process <0.%llu.%llu> with exit value:\n",
              (unsigned long long)pid_text_number(pid_number(p->pid)),
              (unsigned long long)pid_text_serial(pid_number(p->pid)));
    term_print(&sb, reason, 0, 80);
    sb_puts(&sb, "\n\n");
    fputs(sb.data, stderr);
    sb_free(&sb);
}

void error_report_exit(Process *p, Term reason)
{
    Term logger = logger_pid(p);
    if (logger == NIL) {
        print_to_stderr(p, reason);
        return;
    }
    Term args = heap_cons(p, p->pid, heap_cons(p, reason, NIL));
    signal_send(p, logger, log_message(p, (TermAlloc){heap_words, p}, format, args));
}

/* A bump allocator over one malloc'd block (sized by the caller for what it builds). */
typedef struct Arena {
    Term *next, *end;
} Arena;

static Term *arena_words(void *ctx, size_t words)
{
    Arena *a = ctx;
    if ((size_t)(a->end - a->next) < words) abort(); /* the caller sizes the block for what it builds */
    Term *r = a->next;
    a->next += words;
    return r;
}

bool error_report_emulator(Process *p, const char *fmt, Term args)
{
    Term logger = logger_pid(p);
    if (logger == NIL) return false;
    size_t words = 2 * strlen(fmt) + 6 + METADATA_WORDS;
    Term *block = malloc(words * sizeof(Term));
    if (!block) return false;
    Arena arena = {block, block + words};
    signal_post(SIG_MESSAGE, logger, p->pid, log_message(p, (TermAlloc){arena_words, &arena}, fmt, args), false);
    free(block);
    return true;
}
