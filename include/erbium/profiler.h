/*
 * erbium/profiler.h - erbium's profiler from C: call_count, call_time,
 * call_memory and stack sampling.
 *
 * Every function here may be called from any thread while the VM runs
 * (after erb_vm_create). Changing patterns waits for the schedulers to
 * move on (thread progress) but never stops them; reading never stops or
 * slows them: readers see values at most a moment old.
 *
 *   erb_prof_set("mymod", NULL, -1, ERB_PROF_CALL_TIME, ERB_PROF_ON);
 *   erb_prof_trace_processes(true);        // call_time counts traced processes
 *   ... run ...
 *   erb_prof_report(stdout, ERB_PROF_PER_FUNCTION, ERB_PROF_TABLE);
 *
 * The semantics are those of erlang:trace_pattern/3 and trace_info/2.
 */
#ifndef ERBIUM_PROFILER_H
#define ERBIUM_PROFILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum ErbProfKind {
    ERB_PROF_CALL_COUNT = 1, /* exact calls per function, by every process */
    ERB_PROF_CALL_TIME = 2,  /* calls and own time per function and process (traced processes) */
    ERB_PROF_CALL_MEMORY = 4, /* calls and own heap words per function and process (traced
                                 processes): OTP 26's call_memory */
} ErbProfKind;

typedef enum ErbProfSetting {
    ERB_PROF_ON,      /* start from zero */
    ERB_PROF_OFF,     /* stop and drop the data */
    ERB_PROF_PAUSE,   /* stop, keep the data readable */
    ERB_PROF_RESTART, /* zero existing data and count again */
} ErbProfSetting;

/*
 * Applies a setting for `kinds` (ErbProfKind bits) to the loaded functions
 * matching module:function/arity; NULL module or function, or arity -1,
 * match any. Returns the number of functions matched, or -1 if a name is
 * not a valid atom. `blocking` stops the schedulers for the change instead
 * of waiting for them.
 */
int erb_prof_set(const char *module, const char *function, int arity, unsigned kinds, ErbProfSetting setting,
                 bool blocking);

/* Modules loaded from now on get `kinds` on for their functions matching the
   pattern (kinds 0 stops this): for code loaded on first call. -1 if a name
   cannot be an atom, else 0. */
int erb_prof_set_on_load(const char *module, const char *function, int arity, unsigned kinds);

/* Traces (or stops tracing) every process, existing and new, for call_time,
   as erlang:trace(all, On, [call]). */
void erb_prof_trace_processes(bool on);

/* The call_count of a function: >= 0, -1 if it has no call_count data, -2 if it is not loaded. */
int64_t erb_prof_count(const char *module, const char *function, unsigned arity);

typedef enum ErbProfView {
    ERB_PROF_PER_FUNCTION,  /* one entry per function with data */
    ERB_PROF_PER_PROCESS,   /* one per function and process (call_time) */
    ERB_PROF_PER_SCHEDULER, /* one per function and scheduler thread that ran it */
} ErbProfView;

typedef struct ErbProfEntry {
    const char *module;   /* valid while the VM lives */
    const char *function;
    unsigned arity;
    uint64_t pid;         /* per process: N of <0.N.0>; else 0 */
    int scheduler;        /* per scheduler: 0 .. S-1 for +S schedulers, S .. for dirty
                             threads (CPU ones first); else -1 */
    bool has_count;       /* call_count data exists (count is valid) */
    bool has_time;        /* call_time data exists (calls and time_ns are valid) */
    uint64_t count;       /* call_count */
    uint64_t calls;       /* calls by traced processes (call_time) */
    uint64_t time_ns;     /* own time (call_time) */
    bool has_memory;      /* call_memory data exists (memory_calls and words are valid) */
    uint64_t memory_calls; /* calls by traced processes (call_memory) */
    int64_t words;        /* heap words allocated by the function itself (call_memory) */
} ErbProfEntry;

typedef struct ErbProfSnapshot {
    ErbProfEntry *entries;
    size_t n;
} ErbProfSnapshot;

/* Every function with data, in one pass over the tables (a consistent-enough
   view: each value is exact at some moment of the pass). NULL if out of memory. */
