/*
 * report.c - erb_prof_report: a snapshot as a tprof-like table or as JSON
 * (include/erbium/profiler.h); folded, speedscope and pprof are export_*.c's.
 *
 * The table lists functions in ascending order of time (of heap words with
 * call_memory data only, of calls with neither), so the heaviest come last, next to the total, as
 * OTP's tprof prints them. Per process and per scheduler views print one
 * such table per process or scheduler.
 */
#include "erbium/profiler.h"
#include "erbium/vm.h"

#include "profiler/exports.h"
#include "profiler/prof_slot.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

ExportMeasure export_measure(const ErbProfSnapshot *s)
{
    ExportMeasure m = EXPORT_CALLS;
    for (size_t i = 0; i < s->n; i++) {
        if (s->entries[i].has_time) return EXPORT_TIME;
        if (s->entries[i].has_memory) m = EXPORT_MEMORY;
    }
    return m;
}

uint64_t export_weight(const ErbProfEntry *e, ExportMeasure m)
{
    if (m == EXPORT_TIME) return e->time_ns;
    if (m == EXPORT_MEMORY) return e->words > 0 ? (uint64_t)e->words : 0;
    return e->count;
}

uint64_t export_calls(const ErbProfEntry *e, ExportMeasure m)
{
    return m == EXPORT_TIME ? e->calls : m == EXPORT_MEMORY ? e->memory_calls : e->count;
}

/* qsort has no context argument: the sort keys of the report being written. */
static ExportMeasure sort_measure;
static ErbProfView sort_view;

static int cmp_entries(const void *a, const void *b)
{
    const ErbProfEntry *x = a, *y = b;
    uint64_t wx = export_weight(x, sort_measure), wy = export_weight(y, sort_measure);
    if (wx != wy) return wx < wy ? -1 : 1;
    int c = strcmp(x->module, y->module);
    if (c) return c;
    c = strcmp(x->function, y->function);
    return c ? c : (int)x->arity - (int)y->arity;
}

/* The key grouping entries into tables: pid, scheduler, or nothing. */
static int64_t group_of(const ErbProfEntry *e, ErbProfView view)
{
    if (view == ERB_PROF_PER_PROCESS) return (int64_t)e->pid;
    if (view == ERB_PROF_PER_SCHEDULER) return e->scheduler;
    return 0;
}

static int cmp_groups(const void *a, const void *b)
{
    int64_t gx = group_of(a, sort_view), gy = group_of(b, sort_view);
    if (gx != gy) return gx < gy ? -1 : 1;
    return cmp_entries(a, b);
}

static void print_heading(FILE *out, const ErbProfEntry *e, ErbProfView view, double share)
{
    char pid[32];
    erb_pid_text(pid, sizeof pid, e->pid);
    if (view == ERB_PROF_PER_PROCESS)
        fprintf(out, "\n****** Process %s  --  %.2f %% of total *** \n", pid, share);
    else if (view == ERB_PROF_PER_SCHEDULER)
        fprintf(out, "\n****** %s scheduler %d  --  %.2f %% of total *** \n",
                e->scheduler < prof_slot_schedulers() ? "Normal" : "Dirty",
                e->scheduler < prof_slot_schedulers() ? e->scheduler + 1 : e->scheduler - prof_slot_schedulers() + 1,
                share);
}

