/*
 * export.c - the export table (see export.h): an open-addressing hash of
 * stable Export pointers under one mutex. Lookups happen at load time and
 * in apply; calls go through the Export pointer the loader stored in code.
 */
#include "runtime/loader/export.h"

#include "runtime/interp/interp.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Export **slots;
static size_t slot_mask, used;

static size_t hash_mfa(Term m, Term f, uint32_t a)
{
    uint64_t h = (uint64_t)m * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)f * 0xC2B2AE3D27D4EB4Full;
    h ^= (uint64_t)a * 0x165667B19E3779F9ull;
    return (size_t)(h ^ (h >> 29));
}

static size_t find_slot(Term m, Term f, uint32_t a)
{
    size_t j = hash_mfa(m, f, a) & slot_mask;
    for (Export *e; (e = slots[j]) != NULL; j = (j + 1) & slot_mask)
        if (e->module == m && e->function == f && e->arity == a) return j;
    return j;
}

static void grow(void)
{
    size_t old_size = slots ? slot_mask + 1 : 0;
    Export **old = slots;
    size_t size = old_size ? old_size * 2 : 4096;
    slots = calloc(size, sizeof *slots);
    if (!slots) abort();
    slot_mask = size - 1;
    for (size_t i = 0; i < old_size; i++)
        if (old[i]) slots[find_slot(old[i]->module, old[i]->function, old[i]->arity)] = old[i];
    free(old);
}

static Export *create_locked(Term m, Term f, uint32_t a, size_t slot)
{
    Export *e = calloc(1, sizeof *e);
    if (!e) abort();
    e->module = m;
    e->function = f;
    e->arity = a;
    e->seq = used;
    e->stub[0] = op_word(OP_i_call_undefined);
    e->stub[1] = (BeamInstr)e;
    atomic_store_explicit(&e->address, e->stub, memory_order_release);
    slots[slot] = e;
    if (++used * 2 > slot_mask) grow();
    return e;
}

Export *export_get(Term m, Term f, uint32_t a)
{
    pthread_mutex_lock(&lock);
    if (!slots) grow();
    size_t slot = find_slot(m, f, a);
    Export *e = slots[slot] ? slots[slot] : create_locked(m, f, a, slot);
    pthread_mutex_unlock(&lock);
    return e;
}

Export *export_find(Term m, Term f, uint32_t a)
{
    pthread_mutex_lock(&lock);
    Export *e = slots ? slots[find_slot(m, f, a)] : NULL;
    pthread_mutex_unlock(&lock);
    return e;
}

bool export_is_defined(const Export *e)
{
    return atomic_load_explicit(&e->address, memory_order_acquire) != e->stub || e->bif != NULL;
}

Export *export_set_native(Term module, Term function, uint32_t arity, BifFn fn, int dirty)
{
    Export *e = export_get(module, function, arity);
    e->bif = fn;
    e->dirty = (uint8_t)dirty;
    e->stub[0] = op_word(OP_i_call_bif);
    atomic_store_explicit(&e->address, e->stub, memory_order_release);
    return e;
}

static void register_bif(const BifEntry *b)
{
    export_set_native(b->module, atom_from_cstr(b->name), b->arity, b->fn, b->dirty);
}

static void register_apply(int arity)
{
    Export *e = export_get(AM_erlang, atom_from_cstr("apply"), (uint32_t)arity);
    e->vm_stub = true;
    atomic_store_explicit(&e->address, interp_apply_stub(arity), memory_order_release);
}

void export_init(void)
{
    for (size_t i = 0; i < bif_table_size; i++) register_bif(&bif_table[i]);
    register_apply(2);
    register_apply(3);
    Export *on_load = export_get(AM_erlang, atom_from_cstr("call_on_load_function"), 1);
    on_load->vm_stub = true;
    atomic_store_explicit(&on_load->address, interp_on_load_stub(), memory_order_release);
    Export *h = export_get(AM_erlang, atom_from_cstr("hibernate"), 3);
    h->vm_stub = true;
    atomic_store_explicit(&h->address, interp_hibernate_stub(), memory_order_release);
}
