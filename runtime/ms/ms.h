/*
 * ms.h - the match-specification engine, shared by ETS and call tracing.
 *
 * A match spec ([{Head, Conditions, Body}, ...]) is compiled once by
 * ms_compile() into an MsProg: a flat array of instruction words per clause
 * plus a private copy of the spec's constants. ms_run() then matches one
 * term against the clauses in order, reading the term in place (it may live
 * in ETS table memory, outside every heap) and building only the body's
 * result on the running process's heap.
 *
 * Two dialects, as in OTP: MS_TABLE (ETS: the head matches the object, '$_'
 * is the object, the body's last value is the result) and MS_TRACE (the head
 * matches the argument list, the body performs trace actions and the result
 * is the call message). Each rejects what OTP 25 rejects.
 *
 * Lifetime: an MsProg is reference counted (ms_retain / ms_release); a
 * compiled-ms term (ets:match_spec_compile/1) is a magic reference that
 * holds one (see ms_ref_* below).
 */
#ifndef ERBIUM_MS_H
#define ERBIUM_MS_H

#include "runtime/proc/process.h"
#include "runtime/term/term.h"

typedef enum { MS_TABLE, MS_TRACE } MsDialect;

typedef struct MsProg MsProg;

/*
 * Compiles `spec`. Returns NULL when OTP would reject it (the caller raises
 * ms_compile_failure()); then, when `errors` is not NULL, *errors is a list of
 * {error, "text"} tuples built on p's heap exactly as
 * erlang:match_spec_test/3 reports them (p may be NULL when errors is NULL).
 */
MsProg *ms_compile(Term spec, MsDialect dialect, Process *p, Term *errors);
/*
 * Why the calling thread's last ms_compile() failed, as the exception
 * reason OTP gives: badarg, or system_limit for a spec nested too deeply.
 */
Term ms_compile_failure(void);

void ms_retain(MsProg *prog);
void ms_release(MsProg *prog);

MsDialect ms_dialect(const MsProg *prog);
size_t ms_clause_count(const MsProg *prog);
/* The spec as compiled (a term in the program's memory: copy it to keep it). */
Term ms_source(const MsProg *prog);

/* ---- what ETS asks before running a program ---- */

/*
 * When every clause's head is a tuple whose element `keypos` (1-based) is
 * the same constant, returns it (a term inside the program: compare it, do
 * not keep it past the program's life); else THE_NON_VALUE. Lets select use
 * a key lookup instead of a scan.
 */
Term ms_bound_key(const MsProg *prog, unsigned keypos);
/*
 * When every clause's head is a tuple whose element `keypos` is the same
 * pattern, partly bound (a tuple or list holding constants before its first
 * variable), returns that pattern (inside the program, like ms_bound_key);
 * else THE_NON_VALUE. The keys such a pattern can match form one run in
 * term order, which ms_key_cmp orders keys against: an ordered_set then
 * walks only that run.
 */
Term ms_key_range(const MsProg *prog, unsigned keypos);
/*
 * Orders key against pattern (<0, 0, >0) as term order would, except that
 * the first variable or '_' met (depth first) ends the comparison as equal.
 * Monotone in key order: the keys giving 0 are one contiguous run, and every
 * key the pattern matches is in it.
 */
int ms_key_cmp(Term key, Term pattern);

/* True when the program has one clause whose body is exactly ['$_']. */
bool ms_returns_object(const MsProg *prog);
/* True when every clause has no conditions and the body is ['$_'] (match_object). */
bool ms_is_plain_match(const MsProg *prog);

/* ---- running ---- */

/* Trace-dialect run flags, reported by erlang:match_spec_test/3. */
enum {
    MS_FLAG_RETURN_TRACE = 1,
    MS_FLAG_EXCEPTION_TRACE = 2,
    MS_FLAG_SILENT_SET = 4,   /* {silent, true} ran */
    MS_FLAG_SILENT_CLEAR = 8, /* {silent, false} ran (the last of the two wins) */
};

/* Trace actions the engine cannot perform by itself (they need the tracer). */
typedef enum {
    MS_ACT_CALLER,        /* () */
    MS_ACT_CALLER_LINE,   /* () */
    MS_ACT_PROCESS_DUMP,  /* () */
    MS_ACT_TRACE2,        /* (Disable, Enable) */
    MS_ACT_TRACE3,        /* (Pid, Disable, Enable) */
    MS_ACT_ENABLE1,       /* (Flag) */
    MS_ACT_ENABLE2,       /* (Pid, Flag) */
    MS_ACT_DISABLE1,      /* (Flag) */
    MS_ACT_DISABLE2,      /* (Pid, Flag) */
    MS_ACT_GET_SEQ_TOKEN, /* () */
    MS_ACT_SET_SEQ_TOKEN, /* (Component, Value) */
    MS_ACT_IS_SEQ_TRACE,  /* () */
    MS_ACT_DISPLAY,       /* (Term) */
    MS_ACT_GET_TCW,       /* () */
    MS_ACT_SET_TCW,       /* (Value) */
} MsAction;

/*
 * Performs one trace action for a run; returns its value (built on p's
 * heap) or THE_NON_VALUE for an error (the expression's value becomes
 * 'EXIT'). NULL in MsRunCtx means the defaults of erlang:match_spec_test/3
 * (no tracer: caller is undefined, trace/enable/disable change nothing, the
 * seq_trace token is [], display prints on stdout, set_tcw only reports).
 */
typedef Term (*MsActionFn)(void *ctx, Process *p, MsAction act, const Term *args);
/* The defaults above, for a hook that performs only some actions itself. */
Term ms_default_action(void *ctx, Process *p, MsAction act, const Term *args);

typedef struct MsRunCtx {
    MsActionFn action; /* trace dialect only; may be NULL */
    void *action_ctx;
    /* True when the object is on p's heap already (so results may share it). */
    bool obj_on_heap;
} MsRunCtx;

typedef struct MsResult {
    /* MS_TABLE: the body's value. MS_TRACE: the call message: true (default
       message), false (none) or the last {message, T} value. */
    Term value;
    unsigned flags; /* MS_FLAG_* (trace) */
} MsResult;

/*
 * Runs prog against obj (a tuple for MS_TABLE, the argument list for
 * MS_TRACE). Returns true and fills *res when a clause matched and its
 * conditions held, false when no clause applied. Never collects garbage:
 * everything it builds is allocated with heap_alloc. ctx may be NULL.
 */
bool ms_run(const MsProg *prog, Process *p, Term obj, const MsRunCtx *ctx, MsResult *res);

/* The node-wide trace control word ({get_tcw}, {set_tcw, N}, system_info). */
uint32_t ms_tcw_get(void);
uint32_t ms_tcw_set(uint32_t value);

/* ---- compiled-ms terms (ets:match_spec_compile/1) ---- */

/*
 * A magic reference on p's heap that holds a reference on prog, released
 * when no term refers to it any more, as in OTP (THE_NON_VALUE when out of
 * memory: system_limit).
 */
Term ms_ref_make(Process *p, MsProg *prog);
/* The program a compiled-ms term names (no reference taken: the term keeps it), or NULL. */
MsProg *ms_ref_prog(Term t);

#endif
