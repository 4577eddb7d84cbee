/*
 * sock_supports.c - prim_socket:nif_supports/0,1: what this build offers.
 * prim_socket:init/0 turns the protocols, options, message flags and ioctl
 * tables into persistent terms at boot. Protocols come from the system's
 * protocol database (/etc/protocols), as OTP's do; erbium has no socket
 * ioctls, so their tables are empty.
 */
#include "runtime/socket/sock.h"

#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"

#include <netdb.h>
#include <pthread.h>
#include <string.h>

/* [{[Name | Aliases], Number}], read once per call under a lock (getprotoent is not reentrant). */
static Term protocols(Process *p)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    Term out = NIL;
    pthread_mutex_lock(&lock);
    setprotoent(1);
    for (struct protoent *pe; (pe = getprotoent());) {
        Term names = NIL;
        size_t n = 0;
        while (pe->p_aliases[n]) n++;
        for (size_t i = n; i-- > 0;) names = heap_cons(p, atom_from_cstr(pe->p_aliases[i]), names);
        names = heap_cons(p, atom_from_cstr(pe->p_name), names);
        out = heap_cons(p, heap_tuple2(p, names, make_small(pe->p_proto)), out);
    }
    endprotoent();
    pthread_mutex_unlock(&lock);
    return out;
}

static Term msg_flags(Process *p)
{
    static const struct {
        const char *name;
        int v;
    } flags[] = {{"cmsg_cloexec", MSG_CMSG_CLOEXEC}, {"confirm", MSG_CONFIRM}, {"ctrunc", MSG_CTRUNC},
                 {"dontroute", MSG_DONTROUTE},        {"eor", MSG_EOR},         {"errqueue", MSG_ERRQUEUE},
                 {"more", MSG_MORE},                  {"nosignal", MSG_NOSIGNAL}, {"oob", MSG_OOB},
                 {"peek", MSG_PEEK},                  {"trunc", MSG_TRUNC}};
    Term out = NIL;
    for (size_t i = sizeof flags / sizeof *flags; i-- > 0;)
        out = heap_cons(p, heap_tuple2(p, atom_from_cstr(flags[i].name), make_small(flags[i].v)), out);
    return out;
}

Term bif_prim_socket_nif_supports_0(Process *p, const Term *args)
{
    (void)args;
    static const struct {
        const char *name;
        bool on;
    } what[] = {{"sctp", false}, {"ipv6", true}, {"local", true}, {"netns", false}, {"sendfile", false}};
    Term out = NIL;
    for (size_t i = sizeof what / sizeof *what; i-- > 0;)
        out = heap_cons(p, heap_tuple2(p, atom_from_cstr(what[i].name), what[i].on ? AM_true : AM_false), out);
    return out;
}

Term bif_prim_socket_nif_supports_1(Process *p, const Term *args)
{
    Term k = args[0];
    if (k == atom_from_cstr("protocols")) return protocols(p);
    if (k == atom_from_cstr("options")) return sock_options_list(p);
    if (k == atom_from_cstr("msg_flags")) return msg_flags(p);
    return NIL; /* ioctl_requests, ioctl_flags and anything else: nothing */
}
