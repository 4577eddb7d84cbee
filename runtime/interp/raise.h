/*
 * raise.h - exceptions: error terms, stack traces, and unwinding to the
 * newest catch/try handler.
 *
 * An exception is raised by setting p->freason (class), p->fvalue (reason)
 * and optionally p->fargs / p->fbif (see process.h) and then calling
 * raise_unwind. A "raw stacktrace" (what try_case puts in x2 and what the
 * raise instruction takes) is the tuple {Class, StackList}; build_stacktrace
 * returns StackList. p->ftrace, when set before unwinding, is used as the
 * stack list instead of walking the stack (erlang:raise/3, rethrows).
 */
#ifndef ERBIUM_RAISE_H
#define ERBIUM_RAISE_H

#include "runtime/proc/process.h"
#include "runtime/term/binary.h"

#define BACKTRACE_DEPTH 8   /* the default of system_flag(backtrace_depth, N) */
#define RAISE_MAX_DEPTH 64  /* the most frames a stack trace holds */

/*
 * Handles the exception in p raised at pc with stack top *stop. If a
 * catch/try handles it, cuts the stack back (updates *stop), sets x0 =
 * THE_NON_VALUE, x1 = class, x2 = reason, x3 = raw stacktrace, and returns
 * the handler's address. Otherwise returns NULL with p->ftrace holding the
 * raw stacktrace for the exit report.
 */
const BeamInstr *raise_unwind(Process *p, const BeamInstr *pc, Term **stop, Term *x);

/* Class atom of an exc_class and back (0 if not a class atom). */
Term raise_class_atom(int cls);
int raise_class_from_atom(Term a);

/* For try_case/catch_end: the pieces of a raw stacktrace. */
bool raise_is_raw_trace(Term raw);
int raise_raw_class(Term raw);
Term raise_raw_list(Term raw);

/* Value a `catch` expression yields for Class:Reason with raw trace Raw. */
Term raise_catch_value(Process *p, Term cls_atom, Term reason, Term raw);

/* List of x[0..n) on p's heap. */
Term raise_args_list(Process *p, const Term *x, unsigned n);

/* The module that explains a failed BIF of bif_module for erl_error (OTP's
   erl_erts_errors, erl_stdlib_errors, erl_kernel_errors), or THE_NON_VALUE. */
Term raise_error_info_module(Term bif_module);

/* A binary construction failed at segment s (what: type, size, unit, short or invalid, as
   binary_plan says): the top frame gets OTP's [{error_info, #{cause => {Seg, Type, What,
   Value}, function => format_bs_fail, module => erl_erts_errors}}]. */
void raise_bs_error_info(Process *p, const BinSeg *s, Term what);

/* The exit reason of a process that died of an uncaught exception:
   error -> {Reason, Stack}, exit -> Reason, throw -> {{nocatch, Reason}, Stack}. */
Term raise_exit_reason(Process *p);

/* process_info's current_stacktrace of q (p itself or a process that is not running), at most
   depth frames, built on p's heap. */
Term raise_current_stacktrace(Process *p, const Process *q, int depth);
/* {M, F, A} (or {M, F, A, Location}) of the function holding the code at pc; THE_NON_VALUE if none. */
Term raise_code_mfa(Process *p, const BeamInstr *pc, bool with_location);

#endif
