/*
 * sock_nif.c - prim_socket's natives for a socket's life: open, bind,
 * listen, accept, connect, close, shutdown, addresses, info, cancel and the
 * VM-wide info/command/supports (sock_io.c moves data, sock_opt.c has the
 * options). Results are the shapes prim_socket.erl and socket.erl match.
 */
#define _GNU_SOURCE
#include "runtime/socket/sock.h"

#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/map.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static bool map_bool(Term map, const char *key, bool dflt)
{
    Term v = is_map(map) ? map_get(map, atom_from_cstr(key)) : THE_NON_VALUE;
    return is_value(v) ? v == AM_true : dflt;
}

/* A new Sock for fd, owned by p: {ok, SockRef}. */
static Term adopt(Process *p, int fd, int domain, int type, int protocol, Term extra)
{
    Sock *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->fd = fd;
    s->domain = domain, s->type = type, s->protocol = protocol;
    Term ref = sock_new(p, s);
    pthread_mutex_lock(&s->lock);
    if (is_map(extra) && is_value(map_get(extra, atom_from_cstr("use_registry"))))
        s->use_registry = map_bool(extra, "use_registry", true);
    pthread_mutex_unlock(&s->lock);
    return heap_tuple2(p, AM_ok, ref);
}

static int sockopt_int(int fd, int opt)
{
    int v = 0;
    socklen_t len = sizeof v;
    getsockopt(fd, SOL_SOCKET, opt, &v, &len);
    return v;
}

Term bif_prim_socket_nif_open_4(Process *p, const Term *args)
{
    int domain, type;
    if (!sock_domain_from(args[0], &domain)) return heap_tuple2(p, AM_invalid, AM_domain);
    if (!sock_type_from(args[1], &type)) return heap_tuple2(p, AM_invalid, AM_type);
    if (!is_small(args[2]) || !is_map(args[3])) return bif_error(p, AM_badarg);
    if (is_value(map_get(args[3], atom_from_cstr("netns")))) return sock_error_atom(p, AM_notsup);
    int fd = socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, (int)small_val(args[2]));
    if (fd < 0) return sock_error(p, errno);
    return adopt(p, fd, domain, type, sockopt_int(fd, SO_PROTOCOL), args[3]);
}

/* open(FD, Opts): a socket over a descriptor made elsewhere (dup'ed unless #{dup := false}). */
Term bif_prim_socket_nif_open_2(Process *p, const Term *args)
{
    if (!is_small(args[0]) || small_val(args[0]) < 0 || !is_map(args[1])) return bif_error(p, AM_badarg);
    int fd = (int)small_val(args[0]);
    if (map_bool(args[1], "dup", true)) fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return sock_error(p, errno);
    int domain = sockopt_int(fd, SO_DOMAIN), type = sockopt_int(fd, SO_TYPE), err = errno;
    if (!type) return sock_error(p, err ? err : ENOTSOCK);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return adopt(p, fd, domain, type, sockopt_int(fd, SO_PROTOCOL), args[1]);
}

Term bif_prim_socket_nif_bind_2(Process *p, const Term *args)
{
    Term ret;
    Sock *s = sock_get_for(p, args[0], &ret);
    if (!s) return ret;
    struct sockaddr_storage sa;
    socklen_t len;
    if (!sock_addr_decode(args[1], &sa, &len)) ret = heap_tuple2(p, AM_invalid, atom_from_cstr("sockaddr"));
    else ret = bind(s->fd, (struct sockaddr *)&sa, len) == 0 ? AM_ok : sock_error(p, errno);
    sock_put(s);
    return ret;
}

Term bif_prim_socket_nif_listen_2(Process *p, const Term *args)
{
    if (!is_small(args[1])) return bif_error(p, AM_badarg);
    Term ret;
    Sock *s = sock_get_for(p, args[0], &ret);
    if (!s) return ret;
    if (listen(s->fd, (int)small_val(args[1])) == 0) {
        s->listening = true;
        ret = AM_ok;
    } else {
        ret = sock_error(p, errno);
    }
    sock_put(s);
    return ret;
}

Term bif_prim_socket_nif_accept_2(Process *p, const Term *args)
{
    if (!is_ref(args[1])) return bif_error(p, AM_badarg);
    Term ret;
    Sock *s = sock_get_for(p, args[0], &ret);
    if (!s) return ret;
    if (!s->listening) {
        sock_put(s);
        return sock_error(p, EINVAL);
    }
    sock_unwait(s, true, p->pid);
    s->cnt.acc_tries++;
    int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    int err = errno;
    if (fd >= 0) {
        s->cnt.acc_success++;
        int domain = s->domain, type = s->type, protocol = s->protocol;
        sock_poll_arm(s); /* others still waiting may be served by the next connection */
        sock_put(s);
        Term r = adopt(p, fd, domain, type, protocol, THE_NON_VALUE);
        Sock *n = sock_get(tuple_elems(r)[1], &(bool){0});
        n->connected = true;
        sock_put(n);
        return r;
    }
    if (err == EAGAIN || err == EWOULDBLOCK) {
        s->cnt.acc_waits++;
        sock_wait(s, true, p->pid, args[1]);
        ret = AM_select;
    } else {
        s->cnt.acc_fails++;
        ret = sock_error(p, err);
    }
    sock_put(s);
    return ret;
}

