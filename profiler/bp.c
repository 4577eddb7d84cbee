/* bp.c - installing breakpoints and committing their data (see bp.h). */
#include "profiler/bp.h"

#include "runtime/interp/interp.h"
#include "sched/tp.h"

#include <pthread.h>
#include <stdlib.h>

_Atomic unsigned bp_active_ix;

static _Atomic(BpData *) all_data;
static pthread_mutex_t code_modify = PTHREAD_MUTEX_INITIALIZER;
/* Serialises changes of the all_data list (pushes by loaders, unlinks by purges). */
static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;

/* The functions of the change in progress (code_modify held). */
static struct {
    BpData **v;
    size_t n, cap;
} touched;

BpData *bp_first(void) { return atomic_load_explicit(&all_data, memory_order_acquire); }

static unsigned staging_ix(void) { return 1u - atomic_load_explicit(&bp_active_ix, memory_order_relaxed); }

void bp_change_begin(void) { pthread_mutex_lock(&code_modify); }

static BpData *data_new(const Module *m, const FuncRange *f)
{
    BpData *bd = calloc(1, sizeof *bd);
    if (!bd) abort();
    bd->entry = bp_entry_of(f);
    bd->orig = bd->entry[0];
    bd->module = m;
    bd->func = f;
    bd->gstub[0] = op_word(OP_i_global_breakpoint);
    bd->gstub[1] = (BeamInstr)bd;
    bd->export = bp_export_of(m, f);
    pthread_mutex_lock(&list_lock);
    atomic_store_explicit(&bd->next, atomic_load_explicit(&all_data, memory_order_relaxed), memory_order_relaxed);
    atomic_store_explicit(&all_data, bd, memory_order_release);
    pthread_mutex_unlock(&list_lock);
    atomic_store_explicit((_Atomic BeamInstr *)&bd->entry[-1], (BeamInstr)bd, memory_order_release);
    return bd;
}

Export *bp_export_of(const Module *m, const FuncRange *f)
{
    Export *e = export_find(m->name, f->function, f->arity);
    if (!e) return NULL;
    const BeamInstr *addr = atomic_load_explicit(&e->address, memory_order_acquire);
    if (addr == bp_entry_of(f)) return e;
    BpData *bd = bp_find(bp_entry_of(f));
    return bd && addr == bd->gstub ? e : NULL;
}

void bp_slot_set_ms(BpSlot *s, MsProg *ms)
{
    if (ms) ms_retain(ms);
    if (s->ms) ms_release(s->ms);
    s->ms = ms;
}

BpSlot *bp_stage(const Module *m, const FuncRange *f)
{
    BpData *bd = bp_find(bp_entry_of(f));
    if (!bd) bd = data_new(m, f);
    if (!bd->touched) {
        if (touched.n == touched.cap) {
            touched.cap = touched.cap ? touched.cap * 2 : 64;
            touched.v = realloc(touched.v, touched.cap * sizeof *touched.v);
            if (!touched.v) abort();
        }
        touched.v[touched.n++] = bd;
        bd->touched = true;
    }
    return &bd->slot[staging_ix()];
}

/* The breakpoint handler for an entry whose word is `orig`: the one made for
   that instruction, or the generic one. */
static BeamInstr handler_for(BeamInstr orig)
{
    for (int op = 0; op < OP_COUNT; op++)
        if ((BeamInstr)op_addr[op] == orig) return (BeamInstr)op_bp_addr[op];
    return op_word(OP_i_breakpoint);
}

void bp_preset(const Module *m, const FuncRange *f, unsigned flags)
{
    BpData *bd = data_new(m, f);
    BpSlot s = {NULL, flags, (flags & BP_COUNT) ? pcount_new() : NULL, (flags & BP_TIME) ? ptime_new() : NULL, NULL};
    s.count_only = flags == BP_COUNT ? s.count : NULL;
    bd->slot[0] = bd->slot[1] = s;
    bd->installed = true;
    bd->entry[0] = handler_for(bd->orig); /* the module is not published yet */
}

static void patch_entry(BpData *bd, BeamInstr word)
{
    atomic_store_explicit((_Atomic BeamInstr *)bd->entry, word, memory_order_release);
}

static void install_staged(unsigned ix)
{
    for (size_t i = 0; i < touched.n; i++) {
        BpData *bd = touched.v[i];
        BpSlot *s = &bd->slot[ix];
        s->count_only = s->flags == BP_COUNT ? s->count : NULL;
        if ((s->flags & BP_GLOBAL) && !bd->g_installed && bd->export) {
            /* only if the export still leads to this code (not reloaded meanwhile) */
            const BeamInstr *expected = bd->entry;
            if (atomic_compare_exchange_strong_explicit(&bd->export->address, &expected, bd->gstub,
                                                        memory_order_release, memory_order_relaxed))
                bd->g_installed = true;
        }
        if ((s->flags & ~BP_GLOBAL) && !bd->installed) {
            patch_entry(bd, handler_for(bd->orig));
            bd->installed = true;
        }
    }
}

/* Step 5 for one function: `ix` is now active, the other slot is stale. */
static void finish_function(BpData *bd, unsigned ix)
{
    BpSlot *now = &bd->slot[ix], *old = &bd->slot[1u - ix];
    if (!(now->flags & ~BP_GLOBAL) && bd->installed) {
        patch_entry(bd, bd->orig);
        bd->installed = false;
    }
    if (!(now->flags & BP_GLOBAL) && bd->g_installed) {
        const BeamInstr *expected = bd->gstub;
        atomic_compare_exchange_strong_explicit(&bd->export->address, &expected, bd->entry,
                                                memory_order_release, memory_order_relaxed);
        bd->g_installed = false;
    }
    if (old->count && old->count != now->count) pcount_free(old->count);
    if (old->time && old->time != now->time) ptime_free(old->time);
    if (old->ms) ms_release(old->ms);
    *old = *now;
    if (now->ms) ms_retain(now->ms);
    bd->touched = false;
}

void bp_change_end(bool blocking)
{
    unsigned ix = staging_ix();
    if (blocking) tp_block();
    install_staged(ix);
    atomic_store_explicit(&bp_active_ix, ix, memory_order_release);
    tp_wait(tp_later());
    for (size_t i = 0; i < touched.n; i++) finish_function(touched.v[i], ix);
    touched.n = 0;
    if (blocking) tp_unblock();
    pthread_mutex_unlock(&code_modify);
}

static void free_data(void *arg)
{
    BpData *bd = arg;
    for (int i = 0; i < 2; i++) {
        BpSlot *s = &bd->slot[i], *other = &bd->slot[1 - i];
        if (s->count && (i == 0 || s->count != other->count)) pcount_free(s->count);
        if (s->time && (i == 0 || s->time != other->time)) ptime_free(s->time);
    }
    free(bd);
}

/* Readers walking the list may stand on an unlinked node: it keeps its next
   pointer and is freed only after every scheduler progressed. */
void bp_forget(const Module *m)
{
    pthread_mutex_lock(&list_lock);
    _Atomic(BpData *) *link = &all_data;
    for (BpData *bd; (bd = atomic_load_explicit(link, memory_order_relaxed)) != NULL;) {
        if (bd->module != m) {
            link = &bd->next;
            continue;
        }
        atomic_store_explicit(link, atomic_load_explicit(&bd->next, memory_order_relaxed), memory_order_release);
        tp_defer(free_data, bd);
    }
    pthread_mutex_unlock(&list_lock);
}
