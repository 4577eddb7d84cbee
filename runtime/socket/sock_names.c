/* sock_names.c - atoms for domains, types and errors (see sock.h). */
#include "runtime/socket/sock.h"

#include "runtime/port/port_errno.h"
#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"

#include <errno.h>
#include <string.h>

static const struct {
    int num;
    const char *name;
} domains[] = {{AF_INET, "inet"}, {AF_INET6, "inet6"}, {AF_UNIX, "local"}, {AF_UNSPEC, "unspec"}},
  types[] = {{SOCK_STREAM, "stream"}, {SOCK_DGRAM, "dgram"}, {SOCK_SEQPACKET, "seqpacket"}, {SOCK_RAW, "raw"},
             {SOCK_RDM, "rdm"}};

#define COUNT(a) (sizeof(a) / sizeof *(a))

Term sock_atom(const char *name) { return atom_from_cstr(name); }

Term sock_domain_atom(int domain)
{
    for (size_t i = 0; i < COUNT(domains); i++)
        if (domains[i].num == domain) return atom_from_cstr(domains[i].name);
    return make_small(domain);
}

Term sock_type_atom(int type)
{
    for (size_t i = 0; i < COUNT(types); i++)
        if (types[i].num == type) return atom_from_cstr(types[i].name);
    return make_small(type);
}

bool sock_domain_from(Term a, int *domain)
{
    if (is_small(a)) return *domain = (int)small_val(a), true;
    if (!is_atom(a)) return false;
    for (size_t i = 0; i < COUNT(domains) - 1; i++)
        if (!strcmp(atom_text(a), domains[i].name)) return *domain = domains[i].num, true;
    return false;
}

bool sock_type_from(Term a, int *type)
{
    if (is_small(a)) return *type = (int)small_val(a), true;
    if (!is_atom(a)) return false;
    for (size_t i = 0; i < COUNT(types); i++)
        if (!strcmp(atom_text(a), types[i].name)) return *type = types[i].num, true;
    return false;
}

Term sock_errno_atom(int err)
{
    /* OTP reports a peer that went away as closed, as gen_tcp does. */
    if (err == EPIPE || err == ECONNRESET) return AM_closed;
    if (err == EOPNOTSUPP) return atom_from_cstr("enotsup"); /* the same number on Linux: OTP's name */
    return port_errno_atom(err);
}

Term sock_error(Process *p, int err) { return heap_tuple2(p, AM_error, sock_errno_atom(err)); }

Term sock_error_atom(Process *p, Term reason) { return heap_tuple2(p, AM_error, reason); }
