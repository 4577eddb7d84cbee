/* pattern.c - applying settings to matching functions (see pattern.h). */
#include "profiler/pattern.h"

#include "profiler/bp.h"

#include <pthread.h>

static pthread_mutex_t on_load_lock = PTHREAD_MUTEX_INITIALIZER;
static Pattern on_load_pattern; /* on_load_lock */
static unsigned on_load_kinds;  /* on_load_lock */

static bool matches(const Pattern *pat, const Module *m, const FuncRange *f)
{
    return (pat->module == THE_NON_VALUE || pat->module == m->name) &&
           (pat->function == THE_NON_VALUE || pat->function == f->function) &&
           (pat->arity < 0 || (uint32_t)pat->arity == f->arity);
}

/* Applies the setting for one kind of counting to a staging slot. */
static void apply_kind(BpSlot *s, unsigned kind, PatternSetting setting)
{
    bool has_data = kind == BP_COUNT ? s->count != NULL : s->time != NULL;
    if (setting == PATTERN_PAUSE || setting == PATTERN_OFF) {
        s->flags &= ~kind;
        if (setting == PATTERN_OFF) {
            if (kind == BP_COUNT) s->count = NULL;
            else s->time = NULL;
        }
        return;
    }
    if (setting == PATTERN_RESTART && !has_data) return;
    /* fresh data, never data zeroed in place: other threads may still be adding to the old */
    if (kind == BP_COUNT) s->count = pcount_new();
    else s->time = ptime_new();
    s->flags |= kind;
}

/* Whether the setting would change a function that never had a breakpoint. */
static bool creates_data(PatternSetting setting) { return setting == PATTERN_ON; }

unsigned pattern_apply(const Pattern *pat, unsigned kinds, PatternSetting setting, bool blocking)
{
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
            matched++;
            if (!creates_data(setting) && !bp_find(bp_entry_of(f))) continue;
            BpSlot *s = bp_stage(m, f);
            if (kinds & BP_COUNT) apply_kind(s, BP_COUNT, setting);
            if (kinds & BP_TIME) apply_kind(s, BP_TIME, setting);
        }
    }
    bp_change_end(blocking);
    return matched;
}

/*
 * One function's call trace, as OTP: a local trace replaces a global one; a
 * global one also removes local trace and call_count; off removes both kinds.
 */
static void apply_call_trace(BpSlot *s, unsigned kind, bool on, MsProg *ms)
{
    if (!on) {
        s->flags &= ~BP_CALL_TRACE;
        bp_slot_set_ms(s, NULL);
        return;
    }
    if (kind == BP_GLOBAL) {
        s->flags &= ~BP_COUNT;
        s->count = NULL;
    }
    s->flags = (s->flags & ~BP_CALL_TRACE) | kind;
    bp_slot_set_ms(s, ms);
}

unsigned pattern_apply_trace(const Pattern *pat, unsigned kind, bool on, MsProg *ms)
{
    unsigned matched = 0;
    bp_change_begin();
    size_t nmods = module_count();
    for (size_t i = 0; i < nmods; i++) {
        const Module *m = module_at(i);
        if (pat->module != THE_NON_VALUE && pat->module != m->name) continue;
        for (uint32_t k = 0; k < m->num_funcs; k++) {
            const FuncRange *f = &m->funcs[k];
            if (!matches(pat, m, f)) continue;
            if (kind == BP_GLOBAL && !bp_export_of(m, f)) continue;
            matched++;
            if (!on && !bp_find(bp_entry_of(f))) continue;
            apply_call_trace(bp_stage(m, f), kind, on, ms);
        }
    }
    bp_change_end(false);
    return matched;
}

void pattern_set_on_load(const Pattern *pat, unsigned kinds)
{
    pthread_mutex_lock(&on_load_lock);
    on_load_pattern = *pat;
    on_load_kinds = kinds;
    pthread_mutex_unlock(&on_load_lock);
}

unsigned pattern_on_load_kinds(void)
{
    pthread_mutex_lock(&on_load_lock);
    unsigned kinds = on_load_kinds;
    pthread_mutex_unlock(&on_load_lock);
    return kinds;
}

void pattern_module_loaded(const Module *m)
{
    pthread_mutex_lock(&on_load_lock);
    Pattern pat = on_load_pattern;
    unsigned kinds = on_load_kinds;
    pthread_mutex_unlock(&on_load_lock);
    if (!kinds || (pat.module != THE_NON_VALUE && pat.module != m->name)) return;
    for (uint32_t k = 0; k < m->num_funcs; k++)
        if (matches(&pat, m, &m->funcs[k])) bp_preset(m, &m->funcs[k], kinds);
}
