/*
 * bif_md5.c - erlang:md5/1 and the incremental md5_init/0, md5_update/2,
 * md5_final/1 over md5.c. A context is a binary holding the Md5 state, as
 * OTP's is a binary holding its own (sizes differ; nothing reads them).
 */
#include "runtime/bif/bif.h"
#include "runtime/bif/iodata.h"
#include "runtime/etf/md5.h"
#include "runtime/term/binary.h"

#include <stdlib.h>
#include <string.h>

/* Feeds the bytes of iodata to m; false if data is not iodata. */
static bool md5_iodata(Md5 *m, Term data)
{
    IoBuf b = {0};
    bool ok = iodata_append(&b, data, false);
    if (ok) md5_update(m, b.data, b.len);
    free(b.data);
    return ok;
}

/* The state a context binary holds, or false if it is not one. */
static bool context_state(Term ctx, Md5 *m)
{
    const uint8_t *bytes;
    size_t n;
    if (!binary_is_binary(ctx) || !binary_bytes(ctx, &bytes, &n) || n != sizeof *m) return false;
    memcpy(m, bytes, sizeof *m);
    return true;
}

Term bif_md5_1(Process *p, const Term *args)
{
    Md5 m;
    md5_init(&m);
    if (!md5_iodata(&m, args[0])) return bif_error(p, AM_badarg);
    uint8_t digest[16];
    md5_final(&m, digest);
    return binary_from_bytes(p, digest, sizeof digest);
}

Term bif_md5_init_0(Process *p, const Term *args)
{
    Md5 m;
    memset(&m, 0, sizeof m);
    md5_init(&m);
    return binary_from_bytes(p, (const uint8_t *)&m, sizeof m);
}

Term bif_md5_update_2(Process *p, const Term *args)
{
    Md5 m;
    if (!context_state(args[0], &m) || !md5_iodata(&m, args[1])) return bif_error(p, AM_badarg);
    return binary_from_bytes(p, (const uint8_t *)&m, sizeof m);
}

Term bif_md5_final_1(Process *p, const Term *args)
{
    Md5 m;
    if (!context_state(args[0], &m)) return bif_error(p, AM_badarg);
    uint8_t digest[16];
    md5_final(&m, digest);
    return binary_from_bytes(p, digest, sizeof digest);
}
