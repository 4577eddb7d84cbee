/*
 * inet_drv.c - the tcp_inet and udp_inet port drivers (see inet.h): their
 * state, the operations both kinds share (open, bind, names, options,
 * statistics, host name, interfaces), polling and deadlines, addresses and
 * the replies of port_control.
 *
 * A socket's fd is registered with the port poller in slot 1, for input only
 * while someone wants it (active mode, a waiting recv or accept) and for
 * output only while output waits or a connect is in progress, so a passive
 * socket nobody reads costs nothing and its hang-up cannot spin the poller.
 * Deadlines (recv, accept and connect time-outs) share one timerfd per
 * socket, in slot 2, set to the earliest.
 */
#define _GNU_SOURCE
#include "runtime/inet/inet_int.h"

#include "runtime/port/port_errno.h"
#include "runtime/term/atom.h"
#include "sched/timer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

/* ---- replies ---- */

bool inet_reply(uint8_t **out, size_t *outlen, const uint8_t *data, size_t n)
{
    uint8_t *r = malloc(n + 1);
    if (!r) abort();
    r[0] = INET_REP_OK;
    if (n) memcpy(r + 1, data, n);
    *out = r;
    *outlen = n + 1;
    return true;
}

bool inet_reply_error_name(uint8_t **out, size_t *outlen, const char *name)
{
    size_t n = strlen(name);
    uint8_t *r = malloc(n + 1);
    if (!r) abort();
    r[0] = INET_REP_ERROR;
    memcpy(r + 1, name, n);
    *out = r;
    *outlen = n + 1;
    return true;
}

bool inet_reply_error(uint8_t **out, size_t *outlen, int err)
{
    Term a = port_errno_atom(err);
    char name[64];
    size_t n = atom_len(a) < sizeof name - 1 ? atom_len(a) : sizeof name - 1;
    memcpy(name, atom_text(a), n);
    name[n] = 0;
    return inet_reply_error_name(out, outlen, name);
}

bool inet_reply_ref(uint8_t **out, size_t *outlen, uint16_t ref)
{
    uint8_t r[2] = {(uint8_t)(ref >> 8), (uint8_t)ref};
    return inet_reply(out, outlen, r, 2);
}

/* ---- waiters and deadlines ---- */

uint16_t inet_wait_push(InetSock *s, Term caller, int32_t timeout_ms, uint32_t length)
{
    if (s->nw == s->capw) {
        s->capw = s->capw ? s->capw * 2 : 4;
        s->w = realloc(s->w, s->capw * sizeof *s->w);
        if (!s->w) abort();
    }
    uint16_t ref = s->next_ref++;
    s->w[s->nw++] = (InetWait){caller, ref, timeout_ms < 0 ? -1 : (int64_t)timer_now_ms() + timeout_ms, length};
    return ref;
}

void inet_wait_pop(InetSock *s)
{
    memmove(s->w, s->w + 1, (s->nw - 1) * sizeof *s->w);
    s->nw--;
}

void inet_wait_fail_all(Port *p, Term reason)
{
    InetSock *s = inet_sock(p);
    for (size_t i = 0; i < s->nw; i++) inet_send_async_error(p, s->w[i].caller, s->w[i].ref, reason);
    s->nw = 0;
}

static int64_t earliest_deadline(const InetSock *s)
{
    int64_t d = s->connecting ? s->conn.deadline : -1;
    for (size_t i = 0; i < s->nw; i++)
        if (s->w[i].deadline >= 0 && (d < 0 || s->w[i].deadline < d)) d = s->w[i].deadline;
    return d;
}

static void arm_timer(Port *p)
{
    InetSock *s = inet_sock(p);
    int64_t d = earliest_deadline(s);
    if (d < 0 && s->tfd < 0) return;
    if (s->tfd < 0) {
        s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (s->tfd < 0) abort(); /* only fd exhaustion: no way to keep a promised time-out */
        port_poll_driver_fd(p, s->tfd, 2, EPOLLIN, &s->tfd_polled);
    }
    /* timer_now_ms counts from an origin of its own: set a relative time */
    struct itimerspec its = {0};
    if (d >= 0) {
        int64_t left = d - (int64_t)timer_now_ms();
        if (left <= 0) its.it_value.tv_nsec = 1;
        else its.it_value = (struct timespec){left / 1000, (left % 1000) * 1000000};
    }
    timerfd_settime(s->tfd, 0, &its, NULL);
}

