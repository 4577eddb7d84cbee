/*
 * sock_opt.c - socket options: the table nif_supports(options) reports
 * (OTP 25's names; those erbium does not implement are listed bare, as OTP
 * lists what its platform lacks) and setopt/getopt. An option travels as
 * {NativeLevel, NativeOpt} (the level `socket` as the atom), so the natives
 * find its kind by its numbers. {otp, _} options are the VM's own.
 */
#include "runtime/socket/sock.h"

#include "runtime/bif/bif.h"
#include "runtime/bif/iodata.h"
#include "runtime/etf/etf.h"
#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/binary.h"
#include "runtime/term/map.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>

typedef enum { K_NONE, K_BOOL, K_INT, K_LINGER, K_DOMAIN, K_TYPE, K_PROTO, K_STRING, K_TOS, K_MTUDISC } Kind;

typedef struct OptDef {
    int level; /* native level */
    const char *name;
    int num;   /* native option; -1: not implemented */
    Kind kind;
    bool settable;
} OptDef;

#define S SOL_SOCKET
#define NO(l, n) {l, n, -1, K_NONE, false}
static const OptDef opts[] = {
    {S, "acceptconn", 30, K_BOOL, true}, NO(S, "acceptfilter"), {S, "bindtodevice", 25, K_STRING, true},
    {S, "broadcast", 6, K_BOOL, true}, NO(S, "busy_poll"), {S, "debug", 1, K_INT, true},
    {S, "domain", 39, K_DOMAIN, false}, {S, "dontroute", 5, K_BOOL, true}, NO(S, "error"),
    {S, "keepalive", 9, K_BOOL, true}, {S, "linger", 13, K_LINGER, true}, NO(S, "mark"),
    {S, "oobinline", 10, K_BOOL, true}, {S, "passcred", 16, K_BOOL, true}, {S, "peek_off", 42, K_INT, true},
    NO(S, "peercred"), {S, "priority", 12, K_INT, true}, {S, "protocol", 38, K_PROTO, false},
    {S, "rcvbuf", 8, K_INT, true}, NO(S, "rcvbufforce"), {S, "rcvlowat", 18, K_INT, true}, NO(S, "rcvtimeo"),
    {S, "reuseaddr", 2, K_BOOL, true}, {S, "reuseport", 15, K_BOOL, true}, NO(S, "rxq_ovfl"), NO(S, "setfib"),
    {S, "sndbuf", 7, K_INT, true}, NO(S, "sndbufforce"), {S, "sndlowat", 19, K_INT, true}, NO(S, "sndtimeo"),
    {S, "timestamp", 29, K_BOOL, true}, {S, "type", 3, K_TYPE, false},
    /* ip */
    NO(0, "add_membership"), NO(0, "add_source_membership"), NO(0, "block_source"), NO(0, "dontfrag"),
    NO(0, "drop_membership"), NO(0, "drop_source_membership"), {0, "freebind", 15, K_BOOL, true},
    {0, "hdrincl", 3, K_BOOL, true}, {0, "minttl", 21, K_INT, true}, NO(0, "msfilter"),
    {0, "mtu", 14, K_INT, false}, {0, "mtu_discover", 10, K_MTUDISC, true},
    {0, "multicast_all", 49, K_BOOL, true}, NO(0, "multicast_if"), {0, "multicast_loop", 34, K_BOOL, true},
    {0, "multicast_ttl", 33, K_INT, true}, {0, "nodefrag", 22, K_BOOL, true}, NO(0, "options"),
    {0, "pktinfo", 8, K_BOOL, true}, NO(0, "pktoptions"), NO(0, "recvdstaddr"), {0, "recverr", 11, K_BOOL, true},
    NO(0, "recvif"), {0, "recvopts", 6, K_BOOL, true}, {0, "recvorigdstaddr", 20, K_BOOL, true},
    {0, "recvtos", 13, K_BOOL, true}, {0, "recvttl", 12, K_BOOL, true}, {0, "retopts", 7, K_BOOL, true},
    {0, "router_alert", 5, K_INT, true}, NO(0, "sendsrcaddr"), {0, "tos", 1, K_TOS, true},
    {0, "transparent", 19, K_BOOL, true}, {0, "ttl", 2, K_INT, true}, NO(0, "unblock_source"),
    /* ipv6 */
    NO(41, "add_membership"), NO(41, "addrform"), NO(41, "auth_level"), {41, "authhdr", 10, K_BOOL, true},
    NO(41, "checksum"), NO(41, "drop_membership"), {41, "dstopts", 59, K_BOOL, true},
    NO(41, "esp_network_level"), NO(41, "esp_trans_level"), NO(41, "faith"), {41, "flowinfo", 11, K_BOOL, true},
    {41, "hoplimit", 52, K_BOOL, true}, {41, "hopopts", 54, K_BOOL, true}, NO(41, "ipcomp_level"),
    NO(41, "join_group"), NO(41, "leave_group"), {41, "mtu", 24, K_INT, false},
    {41, "mtu_discover", 23, K_MTUDISC, true}, {41, "multicast_hops", 18, K_INT, true},
    {41, "multicast_if", 17, K_INT, true}, {41, "multicast_loop", 19, K_BOOL, true}, NO(41, "pktoptions"),
    NO(41, "portrange"), {41, "recverr", 25, K_BOOL, true}, {41, "recvhoplimit", 51, K_BOOL, true},
    {41, "recvpktinfo", 49, K_BOOL, true}, {41, "recvtclass", 66, K_BOOL, true},
    {41, "router_alert", 22, K_INT, true}, {41, "rthdr", 57, K_BOOL, true}, {41, "tclass", 67, K_INT, true},
    {41, "unicast_hops", 16, K_INT, true}, NO(41, "use_min_mtu"), {41, "v6only", 26, K_BOOL, true},
    /* tcp */
    {6, "congestion", 13, K_STRING, true}, {6, "cork", 3, K_BOOL, true}, NO(6, "info"), NO(6, "keepcnt"),
    NO(6, "keepidle"), NO(6, "keepintvl"), {6, "maxseg", 2, K_INT, true}, NO(6, "md5sig"),
    {6, "nodelay", 1, K_BOOL, true}, NO(6, "noopt"), NO(6, "nopush"), NO(6, "syncnt"), NO(6, "user_timeout"),
    /* udp */
    {17, "cork", 1, K_BOOL, true},
};
#undef NO
#define NOPTS (sizeof opts / sizeof *opts)

