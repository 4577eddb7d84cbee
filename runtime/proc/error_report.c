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
#include <string.h>

static const char format[] = "Error in process ~p with exit value:~n~p~n";


/* #{error_logger => #{tag => error, emulator => true}, pid => P, gl => GL, time => Us}: what OTP's emulator attaches. */
static Term metadata(Process *p)
{
    Term el_keys[2] = {atom_from_cstr("emulator"), atom_from_cstr("tag")};
    Term el_vals[2] = {AM_true, AM_error};
    Term error_logger = map_from_pairs(p, el_keys, el_vals, 2);
    int64_t us = arith_time_system() / (ARITH_TIME_NATIVE_PER_SECOND / 1000000);
    Term keys[4] = {atom_from_cstr("error_logger"), atom_from_cstr("gl"), atom_from_cstr("pid"),
                    atom_from_cstr("time")};
    Term vals[4] = {error_logger, p->group_leader, p->pid, make_small(us)};
    return map_from_pairs(p, keys, vals, 4);
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
    Term logger = sys_system_logger();
    if (is_atom(logger)) logger = reg_whereis(logger);
    if (!is_pid(logger) || logger == p->pid) {
        print_to_stderr(p, reason);
        return;
    }
    Term args = heap_cons(p, p->pid, heap_cons(p, reason, NIL));
    Term *t = heap_alloc(p, 6);
    t[0] = make_tuple_header(5);
    t[1] = atom_from_cstr("log");
    t[2] = AM_error;
    t[3] = heap_string(p, format, sizeof format - 1);
    t[4] = args;
    t[5] = metadata(p);
    signal_send(p, logger, make_boxed(t));
}
