/*
 * offheap.h - the two kinds of off-heap handle: refc binaries (binary.h)
 * and magic references (magic.h).
 *
 * Both are boxed objects that hold one counted reference to memory outside
 * the heaps, and both keep the link of their process's off-heap list in
 * hp[3]. Whoever walks those lists or copies handles (the collector,
 * term_copy_to, binary_adopt_copy/drop_copy) goes through these functions.
 */
#ifndef ERBIUM_OFFHEAP_H
#define ERBIUM_OFFHEAP_H

#include "runtime/term/binary.h"
#include "runtime/term/magic.h"

/* True when a boxed object with this header is an off-heap handle. */
static inline bool offheap_is_handle(Term hdr)
{
    return header_subtag(hdr) == HDR_REFC_BIN || hdr == magic_ref_header();
}

/* Bytes a handle keeps alive (counted towards its process's binary virtual heap). */
static inline size_t offheap_bytes(const Term *hp)
{
    if (header_subtag(hp[0]) == HDR_REFC_BIN) return ((const Binary *)hp[2])->capacity;
    return ((const Magic *)hp[4])->bytes;
}

/* A handle was copied to hp: the copy holds a reference of its own. */
static inline void offheap_copied(const Term *hp)
{
    if (header_subtag(hp[0]) == HDR_REFC_BIN) binary_handle_copied(hp);
    else magic_retain((Magic *)hp[4]);
}

/* The handle at hp is gone: drops its reference. */
static inline void offheap_release(const Term *hp)
{
    if (header_subtag(hp[0]) == HDR_REFC_BIN) binary_release((Binary *)hp[2]);
    else magic_release((Magic *)hp[4]);
}

#endif
