/*
 * error_report.h - the report of a process that dies of an error, as OTP's
 * emulator makes it: "Error in process ~p with exit value:~n~p~n" sent to
 * the system logger (logger's process formats and prints it), or printed on
 * standard error when no logger runs. Other emulator reports (max_heap_size)
 * go the same way.
 */
#ifndef ERBIUM_ERROR_REPORT_H
#define ERBIUM_ERROR_REPORT_H

#include "runtime/proc/process.h"

/* On the exiting process p, with its exit reason (on p's heap). */
void error_report_exit(Process *p, Term reason);

/*
 * Another report of the emulator about p (io_lib format and its arguments,
 * which may live anywhere), as OTP's erts_send_error_term_to_logger sends
 * it. Built off p's heap, so the collector may call it. False when no
 * logger runs (nothing was sent).
 */
bool error_report_emulator(Process *p, const char *format, Term args);

#endif
