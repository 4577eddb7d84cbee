/*
 * zlib_nif.c - the NIFs of OTP 25's zlib module (see zlib_stream.h).
 *
 * zlib.erl does the looping: deflate_nif/inflate_nif each process at most
 * one input chunk into one output chunk and answer {continue, Out} or
 * {finished, Out} (or {need_dictionary, Adler, Out}), so no call runs long.
 * zlib's return codes become OTP's: Z_DATA_ERROR and Z_STREAM_ERROR raise,
 * the others are returned as atoms.
 */
#include "runtime/zlib/zlib_stream.h"

#include "runtime/bif/bif.h"
#include "runtime/bif/iodata.h"
#include "runtime/proc/heap.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"

#include <stdlib.h>
#include <string.h>

static Term zl_result(Process *p, int code)
{
    switch (code) {
    case Z_OK: return AM_ok;
    case Z_STREAM_END: return AM_stream_end;
    case Z_STREAM_ERROR: return bif_error(p, AM_stream_error);
    case Z_DATA_ERROR: return bif_error(p, AM_data_error);
    case Z_MEM_ERROR: return AM_mem_error;
    case Z_BUF_ERROR: return AM_buf_error;
    case Z_VERSION_ERROR: return AM_version_error;
    default: return AM_unknown_error;
    }
}

static bool int_arg(Term t, int *v)
{
    if (!is_small(t) || small_val(t) < INT32_MIN || small_val(t) > INT32_MAX) return false;
    *v = (int)small_val(t);
    return true;
}

/* Looks up args[0]; NULL with the exception set when it is not a usable stream. */
static ZStream *stream_arg(Process *p, Term h, Term *fail)
{
    Term reason;
    ZStream *zs = zs_lookup(p, h, &reason);
    if (!zs) *fail = bif_error(p, reason);
    return zs;
}

/* A stream in `state`, or NULL with not_initialized (or the lookup's error). */
static ZStream *stream_in(Process *p, Term h, int state, Term *fail)
{
    ZStream *zs = stream_arg(p, h, fail);
    if (zs && zs->state != state) {
        *fail = bif_error(p, AM_not_initialized);
        return NULL;
    }
    return zs;
}

/* A stream not initialized yet, or NULL with already_initialized (or the
   lookup's error): a closed stream counts as initialized, as in OTP. */
static ZStream *stream_fresh(Process *p, Term h, Term *fail)
{
    Term reason;
    ZStream *zs = zs_lookup(p, h, &reason);
    if (!zs) {
        *fail = bif_error(p, reason == AM_not_initialized ? AM_already_initialized : reason);
        return NULL;
    }
    if (zs->state != ZS_NONE) {
        *fail = bif_error(p, AM_already_initialized);
        return NULL;
    }
    return zs;
}

static void drop_stash(ZStream *zs)
{
    if (!zs->stash) return;
    binary_drop_copy(zs->stash + 1, zs->stash_words);
    free(zs->stash);
    zs->stash = NULL;
}

/* Discards queued input and the stash (a reset or end of the stream). */
static void reset_input(ZStream *zs)
{
    zs->qhead = zs->qlen = 0;
    drop_stash(zs);
}

/* ---- open, close, controller ---- */

Term bif_zlib_open_nif_0(Process *p, const Term *args)
{
    ZStream *zs = zs_new(p);
    if (!zs) return bif_error(p, AM_system_limit);
    return zs_handle(p, zs);
}

Term bif_zlib_close_nif_1(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_arg(p, args[0], &fail);
    if (!zs) return fail;
    zs_free(zs);
    return AM_ok;
}

Term bif_zlib_set_controller_nif_2(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    if (!is_pid(args[1])) return bif_error(p, AM_badarg);
    ZStream *zs = stream_arg(p, args[0], &fail);
    if (!zs) return fail;
    zs_set_owner(zs, args[1]);
    return AM_ok;
}

/* ---- deflate ---- */

