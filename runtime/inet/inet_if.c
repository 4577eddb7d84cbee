/*
 * inet_if.c - the host's name and network interfaces (see inet_int.h):
 * INET_REQ_GETHOSTNAME, INET_REQ_GETIFADDRS and INET_REQ_GETIFLIST, and the
 * services database (INET_REQ_GETSERVBYNAME, INET_REQ_GETSERVBYPORT).
 *
 * getifaddrs is answered as prim_inet decodes it: for each entry of the C
 * library's getifaddrs(3), the interface's name and a 0, then options as
 * [Code, Value...] (flags as a 32-bit mask of INET_IFF_*, addresses as
 * [Family, IP...], the hardware address as [Len:16, Bytes...]) and a 0;
 * prim_inet merges the entries of one interface.
 */
#define _GNU_SOURCE
#include "runtime/inet/inet_int.h"

#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { IFOPT_ADDR = 1, IFOPT_BROADADDR = 2, IFOPT_DSTADDR = 3, IFOPT_NETMASK = 5, IFOPT_FLAGS = 6, IFOPT_HWADDR = 7 };
enum { IFF_UP_ = 0x1, IFF_BROADCAST_ = 0x2, IFF_LOOPBACK_ = 0x4, IFF_P2P_ = 0x8, IFF_RUNNING_ = 0x10,
       IFF_MULTICAST_ = 0x20 };

bool inet_gethostname(uint8_t **out, size_t *outlen)
{
    char name[HOST_NAME_MAX + 1];
    if (gethostname(name, sizeof name) < 0) return inet_reply_error(out, outlen, errno);
    name[HOST_NAME_MAX] = 0;
    return inet_reply(out, outlen, (const uint8_t *)name, strlen(name));
}

typedef struct Buf {
    uint8_t *d;
    size_t len, cap;
} Buf;

static void put(Buf *b, const void *d, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 256;
        b->d = realloc(b->d, b->cap);
        if (!b->d) abort();
    }
    memcpy(b->d + b->len, d, n);
    b->len += n;
}

static void put_byte(Buf *b, uint8_t c) { put(b, &c, 1); }

static void put_sockaddr(Buf *b, uint8_t code, const struct sockaddr *sa)
{
    put_byte(b, code);
    if (sa->sa_family == AF_INET6) {
        put_byte(b, INET_AF_INET6);
        put(b, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    } else {
        put_byte(b, INET_AF_INET);
        put(b, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    }
}

static uint32_t flags_of(unsigned f)
{
    return (f & IFF_UP ? IFF_UP_ : 0) | (f & IFF_BROADCAST ? IFF_BROADCAST_ : 0) |
           (f & IFF_LOOPBACK ? IFF_LOOPBACK_ : 0) | (f & IFF_POINTOPOINT ? IFF_P2P_ : 0) |
           (f & IFF_RUNNING ? IFF_RUNNING_ : 0) | (f & IFF_MULTICAST ? IFF_MULTICAST_ : 0);
}

static void put_entry(Buf *b, const struct ifaddrs *ifa)
{
    put(b, ifa->ifa_name, strlen(ifa->ifa_name) + 1);
    uint32_t f = flags_of(ifa->ifa_flags);
    uint8_t fb[5] = {IFOPT_FLAGS, (uint8_t)(f >> 24), (uint8_t)(f >> 16), (uint8_t)(f >> 8), (uint8_t)f};
    put(b, fb, 5);
    const struct sockaddr *a = ifa->ifa_addr;
    if (a && (a->sa_family == AF_INET || a->sa_family == AF_INET6)) {
        put_sockaddr(b, IFOPT_ADDR, a);
        if (ifa->ifa_netmask) put_sockaddr(b, IFOPT_NETMASK, ifa->ifa_netmask);
        if ((ifa->ifa_flags & IFF_BROADCAST) && ifa->ifa_broadaddr)
            put_sockaddr(b, IFOPT_BROADADDR, ifa->ifa_broadaddr);
        else if ((ifa->ifa_flags & IFF_POINTOPOINT) && ifa->ifa_dstaddr)
            put_sockaddr(b, IFOPT_DSTADDR, ifa->ifa_dstaddr);
    } else if (a && a->sa_family == AF_PACKET) {
        const struct sockaddr_ll *ll = (const struct sockaddr_ll *)a;
        uint8_t hb[3] = {IFOPT_HWADDR, 0, ll->sll_halen};
        put(b, hb, 3);
        put(b, ll->sll_addr, ll->sll_halen);
    }
    put_byte(b, 0);
}

bool inet_getifaddrs(uint8_t **out, size_t *outlen)
{
    struct ifaddrs *list;
    if (getifaddrs(&list) < 0) return inet_reply_error(out, outlen, errno);
    Buf b = {0};
    put_byte(&b, INET_REP_OK);
    for (const struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) put_entry(&b, ifa);
    freeifaddrs(list);
    *out = b.d;
    *outlen = b.len;
    return true;
}

/* OTP asks SIOCGIFCONF, which lists the interfaces with an IPv4 address: the same from
   getifaddrs, each name once (prim_inet drops repeats that follow each other). */
bool inet_getiflist(uint8_t **out, size_t *outlen)
{
    struct ifaddrs *list;
    if (getifaddrs(&list) < 0) return inet_reply_error(out, outlen, errno);
    Buf b = {0};
    put_byte(&b, INET_REP_OK);
    for (const struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next)
        if (ifa->ifa_addr && ifa->ifa_addr->sa_family == AF_INET) put(&b, ifa->ifa_name, strlen(ifa->ifa_name) + 1);
    freeifaddrs(list);
    *out = b.d;
    *outlen = b.len;
    return true;
}

/* A length-prefixed string at d (within n) as a C string in buf; the bytes used, or 0. */
static size_t counted(const uint8_t *d, size_t n, char *buf)
{
    if (n < 1 || n - 1 < d[0]) return 0;
    memcpy(buf, d + 1, d[0]);
    buf[d[0]] = 0;
    return 1 + (size_t)d[0];
}

bool inet_getservbyname(const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    char name[256], proto[256];
    size_t a = counted(d, n, name);
    if (!a || !counted(d + a, n - a, proto)) return inet_reply_error(out, outlen, EINVAL);
    struct servent se, *r = NULL;
    char buf[4096];
    if (getservbyname_r(name, proto, &se, buf, sizeof buf, &r) != 0 || !r)
        return inet_reply_error(out, outlen, EINVAL);
    uint16_t port = ntohs((uint16_t)r->s_port);
    uint8_t rep[2] = {(uint8_t)(port >> 8), (uint8_t)port};
    return inet_reply(out, outlen, rep, 2);
}

bool inet_getservbyport(const uint8_t *d, size_t n, uint8_t **out, size_t *outlen)
{
    char proto[256];
    if (n < 3 || !counted(d + 2, n - 2, proto)) return inet_reply_error(out, outlen, EINVAL);
    struct servent se, *r = NULL;
    char buf[4096];
    if (getservbyport_r(htons((uint16_t)(d[0] << 8 | d[1])), proto, &se, buf, sizeof buf, &r) != 0 || !r)
        return inet_reply_error(out, outlen, EINVAL);
    return inet_reply(out, outlen, (const uint8_t *)r->s_name, strlen(r->s_name));
}