void inet_expire(Port *p)
{
    InetSock *s = inet_sock(p);
    uint64_t ticks;
    (void)!read(s->tfd, &ticks, sizeof ticks);
    int64_t now = (int64_t)timer_now_ms();
    size_t k = 0;
    for (size_t i = 0; i < s->nw; i++) {
        if (s->w[i].deadline >= 0 && s->w[i].deadline <= now)
            inet_send_async_error(p, s->w[i].caller, s->w[i].ref, AM_timeout);
        else s->w[k++] = s->w[i];
    }
    s->nw = k;
    if (s->connecting && s->conn.deadline >= 0 && s->conn.deadline <= now) {
        s->connecting = false;
        inet_send_async_error(p, s->conn.caller, s->conn.ref, AM_timeout);
        inet_close_fd(p);
    }
}

void inet_after_active_message(Port *p, Term passive_tag)
{
    InetSock *s = inet_sock(p);
    if (s->o.active == INET_ONCE) {
        s->o.active = INET_PASSIVE;
    } else if (s->o.active == INET_MULTI && --s->o.active_n <= 0) {
        s->o.active = INET_PASSIVE;
        s->o.active_n = 0;
        inet_send_tag(p, p->owner, passive_tag);
    }
}

/* ---- polling ---- */

static uint32_t wanted_events(const InetSock *s)
{
    if (s->fd < 0) return 0;
    uint32_t ev = 0;
    bool reader = s->o.active != INET_PASSIVE || s->nw > 0;
    if (s->listening ? s->nw > 0 : reader && !s->peer_closed && (!s->tcp || s->connected)) ev |= EPOLLIN;
    if (s->connecting || s->olen > s->ooff) ev |= EPOLLOUT;
    return ev;
}

void inet_repoll(Port *p)
{
    InetSock *s = inet_sock(p);
    uint32_t ev = wanted_events(s);
    if (ev != s->fd_events || (ev && !s->fd_polled)) {
        if (s->fd >= 0) port_poll_driver_fd(p, s->fd, 1, ev, &s->fd_polled);
        s->fd_events = ev;
    }
    arm_timer(p);
}

void inet_close_fd(Port *p)
{
    InetSock *s = inet_sock(p);
    if (s->fd < 0) return;
    port_poll_driver_fd(p, s->fd, 1, 0, &s->fd_polled);
    close(s->fd);
    s->fd = -1;
    s->fd_events = 0;
    s->connected = s->connecting = s->listening = false;
    s->closed = true;
}

/* ---- addresses ---- */

bool inet_addr_decode(InetSock *s, const uint8_t *d, size_t n, struct sockaddr_storage *sa, socklen_t *len,
                      size_t *used)
{
    memset(sa, 0, sizeof *sa);
    if (n < 3) return false;
    uint16_t port = (uint16_t)(d[1] << 8 | d[2]);
    int family = d[0] == INET_AF_INET ? AF_INET : d[0] == INET_AF_INET6 ? AF_INET6 : s->family;
    if (d[0] != INET_AF_INET && d[0] != INET_AF_INET6 && d[0] != INET_AF_ANY && d[0] != INET_AF_LOOPBACK)
        return false;
    size_t iplen = d[0] == INET_AF_INET ? 4 : d[0] == INET_AF_INET6 ? 16 : 0;
    if (n < 3 + iplen || family != s->family) return false;
    if (family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)sa;
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        if (iplen) memcpy(&in->sin_addr, d + 3, 4);
        else in->sin_addr.s_addr = htonl(d[0] == INET_AF_LOOPBACK ? INADDR_LOOPBACK : INADDR_ANY);
        *len = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        if (iplen) memcpy(&in6->sin6_addr, d + 3, 16);
        else in6->sin6_addr = d[0] == INET_AF_LOOPBACK ? in6addr_loopback : in6addr_any;
        *len = sizeof *in6;
    }
    *used = 3 + iplen;
    return true;
}

size_t inet_addr_encode(const struct sockaddr_storage *sa, uint8_t *out)
{
    if (sa->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        uint16_t port = ntohs(in6->sin6_port);
        out[0] = INET_AF_INET6;
        out[1] = (uint8_t)(port >> 8);
        out[2] = (uint8_t)port;
        memcpy(out + 3, &in6->sin6_addr, 16);
        return 19;
    }
    const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
    uint16_t port = ntohs(in->sin_port);
    out[0] = INET_AF_INET;
    out[1] = (uint8_t)(port >> 8);
    out[2] = (uint8_t)port;
    memcpy(out + 3, &in->sin_addr, 4);
    return 7;
}

/* ---- operations both kinds share ---- */

