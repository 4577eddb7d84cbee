/*
 * oppairs.h - instruction-pair counts, for choosing superinstructions.
 *
 * Only in a build configured with -DERBIUM_OPPAIRS=ON: the interpreter's
 * dispatch then reports every instruction it runs, and at exit the counts of
 * the most frequent instructions and of consecutive pairs (in one process's
 * run) are written to the file the environment variable ERBIUM_OPPAIRS names
 * (see scripts/oppairs.sh). Ordinary builds contain none of this.
 */
#ifndef ERBIUM_OPPAIRS_H
#define ERBIUM_OPPAIRS_H

/* Counts the instruction whose handler is `handler`, and the pair it forms with the
   instruction this thread ran before it. */
void oppairs_note(const void *handler);
/* The next instruction this thread runs starts no pair (a new slice begins). */
void oppairs_break(void);

#endif
