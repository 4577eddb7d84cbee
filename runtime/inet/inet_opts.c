/*
 * inet_opts.c - INET_REQ_SETOPTS and INET_REQ_GETOPTS (see inet_int.h).
 *
 * Both take a sequence of option codes (kernel's inet_int.hrl), setopts each
 * followed by its value: 32-bit big-endian integers (booleans as 0/1, enums
 * by number), linger as two of them, {active, N} as INET_MULTI and a 16-bit
 * count. getopts answers [Code, Value...] in the same encoding. Socket
 * options go to the kernel (setsockopt/getsockopt); the driver's own
 * (active, mode, packet, ...) live in InetOpts.
 */
#include "runtime/inet/inet_int.h"

#include "runtime/term/atom.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_REUSEADDR = 0, OPT_KEEPALIVE = 1, OPT_DONTROUTE = 2, OPT_LINGER = 3, OPT_BROADCAST = 4,
    OPT_OOBINLINE = 5, OPT_SNDBUF = 6, OPT_RCVBUF = 7, OPT_PRIORITY = 8, OPT_TOS = 9, OPT_NODELAY = 10,
    OPT_MULTICAST_IF = 11, OPT_MULTICAST_TTL = 12, OPT_MULTICAST_LOOP = 13, OPT_IPV6_V6ONLY = 16,
    OPT_TCLASS = 41, OPT_RECVTOS = 43, OPT_RECVTCLASS = 44, OPT_TTL = 46, OPT_RECVTTL = 47,
    LOPT_BUFFER = 20, LOPT_HEADER = 21, LOPT_ACTIVE = 22, LOPT_PACKET = 23, LOPT_MODE = 24, LOPT_DELIVER = 25,
    LOPT_EXITONCLOSE = 26, LOPT_HIWTRMRK = 27, LOPT_LOWTRMRK = 28, LOPT_SEND_TIMEOUT = 30,
    LOPT_DELAY_SEND = 31, LOPT_PACKET_SIZE = 32, LOPT_READ_PACKETS = 33, LOPT_SEND_TIMEOUT_CLOSE = 35,
    LOPT_MSGQ_HIWTRMRK = 36, LOPT_MSGQ_LOWTRMRK = 37, LOPT_SHOW_ECONNRESET = 39, LOPT_LINE_DELIM = 40,
};

void inet_opts_default(InetOpts *o, bool tcp)
{
    *o = (InetOpts){.active = INET_PASSIVE, .packet = TCP_PB_RAW, .buffer = tcp ? 1460 : 9216,
                    .line_delim = '\n', .exit_on_close = true, .send_timeout = -1, .high_watermark = 8192,
                    .low_watermark = 4096, .high_msgq = 8192, .low_msgq = 4096, .read_packets = 5,
                    .deliver = 1};
}

/* IPv6's traffic class options mean nothing to an IPv4 socket: OTP's driver leaves them out of
   getopts and ignores them in setopts. */
static bool v6_only(int code, int family)
{
    return (code == OPT_TCLASS || code == OPT_RECVTCLASS) && family != AF_INET6;
}

/* A socket option's level and name, or false for a driver option. */
static bool sockopt_of(int code, int family, int *level, int *name)
{
    static const struct {
        int code, level, name;
    } map[] = {
        {OPT_REUSEADDR, SOL_SOCKET, SO_REUSEADDR},     {OPT_KEEPALIVE, SOL_SOCKET, SO_KEEPALIVE},
        {OPT_DONTROUTE, SOL_SOCKET, SO_DONTROUTE},     {OPT_LINGER, SOL_SOCKET, SO_LINGER},
        {OPT_BROADCAST, SOL_SOCKET, SO_BROADCAST},     {OPT_OOBINLINE, SOL_SOCKET, SO_OOBINLINE},
        {OPT_SNDBUF, SOL_SOCKET, SO_SNDBUF},           {OPT_RCVBUF, SOL_SOCKET, SO_RCVBUF},
        {OPT_PRIORITY, SOL_SOCKET, SO_PRIORITY},       {OPT_NODELAY, IPPROTO_TCP, TCP_NODELAY},
        {OPT_MULTICAST_TTL, IPPROTO_IP, IP_MULTICAST_TTL}, {OPT_MULTICAST_LOOP, IPPROTO_IP, IP_MULTICAST_LOOP},
        {OPT_IPV6_V6ONLY, IPPROTO_IPV6, IPV6_V6ONLY},  {OPT_TCLASS, IPPROTO_IPV6, IPV6_TCLASS},
        {OPT_RECVTCLASS, IPPROTO_IPV6, IPV6_RECVTCLASS}, {OPT_RECVTOS, IPPROTO_IP, IP_RECVTOS},
        {OPT_TTL, IPPROTO_IP, IP_TTL},                 {OPT_RECVTTL, IPPROTO_IP, IP_RECVTTL},
    };
    if (code == OPT_TOS) {
        *level = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
        *name = family == AF_INET6 ? IPV6_TCLASS : IP_TOS;
        return true;
    }
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].code == code) {
            *level = map[i].level;
            *name = map[i].name;
            return true;
        }
    return false;
}

