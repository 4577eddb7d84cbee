/*
 * sample_export.c - how long reading and exporting a large sampled
 * profile takes: fills a sample set with N distinct stacks of 16 frames
 * (code addresses spread over stdlib's lists and maps modules, so frames
 * resolve to real functions and lines), then times merging it
 * (sample_query) and writing it in each format (table, json, folded,
 * speedscope, pprof) to /dev/null. Times are the main thread's CPU time,
 * which other tenants of a shared machine change little.
 *
 *   sample_export [N]     (default 1000000)
 *
 * Built with the VM's internals (profiler/sample.h, export.h) by CMake;
 * run by bench/profiler/sample.sh.
 */
#include "erbium/profiler.h"
#include "erbium/vm.h"
#include "profiler/exports.h"
#include "profiler/sample.h"
#include "runtime/loader/module.h"
#include "runtime/term/atom.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define DEPTH 16

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    return x;
}

/* A code address inside a function of m, chosen by r. */
static SampleFrame code_frame(const Module *m, uint64_t r)
{
    const FuncRange *f = &m->funcs[r % m->num_funcs];
    size_t words = (size_t)(f->end - f->start);
    return (SampleFrame)(f->start + 5 + (words > 6 ? (r >> 20) % (words - 6) : 0));
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    char err[256];
    ErbConfig cfg = erb_config_default();
    ErbVm *vm = erb_vm_create(&cfg, err, sizeof err);
    if (!vm || erb_vm_load(vm, "lists", err, sizeof err) != 0 || erb_vm_load(vm, "maps", err, sizeof err) != 0) {
        fprintf(stderr, "sample_export: %s\n", err);
        return 1;
    }
    const Module *mods[2] = {module_find(atom_from_cstr("lists")), module_find(atom_from_cstr("maps"))};
    SampleSet *set = sample_set_new(1);
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        SampleFrame f[DEPTH];
        for (int d = 0; d < DEPTH; d++) {
            uint64_t r = mix((uint64_t)i * DEPTH + (uint64_t)d + 1);
            f[d] = code_frame(mods[r & 1], r >> 1);
        }
        sample_set_add(set, 0, make_pid((uint64_t)(i % 1000) + 100), f, DEPTH, false, 1 + (uint64_t)i % 3);
    }
    double t1 = now_s();
    printf("%ld distinct stacks of %d frames: recorded in %.2f s\n", n, DEPTH, t1 - t0);
    static const char *const views[] = {"function", "process", "scheduler"};
    for (int view = 0; view < 2; view++) {
        double q0 = now_s();
        ErbProfSamples *s = sample_query(set, (ErbProfView)view);
        double q1 = now_s();
        printf("by %-8s: merged in %.2f s (%zu stacks, %zu frames)\n", views[view], q1 - q0, s->n, s->nframes);
        FILE *out = fopen("/dev/null", "w");
        double e0 = now_s();
        export_folded_samples(out, s, (ErbProfView)view);
        double e1 = now_s();
        export_speedscope_samples(out, s, (ErbProfView)view);
        double e2 = now_s();
        export_sample_json(out, s, (ErbProfView)view);
        double e3 = now_s();
        export_sample_table(out, s, (ErbProfView)view);
        double e4 = now_s();
        export_pprof_samples(out, s, (ErbProfView)view);
        double e5 = now_s();
        fclose(out);
        printf("            folded %.2f s, speedscope %.2f s, json %.2f s, table %.2f s, pprof %.2f s\n", e1 - e0,
               e2 - e1, e3 - e2, e4 - e3, e5 - e4);
        erb_prof_samples_free(s);
    }
    sample_set_retire(set);
    erb_vm_destroy(vm);
    return 0;
}
