/*
 * os_env.c - the environment: os:getenv/0,1, os:putenv/2, os:unsetenv/1
 * and os:env/0 (BIFs in OTP too; os:getenv/0,2 are Erlang over them).
 * Names and values are taken as Latin-1 bytes, as erbium takes
 * command-line arguments; OTP decodes them in the file name encoding,
 * which differs only for bytes above 127. One lock serialises every
 * access, since setenv and getenv are not safe against each other.
 */
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static pthread_rwlock_t env_lock = PTHREAD_RWLOCK_INITIALIZER;

/* A flat Latin-1 string without NUL as a C string in buf; false otherwise. */
static bool str_bytes(Term s, char *buf, size_t size)
{
    size_t n = 0;
    for (; is_list(s); s = list_tail(s)) {
        Term c = list_head(s);
        if (!is_small(c) || small_val(c) < 1 || small_val(c) > 255 || n + 1 >= size) return false;
        buf[n++] = (char)small_val(c);
    }
    buf[n] = '\0';
    return is_nil(s);
}

/* A variable name: as str_bytes, not empty and without '='. */
static bool name_bytes(Term s, char *buf, size_t size)
{
    return str_bytes(s, buf, size) && buf[0] && !strchr(buf, '=');
}

static Term string_of(Process *p, const char *s, size_t n)
{
    Term *cells = heap_alloc(p, 2 * n), list = NIL;
    for (size_t i = n; i-- > 0;) {
        cells[2 * i] = make_small((unsigned char)s[i]);
        cells[2 * i + 1] = list;
        list = make_list(cells + 2 * i);
    }
    return list;
}

Term bif_os_getenv_1(Process *p, const Term *args)
{
    char name[4096];
    if (!str_bytes(args[0], name, sizeof name) || strchr(name, '=')) return bif_error(p, AM_badarg);
    pthread_rwlock_rdlock(&env_lock);
    const char *value = getenv(name);
    Term res = value ? string_of(p, value, strlen(value)) : AM_false;
    pthread_rwlock_unlock(&env_lock);
    return res;
}

Term bif_os_putenv_2(Process *p, const Term *args)
{
    char name[4096], *value = malloc(131072);
    bool ok = value && name_bytes(args[0], name, sizeof name) && str_bytes(args[1], value, 131072);
    if (ok) {
        pthread_rwlock_wrlock(&env_lock);
        ok = setenv(name, value, 1) == 0;
        pthread_rwlock_unlock(&env_lock);
    }
    free(value);
    return ok ? AM_true : bif_error(p, AM_badarg);
}

Term bif_os_unsetenv_1(Process *p, const Term *args)
{
    char name[4096];
    if (!str_bytes(args[0], name, sizeof name)) return bif_error(p, AM_badarg);
    pthread_rwlock_wrlock(&env_lock);
    unsetenv(name);
    pthread_rwlock_unlock(&env_lock);
    return AM_true;
}

/* [{Name, Value}], in the order of the environment (OTP's order differs; os:getenv/0 callers sort). */
Term bif_os_env_0(Process *p, const Term *args)
{
    (void)args;
    Term list = NIL;
    pthread_rwlock_rdlock(&env_lock);
    for (char **e = environ; *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || eq == *e) continue;
        Term name = string_of(p, *e, (size_t)(eq - *e));
        Term value = string_of(p, eq + 1, strlen(eq + 1));
        list = heap_cons(p, heap_tuple2(p, name, value), list);
    }
    pthread_rwlock_unlock(&env_lock);
    return list;
}
