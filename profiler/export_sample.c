/*
 * export_sample.c - samples as a table or JSON, and erb_prof_sample_report
 * (include/erbium/profiler.h), which also dispatches to the folded and
 * speedscope exports.
 *
 * The table gives, per function (its frames at every line merged), the
 * samples with the function on top of the stack (SELF: time spent in it)
 * and anywhere in the stack (TOTAL: in it or its callees), heaviest last
 * as in report.c's tables; per process and per scheduler views print one
 * table per group.
 */
#include "erbium/vm.h"
#include "profiler/exports.h"

#include "profiler/prof_slot.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void export_frame_name(char *buf, size_t size, const ErbProfFrame *f)
{
    if (f->kind == ERB_PROF_FRAME_WAITING) snprintf(buf, size, "(waiting)");
    else snprintf(buf, size, "%s:%s/%u", f->module, f->function, f->arity);
}

void export_group_name(char *buf, size_t size, ErbProfView view, uint64_t pid, int scheduler)
{
    int normal = prof_slot_schedulers();
    if (view == ERB_PROF_PER_PROCESS) erb_pid_text(buf, size, pid);
    else if (view == ERB_PROF_PER_SCHEDULER && scheduler < normal) snprintf(buf, size, "scheduler %d", scheduler + 1);
    else if (view == ERB_PROF_PER_SCHEDULER) snprintf(buf, size, "dirty scheduler %d", scheduler - normal + 1);
    else buf[0] = '\0';
}

void export_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') fprintf(out, "\\%c", *c);
        else if (*c < 0x20) fprintf(out, "\\u%04x", *c);
        else fputc(*c, out);
    }
    fputc('"', out);
}

/* ---- table ---- */

typedef struct FunRow {
    char name[600];
    uint64_t self, total;
} FunRow;

static int cmp_rows(const void *a, const void *b)
{
    const FunRow *x = a, *y = b;
    if (x->self != y->self) return x->self < y->self ? -1 : 1;
    if (x->total != y->total) return x->total < y->total ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int64_t group_key(const ErbProfStack *st) { return (int64_t)st->pid * 4096 + st->scheduler; }

static int cmp_stack_groups(const void *a, const void *b)
{
    int64_t x = group_key(a), y = group_key(b);
    return x < y ? -1 : x > y;
}

/* The row of frame f in rows (by name: lines merged), added if missing; rows has room for every frame. */
static FunRow *row_of(FunRow *rows, size_t *n, const ErbProfFrame *f)
{
    char name[600];
    export_frame_name(name, sizeof name, f);
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(rows[i].name, name)) return &rows[i];
    FunRow *r = &rows[(*n)++];
    memcpy(r->name, name, sizeof name);
    r->self = r->total = 0;
    return r;
}

/* One table for stacks v[0..n). Rows are found by a linear search: tables are for reading. */
static void print_group(FILE *out, const ErbProfSamples *s, const ErbProfStack *v, size_t n, const char *group,
                        uint64_t grand)
{
    FunRow *rows = calloc(s->nframes + 1, sizeof *rows);
    size_t *row_ix = malloc((s->nframes + 1) * sizeof *row_ix);
    uint8_t *seen = calloc(s->nframes + 1, 1);
    if (!rows || !row_ix || !seen) goto done;
    size_t nrows = 0;
    for (size_t k = 0; k < s->nframes; k++) row_ix[k] = (size_t)(row_of(rows, &nrows, &s->frames[k]) - rows);
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        const ErbProfStack *st = &v[i];
        sum += st->count;
        if (st->n) rows[row_ix[st->frames[0]]].self += st->count;
        memset(seen, 0, nrows);
        for (size_t k = 0; k < st->n; k++) {
            size_t r = row_ix[st->frames[k]];
            if (!seen[r]) rows[r].total += st->count;
            seen[r] = 1;
        }
    }
    qsort(rows, nrows, sizeof *rows, cmp_rows);
    if (*group)
        fprintf(out, "\n****** %s  --  %.2f %% of samples *** \n", group, grand ? 100.0 * sum / grand : 0.0);
    fprintf(out, "%-50s %10s %9s %10s %9s\n", "FUNCTION", "SELF", "SELF %", "TOTAL", "TOTAL %");
    for (size_t i = 0; i < nrows; i++) {
        if (!rows[i].total) continue;
        fprintf(out, "%-50s %10" PRIu64 " %9.2f %10" PRIu64 " %9.2f\n", rows[i].name, rows[i].self,
                sum ? 100.0 * rows[i].self / sum : 0.0, rows[i].total, sum ? 100.0 * rows[i].total / sum : 0.0);
    }
    fprintf(out, "%-50s %10" PRIu64 "\n", "", sum);
