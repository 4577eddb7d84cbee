/*
 * zlib_sum.c - erlang:crc32/1,2, crc32_combine/3, adler32/1,2,
 * adler32_combine/3 on zlib.
 */
#include "runtime/bif/bif.h"
#include "runtime/bif/iodata.h"
#include "runtime/proc/heap.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"

#include <stdlib.h>
#include <zlib.h>

/* A checksum argument: an integer in 0..2^32-1. */
static bool sum_arg(Term t, uLong *v)
{
    if (!is_small(t) || small_val(t) < 0 || small_val(t) > 0xFFFFFFFFll) return false;
    *v = (uLong)small_val(t);
    return true;
}

typedef uLong (*SumFn)(uLong, const Bytef *, uInt);

/* Checksums of more bytes than this are computed on the dirty CPU pool. */
#define SUM_DIRTY_BYTES (4 * 1024 * 1024)

/* fn over the bytes of iodata, a gigabyte at a time (uInt lengths). */
static Term checksum(Process *p, SumFn fn, uLong sum, Term data)
{
    const uint8_t *d;
    size_t n;
    IoBuf b = {0};
    if (!binary_bytes(data, &d, &n)) {
        if (!iodata_append(&b, data, false)) {
            free(b.data);
            return bif_error(p, AM_badarg);
        }
        d = b.data;
        n = b.len;
    }
    if (n > SUM_DIRTY_BYTES && !bif_on_dirty()) {
        free(b.data);
        return bif_redo_dirty();
    }
    while (n > 0) {
        uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
        sum = fn(sum, d, chunk);
        d += chunk;
        n -= chunk;
    }
    free(b.data);
    return int_from_u64(p, (uint32_t)sum);
}

Term bif_crc32_1(Process *p, const Term *args) { return checksum(p, crc32, crc32(0, Z_NULL, 0), args[0]); }
Term bif_adler32_1(Process *p, const Term *args) { return checksum(p, adler32, adler32(0, Z_NULL, 0), args[0]); }

Term bif_crc32_2(Process *p, const Term *args)
{
    uLong old;
    if (!sum_arg(args[0], &old)) return bif_error(p, AM_badarg);
    return checksum(p, crc32, old, args[1]);
}

Term bif_adler32_2(Process *p, const Term *args)
{
    uLong old;
    if (!sum_arg(args[0], &old)) return bif_error(p, AM_badarg);
    return checksum(p, adler32, old, args[1]);
}

static Term combine(Process *p, const Term *args, uLong (*fn)(uLong, uLong, z_off_t))
{
    uLong a, b;
    if (!sum_arg(args[0], &a) || !sum_arg(args[1], &b) || !is_small(args[2]) || small_val(args[2]) < 0)
        return bif_error(p, AM_badarg);
    return int_from_u64(p, (uint32_t)fn(a, b, (z_off_t)small_val(args[2])));
}

Term bif_crc32_combine_3(Process *p, const Term *args) { return combine(p, args, crc32_combine); }
Term bif_adler32_combine_3(Process *p, const Term *args) { return combine(p, args, adler32_combine); }
