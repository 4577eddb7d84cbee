/*
 * sock_io.c - prim_socket's natives that move data: send, sendto, sendmsg,
 * recv, recvfrom, recvmsg. None blocks: what would block queues the caller
 * (sock_wait) and answers select, or {select, Written} / {select, Data}
 * after a part, as OTP's natives do; socket.erl then waits for the select
 * message (or times out and cancels) and calls again.
 */
#define _GNU_SOURCE
#include "runtime/socket/sock.h"

#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/binary.h"
#include "runtime/term/map.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

static bool would_block(int err) { return err == EAGAIN || err == EWOULDBLOCK; }

/* ---- sending ---- */

/* The outcome of sending total bytes of which n went (n < 0: errno err). */
static Term sent(Process *p, Sock *s, ssize_t n, size_t total, int err, Term ref)
{
    s->cnt.write_tries++;
    if (n >= 0) {
        s->cnt.write_byte += (uint64_t)n;
        if ((size_t)n == total) {
            s->cnt.write_pkg++;
            if ((uint64_t)n > s->cnt.write_pkg_max) s->cnt.write_pkg_max = (uint64_t)n;
            return AM_ok;
        }
    } else if (!would_block(err)) {
        s->cnt.write_fails++;
        return sock_error(p, err);
    }
    if (!is_ref(ref)) return n > 0 ? heap_tuple2(p, AM_ok, make_small(n)) : sock_error(p, EAGAIN);
    s->cnt.write_waits++;
    sock_wait(s, false, p->pid, ref);
    return n > 0 ? heap_tuple2(p, AM_select, make_small(n)) : AM_select;
}

static bool flags_of(Term t, int *flags)
{
    if (!is_small(t) || small_val(t) < 0 || small_val(t) > INT32_MAX) return false;
    *flags = (int)small_val(t) | MSG_NOSIGNAL;
    return true;
}

/* Sends Bin with the flags in flags_t to sa (NULL: the connected peer; sendto with no address
   is send). */
static Term send_bin(Process *p, Term sockref, Term bin, Term flags_t, const struct sockaddr_storage *sa,
                     socklen_t salen, Term ref)
{
    const uint8_t *d;
    size_t len;
    int flags;
    if (!binary_bytes(bin, &d, &len) || !flags_of(flags_t, &flags)) return bif_error(p, AM_badarg);
    Term ret;
    Sock *s = sock_get_for(p, sockref, &ret);
    if (!s) return ret;
    sock_unwait(s, false, p->pid);
    ssize_t n = sendto(s->fd, d, len, flags, (const struct sockaddr *)sa, sa ? salen : 0);
    ret = sent(p, s, n, len, errno, ref);
    sock_put(s);
    return ret;
}

/* send(SockRef, Bin, Flags, SendRef) */
Term bif_prim_socket_nif_send_4(Process *p, const Term *args)
{
    return send_bin(p, args[0], args[1], args[2], NULL, 0, args[3]);
}

/* sendto(SockRef, Bin, Dest, Flags, SendRef) */
Term bif_prim_socket_nif_sendto_5(Process *p, const Term *args)
{
    const uint8_t *d;
    size_t len;
    int flags;
    if (!binary_bytes(args[1], &d, &len) || !flags_of(args[3], &flags)) return bif_error(p, AM_badarg);
    struct sockaddr_storage sa;
    socklen_t salen;
    if (!sock_addr_decode(args[2], &sa, &salen)) return heap_tuple2(p, AM_invalid, atom_from_cstr("sockaddr"));
    return send_bin(p, args[0], args[1], args[3], &sa, salen, args[4]);
}

/* sendmsg(SockRef, Msg, Flags, SendRef, IOV): Msg's addr (if any) and IOV, a list of binaries;
   control messages are not supported. */
