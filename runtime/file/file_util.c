/* file_util.c - error atoms, paths and results for the file NIFs (see file_util.h). */
#define _GNU_SOURCE /* strerrorname_np */
#include "runtime/file/file_util.h"

#include "runtime/proc/heap.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

Term file_errno_atom(int err)
{
    /* glibc names every errno value by its macro name; OTP's atoms are those names in lower case. */
    const char *name = strerrorname_np(err);
    if (!name) return atom_from_cstr("eunknown");
    char buf[32];
    size_t n = strlen(name);
    if (n >= sizeof buf) return atom_from_cstr("eunknown");
    for (size_t i = 0; i <= n; i++) buf[i] = (char)tolower((unsigned char)name[i]);
    /* EWOULDBLOCK and EDEADLOCK are the same numbers as EAGAIN and EDEADLK. */
    return atom_from_cstr(buf);
}

Term file_error(Process *p, Term reason) { return heap_tuple2(p, AM_error, reason); }
Term file_errno(Process *p, int err) { return file_error(p, file_errno_atom(err)); }
Term file_ok(Process *p, Term x) { return heap_tuple2(p, AM_ok, x); }

const char *file_path(Term t)
{
    const uint8_t *data;
    size_t n;
    if (!binary_bytes(t, &data, &n) || n == 0 || data[n - 1] != 0) return NULL;
    if (memchr(data, 0, n - 1)) return NULL;
    return (const char *)data;
}

bool file_get_i64(Term t, int64_t *v)
{
    if (is_small(t)) {
        *v = small_val(t);
        return true;
    }
    if (!is_big(t) || big_limbs(t) != 1) return false;
    uint64_t m = big_digits(t)[0];
    if (m > (uint64_t)INT64_MAX) return false;
    *v = big_is_negative(t) ? -(int64_t)m : (int64_t)m;
    return true;
}

FileRes *file_handle_arg(Process *p, Term t, Term *res)
{
    bool stale;
    FileRes *r = file_res_get(t, &stale);
    if (r && r->kind == RES_FILE && r->fd >= 0) return r;
    if (r) file_res_put(r);
    *res = stale || r ? file_error(p, AM_einval) : bif_error(p, AM_badarg);
    return NULL;
}
