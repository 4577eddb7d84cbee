/*
 * inet_tcp.c - tcp_inet's own operations (see inet_int.h): connect, listen,
 * accept, recv, shutdown, sending, and cutting input into packets (raw,
 * {packet, 1|2|4} with a big-endian length header, line) for the owner
 * ({tcp, S, Data} in active mode) or the oldest waiting recv.
 *
 * End of input follows OTP's driver: in active mode {tcp_closed, S} and,
 * with exit_on_close (the default), the port closes normally; in passive
 * mode waiting recvs get {error, closed}, the socket closes but the port
 * stays, and the next send and (when no recv was waiting) the next recv
 * learn {error, closed} once, enotconn after that.
 */
#define _GNU_SOURCE
#include "runtime/inet/inet_int.h"

#include "runtime/port/port_errno.h"
#include "runtime/proc/signal.h"
#include "runtime/term/atom.h"
#include "sched/timer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/uio.h>
#include <unistd.h>

#define READ_CHUNK 65536
#define READS_PER_TURN 16

static int32_t get32(const uint8_t *d) { return (int32_t)((uint32_t)d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3]); }

/* ---- accepts, finished once no port is locked ---- */

typedef struct Accepted {
    int fd, family;
    Term listener, caller;
    uint16_t ref;
    InetOpts opts;
} Accepted;

static __thread Accepted *accepted;
static __thread size_t naccepted, capaccepted;

void inet_tcp_flush_accepts(void)
{
    while (naccepted) {
        Accepted a = accepted[--naccepted];
        Port *np = port_open_driver(inet_driver("tcp_inet"), a.caller);
        if (!np) {
            close(a.fd);
            Term err[3] = {make_tuple_header(2), AM_error, AM_system_limit};
            Term res[5] = {make_tuple_header(4), AM_inet_async, a.listener, make_small(a.ref), make_boxed(err)};
            signal_post(SIG_MESSAGE, a.caller, a.listener, make_boxed(res), false);
            continue;
        }
        InetSock *s = inet_sock(np);
        s->fd = a.fd;
        s->family = a.family;
        s->bound = s->connected = true;
        s->o = a.opts; /* the listening socket's driver options, as OTP copies them */
        inet_repoll(np);
        Term id = np->id;
        port_unlock(np);
        signal_post(SIG_LINK, a.caller, id, NIL, false);
        inet_send_accepted(a.listener, a.caller, a.ref, id);
    }
    free(accepted);
    accepted = NULL;
    capaccepted = 0;
}

static void defer_accept(Port *p, int fd, const InetWait *w)
{
    if (naccepted == capaccepted) {
        capaccepted = capaccepted ? capaccepted * 2 : 4;
        accepted = realloc(accepted, capaccepted * sizeof *accepted);
        if (!accepted) abort();
    }
    InetSock *s = inet_sock(p);
    accepted[naccepted++] = (Accepted){fd, s->family, p->id, w->caller, w->ref, s->o};
}

static void accept_ready(Port *p)
{
    InetSock *s = inet_sock(p);
    while (s->nw) {
        int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno != EAGAIN) {
                inet_send_async_error(p, s->w[0].caller, s->w[0].ref, port_errno_atom(errno));
                inet_wait_pop(s);
            }
            return;
        }
        defer_accept(p, fd, &s->w[0]);
        inet_wait_pop(s);
    }
}

/* ---- end of input ---- */

static void input_closed(Port *p, Term reason)
{
    InetSock *s = inet_sock(p);
    s->peer_closed = true;
    s->ilen = 0;
    if (s->o.active != INET_PASSIVE) {
        if (reason != AM_closed) inet_send_tag_reason(p, p->owner, AM_tcp_error, reason);
        inet_send_tag(p, p->owner, AM_tcp_closed);
        if (s->o.exit_on_close) { /* the port goes, and its owner hears only tcp_closed */
            p->exit_quietly = true;
            p->doom = AM_normal;
        }
        else shutdown(s->fd, SHUT_RD);
        return;
    }
    if (s->o.exit_on_close) {
        s->olen = s->ooff = 0;
        inet_close_fd(p);
    } else {
        shutdown(s->fd, SHUT_RD);
    }
    if (s->nw) inet_wait_fail_all(p, reason);
    else s->close_recv_note = true;
    s->close_send_note = true;
}

