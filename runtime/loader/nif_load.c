/*
 * nif_load.c - erlang:load_nif/2. erbium links every NIF library OTP's own
 * modules load (zlib, prim_file, prim_buffer, ...) into the VM, and the
 * loader points a module's NIF stubs at them when it loads the module
 * (load.c), so loading such a library only has to succeed. A module for
 * which erbium has no natives gets OTP's load_failed error, except
 * erl_tracer, which erl_init loads at boot: its natives serve tracer modules
 * ({tracer, erl_tracer, State}), which erbium does not support yet, and its
 * stubs raise as they are.
 */
#include "runtime/bif/bif.h"

#include "runtime/bif/iodata.h"
#include "runtime/loader/export.h"
#include "runtime/loader/module.h"
#include "runtime/proc/heap.h"
#include "runtime/socket/sock.h"
#include "runtime/term/strbuf.h"

#include <stdlib.h>

/* True if some function of m was redirected to a native at load time. */
static bool has_natives(const Module *m)
{
    for (uint32_t i = 0; i < m->num_funcs; i++) {
        const Export *e = export_find(m->name, m->funcs[i].function, m->funcs[i].arity);
        if (e && e->bif) return true;
    }
    return false;
}


Term bif_load_nif_2(Process *p, const Term *args)
{
    IoBuf path = {0};
    if (!iodata_append(&path, args[0], true)) {
        free(path.data);
        return bif_error(p, AM_badarg);
    }
    Module *m = NULL;
    module_func_at(p->i, &m);
    if (m && (has_natives(m) || m->name == AM_erl_tracer)) {
        free(path.data);
        if (m->name == AM_prim_socket) sock_load(args[1]); /* the registry pid prim_socket:on_load made */
        return AM_ok;
    }
    StrBuf sb;
    sb_init(&sb);
    sb_printf(&sb, "Failed to load NIF library: '%.*s.so: cannot open shared object file: No such file or directory'",
              (int)path.len, (char *)path.data);
    free(path.data);
    Term text = heap_string(p, sb.data, sb.len);
    sb_free(&sb);
    Term reason = heap_tuple2(p, AM_load_failed, text);
    return heap_tuple2(p, AM_error, reason);
}