Term bif_prim_socket_nif_sendmsg_5(Process *p, const Term *args)
{
    int flags;
    if (!is_map(args[1]) || !flags_of(args[2], &flags)) return bif_error(p, AM_badarg);
    size_t niov = 0, total = 0;
    for (Term l = args[4]; is_list(l); l = list_tail(l)) niov++;
    struct iovec *iov = calloc(niov ? niov : 1, sizeof *iov);
    if (!iov) abort();
    size_t i = 0;
    Term l = args[4];
    for (; is_list(l); l = list_tail(l), i++) {
        const uint8_t *d;
        if (!binary_bytes(list_head(l), &d, &iov[i].iov_len)) break;
        iov[i].iov_base = (void *)d;
        total += iov[i].iov_len;
    }
    Term ctrl = map_get(args[1], atom_from_cstr("ctrl"));
    if (l != NIL || (is_value(ctrl) && ctrl != NIL)) {
        free(iov);
        return heap_tuple2(p, AM_invalid, l != NIL ? atom_from_cstr("iov") : atom_from_cstr("ctrl"));
    }
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = niov};
    struct sockaddr_storage sa;
    Term addr = map_get(args[1], AM_addr);
    if (is_value(addr)) {
        if (!sock_addr_decode(addr, &sa, &mh.msg_namelen)) {
            free(iov);
            return heap_tuple2(p, AM_invalid, AM_addr);
        }
        mh.msg_name = &sa;
    }
    Term ret;
    Sock *s = sock_get_for(p, args[0], &ret);
    if (s) {
        sock_unwait(s, false, p->pid);
        ssize_t n = sendmsg(s->fd, &mh, flags);
        ret = sent(p, s, n, total, errno, args[3]);
        sock_put(s);
    }
    free(iov);
    return ret;
}

/* ---- receiving ---- */

typedef struct Received {
    uint8_t *buf;
    size_t want;          /* bytes asked for (0: what the buffer holds) */
    ssize_t n;
    int err;
    struct sockaddr_storage from;
    socklen_t fromlen;
    int msg_flags;
} Received;

/* Reads once into a fresh buffer (want bytes, or rcvbuf when 0), with the sender's address. */
static void receive(Sock *s, Received *r, size_t length, int flags)
{
    r->want = length;
    size_t cap = length ? length : s->rcvbuf;
    r->buf = malloc(cap ? cap : 1);
    r->fromlen = 0;
    r->msg_flags = 0;
    if (!r->buf) { /* a length no memory can hold */
        r->n = -1, r->err = ENOMEM;
        return;
    }
    r->fromlen = sizeof r->from;
    struct iovec iov = {r->buf, cap};
    struct msghdr mh = {.msg_name = &r->from, .msg_namelen = r->fromlen, .msg_iov = &iov, .msg_iovlen = 1};
    s->cnt.read_tries++;
    r->n = recvmsg(s->fd, &mh, flags);
    r->err = errno;
    r->fromlen = mh.msg_namelen;
    r->msg_flags = mh.msg_flags;
    if (r->n > 0) {
        s->cnt.read_byte += (uint64_t)r->n;
        s->cnt.read_pkg++;
        if ((uint64_t)r->n > s->cnt.read_pkg_max) s->cnt.read_pkg_max = (uint64_t)r->n;
    }
}

/* select (and the caller queued) if the read would block, or {error, Reason}; THE_NON_VALUE when data came. */
static Term receive_failed(Process *p, Sock *s, Received *r, Term ref)
{
    if (r->n > 0 || (r->n == 0 && s->type != SOCK_STREAM)) return THE_NON_VALUE;
    if (r->n == 0) return sock_error_atom(p, AM_closed);
    if (!would_block(r->err)) {
        s->cnt.read_fails++;
        return sock_error(p, r->err);
    }
    if (!is_ref(ref)) return sock_error(p, EAGAIN);
    s->cnt.read_waits++;
    sock_wait(s, true, p->pid, ref);
    return AM_select;
}

/* What recv, recvfrom and recvmsg do first: reads from the socket sockref names into r.
   NULL with the native's result in *ret when there is no such socket; else the socket,
   with *ret the result when the read failed or must wait, THE_NON_VALUE when it got data. */
static Sock *receive_begin(Process *p, Term sockref, size_t length, int flags, Term recvref, Received *r,
                           Term *ret)
{
    Sock *s = sock_get_for(p, sockref, ret);
    if (!s) return NULL;
    sock_unwait(s, true, p->pid);
    receive(s, r, length, flags & ~MSG_NOSIGNAL);
    *ret = receive_failed(p, s, r, recvref);
    return s;
}

