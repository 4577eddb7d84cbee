/*
 * init_args.h - the command-line flags init:get_arguments/0 reports.
 *
 * erl's init keeps every "-Flag Values..." of its command line that it does
 * not consume itself, plus a few it adds (root, progname, home). erbium has
 * no init process; the embedder lists the flags with erb_vm_add_argument()
 * (vm.h) before running any code, and they are kept here as one list in
 * memory that outlives every process, returned without copying.
 */
#ifndef ERBIUM_INIT_ARGS_H
#define ERBIUM_INIT_ARGS_H

#include "runtime/term/term.h"

/* Appends one list cell [{Flag, Values}] (not on any process heap). Not while code runs. */
void init_args_append(Term cell);
/* Forgets them all (the memory they are in is going away). */
void init_args_clear(void);

#endif
