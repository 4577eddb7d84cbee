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

#include "runtime/term/term.h"

#include <pthread.h>
#include <stdatomic.h>

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

typedef enum ProcPriority { PRIO_MAX, PRIO_HIGH, PRIO_NORMAL, PRIO_LOW, PRIO_COUNT } ProcPriority;

#include "runtime/proc/mailbox.h"
#include "runtime/proc/monitor_set.h"

/* Options a process runs with besides trap_exit and priority (process_flag/2, spawn_opt). */
typedef struct ProcFlags {
    Term error_handler;        /* module for undefined functions (an atom) */
    uint64_t min_bin_vheap;    /* words, as OTP reports them */
    uint32_t fullsweep_after;  /* minor collections before a major one */
    uint32_t minor_gcs;        /* minor collections since the last major one */
    uint64_t max_heap_size;    /* words; 0: no limit */
    bool max_heap_kill, max_heap_log;
    bool off_heap_queue;       /* message_queue_data: off_heap */
    bool sensitive;
    int16_t save_calls;        /* 0..10000 */
    uint32_t monitor_nodes;    /* process_flag(monitor_nodes, true) subscriptions */
} ProcFlags;

typedef struct Process {
    /*
     * Touched by other threads, even after the process exits and its struct
     * is reused (see proc_table.h): written atomically, never zeroed.
     */
    Term pid;            /* read and written with __atomic builtins */
    _Atomic int sched_state;
    Mailbox mbox;        /* others push to mbox.inbox only */
    /* Held by whichever thread runs the process (a scheduler for a slice, a dirty
       thread for a native) and by a process inspecting it (process_info). */
    pthread_mutex_t status_lock;
    /* Trace flags (profiler/trace_flags.h) and the tracer's pid (or NIL): set by
       whichever process calls erlang:trace/3, so atomic; reset at spawn. */
    _Atomic uint32_t trace_flags;
    _Atomic Term tracer;

    /* Everything below belongs to the process; zeroed when the struct is reused. */
    char owned_start[0];

    /* heap and stack (one block) */
    Term *heap;
    Term *htop;
    Term *stop;
    Term *hend;
    HeapFrag *frags;
    size_t frag_words;   /* words used in all fragments */
    /* What the interpreter must look at after a BIF returns (PATTN_* bits), so that
       the common case is one test: fragments to fold in, a garbage_collect() of
       itself, a suspend. Set by atomic or (a suspender sets PATTN_SUSPEND from
       another thread, under the status lock), cleared by the process itself. */
    _Atomic uint32_t attention;
    size_t min_heap_words;
    uint64_t gc_count;   /* collections so far (for tests and statistics) */
    /* Reference-counted binaries: a list through their handles on this heap, their
       total bytes, and the total above which a collection is due (see binary.h). */
    struct OffHeap { Term *first; size_t bytes, limit; } off_heap;
    /* The old generation (gc.c): a block of objects that survived two collections,
       which minor collections neither copy nor scan. NULL until one is needed. */
    Term *old_heap;
    Term *old_htop;
    Term *old_hend;
    Term *hwm;           /* high-water mark: heap words below it survived the last collection */

    /* execution state while not running */
    const BeamInstr *i;  /* next instruction */
    int arity;           /* live x registers saved in xsave */
    int xsave_cap;
    Term *xsave;
    intptr_t fcalls;     /* reductions left in this slice (stored at each call of a BIF) */
    uint64_t reductions; /* reductions of the slices before the current one */

    /* scheduling (see sched/sched.c) */
    int priority;        /* ProcPriority */
    int home;            /* index of the scheduler whose run queue it joins */
    struct Process *rq_next;

    /* signals, links, monitors */
    bool trap_exit;
    bool has_run;        /* a slice has run (before, `running` trace names the initial call) */
    bool exiting;        /* an exit signal killed it: exit with fvalue */
    bool is_boot;        /* runs an embedder's erb_vm_call: its end is reported by vm.c */
    bool is_system;      /* a system process (erts_internal:spawn_system_process/3, the first ones) */
    struct Message *systasks; /* system tasks to perform after the slice (loader/code_systask.c) */
    Term *links;         /* linked pids */
    uint32_t num_links, cap_links;
    MonitorSet watchers; /* monitors others hold on this process */
    MonitorSet watching; /* monitors this process holds */
    MonitorSet aliases;  /* active aliases (alias.h) */
    Term registered_name;/* atom, or NIL */

    /* suspend_process/resume_process (suspend.h) */
    uint32_t suspend_count;  /* suspends in force on this process: changed under status_lock */
    uint32_t n_suspending, cap_suspending;
    struct SuspendRec *suspending; /* whom this process suspends: changed by itself only */

    /* debugger breakpoints (runtime/debug/dbg.h): the hit the process is suspended
       at (0 = none) and its site, where it goes on when resumed */
    uint64_t dbg_hit;
    const BeamInstr *dbg_pc;

    const struct Export *dirty_call; /* the native a RUN_DIRTY slice ended on */

    /* receive ... after */
    _Atomic int timer_state; /* TIMER_NONE / TIMER_ARMED / TIMER_FIRED */
    uint64_t timer;      /* the receive timer's id (timer.h) while armed */
    _Atomic uint32_t timer_gen; /* bumped when a receive timer is cancelled: a late firing is ignored */

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
    Term ferror_info;    /* error/3's {error_info, _} option for the top frame's location, or THE_NON_VALUE */
    bool fbif_frame;     /* the failing BIF (fbif, with fargs) goes on top of the stack trace */
    const struct Export *fbif;
    int catches;         /* active catch/try tags on the stack */

    /* call_time accounting (profiler/calltime.h): the traced function the process
       is in (its entry) or NULL, when its time was last charged (pclock ticks), and
       the call_time item of that function in this thread's table (a cache). */
    const BeamInstr *ct_entry;
    uint64_t ct_since;
    const void *ct_cache_time;
    void *ct_cache_item;
    /* call_memory (same accounting): words allocated when last charged, and the
       call_memory item of the current function (a cache like ct_cache_item). */
    uint64_t cm_since;
    const void *cm_cache_memory;
    void *cm_cache_item;
    /* Heap words allocated before the last collection, less those still on the heap
       then: allocated words so far = alloc_base + heap and fragment words in use
       (see heap_allocated_words), continuous across collections (gc.c). */
    uint64_t alloc_base;
    bool ct_exception_frames; /* an exception_trace or return_to frame was pushed once (profiler/call_trace.h) */
    bool dbg_exit_frames;     /* the debugger agent pushed an exit frame once (runtime/debug/dbg.h) */
    /* A wait in receive (while waits are sampled) or a dirty call in progress
       (profiler/sample.c): when it began (0: none), its stack (in the table of
       `sample_pending_slot` of the sample set numbered `sample_pending_set`); queries
       read them from other threads, `since` serving as a sequence lock. */
    _Atomic uint64_t sample_pending_since;
    _Atomic(const void *) sample_pending_stack;
    _Atomic uint64_t sample_pending_set;
    _Atomic int sample_pending_slot;

    /* seq_trace token (profiler/seq_trace.h), written by the process only: seq_label is
       THE_NON_VALUE without one (a GC root), seq_serial and seq_last the token's Serial and
       LastCnt; seq_clock and seq_received the process's counters; seq_epoch the reset
       epoch they belong to. */
    Term seq_label, seq_from;
    uint32_t seq_flags, seq_epoch;
    uint64_t seq_serial, seq_last, seq_clock, seq_received;

    Term dictionary;     /* process dictionary: NIL or a hash table tuple; only pdict.c reads it */
    Term group_leader;

    /* Set at spawn, read by process_info (proc_info.c). */
    Term initial_call[3]; /* module, function (atoms), arity (small); NIL when unknown */
    Term parent;          /* the spawning process, or the atom undefined */
    /* Flags process_flag/2 and spawn_opt set (proc_flags.c); defaults from process_new. */
    ProcFlags flags;
} Process;