static bool op_open(Port *p, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    if (n < 2 || s->fd >= 0 || s->closed) return inet_reply_error(out, outlen, EINVAL);
    int family = d[0] == INET_AF_INET ? AF_INET : d[0] == INET_AF_INET6 ? AF_INET6 : -1;
    int type = d[1] == INET_TYPE_STREAM ? SOCK_STREAM : d[1] == INET_TYPE_DGRAM ? SOCK_DGRAM : -1;
    if (family < 0) return inet_reply_error_name(out, outlen, "eafnosupport");
    if (type != (s->tcp ? SOCK_STREAM : SOCK_DGRAM)) return inet_reply_error_name(out, outlen, "eprotonosupport");
    int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return inet_reply_error(out, outlen, errno);
    s->fd = fd;
    s->family = family;
    return inet_reply(out, outlen, NULL, 0);
}

static bool op_bind(Port *p, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    struct sockaddr_storage sa;
    socklen_t len;
    size_t used;
    if (s->fd < 0) return inet_reply_error(out, outlen, EINVAL);
    if (!inet_addr_decode(s, d, n, &sa, &len, &used)) return inet_reply_error(out, outlen, EINVAL);
    if (bind(s->fd, (struct sockaddr *)&sa, len) < 0) return inet_reply_error(out, outlen, errno);
    s->bound = true;
    len = sizeof sa;
    getsockname(s->fd, (struct sockaddr *)&sa, &len);
    uint8_t enc[19];
    inet_addr_encode(&sa, enc);
    return inet_reply(out, outlen, enc + 1, 2);
}

static bool op_name(Port *p, bool peer, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    if (s->fd < 0) return inet_reply_error(out, outlen, peer ? ENOTCONN : EINVAL);
    if ((peer ? getpeername : getsockname)(s->fd, (struct sockaddr *)&sa, &len) < 0)
        return inet_reply_error(out, outlen, errno);
    uint8_t enc[19];
    return inet_reply(out, outlen, enc, inet_addr_encode(&sa, enc));
}

static void put32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

static bool op_getstat(Port *p, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    uint8_t *r = malloc(n * 9 + 1);
    if (!r) abort();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        switch (d[i]) {
        case 1: v = s->recv_cnt; break;
        case 2: v = s->recv_max; break;
        case 3: v = s->recv_cnt ? s->recv_oct / s->recv_cnt : 0; break;
        case 4: v = 0; break;
        case 5: v = s->send_cnt; break;
        case 6: v = s->send_max; break;
        case 7: v = s->send_cnt ? s->send_oct / s->send_cnt : 0; break;
        case 8: v = s->olen - s->ooff; break;
        case 9: v = s->recv_oct; break;
        case 10: v = s->send_oct; break;
        default: free(r); return inet_reply_error(out, outlen, EINVAL);
        }
        r[k++] = d[i];
        if (d[i] == 9 || d[i] == 10) {
            put32(r + k, (uint32_t)(v >> 32));
            k += 4;
        }
        put32(r + k, (uint32_t)v);
        k += 4;
    }
    inet_reply(out, outlen, r, k);
    free(r);
    return true;
}

static bool op_subscribe(Port *p, Term caller, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    uint8_t *r = malloc(n * 5 + 1);
    if (!r) abort();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (d[i] != 1) { /* INET_SUBS_EMPTY_OUT_Q is the only subscription */
            free(r);
            return inet_reply_error(out, outlen, EINVAL);
        }
        uint32_t q = (uint32_t)(s->olen - s->ooff);
        if (q) s->subscriber = caller;
        r[k++] = 1;
        put32(r + k, q);
        k += 4;
    }
    inet_reply(out, outlen, r, k);
    free(r);
    return true;
}

static bool op_status(Port *p, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    uint32_t f = s->fd >= 0 ? INET_F_OPEN : 0;
    if (s->bound && s->tcp) f |= INET_F_BOUND; /* OTP's UDP sockets say only open */
    if (s->connected) f |= INET_F_ACTIVE;
    if (s->listening) f |= INET_F_LISTEN;
    if (s->connecting) f |= INET_F_CON;
    if (s->listening && s->nw) f |= INET_F_ACC;
    uint8_t r[4];
    put32(r, f);
    return inet_reply(out, outlen, r, 4);
}

static bool op_type(Port *p, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    if (s->fd < 0) return inet_reply_error(out, outlen, EINVAL);
    uint8_t r[8];
    put32(r, s->family == AF_INET6 ? INET_AF_INET6 : INET_AF_INET);
    put32(r + 4, s->tcp ? INET_TYPE_STREAM : INET_TYPE_DGRAM);
    return inet_reply(out, outlen, r, 8);
}