Term bif_zlib_deflateInit_nif_6(Process *p, const Term *args)
{
    int level, method, wbits, mem, strategy;
    if (!int_arg(args[1], &level) || !int_arg(args[2], &method) || !int_arg(args[3], &wbits) ||
        !int_arg(args[4], &mem) || !int_arg(args[5], &strategy))
        return bif_error(p, AM_badarg);
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_fresh(p, args[0], &fail);
    if (!zs) return fail;
    int res = deflateInit2(&zs->s, level, method, wbits, mem, strategy);
    if (res == Z_OK) {
        zs->state = ZS_DEFLATE;
        zs->eos_seen = false;
        zs->raw = wbits < 0;
        zs->want_out_crc = false;
        zs->want_in_crc = zs->raw;
        zs->in_crc = zs->out_crc = crc32(0, Z_NULL, 0);
    }
    return zl_result(p, res);
}

Term bif_zlib_deflateSetDictionary_nif_2(Process *p, const Term *args)
{
    IoBuf d = {0};
    if (!iodata_append(&d, args[1], false)) {
        free(d.data);
        return bif_error(p, AM_badarg);
    }
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_in(p, args[0], ZS_DEFLATE, &fail);
    if (!zs) {
        free(d.data);
        return fail;
    }
    int res = deflateSetDictionary(&zs->s, d.data, (uInt)d.len);
    /* a raw stream does not compute the dictionary's checksum: do it here */
    uLong sum = zs->raw ? adler32(adler32(0, Z_NULL, 0), d.data, (uInt)d.len) : zs->s.adler;
    free(d.data);
    if (res == Z_OK) return make_small((int32_t)sum); /* OTP makes a signed int of it */
    return zl_result(p, res);
}

Term bif_zlib_deflateReset_nif_1(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_in(p, args[0], ZS_DEFLATE, &fail);
    if (!zs) return fail;
    int res = deflateReset(&zs->s);
    zs->in_crc = crc32(0, Z_NULL, 0);
    zs->eos_seen = false;
    reset_input(zs);
    return zl_result(p, res);
}

Term bif_zlib_deflateEnd_nif_1(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_in(p, args[0], ZS_DEFLATE, &fail);
    if (!zs) return fail;
    int res = deflateEnd(&zs->s);
    if (res == Z_OK && zs->qlen > zs->qhead) res = Z_DATA_ERROR;
    reset_input(zs);
    zs->state = ZS_NONE;
    return zl_result(p, res);
}

Term bif_zlib_deflateParams_nif_3(Process *p, const Term *args)
{
    int level, strategy;
    if (!int_arg(args[1], &level) || !int_arg(args[2], &strategy)) return bif_error(p, AM_badarg);
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_in(p, args[0], ZS_DEFLATE, &fail);
    if (!zs) return fail;
    /* zlib.erl flushed everything just before: a one-byte buffer catches any
       output that would still come (and keeps zlib from answering Z_BUF_ERROR) */
    Bytef one;
    zs->s.next_out = &one;
    zs->s.avail_out = 1;
    int res = deflateParams(&zs->s, level, strategy);
    if (zs->s.avail_out == 0) return zl_result(p, Z_STREAM_ERROR);
    return zl_result(p, res);
}

/* ---- the codec loop shared by deflate_nif and inflate_nif ---- */