done:
    free(rows);
    free(row_ix);
    free(seen);
}

void export_sample_table(FILE *out, const ErbProfSamples *s, ErbProfView view)
{
    if (s->n == 0) {
        fprintf(out, "erbium profile: no samples\n");
        return;
    }
    ErbProfStack *v = malloc(s->n * sizeof *v);
    if (!v) return;
    if (s->n) { /* no samples: s->stacks may be NULL */
        memcpy(v, s->stacks, s->n * sizeof *v);
        qsort(v, s->n, sizeof *v, cmp_stack_groups);
    }
    fprintf(out, "erbium samples at %u Hz per scheduler\n", s->rate_hz);
    for (size_t i = 0; i < s->n;) {
        size_t j = i;
        while (j < s->n && group_key(&v[j]) == group_key(&v[i])) j++;
        char group[64];
        export_group_name(group, sizeof group, view, v[i].pid, v[i].scheduler);
        print_group(out, s, v + i, j - i, group, s->total);
        i = j;
    }
    free(v);
}

/* ---- JSON ---- */

void export_sample_json(FILE *out, const ErbProfSamples *s, ErbProfView view)
{
    static const char *const views[] = {"function", "process", "scheduler"};
    static const char *const kinds[] = {"erlang", "native", "waiting"};
    fprintf(out, "{\"kind\": \"sample\", \"view\": \"%s\", \"rate_hz\": %u, \"total\": %" PRIu64 ",\n \"frames\": [",
            views[view], s->rate_hz, s->total);
    for (size_t i = 0; i < s->nframes; i++) {
        const ErbProfFrame *f = &s->frames[i];
        fprintf(out, "%s\n  {\"module\": ", i ? "," : "");
        export_json_string(out, f->module);
        fprintf(out, ", \"function\": ");
        export_json_string(out, f->function);
        fprintf(out, ", \"arity\": %u, \"line\": %u, \"kind\": \"%s\"}", f->arity, f->line, kinds[f->kind]);
    }
    fprintf(out, "],\n \"stacks\": [");
    for (size_t i = 0; i < s->n; i++) {
        const ErbProfStack *st = &s->stacks[i];
        fprintf(out, "%s\n  {", i ? "," : "");
        if (view == ERB_PROF_PER_PROCESS) {
            char pid[32];
            erb_pid_text(pid, sizeof pid, st->pid);
            fprintf(out, "\"pid\": \"%s\", ", pid);
        }
        if (view == ERB_PROF_PER_SCHEDULER)
            fprintf(out, "\"scheduler\": %d, \"dirty\": %s, ", st->scheduler,
                    st->scheduler >= prof_slot_schedulers() ? "true" : "false");
        fprintf(out, "\"count\": %" PRIu64 ", \"truncated\": %s, \"frames\": [", st->count,
                st->truncated ? "true" : "false");
        for (size_t k = 0; k < st->n; k++) fprintf(out, "%s%u", k ? ", " : "", st->frames[k]);
        fprintf(out, "]}");
    }
    fprintf(out, "\n]}\n");
}

int erb_prof_sample_report(FILE *out, ErbProfView view, ErbProfFormat format)
{
    ErbProfSamples *s = erb_prof_samples(view);
    if (!s) return -1;
    int rc = 0;
    switch (format) {
    case ERB_PROF_JSON: export_sample_json(out, s, view); break;
    case ERB_PROF_FOLDED: rc = export_folded_samples(out, s, view); break;
    case ERB_PROF_SPEEDSCOPE: rc = export_speedscope_samples(out, s, view); break;
    case ERB_PROF_PPROF: rc = export_pprof_samples(out, s, view); break;
    default: export_sample_table(out, s, view); break;
    }
    erb_prof_samples_free(s);
    return rc != 0 || ferror(out) ? -1 : 0;
}
