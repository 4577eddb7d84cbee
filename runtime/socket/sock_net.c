/*
 * sock_net.c - prim_net's natives (the `net` module): host name, name and
 * address look-ups, network interfaces. The look-ups run on a dirty I/O
 * scheduler (they may ask DNS); errors are OTP's atoms (enoname, enodev...).
 */
#define _GNU_SOURCE
#include "runtime/socket/sock.h"

#include "runtime/bif/bif.h"
#include "runtime/bif/iodata.h"
#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/map.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

Term bif_prim_net_nif_info_0(Process *p, const Term *args)
{
    (void)args;
    Term k = atom_from_cstr("debug"), v = AM_false;
    return map_from_pairs(p, &k, &v, 1);
}

Term bif_prim_net_nif_command_1(Process *p, const Term *args)
{
    Term cmd = is_map(args[0]) ? map_get(args[0], atom_from_cstr("command")) : THE_NON_VALUE;
    if (is_value(cmd) && cmd == atom_from_cstr("debug")) return AM_ok;
    return heap_tuple2(p, AM_error, heap_tuple2(p, atom_from_cstr("invalid"), args[0]));
}

Term bif_prim_net_nif_gethostname_0(Process *p, const Term *args)
{
    (void)args;
    char name[256];
    if (gethostname(name, sizeof name) != 0) return sock_error(p, errno);
    name[sizeof name - 1] = 0;
    return heap_tuple2(p, AM_ok, heap_string(p, name, strlen(name)));
}

/* getaddrinfo's and getnameinfo's EAI_* codes as OTP names them. */
static Term eai_atom(int code)
{
    switch (code) {
    case EAI_ADDRFAMILY: return atom_from_cstr("eaddrfamily");
    case EAI_AGAIN: return atom_from_cstr("eagain");
    case EAI_BADFLAGS: return atom_from_cstr("ebadflags");
    case EAI_FAIL: return atom_from_cstr("efail");
    case EAI_FAMILY: return atom_from_cstr("efamily");
    case EAI_MEMORY: return atom_from_cstr("emem");
    case EAI_NODATA: return atom_from_cstr("enodata");
    case EAI_NONAME: return atom_from_cstr("enoname");
    case EAI_SERVICE: return atom_from_cstr("eservice");
    case EAI_SOCKTYPE: return atom_from_cstr("esocktype");
    case EAI_OVERFLOW: return atom_from_cstr("eoverflow");
    default: return sock_errno_atom(errno);
    }
}

/* A string argument (or undefined) as a C string; false if it is neither. */
static bool c_string(Term t, IoBuf *b, const char **out)
{
    *out = NULL;
    if (t == AM_undefined) return true;
    if (!iodata_append(b, t, true) || (b->len && memchr(b->data, 0, b->len)) || !iobuf_put(b, "", 1)) return false;
    *out = (const char *)b->data;
    return true;
}

/* getaddrinfo(Host, Service, Hints): {ok, [#{family, type, protocol, addr}]}; hints are not read. */
Term bif_prim_net_nif_getaddrinfo_3(Process *p, const Term *args)
{
    IoBuf hb = {0}, sb = {0};
    const char *host, *service;
    if (!c_string(args[0], &hb, &host) || !c_string(args[1], &sb, &service)) {
        free(hb.data), free(sb.data);
        return bif_error(p, AM_badarg);
    }
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, service, NULL, &res);
    free(hb.data), free(sb.data);
    if (rc != 0) return heap_tuple2(p, AM_error, eai_atom(rc));
    size_t n = 0;
    for (struct addrinfo *a = res; a; a = a->ai_next) n++;
    Term *items = malloc((n ? n : 1) * sizeof *items);
    if (!items) abort();
    size_t i = 0;
    for (struct addrinfo *a = res; a; a = a->ai_next, i++) {
        Term k[] = {AM_addr, AM_family, AM_protocol, AM_type};
        Term v[] = {sock_addr_encode(p, a->ai_addr, a->ai_addrlen), sock_domain_atom(a->ai_family),
                    make_small(a->ai_protocol), sock_type_atom(a->ai_socktype)};
        items[i] = map_from_pairs(p, k, v, 4);
    }
    freeaddrinfo(res);
    Term list = NIL;
    while (i-- > 0) list = heap_cons(p, items[i], list);
    free(items);
    return heap_tuple2(p, AM_ok, list);
}

/* getnameinfo(SockAddr, Flags): {ok, #{host, service}} */
Term bif_prim_net_nif_getnameinfo_2(Process *p, const Term *args)
{
    static const struct {
        const char *name;
        int bit;
    } flag_names[] = {{"namereqd", NI_NAMEREQD}, {"dgram", NI_DGRAM}, {"nofqdn", NI_NOFQDN},
                      {"numerichost", NI_NUMERICHOST}, {"numericserv", NI_NUMERICSERV}};
    int flags = 0;
    Term l = args[1];
    for (; is_list(l); l = list_tail(l)) {
        Term f = list_head(l);
        size_t i = 0;
        while (i < 5 && (!is_atom(f) || strcmp(atom_text(f), flag_names[i].name))) i++;
        if (i == 5) return bif_error(p, AM_badarg);
        flags |= flag_names[i].bit;
    }
    if (l != NIL && l != AM_undefined) return bif_error(p, AM_badarg);
    struct sockaddr_storage sa;
    socklen_t len;
    if (!sock_addr_decode(args[0], &sa, &len)) return bif_error(p, AM_badarg);
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    int rc = getnameinfo((struct sockaddr *)&sa, len, host, sizeof host, serv, sizeof serv, flags);
    if (rc != 0) return heap_tuple2(p, AM_error, eai_atom(rc));
    Term k[] = {atom_from_cstr("host"), atom_from_cstr("service")};
    Term v[] = {heap_string(p, host, strlen(host)), heap_string(p, serv, strlen(serv))};
    return heap_tuple2(p, AM_ok, map_from_pairs(p, k, v, 2));
}

