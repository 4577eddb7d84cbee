/*
 * nif.c - the native function API (include/erbium/nif.h). An ErbEnv is the
 * calling Process and an ErbTerm a Term, so a native has exactly the BIF
 * calling convention and is registered straight into the export table.
 */
#include "erbium/nif.h"

#include "runtime/term/atom.h"
#include "runtime/term/big.h"
#include "runtime/loader/export.h"
#include "runtime/proc/heap.h"

#include <string.h>

_Static_assert(sizeof(ErbTerm) == sizeof(Term), "ErbTerm is a Term");

static Process *proc(ErbEnv *env) { return (Process *)env; }

int erb_nif_register(ErbVm *vm, const char *module, const char *function, unsigned arity, ErbNif fn,
                     int flags)
{
    Term m = atom_from_cstr(module), f = atom_from_cstr(function);
    if (!is_atom(m) || !is_atom(f) || arity > 255 || !fn || flags < 0 || flags > ERB_NIF_DIRTY_IO) return -1;
    int dirty = flags == ERB_NIF_DIRTY_CPU ? EXPORT_DIRTY_CPU : flags == ERB_NIF_DIRTY_IO ? EXPORT_DIRTY_IO : 0;
    export_set_native(m, f, arity, (BifFn)fn, dirty);
    return 0;
}

ErbTerm erb_make_int(ErbEnv *env, int64_t value) { return int_from_i64(proc(env), value); }

ErbTerm erb_make_atom(ErbEnv *env, const char *name)
{
    Term a = atom_from_cstr(name);
    return is_atom(a) ? a : erb_raise_badarg(env);
}

ErbTerm erb_make_tuple(ErbEnv *env, unsigned arity, const ErbTerm *elements)
{
    Term *hp = heap_alloc(proc(env), 1 + (size_t)arity);
    hp[0] = make_tuple_header(arity);
    memcpy(hp + 1, elements, arity * sizeof(Term));
    return make_boxed(hp);
}

ErbTerm erb_make_list(ErbEnv *env, unsigned length, const ErbTerm *elements)
{
    Term *hp = heap_alloc(proc(env), 2 * (size_t)length);
    Term list = NIL;
    for (unsigned i = length; i > 0; i--) {
        hp[2 * (i - 1)] = elements[i - 1];
        hp[2 * (i - 1) + 1] = list;
        list = make_list(hp + 2 * (i - 1));
    }
    return list;
}

ErbTerm erb_make_string(ErbEnv *env, const char *s)
{
    size_t n = strlen(s);
    Term *hp = heap_alloc(proc(env), 2 * n);
    Term list = NIL;
    for (size_t i = n; i > 0; i--) {
        hp[2 * (i - 1)] = make_small((unsigned char)s[i - 1]);
        hp[2 * (i - 1) + 1] = list;
        list = make_list(hp + 2 * (i - 1));
    }
    return list;
}

bool erb_get_int(ErbTerm t, int64_t *value)
{
    if (!is_small(t)) return false;
    *value = small_val(t);
    return true;
}

bool erb_is_atom(ErbTerm t, const char *name)
{
    return is_atom(t) && atom_len(t) == strlen(name) && memcmp(atom_text(t), name, atom_len(t)) == 0;
}

bool erb_get_tuple(ErbTerm t, unsigned *arity, const ErbTerm **elements)
{
    if (!is_tuple(t)) return false;
    *arity = (unsigned)tuple_arity(t);
    *elements = tuple_elems(t);
    return true;
}

ErbTerm erb_raise_badarg(ErbEnv *env) { return bif_error(proc(env), AM_badarg); }
ErbTerm erb_raise_error(ErbEnv *env, ErbTerm reason) { return bif_raise(proc(env), EXC_ERROR, reason); }
