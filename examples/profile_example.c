/*
 * profile_example.c - profiling from C (include/erbium/profiler.h).
 *
 *   profile_example <dir with profile_example.beam>
 *
 * Counts the calls of profile_example:fib/1 while four processes compute
 * fib(15), pauses and restarts the count, then measures call_time of every
 * function of the module per process and prints a JSON report.
 */
#include "erbium/profiler.h"
#include "erbium/vm.h"

#include <stdio.h>
#include <string.h>

static int run(ErbVm *vm) { return erb_vm_call(vm, "profile_example", "main", ERB_ARGS_NONE, 0, NULL); }

/* Prints the per-function snapshot, without times (they vary from run to run). */
static void print_functions(void)
{
    ErbProfSnapshot *s = erb_prof_snapshot(ERB_PROF_PER_FUNCTION);
    for (size_t i = 0; s && i < s->n; i++) {
        const ErbProfEntry *e = &s->entries[i];
        if (strcmp(e->function, "fib")) continue;
        printf("  %s:%s/%u count=%llu calls=%llu\n", e->module, e->function, e->arity,
               (unsigned long long)e->count, (unsigned long long)e->calls);
    }
    erb_prof_snapshot_free(s);
}

/* Sums a view's calls of fib: every view accounts for every call. */
static unsigned long long fib_calls(ErbProfView view)
{
    unsigned long long sum = 0;
    ErbProfSnapshot *s = erb_prof_snapshot(view);
    for (size_t i = 0; s && i < s->n; i++)
        if (!strcmp(s->entries[i].function, "fib")) sum += s->entries[i].calls;
    erb_prof_snapshot_free(s);
    return sum;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <dir with profile_example.beam>\n", argv[0]);
        return 2;
    }
    char err[256];
    ErbConfig cfg = erb_config_default();
    ErbVm *vm = erb_vm_create(&cfg, err, sizeof err);
    if (!vm) {
        fprintf(stderr, "profile_example: %s\n", err);
        return 1;
    }
    erb_vm_add_path(vm, argv[1]);
    if (erb_vm_load(vm, "profile_example", err, sizeof err) != 0) {
        fprintf(stderr, "profile_example: %s\n", err);
        return 1;
    }
    printf("before: %lld\n", (long long)erb_prof_count("profile_example", "fib", 1));
    printf("set call_count on fib/1: %d matched\n",
           erb_prof_set("profile_example", "fib", 1, ERB_PROF_CALL_COUNT, ERB_PROF_ON, false));
    run(vm);
    printf("after one run: %lld\n", (long long)erb_prof_count("profile_example", "fib", 1));
    erb_prof_set("profile_example", "fib", 1, ERB_PROF_CALL_COUNT, ERB_PROF_PAUSE, false);
    run(vm);
    printf("paused, after another run: %lld\n", (long long)erb_prof_count("profile_example", "fib", 1));
    erb_prof_set("profile_example", "fib", 1, ERB_PROF_CALL_COUNT, ERB_PROF_RESTART, true);
    run(vm);
    printf("restarted (blocking), after a run: %lld\n", (long long)erb_prof_count("profile_example", "fib", 1));

    printf("set call_time on the module: %d matched\n",
           erb_prof_set("profile_example", NULL, -1, ERB_PROF_CALL_TIME, ERB_PROF_ON, false));
    erb_prof_trace_processes(true);
    run(vm);
    print_functions();
    printf("fib calls per function/process/scheduler: %llu %llu %llu\n", fib_calls(ERB_PROF_PER_FUNCTION),
           fib_calls(ERB_PROF_PER_PROCESS), fib_calls(ERB_PROF_PER_SCHEDULER));
    printf("unknown function: %lld\n", (long long)erb_prof_count("profile_example", "nope", 0));
    erb_prof_set(NULL, NULL, -1, ERB_PROF_CALL_COUNT | ERB_PROF_CALL_TIME, ERB_PROF_OFF, false);
    printf("cleared: %lld\n", (long long)erb_prof_count("profile_example", "fib", 1));
    erb_vm_destroy(vm);
    return 0;
}