static int32_t get32(const uint8_t *d) { return (int32_t)((uint32_t)d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3]); }

static void put32(uint8_t *b, int32_t v)
{
    b[0] = (uint8_t)((uint32_t)v >> 24);
    b[1] = (uint8_t)((uint32_t)v >> 16);
    b[2] = (uint8_t)((uint32_t)v >> 8);
    b[3] = (uint8_t)v;
}

/* ---- setopts ---- */

static int set_active(Port *p, const uint8_t *d, size_t n, size_t *used)
{
    InetSock *s = inet_sock(p);
    int32_t v = get32(d);
    *used = 4;
    if (v < INET_PASSIVE || v > INET_MULTI) return EINVAL;
    if (v != INET_MULTI) {
        s->o.active = v;
        return 0;
    }
    if (n < 6) return EINVAL;
    int16_t add = (int16_t)(d[4] << 8 | d[5]);
    *used = 6;
    int32_t count = (s->o.active == INET_MULTI ? s->o.active_n : 0) + add;
    if (count > 32767) return EINVAL;
    if (count <= 0) {
        s->o.active = INET_PASSIVE;
        s->o.active_n = 0;
        inet_send_tag(p, p->owner, s->tcp ? AM_tcp_passive : AM_udp_passive);
        return 0;
    }
    s->o.active = INET_MULTI;
    s->o.active_n = count;
    return 0;
}

static int set_driver_opt(Port *p, int code, int32_t v)
{
    InetOpts *o = &inet_sock(p)->o;
    switch (code) {
    case LOPT_BUFFER: if (v <= 0) return EINVAL; o->buffer = (uint32_t)v; break;
    case LOPT_HEADER: if (v < 0) return EINVAL; o->header = (uint32_t)v; break;
    case LOPT_PACKET:
        if (v != TCP_PB_RAW && v != TCP_PB_1 && v != TCP_PB_2 && v != TCP_PB_4 && v != TCP_PB_LINE_LF)
            return EINVAL; /* the protocol parsers (http, asn1, ...) are not here */
        o->packet = v;
        break;
    case LOPT_MODE: if (v != 0 && v != 1) return EINVAL; o->binary = v == 1; break;
    case LOPT_DELIVER: o->deliver = v; break;
    case LOPT_EXITONCLOSE: o->exit_on_close = v != 0; break;
    case LOPT_HIWTRMRK: o->high_watermark = v; break;
    case LOPT_LOWTRMRK: o->low_watermark = v; break;
    case LOPT_SEND_TIMEOUT: o->send_timeout = v; break;
    case LOPT_DELAY_SEND: o->delay_send = v != 0; break;
    case LOPT_PACKET_SIZE: if (v < 0) return EINVAL; o->packet_size = (uint32_t)v; break;
    case LOPT_READ_PACKETS: if (v <= 0) return EINVAL; o->read_packets = (uint32_t)v; break;
    case LOPT_SEND_TIMEOUT_CLOSE: o->send_timeout_close = v != 0; break;
    case LOPT_MSGQ_HIWTRMRK: o->high_msgq = v; break;
    case LOPT_MSGQ_LOWTRMRK: o->low_msgq = v; break;
    case LOPT_SHOW_ECONNRESET: o->show_econnreset = v != 0; break;
    case LOPT_LINE_DELIM: o->line_delim = v & 0xFF; break;
    default: return EINVAL;
    }
    return 0;
}

static int set_socket_opt(InetSock *s, int code, const uint8_t *d, size_t n, size_t *used)
{
    int level, name;
    if (s->fd < 0) return EINVAL;
    if (code == OPT_LINGER) {
        if (n < 8) return EINVAL;
        struct linger l = {get32(d) != 0, get32(d + 4)};
        *used = 8;
        return setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) < 0 ? errno : 0;
    }
    if (code == OPT_MULTICAST_IF) {
        *used = 4;
        struct in_addr a;
        memcpy(&a, d, 4);
        return setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_IF, &a, sizeof a) < 0 ? errno : 0;
    }
    if (!sockopt_of(code, s->family, &level, &name)) return EINVAL;
    int v = get32(d);
    *used = 4;
    if (v6_only(code, s->family)) return 0;
    if (level == IPPROTO_TCP && !s->tcp) return 0; /* nodelay on a UDP socket: OTP ignores it */
    return setsockopt(s->fd, level, name, &v, sizeof v) < 0 ? errno : 0;
}

