/*
 * process.h - an Erlang process: heap, stack, registers saved while it is
 * not running, and the exception state.
 *
 * Memory layout: one block holds heap and stack. The heap grows up from
 * `heap` (next free word: `htop`), the stack grows down from `hend` (top of
 * stack: `stop`). Free space is [htop, stop). A call pushes its return
 * address (a code address: 8-aligned, so it looks like a header word and the
 * GC skips it); `allocate N` then reserves N words below it, so y(n) is
 * stop[n] and the return address is stop[N].
 *
 * BIFs that need more heap than is free get a heap fragment (see heap.h);
 * the next garbage collection folds fragments into the new heap.
 */
#ifndef ERBIUM_PROCESS_H
#define ERBIUM_PROCESS_H

#include "runtime/term.h"

typedef uintptr_t BeamInstr;

/* A block of heap allocated outside the main heap (by a BIF that had no room). */
typedef struct HeapFrag {
    struct HeapFrag *next;
    size_t size; /* words in mem[] */
    size_t used; /* words in use */
    Term mem[];
} HeapFrag;

/* Exception class, kept in Process.freason. */
enum exc_class {
    EXC_NONE = 0,
    EXC_ERROR = 1,
    EXC_EXIT = 2,
    EXC_THROW = 3,
};

#define MAX_X_REGS 1024

typedef struct Process {
    /* heap and stack (one block) */
    Term *heap;
    Term *htop;
    Term *stop;
    Term *hend;
    HeapFrag *frags;
    size_t frag_words;   /* words used in all fragments */
    size_t min_heap_words;
    uint64_t gc_count;   /* collections so far (for tests and statistics) */

    /* identity */
    Term pid;

    /* execution state while not running */
    const BeamInstr *i;  /* next instruction */
    int arity;           /* live x registers saved in xsave */
    Term *xsave;
    intptr_t fcalls;     /* reductions left in this slice */

    /*
     * Exception state. freason is the class (enum exc_class); fvalue the
     * reason; ftrace the stacktrace in list form ([{M,F,ArityOrArgs,Loc}]);
     * fargs, when not THE_NON_VALUE, the argument list to put in the top
     * frame (function_clause, BIF errors).
     */
    int freason;
    Term fvalue;
    Term ftrace;
    Term fargs;
    bool fbif_frame;     /* the failing BIF (fbif, with fargs) goes on top of the stack trace */
    const struct Export *fbif;
    int catches;         /* active catch/try tags on the stack */

    Term dictionary;     /* process dictionary: NIL or a hash table tuple; only pdict.c reads it */
    Term group_leader;
} Process;

/*
 * A new process that will run the code at `entry` with x0..x(arity-1) =
 * args (copied as they are: they must not live on another process's heap),
 * and exit normally when that code returns. NULL when out of memory.
 */
Process *process_new(const BeamInstr *entry, const Term *args, int arity);
void process_free(Process *p);

/* The y register slot y(n) of the current frame, given the stack top. */
#define YREG(stop, n) ((stop)[(n)])

#endif
