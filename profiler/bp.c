/* bp.c - installing breakpoints and committing their data (see bp.h). */
#include "profiler/bp.h"

#include "runtime/interp/interp.h"
#include "runtime/term/atom.h"
#include "sched/tp.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void publish(BpData *bd)
{
    pthread_mutex_lock(&list_lock);
    atomic_store_explicit(&bd->next, atomic_load_explicit(&all_data, memory_order_relaxed), memory_order_relaxed);
    atomic_store_explicit(&all_data, bd, memory_order_release);
    pthread_mutex_unlock(&list_lock);
}

static BpData *data_new(const Module *m, const FuncRange *f)
{
    BpData *bd = calloc(1, sizeof *bd);
    if (!bd) abort();
    bd->entry = bp_entry_of(f);
    bd->orig = bd->entry[0];
    bd->module = m;
    bd->func = f;
    bd->mod = m->name;
    bd->fun = f->function;
    bd->arity = f->arity;
    bd->gstub[0] = op_word(OP_i_global_breakpoint);
    bd->gstub[1] = (BeamInstr)bd;
    bd->export = bp_export_of(m, f);
    for (int i = 0; i < 2; i++) bd->slot[i].meta_tracer = NIL;
    publish(bd);
    atomic_store_explicit((_Atomic BeamInstr *)&bd->entry[-1], (BeamInstr)bd, memory_order_release);
    return bd;
}