/* And what they do last: the socket goes back to the poller and the table. */
static Term receive_end(Sock *s, Received *r, Term ret)
{
    sock_poll_arm(s);
    sock_put(s);
    free(r->buf);
    return ret;
}

static bool length_of(Term t, size_t *len)
{
    if (!is_small(t) || small_val(t) < 0) return false;
    *len = (size_t)small_val(t);
    return true;
}

/* recv(SockRef, Length, Flags, RecvRef) */
Term bif_prim_socket_nif_recv_4(Process *p, const Term *args)
{
    size_t length;
    int flags;
    if (!length_of(args[1], &length) || !flags_of(args[2], &flags)) return bif_error(p, AM_badarg);
    Term ret;
    Received r;
    Sock *s = receive_begin(p, args[0], length, flags, args[3], &r, &ret);
    if (!s) return ret;
    if (!is_value(ret)) {
        Term bin = binary_from_bytes(p, r.buf, (size_t)r.n);
        /* A stream read that got part of what was asked for waits for the rest. */
        if (s->type == SOCK_STREAM && length && (size_t)r.n < length && is_ref(args[3])) {
            sock_wait(s, true, p->pid, args[3]);
            ret = heap_tuple2(p, AM_select, bin);
        } else {
            ret = heap_tuple2(p, AM_ok, bin);
        }
    }
    return receive_end(s, &r, ret);
}

static Term source_of(Process *p, Sock *s, Received *r)
{
    if (r->fromlen == 0) {
        Term k[] = {AM_addr, AM_family}, v[] = {binary_from_bytes(p, NULL, 0), atom_from_cstr("unspec")};
        return map_from_pairs(p, k, v, 2);
    }
    (void)s;
    return sock_addr_encode(p, (struct sockaddr *)&r->from, r->fromlen);
}

/* recvfrom(SockRef, Length, Flags, RecvRef): {ok, {Source, Data}} */
Term bif_prim_socket_nif_recvfrom_4(Process *p, const Term *args)
{
    size_t length;
    int flags;
    if (!length_of(args[1], &length) || !flags_of(args[2], &flags)) return bif_error(p, AM_badarg);
    Term ret;
    Received r;
    Sock *s = receive_begin(p, args[0], length, flags, args[3], &r, &ret);
    if (!s) return ret;
    if (!is_value(ret)) {
        Term src = source_of(p, s, &r);
        ret = heap_tuple2(p, AM_ok, heap_tuple2(p, src, binary_from_bytes(p, r.buf, (size_t)r.n)));
    }
    return receive_end(s, &r, ret);
}

/* recvmsg(SockRef, BufSz, CtrlSz, Flags, RecvRef): {ok, #{addr, iov, ctrl, flags}}; control
   messages are not read (ctrl is always []). */
Term bif_prim_socket_nif_recvmsg_5(Process *p, const Term *args)
{
    size_t length, ctrlsz;
    int flags;
    if (!length_of(args[1], &length) || !length_of(args[2], &ctrlsz) || !flags_of(args[3], &flags))
        return bif_error(p, AM_badarg);
    Term ret;
    Received r;
    Sock *s = receive_begin(p, args[0], length, flags, args[4], &r, &ret);
    if (!s) return ret;
    if (!is_value(ret)) {
        Term mflags = NIL;
        static const struct {
            int bit;
            const char *name;
        } fl[] = {{MSG_CTRUNC, "ctrunc"}, {MSG_EOR, "eor"}, {MSG_ERRQUEUE, "errqueue"}, {MSG_OOB, "oob"}, {MSG_TRUNC, "trunc"}};
        for (int i = 4; i >= 0; i--)
            if (r.msg_flags & fl[i].bit) mflags = heap_cons(p, atom_from_cstr(fl[i].name), mflags);
        Term iov = heap_cons(p, binary_from_bytes(p, r.buf, (size_t)r.n), NIL);
        Term k[4] = {AM_addr, atom_from_cstr("ctrl"), atom_from_cstr("flags"), atom_from_cstr("iov")};
        Term v[4] = {source_of(p, s, &r), NIL, mflags, iov};
        bool has_addr = s->type != SOCK_STREAM;
        ret = heap_tuple2(p, AM_ok, map_from_pairs(p, k + !has_addr, v + !has_addr, 4 - !has_addr));
    }
    return receive_end(s, &r, ret);
}