Term bif_prim_socket_nif_connect_3(Process *p, const Term *args)
{
    Term ret;
    Sock *s = sock_get_for(p, args[0], &ret);
    if (!s) return ret;
    struct sockaddr_storage sa;
    socklen_t len;
    if (s->connecting) {
        ret = sock_error_atom(p, atom_from_cstr("already"));
    } else if (!sock_addr_decode(args[2], &sa, &len)) {
        ret = heap_tuple2(p, AM_invalid, atom_from_cstr("sockaddr"));
    } else if (connect(s->fd, (struct sockaddr *)&sa, len) == 0) {
        s->connected = true;
        ret = AM_ok;
    } else if (errno == EINPROGRESS && is_ref(args[1])) {
        s->connecting = true;
        sock_wait(s, false, p->pid, args[1]);
        ret = AM_select;
    } else {
        ret = sock_error(p, errno);
    }
    sock_put(s);
    return ret;
}

/* connect(SockRef) after the select message: the outcome of the connection attempt. */
Term bif_prim_socket_nif_connect_1(Process *p, const Term *args)
{
    Term ret;
    Sock *s = sock_get_for(p, args[0], &ret);
    if (!s) return ret;
    int err = sockopt_int(s->fd, SO_ERROR);
    s->connecting = false;
    if (err) {
        ret = sock_error(p, err);
    } else {
        s->connected = true;
        ret = AM_ok;
    }
    sock_put(s);
    return ret;
}

Term bif_prim_socket_nif_close_1(Process *p, const Term *args)
{
    Term ret;
    Sock *s = sock_get_for(p, args[0], &ret);
    if (!s) return ret;
    sock_close_locked(s);
    sock_put(s);
    return AM_ok;
}

/* close/1 did all the work: the descriptor is already closed. */
Term bif_prim_socket_nif_finalize_close_1(Process *p, const Term *args)
{
    bool closed;
    Sock *s = sock_get(args[0], &closed);
    if (s) sock_put(s);
    return s || closed ? AM_ok : bif_error(p, AM_badarg);
}

Term bif_prim_socket_nif_shutdown_2(Process *p, const Term *args)
{
    int how;
    if (args[1] == atom_from_cstr("read")) how = SHUT_RD;
    else if (args[1] == atom_from_cstr("write")) how = SHUT_WR;
    else if (args[1] == atom_from_cstr("read_write")) how = SHUT_RDWR;
    else return bif_error(p, AM_badarg);
    Term ret;
    Sock *s = sock_get_for(p, args[0], &ret);
    if (!s) return ret;
    ret = shutdown(s->fd, how) == 0 ? AM_ok : sock_error(p, errno);
    sock_put(s);
    return ret;
}

static Term name_of(Process *p, Term ref, bool peer)
{
    Term ret;
    Sock *s = sock_get_for(p, ref, &ret);
    if (!s) return ret;
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    int rc = peer ? getpeername(s->fd, (struct sockaddr *)&sa, &len) : getsockname(s->fd, (struct sockaddr *)&sa, &len);
    ret = rc == 0 ? heap_tuple2(p, AM_ok, sock_addr_encode(p, (struct sockaddr *)&sa, len)) : sock_error(p, errno);
    sock_put(s);
    return ret;
}

Term bif_prim_socket_nif_sockname_1(Process *p, const Term *args) { return name_of(p, args[0], false); }
Term bif_prim_socket_nif_peername_1(Process *p, const Term *args) { return name_of(p, args[0], true); }

Term bif_prim_socket_nif_cancel_3(Process *p, const Term *args)
{
    static const char *const reads[] = {"accept", "recv", "recvfrom", "recvmsg"};
    static const char *const writes[] = {"connect", "send", "sendto", "sendmsg"};
    int dir = -1;
    for (int i = 0; i < 4 && is_atom(args[1]); i++) {
        if (!strcmp(atom_text(args[1]), reads[i])) dir = 1;
        if (!strcmp(atom_text(args[1]), writes[i])) dir = 0;
    }
    if (dir < 0 || !is_ref(args[2])) return bif_error(p, AM_badarg);
    Term ret;
    Sock *s = sock_get_for(p, args[0], &ret);
    if (!s) return ret;
    ret = sock_cancel_ref(s, dir == 1, args[2]);
    if (dir == 0 && ret != AM_not_found && !strcmp(atom_text(args[1]), "connect")) s->connecting = false;
    sock_put(s);
    return ret;
}

/* ---- info ---- */

static size_t queue_len(const SockWaiter *w)
{
    size_t n = 0;
    for (; w; w = w->next) n++;
    return n;
}

