/*
 * module.c - the registry of loaded modules and their code versions (see
 * module.h).
 *
 * One slot per module name ever loaded, appended to a fixed array and
 * published by a release store of the count; a slot holds atomic pointers to
 * the current, old and pending code. Readers (module_find, stack traces)
 * take no lock. Every change of versions, and the export repointing that
 * goes with it, happens under `versions_lock`, so two loads of one module
 * cannot interleave. Code that leaves a slot is freed by module_release
 * through tp_defer: only after every scheduler passed a progress point.
 */
#include "runtime/loader/module.h"

#include "profiler/bp.h"
#include "profiler/pattern.h"
#include "runtime/loader/code_version.h"
#include "runtime/debug/dbg.h"
#include "sched/tp.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define MAX_MODULES 65536

typedef struct Slot {
    Term name;
    _Atomic(Module *) current, old, pending;
} Slot;

static Slot slots[MAX_MODULES];
static atomic_size_t slot_count;
static pthread_mutex_t versions_lock = PTHREAD_MUTEX_INITIALIZER;
/* Released modules: their structs, lambda tables and literals stay for the
   terms that may point at them (funs, constants), listed here for good. */
static Module *retired;
static pthread_mutex_t retired_lock = PTHREAD_MUTEX_INITIALIZER;

static Slot *slot_find(Term name)
{
    size_t n = atomic_load_explicit(&slot_count, memory_order_acquire);
    for (size_t i = 0; i < n; i++)
        if (slots[i].name == name) return &slots[i];
    return NULL;
}

/* The slot of name, created if missing (versions_lock held). */
static Slot *slot_get(Term name)
{
    Slot *s = slot_find(name);
    if (s) return s;
    size_t n = atomic_load_explicit(&slot_count, memory_order_relaxed);
    if (n == MAX_MODULES) abort();
    slots[n].name = name;
    atomic_store_explicit(&slot_count, n + 1, memory_order_release);
    return &slots[n];
}

static Module *load_version(_Atomic(Module *) *v) { return atomic_load_explicit(v, memory_order_acquire); }
static void set_version(_Atomic(Module *) *v, Module *m) { atomic_store_explicit(v, m, memory_order_release); }

Module *module_find(Term name)
{
    Slot *s = slot_find(name);
    return s ? load_version(&s->current) : NULL;
}

Module *module_find_old(Term name)
{
    Slot *s = slot_find(name);
    return s ? load_version(&s->old) : NULL;
}

Module *module_find_pending(Term name)
{
    Slot *s = slot_find(name);
    return s ? load_version(&s->pending) : NULL;
}

size_t module_count(void) { return atomic_load_explicit(&slot_count, memory_order_acquire); }
Module *module_at(size_t i) { return load_version(&slots[i].current); }
Module *module_old_at(size_t i) { return load_version(&slots[i].old); }
Term module_name_at(size_t i) { return slots[i].name; }

/* Points m's exports at its code (BIF exports keep calling the BIF). */
static void publish_exports(const Module *m)
{
    for (uint32_t i = 0; i < m->num_exports; i++) {
        Export *e = export_get(m->name, m->exports[i].function, m->exports[i].arity);
        if (!export_is_vm_provided(e)) atomic_store_explicit(&e->address, m->exports[i].entry, memory_order_release);
    }
}

static bool exports_name(const Module *m, Term f, uint32_t arity)
{
    for (uint32_t i = 0; m && i < m->num_exports; i++)
        if (m->exports[i].function == f && m->exports[i].arity == arity) return true;
    return false;
}

/* Exports of `prev` that `now` (NULL: none) lacks go back to their undefined stubs. */
static void unpublish_exports(const Module *prev, const Module *now)
{
    for (uint32_t i = 0; i < prev->num_exports; i++) {
        const FuncName *x = &prev->exports[i];
        if (exports_name(now, x->function, x->arity)) continue;
        Export *e = export_get(prev->name, x->function, x->arity);
        if (!export_is_vm_provided(e)) atomic_store_explicit(&e->address, e->stub, memory_order_release);
    }
}

/* New exports are stored before vanished ones are reset: a call made meanwhile
   reaches either version, never a stub that should not exist. */
static void make_current(Slot *s, Module *m)
{
    Module *prev = load_version(&s->current);
    if (prev) set_version(&s->old, prev);
    set_version(&s->current, m);
    publish_exports(m);
    if (prev) unpublish_exports(prev, m);
}

/* An on-load trace pattern (profiler/pattern.h) gives the new code its
   breakpoints before anything can run it, and so does the C debugger agent
   (its breakpoints follow a module to its next version, runtime/debug/dbg.h). */
int module_commit(Module *m, bool run_on_load)
{
    pthread_mutex_lock(&versions_lock);
    Slot *s = slot_get(m->name);
    bool on_load = m->on_load && run_on_load;
    int r = MODULE_OK;
    if (load_version(&s->current) && load_version(&s->old)) r = MODULE_NOT_PURGED;
    else if (on_load && load_version(&s->pending)) r = MODULE_NOT_PURGED;
    else {
        pattern_module_loaded(m);
        bool held = dbg_module_loading(m, load_version(&s->current));
        if (on_load) {
            set_version(&s->pending, m);
            r = MODULE_ON_LOAD;
        } else {
            make_current(s, m);
        }
        dbg_module_loaded(held);
    }
    pthread_mutex_unlock(&versions_lock);
    return r;
}

