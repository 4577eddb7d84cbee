/* dbg_site.c - setting and clearing debugger breakpoints on sites (see dbg.h). */
#include "runtime/debug/dbg.h"

#include "profiler/bp.h"
#include "runtime/interp/interp.h"
#include "sched/sched.h"
#include "sched/tp.h"

#include <pthread.h>
#include <stdatomic.h>

static pthread_mutex_t change_lock = PTHREAD_MUTEX_INITIALIZER;

/* Who set a breakpoint on any site sharing s's word. */
static uint32_t word_bits(const Module *m, const ModSite *s)
{
    uint32_t bits = 0;
    for (const ModSite *t = s; t > m->sites && t[-1].pc == s->pc; t--) bits |= atomic_load(&t[-1].bp);
    for (const ModSite *t = s; t < m->sites + m->num_sites && t->pc == s->pc; t++) bits |= atomic_load(&t->bp);
    return bits;
}

static ModSite *sites_in(Module *m, const BeamInstr *pc, uint32_t *n);

/* The first site sharing s's word: it holds the word's covers. */
static ModSite *word_head(const Module *m, ModSite *s)
{
    while (s > m->sites && s[-1].pc == s->pc) s--;
    return s;
}

/* Cover v's word becomes `to` (from `from`): the sites there go on with it after a
   hit, and the word itself changes unless it holds a breakpoint. */
static void flip_cover(const Module *m, const ModCover *v, BeamInstr from, BeamInstr to)
{
    uint32_t n = 0;
    ModSite *at = sites_in((Module *)m, v->pc, &n);
    for (uint32_t i = 0; i < n; i++) atomic_store(&at[i].orig, to);
    atomic_compare_exchange_strong((_Atomic BeamInstr *)v->pc, &from, to);
}

/*
 * Takes (on) or gives back the covers of s's word (load_sites.c): the
 * chained words that would jump over it turn plain with their first user
 * and chained again after their last. Turning plain goes from the word
 * nearest the site outwards, back the other way; a process between the two
 * words either meets the breakpoint or, once it is cleared, runs on.
 */
static void hold_covers(const Module *m, ModSite *s, bool on)
{
    ModSite *h = word_head(m, s);
    if (h->covering == on || h->cover == MOD_NO_COVER) return;
    h->covering = on;
    uint32_t chain[64], n = 0;
    for (uint32_t c = h->cover; c != MOD_NO_COVER && n < 64; c = m->covers[c].up) chain[n++] = c;
    for (uint32_t k = 0; k < n; k++) {
        ModCover *v = &m->covers[on ? chain[k] : chain[n - 1 - k]];
        if (on ? v->users++ == 0 : --v->users == 0)
            flip_cover(m, v, on ? v->chained : v->plain, on ? v->plain : v->chained);
    }
}

/*
 * Puts the word of s in line with its breakpoints. The word goes from the
 * original to the handler and back by compare-and-swap. A function entry
 * the profiler patched (profiler/bp.h) keeps the profiler's handler: if the
 * profiler saved our handler as the original, its handler reaches ours
 * after its own work and the breakpoint works; otherwise setting fails.
 */
static bool sync_word(const Module *m, ModSite *s)
{
    _Atomic BeamInstr *w = (_Atomic BeamInstr *)s->pc;
    BeamInstr brk = op_word(OP_i_debug_break), orig = atomic_load(&s->orig);
    bool wanted = word_bits(m, s) != 0;
    BeamInstr seen = wanted ? orig : brk, to = wanted ? brk : orig;
    bool done = atomic_compare_exchange_strong(w, &seen, to) || seen == to || !wanted;
    if (!done && s->pc == bp_entry_of(&m->funcs[s->func])) {
        const BpData *bd = bp_find(s->pc);
        done = bd && bd->orig == brk;
    }
    if (done) hold_covers(m, s, wanted);
    return done;
}

static TpDelay delay;

/* Holds code from being freed meanwhile (a scheduler thread holds it anyway). */
static void change_begin(void)
{
    pthread_mutex_lock(&change_lock);
    if (sched_self() < 0) delay = tp_delay();
}

/* Once a change returns, every scheduler sees it (a scheduler thread in the
   middle of a slice cannot wait for itself: it does not wait). */
static void change_end(void)
{
    bool wait = sched_self() < 0;
    if (wait) tp_continue(delay);
    pthread_mutex_unlock(&change_lock);
    if (wait) tp_wait(tp_later());
}

