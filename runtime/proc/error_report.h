/*
 * error_report.h - the report of a process that dies of an error, as OTP's
 * emulator makes it: "Error in process ~p with exit value:~n~p~n" sent to
 * the system logger (logger's process formats and prints it), or printed on
 * standard error when no logger runs.
 */
#ifndef ERBIUM_ERROR_REPORT_H
#define ERBIUM_ERROR_REPORT_H

#include "runtime/proc/process.h"

/* On the exiting process p, with its exit reason (on p's heap). */
void error_report_exit(Process *p, Term reason);

#endif
