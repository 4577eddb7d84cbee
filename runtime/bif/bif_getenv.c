/*
 * bif_getenv.c - os:getenv/1 (a BIF in OTP too). Names and values are
 * taken as Latin-1 bytes, as erbium takes command-line arguments; OTP
 * would decode them in the file name encoding, which differs only for
 * bytes above 127.
 */
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"

#include <stdlib.h>
#include <string.h>

/* name as a NUL-terminated byte string in buf; false if it is not a flat Latin-1 string without NUL or '='. */
static bool name_bytes(Term name, char *buf, size_t size)
{
    size_t n = 0;
    for (; is_list(name); name = list_tail(name)) {
        Term c = list_head(name);
        if (!is_small(c) || small_val(c) < 1 || small_val(c) > 255 || small_val(c) == '=' || n + 1 >= size)
            return false;
        buf[n++] = (char)small_val(c);
    }
    buf[n] = '\0';
    return name == NIL;
}

/* getenv(Name): the value as a string, or false when Name is not set. */
Term bif_os_getenv_1(Process *p, const Term *args)
{
    char name[4096];
    if (!name_bytes(args[0], name, sizeof name)) return bif_error(p, AM_badarg);
    const char *value = getenv(name);
    if (!value) return AM_false;
    size_t n = strlen(value);
    Term *cells = heap_alloc(p, 2 * n), list = NIL;
    for (size_t i = n; i-- > 0;) {
        cells[2 * i] = make_small((unsigned char)value[i]);
        cells[2 * i + 1] = list;
        list = make_list(cells + 2 * i);
    }
    return list;
}
