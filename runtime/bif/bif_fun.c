/* bif_fun.c - erlang:fun_info/2: what a fun is made of. */
#include "runtime/bif/bif.h"

#include "runtime/term/big.h"
#include "runtime/proc/heap.h"
#include "runtime/loader/export.h"
#include "runtime/loader/module.h"
#include "runtime/interp/raise.h"


static Term env_list(Process *p, const Term *fun, uint32_t n)
{
    Term list = NIL;
    for (uint32_t i = n; i > 0; i--) {
        Term *cell = heap_alloc(p, 2);
        cell[0] = fun[FUN_FIXED_WORDS + i - 1];
        cell[1] = list;
        list = make_list(cell);
    }
    return list;
}

static Term md5_binary(Process *p, const uint8_t *md5)
{
    Term *hp = heap_alloc(p, 4);
    hp[0] = make_header(3, HDR_HEAP_BIN);
    hp[1] = 16;
    memcpy(hp + 2, md5, 16);
    return make_boxed(hp);
}

static Term local_fun_item(Process *p, const Term *fun, Term item)
{
    const FunEntry *fe = (const FunEntry *)fun[1];
    if (item == AM_arity) return make_small(fe->arity);
    if (item == AM_module) return fe->module;
    if (item == AM_name) return fe->function;
    if (item == AM_env) return env_list(p, fun, fe->num_free);
    if (item == AM_type) return AM_local;
    if (item == AM_index || item == AM_new_index) return make_small(fe->index);
    if (item == AM_uniq) return make_small(fe->old_uniq);
    if (item == AM_new_uniq) return md5_binary(p, fe->md5);
    if (item == AM_pid) return fun[2];
    return THE_NON_VALUE;
}

static Term export_fun_item(const Export *e, Term item)
{
    if (item == AM_arity) return make_small(e->arity);
    if (item == AM_module) return e->module;
    if (item == AM_name) return e->function;
    if (item == AM_env) return NIL;
    if (item == AM_type) return AM_external;
    if (item == AM_index || item == AM_new_index || item == AM_uniq || item == AM_new_uniq || item == AM_pid)
        return AM_undefined;
    return THE_NON_VALUE;
}

Term bif_fun_info_2(Process *p, const Term *args)
{
    Term fun = args[0], item = args[1];
    if (!is_fun(fun) || !is_atom(item)) return bif_error(p, AM_badarg);
    const Term *f = boxed_val(fun);
    Term v = header_subtag(f[0]) == HDR_FUN ? local_fun_item(p, f, item) : export_fun_item((const Export *)f[1], item);
    if (!is_value(v)) return bif_error(p, AM_badarg);
    return heap_tuple2(p, item, v);
}

/* erlang:fun_info_mfa(Fun): {Module, Function, Arity}, a local fun's lifted function. */
Term bif_fun_info_mfa_1(Process *p, const Term *args)
{
    Term fun = args[0];
    if (is_boxed_of(fun, HDR_FUN)) {
        const FunEntry *fe = (const FunEntry *)boxed_val(fun)[1];
        return heap_tuple3(p, fe->module, fe->function, make_small(fe->arity));
    }
    if (is_boxed_of(fun, HDR_EXPORT)) {
        const Export *e = (const Export *)boxed_val(fun)[1];
        return heap_tuple3(p, e->module, e->function, make_small(e->arity));
    }
    return bif_error(p, AM_badarg);
}