/* A BIF's data lives as long as its export: for good. */
static BpData *bif_data_new(Export *e)
{
    BpData *bd = calloc(1, sizeof *bd);
    if (!bd) abort();
    bd->bif_entry[0] = (BeamInstr)bd;
    bd->bif_entry[1] = op_word(OP_i_stub_breakpoint);
    bd->entry = &bd->bif_entry[1];
    bd->mod = e->module;
    bd->fun = e->function;
    bd->arity = e->arity;
    bd->bif = e;
    bd->bif_traceable = bp_bif_traceable(e);
    for (int i = 0; i < 2; i++) bd->slot[i].meta_tracer = NIL;
    publish(bd);
    atomic_store_explicit(&e->bp_data, bd, memory_order_release);
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

static void set_prog(MsProg **at, MsProg *ms)
{
    if (ms) ms_retain(ms);
    if (*at) ms_release(*at);
    *at = ms;
}

void bp_slot_set_ms(BpSlot *s, MsProg *ms) { set_prog(&s->ms, ms); }
void bp_slot_set_meta_ms(BpSlot *s, MsProg *ms) { set_prog(&s->meta_ms, ms); }

Export *bp_bif_of(const Module *m, const FuncRange *f)
{
    Export *e = export_find(m->name, f->function, f->arity);
    return e && ((e->bif && e->stub[0] == op_word(OP_i_call_bif)) || bp_stub_traceable(e)) ? e : NULL;
}

bool bp_stub_traceable(const Export *e)
{
    return e->vm_stub && e->module == AM_erlang && e->function == AM_apply && e->arity == 2;
}

/* OTP 25's operators and guard BIFs (its `ubif` kind), all in module erlang. */
static const char *const untraced_bifs[] = {
    "abs/1", "element/2", "float/1", "hd/1", "length/1", "node/0", "node/1", "round/1", "self/0", "size/1",
    "tl/1", "trunc/1", "and/2", "or/2", "xor/2", "not/1", ">/2", ">=/2", "</2", "=</2", "=:=/2", "==/2",
    "=/=/2", "/=/2", "+/2", "-/2", "*/2", "//2", "div/2", "rem/2", "bor/2", "band/2", "bxor/2", "bsl/2",
    "bsr/2", "bnot/1", "-/1", "+/1", "is_atom/1", "is_list/1", "is_tuple/1", "is_float/1", "is_integer/1",
    "is_number/1", "is_pid/1", "is_port/1", "is_reference/1", "is_binary/1", "is_function/1",
    "is_function/2", "is_record/2", "is_record/3", "is_boolean/1", "is_bitstring/1", "tuple_size/1",
    "byte_size/1", "bit_size/1", "binary_part/2", "binary_part/3", "is_map/1", "map_size/1", "floor/1",
    "ceil/1", "map_get/2", "is_map_key/2",
};

bool bp_bif_traceable(const Export *e)
{
    if (e->module != AM_erlang) return true;
    char name[64];
    snprintf(name, sizeof name, "%s/%u", atom_text(e->function), e->arity);
    for (size_t i = 0; i < sizeof untraced_bifs / sizeof untraced_bifs[0]; i++)
        if (strcmp(untraced_bifs[i], name) == 0) return false;
    return true;
}

BpData *bp_find_function(const Module *m, const FuncRange *f)
{
    Export *bif = bp_bif_of(m, f);
    return bif ? bp_find_bif(bif) : bp_find(bp_entry_of(f));
}

static BpSlot *stage_data(BpData *bd);

BpSlot *bp_stage_bif(Export *e)
{
    BpData *bd = bp_find_bif(e);
    return stage_data(bd ? bd : bif_data_new(e));
}

BpSlot *bp_stage(const Module *m, const FuncRange *f)
{
    Export *bif = bp_bif_of(m, f);
    if (bif) return bp_stage_bif(bif);
    BpData *bd = bp_find(bp_entry_of(f));
    return stage_data(bd ? bd : data_new(m, f));
}

static BpSlot *stage_data(BpData *bd)
{
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

void bp_preset(const Module *m, const FuncRange *f, const BpSlot *proto)
{
    if (bp_bif_of(m, f)) return; /* a BIF's breakpoint is not the module's to set */
    BpData *bd = data_new(m, f);
    unsigned flags = proto->flags;
    BpSlot s = {NULL, flags, (flags & BP_COUNT) ? pcount_new() : NULL, (flags & BP_TIME) ? ptime_new() : NULL,
                (flags & BP_MEMORY) ? ptime_new() : NULL, (flags & BP_CALL_TRACE) ? proto->ms : NULL, (flags & BP_META) ? proto->meta_tracer : NIL,
                (flags & BP_META) ? proto->meta_ms : NULL};
    s.count_only = flags == BP_COUNT ? s.count : NULL;
    for (int i = 0; i < 2; i++) { /* a reference per slot */
        if (s.ms) ms_retain(s.ms);
        if (s.meta_ms) ms_retain(s.meta_ms);
    }
    bd->slot[0] = bd->slot[1] = s;
    bd->installed = true;
    bd->entry[0] = handler_for(bd->orig); /* the module is not published yet */
}

static void patch_entry(BpData *bd, BeamInstr word)
{
    atomic_store_explicit((_Atomic BeamInstr *)bd->entry, word, memory_order_release);
}

/* A BIF's breakpoint is its export's bp word; every kind goes there. */
static void install_bif(BpData *bd, const BpSlot *s)
{
    if (s->flags && !bd->installed && bd->bif_traceable) {
        atomic_store_explicit(&bd->bif->bp, bd, memory_order_release);
        bd->installed = true;
    }
}

static void install_staged(unsigned ix)
{
    for (size_t i = 0; i < touched.n; i++) {
        BpData *bd = touched.v[i];
        BpSlot *s = &bd->slot[ix];
        s->count_only = s->flags == BP_COUNT ? s->count : NULL;
        if (bd->bif) {
            install_bif(bd, s);
            continue;
        }
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
    if (bd->bif && !now->flags && bd->installed) {
        atomic_store_explicit(&bd->bif->bp, NULL, memory_order_release);
        bd->installed = false;
    } else if (!bd->bif && !(now->flags & ~BP_GLOBAL) && bd->installed) {
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
    if (old->memory && old->memory != now->memory) ptime_free(old->memory);
    if (old->ms) ms_release(old->ms);
    if (old->meta_ms) ms_release(old->meta_ms);
    *old = *now;
    if (now->ms) ms_retain(now->ms);
    if (now->meta_ms) ms_retain(now->meta_ms);
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
        if (s->memory && (i == 0 || s->memory != other->memory)) ptime_free(s->memory);
        if (s->ms) ms_release(s->ms);
        if (s->meta_ms) ms_release(s->meta_ms);
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