int inet_setopts(Port *p, const uint8_t *d, size_t n)
{
    InetSock *s = inet_sock(p);
    int was_active = s->o.active;
    while (n > 0) {
        int code = d[0];
        d++, n--;
        if (n < 4) return EINVAL;
        size_t used = 4;
        int err = code == LOPT_ACTIVE ? set_active(p, d, n, &used)
                  : code >= LOPT_BUFFER && code <= LOPT_LINE_DELIM && code != 34 ? set_driver_opt(p, code, get32(d))
                                                      : set_socket_opt(s, code, d, n, &used);
        if (err) return err;
        d += used, n -= used;
    }
    if (s->tcp && was_active == INET_PASSIVE && s->o.active != INET_PASSIVE && s->connected) inet_tcp_input(p);
    return 0;
}

/* ---- getopts ---- */

static int32_t driver_opt_value(const InetOpts *o, int code, bool *known)
{
    *known = true;
    switch (code) {
    case LOPT_BUFFER: return (int32_t)o->buffer;
    case LOPT_HEADER: return (int32_t)o->header;
    case LOPT_PACKET: return o->packet;
    case LOPT_MODE: return o->binary;
    case LOPT_DELIVER: return o->deliver;
    case LOPT_EXITONCLOSE: return o->exit_on_close;
    case LOPT_HIWTRMRK: return o->high_watermark;
    case LOPT_LOWTRMRK: return o->low_watermark;
    case LOPT_SEND_TIMEOUT: return o->send_timeout;
    case LOPT_DELAY_SEND: return o->delay_send;
    case LOPT_PACKET_SIZE: return (int32_t)o->packet_size;
    case LOPT_READ_PACKETS: return (int32_t)o->read_packets;
    case LOPT_SEND_TIMEOUT_CLOSE: return o->send_timeout_close;
    case LOPT_MSGQ_HIWTRMRK: return o->high_msgq;
    case LOPT_MSGQ_LOWTRMRK: return o->low_msgq;
    case LOPT_SHOW_ECONNRESET: return o->show_econnreset;
    default: *known = false; return 0; /* line_delimiter too: OTP's getopts does not know it */
    }
}

#define SKIP (-1000) /* get_one: an option this socket leaves out */

/* Appends one option's value at r (room for 9 bytes); the bytes written, SKIP, or -errno. */
static int get_one(InetSock *s, int code, uint8_t *r)
{
    if (code == LOPT_ACTIVE) {
        put32(r, s->o.active);
        if (s->o.active != INET_MULTI) return 4;
        r[4] = (uint8_t)(s->o.active_n >> 8);
        r[5] = (uint8_t)s->o.active_n;
        return 6;
    }
    if (code == LOPT_READ_PACKETS && s->tcp) return SKIP;
    bool known;
    int32_t v = driver_opt_value(&s->o, code, &known);
    if (known) {
        put32(r, v);
        return 4;
    }
    if (s->fd < 0) return -EINVAL;
    if (code == OPT_LINGER) {
        struct linger l;
        socklen_t len = sizeof l;
        if (getsockopt(s->fd, SOL_SOCKET, SO_LINGER, &l, &len) < 0) return -errno;
        put32(r, l.l_onoff);
        put32(r + 4, l.l_linger);
        return 8;
    }
    if (code == OPT_MULTICAST_IF) {
        struct in_addr a;
        socklen_t len = sizeof a;
        if (getsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_IF, &a, &len) < 0) return -errno;
        memcpy(r, &a, 4);
        return 4;
    }
    int level, name, iv = 0;
    if (!sockopt_of(code, s->family, &level, &name)) return -EINVAL;
    if (v6_only(code, s->family)) return SKIP;
    socklen_t len = sizeof iv;
    if (level == IPPROTO_TCP && !s->tcp) iv = 0;
    else if (getsockopt(s->fd, level, name, &iv, &len) < 0) return -errno;
    put32(r, iv);
    return 4;
}

int inet_getopts(Port *p, const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    InetSock *s = inet_sock(p);
    uint8_t *r = malloc(n * 10 + 1);
    if (!r) abort();
    size_t k = 1;
    for (size_t i = 0; i < n; i++) {
        r[k] = d[i];
        int w = get_one(s, d[i], r + k + 1);
        if (w == SKIP) continue;
        if (w < 0) {
            free(r);
            return -w;
        }
        k += 1 + (size_t)w;
    }
    r[0] = INET_REP_OK;
    *out = r;
    *outlen = k;
    return 0;
}