static void read_failed(Port *p, int err)
{
    bool reset = err == ECONNRESET || err == EPIPE;
    input_closed(p, reset && !inet_sock(p)->o.show_econnreset ? AM_closed : port_errno_atom(err));
}

/* ---- input ---- */

/* The bytes of the next whole packet at the buffer's start (header included; *skip = the
   header's length), 0 when it is not all there yet, -1 when it is longer than packet_size. */
static long next_packet(const InetSock *s, uint32_t want, size_t *skip)
{
    *skip = 0;
    size_t hl = s->o.packet == TCP_PB_1 ? 1 : s->o.packet == TCP_PB_2 ? 2 : s->o.packet == TCP_PB_4 ? 4 : 0;
    if (s->o.packet == TCP_PB_RAW) {
        if (want) return s->ilen >= want ? (long)want : 0;
        return (long)s->ilen;
    }
    if (s->o.packet == TCP_PB_LINE_LF) {
        if (!s->ilen) return 0;
        const uint8_t *nl = memchr(s->ibuf, s->o.line_delim, s->ilen);
        if (nl) return (long)(nl - s->ibuf) + 1;
        size_t limit = s->o.packet_size ? s->o.packet_size : s->o.buffer;
        return s->ilen >= limit && limit ? (long)limit : 0; /* a longer line comes in pieces */
    }
    if (s->ilen < hl) return 0;
    size_t len = 0;
    for (size_t i = 0; i < hl; i++) len = len << 8 | s->ibuf[i];
    if (s->o.packet_size && len > s->o.packet_size) return -1;
    if (s->ilen - hl < len) return 0;
    *skip = hl;
    return (long)(hl + len);
}

static void consume(InetSock *s, size_t n)
{
    memmove(s->ibuf, s->ibuf + n, s->ilen - n);
    s->ilen -= n;
}

/* Hands one packet to the oldest waiter or, in active mode, the owner; false if none. */
static bool deliver_one(Port *p)
{
    InetSock *s = inet_sock(p);
    const InetWait *w = s->nw ? &s->w[0] : NULL;
    if (!w && s->o.active == INET_PASSIVE) return false;
    size_t skip;
    long total = next_packet(s, w ? w->length : 0, &skip);
    if (total < 0) {
        s->ilen = 0;
        if (w) {
            inet_send_async_error(p, w->caller, w->ref, AM_emsgsize);
            inet_wait_pop(s);
        } else {
            inet_send_tag_reason(p, p->owner, AM_tcp_error, AM_emsgsize);
        }
        return false;
    }
    if (total == 0) return false;
    size_t n = (size_t)total - skip;
    inet_send_tcp_data(p, w, s->ibuf + skip, n);
    consume(s, (size_t)total);
    s->recv_cnt++;
    if (n > s->recv_max) s->recv_max = n;
    if (w) inet_wait_pop(s);
    else inet_after_active_message(p, AM_tcp_passive);
    return true;
}

static bool wants_input(const InetSock *s)
{
    return s->fd >= 0 && s->connected && !s->peer_closed && (s->nw || s->o.active != INET_PASSIVE);
}

void inet_tcp_input(Port *p)
{
    InetSock *s = inet_sock(p);
    for (int turn = 0; turn < READS_PER_TURN; turn++) {
        while (deliver_one(p)) {
        }
        if (!wants_input(s) || is_value(p->doom)) return;
        if (s->icap - s->ilen < READ_CHUNK) {
            s->icap = s->ilen + READ_CHUNK;
            s->ibuf = realloc(s->ibuf, s->icap);
            if (!s->ibuf) abort();
        }
        ssize_t r = read(s->fd, s->ibuf + s->ilen, s->icap - s->ilen);
        if (r < 0) {
            if (errno != EAGAIN && errno != EINTR) read_failed(p, errno);
            if (errno != EINTR) return;
            continue;
        }
        if (r == 0) {
            input_closed(p, AM_closed);
            return;
        }
        s->ilen += (size_t)r;
        s->recv_oct += (uint64_t)r;
    }
}

/* ---- output ---- */

static void obuf_append(InetSock *s, const uint8_t *d, size_t n)
{
    if (!n) return;
    if (s->olen + n > s->ocap) {
        if (s->ooff) {
            memmove(s->obuf, s->obuf + s->ooff, s->olen - s->ooff);
            s->olen -= s->ooff;
            s->ooff = 0;
        }
        size_t cap = s->ocap ? s->ocap : 1024;
        while (cap < s->olen + n) cap *= 2;
        if (cap != s->ocap) {
            s->obuf = realloc(s->obuf, cap);
            if (!s->obuf) abort();
            s->ocap = cap;
        }
    }
    memcpy(s->obuf + s->olen, d, n);
    s->olen += n;
}

