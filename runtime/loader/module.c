/*
 * module.c - the registry of loaded modules (see module.h).
 *
 * Modules are appended to a fixed-capacity array and published by a
 * release store of the count, so finding a module (by name or by a code
 * address, for stack traces) takes no lock. Replacing a loaded module is
 * not supported yet: a name is registered once.
 */
#include "runtime/loader/module.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define MAX_MODULES 65536

static Module *modules[MAX_MODULES];
static atomic_size_t module_count_; /* published modules */
static pthread_mutex_t register_lock = PTHREAD_MUTEX_INITIALIZER;

void module_register(Module *m)
{
    pthread_mutex_lock(&register_lock);
    size_t n = atomic_load_explicit(&module_count_, memory_order_relaxed);
    if (n == MAX_MODULES) abort();
    modules[n] = m;
    atomic_store_explicit(&module_count_, n + 1, memory_order_release);
    pthread_mutex_unlock(&register_lock);
}

Module *module_find(Term name)
{
    size_t n = atomic_load_explicit(&module_count_, memory_order_acquire);
    for (size_t i = 0; i < n; i++)
        if (modules[i]->name == name) return modules[i];
    return NULL;
}

size_t module_count(void) { return atomic_load_explicit(&module_count_, memory_order_acquire); }
Module *module_at(size_t i) { return modules[i]; }

size_t module_code_bytes(void)
{
    size_t bytes = 0, n = module_count();
    for (size_t i = 0; i < n; i++) bytes += sizeof(Module) + modules[i]->code_words * sizeof(BeamInstr);
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
    size_t n = atomic_load_explicit(&module_count_, memory_order_acquire);
    for (size_t i = 0; i < n; i++) {
        Module *m = modules[i];
        if (pc >= m->code && pc < m->code + m->code_words) {
            *mod_out = m;
            return find_func(m, pc);
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

void module_free(Module *m)
{
    if (!m) return;
    free(m->code);
    free(m->funcs);
    free(m->lambdas);
    free(m->lines);
    free(m->line_items_file);
    free(m->line_items_line);
    for (uint32_t i = 0; i < m->num_file_names; i++) free(m->file_names[i]);
    free(m->file_names);
    free(m->file_terms);
    literal_area_free(m->literals);
    free(m->strtab);
    free(m->exports);
    free(m);
}
