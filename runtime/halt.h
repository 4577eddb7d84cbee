/*
 * halt.h - what runs when erlang:halt ends the OS process: C stdio is
 * flushed, then an embedder's hook runs (the command line prints its
 * profile there), then the process exits.
 */
#ifndef ERBIUM_HALT_H
#define ERBIUM_HALT_H

/* Sets the hook (NULL: none). Set it before running code that may halt. */
void halt_set_hook(void (*fn)(void *ctx), void *ctx);
/* Flushes output and runs the hook, on the halting thread. */
void halt_prepare(void);

#endif
