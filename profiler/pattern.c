/* pattern.c - applying settings to matching functions (see pattern.h). */
#include "profiler/pattern.h"

#include "profiler/bp.h"
#include "runtime/loader/export.h"

#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t on_load_lock = PTHREAD_MUTEX_INITIALIZER;
static Pattern on_load_pattern; /* on_load_lock */
/* The on_load setting as a slot: its kinds in flags, specs and meta tracer as in breakpoints;
   counters are made fresh for each function (on_load_lock). */
static BpSlot on_load = {.meta_tracer = NIL};

static bool matches(const Pattern *pat, const Module *m, const FuncRange *f)
{
    return (pat->module == THE_NON_VALUE || pat->module == m->name) &&
           (pat->function == THE_NON_VALUE || pat->function == f->function) &&
           (pat->arity < 0 || (uint32_t)pat->arity == f->arity);
}

/* Applies the setting for one kind of counting to a staging slot. */
static void apply_kind(BpSlot *s, unsigned kind, PatternSetting setting)
{
    PTime **data = kind == BP_TIME ? &s->time : &s->memory; /* unless BP_COUNT */
    bool has_data = kind == BP_COUNT ? s->count != NULL : *data != NULL;
    if (setting == PATTERN_PAUSE || setting == PATTERN_OFF) {
        s->flags &= ~kind;
        if (setting == PATTERN_OFF) {
            if (kind == BP_COUNT) s->count = NULL;
            else *data = NULL;
        }
        return;
    }
    if (setting == PATTERN_RESTART && !has_data) return;
    /* fresh data, never data zeroed in place: other threads may still be adding to the old */
    if (kind == BP_COUNT) s->count = pcount_new();
    else *data = ptime_new();
    s->flags |= kind;
}

/* Whether the setting would change a function that never had a breakpoint. */
static bool creates_data(PatternSetting setting) { return setting == PATTERN_ON; }

/*
 * What to do with one matching function: its staging slot when the change
 * needs one. A function replaced by a BIF, and a BIF of a module with no
 * code loaded (erlang has none in erbium; OTP has lists, ets, maps... loaded
 * from the start, erbium loads them on first use), are the BIF's: its data
 * lives on its export, whether the module is loaded or not.
 */
typedef void (*Visit)(void *ctx, BpSlot *s);

typedef struct Walk {
    const Pattern *pat;
    bool exported_only; /* global patterns: functions called through an export */
    bool create;        /* functions without data get some */
    bool skip_bifs;     /* BIFs count as matched but are left alone */
    Visit visit;
    void *ctx;
} Walk;

static void visit_function(const Walk *w, const Module *m, const FuncRange *f)
{
    Export *bif = bp_bif_of(m, f);
    if (bif && w->skip_bifs) return;
    if (!w->create && !bp_find_function(m, f)) return;
    w->visit(w->ctx, bif ? bp_stage_bif(bif) : bp_stage(m, f));
}

/* Whether calls of the function go through an export: its code's, a BIF's, or an
   interpreter stub's (apply/2,3...: counted as OTP does, but no breakpoint reaches them). */
static bool is_exported(const Module *m, const FuncRange *f)
{
    if (bp_export_of(m, f) || bp_bif_of(m, f)) return true;
    const Export *e = export_find(m->name, f->function, f->arity);
    return e && e->vm_stub;
}

/* Applies the walk to every matching function in one change; returns how many matched. */
static unsigned walk(const Walk *w, bool blocking)
{
    const Pattern *pat = w->pat;
    unsigned matched = 0;
    bp_change_begin();
    size_t nmods = module_count();
    for (size_t i = 0; i < nmods; i++) {
        const Module *m = module_at(i);
        if (!m) continue; /* deleted: only old code, which patterns do not reach */
        if (pat->module != THE_NON_VALUE && pat->module != m->name) continue;
        for (uint32_t k = 0; k < m->num_funcs; k++) {
            const FuncRange *f = &m->funcs[k];
            if (!matches(pat, m, f)) continue;
            if (w->exported_only && !is_exported(m, f)) continue;
            matched++;
            visit_function(w, m, f);
        }
    }
    bp_change_end(blocking);
    return matched;
}

typedef struct CountChange {
    unsigned kinds;
    PatternSetting setting;
} CountChange;

static void visit_counters(void *ctx, BpSlot *s)
{
    const CountChange *c = ctx;
    if (c->kinds & BP_COUNT) apply_kind(s, BP_COUNT, c->setting);
    if (c->kinds & BP_TIME) apply_kind(s, BP_TIME, c->setting);
    if (c->kinds & BP_MEMORY) apply_kind(s, BP_MEMORY, c->setting);
}

unsigned pattern_apply(const Pattern *pat, unsigned kinds, PatternSetting setting, bool blocking)
{
    CountChange c = {kinds, setting};
    Walk w = {pat, false, creates_data(setting), false, visit_counters, &c};
    return walk(&w, blocking);
}

