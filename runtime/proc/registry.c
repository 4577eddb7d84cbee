/* registry.c - registered names: a small open-addressing table under a mutex. */
#include "runtime/proc/registry.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct Entry {
    Term name, pid; /* name 0: empty; pid THE_NON_VALUE: deleted */
} Entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Entry *table;
static size_t cap, used;

static size_t slot_of(Term name)
{
    size_t i = (size_t)(name * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
    while (table[i].name != 0 && table[i].name != name) i = (i + 1) & (cap - 1);
    return i;
}

static void grow(void)
{
    Entry *old = table;
    size_t old_cap = cap;
    cap = cap ? cap * 2 : 256;
    table = calloc(cap, sizeof *table);
    if (!table) abort();
    used = 0;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].name == 0 || old[i].pid == THE_NON_VALUE) continue;
        table[slot_of(old[i].name)] = old[i];
        used++;
    }
    free(old);
}

bool reg_register(Term name, Term pid)
{
    pthread_mutex_lock(&lock);
    if ((used + 1) * 2 > cap) grow();
    Entry *e = &table[slot_of(name)];
    bool ok = e->name == 0 || e->pid == THE_NON_VALUE;
    if (ok) {
        if (e->name == 0) used++;
        *e = (Entry){name, pid};
    }
    pthread_mutex_unlock(&lock);
    return ok;
}

bool reg_unregister(Term name)
{
    pthread_mutex_lock(&lock);
    bool found = false;
    if (cap) {
        Entry *e = &table[slot_of(name)];
        found = e->name == name && e->pid != THE_NON_VALUE;
        if (found) e->pid = THE_NON_VALUE;
    }
    pthread_mutex_unlock(&lock);
    return found;
}

void reg_unregister_pid(Term name, Term pid)
{
    pthread_mutex_lock(&lock);
    if (cap) {
        Entry *e = &table[slot_of(name)];
        if (e->name == name && e->pid == pid) e->pid = THE_NON_VALUE;
    }
    pthread_mutex_unlock(&lock);
}

Term reg_whereis(Term name)
{
    pthread_mutex_lock(&lock);
    Term pid = THE_NON_VALUE;
    if (cap) {
        Entry *e = &table[slot_of(name)];
        if (e->name == name) pid = e->pid;
    }
    pthread_mutex_unlock(&lock);
    return pid;
}

size_t reg_names(Term *out, size_t max)
{
    pthread_mutex_lock(&lock);
    size_t n = 0;
    for (size_t i = 0; i < cap && n < max; i++)
        if (table[i].name != 0 && table[i].pid != THE_NON_VALUE) out[n++] = table[i].name;
    pthread_mutex_unlock(&lock);
    return n;
}
