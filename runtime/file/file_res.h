/*
 * file_res.h - the native objects behind prim_file's file handles and
 * prim_buffer's buffers.
 *
 * OTP hands such objects to Erlang as NIF resources: references that the
 * garbage collector frees. erbium has no collected resources, so a handle
 * here is a reference whose id names an entry of one VM-wide table, and
 * an entry lives until it is closed (files) or until the process that made
 * it exits (files it did not close, and buffers), as OTP's file NIF closes
 * a file when its owner dies. The ids of these references carry FILE_RES_TAG,
 * so a reference to an entry that is gone is told apart from any other term
 * (a closed file answers {error, einval} as in OTP, anything else badarg).
 *
 * file_res_get takes a counted reference on the entry: it stays valid until
 * file_res_put, even if another thread closes it meanwhile.
 */
#ifndef ERBIUM_FILE_RES_H
#define ERBIUM_FILE_RES_H

#include "runtime/proc/process.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define FILE_RES_TAG ((uint64_t)1 << 62)

typedef enum { RES_FILE, RES_BUFFER } ResKind;

/* One stretch of bytes queued in a buffer: a part of a shared Binary. */
typedef struct BufSeg {
    struct Binary *bin;
    size_t off, len;
} BufSeg;

typedef struct FileRes {
    uint64_t key;
    uint64_t owner;       /* pid number of the process that made it */
    ResKind kind;
    atomic_int refs;      /* the table's one, plus one per file_res_get */
    struct FileRes *next; /* chain in the table's bucket by key */
    struct FileRes *onext;/* chain in the table's bucket by owner */
    pthread_mutex_t lock; /* held while an operation uses the fd or the buffer */
    /* RES_FILE */
    int fd;               /* -1 once closed */
    int modes;            /* FILE_MODE_* bits */
    /* RES_BUFFER: a queue of segments */
    BufSeg *segs;
    size_t nseg, seg_head, seg_cap;
    size_t size;          /* bytes queued */
    bool locked;          /* try_lock/unlock */
} FileRes;

enum { FILE_MODE_READ = 1, FILE_MODE_WRITE = 2, FILE_MODE_APPEND = 4 };

/* Registers a new entry made by p and returns the reference naming it (on p's heap). */
Term file_res_new(Process *p, FileRes *r);

/* The entry t names, with a counted reference, or NULL (*stale set when t names an entry that is gone). */
FileRes *file_res_get(Term t, bool *stale);
void file_res_put(FileRes *r);

/* Takes the entry out of the table (closing): false if it was already out. */
bool file_res_remove(FileRes *r);

/* Called when a process exits: closes and frees what it still owns. */
void file_res_owner_exit(Process *p);

#endif