static Term codec(Process *p, ZStream *zs, int (*fn)(z_streamp, int), const Term *args)
{
    int in_limit, out_size, flush;
    if (!int_arg(args[1], &in_limit) || !int_arg(args[2], &out_size) || !int_arg(args[3], &flush) ||
        in_limit <= 0 || out_size <= 0)
        return bif_error(p, AM_badarg);
    uint8_t *out = NULL;
    Term bin = binary_new(p, (size_t)out_size, &out);
    if (!is_value(bin)) return AM_mem_error;
    size_t queued = zs->qlen - zs->qhead;
    size_t block = queued < (size_t)in_limit ? queued : (size_t)in_limit;
    zs->s.next_out = out;
    zs->s.avail_out = (uInt)out_size;
    int res = Z_OK;
    size_t consumed = 0;
    if (block) {
        zs->s.next_in = zs->q + zs->qhead;
        zs->s.avail_in = (uInt)block;
        res = fn(&zs->s, Z_NO_FLUSH);
        consumed = block - zs->s.avail_in;
        if (zs->want_in_crc) zs->in_crc = crc32(zs->in_crc, zs->q + zs->qhead, (uInt)consumed);
        zs->qhead += consumed;
    }
    size_t remaining = zs->qlen - zs->qhead;
    if (remaining == 0) zs->qhead = zs->qlen = 0;
    if (res == Z_OK && flush != Z_NO_FLUSH && remaining == 0) {
        zs->s.next_in = NULL;
        zs->s.avail_in = 0;
        res = fn(&zs->s, flush);
    }
    size_t produced = (size_t)out_size - zs->s.avail_out;
    if (res < 0 && res != Z_BUF_ERROR) return zl_result(p, res);
    if (res == Z_STREAM_END) zs->eos_seen = true;
    if (zs->want_out_crc) zs->out_crc = crc32(zs->out_crc, out, (uInt)produced);
    if (consumed == 0 && produced == 0 && remaining != 0) return zl_result(p, Z_DATA_ERROR);
    Term list = NIL;
    if (produced > 0) list = heap_cons(p, binary_sub(p, bin, 0, produced * 8), NIL);
    if (remaining == 0 && produced < (size_t)out_size) return heap_tuple2(p, AM_finished, list);
    if (res != Z_NEED_DICT) return heap_tuple2(p, AM_continue, list);
    Term *hp = heap_alloc(p, 4);
    hp[0] = make_tuple_header(3);
    hp[1] = AM_need_dictionary;
    hp[2] = make_small((int32_t)zs->s.adler);
    hp[3] = list;
    return make_boxed(hp);
}

Term bif_zlib_deflate_nif_4(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_in(p, args[0], ZS_DEFLATE, &fail);
    if (!zs) return fail;
    return codec(p, zs, deflate, args);
}

/* ---- inflate ---- */

Term bif_zlib_inflateInit_nif_3(Process *p, const Term *args)
{
    int wbits, eos;
    if (!int_arg(args[1], &wbits) || !int_arg(args[2], &eos)) return bif_error(p, AM_badarg);
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_fresh(p, args[0], &fail);
    if (!zs) return fail;
    int res = inflateInit2(&zs->s, wbits);
    if (res == Z_OK) {
        zs->state = ZS_INFLATE;
        zs->eos_behavior = eos;
        zs->eos_seen = false;
        zs->raw = wbits < 0;
        zs->want_out_crc = zs->raw;
        zs->want_in_crc = false;
        zs->in_crc = zs->out_crc = crc32(0, Z_NULL, 0);
    }
    return zl_result(p, res);
}

Term bif_zlib_inflateSetDictionary_nif_2(Process *p, const Term *args)
{
    IoBuf d = {0};
    if (!iodata_append(&d, args[1], false)) {
        free(d.data);
        return bif_error(p, AM_badarg);
    }
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_in(p, args[0], ZS_INFLATE, &fail);
    int res = zs ? inflateSetDictionary(&zs->s, d.data, (uInt)d.len) : Z_OK;
    free(d.data);
    return zs ? zl_result(p, res) : fail;
}

Term bif_zlib_inflateGetDictionary_nif_1(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_in(p, args[0], ZS_INFLATE, &fail);
    if (!zs) return fail;
    uint8_t dict[32768];
    uInt len = 0;
    int res = inflateGetDictionary(&zs->s, dict, &len);
    if (res < 0) return zl_result(p, res);
    return binary_from_bytes(p, dict, len);
}

Term bif_zlib_inflateReset_nif_1(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_in(p, args[0], ZS_INFLATE, &fail);
    if (!zs) return fail;
    int res = inflateReset(&zs->s);
    zs->out_crc = crc32(0, Z_NULL, 0);
    zs->eos_seen = false;
    reset_input(zs);
    return zl_result(p, res);
}

Term bif_zlib_inflateEnd_nif_1(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_in(p, args[0], ZS_INFLATE, &fail);
    if (!zs) return fail;
    int res = inflateEnd(&zs->s);
    if (res == Z_OK && (!zs->eos_seen || zs->qlen > zs->qhead)) res = Z_DATA_ERROR;
    reset_input(zs);
    zs->state = ZS_NONE;
    return zl_result(p, res);
}