static void output_drained(Port *p)
{
    InetSock *s = inet_sock(p);
    s->ooff = s->olen = 0;
    if (s->subscriber != NIL) {
        inet_send_tag(p, s->subscriber, AM_empty_out_q);
        s->subscriber = NIL;
    }
    if (s->shutdown_write) {
        s->shutdown_write = false;
        shutdown(s->fd, SHUT_WR);
    }
}

static void write_failed(Port *p, int err)
{
    InetSock *s = inet_sock(p);
    s->ooff = s->olen = 0;
    if (!s->peer_closed) read_failed(p, err);
}

static void flush_output(Port *p)
{
    InetSock *s = inet_sock(p);
    while (s->olen > s->ooff) {
        ssize_t w = write(s->fd, s->obuf + s->ooff, s->olen - s->ooff);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN) write_failed(p, errno);
            return;
        }
        s->ooff += (size_t)w;
    }
    output_drained(p);
}

void inet_tcp_command(Port *p, Term caller, const uint8_t *d, size_t n)
{
    InetSock *s = inet_sock(p);
    if (!s->connected) {
        Term reason = s->close_send_note ? AM_closed : atom_from_cstr("enotconn");
        s->close_send_note = false;
        inet_send_reply_error(p, caller, reason);
        return;
    }
    uint8_t header[4];
    /* a length too long for the header is cut to its low bytes, as OTP's driver does */
    size_t hl = s->o.packet == TCP_PB_1 ? 1 : s->o.packet == TCP_PB_2 ? 2 : s->o.packet == TCP_PB_4 ? 4 : 0;
    for (size_t i = 0; i < hl; i++) header[i] = (uint8_t)(n >> (8 * (hl - 1 - i)));
    s->send_cnt++;
    s->send_oct += n;
    if (n > s->send_max) s->send_max = n;
    if (s->olen > s->ooff) { /* behind what waits */
        obuf_append(s, header, hl);
        obuf_append(s, d, n);
    } else {
        struct iovec iov[2] = {{header, hl}, {(void *)d, n}};
        ssize_t w;
        while ((w = writev(s->fd, iov, 2)) < 0 && errno == EINTR) {
        }
        if (w < 0 && errno != EAGAIN) {
            inet_send_reply_error(p, caller, AM_closed);
            write_failed(p, errno);
            return;
        }
        size_t done = w < 0 ? 0 : (size_t)w;
        for (int i = 0; i < 2; i++) {
            size_t skip = done < iov[i].iov_len ? done : iov[i].iov_len;
            done -= skip;
            if (skip < iov[i].iov_len) obuf_append(s, (const uint8_t *)iov[i].iov_base + skip, iov[i].iov_len - skip);
        }
    }
    inet_send_reply(p, caller, AM_ok);
}

/* ---- connecting ---- */

static void connect_done(Port *p)
{
    InetSock *s = inet_sock(p);
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err == EINPROGRESS || err == EALREADY) return;
    s->connecting = false;
    if (err) {
        inet_send_async_error(p, s->conn.caller, s->conn.ref, port_errno_atom(err));
        return;
    }
    s->connected = s->bound = true;
    inet_send_async(p, s->conn.caller, s->conn.ref, AM_ok);
}

static bool op_connect(Port *p, Term caller, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    struct sockaddr_storage sa;
    socklen_t len;
    size_t used;
    if (s->fd < 0 || s->listening || s->connecting) return inet_reply_error(out, outlen, EINVAL);
    if (s->connected) return inet_reply_error(out, outlen, EISCONN);
    if (n < 4 || !inet_addr_decode(s, d + 4, n - 4, &sa, &len, &used)) return inet_reply_error(out, outlen, EINVAL);
    int32_t timeout = get32(d);
    int r;
    while ((r = connect(s->fd, (struct sockaddr *)&sa, len)) < 0 && errno == EINTR) {
    }
    if (r < 0 && errno != EINPROGRESS) return inet_reply_error(out, outlen, errno);
    uint16_t ref = s->next_ref++;
    if (r == 0) {
        s->connected = s->bound = true;
        inet_send_async(p, caller, ref, AM_ok);
    } else {
        s->connecting = true;
        s->conn = (InetWait){caller, ref, -1, 0};
        if (timeout >= 0) s->conn.deadline = (int64_t)timer_now_ms() + timeout;
    }
    return inet_reply_ref(out, outlen, ref);
}