static const int levels[] = {S, 0, 41, 6, 17};

Term sock_options_list(Process *p)
{
    Term out = NIL;
    for (int l = (int)(sizeof levels / sizeof *levels) - 1; l >= 0; l--) {
        Term list = NIL;
        for (size_t i = NOPTS; i-- > 0;) {
            if (opts[i].level != levels[l]) continue;
            Term name = atom_from_cstr(opts[i].name);
            list = heap_cons(p, opts[i].num < 0 ? name : heap_tuple2(p, name, make_small(opts[i].num)), list);
        }
        /* Other levels go by number: prim_socket names them from the protocols table. */
        Term level = levels[l] == SOL_SOCKET ? AM_socket : make_small(levels[l]);
        out = heap_cons(p, heap_tuple2(p, level, list), out);
    }
    return out;
}

static const OptDef *find(int level, int num)
{
    for (size_t i = 0; i < NOPTS; i++)
        if (opts[i].level == level && opts[i].num == num) return &opts[i];
    return NULL;
}

/* The native level of a level argument: the atom socket or a protocol number. */
static bool level_of(Term t, int *level)
{
    if (t == AM_socket) return *level = SOL_SOCKET, true;
    if (!is_small(t)) return false;
    *level = (int)small_val(t);
    return true;
}

