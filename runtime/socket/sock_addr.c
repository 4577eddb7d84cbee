/*
 * sock_addr.c - socket addresses: the maps prim_socket:enc_sockaddr/1 hands
 * the natives (defaults merged in: #{family, port, addr} for inet, plus
 * flowinfo and scope_id for inet6, #{family, path} for local) to native
 * sockaddrs and back.
 */
#include "runtime/socket/sock.h"

#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/binary.h"
#include "runtime/term/map.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>

/* A port: any integer, kept to its low 16 bits as OTP's natives do. */
static bool get_port(Term map, uint16_t *port)
{
    Term v = map_get(map, AM_port);
    if (!is_value(v) || !is_small(v)) return false;
    *port = (uint16_t)small_val(v);
    return true;
}

static bool get_uint(Term map, const char *key, uint64_t max, uint64_t *out)
{
    Term v = map_get(map, atom_from_cstr(key));
    if (!is_value(v) || !is_small(v) || small_val(v) < 0 || (uint64_t)small_val(v) > max) return false;
    *out = (uint64_t)small_val(v);
    return true;
}

static bool ip4_from(Term a, struct in_addr *out)
{
    if (a == AM_any) return out->s_addr = htonl(INADDR_ANY), true;
    if (a == atom_from_cstr("loopback")) return out->s_addr = htonl(INADDR_LOOPBACK), true;
    if (a == atom_from_cstr("broadcast")) return out->s_addr = htonl(INADDR_BROADCAST), true;
    if (!is_tuple(a) || tuple_arity(a) != 4) return false;
    uint8_t *b = (uint8_t *)&out->s_addr;
    for (int i = 0; i < 4; i++) {
        Term e = tuple_elems(a)[i];
        if (!is_small(e) || small_val(e) < 0 || small_val(e) > 255) return false;
        b[i] = (uint8_t)small_val(e);
    }
    return true;
}

static bool ip6_from(Term a, struct in6_addr *out)
{
    if (a == AM_any) return *out = in6addr_any, true;
    if (a == atom_from_cstr("loopback")) return *out = in6addr_loopback, true;
    if (!is_tuple(a) || tuple_arity(a) != 8) return false;
    for (int i = 0; i < 8; i++) {
        Term e = tuple_elems(a)[i];
        if (!is_small(e) || small_val(e) < 0 || small_val(e) > 65535) return false;
        out->s6_addr[2 * i] = (uint8_t)(small_val(e) >> 8);
        out->s6_addr[2 * i + 1] = (uint8_t)small_val(e);
    }
    return true;
}

bool sock_addr_decode(Term map, struct sockaddr_storage *sa, socklen_t *len)
{
    memset(sa, 0, sizeof *sa);
    if (!is_map(map)) return false;
    Term fam = map_get(map, AM_family);
    uint64_t flow, scope;
    uint16_t port;
    if (fam == AM_inet) {
        struct sockaddr_in *in = (struct sockaddr_in *)sa;
        in->sin_family = AF_INET;
        if (!get_port(map, &port) || !ip4_from(map_get(map, AM_addr), &in->sin_addr)) return false;
        in->sin_port = htons(port);
        *len = sizeof *in;
        return true;
    }
    if (fam == AM_inet6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
        in6->sin6_family = AF_INET6;
        if (!get_port(map, &port) || !get_uint(map, "flowinfo", UINT32_MAX, &flow) ||
            !get_uint(map, "scope_id", UINT32_MAX, &scope) || !ip6_from(map_get(map, AM_addr), &in6->sin6_addr))
            return false;
        in6->sin6_port = htons(port);
        in6->sin6_flowinfo = htonl((uint32_t)flow);
        in6->sin6_scope_id = (uint32_t)scope;
        *len = sizeof *in6;
        return true;
    }
    if (fam == AM_local) {
        struct sockaddr_un *un = (struct sockaddr_un *)sa;
        const uint8_t *d;
        size_t n;
        Term path = map_get(map, AM_path);
        if (!is_value(path) || !binary_bytes(path, &d, &n) || n >= sizeof un->sun_path) return false;
        un->sun_family = AF_UNIX;
        memcpy(un->sun_path, d, n);
        /* A path starting with a NUL names Linux's abstract namespace: its length counts. */
        *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (n && d[0] ? 1 : 0));
        return true;
    }
    return false;
}

Term sock_ip4_tuple(Process *p, const void *addr)
{
    const uint8_t *b = addr;
    Term *hp = heap_alloc(p, 5);
    hp[0] = make_tuple_header(4);
    for (int i = 0; i < 4; i++) hp[1 + i] = make_small(b[i]);
    return make_boxed(hp);
}

Term sock_ip6_tuple(Process *p, const void *addr)
{
    const uint8_t *b = addr;
    Term *hp = heap_alloc(p, 9);
    hp[0] = make_tuple_header(8);
    for (int i = 0; i < 8; i++) hp[1 + i] = make_small(b[2 * i] << 8 | b[2 * i + 1]);
    return make_boxed(hp);
}

Term sock_addr_encode(Process *p, const struct sockaddr *sa, socklen_t len)
{
    Term k[5], v[5];
    size_t n = 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const void *)sa;
        k[n] = AM_addr, v[n++] = sock_ip4_tuple(p, &in->sin_addr);
        k[n] = AM_family, v[n++] = AM_inet;
        k[n] = AM_port, v[n++] = make_small(ntohs(in->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const void *)sa;
        k[n] = AM_addr, v[n++] = sock_ip6_tuple(p, &in6->sin6_addr);
        k[n] = AM_family, v[n++] = AM_inet6;
        k[n] = atom_from_cstr("flowinfo"), v[n++] = make_small(ntohl(in6->sin6_flowinfo));
        k[n] = AM_port, v[n++] = make_small(ntohs(in6->sin6_port));
        k[n] = atom_from_cstr("scope_id"), v[n++] = make_small(in6->sin6_scope_id);
    } else if (sa->sa_family == AF_UNIX) {
        const struct sockaddr_un *un = (const void *)sa;
        size_t off = offsetof(struct sockaddr_un, sun_path), plen = len > off ? len - off : 0;
        if (plen && un->sun_path[0]) plen = strnlen(un->sun_path, plen);
        k[n] = AM_family, v[n++] = AM_local;
        k[n] = AM_path, v[n++] = binary_from_bytes(p, (const uint8_t *)un->sun_path, plen);
    } else {
        const uint8_t *d = (const uint8_t *)sa->sa_data;
        size_t dl = len > offsetof(struct sockaddr, sa_data) ? len - offsetof(struct sockaddr, sa_data) : 0;
        k[n] = AM_addr, v[n++] = binary_from_bytes(p, d, dl);
        k[n] = AM_family, v[n++] = sa->sa_family == AF_UNSPEC ? atom_from_cstr("unspec") : make_small(sa->sa_family);
    }
    return map_from_pairs(p, k, v, n);
}
