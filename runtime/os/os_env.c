/*
 * os_env.c - the environment: os:getenv/0,1, os:putenv/2, os:unsetenv/1
 * and os:env/0 (BIFs in OTP too; os:getenv/0,2 are Erlang over them).
 * Names and values are in the file name encoding, as in OTP: UTF-8 when
 * file:native_name_encoding() is utf8 (bytes that are not UTF-8 read as
 * Latin-1), else Latin-1. One lock serialises every access, since setenv
 * and getenv are not safe against each other.
 */
#include "runtime/bif/bif.h"
#include "runtime/file/file_name.h"
#include "runtime/proc/heap.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static pthread_rwlock_t env_lock = PTHREAD_RWLOCK_INITIALIZER;

/* A string in the name encoding as a C string (sb, which the caller frees); false if it is not one. */
static bool str_bytes(Term s, StrBuf *sb)
{
    sb_init(sb);
    if (file_name_put_chars(sb, s)) {
        sb_putc(sb, 0);
        return true;
    }
    sb_free(sb);
    return false;
}

static Term string_of(Process *p, const char *s, size_t n) { return file_name_chars(p, (const uint8_t *)s, n); }

Term bif_os_getenv_1(Process *p, const Term *args)
{
    StrBuf name;
    if (!str_bytes(args[0], &name)) return bif_error(p, AM_badarg);
    Term res = AM_false;
    if (strchr(name.data, '=')) {
        res = bif_error(p, AM_badarg);
    } else {
        pthread_rwlock_rdlock(&env_lock);
        const char *value = getenv(name.data);
        if (value) res = string_of(p, value, strlen(value));
        pthread_rwlock_unlock(&env_lock);
    }
    sb_free(&name);
    return res;
}

Term bif_os_putenv_2(Process *p, const Term *args)
{
    StrBuf name, value;
    if (!str_bytes(args[0], &name)) return bif_error(p, AM_badarg);
    bool ok = name.data[0] && !strchr(name.data, '=') && str_bytes(args[1], &value);
    if (ok) {
        pthread_rwlock_wrlock(&env_lock);
        ok = setenv(name.data, value.data, 1) == 0;
        pthread_rwlock_unlock(&env_lock);
        sb_free(&value);
    }
    sb_free(&name);
    return ok ? AM_true : bif_error(p, AM_badarg);
}

Term bif_os_unsetenv_1(Process *p, const Term *args)
{
    StrBuf name;
    if (!str_bytes(args[0], &name)) return bif_error(p, AM_badarg);
    if (strchr(name.data, '=')) {
        sb_free(&name);
        return bif_error(p, AM_badarg);
    }
    pthread_rwlock_wrlock(&env_lock);
    unsetenv(name.data);
    pthread_rwlock_unlock(&env_lock);
    sb_free(&name);
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