static Term counters_map(Process *p, const SockCounters *c)
{
    static const char *const names[] = {"acc_fails",  "acc_success", "acc_tries",   "acc_waits",
                                        "read_byte",  "read_fails",  "read_pkg",    "read_pkg_max",
                                        "read_tries", "read_waits",  "write_byte",  "write_fails",
                                        "write_pkg",  "write_pkg_max", "write_tries", "write_waits"};
    const uint64_t vals[] = {c->acc_fails,  c->acc_success, c->acc_tries,   c->acc_waits,
                             c->read_byte,  c->read_fails,  c->read_pkg,    c->read_pkg_max,
                             c->read_tries, c->read_waits,  c->write_byte,  c->write_fails,
                             c->write_pkg,  c->write_pkg_max, c->write_tries, c->write_waits};
    Term k[16], v[16];
    for (int i = 0; i < 16; i++) k[i] = atom_from_cstr(names[i]), v[i] = make_small((intptr_t)vals[i]);
    return map_from_pairs(p, k, v, 16);
}

static Term atom_list(Process *p, const char *const *names, const bool *on, int n)
{
    Term l = NIL;
    for (int i = n - 1; i >= 0; i--)
        if (on[i]) l = heap_cons(p, atom_from_cstr(names[i]), l);
    return l;
}

Term bif_prim_socket_nif_info_1(Process *p, const Term *args)
{
    Term ret;
    Sock *s = sock_get_for(p, args[0], &ret);
    if (!s) return ret;
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    bool bound = getsockname(s->fd, (struct sockaddr *)&sa, &len) == 0 && s->domain == AF_INET &&
                 ((struct sockaddr_in *)&sa)->sin_port != 0;
    static const char *const rnames[] = {"bound", "listening", "selected"}, *const wnames[] = {"connected", "selected"};
    bool ron[] = {bound && !s->connected, s->listening, s->readers != NULL}, won[] = {s->connected, s->writers != NULL};
    size_t nreaders = queue_len(s->readers), nwriters = queue_len(s->writers);
    Term k[] = {atom_from_cstr("counters"), atom_from_cstr("ctype"), AM_domain, atom_from_cstr("num_acceptors"),
                atom_from_cstr("num_readers"), atom_from_cstr("num_writers"), AM_owner, AM_protocol,
                atom_from_cstr("rstates"), AM_type, atom_from_cstr("wstates")};
    Term v[] = {counters_map(p, &s->cnt), AM_normal, sock_domain_atom(s->domain),
                make_small(s->listening ? (intptr_t)nreaders : 0), make_small(s->listening ? 0 : (intptr_t)nreaders),
                make_small((intptr_t)nwriters), s->owner, make_small(s->protocol), atom_list(p, rnames, ron, 3),
                sock_type_atom(s->type), atom_list(p, wnames, won, 2)};
    sock_put(s);
    return map_from_pairs(p, k, v, sizeof k / sizeof *k);
}

Term bif_prim_socket_nif_info_0(Process *p, const Term *args)
{
    (void)args;
    size_t total, inet, inet6, local, stream, dgram, seqp, tcp, udp;
    sock_counts(&total, &inet, &inet6, &local, &stream, &dgram, &seqp, &tcp, &udp);
    const char *cn[] = {"num_cnt_bits", "num_dinet", "num_dinet6", "num_dlocal", "num_pip", "num_psctp", "num_ptcp",
                        "num_pudp", "num_sockets", "num_tdgrams", "num_tseqpkgs", "num_tstreams"};
    size_t cv[] = {64, inet, inet6, local, 0, 0, tcp, udp, total, dgram, seqp, stream};
    Term ck[12], cval[12];
    for (int i = 0; i < 12; i++) ck[i] = atom_from_cstr(cn[i]), cval[i] = make_small((intptr_t)cv[i]);
    Term k[] = {atom_from_cstr("counters"), atom_from_cstr("debug"), atom_from_cstr("iov_max"), atom_from_cstr("iow"),
                atom_from_cstr("socket_debug"), atom_from_cstr("use_registry")};
    Term v[] = {map_from_pairs(p, ck, cval, 12), AM_false, make_small(IOV_MAX), AM_false, AM_false,
                sock_registry_default() ? AM_true : AM_false};
    return map_from_pairs(p, k, v, 6);
}

/* command(#{command := C, data := D}): use_registry sets the default of new sockets; the debug
   switches are accepted (erbium writes no socket debug log). */
Term bif_prim_socket_nif_command_1(Process *p, const Term *args)
{
    Term cmd = is_map(args[0]) ? map_get(args[0], atom_from_cstr("command")) : THE_NON_VALUE;
    Term data = is_map(args[0]) ? map_get(args[0], atom_from_cstr("data")) : THE_NON_VALUE;
    if (!is_value(cmd) || !is_value(data)) return heap_tuple2(p, AM_invalid, args[0]);
    if (cmd == atom_from_cstr("use_registry") && (data == AM_true || data == AM_false)) {
        sock_set_registry_default(data == AM_true);
        return AM_ok;
    }
    if ((cmd == atom_from_cstr("debug") || cmd == atom_from_cstr("socket_debug")) && (data == AM_true || data == AM_false))
        return AM_ok;
    return heap_tuple2(p, AM_invalid, args[0]);
}