/* Sets or clears `who` on one site; DBG_DUPLICATE / DBG_NOT_FOUND for the agent's rules. */
static DbgErr change_site(const Module *m, ModSite *s, uint32_t who, bool on, bool strict)
{
    uint32_t bits = atomic_load(&s->bp);
    if (strict && on && (bits & who)) return DBG_DUPLICATE;
    if (strict && !on && !(bits & who)) return DBG_NOT_FOUND;
    atomic_store(&s->bp, on ? bits | who : bits & ~who);
    if (!sync_word(m, s)) {
        atomic_store(&s->bp, bits);
        return DBG_BUSY;
    }
    return DBG_OK;
}

static DbgErr module_of(Term name, Module **m)
{
    *m = module_find(name);
    if (!*m) return DBG_NO_MODULE;
    return (*m)->has_sites ? DBG_OK : DBG_NO_SITES;
}

static bool line_has_code(const Module *m, uint32_t line)
{
    for (uint32_t i = 0; i < m->num_lines; i++) {
        uint32_t item = m->lines[i].item;
        if (item && item < m->num_line_items && m->line_items_line[item] == line) return true;
    }
    return false;
}

/* The line sites of m at `line` (entry false) or the entry of f (entry true). */
static bool site_matches(const Module *m, const ModSite *s, bool entry, uint32_t line, Term f, uint32_t arity)
{
    if (s->entry != entry) return false;
    if (!entry) return s->line == line;
    return m->funcs[s->func].function == f && m->funcs[s->func].arity == arity;
}

/*
 * The agent's breakpoints live in every version of a module, as JVMTI's do
 * in every version of a method: a change to the current code is made to
 * the old code too (without the duplicate / not found rules), so a process
 * still running the old code stops where the agent asked, and a clear
 * leaves nothing behind. erl_debugger's breakpoints, as in OTP 28, belong to
 * the code they were set in.
 */
static void change_old(Term module, bool entry, uint32_t line, Term f, uint32_t arity, uint32_t who, bool on)
{
    if (who == DBG_BY_ERLANG) return;
    Module *old = module_find_old(module);
    for (uint32_t i = 0; old && old->has_sites && i < old->num_sites; i++)
        if (site_matches(old, &old->sites[i], entry, line, f, arity)) change_site(old, &old->sites[i], who, on, false);
}

DbgErr dbg_set_line(Term module, uint32_t line, uint32_t who, bool on)
{
    change_begin();
    Module *m;
    DbgErr err = module_of(module, &m);
    bool found = false;
    for (uint32_t i = 0; err == DBG_OK && i < m->num_sites; i++) {
        ModSite *s = &m->sites[i];
        if (!site_matches(m, s, false, line, NIL, 0)) continue;
        found = true;
        err = change_site(m, s, who, on, who != DBG_BY_ERLANG);
    }
    if (err == DBG_OK && !found) err = line_has_code(m, line) ? DBG_NO_SITE : DBG_NO_LINE;
    if (err == DBG_OK) change_old(module, false, line, NIL, 0, who, on);
    change_end();
    return err;
}

DbgErr dbg_set_entry(Term module, Term function, uint32_t arity, uint32_t who, bool on)
{
    change_begin();
    Module *m;
    DbgErr err = module_of(module, &m);
    const FuncRange *f = err == DBG_OK ? module_func(m, function, arity) : NULL;
    if (err == DBG_OK) err = DBG_NO_LINE;
    for (uint32_t i = 0; f && i < m->num_sites; i++) {
        ModSite *s = &m->sites[i];
        if (s->entry && &m->funcs[s->func] == f) {
            err = change_site(m, s, who, on, true);
            break;
        }
    }
    if (err == DBG_OK) change_old(module, true, 0, function, arity, who, on);
    change_end();
    return err;
}

static void each_site_of(Module *m, void (*f)(Module *m, ModSite *s, void *ctx), void *ctx)
{
    for (uint32_t k = 0; m && m->has_sites && k < m->num_sites; k++) f(m, &m->sites[k], ctx);
}

