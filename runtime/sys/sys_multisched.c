/* sys_multisched.c - multi-scheduling blocks, counted per process (see sys_multisched.h). */
#include "runtime/sys/sys_multisched.h"

#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct Blocker {
    Term pid;
    unsigned count;
} Blocker;

typedef struct Blockers {
    Blocker *v;
    size_t n, cap;
} Blockers;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Blockers all, normal_only;

static Blocker *find(Blockers *b, Term pid)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].pid == pid) return &b->v[i];
    return NULL;
}

static void block(Blockers *b, Term pid)
{
    Blocker *e = find(b, pid);
    if (e) {
        e->count++;
        return;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 4;
        Blocker *v = realloc(b->v, cap * sizeof *v);
        if (!v) abort();
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = (Blocker){pid, 1};
}

static void unblock(Blockers *b, Term pid)
{
    Blocker *e = find(b, pid);
    if (e && --e->count == 0) *e = b->v[--b->n];
}

static Term state_locked(void)
{
    if (all.n) return atom_from_cstr("blocked");
    if (normal_only.n) return atom_from_cstr("blocked_normal");
    return atom_from_cstr("enabled");
}

Term sys_multisched_flag(Process *p, Term value)
{
    const char *v = is_atom(value) ? atom_text(value) : "";
    bool is_block = !strcmp(v, "block"), is_normal = !strcmp(v, "block_normal");
    bool is_unblock = !strcmp(v, "unblock"), is_unnormal = !strcmp(v, "unblock_normal");
    if (!(is_block || is_normal || is_unblock || is_unnormal)) return THE_NON_VALUE;
    pthread_mutex_lock(&lock);
    if (is_block) block(&all, p->pid);
    else if (is_normal) block(&normal_only, p->pid);
    else if (is_unblock) unblock(&all, p->pid);
    else unblock(&normal_only, p->pid);
    Term state = state_locked();
    pthread_mutex_unlock(&lock);
    return state;
}

Term sys_multisched_state(void)
{
    pthread_mutex_lock(&lock);
    Term state = state_locked();
    pthread_mutex_unlock(&lock);
    return state;
}

Term sys_multisched_blockers(Process *p, bool normal)
{
    pthread_mutex_lock(&lock);
    const Blockers *b = normal ? &normal_only : &all;
    Term *hp = heap_alloc(p, 2 * b->n), list = NIL;
    for (size_t i = 0; i < b->n; i++, hp += 2) {
        hp[0] = b->v[i].pid;
        hp[1] = list;
        list = make_list(hp);
    }
    pthread_mutex_unlock(&lock);
    return list;
}
