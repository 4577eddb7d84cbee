/*
 * os_signal.h - OS signals as erl takes them (prefix ossig_).
 *
 * A signal the VM handles is not acted on where it arrives: its handler
 * writes the signal's number to a pipe, and a dispatcher thread sends the
 * event {notify, Name} (Name sigterm, sigusr1, ...) to the process registered
 * as erl_signal_server, kernel's gen_event, whose erl_signal_handler stops the
 * system on sigterm (init:stop/0), halts on sigquit, and halts with the slogan
 * "Received SIGUSR1" on sigusr1; a program adds handlers of its own there.
 * Without such a process (before kernel starts) the signal is dropped, as on
 * OTP. os:set_signal/2 picks handle, default or ignore per signal.
 */
#ifndef ERBIUM_OS_SIGNAL_H
#define ERBIUM_OS_SIGNAL_H

#include "runtime/term/term.h"

#include <stdbool.h>

/* Starts the dispatcher (once per OS process) and handles sigterm, sigquit and sigusr1, as
   erl does from its start. Returns false if the pipe or the thread could not be made. */
bool ossig_start(void);

/* The signal number of an os:set_signal/2 signal name, or 0 for a name it does not take. */
int ossig_number(Term name);

/* Gives signal signo the disposition how: AM_handle, AM_default or AM_ignore (anything
   else: false). The dispatcher is started on demand. */
bool ossig_set(int signo, Term how);

#endif
