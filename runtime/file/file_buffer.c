/*
 * file_buffer.c - prim_buffer's NIFs: new, size, peek_head, copying_read,
 * write, skip, find_byte_index, try_lock, unlock. prim_file keeps a file's
 * read-ahead data in one. A buffer is a queue of segments, each a part of
 * a shared Binary: writing a large binary takes a reference instead of
 * copying it, and peek_head hands out the first segment without copying.
 */
#include "runtime/file/file_util.h"

#include "runtime/proc/heap.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"

#include <stdlib.h>
#include <string.h>

Term bif_prim_buffer_new_0(Process *p, const Term *args)
{
    (void)args;
    FileRes *r = calloc(1, sizeof *r);
    if (!r) return bif_error(p, AM_system_limit);
    r->kind = RES_BUFFER;
    r->fd = -1;
    return file_res_new(p, r);
}

/* Runs op on the buffer args[0] names, with its lock held; badarg if it names none. */
static Term with_buffer(Process *p, const Term *args, Term (*op)(Process *, FileRes *, const Term *))
{
    bool stale;
    FileRes *r = file_res_get(args[0], &stale);
    if (!r || r->kind != RES_BUFFER) {
        if (r) file_res_put(r);
        return bif_error(p, AM_badarg);
    }
    pthread_mutex_lock(&r->lock);
    Term res = op(p, r, args);
    pthread_mutex_unlock(&r->lock);
    file_res_put(r);
    return res;
}

static BufSeg *head(FileRes *r) { return r->seg_head < r->nseg ? &r->segs[r->seg_head] : NULL; }

static bool push_seg(FileRes *r, Binary *b, size_t off, size_t len)
{
    if (r->seg_head > 0 && r->nseg == r->seg_cap) {
        memmove(r->segs, r->segs + r->seg_head, (r->nseg - r->seg_head) * sizeof *r->segs);
        r->nseg -= r->seg_head;
        r->seg_head = 0;
    }
    if (r->nseg == r->seg_cap) {
        size_t cap = r->seg_cap ? 2 * r->seg_cap : 8;
        BufSeg *s = realloc(r->segs, cap * sizeof *s);
        if (!s) return false;
        r->segs = s, r->seg_cap = cap;
    }
    r->segs[r->nseg++] = (BufSeg){b, off, len};
    r->size += len;
    return true;
}

/* Drops n bytes from the front (n <= size). */
static void drop(FileRes *r, size_t n)
{
    r->size -= n;
    while (n > 0) {
        BufSeg *s = head(r);
        size_t take = n < s->len ? n : s->len;
        s->off += take, s->len -= take, n -= take;
        if (s->len == 0) {
            binary_release(s->bin);
            r->seg_head++;
        }
    }
    if (r->seg_head == r->nseg) r->seg_head = r->nseg = 0;
}

/* A binary's bytes as a segment: a reference to its Binary when it has one, else a copy. */
static bool append_binary(FileRes *r, Term t)
{
    const uint8_t *data;
    size_t n;
    if (!binary_bytes(t, &data, &n)) return false;
    if (n == 0) return true;
    Term *hp = boxed_val(t);
    Term orig = header_subtag(hp[0]) == HDR_SUB_BIN ? hp[3] : t;
    if (header_subtag(boxed_val(orig)[0]) == HDR_REFC_BIN) {
        Binary *b = (Binary *)boxed_val(orig)[2];
        atomic_fetch_add(&b->refc, 1);
        if (push_seg(r, b, (size_t)(data - b->data), n)) return true;
        binary_release(b);
        return false;
    }
    Binary *b = binary_alloc(n);
    if (!b) return false;
    memcpy(b->data, data, n);
    if (push_seg(r, b, 0, n)) return true;
    binary_release(b);
    return false;
}

static Term op_write(Process *p, FileRes *r, const Term *args)
{
    Term t = args[1];
    for (; is_list(t); t = list_tail(t))
        if (!binary_is_binary(list_head(t))) return bif_error(p, AM_badarg);
    if (!is_nil(t)) return bif_error(p, AM_badarg);
    for (t = args[1]; is_list(t); t = list_tail(t))
        if (!append_binary(r, list_head(t))) return bif_error(p, AM_system_limit);
    return AM_ok;
}