static const struct {
    int v;
    const char *name;
} tos_names[] = {{IPTOS_LOWDELAY, "lowdelay"}, {IPTOS_THROUGHPUT, "throughput"},
                 {IPTOS_RELIABILITY, "reliability"}, {IPTOS_MINCOST, "mincost"}},
  mtu_names[] = {{IP_PMTUDISC_DONT, "dont"}, {IP_PMTUDISC_WANT, "want"}, {IP_PMTUDISC_DO, "do"},
                 {IP_PMTUDISC_PROBE, "probe"}};

/* ---- the {otp, _} options ---- */

enum { OTP_DEBUG = 1001, OTP_IOW, OTP_CTRL_PROC, OTP_RCVBUF, OTP_RCVCTRLBUF = 1006, OTP_SNDCTRLBUF, OTP_FD, OTP_META,
       OTP_USE_REGISTRY, OTP_DOMAIN = 1999 };

static Term *on_heap(void *p, size_t words) { return heap_alloc(p, words); }

static Term bool_atom(bool b) { return b ? AM_true : AM_false; }

static Term otp_get(Process *p, Sock *s, int opt)
{
    Term v;
    switch (opt) {
    case OTP_DEBUG: v = bool_atom(s->debug); break;
    case OTP_IOW: v = bool_atom(s->iow); break;
    case OTP_CTRL_PROC: v = s->owner; break;
    case OTP_RCVBUF: v = make_small((intptr_t)s->rcvbuf); break;
    case OTP_RCVCTRLBUF: v = make_small((intptr_t)s->rcvctrlbuf); break;
    case OTP_SNDCTRLBUF: v = make_small((intptr_t)s->sndctrlbuf); break;
    case OTP_FD: v = make_small(s->fd); break;
    case OTP_USE_REGISTRY: v = bool_atom(s->use_registry); break;
    case OTP_DOMAIN: v = sock_domain_atom(s->domain); break;
    case OTP_META: {
        if (!s->meta) {
            v = AM_undefined;
            break;
        }
        char err[64];
        EtfDecodeOptions o = {.safe = false, .owner = p};
        v = etf_binary_to_term_opts(s->meta, s->meta_len, (TermAlloc){on_heap, p}, &o,
                                    NULL, err, sizeof err);
        break;
    }
    default: return heap_tuple2(p, AM_invalid, atom_from_cstr("socket_option"));
    }
    return heap_tuple2(p, AM_ok, v);
}

static bool positive(Term v) { return is_small(v) && small_val(v) > 0; }

static Term otp_set(Process *p, Sock *s, int opt, Term v)
{
    Term bad = heap_tuple2(p, AM_invalid, atom_from_cstr("value"));
    switch (opt) {
    case OTP_DEBUG:
    case OTP_IOW:
    case OTP_USE_REGISTRY:
        if (v != AM_true && v != AM_false) return bad;
        if (opt == OTP_DEBUG) s->debug = v == AM_true;
        else if (opt == OTP_IOW) s->iow = v == AM_true;
        else s->use_registry = v == AM_true;
        return AM_ok;
    case OTP_CTRL_PROC:
        if (!is_pid(v)) return bad;
        if (s->owner != p->pid) return sock_error_atom(p, atom_from_cstr("not_owner"));
        s->owner = v;
        return AM_ok;
    case OTP_RCVBUF:
        if (!positive(v)) return bad;
        s->rcvbuf = (size_t)small_val(v);
        return AM_ok;
    case OTP_RCVCTRLBUF:
    case OTP_SNDCTRLBUF:
        if (!positive(v)) return bad;
        *(opt == OTP_RCVCTRLBUF ? &s->rcvctrlbuf : &s->sndctrlbuf) = (size_t)small_val(v);
        return AM_ok;
    case OTP_META: {
        EtfEncodeOptions o = {.minor_version = 1};
        size_t len;
        uint8_t *enc = etf_encode(v, &o, &len);
        free(s->meta);
        s->meta = enc, s->meta_len = len;
        return AM_ok;
    }
    default: return heap_tuple2(p, AM_invalid, atom_from_cstr("socket_option"));
    }
}