Term bif_zlib_inflate_nif_4(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_in(p, args[0], ZS_INFLATE, &fail);
    if (!zs) return fail;
    if (zs->eos_seen && zs->qlen > zs->qhead) { /* data after the end of the stream */
        if (zs->eos_behavior == ZS_EOS_ERROR) return zl_result(p, Z_DATA_ERROR);
        if (zs->eos_behavior == ZS_EOS_RESET) {
            int res = inflateReset(&zs->s);
            if (res != Z_OK) return zl_result(p, res);
            zs->eos_seen = false;
        } else {
            reset_input(zs);
        }
    }
    return codec(p, zs, inflate, args);
}

/* ---- checksum, buffer size, input queue, stash ---- */

Term bif_zlib_crc32_nif_1(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_arg(p, args[0], &fail);
    if (!zs) return fail;
    if (zs->state == ZS_DEFLATE) return int_from_u64(p, zs->in_crc);
    if (zs->state == ZS_INFLATE) return int_from_u64(p, zs->out_crc);
    return bif_error(p, AM_not_initialized);
}

Term bif_zlib_getBufSize_nif_1(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_arg(p, args[0], &fail);
    return zs ? make_small(zs->chunk_bufsize) : fail;
}

Term bif_zlib_setBufSize_nif_2(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_arg(p, args[0], &fail);
    if (!zs) return fail;
    if (!int_arg(args[1], &zs->chunk_bufsize)) return bif_error(p, AM_badarg);
    return AM_ok;
}

static bool queue_put(ZStream *zs, const uint8_t *d, size_t n)
{
    if (zs->qhead > 0 && zs->qhead == zs->qlen) zs->qhead = zs->qlen = 0;
    if (zs->qcap - zs->qlen < n) {
        if (zs->qhead > 0) { /* slide the unread part to the front first */
            memmove(zs->q, zs->q + zs->qhead, zs->qlen - zs->qhead);
            zs->qlen -= zs->qhead;
            zs->qhead = 0;
        }
        size_t cap = zs->qcap ? zs->qcap : 4096;
        while (cap - zs->qlen < n) cap *= 2;
        if (cap != zs->qcap) {
            uint8_t *q = realloc(zs->q, cap);
            if (!q) return false;
            zs->q = q;
            zs->qcap = cap;
        }
    }
    memcpy(zs->q + zs->qlen, d, n);
    zs->qlen += n;
    return true;
}

/* enqueue_nif(Z, IOVec): IOVec is erlang:iolist_to_iovec/1's list of binaries. */
Term bif_zlib_enqueue_nif_2(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_arg(p, args[0], &fail);
    if (!zs) return fail;
    if (zs->state != ZS_DEFLATE && zs->state != ZS_INFLATE) return bif_error(p, AM_not_initialized);
    Term l = args[1];
    for (; is_list(l); l = list_tail(l)) {
        const uint8_t *d;
        size_t n;
        if (!binary_bytes(list_head(l), &d, &n)) return bif_error(p, AM_badarg);
        if (!queue_put(zs, d, n)) return bif_error(p, AM_system_limit);
    }
    return is_nil(l) ? AM_ok : bif_error(p, AM_badarg);
}

Term bif_zlib_getStash_nif_1(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_arg(p, args[0], &fail);
    if (!zs) return fail;
    if (!zs->stash) return AM_empty;
    return heap_tuple2(p, AM_ok, term_copy(p, zs->stash[0]));
}

Term bif_zlib_clearStash_nif_1(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_arg(p, args[0], &fail);
    if (!zs) return fail;
    if (!zs->stash) return bif_error(p, AM_error);
    drop_stash(zs);
    return AM_ok;
}

/* The stash is one word holding the term, then the term's copy. */
Term bif_zlib_setStash_nif_2(Process *p, const Term *args)
{
    Term fail = THE_NON_VALUE;
    ZStream *zs = stream_arg(p, args[0], &fail);
    if (!zs) return fail;
    if (zs->stash) return bif_error(p, AM_error);
    size_t words = term_size(args[1]);
    Term *mem = malloc((1 + words) * sizeof *mem);
    if (!mem) return bif_error(p, AM_system_limit);
    mem[0] = term_copy_to(args[1], mem + 1);
    zs->stash = mem;
    zs->stash_words = words;
    return AM_ok;
}