static Term op_size(Process *p, FileRes *r, const Term *args)
{
    (void)args;
    return int_from_u64(p, r->size);
}

/* A size argument that the buffer holds: false for a bad or too large one. */
static bool take_arg(FileRes *r, Term t, size_t *n)
{
    if (!is_small(t) || small_val(t) < 0 || (size_t)small_val(t) > r->size) return false;
    *n = (size_t)small_val(t);
    return true;
}

static Term op_copying_read(Process *p, FileRes *r, const Term *args)
{
    size_t n;
    if (!take_arg(r, args[1], &n)) return bif_error(p, AM_badarg);
    uint8_t *out;
    Term bin = binary_new(p, n, &out);
    if (!is_value(bin)) return bif_error(p, AM_system_limit);
    size_t done = 0;
    for (size_t i = r->seg_head; done < n; i++) {
        size_t take = n - done < r->segs[i].len ? n - done : r->segs[i].len;
        memcpy(out + done, r->segs[i].bin->data + r->segs[i].off, take);
        done += take;
    }
    drop(r, n);
    return bin;
}

static Term op_skip(Process *p, FileRes *r, const Term *args)
{
    size_t n;
    if (!take_arg(r, args[1], &n)) return bif_error(p, AM_badarg);
    drop(r, n);
    return AM_ok;
}

static Term op_peek_head(Process *p, FileRes *r, const Term *args)
{
    (void)args;
    BufSeg *s = head(r);
    if (!s) return bif_error(p, AM_badarg);
    if (s->len <= BINARY_HEAP_MAX) return binary_from_bytes(p, s->bin->data + s->off, s->len);
    atomic_fetch_add(&s->bin->refc, 1);
    Term whole = binary_handle_at(p, heap_alloc(p, REFC_BIN_WORDS), s->bin, s->bin->capacity);
    return binary_sub(p, whole, s->off * 8, s->len * 8);
}

static Term op_find_byte_index(Process *p, FileRes *r, const Term *args)
{
    if (!is_small(args[1]) || small_val(args[1]) < 0 || small_val(args[1]) > 255) return bif_error(p, AM_badarg);
    int byte = (int)small_val(args[1]);
    size_t base = 0;
    for (size_t i = r->seg_head; i < r->nseg; i++) {
        const uint8_t *d = r->segs[i].bin->data + r->segs[i].off;
        const uint8_t *hit = memchr(d, byte, r->segs[i].len);
        if (hit) return heap_tuple2(p, AM_ok, int_from_u64(p, base + (size_t)(hit - d)));
        base += r->segs[i].len;
    }
    return AM_not_found;
}

static Term op_try_lock(Process *p, FileRes *r, const Term *args)
{
    (void)p, (void)args;
    if (r->locked) return AM_busy;
    r->locked = true;
    return AM_acquired;
}

static Term op_unlock(Process *p, FileRes *r, const Term *args)
{
    (void)args;
    if (!r->locked) return bif_error(p, AM_badarg);
    r->locked = false;
    return AM_ok;
}

Term bif_prim_buffer_size_1(Process *p, const Term *args) { return with_buffer(p, args, op_size); }
Term bif_prim_buffer_write_2(Process *p, const Term *args) { return with_buffer(p, args, op_write); }
Term bif_prim_buffer_copying_read_2(Process *p, const Term *args) { return with_buffer(p, args, op_copying_read); }
Term bif_prim_buffer_skip_2(Process *p, const Term *args) { return with_buffer(p, args, op_skip); }
Term bif_prim_buffer_peek_head_1(Process *p, const Term *args) { return with_buffer(p, args, op_peek_head); }
Term bif_prim_buffer_find_byte_index_2(Process *p, const Term *args) { return with_buffer(p, args, op_find_byte_index); }
Term bif_prim_buffer_try_lock_1(Process *p, const Term *args) { return with_buffer(p, args, op_try_lock); }
Term bif_prim_buffer_unlock_1(Process *p, const Term *args) { return with_buffer(p, args, op_unlock); }