/* ---- native options ---- */

static Term named(int v, const void *table, size_t n)
{
    const struct {
        int v;
        const char *name;
    } *t = table;
    for (size_t i = 0; i < n; i++)
        if (t[i].v == v) return atom_from_cstr(t[i].name);
    return make_small(v);
}

static bool from_name(Term a, const void *table, size_t n, int *v)
{
    const struct {
        int v;
        const char *name;
    } *t = table;
    if (is_small(a)) return *v = (int)small_val(a), true;
    for (size_t i = 0; i < n && is_atom(a); i++)
        if (!strcmp(atom_text(a), t[i].name)) return *v = t[i].v, true;
    return false;
}

static Term get_native(Process *p, Sock *s, const OptDef *d)
{
    union {
        int i;
        struct linger l;
        char text[16];
    } u;
    memset(&u, 0, sizeof u);
    socklen_t len = d->kind == K_STRING ? (d->level == SOL_SOCKET ? 16 : 15) : d->kind == K_LINGER ? sizeof u.l : sizeof u.i;
    if (getsockopt(s->fd, d->level, d->num, &u, &len) != 0) return sock_error(p, errno);
    Term v;
    switch (d->kind) {
    case K_BOOL: v = bool_atom(u.i != 0); break;
    case K_LINGER: {
        Term k[] = {atom_from_cstr("linger"), atom_from_cstr("onoff")};
        Term vals[] = {make_small(u.l.l_linger), bool_atom(u.l.l_onoff != 0)};
        v = map_from_pairs(p, k, vals, 2);
        break;
    }
    case K_DOMAIN: v = sock_domain_atom(u.i); break;
    case K_TYPE: v = sock_type_atom(u.i); break;
    case K_PROTO: v = make_small(u.i); break;
    case K_STRING: v = heap_string(p, u.text, len); break;
    case K_TOS: v = named(u.i, tos_names, 4); break;
    case K_MTUDISC: v = named(u.i, mtu_names, 4); break;
    default: v = make_small(u.i); break;
    }
    return heap_tuple2(p, AM_ok, v);
}

static Term set_native(Process *p, Sock *s, const OptDef *d, Term v)
{
    Term bad = heap_tuple2(p, AM_invalid, atom_from_cstr("value"));
    int i = 0;
    struct linger l;
    const void *val = &i;
    socklen_t len = sizeof i;
    IoBuf text = {0};
    switch (d->kind) {
    case K_BOOL:
        if (v != AM_true && v != AM_false) return bad;
        i = v == AM_true;
        break;
    case K_INT:
        if (!is_small(v) || small_val(v) < INT32_MIN || small_val(v) > INT32_MAX) return bad;
        i = (int)small_val(v);
        break;
    case K_TOS:
        if (!from_name(v, tos_names, 4, &i)) return bad;
        break;
    case K_MTUDISC:
        if (!from_name(v, mtu_names, 4, &i)) return bad;
        break;
    case K_LINGER: {
        Term on = is_map(v) ? map_get(v, atom_from_cstr("onoff")) : THE_NON_VALUE;
        Term secs = is_map(v) ? map_get(v, atom_from_cstr("linger")) : THE_NON_VALUE;
        if (!is_value(on) || (on != AM_true && on != AM_false) || !is_value(secs) || !is_small(secs) ||
            small_val(secs) < 0)
            return bad;
        l.l_onoff = on == AM_true, l.l_linger = (int)small_val(secs);
        val = &l, len = sizeof l;
        break;
    }
    case K_STRING:
        if (!iodata_append(&text, v, true)) {
            free(text.data);
            return bad;
        }
        val = text.data ? (const void *)text.data : "", len = (socklen_t)text.len;
        break;
    default: return heap_tuple2(p, AM_invalid, atom_from_cstr("socket_option"));
    }
    int rc = setsockopt(s->fd, d->level, d->num, val, len), err = errno;
    free(text.data);
    return rc == 0 ? AM_ok : sock_error(p, err);
}