/* ---- the operations ---- */

static bool op_recv(Port *p, Term caller, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    if (n != 8) return inet_reply_error(out, outlen, EINVAL);
    if (!s->connected || s->peer_closed) {
        bool note = s->close_recv_note || (s->peer_closed && s->fd >= 0);
        s->close_recv_note = false;
        return note ? inet_reply_error_name(out, outlen, "closed") : inet_reply_error(out, outlen, ENOTCONN);
    }
    if (s->o.active != INET_PASSIVE) return inet_reply_error(out, outlen, EINVAL);
    uint32_t length = (uint32_t)get32(d + 4);
    if (length && s->o.packet != TCP_PB_RAW) return inet_reply_error(out, outlen, EINVAL);
    if (length > 64u * 1024 * 1024) return inet_reply_error(out, outlen, ENOMEM);
    uint16_t ref = inet_wait_push(s, caller, get32(d), length);
    inet_reply_ref(out, outlen, ref);
    inet_tcp_input(p);
    return true;
}

static bool op_listen(Port *p, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    if (n != 2 || s->fd < 0 || s->connected) return inet_reply_error(out, outlen, EINVAL);
    int backlog = (int16_t)(d[0] << 8 | d[1]);
    if (listen(s->fd, backlog) < 0) return inet_reply_error(out, outlen, errno);
    s->listening = s->bound = true;
    return inet_reply(out, outlen, NULL, 0);
}

static bool op_accept(Port *p, Term caller, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    if (n != 4) return inet_reply_error(out, outlen, EINVAL);
    if (!s->listening) return inet_reply_error(out, outlen, s->fd < 0 ? EINVAL : ENOTSUP);
    uint16_t ref = inet_wait_push(s, caller, get32(d), 0);
    inet_reply_ref(out, outlen, ref);
    accept_ready(p);
    return true;
}

static bool op_shutdown(Port *p, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    if (n != 1 || d[0] > 2) return inet_reply_error(out, outlen, EINVAL);
    if (!s->connected) return inet_reply_error(out, outlen, ENOTCONN);
    if (d[0] != 1) shutdown(s->fd, SHUT_RD);
    if (d[0] != 0) {
        if (s->olen > s->ooff) s->shutdown_write = true;
        else shutdown(s->fd, SHUT_WR);
    }
    return inet_reply(out, outlen, NULL, 0);
}

static bool op_unrecv(Port *p, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    if (!s->connected) return inet_reply_error(out, outlen, ENOTCONN);
    if (!n) return inet_reply(out, outlen, NULL, 0);
    if (s->ilen + n > s->icap) {
        s->icap = s->ilen + n;
        s->ibuf = realloc(s->ibuf, s->icap);
        if (!s->ibuf) abort();
    }
    memmove(s->ibuf + n, s->ibuf, s->ilen);
    memcpy(s->ibuf, d, n);
    s->ilen += n;
    return inet_reply(out, outlen, NULL, 0);
}

bool inet_tcp_control(Port *p, Term caller, unsigned op, const uint8_t *d, size_t n, uint8_t **out,
                      size_t *outlen)
{
    switch (op) {
    case INET_REQ_CONNECT: return op_connect(p, caller, d, n, out, outlen);
    case INET_REQ_LISTEN: return op_listen(p, d, n, out, outlen);
    case INET_REQ_ACCEPT: return op_accept(p, caller, d, n, out, outlen);
    case TCP_REQ_RECV: return op_recv(p, caller, d, n, out, outlen);
    case TCP_REQ_SHUTDOWN: return op_shutdown(p, d, n, out, outlen);
    case TCP_REQ_UNRECV: return op_unrecv(p, d, n, out, outlen);
    default: return inet_reply_error_name(out, outlen, "exbadport"); /* OTP's answer to an unknown op */
    }
}

void inet_tcp_event(Port *p, uint32_t events)
{
    InetSock *s = inet_sock(p);
    if (s->fd < 0) return;
    if (s->connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) connect_done(p);
    if (s->olen > s->ooff && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) flush_output(p);
    if (s->fd < 0 || is_value(p->doom) || !(events & (EPOLLIN | EPOLLERR | EPOLLHUP))) return;
    if (s->listening) accept_ready(p);
    else inet_tcp_input(p);
}