DbgErr dbg_set_calls(Term module, bool on)
{
    change_begin();
    Module *m;
    DbgErr err = module_of(module, &m);
    for (uint32_t i = 0; err == DBG_OK && i < m->num_sites; i++)
        if (m->sites[i].entry) err = change_site(m, &m->sites[i], DBG_BY_CALLS, on, false);
    Module *old = err == DBG_OK ? module_find_old(module) : NULL;
    for (uint32_t i = 0; old && old->has_sites && i < old->num_sites; i++)
        if (old->sites[i].entry) change_site(old, &old->sites[i], DBG_BY_CALLS, on, false);
    change_end();
    return err;
}

/* Calls f on each site of every current module that has sites (and of old code, with `old`). */
static void each_site(bool old, void (*f)(Module *m, ModSite *s, void *ctx), void *ctx)
{
    for (size_t i = 0, n = module_count(); i < n; i++) {
        each_site_of(module_at(i), f, ctx);
        if (old) each_site_of(module_old_at(i), f, ctx);
    }
}

static void clear_one(Module *m, ModSite *s, void *ctx)
{
    uint32_t who = *(uint32_t *)ctx;
    if (atomic_load(&s->bp) & who) change_site(m, s, who, false, false);
}

void dbg_clear_all(uint32_t who)
{
    change_begin();
    each_site(true, clear_one, &who);
    change_end();
}

typedef struct Where {
    uint32_t who;
    bool (*keep)(const Module *m, const ModSite *s, void *ctx);
    void *ctx;
} Where;

static void set_one(Module *m, ModSite *s, void *ctx)
{
    Where *w = ctx;
    if (w->keep(m, s, w->ctx)) change_site(m, s, w->who, true, false);
}

void dbg_set_where(uint32_t who, bool (*keep)(const Module *m, const ModSite *s, void *ctx), void *ctx)
{
    Where w = {who, keep, ctx};
    change_begin();
    each_site(false, set_one, &w);
    change_end();
}

bool dbg_module_loading(Module *m, const Module *prev)
{
    if (!dbg_enabled()) return false;
    pthread_mutex_lock(&change_lock); /* until dbg_module_loaded: no change sees the module between versions */
    if (!prev || !prev->has_sites || !m->has_sites) return true;
    /* the agent's breakpoints and call events (not its steps) go to the sites of the same line or function */
    for (uint32_t i = 0; i < prev->num_sites; i++) {
        const ModSite *s = &prev->sites[i];
        uint32_t bits = atomic_load(&s->bp) & (DBG_BY_AGENT | DBG_BY_CALLS);
        if (!bits) continue;
        const FuncRange *f = &prev->funcs[s->func];
        for (uint32_t k = 0; k < m->num_sites; k++)
            if (site_matches(m, &m->sites[k], s->entry, s->line, f->function, f->arity))
                change_site(m, &m->sites[k], bits, true, false);
    }
    return true;
}

void dbg_module_loaded(bool locked)
{
    if (locked) pthread_mutex_unlock(&change_lock);
}

static ModSite *sites_in(Module *m, const BeamInstr *pc, uint32_t *n)
{
    uint32_t lo = 0, hi = m->num_sites;
    while (lo < hi) { /* the first site at or after pc */
        uint32_t mid = (lo + hi) / 2;
        if (m->sites[mid].pc < pc) lo = mid + 1;
        else hi = mid;
    }
    uint32_t k = lo;
    while (k < m->num_sites && m->sites[k].pc == pc) k++;
    *n = k - lo;
    return *n ? &m->sites[lo] : NULL;
}

ModSite *dbg_sites_at(const BeamInstr *pc, Module **m, uint32_t *n)
{
    if (!module_func_at(pc, m) || !(*m)->sites) return NULL;
    return sites_in(*m, pc, n);
}

void dbg_each_line(const Module *m, const FuncRange *only, void (*f)(void *ctx, uint32_t line, bool on), void *ctx)
{
    /* lines in order, each once: enabled when every site of the line has a breakpoint */
    uint32_t last = 0;
    for (;;) {
        uint32_t next = UINT32_MAX;
        bool on = true;
        for (uint32_t i = 0; i < m->num_sites; i++) {
            const ModSite *s = &m->sites[i];
            if (s->entry || s->line <= last || (only && &m->funcs[s->func] != only)) continue;
            if (s->line < next) {
                next = s->line;
                on = true;
            }
            if (s->line == next) on = on && (atomic_load(&s->bp) & DBG_BY_ERLANG);
        }
        if (next == UINT32_MAX) return;
        f(ctx, next, on);
        last = next;
    }
}
