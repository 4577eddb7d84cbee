/*
 * atom.c - the global atom table (see atom.h).
 *
 * Index -> text goes through a two-level array of fixed segments, so a
 * reader never sees memory move. Text -> index uses an open-addressing hash
 * under one mutex: atoms are created at load time and by list_to_atom, both
 * rare next to reads.
 */
#include "runtime/term/atom.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define SEGMENT_BITS 12
#define SEGMENT_SIZE (1u << SEGMENT_BITS)
#define SEGMENT_COUNT (ATOM_MAX_COUNT / SEGMENT_SIZE)

typedef struct AtomEntry {
    uint32_t len;
    uint32_t hash;
    char text[]; /* NUL-terminated for convenience */
} AtomEntry;

static _Atomic(AtomEntry *) *segments[SEGMENT_COUNT];
static atomic_size_t count;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t *slots; /* hash slots: atom index + 1, 0 = empty */
static size_t slot_mask;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static uint32_t hash_text(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (uint8_t)s[i];
        h *= 16777619u;
    }
    return h;
}

static AtomEntry *entry_at(size_t index)
{
    _Atomic(AtomEntry *) *seg = segments[index >> SEGMENT_BITS];
    return atomic_load_explicit(&seg[index & (SEGMENT_SIZE - 1)], memory_order_acquire);
}

/* Counts UTF-8 characters; returns SIZE_MAX for malformed text. */
static size_t utf8_chars(const char *s, size_t len)
{
    size_t chars = 0;
    for (size_t i = 0; i < len; chars++) {
        uint8_t c = (uint8_t)s[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || i + n > len) return SIZE_MAX;
        for (size_t k = 1; k < n; k++)
            if (((uint8_t)s[i + k] & 0xC0) != 0x80) return SIZE_MAX;
        i += n;
    }
    return chars;
}

static void grow_slots(void)
{
    size_t new_size = slot_mask ? (slot_mask + 1) * 2 : 8192;
    uint32_t *fresh = calloc(new_size, sizeof *fresh);
    if (!fresh) abort();
    size_t n = atomic_load_explicit(&count, memory_order_relaxed);
    for (size_t i = 0; i < n; i++) {
        size_t j = entry_at(i)->hash & (new_size - 1);
        while (fresh[j]) j = (j + 1) & (new_size - 1);
        fresh[j] = (uint32_t)i + 1;
    }
    free(slots);
    slots = fresh;
    slot_mask = new_size - 1;
}

/* Finds the slot holding the text, or the empty slot where it belongs. Lock held. */
static size_t find_slot(const char *name, size_t len, uint32_t h)
{
    size_t j = h & slot_mask;
    while (slots[j]) {
        AtomEntry *e = entry_at(slots[j] - 1);
        if (e->hash == h && e->len == len && memcmp(e->text, name, len) == 0) return j;
        j = (j + 1) & slot_mask;
    }
    return j;
}

/* Bytes of the atom entries (erlang:memory(atom_used)). */
static atomic_size_t text_bytes;

size_t atom_memory(bool used_only)
{
    size_t bytes = atomic_load_explicit(&text_bytes, memory_order_relaxed);
    if (used_only) return bytes;
    size_t n = atomic_load_explicit(&count, memory_order_acquire);
    size_t segs = (n + SEGMENT_SIZE - 1) / SEGMENT_SIZE;
    size_t table = 8192; /* the hash table's size, by the rule grow_slots follows */
    while (n * 2 > table - 1) table *= 2;
    return bytes + segs * SEGMENT_SIZE * sizeof(AtomEntry *) + table * sizeof(uint32_t);
}

static Term insert_locked(const char *name, size_t len, uint32_t h, size_t slot)
{
    size_t index = atomic_load_explicit(&count, memory_order_relaxed);
    if (index >= ATOM_MAX_COUNT) return THE_NON_VALUE;
    size_t seg = index >> SEGMENT_BITS;
    if (!segments[seg]) {
        segments[seg] = calloc(SEGMENT_SIZE, sizeof(AtomEntry *));
        if (!segments[seg]) abort();
    }
    AtomEntry *e = malloc(sizeof *e + len + 1);
    if (!e) abort();
    atomic_fetch_add_explicit(&text_bytes, sizeof *e + len + 1, memory_order_relaxed);
    e->len = (uint32_t)len;
    e->hash = h;
    memcpy(e->text, name, len);
    e->text[len] = '\0';
    atomic_store_explicit(&segments[seg][index & (SEGMENT_SIZE - 1)], e, memory_order_release);
    atomic_store_explicit(&count, index + 1, memory_order_release);
    slots[slot] = (uint32_t)index + 1;
    if ((index + 1) * 2 > slot_mask) grow_slots();
    return make_atom((uint32_t)index);
}

static Term lookup(const char *name, size_t len, bool create)
{
    if (utf8_chars(name, len) > ATOM_MAX_CHARS) return THE_NON_VALUE;
    uint32_t h = hash_text(name, len);
    pthread_mutex_lock(&lock);
    size_t slot = find_slot(name, len, h);
    Term result;
    if (slots[slot])
        result = make_atom(slots[slot] - 1);
    else
        result = create ? insert_locked(name, len, h, slot) : THE_NON_VALUE;
    pthread_mutex_unlock(&lock);
    return result;
}

static void create_predefined(void)
{
    pthread_mutex_lock(&lock);
    grow_slots();
    pthread_mutex_unlock(&lock);
#define ATOM_DEF(id, text) lookup(text, sizeof(text) - 1, true);
#include "runtime/term/atoms.def"
#undef ATOM_DEF
}

void atom_init(void) { pthread_once(&init_once, create_predefined); }

Term atom_put(const char *name, size_t len) { return lookup(name, len, true); }
Term atom_from_cstr(const char *name) { return atom_put(name, strlen(name)); }
Term atom_find(const char *name, size_t len) { return lookup(name, len, false); }

const char *atom_text(Term atom) { return entry_at(atom_val(atom))->text; }
size_t atom_len(Term atom) { return entry_at(atom_val(atom))->len; }
size_t atom_count(void) { return atomic_load_explicit(&count, memory_order_acquire); }