static bool control(Port *p, Term caller, uint64_t op64, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    if (op64 < INET_CTL_BASE) return false;
    unsigned op = (unsigned)(op64 - INET_CTL_BASE);
    InetSock *s = inet_sock(p);
    switch (op) {
    case INET_REQ_OPEN: return op_open(p, d, n, out, outlen);
    case INET_REQ_BIND: return op_bind(p, d, n, out, outlen);
    case INET_REQ_NAME: return op_name(p, false, out, outlen);
    case INET_REQ_PEER: return op_name(p, true, out, outlen);
    case INET_REQ_GETSTAT: return op_getstat(p, d, n, out, outlen);
    case INET_REQ_SUBSCRIBE: return op_subscribe(p, caller, d, n, out, outlen);
    case INET_REQ_GETSTATUS: return op_status(p, out, outlen);
    case INET_REQ_GETTYPE: return op_type(p, out, outlen);
    case INET_REQ_GETHOSTNAME: return inet_gethostname(out, outlen);
    case INET_REQ_GETIFADDRS: return inet_getifaddrs(out, outlen);
    case INET_REQ_GETIFLIST: return inet_getiflist(out, outlen);
    case INET_REQ_GETSERVBYNAME: return inet_getservbyname(d, n, out, outlen);
    case INET_REQ_GETSERVBYPORT: return inet_getservbyport(d, n, out, outlen);
    case INET_REQ_GETFD: {
        if (s->fd < 0) return inet_reply_error(out, outlen, EINVAL);
        uint8_t r[4];
        put32(r, (uint32_t)s->fd);
        return inet_reply(out, outlen, r, 4);
    }
    case INET_REQ_SETOPTS: {
        int err = inet_setopts(p, d, n);
        if (err) return inet_reply_error(out, outlen, err);
        inet_repoll(p);
        return inet_reply(out, outlen, NULL, 0);
    }
    case INET_REQ_GETOPTS: {
        int err = inet_getopts(p, d, n, out, outlen);
        return err ? inet_reply_error(out, outlen, err) : true;
    }
    default:
        if (s->tcp) return inet_tcp_control(p, caller, op, d, n, out, outlen);
        return inet_udp_control(p, caller, op, d, n, out, outlen);
    }
}

/* ---- the driver ---- */

static bool start(Port *p, bool tcp)
{
    InetSock *s = calloc(1, sizeof *s);
    if (!s) return false;
    s->tcp = tcp;
    s->fd = s->tfd = -1;
    s->subscriber = NIL;
    inet_opts_default(&s->o, tcp);
    p->drv_data = s;
    return true;
}

static bool start_tcp(Port *p) { return start(p, true); }
static bool start_udp(Port *p) { return start(p, false); }

/* Whoever still waits (an accept in another process, a recv) learns {error, closed}. */
static void release(Port *p)
{
    InetSock *s = inet_sock(p);
    inet_wait_fail_all(p, AM_closed);
    if (s->connecting) inet_send_async_error(p, s->conn.caller, s->conn.ref, AM_closed);
    inet_close_fd(p);
    if (s->tfd >= 0) {
        port_poll_driver_fd(p, s->tfd, 2, 0, &s->tfd_polled);
        close(s->tfd);
    }
    free(s->w);
    free(s->ibuf);
    free(s->obuf);
    free(s);
    p->drv_data = NULL;
}

static void command(Port *p, Term caller, const uint8_t *d, size_t n)
{
    p->output_bytes += n;
    if (inet_sock(p)->tcp) inet_tcp_command(p, caller, d, n);
    else inet_udp_command(p, caller, d, n);
    if (!p->closed) inet_repoll(p);
}

static void event(Port *p, unsigned slot, uint32_t events)
{
    InetSock *s = inet_sock(p);
    if (slot == 2) inet_expire(p);
    else if (s->tcp) inet_tcp_event(p, events);
    else if (s->fd >= 0) inet_udp_input(p);
    if (!is_value(p->doom)) inet_repoll(p);
}

static bool control_and_repoll(Port *p, Term caller, uint64_t op, const uint8_t *d, size_t n, uint8_t **out,
                               size_t *outlen)
{
    bool ok = control(p, caller, op, d, n, out, outlen);
    if (!is_value(p->doom)) inet_repoll(p);
    return ok;
}

static void no_deferred(void) {}

static const PortDriver tcp_driver = {"tcp_inet", start_tcp, command, control_and_repoll, event, release,
                                      inet_tcp_flush_accepts, NULL, false};
static const PortDriver udp_driver = {"udp_inet", start_udp, command, control_and_repoll, event, release,
                                      no_deferred, NULL, false};

const PortDriver *inet_driver(const char *name)
{
    if (!strcmp(name, "tcp_inet")) return &tcp_driver;
    if (!strcmp(name, "udp_inet")) return &udp_driver;
    return NULL;
}