bool module_finish_on_load(Term name, bool keep)
{
    pthread_mutex_lock(&versions_lock);
    Slot *s = slot_find(name);
    Module *m = s ? load_version(&s->pending) : NULL;
    bool blocked = m && keep && load_version(&s->current) && load_version(&s->old);
    if (m && !blocked) {
        set_version(&s->pending, NULL);
        if (keep) make_current(s, m);
    }
    pthread_mutex_unlock(&versions_lock);
    if (m && !blocked && !keep) {
        bp_forget(m); /* never current, so no trace_pattern change has it staged */
        module_release(m);
    }
    return m && !blocked;
}

int module_delete(Term name)
{
    pthread_mutex_lock(&versions_lock);
    Slot *s = slot_find(name);
    Module *cur = s ? load_version(&s->current) : NULL;
    int r = !s ? 0 : load_version(&s->old) ? -1 : 1;
    if (r == 1 && cur) {
        set_version(&s->old, cur);
        set_version(&s->current, NULL);
        unpublish_exports(cur, NULL);
    }
    pthread_mutex_unlock(&versions_lock);
    return r;
}

/* Funs of code that is going away raise badfun (see interp.c fun_target). */
static void disable_lambdas(Module *m)
{
    for (uint32_t i = 0; i < m->num_lambdas; i++)
        __atomic_store_n(&m->lambdas[i].address, NULL, __ATOMIC_RELEASE);
}

Module *module_detach_old(Term name)
{
    pthread_mutex_lock(&versions_lock);
    Slot *s = slot_find(name);
    Module *old = s ? load_version(&s->old) : NULL;
    if (old) {
        set_version(&s->old, NULL);
        disable_lambdas(old);
    }
    pthread_mutex_unlock(&versions_lock);
    return old;
}

bool module_contains(const Module *m, const BeamInstr *pc)
{
    return m && pc >= m->code && pc < m->code + m->code_words;
}

/* Code of every current and old version. */
size_t module_code_bytes(void)
{
    size_t bytes = 0, n = module_count();
    for (size_t i = 0; i < n; i++) {
        const Module *versions[2] = {module_at(i), module_old_at(i)};
        for (int v = 0; v < 2; v++)
            if (versions[v]) bytes += sizeof(Module) + versions[v]->code_words * sizeof(BeamInstr);
    }
    return bytes;
}

const FuncRange *module_func(const Module *m, Term f, uint32_t arity)
{
    for (uint32_t i = 0; i < m->num_funcs; i++)
        if (m->funcs[i].function == f && m->funcs[i].arity == arity) return &m->funcs[i];
    return NULL;
}

static const FuncRange *find_func(const Module *m, const BeamInstr *pc)
{
    uint32_t lo = 0, hi = m->num_funcs;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        const FuncRange *f = &m->funcs[mid];
        if (pc < f->start) hi = mid;
        else if (pc >= f->end) lo = mid + 1;
        else return f;
    }
    return NULL;
}

const FuncRange *module_func_at(const BeamInstr *pc, Module **mod_out)
{
    size_t n = module_count();
    for (size_t i = 0; i < n; i++) {
        Module *versions[3] = {load_version(&slots[i].current), load_version(&slots[i].old),
                               load_version(&slots[i].pending)};
        for (int v = 0; v < 3; v++) {
            if (!module_contains(versions[v], pc)) continue;
            *mod_out = versions[v];
            return find_func(versions[v], pc);
        }
    }
    return NULL;
}

void module_location(const Module *m, const BeamInstr *pc, uint32_t *file, uint32_t *line)
{
    uint32_t offset = (uint32_t)(pc - m->code);
    uint32_t lo = 0, hi = m->num_lines;
    while (lo < hi) { /* the last entry at or before offset */
        uint32_t mid = (lo + hi) / 2;
        if (m->lines[mid].offset <= offset) lo = mid + 1;
        else hi = mid;
    }
    uint32_t item = lo ? m->lines[lo - 1].item : 0;
    if (item == 0 || item >= m->num_line_items) {
        *file = 0;
        *line = 0;
        return;
    }
    *file = m->line_items_file[item];
    *line = m->line_items_line[item];
}

Term module_file_term(const Module *m, uint32_t file)
{
    return file < m->num_file_names ? m->file_terms[file] : NIL;
}

/* Everything but what terms may still point at: the struct (its md5, which
   funs print), the lambda table (funs' FunEntry) and the literal area. */
static void free_code(Module *m)
{
    free(m->code);
    m->code = NULL;
    m->code_words = 0;
    free(m->funcs);
    free(m->lines);
    free(m->line_items_file);
    free(m->line_items_line);
    for (uint32_t i = 0; i < m->num_file_names; i++) free(m->file_names[i]);
    free(m->file_names);
    free(m->file_terms);
    free(m->strtab);
    free(m->exports);
}

static void free_code_deferred(void *arg) { free_code(arg); }

void module_release(Module *m)
{
    disable_lambdas(m);
    code_literals_retire(m->literals); /* freed once no process refers to them */
    m->literals = NULL;
    pthread_mutex_lock(&retired_lock);
    m->retired_next = retired;
    retired = m;
    pthread_mutex_unlock(&retired_lock);
    tp_defer(free_code_deferred, m);
}

void module_free(Module *m)
{
    if (!m) return;
    free_code(m);
    free(m->lambdas);
    literal_area_free(m->literals);
    free(m);
}
