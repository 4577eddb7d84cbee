/*
 * pattern.h - applying a call_count/call_time/call trace setting to every function
 * matching a {Module, Function, Arity} pattern, as erlang:trace_pattern/3
 * does. Used by the BIF, the C API and the command line.
 */
#ifndef ERBIUM_PATTERN_H
#define ERBIUM_PATTERN_H

#include "profiler/bp.h"
#include "runtime/loader/module.h"
#include "runtime/ms/ms.h"
#include "runtime/term/term.h"

#include <stdbool.h>

/* A pattern: module/function THE_NON_VALUE and arity -1 stand for '_'. */
typedef struct Pattern {
    Term module;
    Term function;
    int arity;
} Pattern;

/* As trace_pattern's second argument for call_count/call_time (OTP's semantics):
   ON starts from zero, OFF removes the data, PAUSE keeps it and stops counting,
   RESTART zeroes data that exists and counts again. */
typedef enum PatternSetting { PATTERN_ON, PATTERN_OFF, PATTERN_PAUSE, PATTERN_RESTART } PatternSetting;

/*
 * Applies `setting` for the kinds in `kinds` (BP_COUNT | BP_TIME | BP_MEMORY) to every
 * loaded function matching `pat`, and returns how many matched. Waits for
 * thread progress (or stops the schedulers when `blocking`); any thread but a
 * scheduler's.
 */
unsigned pattern_apply(const Pattern *pat, unsigned kinds, PatternSetting setting, bool blocking);

/*
 * Turns the call trace of kind BP_TRACE (local: every function) or
 * BP_GLOBAL (exported functions, calls through the export) on, with the
 * match spec `ms` (NULL for none), or off, on every loaded function
 * matching `pat`; returns how many matched. Same threads as pattern_apply.
 */
unsigned pattern_apply_trace(const Pattern *pat, unsigned kind, bool on, MsProg *ms);

/*
 * Turns meta trace on (to `tracer`, with the match spec `ms` or none) or off
 * on every loaded function matching `pat`; returns how many matched. Meta
 * trace coexists with every other kind. Same threads as pattern_apply.
 */
unsigned pattern_apply_meta(const Pattern *pat, bool on, MsProg *ms, Term tracer);

/*
 * Sets or clears a debug breakpoint (erts_debug:breakpoint/2) on every
 * loaded function matching `pat` but BIFs, which only count as matched;
 * returns how many matched. Same threads as pattern_apply.
 */
unsigned pattern_apply_debug(const Pattern *pat, bool on);

/*
 * Functions matching `pat` in modules loaded from now on start with `kinds`
 * on (fresh data), as with OTP's on_load trace pattern; kinds 0 stops that.
 * This is how the command line profiles code that is loaded on first call.
 */
void pattern_set_on_load(const Pattern *pat, unsigned kinds);
/*
 * trace_pattern(on_load, ...): for every function of modules loaded from
 * now on, the kinds in `off` go, then those in `on` come (BP_COUNT,
 * BP_TIME, BP_TRACE with the spec `ms`, BP_META to `meta_tracer` with
 * `meta_ms`; references taken).
 */
void pattern_on_load_change(unsigned off, unsigned on, MsProg *ms, Term meta_tracer, MsProg *meta_ms);
/* The on_load setting as a slot (flags, specs with a reference each, meta tracer). */
void pattern_on_load_get(BpSlot *out);
/* Drops the references pattern_on_load_get took. */
void pattern_on_load_release(BpSlot *s);
/* Called by the loader for every module, before it is published. */
void pattern_module_loaded(const Module *m);

#endif
