/*
 * magic.c - magic references (see magic.h).
 *
 * Every live Magic is in one table keyed by its id, so that binary_to_term
 * can turn a magic reference's external form back into a working handle.
 * The table holds no reference: magic_release removes the Magic when its
 * count reaches zero, and magic_lookup only revives a Magic whose count is
 * still above zero, both under the table's lock. Creating and freeing take
 * the lock; using a Magic through a handle never does.
 */
#include "runtime/term/magic.h"

#include "runtime/proc/heap.h"

#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Magic **slots; /* open addressing, linear probing; NULL is empty */
static size_t capacity, used;
static uint64_t next_id;
static atomic_size_t live_bytes;

static size_t home(uint64_t id, size_t cap) { return (size_t)(id * 0x9E3779B97F4A7C15u >> 20) & (cap - 1); }

static void place(Magic **tab, size_t cap, Magic *m)
{
    size_t i = home(m->id, cap);
    while (tab[i]) i = (i + 1) & (cap - 1);
    tab[i] = m;
}

/* Room for one more entry (under the lock); false when out of memory. */
static bool reserve(void)
{
    if (2 * (used + 1) <= capacity) return true;
    size_t cap = capacity ? 2 * capacity : 64;
    Magic **tab = calloc(cap, sizeof *tab);
    if (!tab) return false;
    for (size_t i = 0; i < capacity; i++)
        if (slots[i]) place(tab, cap, slots[i]);
    free(slots);
    slots = tab;
    capacity = cap;
    return true;
}

static size_t find(uint64_t id)
{
    size_t i = home(id, capacity);
    while (slots[i] && slots[i]->id != id) i = (i + 1) & (capacity - 1);
    return i;
}

/* Removes the entry at i and moves later entries of its cluster back so that probing still finds them. */
static void remove_at(size_t i)
{
    slots[i] = NULL;
    for (size_t j = (i + 1) & (capacity - 1); slots[j]; j = (j + 1) & (capacity - 1)) {
        size_t h = home(slots[j]->id, capacity);
        bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
        if (stays) continue;
        slots[i] = slots[j];
        slots[j] = NULL;
        i = j;
    }
    used--;
}

Magic *magic_new(const MagicType *type, size_t size)
{
    size_t bytes = sizeof(Magic) + size;
    Magic *m = calloc(1, bytes);
    if (!m) return NULL;
    atomic_init(&m->refc, 1);
    m->type = type;
    m->bytes = bytes;
    pthread_mutex_lock(&lock);
    if (!reserve()) {
        pthread_mutex_unlock(&lock);
        free(m);
        return NULL;
    }
    m->id = MAGIC_ID_MARK | ++next_id;
    place(slots, capacity, m);
    used++;
    pthread_mutex_unlock(&lock);
    atomic_fetch_add_explicit(&live_bytes, bytes, memory_order_relaxed);
    return m;
}

void magic_release(Magic *m)
{
    if (atomic_fetch_sub_explicit(&m->refc, 1, memory_order_acq_rel) != 1) return;
    pthread_mutex_lock(&lock);
    remove_at(find(m->id));
    pthread_mutex_unlock(&lock);
    if (m->type->destroy) m->type->destroy(m);
    atomic_fetch_sub_explicit(&live_bytes, m->bytes, memory_order_relaxed);
    free(m);
}

Magic *magic_lookup(const Term id[REF_WORDS])
{
    if (id[1] != 0 || (id[0] & ~(MAGIC_ID_MARK - 1)) != MAGIC_ID_MARK) return NULL;
    Magic *found = NULL;
    pthread_mutex_lock(&lock);
    if (capacity) {
        Magic *m = slots[find(id[0])];
        size_t n = m ? atomic_load_explicit(&m->refc, memory_order_relaxed) : 0;
        while (n && !atomic_compare_exchange_weak_explicit(&m->refc, &n, n + 1, memory_order_relaxed,
                                                           memory_order_relaxed)) {
        }
        if (n) found = m;
    }
    pthread_mutex_unlock(&lock);
    return found;
}

Term magic_ref_at(struct Process *p, Term *hp, Magic *m)
{
    hp[0] = magic_ref_header();
    hp[1] = (Term)m->id;
    hp[2] = 0;
    hp[3] = (Term)p->off_heap.first;
    hp[4] = (Term)m;
    p->off_heap.first = hp;
    p->off_heap.bytes += m->bytes;
    return make_boxed(hp);
}

Term magic_ref_new(struct Process *p, Magic *m) { return magic_ref_at(p, heap_alloc(p, MAGIC_REF_WORDS), m); }

size_t magic_total_bytes(void) { return atomic_load_explicit(&live_bytes, memory_order_relaxed); }

size_t magic_count(void)
{
    pthread_mutex_lock(&lock);
    size_t n = used;
    pthread_mutex_unlock(&lock);
    return n;
}
