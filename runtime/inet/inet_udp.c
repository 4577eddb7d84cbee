/*
 * inet_udp.c - udp_inet's own operations (see inet_int.h): sending a
 * datagram (port_command of [F, P1, P0, IP..., AncLen:32, Anc..., Data...],
 * the ancillary options (tos, ttl per datagram) left unused), receiving
 * them ({udp, S, IP, Port, Data} in active mode, else the oldest waiting
 * recv), and connect for a default peer.
 */
#define _GNU_SOURCE
#include "runtime/inet/inet_int.h"

#include "runtime/port/port_errno.h"
#include "runtime/term/atom.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DATAGRAM_MAX 65536

static int32_t get32(const uint8_t *d) { return (int32_t)((uint32_t)d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3]); }

void inet_udp_command(Port *p, Term caller, const uint8_t *d, size_t n)
{
    InetSock *s = inet_sock(p);
    struct sockaddr_storage sa;
    socklen_t len;
    size_t used;
    if (s->fd < 0) {
        inet_send_reply_error(p, caller, atom_from_cstr("enotconn"));
        return;
    }
    if (!inet_addr_decode(s, d, n, &sa, &len, &used) || n - used < 4 ||
        n - used - 4 < (size_t)get32(d + used)) {
        inet_send_reply_error(p, caller, AM_einval);
        return;
    }
    used += 4 + (size_t)get32(d + used);
    ssize_t r;
    while ((r = sendto(s->fd, d + used, n - used, 0, (struct sockaddr *)&sa, len)) < 0 && errno == EINTR) {
    }
    /* a full socket buffer drops the datagram, as the network may: not an error */
    if (r < 0 && errno != EAGAIN) {
        inet_send_reply_error(p, caller, port_errno_atom(errno));
        return;
    }
    s->send_cnt++;
    s->send_oct += n - used;
    if (n - used > s->send_max) s->send_max = n - used;
    inet_send_reply(p, caller, AM_ok);
}

void inet_udp_input(Port *p)
{
    InetSock *s = inet_sock(p);
    if (!s->ibuf) {
        s->ibuf = malloc(DATAGRAM_MAX);
        if (!s->ibuf) abort();
        s->icap = DATAGRAM_MAX;
    }
    for (uint32_t i = 0; i < s->o.read_packets; i++) {
        const InetWait *w = s->nw ? &s->w[0] : NULL;
        if (!w && s->o.active == INET_PASSIVE) return;
        struct sockaddr_storage sa;
        socklen_t len = sizeof sa;
        ssize_t r = recvfrom(s->fd, s->ibuf, s->icap, 0, (struct sockaddr *)&sa, &len);
        if (r < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return;
            /* an ICMP error for an earlier datagram (econnrefused): OTP reports it to a waiter */
            if (w) {
                inet_send_async_error(p, w->caller, w->ref, port_errno_atom(errno));
                inet_wait_pop(s);
            }
            continue;
        }
        s->recv_cnt++;
        s->recv_oct += (uint64_t)r;
        if ((uint64_t)r > s->recv_max) s->recv_max = (uint64_t)r;
        inet_send_udp_data(p, w, &sa, s->ibuf, (size_t)r);
        if (w) inet_wait_pop(s);
        else inet_after_active_message(p, AM_udp_passive);
    }
}

static bool op_recv(Port *p, Term caller, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    if (n != 8) return inet_reply_error(out, outlen, EINVAL);
    if (s->fd < 0) return inet_reply_error(out, outlen, ENOTCONN);
    if (s->o.active != INET_PASSIVE) return inet_reply_error(out, outlen, EINVAL);
    uint16_t ref = inet_wait_push(s, caller, get32(d), 0);
    inet_reply_ref(out, outlen, ref);
    inet_udp_input(p);
    return true;
}

/* connect on a UDP socket sets its default peer; prim_inet waits for the result as for TCP. */
static bool op_connect(Port *p, Term caller, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    struct sockaddr_storage sa;
    socklen_t len;
    size_t used;
    if (s->fd < 0 || n < 4) return inet_reply_error(out, outlen, EINVAL);
    if (!inet_addr_decode(s, d + 4, n - 4, &sa, &len, &used)) return inet_reply_error(out, outlen, EINVAL);
    if (connect(s->fd, (struct sockaddr *)&sa, len) < 0) return inet_reply_error(out, outlen, errno);
    uint16_t ref = s->next_ref++;
    inet_send_async(p, caller, ref, AM_ok);
    return inet_reply_ref(out, outlen, ref);
}

bool inet_udp_control(Port *p, Term caller, unsigned op, const uint8_t *d, size_t n, uint8_t **out,
                      size_t *outlen)
{
    switch (op) {
    case PACKET_REQ_RECV: return op_recv(p, caller, d, n, out, outlen);
    case INET_REQ_CONNECT: return op_connect(p, caller, d, n, out, outlen);
    default: return inet_reply_error_name(out, outlen, "exbadport"); /* OTP's answer to an unknown op */
    }
}