/*
 * One function's call trace, as OTP: a local trace replaces a global one; a
 * global one also removes local trace, meta trace and call_count; off
 * removes both kinds.
 */
typedef struct TraceChange {
    unsigned kind;
    bool on;
    MsProg *ms;
} TraceChange;

static void visit_call_trace(void *ctx, BpSlot *s)
{
    const TraceChange *c = ctx;
    if (!c->on) {
        s->flags &= ~BP_CALL_TRACE;
        bp_slot_set_ms(s, NULL);
        return;
    }
    if (c->kind == BP_GLOBAL) {
        s->flags &= ~(BP_COUNT | BP_META);
        s->count = NULL;
        s->meta_tracer = NIL;
        bp_slot_set_meta_ms(s, NULL);
    }
    s->flags = (s->flags & ~BP_CALL_TRACE) | c->kind;
    bp_slot_set_ms(s, c->ms);
}

unsigned pattern_apply_trace(const Pattern *pat, unsigned kind, bool on, MsProg *ms)
{
    TraceChange c = {kind, on, ms};
    Walk w = {pat, kind == BP_GLOBAL, on, false, visit_call_trace, &c};
    return walk(&w, false);
}

typedef struct MetaChange {
    bool on;
    MsProg *ms;
    Term tracer;
} MetaChange;

static void visit_meta(void *ctx, BpSlot *s)
{
    const MetaChange *c = ctx;
    s->flags = c->on ? s->flags | BP_META : s->flags & ~BP_META;
    s->meta_tracer = c->on ? c->tracer : NIL;
    bp_slot_set_meta_ms(s, c->on ? c->ms : NULL);
}

unsigned pattern_apply_meta(const Pattern *pat, bool on, MsProg *ms, Term tracer)
{
    MetaChange c = {on, ms, tracer};
    Walk w = {pat, false, on, false, visit_meta, &c};
    return walk(&w, false);
}

static void visit_debug(void *ctx, BpSlot *s)
{
    bool on = *(const bool *)ctx;
    s->flags = on ? s->flags | BP_DEBUG : s->flags & ~BP_DEBUG;
}

unsigned pattern_apply_debug(const Pattern *pat, bool on)
{
    /* a BIF has no Erlang body for the handler's breakpoint/3 to stand in for */
    Walk w = {pat, false, on, true, visit_debug, &on};
    return walk(&w, false);
}

/* Drops the specs of kinds the setting no longer has (on_load_lock held). */
static void on_load_trim(void)
{
    if (!(on_load.flags & BP_TRACE)) bp_slot_set_ms(&on_load, NULL);
    if (!(on_load.flags & BP_META)) {
        bp_slot_set_meta_ms(&on_load, NULL);
        on_load.meta_tracer = NIL;
    }
}

void pattern_set_on_load(const Pattern *pat, unsigned kinds)
{
    pthread_mutex_lock(&on_load_lock);
    on_load_pattern = *pat;
    on_load.flags = kinds;
    on_load_trim();
    pthread_mutex_unlock(&on_load_lock);
}

void pattern_on_load_change(unsigned off, unsigned on, MsProg *ms, Term meta_tracer, MsProg *meta_ms)
{
    pthread_mutex_lock(&on_load_lock);
    on_load_pattern = (Pattern){THE_NON_VALUE, THE_NON_VALUE, -1};
    on_load.flags = (on_load.flags & ~off) | on;
    if (on & BP_TRACE) bp_slot_set_ms(&on_load, ms);
    if (on & BP_META) {
        bp_slot_set_meta_ms(&on_load, meta_ms);
        on_load.meta_tracer = meta_tracer;
    }
    on_load_trim();
    pthread_mutex_unlock(&on_load_lock);
}

void pattern_on_load_get(BpSlot *out)
{
    pthread_mutex_lock(&on_load_lock);
    *out = on_load;
    if (out->ms) ms_retain(out->ms);
    if (out->meta_ms) ms_retain(out->meta_ms);
    pthread_mutex_unlock(&on_load_lock);
}

void pattern_on_load_release(BpSlot *s)
{
    bp_slot_set_ms(s, NULL);
    bp_slot_set_meta_ms(s, NULL);
}

void pattern_module_loaded(const Module *m)
{
    pthread_mutex_lock(&on_load_lock);
    Pattern pat = on_load_pattern;
    bool any = on_load.flags != 0;
    pthread_mutex_unlock(&on_load_lock);
    if (!any || (pat.module != THE_NON_VALUE && pat.module != m->name)) return;
    BpSlot proto;
    pattern_on_load_get(&proto);
    for (uint32_t k = 0; k < m->num_funcs; k++)
        if (matches(&pat, m, &m->funcs[k])) bp_preset(m, &m->funcs[k], &proto);
    pattern_on_load_release(&proto);
}
