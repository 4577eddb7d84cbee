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

/*
 * Puts the word of s in line with its breakpoints. The word goes from the
 * original to the handler and back by compare-and-swap. A function entry
 * the profiler patched (profiler/bp.h) keeps the profiler's handler: if the
 * profiler saved our handler as the original, its handler reaches ours
 * after its own work and the breakpoint works; otherwise setting fails.
 */
static bool sync_word(const Module *m, const ModSite *s)
{
    _Atomic BeamInstr *w = (_Atomic BeamInstr *)s->pc;
    BeamInstr brk = op_word(OP_i_debug_break);
    bool wanted = word_bits(m, s) != 0;
    BeamInstr seen = wanted ? s->orig : brk, to = wanted ? brk : s->orig;
    if (atomic_compare_exchange_strong(w, &seen, to) || seen == to || !wanted) return true;
    const FuncRange *f = &m->funcs[s->func];
    if (s->pc != bp_entry_of(f)) return false;
    const BpData *bd = bp_find(s->pc);
    return bd && bd->orig == brk;
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

DbgErr dbg_set_line(Term module, uint32_t line, uint32_t who, bool on)
{
    change_begin();
    Module *m;
    DbgErr err = module_of(module, &m);
    bool found = false;
    for (uint32_t i = 0; err == DBG_OK && i < m->num_sites; i++) {
        ModSite *s = &m->sites[i];
        if (s->entry || s->line != line) continue;
        found = true;
        err = change_site(m, s, who, on, who != DBG_BY_ERLANG);
    }
    if (err == DBG_OK && !found) err = line_has_code(m, line) ? DBG_NO_SITE : DBG_NO_LINE;
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
    change_end();
    return err;
}

/* Calls f on each site of every current module that has sites. */
static void each_site(void (*f)(Module *m, ModSite *s, void *ctx), void *ctx)
{
    for (size_t i = 0, n = module_count(); i < n; i++) {
        Module *m = module_at(i);
        if (!m || !m->has_sites) continue;
        for (uint32_t k = 0; k < m->num_sites; k++) f(m, &m->sites[k], ctx);
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
    each_site(clear_one, &who);
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
    each_site(set_one, &w);
    change_end();
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
