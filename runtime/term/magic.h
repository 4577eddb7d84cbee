/*
 * magic.h - magic references: references that keep a native object alive.
 *
 * A Magic is a reference-counted object outside every heap (an atomics
 * array, a counters array, ...). Erlang code sees it through a magic
 * reference, a boxed term that is a reference in every respect (is_reference,
 * comparison, hashing, printing and the external format use only its two id
 * words) and that also holds one counted reference to its Magic:
 *
 *   hp[0] make_header(MAGIC_REF_WORDS - 1, HDR_REF)
 *   hp[1] id word 0: the Magic's id, MAGIC_ID_MARK | serial (no make_ref
 *         reference and no other resource has that bit; word 0 survives
 *         the external format whole, word 1 only its low 32 bits)
 *   hp[2] id word 1: 0
 *   hp[3] the next handle in the owning process's off-heap list (Term *)
 *   hp[4] the Magic *
 *
 * The handle is an off-heap handle like a refc binary's (offheap.h), with
 * the link in the same word, so the collector, term_copy_to, messages, ETS
 * and persistent_term count its references exactly as they count binaries':
 * a copy takes a reference, a handle that dies in a collection drops one,
 * and the last one destroys the Magic and frees its memory.
 *
 * A plain reference with a magic id (from binary_to_term of a magic
 * reference's external form) compares equal to the magic one. While the
 * Magic is alive, magic_lookup finds it by id, so decoding gives back a
 * working magic reference, as in OTP.
 */
#ifndef ERBIUM_MAGIC_H
#define ERBIUM_MAGIC_H

#include "runtime/term/term.h"

#include <stdatomic.h>

struct Process;

#define MAGIC_REF_WORDS 5
#define MAGIC_ID_MARK ((Term)1 << 61)

typedef struct Magic Magic;

/* What a Magic holds: destroy (may be NULL) runs once, just before the memory is freed. */
typedef struct MagicType {
    const char *name;
    void (*destroy)(Magic *m);
} MagicType;

struct Magic {
    atomic_size_t refc;
    const MagicType *type;
    uint64_t id; /* id word 0 of its references */
    size_t bytes; /* allocated, header included */
    _Alignas(16) unsigned char data[];
};

/* A new Magic of `type` with `size` zeroed bytes of data (refc 1), or NULL when out of memory. */
Magic *magic_new(const MagicType *type, size_t size);

static inline void *magic_data(Magic *m) { return m->data; }
static inline void magic_retain(Magic *m) { atomic_fetch_add_explicit(&m->refc, 1, memory_order_relaxed); }
/* Drops one reference; the last one destroys and frees m. */
void magic_release(Magic *m);

/* A magic reference for m (taking over one reference) at hp (MAGIC_REF_WORDS), linked into p's off-heap list. */
Term magic_ref_at(struct Process *p, Term *hp, Magic *m);
/* Same, allocated on p's heap. */
Term magic_ref_new(struct Process *p, Magic *m);

static inline Term magic_ref_header(void) { return make_header(MAGIC_REF_WORDS - 1, HDR_REF); }
static inline bool is_magic_ref(Term t) { return is_boxed(t) && boxed_val(t)[0] == magic_ref_header(); }

/* The Magic of t when t is a magic reference to an object of `type`, else NULL (borrowed: t keeps it alive). */
static inline Magic *magic_of(Term t, const MagicType *type)
{
    if (!is_magic_ref(t)) return NULL;
    Magic *m = (Magic *)boxed_val(t)[4];
    return m->type == type ? m : NULL;
}

/* The live Magic with these id words, with a new reference taken, or NULL. */
Magic *magic_lookup(const Term id[REF_WORDS]);

/* Bytes held by all live Magics (part of erlang:memory(system), as on OTP). */
size_t magic_total_bytes(void);
/* Number of live Magics. */
size_t magic_count(void);

#endif
