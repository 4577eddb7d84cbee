/*
 * zlib_stream.h - the streams behind OTP's zlib module (zlib_nif.c, zlib_sum.c).
 *
 * zlib.beam from the installed OTP runs unchanged; its NIF stubs are the BIFs
 * in bifs_zlib.def. A stream handle is a reference whose second word has
 * ZS_REF_MARK set (no make_ref reference has it); the registry maps its id
 * to the ZStream. Only the controlling process may use a stream, so a stream
 * is never used by two threads at once; the registry lock guards only the
 * table. A stream is freed by zlib:close/1 or when its controlling process
 * exits (zlib_owner_exit), whichever comes first; a handle to a freed stream
 * raises not_initialized, as a closed stream does in OTP.
 */
#ifndef ERBIUM_ZLIB_STREAM_H
#define ERBIUM_ZLIB_STREAM_H

#include "runtime/proc/process.h"

#include <stdbool.h>
#include <zlib.h>

#define ZS_REF_MARK ((Term)1 << 63)

enum zs_state { ZS_NONE, ZS_DEFLATE, ZS_INFLATE };
enum zs_eos { ZS_EOS_ERROR = 0, ZS_EOS_RESET = 1, ZS_EOS_CUT = 2 };

typedef struct ZStream {
    uint64_t id;
    Term owner;            /* the controlling process's pid; read and written under the registry lock */
    z_stream s;
    int state;             /* enum zs_state */
    int eos_behavior;      /* enum zs_eos */
    bool eos_seen, raw;
    bool want_in_crc, want_out_crc; /* raw streams keep the plain text's CRC for zlib:crc32/1 */
    uLong in_crc, out_crc;
    int chunk_bufsize;     /* inflateChunk's output size (getBufSize/setBufSize) */
    uint8_t *q;            /* queued input: q[qhead, qlen) */
    size_t qhead, qlen, qcap;
    Term *stash;           /* a term kept across calls (setStash_nif), copied off-heap */
    size_t stash_words;
    struct ZStream *next_dead; /* zlib_owner_exit's list of streams to free */
} ZStream;

/* A new stream controlled by p, registered; NULL when out of memory. */
ZStream *zs_new(Process *p);
/* The handle term for zs. */
Term zs_handle(Process *p, const ZStream *zs);
/*
 * The stream a handle names, for p. NULL with *reason set when it is none:
 * badarg (not a stream handle), not_initialized (closed or freed),
 * not_on_controlling_process.
 */
ZStream *zs_lookup(Process *p, Term handle, Term *reason);
/* Hands zs to another controlling process. */
void zs_set_owner(ZStream *zs, Term pid);
/* Unregisters and frees a stream. */
void zs_free(ZStream *zs);
/* Frees the streams p controls (p is exiting). */
void zlib_owner_exit(Process *p);

#endif