/* ---- the natives ---- */

/* The socket, level and option of setopt/getopt(SockRef, Level, Opt, ...): NULL with the
   native's result in *ret when they are bad or the socket is gone. *otp for level otp. */
static Sock *opt_socket(Process *p, const Term *args, int *level, bool *otp, Term *ret)
{
    *level = 0;
    *otp = args[1] == atom_from_cstr("otp");
    if ((!*otp && !level_of(args[1], level)) || !is_small(args[2])) {
        *ret = bif_error(p, AM_badarg);
        return NULL;
    }
    return sock_get_for(p, args[0], ret);
}

/* setopt(SockRef, Level, Opt, Value, Native) */
Term bif_prim_socket_nif_setopt_5(Process *p, const Term *args)
{
    int level;
    bool otp;
    Term ret;
    Sock *s = opt_socket(p, args, &level, &otp, &ret);
    if (!s) return ret;
    if (otp) {
        ret = otp_set(p, s, (int)small_val(args[2]), args[3]);
    } else {
        const OptDef *d = find(level, (int)small_val(args[2]));
        if (d && d->settable) ret = set_native(p, s, d, args[3]);
        else if (!d && args[4] != make_small(0) && is_small(args[3]))
            ret = set_native(p, s, &(OptDef){level, "", (int)small_val(args[2]), K_INT, true}, args[3]);
        else ret = heap_tuple2(p, AM_invalid, atom_from_cstr("socket_option"));
    }
    sock_put(s);
    return ret;
}

/* getopt(SockRef, Level, Opt) */
Term bif_prim_socket_nif_getopt_3(Process *p, const Term *args)
{
    int level;
    bool otp;
    Term ret;
    Sock *s = opt_socket(p, args, &level, &otp, &ret);
    if (!s) return ret;
    if (otp) {
        ret = otp_get(p, s, (int)small_val(args[2]));
    } else {
        const OptDef *d = find(level, (int)small_val(args[2]));
        ret = d ? get_native(p, s, d) : heap_tuple2(p, AM_invalid, atom_from_cstr("socket_option"));
    }
    sock_put(s);
    return ret;
}

/* getopt_native: getopt(SockRef, Level, Opt, ValueSpec) with ValueSpec integer, boolean or a
   buffer size (binary). */
Term bif_prim_socket_nif_getopt_4(Process *p, const Term *args)
{
    int level;
    if (!level_of(args[1], &level) || !is_small(args[2])) return bif_error(p, AM_badarg);
    Term spec = args[3];
    bool as_int = spec == atom_from_cstr("integer"), as_bool = spec == atom_from_cstr("boolean");
    bool as_bin = is_small(spec) && small_val(spec) >= 0 && small_val(spec) <= 65536;
    if (!as_int && !as_bool && !as_bin) return heap_tuple2(p, AM_invalid, atom_from_cstr("value"));
    Term ret;
    Sock *s = sock_get_for(p, args[0], &ret);
    if (!s) return ret;
    size_t cap = as_bin ? (size_t)small_val(spec) : sizeof(int);
    uint8_t *buf = calloc(cap ? cap : 1, 1);
    if (!buf) abort();
    socklen_t len = (socklen_t)cap;
    if (getsockopt(s->fd, level, (int)small_val(args[2]), buf, &len) != 0) {
        ret = sock_error(p, errno);
    } else {
        int i;
        memcpy(&i, buf, sizeof i < cap ? sizeof i : cap);
        Term v = as_bin ? binary_from_bytes(p, buf, len) : as_bool ? bool_atom(i != 0) : make_small(i);
        ret = heap_tuple2(p, AM_ok, v);
    }
    free(buf);
    sock_put(s);
    return ret;
}
