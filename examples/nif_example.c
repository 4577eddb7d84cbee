/*
 * nif_example.c - embedding erbium and adding native functions.
 *
 *   nif_example <dir with nif_example.beam>
 *
 * Registers example:add/2 (a plain native) and example:sum_to/1 (a dirty
 * CPU native), then runs nif_example:main/0, which calls them from several
 * processes at once.
 */
#include "erbium/nif.h"
#include "erbium/vm.h"

#include <stdio.h>

static ErbTerm add(ErbEnv *env, const ErbTerm *argv)
{
    int64_t a, b;
    if (!erb_get_int(argv[0], &a) || !erb_get_int(argv[1], &b)) return erb_raise_badarg(env);
    return erb_make_int(env, a + b);
}

/* Long enough to belong on a dirty scheduler: 1 + 2 + ... + n, the slow way. */
static ErbTerm sum_to(ErbEnv *env, const ErbTerm *argv)
{
    int64_t n;
    if (!erb_get_int(argv[0], &n) || n < 0) return erb_raise_badarg(env);
    volatile int64_t sum = 0;
    for (int64_t i = 1; i <= n; i++) sum += i;
    ErbTerm pair[2] = {erb_make_atom(env, "sum"), erb_make_int(env, sum)};
    return erb_make_tuple(env, 2, pair);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <dir with nif_example.beam>\n", argv[0]);
        return 2;
    }
    char err[256];
    ErbConfig cfg = erb_config_default();
    ErbVm *vm = erb_vm_create(&cfg, err, sizeof err);
    if (!vm) {
        fprintf(stderr, "nif_example: %s\n", err);
        return 1;
    }
    erb_nif_register(vm, "example", "add", 2, add, ERB_NIF_NORMAL);
    erb_nif_register(vm, "example", "sum_to", 1, sum_to, ERB_NIF_DIRTY_CPU);
    erb_vm_add_path(vm, argv[1]);
    int status = erb_vm_call(vm, "nif_example", "main", ERB_ARGS_NONE, 0, NULL);
    erb_vm_destroy(vm);
    return status;
}
