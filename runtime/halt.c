/* halt.c - preparing for erlang:halt (see halt.h). */
#include "runtime/halt.h"

#include <stdio.h>

static void (*hook)(void *ctx);
static void *hook_ctx;

void halt_set_hook(void (*fn)(void *ctx), void *ctx)
{
    hook = fn;
    hook_ctx = ctx;
}

void halt_prepare(void)
{
    fflush(stdout);
    if (hook) hook(hook_ctx);
    fflush(stdout);
}
