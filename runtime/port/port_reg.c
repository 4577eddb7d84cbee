/*
 * port_reg.c - registered ports (see port.h): register/2, unregister/1 and
 * whereis/1 share the process registry (registry.c), whose entries name a
 * pid or a port; the port remembers its name so that port_info can report
 * it and termination can free it.
 */
#include "runtime/port/port.h"

#include "runtime/proc/registry.h"

bool port_register(Term name, Term id)
{
    Port *p = port_lookup(id);
    if (!p) return false;
    bool ok = !is_atom(p->reg_name) && reg_register(name, id);
    if (ok) p->reg_name = name;
    port_unlock(p);
    return ok;
}

void port_unregistered(Term id)
{
    Port *p = port_lookup(id);
    if (!p) return;
    p->reg_name = 0;
    port_unlock(p);
}

Port *port_lookup_named(Term t)
{
    if (is_atom(t)) t = reg_whereis(t);
    return is_port(t) ? port_lookup(t) : NULL;
}

void port_reg_release(Port *p)
{
    if (is_atom(p->reg_name)) reg_unregister_pid(p->reg_name, p->id);
    p->reg_name = 0;
}
