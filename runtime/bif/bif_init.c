/*
 * bif_init.c - init:get_arguments/0 over the flags the embedder listed
 * (see init_args.h). The rest of OTP's init module (boot scripts, stop,
 * restart) has no counterpart in erbium.
 */
#include "runtime/bif/bif.h"
#include "runtime/init_args.h"

static Term arguments = NIL;
static Term *last_tail = &arguments;

void init_args_append(Term cell)
{
    *last_tail = cell;
    last_tail = &list_val(cell)[1];
}

void init_args_clear(void)
{
    arguments = NIL;
    last_tail = &arguments;
}

Term bif_init_get_arguments_0(Process *p, const Term *args) { return arguments; }