static Term if_flags(Process *p, unsigned f)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{IFF_UP, "up"},           {IFF_BROADCAST, "broadcast"}, {IFF_DEBUG, "debug"},
                 {IFF_LOOPBACK, "loopback"}, {IFF_POINTOPOINT, "pointopoint"}, {IFF_NOTRAILERS, "notrailers"},
                 {IFF_RUNNING, "running"}, {IFF_NOARP, "noarp"},       {IFF_PROMISC, "promisc"},
                 {IFF_ALLMULTI, "allmulti"}, {IFF_MASTER, "master"},     {IFF_SLAVE, "slave"},
                 {IFF_MULTICAST, "multicast"}, {IFF_PORTSEL, "portsel"}, {IFF_AUTOMEDIA, "automedia"},
                 {IFF_DYNAMIC, "dynamic"}};
    Term l = NIL;
    for (size_t i = sizeof names / sizeof *names; i-- > 0;)
        if (f & names[i].bit) l = heap_cons(p, atom_from_cstr(names[i].name), l);
    return l;
}

static socklen_t addr_len(const struct sockaddr *sa)
{
    return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

/* getifaddrs(Extra): the interfaces' IPv4 and IPv6 addresses, in the system's order. */
Term bif_prim_net_nif_getifaddrs_1(Process *p, const Term *args)
{
    (void)args;
    struct ifaddrs *ifs;
    if (getifaddrs(&ifs) != 0) return sock_error(p, errno);
    size_t n = 0;
    for (struct ifaddrs *a = ifs; a; a = a->ifa_next) n++;
    Term *items = malloc((n ? n : 1) * sizeof *items);
    if (!items) abort();
    size_t i = 0;
    for (struct ifaddrs *a = ifs; a; a = a->ifa_next) {
        if (!a->ifa_addr || (a->ifa_addr->sa_family != AF_INET && a->ifa_addr->sa_family != AF_INET6)) continue;
        Term k[5], v[5];
        size_t m = 0;
        k[m] = AM_addr, v[m++] = sock_addr_encode(p, a->ifa_addr, addr_len(a->ifa_addr));
        if ((a->ifa_flags & IFF_BROADCAST) && a->ifa_broadaddr && a->ifa_addr->sa_family == AF_INET)
            k[m] = atom_from_cstr("broadaddr"), v[m++] = sock_addr_encode(p, a->ifa_broadaddr, addr_len(a->ifa_broadaddr));
        if ((a->ifa_flags & IFF_POINTOPOINT) && a->ifa_dstaddr)
            k[m] = atom_from_cstr("dstaddr"), v[m++] = sock_addr_encode(p, a->ifa_dstaddr, addr_len(a->ifa_dstaddr));
        k[m] = atom_from_cstr("flags"), v[m++] = if_flags(p, a->ifa_flags);
        k[m] = atom_from_cstr("name"), v[m++] = heap_string(p, a->ifa_name, strlen(a->ifa_name));
        if (a->ifa_netmask)
            k[m] = atom_from_cstr("netmask"), v[m++] = sock_addr_encode(p, a->ifa_netmask, addr_len(a->ifa_addr));
        items[i++] = map_from_pairs(p, k, v, m);
    }
    freeifaddrs(ifs);
    Term list = NIL;
    while (i-- > 0) list = heap_cons(p, items[i], list);
    free(items);
    return heap_tuple2(p, AM_ok, list);
}

Term bif_prim_net_nif_if_name2index_1(Process *p, const Term *args)
{
    IoBuf b = {0};
    const char *name;
    if (args[0] == AM_undefined || !c_string(args[0], &b, &name)) {
        free(b.data);
        return bif_error(p, AM_badarg);
    }
    unsigned idx = if_nametoindex(name);
    int err = errno;
    free(b.data);
    return idx ? heap_tuple2(p, AM_ok, make_small(idx)) : sock_error(p, err);
}

Term bif_prim_net_nif_if_index2name_1(Process *p, const Term *args)
{
    if (!is_small(args[0]) || small_val(args[0]) < 0 || small_val(args[0]) > UINT32_MAX) return bif_error(p, AM_badarg);
    char name[IF_NAMESIZE];
    if (!if_indextoname((unsigned)small_val(args[0]), name)) return sock_error(p, errno);
    return heap_tuple2(p, AM_ok, heap_string(p, name, strlen(name)));
}

Term bif_prim_net_nif_if_names_0(Process *p, const Term *args)
{
    (void)args;
    struct if_nameindex *ni = if_nameindex();
    if (!ni) return sock_error(p, errno);
    size_t n = 0;
    while (ni[n].if_index) n++;
    Term list = NIL;
    while (n-- > 0)
        list = heap_cons(p, heap_tuple2(p, make_small(ni[n].if_index), heap_string(p, ni[n].if_name, strlen(ni[n].if_name))),
                         list);
    if_freenameindex(ni);
    return heap_tuple2(p, AM_ok, list);
}