static void print_table(FILE *out, const ErbProfEntry *v, size_t n, ExportMeasure m)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) total += export_weight(&v[i], m);
    if (m == EXPORT_TIME) fprintf(out, "%-40s %10s %12s %9s  [%7s]\n", "FUNCTION", "CALLS", "TIME (us)", "us/CALL", "%");
    else if (m == EXPORT_MEMORY) fprintf(out, "%-40s %10s %12s %9s  [%7s]\n", "FUNCTION", "CALLS", "WORDS", "PER CALL", "%");
    else fprintf(out, "%-40s %12s  [%7s]\n", "FUNCTION", "CALLS", "%");
    for (size_t i = 0; i < n; i++) {
        const ErbProfEntry *e = &v[i];
        uint64_t w = export_weight(e, m), calls = export_calls(e, m);
        if (!w && !e->calls && !e->memory_calls && !e->count) continue; /* never called */
        char name[600];
        snprintf(name, sizeof name, "%s:%s/%u", e->module, e->function, e->arity);
        double pct = total ? 100.0 * (double)w / (double)total : 0.0;
        if (m == EXPORT_TIME)
            fprintf(out, "%-40s %10" PRIu64 " %12.0f %9.2f  [%7.2f]\n", name, calls, w / 1e3,
                    calls ? w / 1e3 / (double)calls : 0.0, pct);
        else if (m == EXPORT_MEMORY)
            fprintf(out, "%-40s %10" PRIu64 " %12" PRId64 " %9.2f  [%7.2f]\n", name, calls, e->words,
                    calls ? (double)e->words / (double)calls : 0.0, pct);
        else fprintf(out, "%-40s %12" PRIu64 "  [%7.2f]\n", name, e->count, pct);
    }
    if (m == EXPORT_TIME) fprintf(out, "%-40s %10s %12.0f %9s  [%7.2f]\n", "", "", total / 1e3, "", 100.0);
    else if (m == EXPORT_MEMORY) fprintf(out, "%-40s %10s %12" PRIu64 " %9s  [%7.2f]\n", "", "", total, "", 100.0);
    else fprintf(out, "%-40s %12" PRIu64 "  [%7.2f]\n", "", total, 100.0);
}

static void write_table(FILE *out, ErbProfSnapshot *s, ErbProfView view)
{
    ExportMeasure m = export_measure(s);
    sort_measure = m;
    sort_view = view;
    qsort(s->entries, s->n, sizeof *s->entries, cmp_groups);
    uint64_t grand = 0;
    for (size_t i = 0; i < s->n; i++) grand += export_weight(&s->entries[i], m);
    for (size_t i = 0; i < s->n;) {
        size_t j = i;
        uint64_t sum = 0;
        while (j < s->n && group_of(&s->entries[j], view) == group_of(&s->entries[i], view))
            sum += export_weight(&s->entries[j++], m);
        print_heading(out, &s->entries[i], view, grand ? 100.0 * (double)sum / (double)grand : 0.0);
        print_table(out, &s->entries[i], j - i, m);
        i = j;
    }
    if (s->n == 0) fprintf(out, "erbium profile: no data\n");
}

static void write_json(FILE *out, const ErbProfSnapshot *s, ErbProfView view)
{
    static const char *const views[] = {"function", "process", "scheduler"};
    fprintf(out, "{\"view\": \"%s\", \"entries\": [", views[view]);
    for (size_t i = 0; i < s->n; i++) {
        const ErbProfEntry *e = &s->entries[i];
        fprintf(out, "%s\n  {\"module\": ", i ? "," : "");
        export_json_string(out, e->module);
        fprintf(out, ", \"function\": ");
        export_json_string(out, e->function);
        fprintf(out, ", \"arity\": %u", e->arity);
        if (view == ERB_PROF_PER_PROCESS) {
            char pid[32];
            erb_pid_text(pid, sizeof pid, e->pid);
            fprintf(out, ", \"pid\": \"%s\"", pid);
        }
        if (view == ERB_PROF_PER_SCHEDULER)
            fprintf(out, ", \"scheduler\": %d, \"dirty\": %s", e->scheduler,
                    e->scheduler >= prof_slot_schedulers() ? "true" : "false");
        if (e->has_count) fprintf(out, ", \"count\": %" PRIu64, e->count);
        if (e->has_time) fprintf(out, ", \"calls\": %" PRIu64 ", \"time_us\": %.3f", e->calls, e->time_ns / 1e3);
        if (e->has_memory)
            fprintf(out, ", \"memory_calls\": %" PRIu64 ", \"words\": %" PRId64, e->memory_calls, e->words);
        fputc('}', out);
    }
    fprintf(out, "\n]}\n");
}

int erb_prof_report(FILE *out, ErbProfView view, ErbProfFormat format)
{
    ErbProfSnapshot *s = erb_prof_snapshot(view);
    if (!s) return -1;
    int rc = 0;
    if (format == ERB_PROF_JSON) write_json(out, s, view);
    else if (format == ERB_PROF_FOLDED) rc = export_folded_snapshot(out, s, view);
    else if (format == ERB_PROF_SPEEDSCOPE) rc = export_speedscope_snapshot(out, s, view);
    else if (format == ERB_PROF_PPROF) rc = export_pprof_snapshot(out, s, view);
    else write_table(out, s, view);
    erb_prof_snapshot_free(s);
    return rc != 0 || ferror(out) ? -1 : 0;
}
