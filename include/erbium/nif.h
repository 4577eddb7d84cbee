/*
 * erbium/nif.h - native functions for embedding programs.
 *
 * A native is a C function that Erlang code calls like any function:
 *
 *   static ErbTerm add(ErbEnv *env, const ErbTerm *argv)
 *   {
 *       int64_t a, b;
 *       if (!erb_get_int(argv[0], &a) || !erb_get_int(argv[1], &b)) return erb_raise_badarg(env);
 *       return erb_make_int(env, a + b);
 *   }
 *   ...
 *   erb_nif_register(vm, "mymath", "add", 2, add, ERB_NIF_NORMAL);
 *
 * Register natives after erb_vm_create and before running code that calls
 * them. A call of mymath:add/2 then runs `add`, which takes no lock and adds
 * no indirection to the call. A native flagged ERB_NIF_DIRTY_CPU or
 * ERB_NIF_DIRTY_IO runs on a dirty scheduler thread instead, so a native that
 * computes or blocks for long does not hold up other Erlang processes.
 *
 * Terms a native makes live on the calling process's heap and are valid
 * until the native returns. A native must not keep terms across calls.
 */
#ifndef ERBIUM_NIF_H
#define ERBIUM_NIF_H

#include "erbium/vm.h"

#include <stddef.h>
#include <stdint.h>

typedef uint64_t ErbTerm;
typedef struct ErbEnv ErbEnv; /* the calling process */

typedef ErbTerm (*ErbNif)(ErbEnv *env, const ErbTerm *argv);

enum { ERB_NIF_NORMAL = 0, ERB_NIF_DIRTY_CPU = 1, ERB_NIF_DIRTY_IO = 2 };

/* Makes module:function/arity call fn. 0, or -1 for a bad name or arity (> 255). */
int erb_nif_register(ErbVm *vm, const char *module, const char *function, unsigned arity, ErbNif fn,
                     int flags);

/* Building terms. */
ErbTerm erb_make_int(ErbEnv *env, int64_t value);
ErbTerm erb_make_atom(ErbEnv *env, const char *name);
ErbTerm erb_make_tuple(ErbEnv *env, unsigned arity, const ErbTerm *elements);
ErbTerm erb_make_list(ErbEnv *env, unsigned length, const ErbTerm *elements);
/* A string as a list of bytes (Latin-1). */
ErbTerm erb_make_string(ErbEnv *env, const char *s);

/* Reading terms: false if the term is not of that kind (or does not fit). */
bool erb_get_int(ErbTerm t, int64_t *value);
/* True if t is the atom with that name. */
bool erb_is_atom(ErbTerm t, const char *name);
/* A tuple's arity and elements (valid while the native runs). */
bool erb_get_tuple(ErbTerm t, unsigned *arity, const ErbTerm **elements);

/* Return values that raise instead: error:badarg, or error:Reason. */
ErbTerm erb_raise_badarg(ErbEnv *env);
ErbTerm erb_raise_error(ErbEnv *env, ErbTerm reason);

#endif