enum { TIMER_NONE, TIMER_ARMED, TIMER_FIRED };

/* Process.attention bits. */
enum {
    PATTN_FRAGS = 1,   /* heap fragments exist: fold them in if they outgrow the free space */
    PATTN_GC = 2,      /* garbage_collect() of itself: done when the BIF returns */
    PATTN_SUSPEND = 4, /* suspend_count > 0: end the slice */
    PATTN_BINARIES = 8, /* off-heap binaries outgrew their limit: collect when the BIF returns */
};

static inline void process_attention_set(Process *p, uint32_t bits)
{
    if ((atomic_load_explicit(&p->attention, memory_order_relaxed) & bits) != bits)
        atomic_fetch_or_explicit(&p->attention, bits, memory_order_relaxed);
}

static inline void process_attention_clear(Process *p, uint32_t bits)
{
    if (atomic_load_explicit(&p->attention, memory_order_relaxed) & bits)
        atomic_fetch_and_explicit(&p->attention, ~bits, memory_order_relaxed);
}

/*
 * A new process (registered in the process table, not yet scheduled) that
 * will run the code at `entry` with x0..x(arity-1) = copies of args (which
 * may live anywhere), and exit normally when that code returns. NULL when
 * out of memory or when the process table is full.
 */
Process *process_new(const BeamInstr *entry, const Term *args, int arity);
/* Makes room for n saved x registers. */
void process_reserve_xsave(Process *p, int n);
/* Frees heap and mailbox and returns the struct to the process table. */
void process_free(Process *p);

/* Makes a fragment (from a message) part of p's heap, with the binaries it
   refers to; the next GC copies it in. NULL is allowed (nothing to adopt). */
void process_adopt_frag(Process *p, HeapFrag *f);

/* The y register slot y(n) of the current frame, given the stack top. */
#define YREG(stop, n) ((stop)[(n)])

#endif