ErbProfSnapshot *erb_prof_snapshot(ErbProfView view);
void erb_prof_snapshot_free(ErbProfSnapshot *s);

typedef enum ErbProfFormat {
    ERB_PROF_TABLE,      /* tprof-like: FUNCTION CALLS TIME(us) us/CALL % (WORDS PER CALL for memory) */
    ERB_PROF_JSON,       /* {"view": ..., "entries": [{...}, ...]} */
    ERB_PROF_FOLDED,     /* "frame;frame;frame count" lines: flamegraph.pl's input */
    ERB_PROF_SPEEDSCOPE, /* speedscope's file format (https://www.speedscope.app) */
    ERB_PROF_PPROF,      /* pprof's: a gzipped profile.proto (go tool pprof) */
} ErbProfFormat;

/* Writes a snapshot in `format`. Returns 0, or -1 if it could not. A
   snapshot's flat profiles weigh own time when there is call_time data,
   else heap words with call_memory data, else calls: folded gives one line
   per function (own time in us, words, or calls) and speedscope one flat
   sampled profile per process or scheduler (or one in all), in
   microseconds, bytes or calls; pprof one sample per function with its
   calls and own time (sample types calls/count, time/nanoseconds) or
   calls and allocation (calls/count, alloc_space/bytes). */
int erb_prof_report(FILE *out, ErbProfView view, ErbProfFormat format);

/* ---- stack sampling ----
 *
 * Every scheduler thread, normal and dirty, samples the process it runs
 * `hz` times a second: the Erlang call stack (function and line of each
 * frame) with the BIF or NIF in progress on top. Counts are kept per
 * distinct stack and process in per-scheduler tables, read without
 * stopping anything.
 *
 *   erb_prof_sample_start(997, false);
 *   ... run ...
 *   erb_prof_sample_report(f, ERB_PROF_PER_FUNCTION, ERB_PROF_FOLDED);
 */

/* Starts sampling (from no samples) at hz per second, 1..100000; with
   `waiting`, a process waiting in receive is sampled too, its stack at the
   wait topped by a "(waiting)" frame. 0, or -1 for a bad rate. */
int erb_prof_sample_start(unsigned hz, bool waiting);
/* Stops sampling; the samples stay readable. */
void erb_prof_sample_stop(void);
/* Drops the samples (sampling goes on if it is on). */
void erb_prof_sample_clear(void);

typedef enum ErbProfFrameKind {
    ERB_PROF_FRAME_ERLANG, /* an Erlang function; line 0 when unknown */
    ERB_PROF_FRAME_NATIVE, /* a BIF or NIF in progress */
    ERB_PROF_FRAME_WAITING /* the process was waiting in receive (module, function: "(waiting)") */
} ErbProfFrameKind;

typedef struct ErbProfFrame {
    const char *module;   /* valid while the VM lives */
    const char *function;
    unsigned arity;
    unsigned line;
    ErbProfFrameKind kind;
} ErbProfFrame;

typedef struct ErbProfStack {
    uint64_t pid;         /* per process: N of <0.N.0>; else 0 */
    int scheduler;        /* per scheduler: as ErbProfEntry; else -1 */
    uint64_t count;       /* samples of this stack */
    bool truncated;       /* only the innermost frames were kept */
    size_t n;
    const uint32_t *frames; /* indices into ErbProfSamples.frames, innermost first */
} ErbProfStack;

typedef struct ErbProfSamples {
    ErbProfFrame *frames; /* distinct frames */
    size_t nframes;
    ErbProfStack *stacks; /* distinct stacks (and processes or schedulers, by view) */
    size_t n;
    uint64_t total;       /* samples */
    unsigned rate_hz;
} ErbProfSamples;

/* The samples merged by view (per function: every process and scheduler
   together). NULL if out of memory. */
ErbProfSamples *erb_prof_samples(ErbProfView view);
void erb_prof_samples_free(ErbProfSamples *s);

/* Writes the samples in `format`: table (per function, samples on top of
   the stack and anywhere in it), json, folded, speedscope (a sampled
   profile per process or scheduler, or one in all) or pprof (sample
   counts and CPU time; a "pid" or "scheduler" label per sample by
   view). 0, or -1. */
int erb_prof_sample_report(FILE *out, ErbProfView view, ErbProfFormat format);

#endif
